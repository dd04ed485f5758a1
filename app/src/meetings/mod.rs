//! One-to-one meetings at a stop: the grid of slots and tables, the hosts guests can meet,
//! requests between guests and hosts (a slot and a table given on accepting, held by the
//! database), and the organizer's auto-scheduler.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{IndustryChain, MeetingStatus};
use crate::error::{AppError, FieldErrors, Reason};
use crate::i18n::Lang;

pub mod host;
pub mod host_page;
#[cfg(feature = "ssr")]
pub mod host_ssr;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// The most slots a programme has (the scheduler's limit).
pub const MAX_SLOTS: i64 = 128;

/// The programme's settings as their form posts them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgrammeForm {
    /// `on` when guests may see the hosts and ask for meetings.
    pub enabled: String,
    /// The first slot's start in the venue's time (`YYYY-MM-DDTHH:MM`).
    pub first_slot_at: String,
    pub slot_minutes: String,
    pub slot_count: String,
    /// Slot numbers nobody meets in (`5, 6`).
    pub breaks: String,
    pub request_hours: String,
    pub max_open_requests: String,
    pub reminder_minutes: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidProgramme {
    pub enabled: bool,
    pub first_slot_at: NaiveDateTime,
    pub slot_minutes: i32,
    pub slot_count: i32,
    /// Sorted, each within `1..=slot_count`.
    pub breaks: Vec<i32>,
    pub request_hours: i32,
    pub max_open_requests: i32,
    pub reminder_minutes: i32,
}

impl ProgrammeForm {
    pub fn parse(&self) -> Result<ValidProgramme, FieldErrors> {
        let mut e = FieldErrors::default();
        let number = |e: &mut FieldErrors, field: &str, value: &str, min: i64, max: i64| {
            e.check(field, crate::domain::integer(value, min, max)).map(|n| n as i32)
        };
        let first_slot_at = e.check("first_slot_at", crate::domain::local_datetime(&self.first_slot_at));
        let slot_minutes = number(&mut e, "slot_minutes", &self.slot_minutes, 5, 240);
        let slot_count = number(&mut e, "slot_count", &self.slot_count, 1, MAX_SLOTS);
        let request_hours = number(&mut e, "request_hours", &self.request_hours, 1, 720);
        let max_open_requests = number(&mut e, "max_open_requests", &self.max_open_requests, 1, 100);
        let reminder_minutes = number(&mut e, "reminder_minutes", &self.reminder_minutes, 0, 1440);
        let breaks = e.check("breaks", parse_breaks(&self.breaks, slot_count.unwrap_or(MAX_SLOTS as i32)));
        if let (Some(minutes), Some(count)) = (slot_minutes, slot_count)
            && i64::from(minutes) * i64::from(count) > 24 * 60
        {
            e.add("slot_count", Reason::OutOfRange { min: 1, max: 24 * 60 / i64::from(minutes) });
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ValidProgramme {
            enabled: self.enabled == "on",
            first_slot_at: first_slot_at.unwrap_or_default(),
            slot_minutes: slot_minutes.unwrap_or_default(),
            slot_count: slot_count.unwrap_or_default(),
            breaks: breaks.unwrap_or_default(),
            request_hours: request_hours.unwrap_or_default(),
            max_open_requests: max_open_requests.unwrap_or_default(),
            reminder_minutes: reminder_minutes.unwrap_or_default(),
        })
    }

    pub fn validate(&self) -> FieldErrors {
        self.parse().err().unwrap_or_default()
    }
}

