//! The browser's defences: every route of the app, signed in and signed out, answers with
//! the security headers; the scripts of an organizer's page carry the nonce its policy
//! names, and a guest's page runs only the guest script from this origin, nothing inline
//! and no WASM; stored text written to break out of `<title>` or `<textarea>` stays text.

use leptos::server_fn::ServerFn as _;
use reqwest::{Client, Response};

use crate::registrations::guest;
use crate::support::{Backend, TestApp, as_refs, event_fields, with};

const TITLE_ATTACK: &str = "T</title><script>alert(6)</script>";
const TEXTAREA_ATTACK: &str = "</textarea><img src=x onerror=alert(7)>";

/// One of each thing a route can name, so that every route of the app can be opened.
struct World {
    slug: String,
    manage_token: String,
    host_token: String,
    unsubscribe_token: String,
    roadshow: i32,
    event: i32,
    lead: i32,
    rule: i32,
    campaign: i32,
    outbox: i32,
    webhook: i32,
}

async fn json_id(response: Response) -> i32 {
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    response.json().await.unwrap()
}

/// A roadshow and a published stop whose texts try to break out of the page, a guest
/// who ticked follow-up emails, a template, a rule, and a campaign sent now.
async fn world(app: &TestApp, owner: &Client) -> World {
    let roadshow = json_id(
        app.call_as(
            owner,
            app::roadshows::CreateRoadshow::PATH,
            &[("form[name]", TITLE_ATTACK), ("form[year]", "2027"), ("form[description]", TEXTAREA_ATTACK)],
        )
        .await,
    )
    .await;
    let slug = "attack-stop".to_string();
    let roadshow_id = roadshow.to_string();
    let fields = with(
        &event_fields(&slug),
        &[
            ("form[title_en]", TITLE_ATTACK),
            ("form[title_zh]", TITLE_ATTACK),
            ("form[description_en]", TEXTAREA_ATTACK),
            ("form[roadshow_id]", &roadshow_id),
        ],
    );
    let event = json_id(app.call_as(owner, app::events::CreateEvent::PATH, &as_refs(&fields)).await).await;
    let event_id = event.to_string();
    let published =
        app.call_as(owner, app::events::SetEventStatus::PATH, &[("id", &event_id), ("status", "published")]).await;
    assert_eq!(published.status(), 200);
    let question = [
        ("event_id", event_id.as_str()),
        ("form[kind]", "long_text"),
        ("form[label_zh]", TITLE_ATTACK),
        ("form[label_en]", TITLE_ATTACK),
    ];
    let question = json_id(app.call_as(owner, app::questions::AddQuestion::PATH, &question).await).await;
    let answer = format!("form[answers][q{question}]");
    let registration = with(
        &guest(&slug, "guest@example.com", TITLE_ATTACK),
        &[("form[consent_marketing]", "on"), (&answer, TEXTAREA_ATTACK)],
    );
    let registered = app.call(app::registrations::Register::PATH, &as_refs(&registration)).await;
    assert_eq!(registered.status(), 200, "{}", registered.text().await.unwrap_or_default());
    let registered: app::registrations::RegistrationOutcome = registered.json().await.unwrap();
    let manage_token = registered.manage_token.unwrap();
    let lead = app.scalar("SELECT id AS v FROM lead").await;

    let template: Vec<(String, String)> = [
        ("name", TITLE_ATTACK),
        ("subject_zh", "{{name}}"),
        ("body_zh", TEXTAREA_ATTACK),
        ("subject_en", "{{name}}"),
        ("body_en", "Dear {{name}}, [link]({{company}})"),
    ]
    .iter()
    .map(|(k, v)| (format!("form[{k}]"), v.to_string()))
    .collect();
    let template =
        json_id(app.call_as(owner, app::follow_ups::SaveTemplate::PATH, &as_refs(&template)).await).await.to_string();
    let rule = [
        ("form[event_id]", event_id.as_str()),
        ("form[template_id]", template.as_str()),
        ("form[trigger]", "reminder"),
        ("form[offset_hours]", "24"),
    ];
    let rule = json_id(app.call_as(owner, app::follow_ups::SaveRule::PATH, &rule).await).await;
    let campaign = [
        ("form[name]", TITLE_ATTACK),
        ("form[template_id]", template.as_str()),
        ("form[send_at_local]", ""),
        ("form[time_zone]", "Asia/Shanghai"),
    ];
    let campaign = json_id(app.call_as(owner, app::campaigns::CreateCampaign::PATH, &campaign).await).await;
    let unsubscribe_token =
        app.scalar("SELECT unsubscribe_token AS v FROM outbox_message WHERE unsubscribe_token IS NOT NULL").await;
    let outbox = app.scalar("SELECT MIN(id) AS v FROM outbox_message").await;
    let hook = [("form[url]", "https://crm.example.com/hooks"), ("form[events][lead.created]", "on")];
    let webhook = json_id(app.call_as(owner, app::webhooks::CreateWebhook::PATH, &hook).await).await;
    // A meeting host whose profile tries to break out of their own page.
    let host = [("event_id", event_id.as_str()), ("form[name]", TITLE_ATTACK), ("form[organization]", TEXTAREA_ATTACK)];
    json_id(app.call_as(owner, app::meetings::SaveHost::PATH, &host).await).await;
    let programme: app::meetings::Programme =
        app.call_as(owner, app::meetings::GetProgramme::PATH, &[("event_id", &event_id)]).await.json().await.unwrap();
    let host_token = programme.host_links[0].1.rsplit_once("/h/").unwrap().1.to_string();
    World { slug, manage_token, host_token, unsubscribe_token, roadshow, event, lead, rule, campaign, outbox, webhook }
}

