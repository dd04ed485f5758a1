//! The database: connecting (and migrating), write transactions, and what a database
//! error means, for SQLite and PostgreSQL alike.

use std::time::Duration;

use anyhow::Context as _;
use migration::MigratorTrait;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

/// Opens the database named by `url` and brings its schema up to date.
/// SQLite runs in WAL mode with foreign keys on, waits up to 5 s for a lock, and maps
/// the file into memory.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = connect_unmigrated(url, None).await?;
    migrate(&db, url).await?;
    Ok(db)
}

/// Opens the database without touching its schema (`server check`, `/readyz`), with a
/// pool of at most `connections` (by default 16 on PostgreSQL, 8 on SQLite).
pub async fn connect_unmigrated(url: &str, connections: Option<u32>) -> anyhow::Result<DatabaseConnection> {
    open(url, connections.unwrap_or(if url.starts_with("sqlite:") { 8 } else { 16 })).await
}

/// The key of the PostgreSQL advisory lock that lets one process at a time set up.
const SETUP_LOCK: i64 = 0x526f_6164_7368_6f77; // "Roadshow"

/// Runs the migrations not yet applied; returns how many. Several processes starting at
/// once take turns (see [`under_setup_lock`]), so each migration runs once.
pub async fn migrate(db: &DatabaseConnection, url: &str) -> anyhow::Result<usize> {
    under_setup_lock(db, url, migrate_now(db)).await
}

/// Runs the pending migrations, for a caller already holding the setup lock.
pub async fn migrate_now(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let pending = pending_migrations(db).await.context("reading the applied migrations")?;
    migration::Migrator::up(db, None).await.context("running migrations")?;
    Ok(pending)
}

/// Runs `work` (migrating, loading the demo data) while no other process does: on
/// PostgreSQL under an advisory lock held by a connection of its own (closing it releases
/// the lock whatever happens). On SQLite (one file, served by one process) it just runs.
pub async fn under_setup_lock<T>(
    db: &DatabaseConnection,
    url: &str,
    work: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    if !is_postgres(db) {
        return work.await;
    }
    let lock = open(url, 1).await?;
    let statement =
        |sql: &str| sea_orm::Statement::from_sql_and_values(sea_orm::DbBackend::Postgres, sql, [SETUP_LOCK.into()]);
    lock.execute_raw(statement("SELECT pg_advisory_lock($1)")).await.context("waiting for the setup lock")?;
    let outcome = work.await;
    let _ = lock.execute_raw(statement("SELECT pg_advisory_unlock($1)")).await;
    let _ = lock.close().await;
    outcome
}

/// How many of the migrations this build knows are not applied to `db`.
pub async fn pending_migrations(db: &DatabaseConnection) -> anyhow::Result<usize> {
    Ok(migration::Migrator::get_pending_migrations(db).await?.len())
}

/// The write queue's own connection to a database `connect` has brought up to date.
///
/// Its batches insert up to 64 rows per statement into several tables, so the same
/// transaction's statements come in a few hundred shapes (one per row count): the
/// connection keeps 1,024 prepared. With sqlx's default of 100 the shapes pushed each other
/// out, and each one pushed out was parsed and planned again (a round trip more) while the
/// event's row was locked; with 1,024 the PostgreSQL log shows each shape parsed once per
/// node.
///
/// On PostgreSQL it plans each statement for the values it is given
/// (`plan_cache_mode = force_custom_plan`). Left to itself, PostgreSQL switches a prepared
/// statement to one generic plan after five executions and keeps it until the table is next
/// analyzed: a plan made while a new stop's registrations were a few rows (read them all)
/// was still used at 16,000 rows, 10–30 ms a batch (seen with `auto_explain` in the
/// three-node benchmark, where autovacuum had not yet analyzed the table). Planning the
/// writer's few statements again costs tenths of a millisecond.
pub async fn connect_writer(url: &str) -> anyhow::Result<DatabaseConnection> {
    open_with(url, 1, Pool::Writer).await
}

/// The prepared statements the writer's connection keeps.
const WRITER_STATEMENTS: usize = 1024;

async fn open(url: &str, connections: u32) -> anyhow::Result<DatabaseConnection> {
    open_with(url, connections, Pool::General).await
}

/// What a pool is for, which decides its session settings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pool {
    General,
    Writer,
}

async fn open_with(url: &str, connections: u32, pool: Pool) -> anyhow::Result<DatabaseConnection> {
    let statements = if pool == Pool::Writer { WRITER_STATEMENTS } else { 100 };
    let mut options = ConnectOptions::new(url.to_string());
    options.sqlx_logging(false).max_connections(connections).min_connections(1);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(move |o| {
            o.statement_cache_capacity(statements)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .create_if_missing(true)
                // Reads of large lists (100,000 leads) come from memory, not one system
                // call per page: the file mapped (up to 1 GiB) and a 64 MiB page cache.
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-65536")
        });
    } else {
        options.map_sqlx_postgres_opts(move |o| {
            let o = o.statement_cache_capacity(statements);
            match pool {
                Pool::General => o,
                Pool::Writer => o.options([("plan_cache_mode", "force_custom_plan")]),
            }
        });
    }
    Database::connect(options).await.with_context(|| format!("connecting to {}", redact(url)))
}

/// Hides a password in a database URL for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Starts a write transaction. On SQLite it takes the write lock at `BEGIN IMMEDIATE`,
/// so concurrent writers queue on the busy timeout instead of failing with "database is
/// locked" when a read lock would have to be upgraded.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, sea_orm::DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

pub fn is_postgres(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == sea_orm::DbBackend::Postgres
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(redact("sqlite://roadshow.db?mode=rwc"), "sqlite://roadshow.db?mode=rwc");
    }
}
