//! Leads through HTTP on a real database: every guest a lead, capture at the door, the
//! pipeline with its history, projects and money in place, the list, merging, and a
//! person's data exported and erased.

use app::auth::Role;
use app::leads::import::{Column, ImportBatch, ImportOutcome, chunks};
use app::leads::{ActivityKind, BoardColumn, ConsentSource, Credit, LeadDetail, LeadList, MetSource, Stage};
use app::registrations::RegistrationOutcome;
use chrono::NaiveDate;
use leptos::server_fn::ServerFn as _;
use reqwest::Client;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::registrations::{guest, published_event};
use crate::support::{Backend, SmtpSink, TestApp, as_refs, field_errors, with};

/// The answer of a server function that succeeded, as its own type.
pub async fn json<T: DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

async fn register(app: &TestApp, slug: &str, email: &str, name: &str) -> RegistrationOutcome {
    json(app.call(app::registrations::Register::PATH, &as_refs(&guest(slug, email, name))).await).await
}

async fn lead_list(app: &TestApp, client: &Client, filter: &[(&str, &str)]) -> LeadList {
    let fields: Vec<(String, String)> = filter.iter().map(|(k, v)| (format!("filter[{k}]"), v.to_string())).collect();
    json(app.call_as(client, app::leads::ListLeads::PATH, &as_refs(&fields)).await).await
}

pub async fn lead(app: &TestApp, client: &Client, id: i32) -> LeadDetail {
    json(app.call_as(client, app::leads::GetLead::PATH, &[("id", &id.to_string())]).await).await
}

/// Captures a lead by hand; returns its id.
pub async fn capture(app: &TestApp, client: &Client, event_id: Option<i32>, fields: &[(&str, &str)]) -> i32 {
    let mut form: Vec<(String, String)> = fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())).collect();
    if let Some(id) = event_id {
        form.push(("event_id".into(), id.to_string()));
    }
    json(app.call_as(client, app::leads::CaptureLead::PATH, &as_refs(&form)).await).await
}

fn kinds(detail: &LeadDetail) -> Vec<ActivityKind> {
    detail.timeline.iter().map(|e| e.kind).collect()
}

async fn every_guest_becomes_one_lead_across_stops(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let frankfurt = published_event(&app, "frankfurt", 10, &[]).await;
    let shenzhen = published_event(&app, "shenzhen", 10, &[]).await;
    let owner = app.signed_in("owner@example.com").await;

    let first = register(&app, &frankfurt, "Wang.Fang@example.com", "Wang Fang").await;
    register(&app, &shenzhen, "wang.fang@EXAMPLE.com", "王芳 Wang Fang").await;
    register(&app, &shenzhen, "li.lei@example.com", "Li Lei").await;
    app.call_as(&owner, app::registrations::CheckIn::PATH, &[("registration_id", &first.id.to_string())]).await;

    assert_eq!(app.count("lead").await, 2, "one lead per person, matched by normalized email");
    let list = lead_list(&app, &owner, &[]).await;
    assert_eq!(list.total, 2);
    let wang = list.rows.iter().find(|r| r.email.as_deref() == Some("wang.fang@example.com")).unwrap();
    assert_eq!(wang.events, 2, "met at both stops");
    assert_eq!(wang.name, "王芳 Wang Fang", "the latest registration's details");
    assert_eq!(wang.stage, Stage::New);

    let detail = lead(&app, &owner, wang.id).await;
    assert_eq!(detail.events.len(), 2);
    let kinds = kinds(&detail);
    assert_eq!(kinds.iter().filter(|k| **k == ActivityKind::Registered).count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == ActivityKind::CheckedIn).count(), 1);
    assert!(kinds.iter().filter(|k| **k == ActivityKind::Email).count() >= 2, "the confirmations sent: {kinds:?}");
    assert_eq!(detail.consent_source, ConsentSource::EventPage);
    assert!(detail.consent_data_at.is_some());

    let frankfurt_id = app.event_id(&frankfurt).await.to_string();
    let at_frankfurt = lead_list(&app, &owner, &[("event", &frankfurt_id)]).await;
    assert_eq!(at_frankfurt.total, 1);
}

