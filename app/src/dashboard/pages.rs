//! `/admin/dashboard` (the leaders' view) and `/admin/projects` (the projects behind any of
//! its figures). Every number is a link to its list; the period form is a plain GET form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::charts::{Bar, BarChart, ColumnChart};
use super::texts::dashboard_texts;
use super::{
    Credited, Dashboard, DashboardQuery, ProjectQuery, SaveScoreWeights, Scope, get_dashboard, list_projects,
    percent_text, ratio_milli,
};
use crate::auth::Role;
use crate::components::use_member;
use crate::domain::{Milestone, Stage};
use crate::events::IndustryChain;
use crate::html::PageTitle;
use crate::i18n::{Lang, format_number, use_lang, use_texts};
use crate::targets::TargetMetric;

/// `yuan` in 亿元 with two decimals (rounded down to the 百万元) and thousands separators.
pub fn yi(yuan: i64) -> String {
    let cents = yuan / 1_000_000;
    format!("{}.{:02}", format_number(cents / 100), (cents % 100).abs())
}

/// Hundredths of a project: `12` or `0.33`.
pub fn hundredths(h: i64) -> String {
    if h % 100 == 0 { format_number(h / 100) } else { format!("{}.{:02}", format_number(h / 100), h % 100) }
}

fn per_wan(amount: i64, cost: i64) -> String {
    Credited::per_wan(amount, cost).map(|r| format!("{r:.4}")).unwrap_or_else(|| "–".into())
}

fn query_of(map: &leptos_router::params::ParamsMap) -> DashboardQuery {
    let get = |k: &str| map.get(k).unwrap_or_default();
    DashboardQuery {
        from: get("from"),
        to: get("to"),
        roadshow: get("roadshow"),
        credit: get("credit"),
        funds: get("funds"),
    }
}

