//! Server state shared by every request: the database, configuration, the login
//! rate limiter and the cache of public event pages.

use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

use anyhow::Context as _;
use axum::extract::FromRef;
use leptos::prelude::*;
use migration::MigratorTrait;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use secrecy::SecretString;

use crate::error::AppError;
use crate::events::EventDto;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    /// Load the 2023 demo roadshow into an empty database.
    pub demo_data: bool,
    /// Mark cookies `Secure`: the public URL is HTTPS.
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` is believed (a reverse proxy on this host).
    pub trusted_proxies: Vec<IpAddr>,
    /// Public registrations accepted per client address and minute.
    pub registrations_per_minute: usize,
    /// Base of the links written into emails (`ROADSHOW_PUBLIC_URL`).
    pub public_url: String,
    /// Signs private links; when unset a key is made once and kept in the database.
    pub secret_key: Option<SecretString>,
    pub mail: MailConfig,
    /// How often the follow-up scheduler looks for due rules; `None`: it does not run
    /// in this process (tests drive it with a clock of their own).
    pub follow_up_every: Option<Duration>,
}

/// How email leaves the server.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://…` or `smtps://…` (lettre's URL form); when unset, messages are written
    /// as `.eml` files to `folder` and shown on the Outbox page.
    pub smtp_url: Option<SecretString>,
    pub folder: std::path::PathBuf,
    pub from_name: String,
    pub from_email: String,
    /// Delay before the first retry; each further one doubles it (with jitter).
    pub retry_base: Duration,
    /// Attempts before a message that keeps failing transiently is marked failed.
    pub max_attempts: i32,
    /// Messages sent at once (and SMTP connections kept in the pool).
    pub concurrency: usize,
    /// Signs every message with DKIM when set.
    pub dkim: Option<DkimKey>,
}

/// A DKIM signing key and where its public half is published (`selector._domainkey.domain`).
#[derive(Clone, Debug)]
pub struct DkimKey {
    pub selector: String,
    /// Defaults to the sender's domain.
    pub domain: Option<String>,
    /// `rsa` (a PKCS#1 PEM key) or `ed25519` (the base64 of the 32-byte seed).
    pub algorithm: String,
    pub private_key: SecretString,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: None,
            folder: "mail".into(),
            from_name: "Roadshow".into(),
            from_email: "roadshow@localhost".into(),
            retry_base: Duration::from_secs(30),
            max_attempts: 8,
            concurrency: 16,
            dkim: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// Sign-in attempts per client address and account (cleared by a success).
    pub login_limiter: Arc<RateLimiter>,
    /// Sign-in attempts per client address, whatever the account (an office shares one).
    pub login_ip_limiter: Arc<RateLimiter>,
    /// Public registrations per client address.
    pub registration_limiter: Arc<RateLimiter>,
    pub public_events: Arc<PublicEventCache>,
    /// Required to create the first administrator through `/setup`.
    pub setup_token: Arc<SecretString>,
    pub mail: Arc<crate::mail::ssr::MailSettings>,
    /// Wakes the mail worker when a change has queued a message.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// Registrations' writes, committed in batches by one writer.
    pub writes: crate::write_queue::WriteQueue,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal(anyhow::anyhow!("AppState missing from context")))
}

pub fn db() -> Result<DatabaseConnection, AppError> {
    Ok(app_state()?.db)
}

/// Opens the database named by `url` and brings its schema up to date.
/// SQLite runs in WAL mode with foreign keys on, waits up to 5 s for a lock, and maps
/// the file into memory.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = open(url, if url.starts_with("sqlite:") { 8 } else { 16 }).await?;
    migration::Migrator::up(&db, None).await.context("running migrations")?;
    Ok(db)
}

/// The write queue's own connection to a database `connect` has brought up to date.
pub async fn connect_writer(url: &str) -> anyhow::Result<DatabaseConnection> {
    open(url, 1).await
}

async fn open(url: &str, connections: u32) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_string());
    options.sqlx_logging(false).max_connections(connections).min_connections(1);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .create_if_missing(true)
                // Reads of large lists (100,000 leads) come from memory, not one system
                // call per page: the file mapped (up to 1 GiB) and a 64 MiB page cache.
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-65536")
        });
    }
    Database::connect(options).await.with_context(|| format!("connecting to {}", redact(url)))
}

/// Hides a password in a database URL for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Starts a write transaction. On SQLite it takes the write lock at `BEGIN IMMEDIATE`,
/// so concurrent writers queue on the busy timeout instead of failing with "database is
/// locked" when a read lock would have to be upgraded.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, sea_orm::DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

pub fn is_postgres(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == sea_orm::DbBackend::Postgres
}

/// A sliding-window limiter: at most `max` hits per key within `window`.
pub struct RateLimiter {
    max: usize,
    window: Duration,
    /// Each key's hits in the window, oldest first.
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        Self { max, window, hits: Mutex::new(HashMap::new()) }
    }

    /// Records a hit; `Err(seconds)` tells how long until the key may try again.
    pub fn hit(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        if hits.len() > 100_000 {
            let window = self.window;
            hits.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let times = hits.entry(key.to_string()).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            times.pop_front();
        }
        if let Some(oldest) = times.front()
            && times.len() >= self.max
        {
            return Err((self.window - now.duration_since(*oldest)).as_secs().max(1));
        }
        times.push_back(now);
        Ok(())
    }

    pub fn clear(&self, key: &str) {
        self.hits.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

/// Public event pages are read far more often than written: keep them in memory
/// and drop the lot on any event write.
#[derive(Default)]
pub struct PublicEventCache {
    by_slug: RwLock<HashMap<String, Arc<EventDto>>>,
}

impl PublicEventCache {
    pub async fn get_or_load(&self, db: &DatabaseConnection, slug: &str) -> Result<Arc<EventDto>, AppError> {
        if let Some(hit) = self.by_slug.read().unwrap_or_else(|e| e.into_inner()).get(slug) {
            return Ok(hit.clone());
        }
        let event = Arc::new(crate::events::ssr::get_public(db, slug).await?);
        let mut map = self.by_slug.write().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            map.clear();
        }
        map.insert(slug.to_string(), event.clone());
        Ok(event)
    }

    pub fn clear(&self) {
        self.by_slug.write().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Drops one page, e.g. after a registration changed its seats left.
    pub fn invalidate(&self, slug: &str) {
        self.by_slug.write().unwrap_or_else(|e| e.into_inner()).remove(slug);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_refuses_past_the_limit_then_recovers() {
        let limiter = RateLimiter::new(2, Duration::from_millis(50));
        assert!(limiter.hit("a").is_ok());
        assert!(limiter.hit("a").is_ok());
        assert!(limiter.hit("a").is_err());
        assert!(limiter.hit("b").is_ok());
        std::thread::sleep(Duration::from_millis(60));
        assert!(limiter.hit("a").is_ok());
    }

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(redact("sqlite://roadshow.db?mode=rwc"), "sqlite://roadshow.db?mode=rwc");
    }
}
