//! Each event keeps its counts of confirmed and waitlisted registrations, so that taking
//! a seat reads one row instead of counting every registration of the event. Triggers in
//! the database keep the counts right whatever statement changes a registration.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Event {
    Table,
    ConfirmedCount,
    WaitlistedCount,
}

const BACKFILL: &str = "UPDATE event SET
    confirmed_count = (SELECT COUNT(*) FROM registration r WHERE r.event_id = event.id AND r.status = 'confirmed'),
    waitlisted_count = (SELECT COUNT(*) FROM registration r WHERE r.event_id = event.id AND r.status = 'waitlisted')";

const SQLITE_TRIGGERS: &str = "
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

const POSTGRES_TRIGGERS: &str = "
CREATE FUNCTION registration_counts() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER registration_counts_insert_delete AFTER INSERT OR DELETE ON registration
    FOR EACH ROW EXECUTE FUNCTION registration_counts();
CREATE TRIGGER registration_counts_update AFTER UPDATE OF status ON registration
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION registration_counts();";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Event::ConfirmedCount, Event::WaitlistedCount] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Event::Table)
                        .add_column(ColumnDef::new(column).integer().not_null().default(0))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(BACKFILL).await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared(POSTGRES_TRIGGERS).await?,
            _ => db.execute_unprepared(SQLITE_TRIGGERS).await?,
        };
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER registration_counts_insert_delete ON registration;
                     DROP TRIGGER registration_counts_update ON registration;
                     DROP FUNCTION registration_counts();",
                )
                .await?
            }
            _ => {
                db.execute_unprepared(
                    "DROP TRIGGER registration_counts_insert; DROP TRIGGER registration_counts_update;
                     DROP TRIGGER registration_counts_delete;",
                )
                .await?
            }
        };
        for column in [Event::ConfirmedCount, Event::WaitlistedCount] {
            manager.alter_table(Table::alter().table(Event::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
