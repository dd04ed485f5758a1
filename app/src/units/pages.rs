//! `/admin/units`: the organization's promotion units, one under another, and the unit
//! each member works for. Everyone reads; owners change.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::{
    AssignMember, DeleteUnit, FigureSettings, SaveFigureSettings, SaveUnit, UnitForm, UnitKind, get_figure_settings,
    list_units,
};
use crate::auth::Role;
use crate::components::use_member;
use crate::forms::{FieldMessage, FormSummary, TextField, url_values, use_form};
use crate::html::PageTitle;
use crate::i18n::{Lang, texts_of, use_lang, use_texts};

texts_of! {
    pub struct UnitTexts, fn unit_texts;
    units: "招商单位", "Promotion units";
    intro: "目标与业绩计入各单位：县市区、园区、乡镇街道、产业链专班与部门。同一企业（统一社会信用代码）只计入首个报送的单位。", "Targets and results are credited to units: counties and districts, parks, townships, industry-chain task forces and departments. A company (by its unified social credit code) counts for the first unit that reports it.";
    none_yet: "还没有单位。", "No units yet.";
    kind: "类型", "Kind";
    name_zh: "中文名称", "Chinese name";
    name_en: "英文名称（可选）", "English name (optional)";
    parent: "上级单位", "Under";
    no_parent: "（无）", "(none)";
    members: "成员", "Members";
    projects: "项目", "Projects";
    add: "添加单位", "Add a unit";
    delete: "删除", "Delete";
    unit: "所属单位", "Unit";
    no_unit: "（不属于任何单位）", "(no unit)";
    save: "保存", "Save";
    members_units: "成员所属单位", "Members' units";
    figures: "统计口径", "How the figures count";
    red_days: "逾期多少天标红（开工、投产晚于计划）", "Days late before a late start or production turns red";
    verified_only: "到位资金只计已核实的", "Count verified funds in place only";
}

/// The units as `<option>`s, indented under their parents, `selected` the one chosen.
fn unit_options(units: &[super::UnitRow], lang: Lang, selected: Option<i32>) -> impl IntoView + use<> {
    units
        .iter()
        .map(|u| {
            let label = format!("{}{}", "\u{3000}".repeat(u.depth as usize), u.name(lang));
            view! { <option value=u.id selected=selected == Some(u.id)>{label}</option> }
        })
        .collect_view()
}