/// Slot numbers separated by commas or spaces, each within `1..=slots`, sorted.
pub fn parse_breaks(text: &str, slots: i32) -> Result<Vec<i32>, Reason> {
    let mut breaks = text
        .split([',', ' ', '，', '、'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| crate::domain::integer(n, 1, i64::from(slots)).map(|n| n as i32))
        .collect::<Result<Vec<i32>, Reason>>()?;
    breaks.sort_unstable();
    breaks.dedup();
    Ok(breaks)
}

crate::error::parsed_from!(ProgrammeForm => ValidProgramme, HostForm => ValidHost);

/// A host's profile as its form posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostForm {
    pub name: String,
    pub organization: String,
    pub unit: String,
    pub industry_chains: BTreeMap<String, String>,
    pub offer: String,
    /// Optional: where their meeting emails go.
    pub email: String,
    pub language: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidHost {
    pub name: String,
    pub organization: String,
    pub unit: String,
    pub industry_chains: Vec<IndustryChain>,
    pub offer: String,
    pub email: Option<crate::domain::Email>,
    pub language: Lang,
}

impl HostForm {
    pub fn parse(&self) -> Result<ValidHost, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", crate::domain::text(&self.name, true, 200));
        let organization = e.check("organization", crate::domain::text(&self.organization, true, 200));
        let unit = e.check("unit", crate::domain::text(&self.unit, false, 200));
        let industry_chains = e.check("industry_chains", IndustryChain::from_checked(&self.industry_chains));
        let offer = e.check("offer", crate::domain::text(&self.offer, false, 2000));
        let email = match self.email.trim() {
            "" => Some(None),
            email => e.check("email", crate::domain::Email::parse(email).map(Some)),
        };
        let language =
            e.check("language", Lang::parse(self.language.trim()).or(Some(Lang::Zh)).ok_or(Reason::UnknownChoice));
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ValidHost {
            name: name.unwrap_or_default(),
            organization: organization.unwrap_or_default(),
            unit: unit.unwrap_or_default(),
            industry_chains: industry_chains.unwrap_or_default(),
            offer: offer.unwrap_or_default(),
            email: email.flatten(),
            language: language.unwrap_or_default(),
        })
    }

    pub fn validate(&self) -> FieldErrors {
        self.parse().err().unwrap_or_default()
    }
}

/// The short message that goes with a request.
pub fn parse_message(message: &str) -> Result<String, AppError> {
    crate::domain::text(message, false, 500).map_err(|r| AppError::Invalid(FieldErrors::single("message", r)))
}

/// One slot of the grid, its times in the venue's zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlotView {
    /// From 1.
    pub number: i32,
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub starts_at: DateTime<Utc>,
    pub is_break: bool,
    /// The start in the reader's own zone, when they told us one other than the venue's.
    pub own_starts_local: Option<NaiveDateTime>,
}

/// What guests read of a host.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostProfile {
    pub id: i32,
    pub name: String,
    pub organization: String,
    pub unit: String,
    pub industry_chains: Vec<IndustryChain>,
    pub offer: String,
}

/// What hosts read of a guest who agreed to be met.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuestProfile {
    pub registration_id: i32,
    pub name: String,
    pub company: String,
    pub job_title: String,
    pub country: String,
    pub industry_chains: Vec<IndustryChain>,
    pub offer: String,
}

/// A request or a meeting, as either side sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: i32,
    pub host_id: i32,
    pub host_name: String,
    pub host_organization: String,
    pub registration_id: i32,
    pub guest_name: String,
    pub guest_company: String,
    pub from_host: bool,
    pub message: String,
    /// `Expired` for a pending request past its time.
    pub status: MeetingStatus,
    pub slot: Option<SlotView>,
    pub table: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// A table and its room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    pub id: i32,
    pub name: String,
    pub room: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingCounts {
    pub requested: u64,
    pub accepted: u64,
    pub held: u64,
    pub missed: u64,
}

impl MeetingCounts {
    /// Held among the meetings that are over (held or missed), in percent.
    pub fn held_rate(&self) -> Option<u64> {
        let over = self.held + self.missed;
        (over > 0).then(|| (self.held * 100 + over / 2) / over)
    }
}

/// Why the auto-scheduler left a pair out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnplacedReason {
    /// The two are never free at the same time.
    NoCommonSlot,
    /// Their common free slots went to their other meetings.
    Taken,
    /// Every table is taken in the slots they have in common.
    NoTable,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unplaced {
    pub meeting: MeetingView,
    pub must: bool,
    pub reason: UnplacedReason,
}

/// What the auto-scheduler proposed (or what publishing it did).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScheduleReport {
    pub must_total: u64,
    pub must_placed: u64,
    pub like_total: u64,
    pub like_placed: u64,
    pub unplaced: Vec<Unplaced>,
    /// Publishing: the proposals accepted, and those refused (no longer fitting).
    pub published: u64,
    pub refused: u64,
}

