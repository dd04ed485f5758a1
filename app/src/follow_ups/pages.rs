//! Organizer pages of follow-ups (templates with a preview for a real lead, rules with
//! their pause and log) and the public unsubscribe page.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    MergeField, PauseRule, PreviewTemplate, SaveRule, SaveTemplate, SendRow, TemplateForm, Trigger, list_follow_ups,
    rule_log,
};
use crate::forms::{FormSummary, TextArea, TextField, use_form};
use crate::i18n::{format_date, format_number, format_time, texts_of, use_lang};
use crate::leads::Stage;

texts_of! {
    struct FollowUpTexts, fn texts;
    title: "跟进邮件", "Follow-up emails";
    templates: "邮件模板", "Templates";
    no_templates: "还没有模板。", "No template yet.";
    new_template: "新建模板", "New template";
    edit: "编辑", "Edit";
    name: "模板名称", "Template name";
    subject_zh: "中文主题", "Subject (Chinese)";
    body_zh: "中文正文（Markdown）", "Body in Chinese (Markdown)";
    subject_en: "英文主题", "Subject (English)";
    body_en: "英文正文（Markdown）", "Body in English (Markdown)";
    fields_hint: "可用的合并字段：", "Merge fields you can use:";
    save: "保存模板", "Save template";
    saved: "已保存", "Saved";
    preview: "预览", "Preview";
    preview_for: "以此线索预览", "Preview for lead";
    to: "收件人", "To";
    rules: "自动跟进规则", "Automatic follow-ups";
    no_rules: "还没有规则。", "No rule yet.";
    new_rule: "新建规则", "New rule";
    event: "活动", "Event";
    roadshow: "或整个路演", "Or a whole roadshow";
    none: "—", "—";
    template: "模板", "Template";
    trigger: "时机", "When";
    offset: "提前或延后（小时）", "Hours before or after";
    stage: "阶段", "Stage";
    stage_hint: "“仍在某阶段”必填；其他规则可选：线索超过此阶段后不再发送。", "Required for a stage follow-up; for others optional: leads past this stage are not mailed.";
    any_stage: "任何阶段", "Any stage";
    add_rule: "添加规则", "Add rule";
    sent: "已发送", "Sent";
    skipped: "已跳过", "Skipped";
    paused: "已暂停", "Paused";
    active: "运行中", "Running";
    pause: "暂停", "Pause";
    resume: "恢复", "Resume";
    log: "发送记录", "Log";
    hours: "小时", "h";
    address: "地址", "Address";
    outcome: "结果", "Outcome";
    status: "投递状态", "Delivery";
    at: "时间", "When";
    nobody_yet: "还没有发给任何人。", "Nobody mailed yet.";
    back: "返回跟进邮件", "Back to follow-ups";
    unsubscribe_title: "退订推广邮件", "Unsubscribe from marketing email";
    unsubscribe_text: "不再向此地址发送我们的推广和跟进邮件。报名确认、变更等与您报名有关的邮件仍会发送。", "We will send no more marketing or follow-up email to this address. Emails about your registrations (confirmations, changes) still reach you.";
    unsubscribe_button: "退订", "Unsubscribe";
}

