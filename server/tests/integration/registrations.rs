//! Guests register through HTTP on a real database: confirmed while seats last,
//! waitlisted after, never overbooked however many register at once.

use crate::support::{Backend, TestApp, as_refs, event_fields, field_errors, with};
use app::domain::RegistrationStatus;
use app::registrations::{CheckInOutcome, RegistrationList, RegistrationOutcome, RegistrationView};
use leptos::server_fn::ServerFn as _;

/// A published event with `capacity` seats; returns its slug.
pub async fn published_event(app: &TestApp, slug: &str, capacity: usize, extra: &[(&str, &str)]) -> String {
    let owner = app.signed_in("owner@example.com").await;
    let capacity = capacity.to_string();
    let mut overrides = vec![("form[capacity]", capacity.as_str())];
    overrides.extend_from_slice(extra);
    let fields = with(&event_fields(slug), &overrides);
    let created = app.call_as(&owner, app::events::CreateEvent::PATH, &as_refs(&fields)).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap_or_default());
    let id: i32 = created.json().await.unwrap();
    let published = app
        .call_as(&owner, app::events::SetEventStatus::PATH, &[("id", &id.to_string()), ("status", "published")])
        .await;
    assert_eq!(published.status(), 200);
    slug.to_string()
}

pub fn guest(slug: &str, email: &str, name: &str) -> Vec<(String, String)> {
    [
        ("slug", slug),
        ("form[name]", name),
        ("form[email]", email),
        ("form[company]", "Hunan Chamber of Commerce in Shenzhen"),
        ("form[language]", "en"),
        ("form[consent_data]", "on"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn count_status(app: &TestApp, status: &str) -> i64 {
    app.count(&format!("registration WHERE status = '{status}'")).await
}

/// The seat counts the database keeps on each event agree with its registrations.
pub async fn assert_seat_counts_hold(app: &TestApp) {
    let wrong = app
        .count(
            "event e WHERE e.confirmed_count <> (SELECT COUNT(*) FROM registration r WHERE r.event_id = e.id AND r.status = 'confirmed')
             OR e.waitlisted_count <> (SELECT COUNT(*) FROM registration r WHERE r.event_id = e.id AND r.status = 'waitlisted')",
        )
        .await;
    assert_eq!(wrong, 0, "events whose kept seat counts disagree with their registrations");
}

async fn a_guest_registers_once_however_often_they_submit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "2027-frankfurt-equipment", 10, &[]).await;

    let first = app
        .call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "Wang.Fang@example.com", "Wang Fang")))
        .await;
    assert_eq!(first.status(), 200);
    let outcome: RegistrationOutcome = first.json().await.unwrap();
    assert_eq!(outcome.status, RegistrationStatus::Confirmed);
    assert!(!outcome.updated);

    let again = app
        .call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "wang.fang@EXAMPLE.com ", "王芳 Wang Fang")))
        .await;
    let outcome: RegistrationOutcome = again.json().await.unwrap();
    assert!(outcome.updated, "the same email updates the one registration");
    assert_eq!(app.count("registration").await, 1);

    let page = app.html(&format!("/e/{slug}"), ("accept-language", "en")).await;
    assert!(page.contains("9 seats left"), "the page counts the confirmed guest");
}

