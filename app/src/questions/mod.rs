//! Custom questions an organizer adds to an event's registration form (short text,
//! long text, single choice, multiple choice, checkbox; required or not), and the
//! parse of a guest's answers, shared by the browser and the server.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain;
use crate::error::{AppError, FieldErrors, Reason};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    ShortText,
    LongText,
    SingleChoice,
    MultipleChoice,
    Checkbox,
}

impl QuestionKind {
    pub const ALL: [Self; 5] =
        [Self::ShortText, Self::LongText, Self::SingleChoice, Self::MultipleChoice, Self::Checkbox];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortText => "short_text",
            Self::LongText => "long_text",
            Self::SingleChoice => "single_choice",
            Self::MultipleChoice => "multiple_choice",
            Self::Checkbox => "checkbox",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn has_options(self) -> bool {
        matches!(self, Self::SingleChoice | Self::MultipleChoice)
    }

    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            Self::ShortText => t.q_short_text,
            Self::LongText => t.q_long_text,
            Self::SingleChoice => t.q_single_choice,
            Self::MultipleChoice => t.q_multiple_choice,
            Self::Checkbox => t.q_checkbox,
        }
    }
}

/// A question as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: i32,
    pub kind: QuestionKind,
    pub label_zh: String,
    pub label_en: String,
    pub options: Vec<String>,
    pub required: bool,
}

impl Question {
    /// The key of the answer in a posted form: `form[answers][q12]` (a choice of a
    /// multiple-choice question: `form[answers][q12_3]`), and of its error.
    pub fn key(&self) -> String {
        format!("q{}", self.id)
    }
}

const MAX_SHORT: usize = 500;
const MAX_LONG: usize = 4_000;
const MAX_OPTIONS: usize = 30;

/// Checks the posted answers against the questions; returns each answered question's
/// answer as text (choices by their wording). `enforce_required` is off for walk-ins,
/// who are registered at the door without the full form.
pub fn parse_answers(
    questions: &[Question],
    posted: &BTreeMap<String, String>,
    enforce_required: bool,
) -> Result<BTreeMap<i32, String>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut answers = BTreeMap::new();
    for q in questions {
        let key = q.key();
        let raw = posted.get(&key).map(|v| v.trim()).unwrap_or_default();
        let answer = match q.kind {
            QuestionKind::ShortText => errors.check(&key, domain::text(raw, false, MAX_SHORT)),
            QuestionKind::LongText => errors.check(&key, domain::text(raw, false, MAX_LONG)),
            QuestionKind::Checkbox => Some(if raw == "on" { "yes".to_string() } else { String::new() }),
            QuestionKind::SingleChoice if raw.is_empty() => Some(String::new()),
            QuestionKind::SingleChoice => errors.check(
                &key,
                raw.parse::<usize>().ok().and_then(|i| q.options.get(i).cloned()).ok_or(Reason::UnknownChoice),
            ),
            QuestionKind::MultipleChoice => {
                let prefix = format!("{key}_");
                let mut picked = Vec::new();
                let mut unknown = false;
                for (k, v) in posted.range(prefix.clone()..) {
                    let Some(index) = k.strip_prefix(&prefix) else { break };
                    if v != "on" {
                        continue;
                    }
                    match index.parse::<usize>().ok().and_then(|i| q.options.get(i).map(|o| (i, o))) {
                        Some(choice) => picked.push(choice),
                        None => unknown = true,
                    }
                }
                picked.sort();
                if unknown {
                    errors.add(&key, Reason::UnknownChoice);
                    None
                } else {
                    Some(picked.into_iter().map(|(_, o)| o.clone()).collect::<Vec<_>>().join("; "))
                }
            }
        };
        match answer {
            Some(a) if a.is_empty() && q.required && enforce_required => errors.add(&key, Reason::Required),
            Some(a) if !a.is_empty() => {
                answers.insert(q.id, a);
            }
            _ => {}
        }
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

/// Stored answers back into the posted form's shape, to fill a form in again.
pub fn to_posted(questions: &[Question], answers: &BTreeMap<i32, String>) -> BTreeMap<String, String> {
    let mut posted = BTreeMap::new();
    for q in questions {
        let Some(answer) = answers.get(&q.id) else { continue };
        let key = q.key();
        match q.kind {
            QuestionKind::ShortText | QuestionKind::LongText => {
                posted.insert(key, answer.clone());
            }
            QuestionKind::Checkbox => {
                posted.insert(key, "on".into());
            }
            QuestionKind::SingleChoice => {
                if let Some(i) = q.options.iter().position(|o| o == answer) {
                    posted.insert(key, i.to_string());
                }
            }
            QuestionKind::MultipleChoice => {
                for part in answer.split("; ") {
                    if let Some(i) = q.options.iter().position(|o| o == part) {
                        posted.insert(format!("{key}_{i}"), "on".into());
                    }
                }
            }
        }
    }
    posted
}

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
pub async fn list_questions(event_id: i32) -> Result<Vec<Question>, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list_owned(&db, member.organization_id, event_id).await
}

#[server(prefix = "/api", endpoint = "questions/add")]
pub async fn add_question(event_id: i32, form: QuestionForm) -> Result<i32, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = form.parse().map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let id = ssr::add(&state.db, member.organization_id, event_id, valid).await?;
    state.public_events.clear();
    leptos_axum::redirect(&format!("/admin/events/{event_id}/questions"));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "questions/delete")]
pub async fn delete_question(id: i32) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let event_id = ssr::delete(&state.db, member.organization_id, id).await?;
    state.public_events.clear();
    leptos_axum::redirect(&format!("/admin/events/{event_id}/questions"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<Question> {
        let q = |id, kind, required, options: &[&str]| Question {
            id,
            kind,
            label_zh: "问题".into(),
            label_en: "Question".into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            required,
        };
        vec![
            q(1, QuestionKind::ShortText, true, &[]),
            q(2, QuestionKind::SingleChoice, false, &["Manufacturing", "Logistics"]),
            q(3, QuestionKind::MultipleChoice, true, &["Site visit", "Dinner", "Meeting"]),
            q(4, QuestionKind::Checkbox, true, &[]),
        ]
    }

    fn posted(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn answers_become_text_and_round_trip() {
        let form = posted(&[("q1", " Wuxi "), ("q2", "1"), ("q3_2", "on"), ("q3_0", "on"), ("q4", "on")]);
        let answers = parse_answers(&questions(), &form, true).unwrap();
        assert_eq!(answers[&1], "Wuxi");
        assert_eq!(answers[&2], "Logistics");
        assert_eq!(answers[&3], "Site visit; Meeting");
        assert_eq!(answers[&4], "yes");
        let again = parse_answers(&questions(), &to_posted(&questions(), &answers), true).unwrap();
        assert_eq!(again, answers);
    }

    #[test]
    fn required_and_unknown_choices_are_refused_by_question() {
        let errors = parse_answers(&questions(), &posted(&[("q2", "7"), ("q3_9", "on")]), true).unwrap_err();
        assert_eq!(errors.get("q1"), Some(&Reason::Required));
        assert_eq!(errors.get("q2"), Some(&Reason::UnknownChoice));
        assert_eq!(errors.get("q3"), Some(&Reason::UnknownChoice));
        assert_eq!(errors.get("q4"), Some(&Reason::Required));
        assert!(parse_answers(&questions(), &posted(&[]), false).is_ok(), "walk-ins skip required questions");
    }

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
