//! A host's own page: each host gets a private link (signed with a nonce of theirs, so the
//! organizer can replace a link that went astray) and a time zone of their own, so their
//! page shows each meeting in the venue's time and their own.
//!
//! And a meeting's reminder time, kept with the meeting (its slot's start less the
//! programme's `reminder_minutes`, empty when it has none), under a partial index of the
//! meetings still to remind: the scheduler's tick reads the reminders due, not every
//! accepted meeting there ever was.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MeetingHost {
    Table,
    LinkNonce,
    TimeZone,
}

#[derive(DeriveIden)]
enum MeetingRequest {
    Table,
    RemindAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [
            ColumnDef::new(MeetingHost::LinkNonce).string().not_null().default("").to_owned(),
            ColumnDef::new(MeetingHost::TimeZone).string().not_null().default("").to_owned(),
        ] {
            manager.alter_table(Table::alter().table(MeetingHost::Table).add_column(column).to_owned()).await?;
        }
        let remind_at = ColumnDef::new(MeetingRequest::RemindAt).timestamp_with_time_zone().null().to_owned();
        manager.alter_table(Table::alter().table(MeetingRequest::Table).add_column(remind_at).to_owned()).await?;
        // The same statement on both databases; its condition is the scheduler's query's.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_meeting_request_remind ON meeting_request (remind_at) \
                 WHERE status = 'accepted' AND reminded_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX idx_meeting_request_remind").await?;
        manager
            .alter_table(Table::alter().table(MeetingRequest::Table).drop_column(MeetingRequest::RemindAt).to_owned())
            .await?;
        for column in [MeetingHost::LinkNonce, MeetingHost::TimeZone] {
            manager.alter_table(Table::alter().table(MeetingHost::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
