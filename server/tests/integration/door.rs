//! The door without a network: a phone prepares an event (its guests' names, companies and
//! codes, nothing more), uploads what it did offline (each action once, whatever is sent
//! again), and every phone at the door hears each check-in, whichever process took it.

use std::time::Duration;

use app::domain::RegistrationStatus;
use app::door::{DoorAction, DoorActionKind, DoorAnswer, DoorOutcome, DoorPack, PrepareDoor, SyncDoor};
use app::registrations::RegistrationForm;
use chrono::{DateTime, Utc};
use leptos::server_fn::ServerFn as _;
use reqwest::{Client, Response};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::leads::json;
use crate::registrations::{cancel, guest, published_event};
use crate::support::{Backend, TestApp, as_refs};

/// A published stop with `capacity` seats that began an hour ago (a phone's offline times
/// fall inside it); its id. Guests register before it begins.
async fn stop_under_way(app: &TestApp, slug: &str, capacity: usize, guests: &[&str]) -> i32 {
    published_event(app, slug, capacity, &[]).await;
    let mut registered = Vec::new();
    for email in guests {
        let response = app.call(app::registrations::Register::PATH, &as_refs(&guest(slug, email, email))).await;
        registered.push(json::<app::registrations::RegistrationOutcome>(response).await);
    }
    let id = app.event_id(slug).await;
    let row = app::entities::event::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let mut row: app::entities::event::ActiveModel = row.into();
    row.starts_at = Set(Utc::now() - chrono::Duration::hours(1));
    row.ends_at = Set(Utc::now() + chrono::Duration::hours(3));
    row.update(&app.db).await.unwrap();
    id
}

async fn prepare(app: &TestApp, client: &Client, event_id: i32) -> Response {
    app.call_as(client, PrepareDoor::PATH, &[("event_id", &event_id.to_string())]).await
}

async fn upload(app: &TestApp, client: &Client, event_id: i32, actions: &[DoorAction]) -> Response {
    let body = serde_json::json!({ "event_id": event_id, "actions": actions });
    client.post(app.url(SyncDoor::PATH)).json(&body).send().await.expect("request")
}

async fn code_of(app: &TestApp, email: &str) -> String {
    app.scalar(&format!("SELECT check_in_code AS v FROM registration WHERE email = '{email}'")).await
}

fn check_in(id: &str, code: &str, at: DateTime<Utc>) -> DoorAction {
    DoorAction { id: id.into(), at, kind: DoorActionKind::CheckIn { code: code.into() } }
}

fn walk_in(id: &str, email: &str, at: DateTime<Utc>) -> DoorAction {
    let form = RegistrationForm {
        name: format!("Walk-in {email}"),
        email: email.into(),
        company: "Rhein Maschinenbau GmbH".into(),
        language: "en".into(),
        consent_data: "on".into(),
        ..Default::default()
    };
    DoorAction { id: id.into(), at, kind: DoorActionKind::WalkIn { form } }
}

fn lead(id: &str, email: &str, at: DateTime<Utc>) -> DoorAction {
    let form = app::leads::LeadForm {
        name: "Card Holder".into(),
        email: email.into(),
        company: "Cardboard AG".into(),
        notes: "Met at the door, wants the equipment park's brochure".into(),
        ..Default::default()
    };
    DoorAction { id: id.into(), at, kind: DoorActionKind::Lead { form } }
}

/// What the door's actions leave in the database, to compare before and after a repeat.
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "registration",
        "registration WHERE checked_in_at IS NOT NULL",
        "lead",
        "lead_activity",
        "lead_event",
        "outbox_message",
        "webhook_delivery",
        "door_action",
    ] {
        counts.push(app.count(table).await);
    }
    counts
}

