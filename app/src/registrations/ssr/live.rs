//! What every phone at an event's door hears: on PostgreSQL a check-in says its change
//! with `pg_notify` inside its transaction, so every process (this one too) hears it when
//! it commits and only if it does (`server`'s notices listener hands it to the hub); on
//! SQLite (one process) the caller hands the change to the hub once committed. Each
//! process's `DoorHub` passes the changes to the phones it serves
//! (`/admin/events/<id>/door/live`).

use std::sync::Arc;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tokio::sync::broadcast;

use crate::db::is_postgres;
use crate::entities::{event, registration};
use crate::error::AppError;
use crate::registrations::live::{DoorChange, DoorCounts, DoorGuest};

/// The PostgreSQL channel a check-in's change is said on.
pub const CHANNEL: &str = "roadshow_door";

/// What one guest's row gives the door.
pub fn guest_of(reg: &registration::Model) -> DoorGuest {
    DoorGuest(
        reg.check_in_code.clone(),
        reg.name.clone(),
        reg.company.clone(),
        reg.status,
        reg.checked_in_at.map(|at| at.timestamp()),
    )
}

/// The change `reg` (just written, in `db`'s transaction) makes at the door, with the
/// event's counts and version as the transaction leaves them.
pub async fn change_of(db: &impl ConnectionTrait, reg: &registration::Model) -> Result<DoorChange, AppError> {
    let event = event::Entity::find_by_id(reg.event_id).one(db).await?.ok_or(AppError::NotFound)?;
    let counts = counts_of(db, &event).await?;
    Ok(DoorChange {
        event_id: event.id,
        version: counts.version,
        guest: guest_of(reg),
        confirmed: counts.confirmed,
        waitlisted: counts.waitlisted,
        checked_in: counts.checked_in,
    })
}

/// An event's counts and version as they are now: what a phone hears first when it
/// starts watching.
pub async fn counts(db: &impl ConnectionTrait, org_id: i32, event_id: i32) -> Result<DoorCounts, AppError> {
    let event = crate::events::ssr::find_owned(db, org_id, event_id).await?;
    counts_of(db, &event).await
}

/// `event`'s counts as its row keeps them, and its guests checked in.
async fn counts_of(db: &impl ConnectionTrait, event: &event::Model) -> Result<DoorCounts, AppError> {
    let checked_in = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::CheckedInAt.is_not_null())
        .count(db)
        .await?;
    Ok(DoorCounts {
        version: event.registrations_version,
        capacity: event.capacity,
        confirmed: event.confirmed_count,
        waitlisted: event.waitlisted_count,
        checked_in: checked_in as i64,
    })
}

/// Says `change` to every process on PostgreSQL, when (and if) `txn` commits.
pub async fn tell(txn: &impl ConnectionTrait, change: &DoorChange) -> Result<(), AppError> {
    if is_postgres(txn) {
        let payload = serde_json::to_string(change).map_err(|e| AppError::internal(e.into()))?;
        let statement = sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), payload.into()],
        );
        txn.execute_raw(statement).await?;
    }
    Ok(())
}

/// Hands a committed change to this process's phones (SQLite; PostgreSQL's notice does it).
pub fn committed(change: Option<DoorChange>) {
    let hub = crate::state::app_state().ok().and_then(|state| state.part::<DoorHub>().ok());
    if let (Some(hub), Some(change)) = (hub, change) {
        hub.committed(change);
    }
}

/// The phones of one process watching their doors: each hears every change and keeps its
/// event's.
#[derive(Clone)]
pub struct DoorHub {
    sender: broadcast::Sender<Arc<DoorChange>>,
    postgres: bool,
    /// Raised when the process stops: the phones' streams end, so the server's graceful
    /// stop does not wait for them.
    closing: Arc<tokio::sync::watch::Sender<bool>>,
}

impl DoorHub {
    pub fn new(postgres: bool) -> Self {
        Self { sender: broadcast::channel(1024).0, postgres, closing: Arc::new(tokio::sync::watch::channel(false).0) }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<DoorChange>> {
        self.sender.subscribe()
    }

    /// Ends every phone's stream (the process is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Changes to `true` when the process stops.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// A change this process committed: told at once on SQLite; on PostgreSQL the notice
    /// brings it (to every process alike).
    pub fn committed(&self, change: DoorChange) {
        if !self.postgres {
            let _ = self.sender.send(Arc::new(change));
        }
    }

    /// A change PostgreSQL told (as `tell` said it).
    pub fn heard(&self, payload: &str) {
        match serde_json::from_str::<DoorChange>(payload) {
            Ok(change) => {
                let _ = self.sender.send(Arc::new(change));
            }
            Err(e) => tracing::warn!("a door change that does not read: {e}"),
        }
    }
}
