//! The door's offline actions: a phone at the door checks guests in, adds walk-ins and
//! captures leads while the venue's network is down, each action with an id of its own, and
//! uploads them when it is back. Each action is taken once: the first upload claims its
//! (event, id) row and keeps what it came to; an upload of the same action again (the phone
//! did not hear the answer, or was closed before it did) is given that answer and changes
//! nothing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DoorAction {
    Table,
    EventId,
    ActionId,
    Kind,
    UserId,
    Outcome,
    ClaimedAt,
    DoneAt,
}

#[derive(DeriveIden)]
enum Event {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DoorAction::Table)
                    .col(integer(DoorAction::EventId))
                    .col(string_len(DoorAction::ActionId, 64))
                    .col(string_len(DoorAction::Kind, 16))
                    .col(integer(DoorAction::UserId))
                    // What the action came to (JSON), empty while it is being taken.
                    .col(text_null(DoorAction::Outcome))
                    .col(timestamp_with_time_zone(DoorAction::ClaimedAt))
                    .col(timestamp_with_time_zone_null(DoorAction::DoneAt))
                    .primary_key(Index::create().col(DoorAction::EventId).col(DoorAction::ActionId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DoorAction::Table, DoorAction::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DoorAction::Table).to_owned()).await
    }
}
