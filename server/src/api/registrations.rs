//! An event's registrations, a page of up to 100 at a time (cursor pagination, and
//! `updated_since` for a system that keeps a copy in step), one registration, and
//! checking a guest in.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use app::domain::RegistrationStatus;
use app::entities::registration;
use app::error::{AppError, FieldErrors, Reason};
use app::i18n::Lang;
use app::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};
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

/// What the API shows of a registration, read without the columns it does not show.
#[derive(FromQueryResult)]
struct Listed {
    id: i32,
    event_id: i32,
    email: String,
    name: String,
    phone: String,
    company: String,
    job_title: String,
    country: String,
    industry_chains: String,
    language: Lang,
    status: RegistrationStatus,
    consent_marketing_at: Option<DateTime<Utc>>,
    answers: String,
    checked_in_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn registration_of(r: Listed) -> Registration {
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

/// The event's registrations, in the order they were made. Each answer carries an `ETag`:
/// asked again with it in `If-None-Match`, the answer is `304 Not Modified` (no body) as
/// long as none of the event's registrations changed.
#[utoipa::path(get, path = "/events/{id}/registrations", tag = "registrations",
    params(("id" = i32, Path), RegistrationQuery,
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of an earlier answer")),
    responses((status = 200, body = Page<Registration>, headers(("ETag" = String, description = "Changes when the answer would"))),
        (status = 304, description = "Nothing changed since the answer whose `ETag` was given"),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn list_registrations(
    State(state): State<AppState>,
    caller: Caller,
    Id(event_id): Id,
    Query(q): Query<RegistrationQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let event = app::events::ssr::find_owned(&state.db, caller.org(), event_id).await.map_err(|e| caller.fail(e))?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(status) => Some(
            RegistrationStatus::parse(status)
                .ok_or_else(|| caller.fail(AppError::Invalid(FieldErrors::single("status", Reason::UnknownChoice))))?,
        ),
    };
    let (after, limit) = after_cursor(q.cursor.as_deref(), q.limit).map_err(|e| caller.fail(e))?;
    let kept = state.part::<Arc<KeptPages>>().map_err(|e| caller.fail(e))?;
    let key = format!(
        "{}|{}|{after}|{limit}",
        status.map_or("", |s| s.as_str()),
        q.updated_since.map(|t| t.to_rfc3339()).unwrap_or_default()
    );
    let page = match kept.get(event.id, &key, event.registrations_version) {
        Some(page) => page,
        None => {
            let mut query = registration::Entity::find()
                .select_only()
                .columns(LISTED)
                .filter(registration::Column::EventId.eq(event.id))
                .filter(registration::Column::Id.gt(after));
            if let Some(status) = status {
                query = query.filter(registration::Column::Status.eq(status.as_str()));
            }
            if let Some(since) = q.updated_since {
                query = query.filter(registration::Column::UpdatedAt.gte(since));
            }
            let rows = query
                .order_by_asc(registration::Column::Id)
                .limit(limit + 1)
                .into_model::<Listed>()
                .all(&state.db)
                .await
                .map_err(|e| caller.fail(e.into()))?;
            let body = serde_json::to_vec(&page_of(rows, limit, |r| r.id, registration_of))
                .map_err(|e| caller.fail(AppError::internal(e.into())))?;
            kept.keep(event.id, key, event.registrations_version, body)
        }
    };
    Ok(page.answer(&headers))
}

/// The columns [`Listed`] reads.
const LISTED: [registration::Column; 16] = [
    registration::Column::Id,
    registration::Column::EventId,
    registration::Column::Email,
    registration::Column::Name,
    registration::Column::Phone,
    registration::Column::Company,
    registration::Column::JobTitle,
    registration::Column::Country,
    registration::Column::IndustryChains,
    registration::Column::Language,
    registration::Column::Status,
    registration::Column::ConsentMarketingAt,
    registration::Column::Answers,
    registration::Column::CheckedInAt,
    registration::Column::CreatedAt,
    registration::Column::UpdatedAt,
];

/// Pages of registrations the API answered, by event and query, each with the event's
/// registrations version it was read at. The database raises the version in the
/// transaction of every change to one of the event's registrations, and the version is
/// read (with the event, to check the caller's organization) before the page, so a kept
/// page is used only while it is exactly what reading again would give, on every node.
/// Bounded: past 1,024 pages or 64 MiB it starts again empty.
#[derive(Default)]
pub struct KeptPages {
    pages: Mutex<Shelf>,
}

/// The kept pages by event and query, and the bytes they hold.
#[derive(Default)]
struct Shelf {
    by_key: HashMap<(i32, String), Arc<KeptPage>>,
    bytes: usize,
}

/// An answer, ready to send again.
pub struct KeptPage {
    version: i64,
    etag: HeaderValue,
    body: Bytes,
}

impl KeptPages {
    const MOST_PAGES: usize = 1024;
    const MOST_BYTES: usize = 64 << 20;

    fn get(&self, event_id: i32, key: &str, version: i64) -> Option<Arc<KeptPage>> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.by_key.get(&(event_id, key.to_string())).filter(|p| p.version == version).cloned()
    }

    fn keep(&self, event_id: i32, key: String, version: i64, body: Vec<u8>) -> Arc<KeptPage> {
        let mut hasher = std::hash::DefaultHasher::new();
        body.hash(&mut hasher);
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        let page = Arc::new(KeptPage { version, etag, body: Bytes::from(body) });
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.by_key.len() >= Self::MOST_PAGES || pages.bytes + page.body.len() > Self::MOST_BYTES {
            *pages = Shelf::default();
        }
        pages.bytes += page.body.len();
        if let Some(old) = pages.by_key.insert((event_id, key), page.clone()) {
            pages.bytes -= old.body.len();
        }
        page
    }
}

impl KeptPage {
    /// `304` when `If-None-Match` names this answer, else the answer.
    fn answer(&self, headers: &HeaderMap) -> Response {
        let matches = headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| {
                let tag = tag.trim();
                tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == self.etag.as_bytes()
            });
        let mut response =
            if matches { StatusCode::NOT_MODIFIED.into_response() } else { self.body.clone().into_response() };
        let h = response.headers_mut();
        if !matches {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        h.insert(header::ETAG, self.etag.clone());
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
        response
    }
}

async fn owned(state: &AppState, caller: &Caller, id: i32) -> Result<Listed, ApiError> {
    let row = registration::Entity::find_by_id(id)
        .select_only()
        .columns(LISTED)
        .into_model::<Listed>()
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
    let checked =
        app::registrations::ssr::check_in_at(&state.db, caller.org(), id, None).await.map_err(|e| caller.fail(e))?;
    // The phones at the door hear it (here, outside a page's context, from the state).
    if let (Ok(hub), Some(change)) = (state.part::<app::registrations::ssr::DoorHub>(), checked.change) {
        hub.committed(change);
    }
    let outcome = checked.outcome;
    let registration = registration_of(owned(&state, &caller, id).await?);
    Ok(Json(CheckIn { already: outcome.already, checked_in_at: outcome.checked_in_at, registration }))
}
