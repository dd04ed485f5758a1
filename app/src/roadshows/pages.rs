//! Roadshow pages: the list with progress against targets, the overview of stops on
//! a timeline grouped by region, and the roadshow form.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::*;
use crate::components::use_member;
use crate::forms::{FormSummary, TextArea, TextField, url_values, use_form};
use crate::i18n::{format_amount_cny, format_date, format_number, use_lang, use_texts};

#[component]
pub fn RoadshowListPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let list = crate::web::resource(|| (), |_| list_roadshows());
    let can_write = use_member().is_some_and(|m| m.role.can_write());
    view! {
        <PageTitle text=format!("{} · {}", t.roadshows, t.app_name)/>
        <div class="toolbar">
            <h1>{t.roadshows}</h1>
            {can_write.then(|| view! { <a class="button" href="/admin/roadshows/new">{t.new_roadshow}</a> })}
        </div>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t.no_roadshows}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|r| view! {
                                <li class="card">
                                    <a href=format!("/admin/roadshows/{}", r.id)>{r.name.clone()}</a>
                                    <p>{r.year}" · "{format!("{} / {} {}", r.event_count, r.target_events, t.stops)}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoadshowFields(initial: RoadshowForm) -> impl IntoView {
    let t = use_texts();
    view! {
        <FormSummary/>
        <TextField label=t.name_label name="name" value=initial.name required=true maxlength=200/>
        <TextField label=t.year name="year" value=initial.year input_type="number" required=true/>
        <TextArea label=t.description name="description" value=initial.description/>
        <fieldset class="grid">
            <legend>{t.targets}</legend>
            <TextField label=t.target_events name="target_events" value=initial.target_events input_type="number"/>
            <TextField label=t.target_leads name="target_leads" value=initial.target_leads input_type="number"/>
            <TextField label=t.target_projects name="target_projects" value=initial.target_projects input_type="number"/>
            <TextField label=t.target_amount name="target_amount" value=initial.target_amount/>
        </fieldset>
        <button type="submit" class="primary">{t.save}</button>
    }
}

#[component]
pub fn NewRoadshowPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<CreateRoadshow>::new();
    let (_, on_change) = use_form(action, |a: &CreateRoadshow| a.form.validate());
    let initial = url_values::<CreateRoadshow, RoadshowForm>()
        .unwrap_or_else(|| RoadshowForm { year: "2027".into(), ..Default::default() });
    view! {
        <PageTitle text=format!("{} · {}", t.new_roadshow, t.app_name)/>
        <h1>{t.new_roadshow}</h1>
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="roadshow-form" attr:novalidate=true>
                <RoadshowFields initial/>
            </ActionForm>
        </div>
    }
}

#[component]
fn EditRoadshowForm(id: i32, initial: RoadshowForm, action: ServerAction<UpdateRoadshow>) -> impl IntoView {
    let (_, on_change) = use_form(action, |a: &UpdateRoadshow| a.form.validate());
    view! {
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="roadshow-form" attr:novalidate=true>
                <input type="hidden" name="id" value=id/>
                <RoadshowFields initial/>
            </ActionForm>
        </div>
    }
}

