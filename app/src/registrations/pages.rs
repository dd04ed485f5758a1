//! The registration form on an event's public page: seats left or "waitlist open"
//! before submitting, and the outcome after.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{Register, RegistrationForm};
use crate::events::IndustryChain;
use crate::forms::{FieldMessage, FormSummary, TextField, url_values, use_form};
use crate::i18n::{Lang, seats_left as seats_left_text, use_lang, use_texts};

#[component]
pub fn RegistrationSection(slug: String, open: bool, seats_left: i64) -> impl IntoView {
    let t = use_texts();
    let outcome = use_query_map().with_untracked(|q| q.get("registered"));
    let banner = outcome.map(|status| {
        let (class, text) = match status.as_str() {
            "waitlisted" => ("banner", t.registered_waitlisted),
            _ => ("saved", t.registered_confirmed),
        };
        view! { <p class=class role="status">{text}</p> }
    });
    view! {
        <section class="register" id="register">
            <h2>{t.register_title}</h2>
            {banner}
            {if open {
                view! {
                    {if seats_left > 0 {
                        view! { <p class="seats">{seats_left_text(use_lang(), seats_left)}</p> }.into_any()
                    } else {
                        view! { <p class="banner seats">{t.waitlist_open}</p> }.into_any()
                    }}
                    <RegisterForm slug/>
                }
                    .into_any()
            } else {
                view! { <p class="notice">{t.registration_closed}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn RegisterForm(slug: String) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let action = ServerAction::<Register>::new();
    let (_, on_change) = use_form(action, |a: &Register| a.form.validate());
    let echoed = url_values::<Register, RegistrationForm>().unwrap_or_default();
    let language = if echoed.language.is_empty() { lang.code().to_string() } else { echoed.language.clone() };
    let chains = echoed.industry_chains.clone();
    view! {
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="register-form" attr:novalidate=true>
                <FormSummary/>
                <input type="hidden" name="slug" value=slug/>
                <TextField label=t.name name="name" value=echoed.name.clone() required=true maxlength=200/>
                <TextField label=t.email name="email" value=echoed.email.clone() input_type="email" required=true/>
                <TextField label=t.phone name="phone" value=echoed.phone.clone() input_type="tel"/>
                <TextField label=t.company name="company" value=echoed.company.clone() maxlength=200/>
                <TextField label=t.job_title name="job_title" value=echoed.job_title.clone() maxlength=200/>
                <TextField label=t.country_optional name="country" value=echoed.country.clone() maxlength=2/>
                <fieldset class="chains">
                    <legend>{t.interests}</legend>
                    {IndustryChain::ALL
                        .into_iter()
                        .map(|c| {
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        name=format!("form[industry_chains][{}]", c.slug())
                                        checked=chains.contains_key(c.slug())
                                    />
                                    {c.label(lang)}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="field">
                    <label class="label" for="f-language">{t.email_language}</label>
                    <select id="f-language" name="form[language]">
                        <option value="zh" selected=language == Lang::Zh.code()>"中文"</option>
                        <option value="en" selected=language == Lang::En.code()>"English"</option>
                    </select>
                </div>
                <label class="check consent">
                    <input type="checkbox" name="form[consent_data]" checked=echoed.consent_data == "on"/>
                    {t.consent_data_text}
                </label>
                <FieldMessage field="consent_data"/>
                <label class="check consent">
                    <input type="checkbox" name="form[consent_marketing]" checked=echoed.consent_marketing == "on"/>
                    {t.consent_marketing_text}
                </label>
                <FieldMessage field="event"/>
                <button type="submit" class="primary">{t.register_button}</button>
            </ActionForm>
        </div>
    }
}
