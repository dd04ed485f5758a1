//! The meetings' auto-scheduler at the China International Import Expo's scale: one stop
//! with 300 tables, 40 slots of 20 minutes (3 of them breaks), 2,000 participants (400
//! hosts, 1,600 guests), each guest asking 8 hosts (3 in 10 must-meet) and 1 in 20 already
//! holding a meeting. Times the organizer's "propose a schedule" — reading the requests,
//! scheduling, writing the proposal — and checks the proposal apart from the scheduler: no
//! person or table twice in a slot, nobody in a break or in a slot they already hold, every
//! must-meet pair placed or explained. Prints the median and the slowest of 15 runs
//! (BENCH_RUNS) and the share of pairs placed. Then times publishing that proposal once
//! (every pair accepted under the seats' rules, both sides' emails queued) and checks three
//! seats per meeting.
//!
//! `cargo bench -p server --bench schedule` (SQLite in a temporary file;
//! SCHEDULE_BENCH_URL=postgres://… an empty PostgreSQL database instead). `make test` runs it
//! small (SCHEDULE_BENCH_PEOPLE=200, SCHEDULE_BENCH_TABLES=30).

mod sample;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use app::domain::{ConsentSource, MeetingStatus, RegistrationStatus};
use app::entities::{
    event, meeting_host, meeting_programme, meeting_proposal, meeting_request, meeting_seat, meeting_table,
    registration,
};
use app::i18n::Lang;
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait};

const SLOTS: i32 = 40;
const BREAKS: [i32; 3] = [10, 20, 30];
const ASKS: usize = 8;

