//! Server side of email: settings, signed private links, writing messages to the
//! outbox inside the caller's transaction (the Outbox page reads them: `outbox`).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};
use secrecy::SecretSlice;

use super::OutboxStatus;
use super::compose::{Composed, MailKind, RegistrationMail, carries_calendar};

use crate::crypto::random_hex;
use crate::domain::MessageKind;
use crate::entities::{app_setting, event, invitation, meeting_host, organization, outbox_message, registration};

/// What every email needs to know about the installation.
pub struct MailSettings {
    /// Base of links in emails, without a trailing slash.
    pub public_url: String,
    pub from_name: String,
    pub from_email: String,
    /// Signs private links (manage-registration tokens).
    pub signing_key: SecretSlice<u8>,
}

impl MailSettings {
    /// The host part of `Message-ID`s and calendar `UID`s.
    pub fn domain(&self) -> &str {
        self.from_email.rsplit_once('@').map(|(_, d)| d).unwrap_or("localhost")
    }

    fn sign(&self, purpose: &str, id: i32, nonce: &str) -> String {
        crate::crypto::sign(&self.signing_key, purpose, id, nonce)
    }

    fn verify(&self, purpose: &str, token: &str, id: i32, nonce: &str) -> bool {
        crate::crypto::verify(&self.signing_key, purpose, token, id, nonce)
    }

    /// The private token of a registration's manage page.
    pub fn manage_token(&self, registration: &registration::Model) -> String {
        self.sign("manage", registration.id, &registration.manage_nonce)
    }

    /// The id a token claims, before its signature is checked.
    pub fn token_id(token: &str) -> Option<i32> {
        token.trim().split_once('-').and_then(|(id, _)| id.parse().ok())
    }

    /// Whether `token` is this registration's.
    pub fn token_matches(&self, token: &str, registration: &registration::Model) -> bool {
        self.verify("manage", token, registration.id, &registration.manage_nonce)
    }

    pub fn invitation_token(&self, invitation: &invitation::Model) -> String {
        self.sign("invite", invitation.id, &invitation.nonce)
    }

    pub fn invitation_matches(&self, token: &str, invitation: &invitation::Model) -> bool {
        self.verify("invite", token, invitation.id, &invitation.nonce)
    }

    /// The private token of a meeting host's own page.
    pub fn host_token(&self, host: &meeting_host::Model) -> String {
        self.sign("host", host.id, &host.link_nonce)
    }

    pub fn host_matches(&self, token: &str, host: &meeting_host::Model) -> bool {
        self.verify("host", token, host.id, &host.link_nonce)
    }

    pub fn host_url(&self, host: &meeting_host::Model) -> String {
        format!("{}/h/{}", self.public_url, self.host_token(host))
    }

    pub fn manage_url(&self, registration: &registration::Model) -> String {
        format!("{}/r/{}", self.public_url, self.manage_token(registration))
    }

    pub fn event_url(&self, slug: &str) -> String {
        format!("{}/e/{slug}", self.public_url)
    }
}

/// The key that signs private links: `ROADSHOW_SECRET_KEY` when set, else one made on
/// first start and kept in the database, so every server process shares it.
pub async fn signing_key(db: &DatabaseConnection, configured: Option<&str>) -> Result<SecretSlice<u8>, sea_orm::DbErr> {
    if let Some(key) = configured {
        return Ok(SecretSlice::from(key.as_bytes().to_vec()));
    }
    const NAME: &str = "signing_key";
    if let Some(row) = app_setting::Entity::find_by_id(NAME).one(db).await? {
        return Ok(SecretSlice::from(hex::decode(row.value).unwrap_or_default()));
    }
    let fresh = random_hex::<32>();
    let inserted = app_setting::ActiveModel { name: Set(NAME.into()), value: Set(fresh) }.insert(db).await;
    // Two processes starting at once: the first insert wins, the other reads it.
    if let Err(e) = inserted
        && !crate::db::is_unique_violation(&e)
    {
        return Err(e);
    }
    let row =
        app_setting::Entity::find_by_id(NAME).one(db).await?.ok_or(sea_orm::DbErr::RecordNotFound(NAME.into()))?;
    Ok(SecretSlice::from(hex::decode(row.value).unwrap_or_default()))
}

/// A message ready to be queued.
pub struct NewMessage {
    pub organization_id: Option<i32>,
    pub registration_id: Option<i32>,
    pub kind: MessageKind,
    pub to_address: String,
    pub to_name: String,
    pub composed: Composed,
}

/// Writes a message to the outbox on `db` — the caller's transaction, so the message
/// exists exactly when the change that causes it does.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    settings: &MailSettings,
    message: NewMessage,
    now: DateTime<Utc>,
) -> Result<outbox_message::Model, sea_orm::DbErr> {
    outbox_row(settings, message, now).insert(db).await
}

