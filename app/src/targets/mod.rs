//! Promotion targets: what each unit is to achieve in a year or a quarter, entered in a
//! table (one row per unit) or imported from CSV. The leaders' figures are measured
//! against them.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::Yuan;
use crate::error::{AppError, FieldErrors, Reason};
use crate::i18n::texts_of;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

/// The figures a unit has targets for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetMetric {
    Projects,
    /// 亿元 signed.
    Signed,
    /// 亿元 in place.
    Funds,
    Top500,
    Hometown,
    /// Projects whose construction started (开工).
    Started,
    /// Outbound promotion trips (外出招商).
    Trips,
}

impl TargetMetric {
    pub const ALL: [TargetMetric; 7] = [
        TargetMetric::Projects,
        TargetMetric::Signed,
        TargetMetric::Funds,
        TargetMetric::Top500,
        TargetMetric::Hometown,
        TargetMetric::Started,
        TargetMetric::Trips,
    ];

    /// Its name in forms and in the CSV header.
    pub fn key(self) -> &'static str {
        match self {
            TargetMetric::Projects => "projects",
            TargetMetric::Signed => "signed",
            TargetMetric::Funds => "funds",
            TargetMetric::Top500 => "top500",
            TargetMetric::Hometown => "hometown",
            TargetMetric::Started => "started",
            TargetMetric::Trips => "trips",
        }
    }

    /// An amount in 亿元 (else a count).
    pub fn is_money(self) -> bool {
        matches!(self, TargetMetric::Signed | TargetMetric::Funds)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// A cell as typed: empty is no target; an amount in 亿元 or a count of at most 100,000.
    pub fn parse_cell(self, text: &str) -> Result<Option<i64>, Reason> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if self.is_money() {
            Yuan::parse_yi(text).map(|y| Some(y.get()))
        } else {
            crate::domain::integer(text, 0, 100_000).map(Some)
        }
    }

    /// A value as its cell shows it (amounts in 亿元).
    pub fn cell_text(self, value: Option<i64>) -> String {
        match value {
            None => String::new(),
            Some(v) if self.is_money() => Yuan::yi_text(v),
            Some(v) => v.to_string(),
        }
    }
}

texts_of! {
    /// A figure's column heading.
    impl TargetMetric, fn label;
    Projects: "签约项目（个）", "Projects signed";
    Signed: "签约额（亿元）", "Signed (亿元)";
    Funds: "到位资金（亿元）", "Funds in place (亿元)";
    Top500: "三类500强项目（个）", "Top-500 projects";
    Hometown: "湘商回归项目（个）", "Hometown-return projects";
    Started: "开工项目（个）", "Projects started";
    Trips: "外出招商（次）", "Promotion trips";
}

/// One unit's targets, by `TargetMetric` (amounts in yuan); `None`: no target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetValues(pub [Option<i64>; 7]);

impl TargetValues {
    pub fn get(&self, metric: TargetMetric) -> Option<i64> {
        self.0[metric.index()]
    }

    pub fn set(&mut self, metric: TargetMetric, value: Option<i64>) {
        self.0[metric.index()] = value;
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }
}

/// A year (`quarter` 0) or one of its quarters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub quarter: i32,
}

impl Period {
    /// `year` empty: `this_year`.
    pub fn parse_or(year: &str, quarter: &str, this_year: i32) -> Result<Period, FieldErrors> {
        match year.trim() {
            "" => Period::parse(&this_year.to_string(), quarter),
            year => Period::parse(year, quarter),
        }
    }

