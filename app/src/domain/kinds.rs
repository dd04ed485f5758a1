//! What kind of thing a stored record is, or where it came from: the closed sets of
//! values that several columns hold. Like the states beside them, each is a column type
//! of its own on the server, so a row holding an unknown value fails to load.

use crate::i18n::texts_of;

stored_enum! {
    /// What an entry of a lead's history records. The last three are not stored in a
    /// lead's history: its timeline reads them from registrations and the outbox.
    pub enum ActivityKind {
        Captured = "captured",
        Imported = "imported",
        Stage = "stage",
        Owner = "owner",
        Amount = "amount",
        Funds = "funds",
        Merged = "merged",
        /// A project moved from one unit's credit to another's.
        Unit = "unit",
        /// A project reached a step of its life after signing (its `from` names the step:
        /// `registered`, `started` or `producing`; its `to` the day).
        Progress = "progress",
        /// A tranche of funds was checked against its proof by a second member.
        Verified = "verified",
        Note = "note",
        Erased = "erased",
        Registered = "registered",
        CheckedIn = "checked_in",
        Email = "email",
        /// A one-to-one meeting at a stop was held (its `to` names the table and the host).
        Meeting = "meeting",
    }
}

texts_of! {
    /// The name of each `ActivityKind`, in both languages.
    impl ActivityKind, fn label;
    Captured: "采集", "Captured";
    Imported: "导入", "Imported";
    Stage: "阶段", "Stage";
    Owner: "负责人", "Owner";
    Amount: "计划投资", "Planned investment";
    Funds: "资金到位", "Funds in place";
    Merged: "合并", "Merged";
    Unit: "计入单位", "Credited unit";
    Progress: "项目进展", "Project progress";
    Verified: "到位资金核实", "Funds verified";
    Note: "备注", "Note";
    Erased: "删除个人数据", "Erased";
    Registered: "报名", "Registered";
    CheckedIn: "签到", "Checked in";
    Email: "邮件", "Email";
    Meeting: "一对一洽谈", "One-to-one meeting";
}

stored_enum! {
    /// How the lead was brought in (the bureau's five promotion methods).
    pub enum PromotionMethod {
        Platform = "platform",
        IndustryChain = "industry_chain",
        BusinessReferral = "business_referral",
        Capital = "capital",
        HometownTies = "hometown_ties",
    }
}

texts_of! {
    /// The name of each `PromotionMethod`, in both languages.
    impl PromotionMethod, fn label;
    Platform: "平台招商", "Platform";
    IndustryChain: "产业链招商", "Industry chain";
    BusinessReferral: "以商招商", "Business referral";
    Capital: "资本招商", "Capital";
    HometownTies: "乡情招商", "Hometown ties";
}

stored_enum! {
    /// What kind of promotion unit: the teams an organization's targets and credit go to.
    pub enum UnitKind {
        /// A county, county-level city or district (县市区).
        County = "county",
        /// A development zone or industrial park (园区).
        Zone = "zone",
        /// A township or subdistrict (乡镇街道).
        Township = "township",
        /// An industry-chain task force (产业链专班).
        TaskForce = "task_force",
        /// A department of the government (部门).
        Department = "department",
    }
}

texts_of! {
    /// The name of each `UnitKind`, in both languages.
    impl UnitKind, fn label;
    County: "县市区", "County or district";
    Zone: "园区", "Development zone or park";
    Township: "乡镇街道", "Township";
    TaskForce: "产业链专班", "Industry-chain task force";
    Department: "部门", "Department";
}

stored_enum! {
    /// How a lead came to an event.
    pub enum MetSource {
        Registration = "registration",
        Door = "door",
        Import = "import",
    }
}

texts_of! {
    /// How each `MetSource` reads after an event's title, in both languages.
    impl MetSource, fn label;
    Registration: "报名", "registered";
    Door: "现场采集", "met at the door";
    Import: "导入", "imported";
}

stored_enum! {
    /// Where a person's consent to processing their details was given.
    pub enum ConsentSource {
        /// The public registration form of an event.
        EventPage = "event-page",
        /// The registration form an invitation links to.
        Invitation = "invitation",
        /// Registered at the door by an organizer.
        WalkIn = "walk-in",
        /// A lead captured at the door of an event.
        Door = "door",
        /// A lead an organizer entered without an event.
        Organizer = "organizer",
        /// A row of an imported list.
        Import = "import",
    }
}

texts_of! {
    /// The name of each `ConsentSource`, in both languages.
    impl ConsentSource, fn label;
    EventPage: "活动页面报名", "registration on the event page";
    Invitation: "邀请函报名", "registration through an invitation";
    WalkIn: "现场报名", "walk-in registration at the door";
    Door: "现场采集", "captured at the door";
    Organizer: "组织者录入", "entered by an organizer";
    Import: "名单导入", "imported list";
}

impl ConsentSource {
    /// Whether the person filled in our own form, which asked them for follow-up emails
    /// (a lead captured or imported was never asked).
    pub fn asked_for_follow_ups(self) -> bool {
        matches!(self, Self::EventPage | Self::Invitation | Self::WalkIn)
    }
}

stored_enum! {
    /// What a follow-up rule or a campaign did about one person.
    pub enum SendOutcome {
        /// Their email is in the outbox.
        Queued = "queued",
        /// Unsubscribed or bouncing.
        Suppressed = "suppressed",
        /// Declined follow-up emails when registering.
        NoConsent = "no_consent",
        /// The lead has moved past the rule's stage.
        StagePassed = "stage_passed",
    }
}

