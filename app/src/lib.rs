//! Roadshow: pages, components, server functions and the types shared by the
//! server (feature `ssr`) and the browser (feature `hydrate`).
#![recursion_limit = "256"]

pub mod api_tokens;
pub mod auth;
pub mod campaigns;
pub mod components;
pub mod csv;
pub mod dashboard;
pub mod domain;
pub mod door;
pub mod error;
pub mod events;
pub mod follow_ups;
pub mod forms;
pub mod html;
pub mod i18n;
pub mod invitations;
pub mod layout;
pub mod leads;
pub mod mail;
pub mod marketing;
pub mod meetings;
pub mod outbox;
pub mod questions;
pub mod registrations;
pub mod roadshows;
pub mod routes;
pub mod targets;
pub mod time_zones;
pub mod trips;
pub mod units;
pub mod web;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
// Server only: no page shows the demo table itself.
#[cfg(feature = "ssr")]
pub mod demo_data;
#[cfg(feature = "ssr")]
pub mod demo_outcomes;
#[cfg(feature = "ssr")]
pub mod entities;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod write_queue;

use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

use crate::i18n::Lang;

/// The HTML document around every page. Runs on the server for each request. A guest's
/// page (see [`web::is_public_path`]) loads the guest script; the organizer area loads
/// and hydrates the WASM.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use crate::html::HydrationScripts;
    use leptos_meta::{HashedStylesheet, MetaTags};
    let lang = i18n::request_lang();
    provide_context(lang);
    let public = use_context::<axum::http::request::Parts>().is_none_or(|parts| web::is_public_path(parts.uri.path()));
    let scripts = if public {
        view! { <script src=web::guest_script_url() defer></script> }.into_any()
    } else {
        // The organizer's pages install as an app on a phone (the door opens offline).
        view! {
            <link rel="manifest" href="/manifest.webmanifest"/>
            <meta name="theme-color" content="#b3261e"/>
            <HydrationScripts options=options.clone()/>
        }
        .into_any()
    };
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                {scripts}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: on the server every page; in the browser (which hydrates only the
/// organizer area) the organizer's routes, and a full page load for any other address.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The shell provides the request's language on the server; the browser reads it back.
    if use_context::<Lang>().is_none() {
        provide_context(i18n::document_lang());
    }
    // While a link's page is being prepared (its area's code fetched, see `routes`), a bar
    // at the top says so.
    let (routing, set_routing) = signal(false);
    let progress = view! { <div class="route-progress" class:active=routing aria-hidden="true"></div> };
    #[cfg(feature = "ssr")]
    let app = view! {
        {progress}
        <Router set_is_routing=set_routing>
            <Routes fallback=|| view! { <components::NotFound/> }>
                <PublicRoutes/>
                <AdminRoutes/>
                <PreviewRoute/>
            </Routes>
        </Router>
    };
    #[cfg(not(feature = "ssr"))]
    let app = view! {
        {progress}
        <Router set_is_routing=set_routing>
            <Routes fallback=components::Elsewhere>
                <AdminRoutes/>
                <PreviewRoute/>
            </Routes>
        </Router>
    };
    app
}

/// The guests' pages, rendered on the server only.
#[cfg(feature = "ssr")]
#[component(transparent)]
fn PublicRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("") view=layout::PublicLayout>
            // Public pages render whole before they are sent (`Async`): streamed out of
            // order, a suspended part would arrive in a `<template>` only script shows.
            <Route path=path!("") view=events::pages::PublicHome ssr=leptos_router::SsrMode::Async/>
            <Route path=path!("e/:slug") view=events::pages::PublicEventPage ssr=leptos_router::SsrMode::Async/>
            <Route
                path=path!("r/:token")
                view=registrations::pages::ManageRegistrationPage
                ssr=leptos_router::SsrMode::Async
            />
            <Route path=path!("h/:token") view=meetings::host_page::HostPage ssr=leptos_router::SsrMode::Async/>
            <Route
                path=path!("roadshow/:id")
                view=roadshows::pages::PublicRoadshowPage
                ssr=leptos_router::SsrMode::Async
            />
            <Route path=path!("unsubscribe/:token") view=follow_ups::pages::UnsubscribePage/>
            <Route path=path!("login") view=auth::pages::LoginPage ssr=leptos_router::SsrMode::Async/>
            <Route path=path!("setup") view=auth::pages::SetupPage ssr=leptos_router::SsrMode::Async/>
        </ParentRoute>
    }
    .into_inner()
}

