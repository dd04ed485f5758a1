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

/// The reader's local time, filled in by the browser (which knows its own zone) and
/// shown only when it differs from the venue's offset.
#[component]
fn ViewerTime(starts_at: DateTime<Utc>, utc_offset: String) -> impl IntoView {
    let local = RwSignal::new(None::<String>);
    let t = use_texts();
    let lang = use_lang();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(starts_at.timestamp_millis() as f64));
            let minutes = -(date.get_timezone_offset() as i32);
            let sign = if minutes < 0 { '-' } else { '+' };
            let mine = format!("UTC{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60);
            if mine != utc_offset {
                let locale = if lang == crate::i18n::Lang::Zh { "zh-CN" } else { "en-GB" };
                let text: String = date.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED).into();
                local.set(Some(format!("{text} ({mine})")));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&utc_offset, lang, starts_at);
    });
    move || local.get().map(|text| view! { <p class="viewer-time">{t.your_time}": "{text}</p> })
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