/// A figure that opens the projects it counts.
#[component]
fn Figure(label: &'static str, value: String, href: String) -> impl IntoView {
    view! {
        <div class="figure">
            <a href=href>
                <span class="figure-value">{value}</span>
                <span class="figure-label">{label}</span>
            </a>
        </div>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let x = dashboard_texts(lang);
    let query = use_query_map();
    let save = ServerAction::<SaveScoreWeights>::new();
    let dashboard =
        crate::web::resource(move || (query.with(query_of), save.version().get()), |(q, _)| get_dashboard(q));
    let is_owner = use_member().is_some_and(|m| m.role == Role::Owner);
    view! {
        <PageTitle text=format!("{} · {}", x.dashboard, t.app_name)/>
        <h1>{x.dashboard}</h1>
        <p class="hint no-print">{x.intro}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Err(e) => {
                        let message = match e.field_errors() {
                            Some(f) => f.errors.iter().map(|e| format!("{}: {}", e.field, e.reason.message(lang))).collect::<Vec<_>>().join("\n"),
                            None => e.message(lang),
                        };
                        view! { <p class="form-error" role="alert" style="white-space: pre-line">{message}</p> }.into_any()
                    }
                    Ok(d) => view! { <DashboardView d lang is_owner save/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(d: Dashboard, lang: Lang, is_owner: bool, save: ServerAction<SaveScoreWeights>) -> impl IntoView {
    let x = dashboard_texts(lang);
    let scope = d.scope;
    let q = scope.query();
    let projects = move |extra: &str| format!("/admin/projects?{q}&{extra}", q = scope.query());
    let h = d.headline.clone();
    let f = h.figures;
    let roadshow_filter = scope.roadshow_id.map(|id| format!("roadshow={id}")).unwrap_or_default();
    let figures = vec![
        (x.projects_signed, format_number(f.projects), projects("metric=signed")),
        (x.signed, yi(f.signed_yuan), projects("metric=signed")),
        (x.big10, format_number(f.big[0]), projects("metric=big10")),
        (x.big50, format_number(f.big[1]), projects("metric=big50")),
        (x.big100, format_number(f.big[2]), projects("metric=big100")),
        (x.top500, format_number(f.top500), projects("metric=top500")),
        (x.funds_in_place, yi(f.funds_yuan), projects("metric=funds")),
        (x.funds_rate, percent_text(ratio_milli(f.funds_yuan, f.signed_yuan)), projects("metric=funds")),
        (x.hometown, format_number(f.hometown), projects("metric=hometown")),
        (x.hometown_funds, yi(f.hometown_funds_yuan), projects("metric=hometown_funds")),
        (x.new_companies, format_number(f.new_companies), projects("metric=new_company")),
        (x.new_company_funds, yi(f.new_company_funds_yuan), projects("metric=new_company")),
        (x.started, format_number(f.started), projects("metric=started")),
        (x.start_rate, percent_text(ratio_milli(f.signed_started, f.projects)), projects("metric=signed")),
        (x.producing, format_number(f.producing), projects("metric=producing")),
        (x.production_rate, percent_text(ratio_milli(f.signed_producing, f.projects)), projects("metric=signed")),
        (x.events_held, format_number(h.events), format!("/admin?{roadshow_filter}")),
        (x.guests, format_number(h.guests), format!("/admin?{roadshow_filter}")),
        (x.checked_in, format_number(h.checked_in), format!("/admin?{roadshow_filter}")),
        (x.leads, format_number(h.leads), format!("/admin/leads?{roadshow_filter}")),
    ];
    let export = |kind: &str| format!("/admin/dashboard/export.{kind}?{q}&lang={}", lang.code(), q = scope.query());
    let month_bars: Vec<Bar> = d
        .months
        .iter()
        .map(|m| Bar {
            label: m.month.get(5..).unwrap_or(&m.month).to_string(),
            value: m.signed_yuan,
            text: yi(m.signed_yuan),
        })
        .collect();
    let slice_bars = |slices: &[super::Slice]| -> Vec<Bar> {
        slices
            .iter()
            .map(|s| Bar {
                label: lang.pick(&s.label_zh, &s.label_en).to_string(),
                value: s.signed_yuan,
                text: yi(s.signed_yuan),
            })
            .collect()
    };
    let funnel_label = move |key: &str| match key {
        "guests" => x.guests.to_string(),
        "leads" => x.leads.to_string(),
        k => Stage::parse(k).map(|s| s.label(lang).to_string()).unwrap_or_else(|| k.to_string()),
    };
    let funnel_bars: Vec<Bar> = d
        .funnel
        .iter()
        .map(|s| Bar { label: funnel_label(&s.key), value: s.count, text: format_number(s.count) })
        .collect();
    view! {
        <ScopeForm scope roadshows=d.roadshow_choices.clone() lang/>
        <p class="exports no-print">
            <a href=export("csv") download="">{x.export_csv}</a>" · "
            <a href=export("xlsx") download="">{x.export_xlsx}</a>" · "
            <a href=export("html") rel="external" target="_blank">{x.print}</a>
        </p>
        <section aria-labelledby="headline">
            <h2 id="headline">{x.headline}" · "{scope.from.to_string()}" – "{scope.to.to_string()}</h2>
            <div class="figures">
                {figures.into_iter().map(|(label, value, href)| view! { <Figure label value href/> }).collect_view()}
            </div>
        </section>
        <section aria-labelledby="ranking">
            <h2 id="ranking">{x.ranking}</h2>
            <p class="hint">{x.ranking_hint}</p>
            <div class="table-scroll">
                <table class="ranking">
                    <thead>
                        <tr>
                            <th scope="col">{x.rank}</th>
                            <th scope="col">{x.unit}</th>
                            <th scope="col">{x.score}</th>
                            {TargetMetric::ALL.iter().map(|m| view! { <th scope="col">{m.label(lang)}</th> }).collect_view()}
                            <th scope="col">{x.trip_months}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d.units.iter().map(|u| {
                            let arrow = match u.change {
                                Some(c) if c > 0 => format!(" ▲{c}"),
                                Some(c) if c < 0 => format!(" ▼{}", -c),
                                Some(_) => " –".to_string(),
                                None => String::new(),
                            };
                            let unit_q = format!("unit={}", u.unit_id);
                            view! {
                                <tr>
                                    <td class="number">{u.rank}<span class="change">{arrow}</span></td>
                                    <th scope="row">{lang.pick(&u.name_zh, &u.name_en).to_string()}</th>
                                    <td class="number">{percent_text(u.score_milli)}</td>
                                    {TargetMetric::ALL.into_iter().enumerate().map(|(i, m)| {
                                        let actual = u.figures.actual(m, u.trips);
                                        let text = if m.is_money() { yi(actual) } else { format_number(actual) };
                                        let target = u.targets[i].map(|t| if m.is_money() { yi(t) } else { format_number(t) });
                                        let href = match m {
                                            TargetMetric::Projects | TargetMetric::Signed => projects(&format!("{unit_q}&metric=signed")),
                                            TargetMetric::Funds => projects(&format!("{unit_q}&metric=funds")),
                                            TargetMetric::Top500 => projects(&format!("{unit_q}&metric=top500")),
                                            TargetMetric::Hometown => projects(&format!("{unit_q}&metric=hometown")),
                                            TargetMetric::Started => projects(&format!("{unit_q}&metric=started")),
                                            TargetMetric::Trips => format!("/admin/trips?year={}", scope.to.format("%Y")),
                                        };
                                        let label = format!("{} · {}", lang.pick(&u.name_zh, &u.name_en), m.label(lang));
                                        view! {
                                            <td class="number">
                                                <a href=href aria-label=label>{text}</a>
                                                {target.map(|t| view! { <span class="of">" / "{t}</span> })}
                                                {u.completions[i].map(|c| view! { <span class="completion">" ("{percent_text(Some(c))}")"</span> })}
                                            </td>
                                        }
                                    }).collect_view()}
                                    <td class="number">{format!("{} / {}", u.trip_months, d.months_over)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(d.unassigned.projects > 0).then(|| view! {
                <p class="hint">{x.unassigned}": "{format_number(d.unassigned.projects)}</p>
            })}
            {is_owner.then(|| view! { <WeightsForm weights=d.weights save lang/> })}
        </section>
        <section aria-labelledby="trend">
            <h2 id="trend">{x.by_month}</h2>
            <ColumnChart title=x.by_month.to_string() bars=month_bars/>
            <div class="table-scroll">
                <table>
                    <thead><tr><th scope="col">{x.month}</th><th scope="col">{x.projects_signed}</th><th scope="col">{x.signed}</th><th scope="col">{x.funds_in_place}</th></tr></thead>
                    <tbody>
                        {d.months.iter().map(|m| view! {
                            <tr>
                                <th scope="row">{m.month.clone()}</th>
                                <td class="number"><a href=projects(&format!("metric=signed&month={}", m.month))>{format_number(m.projects)}</a></td>
                                <td class="number">{yi(m.signed_yuan)}</td>
                                <td class="number">{yi(m.funds_yuan)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <SliceSection id="by-chain" title=x.by_chain slices=d.chains.clone() bars=slice_bars(&d.chains) lang link=move |k: &str| projects(&format!("metric=signed&chain={k}"))/>
        <SliceSection id="by-method" title=x.by_method slices=d.methods.clone() bars=slice_bars(&d.methods) lang link=move |k: &str| projects(&format!("metric=signed&method={}", if k.is_empty() { "none" } else { k }))/>
        <SliceSection id="by-region" title=x.by_region slices=d.regions.clone() bars=slice_bars(&d.regions) lang link=move |k: &str| projects(&format!("metric=credited&region={k}"))/>
        <section aria-labelledby="funnel">
            <h2 id="funnel">{x.funnel}</h2>
            <BarChart title=x.funnel.to_string() bars=funnel_bars/>
        </section>
        <section aria-labelledby="per-event">
            <h2 id="per-event">{x.per_event}</h2>
            <div class="table-scroll">
                <table class="per-event">
                    <thead>
                        <tr>
                            <th scope="col">{x.event}</th><th scope="col">{x.date}</th><th scope="col">{x.region}</th>
                            <CreditedHeadings lang/>
                        </tr>
                    </thead>
                    <tbody>
                        {d.events.iter().map(|e| view! {
                            <tr>
                                <th scope="row"><a href=format!("/admin/events/{}", e.id)>{lang.pick(&e.title_zh, &e.title_en).to_string()}</a></th>
                                <td>{e.starts_on.to_string()}</td>
                                <td>{e.region.clone()}</td>
                                <CreditedCells
                                    c=e.credited.clone()
                                    leads=format!("/admin/leads?event={}", e.id)
                                    projects=Some(projects(&format!("metric=credited&event={}", e.id)))
                                />
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="6">{x.with_events}</th>
                            <td class="number"><a href=projects("metric=credited")>{hundredths(d.with_events.projects_hundredths)}</a></td>
                            <td class="number">{yi(d.with_events.signed_yuan)}</td>
                            <td class="number">{yi(d.with_events.funds_yuan)}</td>
                            <td colspan="3"></td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            <h3>{x.per_roadshow}</h3>
            <div class="table-scroll">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{x.roadshow}</th><th scope="col">{x.events_held}</th>
                            <CreditedHeadings lang/>
                        </tr>
                    </thead>
                    <tbody>
                        {d.roadshows.iter().map(|r| view! {
                            <tr>
                                <th scope="row"><a href=format!("/admin/dashboard?roadshow={}&credit={}", r.id, scope.credit.key())>{r.name.clone()}</a></th>
                                <td class="number">{format_number(r.events)}</td>
                                <CreditedCells c=r.credited.clone() leads=format!("/admin/leads?roadshow={}", r.id) projects=None/>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section aria-labelledby="overdue">
            <h2 id="overdue">{x.overdue}</h2>
            {if d.overdue.is_empty() {
                view! { <p class="empty">{x.none_overdue}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="overdue">
                            <thead>
                                <tr>
                                    <th scope="col">{x.project}</th><th scope="col">{x.unit}</th><th scope="col">{x.milestone}</th>
                                    <th scope="col">{x.planned}</th><th scope="col">{x.days_late}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {d.overdue.iter().map(|o| {
                                    let milestone = if o.milestone == "start" { Milestone::Start } else { Milestone::Production };
                                    let colour = if o.red { x.red } else { x.yellow };
                                    view! {
                                        <tr class=if o.red { "late-red" } else { "late-yellow" }>
                                            <th scope="row"><a href=format!("/admin/leads/{}", o.lead_id)>{o.project.clone()}</a>" · "{o.company.clone()}</th>
                                            <td>{lang.pick(&o.unit_zh, &o.unit_en).to_string()}</td>
                                            <td>{milestone.label(lang)}</td>
                                            <td>{o.planned_on.to_string()}</td>
                                            <td class="number"><span class="badge">{colour}</span>" "{o.days_late}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <p class="hint print-only">{q}</p>
    }
}

/// The headings of what a stop or a roadshow produced (`CreditedCells`).
#[component]
fn CreditedHeadings(lang: Lang) -> impl IntoView {
    let x = dashboard_texts(lang);
    [
        x.guests,
        x.checked_in,
        x.leads,
        x.credited_projects,
        x.signed,
        x.funds_in_place,
        x.cost,
        x.signed_per_wan,
        x.funds_per_wan,
    ]
    .map(|h| view! { <th scope="col">{h}</th> })
    .into_iter()
    .collect_view()
}

/// What a stop or a roadshow produced, its leads and credited projects linked.
#[component]
fn CreditedCells(c: Credited, leads: String, projects: Option<String>) -> impl IntoView {
    let credited = hundredths(c.projects_hundredths);
    view! {
        <td class="number">{format_number(c.guests)}</td>
        <td class="number">{format_number(c.checked_in)}</td>
        <td class="number"><a href=leads>{format_number(c.leads)}</a></td>
        <td class="number">
            {match projects {
                Some(href) => view! { <a href=href>{credited}</a> }.into_any(),
                None => credited.into_any(),
            }}
        </td>
        <td class="number">{yi(c.signed_yuan)}</td>
        <td class="number">{yi(c.funds_yuan)}</td>
        <td class="number">{crate::domain::Yuan::wan_text(c.cost_yuan)}</td>
        <td class="number">{per_wan(c.signed_yuan, c.cost_yuan)}</td>
        <td class="number">{per_wan(c.funds_yuan, c.cost_yuan)}</td>
    }
}

#[component]
fn ScopeForm(scope: Scope, roadshows: Vec<(i32, String, i32)>, lang: Lang) -> impl IntoView {
    let x = dashboard_texts(lang);
    view! {
        <form method="get" class="inline-form scope no-print" action="/admin/dashboard">
            <label>{x.from}<input type="date" name="from" value=scope.from.to_string() required/></label>
            <label>{x.to}<input type="date" name="to" value=scope.to.to_string() required/></label>
            <label>{x.roadshow}
                <select name="roadshow">
                    <option value="">{x.all_roadshows}</option>
                    {roadshows.into_iter().map(|(id, name, year)| view! {
                        <option value=id selected=scope.roadshow_id == Some(id)>{format!("{name} ({year})")}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{x.credit}
                <select name="credit">
                    {super::CreditModel::ALL.into_iter().map(|m| {
                        let label = match m {
                            super::CreditModel::First => x.credit_first,
                            super::CreditModel::Last => x.credit_last,
                            super::CreditModel::Even => x.credit_even,
                        };
                        view! { <option value=m.key() selected=scope.credit == m>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{x.funds}
                <select name="funds">
                    <option value="all" selected=!scope.verified_only>{x.funds_all}</option>
                    <option value="verified" selected=scope.verified_only>{x.funds_verified}</option>
                </select>
            </label>
            <button type="submit">{x.show}</button>
        </form>
    }
}

#[component]
fn WeightsForm(weights: super::ScoreWeights, save: ServerAction<SaveScoreWeights>, lang: Lang) -> impl IntoView {
    let x = dashboard_texts(lang);
    view! {
        <details class="panel no-print">
            <summary>{x.weights}</summary>
            <p class="hint">{x.weights_hint}</p>
            <ActionForm action=save attr:class="inline-form">
                {TargetMetric::ALL.into_iter().map(|m| view! {
                    <label>{m.label(lang)}
                        <input type="number" min="0" max="100" required name=format!("cells[weight-{}]", m.key()) value=weights.get(m)/>
                    </label>
                }).collect_view()}
                <button type="submit">{x.save}</button>
            </ActionForm>
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p class="saved" role="status">{x.saved}</p> }.into_any(),
                Err(e) => {
                    let message = match e.field_errors() {
                        Some(f) => f.errors.iter().map(|e| e.reason.message(lang)).collect::<Vec<_>>().join("\n"),
                        None => e.message(lang),
                    };
                    view! { <p class="form-error" role="alert">{message}</p> }.into_any()
                }
            })}
        </details>
    }
}

#[component]
fn SliceSection<F>(
    id: &'static str,
    title: &'static str,
    slices: Vec<super::Slice>,
    bars: Vec<Bar>,
    lang: Lang,
    link: F,
) -> impl IntoView
where
    F: Fn(&str) -> String + 'static,
{
    let x = dashboard_texts(lang);
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <BarChart title=format!("{title} · {}", x.signed) bars/>
            <div class="table-scroll">
                <table>
                    <thead><tr><th scope="col">{title}</th><th scope="col">{x.projects_signed}</th><th scope="col">{x.signed}</th><th scope="col">{x.funds_in_place}</th></tr></thead>
                    <tbody>
                        {slices.into_iter().map(|s| view! {
                            <tr>
                                <th scope="row">{lang.pick(&s.label_zh, &s.label_en).to_string()}</th>
                                <td class="number"><a href=link(&s.key)>{hundredths(s.projects_hundredths)}</a></td>
                                <td class="number">{yi(s.signed_yuan)}</td>
                                <td class="number">{yi(s.funds_yuan)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn project_query_of(map: &leptos_router::params::ParamsMap) -> ProjectQuery {
    let get = |k: &str| map.get(k).unwrap_or_default();
    ProjectQuery {
        scope: query_of(map),
        metric: get("metric"),
        unit: get("unit"),
        chain: get("chain"),
        method: get("method"),
        month: get("month"),
        event: get("event"),
        region: get("region"),
    }
}

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let x = dashboard_texts(lang);
    let query = use_query_map();
    let list = crate::web::resource(move || query.with(project_query_of), list_projects);
    view! {
        <PageTitle text=format!("{} · {}", x.projects_title, t.app_name)/>
        <h1>{x.projects_title}</h1>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p class="form-error" role="alert">{e.message(lang)}</p> }.into_any(),
                    Ok(list) => {
                        let back = format!("/admin/dashboard?{}", list.scope.query());
                        let credited = list.credited;
                        let count = list.rows.len() as i64;
                        view! {
                            <p>
                                {x.period}": "{list.scope.from.to_string()}" – "{list.scope.to.to_string()}" · "
                                <a href=back>{x.back}</a>
                            </p>
                            {if list.rows.is_empty() {
                                view! { <p class="empty">{x.none_found}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="projects">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{x.project}</th><th scope="col">{x.unit}</th><th scope="col">{x.chain}</th>
                                                    <th scope="col">{x.signed_on}</th><th scope="col">{x.signed}</th><th scope="col">{x.funds_in_place}</th>
                                                    {credited.map(|_| view! { <th scope="col">{x.credited}</th> })}
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list.rows.into_iter().map(|r| {
                                                    let chain = IndustryChain::from_slug(&r.chain).map(|c| c.label(lang).to_string()).unwrap_or(r.chain.clone());
                                                    view! {
                                                        <tr>
                                                            <th scope="row"><a href=format!("/admin/leads/{}", r.lead_id)>{r.name}</a>" · "{r.company}</th>
                                                            <td>{lang.pick(&r.unit_zh, &r.unit_en).to_string()}</td>
                                                            <td>{chain}</td>
                                                            <td>{r.signed_on.map(|d| d.to_string()).unwrap_or_default()}</td>
                                                            <td class="number">{yi(r.signed_yuan)}</td>
                                                            <td class="number">{yi(r.funds_yuan)}</td>
                                                            {r.credited.map(|(h, s, f)| view! {
                                                                <td class="number">{format!("{} · {} · {}", hundredths(h), yi(s), yi(f))}</td>
                                                            })}
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                            <tfoot>
                                                <tr>
                                                    <th scope="row" colspan="4">{x.total}" ("{format_number(count)}")"</th>
                                                    <td class="number total-signed">{yi(list.signed_yuan)}</td>
                                                    <td class="number total-funds">{yi(list.funds_yuan)}</td>
                                                    {credited.map(|(h, s, f)| view! {
                                                        <td class="number">{format!("{} · {} · {}", hundredths(h), yi(s), yi(f))}</td>
                                                    })}
                                                </tr>
                                            </tfoot>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
