//! `/admin/leads/import`: a CSV file (or rows pasted from a spreadsheet) read in the
//! browser, its columns matched to lead fields with a preview, every row checked before
//! anything is sent, then imported in chunks behind a progress bar, with a report of the
//! rows refused and why.

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::import::{Column, ImportBatch, Record, RejectedRow, check_columns, check_row, chunks};
use super::{import_leads, list_leads};
use crate::error::FieldErrors;
use crate::i18n::{Lang, format_number, texts_of, use_lang};

texts_of! {
    // The file-reading texts are used by the browser build only.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    struct ImportTexts, fn import_texts;
    title: "导入线索（CSV）", "Import leads (CSV)";
    hint: "第一行是列名。支持逗号、分号或制表符分隔，UTF-8 或 GBK（Excel 中文版）编码。邮箱相同的线索只补全空白字段，不会重复创建。", "The first row holds the column names. Commas, semicolons or tabs; UTF-8 or GBK (Chinese Excel). A lead whose email is already known only has its blanks filled: no duplicate is made.";
    file: "选择 CSV 文件", "Choose a CSV file";
    paste: "或粘贴表格内容", "Or paste rows from a spreadsheet";
    read: "读取", "Read";
    too_big: "文件超过 50 MB，请分成几个文件。", "The file is over 50 MB: split it into several.";
    unreadable: "无法读取这个文件。", "This file could not be read.";
    empty: "没有找到数据行。", "No data rows found.";
    columns: "列对应", "Columns";
    column_hint: "为每一列选择对应的线索字段；下面是前 5 行的预览。", "Choose the lead field of each column; the first 5 rows are shown below.";
    rows: "行", "rows";
    ready: "可导入", "ready";
    with_errors: "有错误（不会导入）", "with errors (not imported)";
    line: "行号", "Line";
    column: "列", "Column";
    problem: "问题", "Problem";
    more: "另有 {} 行有错误", "{} more rows with errors";
    event: "在哪个活动认识的（可选）", "Met at event (optional)";
    no_event: "无", "None";
    tags: "给所有导入的线索加标签（可选）", "Tag every imported lead (optional)";
    import: "导入", "Import";
    stop: "停止", "Stop";
    importing: "正在导入", "Importing";
    done: "导入完成", "Import finished";
    stopped: "已停止：之前的行已导入。再次导入同一文件即可继续：有邮箱的线索不会重复。", "Stopped: the rows before were imported. Importing the same file again carries on: leads with an email are not duplicated.";
    failed: "导入中断：", "The import stopped: ";
    created: "新建", "created";
    updated: "已更新", "updated";
    rejected: "被拒绝", "rejected";
    download_rejected: "下载被拒绝的行（CSV，含原因）", "Download the rejected rows (CSV, with reasons)";
    to_list: "查看线索", "Open the lead list";
}

/// Files above this are refused before reading (50 MB is several hundred thousand leads).
#[cfg(feature = "hydrate")]
const MAX_FILE_BYTES: f64 = 50.0 * 1024.0 * 1024.0;

/// How an import run stands.
#[derive(Clone, Debug, Default, PartialEq)]
struct Progress {
    total: usize,
    done: usize,
    created: u32,
    updated: u32,
    rejected: Vec<RejectedRow>,
    running: bool,
    stopped: bool,
    error: Option<String>,
}

/// Every row checked against the mapping, as the server will check it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Check {
    rows: usize,
    ready: usize,
    rejected: Vec<RejectedRow>,
}

fn check_all(columns: &[Column], rows: &[Record]) -> Check {
    let mut check = Check { rows: rows.len(), ..Default::default() };
    for row in rows {
        match check_row(columns, &row.cells) {
            Ok(_) => check.ready += 1,
            Err(errors) => check.rejected.push(RejectedRow { line: row.line, errors }),
        }
    }
    check
}

/// Where a field's error is shown: the header of the column it came from.
fn column_of(field: &str, columns: &[Column], headers: &[String]) -> String {
    columns
        .iter()
        .position(|c| *c != Column::Ignore && c.field() == field)
        .and_then(|i| headers.get(i).cloned())
        .unwrap_or_else(|| field.to_string())
}