/// The route's path with each parameter replaced by the thing of `world` it names.
fn path_of(route: &str, world: &World) -> String {
    route
        .split('/')
        .map(|segment| {
            let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                return segment.to_string();
            };
            match (route, name) {
                (_, "slug") => world.slug.clone(),
                (r, "token") if r.starts_with("/r/") => world.manage_token.clone(),
                (r, "token") if r.starts_with("/h/") => world.host_token.clone(),
                (r, "token") if r.starts_with("/unsubscribe/") => world.unsubscribe_token.clone(),
                (r, "id") if r.starts_with("/roadshow/") || r.starts_with("/admin/roadshows/") => {
                    world.roadshow.to_string()
                }
                (r, "id") if r.starts_with("/admin/events/") || r.starts_with("/admin/preview/") => {
                    world.event.to_string()
                }
                (r, "id") if r.starts_with("/admin/leads/") => world.lead.to_string(),
                (r, "id") if r.starts_with("/admin/follow-ups/rules/") => world.rule.to_string(),
                (r, "id") if r.starts_with("/admin/campaigns/") => world.campaign.to_string(),
                (r, "id") if r.starts_with("/admin/outbox/") => world.outbox.to_string(),
                (r, "id") if r.starts_with("/admin/webhooks/") => world.webhook.to_string(),
                _ => panic!("the test does not know what {{{name}}} of {route} names: add it to path_of"),
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The nonce the response's policy allows scripts with (none on a guest's page, whose
/// policy allows its one script by origin); panics unless every security header is there.
fn assert_page_headers(response: &Response, what: &str) -> Option<String> {
    let header = |name: &str| {
        response.headers().get(name).unwrap_or_else(|| panic!("{what}: no {name}")).to_str().unwrap().to_string()
    };
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    // The event preview is framed by the edit page, by this site only; nothing else is framed.
    let framed = what.contains("/admin/preview/");
    assert_eq!(header("x-frame-options"), if framed { "SAMEORIGIN" } else { "DENY" }, "{what}");
    assert!(
        header("referrer-policy").contains("no-referrer")
            || header("referrer-policy") == "strict-origin-when-cross-origin"
    );
    let camera = if what.contains("/check-in")
        || what.contains("/capture")
        || what.contains("/leads/new")
        || what.contains(" /h/")
    {
        "camera=(self)"
    } else {
        "camera=()"
    };
    assert!(header("permissions-policy").starts_with(camera), "{what}: {}", header("permissions-policy"));
    let csp = header("content-security-policy");
    let frame_ancestors = if framed { "frame-ancestors 'self'" } else { "frame-ancestors 'none'" };
    for directive in
        ["object-src 'none'", "base-uri 'none'", "form-action 'self'", frame_ancestors, "img-src 'self' data: https:"]
    {
        assert!(csp.contains(directive), "{what}: {directive} missing from {csp}");
    }
    let guest = what.split_whitespace().any(|word| word.starts_with('/') && !word.starts_with("/admin"));
    if guest {
        assert!(csp.contains("script-src 'self';"), "{what}: a guest's page runs its own script only: {csp}");
        assert!(!csp.contains("nonce") && !csp.contains("wasm"), "{what}: {csp}");
        return None;
    }
    let script_src = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).expect("script-src");
    let nonce = script_src
        .split_whitespace()
        .find_map(|source| source.strip_prefix("'nonce-").and_then(|n| n.strip_suffix('\'')))
        .unwrap_or_else(|| panic!("{what}: no nonce in {script_src}"));
    assert!(nonce.len() >= 22, "{what}: a nonce of at least 128 bits: {nonce}");
    assert_eq!(script_src, format!("script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'"), "{what}");
    Some(nonce.to_string())
}

/// A guest's page: one script, the guest script by its versioned address, nothing inline
/// but JSON-LD (data), no WASM and no hydration data.
fn assert_guest_page(html: &str, what: &str) {
    let tags: Vec<&str> =
        html.split("<script").skip(1).map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())]).collect();
    let run: Vec<&&str> = tags.iter().filter(|tag| !tag.contains("application/ld+json")).collect();
    assert_eq!(run.len(), 1, "{what}: {run:?}");
    assert!(run[0].contains("src=\"/guest.js?v=") && run[0].contains("defer"), "{what}: {}", run[0]);
    assert!(!html.contains(".wasm") && !html.contains("/pkg/roadshow.abc123.js"), "{what}: loads the WASM");
    assert!(!html.contains("__RESOLVED_RESOURCES"), "{what}: hydration data");
}

