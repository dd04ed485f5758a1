//! An event's registrations, a page of up to 100 at a time (cursor pagination, and
//! `updated_since` for a system that keeps a copy in step), one registration, and
//! checking a guest in.

use app::domain::RegistrationStatus;
use app::entities::registration;
use app::error::{AppError, FieldErrors, Reason};
use app::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::caller::Caller;
use super::problem::{ApiError, Id, Problem, Query};
use super::{Page, after_cursor, page_of};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_registrations)).routes(routes!(get_registration)).routes(routes!(check_in))
}

/// A guest's registration for an event.
#[derive(Serialize, ToSchema)]
pub struct Registration {
    pub id: i32,
    pub event_id: i32,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub company: String,
    pub job_title: String,
    /// ISO 3166 alpha-2, or empty.
    pub country: String,
    pub industry_chains: Vec<String>,
    /// `zh` or `en`.
    pub language: String,
    /// `confirmed`, `waitlisted` or `cancelled`.
    #[schema(example = "confirmed")]
    pub status: String,
    pub marketing_consent: bool,
    /// Answers to the event's questions, by question id.
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn registration_of(r: registration::Model) -> Registration {
    Registration {
        id: r.id,
        event_id: r.event_id,
        email: r.email,
        name: r.name,
        phone: r.phone,
        company: r.company,
        job_title: r.job_title,
        country: r.country,
        industry_chains: r.industry_chains.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        language: r.language.code().to_string(),
        status: r.status.as_str().to_string(),
        marketing_consent: r.consent_marketing_at.is_some(),
        answers: serde_json::from_str(&r.answers).unwrap_or_else(|_| serde_json::json!({})),
        checked_in_at: r.checked_in_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct RegistrationQuery {
    /// `confirmed`, `waitlisted` or `cancelled`.
    status: Option<String>,
    /// Only registrations changed at or after this time (RFC 3339). To keep a copy in
    /// step, pass the time you started your previous complete read.
    updated_since: Option<DateTime<Utc>>,
    /// From a previous page's `next_cursor`.
    cursor: Option<String>,
    /// At most 100 (the default).
    limit: Option<u64>,
}

/// The event's registrations, in the order they were made.
#[utoipa::path(get, path = "/events/{id}/registrations", tag = "registrations",
    params(("id" = i32, Path), RegistrationQuery),
    responses((status = 200, body = Page<Registration>), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn list_registrations(
    State(state): State<AppState>,
    caller: Caller,
    Id(event_id): Id,
    Query(q): Query<RegistrationQuery>,
) -> Result<Json<Page<Registration>>, ApiError> {
    app::events::ssr::find_owned(&state.db, caller.org(), event_id).await.map_err(|e| caller.fail(e))?;
    let mut query = registration::Entity::find().filter(registration::Column::EventId.eq(event_id));
    if let Some(status) = q.status.as_deref().filter(|s| !s.is_empty()) {
        let status = RegistrationStatus::parse(status)
            .ok_or_else(|| caller.fail(AppError::Invalid(FieldErrors::single("status", Reason::UnknownChoice))))?;
        query = query.filter(registration::Column::Status.eq(status.as_str()));
    }
    if let Some(since) = q.updated_since {
        query = query.filter(registration::Column::UpdatedAt.gte(since));
    }
    let (after, limit) = after_cursor(q.cursor.as_deref(), q.limit).map_err(|e| caller.fail(e))?;
    let rows = query
        .filter(registration::Column::Id.gt(after))
        .order_by_asc(registration::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?;
    Ok(Json(page_of(rows, limit, |r| r.id, registration_of)))
}

async fn owned(state: &AppState, caller: &Caller, id: i32) -> Result<registration::Model, ApiError> {
    let row = registration::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?
        .ok_or_else(|| caller.fail(AppError::NotFound))?;
    app::events::ssr::find_owned(&state.db, caller.org(), row.event_id).await.map_err(|e| caller.fail(e))?;
    Ok(row)
}

#[utoipa::path(get, path = "/registrations/{id}", tag = "registrations", params(("id" = i32, Path)),
    responses((status = 200, body = Registration), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_registration(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> Result<Json<Registration>, ApiError> {
    Ok(Json(registration_of(owned(&state, &caller, id).await?)))
}

/// What checking in did.
#[derive(Serialize, ToSchema)]
pub struct CheckIn {
    /// The guest had been checked in before; `checked_in_at` is that first time.
    pub already: bool,
    pub checked_in_at: DateTime<Utc>,
    pub registration: Registration,
}

/// Checks the guest in (once: a second call answers `already` with the first time).
#[utoipa::path(post, path = "/registrations/{id}/check-in", tag = "registrations", params(("id" = i32, Path)),
    responses((status = 200, body = CheckIn), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn check_in(State(state): State<AppState>, caller: Caller, Id(id): Id) -> Result<Json<CheckIn>, ApiError> {
    caller.writer()?;
    let outcome = app::registrations::ssr::check_in(&state.db, caller.org(), id).await.map_err(|e| caller.fail(e))?;
    let registration = registration_of(owned(&state, &caller, id).await?);
    Ok(Json(CheckIn { already: outcome.already, checked_in_at: outcome.checked_in_at, registration }))
}
