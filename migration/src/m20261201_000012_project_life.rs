//! A project's life after signing (company registered, construction started, in
//! production, with the planned dates the overdue warnings compare against), who entered
//! and who verified each tranche of funds and its proof file, and the organization's settings
//! for both (when a late project turns red, whether the figures count verified funds only).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Project {
    Table,
    RegisteredOn,
    StartedOn,
    ProducingOn,
    PlannedStartOn,
    PlannedProductionOn,
}

#[derive(DeriveIden)]
enum FundingTranche {
    Table,
    EnteredBy,
    VerifiedBy,
    VerifiedAt,
    ProofKind,
    ProofSize,
    ProofKey,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    OverdueRedDays,
    VerifiedFundsOnly,
}

fn project_columns() -> Vec<ColumnDef> {
    vec![
        date_null(Project::RegisteredOn),
        date_null(Project::StartedOn),
        date_null(Project::ProducingOn),
        date_null(Project::PlannedStartOn),
        date_null(Project::PlannedProductionOn),
    ]
}

fn tranche_columns() -> Vec<ColumnDef> {
    vec![
        integer_null(FundingTranche::EnteredBy),
        integer_null(FundingTranche::VerifiedBy),
        timestamp_with_time_zone_null(FundingTranche::VerifiedAt),
        string_len_null(FundingTranche::ProofKind, 16),
        big_integer_null(FundingTranche::ProofSize),
        string_len_null(FundingTranche::ProofKey, 64),
    ]
}

fn organization_columns() -> Vec<ColumnDef> {
    vec![
        integer(Organization::OverdueRedDays).default(90).to_owned(),
        boolean(Organization::VerifiedFundsOnly).default(false).to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        for column in project_columns() {
            manager.alter_table(Table::alter().table(Project::Table).add_column(column).to_owned()).await?;
        }
        for column in tranche_columns() {
            manager.alter_table(Table::alter().table(FundingTranche::Table).add_column(column).to_owned()).await?;
        }
        for column in organization_columns() {
            manager.alter_table(Table::alter().table(Organization::Table).add_column(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in organization_columns() {
            let name = column.get_column_name();
            manager
                .alter_table(Table::alter().table(Organization::Table).drop_column(Alias::new(name)).to_owned())
                .await?;
        }
        for column in tranche_columns() {
            let name = column.get_column_name();
            manager
                .alter_table(Table::alter().table(FundingTranche::Table).drop_column(Alias::new(name)).to_owned())
                .await?;
        }
        for column in project_columns() {
            let name = column.get_column_name();
            manager.alter_table(Table::alter().table(Project::Table).drop_column(Alias::new(name)).to_owned()).await?;
        }
        Ok(())
    }
}
