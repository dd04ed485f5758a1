//! Registrations (RSVPs): a guest registers for a published event from its public
//! page; confirmed while seats last, waitlisted after, never overbooked.

pub mod live;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::IndustryChain;
use crate::domain::RegistrationStatus;
use crate::domain::{self, Country, Email, Phone, TimeZone};
use crate::error::{AppError, FieldErrors, Reason};
use crate::i18n::Lang;

/// The version of the consent wording shown on the form; stored with each consent.
pub const CONSENT_VERSION: &str = "2026-11";

/// The registration form as posted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub job_title: String,
    pub country: String,
    pub industry_chains: BTreeMap<String, String>,
    /// `zh` or `en`: the language of the guest's emails.
    pub language: String,
    /// `on` when the consent to data use is ticked (required).
    pub consent_data: String,
    /// `on` when the consent to follow-up emails is ticked (optional).
    pub consent_marketing: String,
    /// The guest's IANA zone, filled in by the browser once the page is hydrated.
    pub time_zone: String,
    /// Answers to the event's custom questions (`q12`, or `q12_3` for a choice of a
    /// multiple-choice question), checked on the server against the event's questions.
    pub answers: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidRegistration {
    pub name: String,
    pub email: Email,
    pub phone: Phone,
    pub company: String,
    pub job_title: String,
    pub country: Option<Country>,
    pub industry_chains: Vec<IndustryChain>,
    pub language: Lang,
    pub consent_marketing: bool,
    /// `None` when unknown (no JavaScript) or not a zone we know.
    pub time_zone: Option<TimeZone>,
    /// As posted; parsed with the event's questions (see `questions::parse_answers`).
    pub answers: BTreeMap<String, String>,
}

impl RegistrationForm {
    pub fn parse(&self) -> Result<ValidRegistration, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", domain::text(&self.name, true, 200));
        let email = e.check("email", Email::parse(&self.email));
        let phone = e.check("phone", Phone::parse(&self.phone));
        let company = e.check("company", domain::text(&self.company, false, 200));
        let job_title = e.check("job_title", domain::text(&self.job_title, false, 200));
        let country = e.check("country", Country::optional(&self.country));
        let industry_chains = e.check("industry_chains", IndustryChain::from_checked(&self.industry_chains));
        let language = if self.language.is_empty() {
            Some(Lang::default())
        } else {
            e.check("language", Lang::parse(&self.language).ok_or(Reason::UnknownChoice))
        };
        if self.consent_data != "on" {
            e.add("consent_data", Reason::ConsentRequired);
        }
        match (name, email, phone, company, job_title, country, industry_chains, language) {
            (
                Some(name),
                Some(email),
                Some(phone),
                Some(company),
                Some(job_title),
                Some(country),
                Some(industry_chains),
                Some(language),
            ) if e.is_empty() => Ok(ValidRegistration {
                name,
                email,
                phone,
                company,
                job_title,
                country,
                industry_chains,
                language,
                consent_marketing: self.consent_marketing == "on",
                time_zone: TimeZone::parse(&self.time_zone).ok(),
                answers: self.answers.clone(),
            }),
            _ => Err(e),
        }
    }

    pub fn validate(&self) -> FieldErrors {
        self.parse().err().unwrap_or_default()
    }
}

/// What a registration came to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationOutcome {
    pub id: i32,
    pub status: RegistrationStatus,
    /// Registering again with the same email updated the existing registration.
    pub updated: bool,
    /// The signed token of the guest's manage page `/r/<token>`, given only to a first
    /// registration; after a repeat, the link goes to the guest's mailbox instead.
    pub manage_token: Option<String>,
}

