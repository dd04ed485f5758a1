//! HTTP behaviour around the app: precompressed, long-cached static assets, the
//! language switch, and concurrent writers on the embedded database.

use crate::support::{Backend, TestApp, as_refs, event_fields, with};
use leptos::server_fn::ServerFn as _;

async fn hashed_assets_are_served_precompressed_and_cached_for_a_year(backend: Backend) {
    let app = TestApp::builder(backend)
        .site(|site| {
            let pkg = site.join("pkg");
            std::fs::create_dir_all(&pkg).unwrap();
            std::fs::write(pkg.join("roadshow.abc123.js"), "console.log('plain')").unwrap();
            std::fs::write(pkg.join("roadshow.abc123.js.br"), "BROTLI BYTES").unwrap();
            std::fs::write(pkg.join("roadshow.abc123.js.gz"), "GZIP BYTES").unwrap();
            std::fs::write(site.join("favicon.svg"), "<svg/>").unwrap();
        })
        .start()
        .await;

    let br =
        app.client.get(app.url("/pkg/roadshow.abc123.js")).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"BROTLI BYTES");

    let gzip =
        app.client.get(app.url("/pkg/roadshow.abc123.js")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(gzip.bytes().await.unwrap().as_ref(), b"GZIP BYTES");

    let plain = app.get("/favicon.svg").await;
    assert_eq!(plain.headers()["cache-control"], "public, max-age=3600", "unhashed files are revalidated hourly");

    let missing = app.get("/no/such/page").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("<h1>"), "the app's own 404 page");
}

async fn the_language_choice_is_remembered_and_redirects_stay_local(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let switched = app.get("/lang/en?next=%2Flogin").await;
    assert_eq!(switched.status(), 303);
    assert_eq!(switched.headers()["location"], "/login");
    let cookie = switched.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;") && cookie.contains("Max-Age=31536000"), "{cookie}");
    let page = app.get("/login").await.text().await.unwrap();
    assert!(page.contains("<html lang=\"en\""), "the cookie store sends lang=en");

    let open_redirect = app.get("/lang/zh?next=%2F%2Fevil.example").await;
    assert_eq!(open_redirect.headers()["location"], "/");
    // A browser drops the tab from `Location` and would read `//evil.example`.
    let tab = app.get("/lang/zh?next=%2F%09%2Fevil.example").await;
    assert_eq!(tab.headers()["location"], "/");
}

/// Each write reads first (the roadshow must belong to the organization) and then
/// inserts: on SQLite that upgrade fails at once with "database is locked" unless the
/// transaction took the write lock at `BEGIN IMMEDIATE`.
async fn parallel_writers_never_fail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let client = app.signed_in("owner@example.com").await;
    let roadshow: i32 = app
        .call_as(&client, app::roadshows::CreateRoadshow::PATH, &[("form[name]", "2027"), ("form[year]", "2027")])
        .await
        .json()
        .await
        .unwrap();
    let roadshow = roadshow.to_string();
    let writes = (0..40).map(|i| {
        let fields = with(&event_fields(&format!("parallel-stop-{i}")), &[("form[roadshow_id]", &roadshow)]);
        let request = client.post(app.url(app::events::CreateEvent::PATH)).form(&as_refs(&fields)).send();
        async move { request.await.unwrap().status() }
    });
    let statuses = futures::future::join_all(writes).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(app.count("event").await, 40);
    assert_eq!(app.count("agenda_item").await, 80);
}

/// An unexpected failure shows the user a short reference, never the raw error: the
/// request's id, which also comes back as `X-Request-Id` and stands on the failure's log
/// line.
async fn an_unexpected_failure_shows_the_reference_of_its_log_line(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    crate::support::captured_errors();
    let fine = app.call_as(&owner, app::roadshows::ListRoadshows::PATH, &[]).await;
    assert_eq!(fine.status(), 200);
    let first_id = fine.headers()["x-request-id"].to_str().unwrap().to_string();

    app.execute("ALTER TABLE roadshow RENAME TO roadshow_gone").await;
    let failed = app.call_as(&owner, app::roadshows::ListRoadshows::PATH, &[]).await;
    assert_eq!(failed.status(), 500);
    let id = failed.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(id.len() == 12 && id != first_id, "{id} {first_id}");
    let error: app::error::AppError = failed.json().await.unwrap();
    assert_eq!(error, app::error::AppError::Internal(id.clone()), "the user's reference is the request's id");
    assert_eq!(error.message(app::i18n::Lang::En), format!("Something went wrong on our side (ref {id})."));
    let log = crate::support::captured_errors();
    let line = log
        .lines()
        .find(|line| line.contains(&format!("reference=\"{id}\"")) || line.contains(&format!("reference={id}")));
    let line = line.unwrap_or_else(|| panic!("no log line with reference {id}:\n{log}"));
    assert!(line.contains("roadshow"), "the cause is in the log: {line}");
    assert!(line.contains(&format!("id=\"{id}\"")), "the line is in the request's span: {line}");
    assert!(line.contains("list_roadshows"), "and in the server function's: {line}");
}

on_both_databases!(
    an_unexpected_failure_shows_the_reference_of_its_log_line,
    hashed_assets_are_served_precompressed_and_cached_for_a_year,
    the_language_choice_is_remembered_and_redirects_stay_local,
    parallel_writers_never_fail,
);
