//! A guest's pages: kept for a moment and revalidated by their ETag, per language; changed
//! as soon as their seats change, and within a second when another server process took the
//! seat; personal pages never kept by a shared cache; the live checks of a guest's forms.

use leptos::server_fn::ServerFn as _;
use reqwest::{Response, StatusCode};

use crate::registrations::{guest, published_event};
use crate::support::{Backend, TestApp, as_refs};

fn header(response: &Response, name: &str) -> String {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn page(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

async fn register(app: &TestApp, slug: &str, email: &str) {
    let registered = app.call(app::registrations::Register::PATH, &as_refs(&guest(slug, email, "Li Na"))).await;
    assert_eq!(registered.status(), 200, "{}", registered.text().await.unwrap_or_default());
}

async fn a_public_page_revalidates_and_changes_with_its_seats(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "kept-stop", 5, &[]).await;
    let path = format!("/e/{slug}");

    let first = page(&app, &path, &[("accept-language", "en")]).await;
    assert_eq!(first.status(), 200);
    let etag = header(&first, "etag");
    assert!(etag.starts_with("W/\"en-"), "{etag}");
    assert_eq!(header(&first, "cache-control"), "public, no-cache");
    let vary = header(&first, "vary");
    assert!(vary.contains("Accept-Language") && vary.contains("Cookie"), "{vary}");
    let modified = header(&first, "last-modified");
    assert!(modified.ends_with(" GMT"), "{modified}");
    assert!(first.text().await.unwrap().contains("5 seats left"));

    // The browser holds it: 304 and no body, by ETag or by date.
    let again = page(&app, &path, &[("accept-language", "en"), ("if-none-match", &etag)]).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), etag);
    // It keeps the page's headers: a policy sent with no body would replace the page's.
    assert!(header(&again, "content-security-policy").is_empty());
    assert!(again.bytes().await.unwrap().is_empty());
    let by_date = page(&app, &path, &[("accept-language", "en"), ("if-modified-since", &modified)]).await;
    assert_eq!(by_date.status(), StatusCode::NOT_MODIFIED);

    // Another language is another page.
    let chinese = page(&app, &path, &[("accept-language", "zh-CN"), ("if-none-match", &etag)]).await;
    assert_eq!(chinese.status(), 200);
    assert!(header(&chinese, "etag").starts_with("W/\"zh-"));
    assert!(chinese.text().await.unwrap().contains("剩余 5 个席位"));

    // Compressed as the browser accepts, once.
    let plain = page(&app, &path, &[("accept-language", "en")]).await.bytes().await.unwrap().len();
    for coding in ["br", "gzip"] {
        let compressed = page(&app, &path, &[("accept-language", "en"), ("accept-encoding", coding)]).await;
        assert_eq!(header(&compressed, "content-encoding"), coding);
        let size = compressed.bytes().await.unwrap().len();
        assert!(size * 3 < plain, "{coding}: {size} of {plain} bytes");
    }

    // A registration changes the seats left: the next request sees it, and the old ETag
    // no longer matches.
    register(&app, &slug, "li.na@example.com").await;
    let after = page(&app, &path, &[("accept-language", "en"), ("if-none-match", &etag)]).await;
    assert_eq!(after.status(), 200);
    assert_ne!(header(&after, "etag"), etag);
    assert!(after.text().await.unwrap().contains("4 seats left"));
}