async fn bad_registrations_are_refused_field_by_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "2027-frankfurt-equipment", 10, &[]).await;
    let bad = with(
        &guest(&slug, "not-an-email", ""),
        &[("form[consent_data]", ""), ("form[phone]", "call me"), ("form[industry_chains][crypto]", "on")],
    );
    let response = app.call(app::registrations::Register::PATH, &as_refs(&bad)).await;
    assert_eq!(response.status(), 422);
    let mut errors = field_errors(response).await;
    errors.sort();
    assert_eq!(
        errors,
        [
            ("consent_data", "consent_required"),
            ("email", "invalid_email"),
            ("industry_chains", "unknown_choice"),
            ("name", "required"),
            ("phone", "invalid_phone")
        ]
        .map(|(f, c)| (f.to_string(), c.to_string()))
    );
    assert_eq!(app.count("registration").await, 0);

    let draft_owner = app.signed_in("owner@example.com").await;
    let draft = app.call_as(&draft_owner, app::events::CreateEvent::PATH, &as_refs(&event_fields("draft-stop"))).await;
    assert_eq!(draft.status(), 200);
    let response =
        app.call(app::registrations::Register::PATH, &as_refs(&guest("draft-stop", "a@example.com", "A"))).await;
    assert_eq!(response.status(), 404, "drafts take no registrations");
    let response =
        app.call(app::registrations::Register::PATH, &as_refs(&guest("no-such-stop", "a@example.com", "A"))).await;
    assert_eq!(response.status(), 404);

    let invite_only = published_event(&app, "invite-only-stop", 10, &[("form[visibility]", "invite_only")]).await;
    let response =
        app.call(app::registrations::Register::PATH, &as_refs(&guest(&invite_only, "a@example.com", "A"))).await;
    assert_eq!(response.status(), 409);
    assert_eq!(field_errors(response).await, vec![("event".to_string(), "invitation_required".to_string())]);

    let closing_later =
        published_event(&app, "closing-later", 10, &[("form[registration_closes_local]", "2027-03-01T12:00")]).await;
    let past = published_event(
        &app,
        "past-stop",
        10,
        &[("form[starts_local]", "2024-03-15T14:00"), ("form[ends_local]", "2024-03-15T17:00")],
    )
    .await;
    let response = app.call(app::registrations::Register::PATH, &as_refs(&guest(&past, "a@example.com", "A"))).await;
    assert_eq!(response.status(), 409);
    assert_eq!(field_errors(response).await, vec![("event".to_string(), "registration_closed".to_string())]);
    let open =
        app.call(app::registrations::Register::PATH, &as_refs(&guest(&closing_later, "a@example.com", "A"))).await;
    assert_eq!(open.status(), 200, "a closing date still ahead leaves registration open");
    assert_eq!(app.count("registration").await, 1);
}

/// Fires `count` registrations at once, each from its own client.
async fn register_in_parallel(app: &TestApp, slug: &str, count: usize) -> Vec<u16> {
    let requests = (0..count).map(|i| {
        let fields = guest(slug, &format!("guest{i}@example.com"), &format!("Guest {i}"));
        let request = crate::support::client_builder()
            .build()
            .unwrap()
            .post(app.url(app::registrations::Register::PATH))
            .form(&as_refs(&fields))
            .send();
        async move { request.await.map(|r| r.status().as_u16()).unwrap_or(0) }
    });
    futures::future::join_all(requests).await
}

async fn one_seat_fifty_guests_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "one-seat", 1, &[]).await;
    let statuses = register_in_parallel(&app, &slug, 50).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(count_status(&app, "confirmed").await, 1);
    assert_eq!(count_status(&app, "waitlisted").await, 49);
    assert_seat_counts_hold(&app).await;
}

async fn a_hundred_seats_five_hundred_guests_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "hundred-seats", 100, &[]).await;
    let statuses = register_in_parallel(&app, &slug, 500).await;
    assert!(statuses.iter().all(|s| *s == 200), "{:?}", statuses.iter().filter(|s| **s != 200).collect::<Vec<_>>());
    assert_eq!(count_status(&app, "confirmed").await, 100);
    assert_eq!(count_status(&app, "waitlisted").await, 400);
    // Each registration queued its email in its own transaction: 100 seats, 400 waitlist notes.
    assert_eq!(app.count("outbox_message WHERE kind = 'confirmation'").await, 100);
    assert_eq!(app.count("outbox_message WHERE kind = 'waitlisted'").await, 400);
    let page = app.html(&format!("/e/{slug}"), ("accept-language", "en")).await;
    assert!(page.contains("Full: registering now puts you on the waitlist."));
    assert_seat_counts_hold(&app).await;
}

