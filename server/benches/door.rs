//! What "prepare for offline" downloads at a stop of 5,000 guests (DOOR_BENCH_GUESTS):
//! every guest's check-in code, name (Chinese and Latin, as the demo's guests write them)
//! and company, with the seat counts. Prints the time to read it (median and slowest of 15
//! runs, BENCH_RUNS) and its size as JSON, and compressed as the server sends it (brotli at
//! tower-http's default quality 4, gzip at level 6), and checks that it carries every guest
//! and no email address.
//!
//! `cargo bench -p server --bench door` (SQLite in a temporary file; DOOR_BENCH_URL=
//! postgres://… an empty PostgreSQL database instead). `make test` runs it small.

mod sample;

use std::io::Write as _;
use std::time::{Duration, Instant};

use app::domain::{ConsentSource, RegistrationStatus};
use app::entities::{event, registration};
use app::i18n::Lang;
use chrono::Utc;
use sea_orm::{EntityTrait, Set, TransactionTrait};

const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"];
const GIVEN: [&str; 8] = ["芳", "伟", "敏", "静", "强", "磊", "洋", "艳"];
const LATIN: [&str; 8] = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao"];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter("warn").init();
    let guests: usize = std::env::var("DOOR_BENCH_GUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000);
    let runs = sample::runs();
    let dir = tempfile::tempdir()?;
    let url = std::env::var("DOOR_BENCH_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("door.db").display()));
    let db = app::db::connect(&url).await?;
    let (_, org) =
        app::auth::ssr::create_organization_with_owner(&db, "Bureau", "Owner", "owner@example.com", "bench-password-1")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = Utc::now();
    let mut rng = sample::Rng(0x9E37_79B9_7F4A_7C15);
    let txn = db.begin().await?;
    let mut stop = sample::stop(org, 0, None, "Shenzhen", now);
    stop.capacity = Set(guests as i32);
    let event_id = event::Entity::insert(stop).exec(&txn).await?.last_insert_id;
    let rows: Vec<registration::ActiveModel> = (0..guests)
        .map(|i| {
            let (s, g) = (rng.below(8) as usize, rng.below(8) as usize);
            registration::ActiveModel {
                event_id: Set(event_id),
                email: Set(format!("guest{i}@example.com")),
                name: Set(format!("{}{} {} {i}", SURNAMES[s], GIVEN[g], LATIN[s])),
                phone: Set("+86 138 0000 0000".into()),
                company: Set(format!("深圳市湘商产业投资有限公司 Shenzhen Hunan Industry Investment Co., Ltd. {i}")),
                job_title: Set("总经理 General Manager".into()),
                country: Set("CN".into()),
                industry_chains: Set(String::new()),
                language: Set(Lang::Zh),
                status: Set(if i % 20 == 19 { RegistrationStatus::Waitlisted } else { RegistrationStatus::Confirmed }),
                manage_nonce: Set(format!("nonce-{i}")),
                consent_data_at: Set(now),
                consent_data_version: Set("1".into()),
                consent_marketing_at: Set(None),
                consent_source: Set(ConsentSource::EventPage),
                created_at: Set(now),
                updated_at: Set(now),
                checked_in_at: Set((i % 3 == 0).then_some(now)),
                check_in_code: Set(app::registrations::ssr::new_check_in_code()),
                calendar_sequence: Set(0),
                time_zone: Set(String::new()),
                answers: Set("{}".into()),
                ..Default::default()
            }
        })
        .collect();
    for chunk in rows.chunks(500) {
        registration::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;

    let mut times = Vec::with_capacity(runs);
    let mut json = String::new();
    for _ in 0..runs {
        let started = Instant::now();
        let pack = app::door::ssr::pack(&db, org, event_id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        json = serde_json::to_string(&pack)?;
        times.push(started.elapsed());
        anyhow::ensure!(pack.guests.len() == guests, "{} guests of {guests}", pack.guests.len());
    }
    anyhow::ensure!(!json.contains('@'), "an email address in the pack");
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut brotli_bytes = Vec::new();
    brotli::BrotliCompress(
        &mut json.as_bytes(),
        &mut brotli_bytes,
        &brotli::enc::BrotliEncoderParams { quality: 4, ..Default::default() },
    )?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    gzip.write_all(json.as_bytes())?;
    let gzip_bytes = gzip.finish()?;
    println!(
        "door: prepare for {guests} guests: median {:.1} ms, slowest {:.1} ms ({runs} runs); {} B as JSON, {} B brotli, {} B gzip",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        json.len(),
        brotli_bytes.len(),
        gzip_bytes.len(),
    );
    Ok(())
}
