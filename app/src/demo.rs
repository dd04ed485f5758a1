//! Loads the bureau's 2023 roadshow into an empty database on first start, so a new
//! user sees a year of real stops at once. Skipped with `ROADSHOW_DEMO_DATA=0`.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::auth::ssr::insert_organization;
use crate::demo_data::{DEMO_ORGANIZATION, DEMO_ROADSHOW_STOPS};
use crate::entities::organization;
use crate::error::AppError;
use crate::events::{EventForm, EventStatus, ssr as events};
use crate::roadshows::{RoadshowForm, ssr as roadshows};

/// Loads the demo when the database has no organization yet; returns whether it did.
pub async fn load_if_empty(db: &DatabaseConnection) -> Result<bool, AppError> {
    if organization::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let org_id = insert_organization(db, DEMO_ORGANIZATION).await?;
    let roadshow_id = roadshows::create(
        db,
        org_id,
        RoadshowForm {
            name: "2023 岳阳招商引资全球路演 Yueyang Global Investment Roadshow 2023".into(),
            year: "2023".into(),
            description: "1–8 月在欧洲、非洲、上海、深圳等地举办招商推介活动 43 场，新签约项目 653 个，\
                签约总额 2250.15 亿元，内资到位资金 1002.07 亿元。\n\n\
                January–August: 43 promotion events in Europe, Africa, Shanghai, Shenzhen and \
                elsewhere; 653 newly signed projects worth CNY 225.0 bn; CNY 100.2 bn of domestic \
                capital in place."
                .into(),
            target_events: "60".into(),
            target_leads: "3000".into(),
            target_projects: "900".into(),
            target_amount: "3000".into(),
        }
        .parse()
        .map_err(AppError::Invalid)?,
    )
    .await?;
    let now = Utc::now();
    for stop in DEMO_ROADSHOW_STOPS {
        let form = EventForm {
            roadshow_id: roadshow_id.to_string(),
            slug: stop.slug.into(),
            title_zh: stop.title_zh.into(),
            title_en: stop.title_en.into(),
            description_zh: stop.summary_zh.into(),
            description_en: stop.summary_en.into(),
            city: stop.city.into(),
            country: stop.country.into(),
            region: stop.region.into(),
            venue_name: stop.venue.into(),
            venue_address: stop.address.into(),
            time_zone: stop.timezone.into(),
            starts_local: format!("{}T{}", stop.date, stop.start),
            ends_local: format!("{}T{}", stop.date, stop.end),
            capacity: stop.capacity.to_string(),
            visibility: "public".into(),
            industry_chains: stop.chains.iter().map(|c| (c.to_string(), "on".to_string())).collect::<BTreeMap<_, _>>(),
            agenda: stop
                .agenda
                .iter()
                .map(|(t, title, speaker)| format!("{t} | {title} | {speaker}"))
                .collect::<Vec<_>>()
                .join("\n"),
            ..Default::default()
        };
        let valid =
            form.parse().map_err(|e| AppError::internal(anyhow::anyhow!("demo stop {} invalid: {e:?}", stop.slug)))?;
        let past = valid.ends_local.and_utc() < now;
        let status = if past { EventStatus::Completed } else { EventStatus::Published };
        events::create_with_status(db, org_id, valid, status).await?;
    }
    Ok(true)
}
