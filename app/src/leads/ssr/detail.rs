//! One lead: everything about it on its page, and saving its details and tags.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::auth::Member;
use crate::db::begin_write;
use crate::domain::{Country, IndustryChain};
use crate::entities::{
    event, funding_tranche, lead, lead_activity, lead_event, lead_tag, organization, outbox_message, project,
    registration,
};
use crate::error::{AppError, FieldErrors, Reason};
use crate::leads::{
    ActivityKind, LeadDetail, LeadEventView, LeadForm, MetSource, ProjectLife, ProjectView, TimelineEntry, Tranche,
    ValidLead,
};

use super::{find_owned, members};

pub(super) fn form_of(lead: &lead::Model, tags: &[String]) -> LeadForm {
    LeadForm {
        name: lead.name.clone(),
        email: lead.email.clone().unwrap_or_default(),
        phone: lead.phone.clone(),
        job_title: lead.job_title.clone(),
        language: lead.language.code().to_string(),
        company: lead.company.clone(),
        country: lead.country.clone(),
        sector: lead.sector.clone(),
        top500: if lead.top500 { "on".into() } else { String::new() },
        industry_chains: IndustryChain::split(&lead.industry_chains)
            .into_iter()
            .map(|c| (c.slug().to_string(), "on".to_string()))
            .collect(),
        promotion_method: lead.promotion_method.map(|m| m.as_str().to_string()).unwrap_or_default(),
        hometown_return: if lead.hometown_return { "on".into() } else { String::new() },
        tags: tags.join(", "),
        notes: lead.notes.clone(),
    }
}

pub(super) async fn tags_of(db: &impl ConnectionTrait, lead_id: i32) -> Result<Vec<String>, sea_orm::DbErr> {
    Ok(lead_tag::Entity::find()
        .filter(lead_tag::Column::LeadId.eq(lead_id))
        .order_by_asc(lead_tag::Column::Tag)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.tag)
        .collect())
}

