//! Roadshows and events through HTTP on a real database: create, validate, list,
//! publish, the public page, and the organization boundary for every function.

use crate::support::{Backend, TestApp, as_refs, event_fields, field_errors, with};
use app::auth::{MemberRow, Role};
use app::domain::EventStatus;
use app::events::{EventDto, EventList};
use app::roadshows::{RoadshowDto, RoadshowOverview};
use leptos::server_fn::ServerFn as _;

async fn create_event(app: &TestApp, client: &reqwest::Client, slug: &str, extra: &[(&str, &str)]) -> i32 {
    let fields = with(&event_fields(slug), extra);
    let response = app.call_as(client, app::events::CreateEvent::PATH, &as_refs(&fields)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    response.json().await.unwrap()
}

async fn events_are_created_listed_and_published(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let client = app.signed_in("owner@example.com").await;
    let roadshow = app
        .call_as(
            &client,
            app::roadshows::CreateRoadshow::PATH,
            &[
                ("form[name]", "2027 Roadshow"),
                ("form[year]", "2027"),
                ("form[target_events]", "43"),
                ("form[target_amount]", "2250.15"),
            ],
        )
        .await;
    assert_eq!(roadshow.status(), 200);
    let roadshow_id: i32 = roadshow.json().await.unwrap();

    let id =
        create_event(&app, &client, "2027-frankfurt-equipment", &[("form[roadshow_id]", &roadshow_id.to_string())])
            .await;
    create_event(
        &app,
        &client,
        "2027-lagos-energy",
        &[
            ("form[city]", "Lagos"),
            ("form[title_en]", "Yueyang Power and New Energy Forum — Lagos"),
            ("form[venue_name]", "Eko Hotel"),
            ("form[region]", "Africa"),
            ("form[time_zone]", "Africa/Lagos"),
            ("form[starts_local]", "2027-05-10T10:00"),
            ("form[ends_local]", "2027-05-10T12:00"),
        ],
    )
    .await;

    let event: EventDto =
        app.call_as(&client, app::events::GetEvent::PATH, &[("id", &id.to_string())]).await.json().await.unwrap();
    assert_eq!(event.status, EventStatus::Draft);
    assert_eq!(
        event.starts_at,
        "2027-03-15T13:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap(),
        "14:00 in Frankfurt in March is 13:00 UTC"
    );
    assert_eq!(event.utc_offset, "UTC+01:00");
    assert_eq!(event.agenda.len(), 2);
    assert!(!event.description_html_en.contains("<script"));

    let by_region: EventList = app
        .call_as(&client, app::events::ListEvents::PATH, &[("filter[region]", "Africa")])
        .await
        .json()
        .await
        .unwrap();
    let titles: Vec<&str> = by_region.events.iter().map(|e| e.city.as_str()).collect();
    assert_eq!(titles, vec!["Lagos"]);
    let by_search: EventList =
        app.call_as(&client, app::events::ListEvents::PATH, &[("filter[q]", "FRANKFURT")]).await.json().await.unwrap();
    assert_eq!(by_search.events.len(), 1);
    let by_month: EventList = app
        .call_as(&client, app::events::ListEvents::PATH, &[("filter[month]", "2027-05")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_month.events[0].city, "Lagos");
    let by_roadshow: EventList = app
        .call_as(&client, app::events::ListEvents::PATH, &[("filter[roadshow]", &roadshow_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_roadshow.events.len(), 1);

    assert_eq!(app.get("/e/2027-frankfurt-equipment").await.status(), 404, "drafts are not public");
    let published = app
        .call_as(&client, app::events::SetEventStatus::PATH, &[("id", &id.to_string()), ("status", "published")])
        .await;
    assert_eq!(published.status(), 200);
    let page =
        app.client.get(app.url("/e/2027-frankfurt-equipment")).header("accept-language", "en").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Yueyang Advanced Equipment Forum — Frankfurt"));
    assert!(html.contains("Frankfurt Marriott Hotel"));
    assert!(!html.contains("<script>alert"), "no script survives");
    let zh = app.html("/e/2027-frankfurt-equipment", ("cookie", "lang=zh")).await;
    assert!(zh.contains("<html lang=\"zh-CN\""));
    assert!(zh.contains("开幕致辞"));

    let overview: RoadshowOverview = app
        .call_as(&client, app::roadshows::GetRoadshow::PATH, &[("id", &roadshow_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview.roadshow.target_amount_cny, 225_015_000_000i64);
    assert_eq!(overview.regions[0].0, "Europe");
}

async fn bad_input_is_named_field_by_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let client = app.signed_in("owner@example.com").await;
    let fields = with(
        &event_fields("bad"),
        &[
            ("form[title_zh]", "  "),
            ("form[title_en]", &"x".repeat(201)),
            ("form[time_zone]", "Mars/Base"),
            ("form[ends_local]", "2027-03-15T10:00"),
            ("form[capacity]", "-3"),
        ],
    );
    let response = app.call_as(&client, app::events::CreateEvent::PATH, &as_refs(&fields)).await;
    assert_eq!(response.status(), 422);
    let mut errors = field_errors(response).await;
    errors.sort();
    assert_eq!(
        errors,
        [
            ("capacity", "out_of_range"),
            ("ends_local", "end_before_start"),
            ("time_zone", "unknown_time_zone"),
            ("title_en", "too_long"),
            ("title_zh", "required")
        ]
        .map(|(f, c)| (f.to_string(), c.to_string()))
    );
    let skipped_hour = with(
        &event_fields("dst-gap"),
        &[("form[starts_local]", "2027-03-28T02:30"), ("form[ends_local]", "2027-03-28T05:00")],
    );
    let response = app.call_as(&client, app::events::CreateEvent::PATH, &as_refs(&skipped_hour)).await;
    assert_eq!(response.status(), 422);
    assert_eq!(field_errors(response).await, vec![("starts_local".to_string(), "nonexistent_local_time".to_string())]);
    let malformed = app.call_as(&client, app::events::GetEvent::PATH, &[("id", "not-a-number")]).await;
    assert_eq!(malformed.status(), 400);
    assert_eq!(app.count("event").await, 0);
    assert_eq!(app.count("agenda_item").await, 0, "nothing half-written");

    create_event(&app, &client, "taken-slug", &[]).await;
    let duplicate = app.call_as(&client, app::events::CreateEvent::PATH, &as_refs(&event_fields("taken-slug"))).await;
    assert_eq!(duplicate.status(), 409);
    assert_eq!(field_errors(duplicate).await, vec![("slug".to_string(), "slug_taken".to_string())]);
    assert_eq!(app.count("event").await, 1);
    assert_eq!(app.count("agenda_item").await, 2, "the refused duplicate wrote no agenda");
}

async fn organizations_see_and_change_only_their_own_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bureau = app.organization("Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    app.member(bureau, "viewer@example.com", Role::Viewer).await;
    let owner = app.signed_in("owner@example.com").await;
    let other = app.signed_in("county@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;
    let id = create_event(&app, &owner, "bureau-stop", &[]).await.to_string();
    let roadshow: i32 = app
        .call_as(&owner, app::roadshows::CreateRoadshow::PATH, &[("form[name]", "R"), ("form[year]", "2027")])
        .await
        .json()
        .await
        .unwrap();
    let roadshow = roadshow.to_string();
    let update = with(&event_fields("bureau-stop"), &[("id", &id), ("form[title_en]", "Changed")]);

    // Another organization: nothing is visible, nothing can be changed.
    let list: EventList = app.call_as(&other, app::events::ListEvents::PATH, &[]).await.json().await.unwrap();
    assert!(list.events.is_empty());
    assert_eq!(app.call_as(&other, app::events::GetEvent::PATH, &[("id", &id)]).await.status(), 404);
    assert_eq!(app.call_as(&other, app::events::UpdateEvent::PATH, &as_refs(&update)).await.status(), 404);
    assert_eq!(
        app.call_as(&other, app::events::SetEventStatus::PATH, &[("id", &id), ("status", "published")]).await.status(),
        404
    );
    assert_eq!(app.call_as(&other, app::roadshows::GetRoadshow::PATH, &[("id", &roadshow)]).await.status(), 404);
    assert_eq!(
        app.call_as(
            &other,
            app::roadshows::UpdateRoadshow::PATH,
            &[("id", &roadshow), ("form[name]", "X"), ("form[year]", "2027")]
        )
        .await
        .status(),
        404
    );
    let roadshows: Vec<RoadshowDto> =
        app.call_as(&other, app::roadshows::ListRoadshows::PATH, &[]).await.json().await.unwrap();
    assert!(roadshows.is_empty());
    let members: Vec<MemberRow> = app.call_as(&other, app::auth::ListMembers::PATH, &[]).await.json().await.unwrap();
    assert_eq!(members.len(), 1);
    let foreign_roadshow = with(&event_fields("county-stop"), &[("form[roadshow_id]", &roadshow)]);
    let response = app.call_as(&other, app::events::CreateEvent::PATH, &as_refs(&foreign_roadshow)).await;
    assert_eq!(response.status(), 422, "cannot attach a stop to another organization's roadshow");

    // A viewer reads but changes nothing.
    assert_eq!(app.call_as(&viewer, app::events::GetEvent::PATH, &[("id", &id)]).await.status(), 200);
    assert_eq!(app.call_as(&viewer, app::events::ListEvents::PATH, &[]).await.status(), 200);
    assert_eq!(app.call_as(&viewer, app::roadshows::GetRoadshow::PATH, &[("id", &roadshow)]).await.status(), 200);
    assert_eq!(
        app.call_as(&viewer, app::events::CreateEvent::PATH, &as_refs(&event_fields("viewer-stop"))).await.status(),
        403
    );
    assert_eq!(app.call_as(&viewer, app::events::UpdateEvent::PATH, &as_refs(&update)).await.status(), 403);
    assert_eq!(
        app.call_as(&viewer, app::events::SetEventStatus::PATH, &[("id", &id), ("status", "cancelled")]).await.status(),
        403
    );
    assert_eq!(
        app.call_as(&viewer, app::roadshows::CreateRoadshow::PATH, &[("form[name]", "V"), ("form[year]", "2027")])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_as(
            &viewer,
            app::roadshows::UpdateRoadshow::PATH,
            &[("id", &roadshow), ("form[name]", "V"), ("form[year]", "2027")]
        )
        .await
        .status(),
        403
    );
    let add = [
        ("form[name]", "New"),
        ("form[email]", "new@example.com"),
        ("form[password]", "long enough password"),
        ("form[role]", "organizer"),
    ];
    assert_eq!(app.call_as(&viewer, app::auth::AddMember::PATH, &add).await.status(), 403);

    // Anonymous visitors get nothing private.
    for endpoint in [app::events::ListEvents::PATH, app::roadshows::ListRoadshows::PATH, app::auth::ListMembers::PATH] {
        assert_eq!(app.call(endpoint, &[]).await.status(), 401, "{endpoint}");
    }

    // The owner's data is unchanged; the owner may add members.
    let event: EventDto = app.call_as(&owner, app::events::GetEvent::PATH, &[("id", &id)]).await.json().await.unwrap();
    assert_eq!(event.title_en, "Yueyang Advanced Equipment Forum — Frankfurt");
    assert_eq!(event.status, EventStatus::Draft);
    assert_eq!(app.call_as(&owner, app::auth::AddMember::PATH, &add).await.status(), 200);
    assert_eq!(app.call_as(&owner, app::events::UpdateEvent::PATH, &as_refs(&update)).await.status(), 200);
}

async fn the_demo_roadshow_loads_on_first_start(backend: Backend) {
    let app = TestApp::builder(backend).demo_data().start().await;
    assert_eq!(app.count("event").await, 43 + 4, "the 2023 stops and four upcoming ones");
    assert_eq!(app.count("roadshow").await, 2);
    let page = app
        .client
        .get(app.url("/e/2023-shenzhen-hometown-new-year"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Yueyang Hometown Returnees New Year Meeting"), "English title");
    assert!(html.contains("This event has ended."));
    // Search engines and messengers: Open Graph tags and schema.org Event data.
    assert!(
        html.contains("<meta property=\"og:title\" content=\"Yueyang Hometown Returnees New Year Meeting"),
        "og:title"
    );
    let json_ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("JSON-LD script");
    let data: serde_json::Value = serde_json::from_str(json_ld).expect("valid JSON-LD");
    assert_eq!(data["@type"], "Event");
    assert_eq!(data["startDate"], "2023-01-10T14:30:00+08:00", "venue time with its offset");
    assert_eq!(data["location"]["address"]["addressLocality"], "Shenzhen");
    let zh = app.html("/e/2023-shenzhen-hometown-new-year", ("accept-language", "zh-CN")).await;
    assert!(zh.contains("湘商回归新春恳谈会"));
    assert!(zh.contains("2023年1月10日"));

    let home = app.html("/", ("accept-language", "en")).await;
    assert!(home.contains("Yueyang New Energy and Advanced Equipment Forum — Frankfurt"), "the upcoming roadshow");
    let year = (chrono::Utc::now().date_naive() + chrono::Duration::days(21)).format("%Y").to_string();
    let upcoming = app.html(&format!("/e/{year}-frankfurt-new-energy"), ("accept-language", "en")).await;
    assert!(upcoming.contains("name=\"form[email]\""), "its stops take registrations");
    assert!(home.contains("Past events"));
    assert!(home.contains("href=\"/e/"), "the latest stops are linked");
}

async fn the_edit_page_renders_on_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let id = create_event(&app, &owner, "server-rendered-stop", &[]).await;
    // The edit and clone pages load the roadshows and the event, and render both on the server.
    for path in [format!("/admin/events/{id}"), format!("/admin/events/new?from={id}")] {
        let page = owner.get(app.url(&path)).header("accept-language", "en").send().await.unwrap();
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("Yueyang Advanced Equipment Forum"), "{path}: {page}");
    }
}

/// Statuses are column types: every value is stored by name and read back as itself, and a
/// value the code does not know fails to load instead of passing for a default.
async fn a_status_the_code_does_not_know_fails_to_load(backend: Backend) {
    use app::domain::Visibility;
    use app::entities::event;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let app = TestApp::spawn(backend).await;
    app.organization("Bureau", "owner@example.com").await;
    let client = app.signed_in("owner@example.com").await;
    let id = create_event(&app, &client, "2027-frankfurt-equipment", &[]).await;
    for status in EventStatus::ALL {
        let mut row: event::ActiveModel = event::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap().into();
        row.status = Set(status);
        row.visibility = Set(Visibility::InviteOnly);
        row.update(&app.db).await.unwrap();
        assert_eq!(
            app.scalar::<String>(&format!("SELECT status AS v FROM event WHERE id = {id}")).await,
            status.as_str()
        );
        let read = event::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
        assert_eq!((read.status, read.visibility), (status, Visibility::InviteOnly));
    }
    app.execute(&format!("UPDATE event SET status = 'archived' WHERE id = {id}")).await;
    let error = event::Entity::find_by_id(id).one(&app.db).await.expect_err("an unknown status is an error");
    assert!(error.to_string().contains("archived"), "{error}");
}

on_both_databases!(
    a_status_the_code_does_not_know_fails_to_load,
    the_edit_page_renders_on_the_server,
    events_are_created_listed_and_published,
    bad_input_is_named_field_by_field,
    organizations_see_and_change_only_their_own_data,
    the_demo_roadshow_loads_on_first_start,
);
