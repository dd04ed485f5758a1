//! Follow-up emails: templates in Chinese and English with merge fields, rules that send
//! one relative to an event's time (each person once, however many schedulers run),
//! campaigns to a segment of leads, and one-click unsubscribe. Every such email is
//! marketing: it carries the unsubscribe headers and never reaches a suppressed address.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors, Reason};
use crate::i18n::Lang;
use crate::leads::Stage;

use crate::domain::OutboxStatus;
pub use crate::domain::{SendOutcome, Trigger};
pub use crate::marketing::{MergeField, Template, TemplateForm, fill, merge_fields};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub id: i32,
    pub name: String,
    pub form: TemplateForm,
    pub updated_at: DateTime<Utc>,
}

/// A template as one lead would receive it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub to: String,
    pub language: Lang,
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// At most 90 days before or after.
pub const MAX_OFFSET_HOURS: i64 = 90 * 24;

/// A rule as the form posts it: attached to an event or a whole roadshow.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleForm {
    pub event_id: String,
    pub roadshow_id: String,
    pub template_id: String,
    pub trigger: String,
    pub offset_hours: String,
    /// For a stage follow-up the stage leads must still be at; otherwise empty or the
    /// furthest stage the rule is meant for.
    pub stage: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidRule {
    pub event_id: Option<i32>,
    pub roadshow_id: Option<i32>,
    pub template_id: i32,
    pub trigger: Trigger,
    pub offset_hours: i32,
    pub stage: Option<Stage>,
}

fn id(value: &str) -> Result<Option<i32>, Reason> {
    match value.trim() {
        "" => Ok(None),
        v => v.parse::<i32>().map(Some).map_err(|_| Reason::NotANumber),
    }
}

impl RuleForm {
    pub fn parse(&self) -> Result<ValidRule, FieldErrors> {
        let mut e = FieldErrors::default();
        let event_id = e.check("event_id", id(&self.event_id)).flatten();
        let roadshow_id = e.check("roadshow_id", id(&self.roadshow_id)).flatten();
        if e.is_empty() && event_id.is_some() == roadshow_id.is_some() {
            e.add("event_id", Reason::Required);
        }
        let template_id = e.check("template_id", id(&self.template_id).and_then(|v| v.ok_or(Reason::Required)));
        let trigger = e.check("trigger", Trigger::parse(&self.trigger).ok_or(Reason::UnknownChoice));
        // A reminder 0 hours before the start would have no time to go out in.
        let min = if trigger == Some(Trigger::Reminder) { 1 } else { 0 };
        let offset_hours = match (trigger, self.offset_hours.trim()) {
            (Some(Trigger::Promoted), _) => Some(0),
            (_, "") if min == 0 => Some(0),
            (_, v) => e.check(
                "offset_hours",
                v.parse::<i64>()
                    .map_err(|_| if v.is_empty() { Reason::Required } else { Reason::NotANumber })
                    .and_then(|h| {
                        if (min..=MAX_OFFSET_HOURS).contains(&h) {
                            Ok(h as i32)
                        } else {
                            Err(Reason::OutOfRange { min, max: MAX_OFFSET_HOURS })
                        }
                    }),
            ),
        };
        let stage = match self.stage.trim() {
            "" if trigger == Some(Trigger::StageFollowUp) => {
                e.add("stage", Reason::Required);
                None
            }
            "" => None,
            s => e.check("stage", Stage::parse(s).ok_or(Reason::UnknownChoice)),
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ValidRule {
            event_id,
            roadshow_id,
            template_id: template_id.unwrap_or_default(),
            trigger: trigger.unwrap_or(Trigger::Reminder),
            offset_hours: offset_hours.unwrap_or_default(),
            stage,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleRow {
    pub id: i32,
    pub event: Option<(i32, String, String)>,
    pub roadshow: Option<(i32, String)>,
    pub template: (i32, String),
    pub trigger: Trigger,
    pub offset_hours: i32,
    pub stage: Option<Stage>,
    pub paused: bool,
    /// People mailed, and people skipped (unsubscribed, stage passed).
    pub sent: u64,
    pub skipped: u64,
}

/// The organization's templates, rules, and what rules may attach to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUps {
    pub templates: Vec<TemplateRow>,
    pub rules: Vec<RuleRow>,
    pub events: Vec<(i32, String, String)>,
    pub roadshows: Vec<(i32, String)>,
    /// The 50 leads updated last `(id, name, email)`, to preview a template for.
    pub leads: Vec<(i32, String, String)>,
}

/// One person a rule or campaign dealt with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SendRow {
    pub address: String,
    /// The event's title `(zh, en)`.
    pub event: Option<(String, String)>,
    pub lead_id: Option<i32>,
    pub outcome: SendOutcome,
    /// The message's delivery status when one was queued.
    pub status: Option<OutboxStatus>,
    pub at: DateTime<Utc>,
}

#[server(prefix = "/api", endpoint = "follow-ups/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_follow_ups() -> Result<FollowUps, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::overview(&db, member.organization_id).await
}

/// Adds a template (`id` empty) or changes one.
#[server(prefix = "/api", endpoint = "follow-ups/template")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_template(#[server(default)] id: Option<i32>, form: TemplateForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = Template::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save_template(&db, member.organization_id, id, valid).await
}

