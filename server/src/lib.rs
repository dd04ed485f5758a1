//! The Roadshow server: configuration, the axum router around the Leptos app, and
//! the HTTP guards (cross-origin refusal, error statuses, caching of static files).

pub mod api;
pub mod config;
mod door;
mod http;
pub mod mail;
mod notices;
mod pages;
pub mod security;
pub mod site;
pub mod smtp;
pub mod webhooks;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context as _;
use app::events::cache::PublicEventCache;
use app::registrations::ssr::Writes;
use app::state::{AppState, Config, RateLimiter};
use app::{App, shell};
use axum::{Router, routing::get};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use secrecy::{ExposeSecret, SecretString};
use tokio_util::sync::CancellationToken;

/// Connects the database (creating and migrating it), loads demo data when asked,
/// bootstraps an administrator from the environment, and builds the router.
/// The app's routes, listed once per process. Listing them renders the app with resource
/// loading switched off for the whole process (a flag in leptos_server, see upstream issue
/// leptos-rs/leptos#4773): a page rendered meanwhile by a server already running in the
/// same process (the integration tests run many) would wait for its data forever.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub async fn build(
    config: Config,
    leptos_options: LeptosOptions,
    setup_token: SecretString,
) -> anyhow::Result<(Router, AppState)> {
    let node = start(config, leptos_options, setup_token).await?;
    Ok((node.router, node.state))
}

/// A started web node: its router and state, and what runs beside it (the mail worker
/// and the schedulers, unless `config.workers` is off).
pub struct Node {
    pub router: Router,
    pub state: AppState,
    pub background: Background,
}

/// The tasks that run beside the HTTP server (or alone, in `server worker`).
pub struct Background {
    shutdown: CancellationToken,
    tasks: Vec<(&'static str, tokio::task::JoinHandle<()>)>,
}

impl Background {
    /// Asks every task to stop and waits up to `grace` for each (a mail batch in flight
    /// finishes, unsent claims are given back).
    pub async fn stop(self, grace: Duration) {
        self.shutdown.cancel();
        for (name, task) in self.tasks {
            if tokio::time::timeout(grace, task).await.is_err() {
                tracing::warn!("{name} did not stop within {} s", grace.as_secs());
            }
        }
    }
}

/// Opens the database, brings its schema up to date and loads the demo data when asked
/// and empty, one process at a time (see `app::db::under_setup_lock`).
pub async fn open_database(config: &Config) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = app::db::connect_unmigrated(&config.database_url, config.db_connections).await?;
    let loaded = app::db::under_setup_lock(&db, &config.database_url, async {
        let migrated = app::db::migrate_now(&db).await?;
        if migrated > 0 {
            tracing::info!("{migrated} migrations applied");
        }
        if config.demo_data {
            return app::demo::load_if_empty(&db).await.map_err(|e| anyhow::anyhow!("loading demo data: {e}"));
        }
        Ok(false)
    })
    .await?;
    if loaded {
        tracing::info!("loaded the 2023 demo roadshow (43 stops)");
    }
    Ok(db)
}

/// What the emails' links and signatures need: the public URL, the sender and the key
/// that signs private links.
pub async fn mail_settings(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
) -> anyhow::Result<Arc<app::mail::ssr::MailSettings>> {
    let signing_key = app::mail::ssr::signing_key(db, config.secret_key.as_ref().map(|k| k.expose_secret()))
        .await
        .context("reading the signing key")?;
    Ok(Arc::new(app::mail::ssr::MailSettings {
        public_url: config.public_url.clone(),
        from_name: config.mail.from_name.clone(),
        from_email: config.mail.from_email.clone(),
        signing_key,
    }))
}

