//! Marketing email, shared by follow-up rules and campaigns: templates in Chinese and
//! English with merge fields, rendered for one person at a time; on the server, the
//! record of whom each rule or campaign mailed, consent, the suppression list and
//! one-click unsubscribe. Every such email carries the unsubscribe headers and never
//! reaches a suppressed address.

#[cfg(feature = "ssr")]
pub mod ssr;

use serde::{Deserialize, Serialize};

use crate::domain;
use crate::error::{FieldErrors, Reason};

/// The merge fields a template may use, with what they stand for.
pub const MERGE_FIELDS: [(&str, &str, &str); 8] = [
    ("name", "嘉宾或线索姓名", "Guest or lead name"),
    ("company", "公司", "Company"),
    ("event", "活动名称", "Event title"),
    ("venue", "地点", "Venue"),
    ("start", "开始时间（嘉宾所在时区）", "Start time (in the guest's zone)"),
    ("manage_link", "管理报名的链接", "Manage-registration link"),
    ("signature", "主办方署名", "Organizer's signature"),
    ("unsubscribe_link", "退订链接", "Unsubscribe link"),
];

/// The merge fields `text` uses (`{{name}}`, spaces inside allowed), or the first that
/// is unknown or left open.
pub fn merge_fields(text: &str) -> Result<Vec<&str>, Reason> {
    let mut fields = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(Reason::UnclosedMergeField)?;
        let name = after[..close].trim();
        if !MERGE_FIELDS.iter().any(|(f, _, _)| *f == name) {
            return Err(Reason::UnknownMergeField { field: name.chars().take(40).collect() });
        }
        fields.push(name);
        rest = &after[close + 2..];
    }
    Ok(fields)
}

/// `text` with each merge field replaced by `value(field)`. Only call on checked text.
pub fn fill(text: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        out.push_str(&rest[..open]);
        out.push_str(&value(after[..close].trim()));
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// A template as the organizer's form posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    pub name: String,
    pub subject_zh: String,
    pub body_zh: String,
    pub subject_en: String,
    pub body_en: String,
}

/// A template that passed its form's rules (or was stored after passing them): what the
/// renderer fills in for each person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub name: String,
    pub subject_zh: String,
    pub body_zh: String,
    pub subject_en: String,
    pub body_en: String,
}

impl TemplateForm {
    /// Both languages are required; an unknown merge field is refused here, never left
    /// blank in a sent email.
    pub fn parse(&self) -> Result<Template, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", domain::text(&self.name, true, 200));
        let mut checked = |field: &str, value: &str, max: usize| {
            let text = e.check(field, domain::text(value, true, max))?;
            e.check(field, merge_fields(&text).map(|_| ()))?;
            Some(text)
        };
        let subject_zh = checked("subject_zh", &self.subject_zh, 200);
        let body_zh = checked("body_zh", &self.body_zh, 20_000);
        let subject_en = checked("subject_en", &self.subject_en, 200);
        let body_en = checked("body_en", &self.body_en, 20_000);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Template {
            name: name.unwrap_or_default(),
            subject_zh: subject_zh.unwrap_or_default(),
            body_zh: body_zh.unwrap_or_default(),
            subject_en: subject_en.unwrap_or_default(),
            body_en: body_en.unwrap_or_default(),
        })
    }
}

crate::error::parsed_from!(TemplateForm => Template);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_fields_are_known_or_refused() {
        assert_eq!(merge_fields("Dear {{name}}, see you at {{ venue }}"), Ok(vec!["name", "venue"]));
        assert_eq!(merge_fields("{{nmae}}"), Err(Reason::UnknownMergeField { field: "nmae".into() }));
        assert_eq!(merge_fields("Hi {{name"), Err(Reason::UnclosedMergeField));
        assert_eq!(fill("Dear {{name}} of {{ company }}!", |f| f.to_uppercase()), "Dear NAME of COMPANY!");
    }

    #[test]
    fn a_template_needs_both_languages_and_known_fields() {
        let form = TemplateForm {
            name: "Thanks".into(),
            subject_zh: "感谢参加{{event}}".into(),
            body_zh: "{{name}}您好".into(),
            subject_en: "Thank you".into(),
            body_en: "Dear {{first_name}}".into(),
        };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.errors.len(), 1);
        assert_eq!(errors.get("body_en"), Some(&Reason::UnknownMergeField { field: "first_name".into() }));
        let missing = TemplateForm { subject_en: String::new(), ..form.clone() };
        assert_eq!(missing.parse().unwrap_err().get("subject_en"), Some(&Reason::Required));
    }
}
