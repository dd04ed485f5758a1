//! A project after signing: its steps in order, lateness against the plan by the
//! organization's own limit, and funds in place verified by a second member against a
//! proof file that only the organization's members can open.

use app::auth::Role;
use app::domain::{ActivityKind, Lateness, Milestone};
use chrono::{Duration, Utc};
use leptos::server_fn::ServerFn as _;
use reqwest::Client;
use reqwest::multipart::{Form, Part};

use crate::leads::{capture, lead};
use crate::support::{Backend, TestApp, field_errors};
use crate::units::project;

fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

async fn edit(app: &TestApp, client: &Client, lead_id: i32, id: i32, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form: Vec<(String, String)> =
        vec![("lead_id".into(), lead_id.to_string()), ("project_id".into(), id.to_string())];
    form.extend(fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(client, app::leads::SaveProject::PATH, &form).await
}

async fn settings(app: &TestApp, client: &Client, red_days: &str, verified_only: bool) -> reqwest::Response {
    let mut form = vec![("form[overdue_red_days]", red_days)];
    if verified_only {
        form.push(("form[verified_funds_only]", "on"));
    }
    app.call_as(client, app::units::SaveFigureSettings::PATH, &form).await
}

async fn a_project_is_late_by_the_organizations_limit_and_its_steps_keep_their_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "viewer@example.com", Role::Viewer).await;
    let owner = app.signed_in("owner@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;
    let lead_id = capture(&app, &owner, None, &[("name", "Zhang Wei"), ("email", "zhang@example.com")]).await;
    let signed = days_ago(200);
    let planned_start = days_ago(30);
    let planned_production = days_ago(-300);
    let base = [
        ("name", "Pump plant"),
        ("planned_investment", "52.5"),
        ("signed_on", signed.as_str()),
        ("planned_start_on", planned_start.as_str()),
        ("planned_production_on", planned_production.as_str()),
    ];
    let id: i32 = crate::leads::json(project(&app, &owner, lead_id, &base).await).await;

    // 30 days past the planned start, not started: yellow at the default 90 days.
    let p = lead(&app, &owner, lead_id).await.projects.remove(0);
    assert_eq!(p.overdue.len(), 1, "production is not due yet");
    assert_eq!(
        (p.overdue[0].milestone, p.overdue[0].lateness, p.overdue[0].days),
        (Milestone::Start, Lateness::Yellow, 30)
    );
    assert_eq!(app::domain::BigTier::of(p.planned_investment), Some(app::domain::BigTier::Fifty));

    // The organization's own limit: red from 30 days. A viewer cannot change it; bad input refused.
    assert_eq!(settings(&app, &viewer, "30", false).await.status(), 403);
    let bad = settings(&app, &owner, "0", false).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(field_errors(bad).await, [("overdue_red_days".to_string(), "out_of_range".to_string())]);
    assert_eq!(settings(&app, &owner, "31", false).await.status(), 200);
    let p = lead(&app, &owner, lead_id).await.projects.remove(0);
    assert_eq!(p.overdue[0].lateness, Lateness::Yellow, "30 days late, red from 31");
    assert_eq!(settings(&app, &owner, "30", false).await.status(), 200);
    let p = lead(&app, &owner, lead_id).await.projects.remove(0);
    assert_eq!(p.overdue[0].lateness, Lateness::Red, "30 days late, red from 30");

    // Steps out of order are refused by field, and nothing is written.
    let started = days_ago(10);
    let before_start = days_ago(11);
    let mut fields = base.to_vec();
    fields.extend([("started_on", started.as_str()), ("producing_on", before_start.as_str())]);
    let refused = edit(&app, &owner, lead_id, id, &fields).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(field_errors(refused).await, [("producing_on".to_string(), "before_previous_step".to_string())]);
    let unsigned = project(&app, &owner, lead_id, &[("name", "Unsigned"), ("started_on", started.as_str())]).await;
    assert_eq!(unsigned.status(), 422);
    assert_eq!(field_errors(unsigned).await, [("started_on".to_string(), "step_before_previous".to_string())]);
    let planned_back = project(
        &app,
        &owner,
        lead_id,
        &[
            ("name", "Backwards"),
            ("signed_on", &signed),
            ("planned_start_on", &days_ago(5)),
            ("planned_production_on", &days_ago(6)),
        ],
    )
    .await;
    assert_eq!(planned_back.status(), 422);
    assert_eq!(
        field_errors(planned_back).await,
        [("planned_production_on".to_string(), "before_previous_step".to_string())]
    );
    assert_eq!(app.count("project").await, 1);
    assert!(lead(&app, &owner, lead_id).await.projects[0].life.started_on.is_none());

    // Started: no longer late; the step is in the lead's history.
    let registered = days_ago(150);
    let mut fields = base.to_vec();
    fields.extend([("started_on", started.as_str()), ("registered_on", registered.as_str())]);
    assert_eq!(edit(&app, &owner, lead_id, id, &fields).await.status(), 200);
    let detail = lead(&app, &owner, lead_id).await;
    let p = &detail.projects[0];
    assert!(p.overdue.is_empty(), "{:?}", p.overdue);
    assert_eq!(p.life.started_on.map(|d| d.to_string()), Some(started.clone()));
    let steps: Vec<(&str, &str)> = detail
        .timeline
        .iter()
        .filter(|e| e.kind == ActivityKind::Progress)
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(steps.len(), 2);
    assert!(steps.contains(&("started", started.as_str())) && steps.contains(&("registered", registered.as_str())));
    // Saved again unchanged: no new history.
    assert_eq!(edit(&app, &owner, lead_id, id, &fields).await.status(), 200);
    let again = lead(&app, &owner, lead_id).await;
    assert_eq!(again.timeline.iter().filter(|e| e.kind == ActivityKind::Progress).count(), 2);
}

