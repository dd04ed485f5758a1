//! A guest's own registration behind the private link: seeing it, changing it,
//! cancelling it (a freed seat goes to the waitlist).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QuerySelect, Set};

use crate::db::{begin_write, is_postgres};
use crate::domain::WebhookEvent;
use crate::entities::{event, registration};
use crate::error::{AppError, Reason};
use crate::events::seats::promote_waitlist;
use crate::events::{
    EventStatus,
    ssr::{offset_label, tz_of, utc_to_local},
};
use crate::mail::compose::MailKind;
use crate::mail::ssr::{EventMailer, MailSettings};
use crate::registrations::{RegistrationForm, RegistrationStatus, RegistrationView, ValidRegistration};

use super::{answers_json, by_token, closed, set_details, stored_answers, waitlist_position};

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
            language: row.language.code().to_string(),
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
    let data = crate::webhooks::ssr::registration_data(&cancelled, &event);
    crate::webhooks::ssr::emit(&txn, vec![(event.organization_id, WebhookEvent::RegistrationCancelled, data)]).await?;
    let mailer = EventMailer::new(&txn, mail, &event).await?;
    mailer.send(&txn, MailKind::Cancelled, &event, cancelled, None).await?;
    promote_waitlist(&txn, &mailer, &event).await?;
    txn.commit().await?;
    Ok(event.slug)
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
    let (found, _) = by_token(&txn, mail, token).await?;
    crate::events::ssr::lock_event(&txn, found.event_id).await?;
    // Read again under the lock (a cancellation or the waitlist may have moved it).
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
    let data = crate::webhooks::ssr::registration_data(&saved, &event);
    crate::webhooks::ssr::emit(&txn, vec![(event.organization_id, WebhookEvent::RegistrationChanged, data)]).await?;
    let position = match saved.status {
        RegistrationStatus::Waitlisted => Some(waitlist_position(&txn, &saved).await?),
        _ => None,
    };
    let kind = if position.is_some() { MailKind::Waitlisted } else { MailKind::Updated };
    EventMailer::new(&txn, mail, &event).await?.send(&txn, kind, &event, saved, position).await?;
    txn.commit().await?;
    Ok(())
}
