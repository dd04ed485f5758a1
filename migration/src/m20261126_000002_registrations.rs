//! Guests' registrations (RSVPs) for events: one per person and event, confirmed or
//! waitlisted against the event's capacity.

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
    EventId,
    Email,
    Name,
    Phone,
    Company,
    JobTitle,
    Country,
    IndustryChains,
    Language,
    Status,
    ManageTokenHash,
    ConsentDataAt,
    ConsentDataVersion,
    ConsentMarketingAt,
    ConsentSource,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Registration::Table)
                    .col(pk_auto(Registration::Id))
                    .col(integer(Registration::EventId))
                    .col(string_len(Registration::Email, 254))
                    .col(string_len(Registration::Name, 200))
                    .col(string_len(Registration::Phone, 40))
                    .col(string_len(Registration::Company, 200))
                    .col(string_len(Registration::JobTitle, 200))
                    .col(string_len(Registration::Country, 2))
                    .col(string_len(Registration::IndustryChains, 400))
                    .col(string_len(Registration::Language, 2))
                    .col(string_len(Registration::Status, 16))
                    .col(string_len_uniq(Registration::ManageTokenHash, 64))
                    .col(timestamp_with_time_zone(Registration::ConsentDataAt))
                    .col(string_len(Registration::ConsentDataVersion, 16))
                    .col(timestamp_with_time_zone_null(Registration::ConsentMarketingAt))
                    .col(string_len(Registration::ConsentSource, 32))
                    .col(timestamp_with_time_zone(Registration::CreatedAt))
                    .col(timestamp_with_time_zone(Registration::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registration::Table, Registration::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One registration per person and event: registering again updates it.
        manager
            .create_index(
                Index::create()
                    .name("uniq_registration_event_email")
                    .table(Registration::Table)
                    .col(Registration::EventId)
                    .col(Registration::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_registration_event_status")
                    .table(Registration::Table)
                    .col(Registration::EventId)
                    .col(Registration::Status)
                    .col(Registration::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Registration::Table).to_owned()).await
    }
}
