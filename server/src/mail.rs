//! The mail worker: delivers what the outbox holds, over SMTP (pooled connections) or,
//! with no SMTP configured, into a folder of `.eml` files. Several server processes can
//! run it at once: a message is claimed with a lease before it is sent.
//!
//! Delivery is at least once: a process that dies after the SMTP server accepted a
//! message but before recording it sends it again when the lease expires, with the
//! same `Message-ID`, which lets mail systems drop the copy.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::entities::outbox_message::{self, Column};
use app::mail::OutboxStatus;
use app::state::MailConfig;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use lettre::{
    Message,
    message::{
        Attachment, Mailbox, MultiPart, SinglePart,
        dkim::{DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm, DkimSigningKey},
        header::{ContentType, HeaderName, HeaderValue},
    },
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};
use secrecy::ExposeSecret;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(60 * 60);
/// Messages claimed at once.
const BATCH: u64 = 64;
/// The messages waiting for an attempt, as the partial index `idx_outbox_waiting` (migration
/// 000023) states them.
const WAITING: &str = "status IN ('queued', 'retrying')";

use crate::smtp::{SendError, Smtp};

enum Transport {
    Smtp(Box<Smtp>),
    Folder(PathBuf),
}

/// Why an attempt did not deliver.
enum Failure {
    /// Worth trying again later: a 4xx answer, a refused or dropped connection, a timeout.
    Transient(String),
    /// Never going to work: a message that cannot be built.
    Permanent(String),
    /// The receiving server refused it for good (a 5xx answer): the address bounces, and
    /// no marketing email goes to it again.
    Bounced(String),
    /// A marketing message to an address that unsubscribed or bounced since it was queued.
    Suppressed,
}

/// A message tried, with what the attempt came to.
type Tried = (outbox_message::Model, Result<(), Failure>);

pub struct Worker {
    db: DatabaseConnection,
    transport: Transport,
    config: MailConfig,
    /// Base of the unsubscribe links in the headers of marketing messages.
    public_url: String,
    dkim: Option<DkimConfig>,
    wakeup: Arc<Notify>,
    /// When the claim last looked for leases that ran out.
    leases_looked_at: Mutex<Option<Instant>>,
}