async fn stages_owners_and_amounts_keep_their_history(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bureau = app.organization("Bureau", "owner@example.com").await;
    app.member(bureau, "colleague@example.com", Role::Organizer).await;
    let county = app.organization("County team", "county@example.com").await;
    let slug = published_event(&app, "door-stop", 10, &[]).await;
    let event_id = app.event_id(&slug).await;
    let owner = app.signed_in("owner@example.com").await;
    let colleague: i32 = app.scalar("SELECT id AS v FROM \"user\" WHERE email = 'colleague@example.com'").await;
    let outsider: i32 = app.scalar("SELECT id AS v FROM \"user\" WHERE email = 'county@example.com'").await;
    assert!(county > 0);

    let id = capture(
        &app,
        &owner,
        Some(event_id),
        &[
            ("name", "Zhang Wei"),
            ("company", "Sany Heavy Industry"),
            ("phone", "+86 138 0000 0000"),
            ("notes", "Wants land in Yueyang"),
        ],
    )
    .await;
    let sid = id.to_string();
    let stage = |stage: &'static str, reason: &'static str| {
        let sid = sid.clone();
        let owner = owner.clone();
        let app = &app;
        async move {
            app.call_as(&owner, app::leads::ChangeStage::PATH, &[("id", &sid), ("stage", stage), ("reason", reason)])
                .await
        }
    };
    assert_eq!(stage("contacted", "").await.status(), 200);
    assert_eq!(stage("site_visit", "").await.status(), 200);
    let refused = stage("lost", "").await;
    assert_eq!(refused.status(), 422);
    assert_eq!(field_errors(refused).await, vec![("reason".to_string(), "required".to_string())]);
    assert_eq!(stage("nowhere", "").await.status(), 422);
    assert_eq!(app.scalar::<String>(&format!("SELECT stage AS v FROM lead WHERE id = {id}")).await, "site_visit");

    let bad_owner =
        app.call_as(&owner, app::leads::ChangeOwner::PATH, &[("id", &sid), ("owner", &outsider.to_string())]).await;
    assert_eq!(bad_owner.status(), 422, "only a member of the organization can own a lead");
    let given =
        app.call_as(&owner, app::leads::ChangeOwner::PATH, &[("id", &sid), ("owner", &colleague.to_string())]).await;
    assert_eq!(given.status(), 200);

    let bad_project = app
        .call_as(
            &owner,
            app::leads::SaveProject::PATH,
            &[
                ("lead_id", &sid),
                ("form[name]", ""),
                ("form[planned_investment]", "a lot"),
                ("form[signed_on]", "31/12/2027"),
            ],
        )
        .await;
    assert_eq!(bad_project.status(), 422);
    let mut errors = field_errors(bad_project).await;
    errors.sort();
    assert_eq!(
        errors,
        [("name", "required"), ("planned_investment", "not_a_number"), ("signed_on", "invalid_date_time")]
            .map(|(f, c)| (f.to_string(), c.to_string()))
    );
    assert_eq!(app.count("project").await, 0, "nothing half-written");
    let project = json::<i32>(
        app.call_as(
            &owner,
            app::leads::SaveProject::PATH,
            &[
                ("lead_id", &sid),
                ("form[name]", "Excavator plant"),
                ("form[industry_chain]", "advanced-equipment"),
                ("form[location]", "Yueyang Economic Development Zone"),
                ("form[planned_investment]", "12.5"),
            ],
        )
        .await,
    )
    .await
    .to_string();
    let changed = app
        .call_as(
            &owner,
            app::leads::SaveProject::PATH,
            &[
                ("lead_id", &sid),
                ("project_id", &project),
                ("form[name]", "Excavator plant"),
                ("form[planned_investment]", "15"),
                ("form[signed_on]", "2027-06-30"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
    let bad_tranche = app
        .call_as(
            &owner,
            app::leads::AddTranche::PATH,
            &[("project_id", &project), ("amount", "0"), ("received_on", "")],
        )
        .await;
    assert_eq!(bad_tranche.status(), 422);
    for (amount, day) in [("3", "2027-08-01"), ("2.25", "2027-11-15")] {
        let tranche = app
            .call_as(
                &owner,
                app::leads::AddTranche::PATH,
                &[("project_id", &project), ("amount", amount), ("received_on", day)],
            )
            .await;
        assert_eq!(tranche.status(), 200);
    }
    assert_eq!(stage("lost", "Chose another province").await.status(), 200);
    assert_eq!(
        app.call_as(&owner, app::leads::AddNote::PATH, &[("id", &sid), ("note", "Called back in May")]).await.status(),
        200
    );

    let detail = lead(&app, &owner, id).await;
    assert_eq!(detail.stage, Stage::Lost);
    assert_eq!(detail.lost_reason, "Chose another province");
    assert_eq!(detail.owner_id, Some(colleague));
    let p = &detail.projects[0];
    assert_eq!(p.planned_investment, 1_500_000_000_i64, "15 亿元 in yuan");
    assert_eq!(p.funds_in_place, 525_000_000_i64, "3 + 2.25 亿元 arrived");
    assert_eq!(p.signed_on, NaiveDate::from_ymd_opt(2027, 6, 30));
    assert_eq!(detail.events[0].source, MetSource::Door, "captured at the door, tagged with the event");
    let timeline = &detail.timeline;
    let of = |kind| timeline.iter().filter(|e| e.kind == kind).cloned().collect::<Vec<_>>();
    let stages: Vec<(String, String)> =
        of(ActivityKind::Stage).iter().rev().map(|e| (e.from.clone(), e.to.clone())).collect();
    assert_eq!(
        stages,
        [("new", "contacted"), ("contacted", "site_visit"), ("site_visit", "lost")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(of(ActivityKind::Stage).iter().all(|e| e.by.as_deref() == Some("Owner")), "who changed it");
    assert_eq!(of(ActivityKind::Owner)[0].to, "colleague@example.com");
    let amounts: Vec<(String, String)> =
        of(ActivityKind::Amount).iter().rev().map(|e| (e.from.clone(), e.to.clone())).collect();
    assert_eq!(
        amounts,
        [("", "1250000000"), ("1250000000", "1500000000")].map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(of(ActivityKind::Funds).len(), 2);
    assert_eq!(of(ActivityKind::Captured)[0].note, "Wants land in Yueyang");
    assert_eq!(of(ActivityKind::Note)[0].note, "Called back in May");

    // The project is credited to the event its lead was met at.
    let at_event = lead_list(&app, &owner, &[("event", &event_id.to_string())]).await;
    assert_eq!(at_event.credit, Credit { projects: 1, planned: 1_500_000_000_i64, funds: 525_000_000_i64 });
    let other_event = published_event(&app, "other-stop", 10, &[]).await;
    let elsewhere = lead_list(&app, &owner, &[("event", &app.event_id(&other_event).await.to_string())]).await;
    assert_eq!(elsewhere.credit.projects, 0);
    let board: Vec<BoardColumn> = json(app.call_as(&owner, app::leads::LeadBoard::PATH, &[]).await).await;
    let lost = board.iter().find(|c| c.stage == Stage::Lost).unwrap();
    assert_eq!((lost.count, lost.planned), (1, 1_500_000_000));
}

async fn organization_boundaries_hold_for_leads_and_projects(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bureau = app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    app.member(bureau, "viewer@example.com", Role::Viewer).await;
    let owner = app.signed_in("owner@example.com").await;
    let other = app.signed_in("county@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;
    let id = capture(&app, &owner, None, &[("name", "Zhang Wei"), ("email", "zhang@example.com")]).await.to_string();
    let project = json::<i32>(
        app.call_as(&owner, app::leads::SaveProject::PATH, &[("lead_id", &id), ("form[name]", "Plant")]).await,
    )
    .await
    .to_string();
    let theirs = capture(&app, &other, None, &[("name", "Their lead")]).await.to_string();

    let writes: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (app::leads::SaveLead::PATH, vec![("id", &id), ("form[name]", "Renamed")]),
        (app::leads::ChangeStage::PATH, vec![("id", &id), ("stage", "contacted")]),
        (app::leads::ChangeOwner::PATH, vec![("id", &id), ("owner", "")]),
        (app::leads::AddNote::PATH, vec![("id", &id), ("note", "x")]),
        (app::leads::MergeLeads::PATH, vec![("keep", &theirs), ("other", &id)]),
        (app::leads::SaveProject::PATH, vec![("lead_id", &id), ("form[name]", "P")]),
        (app::leads::AddTranche::PATH, vec![("project_id", &project), ("amount", "1"), ("received_on", "2027-01-01")]),
        (app::leads::EraseLead::PATH, vec![("id", &id)]),
        (
            app::leads::BulkChange::PATH,
            vec![("change[action]", "add_tag"), ("change[value]", "vip"), ("change[ids][ID]", "on")],
        ),
    ];
    for (endpoint, fields) in &writes {
        let fields: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.replace("ID", &id), v.to_string())).collect();
        let fields = as_refs(&fields);
        assert_eq!(app.call_as(&other, endpoint, &fields).await.status(), 404, "{endpoint} by another organization");
        assert_eq!(app.call_as(&viewer, endpoint, &fields).await.status(), 403, "{endpoint} by a viewer");
        assert_eq!(app.call(endpoint, &fields).await.status(), 401, "{endpoint} anonymously");
    }
    assert_eq!(app.call_as(&other, app::leads::GetLead::PATH, &[("id", &id)]).await.status(), 404);
    assert_eq!(app.call_as(&viewer, app::leads::GetLead::PATH, &[("id", &id)]).await.status(), 200, "viewers read");
    assert_eq!(lead_list(&app, &other, &[]).await.total, 1, "another organization lists its own only");
    assert_eq!(lead_list(&app, &viewer, &[]).await.total, 1);
    let export = other.get(app.url(&format!("/admin/leads/{id}/export.json"))).send().await.unwrap();
    assert_eq!(export.status(), 404);
    let csv = other.get(app.url("/admin/leads.csv")).send().await.unwrap().text().await.unwrap();
    assert!(!csv.contains("Zhang Wei"));
    assert_eq!(app.get("/admin/leads.csv").await.status(), 401);
    assert_eq!(app.scalar::<String>(&format!("SELECT name AS v FROM lead WHERE id = {id}")).await, "Zhang Wei");
    assert_eq!(app.count("lead_tag").await, 0);
}

async fn leads_are_filtered_sorted_paged_and_exported(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    for i in 0..60 {
        let name = format!("Lead {i:02}");
        let email = format!("lead{i}@example.com");
        let mut fields = vec![
            ("name", name.as_str()),
            ("email", email.as_str()),
            ("company", if i % 2 == 0 { "Sany 三一重工" } else { "BYD" }),
        ];
        if i % 3 == 0 {
            fields.push(("top500", "on"));
        }
        if i % 5 == 0 {
            fields.push(("hometown_return", "on"));
            fields.push(("industry_chains][green-food", "on"));
        }
        if i < 4 {
            fields.push(("tags", "VIP, 回访"));
        }
        capture(&app, &owner, None, &fields).await;
    }
    assert_eq!(lead_list(&app, &owner, &[]).await.total, 60);
    let page2 = lead_list(&app, &owner, &[("sort", "name"), ("page", "2")]).await;
    let names: Vec<&str> = page2.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), 10, "50 a page");
    assert_eq!(names[0], "Lead 50");
    let reversed = lead_list(&app, &owner, &[("sort", "-name")]).await;
    assert_eq!(reversed.rows[0].name, "Lead 59");
    let searched = lead_list(&app, &owner, &[("q", "lead"), ("sort", "-name"), ("page", "2")]).await;
    assert_eq!(searched.total, 60);
    let names: Vec<&str> = searched.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!((names.len(), names[0], names[9]), (10, "Lead 09", "Lead 00"), "a search pages and sorts like the list");
    assert_eq!(lead_list(&app, &owner, &[("q", "三一")]).await.total, 30, "search in company, Chinese");
    assert_eq!(lead_list(&app, &owner, &[("q", "LEAD1@example")]).await.total, 1, "search ignores case");
    assert_eq!(lead_list(&app, &owner, &[("q", "100%")]).await.total, 0, "wildcards are literal");
    assert_eq!(lead_list(&app, &owner, &[("top500", "on")]).await.total, 20);
    assert_eq!(lead_list(&app, &owner, &[("hometown", "on"), ("chain", "green-food")]).await.total, 12);
    assert_eq!(lead_list(&app, &owner, &[("tag", "vip")]).await.total, 4);
    assert_eq!(lead_list(&app, &owner, &[("tag", "回访"), ("top500", "on")]).await.total, 2);
    assert_eq!(lead_list(&app, &owner, &[("owner", "none")]).await.total, 0, "a captured lead is its capturer's");
    for (field, value) in [("stage", "won"), ("chain", "crypto"), ("event", "x")] {
        let response = app.call_as(&owner, app::leads::ListLeads::PATH, &[(&format!("filter[{field}]"), value)]).await;
        assert_eq!(response.status(), 422, "{field}={value}");
    }

    // Bulk: the Top-500 leads move to "contacted" and get a tag.
    let top: Vec<String> = {
        let mut ids = vec![];
        for page in ["1"] {
            let list = lead_list(&app, &owner, &[("top500", "on"), ("page", page)]).await;
            ids.extend(list.rows.iter().map(|r| r.id.to_string()));
        }
        ids
    };
    let mut fields =
        vec![("change[action]".to_string(), "stage".to_string()), ("change[value]".into(), "contacted".into())];
    fields.extend(top.iter().map(|id| (format!("change[ids][{id}]"), "on".to_string())));
    assert_eq!(json::<u64>(app.call_as(&owner, app::leads::BulkChange::PATH, &as_refs(&fields)).await).await, 20);
    fields[0].1 = "add_tag".into();
    fields[1].1 = "Shenzhen-2027".into();
    assert_eq!(json::<u64>(app.call_as(&owner, app::leads::BulkChange::PATH, &as_refs(&fields)).await).await, 20);
    assert_eq!(lead_list(&app, &owner, &[("stage", "contacted")]).await.total, 20);
    assert_eq!(lead_list(&app, &owner, &[("tag", "shenzhen-2027")]).await.total, 20);
    assert_eq!(app.count("lead_activity WHERE kind = 'stage'").await, 20, "each change in each lead's history");
    let board: Vec<BoardColumn> = json(app.call_as(&owner, app::leads::LeadBoard::PATH, &[]).await).await;
    let counts: Vec<u64> = board.iter().map(|c| c.count).collect();
    assert_eq!(counts, [40, 20, 0, 0, 0, 0, 0]);

    let csv = owner.get(app.url("/admin/leads.csv?stage=contacted&sort=name")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 21, "a header and the 20 filtered leads, all pages");
    assert!(lines[0].contains("id,name,company,email"));
    assert!(lines[1].contains("Lead 00") && lines[1].contains("contacted") && lines[1].contains("shenzhen-2027"));
}

async fn merging_two_leads_keeps_one_with_everything(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let frankfurt = published_event(&app, "frankfurt", 10, &[]).await;
    let shenzhen = published_event(&app, "shenzhen", 10, &[]).await;
    let owner = app.signed_in("owner@example.com").await;
    register(&app, &frankfurt, "zhang@work.example", "Zhang Wei").await;
    register(&app, &shenzhen, "zhang@home.example", "Zhang Wei").await;
    let id = |email: &'static str| {
        let app = &app;
        async move { app.scalar::<i32>(&format!("SELECT id AS v FROM lead WHERE email = '{email}'")).await.to_string() }
    };
    let (keep, other) = (id("zhang@work.example").await, id("zhang@home.example").await);
    app.call_as(&owner, app::leads::ChangeStage::PATH, &[("id", &other), ("stage", "site_visit")]).await;
    app.call_as(
        &owner,
        app::leads::SaveProject::PATH,
        &[("lead_id", &other), ("form[name]", "Plant"), ("form[planned_investment]", "2")],
    )
    .await;
    let save = with(
        &[
            ("id".to_string(), other.clone()),
            ("form[name]".into(), "Zhang Wei".into()),
            ("form[email]".into(), "zhang@home.example".into()),
        ],
        &[("form[tags]", "vip"), ("form[sector]", "Machinery")],
    );
    assert_eq!(app.call_as(&owner, app::leads::SaveLead::PATH, &as_refs(&save)).await.status(), 200);
    let taken = with(&save, &[("form[email]", "zhang@work.example")]);
    let refused = app.call_as(&owner, app::leads::SaveLead::PATH, &as_refs(&taken)).await;
    assert_eq!(refused.status(), 409, "two leads never share an address");
    assert_eq!(field_errors(refused).await, vec![("email".to_string(), "email_taken".to_string())]);

    assert_eq!(
        app.call_as(&owner, app::leads::MergeLeads::PATH, &[("keep", &keep), ("other", &keep)]).await.status(),
        422
    );
    assert_eq!(
        app.call_as(&owner, app::leads::MergeLeads::PATH, &[("keep", &keep), ("other", &other)]).await.status(),
        200
    );

    assert_eq!(app.count("lead").await, 1);
    let detail = lead(&app, &owner, keep.parse().unwrap()).await;
    assert_eq!(detail.form.email, "zhang@work.example");
    assert_eq!(detail.events.len(), 2, "both stops");
    assert_eq!(detail.stage, Stage::SiteVisit, "the further stage stays");
    assert_eq!(detail.form.tags, "vip");
    assert_eq!(detail.form.sector, "Machinery", "blanks filled from the merged lead");
    assert_eq!(detail.projects[0].name, "Plant");
    let kinds = kinds(&detail);
    assert!(kinds.contains(&ActivityKind::Merged) && kinds.contains(&ActivityKind::Stage), "{kinds:?}");
    assert_eq!(app.call_as(&owner, app::leads::GetLead::PATH, &[("id", &other)]).await.status(), 404);
}

/// Erasing people while they cancel on their phones: each erasure and each cancellation
/// answers (on PostgreSQL an erasure that wrote the registration before taking its event's
/// lock waited in a circle with the cancellation, which takes them the other way round), and
/// the seats still add up.
async fn an_erasure_racing_a_cancellation_always_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let slug = published_event(&app, "nairobi", 100, &[]).await;
    let mut people = Vec::new();
    for i in 0..24 {
        let email = format!("guest{i}@example.com");
        let outcome = register(&app, &slug, &email, &format!("Guest {i}")).await;
        let lead: i32 = app.scalar(&format!("SELECT id AS v FROM lead WHERE email = '{email}'")).await;
        people.push((lead.to_string(), outcome.manage_token.unwrap()));
    }
    let races = people.iter().map(|(lead, manage)| {
        let (app, owner) = (&app, &owner);
        async move {
            let (erase, cancel) = ([("id", lead.as_str())], [("token", manage.as_str())]);
            let (erased, cancelled) = tokio::join!(
                app.call_as(owner, app::leads::EraseLead::PATH, &erase),
                app.call(app::registrations::CancelRegistration::PATH, &cancel),
            );
            (erased.status(), cancelled.status())
        }
    });
    for (erased, cancelled) in futures::future::join_all(races).await {
        assert_eq!(erased, 200, "erasing answered {erased}");
        assert!(cancelled.is_success() || cancelled.is_redirection(), "cancelling answered {cancelled}");
    }
    assert_eq!(app.count("registration WHERE email LIKE 'guest%'").await, 0, "everyone erased");
    assert_eq!(app.count("registration WHERE status = 'cancelled'").await, 24);
    let to_erased = app.count("outbox_message WHERE to_address LIKE 'erased-%'").await;
    assert_eq!(to_erased, 0, "nothing queued to an erased address");
    crate::registrations::assert_seat_counts_hold(&app).await;
}