/// Registrations are committed in batches (see `app::write_queue`): refused guests and
/// guests registering twice, in the same crowd, must cost nobody else their seat or email.
async fn refusals_and_repeats_in_a_crowd_leave_every_other_guest_registered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let open = published_event(&app, "thirty-seats", 30, &[]).await;
    let invite_only = published_event(&app, "invite-only", 30, &[("form[visibility]", "invite_only")]).await;
    let mut crowd: Vec<(&str, Vec<(String, String)>)> = Vec::new();
    for i in 0..50 {
        crowd.push(("new", guest(&open, &format!("guest{i}@example.com"), &format!("Guest {i}"))));
        if i < 10 {
            crowd.push(("repeat", guest(&open, &format!("GUEST{i}@example.com"), &format!("Guest {i} again"))));
        }
        if i < 40 {
            crowd.push(("refused", guest(&invite_only, &format!("uninvited{i}@example.com"), "Uninvited")));
        }
    }
    let requests = crowd.iter().map(|(kind, fields)| {
        let request = crate::support::client_builder()
            .build()
            .unwrap()
            .post(app.url(app::registrations::Register::PATH))
            .form(&as_refs(fields))
            .send();
        async move { (*kind, request.await.map(|r| r.status().as_u16()).unwrap_or(0)) }
    });
    let answers = futures::future::join_all(requests).await;

    for (kind, status) in &answers {
        let expected = if *kind == "refused" { 409 } else { 200 };
        assert_eq!(*status, expected, "a {kind} registration: {answers:?}");
    }
    let invite_only_id = app.event_id(&invite_only).await;
    assert_eq!(app.count(&format!("registration WHERE event_id = {invite_only_id}")).await, 0);
    assert_eq!(app.count("registration").await, 50, "ten guests registered twice: one registration each");
    assert_eq!(count_status(&app, "confirmed").await, 30);
    assert_eq!(count_status(&app, "waitlisted").await, 20);
    assert_eq!(app.count("outbox_message").await, 60, "one email per accepted request, none for a refusal");
    assert_seat_counts_hold(&app).await;
}

async fn registrations_are_rate_limited_per_client(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(3).start().await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "limited-stop", 10, &[]).await;
    for i in 0..3 {
        let response = app
            .call(app::registrations::Register::PATH, &as_refs(&guest(&slug, &format!("g{i}@example.com"), "G")))
            .await;
        assert_eq!(response.status(), 200);
    }
    let limited = app
        .client
        .post(app.url(app::registrations::Register::PATH))
        .header("x-forwarded-for", "198.51.100.7")
        .form(&as_refs(&guest(&slug, "g4@example.com", "G")))
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), 429, "a forged X-Forwarded-For does not escape the limit");
    assert!(limited.headers().get("retry-after").is_some());
    assert_eq!(app.count("registration").await, 3);
}

/// The organizer's list of an event's guests, with `query` (`event_id`, filters).
async fn guests(app: &TestApp, client: &reqwest::Client, query: &[(&str, &str)]) -> RegistrationList {
    app.call_as(client, app::registrations::ListRegistrations::PATH, query).await.json().await.unwrap()
}

/// The id of the first event the organizer's list shows.
async fn first_event_id(app: &TestApp, client: &reqwest::Client) -> String {
    let events: app::events::EventList =
        app.call_as(client, app::events::ListEvents::PATH, &[]).await.json().await.unwrap();
    events.events[0].id.to_string()
}

async fn register(app: &TestApp, slug: &str, email: &str) -> RegistrationOutcome {
    let response = app.call(app::registrations::Register::PATH, &as_refs(&guest(slug, email, email))).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The guest's private link token of a first registration.
/// The opening tag of the element whose tag contains `needle`.
fn tag_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html.find(needle).unwrap_or_else(|| panic!("{needle} in the page"));
    let start = html[..at].rfind('<').unwrap_or(0);
    let end = at + html[at..].find('>').unwrap_or(0);
    &html[start..=end]
}

