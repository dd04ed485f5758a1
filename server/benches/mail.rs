//! Email delivery throughput: queues N messages (a confirmation with HTML, text and a
//! calendar invitation each) in an SQLite outbox and lets the mail worker deliver them
//! over SMTP to a local aiosmtpd server. Prints messages per second and checks that
//! every recipient got exactly one copy.
//!
//! `cargo bench -p server --bench mail` (MAIL_BENCH_MESSAGES=5000, ROADSHOW_MAIL_CONCURRENCY=16 by
//! default); `make bench` runs it.

mod support;

use app::mail::{
    calendar::{Invitation, Method},
    compose::Composed,
    ssr::{MailSettings, NewMessage, enqueue},
};
use chrono::Utc;
use sea_orm::TransactionTrait;
use secrecy::SecretSlice;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("MAIL_BENCH_MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000);
    let dir = tempfile::tempdir()?;
    let sink = support::Sink::start(dir.path())?;

    let db = app::db::connect(&format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display())).await?;
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
            kind: app::domain::MessageKind::Confirmation,
            to_address: to,
            to_name: format!("Guest {i}"),
            composed,
        };
        enqueue(&txn, &settings, message, now).await?;
    }
    txn.commit().await?;

    let (elapsed, concurrency) = support::deliver_all(&db, &settings, &sink, n).await?;

    let (_, per_recipient) = sink.received()?;
    let exactly_once = support::exactly_once(&per_recipient, n);
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
