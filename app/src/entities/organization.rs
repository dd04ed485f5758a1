use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    /// Days past a planned start or production date after which a late project is red.
    pub overdue_red_days: i32,
    /// The figures count verified funds in place only.
    pub verified_funds_only: bool,
    /// The weights of the target figures in a unit's score, in `TargetMetric::ALL` order.
    pub score_weights: String,
    /// Webhook endpoints may be on private or loopback addresses (the organization's own network).
    pub webhooks_private_allowed: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
