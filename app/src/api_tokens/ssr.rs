//! Creating, listing, revoking and recognizing API tokens.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use super::{ApiTokenRow, ValidApiToken};
use crate::auth::{Member, Role};
use crate::crypto::{random_hex, sha256_hex};
use crate::domain::ApiScope;
use crate::entities::{api_token, membership, organization, user};
use crate::error::AppError;

/// Every token starts so, which tells it apart in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "rsk_";

/// How often the "last used" time is written at most: not a write per request.
const LAST_USED_EVERY: Duration = Duration::seconds(60);

/// Creates a token for `owner`'s organization; its id and the token, shown once.
pub async fn create(db: &DatabaseConnection, owner: &Member, valid: ValidApiToken) -> Result<(i32, String), AppError> {
    let token = format!("{TOKEN_PREFIX}{}", random_hex::<24>());
    let now = Utc::now();
    let row = api_token::ActiveModel {
        organization_id: Set(owner.organization_id),
        name: Set(valid.name),
        prefix: Set(token.chars().take(TOKEN_PREFIX.len() + 6).collect()),
        token_hash: Set(sha256_hex(&token)),
        scope: Set(valid.scope),
        created_by: Set(owner.user_id),
        created_at: Set(now),
        expires_at: Set(valid.expires_in_days.map(|days| now + Duration::days(days))),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((row.id, token))
}

pub async fn list(db: &DatabaseConnection, org_id: i32) -> Result<Vec<ApiTokenRow>, AppError> {
    let rows = api_token::Entity::find()
        .filter(api_token::Column::OrganizationId.eq(org_id))
        .order_by_desc(api_token::Column::Id)
        .find_also_related(user::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, creator)| ApiTokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            scope: t.scope,
            created_by: creator.map(|u| u.name).unwrap_or_default(),
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        })
        .collect())
}

/// Revokes one of the organization's tokens (another organization's: not found).
pub async fn revoke(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<(), AppError> {
    let token = api_token::Entity::find_by_id(id)
        .filter(api_token::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if token.revoked_at.is_none() {
        let mut token: api_token::ActiveModel = token.into();
        token.revoked_at = Set(Some(Utc::now()));
        token.update(db).await?;
    }
    Ok(())
}

/// Who a request bearing `token` acts as: its organization, with the rights of its scope
/// (a viewer's, or an organizer's), never more than its creator still has. `None` for a
/// token unknown, expired, revoked, or whose creator left the organization.
pub async fn authenticate(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Option<(api_token::Model, Member)>, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let now = Utc::now();
    let Some(row) =
        api_token::Entity::find().filter(api_token::Column::TokenHash.eq(sha256_hex(token))).one(db).await?
    else {
        return Ok(None);
    };
    if row.revoked_at.is_some() || row.expires_at.is_some_and(|at| at <= now) {
        return Ok(None);
    }
    let Some((membership, Some(org))) = membership::Entity::find_by_id((row.created_by, row.organization_id))
        .find_also_related(organization::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let granted = match row.scope {
        ApiScope::Read => Role::Viewer,
        ApiScope::ReadWrite => Role::Organizer,
    };
    let member = Member {
        user_id: row.created_by,
        name: format!("API: {}", row.name),
        email: String::new(),
        organization_id: org.id,
        organization_name: org.name,
        role: granted.min(membership.role),
        unit_id: None,
        organizations: Vec::new(),
    };
    if row.last_used_at.is_none_or(|at| now - at >= LAST_USED_EVERY) {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, sea_orm::sea_query::Expr::value(now))
            .filter(api_token::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(Some((row, member)))
}
