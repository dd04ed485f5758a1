//! The emails a registration causes, in the guest's language: both a plain-text and an
//! HTML part, and for confirmed seats an iCalendar invitation.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::calendar::{Invitation, Method};
use super::qr;
use crate::domain::{MessageKind, RegistrationStatus};
use crate::entities::{event, registration};
use crate::html::escape;
use crate::i18n::{Lang, format_span, texts_of, waitlist_position};

/// Why a guest gets an email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    /// Registered with a seat.
    Confirmation,
    /// Registered on the waitlist.
    Waitlisted,
    /// Moved from the waitlist to a seat.
    Promoted,
    /// Changed their registration (or registered again with the same email).
    Updated,
    /// Cancelled their registration.
    Cancelled,
    /// The organizer cancelled the event.
    EventCancelled,
    /// The organizer moved the event (time or place).
    EventChanged,
}

impl From<MailKind> for MessageKind {
    fn from(kind: MailKind) -> Self {
        match kind {
            MailKind::Confirmation => Self::Confirmation,
            MailKind::Waitlisted => Self::Waitlisted,
            MailKind::Promoted => Self::Promoted,
            MailKind::Updated => Self::Updated,
            MailKind::Cancelled => Self::Cancelled,
            MailKind::EventCancelled => Self::EventCancelled,
            MailKind::EventChanged => Self::EventChanged,
        }
    }
}

/// Whether the email `kind` to a registration in `status` carries a calendar
/// invitation: a request for a seat, or a cancellation of invitations sent before.
pub fn carries_calendar(kind: MailKind, status: RegistrationStatus, invitations_sent: i32) -> bool {
    let seat = matches!(kind, MailKind::Confirmation | MailKind::Promoted | MailKind::Updated | MailKind::EventChanged)
        && status == RegistrationStatus::Confirmed;
    seat || (matches!(kind, MailKind::Cancelled | MailKind::EventCancelled) && invitations_sent > 0)
}

texts_of! {
    /// What the registration emails say (`{title}`: the event's, `{name}`: the guest's).
    struct MailTexts, fn mail_texts;
    confirmation_subject: "报名成功：{title}", "You're registered: {title}";
    confirmation_lead: "您的席位已确认。", "Your seat is confirmed.";
    waitlisted_subject: "已加入候补：{title}", "You're on the waitlist: {title}";
    waitlisted_lead: "活动已满，您已进入候补名单；一有空位我们会自动为您确认并发邮件通知。", "The event is full. You are on the waitlist; if a seat frees up it is yours automatically and we will email you. ";
    promoted_subject: "候补转正：{title}", "A seat is yours: {title}";
    promoted_lead: "有席位空出，您的报名已从候补转为确认。", "A seat became free and your registration moved from the waitlist to confirmed.";
    updated_subject: "报名信息已更新：{title}", "Registration updated: {title}";
    updated_lead: "您的报名信息已更新。", "Your registration has been updated.";
    cancelled_subject: "报名已取消：{title}", "Registration cancelled: {title}";
    cancelled_lead: "您的报名已取消。", "Your registration has been cancelled.";
    event_cancelled_subject: "活动取消：{title}", "Event cancelled: {title}";
    event_cancelled_lead: "很抱歉，主办方已取消本次活动。", "We are sorry: the organizer has cancelled this event.";
    event_changed_subject: "活动时间或地点变更：{title}", "Event changed: {title}";
    event_changed_lead: "主办方更新了活动的时间或地点，请以下方信息为准。", "The organizer has changed the time or place of the event; the details below are current.";
    greeting: "{name}，您好：", "Dear {name},";
    when: "时间", "When";
    your_time: "您当地时间", "Your time";
    place: "地点", "Where";
    check_in_code: "签到码（入场时出示二维码或报出此码）", "Check-in code (show the QR code or say this code at the door)";
    manage_link: "查看、修改或取消报名（私人链接，请勿转发）", "View, change or cancel your registration (private link, do not forward)";
    event_page: "活动页面", "Event page";
    check_in_qr: "入场签到二维码：", "Your check-in code for the door:";
    manage_button: "查看、修改或取消报名", "View, change or cancel";
    private_link: "这是您的私人链接，请勿转发。", "This link is private to you: please do not forward it.";
}

/// Everything the registration emails say.
pub struct RegistrationMail<'a> {
    pub kind: MailKind,
    pub event: &'a event::Model,
    pub registration: &'a registration::Model,
    pub manage_url: &'a str,
    pub event_url: &'a str,
    pub waitlist_position: Option<u64>,
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    /// Host part of `UID`s and `Message-ID`s.
    pub domain: &'a str,
    pub now: DateTime<Utc>,
}

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub calendar: Option<(Method, String)>,
}

