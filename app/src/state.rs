//! Server state shared by every request: the database, configuration, the login
//! rate limiters, and the parts features keep (see `AppState::parts`).

use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::extract::FromRef;
use axum::http::Extensions;
use leptos::prelude::*;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use secrecy::SecretString;

use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    /// Database connections this process keeps at most in its pool (`ROADSHOW_DB_CONNECTIONS`;
    /// by default 16 on PostgreSQL, 8 on SQLite). Besides it, a web node opens one for the
    /// registration writer and, on PostgreSQL, one listening for other nodes' changes.
    pub db_connections: Option<u32>,
    /// Load the 2023 demo roadshow into an empty database.
    pub demo_data: bool,
    /// Mark cookies `Secure`: the public URL is HTTPS.
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` is believed (a reverse proxy on this host).
    pub trusted_proxies: Vec<IpAddr>,
    /// Public registrations accepted per client address and minute.
    pub registrations_per_minute: usize,
    /// REST API requests accepted per token (or member) and minute.
    pub api_requests_per_minute: usize,
    pub webhooks: WebhookConfig,
    /// Base of the links written into emails (`ROADSHOW_PUBLIC_URL`).
    pub public_url: String,
    /// Signs private links; when unset a key is made once and kept in the database.
    pub secret_key: Option<SecretString>,
    pub mail: MailConfig,
    /// How often the follow-up scheduler looks for due rules; `None`: it does not run
    /// in this process (tests drive it with a clock of their own).
    pub follow_up_every: Option<Duration>,
    /// Where uploaded files (the proofs of funds in place) are kept (`ROADSHOW_FILES_DIR`,
    /// `files` under the working folder by default).
    pub files_dir: std::path::PathBuf,
    /// Run the mail worker and the schedulers in this process (`serve --no-workers` and
    /// `ROADSHOW_WORKERS=off` leave them to `server worker` processes).
    pub workers: bool,
}

/// How webhook deliveries are sent (see `server/src/webhooks.rs`).
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// The wait before each retry; its length is the number of retries.
    pub retries: Vec<Duration>,
    pub timeout: Duration,
    /// How often due deliveries are looked for.
    pub every: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            // Standard Webhooks' suggestion: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (~27.5 h).
            retries: [5, 300, 1800, 7200, 18000, 36000, 36000].into_iter().map(Duration::from_secs).collect(),
            timeout: Duration::from_secs(10),
            every: Duration::from_secs(1),
        }
    }
}

/// How email leaves the server.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://…` or `smtps://…` (lettre's URL form); when unset, messages are written
    /// as `.eml` files to `folder` and shown on the Outbox page.
    pub smtp_url: Option<SecretString>,
    /// A PEM root certificate trusted besides the system's (a relay with a private CA).
    pub smtp_ca_file: Option<std::path::PathBuf>,
    pub folder: std::path::PathBuf,
    pub from_name: String,
    pub from_email: String,
    /// Delay before the first retry; each further one doubles it (with jitter).
    pub retry_base: Duration,
    /// Attempts before a message that keeps failing transiently is marked failed.
    pub max_attempts: i32,
    /// Messages sent at once (and SMTP connections kept in the pool).
    pub concurrency: usize,
    /// How long a claimed message belongs to the worker that claimed it: a worker that
    /// dies leaves its claims to the others after this.
    pub lease: Duration,
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
            smtp_ca_file: None,
            folder: "mail".into(),
            from_name: "Roadshow".into(),
            from_email: "roadshow@localhost".into(),
            retry_base: Duration::from_secs(30),
            max_attempts: 8,
            concurrency: 16,
            lease: Duration::from_secs(120),
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
    /// Required to create the first administrator through `/setup`.
    pub setup_token: Arc<SecretString>,
    pub mail: Arc<crate::mail::ssr::MailSettings>,
    /// Wakes the mail worker when a change has queued a message.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// What features keep for the life of the server (the public-event cache, the
    /// registrations' write queue), found by type: the state names no feature.
    pub parts: Arc<Extensions>,
}