/// Every script of `html`, and every hint that preloads one, carries `nonce` (JSON-LD is
/// data, never run).
fn assert_scripts_carry(html: &str, nonce: &str, what: &str) {
    let mut scripts = 0;
    let tags = |name: &'static str| {
        html.split(name).skip(1).map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())]).collect::<Vec<_>>()
    };
    let preloads = tags("<link").into_iter().filter(|tag| tag.contains("rel=\"modulepreload\""));
    for tag in tags("<script").into_iter().chain(preloads) {
        if tag.contains("application/ld+json") {
            continue;
        }
        scripts += 1;
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{what}: a script without the nonce: {tag}");
    }
    assert!(scripts >= 2 || !html.contains("<body"), "{what}: a page without its hydration script and hint");
}

/// The camera is allowed per document (`Permissions-Policy`): every link to a page that
/// scans codes loads it as a new document rather than by client-side navigation.
fn assert_scanning_pages_load_as_documents(html: &str, what: &str) {
    for tag in html.split("<a ").skip(1).map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())]) {
        let scans = ["/check-in\"", "/capture\"", "/admin/leads/new\""].iter().any(|end| tag.contains(end));
        if scans && tag.contains("href=") {
            assert!(tag.contains("rel=\"external\""), "{what}: a link to a scanning page: <a {tag}>");
        }
    }
}

