//! What a phone does with its prepared door, with or without a network: the decisions are
//! plain functions of the pack and the actions waiting, so the browser glue
//! (`door::browser`) only stores, uploads and listens.
//!
//! A walk-in added offline has no code yet: it is held under `~<action id>` until its
//! upload's answer brings the guest the server made.

use chrono::{DateTime, Utc};

use super::{DoorAction, DoorActionKind, DoorAnswer, DoorChange, DoorGuest, DoorOutcome, DoorPack};
use crate::domain::RegistrationStatus;

/// The code a walk-in waiting for its upload is held under.
pub fn pending_code(action_id: &str) -> String {
    format!("~{action_id}")
}

/// Whether a guest of the list is a walk-in waiting for its upload.
pub fn is_pending(guest: &DoorGuest) -> bool {
    guest.0.starts_with('~')
}

/// A typed or scanned code as codes are stored.
pub fn normalize(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// What a check-in on this phone came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HereCheck {
    /// Checked in now (and queued for the server).
    CheckedIn { name: String },
    /// This phone (or another, heard) had them checked in at that time.
    Already { name: String, at: i64 },
    /// Waitlisted or cancelled: not checked in.
    NotConfirmed { name: String },
    /// Not in this phone's list (registered after it was prepared?): queued, the server
    /// decides.
    NotInList,
}

/// Checks in the guest with `code` on this phone's list at `now`. Queue the action unless
/// the answer is `Already` or `NotConfirmed`.
pub fn check_in_here(pack: &mut DoorPack, code: &str, now: DateTime<Utc>) -> HereCheck {
    let code = normalize(code);
    let Some(guest) = pack.guests.iter_mut().find(|g| g.0 == code) else {
        return HereCheck::NotInList;
    };
    let name = guest.1.clone();
    if let Some(at) = guest.4 {
        return HereCheck::Already { name, at };
    }
    if guest.3 != RegistrationStatus::Confirmed {
        return HereCheck::NotConfirmed { name };
    }
    guest.4 = Some(now.timestamp());
    HereCheck::CheckedIn { name }
}

/// Seats left by this phone's count.
pub fn seats_left(pack: &DoorPack) -> i64 {
    i64::from(pack.capacity) - counts(pack).0
}

/// Confirmed, waitlisted and checked-in guests by this phone's list.
pub fn counts(pack: &DoorPack) -> (i64, i64, i64) {
    let mut counts = (0, 0, 0);
    for guest in &pack.guests {
        match guest.3 {
            RegistrationStatus::Confirmed => counts.0 += 1,
            RegistrationStatus::Waitlisted => counts.1 += 1,
            RegistrationStatus::Cancelled => {}
        }
        if guest.4.is_some() {
            counts.2 += 1;
        }
    }
    counts
}

/// Adds a walk-in to this phone's list: seated and checked in when a seat is left here,
/// else waitlisted (the server decides again when the action is uploaded).
pub fn walk_in_here(pack: &mut DoorPack, action: &DoorAction) -> RegistrationStatus {
    let DoorActionKind::WalkIn { form } = &action.kind else {
        return RegistrationStatus::Cancelled;
    };
    let status = if seats_left(pack) > 0 { RegistrationStatus::Confirmed } else { RegistrationStatus::Waitlisted };
    let at = (status == RegistrationStatus::Confirmed).then(|| action.at.timestamp());
    pack.guests.push(DoorGuest(
        pending_code(&action.id),
        form.name.trim().to_string(),
        form.company.trim().to_string(),
        status,
        at,
    ));
    status
}

/// Puts `guest` into the list, as the server has them (replacing the pending walk-in of
/// `action_id`, if any).
fn upsert(pack: &mut DoorPack, guest: &DoorGuest, action_id: Option<&str>) {
    if let Some(id) = action_id {
        let pending = pending_code(id);
        pack.guests.retain(|g| g.0 != pending);
    }
    match pack.guests.iter_mut().find(|g| g.0 == guest.0) {
        Some(held) => *held = guest.clone(),
        None => pack.guests.push(guest.clone()),
    }
    pack.guests.retain(|g| g.3 != RegistrationStatus::Cancelled);
}

