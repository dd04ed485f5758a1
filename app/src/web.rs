//! Small pieces of HTTP every layer may need: reading a cookie, encoding a URL value, which
//! paths are a guest's, and the one JSON reading of what pages load ([`resource`]).

/// The value of cookie `name` in one `Cookie` header (`a=1; b=2`).
pub fn cookie_in<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The codec of the pages' resources: JSON, read from bytes as server functions' answers
/// are. Leptos's default reads resources from text, which compiles a second JSON reader
/// for every type a page loads into the WASM (about a tenth of it, measured with twiggy).
pub struct Json;

impl<T: serde::Serialize> leptos::server::codee::Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: serde::de::DeserializeOwned> leptos::server::codee::Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(value: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(value.as_bytes())
    }
}

/// `Resource::new` with the [`Json`] codec: what every page loads goes through it.
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> leptos::prelude::Resource<T, Json>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    leptos::prelude::Resource::new_with_options(source, fetcher, false)
}

/// Whether `path` is a guest's page: everything outside the organizer area (`/admin`).
/// Those pages are rendered whole on the server and load no WASM, only the guest script
/// ([`GUEST_SCRIPT`]); the organizer area hydrates.
pub fn is_public_path(path: &str) -> bool {
    path != "/admin" && !path.starts_with("/admin/")
}

/// The header a phone sends when it keeps a door's page for opening without a network:
/// the page is rendered without its guests (the phone holds its own list of them).
pub const DOOR_SHELL_HEADER: &str = "x-roadshow-door";

/// Whether this render is a door's page being kept for offline use (see
/// [`DOOR_SHELL_HEADER`]); never in the browser.
pub fn is_door_shell() -> bool {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .is_some_and(|parts| parts.headers.get(DOOR_SHELL_HEADER).is_some_and(|v| v == "shell"))
    }
    #[cfg(not(feature = "ssr"))]
    false
}

/// The few kilobytes of script that finish the guest's pages once loaded (live field
/// checks, the reader's own time and zone, searching the country list). The pages do all
/// they must without it.
#[cfg(feature = "ssr")]
pub const GUEST_SCRIPT: &str = include_str!("guest.js");

/// Where the pages load the guest script from: its content's hash in the query, so a
/// browser keeps it for a year and a new version has a new address.
#[cfg(feature = "ssr")]
pub fn guest_script_url() -> &'static str {
    static URL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("/guest.js?v={:012x}", content_hash(GUEST_SCRIPT.as_bytes()) >> 16));
    &URL
}

/// A fast fingerprint of some bytes (FNV-1a, 64 bits), for the names and tags that change
/// when a content does (the guest script's address, a kept page's ETag). Not a defence.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::is_public_path;

    #[test]
    fn the_organizer_area_is_everything_under_admin() {
        assert!(!is_public_path("/admin"));
        assert!(!is_public_path("/admin/events/1"));
        assert!(is_public_path("/"));
        assert!(is_public_path("/e/a-stop"));
        assert!(is_public_path("/administration"));
        assert!(is_public_path("/r/12-abc"));
    }
}
