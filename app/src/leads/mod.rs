//! Leads and the investment pipeline: every guest becomes a lead of the organizing
//! organization (one per person, matched by normalized email), organizers capture more
//! at the door and move each from first contact to signed projects and money in place.

pub mod capture_page;
pub mod import;
pub mod import_page;
pub mod lead_page;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::IndustryChain;
use crate::domain::{self, Country, CreditCode, Email, Phone, Yuan};
use crate::error::{AppError, FieldErrors, Reason};
use crate::i18n::Lang;

pub use crate::domain::{ActivityKind, ConsentSource, MetSource, PromotionMethod, Stage};

/// A lead's details as the organizer's form posts them (also the capture form at the
/// door, which shows only some of them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub job_title: String,
    pub language: String,
    pub company: String,
    pub country: String,
    pub sector: String,
    /// `on` when ticked.
    pub top500: String,
    pub industry_chains: BTreeMap<String, String>,
    pub promotion_method: String,
    pub hometown_return: String,
    /// Comma- or space-separated.
    pub tags: String,
    pub notes: String,
}

/// A lead's details, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidLead {
    pub name: String,
    pub email: Option<Email>,
    pub phone: Phone,
    pub job_title: String,
    pub language: Lang,
    pub company: String,
    pub country: Option<Country>,
    pub sector: String,
    pub top500: bool,
    pub industry_chains: Vec<IndustryChain>,
    pub promotion_method: Option<PromotionMethod>,
    pub hometown_return: bool,
    pub tags: Vec<String>,
    pub notes: String,
}

/// Tags as typed: split on commas (either width) or whitespace, trimmed, lower-cased,
/// without duplicates, each at most 60 characters.
pub fn parse_tags(value: &str) -> Result<Vec<String>, Reason> {
    let mut tags: Vec<String> = Vec::new();
    for tag in value.split(|c: char| c == ',' || c == '，' || c.is_whitespace()) {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > 60 {
            return Err(Reason::TooLong { max: 60 });
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > 20 {
        return Err(Reason::OutOfRange { min: 0, max: 20 });
    }
    Ok(tags)
}

fn on(value: &str) -> bool {
    matches!(value, "on" | "true" | "1" | "yes")
}

impl LeadForm {
    /// Checks every field; a lead needs a name and a way to reach them is optional
    /// (a business card may carry only a phone number).
    pub fn parse(&self) -> Result<ValidLead, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", domain::text(&self.name, true, 200));
        let email = match self.email.trim() {
            "" => Some(None),
            email => e.check("email", Email::parse(email).map(Some)),
        };
        let phone = e.check("phone", Phone::parse(&self.phone));
        let job_title = e.check("job_title", domain::text(&self.job_title, false, 200));
        let company = e.check("company", domain::text(&self.company, false, 200));
        let country = e.check("country", Country::optional(&self.country));
        let sector = e.check("sector", domain::text(&self.sector, false, 200));
        let industry_chains = e.check("industry_chains", IndustryChain::from_checked(&self.industry_chains));
        let promotion_method = match self.promotion_method.trim() {
            "" => Some(None),
            m => e.check("promotion_method", PromotionMethod::parse(m).map(Some).ok_or(Reason::UnknownChoice)),
        };
        let tags = e.check("tags", parse_tags(&self.tags));
        let notes = e.check("notes", domain::text(&self.notes, false, 10_000));
        let language = match self.language.trim() {
            "" => Some(Lang::Zh),
            l => e.check("language", Lang::parse(l).ok_or(Reason::UnknownChoice)),
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ValidLead {
            name: name.unwrap_or_default(),
            email: email.flatten(),
            phone: phone.unwrap_or_default(),
            job_title: job_title.unwrap_or_default(),
            language: language.unwrap_or_default(),
            company: company.unwrap_or_default(),
            country: country.unwrap_or_default(),
            sector: sector.unwrap_or_default(),
            top500: on(&self.top500),
            industry_chains: industry_chains.unwrap_or_default(),
            promotion_method: promotion_method.flatten(),
            hometown_return: on(&self.hometown_return),
            tags: tags.unwrap_or_default(),
            notes: notes.unwrap_or_default(),
        })
    }
}

/// Filters, order and page of the lead list (strings as they come from the URL).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadFilter {
    /// Searched in name, company and email.
    pub q: String,
    pub roadshow: String,
    pub event: String,
    /// An event's region (e.g. "Europe", "Shenzhen").
    pub region: String,
    pub chain: String,
    pub stage: String,
    /// A member's id, or `none` for leads nobody owns.
    pub owner: String,
    pub tag: String,
    /// `on` for Top-500 companies only.
    pub top500: String,
    /// `on` for hometown-return (湘商回归) leads only.
    pub hometown: String,
    /// `updated` (default), `name`, `company`, `stage` or `created`; `-` in front reverses.
    pub sort: String,
    /// 1-based.
    pub page: String,
}

