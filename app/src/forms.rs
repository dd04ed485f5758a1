//! Forms that work before the WASM arrives and validate as you type after it does.
//!
//! Every form posts URL-encoded to its server function. Without JavaScript the server
//! answers a failed post with a redirect back carrying the error (`__err`), which the page
//! reads here. After hydration the same parse that the server runs checks each field the
//! user has left, so both sides apply one set of rules.

use std::collections::HashSet;

use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_query_map;

use crate::error::{AppError, FieldErrors, Reason};
use crate::i18n::use_lang;

/// Field names are posted as `form[field]`; errors speak of `field`.
pub fn field_key(name: &str) -> &str {
    match name.strip_prefix("form[") {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => name,
    }
}

/// The error a JavaScript-less post of server function `S` left in the URL, if any.
pub fn url_error<S: ServerFn<Error = AppError>>() -> Option<AppError> {
    use base64::Engine;
    use leptos::server_fn::error::FromServerFnError;
    let query = use_query_map();
    query.with_untracked(|q| {
        if q.get("__path").as_deref() != Some(S::PATH) {
            return None;
        }
        let raw = q.get("__err")?;
        let bytes = base64::engine::general_purpose::URL_SAFE.decode(raw).ok()?;
        Some(AppError::de(bytes.into()))
    })
}

/// Where a form posted from a private page (`/r/<token>`, `/h/<token>`) lands: back on that
/// page (`query` and `#anchor` added on success). A browser posting without script gets a
/// refusal there too, in the URL as [`url_error`] reads it: a private page sends no
/// `Referer`, so the server functions' own way back would land on the home page. A script
/// (or any other client) gets the refusal as an error.
#[cfg(feature = "ssr")]
pub fn private_page_outcome<S, T>(
    prefix: &str,
    token: &str,
    query: &str,
    anchor: &str,
    result: Result<T, AppError>,
) -> Result<T, AppError>
where
    S: ServerFn<Error = AppError>,
    T: Default,
{
    use base64::Engine as _;
    use leptos::server_fn::error::FromServerFnError as _;
    // A token is letters, digits and `-`/`_`; anything else was not one (and goes home).
    let token_like = token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let page = if token_like { format!("{prefix}{token}") } else { "/".to_string() };
    let from_a_form = use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
    });
    match result {
        Ok(value) => {
            leptos_axum::redirect(&format!("{page}{query}{anchor}"));
            Ok(value)
        }
        Err(error) if from_a_form => {
            let encoded = base64::engine::general_purpose::URL_SAFE.encode(error.ser());
            leptos_axum::redirect(&format!("{page}?__path={}&__err={encoded}{anchor}", S::PATH));
            Ok(T::default())
        }
        Err(error) => Err(error),
    }
}

/// The values of a refused JavaScript-less post of `S`, to fill the form in again.
pub fn url_values<S: ServerFn<Error = AppError>, F: serde::de::DeserializeOwned>() -> Option<F> {
    let values = url_error::<S>()?.field_errors()?.values.clone()?;
    serde_json::from_value(values).ok()
}

/// The error state of one form: what the server said and what live checks find.
#[derive(Clone, Copy)]
pub struct FormCtx {
    server: Signal<Option<AppError>>,
    live: RwSignal<FieldErrors>,
    touched: RwSignal<HashSet<String>>,
}

impl FormCtx {
    pub fn reason(&self, field: impl Into<String>) -> Signal<Option<Reason>> {
        let this = *self;
        let field: String = field.into();
        Signal::derive(move || {
            let touched = this.touched.with(|t| t.contains(&field));
            if touched && let Some(reason) = this.live.with(|l| l.get(&field).cloned()) {
                return Some(reason);
            }
            this.server.with(|e| e.as_ref().and_then(|e| e.field_errors()).and_then(|f| f.get(&field).cloned()))
        })
    }

    /// The form-level message (a refusal or a summary of field errors).
    pub fn summary(&self) -> Signal<Option<String>> {
        let server = self.server;
        let lang = use_lang();
        Signal::derive(move || server.with(|e| e.as_ref().map(|e| e.message(lang))))
    }
}

/// Wires a form's errors: the action's result, the URL after a plain post, and live
/// checks with `validate` (the same parse the server function runs).
pub fn use_form<S>(
    action: ServerAction<S>,
    validate: fn(&S) -> FieldErrors,
) -> (FormCtx, impl Fn(leptos::ev::Event) + Copy + 'static)
where
    S: ServerFn<Error = AppError> + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    use_form_or_here(action, validate, RwSignal::new(None))
}

