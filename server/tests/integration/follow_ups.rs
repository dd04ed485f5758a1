//! Follow-up emails through a real SMTP server: rules fire once each at their time (the
//! scheduler is driven with a chosen clock), in each guest's language, from two
//! "processes" at once; one-click unsubscribe and bounces stop marketing email and
//! nothing else.

use app::follow_ups::{FollowUps, Preview, SendOutcome, SendRow};
use app::registrations::RegistrationOutcome;
use chrono::{DateTime, Duration, TimeZone, Utc};
use leptos::server_fn::ServerFn as _;
use mail_parser::MessageParser;
use reqwest::Client;

use crate::registrations::{guest, published_event};
use crate::support::{Backend, SmtpSink, TestApp, as_refs, field_errors, with};

/// The event of `published_event`: Frankfurt, 15 March 2027 14:00–17:30 CET.
pub fn starts() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 15, 13, 0, 0).unwrap()
}

fn ends() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 15, 16, 30, 0).unwrap()
}

async fn run(app: &TestApp, at: DateTime<Utc>) -> u32 {
    app::follow_ups::ssr::run_due(&app.db, &app.mail, at).await.expect("scheduler run")
}

/// The scheduler run at once by this server and by a second process with its own
/// connection to the same database.
async fn run_twice_at_once(app: &TestApp, at: DateTime<Utc>) -> u32 {
    let other = app::db::connect(&app.database_url).await.expect("second connection");
    let (a, b) = tokio::join!(
        app::follow_ups::ssr::run_due(&app.db, &app.mail, at),
        app::follow_ups::ssr::run_due(&other, &app.mail, at)
    );
    a.expect("first process") + b.expect("second process")
}

/// Registers a guest who ticks the consent to follow-up emails.
pub async fn register(app: &TestApp, slug: &str, email: &str, name: &str, language: &str) -> RegistrationOutcome {
    let fields = with(&guest(slug, email, name), &[("form[language]", language), ("form[consent_marketing]", "on")]);
    let response = app.call(app::registrations::Register::PATH, &as_refs(&fields)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    response.json().await.unwrap()
}

pub async fn template(app: &TestApp, owner: &Client, fields: &[(&str, &str)]) -> reqwest::Response {
    let form: Vec<(String, String)> = fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())).collect();
    app.call_as(owner, app::follow_ups::SaveTemplate::PATH, &as_refs(&form)).await
}

pub const THANKS: [(&str, &str); 5] = [
    ("name", "Thanks"),
    ("subject_zh", "{{name}}，感谢参加{{event}}"),
    ("body_zh", "{{name}}您好：\n\n感谢您在{{venue}}与我们见面。\n\n[管理报名]({{manage_link}})\n\n{{signature}}"),
    ("subject_en", "Thank you, {{name}}: {{event}}"),
    (
        "body_en",
        "Dear {{name}},\n\nThank you for meeting us at **{{venue}}** ({{start}}).\n\n[Manage]({{manage_link}})\n\n{{signature}}",
    ),
];

pub async fn rule(app: &TestApp, owner: &Client, fields: &[(&str, &str)]) -> String {
    let form: Vec<(String, String)> = fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())).collect();
    let response = app.call_as(owner, app::follow_ups::SaveRule::PATH, &as_refs(&form)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    response.json::<i32>().await.unwrap().to_string()
}

