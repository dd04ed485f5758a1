//! `/admin/api-tokens`: an owner's API tokens: create one (shown once), see when each was
//! last used, revoke.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::{ApiTokenForm, CreateApiToken, RevokeApiToken, list_api_tokens};
use crate::domain::ApiScope;
use crate::forms::{FieldMessage, FormSummary, TextField, url_values, use_form};
use crate::html::PageTitle;
use crate::i18n::{format_date, texts_of, use_lang, use_texts};

texts_of! {
    pub struct TokenTexts, fn token_texts;
    title: "API 令牌", "API tokens";
    intro: "令牌让其他系统（门户网站、CRM、OA）通过 REST API 读取或写入本组织的数据。令牌只显示一次，请立即复制。", "A token lets another system (a portal, a CRM, an OA system) read or change this organization's data through the REST API. It is shown once: copy it now.";
    docs: "API 文档", "API documentation";
    none_yet: "还没有令牌。", "No tokens yet.";
    name: "名称", "Name";
    token: "令牌", "Token";
    scope: "权限", "Scope";
    read: "只读", "Read";
    read_write: "读写", "Read and write";
    expires: "有效天数（留空为永久）", "Expires in days (empty: never)";
    expires_at: "到期", "Expires";
    never: "永久", "Never";
    last_used: "最近使用", "Last used";
    not_used: "未使用", "Not yet";
    created_by: "创建人", "Created by";
    revoke: "撤销", "Revoke";
    revoked: "已撤销", "Revoked";
    create: "创建令牌", "Create a token";
    copy_now: "新令牌（只显示这一次）：", "Your new token (shown this once):";
}

fn scope_label(scope: ApiScope, k: &TokenTexts) -> &'static str {
    match scope {
        ApiScope::Read => k.read,
        ApiScope::ReadWrite => k.read_write,
    }
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let k = token_texts(lang);
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = crate::web::resource(move || (create.version().get(), revoke.version().get()), |_| list_api_tokens());
    let when = move |at: Option<chrono::DateTime<chrono::Utc>>, none: &'static str| {
        at.map(|at| format_date(lang, at.naive_utc())).unwrap_or_else(|| none.to_string())
    };
    view! {
        <PageTitle text=format!("{} · {}", k.title, t.app_name)/>
        <h1>{k.title}</h1>
        <p>{k.intro}" "<a href="/api/v1/docs">{k.docs}</a>" · "<a href="/admin/webhooks">"Webhooks"</a></p>
        {move || match create.value().get() {
            Some(Ok(token)) => Some(view! {
                <p class="saved" role="status">{k.copy_now}" "<code id="new-token">{token}</code></p>
            }),
            _ => None,
        }}
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p>{k.none_yet}</p> }.into_any(),
                    Ok(rows) => view! {
                        <table>
                            <thead><tr>
                                <th>{k.name}</th><th>{k.token}</th><th>{k.scope}</th><th>{k.created_by}</th>
                                <th>{k.expires_at}</th><th>{k.last_used}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! {
                                    <tr>
                                        <td>{row.name}</td>
                                        <td><code>{row.prefix}"…"</code></td>
                                        <td>{scope_label(row.scope, k)}</td>
                                        <td>{row.created_by}</td>
                                        <td>{when(row.expires_at, k.never)}</td>
                                        <td>{when(row.last_used_at, k.not_used)}</td>
                                        <td>{match row.revoked_at {
                                            Some(_) => view! { <span>{k.revoked}</span> }.into_any(),
                                            None => view! {
                                                <ActionForm action=revoke>
                                                    <input type="hidden" name="id" value=row.id/>
                                                    <button type="submit">{k.revoke}</button>
                                                </ActionForm>
                                            }.into_any(),
                                        }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Suspense>
        <CreateTokenForm action=create texts=k/>
    }
}

#[component]
fn CreateTokenForm(action: ServerAction<CreateApiToken>, texts: &'static TokenTexts) -> impl IntoView {
    let k = texts;
    let (_, on_change) = use_form(action, |a: &CreateApiToken| a.form.validate());
    let echoed = url_values::<CreateApiToken, ApiTokenForm>().unwrap_or_default();
    view! {
        <h2>{k.create}</h2>
        <div on:input=on_change on:change=on_change>
            <ActionForm action attr:class="narrow" attr:novalidate=true>
                <FormSummary/>
                <TextField label=k.name name="name" value=echoed.name required=true autocomplete="off"/>
                <div class="field">
                    <label class="label" for="f-scope">{k.scope}</label>
                    <select id="f-scope" name="form[scope]">
                        <option value="read">{k.read}</option>
                        <option value="read_write">{k.read_write}</option>
                    </select>
                    <FieldMessage field="scope"/>
                </div>
                <TextField label=k.expires name="expires_in_days" value=echoed.expires_in_days input_type="number" autocomplete="off"/>
                <button type="submit" class="primary">{k.create}</button>
            </ActionForm>
        </div>
    }
}
