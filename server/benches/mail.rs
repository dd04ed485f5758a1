//! Email delivery throughput: queues N messages (a confirmation with HTML, text and a
//! calendar invitation each) in an SQLite outbox and lets the mail worker deliver them
//! over SMTP to a local aiosmtpd server. Prints messages per second and checks that
//! every recipient got exactly one copy.
//!
//! `cargo bench -p server --bench mail` (MAIL_BENCH_MESSAGES=5000, ROADSHOW_MAIL_CONCURRENCY=16 by
//! default); `make bench` runs it.

use std::{collections::HashMap, io::BufRead, sync::Arc, time::Instant};

use app::mail::{
    calendar::{Invitation, Method},
    compose::Composed,
    ssr::{MailSettings, NewMessage, enqueue},
};
use app::state::MailConfig;
use chrono::Utc;
use sea_orm::TransactionTrait;
use secrecy::{SecretSlice, SecretString};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("MAIL_BENCH_MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let received = dir.path().join("received");
    let mut sink = std::process::Command::new(root.join(".tools/smtp-venv/bin/python"))
        .arg(root.join("scripts/smtp_sink.py"))
        .args(["--port", &port.to_string(), "--dir"])
        .arg(&received)
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    std::io::BufReader::new(sink.stdout.take().expect("stdout")).read_line(&mut line)?;
    anyhow::ensure!(line.starts_with("READY"), "SMTP sink did not start");

    let db = app::state::connect(&format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display())).await?;
    let settings = MailSettings {
        public_url: "https://roadshow.example".into(),
        from_name: "Hunan Investment Promotion Bureau".into(),
        from_email: "events@roadshow.example".into(),
        signing_key: SecretSlice::from(vec![7u8; 32]),
    };
    let now = Utc::now();
    let txn = db.begin().await?;
    for i in 0..n {
        let to = format!("guest{i}@example.com");
        let ics = Invitation {
            method: Method::Request,
            uid: &format!("registration-{i}@roadshow.example"),
            sequence: 0,
            stamp: now,
            starts_at: now + chrono::Duration::days(30),
            ends_at: now + chrono::Duration::days(30) + chrono::Duration::hours(3),
            summary: "岳阳（法兰克福）先进装备制造产业链招商推介会",
            location: "Frankfurt Marriott Hotel, Hamburger Allee 2, Frankfurt",
            description: "https://roadshow.example/e/frankfurt",
            url: "https://roadshow.example/e/frankfurt",
            organizer_name: "Hunan Investment Promotion Bureau",
            organizer_email: "events@roadshow.example",
            attendee_name: "Guest",
            attendee_email: &to,
        }
        .to_ics();
        let composed = Composed {
            subject: "报名成功：岳阳（法兰克福）先进装备制造产业链招商推介会".into(),
            text: "您的席位已确认。\n".repeat(40),
            html: format!("<p>{}</p>", "Your seat is confirmed. ".repeat(80)),
            calendar: Some((Method::Request, ics)),
        };
        let message = NewMessage {
            organization_id: None,
            registration_id: None,
            kind: "confirmation",
            to_address: to,
            to_name: format!("Guest {i}"),
            composed,
        };
        enqueue(&txn, &settings, message, now).await?;
    }
    txn.commit().await?;

    let defaults = MailConfig::default();
    let config = MailConfig {
        smtp_url: Some(SecretString::from(format!("smtp://127.0.0.1:{port}"))),
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
    let elapsed = started.elapsed();

    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for entry in std::fs::read_dir(&received)? {
        let raw = std::fs::read_to_string(entry?.path())?;
        let to = raw.lines().find_map(|l| l.strip_prefix("To: ")).unwrap_or_default();
        let address = to.rsplit('<').next().unwrap_or(to).trim_end_matches('>').to_string();
        *per_recipient.entry(address).or_default() += 1;
    }
    let _ = sink.kill();
    let exactly_once = per_recipient.len() == n && per_recipient.values().all(|c| *c == 1);
    println!(
        "mail: {n} messages over SMTP ({concurrency} pooled connections) in {:.2} s = {:.0} messages/s; \
         {} recipients, each exactly once: {exactly_once}",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        per_recipient.len(),
    );
    anyhow::ensure!(exactly_once, "some recipient got no copy or more than one");
    Ok(())
}
