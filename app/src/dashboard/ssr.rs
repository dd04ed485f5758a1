//! Server side of the dashboard: the organization's projects, funds, stops and leads read
//! once per request (a handful of queries, no query per project), and every figure
//! computed from them by the same rules the projects list filters with.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike as _, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationDef, Set,
};

use super::*;
use crate::domain::{BigTier, EventStatus, Lateness, Milestone, Overdue, PromotionMethod, Stage};
use crate::entities::{
    event, funding_tranche, lead, lead_event, organization, project, registration, roadshow, trip, unit,
    unit_rank_snapshot,
};
use crate::events::IndustryChain;
use crate::targets::{Period, TargetValues};

/// A stop as the figures need it.
struct EventFact {
    id: i32,
    roadshow_id: Option<i32>,
    title_zh: String,
    title_en: String,
    region: String,
    /// The venue's date of its start.
    starts_on: NaiveDate,
    held: bool,
    cost_yuan: i64,
    guests: i64,
    checked_in: i64,
    leads: i64,
}

/// A project as the figures need it.
struct ProjectFact {
    model: ProjectRow,
    company: String,
    top500: bool,
    hometown: bool,
    method: Option<PromotionMethod>,
    /// `(amount, day, verified)`.
    tranches: Vec<(i64, NaiveDate, bool)>,
    /// Indexes into `Facts::events` of the stops its lead was met at, by start.
    events: Vec<usize>,
}

struct Facts {
    events: Vec<EventFact>,
    projects: Vec<ProjectFact>,
    units: Vec<(unit::Model, u32)>,
    settings: organization::Model,
}

/// `project.lead_id = lead.id`: the joins that keep a query to one organization's projects
/// (5,000 of them) without listing its 100,000 leads first.
fn project_lead() -> RelationDef {
    project::Entity::belongs_to(lead::Entity).from(project::Column::LeadId).to(lead::Column::Id).into()
}

fn org_events(org_id: i32) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(event::Column::Id)
        .from(event::Entity)
        .and_where(event::Column::OrganizationId.eq(org_id))
        .to_owned()
}

/// A signed project with what the figures need of its lead, read in one query.
#[derive(Clone, Debug, sea_orm::FromQueryResult)]
struct ProjectRow {
    id: i32,
    lead_id: i32,
    name: String,
    industry_chain: String,
    planned_investment: i64,
    signed_on: Option<NaiveDate>,
    unit_id: Option<i32>,
    registered_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    producing_on: Option<NaiveDate>,
    planned_start_on: Option<NaiveDate>,
    planned_production_on: Option<NaiveDate>,
    company: String,
    top500: bool,
    hometown_return: bool,
    promotion_method: Option<PromotionMethod>,
}

/// `COUNT(*)`, the cheapest count on both databases.
fn count_all() -> sea_orm::sea_query::SimpleExpr {
    sea_orm::sea_query::Expr::cust("COUNT(*)")
}

