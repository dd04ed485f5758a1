//! iCalendar invitations (RFC 5545 / iTIP RFC 5546) for a guest's registration, so a
//! phone calendar adds — or removes — the event in one tap. Times are written in UTC,
//! which every calendar converts to the reader's zone without a VTIMEZONE block.

use chrono::{DateTime, Utc};

/// `REQUEST` adds or updates the event in the guest's calendar, `CANCEL` removes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

pub struct Invitation<'a> {
    pub method: Method,
    /// Stable per registration, so updates replace the same calendar entry.
    pub uid: &'a str,
    /// Raised at every change the guest is told about.
    pub sequence: i32,
    pub stamp: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    pub attendee_name: &'a str,
    pub attendee_email: &'a str,
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (CN=…): quoted, with the characters a quoted value cannot hold removed.
fn param(value: &str) -> String {
    format!("\"{}\"", value.chars().filter(|c| !matches!(c, '"' | '\r' | '\n')).collect::<String>())
}

/// Folds a content line at 75 octets (never inside a UTF-8 character) with CRLF and a
/// space, and ends it with CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

impl Invitation<'_> {
    pub fn to_ics(&self) -> String {
        let status = match self.method {
            Method::Request => "CONFIRMED",
            Method::Cancel => "CANCELLED",
        };
        let lines = [
            "BEGIN:VCALENDAR".to_string(),
            "PRODID:-//Roadshow//Roadshow//EN".to_string(),
            "VERSION:2.0".to_string(),
            "CALSCALE:GREGORIAN".to_string(),
            format!("METHOD:{}", self.method.as_str()),
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", self.uid),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.starts_at)),
            format!("DTEND:{}", utc(self.ends_at)),
            format!("SUMMARY:{}", text(self.summary)),
            format!("LOCATION:{}", text(self.location)),
            format!("DESCRIPTION:{}", text(self.description)),
            format!("URL:{}", self.url),
            format!("STATUS:{status}"),
            format!("ORGANIZER;CN={}:mailto:{}", param(self.organizer_name), self.organizer_email),
            format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{}",
                param(self.attendee_name),
                self.attendee_email
            ),
            "END:VEVENT".to_string(),
            "END:VCALENDAR".to_string(),
        ];
        let mut out = String::new();
        for line in &lines {
            fold(line, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn invitation(method: Method) -> String {
        Invitation {
            method,
            uid: "registration-7@roadshow.example",
            sequence: 2,
            stamp: Utc.with_ymd_and_hms(2023, 3, 1, 8, 0, 0).unwrap(),
            starts_at: Utc.with_ymd_and_hms(2023, 3, 15, 1, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2023, 3, 15, 4, 0, 0).unwrap(),
            summary: "湖南（上海）投资推介会 — Hunan investment promotion, Shanghai; spring edition",
            location: "Shanghai Tower, 501 Yincheng Middle Rd, Shanghai",
            description: "Line one\nLine two",
            url: "https://roadshow.example/e/shanghai-2023",
            organizer_name: "Hunan \"Bureau\"",
            organizer_email: "events@roadshow.example",
            attendee_name: "王芳",
            attendee_email: "wang@example.com",
        }
        .to_ics()
    }

    #[test]
    fn lines_end_in_crlf_and_fold_at_75_octets() {
        let ics = invitation(Method::Request);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(std::str::from_utf8(line.as_bytes()).is_ok());
        }
        // Unfolded, the summary comes back whole and escaped.
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains(
                "SUMMARY:湖南（上海）投资推介会 — Hunan investment promotion\\, Shanghai\\; spring edition\r\n"
            )
        );
        assert!(unfolded.contains("DESCRIPTION:Line one\\nLine two\r\n"));
        assert!(unfolded.contains("ORGANIZER;CN=\"Hunan Bureau\":mailto:events@roadshow.example\r\n"));
    }

    #[test]
    fn request_and_cancel_share_uid_and_times_are_utc() {
        let request = invitation(Method::Request);
        let cancel = invitation(Method::Cancel);
        for ics in [&request, &cancel] {
            assert!(ics.contains("UID:registration-7@roadshow.example\r\n"));
            assert!(ics.contains("SEQUENCE:2\r\n"));
            assert!(ics.contains("DTSTART:20230315T013000Z\r\n"));
        }
        assert!(request.contains("METHOD:REQUEST\r\n") && request.contains("STATUS:CONFIRMED\r\n"));
        assert!(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("STATUS:CANCELLED\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "路".repeat(40)), &mut out);
        let lines: Vec<&str> = out.trim_end().split("\r\n").collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= 75));
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("SUMMARY:{}", "路".repeat(40)));
    }
}
