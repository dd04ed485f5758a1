//! The states a stored row moves through, shared by the browser and the server.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Waitlisted => "waitlisted",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub const ALL: [Self; 3] = [Self::Confirmed, Self::Waitlisted, Self::Cancelled];

    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            Self::Confirmed => t.reg_confirmed,
            Self::Waitlisted => t.reg_waitlisted,
            Self::Cancelled => t.reg_cancelled,
        }
    }
}
