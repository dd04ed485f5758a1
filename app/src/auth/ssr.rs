//! Server side of accounts: argon2id password hashes, session cookies stored as
//! hashes, role checks used by every server function, and the login rate limit.

use std::net::{IpAddr, SocketAddr};

use anyhow::Context as _;
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version, password_hash::SaltString,
};
use axum::http::{HeaderValue, header};
use chrono::{Duration, Utc};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use secrecy::ExposeSecret;

use super::{AccountForm, LoginForm, Member, MemberRow, Role, SESSION_COOKIE, ValidAccount};
use crate::db::{begin_write, is_unique_violation};
use crate::domain::Email;
use crate::entities::{membership, organization, session, user};
use crate::error::{AppError, FieldErrors, Reason};
use crate::state::app_state;

use std::future::Future;

const SESSION_DAYS: i64 = 14;

/// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params"))
}

pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// Verifies in constant time; an unknown user is checked against a dummy hash so
/// that response times do not reveal which emails have accounts.
async fn verify_password(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let known = hash.is_some();
    let hash = match hash {
        Some(h) => h,
        None => match DUMMY.get() {
            Some(h) => h.clone(),
            None => {
                let h = hash_password("not a password of anyone".into()).await?;
                DUMMY.get_or_init(|| h).clone()
            }
        },
    };
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok(known && argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .context("password verification task")?
}

fn token_hash(token: &str) -> String {
    crate::crypto::sha256_hex(token)
}

fn new_token() -> String {
    crate::crypto::random_hex::<32>()
}

/// What a request's server code needs from the reactive context. Taken before the first
/// `.await`: during server rendering the context is not reachable after one.
#[derive(Clone)]
pub struct RequestContext {
    pub state: crate::state::AppState,
    parts: Option<axum::http::request::Parts>,
    response: Option<ResponseOptions>,
}

impl RequestContext {
    pub fn current() -> Result<Self, AppError> {
        Ok(Self {
            state: app_state()?,
            parts: use_context::<axum::http::request::Parts>(),
            response: use_context::<ResponseOptions>(),
        })
    }

    /// The client's address as a rate-limit key (see [`client_ip`]).
    fn client_key(&self) -> String {
        self.parts
            .as_ref()
            .and_then(|p| client_ip(p, &self.state.config.trusted_proxies))
            .map(|ip| ip.to_string())
            .unwrap_or_default()
    }

    /// Counts a hit of this client against `limiter`; `RateLimited` past its limit.
    pub async fn check_rate(&self, limiter: &crate::state::RateLimiter) -> Result<(), AppError> {
        limiter.hit(&self.client_key()).await.map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.parts.as_ref().and_then(|p| cookie_value(&p.headers, name))
    }
}

fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|cookies| crate::web::cookie_in(cookies, name).map(str::to_string))
}

/// The client's address: the peer, or the proxy's `X-Forwarded-For` when the peer is a
/// configured trusted proxy (a forged header from anyone else is ignored).
pub fn client_ip(parts: &axum::http::request::Parts, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip())?;
    if trusted.contains(&peer) {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next_back())
            .and_then(|ip| ip.trim().parse().ok());
        return forwarded.or(Some(peer));
    }
    Some(peer)
}

fn set_session_cookie(ctx: &RequestContext, token: &str, max_age_secs: i64) {
    let https = ctx.state.config.secure_cookies
        || ctx
            .parts
            .as_ref()
            .and_then(|p| p.headers.get("x-forwarded-proto"))
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let secure = if https { "; Secure" } else { "" };
    let cookie = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    if let (Some(response), Ok(value)) = (ctx.response.as_ref(), HeaderValue::from_str(&cookie)) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// The signed-in member of the current request, or `Unauthorized`.
pub fn require_member() -> impl Future<Output = Result<Member, AppError>> + Send + 'static {
    require_role(Role::Viewer)
}

/// A member allowed to change data (owner or organizer); viewers get `Forbidden`.
pub fn require_writer() -> impl Future<Output = Result<Member, AppError>> + Send + 'static {
    require_role(Role::Organizer)
}

pub fn require_role(min: Role) -> impl Future<Output = Result<Member, AppError>> + Send + 'static {
    let ctx = RequestContext::current();
    async move {
        let ctx = ctx?;
        let token = ctx.cookie(SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
        let member = member_for_token(&ctx.state.db, &token).await?.ok_or(AppError::Unauthorized)?;
        if member.role >= min { Ok(member) } else { Err(AppError::Forbidden) }
    }
}