impl LeadFilter {
    pub const PER_PAGE: u64 = 50;

    pub fn page(&self) -> u64 {
        self.page.trim().parse::<u64>().ok().filter(|p| *p >= 1).unwrap_or(1)
    }

    /// The query string of this filter with `page` replaced (for the pager's links).
    pub fn query_with_page(&self, page: u64) -> String {
        let mut pairs = vec![];
        for (name, value) in [
            ("q", &self.q),
            ("roadshow", &self.roadshow),
            ("event", &self.event),
            ("region", &self.region),
            ("chain", &self.chain),
            ("stage", &self.stage),
            ("owner", &self.owner),
            ("tag", &self.tag),
            ("top500", &self.top500),
            ("hometown", &self.hometown),
            ("sort", &self.sort),
        ] {
            if !value.trim().is_empty() {
                pairs.push(format!("{name}={}", crate::web::url_encode(value.trim())));
            }
        }
        pairs.push(format!("page={page}"));
        pairs.join("&")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadRow {
    pub id: i32,
    pub name: String,
    pub company: String,
    pub email: Option<String>,
    pub country: String,
    pub stage: Stage,
    pub owner_name: Option<String>,
    pub top500: bool,
    pub hometown_return: bool,
    pub tags: Vec<String>,
    pub events: u64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadList {
    pub rows: Vec<LeadRow>,
    /// Leads matching the filter, over all pages.
    pub total: u64,
    pub page: u64,
    /// The organization's members, for the owner filter and bulk changes.
    pub members: Vec<(i32, String)>,
    /// The organization's events `(id, title_zh, title_en)`, newest first.
    pub events: Vec<(i32, String, String)>,
    /// The projects of the listed leads (all pages): with an event or roadshow filter,
    /// what that event or roadshow is credited with.
    pub credit: Credit,
}

/// Projects and money credited to a set of leads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Credit {
    pub projects: u64,
    /// Planned investment, in yuan.
    pub planned: i64,
    /// Funds in place, in yuan.
    pub funds: i64,
}

/// One column of the pipeline board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: Stage,
    pub count: u64,
    /// Planned investment of the column's leads' projects, in yuan.
    pub planned: i64,
    /// The most recently updated leads of the column.
    pub leads: Vec<LeadRow>,
}

/// Something that happened to a lead, for its timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub kind: ActivityKind,
    pub from: String,
    pub to: String,
    pub note: String,
    /// Who did it (a member's name), when a member did.
    pub by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadEventView {
    pub event_id: i32,
    pub title_zh: String,
    pub title_en: String,
    pub starts_at: DateTime<Utc>,
    pub source: MetSource,
    pub checked_in: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tranche {
    pub id: i32,
    pub amount: i64,
    pub received_on: NaiveDate,
    /// The member who entered it, by name (`None` before verification existed, or gone).
    pub entered_by: Option<String>,
    /// Who checked it against its proof, and when.
    pub verified: Option<(String, DateTime<Utc>)>,
    /// The proof file's kind and size in bytes, when one is attached.
    pub proof: Option<(crate::domain::ProofKind, i64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    pub id: i32,
    pub name: String,
    pub industry_chain: Option<IndustryChain>,
    pub location: String,
    /// Yuan.
    pub planned_investment: i64,
    pub signed_on: Option<NaiveDate>,
    pub unit_id: Option<i32>,
    pub credit_code: Option<String>,
    pub life: ProjectLife,
    /// What is late today (by the organization's red limit).
    pub overdue: Vec<crate::domain::Overdue>,
    pub tranches: Vec<Tranche>,
    /// Sum of the tranches, in yuan.
    pub funds_in_place: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadDetail {
    pub id: i32,
    pub stage: Stage,
    pub lost_reason: String,
    pub owner_id: Option<i32>,
    pub form: LeadForm,
    pub consent_data_at: Option<DateTime<Utc>>,
    pub consent_data_version: String,
    pub consent_marketing_at: Option<DateTime<Utc>>,
    pub consent_source: ConsentSource,
    pub created_at: DateTime<Utc>,
    pub events: Vec<LeadEventView>,
    pub projects: Vec<ProjectView>,
    pub timeline: Vec<TimelineEntry>,
    pub members: Vec<(i32, String)>,
    /// The organization's units `(id, Chinese name, English name)`, for the project form.
    pub units: Vec<(i32, String, String)>,
}

/// A project as its form posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectForm {
    pub name: String,
    pub industry_chain: String,
    pub location: String,
    /// 亿元 (CNY 100 million), up to two decimals.
    pub planned_investment: String,
    /// `YYYY-MM-DD`, empty while not signed.
    pub signed_on: String,
    /// The id of the unit that reports the project (a new project's, or one of before
    /// units); empty for none.
    pub unit_id: String,
    /// The investing company's unified social credit code, empty when not known.
    pub credit_code: String,
    /// The steps after signing and the planned ones, `YYYY-MM-DD` each, empty until known.
    pub registered_on: String,
    pub started_on: String,
    pub producing_on: String,
    pub planned_start_on: String,
    pub planned_production_on: String,
}

/// A signed project's steps: company registered, construction started (开工), in
/// production (投产), and the dates planned for the last two.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLife {
    pub registered_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub planned_start_on: Option<NaiveDate>,
    pub planned_production_on: Option<NaiveDate>,
}

impl ProjectLife {
    /// What is late today: the start, then the production, each against its plan.
    pub fn overdue(&self, today: NaiveDate, red_days: i64) -> Vec<crate::domain::Overdue> {
        use crate::domain::{Milestone, Overdue};
        [
            Overdue::of(Milestone::Start, self.planned_start_on, self.started_on, today, red_days),
            Overdue::of(Milestone::Production, self.planned_production_on, self.producing_on, today, red_days),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidProject {
    pub name: String,
    pub industry_chain: Option<IndustryChain>,
    pub location: String,
    pub planned_investment: Yuan,
    pub signed_on: Option<NaiveDate>,
    pub unit_id: Option<i32>,
    pub credit_code: Option<CreditCode>,
    pub life: ProjectLife,
}

pub fn parse_date(value: &str) -> Result<NaiveDate, Reason> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Reason::Required);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| Reason::InvalidDateTime)
}

impl ProjectForm {
    /// The form filled in with a project as it is, for changing it.
    pub fn of(p: &ProjectView) -> ProjectForm {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        ProjectForm {
            name: p.name.clone(),
            industry_chain: p.industry_chain.map(|c| c.slug().to_string()).unwrap_or_default(),
            location: p.location.clone(),
            planned_investment: Yuan::yi_text(p.planned_investment),
            signed_on: day(p.signed_on),
            unit_id: p.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            credit_code: p.credit_code.clone().unwrap_or_default(),
            registered_on: day(p.life.registered_on),
            started_on: day(p.life.started_on),
            producing_on: day(p.life.producing_on),
            planned_start_on: day(p.life.planned_start_on),
            planned_production_on: day(p.life.planned_production_on),
        }
    }

    pub fn parse(&self) -> Result<ValidProject, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", domain::text(&self.name, true, 200));
        let industry_chain = match self.industry_chain.trim() {
            "" => Some(None),
            c => e.check("industry_chain", IndustryChain::from_slug(c).map(Some).ok_or(Reason::UnknownChoice)),
        };
        let location = e.check("location", domain::text(&self.location, false, 200));
        let planned_investment = e.check("planned_investment", Yuan::parse_yi(&self.planned_investment));
        let signed_on = match self.signed_on.trim() {
            "" => Some(None),
            d => e.check("signed_on", parse_date(d).map(Some)),
        };
        let unit_id = match self.unit_id.trim() {
            "" => Some(None),
            id => e.check("unit_id", id.parse::<i32>().map(Some).map_err(|_| Reason::UnknownChoice)),
        };
        let credit_code = e.check("credit_code", CreditCode::optional(&self.credit_code));
        let mut date = |field: &str, value: &str| match value.trim() {
            "" => None,
            d => e.check(field, parse_date(d)),
        };
        let life = ProjectLife {
            registered_on: date("registered_on", &self.registered_on),
            started_on: date("started_on", &self.started_on),
            producing_on: date("producing_on", &self.producing_on),
            planned_start_on: date("planned_start_on", &self.planned_start_on),
            planned_production_on: date("planned_production_on", &self.planned_production_on),
        };
        // Each step after the one before it: signed → (registered, started → in production),
        // and the plans in the same order.
        let signed = signed_on.flatten();
        let steps = [
            ("registered_on", life.registered_on, signed, true),
            ("started_on", life.started_on, signed, true),
            ("producing_on", life.producing_on, life.started_on, true),
            ("planned_start_on", life.planned_start_on, signed, false),
            ("planned_production_on", life.planned_production_on, life.planned_start_on.or(signed), false),
        ];
        for (field, day, previous, needs_previous) in steps {
            match (day, previous) {
                (Some(day), Some(previous)) if day < previous => e.add(field, Reason::BeforePreviousStep),
                (Some(_), None) if needs_previous => e.add(field, Reason::StepBeforePrevious),
                _ => {}
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ValidProject {
            life,
            unit_id: unit_id.flatten(),
            credit_code: credit_code.flatten(),
            name: name.unwrap_or_default(),
            industry_chain: industry_chain.flatten(),
            location: location.unwrap_or_default(),
            planned_investment: planned_investment.unwrap_or_default(),
            signed_on: signed_on.flatten(),
        })
    }
}

/// Parses a tranche: an amount in 亿元 above zero and the day it arrived.
pub fn parse_tranche(amount: &str, received_on: &str) -> Result<(Yuan, NaiveDate), FieldErrors> {
    let mut e = FieldErrors::default();
    let amount =
        e.check("amount", Yuan::parse_yi(amount).and_then(|a| if a.get() > 0 { Ok(a) } else { Err(Reason::Required) }));
    let received_on = e.check("received_on", parse_date(received_on));
    if !e.is_empty() {
        return Err(e);
    }
    Ok((amount.unwrap_or_default(), received_on.unwrap_or_default()))
}

/// What a bulk change does to every selected lead.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkForm {
    /// `owner`, `stage`, `add_tag` or `remove_tag`.
    pub action: String,
    pub value: String,
    /// The selected leads, `ids[12]=on` as checkboxes post them.
    pub ids: BTreeMap<String, String>,
}

/// The organization's leads, filtered, sorted and paged.
#[server(prefix = "/api", endpoint = "leads/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_leads(#[server(default)] filter: LeadFilter) -> Result<LeadList, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list(&db, member.organization_id, &filter).await
}

