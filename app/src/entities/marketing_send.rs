use sea_orm::entity::prelude::*;

use crate::domain::SendOutcome;

/// One person a rule (per event) or a campaign has dealt with: mailed, or skipped and why.
/// Its unique keys make each happen once, whichever process gets there first.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "marketing_send")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub rule_id: Option<i32>,
    pub campaign_id: Option<i32>,
    pub event_id: Option<i32>,
    pub address: String,
    pub lead_id: Option<i32>,
    pub registration_id: Option<i32>,
    pub outbox_message_id: Option<i32>,
    pub outcome: SendOutcome,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
