//! One-to-one meetings at a stop: the grid of slots and tables, requests between guests and
//! hosts, and the organizer's auto-scheduler.

#[cfg(feature = "ssr")]
pub mod schedule;
