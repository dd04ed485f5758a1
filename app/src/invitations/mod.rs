//! Invitations to invite-only events: organizers paste addresses or upload a CSV; each
//! invitee is emailed a personal link, the only way to register for such an event.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::Email;
use crate::error::{AppError, FieldErrors, Reason};

/// At most this many invitees at once.
pub const MAX_INVITEES: usize = 5_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    /// One invitee per line: `email`, `Name <email>`, or CSV `name,email` / `email,name`
    /// (a header line without an address is skipped).
    pub list: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitee {
    pub email: Email,
    pub name: String,
}

impl InviteForm {
    pub fn parse(&self) -> Result<Vec<Invitee>, FieldErrors> {
        let mut invitees: Vec<Invitee> = Vec::new();
        for (i, line) in self.list.lines().enumerate() {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() {
                continue;
            }
            let invitee = parse_line(line);
            match invitee {
                Some(invitee) => {
                    if !invitees.iter().any(|v| v.email == invitee.email) {
                        invitees.push(invitee);
                    }
                }
                // A header such as `name,email` has no address in it.
                None if i == 0 && !line.contains('@') => {}
                None => return Err(FieldErrors::single("list", Reason::InvalidInviteLine { line: i + 1 })),
            }
        }
        if invitees.is_empty() {
            return Err(FieldErrors::single("list", Reason::Required));
        }
        if invitees.len() > MAX_INVITEES {
            return Err(FieldErrors::single("list", Reason::OutOfRange { min: 1, max: MAX_INVITEES as i64 }));
        }
        Ok(invitees)
    }

    pub fn validate(&self) -> FieldErrors {
        self.parse().err().unwrap_or_default()
    }
}

fn clean_name(name: &str) -> String {
    name.trim().trim_matches('"').trim().chars().take(200).collect()
}

fn parse_line(line: &str) -> Option<Invitee> {
    if let (Some(open), Some(close)) = (line.find('<'), line.rfind('>'))
        && open < close
    {
        let email = Email::parse(&line[open + 1..close]).ok()?;
        return Some(Invitee { email, name: clean_name(&line[..open]) });
    }
    let cells: Vec<&str> = line.split([',', ';', '\t']).map(str::trim).collect();
    let at = cells.iter().position(|c| c.contains('@'))?;
    let email = Email::parse(cells[at].trim_matches('"')).ok()?;
    let name = cells.iter().enumerate().filter(|(i, c)| *i != at && !c.is_empty()).map(|(_, c)| *c).next();
    Some(Invitee { email, name: name.map(clean_name).unwrap_or_default() })
}

/// One invitee on the organizer's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub email: String,
    pub name: String,
    pub registered: bool,
    pub invited_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InviteOutcome {
    /// Newly invited (each emailed).
    pub invited: usize,
    /// Already invited before (not emailed again).
    pub already: usize,
}

/// What the public form knows of an invitation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub name: String,
}

#[server(prefix = "/api", endpoint = "invitations/invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn invite(event_id: i32, form: InviteForm) -> Result<InviteOutcome, AppError> {
    let state = crate::state::app_state()?;
    let member = crate::auth::ssr::require_writer().await?;
    let invitees = form.parse().map_err(|e| AppError::Invalid(e).with_values(&form))?;
    let outcome = ssr::invite(&state.db, &state.mail, member.organization_id, event_id, invitees).await?;
    state.mail_wakeup.notify_one();
    Ok(outcome)
}

#[server(prefix = "/api", endpoint = "invitations/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_invitations(event_id: i32) -> Result<Vec<InvitationRow>, AppError> {
    let db = crate::state::db()?;
    let member = crate::auth::ssr::require_member().await?;
    ssr::list(&db, member.organization_id, event_id).await
}

/// The invitation behind a personal link to this event's form; a forged link is `NotFound`.
#[server(prefix = "/api", endpoint = "invitations/get")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_invitation(slug: String, token: String) -> Result<InvitationView, AppError> {
    let state = crate::state::app_state()?;
    let invitation = ssr::by_token(&state.db, &state.mail, &slug, &token).await?;
    Ok(InvitationView { email: invitation.email, name: invitation.name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_lines_and_csv_rows_become_invitees() {
        let form = InviteForm {
            list: "name,email\n\"Li Lei\",li@example.com\nWang Fang <Wang@Example.com>\nzhao@example.com\nchen@example.com;Chen\n\nli@example.com".into(),
        };
        let invitees = form.parse().unwrap();
        let pairs: Vec<(&str, &str)> = invitees.iter().map(|i| (i.email.as_str(), i.name.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("li@example.com", "Li Lei"),
                ("wang@example.com", "Wang Fang"),
                ("zhao@example.com", ""),
                ("chen@example.com", "Chen")
            ]
        );
    }

    #[test]
    fn a_bad_line_is_named() {
        let form = InviteForm { list: "a@example.com\nnot an address\n".into() };
        assert_eq!(form.parse().unwrap_err().get("list"), Some(&Reason::InvalidInviteLine { line: 2 }));
        assert_eq!(InviteForm::default().parse().unwrap_err().get("list"), Some(&Reason::Required));
    }
}
