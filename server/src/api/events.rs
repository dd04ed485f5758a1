//! Roadshows and their stops (events): list with filters, read, create, change, publish,
//! cancel. Bodies use the same field names, rules and messages as the organizer's forms.

use app::domain::EventStatus;
use app::entities::{event, roadshow};
use app::error::{AppError, FieldErrors, Reason};
use app::events::{EventForm, ValidEvent};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, response::IntoResponse};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::caller::Caller;
use super::problem::{ApiError, Body, Id, Problem, Query};
use super::{Page, after_cursor, page_of};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roadshows))
        .routes(routes!(get_roadshow))
        .routes(routes!(list_events, create_event))
        .routes(routes!(get_event, update_event))
        .routes(routes!(publish_event))
        .routes(routes!(cancel_event))
}

/// A roadshow: a year's programme of stops.
#[derive(Serialize, ToSchema)]
pub struct Roadshow {
    pub id: i32,
    pub name: String,
    pub year: i32,
    pub description: String,
    pub target_events: i32,
    pub target_leads: i32,
    pub target_projects: i32,
    /// In yuan.
    pub target_amount_cny: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<roadshow::Model> for Roadshow {
    fn from(r: roadshow::Model) -> Self {
        Roadshow {
            id: r.id,
            name: r.name,
            year: r.year,
            description: r.description,
            target_events: r.target_events,
            target_leads: r.target_leads,
            target_projects: r.target_projects,
            target_amount_cny: r.target_amount_cny,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The organization's roadshows, newest year first.
#[utoipa::path(get, path = "/roadshows", tag = "roadshows",
    responses((status = 200, body = Vec<Roadshow>), (status = 401, body = Problem), (status = 429, body = Problem)))]
async fn list_roadshows(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Roadshow>>, ApiError> {
    let rows = roadshow::Entity::find()
        .filter(roadshow::Column::OrganizationId.eq(caller.org()))
        .order_by_desc(roadshow::Column::Year)
        .order_by_asc(roadshow::Column::Id)
        .all(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?;
    Ok(Json(rows.into_iter().map(Roadshow::from).collect()))
}

#[utoipa::path(get, path = "/roadshows/{id}", tag = "roadshows", params(("id" = i32, Path)),
    responses((status = 200, body = Roadshow), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_roadshow(State(state): State<AppState>, caller: Caller, Id(id): Id) -> Result<Json<Roadshow>, ApiError> {
    let row = roadshow::Entity::find_by_id(id)
        .filter(roadshow::Column::OrganizationId.eq(caller.org()))
        .one(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?
        .ok_or_else(|| caller.fail(AppError::NotFound))?;
    Ok(Json(row.into()))
}

/// A stop of a roadshow (or a stand-alone event).
#[derive(Serialize, ToSchema)]
pub struct Event {
    pub id: i32,
    pub roadshow_id: Option<i32>,
    /// The public page is `/e/{slug}`.
    pub slug: String,
    pub public_url: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub city: String,
    /// ISO 3166 alpha-2.
    pub country: String,
    pub region: String,
    pub venue_name: String,
    pub venue_address: String,
    /// IANA zone of the venue, e.g. `Europe/Berlin`.
    pub time_zone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The start in the venue's zone, `YYYY-MM-DDTHH:MM`.
    #[schema(value_type = String, example = "2026-05-12T09:00")]
    pub starts_local: String,
    #[schema(value_type = String, example = "2026-05-12T17:00")]
    pub ends_local: String,
    pub capacity: i32,
    pub confirmed: i32,
    pub waitlisted: i32,
    pub seats_left: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// `public` or `invite_only`.
    #[schema(example = "public")]
    pub visibility: String,
    /// `draft`, `published`, `cancelled` or `completed`.
    #[schema(example = "published")]
    pub status: String,
    /// Slugs, e.g. `advanced-equipment`.
    pub industry_chains: Vec<String>,
    /// What the stop cost, in yuan.
    pub cost_yuan: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn local_text(time_zone: &str, at: DateTime<Utc>) -> String {
    let local: NaiveDateTime = match app::events::ssr::tz_of(time_zone) {
        Ok(tz) => app::events::ssr::utc_to_local(tz, at),
        Err(_) => at.naive_utc(),
    };
    local.format("%Y-%m-%dT%H:%M").to_string()
}

fn event_of(e: event::Model, public_url: &str) -> Event {
    Event {
        id: e.id,
        roadshow_id: e.roadshow_id,
        public_url: format!("{public_url}/e/{}", e.slug),
        slug: e.slug,
        title_zh: e.title_zh,
        title_en: e.title_en,
        description_zh: e.description_zh,
        description_en: e.description_en,
        city: e.city,
        country: e.country,
        region: e.region,
        venue_name: e.venue_name,
        venue_address: e.venue_address,
        starts_local: local_text(&e.time_zone, e.starts_at),
        ends_local: local_text(&e.time_zone, e.ends_at),
        time_zone: e.time_zone,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        capacity: e.capacity,
        confirmed: e.confirmed_count,
        waitlisted: e.waitlisted_count,
        seats_left: (e.capacity - e.confirmed_count).max(0),
        registration_opens_at: e.registration_opens_at,
        registration_closes_at: e.registration_closes_at,
        visibility: e.visibility.as_str().to_string(),
        status: e.status.as_str().to_string(),
        industry_chains: e.industry_chains.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        cost_yuan: e.cost_yuan,
        created_at: e.created_at,
        updated_at: e.updated_at,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// `draft`, `published`, `cancelled` or `completed`.
    status: Option<String>,
    roadshow_id: Option<i32>,
    region: Option<String>,
    /// Events starting on or after this day (`YYYY-MM-DD`, UTC).
    from: Option<NaiveDate>,
    /// Events starting before the end of this day.
    to: Option<NaiveDate>,
    /// Only events changed at or after this time (RFC 3339).
    updated_since: Option<DateTime<Utc>>,
    /// From a previous page's `next_cursor`.
    cursor: Option<String>,
    /// At most 100 (the default).
    limit: Option<u64>,
}

/// The organization's events, in the order they were created, a page at a time.
#[utoipa::path(get, path = "/events", tag = "events", params(EventQuery),
    responses((status = 200, body = Page<Event>), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn list_events(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<EventQuery>,
) -> Result<Json<Page<Event>>, ApiError> {
    let mut query = event::Entity::find().filter(event::Column::OrganizationId.eq(caller.org()));
    if let Some(status) = q.status.as_deref().filter(|s| !s.is_empty()) {
        let status = EventStatus::parse(status)
            .ok_or_else(|| caller.fail(AppError::Invalid(FieldErrors::single("status", Reason::UnknownChoice))))?;
        query = query.filter(event::Column::Status.eq(status.as_str()));
    }
    if let Some(id) = q.roadshow_id {
        query = query.filter(event::Column::RoadshowId.eq(id));
    }
    if let Some(region) = q.region.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(event::Column::Region.eq(region));
    }
    if let Some(from) = q.from {
        query = query.filter(event::Column::StartsAt.gte(from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
    }
    if let Some(to) = q.to.and_then(|d| d.succ_opt()) {
        query = query.filter(event::Column::StartsAt.lt(to.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
    }
    if let Some(since) = q.updated_since {
        query = query.filter(event::Column::UpdatedAt.gte(since));
    }
    let (after, limit) = after_cursor(q.cursor.as_deref(), q.limit).map_err(|e| caller.fail(e))?;
    let rows = query
        .filter(event::Column::Id.gt(after))
        .order_by_asc(event::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?;
    let url = state.config.public_url.clone();
    Ok(Json(page_of(rows, limit, |e| e.id, |e| event_of(e, &url))))
}

async fn owned(state: &AppState, caller: &Caller, id: i32) -> Result<event::Model, ApiError> {
    app::events::ssr::find_owned(&state.db, caller.org(), id).await.map_err(|e| caller.fail(e))
}

#[utoipa::path(get, path = "/events/{id}", tag = "events", params(("id" = i32, Path)),
    responses((status = 200, body = Event), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_event(State(state): State<AppState>, caller: Caller, Id(id): Id) -> Result<Json<Event>, ApiError> {
    let event = owned(&state, &caller, id).await?;
    Ok(Json(event_of(event, &state.config.public_url)))
}

/// An event's fields as an organizer types them (times in the venue's zone). Creating,
/// every required field; changing, only the fields to change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    pub roadshow_id: Option<i32>,
    /// Letters, digits and dashes; made from the English title when left out.
    pub slug: Option<String>,
    pub title_zh: Option<String>,
    pub title_en: Option<String>,
    /// Markdown.
    pub description_zh: Option<String>,
    pub description_en: Option<String>,
    pub city: Option<String>,
    /// ISO 3166 alpha-2, e.g. `DE`.
    pub country: Option<String>,
    pub region: Option<String>,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    /// IANA zone, e.g. `Europe/Berlin`.
    pub time_zone: Option<String>,
    #[schema(example = "2026-05-12T09:00")]
    pub starts_local: Option<String>,
    #[schema(example = "2026-05-12T17:00")]
    pub ends_local: Option<String>,
    pub capacity: Option<i64>,
    /// What the stop cost, in 万元 (ten thousand yuan).
    pub cost_wan: Option<f64>,
    pub registration_opens_local: Option<String>,
    pub registration_closes_local: Option<String>,
    /// `public` or `invite_only`.
    pub visibility: Option<String>,
    /// Industry chain slugs.
    pub industry_chains: Option<Vec<String>>,
    /// The programme, replacing the current one.
    pub agenda: Option<Vec<AgendaInput>>,
}

/// One item of the programme.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaInput {
    /// `HH:MM` on the first day, or `YYYY-MM-DD HH:MM`.
    #[schema(example = "09:30")]
    pub time: String,
    pub title: String,
    #[serde(default)]
    pub speaker: String,
}

impl EventInput {
    fn apply(self, form: &mut EventForm) {
        let set = |target: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *target = value;
            }
        };
        if let Some(id) = self.roadshow_id {
            form.roadshow_id = id.to_string();
        }
        set(&mut form.slug, self.slug);
        set(&mut form.title_zh, self.title_zh);
        set(&mut form.title_en, self.title_en);
        set(&mut form.description_zh, self.description_zh);
        set(&mut form.description_en, self.description_en);
        set(&mut form.city, self.city);
        set(&mut form.country, self.country);
        set(&mut form.region, self.region);
        set(&mut form.venue_name, self.venue_name);
        set(&mut form.venue_address, self.venue_address);
        set(&mut form.time_zone, self.time_zone);
        set(&mut form.starts_local, self.starts_local);
        set(&mut form.ends_local, self.ends_local);
        set(&mut form.capacity, self.capacity.map(|c| c.to_string()));
        set(&mut form.cost, self.cost_wan.map(|c| c.to_string()));
        set(&mut form.registration_opens_local, self.registration_opens_local);
        set(&mut form.registration_closes_local, self.registration_closes_local);
        set(&mut form.visibility, self.visibility);
        if let Some(chains) = self.industry_chains {
            form.industry_chains = chains.into_iter().map(|c| (c, "on".to_string())).collect();
        }
        if let Some(agenda) = self.agenda {
            form.agenda = agenda
                .into_iter()
                .map(|a| {
                    format!(
                        "{} | {} | {}",
                        a.time.replace('|', " "),
                        a.title.replace('|', " "),
                        a.speaker.replace('|', " ")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
}

fn parse(caller: &Caller, form: &EventForm) -> Result<ValidEvent, ApiError> {
    ValidEvent::try_from(form).map_err(|e| caller.fail(AppError::Invalid(e)))
}

/// Creates a draft event.
#[utoipa::path(post, path = "/events", tag = "events", request_body = EventInput,
    responses((status = 201, body = Event), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_event(
    State(state): State<AppState>,
    caller: Caller,
    Body(input): Body<EventInput>,
) -> Result<impl IntoResponse, ApiError> {
    caller.writer()?;
    let mut form = EventForm { visibility: "public".into(), ..EventForm::default() };
    input.apply(&mut form);
    let valid = parse(&caller, &form)?;
    let id = app::events::ssr::create(&state.db, caller.org(), valid).await.map_err(|e| caller.fail(e))?;
    app::events::cache::of(&state).map_err(|e| caller.fail(e))?.clear();
    let event = owned(&state, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(event_of(event, &state.config.public_url))))
}

/// Changes the fields given; guests are told of a new time or place as from the organizer's page.
#[utoipa::path(patch, path = "/events/{id}", tag = "events", params(("id" = i32, Path)), request_body = EventInput,
    responses((status = 200, body = Event), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_event(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(input): Body<EventInput>,
) -> Result<Json<Event>, ApiError> {
    caller.writer()?;
    let current = app::events::ssr::get(&state.db, caller.org(), id).await.map_err(|e| caller.fail(e))?;
    let mut form = current.to_form();
    input.apply(&mut form);
    let valid = parse(&caller, &form)?;
    app::events::ssr::update(&state.db, &state.mail, caller.org(), id, valid).await.map_err(|e| caller.fail(e))?;
    state.mail_wakeup.notify_one();
    app::events::cache::of(&state).map_err(|e| caller.fail(e))?.clear();
    Ok(Json(event_of(owned(&state, &caller, id).await?, &state.config.public_url)))
}

async fn set_status(state: AppState, caller: Caller, id: i32, status: EventStatus) -> Result<Json<Event>, ApiError> {
    caller.writer()?;
    app::events::ssr::set_status(&state.db, &state.mail, caller.org(), id, status).await.map_err(|e| caller.fail(e))?;
    state.mail_wakeup.notify_one();
    app::events::cache::of(&state).map_err(|e| caller.fail(e))?.clear();
    Ok(Json(event_of(owned(&state, &caller, id).await?, &state.config.public_url)))
}

/// Publishes the event: its page and registration open.
#[utoipa::path(post, path = "/events/{id}/publish", tag = "events", params(("id" = i32, Path)),
    responses((status = 200, body = Event), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn publish_event(State(state): State<AppState>, caller: Caller, Id(id): Id) -> Result<Json<Event>, ApiError> {
    set_status(state, caller, id, EventStatus::Published).await
}

/// Cancels the event: every guest is told.
#[utoipa::path(post, path = "/events/{id}/cancel", tag = "events", params(("id" = i32, Path)),
    responses((status = 200, body = Event), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn cancel_event(State(state): State<AppState>, caller: Caller, Id(id): Id) -> Result<Json<Event>, ApiError> {
    set_status(state, caller, id, EventStatus::Cancelled).await
}