/// Before any script: the required fields say so (the consent too), the browser can fill
/// them in (`autocomplete`), the country is chosen from names in the reader's language, the
/// phone brings up its number pad, and the QR code on the private page has a name.
async fn the_guest_form_is_what_a_phone_fills_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "form-on-a-phone", 10, &[]).await;
    let en = app.html(&format!("/e/{slug}"), ("accept-language", "en")).await;
    let consent = tag_with(&en, "name=\"form[consent_data]\"");
    assert!(consent.contains(" required"), "{consent}");
    for (field, token) in [("name", "name"), ("email", "email"), ("phone", "tel"), ("company", "organization")] {
        let input = tag_with(&en, &format!("name=\"form[{field}]\""));
        assert!(input.contains(&format!("autocomplete=\"{token}\"")), "{input}");
    }
    assert!(tag_with(&en, "name=\"form[phone]\"").contains("type=\"tel\""));
    assert!(tag_with(&en, "name=\"form[email]\"").contains("type=\"email\""));
    assert!(tag_with(&en, "name=\"form[country]\"").starts_with("<select"));
    assert!(en.contains("<option value=\"DE\">Germany</option>"));
    let zh = app.html(&format!("/e/{slug}"), ("accept-language", "zh-CN")).await;
    assert!(zh.contains("<option value=\"DE\">德国</option>"));
    assert!(zh.contains("Frankfurt, 德国"), "the venue's country by its name");

    // The country by name or code; an unknown one refused by field.
    let mut fields = guest(&slug, "kenya@example.com", "Grace Wanjiru");
    fields.push(("form[country]".into(), "Atlantis".into()));
    let refused = app.call(app::registrations::Register::PATH, &as_refs(&fields)).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(field_errors(refused).await, [("country".to_string(), "invalid_country".to_string())]);
    fields.pop();
    fields.push(("form[country]".into(), "KE".into()));
    let outcome = register_fields(&app, &fields).await;
    let page = app.html(&format!("/r/{}", token_of(&outcome)), ("accept-language", "en")).await;
    let code: String = app.scalar("SELECT check_in_code AS v FROM registration").await;
    let qr = tag_with(&page, "class=\"qr\"");
    assert!(qr.contains("role=\"img\"") && qr.contains(&code), "{qr}");
}

async fn register_fields(app: &TestApp, fields: &[(String, String)]) -> RegistrationOutcome {
    crate::leads::json(app.call(app::registrations::Register::PATH, &as_refs(fields)).await).await
}

fn token_of(registration: &RegistrationOutcome) -> &str {
    registration.manage_token.as_deref().unwrap()
}

async fn status_of(app: &TestApp, registration: &RegistrationOutcome) -> RegistrationStatus {
    let view: RegistrationView = app
        .call(app::registrations::GetRegistration::PATH, &[("token", token_of(registration))])
        .await
        .json()
        .await
        .unwrap();
    view.status
}

pub async fn cancel(app: &TestApp, registration: &RegistrationOutcome) -> u16 {
    let token = token_of(registration);
    app.call(app::registrations::CancelRegistration::PATH, &[("token", token)]).await.status().as_u16()
}

async fn a_cancelled_seat_goes_to_the_first_on_the_waitlist(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "two-seats", 2, &[]).await;
    let a = register(&app, &slug, "a@example.com").await;
    let b = register(&app, &slug, "b@example.com").await;
    let c = register(&app, &slug, "c@example.com").await;
    let d = register(&app, &slug, "d@example.com").await;
    assert_eq!((a.status, c.status), (RegistrationStatus::Confirmed, RegistrationStatus::Waitlisted));
    let d_view: RegistrationView =
        app.call(app::registrations::GetRegistration::PATH, &[("token", token_of(&d))]).await.json().await.unwrap();
    assert_eq!(d_view.waitlist_position, Some(2));

    // The private page works without an account and shows the guest's place.
    let page = app.html(&format!("/r/{}", token_of(&d)), ("accept-language", "en")).await;
    assert!(page.contains("2nd on the waitlist"), "{page}");

    // Cancelling a waitlisted guest frees no seat.
    assert_eq!(cancel(&app, &d).await, 200);
    assert_eq!(status_of(&app, &d).await, RegistrationStatus::Cancelled);
    assert_eq!(status_of(&app, &c).await, RegistrationStatus::Waitlisted);

    // Cancelling a confirmed guest promotes the first waiting one, once.
    assert_eq!(cancel(&app, &a).await, 200);
    assert_eq!(cancel(&app, &a).await, 200, "cancelling again changes nothing");
    assert_eq!(status_of(&app, &a).await, RegistrationStatus::Cancelled);
    assert_eq!(status_of(&app, &c).await, RegistrationStatus::Confirmed);
    assert_eq!(status_of(&app, &b).await, RegistrationStatus::Confirmed);
    assert_eq!(app.count("registration WHERE status = 'confirmed'").await, 2);

    // Registering again after cancelling: the event is full now, so the waitlist.
    let again = register(&app, &slug, "a@example.com").await;
    assert_eq!(again.status, RegistrationStatus::Waitlisted);
    assert_eq!(app.count("registration").await, 4, "still one row per guest");
    assert_seat_counts_hold(&app).await;
}

