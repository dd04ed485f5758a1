//! Capturing a lead: a business card typed in, or a guest's check-in code scanned at the
//! door (then the lead is met at that event).

use crate::html::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::lead_page::LeadFields;
use super::pages::lead_texts;
use super::{CaptureCode, CaptureLead, LeadForm};
use crate::components::{ScanCamera, ScanCodeFields};
use crate::forms::{FormSummary, submitted, use_form_or_here};
use crate::i18n::use_lang;

/// `/admin/leads/new` and `/admin/events/:id/capture`: a quick form built for a phone,
/// and at an event a scan of the guest's QR code. An event's door prepared for offline use
/// (`door`) keeps each card on the phone and uploads it when it can.
#[component]
pub fn CaptureLeadPage() -> impl IntoView {
    use crate::door::browser::Door;
    use crate::door::pages::{DoorBar, DoorNotes, door_mode};
    use leptos::server_fn::ServerFn as _;
    let lang = use_lang();
    let l = lead_texts(lang);
    let params = use_params_map();
    let event_id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    let door = event_id().map(Door::provide);
    let capture = ServerAction::<CaptureLead>::new();
    let by_code = ServerAction::<CaptureCode>::new();
    let here = RwSignal::new(None);
    let (_, on_change) = use_form_or_here(capture, |a: &CaptureLead| a.form.parse().err().unwrap_or_default(), here);
    let outcome = move |value: Option<Result<i32, crate::error::AppError>>| {
        value.map(|r| match r {
            Ok(id) => view! {
                <p class="saved" role="status">{l.captured}" · "<a href=format!("/admin/leads/{id}")>{format!("{} #{id}", l.open_lead)}</a></p>
            }
            .into_any(),
            Err(e) => {
                let message = e.field_errors().and_then(|f| f.get("code").map(|r| r.message(lang))).unwrap_or_else(|| e.message(lang));
                view! { <p class="form-error" role="alert">{message}</p> }.into_any()
            }
        })
    };
    let on_capture = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((input, form)) = submitted::<CaptureLead>(&ev) else { return };
        match door.filter(|door| door.prepared()) {
            Some(door) => match door.lead(input.form) {
                Ok(()) => {
                    here.set(None);
                    form.reset();
                }
                Err(errors) => here.set(Some(crate::error::AppError::Invalid(errors))),
            },
            None => {
                here.set(None);
                capture.dispatch(input);
            }
        }
    };
    view! {
        <PageTitle text=crate::i18n::texts(lang).capture/>
        <h1>{move || if event_id().is_some() { crate::i18n::texts(lang).capture } else { l.add_lead }}</h1>
        <p class="hint">{l.capture_hint}</p>
        <DoorBar/>
        {move || event_id().map(|id| view! {
            {move || outcome(by_code.value().get())}
            <ActionForm action=by_code attr:class="checkin-code" attr:id="check-in-code-form">
                <ScanCodeFields event_id=id submit=l.capture_button/>
            </ActionForm>
            <ScanCamera/>
        })}
        {move || if door_mode() { view! { <DoorNotes/> }.into_any() } else { outcome(capture.value().get()).into_any() }}
        <div on:input=on_change on:change=on_change>
            <form action=CaptureLead::PATH method="post" class="register-form capture-form" novalidate on:submit=on_capture>
                <FormSummary/>
                {move || event_id().map(|id| view! { <input type="hidden" name="event_id" value=id/> })}
                <input type="hidden" name="form[language]" value=lang.code()/>
                <LeadFields form=LeadForm::default() short=true/>
                <button type="submit" class="primary">{l.capture_button}</button>
            </form>
        </div>
    }
}
