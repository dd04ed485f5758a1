//! `/admin/targets`: each unit's targets for a year or a quarter, one row per unit, and
//! their import from CSV. Everyone reads; owners change.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{ImportTargets, SaveTargets, TargetMetric, get_targets};
use crate::auth::Role;
use crate::components::use_member;
use crate::html::PageTitle;
use crate::i18n::{texts_of, use_lang, use_texts};

texts_of! {
    pub struct TargetTexts, fn target_texts;
    targets: "目标任务", "Targets";
    intro: "各单位的年度（或季度）招商目标；空格表示无此项目标。领导看板按这些目标计算完成率。", "Each unit's targets for a year (or a quarter); an empty cell means no target for that figure. The leaders' dashboard measures completion against them.";
    year: "年份", "Year";
    quarter: "季度", "Quarter";
    whole_year: "全年", "Whole year";
    show: "查看", "Show";
    unit: "单位", "Unit";
    save: "保存目标", "Save the targets";
    saved: "已保存", "Saved";
    no_units: "还没有单位：请先在“招商单位”中添加。", "No units yet: add them under Promotion units first.";
    import: "从 CSV 导入", "Import from CSV";
    import_hint: "第一行为列名：unit（单位）、year（年份）、quarter（季度，可省略，0 为全年）以及 projects、signed、funds（亿元）、top500、hometown、started、trips 中的任意几列；也可用中文列名。单位按中文或英文名称匹配。", "The first line names the columns: unit, year, quarter (optional, 0 for the whole year) and any of projects, signed, funds (亿元), top500, hometown, started, trips; Chinese headings work too. Units are matched by their Chinese or English name.";
    csv: "CSV 内容", "CSV text";
    imported: "已导入 {} 行", "{} rows imported";
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let x = target_texts(lang);
    let is_owner = use_member().is_some_and(|m| m.role == Role::Owner);
    let query = use_query_map();
    // No year asked for: the server's current year (the browser's clock is not read).
    let year = move || query.read().get("year").unwrap_or_default();
    let quarter = move || query.read().get("quarter").unwrap_or_default();
    let save = ServerAction::<SaveTargets>::new();
    let import = ServerAction::<ImportTargets>::new();
    let table = crate::web::resource(
        move || (year(), quarter(), save.version().get(), import.version().get()),
        |(year, quarter, _, _)| get_targets(year, quarter),
    );
    let refusal = move |e: crate::error::AppError| {
        let message = match e.field_errors() {
            Some(f) => f.errors.iter().map(|e| e.reason.message(lang)).collect::<Vec<_>>().join("\n"),
            None => e.message(lang),
        };
        view! { <p class="form-error" role="alert" style="white-space: pre-line">{message}</p> }
    };
    view! {
        <PageTitle text=format!("{} · {}", x.targets, t.app_name)/>
        <h1>{x.targets}</h1>
        <p class="hint">{x.intro}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match table.await {
                    Err(e) => refusal(e).into_any(),
                    Ok(table) if table.rows.is_empty() => view! { <p class="empty">{x.no_units}</p> }.into_any(),
                    Ok(table) => {
                        let period = table.period;
                        // A refused cell named by its unit and figure, not by its form key.
                        let names: Vec<(i32, String)> =
                            table.rows.iter().map(|r| (r.unit_id, lang.pick(&r.name_zh, &r.name_en).to_string())).collect();
                        let cell_name = move |field: &str| {
                            let (key, unit) = field.split_once('-')?;
                            let unit = unit.parse::<i32>().ok()?;
                            let name = names.iter().find(|(id, _)| *id == unit)?.1.clone();
                            let metric = TargetMetric::ALL.into_iter().find(|m| m.key() == key)?;
                            Some(format!("{name} · {}", metric.label(lang)))
                        };
                        let save_result = move || save.value().get().map(|r| match r {
                            Ok(_) => view! { <p class="saved" role="status">{x.saved}</p> }.into_any(),
                            Err(e) => {
                                let message = match e.field_errors() {
                                    Some(f) => f.errors.iter().map(|e| {
                                        format!("{}: {}", cell_name(&e.field).unwrap_or_else(|| e.field.clone()), e.reason.message(lang))
                                    }).collect::<Vec<_>>().join("\n"),
                                    None => e.message(lang),
                                };
                                view! { <p class="form-error" role="alert" style="white-space: pre-line">{message}</p> }.into_any()
                            }
                        });
                        view! {
                            <form method="get" class="inline-form" action="/admin/targets">
                                <label>{x.year}<input type="number" name="year" min="2000" max="2100" value=period.year required/></label>
                                <label>{x.quarter}
                                    <select name="quarter">
                                        <option value="0">{x.whole_year}</option>
                                        {(1..=4).map(|q| view! { <option value=q selected=period.quarter == q>{format!("Q{q}")}</option> }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit">{x.show}</button>
                            </form>
                            <ActionForm action=save>
                                <input type="hidden" name="year" value=period.year/>
                                <input type="hidden" name="quarter" value=period.quarter/>
                                <div class="table-scroll">
                                    <table class="targets">
                                        <thead>
                                            <tr>
                                                <th scope="col">{x.unit}</th>
                                                {TargetMetric::ALL.iter().map(|m| view! { <th scope="col">{m.label(lang)}</th> }).collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {table.rows.into_iter().map(|row| {
                                                let name = format!("{}{}", "\u{3000}".repeat(row.depth as usize), lang.pick(&row.name_zh, &row.name_en));
                                                let unit_name = lang.pick(&row.name_zh, &row.name_en).to_string();
                                                view! {
                                                    <tr>
                                                        <th scope="row">{name}</th>
                                                        {TargetMetric::ALL.iter().map(|m| {
                                                            let value = m.cell_text(row.values.get(*m));
                                                            if is_owner {
                                                                let label = format!("{} · {}", unit_name, m.label(lang));
                                                                view! {
                                                                    <td>
                                                                        <input
                                                                            type="text"
                                                                            inputmode=if m.is_money() { "decimal" } else { "numeric" }
                                                                            name=format!("cells[{}]", super::cell_name(row.unit_id, *m))
                                                                            value=value
                                                                            aria-label=label
                                                                            size="6"
                                                                        />
                                                                    </td>
                                                                }.into_any()
                                                            } else {
                                                                view! { <td class="number">{value}</td> }.into_any()
                                                            }
                                                        }).collect_view()}
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {is_owner.then(|| view! { <button type="submit" class="primary">{x.save}</button> })}
                            </ActionForm>
                            {save_result}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
        {is_owner.then(|| view! {
            <section class="panel">
                <h2>{x.import}</h2>
                <p class="hint">{x.import_hint}</p>
                <ActionForm action=import>
                    <div class="field">
                        <label class="label" for="targets-csv">{x.csv}</label>
                        <textarea id="targets-csv" name="csv" rows="6" required placeholder="unit,year,quarter,projects,signed,funds\n汨罗市,2023,0,60,200,90"></textarea>
                    </div>
                    <button type="submit">{x.import}</button>
                </ActionForm>
                {move || import.value().get().map(|r| match r {
                    Ok(n) => view! { <p class="saved" role="status">{x.imported.replace("{}", &n.to_string())}</p> }.into_any(),
                    Err(e) => refusal(e).into_any(),
                })}
            </section>
        })}
    }
}
