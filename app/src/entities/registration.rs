use sea_orm::entity::prelude::*;

use crate::domain::{ConsentSource, RegistrationStatus};
use crate::i18n::Lang;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    /// Normalized (trimmed, lower-case): the identity of the guest for this event.
    pub email: String,
    pub name: String,
    pub phone: String,
    pub company: String,
    pub job_title: String,
    pub country: String,
    pub industry_chains: String,
    pub language: Lang,
    /// `confirmed`, `waitlisted` or `cancelled`.
    pub status: RegistrationStatus,
    /// A random value the signed manage link is bound to; replacing it revokes the link.
    #[sea_orm(unique, column_name = "manage_token_hash")]
    pub manage_nonce: String,
    pub consent_data_at: DateTimeUtc,
    pub consent_data_version: String,
    pub consent_marketing_at: Option<DateTimeUtc>,
    pub consent_source: ConsentSource,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub checked_in_at: Option<DateTimeUtc>,
    /// Shown to the guest as a QR code; the door scans it to check them in.
    #[sea_orm(unique)]
    pub check_in_code: String,
    /// `SEQUENCE` of the calendar invitation last sent for this registration.
    pub calendar_sequence: i32,
    /// The guest's own IANA zone when their browser told us (else empty).
    pub time_zone: String,
    /// Answers to the event's custom questions: a JSON object of question id -> text.
    #[sea_orm(column_type = "Text")]
    pub answers: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
