//! Event pages: the public page of a stop, the public list of upcoming stops, and the
//! organizer's list, create, edit, clone, publish and cancel.

use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::*;
use crate::components::use_member;
use crate::components::{ChainCheckboxes, EventWhen};
use crate::forms::{FormSummary, TextArea, TextField, url_values, use_form};
use crate::html::PageTitle;
use crate::i18n::{format_date, format_number, format_time, texts_of, use_lang, use_texts};
use crate::roadshows::list_roadshows;
use crate::time_zones::TIME_ZONES;

#[component]
fn StatusBadge(status: EventStatus) -> impl IntoView {
    let t = use_texts();
    view! { <span class=format!("badge status-{}", status.as_str())>{status.label(t)}</span> }
}

#[component]
pub fn PublicHome() -> impl IntoView {
    let t = use_texts();
    let events = crate::web::resource(|| (), |_| list_public_events());
    view! {
        <PageTitle text=format!("{} · {}", t.app_name, t.tagline)/>
        <Meta name="description" content=t.tagline/>
        <section class="hero">
            <h1>{t.app_name}</h1>
            <p>{t.tagline}</p>
            <p><a href="/login">{t.sign_in}</a></p>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let events = events.await.unwrap_or_default();
                view! {
                    <h2>{t.upcoming_events}</h2>
                    {if events.upcoming.is_empty() {
                        view! { <p class="empty">{t.no_upcoming}</p> }.into_any()
                    } else {
                        view! { <EventCards events=events.upcoming/> }.into_any()
                    }}
                    {(!events.past.is_empty()).then(|| view! {
                        <h2>{t.past_events}</h2>
                        <EventCards events=events.past/>
                    })}
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventCards(events: Vec<EventSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="cards">
            {events.into_iter().map(|e| view! {
                <li class="card">
                    <a href=format!("/e/{}", e.slug)>{lang.pick(&e.title_zh, &e.title_en).to_string()}</a>
                    <p>{format_date(lang, e.starts_local)}" · "{e.city.clone()}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The public page of one stop, readable on a 360 px phone without JavaScript.
#[component]
pub fn PublicEventPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let event = crate::web::resource(slug, get_public_event);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(event) => view! { <PublicEvent event/> }.into_any(),
                    Err(_) => view! { <crate::components::NotFound/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublicEvent(event: EventDto) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let title = event.title(lang).to_string();
    let other_title = event.title(lang.other()).to_string();
    let description = event.description_html(lang).to_string();
    let map = format!(
        "https://www.openstreetmap.org/search?query={}",
        crate::web::url_encode(&format!("{} {} {}", event.venue_name, event.venue_address, event.city))
    );
    let banner = match event.status {
        EventStatus::Cancelled => Some(t.event_cancelled_banner),
        EventStatus::Completed => Some(t.event_completed_banner),
        _ => None,
    };
    let summary = format!("{} · {} · {}", format_date(lang, event.starts_local), event.city, event.venue_name);
    let json_ld = event_json_ld(&event, &title, &summary);
    let og_locale = if lang == crate::i18n::Lang::Zh { "zh_CN" } else { "en_GB" };
    view! {
        <PageTitle text=title.clone()/>
        <Meta name="description" content=summary.clone()/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=summary.clone()/>
        <Meta property="og:locale" content=og_locale/>
        <script type="application/ld+json" inner_html=json_ld></script>
        <article class="event">
            {banner.map(|b| view! { <p class="banner">{b}</p> })}
            <p class="eyebrow">
                {event.roadshow_id.zip(event.roadshow_name.clone()).map(|(id, name)| view! {
                    <a href=format!("/roadshow/{id}")>{name}</a>
                })}
            </p>
            <h1>{title}</h1>
            {(other_title != event.title(lang)).then(|| view! { <p class="subtitle" lang=lang.other().html_tag()>{other_title}</p> })}
            <section class="facts">
                <h2 class="sr">{t.when}</h2>
                <EventWhen
                    starts_local=event.starts_local
                    ends_local=event.ends_local
                    utc_offset=event.utc_offset.clone()
                    time_zone=event.time_zone.clone()
                    starts_at=event.starts_at
                />
                <p class="where">
                    <strong>{event.venue_name.clone()}</strong><br/>
                    {event.venue_address.clone()}<br/>
                    {format!("{}, {}", event.city, crate::domain::Country::name_of(&event.country, lang))}" · "
                    <a href=map rel="noopener noreferrer" target="_blank">{t.map}</a>
                </p>
                <p class="capacity">{format_number(event.capacity as i64)}" "{t.seats}</p>
                <ul class="chips">
                    {event.industry_chains.iter().map(|c| view! { <li>{c.label(lang)}</li> }).collect_view()}
                </ul>
            </section>
            <section class="description" inner_html=description></section>
            <crate::registrations::pages::RegistrationSection
                slug=event.slug.clone()
                open=event.registration_open
                seats_left=event.seats_left()
                questions=event.questions.clone()
                invite_only=event.visibility == Visibility::InviteOnly
            />
            {(!event.agenda.is_empty()).then(|| view! {
                <section class="agenda">
                    <h2>{t.agenda}</h2>
                    <ol>
                        {event.agenda.iter().map(|a| view! {
                            <li>
                                <time>{format_time(a.starts_local)}</time>
                                <span class="topic">{a.title.clone()}</span>
                                <span class="speaker">{a.speaker.clone()}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            })}
        </article>
    }
}

/// schema.org `Event` data for search engines, as JSON that is safe inside `<script>`.
fn event_json_ld(event: &EventDto, title: &str, summary: &str) -> String {
    let offset = event.utc_offset.trim_start_matches("UTC");
    let iso = |t: NaiveDateTime| format!("{}{offset}", t.format("%Y-%m-%dT%H:%M:%S"));
    let status = match event.status {
        EventStatus::Cancelled => "https://schema.org/EventCancelled",
        _ => "https://schema.org/EventScheduled",
    };
    let data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": title,
        "description": summary,
        "startDate": iso(event.starts_local),
        "endDate": iso(event.ends_local),
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": event.venue_name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.venue_address,
                "addressLocality": event.city,
                "addressCountry": event.country,
            },
        },
        "maximumAttendeeCapacity": event.capacity,
    });
    // Inside `<script>` the HTML parser still looks for `</script>` and `<!--`: no `<`,
    // `>` or `&` is written as itself (JSON reads the escapes back as the same text).
    data.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The public page of an event as a guest's phone shows it, drafts included, for the
/// organization's members: the edit page shows it in a 360 px frame (the only page that may
/// be framed, by this site only). Nothing in it can be used: it is a picture.
#[component]
pub fn EventPreviewPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or_default();
    let event = crate::web::resource(id, get_event);
    view! {
        <header class="top">
            <span class="brand">{t.app_name}</span>
        </header>
        <main class="page">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match event.await {
                        Ok(event) => view! { <div class="preview-of-page" inert><PublicEvent event/></div> }.into_any(),
                        Err(_) => view! { <crate::components::NotFound/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The organizer's event list; filters are a GET form, so they work without JavaScript
/// and every filtered view has its own URL.
#[component]
pub fn EventListPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| EventFilter {
            roadshow: q.get("roadshow").unwrap_or_default(),
            region: q.get("region").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            month: q.get("month").unwrap_or_default(),
            q: q.get("q").unwrap_or_default(),
        })
    };
    let list = crate::web::resource(filter, list_events);
    let can_write = use_member().is_some_and(|m| m.role.can_write());
    view! {
        <PageTitle text=format!("{} · {}", t.events, t.app_name)/>
        <div class="toolbar">
            <h1>{t.events}</h1>
            {can_write.then(|| view! { <a class="button" href="/admin/events/new">{t.new_event}</a> })}
        </div>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let current = filter();
                match list.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(list) => view! {
                        <form method="get" class="filters" role="search">
                            <label>{t.search}<input type="search" name="q" value=current.q.clone()/></label>
                            <label>{t.roadshow}
                                <select name="roadshow">
                                    <option value="">{t.all}</option>
                                    <option value="none" selected=current.roadshow == "none">{t.standalone}</option>
                                    {list.roadshows.iter().map(|(id, name)| view! {
                                        <option value=id.to_string() selected=current.roadshow == id.to_string()>{name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{t.region}
                                <select name="region">
                                    <option value="">{t.all}</option>
                                    {list.regions.iter().map(|r| view! {
                                        <option value=r.clone() selected=current.region == *r>{r.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{t.status}
                                <select name="status">
                                    <option value="">{t.all}</option>
                                    {EventStatus::ALL.iter().map(|s| view! {
                                        <option value=s.as_str() selected=current.status == s.as_str()>{s.label(t)}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{t.month}<input type="month" name="month" value=current.month.clone()/></label>
                            <button type="submit">{t.filter}</button>
                        </form>
                        <p class="count">{format!("{} / {}", list.events.len(), t.events)}</p>
                        {if list.events.is_empty() {
                            view! { <p class="empty">{t.no_events}</p> }.into_any()
                        } else {
                            view! {
                                <table class="events">
                                    <thead><tr>
                                        <th>{t.when}</th><th>{t.name_label}</th><th>{t.city}</th><th>{t.region}</th><th>{t.status}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.events.into_iter().map(|e| view! {
                                            <tr>
                                                <td>{format_date(lang, e.starts_local)}</td>
                                                <td><a href=format!("/admin/events/{}", e.id)>{lang.pick(&e.title_zh, &e.title_en).to_string()}</a></td>
                                                <td>{e.city.clone()}</td>
                                                <td>{e.region.clone()}</td>
                                                <td><StatusBadge status=e.status/></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The fields of the event form, shared by create, edit and clone.
#[component]
fn EventFields(initial: EventForm, roadshows: Vec<(i32, String)>) -> impl IntoView {
    let t = use_texts();
    let checked = initial.industry_chains.clone();
    let country = RwSignal::new(initial.country.clone());
    let on_country = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        if let Some(select) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            && select.name() == "form[country]"
        {
            country.set(select.value());
        }
    };
    view! {
        <FormSummary/>
        <fieldset>
            <div class="field">
                <label class="label" for="f-roadshow_id">{t.roadshow}</label>
                <select id="f-roadshow_id" name="form[roadshow_id]">
                    <option value="">{t.standalone}</option>
                    {roadshows.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=initial.roadshow_id == id.to_string()>{name}</option>
                    }).collect_view()}
                </select>
                <crate::forms::FieldMessage field="roadshow_id"/>
            </div>
            <TextField label=t.title_zh name="title_zh" value=initial.title_zh.clone() required=true maxlength=200/>
            <TextField label=t.title_en name="title_en" value=initial.title_en.clone() required=true maxlength=200/>
            <TextField label=t.slug name="slug" value=initial.slug.clone() hint=t.slug_hint maxlength=80/>
            <TextArea label=t.description_zh name="description_zh" value=initial.description_zh.clone()/>
            <TextArea label=t.description_en name="description_en" value=initial.description_en.clone()/>
        </fieldset>
        <fieldset class="grid" on:change=on_country>
            <TextField label=t.city name="city" value=initial.city.clone() required=true/>
            <crate::forms::CountrySelect label=t.country name="country" value=initial.country.clone() required=true/>
            <TextField label=t.region name="region" value=initial.region.clone() required=true list="regions"/>
            <datalist id="regions">
                {["Europe", "Africa", "Shanghai", "Shenzhen", "Beijing", "Guangzhou", "Hong Kong", "Hunan"].map(|r| view! { <option value=r/> }).collect_view()}
            </datalist>
            <TextField label=t.venue_name name="venue_name" value=initial.venue_name.clone() required=true/>
            <TextField label=t.venue_address name="venue_address" value=initial.venue_address.clone()/>
            <TimeZoneField country initial=initial.time_zone.clone()/>
            <TextField label=t.starts name="starts_local" value=initial.starts_local.clone() input_type="datetime-local" required=true/>
            <TextField label=t.ends name="ends_local" value=initial.ends_local.clone() input_type="datetime-local" required=true/>
            <TextField label=t.capacity name="capacity" value=initial.capacity.clone() input_type="number" required=true/>
            <TextField label=t.event_cost name="cost" value=initial.cost.clone() hint=t.event_cost_hint/>
            <TextField label=t.registration_opens name="registration_opens_local" value=initial.registration_opens_local.clone() input_type="datetime-local"/>
            <TextField label=t.registration_closes name="registration_closes_local" value=initial.registration_closes_local.clone() input_type="datetime-local"/>
            <div class="field">
                <label class="label" for="f-visibility">{t.visibility}</label>
                <select id="f-visibility" name="form[visibility]">
                    <option value="public" selected=initial.visibility != "invite_only">{t.visibility_public}</option>
                    <option value="invite_only" selected=initial.visibility == "invite_only">{t.visibility_invite_only}</option>
                </select>
            </div>
        </fieldset>
        <ChainCheckboxes legend=t.industry_chains checked/>
        <AgendaField text=initial.agenda.clone()/>
        <button type="submit" class="primary">{t.save}</button>
    }
}

texts_of! {
    pub struct AgendaTexts, fn agenda_texts;
    time: "时间", "Time";
    time_hint: "如 14:00，或 2030-05-11 09:00（第二天起）", "e.g. 14:00, or 2030-05-11 09:00 from the second day";
    topic: "议题", "Topic";
    speaker: "嘉宾", "Speaker";
    add: "添加一项", "Add an item";
    up: "上移", "Move up";
    down: "下移", "Move down";
    remove: "删除", "Remove";
    item: "第 {n} 项", "Item {n}";
    preview: "手机预览（已保存的内容）", "Preview on a phone (as saved)";
}

/// One agenda row as typed: its time (`14:00`, or a date and time), topic and speaker.
#[derive(Clone, Debug, Default, PartialEq)]
struct AgendaRow {
    when: String,
    topic: String,
    speaker: String,
}

/// The rows of the agenda's text (`time | topic | speaker` per line), kept as typed.
fn agenda_rows(text: &str) -> Vec<AgendaRow> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut parts = line.splitn(3, '|').map(|p| p.trim().to_string());
            AgendaRow {
                when: parts.next().unwrap_or_default(),
                topic: parts.next().unwrap_or_default(),
                speaker: parts.next().unwrap_or_default(),
            }
        })
        .collect()
}

/// The text the form posts for `rows` (the same the text box takes); empty rows are left out.
fn agenda_text(rows: &[AgendaRow]) -> String {
    rows.iter()
        .filter(|r| !(r.when.trim().is_empty() && r.topic.trim().is_empty() && r.speaker.trim().is_empty()))
        .map(|r| {
            let clean = |s: &str| s.replace(['|', '\n', '\r'], " ").trim().to_string();
            format!("{} | {} | {}", clean(&r.when), clean(&r.topic), clean(&r.speaker))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The agenda: rows of time, topic and speaker, added, removed and moved in place once the
/// page is interactive; before that (and without JavaScript) the text box, one line per
/// item. Both post the same `form[agenda]` text.
#[component]
fn AgendaField(text: String) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let a = agenda_texts(lang);
    let rows = RwSignal::new(agenda_rows(&text));
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    let posted = NodeRef::<leptos::html::Input>::new();
    // Rows are drawn again when added, removed or moved, not while typed in (the focus stays).
    let layout = RwSignal::new(0_u32);
    // The form's live check hears the change through the posted field.
    let changed = move |update: &dyn Fn(&mut Vec<AgendaRow>), moved: bool| {
        rows.update_untracked(|r| update(r));
        if moved {
            layout.update(|n| *n += 1);
        }
        #[cfg(feature = "hydrate")]
        if let Some(input) = posted.get_untracked() {
            input.set_value(&agenda_text(&rows.get_untracked()));
            if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &{
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                init
            }) {
                let _ = input.dispatch_event(&event);
            }
        }
    };
    let edit = move |i: usize, field: &'static str, value: String| {
        changed(
            &|r: &mut Vec<AgendaRow>| {
                if let Some(row) = r.get_mut(i) {
                    match field {
                        "when" => row.when = value.clone(),
                        "topic" => row.topic = value.clone(),
                        _ => row.speaker = value.clone(),
                    }
                }
            },
            false,
        )
    };
    let editor = move || {
        layout.track();
        let count = rows.with_untracked(Vec::len);
        view! {
            <fieldset class="agenda-rows" aria-describedby="e-agenda">
                <legend>{t.agenda}</legend>
                <input type="hidden" name="form[agenda]" node_ref=posted value=agenda_text(&rows.get_untracked())/>
                <ol>
                    {rows.get_untracked().into_iter().enumerate().map(|(i, row)| {
                        let n = (i + 1).to_string();
                        let item = a.item.replace("{n}", &n);
                        view! {
                            <li class="agenda-row">
                                <input class="when" aria-label=format!("{item}: {}", a.time) placeholder="14:00" prop:value=row.when
                                    title=a.time_hint on:change=move |ev| edit(i, "when", event_target_value(&ev))/>
                                <input class="topic" aria-label=format!("{item}: {}", a.topic) prop:value=row.topic maxlength=200
                                    on:change=move |ev| edit(i, "topic", event_target_value(&ev))/>
                                <input class="speaker" aria-label=format!("{item}: {}", a.speaker) prop:value=row.speaker maxlength=200
                                    on:change=move |ev| edit(i, "speaker", event_target_value(&ev))/>
                                <span class="row-actions">
                                    <button type="button" aria-label=format!("{item}: {}", a.up) disabled=i == 0
                                        on:click=move |_| changed(&|r: &mut Vec<AgendaRow>| r.swap(i - 1, i), true)>"↑"</button>
                                    <button type="button" aria-label=format!("{item}: {}", a.down) disabled=i + 1 == count
                                        on:click=move |_| changed(&|r: &mut Vec<AgendaRow>| r.swap(i, i + 1), true)>"↓"</button>
                                    <button type="button" aria-label=format!("{item}: {}", a.remove)
                                        on:click=move |_| changed(&|r: &mut Vec<AgendaRow>| { r.remove(i); }, true)>"✕"</button>
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <button type="button" class="add-row" on:click=move |_| changed(&|r: &mut Vec<AgendaRow>| r.push(AgendaRow::default()), true)>{a.add}</button>
                <small class="hint">{a.time_hint}</small>
                <crate::forms::FieldMessage field="agenda"/>
            </fieldset>
        }
    };
    view! {
        {move || if interactive.get() {
            editor().into_any()
        } else {
            view! { <TextArea label=t.agenda name="agenda" value=text.clone() rows=6 hint=t.agenda_hint/> }.into_any()
        }}
    }
}

/// The venue's time zone: the chosen country's zones are offered (the whole list, searched
/// by city, when it has none), and a country with one zone sets it.
#[component]
fn TimeZoneField(country: RwSignal<String>, initial: String) -> impl IntoView {
    let t = use_texts();
    let zone = RwSignal::new(initial);
    Effect::new(move |previous: Option<String>| {
        let code = country.get();
        if previous.is_some_and(|p| p != code)
            && let [only] = crate::time_zones::zones_of(&code)
        {
            zone.set(only.to_string());
        }
        code
    });
    let choices = move || {
        let own = crate::time_zones::zones_of(&country.get());
        if own.is_empty() { TIME_ZONES } else { own }
    };
    view! {
        <div class="field">
            <label class="label" for="f-time_zone">{t.time_zone}</label>
            <input
                id="f-time_zone"
                name="form[time_zone]"
                required
                list="time-zones"
                autocomplete="off"
                value=zone.get_untracked()
                prop:value=zone
                on:input=move |ev| zone.set(event_target_value(&ev))
                aria-describedby="e-time_zone"
            />
            <datalist id="time-zones">
                {move || choices().iter().map(|z| view! { <option value=*z/> }).collect_view()}
            </datalist>
            <crate::forms::FieldMessage field="time_zone"/>
        </div>
    }
}

#[component]
fn CreateEventForm(initial: EventForm, roadshows: Vec<(i32, String)>) -> impl IntoView {
    let action = ServerAction::<CreateEvent>::new();
    let (_, on_change) = use_form(action, |a: &CreateEvent| a.form.validate());
    view! {
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="event-form" attr:novalidate=true>
                <EventFields initial roadshows/>
            </ActionForm>
        </div>
    }
}

#[component]
fn UpdateEventForm(
    id: i32,
    initial: EventForm,
    roadshows: Vec<(i32, String)>,
    action: ServerAction<UpdateEvent>,
) -> impl IntoView {
    let (_, on_change) = use_form(action, |a: &UpdateEvent| a.form.validate());
    view! {
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="event-form" attr:novalidate=true>
                <input type="hidden" name="id" value=id/>
                <EventFields initial roadshows/>
            </ActionForm>
        </div>
    }
}

/// A new event, blank or cloned from `?from=ID` (every field can be overridden).
#[component]
pub fn NewEventPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let from = query.with_untracked(|q| q.get("from").and_then(|v| v.parse::<i32>().ok()));
    let roadshow = query.with_untracked(|q| q.get("roadshow").unwrap_or_default());
    let echoed = url_values::<CreateEvent, EventForm>();
    let data = crate::web::resource(
        move || from,
        |from| async move {
            // Both calls start in the first poll: on the server, request context is
            // only there before the first await.
            let source = async move {
                match from {
                    Some(id) => get_event(id).await.map(Some),
                    None => Ok(None),
                }
            };
            let (roadshows, source) = futures::try_join!(list_roadshows(), source)?;
            let roadshows = roadshows.into_iter().map(|r| (r.id, r.name)).collect::<Vec<_>>();
            Ok::<_, AppError>((roadshows, source))
        },
    );
    view! {
        <PageTitle text=format!("{} · {}", t.new_event, t.app_name)/>
        <h1>{move || if from.is_some() { t.clone_event } else { t.new_event }}</h1>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || {
                let roadshow = roadshow.clone();
                let echoed = echoed.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                        Ok((roadshows, source)) => {
                            let initial = match (echoed, source) {
                                (Some(echoed), _) => echoed,
                                (None, source) => match source {
                                Some(event) => EventForm { slug: String::new(), ..event.to_form() },
                                None => EventForm {
                                    roadshow_id: roadshow,
                                    time_zone: "Asia/Shanghai".into(),
                                    country: "CN".into(),
                                    capacity: "100".into(),
                                    visibility: "public".into(),
                                    ..Default::default()
                                },
                                },
                            };
                            view! { <CreateEventForm initial roadshows/> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn EditEventPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let update = ServerAction::<UpdateEvent>::new();
    let set_status = ServerAction::<SetEventStatus>::new();
    let preview_opened = RwSignal::new(false);
    // Their redirects may land on this same URL: read the event again after each success.
    let changes = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_))) {
            changes.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if matches!(set_status.value().get(), Some(Ok(_))) {
            changes.update(|n| *n += 1);
        }
    });
    let data = crate::web::resource(
        move || (id(), changes.get()),
        |(id, _)| async move {
            // Both calls start in the first poll (request context ends at the first await).
            let (roadshows, event) = futures::try_join!(list_roadshows(), get_event(id))?;
            Ok::<_, AppError>((roadshows.into_iter().map(|r| (r.id, r.name)).collect::<Vec<_>>(), event))
        },
    );
    let can_write = use_member().is_some_and(|m| m.role.can_write());
    let saved = move || query.read().get("saved").is_some();
    let echoed = url_values::<UpdateEvent, EventForm>();
    view! {
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || {
                let echoed = echoed.clone();
                Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok((roadshows, event)) => {
                        let initial = echoed.unwrap_or_else(|| event.to_form());
                        let id = event.id;
                        let status_button = move |status: EventStatus, label: &'static str| view! {
                            <ActionForm action=set_status attr:class="inline">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="status" value=status.as_str()/>
                                <button type="submit">{label}</button>
                            </ActionForm>
                        };
                        view! {
                            <PageTitle text=format!("{} · {}", event.title(lang), t.app_name)/>
                            <div class="toolbar">
                                <h1>{event.title(lang).to_string()}" "<StatusBadge status=event.status/></h1>
                                <div class="actions">
                                    {event.status.is_public().then(|| view! { <a href=format!("/e/{}", event.slug) target="_blank">{t.view_public_page}</a> })}
                                    <a href=format!("/admin/events/{id}/registrations")>
                                        {format!("{} ({})", t.registrations, event.confirmed_count)}
                                    </a>
                                    <a href=format!("/admin/events/{id}/check-in") rel="external">{t.check_in_page}</a>
                                    <a href=format!("/admin/events/{id}/capture") rel="external">{t.capture}</a>
                                    <a href=format!("/admin/leads?event={id}")>{t.leads}</a>
                                    <a href=format!("/admin/events/{id}/questions")>{t.custom_questions}</a>
                                    <a href=format!("/admin/events/{id}/meetings")>{crate::meetings::texts::of(lang).meetings}</a>
                                    {(event.visibility == Visibility::InviteOnly).then(|| view! {
                                        <a href=format!("/admin/events/{id}/invitations")>{t.invitations}</a>
                                    })}
                                    {can_write.then(|| view! {
                                        <a class="button" href=format!("/admin/events/new?from={id}")>{t.clone_event}</a>
                                        {(event.status != EventStatus::Published).then(|| status_button(EventStatus::Published, t.publish))}
                                        {(event.status != EventStatus::Cancelled).then(|| status_button(EventStatus::Cancelled, t.cancel_event))}
                                    })}
                                </div>
                            </div>
                            {move || saved().then(|| view! { <p class="saved" role="status">{t.saved}</p> })}
                            <EventWhen
                                starts_local=event.starts_local
                                ends_local=event.ends_local
                                utc_offset=event.utc_offset.clone()
                                time_zone=event.time_zone.clone()
                                starts_at=event.starts_at
                            />
                            // The frame loads when the preview is first opened.
                            <details class="phone-preview" on:toggle=move |_| preview_opened.set(true)>
                                <summary>{agenda_texts(use_lang()).preview}</summary>
                                {move || preview_opened.get().then(|| view! {
                                    <iframe
                                        src=format!("/admin/preview/{id}?saved={}", update.version().get())
                                        title=agenda_texts(use_lang()).preview
                                        width="360"
                                        height="640"
                                    ></iframe>
                                })}
                            </details>
                            <UpdateEventForm id initial roadshows action=update/>
                        }.into_any()
                    }
                }
            })}}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_rows_post_the_text_the_box_takes() {
        let text = "14:00 | 开幕致辞 Opening | 岳阳市人民政府\n\n2023-03-16 09:00 | Day two | ";
        let mut rows = agenda_rows(text);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1],
            AgendaRow { when: "2023-03-16 09:00".into(), topic: "Day two".into(), speaker: String::new() }
        );
        assert_eq!(agenda_text(&rows), "14:00 | 开幕致辞 Opening | 岳阳市人民政府\n2023-03-16 09:00 | Day two | ");
        // A bar typed into a cell cannot add a column; an empty row is left out.
        rows.push(AgendaRow { when: "15:00".into(), topic: "A | B".into(), speaker: "C\nD".into() });
        rows.push(AgendaRow::default());
        let posted = agenda_text(&rows);
        assert!(posted.ends_with("\n15:00 | A   B | C D"), "{posted}");
        let day = chrono::NaiveDate::from_ymd_opt(2023, 3, 15).unwrap();
        assert_eq!(crate::events::form::parse_agenda(&posted, day).unwrap().len(), 3);
    }
}
