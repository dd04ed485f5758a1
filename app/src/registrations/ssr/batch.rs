//! What one transaction of registrations shares (see `write_queue`): the batch reads its
//! guests' earlier registrations and its organizations' webhooks once, then locks its
//! events, before the first guest (on PostgreSQL the reads come before the lock, which
//! other nodes' batches wait for, and only a guest found registered is read again under
//! it); it keeps
//! the seat counts in step as each guest takes a seat, and inserts the new guests, their
//! leads, emails and "met at" rows with one statement per table when it is flushed. Over a
//! network to PostgreSQL that is a handful of round trips for a batch of 64 guests instead
//! of four per guest, each taken while the event's row is locked.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};

use crate::db::is_postgres;
use crate::domain::WebhookEvent;
use crate::entities::{event, outbox_message, registration};
use crate::mail::compose::MailKind;
use crate::mail::ssr::{EventMailer, MailSettings};
use crate::registrations::RegistrationStatus;
use crate::write_queue::Rows;

/// A registration is found by its event and normalized email.
type Guest = (i32, String);

/// A new registration waiting for the batch's insert, with what its first email needs.
pub(super) struct NewGuest {
    /// Complete but for its id.
    pub row: registration::Model,
    pub mail: Arc<MailSettings>,
    pub organizer: String,
    pub kind: MailKind,
    pub waitlist_position: Option<u64>,
}

#[derive(Default)]
pub struct RegistrationRows {
    wanted_events: BTreeSet<i32>,
    wanted_organizations: Vec<i32>,
    wanted_guests: Vec<Guest>,
    /// The events this transaction locked, with their counts as it leaves them so far.
    events: HashMap<i32, event::Model>,
    /// Registrations read (or written) in this transaction; `None`: the guest has none.
    known: HashMap<Guest, Option<registration::Model>>,
    new: Vec<NewGuest>,
    /// The registrations the flush inserted, for their jobs to find their ids.
    inserted: HashMap<Guest, registration::Model>,
    /// Saved registrations whose lead the flush brings up to date (organization id first).
    leads: Vec<(i32, registration::Model)>,
    outbox: Vec<outbox_message::ActiveModel>,
    /// Changes announced to the organizations' webhooks.
    announcements: Vec<crate::webhooks::ssr::Announcement>,
    /// The announced organizations' webhooks, read before the lock.
    endpoints: Option<crate::webhooks::ssr::Endpoints>,
}

impl RegistrationRows {
    /// A job will register `email` for `event_id` (of `organization_id`).
    pub(super) fn wants(&mut self, event_id: i32, organization_id: i32, email: &str) {
        self.wanted_events.insert(event_id);
        self.wanted_organizations.push(organization_id);
        self.wanted_guests.push((event_id, email.to_string()));
    }

    /// The event, locked for this transaction (PostgreSQL's row lock; SQLite's
    /// `BEGIN IMMEDIATE` holds the whole database), with the seats this batch took.
    pub(super) async fn event(
        &mut self,
        txn: &DatabaseTransaction,
        id: i32,
    ) -> Result<Option<event::Model>, sea_orm::DbErr> {
        if let Some(event) = self.events.get(&id) {
            return Ok(Some(event.clone()));
        }
        let mut query = event::Entity::find_by_id(id);
        if is_postgres(txn) {
            query = query.lock_exclusive();
        }
        let found = query.one(txn).await?;
        if let Some(event) = &found {
            self.events.insert(id, event.clone());
        }
        Ok(found)
    }

