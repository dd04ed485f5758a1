//! The door's parts of the check-in and lead-capture pages: the bar that prepares the
//! phone and says whether it is online and what waits for upload, the notes of what was
//! done, and the list of guests the phone holds. Shown once the page is hydrated (the
//! phone's storage is read in the browser only).

use leptos::prelude::*;

use super::browser::{Door, Note};
use super::local;
use super::texts::{DoorTexts, texts};
use crate::domain::RegistrationStatus;
use crate::i18n::{Lang, use_lang};

/// `{n}`-style words filled in.
fn fill(text: &str, pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(text.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// A time (Unix seconds) as the phone's clock shows it, `HH:MM`.
fn clock(secs: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::DateTime::from_timestamp(secs, 0).map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
    }
}

/// Whether the door's page shows the phone's own list (prepared here, storage read).
pub fn door_mode() -> bool {
    use_context::<Door>().is_some_and(|door| door.prepared())
}

/// The bar at the top of the door's pages: prepare the phone, or what it holds, whether
/// it is online, what waits for upload.
#[component]
pub fn DoorBar() -> impl IntoView {
    let Some(door) = use_context::<Door>() else { return ().into_any() };
    let lang = use_lang();
    let d = texts(lang);
    view! {
        <Show when=move || door.ready.get()>
            <section class="door-bar" class:offline=move || !door.online.get() aria-label=d.prepare>
                {move || match door.pack.get() {
                    None => view! {
                        <p class="hint">{d.prepare_hint}</p>
                        <button type="button" class="primary prepare-door" disabled=move || door.preparing.get()
                            on:click=move |_| door.prepare()>
                            {move || if door.preparing.get() { d.preparing } else { d.prepare }}
                        </button>
                    }
                    .into_any(),
                    Some(pack) => view! {
                        <p class="door-state" role="status">
                            <strong class="network">{move || if door.online.get() {
                                if door.live.get() { format!("{} · {}", d.online, d.live) } else { d.online.to_string() }
                            } else {
                                d.offline.to_string()
                            }}</strong>
                            " · "<span class="held">{fill(d.guests_held, &[("n", pack.guests.iter().filter(|g| !local::is_pending(g)).count().to_string())])}</span>
                            " · "<span>{fill(d.refreshed_at, &[("t", clock(pack.prepared_at.timestamp()))])}</span>
                            " · "<span class="waiting">{move || waiting_text(door, d)}</span>
                        </p>
                        <p class="actions">
                            <button type="button" on:click=move |_| door.prepare() disabled=move || door.preparing.get() || !door.online.get()>
                                {move || if door.preparing.get() { d.preparing } else { d.refresh }}
                            </button>
                            <button type="button" class="link" on:click=move |_| door.forget()>{d.forget}</button>
                        </p>
                    }
                    .into_any(),
                }}
                {move || door.problem.get().map(|e| {
                    let text = match e {
                        crate::error::AppError::BadRequest(what) if what == "storage" => d.storage_full.to_string(),
                        crate::error::AppError::Unauthorized => d.sign_in_again.to_string(),
                        e => e.message(lang),
                    };
                    view! { <p class="form-error" role="alert">{text}</p> }
                })}
            </section>
        </Show>
    }
    .into_any()
}

fn waiting_text(door: Door, d: &'static DoorTexts) -> String {
    if let Some((done, total)) = door.uploading.get() {
        return fill(d.uploading, &[("done", done.to_string()), ("total", total.to_string())]);
    }
    match door.waiting.with(Vec::len) {
        0 => d.all_uploaded.to_string(),
        n => fill(d.waiting, &[("n", n.to_string())]),
    }
}

/// What a note says.
fn note_text(note: &Note, lang: Lang) -> (String, bool) {
    let d = texts(lang);
    match note {
        Note::CheckedIn(name) => (format!("{name} · {}", d.checked_in), false),
        Note::Already(name, at) => (format!("{name} · {} {}", d.already, clock(*at)), true),
        Note::NotConfirmed(name) => (format!("{name} · {}", d.not_confirmed), true),
        Note::NotInList(code) => (format!("{code} {}", d.not_in_list), true),
        Note::WalkIn(name, RegistrationStatus::Confirmed) => (format!("{name} · {}", d.walk_in_seated), false),
        Note::WalkIn(name, _) => (format!("{name} · {}", d.walk_in_waitlisted), true),
        Note::LeadKept(name) => (format!("{name} · {}", d.lead_kept), false),
        Note::WaitlistedAfterAll(name, position) => {
            (format!("{name} · {}", fill(d.waitlisted_after_all, &[("n", position.to_string())])), true)
        }
        Note::UnknownCode(code) => (format!("{code} · {}", d.unknown_code), true),
        Note::CheckedInThere(name) => (format!("{name} · {}", d.checked_in_there), false),
        Note::Refused(name, errors) => {
            let why: Vec<String> = errors.iter().map(|e| e.reason.message(lang)).collect();
            (format!("{name} · {} ({})", d.refused, why.join("; ")), true)
        }
    }
}

/// The newest notes of what the phone did and what the server answered.
#[component]
pub fn DoorNotes(#[prop(default = 6)] shown: usize) -> impl IntoView {
    let Some(door) = use_context::<Door>() else { return ().into_any() };
    let lang = use_lang();
    view! {
        <ul class="door-notes" aria-live="polite">
            {move || door.notes.get().into_iter().take(shown).map(|(at, note)| {
                let (text, warn) = note_text(&note, lang);
                view! { <li class:warn=warn><time>{clock(at)}</time>" "{text}</li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The guests the phone holds, found by name, company or code, each checked in with a tap.
#[component]
pub fn DoorList() -> impl IntoView {
    let Some(door) = use_context::<Door>() else { return ().into_any() };
    let lang = use_lang();
    let (d, t) = (texts(lang), crate::i18n::texts(lang));
    let query = RwSignal::new(String::new());
    const SHOWN: usize = 100;
    view! {
        <input type="search" class="door-search" aria-label=d.search placeholder=d.search
            on:input=move |ev| query.set(event_target_value(&ev))/>
        {move || door.pack.with(|pack| pack.as_ref().map(|pack| {
            let (confirmed, waitlisted, checked_in) = local::counts(pack);
            view! {
                <p class="live-counts">
                    <span class="count-confirmed">{format!("{} {}/{}", t.reg_confirmed, confirmed, pack.capacity)}</span>
                    " · "<span class="count-checked-in">{format!("{} {}", t.checked_in, checked_in)}</span>
                    " · "<span class="count-waitlisted">{format!("{} {}", t.reg_waitlisted, waitlisted)}</span>
                </p>
            }
        }))}
        <ul class="checkin-list door-list">
            {move || door.pack.with(|pack| {
                let Some(pack) = pack else { return Vec::new() };
                let found = query.with(|q| local::search(pack, q, usize::MAX).into_iter().cloned().collect::<Vec<_>>());
                let more = found.len().saturating_sub(SHOWN);
                let mut rows: Vec<AnyView> = found.into_iter().take(SHOWN).map(|guest| {
                    let pending = local::is_pending(&guest);
                    let code = guest.code().to_string();
                    let status = guest.status();
                    view! {
                        <li class=format!("guest reg-{}", status.as_str())>
                            <div class="who">
                                <strong>{guest.name().to_string()}</strong>
                                <small>{[guest.company(), if pending { d.pending } else { code.as_str() }]
                                    .into_iter()
                                    .filter(|part| !part.is_empty())
                                    .collect::<Vec<_>>()
                                    .join(" · ")}</small>
                            </div>
                            {match (guest.checked_in_at(), status) {
                                (Some(at), _) => view! { <span class="done">{format!("✓ {}", clock(at))}</span> }.into_any(),
                                (None, RegistrationStatus::Confirmed) if !pending => view! {
                                    <button type="button" class="primary" on:click=move |_| door.check_in(&code)>{t.check_in}</button>
                                }.into_any(),
                                (None, status) => view! { <span class="badge">{status.label(t)}</span> }.into_any(),
                            }}
                        </li>
                    }
                    .into_any()
                }).collect();
                if more > 0 {
                    rows.push(view! { <li class="hint">{fill(d.more, &[("n", more.to_string())])}</li> }.into_any());
                }
                rows
            })}
        </ul>
    }
    .into_any()
}
