//! Server side of meetings. A request is a row; accepting it writes three seats (the guest,
//! the host and the table in the chosen slot) whose primary key the database keeps unique,
//! so two accepts that want one person or table in one slot cannot both commit, on any
//! number of processes. Each writer inserts its seats in one statement in the same order
//! (sorted by holder), so two accepts never wait on each other in a circle.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::mail::Change;
use super::{
    GuestMeetings, GuestProfile, HostProfile, MeetingCounts, MeetingView, Programme, ProgrammeForm, SlotView,
    TableView, ValidHost, ValidProgramme,
};
use crate::db::begin_write;
use crate::domain::{IndustryChain, MeetingStatus, RegistrationStatus};
use crate::entities::{
    event, meeting_guest, meeting_host, meeting_programme, meeting_proposal, meeting_request, meeting_seat,
    meeting_table, registration,
};
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::ssr::{find_owned, local_to_utc, lock_event, tz_of};
use crate::mail::ssr::MailSettings;

/// Who acts: the organizer for the event's hosts, a host or a guest through their private link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The organizer for the event's hosts: asks guests, answers the guests' requests.
    Host {
        event_id: i32,
    },
    Guest {
        event_id: i32,
        registration_id: i32,
    },
    /// A host through their own private link: their requests and meetings only.
    HostLink {
        event_id: i32,
        host_id: i32,
    },
}

impl Side {
    fn event_id(self) -> i32 {
        match self {
            Side::Host { event_id } | Side::Guest { event_id, .. } | Side::HostLink { event_id, .. } => event_id,
        }
    }

    /// The request is one this side may answer or cancel; any other is `NotFound`.
    fn owns(self, request: &meeting_request::Model) -> bool {
        match self {
            Side::Host { event_id } => request.event_id == event_id,
            Side::Guest { registration_id, .. } => request.registration_id == registration_id,
            Side::HostLink { event_id, host_id } => request.event_id == event_id && request.host_id == host_id,
        }
    }

    /// The request was sent by the other side (only those are answered).
    fn received(self, request: &meeting_request::Model) -> bool {
        match self {
            Side::Host { .. } | Side::HostLink { .. } => !request.from_host,
            Side::Guest { .. } => request.from_host,
        }
    }
}

/// What the other side says to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Into this slot and at this table when given.
    Accept {
        slot: Option<i32>,
        table: Option<i32>,
    },
    Decline,
}

impl Answer {
    pub fn parse(answer: &str, slot: &str, table: &str) -> Result<Answer, AppError> {
        let mut e = FieldErrors::default();
        let number = |e: &mut FieldErrors, field: &str, value: &str| match value.trim() {
            "" => Some(None),
            n => e.check(field, crate::domain::integer(n, 1, i64::from(i32::MAX)).map(|n| Some(n as i32))),
        };
        let slot = number(&mut e, "slot", slot);
        let table = number(&mut e, "table", table);
        let answer = match answer {
            "accept" => Some(Answer::Accept { slot: slot.flatten(), table: table.flatten() }),
            "decline" => Some(Answer::Decline),
            _ => {
                e.add("answer", Reason::UnknownChoice);
                None
            }
        };
        e.into_result()?;
        Ok(answer.unwrap_or(Answer::Decline))
    }
}

fn conflict(field: &str, reason: Reason) -> AppError {
    AppError::Conflict(FieldErrors::single(field, reason))
}

fn guest_key(registration_id: i32) -> String {
    format!("g{registration_id}")
}

fn host_key(host_id: i32) -> String {
    format!("h{host_id}")
}

fn table_key(table_id: i32) -> String {
    format!("t{table_id}")
}

/// The settings before an organizer saved any: a morning of 20-minute slots from the
/// event's start, off.
fn default_programme(event: &event::Model, tz: Tz) -> meeting_programme::Model {
    meeting_programme::Model {
        event_id: event.id,
        enabled: false,
        first_slot_at: crate::events::ssr::utc_to_local(tz, event.starts_at),
        slot_minutes: 20,
        slot_count: 12,
        breaks: String::new(),
        request_hours: 48,
        max_open_requests: 10,
        reminder_minutes: 15,
        updated_at: Utc::now(),
    }
}

/// An event's slot grid, read from its programme.
pub struct Grid {
    pub programme: meeting_programme::Model,
    pub tz: Tz,
    pub breaks: BTreeSet<i32>,
    pub saved: bool,
}

impl Grid {
    pub async fn of(db: &impl ConnectionTrait, event: &event::Model) -> Result<Grid, AppError> {
        let tz = tz_of(&event.time_zone)?;
        let saved = meeting_programme::Entity::find_by_id(event.id).one(db).await?;
        let is_saved = saved.is_some();
        let programme = saved.unwrap_or_else(|| default_programme(event, tz));
        let breaks = super::parse_breaks(&programme.breaks, programme.slot_count).unwrap_or_default();
        Ok(Grid { breaks: breaks.into_iter().collect(), programme, tz, saved: is_saved })
    }

    pub fn slot(&self, number: i32) -> SlotView {
        let minutes = i64::from(self.programme.slot_minutes);
        let starts_local = self.programme.first_slot_at + Duration::minutes(minutes * i64::from(number - 1));
        let ends_local = starts_local + Duration::minutes(minutes);
        SlotView {
            number,
            starts_local,
            ends_local,
            starts_at: self.at(starts_local),
            is_break: self.breaks.contains(&number),
            own_starts_local: None,
        }
    }

    /// A local time as a moment; a time in a spring-forward gap is read as UTC's.
    fn at(&self, local: NaiveDateTime) -> DateTime<Utc> {
        local_to_utc(self.tz, local).unwrap_or_else(|_| local.and_utc())
    }

    /// When a meeting in `slot` is reminded (none when the programme reminds no one).
    pub fn remind_at(&self, slot: i32) -> Option<DateTime<Utc>> {
        let minutes = i64::from(self.programme.reminder_minutes);
        (minutes > 0).then(|| self.slot(slot).starts_at - Duration::minutes(minutes))
    }

    pub fn slots(&self) -> Vec<SlotView> {
        (1..=self.programme.slot_count).map(|n| self.slot(n)).collect()
    }

    /// The slots meetings can take, in time order.
    pub fn open_slots(&self) -> impl Iterator<Item = i32> + '_ {
        (1..=self.programme.slot_count).filter(|n| !self.breaks.contains(n))
    }

    fn check_slot(&self, slot: i32) -> Result<(), AppError> {
        if !(1..=self.programme.slot_count).contains(&slot) {
            let range = Reason::OutOfRange { min: 1, max: i64::from(self.programme.slot_count) };
            return Err(AppError::Invalid(FieldErrors::single("slot", range)));
        }
        if self.breaks.contains(&slot) {
            return Err(AppError::Invalid(FieldErrors::single("slot", Reason::SlotIsBreak)));
        }
        Ok(())
    }
}

/// The status a reader sees: a pending request past its time has expired.
fn shown_status(request: &meeting_request::Model, now: DateTime<Utc>) -> MeetingStatus {
    match request.status {
        MeetingStatus::Pending if request.expires_at <= now => MeetingStatus::Expired,
        status => status,
    }
}

pub async fn programme(db: &DatabaseConnection, org_id: i32, event_id: i32) -> Result<Programme, AppError> {
    let event = find_owned(db, org_id, event_id).await?;
    let grid = Grid::of(db, &event).await?;
    let tables = tables_of(db, event_id).await?;
    let hosts = hosts_of(db, event_id).await?;
    let guests = opted_in_guests(db, event_id).await?;
    let requests = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .order_by_asc(meeting_request::Column::Id)
        .all(db)
        .await?;
    let counts = count(&requests);
    let meetings = views(db, &grid, requests).await?;
    let p = &grid.programme;
    Ok(Programme {
        event_id,
        event_title_zh: event.title_zh,
        event_title_en: event.title_en,
        time_zone: event.time_zone,
        settings: ProgrammeForm {
            enabled: if p.enabled { "on".into() } else { String::new() },
            first_slot_at: p.first_slot_at.format("%Y-%m-%dT%H:%M").to_string(),
            slot_minutes: p.slot_minutes.to_string(),
            slot_count: p.slot_count.to_string(),
            breaks: grid.breaks.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", "),
            request_hours: p.request_hours.to_string(),
            max_open_requests: p.max_open_requests.to_string(),
            reminder_minutes: p.reminder_minutes.to_string(),
        },
        saved: grid.saved,
        slots: grid.slots(),
        tables,
        hosts,
        guests,
        meetings,
        counts,
        proposals: proposals(db, event_id).await?,
        host_links: Vec::new(),
    })
}

