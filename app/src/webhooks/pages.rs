//! `/admin/webhooks`: an owner's webhook endpoints (add one, turn it on or off, remove it,
//! allow private addresses), and `/admin/webhooks/:id`: an endpoint's deliveries, with
//! redelivery and a test event.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{
    AllowPrivateWebhooks, CreateWebhook, DeleteWebhook, EnableWebhook, EndpointForm, RedeliverWebhook, TestWebhook,
    list_webhooks, webhook_deliveries,
};
use crate::domain::{DeliveryStatus, WebhookEvent};
use crate::forms::{FieldMessage, FormSummary, TextField, url_values, use_form};
use crate::html::PageTitle;
use crate::i18n::{format_date, format_time, texts_of, use_lang, use_texts};

texts_of! {
    pub struct HookTexts, fn hook_texts;
    title: "Webhooks", "Webhooks";
    intro: "变更发生时，Roadshow 向这些网址发送签名的 POST 请求（Standard Webhooks：webhook-id、webhook-timestamp、webhook-signature）。失败会在约一天内重试；一直失败的端点会被停用并通知所有者。", "When something changes, Roadshow POSTs it, signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), to these addresses. Failures are retried for about a day; an endpoint that keeps failing is turned off and its owners emailed.";
    none_yet: "还没有端点。", "No endpoints yet.";
    url: "网址", "URL";
    description: "说明（可选）", "Description (optional)";
    events: "事件", "Events";
    secret: "签名密钥", "Signing secret";
    state: "状态", "State";
    on: "启用", "On";
    off: "已停用", "Off";
    turn_on: "启用", "Turn on";
    turn_off: "停用", "Turn off";
    delete: "删除", "Delete";
    log: "投递记录", "Deliveries";
    add: "添加端点", "Add an endpoint";
    private: "允许内网和本机地址（仅用于本单位自己的网络）", "Allow private and loopback addresses (your own network only)";
    private_on: "当前允许内网地址。", "Private addresses are allowed now.";
    private_off: "当前不允许内网地址。", "Private addresses are refused now.";
    allow: "允许", "Allow";
    refuse: "不允许", "Refuse";
    back: "← 返回 Webhooks", "← Back to webhooks";
    test: "发送测试事件", "Send a test event";
    redeliver: "重新投递", "Redeliver";
    event: "事件", "Event";
    attempts: "次数", "Attempts";
    answer: "响应", "Answer";
    took: "耗时", "Took";
    when: "时间", "When";
    pending: "等待", "Waiting";
    sending: "发送中", "Sending";
    delivered: "已送达", "Delivered";
    failed: "失败", "Failed";
    none_sent: "还没有投递。", "Nothing sent yet.";
    queued: "已加入队列。", "Queued.";
}

