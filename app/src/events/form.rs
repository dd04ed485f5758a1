//! The event form: what organizers type, and the one parse that turns it into a
//! valid event or field-level reasons, in the browser and on the server alike.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::{IndustryChain, Visibility};
use crate::domain::{self, Country, Slug, TimeZone};
use crate::error::{FieldErrors, Reason};

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_CAPACITY: i64 = 100_000;
pub const MAX_AGENDA_ITEMS: usize = 50;

/// The event form as posted: every value a string, as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub roadshow_id: String,
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub city: String,
    pub country: String,
    pub region: String,
    pub venue_name: String,
    pub venue_address: String,
    pub time_zone: String,
    pub starts_local: String,
    pub ends_local: String,
    pub capacity: String,
    /// What the stop cost, in 万元 (empty when not known).
    pub cost: String,
    pub registration_opens_local: String,
    pub registration_closes_local: String,
    pub visibility: String,
    /// Checked boxes: `form[industry_chains][slug]=on`.
    pub industry_chains: BTreeMap<String, String>,
    /// One item a line: `[YYYY-MM-DD ]HH:MM | topic | speaker`.
    pub agenda: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AgendaLine {
    pub starts_local: NaiveDateTime,
    pub title: String,
    pub speaker: String,
}

/// An event that passed every rule; times are in the venue's zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidEvent {
    pub roadshow_id: Option<i32>,
    pub slug: Option<Slug>,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub city: String,
    pub country: Country,
    pub region: String,
    pub venue_name: String,
    pub venue_address: String,
    pub time_zone: TimeZone,
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub capacity: i32,
    pub cost_yuan: i64,
    pub registration_opens_local: Option<NaiveDateTime>,
    pub registration_closes_local: Option<NaiveDateTime>,
    pub visibility: Visibility,
    pub industry_chains: Vec<IndustryChain>,
    pub agenda: Vec<AgendaLine>,
}

impl EventForm {
    /// Only the reasons, for live checks in the browser.
    pub fn validate(&self) -> FieldErrors {
        self.parse().err().unwrap_or_default()
    }

    pub fn parse(&self) -> Result<ValidEvent, FieldErrors> {
        let mut e = FieldErrors::default();
        let roadshow_id = if self.roadshow_id.trim().is_empty() {
            Some(None)
        } else {
            e.check("roadshow_id", self.roadshow_id.trim().parse::<i32>().map(Some).map_err(|_| Reason::UnknownChoice))
        };
        let slug =
            if self.slug.trim().is_empty() { Some(None) } else { e.check("slug", Slug::parse(&self.slug).map(Some)) };
        let title_zh = e.check("title_zh", domain::text(&self.title_zh, true, MAX_TITLE));
        let title_en = e.check("title_en", domain::text(&self.title_en, true, MAX_TITLE));
        let description_zh = e.check("description_zh", domain::text(&self.description_zh, false, MAX_DESCRIPTION));
        let description_en = e.check("description_en", domain::text(&self.description_en, false, MAX_DESCRIPTION));
        let city = e.check("city", domain::text(&self.city, true, 100));
        let country = e.check("country", Country::parse(&self.country));
        let region = e.check("region", domain::text(&self.region, true, 60));
        let venue_name = e.check("venue_name", domain::text(&self.venue_name, true, 200));
        let venue_address = e.check("venue_address", domain::text(&self.venue_address, false, 300));
        let time_zone = e.check("time_zone", TimeZone::parse(&self.time_zone));
        let starts_local = e.check("starts_local", domain::local_datetime(&self.starts_local));
        let ends_local = e.check("ends_local", domain::local_datetime(&self.ends_local));
        if let (Some(start), Some(end)) = (starts_local, ends_local)
            && end <= start
        {
            e.add("ends_local", Reason::EndBeforeStart);
        }
        let capacity = e.check("capacity", domain::integer(&self.capacity, 1, MAX_CAPACITY));
        let cost = e.check("cost", domain::Yuan::parse_wan(&self.cost));
        let opens =
            e.check("registration_opens_local", domain::optional_local_datetime(&self.registration_opens_local));
        let closes =
            e.check("registration_closes_local", domain::optional_local_datetime(&self.registration_closes_local));
        if let (Some(Some(opens)), Some(Some(closes))) = (opens, closes)
            && closes <= opens
        {
            e.add("registration_closes_local", Reason::ClosesBeforeOpens);
        }
        if let (Some(Some(closes)), Some(end)) = (closes, ends_local)
            && closes > end
            && e.get("registration_closes_local").is_none()
        {
            e.add("registration_closes_local", Reason::ClosesAfterEnd);
        }
        let visibility = e.check(
            "visibility",
            Visibility::parse(if self.visibility.is_empty() { "public" } else { &self.visibility })
                .ok_or(Reason::UnknownChoice),
        );
        let industry_chains = e.check("industry_chains", IndustryChain::from_checked(&self.industry_chains));
        let agenda = starts_local.and_then(|start| e.check("agenda", parse_agenda(&self.agenda, start.date())));

        match (
            roadshow_id,
            slug,
            title_zh,
            title_en,
            description_zh,
            description_en,
            city,
            country,
            region,
            venue_name,
            venue_address,
            time_zone,
            starts_local,
            ends_local,
            (capacity, cost),
            opens,
            closes,
            visibility,
            industry_chains,
            agenda,
        ) {
            (
                Some(roadshow_id),
                Some(slug),
                Some(title_zh),
                Some(title_en),
                Some(description_zh),
                Some(description_en),
                Some(city),
                Some(country),
                Some(region),
                Some(venue_name),
                Some(venue_address),
                Some(time_zone),
                Some(starts_local),
                Some(ends_local),
                (Some(capacity), Some(cost)),
                Some(registration_opens_local),
                Some(registration_closes_local),
                Some(visibility),
                Some(industry_chains),
                Some(agenda),
            ) if e.is_empty() => Ok(ValidEvent {
                roadshow_id,
                slug,
                title_zh,
                title_en,
                description_zh,
                description_en,
                city,
                country,
                region,
                venue_name,
                venue_address,
                time_zone,
                starts_local,
                ends_local,
                capacity: capacity as i32,
                cost_yuan: cost.get(),
                registration_opens_local,
                registration_closes_local,
                visibility,
                industry_chains,
                agenda,
            }),
            _ => Err(e),
        }
    }
}

