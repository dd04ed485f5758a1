//! Server side of events: queries scoped to the member's organization, time zone
//! conversion of venue-local times, and writes in one transaction each.

use anyhow::anyhow;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Func},
};

use super::{
    AgendaItemDto, EventDto, EventFilter, EventList, EventStatus, EventSummary, IndustryChain, PublicEvents,
    RegistrationWindow, ValidEvent, Visibility,
};
use crate::db::{begin_write, is_unique_violation};
use crate::domain::Slug;
use crate::domain::questions::Question;
use crate::entities::{agenda_item, event, event_question, roadshow};
use crate::error::{AppError, FieldErrors, Reason};
use crate::markdown::to_safe_html;

pub fn tz_of(name: &str) -> Result<Tz, AppError> {
    name.parse::<Tz>().map_err(|_| AppError::internal(anyhow!("stored unknown time zone {name}")))
}

/// Venue-local time to UTC. A time skipped by a daylight-saving jump is refused; a
/// repeated one takes its first occurrence.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, Reason> {
    tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)).ok_or(Reason::NonexistentLocalTime)
}

pub fn utc_to_local(tz: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&tz).naive_local()
}

pub fn offset_label(tz: Tz, at: DateTime<Utc>) -> String {
    let secs = at.with_timezone(&tz).offset().fix().local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("UTC{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

pub fn registration_window(event: &event::Model) -> RegistrationWindow {
    RegistrationWindow {
        opens_at: event.registration_opens_at,
        closes_at: event.registration_closes_at.unwrap_or(event.ends_at),
    }
}

/// Whether the event takes registrations at `now`.
pub fn registration_open(event: &event::Model, now: DateTime<Utc>) -> bool {
    registration_window(event).is_open(event.status, now)
}

async fn roadshow_names(db: &impl ConnectionTrait, org_id: i32) -> Result<Vec<(i32, String)>, AppError> {
    Ok(roadshow::Entity::find()
        .filter(roadshow::Column::OrganizationId.eq(org_id))
        .order_by_desc(roadshow::Column::Year)
        .order_by_asc(roadshow::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect())
}

pub fn summary(model: event::Model, roadshows: &[(i32, String)]) -> Result<EventSummary, AppError> {
    let tz = tz_of(&model.time_zone)?;
    Ok(EventSummary {
        id: model.id,
        roadshow_name: model.roadshow_id.and_then(|id| roadshows.iter().find(|r| r.0 == id).map(|r| r.1.clone())),
        roadshow_id: model.roadshow_id,
        slug: model.slug,
        title_zh: model.title_zh,
        title_en: model.title_en,
        city: model.city,
        region: model.region,
        starts_local: utc_to_local(tz, model.starts_at),
        ends_local: utc_to_local(tz, model.ends_at),
        starts_at: model.starts_at,
        capacity: model.capacity,
        status: model.status,
        visibility: model.visibility,
    })
}

/// The organization's events matching `filter`, by start time.
pub async fn list(db: &DatabaseConnection, org_id: i32, filter: &EventFilter) -> Result<EventList, AppError> {
    let mut query = event::Entity::find().filter(event::Column::OrganizationId.eq(org_id));
    match filter.roadshow.trim() {
        "" => {}
        "none" => query = query.filter(event::Column::RoadshowId.is_null()),
        id => {
            let id: i32 =
                id.parse().map_err(|_| AppError::Invalid(FieldErrors::single("roadshow", Reason::UnknownChoice)))?;
            query = query.filter(event::Column::RoadshowId.eq(id));
        }
    }
    if !filter.region.trim().is_empty() {
        query = query.filter(event::Column::Region.eq(filter.region.trim()));
    }
    if !filter.status.trim().is_empty() {
        let status = EventStatus::parse(filter.status.trim())
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("status", Reason::UnknownChoice)))?;
        query = query.filter(event::Column::Status.eq(status.as_str()));
    }
    if !filter.month.trim().is_empty() {
        let first = NaiveDate::parse_from_str(&format!("{}-01", filter.month.trim()), "%Y-%m-%d")
            .map_err(|_| AppError::Invalid(FieldErrors::single("month", Reason::InvalidDateTime)))?;
        let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
        // A month is taken in UTC, widened by the largest venue offsets (±14 h), and then
        // narrowed precisely on venue-local start dates below.
        let from = first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(14);
        let to = next.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + chrono::Duration::hours(14);
        query = query.filter(event::Column::StartsAt.gte(from)).filter(event::Column::StartsAt.lt(to));
    }
    let q = filter.q.trim().to_lowercase();
    if !q.is_empty() {
        let pattern = format!("%{}%", q.replace(['\\', '%', '_'], ""));
        let mut any = Condition::any();
        for column in [
            event::Column::TitleZh,
            event::Column::TitleEn,
            event::Column::City,
            event::Column::VenueName,
            event::Column::Slug,
        ] {
            any = any.add(Expr::expr(Func::lower(Expr::col(column))).like(pattern.clone()));
        }
        query = query.filter(any);
    }
    let models = query.order_by_asc(event::Column::StartsAt).limit(2000).all(db).await?;
    let roadshows = roadshow_names(db, org_id).await?;
    let month = filter.month.trim().to_string();
    let mut events = Vec::with_capacity(models.len());
    for model in models {
        let row = summary(model, &roadshows)?;
        if month.is_empty() || format!("{:04}-{:02}", row.starts_local.year(), row.starts_local.month()) == month {
            events.push(row);
        }
    }
    let regions: Vec<String> = event::Entity::find()
        .select_only()
        .column(event::Column::Region)
        .distinct()
        .filter(event::Column::OrganizationId.eq(org_id))
        .order_by_asc(event::Column::Region)
        .into_tuple()
        .all(db)
        .await?;
    Ok(EventList { events, regions, roadshows })
}

async fn to_dto(db: &impl ConnectionTrait, model: event::Model) -> Result<EventDto, AppError> {
    let tz = tz_of(&model.time_zone)?;
    let confirmed_count = i64::from(model.confirmed_count);
    let registration_window = registration_window(&model);
    let registration_open = registration_open(&model, Utc::now());
    let roadshow_name = match model.roadshow_id {
        Some(id) => roadshow::Entity::find_by_id(id).one(db).await?.map(|r| r.name),
        None => None,
    };
    let agenda = agenda_item::Entity::find()
        .filter(agenda_item::Column::EventId.eq(model.id))
        .order_by_asc(agenda_item::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AgendaItemDto { starts_local: utc_to_local(tz, a.starts_at), title: a.title, speaker: a.speaker })
        .collect();
    let questions = questions_of(db, model.id).await?;
    Ok(EventDto {
        questions,
        id: model.id,
        roadshow_id: model.roadshow_id,
        roadshow_name,
        slug: model.slug,
        description_html_zh: to_safe_html(&model.description_zh),
        description_html_en: to_safe_html(&model.description_en),
        title_zh: model.title_zh,
        title_en: model.title_en,
        description_zh: model.description_zh,
        description_en: model.description_en,
        city: model.city,
        country: model.country,
        region: model.region,
        venue_name: model.venue_name,
        venue_address: model.venue_address,
        starts_local: utc_to_local(tz, model.starts_at),
        ends_local: utc_to_local(tz, model.ends_at),
        utc_offset: offset_label(tz, model.starts_at),
        starts_at: model.starts_at,
        ends_at: model.ends_at,
        time_zone: model.time_zone,
        capacity: model.capacity,
        registration_opens_local: model.registration_opens_at.map(|t| utc_to_local(tz, t)),
        registration_closes_local: model.registration_closes_at.map(|t| utc_to_local(tz, t)),
        visibility: model.visibility,
        status: model.status,
        industry_chains: IndustryChain::split(&model.industry_chains),
        agenda,
        confirmed_count,
        registration_window,
        registration_open,
        cost_yuan: None,
    })
}

/// One event of the organization; another organization's event is `NotFound`.
pub async fn get(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<EventDto, AppError> {
    let model = find_owned(db, org_id, id).await?;
    let cost_yuan = model.cost_yuan;
    Ok(EventDto { cost_yuan: Some(cost_yuan), ..to_dto(db, model).await? })
}

/// Takes the event's row lock for the transaction (PostgreSQL; on SQLite `BEGIN IMMEDIATE`
/// already holds the whole database) before one of its registrations is written. The
/// triggers write the event's row on every change to one of its registrations (its seat
/// counts and registrations version): a writer that took the registration's row first and
/// the event's second could wait on one that took them the other way round (a registration
/// batch, a cancellation, the waitlist), each waiting for the other until PostgreSQL broke
/// the circle by failing one. Every writer takes the event first.
pub async fn lock_event(txn: &impl ConnectionTrait, id: i32) -> Result<(), AppError> {
    if crate::db::is_postgres(txn) {
        event::Entity::find_by_id(id).lock_exclusive().one(txn).await?;
    }
    Ok(())
}

/// The event `id` of the organization; another organization's event is `NotFound`.
pub async fn find_owned(db: &impl ConnectionTrait, org_id: i32, id: i32) -> Result<event::Model, AppError> {
    event::Entity::find_by_id(id)
        .filter(event::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A published (or cancelled / completed) event by its slug; drafts are `NotFound`.
pub async fn get_public(db: &DatabaseConnection, slug: &str) -> Result<EventDto, AppError> {
    let model = event::Entity::find()
        .filter(event::Column::Slug.eq(slug))
        .filter(event::Column::Status.ne(EventStatus::Draft.as_str()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    to_dto(db, model).await
}

/// Public events for the home page: the coming ones (published, not ended) soonest
/// first, and the latest past ones (completed) most recent first.
pub async fn list_public(db: &DatabaseConnection) -> Result<PublicEvents, AppError> {
    let public = || event::Entity::find().filter(event::Column::Visibility.eq(Visibility::Public.as_str()));
    let upcoming = public()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(event::Column::EndsAt.gt(Utc::now()))
        .order_by_asc(event::Column::StartsAt)
        .limit(100)
        .all(db)
        .await?;
    let past = public()
        .filter(event::Column::Status.eq(EventStatus::Completed.as_str()))
        .order_by_desc(event::Column::StartsAt)
        .limit(12)
        .all(db)
        .await?;
    let rows = |models: Vec<event::Model>| models.into_iter().map(|m| summary(m, &[])).collect::<Result<Vec<_>, _>>();
    Ok(PublicEvents { upcoming: rows(upcoming)?, past: rows(past)? })
}

/// The UTC times of a valid event, or field errors for local times that do not exist.
struct Times {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    agenda: Vec<DateTime<Utc>>,
}

fn resolve_times(event: &ValidEvent) -> Result<Times, AppError> {
    let tz = event
        .time_zone
        .as_str()
        .parse::<Tz>()
        .map_err(|_| AppError::Invalid(FieldErrors::single("time_zone", Reason::UnknownTimeZone)))?;
    let mut errors = FieldErrors::default();
    let starts_at = errors.check("starts_local", local_to_utc(tz, event.starts_local));
    let ends_at = errors.check("ends_local", local_to_utc(tz, event.ends_local));
    let opens_at = errors
        .check("registration_opens_local", event.registration_opens_local.map(|t| local_to_utc(tz, t)).transpose());
    let closes_at = errors
        .check("registration_closes_local", event.registration_closes_local.map(|t| local_to_utc(tz, t)).transpose());
    let agenda = errors
        .check("agenda", event.agenda.iter().map(|a| local_to_utc(tz, a.starts_local)).collect::<Result<Vec<_>, _>>());
    match (starts_at, ends_at, opens_at, closes_at, agenda) {
        (Some(starts_at), Some(ends_at), Some(opens_at), Some(closes_at), Some(agenda)) if errors.is_empty() => {
            if ends_at <= starts_at {
                return Err(AppError::Invalid(FieldErrors::single("ends_local", Reason::EndBeforeStart)));
            }
            Ok(Times { starts_at, ends_at, opens_at, closes_at, agenda })
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

async fn check_roadshow(db: &impl ConnectionTrait, org_id: i32, roadshow_id: Option<i32>) -> Result<(), AppError> {
    if let Some(id) = roadshow_id {
        roadshow::Entity::find_by_id(id)
            .filter(roadshow::Column::OrganizationId.eq(org_id))
            .one(db)
            .await?
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("roadshow_id", Reason::UnknownChoice)))?;
    }
    Ok(())
}

fn slug_for(event: &ValidEvent, starts_at: DateTime<Utc>) -> String {
    event
        .slug
        .clone()
        .or_else(|| Slug::from_text(&format!("{} {} {}", starts_at.year(), event.city, event.title_en)))
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|| format!("event-{}", starts_at.timestamp()))
}

fn slug_taken(err: sea_orm::DbErr) -> AppError {
    if is_unique_violation(&err) {
        AppError::Conflict(FieldErrors::single("slug", Reason::SlugTaken))
    } else {
        err.into()
    }
}

async fn write_agenda(
    db: &impl ConnectionTrait,
    event_id: i32,
    event: &ValidEvent,
    times: &[DateTime<Utc>],
) -> Result<(), AppError> {
    agenda_item::Entity::delete_many().filter(agenda_item::Column::EventId.eq(event_id)).exec(db).await?;
    for (position, (item, at)) in event.agenda.iter().zip(times).enumerate() {
        agenda_item::ActiveModel {
            event_id: Set(event_id),
            position: Set(position as i32),
            starts_at: Set(*at),
            title: Set(item.title.clone()),
            speaker: Set(item.speaker.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Creates a draft event with its agenda, all or nothing.
pub async fn create(db: &DatabaseConnection, org_id: i32, event: ValidEvent) -> Result<i32, AppError> {
    create_with_status(db, org_id, event, EventStatus::Draft).await
}

pub async fn create_with_status(
    db: &DatabaseConnection,
    org_id: i32,
    event: ValidEvent,
    status: EventStatus,
) -> Result<i32, AppError> {
    let times = resolve_times(&event)?;
    let txn = begin_write(db).await?;
    check_roadshow(&txn, org_id, event.roadshow_id).await?;
    let now = Utc::now();
    let model = event::ActiveModel {
        organization_id: Set(org_id),
        roadshow_id: Set(event.roadshow_id),
        slug: Set(slug_for(&event, times.starts_at)),
        title_zh: Set(event.title_zh.clone()),
        title_en: Set(event.title_en.clone()),
        description_zh: Set(event.description_zh.clone()),
        description_en: Set(event.description_en.clone()),
        city: Set(event.city.clone()),
        country: Set(event.country.as_str().to_string()),
        region: Set(event.region.clone()),
        venue_name: Set(event.venue_name.clone()),
        venue_address: Set(event.venue_address.clone()),
        time_zone: Set(event.time_zone.as_str().to_string()),
        starts_at: Set(times.starts_at),
        ends_at: Set(times.ends_at),
        capacity: Set(event.capacity),
        cost_yuan: Set(event.cost_yuan),
        registration_opens_at: Set(times.opens_at),
        registration_closes_at: Set(times.closes_at),
        visibility: Set(event.visibility),
        status: Set(status),
        industry_chains: Set(IndustryChain::join(&event.industry_chains)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(slug_taken)?;
    write_agenda(&txn, model.id, &event, &times.agenda).await?;
    txn.commit().await?;
    Ok(model.id)
}

/// Replaces an event's fields and agenda; its status is left as it was. For a published
/// event, confirmed guests are sent an updated invitation when the time or place changes,
/// and added seats go to the waitlist at once.
pub async fn update(
    db: &DatabaseConnection,
    mail: &crate::mail::ssr::MailSettings,
    org_id: i32,
    id: i32,
    event: ValidEvent,
) -> Result<(), AppError> {
    use crate::domain::RegistrationStatus;
    use crate::entities::registration;
    let times = resolve_times(&event)?;
    let txn = begin_write(db).await?;
    let mut owned = event::Entity::find_by_id(id).filter(event::Column::OrganizationId.eq(org_id));
    if crate::db::is_postgres(&txn) {
        // Serialized with registrations, which lock the event's row.
        owned = owned.lock_exclusive();
    }
    let existing = owned.one(&txn).await?.ok_or(AppError::NotFound)?;
    let before = existing.clone();
    check_roadshow(&txn, org_id, event.roadshow_id).await?;
    let slug = event.slug.clone().map(|s| s.as_str().to_string()).unwrap_or_else(|| existing.slug.clone());
    let mut model: event::ActiveModel = existing.into();
    model.roadshow_id = Set(event.roadshow_id);
    model.slug = Set(slug);
    model.title_zh = Set(event.title_zh.clone());
    model.title_en = Set(event.title_en.clone());
    model.description_zh = Set(event.description_zh.clone());
    model.description_en = Set(event.description_en.clone());
    model.city = Set(event.city.clone());
    model.country = Set(event.country.as_str().to_string());
    model.region = Set(event.region.clone());
    model.venue_name = Set(event.venue_name.clone());
    model.venue_address = Set(event.venue_address.clone());
    model.time_zone = Set(event.time_zone.as_str().to_string());
    model.starts_at = Set(times.starts_at);
    model.ends_at = Set(times.ends_at);
    model.capacity = Set(event.capacity);
    model.cost_yuan = Set(event.cost_yuan);
    model.registration_opens_at = Set(times.opens_at);
    model.registration_closes_at = Set(times.closes_at);
    model.visibility = Set(event.visibility);
    model.industry_chains = Set(IndustryChain::join(&event.industry_chains));
    model.updated_at = Set(Utc::now());
    let after = model.update(&txn).await.map_err(slug_taken)?;
    write_agenda(&txn, id, &event, &times.agenda).await?;
    if after.status == EventStatus::Published {
        let moved = (
            before.starts_at,
            before.ends_at,
            &before.time_zone,
            &before.venue_name,
            &before.venue_address,
            &before.city,
        ) != (
            after.starts_at,
            after.ends_at,
            &after.time_zone,
            &after.venue_name,
            &after.venue_address,
            &after.city,
        );
        let mailer = crate::mail::ssr::EventMailer::new(&txn, mail, &after).await?;
        if moved {
            let guests = registration::Entity::find()
                .filter(registration::Column::EventId.eq(id))
                .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed.as_str()))
                .all(&txn)
                .await?;
            for guest in guests {
                mailer.send(&txn, crate::mail::compose::MailKind::EventChanged, &after, guest, None).await?;
            }
        }
        if after.capacity > before.capacity {
            super::seats::promote_waitlist(&txn, &mailer, &after).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The slug of an event of the organization (else `NotFound`).
pub async fn slug_of(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<String, AppError> {
    Ok(find_owned(db, org_id, id).await?.slug)
}

/// Changes an event's status. Cancelling a published event emails each guest still
/// registered (with a calendar cancellation for those who had a seat), in the same
/// transaction, once: cancelling again sends nothing.
pub async fn set_status(
    db: &DatabaseConnection,
    mail: &crate::mail::ssr::MailSettings,
    org_id: i32,
    id: i32,
    status: EventStatus,
) -> Result<(), AppError> {
    use crate::domain::RegistrationStatus;
    use crate::entities::registration;
    let txn = begin_write(db).await?;
    let existing = find_owned(&txn, org_id, id).await?;
    let was = existing.status;
    let mut model: event::ActiveModel = existing.into();
    model.status = Set(status);
    model.updated_at = Set(Utc::now());
    let event = model.update(&txn).await?;
    if status == EventStatus::Cancelled && was != EventStatus::Cancelled {
        let guests = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event.id))
            .filter(
                registration::Column::Status
                    .is_in([RegistrationStatus::Confirmed.as_str(), RegistrationStatus::Waitlisted.as_str()]),
            )
            .all(&txn)
            .await?;
        let mailer = crate::mail::ssr::EventMailer::new(&txn, mail, &event).await?;
        for guest in guests {
            mailer.send(&txn, crate::mail::compose::MailKind::EventCancelled, &event, guest, None).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

fn question_of(m: event_question::Model) -> Question {
    Question {
        id: m.id,
        kind: m.kind,
        label_zh: m.label_zh,
        label_en: m.label_en,
        options: m.options.lines().filter(|o| !o.is_empty()).map(str::to_string).collect(),
        required: m.required,
    }
}

/// An event's questions in order (no access check: the public form shows them).
pub async fn questions_of(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<Question>, sea_orm::DbErr> {
    Ok(event_question::Entity::find()
        .filter(event_question::Column::EventId.eq(event_id))
        .order_by_asc(event_question::Column::Position)
        .order_by_asc(event_question::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(question_of)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venue_times_convert_with_daylight_saving() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let winter = NaiveDate::from_ymd_opt(2023, 3, 15).unwrap().and_hms_opt(14, 0, 0).unwrap();
        assert_eq!(local_to_utc(berlin, winter).unwrap().to_rfc3339(), "2023-03-15T13:00:00+00:00");
        let summer = NaiveDate::from_ymd_opt(2023, 6, 15).unwrap().and_hms_opt(14, 0, 0).unwrap();
        assert_eq!(local_to_utc(berlin, summer).unwrap().to_rfc3339(), "2023-06-15T12:00:00+00:00");
        let skipped = NaiveDate::from_ymd_opt(2023, 3, 26).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(local_to_utc(berlin, skipped), Err(Reason::NonexistentLocalTime));
        let at = local_to_utc(berlin, summer).unwrap();
        assert_eq!(utc_to_local(berlin, at), summer);
        assert_eq!(offset_label(berlin, at), "UTC+02:00");
        let johannesburg: Tz = "Africa/Johannesburg".parse().unwrap();
        assert_eq!(offset_label(johannesburg, at), "UTC+02:00");
    }
}
