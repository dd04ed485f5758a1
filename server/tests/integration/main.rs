//! Integration tests: the real server on a real database (SQLite and PostgreSQL), spoken
//! to over HTTP. One test binary, so the workspace links it once.

#[macro_use]
mod support;

mod accounts;
mod api;
mod binary;
mod campaigns;
mod cluster;
mod dashboard;
mod door;
mod events;
mod follow_ups;
mod http;
mod leads;
mod mail;
mod meetings;
mod migrations;
mod progress;
mod public_pages;
mod questions;
mod registrations;
mod roadshows;
mod security;
mod targets;
mod trips;
mod units;
mod webhooks;
mod write_queue;
