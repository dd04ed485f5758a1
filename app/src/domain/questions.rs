//! Custom questions of a registration form (short text, long text, single choice,
//! multiple choice, checkbox; required or not) and the parse of a guest's answers, shared
//! by the browser and the server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{FieldErrors, Reason};

stored_enum! {
    pub enum QuestionKind {
        ShortText = "short_text",
        LongText = "long_text",
        SingleChoice = "single_choice",
        MultipleChoice = "multiple_choice",
        Checkbox = "checkbox",
    }
}

impl QuestionKind {
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
/// Most options a choice question offers.
pub const MAX_OPTIONS: usize = 30;

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
            QuestionKind::ShortText => errors.check(&key, super::text(raw, false, MAX_SHORT)),
            QuestionKind::LongText => errors.check(&key, super::text(raw, false, MAX_LONG)),
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
}
