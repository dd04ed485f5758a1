//! On PostgreSQL, two costs of a busy stop, where three nodes register hundreds of guests a
//! second into one event row:
//!
//! - Seats are counted once per statement, not once per guest: a batch inserting 40
//!   registrations updated the event row 40 times (40 row versions, 40 notices) through the
//!   per-row trigger of migrations 000008 and 000020; a statement-level trigger reads the
//!   statement's new rows (a transition table) and updates each event once. Updates and
//!   deletions keep their per-row trigger.
//! - A change of the seat counts alone is told as `:seats:<slug>`, not `<slug>`: every node
//!   drops the event's page (its seats left), but keeps what registering reads before its
//!   write (the event's id, questions, organizer; the seat itself is decided under the
//!   lock), which every other node's batch used to drop, so each node read it again for
//!   nearly every guest. (No slug has a colon.)

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = "
DROP TRIGGER registration_counts_insert_delete ON registration;
CREATE TRIGGER registration_counts_delete AFTER DELETE ON registration
    FOR EACH ROW EXECUTE FUNCTION registration_counts();
CREATE FUNCTION registration_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE event SET confirmed_count = event.confirmed_count + added.confirmed,
                     waitlisted_count = event.waitlisted_count + added.waitlisted,
                     registrations_version = event.registrations_version + added.total
    FROM (SELECT event_id,
                 (count(*) FILTER (WHERE status = 'confirmed'))::int AS confirmed,
                 (count(*) FILTER (WHERE status = 'waitlisted'))::int AS waitlisted,
                 count(*) AS total
          FROM inserted GROUP BY event_id) added
    WHERE event.id = added.event_id;
    RETURN NULL;
END $$;
CREATE TRIGGER registration_counts_inserted AFTER INSERT ON registration
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION registration_counts_inserted();
CREATE OR REPLACE FUNCTION roadshow_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counts CONSTANT text[] := ARRAY['confirmed_count', 'waitlisted_count', 'registrations_version'];
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - counts = to_jsonb(NEW) - counts THEN
        PERFORM pg_notify('roadshow_public', ':seats:' || NEW.slug);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('roadshow_public', OLD.slug);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('roadshow_public', NEW.slug);
    END IF;
    RETURN NULL;
END $$;";

const DOWN: &str = "
DROP TRIGGER registration_counts_inserted ON registration;
DROP FUNCTION registration_counts_inserted();
DROP TRIGGER registration_counts_delete ON registration;
CREATE TRIGGER registration_counts_insert_delete AFTER INSERT OR DELETE ON registration
    FOR EACH ROW EXECUTE FUNCTION registration_counts();
CREATE OR REPLACE FUNCTION roadshow_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('roadshow_public', OLD.slug);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('roadshow_public', NEW.slug);
    END IF;
    RETURN NULL;
END $$;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::on_postgres(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::on_postgres(manager, DOWN).await
    }
}
