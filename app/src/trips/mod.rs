//! Outbound promotion trips (外出招商): a unit records where it went, who went, the
//! companies met and the leads and event linked; the year's trips per unit and month show
//! who kept the rule of going out at least once a month.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors, Reason};

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

/// A trip as its form posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TripForm {
    pub unit_id: String,
    pub destination: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    pub travellers: String,
    /// One company per line.
    pub companies: String,
    /// Lead numbers, separated by commas or spaces (`#12, 15`).
    pub leads: String,
    /// The event's id, empty for none.
    pub event_id: String,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidTrip {
    pub unit_id: i32,
    pub destination: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub travellers: String,
    pub companies: String,
    pub leads: Vec<i32>,
    pub event_id: Option<i32>,
    pub notes: String,
}

impl TripForm {
    pub fn parse(&self) -> Result<ValidTrip, FieldErrors> {
        let mut e = FieldErrors::default();
        let unit_id = e.check("unit_id", self.unit_id.trim().parse::<i32>().map_err(|_| Reason::Required));
        let destination = e.check("destination", crate::domain::text(&self.destination, true, 200));
        let starts_on = e.check("starts_on", crate::leads::parse_date(&self.starts_on));
        let ends_on = e.check("ends_on", crate::leads::parse_date(&self.ends_on));
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            e.add("ends_on", Reason::EndBeforeStart);
        }
        let travellers = e.check("travellers", crate::domain::text(&self.travellers, true, 500));
        let companies = e.check("companies", crate::domain::text(&self.companies, false, 5000));
        let notes = e.check("notes", crate::domain::text(&self.notes, false, 5000));
        let leads = e.check(
            "leads",
            self.leads
                .split([',', ' ', '，', '、', '\n'])
                .map(|n| n.trim().trim_start_matches('#'))
                .filter(|n| !n.is_empty())
                .map(|n| n.parse::<i32>().map_err(|_| Reason::UnknownChoice))
                .collect::<Result<Vec<i32>, Reason>>(),
        );
        let event_id = match self.event_id.trim() {
            "" => Some(None),
            id => e.check("event_id", id.parse::<i32>().map(Some).map_err(|_| Reason::UnknownChoice)),
        };
        if !e.is_empty() {
            return Err(e);
        }
        let mut leads = leads.unwrap_or_default();
        leads.sort_unstable();
        leads.dedup();
        Ok(ValidTrip {
            unit_id: unit_id.unwrap_or_default(),
            destination: destination.unwrap_or_default(),
            starts_on: starts_on.unwrap_or_default(),
            ends_on: ends_on.unwrap_or_default(),
            travellers: travellers.unwrap_or_default(),
            companies: companies.unwrap_or_default(),
            leads,
            event_id: event_id.flatten(),
            notes: notes.unwrap_or_default(),
        })
    }
}

crate::error::parsed_from!(TripForm => ValidTrip);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripRow {
    pub id: i32,
    pub unit_id: i32,
    pub destination: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub travellers: String,
    pub companies: Vec<String>,
    /// The linked leads `(id, name)`.
    pub leads: Vec<(i32, String)>,
    /// The linked event `(id, Chinese title, English title)`.
    pub event: Option<(i32, String, String)>,
    pub notes: String,
}

/// A unit's trips in each month of the year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitMonths {
    pub unit_id: i32,
    pub name_zh: String,
    pub name_en: String,
    /// Trips started in January … December.
    pub months: [u32; 12],
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trips {
    pub year: i32,
    /// Months of `year` that are over (all 12 for a past year): a unit with no trip in one
    /// of them broke the rule.
    pub months_over: u32,
    pub trips: Vec<TripRow>,
    pub by_unit: Vec<UnitMonths>,
    /// The organization's units `(id, Chinese name, English name)`, for the form.
    pub units: Vec<(i32, String, String)>,
    /// Its events `(id, Chinese title, English title)`, newest first, for the form.
    pub events: Vec<(i32, String, String)>,
}

/// The year's trips (this year when `year` is empty), newest first, and each unit's
/// trips per month.
#[server(prefix = "/api", endpoint = "trips/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_trips(#[server(default)] year: String) -> Result<Trips, AppError> {
    use chrono::Datelike as _;
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    let today = chrono::Utc::now().date_naive();
    let year = match year.trim() {
        "" => today.year(),
        y => {
            crate::domain::integer(y, 2000, 2100).map_err(|r| AppError::Invalid(FieldErrors::single("year", r)))? as i32
        }
    };
    ssr::list(&db, member.organization_id, year, today).await
}

/// Records a trip (`id` empty) or changes one. A member of a unit records their unit's.
#[server(prefix = "/api", endpoint = "trips/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_trip(#[server(default)] id: Option<i32>, form: TripForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidTrip::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save(&db, &member, id, valid).await.map_err(|e| e.with_values(&form))
}

#[server(prefix = "/api", endpoint = "trips/delete")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn delete_trip(id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::delete(&db, &member, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> TripForm {
        TripForm {
            unit_id: "3".into(),
            destination: "Shenzhen".into(),
            starts_on: "2023-05-08".into(),
            ends_on: "2023-05-10".into(),
            travellers: "Li Ming, Wang Fang".into(),
            leads: "#12, 15，12".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_trip_names_its_unit_place_days_and_people() {
        let valid = form().parse().unwrap();
        assert_eq!(valid.leads, [12, 15], "numbers as people type them, once each");
        let mut backwards = form();
        backwards.ends_on = "2023-05-07".into();
        backwards.leads = "twelve".into();
        backwards.travellers = " ".into();
        let fields: Vec<String> = backwards.parse().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["ends_on", "travellers", "leads"]);
    }
}