async fn projects_of(
    db: &impl ConnectionTrait,
    org_id: i32,
    lead_id: i32,
    name_of: impl Fn(Option<i32>) -> Option<String>,
) -> Result<Vec<ProjectView>, sea_orm::DbErr> {
    let red_days = organization::Entity::find_by_id(org_id).one(db).await?.map_or(90, |o| o.overdue_red_days);
    let today = Utc::now().date_naive();
    let projects = project::Entity::find()
        .filter(project::Column::LeadId.eq(lead_id))
        .order_by_asc(project::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let mut tranches: BTreeMap<i32, Vec<Tranche>> = BTreeMap::new();
    for t in funding_tranche::Entity::find()
        .filter(funding_tranche::Column::ProjectId.is_in(ids))
        .order_by_asc(funding_tranche::Column::ReceivedOn)
        .all(db)
        .await?
    {
        tranches.entry(t.project_id).or_default().push(Tranche {
            id: t.id,
            amount: t.amount,
            received_on: t.received_on,
            entered_by: name_of(t.entered_by),
            verified: t.verified_at.map(|at| (name_of(t.verified_by).unwrap_or_default(), at)),
            proof: t.proof_kind.zip(t.proof_size),
        });
    }
    Ok(projects
        .into_iter()
        .map(|p| {
            let tranches = tranches.remove(&p.id).unwrap_or_default();
            let life = ProjectLife {
                registered_on: p.registered_on,
                started_on: p.started_on,
                producing_on: p.producing_on,
                planned_start_on: p.planned_start_on,
                planned_production_on: p.planned_production_on,
            };
            ProjectView {
                overdue: life.overdue(today, red_days.into()),
                life,
                id: p.id,
                name: p.name,
                industry_chain: IndustryChain::from_slug(&p.industry_chain),
                location: p.location,
                planned_investment: p.planned_investment,
                signed_on: p.signed_on,
                unit_id: p.unit_id,
                credit_code: p.credit_code,
                funds_in_place: tranches.iter().map(|t| t.amount).sum(),
                tranches,
            }
        })
        .collect())
}

pub async fn detail(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<LeadDetail, AppError> {
    let lead = find_owned(db, org_id, id).await?;
    let members = members(db, org_id).await?;
    let name_of = |id: Option<i32>| id.and_then(|id| members.iter().find(|(m, _)| *m == id).map(|(_, n)| n.clone()));
    let tags = tags_of(db, id).await?;
    let met = lead_event::Entity::find().filter(lead_event::Column::LeadId.eq(id)).all(db).await?;
    let event_ids: Vec<i32> = met.iter().map(|m| m.event_id).collect();
    let events: HashMap<i32, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(event_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let registration_ids: Vec<i32> = met.iter().filter_map(|m| m.registration_id).collect();
    let registrations =
        registration::Entity::find().filter(registration::Column::Id.is_in(registration_ids)).all(db).await?;

    let mut timeline: Vec<TimelineEntry> = Vec::new();
    let entry =
        |at, kind, to: String| TimelineEntry { at, kind, from: String::new(), to, note: String::new(), by: None };
    for r in &registrations {
        let title = events.get(&r.event_id).map(|e| e.title_en.clone()).unwrap_or_default();
        timeline.push(entry(r.created_at, ActivityKind::Registered, title.clone()));
        if let Some(at) = r.checked_in_at {
            timeline.push(entry(at, ActivityKind::CheckedIn, title));
        }
    }
    if let Some(email) = &lead.email {
        for m in outbox_message::Entity::find()
            .filter(outbox_message::Column::OrganizationId.eq(org_id))
            .filter(outbox_message::Column::ToAddress.eq(email.as_str()))
            .order_by_desc(outbox_message::Column::Id)
            .limit(200)
            .all(db)
            .await?
        {
            let mut e = entry(m.created_at, ActivityKind::Email, m.subject);
            e.note = m.status.as_str().to_string();
            timeline.push(e);
        }
    }
    for a in lead_activity::Entity::find()
        .filter(lead_activity::Column::LeadId.eq(id))
        .order_by_desc(lead_activity::Column::At)
        .limit(500)
        .all(db)
        .await?
    {
        timeline.push(TimelineEntry {
            at: a.at,
            kind: a.kind,
            from: a.from_value,
            to: a.to_value,
            note: a.note,
            by: name_of(a.user_id),
        });
    }
    timeline.sort_by_key(|e| std::cmp::Reverse(e.at));

    let checked_in: HashMap<i32, bool> =
        registrations.iter().map(|r| (r.event_id, r.checked_in_at.is_some())).collect();
    let mut event_views: Vec<LeadEventView> = met
        .iter()
        .filter_map(|m| {
            let e = events.get(&m.event_id)?;
            Some(LeadEventView {
                event_id: e.id,
                title_zh: e.title_zh.clone(),
                title_en: e.title_en.clone(),
                starts_at: e.starts_at,
                source: m.source,
                checked_in: checked_in.get(&e.id).copied().unwrap_or(false) || m.source == MetSource::Door,
            })
        })
        .collect();
    event_views.sort_by_key(|e| std::cmp::Reverse(e.starts_at));

    Ok(LeadDetail {
        id: lead.id,
        stage: lead.stage,
        lost_reason: lead.lost_reason.clone(),
        owner_id: lead.owner_id,
        form: form_of(&lead, &tags),
        consent_data_at: lead.consent_data_at,
        consent_data_version: lead.consent_data_version.clone(),
        consent_marketing_at: lead.consent_marketing_at,
        consent_source: lead.consent_source,
        created_at: lead.created_at,
        events: event_views,
        projects: projects_of(db, org_id, id, name_of).await?,
        timeline,
        members,
        units: crate::units::ssr::names(db, org_id).await?,
    })
}

/// Replaces a lead's tags.
pub(super) async fn set_tags(db: &impl ConnectionTrait, lead_id: i32, tags: &[String]) -> Result<(), sea_orm::DbErr> {
    lead_tag::Entity::delete_many().filter(lead_tag::Column::LeadId.eq(lead_id)).exec(db).await?;
    if !tags.is_empty() {
        lead_tag::Entity::insert_many(
            tags.iter().map(|t| lead_tag::ActiveModel { lead_id: Set(lead_id), tag: Set(t.clone()) }),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Another lead of the organization already has `email`: refused, naming the field (the
/// organizer merges the two instead).
async fn check_email_free(
    db: &impl ConnectionTrait,
    org_id: i32,
    email: Option<&str>,
    except: Option<i32>,
) -> Result<(), AppError> {
    let Some(email) = email else { return Ok(()) };
    let mut query =
        lead::Entity::find().filter(lead::Column::OrganizationId.eq(org_id)).filter(lead::Column::Email.eq(email));
    if let Some(id) = except {
        query = query.filter(lead::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(AppError::Conflict(FieldErrors::single("email", Reason::EmailTaken)));
    }
    Ok(())
}

pub(super) fn set_details(model: &mut lead::ActiveModel, lead: &ValidLead) {
    model.name = Set(lead.name.clone());
    model.email = Set(lead.email.as_ref().map(|e| e.as_str().to_string()));
    model.phone = Set(lead.phone.as_str().to_string());
    model.job_title = Set(lead.job_title.clone());
    model.language = Set(lead.language);
    model.company = Set(lead.company.clone());
    model.country = Set(Country::stored(&lead.country));
    model.sector = Set(lead.sector.clone());
    model.top500 = Set(lead.top500);
    model.industry_chains = Set(IndustryChain::join(&lead.industry_chains));
    model.promotion_method = Set(lead.promotion_method);
    model.hometown_return = Set(lead.hometown_return);
    model.notes = Set(lead.notes.clone());
}

pub async fn save(db: &DatabaseConnection, member: &Member, id: i32, valid: ValidLead) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let lead = find_owned(&txn, member.organization_id, id).await?;
    check_email_free(&txn, member.organization_id, valid.email.as_ref().map(|e| e.as_str()), Some(id)).await?;
    let mut model: lead::ActiveModel = lead.into();
    set_details(&mut model, &valid);
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    set_tags(&txn, id, &valid.tags).await?;
    txn.commit().await?;
    Ok(())
}
