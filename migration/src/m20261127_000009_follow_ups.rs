//! Follow-up emails: an organization's templates (Chinese and English), rules that send
//! one relative to an event's time, campaigns to a segment of leads, and the record of
//! each person each rule or campaign has mailed — its unique keys are what make a send
//! happen once however many schedulers run. Marketing messages in the outbox carry their
//! own unsubscribe token.

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
enum Roadshow {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Lead {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MailTemplate {
    Table,
    Id,
    OrganizationId,
    Name,
    SubjectZh,
    BodyZh,
    SubjectEn,
    BodyEn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FollowUpRule {
    Table,
    Id,
    OrganizationId,
    /// The rule watches one event, or every event of a roadshow.
    EventId,
    RoadshowId,
    TemplateId,
    /// `reminder`, `thank_you`, `missed_you`, `promoted` or `stage_follow_up`.
    Trigger,
    /// Hours before the start (reminder) or after the end (the others).
    OffsetHours,
    /// For `stage_follow_up` the stage a lead must still be at; for the others, empty or
    /// the furthest stage the rule is meant for.
    Stage,
    Paused,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Campaign {
    Table,
    Id,
    OrganizationId,
    TemplateId,
    Name,
    /// The lead list's filter, as JSON.
    Filter,
    /// `draft`, `scheduled`, `sending`, `sent` or `cancelled`.
    Status,
    SendAt,
    Recipients,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MarketingSend {
    Table,
    Id,
    RuleId,
    CampaignId,
    EventId,
    /// Normalized: the person a rule or campaign mails once.
    Address,
    LeadId,
    RegistrationId,
    OutboxMessageId,
    /// `queued`, or why it was not sent (`suppressed`, `stage_passed`, `no_consent`).
    Outcome,
    At,
}

#[derive(DeriveIden)]
enum OutboxMessage {
    Table,
    Id,
    Marketing,
    UnsubscribeToken,
}

fn cascade(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

fn set_null(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::SetNull).to_owned()
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MailTemplate::Table)
                    .col(pk_auto(MailTemplate::Id))
                    .col(integer(MailTemplate::OrganizationId))
                    .col(string_len(MailTemplate::Name, 200))
                    .col(string_len(MailTemplate::SubjectZh, 200))
                    .col(text(MailTemplate::BodyZh))
                    .col(string_len(MailTemplate::SubjectEn, 200))
                    .col(text(MailTemplate::BodyEn))
                    .col(timestamp_with_time_zone(MailTemplate::CreatedAt))
                    .col(timestamp_with_time_zone(MailTemplate::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (MailTemplate::Table, MailTemplate::OrganizationId),
                        (Organization::Table, Organization::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FollowUpRule::Table)
                    .col(pk_auto(FollowUpRule::Id))
                    .col(integer(FollowUpRule::OrganizationId))
                    .col(integer_null(FollowUpRule::EventId))
                    .col(integer_null(FollowUpRule::RoadshowId))
                    .col(integer(FollowUpRule::TemplateId))
                    .col(string_len(FollowUpRule::Trigger, 32))
                    .col(integer(FollowUpRule::OffsetHours))
                    .col(string_len(FollowUpRule::Stage, 32))
                    .col(boolean(FollowUpRule::Paused))
                    .col(timestamp_with_time_zone(FollowUpRule::CreatedAt))
                    .col(timestamp_with_time_zone(FollowUpRule::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (FollowUpRule::Table, FollowUpRule::OrganizationId),
                        (Organization::Table, Organization::Id),
                    ))
                    .foreign_key(&mut cascade((FollowUpRule::Table, FollowUpRule::EventId), (Event::Table, Event::Id)))
                    .foreign_key(&mut cascade(
                        (FollowUpRule::Table, FollowUpRule::RoadshowId),
                        (Roadshow::Table, Roadshow::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (FollowUpRule::Table, FollowUpRule::TemplateId),
                        (MailTemplate::Table, MailTemplate::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Campaign::Table)
                    .col(pk_auto(Campaign::Id))
                    .col(integer(Campaign::OrganizationId))
                    .col(integer(Campaign::TemplateId))
                    .col(string_len(Campaign::Name, 200))
                    .col(text(Campaign::Filter))
                    .col(string_len(Campaign::Status, 16))
                    .col(timestamp_with_time_zone_null(Campaign::SendAt))
                    .col(integer(Campaign::Recipients))
                    .col(integer_null(Campaign::CreatedBy))
                    .col(timestamp_with_time_zone(Campaign::CreatedAt))
                    .col(timestamp_with_time_zone(Campaign::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (Campaign::Table, Campaign::OrganizationId),
                        (Organization::Table, Organization::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (Campaign::Table, Campaign::TemplateId),
                        (MailTemplate::Table, MailTemplate::Id),
                    ))
                    .foreign_key(&mut set_null((Campaign::Table, Campaign::CreatedBy), (User::Table, User::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MarketingSend::Table)
                    .col(pk_auto(MarketingSend::Id))
                    .col(integer_null(MarketingSend::RuleId))
                    .col(integer_null(MarketingSend::CampaignId))
                    .col(integer_null(MarketingSend::EventId))
                    .col(string_len(MarketingSend::Address, 254))
                    .col(integer_null(MarketingSend::LeadId))
                    .col(integer_null(MarketingSend::RegistrationId))
                    .col(integer_null(MarketingSend::OutboxMessageId))
                    .col(string_len(MarketingSend::Outcome, 32))
                    .col(timestamp_with_time_zone(MarketingSend::At))
                    .foreign_key(&mut cascade(
                        (MarketingSend::Table, MarketingSend::RuleId),
                        (FollowUpRule::Table, FollowUpRule::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (MarketingSend::Table, MarketingSend::CampaignId),
                        (Campaign::Table, Campaign::Id),
                    ))
                    .foreign_key(&mut set_null((MarketingSend::Table, MarketingSend::LeadId), (Lead::Table, Lead::Id)))
                    .foreign_key(&mut set_null(
                        (MarketingSend::Table, MarketingSend::OutboxMessageId),
                        (OutboxMessage::Table, OutboxMessage::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // Once per person: per rule and event (a roadshow rule mails a guest once per
        // stop), per campaign. NULLs are distinct on both databases, so a rule's row and
        // a campaign's row never collide.
        for (name, cols) in [
            ("uniq_marketing_send_rule", vec![MarketingSend::RuleId, MarketingSend::EventId, MarketingSend::Address]),
            ("uniq_marketing_send_campaign", vec![MarketingSend::CampaignId, MarketingSend::Address]),
        ] {
            let mut index = Index::create().name(name).table(MarketingSend::Table).unique().to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessage::Table)
                    .add_column(boolean(OutboxMessage::Marketing).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessage::Table)
                    .add_column(string_len_null(OutboxMessage::UnsubscribeToken, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_outbox_unsubscribe_token")
                    .table(OutboxMessage::Table)
                    .col(OutboxMessage::UnsubscribeToken)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("uniq_outbox_unsubscribe_token").table(OutboxMessage::Table).to_owned())
            .await?;
        for column in [OutboxMessage::UnsubscribeToken, OutboxMessage::Marketing] {
            manager.alter_table(Table::alter().table(OutboxMessage::Table).drop_column(column).to_owned()).await?;
        }
        for table in [
            MarketingSend::Table.into_iden(),
            Campaign::Table.into_iden(),
            FollowUpRule::Table.into_iden(),
            MailTemplate::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
