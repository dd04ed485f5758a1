use sea_orm::entity::prelude::*;

use crate::domain::ActivityKind;

/// One entry of a lead's history: a change of stage, owner or amount, a capture, a
/// merge, a note; who made it and when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lead_activity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub lead_id: i32,
    pub user_id: Option<i32>,
    pub kind: ActivityKind,
    pub from_value: String,
    pub to_value: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
