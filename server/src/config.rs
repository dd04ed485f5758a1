//! Configuration from the environment, with defaults that run the whole product on a
//! fresh machine: an SQLite file in the working folder and the demo roadshow.

use std::net::IpAddr;

use std::time::Duration;

use app::state::{Config, DkimKey, MailConfig};
use secrecy::SecretString;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://roadshow.db?mode=rwc";

pub fn from_env() -> anyhow::Result<Config> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let trusted_proxies = var("ROADSHOW_TRUSTED_PROXIES")
        .map(|list| {
            list.split(',')
                .map(|ip| {
                    ip.trim().parse::<IpAddr>().map_err(|e| anyhow::anyhow!("ROADSHOW_TRUSTED_PROXIES: {ip}: {e}"))
                })
                .collect::<anyhow::Result<Vec<_>>>()
        })
        .transpose()?
        .unwrap_or_default();
    Ok(Config {
        database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
        db_connections: var("ROADSHOW_DB_CONNECTIONS")
            .map(|v| match v.trim().parse::<u32>() {
                Ok(n) if (1..=1000).contains(&n) => Ok(n),
                _ => Err(anyhow::anyhow!("ROADSHOW_DB_CONNECTIONS: a number from 1 to 1000, not {v:?}")),
            })
            .transpose()?,
        demo_data: var("ROADSHOW_DEMO_DATA").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "no" | "off")),
        secure_cookies: var("ROADSHOW_PUBLIC_URL").is_some_and(|u| u.starts_with("https://")),
        trusted_proxies,
        registrations_per_minute: var("ROADSHOW_REGISTRATIONS_PER_MINUTE")
            .map(|v| v.parse().map_err(|e| anyhow::anyhow!("ROADSHOW_REGISTRATIONS_PER_MINUTE: {e}")))
            .transpose()?
            .unwrap_or(30),
        api_requests_per_minute: var("ROADSHOW_API_REQUESTS_PER_MINUTE")
            .map(|v| match v.trim().parse::<usize>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(anyhow::anyhow!("ROADSHOW_API_REQUESTS_PER_MINUTE: a number from 1, not {v:?}")),
            })
            .transpose()?
            .unwrap_or(600),
        webhooks: webhooks_from_env(&var)?,
        public_url: var("ROADSHOW_PUBLIC_URL")
            .unwrap_or_else(|| DEFAULT_PUBLIC_URL.to_string())
            .trim_end_matches('/')
            .to_string(),
        secret_key: var("ROADSHOW_SECRET_KEY").map(SecretString::from),
        mail: mail_from_env(&var)?,
        files_dir: var("ROADSHOW_FILES_DIR").unwrap_or_else(|| "files".into()).into(),
        workers: var("ROADSHOW_WORKERS").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "no" | "off")),
        follow_up_every: match var("ROADSHOW_FOLLOW_UP_SECONDS") {
            None => Some(Duration::from_secs(60)),
            Some(v) => match v.trim().parse::<u64>().map_err(|e| anyhow::anyhow!("ROADSHOW_FOLLOW_UP_SECONDS: {e}"))? {
                0 => None,
                n => Some(Duration::from_secs(n)),
            },
        },
    })
}

pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:3000";