async fn a_prepared_door_holds_names_companies_and_codes_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bureau = app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    app.member(bureau, "viewer@example.com", app::auth::Role::Viewer).await;
    published_event(&app, "door-stop", 2, &[]).await;
    let mut outcomes = Vec::new();
    for name in ["First", "Second", "Third", "Fourth"] {
        let email = format!("{}@example.com", name.to_lowercase());
        let response = app.call(app::registrations::Register::PATH, &as_refs(&guest("door-stop", &email, name))).await;
        outcomes.push(json::<app::registrations::RegistrationOutcome>(response).await);
    }
    assert_eq!(cancel(&app, &outcomes[3]).await, 200);
    let event_id = app.event_id("door-stop").await;
    let owner = app.signed_in("owner@example.com").await;

    let response = prepare(&app, &owner, event_id).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(!text.contains('@'), "no email address leaves with the door: {text}");
    let pack: DoorPack = serde_json::from_str(&text).unwrap();
    let guests: Vec<(&str, RegistrationStatus)> = pack.guests.iter().map(|g| (g.name(), g.status())).collect();
    assert_eq!(
        guests,
        vec![
            ("First", RegistrationStatus::Confirmed),
            ("Second", RegistrationStatus::Confirmed),
            ("Third", RegistrationStatus::Waitlisted),
        ],
        "confirmed and waitlisted guests, in the order they came; the cancelled one is not held"
    );
    assert_eq!(pack.guests[0].code(), code_of(&app, "first@example.com").await);
    assert_eq!(pack.guests[0].company(), "Hunan Chamber of Commerce in Shenzhen");
    assert_eq!((pack.capacity, pack.confirmed, pack.waitlisted), (2, 2, 1));
    let ends: DateTime<Utc> = app.scalar(&format!("SELECT ends_at AS v FROM event WHERE id = {event_id}")).await;
    assert_eq!(pack.keep_until, ends + chrono::Duration::days(7), "kept until a week after the event");

    // Who may prepare it: members who check guests in, of the event's organization.
    let viewer = app.signed_in("viewer@example.com").await;
    assert_eq!(prepare(&app, &viewer, event_id).await.status(), 403);
    let county = app.signed_in("county@example.com").await;
    assert_eq!(prepare(&app, &county, event_id).await.status(), 404, "another organization's door does not exist");
    assert_eq!(prepare(&app, &app.client, event_id).await.status(), 401);
    assert_eq!(prepare(&app, &owner, event_id + 100).await.status(), 404);
}

