//! What other server processes change, told by PostgreSQL: a connection of its own listens
//! on `roadshow_public` (the triggers of the migrations `change_notices` and `access_notices`
//! speak on it as each change commits) and drops what this process keeps at once: the public
//! pages, and the API tokens it recognized (on a change to any token or membership). It also
//! listens on `roadshow_door`, where each check-in is said as it commits, and hands it to
//! the phones this process serves (`app::registrations::ssr::DoorHub`). While the
//! connection is down (it is opened again, 1 s then up to 30 s apart), what is kept expires
//! after `FRESH_FOR` (500 ms) and `CHECKED_FOR` (1 s) as on SQLite.

use std::{sync::Arc, time::Duration};

use app::api_tokens::ssr::CheckedTokens;
use app::events::cache::PublicEventCache;
use sea_orm::sqlx::postgres::PgListener;
use tokio_util::sync::CancellationToken;

/// The channel the triggers speak on.
const CHANNEL: &str = "roadshow_public";

/// What a token or membership change says on the channel (else `*` or an event's slug,
/// which has no colon).
const ACCESS: &str = ":access";

/// What this process keeps that another's changes make stale.
pub struct Kept {
    pub events: Arc<PublicEventCache>,
    pub tokens: Arc<CheckedTokens>,
    pub door: app::registrations::ssr::DoorHub,
}

/// Listens until `shutdown`, reconnecting (after 1 s, then up to 30 s) when the
/// connection is lost.
pub fn spawn(url: String, kept: Kept, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut pause = Duration::from_secs(1);
        while !shutdown.is_cancelled() {
            let since = std::time::Instant::now();
            match listen(&url, &kept, &shutdown).await {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!("change notices: {e:#}; listening again in {} s", pause.as_secs());
                }
            }
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = shutdown.cancelled() => {}
            }
            // A connection that held for a minute starts the waits over.
            pause = if since.elapsed() > Duration::from_secs(60) {
                Duration::from_secs(1)
            } else {
                (pause * 2).min(Duration::from_secs(30))
            };
        }
    })
}

/// One listening connection, until `shutdown` (`Ok`) or until it breaks (`Err`).
async fn listen(url: &str, kept: &Kept, shutdown: &CancellationToken) -> anyhow::Result<()> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen_all([CHANNEL, app::registrations::ssr::CHANNEL]).await?;
    tracing::info!("listening for other processes' changes");
    loop {
        tokio::select! {
            notice = listener.try_recv() => match notice? {
                Some(notice) if notice.channel() == app::registrations::ssr::CHANNEL => kept.door.heard(notice.payload()),
                Some(notice) if notice.payload() == ACCESS => kept.tokens.forget(),
                Some(notice) => kept.events.changed_elsewhere(notice.payload()),
                None => anyhow::bail!("the listening connection was lost"),
            },
            () = shutdown.cancelled() => return Ok(()),
        }
    }
}
