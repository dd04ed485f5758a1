//! Server side of registrations. Capacity holds under any number of parallel
//! requests: the whole check-and-write runs in one write transaction that is
//! serialized per event — `BEGIN IMMEDIATE` on SQLite, the event row locked with
//! `SELECT … FOR UPDATE` on PostgreSQL — so two guests never take the last seat.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    CONSENT_VERSION, CheckInOutcome, RegistrationFilter, RegistrationForm, RegistrationList, RegistrationOutcome,
    RegistrationRow, RegistrationStatus, RegistrationView, ValidRegistration,
};
use crate::crypto::{random_bytes, random_hex};
use crate::db::{begin_write, is_postgres};
use crate::domain::Country;
use crate::entities::{event, registration};
use crate::entities::{lead_event, outbox_message};
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::seats::promote_waitlist;
use crate::events::{
    EventStatus, IndustryChain, Visibility,
    ssr::{offset_label, registration_open, tz_of, utc_to_local},
};
use crate::mail::compose::MailKind;
use crate::mail::ssr::{EventMailer, MailSettings};
use crate::state::AppState;
use crate::write_queue::{Rows, WriteJob, WriteQueue};

fn closed(reason: Reason) -> AppError {
    AppError::Conflict(FieldErrors::single("event", reason))
}

/// A fresh random nonce for a registration's signed manage link, and a check-in code:
/// `RS-` and 16 characters of Crockford base32 (80 bits), short enough for a small QR
/// code and to read out at the door.
fn new_nonce() -> String {
    random_hex::<32>()
}

pub fn new_check_in_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = random_bytes::<10>();
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(b);
    }
    let code: String = (0..16).rev().map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
    format!("RS-{code}")
}

/// How long after its event a manage link keeps working.
const LINK_DAYS_AFTER_EVENT: i64 = 30;

/// Where a registration comes from, which decides the rules it meets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Channel {
    /// A guest on the public event page: published public events, inside the window.
    EventPage,
    /// A guest following their personal invitation link: also invite-only events, for
    /// the invited address only.
    Invitation { token: String },
    /// An organizer registering a walk-in at the door: their own published event, any
    /// time, but only into a free seat (a walk-in is never waitlisted).
    Door { organization_id: i32 },
}

