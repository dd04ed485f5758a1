//! The browser's defences, on every response from one layer: a Content-Security-Policy
//! built on a nonce made for each request (the same nonce the Leptos render writes on its
//! scripts), `nosniff`, the referrer policy, framing refused, the camera only on the pages
//! that scan, and HSTS when the public URL is HTTPS. See the README's security section.

use app::state::AppState;
use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use leptos::prelude::{provide_context, use_context};

/// The nonce of this request's policy, handed from the layer to the Leptos render
/// through the request's extensions.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// What the policy depends on besides the request.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// The public URL is HTTPS: browsers are told to come back only over HTTPS.
    pub https: bool,
    /// `cargo leptos watch` is running: its reload script talks to a websocket.
    pub live_reload: bool,
}

/// Whether `cargo leptos watch` runs this process: read once, not on every request.
static LIVE_RELOAD: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| std::env::var_os("LEPTOS_WATCH").is_some());

/// Paths that carry a private link's token (a guest's registration, an unsubscribe link):
/// they send no `Referer`, and the log names their route, never the path itself.
pub const TOKEN_PATHS: [&str; 3] = ["/r/", "/h/", "/unsubscribe/"];

/// Sets the security headers on `next`'s response (and gives the render its nonce).
pub async fn headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let nonce = app::crypto::random_hex::<16>();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    // A `304` updates the headers the browser keeps with the page: it must not replace the
    // page's policy with a body-less answer's.
    if response.status() == axum::http::StatusCode::NOT_MODIFIED {
        return response;
    }
    let policy = Policy { https: state.config.secure_cookies, live_reload: *LIVE_RELOAD };
    apply(response.headers_mut(), &policy, &path, &nonce);
    response
}

/// The Leptos render's context: the application state, and the nonce the layer put into
/// this response's policy (in place of the one `leptos_axum` makes, which no header names).
pub fn render_context(state: AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(state.clone());
        let nonce =
            use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
        if let Some(CspNonce(nonce)) = nonce {
            provide_context(leptos::nonce::Nonce::from_value(nonce));
        }
    }
}

fn apply(headers: &mut HeaderMap, policy: &Policy, path: &str, nonce: &str) {
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|content_type| content_type.starts_with("text/html"));
    // Whatever does not say how it may be kept is one reader's: a shared cache keeps none
    // of it (the organizer's pages, server functions' answers, redirects).
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    let mut set = |name: HeaderName, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff".into());
    set(header::REFERRER_POLICY, referrer_policy(path).into());
    if policy.https {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000".into());
    }
    if html {
        let scripts = if app::web::is_public_path(path) && !policy.live_reload {
            GUEST_PAGE_POLICY.to_string()
        } else {
            page_policy(nonce, policy.live_reload)
        };
        // The event preview is shown in a frame of the edit page, by this site only.
        if is_framed_here(path) {
            set(header::CONTENT_SECURITY_POLICY, scripts.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
            set(header::X_FRAME_OPTIONS, "SAMEORIGIN".into());
        } else {
            set(header::CONTENT_SECURITY_POLICY, scripts);
            set(header::X_FRAME_OPTIONS, "DENY".into());
        }
        set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin".into());
        set(HeaderName::from_static("permissions-policy"), permissions_policy(path).into());
    } else if path == "/sw.js" {
        // The service worker fetches the door's pages and files from this origin only.
        set(header::CONTENT_SECURITY_POLICY, SERVICE_WORKER_POLICY.into());
    } else {
        // Data (JSON, CSV, files) opened on its own runs nothing and is framed nowhere.
        set(header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'".into());
    }
}

/// The service worker's own policy (a worker runs under its script's): it fetches from
/// this origin and runs nothing else.
pub const SERVICE_WORKER_POLICY: &str = "default-src 'none'; connect-src 'self'; frame-ancestors 'none'";

/// A guest's page runs one script, the guest script from this origin, and nothing inline:
/// the page carries no nonce, so the same bytes can be kept and served to every reader.
pub const GUEST_PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Scripts run only with this response's nonce, or when a script that had it loads them
/// (`'strict-dynamic'`: the WASM loader's module, a page script the WASM adds); any other
/// script, inline script, event handler attribute and `javascript:` URL is refused.
/// `'wasm-unsafe-eval'` lets the WASM compile. Inline styles stay allowed: emails shown in
/// the Outbox and template previews are styled inline, and a style cannot run code; so do
/// images over HTTPS, which Markdown descriptions and templates may show. The one worker
/// is this origin's service worker (the door's pages open offline).
pub fn page_policy(nonce: &str, live_reload: bool) -> String {
    let connect = if live_reload { "'self' ws: wss:" } else { "'self'" };
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src {connect}; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Pages behind a private link's token (in the path, or for `/setup` in the query): one
/// reader's, never kept by a shared cache, never sending a `Referer`.
pub fn is_private(path: &str) -> bool {
    TOKEN_PATHS.iter().chain(&["/setup"]).any(|private| path.starts_with(private))
}

/// The one page another page of this site frames: an event's phone preview.
pub fn is_framed_here(path: &str) -> bool {
    path.starts_with("/admin/preview/")
}

/// Private links carry their token in the path or query: those pages send no `Referer`
/// at all; every other page only its origin to another site.
fn referrer_policy(path: &str) -> &'static str {
    if is_private(path) { "no-referrer" } else { "strict-origin-when-cross-origin" }
}

/// The camera only where guests' codes are scanned (check-in, lead capture, a meeting
/// host's own page at the table); those pages are reached by full page loads, so each
/// document gets its own policy.
fn permissions_policy(path: &str) -> &'static str {
    if scans_codes(path) {
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
    } else {
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    }
}

