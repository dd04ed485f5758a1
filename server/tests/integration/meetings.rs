//! One-to-one meetings at a stop: guests and hosts ask, the other side accepts into a slot
//! and a table, and however many accept at once a person and a table have one meeting per
//! slot, held by the database.

use app::meetings::{GuestMeetings, MeetingView, Programme};
use app::registrations::RegistrationOutcome;
use leptos::server_fn::ServerFn as _;
use reqwest::{Client, Response};

use crate::leads::json;
use crate::registrations::{guest, published_event};
use crate::support::{Backend, TestApp, as_refs, field_errors};

/// An event whose programme is open: 12 slots of 20 minutes from 14:00, slot 5 a break,
/// two tables. Returns the event's id.
async fn programme(app: &TestApp, owner: &Client, slug: &str, extra: &[(&str, &str)]) -> i32 {
    published_event(app, slug, 1000, &[]).await;
    let event_id = app.event_id(slug).await;
    let id = event_id.to_string();
    let mut fields = vec![
        ("event_id", id.as_str()),
        ("form[enabled]", "on"),
        ("form[first_slot_at]", "2030-05-08T14:00"),
        ("form[slot_minutes]", "20"),
        ("form[slot_count]", "12"),
        ("form[breaks]", "5"),
        ("form[request_hours]", "48"),
        ("form[max_open_requests]", "10"),
        ("form[reminder_minutes]", "15"),
    ];
    for (key, value) in extra {
        fields.retain(|(k, _)| k != key);
        fields.push((key, value));
    }
    let saved = app.call_as(owner, app::meetings::SaveProgramme::PATH, &fields).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap_or_default());
    let tables =
        app.call_as(owner, app::meetings::AddTables::PATH, &[("event_id", &id), ("names", "Table 1\nTable 2")]).await;
    assert_eq!(json::<u64>(tables).await, 2);
    event_id
}

async fn host(app: &TestApp, owner: &Client, event_id: i32, name: &str) -> i32 {
    let id = event_id.to_string();
    let fields = [
        ("event_id", id.as_str()),
        ("form[name]", name),
        ("form[organization]", "Miluo Circular Economy Industrial Park"),
        ("form[industry_chains][advanced-materials]", "on"),
        ("form[offer]", "Land and a recycling supply chain"),
    ];
    json(app.call_as(owner, app::meetings::SaveHost::PATH, &fields).await).await
}

/// Registers guests `investor<first>` … `investor<first + n - 1>`; returns their private tokens.
async fn register(app: &TestApp, slug: &str, first: usize, n: usize) -> Vec<String> {
    let calls = (first..first + n).map(|i| async move {
        let fields = guest(slug, &format!("investor{i}@example.com"), &format!("Investor {i}"));
        let outcome: RegistrationOutcome =
            json(app.call(app::registrations::Register::PATH, &as_refs(&fields)).await).await;
        outcome.manage_token.expect("a private link")
    });
    futures::future::join_all(calls).await
}

async fn ask(app: &TestApp, token: &str, host_id: i32) -> Response {
    let host = host_id.to_string();
    let fields = [("token", token), ("host_id", host.as_str()), ("message", "We plan a plant in Hunan")];
    app.call(app::meetings::GuestRequest::PATH, &fields).await
}

async fn answer(app: &TestApp, client: &Client, event_id: i32, request_id: i32, fields: &[(&str, &str)]) -> Response {
    let (event, request) = (event_id.to_string(), request_id.to_string());
    let mut all = vec![("event_id", event.as_str()), ("request_id", request.as_str())];
    all.extend_from_slice(fields);
    app.call_as(client, app::meetings::HostAnswer::PATH, &all).await
}

async fn mine(app: &TestApp, token: &str) -> GuestMeetings {
    json(app.call(app::meetings::MyMeetings::PATH, &[("token", token)]).await).await
}

async fn programme_of(app: &TestApp, client: &Client, event_id: i32) -> Programme {
    json(app.call_as(client, app::meetings::GetProgramme::PATH, &[("event_id", &event_id.to_string())]).await).await
}

fn accepted(meetings: &[MeetingView]) -> Vec<(i32, i32, Option<i32>, Option<String>)> {
    meetings
        .iter()
        .filter(|m| m.status == app::domain::MeetingStatus::Accepted)
        .map(|m| (m.host_id, m.registration_id, m.slot.as_ref().map(|s| s.number), m.table.clone()))
        .collect()
}

/// The database's own view: no person or table twice in a slot, every accepted meeting
/// holding exactly its three seats.
async fn assert_no_double_booking(app: &TestApp) {
    let doubled: i64 = app
        .scalar(
            "SELECT COUNT(*) AS v FROM (SELECT event_id, slot, holder FROM meeting_seat \
             GROUP BY event_id, slot, holder HAVING COUNT(*) > 1) AS d",
        )
        .await;
    assert_eq!(doubled, 0);
    let seats = app.count("meeting_seat").await;
    let meetings: i64 =
        app.scalar("SELECT COUNT(*) AS v FROM meeting_request WHERE status IN ('accepted', 'held', 'missed')").await;
    assert_eq!(seats, meetings * 3, "three seats per meeting that holds its slot");
    let stray: i64 = app
        .scalar(
            "SELECT COUNT(*) AS v FROM meeting_seat s JOIN meeting_request r ON r.id = s.request_id \
             WHERE r.status NOT IN ('accepted', 'held', 'missed') OR r.slot <> s.slot",
        )
        .await;
    assert_eq!(stray, 0, "seats only for accepted meetings, in their slot");
}

