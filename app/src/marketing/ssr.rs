//! Server side of marketing email: a template rendered for one person (merge values
//! escaped, and percent-encoded inside a link target), consent, the record that makes each
//! person mailed once per rule or campaign, the suppression list and unsubscribing.

use chrono::Utc;
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::OnConflict,
};
use sha2::{Digest, Sha256};

use super::{MergeField, Template, TemplateForm, fill};
use crate::domain::SendOutcome;
use crate::entities::{
    event, lead, mail_template, marketing_send, organization, outbox_message, registration, suppressed_address,
};
use crate::error::AppError;
use crate::html::escape;
use crate::i18n::Lang;
use crate::mail::compose::{Composed, when};
use crate::mail::ssr::{MailSettings, NewMessage, outbox_row};

crate::i18n::texts_of! {
    /// The footer every marketing email carries.
    struct FooterTexts, fn footer_texts;
    unsubscribe: "不想再收到此类邮件？退订", "Don't want these emails? Unsubscribe";
}

pub(crate) fn form_of(t: &mail_template::Model) -> TemplateForm {
    TemplateForm {
        name: t.name.clone(),
        subject_zh: t.subject_zh.clone(),
        body_zh: t.body_zh.clone(),
        subject_en: t.subject_en.clone(),
        body_en: t.body_en.clone(),
    }
}

/// A stored template, for rendering (it passed `TemplateForm::parse` when it was saved).
pub(crate) fn template_of(t: mail_template::Model) -> Template {
    Template {
        name: t.name,
        subject_zh: t.subject_zh,
        body_zh: t.body_zh,
        subject_en: t.subject_en,
        body_en: t.body_en,
    }
}

