//! Errors in one JSON shape, RFC 9457 problem details (`application/problem+json`), with
//! the refused fields listed by name, a code a program can test and a message a person
//! can read (in Chinese when the request's `Accept-Language` prefers it).

use app::error::{AppError, Reason};
use app::i18n::Lang;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A refused request (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    #[schema(example = "https://roadshow.example/api/v1/problems/invalid")]
    pub kind: String,
    /// The status's short name.
    #[schema(example = "Unprocessable Entity")]
    pub title: String,
    /// The HTTP status.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// The fields refused and why (for 409 and 422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// Seconds to wait before trying again (429).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// One refused field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field's name in the request body or query.
    #[schema(example = "capacity")]
    pub field: String,
    /// Why, for a program: `required`, `too_long`, `out_of_range`, `invalid_email`, …
    #[schema(example = "out_of_range")]
    pub code: String,
    /// Why, for a person.
    #[schema(example = "Must be between 1 and 100000")]
    pub message: String,
}

/// The reader's language from `Accept-Language`: Chinese when it comes first, else English.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accept.trim_start().to_ascii_lowercase().starts_with("zh") { Lang::Zh } else { Lang::En }
}

fn code_of(reason: &Reason) -> String {
    serde_json::to_value(reason)
        .ok()
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_string))
        .unwrap_or_else(|| "invalid".into())
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        let slug = match status.as_u16() {
            400 => "bad-request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not-found",
            409 => "conflict",
            422 => "invalid",
            429 => "rate-limited",
            _ => "internal",
        };
        Problem {
            kind: format!("/api/v1/problems/{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn from_error(error: &AppError, lang: Lang) -> Self {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut problem = Problem::new(status, error.message(lang));
        if let Some(fields) = error.field_errors() {
            problem.errors = fields
                .errors
                .iter()
                .map(|e| FieldProblem {
                    field: e.field.clone(),
                    code: code_of(&e.reason),
                    message: e.reason.message(lang),
                })
                .collect();
        }
        if let AppError::RateLimited { retry_after_secs } = error {
            problem.retry_after = Some(*retry_after_secs);
        }
        problem
    }

    /// A request the API could not read (malformed JSON, a query value of the wrong type).
    pub fn unreadable(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"roadshow\""));
        }
        response
    }
}

/// An error of the app, answered as a problem in the caller's language.
pub struct ApiError {
    error: AppError,
    lang: Lang,
}

impl ApiError {
    pub fn new(error: AppError, lang: Lang) -> Self {
        ApiError { error, lang }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Problem::from_error(&self.error, self.lang).into_response()
    }
}

/// A JSON body; what cannot be read is a 400 problem, not axum's plain text.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(Problem::unreadable(rejection.body_text())),
        }
    }
}

/// Query parameters; what cannot be read is a 400 problem.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(Problem::unreadable(rejection.body_text())),
        }
    }
}

/// A numeric id in the path; anything else names nothing (404).
pub struct Id(pub i32);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<i32>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(Id(id)),
            Err(_) => Err(Problem::new(StatusCode::NOT_FOUND, "Not found")),
        }
    }
}
