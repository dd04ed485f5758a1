//! Leads (list and search, read, create, change, move through the pipeline) and their
//! projects and funding tranches. Bodies use the organizer's form fields and rules.

use std::collections::BTreeMap;

use app::domain::Stage;
use app::entities::{funding_tranche, lead, project};
use app::error::{AppError, FieldErrors, Reason};
use app::leads::{LeadForm, ProjectForm};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, response::IntoResponse};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::caller::Caller;
use super::problem::{ApiError, Body, Id, Problem, Query};
use super::{Page, after_cursor, cut, page_of};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_leads, create_lead))
        .routes(routes!(get_lead, update_lead))
        .routes(routes!(change_stage))
        .routes(routes!(list_projects))
        .routes(routes!(get_project))
        .routes(routes!(create_project))
        .routes(routes!(add_tranche))
}

/// A person the organization met or captured, one per email.
#[derive(Serialize, ToSchema)]
pub struct Lead {
    pub id: i32,
    pub email: Option<String>,
    pub name: String,
    pub job_title: String,
    pub phone: String,
    /// `zh` or `en`.
    pub language: String,
    pub company: String,
    pub country: String,
    pub sector: String,
    pub top500: bool,
    pub industry_chains: Vec<String>,
    pub hometown_return: bool,
    pub notes: String,
    /// `new`, `contacted`, `site_visit`, `intent_signed`, `contract_signed`, `funds_in_place` or `lost`.
    #[schema(example = "contacted")]
    pub stage: String,
    pub lost_reason: String,
    pub marketing_consent: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn lead_of(l: lead::Model) -> Lead {
    Lead {
        id: l.id,
        email: l.email,
        name: l.name,
        job_title: l.job_title,
        phone: l.phone,
        language: l.language.code().to_string(),
        company: l.company,
        country: l.country,
        sector: l.sector,
        top500: l.top500,
        industry_chains: l.industry_chains.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        hometown_return: l.hometown_return,
        notes: l.notes,
        stage: l.stage.as_str().to_string(),
        lost_reason: l.lost_reason,
        marketing_consent: l.consent_marketing_at.is_some(),
        created_at: l.created_at,
        updated_at: l.updated_at,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct LeadQuery {
    /// Words found in the name, email or company.
    q: Option<String>,
    stage: Option<String>,
    /// Only leads changed at or after this time (RFC 3339).
    updated_since: Option<DateTime<Utc>>,
    cursor: Option<String>,
    /// At most 100 (the default).
    limit: Option<u64>,
}

/// The organization's leads, oldest first, a page at a time.
#[utoipa::path(get, path = "/leads", tag = "leads", params(LeadQuery),
    responses((status = 200, body = Page<Lead>), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn list_leads(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<LeadQuery>,
) -> Result<Json<Page<Lead>>, ApiError> {
    let mut query = lead::Entity::find().filter(lead::Column::OrganizationId.eq(caller.org()));
    if let Some(stage) = q.stage.as_deref().filter(|s| !s.is_empty()) {
        let stage = Stage::parse(stage)
            .ok_or_else(|| caller.fail(AppError::Invalid(FieldErrors::single("stage", Reason::UnknownChoice))))?;
        query = query.filter(lead::Column::Stage.eq(stage.as_str()));
    }
    for word in q.q.as_deref().unwrap_or("").split_whitespace().take(8) {
        query = query.filter(
            Condition::any()
                .add(lead::Column::Name.contains(word))
                .add(lead::Column::Email.contains(word.to_lowercase()))
                .add(lead::Column::Company.contains(word)),
        );
    }
    if let Some(since) = q.updated_since {
        query = query.filter(lead::Column::UpdatedAt.gte(since));
    }
    let (after, limit) = after_cursor(q.cursor.as_deref(), q.limit).map_err(|e| caller.fail(e))?;
    let rows = query
        .filter(lead::Column::Id.gt(after))
        .order_by_asc(lead::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?;
    Ok(Json(page_of(rows, limit, |l| l.id, lead_of)))
}

async fn owned(state: &AppState, caller: &Caller, id: i32) -> Result<lead::Model, ApiError> {
    lead::Entity::find_by_id(id)
        .filter(lead::Column::OrganizationId.eq(caller.org()))
        .one(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?
        .ok_or_else(|| caller.fail(AppError::NotFound))
}

#[utoipa::path(get, path = "/leads/{id}", tag = "leads", params(("id" = i32, Path)),
    responses((status = 200, body = Lead), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_lead(State(state): State<AppState>, caller: Caller, Id(id): Id) -> Result<Json<Lead>, ApiError> {
    Ok(Json(lead_of(owned(&state, &caller, id).await?)))
}

/// A lead's fields; creating, `name` at least; changing, only the fields to change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    /// `zh` or `en`.
    pub language: Option<String>,
    pub company: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub sector: Option<String>,
    pub top500: Option<bool>,
    pub industry_chains: Option<Vec<String>>,
    /// `visit`, `agency`, `online`, … (as in the organizer's form).
    pub promotion_method: Option<String>,
    pub hometown_return: Option<bool>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<String>,
}

impl LeadInput {
    fn apply(self, form: &mut LeadForm) {
        let set = |target: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *target = value;
            }
        };
        let flag = |on: bool| if on { "on".to_string() } else { String::new() };
        set(&mut form.name, self.name);
        set(&mut form.email, self.email);
        set(&mut form.phone, self.phone);
        set(&mut form.job_title, self.job_title);
        set(&mut form.language, self.language);
        set(&mut form.company, self.company);
        set(&mut form.country, self.country);
        set(&mut form.sector, self.sector);
        set(&mut form.top500, self.top500.map(flag));
        if let Some(chains) = self.industry_chains {
            form.industry_chains = chains.into_iter().map(|c| (c, "on".to_string())).collect::<BTreeMap<_, _>>();
        }
        set(&mut form.promotion_method, self.promotion_method);
        set(&mut form.hometown_return, self.hometown_return.map(flag));
        set(&mut form.tags, self.tags.map(|t| t.join(",")));
        set(&mut form.notes, self.notes);
    }
}

/// Creates a lead; the same email as an existing lead fills that lead's blanks instead.
#[utoipa::path(post, path = "/leads", tag = "leads", request_body = LeadInput,
    responses((status = 201, body = Lead), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_lead(
    State(state): State<AppState>,
    caller: Caller,
    Body(input): Body<LeadInput>,
) -> Result<impl IntoResponse, ApiError> {
    let member = caller.writer()?;
    let mut form = LeadForm { language: "zh".into(), ..LeadForm::default() };
    input.apply(&mut form);
    let valid = form.parse().map_err(|e| caller.fail(AppError::Invalid(e)))?;
    let id = app::leads::ssr::capture(&state.db, member, None, valid).await.map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(lead_of(owned(&state, &caller, id).await?))))
}

#[utoipa::path(patch, path = "/leads/{id}", tag = "leads", params(("id" = i32, Path)), request_body = LeadInput,
    responses((status = 200, body = Lead), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_lead(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(input): Body<LeadInput>,
) -> Result<Json<Lead>, ApiError> {
    let member = caller.writer()?;
    let detail = app::leads::ssr::detail(&state.db, caller.org(), id).await.map_err(|e| caller.fail(e))?;
    let mut form = detail.form;
    input.apply(&mut form);
    let valid = form.parse().map_err(|e| caller.fail(AppError::Invalid(e)))?;
    app::leads::ssr::save(&state.db, member, id, valid).await.map_err(|e| caller.fail(e))?;
    Ok(Json(lead_of(owned(&state, &caller, id).await?)))
}

/// A move through the pipeline.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    #[schema(example = "site_visit")]
    pub stage: String,
    /// Required when the stage is `lost`.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/leads/{id}/stage", tag = "leads", params(("id" = i32, Path)), request_body = StageChange,
    responses((status = 200, body = Lead), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn change_stage(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(change): Body<StageChange>,
) -> Result<Json<Lead>, ApiError> {
    let member = caller.writer()?;
    owned(&state, &caller, id).await?;
    let stage = Stage::parse(&change.stage)
        .ok_or_else(|| caller.fail(AppError::Invalid(FieldErrors::single("stage", Reason::UnknownChoice))))?;
    app::leads::ssr::change_stage(&state.db, member, &[id], stage, change.reason.trim(), change.note.trim())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(lead_of(owned(&state, &caller, id).await?)))
}

/// A project signed (or being negotiated) with a lead.
#[derive(Serialize, ToSchema)]
pub struct Project {
    pub id: i32,
    pub lead_id: i32,
    pub name: String,
    pub industry_chain: String,
    pub location: String,
    /// In yuan.
    pub planned_investment_yuan: i64,
    pub signed_on: Option<NaiveDate>,
    pub unit_id: Option<i32>,
    pub registered_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub tranches: Vec<Tranche>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Money in place for a project.
#[derive(Serialize, ToSchema)]
pub struct Tranche {
    pub id: i32,
    /// In yuan.
    pub amount_yuan: i64,
    pub received_on: NaiveDate,
    pub verified: bool,
    pub created_at: DateTime<Utc>,
}

fn project_of(p: project::Model, tranches: Vec<funding_tranche::Model>) -> Project {
    Project {
        id: p.id,
        lead_id: p.lead_id,
        name: p.name,
        industry_chain: p.industry_chain,
        location: p.location,
        planned_investment_yuan: p.planned_investment,
        signed_on: p.signed_on,
        unit_id: p.unit_id,
        registered_on: p.registered_on,
        started_on: p.started_on,
        producing_on: p.producing_on,
        tranches: tranches
            .into_iter()
            .map(|t| Tranche {
                id: t.id,
                amount_yuan: t.amount,
                received_on: t.received_on,
                verified: t.verified_at.is_some(),
                created_at: t.created_at,
            })
            .collect(),
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

async fn with_tranches(
    state: &AppState,
    caller: &Caller,
    projects: Vec<project::Model>,
) -> Result<Vec<Project>, ApiError> {
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let tranches = funding_tranche::Entity::find()
        .filter(funding_tranche::Column::ProjectId.is_in(ids))
        .order_by_asc(funding_tranche::Column::Id)
        .all(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?;
    Ok(projects
        .into_iter()
        .map(|p| {
            let own = tranches.iter().filter(|t| t.project_id == p.id).cloned().collect();
            project_of(p, own)
        })
        .collect())
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Only projects changed at or after this time (RFC 3339).
    updated_since: Option<DateTime<Utc>>,
    cursor: Option<String>,
    /// At most 100 (the default).
    limit: Option<u64>,
}

/// The organization's projects with their tranches, a page at a time.
#[utoipa::path(get, path = "/projects", tag = "projects", params(ProjectQuery),
    responses((status = 200, body = Page<Project>), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 422, body = Problem)))]
async fn list_projects(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ProjectQuery>,
) -> Result<Json<Page<Project>>, ApiError> {
    let (after, limit) = after_cursor(q.cursor.as_deref(), q.limit).map_err(|e| caller.fail(e))?;
    let leads = lead::Entity::find()
        .select_only()
        .column(lead::Column::Id)
        .filter(lead::Column::OrganizationId.eq(caller.org()))
        .into_query();
    let mut query = project::Entity::find()
        .filter(project::Column::LeadId.in_subquery(leads))
        .filter(project::Column::Id.gt(after));
    if let Some(since) = q.updated_since {
        query = query.filter(project::Column::UpdatedAt.gte(since));
    }
    let rows = query
        .order_by_asc(project::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?;
    let (rows, next_cursor) = cut(rows, limit, |p| p.id);
    let items = with_tranches(&state, &caller, rows).await?;
    Ok(Json(Page { items, next_cursor }))
}

async fn owned_project(state: &AppState, caller: &Caller, id: i32) -> Result<project::Model, ApiError> {
    let project = project::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .map_err(|e| caller.fail(e.into()))?
        .ok_or_else(|| caller.fail(AppError::NotFound))?;
    owned(state, caller, project.lead_id).await?;
    Ok(project)
}

/// One of the organization's projects with its tranches.
async fn project_with_tranches(state: &AppState, caller: &Caller, id: i32) -> Result<Project, ApiError> {
    let project = owned_project(state, caller, id).await?;
    let mut list = with_tranches(state, caller, vec![project]).await?;
    list.pop().ok_or_else(|| caller.fail(AppError::NotFound))
}

#[utoipa::path(get, path = "/projects/{id}", tag = "projects", params(("id" = i32, Path)),
    responses((status = 200, body = Project), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_project(State(state): State<AppState>, caller: Caller, Id(id): Id) -> Result<Json<Project>, ApiError> {
    Ok(Json(project_with_tranches(&state, &caller, id).await?))
}

/// A new project of a lead, as the organizer's project form takes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    #[serde(default)]
    pub name: String,
    /// An industry chain slug, or empty.
    #[serde(default)]
    pub industry_chain: String,
    #[serde(default)]
    pub location: String,
    /// In 亿元 (CNY 100 million), up to two decimals.
    #[schema(example = "3.5")]
    #[serde(default)]
    pub planned_investment_yi: String,
    /// `YYYY-MM-DD`, empty while not signed.
    #[serde(default)]
    pub signed_on: String,
    pub unit_id: Option<i32>,
    /// Unified social credit code, if known.
    #[serde(default)]
    pub credit_code: String,
}

#[utoipa::path(post, path = "/leads/{id}/projects", tag = "projects", params(("id" = i32, Path)), request_body = ProjectInput,
    responses((status = 201, body = Project), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_project(
    State(state): State<AppState>,
    caller: Caller,
    Id(lead_id): Id,
    Body(input): Body<ProjectInput>,
) -> Result<impl IntoResponse, ApiError> {
    let member = caller.writer()?;
    let form = ProjectForm {
        name: input.name,
        industry_chain: input.industry_chain,
        location: input.location,
        planned_investment: input.planned_investment_yi,
        signed_on: input.signed_on,
        unit_id: input.unit_id.map(|id| id.to_string()).unwrap_or_default(),
        credit_code: input.credit_code,
        ..ProjectForm::default()
    };
    let valid = form.parse().map_err(|e| caller.fail(AppError::Invalid(e)))?;
    let id =
        app::leads::ssr::save_project(&state.db, member, lead_id, None, valid).await.map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(project_with_tranches(&state, &caller, id).await?)))
}

/// Money received for a project.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrancheInput {
    /// In 亿元, above zero, up to two decimals.
    #[schema(example = "0.8")]
    pub amount_yi: String,
    #[schema(example = "2026-06-30")]
    pub received_on: String,
}

#[utoipa::path(post, path = "/projects/{id}/tranches", tag = "projects", params(("id" = i32, Path)), request_body = TrancheInput,
    responses((status = 201, body = Project), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_tranche(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(input): Body<TrancheInput>,
) -> Result<impl IntoResponse, ApiError> {
    let member = caller.writer()?;
    owned_project(&state, &caller, id).await?;
    let (amount, received_on) = app::leads::parse_tranche(&input.amount_yi, &input.received_on)
        .map_err(|e| caller.fail(AppError::Invalid(e)))?;
    app::leads::ssr::add_tranche(&state.db, member, id, amount, received_on).await.map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(project_with_tranches(&state, &caller, id).await?)))
}