fn status_label(status: DeliveryStatus, k: &HookTexts) -> &'static str {
    match status {
        DeliveryStatus::Pending => k.pending,
        DeliveryStatus::Sending => k.sending,
        DeliveryStatus::Delivered => k.delivered,
        DeliveryStatus::Failed => k.failed,
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let k = hook_texts(lang);
    let create = ServerAction::<CreateWebhook>::new();
    let enable = ServerAction::<EnableWebhook>::new();
    let delete = ServerAction::<DeleteWebhook>::new();
    let private = ServerAction::<AllowPrivateWebhooks>::new();
    let hooks = crate::web::resource(
        move || (create.version().get(), enable.version().get(), delete.version().get(), private.version().get()),
        |_| list_webhooks(),
    );
    view! {
        <PageTitle text=format!("{} · {}", k.title, t.app_name)/>
        <h1>{k.title}</h1>
        <p>{k.intro}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match hooks.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(hooks) => view! {
                        {if hooks.endpoints.is_empty() {
                            view! { <p>{k.none_yet}</p> }.into_any()
                        } else {
                            view! {
                                <table>
                                    <thead><tr><th>{k.url}</th><th>{k.events}</th><th>{k.state}</th><th></th></tr></thead>
                                    <tbody>
                                        {hooks.endpoints.into_iter().map(|e| view! {
                                            <tr>
                                                <td>
                                                    <a href=format!("/admin/webhooks/{}", e.id)>{e.url.clone()}</a>
                                                    <br/>{e.description.clone()}
                                                    <details><summary>{k.secret}</summary><code>{e.secret.clone()}</code></details>
                                                </td>
                                                <td>{e.events.iter().map(|ev| ev.label(lang)).collect::<Vec<_>>().join("、")}</td>
                                                <td>{if e.enabled { k.on.to_string() } else { format!("{} ({})", k.off, e.disabled_reason) }}</td>
                                                <td>
                                                    <ActionForm action=enable attr:class="inline">
                                                        <input type="hidden" name="id" value=e.id/>
                                                        <input type="hidden" name="enabled" value=(!e.enabled).to_string()/>
                                                        <button type="submit">{if e.enabled { k.turn_off } else { k.turn_on }}</button>
                                                    </ActionForm>
                                                    <ActionForm action=delete attr:class="inline">
                                                        <input type="hidden" name="id" value=e.id/>
                                                        <button type="submit">{k.delete}</button>
                                                    </ActionForm>
                                                    " "<a href=format!("/admin/webhooks/{}", e.id)>{k.log}</a>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        <p>{if hooks.private_allowed { k.private_on } else { k.private_off }}</p>
                        <ActionForm action=private attr:class="inline">
                            <input type="hidden" name="allowed" value=(!hooks.private_allowed).to_string()/>
                            <button type="submit">{if hooks.private_allowed { k.refuse } else { k.allow }}": "{k.private}</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
        <AddEndpoint action=create texts=k/>
    }
}

#[component]
fn AddEndpoint(action: ServerAction<CreateWebhook>, texts: &'static HookTexts) -> impl IntoView {
    let k = texts;
    let lang = use_lang();
    let (_, on_change) = use_form(action, |_: &CreateWebhook| Default::default());
    let echoed = url_values::<CreateWebhook, EndpointForm>().unwrap_or_default();
    view! {
        <h2>{k.add}</h2>
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="narrow" attr:novalidate=true>
                <FormSummary/>
                <TextField label=k.url name="url" value=echoed.url input_type="url" required=true autocomplete="url"/>
                <TextField label=k.description name="description" value=echoed.description autocomplete="off"/>
                <fieldset>
                    <legend>{k.events}</legend>
                    {WebhookEvent::ALL.into_iter().filter(|e| *e != WebhookEvent::Test).map(|e| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("form[events][{}]", e.as_str())/>
                            " "{e.label(lang)}" "<code>{e.as_str()}</code>
                        </label>
                    }).collect_view()}
                    <FieldMessage field="events"/>
                </fieldset>
                <button type="submit" class="primary">{k.add}</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn WebhookLogPage() -> impl IntoView {
    let lang = use_lang();
    let k = hook_texts(lang);
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let redeliver = ServerAction::<RedeliverWebhook>::new();
    let test = ServerAction::<TestWebhook>::new();
    let log = crate::web::resource(
        move || (id(), redeliver.version().get(), test.version().get()),
        |(id, _, _)| webhook_deliveries(id),
    );
    view! {
        <PageTitle text=k.log/>
        <h1>{k.log}</h1>
        <p><a href="/admin/webhooks">{k.back}</a></p>
        <ActionForm action=test attr:class="inline">
            <input type="hidden" name="id" value=id/>
            <button type="submit">{k.test}</button>
        </ActionForm>
        {move || matches!(test.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">{k.queued}</p> })}
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p>{k.none_sent}</p> }.into_any(),
                    Ok(rows) => view! {
                        <table>
                            <thead><tr>
                                <th>{k.when}</th><th>{k.event}</th><th>{k.state}</th><th>{k.attempts}</th>
                                <th>{k.answer}</th><th>{k.took}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|d| {
                                    let at = d.last_attempt_at.unwrap_or(d.created_at).naive_utc();
                                    view! {
                                        <tr>
                                            <td>{format!("{} {} UTC", format_date(lang, at), format_time(at))}</td>
                                            <td><code>{d.event_type}</code><br/><small>{d.message_id}</small></td>
                                            <td>{status_label(d.status, k)}</td>
                                            <td>{d.attempts}</td>
                                            <td>{d.last_status_code.map(|c| c.to_string()).unwrap_or_default()}" "{d.last_error}</td>
                                            <td>{d.last_duration_ms.map(|ms| format!("{ms} ms")).unwrap_or_default()}</td>
                                            <td>
                                                <ActionForm action=redeliver attr:class="inline">
                                                    <input type="hidden" name="delivery_id" value=d.id/>
                                                    <button type="submit">{k.redeliver}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
