//! On PostgreSQL, every change to what a public page shows tells every server process on
//! the database at once (`NOTIFY roadshow_public`, delivered when the change commits), so
//! each drops what it keeps in memory: an event row (its seat counts move with every
//! registration, through the triggers of `seat_counts`) names its slug; a change to a
//! roadshow, an agenda item, an event's questions or an organization says `*` (everything).
//! SQLite has no such channel: one process serves it, and what it keeps expires in 500 ms.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CREATE: &str = "
CREATE FUNCTION roadshow_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('roadshow_public', OLD.slug);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('roadshow_public', NEW.slug);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER roadshow_event_changed AFTER INSERT OR UPDATE OR DELETE ON event
    FOR EACH ROW EXECUTE FUNCTION roadshow_event_changed();
CREATE FUNCTION roadshow_public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('roadshow_public', '*');
    RETURN NULL;
END $$;
CREATE TRIGGER roadshow_public_changed AFTER INSERT OR UPDATE OR DELETE ON roadshow
    FOR EACH STATEMENT EXECUTE FUNCTION roadshow_public_changed();
CREATE TRIGGER roadshow_public_changed AFTER INSERT OR UPDATE OR DELETE ON agenda_item
    FOR EACH STATEMENT EXECUTE FUNCTION roadshow_public_changed();
CREATE TRIGGER roadshow_public_changed AFTER INSERT OR UPDATE OR DELETE ON event_question
    FOR EACH STATEMENT EXECUTE FUNCTION roadshow_public_changed();
CREATE TRIGGER roadshow_public_changed AFTER INSERT OR UPDATE OR DELETE ON organization
    FOR EACH STATEMENT EXECUTE FUNCTION roadshow_public_changed();";

const DROP: &str = "
DROP TRIGGER roadshow_event_changed ON event;
DROP TRIGGER roadshow_public_changed ON roadshow;
DROP TRIGGER roadshow_public_changed ON agenda_item;
DROP TRIGGER roadshow_public_changed ON event_question;
DROP TRIGGER roadshow_public_changed ON organization;
DROP FUNCTION roadshow_event_changed();
DROP FUNCTION roadshow_public_changed();";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::on_postgres(manager, CREATE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::on_postgres(manager, DROP).await
    }
}
