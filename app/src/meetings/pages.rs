//! The meetings' pages: the organizer's programme of an event (settings, tables, hosts, the
//! guests open to meetings, requests and the grid), and the guest's part of their private
//! page, which works before any script.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::host::RenewHostLink;
use super::texts::{MeetingTexts, of};
use super::{
    AddTables, AdjustProposal, GuestAnswer, GuestCancel, GuestMeetings, GuestOptIn, GuestRequest, HostAnswer,
    HostCancel, HostForm, HostRequest, MarkMeeting, MeetingView, MoveMeeting, Programme, ProgrammeForm,
    ProposeSchedule, PublishSchedule, RemoveTable, SaveHost, SaveProgramme, ScanMeeting, ScheduleReport, SlotView,
    UnplacedReason, my_meetings,
};
use crate::components::ChainCheckboxes;
use crate::domain::MeetingStatus;
use crate::error::AppError;
use crate::forms::{FormSummary, TextArea, TextField, url_error, url_values, use_form};
use crate::html::PageTitle;
use crate::i18n::{Lang, format_time, use_lang, use_texts};

/// `14:40–15:00` (and the reader's own time when they told us their zone).
pub(super) fn slot_time(slot: &SlotView) -> String {
    format!("{}–{}", format_time(slot.starts_local), format_time(slot.ends_local))
}

pub(super) fn slot_label(slot: &SlotView) -> String {
    format!("#{} {}", slot.number, slot_time(slot))
}

/// The `<option>`s of the slots a meeting can take (breaks left out), `selected` chosen.
pub(super) fn slot_options(slots: &[SlotView], selected: Option<i32>) -> impl IntoView + use<> {
    slots
        .iter()
        .filter(|s| !s.is_break)
        .map(|s| view! { <option value=s.number.to_string() selected=Some(s.number) == selected>{slot_label(s)}</option> })
        .collect_view()
}

/// When a meeting is: its slot in venue time, and in the reader's own when they told us
/// their zone (`14:40–15:00 venue time (20:40 Your time)`).
pub(super) fn meeting_when(slot: &SlotView, lang: Lang) -> String {
    let own = slot
        .own_starts_local
        .map(|own| format!(" ({} {})", format_time(own), use_texts().your_time))
        .unwrap_or_default();
    format!("{} {}{own}", slot_time(slot), of(lang).venue_time)
}

/// A refusal as one sentence: its first field's reason, else what the error says.
fn sentence(error: &AppError, lang: Lang) -> String {
    match error.field_errors().and_then(|f| f.errors.first()) {
        Some(field) => field.reason.message(lang),
        None => error.message(lang),
    }
}

/// What a refused post without script left in the URL, as a sentence.
pub(super) fn refusal<S: ServerFn<Error = AppError>>(lang: Lang) -> Option<String> {
    url_error::<S>().map(|error| sentence(&error, lang))
}