#[component]
pub fn UnitsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let u = unit_texts(lang);
    let is_owner = use_member().is_some_and(|m| m.role == Role::Owner);
    let save = ServerAction::<SaveUnit>::new();
    let delete = ServerAction::<DeleteUnit>::new();
    let assign = ServerAction::<AssignMember>::new();
    let settings = ServerAction::<SaveFigureSettings>::new();
    let units = crate::web::resource(
        move || (save.version().get(), delete.version().get(), assign.version().get()),
        |_| list_units(),
    );
    // Apart from the units' view: rebuilt inside it, the form kept the unit selects above
    // it from gaining the unit just added.
    let figures = crate::web::resource(move || settings.version().get(), |_| get_figure_settings());
    let (_, on_change) = use_form(save, |a: &SaveUnit| a.form.parse().err().unwrap_or_default());
    let echoed = url_values::<SaveUnit, UnitForm>().unwrap_or_default();
    view! {
        <PageTitle text=format!("{} · {}", u.units, t.app_name)/>
        <h1>{u.units}</h1>
        <p class="hint">{u.intro}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || {
                let echoed = echoed.clone();
                Suspend::new(async move {
                let list = match units.await {
                    Err(e) => return view! { <p class="form-error">{e.message(lang)}</p> }.into_any(),
                    Ok(list) => list,
                };
                let delete_error = move || match delete.value().get() {
                    Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.message(lang)}</p> }),
                    _ => None,
                };
                let rows = list.units.clone();
                let options = list.units.clone();
                let member_units = list.units.clone();
                view! {
                    {delete_error}
                    {if rows.is_empty() {
                        view! { <p>{u.none_yet}</p> }.into_any()
                    } else {
                        view! {
                            <table class="units">
                                <thead><tr>
                                    <th>{u.units}</th><th>{u.kind}</th><th class="num">{u.members}</th>
                                    <th class="num">{u.projects}</th>{is_owner.then(|| view! { <th></th> })}
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td style=format!("padding-left:{}em", 0.5 + r.depth as f32 * 1.5)>{r.name(lang).to_string()}</td>
                                            <td>{r.kind.label(lang)}</td>
                                            <td class="num">{r.members}</td>
                                            <td class="num">{r.projects}</td>
                                            {is_owner.then(|| view! {
                                                <td>
                                                    <ActionForm action=delete attr:class="inline-form">
                                                        <input type="hidden" name="id" value=r.id/>
                                                        <button type="submit" class="link">{u.delete}</button>
                                                    </ActionForm>
                                                </td>
                                            })}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                    {is_owner.then(|| view! {
                        <h2>{u.add}</h2>
                        <div on:input=on_change on:change=on_change>
                            <ActionForm action=save attr:class="narrow" attr:novalidate=true>
                                <FormSummary/>
                                <div class="field">
                                    <label class="label" for="f-kind">{u.kind}</label>
                                    <select id="f-kind" name="form[kind]" required>
                                        {UnitKind::ALL.into_iter().map(|k| view! {
                                            <option value=k.as_str() selected=echoed.kind == k.as_str()>{k.label(lang)}</option>
                                        }).collect_view()}
                                    </select>
                                    <FieldMessage field="kind"/>
                                </div>
                                <TextField label=u.name_zh name="name_zh" value=echoed.name_zh.clone() required=true maxlength=100/>
                                <TextField label=u.name_en name="name_en" value=echoed.name_en.clone() maxlength=100/>
                                <div class="field">
                                    <label class="label" for="f-parent_id">{u.parent}</label>
                                    <select id="f-parent_id" name="form[parent_id]">
                                        <option value="">{u.no_parent}</option>
                                        {unit_options(&options, lang, echoed.parent_id.parse().ok())}
                                    </select>
                                    <FieldMessage field="parent_id"/>
                                </div>
                                <button type="submit" class="primary">{u.add}</button>
                            </ActionForm>
                        </div>
                    })}
                    <h2>{u.members_units}</h2>
                    <table>
                        <thead><tr><th>{t.name}</th><th>{t.email}</th><th>{t.role}</th><th>{u.unit}</th></tr></thead>
                        <tbody>
                            {list.members.into_iter().map(|m| {
                                let current = m.unit_id;
                                let unit_cell = if is_owner {
                                    let select_id = format!("unit-of-{}", m.user_id);
                                    let choices = unit_options(&member_units, lang, current);
                                    view! {
                                        <ActionForm action=assign attr:class="inline-form">
                                            <input type="hidden" name="user_id" value=m.user_id/>
                                            <label class="sr" for=select_id.clone()>{u.unit}</label>
                                            <select id=select_id name="unit_id">
                                                <option value="">{u.no_unit}</option>
                                                {choices}
                                            </select>
                                            " "<button type="submit">{u.save}</button>
                                        </ActionForm>
                                    }.into_any()
                                } else {
                                    let name = current
                                        .and_then(|id| member_units.iter().find(|x| x.id == id))
                                        .map(|x| x.name(lang).to_string())
                                        .unwrap_or_default();
                                    view! { {name} }.into_any()
                                };
                                view! {
                                    <tr><td>{m.name}</td><td>{m.email}</td><td>{m.role.label(t)}</td><td>{unit_cell}</td></tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                figures.await.ok().map(|f| view! { <SettingsPanel settings=f action=settings is_owner=is_owner/> })
            })}
        </Suspense>
    }
}

/// How the organization's figures count (a form of its own: its errors are its own).
#[component]
fn SettingsPanel(settings: FigureSettings, action: ServerAction<SaveFigureSettings>, is_owner: bool) -> impl IntoView {
    let u = unit_texts(use_lang());
    let (_, on_change) = use_form(action, |a: &SaveFigureSettings| a.form.parse().err().unwrap_or_default());
    view! {
        <h2>{u.figures}</h2>
        <div on:input=on_change on:change=on_change>
            <ActionForm action=action attr:class="narrow" attr:novalidate=true>
                <FormSummary/>
                <TextField
                    label=u.red_days
                    name="overdue_red_days"
                    input_type="number"
                    required=true
                    value=settings.overdue_red_days.to_string()
                />
                <div class="field">
                    <label>
                        <input type="checkbox" name="form[verified_funds_only]" checked=settings.verified_funds_only/>
                        " "{u.verified_only}
                    </label>
                </div>
                {is_owner.then(|| view! { <button type="submit">{u.save}</button> })}
            </ActionForm>
        </div>
    }
}
