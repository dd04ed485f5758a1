//! What the email benchmarks share: a local aiosmtpd server storing what it receives, the
//! mail worker delivering an outbox to it, and the received messages by recipient.

use std::{collections::HashMap, io::BufRead, path::PathBuf, sync::Arc, time::Duration, time::Instant};

use app::mail::ssr::MailSettings;
use app::state::MailConfig;
use secrecy::SecretString;

/// `scripts/smtp_sink.py` on a free port, writing each message into `received`.
pub struct Sink {
    port: u16,
    received: PathBuf,
    child: std::process::Child,
}

impl Sink {
    pub fn start(dir: &std::path::Path) -> anyhow::Result<Sink> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let received = dir.join("received");
        let mut child = std::process::Command::new(root.join(".tools/smtp-venv/bin/python"))
            .arg(root.join("scripts/smtp_sink.py"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(&received)
            // One Python process tops out near 350 messages/s; several share the port so
            // that the benchmark measures the worker (MAIL_BENCH_SINK_PROCESSES, default 1).
            .args(["--processes", &std::env::var("MAIL_BENCH_SINK_PROCESSES").unwrap_or_else(|_| "1".into())])
            .stdout(std::process::Stdio::piped())
            .spawn()?;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line)?;
        anyhow::ensure!(line.starts_with("READY"), "SMTP sink did not start");
        Ok(Sink { port, received, child })
    }

    /// Every message received, as text, and how many each recipient got.
    pub fn received(&self) -> anyhow::Result<(Vec<String>, HashMap<String, usize>)> {
        let mut messages = Vec::new();
        let mut per_recipient: HashMap<String, usize> = HashMap::new();
        for entry in std::fs::read_dir(&self.received)? {
            let raw = std::fs::read_to_string(entry?.path())?;
            let to = raw.lines().find_map(|l| l.strip_prefix("To: ")).unwrap_or_default();
            let address = to.rsplit('<').next().unwrap_or(to).trim_end_matches('>').to_string();
            *per_recipient.entry(address).or_default() += 1;
            messages.push(raw);
        }
        Ok((messages, per_recipient))
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Delivers the `n` messages of the outbox to `sink` with the mail worker
/// (`ROADSHOW_MAIL_CONCURRENCY` pooled connections, 16 by default); returns how long it
/// took and the concurrency.
pub async fn deliver_all(
    db: &sea_orm::DatabaseConnection,
    settings: &MailSettings,
    sink: &Sink,
    n: usize,
) -> anyhow::Result<(Duration, usize)> {
    let defaults = MailConfig::default();
    let config = MailConfig {
        smtp_url: Some(SecretString::from(format!("smtp://127.0.0.1:{}", sink.port))),
        from_name: settings.from_name.clone(),
        from_email: settings.from_email.clone(),
        concurrency: std::env::var("ROADSHOW_MAIL_CONCURRENCY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(defaults.concurrency),
        ..defaults
    };
    let concurrency = config.concurrency;
    let worker = Arc::new(server::mail::Worker::new(
        db.clone(),
        config,
        settings.public_url.clone(),
        Arc::new(tokio::sync::Notify::new()),
    )?);
    let started = Instant::now();
    let mut delivered = 0;
    while delivered < n {
        let handled = worker.run_once().await?;
        anyhow::ensure!(handled > 0, "the worker stopped with {delivered} of {n} handled");
        delivered += handled;
    }
    Ok((started.elapsed(), concurrency))
}

/// Every one of `n` recipients got exactly one message.
pub fn exactly_once(per_recipient: &HashMap<String, usize>, n: usize) -> bool {
    per_recipient.len() == n && per_recipient.values().all(|c| *c == 1)
}