fn mail_from_env(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<MailConfig> {
    let defaults = MailConfig::default();
    let number = |name: &str| -> anyhow::Result<Option<u64>> {
        var(name).map(|v| v.trim().parse::<u64>().map_err(|e| anyhow::anyhow!("{name}: {e}"))).transpose()
    };
    let (from_name, from_email) = match var("MAIL_FROM") {
        Some(from) => parse_from(&from)?,
        None => (defaults.from_name.clone(), defaults.from_email.clone()),
    };
    Ok(MailConfig {
        smtp_url: var("SMTP_URL").map(SecretString::from),
        smtp_ca_file: var("SMTP_CA_FILE").map(Into::into),
        folder: var("ROADSHOW_MAIL_DIR").map(Into::into).unwrap_or(defaults.folder),
        from_name,
        from_email,
        retry_base: number("ROADSHOW_MAIL_RETRY_SECONDS")?.map(Duration::from_secs).unwrap_or(defaults.retry_base),
        max_attempts: number("ROADSHOW_MAIL_MAX_ATTEMPTS")?
            .map(|n| n.clamp(1, 100) as i32)
            .unwrap_or(defaults.max_attempts),
        concurrency: number("ROADSHOW_MAIL_CONCURRENCY")?
            .map(|n| n.clamp(1, 64) as usize)
            .unwrap_or(defaults.concurrency),
        lease: number("ROADSHOW_MAIL_LEASE_SECONDS")?
            .map(|n| Duration::from_secs(n.clamp(10, 3600)))
            .unwrap_or(defaults.lease),
        dkim: dkim_from_env(var)?,
    })
}

/// `DKIM_SELECTOR` and `DKIM_PRIVATE_KEY_FILE` together switch signing on.
fn dkim_from_env(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Option<DkimKey>> {
    let (Some(selector), Some(path)) = (var("DKIM_SELECTOR"), var("DKIM_PRIVATE_KEY_FILE")) else {
        return Ok(None);
    };
    let key = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("DKIM_PRIVATE_KEY_FILE {path}: {e}"))?;
    let algorithm = var("DKIM_ALGORITHM").unwrap_or_else(|| "rsa".into()).to_lowercase();
    if !matches!(algorithm.as_str(), "rsa" | "ed25519") {
        anyhow::bail!("DKIM_ALGORITHM: rsa or ed25519, not {algorithm}");
    }
    Ok(Some(DkimKey {
        selector,
        domain: var("DKIM_DOMAIN"),
        algorithm,
        private_key: SecretString::from(key.trim().to_string()),
    }))
}

/// `Name <address>` or a bare address.
fn parse_from(value: &str) -> anyhow::Result<(String, String)> {
    let value = value.trim();
    let (name, address) = match (value.find('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => (value[..open].trim().trim_matches('"'), &value[open + 1..close]),
        _ => ("Roadshow", value),
    };
    let address =
        app::domain::Email::parse(address).map_err(|_| anyhow::anyhow!("MAIL_FROM: not an address: {value}"))?;
    Ok((if name.is_empty() { "Roadshow".into() } else { name.to_string() }, address.as_str().to_string()))
}

/// `ROADSHOW_WEBHOOK_RETRY_SECONDS` (the waits before each retry, comma-separated) and
/// `ROADSHOW_WEBHOOK_TIMEOUT_SECONDS`.
fn webhooks_from_env(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<app::state::WebhookConfig> {
    let mut config = app::state::WebhookConfig::default();
    let seconds = |name: &str, v: &str| -> anyhow::Result<Duration> {
        match v.trim().parse::<f64>() {
            Ok(s) if (0.0..=172_800.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
            _ => Err(anyhow::anyhow!("{name}: seconds from 0 to 172800, not {v:?}")),
        }
    };
    if let Some(v) = var("ROADSHOW_WEBHOOK_RETRY_SECONDS") {
        config.retries = v
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| seconds("ROADSHOW_WEBHOOK_RETRY_SECONDS", s))
            .collect::<anyhow::Result<_>>()?;
    }
    if let Some(v) = var("ROADSHOW_WEBHOOK_TIMEOUT_SECONDS") {
        config.timeout = seconds("ROADSHOW_WEBHOOK_TIMEOUT_SECONDS", &v)?.max(Duration::from_millis(100));
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::parse_from;

    #[test]
    fn sender_with_or_without_a_name() {
        assert_eq!(
            parse_from("Hunan Bureau <events@hunan.example>").unwrap(),
            ("Hunan Bureau".into(), "events@hunan.example".into())
        );
        assert_eq!(parse_from("events@hunan.example").unwrap(), ("Roadshow".into(), "events@hunan.example".into()));
        assert!(parse_from("Bureau <nope>").is_err());
    }
}
