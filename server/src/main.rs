//! `server`: Roadshow in one binary. With no configuration `server` (= `server serve`)
//! creates `roadshow.db` in the working folder, loads the demo roadshow and prints how to
//! create the first administrator. `server --help` lists the commands.

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use anyhow::Context as _;
use secrecy::{ExposeSecret, SecretString};

const HELP: &str = "\
Roadshow: event and roadshow management for investment promotion.

Usage: server [COMMAND] [OPTIONS]

Commands:
  serve    Serve the site and the organizer's pages (the default), with the mail worker
           and schedulers unless --no-workers
  migrate  Bring the database's schema up to date, then exit
  worker   Deliver email and run the follow-up, campaign and ranking schedulers, without HTTP
  check    Check the configuration, the database, the site's files and the SMTP server;
           exit 1 if any is wrong
  help     Print this help (`server COMMAND --help` for one command)

Configuration comes from the environment: DATABASE_URL (default sqlite://roadshow.db?mode=rwc),
SMTP_URL, ROADSHOW_PUBLIC_URL, LEPTOS_SITE_ADDR and the rest in README.md.

Options:
  -h, --help     Print help
  -V, --version  Print the version
";

const SERVE_HELP: &str = "\
Serve the site and the organizer's pages.

Usage: server serve [--addr HOST:PORT] [--no-workers]

Options:
  --addr HOST:PORT  Where to listen (default LEPTOS_SITE_ADDR, else 127.0.0.1:3000)
  --no-workers      Leave email delivery and the schedulers to `server worker` processes
                    (also ROADSHOW_WORKERS=off)
  -h, --help        Print help

Migrates the database first (one process at a time) and loads the demo roadshow into an
empty database unless ROADSHOW_DEMO_DATA=off. The site's files are found beside the binary
(site/ or ../site/, hashed names from hash.txt beside it) or at LEPTOS_SITE_ROOT.
SIGTERM or Ctrl-C: stop accepting, let requests in flight finish, give back claimed emails.
";

const MIGRATE_HELP: &str = "\
Bring the database's schema up to date, then exit.

Usage: server migrate

Prints how many migrations were applied. Safe to run while other processes serve: they
take turns on the database (a PostgreSQL advisory lock).
";

const WORKER_HELP: &str = "\
Deliver email and run the schedulers, without HTTP.

Usage: server worker

The mail worker (SMTP_URL, or .eml files in ROADSHOW_MAIL_DIR), the follow-up and campaign
scheduler (every ROADSHOW_FOLLOW_UP_SECONDS) and the weekly rankings. Any number of worker
and serve processes may run on one database: each email is sent once, each rule mails each
person once. SIGTERM: finish the messages being sent, give back the rest, exit.
";

const CHECK_HELP: &str = "\
Check the configuration, the database, the site's files and the SMTP server.

Usage: server check

Prints one line per check; exits 1 if the configuration cannot be read, the database cannot
be reached, the site's files are missing or the SMTP server does not answer. Migrations not
yet applied are reported without failing (`server migrate` applies them).
";

enum Command {
    Serve { addr: Option<SocketAddr>, workers: bool },
    Migrate,
    Worker,
    Check,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(Some(command)) => command,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}\n\nRun `server --help` for the commands.");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match command {
            Command::Serve { addr, workers } => serve(addr, workers).await.map(|()| true),
            Command::Migrate => migrate().await.map(|()| true),
            Command::Worker => worker().await.map(|()| true),
            Command::Check => Ok(check().await),
        }
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The command line; `None` when it only asked for help or the version.
fn parse(args: &[String]) -> Result<Option<Command>, String> {
    let (name, rest) = match args.split_first() {
        Some((first, rest)) if !first.starts_with('-') => (first.as_str(), rest),
        _ => ("serve", args),
    };
    let wants_help = rest.iter().any(|a| a == "-h" || a == "--help");
    let print = |text: &str| {
        print!("{text}");
        Ok(None)
    };
    match name {
        "help" => print(HELP),
        "serve" if args.first().is_none_or(|a| a.starts_with('-')) && wants_help => print(HELP),
        _ if rest.iter().any(|a| a == "-V" || a == "--version") => {
            println!("server {}", env!("CARGO_PKG_VERSION"));
            Ok(None)
        }
        "serve" if wants_help => print(SERVE_HELP),
        "migrate" if wants_help => print(MIGRATE_HELP),
        "worker" if wants_help => print(WORKER_HELP),
        "check" if wants_help => print(CHECK_HELP),
        "serve" => {
            let (mut addr, mut workers) = (None, true);
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--no-workers" => workers = false,
                    "--addr" => {
                        let value = rest.next().ok_or("--addr needs HOST:PORT")?;
                        addr = Some(value.parse().map_err(|e| format!("--addr {value}: {e}"))?);
                    }
                    other => match other.strip_prefix("--addr=") {
                        Some(value) => addr = Some(value.parse().map_err(|e| format!("--addr {value}: {e}"))?),
                        None => return Err(format!("serve: unknown option {other}")),
                    },
                }
            }
            Ok(Some(Command::Serve { addr, workers }))
        }
        "migrate" | "worker" | "check" => match rest.first() {
            Some(other) => Err(format!("{name}: unknown option {other}")),
            None => Ok(Some(match name {
                "migrate" => Command::Migrate,
                "worker" => Command::Worker,
                _ => Command::Check,
            })),
        },
        other => Err(format!("unknown command {other}")),
    }
}