/// As [`use_form`], for a form the page may also take itself (the door without a
/// network): `here` holds the refusal of the last submit taken on the page, shown in
/// place of the action's.
pub fn use_form_or_here<S>(
    action: ServerAction<S>,
    validate: fn(&S) -> FieldErrors,
    here: RwSignal<Option<AppError>>,
) -> (FormCtx, impl Fn(leptos::ev::Event) + Copy + 'static)
where
    S: ServerFn<Error = AppError> + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let from_url = url_error::<S>();
    let value = action.value();
    let server = Signal::derive(move || {
        if let Some(e) = here.get() {
            return Some(e);
        }
        match value.get() {
            Some(Err(e)) => Some(e),
            Some(Ok(_)) => None,
            None => from_url.clone(),
        }
    });
    let ctx = FormCtx { server, live: RwSignal::new(FieldErrors::default()), touched: RwSignal::new(HashSet::new()) };
    provide_context(ctx);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;
            use wasm_bindgen::JsCast;
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
                return;
            };
            if let Some(name) = target.get_attribute("name") {
                ctx.touched.update(|t| {
                    t.insert(field_key(&name).to_string());
                });
            }
            let Some(form) =
                target.closest("form").ok().flatten().and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            if let Ok(data) = web_sys::FormData::new_with_form(&form)
                && let Ok(input) = S::from_form_data(&data)
            {
                ctx.live.set(validate(&input));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (ev, validate);
        }
    };
    (ctx, on_change)
}

/// The form a submit event comes from and what it posts, as the server function `S`
/// reads it (in the browser; `None` on the server, where no event fires).
pub fn submitted<S: leptos::form::FromFormData>(ev: &leptos::ev::SubmitEvent) -> Option<(S, web_sys::HtmlFormElement)> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let form = ev.target()?.dyn_into::<web_sys::HtmlFormElement>().ok()?;
        let data = web_sys::FormData::new_with_form(&form).ok()?;
        S::from_form_data(&data).ok().map(|input| (input, form))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

/// The message under a field, in the reader's language.
#[component]
pub fn FieldMessage(#[prop(into)] field: String) -> impl IntoView {
    let ctx = use_context::<FormCtx>();
    let lang = use_lang();
    let reason = ctx.map(|c| c.reason(field.clone()));
    move || {
        reason.and_then(|r| r.get()).map(|r| {
            view! {
                <small class="field-error" id=format!("e-{field}") data-field=field.clone() role="alert">
                    {r.message(lang)}
                </small>
            }
        })
    }
}

/// The label's target, and what describes the input: its hint and its error.
fn described_by(name: &str, hint: bool) -> String {
    if hint { format!("h-{name} e-{name}") } else { format!("e-{name}") }
}

/// A labelled input posting `form[name]`, with its hint and error message.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(into, optional)] value: String,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] list: Option<&'static str>,
    /// The `autocomplete` token that lets the browser fill it (`name`, `email`, `tel`, …).
    #[prop(optional)]
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let ctx = use_context::<FormCtx>();
    let invalid = move || ctx.map(|c| c.reason(name).with(|r| r.is_some())).unwrap_or(false);
    view! {
        <div class="field">
            <label class="label" for=format!("f-{name}")>{label}</label>
            <input
                id=format!("f-{name}")
                type=input_type
                name=format!("form[{name}]")
                value=value
                required=required
                maxlength=maxlength
                list=list
                autocomplete=autocomplete
                aria-describedby=described_by(name, hint.is_some())
                aria-invalid=move || invalid().then_some("true")
            />
            {hint.map(|h| view! { <small class="hint" id=format!("h-{name}")>{h}</small> })}
            <FieldMessage field=name/>
        </div>
    }
}

/// A country chosen from the list, names in the reader's language (a plain select: it works
/// before any script), posting `form[name]` as the code. Optional: a first empty choice.
#[component]
pub fn CountrySelect(
    label: &'static str,
    name: &'static str,
    #[prop(into, optional)] value: String,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let chosen = crate::domain::Country::parse(&value).map(|c| c.as_str().to_string()).unwrap_or_default();
    view! {
        <div class="field">
            <label class="label" for=format!("f-{name}")>{label}</label>
            <select
                id=format!("f-{name}")
                name=format!("form[{name}]")
                required=required
                autocomplete="country"
                aria-describedby=described_by(name, false)
                data-search=lang.pick("查找国家或地区（名称或代码）", "Find a country (name or code)")
            >
                <option value="" selected=chosen.is_empty()>{lang.pick("（请选择）", "(choose)")}</option>
                {crate::domain::Country::choices(lang).into_iter().map(|(code, country)| view! {
                    <option value=code selected=chosen == code>{country}</option>
                }).collect_view()}
            </select>
            <FieldMessage field=name/>
        </div>
    }
}

/// A labelled textarea posting `form[name]`, with its hint and error message.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(into, optional)] value: String,
    #[prop(default = 6)] rows: u32,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for=format!("f-{name}")>{label}</label>
            <textarea
                id=format!("f-{name}")
                name=format!("form[{name}]")
                rows=rows
                aria-describedby=described_by(name, hint.is_some())
            >
                {crate::html::textarea_text(value)}
            </textarea>
            {hint.map(|h| view! { <small class="hint" id=format!("h-{name}")>{h}</small> })}
            <FieldMessage field=name/>
        </div>
    }
}

/// The form-level banner: shown when the last post was refused.
#[component]
pub fn FormSummary() -> impl IntoView {
    let ctx = use_context::<FormCtx>();
    move || ctx.and_then(|c| c.summary().get()).map(|m| view! { <p class="form-error" role="alert">{m}</p> })
}

#[cfg(test)]
mod tests {
    use super::field_key;

    #[test]
    fn field_keys_strip_the_form_prefix() {
        assert_eq!(field_key("form[title_zh]"), "title_zh");
        assert_eq!(field_key("form[industry_chains][ai]"), "industry_chains");
        assert_eq!(field_key("email"), "email");
    }
}
