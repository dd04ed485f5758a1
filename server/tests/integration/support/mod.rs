//! Test harness: starts the real server on port 0 against a fresh database (a new
//! SQLite file, or a new PostgreSQL database named by a UUID) and talks HTTP to it.
#![allow(dead_code)]

use std::{net::SocketAddr, time::Duration};

use app::auth::{Role, ValidAccount};
use app::domain::Email;
use app::state::{Config, MailConfig};
use leptos::prelude::LeptosOptions;
use leptos::server_fn::ServerFn as _;
use reqwest::{Client, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use secrecy::SecretString;

pub const SETUP_TOKEN: &str = "test-setup-token";
pub const PASSWORD: &str = "correct horse battery";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub db: DatabaseConnection,
    pub backend: Backend,
    /// Where messages go when the app has no SMTP server.
    pub mail_dir: std::path::PathBuf,
    /// What the server writes emails with (for driving the follow-up scheduler).
    pub mail: std::sync::Arc<app::mail::ssr::MailSettings>,
    /// For a second connection, as another server process would have.
    pub database_url: String,
    _dir: tempfile::TempDir,
    _database: Option<TestDatabase>,
}

/// Runs one test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$name($crate::support::Backend::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$name($crate::support::Backend::Postgres).await }
        }
    )*};
}

/// A PostgreSQL database made for one test, dropped when the test's app is.
struct TestDatabase {
    server: String,
    name: String,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // The test's runtime is ending with it: drop on a thread with a runtime of its own.
        // `FORCE` closes what the server under test still holds open.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            // Bounded: a drop that cannot finish leaves a database behind, not a hung run.
            runtime.block_on(async {
                tokio::time::timeout(Duration::from_secs(30), async {
                    let admin = Database::connect(format!("{server}/test")).await?;
                    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
                    admin.close().await
                })
                .await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(Ok(())))) {
            eprintln!("test database {} was not dropped: {dropped:?}", self.name);
        }
    }
}

async fn database_url_of(backend: Backend, dir: &tempfile::TempDir) -> (String, Option<TestDatabase>) {
    match backend {
        Backend::Sqlite => (format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()), None),
        Backend::Postgres => {
            let server =
                std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            let admin = Database::connect(format!("{server}/test"))
                .await
                .expect("PostgreSQL on 127.0.0.1:5432 (set TEST_POSTGRES_URL)");
            let name = format!("roadshow_test_{}", uuid::Uuid::new_v4().simple());
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            admin.close().await.expect("close");
            (format!("{server}/{name}"), Some(TestDatabase { server, name }))
        }
    }
}

/// A new database of `backend`, not migrated: for the tests of the migrations themselves.
pub struct EmptyDatabase {
    pub url: String,
    _dir: tempfile::TempDir,
    _database: Option<TestDatabase>,
}

pub async fn empty_database(backend: Backend) -> EmptyDatabase {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, database) = database_url_of(backend, &dir).await;
    EmptyDatabase { url, _dir: dir, _database: database }
}

/// How a test's server is set up: `TestApp::builder(backend)`, then what differs from an
/// empty database, generous limits and email written to files.
pub struct TestAppBuilder {
    backend: Backend,
    demo_data: bool,
    registrations_per_minute: usize,
    api_requests_per_minute: usize,
    prepare_site: Box<dyn FnOnce(&std::path::Path)>,
    smtp_url: Option<String>,
    dkim: Option<app::state::DkimKey>,
    database_url: Option<String>,
    workers: bool,
}

impl TestAppBuilder {
    /// No mail worker or schedulers in this process (as `serve --no-workers`): other
    /// processes on the database deliver.
    pub fn without_workers(mut self) -> Self {
        self.workers = false;
        self
    }

    /// A second server process on `other`'s database (as several nodes of one deployment).
    pub fn same_database_as(mut self, other: &TestApp) -> Self {
        self.database_url = Some(other.database_url.clone());
        self
    }

