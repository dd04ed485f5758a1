//! The REST API v1 as another system uses it: tokens (shown once, stored hashed, scoped,
//! expiring, revocable), every documented operation answered and kept to its caller's
//! organization, pages by cursor and `updated_since`, problem details for bad input, a
//! limit per token, and a document an independent validator accepts.

use std::collections::BTreeSet;

use leptos::server_fn::ServerFn as _;
use reqwest::{Client, Method, Response};
use serde_json::{Value, json};

use crate::registrations::{guest, published_event};
use crate::support::{Backend, TestApp, as_refs, new_client};

/// A token of `owner`'s organization with `scope`, as the owner creates it on the page.
async fn token(app: &TestApp, owner: &Client, name: &str, scope: &str) -> String {
    let form = [("form[name]", name), ("form[scope]", scope), ("form[expires_in_days]", "")];
    let response = app.call_as(owner, app::api_tokens::CreateApiToken::PATH, &form).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    response.json().await.unwrap()
}

async fn call(app: &TestApp, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Response {
    let mut request = new_client().request(method, app.url(&format!("/api/v1{path}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("request")
}

async fn body(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn event_input(slug: &str) -> Value {
    json!({
        "slug": slug,
        "title_zh": "岳阳（法兰克福）先进装备制造产业链招商推介会",
        "title_en": "Yueyang Advanced Equipment Forum — Frankfurt",
        "description_zh": "先进装备", "description_en": "Advanced equipment",
        "city": "Frankfurt", "country": "DE", "region": "Europe",
        "venue_name": "Frankfurt Marriott Hotel", "venue_address": "Hamburger Allee 2",
        "time_zone": "Europe/Berlin",
        "starts_local": "2027-03-15T14:00", "ends_local": "2027-03-15T17:30",
        "capacity": 120, "visibility": "public", "industry_chains": ["advanced-equipment"],
        "agenda": [{"time": "14:00", "title": "开幕致辞 Opening", "speaker": "岳阳市人民政府"}]
    })
}

async fn tokens_are_shown_once_stored_hashed_scoped_and_revocable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "organizer@example.com", app::auth::Role::Organizer).await;
    let owner = app.signed_in("owner@example.com").await;
    let read = token(&app, &owner, "Provincial portal", "read").await;
    let write = token(&app, &owner, "CRM", "read_write").await;
    assert!(read.starts_with("rsk_") && read.len() == 52, "{read}");

    // Only a hash is stored; the list shows a prefix, never the token.
    let stored: i64 = app.scalar(&format!("SELECT COUNT(*) AS v FROM api_token WHERE token_hash = '{read}'")).await;
    assert_eq!(stored, 0);
    let hash = app::crypto::sha256_hex(&read);
    let hashed: i64 = app.scalar(&format!("SELECT COUNT(*) AS v FROM api_token WHERE token_hash = '{hash}'")).await;
    assert_eq!(hashed, 1);
    let list = app.call_as(&owner, app::api_tokens::ListApiTokens::PATH, &[]).await.text().await.unwrap();
    assert!(!list.contains(&read) && list.contains(&read[..10]), "{list}");

    // Only owners manage tokens.
    let organizer = app.signed_in("organizer@example.com").await;
    let refused = app
        .call_as(&organizer, app::api_tokens::CreateApiToken::PATH, &[("form[name]", "x"), ("form[scope]", "read")])
        .await;
    assert_eq!(refused.status(), 403);
    // A bad form is refused by field.
    let bad = app
        .call_as(
            &owner,
            app::api_tokens::CreateApiToken::PATH,
            &[("form[name]", ""), ("form[scope]", "admin"), ("form[expires_in_days]", "0")],
        )
        .await;
    let fields: BTreeSet<String> = crate::support::field_errors(bad).await.into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["expires_in_days", "name", "scope"].into_iter().map(String::from).collect());

    // No credentials: 401 with a challenge, as a problem.
    let none = call(&app, Method::GET, "/events", None, None).await;
    assert_eq!(none.status(), 401);
    assert_eq!(none.headers()["content-type"], "application/problem+json");
    assert!(none.headers().contains_key("www-authenticate"));
    let (_, problem) = body(none).await;
    assert_eq!(problem["status"], 401);
    assert_eq!(problem["title"], "Unauthorized");
    assert_eq!(body(call(&app, Method::GET, "/events", Some("rsk_0000"), None).await).await.0, 401);

    // Read reads; writing needs read-write.
    assert_eq!(call(&app, Method::GET, "/events", Some(&read), None).await.status(), 200);
    let (status, problem) =
        body(call(&app, Method::POST, "/events", Some(&read), Some(&event_input("api-stop"))).await).await;
    assert_eq!((status, problem["status"].clone()), (403, json!(403)));
    let (status, created) =
        body(call(&app, Method::POST, "/events", Some(&write), Some(&event_input("api-stop"))).await).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["starts_local"], "2027-03-15T14:00");
    assert!(created["public_url"].as_str().unwrap().ends_with("/e/api-stop"));
    let last_used: i64 = app
        .scalar(&format!(
            "SELECT COUNT(*) AS v FROM api_token WHERE token_hash = '{hash}' AND last_used_at IS NOT NULL"
        ))
        .await;
    assert_eq!(last_used, 1);

    // Revoked or expired: 401.
    let id: i32 = app.scalar(&format!("SELECT id AS v FROM api_token WHERE token_hash = '{hash}'")).await;
    let revoked = app.call_as(&owner, app::api_tokens::RevokeApiToken::PATH, &[("id", &id.to_string())]).await;
    assert!(revoked.status().is_success() || revoked.status().is_redirection(), "{}", revoked.status());
    assert_eq!(call(&app, Method::GET, "/events", Some(&read), None).await.status(), 401);
    // A change no server made (an edit straight in the database): a recognized token is
    // taken on trust for at most a second; on PostgreSQL the database tells every process
    // at once.
    assert_eq!(call(&app, Method::GET, "/events", Some(&write), None).await.status(), 200);
    app.execute("UPDATE api_token SET expires_at = created_at WHERE scope = 'read_write'").await;
    let took = refused_within(&app, &write, std::time::Duration::from_millis(1500)).await;
    if matches!(app.backend, Backend::Postgres) {
        assert!(took < std::time::Duration::from_millis(500), "refused only after {took:?}");
    }

    // A session works too (a member's own browser).
    assert_eq!(owner.get(app.url("/api/v1/events")).send().await.unwrap().status(), 200);
}

/// How long until `token` is refused (401), asking every 25 ms; fails past `limit`.
async fn refused_within(app: &TestApp, token: &str, limit: std::time::Duration) -> std::time::Duration {
    let start = std::time::Instant::now();
    loop {
        let status = call(app, Method::GET, "/events", Some(token), None).await.status();
        if status == 401 {
            return start.elapsed();
        }
        assert_eq!(status, 200);
        assert!(start.elapsed() < limit, "still accepted after {:?}", start.elapsed());
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// One request per documented operation: (method, documented path, concrete path, body,
/// status on success, writes).
struct Case {
    method: Method,
    template: &'static str,
    path: String,
    body: Option<Value>,
    ok: u16,
}

fn case(method: Method, template: &'static str, path: String, body: Option<Value>, ok: u16) -> Case {
    Case { method, template, path, body, ok }
}

async fn every_documented_operation_answers_within_its_organization(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    app.organization("Changsha Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let read = token(&app, &owner, "portal", "read").await;
    let write = token(&app, &owner, "crm", "read_write").await;
    let foreign = token(&app, &other, "theirs", "read_write").await;

    // Data of the first organization: a roadshow, a unit, a published stop with a guest,
    // a lead with a project.
    let roadshow = [("form[name]", "2027 Europe"), ("form[year]", "2027"), ("form[target_events]", "43")];
    let roadshow: i32 =
        app.call_as(&owner, app::roadshows::CreateRoadshow::PATH, &roadshow).await.json().await.unwrap();
    let unit = [("form[kind]", "county"), ("form[name_zh]", "汨罗市"), ("form[name_en]", "Miluo")];
    let unit: i32 = app.call_as(&owner, app::units::SaveUnit::PATH, &unit).await.json().await.unwrap();
    let slug = published_event(&app, "frankfurt", 50, &[]).await;
    let event = app.event_id(&slug).await;
    let registered =
        app.call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "li@example.com", "Li Wei"))).await;
    assert_eq!(registered.status(), 200);
    let registration: i32 = app.scalar("SELECT id AS v FROM registration").await;
    let lead: i32 = app.scalar("SELECT id AS v FROM lead").await;
    let project = json!({"name": "Hydrogen fuel cells", "planned_investment_yi": "3.5", "signed_on": "2027-03-20", "unit_id": unit});
    let (status, project) =
        body(call(&app, Method::POST, &format!("/leads/{lead}/projects"), Some(&write), Some(&project)).await).await;
    assert_eq!(status, 201, "{project}");
    let project = project["id"].as_i64().unwrap();

    let get = Method::GET;
    let post = Method::POST;
    let patch = Method::PATCH;
    let cases = vec![
        case(get.clone(), "/roadshows", "/roadshows".into(), None, 200),
        case(get.clone(), "/roadshows/{id}", format!("/roadshows/{roadshow}"), None, 200),
        case(get.clone(), "/events", "/events?status=published&from=2027-01-01&to=2027-12-31".into(), None, 200),
        case(post.clone(), "/events", "/events".into(), Some(event_input("second-stop")), 201),
        case(get.clone(), "/events/{id}", format!("/events/{event}"), None, 200),
        case(patch.clone(), "/events/{id}", format!("/events/{event}"), Some(json!({"capacity": 60})), 200),
        case(post.clone(), "/events/{id}/publish", format!("/events/{event}/publish"), None, 200),
        case(get.clone(), "/events/{id}/registrations", format!("/events/{event}/registrations?limit=10"), None, 200),
        case(get.clone(), "/registrations/{id}", format!("/registrations/{registration}"), None, 200),
        case(
            post.clone(),
            "/registrations/{id}/check-in",
            format!("/registrations/{registration}/check-in"),
            None,
            200,
        ),
        case(get.clone(), "/leads", "/leads?q=li&stage=new".into(), None, 200),
        case(
            post.clone(),
            "/leads",
            "/leads".into(),
            Some(json!({"name": "Anna Schmidt", "email": "anna@example.de"})),
            201,
        ),
        case(get.clone(), "/leads/{id}", format!("/leads/{lead}"), None, 200),
        case(patch.clone(), "/leads/{id}", format!("/leads/{lead}"), Some(json!({"company": "Siemens Energy"})), 200),
        case(
            post.clone(),
            "/leads/{id}/stage",
            format!("/leads/{lead}/stage"),
            Some(json!({"stage": "contacted"})),
            200,
        ),
        case(get.clone(), "/projects", "/projects".into(), None, 200),
        case(get.clone(), "/projects/{id}", format!("/projects/{project}"), None, 200),
        case(
            post.clone(),
            "/leads/{id}/projects",
            format!("/leads/{lead}/projects"),
            Some(json!({"name": "Second line", "planned_investment_yi": "1"})),
            201,
        ),
        case(
            post.clone(),
            "/projects/{id}/tranches",
            format!("/projects/{project}/tranches"),
            Some(json!({"amount_yi": "0.8", "received_on": "2027-04-01"})),
            201,
        ),
        case(get.clone(), "/units", "/units".into(), None, 200),
        case(get.clone(), "/targets", "/targets?year=2027".into(), None, 200),
        case(get.clone(), "/dashboard", "/dashboard?from=2027-01-01&to=2027-12-31".into(), None, 200),
        case(post.clone(), "/events/{id}/cancel", format!("/events/{event}/cancel"), None, 200),
    ];

    // The table covers exactly what the document names.
    let (_, doc) = body(call(&app, Method::GET, "/openapi.json", None, None).await).await;
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone())))
        .collect();
    let exercised: BTreeSet<(String, String)> =
        cases.iter().map(|c| (c.method.to_string(), c.template.to_string())).collect();
    assert_eq!(documented, exercised);

    for c in &cases {
        let writes = c.method != Method::GET;
        let what = format!("{} {}", c.method, c.path);
        // Without credentials: 401.
        assert_eq!(call(&app, c.method.clone(), &c.path, None, c.body.as_ref()).await.status(), 401, "{what}");
        // Another organization's token: our objects are not found, its lists do not show ours
        // (a create with no id would make its own organization's object: not tried here).
        if writes && !c.template.contains("{id}") {
            assert_eq!(
                call(&app, c.method.clone(), &c.path, Some(&read), c.body.as_ref()).await.status(),
                403,
                "{what}"
            );
            let (status, answer) =
                body(call(&app, c.method.clone(), &c.path, Some(&write), c.body.as_ref()).await).await;
            assert_eq!(status, c.ok, "{what}: {answer}");
            continue;
        }
        let (status, theirs) = body(call(&app, c.method.clone(), &c.path, Some(&foreign), c.body.as_ref()).await).await;
        if c.template.contains("{id}") {
            assert_eq!(status, 404, "{what}: {theirs}");
            assert_eq!(theirs["status"], 404, "{what}");
        } else if !writes {
            assert_eq!(status, 200, "{what}: {theirs}");
            let text = theirs.to_string();
            assert!(
                !text.contains("Frankfurt") && !text.contains("li@example.com") && !text.contains("汨罗"),
                "{what}: {text}"
            );
        }
        // A read token: reads, and is refused writes.
        let (status, answer) = body(call(&app, c.method.clone(), &c.path, Some(&read), c.body.as_ref()).await).await;
        if writes {
            assert_eq!(status, 403, "{what}: {answer}");
        } else {
            assert_eq!(status, c.ok, "{what}: {answer}");
        }
        // The read-write token does it.
        let (status, answer) = body(call(&app, c.method.clone(), &c.path, Some(&write), c.body.as_ref()).await).await;
        assert_eq!(status, c.ok, "{what}: {answer}");
    }

    // What the writes did is there to read.
    let (_, checked) =
        body(call(&app, Method::GET, &format!("/registrations/{registration}"), Some(&read), None).await).await;
    assert!(checked["checked_in_at"].is_string(), "{checked}");
    let (_, lead_now) = body(call(&app, Method::GET, &format!("/leads/{lead}"), Some(&read), None).await).await;
    assert_eq!((lead_now["stage"].as_str(), lead_now["company"].as_str()), (Some("contacted"), Some("Siemens Energy")));
    let (_, project_now) =
        body(call(&app, Method::GET, &format!("/projects/{project}"), Some(&read), None).await).await;
    assert_eq!(project_now["tranches"][0]["amount_yuan"], 80_000_000);
    let (_, event_now) = body(call(&app, Method::GET, &format!("/events/{event}"), Some(&read), None).await).await;
    assert_eq!((event_now["status"].as_str(), event_now["capacity"].as_i64()), (Some("cancelled"), Some(60)));
}

