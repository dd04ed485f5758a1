//! Server side of the door: the pack a phone prepares, the upload of what it did offline
//! (each action once, by the id the phone gave it), and the changes every phone at the
//! door hears.
//!
//! Each uploaded action first claims its (event, id) row in `door_action` (a row of its
//! own, committed before the action is taken, so two uploads of one action at once take it
//! once: the second is told `Busy` and sends it again); the action's outcome is kept in the
//! row, and every later upload of it is given that outcome and changes nothing. A claim
//! left without an outcome (the process stopped while taking it) may be taken again after
//! `STALE_CLAIM`: checking in and registering a walk-in by email change nothing the second
//! time.
//!
//! Each check-in is heard by every phone at the door (`registrations::ssr::live`).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::OnConflict,
};

use super::{DoorAction, DoorActionKind, DoorAnswer, DoorGuest, DoorOutcome, DoorPack, KEEP_DAYS_AFTER_EVENT};
use crate::auth::Member;
use crate::domain::RegistrationStatus;
use crate::entities::{door_action, event, registration};
use crate::error::AppError;
use crate::registrations::ssr::{Channel, DoorHub, by_code, check_in_at, guest_of, register, waitlist_position};
use crate::state::AppState;

/// How long a claim without an outcome holds before another upload may take the action.
const STALE_CLAIM: Duration = Duration::minutes(2);

/// Everything the door needs for `event_id` of the member's organization, and nothing
/// more (no email, phone or answers): another organization's event is `NotFound`.
pub async fn pack(db: &DatabaseConnection, org_id: i32, event_id: i32) -> Result<DoorPack, AppError> {
    let event = crate::events::ssr::find_owned(db, org_id, event_id).await?;
    type Row = (String, String, String, RegistrationStatus, Option<DateTime<Utc>>);
    let rows: Vec<Row> = registration::Entity::find()
        .select_only()
        .columns([
            registration::Column::CheckInCode,
            registration::Column::Name,
            registration::Column::Company,
            registration::Column::Status,
            registration::Column::CheckedInAt,
        ])
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled.as_str()))
        .order_by_asc(registration::Column::CreatedAt)
        .order_by_asc(registration::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let guests = rows
        .into_iter()
        .map(|(code, name, company, status, at)| DoorGuest(code, name, company, status, at.map(|at| at.timestamp())))
        .collect();
    Ok(DoorPack {
        event_id: event.id,
        title_zh: event.title_zh.clone(),
        title_en: event.title_en.clone(),
        time_zone: event.time_zone.clone(),
        capacity: event.capacity,
        confirmed: event.confirmed_count,
        waitlisted: event.waitlisted_count,
        version: event.registrations_version,
        prepared_at: Utc::now(),
        keep_until: event.ends_at + Duration::days(KEEP_DAYS_AFTER_EVENT),
        questions: crate::events::ssr::questions_of(db, event.id).await?,
        guests,
    })
}

enum Claim {
    Mine,
    Done(DoorOutcome),
    Busy,
}

/// Takes a phone's uploaded actions for `event_id`, in order, each once.
pub async fn sync(
    state: &AppState,
    member: &Member,
    event_id: i32,
    actions: Vec<DoorAction>,
) -> Result<Vec<DoorAnswer>, AppError> {
    let event = crate::events::ssr::find_owned(&state.db, member.organization_id, event_id).await?;
    let mut answers = Vec::with_capacity(actions.len());
    for action in actions {
        let answer = match claim(&state.db, event.id, member.user_id, &action).await? {
            Claim::Done(outcome) => DoorAnswer { id: action.id, outcome, repeated: true },
            Claim::Busy => DoorAnswer { id: action.id, outcome: DoorOutcome::Busy, repeated: false },
            Claim::Mine => match take(state, member, &event, &action).await {
                Ok(outcome) => {
                    record(&state.db, event.id, &action.id, &outcome).await?;
                    DoorAnswer { id: action.id, outcome, repeated: false }
                }
                Err(e) => {
                    release(&state.db, event.id, &action.id).await?;
                    return Err(e);
                }
            },
        };
        answers.push(answer);
    }
    Ok(answers)
}

