//! `/admin/trips`: the year's outbound promotion trips, each unit's trips per month (a
//! month over without a trip is marked), and the form to record one.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{DeleteTrip, SaveTrip, TripForm, Trips, list_trips};
use crate::components::use_member;
use crate::forms::{FieldMessage, FormSummary, TextArea, TextField, url_values, use_form};
use crate::html::PageTitle;
use crate::i18n::{texts_of, use_lang, use_texts};

texts_of! {
    pub struct TripTexts, fn trip_texts;
    trips: "外出招商", "Promotion trips";
    intro: "各单位外出招商的记录。规则：每个单位每月至少外出招商一次；已过去的月份没有记录的以红色标出。", "Each unit's outbound promotion trips. The rule: every unit goes out at least once a month; a month that is over without a trip is marked red.";
    year: "年份", "Year";
    show: "查看", "Show";
    by_month: "各单位每月次数", "Trips per unit and month";
    unit: "单位", "Unit";
    total: "合计", "Total";
    missed: "未外出", "no trip";
    record: "记录一次外出招商", "Record a trip";
    destination: "目的地", "Destination";
    starts_on: "出发日期", "From";
    ends_on: "返回日期", "To";
    travellers: "参加人员", "Who went";
    companies: "拜访企业（每行一家）", "Companies met (one per line)";
    leads: "关联线索编号（用逗号分隔）", "Linked lead numbers (comma-separated)";
    event: "关联活动", "Linked event";
    none: "（无）", "(none)";
    notes: "备注", "Notes";
    save: "保存", "Save";
    delete: "删除", "Delete";
    none_yet: "这一年还没有外出招商记录。", "No trips recorded this year yet.";
    no_units: "还没有单位：请先在“招商单位”中添加。", "No units yet: add them under Promotion units first.";
}

/// A month's short name: `5月`, `May`.
fn month_name(lang: crate::i18n::Lang, month: usize) -> String {
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    lang.pick(&format!("{month}月"), EN[(month - 1) % 12]).to_string()
}

