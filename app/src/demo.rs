//! Loads the bureau's 2023 roadshow into an empty database on first start, so a new
//! user sees a year of real stops at once, with what they produced (`demo_outcomes`: the
//! source article's figures, exactly), and an upcoming roadshow whose stops take
//! registrations. Skipped with `ROADSHOW_DEMO_DATA=0`.

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
    let mut stops = Vec::new();
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
        let day = valid.starts_local.date();
        let id = events::create_with_status(db, org_id, valid, status).await?;
        stops.push((id, day, stop.region, stop.chains, stop.capacity));
    }
    let txn = crate::db::begin_write(db).await?;
    crate::demo_outcomes::load(&txn, org_id, &stops, now.date_naive()).await?;
    txn.commit().await?;
    upcoming(db, org_id, now.date_naive()).await?;
    Ok(true)
}

/// An upcoming stop: days from today, and what it is.
struct Upcoming {
    in_days: i64,
    key: &'static str,
    title_zh: &'static str,
    title_en: &'static str,
    city: &'static str,
    country: &'static str,
    region: &'static str,
    venue: &'static str,
    address: &'static str,
    time_zone: &'static str,
    chain: &'static str,
}

const UPCOMING: &[Upcoming] = &[
    Upcoming {
        in_days: 21,
        key: "frankfurt-new-energy",
        title_zh: "岳阳（法兰克福）新能源与先进装备产业链招商推介会",
        title_en: "Yueyang New Energy and Advanced Equipment Forum — Frankfurt",
        city: "Frankfurt",
        country: "DE",
        region: "Europe",
        venue: "Frankfurt Marriott Hotel",
        address: "Hamburger Allee 2, 60486 Frankfurt am Main",
        time_zone: "Europe/Berlin",
        chain: "power-new-energy",
    },
    Upcoming {
        in_days: 35,
        key: "shenzhen-electronics",
        title_zh: "岳阳（深圳）电子信息产业链招商推介会",
        title_en: "Yueyang Electronic Information Forum — Shenzhen",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳五洲宾馆 Shenzhen Wuzhou Guest House",
        address: "广东省深圳市福田区深南大道6001号",
        time_zone: "Asia/Shanghai",
        chain: "electronic-information",
    },
    Upcoming {
        in_days: 56,
        key: "nairobi-green-food",
        title_zh: "岳阳（内罗毕）绿色食品与现代物流合作对接会",
        title_en: "Yueyang Green Food and Logistics Matchmaking — Nairobi",
        city: "Nairobi",
        country: "KE",
        region: "Africa",
        venue: "Radisson Blu Hotel Nairobi Upper Hill",
        address: "Elgon Road, Upper Hill, Nairobi",
        time_zone: "Africa/Nairobi",
        chain: "green-food",
    },
    Upcoming {
        in_days: 84,
        key: "shanghai-petrochemicals",
        title_zh: "岳阳（上海）石化新材料产业链招商推介会",
        title_en: "Yueyang Petrochemicals and Advanced Materials Forum — Shanghai",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海浦东香格里拉大酒店 Pudong Shangri-La, Shanghai",
        address: "上海市浦东新区富城路33号",
        time_zone: "Asia/Shanghai",
        chain: "petrochemicals",
    },
];

/// The next roadshow: four published stops from three weeks to three months ahead.
async fn upcoming(db: &DatabaseConnection, org_id: i32, today: chrono::NaiveDate) -> Result<(), AppError> {
    use chrono::Datelike as _;
    let first = today + chrono::Duration::days(UPCOMING[0].in_days);
    let roadshow_id = roadshows::create(
        db,
        org_id,
        RoadshowForm {
            name: format!("{} 岳阳招商引资全球路演 Yueyang Global Investment Roadshow {}", first.year(), first.year()),
            year: first.year().to_string(),
            description: "新一季路演：法兰克福、深圳、内罗毕、上海。欢迎报名。\n\n\
                The next season: Frankfurt, Shenzhen, Nairobi and Shanghai. Registration is open."
                .into(),
            target_events: "12".into(),
            target_leads: "800".into(),
            target_projects: "120".into(),
            target_amount: "500".into(),
        }
        .parse()
        .map_err(AppError::Invalid)?,
    )
    .await?;
    for stop in UPCOMING {
        let day = today + chrono::Duration::days(stop.in_days);
        let form = EventForm {
            roadshow_id: roadshow_id.to_string(),
            slug: format!("{}-{}", day.year(), stop.key),
            title_zh: stop.title_zh.into(),
            title_en: stop.title_en.into(),
            description_zh: format!(
                "推介岳阳{}产业链的重点项目与政策，现场一对一洽谈。",
                crate::events::IndustryChain::from_slug(stop.chain)
                    .map(|c| c.label(crate::i18n::Lang::Zh))
                    .unwrap_or("")
            ),
            description_en: format!(
                "Yueyang's priority {} projects and policies, with one-to-one meetings on site.",
                crate::events::IndustryChain::from_slug(stop.chain)
                    .map(|c| c.label(crate::i18n::Lang::En))
                    .unwrap_or("")
            ),
            city: stop.city.into(),
            country: stop.country.into(),
            region: stop.region.into(),
            venue_name: stop.venue.into(),
            venue_address: stop.address.into(),
            time_zone: stop.time_zone.into(),
            starts_local: format!("{day}T14:00"),
            ends_local: format!("{day}T17:30"),
            capacity: "150".into(),
            visibility: "public".into(),
            industry_chains: [(stop.chain.to_string(), "on".to_string())].into_iter().collect::<BTreeMap<_, _>>(),
            agenda: "14:00 | 开幕致辞 Opening | 岳阳市人民政府 Yueyang People's Government\n\
                     14:30 | 项目推介 Projects | 岳阳市商务局 Bureau of Commerce\n\
                     15:30 | 一对一洽谈 Meetings | 各县市区 Counties and parks"
                .into(),
            ..Default::default()
        };
        let valid =
            form.parse().map_err(|e| AppError::internal(anyhow::anyhow!("demo stop {} invalid: {e:?}", stop.key)))?;
        events::create_with_status(db, org_id, valid, EventStatus::Published).await?;
    }
    Ok(())
}
