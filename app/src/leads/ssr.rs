//! Server side of leads. Every function is scoped to the caller's organization: a lead,
//! project or event of another organization is `NotFound`. Changes that touch several
//! rows run in one write transaction, and every change of stage, owner or amount writes
//! its history entry in the same transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set,
    sea_query::{Expr, ExprTrait, LikeExpr, OnConflict, Query},
};

use super::{
    BoardColumn, BulkForm, Credit, LeadDetail, LeadEventView, LeadFilter, LeadForm, LeadList, LeadRow, ProjectView,
    Stage, TimelineEntry, Tranche, ValidLead, ValidProject,
};
use crate::auth::Member;
use crate::entities::{
    campaign, event, follow_up_rule, funding_tranche, lead, lead_activity, lead_event, lead_tag, marketing_send,
    outbox_message, project, registration,
};
use crate::error::{AppError, FieldErrors, Reason};
use crate::events::IndustryChain;
use crate::state::begin_write;

fn invalid(field: &str, reason: Reason) -> AppError {
    AppError::Invalid(FieldErrors::single(field, reason))
}

/// The lead `id` of organization `org_id`, or `NotFound`.
async fn find_owned(db: &impl ConnectionTrait, org_id: i32, id: i32) -> Result<lead::Model, AppError> {
    lead::Entity::find_by_id(id)
        .filter(lead::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Writes one entry of a lead's history.
async fn log(
    db: &impl ConnectionTrait,
    lead_id: i32,
    user_id: Option<i32>,
    kind: &str,
    from: &str,
    to: &str,
    note: &str,
) -> Result<(), sea_orm::DbErr> {
    lead_activity::ActiveModel {
        lead_id: Set(lead_id),
        user_id: Set(user_id),
        kind: Set(kind.to_string()),
        from_value: Set(from.chars().take(500).collect()),
        to_value: Set(to.chars().take(500).collect()),
        note: Set(note.to_string()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records that `event`'s registration `reg` is a lead of the event's organization: the
/// person's lead is created, or updated with what they typed this time (what organizers
/// manage — stage, owner, tags, notes — stays), and tagged with the event. Runs inside
/// the registration's own transaction.
pub async fn record_registration(
    db: &impl ConnectionTrait,
    event: &event::Model,
    reg: &registration::Model,
) -> Result<(), sea_orm::DbErr> {
    let lead_id = upsert_lead(db, event, reg).await?;
    save_met_at(db, vec![met_at_registration(lead_id, event, reg)]).await
}

/// The lead of `reg`'s person, created or brought up to date in one statement; its id.
pub async fn upsert_lead(
    db: &impl ConnectionTrait,
    event: &event::Model,
    reg: &registration::Model,
) -> Result<i32, sea_orm::DbErr> {
    let row = lead::ActiveModel {
        organization_id: Set(event.organization_id),
        email: Set(Some(reg.email.clone())),
        name: Set(reg.name.clone()),
        job_title: Set(reg.job_title.clone()),
        phone: Set(reg.phone.clone()),
        language: Set(reg.language.clone()),
        company: Set(reg.company.clone()),
        country: Set(reg.country.clone()),
        sector: Set(String::new()),
        top500: Set(false),
        industry_chains: Set(reg.industry_chains.clone()),
        promotion_method: Set(String::new()),
        hometown_return: Set(false),
        owner_id: Set(None),
        notes: Set(String::new()),
        stage: Set(Stage::New.as_str().to_string()),
        lost_reason: Set(String::new()),
        consent_data_at: Set(Some(reg.consent_data_at)),
        consent_data_version: Set(reg.consent_data_version.clone()),
        consent_marketing_at: Set(reg.consent_marketing_at),
        consent_source: Set(reg.consent_source.clone()),
        created_at: Set(reg.created_at),
        updated_at: Set(reg.updated_at),
        ..Default::default()
    };
    use lead::Column as C;
    let inserted = lead::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::OrganizationId, C::Email])
                .update_columns([
                    C::Name,
                    C::JobTitle,
                    C::Phone,
                    C::Language,
                    C::Company,
                    C::Country,
                    C::IndustryChains,
                    C::ConsentDataAt,
                    C::ConsentDataVersion,
                    C::ConsentMarketingAt,
                    C::ConsentSource,
                    C::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(inserted.last_insert_id)
}

/// The row saying the lead was met at `event` through registration `reg`.
pub fn met_at_registration(lead_id: i32, event: &event::Model, reg: &registration::Model) -> lead_event::ActiveModel {
    lead_event::ActiveModel {
        lead_id: Set(lead_id),
        event_id: Set(event.id),
        registration_id: Set(Some(reg.id)),
        source: Set("registration".into()),
        created_at: Set(reg.updated_at),
    }
}

/// Inserts `rows` in one statement; a lead already met at an event keeps its row, which
/// now points at the registration.
pub async fn save_met_at(
    db: &impl ConnectionTrait,
    mut rows: Vec<lead_event::ActiveModel>,
) -> Result<(), sea_orm::DbErr> {
    // One statement may not update a row twice: the last row for a lead and event wins.
    let key = |r: &lead_event::ActiveModel| (r.lead_id.clone().unwrap(), r.event_id.clone().unwrap());
    let mut seen = std::collections::HashSet::new();
    rows.reverse();
    rows.retain(|r| seen.insert(key(r)));
    if rows.is_empty() {
        return Ok(());
    }
    lead_event::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([lead_event::Column::LeadId, lead_event::Column::EventId])
                .update_column(lead_event::Column::RegistrationId)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The leads of `org_id` that `filter` selects (unordered). A value that names nothing
/// (an unknown stage, a malformed id) is refused by field.
pub(crate) fn filtered(org_id: i32, filter: &LeadFilter, with_stage: bool) -> Result<Select<lead::Entity>, AppError> {
    let mut query = lead::Entity::find().filter(lead::Column::OrganizationId.eq(org_id));
    let id = |field: &str, value: &str| value.trim().parse::<i32>().map_err(|_| invalid(field, Reason::NotANumber));
    let q = filter.q.trim().to_lowercase();
    if !q.is_empty() {
        let pattern = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        // One lower-cased string per row rather than three: a search reads every lead.
        let text = Expr::cust("LOWER(name || ' ' || company || ' ' || COALESCE(email, ''))");
        query = query.filter(text.like(LikeExpr::new(pattern).escape('\\')));
    }
    let met_at = |condition: Condition| {
        Query::select()
            .column((lead_event::Entity, lead_event::Column::LeadId))
            .from(lead_event::Entity)
            .inner_join(
                event::Entity,
                Expr::col((event::Entity, event::Column::Id)).equals((lead_event::Entity, lead_event::Column::EventId)),
            )
            .cond_where(condition)
            .to_owned()
    };
    if !filter.event.trim().is_empty() {
        let event_id = id("event", &filter.event)?;
        query =
            query.filter(lead::Column::Id.in_subquery(met_at(Condition::all().add(event::Column::Id.eq(event_id)))));
    }
    if !filter.roadshow.trim().is_empty() {
        let roadshow_id = id("roadshow", &filter.roadshow)?;
        query = query.filter(
            lead::Column::Id.in_subquery(met_at(Condition::all().add(event::Column::RoadshowId.eq(roadshow_id)))),
        );
    }
    if !filter.region.trim().is_empty() {
        let region = filter.region.trim().to_string();
        query =
            query.filter(lead::Column::Id.in_subquery(met_at(Condition::all().add(event::Column::Region.eq(region)))));
    }
    if !filter.chain.trim().is_empty() {
        let chain =
            IndustryChain::from_slug(filter.chain.trim()).ok_or_else(|| invalid("chain", Reason::UnknownChoice))?;
        // Stored comma-separated: match a whole slug (slugs hold no LIKE wildcards).
        query = query.filter(Expr::cust("(',' || industry_chains || ',')").like(format!("%,{},%", chain.slug())));
    }
    if with_stage && !filter.stage.trim().is_empty() {
        let stage = Stage::parse(&filter.stage).ok_or_else(|| invalid("stage", Reason::UnknownChoice))?;
        query = query.filter(lead::Column::Stage.eq(stage.as_str()));
    }
    match filter.owner.trim() {
        "" => {}
        "none" => query = query.filter(lead::Column::OwnerId.is_null()),
        owner => query = query.filter(lead::Column::OwnerId.eq(id("owner", owner)?)),
    }
    if !filter.tag.trim().is_empty() {
        let tag = filter.tag.trim().to_lowercase();
        query = query.filter(
            lead::Column::Id.in_subquery(
                Query::select()
                    .column(lead_tag::Column::LeadId)
                    .from(lead_tag::Entity)
                    .and_where(lead_tag::Column::Tag.eq(tag))
                    .to_owned(),
            ),
        );
    }
    if super::on(filter.top500.trim()) {
        query = query.filter(lead::Column::Top500.eq(true));
    }
    if super::on(filter.hometown.trim()) {
        query = query.filter(lead::Column::HometownReturn.eq(true));
    }
    Ok(query)
}

fn sorted(query: Select<lead::Entity>, sort: &str) -> Select<lead::Entity> {
    let (descending, key) = match sort.trim().strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, sort.trim()),
    };
    let order = |natural: Order| match (natural, descending) {
        (Order::Asc, true) => Order::Desc,
        (Order::Desc, true) => Order::Asc,
        (order, _) => order,
    };
    let query = match key {
        "name" => query.order_by(lead::Column::Name, order(Order::Asc)),
        "company" => query.order_by(lead::Column::Company, order(Order::Asc)),
        "created" => query.order_by(lead::Column::CreatedAt, order(Order::Desc)),
        "stage" => {
            let rank = Stage::ALL
                .iter()
                .enumerate()
                .map(|(i, s)| format!("WHEN '{}' THEN {i}", s.as_str()))
                .collect::<Vec<_>>()
                .join(" ");
            query.order_by(Expr::cust(format!("CASE stage {rank} END")), order(Order::Desc))
        }
        _ => query.order_by(lead::Column::UpdatedAt, order(Order::Desc)),
    };
    query.order_by(lead::Column::Id, order(Order::Desc))
}

/// A page of a search. A search reads every lead of the organization whatever the order,
/// so it reads them once: the match's sort keys come back unordered, are counted and
/// sorted here, and only the page's leads are then read whole. (Asking the database for
/// the page in order walks the order's index and fetches each lead at random until the
/// page is full, which for a rare match means all of them, and then counts them again.)
async fn searched_page(
    db: &DatabaseConnection,
    query: Select<lead::Entity>,
    sort: &str,
    page: u64,
) -> Result<(u64, Vec<lead::Model>), AppError> {
    type Key = (i32, chrono::DateTime<Utc>, chrono::DateTime<Utc>, String, String, String);
    use lead::Column as C;
    let mut keys: Vec<Key> = query
        .select_only()
        .columns([C::Id, C::UpdatedAt, C::CreatedAt, C::Name, C::Company, C::Stage])
        .into_tuple()
        .all(db)
        .await?;
    let (descending, key) = match sort.trim().strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, sort.trim()),
    };
    let rank = |s: &str| Stage::parse(s).map(|s| s as u8).unwrap_or(0);
    // The same orders as `sorted`, ties broken by the newest id.
    keys.sort_by(|a, b| {
        let natural = match key {
            "name" => a.3.cmp(&b.3),
            "company" => a.4.cmp(&b.4),
            "created" => b.2.cmp(&a.2),
            "stage" => rank(&b.5).cmp(&rank(&a.5)),
            _ => b.1.cmp(&a.1),
        }
        .then(b.0.cmp(&a.0));
        if descending { natural.reverse() } else { natural }
    });
    let total = keys.len() as u64;
    let ids: Vec<i32> = keys
        .iter()
        .skip(((page - 1) * LeadFilter::PER_PAGE) as usize)
        .take(LeadFilter::PER_PAGE as usize)
        .map(|k| k.0)
        .collect();
    let mut leads = lead::Entity::find().filter(C::Id.is_in(ids.clone())).all(db).await?;
    leads.sort_by_key(|l| ids.iter().position(|id| *id == l.id));
    Ok((total, leads))
}

/// The members of an organization as `(user id, name)`.
async fn members(db: &DatabaseConnection, org_id: i32) -> Result<Vec<(i32, String)>, AppError> {
    Ok(crate::auth::ssr::list_members(db, org_id).await?.into_iter().map(|m| (m.user_id, m.name)).collect())
}

/// Rows for `leads`, with their tags, owners' names and number of events.
async fn rows(
    db: &impl ConnectionTrait,
    leads: Vec<lead::Model>,
    members: &[(i32, String)],
) -> Result<Vec<LeadRow>, AppError> {
    let ids: Vec<i32> = leads.iter().map(|l| l.id).collect();
    let mut tags: HashMap<i32, Vec<String>> = HashMap::new();
    for t in lead_tag::Entity::find()
        .filter(lead_tag::Column::LeadId.is_in(ids.clone()))
        .order_by_asc(lead_tag::Column::Tag)
        .all(db)
        .await?
    {
        tags.entry(t.lead_id).or_default().push(t.tag);
    }
    let counts: HashMap<i32, i64> = lead_event::Entity::find()
        .select_only()
        .column(lead_event::Column::LeadId)
        .column_as(lead_event::Column::EventId.count(), "n")
        .filter(lead_event::Column::LeadId.is_in(ids))
        .group_by(lead_event::Column::LeadId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let owner_name = |id: Option<i32>| id.and_then(|id| members.iter().find(|(m, _)| *m == id).map(|(_, n)| n.clone()));
    Ok(leads
        .into_iter()
        .map(|l| LeadRow {
            id: l.id,
            stage: Stage::parse(&l.stage).unwrap_or(Stage::New),
            owner_name: owner_name(l.owner_id),
            tags: tags.remove(&l.id).unwrap_or_default(),
            events: counts.get(&l.id).copied().unwrap_or(0) as u64,
            name: l.name,
            company: l.company,
            email: l.email,
            country: l.country,
            top500: l.top500,
            hometown_return: l.hometown_return,
            updated_at: l.updated_at,
        })
        .collect())
}

pub async fn list(db: &DatabaseConnection, org_id: i32, filter: &LeadFilter) -> Result<LeadList, AppError> {
    let query = filtered(org_id, filter, true)?;
    let page = filter.page();
    let (total, leads) = if filter.q.trim().is_empty() {
        let total = query.clone().count(db).await?;
        let leads = sorted(query, &filter.sort)
            .offset((page - 1) * LeadFilter::PER_PAGE)
            .limit(LeadFilter::PER_PAGE)
            .all(db)
            .await?;
        (total, leads)
    } else {
        searched_page(db, query, &filter.sort, page).await?
    };
    let members = members(db, org_id).await?;
    let rows = rows(db, leads, &members).await?;
    let events = event::Entity::find()
        .filter(event::Column::OrganizationId.eq(org_id))
        .order_by_desc(event::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.title_zh, e.title_en))
        .collect();
    // What a roadshow or one of its stops is credited with; other lists skip the sum.
    let credit = if filter.event.trim().is_empty() && filter.roadshow.trim().is_empty() {
        Credit::default()
    } else {
        credit(db, filtered(org_id, filter, true)?).await?
    };
    Ok(LeadList { rows, total, page, members, events, credit })
}

/// `SUM(column)` as a 64-bit integer (PostgreSQL sums `BIGINT`s as `NUMERIC`).
fn sum_bigint(column: impl sea_orm::sea_query::IntoColumnRef) -> sea_orm::sea_query::SimpleExpr {
    Expr::col(column).sum().cast_as("BIGINT")
}

/// The projects of the leads `query` selects, their planned investment and funds in place.
async fn credit(db: &impl ConnectionTrait, query: Select<lead::Entity>) -> Result<Credit, AppError> {
    let leads = query.select_only().column(lead::Column::Id).into_query();
    let (projects, planned): (i64, Option<i64>) = project::Entity::find()
        .select_only()
        .column_as(project::Column::Id.count(), "projects")
        .column_as(sum_bigint(project::Column::PlannedInvestment), "planned")
        .filter(project::Column::LeadId.in_subquery(leads.clone()))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, None));
    if projects == 0 {
        return Ok(Credit::default());
    }
    let funds: Option<i64> = funding_tranche::Entity::find()
        .select_only()
        .column_as(sum_bigint(funding_tranche::Column::Amount), "funds")
        .filter(
            funding_tranche::Column::ProjectId.in_subquery(
                Query::select()
                    .column(project::Column::Id)
                    .from(project::Entity)
                    .and_where(project::Column::LeadId.in_subquery(leads))
                    .to_owned(),
            ),
        )
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    Ok(Credit { projects: projects as u64, planned: planned.unwrap_or(0), funds: funds.unwrap_or(0) })
}

