//! Promotion units: nesting, members' units, count once by credit code, moving a project
//! (an owner's action, kept in history) and the organization's boundary.

use app::auth::Role;
use app::domain::ActivityKind;
use app::error::{AppError, Reason};
use app::i18n::Lang;
use app::units::{UnitKind, Units};
use leptos::server_fn::ServerFn as _;
use reqwest::Client;

use crate::leads::{capture, json, lead};
use crate::support::{Backend, TestApp, field_errors};

/// A valid code (the example GB 32100-2015 is usually quoted with).
const CODE: &str = "91350100M000100Y43";

async fn units(app: &TestApp, client: &Client) -> Units {
    json(app.call_as(client, app::units::ListUnits::PATH, &[]).await).await
}

async fn save_unit(app: &TestApp, client: &Client, fields: &[(&str, &str)]) -> reqwest::Response {
    let form: Vec<(String, String)> = fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(client, app::units::SaveUnit::PATH, &form).await
}

pub async fn project(app: &TestApp, client: &Client, lead_id: i32, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form: Vec<(String, String)> = vec![("lead_id".into(), lead_id.to_string())];
    form.extend(fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(client, app::leads::SaveProject::PATH, &form).await
}

pub async fn user_id(app: &TestApp, email: &str) -> i32 {
    app.scalar::<i32>(&format!("SELECT id AS v FROM \"user\" WHERE email = '{email}'")).await
}

async fn units_nest_and_members_report_for_their_own(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "miluo@example.com", Role::Organizer).await;
    app.member(org, "viewer@example.com", Role::Viewer).await;
    let owner = app.signed_in("owner@example.com").await;
    let miluo_member = app.signed_in("miluo@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;

    // Units, one under another; bad input refused by field, nothing written.
    let county: i32 =
        json(save_unit(&app, &owner, &[("kind", "county"), ("name_zh", "汨罗市"), ("name_en", "Miluo")]).await).await;
    let county_s = county.to_string();
    let town: i32 =
        json(save_unit(&app, &owner, &[("kind", "township"), ("name_zh", "白水镇"), ("parent_id", &county_s)]).await)
            .await;
    let zone: i32 = json(
        save_unit(&app, &owner, &[("kind", "zone"), ("name_zh", "岳阳经济技术开发区"), ("name_en", "Yueyang EDZ")])
            .await,
    )
    .await;
    let bad = save_unit(&app, &owner, &[("kind", "province"), ("name_zh", " ")]).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        field_errors(bad).await,
        [("kind".to_string(), "unknown_choice".to_string()), ("name_zh".to_string(), "required".to_string())]
    );
    let twice = save_unit(&app, &owner, &[("kind", "county"), ("name_zh", "汨罗市")]).await;
    assert_eq!(twice.status(), 409);
    assert_eq!(field_errors(twice).await, [("name_zh".to_string(), "unit_name_taken".to_string())]);
    let fields = [("kind", "county"), ("name_zh", "汨罗市"), ("parent_id", &town.to_string())];
    let form: Vec<(String, String)> = fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())).collect();
    let mut form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    form.push(("id", &county_s));
    let looped = app.call_as(&owner, app::units::SaveUnit::PATH, &form).await;
    assert_eq!(looped.status(), 422, "a county under its own township");
    assert_eq!(field_errors(looped).await, [("parent_id".to_string(), "unit_loop".to_string())]);
    assert_eq!(save_unit(&app, &miluo_member, &[("kind", "zone"), ("name_zh", "新区")]).await.status(), 403);
    assert_eq!(app.count("unit").await, 3);

    // Listed in tree order, readable by every member.
    let list = units(&app, &viewer).await;
    let tree: Vec<(&str, u32, UnitKind)> = list.units.iter().map(|u| (u.name_zh.as_str(), u.depth, u.kind)).collect();
    assert_eq!(
        tree,
        [("岳阳经济技术开发区", 0, UnitKind::Zone), ("汨罗市", 0, UnitKind::County), ("白水镇", 1, UnitKind::Township)]
    );

    // A member works for a unit: their projects are credited to it, and only to it.
    let miluo_id = user_id(&app, "miluo@example.com").await;
    let assign = |who: i32, unit: String| {
        let (app, owner) = (&app, &owner);
        async move {
            app.call_as(owner, app::units::AssignMember::PATH, &[("user_id", &who.to_string()), ("unit_id", &unit)])
                .await
        }
    };
    assert_eq!(assign(miluo_id, county_s.clone()).await.status(), 200);
    let lead_id = capture(&app, &miluo_member, None, &[("name", "Zhang Wei"), ("email", "zhang@example.com")]).await;
    let _: i32 =
        json(project(&app, &miluo_member, lead_id, &[("name", "Pump plant"), ("planned_investment", "12")]).await)
            .await;
    let other_unit =
        project(&app, &miluo_member, lead_id, &[("name", "Elsewhere"), ("unit_id", &zone.to_string())]).await;
    assert_eq!(other_unit.status(), 422);
    assert_eq!(field_errors(other_unit).await, [("unit_id".to_string(), "not_your_unit".to_string())]);
    let zone_project: i32 =
        json(project(&app, &owner, lead_id, &[("name", "Battery line"), ("unit_id", &zone.to_string())]).await).await;
    let mut form = vec![("lead_id".to_string(), lead_id.to_string()), ("project_id".into(), zone_project.to_string())];
    form.push(("form[name]".into(), "Taken over".into()));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        app.call_as(&miluo_member, app::leads::SaveProject::PATH, &form).await.status(),
        403,
        "the park's project"
    );
    let detail = lead(&app, &owner, lead_id).await;
    let credited: Vec<(&str, Option<i32>)> = detail.projects.iter().map(|p| (p.name.as_str(), p.unit_id)).collect();
    assert!(credited.contains(&("Pump plant", Some(county))) && credited.contains(&("Battery line", Some(zone))));
    assert_eq!(
        units(&app, &owner).await.units.iter().find(|u| u.id == county).map(|u| (u.members, u.projects)),
        Some((1, 1))
    );

    // A unit with projects or units under it stays; an empty one goes, its members with no unit.
    let delete = |id: i32| {
        let (app, owner) = (&app, &owner);
        async move { app.call_as(owner, app::units::DeleteUnit::PATH, &[("id", &id.to_string())]).await }
    };
    assert_eq!(delete(county).await.status(), 409);
    assert_eq!(delete(town).await.status(), 200);
    assert_eq!(assign(miluo_id, String::new()).await.status(), 200);
    assert_eq!(units(&app, &owner).await.members.iter().find(|m| m.user_id == miluo_id).unwrap().unit_id, None);
}