/// Reads agenda lines; a line without a date falls on the event's first day.
pub fn parse_agenda(text: &str, first_day: NaiveDate) -> Result<Vec<AgendaLine>, Reason> {
    let mut items = Vec::new();
    for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let bad = Reason::InvalidAgendaLine { line: index + 1 };
        let mut parts = line.split('|').map(str::trim);
        let when = parts.next().unwrap_or_default();
        let title = parts.next().unwrap_or_default();
        let speaker = parts.next().unwrap_or_default();
        if parts.next().is_some() || title.is_empty() || title.chars().count() > 200 || speaker.chars().count() > 200 {
            return Err(bad);
        }
        let (day, time) = match when.rsplit_once(' ') {
            Some((day, time)) => (NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| bad.clone())?, time),
            None => (first_day, when),
        };
        let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| bad.clone())?;
        items.push(AgendaLine {
            starts_local: day.and_time(time),
            title: title.to_string(),
            speaker: speaker.to_string(),
        });
        if items.len() > MAX_AGENDA_ITEMS {
            return Err(Reason::TooLong { max: MAX_AGENDA_ITEMS });
        }
    }
    items.sort_by_key(|i| i.starts_local);
    Ok(items)
}

crate::error::parsed_from!(EventForm => ValidEvent);

#[cfg(test)]
mod tests {
    use super::*;

    pub fn valid_form() -> EventForm {
        EventForm {
            title_zh: "岳阳（法兰克福）先进装备制造产业链招商推介会".into(),
            title_en: "Yueyang Advanced Equipment Investment Forum — Frankfurt".into(),
            city: "Frankfurt".into(),
            country: "de".into(),
            region: "Europe".into(),
            venue_name: "Frankfurt Marriott Hotel".into(),
            time_zone: "Europe/Berlin".into(),
            starts_local: "2023-03-15T14:00".into(),
            ends_local: "2023-03-15T17:30".into(),
            capacity: "120".into(),
            agenda: "14:00 | 开幕致辞 Opening | 岳阳市人民政府\n15:00 | 项目推介 | 市商务局".into(),
            industry_chains: [("advanced-equipment".to_string(), "on".to_string())].into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_parses() {
        let event = valid_form().parse().unwrap();
        assert_eq!(event.country.as_str(), "DE");
        assert_eq!(event.capacity, 120);
        assert_eq!(event.visibility, Visibility::Public);
        assert_eq!(event.industry_chains, vec![IndustryChain::AdvancedEquipment]);
        assert_eq!(event.agenda.len(), 2);
        assert_eq!(event.agenda[1].starts_local.to_string(), "2023-03-15 15:00:00");
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = EventForm {
            title_zh: " ".into(),
            title_en: "x".repeat(201),
            time_zone: "Europe/Atlantis".into(),
            ends_local: "2023-03-15T13:00".into(),
            capacity: "-5".into(),
            slug: "Not A Slug".into(),
            ..valid_form()
        };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.get("title_zh"), Some(&Reason::Required));
        assert_eq!(errors.get("title_en"), Some(&Reason::TooLong { max: MAX_TITLE }));
        assert_eq!(errors.get("time_zone"), Some(&Reason::UnknownTimeZone));
        assert_eq!(errors.get("ends_local"), Some(&Reason::EndBeforeStart));
        assert_eq!(errors.get("capacity"), Some(&Reason::OutOfRange { min: 1, max: MAX_CAPACITY }));
        assert_eq!(errors.get("slug"), Some(&Reason::InvalidSlug));
        assert_eq!(errors.get("city"), None);
    }

    #[test]
    fn registration_window_must_fit_the_event() {
        let form = EventForm {
            registration_opens_local: "2023-03-10T09:00".into(),
            registration_closes_local: "2023-03-09T09:00".into(),
            ..valid_form()
        };
        assert_eq!(form.validate().get("registration_closes_local"), Some(&Reason::ClosesBeforeOpens));
        let form = EventForm { registration_closes_local: "2023-03-16T09:00".into(), ..valid_form() };
        assert_eq!(form.validate().get("registration_closes_local"), Some(&Reason::ClosesAfterEnd));
    }

    #[test]
    fn unknown_chains_are_refused() {
        let mut form = valid_form();
        form.industry_chains.insert("crypto".into(), "on".into());
        assert_eq!(form.validate().get("industry_chains"), Some(&Reason::UnknownChoice));
    }

    #[test]
    fn agenda_lines_name_the_bad_line() {
        let day = NaiveDate::from_ymd_opt(2023, 3, 15).unwrap();
        assert_eq!(parse_agenda("14:00 | ok | x\nlunch", day), Err(Reason::InvalidAgendaLine { line: 2 }));
        assert_eq!(parse_agenda("25:00 | t | s", day), Err(Reason::InvalidAgendaLine { line: 1 }));
        let items = parse_agenda("2023-03-16 09:00 | Day two | \n14:00 | Day one | Mayor", day).unwrap();
        assert_eq!(items[0].title, "Day one");
        assert_eq!(items[1].starts_local.to_string(), "2023-03-16 09:00:00");
    }
}
