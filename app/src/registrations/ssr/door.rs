//! Checking guests in at the door: from the list, or by the code of their QR.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::db::begin_write;
use crate::entities::registration;
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::ssr::{find_owned, tz_of, utc_to_local};
use crate::registrations::live::DoorChange;
use crate::registrations::{CheckInOutcome, RegistrationStatus};

/// A check-in as it was taken: what the organizer is told, and the change every phone at
/// the door hears (`None` when the guest had been checked in before), to be given to
/// `committed` once the caller holds the answer.
pub struct CheckedIn {
    pub outcome: CheckInOutcome,
    pub change: Option<DoorChange>,
}

/// Checks a confirmed guest in, once, now; the registration must belong to an event of
/// the member's organization (else `NotFound`). Every phone at the door hears it.
pub async fn check_in(db: &DatabaseConnection, org_id: i32, registration_id: i32) -> Result<CheckInOutcome, AppError> {
    let checked = check_in_at(db, org_id, registration_id, None).await?;
    super::committed(checked.change);
    Ok(checked.outcome)
}

/// Checks a confirmed guest in, once, at `at` (a phone's time, for a check-in taken
/// offline: never later than now, never a day before the event) or now. A guest checked
/// in before keeps the first time.
pub async fn check_in_at(
    db: &DatabaseConnection,
    org_id: i32,
    registration_id: i32,
    at: Option<DateTime<Utc>>,
) -> Result<CheckedIn, AppError> {
    let txn = begin_write(db).await?;
    let found = registration::Entity::find_by_id(registration_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let event = find_owned(&txn, org_id, found.event_id).await?;
    crate::events::ssr::lock_event(&txn, event.id).await?;
    // Read again under the lock: the guest may have been checked in or cancelled meanwhile.
    let row = registration::Entity::find_by_id(registration_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let tz = tz_of(&event.time_zone)?;
    if let Some(at) = row.checked_in_at {
        let outcome =
            CheckInOutcome { name: row.name, already: true, checked_in_at: at, checked_in_local: utc_to_local(tz, at) };
        return Ok(CheckedIn { outcome, change: None });
    }
    if row.status != RegistrationStatus::Confirmed {
        return Err(AppError::Conflict(FieldErrors::single("registration", Reason::NotConfirmed)));
    }
    // Stored at the precision both databases keep, so the answer equals what is stored.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
    let when = match at {
        Some(at) => {
            let earliest = (event.starts_at - chrono::Duration::days(1)).min(now);
            chrono::SubsecRound::trunc_subsecs(at.clamp(earliest, now), 6)
        }
        None => now,
    };
    let name = row.name.clone();
    let mut model: registration::ActiveModel = row.into();
    model.checked_in_at = Set(Some(when));
    model.updated_at = Set(now);
    let saved = model.update(&txn).await?;
    let data = crate::webhooks::ssr::registration_data(&saved, &event);
    let checked_in = crate::domain::WebhookEvent::RegistrationCheckedIn;
    crate::webhooks::ssr::emit(&txn, vec![(event.organization_id, checked_in, data)]).await?;
    let change = super::change_of(&txn, &saved).await?;
    super::tell(&txn, &change).await?;
    txn.commit().await?;
    let outcome =
        CheckInOutcome { name, already: false, checked_in_at: when, checked_in_local: utc_to_local(tz, when) };
    Ok(CheckedIn { outcome, change: Some(change) })
}

/// The guest of `event_id` whose QR code (or code read out at the door) is `code`.
pub async fn by_code(
    db: &DatabaseConnection,
    event_id: i32,
    code: &str,
) -> Result<Option<registration::Model>, AppError> {
    let code = code.trim().to_ascii_uppercase();
    Ok(registration::Entity::find()
        .filter(registration::Column::CheckInCode.eq(code))
        .filter(registration::Column::EventId.eq(event_id))
        .one(db)
        .await?)
}

/// Checks in the guest whose QR code (or code read out at the door) is `code`, for
/// this event of the member's organization.
pub async fn check_in_by_code(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    code: &str,
) -> Result<CheckInOutcome, AppError> {
    let unknown = || AppError::Invalid(FieldErrors::single("code", Reason::UnknownCheckInCode));
    let row = by_code(db, event_id, code).await?.ok_or_else(unknown)?;
    check_in(db, org_id, row.id).await
}