/// The organization's facts, read by independent queries run at once (each on its own
/// pooled connection), so the slowest of them, not their sum, sets the time.
async fn load(db: &impl ConnectionTrait, org_id: i32) -> Result<Facts, AppError> {
    let settings = async { organization::Entity::find_by_id(org_id).one(db).await?.ok_or(AppError::NotFound) };
    let events = async {
        Ok::<_, AppError>(
            event::Entity::find()
                .filter(event::Column::OrganizationId.eq(org_id))
                .order_by_asc(event::Column::StartsAt)
                .order_by_asc(event::Column::Id)
                .all(db)
                .await?,
        )
    };
    let checked_in = async {
        Ok::<HashMap<i32, i64>, AppError>(
            registration::Entity::find()
                .select_only()
                .column(registration::Column::EventId)
                .column_as(count_all(), "n")
                .filter(registration::Column::CheckedInAt.is_not_null())
                .filter(registration::Column::EventId.in_subquery(org_events(org_id)))
                .group_by(registration::Column::EventId)
                .into_tuple::<(i32, i64)>()
                .all(db)
                .await?
                .into_iter()
                .collect(),
        )
    };
    let leads_met = async {
        Ok::<HashMap<i32, i64>, AppError>(
            lead_event::Entity::find()
                .select_only()
                .column(lead_event::Column::EventId)
                .column_as(count_all(), "n")
                .filter(lead_event::Column::EventId.in_subquery(org_events(org_id)))
                .group_by(lead_event::Column::EventId)
                .into_tuple::<(i32, i64)>()
                .all(db)
                .await?
                .into_iter()
                .collect(),
        )
    };
    let projects = async {
        Ok::<_, AppError>(
            project::Entity::find()
                .select_only()
                .columns([
                    project::Column::Id,
                    project::Column::LeadId,
                    project::Column::Name,
                    project::Column::IndustryChain,
                    project::Column::PlannedInvestment,
                    project::Column::SignedOn,
                    project::Column::UnitId,
                    project::Column::RegisteredOn,
                    project::Column::StartedOn,
                    project::Column::ProducingOn,
                    project::Column::PlannedStartOn,
                    project::Column::PlannedProductionOn,
                ])
                .columns([
                    lead::Column::Company,
                    lead::Column::Top500,
                    lead::Column::HometownReturn,
                    lead::Column::PromotionMethod,
                ])
                .join(JoinType::InnerJoin, project_lead())
                .filter(lead::Column::OrganizationId.eq(org_id))
                .order_by_asc(project::Column::Id)
                .into_model::<ProjectRow>()
                .all(db)
                .await?,
        )
    };
    let met = async {
        let met_at: RelationDef = lead_event::Entity::belongs_to(project::Entity)
            .from(lead_event::Column::LeadId)
            .to(project::Column::LeadId)
            .into();
        Ok::<_, AppError>(
            lead_event::Entity::find()
                .select_only()
                .columns([lead_event::Column::LeadId, lead_event::Column::EventId])
                .join(JoinType::InnerJoin, met_at)
                .join(JoinType::InnerJoin, project_lead())
                .filter(lead::Column::OrganizationId.eq(org_id))
                .into_tuple::<(i32, i32)>()
                .all(db)
                .await?,
        )
    };
    let tranches = async {
        let of_project: RelationDef = funding_tranche::Entity::belongs_to(project::Entity)
            .from(funding_tranche::Column::ProjectId)
            .to(project::Column::Id)
            .into();
        Ok::<_, AppError>(
            funding_tranche::Entity::find()
                .select_only()
                .columns([
                    funding_tranche::Column::ProjectId,
                    funding_tranche::Column::Amount,
                    funding_tranche::Column::ReceivedOn,
                    funding_tranche::Column::VerifiedAt,
                ])
                .join(JoinType::InnerJoin, of_project)
                .join(JoinType::InnerJoin, project_lead())
                .filter(lead::Column::OrganizationId.eq(org_id))
                .into_tuple::<(i32, i64, NaiveDate, Option<chrono::DateTime<Utc>>)>()
                .all(db)
                .await?,
        )
    };
    let units = async { Ok::<_, AppError>(crate::units::ssr::tree(db, org_id).await?) };
    let (settings, event_rows, checked_in, leads_met, project_rows, met_rows, tranche_rows, units) =
        futures::try_join!(settings, events, checked_in, leads_met, projects, met, tranches, units)?;

    let mut events = Vec::with_capacity(event_rows.len());
    for e in event_rows {
        let tz = crate::events::ssr::tz_of(&e.time_zone)?;
        events.push(EventFact {
            id: e.id,
            roadshow_id: e.roadshow_id,
            starts_on: crate::events::ssr::utc_to_local(tz, e.starts_at).date(),
            held: matches!(e.status, EventStatus::Published | EventStatus::Completed),
            cost_yuan: e.cost_yuan,
            guests: i64::from(e.confirmed_count),
            checked_in: checked_in.get(&e.id).copied().unwrap_or(0),
            leads: leads_met.get(&e.id).copied().unwrap_or(0),
            title_zh: e.title_zh,
            title_en: e.title_en,
            region: e.region,
        });
    }
    let event_index: HashMap<i32, usize> = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let mut met: HashMap<i32, Vec<usize>> = HashMap::new();
    for (lead_id, event_id) in met_rows {
        if let Some(i) = event_index.get(&event_id) {
            met.entry(lead_id).or_default().push(*i);
        }
    }
    for stops in met.values_mut() {
        // A lead with several projects came once per project.
        stops.sort_unstable();
        stops.dedup();
    }
    let mut tranches: HashMap<i32, Vec<(i64, NaiveDate, bool)>> = HashMap::new();
    for (project_id, amount, day, verified_at) in tranche_rows {
        tranches.entry(project_id).or_default().push((amount, day, verified_at.is_some()));
    }
    let projects = project_rows
        .into_iter()
        .map(|model| ProjectFact {
            tranches: tranches.remove(&model.id).unwrap_or_default(),
            events: met.get(&model.lead_id).cloned().unwrap_or_default(),
            company: model.company.clone(),
            top500: model.top500,
            hometown: model.hometown_return,
            method: model.promotion_method,
            model,
        })
        .collect();
    Ok(Facts { events, projects, units, settings })
}

