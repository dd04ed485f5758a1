//! Server side of promotion units: the list, saving and deleting, members' units, and
//! the rule that a company counts for one unit.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{FigureSettings, UnitRow, Units, ValidUnit};
use crate::db::{begin_write, is_unique_violation};
use crate::domain::CreditCode;
use crate::entities::{lead, membership, organization, project, unit, unit_credit_code};
use crate::error::{AppError, FieldErrors, Reason};

/// Unit `id` of the organization.
pub async fn find_owned(db: &impl ConnectionTrait, org_id: i32, id: i32) -> Result<unit::Model, AppError> {
    unit::Entity::find_by_id(id)
        .filter(unit::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Unit `id` of the organization as a form names it: one of another organization, or
/// none, is an unknown choice of `field`.
pub async fn chosen(db: &impl ConnectionTrait, org_id: i32, field: &str, id: i32) -> Result<unit::Model, AppError> {
    find_owned(db, org_id, id).await.map_err(|e| match e {
        AppError::NotFound => AppError::Invalid(FieldErrors::single(field, Reason::UnknownChoice)),
        e => e,
    })
}

async fn units_of(db: &impl ConnectionTrait, org_id: i32) -> Result<Vec<unit::Model>, sea_orm::DbErr> {
    unit::Entity::find()
        .filter(unit::Column::OrganizationId.eq(org_id))
        .order_by_asc(unit::Column::NameZh)
        .all(db)
        .await
}

/// Depth first: each unit followed by the units under it, with its depth.
fn in_tree_order(units: &[unit::Model]) -> Vec<(&unit::Model, u32)> {
    let children = |parent: Option<i32>| units.iter().filter(move |u| u.parent_id == parent).rev();
    let mut ordered = Vec::with_capacity(units.len());
    let mut pending: Vec<(&unit::Model, u32)> = children(None).map(|u| (u, 0)).collect();
    while let Some((u, depth)) = pending.pop() {
        ordered.push((u, depth));
        pending.extend(children(Some(u.id)).map(|c| (c, depth + 1)));
    }
    ordered
}

/// The organization's units `(id, Chinese name, English name)` in tree order, for a form
/// that names one (no counts: one query).
pub async fn names(db: &impl ConnectionTrait, org_id: i32) -> Result<Vec<(i32, String, String)>, sea_orm::DbErr> {
    let units = units_of(db, org_id).await?;
    Ok(in_tree_order(&units).into_iter().map(|(u, _)| (u.id, u.name_zh.clone(), u.name_en.clone())).collect())
}

/// The organization's units in tree order, each with its depth (0 for a top unit).
pub async fn tree(db: &impl ConnectionTrait, org_id: i32) -> Result<Vec<(unit::Model, u32)>, sea_orm::DbErr> {
    let units = units_of(db, org_id).await?;
    Ok(in_tree_order(&units).into_iter().map(|(u, depth)| (u.clone(), depth)).collect())
}

pub async fn list(db: &DatabaseConnection, org_id: i32) -> Result<Units, AppError> {
    let units = units_of(db, org_id).await?;
    let projects: HashMap<i32, i64> = project::Entity::find()
        .select_only()
        .column(project::Column::UnitId)
        .column_as(project::Column::Id.count(), "n")
        .filter(project::Column::UnitId.is_in(units.iter().map(|u| u.id)))
        .group_by(project::Column::UnitId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let members = crate::auth::ssr::list_members(db, org_id).await?;
    let rows = in_tree_order(&units)
        .into_iter()
        .map(|(u, depth)| UnitRow {
            id: u.id,
            parent_id: u.parent_id,
            kind: u.kind,
            name_zh: u.name_zh.clone(),
            name_en: u.name_en.clone(),
            depth,
            members: members.iter().filter(|m| m.unit_id == Some(u.id)).count() as u64,
            projects: projects.get(&u.id).copied().unwrap_or(0) as u64,
        })
        .collect();
    Ok(Units { units: rows, members, settings: settings(db, org_id).await? })
}

/// How the organization's figures count.
pub async fn settings(db: &impl ConnectionTrait, org_id: i32) -> Result<FigureSettings, AppError> {
    let org = organization::Entity::find_by_id(org_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(FigureSettings { overdue_red_days: org.overdue_red_days, verified_funds_only: org.verified_funds_only })
}

pub async fn save_settings(db: &DatabaseConnection, org_id: i32, valid: FigureSettings) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    organization::Entity::update_many()
        .col_expr(organization::Column::OverdueRedDays, Expr::value(valid.overdue_red_days))
        .col_expr(organization::Column::VerifiedFundsOnly, Expr::value(valid.verified_funds_only))
        .filter(organization::Column::Id.eq(org_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn save(db: &DatabaseConnection, org_id: i32, id: Option<i32>, valid: ValidUnit) -> Result<i32, AppError> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    if let Some(parent) = valid.parent_id {
        chosen(&txn, org_id, "parent_id", parent).await?;
        // A unit under itself, or under one of its own units, would hang in the air.
        if let Some(id) = id {
            let mut at = Some(parent);
            while let Some(current) = at {
                if current == id {
                    return Err(AppError::Invalid(FieldErrors::single("parent_id", Reason::UnitLoop)));
                }
                at = find_owned(&txn, org_id, current).await?.parent_id;
            }
        }
    }
    let mut model: unit::ActiveModel = match id {
        Some(id) => find_owned(&txn, org_id, id).await?.into(),
        None => unit::ActiveModel { organization_id: Set(org_id), created_at: Set(now), ..Default::default() },
    };
    model.kind = Set(valid.kind);
    model.name_zh = Set(valid.name_zh);
    model.name_en = Set(valid.name_en);
    model.parent_id = Set(valid.parent_id);
    model.updated_at = Set(now);
    let saved = match model.save(&txn).await {
        Ok(saved) => saved,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Conflict(FieldErrors::single("name_zh", Reason::UnitNameTaken)));
        }
        Err(e) => return Err(e.into()),
    };
    txn.commit().await?;
    Ok(*saved.id.as_ref())
}

pub async fn delete(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let unit = find_owned(&txn, org_id, id).await?;
    let projects = project::Entity::find().filter(project::Column::UnitId.eq(unit.id)).count(&txn).await?;
    let children = unit::Entity::find().filter(unit::Column::ParentId.eq(unit.id)).count(&txn).await?;
    if projects > 0 || children > 0 {
        return Err(AppError::Conflict(FieldErrors::single("unit", Reason::UnitNotEmpty)));
    }
    membership::Entity::update_many()
        .col_expr(membership::Column::UnitId, sea_orm::sea_query::Expr::value(Option::<i32>::None))
        .filter(membership::Column::UnitId.eq(unit.id))
        .exec(&txn)
        .await?;
    unit::Entity::delete_by_id(unit.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn assign(db: &DatabaseConnection, org_id: i32, user_id: i32, unit_id: Option<i32>) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    if let Some(id) = unit_id {
        chosen(&txn, org_id, "unit_id", id).await?;
    }
    let membership = membership::Entity::find_by_id((user_id, org_id)).one(&txn).await?.ok_or(AppError::NotFound)?;
    let mut model: membership::ActiveModel = membership.into();
    model.unit_id = Set(unit_id);
    model.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Credits the company with `code` to `unit_id`, in the caller's transaction, unless another
/// unit of the organization reported it first: then the refusal names that unit, in the
/// reader's language. The key of
/// `unit_credit_code` decides between two units reporting the same company at once.
pub async fn claim_credit_code(
    txn: &impl ConnectionTrait,
    org_id: i32,
    code: &CreditCode,
    unit_id: i32,
) -> Result<(), AppError> {
    unit_credit_code::Entity::insert(unit_credit_code::ActiveModel {
        organization_id: Set(org_id),
        code: Set(code.as_str().to_string()),
        unit_id: Set(unit_id),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([unit_credit_code::Column::OrganizationId, unit_credit_code::Column::Code])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    let holder = unit_credit_code::Entity::find_by_id((org_id, code.as_str().to_string()))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if holder.unit_id == unit_id {
        return Ok(());
    }
    let unit = find_owned(txn, org_id, holder.unit_id).await?;
    let reason = Reason::CreditCodeHeldBy { unit_zh: unit.name_zh, unit_en: unit.name_en };
    Err(AppError::Conflict(FieldErrors::single("credit_code", reason)))
}

/// Lets go of `code` for `unit_id` when none of the unit's projects carries it any more
/// (a project moved or changed its code), so that another unit may report the company.
pub async fn release_credit_code(
    txn: &impl ConnectionTrait,
    org_id: i32,
    code: &str,
    unit_id: i32,
) -> Result<(), sea_orm::DbErr> {
    let still = project::Entity::find()
        .filter(project::Column::UnitId.eq(unit_id))
        .filter(project::Column::CreditCode.eq(code))
        .filter(
            project::Column::LeadId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(lead::Column::Id)
                    .from(lead::Entity)
                    .and_where(lead::Column::OrganizationId.eq(org_id))
                    .to_owned(),
            ),
        )
        .count(txn)
        .await?;
    if still == 0 {
        unit_credit_code::Entity::delete_many()
            .filter(unit_credit_code::Column::OrganizationId.eq(org_id))
            .filter(unit_credit_code::Column::Code.eq(code))
            .filter(unit_credit_code::Column::UnitId.eq(unit_id))
            .exec(txn)
            .await?;
    }
    Ok(())
}
