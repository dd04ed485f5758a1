//! Text written into HTML. Every hand-built HTML string (emails, the unsubscribe answer)
//! escapes through [`escape`], and every page names its document title through
//! [`PageTitle`], because `leptos_meta` writes a `<Title>`'s text into the server-rendered
//! `<head>` as it is: a stored event title could otherwise close `<title>` and open a script.

use leptos::prelude::*;

/// The text with `& < > " '` written as character references: safe in element content
/// and in quoted attribute values.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The document's `<title>`. The only way the project sets one (clippy refuses
/// `leptos_meta::Title` elsewhere): on the server the text is escaped before
/// `leptos_meta` writes it into the head, and the browser, which reads the escaped text
/// back as the same characters, sets `document.title` to the text itself after hydration.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = escape(&text);
    #[allow(clippy::disallowed_methods)]
    let title = view! { <leptos_meta::Title text/> };
    title
}

/// For pages whose URL carries a private token: the document sends no `Referer` at all,
/// also when the page was reached by a client-side navigation (the server's
/// `Referrer-Policy` header only covers a page loaded as a new document).
#[component]
pub fn NoReferrer() -> impl IntoView {
    view! { <leptos_meta::Meta name="referrer" content="no-referrer"/> }
}

/// The text a `<textarea>` starts with. Leptos writes a textarea's children into the
/// server-rendered page without escaping them (as for `<script>`), so a stored
/// `</textarea><img onerror=…>` would become markup; the browser, which makes a text node
/// of it and does not hydrate a textarea's children, takes the text as it is.
pub fn textarea_text(value: String) -> String {
    #[cfg(feature = "ssr")]
    let value = escape(&value);
    value
}

/// What `leptos::HydrationScripts` writes (the hints that preload the WASM and its loader,
/// and the module script that loads and hydrates it), with this response's nonce on the
/// hints as well as on the script: Leptos leaves it off the hints, and the security policy
/// allows scripts by nonce alone. Not carried over: Leptos's WASM-splitting manifest (no
/// `#[lazy]` code here yet; splitting the WASM means adding it).
#[cfg(feature = "ssr")]
#[component]
pub fn HydrationScripts(options: LeptosOptions) -> impl IntoView {
    let (js, wasm) = asset_names(&options);
    let pkg = format!("/{}", options.site_pkg_dir);
    let nonce = leptos::nonce::use_nonce();
    let load = format!(
        "import('{pkg}/{js}.js').then(m => m.default({{module_or_path: '{pkg}/{wasm}.wasm'}}).then(() => m.hydrate()));"
    );
    view! {
        <link rel="modulepreload" href=format!("{pkg}/{js}.js") nonce=nonce.clone()/>
        <link rel="preload" href=format!("{pkg}/{wasm}.wasm") r#as="fetch" r#type="application/wasm" crossorigin="" nonce=nonce.clone()/>
        <script type="module" nonce=nonce>{load}</script>
    }
}

/// The names of the JS loader and the WASM file (without extensions) as the build wrote
/// them: with their content hashes when the build hashes files (listed in the hash file
/// beside the server binary), as Leptos finds them.
#[cfg(feature = "ssr")]
fn asset_names(options: &LeptosOptions) -> (String, String) {
    let mut js = options.output_name.to_string();
    let mut wasm = js.clone();
    if options.hash_files {
        let path = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(std::path::Path::to_path_buf))
            .unwrap_or_default()
            .join(options.hash_file.as_ref());
        let hashes = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            tracing::error!("the hash file {} cannot be read ({e}): pages will not hydrate", path.display());
            String::new()
        });
        for (file, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
            match file.trim() {
                "js" => js = format!("{js}.{}", hash.trim()),
                "wasm" => wasm = format!("{wasm}.{}", hash.trim()),
                _ => {}
            }
        }
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        wasm.push_str("_bg");
    }
    (js, wasm)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape(r#"T</title><script>alert('6')</script> & "x""#),
            "T&lt;/title&gt;&lt;script&gt;alert(&#39;6&#39;)&lt;/script&gt; &amp; &quot;x&quot;"
        );
        assert_eq!(escape("湘商回归 \u{202e}"), "湘商回归 \u{202e}");
    }
}
