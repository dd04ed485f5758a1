//! Email through a real SMTP server (aiosmtpd): what guests receive, parsed as a mail
//! client would, and how delivery behaves when the server is down, defers or refuses.

use app::domain::OutboxStatus;
use app::invitations::{InvitationRow, InviteOutcome};
use app::outbox::OutboxList;
use app::registrations::RegistrationOutcome;
use leptos::server_fn::ServerFn as _;
use mail_parser::{MessageParser, MimeHeaders};

use crate::registrations::{guest, published_event};
use crate::support::{Backend, SmtpSink, TestApp, as_refs, field_errors, with};

pub struct Received {
    pub subject: String,
    pub message_id: String,
    pub to: String,
    pub text: String,
    pub html: String,
    /// `(method, body)` of the `text/calendar` part.
    pub calendar: Option<(String, String)>,
    pub attachment_names: Vec<String>,
}

pub fn parse(raw: &[u8]) -> Received {
    let message = MessageParser::default().parse(raw).expect("a parseable message");
    let calendar = message.parts.iter().find_map(|part| {
        let ct = part.content_type()?;
        if ct.ctype() != "text" || ct.subtype() != Some("calendar") {
            return None;
        }
        Some((ct.attribute("method").unwrap_or_default().to_string(), part.text_contents()?.to_string()))
    });
    Received {
        subject: message.subject().unwrap_or_default().to_string(),
        message_id: message.message_id().unwrap_or_default().to_string(),
        to: message.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_string(),
        text: message.body_text(0).unwrap_or_default().to_string(),
        html: message.body_html(0).unwrap_or_default().to_string(),
        calendar,
        attachment_names: message.attachments().filter_map(|a| a.attachment_name().map(str::to_string)).collect(),
    }
}

