//! One lead's page: its details, pipeline stage and owner, projects and funds in place,
//! timeline, merging and the person's data rights.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::pages::{StageBadge, lead_texts, when};
use super::{
    ActivityKind, AddNote, AddTranche, ChangeOwner, ChangeStage, EraseLead, LeadDetail, LeadForm, MergeLeads,
    MoveProject, ProjectForm, ProjectView, PromotionMethod, SaveLead, SaveProject, Stage, TimelineEntry, VerifyTranche,
    get_lead,
};
use crate::components::ChainCheckboxes;
use crate::domain::IndustryChain;
use crate::forms::{FieldMessage, FormSummary, TextArea, TextField, use_form};
use crate::i18n::{Lang, format_amount_cny, format_date, use_lang};

/// One line of the timeline, amounts and stages in the reader's words.
fn timeline_text(lang: Lang, e: &TimelineEntry) -> String {
    let show = |value: &str| match e.kind {
        ActivityKind::Stage => {
            Stage::parse(value).map(|s| s.label(lang).to_string()).unwrap_or_else(|| value.to_string())
        }
        ActivityKind::Amount | ActivityKind::Funds | ActivityKind::Verified => {
            value.parse::<i64>().map(|v| format_amount_cny(lang, v)).unwrap_or_else(|_| value.to_string())
        }
        // The step a project reached, in the reader's words (its day stays as it is).
        ActivityKind::Progress => {
            let l = lead_texts(lang);
            match value {
                "registered" => l.registered_on.to_string(),
                "started" => l.started_on.to_string(),
                "producing" => l.producing_on.to_string(),
                day => day.to_string(),
            }
        }
        _ => value.to_string(),
    };
    let (from, to) = (show(&e.from), show(&e.to));
    match (from.is_empty(), to.is_empty()) {
        (true, true) => String::new(),
        (true, false) => to,
        (false, true) => from,
        (false, false) => format!("{from} → {to}"),
    }
}

