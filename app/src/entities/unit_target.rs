use sea_orm::entity::prelude::*;

/// What a unit is to achieve in a year (`quarter` 0) or a quarter (1–4); amounts in yuan,
/// `None` where it has no target.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_target")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub unit_id: i32,
    pub year: i32,
    pub quarter: i32,
    pub projects: Option<i32>,
    pub signed_yuan: Option<i64>,
    pub funds_yuan: Option<i64>,
    pub top500: Option<i32>,
    pub hometown: Option<i32>,
    pub started: Option<i32>,
    pub trips: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