/// `/admin/follow-ups`: templates (`?template=ID` or `?template=new` opens the editor)
/// and rules.
#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    let query = use_query_map();
    let save_template = ServerAction::<SaveTemplate>::new();
    let save_rule = ServerAction::<SaveRule>::new();
    let pause = ServerAction::<PauseRule>::new();
    let versions = move || save_template.version().get() + save_rule.version().get() + pause.version().get();
    let data = crate::web::resource(versions, |_| list_follow_ups());
    let editing = move || query.read().get("template");
    view! {
        <PageTitle text=t.title/>
        <h1>{t.title}</h1>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(data) => {
                        let open = editing();
                        let editor = open.map(|key| {
                            let found = key.parse::<i32>().ok().and_then(|id| data.templates.iter().find(|t| t.id == id).cloned());
                            let (id, form) = found.map(|t| (Some(t.id), t.form)).unwrap_or_default();
                            view! { <TemplateEditor id=id form=form leads=data.leads.clone() action=save_template/> }
                        });
                        let templates = data.templates.clone();
                        view! {
                            <section class="panel">
                                <div class="toolbar">
                                    <h2>{t.templates}</h2>
                                    <a href="?template=new">{t.new_template}</a>
                                </div>
                                {if templates.is_empty() {
                                    view! { <p class="empty">{t.no_templates}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="template-list">
                                            {templates.into_iter().map(|tpl| view! {
                                                <li><a href=format!("?template={}", tpl.id)>{tpl.name}</a></li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            {editor}
                            <RulesSection data=data save=save_rule pause=pause/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn TemplateEditor(
    id: Option<i32>,
    form: TemplateForm,
    leads: Vec<(i32, String, String)>,
    action: ServerAction<SaveTemplate>,
) -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    let (_, on_change) = use_form(action, |a: &SaveTemplate| a.form.parse().err().unwrap_or_default());
    let preview = ServerAction::<PreviewTemplate>::new();
    let lead_id = RwSignal::new(None::<i32>);
    let on_preview = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;
            use wasm_bindgen::JsCast;
            let form = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
            if let (Some(form), Some(lead_id)) = (form, lead_id.get_untracked())
                && let Ok(data) = web_sys::FormData::new_with_form(&form)
                && let Ok(input) = SaveTemplate::from_form_data(&data)
            {
                preview.dispatch(PreviewTemplate { lead_id, form: input.form });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let saved = move || {
        matches!(action.value().get(), Some(Ok(_))).then(|| view! { <p class="saved" role="status">{t.saved}</p> })
    };
    let fields = MergeField::ALL
        .into_iter()
        .map(|f| view! { <li><code>{format!("{{{{{}}}}}", f.name())}</code>" "{f.label(lang)}</li> })
        .collect_view();
    view! {
        <section class="panel template-editor">
            <h2>{if id.is_some() { t.edit } else { t.new_template }}</h2>
            <div on:input=on_change on:change=on_change>
                <ActionForm action=action attr:class="template-form" attr:novalidate=true>
                    <FormSummary/>
                    {saved}
                    {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
                    <TextField label=t.name name="name" value=form.name.clone() required=true maxlength=200/>
                    <div class="two-languages">
                        <div>
                            <TextField label=t.subject_zh name="subject_zh" value=form.subject_zh.clone() required=true maxlength=200/>
                            <TextArea label=t.body_zh name="body_zh" value=form.body_zh.clone() rows=12/>
                        </div>
                        <div>
                            <TextField label=t.subject_en name="subject_en" value=form.subject_en.clone() required=true maxlength=200/>
                            <TextArea label=t.body_en name="body_en" value=form.body_en.clone() rows=12/>
                        </div>
                    </div>
                    <details class="hint"><summary>{t.fields_hint}</summary><ul class="merge-fields">{fields}</ul></details>
                    <div class="actions">
                        <button type="submit" class="primary">{t.save}</button>
                        <label>{t.preview_for}
                            <select id="preview-lead" on:change=move |ev| lead_id.set(event_target_value(&ev).parse().ok())>
                                <option value="">{t.none}</option>
                                {leads.into_iter().map(|(id, name, email)| view! {
                                    <option value=id>{format!("{name} · {email}")}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="button" id="preview-button" on:click=on_preview disabled=move || lead_id.get().is_none()>{t.preview}</button>
                    </div>
                </ActionForm>
            </div>
            {move || preview.value().get().map(|result| match result {
                Err(e) => view! { <p class="form-error" role="alert">{e.message(lang)}</p> }.into_any(),
                Ok(p) => view! {
                    <div class="mail-preview">
                        <p><strong>{t.to}": "</strong>{p.to.clone()}" · "{p.language.code()}</p>
                        <p class="preview-subject"><strong>{p.subject.clone()}</strong></p>
                        <iframe class="preview-html" sandbox="" title=t.preview srcdoc=p.html.clone()></iframe>
                        <pre class="preview-text">{p.text.clone()}</pre>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn RulesSection(data: super::FollowUps, save: ServerAction<SaveRule>, pause: ServerAction<PauseRule>) -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    let (_, on_change) = use_form(save, |a: &SaveRule| a.form.parse().err().unwrap_or_default());
    let rules = data.rules.clone();
    view! {
        <section class="panel">
            <h2>{t.rules}</h2>
            {if rules.is_empty() {
                view! { <p class="empty">{t.no_rules}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                    <table class="events rules">
                        <thead><tr>
                            <th>{t.event}</th><th>{t.trigger}</th><th>{t.template}</th><th>{t.stage}</th>
                            <th>{t.sent}</th><th>{t.skipped}</th><th></th><th></th>
                        </tr></thead>
                        <tbody>
                            {rules.into_iter().map(|r| {
                                let target = r.event.as_ref().map(|(_, zh, en)| lang.pick(zh, en).to_string())
                                    .or_else(|| r.roadshow.as_ref().map(|(_, name)| name.clone()))
                                    .unwrap_or_default();
                                let when = if r.trigger == Trigger::Promoted {
                                    r.trigger.label(lang).to_string()
                                } else {
                                    format!("{} · {} {}", r.trigger.label(lang), r.offset_hours, t.hours)
                                };
                                view! {
                                    <tr class:paused=r.paused>
                                        <td>{target}</td>
                                        <td>{when}</td>
                                        <td>{r.template.1.clone()}</td>
                                        <td>{r.stage.map(|s| s.label(lang)).unwrap_or(t.any_stage)}</td>
                                        <td>{format_number(r.sent as i64)}</td>
                                        <td>{format_number(r.skipped as i64)}</td>
                                        <td>
                                            <ActionForm action=pause attr:class="inline-form">
                                                <input type="hidden" name="id" value=r.id/>
                                                <input type="hidden" name="paused" value=(!r.paused).to_string()/>
                                                <span class="badge">{if r.paused { t.paused } else { t.active }}</span>
                                                <button type="submit">{if r.paused { t.resume } else { t.pause }}</button>
                                            </ActionForm>
                                        </td>
                                        <td><a href=format!("/admin/follow-ups/rules/{}", r.id)>{t.log}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
            <details class="new-rule">
                <summary>{t.new_rule}</summary>
                <div on:input=on_change on:change=on_change>
                    <ActionForm action=save attr:class="rule-form" attr:novalidate=true>
                        <FormSummary/>
                        <label>{t.event}
                            <select name="form[event_id]">
                                <option value="">{t.none}</option>
                                {data.events.iter().map(|(id, zh, en)| view! { <option value=*id>{lang.pick(zh, en).to_string()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>{t.roadshow}
                            <select name="form[roadshow_id]">
                                <option value="">{t.none}</option>
                                {data.roadshows.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <crate::forms::FieldMessage field="event_id"/>
                        <label>{t.template}
                            <select name="form[template_id]">
                                {data.templates.iter().map(|tpl| view! { <option value=tpl.id>{tpl.name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>{t.trigger}
                            <select name="form[trigger]">
                                {Trigger::ALL.iter().map(|tr| view! { <option value=tr.as_str()>{tr.label(lang)}</option> }).collect_view()}
                            </select>
                        </label>
                        <TextField label=t.offset name="offset_hours" value="24" input_type="number"/>
                        <label>{t.stage}
                            <select name="form[stage]" aria-describedby="h-stage">
                                <option value="">{t.any_stage}</option>
                                {Stage::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label(lang)}</option> }).collect_view()}
                            </select>
                        </label>
                        <small class="hint" id="h-stage">{t.stage_hint}</small>
                        <crate::forms::FieldMessage field="stage"/>
                        <button type="submit" class="primary">{t.add_rule}</button>
                    </ActionForm>
                </div>
            </details>
        </section>
    }
}

/// `/admin/follow-ups/rules/:id`: who a rule mailed, or skipped and why.
#[component]
pub fn RuleLogPage() -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let log = crate::web::resource(id, rule_log);
    view! {
        <PageTitle text=t.log/>
        <h1>{t.log}</h1>
        <p><a href="/admin/follow-ups">{t.back}</a></p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="empty">{t.nobody_yet}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-scroll">
                        <table class="events rule-log">
                            <thead><tr><th>{t.address}</th><th>{t.event}</th><th>{t.outcome}</th><th>{t.status}</th><th>{t.at}</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r: SendRow| view! {
                                    <tr>
                                        <td><AddressOfLead address=r.address.clone() lead_id=r.lead_id/></td>
                                        <td>{r.event.as_ref().map(|(zh, en)| lang.pick(zh, en).to_string()).unwrap_or_default()}</td>
                                        <td>{r.outcome.label(lang)}</td>
                                        <td>{r.status.map(|s| s.label(crate::i18n::texts(lang)))}</td>
                                        <td>{format!("{} {}", format_date(lang, r.at.naive_utc()), format_time(r.at.naive_utc()))}" UTC"</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A recipient's address, linked to their lead when there is one (a rule's log, a
/// campaign's messages).
#[component]
pub fn AddressOfLead(address: String, lead_id: Option<i32>) -> impl IntoView {
    match lead_id {
        Some(id) => view! { <a href=format!("/admin/leads/{id}")>{address}</a> }.into_any(),
        None => address.into_any(),
    }
}

/// `/unsubscribe/:token`: what the visible link in a marketing email opens. Showing it
/// changes nothing; its button posts the same one-click request mail providers send.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    let params = use_params_map();
    let action = move || format!("/unsubscribe/{}", params.read().get("token").unwrap_or_default());
    view! {
        <PageTitle text=t.unsubscribe_title/>
        <crate::html::NoReferrer/>
        <section class="narrow">
            <h1>{t.unsubscribe_title}</h1>
            <p>{t.unsubscribe_text}</p>
            <form method="post" action=action>
                <input type="hidden" name="List-Unsubscribe" value="One-Click"/>
                <button type="submit" class="primary">{t.unsubscribe_button}</button>
            </form>
        </section>
    }
}
