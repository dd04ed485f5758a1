use sea_orm::entity::prelude::*;

/// A unit's place in its organization's ranking in one week (`week` is its Monday),
/// for the year `year`: the dashboard's arrows compare with the week before.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_rank_snapshot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub unit_id: i32,
    pub week: Date,
    pub year: i32,
    pub rank: i32,
    pub score_milli: i64,
    pub taken_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
