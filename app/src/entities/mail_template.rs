use sea_orm::entity::prelude::*;

/// An organization's email template: subject and Markdown body in Chinese and English,
/// with merge fields such as `{{name}}`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_template")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub name: String,
    pub subject_zh: String,
    #[sea_orm(column_type = "Text")]
    pub body_zh: String,
    pub subject_en: String,
    #[sea_orm(column_type = "Text")]
    pub body_en: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
