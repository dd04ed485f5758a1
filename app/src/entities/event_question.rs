use sea_orm::entity::prelude::*;

use crate::domain::questions::QuestionKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_question")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub position: i32,
    /// `short_text`, `long_text`, `single_choice`, `multiple_choice` or `checkbox`.
    pub kind: QuestionKind,
    pub label_zh: String,
    pub label_en: String,
    /// The choices, one per line.
    #[sea_orm(column_type = "Text")]
    pub options: String,
    pub required: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
