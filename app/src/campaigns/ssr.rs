//! Server side of campaigns. A due campaign is claimed by one scheduler (a conditional
//! update from `scheduled` to `sending`), then its emails are written in chunks, each
//! with its `marketing_send` row: a process that dies half-way leaves a `sending`
//! campaign that the next round finishes, and the rows' unique key (campaign, address)
//! keeps every lead to one email whoever writes it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};

use super::{Audience, CampaignDetail, CampaignMessage, CampaignRow, CampaignStatus, Campaigns, ValidCampaign};
use crate::auth::Member;
use crate::db::begin_write;
use crate::domain::{ConsentSource, MessageKind, OutboxStatus, SendOutcome};
use crate::entities::{campaign, event, lead, mail_template, marketing_send, outbox_message, suppressed_address};
use crate::error::{AppError, FieldErrors, Reason};
use crate::i18n::Lang;
use crate::leads::LeadFilter;
use crate::mail::ssr::{MailSettings, NewMessage};
use crate::marketing::ssr::{
    MarketingMail, Recipient, address_hash, find_template, organizer_name, record_send, render, send_counts,
    template_of, unsubscribe_url,
};

/// Emails written per transaction: short write locks on SQLite.
const CHUNK: usize = 500;

/// A lead a campaign may write to.
struct Addressee {
    id: i32,
    name: String,
    company: String,
    email: String,
    language: String,
    /// Asked for consent to follow-up emails when registering, and did not give it.
    declined: bool,
}

type AddresseeRow = (i32, String, String, String, String, ConsentSource, Option<DateTime<Utc>>);

/// The filtered leads that have an address.
async fn addressed(db: &impl ConnectionTrait, org_id: i32, filter: &LeadFilter) -> Result<Vec<Addressee>, AppError> {
    let rows: Vec<AddresseeRow> = crate::leads::ssr::filtered(org_id, filter, true)?
        .filter(lead::Column::Email.is_not_null())
        .select_only()
        .columns([
            lead::Column::Id,
            lead::Column::Name,
            lead::Column::Company,
            lead::Column::Email,
            lead::Column::Language,
            lead::Column::ConsentSource,
            lead::Column::ConsentMarketingAt,
        ])
        .order_by_asc(lead::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, company, email, language, consent_source, consent_marketing_at)| {
            let declined = consent_source.asked_for_follow_ups() && consent_marketing_at.is_none();
            Addressee { id, name, company, email, language, declined }
        })
        .collect())
}

/// The hashes among `emails` on the suppression list.
async fn suppressed_among(db: &impl ConnectionTrait, emails: &[&str]) -> Result<HashSet<String>, sea_orm::DbErr> {
    let mut found = HashSet::new();
    for chunk in emails.chunks(1_000) {
        let hashes: Vec<String> = chunk.iter().map(|e| address_hash(e)).collect();
        found.extend(
            suppressed_address::Entity::find()
                .select_only()
                .column(suppressed_address::Column::EmailHash)
                .filter(suppressed_address::Column::EmailHash.is_in(hashes))
                .into_tuple::<String>()
                .all(db)
                .await?,
        );
    }
    Ok(found)
}

pub async fn audience(db: &DatabaseConnection, org_id: i32, filter: &LeadFilter) -> Result<Audience, AppError> {
    let leads = crate::leads::ssr::filtered(org_id, filter, true)?.count(db).await?;
    let addressed = addressed(db, org_id, filter).await?;
    let emails: Vec<&str> = addressed.iter().map(|l| l.email.as_str()).collect();
    let suppressed_hashes = suppressed_among(db, &emails).await?;
    let is_suppressed = |l: &&Addressee| suppressed_hashes.contains(&address_hash(&l.email));
    let suppressed = addressed.iter().filter(is_suppressed).count() as u64;
    let declined = addressed.iter().filter(|l| l.declined && !is_suppressed(l)).count() as u64;
    Ok(Audience { leads, with_email: emails.len() as u64, suppressed, declined })
}

