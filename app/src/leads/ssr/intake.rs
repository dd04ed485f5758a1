//! How people become leads: a guest's registration, a card captured at the door, a
//! scanned check-in code, a row of an imported file. An existing lead is matched by email
//! and only its blanks are filled.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    sea_query::OnConflict,
};

use crate::auth::Member;
use crate::db::begin_write;
use crate::domain::{Country, IndustryChain};
use crate::entities::{event, lead, lead_event, registration};
use crate::error::{AppError, Reason};
use crate::leads::{ActivityKind, ConsentSource, MetSource, Stage, ValidLead};

use super::{invalid, log, set_details, set_tags, tags_of};

/// Records that `event`'s registration `reg` is a lead of the event's organization: the
/// person's lead is created, or updated with what they typed this time (what organizers
/// manage — stage, owner, tags, notes — stays), and tagged with the event. Runs inside
/// the registration's own transaction.
pub async fn record_registration(
    db: &impl ConnectionTrait,
    event: &event::Model,
    reg: &registration::Model,
) -> Result<(), sea_orm::DbErr> {
    let lead_id = upsert_lead(db, event, reg).await?;
    save_met_at(db, vec![met_at_registration(lead_id, event, reg)]).await
}

/// A meeting with `reg`'s person was held at `event`: their lead (made if they had none) is
/// credited to the event and its history says where and with whom (`with`).
pub async fn record_meeting(
    db: &impl ConnectionTrait,
    event: &event::Model,
    reg: &registration::Model,
    with: &str,
) -> Result<i32, sea_orm::DbErr> {
    let lead_id = upsert_lead(db, event, reg).await?;
    save_met_at(db, vec![met_at_registration(lead_id, event, reg)]).await?;
    log(db, lead_id, None, ActivityKind::Meeting, "", with, "").await?;
    Ok(lead_id)
}

/// The lead of `reg`'s person, created or brought up to date in one statement; its id.
pub async fn upsert_lead(
    db: &impl ConnectionTrait,
    event: &event::Model,
    reg: &registration::Model,
) -> Result<i32, sea_orm::DbErr> {
    let inserted =
        lead::Entity::insert(lead_of(event.organization_id, reg)).on_conflict(lead_update()).exec(db).await?;
    Ok(inserted.last_insert_id)
}

/// The leads of many registrations (organization id, registration) in one statement per
/// 128; each lead by organization and email (a new one's `created_at` equals its
/// `updated_at`). When a person registered twice, the
/// later registration's details win, as they would one after the other.
pub async fn upsert_leads(
    db: &impl ConnectionTrait,
    regs: &[(i32, registration::Model)],
) -> Result<std::collections::HashMap<(i32, String), lead::Model>, sea_orm::DbErr> {
    // One statement may not update a row twice.
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<_> = regs.iter().rev().filter(|(org, reg)| seen.insert((*org, reg.email.as_str()))).collect();
    rows.reverse();
    let mut ids = std::collections::HashMap::new();
    for chunk in rows.chunks(128) {
        let models = chunk.iter().map(|(org, reg)| lead_of(*org, reg));
        for lead in lead::Entity::insert_many(models).on_conflict(lead_update()).exec_with_returning(db).await? {
            if let Some(email) = lead.email.clone() {
                ids.insert((lead.organization_id, email), lead);
            }
        }
    }
    Ok(ids)
}

fn lead_of(organization_id: i32, reg: &registration::Model) -> lead::ActiveModel {
    lead::ActiveModel {
        organization_id: Set(organization_id),
        email: Set(Some(reg.email.clone())),
        name: Set(reg.name.clone()),
        job_title: Set(reg.job_title.clone()),
        phone: Set(reg.phone.clone()),
        language: Set(reg.language),
        company: Set(reg.company.clone()),
        country: Set(reg.country.clone()),
        sector: Set(String::new()),
        top500: Set(false),
        industry_chains: Set(reg.industry_chains.clone()),
        promotion_method: Set(None),
        hometown_return: Set(false),
        owner_id: Set(None),
        notes: Set(String::new()),
        stage: Set(Stage::New),
        lost_reason: Set(String::new()),
        consent_data_at: Set(Some(reg.consent_data_at)),
        consent_data_version: Set(reg.consent_data_version.clone()),
        consent_marketing_at: Set(reg.consent_marketing_at),
        consent_source: Set(reg.consent_source),
        created_at: Set(reg.created_at),
        updated_at: Set(reg.updated_at),
        ..Default::default()
    }
}

