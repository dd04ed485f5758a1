//! Rate limits shared by the server processes on one PostgreSQL database: hits per limit,
//! client key (hashed) and fixed time bucket. On PostgreSQL the table is `UNLOGGED` (not
//! written to the write-ahead log: a crash empties it, which only forgets recent hits). On
//! SQLite, served by one process, the limits stay in that process's memory and the table
//! stays empty.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let unlogged = if manager.get_database_backend() == DbBackend::Postgres { "UNLOGGED " } else { "" };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE {unlogged}TABLE rate_counter (
                    name VARCHAR(32) NOT NULL,
                    key_hash VARCHAR(64) NOT NULL,
                    bucket BIGINT NOT NULL,
                    hits INTEGER NOT NULL,
                    expires_at BIGINT NOT NULL,
                    PRIMARY KEY (name, key_hash, bucket)
                )"
            ))
            .await?;
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX idx_rate_counter_expires ON rate_counter (expires_at)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP TABLE rate_counter").await?;
        Ok(())
    }
}
