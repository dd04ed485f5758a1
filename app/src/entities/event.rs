use sea_orm::entity::prelude::*;

use crate::domain::{EventStatus, Visibility};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub roadshow_id: Option<i32>,
    #[sea_orm(unique)]
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    #[sea_orm(column_type = "Text")]
    pub description_zh: String,
    #[sea_orm(column_type = "Text")]
    pub description_en: String,
    pub city: String,
    pub country: String,
    pub region: String,
    pub venue_name: String,
    pub venue_address: String,
    pub time_zone: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: i32,
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    pub visibility: Visibility,
    pub status: EventStatus,
    /// Comma-separated industry chain slugs.
    pub industry_chains: String,
    /// Confirmed and waitlisted registrations, kept by database triggers (migration
    /// 000008): never written by the application.
    pub confirmed_count: i32,
    pub waitlisted_count: i32,
    /// Raised by the same triggers in the transaction of any change to one of the event's
    /// registrations (migration 000020): what the API's kept answers are checked against.
    pub registrations_version: i64,
    /// What the stop cost, in yuan (0 when not entered).
    pub cost_yuan: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
