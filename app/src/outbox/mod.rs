//! The organizer's Outbox: every email the product sent or will send, newest first, with
//! its delivery status; one message whole, as the guest receives it.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::mail::OutboxStatus;

/// One message in the organizer's Outbox list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i32,
    pub to_address: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OutboxList {
    pub rows: Vec<OutboxRow>,
    /// Messages per status, in the order of `OutboxStatus::ALL`.
    pub counts: Vec<(OutboxStatus, u64)>,
}

/// One message whole, as the guest receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessageView {
    pub row: OutboxRow,
    pub to_name: String,
    pub message_id: String,
    pub text_body: String,
    pub html_body: String,
    pub calendar: Option<String>,
}

/// The organization's outgoing email, newest first (members, viewers included).
#[server(prefix = "/api", endpoint = "mail/outbox")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_outbox(#[server(default)] status: String) -> Result<OutboxList, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list(&db, member.organization_id, &status).await
}

#[server(prefix = "/api", endpoint = "mail/message")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_outbox_message(id: i32) -> Result<OutboxMessageView, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::get(&db, member.organization_id, id).await
}