/// The organizer area, hydrated in the browser, each page loaded when first shown.
#[component(transparent)]
fn AdminRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos_router::Lazy;
    use routes::*;
    view! {
        <ParentRoute path=path!("admin") view=layout::AdminLayout>
            <Route path=path!("") view={Lazy::<EventList>::new()}/>
            <Route path=path!("events/new") view={Lazy::<NewEvent>::new()}/>
            <Route path=path!("events/:id") view={Lazy::<EditEvent>::new()}/>
            <Route path=path!("events/:id/registrations") view={Lazy::<RegistrationList>::new()}/>
            <Route path=path!("events/:id/check-in") view={Lazy::<CheckIn>::new()}/>
            <Route path=path!("events/:id/questions") view={Lazy::<Questions>::new()}/>
            <Route path=path!("events/:id/invitations") view={Lazy::<Invitations>::new()}/>
            <Route path=path!("events/:id/capture") view={Lazy::<CaptureLead>::new()}/>
            <Route path=path!("events/:id/meetings") view={Lazy::<MeetingProgramme>::new()}/>
            <Route path=path!("events/:id/meetings/print") view={Lazy::<MeetingSheets>::new()}/>
            <Route path=path!("leads") view={Lazy::<LeadList>::new()}/>
            <Route path=path!("leads/new") view={Lazy::<CaptureLead>::new()}/>
            <Route path=path!("leads/import") view={Lazy::<ImportLeads>::new()}/>
            <Route path=path!("leads/board") view={Lazy::<LeadBoard>::new()}/>
            <Route path=path!("leads/:id") view={Lazy::<Lead>::new()}/>
            <Route path=path!("roadshows") view={Lazy::<RoadshowList>::new()}/>
            <Route path=path!("roadshows/new") view={Lazy::<NewRoadshow>::new()}/>
            <Route path=path!("roadshows/:id") view={Lazy::<Roadshow>::new()}/>
            <Route path=path!("members") view={Lazy::<Members>::new()}/>
            <Route path=path!("units") view={Lazy::<Units>::new()}/>
            <Route path=path!("targets") view={Lazy::<Targets>::new()}/>
            <Route path=path!("trips") view={Lazy::<Trips>::new()}/>
            <Route path=path!("api-tokens") view={Lazy::<ApiTokens>::new()}/>
            <Route path=path!("webhooks") view={Lazy::<Webhooks>::new()}/>
            <Route path=path!("webhooks/:id") view={Lazy::<WebhookLog>::new()}/>
            <Route path=path!("dashboard") view={Lazy::<Dashboard>::new()}/>
            <Route path=path!("projects") view={Lazy::<Projects>::new()}/>
            <Route path=path!("follow-ups") view={Lazy::<FollowUps>::new()}/>
            <Route path=path!("follow-ups/rules/:id") view={Lazy::<RuleLog>::new()}/>
            <Route path=path!("campaigns") view={Lazy::<CampaignList>::new()}/>
            <Route path=path!("campaigns/:id") view={Lazy::<Campaign>::new()}/>
            <Route path=path!("outbox") view={Lazy::<Outbox>::new()}/>
            <Route path=path!("outbox/:id") view={Lazy::<OutboxMessage>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}

/// An event's public page as a phone shows it, for its organizers: framed by the edit page,
/// so outside the organizer's frame.
#[component(transparent)]
fn PreviewRoute() -> impl leptos_router::MatchNestedRoutes + Clone {
    // Rendered whole (`Async`): the page's meta tags go into the head, as on the public page.
    view! {
        <Route
            path=path!("admin/preview/:id")
            view={leptos_router::Lazy::<routes::EventPreview>::new()}
            ssr=leptos_router::SsrMode::Async
        />
    }
    .into_inner()
}