async fn register_as(app: &TestApp, slug: &str, email: &str, name: &str, language: &str) -> RegistrationOutcome {
    let fields =
        with(&guest(slug, email, name), &[("form[language]", language), ("form[time_zone]", "America/New_York")]);
    let response = app.call(app::registrations::Register::PATH, &as_refs(&fields)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn outbox_status(app: &TestApp, to: &str) -> (String, i64) {
    let newest = format!("FROM outbox_message WHERE to_address = '{to}' ORDER BY id DESC LIMIT 1");
    let status: String = app.scalar(&format!("SELECT status AS v {newest}")).await;
    let attempts: i32 = app.scalar(&format!("SELECT attempts AS v {newest}")).await;
    (status, attempts as i64)
}

/// Polls until the newest message to `to` has `status`.
async fn eventually_status(app: &TestApp, to: &str, status: &str) -> i64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (now, attempts) = outbox_status(app, to).await;
        if now == status {
            return attempts;
        }
        assert!(std::time::Instant::now() < deadline, "{to}: {now} after {attempts} attempts, expected {status}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn guests_receive_confirmation_changes_and_cancellation_with_calendar(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Hunan Bureau", "owner@example.com").await;
    let slug = published_event(&app, "frankfurt-mail", 1, &[]).await;

    // Arrange: one seat, taken by Wang (English); Li (Chinese) waits.
    let wang = register_as(&app, &slug, "wang@example.com", "Wang <Fang> & Co", "en").await;
    let li = register_as(&app, &slug, "li@example.com", "李雷", "zh").await;
    let received = sink.wait_for(2).await;
    let confirmation = received.iter().map(|m| parse(m)).find(|m| m.to == "wang@example.com").unwrap();

    // What Wang's phone sees: subject, both parts, a calendar invitation.
    assert_eq!(confirmation.subject, "You're registered: Yueyang Advanced Equipment Forum — Frankfurt");
    let stored_id: String =
        app.scalar("SELECT message_id AS v FROM outbox_message WHERE to_address = 'wang@example.com'").await;
    assert_eq!(format!("<{}>", confirmation.message_id), stored_id, "the Message-ID fixed at queueing");
    let token = wang.manage_token.as_deref().unwrap();
    assert!(confirmation.text.contains(&format!("{}/r/{token}", app.base)), "{}", confirmation.text);
    assert!(
        confirmation.text.contains("Mon 15 Mar 2027 14:00–17:30 (Europe/Berlin, UTC+01:00)"),
        "{}",
        confirmation.text
    );
    assert!(confirmation.text.contains("Your time: Mon 15 Mar 2027 09:00–12:30 (America/New_York, UTC-04:00)"));
    let code = app.count("registration WHERE check_in_code LIKE 'RS-%'").await;
    assert_eq!(code, 2);
    assert!(confirmation.text.contains("Check-in code"));
    assert!(confirmation.html.contains("Wang &lt;Fang&gt; &amp; Co"), "the guest's name is escaped in HTML");
    assert!(!confirmation.html.contains("<Fang>"));
    assert!(confirmation.html.contains("<table role=\"img\""), "the QR code is drawn in the HTML part");
    let (method, ics) = confirmation.calendar.expect("a text/calendar part");
    assert_eq!(method, "REQUEST");
    assert!(confirmation.attachment_names.iter().any(|n| n == "invite.ics"));
    let unfolded = ics.replace("\r\n ", "");
    let id = wang.id;
    assert!(unfolded.contains(&format!("UID:registration-{id}@roadshow.test\r\n")), "{unfolded}");
    assert!(unfolded.contains("METHOD:REQUEST\r\nBEGIN:VEVENT") || unfolded.contains("METHOD:REQUEST\r\n"));
    assert!(unfolded.contains("SEQUENCE:0\r\n"));
    assert!(unfolded.contains("DTSTART:20270315T130000Z\r\n"), "14:00 in Frankfurt is 13:00 UTC");
    assert!(ics.split("\r\n").all(|line| line.len() <= 75));

    let waitlisted = received.iter().map(|m| parse(m)).find(|m| m.to == "li@example.com").unwrap();
    assert!(waitlisted.subject.starts_with("已加入候补"), "{}", waitlisted.subject);
    assert!(waitlisted.calendar.is_none(), "no seat, no calendar entry");

    // Act: Wang cancels; Li moves up.
    assert_eq!(app.call(app::registrations::CancelRegistration::PATH, &[("token", token)]).await.status(), 200);
    let received = sink.wait_for(4).await;
    let later: Vec<Received> = received[2..].iter().map(|m| parse(m)).collect();
    let cancelled = later.iter().find(|m| m.to == "wang@example.com").expect("a cancellation");
    let (method, ics) = cancelled.calendar.clone().expect("a cancelling invitation");
    assert_eq!(method, "CANCEL");
    let ics = ics.replace("\r\n ", "");
    assert!(ics.contains(&format!("UID:registration-{id}@roadshow.test\r\n")) && ics.contains("SEQUENCE:1\r\n"));
    let promoted = later.iter().find(|m| m.to == "li@example.com").expect("a promotion");
    assert!(promoted.subject.starts_with("候补转正"), "{}", promoted.subject);
    assert_eq!(promoted.calendar.as_ref().map(|c| c.0.as_str()), Some("REQUEST"));
    assert!(li.manage_token.is_some());
    assert_eq!(sink.messages().len(), 4, "one message per change, no copies");
}

async fn smtp_down_at_send_time_then_up_delivers_exactly_once(backend: Backend) {
    let port = SmtpSink::free_port();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(port)).start().await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "down-then-up", 10, &[]).await;
    register_as(&app, &slug, "early@example.com", "Early Bird", "en").await;

    let attempts = eventually_status(&app, "early@example.com", "retrying").await;
    assert!(attempts >= 1, "connection refused counts as an attempt to retry");

    let sink = SmtpSink::start_on(port);
    eventually_status(&app, "early@example.com", "sent").await;
    sink.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 1, "exactly one copy");
}

async fn a_451_is_retried_and_a_550_is_not(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "faults", 10, &[]).await;
    register_as(&app, &slug, "defer451-2@example.com", "Deferred", "en").await;
    register_as(&app, &slug, "reject550@example.com", "Rejected", "en").await;

    assert_eq!(eventually_status(&app, "defer451-2@example.com", "sent").await, 3, "two 451s, then accepted");
    assert_eq!(eventually_status(&app, "reject550@example.com", "failed").await, 1, "a 550 is final");
    let error = app.count("outbox_message WHERE status = 'failed' AND last_error LIKE '%550%'").await;
    assert_eq!(error, 1, "the refusal is recorded");
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let received: Vec<Received> = sink.messages().iter().map(|m| parse(m)).collect();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, "defer451-2@example.com");
}

