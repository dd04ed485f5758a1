//! Organizer pages of campaigns: the list with a form for a new one (the audience
//! counted before sending), and one campaign's progress and messages.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{
    CampaignRow, CampaignStatus, CancelCampaign, CreateCampaign, campaign_audience, get_campaign, list_campaigns,
};
use crate::follow_ups::pages::AddressOfLead;
use crate::forms::{FormSummary, TextField, use_form};
use crate::i18n::{Lang, format_date, format_number, format_time, texts_of, use_lang};
use crate::leads::LeadFilter;
use crate::leads::Stage;

texts_of! {
    struct CampaignTexts, fn texts;
    title: "群发邮件", "Campaigns";
    none_yet: "还没有群发。", "No campaign yet.";
    new_campaign: "新建群发", "New campaign";
    name: "名称", "Name";
    template: "模板", "Template";
    no_template: "请先在“跟进邮件”中建一个模板。", "Make a template under Follow-ups first.";
    recipients: "收件人", "Recipients";
    audience: "筛选线索", "Choose leads";
    search: "搜索（姓名、公司、邮箱）", "Search (name, company, email)";
    stage: "阶段", "Stage";
    event: "活动编号", "Event number";
    tag: "标签", "Tag";
    top500: "三类500强", "Top 500";
    hometown: "湘商回归", "Hometown return";
    any: "全部", "All";
    will_reach: "将发给 {} 人", "Will reach {}";
    of_leads: "（{} 条线索，{} 个有邮箱，{} 个已退订或退信，{} 个报名时未同意接收跟进邮件）", "({} leads, {} with an email, {} unsubscribed or bouncing, {} declined follow-up emails when registering)";
    send_at: "发送时间（留空则立即发送）", "Send at (empty: now)";
    time_zone: "时区", "Time zone";
    create: "发送", "Send";
    status: "状态", "Status";
    progress: "进度", "Progress";
    delivered: "已送达", "delivered";
    failed: "失败", "failed";
    skipped: "跳过", "skipped";
    cancel: "取消发送", "Cancel";
    messages: "邮件", "Messages";
    address: "地址", "Address";
    outcome: "结果", "Outcome";
    error: "原因", "Reason";
    back: "返回群发列表", "Back to campaigns";
}

fn when(lang: Lang, at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|at| format!("{} {} UTC", format_date(lang, at.naive_utc()), format_time(at.naive_utc())))
        .unwrap_or_default()
}

#[component]
fn ProgressCell(row: CampaignRow) -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    let (done, total) = row.progress();
    view! {
        <progress max=total.max(1) value=done></progress>
        <small class="count">
            {format!("{} / {} · {} {} · {} {} · {} {}", format_number(done as i64), format_number(total as i64),
                format_number(row.delivered as i64), t.delivered, format_number(row.failed as i64), t.failed,
                format_number(row.skipped as i64), t.skipped)}
        </small>
    }
}

