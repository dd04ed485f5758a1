//! The organizer's Outbox: every email the product sent or will send, with its status;
//! one message opens as the guest sees it (text part, HTML part, calendar invitation).

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{OutboxRow, get_outbox_message, list_outbox};
use crate::i18n::{use_lang, use_texts};

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let list = crate::web::resource(status, list_outbox);
    view! {
        <PageTitle text=format!("{} · {}", t.outbox, t.app_name)/>
        <h1>{t.outbox}</h1>
        <p class="hint">{t.outbox_hint}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p class="form-error">{e.message(use_lang())}</p> }.into_any(),
                    Ok(list) => {
                        let current = status();
                        view! {
                            <nav class="filters" aria-label=t.status>
                                <a href="/admin/outbox" aria-current=current.is_empty().then_some("page")>{t.all}</a>
                                {list
                                    .counts
                                    .iter()
                                    .map(|(s, n)| {
                                        let href = format!("/admin/outbox?status={}", s.as_str());
                                        let selected = current == s.as_str();
                                        view! {
                                            <a href=href class=format!("status-{}", s.as_str()) aria-current=selected.then_some("page")>
                                                {format!("{} {}", s.label(t), n)}
                                            </a>
                                        }
                                    })
                                    .collect_view()}
                            </nav>
                            {if list.rows.is_empty() {
                                view! { <p class="notice">{t.outbox_empty}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="list outbox">
                                        <thead><tr><th>{t.status}</th><th>{t.to}</th><th>{t.subject}</th><th>{t.queued_at}</th></tr></thead>
                                        <tbody>{list.rows.into_iter().map(|row| view! { <OutboxLine row/> }).collect_view()}</tbody>
                                    </table>
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn OutboxLine(row: OutboxRow) -> impl IntoView {
    let t = use_texts();
    view! {
        <tr>
            <td><span class=format!("pill status-{}", row.status.as_str())>{row.status.label(t)}</span>
                {(row.attempts > 1).then(|| format!(" ×{}", row.attempts))}</td>
            <td>{row.to_address.clone()}</td>
            <td><a href=format!("/admin/outbox/{}", row.id)>{row.subject.clone()}</a>
                {row.last_error.clone().map(|e| view! { <br/><small class="form-error">{e}</small> })}</td>
            <td>{when(row.created_at)}</td>
        </tr>
    }
}

#[component]
pub fn OutboxMessagePage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or_default();
    let message = crate::web::resource(id, get_outbox_message);
    view! {
        <PageTitle text=format!("{} · {}", t.outbox, t.app_name)/>
        <p><a href="/admin/outbox">{format!("← {}", t.outbox)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match message.await {
                    Err(crate::error::AppError::NotFound) => view! { <crate::components::NotFound/> }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.message(use_lang())}</p> }.into_any(),
                    Ok(m) => view! {
                        <h1>{m.row.subject.clone()}</h1>
                        <dl class="facts">
                            <dt>{t.to}</dt><dd>{format!("{} <{}>", m.to_name, m.row.to_address)}</dd>
                            <dt>{t.status}</dt><dd><span class=format!("pill status-{}", m.row.status.as_str())>{m.row.status.label(t)}</span>
                                {format!(" · {} {}", t.attempts, m.row.attempts)}</dd>
                            <dt>"Message-ID"</dt><dd><code>{m.message_id.clone()}</code></dd>
                            <dt>{t.queued_at}</dt><dd>{when(m.row.created_at)}</dd>
                            {m.row.sent_at.map(|at| view! { <dt>{t.mail_sent}</dt><dd>{when(at)}</dd> })}
                            {m.row.last_error.clone().map(|e| view! { <dt>{t.last_error}</dt><dd class="form-error">{e}</dd> })}
                        </dl>
                        <h2>"HTML"</h2>
                        // Sandboxed without scripts: the guest's own input is escaped, and nothing here may run.
                        <iframe class="mail-html" sandbox="" srcdoc=m.html_body.clone() title=t.subject></iframe>
                        <h2>{t.text_part}</h2>
                        <pre class="mail-text">{m.text_body.clone()}</pre>
                        {m.calendar.clone().map(|ics| view! { <h2>{t.calendar_part}</h2><pre class="mail-text">{ics}</pre> })}
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}