async fn a_company_counts_for_the_unit_that_reported_it_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let county: i32 =
        json(save_unit(&app, &owner, &[("kind", "county"), ("name_zh", "汨罗市"), ("name_en", "Miluo")]).await).await;
    let zone: i32 = json(save_unit(&app, &owner, &[("kind", "zone"), ("name_zh", "临湘工业园")]).await).await;
    let lead_id = capture(&app, &owner, None, &[("name", "Li Na"), ("email", "li@example.com")]).await;
    let (county_s, zone_s) = (county.to_string(), zone.to_string());

    let bad = project(
        &app,
        &owner,
        lead_id,
        &[("name", "Plant"), ("unit_id", &county_s), ("credit_code", "91350100M000100Y44")],
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(field_errors(bad).await, [("credit_code".to_string(), "invalid_credit_code".to_string())]);
    assert_eq!(app.count("project").await, 0, "nothing written");

    let typed = "9135 0100-m000 100y43";
    let first: i32 = json(
        project(&app, &owner, lead_id, &[("name", "Plant"), ("unit_id", &county_s), ("credit_code", typed)]).await,
    )
    .await;
    let again: i32 = json(
        project(&app, &owner, lead_id, &[("name", "Phase two"), ("unit_id", &county_s), ("credit_code", CODE)]).await,
    )
    .await;
    let taken =
        project(&app, &owner, lead_id, &[("name", "Same company"), ("unit_id", &zone_s), ("credit_code", CODE)]).await;
    assert_eq!(taken.status(), 409);
    let error: AppError = taken.json().await.unwrap();
    let reason = error.field_errors().and_then(|f| f.get("credit_code")).cloned().expect("a credit_code error");
    assert_eq!(reason, Reason::CreditCodeHeldBy { unit_zh: "汨罗市".into(), unit_en: "Miluo".into() });
    assert_eq!(reason.message(Lang::Zh), "该企业已由汨罗市报送（同一企业只计入一个单位）");
    assert_eq!(
        reason.message(Lang::En),
        "This company is already reported by Miluo (a company counts for one unit only)"
    );
    assert_eq!(app.count("project").await, 2, "the refused project was not written");
    assert_eq!(
        app.count(&format!("project WHERE credit_code = '{CODE}'")).await,
        2,
        "stored as the code, not as typed"
    );

    // Moving: refused while another of the company's projects keeps it in the county;
    // allowed once both have moved, and kept in the lead's history.
    let moving = |id: i32, unit: &str| {
        let (app, owner, unit) = (&app, &owner, unit.to_string());
        async move {
            app.call_as(owner, app::leads::MoveProject::PATH, &[("project_id", &id.to_string()), ("unit_id", &unit)])
                .await
        }
    };
    let refused = moving(first, &zone_s).await;
    assert_eq!(refused.status(), 409);
    assert_eq!(app.count(&format!("project WHERE unit_id = {county}")).await, 2, "nothing moved");
    let organizer_org = org;
    app.member(organizer_org, "organizer@example.com", Role::Organizer).await;
    let organizer = app.signed_in("organizer@example.com").await;
    let not_owner = app
        .call_as(&organizer, app::leads::MoveProject::PATH, &[("project_id", &again.to_string()), ("unit_id", &zone_s)])
        .await;
    assert_eq!(not_owner.status(), 403);
    let plain: i32 = json(project(&app, &owner, lead_id, &[("name", "No code"), ("unit_id", &county_s)]).await).await;
    assert_eq!(moving(plain, &zone_s).await.status(), 200);
    let history = lead(&app, &owner, lead_id).await.timeline;
    let moved = history.iter().find(|e| e.kind == ActivityKind::Unit).expect("the move in the history");
    assert_eq!((moved.from.as_str(), moved.to.as_str(), moved.note.as_str()), ("汨罗市", "临湘工业园", "No code"));

    // Another organization sees none of it.
    app.organization("Changsha Bureau", "other@example.com").await;
    let other = app.signed_in("other@example.com").await;
    assert!(units(&app, &other).await.units.is_empty());
    assert_eq!(moving(first, &zone_s).await.status(), 409);
    let foreign = app
        .call_as(&other, app::leads::MoveProject::PATH, &[("project_id", &first.to_string()), ("unit_id", &zone_s)])
        .await;
    assert_eq!(foreign.status(), 404, "an owner, but of another organization");
}