/// A follow-up as a mail client reads it.
pub struct Mail {
    pub raw: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn follow_ups(raw: &[Vec<u8>]) -> Vec<Mail> {
    raw.iter()
        .filter_map(|bytes| {
            let raw = String::from_utf8_lossy(bytes).to_string();
            let message = MessageParser::default().parse(bytes)?;
            raw.contains("List-Unsubscribe").then(|| Mail {
                to: message.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_string(),
                subject: message.subject().unwrap_or_default().to_string(),
                text: message.body_text(0).unwrap_or_default().to_string(),
                html: message.body_html(0).unwrap_or_default().to_string(),
                raw,
            })
        })
        .collect()
}

async fn rules_fire_once_each_at_their_time_in_each_guests_language(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Hunan Bureau", "owner@example.com").await;
    let slug = published_event(&app, "frankfurt", 2, &[]).await;
    let event_id = app.event_id(&slug).await.to_string();
    let owner = app.signed_in("owner@example.com").await;
    let wang = register(&app, &slug, "wang@example.cn", "王芳", "zh").await;
    register(&app, &slug, "anna@example.de", "Anna Schmidt", "en").await;
    register(&app, &slug, "late@example.com", "Late Guest", "en").await;
    // One more on the waitlist, who leaves the follow-up box unticked.
    let unticked = app
        .call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "no.thanks@example.com", "No Thanks")))
        .await;
    assert_eq!(unticked.status(), 200);
    sink.wait_for(4).await;

    // A template with an unknown field is refused at save, naming the field.
    let typo = [THANKS[0], THANKS[1], THANKS[2], THANKS[3], ("body_en", "Dear {{first_name}}")];
    let refused = template(&app, &owner, &typo).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(field_errors(refused).await, [("body_en".to_string(), "unknown_merge_field".to_string())]);
    assert_eq!(app.count("mail_template").await, 0);
    let thanks = template(&app, &owner, &THANKS).await.json::<i32>().await.unwrap().to_string();

    let base = [("event_id", event_id.as_str()), ("template_id", thanks.as_str())];
    let reminder = rule(&app, &owner, &[base[0], base[1], ("trigger", "reminder"), ("offset_hours", "24")]).await;
    let thank_you =
        rule(&app, &owner, &[base[0], base[1], ("trigger", "thank_you"), ("offset_hours", "2"), ("stage", "new")])
            .await;
    let missed = rule(&app, &owner, &[base[0], base[1], ("trigger", "missed_you"), ("offset_hours", "2")]).await;
    let paused =
        app.call_as(&owner, app::follow_ups::PauseRule::PATH, &[("id", missed.as_str()), ("paused", "true")]).await;
    assert_eq!(paused.status(), 200);

    // The reminder: not before its time, then once to each confirmed guest (not the
    // waitlisted one), never again — not on a later run, not from another process.
    assert_eq!(run(&app, starts() - Duration::hours(25)).await, 0);
    assert_eq!(run(&app, starts() - Duration::hours(23)).await, 2);
    assert_eq!(run(&app, starts() - Duration::hours(22)).await, 0);
    assert_eq!(run_twice_at_once(&app, starts() - Duration::hours(21)).await, 0);

    // At the door Wang checks in; her lead moves on to a site visit, past what the
    // thank-you was meant for. Anna never came.
    app.call_as(&owner, app::registrations::CheckIn::PATH, &[("registration_id", &wang.id.to_string())]).await;
    let wang_lead: i32 = app.scalar("SELECT id AS v FROM lead WHERE email = 'wang@example.cn'").await;
    app.call_as(&owner, app::leads::ChangeStage::PATH, &[("id", &wang_lead.to_string()), ("stage", "site_visit")])
        .await;

    assert_eq!(run_twice_at_once(&app, ends() + Duration::hours(2)).await, 0, "stage passed; missed-you paused");
    assert_eq!(app.count(&format!("marketing_send WHERE rule_id = {thank_you} AND outcome = 'stage_passed'")).await, 1);
    app.call_as(&owner, app::follow_ups::PauseRule::PATH, &[("id", missed.as_str()), ("paused", "false")]).await;
    assert_eq!(run_twice_at_once(&app, ends() + Duration::hours(3)).await, 1, "two processes, one email");
    assert_eq!(run(&app, ends() + Duration::days(9)).await, 0);

    let mails = follow_ups(&sink.wait_for(7).await);
    assert_eq!(mails.len(), 3, "two reminders and one missed-you");
    let to_wang: Vec<&Mail> = mails.iter().filter(|m| m.to == "wang@example.cn").collect();
    assert_eq!(to_wang.len(), 1);
    assert_eq!(to_wang[0].subject, "王芳，感谢参加岳阳（法兰克福）先进装备制造产业链招商推介会", "Chinese for her");
    assert!(to_wang[0].text.contains("感谢您在Frankfurt Marriott Hotel, Hamburger Allee 2"));
    assert!(to_wang[0].text.contains("— Hunan Bureau") || to_wang[0].text.contains("Hunan Bureau"));
    let to_anna: Vec<&Mail> = mails.iter().filter(|m| m.to == "anna@example.de").collect();
    assert_eq!(to_anna.len(), 2);
    let anna = to_anna[0];
    assert_eq!(anna.subject, "Thank you, Anna Schmidt: Yueyang Advanced Equipment Forum — Frankfurt");
    assert!(anna.html.contains("<strong>Frankfurt Marriott Hotel"), "Markdown rendered: {}", anna.html);
    assert!(anna.text.contains("Mon 15 Mar 2027"), "the start in her zone: {}", anna.text);
    assert!(anna.html.contains(&format!("{}/r/", app.base)), "her manage link");
    assert!(anna.raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    let header = anna.raw.lines().find(|l| l.starts_with("List-Unsubscribe: ")).expect("List-Unsubscribe");
    let url = header.trim_start_matches("List-Unsubscribe: <").trim_end_matches('>').to_string();
    assert!(url.starts_with(&format!("{}/unsubscribe/", app.base)), "{url}");
    assert!(anna.text.contains(&url) && anna.html.contains(&url), "a visible unsubscribe link in both parts");

    // Who got what, on the rule's log.
    let log: Vec<SendRow> =
        app.call_as(&owner, app::follow_ups::RuleLog::PATH, &[("id", reminder.as_str())]).await.json().await.unwrap();
    let mut outcomes: Vec<(String, SendOutcome)> = log.iter().map(|r| (r.address.clone(), r.outcome)).collect();
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        outcomes,
        [("anna@example.de".to_string(), SendOutcome::Queued), ("wang@example.cn".to_string(), SendOutcome::Queued)]
    );

    // A GET of the link only shows a page; the one-click POST, from anywhere, without a
    // session, unsubscribes, and again is harmless.
    let page = reqwest::get(&url).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form"));
    assert_eq!(app.count("suppressed_address").await, 0, "a GET does not unsubscribe");
    let stranger = crate::support::client_builder().build().unwrap();
    for _ in 0..2 {
        let posted = stranger
            .post(&url)
            .header("Sec-Fetch-Site", "cross-site")
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 200);
    }
    assert_eq!(app.count("suppressed_address WHERE reason = 'unsubscribed'").await, 1);
    let bogus = stranger.post(format!("{}/unsubscribe/{}", app.base, "0".repeat(32))).send().await.unwrap();
    assert_eq!(bogus.status(), 404);

    // A follow-up to the leads still new three days on: Anna is skipped (unsubscribed),
    // and so is the guest who did not consent to follow-ups; Wang has moved on; the
    // waitlisted guest gets it. Transactional email still reaches Anna.
    rule(&app, &owner, &[base[0], base[1], ("trigger", "stage_follow_up"), ("offset_hours", "72"), ("stage", "new")])
        .await;
    assert_eq!(run(&app, ends() + Duration::hours(73)).await, 1);
    assert_eq!(app.count("marketing_send WHERE outcome = 'suppressed' AND address = 'anna@example.de'").await, 1);
    assert_eq!(app.count("marketing_send WHERE outcome = 'no_consent' AND address = 'no.thanks@example.com'").await, 1);
    register(&app, &slug, "anna@example.de", "Anna Schmidt", "en").await;
    let all = sink.wait_for(9).await;
    let after = follow_ups(&all);
    assert_eq!(after.len(), 4);
    assert!(after.iter().any(|m| m.to == "late@example.com"));
    assert_eq!(after.iter().filter(|m| m.to == "anna@example.de").count(), 2, "no marketing email after unsubscribing");
    let to_anna_total = all
        .iter()
        .filter(|raw| {
            MessageParser::default()
                .parse(*raw)
                .is_some_and(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some("anna@example.de"))
        })
        .count();
    assert_eq!(to_anna_total, 4, "her confirmation, two follow-ups and the update of her registration");
}