async fn claim(db: &DatabaseConnection, event_id: i32, user_id: i32, action: &DoorAction) -> Result<Claim, AppError> {
    let now = Utc::now();
    let row = door_action::ActiveModel {
        event_id: Set(event_id),
        action_id: Set(action.id.clone()),
        kind: Set(action.kind.name().to_string()),
        user_id: Set(user_id),
        outcome: Set(None),
        claimed_at: Set(now),
        done_at: Set(None),
    };
    let key = [door_action::Column::EventId, door_action::Column::ActionId];
    let inserted = door_action::Entity::insert(row)
        .on_conflict(OnConflict::columns(key).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        return Ok(Claim::Mine);
    }
    let found =
        door_action::Entity::find_by_id((event_id, action.id.clone())).one(db).await?.ok_or(AppError::NotFound)?;
    if found.kind != action.kind.name() {
        // The id of another kind of action: not a repeat of it, and not taken.
        let errors = crate::error::FieldErrors::single("id", crate::error::Reason::ActionIdTaken);
        return Ok(Claim::Done(DoorOutcome::Refused { errors }));
    }
    if let Some(outcome) = found.outcome {
        let outcome = serde_json::from_str(&outcome).map_err(|e| AppError::internal(e.into()))?;
        return Ok(Claim::Done(outcome));
    }
    if now - found.claimed_at < STALE_CLAIM {
        return Ok(Claim::Busy);
    }
    // Taken again only by the upload that moves the stale claim's time.
    let retaken = door_action::Entity::update_many()
        .col_expr(door_action::Column::ClaimedAt, sea_orm::sea_query::Expr::value(now))
        .col_expr(door_action::Column::UserId, sea_orm::sea_query::Expr::value(user_id))
        .filter(door_action::Column::EventId.eq(event_id))
        .filter(door_action::Column::ActionId.eq(action.id.as_str()))
        .filter(door_action::Column::ClaimedAt.eq(found.claimed_at))
        .filter(door_action::Column::Outcome.is_null())
        .exec(db)
        .await?;
    Ok(if retaken.rows_affected == 1 { Claim::Mine } else { Claim::Busy })
}

async fn record(
    db: &DatabaseConnection,
    event_id: i32,
    action_id: &str,
    outcome: &DoorOutcome,
) -> Result<(), AppError> {
    let json = serde_json::to_string(outcome).map_err(|e| AppError::internal(e.into()))?;
    door_action::Entity::update_many()
        .col_expr(door_action::Column::Outcome, sea_orm::sea_query::Expr::value(json))
        .col_expr(door_action::Column::DoneAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(door_action::Column::EventId.eq(event_id))
        .filter(door_action::Column::ActionId.eq(action_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives back the claim of an action that failed (the database was unreachable): the
/// phone keeps it and sends it again.
async fn release(db: &DatabaseConnection, event_id: i32, action_id: &str) -> Result<(), AppError> {
    door_action::Entity::delete_many()
        .filter(door_action::Column::EventId.eq(event_id))
        .filter(door_action::Column::ActionId.eq(action_id))
        .filter(door_action::Column::Outcome.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A refusal for the phone to show, or an error that fails the upload.
fn refused(error: AppError) -> Result<DoorOutcome, AppError> {
    match error {
        AppError::Invalid(errors) | AppError::Conflict(errors) => {
            Ok(DoorOutcome::Refused { errors: crate::error::FieldErrors { values: None, ..errors } })
        }
        other => Err(other),
    }
}

/// Takes one claimed action.
async fn take(
    state: &AppState,
    member: &Member,
    event: &event::Model,
    action: &DoorAction,
) -> Result<DoorOutcome, AppError> {
    let db = &state.db;
    match &action.kind {
        DoorActionKind::CheckIn { code } => {
            let Some(reg) = by_code(db, event.id, code).await? else {
                return Ok(DoorOutcome::UnknownCode { code: code.trim().to_ascii_uppercase() });
            };
            check_in_guest(state, member, reg, action.at).await
        }
        DoorActionKind::WalkIn { form } => {
            let valid = match form.parse() {
                Ok(valid) => valid,
                Err(errors) => return Ok(DoorOutcome::Refused { errors }),
            };
            let channel = Channel::Door { organization_id: member.organization_id, or_waitlist: true };
            let outcome = match register(state, &event.slug, valid, channel).await {
                Ok(outcome) => outcome,
                Err(e) => return refused(e),
            };
            crate::events::cache::of(state)?.invalidate(&event.slug);
            state.mail_wakeup.notify_one();
            let reg = registration::Entity::find_by_id(outcome.id).one(db).await?.ok_or(AppError::NotFound)?;
            if reg.status == RegistrationStatus::Waitlisted {
                let position = waitlist_position(db, &reg).await?;
                return Ok(DoorOutcome::Waitlisted { guest: guest_of(&reg), position });
            }
            check_in_guest(state, member, reg, action.at).await
        }
        DoorActionKind::Lead { form } => {
            let valid = match form.parse() {
                Ok(valid) => valid,
                Err(errors) => return Ok(DoorOutcome::Refused { errors }),
            };
            match crate::leads::ssr::capture(db, member, Some(event.id), valid).await {
                Ok(lead_id) => Ok(DoorOutcome::LeadSaved { lead_id }),
                Err(e) => refused(e),
            }
        }
    }
}

async fn check_in_guest(
    state: &AppState,
    member: &Member,
    reg: registration::Model,
    at: DateTime<Utc>,
) -> Result<DoorOutcome, AppError> {
    match check_in_at(&state.db, member.organization_id, reg.id, Some(at)).await {
        Ok(checked) => {
            let mut guest = guest_of(&reg);
            guest.4 = Some(checked.outcome.checked_in_at.timestamp());
            // Told from the state, not the request's context: an upload runs on its own task.
            if let (Ok(hub), Some(change)) = (state.part::<DoorHub>(), checked.change) {
                hub.committed(change);
            }
            Ok(DoorOutcome::CheckedIn { guest, already: checked.outcome.already })
        }
        Err(AppError::Conflict(_)) => Ok(DoorOutcome::NotConfirmed { guest: guest_of(&reg) }),
        Err(e) => Err(e),
    }
}
