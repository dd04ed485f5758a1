//! Endpoints, deliveries, and announcing a change: `emit` writes one delivery per enabled
//! endpoint that wants the event, in the caller's transaction, so a delivery exists
//! exactly when the change does.

use std::collections::HashMap;

use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Value, json};

use super::{DeliveryRow, EndpointRow, ValidEndpoint, Webhooks};
use crate::crypto::random_bytes;
use crate::domain::{DeliveryStatus, WebhookEvent};
use crate::entities::{
    event, funding_tranche, lead, organization, project, registration, webhook_delivery, webhook_endpoint,
};
use crate::error::{AppError, FieldErrors, Reason};

/// The signature of a delivery (Standard Webhooks): `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` under the secret's bytes.
pub fn signature(secret: &str, message_id: &str, timestamp: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .unwrap_or_else(|_| secret.as_bytes().to_vec());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{message_id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

fn new_secret() -> String {
    format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(random_bytes::<32>()))
}

fn new_message_id() -> String {
    format!("msg_{}", crate::crypto::random_hex::<12>())
}

fn events_of(stored: &str) -> Vec<WebhookEvent> {
    stored.split(',').filter_map(WebhookEvent::parse).collect()
}

fn row_of(e: webhook_endpoint::Model) -> EndpointRow {
    EndpointRow {
        id: e.id,
        events: events_of(&e.events),
        url: e.url,
        description: e.description,
        enabled: e.enabled,
        disabled_reason: e.disabled_reason,
        secret: e.secret,
        created_at: e.created_at,
    }
}

pub async fn private_allowed(db: &impl ConnectionTrait, org_id: i32) -> Result<bool, AppError> {
    let org = organization::Entity::find_by_id(org_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(org.webhooks_private_allowed)
}

pub async fn set_private_allowed(db: &DatabaseConnection, org_id: i32, allowed: bool) -> Result<(), AppError> {
    organization::Entity::update_many()
        .col_expr(organization::Column::WebhooksPrivateAllowed, Expr::value(allowed))
        .filter(organization::Column::Id.eq(org_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether `ip` is one webhooks never go to unless the organization allows it: loopback,
/// private, link-local, unique-local, shared (CGNAT), unspecified, multicast, broadcast,
/// documentation and benchmarking ranges, and IPv4 mapped into IPv6 in those.
pub fn is_private(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
                    || first == 0x2001 && v6.segments()[1] == 0xdb8
            }
        },
    }
}

pub async fn create(db: &DatabaseConnection, org_id: i32, valid: ValidEndpoint) -> Result<i32, AppError> {
    let allowed = private_allowed(db, org_id).await?;
    let literal = match valid.url.host() {
        Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
        _ => None,
    };
    let local_name = valid.url.host_str().is_some_and(|h| h == "localhost" || h.ends_with(".localhost"));
    if !allowed && (literal.is_some_and(is_private) || local_name) {
        return Err(AppError::Invalid(FieldErrors::single("url", Reason::PrivateAddress)));
    }
    let now = Utc::now();
    let row = webhook_endpoint::ActiveModel {
        organization_id: Set(org_id),
        url: Set(valid.url.to_string()),
        description: Set(valid.description),
        secret: Set(new_secret()),
        events: Set(valid.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(",")),
        enabled: Set(true),
        disabled_reason: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

pub async fn list(db: &DatabaseConnection, org_id: i32) -> Result<Webhooks, AppError> {
    let endpoints = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OrganizationId.eq(org_id))
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await?;
    Ok(Webhooks {
        endpoints: endpoints.into_iter().map(row_of).collect(),
        private_allowed: private_allowed(db, org_id).await?,
    })
}

pub async fn owned(db: &impl ConnectionTrait, org_id: i32, id: i32) -> Result<webhook_endpoint::Model, AppError> {
    webhook_endpoint::Entity::find_by_id(id)
        .filter(webhook_endpoint::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn set_enabled(db: &DatabaseConnection, org_id: i32, id: i32, enabled: bool) -> Result<(), AppError> {
    let endpoint = owned(db, org_id, id).await?;
    let mut model: webhook_endpoint::ActiveModel = endpoint.into();
    model.enabled = Set(enabled);
    model.disabled_reason = Set(if enabled { String::new() } else { "turned off by an owner".into() });
    model.updated_at = Set(Utc::now());
    model.update(db).await?;
    Ok(())
}

pub async fn delete(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<(), AppError> {
    owned(db, org_id, id).await?;
    webhook_delivery::Entity::delete_many().filter(webhook_delivery::Column::EndpointId.eq(id)).exec(db).await?;
    webhook_endpoint::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

pub async fn deliveries(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<Vec<DeliveryRow>, AppError> {
    owned(db, org_id, id).await?;
    let rows = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.eq(id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|d| DeliveryRow {
            id: d.id,
            message_id: d.message_id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            last_duration_ms: d.last_duration_ms,
            last_attempt_at: d.last_attempt_at,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
        })
        .collect())
}

/// Queues the delivery again at once, with its own `webhook-id` and body.
pub async fn redeliver(db: &DatabaseConnection, org_id: i32, delivery_id: i32) -> Result<(), AppError> {
    let delivery = webhook_delivery::Entity::find_by_id(delivery_id)
        .filter(webhook_delivery::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if delivery.status == DeliveryStatus::Sending {
        return Ok(());
    }
    let mut model: webhook_delivery::ActiveModel = delivery.into();
    model.status = Set(DeliveryStatus::Pending);
    model.attempts = Set(0);
    model.next_attempt_at = Set(Utc::now());
    model.claim_token = Set(None);
    model.lease_until = Set(None);
    model.update(db).await?;
    Ok(())
}

pub async fn send_test(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<(), AppError> {
    let endpoint = owned(db, org_id, id).await?;
    let data = json!({ "endpoint_id": endpoint.id, "message": "Roadshow test event" });
    insert(db, vec![delivery_of(&endpoint, WebhookEvent::Test, &data, Utc::now())]).await?;
    Ok(())
}

fn delivery_of(
    endpoint: &webhook_endpoint::Model,
    kind: WebhookEvent,
    data: &Value,
    now: DateTime<Utc>,
) -> webhook_delivery::ActiveModel {
    let payload = json!({ "type": kind.as_str(), "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true), "data": data });
    webhook_delivery::ActiveModel {
        endpoint_id: Set(endpoint.id),
        organization_id: Set(endpoint.organization_id),
        message_id: Set(new_message_id()),
        event_type: Set(kind.as_str().to_string()),
        payload: Set(payload.to_string()),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claim_token: Set(None),
        lease_until: Set(None),
        last_status_code: Set(None),
        last_error: Set(String::new()),
        last_duration_ms: Set(None),
        last_attempt_at: Set(None),
        created_at: Set(now),
        delivered_at: Set(None),
        ..Default::default()
    }
}

async fn insert(db: &impl ConnectionTrait, rows: Vec<webhook_delivery::ActiveModel>) -> Result<(), sea_orm::DbErr> {
    for chunk in rows.chunks(128) {
        webhook_delivery::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// A change to announce: the organization, what happened, and its data.
pub type Announcement = (i32, WebhookEvent, Value);

/// Writes a delivery of each announcement to every enabled endpoint of its organization
/// that wants it, in the caller's transaction: one read of the endpoints, one insert.
pub async fn emit(db: &impl ConnectionTrait, announcements: Vec<Announcement>) -> Result<(), sea_orm::DbErr> {
    emit_to(db, None, announcements).await
}

/// The endpoints of `organizations` (enabled ones), read ahead by a writer that announces
/// later: the registrations' batch reads them before it locks its events, so the lock is
/// not held over this read.
pub struct Endpoints {
    organizations: Vec<i32>,
    found: Vec<webhook_endpoint::Model>,
}

pub async fn endpoints_of(db: &impl ConnectionTrait, mut organizations: Vec<i32>) -> Result<Endpoints, sea_orm::DbErr> {
    organizations.sort_unstable();
    organizations.dedup();
    let found = if organizations.is_empty() {
        Vec::new()
    } else {
        webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::OrganizationId.is_in(organizations.clone()))
            .filter(webhook_endpoint::Column::Enabled.eq(true))
            .all(db)
            .await?
    };
    Ok(Endpoints { organizations, found })
}

/// As [`emit`], with the endpoints read ahead when they cover every announcement's
/// organization (else read now).
pub async fn emit_to(
    db: &impl ConnectionTrait,
    read_ahead: Option<&Endpoints>,
    announcements: Vec<Announcement>,
) -> Result<(), sea_orm::DbErr> {
    if announcements.is_empty() {
        return Ok(());
    }
    let orgs: Vec<i32> = announcements.iter().map(|(org, _, _)| *org).collect();
    let read_now;
    let endpoints = match read_ahead {
        Some(ahead) if orgs.iter().all(|org| ahead.organizations.binary_search(org).is_ok()) => ahead,
        _ => {
            read_now = endpoints_of(db, orgs).await?;
            &read_now
        }
    };
    if endpoints.found.is_empty() {
        return Ok(());
    }
    let mut by_org: HashMap<i32, Vec<(&webhook_endpoint::Model, Vec<WebhookEvent>)>> = HashMap::new();
    for e in &endpoints.found {
        by_org.entry(e.organization_id).or_default().push((e, events_of(&e.events)));
    }
    let now = Utc::now();
    let rows: Vec<_> = announcements
        .iter()
        .flat_map(|(org, kind, data)| {
            by_org
                .get(org)
                .into_iter()
                .flatten()
                .filter(|(_, wants)| wants.contains(kind))
                .map(|(endpoint, _)| delivery_of(endpoint, *kind, data, now))
                .collect::<Vec<_>>()
        })
        .collect();
    insert(db, rows).await
}

/// The data of a registration's announcements.
pub fn registration_data(reg: &registration::Model, event: &event::Model) -> Value {
    json!({
        "id": reg.id,
        "event_id": reg.event_id,
        "event_slug": event.slug,
        "email": reg.email,
        "name": reg.name,
        "company": reg.company,
        "status": reg.status.as_str(),
        "checked_in_at": reg.checked_in_at,
        "created_at": reg.created_at,
        "updated_at": reg.updated_at,
    })
}

pub fn lead_data(l: &lead::Model) -> Value {
    json!({
        "id": l.id,
        "email": l.email,
        "name": l.name,
        "company": l.company,
        "stage": l.stage.as_str(),
        "created_at": l.created_at,
        "updated_at": l.updated_at,
    })
}

pub fn project_data(p: &project::Model) -> Value {
    json!({
        "id": p.id,
        "lead_id": p.lead_id,
        "name": p.name,
        "planned_investment_yuan": p.planned_investment,
        "signed_on": p.signed_on,
        "unit_id": p.unit_id,
    })
}

pub fn tranche_data(t: &funding_tranche::Model) -> Value {
    json!({ "id": t.id, "project_id": t.project_id, "amount_yuan": t.amount, "received_on": t.received_on })
}
