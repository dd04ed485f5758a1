//! The leaders' dashboard at scale: generates an organization with 40 units, 200 stops in 5
//! roadshows, 100,000 leads (met at 1–3 stops each), 5,000 signed projects with about
//! 10,000 tranches of funds, targets and trips, then times the server's dashboard function
//! for several periods, a roadshow, each credit model and verified funds only, and the
//! weekly ranking snapshot. Prints the median and the slowest of 15 runs each (BENCH_RUNS).
//!
//! `cargo bench -p server --bench dashboard` (SQLite in a temporary file;
//! DASHBOARD_BENCH_URL=postgres://… uses an empty PostgreSQL database instead).
//! `make bench` runs it on both.

mod sample;

use std::time::{Duration, Instant};

use app::dashboard::DashboardQuery;
use app::domain::{ConsentSource, MetSource, PromotionMethod, Stage, UnitKind};
use app::entities::{event, funding_tranche, lead, lead_event, project, roadshow, trip, unit, unit_target};
use chrono::{Duration as Days, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set, TransactionTrait};

const REGIONS: [&str; 5] = ["Europe", "Africa", "Shanghai", "Shenzhen", "Beijing"];
const UNITS: usize = 40;
const EVENTS: usize = 200;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + Days::days(offset as i64)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter("warn").init();
    // DASHBOARD_BENCH_LEADS=2000 is `make test`'s small run (one project per 20 leads).
    let leads: usize = std::env::var("DASHBOARD_BENCH_LEADS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let projects = leads / 20;
    let runs = sample::runs();
    let dir = tempfile::tempdir()?;
    let url = std::env::var("DASHBOARD_BENCH_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("dashboard.db").display()));
    let db = app::db::connect(&url).await?;
    let (_, org) =
        app::auth::ssr::create_organization_with_owner(&db, "Bureau", "Owner", "owner@example.com", "bench-password-1")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let started = Instant::now();
    let now = Utc::now();
    let mut rng = sample::Rng(0x9E37_79B9_7F4A_7C15);

    let txn = db.begin().await?;
    let mut units = Vec::new();
    for i in 0..UNITS {
        let saved = unit::Entity::insert(unit::ActiveModel {
            organization_id: Set(org),
            parent_id: Set(None),
            kind: Set(if i < 13 { UnitKind::County } else { UnitKind::Township }),
            name_zh: Set(format!("单位{i:02}")),
            name_en: Set(format!("Unit {i:02}")),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        units.push(saved.last_insert_id);
    }
    let mut roadshows = Vec::new();
    for r in 0..5 {
        let saved = roadshow::Entity::insert(roadshow::ActiveModel {
            organization_id: Set(org),
            name: Set(format!("Roadshow {r}")),
            year: Set(2023),
            description: Set(String::new()),
            target_events: Set(40),
            target_leads: Set(1000),
            target_projects: Set(100),
            target_amount_cny: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        roadshows.push(saved.last_insert_id);
    }
    let mut events = Vec::new();
    for i in 0..EVENTS {
        let saved =
            event::Entity::insert(sample::stop(org, i, Some(roadshows[i % 5]), REGIONS[i % 5], now)).exec(&txn).await?;
        events.push(saved.last_insert_id);
    }
    for u in &units {
        unit_target::Entity::insert(unit_target::ActiveModel {
            organization_id: Set(org),
            unit_id: Set(*u),
            year: Set(2023),
            quarter: Set(0),
            projects: Set(Some(130)),
            signed_yuan: Set(Some(6_000_000_000)),
            funds_yuan: Set(Some(2_500_000_000)),
            top500: Set(Some(10)),
            hometown: Set(Some(15)),
            started: Set(Some(60)),
            trips: Set(Some(12)),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        let trips: Vec<trip::ActiveModel> = (0..12)
            .map(|m| trip::ActiveModel {
                organization_id: Set(org),
                unit_id: Set(*u),
                event_id: Set(None),
                destination: Set("Shenzhen".into()),
                starts_on: Set(NaiveDate::from_ymd_opt(2023, m + 1, 10).unwrap()),
                ends_on: Set(NaiveDate::from_ymd_opt(2023, m + 1, 12).unwrap()),
                travellers: Set("A, B".into()),
                companies: Set(String::new()),
                notes: Set(String::new()),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        trip::Entity::insert_many(trips).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;

    for chunk in (0..leads).collect::<Vec<_>>().chunks(1_000) {
        let txn = db.begin().await?;
        let leads: Vec<lead::ActiveModel> = chunk
            .iter()
            .map(|i| lead::ActiveModel {
                id: Set(*i as i32 + 1),
                organization_id: Set(org),
                email: Set(Some(format!("person{i}@example.com"))),
                name: Set(format!("Person {i}")),
                job_title: Set(String::new()),
                phone: Set(String::new()),
                language: Set(app::i18n::Lang::Zh),
                company: Set(format!("Company {}", i % 7_000)),
                country: Set("CN".into()),
                sector: Set(String::new()),
                top500: Set(rng.below(30) == 0),
                industry_chains: Set(sample::chain(rng.below(10) as usize).into()),
                promotion_method: Set(Some(PromotionMethod::ALL[rng.below(5) as usize])),
                hometown_return: Set(rng.below(4) == 0),
                owner_id: Set(None),
                notes: Set(String::new()),
                stage: Set(Stage::ALL[rng.below(Stage::ALL.len() as u64) as usize]),
                lost_reason: Set(String::new()),
                consent_data_at: Set(Some(now)),
                consent_data_version: Set("2026-11".into()),
                consent_marketing_at: Set(None),
                consent_source: Set(ConsentSource::EventPage),
                created_at: Set(
                    Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(*i as i64 * 4)
                ),
                updated_at: Set(now),
            })
            .collect();
        lead::Entity::insert_many(leads).exec_without_returning(&txn).await?;
        let mut met = Vec::new();
        for i in chunk {
            let mut seen = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let e = events[rng.below(EVENTS as u64) as usize];
                if !seen.contains(&e) {
                    seen.push(e);
                    met.push(lead_event::ActiveModel {
                        lead_id: Set(*i as i32 + 1),
                        event_id: Set(e),
                        registration_id: Set(None),
                        source: Set(MetSource::Import),
                        created_at: Set(now),
                    });
                }
            }
        }
        lead_event::Entity::insert_many(met).exec_without_returning(&txn).await?;
        txn.commit().await?;
    }

    let txn = db.begin().await?;
    for chunk in (0..projects).collect::<Vec<_>>().chunks(500) {
        let mut projects = Vec::new();
        let mut tranches = Vec::new();
        for i in chunk {
            let id = *i as i32 + 1;
            let signed = day(rng.below(365));
            let started = (rng.below(3) > 0).then(|| signed + Days::days(30 + rng.below(200) as i64));
            projects.push(project::ActiveModel {
                id: Set(id),
                // Every 20th lead signs a project.
                lead_id: Set((*i * 20) as i32 + 1),
                name: Set(format!("Project {i}")),
                industry_chain: Set(sample::chain(rng.below(10) as usize).into()),
                location: Set(String::new()),
                planned_investment: Set(((1 + rng.below(5_000)) * 1_000_000) as i64),
                signed_on: Set(Some(signed)),
                unit_id: Set(Some(units[rng.below(UNITS as u64) as usize])),
                credit_code: Set(None),
                registered_on: Set((rng.below(10) == 0).then(|| signed + Days::days(10))),
                started_on: Set(started),
                producing_on: Set(started.filter(|_| rng.below(3) == 0).map(|s| s + Days::days(120))),
                planned_start_on: Set(started.is_none().then(|| signed + Days::days(90))),
                planned_production_on: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            for t in 0..rng.below(4) {
                tranches.push(funding_tranche::ActiveModel {
                    project_id: Set(id),
                    amount: Set(((1 + rng.below(500)) * 1_000_000) as i64),
                    received_on: Set(signed + Days::days(20 + 30 * t as i64)),
                    entered_by: Set(None),
                    verified_by: Set(None),
                    verified_at: Set((rng.below(2) == 0).then_some(now)),
                    proof_kind: Set(None),
                    proof_size: Set(None),
                    proof_key: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                });
            }
        }
        project::Entity::insert_many(projects).exec_without_returning(&txn).await?;
        if !tranches.is_empty() {
            funding_tranche::Entity::insert_many(tranches).exec_without_returning(&txn).await?;
        }
    }
    txn.commit().await?;
    if url.starts_with("postgres") {
        // The explicit ids above leave the sequences behind.
        db.execute_unprepared("SELECT setval('project_id_seq', (SELECT MAX(id) FROM project))").await?;
    }
    db.execute_unprepared("ANALYZE").await?;
    println!(
        "generated {UNITS} units, {EVENTS} stops, {leads} leads, {projects} projects in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        app::db::redact(&url)
    );

    let today = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
    let q = |from: &str, to: &str, roadshow: &str, credit: &str, funds: &str| DashboardQuery {
        from: from.into(),
        to: to.into(),
        roadshow: roadshow.into(),
        credit: credit.into(),
        funds: funds.into(),
    };
    let first_roadshow = roadshows[0].to_string();
    let scenarios = vec![
        ("year so far, first touch", q("", "", "", "", "")),
        ("year so far, last touch", q("", "", "", "last", "")),
        ("year so far, even split", q("", "", "", "even", "")),
        ("Jan–Aug, verified funds", q("2023-01-01", "2023-08-31", "", "first", "verified")),
        ("one quarter", q("2023-04-01", "2023-06-30", "", "even", "all")),
        ("one roadshow, even split", q("", "", &first_roadshow, "even", "")),
    ];
    println!("{:<28} {:>9} {:>10} {:>10}", "dashboard (server time)", "projects", "median ms", "max ms");
    let mut worst = Duration::ZERO;
    for (name, query) in scenarios {
        let mut times = Vec::new();
        let mut projects = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let d =
                app::dashboard::ssr::dashboard(&db, org, &query, today).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(t.elapsed());
            projects = d.headline.figures.projects;
        }
        anyhow::ensure!(projects > 0, "{name}: the dashboard counted no project of the {} generated", leads / 20);
        times.sort();
        let median = times[times.len() / 2];
        worst = worst.max(median);
        println!(
            "{name:<28} {projects:>9} {:>10.1} {:>10.1}",
            median.as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3
        );
    }
    println!("slowest median: {:.1} ms (target: at most 150 ms)", worst.as_secs_f64() * 1e3);
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        app::dashboard::ssr::snapshot_week(&db, org, today).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "weekly ranking snapshot: median {:.1} ms, max {:.1} ms (target: at most 1 s)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
    Ok(())
}
