//! Email outbox: every message is written in the transaction of the change that causes
//! it and delivered afterwards by a worker. Registrations gain a check-in code (shown as
//! a QR code) and the sequence number of the calendar invitation last sent.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    Id,
    CheckInCode,
    CalendarSequence,
    TimeZone,
}

#[derive(DeriveIden)]
enum AppSetting {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden)]
enum OutboxMessage {
    Table,
    Id,
    OrganizationId,
    RegistrationId,
    Kind,
    ToAddress,
    ToName,
    Subject,
    TextBody,
    HtmlBody,
    Calendar,
    CalendarMethod,
    MessageId,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    ClaimToken,
    LastError,
    CreatedAt,
    SentAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxMessage::Table)
                    .col(pk_auto(OutboxMessage::Id))
                    .col(integer_null(OutboxMessage::OrganizationId))
                    .col(integer_null(OutboxMessage::RegistrationId))
                    .col(string_len(OutboxMessage::Kind, 32))
                    .col(string_len(OutboxMessage::ToAddress, 254))
                    .col(string_len(OutboxMessage::ToName, 200))
                    .col(string_len(OutboxMessage::Subject, 400))
                    .col(text(OutboxMessage::TextBody))
                    .col(text(OutboxMessage::HtmlBody))
                    .col(text_null(OutboxMessage::Calendar))
                    .col(string_len_null(OutboxMessage::CalendarMethod, 16))
                    .col(string_len_uniq(OutboxMessage::MessageId, 200))
                    .col(string_len(OutboxMessage::Status, 16))
                    .col(integer(OutboxMessage::Attempts).default(0))
                    .col(timestamp_with_time_zone(OutboxMessage::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboxMessage::LeaseUntil))
                    .col(string_len_null(OutboxMessage::ClaimToken, 32))
                    .col(text_null(OutboxMessage::LastError))
                    .col(timestamp_with_time_zone(OutboxMessage::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboxMessage::SentAt))
                    .col(timestamp_with_time_zone(OutboxMessage::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OutboxMessage::Table, OutboxMessage::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OutboxMessage::Table, OutboxMessage::RegistrationId)
                            .to(Registration::Table, Registration::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // The worker's question: what is due now?
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_status_due")
                    .table(OutboxMessage::Table)
                    .col(OutboxMessage::Status)
                    .col(OutboxMessage::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_claim")
                    .table(OutboxMessage::Table)
                    .col(OutboxMessage::ClaimToken)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_organization")
                    .table(OutboxMessage::Table)
                    .col(OutboxMessage::OrganizationId)
                    .col(OutboxMessage::Id)
                    .to_owned(),
            )
            .await?;
        // Existing registrations get a code derived from their id; new ones a random one.
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .add_column(string_len_null(Registration::CheckInCode, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .add_column(integer(Registration::CalendarSequence).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .add_column(string_len(Registration::TimeZone, 64).default(""))
                    .to_owned(),
            )
            .await?;
        // Server-wide values such as the key that signs private links.
        manager
            .create_table(
                Table::create()
                    .table(AppSetting::Table)
                    .col(string_len(AppSetting::Name, 64).primary_key())
                    .col(text(AppSetting::Value))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("UPDATE registration SET check_in_code = 'legacy' || CAST(id AS TEXT)")
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_registration_check_in_code")
                    .table(Registration::Table)
                    .col(Registration::CheckInCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OutboxMessage::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AppSetting::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("uniq_registration_check_in_code").table(Registration::Table).to_owned())
            .await?;
        for column in [Registration::CheckInCode, Registration::CalendarSequence, Registration::TimeZone] {
            manager.alter_table(Table::alter().table(Registration::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