async fn lists_page_by_cursor_and_by_updated_since(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let read = token(&app, &owner, "portal", "read").await;
    let slug = published_event(&app, "shenzhen", 500, &[]).await;
    let event = app.event_id(&slug).await;
    for i in 0..230 {
        let fields = guest(&slug, &format!("guest{i}@example.com"), &format!("Guest {i}"));
        assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&fields)).await.status(), 200);
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let path = format!("/events/{event}/registrations?cursor={cursor}");
        let (status, page) = body(call(&app, Method::GET, &path, Some(&read), None).await).await;
        assert_eq!(status, 200, "{page}");
        pages += 1;
        seen.extend(page["items"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (230, 230));

    // Only what changed since a moment comes back.
    let since = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let fields = guest(&slug, "late@example.com", "Late Comer");
    assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&fields)).await.status(), 200);
    let since = since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let path = format!("/events/{event}/registrations?updated_since={}", since.replace('+', "%2B"));
    let (_, page) = body(call(&app, Method::GET, &path, Some(&read), None).await).await;
    let emails: Vec<&str> = page["items"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["late@example.com"]);

    // A page is at most 100; a bad cursor or limit is named.
    let (status, problem) = body(
        call(&app, Method::GET, &format!("/events/{event}/registrations?limit=500&cursor=x"), Some(&read), None).await,
    )
    .await;
    assert_eq!(status, 422);
    let fields: BTreeSet<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["cursor", "limit"].into_iter().collect());
}

