//! Webhooks against a real HTTP receiver (`scripts/webhook_receiver.py`) that checks every
//! signature with the `standardwebhooks` package: delivered once after a 500, retried after
//! a receiver that hangs, an endpoint failing to the end turned off and its owners emailed,
//! private addresses refused unless allowed, and each organization's endpoints its own.

use std::io::BufRead;
use std::time::{Duration, Instant};

use app::webhooks::Webhooks;
use leptos::server_fn::ServerFn as _;
use reqwest::Client;
use serde_json::Value;

use crate::registrations::{guest, published_event};
use crate::support::{Backend, SmtpSink, TestApp, as_refs, field_errors};

struct Receiver {
    child: std::process::Child,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Receiver {
    fn start(port: u16, secret: &str, extra: &[&str]) -> Receiver {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("requests.jsonl");
        let mut child = std::process::Command::new(root.join(".tools/smtp-venv/bin/python"))
            .arg(root.join("scripts/webhook_receiver.py"))
            .args(["--port", &port.to_string(), "--secret", secret, "--log"])
            .arg(&log)
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the webhook receiver (scripts/setup.sh installs standardwebhooks)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.starts_with("READY"), "{line}");
        Receiver { child, log, _dir: dir }
    }

    fn requests(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Waits (at most 20 s) until `done` holds for the requests received.
    async fn until(&self, what: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let requests = self.requests();
            if done(&requests) {
                return requests;
            }
            assert!(Instant::now() < deadline, "{what}: {requests:#?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn type_of(request: &Value) -> String {
    let body: Value = serde_json::from_str(request["body"].as_str().unwrap()).unwrap();
    body["type"].as_str().unwrap().to_string()
}

async fn allow_private(app: &TestApp, owner: &Client, allowed: bool) {
    let response =
        app.call_as(owner, app::webhooks::AllowPrivateWebhooks::PATH, &[("allowed", &allowed.to_string())]).await;
    assert_eq!(response.status(), 200);
}

/// An endpoint for `events`; its id and signing secret.
async fn endpoint(app: &TestApp, owner: &Client, url: &str, events: &[&str]) -> (i32, String) {
    let keys: Vec<String> = events.iter().map(|e| format!("form[events][{e}]")).collect();
    let mut form = vec![("form[url]", url), ("form[description]", "CRM")];
    form.extend(keys.iter().map(|k| (k.as_str(), "on")));
    let response = app.call_as(owner, app::webhooks::CreateWebhook::PATH, &form).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    let id: i32 = response.json().await.unwrap();
    let hooks: Webhooks = app.call_as(owner, app::webhooks::ListWebhooks::PATH, &[]).await.json().await.unwrap();
    let secret = hooks.endpoints.iter().find(|e| e.id == id).unwrap().secret.clone();
    assert!(secret.starts_with("whsec_"));
    (id, secret)
}

async fn changes_reach_a_signed_endpoint_once_after_a_failure(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    allow_private(&app, &owner, true).await;
    let port = SmtpSink::free_port();
    let url = format!("http://127.0.0.1:{port}/hooks");
    let events = ["registration.created", "registration.checked_in", "lead.created", "lead.stage_changed"];
    let (_, secret) = endpoint(&app, &owner, &url, &events).await;
    let receiver = Receiver::start(port, &secret, &["--fail-first", "1"]);

    let slug = published_event(&app, "frankfurt", 10, &[]).await;
    let fields = guest(&slug, "li@example.com", "Li Wei");
    assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&fields)).await.status(), 200);
    let requests = receiver
        .until("registration.created and lead.created delivered", |r| {
            r.iter().filter(|r| r["status"] == 200).count() == 2
        })
        .await;
    // Each was refused once (500), then delivered with the same webhook-id; every
    // signature checked out.
    assert!(requests.iter().all(|r| r["verified"] == true), "{requests:#?}");
    let mut delivered: Vec<String> = requests.iter().filter(|r| r["status"] == 200).map(type_of).collect();
    delivered.sort();
    assert_eq!(delivered, ["lead.created", "registration.created"]);
    for ok in requests.iter().filter(|r| r["status"] == 200) {
        assert_eq!(ok["attempt"], 2);
        let refused = requests.iter().filter(|r| r["id"] == ok["id"] && r["status"] == 500).count();
        assert_eq!(refused, 1);
    }
    let created = requests.iter().find(|r| r["status"] == 200 && type_of(r) == "registration.created").unwrap();
    let body: Value = serde_json::from_str(created["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        (body["data"]["email"].as_str(), body["data"]["status"].as_str()),
        (Some("li@example.com"), Some("confirmed"))
    );

    // The log says so (once the dispatcher has recorded the answer the receiver just gave).
    let logged = "SELECT COUNT(*) AS v FROM webhook_delivery WHERE status = 'delivered' AND attempts = 2 AND last_status_code = 200";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.scalar::<i64>(logged).await < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.scalar::<i64>(logged).await, 2);

