//! The phone's side of the door: what it keeps in the browser (the prepared pack, the
//! actions waiting for upload, the notes the organizer should read; under
//! `roadshow.door.<event id>.*` in `localStorage`), the pages it keeps for opening without
//! a network (the Cache API, read by the service worker `/sw.js`), the upload of what it
//! did, and the live stream of the other phones' check-ins.
//!
//! `Door` holds it all as signals for the door's pages. Every action is written to the
//! browser's storage before anything else is done with it, so a phone closed before it
//! uploads resumes where it was when the page opens again. Outside the browser (the
//! server's render) nothing is kept and nothing is sent.

use chrono::Utc;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::local::{self, HereCheck};
use super::{DoorAction, DoorActionKind, DoorAnswer, DoorChange, DoorCounts, DoorOutcome, DoorPack};
use crate::domain::RegistrationStatus;
use crate::error::{AppError, FieldError, FieldErrors};
use crate::leads::LeadForm;
use crate::registrations::RegistrationForm;

/// The caches the service worker answers from when the network is down.
pub const PAGES_CACHE: &str = "roadshow-door-pages";
pub const ASSETS_CACHE: &str = "roadshow-door-assets";

/// The most notes kept (the newest first).
const NOTES_KEPT: usize = 30;

/// The pages of an event's door kept for opening offline.
pub fn door_pages(event_id: i32) -> [String; 2] {
    [format!("/admin/events/{event_id}/check-in"), format!("/admin/events/{event_id}/capture")]
}

/// What the organizer reads of an action: what this phone did, and what the server made
/// of it where that differs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Note {
    CheckedIn(String),
    /// Checked in before, at (Unix seconds).
    Already(String, i64),
    NotConfirmed(String),
    /// A code this phone's list does not hold: the server decides when it is uploaded.
    NotInList(String),
    WalkIn(String, RegistrationStatus),
    LeadKept(String),
    /// Uploaded: a walk-in this phone seated was waitlisted (another phone took the seat).
    WaitlistedAfterAll(String, u64),
    /// Uploaded: the server knows no guest with this code.
    UnknownCode(String),
    /// Uploaded: checked in by the server (a code this phone did not hold).
    CheckedInThere(String),
    /// Uploaded: refused, with why.
    Refused(String, Vec<FieldError>),
}

/// The door of one event on this phone.
#[derive(Clone, Copy)]
pub struct Door {
    pub event_id: i32,
    /// The signed-in member's user and organization: a door kept by another member of
    /// this phone (or of another organization) is forgotten when the page opens.
    owner: (i32, i32),
    /// The prepared pack with what the phone did laid over it (`None`: not prepared here).
    pub pack: RwSignal<Option<DoorPack>>,
    /// Actions not uploaded yet, in the order they were taken.
    pub waiting: RwSignal<Vec<DoorAction>>,
    /// Newest first, with when (Unix seconds).
    pub notes: RwSignal<Vec<(i64, Note)>>,
    pub online: RwSignal<bool>,
    /// While uploading: how many of how many.
    pub uploading: RwSignal<Option<(usize, usize)>>,
    /// While the door is being downloaded.
    pub preparing: RwSignal<bool>,
    /// What stopped the last download or upload (signed out, storage full, …).
    pub problem: RwSignal<Option<AppError>>,
    /// The phone's storage has been read (after hydration; never on the server).
    pub ready: RwSignal<bool>,
    /// Whether the live stream is connected.
    pub live: RwSignal<bool>,
    /// Raised with each change heard live (a page showing the server's list reads it again).
    pub heard: RwSignal<u64>,
}

