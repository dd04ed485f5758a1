//! Registering: a guest on the event page or through an invitation, or a walk-in at the
//! door. The seat is decided and written through the write queue (see `Writes`).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, Set, TryIntoModel};

use crate::domain::ConsentSource;
use crate::entities::registration;
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::{EventStatus, Visibility, ssr::registration_open};
use crate::mail::compose::MailKind;
use crate::mail::ssr::{EventMailer, MailSettings};
use crate::registrations::{CONSENT_VERSION, RegistrationOutcome, RegistrationStatus, ValidRegistration};
use crate::state::AppState;
use crate::write_queue::{WriteJob, WriteQueue};

use super::batch::NewGuest;
use super::{answers_json, closed, new_check_in_code, new_nonce, set_details, waitlist_position};

/// Where a registration comes from, which decides the rules it meets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Channel {
    /// A guest on the public event page: published public events, inside the window.
    EventPage,
    /// A guest following their personal invitation link: also invite-only events, for
    /// the invited address only.
    Invitation { token: String },
    /// An organizer registering a walk-in at the door: their own published event, any
    /// time, into a free seat. Typed in online, a walk-in is never waitlisted (the
    /// organizer is told the event is full); taken offline and uploaded later
    /// (`or_waitlist`), one who no longer fits (another phone took the last seat) joins
    /// the waitlist.
    Door { organization_id: i32, or_waitlist: bool },
}

impl Channel {
    fn source(&self) -> ConsentSource {
        match self {
            Channel::EventPage => ConsentSource::EventPage,
            Channel::Invitation { .. } => ConsentSource::Invitation,
            Channel::Door { .. } => ConsentSource::WalkIn,
        }
    }
}

/// Registers `guest` for the event at `slug`, or updates their registration.
pub async fn register(
    state: &AppState,
    slug: &str,
    guest: ValidRegistration,
    channel: Channel,
) -> Result<RegistrationOutcome, AppError> {
    // What does not need the write lock is read before taking it (kept for a moment: a
    // busy stop's registrations read it once): the write below holds the event (and on
    // SQLite the whole database), so it stays short.
    let known = crate::events::cache::of(state)?.registration_target(&state.db, &state.mail, slug).await?;
    let at_the_door = matches!(channel, Channel::Door { .. });
    let answers = crate::domain::questions::parse_answers(&known.questions, &guest.answers, !at_the_door)
        .map_err(AppError::Invalid)?;
    let organizer = known.organizer.clone();
    let write = Registering {
        event_id: known.event.id,
        organization_id: known.event.organization_id,
        slug: slug.to_string(),
        guest,
        answers,
        channel,
        mail: state.mail.clone(),
        organizer,
        now: Utc::now(),
    };
    let (saved, updated) = state.part::<Writes>()?.run(write).await?;
    let status = saved.status;
    // Only a first registration shows the private link at once; registering again with
    // someone's address must not hand their link to whoever typed it: it goes by email.
    let manage_token = (!updated).then(|| state.mail.manage_token(&saved));
    Ok(RegistrationOutcome { id: saved.id, status, updated, manage_token })
}

/// The queue registrations are written through (a part of `AppState`), started by the
/// server with `Writes::start`.
pub type Writes = WriteQueue<RegistrationRows>;

pub use super::batch::RegistrationRows;

/// The locked part of registering: decide the seat, write the registration and its
/// email. Run by the write queue (see `write_queue`), so it acts on nothing but the
/// transaction it is given.
struct Registering {
    event_id: i32,
    /// The event's organization as it was read before the lock (its webhooks are read
    /// ahead; the write itself goes by the locked row).
    organization_id: i32,
    slug: String,
    guest: ValidRegistration,
    answers: std::collections::BTreeMap<i32, String>,
    channel: Channel,
    mail: std::sync::Arc<MailSettings>,
    organizer: String,
    now: chrono::DateTime<Utc>,
}

impl WriteJob<RegistrationRows> for Registering {
    /// The registration as saved, and whether it existed before.
    type Output = (registration::Model, bool);

    fn announce(&self, rows: &mut RegistrationRows) {
        rows.wants(self.event_id, self.organization_id, self.guest.email.as_str());
    }

