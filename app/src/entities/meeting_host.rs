use sea_orm::entity::prelude::*;

use crate::i18n::Lang;

/// Someone guests can meet at a stop: a member of an organizing unit or an invited
/// company's representative, with the profile guests read.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_host")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub name: String,
    pub organization: String,
    pub unit: String,
    /// Industry chain codes, separated by commas.
    pub industry_chains: String,
    #[sea_orm(column_type = "Text")]
    pub offer: String,
    /// Where their meeting emails go (may be empty: the organizer tells them).
    pub email: String,
    pub language: Lang,
    pub created_at: DateTimeUtc,
    /// Signs the host's private link; a new one replaces the link.
    pub link_nonce: String,
    /// The host's own zone when it is not the venue's (may be empty).
    pub time_zone: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