impl Door {
    /// The door of `event_id` for this page, read from the browser once the page is
    /// hydrated, and given to the page's components.
    pub fn provide(event_id: i32) -> Door {
        let owner = use_context::<crate::auth::Member>().map_or((0, 0), |m| (m.user_id, m.organization_id));
        let door = Door {
            event_id,
            owner,
            pack: RwSignal::new(None),
            waiting: RwSignal::new(Vec::new()),
            notes: RwSignal::new(Vec::new()),
            online: RwSignal::new(true),
            uploading: RwSignal::new(None),
            preparing: RwSignal::new(false),
            problem: RwSignal::new(None),
            ready: RwSignal::new(false),
            live: RwSignal::new(false),
            heard: RwSignal::new(0),
        };
        provide_context(door);
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| web::open(door));
        door
    }

    pub fn prepared(&self) -> bool {
        self.ready.get() && self.pack.with(Option::is_some)
    }

    /// Downloads the event's door (again), lays what waits for upload over it, keeps it,
    /// and keeps the door's pages for opening offline.
    pub fn prepare(self) {
        if self.preparing.get_untracked() {
            return;
        }
        self.preparing.set(true);
        leptos::task::spawn_local(async move {
            let downloaded = super::prepare_door(self.event_id).await;
            // The page may have gone meanwhile (its signals with it).
            if !self.alive() {
                return;
            }
            match downloaded {
                Ok(mut pack) => {
                    self.waiting.with_untracked(|waiting| local::overlay(&mut pack, waiting));
                    self.pack.set(Some(pack));
                    self.save();
                    #[cfg(feature = "hydrate")]
                    web::keep_pages(self.event_id).await;
                    if !self.alive() {
                        return;
                    }
                    if self.problem.with_untracked(|p| !matches!(p, Some(AppError::BadRequest(_)))) {
                        self.problem.set(None);
                    }
                }
                Err(e) => self.problem.set(Some(e)),
            }
            self.preparing.set(false);
        });
    }

    /// Whether the page that holds this door is still there.
    fn alive(&self) -> bool {
        self.ready.try_get_untracked().is_some()
    }

    /// Removes the event's door from this phone, what waits for upload too (asked first
    /// when anything does).
    pub fn forget(self) {
        if !confirm_losing(self.waiting.with_untracked(Vec::len)) {
            return;
        }
        forget(self.event_id);
        self.pack.set(None);
        self.waiting.set(Vec::new());
        self.notes.set(Vec::new());
    }

    fn note(&self, note: Note) {
        self.notes.update(|notes| {
            notes.insert(0, (now().timestamp(), note));
            notes.truncate(NOTES_KEPT);
        });
    }

    /// Writes the door to the browser's storage; a full storage is said on the page.
    fn save(&self) {
        let id = self.event_id;
        // What waits for upload first: it is small, and what nothing else can give back.
        let kept = self.waiting.with_untracked(|w| write(id, "waiting", w)).and_then(|()| {
            self.pack.with_untracked(|pack| match pack {
                Some(pack) => keep_until(id, pack.keep_until, self.owner).and_then(|()| write(id, "pack", pack)),
                None => Ok(()),
            })
        });
        let kept = kept.and_then(|()| self.notes.with_untracked(|n| write(id, "notes", n)));
        if kept.is_err() {
            self.problem.set(Some(AppError::BadRequest("storage".into())));
        }
    }

    fn queue(&self, action: DoorAction) {
        self.waiting.update(|w| w.push(action));
        self.save();
        self.sync();
    }

    /// Checks in the guest with `code` here and queues it for the server.
    pub fn check_in(self, code: &str) {
        let code = local::normalize(code);
        if code.is_empty() {
            return;
        }
        let now = now();
        let Some(checked) =
            self.pack.try_update(|pack| pack.as_mut().map(|pack| local::check_in_here(pack, &code, now))).flatten()
        else {
            return;
        };
        let queued = match checked {
            HereCheck::CheckedIn { name } => {
                self.note(Note::CheckedIn(name));
                true
            }
            HereCheck::Already { name, at } => {
                self.note(Note::Already(name, at));
                false
            }
            HereCheck::NotConfirmed { name } => {
                self.note(Note::NotConfirmed(name));
                false
            }
            HereCheck::NotInList => {
                self.note(Note::NotInList(code.clone()));
                true
            }
        };
        if queued {
            self.queue(DoorAction { id: new_action_id(), at: now, kind: DoorActionKind::CheckIn { code } });
        } else {
            self.save();
        }
    }

    /// Adds a walk-in here (seated while this phone counts a seat left) and queues it;
    /// the form's refusals, field by field, when it is not complete.
    pub fn walk_in(self, form: RegistrationForm) -> Result<RegistrationStatus, FieldErrors> {
        form.parse()?;
        let name = form.name.trim().to_string();
        let action = DoorAction { id: new_action_id(), at: now(), kind: DoorActionKind::WalkIn { form } };
        let status = self
            .pack
            .try_update(|pack| pack.as_mut().map(|pack| local::walk_in_here(pack, &action)))
            .flatten()
            .unwrap_or(RegistrationStatus::Waitlisted);
        self.note(Note::WalkIn(name, status));
        self.queue(action);
        Ok(status)
    }

    /// Keeps a captured lead here and queues it.
    pub fn lead(self, form: LeadForm) -> Result<(), FieldErrors> {
        form.parse()?;
        self.note(Note::LeadKept(form.name.trim().to_string()));
        self.queue(DoorAction { id: new_action_id(), at: now(), kind: DoorActionKind::Lead { form } });
        Ok(())
    }

    /// Uploads what waits, in order, in batches; each answer is laid over the list and
    /// the action leaves the queue. Stops at the first failure (tried again when the phone
    /// is back online, and every 10 s while anything waits).
    pub fn sync(self) {
        if self.uploading.get_untracked().is_some() || !self.online.get_untracked() || !self.ready.get_untracked() {
            return;
        }
        let total = self.waiting.with_untracked(Vec::len);
        if total == 0 {
            return;
        }
        self.uploading.set(Some((0, total)));
        leptos::task::spawn_local(async move {
            let mut done = 0;
            loop {
                let batch: Vec<DoorAction> = self.waiting.with_untracked(|w| w.iter().take(50).cloned().collect());
                if batch.is_empty() {
                    break;
                }
                let answered = super::sync_door(self.event_id, batch.clone()).await;
                // The page went meanwhile: what was answered is answered again (as repeated)
                // when the door opens next.
                if !self.alive() {
                    return;
                }
                let answers = match answered {
                    Ok(answers) => answers,
                    // The connection failed: kept for the next try.
                    Err(AppError::Internal(_)) => break,
                    Err(e) => {
                        self.problem.set(Some(e));
                        break;
                    }
                };
                let mut busy = false;
                for answer in answers {
                    let Some(action) = batch.iter().find(|a| a.id == answer.id) else { continue };
                    if answer.outcome == DoorOutcome::Busy {
                        busy = true;
                        continue;
                    }
                    let held = match &action.kind {
                        DoorActionKind::CheckIn { code } => self.pack.with_untracked(|pack| {
                            pack.as_ref().is_some_and(|p| p.guests.iter().any(|g| g.code() == local::normalize(code)))
                        }),
                        _ => true,
                    };
                    self.pack.update(|pack| {
                        if let Some(pack) = pack {
                            local::apply_answer(pack, action, &answer);
                        }
                    });
                    if let Some(note) = note_of(action, &answer, held) {
                        self.note(note);
                    }
                    self.waiting.update(|w| w.retain(|a| a.id != answer.id));
                    done += 1;
                }
                self.save();
                let left = self.waiting.with_untracked(Vec::len);
                self.uploading.set(Some((done, done + left)));
                if busy {
                    break;
                }
            }
            self.uploading.set(None);
        });
    }

    /// A check-in heard from another phone (or this one's, coming back).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn heard(self, change: &DoorChange) {
        self.heard.update(|n| *n += 1);
        let in_step =
            self.pack.try_update(|pack| pack.as_mut().map(|pack| local::apply_change(pack, change))).flatten();
        self.save();
        if in_step == Some(false) {
            self.prepare();
        }
    }

    /// The counts heard when the stream opens (first, or again after the network came
    /// back): a prepared phone that has not seen that version missed changes and downloads
    /// the door again; a page showing the server's list reads it again (a change made while
    /// the page was still loading, before it listened, shows too).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn counted(self, counts: &DoorCounts) {
        match self.pack.with_untracked(|pack| pack.as_ref().map(|p| p.version < counts.version)) {
            Some(true) => self.prepare(),
            Some(false) => {}
            None => self.heard.update(|n| *n += 1),
        }
    }
}