/// The pipeline by stage: counts, planned investment and the latest leads of each.
#[server(prefix = "/api", endpoint = "leads/board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn lead_board(#[server(default)] filter: LeadFilter) -> Result<Vec<BoardColumn>, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::board(&db, member.organization_id, &filter).await
}

#[server(prefix = "/api", endpoint = "leads/get")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_lead(id: i32) -> Result<LeadDetail, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::detail(&db, member.organization_id, id).await
}

/// Changes a lead's details (not its stage or owner: those keep a history of their own).
#[server(prefix = "/api", endpoint = "leads/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_lead(id: i32, form: LeadForm) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidLead::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save(&db, &member, id, valid).await.map_err(|e| e.with_values(&form))
}

/// Adds a lead by hand or at the door (`event_id` set: tagged with that event). A lead
/// with the same email is updated instead. Returns the lead's id.
#[server(prefix = "/api", endpoint = "leads/capture")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn capture_lead(#[server(default)] event_id: Option<i32>, form: LeadForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidLead::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::capture(&db, &member, event_id, valid).await.map_err(|e| e.with_values(&form))
}

/// Imports a chunk of a CSV file's rows (see [`import`]): each valid row creates a lead
/// or fills the blanks of the lead with its email; the others come back with their
/// errors, by line.
#[server(prefix = "/api", endpoint = "leads/import", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn import_leads(batch: import::ImportBatch) -> Result<import::ImportOutcome, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let import::CheckedBatch { tags, valid, rejected } = batch.check().map_err(AppError::Invalid)?;
    let (created, updated) = ssr::import(&db, &member, batch.event_id, &tags, valid).await?;
    Ok(import::ImportOutcome { created, updated, rejected })
}

