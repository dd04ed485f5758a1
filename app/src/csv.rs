//! CSV in and out: cells written for spreadsheets (quoted, formulas defused) and files
//! read as RFC 4180 has them, in the browser as on the server.

use serde::{Deserialize, Serialize};

/// One CSV cell: quoted when needed (also for `;` and tab, which spreadsheets in many
/// locales split on), and a cell that starts — after any white space — with `=`, `+`,
/// `-`, `@`, a tab or a carriage return defused, so that a spreadsheet never runs a guest's
/// input as a formula.
pub fn cell(value: &str) -> String {
    let formula = value.trim_start_matches([' ', '\u{3000}']).starts_with(['=', '+', '-', '@', '\t', '\r']);
    let value = if formula { format!("'{value}") } else { value.to_string() };
    if value.contains([',', ';', '\t', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// One CSV record and the line of the file it starts on (1-based, as an editor counts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub line: u32,
    pub cells: Vec<String>,
}

/// The separator a file uses: whichever of `,` `;` and tab occurs most on its first line
/// outside quotes (spreadsheets in much of Europe write `;`).
fn separator(text: &str) -> char {
    let first_line = {
        let mut quoted = false;
        let end = text
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                !quoted && (c == '\n' || c == '\r')
            })
            .map_or(text.len(), |(i, _)| i);
        &text[..end]
    };
    let count = |sep: char| first_line.matches(sep).count();
    [',', ';', '\t'].into_iter().max_by_key(|&sep| (count(sep), sep == ',')).unwrap_or(',')
}

/// Splits CSV text into records as RFC 4180 reads them: a quoted cell may hold separators,
/// line breaks and doubled quotes. A byte-order mark is dropped, and so are records whose
/// cells are all blank.
pub fn records(text: &str) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let sep = separator(text);
    let mut records = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut line: u32 = 1;
    let mut start_line: u32 = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut finish = |cells: &mut Vec<String>, cell: &mut String, start_line: u32| {
        cells.push(std::mem::take(cell));
        if cells.iter().any(|c| !c.trim().is_empty()) {
            records.push(Record { line: start_line, cells: std::mem::take(cells) });
        } else {
            cells.clear();
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            }
            // A quote opens a quoted cell only at the cell's start; elsewhere it is text.
            '"' if cell.trim().is_empty() => {
                cell.clear();
                quoted = true;
            }
            '\r' | '\n' if quoted => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line += 1;
                cell.push('\n');
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                finish(&mut cells, &mut cell, start_line);
                line += 1;
                start_line = line;
            }
            c if c == sep && !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !cells.is_empty() {
        finish(&mut cells, &mut cell, start_line);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(record: &Record) -> Vec<&str> {
        record.cells.iter().map(String::as_str).collect()
    }

    #[test]
    fn records_follow_rfc_4180() {
        let text = "\u{feff}name,company,notes\r\n\"Wang, Fang\",\"Hunan \"\"Sany\"\"\",\"two\r\nlines\"\r\n,,\r\n\nLi Lei,Xiangtan,\n";
        let records = records(text);
        assert_eq!(records.len(), 3, "{records:?}");
        assert_eq!(cells(&records[0]), ["name", "company", "notes"]);
        assert_eq!(cells(&records[1]), ["Wang, Fang", "Hunan \"Sany\"", "two\nlines"]);
        assert_eq!(records[1].line, 2);
        assert_eq!(records[2].line, 6, "the quoted line break counts as a line");
        assert_eq!(cells(&records[2]), ["Li Lei", "Xiangtan", ""]);
    }

    #[test]
    fn semicolons_and_tabs_are_found_on_the_first_line() {
        assert_eq!(cells(&records("Name;E-Mail\nMüller, Hans;h@example.de")[1]), ["Müller, Hans", "h@example.de"]);
        assert_eq!(cells(&records("姓名\t邮箱\n张伟\tzw@example.cn")[1]), ["张伟", "zw@example.cn"]);
        assert_eq!(cells(&records("name\nLi")[1]), ["Li"]);
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(cell("Wang Fang"), "Wang Fang");
        assert_eq!(cell("Hunan, Ltd"), "\"Hunan, Ltd\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+86 138"), "'+86 138");
        // Spreadsheets that split on `;` or tab, and a formula behind white space.
        assert_eq!(cell("ACME;=cmd|' /C calc'!A0"), "\"ACME;=cmd|' /C calc'!A0\"");
        assert_eq!(cell("  =1+1"), "'  =1+1");
        assert_eq!(cell("\t=1+1"), "\"'\t=1+1\"");
    }
}
