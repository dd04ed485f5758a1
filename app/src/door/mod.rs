//! The door without a network: a phone prepares an event's door (its guests' names,
//! companies and check-in codes, the seat counts, the walk-in questions), keeps it in the
//! browser, checks guests in, adds walk-ins and captures leads against it when the venue's
//! network is down, and uploads what it did when it is back. Each action carries an id the
//! phone made, so an upload repeated changes nothing. Online, every phone at the door hears
//! each check-in as it happens (`/admin/events/<id>/door/live`).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors, Reason};
use crate::leads::LeadForm;
use crate::registrations::RegistrationForm;
pub use crate::registrations::live::{DoorChange, DoorCounts, DoorGuest};

pub mod browser;
pub mod local;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// The most actions one upload carries (a phone sends what it holds in such batches).
pub const MAX_ACTIONS: usize = 200;

/// How long after its event a prepared door stays on a phone.
pub const KEEP_DAYS_AFTER_EVENT: i64 = 7;

/// What "prepare for offline" downloads for one event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoorPack {
    pub event_id: i32,
    pub title_zh: String,
    pub title_en: String,
    /// The venue's IANA zone (times at the door are shown in it).
    pub time_zone: String,
    pub capacity: i32,
    pub confirmed: i32,
    pub waitlisted: i32,
    /// The event's registrations version when the pack was read (see `DoorChange`).
    pub version: i64,
    pub prepared_at: DateTime<Utc>,
    /// The phone forgets the pack after this (`KEEP_DAYS_AFTER_EVENT` after the event).
    pub keep_until: DateTime<Utc>,
    /// The event's questions, which a walk-in may answer.
    pub questions: Vec<crate::domain::questions::Question>,
    /// Confirmed and waitlisted guests, in the order they registered.
    pub guests: Vec<DoorGuest>,
}

/// What a phone did at the door, as it uploads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoorAction {
    /// Made by the phone (a random UUID): 8 to 64 letters, digits, `-` and `_`.
    pub id: String,
    /// When the phone did it.
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub kind: DoorActionKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DoorActionKind {
    /// A guest checked in by their code (scanned, typed, or found by name on the phone).
    CheckIn { code: String },
    /// A guest who had not registered, registered and checked in at the door.
    WalkIn { form: RegistrationForm },
    /// A business card typed in at the door.
    Lead { form: LeadForm },
}

impl DoorActionKind {
    pub fn name(&self) -> &'static str {
        match self {
            Self::CheckIn { .. } => "check_in",
            Self::WalkIn { .. } => "walk_in",
            Self::Lead { .. } => "lead",
        }
    }
}

/// What the server made of one action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum DoorOutcome {
    /// Checked in; `already`: the server had them checked in before (the first time kept).
    CheckedIn { guest: DoorGuest, already: bool },
    /// A walk-in who no longer fitted (another phone took the last seat): on the waitlist.
    Waitlisted { guest: DoorGuest, position: u64 },
    /// The guest's registration is waitlisted or cancelled: not checked in.
    NotConfirmed { guest: DoorGuest },
    /// No registration for this event has the code.
    UnknownCode { code: String },
    /// The walk-in or lead was refused (each field with its reason), or the event is closed.
    Refused { errors: FieldErrors },
    /// The lead was captured (or an existing lead with the same email updated).
    LeadSaved { lead_id: i32 },
    /// Another upload of the same action is being taken right now: send it again later.
    Busy,
}

/// The answer for one uploaded action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoorAnswer {
    pub id: String,
    pub outcome: DoorOutcome,
    /// The action had been taken by an earlier upload: this is what it came to then.
    pub repeated: bool,
}

/// Checks an upload's shape: at most `MAX_ACTIONS`, ids of 8 to 64 safe characters, no id
/// twice.
pub fn check_actions(actions: &[DoorAction]) -> Result<(), FieldErrors> {
    if actions.len() > MAX_ACTIONS {
        return Err(FieldErrors::single("actions", Reason::TooManyActions { max: MAX_ACTIONS }));
    }
    let mut seen = std::collections::HashSet::new();
    for action in actions {
        let id = action.id.as_str();
        let safe =
            (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !safe {
            return Err(FieldErrors::single("actions", Reason::MalformedActionId));
        }
        if !seen.insert(id) {
            return Err(FieldErrors::single("actions", Reason::ActionTwice));
        }
    }
    Ok(())
}

/// Downloads what the door needs for one event (members who may check guests in).
#[server(prefix = "/api", endpoint = "door/prepare")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn prepare_door(event_id: i32) -> Result<DoorPack, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::pack(&db, member.organization_id, event_id).await
}

/// Takes the actions a phone did at the door, in order, each once; answers each.
#[server(prefix = "/api", endpoint = "door/sync", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sync_door(event_id: i32, actions: Vec<DoorAction>) -> Result<Vec<DoorAnswer>, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    check_actions(&actions).map_err(AppError::Invalid)?;
    // Taken to the end even when the phone's connection drops meanwhile (the venue's
    // network): each action's outcome is kept, and the phone's next upload is given it.
    tokio::spawn(async move { ssr::sync(&state, &member, event_id, actions).await })
        .await
        .map_err(|e| AppError::internal(e.into()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(id: &str) -> DoorAction {
        DoorAction { id: id.into(), at: Utc::now(), kind: DoorActionKind::CheckIn { code: "RS-1".into() } }
    }

    #[test]
    fn an_upload_is_checked_before_anything_is_taken() {
        assert_eq!(check_actions(&[action("0f9c1e2a-77aa-4b1c")]), Ok(()));
        let refused = |actions: &[DoorAction]| check_actions(actions).unwrap_err().errors[0].reason.clone();
        assert_eq!(refused(&[action("short")]), Reason::MalformedActionId);
        assert_eq!(refused(&[action("with space 12345")]), Reason::MalformedActionId);
        assert_eq!(refused(&[action(&"a".repeat(65))]), Reason::MalformedActionId);
        assert_eq!(refused(&[action("same-id-123"), action("same-id-123")]), Reason::ActionTwice);
        let many: Vec<_> = (0..=MAX_ACTIONS).map(|i| action(&format!("action-{i:04}"))).collect();
        assert_eq!(refused(&many), Reason::TooManyActions { max: MAX_ACTIONS });
    }

    use crate::domain::RegistrationStatus;

    #[test]
    fn a_guest_travels_as_an_array_and_an_action_flat() {
        let guest = DoorGuest("RS-ABC".into(), "王芳".into(), "Acme".into(), RegistrationStatus::Confirmed, None);
        assert_eq!(serde_json::to_string(&guest).unwrap(), r#"["RS-ABC","王芳","Acme","confirmed",null]"#);
        let json = serde_json::to_value(action("0f9c1e2a-77aa")).unwrap();
        assert_eq!(json["kind"], "check_in");
        assert_eq!(json["code"], "RS-1");
    }
}