/// What the organizer should read of the server's answer, where it is news (`held`: the
/// phone's list held the code it checked in).
fn note_of(action: &DoorAction, answer: &DoorAnswer, held: bool) -> Option<Note> {
    let name = match &action.kind {
        DoorActionKind::WalkIn { form } => form.name.trim().to_string(),
        DoorActionKind::Lead { form } => form.name.trim().to_string(),
        DoorActionKind::CheckIn { code } => code.clone(),
    };
    match (&action.kind, &answer.outcome) {
        (DoorActionKind::WalkIn { .. }, DoorOutcome::Waitlisted { guest, position }) => {
            Some(Note::WaitlistedAfterAll(guest.name().to_string(), *position))
        }
        (_, DoorOutcome::UnknownCode { code }) => Some(Note::UnknownCode(code.clone())),
        (DoorActionKind::CheckIn { .. }, DoorOutcome::NotConfirmed { guest }) => {
            Some(Note::NotConfirmed(guest.name().to_string()))
        }
        (DoorActionKind::CheckIn { .. }, DoorOutcome::CheckedIn { guest, .. }) if !held => {
            Some(Note::CheckedInThere(guest.name().to_string()))
        }
        (_, DoorOutcome::Refused { errors }) => Some(Note::Refused(name, errors.errors.clone())),
        _ => None,
    }
}

