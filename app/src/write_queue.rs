//! Group commit for the hottest write, a guest registering. Every request hands its
//! write to one writer, which runs all the writes waiting at that moment in one
//! transaction (one `BEGIN IMMEDIATE` and one commit for many guests) on a database
//! connection and an OS thread of its own.
//!
//! Why a thread of its own: a statement's answer comes back from sqlx's connection
//! thread, outside the request runtime, and under load a task woken from outside waits
//! behind every queued request task before it runs again. A write transaction does
//! several statements in a row while it holds SQLite's only write lock, so each of those
//! waits stalled every other guest. The writer's runtime has nothing else to run.
//!
//! A batch is all or nothing: when any write in it fails (a refusal such as "registration
//! closed" as much as a database error), the batch is rolled back and each of its writes
//! runs again alone, in a transaction of its own, so one guest's failure is never
//! another's and nothing is half-written. The writes are serialized like any
//! `BEGIN IMMEDIATE` transaction: other writers (on other connections, or in other server
//! processes) still take the write lock in turn, and on PostgreSQL the rows they lock.
//!
//! The queue knows nothing of what it writes: a feature names the rows its jobs leave to
//! be inserted together (`Rows`) and starts a queue of its own. The channel is bounded:
//! when the writer falls behind by `capacity` jobs, callers wait to queue (back-pressure)
//! instead of piling up memory without limit.

use std::{future::Future, panic::AssertUnwindSafe};

use futures::{FutureExt, future::BoxFuture};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use tokio::sync::{mpsc, oneshot};

use crate::db::begin_write;
use crate::error::AppError;

/// Most writes committed together.
const BATCH: usize = 64;

/// Rows the jobs of one transaction leave to be inserted together before it commits: one
/// multi-row statement per table instead of one per job. A job adds only rows no later
/// statement of the same transaction reads.
///
/// The rows also carry what the jobs share: `prepare` reads, in as few statements as it
/// can, what every job of the batch announced it will read, before the first one runs.
/// `together`: the jobs share the transaction (a job that runs alone, after its batch
/// failed, is told `false`, and may want its reads exact rather than quick).
pub trait Rows: Default + Send + 'static {
    fn prepare(
        &mut self,
        _txn: &DatabaseTransaction,
        _together: bool,
    ) -> impl Future<Output = Result<(), sea_orm::DbErr>> + Send {
        async { Ok(()) }
    }
    fn flush(&mut self, txn: &DatabaseTransaction) -> impl Future<Output = Result<(), sea_orm::DbErr>> + Send;
}

/// A write the queue runs, possibly twice (in a batch, then alone): it must not act
/// outside the transaction it is given.
pub trait WriteJob<R: Rows>: Send + 'static {
    type Output: Send + 'static;
    /// Tells the rows what `run` will read; called for every job of a batch before any runs.
    fn announce(&self, _rows: &mut R) {}
    fn run(
        &self,
        txn: &DatabaseTransaction,
        rows: &mut R,
    ) -> impl Future<Output = Result<Self::Output, AppError>> + Send;
    /// The output once the rows are flushed: a job that left its row to the flush finds
    /// what the flush wrote (its id) there.
    fn finish(&self, output: Self::Output, _rows: &R) -> Self::Output {
        output
    }
}

/// A queued job with its caller's reply, its output kept until its transaction commits.
trait Queued<R>: Send {
    fn announce(&self, rows: &mut R);
    /// Runs the job; whether it succeeded.
    fn run<'a>(&'a mut self, txn: &'a DatabaseTransaction, rows: &'a mut R) -> BoxFuture<'a, bool>;
    fn finish(&mut self, rows: &R);
    /// Answers the caller: the job's own result, or `failure` when its commit failed.
    fn answer(self: Box<Self>, failure: Option<AppError>);
}

struct Pending<J: WriteJob<R>, R: Rows> {
    job: J,
    result: Option<Result<J::Output, AppError>>,
    reply: oneshot::Sender<Result<J::Output, AppError>>,
}

impl<J: WriteJob<R>, R: Rows> Queued<R> for Pending<J, R> {
    fn announce(&self, rows: &mut R) {
        self.job.announce(rows);
    }

    fn run<'a>(&'a mut self, txn: &'a DatabaseTransaction, rows: &'a mut R) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            let result = match AssertUnwindSafe(self.job.run(txn, rows)).catch_unwind().await {
                Ok(result) => result,
                Err(_) => Err(AppError::internal(anyhow::anyhow!("a queued write panicked"))),
            };
            let ok = result.is_ok();
            self.result = Some(result);
            ok
        })
    }

    fn finish(&mut self, rows: &R) {
        if let Some(Ok(output)) = self.result.take() {
            self.result = Some(Ok(self.job.finish(output, rows)));
        }
    }

    fn answer(self: Box<Self>, failure: Option<AppError>) {
        let result = match (failure, self.result) {
            (Some(failure), _) => Err(failure),
            (None, Some(result)) => result,
            (None, None) => Err(AppError::internal(anyhow::anyhow!("a queued write never ran"))),
        };
        // The caller may have gone (the client hung up); the write stands all the same.
        let _ = self.reply.send(result);
    }
}

