use sea_orm::entity::prelude::*;

use crate::domain::MetSource;

/// An event a lead was met at, and how (registration, capture at the door, import).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lead_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lead_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: i32,
    pub registration_id: Option<i32>,
    pub source: MetSource,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
