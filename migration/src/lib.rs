//! Database schema for Roadshow, applied automatically when the server starts.
//! One file per change; the same migrations run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

/// Runs `sql` on PostgreSQL and nothing on SQLite, for what only PostgreSQL has (its
/// notices to the other server processes, its statement-level triggers).
async fn on_postgres(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

mod m20261126_000001_foundation;
mod m20261126_000002_registrations;
mod m20261126_000003_check_in;
mod m20261126_000004_outbox;
mod m20261126_000005_questions;
mod m20261126_000006_invitations;
mod m20261127_000007_leads;
mod m20261127_000008_seat_counts;
mod m20261127_000009_follow_ups;
mod m20261201_000010_optional_choices;
mod m20261201_000011_units;
mod m20261201_000012_project_life;
mod m20261201_000013_targets;
mod m20261201_000014_trips;
mod m20261201_000015_dashboard;
mod m20261202_000016_rate_counters;
mod m20261202_000017_change_notices;
mod m20261205_000018_api_tokens;
mod m20261205_000019_webhooks;
mod m20261206_000020_registration_versions;
mod m20261206_000021_access_notices;
mod m20261207_000022_seat_notices;
mod m20261207_000023_outbox_waiting;
mod m20261207_000024_meetings;
mod m20261207_000025_host_pages;
mod m20261207_000026_door_actions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_foundation::Migration),
            Box::new(m20261126_000002_registrations::Migration),
            Box::new(m20261126_000003_check_in::Migration),
            Box::new(m20261126_000004_outbox::Migration),
            Box::new(m20261126_000005_questions::Migration),
            Box::new(m20261126_000006_invitations::Migration),
            Box::new(m20261127_000007_leads::Migration),
            Box::new(m20261127_000008_seat_counts::Migration),
            Box::new(m20261127_000009_follow_ups::Migration),
            Box::new(m20261201_000010_optional_choices::Migration),
            Box::new(m20261201_000011_units::Migration),
            Box::new(m20261201_000012_project_life::Migration),
            Box::new(m20261201_000013_targets::Migration),
            Box::new(m20261201_000014_trips::Migration),
            Box::new(m20261201_000015_dashboard::Migration),
            Box::new(m20261202_000016_rate_counters::Migration),
            Box::new(m20261202_000017_change_notices::Migration),
            Box::new(m20261205_000018_api_tokens::Migration),
            Box::new(m20261205_000019_webhooks::Migration),
            Box::new(m20261206_000020_registration_versions::Migration),
            Box::new(m20261206_000021_access_notices::Migration),
            Box::new(m20261207_000022_seat_notices::Migration),
            Box::new(m20261207_000023_outbox_waiting::Migration),
            Box::new(m20261207_000024_meetings::Migration),
            Box::new(m20261207_000025_host_pages::Migration),
            Box::new(m20261207_000026_door_actions::Migration),
        ]
    }
}
