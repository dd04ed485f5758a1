use sea_orm::entity::prelude::*;

/// An outbound promotion trip of a unit (外出招商).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trip")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub unit_id: i32,
    /// The roadshow stop the trip went to, if any.
    pub event_id: Option<i32>,
    pub destination: String,
    pub starts_on: Date,
    pub ends_on: Date,
    /// Who went (names, as typed).
    pub travellers: String,
    /// The companies met, one per line.
    pub companies: String,
    pub notes: String,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
