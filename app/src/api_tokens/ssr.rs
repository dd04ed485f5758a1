//! Creating, listing, revoking and recognizing API tokens.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

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
///
/// A token recognized in the last [`CHECKED_FOR`] is taken from `checked` (its expiry still
/// tested on every request) instead of two statements per request.
pub async fn authenticate(
    db: &DatabaseConnection,
    checked: &CheckedTokens,
    token: &str,
) -> Result<Option<(api_token::Model, Member)>, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let now = Utc::now();
    let hash = sha256_hex(token);
    if let Some((row, member)) = checked.get(&hash) {
        return Ok((!row.expires_at.is_some_and(|at| at <= now)).then_some((row, member)));
    }
    let reading = checked.reading();
    let Some(row) = api_token::Entity::find().filter(api_token::Column::TokenHash.eq(hash.as_str())).one(db).await?
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
    checked.keep(hash, &row, &member, reading);
    Ok(Some((row, member)))
}

/// How long a recognized token is taken on trust: a revocation through this process drops
/// it at once ([`CheckedTokens::forget`]), and on PostgreSQL so does any change to a token
/// or a membership made through another process (the database's change notices); a change
/// no process was told of (an edit straight in the database, a notice lost while the
/// listening connection was reopened) holds within this time.
pub const CHECKED_FOR: std::time::Duration = std::time::Duration::from_secs(1);

/// Tokens recognized in the last [`CHECKED_FOR`], by their hash (a part of `AppState`).
#[derive(Default)]
pub struct CheckedTokens {
    by_hash: Mutex<HashMap<String, (api_token::Model, Member, Instant)>>,
    /// Moves with every [`CheckedTokens::forget`]: a token read before is not kept.
    generation: AtomicU64,
}

/// When a token's read began: the generation then, and the time its trust counts from.
struct Reading(u64, Instant);

impl CheckedTokens {
    fn reading(&self) -> Reading {
        Reading(self.generation.load(Ordering::Acquire), Instant::now())
    }

    fn get(&self, hash: &str) -> Option<(api_token::Model, Member)> {
        let kept = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(hash)
            .filter(|(.., at)| at.elapsed() < CHECKED_FOR)
            .map(|(row, member, _)| (row.clone(), member.clone()))
    }

    /// Keeps what a read begun at `reading` found, unless the kept tokens were dropped since
    /// (a revocation that committed during the read).
    fn keep(&self, hash: String, row: &api_token::Model, member: &Member, Reading(generation, began): Reading) {
        let mut kept = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if kept.len() >= 10_000 {
            kept.retain(|_, (.., at)| at.elapsed() < CHECKED_FOR);
        }
        kept.insert(hash, (row.clone(), member.clone(), began));
    }

    /// Drops every token kept: each is read again on its next request.
    pub fn forget(&self) {
        let mut kept = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        kept.clear();
    }
}
