//! Outbound promotion trips (外出招商): a unit's visit somewhere, who went, the companies
//! met, and the leads and event it is linked to. The rule the leaders check is that every
//! unit goes out at least once a month.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Trip {
    Table,
    Id,
    OrganizationId,
    UnitId,
    EventId,
    Destination,
    StartsOn,
    EndsOn,
    Travellers,
    Companies,
    Notes,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TripLead {
    Table,
    TripId,
    LeadId,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Lead {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Trip::Table)
                    .col(pk_auto(Trip::Id))
                    .col(integer(Trip::OrganizationId))
                    .col(integer(Trip::UnitId))
                    .col(integer_null(Trip::EventId))
                    .col(string_len(Trip::Destination, 200))
                    .col(date(Trip::StartsOn))
                    .col(date(Trip::EndsOn))
                    .col(string_len(Trip::Travellers, 500))
                    .col(text(Trip::Companies))
                    .col(text(Trip::Notes))
                    .col(integer_null(Trip::CreatedBy))
                    .col(timestamp_with_time_zone(Trip::CreatedAt))
                    .col(timestamp_with_time_zone(Trip::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Trip::Table, Trip::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Trip::Table, Trip::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_trip_organization_start")
                    .table(Trip::Table)
                    .col(Trip::OrganizationId)
                    .col(Trip::StartsOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TripLead::Table)
                    .col(integer(TripLead::TripId))
                    .col(integer(TripLead::LeadId))
                    .primary_key(Index::create().col(TripLead::TripId).col(TripLead::LeadId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TripLead::Table, TripLead::TripId)
                            .to(Trip::Table, Trip::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TripLead::Table, TripLead::LeadId)
                            .to(Lead::Table, Lead::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TripLead::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Trip::Table).to_owned()).await
    }
}