async fn altered_or_old_links_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "link-stop", 5, &[]).await;
    let first = register(&app, &slug, "a@example.com").await;
    let other = register(&app, &slug, "b@example.com").await;
    let token = token_of(&first).to_string();
    let (id, signature) = token.split_once('-').unwrap();
    assert_eq!(signature.len(), 32, "a 128-bit signature");
    // Another digit in the signature, or another registration's id with this signature.
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    let other_id = other.id;
    for forged in [format!("{id}-{flipped}{}", &signature[1..]), format!("{other_id}-{signature}"), "12".into()] {
        assert_eq!(
            app.call(app::registrations::GetRegistration::PATH, &[("token", &forged)]).await.status(),
            404,
            "{forged}"
        );
        assert_eq!(
            app.call(app::registrations::CancelRegistration::PATH, &[("token", &forged)]).await.status(),
            404,
            "{forged}"
        );
        assert_eq!(app.get(&format!("/r/{forged}")).await.status(), 404, "{forged}");
    }
    assert_eq!(status_of(&app, &other).await, RegistrationStatus::Confirmed, "no forgery cancelled anything");

    // Registering again with someone's address updates the registration but does not
    // hand over their private link: it goes to their mailbox.
    let again =
        app.call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "a@example.com", "Someone Else"))).await;
    assert_eq!(again.headers()["location"], format!("/e/{slug}?updated=1#register"));
    let again: RegistrationOutcome = again.json().await.unwrap();
    assert_eq!(again.manage_token, None);
    assert_eq!(status_of(&app, &first).await, RegistrationStatus::Confirmed, "the link keeps working");
    assert_eq!(app.count("outbox_message WHERE kind = 'updated' AND to_address = 'a@example.com'").await, 1);

    // A link stops working 30 days after its event.
    let ended = (chrono::Utc::now() - chrono::Duration::days(31)).format("%Y-%m-%d %H:%M:%S+00:00").to_string();
    app.execute(&format!("UPDATE event SET starts_at = '{ended}', ends_at = '{ended}'")).await;
    let expired = app.call(app::registrations::GetRegistration::PATH, &[("token", &token)]).await;
    assert_eq!(expired.status(), 409);
    assert_eq!(field_errors(expired).await, vec![("token".to_string(), "link_expired".to_string())]);
}

async fn organizers_list_and_export_their_own_guests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bureau = app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    app.member(bureau, "viewer@example.com", app::auth::Role::Viewer).await;
    let slug = published_event(&app, "list-stop", 1, &[]).await;
    register(&app, &slug, "first@example.com").await;
    let tricky = with(&guest(&slug, "second@example.com", "Dupont, Jean"), &[("form[company]", "=HYPERLINK(\"x\")")]);
    assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&tricky)).await.status(), 200);
    let owner = app.signed_in("owner@example.com").await;
    let id = first_event_id(&app, &owner).await;

    let list = guests(&app, &owner, &[("event_id", &id)]).await;
    assert_eq!((list.confirmed, list.waitlisted), (1, 1));
    assert_eq!(list.rows.len(), 2);
    let waitlisted = guests(&app, &owner, &[("event_id", &id), ("filter[status]", "waitlisted")]).await;
    assert_eq!(waitlisted.rows[0].email, "second@example.com");
    let searched = guests(&app, &owner, &[("event_id", &id), ("filter[q]", "DUPONT")]).await;
    assert_eq!(searched.rows.len(), 1);

    let csv = owner.get(app.url(&format!("/admin/events/{id}/registrations.csv"))).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("\u{feff}name,email,phone"), "{}", lines[0]);
    assert_eq!(lines.len(), 3);
    assert!(lines[2].starts_with("\"Dupont, Jean\",second@example.com,,\"'=HYPERLINK(\"\"x\"\")\""), "{}", lines[2]);
    let filtered = owner.get(app.url(&format!("/admin/events/{id}/registrations.csv?status=confirmed"))).send().await;
    let filtered = filtered.unwrap().text().await.unwrap();
    assert_eq!(filtered.split("\r\n").filter(|l| !l.is_empty()).count(), 2, "header and the confirmed guest");
    assert!(filtered.contains("first@example.com") && !filtered.contains("second@example.com"));

    let viewer = app.signed_in("viewer@example.com").await;
    assert_eq!(
        app.call_as(&viewer, app::registrations::ListRegistrations::PATH, &[("event_id", &id)]).await.status(),
        200
    );
    let other = app.signed_in("county@example.com").await;
    assert_eq!(
        app.call_as(&other, app::registrations::ListRegistrations::PATH, &[("event_id", &id)]).await.status(),
        404
    );
    let csv_url = app.url(&format!("/admin/events/{id}/registrations.csv"));
    assert_eq!(other.get(&csv_url).send().await.unwrap().status(), 404);
    assert_eq!(app.call(app::registrations::ListRegistrations::PATH, &[("event_id", &id)]).await.status(), 401);
    assert_eq!(reqwest::get(&csv_url).await.unwrap().status(), 401);
}

