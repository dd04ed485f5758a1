//! Promotion targets: per unit and year, optionally per quarter, what the unit is to
//! achieve (projects and 亿元 signed, 亿元 in place, Top-500 and hometown-return projects,
//! projects started, outbound promotion trips). A figure left open has no target.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UnitTarget {
    Table,
    Id,
    OrganizationId,
    UnitId,
    Year,
    Quarter,
    Projects,
    SignedYuan,
    FundsYuan,
    Top500,
    Hometown,
    Started,
    Trips,
    UpdatedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UnitTarget::Table)
                    .col(pk_auto(UnitTarget::Id))
                    .col(integer(UnitTarget::OrganizationId))
                    .col(integer(UnitTarget::UnitId))
                    .col(integer(UnitTarget::Year))
                    // 0: the whole year; 1–4: a quarter.
                    .col(integer(UnitTarget::Quarter))
                    .col(integer_null(UnitTarget::Projects))
                    .col(big_integer_null(UnitTarget::SignedYuan))
                    .col(big_integer_null(UnitTarget::FundsYuan))
                    .col(integer_null(UnitTarget::Top500))
                    .col(integer_null(UnitTarget::Hometown))
                    .col(integer_null(UnitTarget::Started))
                    .col(integer_null(UnitTarget::Trips))
                    .col(timestamp_with_time_zone(UnitTarget::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitTarget::Table, UnitTarget::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitTarget::Table, UnitTarget::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_unit_target_period")
                    .table(UnitTarget::Table)
                    .col(UnitTarget::UnitId)
                    .col(UnitTarget::Year)
                    .col(UnitTarget::Quarter)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_unit_target_organization")
                    .table(UnitTarget::Table)
                    .col(UnitTarget::OrganizationId)
                    .col(UnitTarget::Year)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UnitTarget::Table).to_owned()).await
    }
}
