//! Roadshows: the public page of a roadshow lists its coming public stops.

use crate::registrations::published_event;
use crate::support::{Backend, TestApp, as_refs, event_fields, with};
use leptos::server_fn::ServerFn as _;

async fn a_roadshow_lists_its_coming_public_stops_by_region(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let created = app
        .call_as(
            &owner,
            app::roadshows::CreateRoadshow::PATH,
            &[("form[name]", "2027 Global Tour"), ("form[year]", "2027")],
        )
        .await;
    let roadshow: i32 = created.json().await.unwrap();
    let r = roadshow.to_string();
    published_event(&app, "tour-frankfurt", 10, &[("form[roadshow_id]", &r)]).await;
    published_event(
        &app,
        "tour-nairobi",
        10,
        &[
            ("form[roadshow_id]", &r),
            ("form[region]", "Africa"),
            ("form[city]", "Nairobi"),
            ("form[time_zone]", "Africa/Nairobi"),
        ],
    )
    .await;
    published_event(&app, "tour-secret", 10, &[("form[roadshow_id]", &r), ("form[visibility]", "invite_only")]).await;
    let draft = with(&event_fields("tour-draft"), &[("form[roadshow_id]", &r)]);
    assert_eq!(app.call_as(&owner, app::events::CreateEvent::PATH, &as_refs(&draft)).await.status(), 200);

    let all = app.html(&format!("/roadshow/{roadshow}"), ("accept-language", "en")).await;
    assert!(all.contains("2027 Global Tour") && all.contains("/e/tour-frankfurt") && all.contains("/e/tour-nairobi"));
    assert!(!all.contains("tour-secret") && !all.contains("tour-draft"), "only public, published stops");
    assert!(all.contains("Europe 1") && all.contains("Africa 1") && all.contains("All 2"), "regions with counts");
    let africa = app.html(&format!("/roadshow/{roadshow}?region=Africa"), ("accept-language", "en")).await;
    assert!(africa.contains("/e/tour-nairobi") && !africa.contains("/e/tour-frankfurt"));
    let stop = app.html("/e/tour-frankfurt", ("accept-language", "en")).await;
    assert!(stop.contains(&format!("href=\"/roadshow/{roadshow}\"")), "a stop links to its roadshow");
    assert_eq!(app.get("/roadshow/999999").await.status(), 404);
    let empty = app
        .call_as(&owner, app::roadshows::CreateRoadshow::PATH, &[("form[name]", "Unpublished"), ("form[year]", "2027")])
        .await;
    let empty: i32 = empty.json().await.unwrap();
    assert_eq!(app.get(&format!("/roadshow/{empty}")).await.status(), 404, "nothing published: not public");
}

on_both_databases!(a_roadshow_lists_its_coming_public_stops_by_region);
