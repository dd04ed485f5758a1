//! Server side of registrations. Capacity holds under any number of parallel
//! requests: the whole check-and-write runs in one write transaction that is
//! serialized per event — `BEGIN IMMEDIATE` on SQLite, the event row locked with
//! `SELECT … FOR UPDATE` on PostgreSQL — so two guests never take the last seat.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};

use super::{CONSENT_VERSION, RegistrationOutcome, RegistrationStatus, ValidRegistration};
use crate::entities::{event, registration};
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::{EventStatus, IndustryChain, Visibility, ssr::registration_open};
use crate::state::{begin_write, is_postgres};

fn closed(reason: Reason) -> AppError {
    AppError::Conflict(FieldErrors::single("event", reason))
}

pub async fn confirmed_count(db: &impl ConnectionTrait, event_id: i32) -> Result<u64, sea_orm::DbErr> {
    registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed.as_str()))
        .count(db)
        .await
}

fn new_token_hash() -> String {
    use rand::RngCore;
    use sha2::{Digest, Sha256};
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(Sha256::digest(bytes))
}

/// Registers `guest` for the event at `slug`, or updates their registration.
pub async fn register(
    db: &DatabaseConnection,
    slug: &str,
    guest: ValidRegistration,
    source: &str,
) -> Result<RegistrationOutcome, AppError> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let mut query = event::Entity::find().filter(event::Column::Slug.eq(slug));
    if is_postgres(&txn) {
        query = query.lock_exclusive();
    }
    let event = query.one(&txn).await?.ok_or(AppError::NotFound)?;
    if EventStatus::parse(&event.status) == Some(EventStatus::Draft) {
        return Err(AppError::NotFound);
    }
    if Visibility::parse(&event.visibility) == Some(Visibility::InviteOnly) {
        return Err(closed(Reason::InvitationRequired));
    }
    if !registration_open(&event, now) {
        return Err(closed(Reason::RegistrationClosed));
    }

    let existing = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Email.eq(guest.email.as_str()))
        .one(&txn)
        .await?;
    let keeps_status = existing
        .as_ref()
        .and_then(|r| RegistrationStatus::parse(&r.status))
        .filter(|s| *s != RegistrationStatus::Cancelled);
    let status = match keeps_status {
        Some(status) => status,
        None if confirmed_count(&txn, event.id).await? < event.capacity.max(0) as u64 => RegistrationStatus::Confirmed,
        None => RegistrationStatus::Waitlisted,
    };
    let updated = existing.is_some();
    let mut model: registration::ActiveModel = match existing {
        Some(row) => row.into(),
        None => registration::ActiveModel {
            event_id: Set(event.id),
            email: Set(guest.email.as_str().to_string()),
            manage_token_hash: Set(new_token_hash()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    model.name = Set(guest.name);
    model.phone = Set(guest.phone);
    model.company = Set(guest.company);
    model.job_title = Set(guest.job_title);
    model.country = Set(guest.country);
    model.industry_chains = Set(IndustryChain::join(&guest.industry_chains));
    model.language = Set(guest.language.code().to_string());
    model.status = Set(status.as_str().to_string());
    model.consent_data_at = Set(now);
    model.consent_data_version = Set(CONSENT_VERSION.to_string());
    model.consent_marketing_at = Set(guest.consent_marketing.then_some(now));
    model.consent_source = Set(source.to_string());
    model.updated_at = Set(now);
    let saved = if updated { model.update(&txn).await? } else { model.insert(&txn).await? };
    txn.commit().await?;
    Ok(RegistrationOutcome { id: saved.id, status, updated })
}
