//! The guest's check-in code as a QR code: SVG for the web page, and for email an HTML
//! table (mail clients show no SVG and block images by default, but every one draws a table).

use qrcode::{Color, EcLevel, QrCode};

fn code(data: &str) -> Option<QrCode> {
    QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()
}

/// An SVG of the code (no script, fixed colours), for inline use in a page.
pub fn svg(data: &str) -> String {
    code(data)
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .dark_color(qrcode::render::svg::Color("#000000"))
                .light_color(qrcode::render::svg::Color("#ffffff"))
                .build()
        })
        .unwrap_or_default()
}

/// The code as a table of black and white cells; runs of one colour share a cell, so a
/// whole code stays a few kilobytes.
pub fn html_table(data: &str) -> String {
    const CELL: usize = 5;
    const QUIET: usize = 4;
    let Some(code) = code(data) else { return String::new() };
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * CELL;
    let mut out = format!(
        "<table role=\"img\" aria-label=\"QR\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" \
         style=\"border-collapse:collapse;background:#fff;width:{side}px;height:{side}px\">"
    );
    let quiet_row = format!("<tr><td colspan=\"{}\" style=\"height:{}px\"></td></tr>", width + 2, QUIET * CELL);
    out.push_str(&quiet_row);
    for y in 0..width {
        out.push_str(&format!("<tr style=\"height:{CELL}px\"><td style=\"width:{}px\"></td>", QUIET * CELL));
        let mut x = 0;
        while x < width {
            let dark = colors[y * width + x] == Color::Dark;
            let run = (x..width).take_while(|&i| (colors[y * width + i] == Color::Dark) == dark).count();
            let colspan = if run > 1 { format!(" colspan=\"{run}\"") } else { String::new() };
            let background = if dark { "#000" } else { "#fff" };
            out.push_str(&format!(
                "<td{colspan} style=\"width:{}px;height:{CELL}px;background:{background}\"></td>",
                run * CELL
            ));
            x += run;
        }
        out.push_str(&format!("<td style=\"width:{}px\"></td></tr>", QUIET * CELL));
    }
    out.push_str(&quiet_row);
    out.push_str("</table>");
    out
}

const MARKER: &str = "<!--roadshow-qr:";

/// What a composed email holds where its QR table goes: the outbox keeps these few bytes
/// instead of the table (about 15 KB), and [`expand`] draws it when the message is sent or
/// shown. Guests' text is escaped before it reaches the HTML, so only we write markers.
pub fn placeholder(data: &str) -> String {
    format!("{MARKER}{data}-->")
}

/// `html` with every QR placeholder replaced by its table.
pub fn expand(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains(MARKER) {
        return html.into();
    }
    let mut out = String::with_capacity(html.len() + 16_000);
    let mut rest = html;
    while let Some(start) = rest.find(MARKER) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARKER.len()..];
        let Some(end) = after.find("-->") else {
            out.push_str(&rest[start..]);
            return out.into();
        };
        out.push_str(&html_table(&after[..end]));
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_expand_to_the_table() {
        let html = format!("<p>a</p>{}<p>b</p>", placeholder("RS-7K2M9Q4T8V1X3Z5B"));
        assert!(html.len() < 100);
        assert_eq!(expand(&html), format!("<p>a</p>{}<p>b</p>", html_table("RS-7K2M9Q4T8V1X3Z5B")));
        assert_eq!(expand("<p>no code</p>"), "<p>no code</p>");
        assert_eq!(expand("<!--roadshow-qr:RS-1"), "<!--roadshow-qr:RS-1", "an unterminated marker stays as it is");
    }

    #[test]
    fn table_rows_cover_the_code_width() {
        let data = "RS-7K2M9Q4T8V1X3Z5B";
        let width = code(data).unwrap().width();
        let table = html_table(data);
        assert_eq!(table.matches("<tr style").count(), width);
        assert!(table.len() < 40_000, "{} bytes", table.len());
        assert!(svg(data).starts_with("<?xml") || svg(data).contains("<svg"));
    }
}
