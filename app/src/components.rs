//! Page components more than one area draws: when an event happens (in the venue's time
//! and the reader's), the industry-chain checkboxes, the not-found page, and the signed-in
//! member of the organizer area.

use chrono::{DateTime, NaiveDateTime, Utc};
use leptos::prelude::*;

use crate::auth::Member;
use crate::domain::IndustryChain;
use crate::i18n::{format_span, use_lang, use_texts};

/// When an event happens: in the venue's time, and in the reader's own when different.
#[component]
pub fn EventWhen(
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    utc_offset: String,
    time_zone: String,
    starts_at: DateTime<Utc>,
) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    view! {
        <p class="when">
            <span class="venue-time">{format_span(lang, starts_local, ends_local)}</span>
            " "
            <small>{format!("({} · {time_zone} {utc_offset})", t.venue_time)}</small>
        </p>
        <ViewerTime starts_at utc_offset/>
    }
}

/// The reader's local time, filled in by the browser (which knows its own zone) and shown
/// only when it differs from the venue's offset: by the guest script on a guest's page, by
/// the WASM in the organizer area. The line's room is kept from the start (no shift).
#[component]
fn ViewerTime(starts_at: DateTime<Utc>, utc_offset: String) -> impl IntoView {
    let local = RwSignal::new(None::<String>);
    let t = use_texts();
    let lang = use_lang();
    let millis = starts_at.timestamp_millis();
    let offset = utc_offset.clone();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis as f64));
            let minutes = -(date.get_timezone_offset() as i32);
            let sign = if minutes < 0 { '-' } else { '+' };
            let mine = format!("UTC{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60);
            if mine != offset {
                let locale = if lang == crate::i18n::Lang::Zh { "zh-CN" } else { "en-GB" };
                let text: String = date.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED).into();
                local.set(Some(format!("{}: {text} ({mine})", t.your_time)));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&offset, lang, millis, local);
    });
    view! {
        <p class="viewer-time" data-starts-at=millis data-offset=utc_offset data-label=t.your_time>
            {move || local.get()}
        </p>
    }
}

/// Industry chain checkboxes posting `form[industry_chains][slug]`, with their message.
#[component]
pub fn ChainCheckboxes(legend: &'static str, checked: std::collections::BTreeMap<String, String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="chains">
            <legend>{legend}</legend>
            {IndustryChain::ALL
                .into_iter()
                .map(|c| {
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                name=format!("form[industry_chains][{}]", c.slug())
                                checked=checked.contains_key(c.slug())
                            />
                            {c.label(lang)}
                        </label>
                    }
                })
                .collect_view()}
            <crate::forms::FieldMessage field="industry_chains"/>
        </fieldset>
    }
}

/// The signed-in member, for pages inside the organizer area.
pub fn use_member() -> Option<Member> {
    use_context::<Member>()
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let t = use_texts();
    view! {
        <main class="page">
            <h1>{t.not_found}</h1>
            <p><a href="/">{t.back_home}</a></p>
        </main>
    }
}

/// Set by the browser entry once the organizer page is hydrated: from then on, an address
/// outside the organizer's routes is a page the WASM does not carry.
pub static HYDRATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The browser's fallback route. While hydrating it is the server's not-found page; a link
/// followed afterwards to a guest's page (which the WASM does not carry) loads that page
/// from the server.
#[component]
pub fn Elsewhere() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if HYDRATED.load(std::sync::atomic::Ordering::Relaxed) {
        let location = leptos_router::hooks::use_location();
        let (path, search, hash) =
            (location.pathname.get_untracked(), location.search.get_untracked(), location.hash.get_untracked());
        let query = if search.is_empty() || search.starts_with('?') { search } else { format!("?{search}") };
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_href(&format!("{path}{query}{hash}"));
        }
    }
    view! { <NotFound/> }
}

/// The inside of a form that takes a check-in code, for the check-in and capture pages: a
/// USB or Bluetooth scanner types the code and Enter into the focused field; the camera
/// button (`ScanCamera`, before or after hydration) does the same from a phone.
#[component]
pub fn ScanCodeFields(
    #[prop(into)] event_id: Signal<i32>,
    submit: &'static str,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <input type="hidden" name="event_id" value=event_id/>
        <input type="text" name="code" id="check-in-code" autocomplete="off" autocapitalize="characters"
            aria-label=t.scan_or_type placeholder=t.scan_or_type autofocus=autofocus/>
        <button type="submit" class="primary">{submit}</button>
        <button type="button" id="scan-camera" class="scan" hidden>{t.scan_camera}</button>
    }
}

/// The camera's picture and the script that reads codes from it into `ScanCodeFields`
/// (shown only where the browser can scan).
#[component]
pub fn ScanCamera() -> impl IntoView {
    let t = use_texts();
    view! {
        <video id="scan-video" playsinline muted hidden></video>
        <p id="scan-unsupported" class="hint" hidden>{t.scan_unsupported}</p>
        <script type="module" src="/scan.js" nonce=leptos::nonce::use_nonce()></script>
    }
}
