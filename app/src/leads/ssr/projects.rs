//! A lead's projects and the money in place: saving a project, adding a tranche.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};

use crate::auth::Member;
use crate::auth::Role;
use crate::db::begin_write;
use crate::domain::{CreditCode, Yuan};
use crate::entities::{funding_tranche, project};
use crate::error::{AppError, FieldErrors, Reason};
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
    let org_id = member.organization_id;
    let txn = begin_write(db).await?;
    find_owned(&txn, org_id, lead_id).await?;
    let existing = match project_id {
        Some(id) => {
            let project = owned_project(&txn, org_id, id).await?;
            if project.lead_id != lead_id {
                return Err(AppError::NotFound);
            }
            Some(project)
        }
        None => None,
    };
    // The unit credited: kept once set (moving is an owner's action); otherwise the one the
    // form names, and a member of a unit reports for that unit only.
    let unit_id = match existing.as_ref().and_then(|p| p.unit_id) {
        Some(unit_id) => Some(unit_id),
        None => valid.unit_id.or(member.unit_id.filter(|_| member.role < Role::Owner)),
    };
    if member.role < Role::Owner
        && let Some(own) = member.unit_id
        && unit_id != Some(own)
    {
        return Err(match existing {
            Some(_) => AppError::Forbidden,
            None => AppError::Invalid(FieldErrors::single("unit_id", Reason::NotYourUnit)),
        });
    }
    if let Some(unit_id) = unit_id {
        crate::units::ssr::chosen(&txn, org_id, "unit_id", unit_id).await?;
    }
    let before = existing.as_ref().map(|p| p.planned_investment);
    let old_code = existing.as_ref().and_then(|p| p.credit_code.clone().zip(p.unit_id));
    let mut model: project::ActiveModel = match existing {
        Some(project) => project.into(),
        None => project::ActiveModel { lead_id: Set(lead_id), created_at: Set(now), ..Default::default() },
    };
    model.name = Set(valid.name.clone());
    model.industry_chain = Set(valid.industry_chain.map(|c| c.slug().to_string()).unwrap_or_default());
    model.location = Set(valid.location);
    model.planned_investment = Set(valid.planned_investment.get());
    model.signed_on = Set(valid.signed_on);
    model.unit_id = Set(unit_id);
    model.credit_code = Set(valid.credit_code.as_ref().map(|c| c.as_str().to_string()));
    model.updated_at = Set(now);
    let saved = model.save(&txn).await?;
    let id = *saved.id.as_ref();
    if let Some((code, unit)) = old_code {
        crate::units::ssr::release_credit_code(&txn, org_id, &code, unit).await?;
    }
    if let (Some(code), Some(unit)) = (&valid.credit_code, unit_id) {
        crate::units::ssr::claim_credit_code(&txn, org_id, code, unit).await?;
    }
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

/// Credits project `project_id` to `unit_id` (an owner's action), with its company's
/// credit code when no other project of the old unit still carries it.
pub async fn move_project(
    db: &DatabaseConnection,
    member: &Member,
    project_id: i32,
    unit_id: i32,
) -> Result<(), AppError> {
    let org_id = member.organization_id;
    let txn = begin_write(db).await?;
    let project = owned_project(&txn, org_id, project_id).await?;
    let to = crate::units::ssr::chosen(&txn, org_id, "unit_id", unit_id).await?;
    if project.unit_id == Some(to.id) {
        return Ok(());
    }
    let from = match project.unit_id {
        Some(id) => Some(crate::units::ssr::find_owned(&txn, org_id, id).await?),
        None => None,
    };
    let (lead_id, name, code) = (project.lead_id, project.name.clone(), project.credit_code.clone());
    let mut model: project::ActiveModel = project.into();
    model.unit_id = Set(Some(to.id));
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    if let Some(code) = code {
        if let Some(from) = &from {
            crate::units::ssr::release_credit_code(&txn, org_id, &code, from.id).await?;
        }
        let code = CreditCode::optional(&code).ok().flatten().ok_or(AppError::NotFound)?;
        crate::units::ssr::claim_credit_code(&txn, org_id, &code, to.id).await?;
    }
    let from_name = from.map(|u| u.name_zh).unwrap_or_default();
    log(&txn, lead_id, Some(member.user_id), ActivityKind::Unit, &from_name, &to.name_zh, &name).await?;
    touch(&txn, lead_id).await?;
    txn.commit().await?;
    Ok(())
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
