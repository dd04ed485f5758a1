//! The leaders' dashboard: what the roadshow produced for a period or a roadshow, unit by
//! unit against their targets, by industry chain, promotion method, region and month, per
//! event and per roadshow with their cost, and the projects running late. Every figure
//! links to the list of projects (or leads, or events) it counts, and that list sums to it:
//! both come from the same rules in `ssr`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors, Reason};
use crate::targets::TargetMetric;

pub mod charts;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// Which stop a project is credited to when its lead was met at several.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CreditModel {
    /// The first stop the lead was met at.
    #[default]
    First,
    /// The last stop before the signing (the last one when none was before).
    Last,
    /// Shared evenly between the stops before the signing (all when none was before).
    Even,
}

impl CreditModel {
    pub const ALL: [CreditModel; 3] = [CreditModel::First, CreditModel::Last, CreditModel::Even];

    pub fn key(self) -> &'static str {
        match self {
            CreditModel::First => "first",
            CreditModel::Last => "last",
            CreditModel::Even => "even",
        }
    }

    pub fn parse(text: &str) -> Result<CreditModel, Reason> {
        match text.trim() {
            "" => Ok(CreditModel::default()),
            key => CreditModel::ALL.into_iter().find(|m| m.key() == key).ok_or(Reason::UnknownChoice),
        }
    }
}

/// `total` split into `parts` whole shares that sum to it exactly (largest remainder: every
/// share is `total / parts`, and the first `total % parts` shares, in the order given, get
/// one more). `parts` 0 gives no share.
pub fn split_evenly(total: i64, parts: usize) -> Vec<i64> {
    if parts == 0 {
        return Vec::new();
    }
    let n = parts as i64;
    let (base, rest) = (total.div_euclid(n), total.rem_euclid(n));
    (0..n).map(|i| base + i64::from(i < rest)).collect()
}

/// Which of a project's `candidates` stops (in order of their start) share its credit
/// under `model`: the first, the last, or all of them. Amounts and the project itself (100
/// hundredths) are then shared with `split_evenly`, so every share is a whole yuan and the
/// shares sum to the amount exactly.
pub fn credited_stops(model: CreditModel, candidates: usize) -> std::ops::Range<usize> {
    match (model, candidates) {
        (_, 0) => 0..0,
        (CreditModel::First, _) => 0..1,
        (CreditModel::Last, n) => n - 1..n,
        (CreditModel::Even, n) => 0..n,
    }
}

/// Weights of the target figures in a unit's score, in `TargetMetric::ALL` order; each 0–100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreWeights(pub [u32; 7]);

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights([1; 7])
    }
}

impl ScoreWeights {
    pub const MAX: i64 = 100;

    pub fn get(&self, metric: TargetMetric) -> u32 {
        self.0[TargetMetric::ALL.iter().position(|m| *m == metric).unwrap_or(0)]
    }

    /// As stored: comma-separated; a stored value that does not read gives the default.
    pub fn from_stored(text: &str) -> ScoreWeights {
        let values: Vec<u32> = text.split(',').filter_map(|v| v.trim().parse().ok()).collect();
        <[u32; 7]>::try_from(values).map(ScoreWeights).unwrap_or_default()
    }

    pub fn to_stored(self) -> String {
        self.0.map(|w| w.to_string()).join(",")
    }

    /// The form's cells `weight-<metric>`: each a whole number 0–100, at least one above 0.
    pub fn parse(cells: &std::collections::BTreeMap<String, String>) -> Result<ScoreWeights, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut weights = [0u32; 7];
        for (i, metric) in TargetMetric::ALL.into_iter().enumerate() {
            let field = format!("weight-{}", metric.key());
            let text = cells.get(&field).map(String::as_str).unwrap_or("");
            if let Some(w) = e.check(&field, crate::domain::integer(text, 0, Self::MAX)) {
                weights[i] = w as u32;
            }
        }
        if e.is_empty() && weights.iter().all(|w| *w == 0) {
            e.add("weight-projects", Reason::Required);
        }
        if e.is_empty() { Ok(ScoreWeights(weights)) } else { Err(e) }
    }
}

/// A completion counts up to this (150 %) in the score, so one figure far past its target
/// does not hide the others.
pub const COMPLETION_CAP_MILLI: i64 = 150_000;

/// `actual` of `target` in thousandths of a percent (100 % is 100,000), rounded down;
/// `None` without a target (absent or 0).
pub fn completion_milli(actual: i64, target: Option<i64>) -> Option<i64> {
    let target = target.filter(|t| *t > 0)?;
    Some((i128::from(actual.max(0)) * 100_000 / i128::from(target)) as i64)
}

