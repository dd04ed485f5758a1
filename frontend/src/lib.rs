//! The browser entry: hydrates the server-rendered organizer page (a guest's page loads
//! no WASM).
// Leptos view types nest deeply; the release build computes their layouts.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    app::components::HYDRATED.store(true, std::sync::atomic::Ordering::Relaxed);
    // A marker for tests and styles: the page is interactive from here on.
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