async fn bad_input_is_a_problem_naming_each_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let write = token(&app, &owner, "crm", "read_write").await;
    let mut input = event_input("bad-stop");
    input["capacity"] = json!(0);
    input["title_zh"] = json!("");
    input["time_zone"] = json!("Mars/Olympus");
    let response = call(&app, Method::POST, "/events", Some(&write), Some(&input)).await;
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let (status, problem) = body(response).await;
    assert_eq!(status, 422, "{problem}");
    let fields: BTreeSet<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains("capacity") && fields.contains("title_zh") && fields.contains("time_zone"), "{problem}");
    assert!(problem["errors"][0]["code"].is_string() && problem["errors"][0]["message"].is_string());
    assert_eq!(app.count("event").await, 0, "nothing half-written");

    // In Chinese when asked.
    let chinese = new_client()
        .post(app.url("/api/v1/events"))
        .bearer_auth(&write)
        .header("accept-language", "zh-CN,zh;q=0.9")
        .json(&input)
        .send()
        .await
        .unwrap();
    let (_, problem) = body(chinese).await;
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{message}");

    // Unreadable bodies and unknown fields: 400; an id that is no number: 404; no such path: 404.
    let raw = new_client()
        .post(app.url("/api/v1/events"))
        .bearer_auth(&write)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    let (status, problem) = body(raw).await;
    assert_eq!((status, problem["status"].clone()), (400, json!(400)));
    let (status, _) =
        body(call(&app, Method::POST, "/events", Some(&write), Some(&json!({"colour": "red"}))).await).await;
    assert_eq!(status, 400);
    assert_eq!(body(call(&app, Method::GET, "/events/abc", Some(&write), None).await).await.0, 404);
    assert_eq!(body(call(&app, Method::GET, "/nothing-here", Some(&write), None).await).await.0, 404);
    // A taken slug is a conflict on its field.
    let (status, _) = body(call(&app, Method::POST, "/events", Some(&write), Some(&event_input("taken"))).await).await;
    assert_eq!(status, 201);
    let (status, problem) =
        body(call(&app, Method::POST, "/events", Some(&write), Some(&event_input("taken"))).await).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (409, Some("slug")), "{problem}");
}