/// The handle requests queue their writes on. Cloning it is cheap; the writer stops when
/// the last handle is dropped.
pub struct WriteQueue<R> {
    sender: mpsc::Sender<Box<dyn Queued<R>>>,
}

impl<R> Clone for WriteQueue<R> {
    fn clone(&self) -> Self {
        WriteQueue { sender: self.sender.clone() }
    }
}

impl<R: Rows> WriteQueue<R> {
    /// Starts the writer on its own thread (named `name`) and runtime, with the connection
    /// `connect` opens there (so the connection's tasks live on the writer's runtime too).
    /// At most `capacity` jobs wait; further callers wait to queue.
    pub async fn start<C, F>(name: &str, capacity: usize, connect: C) -> anyhow::Result<WriteQueue<R>>
    where
        C: FnOnce() -> F + Send + 'static,
        F: Future<Output = anyhow::Result<DatabaseConnection>>,
    {
        let (sender, receiver) = mpsc::channel(capacity.max(1));
        let (ready, started) = oneshot::channel();
        std::thread::Builder::new().name(name.into()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(e) => return drop(ready.send(Err(anyhow::Error::new(e)))),
            };
            runtime.block_on(async move {
                match connect().await {
                    Ok(db) => {
                        let _ = ready.send(Ok(()));
                        write_loop(&db, receiver).await;
                        let _ = db.close().await;
                    }
                    Err(e) => drop(ready.send(Err(e))),
                }
            });
        })?;
        started.await.map_err(|_| anyhow::anyhow!("the writer thread stopped while starting"))??;
        Ok(WriteQueue { sender })
    }

    /// Runs `job` in the writer's next transaction and returns its output once that has
    /// committed.
    pub async fn run<J: WriteJob<R>>(&self, job: J) -> Result<J::Output, AppError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || AppError::internal(anyhow::anyhow!("the database writer has stopped"));
        let pending: Box<dyn Queued<R>> = Box::new(Pending { job, result: None, reply });
        self.sender.send(pending).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn write_loop<R: Rows>(db: &DatabaseConnection, mut receiver: mpsc::Receiver<Box<dyn Queued<R>>>) {
    let mut batch = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut batch, BATCH).await > 0 {
        if batch.len() == 1 || !run_together(db, &mut batch).await {
            for job in batch.drain(..) {
                run_alone(db, job).await;
            }
        }
        batch.clear();
    }
}

/// Runs the batch in one transaction and answers every caller; `false` (with nothing
/// written and nobody answered) when any job failed or the commit did.
async fn run_together<R: Rows>(db: &DatabaseConnection, batch: &mut Vec<Box<dyn Queued<R>>>) -> bool {
    let Ok(txn) = begin_write(db).await else { return false };
    let mut rows = R::default();
    for job in batch.iter() {
        job.announce(&mut rows);
    }
    if rows.prepare(&txn, true).await.is_err() {
        let _ = txn.rollback().await;
        return false;
    }
    for job in batch.iter_mut() {
        if !job.run(&txn, &mut rows).await {
            let _ = txn.rollback().await;
            return false;
        }
    }
    if rows.flush(&txn).await.is_err() {
        let _ = txn.rollback().await;
        return false;
    }
    for job in batch.iter_mut() {
        job.finish(&rows);
    }
    if txn.commit().await.is_err() {
        return false;
    }
    for job in batch.drain(..) {
        job.answer(None);
    }
    true
}

async fn run_alone<R: Rows>(db: &DatabaseConnection, mut job: Box<dyn Queued<R>>) {
    let txn = match begin_write(db).await {
        Ok(txn) => txn,
        Err(e) => return job.answer(Some(e.into())),
    };
    let mut rows = R::default();
    job.announce(&mut rows);
    if let Err(e) = rows.prepare(&txn, false).await {
        let _ = txn.rollback().await;
        return job.answer(Some(e.into()));
    }
    if job.run(&txn, &mut rows).await {
        if let Err(e) = rows.flush(&txn).await {
            let _ = txn.rollback().await;
            return job.answer(Some(e.into()));
        }
        job.finish(&rows);
        let committed = txn.commit().await;
        job.answer(committed.err().map(AppError::from));
    } else {
        let _ = txn.rollback().await;
        job.answer(None);
    }
}
