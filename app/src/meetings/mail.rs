//! The meetings' emails: each side is told of an accepted, moved or cancelled meeting in
//! their own language, with a calendar entry of its own (one `UID` per meeting, `SEQUENCE`
//! raised at every change, `CANCEL` when it is off), and reminded before it starts.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::{ActiveModelTrait, ConnectionTrait};

use crate::domain::MessageKind;
use crate::entities::{event, meeting_host, meeting_request, outbox_message, registration};
use crate::html::escape;
use crate::i18n::{Lang, texts_of};
use crate::mail::calendar::{Invitation, Method};
use crate::mail::compose::{Composed, when};
use crate::mail::ssr::{MailSettings, NewMessage, outbox_row};

texts_of! {
    struct MeetingMailTexts, fn texts;
    accepted: "洽谈已确认", "Meeting confirmed";
    moved: "洽谈时间已变更", "Meeting moved";
    cancelled: "洽谈已取消", "Meeting cancelled";
    reminder: "洽谈即将开始", "Your meeting starts soon";
    greeting: "{name}，您好：", "Dear {name},";
    with: "洽谈对象：", "With: ";
    when: "时间：", "When: ";
    table: "洽谈桌：", "Table: ";
    event: "活动：", "Event: ";
    cancelled_line: "这场洽谈已取消，该时段已释放。", "This meeting is off; its slot is free again.";
    see: "查看我的洽谈：", "Your meetings: ";
    calendar: "附件中的日历邀请可一键加入日历。", "The calendar invitation attached adds it to your calendar in one tap.";
}

/// What happened to the meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Accepted,
    Moved,
    Cancelled,
    Reminder,
}

/// One meeting with everything its emails say.
pub struct Meeting<'a> {
    pub request: &'a meeting_request::Model,
    pub event: &'a event::Model,
    pub host: &'a meeting_host::Model,
    pub guest: &'a registration::Model,
    pub table: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The guest's private page, for their link.
    pub guest_page: String,
    /// The host's own page, for theirs.
    pub host_page: String,
}

/// One reader of a meeting email.
struct Reader<'a> {
    name: &'a str,
    email: &'a str,
    lang: Lang,
    other: String,
    link: Option<&'a str>,
}

/// Queues the change's email to the guest and, when they have an address, to the host.
pub async fn send(
    db: &impl ConnectionTrait,
    settings: &MailSettings,
    meeting: &Meeting<'_>,
    change: Change,
) -> Result<(), sea_orm::DbErr> {
    for row in rows(settings, meeting, change, Utc::now()) {
        row.insert(db).await?;
    }
    Ok(())
}

/// The outbox rows of the change's emails (the guest's and, when they have an address, the
/// host's), for [`send`] or for a caller that inserts many together.
pub fn rows(
    settings: &MailSettings,
    meeting: &Meeting<'_>,
    change: Change,
    now: DateTime<Utc>,
) -> Vec<outbox_message::ActiveModel> {
    let host = meeting.host;
    let guest = meeting.guest;
    let guest_other = if host.organization.is_empty() {
        host.name.clone()
    } else {
        format!("{} · {}", host.name, host.organization)
    };
    let host_other =
        if guest.company.is_empty() { guest.name.clone() } else { format!("{} · {}", guest.name, guest.company) };
    let readers = [
        Reader {
            name: &guest.name,
            email: &guest.email,
            lang: guest.language,
            other: guest_other,
            link: Some(&meeting.guest_page),
        },
        Reader {
            name: &host.name,
            email: &host.email,
            lang: host.language,
            other: host_other,
            link: Some(&meeting.host_page),
        },
    ];
    let mut rows = Vec::new();
    for reader in readers {
        if reader.email.is_empty() || reader.email.ends_with(crate::mail::ERASED_DOMAIN) {
            continue;
        }
        let composed = compose(settings, meeting, &reader, change, now);
        let message = NewMessage {
            organization_id: Some(meeting.event.organization_id),
            registration_id: (reader.email == guest.email).then_some(guest.id),
            kind: if change == Change::Reminder { MessageKind::MeetingReminder } else { MessageKind::Meeting },
            to_address: reader.email.to_string(),
            to_name: reader.name.to_string(),
            composed,
        };
        rows.push(outbox_row(settings, message, now));
    }
    rows
}

fn compose(
    settings: &MailSettings,
    m: &Meeting<'_>,
    reader: &Reader<'_>,
    change: Change,
    now: DateTime<Utc>,
) -> Composed {
    let lang = reader.lang;
    let t = texts(lang);
    let tz: Tz = m.event.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let headline = match change {
        Change::Accepted => t.accepted,
        Change::Moved => t.moved,
        Change::Cancelled => t.cancelled,
        Change::Reminder => t.reminder,
    };
    let title = lang.pick(&m.event.title_zh, &m.event.title_en);
    let time = when(lang, tz, m.starts_at, m.ends_at);
    let subject = format!("{headline}: {} · {time}", reader.other);
    let mut lines = vec![
        (t.with, reader.other.clone()),
        (t.when, time.clone()),
        (t.table, m.table.clone()),
        (t.event, title.to_string()),
    ];
    if let Some(link) = reader.link {
        lines.push((t.see, format!("{link}#meetings")));
    }
    let greeting = t.greeting.replace("{name}", reader.name);
    let mut text = format!("{greeting}\n\n{headline}\n\n");
    let mut html = format!("<p>{}</p><h1 style=\"font-size:20px\">{}</h1>", escape(&greeting), escape(headline));
    if change == Change::Cancelled {
        text.push_str(&format!("{}\n\n", t.cancelled_line));
        html.push_str(&format!("<p>{}</p>", escape(t.cancelled_line)));
    }
    for (label, value) in &lines {
        text.push_str(&format!("{label}{value}\n"));
        html.push_str(&format!("<p><strong>{}</strong>{}</p>", escape(label), escape(value)));
    }
    let calendar = (change != Change::Reminder).then(|| {
        text.push_str(&format!("\n{}\n", t.calendar));
        let method = if change == Change::Cancelled { Method::Cancel } else { Method::Request };
        let uid = format!("meeting-{}@{}", m.request.id, settings.domain());
        let place = [m.table.as_str(), m.event.venue_name.as_str(), m.event.city.as_str()]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let summary = format!("{} — {}", reader.other, title);
        let url = reader.link.map(|l| format!("{l}#meetings")).unwrap_or_else(|| settings.event_url(&m.event.slug));
        let ics = Invitation {
            method,
            uid: &uid,
            sequence: m.request.sequence,
            stamp: now,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            summary: &summary,
            location: &place,
            description: &m.request.message,
            url: &url,
            organizer_name: &settings.from_name,
            organizer_email: &settings.from_email,
            attendee_name: reader.name,
            attendee_email: reader.email,
        }
        .to_ics();
        (method, ics)
    });
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"margin:0;padding:16px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif;color:#1f2933\">\
         <div style=\"max-width:560px;margin:0 auto\">{html}</div></body></html>",
        lang.html_tag(),
        escape(&subject),
    );
    Composed { subject, text, html, calendar }
}

/// The meeting's end, from its start and the slot's length.
pub fn ends(starts_at: DateTime<Utc>, slot_minutes: i32) -> DateTime<Utc> {
    starts_at + Duration::minutes(i64::from(slot_minutes))
}