async fn each_token_is_limited_with_retry_after(backend: Backend) {
    let app = TestApp::builder(backend).api_requests_per_minute(5).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let first = token(&app, &owner, "one", "read").await;
    let second = token(&app, &owner, "two", "read").await;
    for _ in 0..5 {
        assert_eq!(call(&app, Method::GET, "/units", Some(&first), None).await.status(), 200);
    }
    let limited = call(&app, Method::GET, "/units", Some(&first), None).await;
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let (_, problem) = body(limited).await;
    assert_eq!(problem["retry_after"], retry);
    // Another token is not held back by the first.
    assert_eq!(call(&app, Method::GET, "/units", Some(&second), None).await.status(), 200);
}

/// The document passes `openapi-spec-validator`, and its page reads without script.
async fn the_document_is_valid_openapi_and_readable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let doc = app.get("/api/v1/openapi.json").await;
    assert_eq!(doc.headers()["content-type"], "application/json");
    let text = doc.text().await.unwrap();
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert!(parsed["openapi"].as_str().unwrap().starts_with("3.1"), "{}", parsed["openapi"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &text).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join(".tools/smtp-venv/bin/python");
    let out = std::process::Command::new(python)
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .expect("run openapi-spec-validator (scripts/setup.sh installs it)");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));

    let page = app.get("/api/v1/docs").await;
    assert_eq!(page.status(), 200);
    assert!(page.headers().contains_key("content-security-policy"));
    let html = page.text().await.unwrap();
    assert!(html.contains("GET /api/v1/events/{id}/registrations") && html.contains("id=\"schema-Problem\""), "{html}");
    assert!(!html.contains("<script"));
}