impl AppState {
    /// The part of type `T` the server put in `parts` when it started.
    pub fn part<T: Clone + Send + Sync + 'static>(&self) -> Result<T, AppError> {
        self.parts.get::<T>().cloned().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("{} missing from the server state", std::any::type_name::<T>()))
        })
    }
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

/// A limiter: at most `max` hits per key within `window`. In one process (SQLite) a
/// sliding log in memory; shared by every server process on PostgreSQL (see
/// [`RateLimiter::shared`]).
pub struct RateLimiter {
    max: usize,
    window: Duration,
    /// Each key's hits in the window, oldest first.
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
    shared: Option<Shared>,
}

/// Where a shared limiter counts: the `rate_counter` table, under the limiter's name.
struct Shared {
    db: DatabaseConnection,
    name: &'static str,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        Self { max, window, hits: Mutex::new(HashMap::new()), shared: None }
    }

    /// A limiter whose hits every server process on `db` sees, when `db` is PostgreSQL
    /// (the limit per client holds whichever node a proxy sends it to); in memory
    /// otherwise. `name` tells the limiters apart in the table.
    pub fn shared(db: &DatabaseConnection, name: &'static str, max: usize, window: Duration) -> Self {
        let shared = crate::db::is_postgres(db).then(|| Shared { db: db.clone(), name });
        Self { shared, ..Self::new(max, window) }
    }

    /// Records a hit; `Err(seconds)` tells how long until the key may try again. A refused
    /// hit does not count. Shared: counted in fixed buckets of `window`, the bucket before
    /// weighted by how much of it is still inside the window (the sliding window
    /// approximated); when the database cannot be reached, this process's own count decides.
    pub async fn hit(&self, key: &str) -> Result<(), u64> {
        if let Some(shared) = &self.shared {
            match self.hit_shared(shared, key).await {
                Ok(verdict) => return verdict,
                Err(e) => tracing::warn!("shared rate limit {} unavailable, counting here: {e}", shared.name),
            }
        }
        self.hit_here(key)
    }

    fn hit_here(&self, key: &str) -> Result<(), u64> {
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

    /// One statement counts the hit (the database's clock, so every node agrees on the
    /// bucket) and reads the bucket before; a refused hit is taken back.
    async fn hit_shared(&self, shared: &Shared, key: &str) -> Result<Result<(), u64>, sea_orm::DbErr> {
        const COUNT: &str = "WITH now AS (SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8 AS t), \
            hit AS (INSERT INTO rate_counter (name, key_hash, bucket, hits, expires_at) \
                SELECT $1, $2, FLOOR(t * 1000 / $3::bigint)::bigint, 1, FLOOR(t * 1000 / $3::bigint)::bigint * $3::bigint / 1000 + 2 * $3::bigint / 1000 + 1 FROM now \
                ON CONFLICT (name, key_hash, bucket) DO UPDATE SET hits = rate_counter.hits + 1 \
                RETURNING bucket, hits) \
            SELECT hit.bucket, hit.hits, (SELECT t FROM now) AS t, \
                COALESCE((SELECT r.hits FROM rate_counter r WHERE r.name = $1 AND r.key_hash = $2 AND r.bucket = hit.bucket - 1), 0) AS before \
            FROM hit";
        let window_ms = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX).max(1);
        let key_hash = crate::crypto::sha256_hex(key);
        let values = [shared.name.into(), key_hash.clone().into(), window_ms.into()];
        let row = shared
            .db
            .query_one_raw(Statement::from_sql_and_values(DbBackend::Postgres, COUNT, values))
            .await?
            .ok_or_else(|| sea_orm::DbErr::RecordNotFound("rate_counter".into()))?;
        let bucket: i64 = row.try_get("", "bucket")?;
        let hits: i32 = row.try_get("", "hits")?;
        let now: f64 = row.try_get("", "t")?;
        let before: i32 = row.try_get("", "before")?;
        let verdict = shared_verdict(self.max, window_ms, bucket, now, hits, before);
        if verdict.is_err() {
            const TAKE_BACK: &str =
                "UPDATE rate_counter SET hits = hits - 1 WHERE name = $1 AND key_hash = $2 AND bucket = $3::bigint";
            let values = [shared.name.into(), key_hash.into(), bucket.into()];
            shared.db.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, TAKE_BACK, values)).await?;
        }
        Ok(verdict)
    }

    /// Forgets `key`'s hits (a successful sign-in clears its failures).
    pub async fn clear(&self, key: &str) {
        self.hits.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
        if let Some(shared) = &self.shared {
            const CLEAR: &str = "DELETE FROM rate_counter WHERE name = $1 AND key_hash = $2";
            let values = [shared.name.into(), crate::crypto::sha256_hex(key).into()];
            if let Err(e) =
                shared.db.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, CLEAR, values)).await
            {
                tracing::warn!("clearing shared rate limit {}: {e}", shared.name);
            }
        }
    }
}

