//! The dashboard as tables, written out three ways: CSV (one block per table), an .xlsx
//! workbook (one sheet per table, numbers as numbers) and a printable A4 page. Every text
//! from users is escaped for the format it goes into (CSV cells defused, XML and HTML
//! escaped).

use std::io::Write as _;

use super::texts::dashboard_texts;
use super::{Dashboard, ratio_milli};
use crate::domain::{Milestone, Stage};
use crate::i18n::Lang;
use crate::targets::TargetMetric;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number written exactly as it should read (`2250.15`, `653`).
    Number(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn count(n: i64) -> Cell {
    Cell::Number(n.to_string())
}

/// 亿元 with two decimals, as a number.
fn yi_number(yuan: i64) -> Cell {
    let cents = yuan / 1_000_000;
    Cell::Number(format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, (cents / 100).abs(), (cents % 100).abs()))
}

fn percent_number(milli: Option<i64>) -> Cell {
    match milli {
        Some(m) => Cell::Number(format!("{}.{:03}", m / 1000, m % 1000)),
        None => text(""),
    }
}

fn hundredths_number(h: i64) -> Cell {
    Cell::Number(format!("{}.{:02}", h / 100, h % 100))
}

/// The dashboard's tables in `lang`.
pub fn tables(d: &Dashboard, lang: Lang) -> Vec<Table> {
    let x = dashboard_texts(lang);
    let f = &d.headline.figures;
    let h = &d.headline;
    let mut out = Vec::new();
    let headline: Vec<(&str, Cell)> = vec![
        (x.period, text(format!("{} – {}", d.scope.from, d.scope.to))),
        (x.projects_signed, count(f.projects)),
        (x.signed, yi_number(f.signed_yuan)),
        (x.big10, count(f.big[0])),
        (x.big50, count(f.big[1])),
        (x.big100, count(f.big[2])),
        (x.top500, count(f.top500)),
        (x.funds_in_place, yi_number(f.funds_yuan)),
        (x.funds_rate, percent_number(ratio_milli(f.funds_yuan, f.signed_yuan))),
        (x.hometown, count(f.hometown)),
        (x.hometown_funds, yi_number(f.hometown_funds_yuan)),
        (x.new_companies, count(f.new_companies)),
        (x.new_company_funds, yi_number(f.new_company_funds_yuan)),
        (x.started, count(f.started)),
        (x.start_rate, percent_number(ratio_milli(f.signed_started, f.projects))),
        (x.producing, count(f.producing)),
        (x.production_rate, percent_number(ratio_milli(f.signed_producing, f.projects))),
        (x.events_held, count(h.events)),
        (x.guests, count(h.guests)),
        (x.checked_in, count(h.checked_in)),
        (x.leads, count(h.leads)),
    ];
    out.push(Table {
        name: x.headline.to_string(),
        header: vec![
            lang.pick("指标", "Figure").to_string(),
            lang.pick("数值（百分比为%）", "Value (rates in %)").to_string(),
        ],
        rows: headline.into_iter().map(|(k, v)| vec![text(k), v]).collect(),
    });

    let mut header = vec![
        x.rank.to_string(),
        lang.pick("较上周", "Since last week").to_string(),
        x.unit.to_string(),
        format!("{} (%)", x.score),
    ];
    for m in TargetMetric::ALL {
        header.push(m.label(lang).to_string());
        header.push(format!("{} · {}", m.label(lang), lang.pick("目标", "target")));
        header.push(format!("{} · %", m.label(lang)));
    }
    header.push(x.trip_months.to_string());
    out.push(Table {
        name: x.ranking.to_string(),
        header,
        rows: d
            .units
            .iter()
            .map(|u| {
                let mut row = vec![
                    count(i64::from(u.rank)),
                    u.change.map(|c| count(i64::from(c))).unwrap_or_else(|| text("")),
                    text(lang.pick(&u.name_zh, &u.name_en)),
                    percent_number(u.score_milli),
                ];
                for (i, m) in TargetMetric::ALL.into_iter().enumerate() {
                    let money = |v: i64| if m.is_money() { yi_number(v) } else { count(v) };
                    row.push(money(u.figures.actual(m, u.trips)));
                    row.push(u.targets[i].map(money).unwrap_or_else(|| text("")));
                    row.push(percent_number(u.completions[i]));
                }
                row.push(count(i64::from(u.trip_months)));
                row
            })
            .collect(),
    });

    for (name, slices) in [(x.by_chain, &d.chains), (x.by_method, &d.methods), (x.by_region, &d.regions)] {
        out.push(Table {
            name: name.to_string(),
            header: vec![name.to_string(), x.projects_signed.into(), x.signed.into(), x.funds_in_place.into()],
            rows: slices
                .iter()
                .map(|s| {
                    vec![
                        text(lang.pick(&s.label_zh, &s.label_en)),
                        hundredths_number(s.projects_hundredths),
                        yi_number(s.signed_yuan),
                        yi_number(s.funds_yuan),
                    ]
                })
                .collect(),
        });
    }
    out.push(Table {
        name: x.by_month.to_string(),
        header: vec![x.month.into(), x.projects_signed.into(), x.signed.into(), x.funds_in_place.into()],
        rows: d
            .months
            .iter()
            .map(|m| vec![text(&m.month), count(m.projects), yi_number(m.signed_yuan), yi_number(m.funds_yuan)])
            .collect(),
    });
    out.push(Table {
        name: x.funnel.to_string(),
        header: vec![x.funnel.into(), lang.pick("数量", "Count").into()],
        rows: d
            .funnel
            .iter()
            .map(|s| {
                let label = match s.key.as_str() {
                    "guests" => x.guests.to_string(),
                    "leads" => x.leads.to_string(),
                    k => Stage::parse(k).map(|s| s.label(lang).to_string()).unwrap_or_else(|| k.to_string()),
                };
                vec![text(label), count(s.count)]
            })
            .collect(),
    });
    let credited_header = |first: &str| {
        vec![
            first.to_string(),
            x.guests.into(),
            x.checked_in.into(),
            x.leads.into(),
            x.credited_projects.into(),
            x.signed.into(),
            x.funds_in_place.into(),
            x.cost.into(),
            x.signed_per_wan.into(),
            x.funds_per_wan.into(),
        ]
    };
    let credited_cells = |c: &super::Credited| {
        let per = |a: i64| {
            super::Credited::per_wan(a, c.cost_yuan).map(|r| Cell::Number(format!("{r:.6}"))).unwrap_or(text(""))
        };
        vec![
            count(c.guests),
            count(c.checked_in),
            count(c.leads),
            hundredths_number(c.projects_hundredths),
            yi_number(c.signed_yuan),
            yi_number(c.funds_yuan),
            Cell::Number(crate::domain::Yuan::wan_text(c.cost_yuan)),
            per(c.signed_yuan),
            per(c.funds_yuan),
        ]
    };
    let mut header = credited_header(x.event);
    header.insert(1, x.date.into());
    header.insert(2, x.region.into());
    let mut rows: Vec<Vec<Cell>> = d
        .events
        .iter()
        .map(|e| {
            let mut row =
                vec![text(lang.pick(&e.title_zh, &e.title_en)), text(e.starts_on.to_string()), text(&e.region)];
            row.extend(credited_cells(&e.credited));
            row
        })
        .collect();
    let w = &d.with_events;
    rows.push(vec![
        text(x.with_events),
        text(""),
        text(""),
        text(""),
        text(""),
        text(""),
        hundredths_number(w.projects_hundredths),
        yi_number(w.signed_yuan),
        yi_number(w.funds_yuan),
    ]);
    out.push(Table { name: x.per_event.to_string(), header, rows });
    let mut header = credited_header(x.roadshow);
    header.insert(1, x.events_held.into());
    out.push(Table {
        name: x.per_roadshow.to_string(),
        header,
        rows: d
            .roadshows
            .iter()
            .map(|r| {
                let mut row = vec![text(&r.name), count(r.events)];
                row.extend(credited_cells(&r.credited));
                row
            })
            .collect(),
    });
    out.push(Table {
        name: x.overdue.to_string(),
        header: vec![
            x.project.into(),
            x.company.into(),
            x.unit.into(),
            x.milestone.into(),
            x.planned.into(),
            x.days_late.into(),
            lang.pick("颜色", "Colour").into(),
        ],
        rows: d
            .overdue
            .iter()
            .map(|o| {
                let milestone = if o.milestone == "start" { Milestone::Start } else { Milestone::Production };
                vec![
                    text(&o.project),
                    text(&o.company),
                    text(lang.pick(&o.unit_zh, &o.unit_en)),
                    text(milestone.label(lang)),
                    text(o.planned_on.to_string()),
                    count(o.days_late),
                    text(if o.red { x.red } else { x.yellow }),
                ]
            })
            .collect(),
    });
    out
}