/// What registering again changes on an existing lead: what the person typed and their
/// consents; what organizers manage stays.
fn lead_update() -> OnConflict {
    use lead::Column as C;
    OnConflict::columns([C::OrganizationId, C::Email])
        .update_columns([
            C::Name,
            C::JobTitle,
            C::Phone,
            C::Language,
            C::Company,
            C::Country,
            C::IndustryChains,
            C::ConsentDataAt,
            C::ConsentDataVersion,
            C::ConsentMarketingAt,
            C::ConsentSource,
            C::UpdatedAt,
        ])
        .to_owned()
}

/// The row saying the lead was met at `event` through registration `reg`.
pub fn met_at_registration(lead_id: i32, event: &event::Model, reg: &registration::Model) -> lead_event::ActiveModel {
    lead_event::ActiveModel {
        lead_id: Set(lead_id),
        event_id: Set(event.id),
        registration_id: Set(Some(reg.id)),
        source: Set(MetSource::Registration),
        created_at: Set(reg.updated_at),
    }
}

/// Inserts `rows` in one statement; a lead already met at an event keeps its row, which
/// now points at the registration.
pub async fn save_met_at(
    db: &impl ConnectionTrait,
    mut rows: Vec<lead_event::ActiveModel>,
) -> Result<(), sea_orm::DbErr> {
    // One statement may not update a row twice: the last row for a lead and event wins.
    let key = |r: &lead_event::ActiveModel| (r.lead_id.clone().unwrap(), r.event_id.clone().unwrap());
    let mut seen = std::collections::HashSet::new();
    rows.reverse();
    rows.retain(|r| seen.insert(key(r)));
    if rows.is_empty() {
        return Ok(());
    }
    lead_event::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([lead_event::Column::LeadId, lead_event::Column::EventId])
                .update_column(lead_event::Column::RegistrationId)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Tags `lead_id` with `event_id` as met there (a registration's own source stays).
async fn met_at_event(
    db: &impl ConnectionTrait,
    lead_id: i32,
    event_id: i32,
    registration_id: Option<i32>,
    source: MetSource,
) -> Result<(), sea_orm::DbErr> {
    lead_event::Entity::insert(lead_event::ActiveModel {
        lead_id: Set(lead_id),
        event_id: Set(event_id),
        registration_id: Set(registration_id),
        source: Set(source),
        created_at: Set(Utc::now()),
    })
    .on_conflict(OnConflict::columns([lead_event::Column::LeadId, lead_event::Column::EventId]).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// How a lead typed by an organizer came in: its consent source, history kind and the
/// source of its event tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Intake {
    /// By hand, or at the door of an event.
    Capture,
    /// From a CSV file.
    Import,
}

/// A lead typed in by an organizer (at the door when `event_id` is set). The same email
/// as an existing lead fills that lead's blanks and adds the note instead of creating a
/// second one.
pub async fn capture(
    db: &DatabaseConnection,
    member: &Member,
    event_id: Option<i32>,
    valid: ValidLead,
) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    let event = match event_id {
        Some(id) => Some(crate::events::ssr::find_owned(&txn, member.organization_id, id).await?),
        None => None,
    };
    let (lead_id, _) = take_in(&txn, member, event.as_ref(), &valid, &[], Intake::Capture).await?;
    txn.commit().await?;
    Ok(lead_id)
}

/// Imports checked rows of a CSV file in one transaction (a chunk of the file is all or
/// nothing): each creates a lead or fills the blanks of the lead with its email. Returns
/// how many leads were created and how many updated.
pub async fn import(
    db: &DatabaseConnection,
    member: &Member,
    event_id: Option<i32>,
    tags: &[String],
    rows: Vec<(u32, ValidLead)>,
) -> Result<(u32, u32), AppError> {
    let txn = begin_write(db).await?;
    let event = match event_id {
        Some(id) => Some(crate::events::ssr::find_owned(&txn, member.organization_id, id).await?),
        None => None,
    };
    let (mut created, mut updated) = (0, 0);
    for (_, valid) in &rows {
        let (_, new) = take_in(&txn, member, event.as_ref(), valid, tags, Intake::Import).await?;
        if new {
            created += 1;
        } else {
            updated += 1;
        }
    }
    txn.commit().await?;
    Ok((created, updated))
}

/// Creates the lead, or fills the blanks of the one with the same email, inside `txn`;
/// tags it with `extra_tags` and with `event` as met there. Returns its id and whether
/// it is new.
async fn take_in(
    txn: &impl ConnectionTrait,
    member: &Member,
    event: Option<&event::Model>,
    valid: &ValidLead,
    extra_tags: &[String],
    intake: Intake,
) -> Result<(i32, bool), AppError> {
    let now = Utc::now();
    let existing = match &valid.email {
        Some(email) => {
            lead::Entity::find()
                .filter(lead::Column::OrganizationId.eq(member.organization_id))
                .filter(lead::Column::Email.eq(email.as_str()))
                .one(txn)
                .await?
        }
        None => None,
    };
    let mut tags = valid.tags.clone();
    tags.extend(extra_tags.iter().filter(|t| !valid.tags.contains(t)).cloned());
    let (lead_id, new) = match existing {
        Some(lead) => {
            let id = lead.id;
            let mut merged = lead.clone();
            fill_blanks(&mut merged, valid);
            if merged != lead {
                let mut model = lead::ActiveModel::from(merged).reset_all();
                model.updated_at = Set(now);
                model.update(txn).await?;
            }
            let mut held = tags_of(txn, id).await?;
            let before = held.len();
            held.extend(tags.iter().filter(|t| !held.contains(t)).cloned().collect::<Vec<_>>());
            if held.len() != before {
                set_tags(txn, id, &held).await?;
            }
            (id, false)
        }
        None => {
            let consent_source = match (intake, event) {
                (Intake::Import, _) => ConsentSource::Import,
                (Intake::Capture, Some(_)) => ConsentSource::Door,
                (Intake::Capture, None) => ConsentSource::Organizer,
            };
            let mut model = lead::ActiveModel {
                organization_id: Set(member.organization_id),
                owner_id: Set(Some(member.user_id)),
                stage: Set(Stage::New),
                lost_reason: Set(String::new()),
                consent_data_at: Set(None),
                consent_data_version: Set(String::new()),
                consent_marketing_at: Set(None),
                consent_source: Set(consent_source),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            set_details(&mut model, valid);
            let saved = model.insert(txn).await?;
            set_tags(txn, saved.id, &tags).await?;
            let data = crate::webhooks::ssr::lead_data(&saved);
            let created = crate::domain::WebhookEvent::LeadCreated;
            crate::webhooks::ssr::emit(txn, vec![(saved.organization_id, created, data)]).await?;
            (saved.id, true)
        }
    };
    let (kind, source) = match intake {
        Intake::Capture => (ActivityKind::Captured, MetSource::Door),
        Intake::Import => (ActivityKind::Imported, MetSource::Import),
    };
    if let Some(event) = event {
        met_at_event(txn, lead_id, event.id, None, source).await?;
    }
    let place = event.map(|e| e.title_en.clone()).unwrap_or_default();
    log(txn, lead_id, Some(member.user_id), kind, "", &place, &valid.notes).await?;
    Ok((lead_id, new))
}

/// Fills what a lead lacks from what was captured; notes are appended.
pub(super) fn fill_blanks(lead: &mut lead::Model, captured: &ValidLead) {
    let fill = |field: &mut String, value: &str| {
        if field.trim().is_empty() {
            *field = value.to_string();
        }
    };
    fill(&mut lead.phone, captured.phone.as_str());
    fill(&mut lead.job_title, &captured.job_title);
    fill(&mut lead.company, &captured.company);
    fill(&mut lead.country, &Country::stored(&captured.country));
    fill(&mut lead.sector, &captured.sector);
    if !captured.industry_chains.is_empty() {
        let mut chains = IndustryChain::split(&lead.industry_chains);
        chains.extend(captured.industry_chains.iter().filter(|c| !chains.contains(c)).copied().collect::<Vec<_>>());
        lead.industry_chains = IndustryChain::join(&chains);
    }
    lead.promotion_method = lead.promotion_method.or(captured.promotion_method);
    lead.top500 |= captured.top500;
    lead.hometown_return |= captured.hometown_return;
    // The same note twice (a file imported again) is kept once.
    if !captured.notes.trim().is_empty() && !lead.notes.contains(captured.notes.trim()) {
        if !lead.notes.is_empty() {
            lead.notes.push_str("\n\n");
        }
        lead.notes.push_str(captured.notes.trim());
    }
}

/// The guest whose QR code was scanned at the door, as a lead met at that event.
pub async fn capture_code(
    db: &DatabaseConnection,
    member: &Member,
    event_id: i32,
    code: &str,
) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    let event = crate::events::ssr::find_owned(&txn, member.organization_id, event_id).await?;
    let code = code.trim().to_uppercase();
    let reg = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::CheckInCode.eq(code))
        .one(&txn)
        .await?
        .ok_or_else(|| invalid("code", Reason::UnknownCheckInCode))?;
    record_registration(&txn, &event, &reg).await?;
    let lead = lead::Entity::find()
        .filter(lead::Column::OrganizationId.eq(member.organization_id))
        .filter(lead::Column::Email.eq(reg.email.as_str()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    log(&txn, lead.id, Some(member.user_id), ActivityKind::Captured, "", &event.title_en, "").await?;
    txn.commit().await?;
    Ok(lead.id)
}