/// The organizer's view of an event's programme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub event_id: i32,
    pub event_title_zh: String,
    pub event_title_en: String,
    pub time_zone: String,
    /// The settings as the form shows them (defaults before the first save).
    pub settings: ProgrammeForm,
    pub saved: bool,
    pub slots: Vec<SlotView>,
    pub tables: Vec<TableView>,
    pub hosts: Vec<HostProfile>,
    pub guests: Vec<GuestProfile>,
    pub meetings: Vec<MeetingView>,
    pub counts: MeetingCounts,
    /// The auto-scheduler's proposals not yet published: `(request id, slot, table id)`.
    pub proposals: Vec<(i32, i32, i32)>,
    /// Each host's own page: `(host id, link)`.
    pub host_links: Vec<(i32, String)>,
}

/// A guest's view of the meetings of the event they registered for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuestMeetings {
    pub enabled: bool,
    /// The guest's seat is confirmed: only then may they take part.
    pub confirmed: bool,
    pub opted_in: bool,
    pub offer: String,
    pub hosts: Vec<HostProfile>,
    pub meetings: Vec<MeetingView>,
    pub slots: Vec<SlotView>,
    /// The guest's own zone when it differs from the venue's.
    pub own_time_zone: Option<String>,
    pub max_open_requests: i32,
}

/// The organizer's programme of meetings for an event.
#[server(prefix = "/api", endpoint = "meetings/programme")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_programme(event_id: i32) -> Result<Programme, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_member().await?;
    let mut programme = ssr::programme(&state.db, member.organization_id, event_id).await?;
    // A host's link acts as the host: only members who may act for hosts see it.
    if member.role >= crate::domain::Role::Organizer {
        programme.host_links = host_ssr::links(&state.db, &state.mail, event_id).await?;
    }
    Ok(programme)
}

#[server(prefix = "/api", endpoint = "meetings/settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_programme(event_id: i32, form: ProgrammeForm) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = form.parse().map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save_programme(&db, member.organization_id, event_id, valid).await.map_err(|e| e.with_values(&form))
}

/// Adds tables, one name per line, in one room (may be empty).
#[server(prefix = "/api", endpoint = "meetings/tables")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_tables(event_id: i32, names: String, #[server(default)] room: String) -> Result<u64, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::add_tables(&db, member.organization_id, event_id, &names, &room).await
}

#[server(prefix = "/api", endpoint = "meetings/remove-table")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn remove_table(event_id: i32, table_id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::remove_table(&db, member.organization_id, event_id, table_id).await
}

/// Adds a host (`host_id` 0) or changes one.
#[server(prefix = "/api", endpoint = "meetings/host")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_host(event_id: i32, #[server(default)] host_id: i32, form: HostForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = form.parse().map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save_host(&db, member.organization_id, event_id, host_id, valid).await
}

/// A host asks a guest who agreed to be met for a meeting.
#[server(prefix = "/api", endpoint = "meetings/host-request")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_request(
    event_id: i32,
    host_id: i32,
    registration_id: i32,
    #[server(default)] message: String,
    /// `on`: the host must meet this guest.
    #[server(default)]
    must: String,
) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let message = parse_message(&message)?;
    crate::events::ssr::find_owned(&db, member.organization_id, event_id).await?;
    let from = ssr::Side::Host { event_id };
    ssr::request(&db, from, registration_id, host_id, message, must == "on").await
}

/// Runs the auto-scheduler over the pending requests and keeps its grid as proposals.
#[server(prefix = "/api", endpoint = "meetings/propose")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn propose_schedule(event_id: i32) -> Result<ScheduleReport, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::propose(&db, member.organization_id, event_id).await
}

/// Accepts every proposal (each checked as any accept) and emails both sides.
#[server(prefix = "/api", endpoint = "meetings/publish")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn publish_schedule(event_id: i32) -> Result<ScheduleReport, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let report = ssr::publish(&state.db, &state.mail, member.organization_id, event_id).await?;
    state.mail_wakeup.notify_one();
    Ok(report)
}

