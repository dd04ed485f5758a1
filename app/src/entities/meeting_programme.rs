use sea_orm::entity::prelude::*;

/// An event's programme of one-to-one meetings: its slot grid in the venue's time.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_programme")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: i32,
    /// Guests see the hosts and may ask for meetings.
    pub enabled: bool,
    /// The start of the first slot, in the venue's time zone.
    pub first_slot_at: DateTime,
    pub slot_minutes: i32,
    pub slot_count: i32,
    /// Slots nobody meets in, by number, separated by commas.
    pub breaks: String,
    /// How long a request waits for an answer.
    pub request_hours: i32,
    /// How many unanswered requests one person may have sent.
    pub max_open_requests: i32,
    /// How long before a meeting its reminder goes.
    pub reminder_minutes: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
