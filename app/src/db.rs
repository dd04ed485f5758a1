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
    let db = open(url, if url.starts_with("sqlite:") { 8 } else { 16 }).await?;
    migration::Migrator::up(&db, None).await.context("running migrations")?;
    Ok(db)
}

/// The write queue's own connection to a database `connect` has brought up to date.
pub async fn connect_writer(url: &str) -> anyhow::Result<DatabaseConnection> {
    open(url, 1).await
}

async fn open(url: &str, connections: u32) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_string());
    options.sqlx_logging(false).max_connections(connections).min_connections(1);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .create_if_missing(true)
                // Reads of large lists (100,000 leads) come from memory, not one system
                // call per page: the file mapped (up to 1 GiB) and a 64 MiB page cache.
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-65536")
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