/// All tables in one CSV file: each under its name, a blank line between them.
pub fn to_csv(tables: &[Table]) -> String {
    let mut out = String::from("\u{feff}");
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(&crate::csv::cell(&t.name));
        out.push_str("\r\n");
        let line = |cells: Vec<String>| cells.join(",") + "\r\n";
        out.push_str(&line(t.header.iter().map(|h| crate::csv::cell(h)).collect()));
        for row in &t.rows {
            out.push_str(&line(
                row.iter()
                    .map(|c| match c {
                        Cell::Text(s) => crate::csv::cell(s),
                        Cell::Number(n) => n.clone(),
                    })
                    .collect(),
            ));
        }
    }
    out
}

fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || *c >= ' ')
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A sheet's name as Excel allows it: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
    let mut candidate = clean.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{clean} {n}");
        n += 1;
    }
    candidate
}

fn column_name(mut index: usize) -> String {
    let mut name = String::new();
    loop {
        name.insert(0, (b'A' + (index % 26) as u8) as char);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name
}

fn sheet_xml(table: &Table) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    let header: Vec<Cell> = table.header.iter().map(|h| Cell::Text(h.clone())).collect();
    for (r, row) in std::iter::once(&header).chain(table.rows.iter()).enumerate() {
        out.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            match cell {
                Cell::Number(n) => out.push_str(&format!("<c r=\"{at}\"><v>{}</v></c>", xml(n))),
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => out.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    xml(s)
                )),
            }
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData></worksheet>");
    out
}