    // Checked in at the door, and a stage changed: announced too; a change nobody asked for is not.
    let registration: i32 = app.scalar("SELECT id AS v FROM registration").await;
    let door =
        app.call_as(&owner, app::registrations::CheckIn::PATH, &[("registration_id", &registration.to_string())]).await;
    assert_eq!(door.status(), 200, "{}", door.text().await.unwrap_or_default());
    let lead: i32 = app.scalar("SELECT id AS v FROM lead").await;
    let stage =
        app.call_as(&owner, app::leads::ChangeStage::PATH, &[("id", &lead.to_string()), ("stage", "contacted")]).await;
    assert_eq!(stage.status(), 200, "{}", stage.text().await.unwrap_or_default());
    let requests =
        receiver.until("checked in and stage changed", |r| r.iter().filter(|r| r["status"] == 200).count() == 4).await;
    let mut types: Vec<String> = requests.iter().filter(|r| r["status"] == 200).map(type_of).collect();
    types.sort();
    assert_eq!(types, ["lead.created", "lead.stage_changed", "registration.checked_in", "registration.created"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.requests().iter().filter(|r| r["status"] == 200).count(), 4, "nothing delivered twice");
}

async fn a_receiver_that_hangs_is_retried_and_one_that_fails_is_turned_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    allow_private(&app, &owner, true).await;

