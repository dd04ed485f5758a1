use sea_orm::entity::prelude::*;

/// An action a phone at the door took (offline, perhaps), by the id the phone gave it:
/// the first upload claims the row, takes the action and keeps what it came to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "door_action")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub action_id: String,
    /// `check_in`, `walk_in` or `lead`.
    pub kind: String,
    /// The member whose upload claimed it.
    pub user_id: i32,
    /// What the action came to (a `DoorOutcome` as JSON); `None` while it is being taken.
    #[sea_orm(column_type = "Text", nullable)]
    pub outcome: Option<String>,
    pub claimed_at: DateTimeUtc,
    pub done_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
