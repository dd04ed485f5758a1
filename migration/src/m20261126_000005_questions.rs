//! Per-event custom questions on the registration form, and each registration's answers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Event {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum EventQuestion {
    Table,
    Id,
    EventId,
    Position,
    Kind,
    LabelZh,
    LabelEn,
    Options,
    Required,
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    Answers,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EventQuestion::Table)
                    .col(pk_auto(EventQuestion::Id))
                    .col(integer(EventQuestion::EventId))
                    .col(integer(EventQuestion::Position))
                    .col(string_len(EventQuestion::Kind, 24))
                    .col(string_len(EventQuestion::LabelZh, 300))
                    .col(string_len(EventQuestion::LabelEn, 300))
                    .col(text(EventQuestion::Options))
                    .col(boolean(EventQuestion::Required))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventQuestion::Table, EventQuestion::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_question_event")
                    .table(EventQuestion::Table)
                    .col(EventQuestion::EventId)
                    .col(EventQuestion::Position)
                    .to_owned(),
            )
            .await?;
        // The answers as a JSON object: question id -> text (choices by their text).
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .add_column(text(Registration::Answers).default("{}"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(EventQuestion::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Registration::Table).drop_column(Registration::Answers).to_owned())
            .await
    }
}
