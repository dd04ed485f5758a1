//! A 10,000-recipient campaign, end to end: leads in an SQLite database, a bilingual
//! Markdown template, the campaign written to the outbox by the scheduler (merge fields,
//! unsubscribe token and headers for each lead), then delivered by the mail worker over
//! SMTP to a local aiosmtpd server. Prints both rates and checks that every recipient
//! got exactly one email, carrying its one-click unsubscribe headers.
//!
//! `cargo bench -p server --bench campaign` (CAMPAIGN_BENCH_RECIPIENTS=10000,
//! ROADSHOW_MAIL_CONCURRENCY=16 by default); `./scripts/bench.sh campaign` runs it.

mod support;

use std::time::Instant;

use app::entities::{campaign, lead, mail_template};
use app::mail::ssr::MailSettings;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};
use secrecy::SecretSlice;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("CAMPAIGN_BENCH_RECIPIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
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
    // As the app makes one, every column set (a bench that wrote its own row broke when a
    // column was added).
    let org_id = app::auth::ssr::insert_organization(&db, "Hunan Investment Promotion Bureau").await?;
    let txn = db.begin().await?;
    let leads: Vec<lead::ActiveModel> = (0..n)
        .map(|i| lead::ActiveModel {
            organization_id: Set(org_id),
            email: Set(Some(format!("lead{i}@example.com"))),
            name: Set(format!("Lead {i}")),
            job_title: Set(String::new()),
            phone: Set(String::new()),
            language: Set(if i % 3 == 0 { app::i18n::Lang::En } else { app::i18n::Lang::Zh }),
            company: Set(format!("Company {i}")),
            country: Set(String::new()),
            sector: Set(String::new()),
            top500: Set(false),
            industry_chains: Set(String::new()),
            promotion_method: Set(None),
            hometown_return: Set(false),
            owner_id: Set(None),
            notes: Set(String::new()),
            stage: Set(app::domain::Stage::Contacted),
            lost_reason: Set(String::new()),
            consent_data_at: Set(None),
            consent_data_version: Set(String::new()),
            consent_marketing_at: Set(None),
            consent_source: Set(app::domain::ConsentSource::Import),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in leads.chunks(1_000) {
        lead::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    let template = mail_template::ActiveModel {
        organization_id: Set(org_id),
        name: Set("Invitation".into()),
        subject_zh: Set("{{name}}，诚邀您参加湖南投资推介".into()),
        body_zh: Set("{{name}}您好：\n\n感谢**{{company}}**一直以来的关注。\n\n- 先进装备制造\n- 电子信息\n\n{{signature}}".repeat(3)),
        subject_en: Set("{{name}}, you are invited: Invest in Hunan".into()),
        body_en: Set("Dear {{name}},\n\nThank you for **{{company}}**'s interest.\n\n- Advanced equipment\n- Electronic information\n\n{{signature}}".repeat(3)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    campaign::ActiveModel {
        organization_id: Set(org_id),
        template_id: Set(template.id),
        name: Set("Bench".into()),
        filter: Set("{}".into()),
        status: Set(app::domain::CampaignStatus::Scheduled),
        send_at: Set(Some(now)),
        recipients: Set(n as i32),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;

    let started = Instant::now();
    let queued = app::campaigns::ssr::run_due(&db, &settings, Utc::now()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let writing = started.elapsed();
    anyhow::ensure!(queued as usize == n, "{queued} of {n} queued");

    let (sending, concurrency) = support::deliver_all(&db, &settings, &sink, n).await?;

    let (messages, per_recipient) = sink.received()?;
    let with_headers = messages
        .iter()
        .filter(|raw| {
            raw.contains("\nList-Unsubscribe: <https://roadshow.example/unsubscribe/")
                && raw.contains("\nList-Unsubscribe-Post: List-Unsubscribe=One-Click")
        })
        .count();
    let exactly_once = support::exactly_once(&per_recipient, n);
    println!(
        "campaign: {n} recipients written to the outbox in {:.2} s ({:.0}/s); delivered over SMTP \
         ({concurrency} pooled connections) in {:.2} s = {:.0} messages/s; whole campaign {:.2} s; \
         {} recipients, each exactly once: {exactly_once}; with unsubscribe headers: {with_headers}",
        writing.as_secs_f64(),
        n as f64 / writing.as_secs_f64(),
        sending.as_secs_f64(),
        n as f64 / sending.as_secs_f64(),
        (writing + sending).as_secs_f64(),
        per_recipient.len(),
    );
    anyhow::ensure!(exactly_once, "some recipient got no copy or more than one");
    anyhow::ensure!(with_headers == n, "{with_headers} of {n} carried the unsubscribe headers");
    Ok(())
}