async fn without_smtp_mail_goes_to_a_folder_and_the_outbox_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    let slug = published_event(&app, "folder-mail", 10, &[]).await;
    register_as(&app, &slug, "guest@example.com", "Guest", "en").await;
    eventually_status(&app, "guest@example.com", "sent").await;
    let files = app.mail_files();
    assert_eq!(files.len(), 1);
    assert_eq!(parse(&files[0]).to, "guest@example.com");

    let owner = app.signed_in("owner@example.com").await;
    let list: OutboxList = app.call_as(&owner, app::outbox::ListOutbox::PATH, &[]).await.json().await.unwrap();
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.rows[0].status, OutboxStatus::Sent);
    let id = list.rows[0].id.to_string();
    let page = owner.get(app.url(&format!("/admin/outbox/{id}"))).header("accept-language", "en").send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("You&#x27;re registered") || page.contains("You're registered"), "{page}");
    assert!(page.contains("BEGIN:VCALENDAR"));

    // Another organization sees none of it.
    let county = app.signed_in("county@example.com").await;
    let theirs: OutboxList = app.call_as(&county, app::outbox::ListOutbox::PATH, &[]).await.json().await.unwrap();
    assert_eq!(theirs.rows.len(), 0);
    assert_eq!(app.call_as(&county, app::outbox::GetOutboxMessage::PATH, &[("id", &id)]).await.status(), 404);
    assert_eq!(app.call(app::outbox::ListOutbox::PATH, &[]).await.status(), 401);
}

async fn cancelling_an_event_emails_its_guests_once(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "to-be-cancelled", 1, &[]).await;
    register_as(&app, &slug, "seated@example.com", "Seated", "en").await;
    register_as(&app, &slug, "waiting@example.com", "Waiting", "zh").await;
    sink.wait_for(2).await;

    let owner = app.signed_in("owner@example.com").await;
    let id = app.event_id(&slug).await.to_string();
    for _ in 0..2 {
        let response =
            app.call_as(&owner, app::events::SetEventStatus::PATH, &[("id", &id), ("status", "cancelled")]).await;
        assert_eq!(response.status(), 200);
    }
    let received: Vec<Received> = sink.wait_for(4).await.iter().map(|m| parse(m)).collect();
    let seated = received[2..].iter().find(|m| m.to == "seated@example.com").expect("the seated guest is told");
    assert!(seated.subject.starts_with("Event cancelled"), "{}", seated.subject);
    assert_eq!(seated.calendar.as_ref().map(|c| c.0.as_str()), Some("CANCEL"));
    let waiting = received[2..].iter().find(|m| m.to == "waiting@example.com").expect("the waitlisted guest too");
    assert!(waiting.subject.starts_with("活动取消"));
    assert!(waiting.calendar.is_none());
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), 4, "cancelling twice emails once");
    let closed =
        app.call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "late@example.com", "Late"))).await;
    assert_eq!(closed.status(), 409);
}

