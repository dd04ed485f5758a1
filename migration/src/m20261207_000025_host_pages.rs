//! A host's own page: each host gets a private link (signed with a nonce of theirs, so the
//! organizer can replace a link that went astray) and a time zone of their own, so their
//! page shows each meeting in the venue's time and their own.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MeetingHost {
    Table,
    LinkNonce,
    TimeZone,
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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [MeetingHost::LinkNonce, MeetingHost::TimeZone] {
            manager.alter_table(Table::alter().table(MeetingHost::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
