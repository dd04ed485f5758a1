//! HTTP plumbing around the Leptos app.

use app::error::AppError;
use app::i18n::{LANG_COOKIE, Lang};
use app::state::AppState;
use axum::{
    body::{Body, to_bytes},
    extract::{Path, Query, Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// Gives refused server-function calls their real status: server_fn answers every
/// error with 500, which would call a user's typo our fault. (Plain form posts are
/// redirected back to the form instead, and keep their redirect.)
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::RateLimited { retry_after_secs } = error {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Refuses state-changing requests sent by another site's page (CSRF): browsers say
/// where a request comes from in `Sec-Fetch-Site` and `Origin`.
pub async fn refuse_cross_origin(request: Request, next: Next) -> Response {
    // An unsubscribe link is posted by mail providers and from any mail client (RFC
    // 8058): it needs no session, and all it can do is stop marketing email.
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || request.uri().path().starts_with("/unsubscribe/")
    {
        return next.run(request).await;
    }
    let headers = request.headers();
    let header_str = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let refused = match (header_str("sec-fetch-site"), header_str("origin")) {
        (Some(site), _) => !matches!(site, "same-origin" | "none"),
        (None, Some(origin)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or_default();
            Some(origin_host) != header_str("host")
        }
        (None, None) => false,
    };
    if refused {
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(request).await
}

#[derive(serde::Deserialize)]
pub struct NextPage {
    next: Option<String>,
}

/// Remembers the chosen language for a year and returns to the page the visitor was on.
pub async fn set_language(Path(code): Path<String>, Query(query): Query<NextPage>) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    // Only a local path: never an open redirect to another site (browsers drop tabs and
    // line breaks from a `Location`, so `/\t/evil.example` would become `//evil.example`).
    let next = query
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.chars().any(char::is_control))
        .unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&next).into_response();
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Files from the site folder (precompressed `.br`/`.gz` when the build made them);
/// hashed assets are cached for a year. Anything else renders the app's 404 page.
pub async fn static_or_not_found(State(state): State<AppState>, request: Request) -> Response {
    let site_root = state.leptos_options.site_root.to_string();
    let path = request.uri().path().to_string();
    let (parts, body) = request.into_parts();
    let file_request = Request::from_parts(parts.clone(), Body::empty());
    let served = ServeDir::new(&site_root).precompressed_br().precompressed_gzip().oneshot(file_request).await;
    let Ok(mut response) = served;
    if response.status() == StatusCode::OK || response.status() == StatusCode::NOT_MODIFIED {
        let immutable =
            state.leptos_options.hash_files && path.starts_with(&format!("/{}/", state.leptos_options.site_pkg_dir));
        let cache = if immutable { "public, max-age=31536000, immutable" } else { "public, max-age=3600" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        return response.map(Body::new);
    }
    let request = Request::from_parts(parts, body);
    if app::web::is_public_path(&path) {
        return crate::pages::public_page(State(state), request).await;
    }
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(crate::security::render_context(state), move || {
        app::shell(options.clone())
    });
    handler(request).await.into_response()
}

/// `/readyz`: whether this node can serve: its database answers and carries every
/// migration this build knows. `503` with the reason otherwise (a load balancer takes the
/// node out until it is ready). `/healthz` only says the process is alive.
pub async fn ready(State(state): State<AppState>) -> Response {
    let check = async {
        state.db.ping().await.map_err(|e| format!("database unreachable: {e}"))?;
        match app::db::pending_migrations(&state.db).await {
            Ok(0) => Ok(()),
            Ok(n) => Err(format!("{n} migrations not applied (run `server migrate`)")),
            Err(e) => Err(format!("reading the applied migrations: {e:#}")),
        }
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(5), check)
        .await
        .unwrap_or_else(|_| Err("the database did not answer within 5 s".into()));
    let no_store = (header::CACHE_CONTROL, "no-store");
    match outcome {
        Ok(()) => (StatusCode::OK, [no_store], "ready").into_response(),
        Err(reason) => {
            tracing::warn!("not ready: {reason}");
            (StatusCode::SERVICE_UNAVAILABLE, [no_store], reason).into_response()
        }
    }
}

/// `/guest.js`: the guest's pages' script. Asked by its versioned address (as the pages
/// ask), a browser keeps it for a year.
pub async fn guest_script(request: Request) -> Response {
    let versioned = request.uri().query().is_some_and(|q| app::web::guest_script_url().ends_with(&format!("?{q}")));
    let cache = if versioned { "public, max-age=31536000, immutable" } else { "public, max-age=300" };
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, cache)], app::web::GUEST_SCRIPT)
        .into_response()
}