async fn an_upload_sent_twice_changes_nothing_twice(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    let event_id =
        stop_under_way(&app, "offline-stop", 4, &["ana@example.com", "ben@example.com", "cai@example.com"]).await;
    let other_id = stop_under_way(&app, "other-stop", 4, &["elsewhere@example.com"]).await;
    let owner = app.signed_in("owner@example.com").await;
    let (ana, ben, cai) = (
        code_of(&app, "ana@example.com").await,
        code_of(&app, "ben@example.com").await,
        code_of(&app, "cai@example.com").await,
    );
    let elsewhere = code_of(&app, "elsewhere@example.com").await;

    // Ben was checked in online at the door's other phone before this one uploads.
    let online = app
        .call_as(&owner, app::registrations::CheckInCode::PATH, &[("event_id", &event_id.to_string()), ("code", &ben)])
        .await;
    let online: app::registrations::CheckInOutcome = json(online).await;

    let offline = Utc::now() - chrono::Duration::minutes(20);
    let minute = |n: i64| offline + chrono::Duration::minutes(n);
    let batch = vec![
        check_in("a1b2c3d4-0001", &ana.to_lowercase(), minute(0)),
        check_in("a1b2c3d4-0002", &ana, minute(1)),
        check_in("a1b2c3d4-0003", &ben, minute(2)),
        check_in("a1b2c3d4-0004", "RS-NOTACODE", minute(3)),
        check_in("a1b2c3d4-0005", &elsewhere, minute(4)),
        walk_in("a1b2c3d4-0006", "walk1@example.com", minute(5)),
        walk_in("a1b2c3d4-0007", "walk2@example.com", minute(6)),
        lead("a1b2c3d4-0008", "card@example.com", minute(7)),
        DoorAction {
            id: "a1b2c3d4-0009".into(),
            at: minute(8),
            kind: DoorActionKind::WalkIn { form: RegistrationForm { name: "No Consent".into(), ..Default::default() } },
        },
    ];
    let before = footprint(&app).await;
    let answers: Vec<DoorAnswer> = json(upload(&app, &owner, event_id, &batch).await).await;
    let outcomes: Vec<&DoorOutcome> = answers.iter().map(|a| &a.outcome).collect();
    assert_eq!(
        answers.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        batch.iter().map(|a| a.id.as_str()).collect::<Vec<_>>()
    );
    assert!(answers.iter().all(|a| !a.repeated));
    // Ana: checked in at the phone's time; the same guest again is "already".
    let DoorOutcome::CheckedIn { guest, already: false } = outcomes[0] else { panic!("{:?}", outcomes[0]) };
    assert_eq!((guest.code(), guest.checked_in_at()), (ana.as_str(), Some(minute(0).timestamp())));
    assert!(matches!(outcomes[1], DoorOutcome::CheckedIn { already: true, .. }), "{:?}", outcomes[1]);
    // Ben: the server had him first; his first time is kept.
    let DoorOutcome::CheckedIn { guest, already: true } = outcomes[2] else { panic!("{:?}", outcomes[2]) };
    assert_eq!(guest.checked_in_at(), Some(online.checked_in_at.timestamp()), "the first check-in's time is kept");
    // A made-up code and another event's code are unknown here.
    assert_eq!(outcomes[3], &DoorOutcome::UnknownCode { code: "RS-NOTACODE".into() });
    assert_eq!(outcomes[4], &DoorOutcome::UnknownCode { code: elsewhere.clone() });
    assert_eq!(app.count("registration WHERE email = 'elsewhere@example.com' AND checked_in_at IS NULL").await, 1);
    // Four seats: Ana, Ben, Cai and the first walk-in; the second walk-in is waitlisted.
    let DoorOutcome::CheckedIn { guest, already: false } = outcomes[5] else { panic!("{:?}", outcomes[5]) };
    assert_eq!((guest.name(), guest.status()), ("Walk-in walk1@example.com", RegistrationStatus::Confirmed));
    let DoorOutcome::Waitlisted { guest, position: 1 } = outcomes[6] else { panic!("{:?}", outcomes[6]) };
    assert_eq!(guest.status(), RegistrationStatus::Waitlisted);
    let DoorOutcome::LeadSaved { lead_id } = outcomes[7] else { panic!("{:?}", outcomes[7]) };
    assert_eq!(app.count(&format!("lead_event WHERE lead_id = {lead_id} AND event_id = {event_id}")).await, 1);
    let DoorOutcome::Refused { errors } = outcomes[8] else { panic!("{:?}", outcomes[8]) };
    let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"consent_data") && fields.contains(&"email"), "{fields:?}");
    assert_eq!(app.count("registration WHERE name = 'No Consent'").await, 0);
    let stored: DateTime<Utc> =
        app.scalar(&format!("SELECT checked_in_at AS v FROM registration WHERE check_in_code = '{ana}'")).await;
    assert_eq!(stored.timestamp(), minute(0).timestamp());
    let after = footprint(&app).await;
    assert_ne!(after, before);

    // The phone did not hear the answer and sends the whole batch again: the same answers,
    // nothing written twice (no second guest, check-in, lead, note, email or webhook).
    let again: Vec<DoorAnswer> = json(upload(&app, &owner, event_id, &batch).await).await;
    assert!(again.iter().all(|a| a.repeated), "{again:?}");
    assert_eq!(again.iter().map(|a| &a.outcome).collect::<Vec<_>>(), outcomes);
    assert_eq!(footprint(&app).await, after, "the same batch twice changes nothing");

    // An id given to another kind of action before is refused, and nothing is taken.
    let reused: Vec<DoorAnswer> =
        json(upload(&app, &owner, event_id, &[lead("a1b2c3d4-0001", "reused@example.com", Utc::now())]).await).await;
    let DoorOutcome::Refused { errors } = &reused[0].outcome else { panic!("{reused:?}") };
    assert_eq!(errors.errors[0].field, "id");
    assert_eq!(app.count("lead WHERE email = 'reused@example.com'").await, 0);
    assert_eq!(footprint(&app).await, after);

    // An action's id is the phone's and the event's: the same id at another event is a new
    // action there, and a code of this event is unknown at that one.
    let forged: Vec<DoorAnswer> =
        json(upload(&app, &owner, other_id, &[check_in("a1b2c3d4-0001", &cai, Utc::now())]).await).await;
    assert_eq!(forged[0].outcome, DoorOutcome::UnknownCode { code: cai.clone() });
    assert!(!forged[0].repeated);
    assert_eq!(app.count("registration WHERE email = 'cai@example.com' AND checked_in_at IS NULL").await, 1);
    // Another organization cannot upload to this door; a viewer cannot either.
    let county = app.signed_in("county@example.com").await;
    let theirs = upload(&app, &county, event_id, &[check_in("c0ffee00-0001", &cai, Utc::now())]).await;
    assert_eq!(theirs.status(), 404);
    assert_eq!(upload(&app, &app.client, event_id, &[check_in("c0ffee00-0002", &cai, Utc::now())]).await.status(), 401);
    assert_eq!(app.count("registration WHERE email = 'cai@example.com' AND checked_in_at IS NULL").await, 1);
    // A time from the future is today's; a badly made upload is refused whole, by field.
    let future: Vec<DoorAnswer> = json(
        upload(&app, &owner, event_id, &[check_in("c0ffee00-0003", &cai, Utc::now() + chrono::Duration::days(30))])
            .await,
    )
    .await;
    let DoorOutcome::CheckedIn { guest, .. } = &future[0].outcome else { panic!("{future:?}") };
    assert!(guest.checked_in_at().unwrap() <= Utc::now().timestamp());
    for (bad, reason) in [
        (vec![check_in("short", &cai, Utc::now())], "malformed_action_id"),
        (
            vec![check_in("c0ffee00-0004", &cai, Utc::now()), check_in("c0ffee00-0004", &cai, Utc::now())],
            "action_twice",
        ),
        ((0..201).map(|i| check_in(&format!("c0ffee00-{i:04}"), &cai, Utc::now())).collect(), "too_many_actions"),
    ] {
        let refused = upload(&app, &owner, event_id, &bad).await;
        assert_eq!(refused.status(), 422);
        assert_eq!(crate::support::field_errors(refused).await, vec![("actions".to_string(), reason.to_string())]);
    }
    crate::registrations::assert_seat_counts_hold(&app).await;
}

