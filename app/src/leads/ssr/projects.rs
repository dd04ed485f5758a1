//! A lead's projects and the money in place: saving a project, adding a tranche.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};

use crate::auth::Member;
use crate::db::begin_write;
use crate::domain::Yuan;
use crate::entities::{funding_tranche, project};
use crate::error::AppError;
use crate::leads::{ActivityKind, ValidProject};

use super::{find_owned, log, touch};

/// The project `project_id` of a lead of the organization, with that lead.
async fn owned_project(db: &impl ConnectionTrait, org_id: i32, project_id: i32) -> Result<project::Model, AppError> {
    let project = project::Entity::find_by_id(project_id).one(db).await?.ok_or(AppError::NotFound)?;
    find_owned(db, org_id, project.lead_id).await?;
    Ok(project)
}

pub async fn save_project(
    db: &DatabaseConnection,
    member: &Member,
    lead_id: i32,
    project_id: Option<i32>,
    valid: ValidProject,
) -> Result<i32, AppError> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    find_owned(&txn, member.organization_id, lead_id).await?;
    let (mut model, before): (project::ActiveModel, Option<i64>) = match project_id {
        Some(id) => {
            let project = owned_project(&txn, member.organization_id, id).await?;
            if project.lead_id != lead_id {
                return Err(AppError::NotFound);
            }
            let before = project.planned_investment;
            (project.into(), Some(before))
        }
        None => (project::ActiveModel { lead_id: Set(lead_id), created_at: Set(now), ..Default::default() }, None),
    };
    model.name = Set(valid.name.clone());
    model.industry_chain = Set(valid.industry_chain.map(|c| c.slug().to_string()).unwrap_or_default());
    model.location = Set(valid.location);
    model.planned_investment = Set(valid.planned_investment.get());
    model.signed_on = Set(valid.signed_on);
    model.updated_at = Set(now);
    let saved = model.save(&txn).await?;
    let id = *saved.id.as_ref();
    if before != Some(valid.planned_investment.get()) {
        let from = before.map(|b| b.to_string()).unwrap_or_default();
        log(
            &txn,
            lead_id,
            Some(member.user_id),
            ActivityKind::Amount,
            &from,
            &valid.planned_investment.get().to_string(),
            &valid.name,
        )
        .await?;
    }
    touch(&txn, lead_id).await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn add_tranche(
    db: &DatabaseConnection,
    member: &Member,
    project_id: i32,
    amount: Yuan,
    received_on: NaiveDate,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let project = owned_project(&txn, member.organization_id, project_id).await?;
    funding_tranche::ActiveModel {
        project_id: Set(project.id),
        amount: Set(amount.get()),
        received_on: Set(received_on),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    log(
        &txn,
        project.lead_id,
        Some(member.user_id),
        ActivityKind::Funds,
        &received_on.to_string(),
        &amount.get().to_string(),
        &project.name,
    )
    .await?;
    touch(&txn, project.lead_id).await?;
    txn.commit().await?;
    Ok(())
}
