//! Several nodes on one PostgreSQL database, as deployed: `scripts/cluster.sh` starts three
//! web nodes (`server serve --no-workers`), two workers (`server worker`) and Debian's nginx
//! in front with deploy/nginx/roadshow.conf. These tests drive that topology over HTTP and
//! check that it behaves as one server: no overbooking, every email once, pages no more than
//! a second stale on any node, sessions and rate limits valid everywhere, a worker killed
//! mid-campaign costing nobody a second message, a rolling restart failing no request.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::Command,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use leptos::server_fn::ServerFn as _;
use reqwest::Client;

use crate::follow_ups::{THANKS, template};
use crate::registrations::{guest, published_event};
use crate::support::{Backend, PASSWORD, SmtpSink, TestApp, as_refs, client_builder};

/// One cluster at a time: each is eight processes, and PostgreSQL's 100 connections and the
/// machine's two cores are shared with the other tests.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A running cluster; `down` when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    nodes: [u16; 3],
    env: Vec<(&'static str, String)>,
}

impl Cluster {
    /// Starts the topology on `app`'s database, sending email to `sink`.
    fn up(app: &TestApp, sink: &SmtpSink, settings: &[(&'static str, &str)]) -> Cluster {
        let dir = tempfile::tempdir().expect("temp dir");
        // The web nodes serve no WASM to these tests: a site folder with a stylesheet does.
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        std::fs::write(site.join("pkg/roadshow.css"), "").unwrap();
        let port = SmtpSink::free_port();
        let nodes = [SmtpSink::free_port(), SmtpSink::free_port(), SmtpSink::free_port()];
        let mut env = vec![
            ("CLUSTER_DIR", dir.path().join("cluster").display().to_string()),
            ("DATABASE_URL", app.database_url.clone()),
            ("CLUSTER_PORT", port.to_string()),
            ("NODE_PORTS", nodes.map(|p| p.to_string()).join(" ")),
            ("WORKERS", "2".into()),
            ("SERVER_BIN", env!("CARGO_BIN_EXE_server").into()),
            ("SMTP_URL", SmtpSink::url(sink.port)),
            ("LEPTOS_SITE_ROOT", site.display().to_string()),
            ("ROADSHOW_DEMO_DATA", "off".into()),
            ("ROADSHOW_FOLLOW_UP_SECONDS", "1".into()),
            ("ROADSHOW_MAIL_LEASE_SECONDS", "10".into()),
            ("MAIL_FROM", "Hunan Investment Promotion Bureau <events@roadshow.test>".into()),
            ("RUST_LOG", "warn".into()),
            // Five processes of the cluster and the other tests share PostgreSQL's 100.
            ("ROADSHOW_DB_CONNECTIONS", "4".into()),
        ];
        env.extend(settings.iter().map(|(k, v)| (*k, v.to_string())));
        let cluster = Cluster { dir, port, nodes, env };
        cluster.run(&["up"]);
        cluster
    }

    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/cluster.sh")
    }

    /// Runs `scripts/cluster.sh args…`; a failure shows the processes' logs.
    fn run(&self, args: &[&str]) {
        let status = self.command(args).status().expect("scripts/cluster.sh");
        assert!(status.success(), "cluster.sh {args:?} failed:\n{}", self.logs());
    }

    /// `scripts/cluster.sh args…`, its output added to `script.log` in the cluster's folder.
    fn command(&self, args: &[&str]) -> Command {
        let folder = self.dir.path().join("cluster");
        std::fs::create_dir_all(&folder).expect("cluster folder");
        let log = std::fs::OpenOptions::new().create(true).append(true).open(folder.join("script.log")).unwrap();
        let mut command = Command::new(Self::script());
        command
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        command
    }

    /// The end of every process's log.
    fn logs(&self) -> String {
        let mut out = String::new();
        if let Ok(entries) = std::fs::read_dir(self.dir.path().join("cluster")) {
            for entry in entries.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".log")) {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                // Every warning, error and panic (not the backtraces), then the last lines.
                let notable = lines
                    .iter()
                    .filter(|l| ["panicked", "ERROR", "WARN", "error", "==>"].iter().any(|w| l.contains(w)))
                    .take(30);
                out += &format!("--- {}\n", entry.file_name().to_string_lossy());
                out.extend(notable.map(|l| format!("{l}\n")));
                out += "…\n";
                out.extend(lines[lines.len().saturating_sub(5)..].iter().map(|l| format!("{l}\n")));
            }
        }
        out
    }

    /// A path through nginx.
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A path on web node `n` (0-based), past nginx.
    fn node_url(&self, n: usize, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.nodes[n])
    }

    fn pid(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("cluster").join(format!("{name}.pid"))).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.command(&["down"]).status();
    }
}

