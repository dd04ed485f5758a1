//! Campaigns: a one-off email, from a follow-up template, to the leads a lead-list
//! filter selects — sent now or at a chosen time, each lead once, with its progress and
//! every message's status to watch.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, NaiveDateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{self, TimeZone};
use crate::error::{AppError, FieldErrors};
use crate::leads::LeadFilter;

pub use crate::domain::CampaignStatus;
use crate::domain::{OutboxStatus, SendOutcome};

/// A campaign as the form posts it: the lead list's filter picks the recipients.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignForm {
    pub name: String,
    pub template_id: String,
    pub filter: LeadFilter,
    /// Empty: now. Otherwise local time in `time_zone`.
    pub send_at_local: String,
    pub time_zone: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidCampaign {
    pub name: String,
    pub template_id: i32,
    pub filter: LeadFilter,
    pub send_at: Option<(NaiveDateTime, TimeZone)>,
}

impl CampaignForm {
    pub fn parse(&self) -> Result<ValidCampaign, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", domain::text(&self.name, true, 200));
        let template_id = e.check("template_id", domain::integer(&self.template_id, 1, i32::MAX.into()));
        let send_at = match self.send_at_local.trim() {
            "" => Some(None),
            local => {
                let at = e.check("send_at_local", domain::local_datetime(local));
                let zone = e.check("time_zone", TimeZone::parse(&self.time_zone));
                at.zip(zone).map(Some)
            }
        };
        if !e.is_empty() {
            return Err(e);
        }
        // The recipients are the filtered leads, whatever page or order the list showed.
        let filter = LeadFilter { page: String::new(), sort: String::new(), ..self.filter.clone() };
        Ok(ValidCampaign {
            name: name.unwrap_or_default(),
            template_id: template_id.unwrap_or_default() as i32,
            filter,
            send_at: send_at.flatten(),
        })
    }
}

/// Who a filter would reach.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Audience {
    pub leads: u64,
    /// Leads with an email address.
    pub with_email: u64,
    /// Of those, unsubscribed, bouncing or erased.
    pub suppressed: u64,
    /// Of the others, asked for consent to follow-up emails when they registered and did
    /// not give it.
    pub declined: u64,
}

impl Audience {
    pub fn recipients(&self) -> u64 {
        self.with_email - self.suppressed - self.declined
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignRow {
    pub id: i32,
    pub name: String,
    pub template: String,
    pub status: CampaignStatus,
    pub send_at: Option<DateTime<Utc>>,
    /// The recipients counted when it was created.
    pub recipients: u64,
    /// Emails written to the outbox so far.
    pub queued: u64,
    /// Of those, delivered and failed.
    pub delivered: u64,
    pub failed: u64,
    /// Leads not mailed (unsubscribed, bouncing, or no consent to follow-up emails).
    pub skipped: u64,
    pub created_at: DateTime<Utc>,
}

impl CampaignRow {
    /// Done of the whole: settled (delivered, failed or skipped) of all recipients —
    /// the count made when it was created until it has gone out, then those dealt with.
    pub fn progress(&self) -> (u64, u64) {
        let total = match self.status {
            CampaignStatus::Sent => self.queued + self.skipped,
            _ => self.recipients.max(self.queued + self.skipped),
        };
        (self.delivered + self.failed + self.skipped, total)
    }

    /// Nothing will change any more.
    pub fn settled(&self) -> bool {
        let (done, total) = self.progress();
        self.status == CampaignStatus::Cancelled || (self.status == CampaignStatus::Sent && done >= total)
    }
}

/// One recipient of a campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignMessage {
    pub address: String,
    pub lead_id: Option<i32>,
    pub outcome: SendOutcome,
    pub status: Option<OutboxStatus>,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignDetail {
    pub campaign: CampaignRow,
    pub filter: LeadFilter,
    /// The first 500, failures first.
    pub messages: Vec<CampaignMessage>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Campaigns {
    pub campaigns: Vec<CampaignRow>,
    pub templates: Vec<(i32, String)>,
}

#[server(prefix = "/api", endpoint = "campaigns/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_campaigns() -> Result<Campaigns, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list(&db, member.organization_id).await
}

/// How many leads a filter would reach, before sending.
#[server(prefix = "/api", endpoint = "campaigns/audience")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn campaign_audience(#[server(default)] filter: LeadFilter) -> Result<Audience, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::audience(&db, member.organization_id, &filter).await
}

/// Schedules a campaign (now, or at its time). Returns its id.
#[server(prefix = "/api", endpoint = "campaigns/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_campaign(form: CampaignForm) -> Result<i32, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidCampaign::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let id = ssr::create(&state.db, &member, valid).await?;
    // Due now: written straight away rather than at the scheduler's next round. The
    // campaign is saved whatever happens here; a failure leaves it to the scheduler.
    match ssr::run_one(&state.db, &state.mail, id, Utc::now()).await {
        Ok(_) => state.mail_wakeup.notify_one(),
        Err(e) => tracing::warn!(campaign = id, "campaign left to the scheduler: {e}"),
    }
    Ok(id)
}

#[server(prefix = "/api", endpoint = "campaigns/get")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_campaign(id: i32) -> Result<CampaignDetail, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::detail(&db, member.organization_id, id).await
}

/// Cancels a campaign that has not gone out yet.
#[server(prefix = "/api", endpoint = "campaigns/cancel")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn cancel_campaign(id: i32) -> Result<(), AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::cancel(&db, member.organization_id, id).await
}

crate::error::parsed_from!(CampaignForm => ValidCampaign);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_goes_now_or_at_a_local_time() {
        let form = CampaignForm {
            name: "Invest in Hunan 2027".into(),
            template_id: "4".into(),
            filter: LeadFilter { stage: "contacted".into(), page: "3".into(), ..Default::default() },
            ..Default::default()
        };
        let now = form.parse().unwrap();
        assert_eq!((now.template_id, now.send_at.clone()), (4, None));
        assert_eq!(now.filter.page, "", "every page of the filtered list");
        let later = CampaignForm {
            send_at_local: "2027-04-01T09:00".into(),
            time_zone: "Asia/Shanghai".into(),
            ..form.clone()
        };
        assert_eq!(later.parse().unwrap().send_at.unwrap().1.as_str(), "Asia/Shanghai");
        let bad = CampaignForm {
            send_at_local: "soon".into(),
            time_zone: "Mars/Base".into(),
            template_id: "x".into(),
            ..form
        };
        let mut fields: Vec<String> = bad.parse().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        fields.sort();
        assert_eq!(fields, ["send_at_local", "template_id", "time_zone"]);
    }
}
