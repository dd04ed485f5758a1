//! A guest's pages: rendered whole on the server (no streamed parts, no hydration data:
//! they load no WASM), and the public ones kept in memory for a second, per language, with
//! their ETag, so a busy stop's page is served without rendering it each time.
//!
//! A kept page is dropped as soon as any event or its seats change (the event cache's
//! generation moves: a change in this process, or on PostgreSQL one another process made,
//! told by the database) and is never older than [`FRESH_FOR`], as the event cache's events.

use std::{
    collections::HashMap,
    io::Write as _,
    sync::{Arc, Mutex, OnceLock},
    time::{Instant, SystemTime},
};

use app::events::cache::FRESH_FOR;
use app::i18n::Lang;
use app::state::AppState;
use axum::{
    body::{Body, Bytes, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures::StreamExt as _;
use leptos::prelude::*;
use leptos_integration_utils::{BoxedFnOnce, PinnedFuture, PinnedStream};

/// What a public page varies by besides its address.
const VARY: &str = "Accept-Encoding, Accept-Language, Cookie";

/// A rendered public page.
struct Kept {
    html: Bytes,
    br: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
    etag: HeaderValue,
    last_modified: HeaderValue,
    rendered: Instant,
    generation: u64,
}

/// A page's address and the code of its language.
type Key = (String, &'static str);

/// The kept pages, by address and language, and one lock per address so that a page
/// missing under load is rendered once, not once per waiting request.
#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<Key, Arc<Kept>>>,
    rendering: Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
}

impl PageCache {
    /// The page kept for `key`, fresh or not.
    fn kept(&self, key: &Key) -> Option<Arc<Kept>> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    fn fresh(&self, key: &Key, generation: u64) -> Option<Arc<Kept>> {
        self.kept(key).filter(|kept| kept.generation == generation && kept.rendered.elapsed() < FRESH_FOR)
    }

    fn keep(&self, key: Key, kept: Arc<Kept>) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.len() >= 10_000 {
            pages.clear();
        }
        pages.insert(key, kept);
    }

    fn render_lock(&self, key: &Key) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        if locks.len() >= 10_000 {
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        locks.entry(key.clone()).or_default().clone()
    }
}

/// Pages that are the same for every reader of a language: the home page, an event's page
/// and a roadshow's, asked without a query (a query carries a refused form's values or an
/// invitation: those are rendered for their reader and never stored).
fn shared_page(method: &Method, path: &str, query: Option<&str>) -> bool {
    let one_segment =
        |prefix: &str| path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    *method == Method::GET && query.is_none() && (path == "/" || one_segment("/e/") || one_segment("/roadshow/"))
}

/// `GET` of a guest's page (and the not-found page of any address outside `/admin`).
pub async fn public_page(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if !shared_page(request.method(), &path, request.uri().query()) {
        // A private link's page, a refused form's values and an invitation are one reader's.
        let personal = crate::security::is_private(&path) || request.uri().query().is_some_and(|q| !q.is_empty());
        let mut response = render(&state, request).await;
        let policy = if personal { "private, no-store" } else { "no-cache" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        return response;
    }
    let lang = app::i18n::headers_lang(request.headers());
    let (Ok(cache), Ok(events)) = (state.part::<Arc<PageCache>>(), app::events::cache::of(&state)) else {
        return render(&state, request).await;
    };
    let key = (path, lang.code());
    if let Some(kept) = cache.fresh(&key, events.generation()) {
        return serve(&kept, request.headers());
    }
    let lock = cache.render_lock(&key);
    let _rendering = lock.lock().await;
    // Rendered by the request this one waited for?
    let generation = events.generation();
    if let Some(kept) = cache.fresh(&key, generation) {
        return serve(&kept, request.headers());
    }
    // The request goes to the render; what `serve` reads of it stays.
    let headers = request.headers().clone();
    let response = render(&state, request).await;
    if response.status() != StatusCode::OK {
        let mut response = response;
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return response;
    }
    let Ok(html) = to_bytes(response.into_body(), 16 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = etag_of(&html, lang);
    // The same text as the page kept before keeps its date (it did not change).
    let last_modified = cache
        .kept(&key)
        .filter(|p| p.etag == etag)
        .map(|p| p.last_modified.clone())
        .unwrap_or_else(|| http_date(SystemTime::now()));
    let kept = Arc::new(Kept {
        html,
        br: OnceLock::new(),
        gzip: OnceLock::new(),
        etag,
        last_modified,
        rendered: Instant::now(),
        generation,
    });
    cache.keep(key, kept.clone());
    serve(&kept, &headers)
}

/// Renders a guest's page whole, with hydration off: no resource data, no `<template>`
/// parts, no inline script (the page's policy allows none).
async fn render(state: &AppState, request: Request) -> Response {
    let options = state.leptos_options.clone();
    let context = crate::security::render_context(state.clone());
    let context = move || {
        context();
        if let Some(shared) = Owner::current_shared_context() {
            shared.set_is_hydrating(false);
        }
    };
    leptos_axum::handle_response_inner(context, move || app::shell(options), request, whole_page).await
}

/// The page in one piece, after every suspended part has resolved; the hydration data
/// (which no WASM will read) is left out.
fn whole_page<IV: IntoView + 'static>(
    app: IV,
    _hydration_data: BoxedFnOnce<PinnedStream<String>>,
    _out_of_order: bool,
) -> PinnedFuture<PinnedStream<String>> {
    Box::pin(async move {
        let html = app.to_html_stream_in_order().collect::<String>().await;
        Box::pin(futures::stream::once(async move { html })) as PinnedStream<String>
    })
}

/// A kept page as the request asks for it: `304` when the browser holds it already,
/// otherwise compressed the way the browser accepts (compressed once, on first asking).
fn serve(kept: &Kept, request: &HeaderMap) -> Response {
    let mut builder = Response::builder()
        .header(header::ETAG, kept.etag.clone())
        .header(header::LAST_MODIFIED, kept.last_modified.clone())
        .header(header::CACHE_CONTROL, "public, no-cache")
        .header(header::VARY, VARY);
    if not_modified(kept, request) {
        return builder.status(StatusCode::NOT_MODIFIED).body(Body::empty()).unwrap_or_default();
    }
    builder = builder.header(header::CONTENT_TYPE, "text/html; charset=utf-8");
    let accepts = request.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let accepts = |coding: &str| {
        accepts.split(',').any(|part| {
            let mut pieces = part.split(';');
            pieces.next().is_some_and(|c| c.trim().eq_ignore_ascii_case(coding))
                && !pieces.any(|p| p.trim().replace(' ', "") == "q=0")
        })
    };
    let (body, coding) = if accepts("br") {
        (kept.br.get_or_init(|| brotli(&kept.html)).clone(), Some("br"))
    } else if accepts("gzip") {
        (kept.gzip.get_or_init(|| gzip(&kept.html)).clone(), Some("gzip"))
    } else {
        (kept.html.clone(), None)
    };
    if let Some(coding) = coding {
        builder = builder.header(header::CONTENT_ENCODING, coding);
    }
    builder.body(Body::from(body)).unwrap_or_default()
}

/// `If-None-Match` names the kept page (weak comparison), or, without it, the page has
/// not changed since `If-Modified-Since`.
fn not_modified(kept: &Kept, request: &HeaderMap) -> bool {
    let tag = kept.etag.to_str().unwrap_or_default().trim_start_matches("W/");
    if let Some(asked) = request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return asked.split(',').map(|t| t.trim()).any(|t| t == "*" || t.trim_start_matches("W/") == tag);
    }
    match request.get(header::IF_MODIFIED_SINCE) {
        Some(since) => since == kept.last_modified,
        None => false,
    }
}

fn etag_of(html: &[u8], lang: Lang) -> HeaderValue {
    let hash = app::web::content_hash(html);
    HeaderValue::from_str(&format!("W/\"{}-{hash:016x}\"", lang.code())).unwrap_or(HeaderValue::from_static("W/\"0\""))
}

fn http_date(time: SystemTime) -> HeaderValue {
    let time: chrono::DateTime<chrono::Utc> = time.into();
    HeaderValue::from_str(&time.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
}

fn brotli(bytes: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
        let _ = writer.write_all(bytes);
    }
    Bytes::from(out)
}

fn gzip(bytes: &[u8]) -> Bytes {
    let mut writer = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = writer.write_all(bytes);
    Bytes::from(writer.finish().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pages_every_reader_shares_are_kept() {
        assert!(shared_page(&Method::GET, "/", None));
        assert!(shared_page(&Method::GET, "/e/a-stop", None));
        assert!(shared_page(&Method::GET, "/roadshow/3", None));
        assert!(!shared_page(&Method::GET, "/e/a-stop", Some("invite=abc")));
        assert!(!shared_page(&Method::GET, "/e/", None));
        assert!(!shared_page(&Method::GET, "/e/a/b", None));
        assert!(!shared_page(&Method::POST, "/e/a-stop", None));
        assert!(!shared_page(&Method::GET, "/r/12-token", None));
        assert!(!shared_page(&Method::GET, "/login", None));
    }
}