pub(crate) async fn find_template(
    db: &impl ConnectionTrait,
    org_id: i32,
    id: i32,
) -> Result<mail_template::Model, AppError> {
    mail_template::Entity::find_by_id(id)
        .filter(mail_template::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The person a follow-up is written to, and what its merge fields say.
pub struct Recipient<'a> {
    pub name: &'a str,
    pub company: &'a str,
    pub language: Lang,
    pub event: Option<&'a event::Model>,
    pub registration: Option<&'a registration::Model>,
}

/// The template in the recipient's language with its merge fields filled: a text part,
/// an HTML part (the Markdown rendered safe), both ending with the unsubscribe link.
pub fn render(
    settings: &MailSettings,
    template: &Template,
    to: &Recipient,
    organizer: &str,
    unsubscribe_url: &str,
) -> Composed {
    let lang = to.language;
    let (subject, body) = match lang {
        Lang::Zh => (&template.subject_zh, &template.body_zh),
        Lang::En => (&template.subject_en, &template.body_en),
    };
    let value = |field: MergeField| -> String {
        let event = to.event;
        match field {
            MergeField::Name => to.name.to_string(),
            MergeField::Company => to.company.to_string(),
            MergeField::Event => event.map(|e| lang.pick(&e.title_zh, &e.title_en).to_string()).unwrap_or_default(),
            MergeField::Venue => event
                .map(|e| {
                    [e.venue_name.as_str(), e.venue_address.as_str(), e.city.as_str()]
                        .into_iter()
                        .filter(|s| !s.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            MergeField::Start => event
                .map(|e| {
                    let zone = to.registration.map(|r| r.time_zone.as_str()).unwrap_or(&e.time_zone);
                    let tz: Tz = zone.parse().or_else(|_| e.time_zone.parse()).unwrap_or(chrono_tz::UTC);
                    when(lang, tz, e.starts_at, e.ends_at)
                })
                .unwrap_or_default(),
            MergeField::ManageLink => match (to.registration, event) {
                (Some(r), _) => settings.manage_url(r),
                (None, Some(e)) => settings.event_url(&e.slug),
                (None, None) => settings.public_url.clone(),
            },
            MergeField::Signature => organizer.to_string(),
            MergeField::UnsubscribeLink => unsubscribe_url.to_string(),
        }
    };
    // Merge values may lengthen a subject past what the outbox keeps (400 characters).
    let subject: String = fill(subject, value).replace(['\r', '\n'], " ").chars().take(400).collect();
    let unsubscribe = footer_texts(lang).unsubscribe;
    let text = format!("{}\n\n--\n{unsubscribe}: {unsubscribe_url}\n", fill(body, value).trim_end());
    // Fields go in after the Markdown is rendered, so a guest's name is never markup;
    // a placeholder of letters and digits survives rendering, in text and in links.
    let marked = fill(body, |field| format!("ROADSHOWFIELD{}END", field.name()));
    let html_body = fill_html(&crate::markdown::to_safe_html(&marked), value);
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\
         <body style=\"margin:0;padding:16px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif;color:#1f2933;background:#f5f7fa\">\
         <div style=\"max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:20px\">{html_body}</div>\
         <p style=\"max-width:560px;margin:12px auto;font-size:12px;color:#616e7c;text-align:center\"><a href=\"{}\" style=\"color:#616e7c\">{}</a></p>\
         </body></html>",
        lang.html_tag(),
        escape(&subject),
        escape(unsubscribe_url),
        escape(unsubscribe),
    );
    Composed { subject, text, html, calendar: None }
}

/// The rendered HTML with each field's placeholder replaced by its escaped value. Inside
/// a tag (a link target written as `[…]({{company}})`) a guest's text is percent-encoded
/// too, so it can only ever be a relative path, never a `javascript:` URL; the two link
/// fields are our own URLs and go in as they are.
fn fill_html(html: &str, value: impl Fn(MergeField) -> String) -> String {
    const OPEN: &str = "ROADSHOWFIELD";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let field = MergeField::ALL
            .into_iter()
            .find(|f| after[OPEN.len()..].strip_prefix(f.name()).is_some_and(|tail| tail.starts_with("END")));
        let Some(field) = field else {
            out.push_str(OPEN);
            rest = &after[OPEN.len()..];
            continue;
        };
        let in_tag = out.rfind('<') > out.rfind('>');
        let text = value(field);
        out.push_str(&escape(&if in_tag && !field.is_link() { crate::web::url_encode(&text) } else { text }));
        rest = &after[OPEN.len() + field.name().len() + "END".len()..];
    }
    out.push_str(rest);
    out
}

pub(crate) async fn organizer_name(db: &impl ConnectionTrait, org_id: i32) -> Result<String, sea_orm::DbErr> {
    Ok(organization::Entity::find_by_id(org_id).one(db).await?.map(|o| o.name).unwrap_or_default())
}

pub fn unsubscribe_url(settings: &MailSettings, token: &str) -> String {
    format!("{}/unsubscribe/{token}", settings.public_url)
}

/// Whether the person was asked for consent to follow-up emails (the registration form
/// asks) and did not give it. Leads an organizer typed in or imported were not asked here:
/// the organizer answers for those.
pub fn declined_follow_ups(lead: Option<&lead::Model>, registration: Option<&registration::Model>) -> bool {
    let asked = registration.is_some() || lead.is_some_and(|l| l.consent_source.asked_for_follow_ups());
    let consented = registration.is_some_and(|r| r.consent_marketing_at.is_some())
        || lead.is_some_and(|l| l.consent_marketing_at.is_some());
    asked && !consented
}

/// How many people a rule or campaign (`owner` is `RuleId` or `CampaignId`) mailed, and
/// how many it skipped, in one grouped count.
pub async fn send_counts(
    db: &impl ConnectionTrait,
    owner: marketing_send::Column,
    id: i32,
) -> Result<(u64, u64), sea_orm::DbErr> {
    let by_outcome: Vec<(SendOutcome, i64)> = marketing_send::Entity::find()
        .select_only()
        .column(marketing_send::Column::Outcome)
        .column_as(marketing_send::Column::Id.count(), "n")
        .filter(owner.eq(id))
        .group_by(marketing_send::Column::Outcome)
        .into_tuple()
        .all(db)
        .await?;
    let (mut sent, mut skipped) = (0, 0);
    for (outcome, n) in by_outcome {
        if outcome == SendOutcome::Queued { sent += n as u64 } else { skipped += n as u64 }
    }
    Ok((sent, skipped))
}

/// A marketing email ready to queue, and the token its unsubscribe link carries.
pub struct MarketingMail {
    pub message: NewMessage,
    pub token: String,
}

/// Records that a rule or campaign dealt with one person and queues their email, if
/// any, in the caller's transaction. The record's unique key makes this happen once: when
/// another process has recorded the person already, the email is dropped. Returns
/// whether an email was queued.
pub async fn record_send(
    txn: &impl ConnectionTrait,
    settings: &MailSettings,
    mut send: marketing_send::ActiveModel,
    mail: Option<MarketingMail>,
) -> Result<bool, sea_orm::DbErr> {
    let message_id = match mail {
        Some(MarketingMail { message, token }) => {
            // Due for delivery now, whatever the scheduler's clock says.
            let mut row = outbox_row(settings, message, Utc::now());
            row.marketing = Set(true);
            row.unsubscribe_token = Set(Some(token));
            Some(row.insert(txn).await?.id)
        }
        None => None,
    };
    send.outbox_message_id = Set(message_id);
    let key = match send.campaign_id {
        sea_orm::ActiveValue::Set(Some(_)) => vec![marketing_send::Column::CampaignId, marketing_send::Column::Address],
        _ => vec![marketing_send::Column::RuleId, marketing_send::Column::EventId, marketing_send::Column::Address],
    };
    let inserted = marketing_send::Entity::insert(send)
        .on_conflict(OnConflict::columns(key).do_nothing().to_owned())
        .exec_without_returning(txn)
        .await?;
    if inserted == 0 {
        if let Some(id) = message_id {
            outbox_message::Entity::delete_by_id(id).exec(txn).await?;
        }
        return Ok(false);
    }
    Ok(message_id.is_some())
}

/// Suppresses the address of the message with this unsubscribe token for all marketing
/// email. Idempotent; `false` when no message has the token.
pub async fn unsubscribe(db: &DatabaseConnection, token: &str) -> Result<bool, AppError> {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let Some(message) =
        outbox_message::Entity::find().filter(outbox_message::Column::UnsubscribeToken.eq(token)).one(db).await?
    else {
        return Ok(false);
    };
    if !message.to_address.is_empty() {
        suppress(db, &message.to_address, "unsubscribed").await?;
    }
    Ok(true)
}

/// Adds `email` to the suppression list (the first reason stays).
pub async fn suppress(db: &impl ConnectionTrait, email: &str, reason: &str) -> Result<(), sea_orm::DbErr> {
    suppressed_address::Entity::insert(suppressed_address::ActiveModel {
        email_hash: Set(address_hash(email)),
        reason: Set(reason.into()),
        created_at: Set(Utc::now()),
    })
    .on_conflict(OnConflict::column(suppressed_address::Column::EmailHash).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The hash an address is suppressed under.
pub fn address_hash(email: &str) -> String {
    hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()))
}

/// Whether marketing email may not go to `email` (erased, unsubscribed or bouncing).
pub async fn is_suppressed(db: &impl ConnectionTrait, email: &str) -> Result<bool, sea_orm::DbErr> {
    Ok(suppressed_address::Entity::find_by_id(address_hash(email)).one(db).await?.is_some())
}

#[cfg(test)]
mod tests {
    use super::{MergeField, fill_html};

    #[test]
    fn a_guests_text_is_never_markup_nor_a_link_scheme() {
        let value = |field| match field {
            MergeField::Company => "javascript:alert(1)".to_string(),
            MergeField::Name => "<img src=x onerror=alert(2)>".to_string(),
            MergeField::ManageLink => "https://roadshow.example/r/1-ab".to_string(),
            _ => String::new(),
        };
        let html = "<p>ROADSHOWFIELDnameEND <a href=\"ROADSHOWFIELDcompanyEND\">x</a> \
                    <a href=\"ROADSHOWFIELDmanage_linkEND\">ROADSHOWFIELDcompanyEND</a> ROADSHOWFIELDnopeEND</p>";
        assert_eq!(
            fill_html(html, value),
            "<p>&lt;img src=x onerror=alert(2)&gt; <a href=\"javascript%3Aalert%281%29\">x</a> \
             <a href=\"https://roadshow.example/r/1-ab\">javascript:alert(1)</a> ROADSHOWFIELDnopeEND</p>"
        );
    }
}