/// Brings the list in line with the server's answer to `action`.
pub fn apply_answer(pack: &mut DoorPack, action: &DoorAction, answer: &DoorAnswer) {
    let walk_in = matches!(action.kind, DoorActionKind::WalkIn { .. }).then_some(action.id.as_str());
    match &answer.outcome {
        DoorOutcome::CheckedIn { guest, .. }
        | DoorOutcome::Waitlisted { guest, .. }
        | DoorOutcome::NotConfirmed { guest } => {
            upsert(pack, guest, walk_in);
        }
        DoorOutcome::Refused { .. } => {
            if let Some(id) = walk_in {
                let pending = pending_code(id);
                pack.guests.retain(|g| g.0 != pending);
            }
        }
        DoorOutcome::UnknownCode { .. } | DoorOutcome::LeadSaved { .. } | DoorOutcome::Busy => {}
    }
}

/// Takes a change another phone made (heard live). `false` when the phone missed a change
/// before it (the versions skip one): download the door again.
pub fn apply_change(pack: &mut DoorPack, change: &DoorChange) -> bool {
    if change.event_id != pack.event_id {
        return true;
    }
    upsert(pack, &change.guest, None);
    let in_step = change.version <= pack.version + 1;
    pack.version = pack.version.max(change.version);
    pack.confirmed = change.confirmed;
    pack.waitlisted = change.waitlisted;
    in_step
}

/// A freshly downloaded pack with what this phone did and has not uploaded yet laid over
/// it, so the list shows it still.
pub fn overlay(pack: &mut DoorPack, waiting: &[DoorAction]) {
    for action in waiting {
        match &action.kind {
            DoorActionKind::CheckIn { code } => {
                if let Some(guest) = pack.guests.iter_mut().find(|g| g.0 == normalize(code))
                    && guest.3 == RegistrationStatus::Confirmed
                    && guest.4.is_none()
                {
                    guest.4 = Some(action.at.timestamp());
                }
            }
            DoorActionKind::WalkIn { .. } => {
                walk_in_here(pack, action);
            }
            DoorActionKind::Lead { .. } => {}
        }
    }
}