/// Captures the guest whose QR code was scanned at the door as a lead met at that event.
#[server(prefix = "/api", endpoint = "leads/capture-code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn capture_code(event_id: i32, code: String) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::capture_code(&db, &member, event_id, &code).await
}

/// Moves a lead to `stage` (a lost lead needs a reason), recorded on its timeline.
#[server(prefix = "/api", endpoint = "leads/stage")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_stage(
    id: i32,
    stage: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let stage =
        Stage::parse(&stage).ok_or_else(|| AppError::Invalid(FieldErrors::single("stage", Reason::UnknownChoice)))?;
    ssr::change_stage(&db, &member, &[id], stage, reason.trim(), note.trim()).await
}

/// Gives a lead to a member of the organization (`owner` empty: to nobody).
#[server(prefix = "/api", endpoint = "leads/owner")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_owner(id: i32, #[server(default)] owner: String) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::change_owner(&db, &member, &[id], owner.trim()).await
}

/// Adds a note to a lead's timeline.
#[server(prefix = "/api", endpoint = "leads/note")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_note(id: i32, note: String) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::add_note(&db, &member, id, &note).await
}

/// Merges lead `other` into lead `keep`: one person met twice under two addresses.
#[server(prefix = "/api", endpoint = "leads/merge")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn merge_leads(keep: i32, other: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::merge(&db, &member, keep, other).await
}

