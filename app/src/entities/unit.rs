use sea_orm::entity::prelude::*;

use crate::domain::UnitKind;

/// A promotion unit of an organization (a county, park, township, task force or
/// department), optionally under another.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub parent_id: Option<i32>,
    pub kind: UnitKind,
    pub name_zh: String,
    /// Empty when the unit has no English name (the Chinese one is shown).
    pub name_en: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