/// Starts the mail worker and the schedulers (follow-ups and campaigns, the weekly
/// rankings): in every `serve` process by default, or in `server worker` processes only.
pub fn start_background(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    mail: &Arc<app::mail::ssr::MailSettings>,
    wakeup: &Arc<tokio::sync::Notify>,
) -> anyhow::Result<Background> {
    let shutdown = CancellationToken::new();
    let worker = mail::Worker::new(db.clone(), config.mail.clone(), config.public_url.clone(), wakeup.clone())?;
    tracing::info!("email goes to {}", worker.describe());
    let mut tasks = vec![("the mail worker", worker.spawn(shutdown.clone()))];
    if let Some(every) = config.follow_up_every {
        let task = spawn_follow_ups(db.clone(), mail.clone(), every, wakeup.clone(), shutdown.clone());
        tasks.push(("the follow-up scheduler", task));
    }
    tasks.push(("the rankings", spawn_rankings(db.clone(), shutdown.clone())));
    let hooks = webhooks::Dispatcher::new(db.clone(), config.webhooks.clone(), mail.clone(), wakeup.clone());
    tasks.push(("the webhook deliveries", hooks.spawn(shutdown.clone())));
    Ok(Background { shutdown, tasks })
}

/// Opens the database and builds the node: the router around the Leptos app, and the
/// background tasks when `config.workers` is on.
pub async fn start(config: Config, leptos_options: LeptosOptions, setup_token: SecretString) -> anyhow::Result<Node> {
    let db = open_database(&config).await?;
    let registrations_per_minute = config.registrations_per_minute;
    let mail = mail_settings(&db, &config).await?;
    let mail_wakeup = Arc::new(tokio::sync::Notify::new());
    let mut background = if config.workers {
        start_background(&db, &config, &mail, &mail_wakeup)?
    } else {
        tracing::info!("the mail worker and schedulers run elsewhere (server worker)");
        Background { shutdown: CancellationToken::new(), tasks: vec![] }
    };
    let events = Arc::new(PublicEventCache::default());
    let tokens = Arc::new(app::api_tokens::ssr::CheckedTokens::default());
    let door = app::registrations::ssr::DoorHub::new(app::db::is_postgres(&db));
    if app::db::is_postgres(&db) {
        let kept = notices::Kept { events: events.clone(), tokens: tokens.clone(), door: door.clone() };
        let listening = notices::spawn(config.database_url.clone(), kept, background.shutdown.clone());
        background.tasks.push(("the change notices", listening));
    }
    let url = config.database_url.clone();
    // Registrations are written in batches by one writer; at most 4,096 wait to be written.
    let writes = Writes::start("roadshow-writer", 4096, move || async move { app::db::connect_writer(&url).await })
        .await
        .context("starting the database writer")?;
    let mut parts = axum::http::Extensions::new();
    parts.insert(writes);
    parts.insert(events);
    parts.insert(Arc::new(pages::PageCache::default()));
    parts.insert(Arc::new(api::KeptPages::default()));
    parts.insert(tokens.clone());
    parts.insert(door);
    // On PostgreSQL the limits are counted in the database, so they hold across nodes.
    let quarter_hour = Duration::from_secs(15 * 60);
    let login_limiter = Arc::new(RateLimiter::shared(&db, "login", 10, quarter_hour));
    let login_ip_limiter = Arc::new(RateLimiter::shared(&db, "login-ip", 100, quarter_hour));
    let minute = Duration::from_secs(60);
    let registration_limiter = Arc::new(RateLimiter::shared(&db, "registration", registrations_per_minute, minute));
    let api_per_minute = config.api_requests_per_minute;
    parts.insert(api::ApiLimiter(Arc::new(RateLimiter::shared(&db, "api", api_per_minute, minute))));
    let state = AppState {
        db,
        config: Arc::new(config),
        leptos_options: leptos_options.clone(),
        login_limiter,
        login_ip_limiter,
        registration_limiter,
        setup_token: Arc::new(setup_token),
        mail,
        mail_wakeup,
        parts: Arc::new(parts),
    };
    // A guest's pages are rendered whole and load no WASM (`pages`); the organizer's
    // stream and hydrate.
    let (public, organizer): (Vec<_>, Vec<_>) =
        route_list().into_iter().partition(|route| app::web::is_public_path(route.path()));
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(http::ready))
        .route("/guest.js", get(http::guest_script))
        .route("/check", axum::routing::post(http::check_form))
        .route("/lang/{code}", get(http::set_language))
        .route("/admin/events/{id}/registrations.csv", get(http::registrations_csv))
        .route("/admin/events/{id}/door/live", get(door::live))
        .route("/admin/leads.csv", get(http::leads_csv))
        .route("/admin/dashboard/{file}", get(http::dashboard_export))
        .route("/admin/leads/{id}/export.json", get(http::lead_export))
        .route(
            "/admin/tranches/{id}/proof",
            get(http::download_proof)
                .post(http::upload_proof)
                // Room for a 10 MB file and the form around it; the handler checks the file.
                .layer(axum::extract::DefaultBodyLimit::max(app::domain::ProofKind::MAX_BYTES + 64 * 1024)),
        )
        .route("/unsubscribe/{token}", axum::routing::post(http::unsubscribe))
        .nest(api::BASE, api::router())
        .leptos_routes_with_handler(public, pages::public_page)
        .leptos_routes_with_context(&state, organizer, security::render_context(state.clone()), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(http::static_or_not_found)
        .layer(axum::middleware::from_fn(http::server_fn_status))
        .layer(axum::middleware::from_fn(http::refuse_cross_origin))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(http::request_span))
        .layer(axum::middleware::from_fn(http::request_id))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(tower_http::compression::CompressionLayer::new().br(true).gzip(true))
        .with_state(state.clone());
    Ok(Node { router, state, background })
}

