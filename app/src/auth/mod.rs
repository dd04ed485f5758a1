//! Organizer accounts: the first administrator, sign-in and sign-out, sessions,
//! organizations and their members' roles.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{self, Email};
use crate::error::{AppError, FieldErrors, Reason};

pub use crate::domain::Role;

/// The bureau that owns the demo roadshow; the first administrator becomes its owner, so
/// the setup form suggests its name. (Here, not beside the demo table, which only the
/// server holds.)
pub const DEMO_ORGANIZATION: &str = "岳阳市商务局 Yueyang Municipal Bureau of Commerce";

pub const SESSION_COOKIE: &str = "rs_session";
pub const MIN_PASSWORD: usize = 10;

/// Who is signed in, and in which organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i32,
    pub name: String,
    pub email: String,
    pub organization_id: i32,
    pub organization_name: String,
    pub role: Role,
    /// The promotion unit the member works for: they may change that unit's projects only.
    #[serde(default)]
    pub unit_id: Option<i32>,
    /// Every organization the user belongs to (filled for the page header only).
    #[serde(default)]
    pub organizations: Vec<(i32, String)>,
}

impl Member {
    /// May change what unit `unit_id` is credited with: owners and members of no unit any
    /// unit's, a unit's members their own unit's only.
    pub fn works_for(&self, unit_id: i32) -> bool {
        self.role >= Role::Owner || self.unit_id.is_none_or(|own| own == unit_id)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
}

impl LoginForm {
    pub fn validate(&self) -> FieldErrors {
        let mut e = FieldErrors::default();
        e.check("email", Email::parse(&self.email));
        if self.password.is_empty() {
            e.add("password", Reason::Required);
        }
        e
    }
}

/// A new account: the first administrator, or a member added by an owner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub name: String,
    pub email: String,
    pub password: String,
    /// The organization's name (first administrator only).
    pub organization: String,
    /// `owner`, `organizer` or `viewer` (added members only).
    pub role: String,
    /// The setup token printed in the console (first administrator only).
    pub token: String,
}

pub struct ValidAccount {
    pub name: String,
    pub email: Email,
    pub password: String,
    pub organization: String,
    pub role: Role,
}

impl AccountForm {
    pub fn parse(&self, first_admin: bool) -> Result<ValidAccount, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", domain::text(&self.name, true, 200));
        let email = e.check("email", Email::parse(&self.email));
        let password = if self.password.chars().count() < MIN_PASSWORD {
            e.add("password", Reason::PasswordTooWeak);
            None
        } else if self.password.len() > 1024 {
            e.add("password", Reason::TooLong { max: 1024 });
            None
        } else {
            Some(self.password.clone())
        };
        let organization = if first_admin {
            e.check("organization", domain::text(&self.organization, true, 200))
        } else {
            Some(String::new())
        };
        let role = if first_admin {
            Some(Role::Owner)
        } else {
            e.check("role", Role::parse(&self.role).ok_or(Reason::UnknownChoice))
        };
        match (name, email, password, organization, role) {
            (Some(name), Some(email), Some(password), Some(organization), Some(role)) if e.is_empty() => {
                Ok(ValidAccount { name, email, password, organization, role })
            }
            _ => Err(e),
        }
    }

    pub fn validate_setup(&self) -> FieldErrors {
        self.parse(true).err().unwrap_or_default()
    }

    pub fn validate_member(&self) -> FieldErrors {
        self.parse(false).err().unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: i32,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub unit_id: Option<i32>,
}

/// The signed-in member, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "auth/me")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn current_member() -> Result<Option<Member>, AppError> {
    let db = crate::state::db()?;
    match ssr::require_member().await {
        Ok(mut member) => {
            member.organizations = ssr::organizations_of(&db, member.user_id).await?;
            Ok(Some(member))
        }
        Err(AppError::Unauthorized) => Ok(None),
        Err(e) => Err(e),
    }
}

#[server(prefix = "/api", endpoint = "auth/login")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn login(form: LoginForm) -> Result<(), AppError> {
    let echo = LoginForm { password: String::new(), ..form.clone() };
    ssr::login(ssr::RequestContext::current()?, form).await.map_err(|e| e.with_values(&echo))?;
    leptos_axum::redirect("/admin");
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/logout")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn logout() -> Result<(), AppError> {
    ssr::logout(ssr::RequestContext::current()?).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Whether `/setup` may still create the first administrator.
#[server(prefix = "/api", endpoint = "auth/needs-setup")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn needs_setup() -> Result<bool, AppError> {
    ssr::needs_setup(&crate::state::db()?).await
}

#[server(prefix = "/api", endpoint = "auth/setup")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn setup_admin(form: AccountForm) -> Result<(), AppError> {
    let echo = AccountForm { password: String::new(), ..form.clone() };
    ssr::setup_admin(ssr::RequestContext::current()?, form).await.map_err(|e| e.with_values(&echo))?;
    leptos_axum::redirect("/admin");
    Ok(())
}

#[server(prefix = "/api", endpoint = "members/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_members() -> Result<Vec<MemberRow>, AppError> {
    let db = crate::state::db()?;
    let member = ssr::require_member().await?;
    ssr::list_members(&db, member.organization_id).await
}

#[server(prefix = "/api", endpoint = "members/add")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_member(form: AccountForm) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = ssr::require_role(Role::Owner).await?;
    let echo = AccountForm { password: String::new(), ..form.clone() };
    let account = form.parse(false).map_err(|e| AppError::Invalid(e).with_values(&echo))?;
    ssr::add_member(&db, member.organization_id, account).await.map_err(|e| e.with_values(&echo))?;
    leptos_axum::redirect("/admin/members?saved=1");
    Ok(())
}

/// Moves the session to another organization the user belongs to.
#[server(prefix = "/api", endpoint = "auth/switch-organization")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn switch_organization(organization_id: i32) -> Result<(), AppError> {
    let ctx = ssr::RequestContext::current()?;
    ssr::switch_organization(ctx, organization_id).await?;
    leptos_axum::redirect("/admin");
    Ok(())
}
