//! The deployable binary as an operator runs it: its commands and their help, `migrate`
//! and `check` on both databases, `serve` started alone on a fresh folder (finding its site
//! beside itself, health and readiness, stopping on SIGTERM), a `worker` stopped while
//! sending (what it has not sent goes back, nobody gets two copies), and SMTP over TLS
//! with the certificate verified.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use app::mail::{
    compose::Composed,
    ssr::{MailSettings, NewMessage, enqueue},
};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretSlice;

use crate::support::{Backend, SmtpSink, empty_database};

/// The binary with nothing of this test process's environment.
fn server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env_clear().env("RUST_LOG", "warn");
    command
}

fn run(command: &mut Command) -> (bool, String) {
    let Output { status, stdout, stderr } = command.output().expect("run the server binary");
    (status.success(), format!("{}{}", String::from_utf8_lossy(&stdout), String::from_utf8_lossy(&stderr)))
}

/// A site folder as the build leaves it, with a stylesheet the test recognizes.
fn site_in(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/roadshow.css"), "body{color:#123456}").unwrap();
    site
}

fn terminate(child: &Child) {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
}

/// Waits for the child to exit (at most `limit`); its exit status and output.
fn wait_exit(mut child: Child, limit: Duration) -> (bool, String) {
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not stop within {limit:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    (
        output.status.success(),
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)),
    )
}

#[test]
fn commands_print_their_help_and_refuse_what_they_do_not_know() {
    let (ok, out) = run(server().arg("--help"));
    assert!(ok, "{out}");
    for command in ["serve", "migrate", "worker", "check"] {
        assert!(out.contains(&format!("\n  {command} ")), "--help lists {command}: {out}");
        let (ok, help) = run(server().args([command, "--help"]));
        assert!(ok && help.contains(&format!("Usage: server {command}")), "{command} --help: {help}");
    }
    let (ok, out) = run(server().arg("--version"));
    assert!(ok && out.starts_with("server "), "{out}");
    let (ok, out) = run(server().arg("deploy"));
    assert!(!ok && out.contains("unknown command deploy"), "{out}");
    let (ok, out) = run(server().args(["serve", "--addr", "nowhere"]));
    assert!(!ok && out.contains("--addr nowhere"), "{out}");
}

async fn migrate_and_check(backend: Backend) {
    let database = empty_database(backend).await;
    let (ok, out) = run(server().args(["migrate"]).env("DATABASE_URL", &database.url));
    assert!(ok, "{out}");
    let applied: usize = out.split_whitespace().next().and_then(|n| n.parse().ok()).expect(&out);
    assert!(applied > 10 && out.contains("migrations applied"), "{out}");
    let (ok, out) = run(server().args(["migrate"]).env("DATABASE_URL", &database.url));
    assert!(ok && out.starts_with("0 migrations applied"), "a second run applies nothing: {out}");

    let dir = tempfile::tempdir().unwrap();
    let site = site_in(dir.path());
    let sink = SmtpSink::start();
    let check = |smtp: String| {
        let mut command = server();
        command
            .arg("check")
            .env("DATABASE_URL", &database.url)
            .env("LEPTOS_SITE_ROOT", &site)
            .env("SMTP_URL", smtp)
            .current_dir(dir.path());
        run(&mut command)
    };
    let (ok, out) = check(SmtpSink::url(sink.port));
    assert!(ok, "{out}");
    for line in
        ["ok    configuration", "ok    site files", "ok    database", "ok    schema", "ok    email: SMTP 127.0.0.1"]
    {
        assert!(out.contains(line), "{line}: {out}");
    }
    let (ok, out) = check(SmtpSink::url(SmtpSink::free_port()));
    assert!(!ok && out.contains("FAIL  email"), "SMTP down fails the check: {out}");

    let unreachable = match backend {
        Backend::Sqlite => "sqlite:///nonexistent-folder/roadshow.db".to_string(),
        Backend::Postgres => "postgres://postgres@127.0.0.1:5432/no_such_database_here".to_string(),
    };
    let (ok, out) = run(server().arg("check").env("DATABASE_URL", unreachable).env("LEPTOS_SITE_ROOT", &site));
    assert!(!ok && out.contains("FAIL  database"), "{out}");
    let (ok, out) =
        run(server().arg("check").env("DATABASE_URL", &database.url).env("LEPTOS_SITE_ROOT", dir.path().join("none")));
    assert!(!ok && out.contains("FAIL  site files"), "{out}");
}