#[derive(serde::Deserialize)]
pub struct CheckedForm {
    r#fn: String,
}

/// `POST /check?fn=<a form's action>`: the live check of a guest's form. The body is the
/// form as it would be posted; the answer names each refused field with its message in
/// the reader's language (`{"fields": {"email": "…"}}`), by the same parse the server
/// function runs when the form is posted. Nothing is written.
pub async fn check_form(Query(form): Query<CheckedForm>, headers: axum::http::HeaderMap, body: String) -> Response {
    use app::auth::{Login, SetupAdmin};
    use app::registrations::{ChangeRegistration, Register};
    use leptos::server_fn::ServerFn;
    fn parse<S: serde::de::DeserializeOwned>(
        body: &str,
        validate: fn(&S) -> app::error::FieldErrors,
    ) -> Option<app::error::FieldErrors> {
        serde_qs::Config::new(5, false).deserialize_str::<S>(body).ok().map(|form| validate(&form))
    }
    let errors = match form.r#fn.as_str() {
        path if path == Register::PATH => parse(&body, |a: &Register| a.form.validate()),
        path if path == ChangeRegistration::PATH => parse(&body, |a: &ChangeRegistration| a.form.validate()),
        path if path == Login::PATH => parse(&body, |a: &Login| a.form.validate()),
        path if path == SetupAdmin::PATH => parse(&body, |a: &SetupAdmin| a.form.validate_setup()),
        _ => return (StatusCode::NOT_FOUND, "no live check for this form").into_response(),
    };
    let Some(errors) = errors else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "the form cannot be read").into_response();
    };
    let lang = app::i18n::headers_lang(&headers);
    let fields: serde_json::Map<String, serde_json::Value> =
        errors.errors.iter().map(|e| (e.field.clone(), e.reason.message(lang).into())).collect();
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(serde_json::json!({ "fields": fields }))).into_response()
}

/// `/admin/events/{id}/registrations.csv`: the event's registrations (filtered like the
/// page: `?status=&q=`) for members of its organization.
pub async fn registrations_csv(
    State(state): State<AppState>,
    Path(event_id): Path<i32>,
    Query(filter): Query<app::registrations::RegistrationFilter>,
    headers: axum::http::HeaderMap,
) -> Response {
    let result = async {
        let member = app::auth::ssr::member_from_headers(&state.db, &headers).await?;
        app::registrations::ssr::list(&state.db, member.organization_id, event_id, &filter).await
    }
    .await;
    match result {
        Ok(list) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"registrations-{event_id}.csv\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            app::registrations::ssr::to_csv(&list),
        )
            .into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.to_string()).into_response()
        }
    }
}

/// A file download, or the refusal's status and message.
fn download<B: IntoResponse>(result: Result<(String, String, B), AppError>) -> Response {
    match result {
        Ok((content_type, filename, body)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.to_string()).into_response()
        }
    }
}

/// The dashboard's address query plus the language its file is written in.
#[derive(serde::Deserialize)]
pub struct DashboardExport {
    #[serde(flatten)]
    query: app::dashboard::DashboardQuery,
    #[serde(default)]
    lang: String,
}

/// `GET /admin/dashboard/export.{csv,xlsx,html}`: the dashboard of the query as CSV, as an
/// .xlsx workbook or as a printable page, for members of any role.
pub async fn dashboard_export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(export): Query<DashboardExport>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::dashboard::export;
    let lang = Lang::parse(&export.lang).unwrap_or_else(|| app::i18n::headers_lang(&headers));
    let kind = match file.as_str() {
        "export.csv" => "csv",
        "export.xlsx" => "xlsx",
        "export.html" => "html",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let result = async {
        let member = app::auth::ssr::member_from_headers(&state.db, &headers).await?;
        let today = chrono::Utc::now().date_naive();
        app::dashboard::ssr::dashboard(&state.db, member.organization_id, &export.query, today).await
    }
    .await;
    let dashboard = match result {
        Ok(d) => d,
        Err(error) => return download::<String>(Err(error)),
    };
    let tables = export::tables(&dashboard, lang);
    let name = format!("dashboard-{}-{}", dashboard.scope.from, dashboard.scope.to);
    match kind {
        "csv" => download(Ok(("text/csv; charset=utf-8".into(), format!("{name}.csv"), export::to_csv(&tables)))),
        "xlsx" => download(Ok((
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
            format!("{name}.xlsx"),
            export::to_xlsx(&tables),
        ))),
        _ => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
            export::to_html(&dashboard, &tables, lang),
        )
            .into_response(),
    }
}