/// A page of registrations asked again is answered from what the server kept, with an
/// `ETag` a caller can send back for `304`, but only while it is exactly what reading again
/// would give: any change to one of the event's registrations (this server's, or a write to
/// the database that no server made, as another node's would be) is seen at once.
async fn a_kept_page_holds_until_any_registration_of_the_event_changes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    app.organization("Another Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let read = token(&app, &owner, "portal", "read").await;
    let write = token(&app, &owner, "crm", "read_write").await;
    let slug = published_event(&app, "frankfurt", 50, &[]).await;
    let event = app.event_id(&slug).await;
    for i in 0..3 {
        let fields = guest(&slug, &format!("guest{i}@example.com"), &format!("Guest {i}"));
        assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&fields)).await.status(), 200);
    }
    let path = format!("/api/v1/events/{event}/registrations");
    let get = |etag: Option<String>| {
        let mut request = new_client().get(app.url(&path)).bearer_auth(&read);
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        async move {
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            let etag = response.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
            let cache = response.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string());
            (status, etag, cache, response.text().await.unwrap())
        }
    };
    let (status, first, cache, text) = get(None).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(cache.as_deref(), Some("private, no-cache"));
    let first = first.expect("an ETag");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["items"].as_array().unwrap().len(), 3);

    // Nothing changed: the same answer, or 304 without a body for the caller that has it.
    let (status, again, _, same) = get(None).await;
    assert_eq!((status, again.as_deref(), same.as_str()), (200, Some(first.as_str()), text.as_str()));
    let (status, etag, _, empty) = get(Some(first.clone())).await;
    assert_eq!((status, etag.as_deref(), empty.as_str()), (304, Some(first.as_str()), ""));
    let (status, _, _, _) = get(Some(format!("W/\"nope\", {first}"))).await;
    assert_eq!(status, 304);

    // A change no server made (as one made through another node): seen on the next read.
    app.execute("UPDATE registration SET name = 'Renamed Elsewhere' WHERE email = 'guest1@example.com'").await;
    let (status, second, _, text) = get(Some(first.clone())).await;
    assert_eq!(status, 200);
    assert!(text.contains("Renamed Elsewhere"), "{text}");
    let second = second.expect("an ETag");
    assert_ne!(second, first);

    // A check-in through the API, then a new guest: each a new answer.
    let id: i32 = app.scalar("SELECT id AS v FROM registration WHERE email = 'guest2@example.com'").await;
    let (status, _) =
        body(call(&app, Method::POST, &format!("/registrations/{id}/check-in"), Some(&write), None).await).await;
    assert_eq!(status, 200);
    let (status, third, _, text) = get(Some(second.clone())).await;
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(&text).unwrap();
    let checked = page["items"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
    assert!(checked["checked_in_at"].is_string(), "{checked}");
    let fields = guest(&slug, "late@example.com", "Late Comer");
    assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&fields)).await.status(), 200);
    let (status, fourth, _, text) = get(third.clone()).await;
    assert_eq!(status, 200);
    assert_ne!(fourth, third);
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["items"].as_array().unwrap().len(), 4);

    // Another query is another answer; another organization still gets 404.
    let (_, page) = body(
        call(&app, Method::GET, &format!("/events/{event}/registrations?status=waitlisted"), Some(&read), None).await,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 0, "{page}");
    let other_owner = app.signed_in("other@example.com").await;
    let other = token(&app, &other_owner, "theirs", "read").await;
    let (status, _) =
        body(call(&app, Method::GET, &format!("/events/{event}/registrations"), Some(&other), None).await).await;
    assert_eq!(status, 404);
}

