use sea_orm::entity::prelude::*;

/// A slot taken by an accepted meeting, for one of its two people or its table. The
/// primary key is what keeps one meeting per person and table per slot.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_seat")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot: i32,
    /// `g<registration id>`, `h<host id>` or `t<table id>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub holder: String,
    pub request_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