/// The leads a filter of the lead list selects, as CSV (all pages).
pub async fn leads_csv(
    State(state): State<AppState>,
    Query(filter): Query<app::leads::LeadFilter>,
    headers: axum::http::HeaderMap,
) -> Response {
    download(
        async {
            let member = app::auth::ssr::member_from_headers(&state.db, &headers).await?;
            let rows = app::leads::ssr::all(&state.db, member.organization_id, &filter).await?;
            Ok(("text/csv; charset=utf-8".into(), "leads.csv".into(), app::leads::ssr::to_csv(&rows)))
        }
        .await,
    )
}

/// Everything held about one lead's person, as JSON (a data subject's access request).
pub async fn lead_export(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    headers: axum::http::HeaderMap,
) -> Response {
    download(
        async {
            let member = app::auth::ssr::member_from_headers(&state.db, &headers).await?;
            let data = app::leads::ssr::export_person(&state.db, member.organization_id, id).await?;
            let body = serde_json::to_string_pretty(&data).map_err(|e| AppError::internal(e.into()))?;
            Ok(("application/json".into(), format!("lead-{id}.json"), body))
        }
        .await,
    )
}

/// The one-click unsubscribe of RFC 8058 (`List-Unsubscribe-Post`), also what the button
/// of the unsubscribe page posts: no session, no CSRF token, idempotent. The answer is a
/// small page in the reader's language.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: header::HeaderMap,
) -> Response {
    let lang = app::i18n::headers_lang(&headers);
    let (status, zh, en) = match app::marketing::ssr::unsubscribe(&state.db, &token).await {
        Ok(true) => (
            StatusCode::OK,
            "您已退订，不会再收到我们的推广邮件。报名确认等事务邮件仍会发送。",
            "You are unsubscribed: no more marketing email from us. Emails about your registrations still reach you.",
        ),
        Ok(false) => (StatusCode::NOT_FOUND, "这个退订链接无效。", "This unsubscribe link is not valid."),
        Err(e) => {
            tracing::error!("unsubscribe: {e}"); // the span names the route, not the token
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "暂时无法退订，请稍后再试。",
                "Unsubscribing failed for now: please try again later.",
            )
        }
    };
    let message = lang.pick(zh, en);
    let body = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{message}</title></head><body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem\">\
         <p role=\"status\">{message}</p><p><a href=\"/\">Roadshow</a></p></body></html>",
        lang.html_tag()
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// This request's id (see [`request_id`]), for the trace span.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Gives every request an id: in its extensions (the trace span names it), in a task-local
/// (`app::error::REQUEST_ID`: an unexpected failure shows it to the user as its
/// reference), and back in the `X-Request-Id` header.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = app::crypto::random_hex::<6>();
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = app::error::REQUEST_ID.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(header::HeaderName::from_static("x-request-id"), value);
    }
    response
}

/// The span every line logged while serving a request is written in. Its path is the
/// route's pattern where the router matched one (`/r/{token}`), and otherwise masks what
/// follows a private prefix: a guest's link token never reaches the log.
pub fn request_span(request: &Request) -> tracing::Span {
    let id = request.extensions().get::<RequestId>().map(|id| id.0.as_str()).unwrap_or("-");
    let path = match request.extensions().get::<axum::extract::MatchedPath>() {
        Some(route) => route.as_str().to_string(),
        None => loggable_path(request.uri().path()),
    };
    tracing::info_span!("request", id, method = %request.method(), path)
}