async fn guests_are_checked_in_once_at_the_door(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bureau = app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    app.member(bureau, "viewer@example.com", app::auth::Role::Viewer).await;
    let slug = published_event(&app, "door-stop", 1, &[]).await;
    let confirmed = register(&app, &slug, "first@example.com").await.id.to_string();
    let waitlisted = register(&app, &slug, "second@example.com").await.id.to_string();
    let owner = app.signed_in("owner@example.com").await;

    let other = app.signed_in("county@example.com").await;
    assert_eq!(
        app.call_as(&other, app::registrations::CheckIn::PATH, &[("registration_id", &confirmed)]).await.status(),
        404
    );
    let viewer = app.signed_in("viewer@example.com").await;
    assert_eq!(
        app.call_as(&viewer, app::registrations::CheckIn::PATH, &[("registration_id", &confirmed)]).await.status(),
        403
    );
    assert_eq!(app.count("registration WHERE checked_in_at IS NOT NULL").await, 0);

    let first: CheckInOutcome = app
        .call_as(&owner, app::registrations::CheckIn::PATH, &[("registration_id", &confirmed)])
        .await
        .json()
        .await
        .unwrap();
    assert!(!first.already);
    let second: CheckInOutcome = app
        .call_as(&owner, app::registrations::CheckIn::PATH, &[("registration_id", &confirmed)])
        .await
        .json()
        .await
        .unwrap();
    assert!(second.already, "a second scan warns");
    assert_eq!(second.checked_in_at, first.checked_in_at, "and keeps the first time");

    let refused = app.call_as(&owner, app::registrations::CheckIn::PATH, &[("registration_id", &waitlisted)]).await;
    assert_eq!(refused.status(), 409);
    assert_eq!(field_errors(refused).await, vec![("registration".to_string(), "not_confirmed".to_string())]);

    let id = first_event_id(&app, &owner).await;
    let list = guests(&app, &owner, &[("event_id", &id)]).await;
    assert_eq!(list.checked_in, 1);
    let page = owner.get(app.url(&format!("/admin/events/{id}/check-in"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("现场签到"), "the door page renders for the organizer");
    assert!(page.contains("已签到 1"), "with live counts");
}

async fn a_cached_page_stops_offering_the_form_when_registration_closes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    // A UTC venue, so the closing time can be written as "now + 3 s".
    let closes = (chrono::Utc::now() + chrono::Duration::seconds(3)).format("%Y-%m-%dT%H:%M:%S").to_string();
    let slug = published_event(
        &app,
        "closing-soon",
        10,
        &[("form[time_zone]", "UTC"), ("form[registration_closes_local]", closes.as_str())],
    )
    .await;
    let open = app.html(&format!("/e/{slug}"), ("accept-language", "en")).await;
    assert!(open.contains("register-form"), "open: the form is offered (and the page is now cached)");
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let closed = app.html(&format!("/e/{slug}"), ("accept-language", "en")).await;
    assert!(!closed.contains("register-form"), "closed: no form, even from the cache");
    assert!(closed.contains("This event is not taking registrations now."));
}

async fn the_door_scans_codes_and_registers_walk_ins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    let slug = published_event(&app, "scan-stop", 2, &[]).await;
    let other_slug = published_event(&app, "other-stop", 2, &[]).await;
    let guest = register(&app, &slug, "scanned@example.com").await;
    let elsewhere = register(&app, &other_slug, "elsewhere@example.com").await;
    let event_id = app.event_id(&slug).await.to_string();

    // The guest's private page shows the QR code and the code it encodes.
    let page = app.html(&format!("/r/{}", token_of(&guest)), ("accept-language", "en")).await;
    let code_of = |id: i32| format!("registration WHERE id = {id} AND check_in_code LIKE 'RS-%'");
    assert_eq!(app.count(&code_of(guest.id)).await, 1);
    let code: String =
        app.scalar(&format!("SELECT check_in_code AS v FROM registration WHERE id = {}", guest.id)).await;
    assert!(page.contains(&code) && page.contains("<svg"), "QR code and code on the private page");

    let owner = app.signed_in("owner@example.com").await;
    let scan = |code: String| {
        let owner = owner.clone();
        let event_id = event_id.clone();
        let app = &app;
        async move {
            app.call_as(&owner, app::registrations::CheckInCode::PATH, &[("event_id", &event_id), ("code", &code)])
                .await
        }
    };
    // A code read in lower case with spaces still matches; a second scan warns.
    let first: CheckInOutcome = scan(format!(" {} ", code.to_lowercase())).await.json().await.unwrap();
    assert_eq!((first.already, first.name.as_str()), (false, "scanned@example.com"));
    let again: CheckInOutcome = scan(code.clone()).await.json().await.unwrap();
    assert!(again.already);
    // A code of another event, or none at all, is refused by field.
    let other_code: String =
        app.scalar(&format!("SELECT check_in_code AS v FROM registration WHERE id = {}", elsewhere.id)).await;
    for wrong in [other_code, "RS-NOPE".to_string()] {
        let refused = scan(wrong).await;
        assert_eq!(refused.status(), 422);
        assert_eq!(field_errors(refused).await, vec![("code".to_string(), "unknown_check_in_code".to_string())]);
    }
    let county = app.signed_in("county@example.com").await;
    let theirs =
        app.call_as(&county, app::registrations::CheckInCode::PATH, &[("event_id", &event_id), ("code", &code)]).await;
    assert_eq!(theirs.status(), 404, "another organization cannot check in this event's guests");

    // A walk-in takes the last seat and is checked in at once; the next is refused.
    let walk_in = |email: &'static str| {
        let owner = owner.clone();
        let event_id = event_id.clone();
        let app = &app;
        async move {
            let fields = [
                ("event_id", event_id.as_str()),
                ("form[name]", "Walk In"),
                ("form[email]", email),
                ("form[language]", "en"),
                ("form[consent_data]", "on"),
            ];
            app.call_as(&owner, app::registrations::WalkIn::PATH, &fields).await
        }
    };
    let seated: CheckInOutcome = walk_in("walkin@example.com").await.json().await.unwrap();
    assert!(!seated.already);
    assert_eq!(app.count("registration WHERE email = 'walkin@example.com' AND checked_in_at IS NOT NULL AND consent_source = 'walk-in'").await, 1);
    let full = walk_in("late@example.com").await;
    assert_eq!(full.status(), 409);
    assert_eq!(field_errors(full).await, vec![("event".to_string(), "event_full".to_string())]);
    assert_eq!(app.count("registration WHERE email = 'late@example.com'").await, 0, "nothing half-written");
    let no_consent = app
        .call_as(
            &owner,
            app::registrations::WalkIn::PATH,
            &[("event_id", event_id.as_str()), ("form[name]", "X"), ("form[email]", "x@example.com")],
        )
        .await;
    assert_eq!(no_consent.status(), 422);
    assert_seat_counts_hold(&app).await;
}

