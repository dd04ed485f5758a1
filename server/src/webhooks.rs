//! Sends webhook deliveries (see `app::webhooks`): claims the due ones with a lease, as
//! the mail worker claims emails, so several workers never send one twice at once; posts
//! each signed as Standard Webhooks; retries non-2xx answers, timeouts and refused
//! connections on a schedule that spans about a day; after the last retry fails, turns
//! the endpoint off and emails the organization's owners.
//!
//! SSRF: the endpoint's host is resolved here, every address checked (unless the
//! organization allows private addresses), and the request pinned to a checked address, so
//! a name that changes its answer between the check and the connection gains nothing;
//! redirects are not followed.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use app::domain::{DeliveryStatus, MessageKind, Role};
use app::entities::{membership, organization, user, webhook_delivery, webhook_endpoint};
use app::mail::compose::Composed;
use app::mail::ssr::{MailSettings, NewMessage};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use sea_orm::ExprTrait;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

pub use app::state::WebhookConfig;

use webhook_delivery::Column;

/// Deliveries claimed at once, and sent at once.
const BATCH: u64 = 32;
const CONCURRENCY: usize = 8;
/// How long a claim lasts: a worker that died leaves its claims to the others after this.
const LEASE: Duration = Duration::from_secs(120);

pub struct Dispatcher {
    db: DatabaseConnection,
    config: WebhookConfig,
    mail: Arc<MailSettings>,
    mail_wakeup: Arc<tokio::sync::Notify>,
}

enum Outcome {
    Delivered(u16),
    /// Worth another try: a non-2xx answer, a timeout, a refused connection.
    Retry(Option<u16>, String),
    /// Never worth another try (a private address refused, an endpoint gone or off).
    Fail(String),
}

impl Dispatcher {
    pub fn new(
        db: DatabaseConnection,
        config: WebhookConfig,
        mail: Arc<MailSettings>,
        mail_wakeup: Arc<tokio::sync::Notify>,
    ) -> Self {
        Dispatcher { db, config, mail, mail_wakeup }
    }