/// A guest asks from the private page, the organizer accepts for the host into the first
/// slot both have free (past the break and the host's other meeting), both see it; a
/// cancelled meeting frees its slot for the next.
async fn a_guest_asks_the_host_accepts_and_both_see_the_meeting(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let event_id = programme(&app, &owner, "frankfurt-meetings", &[]).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let guests = register(&app, "frankfurt-meetings", 0, 3).await;

    let seen = mine(&app, &guests[0]).await;
    assert!(seen.enabled && seen.confirmed && !seen.opted_in);
    assert_eq!(seen.hosts.len(), 1);
    assert_eq!(seen.hosts[0].name, "Li Ming");
    assert_eq!(seen.slots.len(), 12);
    assert!(seen.slots[4].is_break);

    let mut requests = Vec::new();
    for token in &guests {
        requests.push(json::<i32>(ask(&app, token, park).await).await);
    }
    let again = ask(&app, &guests[0], park).await;
    assert_eq!(again.status(), 409);
    assert_eq!(field_errors(again).await, [("host_id".to_string(), "already_requested".to_string())]);

    // Slots 1-4 by hand, then the first free for both is 6 (5 is the break).
    for (slot, request) in [("1", requests[0]), ("2", requests[1])] {
        assert_eq!(
            answer(&app, &owner, event_id, request, &[("answer", "accept"), ("slot", slot)]).await.status(),
            200
        );
    }
    let taken = answer(&app, &owner, event_id, requests[2], &[("answer", "accept"), ("slot", "2")]).await;
    assert_eq!(taken.status(), 409);
    assert_eq!(field_errors(taken).await, [("slot".to_string(), "slot_taken".to_string())]);
    let in_break = answer(&app, &owner, event_id, requests[2], &[("answer", "accept"), ("slot", "5")]).await;
    assert_eq!(in_break.status(), 422);
    assert_eq!(field_errors(in_break).await, [("slot".to_string(), "slot_is_break".to_string())]);
    let outside = answer(&app, &owner, event_id, requests[2], &[("answer", "accept"), ("slot", "13")]).await;
    assert_eq!(outside.status(), 422);
    assert_eq!(field_errors(outside).await, [("slot".to_string(), "out_of_range".to_string())]);
    let elsewhere = answer(&app, &owner, event_id, requests[2], &[("answer", "accept"), ("table", "999999")]).await;
    assert_eq!(elsewhere.status(), 422);
    assert_eq!(field_errors(elsewhere).await, [("table".to_string(), "unknown_choice".to_string())]);
    let third = answer(&app, &owner, event_id, requests[2], &[("answer", "accept")]).await;
    assert_eq!(third.status(), 200);
    let guest_view = mine(&app, &guests[2]).await;
    let meeting = &guest_view.meetings[0];
    assert_eq!(meeting.status, app::domain::MeetingStatus::Accepted);
    assert_eq!(meeting.slot.as_ref().map(|s| s.number), Some(3));
    assert_eq!(meeting.slot.as_ref().map(|s| s.starts_local.format("%H:%M").to_string()), Some("14:40".into()));
    assert_eq!(meeting.table.as_deref(), Some("Table 1"));
    assert_eq!(meeting.host_name, "Li Ming");

    // The organizer's grid shows the three, the counts say so.
    let seen = programme_of(&app, &owner, event_id).await;
    let mut placed: Vec<_> = accepted(&seen.meetings).into_iter().map(|(_, _, slot, _)| slot.unwrap()).collect();
    placed.sort();
    assert_eq!(placed, [1, 2, 3]);
    assert_eq!((seen.counts.requested, seen.counts.accepted), (3, 3));
    let page = owner.get(app.url(&format!("/admin/events/{event_id}/meetings"))).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("Table 1") && page.contains("Li Ming ↔ Investor 2"), "the grid renders on the server");

    // The second guest cancels: slot 2 is free again, and the host's next meeting takes it.
    let cancelled = app
        .call(app::meetings::GuestCancel::PATH, &[("token", &guests[1]), ("request_id", &requests[1].to_string())])
        .await;
    assert_eq!(cancelled.status(), 200);
    let sequence: i32 =
        app.scalar(&format!("SELECT sequence AS v FROM meeting_request WHERE id = {}", requests[1])).await;
    assert_eq!(sequence, 1, "the calendar's SEQUENCE is raised on cancelling");
    let fourth = register(&app, "frankfurt-meetings", 3, 1).await.pop().unwrap();
    let request = json::<i32>(ask(&app, &fourth, park).await).await;
    assert_eq!(answer(&app, &owner, event_id, request, &[("answer", "accept")]).await.status(), 200);
    assert_eq!(mine(&app, &fourth).await.meetings[0].slot.as_ref().map(|s| s.number), Some(2));
    assert_no_double_booking(&app).await;
}

/// Accepts all `requests` at once with `fields`; the answers' statuses, sorted.
async fn accept_all(
    app: &TestApp,
    owner: &Client,
    event_id: i32,
    requests: &[i32],
    fields: &[(&str, &str)],
) -> Vec<u16> {
    let mut fields = fields.to_vec();
    fields.push(("answer", "accept"));
    let calls = requests.iter().map(|request| {
        let fields = &fields;
        async move { answer(app, owner, event_id, *request, fields).await.status().as_u16() }
    });
    let mut statuses = futures::future::join_all(calls).await;
    statuses.sort();
    statuses
}

/// 200 accepts at once for one host in one slot: exactly one meeting; then 200 pairs of
/// different people at once for one table in one slot: exactly one again.
async fn two_hundred_accepts_at_once_book_a_person_and_a_table_once(backend: Backend) {
    const N: usize = 200;
    let app = TestApp::builder(backend).registrations_per_minute(100_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let event_id = programme(&app, &owner, "crowded-meetings", &[]).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let guests = register(&app, "crowded-meetings", 0, N).await;
    let mut to_park = Vec::new();
    for token in &guests {
        to_park.push(json::<i32>(ask(&app, token, park).await).await);
    }
    let person = accept_all(&app, &owner, event_id, &to_park, &[("slot", "3")]).await;
    assert_eq!(person.iter().filter(|s| **s == 200).count(), 1, "{person:?}");
    assert_eq!(person.iter().filter(|s| **s == 409).count(), N - 1, "{person:?}");
    assert_no_double_booking(&app).await;

    // Each guest asks a host of their own; all pairs want table 2 in slot 4.
    let mut hosts = Vec::new();
    for i in 0..N {
        hosts.push(host(&app, &owner, event_id, &format!("Host {i}")).await);
    }
    let mut pairs = Vec::new();
    for (token, host) in guests.iter().zip(&hosts) {
        pairs.push(json::<i32>(ask(&app, token, *host).await).await);
    }
    let table_two = programme_of(&app, &owner, event_id).await.tables[1].id.to_string();
    let table = accept_all(&app, &owner, event_id, &pairs, &[("slot", "4"), ("table", &table_two)]).await;
    assert_eq!(table.iter().filter(|s| **s == 200).count(), 1, "{table:?}");
    assert_eq!(table.iter().filter(|s| **s == 409).count(), N - 1, "{table:?}");
    assert_no_double_booking(&app).await;
    let in_slot_four: i64 = app.scalar("SELECT COUNT(*) AS v FROM meeting_request WHERE slot = 4").await;
    assert_eq!(in_slot_four, 1);

    // Another process takes the host's slot 6 and has not committed yet when an accept for
    // slot 6 reads the host's seats (free, as far as it can see): the accept waits on the
    // database, then is refused, and writes nothing.
    use sea_orm::ConnectionTrait as _;
    let other_process = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let txn = app::db::begin_write(&other_process).await.unwrap();
    txn.execute_unprepared(&format!(
        "INSERT INTO meeting_seat (event_id, slot, holder, request_id) VALUES ({event_id}, 6, 'h{park}', {})",
        to_park[1]
    ))
    .await
    .unwrap();
    let seats_before = app.count("meeting_seat").await;
    let racing = tokio::spawn({
        let (app_url, owner) = (app.url(app::meetings::HostAnswer::PATH), owner.clone());
        let fields = [
            ("event_id", event_id.to_string()),
            ("request_id", to_park[2].to_string()),
            ("answer", "accept".to_string()),
            ("slot", "6".to_string()),
        ];
        async move { owner.post(app_url).form(&fields).send().await.unwrap() }
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!racing.is_finished(), "the accept waits for the other transaction");
    txn.commit().await.unwrap();
    let refused = racing.await.unwrap();
    assert_eq!(refused.status(), 409);
    assert_eq!(field_errors(refused).await, [("slot".to_string(), "slot_taken".to_string())]);
    assert_eq!(app.count("meeting_seat").await, seats_before + 1, "only the other process's seat");
}

/// Two server processes on one database accept at once, 30 requests each, all for one host
/// in one slot: exactly one meeting, whichever process wrote it.
async fn accepts_through_two_processes_book_once(backend: Backend) {
    const N: usize = 60;
    let one = TestApp::builder(backend).registrations_per_minute(100_000).start().await;
    one.organization("Yueyang Bureau", "owner@example.com").await;
    let other = TestApp::builder(backend).registrations_per_minute(100_000).same_database_as(&one).start().await;
    let owner_one = one.signed_in("owner@example.com").await;
    let owner_other = other.signed_in("owner@example.com").await;
    let event_id = programme(&one, &owner_one, "two-process-meetings", &[]).await;
    let park = host(&one, &owner_one, event_id, "Li Ming").await;
    let guests = register(&one, "two-process-meetings", 0, N).await;
    let mut requests = Vec::new();
    for token in &guests {
        requests.push(json::<i32>(ask(&one, token, park).await).await);
    }
    let fields = [("slot", "3")];
    let (a, b) = tokio::join!(
        accept_all(&one, &owner_one, event_id, &requests[..N / 2], &fields),
        accept_all(&other, &owner_other, event_id, &requests[N / 2..], &fields),
    );
    let statuses: Vec<u16> = a.into_iter().chain(b).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), N - 1, "{statuses:?}");
    assert_no_double_booking(&one).await;
}

