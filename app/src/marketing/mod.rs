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
use crate::i18n::texts_of;

/// A merge field a template may use, written `{{name}}` (spaces inside allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeField {
    Name,
    Company,
    Event,
    Venue,
    Start,
    ManageLink,
    Signature,
    UnsubscribeLink,
}

impl MergeField {
    pub const ALL: [Self; 8] = [
        Self::Name,
        Self::Company,
        Self::Event,
        Self::Venue,
        Self::Start,
        Self::ManageLink,
        Self::Signature,
        Self::UnsubscribeLink,
    ];

    /// What a template writes between the braces.
    pub fn name(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Company => "company",
            Self::Event => "event",
            Self::Venue => "venue",
            Self::Start => "start",
            Self::ManageLink => "manage_link",
            Self::Signature => "signature",
            Self::UnsubscribeLink => "unsubscribe_link",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the value is one of our own URLs (it goes into a link target as it is).
    pub fn is_link(self) -> bool {
        matches!(self, Self::ManageLink | Self::UnsubscribeLink)
    }
}

texts_of! {
    /// What each `MergeField` stands for, in both languages.
    impl MergeField, fn label;
    Name: "嘉宾或线索姓名", "Guest or lead name";
    Company: "公司", "Company";
    Event: "活动名称", "Event title";
    Venue: "地点", "Venue";
    Start: "开始时间（嘉宾所在时区）", "Start time (in the guest's zone)";
    ManageLink: "管理报名的链接", "Manage-registration link";
    Signature: "主办方署名", "Organizer's signature";
    UnsubscribeLink: "退订链接", "Unsubscribe link";
}

/// The merge fields `text` uses, or the first that is unknown or left open.
pub fn merge_fields(text: &str) -> Result<Vec<MergeField>, Reason> {
    let mut fields = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(Reason::UnclosedMergeField)?;
        let name = after[..close].trim();
        let field = MergeField::parse(name)
            .ok_or_else(|| Reason::UnknownMergeField { field: name.chars().take(40).collect() })?;
        fields.push(field);
        rest = &after[close + 2..];
    }
    Ok(fields)
}

/// `text` with each merge field replaced by `value(field)`. Only call on checked text
/// (an unknown field is left out).
pub fn fill(text: &str, value: impl Fn(MergeField) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        out.push_str(&rest[..open]);
        out.push_str(&MergeField::parse(after[..close].trim()).map(&value).unwrap_or_default());
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
        assert_eq!(
            merge_fields("Dear {{name}}, see you at {{ venue }}"),
            Ok(vec![MergeField::Name, MergeField::Venue])
        );
        assert_eq!(merge_fields("{{nmae}}"), Err(Reason::UnknownMergeField { field: "nmae".into() }));
        assert_eq!(merge_fields("Hi {{name"), Err(Reason::UnclosedMergeField));
        assert_eq!(fill("Dear {{name}} of {{ company }}!", |f| f.name().to_uppercase()), "Dear NAME of COMPANY!");
        assert_eq!(fill("{{name}}: {{ nmae }}", |f| f.label(crate::i18n::Lang::En).into()), "Guest or lead name: ");
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
