//! What the lead-list and dashboard benchmarks share: a generator that gives every run the
//! same data, and a completed stop of a roadshow.

use app::entities::event;
use app::events::IndustryChain;
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::Set;

/// A small deterministic generator (xorshift), so every run measures the same data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The `i`-th stop, in 2023 (spread over the months), in `region`, of the `i % 10`-th
/// industry chain, costing 100,000 yuan and 5,000 more per stop before it.
pub fn stop(org: i32, i: usize, roadshow_id: Option<i32>, region: &str, now: DateTime<Utc>) -> event::ActiveModel {
    let starts = Utc.with_ymd_and_hms(2023, 1 + (i % 12) as u32, 1 + (i % 27) as u32, 9, 0, 0).unwrap();
    event::ActiveModel {
        organization_id: Set(org),
        roadshow_id: Set(roadshow_id),
        slug: Set(format!("stop-{i}")),
        title_zh: Set(format!("推介会 {i}")),
        title_en: Set(format!("Stop {i}")),
        description_zh: Set(String::new()),
        description_en: Set(String::new()),
        city: Set("City".into()),
        country: Set("CN".into()),
        region: Set(region.into()),
        venue_name: Set("Hall".into()),
        venue_address: Set(String::new()),
        time_zone: Set("Asia/Shanghai".into()),
        starts_at: Set(starts),
        ends_at: Set(starts + chrono::Duration::hours(4)),
        capacity: Set(500),
        registration_opens_at: Set(None),
        registration_closes_at: Set(None),
        visibility: Set(app::domain::Visibility::Public),
        status: Set(app::domain::EventStatus::Completed),
        industry_chains: Set(chain(i).into()),
        cost_yuan: Set(100_000 + i as i64 * 5_000),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// The `i % 10`-th industry chain's slug.
pub fn chain(i: usize) -> &'static str {
    IndustryChain::ALL[i % IndustryChain::ALL.len()].slug()
}

/// Timed runs per measurement: 15, or `BENCH_RUNS` (`make test` runs each once).
pub fn runs() -> usize {
    std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(15)
}
