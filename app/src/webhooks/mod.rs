//! Webhooks: an organization's owners register HTTPS endpoints and choose the events each
//! wants; every such change writes a delivery in its own transaction, and the workers send
//! it signed as Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`),
//! retrying for up to a day. An endpoint failing that long is turned off and its owners
//! emailed. Owners see each endpoint's deliveries, redeliver one, or send a test event.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{DeliveryStatus, WebhookEvent};
use crate::error::AppError;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

/// An endpoint as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndpointRow {
    pub id: i32,
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEvent>,
    pub enabled: bool,
    pub disabled_reason: String,
    /// Shown to owners so the receiver can check signatures.
    pub secret: String,
    pub created_at: DateTime<Utc>,
}

/// One delivery in an endpoint's log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: i32,
    pub message_id: String,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_error: String,
    pub last_duration_ms: Option<i32>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// The organization's endpoints, and whether it allows private addresses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Webhooks {
    pub endpoints: Vec<EndpointRow>,
    pub private_allowed: bool,
}

/// A new endpoint as an owner fills it in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointForm {
    pub url: String,
    pub description: String,
    /// Ticked event types: `form[events][registration.created]=on`.
    pub events: BTreeMap<String, String>,
}

#[cfg(feature = "ssr")]
pub struct ValidEndpoint {
    pub url: url::Url,
    pub description: String,
    pub events: Vec<WebhookEvent>,
}

#[cfg(feature = "ssr")]
impl EndpointForm {
    /// `private_allowed`: plain `http://` is accepted too (a receiver on the organization's
    /// own network); otherwise only `https://`.
    pub fn parse(&self, private_allowed: bool) -> Result<ValidEndpoint, crate::error::FieldErrors> {
        use crate::domain;
        use crate::error::{FieldErrors, Reason};
        let mut e = FieldErrors::default();
        let url = match url::Url::parse(self.url.trim()) {
            _ if self.url.trim().is_empty() => {
                e.add("url", Reason::Required);
                None
            }
            _ if self.url.len() > 2000 => {
                e.add("url", Reason::TooLong { max: 2000 });
                None
            }
            Ok(url)
                if url.host_str().is_some()
                    && url.username().is_empty()
                    && (url.scheme() == "https" || (private_allowed && url.scheme() == "http")) =>
            {
                Some(url)
            }
            _ => {
                e.add("url", Reason::InvalidUrl);
                None
            }
        };
        let description = e.check("description", domain::text(&self.description, false, 200));
        let events: Vec<WebhookEvent> =
            self.events.keys().filter_map(|k| WebhookEvent::parse(k).filter(|ev| *ev != WebhookEvent::Test)).collect();
        if events.len() != self.events.len() {
            e.add("events", Reason::UnknownChoice);
        } else if events.is_empty() {
            e.add("events", Reason::Required);
        }
        match (url, description) {
            (Some(url), Some(description)) if e.is_empty() => Ok(ValidEndpoint { url, description, events }),
            _ => Err(e),
        }
    }
}

#[server(prefix = "/api", endpoint = "webhooks/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_webhooks() -> Result<Webhooks, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::list(&db, member.organization_id).await
}

#[server(prefix = "/api", endpoint = "webhooks/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_webhook(form: EndpointForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    let allowed = ssr::private_allowed(&db, member.organization_id).await?;
    let valid = form.parse(allowed).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::create(&db, member.organization_id, valid).await
}

/// Turns an endpoint on (`enabled`) or off.
#[server(prefix = "/api", endpoint = "webhooks/enable")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn enable_webhook(id: i32, enabled: bool) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::set_enabled(&db, member.organization_id, id, enabled).await
}

#[server(prefix = "/api", endpoint = "webhooks/delete")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn delete_webhook(id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::delete(&db, member.organization_id, id).await
}

/// The endpoint's latest 100 deliveries.
#[server(prefix = "/api", endpoint = "webhooks/deliveries")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn webhook_deliveries(id: i32) -> Result<Vec<DeliveryRow>, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::deliveries(&db, member.organization_id, id).await
}

/// Sends a delivery again now (the same `webhook-id`).
#[server(prefix = "/api", endpoint = "webhooks/redeliver")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn redeliver_webhook(delivery_id: i32) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::redeliver(&state.db, member.organization_id, delivery_id).await
}

/// Queues a `webhook.test` delivery to the endpoint.
#[server(prefix = "/api", endpoint = "webhooks/test")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn test_webhook(id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::send_test(&db, member.organization_id, id).await
}

/// Whether endpoints may be on private or loopback addresses.
#[server(prefix = "/api", endpoint = "webhooks/private")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn allow_private_webhooks(allowed: bool) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::set_private_allowed(&db, member.organization_id, allowed).await
}