impl Facts {
    fn in_roadshow(&self, p: &ProjectFact, scope: &Scope) -> bool {
        scope.roadshow_id.is_none_or(|id| p.events.iter().any(|i| self.events[*i].roadshow_id == Some(id)))
    }

    /// The stops a project is credited to under the scope's model: among its stops (the
    /// roadshow's only, with one) those that started on or before the signing, or all of
    /// them when none did; the first, the last or all of these.
    fn credit(&self, p: &ProjectFact, scope: &Scope) -> Vec<usize> {
        let stops: Vec<usize> = p
            .events
            .iter()
            .copied()
            .filter(|i| scope.roadshow_id.is_none_or(|id| self.events[*i].roadshow_id == Some(id)))
            .collect();
        let before: Vec<usize> = match p.model.signed_on {
            Some(day) => stops.iter().copied().filter(|i| self.events[*i].starts_on <= day).collect(),
            None => Vec::new(),
        };
        let candidates = if before.is_empty() { stops } else { before };
        candidates[credited_stops(scope.credit, candidates.len())].to_vec()
    }
}

impl Facts {
    /// What each stop a project is credited to gets of it: `(stop, (hundredths of the
    /// project, yuan signed, yuan in place))`, each split with `split_evenly`; empty for a
    /// project met at no stop.
    fn credited_parts(&self, p: &ProjectFact, f: &Figures, scope: &Scope) -> Vec<(usize, (i64, i64, i64))> {
        let stops = self.credit(p, scope);
        let n = stops.len();
        let (h, s, fu) =
            (split_evenly(f.projects * 100, n), split_evenly(f.signed_yuan, n), split_evenly(f.funds_yuan, n));
        stops.into_iter().enumerate().map(|(k, i)| (i, (h[k], s[k], fu[k]))).collect()
    }
}

fn funds_in(p: &ProjectFact, scope: &Scope) -> i64 {
    p.tranches
        .iter()
        .filter(|(_, day, verified)| scope.covers(*day) && (*verified || !scope.verified_only))
        .map(|t| t.0)
        .sum()
}

fn signed_in(p: &ProjectFact, scope: &Scope) -> bool {
    p.model.signed_on.is_some_and(|d| scope.covers(d))
}

/// The figures of one project in the scope (all zero when it counts for nothing).
fn figures_of(p: &ProjectFact, scope: &Scope) -> Figures {
    let signed = signed_in(p, scope);
    let funds = funds_in(p, scope);
    let amount = p.model.planned_investment;
    let registered = p.model.registered_on.is_some_and(|d| scope.covers(d));
    let mut f = Figures::default();
    if signed {
        f.projects = 1;
        f.signed_yuan = amount;
        if let Some(tier) = BigTier::of(amount) {
            for (i, floor) in [BigTier::Ten, BigTier::Fifty, BigTier::Hundred].into_iter().enumerate() {
                f.big[i] = i64::from(tier >= floor);
            }
        }
        f.top500 = i64::from(p.top500);
        f.hometown = i64::from(p.hometown);
        f.signed_started = i64::from(p.model.started_on.is_some_and(|d| d <= scope.to));
        f.signed_producing = i64::from(p.model.producing_on.is_some_and(|d| d <= scope.to));
    }
    f.funds_yuan = funds;
    if p.hometown {
        f.hometown_funds_yuan = funds;
    }
    if registered {
        f.new_companies = 1;
        f.new_company_funds_yuan = funds;
    }
    f.started = i64::from(p.model.started_on.is_some_and(|d| scope.covers(d)));
    f.producing = i64::from(p.model.producing_on.is_some_and(|d| scope.covers(d)));
    f
}

