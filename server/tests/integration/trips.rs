//! Outbound promotion trips: recorded by a unit's own members, linked to the
//! organization's leads and events only, and counted per unit and month.

use app::auth::Role;
use app::trips::Trips;
use leptos::server_fn::ServerFn as _;
use reqwest::Client;

use crate::leads::{capture, json};
use crate::support::{Backend, TestApp, field_errors};

pub async fn unit(app: &TestApp, client: &Client, zh: &str) -> i32 {
    json(app.call_as(client, app::units::SaveUnit::PATH, &[("form[kind]", "county"), ("form[name_zh]", zh)]).await)
        .await
}

pub async fn trip(app: &TestApp, client: &Client, fields: &[(&str, &str)]) -> reqwest::Response {
    let form: Vec<(String, String)> = fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(client, app::trips::SaveTrip::PATH, &form).await
}

async fn trips(app: &TestApp, client: &Client, year: &str) -> Trips {
    json(app.call_as(client, app::trips::ListTrips::PATH, &[("year", year)]).await).await
}

async fn a_unit_records_its_trips_and_the_months_without_one_show(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "miluo@example.com", Role::Organizer).await;
    app.member(org, "viewer@example.com", Role::Viewer).await;
    app.organization("Other Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let miluo_member = app.signed_in("miluo@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let miluo = unit(&app, &owner, "汨罗市").await;
    let pingjiang = unit(&app, &owner, "平江县").await;
    let miluo_s = miluo.to_string();
    let member_id = crate::units::user_id(&app, "miluo@example.com").await;
    let assigned = app
        .call_as(&owner, app::units::AssignMember::PATH, &[("user_id", &member_id.to_string()), ("unit_id", &miluo_s)])
        .await;
    assert_eq!(assigned.status(), 200);
    let lead_id = capture(&app, &owner, None, &[("name", "Zhang Wei"), ("email", "zhang@example.com")]).await;
    let their_lead = capture(&app, &other, None, &[("name", "Not yours"), ("email", "x@example.com")]).await;
    let lead_s = format!("#{lead_id}");

    // Bad input refused by field, nothing written.
    let bad = trip(
        &app,
        &miluo_member,
        &[("unit_id", &miluo_s), ("destination", "Shenzhen"), ("starts_on", "2023-05-08"), ("ends_on", "2023-05-07")],
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        field_errors(bad).await,
        [("ends_on".to_string(), "end_before_start".to_string()), ("travellers".to_string(), "required".to_string())]
    );
    let base = [
        ("destination", "Shenzhen"),
        ("starts_on", "2023-05-08"),
        ("ends_on", "2023-05-10"),
        ("travellers", "Li Ming"),
    ];
    let with = |extra: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        base.iter().chain(extra.iter()).map(|(k, v)| (*k, v.to_string())).collect()
    };
    let send = |fields: Vec<(&'static str, String)>, client: &Client| {
        let fields: Vec<(&str, String)> = fields;
        let app = &app;
        let client = client.clone();
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            trip(app, &client, &refs).await
        }
    };
    let elsewhere = send(with(&[("unit_id", &pingjiang.to_string())]), &miluo_member).await;
    assert_eq!(elsewhere.status(), 422, "another unit's trip");
    assert_eq!(field_errors(elsewhere).await, [("unit_id".to_string(), "not_your_unit".to_string())]);
    let foreign =
        send(with(&[("unit_id", &miluo_s), ("leads", &format!("{lead_id}, {their_lead}"))]), &miluo_member).await;
    assert_eq!(foreign.status(), 422, "another organization's lead");
    assert_eq!(field_errors(foreign).await, [("leads".to_string(), "unknown_choice".to_string())]);
    assert_eq!(send(with(&[("unit_id", &miluo_s)]), &viewer).await.status(), 403);
    assert_eq!(app.count("trip").await, 0);

    // Recorded, linked to the lead; in May of 2023.
    let may =
        send(with(&[("unit_id", &miluo_s), ("leads", &lead_s), ("companies", "Sany\nZoomlion\n")]), &miluo_member)
            .await;
    assert_eq!(may.status(), 200);
    let july = [
        ("destination", "Frankfurt"),
        ("starts_on", "2023-07-01"),
        ("ends_on", "2023-07-05"),
        ("travellers", "Wang Fang"),
    ];
    let july: Vec<(&str, &str)> = july.into_iter().chain([("unit_id", miluo_s.as_str())]).collect();
    assert_eq!(trip(&app, &owner, &july).await.status(), 200);
    let list = trips(&app, &viewer, "2023").await;
    assert_eq!(list.months_over, 12, "a past year is over");
    assert_eq!(list.trips.len(), 2);
    assert_eq!(list.trips[0].destination, "Frankfurt", "newest first");
    let shenzhen = &list.trips[1];
    assert_eq!(shenzhen.companies, ["Sany", "Zoomlion"]);
    assert_eq!(shenzhen.leads, [(lead_id, "Zhang Wei".to_string())]);
    let months = |id: i32| list.by_unit.iter().find(|u| u.unit_id == id).unwrap().months;
    assert_eq!(months(miluo), [0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    assert_eq!(months(pingjiang), [0; 12]);
    assert!(trips(&app, &other, "2023").await.trips.is_empty(), "their own trips only");

    // Only the unit's own members (and owners) change or delete its trips.
    let id = list.trips[0].id.to_string();
    assert_eq!(app.call_as(&other, app::trips::DeleteTrip::PATH, &[("id", &id)]).await.status(), 404);
    assert_eq!(app.call_as(&viewer, app::trips::DeleteTrip::PATH, &[("id", &id)]).await.status(), 403);
    assert_eq!(app.call_as(&miluo_member, app::trips::DeleteTrip::PATH, &[("id", &id)]).await.status(), 200);
    assert_eq!(app.count("trip").await, 1);
    let erased = app.call_as(&owner, app::leads::EraseLead::PATH, &[("id", &lead_id.to_string())]).await;
    assert_eq!(erased.status(), 200);
    assert_eq!(trips(&app, &owner, "2023").await.trips.len(), 1, "the trip stays when a person is erased");
}

on_both_databases!(a_unit_records_its_trips_and_the_months_without_one_show);
