//! Server side of trips: the year's list and the per-month counts, saving and deleting.

use std::collections::HashMap;

use chrono::{Datelike as _, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{TripRow, Trips, UnitMonths, ValidTrip};
use crate::auth::Member;
use crate::db::begin_write;
use crate::entities::{event, lead, trip, trip_lead};
use crate::error::{AppError, FieldErrors, Reason};

async fn find_owned(db: &impl ConnectionTrait, org_id: i32, id: i32) -> Result<trip::Model, AppError> {
    trip::Entity::find_by_id(id)
        .filter(trip::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn list(db: &DatabaseConnection, org_id: i32, year: i32, today: NaiveDate) -> Result<Trips, AppError> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::NotFound)?;
    let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?;
    let trips = trip::Entity::find()
        .filter(trip::Column::OrganizationId.eq(org_id))
        .filter(trip::Column::StartsOn.between(first, last))
        .order_by_desc(trip::Column::StartsOn)
        .order_by_desc(trip::Column::Id)
        .all(db)
        .await?;
    let links =
        trip_lead::Entity::find().filter(trip_lead::Column::TripId.is_in(trips.iter().map(|t| t.id))).all(db).await?;
    let names: HashMap<i32, String> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(links.iter().map(|l| l.lead_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let events: Vec<event::Model> = event::Entity::find()
        .filter(event::Column::OrganizationId.eq(org_id))
        .order_by_desc(event::Column::StartsAt)
        .all(db)
        .await?;
    let event_of = |id: i32| events.iter().find(|e| e.id == id).map(|e| (e.id, e.title_zh.clone(), e.title_en.clone()));
    let units = crate::units::ssr::names(db, org_id).await?;
    let mut by_unit: Vec<UnitMonths> = units
        .iter()
        .map(|(id, zh, en)| UnitMonths { unit_id: *id, name_zh: zh.clone(), name_en: en.clone(), months: [0; 12] })
        .collect();
    for t in &trips {
        if let Some(u) = by_unit.iter_mut().find(|u| u.unit_id == t.unit_id) {
            u.months[t.starts_on.month0() as usize] += 1;
        }
    }
    let months_over = match year.cmp(&today.year()) {
        std::cmp::Ordering::Less => 12,
        std::cmp::Ordering::Equal => today.month0(),
        std::cmp::Ordering::Greater => 0,
    };
    let rows = trips
        .into_iter()
        .map(|t| {
            let mut leads: Vec<(i32, String)> = links
                .iter()
                .filter(|l| l.trip_id == t.id)
                .filter_map(|l| names.get(&l.lead_id).map(|n| (l.lead_id, n.clone())))
                .collect();
            leads.sort();
            TripRow {
                id: t.id,
                unit_id: t.unit_id,
                destination: t.destination,
                starts_on: t.starts_on,
                ends_on: t.ends_on,
                travellers: t.travellers,
                companies: t.companies.lines().map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect(),
                leads,
                event: t.event_id.and_then(event_of),
                notes: t.notes,
            }
        })
        .collect();
    Ok(Trips {
        year,
        months_over,
        trips: rows,
        by_unit,
        units,
        events: events.iter().map(|e| (e.id, e.title_zh.clone(), e.title_en.clone())).collect(),
    })
}

pub async fn save(
    db: &DatabaseConnection,
    member: &Member,
    id: Option<i32>,
    valid: ValidTrip,
) -> Result<i32, AppError> {
    let org_id = member.organization_id;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    crate::units::ssr::chosen(&txn, org_id, "unit_id", valid.unit_id).await?;
    if !member.works_for(valid.unit_id) {
        return Err(AppError::Invalid(FieldErrors::single("unit_id", Reason::NotYourUnit)));
    }
    if let Some(event_id) = valid.event_id {
        crate::events::ssr::find_owned(&txn, org_id, event_id)
            .await
            .map_err(|_| AppError::Invalid(FieldErrors::single("event_id", Reason::UnknownChoice)))?;
    }
    let owned = lead::Entity::find()
        .filter(lead::Column::OrganizationId.eq(org_id))
        .filter(lead::Column::Id.is_in(valid.leads.iter().copied()))
        .all(&txn)
        .await?;
    if owned.len() != valid.leads.len() {
        return Err(AppError::Invalid(FieldErrors::single("leads", Reason::UnknownChoice)));
    }
    let mut model: trip::ActiveModel = match id {
        Some(id) => {
            let existing = find_owned(&txn, org_id, id).await?;
            if !member.works_for(existing.unit_id) {
                return Err(AppError::Forbidden);
            }
            existing.into()
        }
        None => trip::ActiveModel {
            organization_id: Set(org_id),
            created_by: Set(Some(member.user_id)),
            created_at: Set(now),
            ..Default::default()
        },
    };
    model.unit_id = Set(valid.unit_id);
    model.event_id = Set(valid.event_id);
    model.destination = Set(valid.destination);
    model.starts_on = Set(valid.starts_on);
    model.ends_on = Set(valid.ends_on);
    model.travellers = Set(valid.travellers);
    model.companies = Set(valid.companies);
    model.notes = Set(valid.notes);
    model.updated_at = Set(now);
    let saved = model.save(&txn).await?;
    let trip_id = *saved.id.as_ref();
    trip_lead::Entity::delete_many().filter(trip_lead::Column::TripId.eq(trip_id)).exec(&txn).await?;
    if !valid.leads.is_empty() {
        trip_lead::Entity::insert_many(
            valid.leads.iter().map(|&lead_id| trip_lead::ActiveModel { trip_id: Set(trip_id), lead_id: Set(lead_id) }),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(trip_id)
}

pub async fn delete(db: &DatabaseConnection, member: &Member, id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let existing = find_owned(&txn, member.organization_id, id).await?;
    if !member.works_for(existing.unit_id) {
        return Err(AppError::Forbidden);
    }
    trip::Entity::delete_by_id(existing.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}