/// A registration as its guest sees it on the private manage page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub event_slug: String,
    pub event_title_zh: String,
    pub event_title_en: String,
    pub starts_local: chrono::NaiveDateTime,
    pub ends_local: chrono::NaiveDateTime,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub utc_offset: String,
    pub time_zone: String,
    pub venue_name: String,
    pub city: String,
    pub name: String,
    pub email: String,
    pub status: RegistrationStatus,
    /// 1 for the next guest to get a seat.
    pub waitlist_position: Option<u64>,
    /// The code the door scans, and its QR code as SVG, while the seat is confirmed.
    pub check_in_code: Option<String>,
    pub check_in_qr: Option<String>,
    /// The registration as its form shows it, for changing it.
    pub details: RegistrationForm,
    pub questions: Vec<crate::domain::questions::Question>,
}

/// Registers a guest for a published public event (the same email again updates the
/// same registration). Rate-limited per client address.
#[server(prefix = "/api", endpoint = "registrations/register")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn register(
    slug: String,
    form: RegistrationForm,
    /// The token of a personal invitation link (invite-only events).
    #[server(default)]
    invite: String,
) -> Result<RegistrationOutcome, AppError> {
    let ctx = crate::auth::ssr::RequestContext::current()?;
    ctx.check_rate(&ctx.state.registration_limiter).await?;
    let valid = form.parse().map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let state = ctx.state.clone();
    let channel = match invite.trim() {
        "" => ssr::Channel::EventPage,
        token => ssr::Channel::Invitation { token: token.to_string() },
    };
    let outcome = ssr::register(&state, &slug, valid, channel).await.map_err(|e| e.with_values(&form))?;
    crate::events::cache::of(&state)?.invalidate(&slug);
    state.mail_wakeup.notify_one();
    match &outcome.manage_token {
        Some(token) => leptos_axum::redirect(&format!("/r/{token}")),
        None => leptos_axum::redirect(&format!("/e/{slug}?updated=1#register")),
    }
    Ok(outcome)
}

/// The guest's registration behind a private link; an unknown (or altered) token is
/// `NotFound`, a link 30 days past the event is refused as expired.
#[server(prefix = "/api", endpoint = "registrations/get")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_registration(token: String) -> Result<RegistrationView, AppError> {
    let state = crate::state::app_state()?;
    ssr::view(&state.db, &state.mail, &token).await
}

/// Cancels the registration behind a private link (again: no change). A freed seat
/// goes to the first guest on the waitlist. Answers the new status, or nothing when a
/// refusal went back to the private page.
#[server(prefix = "/api", endpoint = "registrations/cancel")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn cancel_registration(token: String) -> Result<Option<RegistrationStatus>, AppError> {
    let state = crate::state::app_state()?;
    let cancelled = async {
        let slug = ssr::cancel(&state.db, &state.mail, &token).await?;
        crate::events::cache::of(&state)?.invalidate(&slug);
        state.mail_wakeup.notify_one();
        Ok(())
    };
    // A refused post without script is told on the private page, not sent home.
    let cancelled = cancelled.await.map(|()| Some(RegistrationStatus::Cancelled));
    crate::forms::private_page_outcome::<CancelRegistration, _>("/r/", &token, "", "", cancelled)
}

/// The guest changes their registration behind the private link (their email stays:
/// it is who they are for this event). A confirmed guest gets an updated invitation.
#[server(prefix = "/api", endpoint = "registrations/change")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_registration(token: String, form: RegistrationForm) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let changed = async {
        let valid = ValidRegistration::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
        ssr::change(&state.db, &state.mail, &token, valid).await.map_err(|e| e.with_values(&form))?;
        state.mail_wakeup.notify_one();
        Ok(())
    };
    crate::forms::private_page_outcome::<ChangeRegistration, ()>("/r/", &token, "?changed=1", "", changed.await)
}

/// One guest in the organizer's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub job_title: String,
    pub country: String,
    pub language: Lang,
    pub status: RegistrationStatus,
    pub marketing_consent: bool,
    pub registered_at: chrono::DateTime<chrono::Utc>,
    pub checked_in_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The check-in time in the venue's zone.
    pub checked_in_local: Option<chrono::NaiveDateTime>,
    /// Answers in the order of `RegistrationList::questions` (empty when not answered).
    pub answers: Vec<String>,
}