fn scans_codes(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    if path == "/admin/leads/new" || path.strip_prefix("/h/").is_some_and(|token| !token.is_empty()) {
        return true;
    }
    let Some(rest) = path.strip_prefix("/admin/events/") else {
        return false;
    };
    matches!(rest.split_once('/'), Some((id, "check-in" | "capture")) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_camera_only_where_codes_are_scanned() {
        assert!(scans_codes("/admin/events/12/check-in"));
        assert!(scans_codes("/admin/events/12/capture"));
        assert!(scans_codes("/admin/leads/new"));
        assert!(scans_codes("/h/12-abcdef"));
        assert!(!scans_codes("/h/"));
        assert!(!scans_codes("/admin/events/12/registrations"));
        assert!(!scans_codes("/admin/events/x/check-in"));
        assert!(!scans_codes("/e/check-in"));
        assert!(!scans_codes("/admin/leads/12"));
    }

    #[test]
    fn private_links_send_no_referrer() {
        assert_eq!(referrer_policy("/r/12-abcdef"), "no-referrer");
        assert_eq!(referrer_policy("/unsubscribe/abc"), "no-referrer");
        assert_eq!(referrer_policy("/setup"), "no-referrer");
        assert_eq!(referrer_policy("/e/a-stop"), "strict-origin-when-cross-origin");
    }

    #[test]
    fn html_gets_the_page_policy_with_its_nonce() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        apply(&mut headers, &Policy { https: true, live_reload: false }, "/admin/x", "abc123");
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval';"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
        assert_eq!(headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
        assert_eq!(headers["permissions-policy"], permissions_policy("/admin/x"));

        // A guest's page: its one script from this origin, nothing inline, no nonce.
        let mut guest = HeaderMap::new();
        guest.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        apply(&mut guest, &Policy::default(), "/e/x", "abc123");
        let csp = guest[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self';") && !csp.contains("abc123"), "{csp}");

        let mut json = HeaderMap::new();
        json.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        apply(&mut json, &Policy::default(), "/api/x", "abc123");
        assert_eq!(json[header::CONTENT_SECURITY_POLICY], "default-src 'none'; frame-ancestors 'none'");
        assert!(!json.contains_key(header::STRICT_TRANSPORT_SECURITY));
        assert_eq!(json[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

        // The service worker fetches from this origin; the pages may register it only.
        let mut worker = HeaderMap::new();
        worker.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript"));
        apply(&mut worker, &Policy::default(), "/sw.js", "abc123");
        assert_eq!(worker[header::CONTENT_SECURITY_POLICY], SERVICE_WORKER_POLICY);
        assert!(page_policy("n", false).contains("worker-src 'self';"));
    }
}
