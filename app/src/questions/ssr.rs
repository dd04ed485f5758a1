//! Server side of custom questions: stored per event, in order.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, ModelTrait, QueryFilter, QuerySelect, Set,
};

use super::{Question, ValidQuestion};
use crate::db::begin_write;
use crate::entities::event_question;
use crate::error::AppError;
use crate::events::ssr::{find_owned, questions_of};

pub async fn list_owned(db: &DatabaseConnection, org_id: i32, event_id: i32) -> Result<Vec<Question>, AppError> {
    find_owned(db, org_id, event_id).await?;
    Ok(questions_of(db, event_id).await?)
}

pub async fn add(db: &DatabaseConnection, org_id: i32, event_id: i32, q: ValidQuestion) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    find_owned(&txn, org_id, event_id).await?;
    let last: Option<i32> = event_question::Entity::find()
        .select_only()
        .column_as(event_question::Column::Position.max(), "max")
        .filter(event_question::Column::EventId.eq(event_id))
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten();
    let saved = event_question::ActiveModel {
        event_id: Set(event_id),
        position: Set(last.map_or(0, |p| p + 1)),
        kind: Set(q.kind),
        label_zh: Set(q.label_zh),
        label_en: Set(q.label_en),
        options: Set(q.options.join("\n")),
        required: Set(q.required),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Deletes a question (answers already given stay in their registrations). Returns
/// the question's event.
pub async fn delete(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    let q = event_question::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    find_owned(&txn, org_id, q.event_id).await?;
    let event_id = q.event_id;
    q.delete(&txn).await?;
    txn.commit().await?;
    Ok(event_id)
}
