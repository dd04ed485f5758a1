//! A lead's projects and the money in place: saving a project, adding a tranche.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TryIntoModel};

use crate::auth::Member;
use crate::auth::Role;
use crate::db::begin_write;
use crate::domain::{CreditCode, ProofKind, Yuan};
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
    let steps_before = existing.as_ref().map(|p| [p.registered_on, p.started_on, p.producing_on]).unwrap_or_default();
    let old_code = existing.as_ref().and_then(|p| p.credit_code.clone().zip(p.unit_id));
    let signed_before = existing.as_ref().and_then(|p| p.signed_on);
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
    let life = valid.life;
    model.registered_on = Set(life.registered_on);
    model.started_on = Set(life.started_on);
    model.producing_on = Set(life.producing_on);
    model.planned_start_on = Set(life.planned_start_on);
    model.planned_production_on = Set(life.planned_production_on);
    model.updated_at = Set(now);
    let saved = model.save(&txn).await?;
    let id = *saved.id.as_ref();
    if signed_before.is_none() && valid.signed_on.is_some() {
        let data = crate::webhooks::ssr::project_data(&saved.clone().try_into_model()?);
        crate::webhooks::ssr::emit(&txn, vec![(org_id, crate::domain::WebhookEvent::ProjectSigned, data)]).await?;
    }
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
    // Each step newly dated (or re-dated) goes into the lead's history.
    let steps_now = [life.registered_on, life.started_on, life.producing_on];
    for ((step, was), now) in ["registered", "started", "producing"].into_iter().zip(steps_before).zip(steps_now) {
        if let Some(day) = now.filter(|_| now != was) {
            log(&txn, lead_id, Some(member.user_id), ActivityKind::Progress, step, &day.to_string(), &valid.name)
                .await?;
        }
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
    editable(member, &project)?;
    let tranche = funding_tranche::ActiveModel {
        project_id: Set(project.id),
        amount: Set(amount.get()),
        received_on: Set(received_on),
        entered_by: Set(Some(member.user_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let data = crate::webhooks::ssr::tranche_data(&tranche);
    let received = crate::domain::WebhookEvent::TrancheReceived;
    crate::webhooks::ssr::emit(&txn, vec![(member.organization_id, received, data)]).await?;
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

/// A member of a unit changes their unit's projects only (and their funds); owners, and
/// members of no unit, any project of the organization.
fn editable(member: &Member, project: &project::Model) -> Result<(), AppError> {
    if project.unit_id.is_none_or(|unit| member.works_for(unit)) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The tranche `tranche_id` of a project of the organization, with that project.
async fn owned_tranche(
    db: &impl ConnectionTrait,
    org_id: i32,
    tranche_id: i32,
) -> Result<(funding_tranche::Model, project::Model), AppError> {
    let tranche = funding_tranche::Entity::find_by_id(tranche_id).one(db).await?.ok_or(AppError::NotFound)?;
    let project = owned_project(db, org_id, tranche.project_id).await?;
    Ok((tranche, project))
}

/// Marks a tranche checked by `member`, who must not be the member who entered it.
/// Verifying twice keeps the first verification.
pub async fn verify_tranche(db: &DatabaseConnection, member: &Member, tranche_id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let (tranche, project) = owned_tranche(&txn, member.organization_id, tranche_id).await?;
    editable(member, &project)?;
    if tranche.verified_at.is_some() {
        return Ok(());
    }
    if tranche.entered_by == Some(member.user_id) {
        return Err(AppError::Invalid(FieldErrors::single("tranche_id", Reason::VerifyOwnEntry)));
    }
    let (amount, received_on) = (tranche.amount, tranche.received_on);
    let mut model: funding_tranche::ActiveModel = tranche.into();
    model.verified_by = Set(Some(member.user_id));
    model.verified_at = Set(Some(Utc::now()));
    model.update(&txn).await?;
    log(
        &txn,
        project.lead_id,
        Some(member.user_id),
        ActivityKind::Verified,
        &received_on.to_string(),
        &amount.to_string(),
        &project.name,
    )
    .await?;
    touch(&txn, project.lead_id).await?;
    txn.commit().await?;
    Ok(())
}

/// The file a proof is kept in under the files folder.
fn proof_path(files_dir: &Path, key: &str) -> PathBuf {
    files_dir.join("proofs").join(key)
}

/// Attaches `bytes` as the proof of tranche `tranche_id`, replacing an earlier proof. The
/// kind is read from the content; a verified tranche's proof is kept as it was checked.
pub async fn attach_proof(
    db: &DatabaseConnection,
    files_dir: &Path,
    member: &Member,
    tranche_id: i32,
    bytes: &[u8],
) -> Result<(), AppError> {
    if bytes.len() > ProofKind::MAX_BYTES {
        return Err(AppError::Invalid(FieldErrors::single("proof", Reason::ProofTooLarge)));
    }
    let kind = ProofKind::sniff(bytes)
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("proof", Reason::ProofNotAllowedKind)))?;
    let (tranche, project) = owned_tranche(db, member.organization_id, tranche_id).await?;
    editable(member, &project)?;
    if tranche.verified_at.is_some() {
        return Err(AppError::Conflict(FieldErrors::single("proof", Reason::AlreadyVerified)));
    }
    // Written under a new random name first, then recorded: a failed write leaves no row
    // pointing at a missing file, and the old file goes once the new one is recorded.
    let key = format!("{}.{}", crate::crypto::random_hex::<16>(), kind.extension());
    let path = proof_path(files_dir, &key);
    let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let data = bytes.to_vec();
    let written = path.clone();
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&folder)?;
        std::fs::write(&written, data)
    })
    .await
    .map_err(|e| AppError::internal(e.into()))?
    .map_err(|e| AppError::internal(anyhow::anyhow!("writing proof file {}: {e}", path.display())))?;
    let txn = begin_write(db).await?;
    let (tranche, _) = owned_tranche(&txn, member.organization_id, tranche_id).await?;
    let old = tranche.proof_key.clone();
    let mut model: funding_tranche::ActiveModel = tranche.into();
    model.proof_kind = Set(Some(kind));
    model.proof_size = Set(Some(bytes.len() as i64));
    model.proof_key = Set(Some(key));
    if let Err(e) = async {
        model.update(&txn).await?;
        txn.commit().await
    }
    .await
    {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e.into());
    }
    if let Some(old) = old {
        let _ = tokio::fs::remove_file(proof_path(files_dir, &old)).await;
    }
    Ok(())
}

/// A tranche's proof file: its kind and bytes, for a member of the organization.
pub async fn proof(
    db: &DatabaseConnection,
    files_dir: &Path,
    org_id: i32,
    tranche_id: i32,
) -> Result<(ProofKind, Vec<u8>), AppError> {
    let (tranche, _) = owned_tranche(db, org_id, tranche_id).await?;
    let (Some(kind), Some(key)) = (tranche.proof_kind, tranche.proof_key) else {
        return Err(AppError::NotFound);
    };
    let bytes = tokio::fs::read(proof_path(files_dir, &key))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("proof file of tranche {tranche_id}: {e}")))?;
    Ok((kind, bytes))
}

/// The lead a tranche's project belongs to, for going back to its page.
pub async fn lead_of_tranche(db: &DatabaseConnection, org_id: i32, tranche_id: i32) -> Result<i32, AppError> {
    Ok(owned_tranche(db, org_id, tranche_id).await?.1.lead_id)
}
