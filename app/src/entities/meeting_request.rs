use sea_orm::entity::prelude::*;

use crate::domain::MeetingStatus;

/// A request for a meeting between a host and a guest, and once accepted the meeting.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub host_id: i32,
    pub registration_id: i32,
    /// The host asked (else the guest did).
    pub from_host: bool,
    /// The one who asked must meet the other (else would like to).
    pub must: bool,
    pub message: String,
    pub status: MeetingStatus,
    /// The slot and table of an accepted meeting.
    pub slot: Option<i32>,
    pub table_id: Option<i32>,
    /// `SEQUENCE` of the calendar invitation: raised on every move and on cancelling.
    pub sequence: i32,
    pub created_at: DateTimeUtc,
    /// A pending request not answered by then has expired.
    pub expires_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub held_at: Option<DateTimeUtc>,
    /// The reminder before it was queued (cleared by a move).
    pub reminded_at: Option<DateTimeUtc>,
    /// When its reminder is due (an accepted meeting's; none when the programme has none).
    pub remind_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