/// A guest checked in at the door while cancelling on their phone: both writers take the
/// event's row before the registration's (the triggers write the event's row on any change
/// to one of its registrations), so neither ever waits on the other in a circle; each
/// answers, and the seat counts hold.
async fn a_check_in_racing_a_cancellation_always_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let write = token(&app, &owner, "door", "read_write").await;
    let slug = published_event(&app, "nairobi", 100, &[]).await;
    let mut guests = Vec::new();
    for i in 0..24 {
        let fields = guest(&slug, &format!("guest{i}@example.com"), &format!("Guest {i}"));
        let (status, outcome) = body(app.call(app::registrations::Register::PATH, &as_refs(&fields)).await).await;
        assert_eq!(status, 200, "{outcome}");
        let email = format!("guest{i}@example.com");
        let id: i32 = app.scalar(&format!("SELECT id AS v FROM registration WHERE email = '{email}'")).await;
        guests.push((id, outcome["manage_token"].as_str().unwrap().to_string()));
    }
    let races = guests.iter().map(|(id, manage)| {
        let (app, write) = (&app, &write);
        async move {
            let check_in = async {
                call(app, Method::POST, &format!("/registrations/{id}/check-in"), Some(write), None).await.status()
            };
            let cancel = async {
                app.call(app::registrations::CancelRegistration::PATH, &[("token", manage.as_str())]).await.status()
            };
            tokio::join!(check_in, cancel)
        }
    });
    for (checked, cancelled) in futures::future::join_all(races).await {
        assert!(checked == 200 || checked == 409, "check-in answered {checked}");
        assert!(cancelled.is_success() || cancelled.is_redirection(), "cancelling answered {cancelled}");
    }
    crate::registrations::assert_seat_counts_hold(&app).await;
}

on_both_databases!(
    tokens_are_shown_once_stored_hashed_scoped_and_revocable,
    every_documented_operation_answers_within_its_organization,
    lists_page_by_cursor_and_by_updated_since,
    a_kept_page_holds_until_any_registration_of_the_event_changes,
    a_check_in_racing_a_cancellation_always_answers,
    bad_input_is_a_problem_naming_each_field,
    each_token_is_limited_with_retry_after,
    the_document_is_valid_openapi_and_readable,
);
