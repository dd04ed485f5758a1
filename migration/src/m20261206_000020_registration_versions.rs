//! An event's registrations version: a number the database raises in the same
//! transaction as any change to one of the event's registrations (a new guest, a status,
//! a check-in, an edit, an erasure). The API answers a repeated read of an event's
//! registrations from what it kept as long as this number has not moved, and gives it as
//! the answer's `ETag`, so a system that keeps a copy in step asks cheaply whether anything
//! changed.
//!
//! The triggers of migration 000008 keep the seat counts; here they raise the version in
//! the same `UPDATE` of the event row (no second write per registration), and an update
//! of any column now counts, not only of the status.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Event {
    Table,
    RegistrationsVersion,
}

const SQLITE_UP: &str = "
DROP TRIGGER registration_counts_insert;
DROP TRIGGER registration_counts_update;
DROP TRIGGER registration_counts_delete;
CREATE TRIGGER registration_counts_insert AFTER INSERT ON registration BEGIN
    UPDATE event SET confirmed_count = confirmed_count + (NEW.status = 'confirmed'),
                     waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted'),
                     registrations_version = registrations_version + 1
    WHERE id = NEW.event_id;
END;
CREATE TRIGGER registration_counts_update AFTER UPDATE ON registration BEGIN
    UPDATE event SET confirmed_count = confirmed_count - (OLD.status = 'confirmed') + (NEW.status = 'confirmed'),
                     waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted') + (NEW.status = 'waitlisted'),
                     registrations_version = registrations_version + 1
    WHERE id = NEW.event_id;
END;
CREATE TRIGGER registration_counts_delete AFTER DELETE ON registration BEGIN
    UPDATE event SET confirmed_count = confirmed_count - (OLD.status = 'confirmed'),
                     waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted'),
                     registrations_version = registrations_version + 1
    WHERE id = OLD.event_id;
END;";

const SQLITE_DOWN: &str = "
DROP TRIGGER registration_counts_insert;
DROP TRIGGER registration_counts_update;
DROP TRIGGER registration_counts_delete;
CREATE TRIGGER registration_counts_insert AFTER INSERT ON registration BEGIN
    UPDATE event SET confirmed_count = confirmed_count + (NEW.status = 'confirmed'),
                     waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted')
    WHERE id = NEW.event_id;
END;
CREATE TRIGGER registration_counts_update AFTER UPDATE OF status ON registration
WHEN OLD.status <> NEW.status BEGIN
    UPDATE event SET confirmed_count = confirmed_count - (OLD.status = 'confirmed') + (NEW.status = 'confirmed'),
                     waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted') + (NEW.status = 'waitlisted')
    WHERE id = NEW.event_id;
END;
CREATE TRIGGER registration_counts_delete AFTER DELETE ON registration BEGIN
    UPDATE event SET confirmed_count = confirmed_count - (OLD.status = 'confirmed'),
                     waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted')
    WHERE id = OLD.event_id;
END;";

/// One `UPDATE` of the event row per changed registration, as before; an update that
/// leaves the status alone only raises the version.
const POSTGRES_UP: &str = "
DROP TRIGGER registration_counts_update ON registration;
CREATE OR REPLACE FUNCTION registration_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.event_id = NEW.event_id THEN
        UPDATE event SET confirmed_count = confirmed_count - (OLD.status = 'confirmed')::int
                                                           + (NEW.status = 'confirmed')::int,
                         waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted')::int
                                                             + (NEW.status = 'waitlisted')::int,
                         registrations_version = registrations_version + 1
        WHERE id = NEW.event_id;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE event SET confirmed_count = confirmed_count - (OLD.status = 'confirmed')::int,
                         waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted')::int,
                         registrations_version = registrations_version + 1
        WHERE id = OLD.event_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE event SET confirmed_count = confirmed_count + (NEW.status = 'confirmed')::int,
                         waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted')::int,
                         registrations_version = registrations_version + 1
        WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER registration_counts_update AFTER UPDATE ON registration
    FOR EACH ROW EXECUTE FUNCTION registration_counts();";

const POSTGRES_DOWN: &str = "
DROP TRIGGER registration_counts_update ON registration;
CREATE OR REPLACE FUNCTION registration_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE event SET confirmed_count = confirmed_count - (OLD.status = 'confirmed')::int,
                         waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted')::int
        WHERE id = OLD.event_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE event SET confirmed_count = confirmed_count + (NEW.status = 'confirmed')::int,
                         waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted')::int
        WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER registration_counts_update AFTER UPDATE OF status ON registration
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION registration_counts();";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Event::Table)
                    .add_column(ColumnDef::new(Event::RegistrationsVersion).big_integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        let sql = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_UP,
            _ => SQLITE_UP,
        };
        manager.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_DOWN,
            _ => SQLITE_DOWN,
        };
        manager.get_connection().execute_unprepared(sql).await?;
        manager
            .alter_table(Table::alter().table(Event::Table).drop_column(Event::RegistrationsVersion).to_owned())
            .await?;
        Ok(())
    }
}
