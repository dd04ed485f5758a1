use sea_orm::entity::prelude::*;

use crate::domain::CampaignStatus;

/// A one-off email to the leads a lead-list filter selects.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub template_id: i32,
    pub name: String,
    /// The lead list's filter, as JSON.
    #[sea_orm(column_type = "Text")]
    pub filter: String,
    /// `draft`, `scheduled`, `sending`, `sent` or `cancelled`.
    pub status: CampaignStatus,
    pub send_at: Option<DateTimeUtc>,
    pub recipients: i32,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