/// A unit's weighted score in thousandths of a percent: the mean of its completions (each
/// capped at 150 %) weighted by `weights`, over the figures it has a target for, rounded
/// half up. `None` when it has no target with a weight.
pub fn weighted_score(completions: &[Option<i64>; 7], weights: ScoreWeights) -> Option<i64> {
    let (mut sum, mut total) = (0i64, 0i64);
    for (completion, weight) in completions.iter().zip(weights.0) {
        if let (Some(c), w @ 1..) = (completion, weight) {
            sum += c.min(&COMPLETION_CAP_MILLI) * i64::from(w);
            total += i64::from(w);
        }
    }
    (total > 0).then(|| (2 * sum + total) / (2 * total))
}

/// The dashboard as asked for in its address: every value a string, empty for the default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardQuery {
    /// `YYYY-MM-DD`; default 1 January of this year (of the roadshow's year with one).
    pub from: String,
    /// `YYYY-MM-DD`; default today (31 December of the roadshow's year with one).
    pub to: String,
    pub roadshow: String,
    /// `first`, `last` or `even`.
    pub credit: String,
    /// `all` or `verified`; default the organization's setting.
    pub funds: String,
}

/// What the figures cover, parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub roadshow_id: Option<i32>,
    pub credit: CreditModel,
    pub verified_only: bool,
}

impl Scope {
    /// The address query that gives this scope back (every value written out).
    pub fn query(&self) -> String {
        let mut q = format!("from={}&to={}&credit={}", self.from, self.to, self.credit.key());
        if let Some(id) = self.roadshow_id {
            q.push_str(&format!("&roadshow={id}"));
        }
        q.push_str(if self.verified_only { "&funds=verified" } else { "&funds=all" });
        q
    }

    /// Whether `day` is in the period.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Months of the period that are over by `today` (a month counts once its last day is).
    pub fn months_over(&self, today: NaiveDate) -> Vec<NaiveDate> {
        use chrono::Datelike as _;
        let mut months = Vec::new();
        let mut first = NaiveDate::from_ymd_opt(self.from.year(), self.from.month(), 1).unwrap_or(self.from);
        while first <= self.to {
            let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
            if next <= first {
                break;
            }
            if next.pred_opt().is_some_and(|last| last <= today) {
                months.push(first);
            }
            first = next;
        }
        months
    }
}

impl DashboardQuery {
    /// The scope asked for; `roadshow_year` is the chosen roadshow's year when there is one.
    pub fn parse(
        &self,
        today: NaiveDate,
        roadshow_year: Option<i32>,
        verified_by_default: bool,
    ) -> Result<Scope, FieldErrors> {
        use chrono::Datelike as _;
        let mut e = FieldErrors::default();
        let year = roadshow_year.unwrap_or(today.year());
        let day = |text: &str, default: NaiveDate| match text.trim() {
            "" => Ok(default),
            t => NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| Reason::InvalidDateTime),
        };
        let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let default_to =
            if roadshow_year.is_some() { NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today) } else { today };
        let from = e.check("from", day(&self.from, year_start));
        let to = e.check("to", day(&self.to, default_to));
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            e.add("to", Reason::EndBeforeStart);
        }
        let roadshow_id = match self.roadshow.trim() {
            "" => Some(None),
            id => e.check("roadshow", id.parse::<i32>().map(Some).map_err(|_| Reason::UnknownChoice)),
        };
        let credit = e.check("credit", CreditModel::parse(&self.credit));
        let verified_only = match self.funds.trim() {
            "" => Some(verified_by_default),
            "all" => Some(false),
            "verified" => Some(true),
            _ => {
                e.add("funds", Reason::UnknownChoice);
                None
            }
        };
        match (from, to, roadshow_id, credit, verified_only) {
            (Some(from), Some(to), Some(roadshow_id), Some(credit), Some(verified_only)) if e.is_empty() => {
                Ok(Scope { from, to, roadshow_id, credit, verified_only })
            }
            _ => Err(e),
        }
    }
}

/// Figures over a set of projects (the whole organization, a unit, a slice).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Projects signed in the period, and their planned investment.
    pub projects: i64,
    pub signed_yuan: i64,
    /// Of them, at least 10, 50 and 100 亿元.
    pub big: [i64; 3],
    pub top500: i64,
    /// Funds in place in the period (verified ones only when the scope says so).
    pub funds_yuan: i64,
    pub hometown: i64,
    pub hometown_funds_yuan: i64,
    /// Companies registered in the period, and the funds in place for them.
    pub new_companies: i64,
    pub new_company_funds_yuan: i64,
    /// Construction started / production begun in the period.
    pub started: i64,
    pub producing: i64,
    /// Of the projects signed in the period, how many have started / are producing by its end
    /// (开工率 and 投产率 are these ÷ `projects`).
    pub signed_started: i64,
    pub signed_producing: i64,
}

