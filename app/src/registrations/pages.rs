//! The registration form on an event's public page: seats left or "waitlist open"
//! before submitting, and the outcome after.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    CancelRegistration, ChangeRegistration, CheckIn, CheckInCode, Register, RegistrationFilter, RegistrationForm,
    RegistrationStatus, WalkIn, get_registration, list_registrations,
};
use crate::components::{ChainCheckboxes, EventWhen, ScanCamera, ScanCodeFields};
use crate::forms::{FieldMessage, FormSummary, TextField, url_values, use_form};
use crate::i18n::{
    Lang, format_date, format_number, format_time, seats_left as seats_left_text, use_lang, use_texts,
    waitlist_position,
};

#[component]
pub fn RegistrationSection(
    slug: String,
    open: bool,
    seats_left: i64,
    questions: Vec<crate::domain::questions::Question>,
    #[prop(optional)] invite_only: bool,
) -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let updated = move || query.read().get("updated").is_some();
    view! {
        <section class="register" id="register">
            <h2>{t.register_title}</h2>
            <Show when=updated>
                <p class="saved" role="status">{t.registration_updated_emailed}</p>
            </Show>
            {if !open {
                view! { <p class="notice">{t.registration_closed}</p> }.into_any()
            } else if !invite_only {
                view! { <SeatsLeft seats_left/> <RegisterForm slug questions/> }.into_any()
            } else {
                view! { <InvitedSection slug questions seats_left/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn SeatsLeft(seats_left: i64) -> impl IntoView {
    let t = use_texts();
    if seats_left > 0 {
        view! { <p class="seats">{seats_left_text(use_lang(), seats_left)}</p> }.into_any()
    } else {
        view! { <p class="banner seats">{t.waitlist_open}</p> }.into_any()
    }
}

/// An invite-only event's form: only behind a valid personal link (`?invite=`).
#[component]
fn InvitedSection(slug: String, questions: Vec<crate::domain::questions::Question>, seats_left: i64) -> impl IntoView {
    let t = use_texts();
    let invite = use_query_map().read_untracked().get("invite").unwrap_or_default();
    let invitation = {
        let (slug, invite) = (slug.clone(), invite.clone());
        crate::web::resource(
            || (),
            move |_| {
                let (slug, invite) = (slug.clone(), invite.clone());
                async move {
                    if invite.is_empty() { None } else { Some(crate::invitations::get_invitation(slug, invite).await) }
                }
            },
        )
    };
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (slug, questions, invite) = (slug.clone(), questions.clone(), invite.clone());
                Suspend::new(async move {
                    match invitation.await {
                        None => view! { <p class="notice">{t.invitation_only}</p> }.into_any(),
                        Some(Err(_)) => view! { <p class="form-error">{t.invitation_invalid}</p> }.into_any(),
                        Some(Ok(inv)) => view! {
                            <p class="saved">{t.invitation_welcome}</p>
                            <SeatsLeft seats_left/>
                            <RegisterForm slug questions invitation=(invite, inv)/>
                        }
                            .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The registration form. Behind a personal invitation the address is the invited one
/// and the link's token goes with the form.
#[component]
fn RegisterForm(
    slug: String,
    questions: Vec<crate::domain::questions::Question>,
    #[prop(optional)] invitation: Option<(String, crate::invitations::InvitationView)>,
) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<Register>::new();
    let (_, on_change) = use_form(action, |a: &Register| a.form.validate());
    let mut values = url_values::<Register, RegistrationForm>().unwrap_or_default();
    let invited = invitation.is_some();
    let invite = invitation.map(|(token, invited)| {
        values.email = invited.email;
        if values.name.is_empty() {
            values.name = invited.name;
        }
        token
    });
    view! {
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="register-form" attr:novalidate=true>
                <FormSummary/>
                <input type="hidden" name="slug" value=slug/>
                {invite.map(|token| view! { <input type="hidden" name="invite" value=token/> })}
                <GuestFields values email_editable=!invited consent_needed=true questions/>
                <FieldMessage field="event"/>
                <button type="submit" class="primary">{t.register_button}</button>
            </ActionForm>
        </div>
    }
}

/// The guest's own browser zone, known once the page is hydrated (empty before).
fn browser_time_zone() -> String {
    #[cfg(feature = "hydrate")]
    {
        let options =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
        js_sys::Reflect::get(&options, &wasm_bindgen::JsValue::from_str("timeZone"))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// The fields a guest fills in, for registering and for changing a registration.
#[component]
fn GuestFields(
    values: RegistrationForm,
    email_editable: bool,
    /// Registering asks for consent; changing a registration keeps the one given.
    consent_needed: bool,
    questions: Vec<crate::domain::questions::Question>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let echoed = values;
    let language = if echoed.language.is_empty() { lang.code().to_string() } else { echoed.language.clone() };
    let chains = echoed.industry_chains.clone();
    let time_zone = RwSignal::new(echoed.time_zone.clone());
    Effect::new(move |_| {
        let zone = browser_time_zone();
        if !zone.is_empty() {
            time_zone.set(zone);
        }
    });
    view! {
                <input type="hidden" name="form[time_zone]" prop:value=time_zone/>
                <TextField label=t.name name="name" value=echoed.name.clone() required=true maxlength=200 autocomplete="name"/>
                {if email_editable {
                    view! { <TextField label=t.email name="email" value=echoed.email.clone() input_type="email" required=true autocomplete="email"/> }.into_any()
                } else {
                    view! {
                        <p class="field"><span class="label">{t.email}</span><span>{echoed.email.clone()}</span></p>
                        <input type="hidden" name="form[email]" value=echoed.email.clone()/>
                    }.into_any()
                }}
                <TextField label=t.phone name="phone" value=echoed.phone.clone() input_type="tel" autocomplete="tel"/>
                <TextField label=t.company name="company" value=echoed.company.clone() maxlength=200 autocomplete="organization"/>
                <TextField label=t.job_title name="job_title" value=echoed.job_title.clone() maxlength=200 autocomplete="organization-title"/>
                <crate::forms::CountrySelect label=t.country_optional name="country" value=echoed.country.clone()/>
                <ChainCheckboxes legend=t.interests checked=chains/>
                <div class="field">
                    <label class="label" for="f-language">{t.email_language}</label>
                    <select id="f-language" name="form[language]">
                        <option value="zh" selected=language == Lang::Zh.code()>"中文"</option>
                        <option value="en" selected=language == Lang::En.code()>"English"</option>
                    </select>
                </div>
                <crate::questions::pages::QuestionFields questions values=echoed.answers.clone()/>
                {if consent_needed {
                    view! {
                        <label class="check consent">
                            <input type="checkbox" name="form[consent_data]" checked=echoed.consent_data == "on" required=true aria-describedby="e-consent_data"/>
                            {t.consent_data_text}
                        </label>
                        <FieldMessage field="consent_data"/>
                    }.into_any()
                } else {
                    // Consent to the use of data was given when registering; it stands.
                    view! { <input type="hidden" name="form[consent_data]" value="on"/> }.into_any()
                }}
                <label class="check consent">
                    <input type="checkbox" name="form[consent_marketing]" checked=echoed.consent_marketing == "on"/>
                    {t.consent_marketing_text}
                </label>
    }
}

/// The guest's private page behind the link from registering: the registration, its
/// status or place on the waitlist, and cancelling it. No account needed.
#[component]
pub fn ManageRegistrationPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let query = use_query_map();
    let cancel = ServerAction::<CancelRegistration>::new();
    let change = ServerAction::<ChangeRegistration>::new();
    let (_, on_change) = use_form(change, |a: &ChangeRegistration| a.form.validate());
    // Read again after a cancellation or a change: their redirects land on this same URL.
    let cancelled = cancel.version();
    let changed = change.version();
    let registration = crate::web::resource(
        move || (token(), cancelled.get(), changed.get()),
        |(token, _, _)| get_registration(token),
    );
    let just_changed =
        move || query.read().get("changed").is_some() || change.value().get().is_some_and(|r: Result<(), _>| r.is_ok());
    view! {
        <PageTitle text=format!("{} · {}", t.your_registration, t.app_name)/>
        <leptos_meta::Meta name="description" content=t.keep_link/>
        <crate::html::NoReferrer/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let r = match registration.await {
                    Ok(r) => r,
                    Err(crate::error::AppError::NotFound) => return view! { <crate::components::NotFound/> }.into_any(),
                    Err(e) => {
                        let message = e
                            .field_errors()
                            .and_then(|f| f.get("token").map(|r| r.message(lang)))
                            .unwrap_or_else(|| e.message(lang));
                        return view! { <p class="form-error">{message}</p> }.into_any();
                    }
                };
                let (class, text) = match r.status {
                    RegistrationStatus::Confirmed => ("saved", t.registered_confirmed),
                    RegistrationStatus::Waitlisted => ("banner", t.registered_waitlisted),
                    RegistrationStatus::Cancelled => ("notice", t.registration_cancelled),
                };
                let event_href = format!("/e/{}", r.event_slug);
                // A change refused without script comes back with what was typed.
                let refused_change = crate::forms::url_error::<ChangeRegistration>().is_some();
                let details = crate::forms::url_values::<ChangeRegistration, RegistrationForm>().unwrap_or_else(|| r.details.clone());
                let refused_cancel = crate::forms::url_error::<CancelRegistration>().map(|e| {
                    e.field_errors().and_then(|f| f.errors.first().map(|f| f.reason.message(lang))).unwrap_or_else(|| e.message(lang))
                });
                let questions = r.questions.clone();
                view! {
                    <h1>{t.your_registration}</h1>
                    <p class=class role="status">{text}</p>
                    <Show when=just_changed><p class="saved" role="status">{t.registration_changed}</p></Show>
                    {r.waitlist_position.map(|n| view! { <p class="seats">{waitlist_position(lang, n)}</p> })}
                    {r.check_in_qr.clone().map(|svg| view! {
                        <figure class="check-in-code">
                            <div class="qr" role="img" aria-label=format!("{} {}", t.check_in_code_label, r.check_in_code.clone().unwrap_or_default()) inner_html=svg></div>
                            <figcaption>
                                <strong class="code">{r.check_in_code.clone().unwrap_or_default()}</strong>
                                <span>{t.check_in_code_hint}</span>
                            </figcaption>
                        </figure>
                    })}
                    <section class="facts">
                        <h2><a href=event_href.clone()>{lang.pick(&r.event_title_zh, &r.event_title_en).to_string()}</a></h2>
                        <EventWhen
                            starts_local=r.starts_local
                            ends_local=r.ends_local
                            utc_offset=r.utc_offset.clone()
                            time_zone=r.time_zone.clone()
                            starts_at=r.starts_at
                        />
                        <p>{format!("{} · {}", r.venue_name, r.city)}</p>
                        <p>{format!("{} · {}", r.name, r.email)}</p>
                    </section>
                    {(r.status == RegistrationStatus::Confirmed).then(|| view! { <crate::meetings::pages::GuestMeetingsSection token=token()/> })}
                    {if r.status == RegistrationStatus::Cancelled {
                        view! { <p><a class="button" href=format!("{event_href}#register")>{t.register_again}</a></p> }.into_any()
                    } else {
                        view! {
                            <p class="hint">{t.keep_link}</p>
                            <details class="change-registration" open=refused_change>
                                <summary>{t.change_registration}</summary>
                                <div on:input=on_change on:change=on_change>
                                    <ActionForm action=change attr:class="register-form" attr:novalidate=true>
                                        <FormSummary/>
                                        <input type="hidden" name="token" value=token()/>
                                        <GuestFields values=details.clone() email_editable=false consent_needed=false questions=questions.clone()/>
                                        <FieldMessage field="event"/>
                                        <button type="submit" class="primary">{t.save_changes}</button>
                                    </ActionForm>
                                </div>
                            </details>
                            {refused_cancel.clone().map(|r| view! { <p class="form-error" role="alert">{r}</p> })}
                            <ActionForm action=cancel>
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit">{t.cancel_registration}</button>
                            </ActionForm>
                        }
                            .into_any()
                    }}
                }
                    .into_any()
            })}
        </Suspense>
    }
}

/// The organizer's list of an event's guests: counts, filters (a GET form), CSV export.
#[component]
pub fn RegistrationListPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let event_id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let filter = move || {
        query.with(|q| RegistrationFilter {
            status: q.get("status").unwrap_or_default(),
            q: q.get("q").unwrap_or_default(),
        })
    };
    let list = crate::web::resource(move || (event_id(), filter()), |(id, filter)| list_registrations(id, filter));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let current = filter();
                let id = event_id();
                match list.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(list) => {
                        let csv = format!(
                            "/admin/events/{id}/registrations.csv?status={}&q={}",
                            crate::web::url_encode(&current.status),
                            crate::web::url_encode(&current.q)
                        );
                        view! {
                            <PageTitle text=format!("{} · {}", t.registrations, lang.pick(&list.event_title_zh, &list.event_title_en))/>
                            <div class="toolbar">
                                <h1>
                                    <a href=format!("/admin/events/{id}")>{lang.pick(&list.event_title_zh, &list.event_title_en).to_string()}</a>
                                    " · "{t.registrations}
                                </h1>
                                <a class="button" href=csv rel="external" download>{t.export_csv}</a>
                            </div>
                            <dl class="targets">
                                <div><dt>{t.reg_confirmed}</dt><dd class="count-confirmed">{format!("{} / {}", format_number(list.confirmed as i64), format_number(list.capacity as i64))}</dd></div>
                                <div><dt>{t.reg_waitlisted}</dt><dd class="count-waitlisted">{format_number(list.waitlisted as i64)}</dd></div>
                                <div><dt>{t.reg_cancelled}</dt><dd>{format_number(list.cancelled as i64)}</dd></div>
                            </dl>
                            <form method="get" class="filters" role="search">
                                <label>{t.search}<input type="search" name="q" value=current.q.clone()/></label>
                                <label>{t.status}
                                    <select name="status">
                                        <option value="">{t.all}</option>
                                        {RegistrationStatus::ALL.iter().map(|s| view! {
                                            <option value=s.as_str() selected=current.status == s.as_str()>{s.label(t)}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit">{t.filter}</button>
                            </form>
                            {if list.rows.is_empty() {
                                view! { <p class="empty">{t.no_registrations}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="events registrations">
                                        <thead><tr>
                                            <th>{t.name}</th><th>{t.email}</th><th>{t.company}</th><th>{t.status}</th><th>{t.follow_up_ok}</th><th>{t.registered_at}</th>
                                            {list.questions.iter().map(|q| view! { <th>{lang.pick(&q.label_zh, &q.label_en).to_string()}</th> }).collect_view()}
                                        </tr></thead>
                                        <tbody>
                                            {list.rows.into_iter().map(|r| {
                                                let at = r.registered_at.naive_utc();
                                                view! {
                                                    <tr>
                                                        <td>{r.name}</td>
                                                        <td>{r.email}</td>
                                                        <td>{r.company}</td>
                                                        <td><span class=format!("badge reg-{}", r.status.as_str())>{r.status.label(t)}</span></td>
                                                        <td>{if r.marketing_consent { "✓" } else { "–" }}</td>
                                                        <td>{format!("{} {} UTC", format_date(lang, at), format_time(at))}</td>
                                                        {r.answers.into_iter().map(|a| view! { <td>{a}</td> }).collect_view()}
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Check-in at the door, built for an organizer's phone: find a guest, one tap. Prepared
/// for offline use (`door`), the page takes each check-in and walk-in on the phone, from
/// its own list, and uploads them when it can; the code and walk-in forms are the same
/// forms either way (the camera's scan submits the code form).
#[component]
pub fn CheckInPage() -> impl IntoView {
    use crate::door::browser::Door;
    use crate::door::pages::{DoorBar, DoorList, DoorNotes, door_mode};
    use crate::forms::submitted;
    use leptos::server_fn::ServerFn as _;
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let event_id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let door = Door::provide(event_id());
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let check = ServerAction::<CheckIn>::new();
    let by_code = ServerAction::<CheckInCode>::new();
    let walk_in = ServerAction::<WalkIn>::new();
    let walk_in_here = RwSignal::new(None);
    let (_, on_walk_in_change) = crate::forms::use_form_or_here(walk_in, |a: &WalkIn| a.form.validate(), walk_in_here);
    let (version, code_version, walk_in_version) = (check.version(), by_code.version(), walk_in.version());
    // Kept for a phone to open offline, the page carries no guest: the phone has its own list.
    let shell = crate::web::is_door_shell();
    let list = crate::web::resource(
        move || {
            (event_id(), q(), version.get() + code_version.get() + walk_in_version.get() + door.heard.get() as usize)
        },
        move |(id, q, _)| async move {
            if shell {
                return Ok(None);
            }
            list_registrations(id, RegistrationFilter { status: String::new(), q }).await.map(Some)
        },
    );
    // The newest answer of the three ways to check a guest in.
    let latest = Memo::new(move |_| {
        [
            (version.get(), check.value().get()),
            (code_version.get(), by_code.value().get()),
            (walk_in_version.get(), walk_in.value().get()),
        ]
        .into_iter()
        .filter_map(|(v, value)| value.map(|value| (v, value)))
        .max_by_key(|(v, _)| *v)
        .map(|(_, value)| value)
    });
    let outcome = move || {
        latest.get().map(|result| match result {
            Ok(o) if o.already => view! {
                <p class="banner" role="status">{format!("{} · {} {}", o.name, t.already_checked_in, format_time(o.checked_in_local))}</p>
            }
                .into_any(),
            Ok(o) => view! { <p class="saved" role="status">{format!("{} · {}", o.name, t.checked_in)}</p> }.into_any(),
            Err(e) => {
                let message = e
                    .field_errors()
                    .and_then(|f| f.get("registration").or_else(|| f.get("code")).or_else(|| f.get("event")))
                    .map(|r| r.message(lang))
                    .unwrap_or_else(|| e.message(lang));
                view! { <p class="form-error" role="alert">{message}</p> }.into_any()
            }
        })
    };
    let on_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((input, form)) = submitted::<CheckInCode>(&ev) else { return };
        if door.prepared() {
            door.check_in(&input.code);
            form.reset();
        } else {
            by_code.dispatch(input);
        }
    };
    let on_walk_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((input, form)) = submitted::<WalkIn>(&ev) else { return };
        if !door.prepared() {
            walk_in_here.set(None);
            walk_in.dispatch(input);
            return;
        }
        match door.walk_in(input.form) {
            Ok(_) => {
                walk_in_here.set(None);
                form.reset();
            }
            Err(errors) => walk_in_here.set(Some(crate::error::AppError::Invalid(errors))),
        }
    };
    view! {
        <PageTitle text=t.check_in_page/>
        <h1>{t.check_in_page}</h1>
        <DoorBar/>
        {move || if door_mode() { view! { <DoorNotes/> }.into_any() } else { outcome().into_any() }}
        <form action=CheckInCode::PATH method="post" class="checkin-code" id="check-in-code-form" on:submit=on_code>
            <ScanCodeFields event_id submit=t.check_in autofocus=true/>
        </form>
        <ScanCamera/>
        {move || if door_mode() {
            view! { <DoorList/> }.into_any()
        } else {
            view! {
                <form method="get" class="checkin-search" role="search">
                    <input type="search" name="q" value=q aria-label=t.search_guest placeholder=t.search_guest autofocus/>
                    <button type="submit">{t.search}</button>
                </form>
                <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                            Ok(None) => ().into_any(),
                            Ok(Some(list)) => view! { <GuestsAtTheDoor list check/> }.into_any(),
                        }
                    })}
                </Transition>
            }
            .into_any()
        }}
        <details class="walk-in">
            <summary>{t.walk_in}</summary>
            <div on:input=on_walk_in_change on:change=on_walk_in_change>
                <form action=WalkIn::PATH method="post" class="register-form" novalidate on:submit=on_walk_in>
                    <FormSummary/>
                    <input type="hidden" name="event_id" value=event_id/>
                    <TextField label=t.name name="name" required=true maxlength=200 autocomplete="off"/>
                    <TextField label=t.email name="email" input_type="email" required=true autocomplete="off"/>
                    <TextField label=t.company name="company" maxlength=200 autocomplete="off"/>
                    <TextField label=t.phone name="phone" input_type="tel" autocomplete="off"/>
                    <input type="hidden" name="form[language]" value=lang.code()/>
                    <label class="check consent">
                        <input type="checkbox" name="form[consent_data]" required=true aria-describedby="e-consent_data"/>
                        {t.walk_in_consent}
                    </label>
                    <FieldMessage field="consent_data"/>
                    <button type="submit" class="primary">{t.walk_in_button}</button>
                </form>
            </div>
        </details>
    }
}

/// The event's guests as the server lists them, with their counts; a confirmed guest is
/// checked in with one tap.
#[component]
fn GuestsAtTheDoor(list: crate::registrations::RegistrationList, check: ServerAction<CheckIn>) -> impl IntoView {
    let t = use_texts();
    view! {
        <p class="live-counts">
            <span class="count-confirmed">{format!("{} {}/{}", t.reg_confirmed, list.confirmed, list.capacity)}</span>
            " · "<span class="count-checked-in">{format!("{} {}", t.checked_in, list.checked_in)}</span>
            " · "<span class="count-waitlisted">{format!("{} {}", t.reg_waitlisted, list.waitlisted)}</span>
        </p>
        <ul class="checkin-list">
            {list.rows.into_iter().filter(|r| r.status != RegistrationStatus::Cancelled).map(|r| view! {
                <li class=format!("guest reg-{}", r.status.as_str())>
                    <div class="who">
                        <strong>{r.name.clone()}</strong>
                        <small>{format!("{} · {}", r.company, r.email)}</small>
                    </div>
                    {match (r.checked_in_local, r.status) {
                        (Some(at), _) => view! { <span class="done">{format!("✓ {}", format_time(at))}</span> }.into_any(),
                        (None, RegistrationStatus::Confirmed) => view! {
                            <ActionForm action=check attr:class="inline">
                                <input type="hidden" name="registration_id" value=r.id/>
                                <button type="submit" class="primary">{t.check_in}</button>
                            </ActionForm>
                        }.into_any(),
                        (None, status) => view! { <span class="badge">{status.label(t)}</span> }.into_any(),
                    }}
                </li>
            }).collect_view()}
        </ul>
    }
}
