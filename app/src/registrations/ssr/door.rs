//! Checking guests in at the door: from the list, or by the code of their QR.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::db::begin_write;
use crate::entities::registration;
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::ssr::{find_owned, tz_of, utc_to_local};
use crate::registrations::{CheckInOutcome, RegistrationStatus};

/// Checks a confirmed guest in, once; the registration must belong to an event of the
/// member's organization (else `NotFound`).
pub async fn check_in(db: &DatabaseConnection, org_id: i32, registration_id: i32) -> Result<CheckInOutcome, AppError> {
    let txn = begin_write(db).await?;
    let found = registration::Entity::find_by_id(registration_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let event = find_owned(&txn, org_id, found.event_id).await?;
    crate::events::ssr::lock_event(&txn, event.id).await?;
    // Read again under the lock: the guest may have been checked in or cancelled meanwhile.
    let row = registration::Entity::find_by_id(registration_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let tz = tz_of(&event.time_zone)?;
    if let Some(at) = row.checked_in_at {
        return Ok(CheckInOutcome {
            name: row.name,
            already: true,
            checked_in_at: at,
            checked_in_local: utc_to_local(tz, at),
        });
    }
    if row.status != RegistrationStatus::Confirmed {
        return Err(AppError::Conflict(FieldErrors::single("registration", Reason::NotConfirmed)));
    }
    // Stored at the precision both databases keep, so the answer equals what is stored.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
    let name = row.name.clone();
    let mut model: registration::ActiveModel = row.into();
    model.checked_in_at = Set(Some(now));
    model.updated_at = Set(now);
    let saved = model.update(&txn).await?;
    let data = crate::webhooks::ssr::registration_data(&saved, &event);
    let checked_in = crate::domain::WebhookEvent::RegistrationCheckedIn;
    crate::webhooks::ssr::emit(&txn, vec![(event.organization_id, checked_in, data)]).await?;
    txn.commit().await?;
    Ok(CheckInOutcome { name, already: false, checked_in_at: now, checked_in_local: utc_to_local(tz, now) })
}

/// Checks in the guest whose QR code (or code read out at the door) is `code`, for
/// this event of the member's organization.
pub async fn check_in_by_code(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    code: &str,
) -> Result<CheckInOutcome, AppError> {
    let code = code.trim().to_ascii_uppercase();
    let unknown = || AppError::Invalid(FieldErrors::single("code", Reason::UnknownCheckInCode));
    let row = registration::Entity::find()
        .filter(registration::Column::CheckInCode.eq(code))
        .filter(registration::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or_else(unknown)?;
    check_in(db, org_id, row.id).await
}
