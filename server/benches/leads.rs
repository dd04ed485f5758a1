//! The lead list at scale: generates an organization with 100,000 leads (met at the 43
//! stops of a roadshow, with tags, owners, stages, Top-500 and hometown flags), then
//! times the server's list function — the count and the page it answers with — for
//! the filters, searches and orders organizers use. Prints the median and the slowest
//! of 15 runs each.
//!
//! `cargo bench -p server --bench leads` (SQLite in a temporary file; LEADS_BENCH_LEADS
//! sets the number of leads; LEADS_BENCH_URL=postgres://… uses an empty PostgreSQL
//! database instead). `make bench` runs it.

mod sample;

use std::time::{Duration, Instant};

use app::entities::{event, lead, lead_event, lead_tag};
use app::leads::{LeadFilter, Stage};
use chrono::Utc;
use sea_orm::{EntityTrait, Set, TransactionTrait};

const SURNAMES: [&str; 12] =
    ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Müller", "Schmidt", "Okafor", "Dubois"];
const COMPANIES: [&str; 8] =
    ["Sany Heavy Industry", "三一重工", "BYD", "Siemens", "Huawei", "中联重科", "Dangote", "Schneider Electric"];
const REGIONS: [&str; 4] = ["Europe", "Africa", "Shanghai", "Shenzhen"];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("LEADS_BENCH_LEADS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let url = std::env::var("LEADS_BENCH_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("leads.db").display()));
    let db = app::db::connect(&url).await?;
    let (owner, org) =
        app::auth::ssr::create_organization_with_owner(&db, "Bureau", "Owner", "owner@example.com", "bench-password-1")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;

    let started = Instant::now();
    let now = Utc::now();
    let txn = db.begin().await?;
    let mut events = Vec::new();
    for i in 0..43 {
        let saved = event::Entity::insert(sample::stop(org, i, None, REGIONS[i % 4], now)).exec(&txn).await?;
        events.push(saved.last_insert_id);
    }
    txn.commit().await?;

    let mut rng = sample::Rng(0x9E37_79B9_7F4A_7C15);
    for chunk in (0..n).collect::<Vec<_>>().chunks(1_000) {
        let txn = db.begin().await?;
        let leads: Vec<lead::ActiveModel> = chunk
            .iter()
            .map(|i| {
                let stage = Stage::ALL[(rng.below(100) as usize * Stage::ALL.len()) / 100 % Stage::ALL.len()];
                let chains =
                    format!("{},{}", sample::chain(rng.below(10) as usize), sample::chain(rng.below(10) as usize));
                lead::ActiveModel {
                    // Ids set here (a bench-only database) so that events and tags can refer to them.
                    id: Set(*i as i32 + 1),
                    organization_id: Set(org),
                    email: Set(Some(format!("person{i}@company{}.example", i % 997))),
                    name: Set(format!("{} {i}", SURNAMES[rng.below(12) as usize])),
                    job_title: Set("Director".into()),
                    phone: Set(String::new()),
                    language: Set(if i % 3 == 0 { app::i18n::Lang::En } else { app::i18n::Lang::Zh }),
                    company: Set(format!("{} {}", COMPANIES[rng.below(8) as usize], i % 5_000)),
                    country: Set(["CN", "DE", "NG", "FR"][rng.below(4) as usize].into()),
                    sector: Set(String::new()),
                    top500: Set(rng.below(10) == 0),
                    industry_chains: Set(chains),
                    promotion_method: Set(None),
                    hometown_return: Set(rng.below(20) == 0),
                    owner_id: Set((rng.below(4) != 0).then_some(owner)),
                    notes: Set(String::new()),
                    stage: Set(stage),
                    lost_reason: Set(String::new()),
                    consent_data_at: Set(Some(now)),
                    consent_data_version: Set("2026-11".into()),
                    consent_marketing_at: Set(None),
                    consent_source: Set(app::domain::ConsentSource::EventPage),
                    created_at: Set(now - chrono::Duration::seconds(*i as i64)),
                    updated_at: Set(now - chrono::Duration::seconds(rng.below(10_000_000) as i64)),
                }
            })
            .collect();
        lead::Entity::insert_many(leads).exec_without_returning(&txn).await?;
        let ids: Vec<i32> = chunk.iter().map(|i| *i as i32 + 1).collect();
        let mut met = Vec::new();
        let mut tags = Vec::new();
        for id in &ids {
            let mut seen = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let e = events[rng.below(events.len() as u64) as usize];
                if !seen.contains(&e) {
                    seen.push(e);
                    met.push(lead_event::ActiveModel {
                        lead_id: Set(*id),
                        event_id: Set(e),
                        registration_id: Set(None),
                        source: Set(app::domain::MetSource::Import),
                        created_at: Set(now),
                    });
                }
            }
            if rng.below(10) < 3 {
                tags.push(lead_tag::ActiveModel { lead_id: Set(*id), tag: Set(format!("tag{}", rng.below(50))) });
            }
        }
        lead_event::Entity::insert_many(met).exec_without_returning(&txn).await?;
        if !tags.is_empty() {
            lead_tag::Entity::insert_many(tags).exec_without_returning(&txn).await?;
        }
        txn.commit().await?;
    }
    // Table statistics, as PostgreSQL's autovacuum would have gathered them by now (SQLite
    // plans without them the same way).
    {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("ANALYZE").await?;
    }
    println!("generated {n} leads at 43 stops in {:.1} s ({})", started.elapsed().as_secs_f64(), app::db::redact(&url));

    let f = |pairs: &[(&str, &str)]| {
        let mut filter = LeadFilter::default();
        for (k, v) in pairs {
            let v = v.to_string();
            match *k {
                "q" => filter.q = v,
                "stage" => filter.stage = v,
                "tag" => filter.tag = v,
                "event" => filter.event = v,
                "region" => filter.region = v,
                "chain" => filter.chain = v,
                "owner" => filter.owner = v,
                "top500" => filter.top500 = v,
                "sort" => filter.sort = v,
                "page" => filter.page = v,
                _ => unreachable!(),
            }
        }
        filter
    };
    let event = events[7].to_string();
    let scenarios: Vec<(&str, LeadFilter)> = vec![
        ("first page, recently updated", f(&[])),
        ("page 1,000", f(&[("page", "1000")])),
        ("sorted by name", f(&[("sort", "name")])),
        ("sorted by stage", f(&[("sort", "stage")])),
        ("search a name", f(&[("q", "müller 4")])),
        ("search a company (Chinese)", f(&[("q", "三一重工 12")])),
        ("search an email", f(&[("q", "person4242@")])),
        ("stage", f(&[("stage", "intent_signed")])),
        ("one event", f(&[("event", &event)])),
        ("region", f(&[("region", "Africa")])),
        ("industry chain", f(&[("chain", "advanced-equipment")])),
        ("tag", f(&[("tag", "tag7")])),
        ("Top 500 + stage + owner", f(&[("top500", "on"), ("stage", "contacted"), ("owner", &owner.to_string())])),
        ("nobody's leads, by name", f(&[("owner", "none"), ("sort", "name")])),
    ];
    println!("{:<32} {:>9} {:>10} {:>10}", "lead list (count + page of 50)", "matches", "median ms", "max ms");
    let mut worst = Duration::ZERO;
    for (name, filter) in scenarios {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..sample::runs() {
            let t = Instant::now();
            let list = app::leads::ssr::list(&db, org, &filter).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(t.elapsed());
            total = list.total;
        }
        if name.starts_with("first page") {
            anyhow::ensure!(total as usize == n, "the unfiltered list counted {total} of {n} leads");
        }
        times.sort();
        worst = worst.max(times[times.len() - 1]);
        println!(
            "{name:<32} {total:>9} {:>10.1} {:>10.1}",
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3
        );
    }
    println!("slowest of all: {:.1} ms (target: under 100 ms)", worst.as_secs_f64() * 1e3);
    Ok(())
}