/// Every lead `filter` selects, in its order (for the CSV export).
pub async fn all(db: &DatabaseConnection, org_id: i32, filter: &LeadFilter) -> Result<Vec<LeadRow>, AppError> {
    let leads = sorted(filtered(org_id, filter, true)?, &filter.sort).all(db).await?;
    let members = members(db, org_id).await?;
    let mut out = Vec::with_capacity(leads.len());
    for chunk in leads.chunks(500) {
        out.extend(rows(db, chunk.to_vec(), &members).await?);
    }
    Ok(out)
}

pub fn to_csv(rows: &[LeadRow]) -> String {
    let mut out = String::from(
        "\u{feff}id,name,company,email,country,stage,owner,top500,hometown_return,tags,events,updated_at\r\n",
    );
    for r in rows {
        let fields = [
            r.id.to_string(),
            r.name.clone(),
            r.company.clone(),
            r.email.clone().unwrap_or_default(),
            r.country.clone(),
            r.stage.as_str().to_string(),
            r.owner_name.clone().unwrap_or_default(),
            r.top500.to_string(),
            r.hometown_return.to_string(),
            r.tags.join(" "),
            r.events.to_string(),
            r.updated_at.to_rfc3339(),
        ];
        out.push_str(&fields.iter().map(|f| crate::csv::cell(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub async fn board(db: &DatabaseConnection, org_id: i32, filter: &LeadFilter) -> Result<Vec<BoardColumn>, AppError> {
    let members = members(db, org_id).await?;
    let mut columns = Vec::new();
    for stage in Stage::ALL {
        let query = filtered(org_id, filter, false)?.filter(lead::Column::Stage.eq(stage.as_str()));
        let count = query.clone().count(db).await?;
        let planned: Option<i64> = project::Entity::find()
            .select_only()
            .column_as(sum_bigint(project::Column::PlannedInvestment), "planned")
            .filter(
                project::Column::LeadId.in_subquery(query.clone().select_only().column(lead::Column::Id).into_query()),
            )
            .into_tuple::<Option<i64>>()
            .one(db)
            .await?
            .flatten();
        let latest = query.order_by_desc(lead::Column::UpdatedAt).limit(20).all(db).await?;
        columns.push(BoardColumn {
            stage,
            count,
            planned: planned.unwrap_or(0),
            leads: rows(db, latest, &members).await?,
        });
    }
    Ok(columns)
}

fn form_of(lead: &lead::Model, tags: &[String]) -> LeadForm {
    LeadForm {
        name: lead.name.clone(),
        email: lead.email.clone().unwrap_or_default(),
        phone: lead.phone.clone(),
        job_title: lead.job_title.clone(),
        language: lead.language.clone(),
        company: lead.company.clone(),
        country: lead.country.clone(),
        sector: lead.sector.clone(),
        top500: if lead.top500 { "on".into() } else { String::new() },
        industry_chains: IndustryChain::split(&lead.industry_chains)
            .into_iter()
            .map(|c| (c.slug().to_string(), "on".to_string()))
            .collect(),
        promotion_method: lead.promotion_method.clone(),
        hometown_return: if lead.hometown_return { "on".into() } else { String::new() },
        tags: tags.join(", "),
        notes: lead.notes.clone(),
    }
}

async fn tags_of(db: &impl ConnectionTrait, lead_id: i32) -> Result<Vec<String>, sea_orm::DbErr> {
    Ok(lead_tag::Entity::find()
        .filter(lead_tag::Column::LeadId.eq(lead_id))
        .order_by_asc(lead_tag::Column::Tag)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.tag)
        .collect())
}

async fn projects_of(db: &impl ConnectionTrait, lead_id: i32) -> Result<Vec<ProjectView>, sea_orm::DbErr> {
    let projects = project::Entity::find()
        .filter(project::Column::LeadId.eq(lead_id))
        .order_by_asc(project::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let mut tranches: BTreeMap<i32, Vec<Tranche>> = BTreeMap::new();
    for t in funding_tranche::Entity::find()
        .filter(funding_tranche::Column::ProjectId.is_in(ids))
        .order_by_asc(funding_tranche::Column::ReceivedOn)
        .all(db)
        .await?
    {
        tranches.entry(t.project_id).or_default().push(Tranche {
            id: t.id,
            amount: t.amount,
            received_on: t.received_on,
        });
    }
    Ok(projects
        .into_iter()
        .map(|p| {
            let tranches = tranches.remove(&p.id).unwrap_or_default();
            ProjectView {
                id: p.id,
                name: p.name,
                industry_chain: IndustryChain::from_slug(&p.industry_chain),
                location: p.location,
                planned_investment: p.planned_investment,
                signed_on: p.signed_on,
                funds_in_place: tranches.iter().map(|t| t.amount).sum(),
                tranches,
            }
        })
        .collect())
}

pub async fn detail(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<LeadDetail, AppError> {
    let lead = find_owned(db, org_id, id).await?;
    let members = members(db, org_id).await?;
    let name_of = |id: Option<i32>| id.and_then(|id| members.iter().find(|(m, _)| *m == id).map(|(_, n)| n.clone()));
    let tags = tags_of(db, id).await?;
    let met = lead_event::Entity::find().filter(lead_event::Column::LeadId.eq(id)).all(db).await?;
    let event_ids: Vec<i32> = met.iter().map(|m| m.event_id).collect();
    let events: HashMap<i32, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(event_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let registration_ids: Vec<i32> = met.iter().filter_map(|m| m.registration_id).collect();
    let registrations =
        registration::Entity::find().filter(registration::Column::Id.is_in(registration_ids)).all(db).await?;

    let mut timeline: Vec<TimelineEntry> = Vec::new();
    let entry = |at, kind: &str, to: String| TimelineEntry {
        at,
        kind: kind.into(),
        from: String::new(),
        to,
        note: String::new(),
        by: None,
    };
    for r in &registrations {
        let title = events.get(&r.event_id).map(|e| e.title_en.clone()).unwrap_or_default();
        timeline.push(entry(r.created_at, "registered", title.clone()));
        if let Some(at) = r.checked_in_at {
            timeline.push(entry(at, "checked_in", title));
        }
    }
    if let Some(email) = &lead.email {
        for m in outbox_message::Entity::find()
            .filter(outbox_message::Column::OrganizationId.eq(org_id))
            .filter(outbox_message::Column::ToAddress.eq(email.as_str()))
            .order_by_desc(outbox_message::Column::Id)
            .limit(200)
            .all(db)
            .await?
        {
            let mut e = entry(m.created_at, "email", m.subject);
            e.note = m.status;
            timeline.push(e);
        }
    }
    for a in lead_activity::Entity::find()
        .filter(lead_activity::Column::LeadId.eq(id))
        .order_by_desc(lead_activity::Column::At)
        .limit(500)
        .all(db)
        .await?
    {
        timeline.push(TimelineEntry {
            at: a.at,
            kind: a.kind,
            from: a.from_value,
            to: a.to_value,
            note: a.note,
            by: name_of(a.user_id),
        });
    }
    timeline.sort_by_key(|e| std::cmp::Reverse(e.at));

    let checked_in: HashMap<i32, bool> =
        registrations.iter().map(|r| (r.event_id, r.checked_in_at.is_some())).collect();
    let mut event_views: Vec<LeadEventView> = met
        .iter()
        .filter_map(|m| {
            let e = events.get(&m.event_id)?;
            Some(LeadEventView {
                event_id: e.id,
                title_zh: e.title_zh.clone(),
                title_en: e.title_en.clone(),
                starts_at: e.starts_at,
                source: m.source.clone(),
                checked_in: checked_in.get(&e.id).copied().unwrap_or(false) || m.source == "door",
            })
        })
        .collect();
    event_views.sort_by_key(|e| std::cmp::Reverse(e.starts_at));

    Ok(LeadDetail {
        id: lead.id,
        stage: Stage::parse(&lead.stage).unwrap_or(Stage::New),
        lost_reason: lead.lost_reason.clone(),
        owner_id: lead.owner_id,
        form: form_of(&lead, &tags),
        consent_data_at: lead.consent_data_at,
        consent_data_version: lead.consent_data_version.clone(),
        consent_marketing_at: lead.consent_marketing_at,
        consent_source: lead.consent_source.clone(),
        created_at: lead.created_at,
        events: event_views,
        projects: projects_of(db, id).await?,
        timeline,
        members,
    })
}

/// Replaces a lead's tags.
async fn set_tags(db: &impl ConnectionTrait, lead_id: i32, tags: &[String]) -> Result<(), sea_orm::DbErr> {
    lead_tag::Entity::delete_many().filter(lead_tag::Column::LeadId.eq(lead_id)).exec(db).await?;
    if !tags.is_empty() {
        lead_tag::Entity::insert_many(
            tags.iter().map(|t| lead_tag::ActiveModel { lead_id: Set(lead_id), tag: Set(t.clone()) }),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Another lead of the organization already has `email`: refused, naming the field (the
/// organizer merges the two instead).
async fn check_email_free(
    db: &impl ConnectionTrait,
    org_id: i32,
    email: Option<&str>,
    except: Option<i32>,
) -> Result<(), AppError> {
    let Some(email) = email else { return Ok(()) };
    let mut query =
        lead::Entity::find().filter(lead::Column::OrganizationId.eq(org_id)).filter(lead::Column::Email.eq(email));
    if let Some(id) = except {
        query = query.filter(lead::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(AppError::Conflict(FieldErrors::single("email", Reason::EmailTaken)));
    }
    Ok(())
}

fn set_details(model: &mut lead::ActiveModel, lead: &ValidLead) {
    model.name = Set(lead.name.clone());
    model.email = Set(lead.email.as_ref().map(|e| e.as_str().to_string()));
    model.phone = Set(lead.phone.clone());
    model.job_title = Set(lead.job_title.clone());
    model.language = Set(lead.language.code().to_string());
    model.company = Set(lead.company.clone());
    model.country = Set(lead.country.clone());
    model.sector = Set(lead.sector.clone());
    model.top500 = Set(lead.top500);
    model.industry_chains = Set(IndustryChain::join(&lead.industry_chains));
    model.promotion_method = Set(lead.promotion_method.map(|m| m.as_str().to_string()).unwrap_or_default());
    model.hometown_return = Set(lead.hometown_return);
    model.notes = Set(lead.notes.clone());
}

pub async fn save(db: &DatabaseConnection, member: &Member, id: i32, valid: ValidLead) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let lead = find_owned(&txn, member.organization_id, id).await?;
    check_email_free(&txn, member.organization_id, valid.email.as_ref().map(|e| e.as_str()), Some(id)).await?;
    let mut model: lead::ActiveModel = lead.into();
    set_details(&mut model, &valid);
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    set_tags(&txn, id, &valid.tags).await?;
    txn.commit().await?;
    Ok(())
}

/// Tags `lead_id` with `event_id` as met there (a registration's own source stays).
async fn met_at_event(
    db: &impl ConnectionTrait,
    lead_id: i32,
    event_id: i32,
    registration_id: Option<i32>,
    source: &str,
) -> Result<(), sea_orm::DbErr> {
    lead_event::Entity::insert(lead_event::ActiveModel {
        lead_id: Set(lead_id),
        event_id: Set(event_id),
        registration_id: Set(registration_id),
        source: Set(source.into()),
        created_at: Set(Utc::now()),
    })
    .on_conflict(OnConflict::columns([lead_event::Column::LeadId, lead_event::Column::EventId]).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// How a lead typed by an organizer came in: its consent source, history kind and the
/// source of its event tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Intake {
    /// By hand, or at the door of an event.
    Capture,
    /// From a CSV file.
    Import,
}

/// A lead typed in by an organizer (at the door when `event_id` is set). The same email
/// as an existing lead fills that lead's blanks and adds the note instead of creating a
/// second one.
pub async fn capture(
    db: &DatabaseConnection,
    member: &Member,
    event_id: Option<i32>,
    valid: ValidLead,
) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    let event = match event_id {
        Some(id) => Some(crate::events::ssr::find_owned(&txn, member.organization_id, id).await?),
        None => None,
    };
    let (lead_id, _) = take_in(&txn, member, event.as_ref(), &valid, &[], Intake::Capture).await?;
    txn.commit().await?;
    Ok(lead_id)
}

/// Imports checked rows of a CSV file in one transaction (a chunk of the file is all or
/// nothing): each creates a lead or fills the blanks of the lead with its email. Returns
/// how many leads were created and how many updated.
pub async fn import(
    db: &DatabaseConnection,
    member: &Member,
    event_id: Option<i32>,
    tags: &[String],
    rows: Vec<(u32, ValidLead)>,
) -> Result<(u32, u32), AppError> {
    let txn = begin_write(db).await?;
    let event = match event_id {
        Some(id) => Some(crate::events::ssr::find_owned(&txn, member.organization_id, id).await?),
        None => None,
    };
    let (mut created, mut updated) = (0, 0);
    for (_, valid) in &rows {
        let (_, new) = take_in(&txn, member, event.as_ref(), valid, tags, Intake::Import).await?;
        if new {
            created += 1;
        } else {
            updated += 1;
        }
    }
    txn.commit().await?;
    Ok((created, updated))
}

/// Creates the lead, or fills the blanks of the one with the same email, inside `txn`;
/// tags it with `extra_tags` and with `event` as met there. Returns its id and whether
/// it is new.
async fn take_in(
    txn: &impl ConnectionTrait,
    member: &Member,
    event: Option<&event::Model>,
    valid: &ValidLead,
    extra_tags: &[String],
    intake: Intake,
) -> Result<(i32, bool), AppError> {
    let now = Utc::now();
    let existing = match &valid.email {
        Some(email) => {
            lead::Entity::find()
                .filter(lead::Column::OrganizationId.eq(member.organization_id))
                .filter(lead::Column::Email.eq(email.as_str()))
                .one(txn)
                .await?
        }
        None => None,
    };
    let mut tags = valid.tags.clone();
    tags.extend(extra_tags.iter().filter(|t| !valid.tags.contains(t)).cloned());
    let (lead_id, new) = match existing {
        Some(lead) => {
            let id = lead.id;
            let mut merged = lead.clone();
            fill_blanks(&mut merged, valid);
            if merged != lead {
                let mut model = lead::ActiveModel::from(merged).reset_all();
                model.updated_at = Set(now);
                model.update(txn).await?;
            }
            let mut held = tags_of(txn, id).await?;
            let before = held.len();
            held.extend(tags.iter().filter(|t| !held.contains(t)).cloned().collect::<Vec<_>>());
            if held.len() != before {
                set_tags(txn, id, &held).await?;
            }
            (id, false)
        }
        None => {
            let consent_source = match (intake, event) {
                (Intake::Import, _) => "import",
                (Intake::Capture, Some(_)) => "door",
                (Intake::Capture, None) => "organizer",
            };
            let mut model = lead::ActiveModel {
                organization_id: Set(member.organization_id),
                owner_id: Set(Some(member.user_id)),
                stage: Set(Stage::New.as_str().into()),
                lost_reason: Set(String::new()),
                consent_data_at: Set(None),
                consent_data_version: Set(String::new()),
                consent_marketing_at: Set(None),
                consent_source: Set(consent_source.into()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            set_details(&mut model, valid);
            let saved = model.insert(txn).await?;
            set_tags(txn, saved.id, &tags).await?;
            (saved.id, true)
        }
    };
    let (kind, source) = match intake {
        Intake::Capture => ("captured", "door"),
        Intake::Import => ("imported", "import"),
    };
    if let Some(event) = event {
        met_at_event(txn, lead_id, event.id, None, source).await?;
    }
    let place = event.map(|e| e.title_en.clone()).unwrap_or_default();
    log(txn, lead_id, Some(member.user_id), kind, "", &place, &valid.notes).await?;
    Ok((lead_id, new))
}

/// Fills what a lead lacks from what was captured; notes are appended.
fn fill_blanks(lead: &mut lead::Model, captured: &ValidLead) {
    let fill = |field: &mut String, value: &str| {
        if field.trim().is_empty() {
            *field = value.to_string();
        }
    };
    fill(&mut lead.phone, &captured.phone);
    fill(&mut lead.job_title, &captured.job_title);
    fill(&mut lead.company, &captured.company);
    fill(&mut lead.country, &captured.country);
    fill(&mut lead.sector, &captured.sector);
    if !captured.industry_chains.is_empty() {
        let mut chains = IndustryChain::split(&lead.industry_chains);
        chains.extend(captured.industry_chains.iter().filter(|c| !chains.contains(c)).copied().collect::<Vec<_>>());
        lead.industry_chains = IndustryChain::join(&chains);
    }
    if lead.promotion_method.is_empty()
        && let Some(method) = captured.promotion_method
    {
        lead.promotion_method = method.as_str().into();
    }
    lead.top500 |= captured.top500;
    lead.hometown_return |= captured.hometown_return;
    // The same note twice (a file imported again) is kept once.
    if !captured.notes.trim().is_empty() && !lead.notes.contains(captured.notes.trim()) {
        if !lead.notes.is_empty() {
            lead.notes.push_str("\n\n");
        }
        lead.notes.push_str(captured.notes.trim());
    }
}

/// The guest whose QR code was scanned at the door, as a lead met at that event.
pub async fn capture_code(
    db: &DatabaseConnection,
    member: &Member,
    event_id: i32,
    code: &str,
) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    let event = crate::events::ssr::find_owned(&txn, member.organization_id, event_id).await?;
    let code = code.trim().to_uppercase();
    let reg = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::CheckInCode.eq(code))
        .one(&txn)
        .await?
        .ok_or_else(|| invalid("code", Reason::UnknownCheckInCode))?;
    record_registration(&txn, &event, &reg).await?;
    let lead = lead::Entity::find()
        .filter(lead::Column::OrganizationId.eq(member.organization_id))
        .filter(lead::Column::Email.eq(reg.email.as_str()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    log(&txn, lead.id, Some(member.user_id), "captured", "", &event.title_en, "").await?;
    txn.commit().await?;
    Ok(lead.id)
}

/// The leads among `ids` that belong to the organization.
async fn owned_many(db: &impl ConnectionTrait, org_id: i32, ids: &[i32]) -> Result<Vec<lead::Model>, AppError> {
    if ids.len() > 1000 {
        return Err(invalid("ids", Reason::OutOfRange { min: 1, max: 1000 }));
    }
    Ok(lead::Entity::find()
        .filter(lead::Column::OrganizationId.eq(org_id))
        .filter(lead::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

pub async fn change_stage(
    db: &DatabaseConnection,
    member: &Member,
    ids: &[i32],
    stage: Stage,
    reason: &str,
    note: &str,
) -> Result<(), AppError> {
    if stage == Stage::Lost && reason.is_empty() {
        return Err(invalid("reason", Reason::Required));
    }
    if reason.chars().count() > 500 {
        return Err(invalid("reason", Reason::TooLong { max: 500 }));
    }
    let txn = begin_write(db).await?;
    let leads = owned_many(&txn, member.organization_id, ids).await?;
    if leads.is_empty() {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    for lead in leads {
        if lead.stage == stage.as_str() {
            continue;
        }
        let (id, from) = (lead.id, lead.stage.clone());
        let mut model: lead::ActiveModel = lead.into();
        model.stage = Set(stage.as_str().into());
        model.lost_reason = Set(if stage == Stage::Lost { reason.to_string() } else { String::new() });
        model.updated_at = Set(now);
        model.update(&txn).await?;
        let note = [reason, note].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" — ");
        log(&txn, id, Some(member.user_id), "stage", &from, stage.as_str(), &note).await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn change_owner(db: &DatabaseConnection, member: &Member, ids: &[i32], owner: &str) -> Result<(), AppError> {
    let members = members(db, member.organization_id).await?;
    let owner = match owner {
        "" | "none" => None,
        id => {
            let id = id.parse::<i32>().map_err(|_| invalid("owner", Reason::UnknownChoice))?;
            Some(members.iter().find(|(m, _)| *m == id).ok_or_else(|| invalid("owner", Reason::UnknownChoice))?)
        }
    };
    let name_of = |id: Option<i32>| id.and_then(|id| members.iter().find(|(m, _)| *m == id).map(|(_, n)| n.clone()));
    let txn = begin_write(db).await?;
    let leads = owned_many(&txn, member.organization_id, ids).await?;
    if leads.is_empty() {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    for lead in leads {
        let to = owner.map(|(id, _)| *id);
        if lead.owner_id == to {
            continue;
        }
        let (id, from) = (lead.id, name_of(lead.owner_id).unwrap_or_default());
        let mut model: lead::ActiveModel = lead.into();
        model.owner_id = Set(to);
        model.updated_at = Set(now);
        model.update(&txn).await?;
        let to_name = owner.map(|(_, n)| n.clone()).unwrap_or_default();
        log(&txn, id, Some(member.user_id), "owner", &from, &to_name, "").await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn add_note(db: &DatabaseConnection, member: &Member, id: i32, note: &str) -> Result<(), AppError> {
    let note = crate::domain::text(note, true, 10_000).map_err(|r| invalid("note", r))?;
    let txn = begin_write(db).await?;
    find_owned(&txn, member.organization_id, id).await?;
    log(&txn, id, Some(member.user_id), "note", "", "", &note).await?;
    touch(&txn, id).await?;
    txn.commit().await?;
    Ok(())
}

async fn touch(db: &impl ConnectionTrait, id: i32) -> Result<(), sea_orm::DbErr> {
    lead::Entity::update_many()
        .col_expr(lead::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(lead::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Merges `other` into `keep`: events, tags, history and projects move over, blanks of
/// `keep` are filled from `other`, and `other` is deleted.
pub async fn merge(db: &DatabaseConnection, member: &Member, keep: i32, other: i32) -> Result<(), AppError> {
    if keep == other {
        return Err(invalid("other", Reason::UnknownChoice));
    }
    let txn = begin_write(db).await?;
    let kept = find_owned(&txn, member.organization_id, keep).await?;
    let gone = find_owned(&txn, member.organization_id, other).await?;

    // Events both were met at stay once, on the kept lead.
    let kept_events: Vec<i32> = lead_event::Entity::find()
        .filter(lead_event::Column::LeadId.eq(keep))
        .all(&txn)
        .await?
        .iter()
        .map(|m| m.event_id)
        .collect();
    lead_event::Entity::delete_many()
        .filter(lead_event::Column::LeadId.eq(other))
        .filter(lead_event::Column::EventId.is_in(kept_events))
        .exec(&txn)
        .await?;
    lead_event::Entity::update_many()
        .col_expr(lead_event::Column::LeadId, Expr::value(keep))
        .filter(lead_event::Column::LeadId.eq(other))
        .exec(&txn)
        .await?;
    let mut tags = tags_of(&txn, keep).await?;
    tags.extend(tags_of(&txn, other).await?.into_iter().filter(|t| !tags.contains(t)).collect::<Vec<_>>());
    lead_tag::Entity::delete_many().filter(lead_tag::Column::LeadId.eq(other)).exec(&txn).await?;
    set_tags(&txn, keep, &tags).await?;
    lead_activity::Entity::update_many()
        .col_expr(lead_activity::Column::LeadId, Expr::value(keep))
        .filter(lead_activity::Column::LeadId.eq(other))
        .exec(&txn)
        .await?;
    project::Entity::update_many()
        .col_expr(project::Column::LeadId, Expr::value(keep))
        .filter(project::Column::LeadId.eq(other))
        .exec(&txn)
        .await?;

    let described = match &gone.email {
        Some(email) => format!("{} <{email}>", gone.name),
        None => gone.name.clone(),
    };
    let gone_email = gone.email.clone();
    let mut merged = kept.clone();
    fill_blanks(
        &mut merged,
        &ValidLead {
            name: gone.name.clone(),
            email: None,
            phone: gone.phone.clone(),
            job_title: gone.job_title.clone(),
            language: crate::i18n::Lang::parse(&gone.language).unwrap_or_default(),
            company: gone.company.clone(),
            country: gone.country.clone(),
            sector: gone.sector.clone(),
            top500: gone.top500,
            industry_chains: IndustryChain::split(&gone.industry_chains),
            promotion_method: super::PromotionMethod::parse(&gone.promotion_method),
            hometown_return: gone.hometown_return,
            tags: vec![],
            notes: gone.notes.clone(),
        },
    );
    if merged.owner_id.is_none() {
        merged.owner_id = gone.owner_id;
    }
    // The further along of the two stages stays (a lost lead yields to a live one).
    let rank = |s: &str| Stage::parse(s).map(|s| if s == Stage::Lost { -1 } else { s as i32 }).unwrap_or(0);
    if rank(&gone.stage) > rank(&merged.stage) {
        merged.stage = gone.stage.clone();
        merged.lost_reason = String::new();
    }
    lead::Entity::delete_by_id(other).exec(&txn).await?;
    if merged.email.is_none() {
        merged.email = gone_email;
    }
    let mut model = lead::ActiveModel::from(merged).reset_all();
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    log(&txn, keep, Some(member.user_id), "merged", &described, "", "").await?;
    txn.commit().await?;
    Ok(())
}

pub async fn bulk(db: &DatabaseConnection, member: &Member, change: &BulkForm) -> Result<u64, AppError> {
    let ids: Vec<i32> = change.ids.keys().filter_map(|k| k.parse().ok()).collect();
    if ids.is_empty() {
        return Err(invalid("ids", Reason::Required));
    }
    let count = owned_many(db, member.organization_id, &ids).await?.len() as u64;
    if count == 0 {
        return Err(AppError::NotFound);
    }
    match change.action.as_str() {
        "owner" => change_owner(db, member, &ids, change.value.trim()).await?,
        "stage" => {
            let stage = Stage::parse(&change.value).ok_or_else(|| invalid("value", Reason::UnknownChoice))?;
            change_stage(db, member, &ids, stage, "", "").await?
        }
        "add_tag" | "remove_tag" => {
            let tags = super::parse_tags(&change.value).map_err(|r| invalid("value", r))?;
            let [tag] = tags.as_slice() else { return Err(invalid("value", Reason::Required)) };
            let txn = begin_write(db).await?;
            let leads = owned_many(&txn, member.organization_id, &ids).await?;
            let lead_ids: Vec<i32> = leads.iter().map(|l| l.id).collect();
            lead_tag::Entity::delete_many()
                .filter(lead_tag::Column::LeadId.is_in(lead_ids.clone()))
                .filter(lead_tag::Column::Tag.eq(tag.as_str()))
                .exec(&txn)
                .await?;
            if change.action == "add_tag" {
                lead_tag::Entity::insert_many(
                    lead_ids.iter().map(|id| lead_tag::ActiveModel { lead_id: Set(*id), tag: Set(tag.clone()) }),
                )
                .exec_without_returning(&txn)
                .await?;
            }
            lead::Entity::update_many()
                .col_expr(lead::Column::UpdatedAt, Expr::value(Utc::now()))
                .filter(lead::Column::Id.is_in(lead_ids))
                .exec(&txn)
                .await?;
            txn.commit().await?;
        }
        _ => return Err(invalid("action", Reason::UnknownChoice)),
    }
    Ok(count)
}

/// The project `project_id` of a lead of the organization, with that lead.
async fn owned_project(db: &impl ConnectionTrait, org_id: i32, project_id: i32) -> Result<project::Model, AppError> {
    let project = project::Entity::find_by_id(project_id).one(db).await?.ok_or(AppError::NotFound)?;
    find_owned(db, org_id, project.lead_id).await?;
    Ok(project)
}

pub async fn save_project(
    db: &DatabaseConnection,
    member: &Member,
    lead_id: i32,
    project_id: Option<i32>,
    valid: ValidProject,
) -> Result<i32, AppError> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    find_owned(&txn, member.organization_id, lead_id).await?;
    let (mut model, before): (project::ActiveModel, Option<i64>) = match project_id {
        Some(id) => {
            let project = owned_project(&txn, member.organization_id, id).await?;
            if project.lead_id != lead_id {
                return Err(AppError::NotFound);
            }
            let before = project.planned_investment;
            (project.into(), Some(before))
        }
        None => (project::ActiveModel { lead_id: Set(lead_id), created_at: Set(now), ..Default::default() }, None),
    };
    model.name = Set(valid.name.clone());
    model.industry_chain = Set(valid.industry_chain.map(|c| c.slug().to_string()).unwrap_or_default());
    model.location = Set(valid.location);
    model.planned_investment = Set(valid.planned_investment);
    model.signed_on = Set(valid.signed_on);
    model.updated_at = Set(now);
    let saved = model.save(&txn).await?;
    let id = *saved.id.as_ref();
    if before != Some(valid.planned_investment) {
        let from = before.map(|b| b.to_string()).unwrap_or_default();
        log(&txn, lead_id, Some(member.user_id), "amount", &from, &valid.planned_investment.to_string(), &valid.name)
            .await?;
    }
    touch(&txn, lead_id).await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn add_tranche(
    db: &DatabaseConnection,
    member: &Member,
    project_id: i32,
    amount: i64,
    received_on: NaiveDate,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let project = owned_project(&txn, member.organization_id, project_id).await?;
    funding_tranche::ActiveModel {
        project_id: Set(project.id),
        amount: Set(amount),
        received_on: Set(received_on),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    log(
        &txn,
        project.lead_id,
        Some(member.user_id),
        "funds",
        &received_on.to_string(),
        &amount.to_string(),
        &project.name,
    )
    .await?;
    touch(&txn, project.lead_id).await?;
    txn.commit().await?;
    Ok(())
}

/// A person's registrations at the organization's events, by their normalized email.
async fn registrations_of(
    db: &impl ConnectionTrait,
    org_id: i32,
    email: &str,
) -> Result<Vec<registration::Model>, sea_orm::DbErr> {
    let org_events = Query::select()
        .column(event::Column::Id)
        .from(event::Entity)
        .and_where(event::Column::OrganizationId.eq(org_id))
        .to_owned();
    registration::Entity::find()
        .filter(registration::Column::Email.eq(email))
        .filter(registration::Column::EventId.in_subquery(org_events))
        .all(db)
        .await
}

/// Everything the organization holds about a lead's person, as JSON (the right of access).
pub async fn export_person(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<serde_json::Value, AppError> {
    let detail = detail(db, org_id, id).await?;
    let registrations = match &detail.form.email {
        email if !email.is_empty() => registrations_of(db, org_id, email).await?,
        _ => vec![],
    };
    let registrations: Vec<serde_json::Value> = registrations
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "event_id": r.event_id,
                "name": r.name,
                "email": r.email,
                "phone": r.phone,
                "company": r.company,
                "job_title": r.job_title,
                "country": r.country,
                "industry_chains": r.industry_chains,
                "language": r.language,
                "status": r.status,
                "answers": serde_json::from_str::<serde_json::Value>(&r.answers).unwrap_or_default(),
                "registered_at": r.created_at,
                "checked_in_at": r.checked_in_at,
                "consent": {
                    "data_use_at": r.consent_data_at,
                    "wording_version": r.consent_data_version,
                    "follow_up_emails_at": r.consent_marketing_at,
                    "source": r.consent_source,
                },
            })
        })
        .collect();
    Ok(serde_json::json!({
        "exported_at": Utc::now(),
        "lead": {
            "details": detail.form,
            "stage": detail.stage,
            "created_at": detail.created_at,
            "consent": {
                "data_use_at": detail.consent_data_at,
                "wording_version": detail.consent_data_version,
                "follow_up_emails_at": detail.consent_marketing_at,
                "source": detail.consent_source,
            },
        },
        "events": detail.events,
        "projects": detail.projects,
        "history": detail.timeline,
        "registrations": registrations,
    }))
}

/// Erases a person (the right to erasure): their lead is anonymized with its history of
/// notes, their registrations at the organization's events lose every personal detail,
/// emails to them still queued are cancelled and sent ones emptied, and their address is
/// suppressed (by hash) so no marketing email reaches it again. One transaction.
pub async fn erase(db: &DatabaseConnection, member: &Member, id: i32) -> Result<(), AppError> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let lead = find_owned(&txn, member.organization_id, id).await?;
    let erased = "—".to_string();
    if let Some(email) = &lead.email {
        for r in registrations_of(&txn, member.organization_id, email).await? {
            let rid = r.id;
            let mut model: registration::ActiveModel = r.into();
            model.email = Set(format!("erased-{rid}@erased.invalid"));
            model.name = Set(erased.clone());
            model.phone = Set(String::new());
            model.company = Set(String::new());
            model.job_title = Set(String::new());
            model.country = Set(String::new());
            model.answers = Set("{}".into());
            model.time_zone = Set(String::new());
            model.updated_at = Set(now);
            model.update(&txn).await?;
        }
        outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Status, Expr::value(crate::mail::OutboxStatus::Failed.as_str()))
            .col_expr(outbox_message::Column::LastError, Expr::value(crate::mail::ERASED))
            .filter(outbox_message::Column::OrganizationId.eq(member.organization_id))
            .filter(outbox_message::Column::ToAddress.eq(email.as_str()))
            .filter(
                outbox_message::Column::Status
                    .is_not_in([crate::mail::OutboxStatus::Sent.as_str(), crate::mail::OutboxStatus::Failed.as_str()]),
            )
            .exec(&txn)
            .await?;
        outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::ToAddress, Expr::value("erased@erased.invalid"))
            .col_expr(outbox_message::Column::ToName, Expr::value(""))
            .col_expr(outbox_message::Column::Subject, Expr::value(erased.clone()))
            .col_expr(outbox_message::Column::TextBody, Expr::value(""))
            .col_expr(outbox_message::Column::HtmlBody, Expr::value(""))
            .col_expr(outbox_message::Column::Calendar, Expr::value(Option::<String>::None))
            .filter(outbox_message::Column::OrganizationId.eq(member.organization_id))
            .filter(outbox_message::Column::ToAddress.eq(email.as_str()))
            .exec(&txn)
            .await?;
        // The record of follow-ups and campaigns keeps that the person was dealt with
        // (so nothing goes out twice), under a hash instead of the address.
        marketing_send::Entity::update_many()
            .col_expr(
                marketing_send::Column::Address,
                Expr::value(format!("erased-{}", crate::marketing::ssr::address_hash(email))),
            )
            .filter(marketing_send::Column::Address.eq(email.as_str()))
            .filter(
                Condition::any()
                    .add(
                        marketing_send::Column::RuleId.in_subquery(
                            Query::select()
                                .column(follow_up_rule::Column::Id)
                                .from(follow_up_rule::Entity)
                                .and_where(follow_up_rule::Column::OrganizationId.eq(member.organization_id))
                                .to_owned(),
                        ),
                    )
                    .add(
                        marketing_send::Column::CampaignId.in_subquery(
                            Query::select()
                                .column(campaign::Column::Id)
                                .from(campaign::Entity)
                                .and_where(campaign::Column::OrganizationId.eq(member.organization_id))
                                .to_owned(),
                        ),
                    ),
            )
            .exec(&txn)
            .await?;
        crate::marketing::ssr::suppress(&txn, email, "erased").await?;
    }
    lead_activity::Entity::delete_many().filter(lead_activity::Column::LeadId.eq(id)).exec(&txn).await?;
    lead_tag::Entity::delete_many().filter(lead_tag::Column::LeadId.eq(id)).exec(&txn).await?;
    let mut model: lead::ActiveModel = lead.into();
    model.email = Set(None);
    model.name = Set(erased);
    model.phone = Set(String::new());
    model.job_title = Set(String::new());
    model.notes = Set(String::new());
    model.consent_data_at = Set(None);
    model.consent_marketing_at = Set(None);
    model.updated_at = Set(now);
    model.update(&txn).await?;
    log(&txn, id, Some(member.user_id), "erased", "", "", "").await?;
    txn.commit().await?;
    Ok(())
}