impl Channel {
    fn source(&self) -> &'static str {
        match self {
            Channel::EventPage => "event-page",
            Channel::Invitation { .. } => "invitation",
            Channel::Door { .. } => "walk-in",
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
    let db = &state.db;
    // What does not need the write lock is read before taking it: the write below holds
    // the event (and on SQLite the whole database), so it stays short.
    let known = event::Entity::find().filter(event::Column::Slug.eq(slug)).one(db).await?.ok_or(AppError::NotFound)?;
    let questions = crate::events::ssr::questions_of(db, known.id).await?;
    let at_the_door = matches!(channel, Channel::Door { .. });
    let answers =
        crate::domain::questions::parse_answers(&questions, &guest.answers, !at_the_door).map_err(AppError::Invalid)?;
    let organizer = EventMailer::new(db, &state.mail, &known).await?.organizer().to_string();
    let write = Registering {
        event_id: known.id,
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

/// What a batch of registrations inserts together before it commits: their emails and the
/// record of meeting each lead at the event.
#[derive(Default)]
pub struct RegistrationRows {
    outbox: Vec<outbox_message::ActiveModel>,
    met_at: Vec<lead_event::ActiveModel>,
}

impl Rows for RegistrationRows {
    async fn flush(self, txn: &DatabaseTransaction) -> Result<(), sea_orm::DbErr> {
        // Kept well under SQLite's limit of bound values per statement.
        for chunk in self.outbox.chunks(256) {
            outbox_message::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
        crate::leads::ssr::save_met_at(txn, self.met_at).await
    }
}

/// The locked part of registering: decide the seat, write the registration and its
/// email. Run by the write queue (see `write_queue`), so it acts on nothing but the
/// transaction it is given.
struct Registering {
    event_id: i32,
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

    async fn run(&self, txn: &DatabaseTransaction, rows: &mut RegistrationRows) -> Result<Self::Output, AppError> {
        let now = self.now;
        let mut query = event::Entity::find_by_id(self.event_id);
        if is_postgres(txn) {
            query = query.lock_exclusive();
        }
        let event = query.one(txn).await?.ok_or(AppError::NotFound)?;
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
            Channel::Door { organization_id } => {
                if event.organization_id != *organization_id {
                    return Err(AppError::NotFound);
                }
                if status != EventStatus::Published {
                    return Err(closed(Reason::RegistrationClosed));
                }
            }
        }

        let at_the_door = matches!(self.channel, Channel::Door { .. });
        let existing = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event.id))
            .filter(registration::Column::Email.eq(guest.email.as_str()))
            .one(txn)
            .await?;
        let keeps_status = existing.as_ref().map(|r| r.status).filter(|s| *s != RegistrationStatus::Cancelled);
        // The event's counts are kept by triggers and were read under the lock above.
        let status = match keeps_status {
            Some(status) => status,
            None if event.confirmed_count < event.capacity => RegistrationStatus::Confirmed,
            None if at_the_door => return Err(closed(Reason::EventFull)),
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
        model.consent_source = Set(self.channel.source().to_string());
        model.updated_at = Set(now);
        // Raised in the same write as the registration when its email carries an invitation.
        if crate::mail::compose::carries_calendar(kind, status, invitations_sent) {
            model.calendar_sequence = Set(invitations_sent + 1);
        }
        let saved = if updated { model.update(txn).await? } else { model.insert(txn).await? };
        let lead_id = crate::leads::ssr::upsert_lead(txn, &event, &saved).await?;
        rows.met_at.push(crate::leads::ssr::met_at_registration(lead_id, &event, &saved));
        let position = match status {
            // A new guest joins the end of the waitlist.
            RegistrationStatus::Waitlisted if !updated => Some(event.waitlisted_count.max(0) as u64 + 1),
            RegistrationStatus::Waitlisted => Some(waitlist_position(txn, &saved).await?),
            _ => None,
        };
        let mailer = EventMailer::with_organizer(&self.mail, self.organizer.clone());
        rows.outbox.push(mailer.row(kind, &event, &saved, invitations_sent, position));
        if let Some(invitation) = invited {
            let mut invitation: crate::entities::invitation::ActiveModel = invitation.into();
            invitation.registration_id = Set(Some(saved.id));
            invitation.update(txn).await?;
        }
        Ok((saved, updated))
    }
}

/// The details a guest types, as both registering and changing store them (the email
/// and consents are each caller's own business).
fn set_details(model: &mut registration::ActiveModel, guest: ValidRegistration) {
    model.name = Set(guest.name);
    model.phone = Set(guest.phone.as_str().to_string());
    model.company = Set(guest.company);
    model.job_title = Set(guest.job_title);
    model.country = Set(Country::stored(&guest.country));
    model.industry_chains = Set(IndustryChain::join(&guest.industry_chains));
    model.language = Set(guest.language.code().to_string());
    if let Some(zone) = &guest.time_zone {
        model.time_zone = Set(zone.as_str().to_string());
    }
}

fn answers_json(answers: &std::collections::BTreeMap<i32, String>) -> String {
    serde_json::to_string(answers).unwrap_or_else(|_| "{}".into())
}

fn stored_answers(json: &str) -> std::collections::BTreeMap<i32, String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// 1 for the next waitlisted guest to get a seat.
async fn waitlist_position(db: &impl ConnectionTrait, row: &registration::Model) -> Result<u64, sea_orm::DbErr> {
    let ahead = registration::Entity::find()
        .filter(registration::Column::EventId.eq(row.event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .filter(
            Condition::any().add(registration::Column::CreatedAt.lt(row.created_at)).add(
                Condition::all()
                    .add(registration::Column::CreatedAt.eq(row.created_at))
                    .add(registration::Column::Id.lt(row.id)),
            ),
        )
        .count(db)
        .await?;
    Ok(ahead + 1)
}

/// The registration behind a signed private link; a forged or altered one is `NotFound`.
async fn by_token(
    db: &impl ConnectionTrait,
    mail: &MailSettings,
    token: &str,
) -> Result<(registration::Model, event::Model), AppError> {
    let id = MailSettings::token_id(token).ok_or(AppError::NotFound)?;
    let row = registration::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if !mail.token_matches(token, &row) {
        return Err(AppError::NotFound);
    }
    let event = event::Entity::find_by_id(row.event_id).one(db).await?.ok_or(AppError::NotFound)?;
    if Utc::now() > event.ends_at + chrono::Duration::days(LINK_DAYS_AFTER_EVENT) {
        return Err(AppError::Conflict(FieldErrors::single("token", Reason::LinkExpired)));
    }
    Ok((row, event))
}

pub async fn view(db: &DatabaseConnection, mail: &MailSettings, token: &str) -> Result<RegistrationView, AppError> {
    let (row, event) = by_token(db, mail, token).await?;
    let status = row.status;
    let waitlist_position = match status {
        RegistrationStatus::Waitlisted => Some(waitlist_position(db, &row).await?),
        _ => None,
    };
    let tz = tz_of(&event.time_zone)?;
    let questions = crate::events::ssr::questions_of(db, event.id).await?;
    let answers = crate::domain::questions::to_posted(&questions, &stored_answers(&row.answers));
    Ok(RegistrationView {
        questions,
        event_slug: event.slug,
        event_title_zh: event.title_zh,
        event_title_en: event.title_en,
        starts_local: utc_to_local(tz, event.starts_at),
        ends_local: utc_to_local(tz, event.ends_at),
        starts_at: event.starts_at,
        utc_offset: offset_label(tz, event.starts_at),
        time_zone: event.time_zone,
        venue_name: event.venue_name,
        city: event.city,
        check_in_qr: (status == RegistrationStatus::Confirmed).then(|| crate::mail::qr::svg(&row.check_in_code)),
        check_in_code: (status == RegistrationStatus::Confirmed).then_some(row.check_in_code),
        details: RegistrationForm {
            name: row.name.clone(),
            email: row.email.clone(),
            phone: row.phone,
            company: row.company,
            job_title: row.job_title,
            country: row.country,
            industry_chains: row
                .industry_chains
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| (c.to_string(), "on".to_string()))
                .collect(),
            language: row.language,
            consent_data: "on".into(),
            consent_marketing: if row.consent_marketing_at.is_some() { "on".into() } else { String::new() },
            time_zone: row.time_zone,
            answers,
        },
        name: row.name,
        email: row.email,
        status,
        waitlist_position,
    })
}

/// Cancels a registration and gives freed seats to the waitlist in order, in one
/// transaction serialized per event like a registration. Returns the event's slug.
pub async fn cancel(db: &DatabaseConnection, mail: &MailSettings, token: &str) -> Result<String, AppError> {
    let txn = begin_write(db).await?;
    let (row, _) = by_token(&txn, mail, token).await?;
    let mut query = event::Entity::find_by_id(row.event_id);
    if is_postgres(&txn) {
        query = query.lock_exclusive();
    }
    let event = query.one(&txn).await?.ok_or(AppError::NotFound)?;
    if row.status == RegistrationStatus::Cancelled {
        return Ok(event.slug);
    }
    let now = Utc::now();
    let mut cancelled: registration::ActiveModel = row.into();
    cancelled.status = Set(RegistrationStatus::Cancelled);
    cancelled.updated_at = Set(now);
    let cancelled = cancelled.update(&txn).await?;
    let mailer = EventMailer::new(&txn, mail, &event).await?;
    mailer.send(&txn, MailKind::Cancelled, &event, cancelled, None).await?;
    promote_waitlist(&txn, &mailer, &event).await?;
    txn.commit().await?;
    Ok(event.slug)
}

async fn count_with(db: &impl ConnectionTrait, event_id: i32, status: RegistrationStatus) -> Result<u64, AppError> {
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(status.as_str()))
        .count(db)
        .await?)
}

/// An event's registrations, for members of the organization that owns it; another
/// organization's event is `NotFound`.
pub async fn list(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    filter: &RegistrationFilter,
) -> Result<RegistrationList, AppError> {
    let event = event::Entity::find_by_id(event_id)
        .filter(event::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut query = registration::Entity::find().filter(registration::Column::EventId.eq(event.id));
    if !filter.status.trim().is_empty() {
        let status = RegistrationStatus::parse(filter.status.trim())
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("status", Reason::UnknownChoice)))?;
        query = query.filter(registration::Column::Status.eq(status.as_str()));
    }
    let q = filter.q.trim().to_lowercase().replace(['\\', '%', '_'], "");
    if !q.is_empty() {
        use sea_orm::sea_query::{Expr, ExprTrait, Func};
        let pattern = format!("%{q}%");
        let mut any = Condition::any();
        for column in [registration::Column::Name, registration::Column::Email, registration::Column::Company] {
            any = any.add(Expr::expr(Func::lower(Expr::col(column))).like(pattern.clone()));
        }
        query = query.filter(any);
    }
    let tz = tz_of(&event.time_zone)?;
    let questions = crate::events::ssr::questions_of(db, event.id).await?;
    let rows = query
        .order_by_asc(registration::Column::CreatedAt)
        .order_by_asc(registration::Column::Id)
        .limit(10_000)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RegistrationRow {
            answers: {
                let stored = stored_answers(&r.answers);
                questions.iter().map(|q| stored.get(&q.id).cloned().unwrap_or_default()).collect()
            },
            id: r.id,
            status: r.status,
            marketing_consent: r.consent_marketing_at.is_some(),
            registered_at: r.created_at,
            checked_in_at: r.checked_in_at,
            checked_in_local: r.checked_in_at.map(|t| utc_to_local(tz, t)),
            name: r.name,
            email: r.email,
            phone: r.phone,
            company: r.company,
            job_title: r.job_title,
            country: r.country,
            language: r.language,
        })
        .collect();
    Ok(RegistrationList {
        confirmed: count_with(db, event.id, RegistrationStatus::Confirmed).await?,
        waitlisted: count_with(db, event.id, RegistrationStatus::Waitlisted).await?,
        cancelled: count_with(db, event.id, RegistrationStatus::Cancelled).await?,
        checked_in: registration::Entity::find()
            .filter(registration::Column::EventId.eq(event.id))
            .filter(registration::Column::CheckedInAt.is_not_null())
            .count(db)
            .await?,
        event_title_zh: event.title_zh,
        event_title_en: event.title_en,
        capacity: event.capacity,
        questions,
        rows,
    })
}