    async fn run(&self, txn: &DatabaseTransaction, rows: &mut RegistrationRows) -> Result<Self::Output, AppError> {
        let now = self.now;
        let event = rows.event(txn, self.event_id).await?.ok_or(AppError::NotFound)?;
        let status = event.status;
        let mut guest = self.guest.clone();
        let mut invited = None;
        match &self.channel {
            Channel::EventPage => {
                if status == EventStatus::Draft {
                    return Err(AppError::NotFound);
                }
                if event.visibility == Visibility::InviteOnly {
                    return Err(closed(Reason::InvitationRequired));
                }
                if !registration_open(&event, now) {
                    return Err(closed(Reason::RegistrationClosed));
                }
            }
            Channel::Invitation { token } => {
                if status == EventStatus::Draft {
                    return Err(AppError::NotFound);
                }
                let invitation = crate::invitations::ssr::by_token(txn, &self.mail, &self.slug, token).await?;
                if !registration_open(&event, now) {
                    return Err(closed(Reason::RegistrationClosed));
                }
                // The invitation is for one address: whatever was typed, register that one.
                guest.email = crate::domain::Email::parse(&invitation.email)
                    .map_err(|r| AppError::Invalid(FieldErrors::single("email", r)))?;
                invited = Some(invitation);
            }
            Channel::Door { organization_id, .. } => {
                if event.organization_id != *organization_id {
                    return Err(AppError::NotFound);
                }
                if status != EventStatus::Published {
                    return Err(closed(Reason::RegistrationClosed));
                }
            }
        }

        let at_the_door = matches!(self.channel, Channel::Door { .. });
        let existing = rows.registration(txn, event.id, guest.email.as_str()).await?;
        let before = existing.as_ref().map(|r| r.status);
        let keeps_status = existing.as_ref().map(|r| r.status).filter(|s| *s != RegistrationStatus::Cancelled);
        // The event's counts are kept by triggers and were read under the lock above.
        let status = match keeps_status {
            Some(status) => status,
            None if event.confirmed_count < event.capacity => RegistrationStatus::Confirmed,
            None if matches!(self.channel, Channel::Door { or_waitlist: false, .. }) => {
                return Err(closed(Reason::EventFull));
            }
            None => RegistrationStatus::Waitlisted,
        };
        let updated = existing.is_some();
        let was_confirmed = existing.as_ref().is_some_and(|r| r.status == RegistrationStatus::Confirmed);
        let invitations_sent = existing.as_ref().map_or(0, |r| r.calendar_sequence);
        let kind = match status {
            RegistrationStatus::Confirmed if was_confirmed => MailKind::Updated,
            RegistrationStatus::Confirmed => MailKind::Confirmation,
            _ => MailKind::Waitlisted,
        };
        let mut model: registration::ActiveModel = match existing {
            Some(row) => row.into(),
            None => registration::ActiveModel {
                event_id: Set(event.id),
                email: Set(guest.email.as_str().to_string()),
                created_at: Set(now),
                manage_nonce: Set(new_nonce()),
                check_in_code: Set(new_check_in_code()),
                calendar_sequence: Set(0),
                time_zone: Set(String::new()),
                checked_in_at: Set(None),
                ..Default::default()
            },
        };
        // A walk-in answers no questions: what a guest answered online stays.
        if !(at_the_door && self.answers.is_empty() && updated) {
            model.answers = Set(answers_json(&self.answers));
        }
        let consent_marketing = guest.consent_marketing;
        set_details(&mut model, guest);
        model.status = Set(status);
        model.consent_data_at = Set(now);
        model.consent_data_version = Set(CONSENT_VERSION.to_string());
        model.consent_marketing_at = Set(consent_marketing.then_some(now));
        model.consent_source = Set(self.channel.source());
        model.updated_at = Set(now);
        // Raised in the same write as the registration when its email carries an invitation.
        if crate::mail::compose::carries_calendar(kind, status, invitations_sent) {
            model.calendar_sequence = Set(invitations_sent + 1);
        }
        rows.counted(event.id, before, status);
        let position = match status {
            // A new guest joins the end of the waitlist.
            RegistrationStatus::Waitlisted if !updated => Some(event.waitlisted_count.max(0) as u64 + 1),
            _ => None,
        };
        if !updated && invited.is_none() {
            // The common case, a new guest: inserted with the batch's other new guests.
            model.id = Set(0);
            let row = model.try_into_model()?;
            let mail = self.mail.clone();
            let organizer = self.organizer.clone();
            rows.add_new(NewGuest { row: row.clone(), mail, organizer, kind, waitlist_position: position });
            return Ok((row, false));
        }
        let saved = if updated { model.update(txn).await? } else { model.insert(txn).await? };
        let position = match position {
            None if status == RegistrationStatus::Waitlisted => Some(waitlist_position(txn, &saved).await?),
            position => position,
        };
        let mailer = EventMailer::with_organizer(&self.mail, self.organizer.clone());
        let email = mailer.row(kind, &event, &saved, invitations_sent, position);
        rows.saved(event.organization_id, saved.clone(), !updated, email);
        if let Some(invitation) = invited {
            let mut invitation: crate::entities::invitation::ActiveModel = invitation.into();
            invitation.registration_id = Set(Some(saved.id));
            invitation.update(txn).await?;
        }
        Ok((saved, updated))
    }

    fn finish(&self, (saved, updated): Self::Output, rows: &RegistrationRows) -> Self::Output {
        match rows.inserted(saved.event_id, &saved.email) {
            Some(inserted) if saved.id == 0 => (inserted.clone(), updated),
            _ => (saved, updated),
        }
    }
}
