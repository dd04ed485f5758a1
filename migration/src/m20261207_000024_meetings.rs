//! One-to-one meetings at a stop: the programme's slot grid, its tables, the people guests
//! can meet (hosts), the guests who can be met, requests between the two, and the seats an
//! accepted meeting holds. A seat is a (slot, person or table) pair with a primary key of
//! its own, so "one meeting per person and table per slot" is kept by the database
//! whichever process writes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MeetingProgramme {
    Table,
    EventId,
    Enabled,
    FirstSlotAt,
    SlotMinutes,
    SlotCount,
    Breaks,
    RequestHours,
    MaxOpenRequests,
    ReminderMinutes,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingTable {
    Table,
    Id,
    EventId,
    Name,
    Room,
}

#[derive(DeriveIden)]
enum MeetingHost {
    Table,
    Id,
    EventId,
    Name,
    Organization,
    Unit,
    IndustryChains,
    Offer,
    Email,
    Language,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MeetingGuest {
    Table,
    RegistrationId,
    EventId,
    Offer,
    OptedInAt,
}

#[derive(DeriveIden)]
enum MeetingRequest {
    Table,
    Id,
    EventId,
    HostId,
    RegistrationId,
    FromHost,
    Must,
    Message,
    Status,
    Slot,
    TableId,
    Sequence,
    CreatedAt,
    ExpiresAt,
    AnsweredAt,
    HeldAt,
    RemindedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingSeat {
    Table,
    EventId,
    Slot,
    Holder,
    RequestId,
}

#[derive(DeriveIden)]
enum MeetingProposal {
    Table,
    RequestId,
    EventId,
    Slot,
    TableId,
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

fn cascade(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MeetingProgramme::Table)
                    .col(integer(MeetingProgramme::EventId).primary_key())
                    .col(boolean(MeetingProgramme::Enabled))
                    .col(date_time(MeetingProgramme::FirstSlotAt))
                    .col(integer(MeetingProgramme::SlotMinutes))
                    .col(integer(MeetingProgramme::SlotCount))
                    .col(string_len(MeetingProgramme::Breaks, 400))
                    .col(integer(MeetingProgramme::RequestHours))
                    .col(integer(MeetingProgramme::MaxOpenRequests))
                    .col(integer(MeetingProgramme::ReminderMinutes))
                    .col(timestamp_with_time_zone(MeetingProgramme::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (MeetingProgramme::Table, MeetingProgramme::EventId),
                        (Event::Table, Event::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingTable::Table)
                    .col(pk_auto(MeetingTable::Id))
                    .col(integer(MeetingTable::EventId))
                    .col(string_len(MeetingTable::Name, 60))
                    .col(string_len(MeetingTable::Room, 100))
                    .foreign_key(&mut cascade((MeetingTable::Table, MeetingTable::EventId), (Event::Table, Event::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_table_name")
                    .table(MeetingTable::Table)
                    .col(MeetingTable::EventId)
                    .col(MeetingTable::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingHost::Table)
                    .col(pk_auto(MeetingHost::Id))
                    .col(integer(MeetingHost::EventId))
                    .col(string_len(MeetingHost::Name, 200))
                    .col(string_len(MeetingHost::Organization, 200))
                    .col(string_len(MeetingHost::Unit, 200))
                    .col(string_len(MeetingHost::IndustryChains, 500))
                    .col(text(MeetingHost::Offer))
                    .col(string_len(MeetingHost::Email, 320))
                    .col(string_len(MeetingHost::Language, 8))
                    .col(timestamp_with_time_zone(MeetingHost::CreatedAt))
                    .foreign_key(&mut cascade((MeetingHost::Table, MeetingHost::EventId), (Event::Table, Event::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_host_event")
                    .table(MeetingHost::Table)
                    .col(MeetingHost::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingGuest::Table)
                    .col(integer(MeetingGuest::RegistrationId).primary_key())
                    .col(integer(MeetingGuest::EventId))
                    .col(text(MeetingGuest::Offer))
                    .col(timestamp_with_time_zone(MeetingGuest::OptedInAt))
                    .foreign_key(&mut cascade(
                        (MeetingGuest::Table, MeetingGuest::RegistrationId),
                        (Registration::Table, Registration::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_guest_event")
                    .table(MeetingGuest::Table)
                    .col(MeetingGuest::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingRequest::Table)
                    .col(pk_auto(MeetingRequest::Id))
                    .col(integer(MeetingRequest::EventId))
                    .col(integer(MeetingRequest::HostId))
                    .col(integer(MeetingRequest::RegistrationId))
                    .col(boolean(MeetingRequest::FromHost))
                    .col(boolean(MeetingRequest::Must))
                    .col(string_len(MeetingRequest::Message, 500))
                    .col(string_len(MeetingRequest::Status, 16))
                    .col(integer_null(MeetingRequest::Slot))
                    .col(integer_null(MeetingRequest::TableId))
                    .col(integer(MeetingRequest::Sequence))
                    .col(timestamp_with_time_zone(MeetingRequest::CreatedAt))
                    .col(timestamp_with_time_zone(MeetingRequest::ExpiresAt))
                    .col(timestamp_with_time_zone_null(MeetingRequest::AnsweredAt))
                    .col(timestamp_with_time_zone_null(MeetingRequest::HeldAt))
                    .col(timestamp_with_time_zone_null(MeetingRequest::RemindedAt))
                    .col(timestamp_with_time_zone(MeetingRequest::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (MeetingRequest::Table, MeetingRequest::EventId),
                        (Event::Table, Event::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (MeetingRequest::Table, MeetingRequest::HostId),
                        (MeetingHost::Table, MeetingHost::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (MeetingRequest::Table, MeetingRequest::RegistrationId),
                        (Registration::Table, Registration::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingRequest::Table, MeetingRequest::TableId)
                            .to(MeetingTable::Table, MeetingTable::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_meeting_request_event", MeetingRequest::EventId),
            ("idx_meeting_request_host", MeetingRequest::HostId),
            ("idx_meeting_request_guest", MeetingRequest::RegistrationId),
        ] {
            manager
                .create_index(Index::create().name(name).table(MeetingRequest::Table).col(column).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(MeetingSeat::Table)
                    .col(integer(MeetingSeat::EventId))
                    .col(integer(MeetingSeat::Slot))
                    .col(string_len(MeetingSeat::Holder, 24))
                    .col(integer(MeetingSeat::RequestId))
                    .primary_key(
                        Index::create().col(MeetingSeat::EventId).col(MeetingSeat::Slot).col(MeetingSeat::Holder),
                    )
                    .foreign_key(&mut cascade(
                        (MeetingSeat::Table, MeetingSeat::RequestId),
                        (MeetingRequest::Table, MeetingRequest::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_seat_request")
                    .table(MeetingSeat::Table)
                    .col(MeetingSeat::RequestId)
                    .to_owned(),
            )
            .await?;
        // The auto-scheduler's provisional grid: a slot and a table per pending request,
        // until the organizer publishes it (each then accepted under the seats' rules).
        manager
            .create_table(
                Table::create()
                    .table(MeetingProposal::Table)
                    .col(integer(MeetingProposal::RequestId).primary_key())
                    .col(integer(MeetingProposal::EventId))
                    .col(integer(MeetingProposal::Slot))
                    .col(integer(MeetingProposal::TableId))
                    .foreign_key(&mut cascade(
                        (MeetingProposal::Table, MeetingProposal::RequestId),
                        (MeetingRequest::Table, MeetingRequest::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (MeetingProposal::Table, MeetingProposal::TableId),
                        (MeetingTable::Table, MeetingTable::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_proposal_event")
                    .table(MeetingProposal::Table)
                    .col(MeetingProposal::EventId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MeetingProposal::Table.into_iden(),
            MeetingSeat::Table.into_iden(),
            MeetingRequest::Table.into_iden(),
            MeetingGuest::Table.into_iden(),
            MeetingHost::Table.into_iden(),
            MeetingTable::Table.into_iden(),
            MeetingProgramme::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
