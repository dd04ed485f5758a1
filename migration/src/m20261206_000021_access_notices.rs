//! On PostgreSQL, a change to what an API token may do (revoked, its expiry, scope or owner,
//! deleted) or to a membership (its creator's rights) is told to every server process as it
//! commits, on the channel of migration 000017 with the payload `:access` (no event's slug has a colon): each process drops
//! the tokens it recognized in the last second and reads them again. (SQLite is served by one
//! process, which drops them itself when it revokes one.)

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CREATE: &str = "
CREATE FUNCTION roadshow_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('roadshow_public', ':access');
    RETURN NULL;
END $$;
CREATE TRIGGER roadshow_access_changed
    AFTER UPDATE OF revoked_at, expires_at, scope, organization_id, created_by, token_hash OR DELETE ON api_token
    FOR EACH STATEMENT EXECUTE FUNCTION roadshow_access_changed();
CREATE TRIGGER roadshow_access_changed AFTER UPDATE OR DELETE ON membership
    FOR EACH STATEMENT EXECUTE FUNCTION roadshow_access_changed();";

const DROP: &str = "
DROP TRIGGER roadshow_access_changed ON api_token;
DROP TRIGGER roadshow_access_changed ON membership;
DROP FUNCTION roadshow_access_changed();";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::on_postgres(manager, CREATE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::on_postgres(manager, DROP).await
    }
}