async fn guests_change_their_registration_from_the_private_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "change-stop", 5, &[]).await;
    let guest = register(&app, &slug, "changer@example.com").await;
    let token = token_of(&guest);
    let change = |fields: Vec<(&'static str, &'static str)>| {
        let mut all = vec![("token", token)];
        all.extend(fields);
        let app = &app;
        async move { app.call(app::registrations::ChangeRegistration::PATH, &all).await }
    };
    let ok = change(vec![
        ("form[name]", "Changed Name"),
        ("form[email]", "ignored@example.com"),
        ("form[company]", "New Co"),
        ("form[language]", "zh"),
        ("form[consent_data]", "on"),
        ("form[consent_marketing]", "on"),
    ])
    .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(app.count("registration WHERE name = 'Changed Name' AND company = 'New Co' AND language = 'zh' AND email = 'changer@example.com' AND consent_marketing_at IS NOT NULL").await, 1);
    assert_eq!(app.count("registration WHERE calendar_sequence = 2").await, 1, "confirmation + update invitations");
    assert_eq!(app.count("outbox_message WHERE kind = 'updated' AND subject LIKE '报名信息已更新%'").await, 1);

    let bad = change(vec![
        ("form[name]", ""),
        ("form[email]", "changer@example.com"),
        ("form[phone]", "x"),
        ("form[consent_data]", "on"),
    ])
    .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(app.count("registration WHERE name = 'Changed Name'").await, 1, "nothing half-written");
    // Without script the private page sends no `Referer`: the refusal comes back to it (not
    // to the home page), the change form open with what was typed and why it was refused.
    let refused = app
        .client
        .post(app.url(app::registrations::ChangeRegistration::PATH))
        .header("accept", "text/html")
        .form(&[("token", token), ("form[name]", ""), ("form[company]", "Typed Co"), ("form[consent_data]", "on")])
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_redirection());
    let next = refused.headers()["location"].to_str().unwrap().to_string();
    assert!(next.starts_with(&format!("/r/{token}?__path=")), "{next}");
    let page = app.html(&next, ("accept-language", "en")).await;
    let details = page.find("class=\"change-registration\"").map(|at| &page[page[..at].rfind('<').unwrap()..at]);
    assert!(details.is_some_and(|tag| tag.contains(" open")), "the form is open: {details:?}");
    assert!(page.contains("value=\"Typed Co\""), "what was typed is kept");
    assert!(page.contains("Please correct the marked fields."), "the refusal is said");
    let forged = app
        .call(
            app::registrations::ChangeRegistration::PATH,
            &[("token", "1-00"), ("form[name]", "X"), ("form[email]", "a@b.co"), ("form[consent_data]", "on")],
        )
        .await;
    assert_eq!(forged.status(), 404);

    app.call(app::registrations::CancelRegistration::PATH, &[("token", token)]).await;
    let after =
        change(vec![("form[name]", "Too Late"), ("form[email]", "changer@example.com"), ("form[consent_data]", "on")])
            .await;
    assert_eq!(after.status(), 409, "a cancelled registration cannot be changed");
}