/// The organizer moves one proposal of the auto-scheduler by hand (`take_out`: drops it).
#[server(prefix = "/api", endpoint = "meetings/adjust")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn adjust_proposal(
    event_id: i32,
    request_id: i32,
    #[server(default)] slot: String,
    #[server(default)] table: String,
    #[server(default)] take_out: String,
) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    if !take_out.is_empty() {
        return ssr::drop_proposal(&db, member.organization_id, event_id, request_id).await;
    }
    let ssr::Answer::Accept { slot: Some(slot), table } = ssr::Answer::parse("accept", &slot, &table)? else {
        return Err(AppError::Invalid(FieldErrors::single("slot", Reason::Required)));
    };
    ssr::adjust_proposal(&db, member.organization_id, event_id, request_id, slot, table).await
}

/// The host side answers a guest's request: `accept` (into `slot` and `table` when given,
/// else the first slot both have free and a free table) or `decline`.
#[server(prefix = "/api", endpoint = "meetings/host-answer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_answer(
    event_id: i32,
    request_id: i32,
    answer: String,
    #[server(default)] slot: String,
    #[server(default)] table: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    crate::events::ssr::find_owned(&state.db, member.organization_id, event_id).await?;
    let answer = ssr::Answer::parse(&answer, &slot, &table)?;
    ssr::answer(&state.db, &state.mail, ssr::Side::Host { event_id }, request_id, answer).await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// The organizer moves an accepted meeting to another slot (and table).
#[server(prefix = "/api", endpoint = "meetings/move")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn move_meeting(
    event_id: i32,
    request_id: i32,
    slot: String,
    #[server(default)] table: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    crate::events::ssr::find_owned(&state.db, member.organization_id, event_id).await?;
    let ssr::Answer::Accept { slot: Some(slot), table } = ssr::Answer::parse("accept", &slot, &table)? else {
        return Err(AppError::Invalid(FieldErrors::single("slot", Reason::Required)));
    };
    ssr::move_meeting(&state.db, &state.mail, event_id, request_id, slot, table).await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// The organizer cancels a request or a meeting: its slot is free again.
#[server(prefix = "/api", endpoint = "meetings/host-cancel")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_cancel(event_id: i32, request_id: i32) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    crate::events::ssr::find_owned(&state.db, member.organization_id, event_id).await?;
    ssr::cancel(&state.db, &state.mail, ssr::Side::Host { event_id }, request_id).await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// The organizer (or the host at the table) says the meeting was `held` or `missed`.
#[server(prefix = "/api", endpoint = "meetings/mark")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn mark_meeting(event_id: i32, request_id: i32, outcome: String) -> Result<MeetingStatus, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    crate::events::ssr::find_owned(&db, member.organization_id, event_id).await?;
    let held = match outcome.as_str() {
        "held" => true,
        "missed" => false,
        _ => return Err(AppError::Invalid(FieldErrors::single("outcome", Reason::UnknownChoice))),
    };
    ssr::mark(&db, ssr::Side::Host { event_id }, request_id, held).await
}

/// At a table, the guest's check-in code is scanned (or typed): their meeting there is held.
#[server(prefix = "/api", endpoint = "meetings/scan")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn scan_meeting(event_id: i32, table_id: i32, code: String) -> Result<MeetingView, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    crate::events::ssr::find_owned(&db, member.organization_id, event_id).await?;
    ssr::held_by_code(&db, event_id, ssr::Place::Table(table_id), &code).await
}

/// The guest's meetings behind their private link.
#[server(prefix = "/api", endpoint = "meetings/mine")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_meetings(token: String) -> Result<GuestMeetings, AppError> {
    let state = crate::state::app_state()?;
    ssr::guest_meetings(&state.db, &state.mail, &token).await
}

/// The guest agrees to be met (with what they look for) or stops.
#[server(prefix = "/api", endpoint = "meetings/opt-in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn guest_opt_in(
    token: String,
    #[server(default)] offer: String,
    #[server(default)] stop: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let offer =
        crate::domain::text(&offer, false, 2000).map_err(|r| AppError::Invalid(FieldErrors::single("offer", r)))?;
    let done = async {
        let guest = ssr::guest_side(&state.db, &state.mail, &token).await?;
        ssr::opt_in(&state.db, guest, offer, stop.is_empty()).await
    };
    guest_outcome::<GuestOptIn, _>(&token, "", done.await)
}

