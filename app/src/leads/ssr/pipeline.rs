//! Moving leads through the pipeline: stage and owner (one or many), notes, merging
//! two records of one person, bulk changes.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use crate::auth::Member;
use crate::db::begin_write;
use crate::entities::{lead, lead_activity, lead_event, lead_tag, project};
use crate::error::{AppError, Reason};
use crate::leads::{ActivityKind, BulkForm, LeadForm, Stage, ValidLead};

use super::{fill_blanks, find_owned, form_of, invalid, log, members, set_tags, tags_of};

/// The leads among `ids` that belong to the organization.
async fn owned_many(db: &impl ConnectionTrait, org_id: i32, ids: &[i32]) -> Result<Vec<lead::Model>, AppError> {
    if ids.len() > 1000 {
        return Err(invalid("ids", Reason::OutOfRange { min: 1, max: 1000 }));
    }
    Ok(lead::Entity::find()
        .filter(lead::Column::OrganizationId.eq(org_id))
        .filter(lead::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

pub async fn change_stage(
    db: &DatabaseConnection,
    member: &Member,
    ids: &[i32],
    stage: Stage,
    reason: &str,
    note: &str,
) -> Result<(), AppError> {
    if stage == Stage::Lost && reason.is_empty() {
        return Err(invalid("reason", Reason::Required));
    }
    if reason.chars().count() > 500 {
        return Err(invalid("reason", Reason::TooLong { max: 500 }));
    }
    let txn = begin_write(db).await?;
    let leads = owned_many(&txn, member.organization_id, ids).await?;
    if leads.is_empty() {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    let mut announcements = Vec::with_capacity(leads.len());
    for lead in leads {
        if lead.stage == stage {
            continue;
        }
        let (id, from) = (lead.id, lead.stage);
        let mut model: lead::ActiveModel = lead.into();
        model.stage = Set(stage);
        model.lost_reason = Set(if stage == Stage::Lost { reason.to_string() } else { String::new() });
        model.updated_at = Set(now);
        let saved = model.update(&txn).await?;
        let mut data = crate::webhooks::ssr::lead_data(&saved);
        data["previous_stage"] = from.as_str().into();
        announcements.push((saved.organization_id, crate::domain::WebhookEvent::LeadStageChanged, data));
        let note = [reason, note].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" — ");
        log(&txn, id, Some(member.user_id), ActivityKind::Stage, from.as_str(), stage.as_str(), &note).await?;
    }
    // One read of the endpoints and one insert for the whole move (up to 1,000 leads).
    crate::webhooks::ssr::emit(&txn, announcements).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn change_owner(db: &DatabaseConnection, member: &Member, ids: &[i32], owner: &str) -> Result<(), AppError> {
    let members = members(db, member.organization_id).await?;
    let owner = match owner {
        "" | "none" => None,
        id => {
            let id = id.parse::<i32>().map_err(|_| invalid("owner", Reason::UnknownChoice))?;
            Some(members.iter().find(|(m, _)| *m == id).ok_or_else(|| invalid("owner", Reason::UnknownChoice))?)
        }
    };
    let name_of = |id: Option<i32>| id.and_then(|id| members.iter().find(|(m, _)| *m == id).map(|(_, n)| n.clone()));
    let txn = begin_write(db).await?;
    let leads = owned_many(&txn, member.organization_id, ids).await?;
    if leads.is_empty() {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    for lead in leads {
        let to = owner.map(|(id, _)| *id);
        if lead.owner_id == to {
            continue;
        }
        let (id, from) = (lead.id, name_of(lead.owner_id).unwrap_or_default());
        let mut model: lead::ActiveModel = lead.into();
        model.owner_id = Set(to);
        model.updated_at = Set(now);
        model.update(&txn).await?;
        let to_name = owner.map(|(_, n)| n.clone()).unwrap_or_default();
        log(&txn, id, Some(member.user_id), ActivityKind::Owner, &from, &to_name, "").await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn add_note(db: &DatabaseConnection, member: &Member, id: i32, note: &str) -> Result<(), AppError> {
    let note = crate::domain::text(note, true, 10_000).map_err(|r| invalid("note", r))?;
    let txn = begin_write(db).await?;
    find_owned(&txn, member.organization_id, id).await?;
    log(&txn, id, Some(member.user_id), ActivityKind::Note, "", "", &note).await?;
    touch(&txn, id).await?;
    txn.commit().await?;
    Ok(())
}

pub(super) async fn touch(db: &impl ConnectionTrait, id: i32) -> Result<(), sea_orm::DbErr> {
    lead::Entity::update_many()
        .col_expr(lead::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(lead::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Merges `other` into `keep`: events, tags, history and projects move over, blanks of
/// `keep` are filled from `other`, and `other` is deleted.
pub async fn merge(db: &DatabaseConnection, member: &Member, keep: i32, other: i32) -> Result<(), AppError> {
    if keep == other {
        return Err(invalid("other", Reason::UnknownChoice));
    }
    let txn = begin_write(db).await?;
    let kept = find_owned(&txn, member.organization_id, keep).await?;
    let gone = find_owned(&txn, member.organization_id, other).await?;

    // Events both were met at stay once, on the kept lead.
    let kept_events: Vec<i32> = lead_event::Entity::find()
        .filter(lead_event::Column::LeadId.eq(keep))
        .all(&txn)
        .await?
        .iter()
        .map(|m| m.event_id)
        .collect();
    lead_event::Entity::delete_many()
        .filter(lead_event::Column::LeadId.eq(other))
        .filter(lead_event::Column::EventId.is_in(kept_events))
        .exec(&txn)
        .await?;
    lead_event::Entity::update_many()
        .col_expr(lead_event::Column::LeadId, Expr::value(keep))
        .filter(lead_event::Column::LeadId.eq(other))
        .exec(&txn)
        .await?;
    let mut tags = tags_of(&txn, keep).await?;
    tags.extend(tags_of(&txn, other).await?.into_iter().filter(|t| !tags.contains(t)).collect::<Vec<_>>());
    lead_tag::Entity::delete_many().filter(lead_tag::Column::LeadId.eq(other)).exec(&txn).await?;
    set_tags(&txn, keep, &tags).await?;
    lead_activity::Entity::update_many()
        .col_expr(lead_activity::Column::LeadId, Expr::value(keep))
        .filter(lead_activity::Column::LeadId.eq(other))
        .exec(&txn)
        .await?;
    project::Entity::update_many()
        .col_expr(project::Column::LeadId, Expr::value(keep))
        .filter(project::Column::LeadId.eq(other))
        .exec(&txn)
        .await?;

    let described = match &gone.email {
        Some(email) => format!("{} <{email}>", gone.name),
        None => gone.name.clone(),
    };
    let gone_email = gone.email.clone();
    let mut merged = kept.clone();
    fill_blanks(
        &mut merged,
        // The other record's details pass the lead form's rules like any others.
        &ValidLead::try_from(&LeadForm { email: String::new(), tags: String::new(), ..form_of(&gone, &[]) })
            .map_err(AppError::Invalid)?,
    );
    if merged.owner_id.is_none() {
        merged.owner_id = gone.owner_id;
    }
    // The further along of the two stages stays (a lost lead yields to a live one).
    let rank = |s: Stage| if s == Stage::Lost { -1 } else { s as i32 };
    if rank(gone.stage) > rank(merged.stage) {
        merged.stage = gone.stage;
        merged.lost_reason = String::new();
    }
    lead::Entity::delete_by_id(other).exec(&txn).await?;
    if merged.email.is_none() {
        merged.email = gone_email;
    }
    let mut model = lead::ActiveModel::from(merged).reset_all();
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    log(&txn, keep, Some(member.user_id), ActivityKind::Merged, &described, "", "").await?;
    txn.commit().await?;
    Ok(())
}

pub async fn bulk(db: &DatabaseConnection, member: &Member, change: &BulkForm) -> Result<u64, AppError> {
    let ids: Vec<i32> = change.ids.keys().filter_map(|k| k.parse().ok()).collect();
    if ids.is_empty() {
        return Err(invalid("ids", Reason::Required));
    }
    let count = owned_many(db, member.organization_id, &ids).await?.len() as u64;
    if count == 0 {
        return Err(AppError::NotFound);
    }
    match change.action.as_str() {
        "owner" => change_owner(db, member, &ids, change.value.trim()).await?,
        "stage" => {
            let stage = Stage::parse(&change.value).ok_or_else(|| invalid("value", Reason::UnknownChoice))?;
            change_stage(db, member, &ids, stage, "", "").await?
        }
        "add_tag" | "remove_tag" => {
            let tags = crate::leads::parse_tags(&change.value).map_err(|r| invalid("value", r))?;
            let [tag] = tags.as_slice() else { return Err(invalid("value", Reason::Required)) };
            let txn = begin_write(db).await?;
            let leads = owned_many(&txn, member.organization_id, &ids).await?;
            let lead_ids: Vec<i32> = leads.iter().map(|l| l.id).collect();
            lead_tag::Entity::delete_many()
                .filter(lead_tag::Column::LeadId.is_in(lead_ids.clone()))
                .filter(lead_tag::Column::Tag.eq(tag.as_str()))
                .exec(&txn)
                .await?;
            if change.action == "add_tag" {
                lead_tag::Entity::insert_many(
                    lead_ids.iter().map(|id| lead_tag::ActiveModel { lead_id: Set(*id), tag: Set(tag.clone()) }),
                )
                .exec_without_returning(&txn)
                .await?;
            }
            lead::Entity::update_many()
                .col_expr(lead::Column::UpdatedAt, Expr::value(Utc::now()))
                .filter(lead::Column::Id.is_in(lead_ids))
                .exec(&txn)
                .await?;
            txn.commit().await?;
        }
        _ => return Err(invalid("action", Reason::UnknownChoice)),
    }
    Ok(count)
}