/// Filters of the organizer's registration list (strings as they come from the URL).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationFilter {
    pub status: String,
    pub q: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationList {
    pub event_title_zh: String,
    pub event_title_en: String,
    pub capacity: i32,
    pub confirmed: u64,
    pub waitlisted: u64,
    pub cancelled: u64,
    pub checked_in: u64,
    /// The event's custom questions, labelled as the organizer wrote them.
    pub questions: Vec<crate::domain::questions::Question>,
    pub rows: Vec<RegistrationRow>,
}

/// What a tap on "check in" did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckInOutcome {
    pub name: String,
    /// The guest had been checked in before (at `checked_in_at`).
    pub already: bool,
    pub checked_in_at: chrono::DateTime<chrono::Utc>,
    /// The same in the venue's zone.
    pub checked_in_local: chrono::NaiveDateTime,
}

/// Checks a confirmed guest in at the door; a second check-in reports the first.
#[server(prefix = "/api", endpoint = "registrations/check-in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn check_in(registration_id: i32) -> Result<CheckInOutcome, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::check_in(&db, member.organization_id, registration_id).await
}

/// Checks in the guest whose QR code was scanned (or whose code was typed) at the door.
#[server(prefix = "/api", endpoint = "registrations/check-in-code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn check_in_code(event_id: i32, code: String) -> Result<CheckInOutcome, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_writer().await?;
    ssr::check_in_by_code(&db, member.organization_id, event_id, &code).await
}

/// Registers a guest who turns up without registering, into a free seat, and checks
/// them in. The organizer asks for the guest's consent to the use of their data.
#[server(prefix = "/api", endpoint = "registrations/walk-in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn walk_in(event_id: i32, form: RegistrationForm) -> Result<CheckInOutcome, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let valid = ValidRegistration::try_from(&form).map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let slug = crate::events::ssr::slug_of(&state.db, member.organization_id, event_id).await?;
    let channel = ssr::Channel::Door { organization_id: member.organization_id, or_waitlist: false };
    let outcome = ssr::register(&state, &slug, valid, channel).await.map_err(|e| e.with_values(&form))?;
    crate::events::cache::of(&state)?.invalidate(&slug);
    state.mail_wakeup.notify_one();
    ssr::check_in(&state.db, member.organization_id, outcome.id).await
}

/// An event's registrations for its organization's members (viewers included).
#[server(prefix = "/api", endpoint = "registrations/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_registrations(
    event_id: i32,
    #[server(default)] filter: RegistrationFilter,
) -> Result<RegistrationList, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list(&db, member.organization_id, event_id, &filter).await
}

crate::error::parsed_from!(RegistrationForm => ValidRegistration);

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RegistrationForm {
        RegistrationForm {
            name: "王芳 Wang Fang".into(),
            email: "Wang.Fang@Example.com".into(),
            phone: "+86 138-0000-0000".into(),
            company: "Hunan Chamber of Commerce".into(),
            consent_data: "on".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_registration_parses() {
        let r = valid().parse().unwrap();
        assert_eq!(r.email.as_str(), "wang.fang@example.com");
        assert_eq!(r.language, Lang::Zh);
        assert!(!r.consent_marketing);
    }

    #[test]
    fn consent_is_required_and_fields_are_named() {
        let form =
            RegistrationForm { consent_data: String::new(), phone: "call me".into(), email: "x".into(), ..valid() };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.get("consent_data"), Some(&Reason::ConsentRequired));
        assert_eq!(errors.get("phone"), Some(&Reason::InvalidPhone));
        assert_eq!(errors.get("email"), Some(&Reason::InvalidEmail));
    }

    #[test]
    fn phones_as_people_type_them() {
        assert!(crate::domain::Phone::parse("+49 (69) 123-4567").is_ok());
        assert!(crate::domain::Phone::parse("").is_ok());
        assert_eq!(crate::domain::Phone::parse("12345"), Err(Reason::InvalidPhone));
        assert_eq!(crate::domain::Phone::parse("1+2345678"), Err(Reason::InvalidPhone));
    }
}
