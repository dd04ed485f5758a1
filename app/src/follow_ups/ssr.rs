//! Server side of follow-ups: an organization's templates and rules, a template
//! rendered for one person, the scheduler that runs due rules, and unsubscribing.
//!
//! Once per person: the scheduler writes a rule's email and its `marketing_send` row in
//! one transaction, and the row's unique key (rule, event, address) turns a second
//! writer — another process, or the same one after a restart — into a no-op.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{FollowUps, Preview, RuleRow, SendRow, Template, TemplateRow, Trigger, ValidRule};
use crate::db::begin_write;
use crate::domain::{EventStatus, MessageKind, OutboxStatus, RegistrationStatus, SendOutcome};
use crate::entities::{
    event, follow_up_rule, lead, lead_event, mail_template, marketing_send, outbox_message, registration, roadshow,
};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::leads::Stage;
use crate::mail::ssr::{MailSettings, NewMessage};
use crate::marketing::ssr::{
    MarketingMail, Recipient, declined_follow_ups, find_template, form_of, is_suppressed, organizer_name, record_send,
    render, send_counts, template_of, unsubscribe_url,
};

/// How long after it came due a rule still sends: a scheduler that was down catches up,
/// but a rule made weeks after an event does not mail its guests out of the blue.
pub const CATCH_UP: Duration = Duration::days(7);

