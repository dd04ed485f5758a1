//! An organizer's own questions on the registration form: asked, answered, listed and
//! exported.

use crate::registrations::{guest, published_event};
use crate::support::{Backend, TestApp, as_refs, field_errors, with};
use leptos::server_fn::ServerFn as _;

async fn organizers_ask_their_own_questions_and_guests_answer_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    let slug = published_event(&app, "question-stop", 10, &[]).await;
    let event_id = app.event_id(&slug).await.to_string();
    let owner = app.signed_in("owner@example.com").await;
    let add = |fields: Vec<(&'static str, &'static str)>| {
        let owner = owner.clone();
        let event_id = event_id.clone();
        let app = &app;
        async move {
            let mut all = vec![("event_id", event_id.as_str())];
            all.extend(fields);
            app.call_as(&owner, app::questions::AddQuestion::PATH, &all).await
        }
    };
    let id = |r: reqwest::Response| async move { r.json::<i64>().await.unwrap() };
    let sector = id(add(vec![
        ("form[kind]", "single_choice"),
        ("form[label_zh]", "所属行业"),
        ("form[label_en]", "Sector"),
        ("form[options]", "Manufacturing\nLogistics\n"),
        ("form[required]", "on"),
    ])
    .await)
    .await;
    let visits = id(add(vec![
        ("form[kind]", "multiple_choice"),
        ("form[label_en]", "Interested in"),
        ("form[options]", "Site visit\nDinner\nMeeting"),
    ])
    .await)
    .await;
    let note = id(add(vec![("form[kind]", "long_text"), ("form[label_en]", "Anything else?")]).await).await;
    let bad =
        add(vec![("form[kind]", "single_choice"), ("form[label_en]", "One option"), ("form[options]", "Only")]).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(field_errors(bad).await, vec![("options".to_string(), "too_short".to_string())]);
    let county = app.signed_in("county@example.com").await;
    let foreign = app
        .call_as(
            &county,
            app::questions::AddQuestion::PATH,
            &[("event_id", event_id.as_str()), ("form[kind]", "checkbox"), ("form[label_en]", "X")],
        )
        .await;
    assert_eq!(foreign.status(), 404);
    assert_eq!(app.count("event_question").await, 3);

    // The public form asks them.
    let page = app.html(&format!("/e/{slug}"), ("accept-language", "en")).await;
    assert!(page.contains("Sector *") && page.contains("Logistics") && page.contains("Interested in"), "{page}");

    // Required and unknown choices are refused by question, with nothing written.
    let missing = app.call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "a@example.com", "A"))).await;
    assert_eq!(missing.status(), 422);
    assert_eq!(field_errors(missing).await, vec![(format!("q{sector}"), "required".to_string())]);
    let (k_sector, k_visit2, k_visit0, k_note) = (
        format!("form[answers][q{sector}]"),
        format!("form[answers][q{visits}_2]"),
        format!("form[answers][q{visits}_0]"),
        format!("form[answers][q{note}]"),
    );
    let wrong = with(&guest(&slug, "a@example.com", "A"), &[(k_sector.as_str(), "5")]);
    assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&wrong)).await.status(), 422);
    assert_eq!(app.count("registration").await, 0);
    assert_eq!(app.count("outbox_message").await, 0, "no email for a refused registration");

    let answered = with(
        &guest(&slug, "a@example.com", "A"),
        &[
            (k_sector.as_str(), "1"),
            (k_visit2.as_str(), "on"),
            (k_visit0.as_str(), "on"),
            (k_note.as_str(), "Vegetarian, please"),
        ],
    );
    assert_eq!(app.call(app::registrations::Register::PATH, &as_refs(&answered)).await.status(), 200);
    let csv = owner
        .get(app.url(&format!("/admin/events/{event_id}/registrations.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(lines[0].ends_with(",checked_in_at,Sector,Interested in,Anything else?"), "{}", lines[0]);
    // A `;` is quoted too: spreadsheets in many locales split on it.
    assert!(lines[1].ends_with(",Logistics,\"Site visit; Meeting\",\"Vegetarian, please\""), "{}", lines[1]);
}

on_both_databases!(organizers_ask_their_own_questions_and_guests_answer_them);