    /// The guest's registration for the event, if any (one this batch is about to insert
    /// included: it is inserted now, so the guest's second request updates it).
    pub(super) async fn registration(
        &mut self,
        txn: &DatabaseTransaction,
        event_id: i32,
        email: &str,
    ) -> Result<Option<registration::Model>, sea_orm::DbErr> {
        let key = (event_id, email.to_string());
        if self.new.iter().any(|n| n.row.event_id == event_id && n.row.email == email) {
            self.insert_new(txn).await?;
        }
        if let Some(known) = self.known.get(&key) {
            return Ok(known.clone());
        }
        let found = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event_id))
            .filter(registration::Column::Email.eq(email))
            .one(txn)
            .await?;
        self.known.insert(key, found.clone());
        Ok(found)
    }

    /// Keeps the batch's copy of the event's counts as the database's triggers keep them.
    pub(super) fn counted(&mut self, event_id: i32, before: Option<RegistrationStatus>, after: RegistrationStatus) {
        let Some(event) = self.events.get_mut(&event_id) else { return };
        let step = |status: Option<RegistrationStatus>, wanted| i32::from(status == Some(wanted));
        event.confirmed_count +=
            step(Some(after), RegistrationStatus::Confirmed) - step(before, RegistrationStatus::Confirmed);
        event.waitlisted_count +=
            step(Some(after), RegistrationStatus::Waitlisted) - step(before, RegistrationStatus::Waitlisted);
    }

    /// A registration this job wrote itself (`created`: a new one), and its first email.
    pub(super) fn saved(
        &mut self,
        organization_id: i32,
        reg: registration::Model,
        created: bool,
        email: outbox_message::ActiveModel,
    ) {
        if let Some(event) = self.events.get(&reg.event_id) {
            let kind = if created { WebhookEvent::RegistrationCreated } else { WebhookEvent::RegistrationChanged };
            self.announcements.push((organization_id, kind, crate::webhooks::ssr::registration_data(&reg, event)));
        }
        self.known.insert((reg.event_id, reg.email.clone()), Some(reg.clone()));
        self.leads.push((organization_id, reg));
        self.outbox.push(email);
    }

    /// A new registration left to the batch's insert.
    pub(super) fn add_new(&mut self, guest: NewGuest) {
        self.new.push(guest);
    }

    /// What the flush inserted for the guest.
    pub(super) fn inserted(&self, event_id: i32, email: &str) -> Option<&registration::Model> {
        self.inserted.get(&(event_id, email.to_string()))
    }

    /// Inserts the waiting new registrations in one statement per 128 and queues their
    /// emails and leads.
    async fn insert_new(&mut self, txn: &DatabaseTransaction) -> Result<(), sea_orm::DbErr> {
        let waiting = std::mem::take(&mut self.new);
        for chunk in waiting.chunks(128) {
            let rows = chunk.iter().map(|n| {
                let mut row = n.row.clone().into_active_model();
                row.id = sea_orm::ActiveValue::NotSet;
                row
            });
            let mut saved: HashMap<Guest, registration::Model> = registration::Entity::insert_many(rows)
                .exec_with_returning(txn)
                .await?
                .into_iter()
                .map(|reg| ((reg.event_id, reg.email.clone()), reg))
                .collect();
            for guest in chunk {
                let key = (guest.row.event_id, guest.row.email.clone());
                let reg = saved.remove(&key).ok_or(sea_orm::DbErr::RecordNotInserted)?;
                let event = self.events.get(&reg.event_id).ok_or(sea_orm::DbErr::RecordNotFound("event".into()))?;
                let mailer = EventMailer::with_organizer(&guest.mail, guest.organizer.clone());
                self.outbox.push(mailer.row(guest.kind, event, &reg, 0, guest.waitlist_position));
                let data = crate::webhooks::ssr::registration_data(&reg, event);
                self.announcements.push((event.organization_id, WebhookEvent::RegistrationCreated, data));
                self.leads.push((event.organization_id, reg.clone()));
                self.known.insert(key.clone(), Some(reg.clone()));
                self.inserted.insert(key, reg);
            }
        }
        Ok(())
    }
}

impl Rows for RegistrationRows {
    /// Locks the batch's events (in id order, so two nodes' batches never wait on each
    /// other in a circle) and reads its guests' registrations in one statement.
    ///
    /// On PostgreSQL, a batch reads its guests' registrations and its webhooks first and
    /// then locks: other nodes' batches wait for that lock, so it is held over as few round
    /// trips as can be. A registration found is read again under the lock (a cancellation
    /// may have committed in between, and a stale status could take a seat twice); a guest
    /// not found who registers on another node in between makes this batch's insert break
    /// the unique (event, email) index: the batch is rolled back and each guest runs
    /// alone, which reads under the lock.
    async fn prepare(&mut self, txn: &DatabaseTransaction, together: bool) -> Result<(), sea_orm::DbErr> {
        if self.wanted_events.is_empty() {
            return Ok(());
        }
        let ids: Vec<i32> = self.wanted_events.iter().copied().collect();
        let wanted = std::mem::take(&mut self.wanted_guests);
        let emails = || wanted.iter().map(|(_, email)| email.as_str());
        let before_lock = if together && is_postgres(txn) {
            let organizations = std::mem::take(&mut self.wanted_organizations);
            self.endpoints = Some(crate::webhooks::ssr::endpoints_of(txn, organizations).await?);
            Some(read_registrations(txn, &ids, emails()).await?)
        } else {
            None
        };
        let mut events =
            event::Entity::find().filter(event::Column::Id.is_in(ids.clone())).order_by_asc(event::Column::Id);
        if is_postgres(txn) {
            events = events.lock_exclusive();
        }
        for event in events.all(txn).await? {
            self.events.insert(event.id, event);
        }
        let found = match before_lock {
            None => read_registrations(txn, &ids, emails()).await?,
            Some(found) if found.is_empty() => found,
            Some(found) => read_registrations(txn, &ids, found.keys().map(|(_, email)| email.as_str())).await?,
        };
        for key in wanted {
            let reg = found.get(&key).cloned();
            self.known.insert(key, reg);
        }
        Ok(())
    }

