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

/// The text a `<textarea>` starts with. Leptos writes a textarea's children into the
/// server-rendered page without escaping them (as for `<script>`), so a stored
/// `</textarea><img onerror=…>` would become markup; the browser, which makes a text node
/// of it and does not hydrate a textarea's children, takes the text as it is.
pub fn textarea_text(value: String) -> String {
    #[cfg(feature = "ssr")]
    let value = escape(&value);
    value
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