/// `Wed 15 Mar 2023 09:30–12:00 (Asia/Shanghai, UTC+08:00)`.
pub fn when(lang: Lang, tz: Tz, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let span = format_span(lang, starts.with_timezone(&tz).naive_local(), ends.with_timezone(&tz).naive_local());
    format!("{span} ({}, UTC{})", tz.name(), starts.with_timezone(&tz).format("%:z"))
}

impl RegistrationMail<'_> {
    fn lang(&self) -> Lang {
        self.registration.language
    }

    pub fn compose(&self) -> Composed {
        let lang = self.lang();
        let e = self.event;
        let r = self.registration;
        let title = lang.pick(&e.title_zh, &e.title_en);
        let venue_tz: Tz = e.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let venue_when = when(lang, venue_tz, e.starts_at, e.ends_at);
        let guest_when = r
            .time_zone
            .parse::<Tz>()
            .ok()
            .filter(|tz| tz.name() != venue_tz.name())
            .map(|tz| when(lang, tz, e.starts_at, e.ends_at));
        let place = [e.venue_name.as_str(), e.venue_address.as_str(), e.city.as_str()]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let m = mail_texts(lang);
        let titled = |text: &str| text.replace("{title}", title);
        let (subject, lead) = match self.kind {
            MailKind::Confirmation => (titled(m.confirmation_subject), m.confirmation_lead.to_string()),
            MailKind::Waitlisted => (
                titled(m.waitlisted_subject),
                format!(
                    "{}{}",
                    m.waitlisted_lead,
                    self.waitlist_position.map(|n| waitlist_position(lang, n)).unwrap_or_default()
                ),
            ),
            MailKind::Promoted => (titled(m.promoted_subject), m.promoted_lead.to_string()),
            MailKind::Updated => (titled(m.updated_subject), m.updated_lead.to_string()),
            MailKind::Cancelled => (titled(m.cancelled_subject), m.cancelled_lead.to_string()),
            MailKind::EventCancelled => (titled(m.event_cancelled_subject), m.event_cancelled_lead.to_string()),
            MailKind::EventChanged => (titled(m.event_changed_subject), m.event_changed_lead.to_string()),
        };
        let seat = matches!(
            self.kind,
            MailKind::Confirmation | MailKind::Promoted | MailKind::Updated | MailKind::EventChanged
        ) && r.status == RegistrationStatus::Confirmed;
        let greeting = m.greeting.replace("{name}", &r.name);

        let mut text = format!("{greeting}\n\n{lead}\n\n{title}\n{}: {venue_when}\n", m.when);
        if let Some(g) = &guest_when {
            text.push_str(&format!("{}: {g}\n", m.your_time));
        }
        text.push_str(&format!("{}: {place}\n", m.place));
        if seat {
            text.push_str(&format!("\n{}: {}\n", m.check_in_code, r.check_in_code));
        }
        if self.kind != MailKind::EventCancelled {
            text.push_str(&format!("\n{}:\n{}\n", m.manage_link, self.manage_url));
        }
        text.push_str(&format!("\n{}: {}\n\n— {}\n", m.event_page, self.event_url, self.organizer_name));

        let mut html = format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\
             <body style=\"margin:0;padding:16px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif;color:#1f2933;background:#f5f7fa\">\
             <div style=\"max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:20px\">\
             <p>{}</p><p style=\"font-size:16px\"><strong>{}</strong></p>\
             <h1 style=\"font-size:20px;margin:16px 0 8px\"><a href=\"{}\" style=\"color:#0b5cad\">{}</a></h1>\
             <p style=\"margin:4px 0\"><strong>{}:</strong> {}</p>",
            lang.html_tag(),
            escape(&subject),
            escape(&greeting),
            escape(&lead),
            escape(self.event_url),
            escape(title),
            m.when,
            escape(&venue_when),
        );
        if let Some(g) = &guest_when {
            html.push_str(&format!("<p style=\"margin:4px 0\"><strong>{}:</strong> {}</p>", m.your_time, escape(g)));
        }
        html.push_str(&format!("<p style=\"margin:4px 0\"><strong>{}:</strong> {}</p>", m.place, escape(&place)));
        if seat {
            html.push_str(&format!(
                "<p style=\"margin:16px 0 4px\">{}</p>{}<p style=\"font-family:monospace;font-size:18px;letter-spacing:2px\">{}</p>",
                m.check_in_qr,
                qr::placeholder(&r.check_in_code),
                escape(&r.check_in_code)
            ));
        }
        if self.kind != MailKind::EventCancelled {
            html.push_str(&format!(
                "<p style=\"margin:20px 0\"><a href=\"{}\" style=\"display:inline-block;background:#0b5cad;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none\">{}</a></p>\
                 <p style=\"font-size:12px;color:#616e7c\">{}</p>",
                escape(self.manage_url),
                m.manage_button,
                m.private_link,
            ));
        }
        html.push_str(&format!("<p style=\"color:#616e7c\">— {}</p></div></body></html>", escape(self.organizer_name)));

        let method = match carries_calendar(self.kind, r.status, r.calendar_sequence) {
            false => None,
            true if seat => Some(Method::Request),
            true => Some(Method::Cancel),
        };
        let calendar = method.map(|method| {
            let description = format!("{}\n{}", self.event_url, self.manage_url);
            let ics = Invitation {
                method,
                uid: &format!("registration-{}@{}", r.id, self.domain),
                sequence: r.calendar_sequence,
                stamp: self.now,
                starts_at: e.starts_at,
                ends_at: e.ends_at,
                summary: title,
                location: &place,
                description: &description,
                url: self.event_url,
                organizer_name: self.organizer_name,
                organizer_email: self.organizer_email,
                attendee_name: &r.name,
                attendee_email: &r.email,
            }
            .to_ics();
            (method, ics)
        });
        Composed { subject, text, html, calendar }
    }
}

