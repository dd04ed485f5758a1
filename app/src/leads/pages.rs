//! Organizer pages of leads: the list with its filters and bulk changes, one lead with
//! its pipeline, projects and timeline, the board by stage, and capture at the door.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    AddNote, AddTranche, BulkChange, CaptureCode, CaptureLead, ChangeOwner, ChangeStage, EraseLead, LeadDetail,
    LeadFilter, LeadForm, LeadRow, MergeLeads, PromotionMethod, SaveLead, SaveProject, Stage, TimelineEntry, get_lead,
    lead_board, list_leads,
};
use crate::components::ChainCheckboxes;
use crate::domain::IndustryChain;
use crate::forms::{FieldMessage, FormSummary, TextArea, TextField, use_form};
use crate::i18n::{Lang, format_amount_cny, format_date, format_number, format_time, texts_of, use_lang};

texts_of! {
    /// The texts of the lead pages, once per language.
    pub struct LeadTexts, fn lead_texts;
    board: "看板", "Board";
    add_lead: "新增线索", "Add a lead";
    export_csv: "导出 CSV", "Export CSV";
    import_csv: "导入 CSV", "Import CSV";
    email_these: "给这些线索群发邮件", "Email these leads";
    search: "搜索（姓名、公司、邮箱）", "Search (name, company, email)";
    stage: "阶段", "Stage";
    owner: "负责人", "Owner";
    nobody: "未分配", "Nobody";
    event: "活动", "Event";
    region: "地区", "Region";
    chain: "产业链", "Industry chain";
    tag: "标签", "Tag";
    top500: "三类500强", "Top 500";
    hometown: "湘商回归", "Hometown return";
    sort: "排序", "Sort";
    sort_updated: "最近更新", "Recently updated";
    sort_name: "姓名", "Name";
    sort_company: "公司", "Company";
    sort_stage: "阶段（最靠后）", "Stage (furthest first)";
    sort_created: "最新创建", "Newest";
    all: "全部", "All";
    filter: "筛选", "Filter";
    found: "条线索", "leads";
    none_found: "没有符合条件的线索。", "No lead matches.";
    name: "姓名", "Name";
    company: "公司", "Company";
    email: "邮箱", "Email";
    phone: "电话", "Phone";
    job_title: "职务", "Job title";
    country: "国家/地区（两位代码）", "Country (two-letter code)";
    sector: "行业", "Sector";
    language: "邮件语言", "Email language";
    promotion_method: "招商方式", "Promotion method";
    tags: "标签（逗号分隔）", "Tags (comma-separated)";
    notes: "备注", "Notes";
    events: "活动", "Events";
    updated: "更新", "Updated";
    selected: "对所选线索：", "With the selected leads:";
    set_stage: "设为阶段", "Set stage";
    set_owner: "设负责人（成员编号）", "Set owner (member id)";
    add_tag: "添加标签", "Add tag";
    remove_tag: "移除标签", "Remove tag";
    value: "值", "Value";
    apply: "应用", "Apply";
    bulk_done: "已更新", "Updated";
    previous: "上一页", "Previous";
    next: "下一页", "Next";
    page: "第 {} 页", "Page {}";
    details: "资料", "Details";
    save: "保存", "Save";
    saved: "已保存", "Saved";
    move_to: "移到阶段", "Move to stage";
    lost_reason: "流失原因（选“已流失”时必填）", "Reason (required when lost)";
    note: "备注", "Note";
    change: "更改", "Change";
    give_to: "交给", "Give to";
    add_note: "添加备注", "Add a note";
    projects: "项目", "Projects";
    project_name: "项目名称", "Project name";
    location: "落地地点（县市区或园区）", "Location (county or park)";
    planned: "计划投资（亿元）", "Planned investment (CNY 100 million, 亿元)";
    signed_on: "签约日期", "Signed on";
    add_project: "添加项目", "Add a project";
    funds_in_place: "到位资金", "Funds in place";
    tranche_amount: "到位金额（亿元）", "Amount (亿元)";
    received_on: "到位日期", "Received on";
    add_tranche: "记录到位资金", "Record funds";
    no_projects: "还没有项目。", "No project yet.";
    met_at: "参加的活动", "Met at";
    source_registration: "报名", "registered";
    source_door: "现场采集", "met at the door";
    source_import: "导入", "imported";
    timeline: "动态", "Timeline";
    merge: "合并线索", "Merge leads";
    merge_hint: "把另一条线索（填写其编号）合并到这条：活动、标签、动态和项目都会移过来，另一条被删除。", "Merge another lead (its number) into this one: its events, tags, history and projects move here and the other is deleted.";
    other_lead: "另一条线索编号", "Other lead's number";
    privacy: "个人数据", "Personal data";
    consent_given: "数据使用同意", "Consent to data use";
    consent_marketing: "后续邮件同意", "Consent to follow-up emails";
    consent_none: "无", "none";
    export_json: "导出此人的全部数据（JSON）", "Export all of this person's data (JSON)";
    erase: "删除此人的个人数据", "Erase this person";
    erase_hint: "姓名、联系方式、报名资料和发给此人的邮件都会被匿名化，地址加入屏蔽名单，之后不会再收到营销邮件。不可撤销。", "Name, contacts, registrations and the emails sent to this person are anonymized and the address is suppressed: no marketing email will reach it again. This cannot be undone.";
    erase_confirm: "确认删除", "Erase for good";
    erased: "已删除个人数据", "Erased";
    capture_hint: "填写名片上的信息，或扫描嘉宾的二维码。", "Type what the business card says, or scan the guest's QR code.";
    scan_or_type: "扫描或输入签到码", "Scan or type the check-in code";
    capture_button: "保存线索", "Save lead";
    captured: "已保存线索", "Lead saved";
    open_lead: "打开", "Open";
    interest: "感兴趣的产业链", "Industry chains of interest";
    planned_total: "计划投资", "Planned";
    kind_registered: "报名", "Registered";
    kind_checked_in: "签到", "Checked in";
    kind_email: "邮件", "Email";
    kind_captured: "采集", "Captured";
    kind_imported: "导入", "Imported";
    kind_stage: "阶段", "Stage";
    kind_owner: "负责人", "Owner";
    kind_amount: "计划投资", "Planned investment";
    kind_funds: "资金到位", "Funds in place";
    kind_merged: "合并", "Merged";
    kind_note: "备注", "Note";
    kind_erased: "删除个人数据", "Erased";
    by: "操作人", "by";
}

