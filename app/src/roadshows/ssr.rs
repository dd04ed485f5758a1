//! Server side of roadshows, scoped to the member's organization.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::{RoadshowDto, RoadshowOverview, RoadshowStops, ValidRoadshow};
use crate::db::begin_write;
use crate::entities::{event, roadshow};
use crate::error::AppError;
use crate::events::{EventFilter, ssr as events};
use crate::markdown::to_safe_html;

async fn to_dto(db: &DatabaseConnection, model: roadshow::Model) -> Result<RoadshowDto, AppError> {
    let event_count = event::Entity::find().filter(event::Column::RoadshowId.eq(model.id)).count(db).await? as i64;
    Ok(RoadshowDto {
        id: model.id,
        name: model.name,
        year: model.year,
        description_html: to_safe_html(&model.description),
        description: model.description,
        target_events: model.target_events,
        target_leads: model.target_leads,
        target_projects: model.target_projects,
        target_amount_cny: model.target_amount_cny,
        event_count,
    })
}

pub async fn public(db: &DatabaseConnection, id: i32, region: &str) -> Result<RoadshowStops, AppError> {
    use crate::events::{EventStatus, Visibility};
    let model = roadshow::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let published = event::Entity::find()
        .filter(event::Column::RoadshowId.eq(id))
        .filter(event::Column::Visibility.eq(Visibility::Public.as_str()))
        .filter(event::Column::Status.is_in([EventStatus::Published.as_str(), EventStatus::Completed.as_str()]))
        .count(db)
        .await?;
    if published == 0 {
        return Err(AppError::NotFound);
    }
    let coming = event::Entity::find()
        .filter(event::Column::RoadshowId.eq(id))
        .filter(event::Column::Visibility.eq(Visibility::Public.as_str()))
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(event::Column::EndsAt.gt(Utc::now()))
        .order_by_asc(event::Column::StartsAt)
        .all(db)
        .await?;
    let mut regions: Vec<(String, u64)> = Vec::new();
    for stop in &coming {
        match regions.iter_mut().find(|(r, _)| *r == stop.region) {
            Some((_, n)) => *n += 1,
            None => regions.push((stop.region.clone(), 1)),
        }
    }
    let names = [(model.id, model.name.clone())];
    let stops = coming
        .into_iter()
        .filter(|e| region.is_empty() || e.region == region)
        .map(|e| events::summary(e, &names))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RoadshowStops {
        id: model.id,
        name: model.name,
        year: model.year,
        description_html: to_safe_html(&model.description),
        regions,
        region: region.to_string(),
        stops,
    })
}

pub async fn list(db: &DatabaseConnection, org_id: i32) -> Result<Vec<RoadshowDto>, AppError> {
    let models = roadshow::Entity::find()
        .filter(roadshow::Column::OrganizationId.eq(org_id))
        .order_by_desc(roadshow::Column::Year)
        .order_by_asc(roadshow::Column::Name)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(models.len());
    for model in models {
        out.push(to_dto(db, model).await?);
    }
    Ok(out)
}

async fn find_owned(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<roadshow::Model, AppError> {
    roadshow::Entity::find_by_id(id)
        .filter(roadshow::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn overview(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<RoadshowOverview, AppError> {
    let model = find_owned(db, org_id, id).await?;
    let roadshow = to_dto(db, model).await?;
    let filter = EventFilter { roadshow: id.to_string(), ..Default::default() };
    let stops = events::list(db, org_id, &filter).await?.events;
    let mut regions: Vec<(String, Vec<_>)> = Vec::new();
    for stop in stops {
        match regions.iter_mut().find(|(r, _)| *r == stop.region) {
            Some((_, list)) => list.push(stop),
            None => regions.push((stop.region.clone(), vec![stop])),
        }
    }
    Ok(RoadshowOverview { roadshow, regions })
}

pub async fn create(db: &DatabaseConnection, org_id: i32, valid: ValidRoadshow) -> Result<i32, AppError> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let model = roadshow::ActiveModel {
        organization_id: Set(org_id),
        name: Set(valid.name),
        year: Set(valid.year),
        description: Set(valid.description),
        target_events: Set(valid.target_events),
        target_leads: Set(valid.target_leads),
        target_projects: Set(valid.target_projects),
        target_amount_cny: Set(valid.target_amount_cny.get()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(model.id)
}

pub async fn update(db: &DatabaseConnection, org_id: i32, id: i32, valid: ValidRoadshow) -> Result<(), AppError> {
    let existing = find_owned(db, org_id, id).await?;
    let txn = begin_write(db).await?;
    let mut model: roadshow::ActiveModel = existing.into();
    model.name = Set(valid.name);
    model.year = Set(valid.year);
    model.description = Set(valid.description);
    model.target_events = Set(valid.target_events);
    model.target_leads = Set(valid.target_leads);
    model.target_projects = Set(valid.target_projects);
    model.target_amount_cny = Set(valid.target_amount_cny.get());
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}