/// Waits until `app`'s page at `path` contains `text`, at most `within` after `since`.
async fn shows(app: &TestApp, path: &str, text: &str, since: std::time::Instant, within: std::time::Duration) {
    loop {
        if app.html(path, ("accept-language", "en")).await.contains(text) {
            return;
        }
        assert!(since.elapsed() < within, "{path} does not show {text:?} after {within:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Two server processes on one database (as two nodes), the first with an organization
/// and a published event of `seats` at `slug`.
async fn two_processes(backend: Backend, slug: &str, seats: usize) -> (TestApp, TestApp, String) {
    let one = TestApp::spawn(backend).await;
    one.organization("Bureau", "owner@example.com").await;
    let other = TestApp::builder(backend).same_database_as(&one).start().await;
    let slug = published_event(&one, slug, seats, &[]).await;
    (one, other, slug)
}

/// Two server processes on one database: a seat taken through one shows on the other's
/// page within a second, although that process kept the page and saw no write; so does the
/// event's cancellation (no form offered any more).
async fn another_process_shows_the_seat_within_a_second(backend: Backend) {
    let second = std::time::Duration::from_millis(1000);
    let (one, other, slug) = two_processes(backend, "two-nodes", 3).await;
    let path = format!("/e/{slug}");
    assert!(other.html(&path, ("accept-language", "en")).await.contains("3 seats left"));

    register(&one, &slug, "first@example.com").await;
    shows(&other, &path, "2 seats left", std::time::Instant::now(), second).await;

    let owner = one.signed_in("owner@example.com").await;
    let id = one.event_id(&slug).await.to_string();
    let fields = [("id", id.as_str()), ("status", "cancelled")];
    assert_eq!(one.call_as(&owner, app::events::SetEventStatus::PATH, &fields).await.status(), 200);
    shows(&other, &path, "This event has been cancelled.", std::time::Instant::now(), second).await;
    assert!(!other.html(&path, ("accept-language", "en")).await.contains("name=\"form[email]\""));
}

/// On PostgreSQL each process listens for the others' changes on a connection of its own:
/// a change shows on the other process at once, well before its kept page would expire.
/// That connection killed, pages are still no more than a second stale, and it is opened
/// again.
async fn the_change_notices_survive_a_lost_connection(backend: Backend) {
    let second = std::time::Duration::from_millis(1000);
    let (one, other, slug) = two_processes(backend, "lost-notices", 10).await;
    let path = format!("/e/{slug}");
    let listening = "pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while one.count(listening).await < 2 {
        assert!(std::time::Instant::now() < deadline, "the two processes do not listen");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Kept just now, and told: the change shows at once, not when the page expires 500 ms
    // after it was kept.
    assert!(other.html(&path, ("accept-language", "en")).await.contains("10 seats left"));
    let kept = std::time::Instant::now();
    register(&one, &slug, "a@example.com").await;
    shows(&other, &path, "9 seats left", kept, std::time::Duration::from_millis(300)).await;

    one.execute(&format!("SELECT pg_terminate_backend(pid) FROM {listening}")).await;
    register(&one, &slug, "b@example.com").await;
    shows(&other, &path, "8 seats left", std::time::Instant::now(), second).await;

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while one.count(listening).await < 2 {
        assert!(std::time::Instant::now() < deadline, "the processes did not listen again");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    register(&one, &slug, "c@example.com").await;
    shows(&other, &path, "7 seats left", std::time::Instant::now(), second).await;
}

/// On PostgreSQL the database tells a change of an event's seats alone (`:seats:<slug>`:
/// every process drops the page, keeps what registering reads) from a change of the event
/// (`<slug>`: both dropped), and a batch of guests updates the event row once, in one
/// statement, not once per guest. An edit made on one process still reaches the other's
/// next registration at once.
async fn a_seat_is_told_apart_from_an_edit(backend: Backend) {
    let (one, other, slug) = two_processes(backend, "told-apart", 5).await;
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect(&one.database_url).await.unwrap();
    listener.listen("roadshow_public").await.unwrap();
    register(&one, &slug, "a@example.com").await;
    assert_eq!(next_notice(&mut listener).await, format!(":seats:{slug}"));
    // Five guests inserted in one statement: the counts and the version move by five, and
    // the event row is updated once (per-row triggers: five times), as a trigger of this
    // test's own counts.
    use app::domain::RegistrationStatus;
    use app::entities::registration;
    use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
    let version = || one.scalar::<i64>("SELECT registrations_version AS v FROM event WHERE slug = 'told-apart'");
    let was = version().await;
    let first = registration::Entity::find()
        .filter(registration::Column::Email.eq("a@example.com"))
        .one(&one.db)
        .await
        .unwrap()
        .unwrap();
    let copies = (0..5).map(|n| {
        let mut copy = first.clone().into_active_model();
        copy.id = sea_orm::ActiveValue::NotSet;
        copy.email = sea_orm::ActiveValue::Set(format!("bulk{n}@example.com"));
        copy.manage_nonce = sea_orm::ActiveValue::Set(format!("bulk-nonce-{n}"));
        copy.check_in_code = sea_orm::ActiveValue::Set(format!("BULK{n}"));
        copy.status = sea_orm::ActiveValue::Set(RegistrationStatus::Waitlisted);
        copy
    });
    one.execute(
        "CREATE TABLE event_updates (event_id integer);
         CREATE FUNCTION count_event_update() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN INSERT INTO event_updates VALUES (NEW.id); RETURN NULL; END $$;
         CREATE TRIGGER count_event_update AFTER UPDATE ON event FOR EACH ROW EXECUTE FUNCTION count_event_update();",
    )
    .await;
    registration::Entity::insert_many(copies).exec_without_returning(&one.db).await.unwrap();
    one.execute("DROP TRIGGER count_event_update ON event").await;
    assert_eq!(one.count("event_updates").await, 1, "updates of the event row for five guests");
    assert_eq!(version().await, was + 5);
    assert_eq!(next_notice(&mut listener).await, format!(":seats:{slug}"));
    assert_eq!(one.count("event WHERE waitlisted_count = 5 AND confirmed_count = 1").await, 1);
    crate::registrations::assert_seat_counts_hold(&one).await;

    one.execute(&format!("UPDATE event SET title_en = 'Renamed stop' WHERE slug = '{slug}'")).await;
    assert_eq!(next_notice(&mut listener).await, slug);
    shows(&other, &format!("/e/{slug}"), "Renamed stop", std::time::Instant::now(), std::time::Duration::from_secs(1))
        .await;
}

async fn next_notice(listener: &mut sea_orm::sqlx::postgres::PgListener) -> String {
    let notice = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv()).await;
    notice.expect("no notice within 5 s").unwrap().payload().to_string()
}

/// Pages for one reader say so: a guest's private page, a refused form's values, an
/// invitation, the organizer's pages; no shared cache keeps them.
async fn personal_pages_are_not_kept_by_shared_caches(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let slug = published_event(&app, "personal", 5, &[]).await;
    let registered = app.call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "a@example.com", "A"))).await;
    let outcome: app::registrations::RegistrationOutcome = registered.json().await.unwrap();
    let token = outcome.manage_token.unwrap();

    // Every public page describes itself to search engines and link previews.
    for path in ["/".to_string(), format!("/e/{slug}"), format!("/r/{token}")] {
        let html = app.html(&path, ("accept-language", "en")).await;
        assert!(html.contains("<meta name=\"description\" content=\""), "{path}");
    }
    for path in [format!("/r/{token}"), format!("/e/{slug}?invite=abc"), format!("/e/{slug}?__err=x")] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "cache-control"), "private, no-store", "{path}");
        assert!(header(&response, "etag").is_empty(), "{path}");
    }
    for path in ["/admin", "/admin/leads"] {
        let response = owner.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "cache-control"), "private, no-cache", "{path}");
    }
    let call = app.call_as(&owner, app::auth::CurrentMember::PATH, &[]).await;
    assert_eq!(header(&call, "cache-control"), "private, no-cache");
    // The guest script, by the address the pages give, is kept for a year.
    let html = app.html(&format!("/e/{slug}"), ("accept-language", "en")).await;
    let src = html.split("src=\"/guest.js").nth(1).and_then(|rest| rest.split('"').next()).expect("the guest script");
    let script = app.get(&format!("/guest.js{src}")).await;
    assert_eq!(header(&script, "cache-control"), "public, max-age=31536000, immutable");
    assert!(header(&script, "content-type").starts_with("text/javascript"));
    assert!(script.text().await.unwrap().contains("/check?fn="));
    // Any other address of it (an old version, none) is kept for minutes only.
    for other in ["/guest.js", "/guest.js?", "/guest.js?v=0"] {
        assert_eq!(header(&app.get(other).await, "cache-control"), "public, max-age=300", "{other}");
    }
}