/// `/admin/leads/:id`: a lead with its stage, owner, details, projects and timeline.
#[component]
pub fn LeadPage() -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let stage = ServerAction::<ChangeStage>::new();
    let owner = ServerAction::<ChangeOwner>::new();
    let save = ServerAction::<SaveLead>::new();
    let note = ServerAction::<AddNote>::new();
    let project = ServerAction::<SaveProject>::new();
    let tranche = ServerAction::<AddTranche>::new();
    let verify = ServerAction::<VerifyTranche>::new();
    let move_project = ServerAction::<MoveProject>::new();
    let merge = ServerAction::<MergeLeads>::new();
    let erase = ServerAction::<EraseLead>::new();
    let versions = move || {
        stage.version().get()
            + owner.version().get()
            + save.version().get()
            + note.version().get()
            + project.version().get()
            + tranche.version().get()
            + verify.version().get()
            + move_project.version().get()
            + merge.version().get()
            + erase.version().get()
    };
    let lead = crate::web::resource(move || (id(), versions()), |(id, _)| get_lead(id));
    let error_of = move |e: Option<Result<(), crate::error::AppError>>| {
        e.and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    view! {
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match lead.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(d) => {
                    let owner_id = d.owner_id;
                    let current_stage = d.stage;
                    let members = d.members.clone();
                    let events = d.events.clone();
                    let timeline = d.timeline.clone();
                    let lost_reason = d.lost_reason.clone();
                    let id = d.id;
                    let name = d.form.name.clone();
                    let consent_data = d
                        .consent_data_at
                        .map(|at| format!("{} ({}, {})", when(lang, at), d.consent_data_version, d.consent_source.label(lang)))
                        .unwrap_or_else(|| l.consent_none.into());
                    let consent_marketing = d.consent_marketing_at.map(|at| when(lang, at)).unwrap_or_else(|| l.consent_none.into());
                    let for_details = d.clone();
                    let for_projects = d;
                    view! {
                        <PageTitle text=format!("{} · {}", name, crate::i18n::texts(lang).leads)/>
                        <div class="toolbar">
                            <h1>
                                <a href="/admin/leads">{crate::i18n::texts(lang).leads}</a>" · "{name.clone()}" "
                                <small>{format!("#{id}")}</small>" "<StageBadge stage=current_stage/>
                            </h1>
                        </div>
                        <div class="lead-grid">
                            <div class="lead-main">
                                <section class="panel">
                                    <ActionForm action=stage attr:class="inline-form">
                                        <input type="hidden" name="id" value=id/>
                                        <label>{l.move_to}
                                            <select name="stage">
                                                {Stage::ALL.iter().map(|s| view! {
                                                    <option value=s.as_str() selected=*s == current_stage>{s.label(lang)}</option>
                                                }).collect_view()}
                                            </select>
                                        </label>
                                        <label>{l.lost_reason}<input type="text" name="reason" value=lost_reason.clone() maxlength="500"/></label>
                                        <label>{l.note}<input type="text" name="note"/></label>
                                        <button type="submit" class="primary">{l.change}</button>
                                    </ActionForm>
                                    {move || error_of(stage.value().get())}
                                    <ActionForm action=owner attr:class="inline-form">
                                        <input type="hidden" name="id" value=id/>
                                        <label>{l.give_to}
                                            <select name="owner">
                                                <option value="">{l.nobody}</option>
                                                {members.into_iter().map(|(mid, name)| view! {
                                                    <option value=mid selected=owner_id == Some(mid)>{name}</option>
                                                }).collect_view()}
                                            </select>
                                        </label>
                                        <button type="submit">{l.change}</button>
                                    </ActionForm>
                                    {move || error_of(owner.value().get())}
                                </section>
                                <LeadDetailsForm detail=for_details action=save/>
                                <ProjectsSection detail=for_projects project=project tranche=tranche verify=verify move_project=move_project/>
                                <section class="panel">
                                    <h2>{l.met_at}</h2>
                                    <ul class="met-at">
                                        {events.into_iter().map(|e| view! {
                                            <li>
                                                <a href=format!("/admin/events/{}", e.event_id)>{lang.pick(&e.title_zh, &e.title_en).to_string()}</a>
                                                " · "{format_date(lang, e.starts_at.naive_utc())}
                                                " · "{e.source.label(lang)}
                                                {e.checked_in.then_some(" ✓")}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            </div>
                            <aside class="lead-side">
                                <section class="panel">
                                    <h2>{l.timeline}</h2>
                                    <ActionForm action=note attr:class="note-form">
                                        <input type="hidden" name="id" value=id/>
                                        <textarea name="note" rows="2" aria-label=l.add_note placeholder=l.add_note></textarea>
                                        <button type="submit">{l.add_note}</button>
                                    </ActionForm>
                                    {move || error_of(note.value().get())}
                                    <ol class="lead-timeline">
                                        {timeline.into_iter().map(|e| view! {
                                            <li class=format!("tl-{}", e.kind.as_str())>
                                                <time>{when(lang, e.at)}</time>
                                                <strong>{e.kind.label(lang)}</strong>
                                                " "{timeline_text(lang, &e)}
                                                {(!e.note.is_empty()).then(|| view! { <p class="note">{e.note.clone()}</p> })}
                                                {e.by.clone().map(|b| view! { <small class="by">{format!("{} {b}", l.by)}</small> })}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                </section>
                                <section class="panel">
                                    <h2>{l.merge}</h2>
                                    <p class="hint">{l.merge_hint}</p>
                                    <ActionForm action=merge attr:class="inline-form">
                                        <input type="hidden" name="keep" value=id/>
                                        <label>{l.other_lead}<input type="number" name="other" min="1" required/></label>
                                        <button type="submit">{l.merge}</button>
                                    </ActionForm>
                                    {move || error_of(merge.value().get())}
                                </section>
                                <section class="panel privacy">
                                    <h2>{l.privacy}</h2>
                                    <p>{format!("{}: {consent_data}", l.consent_given)}</p>
                                    <p>{format!("{}: {consent_marketing}", l.consent_marketing)}</p>
                                    <p><a rel="external" download href=format!("/admin/leads/{id}/export.json")>{l.export_json}</a></p>
                                    <details>
                                        <summary>{l.erase}</summary>
                                        <p class="hint">{l.erase_hint}</p>
                                        <ActionForm action=erase>
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="danger">{l.erase_confirm}</button>
                                        </ActionForm>
                                    </details>
                                    {move || error_of(erase.value().get())}
                                </section>
                            </aside>
                        </div>
                    }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn LeadDetailsForm(detail: LeadDetail, action: ServerAction<SaveLead>) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let (_, on_change) = use_form(action, |a: &SaveLead| a.form.parse().err().unwrap_or_default());
    let f = detail.form.clone();
    let saved = move || {
        matches!(action.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">{l.saved}</p> })
    };
    view! {
        <section class="panel">
            <h2>{l.details}</h2>
            <div on:input=on_change on:change=on_change>
                <ActionForm action=action attr:class="lead-form" attr:novalidate=true>
                    <FormSummary/>
                    {saved}
                    <input type="hidden" name="id" value=detail.id/>
                    <LeadFields form=f/>
                    <button type="submit" class="primary">{l.save}</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// The fields of a lead, for its page and for capture.
#[component]
pub(super) fn LeadFields(form: LeadForm, #[prop(optional)] short: bool) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    view! {
        <TextField label=l.name name="name" value=form.name.clone() required=true maxlength=200/>
        <TextField label=l.company name="company" value=form.company.clone() maxlength=200/>
        <TextField label=l.email name="email" value=form.email.clone() input_type="email"/>
        <TextField label=l.phone name="phone" value=form.phone.clone() input_type="tel"/>
        <TextField label=l.job_title name="job_title" value=form.job_title.clone() maxlength=200/>
        <ChainCheckboxes legend=l.interest checked=form.industry_chains.clone()/>
        {(!short).then(|| view! {
            <TextField label=l.country name="country" value=form.country.clone() maxlength=2/>
            <TextField label=l.sector name="sector" value=form.sector.clone() maxlength=200/>
            <div class="field">
                <label class="label" for="f-language">{l.language}</label>
                <select id="f-language" name="form[language]">
                    <option value="zh" selected=form.language != "en">"中文"</option>
                    <option value="en" selected=form.language == "en">"English"</option>
                </select>
            </div>
            <div class="field">
                <label class="label" for="f-promotion_method">{l.promotion_method}</label>
                <select id="f-promotion_method" name="form[promotion_method]">
                    <option value="">"–"</option>
                    {PromotionMethod::ALL.iter().map(|m| view! {
                        <option value=m.as_str() selected=form.promotion_method == m.as_str()>{m.label(lang)}</option>
                    }).collect_view()}
                </select>
                <FieldMessage field="promotion_method"/>
            </div>
            <label class="check"><input type="checkbox" name="form[top500]" checked=form.top500 == "on"/>{l.top500}</label>
            <label class="check"><input type="checkbox" name="form[hometown_return]" checked=form.hometown_return == "on"/>{l.hometown}</label>
            <TextField label=l.tags name="tags" value=form.tags.clone()/>
        })}
        <TextArea label=l.notes name="notes" value=form.notes.clone() rows=3/>
    }
}

#[component]
fn ProjectsSection(
    detail: LeadDetail,
    project: ServerAction<SaveProject>,
    tranche: ServerAction<AddTranche>,
    verify: ServerAction<VerifyTranche>,
    move_project: ServerAction<MoveProject>,
) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let me = crate::components::use_member();
    let is_owner = me.as_ref().is_some_and(|m| m.role == crate::auth::Role::Owner);
    let units = detail.units.clone();
    let names = units.clone();
    let unit_name = move |id: i32| names.iter().find(|u| u.0 == id).map(|(_, zh, en)| lang.pick(zh, en).to_string());
    // `?project=ID`: the project form changes that project instead of adding one.
    let query = leptos_router::hooks::use_query_map();
    // Read once: the edit link loads the page anew (a redraw of the form would close it).
    let editing = query.read_untracked().get("project").and_then(|v| v.parse::<i32>().ok());
    let edited = editing.and_then(|id| detail.projects.iter().find(|p| p.id == id).cloned());
    let refusal = move |e: Option<Result<(), crate::error::AppError>>, fields: &'static [&'static str]| {
        e.and_then(|r| r.err()).map(|e| {
            let message = e
                .field_errors()
                .and_then(|f| fields.iter().find_map(|name| f.get(name)).map(|r| r.message(lang)))
                .unwrap_or_else(|| e.message(lang));
            view! { <p class="form-error" role="alert">{message}</p> }
        })
    };
    view! {
        <section class="panel">
            <h2>{l.projects}</h2>
            {detail.projects.is_empty().then(|| view! { <p class="empty">{l.no_projects}</p> })}
            {detail.projects.clone().into_iter().map(|p| view! {
                <article class="project" id=format!("project-{}", p.id)>
                    <h3>
                        {p.name.clone()}" "
                        {crate::domain::BigTier::of(p.planned_investment)
                            .map(|t| view! { <span class="badge big">{t.label(lang)}</span> })}
                    </h3>
                    <p>
                        {p.industry_chain.map(|c| format!("{} · ", c.label(lang)))}
                        {(!p.location.is_empty()).then(|| format!("{} · ", p.location))}
                        {format!("{} {}", l.planned_total, format_amount_cny(lang, p.planned_investment))}
                        {p.signed_on.map(|d| format!(" · {} {d}", l.signed_on))}
                    </p>
                    <ProjectProgress project=p.clone()/>
                    <p class="unit">
                        {format!("{}: {}", l.unit, p.unit_id.and_then(&unit_name).unwrap_or_else(|| l.no_unit.to_string()))}
                        {p.credit_code.clone().map(|c| format!(" · {c}"))}
                    </p>
                    <p><a href=format!("?project={}#project-form", p.id) rel="external">{l.edit_project}</a></p>
                    {is_owner.then(|| {
                        let select_id = format!("move-{}", p.id);
                        let choices = units.iter().map(|(id, zh, en)| {
                            view! { <option value=*id selected=p.unit_id == Some(*id)>{lang.pick(zh, en).to_string()}</option> }
                        }).collect_view();
                        view! {
                            <ActionForm action=move_project attr:class="inline-form">
                                <input type="hidden" name="project_id" value=p.id/>
                                <label for=select_id.clone()>{l.credit_to}</label>
                                <select id=select_id name="unit_id" required>{choices}</select>
                                <button type="submit">{l.credit_to}</button>
                            </ActionForm>
                        }
                    })}
                    <p class="funds">{format!("{}: {}", l.funds_in_place, format_amount_cny(lang, p.funds_in_place))}</p>
                    <ul class="tranches">
                        {p.tranches.clone().into_iter().map(|t| view! { <TrancheItem tranche=t verify=verify/> }).collect_view()}
                    </ul>
                    <ActionForm action=tranche attr:class="inline-form">
                        <input type="hidden" name="project_id" value=p.id/>
                        <label>{l.tranche_amount}<input type="text" name="amount" inputmode="decimal" required/></label>
                        <label>{l.received_on}<input type="date" name="received_on" required/></label>
                        <button type="submit">{l.add_tranche}</button>
                    </ActionForm>
                </article>
            }).collect_view()}
            {move || refusal(tranche.value().get(), &["amount", "received_on"])}
            {move || refusal(verify.value().get(), &["tranche_id"])}
            <ProjectFormPanel lead_id=detail.id project=project edited=edited units=units.clone()/>
        </section>
    }
}

/// A project's steps after signing, and what of them is late.
#[component]
fn ProjectProgress(project: ProjectView) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let life = project.life;
    let steps = [
        (l.registered_on, life.registered_on),
        (l.started_on, life.started_on),
        (l.producing_on, life.producing_on),
        (l.planned_start_on, life.planned_start_on.filter(|_| life.started_on.is_none())),
        (l.planned_production_on, life.planned_production_on.filter(|_| life.producing_on.is_none())),
    ];
    let known: Vec<String> = steps.iter().filter_map(|(label, d)| d.map(|d| format!("{label} {d}"))).collect();
    (!known.is_empty() || !project.overdue.is_empty()).then(|| {
        view! {
            <p class="progress">
                {known.join(" · ")}
                {project.overdue.iter().map(|o| {
                    let class = match o.lateness {
                        crate::domain::Lateness::Yellow => "badge overdue-yellow",
                        crate::domain::Lateness::Red => "badge overdue-red",
                    };
                    let text = format!(
                        "{}: {} · {}",
                        o.lateness.label(lang),
                        o.milestone.label(lang),
                        l.days_late.replace("{}", &o.days.to_string())
                    );
                    view! { " " <span class=class>{text}</span> }
                }).collect_view()}
            </p>
        }
    })
}

/// One tranche of funds: when, how much, who entered and who verified it, its proof.
#[component]
fn TrancheItem(tranche: super::Tranche, verify: ServerAction<VerifyTranche>) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let t = tranche;
    let file_id = format!("proof-{}", t.id);
    view! {
        <li class="tranche">
            {format!("{} · {}", t.received_on, format_amount_cny(lang, t.amount))}
            {t.entered_by.clone().map(|name| format!(" · {} {name}", l.entered_by))}
            " · "
            {match t.verified.clone() {
                Some((name, at)) => view! {
                    <span class="badge verified">{format!("{} {name} {}", l.verified_by, when(lang, at))}</span>
                }.into_any(),
                None => view! {
                    <span class="badge unverified">{l.unverified}</span>" "
                    <ActionForm action=verify attr:class="inline-form">
                        <input type="hidden" name="tranche_id" value=t.id/>
                        <button type="submit">{l.verify}</button>
                    </ActionForm>
                }.into_any(),
            }}
            {t.proof.map(|(kind, size)| view! {
                " · "<a href=format!("/admin/tranches/{}/proof", t.id)>
                    {format!("{} ({}, {} KB)", l.proof, kind.as_str().to_uppercase(), (size + 1023) / 1024)}
                </a>
            })}
            // A plain form: the file goes as multipart, with or without the WASM.
            {t.verified.is_none().then(|| view! {
                <form class="inline-form" method="post" enctype="multipart/form-data" action=format!("/admin/tranches/{}/proof", t.id)>
                    <label for=file_id.clone()>{l.attach_proof}</label>
                    <input id=file_id type="file" name="proof" accept="application/pdf,image/jpeg,image/png" required/>
                    <button type="submit">{l.upload}</button>
                </form>
            })}
        </li>
    }
}

/// Adds a project, or changes the one `edited` (its steps after signing too).
#[component]
fn ProjectFormPanel(
    lead_id: i32,
    project: ServerAction<SaveProject>,
    edited: Option<ProjectView>,
    units: Vec<(i32, String, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let (_, on_change) = use_form(project, |a: &SaveProject| a.form.parse().err().unwrap_or_default());
    let own_unit = crate::components::use_member().and_then(|m| m.unit_id);
    let form = edited.as_ref().map(ProjectForm::of).unwrap_or_default();
    let fixed_unit = edited.as_ref().and_then(|p| p.unit_id);
    let chosen_unit = fixed_unit.or(own_unit);
    let is_edit = edited.is_some();
    let title = if is_edit { l.edit_project } else { l.add_project };
    let submit = if edited.is_some() { l.save_project } else { l.add_project };
    let form_view = move || {
        view! {
                <div on:input=on_change on:change=on_change>
                    <ActionForm action=project attr:class="lead-form" attr:novalidate=true>
                        <FormSummary/>
                        <input type="hidden" name="lead_id" value=lead_id/>
                        {edited.map(|p| view! { <input type="hidden" name="project_id" value=p.id/> })}
                        // Not a TextField: the lead's own form on this page has the `f-name` input.
                        <div class="field">
                            <label class="label" for="p-name">{l.project_name}</label>
                            <input id="p-name" type="text" name="form[name]" value=form.name.clone() required maxlength="200" aria-describedby="e-name"/>
                            <FieldMessage field="name"/>
                        </div>
                        <div class="field">
                            <label class="label" for="f-industry_chain">{l.chain}</label>
                            <select id="f-industry_chain" name="form[industry_chain]">
                                <option value="">"–"</option>
                                {IndustryChain::ALL.iter().map(|c| view! {
                                    <option value=c.slug() selected=form.industry_chain == c.slug()>{c.label(lang)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <TextField label=l.location name="location" value=form.location.clone() maxlength=200/>
                        <TextField label=l.planned name="planned_investment" value=form.planned_investment.clone()/>
                        <TextField label=l.signed_on name="signed_on" value=form.signed_on.clone() input_type="date"/>
                        <div class="field">
                            <label class="label" for="f-unit_id">{l.unit}</label>
                            // Once credited, a project moves only by an owner's "credit to".
                            <select id="f-unit_id" name="form[unit_id]" disabled=fixed_unit.is_some()>
                                <option value="">{l.no_unit}</option>
                                {units.iter().map(|(id, zh, en)| view! {
                                    <option value=*id selected=chosen_unit == Some(*id)>{lang.pick(zh, en).to_string()}</option>
                                }).collect_view()}
                            </select>
                            <FieldMessage field="unit_id"/>
                        </div>
                        <TextField label=l.credit_code name="credit_code" value=form.credit_code.clone() maxlength=22/>
                        <fieldset class="progress-fields">
                            <legend>{l.progress}</legend>
                            <TextField label=l.registered_on name="registered_on" value=form.registered_on.clone() input_type="date"/>
                            <TextField label=l.planned_start_on name="planned_start_on" value=form.planned_start_on.clone() input_type="date"/>
                            <TextField label=l.started_on name="started_on" value=form.started_on.clone() input_type="date"/>
                            <TextField label=l.planned_production_on name="planned_production_on" value=form.planned_production_on.clone() input_type="date"/>
                            <TextField label=l.producing_on name="producing_on" value=form.producing_on.clone() input_type="date"/>
                        </fieldset>
                        <button type="submit" class="primary">{submit}</button>
                        {is_edit.then(|| view! { " " <a href="?" rel="external">{l.cancel_edit}</a> })}
                    </ActionForm>
                </div>
        }
    };
    view! {
        {if is_edit {
            // Changing a project: the form shown open, as its own section.
            view! { <section class="edit-project" id="project-form"><h3>{title}</h3>{form_view()}</section> }.into_any()
        } else {
            // Adding one: folded until opened, and left as the reader leaves it (a refetch
            // of the page keeps it open: no `open` attribute to reset).
            view! { <details class="add-project" id="project-form"><summary>{title}</summary>{form_view()}</details> }.into_any()
        }}
    }
}