impl Figures {
    pub fn add(&mut self, other: &Figures) {
        self.projects += other.projects;
        self.signed_yuan += other.signed_yuan;
        for i in 0..3 {
            self.big[i] += other.big[i];
        }
        self.top500 += other.top500;
        self.funds_yuan += other.funds_yuan;
        self.hometown += other.hometown;
        self.hometown_funds_yuan += other.hometown_funds_yuan;
        self.new_companies += other.new_companies;
        self.new_company_funds_yuan += other.new_company_funds_yuan;
        self.started += other.started;
        self.producing += other.producing;
        self.signed_started += other.signed_started;
        self.signed_producing += other.signed_producing;
    }

    /// A unit's actual value of each target figure (trips are counted apart).
    pub fn actual(&self, metric: TargetMetric, trips: i64) -> i64 {
        match metric {
            TargetMetric::Projects => self.projects,
            TargetMetric::Signed => self.signed_yuan,
            TargetMetric::Funds => self.funds_yuan,
            TargetMetric::Top500 => self.top500,
            TargetMetric::Hometown => self.hometown,
            TargetMetric::Started => self.started,
            TargetMetric::Trips => trips,
        }
    }
}

/// A ratio in thousandths of a percent (100 % is 100,000), rounded down; `None` over 0.
pub fn ratio_milli(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (i128::from(part) * 100_000 / i128::from(whole)) as i64)
}

/// `12.3%` from thousandths of a percent (one decimal, rounded down).
pub fn percent_text(milli: Option<i64>) -> String {
    match milli {
        Some(m) => format!("{}.{}%", m / 1000, (m % 1000) / 100),
        None => "–".to_string(),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub figures: Figures,
    /// Stops (published or over) that started in the period, and their guests.
    pub events: i64,
    pub guests: i64,
    pub checked_in: i64,
    /// Leads first recorded in the period (met at the roadshow's stops, with one).
    pub leads: i64,
}

/// A unit's row in the ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRank {
    pub unit_id: i32,
    pub name_zh: String,
    pub name_en: String,
    pub figures: Figures,
    pub trips: i64,
    /// Months of the period that are over and had a trip of the unit.
    pub trip_months: u32,
    pub targets: [Option<i64>; 7],
    pub completions: [Option<i64>; 7],
    pub score_milli: Option<i64>,
    /// 1-based.
    pub rank: u32,
    /// Places gained (positive) or lost since last week's ranking; `None` without one.
    pub change: Option<i32>,
}

/// A slice of the projects (an industry chain, a promotion method, a region).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    /// The value the projects list filters by (empty: not set).
    pub key: String,
    pub label_zh: String,
    pub label_en: String,
    /// In hundredths of a project (a region's share of evenly split projects may be part of one).
    pub projects_hundredths: i64,
    pub signed_yuan: i64,
    pub funds_yuan: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    pub projects: i64,
    pub signed_yuan: i64,
    pub funds_yuan: i64,
}

/// One step of the pipeline funnel: how many reached it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    /// `guests`, `leads` or a `Stage` name.
    pub key: String,
    pub count: i64,
}

/// What one stop (or a roadshow, summed over its stops) produced under the credit model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credited {
    pub guests: i64,
    pub checked_in: i64,
    pub leads: i64,
    pub projects_hundredths: i64,
    pub signed_yuan: i64,
    pub funds_yuan: i64,
    pub cost_yuan: i64,
}

impl Credited {
    pub fn add(&mut self, other: &Credited) {
        self.guests += other.guests;
        self.checked_in += other.checked_in;
        self.leads += other.leads;
        self.projects_hundredths += other.projects_hundredths;
        self.signed_yuan += other.signed_yuan;
        self.funds_yuan += other.funds_yuan;
        self.cost_yuan += other.cost_yuan;
    }

