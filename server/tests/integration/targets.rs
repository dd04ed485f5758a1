//! Targets per unit and period: the table saved all or nothing, imported from CSV with
//! every bad cell named, owners only, and one row per unit and period under races.

use app::auth::Role;
use app::targets::{TargetMetric, TargetTable};
use leptos::server_fn::ServerFn as _;
use reqwest::Client;

use crate::leads::json;
use crate::support::{Backend, TestApp, field_errors};

async fn unit(app: &TestApp, client: &Client, zh: &str, en: &str) -> i32 {
    let form = [("form[kind]", "county"), ("form[name_zh]", zh), ("form[name_en]", en)];
    json(app.call_as(client, app::units::SaveUnit::PATH, &form).await).await
}

async fn table(app: &TestApp, client: &Client, year: &str, quarter: &str) -> TargetTable {
    json(app.call_as(client, app::targets::GetTargets::PATH, &[("year", year), ("quarter", quarter)]).await).await
}

async fn save(app: &TestApp, client: &Client, year: &str, cells: &[(String, &str)]) -> reqwest::Response {
    let mut form: Vec<(String, String)> = vec![("year".into(), year.into()), ("quarter".into(), "0".into())];
    form.extend(cells.iter().map(|(k, v)| (format!("cells[{k}]"), v.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(client, app::targets::SaveTargets::PATH, &form).await
}

async fn targets_are_saved_all_or_nothing_and_imported_by_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "viewer@example.com", Role::Viewer).await;
    app.organization("Other Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let miluo = unit(&app, &owner, "汨罗市", "Miluo").await;
    let edz = unit(&app, &owner, "岳阳经开区", "Yueyang EDZ").await;
    let foreign = unit(&app, &other, "长沙县", "Changsha County").await;

    // Bad cells are named, and nothing of the table is written.
    let bad = save(
        &app,
        &owner,
        "2023",
        &[(format!("projects-{miluo}"), "60"), (format!("signed-{miluo}"), "-5"), (format!("trips-{edz}"), "many")],
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        field_errors(bad).await,
        [(format!("signed-{miluo}"), "not_a_number".to_string()), (format!("trips-{edz}"), "not_a_number".to_string())]
    );
    assert_eq!(app.count("unit_target").await, 0);
    // Another organization's unit: not found, nothing written.
    let theirs =
        save(&app, &owner, "2023", &[(format!("projects-{miluo}"), "1"), (format!("projects-{foreign}"), "1")]).await;
    assert_eq!(theirs.status(), 404);
    assert_eq!(app.count("unit_target").await, 0);
    assert_eq!(save(&app, &viewer, "2023", &[(format!("projects-{miluo}"), "1")]).await.status(), 403);

    // Saved; every member reads it; the units without targets are listed empty.
    let saved = save(
        &app,
        &owner,
        "2023",
        &[(format!("projects-{miluo}"), "60"), (format!("signed-{miluo}"), "200.5"), (format!("trips-{miluo}"), "12")],
    )
    .await;
    assert_eq!(saved.status(), 200);
    let read = table(&app, &viewer, "2023", "").await;
    let row = read.rows.iter().find(|r| r.unit_id == miluo).unwrap();
    assert_eq!(row.values.get(TargetMetric::Projects), Some(60));
    assert_eq!(row.values.get(TargetMetric::Signed), Some(20_050_000_000));
    assert_eq!(row.values.get(TargetMetric::Funds), None);
    assert!(read.rows.iter().find(|r| r.unit_id == edz).unwrap().values.is_empty());
    assert!(table(&app, &other, "2023", "").await.rows.iter().all(|r| r.unit_id == foreign), "their own units only");
    let period = app.call_as(&owner, app::targets::GetTargets::PATH, &[("year", "1999"), ("quarter", "5")]).await;
    assert_eq!(period.status(), 422);
    assert_eq!(
        field_errors(period).await,
        [("year".to_string(), "out_of_range".to_string()), ("quarter".to_string(), "out_of_range".to_string())]
    );

    // Import: Chinese headings, units by either name; a bad file names each bad cell.
    let refused = app
        .call_as(
            &owner,
            app::targets::ImportTargets::PATH,
            &[(
                "csv",
                "单位,年份,季度,签约项目,到位资金（亿元）\n汨罗市,2023,1,15,20\n平江县,2023,0,3,1\nMiluo,20x3,0,1,1\n",
            )],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.unwrap();
    let cells: Vec<(u64, String)> = body["Invalid"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let cell = &e["reason"];
            assert_eq!(cell["code"], "invalid_target_cell");
            (cell["line"].as_u64().unwrap_or_default(), cell["column"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    assert_eq!(cells, [(3, "单位".to_string()), (4, "年份".to_string())], "{body}");
    assert_eq!(app.count("unit_target").await, 1, "nothing of the refused file");
    let imported = app
        .call_as(
            &owner,
            app::targets::ImportTargets::PATH,
            &[("csv", "unit;year;quarter;projects;funds\nyueyang edz;2023;;8;30.25\n汨罗市;2023;1;15;20\n")],
        )
        .await;
    assert_eq!(json::<u64>(imported).await, 2);
    let year = table(&app, &owner, "2023", "0").await;
    let row = year.rows.iter().find(|r| r.unit_id == edz).unwrap();
    assert_eq!(row.values.get(TargetMetric::Funds), Some(3_025_000_000));
    let q1 = table(&app, &owner, "2023", "1").await;
    assert_eq!(q1.rows.iter().find(|r| r.unit_id == miluo).unwrap().values.get(TargetMetric::Projects), Some(15));

    // Emptied, a row goes.
    let cleared = save(&app, &owner, "2023", &[(format!("projects-{edz}"), ""), (format!("funds-{edz}"), "")]).await;
    assert_eq!(cleared.status(), 200);
    assert!(table(&app, &owner, "2023", "0").await.rows.iter().find(|r| r.unit_id == edz).unwrap().values.is_empty());
    assert_eq!(app.count("unit_target").await, 2, "Miluo's year and quarter");
}

async fn racing_saves_keep_one_row_per_unit_and_period(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let miluo = unit(&app, &owner, "汨罗市", "Miluo").await;
    let saves = (1..=8).map(|n| {
        let (app, owner) = (&app, &owner);
        async move {
            let value = n.to_string();
            save(app, owner, "2024", &[(format!("projects-{miluo}"), value.as_str())]).await.status()
        }
    });
    let statuses = futures::future::join_all(saves).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(app.count("unit_target").await, 1);
    let value = table(&app, &owner, "2024", "0").await.rows[0].values.get(TargetMetric::Projects);
    assert!(value.is_some_and(|v| (1..=8).contains(&v)), "{value:?}");
}

on_both_databases!(
    targets_are_saved_all_or_nothing_and_imported_by_name,
    racing_saves_keep_one_row_per_unit_and_period
);