async fn every_html_route_carries_the_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let world = world(&app, &owner).await;
    let anonymous = crate::support::client_builder().build().unwrap();

    let routes = server::route_list();
    assert!(routes.len() >= 30, "the app's routes: {}", routes.len());
    let mut nonces = std::collections::HashSet::new();
    let mut pages = 0;
    for route in &routes {
        let path = path_of(route.path(), &world);
        for (who, client) in [("signed in", &owner), ("signed out", &anonymous)] {
            let what = format!("{who} GET {path}");
            let response = client.get(app.url(&path)).send().await.unwrap();
            let status = response.status();
            let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
            assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{what}");
            if status.is_redirection() {
                assert!(who == "signed out" && path.starts_with("/admin"), "{what}: {status}");
                continue;
            }
            assert!(content_type.as_deref().is_some_and(|c| c.starts_with("text/html")), "{what}: {content_type:?}");
            if who == "signed in" || !path.starts_with("/admin") {
                assert_eq!(status, 200, "{what}");
            }
            let nonce = assert_page_headers(&response, &what);
            let html = response.text().await.unwrap_or_else(|e| panic!("{what}: the page's body: {e}"));
            let Some(nonce) = nonce else {
                assert_guest_page(&html, &what);
                // A public page is whole without JavaScript: nothing streamed out of order
                // into a `<template>` that only script would show.
                assert!(!html.contains("<template"), "{what}: part of the page waits for script");
                pages += 1;
                continue;
            };
            assert_scripts_carry(&html, &nonce, &what);
            if html.contains("<body") {
                // The hydration scripts name the build's hashed files (see the hash file).
                assert!(html.contains("href=\"/pkg/roadshow.abc123.js\""), "{what}: the loader's preload");
                assert!(html.contains("import('/pkg/roadshow.abc123.js')"), "{what}: the loader");
                assert!(html.contains("'/pkg/roadshow.abc123.wasm'"), "{what}: the WASM");
            }
            assert_scanning_pages_load_as_documents(&html, &what);
            assert!(nonces.insert(nonce), "{what}: a nonce used twice");
            pages += 1;
        }
    }
    assert!(pages >= routes.len(), "{pages} pages for {} routes", routes.len());

    // Pages that are not routes of the app: the not-found page, the one-click unsubscribe
    // answer; and data is framed nowhere and runs nothing.
    let missing = app.get("/no/such/page").await;
    assert_eq!(missing.status(), 404);
    assert_page_headers(&missing, "404 of /no/such/page");
    assert_guest_page(&missing.text().await.unwrap(), "404");
    let missing = owner.get(app.url("/admin/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(assert_page_headers(&missing, "404 of /admin/no/such/page").is_some());
    let unsubscribed =
        app.client.post(app.url(&format!("/unsubscribe/{}", world.unsubscribe_token))).send().await.unwrap();
    assert_eq!(unsubscribed.status(), 200);
    assert_page_headers(&unsubscribed, "unsubscribe answer of /unsubscribe/");
    let data = owner.get(app.url("/admin/leads.csv")).send().await.unwrap();
    assert_eq!(data.status(), 200);
    assert_eq!(data.headers()["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    assert_eq!(data.headers()["x-content-type-options"], "nosniff");
    let call = app.call_as(&owner, app::auth::CurrentMember::PATH, &[]).await;
    assert_eq!(call.headers()["x-content-type-options"], "nosniff");
    // A private link's page never hands its token to another site.
    let private = app.get(&format!("/r/{}", world.manage_token)).await;
    assert_eq!(private.headers()["referrer-policy"], "no-referrer");
    assert!(!private.headers().contains_key("strict-transport-security"), "HSTS only behind HTTPS");
    // Also when the page is reached by a client-side navigation: the document says so.
    assert!(private.text().await.unwrap().contains("<meta name=\"referrer\" content=\"no-referrer\">"));
}

/// The injection the public event page had: a stored title closed `<title>` in the head.
/// Every place a stored text is written stays text: head, body, textareas, JSON-LD.
async fn stored_text_never_becomes_markup(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let world = world(&app, &owner).await;
    let escaped_title = "T&lt;/title&gt;&lt;script&gt;alert(6)&lt;/script&gt;";

    let public = app.html(&format!("/e/{}", world.slug), ("accept-language", "en")).await;
    assert!(public.contains(&format!("<title>{escaped_title}</title>")), "{public}");
    assert!(!public.contains("<script>alert(6)"), "{public}");
    let json_ld = &public[public.find("application/ld+json").expect("JSON-LD")..];
    let json_ld = &json_ld[json_ld.find('>').unwrap() + 1..json_ld.find("</script>").unwrap()];
    assert!(!json_ld.contains('<') && !json_ld.contains('>'), "{json_ld}");
    let data: serde_json::Value = serde_json::from_str(json_ld).unwrap();
    assert_eq!(data["name"], TITLE_ATTACK, "the escapes read back as the same title");

    for path in [
        format!("/roadshow/{}", world.roadshow),
        format!("/r/{}", world.manage_token),
        format!("/admin/events/{}", world.event),
        format!("/admin/events/new?from={}", world.event),
        format!("/admin/events/{}/registrations", world.event),
        format!("/admin/roadshows/{}", world.roadshow),
        format!("/admin/leads/{}", world.lead),
        format!("/admin/campaigns/{}", world.campaign),
        "/admin/follow-ups".to_string(),
    ] {
        let response = owner.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(escaped_title), "{path} shows the stored text, escaped: {html}");
        assert!(!html.contains("<script>alert(6)"), "{path}: {html}");
        assert!(!html.contains("<img src=x onerror"), "{path}: {html}");
        assert!(!html.contains("<img src=\"x\" onerror"), "{path}: {html}");
    }
    // The textareas hold the stored text, escaped, and a form posted back keeps it whole.
    let edit =
        owner.get(app.url(&format!("/admin/events/{}", world.event))).send().await.unwrap().text().await.unwrap();
    assert!(edit.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(7)&gt;"), "{edit}");
    let manage = app.html(&format!("/r/{}", world.manage_token), ("accept-language", "en")).await;
    assert!(manage.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(7)&gt;"), "{manage}");
}

on_both_databases!(every_html_route_carries_the_security_headers, stored_text_never_becomes_markup);
