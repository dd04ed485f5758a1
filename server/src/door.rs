//! `GET /admin/events/<id>/door/live`: the changes at an event's door as server-sent
//! events, for every phone checking guests in there. The stream starts with the event's
//! counts (`counts`), then tells each check-in as it commits (`change`, a `DoorChange`),
//! whichever process took it; a phone that fell behind is told to download the door
//! again (`refresh`). A comment every 15 s keeps proxies from closing it.

use std::convert::Infallible;
use std::time::Duration;

use app::registrations::ssr::DoorHub;
use app::state::AppState;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response, sse},
};
use futures::StreamExt as _;
use tokio::sync::broadcast::error::RecvError;

/// How often an open stream checks that its member may still hear the door.
const SESSION_CHECK: Duration = Duration::from_secs(15);

pub async fn live(State(state): State<AppState>, Path(event_id): Path<i32>, headers: HeaderMap) -> Response {
    let opened = async {
        let member = app::auth::ssr::member_from_headers(&state.db, &headers).await?;
        if member.role < app::auth::Role::Organizer {
            return Err(app::error::AppError::Forbidden);
        }
        let hub = state.part::<DoorHub>()?;
        // Subscribed before the counts are read: no change falls between the two.
        let changes = hub.subscribe();
        let counts = app::registrations::ssr::counts(&state.db, member.organization_id, event_id).await?;
        Ok((hub, changes, counts))
    }
    .await;
    let (hub, changes, counts) = match opened {
        Ok(opened) => opened,
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, error.to_string()).into_response();
        }
    };
    let first = sse::Event::default().event("counts").json_data(&counts).unwrap_or_default();
    let closing = hub.closing();
    // The session is checked again every 15 s: a member signed out or removed stops
    // hearing the door (the phone's browser connects again, and is refused).
    let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + SESSION_CHECK, SESSION_CHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let watcher = (state.clone(), headers);
    let rest = futures::stream::unfold((changes, closing, recheck), move |(mut changes, mut closing, mut recheck)| {
        let (state, headers) = watcher.clone();
        async move {
            loop {
                let next = tokio::select! {
                    heard = changes.recv() => Some(heard),
                    _ = closing.wait_for(|closed| *closed) => return None,
                    _ = recheck.tick() => None,
                };
                let Some(heard) = next else {
                    let member = app::auth::ssr::member_from_headers(&state.db, &headers).await;
                    if member.is_ok_and(|m| m.role >= app::auth::Role::Organizer) {
                        continue;
                    }
                    return None;
                };
                let event = match heard {
                    Ok(change) if change.event_id == event_id => {
                        sse::Event::default().event("change").json_data(&*change).unwrap_or_default()
                    }
                    Ok(_) => continue,
                    Err(RecvError::Lagged(_)) => sse::Event::default().event("refresh").data("lagged"),
                    Err(RecvError::Closed) => return None,
                };
                return Some((event, (changes, closing, recheck)));
            }
        }
    });
    let stream = futures::stream::once(async move { first }).chain(rest).map(Ok::<_, Infallible>);
    let mut response =
        sse::Sse::new(stream).keep_alive(sse::KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    // Not kept by any cache, not buffered by a proxy in front (nginx).
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response.headers_mut().insert("x-accel-buffering", axum::http::HeaderValue::from_static("no"));
    response
}