/// Changes the owner, the stage or a tag of many leads at once. Returns how many.
#[server(prefix = "/api", endpoint = "leads/bulk")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn bulk_change(change: BulkForm) -> Result<u64, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::bulk(&db, &member, &change).await
}

/// Adds a project to a lead (`project_id` empty) or changes one.
#[server(prefix = "/api", endpoint = "leads/project")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_project(
    lead_id: i32,
    #[server(default)] project_id: Option<i32>,
    form: ProjectForm,
) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidProject::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save_project(&db, &member, lead_id, project_id, valid).await
}

/// Credits a project to another unit, keeping the change in its lead's history. Owners
/// only; a company's other projects in the old unit keep it there (refused).
#[server(prefix = "/api", endpoint = "leads/move-project")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn move_project(project_id: i32, unit_id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::move_project(&db, &member, project_id, unit_id).await
}

/// Records money that arrived for a project.
#[server(prefix = "/api", endpoint = "leads/tranche")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_tranche(project_id: i32, amount: String, received_on: String) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let (amount, received_on) = parse_tranche(&amount, &received_on).map_err(AppError::Invalid)?;
    ssr::add_tranche(&db, &member, project_id, amount, received_on).await
}

/// Marks a tranche of funds checked against its proof, by a member other than the one who
/// entered it.
#[server(prefix = "/api", endpoint = "leads/verify-tranche")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn verify_tranche(tranche_id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::verify_tranche(&db, &member, tranche_id).await
}

