//! Server side of targets: the table of a period, saving it, importing a CSV file.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use super::{Period, TargetMetric, TargetRow, TargetTable, TargetValues};
use crate::db::begin_write;
use crate::entities::unit_target;
use crate::error::{AppError, FieldErrors, Reason};

fn values_of(t: &unit_target::Model) -> TargetValues {
    let count = |v: Option<i32>| v.map(i64::from);
    TargetValues([
        count(t.projects),
        t.signed_yuan,
        t.funds_yuan,
        count(t.top500),
        count(t.hometown),
        count(t.started),
        count(t.trips),
    ])
}

/// The targets of the organization's units for `period`, by unit.
pub async fn of_period(
    db: &impl ConnectionTrait,
    org_id: i32,
    period: Period,
) -> Result<HashMap<i32, TargetValues>, sea_orm::DbErr> {
    Ok(unit_target::Entity::find()
        .filter(unit_target::Column::OrganizationId.eq(org_id))
        .filter(unit_target::Column::Year.eq(period.year))
        .filter(unit_target::Column::Quarter.eq(period.quarter))
        .all(db)
        .await?
        .iter()
        .map(|t| (t.unit_id, values_of(t)))
        .collect())
}

pub async fn table(db: &DatabaseConnection, org_id: i32, period: Period) -> Result<TargetTable, AppError> {
    let mut targets = of_period(db, org_id, period).await?;
    let rows = crate::units::ssr::tree(db, org_id)
        .await?
        .into_iter()
        .map(|(u, depth)| TargetRow {
            values: targets.remove(&u.id).unwrap_or_default(),
            unit_id: u.id,
            name_zh: u.name_zh,
            name_en: u.name_en,
            depth,
        })
        .collect();
    Ok(TargetTable { period, rows })
}

/// Writes each unit's targets for its period (a row with no target left is removed).
/// Every unit must be the organization's: else nothing is written.
async fn write(
    txn: &DatabaseTransaction,
    org_id: i32,
    rows: &BTreeMap<(Period, i32), TargetValues>,
) -> Result<u64, AppError> {
    let units: Vec<i32> = crate::units::ssr::names(txn, org_id).await?.into_iter().map(|(id, _, _)| id).collect();
    if rows.keys().any(|(_, unit_id)| !units.contains(unit_id)) {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    for (&(period, unit_id), values) in rows {
        if values.is_empty() {
            unit_target::Entity::delete_many()
                .filter(unit_target::Column::UnitId.eq(unit_id))
                .filter(unit_target::Column::Year.eq(period.year))
                .filter(unit_target::Column::Quarter.eq(period.quarter))
                .exec(txn)
                .await?;
            continue;
        }
        let count = |m: TargetMetric| values.get(m).map(|v| v as i32);
        let row = unit_target::ActiveModel {
            organization_id: Set(org_id),
            unit_id: Set(unit_id),
            year: Set(period.year),
            quarter: Set(period.quarter),
            projects: Set(count(TargetMetric::Projects)),
            signed_yuan: Set(values.get(TargetMetric::Signed)),
            funds_yuan: Set(values.get(TargetMetric::Funds)),
            top500: Set(count(TargetMetric::Top500)),
            hometown: Set(count(TargetMetric::Hometown)),
            started: Set(count(TargetMetric::Started)),
            trips: Set(count(TargetMetric::Trips)),
            updated_at: Set(now),
            ..Default::default()
        };
        // One row per unit and period, held by its unique key even when two saves race.
        unit_target::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    unit_target::Column::UnitId,
                    unit_target::Column::Year,
                    unit_target::Column::Quarter,
                ])
                .update_columns([
                    unit_target::Column::Projects,
                    unit_target::Column::SignedYuan,
                    unit_target::Column::FundsYuan,
                    unit_target::Column::Top500,
                    unit_target::Column::Hometown,
                    unit_target::Column::Started,
                    unit_target::Column::Trips,
                    unit_target::Column::UpdatedAt,
                ])
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(rows.len() as u64)
}

