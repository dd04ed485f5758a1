//! A person's data rights: everything held about them as one export, and erasure.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, Query},
};

use crate::auth::Member;
use crate::db::begin_write;
use crate::entities::{
    campaign, event, follow_up_rule, lead, lead_activity, lead_tag, marketing_send, outbox_message, registration,
};
use crate::error::AppError;
use crate::leads::ActivityKind;

use super::{find_owned, log};

/// A person's registrations at the organization's events, by their normalized email.
async fn registrations_of(
    db: &impl ConnectionTrait,
    org_id: i32,
    email: &str,
) -> Result<Vec<registration::Model>, sea_orm::DbErr> {
    let org_events = Query::select()
        .column(event::Column::Id)
        .from(event::Entity)
        .and_where(event::Column::OrganizationId.eq(org_id))
        .to_owned();
    registration::Entity::find()
        .filter(registration::Column::Email.eq(email))
        .filter(registration::Column::EventId.in_subquery(org_events))
        .all(db)
        .await
}

/// Everything the organization holds about a lead's person, as JSON (the right of access).
pub async fn export_person(db: &DatabaseConnection, org_id: i32, id: i32) -> Result<serde_json::Value, AppError> {
    let detail = super::detail(db, org_id, id).await?;
    let registrations = match &detail.form.email {
        email if !email.is_empty() => registrations_of(db, org_id, email).await?,
        _ => vec![],
    };
    let registrations: Vec<serde_json::Value> = registrations
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "event_id": r.event_id,
                "name": r.name,
                "email": r.email,
                "phone": r.phone,
                "company": r.company,
                "job_title": r.job_title,
                "country": r.country,
                "industry_chains": r.industry_chains,
                "language": r.language,
                "status": r.status,
                "answers": serde_json::from_str::<serde_json::Value>(&r.answers).unwrap_or_default(),
                "registered_at": r.created_at,
                "checked_in_at": r.checked_in_at,
                "consent": {
                    "data_use_at": r.consent_data_at,
                    "wording_version": r.consent_data_version,
                    "follow_up_emails_at": r.consent_marketing_at,
                    "source": r.consent_source,
                },
            })
        })
        .collect();
    Ok(serde_json::json!({
        "exported_at": Utc::now(),
        "lead": {
            "details": detail.form,
            "stage": detail.stage,
            "created_at": detail.created_at,
            "consent": {
                "data_use_at": detail.consent_data_at,
                "wording_version": detail.consent_data_version,
                "follow_up_emails_at": detail.consent_marketing_at,
                "source": detail.consent_source,
            },
        },
        "events": detail.events,
        "projects": detail.projects,
        "history": detail.timeline,
        "registrations": registrations,
    }))
}

/// Erases a person (the right to erasure): their lead is anonymized with its history of
/// notes, their registrations at the organization's events lose every personal detail,
/// emails to them still queued are cancelled and sent ones emptied, and their address is
/// suppressed (by hash) so no marketing email reaches it again. One transaction.
pub async fn erase(db: &DatabaseConnection, member: &Member, id: i32) -> Result<(), AppError> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let lead = find_owned(&txn, member.organization_id, id).await?;
    let erased = "—".to_string();
    if let Some(email) = &lead.email {
        // Their events' row locks first, in id order, as every writer of a registration
        // takes its event's (see `events::ssr::lock_event`); then the registrations read again.
        let mut events: Vec<i32> =
            registrations_of(&txn, member.organization_id, email).await?.iter().map(|r| r.event_id).collect();
        events.sort_unstable();
        events.dedup();
        for event_id in events {
            crate::events::ssr::lock_event(&txn, event_id).await?;
        }
        for r in registrations_of(&txn, member.organization_id, email).await? {
            let rid = r.id;
            let mut model: registration::ActiveModel = r.into();
            model.email = Set(format!("erased-{rid}{}", crate::mail::ERASED_DOMAIN));
            model.name = Set(erased.clone());
            model.phone = Set(String::new());
            model.company = Set(String::new());
            model.job_title = Set(String::new());
            model.country = Set(String::new());
            model.answers = Set("{}".into());
            model.time_zone = Set(String::new());
            model.updated_at = Set(now);
            model.update(&txn).await?;
        }
        outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Status, Expr::value(crate::mail::OutboxStatus::Failed.as_str()))
            .col_expr(outbox_message::Column::LastError, Expr::value(crate::mail::ERASED))
            .filter(outbox_message::Column::OrganizationId.eq(member.organization_id))
            .filter(outbox_message::Column::ToAddress.eq(email.as_str()))
            .filter(
                outbox_message::Column::Status
                    .is_not_in([crate::mail::OutboxStatus::Sent.as_str(), crate::mail::OutboxStatus::Failed.as_str()]),
            )
            .exec(&txn)
            .await?;
        outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::ToAddress, Expr::value("erased@erased.invalid"))
            .col_expr(outbox_message::Column::ToName, Expr::value(""))
            .col_expr(outbox_message::Column::Subject, Expr::value(erased.clone()))
            .col_expr(outbox_message::Column::TextBody, Expr::value(""))
            .col_expr(outbox_message::Column::HtmlBody, Expr::value(""))
            .col_expr(outbox_message::Column::Calendar, Expr::value(Option::<String>::None))
            .filter(outbox_message::Column::OrganizationId.eq(member.organization_id))
            .filter(outbox_message::Column::ToAddress.eq(email.as_str()))
            .exec(&txn)
            .await?;
        // The record of follow-ups and campaigns keeps that the person was dealt with
        // (so nothing goes out twice), under a hash instead of the address.
        marketing_send::Entity::update_many()
            .col_expr(
                marketing_send::Column::Address,
                Expr::value(format!("erased-{}", crate::marketing::ssr::address_hash(email))),
            )
            .filter(marketing_send::Column::Address.eq(email.as_str()))
            .filter(
                Condition::any()
                    .add(
                        marketing_send::Column::RuleId.in_subquery(
                            Query::select()
                                .column(follow_up_rule::Column::Id)
                                .from(follow_up_rule::Entity)
                                .and_where(follow_up_rule::Column::OrganizationId.eq(member.organization_id))
                                .to_owned(),
                        ),
                    )
                    .add(
                        marketing_send::Column::CampaignId.in_subquery(
                            Query::select()
                                .column(campaign::Column::Id)
                                .from(campaign::Entity)
                                .and_where(campaign::Column::OrganizationId.eq(member.organization_id))
                                .to_owned(),
                        ),
                    ),
            )
            .exec(&txn)
            .await?;
        crate::marketing::ssr::suppress(&txn, email, "erased").await?;
    }
    lead_activity::Entity::delete_many().filter(lead_activity::Column::LeadId.eq(id)).exec(&txn).await?;
    lead_tag::Entity::delete_many().filter(lead_tag::Column::LeadId.eq(id)).exec(&txn).await?;
    let mut model: lead::ActiveModel = lead.into();
    model.email = Set(None);
    model.name = Set(erased);
    model.phone = Set(String::new());
    model.job_title = Set(String::new());
    model.notes = Set(String::new());
    model.consent_data_at = Set(None);
    model.consent_marketing_at = Set(None);
    model.updated_at = Set(now);
    model.update(&txn).await?;
    log(&txn, id, Some(member.user_id), ActivityKind::Erased, "", "", "").await?;
    txn.commit().await?;
    Ok(())
}
