//! REST API v1 under `/api/v1`: JSON for a bureau's other systems (a portal, a CRM, a
//! provincial platform), authenticated by API tokens or a member's session, documented by
//! an OpenAPI 3.1 document generated from these types (`/api/v1/openapi.json`, readable at
//! `/api/v1/docs`). Stable: a breaking change means `/api/v2`.

use std::sync::{Arc, LazyLock, OnceLock};

use app::error::{AppError, FieldErrors, Reason};
use app::state::AppState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

pub mod caller;
mod docs;
mod events;
mod figures;
mod leads;
pub mod problem;
mod registrations;

pub use caller::ApiLimiter;
pub use registrations::KeptPages;

/// Where the API lives.
pub const BASE: &str = "/api/v1";

/// A page of a list; `next_cursor` fetches the next one (absent on the last page).
#[derive(Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The id after which a page starts and its size, from `cursor` and `limit`.
fn after_cursor(cursor: Option<&str>, limit: Option<u64>) -> Result<(i32, u64), AppError> {
    let mut e = FieldErrors::default();
    let after = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => {
            e.check("cursor", c.parse::<i32>().ok().filter(|id| *id >= 0).ok_or(Reason::UnknownChoice)).unwrap_or(0)
        }
    };
    let limit = limit.unwrap_or(100);
    if !(1..=100).contains(&limit) {
        e.add("limit", Reason::OutOfRange { min: 1, max: 100 });
    }
    e.into_result()?;
    Ok((after, limit))
}

/// The page of `rows` (read one beyond `limit` to know whether more follow).
fn page_of<R, T: ToSchema>(rows: Vec<R>, limit: u64, id: impl Fn(&R) -> i32, item: impl Fn(R) -> T) -> Page<T> {
    let (rows, next_cursor) = cut(rows, limit, id);
    Page { items: rows.into_iter().map(item).collect(), next_cursor }
}

/// The page's rows of `rows` (read one beyond `limit`) and the cursor of the next page.
fn cut<R>(mut rows: Vec<R>, limit: u64, id: impl Fn(&R) -> i32) -> (Vec<R>, Option<String>) {
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| id(r).to_string()) } else { None };
    (rows, next_cursor)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Roadshow API",
        version = "1.0.0",
        description = "Events, registrations, leads, projects and results of a promotion bureau's roadshows. \
            Authenticate with an API token (`Authorization: Bearer rsk_…`, created by an owner under \
            API tokens) or a signed-in session. Lists are paged with `cursor`/`next_cursor`; \
            errors are RFC 9457 problem details."
    ),
    servers((url = "/api/v1")),
    modifiers(&Security),
    security(("token" = [])),
    tags(
        (name = "roadshows", description = "A year's programme of stops"),
        (name = "events", description = "Stops: list, read, create, change, publish, cancel"),
        (name = "registrations", description = "Guests of a stop, and checking them in"),
        (name = "leads", description = "People met, and the pipeline"),
        (name = "projects", description = "Projects signed and funds in place"),
        (name = "figures", description = "Units, targets and the leaders' dashboard"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some("An API token, `rsk_` and 48 hex digits".into());
        components.add_security_scheme("token", SecurityScheme::Http(bearer));
    }
}

/// The routes and their document.
fn parts() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(events::routes())
        .merge(registrations::routes())
        .merge(leads::routes())
        .merge(figures::routes())
        .split_for_parts()
}

/// The OpenAPI document, made once.
pub fn openapi() -> &'static utoipa::openapi::OpenApi {
    DOC.get_or_init(|| parts().1)
}

/// The document, kept by the first router built (or made on its own when asked first).
static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();

static DOC_JSON: LazyLock<Arc<String>> =
    LazyLock::new(|| Arc::new(openapi().to_pretty_json().unwrap_or_else(|_| "{}".into())));

/// `/api/v1` with its document and its readable page; any other path under it is a 404 problem.
pub fn router() -> axum::Router<AppState> {
    let (routes, doc) = parts();
    let _ = DOC.set(doc);
    routes
        .route("/openapi.json", get(|| async { json(DOC_JSON.as_str().to_string()) }))
        .route("/docs", get(docs::page))
        .fallback(|| async { problem::Problem::new(StatusCode::NOT_FOUND, "No such API path").into_response() })
}

fn json(body: String) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
