//! The frames around pages: the public header with the language switch, the
//! organizer's navigation (which requires a session), and the not-found page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_router::{
    components::{A, Outlet, Redirect},
    hooks::use_location,
};

use crate::auth::{Logout, Member, SwitchOrganization, current_member};
use crate::i18n::{use_lang, use_texts};

/// A link that switches the language and comes back to the same page; a plain link,
/// so it works before the WASM loads and sets the remembered choice on the server.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let location = use_location();
    let href = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let next = if search.is_empty() { path } else { format!("{path}?{search}") };
        format!("/lang/{}?next={}", lang.other().code(), crate::web::url_encode(&next))
    };
    view! {
        <a class="lang-switch" href=href rel="external" hreflang=lang.other().code()>
            {t.switch_lang}
        </a>
    }
}

#[component]
pub fn PublicLayout() -> impl IntoView {
    let t = use_texts();
    view! {
        <header class="top">
            <a class="brand" href="/">{t.app_name}</a>
            <nav>
                <LangSwitch/>
            </nav>
        </header>
        <main class="page">
            <Outlet/>
        </main>
    }
}

#[component]
pub fn AdminLayout() -> impl IntoView {
    let member = crate::web::resource(|| (), |_| current_member());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match member.await {
                    Ok(Some(member)) => view! { <AdminFrame member/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.message(use_lang())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminFrame(member: Member) -> impl IntoView {
    let t = use_texts();
    let logout = ServerAction::<Logout>::new();
    let switch = ServerAction::<SwitchOrganization>::new();
    let read_only = !member.role.can_write();
    let current_org = member.organization_id;
    let organizations = member.organizations.clone();
    let name = member.name.clone();
    let org = member.organization_name.clone();
    let role = member.role.label(t);
    let is_owner = member.role == crate::auth::Role::Owner;
    provide_context(member);
    view! {
        <header class="top admin">
            <a class="brand" href="/admin">{t.app_name}</a>
            <nav>
                <A href="/admin/dashboard">{crate::dashboard::texts::dashboard_texts(use_lang()).dashboard}</A>
                <A href="/admin">{t.events}</A>
                <A href="/admin/roadshows">{t.roadshows}</A>
                <A href="/admin/leads">{t.leads}</A>
                <A href="/admin/follow-ups">{t.follow_ups}</A>
                <A href="/admin/campaigns">{t.campaigns}</A>
                <A href="/admin/outbox">{t.outbox}</A>
                <A href="/admin/units">{crate::units::pages::unit_texts(use_lang()).units}</A>
                <A href="/admin/targets">{crate::targets::pages::target_texts(use_lang()).targets}</A>
                <A href="/admin/trips">{crate::trips::pages::trip_texts(use_lang()).trips}</A>
                <A href="/admin/members">{t.members}</A>
                {is_owner.then(|| view! { <A href="/admin/api-tokens">{crate::api_tokens::pages::token_texts(use_lang()).title}</A> })}
                <LangSwitch/>
                <span class="who" title=t.signed_in_as>{name}" · "{org}" · "{role}</span>
                {(organizations.len() > 1).then(|| view! {
                    <ActionForm action=switch attr:class="inline switch-org">
                        <select name="organization_id" aria-label=t.organization>
                            {organizations.into_iter().map(|(id, name)| view! {
                                <option value=id.to_string() selected=id == current_org>{name}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit">{t.switch_organization}</button>
                    </ActionForm>
                })}
                // Signing out removes the doors this phone holds for offline use (asked
                // first when actions taken at the door have not been uploaded).
                <form action=Logout::PATH method="post" class="inline" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    use crate::door::browser::{confirm_losing, forget_all, waiting_everywhere};
                    if confirm_losing(waiting_everywhere()) {
                        forget_all();
                        logout.dispatch(Logout {});
                    }
                }>
                    <button type="submit" class="link">{t.sign_out}</button>
                </form>
            </nav>
        </header>
        {read_only.then(|| view! { <p class="notice">{t.read_only_notice}</p> })}
        <main class="page wide">
            <Outlet/>
        </main>
    }
}