texts_of! {
    /// What an invitation says (`{organizer}`, `{name}`). An invitee's language is not
    /// known, so the email says it in both, Chinese first.
    struct InvitationTexts, fn invitation_texts;
    subject: "邀请函", "Invitation";
    greeting: "{name}，您好：", "Dear {name},";
    greeting_anonymous: "您好：", "Hello,";
    invites_you: "{organizer}诚邀您出席：", "{organizer} invites you to:";
    when: "时间：", "When: ";
    place: "地点：", "Where: ";
    invitation_only: "本活动仅限受邀嘉宾，请通过您的专属链接报名：", "This event is by invitation only. Register with your personal link:";
    register: "报名", "Register";
    personal: "本链接仅供您本人使用。", "This link is personal to you.";
}

/// An invitation to an invite-only event, in both languages.
pub fn invitation_mail(event: &event::Model, name: &str, link: &str, organizer: &str) -> Composed {
    let tz: Tz = event.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let place = [event.venue_name.as_str(), event.city.as_str()]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let (zh, en) = (invitation_texts(Lang::Zh), invitation_texts(Lang::En));
    let subject = format!("{} {}: {}", zh.subject, en.subject, Lang::Zh.pick(&event.title_zh, &event.title_en));
    // Each language's part: (greeting, who invites, title, when).
    let part = |lang: Lang| {
        let t = invitation_texts(lang);
        let greeting =
            if name.is_empty() { t.greeting_anonymous.to_string() } else { t.greeting.replace("{name}", name) };
        let title = lang.pick(&event.title_zh, &event.title_en);
        (
            t,
            greeting,
            t.invites_you.replace("{organizer}", organizer),
            title,
            when(lang, tz, event.starts_at, event.ends_at),
        )
    };
    let text: Vec<String> = [Lang::Zh, Lang::En]
        .into_iter()
        .map(|lang| {
            let (t, greeting, invites, title, when) = part(lang);
            format!(
                "{greeting}\n\n{invites}{title}\n{}{when}\n{}{place}\n\n{}\n{link}\n",
                t.when, t.place, t.invitation_only
            )
        })
        .collect();
    let blocks: String = [(Lang::Zh, "zh-CN", "h1", 20), (Lang::En, "en", "h2", 18)]
        .into_iter()
        .map(|(lang, tag, heading, size)| {
            let (t, greeting, invites, title, when) = part(lang);
            format!(
                "<div lang=\"{tag}\"><p>{}</p><p>{}</p><{heading} style=\"font-size:{size}px\">{}</{heading}>\
                 <p><strong>{}</strong>{}</p><p><strong>{}</strong>{}</p></div>",
                escape(&greeting),
                escape(&invites),
                escape(title),
                escape(t.when),
                escape(&when),
                escape(t.place),
                escape(&place),
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"margin:0;padding:16px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif;color:#1f2933;background:#f5f7fa\">\
         <div style=\"max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:20px\">{blocks}\
         <p style=\"margin:20px 0\"><a href=\"{}\" style=\"display:inline-block;background:#0b5cad;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none\">{} {}</a></p>\
         <p style=\"font-size:12px;color:#616e7c\">{}{}</p></div></body></html>",
        escape(&subject),
        escape(link),
        zh.register,
        en.register,
        zh.personal,
        en.personal,
    );
    Composed { subject, text: text.join("\n—\n\n"), html, calendar: None }
}
