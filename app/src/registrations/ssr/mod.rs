//! Server side of registrations. Capacity holds under any number of parallel
//! requests: the whole check-and-write runs in one write transaction that is
//! serialized per event — `BEGIN IMMEDIATE` on SQLite, the event row locked with
//! `SELECT … FOR UPDATE` on PostgreSQL — so two guests never take the last seat.
//!
//! One file per use case (registering, the guest's own link, the list, the door); this one
//! holds what they share.

use chrono::Utc;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{RegistrationStatus, ValidRegistration};
use crate::crypto::{random_bytes, random_hex};
use crate::domain::Country;
use crate::entities::{event, registration};
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::IndustryChain;
use crate::mail::ssr::MailSettings;

mod batch;
mod door;
mod list;
mod live;
mod manage;
mod register;

pub use door::*;
pub use list::*;
pub use live::*;
pub use manage::*;
pub use register::*;

fn closed(reason: Reason) -> AppError {
    AppError::Conflict(FieldErrors::single("event", reason))
}

/// A fresh random nonce for a registration's signed manage link, and a check-in code:
/// `RS-` and 16 characters of Crockford base32 (80 bits), short enough for a small QR
/// code and to read out at the door.
fn new_nonce() -> String {
    random_hex::<32>()
}

pub fn new_check_in_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = random_bytes::<10>();
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(b);
    }
    let code: String = (0..16).rev().map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
    format!("RS-{code}")
}

/// How long after its event a manage link keeps working.
const LINK_DAYS_AFTER_EVENT: i64 = 30;

/// The details a guest types, as both registering and changing store them (the email
/// and consents are each caller's own business).
fn set_details(model: &mut registration::ActiveModel, guest: ValidRegistration) {
    model.name = Set(guest.name);
    model.phone = Set(guest.phone.as_str().to_string());
    model.company = Set(guest.company);
    model.job_title = Set(guest.job_title);
    model.country = Set(Country::stored(&guest.country));
    model.industry_chains = Set(IndustryChain::join(&guest.industry_chains));
    model.language = Set(guest.language);
    if let Some(zone) = &guest.time_zone {
        model.time_zone = Set(zone.as_str().to_string());
    }
}

fn answers_json(answers: &std::collections::BTreeMap<i32, String>) -> String {
    serde_json::to_string(answers).unwrap_or_else(|_| "{}".into())
}

fn stored_answers(json: &str) -> std::collections::BTreeMap<i32, String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// 1 for the next waitlisted guest to get a seat.
pub(crate) async fn waitlist_position(
    db: &impl ConnectionTrait,
    row: &registration::Model,
) -> Result<u64, sea_orm::DbErr> {
    let ahead = registration::Entity::find()
        .filter(registration::Column::EventId.eq(row.event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .filter(
            Condition::any().add(registration::Column::CreatedAt.lt(row.created_at)).add(
                Condition::all()
                    .add(registration::Column::CreatedAt.eq(row.created_at))
                    .add(registration::Column::Id.lt(row.id)),
            ),
        )
        .count(db)
        .await?;
    Ok(ahead + 1)
}

/// The registration behind a signed private link; a forged or altered one is `NotFound`.
pub(crate) async fn by_token(
    db: &impl ConnectionTrait,
    mail: &MailSettings,
    token: &str,
) -> Result<(registration::Model, event::Model), AppError> {
    let id = MailSettings::token_id(token).ok_or(AppError::NotFound)?;
    let row = registration::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if !mail.token_matches(token, &row) {
        return Err(AppError::NotFound);
    }
    let event = event::Entity::find_by_id(row.event_id).one(db).await?.ok_or(AppError::NotFound)?;
    link_alive(&event)?;
    Ok((row, event))
}

/// A private link of an event's (a guest's, a meeting host's) works until
/// `LINK_DAYS_AFTER_EVENT` days after it ends.
pub(crate) fn link_alive(event: &event::Model) -> Result<(), AppError> {
    if Utc::now() > event.ends_at + chrono::Duration::days(LINK_DAYS_AFTER_EVENT) {
        return Err(AppError::Conflict(FieldErrors::single("token", Reason::LinkExpired)));
    }
    Ok(())
}
