//! Migrations carry the data they find: a database of an earlier version comes up to date
//! with its rows, and going back restores what was there.

use app::domain::{ConsentSource, PromotionMethod, Stage};
use app::entities::{follow_up_rule, lead};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, EntityTrait, QueryOrder};

use crate::support::{Backend, empty_database};

const AT: &str = "'2026-05-01 09:00:00+00:00'";

async fn optional_choices_hold_none_instead_of_empty_text(backend: Backend) {
    let database = empty_database(backend).await;
    let db = Database::connect(&database.url).await.expect("connect");
    // As the database stood before the promotion method and the rule's stage were optional.
    Migrator::up(&db, Some(9)).await.expect("migrations 1 to 9");
    for statement in [
        format!("INSERT INTO organization (name, created_at) VALUES ('Bureau', {AT})"),
        format!(
            "INSERT INTO mail_template (organization_id, name, subject_zh, body_zh, subject_en, body_en, created_at, updated_at)
             VALUES (1, 'Thanks', '谢谢', '谢谢', 'Thanks', 'Thanks', {AT}, {AT})"
        ),
        format!(
            "INSERT INTO follow_up_rule (organization_id, template_id, trigger, offset_hours, stage, paused, created_at, updated_at)
             VALUES (1, 1, 'reminder', 24, '', false, {AT}, {AT}), (1, 1, 'stage_follow_up', 48, 'site_visit', false, {AT}, {AT})"
        ),
        format!(
            "INSERT INTO lead (organization_id, email, name, job_title, phone, language, company, country, sector, top500,
                 industry_chains, promotion_method, hometown_return, notes, stage, lost_reason, consent_data_version,
                 consent_source, created_at, updated_at)
             VALUES (1, 'a@example.com', 'A', '', '', 'en', '', '', '', false, '', '', false, '', 'new', '', '2026-01',
                     'event-page', {AT}, {AT}),
                    (1, 'b@example.com', 'B', '', '', 'zh', '', 'CN', '', true, '', 'capital', true, '', 'site_visit', '',
                     '', 'import', {AT}, {AT})"
        ),
    ] {
        db.execute_unprepared(&statement).await.expect(&statement);
    }

    Migrator::up(&db, None).await.expect("the remaining migrations");
    let leads = lead::Entity::find().order_by_asc(lead::Column::Id).all(&db).await.expect("leads load");
    let methods: Vec<_> = leads.iter().map(|l| (l.promotion_method, l.consent_source, l.stage)).collect();
    assert_eq!(
        methods,
        [
            (None, ConsentSource::EventPage, Stage::New),
            (Some(PromotionMethod::Capital), ConsentSource::Import, Stage::SiteVisit)
        ]
    );
    assert_eq!(leads[1].name, "B", "the other columns keep their values");
    assert!(leads[1].top500 && leads[1].hometown_return);
    let rules = follow_up_rule::Entity::find().order_by_asc(follow_up_rule::Column::Id).all(&db).await.expect("rules");
    let stages: Vec<_> = rules.iter().map(|r| (r.offset_hours, r.stage)).collect();
    assert_eq!(stages, [(24, None), (48, Some(Stage::SiteVisit))]);

    // Back to migration 9 (each later migration's own way down): the empty strings again,
    // the values kept.
    let later = Migrator::migrations().len() as u32 - 9;
    Migrator::down(&db, Some(later)).await.expect("down to migration 9");
    for table in ["lead WHERE promotion_method = ''", "lead WHERE promotion_method = 'capital'"]
        .into_iter()
        .chain(["follow_up_rule WHERE stage = ''", "follow_up_rule WHERE stage = 'site_visit'"])
    {
        assert_eq!(count(&db, table).await, 1, "{table}");
    }
    db.close().await.expect("close");
}

on_both_databases!(optional_choices_hold_none_instead_of_empty_text);

async fn count(db: &sea_orm::DatabaseConnection, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) AS v FROM {table}");
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql.clone())).await;
    row.expect(&sql).expect("a row").try_get::<i64>("", "v").expect("a count")
}