async fn find_rule(db: &impl ConnectionTrait, org_id: i32, id: i32) -> Result<follow_up_rule::Model, AppError> {
    follow_up_rule::Entity::find_by_id(id)
        .filter(follow_up_rule::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn overview(db: &DatabaseConnection, org_id: i32) -> Result<FollowUps, AppError> {
    let templates = mail_template::Entity::find()
        .filter(mail_template::Column::OrganizationId.eq(org_id))
        .order_by_asc(mail_template::Column::Name)
        .all(db)
        .await?;
    let events: Vec<(i32, String, String)> = event::Entity::find()
        .select_only()
        .columns([event::Column::Id, event::Column::TitleZh, event::Column::TitleEn])
        .filter(event::Column::OrganizationId.eq(org_id))
        .order_by_desc(event::Column::StartsAt)
        .into_tuple()
        .all(db)
        .await?;
    let roadshows: Vec<(i32, String)> = roadshow::Entity::find()
        .select_only()
        .columns([roadshow::Column::Id, roadshow::Column::Name])
        .filter(roadshow::Column::OrganizationId.eq(org_id))
        .order_by_asc(roadshow::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    let rules = follow_up_rule::Entity::find()
        .filter(follow_up_rule::Column::OrganizationId.eq(org_id))
        .order_by_asc(follow_up_rule::Column::Id)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(rules.len());
    for r in rules {
        let (sent, skipped) = send_counts(db, marketing_send::Column::RuleId, r.id).await?;
        rows.push(RuleRow {
            id: r.id,
            event: r.event_id.and_then(|id| events.iter().find(|e| e.0 == id).cloned()),
            roadshow: r.roadshow_id.and_then(|id| roadshows.iter().find(|s| s.0 == id).cloned()),
            template: templates
                .iter()
                .find(|t| t.id == r.template_id)
                .map(|t| (t.id, t.name.clone()))
                .unwrap_or((r.template_id, String::new())),
            trigger: r.trigger,
            offset_hours: r.offset_hours,
            stage: r.stage,
            paused: r.paused,
            sent,
            skipped,
        });
    }
    let leads: Vec<(i32, String, Option<String>)> = lead::Entity::find()
        .select_only()
        .columns([lead::Column::Id, lead::Column::Name, lead::Column::Email])
        .filter(lead::Column::OrganizationId.eq(org_id))
        .order_by_desc(lead::Column::UpdatedAt)
        .limit(50)
        .into_tuple()
        .all(db)
        .await?;
    Ok(FollowUps {
        leads: leads.into_iter().map(|(id, name, email)| (id, name, email.unwrap_or_default())).collect(),
        templates: templates
            .iter()
            .map(|t| TemplateRow { id: t.id, name: t.name.clone(), form: form_of(t), updated_at: t.updated_at })
            .collect(),
        rules: rows,
        events,
        roadshows,
    })
}

pub async fn save_template(
    db: &DatabaseConnection,
    org_id: i32,
    id: Option<i32>,
    form: Template,
) -> Result<i32, AppError> {
    let now = Utc::now();
    let mut model = match id {
        Some(id) => find_template(db, org_id, id).await?.into(),
        None => mail_template::ActiveModel { organization_id: Set(org_id), created_at: Set(now), ..Default::default() },
    };
    model.name = Set(form.name);
    model.subject_zh = Set(form.subject_zh);
    model.body_zh = Set(form.body_zh);
    model.subject_en = Set(form.subject_en);
    model.body_en = Set(form.body_en);
    model.updated_at = Set(now);
    Ok(model.save(db).await?.id.unwrap())
}

/// The template as one lead would receive it: in their language, with the event and
/// registration they last came through.
pub async fn preview(
    db: &DatabaseConnection,
    settings: &MailSettings,
    org_id: i32,
    lead_id: i32,
    template: &Template,
) -> Result<Preview, AppError> {
    let lead = lead::Entity::find_by_id(lead_id)
        .filter(lead::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let met = lead_event::Entity::find()
        .filter(lead_event::Column::LeadId.eq(lead.id))
        .order_by_desc(lead_event::Column::CreatedAt)
        .one(db)
        .await?;
    let event = match &met {
        Some(m) => event::Entity::find_by_id(m.event_id).one(db).await?,
        None => None,
    };
    let registration = match met.and_then(|m| m.registration_id) {
        Some(id) => registration::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let language = lead.language;
    let to = Recipient {
        name: &lead.name,
        company: &lead.company,
        language,
        event: event.as_ref(),
        registration: registration.as_ref(),
    };
    let organizer = organizer_name(db, org_id).await?;
    let composed = render(settings, template, &to, &organizer, &unsubscribe_url(settings, "preview"));
    Ok(Preview {
        to: lead.email.unwrap_or_default(),
        language,
        subject: composed.subject,
        html: composed.html,
        text: composed.text,
    })
}

pub async fn save_rule(db: &DatabaseConnection, org_id: i32, rule: ValidRule) -> Result<i32, AppError> {
    find_template(db, org_id, rule.template_id).await?;
    if let Some(id) = rule.event_id {
        crate::events::ssr::find_owned(db, org_id, id).await?;
    }
    if let Some(id) = rule.roadshow_id {
        roadshow::Entity::find_by_id(id)
            .filter(roadshow::Column::OrganizationId.eq(org_id))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let now = Utc::now();
    let saved = follow_up_rule::ActiveModel {
        organization_id: Set(org_id),
        event_id: Set(rule.event_id),
        roadshow_id: Set(rule.roadshow_id),
        template_id: Set(rule.template_id),
        trigger: Set(rule.trigger),
        offset_hours: Set(rule.offset_hours),
        stage: Set(rule.stage),
        paused: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(saved.id)
}

pub async fn pause_rule(db: &DatabaseConnection, org_id: i32, id: i32, paused: bool) -> Result<(), AppError> {
    let mut model: follow_up_rule::ActiveModel = find_rule(db, org_id, id).await?.into();
    model.paused = Set(paused);
    model.updated_at = Set(Utc::now());
    model.update(db).await?;
    Ok(())
}

pub async fn rule_log(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<Vec<SendRow>, AppError> {
    find_rule(db, org_id, id).await?;
    let sends = marketing_send::Entity::find()
        .filter(marketing_send::Column::RuleId.eq(id))
        .order_by_desc(marketing_send::Column::At)
        .order_by_desc(marketing_send::Column::Id)
        .limit(1000)
        .all(db)
        .await?;
    let message_ids: Vec<i32> = sends.iter().filter_map(|s| s.outbox_message_id).collect();
    let statuses: HashMap<i32, OutboxStatus> = outbox_message::Entity::find()
        .select_only()
        .columns([outbox_message::Column::Id, outbox_message::Column::Status])
        .filter(outbox_message::Column::Id.is_in(message_ids))
        .into_tuple::<(i32, OutboxStatus)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let event_ids: Vec<i32> = sends.iter().filter_map(|s| s.event_id).collect();
    let titles: HashMap<i32, (String, String)> = event::Entity::find()
        .select_only()
        .columns([event::Column::Id, event::Column::TitleZh, event::Column::TitleEn])
        .filter(event::Column::Id.is_in(event_ids))
        .into_tuple::<(i32, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, zh, en)| (id, (zh, en)))
        .collect();
    Ok(sends
        .into_iter()
        .map(|s| SendRow {
            address: s.address,
            event: s.event_id.and_then(|id| titles.get(&id).cloned()),
            lead_id: s.lead_id,
            outcome: s.outcome,
            status: s.outbox_message_id.and_then(|id| statuses.get(&id).cloned()),
            at: s.at,
        })
        .collect())
}

/// Whether `rule` is due for `event` at `now`.
pub fn due(trigger: Trigger, offset_hours: i32, event: &event::Model, now: DateTime<Utc>) -> bool {
    let offset = Duration::hours(offset_hours.into());
    match trigger {
        Trigger::Reminder => event.starts_at - offset <= now && now < event.starts_at,
        Trigger::Promoted => now < event.starts_at,
        Trigger::ThankYou | Trigger::MissedYou | Trigger::StageFollowUp => {
            let at = event.ends_at + offset;
            at <= now && now < at + CATCH_UP
        }
    }
}

/// Someone a rule may write to for one event.
struct Candidate {
    address: String,
    name: String,
    company: String,
    language: Lang,
    registration: Option<registration::Model>,
    lead: Option<lead::Model>,
}

/// The people `rule` is meant for at `event`, whether or not already mailed.
async fn candidates(
    db: &impl ConnectionTrait,
    rule: &follow_up_rule::Model,
    trigger: Trigger,
    event: &event::Model,
) -> Result<Vec<Candidate>, sea_orm::DbErr> {
    if trigger == Trigger::StageFollowUp {
        // A rule of this kind is always saved with its stage.
        let Some(stage) = rule.stage else { return Ok(Vec::new()) };
        let leads = lead::Entity::find()
            .filter(lead::Column::OrganizationId.eq(event.organization_id))
            .filter(lead::Column::Stage.eq(stage))
            .filter(lead::Column::Email.is_not_null())
            .order_by_asc(lead::Column::Id)
            .filter(
                lead::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(lead_event::Column::LeadId)
                        .from(lead_event::Entity)
                        .and_where(lead_event::Column::EventId.eq(event.id))
                        .to_owned(),
                ),
            )
            .all(db)
            .await?;
        return Ok(leads
            .into_iter()
            .map(|l| Candidate {
                address: l.email.clone().unwrap_or_default(),
                name: l.name.clone(),
                company: l.company.clone(),
                language: l.language,
                registration: None,
                lead: Some(l),
            })
            .collect());
    }
    let mut query = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        // An erased guest's seat stays counted, under an address that is nobody's.
        .filter(registration::Column::Email.not_like(format!("%{}", crate::mail::ERASED_DOMAIN)));
    query = match trigger {
        Trigger::ThankYou => query.filter(registration::Column::CheckedInAt.is_not_null()),
        Trigger::MissedYou => query.filter(registration::Column::CheckedInAt.is_null()),
        Trigger::Promoted => query.filter(
            registration::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(outbox_message::Column::RegistrationId)
                    .from(outbox_message::Entity)
                    .and_where(outbox_message::Column::Kind.eq(MessageKind::Promoted))
                    .to_owned(),
            ),
        ),
        _ => query,
    };
    let registrations = query.order_by_asc(registration::Column::Id).all(db).await?;
    let emails: Vec<String> = registrations.iter().map(|r| r.email.clone()).collect();
    let mut leads: HashMap<String, lead::Model> = HashMap::new();
    for chunk in emails.chunks(5_000) {
        for l in lead::Entity::find()
            .filter(lead::Column::OrganizationId.eq(event.organization_id))
            .filter(lead::Column::Email.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            leads.insert(l.email.clone().unwrap_or_default(), l);
        }
    }
    Ok(registrations
        .into_iter()
        .map(|r| {
            let lead = leads.remove(&r.email);
            Candidate {
                address: r.email.clone(),
                name: r.name.clone(),
                company: r.company.clone(),
                language: lead.as_ref().map_or(r.language, |l| l.language),
                registration: Some(r),
                lead,
            }
        })
        .collect())
}

/// Whether a lead has moved past the furthest stage a rule is meant for (lost counts as
/// past everything).
fn stage_passed(rule_stage: Option<Stage>, lead: Option<&lead::Model>) -> bool {
    let (Some(limit), Some(lead)) = (rule_stage, lead) else { return false };
    let stage = lead.stage;
    stage == Stage::Lost || stage > limit
}

/// Runs every unpaused rule that is due at `now` (the clock is a parameter, so tests
/// choose it). Returns how many emails were queued.
#[tracing::instrument(name = "follow_up_rules", skip_all, fields(%now))]
pub async fn run_due(db: &DatabaseConnection, settings: &MailSettings, now: DateTime<Utc>) -> Result<u32, AppError> {
    let rules = follow_up_rule::Entity::find().filter(follow_up_rule::Column::Paused.eq(false)).all(db).await?;
    let mut queued = 0;
    for rule in rules {
        let trigger = rule.trigger;
        let mut events = event::Entity::find()
            .filter(event::Column::OrganizationId.eq(rule.organization_id))
            .filter(event::Column::Status.eq(EventStatus::Published));
        events = match (rule.event_id, rule.roadshow_id) {
            (Some(id), _) => events.filter(event::Column::Id.eq(id)),
            (None, Some(id)) => events.filter(event::Column::RoadshowId.eq(id)),
            (None, None) => continue,
        };
        for event in events.all(db).await? {
            if due(trigger, rule.offset_hours, &event, now) {
                // One rule's failure must not hold up the others: it is tried again
                // next round.
                match run_rule(db, settings, &rule, trigger, &event, now).await {
                    Ok(n) => queued += n,
                    Err(e) => tracing::warn!(rule = rule.id, event = event.id, "follow-up rule not run: {e}"),
                }
            }
        }
    }
    Ok(queued)
}

/// One rule at one event: everyone it is meant for and has not dealt with yet gets the
/// email, or a record of why not (unsubscribed or bouncing, stage passed).
async fn run_rule(
    db: &DatabaseConnection,
    settings: &MailSettings,
    rule: &follow_up_rule::Model,
    trigger: Trigger,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let done: HashSet<String> = marketing_send::Entity::find()
        .select_only()
        .column(marketing_send::Column::Address)
        .filter(marketing_send::Column::RuleId.eq(rule.id))
        .filter(marketing_send::Column::EventId.eq(event.id))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let todo: Vec<Candidate> =
        candidates(db, rule, trigger, event).await?.into_iter().filter(|c| !done.contains(&c.address)).collect();
    if todo.is_empty() {
        return Ok(0);
    }
    let Some(template) = mail_template::Entity::find_by_id(rule.template_id).one(db).await? else { return Ok(0) };
    let template = template_of(template);
    let organizer = organizer_name(db, rule.organization_id).await?;
    let mut queued = 0;
    // A reminder and the promotion notice are about the guest's own registration; the
    // others are marketing, which needs the consent the guest was asked for.
    let marketing = !matches!(trigger, Trigger::Reminder | Trigger::Promoted);
    // Chunks keep each write transaction (and SQLite's write lock) short.
    for chunk in todo.chunks(500) {
        let txn = begin_write(db).await?;
        for c in chunk {
            let outcome = if is_suppressed(&txn, &c.address).await? {
                SendOutcome::Suppressed
            } else if marketing && declined_follow_ups(c.lead.as_ref(), c.registration.as_ref()) {
                SendOutcome::NoConsent
            } else if stage_passed(rule.stage, c.lead.as_ref()) {
                SendOutcome::StagePassed
            } else {
                SendOutcome::Queued
            };
            let mail = if outcome == SendOutcome::Queued {
                let token = crate::crypto::random_hex::<16>();
                let to = Recipient {
                    name: &c.name,
                    company: &c.company,
                    language: c.language,
                    event: Some(event),
                    registration: c.registration.as_ref(),
                };
                let composed = render(settings, &template, &to, &organizer, &unsubscribe_url(settings, &token));
                let message = NewMessage {
                    organization_id: Some(rule.organization_id),
                    registration_id: c.registration.as_ref().map(|r| r.id),
                    kind: MessageKind::FollowUp,
                    to_address: c.address.clone(),
                    to_name: c.name.clone(),
                    composed,
                };
                Some(MarketingMail { message, token })
            } else {
                None
            };
            let send = marketing_send::ActiveModel {
                rule_id: Set(Some(rule.id)),
                campaign_id: Set(None),
                event_id: Set(Some(event.id)),
                address: Set(c.address.clone()),
                lead_id: Set(c.lead.as_ref().map(|l| l.id)),
                registration_id: Set(c.registration.as_ref().map(|r| r.id)),
                outcome: Set(outcome),
                at: Set(now),
                ..Default::default()
            };
            if record_send(&txn, settings, send, mail).await? {
                queued += 1;
            }
        }
        txn.commit().await?;
    }
    Ok(queued)
}