async fn a_bounce_stops_marketing_email_to_that_address(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Hunan Bureau", "owner@example.com").await;
    let slug = published_event(&app, "frankfurt", 10, &[]).await;
    let event_id = app.event_id(&slug).await.to_string();
    let owner = app.signed_in("owner@example.com").await;
    register(&app, &slug, "gone.reject550@example.com", "Gone", "en").await;
    register(&app, &slug, "blocked.policy554@example.com", "Blocked", "en").await;
    register(&app, &slug, "here@example.com", "Here", "en").await;
    sink.wait_for(1).await;
    app.eventually_count("outbox_message WHERE status = 'failed'", 2).await;
    // No such mailbox: the address bounces. Refused by policy: the message failed, but
    // the address is not to blame and stays.
    assert_eq!(app.count("suppressed_address WHERE reason = 'bounced'").await, 1);
    assert!(app::marketing::ssr::is_suppressed(&app.db, "gone.reject550@example.com").await.unwrap());
    assert!(!app::marketing::ssr::is_suppressed(&app.db, "blocked.policy554@example.com").await.unwrap());

    let thanks = template(&app, &owner, &THANKS).await.json::<i32>().await.unwrap().to_string();
    rule(
        &app,
        &owner,
        &[("event_id", &event_id), ("template_id", &thanks), ("trigger", "reminder"), ("offset_hours", "48")],
    )
    .await;
    assert_eq!(run(&app, starts() - Duration::hours(47)).await, 2);
    assert_eq!(app.count("marketing_send WHERE outcome = 'suppressed'").await, 1);
    assert_eq!(app.count("outbox_message WHERE marketing AND to_address = 'gone.reject550@example.com'").await, 0);
    app.eventually_count("outbox_message WHERE marketing AND status IN ('sent', 'failed')", 2).await;
    let mails = follow_ups(&sink.wait_for(2).await);
    assert_eq!(mails.iter().map(|m| m.to.as_str()).collect::<Vec<_>>(), ["here@example.com"]);
}

