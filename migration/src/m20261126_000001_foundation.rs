//! Organizations, organizer accounts and sessions, roadshows, events and their agendas.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    UserId,
    OrganizationId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    TokenHash,
    UserId,
    OrganizationId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Roadshow {
    Table,
    Id,
    OrganizationId,
    Name,
    Year,
    Description,
    TargetEvents,
    TargetLeads,
    TargetProjects,
    TargetAmountCny,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Event {
    Table,
    Id,
    OrganizationId,
    RoadshowId,
    Slug,
    TitleZh,
    TitleEn,
    DescriptionZh,
    DescriptionEn,
    City,
    Country,
    Region,
    VenueName,
    VenueAddress,
    TimeZone,
    StartsAt,
    EndsAt,
    Capacity,
    RegistrationOpensAt,
    RegistrationClosesAt,
    Visibility,
    Status,
    IndustryChains,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgendaItem {
    Table,
    Id,
    EventId,
    Position,
    StartsAt,
    Title,
    Speaker,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organization::Table)
                    .col(pk_auto(Organization::Id))
                    .col(string_len(Organization::Name, 200))
                    .col(timestamp_with_time_zone(Organization::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(User::Table)
                    .col(pk_auto(User::Id))
                    .col(string_len_uniq(User::Email, 254))
                    .col(string_len(User::Name, 200))
                    .col(string(User::PasswordHash))
                    .col(timestamp_with_time_zone(User::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Membership::Table)
                    .col(integer(Membership::UserId))
                    .col(integer(Membership::OrganizationId))
                    .col(string_len(Membership::Role, 16))
                    .col(timestamp_with_time_zone(Membership::CreatedAt))
                    .primary_key(Index::create().col(Membership::UserId).col(Membership::OrganizationId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Membership::Table, Membership::UserId)
                            .to(User::Table, User::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Membership::Table, Membership::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(pk_auto(Session::Id))
                    .col(string_len_uniq(Session::TokenHash, 64))
                    .col(integer(Session::UserId))
                    .col(integer(Session::OrganizationId))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::UserId)
                            .to(User::Table, User::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Roadshow::Table)
                    .col(pk_auto(Roadshow::Id))
                    .col(integer(Roadshow::OrganizationId))
                    .col(string_len(Roadshow::Name, 200))
                    .col(integer(Roadshow::Year))
                    .col(text(Roadshow::Description))
                    .col(integer(Roadshow::TargetEvents))
                    .col(integer(Roadshow::TargetLeads))
                    .col(integer(Roadshow::TargetProjects))
                    .col(big_integer(Roadshow::TargetAmountCny))
                    .col(timestamp_with_time_zone(Roadshow::CreatedAt))
                    .col(timestamp_with_time_zone(Roadshow::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Roadshow::Table, Roadshow::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Event::Table)
                    .col(pk_auto(Event::Id))
                    .col(integer(Event::OrganizationId))
                    .col(integer_null(Event::RoadshowId))
                    .col(string_len_uniq(Event::Slug, 80))
                    .col(string_len(Event::TitleZh, 200))
                    .col(string_len(Event::TitleEn, 200))
                    .col(text(Event::DescriptionZh))
                    .col(text(Event::DescriptionEn))
                    .col(string_len(Event::City, 100))
                    .col(string_len(Event::Country, 2))
                    .col(string_len(Event::Region, 60))
                    .col(string_len(Event::VenueName, 200))
                    .col(string_len(Event::VenueAddress, 300))
                    .col(string_len(Event::TimeZone, 64))
                    .col(timestamp_with_time_zone(Event::StartsAt))
                    .col(timestamp_with_time_zone(Event::EndsAt))
                    .col(integer(Event::Capacity))
                    .col(timestamp_with_time_zone_null(Event::RegistrationOpensAt))
                    .col(timestamp_with_time_zone_null(Event::RegistrationClosesAt))
                    .col(string_len(Event::Visibility, 16))
                    .col(string_len(Event::Status, 16))
                    .col(string_len(Event::IndustryChains, 400))
                    .col(timestamp_with_time_zone(Event::CreatedAt))
                    .col(timestamp_with_time_zone(Event::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Event::Table, Event::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Event::Table, Event::RoadshowId)
                            .to(Roadshow::Table, Roadshow::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_org_starts")
                    .table(Event::Table)
                    .col(Event::OrganizationId)
                    .col(Event::StartsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_event_roadshow").table(Event::Table).col(Event::RoadshowId).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgendaItem::Table)
                    .col(pk_auto(AgendaItem::Id))
                    .col(integer(AgendaItem::EventId))
                    .col(integer(AgendaItem::Position))
                    .col(timestamp_with_time_zone(AgendaItem::StartsAt))
                    .col(string_len(AgendaItem::Title, 200))
                    .col(string_len(AgendaItem::Speaker, 200))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgendaItem::Table, AgendaItem::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_agenda_event").table(AgendaItem::Table).col(AgendaItem::EventId).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AgendaItem::Table.into_iden(),
            Event::Table.into_iden(),
            Roadshow::Table.into_iden(),
            Session::Table.into_iden(),
            Membership::Table.into_iden(),
            User::Table.into_iden(),
            Organization::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