/// A request waits `request_hours`; past it, it cannot be accepted. A person has at most
/// `max_open_requests` unanswered, also when they send many at once; withdrawing one makes
/// room.
async fn requests_expire_and_are_capped_per_person(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let event_id = programme(&app, &owner, "capped-meetings", &[("form[max_open_requests]", "2")]).await;
    let mut hosts = Vec::new();
    for i in 0..8 {
        hosts.push(host(&app, &owner, event_id, &format!("Host {i}")).await);
    }
    let guests = register(&app, "capped-meetings", 0, 2).await;

    let at_once = futures::future::join_all(hosts.iter().map(|h| ask(&app, &guests[0], *h))).await;
    let mut ok = Vec::new();
    for response in at_once {
        match response.status().as_u16() {
            200 => ok.push(json::<i32>(response).await),
            409 => assert_eq!(field_errors(response).await, [("host_id".to_string(), "too_many_requests".to_string())]),
            other => panic!("{other}"),
        }
    }
    assert_eq!(ok.len(), 2, "the cap holds when eight go at once");
    let withdrawn =
        app.call(app::meetings::GuestCancel::PATH, &[("token", &guests[0]), ("request_id", &ok[0].to_string())]).await;
    assert_eq!(withdrawn.status(), 200);
    let withdrawn_host: i32 =
        app.scalar(&format!("SELECT host_id AS v FROM meeting_request WHERE id = {}", ok[0])).await;
    let third = ask(&app, &guests[0], withdrawn_host).await;
    assert_eq!(third.status(), 200, "a withdrawn request makes room (and no longer stands between the two)");

    // Expired: its time is over (set in the database, as time passing would).
    let request = json::<i32>(ask(&app, &guests[1], hosts[0]).await).await;
    app.execute(&format!("UPDATE meeting_request SET expires_at = created_at WHERE id = {request}")).await;
    let late = answer(&app, &owner, event_id, request, &[("answer", "accept")]).await;
    assert_eq!(late.status(), 409);
    assert_eq!(field_errors(late).await, [("request_id".to_string(), "request_expired".to_string())]);
    assert_eq!(mine(&app, &guests[1]).await.meetings[0].status, app::domain::MeetingStatus::Expired);
    assert_eq!(app.count("meeting_seat").await, 0, "nothing written by the refused accept");
    // An expired request no longer counts against the cap or the pair.
    assert_eq!(ask(&app, &guests[1], hosts[0]).await.status(), 200);
}