async fn templates_and_rules_stay_inside_their_organization(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bureau = app.organization("Hunan Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    app.member(bureau, "viewer@example.com", app::auth::Role::Viewer).await;
    let slug = published_event(&app, "frankfurt", 10, &[]).await;
    let event_id = app.event_id(&slug).await.to_string();
    register(&app, &slug, "anna@example.de", "Anna Schmidt", "en").await;
    let owner = app.signed_in("owner@example.com").await;
    let other = app.signed_in("county@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;
    let thanks = template(&app, &owner, &THANKS).await.json::<i32>().await.unwrap().to_string();
    let lead: i32 = app.scalar("SELECT id AS v FROM lead").await;

    // The preview renders the saved text for a real lead, in her language.
    let mut preview: Vec<(String, String)> =
        THANKS.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())).collect();
    preview.push(("lead_id".into(), lead.to_string()));
    let shown: Preview =
        app.call_as(&viewer, app::follow_ups::PreviewTemplate::PATH, &as_refs(&preview)).await.json().await.unwrap();
    assert_eq!(shown.subject, "Thank you, Anna Schmidt: Yueyang Advanced Equipment Forum — Frankfurt");
    assert_eq!(shown.to, "anna@example.de");
    assert!(shown.html.contains("<strong>Frankfurt Marriott Hotel"));
    assert_eq!(app.call_as(&other, app::follow_ups::PreviewTemplate::PATH, &as_refs(&preview)).await.status(), 404);

    // Another organization can neither use the template, nor attach to the event.
    let theirs = template(&app, &other, &THANKS).await.json::<i32>().await.unwrap().to_string();
    let fields = |template: &str| {
        vec![
            ("form[event_id]".to_string(), event_id.clone()),
            ("form[template_id]".to_string(), template.to_string()),
            ("form[trigger]".to_string(), "reminder".to_string()),
            ("form[offset_hours]".to_string(), "24".to_string()),
        ]
    };
    assert_eq!(app.call_as(&other, app::follow_ups::SaveRule::PATH, &as_refs(&fields(&theirs))).await.status(), 404);
    assert_eq!(app.call_as(&owner, app::follow_ups::SaveRule::PATH, &as_refs(&fields(&theirs))).await.status(), 404);
    assert_eq!(app.call_as(&viewer, app::follow_ups::SaveRule::PATH, &as_refs(&fields(&thanks))).await.status(), 403);
    assert_eq!(app.call(app::follow_ups::SaveRule::PATH, &as_refs(&fields(&thanks))).await.status(), 401);
    let bad = with(&fields(&thanks), &[("form[offset_hours]", "-1"), ("form[trigger]", "someday")]);
    let refused = app.call_as(&owner, app::follow_ups::SaveRule::PATH, &as_refs(&bad)).await;
    assert_eq!(refused.status(), 422);
    let mut errors = field_errors(refused).await;
    errors.sort();
    assert_eq!(
        errors,
        [
            ("offset_hours".to_string(), "out_of_range".to_string()),
            ("trigger".to_string(), "unknown_choice".to_string())
        ]
    );
    assert_eq!(app.count("follow_up_rule").await, 0, "nothing written by a refusal");
    let reminder =
        [("event_id", event_id.as_str()), ("template_id", &thanks), ("trigger", "reminder"), ("offset_hours", "24")];
    let id = rule(&app, &owner, &reminder).await;
    for client in [&other] {
        assert_eq!(
            app.call_as(client, app::follow_ups::PauseRule::PATH, &[("id", &id), ("paused", "true")]).await.status(),
            404
        );
        assert_eq!(app.call_as(client, app::follow_ups::RuleLog::PATH, &[("id", &id)]).await.status(), 404);
    }
    assert_eq!(
        app.call_as(&viewer, app::follow_ups::PauseRule::PATH, &[("id", &id), ("paused", "true")]).await.status(),
        403
    );
    let theirs_listed: FollowUps =
        app.call_as(&other, app::follow_ups::ListFollowUps::PATH, &[]).await.json().await.unwrap();
    assert_eq!(theirs_listed.rules.len(), 0);
    assert_eq!(theirs_listed.templates.len(), 1);
}