/// The live check of a guest's form answers with the server's own messages, in the
/// reader's language, and writes nothing.
async fn the_live_check_speaks_the_servers_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "checked", 5, &[]).await;
    let check = |fields: Vec<(String, String)>, lang: &'static str, form: &'static str| {
        let request = app
            .client
            .post(app.url(&format!("/check?fn={}", app::web::url_encode(form))))
            .header("accept-language", lang)
            .form(&fields);
        async move { request.send().await.unwrap() }
    };
    let mut fields = guest(&slug, "not-an-email", "");
    fields.retain(|(name, _)| name != "form[consent_data]");
    let answer = check(fields.clone(), "en", app::registrations::Register::PATH).await;
    assert_eq!(answer.status(), 200);
    let answer: serde_json::Value = answer.json().await.unwrap();
    let fields_en = answer["fields"].as_object().unwrap();
    for field in ["name", "email", "consent_data"] {
        assert!(fields_en.get(field).and_then(|m| m.as_str()).is_some_and(|m| !m.is_empty()), "{field}: {answer}");
    }
    assert!(fields_en["email"].as_str().unwrap().is_ascii(), "{answer}");
    let chinese: serde_json::Value =
        check(fields.clone(), "zh-CN", app::registrations::Register::PATH).await.json().await.unwrap();
    assert!(!chinese["fields"]["email"].as_str().unwrap().is_ascii(), "{chinese}");
    let fine: serde_json::Value =
        check(guest(&slug, "li.na@example.com", "Li Na"), "en", app::registrations::Register::PATH)
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(fine["fields"], serde_json::json!({}));
    assert_eq!(app.count("registration").await, 0, "a check writes nothing");

    let login = [("form[email]".to_string(), "x".to_string()), ("form[password]".to_string(), String::new())];
    let login: serde_json::Value = check(login.to_vec(), "en", app::auth::Login::PATH).await.json().await.unwrap();
    assert!(login["fields"]["email"].is_string(), "{login}");
    // Only the guests' forms are checked here.
    let other = check(vec![], "en", app::events::CreateEvent::PATH).await;
    assert_eq!(other.status(), 404);
}