/// `path` with the token of a private link (`/r/…`, `/unsubscribe/…`) left out.
fn loggable_path(path: &str) -> String {
    for private in crate::security::TOKEN_PATHS {
        if path.starts_with(private) {
            return format!("{private}…");
        }
    }
    path.to_string()
}

/// `POST /admin/tranches/{id}/proof`: a proof file for a tranche of funds, posted by the
/// lead page's form (`multipart/form-data`, field `proof`). Answers with the lead page
/// again, or a short page in the reader's language saying why the file was refused.
pub async fn upload_proof(
    State(state): State<AppState>,
    Path(tranche_id): Path<i32>,
    headers: axum::http::HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = app::i18n::headers_lang(&headers);
    // Back to the page the form was on (an admin page of this site), else the leads.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
        .filter(|path| path.starts_with("/admin/"))
        .unwrap_or("/admin/leads")
        .to_string();
    let result = async {
        let member = app::auth::ssr::member_from_headers(&state.db, &headers).await?;
        if member.role < app::auth::Role::Organizer {
            return Err(AppError::Forbidden);
        }
        let bytes = proof_field(multipart.map_err(|e| AppError::BadRequest(e.body_text()))?).await?;
        app::leads::ssr::attach_proof(&state.db, &state.config.files_dir, &member, tranche_id, &bytes).await?;
        app::leads::ssr::lead_of_tranche(&state.db, member.organization_id, tranche_id).await
    }
    .await;
    match result {
        Ok(lead_id) => Redirect::to(&format!("/admin/leads/{lead_id}")).into_response(),
        Err(error) => refusal_page(lang, &error, &back),
    }
}

/// The `proof` field's bytes, read no further than one byte past the limit.
async fn proof_field(mut multipart: axum::extract::Multipart) -> Result<Vec<u8>, AppError> {
    use app::error::{FieldErrors, Reason};
    let too_large = || AppError::Invalid(FieldErrors::single("proof", Reason::ProofTooLarge));
    while let Some(mut field) = multipart.next_field().await.map_err(|_| too_large())? {
        if field.name() != Some("proof") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| too_large())? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > app::domain::ProofKind::MAX_BYTES {
                return Err(too_large());
            }
        }
        if bytes.is_empty() {
            break;
        }
        return Ok(bytes);
    }
    Err(AppError::Invalid(FieldErrors::single("proof", Reason::Required)))
}

/// A refused form post without script: the reason in the reader's language, its status,
/// and the way back.
fn refusal_page(lang: Lang, error: &AppError, back: &str) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = match error.field_errors() {
        Some(fields) => fields.errors.iter().map(|e| e.reason.message(lang)).collect::<Vec<_>>().join(" "),
        None => error.message(lang),
    };
    let message = app::html::escape(&message);
    let body = format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{message}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem\">\
         <p role=\"alert\">{message}</p><p><a href=\"{back}\">{label}</a></p></body></html>",
        tag = lang.html_tag(),
        back = app::html::escape(back),
        label = lang.pick("返回", "Back"),
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// `GET /admin/tranches/{id}/proof`: a tranche's proof file, for members of its
/// organization only (anyone else: 401 signed out, 404 of another organization).
pub async fn download_proof(
    State(state): State<AppState>,
    Path(tranche_id): Path<i32>,
    headers: axum::http::HeaderMap,
) -> Response {
    let result = async {
        let member = app::auth::ssr::member_from_headers(&state.db, &headers).await?;
        app::leads::ssr::proof(&state.db, &state.config.files_dir, member.organization_id, tranche_id).await
    }
    .await;
    match result {
        Ok((kind, bytes)) => {
            // Pictures open in the browser; a PDF is saved (no viewer runs under this origin).
            let disposition = if kind == app::domain::ProofKind::Pdf { "attachment" } else { "inline" };
            (
                [
                    (header::CONTENT_TYPE, kind.content_type().to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("{disposition}; filename=\"proof-{tranche_id}.{}\"", kind.extension()),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.to_string()).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn private_tokens_stay_out_of_the_log() {
        assert_eq!(loggable_path("/r/12-0123456789abcdef"), "/r/…");
        assert_eq!(loggable_path("/unsubscribe/00ff"), "/unsubscribe/…");
        assert_eq!(loggable_path("/e/a-stop"), "/e/a-stop");
    }
}