    async fn flush(&mut self, txn: &DatabaseTransaction) -> Result<(), sea_orm::DbErr> {
        self.insert_new(txn).await?;
        let leads = crate::leads::ssr::upsert_leads(txn, &self.leads).await?;
        for lead in leads.values().filter(|l| l.created_at == l.updated_at) {
            let data = crate::webhooks::ssr::lead_data(lead);
            self.announcements.push((lead.organization_id, WebhookEvent::LeadCreated, data));
        }
        let met_at = self
            .leads
            .iter()
            .map(|(org, reg)| {
                let lead_id = &leads.get(&(*org, reg.email.clone())).ok_or(sea_orm::DbErr::RecordNotInserted)?.id;
                let event = self.events.get(&reg.event_id).ok_or(sea_orm::DbErr::RecordNotFound("event".into()))?;
                Ok(crate::leads::ssr::met_at_registration(*lead_id, event, reg))
            })
            .collect::<Result<_, sea_orm::DbErr>>()?;
        crate::leads::ssr::save_met_at(txn, met_at).await?;
        // Kept well under SQLite's limit of bound values per statement.
        for chunk in std::mem::take(&mut self.outbox).chunks(256) {
            outbox_message::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
        crate::webhooks::ssr::emit_to(txn, self.endpoints.as_ref(), std::mem::take(&mut self.announcements)).await
    }
}

/// The registrations of `events` by any of `emails`, a statement per 256 addresses.
///
/// On PostgreSQL each (event, address) pair is looked up on its own in the unique index
/// (a lateral join over the pairs): asked as `event_id IN (..) AND email IN (..)`, the
/// planner, without statistics of a table that grew fast (a new stop, before autovacuum
/// has analyzed it), read every registration of the stop through the `(event_id, id)` index
/// and filtered the addresses, 4–30 ms per batch at 16,000 guests instead of 0.1 ms.
async fn read_registrations<'a>(
    txn: &DatabaseTransaction,
    events: &[i32],
    emails: impl Iterator<Item = &'a str>,
) -> Result<HashMap<Guest, registration::Model>, sea_orm::DbErr> {
    let emails: BTreeSet<&str> = emails.collect();
    let mut found = HashMap::new();
    let postgres = is_postgres(txn);
    for chunk in emails.into_iter().collect::<Vec<_>>().chunks(256) {
        let rows = if postgres {
            let mut pairs = Vec::with_capacity(events.len() * chunk.len());
            let mut values: Vec<sea_orm::Value> = Vec::with_capacity(2 * pairs.capacity());
            for event in events {
                for email in chunk {
                    pairs.push(format!("(${}::int, ${}::text)", values.len() + 1, values.len() + 2));
                    values.push((*event).into());
                    values.push((*email).into());
                }
            }
            let sql = format!(
                "SELECT r.* FROM (VALUES {}) AS wanted (event_id, email) CROSS JOIN LATERAL \
                 (SELECT * FROM registration WHERE event_id = wanted.event_id AND email = wanted.email) AS r",
                pairs.join(", ")
            );
            let statement = sea_orm::Statement::from_sql_and_values(sea_orm::DbBackend::Postgres, sql, values);
            registration::Entity::find().from_raw_sql(statement).all(txn).await?
        } else {
            registration::Entity::find()
                .filter(registration::Column::EventId.is_in(events.iter().copied()))
                .filter(registration::Column::Email.is_in(chunk.iter().copied()))
                .all(txn)
                .await?
        };
        found.extend(rows.into_iter().map(|reg| ((reg.event_id, reg.email.clone()), reg)));
    }
    Ok(found)
}