/// Two units reporting the same company at the same moment: the database's key lets one
/// hold it; every project of the other is refused and none of them is written.
async fn two_units_reporting_one_company_at_once_credit_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let a: i32 = json(save_unit(&app, &owner, &[("kind", "county"), ("name_zh", "华容县")]).await).await;
    let b: i32 = json(save_unit(&app, &owner, &[("kind", "county"), ("name_zh", "湘阴县")]).await).await;
    let lead_id = capture(&app, &owner, None, &[("name", "Chen Jie"), ("email", "chen@example.com")]).await;
    let requests = (0..16).map(|i| {
        let unit = if i % 2 == 0 { a } else { b }.to_string();
        let (app, owner) = (&app, &owner);
        async move {
            let name = format!("Project {i}");
            let response =
                project(app, owner, lead_id, &[("name", &name), ("unit_id", &unit), ("credit_code", CODE)]).await;
            (unit, response.status().as_u16())
        }
    });
    let answers = futures::future::join_all(requests).await;
    let holder: i32 = app.scalar(&format!("SELECT unit_id AS v FROM unit_credit_code WHERE code = '{CODE}'")).await;
    for (unit, status) in &answers {
        let expected = if *unit == holder.to_string() { 200 } else { 409 };
        assert_eq!(*status, expected, "unit {unit}, holder {holder}: {answers:?}");
    }
    assert_eq!(app.count("project").await, 8);
    assert_eq!(app.count(&format!("project WHERE unit_id = {holder}")).await, 8);
}

on_both_databases!(
    units_nest_and_members_report_for_their_own,
    a_company_counts_for_the_unit_that_reported_it_first,
    two_units_reporting_one_company_at_once_credit_one,
);