async fn a_person_is_exported_then_erased_everywhere(backend: Backend) {
    // SMTP that answers nobody: the guest's email stays queued, to be cancelled by erasure.
    let port = SmtpSink::free_port();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(port)).start().await;
    app.organization("Bureau", "owner@example.com").await;
    let slug = published_event(&app, "frankfurt", 10, &[]).await;
    let owner = app.signed_in("owner@example.com").await;
    let registered = app
        .call(
            app::registrations::Register::PATH,
            &as_refs(&with(
                &guest(&slug, "anna.schmidt@example.de", "Anna Schmidt"),
                &[("form[phone]", "+49 30 1234567"), ("form[consent_marketing]", "on")],
            )),
        )
        .await;
    assert_eq!(registered.status(), 200);
    let id: i32 = app.scalar("SELECT id AS v FROM lead WHERE email = 'anna.schmidt@example.de'").await;
    app.call_as(&owner, app::leads::AddNote::PATH, &[("id", &id.to_string()), ("note", "Met Anna at the booth")]).await;

    let export = owner.get(app.url(&format!("/admin/leads/{id}/export.json"))).send().await.unwrap();
    assert_eq!(export.status(), 200);
    assert!(export.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let data: Value = export.json().await.unwrap();
    assert_eq!(data["lead"]["details"]["email"], "anna.schmidt@example.de");
    let registration = &data["registrations"][0];
    assert_eq!(registration["phone"], "+49 30 1234567");
    assert_eq!(registration["consent"]["source"], "event-page");
    assert!(registration["consent"]["follow_up_emails_at"].is_string());
    assert!(data["history"].as_array().unwrap().iter().any(|e| e["note"] == "Met Anna at the booth"));

    // A reminder rule has mailed her (the email still queued: SMTP answers nobody).
    let template = crate::follow_ups::template(&app, &owner, &crate::follow_ups::THANKS).await;
    let template = template.json::<i32>().await.unwrap().to_string();
    let event_id = app.event_id(&slug).await.to_string();
    let reminder =
        [("event_id", event_id.as_str()), ("template_id", &template), ("trigger", "reminder"), ("offset_hours", "24")];
    crate::follow_ups::rule(&app, &owner, &reminder).await;
    let before = crate::follow_ups::starts() - chrono::Duration::hours(23);
    assert_eq!(app::follow_ups::ssr::run_due(&app.db, &app.mail, before).await.unwrap(), 1);

    assert_eq!(app.call_as(&owner, app::leads::EraseLead::PATH, &[("id", &id.to_string())]).await.status(), 200);
    let later = before + chrono::Duration::hours(1);
    assert_eq!(
        app::follow_ups::ssr::run_due(&app.db, &app.mail, later).await.unwrap(),
        0,
        "nothing to her seat's new address"
    );

    for (table, columns) in [
        ("lead", "COALESCE(email, '') || name || phone || notes"),
        ("registration", "email || name || phone"),
        ("outbox_message", "to_address || to_name || subject || text_body || html_body"),
        ("lead_activity", "note"),
        ("marketing_send", "address"),
    ] {
        for needle in ["anna", "Anna", "1234567"] {
            let n = app.count(&format!("{table} WHERE {columns} LIKE '%{needle}%'")).await;
            assert_eq!(n, 0, "{needle} left in {table}");
        }
    }
    assert_eq!(app.count("registration").await, 1, "the seat stays counted, anonymous");
    assert_eq!(app.count("outbox_message WHERE status = 'failed' AND last_error = 'erased before sending'").await, 2);
    assert_eq!(app.count("suppressed_address").await, 1);
    let hash = app::marketing::ssr::address_hash("Anna.Schmidt@example.de");
    assert_eq!(app.count(&format!("suppressed_address WHERE email_hash = '{hash}'")).await, 1);
    assert!(app::marketing::ssr::is_suppressed(&app.db, "anna.schmidt@example.de").await.unwrap());
    let after =
        owner.get(app.url(&format!("/admin/leads/{id}/export.json"))).send().await.unwrap().text().await.unwrap();
    assert!(!after.contains("anna"), "the export after erasure holds nothing of her");
    crate::registrations::assert_seat_counts_hold(&app).await;
}

