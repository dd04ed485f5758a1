//! Invitations to invite-only events: one per person and event, each with its own
//! signed link to the registration form.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Event {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Invitation {
    Table,
    Id,
    EventId,
    Email,
    Name,
    Nonce,
    RegistrationId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Invitation::Table)
                    .col(pk_auto(Invitation::Id))
                    .col(integer(Invitation::EventId))
                    .col(string_len(Invitation::Email, 254))
                    .col(string_len(Invitation::Name, 200))
                    .col(string_len(Invitation::Nonce, 64))
                    .col(integer_null(Invitation::RegistrationId))
                    .col(timestamp_with_time_zone(Invitation::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitation::Table, Invitation::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitation::Table, Invitation::RegistrationId)
                            .to(Registration::Table, Registration::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_invitation_event_email")
                    .table(Invitation::Table)
                    .col(Invitation::EventId)
                    .col(Invitation::Email)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Invitation::Table).to_owned()).await
    }
}
