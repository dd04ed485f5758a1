//! Who calls the API: a system with an API token (`Authorization: Bearer rsk_…`), or a
//! signed-in member's browser (the session cookie). Each caller is limited to
//! `ROADSHOW_API_REQUESTS_PER_MINUTE` requests a minute (per token; per member for a
//! session), shared by every node on PostgreSQL; beyond it, 429 with `Retry-After`.

use std::sync::Arc;

use app::api_tokens::ssr::CheckedTokens;
use app::auth::{Member, Role};
use app::error::AppError;
use app::i18n::Lang;
use app::state::{AppState, RateLimiter};
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

use super::problem::{ApiError, lang_of};

/// The API's rate limiter, a part of `AppState`.
#[derive(Clone)]
pub struct ApiLimiter(pub Arc<RateLimiter>);

/// The authenticated caller, acting for one organization.
pub struct Caller {
    pub member: Member,
    pub lang: Lang,
}

impl Caller {
    /// The caller may change data (a read-write token, or an organizer or owner).
    pub fn writer(&self) -> Result<&Member, ApiError> {
        if self.member.role >= Role::Organizer { Ok(&self.member) } else { Err(self.fail(AppError::Forbidden)) }
    }

    pub fn org(&self) -> i32 {
        self.member.organization_id
    }

    pub fn fail(&self, error: AppError) -> ApiError {
        ApiError::new(error, self.lang)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let fail = |error| ApiError::new(error, lang);
        let bearer =
            parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(|v| {
                v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")).unwrap_or("").trim().to_string()
            });
        let (member, key) = match bearer {
            Some(token) => {
                let checked = state.part::<Arc<CheckedTokens>>().map_err(fail)?;
                let (token, member) = app::api_tokens::ssr::authenticate(&state.db, &checked, &token)
                    .await
                    .map_err(fail)?
                    .ok_or_else(|| fail(AppError::Unauthorized))?;
                (member, format!("token:{}", token.id))
            }
            None => {
                let member = app::auth::ssr::member_from_headers(&state.db, &parts.headers).await.map_err(fail)?;
                let key = format!("member:{}:{}", member.user_id, member.organization_id);
                (member, key)
            }
        };
        let limiter = state.part::<ApiLimiter>().map_err(fail)?;
        if let Err(retry_after_secs) = limiter.0.hit(&key).await {
            return Err(fail(AppError::RateLimited { retry_after_secs }));
        }
        Ok(Caller { member, lang })
    }
}
