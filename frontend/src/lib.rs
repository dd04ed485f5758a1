//! The browser entry: hydrates the server-rendered organizer page (a guest's page loads
//! no WASM).
// Leptos view types nest deeply; the release build computes their layouts.
#![recursion_limit = "256"]

/// Hydrates once the current page's own piece of WASM has arrived (each organizer page is
/// loaded when first shown, `app::routes`), then marks the page interactive.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document().body().expect("a page has a body");
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        app::components::HYDRATED.store(true, std::sync::atomic::Ordering::Relaxed);
        // A marker for tests and styles: the page is interactive from here on.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
