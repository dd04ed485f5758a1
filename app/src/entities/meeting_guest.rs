use sea_orm::entity::prelude::*;

/// A registered guest who agreed to be met: hosts see their profile.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_guest")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub registration_id: i32,
    pub event_id: i32,
    /// What the guest looks for, in their words.
    #[sea_orm(column_type = "Text")]
    pub offer: String,
    pub opted_in_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