    /// Loads the 2023 demo roadshow.
    pub fn demo_data(mut self) -> Self {
        self.demo_data = true;
        self
    }

    /// Public registrations accepted per client address and minute.
    pub fn api_requests_per_minute(mut self, n: usize) -> Self {
        self.api_requests_per_minute = n;
        self
    }

    pub fn registrations_per_minute(mut self, n: usize) -> Self {
        self.registrations_per_minute = n;
        self
    }

    /// Puts files into the site folder before the server starts.
    pub fn site(mut self, prepare: impl FnOnce(&std::path::Path) + 'static) -> Self {
        self.prepare_site = Box::new(prepare);
        self
    }

    /// Sends email to the SMTP server at `url`, retrying quickly.
    pub fn smtp(mut self, url: &str) -> Self {
        self.smtp_url = Some(url.to_string());
        self
    }

    /// Signs every message with DKIM.
    pub fn dkim(mut self, key: app::state::DkimKey) -> Self {
        self.dkim = Some(key);
        self
    }

    pub async fn start(self) -> TestApp {
        let TestAppBuilder {
            backend,
            demo_data,
            registrations_per_minute,
            api_requests_per_minute,
            prepare_site,
            smtp_url,
            dkim,
            database_url,
            workers,
        } = self;
        let dir = tempfile::tempdir().expect("temp dir");
        let mail_dir = dir.path().join("mail");
        // The links in emails must point at this server: bind first, then configure.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        prepare_site(dir.path());
        // As a release build has it: hashed asset names, listed in an (absolute) hash file.
        let hash_file = dir.path().join("hash.txt");
        std::fs::write(&hash_file, "js: abc123\nwasm: abc123\ncss: abc123\n").expect("hash file");
        let (database_url, database) = match database_url {
            Some(shared) => (shared, None),
            None => database_url_of(backend, &dir).await,
        };
        let config = Config {
            database_url: database_url.clone(),
            db_connections: None,
            demo_data,
            secure_cookies: false,
            trusted_proxies: vec![],
            registrations_per_minute,
            api_requests_per_minute,
            webhooks: app::state::WebhookConfig {
                retries: vec![Duration::from_millis(300); 2],
                timeout: Duration::from_millis(1500),
                every: Duration::from_millis(100),
            },
            public_url: format!("http://{addr}"),
            secret_key: None,
            mail: MailConfig {
                smtp_url: smtp_url.map(SecretString::from),
                smtp_ca_file: None,
                folder: mail_dir.clone(),
                from_name: "Hunan Investment Promotion Bureau".into(),
                from_email: "events@roadshow.test".into(),
                retry_base: Duration::from_millis(200),
                max_attempts: 8,
                concurrency: 4,
                lease: Duration::from_secs(120),
                dkim,
            },
            follow_up_every: None,
            files_dir: dir.path().join("files"),
            workers,
        };
        let options = LeptosOptions::builder()
            .output_name("roadshow")
            .site_root(dir.path().display().to_string())
            .hash_files(true)
            .hash_file(std::sync::Arc::from(hash_file.display().to_string()))
            .build();
        let (router, state) =
            server::build(config, options, SecretString::from(SETUP_TOKEN)).await.expect("server builds");
        tokio::spawn(server::serve(listener, router));
        TestApp {
            base: format!("http://{addr}"),
            client: new_client(),
            db: state.db,
            backend,
            mail_dir,
            mail: state.mail,
            database_url,
            _dir: dir,
            _database: database,
        }
    }
}

