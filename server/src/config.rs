//! Configuration from the environment, with defaults that run the whole product on a
//! fresh machine: an SQLite file in the working folder and the demo roadshow.

use std::net::IpAddr;

use app::state::Config;

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
        demo_data: var("ROADSHOW_DEMO_DATA").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "no" | "off")),
        secure_cookies: var("ROADSHOW_PUBLIC_URL").is_some_and(|u| u.starts_with("https://")),
        trusted_proxies,
        registrations_per_minute: var("ROADSHOW_REGISTRATIONS_PER_MINUTE")
            .map(|v| v.parse().map_err(|e| anyhow::anyhow!("ROADSHOW_REGISTRATIONS_PER_MINUTE: {e}")))
            .transpose()?
            .unwrap_or(30),
    })
}