/// `/admin/events/:id/meetings`.
#[component]
pub fn ProgrammePage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let x = of(lang);
    let params = use_params_map();
    let event_id = move || params.read().get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or_default();
    let settings = ServerAction::<SaveProgramme>::new();
    let tables = ServerAction::<AddTables>::new();
    let remove = ServerAction::<RemoveTable>::new();
    let host = ServerAction::<SaveHost>::new();
    let invite = ServerAction::<HostRequest>::new();
    let answer = ServerAction::<HostAnswer>::new();
    let cancel = ServerAction::<HostCancel>::new();
    let mark = ServerAction::<MarkMeeting>::new();
    let moved = ServerAction::<MoveMeeting>::new();
    let scan = ServerAction::<ScanMeeting>::new();
    let propose = ServerAction::<ProposeSchedule>::new();
    let publish = ServerAction::<PublishSchedule>::new();
    let adjust = ServerAction::<AdjustProposal>::new();
    let renew = ServerAction::<RenewHostLink>::new();
    let actions = Actions {
        settings,
        tables,
        remove,
        host,
        invite,
        answer,
        cancel,
        mark,
        moved,
        scan,
        propose,
        publish,
        adjust,
        renew,
    };
    let programme = crate::web::resource(
        move || {
            (
                event_id(),
                settings.version().get(),
                tables.version().get(),
                remove.version().get(),
                host.version().get(),
                invite.version().get(),
                answer.version().get(),
                cancel.version().get(),
                (mark.version().get(), moved.version().get(), scan.version().get()),
                (propose.version().get(), publish.version().get(), adjust.version().get(), renew.version().get()),
            )
        },
        |(id, ..)| super::get_programme(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match programme.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(p) => view! {
                        <PageTitle text=format!("{} · {} · {}", x.meetings, lang.pick(&p.event_title_zh, &p.event_title_en), t.app_name)/>
                        <ProgrammeView p actions/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    settings: ServerAction<SaveProgramme>,
    tables: ServerAction<AddTables>,
    remove: ServerAction<RemoveTable>,
    host: ServerAction<SaveHost>,
    invite: ServerAction<HostRequest>,
    answer: ServerAction<HostAnswer>,
    cancel: ServerAction<HostCancel>,
    mark: ServerAction<MarkMeeting>,
    moved: ServerAction<MoveMeeting>,
    scan: ServerAction<ScanMeeting>,
    propose: ServerAction<ProposeSchedule>,
    publish: ServerAction<PublishSchedule>,
    adjust: ServerAction<AdjustProposal>,
    renew: ServerAction<RenewHostLink>,
}

impl Actions {
    /// The last refusal of any of the small forms (tables, invitations, answers), as a sentence.
    fn refusal(self, lang: Lang) -> Option<String> {
        let said = |e: Option<Result<_, AppError>>| -> Option<String> { Some(sentence(&e?.err()?, lang)) };
        said(self.answer.value().get().map(|r| r.map(|_| ())))
            .or_else(|| said(self.invite.value().get().map(|r| r.map(|_| ()))))
            .or_else(|| said(self.cancel.value().get()))
            .or_else(|| said(self.tables.value().get().map(|r| r.map(|_| ()))))
            .or_else(|| said(self.remove.value().get()))
            .or_else(|| said(self.mark.value().get().map(|r| r.map(|_| ()))))
            .or_else(|| said(self.moved.value().get()))
            .or_else(|| said(self.scan.value().get().map(|r| r.map(|_| ()))))
            .or_else(|| said(self.adjust.value().get()))
            .or_else(|| said(self.renew.value().get()))
    }
}

#[component]
fn ProgrammeView(p: Programme, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let x = of(lang);
    let event_id = p.event_id;
    let title = lang.pick(&p.event_title_zh, &p.event_title_en).to_string();
    let c = &p.counts;
    let counts = format!(
        "{} {} · {} {} · {} {} · {} {} · {} {}",
        x.requested,
        c.requested,
        x.accepted,
        c.accepted,
        x.held,
        c.held,
        x.missed,
        c.missed,
        x.held_rate,
        c.held_rate().map(|r| format!("{r}%")).unwrap_or_else(|| "–".into()),
    );
    let slots = p.slots.clone();
    let tables = p.tables.clone();
    let proposed = p.proposals.len();
    let table_options =
        tables.iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view();
    view! {
        <div class="toolbar">
            <h1>{format!("{} · {title}", x.meetings)}</h1>
            <div class="actions">
                <a href=format!("/admin/events/{}", p.event_id)>{title.clone()}</a>
                <a href=format!("/admin/events/{}/meetings/print", p.event_id)>{x.print}</a>
            </div>
        </div>
        <p class="stats" role="status">{counts}</p>
        {move || actions.refusal(lang).map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        <h2>{x.at_the_table}</h2>
        <ActionForm action=actions.scan attr:class="inline-form">
            <input type="hidden" name="event_id" value=event_id.to_string()/>
            <label>{x.table}
                <select name="table_id" required>
                    {table_options}
                </select>
            </label>
            <label>{x.guest_code}<input name="code" required autocomplete="off" autocapitalize="characters"/></label>
            <button type="submit">{x.mark_held}</button>
        </ActionForm>
        {move || actions.scan.value().get().and_then(Result::ok).map(|m| view! {
            <p class="saved" role="status">{format!("{}: {} ↔ {}", x.held, m.host_name, m.guest_name)}</p>
        })}
        <SettingsForm event_id=event_id.to_string() settings=p.settings.clone() action=actions.settings time_zone=p.time_zone.clone()/>
        <h2>{x.auto_schedule}</h2>
        <p class="hint">{x.auto_schedule_hint}</p>
        <div class="actions">
            <ActionForm action=actions.propose attr:class="inline-form">
                <input type="hidden" name="event_id" value=event_id.to_string()/>
                <button type="submit">{x.propose}</button>
            </ActionForm>
            {(proposed > 0).then(|| view! {
                <ActionForm action=actions.publish attr:class="inline-form">
                    <input type="hidden" name="event_id" value=event_id.to_string()/>
                    <button type="submit" class="primary">{format!("{} ({proposed})", x.publish)}</button>
                </ActionForm>
            })}
        </div>
        {move || actions.propose.value().get().and_then(Result::ok).map(|r| view! { <Report r/> })}
        {move || actions.publish.value().get().and_then(Result::ok).map(|r| view! {
            <p class="saved" role="status">{format!("{} {} · {} {}", x.published, r.published, x.refused, r.refused)}</p>
        })}
        <h2>{x.requests}</h2>
        <Requests p=p.clone() actions/>
        <h2>{x.grid}</h2>
        <Grid slots=slots.clone() tables=tables.clone() meetings=p.meetings.clone() proposals=p.proposals.clone()/>
        <h2>{x.tables}</h2>
        <ul class="plain">
            {p.tables.clone().into_iter().map(|table| {
                let table_id = table.id.to_string();
                view! {
                    <li>
                        {if table.room.is_empty() { table.name.clone() } else { format!("{} · {}", table.name, table.room) }}" "
                        <ActionForm action=actions.remove attr:class="inline-form">
                            <input type="hidden" name="event_id" value=event_id.to_string()/>
                            <input type="hidden" name="table_id" value=table_id/>
                            <button type="submit" class="link">{x.remove}</button>
                        </ActionForm>
                    </li>
                }
            }).collect_view()}
        </ul>
        <ActionForm action=actions.tables attr:class="stacked">
            <input type="hidden" name="event_id" value=event_id.to_string()/>
            <label>{x.table_names}<textarea name="names" rows="3" required></textarea></label>
            <label>{x.room}<input name="room" maxlength="100"/></label>
            <button type="submit">{x.add_tables}</button>
        </ActionForm>
        <h2>{x.hosts}</h2>
        <ul class="profiles">
            {p.hosts.clone().into_iter().map(|h| {
                let link = p.host_links.iter().find(|(id, _)| *id == h.id).map(|(_, l)| l.clone()).unwrap_or_default();
                let field = format!("host-link-{}", h.id);
                view! {
                    <li>
                        <strong>{h.name.clone()}</strong>{format!(" · {}", h.organization)}
                        {(!h.unit.is_empty()).then(|| format!(" · {}", h.unit))}
                        {(!h.offer.is_empty()).then(|| view! { <p>{h.offer.clone()}</p> })}
                        <div class="inline-form">
                            <label for=field.clone()>{x.host_link}</label>
                            <input id=field class="host-link" readonly value=link/>
                            <ActionForm action=actions.renew attr:class="inline-form">
                                <input type="hidden" name="event_id" value=event_id.to_string()/>
                                <input type="hidden" name="host_id" value=h.id.to_string()/>
                                <button type="submit" class="link">{x.new_link}</button>
                            </ActionForm>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
        <HostFormView event_id=event_id.to_string() action=actions.host/>
        <h2>{x.guests_open}</h2>
        {if p.guests.is_empty() {
            view! { <p class="empty">{x.no_guests}</p> }.into_any()
        } else {
            let hosts = p.hosts.clone();
            view! {
                <ul class="profiles">
                    {p.guests.clone().into_iter().map(|g| {
                        let hosts = hosts.clone();
                        view! {
                            <li>
                                <strong>{g.name.clone()}</strong>
                                {(!g.company.is_empty()).then(|| format!(" · {}", g.company))}
                                {(!g.offer.is_empty()).then(|| view! { <p>{g.offer.clone()}</p> })}
                                <ActionForm action=actions.invite attr:class="inline-form">
                                    <input type="hidden" name="event_id" value=event_id.to_string()/>
                                    <input type="hidden" name="registration_id" value=g.registration_id.to_string()/>
                                    <label>{x.as_host}
                                        <select name="host_id" required>
                                            {hosts.into_iter().map(|h| view! { <option value=h.id.to_string()>{h.name}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>{x.message}<input name="message" maxlength="500"/></label>
                                    <label class="check"><input type="checkbox" name="must"/>{x.must_meet}</label>
                                    <button type="submit">{x.ask}</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
fn SettingsForm(
    event_id: String,
    settings: ProgrammeForm,
    action: ServerAction<SaveProgramme>,
    time_zone: String,
) -> impl IntoView {
    let x = of(use_lang());
    let (_, on_change) = use_form(action, |a: &SaveProgramme| a.form.validate());
    let values = url_values::<SaveProgramme, ProgrammeForm>().unwrap_or(settings);
    view! {
        <h2>{x.programme}</h2>
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="stacked" attr:novalidate=true>
                <FormSummary/>
                <input type="hidden" name="event_id" value=event_id/>
                <label class="check">
                    <input type="checkbox" name="form[enabled]" checked=values.enabled == "on"/>
                    {x.enabled}
                </label>
                <TextField label=x.first_slot_at name="first_slot_at" input_type="datetime-local" value=values.first_slot_at required=true/>
                <p class="hint">{time_zone}</p>
                <TextField label=x.slot_minutes name="slot_minutes" input_type="number" value=values.slot_minutes required=true/>
                <TextField label=x.slot_count name="slot_count" input_type="number" value=values.slot_count required=true/>
                <TextField label=x.breaks name="breaks" value=values.breaks/>
                <TextField label=x.request_hours name="request_hours" input_type="number" value=values.request_hours required=true/>
                <TextField label=x.max_open_requests name="max_open_requests" input_type="number" value=values.max_open_requests required=true/>
                <TextField label=x.reminder_minutes name="reminder_minutes" input_type="number" value=values.reminder_minutes required=true/>
                <button type="submit">{x.save}</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn HostFormView(event_id: String, action: ServerAction<SaveHost>) -> impl IntoView {
    let x = of(use_lang());
    let (_, on_change) = use_form(action, |a: &SaveHost| a.form.validate());
    let values = url_values::<SaveHost, HostForm>().unwrap_or_default();
    view! {
        <details class="add-host">
            <summary>{x.add_host}</summary>
            <div on:input=on_change on:change=on_change>
                <ActionForm action attr:class="stacked" attr:novalidate=true>
                    <FormSummary/>
                    <input type="hidden" name="event_id" value=event_id/>
                    <TextField label=x.host_name name="name" value=values.name required=true autocomplete="off"/>
                    <TextField label=x.host_organization name="organization" value=values.organization required=true autocomplete="off"/>
                    <TextField label=x.host_unit name="unit" value=values.unit/>
                    <ChainCheckboxes legend=x.offer checked=values.industry_chains/>
                    <TextArea label=x.offer name="offer" value=values.offer rows=3/>
                    <TextField label=x.host_email name="email" input_type="email" value=values.email autocomplete="off"/>
                    <div class="field">
                        <label class="label" for="f-host-language">{use_texts().email_language}</label>
                        <select id="f-host-language" name="form[language]">
                            <option value="zh">"中文"</option>
                            <option value="en">"English"</option>
                        </select>
                    </div>
                    <button type="submit">{x.add_host}</button>
                </ActionForm>
            </div>
        </details>
    }
}

#[component]
fn Requests(p: Programme, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let x = of(lang);
    if p.meetings.is_empty() {
        return view! { <p class="empty">{x.none_yet}</p> }.into_any();
    }
    let event_id = p.event_id;
    view! {
        <div class="table-scroll">
            <table class="meetings">
                <thead>
                    <tr>
                        <th scope="col">{x.hosts}</th>
                        <th scope="col">{x.guests_open}</th>
                        <th scope="col">{x.slot}</th>
                        <th scope="col">{x.requests}</th>
                    </tr>
                </thead>
                <tbody>
                    {p.meetings.clone().into_iter().map(|m| {
                        let request_id = m.id;
                        let answerable = m.status == MeetingStatus::Pending && !m.from_host;
                        let cancellable = matches!(m.status, MeetingStatus::Pending | MeetingStatus::Accepted);
                        let slots = p.slots.clone();
                        let tables = p.tables.clone();
                        let proposal = p.proposals.iter().find(|(r, ..)| *r == request_id).copied();
                        view! {
                            <tr>
                                <td>{format!("{} · {}", m.host_name, m.host_organization)}</td>
                                <td>{m.guest_name.clone()}{(!m.guest_company.is_empty()).then(|| format!(" · {}", m.guest_company))}</td>
                                <td>{m.slot.as_ref().map(slot_label)}{m.table.clone().map(|t| format!(" · {t}"))}</td>
                                <td>
                                    <span class="badge">{m.status.label(lang)}</span>
                                    {format!(" {}", if m.from_host { x.from_host } else { x.from_guest })}
                                    {(!m.message.is_empty()).then(|| view! { <p class="hint">{m.message.clone()}</p> })}
                                    {answerable.then(|| view! {
                                        <ActionForm action=actions.answer attr:class="inline-form">
                                            <input type="hidden" name="event_id" value=event_id.to_string()/>
                                            <input type="hidden" name="request_id" value=request_id.to_string()/>
                                            <input type="hidden" name="answer" value="accept"/>
                                            <label>{x.slot}
                                                <select name="slot">
                                                    <option value="">{x.first_free}</option>
                                                    {slot_options(&slots, None)}
                                                </select>
                                            </label>
                                            <label>{x.table}
                                                <select name="table">
                                                    <option value="">{x.any_table}</option>
                                                    {tables.iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view()}
                                                </select>
                                            </label>
                                            <button type="submit">{x.accept}</button>
                                        </ActionForm>
                                        <ActionForm action=actions.answer attr:class="inline-form">
                                            <input type="hidden" name="event_id" value=event_id.to_string()/>
                                            <input type="hidden" name="request_id" value=request_id.to_string()/>
                                            <input type="hidden" name="answer" value="decline"/>
                                            <button type="submit" class="link">{x.decline}</button>
                                        </ActionForm>
                                    })}
                                    {proposal.filter(|_| m.status == MeetingStatus::Pending).map(|(_, slot, table)| view! {
                                        <Proposal event_id request_id proposed_slot=slot proposed_table=table actions slots=p.slots.clone() tables=p.tables.clone()/>
                                    })}
                                    {matches!(m.status, MeetingStatus::Accepted | MeetingStatus::Missed).then(|| view! {
                                        <MeetingActions event_id request_id status=m.status actions slots=p.slots.clone() tables=p.tables.clone()/>
                                    })}
                                    {cancellable.then(|| view! {
                                        <ActionForm action=actions.cancel attr:class="inline-form">
                                            <input type="hidden" name="event_id" value=event_id.to_string()/>
                                            <input type="hidden" name="request_id" value=request_id.to_string()/>
                                            <button type="submit" class="link">{x.cancel}</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A request the auto-scheduler placed, not yet published: where, and a form to move it
/// (checked against meetings and the other proposals) or take it out.
#[component]
fn Proposal(
    event_id: i32,
    request_id: i32,
    proposed_slot: i32,
    proposed_table: i32,
    actions: Actions,
    slots: Vec<SlotView>,
    tables: Vec<super::TableView>,
) -> impl IntoView {
    let x = of(use_lang());
    let (slot, table) = (proposed_slot, proposed_table);
    let at = slots.iter().find(|s| s.number == slot).map(slot_label).unwrap_or_default();
    let table_name = tables.iter().find(|t| t.id == table).map(|t| t.name.clone()).unwrap_or_default();
    view! {
        <p class="proposed">{format!("{} {at} · {table_name}", x.proposed)}</p>
        <ActionForm action=actions.adjust attr:class="inline-form">
            <input type="hidden" name="event_id" value=event_id.to_string()/>
            <input type="hidden" name="request_id" value=request_id.to_string()/>
            <label>{x.slot}
                <select name="slot" required>
                    {slot_options(&slots, Some(slot))}
                </select>
            </label>
            <label>{x.table}
                <select name="table">
                    <option value="">{x.any_table}</option>
                    {tables.into_iter().map(|t| view! { <option value=t.id.to_string() selected=t.id == table>{t.name}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit">{x.adjust}</button>
        </ActionForm>
        <ActionForm action=actions.adjust attr:class="inline-form">
            <input type="hidden" name="event_id" value=event_id.to_string()/>
            <input type="hidden" name="request_id" value=request_id.to_string()/>
            <input type="hidden" name="take_out" value="on"/>
            <button type="submit" class="link">{x.drop_proposal}</button>
        </ActionForm>
    }
}

/// An accepted or missed meeting: held, missed, or into another slot (and table).
#[component]
fn MeetingActions(
    event_id: i32,
    request_id: i32,
    status: MeetingStatus,
    actions: Actions,
    slots: Vec<SlotView>,
    tables: Vec<super::TableView>,
) -> impl IntoView {
    let x = of(use_lang());
    let outcome = move |outcome: &'static str, label: &'static str| {
        view! {
            <ActionForm action=actions.mark attr:class="inline-form">
                <input type="hidden" name="event_id" value=event_id.to_string()/>
                <input type="hidden" name="request_id" value=request_id.to_string()/>
                <input type="hidden" name="outcome" value=outcome/>
                <button type="submit">{label}</button>
            </ActionForm>
        }
    };
    view! {
        {outcome("held", x.mark_held)}
        {(status == MeetingStatus::Accepted).then(|| outcome("missed", x.mark_missed))}
        <ActionForm action=actions.moved attr:class="inline-form">
            <input type="hidden" name="event_id" value=event_id.to_string()/>
            <input type="hidden" name="request_id" value=request_id.to_string()/>
            <label>{x.slot}
                <select name="slot" required>
                    {slot_options(&slots, None)}
                </select>
            </label>
            <label>{x.table}
                <select name="table">
                    <option value="">{x.any_table}</option>
                    {tables.into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit">{x.move_to}</button>
        </ActionForm>
    }
}

/// The scheduler's proposal in numbers, and each pair it left out with the reason.
#[component]
fn Report(r: ScheduleReport) -> impl IntoView {
    let x = of(use_lang());
    view! {
        <p class="saved" role="status">
            {format!(
                "{} {}/{} · {} {}/{}",
                x.must_placed, r.must_placed, r.must_total, x.like_placed, r.like_placed, r.like_total
            )}
        </p>
        {(!r.unplaced.is_empty()).then(|| view! {
            <ul class="unplaced">
                {r.unplaced.into_iter().map(|u| {
                    let reason = match u.reason {
                        UnplacedReason::NoCommonSlot => x.why_no_common_slot,
                        UnplacedReason::Taken => x.why_taken,
                        UnplacedReason::NoTable => x.why_no_table,
                    };
                    view! {
                        <li>
                            {format!("{} ↔ {}", u.meeting.host_name, u.meeting.guest_name)}
                            {u.must.then(|| format!(" ({})", x.must_meet))}
                            {format!(": {reason}")}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// Slots down, tables across: who meets where.
#[component]
fn Grid(
    slots: Vec<SlotView>,
    tables: Vec<super::TableView>,
    meetings: Vec<MeetingView>,
    proposals: Vec<(i32, i32, i32)>,
) -> impl IntoView {
    let x = of(use_lang());
    let at = move |slot: i32, table: &super::TableView| {
        let held = meetings.iter().find(|m| {
            matches!(m.status, MeetingStatus::Accepted | MeetingStatus::Held | MeetingStatus::Missed)
                && m.slot.as_ref().is_some_and(|s| s.number == slot)
                && m.table.as_deref() == Some(table.name.as_str())
        });
        if let Some(m) = held {
            return view! { <td>{format!("{} ↔ {}", m.host_name, m.guest_name)}</td> }.into_any();
        }
        let proposed = proposals
            .iter()
            .find(|(_, s, t)| *s == slot && *t == table.id)
            .and_then(|(request, ..)| meetings.iter().find(|m| m.id == *request));
        match proposed {
            Some(m) => {
                view! { <td class="proposed">{format!("{} ↔ {} ({})", m.host_name, m.guest_name, x.proposed)}</td> }
                    .into_any()
            }
            None => view! { <td></td> }.into_any(),
        }
    };
    view! {
        <div class="table-scroll">
            <table class="meeting-grid">
                <thead>
                    <tr>
                        <th scope="col">{x.slot}</th>
                        {tables.iter().map(|t| view! { <th scope="col">{t.name.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {slots.iter().map(|s| view! {
                        <tr class:break=s.is_break>
                            <th scope="row">{slot_label(s)}</th>
                            {if s.is_break {
                                view! { <td colspan=tables.len().max(1).to_string()>{x.break_label}</td> }.into_any()
                            } else {
                                tables.iter().map(|t| at(s.number, t)).collect_view().into_any()
                            }}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/admin/events/:id/meetings/print`: one A4 sheet per table for the door and the table
/// itself: each slot of the day with who meets there (breaks and free slots shown).
#[component]
pub fn TableSheetsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let x = of(lang);
    let params = use_params_map();
    let event_id = move || params.read().get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or_default();
    let programme = crate::web::resource(event_id, super::get_programme);
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        let _ = window().print();
    };
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match programme.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(p) => {
                        let title = lang.pick(&p.event_title_zh, &p.event_title_en).to_string();
                        view! {
                            <PageTitle text=format!("{} · {title} · {}", x.print, t.app_name)/>
                            <div class="toolbar no-print">
                                <h1>{format!("{} · {title}", x.print)}</h1>
                                <div class="actions">
                                    <a href=format!("/admin/events/{}/meetings", p.event_id)>{x.meetings}</a>
                                    <button type="button" class="primary" on:click=print>{x.print}</button>
                                </div>
                            </div>
                            {p.tables.is_empty().then(|| view! { <p class="empty">{x.none_yet}</p> })}
                            {p.tables.iter().map(|table| view! { <TableSheet p=p.clone() table=table.clone() title=title.clone()/> }).collect_view()}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn TableSheet(p: Programme, table: super::TableView, title: String) -> impl IntoView {
    let lang = use_lang();
    let x = of(lang);
    let day = p.slots.first().map(|s| crate::i18n::format_date(lang, s.starts_local)).unwrap_or_default();
    let heading = if table.room.is_empty() { table.name.clone() } else { format!("{} · {}", table.name, table.room) };
    view! {
        <section class="table-sheet">
            <h2>{format!("{} {heading}", x.table)}</h2>
            <p>{format!("{title} · {day} · {}", p.time_zone)}</p>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{x.slot}</th>
                        <th scope="col">{x.host}</th>
                        <th scope="col">{x.guest}</th>
                        <th scope="col">{x.held}</th>
                    </tr>
                </thead>
                <tbody>
                    {p.slots.iter().map(|s| {
                        let meeting = p.meetings.iter().find(|m| {
                            matches!(m.status, MeetingStatus::Accepted | MeetingStatus::Held | MeetingStatus::Missed)
                                && m.slot.as_ref().is_some_and(|ms| ms.number == s.number)
                                && m.table.as_deref() == Some(table.name.as_str())
                        });
                        let row = match (s.is_break, meeting) {
                            (true, _) => view! { <td colspan="3">{x.break_label}</td> }.into_any(),
                            (false, Some(m)) => view! {
                                <td>{format!("{} · {}", m.host_name, m.host_organization)}</td>
                                <td>{m.guest_name.clone()}{(!m.guest_company.is_empty()).then(|| format!(" · {}", m.guest_company))}</td>
                                <td>{match m.status { MeetingStatus::Held => "✓", MeetingStatus::Missed => "✗", _ => "☐" }}</td>
                            }.into_any(),
                            (false, None) => view! { <td colspan="3" class="hint">{x.free}</td> }.into_any(),
                        };
                        view! {
                            <tr class:break=s.is_break>
                                <th scope="row">{slot_time(s)}</th>
                                {row}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The guest's meetings on their private page (`#meetings`): rendered on the server, plain
/// forms, so a phone without script asks, answers and cancels.
#[component]
pub fn GuestMeetingsSection(token: String) -> impl IntoView {
    let lang = use_lang();
    let meetings = crate::web::resource(|| (), {
        let token = token.clone();
        move |_| my_meetings(token.clone())
    });
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match meetings.await {
                        Ok(m) if m.enabled => view! { <GuestView m token/> }.into_any(),
                        Ok(_) => ().into_any(),
                        Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn GuestView(m: GuestMeetings, token: String) -> impl IntoView {
    let lang = use_lang();
    let x = of(lang);
    let asked = use_query_map().read_untracked().get("asked").is_some();
    let refused = refusal::<GuestRequest>(lang)
        .or_else(|| refusal::<GuestAnswer>(lang))
        .or_else(|| refusal::<GuestCancel>(lang))
        .or_else(|| refusal::<GuestOptIn>(lang));
    if !m.confirmed {
        return view! {
            <section class="meetings" id="meetings">
                <h2>{x.meet_title}</h2>
                <p class="notice">{x.meet_not_confirmed}</p>
            </section>
        }
        .into_any();
    }
    let asked_hosts: Vec<i32> = m
        .meetings
        .iter()
        .filter(|r| matches!(r.status, MeetingStatus::Pending | MeetingStatus::Accepted))
        .map(|r| r.host_id)
        .collect();
    view! {
        <section class="meetings" id="meetings">
            <h2>{x.meet_title}</h2>
            <p class="hint">{x.meet_intro}</p>
            {asked.then(|| view! { <p class="saved" role="status">{x.asked}</p> })}
            {refused.map(|r| view! { <p class="form-error" role="alert">{r}</p> })}
            {(!m.meetings.is_empty()).then(|| view! {
                <h3>{x.your_meetings}</h3>
                <ul class="my-meetings">
                    {m.meetings.iter().map(|r| view! { <GuestMeeting r=r.clone() token=token.clone() slots=m.slots.clone()/> }).collect_view()}
                </ul>
            })}
            <OptIn token=token.clone() opted_in=m.opted_in offer=m.offer.clone()/>
            <h3>{x.who_to_meet}</h3>
            <ul class="profiles">
                {m.hosts.iter().map(|h| {
                    let asked = asked_hosts.contains(&h.id);
                    let chains = h.industry_chains.iter().map(|c| c.label(lang)).collect::<Vec<_>>().join("、");
                    view! {
                        <li class="profile">
                            <strong>{h.name.clone()}</strong>
                            <span>{format!(" · {}", h.organization)}{(!h.unit.is_empty()).then(|| format!(" · {}", h.unit))}</span>
                            {(!chains.is_empty()).then(|| view! { <p class="hint">{chains}</p> })}
                            {(!h.offer.is_empty()).then(|| view! { <p>{h.offer.clone()}</p> })}
                            {(!asked).then(|| view! { <AskForm path=GuestRequest::PATH token=token.clone() whom="host_id" id=h.id/> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// A plain form asking for a meeting from a private page: `whom` names the one asked
/// (`host_id` or `registration_id`), with a message and "must meet".
#[component]
pub(super) fn AskForm(path: &'static str, token: String, whom: &'static str, id: i32) -> impl IntoView {
    let x = of(use_lang());
    let field = format!("message-{id}");
    view! {
        <form method="post" action=path class="stacked">
            <input type="hidden" name="token" value=token/>
            <input type="hidden" name=whom value=id.to_string()/>
            <label for=field.clone()>{x.message}</label>
            <input id=field name="message" maxlength="500" autocomplete="off"/>
            <label class="check"><input type="checkbox" name="must"/>{x.must_meet}</label>
            <button type="submit">{x.ask}</button>
        </form>
    }
}

#[component]
fn GuestMeeting(r: MeetingView, token: String, slots: Vec<SlotView>) -> impl IntoView {
    let lang = use_lang();
    let x = of(lang);
    let id = r.id.to_string();
    let when = r.slot.as_ref().map(|s| meeting_when(s, lang));
    let answerable = r.status == MeetingStatus::Pending && r.from_host;
    let cancellable = matches!(r.status, MeetingStatus::Pending | MeetingStatus::Accepted);
    let field = format!("slot-{}", r.id);
    view! {
        <li class="meeting">
            <strong>{r.host_name.clone()}</strong>{format!(" · {}", r.host_organization)}
            " "<span class="badge">{r.status.label(lang)}</span>
            {when.map(|w| view! { <p>{w}{r.table.clone().map(|t| format!(" · {} {t}", x.table))}</p> })}
            {(!r.message.is_empty()).then(|| view! { <p class="hint">{r.message.clone()}</p> })}
            {answerable.then(|| view! {
                <form method="post" action=GuestAnswer::PATH class="inline-form">
                    <input type="hidden" name="token" value=token.clone()/>
                    <input type="hidden" name="request_id" value=id.clone()/>
                    <input type="hidden" name="answer" value="accept"/>
                    <label for=field.clone()>{x.slot}</label>
                    <select id=field name="slot">
                        <option value="">{x.first_free}</option>
                        {slot_options(&slots, None)}
                    </select>
                    <button type="submit">{x.accept}</button>
                </form>
                <form method="post" action=GuestAnswer::PATH class="inline-form">
                    <input type="hidden" name="token" value=token.clone()/>
                    <input type="hidden" name="request_id" value=id.clone()/>
                    <input type="hidden" name="answer" value="decline"/>
                    <button type="submit" class="link">{x.decline}</button>
                </form>
            })}
            {cancellable.then(|| view! {
                <form method="post" action=GuestCancel::PATH class="inline-form">
                    <input type="hidden" name="token" value=token.clone()/>
                    <input type="hidden" name="request_id" value=id.clone()/>
                    <button type="submit" class="link">{if r.status == MeetingStatus::Pending && !r.from_host { x.withdraw } else { x.cancel }}</button>
                </form>
            })}
        </li>
    }
}

#[component]
fn OptIn(token: String, opted_in: bool, offer: String) -> impl IntoView {
    let x: &MeetingTexts = of(use_lang());
    if opted_in {
        view! {
            <form method="post" action=GuestOptIn::PATH class="inline-form">
                <p class="saved">{x.opted_in}</p>
                <input type="hidden" name="token" value=token/>
                <input type="hidden" name="stop" value="on"/>
                <button type="submit" class="link">{x.stop_opt_in}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action=GuestOptIn::PATH class="stacked">
                <input type="hidden" name="token" value=token/>
                <label for="meeting-offer">{x.opt_in_offer}</label>
                <textarea id="meeting-offer" name="offer" rows="2" maxlength="2000">{offer}</textarea>
                <button type="submit">{x.opt_in}</button>
            </form>
        }
        .into_any()
    }
}
