//! Promotion units: the counties, parks, townships, task forces and departments an
//! organization's targets and credit go to. A member may belong to one; a project is
//! credited to one, and a company's credit code to one unit of the organization.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
    OrganizationId,
    ParentId,
    Kind,
    NameZh,
    NameEn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UnitCreditCode {
    Table,
    OrganizationId,
    Code,
    UnitId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    UnitId,
}

#[derive(DeriveIden)]
enum Project {
    Table,
    UnitId,
    CreditCode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Unit::Table)
                    .col(pk_auto(Unit::Id))
                    .col(integer(Unit::OrganizationId))
                    .col(integer_null(Unit::ParentId))
                    .col(string_len(Unit::Kind, 32))
                    .col(string_len(Unit::NameZh, 100))
                    .col(string_len(Unit::NameEn, 100))
                    .col(timestamp_with_time_zone(Unit::CreatedAt))
                    .col(timestamp_with_time_zone(Unit::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Unit::Table, Unit::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Unit::Table, Unit::ParentId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_unit_organization_name")
                    .table(Unit::Table)
                    .col(Unit::OrganizationId)
                    .col(Unit::NameZh)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The unit that first reported a company: its key makes "count once" the database's rule.
        manager
            .create_table(
                Table::create()
                    .table(UnitCreditCode::Table)
                    .col(integer(UnitCreditCode::OrganizationId))
                    .col(string_len(UnitCreditCode::Code, 18))
                    .col(integer(UnitCreditCode::UnitId))
                    .col(timestamp_with_time_zone(UnitCreditCode::CreatedAt))
                    .primary_key(Index::create().col(UnitCreditCode::OrganizationId).col(UnitCreditCode::Code))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitCreditCode::Table, UnitCreditCode::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Without foreign keys: SQLite cannot add one to a table; deleting a unit clears them.
        manager
            .alter_table(
                Table::alter().table(Membership::Table).add_column(integer_null(Membership::UnitId)).to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Project::Table).add_column(integer_null(Project::UnitId)).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(Project::Table).add_column(string_len_null(Project::CreditCode, 18)).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_project_unit").table(Project::Table).col(Project::UnitId).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_project_unit").table(Project::Table).to_owned()).await?;
        for column in [Project::CreditCode.into_iden(), Project::UnitId.into_iden()] {
            manager.alter_table(Table::alter().table(Project::Table).drop_column(column).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Membership::Table).drop_column(Membership::UnitId).to_owned()).await?;
        manager.drop_table(Table::drop().table(UnitCreditCode::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Unit::Table).to_owned()).await
    }
}
