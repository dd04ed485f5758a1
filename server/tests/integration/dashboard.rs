//! The leaders' dashboard on a real database: credit to stops under the three models summing
//! to the yuan, units ranked against their targets by a weighted score computed by hand,
//! verified-only funds, the leader role reading but never writing, every figure's list
//! summing to it, and the exports (CSV, .xlsx, printable page) escaped and members only.

use app::auth::Role;
use app::dashboard::{Dashboard, ProjectList};
use leptos::server_fn::ServerFn as _;
use reqwest::Client;

use crate::leads::{capture, json};
use crate::registrations::published_event;
use crate::support::{Backend, TestApp, field_errors};
use crate::trips::unit;
use crate::units::project;

const YI: i64 = 100_000_000;

async fn dashboard(app: &TestApp, client: &Client, query: &[(&str, &str)]) -> Dashboard {
    let form: Vec<(String, String)> = query.iter().map(|(k, v)| (format!("query[{k}]"), v.to_string())).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    json(app.call_as(client, app::dashboard::GetDashboard::PATH, &form).await).await
}

async fn projects(app: &TestApp, client: &Client, query: &[(&str, &str)]) -> ProjectList {
    let form: Vec<(String, String)> = query.iter().map(|(k, v)| (format!("query[{k}]"), v.to_string())).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    json(app.call_as(client, app::dashboard::ListProjects::PATH, &form).await).await
}

async fn stop(app: &TestApp, slug: &str, day: &str, region: &str, cost: &str) -> i32 {
    let starts = format!("{day}T14:00");
    let ends = format!("{day}T17:00");
    published_event(
        app,
        slug,
        50,
        &[("form[starts_local]", &starts), ("form[ends_local]", &ends), ("form[region]", region), ("form[cost]", cost)],
    )
    .await;
    app.event_id(slug).await
}

async fn signed(
    app: &TestApp,
    client: &Client,
    lead_id: i32,
    name: &str,
    yi: &str,
    on: &str,
    extra: &[(&str, &str)],
) -> i32 {
    let mut fields = vec![("name", name), ("planned_investment", yi), ("signed_on", on)];
    fields.extend_from_slice(extra);
    json(project(app, client, lead_id, &fields).await).await
}

async fn tranche(app: &TestApp, client: &Client, project_id: i32, yi: &str, on: &str) -> i32 {
    let added = app
        .call_as(
            client,
            app::leads::AddTranche::PATH,
            &[("project_id", &project_id.to_string()), ("amount", yi), ("received_on", on)],
        )
        .await;
    assert_eq!(added.status(), 200, "{}", added.text().await.unwrap_or_default());
    app.scalar::<i32>(&format!("SELECT MAX(id) AS v FROM funding_tranche WHERE project_id = {project_id}")).await
}

const PERIOD: [(&str, &str); 2] = [("from", "2026-01-01"), ("to", "2026-11-30")];