fn count(requests: &[meeting_request::Model]) -> MeetingCounts {
    let mut counts = MeetingCounts { requested: requests.len() as u64, ..Default::default() };
    for r in requests {
        match r.status {
            MeetingStatus::Accepted => counts.accepted += 1,
            MeetingStatus::Held => {
                counts.accepted += 1;
                counts.held += 1;
            }
            MeetingStatus::Missed => {
                counts.accepted += 1;
                counts.missed += 1;
            }
            _ => {}
        }
    }
    counts
}

async fn tables_of(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<TableView>, AppError> {
    Ok(meeting_table::Entity::find()
        .filter(meeting_table::Column::EventId.eq(event_id))
        .order_by_asc(meeting_table::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TableView { id: t.id, name: t.name, room: t.room })
        .collect())
}

async fn hosts_of(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<HostProfile>, AppError> {
    Ok(meeting_host::Entity::find()
        .filter(meeting_host::Column::EventId.eq(event_id))
        .order_by_asc(meeting_host::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|h| HostProfile {
            id: h.id,
            industry_chains: IndustryChain::split(&h.industry_chains),
            name: h.name,
            organization: h.organization,
            unit: h.unit,
            offer: h.offer,
        })
        .collect())
}

/// The confirmed guests who agreed to be met.
pub(super) async fn opted_in_guests(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<GuestProfile>, AppError> {
    let opted: HashMap<i32, String> = meeting_guest::Entity::find()
        .filter(meeting_guest::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.registration_id, g.offer))
        .collect();
    if opted.is_empty() {
        return Ok(Vec::new());
    }
    let mut guests: Vec<GuestProfile> = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .filter(registration::Column::Id.is_in(opted.keys().copied()))
        .order_by_asc(registration::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|r| GuestProfile {
            registration_id: r.id,
            industry_chains: IndustryChain::split(&r.industry_chains),
            offer: opted.get(&r.id).cloned().unwrap_or_default(),
            name: r.name,
            company: r.company,
            job_title: r.job_title,
            country: r.country,
        })
        .collect();
    guests.sort_by(|a, b| a.name.cmp(&b.name).then(a.registration_id.cmp(&b.registration_id)));
    Ok(guests)
}

/// Requests as either side reads them, with names, slot times and tables.
pub(super) async fn views(
    db: &impl ConnectionTrait,
    grid: &Grid,
    requests: Vec<meeting_request::Model>,
) -> Result<Vec<MeetingView>, AppError> {
    let event_id = grid.programme.event_id;
    let hosts: HashMap<i32, meeting_host::Model> = meeting_host::Entity::find()
        .filter(meeting_host::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let guest_ids: BTreeSet<i32> = requests.iter().map(|r| r.registration_id).collect();
    let guests: HashMap<i32, registration::Model> = registration::Entity::find()
        .filter(registration::Column::Id.is_in(guest_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let tables: HashMap<i32, String> = tables_of(db, event_id).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let now = Utc::now();
    Ok(requests
        .into_iter()
        .map(|r| {
            let host = hosts.get(&r.host_id);
            let guest = guests.get(&r.registration_id);
            MeetingView {
                id: r.id,
                host_id: r.host_id,
                host_name: host.map(|h| h.name.clone()).unwrap_or_default(),
                host_organization: host.map(|h| h.organization.clone()).unwrap_or_default(),
                registration_id: r.registration_id,
                guest_name: guest.map(|g| g.name.clone()).unwrap_or_default(),
                guest_company: guest.map(|g| g.company.clone()).unwrap_or_default(),
                from_host: r.from_host,
                status: shown_status(&r, now),
                slot: r.slot.map(|s| grid.slot(s)),
                table: r.table_id.and_then(|t| tables.get(&t).cloned()),
                expires_at: r.expires_at,
                message: r.message,
            }
        })
        .collect())
}

pub async fn save_programme(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    valid: ValidProgramme,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let event = find_owned(&txn, org_id, event_id).await?;
    lock_event(&txn, event_id).await?;
    // A meeting already accepted keeps its slot: the grid may not lose it.
    let booked: Vec<i32> = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(meeting_request::Column::Slot.is_not_null())
        .filter(meeting_request::Column::Status.is_in([
            MeetingStatus::Accepted,
            MeetingStatus::Held,
            MeetingStatus::Missed,
        ]))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|r| r.slot)
        .collect();
    if booked.iter().any(|s| *s > valid.slot_count) {
        return Err(conflict("slot_count", Reason::SlotTaken));
    }
    if booked.iter().any(|s| valid.breaks.contains(s)) {
        return Err(conflict("breaks", Reason::SlotTaken));
    }
    let model = meeting_programme::ActiveModel {
        event_id: Set(event_id),
        enabled: Set(valid.enabled),
        first_slot_at: Set(valid.first_slot_at),
        slot_minutes: Set(valid.slot_minutes),
        slot_count: Set(valid.slot_count),
        breaks: Set(valid.breaks.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(",")),
        request_hours: Set(valid.request_hours),
        max_open_requests: Set(valid.max_open_requests),
        reminder_minutes: Set(valid.reminder_minutes),
        updated_at: Set(Utc::now()),
    };
    meeting_programme::Entity::insert(model)
        .on_conflict(
            OnConflict::column(meeting_programme::Column::EventId)
                .update_columns([
                    meeting_programme::Column::Enabled,
                    meeting_programme::Column::FirstSlotAt,
                    meeting_programme::Column::SlotMinutes,
                    meeting_programme::Column::SlotCount,
                    meeting_programme::Column::Breaks,
                    meeting_programme::Column::RequestHours,
                    meeting_programme::Column::MaxOpenRequests,
                    meeting_programme::Column::ReminderMinutes,
                    meeting_programme::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    // The meetings' reminder times follow the grid and the reminder setting: one statement
    // per slot.
    let grid = Grid::of(&txn, &event).await?;
    for slot in booked.iter().copied().collect::<BTreeSet<i32>>() {
        meeting_request::Entity::update_many()
            .col_expr(meeting_request::Column::RemindAt, Expr::value(grid.remind_at(slot)))
            .filter(meeting_request::Column::EventId.eq(event_id))
            .filter(meeting_request::Column::Slot.eq(slot))
            .filter(meeting_request::Column::Status.eq(MeetingStatus::Accepted))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Adds the tables named one per line (names already there are kept); returns how many
/// were added.
pub async fn add_tables(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    names: &str,
    room: &str,
) -> Result<u64, AppError> {
    let room = crate::domain::text(room, false, 100).map_err(|r| AppError::Invalid(FieldErrors::single("room", r)))?;
    let mut wanted = Vec::new();
    for name in names.lines().map(str::trim).filter(|n| !n.is_empty()) {
        let name =
            crate::domain::text(name, true, 60).map_err(|r| AppError::Invalid(FieldErrors::single("names", r)))?;
        if !wanted.contains(&name) {
            wanted.push(name);
        }
    }
    if wanted.is_empty() {
        return Err(AppError::Invalid(FieldErrors::single("names", Reason::Required)));
    }
    let txn = begin_write(db).await?;
    find_owned(&txn, org_id, event_id).await?;
    let existing: BTreeSet<String> = tables_of(&txn, event_id).await?.into_iter().map(|t| t.name).collect();
    let new: Vec<meeting_table::ActiveModel> = wanted
        .into_iter()
        .filter(|n| !existing.contains(n))
        .map(|name| meeting_table::ActiveModel {
            event_id: Set(event_id),
            name: Set(name),
            room: Set(room.clone()),
            ..Default::default()
        })
        .collect();
    let added = new.len() as u64;
    if added > 0 {
        meeting_table::Entity::insert_many(new).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(added)
}

/// Removes a table no meeting was ever given.
pub async fn remove_table(db: &DatabaseConnection, org_id: i32, event_id: i32, table_id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    find_owned(&txn, org_id, event_id).await?;
    let table = meeting_table::Entity::find_by_id(table_id)
        .filter(meeting_table::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let used =
        meeting_request::Entity::find().filter(meeting_request::Column::TableId.eq(table.id)).count(&txn).await?;
    if used > 0 {
        return Err(conflict("table_id", Reason::TableInUse));
    }
    meeting_table::Entity::delete_by_id(table.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn save_host(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    host_id: i32,
    host: ValidHost,
) -> Result<i32, AppError> {
    find_owned(db, org_id, event_id).await?;
    let mut model = if host_id == 0 {
        meeting_host::ActiveModel { event_id: Set(event_id), created_at: Set(Utc::now()), ..Default::default() }
    } else {
        meeting_host::Entity::find_by_id(host_id)
            .filter(meeting_host::Column::EventId.eq(event_id))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?
            .into()
    };
    model.name = Set(host.name);
    model.organization = Set(host.organization);
    model.unit = Set(host.unit);
    model.industry_chains = Set(IndustryChain::join(&host.industry_chains));
    model.offer = Set(host.offer);
    model.email = Set(host.email.map(|e| e.as_str().to_string()).unwrap_or_default());
    model.language = Set(host.language);
    Ok(model.save(db).await?.id.unwrap())
}

/// The guest behind a private link, as a side that can ask, answer and cancel.
pub async fn guest_side(db: &DatabaseConnection, mail: &MailSettings, token: &str) -> Result<Side, AppError> {
    let (row, event) = crate::registrations::ssr::by_token(db, mail, token).await?;
    Ok(Side::Guest { event_id: event.id, registration_id: row.id })
}

pub async fn guest_meetings(
    db: &DatabaseConnection,
    mail: &MailSettings,
    token: &str,
) -> Result<GuestMeetings, AppError> {
    let (row, event) = crate::registrations::ssr::by_token(db, mail, token).await?;
    let grid = Grid::of(db, &event).await?;
    let enabled = grid.saved && grid.programme.enabled;
    let confirmed = row.status == RegistrationStatus::Confirmed;
    let opted = meeting_guest::Entity::find_by_id(row.id).one(db).await?;
    let requests = meeting_request::Entity::find()
        .filter(meeting_request::Column::RegistrationId.eq(row.id))
        .order_by_asc(meeting_request::Column::Id)
        .all(db)
        .await?;
    let hosts = if enabled && confirmed { hosts_of(db, event.id).await? } else { Vec::new() };
    let own_zone = (!row.time_zone.is_empty() && row.time_zone != event.time_zone)
        .then(|| row.time_zone.parse::<Tz>().ok())
        .flatten();
    let mut meetings = views(db, &grid, requests).await?;
    if let Some(zone) = own_zone {
        for slot in meetings.iter_mut().filter_map(|m| m.slot.as_mut()) {
            slot.own_starts_local = Some(crate::events::ssr::utc_to_local(zone, slot.starts_at));
        }
    }
    Ok(GuestMeetings {
        enabled,
        confirmed,
        opted_in: opted.is_some(),
        offer: opted.map(|o| o.offer).unwrap_or_default(),
        hosts,
        meetings,
        slots: grid.slots(),
        own_time_zone: (!row.time_zone.is_empty() && row.time_zone != event.time_zone).then_some(row.time_zone),
        max_open_requests: grid.programme.max_open_requests,
    })
}

/// The guest agrees to be met (`on`) or stops; their requests and meetings stay.
pub async fn opt_in(db: &DatabaseConnection, side: Side, offer: String, on: bool) -> Result<(), AppError> {
    let Side::Guest { event_id, registration_id } = side else { return Err(AppError::NotFound) };
    let txn = begin_write(db).await?;
    let event = event::Entity::find_by_id(event_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let grid = Grid::of(&txn, &event).await?;
    if !(grid.saved && grid.programme.enabled) {
        return Err(conflict("offer", Reason::MeetingsOff));
    }
    meeting_guest::Entity::delete_by_id(registration_id).exec(&txn).await?;
    if on {
        meeting_guest::ActiveModel {
            registration_id: Set(registration_id),
            event_id: Set(event_id),
            offer: Set(offer),
            opted_in_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// `from` asks for a meeting between the guest `registration_id` and the host `host_id`.
/// Refusals name the field of the one asked (`host_id` for a guest, `registration_id` for
/// a host). Requests are counted under the event's lock, so the cap holds however many
/// arrive at once.
pub async fn request(
    db: &DatabaseConnection,
    from: Side,
    registration_id: i32,
    host_id: i32,
    message: String,
    must: bool,
) -> Result<i32, AppError> {
    let event_id = from.event_id();
    let (field, from_host) = match from {
        Side::HostLink { host_id: own, .. } if own != host_id => return Err(AppError::NotFound),
        Side::Host { .. } | Side::HostLink { .. } => ("registration_id", true),
        Side::Guest { registration_id: own, .. } if own != registration_id => return Err(AppError::NotFound),
        Side::Guest { .. } => ("host_id", false),
    };
    let txn = begin_write(db).await?;
    lock_event(&txn, event_id).await?;
    let event = event::Entity::find_by_id(event_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let grid = Grid::of(&txn, &event).await?;
    if !(grid.saved && grid.programme.enabled) {
        return Err(conflict(field, Reason::MeetingsOff));
    }
    let host = meeting_host::Entity::find_by_id(host_id)
        .filter(meeting_host::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let guest = registration::Entity::find_by_id(registration_id)
        .filter(registration::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if guest.status != RegistrationStatus::Confirmed {
        return Err(conflict(field, Reason::NotConfirmed));
    }
    if from_host && meeting_guest::Entity::find_by_id(guest.id).one(&txn).await?.is_none() {
        return Err(conflict(field, Reason::NotOptedIn));
    }
    let now = Utc::now();
    let live = Condition::any()
        .add(
            Condition::all()
                .add(meeting_request::Column::Status.eq(MeetingStatus::Pending))
                .add(meeting_request::Column::ExpiresAt.gt(now)),
        )
        .add(meeting_request::Column::Status.eq(MeetingStatus::Accepted));
    let between = meeting_request::Entity::find()
        .filter(meeting_request::Column::HostId.eq(host.id))
        .filter(meeting_request::Column::RegistrationId.eq(guest.id))
        .filter(live)
        .count(&txn)
        .await?;
    if between > 0 {
        return Err(conflict(field, Reason::AlreadyRequested));
    }
    let sender = match from {
        Side::Host { .. } | Side::HostLink { .. } => meeting_request::Column::HostId.eq(host.id),
        Side::Guest { .. } => meeting_request::Column::RegistrationId.eq(guest.id),
    };
    let open = meeting_request::Entity::find()
        .filter(sender)
        .filter(meeting_request::Column::FromHost.eq(from_host))
        .filter(meeting_request::Column::Status.eq(MeetingStatus::Pending))
        .filter(meeting_request::Column::ExpiresAt.gt(now))
        .count(&txn)
        .await?;
    let max = grid.programme.max_open_requests;
    if open >= max as u64 {
        return Err(conflict(field, Reason::TooManyRequests { max: i64::from(max) }));
    }
    let asked = if from_host { guest_key(guest.id) } else { host_key(host.id) };
    let taken = meeting_seat::Entity::find()
        .filter(meeting_seat::Column::EventId.eq(event_id))
        .filter(meeting_seat::Column::Holder.eq(asked))
        .count(&txn)
        .await?;
    if taken >= grid.open_slots().count() as u64 {
        return Err(conflict(field, Reason::PersonFull));
    }
    let saved = meeting_request::ActiveModel {
        event_id: Set(event_id),
        host_id: Set(host.id),
        registration_id: Set(guest.id),
        from_host: Set(from_host),
        must: Set(must),
        message: Set(message),
        status: Set(MeetingStatus::Pending),
        slot: Set(None),
        table_id: Set(None),
        sequence: Set(0),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(i64::from(grid.programme.request_hours))),
        answered_at: Set(None),
        held_at: Set(None),
        reminded_at: Set(None),
        remind_at: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// The request `id` as `side` may answer it: received, still pending, not expired.
async fn pending_for(txn: &impl ConnectionTrait, side: Side, id: i32) -> Result<meeting_request::Model, AppError> {
    let request = meeting_request::Entity::find_by_id(id).one(txn).await?.ok_or(AppError::NotFound)?;
    if !side.owns(&request) || !side.received(&request) {
        return Err(AppError::NotFound);
    }
    match shown_status(&request, Utc::now()) {
        MeetingStatus::Pending => Ok(request),
        MeetingStatus::Expired => Err(conflict("request_id", Reason::RequestExpired)),
        _ => Err(conflict("request_id", Reason::AlreadyAnswered)),
    }
}

/// How many times an accept that lost a race for a seat reads again before it gives up.
const ACCEPT_ATTEMPTS: usize = 8;

pub async fn answer(
    db: &DatabaseConnection,
    mail: &MailSettings,
    side: Side,
    id: i32,
    answer: Answer,
) -> Result<(), AppError> {
    let Answer::Accept { slot, table } = answer else {
        let txn = begin_write(db).await?;
        let request = pending_for(&txn, side, id).await?;
        set_status(&txn, &request, MeetingStatus::Declined, Vec::new()).await?;
        txn.commit().await?;
        return Ok(());
    };
    for _ in 0..ACCEPT_ATTEMPTS {
        if accept_once(db, mail, side, id, slot, table).await? {
            return Ok(());
        }
    }
    Err(conflict("slot", Reason::NoFreeSlot))
}

/// Moves a pending request on, if it still is pending (another answer may have come
/// first): `false` when it was not.
async fn set_status(
    txn: &impl ConnectionTrait,
    request: &meeting_request::Model,
    status: MeetingStatus,
    more: Vec<(meeting_request::Column, Expr)>,
) -> Result<bool, AppError> {
    let now = Utc::now();
    let mut update = meeting_request::Entity::update_many()
        .col_expr(meeting_request::Column::Status, Expr::value(status))
        .col_expr(meeting_request::Column::AnsweredAt, Expr::value(now))
        .col_expr(meeting_request::Column::UpdatedAt, Expr::value(now))
        .filter(meeting_request::Column::Id.eq(request.id))
        .filter(meeting_request::Column::Status.eq(request.status));
    for (column, value) in more {
        update = update.col_expr(column, value);
    }
    Ok(update.exec(txn).await?.rows_affected == 1)
}

/// The event's table ids in order, `table` (when one was picked) among them.
async fn tables_with(txn: &impl ConnectionTrait, event_id: i32, table: Option<i32>) -> Result<Vec<i32>, AppError> {
    let tables: Vec<i32> = tables_of(txn, event_id).await?.into_iter().map(|t| t.id).collect();
    if let Some(table) = table
        && !tables.contains(&table)
    {
        return Err(AppError::Invalid(FieldErrors::single("table", Reason::UnknownChoice)));
    }
    Ok(tables)
}

/// One try at accepting: `Ok(false)` when a seat it chose was taken by a meeting that
/// committed meanwhile (the caller reads again).
async fn accept_once(
    db: &DatabaseConnection,
    mail: &MailSettings,
    side: Side,
    id: i32,
    slot: Option<i32>,
    table: Option<i32>,
) -> Result<bool, AppError> {
    let txn = begin_write(db).await?;
    // Under the stop's lock, as publishing is: an accept and a publish of the same request
    // never interleave (publishing counts a request's seats by the request).
    lock_event(&txn, side.event_id()).await?;
    let request = pending_for(&txn, side, id).await?;
    let event = event::Entity::find_by_id(request.event_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let grid = Grid::of(&txn, &event).await?;
    if let Some(slot) = slot {
        grid.check_slot(slot)?;
    }
    let tables = tables_with(&txn, event.id, table).await?;
    let people = [guest_key(request.registration_id), host_key(request.host_id)];
    let busy: BTreeSet<i32> = meeting_seat::Entity::find()
        .filter(meeting_seat::Column::EventId.eq(event.id))
        .filter(meeting_seat::Column::Holder.is_in(people.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.slot)
        .collect();
    if let Some(slot) = slot
        && busy.contains(&slot)
    {
        return Err(conflict("slot", Reason::SlotTaken));
    }
    let candidates: Vec<i32> = match slot {
        Some(slot) => vec![slot],
        None => grid.open_slots().filter(|s| !busy.contains(s)).collect(),
    };
    let mut tables_taken: HashMap<i32, BTreeSet<String>> = HashMap::new();
    for seat in meeting_seat::Entity::find()
        .filter(meeting_seat::Column::EventId.eq(event.id))
        .filter(meeting_seat::Column::Slot.is_in(candidates.clone()))
        .filter(meeting_seat::Column::Holder.starts_with("t"))
        .all(&txn)
        .await?
    {
        tables_taken.entry(seat.slot).or_default().insert(seat.holder);
    }
    let free_table = |slot: i32| {
        let taken = tables_taken.get(&slot);
        let free = |t: &i32| taken.is_none_or(|taken| !taken.contains(&table_key(*t)));
        match table {
            Some(t) => free(&t).then_some(t),
            None => tables.iter().copied().find(free),
        }
    };
    let Some((slot, table)) = candidates.iter().find_map(|s| free_table(*s).map(|t| (*s, t))) else {
        return Err(match (slot, table) {
            (Some(_), Some(_)) => conflict("table", Reason::TableTaken),
            (Some(_), None) if tables.is_empty() => conflict("table", Reason::NoFreeSlot),
            (Some(_), None) => conflict("slot", Reason::TableTaken),
            (None, _) => conflict("slot", Reason::NoFreeSlot),
        });
    };
    if !take_seats(&txn, &request, slot, table).await? {
        // Another meeting took one of the three seats first: nothing of this try stays.
        txn.rollback().await?;
        return Ok(false);
    }
    let placed = vec![
        (meeting_request::Column::Slot, Expr::value(slot)),
        (meeting_request::Column::TableId, Expr::value(table)),
        (meeting_request::Column::RemindAt, Expr::value(grid.remind_at(slot))),
    ];
    let accepted = set_status(&txn, &request, MeetingStatus::Accepted, placed).await?;
    if !accepted {
        txn.rollback().await?;
        return Ok(false);
    }
    let now_accepted =
        meeting_request::Model { status: MeetingStatus::Accepted, slot: Some(slot), table_id: Some(table), ..request };
    tell(&txn, mail, &event, &grid, &now_accepted, Change::Accepted).await?;
    txn.commit().await?;
    Ok(true)
}

/// Writes the three seats of `request` in `slot` at `table`, in one statement and in the
/// holders' order; `false` when one of them was taken (by a meeting that committed first,
/// or that commits while this one waits on it).
async fn take_seats(
    txn: &impl ConnectionTrait,
    request: &meeting_request::Model,
    slot: i32,
    table: i32,
) -> Result<bool, AppError> {
    let mut holders = vec![guest_key(request.registration_id), host_key(request.host_id), table_key(table)];
    holders.sort();
    let seats = holders.into_iter().map(|holder| meeting_seat::ActiveModel {
        event_id: Set(request.event_id),
        slot: Set(slot),
        holder: Set(holder),
        request_id: Set(request.id),
    });
    Ok(insert_seats(txn, seats).await? == 3)
}

/// Inserts seats in the order given, leaving out any already taken; returns how many went in.
async fn insert_seats(
    txn: &impl ConnectionTrait,
    seats: impl IntoIterator<Item = meeting_seat::ActiveModel>,
) -> Result<u64, AppError> {
    Ok(meeting_seat::Entity::insert_many(seats)
        .on_conflict(
            OnConflict::columns([
                meeting_seat::Column::EventId,
                meeting_seat::Column::Slot,
                meeting_seat::Column::Holder,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?)
}

/// Queues the emails of a change to `request` (as it now stands) to both sides.
async fn tell(
    txn: &impl ConnectionTrait,
    settings: &MailSettings,
    event: &event::Model,
    grid: &Grid,
    request: &meeting_request::Model,
    change: Change,
) -> Result<(), AppError> {
    let mailing = Mailing::read(txn, event, grid, std::slice::from_ref(request)).await?;
    for row in mailing.rows(settings, request, change, Utc::now()) {
        row.insert(txn).await?;
    }
    Ok(())
}

/// What the meetings' emails of one event say of its people and tables, read once for any
/// number of meetings.
struct Mailing<'a> {
    event: &'a event::Model,
    grid: &'a Grid,
    hosts: HashMap<i32, meeting_host::Model>,
    guests: HashMap<i32, registration::Model>,
    tables: HashMap<i32, meeting_table::Model>,
}

impl<'a> Mailing<'a> {
    async fn read(
        txn: &impl ConnectionTrait,
        event: &'a event::Model,
        grid: &'a Grid,
        requests: &[meeting_request::Model],
    ) -> Result<Mailing<'a>, AppError> {
        let host_ids: BTreeSet<i32> = requests.iter().map(|r| r.host_id).collect();
        let guest_ids: BTreeSet<i32> = requests.iter().map(|r| r.registration_id).collect();
        let table_ids: BTreeSet<i32> = requests.iter().filter_map(|r| r.table_id).collect();
        let mut mailing =
            Mailing { event, grid, hosts: HashMap::new(), guests: HashMap::new(), tables: HashMap::new() };
        for chunk in host_ids.into_iter().collect::<Vec<_>>().chunks(IN_LIST) {
            let found =
                meeting_host::Entity::find().filter(meeting_host::Column::Id.is_in(chunk.to_vec())).all(txn).await?;
            mailing.hosts.extend(found.into_iter().map(|h| (h.id, h)));
        }
        for chunk in guest_ids.into_iter().collect::<Vec<_>>().chunks(IN_LIST) {
            let found =
                registration::Entity::find().filter(registration::Column::Id.is_in(chunk.to_vec())).all(txn).await?;
            mailing.guests.extend(found.into_iter().map(|g| (g.id, g)));
        }
        for chunk in table_ids.into_iter().collect::<Vec<_>>().chunks(IN_LIST) {
            let found =
                meeting_table::Entity::find().filter(meeting_table::Column::Id.is_in(chunk.to_vec())).all(txn).await?;
            mailing.tables.extend(found.into_iter().map(|t| (t.id, t)));
        }
        Ok(mailing)
    }

    /// The outbox rows of a change to `request` (as it now stands).
    fn rows(
        &self,
        settings: &MailSettings,
        request: &meeting_request::Model,
        change: Change,
        now: DateTime<Utc>,
    ) -> Vec<crate::entities::outbox_message::ActiveModel> {
        let (Some(slot), Some(table_id)) = (request.slot, request.table_id) else { return Vec::new() };
        let (Some(host), Some(guest), Some(table)) =
            (self.hosts.get(&request.host_id), self.guests.get(&request.registration_id), self.tables.get(&table_id))
        else {
            return Vec::new();
        };
        let starts_at = self.grid.slot(slot).starts_at;
        let meeting = super::mail::Meeting {
            request,
            event: self.event,
            host,
            guest,
            table: if table.room.is_empty() { table.name.clone() } else { format!("{} · {}", table.name, table.room) },
            starts_at,
            ends_at: super::mail::ends(starts_at, self.grid.programme.slot_minutes),
            guest_page: settings.manage_url(guest),
            host_page: settings.host_url(host),
        };
        super::mail::rows(settings, &meeting, change, now)
    }
}

/// Ids in one `IN (…)` list, and rows in one multi-row insert: well under SQLite's limit of
/// bound values whatever the row's width.
const IN_LIST: usize = 500;

/// The organizer moves an accepted meeting to another slot (and table: the one given, else
/// the one it had if free there, else any free one), under the same rules as accepting;
/// both sides get the calendar entry again with its `SEQUENCE` raised.
pub async fn move_meeting(
    db: &DatabaseConnection,
    mail: &MailSettings,
    event_id: i32,
    id: i32,
    slot: i32,
    table: Option<i32>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let request = meeting_request::Entity::find_by_id(id)
        .filter(meeting_request::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    // A missed meeting may be booked again into a free slot.
    if !matches!(request.status, MeetingStatus::Accepted | MeetingStatus::Missed) {
        return Err(conflict("request_id", Reason::AlreadyAnswered));
    }
    let event = event::Entity::find_by_id(event_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let grid = Grid::of(&txn, &event).await?;
    grid.check_slot(slot)?;
    let tables = tables_with(&txn, event_id, table).await?;
    meeting_seat::Entity::delete_many().filter(meeting_seat::Column::RequestId.eq(request.id)).exec(&txn).await?;
    let taken: BTreeSet<String> = meeting_seat::Entity::find()
        .filter(meeting_seat::Column::EventId.eq(event_id))
        .filter(meeting_seat::Column::Slot.eq(slot))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.holder)
        .collect();
    if taken.contains(&guest_key(request.registration_id)) || taken.contains(&host_key(request.host_id)) {
        return Err(conflict("slot", Reason::SlotTaken));
    }
    let free = |t: &i32| !taken.contains(&table_key(*t));
    let table = match table {
        Some(t) if free(&t) => t,
        Some(_) => return Err(conflict("table", Reason::TableTaken)),
        None => request
            .table_id
            .filter(free)
            .or_else(|| tables.iter().copied().find(free))
            .ok_or_else(|| conflict("slot", Reason::TableTaken))?,
    };
    if !take_seats(&txn, &request, slot, table).await? {
        return Err(conflict("slot", Reason::SlotTaken));
    }
    let moved = meeting_request::Model {
        status: MeetingStatus::Accepted,
        slot: Some(slot),
        table_id: Some(table),
        sequence: request.sequence + 1,
        updated_at: Utc::now(),
        ..request
    };
    meeting_request::ActiveModel {
        id: Set(moved.id),
        status: Set(moved.status),
        slot: Set(moved.slot),
        table_id: Set(moved.table_id),
        sequence: Set(moved.sequence),
        reminded_at: Set(None),
        remind_at: Set(grid.remind_at(slot)),
        updated_at: Set(moved.updated_at),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    tell(&txn, mail, &event, &grid, &moved, Change::Moved).await?;
    txn.commit().await?;
    Ok(())
}

/// Withdraws a pending request or cancels a meeting (its seats are free at once). A
/// request cancelled, declined or expired before stays as it is.
pub async fn cancel(db: &DatabaseConnection, mail: &MailSettings, side: Side, id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let request = meeting_request::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if !side.owns(&request) {
        return Err(AppError::NotFound);
    }
    match request.status {
        MeetingStatus::Pending => {
            set_status(&txn, &request, MeetingStatus::Cancelled, Vec::new()).await?;
        }
        MeetingStatus::Accepted => {
            meeting_seat::Entity::delete_many()
                .filter(meeting_seat::Column::RequestId.eq(request.id))
                .exec(&txn)
                .await?;
            let raised = Expr::col(meeting_request::Column::Sequence).add(1);
            set_status(&txn, &request, MeetingStatus::Cancelled, vec![(meeting_request::Column::Sequence, raised)])
                .await?;
            let cancelled =
                meeting_request::Model { status: MeetingStatus::Cancelled, sequence: request.sequence + 1, ..request };
            let event = event::Entity::find_by_id(cancelled.event_id).one(&txn).await?.ok_or(AppError::NotFound)?;
            let grid = Grid::of(&txn, &event).await?;
            tell(&txn, mail, &event, &grid, &cancelled, Change::Cancelled).await?;
        }
        MeetingStatus::Held | MeetingStatus::Missed => return Err(conflict("request_id", Reason::AlreadyAnswered)),
        MeetingStatus::Declined | MeetingStatus::Cancelled | MeetingStatus::Expired => {}
    }
    txn.commit().await?;
    Ok(())
}

/// The meeting was held (`true`) or missed. A held meeting is written into the guest's
/// lead: met at this stop, at which table and with whom. Marking it again changes nothing.
pub async fn mark(db: &DatabaseConnection, side: Side, id: i32, held: bool) -> Result<MeetingStatus, AppError> {
    let txn = begin_write(db).await?;
    let request =
        meeting_request::Entity::find_by_id(id).one(&txn).await?.filter(|r| side.owns(r)).ok_or(AppError::NotFound)?;
    let status = mark_in(&txn, request, held).await?;
    txn.commit().await?;
    Ok(status)
}

async fn mark_in(
    txn: &impl ConnectionTrait,
    request: meeting_request::Model,
    held: bool,
) -> Result<MeetingStatus, AppError> {
    let wanted = if held { MeetingStatus::Held } else { MeetingStatus::Missed };
    match (request.status, held) {
        (status, _) if status == wanted => return Ok(status),
        (MeetingStatus::Accepted | MeetingStatus::Missed, true) | (MeetingStatus::Accepted, false) => {}
        _ => return Err(conflict("request_id", Reason::AlreadyAnswered)),
    }
    let now = Utc::now();
    meeting_request::ActiveModel {
        id: Set(request.id),
        status: Set(wanted),
        held_at: Set(held.then_some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(txn)
    .await?;
    if held {
        let event = event::Entity::find_by_id(request.event_id).one(txn).await?.ok_or(AppError::NotFound)?;
        let guest =
            registration::Entity::find_by_id(request.registration_id).one(txn).await?.ok_or(AppError::NotFound)?;
        let host = meeting_host::Entity::find_by_id(request.host_id).one(txn).await?.ok_or(AppError::NotFound)?;
        let table = match request.table_id {
            Some(t) => meeting_table::Entity::find_by_id(t).one(txn).await?.map(|t| t.name).unwrap_or_default(),
            None => String::new(),
        };
        let with = [table.as_str(), host.name.as_str(), host.organization.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        crate::leads::ssr::record_meeting(txn, &event, &guest, &with).await?;
    }
    Ok(wanted)
}

/// Where a guest's code is scanned: at a table, or by a host on their own page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Table(i32),
    Host(i32),
}

/// The guest's check-in code was scanned at `place`: their accepted meeting there (the one
/// nearest to now, when they have several) is held.
pub async fn held_by_code(
    db: &DatabaseConnection,
    event_id: i32,
    place: Place,
    code: &str,
) -> Result<MeetingView, AppError> {
    let txn = begin_write(db).await?;
    let event = event::Entity::find_by_id(event_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let code = code.trim().to_uppercase();
    // A host's page (an outside party's link) is not told which codes exist: an unknown code
    // is refused as one with no meeting with them.
    let unknown = match place {
        Place::Table(_) => AppError::Invalid(FieldErrors::single("code", Reason::UnknownCheckInCode)),
        Place::Host(_) => conflict("code", Reason::NoMeetingHere),
    };
    let guest = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::CheckInCode.eq(code))
        .one(&txn)
        .await?
        .ok_or(unknown)?;
    let grid = Grid::of(&txn, &event).await?;
    let now = Utc::now();
    let nearest = meeting_request::Entity::find()
        .filter(meeting_request::Column::RegistrationId.eq(guest.id))
        .filter(match place {
            Place::Table(table_id) => meeting_request::Column::TableId.eq(table_id),
            Place::Host(host_id) => meeting_request::Column::HostId.eq(host_id),
        })
        .filter(meeting_request::Column::Status.is_in([MeetingStatus::Accepted, MeetingStatus::Held]))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|r| r.slot.map(|s| ((grid.slot(s).starts_at - now).num_seconds().abs(), r)))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, r)| r)
        .ok_or_else(|| conflict("code", Reason::NoMeetingHere))?;
    mark_in(&txn, nearest.clone(), true).await?;
    let held = meeting_request::Model { status: MeetingStatus::Held, ..nearest };
    let view = views(&txn, &grid, vec![held]).await?.pop().ok_or(AppError::NotFound)?;
    txn.commit().await?;
    Ok(view)
}

/// Queues the reminder of every accepted meeting whose reminder is due (`remind_at`, kept
/// with the meeting) and was not sent yet; returns how many meetings. Each is claimed by an
/// update that only the first of several schedulers gets, in the transaction that queues
/// its emails, so a meeting is reminded once however many processes run this. One whose
/// slot has begun is claimed without an email (too late to remind), so it leaves the index.
pub async fn send_reminders(db: &DatabaseConnection, mail: &MailSettings, now: DateTime<Utc>) -> Result<u32, AppError> {
    let due = meeting_request::Entity::find()
        .filter(meeting_request::Column::Status.eq(MeetingStatus::Accepted))
        .filter(meeting_request::Column::RemindedAt.is_null())
        .filter(meeting_request::Column::RemindAt.lte(now))
        .order_by_asc(meeting_request::Column::RemindAt)
        .limit(REMINDERS_PER_TICK)
        .all(db)
        .await?;
    let mut grids: HashMap<i32, (event::Model, Grid)> = HashMap::new();
    for event_id in due.iter().map(|r| r.event_id).collect::<BTreeSet<i32>>() {
        if let Some(event) = event::Entity::find_by_id(event_id).one(db).await? {
            let grid = Grid::of(db, &event).await?;
            grids.insert(event_id, (event, grid));
        }
    }
    let mut sent = 0;
    for request in due {
        let (Some(slot), Some((event, grid))) = (request.slot, grids.get(&request.event_id)) else { continue };
        let txn = begin_write(db).await?;
        let claimed = meeting_request::Entity::update_many()
            .col_expr(meeting_request::Column::RemindedAt, Expr::value(now))
            .filter(meeting_request::Column::Id.eq(request.id))
            .filter(meeting_request::Column::Status.eq(MeetingStatus::Accepted))
            .filter(meeting_request::Column::Slot.eq(slot))
            .filter(meeting_request::Column::RemindedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if claimed == 1 && now < grid.slot(slot).starts_at {
            tell(&txn, mail, event, grid, &request, Change::Reminder).await?;
            sent += 1;
        }
        txn.commit().await?;
    }
    Ok(sent)
}

/// The most reminders one tick queues (the next tick takes the rest).
const REMINDERS_PER_TICK: u64 = 500;

use super::ScheduleReport;

/// Runs the auto-scheduler over the event's pending requests (must-meet first), around the
/// meetings already accepted, and keeps its grid as proposals the organizer can publish.
pub async fn propose(db: &DatabaseConnection, org_id: i32, event_id: i32) -> Result<ScheduleReport, AppError> {
    use super::schedule::{Instance, Why, Wish, schedule};
    let txn = begin_write(db).await?;
    let event = find_owned(&txn, org_id, event_id).await?;
    lock_event(&txn, event_id).await?;
    let grid = Grid::of(&txn, &event).await?;
    let tables: Vec<i32> = tables_of(&txn, event_id).await?.into_iter().map(|t| t.id).collect();
    let table_index: HashMap<i32, usize> = tables.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let now = Utc::now();
    let pending: Vec<meeting_request::Model> = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(meeting_request::Column::Status.eq(MeetingStatus::Pending))
        .filter(meeting_request::Column::ExpiresAt.gt(now))
        .order_by_asc(meeting_request::Column::Id)
        .all(&txn)
        .await?;
    let seats = meeting_seat::Entity::find().filter(meeting_seat::Column::EventId.eq(event_id)).all(&txn).await?;
    // People are numbered as they are met: by their seat keys.
    let mut people: HashMap<String, usize> = HashMap::new();
    let mut person = |key: String| {
        let next = people.len();
        *people.entry(key).or_insert(next)
    };
    let slots = grid.programme.slot_count as usize;
    let mut instance = Instance {
        slots,
        breaks: grid.breaks.iter().map(|b| (*b - 1) as usize).collect(),
        tables: tables.len(),
        ..Instance::default()
    };
    for seat in &seats {
        let slot = (seat.slot - 1) as usize;
        if slot >= slots {
            continue;
        }
        match seat.holder.strip_prefix('t').and_then(|t| t.parse::<i32>().ok()) {
            Some(table) => instance.tables_busy.extend(table_index.get(&table).map(|i| (slot, *i))),
            None => instance.busy.push((person(seat.holder.clone()), slot)),
        }
    }
    for request in &pending {
        let a = person(host_key(request.host_id));
        let b = person(guest_key(request.registration_id));
        instance.wishes.push(Wish { a, b, must: request.must });
    }
    instance.people = people.len();
    let scheduled = schedule(&instance).map_err(|e| AppError::unexpected(e.to_string()))?;
    // Wishes are in the order of `pending`, and no two requests are of one pair.
    let by_pair: HashMap<(usize, usize), &meeting_request::Model> =
        instance.wishes.iter().zip(&pending).map(|(w, r)| ((w.a, w.b), r)).collect();
    meeting_proposal::Entity::delete_many().filter(meeting_proposal::Column::EventId.eq(event_id)).exec(&txn).await?;
    let rows: Vec<meeting_proposal::ActiveModel> = scheduled
        .meetings
        .iter()
        .filter_map(|m| {
            let request = by_pair.get(&(m.wish.a, m.wish.b))?;
            Some(meeting_proposal::ActiveModel {
                request_id: Set(request.id),
                event_id: Set(event_id),
                slot: Set(m.slot as i32 + 1),
                table_id: Set(tables[m.table]),
            })
        })
        .collect();
    for chunk in rows.chunks(1000) {
        meeting_proposal::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    let unplaced_requests: Vec<(&meeting_request::Model, Why)> =
        scheduled.unplaced.iter().filter_map(|(w, why)| by_pair.get(&(w.a, w.b)).map(|r| (*r, *why))).collect();
    let unplaced_views = views(&txn, &grid, unplaced_requests.iter().map(|(r, _)| (*r).clone()).collect()).await?;
    txn.commit().await?;
    let must_total = pending.iter().filter(|r| r.must).count() as u64;
    let must_placed = scheduled.placed_must() as u64;
    Ok(ScheduleReport {
        must_total,
        must_placed,
        like_total: pending.len() as u64 - must_total,
        like_placed: scheduled.meetings.len() as u64 - must_placed,
        unplaced: unplaced_views
            .into_iter()
            .zip(unplaced_requests)
            .map(|(view, (request, why))| super::Unplaced {
                meeting: view,
                must: request.must,
                reason: match why {
                    Why::NoCommonSlot => super::UnplacedReason::NoCommonSlot,
                    Why::Taken => super::UnplacedReason::Taken,
                    Why::NoTable => super::UnplacedReason::NoTable,
                },
            })
            .collect(),
        published: 0,
        refused: 0,
    })
}

/// The proposals of an event, `(request id, slot, table id)`.
pub async fn proposals(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<(i32, i32, i32)>, AppError> {
    Ok(meeting_proposal::Entity::find()
        .filter(meeting_proposal::Column::EventId.eq(event_id))
        .order_by_asc(meeting_proposal::Column::Slot)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.request_id, p.slot, p.table_id))
        .collect())
}

/// Publishes the proposals in one transaction, under the event's lock: every proposed
/// request still pending is accepted into its slot and table, its three seats written with
/// the same unique key as any accept (so a seat a hand-made accept took meanwhile refuses
/// the proposal, never books twice), and both sides are emailed. Seats go in one sorted
/// insert per few hundred (the order single accepts use, so the two never wait on each
/// other in a circle); a request short of its three seats gives back what it got and tries
/// again in the next round (the seat it lacked may have been another refused one's), until
/// a round places nothing. The proposals are gone afterwards.
pub async fn publish(
    db: &DatabaseConnection,
    mail: &MailSettings,
    org_id: i32,
    event_id: i32,
) -> Result<ScheduleReport, AppError> {
    let txn = begin_write(db).await?;
    let event = find_owned(&txn, org_id, event_id).await?;
    lock_event(&txn, event_id).await?;
    let grid = Grid::of(&txn, &event).await?;
    let tables: BTreeSet<i32> = tables_of(&txn, event_id).await?.into_iter().map(|t| t.id).collect();
    let proposed = proposals(&txn, event_id).await?;
    let mut requests: HashMap<i32, meeting_request::Model> = HashMap::new();
    for chunk in proposed.chunks(IN_LIST) {
        let ids: Vec<i32> = chunk.iter().map(|(id, ..)| *id).collect();
        let found = meeting_request::Entity::find()
            .filter(meeting_request::Column::EventId.eq(event_id))
            .filter(meeting_request::Column::Id.is_in(ids))
            .all(&txn)
            .await?;
        requests.extend(found.into_iter().map(|r| (r.id, r)));
    }
    let now = Utc::now();
    let mut report = ScheduleReport::default();
    let mut waiting = Vec::new();
    for (request_id, slot, table) in proposed {
        match requests.remove(&request_id) {
            Some(r)
                if shown_status(&r, now) == MeetingStatus::Pending
                    && grid.check_slot(slot).is_ok()
                    && tables.contains(&table) =>
            {
                waiting.push(meeting_request::Model { slot: Some(slot), table_id: Some(table), ..r });
            }
            _ => report.refused += 1,
        }
    }
    let mut placed: Vec<meeting_request::Model> = Vec::new();
    while !waiting.is_empty() {
        let (complete, short) = seat_round(&txn, &waiting).await?;
        let progress = !complete.is_empty();
        placed.extend(complete);
        waiting = short;
        if !progress {
            break;
        }
    }
    report.refused += waiting.len() as u64;
    let accepted = accept_placed(&txn, &grid, &placed, now).await?;
    report.refused += (placed.len() - accepted.len()) as u64;
    report.published = accepted.len() as u64;
    let accepted: Vec<meeting_request::Model> = accepted
        .into_iter()
        .map(|r| meeting_request::Model { status: MeetingStatus::Accepted, answered_at: Some(now), ..r })
        .collect();
    let mailing = Mailing::read(&txn, &event, &grid, &accepted).await?;
    let emails: Vec<_> = accepted.iter().flat_map(|r| mailing.rows(mail, r, Change::Accepted, now)).collect();
    for chunk in emails.chunks(IN_LIST / 5) {
        crate::entities::outbox_message::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    meeting_proposal::Entity::delete_many().filter(meeting_proposal::Column::EventId.eq(event_id)).exec(&txn).await?;
    txn.commit().await?;
    Ok(report)
}

/// One round of seats for `waiting` (each with its slot and table set): the requests that
/// got all three, and those that did not (their seats given back).
async fn seat_round(
    txn: &impl ConnectionTrait,
    waiting: &[meeting_request::Model],
) -> Result<(Vec<meeting_request::Model>, Vec<meeting_request::Model>), AppError> {
    let mut seats: Vec<(i32, String, i32, i32)> = Vec::with_capacity(waiting.len() * 3);
    for r in waiting {
        let (Some(slot), Some(table)) = (r.slot, r.table_id) else { continue };
        for holder in [guest_key(r.registration_id), host_key(r.host_id), table_key(table)] {
            seats.push((slot, holder, r.id, r.event_id));
        }
    }
    seats.sort();
    for chunk in seats.chunks(IN_LIST) {
        let rows = chunk.iter().map(|(slot, holder, request_id, event_id)| meeting_seat::ActiveModel {
            event_id: Set(*event_id),
            slot: Set(*slot),
            holder: Set(holder.clone()),
            request_id: Set(*request_id),
        });
        insert_seats(txn, rows).await?;
    }
    // Count each request's seats in its own slot (another accept of it may hold others).
    let slot_of: HashMap<i32, i32> = waiting.iter().filter_map(|r| r.slot.map(|s| (r.id, s))).collect();
    let mut got: HashMap<i32, usize> = HashMap::new();
    for chunk in waiting.chunks(IN_LIST) {
        let ids: Vec<i32> = chunk.iter().map(|r| r.id).collect();
        for seat in meeting_seat::Entity::find().filter(meeting_seat::Column::RequestId.is_in(ids)).all(txn).await? {
            if slot_of.get(&seat.request_id) == Some(&seat.slot) {
                *got.entry(seat.request_id).or_default() += 1;
            }
        }
    }
    let (complete, short): (Vec<_>, Vec<_>) =
        waiting.iter().cloned().partition(|r| got.get(&r.id).copied().unwrap_or(0) == 3);
    for chunk in short.chunks(IN_LIST) {
        let mut gone = Condition::any();
        for r in chunk {
            gone = gone.add(
                Condition::all()
                    .add(meeting_seat::Column::RequestId.eq(r.id))
                    .add(meeting_seat::Column::Slot.eq(r.slot.unwrap_or_default())),
            );
        }
        meeting_seat::Entity::delete_many().filter(gone).exec(txn).await?;
    }
    Ok((complete, short))
}

/// Marks the placed requests accepted in their slot and table, a few hundred per statement,
/// each only while still pending; returns those it accepted. One answered meanwhile (a
/// guest withdrew it) gives back the seats it was given.
async fn accept_placed(
    txn: &impl ConnectionTrait,
    grid: &Grid,
    placed: &[meeting_request::Model],
    now: DateTime<Utc>,
) -> Result<Vec<meeting_request::Model>, AppError> {
    use sea_orm::sea_query::CaseStatement;
    let mut accepted = Vec::with_capacity(placed.len());
    for chunk in placed.chunks(IN_LIST / 2) {
        let ids: Vec<i32> = chunk.iter().map(|r| r.id).collect();
        let mut slots = CaseStatement::new();
        let mut tables = CaseStatement::new();
        let mut reminders = CaseStatement::new();
        for r in chunk {
            slots = slots.case(meeting_request::Column::Id.eq(r.id), Expr::value(r.slot));
            tables = tables.case(meeting_request::Column::Id.eq(r.id), Expr::value(r.table_id));
            let remind_at = r.slot.and_then(|s| grid.remind_at(s));
            reminders = reminders.case(meeting_request::Column::Id.eq(r.id), Expr::value(remind_at));
        }
        let updated = meeting_request::Entity::update_many()
            .col_expr(meeting_request::Column::Status, Expr::value(MeetingStatus::Accepted))
            .col_expr(meeting_request::Column::Slot, slots.into())
            .col_expr(meeting_request::Column::TableId, tables.into())
            .col_expr(meeting_request::Column::RemindAt, reminders.into())
            .col_expr(meeting_request::Column::AnsweredAt, Expr::value(now))
            .col_expr(meeting_request::Column::UpdatedAt, Expr::value(now))
            .filter(meeting_request::Column::Id.is_in(ids.clone()))
            .filter(meeting_request::Column::Status.eq(MeetingStatus::Pending))
            .exec(txn)
            .await?
            .rows_affected;
        if updated as usize == chunk.len() {
            accepted.extend(chunk.iter().cloned());
            continue;
        }
        let now_accepted: BTreeSet<i32> = meeting_request::Entity::find()
            .filter(meeting_request::Column::Id.is_in(ids))
            .filter(meeting_request::Column::Status.eq(MeetingStatus::Accepted))
            .filter(meeting_request::Column::AnsweredAt.eq(now))
            .all(txn)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        for r in chunk {
            if now_accepted.contains(&r.id) {
                accepted.push(r.clone());
            } else {
                meeting_seat::Entity::delete_many()
                    .filter(meeting_seat::Column::RequestId.eq(r.id))
                    .filter(meeting_seat::Column::Slot.eq(r.slot.unwrap_or_default()))
                    .exec(txn)
                    .await?;
            }
        }
    }
    Ok(accepted)
}

/// The organizer moves one proposal by hand before publishing (to `slot`, at `table` when
/// given, else at its own table if free there, else any free one), under the rules of the
/// grid: neither person nor the table may already have a meeting or another proposal in
/// that slot. Checked under the event's lock, as proposing is.
pub async fn adjust_proposal(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    request_id: i32,
    slot: i32,
    table: Option<i32>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let event = find_owned(&txn, org_id, event_id).await?;
    lock_event(&txn, event_id).await?;
    let proposal = meeting_proposal::Entity::find_by_id(request_id)
        .filter(meeting_proposal::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let grid = Grid::of(&txn, &event).await?;
    grid.check_slot(slot)?;
    let tables = tables_with(&txn, event_id, table).await?;
    let request = meeting_request::Entity::find_by_id(request_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if shown_status(&request, Utc::now()) != MeetingStatus::Pending {
        return Err(conflict("request_id", Reason::AlreadyAnswered));
    }
    // Who and what is busy in the slot: the seats of meetings, and the other proposals.
    let mut busy: BTreeSet<String> = meeting_seat::Entity::find()
        .filter(meeting_seat::Column::EventId.eq(event_id))
        .filter(meeting_seat::Column::Slot.eq(slot))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.holder)
        .collect();
    let others: Vec<meeting_proposal::Model> = meeting_proposal::Entity::find()
        .filter(meeting_proposal::Column::EventId.eq(event_id))
        .filter(meeting_proposal::Column::Slot.eq(slot))
        .filter(meeting_proposal::Column::RequestId.ne(request_id))
        .all(&txn)
        .await?;
    let other_requests = meeting_request::Entity::find()
        .filter(meeting_request::Column::Id.is_in(others.iter().map(|p| p.request_id)))
        .all(&txn)
        .await?;
    busy.extend(others.iter().map(|p| table_key(p.table_id)));
    for other in other_requests {
        busy.insert(guest_key(other.registration_id));
        busy.insert(host_key(other.host_id));
    }
    if busy.contains(&guest_key(request.registration_id)) || busy.contains(&host_key(request.host_id)) {
        return Err(conflict("slot", Reason::SlotTaken));
    }
    let free = |t: &i32| !busy.contains(&table_key(*t));
    let table = match table {
        Some(t) if free(&t) => t,
        Some(_) => return Err(conflict("table", Reason::TableTaken)),
        None => Some(proposal.table_id)
            .filter(free)
            .or_else(|| tables.iter().copied().find(free))
            .ok_or_else(|| conflict("slot", Reason::TableTaken))?,
    };
    meeting_proposal::ActiveModel {
        request_id: Set(request_id),
        slot: Set(slot),
        table_id: Set(table),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes one request out of the proposal (it stays pending).
pub async fn drop_proposal(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    request_id: i32,
) -> Result<(), AppError> {
    find_owned(db, org_id, event_id).await?;
    let gone = meeting_proposal::Entity::delete_many()
        .filter(meeting_proposal::Column::EventId.eq(event_id))
        .filter(meeting_proposal::Column::RequestId.eq(request_id))
        .exec(db)
        .await?
        .rows_affected;
    if gone == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
