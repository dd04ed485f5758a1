//! The write queue on its own, with rows of a test's making: every caller answered under
//! back-pressure, a failing write kept from its batch, the batch's rows written with it.

use app::entities::app_setting;
use app::error::AppError;
use app::write_queue::{Rows, WriteJob, WriteQueue};
use sea_orm::{DatabaseTransaction, EntityTrait, PaginatorTrait, Set};

use crate::support::{Backend, TestApp};

/// Settings the jobs of a batch leave to be inserted together.
#[derive(Default)]
struct Settings(Vec<app_setting::ActiveModel>);

impl Rows for Settings {
    async fn flush(&mut self, txn: &DatabaseTransaction) -> Result<(), sea_orm::DbErr> {
        if self.0.is_empty() {
            return Ok(());
        }
        app_setting::Entity::insert_many(std::mem::take(&mut self.0)).exec_without_returning(txn).await.map(|_| ())
    }
}

/// Writes one setting itself and leaves a second to the batch; refuses when `fail`.
struct Note {
    n: usize,
    fail: bool,
}

fn setting(name: String) -> app_setting::ActiveModel {
    app_setting::ActiveModel { name: Set(name), value: Set("v".into()) }
}

impl WriteJob<Settings> for Note {
    type Output = usize;

    async fn run(&self, txn: &DatabaseTransaction, rows: &mut Settings) -> Result<usize, AppError> {
        app_setting::Entity::insert(setting(format!("now-{}", self.n))).exec_without_returning(txn).await?;
        if self.fail {
            return Err(AppError::NotFound);
        }
        rows.0.push(setting(format!("later-{}", self.n)));
        Ok(self.n)
    }
}

async fn every_caller_is_answered_and_one_failure_stays_its_own(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let before = app_setting::Entity::find().count(&app.db).await.unwrap();
    let url = app.database_url.clone();
    // Room for two waiting jobs: 300 callers at once must wait their turn, not fail.
    let queue: WriteQueue<Settings> =
        WriteQueue::start("test-writer", 2, move || async move { app::db::connect_writer(&url).await })
            .await
            .expect("writer starts");
    let calls = (0..300).map(|n| {
        let queue = queue.clone();
        tokio::spawn(async move { queue.run(Note { n, fail: n == 150 }).await })
    });
    let answers: Vec<_> = futures::future::join_all(calls).await.into_iter().map(|a| a.unwrap()).collect();
    for (n, answer) in answers.iter().enumerate() {
        match answer {
            Ok(got) => assert_eq!(*got, n),
            Err(e) => assert!(n == 150 && matches!(e, AppError::NotFound), "job {n}: {e:?}"),
        }
    }
    assert!(answers[150].is_err(), "the refused write is refused");
    let written = app_setting::Entity::find().count(&app.db).await.unwrap() - before;
    assert_eq!(written, 2 * 299, "each other job's own row and its batch row, none of the refused job's");
    assert!(app_setting::Entity::find_by_id("now-150").one(&app.db).await.unwrap().is_none());
}

on_both_databases!(every_caller_is_answered_and_one_failure_stays_its_own);
