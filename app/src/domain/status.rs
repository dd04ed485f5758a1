//! The states a stored row moves through, shared by the browser and the server. On the
//! server each is a column type of its own (sea-orm's `DeriveActiveEnum`, stored as its
//! snake_case name): a row holding an unknown value fails to load, it is never taken for
//! a default.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Texts, texts_of};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Waitlisted => "waitlisted",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub const ALL: [Self; 3] = [Self::Confirmed, Self::Waitlisted, Self::Cancelled];

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Self::Confirmed => t.reg_confirmed,
            Self::Waitlisted => t.reg_waitlisted,
            Self::Cancelled => t.reg_cancelled,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum EventStatus {
    Draft,
    Published,
    Cancelled,
    Completed,
}

impl EventStatus {
    pub const ALL: [EventStatus; 4] = [Self::Draft, Self::Published, Self::Cancelled, Self::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Self::Draft => t.status_draft,
            Self::Published => t.status_published,
            Self::Cancelled => t.status_cancelled,
            Self::Completed => t.status_completed,
        }
    }

    /// Whether the public may see the event page (drafts stay private).
    pub fn is_public(self) -> bool {
        self != Self::Draft
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum Visibility {
    Public,
    InviteOnly,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::InviteOnly => "invite_only",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Self::Public),
            "invite_only" => Some(Self::InviteOnly),
            _ => None,
        }
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Self::Public => t.visibility_public,
            Self::InviteOnly => t.visibility_invite_only,
        }
    }
}

/// Where a lead stands: the pipeline in order, or lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum Stage {
    New,
    Contacted,
    SiteVisit,
    IntentSigned,
    ContractSigned,
    FundsInPlace,
    Lost,
}

texts_of! {
    /// The names of each `Stage`, in both languages.
    struct StageLabels, fn stage_labels;
    new: "新线索", "New";
    contacted: "已联系", "Contacted";
    site_visit: "实地考察", "Site visit";
    intent_signed: "签订意向（MoU）", "Intent signed (MoU)";
    contract_signed: "正式签约", "Contract signed";
    funds_in_place: "资金到位", "Funds in place";
    lost: "已流失", "Lost";
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Self::New,
        Self::Contacted,
        Self::SiteVisit,
        Self::IntentSigned,
        Self::ContractSigned,
        Self::FundsInPlace,
        Self::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Contacted => "contacted",
            Self::SiteVisit => "site_visit",
            Self::IntentSigned => "intent_signed",
            Self::ContractSigned => "contract_signed",
            Self::FundsInPlace => "funds_in_place",
            Self::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let t = stage_labels(lang);
        match self {
            Self::New => t.new,
            Self::Contacted => t.contacted,
            Self::SiteVisit => t.site_visit,
            Self::IntentSigned => t.intent_signed,
            Self::ContractSigned => t.contract_signed,
            Self::FundsInPlace => t.funds_in_place,
            Self::Lost => t.lost,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum OutboxStatus {
    Queued,
    Sending,
    Sent,
    Retrying,
    Failed,
}

impl OutboxStatus {
    pub const ALL: [Self; 5] = [Self::Queued, Self::Sending, Self::Sent, Self::Retrying, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Retrying => "retrying",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Self::Queued => t.mail_queued,
            Self::Sending => t.mail_sending,
            Self::Sent => t.mail_sent,
            Self::Retrying => t.mail_retrying,
            Self::Failed => t.mail_failed,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum Role {
    Viewer,
    Organizer,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Organizer => "organizer",
            Role::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Viewer, Role::Organizer, Role::Owner].into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Role::Viewer => t.role_viewer,
            Role::Organizer => t.role_organizer,
            Role::Owner => t.role_owner,
        }
    }

    pub fn can_write(self) -> bool {
        self >= Role::Organizer
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum CampaignStatus {
    /// Waiting for its time.
    Scheduled,
    /// Its emails are being written to the outbox.
    Sending,
    /// Every recipient's email is in the outbox (delivery status per message).
    Sent,
    Cancelled,
}

texts_of! {
    /// The names of each `CampaignStatus`, in both languages.
    struct CampaignStatusLabels, fn campaign_status_labels;
    scheduled: "已排期", "Scheduled";
    sending: "发送中", "Sending";
    sent: "已发出", "Sent";
    cancelled: "已取消", "Cancelled";
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 4] = [Self::Scheduled, Self::Sending, Self::Sent, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<CampaignStatus> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let t = campaign_status_labels(lang);
        match self {
            Self::Scheduled => t.scheduled,
            Self::Sending => t.sending,
            Self::Sent => t.sent,
            Self::Cancelled => t.cancelled,
        }
    }
}

/// What makes a rule send, relative to an event's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum Trigger {
    /// N hours before the start, to confirmed guests.
    Reminder,
    /// N hours after the end, to guests who checked in.
    ThankYou,
    /// N hours after the end, to confirmed guests who did not check in.
    MissedYou,
    /// As soon as a waitlisted guest gets a seat (before the start).
    Promoted,
    /// N hours after the end, to the event's leads still at the rule's stage.
    StageFollowUp,
}

texts_of! {
    /// The names of each `Trigger`, in both languages.
    struct TriggerLabels, fn trigger_labels;
    reminder: "开始前提醒（已确认的嘉宾）", "Reminder before the start (confirmed guests)";
    thank_you: "结束后致谢（已签到的嘉宾）", "Thank-you after the end (guests who checked in)";
    missed_you: "结束后“遗憾错过”（报名但未签到）", "\"Sorry we missed you\" (registered, not checked in)";
    promoted: "候补转正通知", "Waitlist promotion notice";
    stage_follow_up: "结束后跟进（仍在某阶段的线索）", "Follow-up after the end (leads still at a stage)";
}

impl Trigger {
    pub const ALL: [Trigger; 5] =
        [Self::Reminder, Self::ThankYou, Self::MissedYou, Self::Promoted, Self::StageFollowUp];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reminder => "reminder",
            Self::ThankYou => "thank_you",
            Self::MissedYou => "missed_you",
            Self::Promoted => "promoted",
            Self::StageFollowUp => "stage_follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<Trigger> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let t = trigger_labels(lang);
        match self {
            Self::Reminder => t.reminder,
            Self::ThankYou => t.thank_you,
            Self::MissedYou => t.missed_you,
            Self::Promoted => t.promoted,
            Self::StageFollowUp => t.stage_follow_up,
        }
    }
}
