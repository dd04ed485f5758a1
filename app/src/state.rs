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
use sea_orm::DatabaseConnection;
use secrecy::SecretString;

use crate::error::AppError;

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
    /// Where uploaded files (the proofs of funds in place) are kept (`ROADSHOW_FILES_DIR`,
    /// `files` under the working folder by default).
    pub files_dir: std::path::PathBuf,
    /// Run the mail worker and the schedulers in this process (`serve --no-workers` and
    /// `ROADSHOW_WORKERS=off` leave them to `server worker` processes).
    pub workers: bool,
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
}
