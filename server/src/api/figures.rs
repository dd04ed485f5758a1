//! The bureau's reference data and results: promotion units, their targets, and the
//! leaders' dashboard figures (the same numbers the dashboard page shows).

use app::dashboard::DashboardQuery;
use app::entities::{unit, unit_target};
use app::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::caller::Caller;
use super::problem::{ApiError, Problem, Query};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_units)).routes(routes!(list_targets)).routes(routes!(dashboard))
}

/// A promotion unit: a county or district, a park, a township, a task force.
#[derive(Serialize, ToSchema)]
pub struct Unit {
    pub id: i32,
    pub parent_id: Option<i32>,
    /// `county`, `zone`, `township`, `task_force` or `department`.
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub updated_at: DateTime<Utc>,
}

#[utoipa::path(get, path = "/units", tag = "figures",
    responses((status = 200, body = Vec<Unit>), (status = 401, body = Problem)))]
async fn list_units(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Unit>>, ApiError> {
    let rows = unit::Entity::find()
        .filter(unit::Column::OrganizationId.eq(caller.org()))
        .order_by_asc(unit::Column::Id)
        .all(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?;
    Ok(Json(
        rows.into_iter()
            .map(|u| Unit {
                id: u.id,
                parent_id: u.parent_id,
                kind: u.kind.as_str().to_string(),
                name_zh: u.name_zh,
                name_en: u.name_en,
                updated_at: u.updated_at,
            })
            .collect(),
    ))
}

/// A unit's targets for a year (quarter 0) or a quarter; absent figures have no target.
#[derive(Serialize, ToSchema)]
pub struct Target {
    pub unit_id: i32,
    pub year: i32,
    /// 0 for the whole year, else 1 to 4.
    pub quarter: i32,
    pub projects: Option<i32>,
    pub signed_yuan: Option<i64>,
    pub funds_yuan: Option<i64>,
    pub top500: Option<i32>,
    pub hometown: Option<i32>,
    pub started: Option<i32>,
    pub trips: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TargetQuery {
    /// Only this year's targets.
    year: Option<i32>,
}

#[utoipa::path(get, path = "/targets", tag = "figures", params(TargetQuery),
    responses((status = 200, body = Vec<Target>), (status = 400, body = Problem), (status = 401, body = Problem)))]
async fn list_targets(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<TargetQuery>,
) -> Result<Json<Vec<Target>>, ApiError> {
    let mut query = unit_target::Entity::find().filter(unit_target::Column::OrganizationId.eq(caller.org()));
    if let Some(year) = q.year {
        query = query.filter(unit_target::Column::Year.eq(year));
    }
    let rows = query
        .order_by_asc(unit_target::Column::Year)
        .order_by_asc(unit_target::Column::Quarter)
        .order_by_asc(unit_target::Column::UnitId)
        .all(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?;
    Ok(Json(
        rows.into_iter()
            .map(|t| Target {
                unit_id: t.unit_id,
                year: t.year,
                quarter: t.quarter,
                projects: t.projects,
                signed_yuan: t.signed_yuan,
                funds_yuan: t.funds_yuan,
                top500: t.top500,
                hometown: t.hometown,
                started: t.started,
                trips: t.trips,
                updated_at: t.updated_at,
            })
            .collect(),
    ))
}

/// Results over a period.
#[derive(Serialize, ToSchema)]
pub struct Figures {
    /// Projects signed, and their planned investment in yuan.
    pub projects: i64,
    pub signed_yuan: i64,
    pub top500: i64,
    /// Funds in place, in yuan.
    pub funds_yuan: i64,
    /// Hometown (returning entrepreneurs') projects.
    pub hometown: i64,
    pub new_companies: i64,
    /// Construction started and production begun.
    pub started: i64,
    pub producing: i64,
}

impl From<&app::dashboard::Figures> for Figures {
    fn from(f: &app::dashboard::Figures) -> Self {
        Figures {
            projects: f.projects,
            signed_yuan: f.signed_yuan,
            top500: f.top500,
            funds_yuan: f.funds_yuan,
            hometown: f.hometown,
            new_companies: f.new_companies,
            started: f.started,
            producing: f.producing,
        }
    }
}

/// A unit's results against its targets, and its place in the ranking.
#[derive(Serialize, ToSchema)]
pub struct UnitResult {
    pub unit_id: i32,
    pub name_zh: String,
    pub name_en: String,
    pub figures: Figures,
    pub trips: i64,
    /// Targets in the order projects, signed (yuan), funds (yuan), top500, hometown,
    /// started, trips; `null` where none is set.
    pub targets: Vec<Option<i64>>,
    /// Completion of each target in thousandths of a percent (100 % is 100000), same order.
    pub completions: Vec<Option<i64>>,
    /// 1-based.
    pub rank: u32,
}

/// The leaders' dashboard over a period.
#[derive(Serialize, ToSchema)]
pub struct Dashboard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub roadshow_id: Option<i32>,
    pub figures: Figures,
    /// Stops that started in the period, their guests and those checked in.
    pub events: i64,
    pub guests: i64,
    pub checked_in: i64,
    /// Leads first recorded in the period.
    pub leads: i64,
    pub units: Vec<UnitResult>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct DashboardParams {
    /// `YYYY-MM-DD`; default 1 January of this year.
    from: Option<String>,
    /// `YYYY-MM-DD`; default today.
    to: Option<String>,
    roadshow_id: Option<i32>,
}

#[utoipa::path(get, path = "/dashboard", tag = "figures", params(DashboardParams),
    responses((status = 200, body = Dashboard), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 422, body = Problem)))]
async fn dashboard(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<DashboardParams>,
) -> Result<Json<Dashboard>, ApiError> {
    let query = DashboardQuery {
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        roadshow: q.roadshow_id.map(|id| id.to_string()).unwrap_or_default(),
        ..DashboardQuery::default()
    };
    let today = Utc::now().date_naive();
    let d = app::dashboard::ssr::dashboard(&state.db, caller.org(), &query, today).await.map_err(|e| caller.fail(e))?;
    Ok(Json(Dashboard {
        from: d.scope.from,
        to: d.scope.to,
        roadshow_id: d.scope.roadshow_id,
        figures: (&d.headline.figures).into(),
        events: d.headline.events,
        guests: d.headline.guests,
        checked_in: d.headline.checked_in,
        leads: d.headline.leads,
        units: d
            .units
            .iter()
            .map(|u| UnitResult {
                unit_id: u.unit_id,
                name_zh: u.name_zh.clone(),
                name_en: u.name_en.clone(),
                figures: (&u.figures).into(),
                trips: u.trips,
                targets: u.targets.to_vec(),
                completions: u.completions.to_vec(),
                rank: u.rank,
            })
            .collect(),
    }))
}