/// Two phones were offline when each added a walk-in for the last seat; they upload at
/// once: one walk-in is seated and checked in, the other waitlisted, each phone told.
/// The same batch sent by both at once is taken once.
async fn two_phones_take_the_last_seat_offline(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let event_id = stop_under_way(&app, "last-seat", 2, &["seated@example.com"]).await;
    let (one, two) = (app.signed_in("owner@example.com").await, app.signed_in("owner@example.com").await);
    let at = Utc::now() - chrono::Duration::minutes(5);
    let (mine, theirs) =
        ([walk_in("phone-one-0001", "p1@example.com", at)], [walk_in("phone-two-0001", "p2@example.com", at)]);
    let (first, second) = tokio::join!(upload(&app, &one, event_id, &mine), upload(&app, &two, event_id, &theirs));
    let answers: Vec<DoorAnswer> = [json::<Vec<DoorAnswer>>(first).await, json(second).await].concat();
    let seated = answers.iter().filter(|a| matches!(a.outcome, DoorOutcome::CheckedIn { already: false, .. })).count();
    let waiting = answers.iter().filter(|a| matches!(a.outcome, DoorOutcome::Waitlisted { position: 1, .. })).count();
    assert_eq!((seated, waiting), (1, 1), "{answers:?}");
    assert_eq!(app.count("registration WHERE status = 'confirmed'").await, 2);

    let batch =
        vec![walk_in("same-batch-0001", "p3@example.com", at), lead("same-batch-0002", "p3card@example.com", at)];
    let (a, b) = tokio::join!(upload(&app, &one, event_id, &batch), upload(&app, &two, event_id, &batch));
    let answers: Vec<DoorAnswer> = [json::<Vec<DoorAnswer>>(a).await, json(b).await].concat();
    // Each action is taken by exactly one of the two uploads; the other is told it was
    // (repeated) or that it is being taken (Busy).
    for id in ["same-batch-0001", "same-batch-0002"] {
        let takers = answers.iter().filter(|a| a.id == id && !a.repeated && a.outcome != DoorOutcome::Busy).count();
        assert_eq!(takers, 1, "{id}: {answers:?}");
    }
    assert_eq!(app.count("registration WHERE email = 'p3@example.com'").await, 1);
    assert_eq!(app.count("lead WHERE email = 'p3card@example.com'").await, 1);
    assert_eq!(app.count("door_action WHERE outcome IS NULL").await, 0, "no claim is left open");
    crate::registrations::assert_seat_counts_hold(&app).await;
}

/// The venue's network drops while an upload is being taken: the server takes it to the
/// end anyway, so the phone's next upload of the same actions is answered at once (not
/// `Busy` for minutes with a claim nobody finishes).
async fn an_upload_cut_off_is_taken_to_the_end(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let event_id = stop_under_way(&app, "cut-off", 10, &["cut@example.com"]).await;
    let owner = app.signed_in("owner@example.com").await;
    let batch: Vec<DoorAction> =
        (0..150).map(|i| check_in(&format!("cut-off-{i:04}"), &format!("RS-UNKNOWN{i}"), Utc::now())).collect();
    let body = serde_json::json!({ "event_id": event_id, "actions": batch });
    let cut = owner.post(app.url(SyncDoor::PATH)).json(&body).timeout(Duration::from_millis(40)).send().await;
    assert!(cut.is_err(), "the phone gave up before the answer");
    // Every action of it is taken and its outcome kept, though nobody waits for the answer.
    app.eventually_count("door_action WHERE outcome IS NOT NULL", 150).await;
    assert_eq!(app.count("door_action WHERE outcome IS NULL").await, 0, "no claim is left unfinished");
    let answers: Vec<DoorAnswer> = json(upload(&app, &owner, event_id, &batch).await).await;
    assert!(answers.iter().all(|a| a.repeated && a.outcome != DoorOutcome::Busy), "{answers:?}");
}

