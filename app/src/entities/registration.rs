use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    /// Normalized (trimmed, lower-case): the identity of the guest for this event.
    pub email: String,
    pub name: String,
    pub phone: String,
    pub company: String,
    pub job_title: String,
    pub country: String,
    pub industry_chains: String,
    pub language: String,
    /// `confirmed`, `waitlisted` or `cancelled`.
    pub status: String,
    /// SHA-256 of the private manage-registration token.
    #[sea_orm(unique)]
    pub manage_token_hash: String,
    pub consent_data_at: DateTimeUtc,
    pub consent_data_version: String,
    pub consent_marketing_at: Option<DateTimeUtc>,
    pub consent_source: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub checked_in_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