/// The scope asked for, with the roadshow checked to be the organization's.
async fn scope_of(
    db: &impl ConnectionTrait,
    org_id: i32,
    query: &DashboardQuery,
    today: NaiveDate,
) -> Result<(Scope, Vec<(i32, String, i32)>), AppError> {
    let verified_by_default = organization::Entity::find_by_id(org_id)
        .select_only()
        .column(organization::Column::VerifiedFundsOnly)
        .into_tuple::<bool>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let roadshows: Vec<(i32, String, i32)> = roadshow::Entity::find()
        .select_only()
        .columns([roadshow::Column::Id, roadshow::Column::Name, roadshow::Column::Year])
        .filter(roadshow::Column::OrganizationId.eq(org_id))
        .order_by_desc(roadshow::Column::Year)
        .order_by_asc(roadshow::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let chosen = query.roadshow.trim().parse::<i32>().ok();
    let year = chosen.and_then(|id| roadshows.iter().find(|r| r.0 == id).map(|r| r.2));
    if chosen.is_some() && year.is_none() {
        return Err(AppError::Invalid(FieldErrors::single("roadshow", Reason::UnknownChoice)));
    }
    let scope = query.parse(today, year, verified_by_default).map_err(AppError::Invalid)?;
    Ok((scope, roadshows))
}

fn day_start(day: NaiveDate) -> chrono::DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// Leads of the scope (first recorded in the period; met at the roadshow's stops, with one)
/// by stage.
async fn leads_by_stage(
    db: &impl ConnectionTrait,
    org_id: i32,
    scope: &Scope,
) -> Result<BTreeMap<String, i64>, AppError> {
    let mut find = lead::Entity::find()
        .select_only()
        .column(lead::Column::Stage)
        .column_as(count_all(), "n")
        .filter(lead::Column::OrganizationId.eq(org_id))
        .filter(lead::Column::CreatedAt.gte(day_start(scope.from)))
        .filter(lead::Column::CreatedAt.lt(day_start(scope.to + Duration::days(1))));
    if let Some(id) = scope.roadshow_id {
        let stops = Query::select()
            .column(event::Column::Id)
            .from(event::Entity)
            .and_where(event::Column::RoadshowId.eq(id))
            .to_owned();
        let met = Query::select()
            .column(lead_event::Column::LeadId)
            .from(lead_event::Entity)
            .and_where(lead_event::Column::EventId.in_subquery(stops))
            .to_owned();
        find = find.filter(lead::Column::Id.in_subquery(met));
    }
    Ok(find
        .group_by(lead::Column::Stage)
        .into_tuple::<(Stage, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str().to_string(), n))
        .collect())
}

fn unit_names(units: &[(unit::Model, u32)]) -> HashMap<i32, (String, String)> {
    units.iter().map(|(u, _)| (u.id, (u.name_zh.clone(), u.name_en.clone()))).collect()
}