/// The SMTP server the cluster sends to, and a server on a new PostgreSQL database with an
/// organization (its owner `owner@example.com`), running no workers: the cluster's deliver.
async fn bureau() -> (SmtpSink, TestApp) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(Backend::Postgres).without_workers().start().await;
    app.organization("Hunan Bureau", "owner@example.com").await;
    (sink, app)
}

fn new_client() -> Client {
    client_builder().build().expect("client")
}

async fn register(client: &Client, url: String, slug: &str, i: usize) -> Result<u16, String> {
    let fields = guest(slug, &format!("guest{i}@example.com"), &format!("Guest {i}"));
    let response = client.post(url).form(&as_refs(&fields)).send().await.map_err(|e| format!("{e}"))?;
    Ok(response.status().as_u16())
}

async fn page(client: &Client, url: String) -> String {
    let response = client.get(url).header("accept-language", "en").send().await.expect("page");
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

/// Waits until the page at `url` contains `text`; panics after `within`.
async fn shows_within(client: &Client, url: String, text: &str, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        if page(client, url.clone()).await.contains(text) {
            return start.elapsed();
        }
        assert!(start.elapsed() < within, "{url} does not show {text:?} after {within:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The value of header `name` (unfolded) in a raw message.
fn header(message: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(message);
    let head = text.split("\r\n\r\n").next().unwrap_or_default().replace("\r\n ", " ").replace("\r\n\t", " ");
    let prefix = format!("{}:", name.to_ascii_lowercase());
    head.lines()
        .find(|line| line.to_ascii_lowercase().starts_with(&prefix))
        .map(|line| line[prefix.len()..].trim().to_string())
        .unwrap_or_default()
}

/// The address in a `To` header (`Name <a@b>` or `a@b`).
fn address(to: &str) -> String {
    match (to.rfind('<'), to.rfind('>')) {
        (Some(open), Some(close)) if open < close => to[open + 1..close].to_string(),
        _ => to.to_string(),
    }
}

/// Each recipient's messages: how many arrived, and their distinct `Message-ID`s.
fn by_recipient(messages: &[Vec<u8>]) -> HashMap<String, (usize, Vec<String>)> {
    let mut seen: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    for message in messages {
        let entry = seen.entry(address(&header(message, "To"))).or_default();
        entry.0 += 1;
        let id = header(message, "Message-ID");
        if !entry.1.contains(&id) {
            entry.1.push(id);
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_and_two_workers_behave_as_one_server() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let (sink, app) = bureau().await;
    let slug = published_event(&app, "frankfurt-2027", 100, &[]).await;
    let small = published_event(&app, "nairobi-2027", 5, &[]).await;
    let cluster = Cluster::up(&app, &sink, &[("ROADSHOW_REGISTRATIONS_PER_MINUTE", "520")]);
    let client = new_client();

    // The shared limit counts in minutes of the database's clock: the 521 registrations
    // below fit in one (they take seconds), so the limit is exact for this test.
    let second: f64 = app.scalar("SELECT EXTRACT(SECOND FROM clock_timestamp())::float8 AS v").await;
    if second > 30.0 {
        tokio::time::sleep(Duration::from_secs_f64(60.5 - second)).await;
    }

    // 500 guests at once through nginx, spread over the three nodes: 100 seats, never more.
    let started = Instant::now();
    let requests = (0..500).map(|i| register(&client, cluster.url(app::registrations::Register::PATH), &slug, i));
    let statuses = futures::future::join_all(requests).await;
    let failed: Vec<_> = statuses.iter().filter(|s| **s != Ok(200)).collect();
    assert!(failed.is_empty(), "{} failed: {:?}\n{}", failed.len(), &failed[..failed.len().min(5)], cluster.logs());
    eprintln!("500 registrations over 3 nodes in {:?}", started.elapsed());
    assert_eq!(app.count("registration WHERE status = 'confirmed'").await, 100);
    assert_eq!(app.count("registration WHERE status = 'waitlisted'").await, 400);
    crate::registrations::assert_seat_counts_hold(&app).await;

    // A seat taken through node 1 shows on nodes 2 and 3 within a second, although both
    // kept the page: the database tells them.
    let small_page = |n: usize| cluster.node_url(n, &format!("/e/{small}"));
    for n in 0..3 {
        assert!(page(&client, small_page(n)).await.contains("5 seats left"));
    }
    let taken = register(&client, cluster.node_url(0, app::registrations::Register::PATH), &small, 9000).await;
    assert_eq!(taken, Ok(200));
    for n in 1..3 {
        let after = shows_within(&client, small_page(n), "4 seats left", Duration::from_secs(1)).await;
        eprintln!("node {}: the seat shown after {after:?}", n + 1);
    }

    // The rate limit per client address holds across the nodes: 501 registrations came from
    // 127.0.0.1 (nginx's X-Forwarded-For, or the address itself); 19 more pass, wherever they
    // go, and then every node refuses (each node alone has seen about a third).
    for i in 0..19 {
        let passed =
            register(&client, cluster.node_url(i % 3, app::registrations::Register::PATH), &slug, 1000 + i).await;
        assert_eq!(passed, Ok(200), "registration {} of 520", 502 + i);
    }
    for n in 0..3 {
        let refused = register(&client, cluster.node_url(n, app::registrations::Register::PATH), &slug, 2000 + n).await;
        assert_eq!(refused, Ok(429), "node {}", n + 1);
    }
    let through_nginx = register(&client, cluster.url(app::registrations::Register::PATH), &slug, 3000).await;
    assert_eq!(through_nginx, Ok(429));

    // Every node says the big event is full (each kept the page before, or not).
    for n in 0..3 {
        let url = cluster.node_url(n, &format!("/e/{slug}"));
        shows_within(&client, url, "Full: registering now puts you on the waitlist.", Duration::from_secs(1)).await;
    }

    // Sessions: signed in through nginx, the organizer is signed in on every node.
    let owner = client_builder().cookie_store(true).build().unwrap();
    let login = owner
        .post(cluster.url(app::auth::Login::PATH))
        .form(&[("form[email]", "owner@example.com"), ("form[password]", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    for n in 0..3 {
        let me = owner.post(cluster.node_url(n, app::auth::CurrentMember::PATH)).send().await.unwrap();
        assert_eq!(me.status(), 200, "node {}", n + 1);
        assert!(me.text().await.unwrap().contains("owner@example.com"), "node {}", n + 1);
    }

    // The event cancelled through node 1: nodes 2 and 3 stop offering the form within a second.
    let small_id = app.event_id(&small).await.to_string();
    let fields = [("id", small_id.as_str()), ("status", "cancelled")];
    let cancelled = owner.post(cluster.node_url(0, app::events::SetEventStatus::PATH)).form(&fields).send().await;
    assert_eq!(cancelled.unwrap().status(), 200);
    for n in 1..3 {
        shows_within(&client, small_page(n), "This event has been cancelled.", Duration::from_secs(1)).await;
        assert!(!page(&client, small_page(n)).await.contains("name=\"form[email]\""), "node {}", n + 1);
    }

    // Every guest got exactly one email from whichever worker took it (the guest of the
    // cancelled event a second one: its cancellation).
    sink.wait_for(521).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen = by_recipient(&sink.messages());
    assert_eq!(seen.len(), 520, "recipients");
    for (to, (n, ids)) in &seen {
        let expected = if to == "guest9000@example.com" { 2 } else { 1 };
        assert_eq!((*n, ids.len()), (expected, expected), "{to}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_killed_mid_campaign_leaves_its_claims_and_sends_nothing_twice() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let (sink, app) = bureau().await;
    let owner = app.signed_in("owner@example.com").await;
    const LEADS: usize = 600;
    for chunk in (0..LEADS).collect::<Vec<_>>().chunks(50) {
        let captures = chunk.iter().map(|i| {
            let (name, email) = (format!("Investor {i}"), format!("investor{i}@example.com"));
            let owner = owner.clone();
            let url = app.url(app::leads::CaptureLead::PATH);
            async move {
                let fields = [("form[name]", name.as_str()), ("form[email]", email.as_str()), ("form[tags]", "vip")];
                owner.post(url).form(&fields).send().await.unwrap().status()
            }
        });
        assert!(futures::future::join_all(captures).await.iter().all(|s| *s == 200));
    }
    let thanks = template(&app, &owner, &THANKS).await.json::<i32>().await.unwrap().to_string();
    let cluster = Cluster::up(&app, &sink, &[]);

    // Sent now: the workers' scheduler writes the 600 emails to the outbox, both workers
    // deliver; the first is killed (SIGKILL) with a fifth of them delivered.
    let form = [
        ("form[name]", "Spring invitation"),
        ("form[template_id]", thanks.as_str()),
        ("form[filter][tag]", "vip"),
        ("form[send_at_local]", ""),
        ("form[time_zone]", "Asia/Shanghai"),
    ];
    let created = app.call_as(&owner, app::campaigns::CreateCampaign::PATH, &form).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.messages().len() < LEADS / 5 {
        assert!(Instant::now() < deadline, "{} messages after 60 s\n{}", sink.messages().len(), cluster.logs());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let claimed_by_the_killed: i64 = {
        let pid = cluster.pid("worker-1");
        cluster.run(&["kill", "worker", "1"]);
        assert!(!pid.is_empty());
        app.count("outbox_message WHERE status = 'sending'").await
    };
    eprintln!("killed worker 1 at {} messages delivered; {claimed_by_the_killed} claims open", sink.messages().len());

    // Worker 2 takes the dead worker's claims once their lease (10 s here) runs out.
    let deadline = Instant::now() + Duration::from_secs(90);
    while app.count("outbox_message WHERE status = 'sent'").await < LEADS as i64 {
        assert!(Instant::now() < deadline, "not every message sent after 90 s\n{}", cluster.logs());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let messages = sink.messages();
    let seen = by_recipient(&messages);
    assert_eq!(seen.len(), LEADS, "every investor got the invitation");
    // Nobody got two different messages. What the killed worker had on the wire when it
    // died (accepted by the SMTP server, not yet recorded) can only arrive again as the same
    // message, with the same Message-ID, which mail systems drop.
    let distinct: Vec<_> = seen.iter().filter(|(_, (_, ids))| ids.len() != 1).collect();
    assert!(distinct.is_empty(), "{:?}", &distinct[..distinct.len().min(3)]);
    let copies = messages.len() - LEADS;
    eprintln!("{} messages for {LEADS} investors: {copies} copies of a message in flight at the kill", messages.len());
    assert!(copies <= 16, "{copies} copies: more than the messages one worker has on the wire at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rolling_restart_under_load_fails_no_request() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let (sink, app) = bureau().await;
    let slug = published_event(&app, "shenzhen-2027", 100_000, &[]).await;
    let cluster = Cluster::up(&app, &sink, &[("ROADSHOW_REGISTRATIONS_PER_MINUTE", "100000000")]);
    let before: Vec<String> = cluster.nodes.iter().map(|p| cluster.pid(&format!("node-{p}"))).collect();

    // Eight clients read the event's page and register, without pause, through nginx, while
    // the nodes are restarted one by one (taken out of nginx's rotation with a graceful
    // reload, SIGTERM, started, ready, put back).
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let load: Vec<_> = (0..8)
        .map(|_| {
            let (stop, done, next) = (stop.clone(), done.clone(), next.clone());
            let (page_url, register_url) =
                (cluster.url(&format!("/e/{slug}")), cluster.url(app::registrations::Register::PATH));
            let slug = slug.clone();
            tokio::spawn(async move {
                // A connection per request: nginx 1.22 (Debian's) closes an idle kept-alive
                // client connection when a reload retires its worker, and a request sent on
                // it at that instant gets no answer. Browsers send such a request again
                // (Chromium and Firefox resend on a reused connection closed before any
                // response); nginx 1.27.4's keepalive_min_timeout removes the case.
                let client = client_builder().pool_max_idle_per_host(0).build().unwrap();
                let mut failures = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    match client.get(&page_url).send().await {
                        Ok(r) if r.status() == 200 => {}
                        Ok(r) => failures.push(format!("GET {}", r.status())),
                        Err(e) => failures.push(format!("GET {e}")),
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    match register(&client, register_url.clone(), &slug, i).await {
                        Ok(200) => {}
                        other => failures.push(format!("POST {other:?}")),
                    }
                    done.fetch_add(2, Ordering::Relaxed);
                }
                failures
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let restarting = Instant::now();
    let mut restart = cluster.command(&["restart"]);
    let restarted = tokio::task::spawn_blocking(move || restart.status().expect("cluster.sh restart")).await.unwrap();
    assert!(restarted.success(), "restart failed\n{}", cluster.logs());
    let took = restarting.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    let mut failures = Vec::new();
    for task in load {
        failures.extend(task.await.unwrap());
    }
    let requests = done.load(Ordering::Relaxed);
    eprintln!("rolling restart of 3 nodes in {took:?} under load: {requests} requests, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {requests} failed: {:?}\n{}",
        failures.len(),
        &failures[..failures.len().min(5)],
        cluster.logs()
    );
    assert!(requests > 100, "only {requests} requests: the load did not run");

    // Every node is a new process, ready; every registration that was answered is there.
    let after: Vec<String> = cluster.nodes.iter().map(|p| cluster.pid(&format!("node-{p}"))).collect();
    for n in 0..3 {
        assert_ne!(before[n], after[n], "node {} was not restarted", n + 1);
        let ready = new_client().get(cluster.node_url(n, "/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), 200);
    }
    let answered = next.load(Ordering::Relaxed) as i64;
    assert_eq!(app.count("registration").await, answered);
}