#[component]
pub fn TripsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let x = trip_texts(lang);
    let query = use_query_map();
    let save = ServerAction::<SaveTrip>::new();
    let delete = ServerAction::<DeleteTrip>::new();
    let trips = crate::web::resource(
        move || (query.read().get("year").unwrap_or_default(), save.version().get(), delete.version().get()),
        |(year, _, _)| list_trips(year),
    );
    view! {
        <PageTitle text=format!("{} · {}", x.trips, t.app_name)/>
        <h1>{x.trips}</h1>
        <p class="hint">{x.intro}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match trips.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(list) if list.units.is_empty() => view! { <p class="empty">{x.no_units}</p> }.into_any(),
                    Ok(list) => view! { <TripsView list=list save=save delete=delete/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TripsView(list: Trips, save: ServerAction<SaveTrip>, delete: ServerAction<DeleteTrip>) -> impl IntoView {
    let lang = use_lang();
    let x = trip_texts(lang);
    let unit_name = {
        let units = list.units.clone();
        move |id: i32| {
            units.iter().find(|u| u.0 == id).map(|(_, zh, en)| lang.pick(zh, en).to_string()).unwrap_or_default()
        }
    };
    let months_over = list.months_over as usize;
    view! {
        <form method="get" class="inline-form" action="/admin/trips">
            <label>{x.year}<input type="number" name="year" min="2000" max="2100" value=list.year required/></label>
            <button type="submit">{x.show}</button>
        </form>
        <h2>{x.by_month}</h2>
        <div class="table-scroll">
            <table class="trip-months">
                <thead>
                    <tr>
                        <th scope="col">{x.unit}</th>
                        {(1..=12).map(|m| view! { <th scope="col" class="num">{month_name(lang, m)}</th> }).collect_view()}
                        <th scope="col" class="num">{x.total}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.by_unit.iter().map(|u| {
                        let total: u32 = u.months.iter().sum();
                        view! {
                            <tr>
                                <th scope="row">{lang.pick(&u.name_zh, &u.name_en).to_string()}</th>
                                {u.months.iter().enumerate().map(|(i, n)| {
                                    let missed = *n == 0 && i < months_over;
                                    view! {
                                        <td class="num" class:missed=missed>
                                            {n.to_string()}
                                            {missed.then(|| view! { <span class="sr">{format!(" ({})", x.missed)}</span> })}
                                        </td>
                                    }
                                }).collect_view()}
                                <td class="num">{total.to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {if list.trips.is_empty() {
            view! { <p class="empty">{x.none_yet}</p> }.into_any()
        } else {
            view! {
                <ul class="trips">
                    {list.trips.clone().into_iter().map(|trip| view! {
                        <li class="trip">
                            <strong>{format!("{} · {}", unit_name(trip.unit_id), trip.destination)}</strong>
                            {format!(" · {} – {} · {}", trip.starts_on, trip.ends_on, trip.travellers)}
                            {(!trip.companies.is_empty()).then(|| view! { <p>{format!("{}: {}", x.companies, trip.companies.join("、"))}</p> })}
                            {trip.event.clone().map(|(id, zh, en)| view! {
                                <p>{format!("{}: ", x.event)}<a href=format!("/admin/events/{id}")>{lang.pick(&zh, &en).to_string()}</a></p>
                            })}
                            {(!trip.leads.is_empty()).then(|| view! {
                                <p>
                                    {trip.leads.iter().map(|(id, name)| view! {
                                        <a href=format!("/admin/leads/{id}")>{format!("#{id} {name}")}</a>" "
                                    }).collect_view()}
                                </p>
                            })}
                            {(!trip.notes.is_empty()).then(|| view! { <p>{trip.notes.clone()}</p> })}
                            <ActionForm action=delete attr:class="inline-form">
                                <input type="hidden" name="id" value=trip.id/>
                                <button type="submit" class="link">{x.delete}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <TripFormPanel units=list.units.clone() events=list.events.clone() save=save/>
    }
}

#[component]
fn TripFormPanel(
    units: Vec<(i32, String, String)>,
    events: Vec<(i32, String, String)>,
    save: ServerAction<SaveTrip>,
) -> impl IntoView {
    let lang = use_lang();
    let x = trip_texts(lang);
    let (_, on_change) = use_form(save, |a: &SaveTrip| a.form.parse().err().unwrap_or_default());
    let echoed = url_values::<SaveTrip, TripForm>().unwrap_or_default();
    let own_unit = use_member().and_then(|m| m.unit_id);
    let chosen = echoed.unit_id.parse::<i32>().ok().or(own_unit);
    view! {
        <section class="panel">
            <h2>{x.record}</h2>
            <div on:input=on_change on:change=on_change>
                <ActionForm action=save attr:class="narrow" attr:novalidate=true>
                    <FormSummary/>
                    <div class="field">
                        <label class="label" for="f-unit_id">{x.unit}</label>
                        <select id="f-unit_id" name="form[unit_id]" required aria-describedby="e-unit_id">
                            {units.iter().map(|(id, zh, en)| view! {
                                <option value=*id selected=chosen == Some(*id)>{lang.pick(zh, en).to_string()}</option>
                            }).collect_view()}
                        </select>
                        <FieldMessage field="unit_id"/>
                    </div>
                    <TextField label=x.destination name="destination" value=echoed.destination.clone() required=true maxlength=200/>
                    <TextField label=x.starts_on name="starts_on" value=echoed.starts_on.clone() input_type="date" required=true/>
                    <TextField label=x.ends_on name="ends_on" value=echoed.ends_on.clone() input_type="date" required=true/>
                    <TextField label=x.travellers name="travellers" value=echoed.travellers.clone() required=true maxlength=500/>
                    <TextArea label=x.companies name="companies" value=echoed.companies.clone() rows=3/>
                    <TextField label=x.leads name="leads" value=echoed.leads.clone()/>
                    <div class="field">
                        <label class="label" for="f-event_id">{x.event}</label>
                        <select id="f-event_id" name="form[event_id]" aria-describedby="e-event_id">
                            <option value="">{x.none}</option>
                            {events.iter().map(|(id, zh, en)| view! {
                                <option value=*id selected=echoed.event_id == id.to_string()>{lang.pick(zh, en).to_string()}</option>
                            }).collect_view()}
                        </select>
                        <FieldMessage field="event_id"/>
                    </div>
                    <TextArea label=x.notes name="notes" value=echoed.notes.clone() rows=2/>
                    <button type="submit" class="primary">{x.save}</button>
                </ActionForm>
            </div>
        </section>
    }
}
