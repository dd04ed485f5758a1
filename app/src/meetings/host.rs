//! A host's own page behind a private link (`/h/<token>`): their meetings in the venue's
//! time and their own, the guests' requests to answer, the guests open to meetings to ask,
//! and the table's check-in: typing (or scanning) a guest's code marks their meeting held.
//! Every form posts without script and comes back to the page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{GuestProfile, HostProfile, MeetingView, SlotView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::{FieldErrors, Reason};

/// What a host reads on their own page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostMeetings {
    pub event_title_zh: String,
    pub event_title_en: String,
    pub venue: String,
    pub time_zone: String,
    pub host: HostProfile,
    /// Guests may ask and be asked.
    pub enabled: bool,
    /// Their requests and meetings, meetings first in slot order.
    pub meetings: Vec<MeetingView>,
    pub slots: Vec<SlotView>,
    /// The confirmed guests who agreed to be met.
    pub guests: Vec<GuestProfile>,
    /// The host's own zone when it is not the venue's (empty when not told or the same).
    pub own_time_zone: String,
    pub max_open_requests: i32,
}

/// The host's page.
#[server(prefix = "/api", endpoint = "meetings/host-page")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_page(token: String) -> Result<HostMeetings, AppError> {
    let state = crate::state::app_state()?;
    super::host_ssr::page(&state.db, &state.mail, &token).await
}

/// The host answers a guest's request: `accept` (into `slot` when given) or `decline`.
#[server(prefix = "/api", endpoint = "meetings/host-page/answer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_page_answer(
    token: String,
    request_id: i32,
    answer: String,
    #[server(default)] slot: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let answered = async {
        let answer = super::ssr::Answer::parse(&answer, &slot, "")?;
        let side = super::host_ssr::side(&state.db, &state.mail, &token).await?;
        super::ssr::answer(&state.db, &state.mail, side, request_id, answer).await?;
        state.mail_wakeup.notify_one();
        Ok(())
    };
    outcome::<HostPageAnswer, _>(&token, "", answered.await)
}

/// The host withdraws their request or cancels a meeting.
#[server(prefix = "/api", endpoint = "meetings/host-page/cancel")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_page_cancel(token: String, request_id: i32) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let cancelled = async {
        let side = super::host_ssr::side(&state.db, &state.mail, &token).await?;
        super::ssr::cancel(&state.db, &state.mail, side, request_id).await?;
        state.mail_wakeup.notify_one();
        Ok(())
    };
    outcome::<HostPageCancel, _>(&token, "", cancelled.await)
}

/// The host asks a guest who agreed to be met.
#[server(prefix = "/api", endpoint = "meetings/host-page/request")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_page_request(
    token: String,
    registration_id: i32,
    #[server(default)] message: String,
    /// `on`: the host must meet this guest.
    #[server(default)]
    must: String,
) -> Result<i32, AppError> {
    let state = crate::state::app_state()?;
    let asked = async {
        let message = super::parse_message(&message)?;
        let side = super::host_ssr::side(&state.db, &state.mail, &token).await?;
        let super::ssr::Side::HostLink { host_id, .. } = side else { return Err(AppError::NotFound) };
        super::ssr::request(&state.db, side, registration_id, host_id, message, must == "on").await
    };
    outcome::<HostPageRequest, _>(&token, "?asked=1", asked.await)
}

/// At the table the host types (or scans) the guest's check-in code: their meeting is held.
#[server(prefix = "/api", endpoint = "meetings/host-page/scan")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_page_scan(token: String, code: String) -> Result<i32, AppError> {
    let state = crate::state::app_state()?;
    let held = async {
        let side = super::host_ssr::side(&state.db, &state.mail, &token).await?;
        let super::ssr::Side::HostLink { event_id, host_id } = side else { return Err(AppError::NotFound) };
        let place = super::ssr::Place::Host(host_id);
        Ok(super::ssr::held_by_code(&state.db, event_id, place, &code).await?.id)
    };
    let held = held.await;
    let query = held.as_ref().map(|id| format!("?held={id}")).unwrap_or_default();
    outcome::<HostPageScan, _>(&token, &query, held)
}

/// The host taps `held` or `missed`.
#[server(prefix = "/api", endpoint = "meetings/host-page/mark")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_page_mark(token: String, request_id: i32, outcome: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let marked = async {
        let held = match outcome.as_str() {
            "held" => true,
            "missed" => false,
            _ => return Err(AppError::Invalid(FieldErrors::single("outcome", Reason::UnknownChoice))),
        };
        let side = super::host_ssr::side(&state.db, &state.mail, &token).await?;
        super::ssr::mark(&state.db, side, request_id, held).await?;
        Ok(())
    };
    self::outcome::<HostPageMark, _>(&token, "", marked.await)
}

/// The host says their own time zone (the page shows each meeting in it too).
#[server(prefix = "/api", endpoint = "meetings/host-page/zone")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn host_page_zone(token: String, #[server(default)] time_zone: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let saved = async {
        let zone = match time_zone.trim() {
            "" => String::new(),
            zone => crate::domain::TimeZone::parse(zone)
                .map_err(|r| AppError::Invalid(FieldErrors::single("time_zone", r)))?
                .as_str()
                .to_string(),
        };
        super::host_ssr::set_zone(&state.db, &state.mail, &token, zone).await
    };
    outcome::<HostPageZone, _>(&token, "", saved.await)
}

/// The organizer replaces a host's private link (the old one stops working).
#[server(prefix = "/api", endpoint = "meetings/renew-host-link")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn renew_host_link(event_id: i32, host_id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    super::host_ssr::renew_link(&db, member.organization_id, event_id, host_id).await
}

/// Where a host's form lands: back on their page, at its meetings.
#[cfg(feature = "ssr")]
fn outcome<S, T>(token: &str, query: &str, result: Result<T, AppError>) -> Result<T, AppError>
where
    S: leptos::server_fn::ServerFn<Error = AppError>,
    T: Default,
{
    crate::forms::private_page_outcome::<S, T>("/h/", token, query, "#meetings", result)
}