/// A roadshow at a glance: progress against its targets and every stop by region.
#[component]
pub fn RoadshowPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let update = ServerAction::<UpdateRoadshow>::new();
    // The update's redirect may land on this same URL: read again after each success.
    let changes = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_))) {
            changes.update(|n| *n += 1);
        }
    });
    let overview = crate::web::resource(move || (id(), changes.get()), |(id, _)| get_roadshow(id));
    let can_write = use_member().is_some_and(|m| m.role.can_write());
    let echoed = url_values::<UpdateRoadshow, RoadshowForm>();
    view! {
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || {
                let echoed = echoed.clone();
                Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(RoadshowOverview { roadshow: r, regions }) => {
                        let total: usize = regions.iter().map(|(_, s)| s.len()).sum();
                        view! {
                            <PageTitle text=format!("{} · {}", r.name, t.app_name)/>
                            <div class="toolbar">
                                <h1>{r.name.clone()}</h1>
                                {can_write.then(|| view! { <a class="button" href=format!("/admin/events/new?roadshow={}", r.id)>{t.new_event}</a> })}
                            </div>
                            {query.read_untracked().get("saved").map(|_| view! { <p class="saved" role="status">{t.saved}</p> })}
                            <section class="description" inner_html=r.description_html.clone()></section>
                            <dl class="targets">
                                <div><dt>{t.stops}</dt><dd class="stop-count">{format!("{} / {}", format_number(total as i64), format_number(r.target_events as i64))}</dd></div>
                                <div><dt>{format!("{} · {}", t.target_leads, t.of_target)}</dt><dd>{format_number(r.target_leads as i64)}</dd></div>
                                <div><dt>{format!("{} · {}", t.target_projects, t.of_target)}</dt><dd>{format_number(r.target_projects as i64)}</dd></div>
                                <div><dt>{format!("{} · {}", t.signed_amount, t.of_target)}</dt><dd>{format_amount_cny(lang, r.target_amount_cny)}</dd></div>
                            </dl>
                            <h2>{t.stops_by_region}</h2>
                            <div class="timeline">
                                {regions.into_iter().map(|(region, stops)| view! {
                                    <section class="region" data-region=region.clone()>
                                        <h3>{region.clone()}" "<span class="count">{stops.len()}</span></h3>
                                        <ol>
                                            {stops.into_iter().map(|s| view! {
                                                <li class=format!("stop status-{}", s.status.as_str())>
                                                    <time>{format_date(lang, s.starts_local)}</time>
                                                    <a href=format!("/admin/events/{}", s.id)>{lang.pick(&s.title_zh, &s.title_en).to_string()}</a>
                                                    <span class="city">{s.city.clone()}</span>
                                                </li>
                                            }).collect_view()}
                                        </ol>
                                    </section>
                                }).collect_view()}
                            </div>
                            {can_write.then(|| view! { <h2>{t.save}</h2><EditRoadshowForm id=r.id initial=echoed.unwrap_or_else(|| r.to_form()) action=update/> })}
                        }.into_any()
                    }
                }
            })}}
        </Transition>
    }
}

/// The public list of a roadshow's coming stops, filterable by region with plain links
/// (every view has its own URL and works without JavaScript).
#[component]
pub fn PublicRoadshowPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let region = move || query.read().get("region").unwrap_or_default();
    let roadshow = crate::web::resource(move || (id(), region()), |(id, region)| super::public_roadshow(id, region));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let r = match roadshow.await {
                    Ok(r) => r,
                    Err(crate::error::AppError::NotFound) => return view! { <crate::components::NotFound/> }.into_any(),
                    Err(e) => return view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                };
                let base = format!("/roadshow/{}", r.id);
                let total: u64 = r.regions.iter().map(|(_, n)| n).sum();
                view! {
                    <PageTitle text=format!("{} · {}", r.name, t.app_name)/>
                    <leptos_meta::Meta name="description" content=format!("{} {}", r.name, r.year)/>
                    <h1>{r.name.clone()}</h1>
                    <div class="prose" inner_html=r.description_html.clone()></div>
                    <h2>{t.upcoming_events}</h2>
                    <nav class="filters region-filter" aria-label=t.region>
                        <a href=base.clone() aria-current=r.region.is_empty().then_some("page")>{format!("{} {}", t.all, total)}</a>
                        {r.regions.iter().map(|(name, n)| {
                            let href = format!("{base}?region={}", crate::web::url_encode(name));
                            let current = (r.region == *name).then_some("page");
                            view! { <a href=href aria-current=current>{format!("{name} {n}")}</a> }
                        }).collect_view()}
                    </nav>
                    {if r.stops.is_empty() {
                        view! { <p class="empty">{t.no_upcoming}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="cards">
                                {r.stops.into_iter().map(|e| view! {
                                    <li class="card">
                                        <a href=format!("/e/{}", e.slug)>{lang.pick(&e.title_zh, &e.title_en).to_string()}</a>
                                        <p>{format_date(lang, e.starts_local)}" · "{e.city.clone()}" · "<span class="region">{e.region.clone()}</span></p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}