texts_of! {
    /// Why a rule or campaign did or did not mail someone, in both languages.
    impl SendOutcome, fn label;
    Queued: "已发送", "sent";
    Suppressed: "未发送：已退订或退信", "not sent: unsubscribed or bouncing";
    NoConsent: "未发送：报名时未同意接收跟进邮件", "not sent: declined follow-up emails when registering";
    StagePassed: "未发送：线索已超过该阶段", "not sent: the lead has moved on";
}

stored_enum! {
    /// Why an email was written: a guest's registration, or the organization's mailing.
    pub enum MessageKind {
        /// Registered with a seat.
        Confirmation = "confirmation",
        /// Registered on the waitlist.
        Waitlisted = "waitlisted",
        /// Moved from the waitlist to a seat.
        Promoted = "promoted",
        /// Changed their registration (or registered again with the same email).
        Updated = "updated",
        /// Cancelled their registration.
        Cancelled = "cancelled",
        /// The organizer cancelled the event.
        EventCancelled = "event_cancelled",
        /// The organizer moved the event (time or place).
        EventChanged = "event_changed",
        /// An invitation to an invite-only event.
        Invitation = "invitation",
        /// A follow-up rule's email.
        FollowUp = "follow_up",
        /// A campaign's email.
        Campaign = "campaign",
        /// To an organization's owners: a webhook endpoint was turned off after failing.
        WebhookDisabled = "webhook_disabled",
        /// A one-to-one meeting accepted, moved or cancelled (with its calendar entry).
        Meeting = "meeting",
        /// A one-to-one meeting starts soon.
        MeetingReminder = "meeting_reminder",
    }
}

stored_enum! {
    /// What a tranche's proof file is, as its content (not its name) says.
    pub enum ProofKind {
        Pdf = "pdf",
        Jpeg = "jpeg",
        Png = "png",
    }
}

impl ProofKind {
    /// Proof files are at most 10 MB.
    pub const MAX_BYTES: usize = 10 * 1024 * 1024;

    /// The kind the file's first bytes are, whatever it is called.
    pub fn sniff(bytes: &[u8]) -> Option<ProofKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(ProofKind::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ProofKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ProofKind::Png)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ProofKind::Pdf => "application/pdf",
            ProofKind::Jpeg => "image/jpeg",
            ProofKind::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ProofKind::Pdf => "pdf",
            ProofKind::Jpeg => "jpg",
            ProofKind::Png => "png",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn each_kind_is_stored_under_its_own_name_and_read_back() {
        macro_rules! round_trip {
            ($($kind:ident),*) => {$(
                let names: Vec<&str> = $kind::ALL.iter().map(|k| k.as_str()).collect();
                let mut unique = names.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), names.len(), "{} names are distinct", stringify!($kind));
                for k in $kind::ALL {
                    assert_eq!($kind::parse(k.as_str()), Some(k));
                    let json = serde_json::to_string(&k).unwrap();
                    assert_eq!(json, format!("\"{}\"", k.as_str()), "the browser gets the stored name");
                }
                assert_eq!($kind::parse(""), None, "no kind is named by empty text");
            )*};
        }
        round_trip!(
            ActivityKind,
            PromotionMethod,
            UnitKind,
            MetSource,
            ConsentSource,
            SendOutcome,
            MessageKind,
            ProofKind
        );
        assert_eq!(ConsentSource::parse("walk-in"), Some(ConsentSource::WalkIn));
    }

    #[test]
    fn every_kind_a_reader_sees_has_words_in_both_languages() {
        let labels = ActivityKind::ALL
            .iter()
            .map(|k| (k.label(Lang::Zh), k.label(Lang::En)))
            .chain(PromotionMethod::ALL.iter().map(|k| (k.label(Lang::Zh), k.label(Lang::En))))
            .chain(UnitKind::ALL.iter().map(|k| (k.label(Lang::Zh), k.label(Lang::En))))
            .chain(MetSource::ALL.iter().map(|k| (k.label(Lang::Zh), k.label(Lang::En))))
            .chain(ConsentSource::ALL.iter().map(|k| (k.label(Lang::Zh), k.label(Lang::En))))
            .chain(SendOutcome::ALL.iter().map(|k| (k.label(Lang::Zh), k.label(Lang::En))));
        for (zh, en) in labels {
            assert!(zh.chars().any(|c| c > '\u{2e80}'), "{zh} is Chinese");
            assert!(en.is_ascii() && !en.is_empty(), "{en} is English");
        }
    }

    #[test]
    fn only_our_own_forms_asked_for_follow_up_consent() {
        let asked: Vec<ConsentSource> = ConsentSource::ALL.into_iter().filter(|s| s.asked_for_follow_ups()).collect();
        assert_eq!(asked, [ConsentSource::EventPage, ConsentSource::Invitation, ConsentSource::WalkIn]);
    }

    #[test]
    fn a_proof_file_is_known_by_its_content_not_its_name() {
        assert_eq!(ProofKind::sniff(b"%PDF-1.7\n..."), Some(ProofKind::Pdf));
        assert_eq!(ProofKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(ProofKind::Jpeg));
        assert_eq!(ProofKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(ProofKind::Png));
        assert_eq!(ProofKind::sniff(b"<html><script>alert(1)</script>"), None, "HTML named .pdf");
        assert_eq!(ProofKind::sniff(b"MZ\x90\0"), None, "a program");
        assert_eq!(ProofKind::sniff(b""), None);
        assert_eq!(ProofKind::sniff(b"%PD"), None, "cut short");
    }
}
