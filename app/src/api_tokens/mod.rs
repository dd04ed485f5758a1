//! API tokens: an organization's owners let another system (a government portal, a CRM)
//! use the REST API (`/api/v1`) in the organization's name. A token is shown once and
//! kept only as a hash; it reads, or reads and writes, until it expires or is revoked.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{self, ApiScope};
use crate::error::{AppError, FieldErrors, Reason};

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

/// A token as its list shows it (never the token itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: i32,
    pub name: String,
    pub prefix: String,
    pub scope: ApiScope,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new token as an owner fills it in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiTokenForm {
    pub name: String,
    /// `read` or `read_write`.
    pub scope: String,
    /// Days until it expires; empty for never.
    pub expires_in_days: String,
}

pub struct ValidApiToken {
    pub name: String,
    pub scope: ApiScope,
    pub expires_in_days: Option<i64>,
}

/// Longest life a token can be given, in days (ten years).
pub const MAX_DAYS: i64 = 3650;

impl ApiTokenForm {
    pub fn parse(&self) -> Result<ValidApiToken, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", domain::text(&self.name, true, 200));
        let scope = e.check("scope", ApiScope::parse(&self.scope).ok_or(Reason::UnknownChoice));
        let days = self.expires_in_days.trim();
        let expires_in_days = if days.is_empty() {
            Some(None)
        } else {
            e.check(
                "expires_in_days",
                days.parse::<i64>()
                    .ok()
                    .filter(|d| (1..=MAX_DAYS).contains(d))
                    .map(Some)
                    .ok_or(Reason::OutOfRange { min: 1, max: MAX_DAYS }),
            )
        };
        match (name, scope, expires_in_days) {
            (Some(name), Some(scope), Some(expires_in_days)) if e.is_empty() => {
                Ok(ValidApiToken { name, scope, expires_in_days })
            }
            _ => Err(e),
        }
    }

    pub fn validate(&self) -> FieldErrors {
        self.parse().err().unwrap_or_default()
    }
}

#[server(prefix = "/api", endpoint = "api-tokens/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_api_tokens() -> Result<Vec<ApiTokenRow>, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::list(&db, member.organization_id).await
}

/// Creates a token and returns it, the only time it is ever shown.
#[server(prefix = "/api", endpoint = "api-tokens/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_api_token(form: ApiTokenForm) -> Result<String, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    let valid = form.parse().map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let (_, token) = ssr::create(&db, &member, valid).await?;
    Ok(token)
}

#[server(prefix = "/api", endpoint = "api-tokens/revoke")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn revoke_api_token(id: i32) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::revoke(&state.db, member.organization_id, id).await?;
    state.part::<std::sync::Arc<ssr::CheckedTokens>>()?.forget();
    leptos_axum::redirect("/admin/api-tokens");
    Ok(())
}
