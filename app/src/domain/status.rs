//! The states a stored row moves through, shared by the browser and the server. On the
//! server each is a column type of its own (sea-orm's `DeriveActiveEnum`, stored as its
//! snake_case name): a row holding an unknown value fails to load, it is never taken for
//! a default.

use crate::i18n::{Texts, texts_of};

stored_enum! {
    pub enum RegistrationStatus {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Cancelled = "cancelled",
    }
}

impl RegistrationStatus {
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Self::Confirmed => t.reg_confirmed,
            Self::Waitlisted => t.reg_waitlisted,
            Self::Cancelled => t.reg_cancelled,
        }
    }
}

stored_enum! {
    pub enum EventStatus {
        Draft = "draft",
        Published = "published",
        Cancelled = "cancelled",
        Completed = "completed",
    }
}

impl EventStatus {
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

stored_enum! {
    pub enum Visibility {
        Public = "public",
        InviteOnly = "invite_only",
    }
}

impl Visibility {
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Self::Public => t.visibility_public,
            Self::InviteOnly => t.visibility_invite_only,
        }
    }
}

stored_enum! {
    /// Where a lead stands: the pipeline in order, or lost.
    #[derive(PartialOrd, Ord)]
    pub enum Stage {
        New = "new",
        Contacted = "contacted",
        SiteVisit = "site_visit",
        IntentSigned = "intent_signed",
        ContractSigned = "contract_signed",
        FundsInPlace = "funds_in_place",
        Lost = "lost",
    }
}

texts_of! {
    /// The name of each `Stage`, in both languages.
    impl Stage, fn label;
    New: "新线索", "New";
    Contacted: "已联系", "Contacted";
    SiteVisit: "实地考察", "Site visit";
    IntentSigned: "签订意向（MoU）", "Intent signed (MoU)";
    ContractSigned: "正式签约", "Contract signed";
    FundsInPlace: "资金到位", "Funds in place";
    Lost: "已流失", "Lost";
}

stored_enum! {
    pub enum OutboxStatus {
        Queued = "queued",
        Sending = "sending",
        Sent = "sent",
        Retrying = "retrying",
        Failed = "failed",
    }
}

impl OutboxStatus {
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

stored_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Viewer = "viewer",
        /// Reads everything a viewer does (the leaders' dashboard first of all), writes nothing.
        Leader = "leader",
        Organizer = "organizer",
        Owner = "owner",
    }
}

impl Role {
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Role::Viewer => t.role_viewer,
            Role::Leader => t.role_leader,
            Role::Organizer => t.role_organizer,
            Role::Owner => t.role_owner,
        }
    }

    pub fn can_write(self) -> bool {
        self >= Role::Organizer
    }
}

stored_enum! {
    pub enum CampaignStatus {
        /// Waiting for its time.
        Scheduled = "scheduled",
        /// Its emails are being written to the outbox.
        Sending = "sending",
        /// Every recipient's email is in the outbox (delivery status per message).
        Sent = "sent",
        Cancelled = "cancelled",
    }
}

texts_of! {
    /// The name of each `CampaignStatus`, in both languages.
    impl CampaignStatus, fn label;
    Scheduled: "已排期", "Scheduled";
    Sending: "发送中", "Sending";
    Sent: "已发出", "Sent";
    Cancelled: "已取消", "Cancelled";
}

stored_enum! {
    /// What makes a rule send, relative to an event's time.
    pub enum Trigger {
        /// N hours before the start, to confirmed guests.
        Reminder = "reminder",
        /// N hours after the end, to guests who checked in.
        ThankYou = "thank_you",
        /// N hours after the end, to confirmed guests who did not check in.
        MissedYou = "missed_you",
        /// As soon as a waitlisted guest gets a seat (before the start).
        Promoted = "promoted",
        /// N hours after the end, to the event's leads still at the rule's stage.
        StageFollowUp = "stage_follow_up",
    }
}

texts_of! {
    /// The name of each `Trigger`, in both languages.
    impl Trigger, fn label;
    Reminder: "开始前提醒（已确认的嘉宾）", "Reminder before the start (confirmed guests)";
    ThankYou: "结束后致谢（已签到的嘉宾）", "Thank-you after the end (guests who checked in)";
    MissedYou: "结束后“遗憾错过”（报名但未签到）", "\"Sorry we missed you\" (registered, not checked in)";
    Promoted: "候补转正通知", "Waitlist promotion notice";
    StageFollowUp: "结束后跟进（仍在某阶段的线索）", "Follow-up after the end (leads still at a stage)";
}

stored_enum! {
    /// What an API token may do: read everything a viewer reads, or also write what an
    /// organizer writes (events, check-ins, leads, projects).
    pub enum ApiScope {
        Read = "read",
        ReadWrite = "read_write",
    }
}

stored_enum! {
    /// Where a webhook delivery stands.
    pub enum DeliveryStatus {
        Pending = "pending",
        Sending = "sending",
        Delivered = "delivered",
        /// Failed after its last retry (a day of them), or its endpoint was turned off.
        Failed = "failed",
    }
}

stored_enum! {
    /// What a webhook announces (its `type`).
    pub enum WebhookEvent {
        RegistrationCreated = "registration.created",
        RegistrationChanged = "registration.changed",
        RegistrationCancelled = "registration.cancelled",
        RegistrationCheckedIn = "registration.checked_in",
        WaitlistPromoted = "registration.promoted",
        LeadCreated = "lead.created",
        LeadStageChanged = "lead.stage_changed",
        ProjectSigned = "project.signed",
        TrancheReceived = "tranche.received",
        CampaignFinished = "campaign.finished",
        /// Sent by the "send test event" button only.
        Test = "webhook.test",
    }
}

texts_of! {
    impl WebhookEvent, fn label;
    RegistrationCreated: "新报名", "Registration created";
    RegistrationChanged: "报名变更", "Registration changed";
    RegistrationCancelled: "报名取消", "Registration cancelled";
    RegistrationCheckedIn: "嘉宾签到", "Guest checked in";
    WaitlistPromoted: "候补转正", "Promoted from the waitlist";
    LeadCreated: "新线索", "Lead created";
    LeadStageChanged: "线索阶段变更", "Lead stage changed";
    ProjectSigned: "项目签约", "Project signed";
    TrancheReceived: "资金到位", "Funds received";
    CampaignFinished: "群发完成", "Campaign finished";
    Test: "测试事件", "Test event";
}

stored_enum! {
    /// A meeting request from asking to the table: `Pending` until the other side answers
    /// or it expires; an accepted one holds a slot and a table until it is cancelled, held
    /// or missed.
    pub enum MeetingStatus {
        Pending = "pending",
        Accepted = "accepted",
        Declined = "declined",
        Cancelled = "cancelled",
        Expired = "expired",
        Held = "held",
        Missed = "missed",
    }
}

texts_of! {
    /// The name of each `MeetingStatus`, in both languages.
    impl MeetingStatus, fn label;
    Pending: "待回复", "Awaiting an answer";
    Accepted: "已确认", "Accepted";
    Declined: "已谢绝", "Declined";
    Cancelled: "已取消", "Cancelled";
    Expired: "已过期", "Expired";
    Held: "已会谈", "Held";
    Missed: "未到场", "Missed";
}