fn reasons(lang: Lang, errors: &FieldErrors, columns: &[Column], headers: &[String]) -> Vec<(String, String)> {
    errors.errors.iter().map(|e| (column_of(&e.field, columns, headers), e.reason.message(lang))).collect()
}

/// The refused rows as they were in the file plus a column saying why, to fix and import
/// again, as a `data:` URL.
fn rejected_csv(lang: Lang, records: &[Record], columns: &[Column], rejected: &[RejectedRow]) -> String {
    let headers = records.first().map(|r| r.cells.clone()).unwrap_or_default();
    let cell = crate::csv::cell;
    let mut csv = String::from("\u{feff}");
    let problem = import_texts(lang).problem;
    csv.push_str(&headers.iter().map(|h| cell(h)).chain([cell(problem)]).collect::<Vec<_>>().join(","));
    csv.push_str("\r\n");
    for row in rejected {
        let Ok(at) = records.binary_search_by_key(&row.line, |r| r.line) else { continue };
        let why = reasons(lang, &row.errors, columns, &headers)
            .into_iter()
            .map(|(column, reason)| format!("{column}: {reason}"))
            .collect::<Vec<_>>()
            .join("; ");
        csv.push_str(&records[at].cells.iter().map(|c| cell(c)).chain([cell(&why)]).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
    }
    format!("data:text/csv;charset=utf-8,{}", crate::web::url_encode(&csv))
}

/// Reads the chosen file as text: UTF-8 when it is valid UTF-8, else GB18030 (what a
/// Chinese Excel saves as "CSV").
#[cfg(feature = "hydrate")]
async fn read_file(input: &web_sys::HtmlInputElement) -> Result<(String, String), bool> {
    let file = input.files().and_then(|files| files.get(0)).ok_or(false)?;
    if file.size() > MAX_FILE_BYTES {
        return Err(true);
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.map_err(|_| false)?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    let strict = web_sys::TextDecoderOptions::new();
    strict.set_fatal(true);
    let utf8 = web_sys::TextDecoder::new_with_label_and_options("utf-8", &strict).map_err(|_| false)?;
    let text = match utf8.decode_with_buffer_source(&bytes) {
        Ok(text) => text,
        Err(_) => web_sys::TextDecoder::new_with_label("gb18030")
            .and_then(|d| d.decode_with_buffer_source(&bytes))
            .map_err(|_| false)?,
    };
    Ok((file.name(), text))
}

#[component]
pub fn ImportLeadsPage() -> impl IntoView {
    let lang = use_lang();
    let t = import_texts(lang);
    let records: RwSignal<Vec<Record>> = RwSignal::new(Vec::new());
    let columns: RwSignal<Vec<Column>> = RwSignal::new(Vec::new());
    let problem: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let pasted = RwSignal::new(String::new());
    let event_id: RwSignal<Option<i32>> = RwSignal::new(None);
    let tags = RwSignal::new(String::new());
    let progress: RwSignal<Option<Progress>> = RwSignal::new(None);
    let cancel = RwSignal::new(false);
    let events = crate::web::resource(|| (), |_| list_leads(Default::default()));

    let load = move |text: String| {
        let parsed = crate::csv::records(&text);
        progress.set(None);
        if parsed.len() < 2 {
            problem.set(Some(t.empty));
            records.set(Vec::new());
            return;
        }
        problem.set(None);
        columns.set(Column::guess_all(&parsed[0].cells));
        records.set(parsed);
    };
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            spawn_local(async move {
                match read_file(&input).await {
                    Ok((name, text)) => {
                        if tags.get_untracked().is_empty() {
                            let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem);
                            let tag: String =
                                stem.chars().filter(|c| !c.is_whitespace() && *c != ',').take(60).collect();
                            tags.set(tag.to_lowercase());
                        }
                        load(text);
                    }
                    Err(too_big) => problem.set(Some(if too_big { t.too_big } else { t.unreadable })),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let check = Memo::new(move |_| {
        records.with(|r| if r.len() < 2 { Check::default() } else { columns.with(|c| check_all(c, &r[1..])) })
    });
    let mapping_error =
        move || columns.with(|c| check_columns(c).err()).and_then(|e| e.errors.first().map(|e| e.reason.message(lang)));

    let run = move |_| {
        let (rows, mapping) = (records.with_untracked(|r| r[1..].to_vec()), columns.get_untracked());
        let (event, extra_tags) = (event_id.get_untracked(), tags.get_untracked());
        cancel.set(false);
        progress.set(Some(Progress { total: rows.len(), running: true, ..Default::default() }));
        spawn_local(async move {
            for range in chunks(&rows) {
                if cancel.get_untracked() {
                    progress.update(|p| {
                        if let Some(p) = p {
                            p.stopped = true
                        }
                    });
                    break;
                }
                let batch = ImportBatch {
                    columns: mapping.clone(),
                    rows: rows[range.clone()].to_vec(),
                    event_id: event,
                    tags: extra_tags.clone(),
                };
                match import_leads(batch).await {
                    Ok(outcome) => progress.update(|p| {
                        if let Some(p) = p {
                            p.done += range.len();
                            p.created += outcome.created;
                            p.updated += outcome.updated;
                            p.rejected.extend(outcome.rejected);
                        }
                    }),
                    Err(e) => {
                        let line = rows[range.start].line;
                        let message = format!("{} ({} {line}) {}", t.failed, t.line, e.message(lang));
                        progress.update(|p| {
                            if let Some(p) = p {
                                p.error = Some(message)
                            }
                        });
                        break;
                    }
                }
            }
            progress.update(|p| {
                if let Some(p) = p {
                    p.running = false
                }
            });
        });
    };

    let preview = move || {
        let (headers, sample) = records.with(|r| {
            (
                r.first().map(|h| h.cells.clone()).unwrap_or_default(),
                r.iter().skip(1).take(5).cloned().collect::<Vec<_>>(),
            )
        });
        (!headers.is_empty()).then(|| {
            let width = headers.len();
            view! {
                <section class="panel import-columns">
                    <h2>{t.columns}</h2>
                    <p class="hint">{t.column_hint}</p>
                    <div class="table-scroll">
                        <table class="events import-preview">
                            <thead>
                                <tr>
                                    {headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}
                                </tr>
                                <tr>
                                    {(0..width).map(|i| view! {
                                        <th>
                                            <select aria-label=headers[i].clone() name=format!("column-{i}")
                                                on:change=move |ev| {
                                                    let chosen = Column::from_key(&event_target_value(&ev)).unwrap_or_default();
                                                    columns.update(|c| if let Some(slot) = c.get_mut(i) { *slot = chosen });
                                                }>
                                                {Column::ALL.into_iter().map(|c| view! {
                                                    <option value=c.key() selected=move || columns.with(|cs| cs.get(i) == Some(&c))>{c.label(lang)}</option>
                                                }).collect_view()}
                                            </select>
                                        </th>
                                    }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {sample.into_iter().map(|r| view! {
                                    <tr>{(0..width).map(|i| view! { <td>{r.cells.get(i).cloned().unwrap_or_default()}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
        })
    };

    let summary = move || {
        let c = check.get();
        (c.rows > 0).then(|| {
            let (headers, mapping) = (records.with(|r| r[0].cells.clone()), columns.get());
            let shown: Vec<RejectedRow> = c.rejected.iter().take(100).cloned().collect();
            let more = c.rejected.len().saturating_sub(shown.len());
            view! {
                <p class="count import-check" role="status">
                    {format!("{} {} · {} {} · {} {}", format_number(c.rows as i64), t.rows,
                        format_number(c.ready as i64), t.ready, format_number(c.rejected.len() as i64), t.with_errors)}
                </p>
                {mapping_error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                {(!shown.is_empty()).then(|| view! {
                    <RejectionTable rejected=shown headers=headers mapping=mapping/>
                    {(more > 0).then(|| view! { <p class="hint">{t.more.replace("{}", &format_number(more as i64))}</p> })}
                })}
            }
        })
    };

    let report = move || {
        progress.get().map(|p| {
            let (headers, mapping) = (records.with(|r| r.first().map(|h| h.cells.clone()).unwrap_or_default()), columns.get());
            let href = (!p.running && !p.rejected.is_empty())
                .then(|| records.with(|r| rejected_csv(lang, r, &mapping, &p.rejected)));
            let state = match (&p.error, p.running, p.stopped) {
                (_, true, _) => t.importing.to_string(),
                (Some(e), _, _) => e.clone(),
                (None, _, true) => t.stopped.to_string(),
                (None, _, false) => t.done.to_string(),
            };
            view! {
                <section class="panel import-progress" aria-live="polite">
                    <p class=if p.error.is_some() { "form-error" } else { "status" }>{state}</p>
                    <progress max=p.total value=p.done></progress>
                    <p class="count">
                        {format!("{} / {} · {} {} · {} {} · {} {}", format_number(p.done as i64), format_number(p.total as i64),
                            format_number(p.created.into()), t.created, format_number(p.updated.into()), t.updated,
                            format_number(p.rejected.len() as i64), t.rejected)}
                    </p>
                    {p.running.then(|| view! { <button type="button" on:click=move |_| cancel.set(true)>{t.stop}</button> })}
                    {href.map(|href| view! { <p><a class="button" download="rejected.csv" href=href>{t.download_rejected}</a></p> })}
                    {(!p.running && !p.rejected.is_empty()).then(|| view! {
                        <RejectionTable rejected=p.rejected.clone() headers=headers mapping=mapping/>
                    })}
                    {(!p.running).then(|| view! { <p><a href="/admin/leads">{t.to_list}</a></p> })}
                </section>
            }
        })
    };

    // Parts as `AnyView`s: one nested view type of the whole page overflows the
    // compiler's query depth in the release build of the WASM.
    let source = view! {
        <section class="panel import-source">
            <label>{t.file}
                <input type="file" id="import-file" accept=".csv,.tsv,.txt,text/csv,text/plain" on:change=on_file/>
            </label>
            <details>
                <summary>{t.paste}</summary>
                <textarea id="import-paste" rows="6" prop:value=pasted on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                <button type="button" on:click=move |_| load(pasted.get_untracked())>{t.read}</button>
            </details>
            {move || problem.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </section>
    }
    .into_any();
    let options = move || {
        (!records.with(Vec::is_empty)).then(|| view! {
            <section class="panel import-options">
                <Suspense>
                    {move || Suspend::new(async move {
                        let events = events.await.map(|list| list.events).unwrap_or_default();
                        view! {
                            <label>{t.event}
                                <select on:change=move |ev| event_id.set(event_target_value(&ev).parse().ok())>
                                    <option value="">{t.no_event}</option>
                                    {events.into_iter().map(|(id, zh, en)| view! {
                                        <option value=id>{lang.pick(&zh, &en).to_string()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    })}
                </Suspense>
                <label>{t.tags}<input type="text" id="import-tags" prop:value=tags on:input=move |ev| tags.set(event_target_value(&ev))/></label>
                <button type="button" class="primary" id="import-run"
                    disabled=move || mapping_error().is_some() || check.with(|c| c.ready == 0) || progress.with(|p| p.as_ref().is_some_and(|p| p.running))
                    on:click=run>
                    {move || format!("{} {} {}", t.import, format_number(check.with(|c| c.ready) as i64), t.rows)}
                </button>
            </section>
    }.into_any())
    };
    view! {
        <PageTitle text=t.title/>
        <h1>{t.title}</h1>
        <p class="hint">{t.hint}</p>
        {source}
        {move || preview().map(IntoAny::into_any)}
        {move || summary().map(IntoAny::into_any)}
        {options}
        {move || report().map(IntoAny::into_any)}
    }
}

/// Refused rows: line, column and why, in the reader's language.
#[component]
fn RejectionTable(rejected: Vec<RejectedRow>, headers: Vec<String>, mapping: Vec<Column>) -> impl IntoView {
    let lang = use_lang();
    let t = import_texts(lang);
    view! {
        <div class="table-scroll">
            <table class="events import-rejected">
                <thead><tr><th>{t.line}</th><th>{t.column}</th><th>{t.problem}</th></tr></thead>
                <tbody>
                    {rejected.into_iter().flat_map(|row| {
                        reasons(lang, &row.errors, &mapping, &headers).into_iter().map(move |(column, reason)| view! {
                            <tr><td>{row.line}</td><td>{column}</td><td>{reason}</td></tr>
                        })
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
