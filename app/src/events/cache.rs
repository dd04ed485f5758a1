//! The public event pages, kept in memory: read far more often than written.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use sea_orm::DatabaseConnection;

use super::EventDto;
use crate::error::AppError;
use crate::state::AppState;

/// The server's cache (a part of `AppState`).
pub fn of(state: &AppState) -> Result<Arc<PublicEventCache>, AppError> {
    state.part::<Arc<PublicEventCache>>()
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
        let event = Arc::new(super::ssr::get_public(db, slug).await?);
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