/// The template as `lead_id` would receive it (unsaved edits included).
#[server(prefix = "/api", endpoint = "follow-ups/preview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn preview_template(lead_id: i32, form: TemplateForm) -> Result<Preview, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_member().await?;
    let valid = Template::try_from(&form).map_err(AppError::Invalid)?;
    ssr::preview(&state.db, &state.mail, member.organization_id, lead_id, &valid).await
}

#[server(prefix = "/api", endpoint = "follow-ups/rule")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_rule(form: RuleForm) -> Result<i32, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidRule::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    ssr::save_rule(&db, member.organization_id, valid).await
}

/// Pauses a rule (`paused` true) or lets it run again.
#[server(prefix = "/api", endpoint = "follow-ups/pause")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn pause_rule(id: i32, paused: bool) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::pause_rule(&db, member.organization_id, id, paused).await
}

/// Who a rule mailed (or skipped, and why), newest first.
#[server(prefix = "/api", endpoint = "follow-ups/log")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn rule_log(id: i32) -> Result<Vec<SendRow>, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::rule_log(&db, member.organization_id, id).await
}

crate::error::parsed_from!(RuleForm => ValidRule);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_attached_to_one_event_or_one_roadshow() {
        let form = RuleForm {
            event_id: "3".into(),
            template_id: "1".into(),
            trigger: "reminder".into(),
            offset_hours: "24".into(),
            ..Default::default()
        };
        let rule = form.parse().unwrap();
        assert_eq!((rule.event_id, rule.trigger, rule.offset_hours), (Some(3), Trigger::Reminder, 24));
        let at_start = RuleForm { offset_hours: "0".into(), ..form.clone() };
        assert_eq!(
            at_start.parse().unwrap_err().get("offset_hours"),
            Some(&Reason::OutOfRange { min: 1, max: MAX_OFFSET_HOURS })
        );
        let both = RuleForm { roadshow_id: "1".into(), ..form.clone() };
        assert_eq!(both.parse().unwrap_err().get("event_id"), Some(&Reason::Required));
        let stage = RuleForm { trigger: "stage_follow_up".into(), offset_hours: "9999".into(), ..form.clone() };
        let errors = stage.parse().unwrap_err();
        assert_eq!(errors.get("stage"), Some(&Reason::Required));
        assert_eq!(errors.get("offset_hours"), Some(&Reason::OutOfRange { min: 0, max: MAX_OFFSET_HOURS }));
    }
}
