//! Custom questions an organizer adds to an event's registration form (short text,
//! long text, single choice, multiple choice, checkbox; required or not), and the
//! parse of a guest's answers, shared by the browser and the server.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain;
pub use crate::domain::questions::{MAX_OPTIONS, Question, QuestionKind};
use crate::error::{AppError, FieldErrors, Reason};

/// A question as the organizer writes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    pub kind: String,
    pub label_zh: String,
    pub label_en: String,
    /// One choice per line.
    pub options: String,
    pub required: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidQuestion {
    pub kind: QuestionKind,
    pub label_zh: String,
    pub label_en: String,
    pub options: Vec<String>,
    pub required: bool,
}

impl QuestionForm {
    pub fn parse(&self) -> Result<ValidQuestion, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = e.check("kind", QuestionKind::parse(self.kind.trim()).ok_or(Reason::UnknownChoice));
        let label_zh = e.check("label_zh", domain::text(&self.label_zh, false, 300));
        let label_en = e.check("label_en", domain::text(&self.label_en, false, 300));
        if self.label_zh.trim().is_empty() && self.label_en.trim().is_empty() {
            e.add("label_zh", Reason::Required);
        }
        let options: Vec<String> =
            self.options.lines().map(str::trim).filter(|o| !o.is_empty()).map(str::to_string).collect();
        if let Some(kind) = kind {
            if kind.has_options() && options.len() < 2 {
                e.add("options", Reason::TooShort { min: 2 });
            }
            if options.len() > MAX_OPTIONS || options.iter().any(|o| o.chars().count() > 200) {
                e.add("options", Reason::TooLong { max: 200 });
            }
        }
        match (kind, label_zh, label_en) {
            (Some(kind), Some(label_zh), Some(label_en)) if e.is_empty() => Ok(ValidQuestion {
                kind,
                label_zh,
                label_en,
                options: if kind.has_options() { options } else { vec![] },
                required: self.required == "on",
            }),
            _ => Err(e),
        }
    }

    pub fn validate(&self) -> FieldErrors {
        self.parse().err().unwrap_or_default()
    }
}

/// An event's questions, for its organization's members.
#[server(prefix = "/api", endpoint = "questions/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_questions(event_id: i32) -> Result<Vec<Question>, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list_owned(&db, member.organization_id, event_id).await
}

#[server(prefix = "/api", endpoint = "questions/add")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_question(event_id: i32, form: QuestionForm) -> Result<i32, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidQuestion::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let id = ssr::add(&state.db, member.organization_id, event_id, valid).await?;
    crate::events::cache::of(&state)?.clear();
    leptos_axum::redirect(&format!("/admin/events/{event_id}/questions"));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "questions/delete")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn delete_question(id: i32) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let event_id = ssr::delete(&state.db, member.organization_id, id).await?;
    crate::events::cache::of(&state)?.clear();
    leptos_axum::redirect(&format!("/admin/events/{event_id}/questions"));
    Ok(())
}

crate::error::parsed_from!(QuestionForm => ValidQuestion);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_question_needs_two_options() {
        let form = QuestionForm {
            kind: "single_choice".into(),
            label_en: "Sector".into(),
            options: "Only one".into(),
            ..Default::default()
        };
        assert_eq!(form.parse().unwrap_err().get("options"), Some(&Reason::TooShort { min: 2 }));
        let form = QuestionForm { kind: "riddle".into(), ..Default::default() };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.get("kind"), Some(&Reason::UnknownChoice));
        assert_eq!(errors.get("label_zh"), Some(&Reason::Required));
    }
}
