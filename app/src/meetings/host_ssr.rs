//! Server side of a host's own page: the link is signed with the host's nonce (a new nonce
//! replaces it) and stops working when a guest's does, after the event.

use chrono_tz::Tz;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use super::host::HostMeetings;
use super::ssr::{Grid, Side};
use crate::domain::{IndustryChain, MeetingStatus};
use crate::entities::{event, meeting_host, meeting_request};
use crate::error::AppError;
use crate::mail::ssr::MailSettings;

/// The host behind a private link, and their event.
pub async fn by_token(
    db: &DatabaseConnection,
    mail: &MailSettings,
    token: &str,
) -> Result<(meeting_host::Model, event::Model), AppError> {
    let id = MailSettings::token_id(token).ok_or(AppError::NotFound)?;
    let host = meeting_host::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if !mail.host_matches(token, &host) {
        return Err(AppError::NotFound);
    }
    let event = event::Entity::find_by_id(host.event_id).one(db).await?.ok_or(AppError::NotFound)?;
    crate::registrations::ssr::link_alive(&event)?;
    Ok((host, event))
}

/// The host behind a private link, as a side that can ask, answer, cancel and mark.
pub async fn side(db: &DatabaseConnection, mail: &MailSettings, token: &str) -> Result<Side, AppError> {
    let (host, event) = by_token(db, mail, token).await?;
    Ok(Side::HostLink { event_id: event.id, host_id: host.id })
}

pub async fn page(db: &DatabaseConnection, mail: &MailSettings, token: &str) -> Result<HostMeetings, AppError> {
    let (host, event) = by_token(db, mail, token).await?;
    let grid = Grid::of(db, &event).await?;
    let enabled = grid.saved && grid.programme.enabled;
    let requests = meeting_request::Entity::find()
        .filter(meeting_request::Column::HostId.eq(host.id))
        .order_by_asc(meeting_request::Column::Id)
        .all(db)
        .await?;
    let mut meetings = super::ssr::views(db, &grid, requests).await?;
    // Meetings in the order of the day, then the requests, newest last.
    meetings.sort_by_key(|m| (m.slot.as_ref().map_or(i32::MAX, |s| s.number), m.id));
    let own_zone = (!host.time_zone.is_empty() && host.time_zone != event.time_zone)
        .then(|| host.time_zone.parse::<Tz>().ok())
        .flatten();
    if let Some(zone) = own_zone {
        for slot in meetings.iter_mut().filter_map(|m| m.slot.as_mut()) {
            slot.own_starts_local = Some(crate::events::ssr::utc_to_local(zone, slot.starts_at));
        }
    }
    let guests = if enabled { super::ssr::opted_in_guests(db, event.id).await? } else { Vec::new() };
    // Cancelled, declined and expired requests say nothing the host still needs.
    meetings
        .retain(|m| !matches!(m.status, MeetingStatus::Cancelled | MeetingStatus::Declined | MeetingStatus::Expired));
    Ok(HostMeetings {
        venue: [event.venue_name.as_str(), event.city.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        event_title_zh: event.title_zh,
        event_title_en: event.title_en,
        time_zone: event.time_zone.clone(),
        enabled,
        meetings,
        slots: grid.slots(),
        guests,
        own_time_zone: if own_zone.is_some() { host.time_zone.clone() } else { String::new() },
        max_open_requests: grid.programme.max_open_requests,
        host: super::HostProfile {
            id: host.id,
            industry_chains: IndustryChain::split(&host.industry_chains),
            name: host.name,
            organization: host.organization,
            unit: host.unit,
            offer: host.offer,
        },
    })
}

/// Keeps the host's own zone (empty: the venue's).
pub async fn set_zone(db: &DatabaseConnection, mail: &MailSettings, token: &str, zone: String) -> Result<(), AppError> {
    let (host, _) = by_token(db, mail, token).await?;
    meeting_host::Entity::update(meeting_host::ActiveModel {
        id: Set(host.id),
        time_zone: Set(zone),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// A new nonce: the host's old link stops working, the page shows the new one.
pub async fn renew_link(db: &DatabaseConnection, org_id: i32, event_id: i32, host_id: i32) -> Result<(), AppError> {
    crate::events::ssr::find_owned(db, org_id, event_id).await?;
    let host = meeting_host::Entity::find_by_id(host_id)
        .filter(meeting_host::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let nonce = crate::crypto::random_hex::<16>();
    meeting_host::Entity::update(meeting_host::ActiveModel {
        id: Set(host.id),
        link_nonce: Set(nonce),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Each host's private link, for the organizer's page.
pub async fn links(
    db: &impl sea_orm::ConnectionTrait,
    mail: &MailSettings,
    event_id: i32,
) -> Result<Vec<(i32, String)>, AppError> {
    Ok(meeting_host::Entity::find()
        .filter(meeting_host::Column::EventId.eq(event_id))
        .order_by_asc(meeting_host::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|h| (h.id, mail.host_url(h)))
        .collect())
}
