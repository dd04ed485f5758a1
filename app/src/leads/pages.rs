//! Organizer pages of leads: the list with its filters and bulk changes, and the board by
//! stage (one lead: `lead_page`; capture at the door: `capture_page`).

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{BulkChange, LeadFilter, LeadRow, Stage, lead_board, list_leads};
use crate::domain::IndustryChain;
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
    unit: "计入单位", "Credited to";
    no_unit: "（未计入单位）", "(no unit)";
    credit_code: "统一社会信用代码（可选）", "Unified social credit code (optional)";
    credit_to: "改计入", "Credit to";
    funds_in_place: "到位资金", "Funds in place";
    tranche_amount: "到位金额（亿元）", "Amount (亿元)";
    received_on: "到位日期", "Received on";
    add_tranche: "记录到位资金", "Record funds";
    no_projects: "还没有项目。", "No project yet.";
    progress: "签约后进展", "Progress after signing";
    registered_on: "企业注册日期", "Company registered on";
    started_on: "开工日期", "Construction started on";
    producing_on: "投产日期", "In production since";
    planned_start_on: "计划开工日期", "Planned start";
    planned_production_on: "计划投产日期", "Planned production";
    edit_project: "编辑项目与进展", "Edit project and progress";
    save_project: "保存项目", "Save the project";
    cancel_edit: "取消", "Cancel";
    days_late: "晚 {} 天", "{} days late";
    entered_by: "录入", "entered by";
    verified_by: "已核实", "verified by";
    unverified: "未核实", "not verified";
    verify: "核实", "Verify";
    proof: "证明文件", "Proof";
    attach_proof: "上传证明文件（PDF、JPEG、PNG，≤ 10 MB）", "Attach a proof (PDF, JPEG, PNG, ≤ 10 MB)";
    upload: "上传", "Upload";
    met_at: "参加的活动", "Met at";
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
    capture_button: "保存线索", "Save lead";
    captured: "已保存线索", "Lead saved";
    open_lead: "打开", "Open";
    interest: "感兴趣的产业链", "Industry chains of interest";
    planned_total: "计划投资", "Planned";
    by: "操作人", "by";
}

pub(super) fn when(lang: Lang, at: chrono::DateTime<chrono::Utc>) -> String {
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
pub(super) fn StageBadge(stage: Stage) -> impl IntoView {
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
    let list = crate::web::resource(move || (filter.get(), version.get()), |(filter, _)| list_leads(filter));
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
    let board = crate::web::resource(move || filter.get(), lead_board);
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
