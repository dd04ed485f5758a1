//! Events: the stops of a roadshow (or standalone events), their shared types,
//! the form rules both sides apply, and the server functions that read and change them.

#[cfg(feature = "ssr")]
pub mod cache;
mod form;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod seats;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use form::*;

use chrono::{DateTime, NaiveDateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Lang;

pub use crate::domain::{EventStatus, Visibility};

pub use crate::domain::IndustryChain;

/// When guests may register: from `opens_at` (if set) until `closes_at` (the configured
/// closing, else the event's end), and only while the event is published.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationWindow {
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
}

impl RegistrationWindow {
    pub fn is_open(&self, status: EventStatus, now: DateTime<Utc>) -> bool {
        status == EventStatus::Published && self.opens_at.is_none_or(|opens| now >= opens) && now < self.closes_at
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaItemDto {
    pub starts_local: NaiveDateTime,
    pub title: String,
    pub speaker: String,
}

/// One event as organizers edit it and guests read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDto {
    pub id: i32,
    pub roadshow_id: Option<i32>,
    pub roadshow_name: Option<String>,
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// Markdown rendered and sanitized on the server.
    pub description_html_zh: String,
    pub description_html_en: String,
    pub city: String,
    pub country: String,
    pub region: String,
    pub venue_name: String,
    pub venue_address: String,
    pub time_zone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    /// The venue's offset at the start, e.g. `UTC+01:00`.
    pub utc_offset: String,
    pub capacity: i32,
    pub registration_opens_local: Option<NaiveDateTime>,
    pub registration_closes_local: Option<NaiveDateTime>,
    pub visibility: Visibility,
    pub status: EventStatus,
    pub industry_chains: Vec<IndustryChain>,
    pub agenda: Vec<AgendaItemDto>,
    /// Confirmed registrations when the event was read.
    pub confirmed_count: i64,
    pub registration_window: RegistrationWindow,
    /// Whether a guest can register now (set when the page is served, so a cached
    /// event never shows an expired form).
    pub registration_open: bool,
    /// Custom questions of the registration form.
    pub questions: Vec<crate::domain::questions::Question>,
    /// What the stop cost; members only (`None` on the public page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_yuan: Option<i64>,
}

impl EventDto {
    pub fn seats_left(&self) -> i64 {
        (self.capacity as i64 - self.confirmed_count).max(0)
    }
}

impl EventDto {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.title_zh, &self.title_en)
    }

    pub fn description_html(&self, lang: Lang) -> &str {
        lang.pick(&self.description_html_zh, &self.description_html_en)
    }

    /// The event's values as an edit form, for editing or cloning it.
    pub fn to_form(&self) -> EventForm {
        let local = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
        EventForm {
            roadshow_id: self.roadshow_id.map(|id| id.to_string()).unwrap_or_default(),
            slug: self.slug.clone(),
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            description_zh: self.description_zh.clone(),
            description_en: self.description_en.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
            region: self.region.clone(),
            venue_name: self.venue_name.clone(),
            venue_address: self.venue_address.clone(),
            time_zone: self.time_zone.clone(),
            starts_local: local(self.starts_local),
            ends_local: local(self.ends_local),
            capacity: self.capacity.to_string(),
            cost: self.cost_yuan.filter(|c| *c > 0).map(crate::domain::Yuan::wan_text).unwrap_or_default(),
            registration_opens_local: self.registration_opens_local.map(local).unwrap_or_default(),
            registration_closes_local: self.registration_closes_local.map(local).unwrap_or_default(),
            visibility: self.visibility.as_str().to_string(),
            industry_chains: self.industry_chains.iter().map(|c| (c.slug().to_string(), "on".to_string())).collect(),
            agenda: self
                .agenda
                .iter()
                .map(|a| {
                    let day = if a.starts_local.date() == self.starts_local.date() {
                        String::new()
                    } else {
                        a.starts_local.format("%Y-%m-%d ").to_string()
                    };
                    format!("{day}{} | {} | {}", a.starts_local.format("%H:%M"), a.title, a.speaker)
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// One row of the organizer's event list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventSummary {
    pub id: i32,
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub city: String,
    pub region: String,
    pub roadshow_id: Option<i32>,
    pub roadshow_name: Option<String>,
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub starts_at: DateTime<Utc>,
    pub capacity: i32,
    pub status: EventStatus,
    pub visibility: Visibility,
}

/// Filters of the event list; every field optional, all strings as they come from the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventFilter {
    #[serde(default)]
    pub roadshow: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub status: String,
    /// `YYYY-MM`
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub q: String,
}

/// The public home page's events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicEvents {
    pub upcoming: Vec<EventSummary>,
    pub past: Vec<EventSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventList {
    pub events: Vec<EventSummary>,
    /// Every region the organization uses, for the filter.
    pub regions: Vec<String>,
    pub roadshows: Vec<(i32, String)>,
}

#[server(prefix = "/api", endpoint = "events/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_events(#[server(default)] filter: EventFilter) -> Result<EventList, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list(&db, member.organization_id, &filter).await
}

#[server(prefix = "/api", endpoint = "events/get")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_event(id: i32) -> Result<EventDto, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::get(&db, member.organization_id, id).await
}

#[server(prefix = "/api", endpoint = "events/public")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_public_event(slug: String) -> Result<EventDto, AppError> {
    let state = crate::state::app_state()?;
    let event = crate::events::cache::of(&state)?.get_or_load(&state.db, &slug).await?;
    let mut event = (*event).clone();
    event.registration_open = event.registration_window.is_open(event.status, Utc::now());
    Ok(event)
}

#[server(prefix = "/api", endpoint = "events/upcoming")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_public_events() -> Result<PublicEvents, AppError> {
    ssr::list_public(&crate::state::db()?).await
}

#[server(prefix = "/api", endpoint = "events/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_event(form: EventForm) -> Result<i32, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidEvent::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let id = ssr::create(&state.db, member.organization_id, valid).await.map_err(|e| e.with_values(&form))?;
    crate::events::cache::of(&state)?.clear();
    leptos_axum::redirect(&format!("/admin/events/{id}?saved=1"));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "events/update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn update_event(id: i32, form: EventForm) -> Result<i32, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidEvent::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::update(&state.db, &state.mail, member.organization_id, id, valid).await.map_err(|e| e.with_values(&form))?;
    state.mail_wakeup.notify_one();
    crate::events::cache::of(&state)?.clear();
    leptos_axum::redirect(&format!("/admin/events/{id}?saved=1"));
    Ok(id)
}

/// Publishes or cancels an event (or marks it completed / back to draft).
#[server(prefix = "/api", endpoint = "events/status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_event_status(id: i32, status: String) -> Result<EventStatus, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let status = EventStatus::parse(&status).ok_or_else(|| {
        AppError::Invalid(crate::error::FieldErrors::single("status", crate::error::Reason::UnknownChoice))
    })?;
    ssr::set_status(&state.db, &state.mail, member.organization_id, id, status).await?;
    crate::events::cache::of(&state)?.clear();
    state.mail_wakeup.notify_one();
    leptos_axum::redirect(&format!("/admin/events/{id}"));
    Ok(status)
}