/// The same twenty guests registering through two server processes at once (as through two
/// nodes), each guest on both: every request is answered 200, each guest has one
/// registration whichever process wrote it first, the seats and emails add up. (On
/// PostgreSQL a batch reads its guests before it locks the stop: a guest the other process
/// registers in between breaks the unique index, and the batch runs again guest by guest.)
async fn the_same_guests_through_two_processes_at_once(backend: Backend) {
    let one = TestApp::spawn(backend).await;
    one.organization("Bureau", "owner@example.com").await;
    let other = TestApp::builder(backend).same_database_as(&one).start().await;
    let slug = published_event(&one, "two-doors", 15, &[]).await;
    let requests = (0..20).flat_map(|i| {
        let fields = guest(&slug, &format!("twice{i}@example.com"), &format!("Guest {i}"));
        [&one, &other].map(|app| {
            let fields = fields.clone();
            async move { app.call(app::registrations::Register::PATH, &as_refs(&fields)).await.status().as_u16() }
        })
    });
    let answers = futures::future::join_all(requests).await;
    assert!(answers.iter().all(|status| *status == 200), "{answers:?}");
    assert_eq!(one.count("registration").await, 20, "one registration per guest");
    assert_eq!(count_status(&one, "confirmed").await, 15);
    assert_eq!(count_status(&one, "waitlisted").await, 5);
    assert_eq!(one.count("outbox_message").await, 40, "one email per accepted request");
    assert_eq!(one.count("lead").await, 20);
    assert_seat_counts_hold(&one).await;
}

on_both_databases!(
    the_door_scans_codes_and_registers_walk_ins,
    guests_change_their_registration_from_the_private_link,
    a_cached_page_stops_offering_the_form_when_registration_closes,
    guests_are_checked_in_once_at_the_door,
    organizers_list_and_export_their_own_guests,
    a_cancelled_seat_goes_to_the_first_on_the_waitlist,
    altered_or_old_links_are_refused,
    registrations_are_rate_limited_per_client,
    a_guest_registers_once_however_often_they_submit,
    bad_registrations_are_refused_field_by_field,
    one_seat_fifty_guests_at_once,
    a_hundred_seats_five_hundred_guests_at_once,
    refusals_and_repeats_in_a_crowd_leave_every_other_guest_registered,
    the_guest_form_is_what_a_phone_fills_in,
    the_same_guests_through_two_processes_at_once,
);