/// Guests whose name, company or code holds `query` (any case), at most `limit`.
pub fn search<'a>(pack: &'a DoorPack, query: &str, limit: usize) -> Vec<&'a DoorGuest> {
    let query = query.trim().to_lowercase();
    pack.guests
        .iter()
        .filter(|g| {
            query.is_empty()
                || g.1.to_lowercase().contains(&query)
                || g.2.to_lowercase().contains(&query)
                || g.0.to_lowercase().contains(&query)
        })
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registrations::RegistrationForm;

    fn guest(code: &str, name: &str, status: RegistrationStatus, at: Option<i64>) -> DoorGuest {
        DoorGuest(code.into(), name.into(), "Acme".into(), status, at)
    }

    fn pack() -> DoorPack {
        DoorPack {
            event_id: 7,
            title_zh: String::new(),
            title_en: String::new(),
            time_zone: "Europe/Berlin".into(),
            capacity: 3,
            confirmed: 2,
            waitlisted: 1,
            version: 10,
            prepared_at: Utc::now(),
            keep_until: Utc::now(),
            questions: vec![],
            guests: vec![
                guest("RS-A", "Ana", RegistrationStatus::Confirmed, None),
                guest("RS-B", "Ben", RegistrationStatus::Confirmed, Some(100)),
                guest("RS-C", "Cai", RegistrationStatus::Waitlisted, None),
            ],
        }
    }

    fn walk_in(id: &str, name: &str) -> DoorAction {
        let form = RegistrationForm { name: name.into(), company: "Walk Co".into(), ..Default::default() };
        DoorAction { id: id.into(), at: Utc::now(), kind: DoorActionKind::WalkIn { form } }
    }

    #[test]
    fn a_check_in_here_is_once_and_for_confirmed_guests() {
        let mut pack = pack();
        let now = Utc::now();
        assert_eq!(check_in_here(&mut pack, " rs-a ", now), HereCheck::CheckedIn { name: "Ana".into() });
        assert_eq!(
            check_in_here(&mut pack, "RS-A", now),
            HereCheck::Already { name: "Ana".into(), at: now.timestamp() }
        );
        assert_eq!(check_in_here(&mut pack, "RS-B", now), HereCheck::Already { name: "Ben".into(), at: 100 });
        assert_eq!(check_in_here(&mut pack, "RS-C", now), HereCheck::NotConfirmed { name: "Cai".into() });
        assert_eq!(check_in_here(&mut pack, "RS-NEW", now), HereCheck::NotInList);
        assert_eq!(counts(&pack), (2, 1, 2));
    }

    #[test]
    fn walk_ins_take_the_seats_left_here_then_wait_for_their_answer() {
        let mut pack = pack();
        let first = walk_in("w-0000001", "Walker");
        assert_eq!(walk_in_here(&mut pack, &first), RegistrationStatus::Confirmed);
        let second = walk_in("w-0000002", "Late");
        assert_eq!(walk_in_here(&mut pack, &second), RegistrationStatus::Waitlisted, "the last seat went");
        assert!(is_pending(&pack.guests[3]));
        // The server gave the first walk-in's seat to another phone's: waitlisted after all.
        let theirs = guest("RS-W1", "Walker", RegistrationStatus::Waitlisted, None);
        let answer = DoorAnswer {
            id: first.id.clone(),
            outcome: DoorOutcome::Waitlisted { guest: theirs.clone(), position: 1 },
            repeated: false,
        };
        apply_answer(&mut pack, &first, &answer);
        assert!(!pack.guests.iter().any(|g| g.0 == "~w-0000001"));
        assert!(pack.guests.contains(&theirs));
        // A refused walk-in leaves the list.
        let refused = DoorAnswer {
            id: second.id.clone(),
            outcome: DoorOutcome::Refused { errors: Default::default() },
            repeated: false,
        };
        apply_answer(&mut pack, &second, &refused);
        assert!(!pack.guests.iter().any(is_pending));
    }

    #[test]
    fn changes_heard_live_are_taken_and_a_missed_one_asks_for_a_download() {
        let mut pack = pack();
        let change = |version, guest: DoorGuest| DoorChange {
            event_id: 7,
            version,
            guest,
            confirmed: 2,
            waitlisted: 1,
            checked_in: 2,
        };
        assert!(apply_change(&mut pack, &change(11, guest("RS-A", "Ana", RegistrationStatus::Confirmed, Some(200)))));
        assert_eq!(pack.guests[0].4, Some(200));
        assert!(
            !apply_change(&mut pack, &change(13, guest("RS-N", "New", RegistrationStatus::Confirmed, Some(300)))),
            "12 was missed"
        );
        assert_eq!(pack.version, 13);
        assert!(pack.guests.iter().any(|g| g.0 == "RS-N"));
        // A cancelled guest leaves the list.
        assert!(apply_change(&mut pack, &change(14, guest("RS-C", "Cai", RegistrationStatus::Cancelled, None))));
        assert!(!pack.guests.iter().any(|g| g.0 == "RS-C"));
    }

    #[test]
    fn what_waits_for_upload_is_laid_over_a_new_download() {
        let mut fresh = pack();
        let at = Utc::now();
        let waiting = vec![
            DoorAction { id: "c-0000001".into(), at, kind: DoorActionKind::CheckIn { code: "rs-a".into() } },
            walk_in("w-0000001", "Walker"),
        ];
        overlay(&mut fresh, &waiting);
        assert_eq!(fresh.guests[0].4, Some(at.timestamp()));
        assert_eq!(fresh.guests.last().map(|g| g.0.as_str()), Some("~w-0000001"));
        assert_eq!(search(&fresh, "walk", 10).len(), 1);
        assert_eq!(search(&fresh, "ACME", 2).len(), 2);
    }
}