/// The outbox row of a message, for `enqueue` or for a batch of writes that inserts its
/// rows together (see `write_queue::Rows`).
pub fn outbox_row(settings: &MailSettings, message: NewMessage, now: DateTime<Utc>) -> outbox_message::ActiveModel {
    let (method, calendar) = match message.composed.calendar {
        Some((method, ics)) => (Some(method.as_str().to_string()), Some(ics)),
        None => (None, None),
    };
    outbox_message::ActiveModel {
        organization_id: Set(message.organization_id),
        registration_id: Set(message.registration_id),
        kind: Set(message.kind),
        to_address: Set(message.to_address),
        to_name: Set(message.to_name),
        subject: Set(message.composed.subject),
        text_body: Set(message.composed.text),
        html_body: Set(message.composed.html),
        calendar: Set(calendar),
        calendar_method: Set(method),
        message_id: Set(format!("<{}@{}>", random_hex::<16>(), settings.domain())),
        status: Set(OutboxStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        // Every column but the id, so the row is whole whatever the database's defaults.
        lease_until: Set(None),
        claim_token: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        marketing: Set(false),
        unsubscribe_token: Set(None),
        ..Default::default()
    }
}

/// Writes one event's emails to its guests: the installation's settings and the
/// organizer's name (which signs them), read once per change however many guests it
/// writes to.
pub struct EventMailer<'a> {
    settings: &'a MailSettings,
    organizer: String,
}

impl<'a> EventMailer<'a> {
    pub async fn new(
        db: &impl ConnectionTrait,
        settings: &'a MailSettings,
        event: &event::Model,
    ) -> Result<EventMailer<'a>, sea_orm::DbErr> {
        let organizer = organization::Entity::find_by_id(event.organization_id).one(db).await?;
        let organizer = organizer.map(|o| o.name).unwrap_or_else(|| settings.from_name.clone());
        Ok(EventMailer { settings, organizer })
    }

    /// A mailer for an organizer already looked up (by `new`, before a queued write).
    pub fn with_organizer(settings: &'a MailSettings, organizer: String) -> EventMailer<'a> {
        EventMailer { settings, organizer }
    }

    pub fn organizer(&self) -> &str {
        &self.organizer
    }

    /// Queues the email `kind` for a registration and, when it carries a calendar
    /// invitation, raises the registration's calendar sequence. Returns the registration
    /// as it now stands.
    pub async fn send(
        &self,
        db: &impl ConnectionTrait,
        kind: MailKind,
        event: &event::Model,
        registration: registration::Model,
        waitlist_position: Option<u64>,
    ) -> Result<registration::Model, sea_orm::DbErr> {
        let sent = registration.calendar_sequence;
        self.queue(db, kind, event, &registration, sent, waitlist_position).await?;
        if !carries_calendar(kind, registration.status, sent) {
            return Ok(registration);
        }
        let mut model: registration::ActiveModel = registration.into();
        model.calendar_sequence = Set(sent + 1);
        model.update(db).await
    }

    /// Queues the email `kind` for a registration already saved with its calendar
    /// sequence raised (when the email carries an invitation: see `carries_calendar`), so
    /// the hot path of registering writes the registration once. `invitations_sent` is the
    /// sequence before it was raised.
    pub async fn queue(
        &self,
        db: &impl ConnectionTrait,
        kind: MailKind,
        event: &event::Model,
        registration: &registration::Model,
        invitations_sent: i32,
        waitlist_position: Option<u64>,
    ) -> Result<(), sea_orm::DbErr> {
        // An erased guest (whose cancellation, say, committed after the erasure) gets nothing.
        if registration.email.ends_with(crate::mail::ERASED_DOMAIN) {
            return Ok(());
        }
        self.row(kind, event, registration, invitations_sent, waitlist_position).insert(db).await?;
        Ok(())
    }

    /// The outbox row `queue` writes, for a caller that inserts it later in the same
    /// transaction (a batch of registrations inserts its emails together).
    pub fn row(
        &self,
        kind: MailKind,
        event: &event::Model,
        registration: &registration::Model,
        invitations_sent: i32,
        waitlist_position: Option<u64>,
    ) -> outbox_message::ActiveModel {
        let now = Utc::now();
        let mut before = registration.clone();
        before.calendar_sequence = invitations_sent;
        let manage_url = self.settings.manage_url(registration);
        let event_url = self.settings.event_url(&event.slug);
        let composed = RegistrationMail {
            kind,
            event,
            registration: &before,
            manage_url: &manage_url,
            event_url: &event_url,
            waitlist_position,
            organizer_name: &self.organizer,
            organizer_email: &self.settings.from_email,
            domain: self.settings.domain(),
            now,
        }
        .compose();
        let message = NewMessage {
            organization_id: Some(event.organization_id),
            registration_id: Some(registration.id),
            kind: kind.into(),
            to_address: registration.email.clone(),
            to_name: registration.name.clone(),
            composed,
        };
        outbox_row(self.settings, message, now)
    }
}
