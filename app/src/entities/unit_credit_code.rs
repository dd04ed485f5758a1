use sea_orm::entity::prelude::*;

/// The unit a company (by its unified social credit code) is credited to: the first that
/// reported one of its projects.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_credit_code")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub unit_id: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
