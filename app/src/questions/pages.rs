//! The organizer's page of an event's custom questions, and the questions as they
//! appear on the registration form.

use std::collections::BTreeMap;

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{AddQuestion, DeleteQuestion, Question, QuestionForm, QuestionKind, list_questions};
use crate::forms::{FieldMessage, FormSummary, TextArea, TextField, url_values, use_form};
use crate::i18n::{use_lang, use_texts};

/// The event's questions on the registration form, filled in with `values`
/// (`form[answers][…]` as posted).
#[component]
pub fn QuestionFields(questions: Vec<Question>, values: BTreeMap<String, String>) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    questions
        .into_iter()
        .map(|q| {
            let key = q.key();
            let label = format!("{}{}", lang.pick(&q.label_zh, &q.label_en), if q.required { " *" } else { "" });
            let name = format!("form[answers][{key}]");
            let id = format!("f-{key}");
            let value = values.get(&key).cloned().unwrap_or_default();
            let input = match q.kind {
                QuestionKind::ShortText => view! {
                    <label class="label" for=id.clone()>{label}</label>
                    <input id=id type="text" name=name value=value maxlength=500 aria-describedby=format!("e-{key}")/>
                }
                .into_any(),
                QuestionKind::LongText => view! {
                    <label class="label" for=id.clone()>{label}</label>
                    <textarea id=id name=name rows=4 aria-describedby=format!("e-{key}")>{crate::html::textarea_text(value)}</textarea>
                }
                .into_any(),
                QuestionKind::Checkbox => view! {
                    <label class="check"><input type="checkbox" name=name checked=value == "on"/>{label}</label>
                }
                .into_any(),
                QuestionKind::SingleChoice => view! {
                    <fieldset class="choices">
                        <legend>{label}</legend>
                        {(!q.required).then(|| view! {
                            <label class="check"><input type="radio" name=name.clone() value="" checked=value.is_empty()/>{t.no_answer}</label>
                        })}
                        {q.options.iter().enumerate().map(|(i, o)| view! {
                            <label class="check">
                                <input type="radio" name=name.clone() value=i.to_string() checked=value == i.to_string()/>
                                {o.clone()}
                            </label>
                        }).collect_view()}
                    </fieldset>
                }
                .into_any(),
                QuestionKind::MultipleChoice => view! {
                    <fieldset class="choices">
                        <legend>{label}</legend>
                        {q.options.iter().enumerate().map(|(i, o)| {
                            let checked = values.contains_key(&format!("{key}_{i}"));
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=format!("form[answers][{key}_{i}]") checked=checked/>
                                    {o.clone()}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
                .into_any(),
            };
            view! { <div class="field question">{input}<FieldMessage field=key.clone()/></div> }
        })
        .collect_view()
}

/// The organizer's list of an event's questions, with a form to add one.
#[component]
pub fn QuestionsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let event_id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let add = ServerAction::<AddQuestion>::new();
    let delete = ServerAction::<DeleteQuestion>::new();
    let (_, on_change) = use_form(add, |a: &AddQuestion| a.form.validate());
    let (added, deleted) = (add.version(), delete.version());
    let questions =
        crate::web::resource(move || (event_id(), added.get(), deleted.get()), |(id, _, _)| list_questions(id));
    let echoed = url_values::<AddQuestion, QuestionForm>().unwrap_or_default();
    view! {
        <PageTitle text=format!("{} · {}", t.custom_questions, t.app_name)/>
        <p><a href=move || format!("/admin/events/{}", event_id())>{format!("← {}", t.events)}</a></p>
        <h1>{t.custom_questions}</h1>
        <p class="hint">{t.custom_questions_hint}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match questions.await {
                    Err(crate::error::AppError::NotFound) => view! { <crate::components::NotFound/> }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t.no_questions}</p> }.into_any(),
                    Ok(list) => view! {
                        <ol class="questions">
                            {list.into_iter().map(|q| view! {
                                <li>
                                    <strong>{lang.pick(&q.label_zh, &q.label_en).to_string()}</strong>
                                    " · "{q.kind.label(t)}{q.required.then_some(" · *")}
                                    {(!q.options.is_empty()).then(|| view! { <small>{q.options.join(" / ")}</small> })}
                                    <ActionForm action=delete attr:class="inline">
                                        <input type="hidden" name="id" value=q.id/>
                                        <button type="submit">{t.delete}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ol>
                    }
                    .into_any(),
                }
            })}
        </Transition>
        <h2>{t.add_question}</h2>
        <div on:input=on_change on:change=on_change>
            <ActionForm action=add attr:class="question-form" attr:novalidate=true>
                <FormSummary/>
                <input type="hidden" name="event_id" value=event_id/>
                <div class="field">
                    <label class="label" for="f-kind">{t.question_kind}</label>
                    <select id="f-kind" name="form[kind]">
                        {QuestionKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=echoed.kind == k.as_str()>{k.label(t)}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage field="kind"/>
                </div>
                <TextField label=t.label_zh name="label_zh" value=echoed.label_zh.clone() maxlength=300/>
                <TextField label=t.label_en name="label_en" value=echoed.label_en.clone() maxlength=300/>
                <TextArea label=t.question_options name="options" value=echoed.options.clone() rows=4 hint=t.question_options_hint/>
                <label class="check"><input type="checkbox" name="form[required]" checked=echoed.required == "on"/>{t.required_question}</label>
                <button type="submit" class="primary">{t.add_question}</button>
            </ActionForm>
        </div>
    }
}
