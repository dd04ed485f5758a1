//! `/h/<token>`: a host's own page, rendered on the server with plain forms, so a phone at
//! the table works without any script.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::host::{
    HostMeetings, HostPageAnswer, HostPageCancel, HostPageMark, HostPageRequest, HostPageScan, HostPageZone, host_page,
};
use super::pages::{AskForm, meeting_when, refusal, slot_options};
use super::texts::of;
use super::{MeetingView, SlotView};
use crate::domain::MeetingStatus;
use crate::error::AppError;
use crate::html::PageTitle;
use crate::i18n::{use_lang, use_texts};

#[component]
pub fn HostPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let x = of(lang);
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let page = crate::web::resource(|| (), {
        let token = token.clone();
        move |_| host_page(token.clone())
    });
    view! {
        <PageTitle text=format!("{} · {}", x.host_page, t.app_name)/>
        <leptos_meta::Meta name="description" content=x.host_page_hint/>
        <crate::html::NoReferrer/>
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(m) => view! { <HostView m token/> }.into_any(),
                        Err(AppError::NotFound) => view! { <crate::components::NotFound/> }.into_any(),
                        Err(e) => {
                            let message = e
                                .field_errors()
                                .and_then(|f| f.get("token").map(|r| r.message(lang)))
                                .unwrap_or_else(|| e.message(lang));
                            view! { <p class="form-error">{message}</p> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn HostView(m: HostMeetings, token: String) -> impl IntoView {
    let lang = use_lang();
    let x = of(lang);
    let (asked, held) = use_query_map().with_untracked(|q| (q.get("asked").is_some(), q.get("held").is_some()));
    let refused = refusal::<HostPageScan>(lang)
        .or_else(|| refusal::<HostPageAnswer>(lang))
        .or_else(|| refusal::<HostPageCancel>(lang))
        .or_else(|| refusal::<HostPageRequest>(lang))
        .or_else(|| refusal::<HostPageMark>(lang))
        .or_else(|| refusal::<HostPageZone>(lang));
    let (meetings, requests): (Vec<MeetingView>, Vec<MeetingView>) =
        m.meetings.iter().cloned().partition(|r| r.slot.is_some());
    let (to_answer, sent): (Vec<MeetingView>, Vec<MeetingView>) = requests.into_iter().partition(|r| !r.from_host);
    let asked_guests: Vec<i32> = m.meetings.iter().map(|r| r.registration_id).collect();
    let title = lang.pick(&m.event_title_zh, &m.event_title_en).to_string();
    view! {
        <h1>{x.host_page}</h1>
        <p><strong>{m.host.name.clone()}</strong>{format!(" · {}", m.host.organization)}</p>
        <p>{title}{(!m.venue.is_empty()).then(|| format!(" · {}", m.venue))}</p>
        <p class="hint">{x.host_page_hint}</p>
        <section class="meetings" id="meetings">
            {asked.then(|| view! { <p class="saved" role="status">{x.asked}</p> })}
            {held.then(|| view! { <p class="saved" role="status">{x.meeting_held}</p> })}
            {refused.map(|r| view! { <p class="form-error" role="alert">{r}</p> })}
            <h2>{x.at_the_table}</h2>
            <form method="post" action=HostPageScan::PATH class="inline-form">
                <input type="hidden" name="token" value=token.clone()/>
                <label for="check-in-code">{x.guest_code}</label>
                <input id="check-in-code" name="code" required autocomplete="off" autocapitalize="characters" maxlength="32" aria-describedby="host-scan-hint"/>
                <button type="submit">{x.mark_held}</button>
                // Shown where the phone's browser reads QR codes (the guest script): the code goes
                // in and is sent.
                <button type="button" id="scan-camera" class="scan" hidden>{use_texts().scan_camera}</button>
                <p class="hint" id="host-scan-hint">{x.host_scan_hint}</p>
            </form>
            <video id="scan-video" playsinline muted hidden></video>
            <h2>{x.schedule}</h2>
            {if meetings.is_empty() {
                view! { <p class="hint">{x.none_yet}</p> }.into_any()
            } else {
                view! {
                    <ul class="my-meetings">
                        {meetings.into_iter().map(|r| view! { <HostMeeting r token=token.clone() slots=Vec::new()/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!to_answer.is_empty()).then(|| view! {
                <h2>{x.to_answer}</h2>
                <ul class="my-meetings">
                    {to_answer.into_iter().map(|r| view! { <HostMeeting r token=token.clone() slots=m.slots.clone()/> }).collect_view()}
                </ul>
            })}
            {(!sent.is_empty()).then(|| view! {
                <h2>{x.your_requests}</h2>
                <ul class="my-meetings">
                    {sent.into_iter().map(|r| view! { <HostMeeting r token=token.clone() slots=Vec::new()/> }).collect_view()}
                </ul>
            })}
            {m.enabled.then(|| view! {
                <h2>{x.guests_open}</h2>
                {m.guests.is_empty().then(|| view! { <p class="hint">{x.no_guests}</p> })}
                <ul class="profiles">
                    {m.guests.iter().map(|g| {
                        let chains = g.industry_chains.iter().map(|c| c.label(lang)).collect::<Vec<_>>().join("、");
                        let about = [g.job_title.as_str(), g.company.as_str(), g.country.as_str()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" · ");
                        view! {
                            <li class="profile">
                                <strong>{g.name.clone()}</strong>
                                {(!about.is_empty()).then(|| view! { <span>{format!(" · {about}")}</span> })}
                                {(!chains.is_empty()).then(|| view! { <p class="hint">{chains}</p> })}
                                {(!g.offer.is_empty()).then(|| view! { <p>{g.offer.clone()}</p> })}
                                {(!asked_guests.contains(&g.registration_id)).then(|| view! {
                                    <AskForm path=HostPageRequest::PATH token=token.clone() whom="registration_id" id=g.registration_id/>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <form method="post" action=HostPageZone::PATH class="inline-form">
                <input type="hidden" name="token" value=token.clone()/>
                <label for="host-zone">{x.own_zone}</label>
                <input id="host-zone" name="time_zone" value=m.own_time_zone.clone() placeholder=m.time_zone.clone() autocomplete="off" maxlength="64" data-own-zone="" aria-describedby="host-zone-hint"/>
                <button type="submit">{x.save}</button>
                <p class="hint" id="host-zone-hint">{x.own_zone_hint}</p>
            </form>
        </section>
    }
}

/// One request or meeting on the host's page, with what the host may do to it.
#[component]
fn HostMeeting(r: MeetingView, token: String, slots: Vec<SlotView>) -> impl IntoView {
    let lang = use_lang();
    let x = of(lang);
    let id = r.id.to_string();
    let when = r.slot.as_ref().map(|s| meeting_when(s, lang));
    let answerable = r.status == MeetingStatus::Pending && !r.from_host;
    // A guest's request is declined, not cancelled; the host's own is withdrawn.
    let cancellable = (r.status == MeetingStatus::Pending && r.from_host) || r.status == MeetingStatus::Accepted;
    let markable = r.status == MeetingStatus::Accepted;
    let field = format!("slot-{}", r.id);
    let guest = if r.guest_company.is_empty() {
        r.guest_name.clone()
    } else {
        format!("{} · {}", r.guest_name, r.guest_company)
    };
    let hidden = move || {
        view! {
            <input type="hidden" name="token" value=token.clone()/>
            <input type="hidden" name="request_id" value=id.clone()/>
        }
    };
    view! {
        <li class="meeting">
            {when.map(|w| view! { <p><strong>{w}</strong>{r.table.clone().map(|t| format!(" · {} {t}", x.table))}</p> })}
            <strong>{guest}</strong>
            " "<span class="badge">{r.status.label(lang)}</span>
            {(!r.message.is_empty()).then(|| view! { <p class="hint">{r.message.clone()}</p> })}
            {answerable.then(|| view! {
                <form method="post" action=HostPageAnswer::PATH class="inline-form">
                    {hidden()}
                    <input type="hidden" name="answer" value="accept"/>
                    <label for=field.clone()>{x.slot}</label>
                    <select id=field name="slot">
                        <option value="">{x.first_free}</option>
                        {slot_options(&slots, None)}
                    </select>
                    <button type="submit">{x.accept}</button>
                </form>
                <form method="post" action=HostPageAnswer::PATH class="inline-form">
                    {hidden()}
                    <input type="hidden" name="answer" value="decline"/>
                    <button type="submit" class="link">{x.decline}</button>
                </form>
            })}
            {markable.then(|| view! {
                <form method="post" action=HostPageMark::PATH class="inline-form">
                    {hidden()}
                    <button type="submit" name="outcome" value="held">{x.mark_held}</button>
                    <button type="submit" name="outcome" value="missed" class="link">{x.mark_missed}</button>
                </form>
            })}
            {cancellable.then(|| view! {
                <form method="post" action=HostPageCancel::PATH class="inline-form">
                    {hidden()}
                    <button type="submit" class="link">{if r.status == MeetingStatus::Pending { x.withdraw } else { x.cancel }}</button>
                </form>
            })}
        </li>
    }
}
