use sea_orm::entity::prelude::*;

/// An investment project a lead brings; amounts in yuan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub lead_id: i32,
    pub name: String,
    pub industry_chain: String,
    pub location: String,
    pub planned_investment: i64,
    pub signed_on: Option<Date>,
    /// The unit credited with the project; `None` for a project of before units.
    pub unit_id: Option<i32>,
    /// The investing company's unified social credit code, when known.
    pub credit_code: Option<String>,
    /// The day the investing company (or the project's company) was registered.
    pub registered_on: Option<Date>,
    /// Construction started (开工).
    pub started_on: Option<Date>,
    /// In production (投产).
    pub producing_on: Option<Date>,
    pub planned_start_on: Option<Date>,
    pub planned_production_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