async fn invitees_register_only_through_their_own_link(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    let slug = published_event(&app, "closed-door", 10, &[("form[visibility]", "invite_only")]).await;
    let other = published_event(&app, "other-closed-door", 10, &[("form[visibility]", "invite_only")]).await;
    let event_id = app.event_id(&slug).await.to_string();
    let owner = app.signed_in("owner@example.com").await;
    let invite = |list: &'static str| {
        let (owner, event_id, app) = (owner.clone(), event_id.clone(), &app);
        async move {
            app.call_as(
                &owner,
                app::invitations::Invite::PATH,
                &[("event_id", event_id.as_str()), ("form[list]", list)],
            )
            .await
        }
    };

    let bad = invite("Wang Fang <wang@example.com>\nnot an address").await;
    assert_eq!(bad.status(), 422);
    assert_eq!(field_errors(bad).await, vec![("list".to_string(), "invalid_invite_line".to_string())]);
    assert_eq!(app.count("invitation").await, 0, "nothing half-written");
    let county = app.signed_in("county@example.com").await;
    let foreign = app
        .call_as(
            &county,
            app::invitations::Invite::PATH,
            &[("event_id", event_id.as_str()), ("form[list]", "x@example.com")],
        )
        .await;
    assert_eq!(foreign.status(), 404);

    let sent: InviteOutcome =
        invite("name,email\nWang Fang,wang@example.com\nli@example.com").await.json().await.unwrap();
    assert_eq!((sent.invited, sent.already), (2, 0));
    let again: InviteOutcome = invite("wang@example.com").await.json().await.unwrap();
    assert_eq!((again.invited, again.already), (0, 1), "invited once, emailed once");

    let received: Vec<Received> = sink.wait_for(2).await.iter().map(|m| parse(m)).collect();
    let wang = received.iter().find(|m| m.to == "wang@example.com").expect("an invitation");
    assert!(wang.subject.starts_with("邀请函 Invitation: "), "{}", wang.subject);
    // The invitee's language is not known: the email says everything in both.
    for part in [
        "Wang Fang，您好：",
        "诚邀您出席：",
        "时间：",
        "地点：",
        "Dear Wang Fang,",
        "invites you to:",
        "When: ",
        "Where: ",
    ] {
        assert!(wang.text.contains(part), "{part} in {}", wang.text);
    }
    assert!(wang.html.contains("<div lang=\"zh-CN\">") && wang.html.contains("<div lang=\"en\">"));
    assert!(wang.html.contains(">报名 Register</a>"), "{}", wang.html);
    let link = wang.text.lines().find(|l| l.contains("?invite=")).expect("a personal link").trim().to_string();
    let token = link.split("?invite=").nth(1).unwrap().to_string();
    assert!(link.starts_with(&format!("{}/e/{slug}", app.base)));

    // The link opens the form for the invited address; nothing else does.
    let page = app.html(&format!("/e/{slug}?invite={token}"), ("accept-language", "en")).await;
    assert!(
        page.contains("You are invited") && page.contains("wang@example.com") && page.contains("register-form"),
        "{page}"
    );
    let plain = app.html(&format!("/e/{slug}"), ("accept-language", "en")).await;
    assert!(!plain.contains("register-form") && plain.contains("by invitation only"));
    let forged = format!("{}0", &token[..token.len() - 1]);
    let forged = if forged == token { format!("{}1", &token[..token.len() - 1]) } else { forged };
    for (s, t) in [(slug.as_str(), forged.as_str()), (other.as_str(), token.as_str())] {
        let fields = with(&guest(s, "wang@example.com", "Wang"), &[("invite", t)]);
        assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&fields)).await.status(), 404, "{s} {t}");
    }
    let without =
        app.call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "wang@example.com", "Wang"))).await;
    assert_eq!(without.status(), 409);

    // Registering through the link registers the invited address, whatever was typed.
    let fields = with(&guest(&slug, "someone.else@example.com", "Wang Fang"), &[("invite", token.as_str())]);
    let registered = app.call(app::registrations::Register::PATH, &as_refs(&fields)).await;
    assert_eq!(registered.status(), 200);
    assert_eq!(app.count("registration WHERE email = 'wang@example.com' AND consent_source = 'invitation'").await, 1);
    assert_eq!(app.count("registration WHERE email = 'someone.else@example.com'").await, 0);
    let list: Vec<InvitationRow> = app
        .call_as(&owner, app::invitations::ListInvitations::PATH, &[("event_id", event_id.as_str())])
        .await
        .json()
        .await
        .unwrap();
    let registered: Vec<bool> = list.iter().map(|r| r.registered).collect();
    assert_eq!(registered, [true, false]);
}

