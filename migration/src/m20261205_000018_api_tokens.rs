//! API tokens: an organization's owners give another system (a portal, a CRM) access to
//! the REST API. Only a hash of each token is kept; the token is shown once. And the index
//! the API's pages of an event's registrations read (`event_id`, then `id` after a cursor).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    OrganizationId,
    Name,
    Prefix,
    TokenHash,
    Scope,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(pk_auto(ApiToken::Id))
                    .col(integer(ApiToken::OrganizationId))
                    .col(string_len(ApiToken::Name, 200))
                    .col(string_len(ApiToken::Prefix, 16))
                    .col(string_len_uniq(ApiToken::TokenHash, 64))
                    .col(string_len(ApiToken::Scope, 16))
                    .col(integer(ApiToken::CreatedBy))
                    .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiToken::Table, ApiToken::OrganizationId)
                            .to(Alias::new("organization"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_token_organization")
                    .table(ApiToken::Table)
                    .col(ApiToken::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_registration_event_page")
                    .table(Alias::new("registration"))
                    .col(Alias::new("event_id"))
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_registration_event_page").table(Alias::new("registration")).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(ApiToken::Table).to_owned()).await
    }
}