/// The phone's clock (the standard library has none in the browser).
pub fn now() -> chrono::DateTime<Utc> {
    #[cfg(feature = "hydrate")]
    {
        chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Utc::now()
    }
}

/// A new action id: a random UUID.
pub fn new_action_id() -> String {
    #[cfg(feature = "hydrate")]
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        // `randomUUID` needs a secure context; random bytes do not.
        let mut bytes = [0u8; 16];
        if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            return format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
        }
    }
    format!("a-{}", now().timestamp_millis())
}

fn key(event_id: i32, part: &str) -> String {
    format!("roadshow.door.{event_id}.{part}")
}

/// The index of the doors this phone holds: event id → when to forget it and whose it is.
const INDEX: &str = "roadshow.door.index";

/// One door of the index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Kept {
    until: chrono::DateTime<Utc>,
    /// The member's user and organization ids.
    owner: (i32, i32),
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    #[cfg(feature = "hydrate")]
    {
        let text = storage()?.get_item(key).ok().flatten()?;
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

fn write<T: Serialize>(event_id: i32, part: &str, value: &T) -> Result<(), ()> {
    write_key(&key(event_id, part), value)
}

fn write_key<T: Serialize>(key: &str, value: &T) -> Result<(), ()> {
    #[cfg(feature = "hydrate")]
    {
        let text = serde_json::to_string(value).map_err(|_| ())?;
        storage().ok_or(())?.set_item(key, &text).map_err(|_| ())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (key, value);
        Ok(())
    }
}

fn remove_key(key: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

type Index = std::collections::BTreeMap<i32, Kept>;

fn keep_until(event_id: i32, until: chrono::DateTime<Utc>, owner: (i32, i32)) -> Result<(), ()> {
    let mut index: Index = read(INDEX).unwrap_or_default();
    let kept = Kept { until, owner };
    if index.get(&event_id) != Some(&kept) {
        index.insert(event_id, kept);
        write_key(INDEX, &index)?;
    }
    Ok(())
}

/// How many actions wait for upload on this phone, over every door.
pub fn waiting_everywhere() -> usize {
    let index: Index = read(INDEX).unwrap_or_default();
    index.keys().map(|id| waiting_count(*id)).sum()
}

/// How many actions wait for upload at one door, counted without reading them (the page
/// frame asks this on signing out, and keeps the door's types out of its code).
fn waiting_count(event_id: i32) -> usize {
    read::<Vec<serde::de::IgnoredAny>>(&key(event_id, "waiting")).map_or(0, |w| w.len())
}

/// Whether the organizer agrees to lose `waiting` actions not uploaded yet (nothing to
/// ask when none wait).
pub fn confirm_losing(waiting: usize) -> bool {
    if waiting == 0 {
        return true;
    }
    #[cfg(feature = "hydrate")]
    {
        let d = super::texts::texts(crate::i18n::document_lang());
        let message = d.lose_waiting.replace("{n}", &waiting.to_string());
        web_sys::window().and_then(|w| w.confirm_with_message(&message).ok()).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Removes one event's door from this phone: its storage and its kept pages.
pub fn forget(event_id: i32) {
    for part in ["pack", "waiting", "notes"] {
        remove_key(&key(event_id, part));
    }
    let mut index: Index = read(INDEX).unwrap_or_default();
    index.remove(&event_id);
    let _ = write_key(INDEX, &index);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(web::drop_pages(Some(event_id)));
}

/// Removes every door from this phone (on signing out).
pub fn forget_all() {
    let index: Index = read(INDEX).unwrap_or_default();
    for event_id in index.keys() {
        for part in ["pack", "waiting", "notes"] {
            remove_key(&key(*event_id, part));
        }
    }
    remove_key(INDEX);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(web::drop_pages(None));
}

/// Removes the doors whose time is up (a week after their event): the list and the kept
/// pages; actions not uploaded yet stay until they are. Removes every door of another
/// member or organization than `owner` (a phone passed on, an organization switched).
pub fn forget_expired_and_others(owner: (i32, i32)) {
    let index: Index = read(INDEX).unwrap_or_default();
    let now = now();
    for (event_id, kept) in index {
        if kept.owner != owner {
            forget(event_id);
        } else if kept.until < now {
            if waiting_count(event_id) == 0 {
                forget(event_id);
            } else {
                remove_key(&key(event_id, "pack"));
                #[cfg(feature = "hydrate")]
                leptos::task::spawn_local(web::drop_pages(Some(event_id)));
            }
        }
    }
}

/// The browser's own APIs, in the browser only.
#[cfg(feature = "hydrate")]
mod web {
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};
    use wasm_bindgen_futures::JsFuture;

    use super::{ASSETS_CACHE, Door, PAGES_CACHE, door_pages, key, read};

    /// The live stream and its listeners, held while the page shows the door.
    struct Live {
        source: web_sys::EventSource,
        _listeners: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    }

    thread_local! {
        static LIVE: std::cell::RefCell<Option<Live>> = const { std::cell::RefCell::new(None) };
    }

    /// Reads the door from storage once the page is hydrated, follows the network's
    /// coming and going, and starts uploading and listening.
    pub fn open(door: Door) {
        if door.ready.get_untracked() {
            return;
        }
        super::forget_expired_and_others(door.owner);
        let id = door.event_id;
        door.pack.set(read(&key(id, "pack")));
        door.waiting.set(read(&key(id, "waiting")).unwrap_or_default());
        door.notes.set(read(&key(id, "notes")).unwrap_or_default());
        door.online.set(web_sys::window().is_some_and(|w| w.navigator().on_line()));
        door.ready.set(true);
        let back = window_event_listener_untyped("online", move |_| {
            door.online.set(true);
            door.sync();
        });
        let gone = window_event_listener_untyped("offline", move |_| door.online.set(false));
        // Whatever could not be uploaded (the server was unreachable, another upload held
        // an action) is tried again while the page is open.
        let retry = set_interval_with_handle(move || door.sync(), std::time::Duration::from_secs(10)).ok();
        on_cleanup(move || {
            back.remove();
            gone.remove();
            if let Some(retry) = retry {
                retry.clear();
            }
            stop_listening(door);
        });
        listen(door);
        if door.pack.with_untracked(Option::is_some) {
            register_worker();
        }
        door.sync();
    }

    /// Registers the service worker that opens the kept pages offline.
    fn register_worker() {
        let Some(window) = web_sys::window() else { return };
        let container = window.navigator().service_worker();
        let options = web_sys::RegistrationOptions::new();
        options.set_scope("/admin/");
        let _ = container.register_with_options("/sw.js", &options);
    }

    /// Keeps the door's pages (as the server renders them without any guest: the page
    /// fills itself from storage) and every file this page loaded, so both open offline.
    pub async fn keep_pages(event_id: i32) {
        register_worker();
        if let Err(e) = try_keep_pages(event_id).await {
            leptos::logging::warn!("keeping the door's pages: {e:?}");
        }
    }

    async fn try_keep_pages(event_id: i32) -> Result<(), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let caches = window.caches()?;
        let pages: web_sys::Cache = JsFuture::from(caches.open(PAGES_CACHE)).await?.dyn_into()?;
        for page in door_pages(event_id) {
            let init = web_sys::RequestInit::new();
            let headers = web_sys::Headers::new()?;
            headers.set("x-roadshow-door", "shell")?;
            init.set_headers(&headers);
            init.set_credentials(web_sys::RequestCredentials::SameOrigin);
            let request = web_sys::Request::new_with_str_and_init(&page, &init)?;
            let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()?;
            // A redirect (to signing in) is not the page.
            if response.ok() && !response.redirected() {
                JsFuture::from(pages.put_with_str(&page, &response)).await?;
            }
        }
        // The files this page loaded (the WASM, its areas, styles, scripts, icons).
        let origin = window.location().origin()?;
        let mut files = vec!["/manifest.webmanifest".to_string(), "/favicon.svg".to_string()];
        if let Some(performance) = window.performance() {
            for entry in performance.get_entries_by_type("resource") {
                let Ok(entry) = entry.dyn_into::<web_sys::PerformanceEntry>() else { continue };
                let Some(path) = entry.name().strip_prefix(&origin).map(str::to_string) else { continue };
                let asset = path.starts_with("/pkg/")
                    || path.ends_with(".js")
                    || path.ends_with(".css")
                    || path.ends_with(".svg");
                if asset && !path.starts_with("/api/") && !files.contains(&path) {
                    files.push(path);
                }
            }
        }
        let assets: web_sys::Cache = JsFuture::from(caches.open(ASSETS_CACHE)).await?.dyn_into()?;
        // One by one: a file of an earlier build gone from the server is not kept, the
        // others are (the service worker also keeps each file it fetches).
        for file in &files {
            let _ = JsFuture::from(assets.add_with_str(file)).await;
        }
        Ok(())
    }

    /// Removes the kept pages of one event (or every kept page and file).
    pub async fn drop_pages(event_id: Option<i32>) {
        let Some(caches) = web_sys::window().and_then(|w| w.caches().ok()) else { return };
        match event_id {
            Some(id) => {
                if let Ok(pages) = JsFuture::from(caches.open(PAGES_CACHE)).await
                    && let Ok(pages) = pages.dyn_into::<web_sys::Cache>()
                {
                    for page in door_pages(id) {
                        let _ = JsFuture::from(pages.delete_with_str(&page)).await;
                    }
                }
            }
            None => {
                let _ = JsFuture::from(caches.delete(PAGES_CACHE)).await;
                let _ = JsFuture::from(caches.delete(ASSETS_CACHE)).await;
            }
        }
    }

    /// Listens to the other phones' check-ins, prepared or not (the browser reconnects by
    /// itself after the network comes back; the counts it hears first say whether anything
    /// was missed).
    pub fn listen(door: Door) {
        if LIVE.with(|live| live.borrow().is_some()) {
            return;
        }
        let url = format!("/admin/events/{}/door/live", door.event_id);
        let Ok(source) = web_sys::EventSource::new(&url) else { return };
        let change = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(change) = event.data().as_string().and_then(|d| serde_json::from_str(&d).ok()) {
                door.heard(&change);
            }
        });
        let counts = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            door.live.set(true);
            if let Some(counts) = event.data().as_string().and_then(|d| serde_json::from_str(&d).ok()) {
                door.counted(&counts);
            }
        });
        let refresh = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| door.prepare());
        let lost = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| door.live.set(false));
        for (name, listener) in [("change", &change), ("counts", &counts), ("refresh", &refresh), ("error", &lost)] {
            let _ = source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
        LIVE.with(|live| *live.borrow_mut() = Some(Live { source, _listeners: vec![change, counts, refresh, lost] }));
    }

    pub fn stop_listening(door: Door) {
        if let Some(live) = LIVE.with(|live| live.borrow_mut().take()) {
            live.source.close();
        }
        door.live.set(false);
    }
}