impl TestApp {
    pub fn builder(backend: Backend) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            demo_data: false,
            registrations_per_minute: 100_000,
            api_requests_per_minute: 100_000,
            prepare_site: Box::new(|_| {}),
            smtp_url: None,
            dkim: None,
            database_url: None,
            workers: true,
        }
    }

    /// A server with an empty database (no demo data).
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::builder(backend).start().await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Posts URL-encoded fields to a server function, as a hydrated page does: `path` is the
    /// generated struct's (`app::events::CreateEvent::PATH`), never a string of the test's.
    pub async fn call(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.call_as(&self.client, path, fields).await
    }

    pub async fn call_as(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        client.post(self.url(path)).form(fields).send().await.expect("request")
    }

    /// A page's HTML as a browser sending `header` would get it.
    pub async fn html(&self, path: &str, header: (&str, &str)) -> String {
        let response = self.client.get(self.url(path)).header(header.0, header.1).send().await.expect("request");
        response.text().await.expect("body")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// A new browser-like client with its own cookie jar, signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> Client {
        let client = new_client();
        let response = self
            .call_as(&client, app::auth::Login::PATH, &[("form[email]", email), ("form[password]", PASSWORD)])
            .await;
        assert_eq!(response.status(), 200, "login of {email}: {}", response.text().await.unwrap_or_default());
        client
    }

    /// An organization with an owner; returns the organization's id.
    pub async fn organization(&self, name: &str, owner_email: &str) -> i32 {
        let (_, org_id) =
            app::auth::ssr::create_organization_with_owner(&self.db, name, "Owner", owner_email, PASSWORD)
                .await
                .expect("organization");
        org_id
    }

    pub async fn member(&self, org_id: i32, email: &str, role: Role) {
        let account = ValidAccount {
            name: email.into(),
            email: Email::parse(email).expect("email"),
            password: PASSWORD.into(),
            organization: String::new(),
            role,
        };
        app::auth::ssr::add_member(&self.db, org_id, account).await.expect("member");
    }

    /// Waits until `query` (a `COUNT(*)` over `table…`) reaches `n`, for at most 20 s.
    pub async fn eventually_count(&self, table: &str, n: i64) {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let now = self.count(table).await;
            if now == n {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "{table}: {now}, expected {n}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The `.eml` files the app wrote without SMTP, in order.
    pub fn mail_files(&self) -> Vec<Vec<u8>> {
        files_in(&self.mail_dir)
    }

    /// The one value `sql` selects (as `v`), e.g. `SELECT id AS v FROM event WHERE …`.
    pub async fn scalar<T: sea_orm::TryGetable>(&self, sql: &str) -> T {
        let statement = sea_orm::Statement::from_string(self.db.get_database_backend(), sql.to_string());
        let row = self.db.query_one_raw(statement).await.expect(sql).unwrap_or_else(|| panic!("no row: {sql}"));
        row.try_get::<T>("", "v").expect(sql)
    }

    pub async fn event_id(&self, slug: &str) -> i32 {
        self.scalar(&format!("SELECT id AS v FROM event WHERE slug = '{slug}'")).await
    }

    pub async fn execute(&self, sql: &str) {
        self.db.execute_unprepared(sql).await.expect(sql);
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT COUNT(*) AS v FROM {table}")).await
    }
}

fn files_in(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> =
        std::fs::read_dir(dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).expect("read message")).collect()
}