/// An organizer sees a draft's public page as a phone would show it, framed by the edit
/// page only; nobody else sees it.
async fn an_organizer_previews_a_draft(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    app.organization("Other bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let fields = crate::support::with(
        &crate::support::event_fields("draft-stop"),
        &[("form[title_en]", "Draft Forum — Nairobi"), ("form[agenda]", "10:00 | Opening | Mayor")],
    );
    let created = app.call_as(&owner, app::events::CreateEvent::PATH, &as_refs(&fields)).await;
    let id: i32 = created.json().await.unwrap();
    let path = format!("/admin/preview/{id}");

    let preview = owner.get(app.url(&path)).header("accept-language", "en").send().await.unwrap();
    assert_eq!(preview.status(), 200);
    assert_eq!(header(&preview, "x-frame-options"), "SAMEORIGIN");
    assert!(header(&preview, "content-security-policy").contains("frame-ancestors 'self'"));
    let html = preview.text().await.unwrap();
    assert!(html.contains("Draft Forum — Nairobi") && html.contains("Opening"), "{html}");
    assert!(html.contains(" inert"), "nothing in the preview can be used");
    // The draft stays unpublished, and another organization's member does not see it.
    assert_eq!(app.get("/e/draft-stop").await.status(), 404);
    let other = app.signed_in("other@example.com").await;
    let theirs = other.get(app.url(&path)).header("accept-language", "en").send().await.unwrap().text().await.unwrap();
    assert!(!theirs.contains("Draft Forum"), "{theirs}");
    let anonymous = app.get(&path).await.text().await.unwrap();
    assert!(!anonymous.contains("Draft Forum"));
}

on_both_databases!(
    an_organizer_previews_a_draft,
    a_public_page_revalidates_and_changes_with_its_seats,
    another_process_shows_the_seat_within_a_second,
    personal_pages_are_not_kept_by_shared_caches,
    the_live_check_speaks_the_servers_rules
);

mod a_seat_is_told_apart_from_an_edit {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::a_seat_is_told_apart_from_an_edit(crate::support::Backend::Postgres).await
    }
}

mod the_change_notices_survive_a_lost_connection {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::the_change_notices_survive_a_lost_connection(crate::support::Backend::Postgres).await
    }
}
