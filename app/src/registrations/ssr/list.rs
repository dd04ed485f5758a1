//! The organizer's list of an event's guests, with counts, and its CSV export.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::registration;
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::ssr::{find_owned, tz_of, utc_to_local};
use crate::registrations::{RegistrationFilter, RegistrationList, RegistrationRow, RegistrationStatus};

use super::stored_answers;

async fn count_with(db: &impl ConnectionTrait, event_id: i32, status: RegistrationStatus) -> Result<u64, AppError> {
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(status.as_str()))
        .count(db)
        .await?)
}

/// An event's registrations, for members of the organization that owns it; another
/// organization's event is `NotFound`.
pub async fn list(
    db: &DatabaseConnection,
    org_id: i32,
    event_id: i32,
    filter: &RegistrationFilter,
) -> Result<RegistrationList, AppError> {
    let event = find_owned(db, org_id, event_id).await?;
    let mut query = registration::Entity::find().filter(registration::Column::EventId.eq(event.id));
    if !filter.status.trim().is_empty() {
        let status = RegistrationStatus::parse(filter.status.trim())
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("status", Reason::UnknownChoice)))?;
        query = query.filter(registration::Column::Status.eq(status.as_str()));
    }
    let q = filter.q.trim().to_lowercase().replace(['\\', '%', '_'], "");
    if !q.is_empty() {
        use sea_orm::sea_query::{Expr, ExprTrait, Func};
        let pattern = format!("%{q}%");
        let mut any = Condition::any();
        for column in [registration::Column::Name, registration::Column::Email, registration::Column::Company] {
            any = any.add(Expr::expr(Func::lower(Expr::col(column))).like(pattern.clone()));
        }
        query = query.filter(any);
    }
    let tz = tz_of(&event.time_zone)?;
    let questions = crate::events::ssr::questions_of(db, event.id).await?;
    let rows = query
        .order_by_asc(registration::Column::CreatedAt)
        .order_by_asc(registration::Column::Id)
        .limit(10_000)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RegistrationRow {
            answers: {
                let stored = stored_answers(&r.answers);
                questions.iter().map(|q| stored.get(&q.id).cloned().unwrap_or_default()).collect()
            },
            id: r.id,
            status: r.status,
            marketing_consent: r.consent_marketing_at.is_some(),
            registered_at: r.created_at,
            checked_in_at: r.checked_in_at,
            checked_in_local: r.checked_in_at.map(|t| utc_to_local(tz, t)),
            name: r.name,
            email: r.email,
            phone: r.phone,
            company: r.company,
            job_title: r.job_title,
            country: r.country,
            language: r.language,
        })
        .collect();
    Ok(RegistrationList {
        confirmed: count_with(db, event.id, RegistrationStatus::Confirmed).await?,
        waitlisted: count_with(db, event.id, RegistrationStatus::Waitlisted).await?,
        cancelled: count_with(db, event.id, RegistrationStatus::Cancelled).await?,
        checked_in: registration::Entity::find()
            .filter(registration::Column::EventId.eq(event.id))
            .filter(registration::Column::CheckedInAt.is_not_null())
            .count(db)
            .await?,
        event_title_zh: event.title_zh,
        event_title_en: event.title_en,
        capacity: event.capacity,
        questions,
        rows,
    })
}

/// The list as CSV (UTF-8 with a byte-order mark, so spreadsheets read Chinese right).
pub fn to_csv(list: &RegistrationList) -> String {
    let mut out = String::from(
        "\u{feff}name,email,phone,company,job_title,country,language,status,marketing_consent,registered_at,checked_in_at",
    );
    for q in &list.questions {
        out.push(',');
        out.push_str(&crate::csv::cell(crate::i18n::Lang::En.pick(&q.label_zh, &q.label_en)));
    }
    out.push_str("\r\n");
    for r in &list.rows {
        let cells = [
            r.name.as_str(),
            r.email.as_str(),
            r.phone.as_str(),
            r.company.as_str(),
            r.job_title.as_str(),
            r.country.as_str(),
            r.language.code(),
            r.status.as_str(),
            if r.marketing_consent { "yes" } else { "no" },
            &r.registered_at.to_rfc3339(),
            &r.checked_in_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ];
        let answers = r.answers.iter().map(String::as_str);
        out.push_str(&cells.into_iter().chain(answers).map(crate::csv::cell).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
