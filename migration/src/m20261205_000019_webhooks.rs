//! Webhooks: an organization's endpoints (URL, the events it wants, a signing secret) and
//! the deliveries to them, written in the same transaction as the change they announce
//! and sent by the workers (see `server/src/webhooks.rs`). An organization may allow
//! endpoints on private addresses (its own network); by default they are refused.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookEndpoint {
    Table,
    Id,
    OrganizationId,
    Url,
    Description,
    Secret,
    Events,
    Enabled,
    DisabledReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    EndpointId,
    OrganizationId,
    MessageId,
    EventType,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimToken,
    LeaseUntil,
    LastStatusCode,
    LastError,
    LastDurationMs,
    LastAttemptAt,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    WebhooksPrivateAllowed,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoint::Table)
                    .col(pk_auto(WebhookEndpoint::Id))
                    .col(integer(WebhookEndpoint::OrganizationId))
                    .col(string_len(WebhookEndpoint::Url, 2000))
                    .col(string_len(WebhookEndpoint::Description, 200))
                    .col(string_len(WebhookEndpoint::Secret, 100))
                    .col(text(WebhookEndpoint::Events))
                    .col(boolean(WebhookEndpoint::Enabled))
                    .col(string_len(WebhookEndpoint::DisabledReason, 500))
                    .col(timestamp_with_time_zone(WebhookEndpoint::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookEndpoint::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookEndpoint::Table, WebhookEndpoint::OrganizationId)
                            .to(Alias::new("organization"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .col(pk_auto(WebhookDelivery::Id))
                    .col(integer(WebhookDelivery::EndpointId))
                    .col(integer(WebhookDelivery::OrganizationId))
                    .col(string_len(WebhookDelivery::MessageId, 64))
                    .col(string_len(WebhookDelivery::EventType, 64))
                    .col(text(WebhookDelivery::Payload))
                    .col(string_len(WebhookDelivery::Status, 16))
                    .col(integer(WebhookDelivery::Attempts))
                    .col(timestamp_with_time_zone(WebhookDelivery::NextAttemptAt))
                    .col(string_len_null(WebhookDelivery::ClaimToken, 32))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::LeaseUntil))
                    .col(integer_null(WebhookDelivery::LastStatusCode))
                    .col(string_len(WebhookDelivery::LastError, 500))
                    .col(integer_null(WebhookDelivery::LastDurationMs))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::LastAttemptAt))
                    .col(timestamp_with_time_zone(WebhookDelivery::CreatedAt))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::DeliveredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDelivery::Table, WebhookDelivery::EndpointId)
                            .to(WebhookEndpoint::Table, WebhookEndpoint::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_delivery_due")
                    .table(WebhookDelivery::Table)
                    .col(WebhookDelivery::Status)
                    .col(WebhookDelivery::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_delivery_endpoint")
                    .table(WebhookDelivery::Table)
                    .col(WebhookDelivery::EndpointId)
                    .col(WebhookDelivery::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organization::Table)
                    .add_column(boolean(Organization::WebhooksPrivateAllowed).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Organization::Table).drop_column(Organization::WebhooksPrivateAllowed).to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(WebhookDelivery::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(WebhookEndpoint::Table).to_owned()).await
    }
}