/// A real SMTP server (aiosmtpd, from `scripts/smtp_sink.py`) storing what it accepts.
/// Addresses containing `reject550` are refused with 550; `defer451-N` gets N × 451 first.
pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl SmtpSink {
    /// A port nothing listens on yet (for "SMTP is down" and then to start on).
    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
    }

    pub fn start() -> SmtpSink {
        Self::start_on(Self::free_port())
    }

    pub fn start_on(port: u16) -> SmtpSink {
        Self::start_with(port, &[])
    }

    /// A sink speaking TLS with `cert`/`key` (PEM files): STARTTLS required, or TLS from the
    /// first byte when `implicit`.
    pub fn start_tls(cert: &std::path::Path, key: &std::path::Path, implicit: bool) -> SmtpSink {
        let mut args =
            vec!["--cert".to_string(), cert.display().to_string(), "--key".into(), key.display().to_string()];
        if implicit {
            args.push("--implicit-tls".into());
        }
        Self::start_with(Self::free_port(), &args)
    }

    fn start_with(port: u16, extra: &[String]) -> SmtpSink {
        use std::io::BufRead;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = root.join(".tools/smtp-venv/bin/python");
        assert!(python.exists(), "{} missing: run scripts/setup.sh", python.display());
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = std::process::Command::new(python)
            .arg(root.join("scripts/smtp_sink.py"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir.path())
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the SMTP sink");
        // A sink that never says READY fails the test in 30 s instead of holding it forever.
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the SMTP sink did not start within 30 s")
        });
        assert!(line.starts_with("READY"), "SMTP sink did not start: {line}");
        SmtpSink { port, dir, child }
    }

    pub fn url(port: u16) -> String {
        format!("smtp://127.0.0.1:{port}")
    }

    pub fn messages(&self) -> Vec<Vec<u8>> {
        files_in(self.dir.path())
    }

    /// Waits until the sink holds `n` messages (at most 20 s), and returns them.
    pub async fn wait_for(&self, n: usize) -> Vec<Vec<u8>> {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            assert!(std::time::Instant::now() < deadline, "{} of {n} messages arrived", messages.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn new_client() -> Client {
    client_builder().cookie_store(true).build().expect("client")
}

/// Every test's HTTP client: no redirects followed, and a request that gets no answer
/// in 60 s fails the test (naming the request) instead of hanging the run.
pub fn client_builder() -> reqwest::ClientBuilder {
    Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(60))
}

/// The fields of a valid event form, to override per test.
pub fn event_fields(slug: &str) -> Vec<(String, String)> {
    [
        ("form[slug]", slug),
        ("form[title_zh]", "岳阳（法兰克福）先进装备制造产业链招商推介会"),
        ("form[title_en]", "Yueyang Advanced Equipment Forum — Frankfurt"),
        ("form[description_zh]", "**先进装备**推介"),
        ("form[description_en]", "Advanced equipment <script>alert('x')</script>"),
        ("form[city]", "Frankfurt"),
        ("form[country]", "DE"),
        ("form[region]", "Europe"),
        ("form[venue_name]", "Frankfurt Marriott Hotel"),
        ("form[venue_address]", "Hamburger Allee 2, 60486 Frankfurt am Main"),
        ("form[time_zone]", "Europe/Berlin"),
        ("form[starts_local]", "2027-03-15T14:00"),
        ("form[ends_local]", "2027-03-15T17:30"),
        ("form[capacity]", "120"),
        ("form[visibility]", "public"),
        ("form[industry_chains][advanced-equipment]", "on"),
        ("form[agenda]", "14:00 | 开幕致辞 Opening | 岳阳市人民政府\n15:00 | 项目推介 | 市商务局"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

pub fn with(fields: &[(String, String)], overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        fields.iter().filter(|(k, _)| !overrides.iter().any(|(o, _)| o == k)).cloned().collect();
    out.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    out
}

pub fn as_refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The field errors of a refused call, as `(field, code)` pairs.
pub async fn field_errors(response: Response) -> Vec<(String, String)> {
    let body: serde_json::Value = response.json().await.expect("json error body");
    let fields = body.get("Invalid").or_else(|| body.get("Conflict")).cloned().unwrap_or_default();
    fields["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_string(),
                e["reason"]["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The error lines the server logs from now on, as the operator's log shows them (one
/// subscriber for the whole test binary: lines of other tests may be there too).
pub fn captured_errors() -> String {
    use std::sync::{Arc, Mutex, OnceLock};
    #[derive(Clone)]
    struct Lines(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("log buffer").extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    static LINES: OnceLock<Lines> = OnceLock::new();
    let lines = LINES.get_or_init(|| {
        let lines = Lines(Arc::default());
        let writer = lines.clone();
        tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_env_filter("error,server=info,app=info")
            .init();
        lines
    });
    String::from_utf8_lossy(&lines.0.lock().expect("log buffer")).into_owned()
}
