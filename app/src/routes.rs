//! The organizer's pages as the browser loads them: the pages of one area (events, the
//! door, leads, …) are one piece of WASM (`cargo leptos --split`), fetched when the area is
//! first shown, so the first load carries the frame, the shared code and one area. On the
//! server they render as any route.

use leptos::component::{component_props_builder, component_view};
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Per area: a function loaded on demand that draws any of its pages, and one route type per
/// page. `area / preload_of_area (AreaPages) { Route => page component, … }`.
macro_rules! areas {
    ($($area:ident / $preload:ident ($pages:ident) { $($route:ident => $page:path),* $(,)? })*) => {$(
        #[derive(Clone, Copy)]
        enum $pages {
            $($route),*
        }

        #[leptos::lazy]
        fn $area(page: $pages) -> AnyView {
            match page {
                $($pages::$route => component_view(&$page, component_props_builder(&$page).build()).into_any()),*
            }
        }

        $(
            #[doc = concat!("`", stringify!($page), "`, loaded with its area.")]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    #[cfg(feature = "ssr")]
                    crate::html::preload_area(stringify!($area));
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $area($pages::$route).await
                }

                // Fetches the area's code while the router prepares the page.
                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    )*};
}

areas! {
    // The landing page and the roadshows: lists, light.
    overview / __preload_overview (OverviewPages) {
        EventList => crate::events::pages::EventListPage,
        RoadshowList => crate::roadshows::pages::RoadshowListPage,
        NewRoadshow => crate::roadshows::pages::NewRoadshowPage,
        Roadshow => crate::roadshows::pages::RoadshowPage,
    }
    // Writing a stop: the event form, its phone preview, questions, invitations.
    event_editing / __preload_event_editing (EventEditingPages) {
        NewEvent => crate::events::pages::NewEventPage,
        EditEvent => crate::events::pages::EditEventPage,
        EventPreview => crate::events::pages::EventPreviewPage,
        Questions => crate::questions::pages::QuestionsPage,
        Invitations => crate::invitations::pages::InvitationsPage,
    }
    // One-to-one meetings at a stop: the programme, its requests and grid.
    meetings / __preload_meetings (MeetingPages) {
        MeetingProgramme => crate::meetings::pages::ProgrammePage,
        MeetingSheets => crate::meetings::pages::TableSheetsPage,
    }
    // At the door: the guest list, check-in, capturing a lead.
    door / __preload_door (DoorPages) {
        RegistrationList => crate::registrations::pages::RegistrationListPage,
        CheckIn => crate::registrations::pages::CheckInPage,
        CaptureLead => crate::leads::capture_page::CaptureLeadPage,
    }
    leads / __preload_leads (LeadPages) {
        LeadList => crate::leads::pages::LeadListPage,
        ImportLeads => crate::leads::import_page::ImportLeadsPage,
        LeadBoard => crate::leads::pages::LeadBoardPage,
        Lead => crate::leads::lead_page::LeadPage,
    }
    // The bureau: members, units, targets, trips.
    organization / __preload_organization (OrganizationPages) {
        Members => crate::auth::pages::MembersPage,
        Units => crate::units::pages::UnitsPage,
        Targets => crate::targets::pages::TargetsPage,
        Trips => crate::trips::pages::TripsPage,
        ApiTokens => crate::api_tokens::pages::ApiTokensPage,
        Webhooks => crate::webhooks::pages::WebhooksPage,
        WebhookLog => crate::webhooks::pages::WebhookLogPage,
    }
    results / __preload_results (ResultPages) {
        Dashboard => crate::dashboard::pages::DashboardPage,
        Projects => crate::dashboard::pages::ProjectsPage,
    }
    mail / __preload_mail (MailPages) {
        FollowUps => crate::follow_ups::pages::FollowUpsPage,
        RuleLog => crate::follow_ups::pages::RuleLogPage,
        CampaignList => crate::campaigns::pages::CampaignListPage,
        Campaign => crate::campaigns::pages::CampaignPage,
        Outbox => crate::outbox::pages::OutboxPage,
        OutboxMessage => crate::outbox::pages::OutboxMessagePage,
    }
}