/// The tables as an .xlsx workbook (Office Open XML), one sheet each.
pub fn to_xlsx(tables: &[Table]) -> Vec<u8> {
    let mut names: Vec<String> = Vec::new();
    for t in tables {
        let name = sheet_name(&t.name, &names);
        names.push(name);
    }
    let mut files: Vec<(String, String)> = Vec::new();
    let overrides: String = (1..=tables.len())
        .map(|i| {
            format!(
                "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" \
                 ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            )
        })
        .collect();
    files.push((
        "[Content_Types].xml".into(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             {overrides}</Types>"
        ),
    ));
    files.push((
        "_rels/.rels".into(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
         </Relationships>"
            .into(),
    ));
    let sheets: String = names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>", xml(n), i + 1, i + 1))
        .collect();
    files.push((
        "xl/workbook.xml".into(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>{sheets}</sheets></workbook>"
        ),
    ));
    let rels: String = (1..=tables.len())
        .map(|i| {
            format!(
                "<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"
            )
        })
        .collect();
    files.push((
        "xl/_rels/workbook.xml.rels".into(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
        ),
    ));
    for (i, t) in tables.iter().enumerate() {
        files.push((format!("xl/worksheets/sheet{}.xml", i + 1), sheet_xml(t)));
    }
    zip_stored(&files)
}

/// A zip archive of `files`, stored without compression (every reader opens that).
fn zip_stored(files: &[(String, String)]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    for (name, body) in files {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(body.as_bytes());
        let size = body.len() as u32;
        let header = |out: &mut Vec<u8>, central_entry: bool| {
            let _ =
                out.write_all(if central_entry { &[0x50, 0x4b, 0x01, 0x02, 20, 0] } else { &[0x50, 0x4b, 0x03, 0x04] });
            // version needed, flags (bit 11: names in UTF-8), method 0 (stored), time, date
            let _ = out.write_all(&[20, 0, 0, 0x08, 0, 0, 0, 0, 0x21, 0]);
            let _ = out.write_all(&crc.to_le_bytes());
            let _ = out.write_all(&size.to_le_bytes());
            let _ = out.write_all(&size.to_le_bytes());
            let _ = out.write_all(&(name.len() as u16).to_le_bytes());
            let _ = out.write_all(&[0, 0]);
            if central_entry {
                // comment length, disk, internal and external attributes, local header offset
                let _ = out.write_all(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
                let _ = out.write_all(&offset.to_le_bytes());
            }
            let _ = out.write_all(name.as_bytes());
        };
        header(&mut out, false);
        out.extend_from_slice(body.as_bytes());
        header(&mut central, true);
    }
    let central_offset = out.len() as u32;
    let count = files.len() as u16;
    out.extend_from_slice(&central);
    out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// The tables as one printable page (A4, landscape for the wide tables), escaped.
pub fn to_html(d: &Dashboard, tables: &[Table], lang: Lang) -> String {
    let x = dashboard_texts(lang);
    let esc = crate::html::escape;
    let mut body = String::new();
    for t in tables {
        body.push_str(&format!("<section><h2>{}</h2><table><thead><tr>", esc(&t.name)));
        for h in &t.header {
            body.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
        }
        body.push_str("</tr></thead><tbody>");
        for row in &t.rows {
            body.push_str("<tr>");
            for c in row {
                match c {
                    Cell::Text(s) => body.push_str(&format!("<td>{}</td>", esc(s))),
                    Cell::Number(n) => body.push_str(&format!("<td class=\"n\">{}</td>", esc(n))),
                }
            }
            body.push_str("</tr>");
        }
        body.push_str("</tbody></table></section>");
    }
    format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{title} {from} – {to}</title>\
         <style>@page {{ size: A4 landscape; margin: 12mm }} body {{ font: 10pt system-ui, 'Noto Sans CJK SC', sans-serif; margin: 1rem }}\
         table {{ border-collapse: collapse; width: 100%; margin-bottom: 1rem; page-break-inside: auto }}\
         tr {{ page-break-inside: avoid }} th, td {{ border: 1px solid #999; padding: 2px 4px; text-align: left }}\
         td.n {{ text-align: right; font-variant-numeric: tabular-nums }} thead {{ display: table-header-group }}\
         h2 {{ font-size: 12pt; margin: 1rem 0 .3rem; page-break-after: avoid }} .table-wrap {{ overflow-x: auto }}</style></head>\
         <body><h1>{title}</h1><p>{from} – {to}</p>{body}</body></html>",
        tag = lang.html_tag(),
        title = esc(x.dashboard),
        from = d.scope.from,
        to = d.scope.to,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_like_a_spreadsheet() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let taken = vec!["By region".to_string()];
        assert_eq!(sheet_name("By region", &taken), "By region 2");
        assert_eq!(sheet_name("a/b:c[d]", &[]), "abcd");
        assert!(sheet_name(&"长".repeat(40), &[]).chars().count() <= 31);
    }

    #[test]
    fn text_in_a_sheet_is_escaped_and_numbers_stay_numbers() {
        let t = Table {
            name: "T".into(),
            header: vec!["<b>".into()],
            rows: vec![vec![Cell::Text("=1+1 & \"x\"".into()), Cell::Number("2250.15".into())]],
        };
        let sheet = sheet_xml(&t);
        assert!(sheet.contains("&lt;b&gt;"));
        assert!(sheet.contains("=1+1 &amp; &quot;x&quot;"));
        assert!(sheet.contains("<c r=\"B2\"><v>2250.15</v></c>"));
        let csv = to_csv(&[t]);
        assert!(csv.contains("'=1+1 & \"\"x\"\"") || csv.contains("\"'=1+1 & \"\"x\"\"\""), "{csv}");
    }

    #[test]
    fn a_workbook_is_a_zip_of_its_parts() {
        let t = Table { name: "T".into(), header: vec!["h".into()], rows: vec![] };
        let bytes = to_xlsx(&[t]);
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        assert_eq!(&bytes[bytes.len() - 22..bytes.len() - 18], b"PK\x05\x06");
        let text = String::from_utf8_lossy(&bytes);
        for part in [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml",
        ] {
            assert!(text.contains(part), "{part}");
        }
    }
}
