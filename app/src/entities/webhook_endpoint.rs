use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoint")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub url: String,
    pub description: String,
    /// `whsec_` and the base64 of 32 random bytes (Standard Webhooks).
    pub secret: String,
    /// The event types it wants, comma-separated.
    #[sea_orm(column_type = "Text")]
    pub events: String,
    pub enabled: bool,
    /// Why it was turned off (empty while enabled).
    pub disabled_reason: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