/// Erases a person: anonymizes their lead, registrations and emails in this
/// organization, and suppresses their address for marketing email for good.
#[server(prefix = "/api", endpoint = "leads/erase")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn erase_lead(id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::erase(&db, &member, id).await
}

crate::error::parsed_from!(LeadForm => ValidLead, ProjectForm => ValidProject);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_split_folded_and_bounded() {
        assert_eq!(
            parse_tags(" VIP, 回访，vip  shenzhen-2027 "),
            Ok(vec!["vip".into(), "回访".into(), "shenzhen-2027".into()])
        );
        assert_eq!(parse_tags(""), Ok(vec![]));
        assert_eq!(parse_tags(&"x".repeat(61)), Err(Reason::TooLong { max: 60 }));
        let many = (0..21).map(|i| format!("t{i}")).collect::<Vec<_>>().join(",");
        assert_eq!(parse_tags(&many), Err(Reason::OutOfRange { min: 0, max: 20 }));
    }

    #[test]
    fn a_lead_needs_a_name_and_valid_contacts() {
        let form = LeadForm {
            name: " ".into(),
            email: "not-an-email".into(),
            phone: "call me".into(),
            promotion_method: "cold-calls".into(),
            ..Default::default()
        };
        let mut fields: Vec<String> = form.parse().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        fields.sort();
        assert_eq!(fields, ["email", "name", "phone", "promotion_method"]);

        let card = LeadForm {
            name: "Zhang Wei".into(),
            phone: "+86 138 0000 0000".into(),
            top500: "on".into(),
            promotion_method: "hometown_ties".into(),
            ..Default::default()
        };
        let lead = card.parse().unwrap();
        assert_eq!(lead.email, None, "a business card with a phone only is a lead");
        assert!(lead.top500 && !lead.hometown_return);
        assert_eq!(lead.promotion_method, Some(PromotionMethod::HometownTies));
    }

    #[test]
    fn projects_take_amounts_in_yi_yuan_and_iso_dates() {
        let form = ProjectForm {
            name: "Plant".into(),
            industry_chain: "advanced-equipment".into(),
            planned_investment: "12.5".into(),
            signed_on: "2027-06-30".into(),
            ..Default::default()
        };
        let project = form.parse().unwrap();
        assert_eq!(project.planned_investment.get(), 1_250_000_000);
        assert_eq!(project.signed_on, NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(parse_tranche("0", "2027-01-01").unwrap_err().errors[0].field, "amount");
        assert_eq!(parse_tranche("1", "2027-02-30").unwrap_err().errors[0].field, "received_on");
    }

    #[test]
    fn the_pager_keeps_the_filter() {
        let filter = LeadFilter { q: "三一 重工".into(), stage: "contacted".into(), ..Default::default() };
        assert_eq!(filter.query_with_page(3), "q=%E4%B8%89%E4%B8%80%20%E9%87%8D%E5%B7%A5&stage=contacted&page=3");
        assert_eq!(LeadFilter { page: "0".into(), ..Default::default() }.page(), 1);
    }
}