/// How long requests in flight and a mail batch may take to finish after SIGTERM.
const GRACE: Duration = Duration::from_secs(25);

async fn serve(addr: Option<SocketAddr>, workers: bool) -> anyhow::Result<()> {
    let mut config = server::config::from_env()?;
    config.workers &= workers;
    let leptos_options = server::site::options(addr)?;
    let addr = leptos_options.site_addr;
    let token = std::env::var("ROADSHOW_SETUP_TOKEN").ok().filter(|t| !t.is_empty()).unwrap_or_else(random_token);
    let token = SecretString::from(token);
    tracing::info!(database = %app::db::redact(&config.database_url), site = %leptos_options.site_root, "starting");
    let node = server::start(config, leptos_options, token.clone()).await?;

    // Nodes starting together take turns, so one of them creates the administrator.
    let db = &node.state.db;
    app::db::under_setup_lock(db, &node.state.config.database_url, bootstrap_admin(db)).await?;
    if app::auth::ssr::needs_setup(&node.state.db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        println!(
            "\n  Roadshow has no administrator yet. Create one at:\n\n    http://{addr}/setup?token={}\n",
            token.expose_secret()
        );
    }
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    println!("  Roadshow is listening on http://{addr}");
    let stopping = tokio_util::sync::CancellationToken::new();
    let signal = stopping.clone();
    let door = node.state.part::<app::registrations::ssr::DoorHub>().ok();
    tokio::spawn(async move {
        server::terminated().await;
        tracing::info!("stopping: finishing the requests in flight");
        // The phones' live streams end (they connect again to another node).
        if let Some(door) = door {
            door.close();
        }
        signal.cancel();
    });
    let until = stopping.clone();
    let served = server::serve_until(listener, node.router, async move { until.cancelled().await });
    tokio::select! {
        outcome = served => outcome?,
        () = async { stopping.cancelled().await; tokio::time::sleep(GRACE).await } => {
            tracing::warn!("requests still open after {} s: closing them", GRACE.as_secs());
        }
    }
    node.background.stop(GRACE).await;
    tracing::info!("stopped");
    Ok(())
}

async fn migrate() -> anyhow::Result<()> {
    let config = server::config::from_env()?;
    let db = app::db::connect_unmigrated(&config.database_url, config.db_connections).await?;
    let applied = app::db::migrate(&db, &config.database_url).await?;
    println!("{applied} migrations applied; the schema of {} is current", app::db::redact(&config.database_url));
    Ok(())
}

async fn worker() -> anyhow::Result<()> {
    let config = server::config::from_env()?;
    tracing::info!(database = %app::db::redact(&config.database_url), "starting the worker");
    let db = server::open_database(&config).await?;
    let mail = server::mail_settings(&db, &config).await?;
    let wakeup = std::sync::Arc::new(tokio::sync::Notify::new());
    let background = server::start_background(&db, &config, &mail, &wakeup)?;
    server::terminated().await;
    tracing::info!("stopping the worker");
    background.stop(GRACE).await;
    Ok(())
}

