//! sea-orm entities: the database as the server sees it. Never sent to the browser;
//! each area converts them into its own wire types.

pub mod agenda_item;
pub mod app_setting;
pub mod campaign;
pub mod event;
pub mod event_question;
pub mod follow_up_rule;
pub mod funding_tranche;
pub mod invitation;
pub mod lead;
pub mod lead_activity;
pub mod lead_event;
pub mod lead_tag;
pub mod mail_template;
pub mod marketing_send;
pub mod membership;
pub mod organization;
pub mod outbox_message;
pub mod project;
pub mod registration;
pub mod roadshow;
pub mod session;
pub mod suppressed_address;
pub mod unit;
pub mod unit_credit_code;
pub mod unit_target;
pub mod user;
