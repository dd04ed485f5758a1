//! Server side of leads. Every function is scoped to the caller's organization: a lead,
//! project or event of another organization is `NotFound`. Changes that touch several
//! rows run in one write transaction, and every change of stage, owner or amount writes
//! its history entry in the same transaction.
//!
//! One file per use case; this one holds what they share.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::{lead, lead_activity};
use crate::error::{AppError, FieldErrors, Reason};
use crate::leads::ActivityKind;

mod detail;
mod intake;
mod pipeline;
mod privacy;
mod projects;
mod search;

pub use detail::*;
pub use intake::*;
pub use pipeline::*;
pub use privacy::*;
pub use projects::*;
pub use search::*;

// Shared between use cases.
use detail::{form_of, set_details, set_tags, tags_of};
use intake::fill_blanks;
use pipeline::touch;
use search::members;

fn invalid(field: &str, reason: Reason) -> AppError {
    AppError::Invalid(FieldErrors::single(field, reason))
}

/// The lead `id` of organization `org_id`, or `NotFound`.
async fn find_owned(db: &impl ConnectionTrait, org_id: i32, id: i32) -> Result<lead::Model, AppError> {
    lead::Entity::find_by_id(id)
        .filter(lead::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Writes one entry of a lead's history.
async fn log(
    db: &impl ConnectionTrait,
    lead_id: i32,
    user_id: Option<i32>,
    kind: ActivityKind,
    from: &str,
    to: &str,
    note: &str,
) -> Result<(), sea_orm::DbErr> {
    lead_activity::ActiveModel {
        lead_id: Set(lead_id),
        user_id: Set(user_id),
        kind: Set(kind),
        from_value: Set(from.chars().take(500).collect()),
        to_value: Set(to.chars().take(500).collect()),
        note: Set(note.to_string()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
