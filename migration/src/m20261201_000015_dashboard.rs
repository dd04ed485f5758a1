//! The leaders' dashboard: what an event cost, how the organization weighs its targets in a
//! unit's score, and the weekly snapshots of the units' ranking (the arrows show the change
//! since the week before).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Event {
    Table,
    CostYuan,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
    ScoreWeights,
}

#[derive(DeriveIden)]
enum Lead {
    Table,
    OrganizationId,
    CreatedAt,
    Stage,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UnitRankSnapshot {
    Table,
    Id,
    OrganizationId,
    UnitId,
    /// The Monday of the week the ranking was taken in.
    Week,
    Year,
    Rank,
    /// The weighted score in thousandths of a percent point (see `dashboard::Score`).
    ScoreMilli,
    TakenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Event::Table).add_column(big_integer(Event::CostYuan).default(0)).to_owned(),
            )
            .await?;
        // One weight per target figure, in `TargetMetric::ALL` order, comma-separated.
        manager
            .alter_table(
                Table::alter()
                    .table(Organization::Table)
                    .add_column(string(Organization::ScoreWeights).default("1,1,1,1,1,1,1"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UnitRankSnapshot::Table)
                    .col(pk_auto(UnitRankSnapshot::Id))
                    .col(integer(UnitRankSnapshot::OrganizationId))
                    .col(integer(UnitRankSnapshot::UnitId))
                    .col(date(UnitRankSnapshot::Week))
                    .col(integer(UnitRankSnapshot::Year))
                    .col(integer(UnitRankSnapshot::Rank))
                    .col(big_integer(UnitRankSnapshot::ScoreMilli))
                    .col(timestamp_with_time_zone(UnitRankSnapshot::TakenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitRankSnapshot::Table, UnitRankSnapshot::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitRankSnapshot::Table, UnitRankSnapshot::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_unit_rank_snapshot_week")
                    .table(UnitRankSnapshot::Table)
                    .col(UnitRankSnapshot::UnitId)
                    .col(UnitRankSnapshot::Week)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_unit_rank_snapshot_organization")
                    .table(UnitRankSnapshot::Table)
                    .col(UnitRankSnapshot::OrganizationId)
                    .col(UnitRankSnapshot::Week)
                    .to_owned(),
            )
            .await?;
        // The dashboard counts a period's leads by stage from this index alone.
        manager
            .create_index(
                Index::create()
                    .name("idx_lead_organization_created")
                    .table(Lead::Table)
                    .col(Lead::OrganizationId)
                    .col(Lead::CreatedAt)
                    .col(Lead::Stage)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_lead_organization_created").table(Lead::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(UnitRankSnapshot::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Organization::Table).drop_column(Organization::ScoreWeights).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(Event::Table).drop_column(Event::CostYuan).to_owned()).await
    }
}
