use sea_orm::entity::prelude::*;

use crate::domain::{Stage, Trigger};

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
    pub trigger: Trigger,
    pub offset_hours: i32,
    /// For `StageFollowUp` the stage a lead must still be at; for the others, none or the
    /// furthest stage the rule is meant for.
    pub stage: Option<Stage>,
    pub paused: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