pub async fn save(
    db: &DatabaseConnection,
    org_id: i32,
    period: Period,
    rows: BTreeMap<i32, TargetValues>,
) -> Result<u64, AppError> {
    let rows = rows.into_iter().map(|(unit_id, v)| ((period, unit_id), v)).collect();
    let txn = begin_write(db).await?;
    let written = write(&txn, org_id, &rows).await?;
    txn.commit().await?;
    Ok(written)
}

/// A column of the import file, by its English or Chinese heading.
enum Column {
    Unit,
    Year,
    Quarter,
    Metric(TargetMetric),
}

fn column(heading: &str) -> Option<Column> {
    let h = heading.trim().to_lowercase();
    let h = h.split(['(', '（']).next().unwrap_or_default().trim().to_string();
    Some(match h.as_str() {
        "unit" | "单位" => Column::Unit,
        "year" | "年份" | "年度" => Column::Year,
        "quarter" | "季度" => Column::Quarter,
        other => Column::Metric(TargetMetric::ALL.into_iter().find(|m| {
            m.key() == other || {
                let zh = m.label(crate::i18n::Lang::Zh);
                zh.split('（').next() == Some(other)
            }
        })?),
    })
}

/// Imports a CSV file: a header line naming `unit`, `year`, optionally `quarter`, and any
/// of the figures (`projects`, `signed` and `funds` in 亿元, `top500`, `hometown`,
/// `started`, `trips`; or their Chinese headings); a unit by its Chinese or English name.
/// Every bad cell is reported by line and column, and then nothing is written.
pub async fn import(db: &DatabaseConnection, org_id: i32, text: &str) -> Result<u64, AppError> {
    let records = crate::csv::records(text);
    let Some((header, lines)) = records.split_first() else {
        return Err(AppError::Invalid(FieldErrors::single("csv", Reason::Required)));
    };
    let columns: Vec<Option<Column>> = header.cells.iter().map(|h| column(h)).collect();
    let has = |want: fn(&Column) -> bool| columns.iter().flatten().any(want);
    if !has(|c| matches!(c, Column::Unit))
        || !has(|c| matches!(c, Column::Year))
        || !has(|c| matches!(c, Column::Metric(_)))
    {
        return Err(AppError::Invalid(FieldErrors::single("csv", Reason::TargetColumnsMissing)));
    }
    let units = crate::units::ssr::names(db, org_id).await?;
    let unit_named = |name: &str| {
        let name = name.trim();
        units.iter().find(|(_, zh, en)| zh == name || (!en.is_empty() && en.eq_ignore_ascii_case(name))).map(|u| u.0)
    };
    let mut e = FieldErrors::default();
    let mut rows: BTreeMap<(Period, i32), TargetValues> = BTreeMap::new();
    for record in lines {
        let (mut unit, mut year, mut quarter, mut values) = (None, None, "0".to_string(), TargetValues::default());
        let mut bad = |heading: &str| {
            e.add("csv", Reason::InvalidTargetCell { line: record.line, column: heading.trim().to_string() })
        };
        for ((cell, column), heading) in record.cells.iter().zip(&columns).zip(&header.cells) {
            match column {
                Some(Column::Unit) => match unit_named(cell) {
                    Some(id) => unit = Some(id),
                    None => bad(heading),
                },
                Some(Column::Year) => year = Some((cell.clone(), heading)),
                Some(Column::Quarter) => quarter = cell.clone(),
                Some(Column::Metric(m)) => match m.parse_cell(cell) {
                    Ok(v) => values.set(*m, v),
                    Err(_) => bad(heading),
                },
                None => {}
            }
        }
        let period = match year {
            Some((year, heading)) => match Period::parse(&year, &quarter) {
                Ok(p) => Some(p),
                Err(_) => {
                    bad(heading);
                    None
                }
            },
            None => None,
        };
        if let (Some(unit), Some(period)) = (unit, period) {
            rows.insert((period, unit), values);
        }
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let txn = begin_write(db).await?;
    let written = write(&txn, org_id, &rows).await?;
    txn.commit().await?;
    Ok(written)
}
