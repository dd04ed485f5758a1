//! What every phone at an event's door hears as it happens (see `ssr::live`): each guest
//! as the door knows them, each change with the event's counts after it.

use serde::{Deserialize, Serialize};

use crate::domain::RegistrationStatus;

/// One guest as the door knows them, and nothing more: check-in code, name, company,
/// status, and when they were checked in (Unix seconds). Sent as a JSON array: a door of
/// 5,000 guests is one download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorGuest(pub String, pub String, pub String, pub RegistrationStatus, pub Option<i64>);

impl DoorGuest {
    pub fn code(&self) -> &str {
        &self.0
    }

    pub fn name(&self) -> &str {
        &self.1
    }

    pub fn company(&self) -> &str {
        &self.2
    }

    pub fn status(&self) -> RegistrationStatus {
        self.3
    }

    pub fn checked_in_at(&self) -> Option<i64> {
        self.4
    }
}

/// A change at the door, told to every phone watching the event: the guest as they are
/// now and the event's counts after the change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoorChange {
    pub event_id: i32,
    /// The event's registrations version after the change: a phone that missed a version
    /// downloads the door again.
    pub version: i64,
    pub guest: DoorGuest,
    pub confirmed: i32,
    pub waitlisted: i32,
    pub checked_in: i64,
}

/// An event's counts at the door, as a phone hears them when it starts watching.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoorCounts {
    pub version: i64,
    pub capacity: i32,
    pub confirmed: i32,
    pub waitlisted: i32,
    pub checked_in: i64,
}