    /// 亿元 per 万元 of cost as yuan per yuan ×10,000 (so the ratio is exact); `None` without a cost.
    pub fn per_wan(amount: i64, cost: i64) -> Option<f64> {
        (cost > 0).then(|| amount as f64 / 100_000_000.0 / (cost as f64 / 10_000.0))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i32,
    pub title_zh: String,
    pub title_en: String,
    pub starts_on: NaiveDate,
    pub region: String,
    pub roadshow_id: Option<i32>,
    pub credited: Credited,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadshowRow {
    pub id: i32,
    pub name: String,
    pub events: i64,
    pub credited: Credited,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRow {
    pub project_id: i32,
    pub lead_id: i32,
    pub project: String,
    pub company: String,
    pub unit_zh: String,
    pub unit_en: String,
    /// `start` or `production`.
    pub milestone: String,
    pub planned_on: NaiveDate,
    pub red: bool,
    pub days_late: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub scope: Scope,
    pub today: NaiveDate,
    pub headline: Headline,
    /// Projects with any stop: the credited sums of the event rows equal these.
    pub with_events: Credited,
    pub units: Vec<UnitRank>,
    /// Projects signed in the period that no unit is credited with.
    pub unassigned: Figures,
    pub months_over: u32,
    pub weights: ScoreWeights,
    pub chains: Vec<Slice>,
    pub methods: Vec<Slice>,
    pub regions: Vec<Slice>,
    pub months: Vec<MonthRow>,
    pub funnel: Vec<FunnelStep>,
    pub events: Vec<EventRow>,
    pub roadshows: Vec<RoadshowRow>,
    pub overdue: Vec<OverdueRow>,
    /// The organization's roadshows `(id, name, year)`, for the choice of scope.
    pub roadshow_choices: Vec<(i32, String, i32)>,
}

/// The projects behind a figure: the dashboard's scope plus what the figure counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectQuery {
    #[serde(flatten)]
    pub scope: DashboardQuery,
    /// `signed` (default), `funds`, `big10`, `big50`, `big100`, `top500`, `hometown`,
    /// `hometown_funds`, `new_company`, `started`, `producing`, `overdue` or `credited`.
    pub metric: String,
    pub unit: String,
    pub chain: String,
    pub method: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Credited to this stop (with `metric=credited`).
    pub event: String,
    /// Credited to a stop in this region (with `metric=credited`).
    pub region: String,
}

/// What a projects list counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    Signed,
    Funds,
    Big(usize),
    Top500,
    Hometown,
    HometownFunds,
    NewCompany,
    Started,
    Producing,
    Overdue,
    Credited,
}

impl Metric {
    pub fn parse(text: &str) -> Result<Metric, Reason> {
        Ok(match text.trim() {
            "" | "signed" => Metric::Signed,
            "funds" => Metric::Funds,
            "big10" => Metric::Big(0),
            "big50" => Metric::Big(1),
            "big100" => Metric::Big(2),
            "top500" => Metric::Top500,
            "hometown" => Metric::Hometown,
            "hometown_funds" => Metric::HometownFunds,
            "new_company" => Metric::NewCompany,
            "started" => Metric::Started,
            "producing" => Metric::Producing,
            "overdue" => Metric::Overdue,
            "credited" => Metric::Credited,
            _ => return Err(Reason::UnknownChoice),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectListRow {
    pub id: i32,
    pub lead_id: i32,
    pub name: String,
    pub company: String,
    pub unit_zh: String,
    pub unit_en: String,
    pub chain: String,
    pub signed_on: Option<NaiveDate>,
    pub signed_yuan: i64,
    /// In place in the period.
    pub funds_yuan: i64,
    /// The part credited to the chosen stop or region (hundredths, yuan, yuan).
    pub credited: Option<(i64, i64, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectList {
    pub scope: Scope,
    pub rows: Vec<ProjectListRow>,
    pub signed_yuan: i64,
    pub funds_yuan: i64,
    pub credited: Option<(i64, i64, i64)>,
}

/// The dashboard for `query` (see `DashboardQuery`). Members of every role read it.
#[leptos::server(prefix = "/api", endpoint = "dashboard/get")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_dashboard(#[server(default)] query: DashboardQuery) -> Result<Dashboard, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::dashboard(&db, member.organization_id, &query, chrono::Utc::now().date_naive()).await
}

/// The projects counted by one figure of the dashboard.
#[leptos::server(prefix = "/api", endpoint = "dashboard/projects")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_projects(#[server(default)] query: ProjectQuery) -> Result<ProjectList, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::projects(&db, member.organization_id, &query, chrono::Utc::now().date_naive()).await
}

/// Sets the weights of the target figures in a unit's score. Owners only.
#[leptos::server(prefix = "/api", endpoint = "dashboard/weights")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_score_weights(
    #[server(default)] cells: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    let weights = ScoreWeights::parse(&cells).map_err(AppError::Invalid)?;
    ssr::save_weights(&db, member.organization_id, weights).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_even_split_sums_to_the_whole_and_gives_the_rest_to_the_earliest() {
        assert_eq!(split_evenly(100, 3), [34, 33, 33]);
        assert_eq!(split_evenly(10_000_000_001, 2), [5_000_000_001, 5_000_000_000]);
        assert_eq!(split_evenly(7, 7), [1; 7]);
        assert!(split_evenly(5, 0).is_empty());
    }

    #[test]
    fn credit_goes_to_the_first_the_last_or_every_stop() {
        assert_eq!(credited_stops(CreditModel::First, 3), 0..1);
        assert_eq!(credited_stops(CreditModel::Last, 3), 2..3);
        assert_eq!(credited_stops(CreditModel::Even, 3), 0..3);
        assert!(credited_stops(CreditModel::Even, 0).is_empty());
        // 10.01 亿元 over three stops: 333,666,667 + 333,666,667 + 333,666,666.
        let parts = split_evenly(1_001_000_000, credited_stops(CreditModel::Even, 3).len());
        assert_eq!(parts, [333_666_667, 333_666_667, 333_666_666]);
        for amount in [0, 1, 2, 99, 100, 101, 12_345_678_901] {
            for n in 1..=7 {
                assert_eq!(split_evenly(amount, n).iter().sum::<i64>(), amount, "{amount} over {n}");
            }
        }
    }

    #[test]
    fn a_score_weighs_capped_completions() {
        // Projects 12 of 10 (120 %), 亿元 signed 30 of 60 (50 %), trips 15 of 5 (300 %, counts 150 %).
        let completions = [Some(120_000), Some(50_000), None, None, None, None, Some(300_000)];
        let weights = ScoreWeights([2, 1, 1, 1, 1, 1, 1]);
        // (2×120 + 1×50 + 1×150) / 4 = 110 %.
        assert_eq!(weighted_score(&completions, weights), Some(110_000));
        assert_eq!(weighted_score(&[None; 7], weights), None);
        assert_eq!(weighted_score(&completions, ScoreWeights([0, 0, 5, 5, 5, 5, 0])), None);
        assert_eq!(completion_milli(1, Some(3)), Some(33_333));
        assert_eq!(completion_milli(5, Some(0)), None);
    }

    #[test]
    fn weights_are_whole_numbers_and_not_all_zero() {
        let cells = |v: [&str; 7]| {
            TargetMetric::ALL
                .iter()
                .zip(v)
                .map(|(m, v)| (format!("weight-{}", m.key()), v.to_string()))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        assert_eq!(
            ScoreWeights::parse(&cells(["3", "2", "2", "1", "1", "1", "0"])),
            Ok(ScoreWeights([3, 2, 2, 1, 1, 1, 0]))
        );
        let errors = ScoreWeights::parse(&cells(["-1", "x", "101", "1", "1", "1", "1"])).unwrap_err();
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["weight-projects", "weight-signed", "weight-funds"]);
        assert!(ScoreWeights::parse(&cells(["0"; 7])).is_err());
        assert_eq!(ScoreWeights::from_stored("3,2,2,1,1,1,0"), ScoreWeights([3, 2, 2, 1, 1, 1, 0]));
        assert_eq!(ScoreWeights::from_stored("broken"), ScoreWeights::default());
        assert_eq!(
            ScoreWeights::default().to_stored(),
            crate::domain::DEFAULT_SCORE_WEIGHTS,
            "what a new organization gets"
        );
    }

    #[test]
    fn a_scope_defaults_to_the_year_so_far_and_refuses_by_field() {
        let today = NaiveDate::from_ymd_opt(2023, 8, 31).unwrap();
        let scope = DashboardQuery::default().parse(today, None, true).unwrap();
        assert_eq!((scope.from.to_string(), scope.to.to_string()), ("2023-01-01".into(), "2023-08-31".into()));
        assert!(scope.verified_only);
        let roadshow =
            DashboardQuery { roadshow: "4".into(), ..Default::default() }.parse(today, Some(2022), false).unwrap();
        assert_eq!((roadshow.from.to_string(), roadshow.to.to_string()), ("2022-01-01".into(), "2022-12-31".into()));
        let bad = DashboardQuery {
            from: "2023-05-01".into(),
            to: "2023-04-01".into(),
            credit: "most".into(),
            funds: "some".into(),
            ..Default::default()
        };
        let errors = bad.parse(today, None, false).unwrap_err();
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["to", "credit", "funds"]);
        assert_eq!(scope.months_over(today).len(), 8);
        assert_eq!(scope.months_over(NaiveDate::from_ymd_opt(2023, 8, 30).unwrap()).len(), 7);
    }
}