/// The ranking of the units for the scope: each unit's figures against the targets of the
/// period's year (of its quarter, when the period is exactly one and it has quarter
/// targets), the weighted score, the rank (score, then funds in place, then name).
async fn ranking(
    db: &impl ConnectionTrait,
    facts: &Facts,
    scope: &Scope,
    today: NaiveDate,
) -> Result<(Vec<UnitRank>, Figures, u32), AppError> {
    let org_id = facts.settings.id;
    let weights = ScoreWeights::from_stored(&facts.settings.score_weights);
    let year = scope.to.year();
    let quarter = (1..=4).find(|q| {
        let first = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1);
        let last = first.and_then(|f| f.checked_add_months(chrono::Months::new(3))).and_then(|n| n.pred_opt());
        first == Some(scope.from) && last == Some(scope.to)
    });
    let mut targets: HashMap<i32, TargetValues> =
        crate::targets::ssr::of_period(db, org_id, Period { year, quarter: 0 }).await?;
    if let Some(q) = quarter {
        let quarterly = crate::targets::ssr::of_period(db, org_id, Period { year, quarter: q as i32 }).await?;
        if !quarterly.is_empty() {
            targets = quarterly;
        }
    }
    let mut figures: HashMap<i32, Figures> = HashMap::new();
    let mut unassigned = Figures::default();
    for p in facts.projects.iter().filter(|p| facts.in_roadshow(p, scope)) {
        let f = figures_of(p, scope);
        match p.model.unit_id {
            Some(id) => figures.entry(id).or_default().add(&f),
            None => unassigned.add(&f),
        }
    }
    let months = scope.months_over(today);
    let mut trips: HashMap<i32, (i64, Vec<NaiveDate>)> = HashMap::new();
    for (unit_id, starts_on) in trip::Entity::find()
        .select_only()
        .columns([trip::Column::UnitId, trip::Column::StartsOn])
        .filter(trip::Column::OrganizationId.eq(org_id))
        .filter(trip::Column::StartsOn.between(scope.from, scope.to))
        .into_tuple::<(i32, NaiveDate)>()
        .all(db)
        .await?
    {
        let entry = trips.entry(unit_id).or_default();
        entry.0 += 1;
        entry.1.push(NaiveDate::from_ymd_opt(starts_on.year(), starts_on.month(), 1).unwrap_or(starts_on));
    }
    let mut rows: Vec<UnitRank> = facts
        .units
        .iter()
        .map(|(u, _)| {
            let f = figures.get(&u.id).copied().unwrap_or_default();
            let (trip_count, trip_months) = trips.get(&u.id).cloned().unwrap_or_default();
            let target = targets.get(&u.id).copied().unwrap_or_default();
            let completions = TargetMetric::ALL.map(|m| completion_milli(f.actual(m, trip_count), target.get(m)));
            UnitRank {
                unit_id: u.id,
                name_zh: u.name_zh.clone(),
                name_en: u.name_en.clone(),
                figures: f,
                trips: trip_count,
                trip_months: months.iter().filter(|m| trip_months.contains(m)).count() as u32,
                targets: target.0,
                score_milli: weighted_score(&completions, weights),
                completions,
                rank: 0,
                change: None,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score_milli
            .cmp(&a.score_milli)
            .then(b.figures.funds_yuan.cmp(&a.figures.funds_yuan))
            .then(a.name_zh.cmp(&b.name_zh))
            .then(a.unit_id.cmp(&b.unit_id))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i as u32 + 1;
    }
    Ok((rows, unassigned, months.len() as u32))
}

/// The Monday of `day`'s week.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Keeps this week's place of every unit in the year-so-far ranking (taken again when it
/// is run again in the same week) and returns how many units it wrote.
pub async fn snapshot_week(db: &DatabaseConnection, org_id: i32, today: NaiveDate) -> Result<u64, AppError> {
    let facts = load(db, org_id).await?;
    let scope = year_so_far(today, facts.settings.verified_funds_only);
    let (rows, _, _) = ranking(db, &facts, &scope, today).await?;
    write_snapshot(db, org_id, today, &rows).await
}

/// `snapshot_week` for every organization that has units; how many units were kept.
pub async fn snapshot_all(db: &DatabaseConnection, today: NaiveDate) -> Result<u64, AppError> {
    let organizations: Vec<i32> =
        unit::Entity::find().select_only().column(unit::Column::OrganizationId).distinct().into_tuple().all(db).await?;
    let mut kept = 0;
    for org_id in organizations {
        kept += snapshot_week(db, org_id, today).await?;
    }
    Ok(kept)
}

fn year_so_far(today: NaiveDate, verified_only: bool) -> Scope {
    Scope {
        from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
        to: today,
        roadshow_id: None,
        credit: CreditModel::default(),
        verified_only,
    }
}

async fn write_snapshot(
    db: &DatabaseConnection,
    org_id: i32,
    today: NaiveDate,
    rows: &[UnitRank],
) -> Result<u64, AppError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let week = week_of(today);
    let models = rows.iter().map(|r| unit_rank_snapshot::ActiveModel {
        organization_id: Set(org_id),
        unit_id: Set(r.unit_id),
        week: Set(week),
        year: Set(today.year()),
        rank: Set(r.rank as i32),
        score_milli: Set(r.score_milli.unwrap_or(-1)),
        taken_at: Set(now),
        ..Default::default()
    });
    unit_rank_snapshot::Entity::insert_many(models)
        .on_conflict(
            OnConflict::columns([unit_rank_snapshot::Column::UnitId, unit_rank_snapshot::Column::Week])
                .update_columns([
                    unit_rank_snapshot::Column::Rank,
                    unit_rank_snapshot::Column::ScoreMilli,
                    unit_rank_snapshot::Column::Year,
                    unit_rank_snapshot::Column::TakenAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(rows.len() as u64)
}

/// The latest place of each unit in a week before `today`'s, in `today`'s year.
async fn last_week(db: &impl ConnectionTrait, org_id: i32, today: NaiveDate) -> Result<HashMap<i32, i32>, AppError> {
    let this_week = week_of(today);
    let mut places = HashMap::new();
    for s in unit_rank_snapshot::Entity::find()
        .filter(unit_rank_snapshot::Column::OrganizationId.eq(org_id))
        .filter(unit_rank_snapshot::Column::Year.eq(today.year()))
        .filter(unit_rank_snapshot::Column::Week.lt(this_week))
        .order_by_desc(unit_rank_snapshot::Column::Week)
        .all(db)
        .await?
    {
        places.entry(s.unit_id).or_insert(s.rank);
    }
    Ok(places)
}

fn slice_label_chain(key: &str) -> (String, String) {
    match IndustryChain::from_slug(key) {
        Some(c) => (c.label(crate::i18n::Lang::Zh).to_string(), c.label(crate::i18n::Lang::En).to_string()),
        None if key.is_empty() => ("（未填）".to_string(), "(not set)".to_string()),
        None => (key.to_string(), key.to_string()),
    }
}

fn add_slice(
    slices: &mut BTreeMap<String, Slice>,
    key: &str,
    label: (String, String),
    hundredths: i64,
    signed: i64,
    funds: i64,
) {
    let slice = slices.entry(key.to_string()).or_insert_with(|| Slice {
        key: key.to_string(),
        label_zh: label.0,
        label_en: label.1,
        projects_hundredths: 0,
        signed_yuan: 0,
        funds_yuan: 0,
    });
    slice.projects_hundredths += hundredths;
    slice.signed_yuan += signed;
    slice.funds_yuan += funds;
}

fn sorted(slices: BTreeMap<String, Slice>) -> Vec<Slice> {
    let mut v: Vec<Slice> = slices.into_values().collect();
    v.sort_by(|a, b| b.signed_yuan.cmp(&a.signed_yuan).then(b.funds_yuan.cmp(&a.funds_yuan)).then(a.key.cmp(&b.key)));
    v
}

/// The dashboard for `query` as of `today`.
pub async fn dashboard(
    db: &DatabaseConnection,
    org_id: i32,
    query: &DashboardQuery,
    today: NaiveDate,
) -> Result<Dashboard, AppError> {
    let (scope, roadshow_choices) = scope_of(db, org_id, query, today).await?;
    let (facts, stages, before) =
        futures::try_join!(load(db, org_id), leads_by_stage(db, org_id, &scope), last_week(db, org_id, today))?;
    let in_scope: Vec<&ProjectFact> = facts.projects.iter().filter(|p| facts.in_roadshow(p, &scope)).collect();

    let mut headline = Headline::default();
    let mut chains = BTreeMap::new();
    let mut methods = BTreeMap::new();
    let mut regions = BTreeMap::new();
    let mut months: BTreeMap<String, MonthRow> = BTreeMap::new();
    let mut credited: Vec<Credited> = facts.events.iter().map(|_| Credited::default()).collect();
    let mut with_events = Credited::default();
    let month_of = |d: NaiveDate| format!("{:04}-{:02}", d.year(), d.month());
    for p in &in_scope {
        let f = figures_of(p, &scope);
        headline.figures.add(&f);
        let signed = if f.projects == 1 { p.model.planned_investment } else { 0 };
        if f.projects == 0 && f.funds_yuan == 0 {
            continue;
        }
        add_slice(
            &mut chains,
            &p.model.industry_chain,
            slice_label_chain(&p.model.industry_chain),
            f.projects * 100,
            signed,
            f.funds_yuan,
        );
        let method = p.method.map(|m| m.as_str()).unwrap_or("");
        let label = match p.method {
            Some(m) => (m.label(crate::i18n::Lang::Zh).to_string(), m.label(crate::i18n::Lang::En).to_string()),
            None => ("（未填）".to_string(), "(not set)".to_string()),
        };
        add_slice(&mut methods, method, label, f.projects * 100, signed, f.funds_yuan);
        if let Some(day) = p.model.signed_on.filter(|_| f.projects == 1) {
            let row = months.entry(month_of(day)).or_insert_with(|| MonthRow {
                month: month_of(day),
                projects: 0,
                signed_yuan: 0,
                funds_yuan: 0,
            });
            row.projects += 1;
            row.signed_yuan += signed;
        }
        for (amount, day, verified) in &p.tranches {
            if scope.covers(*day) && (*verified || !scope.verified_only) {
                let row = months.entry(month_of(*day)).or_insert_with(|| MonthRow {
                    month: month_of(*day),
                    projects: 0,
                    signed_yuan: 0,
                    funds_yuan: 0,
                });
                row.funds_yuan += amount;
            }
        }
        let shares = facts.credited_parts(p, &f, &scope);
        if shares.is_empty() {
            add_slice(
                &mut regions,
                "",
                ("（无活动）".to_string(), "(no event)".to_string()),
                f.projects * 100,
                signed,
                f.funds_yuan,
            );
            continue;
        }
        with_events.projects_hundredths += f.projects * 100;
        with_events.signed_yuan += signed;
        with_events.funds_yuan += f.funds_yuan;
        for (i, (hundredths, signed_part, funds_part)) in shares {
            let c = &mut credited[i];
            c.projects_hundredths += hundredths;
            c.signed_yuan += signed_part;
            c.funds_yuan += funds_part;
            let region = facts.events[i].region.clone();
            add_slice(&mut regions, &region, (region.clone(), region.clone()), hundredths, signed_part, funds_part);
        }
    }

    // The stops of the scope: those that started in the period (the roadshow's, with one),
    // and any other a project of the scope is credited to.
    let mut events = Vec::new();
    let mut by_roadshow: BTreeMap<i32, RoadshowRow> = BTreeMap::new();
    for (i, e) in facts.events.iter().enumerate() {
        let in_period =
            e.held && scope.covers(e.starts_on) && scope.roadshow_id.is_none_or(|id| e.roadshow_id == Some(id));
        let c = &mut credited[i];
        if !in_period && c.projects_hundredths == 0 && c.signed_yuan == 0 && c.funds_yuan == 0 {
            continue;
        }
        if in_period {
            headline.events += 1;
            headline.guests += e.guests;
            headline.checked_in += e.checked_in;
        }
        c.guests = e.guests;
        c.checked_in = e.checked_in;
        c.leads = e.leads;
        c.cost_yuan = e.cost_yuan;
        if let Some(id) = e.roadshow_id
            && let Some((_, name, _)) = roadshow_choices.iter().find(|r| r.0 == id)
        {
            let row = by_roadshow.entry(id).or_insert_with(|| RoadshowRow {
                id,
                name: name.clone(),
                events: 0,
                credited: Credited::default(),
            });
            row.events += 1;
            row.credited.add(c);
        }
        events.push(EventRow {
            id: e.id,
            title_zh: e.title_zh.clone(),
            title_en: e.title_en.clone(),
            starts_on: e.starts_on,
            region: e.region.clone(),
            roadshow_id: e.roadshow_id,
            credited: c.clone(),
        });
    }

    headline.leads = stages.values().sum();
    let reached = |from: Stage| -> i64 {
        let order = [Stage::SiteVisit, Stage::IntentSigned, Stage::ContractSigned, Stage::FundsInPlace];
        let start = order.iter().position(|s| *s == from).unwrap_or(0);
        order[start..].iter().map(|s| stages.get(s.as_str()).copied().unwrap_or(0)).sum()
    };
    let funnel = vec![
        FunnelStep { key: "guests".into(), count: headline.guests },
        FunnelStep { key: "leads".into(), count: headline.leads },
        FunnelStep { key: Stage::SiteVisit.as_str().into(), count: reached(Stage::SiteVisit) },
        FunnelStep { key: Stage::IntentSigned.as_str().into(), count: reached(Stage::IntentSigned) },
        FunnelStep { key: Stage::ContractSigned.as_str().into(), count: reached(Stage::ContractSigned) },
        FunnelStep { key: Stage::FundsInPlace.as_str().into(), count: reached(Stage::FundsInPlace) },
    ];

    let (mut units, unassigned, months_over) = ranking(db, &facts, &scope, today).await?;
    let ytd = year_so_far(today, facts.settings.verified_funds_only);
    if scope.from == ytd.from
        && scope.to == ytd.to
        && scope.roadshow_id.is_none()
        && scope.verified_only == ytd.verified_only
    {
        for row in &mut units {
            row.change = before.get(&row.unit_id).map(|was| was - row.rank as i32);
        }
    }

    let names = unit_names(&facts.units);
    let red_days = i64::from(facts.settings.overdue_red_days);
    let mut overdue = Vec::new();
    for p in &in_scope {
        let m = &p.model;
        for (milestone, key, planned, reached) in [
            (Milestone::Start, "start", m.planned_start_on, m.started_on),
            (Milestone::Production, "production", m.planned_production_on, m.producing_on),
        ] {
            if let Some(late) = Overdue::of(milestone, planned, reached, today, red_days) {
                let (unit_zh, unit_en) = m.unit_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default();
                overdue.push(OverdueRow {
                    project_id: m.id,
                    lead_id: m.lead_id,
                    project: m.name.clone(),
                    company: p.company.clone(),
                    unit_zh,
                    unit_en,
                    milestone: key.to_string(),
                    planned_on: planned.unwrap_or(today),
                    red: late.lateness == Lateness::Red,
                    days_late: late.days,
                });
            }
        }
    }
    overdue.sort_by(|a, b| b.red.cmp(&a.red).then(b.days_late.cmp(&a.days_late)).then(a.project_id.cmp(&b.project_id)));

    Ok(Dashboard {
        scope,
        today,
        headline,
        with_events,
        units,
        unassigned,
        months_over,
        weights: ScoreWeights::from_stored(&facts.settings.score_weights),
        chains: sorted(chains),
        methods: sorted(methods),
        regions: sorted(regions),
        months: months.into_values().collect(),
        funnel,
        events,
        roadshows: by_roadshow.into_values().collect(),
        overdue,
        roadshow_choices,
    })
}

/// The projects one figure counts, with the same rules as the dashboard: their sums are
/// the figure.
pub async fn projects(
    db: &DatabaseConnection,
    org_id: i32,
    query: &ProjectQuery,
    today: NaiveDate,
) -> Result<ProjectList, AppError> {
    let (scope, _) = scope_of(db, org_id, &query.scope, today).await?;
    let facts = load(db, org_id).await?;
    let mut e = FieldErrors::default();
    let metric = e.check("metric", Metric::parse(&query.metric));
    let id = |field: &str, text: &str, e: &mut FieldErrors| match text.trim() {
        "" => None,
        t => e.check(field, t.parse::<i32>().map_err(|_| Reason::UnknownChoice)).map(Some).unwrap_or(Some(-1)),
    };
    let unit = id("unit", &query.unit, &mut e);
    let event_id = id("event", &query.event, &mut e);
    let Some(metric) = metric.filter(|_| e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    let names = unit_names(&facts.units);
    let red_days = i64::from(facts.settings.overdue_red_days);
    let mut list = ProjectList { scope, rows: Vec::new(), signed_yuan: 0, funds_yuan: 0, credited: None };
    for p in facts.projects.iter().filter(|p| facts.in_roadshow(p, &scope)) {
        let m = &p.model;
        if unit.is_some_and(|u| m.unit_id != Some(u))
            || (!query.chain.is_empty() && m.industry_chain != query.chain.trim())
            || (!query.method.is_empty() && p.method.map(|x| x.as_str()).unwrap_or("none") != query.method.trim())
        {
            continue;
        }
        let f = figures_of(p, &scope);
        let month_ok = |d: Option<NaiveDate>| {
            query.month.trim().is_empty()
                || d.is_some_and(|d| format!("{:04}-{:02}", d.year(), d.month()) == query.month.trim())
        };
        let mut credited = None;
        let counted = match metric {
            Metric::Signed => f.projects == 1 && month_ok(m.signed_on),
            Metric::Funds => f.funds_yuan > 0 && query.month.trim().is_empty(),
            Metric::Big(i) => f.big[i] == 1,
            Metric::Top500 => f.top500 == 1,
            Metric::Hometown => f.hometown == 1,
            Metric::HometownFunds => p.hometown && f.funds_yuan > 0,
            Metric::NewCompany => f.new_companies == 1,
            Metric::Started => f.started == 1,
            Metric::Producing => f.producing == 1,
            Metric::Overdue => [
                (Milestone::Start, m.planned_start_on, m.started_on),
                (Milestone::Production, m.planned_production_on, m.producing_on),
            ]
            .into_iter()
            .any(|(milestone, planned, reached)| Overdue::of(milestone, planned, reached, today, red_days).is_some()),
            Metric::Credited => {
                let mut part = (0, 0, 0);
                for (i, (h, s, fu)) in facts.credited_parts(p, &f, &scope) {
                    let stop = &facts.events[i];
                    if event_id.is_none_or(|id| stop.id == id)
                        && (query.region.is_empty() || stop.region == query.region)
                    {
                        part = (part.0 + h, part.1 + s, part.2 + fu);
                    }
                }
                credited = Some(part);
                part != (0, 0, 0)
            }
        };
        if !counted {
            continue;
        }
        let (unit_zh, unit_en) = m.unit_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default();
        let signed_yuan = if f.projects == 1 { m.planned_investment } else { 0 };
        list.signed_yuan += signed_yuan;
        list.funds_yuan += f.funds_yuan;
        if let Some(c) = credited {
            let t = list.credited.get_or_insert((0, 0, 0));
            *t = (t.0 + c.0, t.1 + c.1, t.2 + c.2);
        }
        list.rows.push(ProjectListRow {
            id: m.id,
            lead_id: m.lead_id,
            name: m.name.clone(),
            company: p.company.clone(),
            unit_zh,
            unit_en,
            chain: m.industry_chain.clone(),
            signed_on: m.signed_on,
            signed_yuan,
            funds_yuan: f.funds_yuan,
            credited,
        });
    }
    list.rows
        .sort_by(|a, b| b.signed_yuan.cmp(&a.signed_yuan).then(b.funds_yuan.cmp(&a.funds_yuan)).then(a.id.cmp(&b.id)));
    Ok(list)
}

pub async fn save_weights(db: &DatabaseConnection, org_id: i32, weights: ScoreWeights) -> Result<(), AppError> {
    organization::Entity::update_many()
        .col_expr(organization::Column::ScoreWeights, sea_orm::sea_query::Expr::value(weights.to_stored()))
        .filter(organization::Column::Id.eq(org_id))
        .exec(db)
        .await?;
    Ok(())
}
