//! Server side of invitations: written with their emails in one transaction.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{InvitationRow, InviteOutcome, Invitee};

use crate::db::begin_write;
use crate::domain::MessageKind;
use crate::entities::{event, invitation, organization};
use crate::error::AppError;
use crate::events::ssr::find_owned;
use crate::mail::compose::invitation_mail;
use crate::mail::ssr::{MailSettings, NewMessage, enqueue};

/// Invites each new address and queues its email; addresses invited before are counted,
/// not emailed again.
pub async fn invite(
    db: &DatabaseConnection,
    mail: &MailSettings,
    org_id: i32,
    event_id: i32,
    invitees: Vec<Invitee>,
) -> Result<InviteOutcome, AppError> {
    let txn = begin_write(db).await?;
    let event = find_owned(&txn, org_id, event_id).await?;
    let organizer = organization::Entity::find_by_id(org_id).one(&txn).await?.map(|o| o.name).unwrap_or_default();
    let existing: std::collections::HashSet<String> = invitation::Entity::find()
        .filter(invitation::Column::EventId.eq(event_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|i| i.email)
        .collect();
    let now = Utc::now();
    let mut outcome = InviteOutcome { invited: 0, already: 0 };
    for invitee in invitees {
        if existing.contains(invitee.email.as_str()) {
            outcome.already += 1;
            continue;
        }
        let saved = invitation::ActiveModel {
            event_id: Set(event_id),
            email: Set(invitee.email.as_str().to_string()),
            name: Set(invitee.name),
            nonce: Set(crate::crypto::random_hex::<32>()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let link = format!("{}?invite={}", mail.event_url(&event.slug), mail.invitation_token(&saved));
        let composed = invitation_mail(&event, &saved.name, &link, &organizer);
        let message = NewMessage {
            organization_id: Some(org_id),
            registration_id: None,
            kind: MessageKind::Invitation,
            to_address: saved.email.clone(),
            to_name: saved.name.clone(),
            composed,
        };
        enqueue(&txn, mail, message, now).await?;
        outcome.invited += 1;
    }
    txn.commit().await?;
    Ok(outcome)
}

pub async fn list(db: &DatabaseConnection, org_id: i32, event_id: i32) -> Result<Vec<InvitationRow>, AppError> {
    find_owned(db, org_id, event_id).await?;
    Ok(invitation::Entity::find()
        .filter(invitation::Column::EventId.eq(event_id))
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| InvitationRow {
            email: i.email,
            name: i.name,
            registered: i.registration_id.is_some(),
            invited_at: i.created_at,
        })
        .collect())
}

/// The invitation behind `token`, which must be for the event at `slug`.
pub async fn by_token(
    db: &impl ConnectionTrait,
    mail: &MailSettings,
    slug: &str,
    token: &str,
) -> Result<invitation::Model, AppError> {
    let id = MailSettings::token_id(token).ok_or(AppError::NotFound)?;
    let found = invitation::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let event = event::Entity::find_by_id(found.event_id).one(db).await?.ok_or(AppError::NotFound)?;
    if event.slug != slug || !mail.invitation_matches(token, &found) {
        return Err(AppError::NotFound);
    }
    Ok(found)
}
