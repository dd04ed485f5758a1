use sea_orm::entity::prelude::*;

use crate::domain::Trigger;

/// Sends a template relative to an event's time (one event, or each of a roadshow's).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_up_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub event_id: Option<i32>,
    pub roadshow_id: Option<i32>,
    pub template_id: i32,
    /// `reminder`, `thank_you`, `missed_you`, `promoted` or `stage_follow_up`.
    pub trigger: Trigger,
    pub offset_hours: i32,
    pub stage: String,
    pub paused: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