/// Posts one chunk of an import as the import page does (JSON).
async fn import_chunk(app: &TestApp, client: &Client, batch: &ImportBatch) -> reqwest::Response {
    client
        .post(app.url(app::leads::ImportLeads::PATH))
        .json(&serde_json::json!({ "batch": batch }))
        .send()
        .await
        .unwrap()
}

/// Reads a file as the import page does: records, headers guessed, rows in chunks; the
/// outcomes added up.
async fn import_file(app: &TestApp, client: &Client, text: &str, event_id: Option<i32>, tags: &str) -> ImportOutcome {
    let records = app::csv::records(text);
    let columns = Column::guess_all(&records[0].cells);
    let rows = &records[1..];
    let mut total = ImportOutcome::default();
    for range in chunks(rows) {
        let batch =
            ImportBatch { columns: columns.clone(), rows: rows[range].to_vec(), event_id, tags: tags.to_string() };
        let outcome: ImportOutcome = import_chunk(app, client, &batch).await.json().await.expect("outcome");
        total.created += outcome.created;
        total.updated += outcome.updated;
        total.rejected.extend(outcome.rejected);
    }
    total
}

async fn a_csv_file_is_imported_with_every_refusal_reported(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bureau = app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    app.member(bureau, "viewer@example.com", Role::Viewer).await;
    let slug = published_event(&app, "frankfurt", 10, &[]).await;
    let event_id = app.scalar::<i32>("SELECT id AS v FROM event").await;
    register(&app, &slug, "li.lei@example.com", "Li Lei").await;
    let owner = app.signed_in("owner@example.com").await;
    let known = lead_list(&app, &owner, &[]).await.rows[0].id;
    app.call_as(&owner, app::leads::ChangeStage::PATH, &[("id", &known.to_string()), ("stage", "site_visit")]).await;

    // A spreadsheet as a Chinese bureau keeps it: its own headers, a quoted cell with a
    // comma and a line break, 1,200 good rows, three bad ones, the known guest again with
    // a company, and one person twice.
    let mut text = String::from("\u{feff}姓名,邮箱,手机号码,公司名称,国家,三类500强,产业链,备注,内部编号\r\n");
    text.push_str("李雷,LI.LEI@example.com,,\"Xiangtan Motors, Ltd\",中国,是,先进材料,\"met in\r\nFrankfurt\",A1\r\n");
    for i in 0..1_200 {
        text.push_str(&format!("Guest {i},guest{i}@example.de,+49 30 {i:07},Firm {i},Germany,,green food,,B{i}\r\n"));
    }
    text.push_str(",nobody@example.de,,,,,,,C1\r\n");
    text.push_str("Bad Mail,not-an-email,,,Atlantis,maybe,steel,,C2\r\n");
    text.push_str("Guest 7,guest7@example.de,,,,,,second row of the same person,C3\r\n");
    text.push_str("Bad Phone,bad.phone@example.de,call me,,,,,,C4\r\n");

    // Refused as a whole: no name column, too many rows, a bad tag, another
    // organization's event, a viewer, nobody; nothing is written.
    let records = app::csv::records(&text);
    let columns = Column::guess_all(&records[0].cells);
    assert_eq!(columns[8], Column::Ignore, "an unknown header is skipped");
    let batch = |columns: Vec<Column>, rows: usize| ImportBatch {
        columns,
        rows: records[1..=rows].to_vec(),
        event_id: Some(event_id),
        tags: "frankfurt-list".into(),
    };
    let no_name = batch(columns.iter().map(|c| if *c == Column::Name { Column::Ignore } else { *c }).collect(), 2);
    let refused = import_chunk(&app, &owner, &no_name).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(field_errors(refused).await, [("columns".to_string(), "name_column_missing".to_string())]);
    let refused = import_chunk(&app, &owner, &batch(columns.clone(), 501)).await;
    assert_eq!(field_errors(refused).await[0].0, "rows");
    let bad_tag = ImportBatch { tags: "x".repeat(61), ..batch(columns.clone(), 2) };
    assert_eq!(field_errors(import_chunk(&app, &owner, &bad_tag).await).await[0].0, "tags");
    let other = app.signed_in("county@example.com").await;
    assert_eq!(import_chunk(&app, &other, &batch(columns.clone(), 2)).await.status(), 404);
    let viewer = app.signed_in("viewer@example.com").await;
    assert_eq!(import_chunk(&app, &viewer, &batch(columns.clone(), 2)).await.status(), 403);
    assert_eq!(import_chunk(&app, &app.client, &batch(columns.clone(), 2)).await.status(), 401);
    assert_eq!(app.count("lead").await, 1, "nothing written by a refused chunk");

    // The file, as the page sends it (three chunks).
    let outcome = import_file(&app, &owner, &text, Some(event_id), "frankfurt-list").await;
    assert_eq!((outcome.created, outcome.updated), (1_200, 2), "the known guest and guest 7's second row update");
    let refused: Vec<(u32, Vec<String>)> =
        outcome.rejected.iter().map(|r| (r.line, r.errors.errors.iter().map(|e| e.field.clone()).collect())).collect();
    let fields = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        refused,
        [
            (1_204, fields(&["name"])),
            (1_205, fields(&["top500", "industry_chains", "email", "country"])),
            (1_207, fields(&["phone"])),
        ],
        "each refused row by its line in the file (the quoted line break counts), every field named"
    );
    assert_eq!(app.count("lead").await, 1_201);
    assert_eq!(app.count("lead WHERE organization_id <> (SELECT organization_id FROM event)").await, 0);

    let li = lead(&app, &owner, known).await;
    assert_eq!(li.stage, Stage::SiteVisit, "an import never moves a known lead's stage");
    assert_eq!(li.form.company, "Hunan Chamber of Commerce in Shenzhen", "what it holds stays");
    assert_eq!(li.form.country, "CN", "its blanks are filled");
    assert_eq!(li.form.top500, "on");
    assert_eq!(li.form.notes, "met in\nFrankfurt");
    assert!(kinds(&li).contains(&ActivityKind::Imported));
    let seven = lead_list(&app, &owner, &[("q", "guest7@")]).await;
    assert_eq!(seven.total, 1);
    let seven = lead(&app, &owner, seven.rows[0].id).await;
    assert_eq!(seven.form.phone, "+49 30 0000007");
    assert_eq!(seven.form.country, "DE");
    assert_eq!(seven.form.industry_chains.get("green-food").map(String::as_str), Some("on"));
    assert_eq!(seven.form.notes, "second row of the same person");
    assert_eq!(lead_list(&app, &owner, &[("tag", "frankfurt-list")]).await.total, 1_201);
    assert_eq!(lead_list(&app, &owner, &[("event", &event_id.to_string())]).await.total, 1_201);
    assert_eq!(app.count("lead_event WHERE source = 'import'").await, 1_200);
    assert_eq!(app.count("lead WHERE consent_source = 'import'").await, 1_200);

    // The same file again changes nothing and duplicates nothing.
    let again = import_file(&app, &owner, &text, Some(event_id), "frankfurt-list").await;
    assert_eq!((again.created, again.updated, again.rejected.len()), (0, 1_202, 3));
    assert_eq!(app.count("lead").await, 1_201);
    assert_eq!(lead(&app, &owner, known).await.form.notes, "met in\nFrankfurt", "a note is not added twice");
    assert_eq!(app.count("lead_tag").await, 1_201);
}

on_both_databases!(
    every_guest_becomes_one_lead_across_stops,
    stages_owners_and_amounts_keep_their_history,
    organization_boundaries_hold_for_leads_and_projects,
    leads_are_filtered_sorted_paged_and_exported,
    merging_two_leads_keeps_one_with_everything,
    a_person_is_exported_then_erased_everywhere,
    an_erasure_racing_a_cancellation_always_answers,
    a_csv_file_is_imported_with_every_refusal_reported,
);