/// Drops the shared counts no window needs any more; returns how many rows went.
pub async fn forget_old_hits(db: &DatabaseConnection) -> Result<u64, sea_orm::DbErr> {
    if !crate::db::is_postgres(db) {
        return Ok(0);
    }
    const FORGET: &str = "DELETE FROM rate_counter WHERE expires_at < EXTRACT(EPOCH FROM clock_timestamp())";
    Ok(db.execute_raw(Statement::from_string(DbBackend::Postgres, FORGET)).await?.rows_affected())
}

/// Whether the `hits`-th hit of bucket `bucket` (of `window_ms` milliseconds) may pass, at
/// `now` (seconds since the epoch), with `before` hits in the bucket before: the earlier
/// bucket counts for the share of it still inside the window ending now.
fn shared_verdict(max: usize, window_ms: i64, bucket: i64, now: f64, hits: i32, before: i32) -> Result<(), u64> {
    let window = window_ms as f64 / 1000.0;
    let into_bucket = (now - (bucket * window_ms) as f64 / 1000.0).clamp(0.0, window);
    let weight = 1.0 - into_bucket / window;
    let earlier = f64::from(before) * weight;
    // The hits before this one, in the sliding window.
    if earlier + f64::from(hits - 1) < max as f64 {
        return Ok(());
    }
    // This bucket alone is full: wait for the next; otherwise until the earlier one has
    // slid out far enough to leave room.
    let wait = if f64::from(hits - 1) >= max as f64 {
        window - into_bucket
    } else {
        let room_needed = earlier + f64::from(hits - 1) - max as f64 + 1.0;
        room_needed / f64::from(before.max(1)) * window
    };
    Err(wait.ceil().max(1.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn limiter_refuses_past_the_limit_then_recovers() {
        let limiter = RateLimiter::new(2, Duration::from_millis(50));
        assert!(limiter.hit("a").await.is_ok());
        assert!(limiter.hit("a").await.is_ok());
        assert!(limiter.hit("a").await.is_err());
        assert!(limiter.hit("b").await.is_ok());
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(limiter.hit("a").await.is_ok());
    }

    #[test]
    fn shared_window_weighs_the_bucket_before_by_its_share_still_inside() {
        // Window 60 s, bucket 10 starts at 600 s. Halfway into it, 10 hits in the bucket
        // before count as 5.
        assert_eq!(shared_verdict(10, 60_000, 10, 630.0, 5, 10), Ok(()));
        assert!(shared_verdict(10, 60_000, 10, 630.0, 6, 10).is_err());
        // At the very start the bucket before counts whole; near the end hardly at all.
        assert!(shared_verdict(10, 60_000, 10, 600.0, 1, 10).is_err());
        assert_eq!(shared_verdict(10, 60_000, 10, 659.0, 10, 10), Ok(()));
        // This bucket full on its own: wait for the next one.
        assert_eq!(shared_verdict(10, 60_000, 10, 645.0, 11, 0), Err(15));
    }
}
