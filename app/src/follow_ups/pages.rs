//! Organizer pages of follow-ups.
