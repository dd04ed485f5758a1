//! A lead's promotion method and a follow-up rule's stage are optional choices: `NULL`
//! when none is made, not an empty string that no choice is named by. A column keeps its
//! name and content; SQLite cannot drop a `NOT NULL` in place, so each column is copied
//! into a new one, by the same statements on both databases. They run as one batch: on
//! SQLite, on one connection, which sees each change of the table before the next.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [(&str, &str); 2] = [("lead", "promotion_method"), ("follow_up_rule", "stage")];

/// Replaces `column` of `table` by a column of type `definition` holding `value` (an
/// expression of the old column).
fn replace(table: &str, column: &str, definition: &str, value: &str) -> String {
    let value = value.replace("{column}", column);
    format!(
        "ALTER TABLE {table} ADD COLUMN choice {definition};
         UPDATE {table} SET choice = {value};
         ALTER TABLE {table} DROP COLUMN {column};
         ALTER TABLE {table} RENAME COLUMN choice TO {column};"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let batch: String =
            COLUMNS.iter().map(|(t, c)| replace(t, c, "VARCHAR(32) NULL", "NULLIF({column}, '')")).collect();
        manager.get_connection().execute_unprepared(&batch).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let batch: String = COLUMNS
            .iter()
            .map(|(t, c)| replace(t, c, "VARCHAR(32) NOT NULL DEFAULT ''", "COALESCE({column}, '')"))
            .collect();
        manager.get_connection().execute_unprepared(&batch).await?;
        Ok(())
    }
}