/// Started with no configuration at all from an empty folder, a copy of the binary with
/// its `site/` beside it serves the site's files, creates its database there, says it is
/// ready, and stops cleanly on SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_alone_finds_its_site_beside_it_and_stops_on_sigterm() {
    // Under the target folder, so the copy is a hard link on the same file system.
    let root = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let (opt, work) = (root.path().join("opt"), root.path().join("work"));
    std::fs::create_dir_all(&opt).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let binary = opt.join("server");
    std::fs::hard_link(env!("CARGO_BIN_EXE_server"), &binary)
        .or_else(|_| std::fs::copy(env!("CARGO_BIN_EXE_server"), &binary).map(|_| ()))
        .unwrap();
    site_in(&opt);
    let port = SmtpSink::free_port();
    let child = Command::new(&binary)
        .env_clear()
        .env("RUST_LOG", "info")
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .current_dir(&work)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start within 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
    let css = client.get(format!("{base}/pkg/roadshow.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(
        css.text().await.unwrap(),
        "body{color:#123456}",
        "the stylesheet comes from the site beside the binary"
    );
    let home = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    assert!(home.text().await.unwrap().contains("/pkg/roadshow.css"), "the page links the stylesheet");
    assert!(work.join("roadshow.db").is_file(), "the database is created in the working folder");

    terminate(&child);
    let (ok, out) = tokio::task::spawn_blocking(move || wait_exit(child, Duration::from_secs(30))).await.unwrap();
    assert!(ok, "exit status after SIGTERM: {out}");
    assert!(out.contains("stopped"), "{out}");
}

async fn ten_slow_messages(db: &sea_orm::DatabaseConnection) {
    let settings = MailSettings {
        public_url: "https://roadshow.example".into(),
        from_name: "Bureau".into(),
        from_email: "events@roadshow.example".into(),
        signing_key: SecretSlice::from(vec![7u8; 32]),
    };
    for i in 0..10 {
        let message = NewMessage {
            organization_id: None,
            registration_id: None,
            kind: app::domain::MessageKind::Confirmation,
            to_address: format!("guest-{i}-slow-3@example.com"),
            to_name: format!("Guest {i}"),
            composed: Composed {
                subject: "Your seat".into(),
                text: "Confirmed.".into(),
                html: "<p>Confirmed.</p>".into(),
                calendar: None,
            },
        };
        enqueue(db, &settings, message, chrono::Utc::now()).await.unwrap();
    }
}

async fn statuses(db: &sea_orm::DatabaseConnection) -> Vec<(String, i32, bool)> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT status, attempts, claim_token IS NULL AS unclaimed FROM outbox_message ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            let unclaimed =
                r.try_get::<bool>("", "unclaimed").or_else(|_| r.try_get::<i32>("", "unclaimed").map(|n| n != 0));
            (r.try_get("", "status").unwrap(), r.try_get("", "attempts").unwrap(), unclaimed.unwrap())
        })
        .collect()
}

