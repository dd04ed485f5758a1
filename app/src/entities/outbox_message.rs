use sea_orm::entity::prelude::*;

use crate::domain::{MessageKind, OutboxStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_message")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The organization whose Outbox page shows the message.
    pub organization_id: Option<i32>,
    pub registration_id: Option<i32>,
    /// What caused it: `confirmation`, `waitlisted`, `promoted`, `updated`, `cancelled`, `event_cancelled`.
    pub kind: MessageKind,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub text_body: String,
    #[sea_orm(column_type = "Text")]
    pub html_body: String,
    /// An iCalendar object sent as `text/calendar`.
    #[sea_orm(column_type = "Text", nullable)]
    pub calendar: Option<String>,
    /// `REQUEST` or `CANCEL`.
    pub calendar_method: Option<String>,
    /// Fixed when queued, so every attempt sends the same `Message-ID`.
    #[sea_orm(unique)]
    pub message_id: String,
    /// `queued`, `sending`, `sent`, `retrying` or `failed`.
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A worker that claimed the message owns it until then (a crashed one loses it).
    pub lease_until: Option<DateTimeUtc>,
    pub claim_token: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// Follow-ups and campaigns: not sent to a suppressed address, and carrying the
    /// unsubscribe headers.
    pub marketing: bool,
    /// The opaque token of this message's one-click unsubscribe link.
    pub unsubscribe_token: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