/// The signed-in member of a plain axum request (routes outside server functions).
pub async fn member_from_headers(db: &DatabaseConnection, headers: &axum::http::HeaderMap) -> Result<Member, AppError> {
    let token = cookie_value(headers, SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
    member_for_token(db, &token).await?.ok_or(AppError::Unauthorized)
}

pub async fn member_for_token(db: &DatabaseConnection, token: &str) -> Result<Option<Member>, AppError> {
    let Some(session) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some((membership, Some(org))) = membership::Entity::find_by_id((session.user_id, session.organization_id))
        .find_also_related(organization::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(user) = user::Entity::find_by_id(session.user_id).one(db).await? else {
        return Ok(None);
    };
    let role = membership.role;
    Ok(Some(Member {
        user_id: user.id,
        name: user.name,
        email: user.email,
        organization_id: org.id,
        organization_name: org.name,
        role,
        unit_id: membership.unit_id,
        organizations: Vec::new(),
    }))
}

pub async fn organizations_of(db: &DatabaseConnection, user_id: i32) -> Result<Vec<(i32, String)>, AppError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .find_also_related(organization::Entity)
        .order_by_asc(membership::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, org)| org.map(|o| (o.id, o.name)))
        .collect())
}

/// Points the current session at another of the user's organizations; any other
/// organization is `Forbidden`.
pub async fn switch_organization(ctx: RequestContext, organization_id: i32) -> Result<(), AppError> {
    let token = ctx.cookie(SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
    let db = &ctx.state.db;
    let member = member_for_token(db, &token).await?.ok_or(AppError::Unauthorized)?;
    if membership::Entity::find_by_id((member.user_id, organization_id)).one(db).await?.is_none() {
        return Err(AppError::Forbidden);
    }
    session::Entity::update_many()
        .col_expr(session::Column::OrganizationId, sea_orm::sea_query::Expr::value(organization_id))
        .filter(session::Column::TokenHash.eq(token_hash(&token)))
        .exec(db)
        .await?;
    Ok(())
}

async fn start_session(ctx: &RequestContext, user_id: i32, organization_id: i32) -> Result<(), AppError> {
    let db = &ctx.state.db;
    // A fresh token at every sign-in: a token planted before login is worth nothing after.
    if let Some(old) = ctx.cookie(SESSION_COOKIE) {
        session::Entity::delete_many().filter(session::Column::TokenHash.eq(token_hash(&old))).exec(db).await?;
    }
    let token = new_token();
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        organization_id: Set(organization_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    set_session_cookie(ctx, &token, SESSION_DAYS * 86_400);
    Ok(())
}

pub async fn login(ctx: RequestContext, form: LoginForm) -> Result<(), AppError> {
    form.validate().into_result()?;
    let state = ctx.state.clone();
    let email = Email::parse(&form.email).map_err(|r| AppError::Invalid(FieldErrors::single("email", r)))?;
    let ip = ctx.client_key();
    let account_key = format!("{ip}|{}", email.as_str());
    let limited = |retry_after_secs| AppError::RateLimited { retry_after_secs };
    state.login_ip_limiter.hit(&ip).await.map_err(limited)?;
    state.login_limiter.hit(&account_key).await.map_err(limited)?;

    let user = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&state.db).await?;
    let ok = verify_password(form.password.clone(), user.as_ref().map(|u| u.password_hash.clone()))
        .await
        .map_err(AppError::internal)?;
    let Some(user) = user.filter(|_| ok) else {
        return Err(AppError::Invalid(FieldErrors::single("password", Reason::WrongCredentials)));
    };
    let membership = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .order_by_asc(membership::Column::CreatedAt)
        .one(&state.db)
        .await?
        .ok_or(AppError::Forbidden)?;
    state.login_limiter.clear(&account_key).await;
    start_session(&ctx, user.id, membership.organization_id).await
}

pub async fn logout(ctx: RequestContext) -> Result<(), AppError> {
    if let Some(token) = ctx.cookie(SESSION_COOKIE) {
        session::Entity::delete_many()
            .filter(session::Column::TokenHash.eq(token_hash(&token)))
            .exec(&ctx.state.db)
            .await?;
    }
    set_session_cookie(&ctx, "", 0);
    Ok(())
}

pub async fn needs_setup(db: &DatabaseConnection) -> Result<bool, AppError> {
    Ok(user::Entity::find().count(db).await? == 0)
}

pub async fn setup_admin(ctx: RequestContext, form: AccountForm) -> Result<(), AppError> {
    let state = ctx.state.clone();
    let mut errors = form.parse(true).err().unwrap_or_default();
    if !constant_time_eq(form.token.trim().as_bytes(), state.setup_token.expose_secret().as_bytes()) {
        errors.add("token", Reason::WrongSetupToken);
    }
    errors.into_result()?;
    let account = form.parse(true).map_err(AppError::Invalid)?;
    let (user_id, org_id) = create_first_admin(&state.db, account).await?;
    start_session(&ctx, user_id, org_id).await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Creates the first administrator as owner of the organization that has no members
/// yet (the demo bureau) or of a new one. Refused once any account exists.
pub async fn create_first_admin(db: &DatabaseConnection, account: ValidAccount) -> Result<(i32, i32), AppError> {
    let hash = hash_password(account.password.clone()).await.map_err(AppError::internal)?;
    let txn = begin_write(db).await?;
    if user::Entity::find().count(&txn).await? > 0 {
        return Err(AppError::Forbidden);
    }
    let now = Utc::now();
    let orphan = organization::Entity::find().order_by_asc(organization::Column::Id).one(&txn).await?;
    let org_id = match orphan {
        Some(org) => {
            let id = org.id;
            let mut active: organization::ActiveModel = org.into();
            active.name = Set(account.organization.clone());
            active.update(&txn).await?;
            id
        }
        None => insert_organization(&txn, &account.organization).await?,
    };
    let user_id = insert_user(&txn, &account, hash).await?;
    insert_membership(&txn, user_id, org_id, Role::Owner).await?;
    txn.commit().await?;
    tracing::info!(user_id, org_id, at = %now, "first administrator created");
    Ok((user_id, org_id))
}

pub async fn insert_organization(db: &impl ConnectionTrait, name: &str) -> Result<i32, AppError> {
    let org = organization::ActiveModel {
        name: Set(name.to_string()),
        overdue_red_days: Set(crate::domain::DEFAULT_OVERDUE_RED_DAYS),
        // Set here although the column has a default: sea-orm 2 reads the inserted row
        // back and fails ("Missing value for column") on a column it did not send.
        score_weights: Set(crate::domain::DEFAULT_SCORE_WEIGHTS.to_string()),
        verified_funds_only: Set(false),
        webhooks_private_allowed: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(org.id)
}

async fn insert_user(db: &impl ConnectionTrait, account: &ValidAccount, hash: String) -> Result<i32, AppError> {
    let result = user::ActiveModel {
        email: Set(account.email.as_str().to_string()),
        name: Set(account.name.clone()),
        password_hash: Set(hash),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match result {
        Ok(user) => Ok(user.id),
        Err(e) if is_unique_violation(&e) => Err(AppError::Conflict(FieldErrors::single("email", Reason::EmailTaken))),
        Err(e) => Err(e.into()),
    }
}

async fn insert_membership(db: &impl ConnectionTrait, user_id: i32, org_id: i32, role: Role) -> Result<(), AppError> {
    membership::ActiveModel {
        user_id: Set(user_id),
        organization_id: Set(org_id),
        role: Set(role),
        unit_id: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Adds a member to an organization, creating the account when the email is new.
pub async fn add_member(db: &DatabaseConnection, org_id: i32, account: ValidAccount) -> Result<i32, AppError> {
    let hash = hash_password(account.password.clone()).await.map_err(AppError::internal)?;
    let txn = begin_write(db).await?;
    let existing = user::Entity::find().filter(user::Column::Email.eq(account.email.as_str())).one(&txn).await?;
    let user_id = match existing {
        Some(u) => u.id,
        None => insert_user(&txn, &account, hash).await?,
    };
    if membership::Entity::find_by_id((user_id, org_id)).one(&txn).await?.is_some() {
        return Err(AppError::Conflict(FieldErrors::single("email", Reason::EmailTaken)));
    }
    insert_membership(&txn, user_id, org_id, account.role).await?;
    txn.commit().await?;
    Ok(user_id)
}

pub async fn list_members(db: &DatabaseConnection, org_id: i32) -> Result<Vec<MemberRow>, AppError> {
    let rows = membership::Entity::find()
        .filter(membership::Column::OrganizationId.eq(org_id))
        .find_also_related(user::Entity)
        .order_by_asc(membership::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, u)| {
            let u = u?;
            Some(MemberRow { user_id: u.id, name: u.name, email: u.email, role: m.role, unit_id: m.unit_id })
        })
        .collect())
}

/// Creates an organization with an owner account: used by the start-up bootstrap
/// (`ROADSHOW_ADMIN_EMAIL`) and by tests arranging several organizations.
pub async fn create_organization_with_owner(
    db: &DatabaseConnection,
    organization: &str,
    name: &str,
    email: &str,
    password: &str,
) -> Result<(i32, i32), AppError> {
    let account = ValidAccount {
        name: name.to_string(),
        email: Email::parse(email).map_err(|r| AppError::Invalid(FieldErrors::single("email", r)))?,
        password: password.to_string(),
        organization: organization.to_string(),
        role: Role::Owner,
    };
    let hash = hash_password(account.password.clone()).await.map_err(AppError::internal)?;
    let txn = begin_write(db).await?;
    let org_id = insert_organization(&txn, organization).await?;
    let user_id = insert_user(&txn, &account, hash).await?;
    insert_membership(&txn, user_id, org_id, Role::Owner).await?;
    txn.commit().await?;
    Ok((user_id, org_id))
}