    pub fn spawn(self, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                match self.run_once(Utc::now()).await {
                    Ok(n) if n > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::warn!("webhook deliveries: {e:#}"),
                }
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(self.config.every) => {}
                }
            }
        })
    }

    fn due(now: DateTime<Utc>) -> Condition {
        Condition::any()
            .add(Column::Status.eq(DeliveryStatus::Pending.as_str()).and(Column::NextAttemptAt.lte(now)))
            .add(Column::Status.eq(DeliveryStatus::Sending.as_str()).and(Column::LeaseUntil.lt(now)))
    }

    /// Sends what is due; how many deliveries it tried.
    pub async fn run_once(&self, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let ids: Vec<i32> = webhook_delivery::Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(Self::due(now))
            .order_by_asc(Column::NextAttemptAt)
            .order_by_asc(Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(&self.db)
            .await?;
        if ids.is_empty() {
            return Ok(0);
        }
        let token = app::crypto::random_hex::<12>();
        webhook_delivery::Entity::update_many()
            .col_expr(Column::Status, Expr::value(DeliveryStatus::Sending.as_str()))
            .col_expr(Column::ClaimToken, Expr::value(token.clone()))
            .col_expr(Column::LeaseUntil, Expr::value(now + chrono::Duration::from_std(LEASE)?))
            .filter(Column::Id.is_in(ids))
            .filter(Self::due(now))
            .exec(&self.db)
            .await?;
        let claimed = webhook_delivery::Entity::find()
            .filter(Column::ClaimToken.eq(token.clone()))
            .filter(Column::Status.eq(DeliveryStatus::Sending.as_str()))
            .order_by_asc(Column::Id)
            .all(&self.db)
            .await?;
        let endpoint_ids: Vec<i32> = claimed.iter().map(|d| d.endpoint_id).collect();
        let endpoints: HashMap<i32, webhook_endpoint::Model> = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::Id.is_in(endpoint_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        // Whether each organization allows private addresses, read once for the batch.
        let org_ids: Vec<i32> = endpoints.values().map(|e| e.organization_id).collect();
        let private_allowed: HashMap<i32, bool> = organization::Entity::find()
            .filter(organization::Column::Id.is_in(org_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.webhooks_private_allowed))
            .collect();
        let n = claimed.len();
        let results: Vec<_> = futures::stream::iter(claimed)
            .map(|d| {
                let endpoint = endpoints.get(&d.endpoint_id).cloned();
                let allowed = endpoint.as_ref().and_then(|e| private_allowed.get(&e.organization_id)).copied();
                async move {
                    let started = Instant::now();
                    let outcome = match (&endpoint, allowed) {
                        (Some(e), Some(allowed)) if e.enabled => self.send(e, allowed, &d).await,
                        (Some(_), None) => Outcome::Fail("the organization is gone".into()),
                        _ => Outcome::Fail("the endpoint is turned off".into()),
                    };
                    (d, endpoint, outcome, started.elapsed())
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        for (delivery, endpoint, outcome, took) in results {
            self.record(&token, delivery, endpoint, outcome, took).await?;
        }
        Ok(n)
    }

    /// `private_allowed`: the organization allows private and loopback addresses.
    async fn send(
        &self,
        endpoint: &webhook_endpoint::Model,
        private_allowed: bool,
        d: &webhook_delivery::Model,
    ) -> Outcome {
        let url = match url::Url::parse(&endpoint.url) {
            Ok(url) => url,
            Err(e) => return Outcome::Fail(format!("not a URL: {e}")),
        };
        let Some(host) = url.host_str().map(str::to_string) else { return Outcome::Fail("no host".into()) };
        let port = url.port_or_known_default().unwrap_or(443);
        let lookup = host.trim_start_matches('[').trim_end_matches(']').to_string();
        let addresses: Vec<SocketAddr> = match tokio::net::lookup_host((lookup.as_str(), port)).await {
            Ok(found) => found.collect(),
            Err(e) => return Outcome::Retry(None, format!("resolving {host}: {e}")),
        };
        if !private_allowed && addresses.iter().any(|a| app::webhooks::ssr::is_private(a.ip())) {
            return Outcome::Fail(format!(
                "{host} is a private or loopback address: refused (the organization does not allow them)"
            ));
        }
        let Some(address) = addresses.first().copied() else {
            return Outcome::Retry(None, format!("{host} has no address"));
        };
        let client = match reqwest::Client::builder()
            .resolve(&lookup, address)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.config.timeout)
            .user_agent("Roadshow-Webhooks/1")
            .build()
        {
            Ok(client) => client,
            Err(e) => return Outcome::Retry(None, format!("building the client: {e}")),
        };
        let timestamp = Utc::now().timestamp();
        let signature = app::webhooks::ssr::signature(&endpoint.secret, &d.message_id, timestamp, &d.payload);
        let answer = client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &d.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(d.payload.clone())
            .send()
            .await;
        match answer {
            Ok(r) if r.status().is_success() => Outcome::Delivered(r.status().as_u16()),
            Ok(r) => Outcome::Retry(Some(r.status().as_u16()), format!("answered {}", r.status())),
            Err(e) if e.is_timeout() => {
                Outcome::Retry(None, format!("no answer within {} s", self.config.timeout.as_secs_f32()))
            }
            Err(e) => Outcome::Retry(None, format!("{e}")),
        }
    }

    async fn record(
        &self,
        token: &str,
        d: webhook_delivery::Model,
        endpoint: Option<webhook_endpoint::Model>,
        outcome: Outcome,
        took: Duration,
    ) -> anyhow::Result<()> {
        let now = Utc::now();
        let attempts = d.attempts + 1;
        let mut row: webhook_delivery::ActiveModel = d.clone().into();
        row.attempts = Set(attempts);
        row.last_attempt_at = Set(Some(now));
        row.last_duration_ms = Set(Some(took.as_millis().min(i32::MAX as u128) as i32));
        row.claim_token = Set(None);
        row.lease_until = Set(None);
        let mut gave_up = None;
        match outcome {
            Outcome::Delivered(code) => {
                row.status = Set(DeliveryStatus::Delivered);
                row.last_status_code = Set(Some(i32::from(code)));
                row.last_error = Set(String::new());
                row.delivered_at = Set(Some(now));
            }
            Outcome::Retry(code, error) => {
                row.last_status_code = Set(code.map(i32::from));
                row.last_error = Set(error.chars().take(500).collect());
                match self.config.retries.get(d.attempts as usize) {
                    Some(wait) => {
                        row.status = Set(DeliveryStatus::Pending);
                        row.next_attempt_at = Set(now + chrono::Duration::from_std(*wait)?);
                    }
                    None => {
                        row.status = Set(DeliveryStatus::Failed);
                        gave_up = Some(error);
                    }
                }
            }
            Outcome::Fail(error) => {
                row.status = Set(DeliveryStatus::Failed);
                row.last_status_code = Set(None);
                row.last_error = Set(error.chars().take(500).collect());
            }
        }
        // Only the claim holder records: a worker whose lease ran out leaves it to the next.
        let updated = webhook_delivery::Entity::update_many()
            .set(row)
            .filter(Column::Id.eq(d.id))
            .filter(Column::ClaimToken.eq(token))
            .exec(&self.db)
            .await?;
        if let (Some(error), Some(endpoint), 1) = (gave_up, endpoint, updated.rows_affected) {
            self.turn_off(endpoint, &error).await?;
        }
        Ok(())
    }

    /// Turns the endpoint off after a day of failures and tells the owners.
    async fn turn_off(&self, endpoint: webhook_endpoint::Model, error: &str) -> anyhow::Result<()> {
        if !endpoint.enabled {
            return Ok(());
        }
        let txn = app::db::begin_write(&self.db).await?;
        let reason = format!("turned off after a day of failed deliveries (last: {error})");
        let mut model: webhook_endpoint::ActiveModel = endpoint.clone().into();
        model.enabled = Set(false);
        model.disabled_reason = Set(reason.chars().take(500).collect());
        model.updated_at = Set(Utc::now());
        model.update(&txn).await?;
        let owners = membership::Entity::find()
            .filter(membership::Column::OrganizationId.eq(endpoint.organization_id))
            .filter(membership::Column::Role.eq(Role::Owner.as_str()))
            .find_also_related(user::Entity)
            .all(&txn)
            .await?;
        let now = Utc::now();
        for (_, owner) in owners {
            let Some(owner) = owner else { continue };
            let message = NewMessage {
                organization_id: Some(endpoint.organization_id),
                registration_id: None,
                kind: MessageKind::WebhookDisabled,
                to_address: owner.email.clone(),
                to_name: owner.name.clone(),
                composed: disabled_mail(&endpoint, error),
            };
            app::mail::ssr::enqueue(&txn, &self.mail, message, now).await?;
        }
        txn.commit().await?;
        self.mail_wakeup.notify_one();
        tracing::warn!(endpoint = endpoint.id, "webhook endpoint turned off: {error}");
        Ok(())
    }
}

/// The owners' email, in both languages (an owner's language is not known).
fn disabled_mail(endpoint: &webhook_endpoint::Model, error: &str) -> Composed {
    let url = &endpoint.url;
    let text = format!(
        "Webhook 端点已停用：{url}\n过去约一天的投递全部失败（最后一次：{error}）。修复接收方后，请在“API 令牌 → Webhooks”页面重新启用并重发失败的投递。\n\n\
         A webhook endpoint was turned off: {url}\nEvery delivery failed for about a day (last: {error}). Once the receiver is fixed, turn it on again on the Webhooks page and redeliver what failed.\n"
    );
    let html = format!(
        "<p>Webhook 端点已停用：<code>{u}</code><br>过去约一天的投递全部失败（最后一次：{e}）。</p>\
         <p>A webhook endpoint was turned off: <code>{u}</code><br>Every delivery failed for about a day (last: {e}).</p>",
        u = app::html::escape(url),
        e = app::html::escape(error),
    );
    Composed {
        subject: "Webhook 端点已停用 / A webhook endpoint was turned off".into(), text, html, calendar: None
    }
}
