//! Organizer accounts through HTTP: first administrator, sign-in, sessions, rate
//! limit, and refusal of cross-site posts.

use crate::support::{Backend, PASSWORD, SETUP_TOKEN, TestApp, field_errors};
use app::auth::{Member, Role};
use app::error::AppError;
use leptos::server_fn::ServerFn as _;

/// The signed-in member `client` is (`CurrentMember` answers `None` for a visitor).
async fn current_member(app: &TestApp, client: &reqwest::Client) -> Member {
    let me: Option<Member> = app.call_as(client, app::auth::CurrentMember::PATH, &[]).await.json().await.unwrap();
    me.expect("a signed-in member")
}

async fn first_administrator_needs_the_setup_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let setup = |token: &'static str| {
        vec![
            ("form[token]", token),
            ("form[organization]", "岳阳市商务局"),
            ("form[name]", "Li Wei"),
            ("form[email]", "li.wei@example.com"),
            ("form[password]", PASSWORD),
        ]
    };

    let refused = app.call(app::auth::SetupAdmin::PATH, &setup("wrong")).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(field_errors(refused).await, vec![("token".to_string(), "wrong_setup_token".to_string())]);
    let echoed: AppError = app.call(app::auth::SetupAdmin::PATH, &setup("wrong")).await.json().await.unwrap();
    let AppError::Invalid(refused) = echoed else { panic!("a refusal of fields: {echoed:?}") };
    // The echoed form is JSON in the error itself (`FieldErrors::values`).
    let values = refused.values.unwrap_or_default();
    assert_eq!(values["email"], "li.wei@example.com", "the form comes back filled in");
    assert_eq!(values["password"], "", "but never with the password");
    assert_eq!(app.count("\"user\"").await, 0, "nothing written on refusal");

    let created = app.call(app::auth::SetupAdmin::PATH, &setup(SETUP_TOKEN)).await;
    assert_eq!(created.status(), 200);
    let cookie = created.headers().get("set-cookie").expect("session cookie").to_str().unwrap().to_string();
    assert!(cookie.starts_with("rs_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP: no Secure flag");

    let me = current_member(&app, &app.client).await;
    assert_eq!(me.role, Role::Owner);
    assert_eq!(me.organization_name, "岳阳市商务局");

    let again = app.call(app::auth::SetupAdmin::PATH, &setup(SETUP_TOKEN)).await;
    assert_eq!(again.status(), 403, "setup works once only");
}

async fn login_rotates_the_session_and_logout_ends_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;

    let wrong = app
        .call(app::auth::Login::PATH, &[("form[email]", "owner@example.com"), ("form[password]", "not the password")])
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(field_errors(wrong).await, vec![("password".to_string(), "wrong_credentials".to_string())]);
    let unknown =
        app.call(app::auth::Login::PATH, &[("form[email]", "nobody@example.com"), ("form[password]", PASSWORD)]).await;
    assert_eq!(unknown.status(), 422, "unknown accounts look like wrong passwords");

    let first =
        app.call(app::auth::Login::PATH, &[("form[email]", "OWNER@example.com"), ("form[password]", PASSWORD)]).await;
    assert_eq!(first.status(), 200);
    let first_cookie = first.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    let second =
        app.call(app::auth::Login::PATH, &[("form[email]", "owner@example.com"), ("form[password]", PASSWORD)]).await;
    let second_cookie = second.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert_ne!(first_cookie, second_cookie, "a new token at every sign-in");
    assert_eq!(app.count("session").await, 1, "the replaced session is deleted");

    assert_eq!(app.call(app::events::ListEvents::PATH, &[]).await.status(), 200);
    assert_eq!(app.call(app::auth::Logout::PATH, &[]).await.status(), 200);
    assert_eq!(app.count("session").await, 0);
    assert_eq!(app.call(app::events::ListEvents::PATH, &[]).await.status(), 401);
}

async fn repeated_failed_logins_are_rate_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let attempt = || {
        app.call(
            app::auth::Login::PATH,
            &[("form[email]", "owner@example.com"), ("form[password]", "guess guess guess")],
        )
    };
    for _ in 0..10 {
        assert_eq!(attempt().await.status(), 422);
    }
    let limited = attempt().await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().get("retry-after").is_some());
    let forged = app
        .client
        .post(app.url(app::auth::Login::PATH))
        .header("x-forwarded-for", "203.0.113.9")
        .form(&[("form[email]", "owner@example.com"), ("form[password]", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 429, "a forged X-Forwarded-For does not reset the limit");
}

async fn cross_site_posts_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let client = app.signed_in("owner@example.com").await;
    let post = |header: &'static str, value: &'static str| {
        client
            .post(app.url(app::roadshows::CreateRoadshow::PATH))
            .header(header, value)
            .form(&[("form[name]", "Evil"), ("form[year]", "2027")])
            .send()
    };
    assert_eq!(post("origin", "https://evil.example").await.unwrap().status(), 403);
    assert_eq!(post("sec-fetch-site", "cross-site").await.unwrap().status(), 403);
    assert_eq!(app.count("roadshow").await, 0);
    let same = post("sec-fetch-site", "same-origin").await.unwrap();
    assert_eq!(same.status(), 200, "{}", same.text().await.unwrap());
    assert_eq!(app.count("roadshow").await, 1);
}

async fn a_member_of_two_organizations_switches_between_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let county = app.organization("County team", "county@example.com").await;
    let stranger = app.organization("Elsewhere", "stranger@example.com").await;
    app.member(county, "owner@example.com", Role::Viewer).await;
    let client = app.signed_in("owner@example.com").await;

    let me = current_member(&app, &client).await;
    assert_eq!(me.organization_name, "Bureau");
    assert_eq!(me.organizations.len(), 2);

    let refused =
        app.call_as(&client, app::auth::SwitchOrganization::PATH, &[("organization_id", &stranger.to_string())]).await;
    assert_eq!(refused.status(), 403, "not a member there");
    let switched =
        app.call_as(&client, app::auth::SwitchOrganization::PATH, &[("organization_id", &county.to_string())]).await;
    assert_eq!(switched.status(), 200);
    let me = current_member(&app, &client).await;
    assert_eq!(me.organization_name, "County team");
    assert_eq!(me.role, Role::Viewer, "the role is the one held in that organization");
    let create = app
        .call_as(&client, app::roadshows::CreateRoadshow::PATH, &[("form[name]", "R"), ("form[year]", "2027")])
        .await;
    assert_eq!(create.status(), 403);
}

on_both_databases!(
    a_member_of_two_organizations_switches_between_them,
    first_administrator_needs_the_setup_token,
    login_rotates_the_session_and_logout_ends_it,
    repeated_failed_logins_are_rate_limited,
    cross_site_posts_are_refused,
);