async fn moving_the_event_updates_invitations_and_new_seats_go_to_the_waitlist(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "moving-stop", 1, &[]).await;
    let seated = register_as(&app, &slug, "seated@example.com", "Seated", "en").await;
    register_as(&app, &slug, "waiting@example.com", "Waiting", "en").await;
    sink.wait_for(2).await;

    // The organizer moves the stop an hour later and adds a seat.
    let owner = app.signed_in("owner@example.com").await;
    let id = app.event_id(&slug).await.to_string();
    let fields = with(
        &crate::support::event_fields(&slug),
        &[
            ("id", id.as_str()),
            ("form[starts_local]", "2027-03-15T15:00"),
            ("form[ends_local]", "2027-03-15T18:30"),
            ("form[capacity]", "2"),
        ],
    );
    let updated = app.call_as(&owner, app::events::UpdateEvent::PATH, &as_refs(&fields)).await;
    assert_eq!(updated.status(), 200, "{}", updated.text().await.unwrap_or_default());

    let received: Vec<Received> = sink.wait_for(4).await.iter().map(|m| parse(m)).collect();
    let moved = received[2..].iter().find(|m| m.to == "seated@example.com").expect("the seated guest is told");
    assert!(moved.subject.starts_with("Event changed"), "{}", moved.subject);
    let (method, ics) = moved.calendar.clone().expect("an updated invitation");
    let ics = ics.replace("\r\n ", "");
    assert_eq!(method, "REQUEST");
    let uid = format!("UID:registration-{}@roadshow.test\r\n", seated.id);
    assert!(
        ics.contains(&uid) && ics.contains("SEQUENCE:1\r\n") && ics.contains("DTSTART:20270315T140000Z\r\n"),
        "{ics}"
    );
    let promoted = received[2..].iter().find(|m| m.to == "waiting@example.com").expect("the added seat is given");
    assert!(promoted.subject.starts_with("A seat is yours"));
    assert_eq!(app.count("registration WHERE status = 'confirmed'").await, 2);

    // Saving again without moving anything sends nothing.
    let unchanged = app.call_as(&owner, app::events::UpdateEvent::PATH, &as_refs(&fields)).await;
    assert_eq!(unchanged.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), 4);
    crate::registrations::assert_seat_counts_hold(&app).await;
}

/// A busy outbox: the worker records what it learns at the same moment together (on
/// PostgreSQL in one statement, a failure beside them in a transaction). Every message goes
/// once, each row says so once, and the refused one is recorded as refused.
async fn a_busy_outbox_sends_and_records_each_message_once(backend: Backend) {
    const GUESTS: usize = 120;
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "busy-outbox", 200, &[]).await;
    let mut addresses: Vec<String> = (0..GUESTS).map(|i| format!("busy-{i}@example.com")).collect();
    addresses.push("busy-reject550@example.com".into());
    futures::future::join_all(addresses.iter().map(|to| register_as(&app, &slug, to, "Busy Guest", "en"))).await;

    sink.wait_for(GUESTS).await;
    eventually_status(&app, "busy-reject550@example.com", "failed").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.count("outbox_message WHERE status = 'sent'").await < GUESTS as i64 {
        assert!(std::time::Instant::now() < deadline, "not every delivery recorded");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;

    let received: Vec<Received> = sink.messages().iter().map(|m| parse(m)).collect();
    assert!(received.len() >= GUESTS);
    let ids: std::collections::HashSet<&str> = received.iter().map(|r| r.message_id.as_str()).collect();
    assert_eq!((received.len(), ids.len()), (GUESTS, GUESTS), "each message once");
    let recorded = "outbox_message WHERE status = 'sent' AND attempts = 1 AND sent_at IS NOT NULL \
                    AND claim_token IS NULL AND lease_until IS NULL AND last_error IS NULL";
    assert_eq!(app.count(recorded).await, GUESTS as i64);
    let refused = "outbox_message WHERE status = 'failed' AND attempts = 1 AND claim_token IS NULL \
                   AND last_error LIKE '%550%' AND to_address = 'busy-reject550@example.com'";
    assert_eq!(app.count(refused).await, 1);
    assert_eq!(app.count("outbox_message").await, GUESTS as i64 + 1);
    assert_eq!(app.count("suppressed_address WHERE reason = 'bounced'").await, 1);
}

on_both_databases!(
    moving_the_event_updates_invitations_and_new_seats_go_to_the_waitlist,
    invitees_register_only_through_their_own_link,
    guests_receive_confirmation_changes_and_cancellation_with_calendar,
    smtp_down_at_send_time_then_up_delivers_exactly_once,
    a_451_is_retried_and_a_550_is_not,
    without_smtp_mail_goes_to_a_folder_and_the_outbox_page,
    cancelling_an_event_emails_its_guests_once,
    a_busy_outbox_sends_and_records_each_message_once,
);
