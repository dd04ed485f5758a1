//! The mail worker's question, "what waits longest?", answered by walking an index: a
//! partial index of the messages waiting for an attempt, in the order they came due. The
//! old index (status, due time) made the database sort every waiting message to hand out
//! a batch of 64, which under a backlog of thousands took longer than sending the batch.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The same statement on SQLite and PostgreSQL; the condition matches the worker's
        // query word for word (`WAITING` in server/src/mail.rs).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_outbox_waiting ON outbox_message (next_attempt_at, id) \
                 WHERE status IN ('queued', 'retrying')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX idx_outbox_waiting").await?;
        Ok(())
    }
}