/// One line per check; `false` when any failed.
async fn check() -> bool {
    let mut ok = true;
    let mut report = |what: &str, outcome: Result<String, String>, fatal: bool| match outcome {
        Ok(detail) => println!("ok    {what}: {detail}"),
        Err(problem) if fatal => {
            ok = false;
            println!("FAIL  {what}: {problem}");
        }
        Err(problem) => println!("warn  {what}: {problem}"),
    };
    let config = match server::config::from_env() {
        Ok(config) => {
            report("configuration", Ok(format!("public URL {}", config.public_url)), true);
            config
        }
        Err(e) => {
            report("configuration", Err(format!("{e:#}")), true);
            return false;
        }
    };
    let site = server::site::options(None).map_err(|e| format!("{e:#}"));
    report("site files", site.and_then(|options| server::site::verify(&options).map_err(|e| format!("{e:#}"))), true);
    let database = app::db::redact(&config.database_url);
    let db = tokio::time::timeout(
        Duration::from_secs(10),
        app::db::connect_unmigrated(&config.database_url, config.db_connections),
    )
    .await
    .unwrap_or_else(|_| Err(anyhow::anyhow!("no answer within 10 s")));
    match db {
        Ok(db) => {
            report("database", Ok(database.clone()), true);
            let pending = app::db::pending_migrations(&db).await;
            report(
                "schema",
                match pending {
                    Ok(0) => Ok("every migration applied".into()),
                    Ok(n) => Err(format!("{n} migrations not applied yet (`server migrate`, or `serve` applies them)")),
                    Err(e) => Err(format!("{e:#}")),
                },
                false,
            );
        }
        Err(e) => report("database", Err(format!("{database}: {e:#}")), true),
    }
    match &config.mail.smtp_url {
        None => report("email", Ok(format!("written to the folder {}", config.mail.folder.display())), true),
        Some(url) => {
            let outcome =
                match server::smtp::Smtp::from_settings(url.expose_secret(), config.mail.smtp_ca_file.as_deref(), 1) {
                    Err(e) => Err(format!("{e:#}")),
                    Ok(smtp) => smtp.probe().await.map(|()| smtp.describe()).map_err(|e| e.to_string()),
                };
            report("email", outcome, true);
        }
    }
    ok
}

fn random_token() -> String {
    app::crypto::random_hex::<12>()
}

/// `ROADSHOW_ADMIN_EMAIL` and `ROADSHOW_ADMIN_PASSWORD` create the first administrator
/// without the browser (for scripted installs); ignored once any account exists. Run under
/// the setup lock (several nodes starting at once).
async fn bootstrap_admin(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    let (Ok(email), Ok(password)) = (std::env::var("ROADSHOW_ADMIN_EMAIL"), std::env::var("ROADSHOW_ADMIN_PASSWORD"))
    else {
        return Ok(());
    };
    if !app::auth::ssr::needs_setup(db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        return Ok(());
    }
    let form = app::auth::AccountForm {
        name: std::env::var("ROADSHOW_ADMIN_NAME").unwrap_or_else(|_| "Administrator".into()),
        email,
        password,
        organization: app::auth::DEMO_ORGANIZATION.into(),
        ..Default::default()
    };
    let account = form.parse(true).map_err(|e| anyhow::anyhow!("ROADSHOW_ADMIN_*: {e:?}"))?;
    app::auth::ssr::create_first_admin(db, account).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("  Created the administrator {} from ROADSHOW_ADMIN_EMAIL.", form.email);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn commands_and_options() {
        assert!(matches!(parse(&args("")), Ok(Some(Command::Serve { addr: None, workers: true }))));
        assert!(matches!(
            parse(&args("serve --no-workers --addr 127.0.0.1:3001")),
            Ok(Some(Command::Serve { addr: Some(_), workers: false }))
        ));
        assert!(matches!(parse(&args("--addr=0.0.0.0:80")), Ok(Some(Command::Serve { addr: Some(_), .. }))));
        assert!(matches!(parse(&args("migrate")), Ok(Some(Command::Migrate))));
        assert!(matches!(parse(&args("worker")), Ok(Some(Command::Worker))));
        assert!(matches!(parse(&args("check")), Ok(Some(Command::Check))));
        assert!(matches!(parse(&args("check --help")), Ok(None)));
        assert!(parse(&args("serve --addr nowhere")).is_err());
        assert!(parse(&args("serve --bogus")).is_err());
        assert!(parse(&args("deploy")).is_err());
        assert!(parse(&args("migrate now")).is_err());
    }
}