/// Runs due follow-up rules and campaigns every `every`, for as long as the process lives. Several
/// processes may do so at once: each rule mails each person once (see
/// `app::follow_ups::ssr`).
fn spawn_follow_ups(
    db: sea_orm::DatabaseConnection,
    mail: Arc<app::mail::ssr::MailSettings>,
    every: Duration,
    wakeup: Arc<tokio::sync::Notify>,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                () = shutdown.cancelled() => break,
            }
            let now = chrono::Utc::now();
            let rules = app::follow_ups::ssr::run_due(&db, &mail, now).await;
            let campaigns = app::campaigns::ssr::run_due(&db, &mail, now).await;
            let meetings = app::meetings::ssr::send_reminders(&db, &mail, now).await;
            for (what, outcome) in
                [("follow-up rules", rules), ("campaigns", campaigns), ("meeting reminders", meetings)]
            {
                match outcome {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!("{what}: {n} emails queued");
                        wakeup.notify_one();
                    }
                    Err(e) => tracing::warn!("{what}: {e}"),
                }
            }
        }
    })
}

/// Every hour, each organization's ranking of its units is kept for the week (taken again
/// within the same week, the week's row is replaced): the dashboard's arrows compare with it.
/// The same hour forgets the shared rate limits' counts that no window needs any more.
fn spawn_rankings(db: sea_orm::DatabaseConnection, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                () = shutdown.cancelled() => break,
            }
            match app::dashboard::ssr::snapshot_all(&db, chrono::Utc::now().date_naive()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("rankings: {n} units kept for the week"),
                Err(e) => tracing::warn!("rankings: {e}"),
            }
            // The shared rate limits' counts older than any window (PostgreSQL).
            if let Err(e) = app::state::forget_old_hits(&db).await {
                tracing::warn!("forgetting old rate-limit counts: {e}");
            }
        }
    })
}

/// Serves until the process is stopped, with peer addresses for the rate limits.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> anyhow::Result<()> {
    serve_until(listener, router, terminated()).await
}

/// Serves until `stop` resolves, then lets the requests in flight finish (new connections
/// are no longer accepted; idle keep-alive connections are closed).
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stop)
        .await
        .context("serving HTTP")
}

/// Resolves on SIGTERM (systemd, a container runtime, a rolling restart) or Ctrl-C.
pub async fn terminated() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}
