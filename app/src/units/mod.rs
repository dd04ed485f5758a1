//! Promotion units: the counties and districts, parks, townships, industry-chain task
//! forces and departments that an organization's targets and credit go to, optionally one
//! under another. A member may work for one unit; a project is credited to one (the unit
//! that reported it first), and so is a company, by its unified social credit code.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::MemberRow;
use crate::domain;
use crate::error::{AppError, FieldErrors, Reason};
use crate::i18n::Lang;

pub use crate::domain::UnitKind;

/// A unit as its form posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitForm {
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    /// The id of the unit it belongs under, empty for none.
    pub parent_id: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidUnit {
    pub kind: UnitKind,
    pub name_zh: String,
    pub name_en: String,
    pub parent_id: Option<i32>,
}

impl UnitForm {
    pub fn parse(&self) -> Result<ValidUnit, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = e.check("kind", UnitKind::parse(&self.kind).ok_or(Reason::UnknownChoice));
        let name_zh = e.check("name_zh", domain::text(&self.name_zh, true, 100));
        let name_en = e.check("name_en", domain::text(&self.name_en, false, 100));
        let parent_id = match self.parent_id.trim() {
            "" => Some(None),
            id => e.check("parent_id", id.parse::<i32>().map(Some).map_err(|_| Reason::UnknownChoice)),
        };
        match (kind, name_zh, name_en, parent_id) {
            (Some(kind), Some(name_zh), Some(name_en), Some(parent_id)) if e.is_empty() => {
                Ok(ValidUnit { kind, name_zh, name_en, parent_id })
            }
            _ => Err(e),
        }
    }
}

crate::error::parsed_from!(UnitForm => ValidUnit);

/// One unit in the organization's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: UnitKind,
    pub name_zh: String,
    pub name_en: String,
    /// How many units up to the top (0 for a top unit).
    pub depth: u32,
    pub members: u64,
    pub projects: u64,
}

impl UnitRow {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }
}

/// The organization's units, each under its parent (depth first, by Chinese name), and
/// its members.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Units {
    pub units: Vec<UnitRow>,
    /// Every member, with the unit they work for.
    pub members: Vec<MemberRow>,
    pub settings: FigureSettings,
}

/// How the organization's figures count: when a late project turns red, and whether funds
/// in place count only once verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureSettings {
    pub overdue_red_days: i32,
    pub verified_funds_only: bool,
}

impl Default for FigureSettings {
    fn default() -> Self {
        FigureSettings { overdue_red_days: crate::domain::DEFAULT_OVERDUE_RED_DAYS, verified_funds_only: false }
    }
}

/// The settings as their form posts them (`verified_funds_only=on` when checked).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FigureSettingsForm {
    pub overdue_red_days: String,
    pub verified_funds_only: String,
}

impl FigureSettingsForm {
    pub fn parse(&self) -> Result<FigureSettings, FieldErrors> {
        let mut e = FieldErrors::default();
        let days = e.check("overdue_red_days", crate::domain::integer(&self.overdue_red_days, 1, 3650));
        if !e.is_empty() {
            return Err(e);
        }
        Ok(FigureSettings {
            overdue_red_days: days.unwrap_or_default() as i32,
            verified_funds_only: !self.verified_funds_only.trim().is_empty(),
        })
    }
}

impl Units {
    pub fn name_of(&self, id: i32, lang: Lang) -> Option<&str> {
        self.units.iter().find(|u| u.id == id).map(|u| u.name(lang))
    }
}

#[server(prefix = "/api", endpoint = "units/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_units() -> Result<Units, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list(&db, member.organization_id).await
}

/// Creates a unit, or changes unit `id`. Owners only.
#[server(prefix = "/api", endpoint = "units/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_unit(#[server(default)] id: Option<i32>, form: UnitForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    let valid = ValidUnit::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save(&db, member.organization_id, id, valid).await.map_err(|e| e.with_values(&form))
}

/// How the organization's figures count.
#[server(prefix = "/api", endpoint = "units/figure-settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_figure_settings() -> Result<FigureSettings, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::settings(&db, member.organization_id).await
}

/// Changes how the organization's figures count. Owners only.
#[server(prefix = "/api", endpoint = "units/settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_figure_settings(form: FigureSettingsForm) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    let valid = form.parse().map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save_settings(&db, member.organization_id, valid).await
}

/// Deletes an empty unit (no projects, no units under it); its members work for no unit.
#[server(prefix = "/api", endpoint = "units/delete")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn delete_unit(id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    ssr::delete(&db, member.organization_id, id).await
}

/// Sets the unit a member works for (`unit_id` empty: none). Owners only.
#[server(prefix = "/api", endpoint = "units/assign")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn assign_member(user_id: i32, unit_id: String) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_role(crate::auth::Role::Owner).await?;
    let unit_id = match unit_id.trim() {
        "" => None,
        id => Some(
            id.parse::<i32>().map_err(|_| AppError::Invalid(FieldErrors::single("unit_id", Reason::UnknownChoice)))?,
        ),
    };
    ssr::assign(&db, member.organization_id, user_id, unit_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_needs_a_kind_and_a_chinese_name() {
        let form =
            UnitForm {
                kind: "county".into(), name_zh: " 汨罗市 ".into(), parent_id: "".into(), ..Default::default()
            };
        let valid = ValidUnit::try_from(&form).unwrap();
        assert_eq!((valid.kind, valid.name_zh.as_str(), valid.parent_id), (UnitKind::County, "汨罗市", None));
        let bad =
            UnitForm { kind: "province".into(), name_zh: " ".into(), parent_id: "x".into(), ..Default::default() };
        let errors = ValidUnit::try_from(&bad).unwrap_err();
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "name_zh", "parent_id"]);
    }
}
