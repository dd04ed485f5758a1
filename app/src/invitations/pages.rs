//! The organizer's invitations page of an event: paste or upload invitees, see who
//! registered.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{Invite, InviteForm, list_invitations};
use crate::forms::{FieldMessage, FormSummary, url_values, use_form};
use crate::i18n::{format_number, use_lang, use_texts};

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let event_id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let invite = ServerAction::<Invite>::new();
    let (_, on_change) = use_form(invite, |a: &Invite| a.form.validate());
    let sent = invite.version();
    let list = crate::web::resource(move || (event_id(), sent.get()), |(id, _)| list_invitations(id));
    let echoed = url_values::<Invite, InviteForm>().unwrap_or_default();
    let outcome = move || {
        invite.value().get().and_then(|r| r.ok()).map(|o| {
            view! {
                <p class="saved" role="status">
                    {format!("{} {}", t.invited_count, format_number(o.invited as i64))}
                    {(o.already > 0).then(|| format!(" · {} {}", format_number(o.already as i64), t.already_invited))}
                </p>
            }
        })
    };
    view! {
        <PageTitle text=format!("{} · {}", t.invitations, t.app_name)/>
        <p><a href=move || format!("/admin/events/{}", event_id())>{format!("← {}", t.events)}</a></p>
        <h1>{t.invitations}</h1>
        <p class="hint">{t.invitations_hint}</p>
        {outcome}
        <div on:input=on_change on:change=on_change>
            <ActionForm action=invite attr:class="invite-form" attr:novalidate=true>
                <FormSummary/>
                <input type="hidden" name="event_id" value=event_id/>
                <div class="field">
                    <label class="label" for="f-list">{t.invite_list}</label>
                    <textarea id="f-list" name="form[list]" rows=8 aria-describedby="e-list"
                        placeholder="Wang Fang <wang@example.com>">{crate::html::textarea_text(echoed.list.clone())}</textarea>
                    <FieldMessage field="list"/>
                </div>
                <label class="upload" hidden id="invite-upload">
                    {t.upload_csv}" "<input type="file" accept=".csv,text/csv,text/plain" id="invite-file"/>
                </label>
                <button type="submit" class="primary">{t.send_invitations}</button>
            </ActionForm>
        </div>
        <script type="module" src="/invite.js" nonce=leptos::nonce::use_nonce()></script>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(crate::error::AppError::NotFound) => view! { <crate::components::NotFound/> }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(rows) => {
                        let registered = rows.iter().filter(|r| r.registered).count();
                        view! {
                            <p class="live-counts">{format!("{} {} · {} {}", t.invited_count, rows.len(), t.registered, registered)}</p>
                            <table class="list invitations">
                                <thead><tr><th>{t.name}</th><th>{t.email}</th><th>{t.status}</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.name}</td>
                                            <td>{r.email}</td>
                                            <td>{if r.registered { t.registered } else { t.not_yet }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
