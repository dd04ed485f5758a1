//! Roadshow: pages, components, server functions and the types shared by the
//! server (feature `ssr`) and the browser (feature `hydrate`).
#![recursion_limit = "256"]

pub mod auth;
pub mod campaigns;
pub mod components;
pub mod csv;
pub mod dashboard;
pub mod domain;
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
pub mod outbox;
pub mod questions;
pub mod registrations;
pub mod roadshows;
pub mod targets;
pub mod time_zones;
pub mod trips;
pub mod units;
pub mod web;

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
        view! { <HydrationScripts options=options.clone()/> }.into_any()
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
    #[cfg(feature = "ssr")]
    let app = view! {
        <Router>
            <Routes fallback=|| view! { <components::NotFound/> }>
                <PublicRoutes/>
                <AdminRoutes/>
                <PreviewRoute/>
            </Routes>
        </Router>
    };
    #[cfg(not(feature = "ssr"))]
    let app = view! {
        <Router>
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

/// The organizer area, hydrated in the browser.
#[component(transparent)]
fn AdminRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("admin") view=layout::AdminLayout>
            <Route path=path!("") view=events::pages::EventListPage/>
            <Route path=path!("events/new") view=events::pages::NewEventPage/>
            <Route path=path!("events/:id") view=events::pages::EditEventPage/>
            <Route
                path=path!("events/:id/registrations")
                view=registrations::pages::RegistrationListPage
            />
            <Route path=path!("events/:id/check-in") view=registrations::pages::CheckInPage/>
            <Route path=path!("events/:id/questions") view=questions::pages::QuestionsPage/>
            <Route path=path!("events/:id/invitations") view=invitations::pages::InvitationsPage/>
            <Route path=path!("events/:id/capture") view=leads::capture_page::CaptureLeadPage/>
            <Route path=path!("leads") view=leads::pages::LeadListPage/>
            <Route path=path!("leads/new") view=leads::capture_page::CaptureLeadPage/>
            <Route path=path!("leads/import") view=leads::import_page::ImportLeadsPage/>
            <Route path=path!("leads/board") view=leads::pages::LeadBoardPage/>
            <Route path=path!("leads/:id") view=leads::lead_page::LeadPage/>
            <Route path=path!("roadshows") view=roadshows::pages::RoadshowListPage/>
            <Route path=path!("roadshows/new") view=roadshows::pages::NewRoadshowPage/>
            <Route path=path!("roadshows/:id") view=roadshows::pages::RoadshowPage/>
            <Route path=path!("members") view=auth::pages::MembersPage/>
            <Route path=path!("units") view=units::pages::UnitsPage/>
            <Route path=path!("targets") view=targets::pages::TargetsPage/>
            <Route path=path!("trips") view=trips::pages::TripsPage/>
            <Route path=path!("dashboard") view=dashboard::pages::DashboardPage/>
            <Route path=path!("projects") view=dashboard::pages::ProjectsPage/>
            <Route path=path!("follow-ups") view=follow_ups::pages::FollowUpsPage/>
            <Route path=path!("follow-ups/rules/:id") view=follow_ups::pages::RuleLogPage/>
            <Route path=path!("campaigns") view=campaigns::pages::CampaignListPage/>
            <Route path=path!("campaigns/:id") view=campaigns::pages::CampaignPage/>
            <Route path=path!("outbox") view=outbox::pages::OutboxPage/>
            <Route path=path!("outbox/:id") view=outbox::pages::OutboxMessagePage/>
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
        <Route path=path!("admin/preview/:id") view=events::pages::EventPreviewPage ssr=leptos_router::SsrMode::Async/>
    }
    .into_inner()
}
