//! The Roadshow server: configuration, the axum router around the Leptos app, and
//! the HTTP guards (cross-origin refusal, error statuses, caching of static files).

pub mod config;
mod http;
pub mod mail;
mod pages;
pub mod security;

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
    let db = app::db::connect(&config.database_url).await?;
    if config.demo_data
        && app::demo::load_if_empty(&db).await.map_err(|e| anyhow::anyhow!("{e}")).context("loading demo data")?
    {
        tracing::info!("loaded the 2023 demo roadshow (43 stops)");
    }
    let registrations_per_minute = config.registrations_per_minute;
    let signing_key = app::mail::ssr::signing_key(&db, config.secret_key.as_ref().map(|k| k.expose_secret()))
        .await
        .context("reading the signing key")?;
    let mail = Arc::new(app::mail::ssr::MailSettings {
        public_url: config.public_url.clone(),
        from_name: config.mail.from_name.clone(),
        from_email: config.mail.from_email.clone(),
        signing_key,
    });
    let mail_wakeup = Arc::new(tokio::sync::Notify::new());
    let worker = mail::Worker::new(db.clone(), config.mail.clone(), config.public_url.clone(), mail_wakeup.clone())?;
    tracing::info!("email goes to {}", worker.describe());
    worker.spawn();
    if let Some(every) = config.follow_up_every {
        spawn_follow_ups(db.clone(), mail.clone(), every, mail_wakeup.clone());
    }
    spawn_rankings(db.clone());
    let url = config.database_url.clone();
    // Registrations are written in batches by one writer; at most 4,096 wait to be written.
    let writes = Writes::start("roadshow-writer", 4096, move || async move { app::db::connect_writer(&url).await })
        .await
        .context("starting the database writer")?;
    let mut parts = axum::http::Extensions::new();
    parts.insert(writes);
    parts.insert(Arc::new(PublicEventCache::default()));
    parts.insert(Arc::new(pages::PageCache::default()));
    let state = AppState {
        db,
        config: Arc::new(config),
        leptos_options: leptos_options.clone(),
        login_limiter: Arc::new(RateLimiter::new(10, Duration::from_secs(15 * 60))),
        login_ip_limiter: Arc::new(RateLimiter::new(100, Duration::from_secs(15 * 60))),
        registration_limiter: Arc::new(RateLimiter::new(registrations_per_minute, Duration::from_secs(60))),
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
        .route("/guest.js", get(http::guest_script))
        .route("/check", axum::routing::post(http::check_form))
        .route("/lang/{code}", get(http::set_language))
        .route("/admin/events/{id}/registrations.csv", get(http::registrations_csv))
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
    Ok((router, state))
}

/// Runs due follow-up rules and campaigns every `every`, for as long as the process lives. Several
/// processes may do so at once: each rule mails each person once (see
/// `app::follow_ups::ssr`).
fn spawn_follow_ups(
    db: sea_orm::DatabaseConnection,
    mail: Arc<app::mail::ssr::MailSettings>,
    every: Duration,
    wakeup: Arc<tokio::sync::Notify>,
) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            let now = chrono::Utc::now();
            let rules = app::follow_ups::ssr::run_due(&db, &mail, now).await;
            let campaigns = app::campaigns::ssr::run_due(&db, &mail, now).await;
            for (what, outcome) in [("follow-up rules", rules), ("campaigns", campaigns)] {
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
    });
}

/// Every hour, each organization's ranking of its units is kept for the week (taken again
/// within the same week, the week's row is replaced): the dashboard's arrows compare with it.
fn spawn_rankings(db: sea_orm::DatabaseConnection) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(3600));
        loop {
            ticks.tick().await;
            match app::dashboard::ssr::snapshot_all(&db, chrono::Utc::now().date_naive()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("rankings: {n} units kept for the week"),
                Err(e) => tracing::warn!("rankings: {e}"),
            }
        }
    });
}

/// Serves until the process is stopped, with peer addresses for the rate limits.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> anyhow::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving HTTP")
}