pub async fn create(db: &DatabaseConnection, member: &Member, valid: ValidCampaign) -> Result<i32, AppError> {
    find_template(db, member.organization_id, valid.template_id).await?;
    let now = Utc::now();
    let send_at = match &valid.send_at {
        None => now,
        Some((local, zone)) => {
            let tz = crate::events::ssr::tz_of(zone.as_str())?;
            crate::events::ssr::local_to_utc(tz, *local)
                .map_err(|r| AppError::Invalid(FieldErrors::single("send_at_local", r)))?
        }
    };
    let audience = audience(db, member.organization_id, &valid.filter).await?;
    let filter = serde_json::to_string(&valid.filter).map_err(|e| AppError::internal(e.into()))?;
    let saved = campaign::ActiveModel {
        organization_id: Set(member.organization_id),
        template_id: Set(valid.template_id),
        name: Set(valid.name),
        filter: Set(filter),
        status: Set(CampaignStatus::Scheduled),
        send_at: Set(Some(send_at)),
        recipients: Set(audience.recipients() as i32),
        created_by: Set(Some(member.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(saved.id)
}

async fn find(db: &impl ConnectionTrait, org_id: i32, id: i32) -> Result<campaign::Model, AppError> {
    campaign::Entity::find_by_id(id)
        .filter(campaign::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn cancel(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<(), AppError> {
    find(db, org_id, id).await?;
    let changed = campaign::Entity::update_many()
        .col_expr(campaign::Column::Status, Expr::value(CampaignStatus::Cancelled.as_str()))
        .col_expr(campaign::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(campaign::Column::Id.eq(id))
        .filter(campaign::Column::Status.eq(CampaignStatus::Scheduled.as_str()))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::Conflict(FieldErrors::single("status", Reason::CampaignStarted)));
    }
    Ok(())
}

async fn row(db: &impl ConnectionTrait, c: &campaign::Model, template: String) -> Result<CampaignRow, AppError> {
    let (queued, skipped) = send_counts(db, marketing_send::Column::CampaignId, c.id).await?;
    let statuses: Vec<(OutboxStatus, i64)> = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Status)
        .column_as(outbox_message::Column::Id.count(), "n")
        .filter(
            outbox_message::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(marketing_send::Column::OutboxMessageId)
                    .from(marketing_send::Entity)
                    .and_where(marketing_send::Column::CampaignId.eq(c.id))
                    .to_owned(),
            ),
        )
        .group_by(outbox_message::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let count = |status| statuses.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n as u64);
    Ok(CampaignRow {
        id: c.id,
        name: c.name.clone(),
        template,
        status: c.status,
        send_at: c.send_at,
        recipients: c.recipients.max(0) as u64,
        queued,
        delivered: count(OutboxStatus::Sent),
        failed: count(OutboxStatus::Failed),
        skipped,
        created_at: c.created_at,
    })
}

pub async fn list(db: &DatabaseConnection, org_id: i32) -> Result<Campaigns, AppError> {
    let templates: Vec<(i32, String)> = mail_template::Entity::find()
        .select_only()
        .columns([mail_template::Column::Id, mail_template::Column::Name])
        .filter(mail_template::Column::OrganizationId.eq(org_id))
        .order_by_asc(mail_template::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    let campaigns = campaign::Entity::find()
        .filter(campaign::Column::OrganizationId.eq(org_id))
        .order_by_desc(campaign::Column::CreatedAt)
        .order_by_desc(campaign::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(campaigns.len());
    for c in &campaigns {
        let template = templates.iter().find(|t| t.0 == c.template_id).map(|t| t.1.clone()).unwrap_or_default();
        rows.push(row(db, c, template).await?);
    }
    Ok(Campaigns { campaigns: rows, templates })
}

pub async fn detail(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<CampaignDetail, AppError> {
    let c = find(db, org_id, id).await?;
    let template = mail_template::Entity::find_by_id(c.template_id).one(db).await?.map(|t| t.name).unwrap_or_default();
    let campaign = row(db, &c, template).await?;
    let sends = marketing_send::Entity::find()
        .filter(marketing_send::Column::CampaignId.eq(c.id))
        .order_by_asc(marketing_send::Column::Id)
        .all(db)
        .await?;
    let message_ids: Vec<i32> = sends.iter().filter_map(|s| s.outbox_message_id).collect();
    let mut outbox: HashMap<i32, (OutboxStatus, Option<String>)> = HashMap::new();
    for chunk in message_ids.chunks(1_000) {
        let found: Vec<(i32, OutboxStatus, Option<String>)> = outbox_message::Entity::find()
            .select_only()
            .columns([outbox_message::Column::Id, outbox_message::Column::Status, outbox_message::Column::LastError])
            .filter(outbox_message::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        outbox.extend(found.into_iter().map(|(id, status, error)| (id, (status, error))));
    }
    let mut messages: Vec<CampaignMessage> = sends
        .into_iter()
        .map(|s| {
            let (status, last_error) = s.outbox_message_id.and_then(|id| outbox.get(&id).cloned()).unzip();
            CampaignMessage {
                address: s.address,
                lead_id: s.lead_id,
                outcome: s.outcome,
                status,
                last_error: last_error.flatten(),
            }
        })
        .collect();
    // Failures first: what an organizer has to look at.
    messages.sort_by_key(|m| m.status != Some(OutboxStatus::Failed));
    messages.truncate(500);
    Ok(CampaignDetail { campaign, filter: serde_json::from_str(&c.filter).unwrap_or_default(), messages })
}

/// How long a process that took a campaign owns it without a sign of life (each chunk
/// written renews it); after that another process finishes it.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);

/// The campaigns a process may take at `now`: scheduled ones that are due, and sending
/// ones whose lease ran out (their process stopped). The lease runs on the real clock:
/// it is about processes being alive.
fn claimable(now: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(
            sea_orm::Condition::all()
                .add(campaign::Column::Status.eq(CampaignStatus::Scheduled.as_str()))
                .add(campaign::Column::SendAt.lte(now)),
        )
        .add(
            sea_orm::Condition::all()
                .add(campaign::Column::Status.eq(CampaignStatus::Sending.as_str()))
                .add(campaign::Column::UpdatedAt.lt(Utc::now() - LEASE)),
        )
}

/// Takes campaign `id` for this process if it is [`claimable`]. Only one process wins.
async fn claim(db: &DatabaseConnection, id: i32, now: DateTime<Utc>) -> Result<bool, sea_orm::DbErr> {
    let claimed = campaign::Entity::update_many()
        .col_expr(campaign::Column::Status, Expr::value(CampaignStatus::Sending.as_str()))
        .col_expr(campaign::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(campaign::Column::Id.eq(id))
        .filter(claimable(now))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Sends campaign `id` if this process can claim it (see [`claim`]); returns how many
/// emails were queued.
pub async fn run_one(
    db: &DatabaseConnection,
    settings: &MailSettings,
    id: i32,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    if !claim(db, id, now).await? {
        return Ok(0);
    }
    let Some(c) = campaign::Entity::find_by_id(id).one(db).await? else { return Ok(0) };
    let queued = send(db, settings, &c, now).await?;
    let txn = crate::db::begin_write(db).await?;
    let finished = campaign::Entity::update_many()
        .col_expr(campaign::Column::Status, Expr::value(CampaignStatus::Sent.as_str()))
        .col_expr(campaign::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(campaign::Column::Id.eq(c.id))
        .filter(campaign::Column::Status.eq(CampaignStatus::Sending.as_str()))
        .exec(&txn)
        .await?;
    if finished.rows_affected == 1 {
        let data = serde_json::json!({ "id": c.id, "name": c.name, "queued": queued });
        crate::webhooks::ssr::emit(
            &txn,
            vec![(c.organization_id, crate::domain::WebhookEvent::CampaignFinished, data)],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(queued)
}

/// Sends every campaign due at `now` (scheduled before it, or left sending by a process
/// that stopped). One campaign's failure is logged and does not hold up the others.
/// Returns how many emails were queued.
#[tracing::instrument(name = "campaigns", skip_all, fields(%now))]
pub async fn run_due(db: &DatabaseConnection, settings: &MailSettings, now: DateTime<Utc>) -> Result<u32, AppError> {
    let due: Vec<i32> = campaign::Entity::find()
        .select_only()
        .column(campaign::Column::Id)
        .filter(claimable(now))
        .order_by_asc(campaign::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut queued = 0;
    for id in due {
        match run_one(db, settings, id, now).await {
            Ok(n) => queued += n,
            Err(e) => tracing::warn!(campaign = id, "campaign not sent this round: {e}"),
        }
    }
    Ok(queued)
}

/// Every recipient of `c` not dealt with yet: an email, or a record that they were
/// skipped (unsubscribed or bouncing).
async fn send(
    db: &DatabaseConnection,
    settings: &MailSettings,
    c: &campaign::Model,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let Some(template) = mail_template::Entity::find_by_id(c.template_id).one(db).await? else { return Ok(0) };
    let template = template_of(template);
    let filter: LeadFilter = serde_json::from_str(&c.filter).unwrap_or_default();
    // A campaign to one event's leads fills the event's merge fields.
    let event = match filter.event.trim().parse::<i32>() {
        Ok(id) => {
            event::Entity::find_by_id(id).filter(event::Column::OrganizationId.eq(c.organization_id)).one(db).await?
        }
        Err(_) => None,
    };
    let organizer = organizer_name(db, c.organization_id).await?;
    let done: HashSet<String> = marketing_send::Entity::find()
        .select_only()
        .column(marketing_send::Column::Address)
        .filter(marketing_send::Column::CampaignId.eq(c.id))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let todo: Vec<Addressee> =
        addressed(db, c.organization_id, &filter).await?.into_iter().filter(|l| !done.contains(&l.email)).collect();
    let mut queued = 0;
    for chunk in todo.chunks(CHUNK) {
        let emails: Vec<&str> = chunk.iter().map(|l| l.email.as_str()).collect();
        let txn = begin_write(db).await?;
        let suppressed = suppressed_among(&txn, &emails).await?;
        for Addressee { id: lead_id, name, company, email, language, declined } in chunk {
            let outcome = if suppressed.contains(&address_hash(email)) {
                SendOutcome::Suppressed
            } else if *declined {
                SendOutcome::NoConsent
            } else {
                SendOutcome::Queued
            };
            let mail = (outcome == SendOutcome::Queued).then(|| {
                let token = crate::crypto::random_hex::<16>();
                let to = Recipient {
                    name,
                    company,
                    language: Lang::parse(language).unwrap_or_default(),
                    event: event.as_ref(),
                    registration: None,
                };
                let composed = render(settings, &template, &to, &organizer, &unsubscribe_url(settings, &token));
                let message = NewMessage {
                    organization_id: Some(c.organization_id),
                    registration_id: None,
                    kind: MessageKind::Campaign,
                    to_address: email.clone(),
                    to_name: name.clone(),
                    composed,
                };
                MarketingMail { message, token }
            });
            let send = marketing_send::ActiveModel {
                rule_id: Set(None),
                campaign_id: Set(Some(c.id)),
                event_id: Set(None),
                address: Set(email.clone()),
                lead_id: Set(Some(*lead_id)),
                registration_id: Set(None),
                outcome: Set(outcome),
                at: Set(now),
                ..Default::default()
            };
            if record_send(&txn, settings, send, mail).await? {
                queued += 1;
            }
        }
        txn.commit().await?;
        // A sign of life: the lease stays with this process while it writes.
        campaign::Entity::update_many()
            .col_expr(campaign::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(campaign::Column::Id.eq(c.id))
            .exec(db)
            .await?;
    }
    Ok(queued)
}
