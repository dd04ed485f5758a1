//! An event's seats: counting the confirmed guests, and giving freed or added seats to
//! the waitlist. Used where seats change: a guest cancels, an organizer adds capacity.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::domain::RegistrationStatus;
use crate::entities::{event, registration};
use crate::mail::compose::MailKind;
use crate::mail::ssr::EventMailer;

pub async fn confirmed_count(db: &impl ConnectionTrait, event_id: i32) -> Result<u64, sea_orm::DbErr> {
    registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed.as_str()))
        .count(db)
        .await
}

/// Gives the event's free seats to the waitlist in order, each guest emailed. Runs in
/// the caller's write transaction, which must hold the event (see `registrations::ssr`).
pub async fn promote_waitlist(
    txn: &impl ConnectionTrait,
    mailer: &EventMailer<'_>,
    event: &event::Model,
) -> Result<u64, sea_orm::DbErr> {
    // Counted rather than read from `event`: the caller may have freed seats in this
    // transaction since it read the event.
    let free = (event.capacity.max(0) as u64).saturating_sub(confirmed_count(txn, event.id).await?);
    if free == 0 {
        return Ok(0);
    }
    let promoted = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .order_by_asc(registration::Column::CreatedAt)
        .order_by_asc(registration::Column::Id)
        .limit(free)
        .all(txn)
        .await?;
    let n = promoted.len() as u64;
    let mut announcements = Vec::with_capacity(promoted.len());
    for guest in promoted {
        let mut guest: registration::ActiveModel = guest.into();
        guest.status = Set(RegistrationStatus::Confirmed);
        guest.updated_at = Set(Utc::now());
        let guest = guest.update(txn).await?;
        let data = crate::webhooks::ssr::registration_data(&guest, event);
        announcements.push((event.organization_id, crate::domain::WebhookEvent::WaitlistPromoted, data));
        mailer.send(txn, MailKind::Promoted, event, guest, None).await?;
    }
    crate::webhooks::ssr::emit(txn, announcements).await?;
    Ok(n)
}