    pub fn parse(year: &str, quarter: &str) -> Result<Period, FieldErrors> {
        let mut e = FieldErrors::default();
        let year = e.check("year", crate::domain::integer(year, 2000, 2100));
        let quarter = match quarter.trim() {
            "" => Some(0),
            q => e.check("quarter", crate::domain::integer(q, 0, 4)),
        };
        match (year, quarter) {
            (Some(year), Some(quarter)) => Ok(Period { year: year as i32, quarter: quarter as i32 }),
            _ => Err(e),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    pub unit_id: i32,
    pub name_zh: String,
    pub name_en: String,
    pub depth: u32,
    pub values: TargetValues,
}

/// Every unit of the organization with its targets for one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetTable {
    pub period: Period,
    pub rows: Vec<TargetRow>,
}

/// The name of a unit's cell for a figure in the table's form (`cells[<name>]`), figure
/// first: a name starting with a digit would be read as a list index.
pub fn cell_name(unit_id: i32, metric: TargetMetric) -> String {
    format!("{}-{unit_id}", metric.key())
}

/// The table's cells as its form posts them (see [`cell_name`]).
pub fn parse_cells(cells: &BTreeMap<String, String>) -> Result<BTreeMap<i32, TargetValues>, FieldErrors> {
    let mut e = FieldErrors::default();
    let mut rows: BTreeMap<i32, TargetValues> = BTreeMap::new();
    for (name, text) in cells {
        let parsed = name.split_once('-').and_then(|(key, unit)| {
            let metric = TargetMetric::ALL.into_iter().find(|m| m.key() == key)?;
            Some((unit.parse::<i32>().ok()?, metric))
        });
        let Some((unit_id, metric)) = parsed else {
            e.add(name, Reason::UnknownChoice);
            continue;
        };
        if let Some(value) = e.check(name, metric.parse_cell(text)) {
            rows.entry(unit_id).or_default().set(metric, value);
        }
    }
    if e.is_empty() { Ok(rows) } else { Err(e) }
}

/// The targets of every unit for `year` (this year when empty) and `quarter` (0 or empty
/// for the whole year).
#[server(prefix = "/api", endpoint = "targets/get")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_targets(
    #[server(default)] year: String,
    #[server(default)] quarter: String,
) -> Result<TargetTable, AppError> {
    use chrono::Datelike as _;
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    let this_year = chrono::Utc::now().year();
    let period = Period::parse_or(&year, &quarter, this_year).map_err(AppError::Invalid)?;
    ssr::table(&db, member.organization_id, period).await
}

/// Saves the table for one period, all rows or none. Owners only.
#[server(prefix = "/api", endpoint = "targets/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_targets(
    year: String,
    #[server(default)] quarter: String,
    #[server(default)] cells: BTreeMap<String, String>,
) -> Result<u64, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    let period = Period::parse(&year, &quarter).map_err(AppError::Invalid)?;
    let rows = parse_cells(&cells).map_err(AppError::Invalid)?;
    ssr::save(&db, member.organization_id, period, rows).await
}

/// Imports targets from CSV (columns by their names, see the page), all lines or none.
/// Owners only. Returns how many unit-periods were written.
#[server(prefix = "/api", endpoint = "targets/import")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn import_targets(csv: String) -> Result<u64, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::import(&db, member.organization_id, &csv).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_parse_by_unit_and_figure_and_refuse_by_cell() {
        let cells: BTreeMap<String, String> =
            [("projects-3", "12"), ("signed-3", "80.5"), ("trips-3", ""), ("funds-4", "1,002.07")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let rows = parse_cells(&cells).unwrap();
        assert_eq!(rows[&3].get(TargetMetric::Projects), Some(12));
        assert_eq!(rows[&3].get(TargetMetric::Signed), Some(8_050_000_000));
        assert_eq!(rows[&3].get(TargetMetric::Trips), None);
        assert_eq!(rows[&4].get(TargetMetric::Funds), Some(100_207_000_000));

        let bad: BTreeMap<String, String> =
            [("projects-3", "-1"), ("signed-3", "lots"), ("wishes-3", "1"), ("trips-x", "2")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let errors = parse_cells(&bad).unwrap_err();
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["projects-3", "signed-3", "trips-x", "wishes-3"]);
    }

    #[test]
    fn a_period_is_a_year_or_one_of_its_quarters() {
        assert_eq!(Period::parse("2023", ""), Ok(Period { year: 2023, quarter: 0 }));
        assert_eq!(Period::parse("2023", "3"), Ok(Period { year: 2023, quarter: 3 }));
        assert!(Period::parse("1999", "0").is_err());
        assert!(Period::parse("2023", "5").is_err());
    }
}