    // Hangs longer than the sender waits (1.5 s in the tests), then answers.
    let port = SmtpSink::free_port();
    let (hanging, secret) = endpoint(&app, &owner, &format!("http://127.0.0.1:{port}/"), &["lead.created"]).await;
    let receiver = Receiver::start(port, &secret, &["--hang-first", "1", "--hang", "4"]);
    assert_eq!(
        app.call_as(&owner, app::webhooks::TestWebhook::PATH, &[("id", &hanging.to_string())]).await.status(),
        200
    );
    receiver.until("delivered after a timeout", |r| r.iter().any(|r| r["attempt"] == 2 && r["status"] == 200)).await;
    let log: Vec<app::webhooks::DeliveryRow> = app
        .call_as(&owner, app::webhooks::WebhookDeliveries::PATH, &[("id", &hanging.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (log[0].status, log[0].attempts, log[0].last_status_code),
        (app::domain::DeliveryStatus::Delivered, 2, Some(200))
    );
    drop(receiver);

    // Always 500: tried once and retried twice (the tests' schedule), then the endpoint is
    // off and the owner emailed.
    let port = SmtpSink::free_port();
    let (failing, secret) = endpoint(&app, &owner, &format!("http://127.0.0.1:{port}/"), &["lead.created"]).await;
    let receiver = Receiver::start(port, &secret, &["--always", "500"]);
    assert_eq!(
        app.call_as(&owner, app::webhooks::TestWebhook::PATH, &[("id", &failing.to_string())]).await.status(),
        200
    );
    receiver.until("three attempts", |r| r.len() == 3).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let off: i64 = app
            .scalar(&format!("SELECT COUNT(*) AS v FROM webhook_endpoint WHERE id = {failing} AND enabled = false"))
            .await;
        if off == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the failing endpoint is still on");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let failed: String =
        app.scalar(&format!("SELECT status AS v FROM webhook_delivery WHERE endpoint_id = {failing}")).await;
    assert_eq!(failed, "failed");
    let mails: i64 = app
        .scalar(&format!(
            "SELECT COUNT(*) AS v FROM outbox_message WHERE kind = 'webhook_disabled' AND organization_id = {org} AND to_address = 'owner@example.com'"
        ))
        .await;
    assert_eq!(mails, 1);
    let hooks: Webhooks = app.call_as(&owner, app::webhooks::ListWebhooks::PATH, &[]).await.json().await.unwrap();
    let off = hooks.endpoints.iter().find(|e| e.id == failing).unwrap();
    assert!(!off.enabled && off.disabled_reason.contains("500"), "{}", off.disabled_reason);
    // A turned-off endpoint gets nothing more; the one that works still does.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.requests().len(), 3);
}

async fn private_addresses_are_refused_unless_the_organization_allows_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    for url in [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://[::1]/hooks",
        "https://10.1.2.3/",
        "https://169.254.169.254/latest",
    ] {
        let form = [("form[url]", url), ("form[events][lead.created]", "on")];
        let refused = app.call_as(&owner, app::webhooks::CreateWebhook::PATH, &form).await;
        assert_eq!(refused.status(), 422, "{url}");
        assert_eq!(field_errors(refused).await, [("url".to_string(), "private_address".to_string())], "{url}");
    }
    // Plain http, no events, an unknown event: refused by field.
    let form = [("form[url]", "http://crm.example.com/"), ("form[events][lead.exploded]", "on")];
    let refused = app.call_as(&owner, app::webhooks::CreateWebhook::PATH, &form).await;
    let mut fields: Vec<String> = field_errors(refused).await.into_iter().map(|(f, _)| f).collect();
    fields.sort();
    assert_eq!(fields, ["events", "url"]);
    assert_eq!(app.count("webhook_endpoint").await, 0);

    // Allowed, created; allowed no more, the worker refuses to send there.
    allow_private(&app, &owner, true).await;
    let port = SmtpSink::free_port();
    let (id, secret) = endpoint(&app, &owner, &format!("http://127.0.0.1:{port}/"), &["lead.created"]).await;
    let receiver = Receiver::start(port, &secret, &[]);
    allow_private(&app, &owner, false).await;
    assert_eq!(app.call_as(&owner, app::webhooks::TestWebhook::PATH, &[("id", &id.to_string())]).await.status(), 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    let error: String = loop {
        let failed: i64 = app.scalar("SELECT COUNT(*) AS v FROM webhook_delivery WHERE status = 'failed'").await;
        if failed == 1 {
            break app.scalar("SELECT last_error AS v FROM webhook_delivery").await;
        }
        assert!(Instant::now() < deadline, "the delivery to a private address was not refused");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(error.contains("private"), "{error}");
    assert!(receiver.requests().is_empty(), "nothing reached the private address");
}

async fn owners_redeliver_and_nobody_else_reaches_an_endpoint(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "organizer@example.com", app::auth::Role::Organizer).await;
    app.organization("Changsha Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let organizer = app.signed_in("organizer@example.com").await;
    let other = app.signed_in("other@example.com").await;
    allow_private(&app, &owner, true).await;
    let port = SmtpSink::free_port();
    let (id, secret) = endpoint(&app, &owner, &format!("http://127.0.0.1:{port}/"), &["lead.created"]).await;
    let receiver = Receiver::start(port, &secret, &[]);
    assert_eq!(app.call_as(&owner, app::webhooks::TestWebhook::PATH, &[("id", &id.to_string())]).await.status(), 200);
    let first = receiver.until("the test event", |r| r.len() == 1).await;
    assert_eq!(type_of(&first[0]), "webhook.test");
    let delivery: i32 = app.scalar("SELECT id AS v FROM webhook_delivery").await;
    let again =
        app.call_as(&owner, app::webhooks::RedeliverWebhook::PATH, &[("delivery_id", &delivery.to_string())]).await;
    assert_eq!(again.status(), 200);
    let both = receiver.until("redelivered", |r| r.len() == 2).await;
    assert_eq!(both[0]["id"], both[1]["id"], "a redelivery keeps its webhook-id");
    assert!(both.iter().all(|r| r["verified"] == true));

    // An organizer may not manage webhooks; another organization's owner does not find them.
    let id_text = id.to_string();
    let delivery_text = delivery.to_string();
    let calls: [(&str, Vec<(&str, &str)>); 5] = [
        (app::webhooks::WebhookDeliveries::PATH, vec![("id", &id_text)]),
        (app::webhooks::TestWebhook::PATH, vec![("id", &id_text)]),
        (app::webhooks::RedeliverWebhook::PATH, vec![("delivery_id", &delivery_text)]),
        (app::webhooks::EnableWebhook::PATH, vec![("id", &id_text), ("enabled", "false")]),
        (app::webhooks::DeleteWebhook::PATH, vec![("id", &id_text)]),
    ];
    for (path, form) in &calls {
        assert_eq!(app.call_as(&organizer, path, form).await.status(), 403, "{path}");
        assert_eq!(app.call_as(&other, path, form).await.status(), 404, "{path}");
    }
    let theirs: Webhooks = app.call_as(&other, app::webhooks::ListWebhooks::PATH, &[]).await.json().await.unwrap();
    assert!(theirs.endpoints.is_empty());
    assert_eq!(receiver.requests().len(), 2);
}

async fn every_kind_of_change_is_announced_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    allow_private(&app, &owner, true).await;
    let port = SmtpSink::free_port();
    let all: Vec<&str> = app::domain::WebhookEvent::ALL
        .iter()
        .filter(|e| **e != app::domain::WebhookEvent::Test)
        .map(|e| e.as_str())
        .collect();
    let (_, secret) = endpoint(&app, &owner, &format!("http://127.0.0.1:{port}/"), &all).await;
    let receiver = Receiver::start(port, &secret, &[]);

    // One seat: the first guest gets it, the second waits; the first changes, then cancels,
    // and the second is promoted, then checked in; their lead moves on; a project is signed,
    // funds arrive, a campaign goes out.
    let slug = published_event(&app, "one-seat", 1, &[]).await;
    let register = |email: &'static str| {
        let fields = guest(&slug, email, email);
        let app = &app;
        async move {
            crate::leads::json::<app::registrations::RegistrationOutcome>(
                app.call(app::registrations::Register::PATH, &as_refs(&fields)).await,
            )
            .await
        }
    };
    let first = register("first@example.com").await;
    register("second@example.com").await;
    let token = first.manage_token.clone().unwrap();
    let changed = app
        .call(
            app::registrations::ChangeRegistration::PATH,
            &[
                ("token", token.as_str()),
                ("form[name]", "First Guest"),
                ("form[email]", "first@example.com"),
                ("form[consent_data]", "on"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        app.call(app::registrations::CancelRegistration::PATH, &[("token", token.as_str())]).await.status(),
        200
    );
    let second: i32 = app.scalar("SELECT id AS v FROM registration WHERE email = 'second@example.com'").await;
    let door =
        app.call_as(&owner, app::registrations::CheckIn::PATH, &[("registration_id", &second.to_string())]).await;
    assert_eq!(door.status(), 200);
    let lead: i32 = app.scalar("SELECT id AS v FROM lead WHERE email = 'second@example.com'").await;
    let stage =
        app.call_as(&owner, app::leads::ChangeStage::PATH, &[("id", &lead.to_string()), ("stage", "site_visit")]).await;
    assert_eq!(stage.status(), 200);
    let token_form = [("form[name]", "crm"), ("form[scope]", "read_write"), ("form[expires_in_days]", "")];
    let api_token: String =
        app.call_as(&owner, app::api_tokens::CreateApiToken::PATH, &token_form).await.json().await.unwrap();
    let api = crate::support::new_client();
    let project: Value = api
        .post(app.url(&format!("/api/v1/leads/{lead}/projects")))
        .bearer_auth(&api_token)
        .json(&serde_json::json!({"name": "Battery plant", "planned_investment_yi": "2", "signed_on": "2027-03-20"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let funds = api
        .post(app.url(&format!("/api/v1/projects/{}/tranches", project["id"])))
        .bearer_auth(&api_token)
        .json(&serde_json::json!({"amount_yi": "0.5", "received_on": "2027-04-02"}))
        .send()
        .await
        .unwrap();
    assert_eq!(funds.status(), 201);

    // A campaign to the second guest's lead, sent: finished.
    let template =
        crate::follow_ups::template(&app, &owner, &crate::follow_ups::THANKS).await.json::<i32>().await.unwrap();
    let campaign = [
        ("form[name]", "Thanks".to_string()),
        ("form[template_id]", template.to_string()),
        ("form[filter][q]", "second".to_string()),
        ("form[send_at_local]", String::new()),
        ("form[time_zone]", "Asia/Shanghai".to_string()),
    ];
    let campaign: Vec<(&str, &str)> = campaign.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = app.call_as(&owner, app::campaigns::CreateCampaign::PATH, &campaign).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap_or_default());
    app::campaigns::ssr::run_due(&app.db, &app.mail, chrono::Utc::now() + chrono::Duration::minutes(1)).await.unwrap();

    let expected = [
        "campaign.finished",
        "lead.created",
        "lead.created",
        "lead.stage_changed",
        "project.signed",
        "registration.cancelled",
        "registration.changed",
        "registration.checked_in",
        "registration.created",
        "registration.created",
        "registration.promoted",
        "tranche.received",
    ];
    let requests = receiver.until("every kind of change", |r| r.len() >= expected.len()).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let requests = if receiver.requests().len() > requests.len() { receiver.requests() } else { requests };
    let mut types: Vec<String> = requests.iter().map(type_of).collect();
    types.sort();
    assert_eq!(types, expected);
    assert!(requests.iter().all(|r| r["verified"] == true && r["status"] == 200));
}

on_both_databases!(
    changes_reach_a_signed_endpoint_once_after_a_failure,
    a_receiver_that_hangs_is_retried_and_one_that_fails_is_turned_off,
    private_addresses_are_refused_unless_the_organization_allows_them,
    owners_redeliver_and_nobody_else_reaches_an_endpoint,
    every_kind_of_change_is_announced_once,
);
