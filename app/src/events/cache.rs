//! Public events kept in memory: read far more often than written. What the public page
//! shows ([`EventDto`]) and what registering needs before it takes a seat
//! ([`RegistrationTarget`]), each by slug.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter};

use super::EventDto;
use crate::domain::questions::Question;
use crate::entities::event;
use crate::error::AppError;
use crate::state::AppState;

/// The server's cache (a part of `AppState`).
pub fn of(state: &AppState) -> Result<Arc<PublicEventCache>, AppError> {
    state.part::<Arc<PublicEventCache>>()
}

/// How long a kept event (and a page the server keeps, rendered from one) is used without
/// reading it again. On PostgreSQL the database tells every process of each change as it
/// commits (see [`PublicEventCache::changed_elsewhere`]), which drops what was kept at once;
/// this bounds the rest: a change on SQLite made by another process, one made while the
/// listening connection was being reopened, and what moves with the clock alone (a
/// registration deadline passing), each shown within twice this time, under a second.
pub const FRESH_FOR: Duration = Duration::from_millis(500);

/// How the database names a change of an event's seat counts alone (migration 000022).
const SEATS: &str = ":seats:";

/// What registering reads before it queues its write: the event (its seat is decided
/// again under the write lock, from the row as it then is), its questions and the name
/// its emails come from. At most [`FRESH_FOR`] old.
pub struct RegistrationTarget {
    pub event: event::Model,
    pub questions: Vec<Question>,
    pub organizer: String,
}

/// Values by slug, each with the time it was read.
struct Shelf<T> {
    by_slug: RwLock<HashMap<String, (Arc<T>, Instant)>>,
}

impl<T> Default for Shelf<T> {
    fn default() -> Self {
        Shelf { by_slug: RwLock::new(HashMap::new()) }
    }
}

impl<T> Shelf<T> {
    fn fresh(&self, slug: &str) -> Option<Arc<T>> {
        let map = self.by_slug.read().unwrap_or_else(|e| e.into_inner());
        map.get(slug).filter(|(_, read)| read.elapsed() < FRESH_FOR).map(|(value, _)| value.clone())
    }
}

/// Public events are read far more often than written: keep them in memory for
/// [`FRESH_FOR`] and drop the lot on any event write of this process, or of another one
/// when the database tells. Each change moves the generation, which the server's kept
/// pages are checked against.
#[derive(Default)]
pub struct PublicEventCache {
    pages: Shelf<EventDto>,
    targets: Shelf<RegistrationTarget>,
    /// Moves with every change (an event's page or its seats).
    generation: AtomicU64,
    /// Moves with every change of an event itself (not of its seats).
    edits: AtomicU64,
}

impl PublicEventCache {
    pub async fn get_or_load(&self, db: &DatabaseConnection, slug: &str) -> Result<Arc<EventDto>, AppError> {
        self.load(&self.pages, &self.generation, slug, super::ssr::get_public(db, slug)).await
    }

    /// The event at `slug` (any status: the write decides what may register), its
    /// questions and organizer.
    pub async fn registration_target(
        &self,
        db: &DatabaseConnection,
        mail: &crate::mail::ssr::MailSettings,
        slug: &str,
    ) -> Result<Arc<RegistrationTarget>, AppError> {
        let read = async {
            use sea_orm::ColumnTrait;
            let event =
                event::Entity::find().filter(event::Column::Slug.eq(slug)).one(db).await?.ok_or(AppError::NotFound)?;
            let questions = super::ssr::questions_of(db, event.id).await?;
            let organizer = crate::mail::ssr::EventMailer::new(db, mail, &event).await?.organizer().to_string();
            Ok(RegistrationTarget { event, questions, organizer })
        };
        self.load(&self.targets, &self.edits, slug, read).await
    }

    /// The fresh value on `shelf`, or `read` kept there, unless `changes` moved while it
    /// was read (then it is used once, not kept).
    async fn load<T>(
        &self,
        shelf: &Shelf<T>,
        changes: &AtomicU64,
        slug: &str,
        read: impl Future<Output = Result<T, AppError>>,
    ) -> Result<Arc<T>, AppError> {
        if let Some(hit) = shelf.fresh(slug) {
            return Ok(hit);
        }
        let before = changes.load(Ordering::Acquire);
        let read_at = Instant::now();
        let value = Arc::new(read.await?);
        let mut map = shelf.by_slug.write().unwrap_or_else(|e| e.into_inner());
        if changes.load(Ordering::Acquire) != before {
            return Ok(value);
        }
        if map.len() > 10_000 {
            map.clear();
        }
        map.insert(slug.to_string(), (value.clone(), read_at));
        Ok(value)
    }

    /// A change committed by any process (this one too): `*` for anything,
    /// `:seats:<slug>` for an event's seat counts alone (its page is dropped, what
    /// registering reads stays), else an event's slug, whose event and page are dropped.
    pub fn changed_elsewhere(&self, what: &str) {
        match what.strip_prefix(SEATS) {
            Some(slug) => self.invalidate(slug),
            None => self.drop_events((what != "*").then_some(what)),
        }
    }

    /// Moves with every change of any public event (its page or its seats).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn clear(&self) {
        self.drop_events(None);
    }

    /// Drops one event (its page and what registering reads), or every event, and moves
    /// both counters.
    fn drop_events(&self, slug: Option<&str>) {
        let mut pages = self.pages.by_slug.write().unwrap_or_else(|e| e.into_inner());
        let mut targets = self.targets.by_slug.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.edits.fetch_add(1, Ordering::AcqRel);
        match slug {
            Some(slug) => {
                pages.remove(slug);
                targets.remove(slug);
            }
            None => {
                pages.clear();
                targets.clear();
            }
        }
    }

    /// Drops one event's page, e.g. after a registration changed its seats left (what
    /// registering reads does not change with the seats: it stays).
    pub fn invalidate(&self, slug: &str) {
        let mut pages = self.pages.by_slug.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        pages.remove(slug);
    }
}