fn worker(url: &str, smtp: &str, concurrency: usize) -> Child {
    server()
        .env("RUST_LOG", "info")
        .arg("worker")
        .env("DATABASE_URL", url)
        .env("SMTP_URL", smtp)
        .env("ROADSHOW_MAIL_CONCURRENCY", concurrency.to_string())
        .env("ROADSHOW_DEMO_DATA", "off")
        .env("ROADSHOW_FOLLOW_UP_SECONDS", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A worker sending two of ten claimed messages (each takes the SMTP server 3 s) is
/// stopped: the two finish, the eight it never started are given back at once, and a
/// second worker sends exactly those.
async fn a_stopped_worker_gives_back_what_it_has_not_sent(backend: Backend) {
    let database = empty_database(backend).await;
    let (ok, out) = run(server().arg("migrate").env("DATABASE_URL", &database.url));
    assert!(ok, "{out}");
    let db = app::db::connect(&database.url).await.unwrap();
    ten_slow_messages(&db).await;
    let sink = SmtpSink::start();
    let first = worker(&database.url, &SmtpSink::url(sink.port), 2);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !statuses(&db).await.iter().any(|(status, _, _)| status == "sending") {
        assert!(Instant::now() < deadline, "the worker claimed nothing");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    terminate(&first);
    let (ok, out) = tokio::task::spawn_blocking(move || wait_exit(first, Duration::from_secs(30))).await.unwrap();
    assert!(ok, "{out}");
    assert!(out.contains("given back"), "{out}");
    let after = statuses(&db).await;
    let sent = after.iter().filter(|(status, _, _)| status == "sent").count();
    assert_eq!(sent, 2, "the two in flight finished: {after:?}");
    assert_eq!(
        after.iter().filter(|(status, attempts, unclaimed)| status == "queued" && *attempts == 0 && *unclaimed).count(),
        8,
        "the eight never started are queued again, unclaimed: {after:?}"
    );
    assert_eq!(sink.messages().len(), 2);

    let second = worker(&database.url, &SmtpSink::url(sink.port), 16);
    let received = sink.wait_for(10).await;
    terminate(&second);
    let (ok, out) = tokio::task::spawn_blocking(move || wait_exit(second, Duration::from_secs(30))).await.unwrap();
    assert!(ok, "{out}");
    let mut recipients: Vec<String> = received
        .iter()
        .map(|raw| {
            let text = String::from_utf8_lossy(raw);
            text.lines().find_map(|l| l.strip_prefix("To: ")).unwrap_or_default().to_string()
        })
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 10, "each of the ten got exactly one copy: {recipients:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sink.messages().len(), 10);
}

on_both_databases!(migrate_and_check, a_stopped_worker_gives_back_what_it_has_not_sent);

/// A private CA and a certificate for 127.0.0.1 signed by it (PEM files in `dir`).
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Roadshow test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
    (dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key"))
}

fn message() -> lettre::Message {
    lettre::Message::builder()
        .from("Bureau <events@roadshow.example>".parse().unwrap())
        .to("Guest <guest@example.com>".parse().unwrap())
        .subject("TLS")
        .body("Sent over TLS.".to_string())
        .unwrap()
}

/// STARTTLS (required) and TLS from the first byte: a server whose certificate is not
/// trusted gets nothing; trusted through SMTP_CA_FILE's CA, it gets the message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_over_tls_verifies_the_servers_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(dir.path());
    let ca = std::fs::read(ca).unwrap();
    for (implicit, url) in [(false, "smtp://127.0.0.1:{port}?tls=required"), (true, "smtps://127.0.0.1:{port}")] {
        let sink = SmtpSink::start_tls(&cert, &key, implicit);
        let url = url.replace("{port}", &sink.port.to_string());
        let untrusted = server::smtp::Smtp::from_url(&url, 2, None).unwrap();
        let refused = untrusted.send(&message()).await;
        assert!(refused.is_err(), "{url}: an untrusted certificate must be refused");
        let trusted = server::smtp::Smtp::from_url(&url, 2, Some(&ca)).unwrap();
        trusted.send(&message()).await.unwrap_or_else(|e| panic!("{url}: {e}"));
        trusted.send(&message()).await.unwrap_or_else(|e| panic!("{url}, on the pooled connection: {e}"));
        let received = sink.wait_for(2).await;
        assert_eq!(received.len(), 2, "{url}");
    }
}

/// `deploy/`'s systemd units pass `systemd-analyze verify` without a warning (pointed at
/// this build's binary) and its nginx site passes `nginx -t`.
#[test]
fn the_deployment_files_are_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    let mut units = Vec::new();
    for (file, instance) in
        [("roadshow@.service", "roadshow@3001.service"), ("roadshow-worker.service", "roadshow-worker.service")]
    {
        let text = std::fs::read_to_string(root.join("deploy/systemd").join(file)).unwrap();
        assert!(text.contains("ExecStart=/opt/roadshow/server "), "{file} starts the installed binary");
        let path = dir.path().join(instance);
        std::fs::write(&path, text.replace("/opt/roadshow/server", env!("CARGO_BIN_EXE_server"))).unwrap();
        units.push(path);
    }
    let out = Command::new("systemd-analyze").arg("verify").args(&units).output().expect("systemd-analyze (systemd)");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.trim().is_empty(), "systemd-analyze verify: {said}");

    let site = root.join("deploy/nginx/roadshow.conf").canonicalize().unwrap();
    let main = dir.path().join("nginx.conf");
    std::fs::write(
        &main,
        format!(
            "pid {0}/nginx.pid;\nerror_log {0}/error.log;\nevents {{}}\nhttp {{\n  access_log off;\n  include {1};\n}}\n",
            dir.path().display(),
            site.display()
        ),
    )
    .unwrap();
    let out = Command::new("nginx")
        .args(["-t", "-p"])
        .arg(dir.path())
        .arg("-c")
        .arg(&main)
        .output()
        .expect("nginx (Debian's package; scripts/setup.sh --browser installs it)");
    assert!(out.status.success(), "nginx -t: {}", String::from_utf8_lossy(&out.stderr));
}