/// A small PDF: what the content check sees first is its `%PDF-` header.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

async fn upload(app: &TestApp, client: &Client, tranche_id: i32, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new().part("proof", Part::bytes(bytes).file_name(name.to_string()));
    client
        .post(app.url(&format!("/admin/tranches/{tranche_id}/proof")))
        .header("accept-language", "en")
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn funds_are_verified_by_a_second_member_against_a_proof_only_members_open(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "li@example.com", Role::Organizer).await;
    app.member(org, "viewer@example.com", Role::Viewer).await;
    app.organization("Other Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let li = app.signed_in("li@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let anonymous = crate::support::client_builder().build().unwrap();
    let lead_id = capture(&app, &owner, None, &[("name", "Zhang Wei"), ("email", "zhang@example.com")]).await;
    let id: i32 = crate::leads::json(
        project(
            &app,
            &owner,
            lead_id,
            &[("name", "Pump plant"), ("planned_investment", "12"), ("signed_on", &days_ago(60))],
        )
        .await,
    )
    .await;
    let add = app
        .call_as(
            &owner,
            app::leads::AddTranche::PATH,
            &[("project_id", &id.to_string()), ("amount", "3.5"), ("received_on", &days_ago(3))],
        )
        .await;
    assert_eq!(add.status(), 200);
    let tranche = lead(&app, &owner, lead_id).await.projects[0].tranches[0].clone();
    assert_eq!(tranche.entered_by.as_deref(), Some("Owner"));
    assert_eq!(tranche.verified, None);
    let t = tranche.id.to_string();

    // A file that is not what its name says, or too large: refused, nothing kept.
    let html = upload(&app, &owner, tranche.id, "proof.pdf", b"<html><script>alert(1)</script></html>".to_vec()).await;
    assert_eq!(html.status(), 422);
    assert!(html.text().await.unwrap().contains("must be a PDF, JPEG or PNG"));
    let mut big = PDF.to_vec();
    big.resize(app::domain::ProofKind::MAX_BYTES + 1, b' ');
    let too_large = upload(&app, &owner, tranche.id, "big.pdf", big).await;
    assert_eq!(too_large.status(), 422);
    assert!(too_large.text().await.unwrap().contains("at most 10 MB"));
    assert_eq!(upload(&app, &viewer, tranche.id, "proof.pdf", PDF.to_vec()).await.status(), 403);
    assert_eq!(upload(&app, &other, tranche.id, "proof.pdf", PDF.to_vec()).await.status(), 404);
    assert_eq!(lead(&app, &owner, lead_id).await.projects[0].tranches[0].proof, None);

    // A real PDF (whatever its name): kept, and back to the lead's page.
    let kept = upload(&app, &owner, tranche.id, "scan.png", PDF.to_vec()).await;
    assert_eq!(kept.status(), 303);
    assert_eq!(kept.headers()["location"], format!("/admin/leads/{lead_id}").as_str());
    let proof = lead(&app, &owner, lead_id).await.projects[0].tranches[0].proof;
    assert_eq!(proof, Some((app::domain::ProofKind::Pdf, PDF.len() as i64)));

    // Served to the organization's members only.
    let path = format!("/admin/tranches/{}/proof", tranche.id);
    let served = viewer.get(app.url(&path)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "application/pdf");
    assert!(served.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(served.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(other.get(app.url(&path)).send().await.unwrap().status(), 404);
    assert_eq!(anonymous.get(app.url(&path)).send().await.unwrap().status(), 401);

    // Verified by another member than the one who entered it; a viewer cannot.
    let own = app.call_as(&owner, app::leads::VerifyTranche::PATH, &[("tranche_id", &t)]).await;
    assert_eq!(own.status(), 422);
    assert_eq!(field_errors(own).await, [("tranche_id".to_string(), "verify_own_entry".to_string())]);
    assert_eq!(app.call_as(&viewer, app::leads::VerifyTranche::PATH, &[("tranche_id", &t)]).await.status(), 403);
    assert_eq!(app.call_as(&other, app::leads::VerifyTranche::PATH, &[("tranche_id", &t)]).await.status(), 404);
    assert_eq!(app.call_as(&li, app::leads::VerifyTranche::PATH, &[("tranche_id", &t)]).await.status(), 200);
    let detail = lead(&app, &owner, lead_id).await;
    let verified = detail.projects[0].tranches[0].verified.clone();
    assert_eq!(verified.map(|(name, _)| name), Some("li@example.com".to_string()));
    assert!(detail.timeline.iter().any(|e| e.kind == ActivityKind::Verified && e.to == "350000000"));

    // The checked proof stays the one checked.
    let replaced = upload(&app, &li, tranche.id, "other.pdf", PDF.to_vec()).await;
    assert_eq!(replaced.status(), 409);
}

async fn a_units_member_records_and_checks_the_funds_of_their_units_projects_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "miluo@example.com", Role::Organizer).await;
    let owner = app.signed_in("owner@example.com").await;
    let miluo_member = app.signed_in("miluo@example.com").await;
    let unit = |zh: &'static str| {
        let (app, owner) = (&app, &owner);
        async move {
            let form = [("form[kind]", "county"), ("form[name_zh]", zh)];
            crate::leads::json::<i32>(app.call_as(owner, app::units::SaveUnit::PATH, &form).await).await
        }
    };
    let (miluo, pingjiang) = (unit("汨罗市").await, unit("平江县").await);
    let member_id = crate::units::user_id(&app, "miluo@example.com").await;
    let assign = [("user_id", member_id.to_string()), ("unit_id", miluo.to_string())];
    let assign: Vec<(&str, &str)> = assign.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call_as(&owner, app::units::AssignMember::PATH, &assign).await.status(), 200);
    let lead_id = capture(&app, &owner, None, &[("name", "Zhang Wei"), ("email", "zhang@example.com")]).await;
    let signed = days_ago(30);
    let theirs: i32 = crate::leads::json(
        project(
            &app,
            &owner,
            lead_id,
            &[("name", "Their plant"), ("unit_id", &pingjiang.to_string()), ("signed_on", &signed)],
        )
        .await,
    )
    .await;
    let ours: i32 = crate::leads::json(
        project(
            &app,
            &owner,
            lead_id,
            &[("name", "Our plant"), ("unit_id", &miluo.to_string()), ("signed_on", &signed)],
        )
        .await,
    )
    .await;
    let tranche = |client: &Client, project_id: i32| {
        let (app, client) = (&app, client.clone());
        async move {
            let fields = [("project_id", project_id.to_string()), ("amount", "1".into()), ("received_on", days_ago(1))];
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call_as(&client, app::leads::AddTranche::PATH, &fields).await.status()
        }
    };
    assert_eq!(tranche(&miluo_member, theirs).await, 403, "another unit's project");
    assert_eq!(tranche(&miluo_member, ours).await, 200);
    assert_eq!(tranche(&owner, theirs).await, 200);
    let tranches = lead(&app, &owner, lead_id).await.projects;
    let id_of = |name: &str| tranches.iter().find(|p| p.name == name).unwrap().tranches[0].id;
    let (their_tranche, our_tranche) = (id_of("Their plant"), id_of("Our plant"));
    let verify = |id: i32| {
        let (app, client) = (&app, miluo_member.clone());
        async move {
            app.call_as(&client, app::leads::VerifyTranche::PATH, &[("tranche_id", &id.to_string())]).await.status()
        }
    };
    assert_eq!(verify(their_tranche).await, 403);
    assert_eq!(upload(&app, &miluo_member, their_tranche, "proof.pdf", PDF.to_vec()).await.status(), 403);
    assert_eq!(upload(&app, &miluo_member, our_tranche, "proof.pdf", PDF.to_vec()).await.status(), 303);
    assert_eq!(app.count("funding_tranche").await, 2, "the refused tranche was not written");
}

on_both_databases!(
    a_project_is_late_by_the_organizations_limit_and_its_steps_keep_their_order,
    funds_are_verified_by_a_second_member_against_a_proof_only_members_open,
    a_units_member_records_and_checks_the_funds_of_their_units_projects_only,
);