/// Guests see only their own event's hosts and act only on their own requests; another
/// organization's organizer finds nothing; a host may invite only guests who opted in, and
/// only confirmed ones; with the programme off nobody asks.
async fn each_side_reaches_only_its_own_meetings(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    app.organization("Other Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let event_id = programme(&app, &owner, "rules-meetings", &[]).await;
    let elsewhere = programme(&app, &owner, "rules-elsewhere", &[]).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let far = host(&app, &owner, elsewhere, "Wang Fang").await;
    let guests = register(&app, "rules-meetings", 0, 2).await;

    assert_eq!(ask(&app, &guests[0], far).await.status(), 404, "a host of another event");
    let request = json::<i32>(ask(&app, &guests[0], park).await).await;
    let id = request.to_string();
    let theirs = app.call(app::meetings::GuestCancel::PATH, &[("token", &guests[1]), ("request_id", &id)]).await;
    assert_eq!(theirs.status(), 404, "another guest's request");
    let own_answer = app
        .call(app::meetings::GuestAnswer::PATH, &[("token", &guests[0]), ("request_id", &id), ("answer", "accept")])
        .await;
    assert_eq!(own_answer.status(), 404, "the guest cannot accept their own request");
    let altered = app.call(app::meetings::MyMeetings::PATH, &[("token", &format!("{}x", guests[0]))]).await;
    assert_eq!(altered.status(), 404);

    let programme_elsewhere =
        app.call_as(&other, app::meetings::GetProgramme::PATH, &[("event_id", &event_id.to_string())]).await;
    assert_eq!(programme_elsewhere.status(), 404);
    assert_eq!(answer(&app, &other, event_id, request, &[("answer", "accept")]).await.status(), 404);
    assert_eq!(answer(&app, &owner, elsewhere, request, &[("answer", "accept")]).await.status(), 404);

    // The host invites: refused until the guest opts in.
    let registration_id: i32 =
        app.scalar("SELECT id AS v FROM registration WHERE email = 'investor1@example.com'").await;
    let invite = |host_id: i32| {
        let (event, host, guest) = (event_id.to_string(), host_id.to_string(), registration_id.to_string());
        let (app, owner) = (&app, &owner);
        async move {
            let fields =
                [("event_id", event.as_str()), ("host_id", host.as_str()), ("registration_id", guest.as_str())];
            app.call_as(owner, app::meetings::HostRequest::PATH, &fields).await
        }
    };
    let not_yet = invite(park).await;
    assert_eq!(not_yet.status(), 409);
    assert_eq!(field_errors(not_yet).await, [("registration_id".to_string(), "not_opted_in".to_string())]);
    let opted = app
        .call(app::meetings::GuestOptIn::PATH, &[("token", &guests[1]), ("offer", "Looking for land in a park")])
        .await;
    assert_eq!(opted.status(), 200);
    let seen = programme_of(&app, &owner, event_id).await;
    assert_eq!(seen.guests.len(), 1);
    assert_eq!(seen.guests[0].offer, "Looking for land in a park");
    let invited = json::<i32>(invite(park).await).await;
    // The guest accepts the host's invitation from their page.
    let accepted_by_guest = app
        .call(
            app::meetings::GuestAnswer::PATH,
            &[("token", &guests[1]), ("request_id", &invited.to_string()), ("answer", "accept"), ("slot", "7")],
        )
        .await;
    assert_eq!(accepted_by_guest.status(), 200);
    assert_eq!(
        accepted(&mine(&app, &guests[1]).await.meetings),
        [(park, registration_id, Some(7), Some("Table 1".into()))]
    );

    // Programme off: nobody asks, nothing written.
    let before = app.count("meeting_request").await;
    let id = event_id.to_string();
    let fields = [
        ("event_id", id.as_str()),
        ("form[first_slot_at]", "2030-05-08T14:00"),
        ("form[slot_minutes]", "20"),
        ("form[slot_count]", "12"),
        ("form[request_hours]", "48"),
        ("form[max_open_requests]", "10"),
        ("form[reminder_minutes]", "15"),
    ];
    assert_eq!(app.call_as(&owner, app::meetings::SaveProgramme::PATH, &fields).await.status(), 200);
    let off = ask(&app, &guests[0], park).await;
    assert_eq!(off.status(), 409);
    assert_eq!(field_errors(off).await, [("host_id".to_string(), "meetings_off".to_string())]);
    assert_eq!(app.count("meeting_request").await, before);
    assert!(mine(&app, &guests[0]).await.hosts.is_empty(), "no hosts shown while the programme is off");
    assert_no_double_booking(&app).await;
}

/// Posts a guest's form as a browser without script does (it sends no `Referer` from the
/// private page); returns where it is sent next.
async fn post_as_page(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
    let response = app.client.post(app.url(path)).header("accept", "text/html").form(fields).send().await.unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    response.headers()["location"].to_str().unwrap().to_string()
}

/// Before any script, on a phone: the private page lists the hosts with their profiles
/// (escaped), asks, shows the request, and a refusal comes back to the same page in words.
async fn a_guest_asks_from_the_private_page_without_script(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let event_id = programme(&app, &owner, "phone-meetings", &[]).await;
    let id = event_id.to_string();
    let fields = [
        ("event_id", id.as_str()),
        ("form[name]", "Li Ming"),
        ("form[organization]", "Miluo Park <script>alert(1)</script>"),
        ("form[offer]", "Land & a supply chain"),
    ];
    let park: i32 = json(app.call_as(&owner, app::meetings::SaveHost::PATH, &fields).await).await;
    let token = register(&app, "phone-meetings", 0, 1).await.pop().unwrap();
    let page = app.html(&format!("/r/{token}"), ("accept-language", "en")).await;
    assert!(page.contains("id=\"meetings\""), "the section is on the private page");
    assert!(page.contains("Li Ming") && page.contains("Land &amp; a supply chain"));
    assert!(!page.contains("<script>alert(1)"), "a host's profile is escaped");
    assert!(page.contains(&format!("action=\"{}\"", app::meetings::GuestRequest::PATH)));
    assert!(page.contains("<label for=\"message-"), "the message field has a label");

    let park_s = park.to_string();
    let ask = [("token", token.as_str()), ("host_id", park_s.as_str()), ("message", "Hello")];
    let next = post_as_page(&app, app::meetings::GuestRequest::PATH, &ask).await;
    assert_eq!(next, format!("/r/{token}?asked=1#meetings"));
    let page = app.html(&next, ("accept-language", "en")).await;
    assert!(page.contains("Request sent"), "the guest is told");
    assert!(page.contains("Awaiting an answer"));
    assert!(page.contains("Withdraw"));

    // Asking again is refused: back on the private page, in the reader's words.
    let next = post_as_page(&app, app::meetings::GuestRequest::PATH, &ask).await;
    assert!(next.starts_with(&format!("/r/{token}?__path=")), "{next}");
    let page = app.html(&next, ("accept-language", "en")).await;
    assert!(page.contains("The two already have a request or a meeting."), "the refusal is said");
    let zh = app.html(&next, ("accept-language", "zh-CN")).await;
    assert!(zh.contains("双方已有洽谈请求或已约定会谈。"));
    assert_eq!(app.count("meeting_request").await, 1);
}

/// Each side gets the meeting in their language with a calendar entry of its own: one UID
/// for the meeting, `SEQUENCE` raised by a move, `CANCEL` when it is off; the host's
/// message and names are escaped in the HTML part.
async fn both_sides_get_the_meeting_in_their_calendar(backend: Backend) {
    use crate::mail::parse;
    use crate::support::SmtpSink;
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let event_id = programme(&app, &owner, "calendar-meetings", &[]).await;
    let id = event_id.to_string();
    let fields = [
        ("event_id", id.as_str()),
        ("form[name]", "李明"),
        ("form[organization]", "汨罗循环经济产业园"),
        ("form[email]", "host@example.com"),
        ("form[language]", "zh"),
    ];
    let park: i32 = json(app.call_as(&owner, app::meetings::SaveHost::PATH, &fields).await).await;
    let token = register(&app, "calendar-meetings", 0, 1).await.pop().unwrap();
    sink.wait_for(1).await;
    let park_s = park.to_string();
    let asked = app
        .call(
            app::meetings::GuestRequest::PATH,
            &[("token", &token), ("host_id", &park_s), ("message", "<b>Plant</b>")],
        )
        .await;
    let request: i32 = json(asked).await;
    assert_eq!(answer(&app, &owner, event_id, request, &[("answer", "accept"), ("slot", "1")]).await.status(), 200);
    let received: Vec<_> = sink.wait_for(3).await[1..].iter().map(|m| parse(m)).collect();
    let uid = format!("UID:meeting-{request}@roadshow.test\r\n");
    let guest = received.iter().find(|m| m.to == "investor0@example.com").expect("the guest's email");
    assert!(guest.subject.starts_with("Meeting confirmed: 李明 · 汨罗循环经济产业园"), "{}", guest.subject);
    assert!(guest.text.contains(&format!("/r/{token}#meetings")), "{}", guest.text);
    assert!(guest.text.contains("Table: Table 1"));
    let (method, ics) = guest.calendar.clone().expect("a calendar entry");
    let ics = ics.replace("\r\n ", "");
    assert_eq!(method, "REQUEST");
    assert!(ics.contains(&uid) && ics.contains("SEQUENCE:0\r\n"), "{ics}");
    assert!(ics.contains("DTSTART:20300508T120000Z\r\n"), "14:00 in Frankfurt in May is 12:00 UTC: {ics}");
    assert!(ics.contains("DTEND:20300508T122000Z\r\n"));
    let host = received.iter().find(|m| m.to == "host@example.com").expect("the host's email");
    assert!(host.subject.starts_with("洽谈已确认: Investor 0"), "{}", host.subject);
    assert!(host.text.contains(&format!("/h/{park}-")), "the host's email links their own page: {}", host.text);
    assert!(!host.html.contains("<b>Plant"), "nothing of the guest is markup");
    assert!(host.calendar.as_ref().is_some_and(|(_, ics)| ics.replace("\r\n ", "").contains(&uid)));

    // Moved to slot 3 (14:40): both told, SEQUENCE 1.
    let moved = app
        .call_as(
            &owner,
            app::meetings::MoveMeeting::PATH,
            &[("event_id", &id), ("request_id", &request.to_string()), ("slot", "3")],
        )
        .await;
    assert_eq!(moved.status(), 200);
    let received: Vec<_> = sink.wait_for(5).await[3..].iter().map(|m| parse(m)).collect();
    for m in &received {
        let (method, ics) = m.calendar.clone().expect("a calendar entry");
        let ics = ics.replace("\r\n ", "");
        assert_eq!(method, "REQUEST");
        assert!(ics.contains(&uid) && ics.contains("SEQUENCE:1\r\n") && ics.contains("DTSTART:20300508T124000Z"));
    }
    assert_eq!(mine(&app, &token).await.meetings[0].slot.as_ref().map(|s| s.number), Some(3));
    assert_no_double_booking(&app).await;

    // Cancelled by the guest: CANCEL, SEQUENCE 2, to both.
    let cancelled =
        app.call(app::meetings::GuestCancel::PATH, &[("token", &token), ("request_id", &request.to_string())]).await;
    assert_eq!(cancelled.status(), 200);
    let received: Vec<_> = sink.wait_for(7).await[5..].iter().map(|m| parse(m)).collect();
    assert_eq!(received.len(), 2);
    for m in &received {
        let (method, ics) = m.calendar.clone().expect("a cancelling entry");
        assert_eq!(method, "CANCEL");
        assert!(ics.replace("\r\n ", "").contains("SEQUENCE:2\r\n"));
    }
    assert_eq!(app.count("meeting_seat").await, 0);
}

/// At the table the host scans the guest's check-in code: the meeting is held, and the
/// guest's lead says so (credited to the stop); a missed meeting is booked again.
async fn a_meeting_held_at_the_table_is_written_into_the_lead(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    app.organization("Other Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let event_id = programme(&app, &owner, "held-meetings", &[]).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let guests = register(&app, "held-meetings", 0, 2).await;
    let mut requests = Vec::new();
    for token in &guests {
        requests.push(json::<i32>(ask(&app, token, park).await).await);
    }
    for (request, slot) in requests.iter().zip(["1", "2"]) {
        let accepted = answer(&app, &owner, event_id, *request, &[("answer", "accept"), ("slot", slot)]).await;
        assert_eq!(accepted.status(), 200);
    }
    let tables = programme_of(&app, &owner, event_id).await.tables;
    let code: String =
        app.scalar("SELECT check_in_code AS v FROM registration WHERE email = 'investor0@example.com'").await;
    let scan = |client: &Client, table: i32, code: String| {
        let (app, client, event) = (&app, client.clone(), event_id.to_string());
        async move {
            let fields = [("event_id", event.as_str()), ("table_id", &table.to_string()), ("code", code.as_str())];
            app.call_as(&client, app::meetings::ScanMeeting::PATH, &fields).await
        }
    };
    let wrong_table = scan(&owner, tables[1].id, code.clone()).await;
    assert_eq!(wrong_table.status(), 409);
    assert_eq!(field_errors(wrong_table).await, [("code".to_string(), "no_meeting_here".to_string())]);
    let unknown = scan(&owner, tables[0].id, "RS-NOPE".into()).await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(scan(&other, tables[0].id, code.clone()).await.status(), 404, "another organization");

    let held: MeetingView = json(scan(&owner, tables[0].id, code.to_lowercase()).await).await;
    assert_eq!(held.status, app::domain::MeetingStatus::Held);
    assert_eq!(held.guest_name, "Investor 0");
    assert_eq!(
        json::<MeetingView>(scan(&owner, tables[0].id, code.clone()).await).await.status,
        app::domain::MeetingStatus::Held
    );
    let activity: String = app
        .scalar(
            "SELECT a.to_value AS v FROM lead_activity a JOIN lead l ON l.id = a.lead_id \
             WHERE a.kind = 'meeting' AND l.email = 'investor0@example.com'",
        )
        .await;
    assert_eq!(activity, "Table 1 · Li Ming · Miluo Circular Economy Industrial Park");
    assert_eq!(app.count("lead_activity WHERE kind = 'meeting'").await, 1, "scanning twice writes it once");
    let credited = app
        .count(&format!(
            "lead_event e JOIN lead l ON l.id = e.lead_id WHERE e.event_id = {event_id} AND l.email = 'investor0@example.com'"
        ))
        .await;
    assert_eq!(credited, 1);

    // The second guest did not come: missed, then booked again into slot 4.
    let mark = |request: i32, outcome: &'static str| {
        let (app, owner, event) = (&app, &owner, event_id.to_string());
        async move {
            let fields = [("event_id", event.as_str()), ("request_id", &request.to_string()), ("outcome", outcome)];
            app.call_as(owner, app::meetings::MarkMeeting::PATH, &fields).await.status()
        }
    };
    assert_eq!(mark(requests[1], "missed").await, 200);
    assert_eq!(mark(requests[0], "missed").await, 409, "a held meeting is not missed");
    let counts = programme_of(&app, &owner, event_id).await.counts;
    assert_eq!((counts.accepted, counts.held, counts.missed, counts.held_rate()), (2, 1, 1, Some(50)));
    let rebooked = app
        .call_as(
            &owner,
            app::meetings::MoveMeeting::PATH,
            &[("event_id", &event_id.to_string()), ("request_id", &requests[1].to_string()), ("slot", "4")],
        )
        .await;
    assert_eq!(rebooked.status(), 200);
    let view = mine(&app, &guests[1]).await;
    assert_eq!(view.meetings[0].status, app::domain::MeetingStatus::Accepted);
    assert_eq!(view.meetings[0].slot.as_ref().map(|s| s.number), Some(4));
    assert_no_double_booking(&app).await;
}

/// The reminder goes `reminder_minutes` before the meeting, once, however many schedulers
/// run at that moment; a moved meeting is reminded again for its new time.
async fn a_meeting_is_reminded_once_across_two_schedulers(backend: Backend) {
    use chrono::TimeZone as _;
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let event_id = programme(&app, &owner, "reminded-meetings", &[]).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let token = register(&app, "reminded-meetings", 0, 1).await.pop().unwrap();
    let request = json::<i32>(ask(&app, &token, park).await).await;
    assert_eq!(answer(&app, &owner, event_id, request, &[("answer", "accept"), ("slot", "1")]).await.status(), 200);
    let other = app::db::connect(&app.database_url).await.expect("a second process's connection");
    let at = |h: u32, m: u32| chrono::Utc.with_ymd_and_hms(2030, 5, 8, h, m, 0).unwrap();
    let both = |now| {
        let (app, other) = (&app, &other);
        async move {
            let (a, b) = tokio::join!(
                app::meetings::ssr::send_reminders(&app.db, &app.mail, now),
                app::meetings::ssr::send_reminders(other, &app.mail, now)
            );
            a.expect("first scheduler") + b.expect("second scheduler")
        }
    };
    // Slot 1 starts at 14:00 in Frankfurt (12:00 UTC); reminders 15 minutes before.
    assert_eq!(both(at(11, 40)).await, 0, "too early");
    assert_eq!(both(at(11, 50)).await, 1, "one of the two schedulers reminds");
    assert_eq!(both(at(11, 55)).await, 0, "and nobody again");
    let reminders = "outbox_message WHERE kind = 'meeting_reminder'";
    assert_eq!(app.count(reminders).await, 1, "the guest's reminder (the host has no address)");
    let subject: String = app.scalar("SELECT subject AS v FROM outbox_message WHERE kind = 'meeting_reminder'").await;
    assert!(subject.starts_with("Your meeting starts soon: Li Ming"), "{subject}");

    let moved = app
        .call_as(
            &owner,
            app::meetings::MoveMeeting::PATH,
            &[("event_id", &event_id.to_string()), ("request_id", &request.to_string()), ("slot", "3")],
        )
        .await;
    assert_eq!(moved.status(), 200);
    assert_eq!(both(at(12, 30)).await, 1, "the new time is reminded");
    assert_eq!(both(at(12, 35)).await, 0);
    assert_eq!(app.count(reminders).await, 2);

    // A second guest in slot 6 (15:40, 13:40 UTC). The organizer then asks for reminders an
    // hour before: the meeting's reminder time follows the setting.
    let late = register(&app, "reminded-meetings", 1, 1).await.pop().unwrap();
    let second = json::<i32>(ask(&app, &late, park).await).await;
    assert_eq!(answer(&app, &owner, event_id, second, &[("answer", "accept"), ("slot", "6")]).await.status(), 200);
    let id = event_id.to_string();
    let settings = [
        ("event_id", id.as_str()),
        ("form[enabled]", "on"),
        ("form[first_slot_at]", "2030-05-08T14:00"),
        ("form[slot_minutes]", "20"),
        ("form[slot_count]", "12"),
        ("form[breaks]", "5"),
        ("form[request_hours]", "48"),
        ("form[max_open_requests]", "10"),
        ("form[reminder_minutes]", "60"),
    ];
    assert_eq!(app.call_as(&owner, app::meetings::SaveProgramme::PATH, &settings).await.status(), 200);
    assert_eq!(both(at(12, 35)).await, 0, "not yet an hour before");
    assert_eq!(both(at(12, 45)).await, 1, "an hour before its new reminder time");
    assert_eq!(app.count(reminders).await, 3);
    // A meeting whose slot has begun before any tick reminded it is not reminded late, and
    // leaves the reminders still to send.
    let third_guest = register(&app, "reminded-meetings", 2, 1).await.pop().unwrap();
    let third = json::<i32>(ask(&app, &third_guest, park).await).await;
    assert_eq!(answer(&app, &owner, event_id, third, &[("answer", "accept"), ("slot", "2")]).await.status(), 200);
    assert_eq!(both(at(14, 0)).await, 0, "slot 2 began at 12:20 UTC");
    assert_eq!(app.count(reminders).await, 3);
    let waiting =
        app.count("meeting_request WHERE status = 'accepted' AND reminded_at IS NULL AND remind_at IS NOT NULL").await;
    assert_eq!(waiting, 0, "nothing left to remind");
}

/// The auto-scheduler places the pending requests around a meeting already accepted,
/// must-meet first; the grid shows the proposal; publishing accepts each under the seats'
/// rules, so a proposal overtaken by a hand-made accept is refused, not double-booked.
async fn the_auto_schedule_is_proposed_then_published(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    app.organization("Other Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let event_id = programme(&app, &owner, "scheduled-meetings", &[]).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let guests = register(&app, "scheduled-meetings", 0, 6).await;
    let mut requests = Vec::new();
    for (i, token) in guests.iter().enumerate() {
        let park = park.to_string();
        let must = if i < 2 { "on" } else { "" };
        let fields = [("token", token.as_str()), ("host_id", park.as_str()), ("must", must)];
        requests.push(json::<i32>(app.call(app::meetings::GuestRequest::PATH, &fields).await).await);
    }
    assert_eq!(answer(&app, &owner, event_id, requests[5], &[("answer", "accept"), ("slot", "1")]).await.status(), 200);
    let id = event_id.to_string();
    assert_eq!(app.call_as(&other, app::meetings::ProposeSchedule::PATH, &[("event_id", &id)]).await.status(), 404);

    let report: app::meetings::ScheduleReport =
        json(app.call_as(&owner, app::meetings::ProposeSchedule::PATH, &[("event_id", &id)]).await).await;
    assert_eq!((report.must_placed, report.must_total, report.like_placed, report.like_total), (2, 2, 3, 3));
    assert!(report.unplaced.is_empty());
    let seen = programme_of(&app, &owner, event_id).await;
    assert_eq!(seen.proposals.len(), 5);
    let slots: std::collections::HashSet<i32> = seen.proposals.iter().map(|(_, slot, _)| *slot).collect();
    assert_eq!(slots.len(), 5, "the host once per slot");
    assert!(!slots.contains(&1) && !slots.contains(&5), "around the accepted meeting and the break");
    assert_eq!(app.count("meeting_seat").await, 3, "a proposal holds nothing yet");
    let page = owner.get(app.url(&format!("/admin/events/{event_id}/meetings"))).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("Li Ming ↔ Investor 0 (草案)"), "the grid shows the proposal");

    // Before publishing, the organizer books guest 4 by hand into guest 2's proposed slot.
    let slot_of = |request: i32| seen.proposals.iter().find(|(r, ..)| *r == request).unwrap().1.to_string();
    let by_hand =
        answer(&app, &owner, event_id, requests[4], &[("answer", "accept"), ("slot", &slot_of(requests[2]))]).await;
    assert_eq!(by_hand.status(), 200);
    let published: app::meetings::ScheduleReport =
        json(app.call_as(&owner, app::meetings::PublishSchedule::PATH, &[("event_id", &id)]).await).await;
    assert_eq!((published.published, published.refused), (3, 2), "guest 2's slot is taken, guest 4 is answered");
    let seen = programme_of(&app, &owner, event_id).await;
    assert!(seen.proposals.is_empty());
    assert_eq!(seen.counts.accepted, 5);
    assert_eq!(mine(&app, &guests[2]).await.meetings[0].status, app::domain::MeetingStatus::Pending);
    assert_no_double_booking(&app).await;
}

/// A host whose every open slot is taken is refused to a new request, by field.
async fn a_full_host_is_refused(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let extra = [("form[slot_count]", "2"), ("form[breaks]", "")];
    let event_id = programme(&app, &owner, "full-meetings", &extra).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let guests = register(&app, "full-meetings", 0, 3).await;
    for (token, slot) in guests.iter().zip(["1", "2"]) {
        let request = json::<i32>(ask(&app, token, park).await).await;
        assert_eq!(
            answer(&app, &owner, event_id, request, &[("answer", "accept"), ("slot", slot)]).await.status(),
            200
        );
    }
    let before = app.count("meeting_request").await;
    let full = ask(&app, &guests[2], park).await;
    assert_eq!(full.status(), 409);
    assert_eq!(field_errors(full).await, [("host_id".to_string(), "person_full".to_string())]);
    assert_eq!(app.count("meeting_request").await, before, "nothing written");
}

/// The token of a host's own page, from the organizer's programme.
async fn host_token(app: &TestApp, owner: &Client, event_id: i32, host_id: i32) -> String {
    let links = programme_of(app, owner, event_id).await.host_links;
    let link = &links.iter().find(|(id, _)| *id == host_id).expect("a link for each host").1;
    link.rsplit_once("/h/").expect("a host page link").1.to_string()
}

/// A host's own page, before any script: their requests only, answered there; their own
/// time beside the venue's; the table's check-in by code; asking a guest; a refusal back on
/// the page in words; another host's request out of reach; a replaced link stops working.
async fn a_host_works_from_their_own_page_without_script(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    let bureau = app.organization("Yueyang Bureau", "owner@example.com").await;
    app.member(bureau, "viewer@example.com", app::auth::Role::Viewer).await;
    let owner = app.signed_in("owner@example.com").await;
    let viewer = app.signed_in("viewer@example.com").await;
    let event_id = programme(&app, &owner, "host-page-meetings", &[]).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let other = host(&app, &owner, event_id, "Wang Fang").await;
    let guests = register(&app, "host-page-meetings", 0, 3).await;
    let to_park = json::<i32>(ask(&app, &guests[0], park).await).await;
    let to_other = json::<i32>(ask(&app, &guests[1], other).await).await;
    let token = host_token(&app, &owner, event_id, park).await;
    let other_token = host_token(&app, &owner, event_id, other).await;
    let seen_by_viewer = programme_of(&app, &viewer, event_id).await;
    assert_eq!(seen_by_viewer.hosts.len(), 2);
    assert!(seen_by_viewer.host_links.is_empty(), "a link acts as the host: a viewer is not given it");

    let response =
        app.client.get(app.url(&format!("/h/{token}"))).header("accept-language", "en").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["referrer-policy"], "no-referrer", "the link never leaves in a Referer");
    let response_camera = response.headers()["permissions-policy"].to_str().unwrap().to_string();
    let page = response.text().await.unwrap();
    assert!(page.contains("Your meetings") && page.contains("Requests to answer"));
    assert!(page.contains("Investor 0") && !page.contains("Investor 1"), "only this host's requests");
    assert!(page.contains("<label for=\"check-in-code\""), "the code field has a label");
    assert!(page.contains("id=\"scan-camera\""), "a phone that reads QR codes scans with its camera");
    assert!(response_camera.starts_with("camera=(self)"), "the host's page may use the camera: {response_camera}");
    let forged = format!("{park}-{}", "0".repeat(32));
    assert_eq!(app.client.get(app.url(&format!("/h/{forged}"))).send().await.unwrap().status(), 404);

    // Another host's request cannot be answered from this page.
    let (park_req, other_req) = (to_park.to_string(), to_other.to_string());
    let foreign = [("token", token.as_str()), ("request_id", other_req.as_str()), ("answer", "accept")];
    assert_eq!(app.call(app::meetings::host::HostPageAnswer::PATH, &foreign).await.status(), 404);

    // Accepted into slot 3 (14:40 in Frankfurt), told back on the page.
    let accept = [("token", token.as_str()), ("request_id", park_req.as_str()), ("answer", "accept"), ("slot", "3")];
    let next = post_as_page(&app, app::meetings::host::HostPageAnswer::PATH, &accept).await;
    assert_eq!(next, format!("/h/{token}#meetings"));
    let page = app.html(&next, ("accept-language", "en")).await;
    assert!(page.contains("14:40–15:00 venue time") && page.contains("Table Table 1"), "the meeting is listed");
    assert_eq!(mine(&app, &guests[0]).await.meetings[0].status, app::domain::MeetingStatus::Accepted);

    // Their own zone: each meeting in their time too; an unknown zone is refused on the page.
    let zone = [("token", token.as_str()), ("time_zone", "Asia/Shanghai")];
    assert_eq!(
        post_as_page(&app, app::meetings::host::HostPageZone::PATH, &zone).await,
        format!("/h/{token}#meetings")
    );
    let page = app.html(&format!("/h/{token}"), ("accept-language", "en")).await;
    assert!(page.contains("(20:40 Your time)"), "12:40 UTC in Shanghai");
    let bad = [("token", token.as_str()), ("time_zone", "Mars/Olympus")];
    let next = post_as_page(&app, app::meetings::host::HostPageZone::PATH, &bad).await;
    assert!(next.starts_with(&format!("/h/{token}?__path=")), "{next}");
    assert!(app.html(&next, ("accept-language", "en")).await.contains("class=\"form-error\""));
    let kept: String = app.scalar(&format!("SELECT time_zone AS v FROM meeting_host WHERE id = {park}")).await;
    assert_eq!(kept, "Asia/Shanghai");

    // A guest open to meetings is listed and asked from the page.
    let opted = app.call(app::meetings::GuestOptIn::PATH, &[("token", &guests[2]), ("offer", "Batteries")]).await;
    assert!(opted.status().is_success() || opted.status().is_redirection());
    let page = app.html(&format!("/h/{token}"), ("accept-language", "en")).await;
    assert!(page.contains("Investor 2") && page.contains("Batteries"));
    let invited: i32 = app.scalar("SELECT id AS v FROM registration WHERE email = 'investor2@example.com'").await;
    let invited = invited.to_string();
    let ask_fields = [("token", token.as_str()), ("registration_id", invited.as_str()), ("must", "on")];
    let next = post_as_page(&app, app::meetings::host::HostPageRequest::PATH, &ask_fields).await;
    assert_eq!(next, format!("/h/{token}?asked=1#meetings"));
    let asked = mine(&app, &guests[2]).await.meetings;
    assert_eq!((asked.len(), asked[0].from_host, asked[0].host_name.as_str()), (1, true, "Li Ming"));
    // Asking again is refused, in words, on the host's page.
    let next = post_as_page(&app, app::meetings::host::HostPageRequest::PATH, &ask_fields).await;
    let page = app.html(&next, ("accept-language", "en")).await;
    assert!(page.contains("The two already have a request or a meeting."), "the refusal is said");

    // At the table: the guest's code marks the meeting held (for this host only).
    let code: String =
        app.scalar("SELECT check_in_code AS v FROM registration WHERE email = 'investor0@example.com'").await;
    let elsewhere =
        app.call(app::meetings::host::HostPageScan::PATH, &[("token", &other_token), ("code", &code)]).await;
    assert_eq!(elsewhere.status(), 409);
    assert_eq!(field_errors(elsewhere).await, [("code".to_string(), "no_meeting_here".to_string())]);
    let made_up = app.call(app::meetings::host::HostPageScan::PATH, &[("token", &token), ("code", "RS-NOPE")]).await;
    assert_eq!(made_up.status(), 409, "a host's page does not tell which codes exist");
    assert_eq!(field_errors(made_up).await, [("code".to_string(), "no_meeting_here".to_string())]);
    let foreign_mark = [("token", other_token.as_str()), ("request_id", park_req.as_str()), ("outcome", "missed")];
    assert_eq!(app.call(app::meetings::host::HostPageMark::PATH, &foreign_mark).await.status(), 404);
    let next = post_as_page(&app, app::meetings::host::HostPageScan::PATH, &[("token", &token), ("code", &code)]).await;
    assert_eq!(next, format!("/h/{token}?held={to_park}#meetings"));
    assert!(app.html(&next, ("accept-language", "en")).await.contains("Meeting recorded as held."));
    assert_eq!(mine(&app, &guests[0]).await.meetings[0].status, app::domain::MeetingStatus::Held);
    assert_eq!(app.count("lead_activity WHERE kind = 'meeting'").await, 1);

    // A new link: the old one is gone.
    let renewed = app
        .call_as(
            &owner,
            app::meetings::host::RenewHostLink::PATH,
            &[("event_id", &event_id.to_string()), ("host_id", &park.to_string())],
        )
        .await;
    assert_eq!(renewed.status(), 200);
    assert_eq!(app.client.get(app.url(&format!("/h/{token}"))).send().await.unwrap().status(), 404);
    let fresh = host_token(&app, &owner, event_id, park).await;
    assert_ne!(fresh, token);
    assert_eq!(app.client.get(app.url(&format!("/h/{fresh}"))).send().await.unwrap().status(), 200);
    assert_no_double_booking(&app).await;
}

