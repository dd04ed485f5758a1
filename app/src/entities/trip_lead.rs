use sea_orm::entity::prelude::*;

/// A lead met on a trip.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trip_lead")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub trip_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub lead_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
