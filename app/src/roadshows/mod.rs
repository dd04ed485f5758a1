//! Roadshows: a year's campaign of stops with its targets, and the overview of its
//! stops by region.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{self, Yuan};
use crate::error::{AppError, FieldErrors};
use crate::events::EventSummary;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoadshowForm {
    pub name: String,
    pub year: String,
    pub description: String,
    pub target_events: String,
    pub target_leads: String,
    pub target_projects: String,
    /// In 亿元 (CNY 100 million), up to two decimals.
    pub target_amount: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidRoadshow {
    pub name: String,
    pub year: i32,
    pub description: String,
    pub target_events: i32,
    pub target_leads: i32,
    pub target_projects: i32,
    pub target_amount_cny: Yuan,
}

fn count(value: &str) -> Result<i64, crate::error::Reason> {
    if value.trim().is_empty() { Ok(0) } else { domain::integer(value, 0, 1_000_000) }
}

impl RoadshowForm {
    pub fn parse(&self) -> Result<ValidRoadshow, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", domain::text(&self.name, true, 200));
        let year = e.check("year", domain::integer(&self.year, 2000, 2100));
        let description = e.check("description", domain::text(&self.description, false, 20_000));
        let target_events = e.check("target_events", count(&self.target_events));
        let target_leads = e.check("target_leads", count(&self.target_leads));
        let target_projects = e.check("target_projects", count(&self.target_projects));
        let target_amount_cny = e.check("target_amount", Yuan::parse_yi(&self.target_amount));
        match (name, year, description, target_events, target_leads, target_projects, target_amount_cny) {
            (Some(name), Some(year), Some(description), Some(te), Some(tl), Some(tp), Some(amount)) if e.is_empty() => {
                Ok(ValidRoadshow {
                    name,
                    year: year as i32,
                    description,
                    target_events: te as i32,
                    target_leads: tl as i32,
                    target_projects: tp as i32,
                    target_amount_cny: amount,
                })
            }
            _ => Err(e),
        }
    }

    pub fn validate(&self) -> FieldErrors {
        self.parse().err().unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoadshowDto {
    pub id: i32,
    pub name: String,
    pub year: i32,
    pub description: String,
    pub description_html: String,
    pub target_events: i32,
    pub target_leads: i32,
    pub target_projects: i32,
    pub target_amount_cny: i64,
    pub event_count: i64,
}

impl RoadshowDto {
    pub fn to_form(&self) -> RoadshowForm {
        let amount = self.target_amount_cny as f64 / 1e8;
        RoadshowForm {
            name: self.name.clone(),
            year: self.year.to_string(),
            description: self.description.clone(),
            target_events: self.target_events.to_string(),
            target_leads: self.target_leads.to_string(),
            target_projects: self.target_projects.to_string(),
            target_amount: format!("{amount:.2}"),
        }
    }
}

/// A roadshow with its stops grouped by region (regions by their first stop).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoadshowOverview {
    pub roadshow: RoadshowDto,
    pub regions: Vec<(String, Vec<EventSummary>)>,
}

/// A roadshow as the public sees it: its coming public stops, filterable by region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoadshowStops {
    pub id: i32,
    pub name: String,
    pub year: i32,
    pub description_html: String,
    /// Every region with coming stops, and how many.
    pub regions: Vec<(String, u64)>,
    /// The region shown (empty: all).
    pub region: String,
    pub stops: Vec<EventSummary>,
}

/// The coming public stops of a roadshow (published, not ended), soonest first; a
/// roadshow without any published public stop does not exist publicly.
#[server(prefix = "/api", endpoint = "roadshows/public")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn public_roadshow(id: i32, #[server(default)] region: String) -> Result<RoadshowStops, AppError> {
    ssr::public(&crate::state::db()?, id, region.trim()).await
}

#[server(prefix = "/api", endpoint = "roadshows/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_roadshows() -> Result<Vec<RoadshowDto>, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list(&db, member.organization_id).await
}

#[server(prefix = "/api", endpoint = "roadshows/get")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_roadshow(id: i32) -> Result<RoadshowOverview, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::overview(&db, member.organization_id, id).await
}

#[server(prefix = "/api", endpoint = "roadshows/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_roadshow(form: RoadshowForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidRoadshow::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let id = ssr::create(&db, member.organization_id, valid).await.map_err(|e| e.with_values(&form))?;
    leptos_axum::redirect(&format!("/admin/roadshows/{id}"));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "roadshows/update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn update_roadshow(id: i32, form: RoadshowForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidRoadshow::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::update(&db, member.organization_id, id, valid).await.map_err(|e| e.with_values(&form))?;
    leptos_axum::redirect(&format!("/admin/roadshows/{id}?saved=1"));
    Ok(id)
}

crate::error::parsed_from!(RoadshowForm => ValidRoadshow);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Reason;

    #[test]
    fn targets_parse_and_default_to_zero() {
        let form = RoadshowForm {
            name: "2023 岳阳招商路演".into(),
            year: "2023".into(),
            target_events: "43".into(),
            target_amount: "2250.15".into(),
            ..Default::default()
        };
        let valid = form.parse().unwrap();
        assert_eq!(valid.target_events, 43);
        assert_eq!(valid.target_leads, 0);
        assert_eq!(valid.target_amount_cny.get(), 225_015_000_000);
    }

    #[test]
    fn bad_targets_are_named() {
        let form = RoadshowForm {
            name: "".into(),
            year: "23".into(),
            target_events: "-1".into(),
            target_amount: "lots".into(),
            ..Default::default()
        };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.get("name"), Some(&Reason::Required));
        assert_eq!(errors.get("year"), Some(&Reason::OutOfRange { min: 2000, max: 2100 }));
        assert_eq!(errors.get("target_events"), Some(&Reason::OutOfRange { min: 0, max: 1_000_000 }));
        assert_eq!(errors.get("target_amount"), Some(&Reason::NotANumber));
    }
}
