//! Leads and the investment pipeline: one lead per person and organization (matched by
//! normalized email), the events each was met at, the history of every change, projects
//! with their funding tranches, tags, and the suppression list erasure feeds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
}

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
enum Lead {
    Table,
    Id,
    OrganizationId,
    /// Normalized; NULL for a lead captured without one (several may be).
    Email,
    Name,
    JobTitle,
    Phone,
    Language,
    Company,
    Country,
    Sector,
    Top500,
    IndustryChains,
    PromotionMethod,
    HometownReturn,
    OwnerId,
    Notes,
    Stage,
    LostReason,
    ConsentDataAt,
    ConsentDataVersion,
    ConsentMarketingAt,
    ConsentSource,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LeadEvent {
    Table,
    LeadId,
    EventId,
    RegistrationId,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeadTag {
    Table,
    LeadId,
    Tag,
}

#[derive(DeriveIden)]
enum LeadActivity {
    Table,
    Id,
    LeadId,
    UserId,
    Kind,
    FromValue,
    ToValue,
    Note,
    At,
}

#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
    LeadId,
    Name,
    IndustryChain,
    Location,
    PlannedInvestment,
    SignedOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FundingTranche {
    Table,
    Id,
    ProjectId,
    Amount,
    ReceivedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutboxMessage {
    Table,
    OrganizationId,
    ToAddress,
}

#[derive(DeriveIden)]
enum SuppressedAddress {
    Table,
    EmailHash,
    Reason,
    CreatedAt,
}

fn cascade(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Lead::Table)
                    .col(pk_auto(Lead::Id))
                    .col(integer(Lead::OrganizationId))
                    .col(string_len_null(Lead::Email, 254))
                    .col(string_len(Lead::Name, 200))
                    .col(string_len(Lead::JobTitle, 200))
                    .col(string_len(Lead::Phone, 40))
                    .col(string_len(Lead::Language, 8))
                    .col(string_len(Lead::Company, 200))
                    .col(string_len(Lead::Country, 2))
                    .col(string_len(Lead::Sector, 200))
                    .col(boolean(Lead::Top500))
                    .col(string_len(Lead::IndustryChains, 400))
                    .col(string_len(Lead::PromotionMethod, 32))
                    .col(boolean(Lead::HometownReturn))
                    .col(integer_null(Lead::OwnerId))
                    .col(text(Lead::Notes))
                    .col(string_len(Lead::Stage, 32))
                    .col(string_len(Lead::LostReason, 500))
                    .col(timestamp_with_time_zone_null(Lead::ConsentDataAt))
                    .col(string_len(Lead::ConsentDataVersion, 32))
                    .col(timestamp_with_time_zone_null(Lead::ConsentMarketingAt))
                    .col(string_len(Lead::ConsentSource, 32))
                    .col(timestamp_with_time_zone(Lead::CreatedAt))
                    .col(timestamp_with_time_zone(Lead::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (Lead::Table, Lead::OrganizationId),
                        (Organization::Table, Organization::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Lead::Table, Lead::OwnerId)
                            .to(User::Table, User::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // NULL emails (leads captured without one) never collide, on both databases.
        for (name, cols, unique) in [
            ("uniq_lead_organization_email", vec![Lead::OrganizationId, Lead::Email], true),
            ("idx_lead_organization_updated", vec![Lead::OrganizationId, Lead::UpdatedAt], false),
            ("idx_lead_organization_stage", vec![Lead::OrganizationId, Lead::Stage, Lead::UpdatedAt], false),
            ("idx_lead_organization_owner", vec![Lead::OrganizationId, Lead::OwnerId], false),
        ] {
            let mut index = Index::create().name(name).table(Lead::Table).to_owned();
            for col in cols {
                index.col(col);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(LeadEvent::Table)
                    .col(integer(LeadEvent::LeadId))
                    .col(integer(LeadEvent::EventId))
                    .col(integer_null(LeadEvent::RegistrationId))
                    .col(string_len(LeadEvent::Source, 32))
                    .col(timestamp_with_time_zone(LeadEvent::CreatedAt))
                    .primary_key(Index::create().col(LeadEvent::LeadId).col(LeadEvent::EventId))
                    .foreign_key(&mut cascade((LeadEvent::Table, LeadEvent::LeadId), (Lead::Table, Lead::Id)))
                    .foreign_key(&mut cascade((LeadEvent::Table, LeadEvent::EventId), (Event::Table, Event::Id)))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LeadEvent::Table, LeadEvent::RegistrationId)
                            .to(Registration::Table, Registration::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lead_event_event")
                    .table(LeadEvent::Table)
                    .col(LeadEvent::EventId)
                    .col(LeadEvent::LeadId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LeadTag::Table)
                    .col(integer(LeadTag::LeadId))
                    .col(string_len(LeadTag::Tag, 60))
                    .primary_key(Index::create().col(LeadTag::LeadId).col(LeadTag::Tag))
                    .foreign_key(&mut cascade((LeadTag::Table, LeadTag::LeadId), (Lead::Table, Lead::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_lead_tag_tag").table(LeadTag::Table).col(LeadTag::Tag).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LeadActivity::Table)
                    .col(pk_auto(LeadActivity::Id))
                    .col(integer(LeadActivity::LeadId))
                    .col(integer_null(LeadActivity::UserId))
                    .col(string_len(LeadActivity::Kind, 32))
                    .col(string_len(LeadActivity::FromValue, 500))
                    .col(string_len(LeadActivity::ToValue, 500))
                    .col(text(LeadActivity::Note))
                    .col(timestamp_with_time_zone(LeadActivity::At))
                    .foreign_key(&mut cascade((LeadActivity::Table, LeadActivity::LeadId), (Lead::Table, Lead::Id)))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LeadActivity::Table, LeadActivity::UserId)
                            .to(User::Table, User::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lead_activity_lead")
                    .table(LeadActivity::Table)
                    .col(LeadActivity::LeadId)
                    .col(LeadActivity::At)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Project::Table)
                    .col(pk_auto(Project::Id))
                    .col(integer(Project::LeadId))
                    .col(string_len(Project::Name, 200))
                    .col(string_len(Project::IndustryChain, 40))
                    .col(string_len(Project::Location, 200))
                    .col(big_integer(Project::PlannedInvestment))
                    .col(date_null(Project::SignedOn))
                    .col(timestamp_with_time_zone(Project::CreatedAt))
                    .col(timestamp_with_time_zone(Project::UpdatedAt))
                    .foreign_key(&mut cascade((Project::Table, Project::LeadId), (Lead::Table, Lead::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_project_lead").table(Project::Table).col(Project::LeadId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FundingTranche::Table)
                    .col(pk_auto(FundingTranche::Id))
                    .col(integer(FundingTranche::ProjectId))
                    .col(big_integer(FundingTranche::Amount))
                    .col(date(FundingTranche::ReceivedOn))
                    .col(timestamp_with_time_zone(FundingTranche::CreatedAt))
                    .foreign_key(&mut cascade(
                        (FundingTranche::Table, FundingTranche::ProjectId),
                        (Project::Table, Project::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_funding_tranche_project")
                    .table(FundingTranche::Table)
                    .col(FundingTranche::ProjectId)
                    .to_owned(),
            )
            .await?;

        // A lead's timeline lists the emails sent to it; erasure finds them too.
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_organization_address")
                    .table(OutboxMessage::Table)
                    .col(OutboxMessage::OrganizationId)
                    .col(OutboxMessage::ToAddress)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SuppressedAddress::Table)
                    .col(string_len(SuppressedAddress::EmailHash, 64).primary_key())
                    .col(string_len(SuppressedAddress::Reason, 32))
                    .col(timestamp_with_time_zone(SuppressedAddress::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_outbox_organization_address").table(OutboxMessage::Table).to_owned())
            .await?;
        for table in [
            SuppressedAddress::Table.into_iden(),
            FundingTranche::Table.into_iden(),
            Project::Table.into_iden(),
            LeadActivity::Table.into_iden(),
            LeadTag::Table.into_iden(),
            LeadEvent::Table.into_iden(),
            Lead::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveMigrationName)]
pub struct Migration;