/// A confirmed guest asks a host for a meeting.
#[server(prefix = "/api", endpoint = "meetings/request")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn guest_request(
    token: String,
    host_id: i32,
    #[server(default)] message: String,
    /// `on`: the guest must meet this host.
    #[server(default)]
    must: String,
) -> Result<i32, AppError> {
    let state = crate::state::app_state()?;
    let asked = async {
        let message = parse_message(&message)?;
        let guest = ssr::guest_side(&state.db, &state.mail, &token).await?;
        let ssr::Side::Guest { registration_id, .. } = guest else { return Err(AppError::NotFound) };
        ssr::request(&state.db, guest, registration_id, host_id, message, must == "on").await
    };
    guest_outcome::<GuestRequest, _>(&token, "?asked=1", asked.await)
}

/// The guest answers a host's request (see [`host_answer`]).
#[server(prefix = "/api", endpoint = "meetings/answer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn guest_answer(
    token: String,
    request_id: i32,
    answer: String,
    #[server(default)] slot: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let answered = async {
        let answer = ssr::Answer::parse(&answer, &slot, "")?;
        let guest = ssr::guest_side(&state.db, &state.mail, &token).await?;
        ssr::answer(&state.db, &state.mail, guest, request_id, answer).await?;
        state.mail_wakeup.notify_one();
        Ok(())
    };
    guest_outcome::<GuestAnswer, _>(&token, "", answered.await)
}

/// The guest withdraws a request or cancels a meeting.
#[server(prefix = "/api", endpoint = "meetings/cancel")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn guest_cancel(token: String, request_id: i32) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let cancelled = async {
        let guest = ssr::guest_side(&state.db, &state.mail, &token).await?;
        ssr::cancel(&state.db, &state.mail, guest, request_id).await?;
        state.mail_wakeup.notify_one();
        Ok(())
    };
    guest_outcome::<GuestCancel, _>(&token, "", cancelled.await)
}

/// Where a guest's form lands: their private page, at its meetings.
#[cfg(feature = "ssr")]
fn guest_outcome<S, T>(token: &str, query: &str, result: Result<T, AppError>) -> Result<T, AppError>
where
    S: leptos::server_fn::ServerFn<Error = AppError>,
    T: Default,
{
    crate::forms::private_page_outcome::<S, T>("/r/", token, query, "#meetings", result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProgrammeForm {
        ProgrammeForm {
            enabled: "on".into(),
            first_slot_at: "2023-05-08T14:00".into(),
            slot_minutes: "20".into(),
            slot_count: "12".into(),
            breaks: "5，6 5".into(),
            request_hours: "48".into(),
            max_open_requests: "10".into(),
            reminder_minutes: "15".into(),
        }
    }

    #[test]
    fn a_programme_parses_and_breaks_are_slot_numbers() {
        let valid = form().parse().unwrap();
        assert!(valid.enabled);
        assert_eq!(valid.breaks, [5, 6]);
        let errors = ProgrammeForm { breaks: "13".into(), slot_minutes: "3".into(), ..form() }.parse().unwrap_err();
        assert_eq!(errors.get("breaks"), Some(&Reason::OutOfRange { min: 1, max: 12 }));
        assert_eq!(errors.get("slot_minutes"), Some(&Reason::OutOfRange { min: 5, max: 240 }));
    }

    #[test]
    fn a_day_holds_at_most_a_day_of_slots() {
        let errors =
            ProgrammeForm { slot_minutes: "30".into(), slot_count: "100".into(), ..form() }.parse().unwrap_err();
        assert_eq!(errors.get("slot_count"), Some(&Reason::OutOfRange { min: 1, max: 48 }));
    }

    #[test]
    fn the_held_rate_counts_meetings_that_are_over() {
        assert_eq!(MeetingCounts { held: 2, missed: 1, ..Default::default() }.held_rate(), Some(67));
        assert_eq!(MeetingCounts::default().held_rate(), None);
    }
}