fn when(lang: Lang, at: chrono::DateTime<chrono::Utc>) -> String {
    let at = at.naive_utc();
    format!("{} {} UTC", format_date(lang, at), format_time(at))
}

pub(crate) fn filter_from_query() -> Memo<LeadFilter> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            LeadFilter {
                q: get("q"),
                roadshow: get("roadshow"),
                event: get("event"),
                region: get("region"),
                chain: get("chain"),
                stage: get("stage"),
                owner: get("owner"),
                tag: get("tag"),
                top500: get("top500"),
                hometown: get("hometown"),
                sort: get("sort"),
                page: get("page"),
            }
        })
    })
}

/// The filter form of the list and the board (a plain GET form: it works without JS).
#[component]
fn FilterForm(
    current: LeadFilter,
    members: Vec<(i32, String)>,
    events: Vec<(i32, String, String)>,
    #[prop(optional)] with_stage_and_sort: bool,
) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let selected = |a: &str, b: &str| a == b;
    view! {
        <form method="get" class="filters lead-filters" role="search">
            <label>{l.search}<input type="search" name="q" value=current.q.clone()/></label>
            {with_stage_and_sort.then(|| view! {
                <label>{l.stage}
                    <select name="stage">
                        <option value="">{l.all}</option>
                        {Stage::ALL.iter().map(|s| view! {
                            <option value=s.as_str() selected=selected(&current.stage, s.as_str())>{s.label(lang)}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            <label>{l.owner}
                <select name="owner">
                    <option value="">{l.all}</option>
                    <option value="none" selected=current.owner == "none">{l.nobody}</option>
                    {members.into_iter().map(|(id, name)| view! {
                        <option value=id selected=current.owner == id.to_string()>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{l.event}
                <select name="event">
                    <option value="">{l.all}</option>
                    {events.into_iter().map(|(id, zh, en)| view! {
                        <option value=id selected=current.event == id.to_string()>{lang.pick(&zh, &en).to_string()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{l.region}<input type="text" name="region" value=current.region.clone() size="10"/></label>
            <label>{l.chain}
                <select name="chain">
                    <option value="">{l.all}</option>
                    {IndustryChain::ALL.iter().map(|c| view! {
                        <option value=c.slug() selected=current.chain == c.slug()>{c.label(lang)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{l.tag}<input type="text" name="tag" value=current.tag.clone() size="10"/></label>
            <label class="check"><input type="checkbox" name="top500" checked=current.top500 == "on"/>{l.top500}</label>
            <label class="check"><input type="checkbox" name="hometown" checked=current.hometown == "on"/>{l.hometown}</label>
            {with_stage_and_sort.then(|| view! {
                <label>{l.sort}
                    <select name="sort">
                        {[("", l.sort_updated), ("name", l.sort_name), ("company", l.sort_company), ("stage", l.sort_stage), ("created", l.sort_created)]
                            .into_iter()
                            .map(|(v, label)| view! { <option value=v selected=current.sort == v>{label}</option> })
                            .collect_view()}
                    </select>
                </label>
            })}
            <button type="submit">{l.filter}</button>
        </form>
    }
}

#[component]
fn StageBadge(stage: Stage) -> impl IntoView {
    let lang = use_lang();
    view! { <span class=format!("badge stage-{}", stage.as_str())>{stage.label(lang)}</span> }
}

/// `/admin/leads`: the organization's leads, filtered, sorted, paged; bulk changes.
#[component]
pub fn LeadListPage() -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let filter = filter_from_query();
    let bulk = ServerAction::<BulkChange>::new();
    let version = bulk.version();
    let list = Resource::new(move || (filter.get(), version.get()), |(filter, _)| list_leads(filter));
    let bulk_result = move || {
        bulk.value().get().map(|r| match r {
            Ok(n) => view! { <p class="saved" role="status">{format!("{} · {n}", l.bulk_done)}</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.message(lang)}</p> }.into_any(),
        })
    };
    view! {
        <PageTitle text=crate::i18n::texts(lang).leads/>
        <div class="toolbar">
            <h1>{crate::i18n::texts(lang).leads}</h1>
            <div class="actions">
                <a href="/admin/leads/board">{l.board}</a>
                <a href="/admin/leads/new" rel="external">{l.add_lead}</a>
                <a href="/admin/leads/import">{l.import_csv}</a>
                <a href=move || format!("/admin/campaigns?{}", filter.get().query_with_page(1))>{l.email_these}</a>
                <a class="button" rel="external" download href=move || format!("/admin/leads.csv?{}", filter.get().query_with_page(1))>{l.export_csv}</a>
            </div>
        </div>
        {bulk_result}
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let current = filter.get();
                match list.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(list) => {
                        let pages = list.total.div_ceil(LeadFilter::PER_PAGE).max(1);
                        let page = list.page;
                        let members = list.members.clone();
                        view! {
                            <FilterForm current=current.clone() members=list.members.clone() events=list.events.clone() with_stage_and_sort=true/>
                            <p class="count">{format!("{} {}", format_number(list.total as i64), l.found)}</p>
                            {(list.credit.projects > 0).then(|| view! {
                                <dl class="targets credit">
                                    <div><dt>{l.projects}</dt><dd>{format_number(list.credit.projects as i64)}</dd></div>
                                    <div><dt>{l.planned_total}</dt><dd>{format_amount_cny(lang, list.credit.planned)}</dd></div>
                                    <div><dt>{l.funds_in_place}</dt><dd>{format_amount_cny(lang, list.credit.funds)}</dd></div>
                                </dl>
                            })}
                            {if list.rows.is_empty() {
                                view! { <p class="empty">{l.none_found}</p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=bulk attr:class="bulk">
                                        <div class="bulk-bar">
                                            <span>{l.selected}</span>
                                            <select name="change[action]" aria-label=l.change>
                                                <option value="stage">{l.set_stage}</option>
                                                <option value="owner">{l.set_owner}</option>
                                                <option value="add_tag">{l.add_tag}</option>
                                                <option value="remove_tag">{l.remove_tag}</option>
                                            </select>
                                            <input type="text" name="change[value]" list="bulk-values" aria-label=l.value placeholder=l.value/>
                                            <datalist id="bulk-values">
                                                {Stage::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label(lang)}</option> }).collect_view()}
                                                {members.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                            </datalist>
                                            <button type="submit">{l.apply}</button>
                                        </div>
                                        <div class="table-scroll">
                                        <table class="events leads">
                                            <thead><tr>
                                                <th></th><th>{l.name}</th><th>{l.company}</th><th>{l.stage}</th><th>{l.owner}</th>
                                                <th>{l.tags}</th><th>{l.events}</th><th>{l.updated}</th>
                                            </tr></thead>
                                            <tbody>
                                                {list.rows.into_iter().map(|r| view! { <LeadTableRow row=r/> }).collect_view()}
                                            </tbody>
                                        </table>
                                        </div>
                                    </ActionForm>
                                }.into_any()
                            }}
                            <nav class="pager" aria-label="pages">
                                {(page > 1).then(|| view! { <a rel="prev" href=format!("?{}", current.query_with_page(page - 1))>{l.previous}</a> })}
                                <span>{l.page.replace("{}", &format!("{page} / {pages}"))}</span>
                                {(page < pages).then(|| view! { <a rel="next" href=format!("?{}", current.query_with_page(page + 1))>{l.next}</a> })}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn LeadTableRow(row: LeadRow) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    view! {
        <tr>
            <td><input type="checkbox" name=format!("change[ids][{}]", row.id) aria-label=row.name.clone()/></td>
            <td>
                <a href=format!("/admin/leads/{}", row.id)>{row.name.clone()}</a>
                {row.top500.then(|| view! { " "<span class="badge flag" title=l.top500>"500"</span> })}
                {row.hometown_return.then(|| view! { " "<span class="badge flag" title=l.hometown>{l.hometown}</span> })}
                <br/><small>{row.email.clone().unwrap_or_default()}</small>
            </td>
            <td>{row.company}</td>
            <td><StageBadge stage=row.stage/></td>
            <td>{row.owner_name.unwrap_or_else(|| "–".into())}</td>
            <td>{row.tags.join(", ")}</td>
            <td>{row.events}</td>
            <td>{format_date(lang, row.updated_at.naive_utc())}</td>
        </tr>
    }
}

/// `/admin/leads/board`: the pipeline by stage.
#[component]
pub fn LeadBoardPage() -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let filter = filter_from_query();
    let board = Resource::new(move || filter.get(), lead_board);
    view! {
        <PageTitle text=l.board/>
        <div class="toolbar">
            <h1>{crate::i18n::texts(lang).leads}" · "{l.board}</h1>
            <div class="actions"><a href="/admin/leads">{crate::i18n::texts(lang).leads}</a></div>
        </div>
        <form method="get" class="filters" role="search">
            <label>{l.search}<input type="search" name="q" value=move || filter.get().q/></label>
            <label>{l.tag}<input type="text" name="tag" value=move || filter.get().tag/></label>
            <button type="submit">{l.filter}</button>
        </form>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(columns) => view! {
                        <div class="board">
                            {columns.into_iter().map(|c| view! {
                                <section class=format!("board-column stage-{}", c.stage.as_str())>
                                    <h2>
                                        <a href=format!("/admin/leads?stage={}", c.stage.as_str())>{c.stage.label(lang)}</a>
                                        " "<span class="count">{format_number(c.count as i64)}</span>
                                    </h2>
                                    <p class="planned">{format!("{} {}", l.planned_total, format_amount_cny(lang, c.planned))}</p>
                                    <ul>
                                        {c.leads.into_iter().map(|r| view! {
                                            <li class="card">
                                                <a href=format!("/admin/leads/{}", r.id)>{r.name}</a>
                                                <small>{r.company}</small>
                                                {r.owner_name.map(|o| view! { <small class="owner">{o}</small> })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }).collect_view()}
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn timeline_label(l: &LeadTexts, kind: &str) -> &'static str {
    match kind {
        "registered" => l.kind_registered,
        "checked_in" => l.kind_checked_in,
        "email" => l.kind_email,
        "captured" => l.kind_captured,
        "imported" => l.kind_imported,
        "stage" => l.kind_stage,
        "owner" => l.kind_owner,
        "amount" => l.kind_amount,
        "funds" => l.kind_funds,
        "merged" => l.kind_merged,
        "erased" => l.kind_erased,
        _ => l.kind_note,
    }
}

/// One line of the timeline, amounts and stages in the reader's words.
fn timeline_text(lang: Lang, e: &TimelineEntry) -> String {
    let show = |value: &str| match e.kind.as_str() {
        "stage" => Stage::parse(value).map(|s| s.label(lang).to_string()).unwrap_or_else(|| value.to_string()),
        "amount" | "funds" => {
            value.parse::<i64>().map(|v| format_amount_cny(lang, v)).unwrap_or_else(|_| value.to_string())
        }
        _ => value.to_string(),
    };
    let (from, to) = (show(&e.from), show(&e.to));
    match (from.is_empty(), to.is_empty()) {
        (true, true) => String::new(),
        (true, false) => to,
        (false, true) => from,
        (false, false) => format!("{from} → {to}"),
    }
}

/// `/admin/leads/:id`: a lead with its stage, owner, details, projects and timeline.
#[component]
pub fn LeadPage() -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or_default();
    let stage = ServerAction::<ChangeStage>::new();
    let owner = ServerAction::<ChangeOwner>::new();
    let save = ServerAction::<SaveLead>::new();
    let note = ServerAction::<AddNote>::new();
    let project = ServerAction::<SaveProject>::new();
    let tranche = ServerAction::<AddTranche>::new();
    let merge = ServerAction::<MergeLeads>::new();
    let erase = ServerAction::<EraseLead>::new();
    let versions = move || {
        stage.version().get()
            + owner.version().get()
            + save.version().get()
            + note.version().get()
            + project.version().get()
            + tranche.version().get()
            + merge.version().get()
            + erase.version().get()
    };
    let lead = Resource::new(move || (id(), versions()), |(id, _)| get_lead(id));
    let error_of = move |e: Option<Result<(), crate::error::AppError>>| {
        e.and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    view! {
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match lead.await {
                    Err(e) => view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(d) => {
                    let owner_id = d.owner_id;
                    let current_stage = d.stage;
                    let members = d.members.clone();
                    let events = d.events.clone();
                    let timeline = d.timeline.clone();
                    let lost_reason = d.lost_reason.clone();
                    let id = d.id;
                    let name = d.form.name.clone();
                    let consent_data = d
                        .consent_data_at
                        .map(|at| format!("{} ({}, {})", when(lang, at), d.consent_data_version, d.consent_source))
                        .unwrap_or_else(|| l.consent_none.into());
                    let consent_marketing = d.consent_marketing_at.map(|at| when(lang, at)).unwrap_or_else(|| l.consent_none.into());
                    let for_details = d.clone();
                    let for_projects = d;
                    view! {
                        <PageTitle text=format!("{} · {}", name, crate::i18n::texts(lang).leads)/>
                        <div class="toolbar">
                            <h1>
                                <a href="/admin/leads">{crate::i18n::texts(lang).leads}</a>" · "{name.clone()}" "
                                <small>{format!("#{id}")}</small>" "<StageBadge stage=current_stage/>
                            </h1>
                        </div>
                        <div class="lead-grid">
                            <div class="lead-main">
                                <section class="panel">
                                    <ActionForm action=stage attr:class="inline-form">
                                        <input type="hidden" name="id" value=id/>
                                        <label>{l.move_to}
                                            <select name="stage">
                                                {Stage::ALL.iter().map(|s| view! {
                                                    <option value=s.as_str() selected=*s == current_stage>{s.label(lang)}</option>
                                                }).collect_view()}
                                            </select>
                                        </label>
                                        <label>{l.lost_reason}<input type="text" name="reason" value=lost_reason.clone() maxlength="500"/></label>
                                        <label>{l.note}<input type="text" name="note"/></label>
                                        <button type="submit" class="primary">{l.change}</button>
                                    </ActionForm>
                                    {move || error_of(stage.value().get())}
                                    <ActionForm action=owner attr:class="inline-form">
                                        <input type="hidden" name="id" value=id/>
                                        <label>{l.give_to}
                                            <select name="owner">
                                                <option value="">{l.nobody}</option>
                                                {members.into_iter().map(|(mid, name)| view! {
                                                    <option value=mid selected=owner_id == Some(mid)>{name}</option>
                                                }).collect_view()}
                                            </select>
                                        </label>
                                        <button type="submit">{l.change}</button>
                                    </ActionForm>
                                    {move || error_of(owner.value().get())}
                                </section>
                                <LeadDetailsForm detail=for_details action=save/>
                                <ProjectsSection detail=for_projects project=project tranche=tranche/>
                                <section class="panel">
                                    <h2>{l.met_at}</h2>
                                    <ul class="met-at">
                                        {events.into_iter().map(|e| view! {
                                            <li>
                                                <a href=format!("/admin/events/{}", e.event_id)>{lang.pick(&e.title_zh, &e.title_en).to_string()}</a>
                                                " · "{format_date(lang, e.starts_at.naive_utc())}
                                                " · "{match e.source.as_str() { "door" => l.source_door, "import" => l.source_import, _ => l.source_registration }}
                                                {e.checked_in.then_some(" ✓")}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            </div>
                            <aside class="lead-side">
                                <section class="panel">
                                    <h2>{l.timeline}</h2>
                                    <ActionForm action=note attr:class="note-form">
                                        <input type="hidden" name="id" value=id/>
                                        <textarea name="note" rows="2" aria-label=l.add_note placeholder=l.add_note></textarea>
                                        <button type="submit">{l.add_note}</button>
                                    </ActionForm>
                                    {move || error_of(note.value().get())}
                                    <ol class="lead-timeline">
                                        {timeline.into_iter().map(|e| view! {
                                            <li class=format!("tl-{}", e.kind)>
                                                <time>{when(lang, e.at)}</time>
                                                <strong>{timeline_label(l, &e.kind)}</strong>
                                                " "{timeline_text(lang, &e)}
                                                {(!e.note.is_empty()).then(|| view! { <p class="note">{e.note.clone()}</p> })}
                                                {e.by.clone().map(|b| view! { <small class="by">{format!("{} {b}", l.by)}</small> })}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                </section>
                                <section class="panel">
                                    <h2>{l.merge}</h2>
                                    <p class="hint">{l.merge_hint}</p>
                                    <ActionForm action=merge attr:class="inline-form">
                                        <input type="hidden" name="keep" value=id/>
                                        <label>{l.other_lead}<input type="number" name="other" min="1" required/></label>
                                        <button type="submit">{l.merge}</button>
                                    </ActionForm>
                                    {move || error_of(merge.value().get())}
                                </section>
                                <section class="panel privacy">
                                    <h2>{l.privacy}</h2>
                                    <p>{format!("{}: {consent_data}", l.consent_given)}</p>
                                    <p>{format!("{}: {consent_marketing}", l.consent_marketing)}</p>
                                    <p><a rel="external" download href=format!("/admin/leads/{id}/export.json")>{l.export_json}</a></p>
                                    <details>
                                        <summary>{l.erase}</summary>
                                        <p class="hint">{l.erase_hint}</p>
                                        <ActionForm action=erase>
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="danger">{l.erase_confirm}</button>
                                        </ActionForm>
                                    </details>
                                    {move || error_of(erase.value().get())}
                                </section>
                            </aside>
                        </div>
                    }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn LeadDetailsForm(detail: LeadDetail, action: ServerAction<SaveLead>) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let (_, on_change) = use_form(action, |a: &SaveLead| a.form.parse().err().unwrap_or_default());
    let f = detail.form.clone();
    let saved = move || {
        matches!(action.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">{l.saved}</p> })
    };
    view! {
        <section class="panel">
            <h2>{l.details}</h2>
            <div on:input=on_change on:change=on_change>
                <ActionForm action=action attr:class="lead-form" attr:novalidate=true>
                    <FormSummary/>
                    {saved}
                    <input type="hidden" name="id" value=detail.id/>
                    <LeadFields form=f/>
                    <button type="submit" class="primary">{l.save}</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// The fields of a lead, for its page and for capture.
#[component]
fn LeadFields(form: LeadForm, #[prop(optional)] short: bool) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    view! {
        <TextField label=l.name name="name" value=form.name.clone() required=true maxlength=200/>
        <TextField label=l.company name="company" value=form.company.clone() maxlength=200/>
        <TextField label=l.email name="email" value=form.email.clone() input_type="email"/>
        <TextField label=l.phone name="phone" value=form.phone.clone() input_type="tel"/>
        <TextField label=l.job_title name="job_title" value=form.job_title.clone() maxlength=200/>
        <ChainCheckboxes legend=l.interest checked=form.industry_chains.clone()/>
        {(!short).then(|| view! {
            <TextField label=l.country name="country" value=form.country.clone() maxlength=2/>
            <TextField label=l.sector name="sector" value=form.sector.clone() maxlength=200/>
            <div class="field">
                <label class="label" for="f-language">{l.language}</label>
                <select id="f-language" name="form[language]">
                    <option value="zh" selected=form.language != "en">"中文"</option>
                    <option value="en" selected=form.language == "en">"English"</option>
                </select>
            </div>
            <div class="field">
                <label class="label" for="f-promotion_method">{l.promotion_method}</label>
                <select id="f-promotion_method" name="form[promotion_method]">
                    <option value="">"–"</option>
                    {PromotionMethod::ALL.iter().map(|m| view! {
                        <option value=m.as_str() selected=form.promotion_method == m.as_str()>{m.label(lang)}</option>
                    }).collect_view()}
                </select>
                <FieldMessage field="promotion_method"/>
            </div>
            <label class="check"><input type="checkbox" name="form[top500]" checked=form.top500 == "on"/>{l.top500}</label>
            <label class="check"><input type="checkbox" name="form[hometown_return]" checked=form.hometown_return == "on"/>{l.hometown}</label>
            <TextField label=l.tags name="tags" value=form.tags.clone()/>
        })}
        <TextArea label=l.notes name="notes" value=form.notes.clone() rows=3/>
    }
}

#[component]
fn ProjectsSection(
    detail: LeadDetail,
    project: ServerAction<SaveProject>,
    tranche: ServerAction<AddTranche>,
) -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let (_, on_change) = use_form(project, |a: &SaveProject| a.form.parse().err().unwrap_or_default());
    let tranche_error = move || {
        tranche.value().get().and_then(|r| r.err()).map(|e| {
            let message = e
                .field_errors()
                .and_then(|f| f.get("amount").or_else(|| f.get("received_on")).map(|r| r.message(lang)))
                .unwrap_or_else(|| e.message(lang));
            view! { <p class="form-error" role="alert">{message}</p> }
        })
    };
    view! {
        <section class="panel">
            <h2>{l.projects}</h2>
            {detail.projects.is_empty().then(|| view! { <p class="empty">{l.no_projects}</p> })}
            {detail.projects.clone().into_iter().map(|p| view! {
                <article class="project">
                    <h3>{p.name.clone()}</h3>
                    <p>
                        {p.industry_chain.map(|c| format!("{} · ", c.label(lang)))}
                        {(!p.location.is_empty()).then(|| format!("{} · ", p.location))}
                        {format!("{} {}", l.planned_total, format_amount_cny(lang, p.planned_investment))}
                        {p.signed_on.map(|d| format!(" · {} {d}", l.signed_on))}
                    </p>
                    <p class="funds">{format!("{}: {}", l.funds_in_place, format_amount_cny(lang, p.funds_in_place))}</p>
                    <ul class="tranches">
                        {p.tranches.clone().into_iter().map(|t| view! { <li>{format!("{} · {}", t.received_on, format_amount_cny(lang, t.amount))}</li> }).collect_view()}
                    </ul>
                    <ActionForm action=tranche attr:class="inline-form">
                        <input type="hidden" name="project_id" value=p.id/>
                        <label>{l.tranche_amount}<input type="text" name="amount" inputmode="decimal" required/></label>
                        <label>{l.received_on}<input type="date" name="received_on" required/></label>
                        <button type="submit">{l.add_tranche}</button>
                    </ActionForm>
                </article>
            }).collect_view()}
            {tranche_error}
            <details class="add-project">
                <summary>{l.add_project}</summary>
                <div on:input=on_change on:change=on_change>
                    <ActionForm action=project attr:class="lead-form" attr:novalidate=true>
                        <FormSummary/>
                        <input type="hidden" name="lead_id" value=detail.id/>
                        // Not a TextField: the lead's own form on this page has the `f-name` input.
                        <div class="field">
                            <label class="label" for="p-name">{l.project_name}</label>
                            <input id="p-name" type="text" name="form[name]" required maxlength="200" aria-describedby="e-name"/>
                            <FieldMessage field="name"/>
                        </div>
                        <div class="field">
                            <label class="label" for="f-industry_chain">{l.chain}</label>
                            <select id="f-industry_chain" name="form[industry_chain]">
                                <option value="">"–"</option>
                                {IndustryChain::ALL.iter().map(|c| view! { <option value=c.slug()>{c.label(lang)}</option> }).collect_view()}
                            </select>
                        </div>
                        <TextField label=l.location name="location" maxlength=200/>
                        <TextField label=l.planned name="planned_investment"/>
                        <TextField label=l.signed_on name="signed_on" input_type="date"/>
                        <button type="submit" class="primary">{l.add_project}</button>
                    </ActionForm>
                </div>
            </details>
        </section>
    }
}

/// `/admin/leads/new` and `/admin/events/:id/capture`: a quick form built for a phone,
/// and at an event a scan of the guest's QR code.
#[component]
pub fn CaptureLeadPage() -> impl IntoView {
    let lang = use_lang();
    let l = lead_texts(lang);
    let params = use_params_map();
    let event_id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    let capture = ServerAction::<CaptureLead>::new();
    let by_code = ServerAction::<CaptureCode>::new();
    let (_, on_change) = use_form(capture, |a: &CaptureLead| a.form.parse().err().unwrap_or_default());
    let outcome = move |value: Option<Result<i32, crate::error::AppError>>| {
        value.map(|r| match r {
            Ok(id) => view! {
                <p class="saved" role="status">{l.captured}" · "<a href=format!("/admin/leads/{id}")>{format!("{} #{id}", l.open_lead)}</a></p>
            }
            .into_any(),
            Err(e) => {
                let message = e.field_errors().and_then(|f| f.get("code").map(|r| r.message(lang))).unwrap_or_else(|| e.message(lang));
                view! { <p class="form-error" role="alert">{message}</p> }.into_any()
            }
        })
    };
    view! {
        <PageTitle text=crate::i18n::texts(lang).capture/>
        <h1>{move || if event_id().is_some() { crate::i18n::texts(lang).capture } else { l.add_lead }}</h1>
        <p class="hint">{l.capture_hint}</p>
        {move || event_id().map(|id| view! {
            {move || outcome(by_code.value().get())}
            <ActionForm action=by_code attr:class="checkin-code" attr:id="check-in-code-form">
                <input type="hidden" name="event_id" value=id/>
                <input type="text" name="code" id="check-in-code" autocomplete="off" autocapitalize="characters"
                    aria-label=l.scan_or_type placeholder=l.scan_or_type/>
                <button type="submit" class="primary">{l.capture_button}</button>
                <button type="button" id="scan-camera" class="scan" hidden>"📷"</button>
            </ActionForm>
            <video id="scan-video" playsinline muted hidden></video>
            <script type="module" src="/scan.js" nonce=leptos::nonce::use_nonce()></script>
        })}
        {move || outcome(capture.value().get())}
        <div on:input=on_change on:change=on_change>
            <ActionForm action=capture attr:class="register-form capture-form" attr:novalidate=true>
                <FormSummary/>
                {move || event_id().map(|id| view! { <input type="hidden" name="event_id" value=id/> })}
                <input type="hidden" name="form[language]" value=lang.code()/>
                <LeadFields form=LeadForm::default() short=true/>
                <button type="submit" class="primary">{l.capture_button}</button>
            </ActionForm>
        </div>
    }
}