fn number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter("warn").init();
    let people = number("SCHEDULE_BENCH_PEOPLE", 2_000);
    let tables = number("SCHEDULE_BENCH_TABLES", 300);
    let hosts = people / 5;
    let guests = people - hosts;
    let runs = sample::runs();
    let dir = tempfile::tempdir()?;
    let url = std::env::var("SCHEDULE_BENCH_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("schedule.db").display()));
    let db = app::db::connect(&url).await?;
    let (_, org) =
        app::auth::ssr::create_organization_with_owner(&db, "Bureau", "Owner", "owner@example.com", "bench-password-1")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = Utc::now();
    let mut rng = sample::Rng(0x2545_F491_4F6C_DD1D);

    let txn = db.begin().await?;
    let event_id = event::Entity::insert(sample::stop(org, 0, None, "Shanghai", now)).exec(&txn).await?.last_insert_id;
    meeting_programme::Entity::insert(meeting_programme::ActiveModel {
        event_id: Set(event_id),
        enabled: Set(true),
        first_slot_at: Set(NaiveDate::from_ymd_opt(2030, 11, 5).unwrap().and_hms_opt(9, 0, 0).unwrap()),
        slot_minutes: Set(20),
        slot_count: Set(SLOTS),
        breaks: Set(BREAKS.map(|b| b.to_string()).join(",")),
        request_hours: Set(24 * 365 * 10),
        max_open_requests: Set(100),
        reminder_minutes: Set(15),
        updated_at: Set(now),
    })
    .exec(&txn)
    .await?;
    let table_rows = (0..tables).map(|i| meeting_table::ActiveModel {
        event_id: Set(event_id),
        name: Set(format!("Table {}", i + 1)),
        room: Set(String::new()),
        ..Default::default()
    });
    for chunk in table_rows.collect::<Vec<_>>().chunks(500) {
        meeting_table::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    let host_rows: Vec<_> = (0..hosts)
        .map(|i| meeting_host::ActiveModel {
            event_id: Set(event_id),
            name: Set(format!("Host {i}")),
            organization: Set(format!("County {}", i % 40)),
            unit: Set(String::new()),
            industry_chains: Set(sample::chain(i).into()),
            offer: Set(String::new()),
            email: Set(String::new()),
            language: Set(Lang::Zh),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in host_rows.chunks(500) {
        meeting_host::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    let guest_rows: Vec<_> = (0..guests)
        .map(|i| registration::ActiveModel {
            event_id: Set(event_id),
            email: Set(format!("guest{i}@example.com")),
            name: Set(format!("Guest {i}")),
            phone: Set(String::new()),
            company: Set(String::new()),
            job_title: Set(String::new()),
            country: Set("DE".into()),
            industry_chains: Set(String::new()),
            language: Set(Lang::En),
            status: Set(RegistrationStatus::Confirmed),
            manage_nonce: Set(format!("nonce-{i}")),
            consent_data_at: Set(now),
            consent_data_version: Set("1".into()),
            consent_marketing_at: Set(None),
            consent_source: Set(ConsentSource::EventPage),
            created_at: Set(now),
            updated_at: Set(now),
            checked_in_at: Set(None),
            check_in_code: Set(format!("RS-{i:06}")),
            calendar_sequence: Set(0),
            time_zone: Set(String::new()),
            answers: Set("{}".into()),
            ..Default::default()
        })
        .collect();
    for chunk in guest_rows.chunks(500) {
        registration::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    let host_ids: Vec<i32> = meeting_host::Entity::find()
        .filter(meeting_host::Column::EventId.eq(event_id))
        .all(&db)
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect();
    let guest_ids: Vec<i32> = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .all(&db)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    let table_ids: Vec<i32> = meeting_table::Entity::find()
        .filter(meeting_table::Column::EventId.eq(event_id))
        .all(&db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();

    // Requests: each guest asks ASKS different hosts; 1 in 20 guests already meets their
    // first host in a slot and at a table nobody else holds.
    let txn = db.begin().await?;
    let mut requests = Vec::new();
    let mut accepted = Vec::new();
    let mut seats = Vec::new();
    let mut held: HashSet<(i32, String)> = HashSet::new();
    for (g, guest) in guest_ids.iter().enumerate() {
        let mut asked = Vec::new();
        while asked.len() < ASKS.min(hosts) {
            let host = host_ids[rng.below(hosts as u64) as usize];
            if !asked.contains(&host) {
                asked.push(host);
            }
        }
        for (k, host) in asked.into_iter().enumerate() {
            let meets = g % 20 == 0 && k == 0;
            let slot = 1 + rng.below(SLOTS as u64) as i32;
            let table = table_ids[rng.below(tables as u64) as usize];
            let free = !BREAKS.contains(&slot)
                && [format!("g{guest}"), format!("h{host}"), format!("t{table}")]
                    .iter()
                    .all(|holder| !held.contains(&(slot, holder.clone())));
            let meets = meets && free;
            let row = meeting_request::ActiveModel {
                event_id: Set(event_id),
                host_id: Set(host),
                registration_id: Set(*guest),
                from_host: Set(false),
                must: Set(rng.below(10) < 3),
                message: Set(String::new()),
                status: Set(if meets { MeetingStatus::Accepted } else { MeetingStatus::Pending }),
                slot: Set(meets.then_some(slot)),
                table_id: Set(meets.then_some(table)),
                sequence: Set(0),
                created_at: Set(now),
                expires_at: Set(now + chrono::Duration::days(3650)),
                answered_at: Set(None),
                held_at: Set(None),
                reminded_at: Set(None),
                remind_at: Set(None),
                updated_at: Set(now),
                ..Default::default()
            };
            if meets {
                for holder in [format!("g{guest}"), format!("h{host}"), format!("t{table}")] {
                    held.insert((slot, holder));
                }
                accepted.push((row, slot, *guest, host, table));
            } else {
                requests.push(row);
            }
        }
    }
    for chunk in requests.chunks(500) {
        meeting_request::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    for (row, slot, guest, host, table) in accepted {
        let id = meeting_request::Entity::insert(row).exec(&txn).await?.last_insert_id;
        for holder in [format!("g{guest}"), format!("h{host}"), format!("t{table}")] {
            seats.push(meeting_seat::ActiveModel {
                event_id: Set(event_id),
                slot: Set(slot),
                holder: Set(holder),
                request_id: Set(id),
            });
        }
    }
    for chunk in seats.chunks(500) {
        meeting_seat::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    let pending = requests.len();
    println!(
        "meetings: {tables} tables × {SLOTS} slots ({} breaks), {hosts} hosts + {guests} guests, {pending} requests, {} meetings held before",
        BREAKS.len(),
        seats.len() / 3
    );

    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..runs {
        let started = Instant::now();
        report = Some(app::meetings::ssr::propose(&db, org, event_id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?);
        times.push(started.elapsed());
    }
    let report = report.expect("at least one run");
    times.sort();
    let median = times[times.len() / 2];
    let slowest = *times.last().unwrap_or(&Duration::ZERO);
    verify(&db, event_id, &report).await?;
    let mut reasons: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for u in &report.unplaced {
        *reasons.entry(format!("{:?}", u.reason)).or_default() += 1;
    }
    let share = |placed: u64, total: u64| if total == 0 { 100.0 } else { placed as f64 * 100.0 / total as f64 };
    println!(
        "propose a schedule: median {:.0} ms, slowest {:.0} ms ({runs} runs); must-meet placed {}/{} ({:.1} %), would-like placed {}/{} ({:.1} %); {} pairs explained: {reasons:?}",
        median.as_secs_f64() * 1000.0,
        slowest.as_secs_f64() * 1000.0,
        report.must_placed,
        report.must_total,
        share(report.must_placed, report.must_total),
        report.like_placed,
        report.like_total,
        share(report.like_placed, report.like_total),
        report.unplaced.len(),
    );

    // Publishing the proposal: each pair accepted under the seats' rules, both sides emailed.
    let mail = app::mail::ssr::MailSettings {
        public_url: "https://roadshow.example".into(),
        from_name: "Roadshow".into(),
        from_email: "roadshow@roadshow.example".into(),
        signing_key: secrecy::SecretSlice::from(vec![7u8; 32]),
    };
    let before = app::entities::outbox_message::Entity::find().count(&db).await?;
    let started = Instant::now();
    let published =
        app::meetings::ssr::publish(&db, &mail, org, event_id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let took = started.elapsed();
    let emails = app::entities::outbox_message::Entity::find().count(&db).await? - before;
    let seats = meeting_seat::Entity::find().filter(meeting_seat::Column::EventId.eq(event_id)).count(&db).await?;
    let held = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(meeting_request::Column::Status.eq(MeetingStatus::Accepted))
        .count(&db)
        .await?;
    anyhow::ensure!(seats == held * 3, "three seats per meeting after publishing");
    anyhow::ensure!(published.published + published.refused == report.must_placed + report.like_placed);
    println!(
        "publish the schedule: {:.0} ms (one run); {} meetings accepted, {} refused, {emails} emails queued",
        took.as_secs_f64() * 1000.0,
        published.published,
        published.refused,
    );
    Ok(())
}

/// The proposal, checked from the database alone.
async fn verify(
    db: &sea_orm::DatabaseConnection,
    event_id: i32,
    report: &app::meetings::ScheduleReport,
) -> anyhow::Result<()> {
    let requests: HashMap<i32, meeting_request::Model> = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut taken: HashSet<(i32, String)> = meeting_seat::Entity::find()
        .filter(meeting_seat::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.slot, s.holder))
        .collect();
    let proposals =
        meeting_proposal::Entity::find().filter(meeting_proposal::Column::EventId.eq(event_id)).all(db).await?;
    let mut must_placed = 0;
    for p in &proposals {
        anyhow::ensure!((1..=SLOTS).contains(&p.slot) && !BREAKS.contains(&p.slot), "slot {} is not open", p.slot);
        let r = &requests[&p.request_id];
        anyhow::ensure!(r.status == MeetingStatus::Pending, "a proposal for a request not pending");
        for holder in [format!("g{}", r.registration_id), format!("h{}", r.host_id), format!("t{}", p.table_id)] {
            anyhow::ensure!(taken.insert((p.slot, holder.clone())), "{holder} twice in slot {}", p.slot);
        }
        must_placed += u64::from(r.must);
    }
    let must_total = requests.values().filter(|r| r.must && r.status == MeetingStatus::Pending).count() as u64;
    anyhow::ensure!(must_placed == report.must_placed, "must-meet placed: {must_placed} in the database");
    let explained = report.unplaced.iter().filter(|u| u.must).count() as u64;
    anyhow::ensure!(must_placed + explained == must_total, "every must-meet pair placed or explained");
    anyhow::ensure!(proposals.len() as u64 == report.must_placed + report.like_placed, "every placed pair proposed");
    Ok(())
}