async fn credit_to_stops_sums_to_the_yuan_under_every_model(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let frankfurt = stop(&app, "frankfurt", "2026-03-10", "Europe", "50").await;
    let nairobi = stop(&app, "nairobi", "2026-05-10", "Africa", "").await;
    let shenzhen = stop(&app, "shenzhen", "2026-07-10", "Shenzhen", "12.5").await;

    // Met at all three stops, signed after the last: 10.01 亿元, which three do not divide.
    let mut lead_a = 0;
    for event in [frankfurt, nairobi, shenzhen] {
        lead_a = capture(&app, &owner, Some(event), &[("name", "Li Na"), ("email", "li@example.com")]).await;
    }
    let pa = signed(&app, &owner, lead_a, "Battery plant", "10.01", "2026-08-01", &[]).await;
    tranche(&app, &owner, pa, "1", "2026-08-15").await;
    // Met at all three, signed after the first only: the first is the only stop before it.
    let mut lead_b = 0;
    for event in [frankfurt, nairobi, shenzhen] {
        lead_b = capture(&app, &owner, Some(event), &[("name", "Wang Fang"), ("email", "wang@example.com")]).await;
    }
    signed(&app, &owner, lead_b, "Textile mill", "3", "2026-04-01", &[]).await;
    // Met at no stop.
    let lead_c = capture(&app, &owner, None, &[("name", "Zhao Lei"), ("email", "zhao@example.com")]).await;
    signed(&app, &owner, lead_c, "Warehouse", "2", "2026-06-01", &[]).await;

    let credited = |d: &Dashboard, id: i32| {
        let c = &d.events.iter().find(|e| e.id == id).unwrap().credited;
        (c.projects_hundredths, c.signed_yuan, c.funds_yuan)
    };
    let expected = [
        ("first", [(200, 1_301_000_000, YI), (0, 0, 0), (0, 0, 0)]),
        ("last", [(100, 300_000_000, 0), (0, 0, 0), (100, 1_001_000_000, YI)]),
        // Battery plant split three ways: 333,666,667 + 333,666,667 + 333,666,666 yuan.
        (
            "even",
            [
                (134, 300_000_000 + 333_666_667, 33_333_334),
                (33, 333_666_667, 33_333_333),
                (33, 333_666_666, 33_333_333),
            ],
        ),
    ];
    for (model, stops) in expected {
        let mut query = PERIOD.to_vec();
        query.push(("credit", model));
        let d = dashboard(&app, &owner, &query).await;
        assert_eq!(d.headline.figures.projects, 3);
        assert_eq!(d.headline.figures.signed_yuan, 1_501_000_000);
        assert_eq!(d.headline.events, 3);
        assert_eq!(
            (d.with_events.projects_hundredths, d.with_events.signed_yuan, d.with_events.funds_yuan),
            (200, 1_301_000_000, YI),
            "{model}: the projects with any stop"
        );
        let got = [credited(&d, frankfurt), credited(&d, nairobi), credited(&d, shenzhen)];
        assert_eq!(got, stops, "{model}");
        let sum = got.iter().fold((0, 0, 0), |s, c| (s.0 + c.0, s.1 + c.1, s.2 + c.2));
        assert_eq!(sum, (200, 1_301_000_000, YI), "{model}: credited sums equal the totals to the yuan");
        // Each stop's figure opens the projects behind it, summing to it.
        for (id, want) in [frankfurt, nairobi, shenzhen].into_iter().zip(stops) {
            let event = id.to_string();
            let mut q = query.clone();
            q.extend([("metric", "credited"), ("event", event.as_str())]);
            let list = projects(&app, &owner, &q).await;
            assert_eq!(list.credited.unwrap_or((0, 0, 0)), want, "{model}: the list of stop {id}");
        }
        // Regions are the stops' regions under the same credit; the project with no stop apart.
        let region_sum: i64 = d.regions.iter().map(|r| r.signed_yuan).sum();
        assert_eq!(region_sum, 1_501_000_000);
    }
    // Cost: 50 万元 in Frankfurt; its signed per 万元 under first touch is 13.01 亿 / 50 万.
    let d = dashboard(&app, &owner, &PERIOD).await;
    let f = d.events.iter().find(|e| e.id == frankfurt).unwrap();
    assert_eq!(f.credited.cost_yuan, 500_000);
    let ratio = app::dashboard::Credited::per_wan(f.credited.signed_yuan, f.credited.cost_yuan).unwrap();
    assert!((ratio - 13.01 / 50.0).abs() < 1e-9, "{ratio}");
    assert_eq!(d.roadshows.len(), 0, "no roadshow was made");

    // An erased person's projects keep counting: the figures are the organization's.
    let erased = app.call_as(&owner, app::leads::EraseLead::PATH, &[("id", &lead_a.to_string())]).await;
    assert_eq!(erased.status(), 200);
    let after = dashboard(&app, &owner, &PERIOD).await;
    assert_eq!((after.headline.figures.projects, after.headline.figures.signed_yuan), (3, 1_501_000_000));
    assert_eq!(after.with_events, d.with_events);

    // Bad scope: refused by field.
    let bad = app
        .call_as(
            &owner,
            app::dashboard::GetDashboard::PATH,
            &[("query[from]", "2026-05-01"), ("query[to]", "2026-04-01"), ("query[credit]", "most")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        field_errors(bad).await,
        [("to".to_string(), "end_before_start".to_string()), ("credit".to_string(), "unknown_choice".to_string())]
    );
}

async fn units_rank_by_their_weighted_score_and_leaders_only_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let org = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(org, "checker@example.com", Role::Organizer).await;
    app.member(org, "leader@example.com", Role::Leader).await;
    let owner = app.signed_in("owner@example.com").await;
    let checker = app.signed_in("checker@example.com").await;
    let leader = app.signed_in("leader@example.com").await;
    let miluo = unit(&app, &owner, "汨罗市").await;
    let pingjiang = unit(&app, &owner, "平江县").await;
    let zone = unit(&app, &owner, "经开区").await;
    let (m, p, z) = (miluo.to_string(), pingjiang.to_string(), zone.to_string());

    // Targets for 2026: 汨罗 2 projects and 20 亿元 signed; 平江 1 project and 2 亿元 in
    // place; 经开区 4 projects. Weights: projects 2, the rest 1, trips 0.
    let cells = [
        (format!("cells[projects-{m}]"), "2"),
        (format!("cells[signed-{m}]"), "20"),
        (format!("cells[projects-{p}]"), "1"),
        (format!("cells[funds-{p}]"), "2"),
        (format!("cells[projects-{z}]"), "4"),
    ];
    let mut form: Vec<(&str, &str)> = vec![("year", "2026")];
    form.extend(cells.iter().map(|(k, v)| (k.as_str(), *v)));
    assert_eq!(app.call_as(&owner, app::targets::SaveTargets::PATH, &form).await.status(), 200);
    let weights: Vec<(String, &str)> = [
        ("projects", "2"),
        ("signed", "1"),
        ("funds", "1"),
        ("top500", "1"),
        ("hometown", "1"),
        ("started", "1"),
        ("trips", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("cells[weight-{k}]"), v))
    .collect();
    let weights: Vec<(&str, &str)> = weights.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(app.call_as(&leader, app::dashboard::SaveScoreWeights::PATH, &weights).await.status(), 403);
    assert_eq!(app.call_as(&checker, app::dashboard::SaveScoreWeights::PATH, &weights).await.status(), 403);
    let bad = app.call_as(&owner, app::dashboard::SaveScoreWeights::PATH, &[("cells[weight-projects]", "-1")]).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(app.call_as(&owner, app::dashboard::SaveScoreWeights::PATH, &weights).await.status(), 200);

    let lead = |name: &'static str, email: &'static str| {
        let (app, owner) = (&app, &owner);
        async move { capture(app, owner, None, &[("name", name), ("email", email)]).await }
    };
    let l1 = lead("Li Na", "li@example.com").await;
    signed(&app, &owner, l1, "Battery plant", "12", "2026-03-01", &[("unit_id", &m)]).await;
    signed(&app, &owner, l1, "Battery plant II", "3", "2026-04-01", &[("unit_id", &m)]).await;
    let l2 = lead("Wang Fang", "wang@example.com").await;
    let p3 = signed(&app, &owner, l2, "Textile mill", "5", "2026-05-01", &[("unit_id", &p)]).await;
    tranche(&app, &owner, p3, "3", "2026-06-01").await;
    let second = tranche(&app, &owner, p3, "1", "2026-07-01").await;
    assert_eq!(
        app.call_as(&checker, app::leads::VerifyTranche::PATH, &[("tranche_id", &second.to_string())]).await.status(),
        200
    );
    let l3 = lead("Zhao Lei", "zhao@example.com").await;
    signed(
        &app,
        &owner,
        l3,
        "<script>alert(1)</script> Mill",
        "1",
        "2026-02-01",
        &[("unit_id", &z), ("planned_start_on", "2026-03-01")],
    )
    .await;

    // All funds: 平江 (100 %, 4 of 2 亿 = 200 % counted 150 %) scores (2×100 + 150) / 3 =
    // 116.667 %; 汨罗 (100 %, 15 of 20 亿 = 75 %) (2×100 + 75) / 3 = 91.667 %; 经开区 25 %.
    let d = dashboard(&app, &leader, &[PERIOD[0], PERIOD[1], ("funds", "all")]).await;
    let ranking: Vec<(i32, Option<i64>, u32)> = d.units.iter().map(|u| (u.unit_id, u.score_milli, u.rank)).collect();
    assert_eq!(ranking, [(pingjiang, Some(116_667), 1), (miluo, Some(91_667), 2), (zone, Some(25_000), 3)]);
    assert_eq!(d.headline.figures.funds_yuan, 4 * YI);
    assert_eq!(d.headline.figures.signed_yuan, 21 * YI);
    assert_eq!(d.headline.figures.big[0], 1, "one project of at least 10 亿元");
    assert_eq!(d.overdue.len(), 1);
    assert!(d.overdue[0].red, "planned to start on 1 March 2026, long past");

    // Verified only: 平江 has 1 亿 of 2 (50 %): (200 + 50) / 3 = 83.333 %, behind 汨罗.
    let v = dashboard(&app, &leader, &[PERIOD[0], PERIOD[1], ("funds", "verified")]).await;
    let ranking: Vec<(i32, Option<i64>)> = v.units.iter().map(|u| (u.unit_id, u.score_milli)).collect();
    assert_eq!(ranking, [(miluo, Some(91_667)), (pingjiang, Some(83_333)), (zone, Some(25_000))]);
    assert_eq!(v.headline.figures.funds_yuan, YI);

    // A unit's funds figure opens its projects, summing to it.
    let list =
        projects(&app, &leader, &[PERIOD[0], PERIOD[1], ("funds", "all"), ("metric", "funds"), ("unit", &p)]).await;
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.funds_yuan, d.units[0].figures.funds_yuan);

    // The leader reads everything and writes nothing.
    let lead_id = l1.to_string();
    for (path, fields) in [
        (app::targets::SaveTargets::PATH, vec![("year", "2026"), ("cells[projects-1]", "9")]),
        (app::leads::AddTranche::PATH, vec![("project_id", "1"), ("amount", "1"), ("received_on", "2026-08-01")]),
        (app::leads::CaptureLead::PATH, vec![("form[name]", "Someone")]),
        (app::units::SaveFigureSettings::PATH, vec![("form[overdue_red_days]", "30")]),
    ] {
        assert_eq!(app.call_as(&leader, path, &fields).await.status(), 403, "{path}");
    }
    assert_eq!(app.call_as(&leader, app::leads::GetLead::PATH, &[("id", &lead_id)]).await.status(), 200);

    // Exports: the same figures; user text escaped; members only.
    let query = "from=2026-01-01&to=2026-11-30&funds=all&lang=en";
    let csv = leader.get(app.url(&format!("/admin/dashboard/export.csv?{query}"))).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("dashboard-2026-01-01-2026-11-30.csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("Signed (亿元),21.00"), "{csv}");
    assert!(csv.contains("Funds in place (亿元),4.00"), "{csv}");
    let xlsx = leader.get(app.url(&format!("/admin/dashboard/export.xlsx?{query}"))).send().await.unwrap();
    assert_eq!(xlsx.status(), 200);
    assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = xlsx.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("<v>21.00</v>"), "the signed total is a number cell");
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; Mill"));
    assert!(!text.contains("<script>alert(1)"));
    let html = leader.get(app.url(&format!("/admin/dashboard/export.html?{query}"))).send().await.unwrap();
    assert_eq!(html.status(), 200);
    assert!(html.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'nonce-"));
    let html = html.text().await.unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Mill"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("@page"), "printable on A4");
    let anonymous = crate::support::client_builder().build().unwrap();
    assert_eq!(
        anonymous.get(app.url(&format!("/admin/dashboard/export.csv?{query}"))).send().await.unwrap().status(),
        401
    );
    assert_eq!(anonymous.get(app.url("/admin/dashboard/export.zip")).send().await.unwrap().status(), 404);

    // Another organization sees its own (empty) figures, and not our roadshow.
    app.organization("Other Bureau", "other@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let theirs = dashboard(&app, &other, &PERIOD).await;
    assert_eq!((theirs.headline.figures.projects, theirs.units.len()), (0, 0));
    let refused = app
        .call_as(&other, app::dashboard::ListProjects::PATH, &[("query[unit]", &p), ("query[metric]", "funds")])
        .await;
    assert_eq!(json::<ProjectList>(refused).await.rows.len(), 0);

    // The weekly snapshot: taken again in the same week it stays one row per unit.
    let today = chrono::Utc::now().date_naive();
    for _ in 0..2 {
        assert_eq!(app::dashboard::ssr::snapshot_week(&app.db, org, today).await.unwrap(), 3);
    }
    assert_eq!(app.count("unit_rank_snapshot").await, 3);
}

/// A fresh start's dashboard for January–August 2023 shows the source article's figures.
async fn the_demo_shows_the_articles_figures(backend: Backend) {
    let app = TestApp::builder(backend).demo_data().start().await;
    let setup = [
        ("form[token]", crate::support::SETUP_TOKEN),
        ("form[organization]", app::auth::DEMO_ORGANIZATION),
        ("form[name]", "Li Wei"),
        ("form[email]", "owner@example.com"),
        ("form[password]", crate::support::PASSWORD),
    ];
    let created = app.call(app::auth::SetupAdmin::PATH, &setup).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap_or_default());
    let owner = app.signed_in("owner@example.com").await;
    let d = dashboard(&app, &owner, &[("from", "2023-01-01"), ("to", "2023-08-31")]).await;
    let f = d.headline.figures;
    assert_eq!(f.projects, 653);
    assert_eq!(f.signed_yuan, 225_015_000_000, "2,250.15 亿元");
    assert_eq!((f.big[1], f.big[2]), (12, 2), "12 of at least 50 亿元, 2 of at least 100");
    assert_eq!(f.top500, 27);
    assert_eq!(f.funds_yuan, 100_207_000_000, "1,002.07 亿元 in place");
    assert_eq!((f.hometown, f.hometown_funds_yuan), (213, 49_140_000_000), "213 hometown-return, 491.4 亿元");
    assert_eq!((f.new_companies, f.new_company_funds_yuan), (69, 6_012_000_000), "69 new companies, 60.12 亿元");
    assert_eq!(d.headline.events, 43);
    assert!(d.units.len() >= 13 && d.units.iter().all(|u| u.score_milli.is_some()), "every unit has 2023 targets");
    assert!(d.headline.guests > 1_000 && d.headline.checked_in > 0 && d.headline.leads > 1_000);
    assert!(d.events.iter().all(|e| e.credited.cost_yuan > 0), "every stop has its cost");
    let sum: i64 = d.events.iter().map(|e| e.credited.signed_yuan).sum();
    assert_eq!(sum, d.with_events.signed_yuan);
    // The same through the page a leader reads, in Chinese.
    let page = owner
        .get(app.url("/admin/dashboard?from=2023-01-01&to=2023-08-31"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("2,250.15") && page.contains("1,002.07") && page.contains("653"), "the headline");
    assert!(page.contains("新签约项目"));
}

on_both_databases!(
    credit_to_stops_sums_to_the_yuan_under_every_model,
    units_rank_by_their_weighted_score_and_leaders_only_read,
    the_demo_shows_the_articles_figures
);