/// `/admin/campaigns`: the organization's campaigns and a form for a new one.
#[component]
pub fn CampaignListPage() -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    let create = ServerAction::<CreateCampaign>::new();
    let cancel = ServerAction::<CancelCampaign>::new();
    let (_, on_change) = use_form(create, |a: &CreateCampaign| a.form.parse().err().unwrap_or_default());
    let data = crate::web::resource(move || create.version().get() + cancel.version().get(), |_| list_campaigns());
    // Opened from the lead list ("Email these leads"), the form starts with its filter.
    let initial = crate::leads::pages::filter_from_query().get_untracked();
    let filter = RwSignal::new(LeadFilter { page: String::new(), sort: String::new(), ..initial.clone() });
    let initial = StoredValue::new(initial);
    let audience = crate::web::resource(move || filter.get(), campaign_audience);
    let set = move |apply: fn(&mut LeadFilter, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            filter.update(|f| apply(f, value));
        }
    };
    let set_flag = move |apply: fn(&mut LeadFilter, String)| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            filter.update(|f| apply(f, if on { "on".into() } else { String::new() }));
        }
    };
    view! {
        <PageTitle text=t.title/>
        <h1>{t.title}</h1>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(data) => {
                        let templates = data.templates.clone();
                        let initial = initial.get_value();
                        view! {
                            {if data.campaigns.is_empty() {
                                view! { <p class="empty">{t.none_yet}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                    <table class="events campaigns">
                                        <thead><tr><th>{t.name}</th><th>{t.status}</th><th>{t.send_at}</th><th>{t.recipients}</th><th>{t.progress}</th><th></th></tr></thead>
                                        <tbody>
                                            {data.campaigns.into_iter().map(|c| {
                                                let id = c.id;
                                                let scheduled = c.status == CampaignStatus::Scheduled;
                                                view! {
                                                    <tr>
                                                        <td><a href=format!("/admin/campaigns/{id}")>{c.name.clone()}</a></td>
                                                        <td><span class=format!("badge campaign-{}", c.status.as_str())>{c.status.label(lang)}</span></td>
                                                        <td>{when(lang, c.send_at)}</td>
                                                        <td>{format_number(c.recipients as i64)}</td>
                                                        <td class="campaign-progress"><ProgressCell row=c/></td>
                                                        <td>{scheduled.then(|| view! {
                                                            <ActionForm action=cancel attr:class="inline-form">
                                                                <input type="hidden" name="id" value=id/>
                                                                <button type="submit">{t.cancel}</button>
                                                            </ActionForm>
                                                        })}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    </div>
                                }.into_any()
                            }}
                            <section class="panel new-campaign">
                                <h2>{t.new_campaign}</h2>
                                {if templates.is_empty() {
                                    view! { <p class="hint"><a href="/admin/follow-ups?template=new">{t.no_template}</a></p> }.into_any()
                                } else {
                                    view! {
                                        <div on:input=on_change on:change=on_change>
                                            <ActionForm action=create attr:class="campaign-form" attr:novalidate=true>
                                                <FormSummary/>
                                                <TextField label=t.name name="name" required=true maxlength=200/>
                                                <label>{t.template}
                                                    <select name="form[template_id]">
                                                        {templates.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                                                    </select>
                                                </label>
                                                <fieldset class="filters">
                                                    <legend>{t.audience}</legend>
                                                    <label>{t.search}<input type="search" name="form[filter][q]" value=initial.q.clone() on:change=set(|f, v| f.q = v)/></label>
                                                    <label>{t.stage}
                                                        <select name="form[filter][stage]" on:change=set(|f, v| f.stage = v)>
                                                            <option value="">{t.any}</option>
                                                            {Stage::ALL.iter().map(|s| view! { <option value=s.as_str() selected=initial.stage == s.as_str()>{s.label(lang)}</option> }).collect_view()}
                                                        </select>
                                                    </label>
                                                    <label>{t.event}<input type="number" name="form[filter][event]" value=initial.event.clone() on:change=set(|f, v| f.event = v)/></label>
                                                    <label>{t.tag}<input type="text" name="form[filter][tag]" value=initial.tag.clone() on:change=set(|f, v| f.tag = v)/></label>
                                                    <label class="check"><input type="checkbox" name="form[filter][top500]" checked=initial.top500 == "on" on:change=set_flag(|f, v| f.top500 = v)/>{t.top500}</label>
                                                    <label class="check"><input type="checkbox" name="form[filter][hometown]" checked=initial.hometown == "on" on:change=set_flag(|f, v| f.hometown = v)/>{t.hometown}</label>
                                                    // The lead list's other filters travel along unseen.
                                                    {[("roadshow", initial.roadshow.clone()), ("region", initial.region.clone()), ("chain", initial.chain.clone()), ("owner", initial.owner.clone())]
                                                        .into_iter()
                                                        .filter(|(_, v)| !v.is_empty())
                                                        .map(|(k, v)| view! { <input type="hidden" name=format!("form[filter][{k}]") value=v/> })
                                                        .collect_view()}
                                                </fieldset>
                                                <p class="count audience" role="status">
                                                    <Suspense>
                                                        {move || Suspend::new(async move {
                                                            match audience.await {
                                                                Ok(a) => format!("{} {}", t.will_reach.replace("{}", &format_number(a.recipients() as i64)),
                                                                    t.of_leads.replacen("{}", &format_number(a.leads as i64), 1)
                                                                        .replacen("{}", &format_number(a.with_email as i64), 1)
                                                                        .replacen("{}", &format_number(a.suppressed as i64), 1)
                                                                        .replacen("{}", &format_number(a.declined as i64), 1)),
                                                                Err(e) => e.message(lang),
                                                            }
                                                        })}
                                                    </Suspense>
                                                </p>
                                                <TextField label=t.send_at name="send_at_local" input_type="datetime-local"/>
                                                <TextField label=t.time_zone name="time_zone" value="Asia/Shanghai"/>
                                                <button type="submit" class="primary">{t.create}</button>
                                            </ActionForm>
                                        </div>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// `/admin/campaigns/:id`: progress (refreshed while it sends) and every message.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let lang = use_lang();
    let t = texts(lang);
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let tick = RwSignal::new(0u32);
    let detail = crate::web::resource(move || (id(), tick.get()), |(id, _)| get_campaign(id));
    // While messages are still on their way, look again every two seconds.
    Effect::new(move |_| {
        let settled = detail.with(|d| d.as_ref().and_then(|r| r.as_ref().ok()).is_some_and(|d| d.campaign.settled()));
        if !settled {
            set_timeout(move || tick.update(|n| *n += 1), std::time::Duration::from_secs(2));
        }
    });
    view! {
        <PageTitle text=t.title/>
        <p><a href="/admin/campaigns">{t.back}</a></p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(d) => {
                        let c = d.campaign.clone();
                        view! {
                            <h1>{c.name.clone()}" "<span class=format!("badge campaign-{}", c.status.as_str())>{c.status.label(lang)}</span></h1>
                            <p>{format!("{}: {} · {}: {} · {}", t.template, c.template, t.recipients, format_number(c.recipients as i64), when(lang, c.send_at))}</p>
                            <div class="campaign-progress"><ProgressCell row=c/></div>
                            <h2>{t.messages}</h2>
                            <div class="table-scroll">
                            <table class="events campaign-messages">
                                <thead><tr><th>{t.address}</th><th>{t.outcome}</th><th>{t.status}</th><th>{t.error}</th></tr></thead>
                                <tbody>
                                    {d.messages.into_iter().map(|m| view! {
                                        <tr>
                                            <td><AddressOfLead address=m.address.clone() lead_id=m.lead_id/></td>
                                            <td>{m.outcome.label(lang)}</td>
                                            <td>{m.status.map(|s| s.label(crate::i18n::texts(lang)))}</td>
                                            <td>{crate::mail::error_text(lang, m.last_error.as_deref())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
