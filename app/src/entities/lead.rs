use sea_orm::entity::prelude::*;

use crate::domain::{ConsentSource, PromotionMethod, Stage};
use crate::i18n::Lang;

/// A person an organization has met or captured: one per normalized email.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lead")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    /// Normalized (see `domain::Email`); `None` for a lead captured without one.
    pub email: Option<String>,
    pub name: String,
    pub job_title: String,
    pub phone: String,
    pub language: Lang,
    pub company: String,
    pub country: String,
    pub sector: String,
    /// One of the "three kinds of Top 500" companies (world, China, private).
    pub top500: bool,
    pub industry_chains: String,
    pub promotion_method: Option<PromotionMethod>,
    /// 湘商回归: a Hunan entrepreneur investing back home.
    pub hometown_return: bool,
    pub owner_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub stage: Stage,
    pub lost_reason: String,
    pub consent_data_at: Option<DateTimeUtc>,
    pub consent_data_version: String,
    pub consent_marketing_at: Option<DateTimeUtc>,
    pub consent_source: ConsentSource,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