/// The organizer moves proposals by hand before publishing, under the grid's rules (no
/// person or table twice in a slot, counting meetings and the other proposals), takes one
/// out, publishes, and prints one A4 sheet per table.
async fn the_organizer_adjusts_the_proposal_then_prints_a_sheet_per_table(backend: Backend) {
    let app = TestApp::builder(backend).registrations_per_minute(10_000).start().await;
    app.organization("Yueyang Bureau", "owner@example.com").await;
    app.organization("Other Bureau", "other@example.com").await;
    let owner = app.signed_in("owner@example.com").await;
    let other = app.signed_in("other@example.com").await;
    let event_id = programme(&app, &owner, "adjusted-meetings", &[]).await;
    let park = host(&app, &owner, event_id, "Li Ming").await;
    let id = event_id.to_string();
    let fields =
        [("event_id", id.as_str()), ("form[name]", "Wang Fang"), ("form[organization]", "Pingjiang <b>County</b>")];
    let county: i32 = json(app.call_as(&owner, app::meetings::SaveHost::PATH, &fields).await).await;
    let guests = register(&app, "adjusted-meetings", 0, 5).await;
    let mut requests = Vec::new();
    for token in &guests[..4] {
        requests.push(json::<i32>(ask(&app, token, park).await).await);
    }
    let to_county = json::<i32>(ask(&app, &guests[4], county).await).await;
    let report: app::meetings::ScheduleReport =
        json(app.call_as(&owner, app::meetings::ProposeSchedule::PATH, &[("event_id", &id)]).await).await;
    assert_eq!(report.like_placed, 5);
    let tables = programme_of(&app, &owner, event_id).await.tables;
    let proposal = |request: i32| {
        let (app, owner) = (&app, &owner);
        async move {
            let seen = programme_of(app, owner, event_id).await;
            seen.proposals.iter().find(|(r, ..)| *r == request).map(|(_, slot, table)| (*slot, *table))
        }
    };
    let adjust = |client: &Client, request: i32, slot: &str, table: Option<i32>| {
        let (app, client, event) = (&app, client.clone(), event_id.to_string());
        let (request, slot, table) =
            (request.to_string(), slot.to_string(), table.map(|t| t.to_string()).unwrap_or_default());
        async move {
            let fields = [("event_id", event.as_str()), ("request_id", &request), ("slot", &slot), ("table", &table)];
            app.call_as(&client, app::meetings::AdjustProposal::PATH, &fields).await
        }
    };
    let (b_slot, _) = proposal(requests[1]).await.unwrap();
    let before = proposal(requests[0]).await.unwrap();
    let host_busy = adjust(&owner, requests[0], &b_slot.to_string(), None).await;
    assert_eq!(host_busy.status(), 409, "Li Ming has another proposal there");
    assert_eq!(field_errors(host_busy).await, [("slot".to_string(), "slot_taken".to_string())]);
    let on_break = adjust(&owner, requests[0], "5", None).await;
    assert_eq!(field_errors(on_break).await, [("slot".to_string(), "slot_is_break".to_string())]);
    assert_eq!(adjust(&other, requests[0], "12", None).await.status(), 404, "another organization");
    assert_eq!(proposal(requests[0]).await.unwrap(), before, "nothing changed by a refusal");

    let moved = adjust(&owner, requests[0], "12", Some(tables[1].id)).await;
    assert_eq!(moved.status(), 200);
    assert_eq!(proposal(requests[0]).await, Some((12, tables[1].id)));
    let table_busy = adjust(&owner, to_county, "12", Some(tables[1].id)).await;
    assert_eq!(field_errors(table_busy).await, [("table".to_string(), "table_taken".to_string())]);
    assert_eq!(adjust(&owner, to_county, "12", None).await.status(), 200, "another table is free there");
    assert_eq!(proposal(to_county).await, Some((12, tables[0].id)));

    // A meeting booked by hand in slot 11 holds Li Ming there: a proposal cannot go there.
    let c_slot = proposal(requests[2]).await.unwrap().0;
    let taken_out = app
        .call_as(
            &owner,
            app::meetings::AdjustProposal::PATH,
            &[("event_id", id.as_str()), ("request_id", &requests[2].to_string()), ("take_out", "on")],
        )
        .await;
    assert_eq!(taken_out.status(), 200);
    assert_eq!(proposal(requests[2]).await, None);
    assert_eq!(
        answer(&app, &owner, event_id, requests[2], &[("answer", "accept"), ("slot", "11")]).await.status(),
        200
    );
    let seat_busy = adjust(&owner, requests[3], "11", None).await;
    assert_eq!(field_errors(seat_busy).await, [("slot".to_string(), "slot_taken".to_string())]);
    assert_eq!(adjust(&owner, requests[3], &c_slot.to_string(), None).await.status(), 200, "the slot it left is free");

    let published: app::meetings::ScheduleReport =
        json(app.call_as(&owner, app::meetings::PublishSchedule::PATH, &[("event_id", &id)]).await).await;
    assert_eq!((published.published, published.refused), (4, 0));
    let seen = programme_of(&app, &owner, event_id).await;
    let slot_of =
        |request: i32| seen.meetings.iter().find(|m| m.id == request).and_then(|m| m.slot.as_ref().map(|s| s.number));
    assert_eq!((slot_of(requests[0]), slot_of(to_county), slot_of(requests[2])), (Some(12), Some(12), Some(11)));
    assert_no_double_booking(&app).await;

    // One sheet per table: each slot of the day, the break, who meets, escaped.
    let sheets = owner.get(app.url(&format!("/admin/events/{event_id}/meetings/print"))).send().await.unwrap();
    assert_eq!(sheets.status(), 200);
    let sheets = sheets.text().await.unwrap();
    assert_eq!(sheets.matches("class=\"table-sheet\"").count(), 2);
    assert!(sheets.contains("Wang Fang · Pingjiang &lt;b&gt;County&lt;/b&gt;"), "a host's name is escaped");
    assert!(sheets.contains("Investor 0"));
    assert_eq!(sheets.matches("<tr class=\"break\"").count(), 2, "the break on each sheet");
    assert_eq!(
        other
            .get(app.url(&format!("/admin/events/{event_id}/meetings/print")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .matches("class=\"table-sheet\"")
            .count(),
        0
    );
}

on_both_databases!(
    accepts_through_two_processes_book_once,
    a_host_works_from_their_own_page_without_script,
    the_organizer_adjusts_the_proposal_then_prints_a_sheet_per_table,
    a_full_host_is_refused,
    the_auto_schedule_is_proposed_then_published,
    a_meeting_is_reminded_once_across_two_schedulers,
    a_meeting_held_at_the_table_is_written_into_the_lead,
    both_sides_get_the_meeting_in_their_calendar,
    a_guest_asks_from_the_private_page_without_script,
    a_guest_asks_the_host_accepts_and_both_see_the_meeting,
    two_hundred_accepts_at_once_book_a_person_and_a_table_once,
    requests_expire_and_are_capped_per_person,
    each_side_reaches_only_its_own_meetings,
);