/// Reads a live door stream until `wanted` appears in it, or `within` passes.
async fn hear(stream: &mut Response, wanted: &str, within: Duration) -> Option<String> {
    let mut heard = String::new();
    let until = tokio::time::Instant::now() + within;
    while !heard.contains(wanted) {
        match tokio::time::timeout_at(until, stream.chunk()).await {
            Ok(Ok(Some(chunk))) => heard.push_str(&String::from_utf8_lossy(&chunk)),
            _ => return None,
        }
    }
    Some(heard)
}

/// A phone watching the door hears a check-in taken on another phone within 2 s; on
/// PostgreSQL through another server process (as another node behind the balancer).
async fn phones_at_the_door_hear_each_others_check_ins(backend: Backend) {
    let one = TestApp::spawn(backend).await;
    one.organization("Bureau", "owner@example.com").await;
    one.organization("County team", "county@example.com").await;
    let second;
    let other = match backend {
        Backend::Postgres => {
            second = TestApp::builder(backend).same_database_as(&one).start().await;
            &second
        }
        Backend::Sqlite => &one,
    };
    let event_id = stop_under_way(&one, "live-stop", 10, &["heard@example.com", "later@example.com"]).await;
    let code = code_of(&one, "heard@example.com").await;
    let watching = other.signed_in("owner@example.com").await;
    let live = format!("/admin/events/{event_id}/door/live");
    let mut stream = watching.get(other.url(&live)).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let counts = hear(&mut stream, "\n\n", Duration::from_secs(2)).await.expect("the counts first");
    assert!(counts.starts_with("event: counts\ndata: "), "{counts}");
    assert!(counts.contains("\"confirmed\":2") && counts.contains("\"checked_in\":0"), "{counts}");

    let checking = one.signed_in("owner@example.com").await;
    let started = std::time::Instant::now();
    let checked = one
        .call_as(
            &checking,
            app::registrations::CheckInCode::PATH,
            &[("event_id", &event_id.to_string()), ("code", &code)],
        )
        .await;
    assert_eq!(checked.status(), 200);
    let heard = hear(&mut stream, "\n\n", Duration::from_secs(2)).await.expect("heard within 2 s");
    let elapsed = started.elapsed();
    assert!(heard.starts_with("event: change\ndata: "), "{heard}");
    let data: app::door::DoorChange =
        serde_json::from_str(heard.trim().trim_start_matches("event: change\ndata: ")).unwrap();
    assert_eq!((data.guest.code(), data.checked_in, data.confirmed), (code.as_str(), 1, 2));
    assert!(data.guest.checked_in_at().is_some());
    println!("a check-in was heard on the other phone after {} ms", elapsed.as_millis());

    // An upload from a phone that was offline is heard too; a repeat of it is not.
    let later = code_of(&one, "later@example.com").await;
    let batch = [check_in("live-0000-0001", &later, Utc::now())];
    json::<Vec<DoorAnswer>>(upload(&one, &checking, event_id, &batch).await).await;
    let heard = hear(&mut stream, "\n\n", Duration::from_secs(2)).await.expect("the upload heard");
    assert!(heard.contains(&later) && heard.contains("\"checked_in\":2"), "{heard}");
    json::<Vec<DoorAnswer>>(upload(&one, &checking, event_id, &batch).await).await;
    assert!(hear(&mut stream, "event: change", Duration::from_millis(800)).await.is_none(), "a repeat says nothing");

    // A member who signs out stops hearing the door (the session is checked every 15 s).
    let signed_out = other.call_as(&watching, app::auth::Logout::PATH, &[]).await;
    assert!(signed_out.status().is_success() || signed_out.status().is_redirection());
    let ended =
        tokio::time::timeout(Duration::from_secs(20), async { while let Ok(Some(_)) = stream.chunk().await {} }).await;
    assert!(ended.is_ok(), "the stream ends after signing out");

    // Only the event's own organization's members who check guests in may listen.
    let county = other.signed_in("county@example.com").await;
    assert_eq!(county.get(other.url(&live)).send().await.unwrap().status(), 404);
    assert_eq!(other.client.get(other.url(&live)).send().await.unwrap().status(), 401);
}

on_both_databases!(
    a_prepared_door_holds_names_companies_and_codes_only,
    an_upload_sent_twice_changes_nothing_twice,
    two_phones_take_the_last_seat_offline,
    an_upload_cut_off_is_taken_to_the_end,
    phones_at_the_door_hear_each_others_check_ins,
);
