//! The public event pages, kept in memory: read far more often than written.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use sea_orm::DatabaseConnection;

use super::EventDto;
use crate::error::AppError;
use crate::state::AppState;

/// The server's cache (a part of `AppState`).
pub fn of(state: &AppState) -> Result<Arc<PublicEventCache>, AppError> {
    state.part::<Arc<PublicEventCache>>()
}

/// How long a kept event (and a page the server keeps, rendered from one) is used without
/// reading it again: a change made by another server process shows within twice this time,
/// under a second.
pub const FRESH_FOR: Duration = Duration::from_millis(500);

/// Public event pages are read far more often than written: keep them in memory for
/// [`FRESH_FOR`] and drop the lot on any event write of this process. Each change moves
/// the generation, which the server's kept pages are checked against.
#[derive(Default)]
pub struct PublicEventCache {
    by_slug: RwLock<HashMap<String, (Arc<EventDto>, Instant)>>,
    generation: AtomicU64,
}

impl PublicEventCache {
    pub async fn get_or_load(&self, db: &DatabaseConnection, slug: &str) -> Result<Arc<EventDto>, AppError> {
        if let Some((hit, read)) = self.by_slug.read().unwrap_or_else(|e| e.into_inner()).get(slug)
            && read.elapsed() < FRESH_FOR
        {
            return Ok(hit.clone());
        }
        let generation = self.generation();
        let read = Instant::now();
        let event = Arc::new(super::ssr::get_public(db, slug).await?);
        let mut map = self.by_slug.write().unwrap_or_else(|e| e.into_inner());
        // A change while this was read makes what was read possibly old: not kept.
        if self.generation() != generation {
            return Ok(event);
        }
        if map.len() > 10_000 {
            map.clear();
        }
        map.insert(slug.to_string(), (event.clone(), read));
        Ok(event)
    }

    /// Moves with every change of any public event (its page or its seats).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn clear(&self) {
        let mut map = self.by_slug.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        map.clear();
    }

    /// Drops one page, e.g. after a registration changed its seats left.
    pub fn invalidate(&self, slug: &str) {
        let mut map = self.by_slug.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        map.remove(slug);
    }
}
