//! Campaigns through a real SMTP server: a template to the leads a filter selects, now
//! or at a local time, each lead once however many schedulers run.

use app::campaigns::{Audience, CampaignDetail, CampaignStatus};
use app::mail::OutboxStatus;
use chrono::{DateTime, Duration, TimeZone, Utc};
use leptos::server_fn::ServerFn as _;
use reqwest::Client;

use crate::follow_ups::{THANKS, follow_ups, register, template};
use crate::registrations::{guest, published_event};
use crate::support::{Backend, SmtpSink, TestApp, as_refs, field_errors, with};

/// Leads typed in by hand: `(name, email)`, tagged `tag`.
async fn leads(app: &TestApp, owner: &Client, people: &[(String, String)], tag: &str) {
    for (name, email) in people {
        let fields = [("form[name]", name.as_str()), ("form[email]", email.as_str()), ("form[tags]", tag)];
        assert_eq!(app.call_as(owner, app::leads::CaptureLead::PATH, &fields).await.status(), 200);
    }
}

async fn campaign_status(app: &TestApp, owner: &Client, id: i32) -> CampaignDetail {
    app.call_as(owner, app::campaigns::GetCampaign::PATH, &[("id", &id.to_string())]).await.json().await.unwrap()
}

async fn a_campaign_reaches_each_lead_of_its_segment_once(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&SmtpSink::url(sink.port)).start().await;
    let bureau = app.organization("Hunan Bureau", "owner@example.com").await;
    app.organization("County team", "county@example.com").await;
    app.member(bureau, "viewer@example.com", app::auth::Role::Viewer).await;
    let owner = app.signed_in("owner@example.com").await;
    let vips: Vec<(String, String)> = (0..40).map(|i| (format!("VIP {i}"), format!("vip{i}@example.com"))).collect();
    leads(&app, &owner, &vips, "vip").await;
    leads(&app, &owner, &[("Bounces".into(), "vip.reject550@example.com".into())], "vip").await;
    leads(&app, &owner, &[("Other".into(), "other@example.com".into())], "press").await;
    assert_eq!(
        app.call_as(&owner, app::leads::CaptureLead::PATH, &[("form[name]", "Card only"), ("form[tags]", "vip")])
            .await
            .status(),
        200
    );
    app::marketing::ssr::suppress(&app.db, "vip0@example.com", "unsubscribed").await.unwrap();
    let thanks = template(&app, &owner, &THANKS).await.json::<i32>().await.unwrap().to_string();

    // The audience before sending: 42 VIP leads, 41 with an address, 1 unsubscribed.
    let audience: Audience = app
        .call_as(&owner, app::campaigns::CampaignAudience::PATH, &[("filter[tag]", "vip")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((audience.leads, audience.with_email, audience.suppressed), (42, 41, 1));
    assert_eq!(audience.declined, 0, "leads typed in by an organizer were not asked");

    // Scheduled for 09:00 Beijing time on 1 April 2027 (01:00 UTC): nothing before.
    let form = |name: &str, at: &str| {
        vec![
            ("form[name]".to_string(), name.to_string()),
            ("form[template_id]".to_string(), thanks.clone()),
            ("form[filter][tag]".to_string(), "vip".to_string()),
            ("form[send_at_local]".to_string(), at.to_string()),
            ("form[time_zone]".to_string(), "Asia/Shanghai".to_string()),
        ]
    };
    let created = app
        .call_as(&owner, app::campaigns::CreateCampaign::PATH, &as_refs(&form("Spring invitation", "2027-04-01T09:00")))
        .await;
    assert_eq!(created.status(), 200);
    let spring: i32 = created.json().await.unwrap();
    let due = Utc.with_ymd_and_hms(2027, 4, 1, 1, 0, 0).unwrap();
    let run_campaigns = |db: sea_orm::DatabaseConnection, at: DateTime<Utc>| {
        let mail = app.mail.clone();
        async move { app::campaigns::ssr::run_due(&db, &mail, at).await.expect("campaign run") }
    };
    assert_eq!(run_campaigns(app.db.clone(), due - Duration::minutes(1)).await, 0);
    assert_eq!(campaign_status(&app, &owner, spring).await.campaign.status, CampaignStatus::Scheduled);

    // At its time two processes run it at once: one email per recipient.
    let other = app::db::connect(&app.database_url).await.unwrap();
    let (a, b) = tokio::join!(run_campaigns(app.db.clone(), due), run_campaigns(other, due));
    assert_eq!(a + b, 40, "41 addressed leads, one unsubscribed");
    assert_eq!(run_campaigns(app.db.clone(), due + Duration::hours(1)).await, 0);
    let received = sink.wait_for(39).await;
    app.eventually_count("outbox_message WHERE kind = 'campaign' AND status IN ('sent', 'failed')", 40).await;
    let mails = follow_ups(&sink.messages());
    let mut to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    to.dedup();
    assert_eq!((mails.len(), to.len()), (39, 39), "each reachable lead exactly once: {}", received.len());
    assert!(!to.contains(&"vip0@example.com") && !to.contains(&"other@example.com"));
    assert!(
        mails.iter().all(|m| m.subject.starts_with("VIP ") && m.subject.ends_with("，感谢参加")),
        "in Chinese, named"
    );

    // Its page: progress, the bounce failed (and suppressed), the unsubscribed skipped.
    let detail = campaign_status(&app, &owner, spring).await;
    let c = &detail.campaign;
    assert_eq!((c.status, c.recipients, c.queued), (CampaignStatus::Sent, 40, 40));
    assert_eq!((c.delivered, c.failed, c.skipped), (39, 1, 1));
    assert_eq!(detail.messages[0].address, "vip.reject550@example.com", "failures first");
    assert_eq!(detail.messages[0].status, Some(OutboxStatus::Failed));
    assert_eq!(app.count("suppressed_address WHERE reason = 'bounced'").await, 1);

    // A campaign sent now goes out as it is created; a scheduled one can be cancelled,
    // a sent one not.
    let now = app.call_as(&owner, app::campaigns::CreateCampaign::PATH, &as_refs(&form("Press note", ""))).await;
    let now_id: i32 = now.json().await.unwrap();
    assert_eq!(campaign_status(&app, &owner, now_id).await.campaign.queued, 39, "bounced and unsubscribed skipped");
    let later: i32 = app
        .call_as(&owner, app::campaigns::CreateCampaign::PATH, &as_refs(&form("Later", "2030-01-01T09:00")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        app.call_as(&owner, app::campaigns::CancelCampaign::PATH, &[("id", &later.to_string())]).await.status(),
        200
    );
    assert_eq!(run_campaigns(app.db.clone(), Utc.with_ymd_and_hms(2030, 1, 2, 0, 0, 0).unwrap()).await, 0);
    let refused = app.call_as(&owner, app::campaigns::CancelCampaign::PATH, &[("id", &spring.to_string())]).await;
    assert_eq!(refused.status(), 409);

    // A guest who registered without ticking the follow-up box is counted apart and not
    // mailed; one who ticked it is.
    let slug = published_event(&app, "frankfurt", 10, &[]).await;
    let quiet =
        app.call(app::registrations::Register::PATH, &as_refs(&guest(&slug, "quiet@example.com", "Quiet"))).await;
    assert_eq!(quiet.status(), 200);
    register(&app, &slug, "keen@example.com", "Keen", "en").await;
    let event = app.event_id(&slug).await.to_string();
    let audience: Audience = app
        .call_as(&owner, app::campaigns::CampaignAudience::PATH, &[("filter[event]", &event)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((audience.with_email, audience.declined), (2, 1));
    let stop = with(&form("Stop guests", ""), &[("form[filter][tag]", ""), ("form[filter][event]", &event)]);
    let stop: i32 =
        app.call_as(&owner, app::campaigns::CreateCampaign::PATH, &as_refs(&stop)).await.json().await.unwrap();
    let detail = campaign_status(&app, &owner, stop).await;
    assert_eq!((detail.campaign.queued, detail.campaign.skipped), (1, 1));
    assert_eq!(app.count("marketing_send WHERE outcome = 'no_consent' AND address = 'quiet@example.com'").await, 1);

    // Bad input by field; other organizations, viewers and strangers are kept out.
    let bad = with(&form("", "someday"), &[("form[template_id]", "x"), ("form[time_zone]", "Mars/Base")]);
    let refused = app.call_as(&owner, app::campaigns::CreateCampaign::PATH, &as_refs(&bad)).await;
    assert_eq!(refused.status(), 422);
    let mut fields: Vec<String> = field_errors(refused).await.into_iter().map(|(f, _)| f).collect();
    fields.sort();
    assert_eq!(fields, ["name", "send_at_local", "template_id", "time_zone"]);
    let theirs = app.signed_in("county@example.com").await;
    assert_eq!(
        app.call_as(&theirs, app::campaigns::GetCampaign::PATH, &[("id", &spring.to_string())]).await.status(),
        404
    );
    assert_eq!(
        app.call_as(&theirs, app::campaigns::CreateCampaign::PATH, &as_refs(&form("x", ""))).await.status(),
        404
    );
    let viewer = app.signed_in("viewer@example.com").await;
    assert_eq!(
        app.call_as(&viewer, app::campaigns::CreateCampaign::PATH, &as_refs(&form("x", ""))).await.status(),
        403
    );
    assert_eq!(app.call(app::campaigns::ListCampaigns::PATH, &[]).await.status(), 401);
    assert_eq!(app.count("campaign").await, 4, "nothing written by a refusal");
}

on_both_databases!(a_campaign_reaches_each_lead_of_its_segment_once);