/// Runs `command` (openssl here) and returns its standard output.
fn output(command: &mut std::process::Command) -> Vec<u8> {
    let out = command.output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// With a key configured, every message is DKIM-signed, and the signature verifies
/// (dkimpy, given the public key a DNS lookup of the selector would return).
async fn messages_are_dkim_signed_when_a_key_is_configured(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("dkim.pem");
    output(std::process::Command::new("openssl").args(["genrsa", "-traditional", "-out"]).arg(&key).arg("2048"));
    // The PEM body of the public key is the base64 a DNS record publishes.
    let public = output(std::process::Command::new("openssl").arg("rsa").arg("-in").arg(&key).arg("-pubout"));
    let public: String = String::from_utf8_lossy(&public).lines().filter(|l| !l.starts_with("-----")).collect();
    let dkim = app::state::DkimKey {
        selector: "roadshow2027".into(),
        domain: None,
        algorithm: "rsa".into(),
        private_key: std::fs::read_to_string(&key).unwrap().into(),
    };
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).dkim(dkim).start().await;
    app.organization("Hunan Bureau", "owner@example.com").await;
    let slug = published_event(&app, "frankfurt", 10, &[]).await;
    register(&app, &slug, "anna@example.de", "Anna Schmidt", "en").await;
    let raw = sink.wait_for(1).await.remove(0);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("DKIM-Signature: ") && text.contains("d=roadshow.test") && text.contains("s=roadshow2027"));

    let record = format!("v=DKIM1; k=rsa; p={public}");
    let message = dir.path().join("message.eml");
    std::fs::write(&message, &raw).unwrap();
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/smtp-venv/bin/python");
    let script = "import dkim, sys\n\
        record = sys.argv[2].encode()\n\
        def dns(name, timeout=5):\n    return record if name == b'roadshow2027._domainkey.roadshow.test.' else None\n\
        print(dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=dns))";
    let verified = output(std::process::Command::new(python).args(["-c", script]).arg(&message).arg(&record));
    assert_eq!(String::from_utf8_lossy(&verified).trim(), "True", "the signature verifies");
    // Tampering shows.
    std::fs::write(&message, String::from_utf8_lossy(&raw).replace("Anna Schmidt", "Mallory")).unwrap();
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/smtp-venv/bin/python");
    let tampered = output(std::process::Command::new(python).args(["-c", script]).arg(&message).arg(&record));
    assert_eq!(String::from_utf8_lossy(&tampered).trim(), "False");
}

/// The promotion notice: a rule that writes to a waitlisted guest once a seat is theirs.
async fn the_promotion_notice_reaches_the_promoted_guest_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Hunan Bureau", "owner@example.com").await;
    let slug = published_event(&app, "frankfurt", 1, &[]).await;
    let event_id = app.event_id(&slug).await.to_string();
    let owner = app.signed_in("owner@example.com").await;
    let first = register(&app, &slug, "first@example.com", "First", "en").await;
    register(&app, &slug, "second@example.com", "Second", "zh").await;
    let thanks = template(&app, &owner, &THANKS).await.json::<i32>().await.unwrap().to_string();
    rule(&app, &owner, &[("event_id", &event_id), ("template_id", &thanks), ("trigger", "promoted")]).await;
    let before = starts() - Duration::days(3);
    assert_eq!(run(&app, before).await, 0, "nobody promoted yet");

    assert_eq!(crate::registrations::cancel(&app, &first).await, 200);
    assert_eq!(run(&app, before).await, 1);
    assert_eq!(run(&app, before + Duration::hours(1)).await, 0);
    assert_eq!(app.count("outbox_message WHERE marketing AND to_address = 'second@example.com'").await, 1);
    let subject: String = app.scalar("SELECT subject AS v FROM outbox_message WHERE marketing").await;
    assert_eq!(subject, "Second，感谢参加岳阳（法兰克福）先进装备制造产业链招商推介会", "in her language");
    assert_eq!(run(&app, starts() + Duration::hours(1)).await, 0, "never after the start");
}

on_both_databases!(
    rules_fire_once_each_at_their_time_in_each_guests_language,
    a_bounce_stops_marketing_email_to_that_address,
    templates_and_rules_stay_inside_their_organization,
    messages_are_dkim_signed_when_a_key_is_configured,
    the_promotion_notice_reaches_the_promoted_guest_once,
);
