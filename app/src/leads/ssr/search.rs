//! Finding leads: the filter every list, export, board and campaign shares, sorting,
//! one page of the list with its totals, the CSV export and the pipeline board.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
    sea_query::{Expr, ExprTrait, LikeExpr, Query},
};

use crate::domain::IndustryChain;
use crate::entities::{event, funding_tranche, lead, lead_event, lead_tag, project};
use crate::error::{AppError, Reason};
use crate::leads::{BoardColumn, Credit, LeadFilter, LeadList, LeadRow, Stage};

use super::invalid;

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
    if crate::leads::on(filter.top500.trim()) {
        query = query.filter(lead::Column::Top500.eq(true));
    }
    if crate::leads::on(filter.hometown.trim()) {
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
pub(super) async fn members(db: &DatabaseConnection, org_id: i32) -> Result<Vec<(i32, String)>, AppError> {
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
            stage: l.stage,
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