/// Checks a confirmed guest in, once; the registration must belong to an event of the
/// member's organization (else `NotFound`).
pub async fn check_in(db: &DatabaseConnection, org_id: i32, registration_id: i32) -> Result<CheckInOutcome, AppError> {
    let txn = begin_write(db).await?;
    let row = registration::Entity::find_by_id(registration_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let event = event::Entity::find_by_id(row.event_id)
        .filter(event::Column::OrganizationId.eq(org_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
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
    model.update(&txn).await?;
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

/// The guest changes their registration from the private page: their details, the
/// language of their emails, their consent to follow-ups. An updated calendar
/// invitation (a raised `SEQUENCE`) follows for a confirmed seat.
pub async fn change(
    db: &DatabaseConnection,
    mail: &MailSettings,
    token: &str,
    guest: ValidRegistration,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let (row, event) = by_token(&txn, mail, token).await?;
    if row.status == RegistrationStatus::Cancelled
        || event.status != EventStatus::Published
        || Utc::now() > event.ends_at
    {
        return Err(closed(Reason::RegistrationClosed));
    }
    let questions = crate::events::ssr::questions_of(&txn, event.id).await?;
    let answers =
        crate::domain::questions::parse_answers(&questions, &guest.answers, true).map_err(AppError::Invalid)?;
    let now = Utc::now();
    let marketing_before = row.consent_marketing_at;
    let mut model: registration::ActiveModel = row.into();
    model.consent_marketing_at = Set(if guest.consent_marketing { marketing_before.or(Some(now)) } else { None });
    model.answers = Set(answers_json(&answers));
    set_details(&mut model, guest);
    model.updated_at = Set(now);
    let saved = model.update(&txn).await?;
    crate::leads::ssr::record_registration(&txn, &event, &saved).await?;
    let position = match saved.status {
        RegistrationStatus::Waitlisted => Some(waitlist_position(&txn, &saved).await?),
        _ => None,
    };
    let kind = if position.is_some() { MailKind::Waitlisted } else { MailKind::Updated };
    EventMailer::new(&txn, mail, &event).await?.send(&txn, kind, &event, saved, position).await?;
    txn.commit().await?;
    Ok(())
}

/// The list as CSV (UTF-8 with a byte-order mark, so spreadsheets read Chinese right).
pub fn to_csv(list: &RegistrationList) -> String {
    let mut out = String::from(
        "\u{feff}name,email,phone,company,job_title,country,language,status,marketing_consent,registered_at,checked_in_at",
    );
    for q in &list.questions {
        out.push(',');
        out.push_str(&crate::csv::cell(crate::i18n::Lang::En.pick(&q.label_zh, &q.label_en)));
    }
    out.push_str("\r\n");
    for r in &list.rows {
        let cells = [
            r.name.as_str(),
            r.email.as_str(),
            r.phone.as_str(),
            r.company.as_str(),
            r.job_title.as_str(),
            r.country.as_str(),
            r.language.as_str(),
            r.status.as_str(),
            if r.marketing_consent { "yes" } else { "no" },
            &r.registered_at.to_rfc3339(),
            &r.checked_in_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ];
        let answers = r.answers.iter().map(String::as_str);
        out.push_str(&cells.into_iter().chain(answers).map(crate::csv::cell).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