impl Worker {
    pub fn new(
        db: DatabaseConnection,
        config: MailConfig,
        public_url: String,
        wakeup: Arc<Notify>,
    ) -> anyhow::Result<Worker> {
        let dkim = match &config.dkim {
            Some(key) => {
                let algorithm = match key.algorithm.as_str() {
                    "ed25519" => DkimSigningAlgorithm::Ed25519,
                    _ => DkimSigningAlgorithm::Rsa,
                };
                let signing_key = DkimSigningKey::new(key.private_key.expose_secret(), algorithm)
                    .map_err(|e| anyhow::anyhow!("DKIM_PRIVATE_KEY: {e}"))?;
                let domain = key.domain.clone().unwrap_or_else(|| {
                    config.from_email.rsplit_once('@').map(|(_, d)| d.to_string()).unwrap_or_default()
                });
                // Relaxed both ways: relays may refold long (encoded) headers. The
                // unsubscribe headers are signed, as RFC 8058 asks (a header a message
                // lacks adds nothing to the signature).
                let headers =
                    ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"]
                        .into_iter()
                        .map(HeaderName::new_from_ascii_str)
                        .collect();
                let relaxed = DkimCanonicalization {
                    header: DkimCanonicalizationType::Relaxed,
                    body: DkimCanonicalizationType::Relaxed,
                };
                Some(DkimConfig::new(key.selector.clone(), domain, signing_key, headers, relaxed))
            }
            None => None,
        };
        let transport = match &config.smtp_url {
            Some(url) => {
                let smtp =
                    Smtp::from_settings(url.expose_secret(), config.smtp_ca_file.as_deref(), config.concurrency)?;
                Transport::Smtp(Box::new(smtp))
            }
            None => {
                std::fs::create_dir_all(&config.folder)
                    .map_err(|e| anyhow::anyhow!("creating mail folder {}: {e}", config.folder.display()))?;
                Transport::Folder(config.folder.clone())
            }
        };
        Ok(Worker { db, transport, config, public_url, dkim, wakeup, leases_looked_at: Mutex::new(None) })
    }

    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(smtp) => smtp.describe(),
            Transport::Folder(dir) => format!("the folder {}", dir.display()),
        }
    }

    /// Runs until `shutdown`: delivers what is due, then waits for a wake-up or for the
    /// next retry to come due (polling at most every second). At shutdown the messages being
    /// sent finish, those claimed but not started are given back at once (another process
    /// takes them without waiting for the lease), and the idle SMTP connections say QUIT.
    pub fn spawn(self, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let worker = Arc::new(self);
            while !shutdown.is_cancelled() {
                let pause = match worker.run_until(&shutdown).await {
                    Ok(0) => Duration::from_secs(1),
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::warn!("mail worker: {e:#}");
                        Duration::from_secs(1)
                    }
                };
                tokio::select! {
                    _ = tokio::time::timeout(pause, worker.wakeup.notified()) => {}
                    () = shutdown.cancelled() => {}
                }
            }
            if let Transport::Smtp(smtp) = &worker.transport {
                smtp.close().await;
            }
            tracing::info!("mail worker stopped");
        })
    }

    /// Claims and delivers one batch of due messages; returns how many it handled.
    pub async fn run_once(self: &Arc<Self>) -> anyhow::Result<usize> {
        self.run_until(&CancellationToken::new()).await
    }

    /// One batch, starting no new delivery once `stop` is cancelled. On SQLite the
    /// outcomes are recorded together in one write transaction (one write lock per batch
    /// instead of one per message, which leaves the lock to registrations). On PostgreSQL
    /// they are recorded as soon as they are known, those that arrive while the previous
    /// group is being written in one statement (under load, dozens of messages share one
    /// commit and its WAL flush, which the registrations' commits would otherwise queue
    /// behind), while the next deliveries go on. A worker killed mid-batch thus leaves only the messages of the group being
    /// written sent but unrecorded; those go again, with the same `Message-ID`, when the
    /// lease runs out.
    async fn run_until(self: &Arc<Self>, stop: &CancellationToken) -> anyhow::Result<usize> {
        let (token, claimed) = self.claim(Utc::now()).await?;
        let ids: Vec<i32> = claimed.iter().map(|m| m.id).collect();
        let tried = futures::stream::iter(claimed)
            .take_until(stop.cancelled())
            .map(|message| {
                let worker = self.clone();
                async move {
                    let result = worker.deliver(&message).await;
                    (message, result)
                }
            })
            .buffer_unordered(self.config.concurrency.max(1));
        let mut handled = Vec::with_capacity(ids.len());
        if app::db::is_postgres(&self.db) {
            // The recorder is a task of its own: the deliveries go on being driven while it
            // writes (a delivery left unpolled mid-query would keep its pooled connection
            // from the recorder that waits for one), and what arrives meanwhile is the next
            // group.
            let (outcomes, mut arrived) = tokio::sync::mpsc::unbounded_channel::<Tried>();
            let recorder = {
                let (worker, token) = (self.clone(), token.clone());
                tokio::spawn(async move {
                    let (mut recorded, mut group) = (Vec::new(), Vec::new());
                    while arrived.recv_many(&mut group, BATCH as usize).await > 0 {
                        recorded.extend(group.iter().map(|(m, _)| m.id));
                        worker.record_group(std::mem::take(&mut group), &token).await?;
                    }
                    anyhow::Ok(recorded)
                })
            };
            tried
                .for_each(|one| {
                    // Refused only once the recorder has failed, which the join below reports.
                    let _ = outcomes.send(one);
                    std::future::ready(())
                })
                .await;
            drop(outcomes);
            handled.extend(recorder.await??);
            let untouched = untried(&ids, &handled);
            if !untouched.is_empty() {
                Self::release(&self.db, &token, untouched).await?;
            }
        } else {
            let group: Vec<Tried> = tried.collect().await;
            handled.extend(group.iter().map(|(m, _)| m.id));
            let untouched = untried(&ids, &handled);
            if group.is_empty() && untouched.is_empty() {
                return Ok(0);
            }
            let txn = app::db::begin_write(&self.db).await?;
            self.record(&txn, group, &token).await?;
            if !untouched.is_empty() {
                Self::release(&txn, &token, untouched).await?;
            }
            txn.commit().await?;
        }
        Ok(handled.len())
    }

    /// Records a group on PostgreSQL: delivered messages alone take one statement, its
    /// own transaction (no BEGIN and COMMIT round trips); anything else (a bounce writes
    /// two rows) takes a transaction.
    async fn record_group(&self, group: Vec<Tried>, token: &str) -> anyhow::Result<()> {
        if group.iter().all(|(_, result)| result.is_ok()) {
            return self.record(&self.db, group, token).await;
        }
        let txn = app::db::begin_write(&self.db).await?;
        self.record(&txn, group, token).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Gives claimed messages back untried: due again now, for any worker.
    async fn release(db: &impl ConnectionTrait, token: &str, ids: Vec<i32>) -> anyhow::Result<()> {
        for (tried, status) in [(false, OutboxStatus::Queued), (true, OutboxStatus::Retrying)] {
            let attempts = if tried { Column::Attempts.gt(0) } else { Column::Attempts.eq(0) };
            outbox_message::Entity::update_many()
                .col_expr(Column::Status, Expr::value(status.as_str()))
                .col_expr(Column::ClaimToken, Expr::value(Option::<String>::None))
                .col_expr(Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(Column::Id.is_in(ids.clone()))
                .filter(Column::ClaimToken.eq(token))
                .filter(attempts)
                .exec(db)
                .await?;
        }
        tracing::info!(messages = ids.len(), "mail worker: claimed messages given back at shutdown");
        Ok(())
    }

    fn due(now: DateTime<Utc>) -> Condition {
        Condition::any()
            .add(
                Condition::all()
                    .add(Column::Status.is_in([OutboxStatus::Queued.as_str(), OutboxStatus::Retrying.as_str()]))
                    .add(Column::NextAttemptAt.lte(now)),
            )
            .add(
                Condition::all().add(Column::Status.eq(OutboxStatus::Sending.as_str())).add(Column::LeaseUntil.lt(now)),
            )
    }

    /// Whether the claim looks for leases that ran out, which only a process that died
    /// leaves: at most four times a lease, not at every batch (in a busy outbox the leases
    /// being sent and just recorded are thousands of index entries to step over, 3 ms a look).
    fn time_to_look_at_leases(&self) -> bool {
        let mut last = self.leases_looked_at.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let due = last.is_none_or(|at| at.elapsed() >= self.config.lease / 4);
        if due {
            *last = Some(Instant::now());
        }
        due
    }

    /// Takes due messages for this worker: first those whose lease ran out (they came due
    /// before they were claimed), then those waiting, in the order they came due. Each read
    /// stops after a batch; the second walks the partial index `idx_outbox_waiting` (its
    /// condition written as literals, so the planner can tell the index applies) instead of
    /// sorting the whole backlog. The conditional UPDATE is the lock: of two processes
    /// racing for a row, only one changes it, and only its rows come back.
    async fn claim(&self, now: DateTime<Utc>) -> anyhow::Result<(String, Vec<outbox_message::Model>)> {
        let mut ids: Vec<i32> = if self.time_to_look_at_leases() {
            outbox_message::Entity::find()
                .select_only()
                .column(Column::Id)
                .filter(Column::Status.eq(OutboxStatus::Sending.as_str()))
                .filter(Column::LeaseUntil.lt(now))
                .order_by_asc(Column::LeaseUntil)
                .limit(BATCH)
                .into_tuple()
                .all(&self.db)
                .await?
        } else {
            vec![]
        };
        let room = BATCH - ids.len() as u64;
        if room > 0 {
            let waiting: Vec<i32> = outbox_message::Entity::find()
                .select_only()
                .column(Column::Id)
                .filter(Expr::cust(WAITING))
                .filter(Column::NextAttemptAt.lte(now))
                .order_by_asc(Column::NextAttemptAt)
                .order_by_asc(Column::Id)
                .limit(room)
                .into_tuple()
                .all(&self.db)
                .await?;
            ids.extend(waiting);
        }
        if ids.is_empty() {
            return Ok((String::new(), vec![]));
        }
        let token = app::crypto::random_hex::<12>();
        let lease = now + chrono::Duration::from_std(self.config.lease)?;
        let mut claimed = outbox_message::Entity::update_many()
            .col_expr(Column::Status, Expr::value(OutboxStatus::Sending.as_str()))
            .col_expr(Column::ClaimToken, Expr::value(token.clone()))
            .col_expr(Column::LeaseUntil, Expr::value(lease))
            .filter(Column::Id.is_in(ids))
            .filter(Self::due(now))
            .exec_with_returning(&self.db)
            .await?;
        claimed.sort_by_key(|m| m.id);
        Ok((token, claimed))
    }

    #[tracing::instrument(name = "deliver", skip_all, fields(message = m.id))]
    async fn deliver(&self, m: &outbox_message::Model) -> Result<(), Failure> {
        if m.marketing {
            match app::marketing::ssr::is_suppressed(&self.db, &m.to_address).await {
                Ok(true) => return Err(Failure::Suppressed),
                Ok(false) => {}
                Err(e) => return Err(Failure::Transient(format!("checking the suppression list: {e}"))),
            }
        }
        let mut message = match build(m, &self.config, &self.public_url) {
            Ok(message) => message,
            Err(e) => return Err(Failure::Permanent(format!("message could not be built: {e}"))),
        };
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
        match &self.transport {
            Transport::Smtp(smtp) => match smtp.send(&message).await {
                Ok(()) => Ok(()),
                Err(SendError::Smtp(e)) if e.is_permanent() && recipient_refused(&e) => {
                    Err(Failure::Bounced(e.to_string()))
                }
                Err(SendError::Smtp(e)) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
                Err(e) => Err(Failure::Transient(e.to_string())),
            },
            Transport::Folder(dir) => {
                // Written in the batch's own task, one file after the other: a write to the
                // page cache takes microseconds, less than two hand-offs to the blocking pool,
                // and sixteen tasks creating files in one folder at once mostly wait on its lock.
                let path = dir.join(format!("{:06}-{}.eml", m.id, m.kind.as_str()));
                let partial = path.with_extension("eml.part");
                let written = std::fs::write(&partial, message.formatted());
                match written.and_then(|()| std::fs::rename(&partial, &path)) {
                    Ok(()) => Ok(()),
                    Err(e) => Err(Failure::Transient(format!("writing {}: {e}", path.display()))),
                }
            }
        }
    }

    /// Records what a group of attempts came to: the delivered messages in one statement,
    /// each failure in its own.
    async fn record(&self, db: &impl ConnectionTrait, group: Vec<Tried>, token: &str) -> anyhow::Result<()> {
        let now = Utc::now();
        let (sent, failed): (Vec<Tried>, Vec<Tried>) = group.into_iter().partition(|(_, result)| result.is_ok());
        if !sent.is_empty() {
            outbox_message::Entity::update_many()
                .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
                .col_expr(Column::ClaimToken, Expr::value(Option::<String>::None))
                .col_expr(Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .col_expr(Column::UpdatedAt, Expr::value(now))
                .col_expr(Column::Status, Expr::value(OutboxStatus::Sent.as_str()))
                .col_expr(Column::SentAt, Expr::value(Some(now)))
                .col_expr(Column::LastError, Expr::value(Option::<String>::None))
                .filter(Column::Id.is_in(sent.iter().map(|(m, _)| m.id)))
                .filter(Column::ClaimToken.eq(token))
                .exec(db)
                .await?;
        }
        for (m, result) in failed {
            if let Err(failure) = result {
                self.record_failure(db, &m, token, failure, now).await?;
            }
        }
        Ok(())
    }

    async fn record_failure(
        &self,
        db: &impl ConnectionTrait,
        m: &outbox_message::Model,
        token: &str,
        failure: Failure,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let attempts = m.attempts + 1;
        let update = outbox_message::Entity::update_many()
            .col_expr(Column::Attempts, Expr::value(attempts))
            .col_expr(Column::ClaimToken, Expr::value(Option::<String>::None))
            .col_expr(Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(Column::UpdatedAt, Expr::value(now));
        let update = match failure {
            Failure::Transient(error) if attempts < self.config.max_attempts => {
                let next = now + chrono::Duration::from_std(backoff(self.config.retry_base, attempts))?;
                tracing::info!(id = m.id, attempts, %error, "mail delivery will be retried");
                update
                    .col_expr(Column::Status, Expr::value(OutboxStatus::Retrying.as_str()))
                    .col_expr(Column::NextAttemptAt, Expr::value(next))
                    .col_expr(Column::LastError, Expr::value(Some(error)))
            }
            Failure::Transient(error) | Failure::Permanent(error) => {
                tracing::warn!(id = m.id, attempts, %error, "mail delivery failed");
                update
                    .col_expr(Column::Status, Expr::value(OutboxStatus::Failed.as_str()))
                    .col_expr(Column::LastError, Expr::value(Some(error)))
            }
            Failure::Bounced(error) => {
                tracing::warn!(id = m.id, attempts, %error, "mail bounced: no more marketing email to this address");
                app::marketing::ssr::suppress(db, &m.to_address, "bounced").await?;
                update
                    .col_expr(Column::Status, Expr::value(OutboxStatus::Failed.as_str()))
                    .col_expr(Column::LastError, Expr::value(Some(error)))
            }
            Failure::Suppressed => update
                .col_expr(Column::Status, Expr::value(OutboxStatus::Failed.as_str()))
                .col_expr(Column::LastError, Expr::value(Some(app::mail::SUPPRESSED.to_string()))),
        };
        update.filter(Column::Id.eq(m.id)).filter(Column::ClaimToken.eq(token)).exec(db).await?;
        Ok(())
    }
}

/// Whether a permanent refusal is about the recipient's address (it bounces) rather than
/// the sender, the login or the content — those must not put the guest list on the
/// suppression list. By the enhanced status code when the server gives one (RFC 3463:
/// 5.1.x addressing, except 5.1.7/5.1.8 which are about the sender; 5.2.1 a disabled
/// mailbox), else by the reply code (550, 551, 553).
fn recipient_refused(error: &lettre::transport::smtp::Error) -> bool {
    let text = error.to_string();
    let enhanced = text.split_whitespace().find(|w| {
        let parts: Vec<&str> = w.split('.').collect();
        parts.len() == 3
            && parts[0] == "5"
            && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    });
    match enhanced {
        Some(code) => (code.starts_with("5.1.") && !matches!(code, "5.1.7" | "5.1.8")) || code == "5.2.1",
        None => error.status().is_some_and(|code| matches!(code.to_string().as_str(), "550" | "551" | "553")),
    }
}

/// The claimed messages a batch did not get to (it was stopped).
fn untried(claimed: &[i32], handled: &[i32]) -> Vec<i32> {
    claimed.iter().copied().filter(|id| !handled.contains(id)).collect()
}

/// `base · 2^(attempt-1)`, capped at an hour, then ±25 % of jitter so that messages
/// failing together do not come back together.
pub fn backoff(base: Duration, attempt: i32) -> Duration {
    use rand::Rng;
    let exponent = (attempt - 1).clamp(0, 20) as u32;
    let delay = base.saturating_mul(2u32.saturating_pow(exponent)).min(MAX_BACKOFF);
    delay.mul_f64(rand::rng().random_range(0.75..=1.25))
}

/// The MIME message as the guest receives it: text and HTML alternatives, and for
/// calendar invitations a `text/calendar; method=…` alternative plus an `invite.ics`
/// attachment (mail clients differ in which of the two they act on). A marketing message
/// carries the one-click unsubscribe headers of RFC 8058.
fn build(m: &outbox_message::Model, config: &MailConfig, public_url: &str) -> anyhow::Result<Message> {
    let from = Mailbox::new(Some(config.from_name.clone()), config.from_email.parse()?);
    let to = Mailbox::new(Some(m.to_name.clone()), m.to_address.parse()?);
    let mut alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(m.text_body.clone()))
        .singlepart(SinglePart::html(app::mail::qr::expand(&m.html_body).into_owned()));
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(m.message_id.clone()))
        .date(m.created_at.into());
    if let (true, Some(token)) = (m.marketing, &m.unsubscribe_token) {
        let url = format!("{public_url}/unsubscribe/{token}");
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    let message = match (&m.calendar, &m.calendar_method) {
        (Some(ics), Some(method)) => {
            let content_type = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))?;
            alternative = alternative.singlepart(SinglePart::builder().header(content_type).body(ics.clone()));
            let attachment =
                Attachment::new("invite.ics".into()).body(ics.clone(), ContentType::parse("application/ics")?);
            builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(attachment))?
        }
        _ => builder.multipart(alternative)?,
    };
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let base = Duration::from_secs(30);
        for _ in 0..50 {
            let first = backoff(base, 1);
            assert!(first >= Duration::from_millis(22_500) && first <= Duration::from_millis(37_500));
            let fourth = backoff(base, 4);
            assert!(fourth >= Duration::from_secs(180) && fourth <= Duration::from_secs(300));
            assert!(backoff(base, 30) <= MAX_BACKOFF.mul_f64(1.25));
        }
    }
}
