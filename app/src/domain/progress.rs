//! A signed project's progress as the leaders' figures read it: how big it is, and how
//! late its start or production is against the planned date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::i18n::texts_of;

/// Days past a planned date after which a late project is red, unless the organization
/// says otherwise.
pub const DEFAULT_OVERDUE_RED_DAYS: i32 = 90;

/// The weights of the seven target figures in a unit's score until an owner sets them
/// (`dashboard::ScoreWeights`, stored comma-separated): all equal.
pub const DEFAULT_SCORE_WEIGHTS: &str = "1,1,1,1,1,1,1";

/// 亿元 (CNY 100 million) in yuan.
pub const YI: i64 = 100_000_000;

/// The size classes the reports count signed projects in: at least 10, 50 or 100 亿元.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BigTier {
    Ten,
    Fifty,
    Hundred,
}

impl BigTier {
    pub const ALL: [BigTier; 3] = [BigTier::Ten, BigTier::Fifty, BigTier::Hundred];

    /// The lower bound of the class, in yuan.
    pub fn floor(self) -> i64 {
        match self {
            BigTier::Ten => 10 * YI,
            BigTier::Fifty => 50 * YI,
            BigTier::Hundred => 100 * YI,
        }
    }

    /// The largest class a planned investment of `yuan` reaches, if any.
    pub fn of(yuan: i64) -> Option<BigTier> {
        BigTier::ALL.into_iter().rev().find(|t| yuan >= t.floor())
    }
}

texts_of! {
    /// The class's badge on a project.
    impl BigTier, fn label;
    Ten: "10亿元以上", "≥ 1 bn yuan";
    Fifty: "50亿元以上", "≥ 5 bn yuan";
    Hundred: "100亿元以上", "≥ 10 bn yuan";
}

/// How late a milestone is: yellow from the day after the planned date, red from
/// `red_days` days past it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lateness {
    Yellow,
    Red,
}

/// The milestones a project is planned to reach after signing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Milestone {
    /// Construction started (开工).
    Start,
    /// In production (投产).
    Production,
}

texts_of! {
    impl Lateness, fn label;
    Yellow: "逾期", "Overdue";
    Red: "严重逾期", "Long overdue";
}

texts_of! {
    impl Milestone, fn label;
    Start: "开工", "Construction start";
    Production: "投产", "Production";
}

/// A milestone not reached by its planned date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    pub milestone: Milestone,
    pub lateness: Lateness,
    /// Days past the planned date, at least 1.
    pub days: i64,
}

impl Overdue {
    /// `None` while the milestone is reached (`done`), unplanned, or not yet due: a project
    /// planned to start on a day is on time that whole day.
    pub fn of(
        milestone: Milestone,
        planned: Option<NaiveDate>,
        done: Option<NaiveDate>,
        today: NaiveDate,
        red_days: i64,
    ) -> Option<Overdue> {
        let planned = planned.filter(|_| done.is_none())?;
        let days = (today - planned).num_days();
        (days >= 1).then(|| Overdue {
            milestone,
            lateness: if days >= red_days.max(1) { Lateness::Red } else { Lateness::Yellow },
            days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_project_is_counted_in_the_largest_class_it_reaches() {
        assert_eq!(BigTier::of(10 * YI - 1), None);
        assert_eq!(BigTier::of(10 * YI), Some(BigTier::Ten));
        assert_eq!(BigTier::of(50 * YI - 1), Some(BigTier::Ten));
        assert_eq!(BigTier::of(50 * YI), Some(BigTier::Fifty));
        assert_eq!(BigTier::of(100 * YI), Some(BigTier::Hundred));
        assert_eq!(BigTier::of(0), None);
    }

    #[test]
    fn lateness_turns_yellow_the_day_after_and_red_at_the_configured_days() {
        let planned = Some(day("2026-03-01"));
        let at = |today: &str, red: i64| Overdue::of(Milestone::Start, planned, None, day(today), red);
        assert_eq!(at("2026-02-28", 90), None, "before the planned day");
        assert_eq!(at("2026-03-01", 90), None, "on the planned day: on time");
        let yellow = at("2026-03-02", 90).unwrap();
        assert_eq!((yellow.lateness, yellow.days), (Lateness::Yellow, 1));
        // 2026-03-01 + 89 days = 2026-05-29; + 90 days = 2026-05-30.
        assert_eq!(at("2026-05-29", 90).map(|o| (o.lateness, o.days)), Some((Lateness::Yellow, 89)));
        assert_eq!(at("2026-05-30", 90).map(|o| (o.lateness, o.days)), Some((Lateness::Red, 90)));
        assert_eq!(at("2026-03-11", 10).map(|o| o.lateness), Some(Lateness::Red), "the organization's own limit");
        assert_eq!(at("2026-03-10", 10).map(|o| o.lateness), Some(Lateness::Yellow));
    }

    #[test]
    fn a_reached_or_unplanned_milestone_is_never_late() {
        let today = day("2027-01-01");
        let reached = Overdue::of(Milestone::Production, Some(day("2026-01-01")), Some(day("2026-12-01")), today, 90);
        assert_eq!(reached, None);
        assert_eq!(Overdue::of(Milestone::Production, None, None, today, 90), None);
    }
}
