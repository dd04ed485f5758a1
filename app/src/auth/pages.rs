//! Sign-in, first-administrator setup and the members page.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::DEMO_ORGANIZATION;
use super::*;
use crate::components::use_member;
use crate::forms::{FormSummary, TextField, url_values, use_form};
use crate::i18n::{use_lang, use_texts};

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<Login>::new();
    let (_, on_change) = use_form(action, |a: &Login| a.form.validate());
    let setup = crate::web::resource(|| (), |_| needs_setup());
    let echoed = url_values::<Login, LoginForm>().unwrap_or_default();
    view! {
        <PageTitle text=format!("{} · {}", t.sign_in, t.app_name)/>
        <h1>{t.sign_in}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                setup.await.unwrap_or(false).then(|| view! { <p class="notice"><a href="/setup">{t.setup_title}</a></p> })
            })}
        </Suspense>
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="narrow" attr:novalidate=true>
                <FormSummary/>
                <TextField label=t.email name="email" value=echoed.email input_type="email" required=true autocomplete="username"/>
                <TextField label=t.password name="password" input_type="password" required=true autocomplete="current-password"/>
                <button type="submit" class="primary">{t.sign_in}</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SetupAdmin>::new();
    let (_, on_change) = use_form(action, |a: &SetupAdmin| a.form.validate_setup());
    let echoed = url_values::<SetupAdmin, AccountForm>();
    let token = use_query_map().with_untracked(|q| q.get("token").unwrap_or_default());
    let setup = crate::web::resource(|| (), |_| needs_setup());
    view! {
        <PageTitle text=format!("{} · {}", t.setup_title, t.app_name)/>
        <crate::html::NoReferrer/>
        <h1>{t.setup_title}</h1>
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                let echoed = echoed.clone().unwrap_or_else(|| AccountForm {
                    token,
                    organization: DEMO_ORGANIZATION.into(),
                    ..Default::default()
                });
                Suspend::new(async move {
                    if !setup.await.unwrap_or(false) {
                        return view! { <p class="notice">{t.setup_done}" "<a href="/login">{t.sign_in}</a></p> }.into_any();
                    }
                    view! {
                        <p>{t.setup_intro}</p>
                        <div on:input=on_change on:change=on_change>
                            <ActionForm action attr:class="narrow" attr:novalidate=true>
                                <FormSummary/>
                                <TextField label=t.setup_token name="token" value=echoed.token required=true autocomplete="off"/>
                                <TextField label=t.organization name="organization" value=echoed.organization required=true autocomplete="organization"/>
                                <TextField label=t.name name="name" value=echoed.name required=true autocomplete="name"/>
                                <TextField label=t.email name="email" value=echoed.email input_type="email" required=true autocomplete="email"/>
                                <TextField label=t.password name="password" input_type="password" required=true autocomplete="new-password"/>
                                <button type="submit" class="primary">{t.create_account}</button>
                            </ActionForm>
                        </div>
                    }.into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    // Owners add members below; the list is read again after each one.
    let add = ServerAction::<AddMember>::new();
    let members = crate::web::resource(move || add.version().get(), |_| list_members());
    let is_owner = use_member().is_some_and(|m| m.role == Role::Owner);
    view! {
        <PageTitle text=format!("{} · {}", t.members, t.app_name)/>
        <h1>{t.members}</h1>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match members.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <table>
                            <thead><tr><th>{t.name}</th><th>{t.email}</th><th>{t.role}</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|m| view! {
                                    <tr><td>{m.name}</td><td>{m.email}</td><td>{m.role.label(t)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Suspense>
        {is_owner.then(|| view! { <AddMemberForm action=add/> })}
    }
}

#[component]
fn AddMemberForm(action: ServerAction<AddMember>) -> impl IntoView {
    let t = use_texts();
    let (_, on_change) = use_form(action, |a: &AddMember| a.form.validate_member());
    let echoed = url_values::<AddMember, AccountForm>().unwrap_or_default();
    view! {
        <h2>{t.add_member}</h2>
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="narrow" attr:novalidate=true>
                <FormSummary/>
                <TextField label=t.name name="name" value=echoed.name required=true/>
                <TextField label=t.email name="email" value=echoed.email input_type="email" required=true autocomplete="username"/>
                <TextField label=t.password name="password" input_type="password" required=true autocomplete="current-password"/>
                <div class="field">
                    <label class="label" for="f-role">{t.role}</label>
                    <select id="f-role" name="form[role]">
                        <option value="organizer">{t.role_organizer}</option>
                        <option value="viewer">{t.role_viewer}</option>
                        <option value="leader">{t.role_leader}</option>
                        <option value="owner">{t.role_owner}</option>
                    </select>
                    <crate::forms::FieldMessage field="role"/>
                </div>
                <button type="submit" class="primary">{t.add_member}</button>
            </ActionForm>
        </div>
    }
}
