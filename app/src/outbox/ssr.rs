//! Server side of the Outbox: the organization's messages, read only.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{OutboxList, OutboxMessageView, OutboxRow};
use crate::entities::outbox_message;
use crate::error::AppError;
use crate::mail::OutboxStatus;

fn row(m: &outbox_message::Model) -> OutboxRow {
    OutboxRow {
        id: m.id,
        to_address: m.to_address.clone(),
        subject: m.subject.clone(),
        status: m.status,
        attempts: m.attempts,
        created_at: m.created_at,
        sent_at: m.sent_at,
        last_error: m.last_error.clone(),
    }
}

pub async fn list(db: &DatabaseConnection, org_id: i32, status: &str) -> Result<OutboxList, AppError> {
    let mut query = outbox_message::Entity::find().filter(outbox_message::Column::OrganizationId.eq(org_id));
    if let Some(status) = OutboxStatus::parse(status.trim()) {
        query = query.filter(outbox_message::Column::Status.eq(status.as_str()));
    }
    let rows = query.order_by_desc(outbox_message::Column::Id).limit(500).all(db).await?.iter().map(row).collect();
    let mut counts = Vec::new();
    for status in OutboxStatus::ALL {
        let n = outbox_message::Entity::find()
            .filter(outbox_message::Column::OrganizationId.eq(org_id))
            .filter(outbox_message::Column::Status.eq(status.as_str()))
            .count(db)
            .await?;
        counts.push((status, n));
    }
    Ok(OutboxList { rows, counts })
}

pub async fn get(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<OutboxMessageView, AppError> {
    let m = outbox_message::Entity::find_by_id(id)
        .filter(outbox_message::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(OutboxMessageView {
        row: row(&m),
        to_name: m.to_name,
        message_id: m.message_id,
        text_body: m.text_body,
        html_body: crate::mail::qr::expand(&m.html_body).into_owned(),
        calendar: m.calendar,
    })
}
