//! Email: every message the product sends is written to an outbox in the same
//! transaction as the change that causes it, then delivered by a worker in the server
//! (`server::mail`). Organizers see each message and its delivery status on the Outbox
//! page (`outbox`).

#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod compose;
#[cfg(feature = "ssr")]
pub mod qr;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use crate::domain::OutboxStatus;

/// What a marketing message to a suppressed address records instead of being sent.
pub const SUPPRESSED: &str = "not sent: the address unsubscribed or bounces";
/// What erasure records on a message it cancelled.
pub const ERASED: &str = "erased before sending";
/// The domain of the address an erased guest's seat keeps (`erased-<id>@erased.invalid`):
/// nobody's, so nothing is ever queued to it.
pub const ERASED_DOMAIN: &str = "@erased.invalid";

crate::i18n::texts_of! {
    /// The errors the product itself records on a message, as a reader sees them.
    struct ErrorTexts, fn error_texts;
    suppressed: "未发送：该地址已退订或退信", SUPPRESSED;
    erased: "未发送：个人数据已删除", ERASED;
}

/// A message's last error: ours in the reader's language, a mail server's answer as given.
pub fn error_text(lang: crate::i18n::Lang, error: Option<&str>) -> String {
    match error {
        Some(SUPPRESSED) => error_texts(lang).suppressed.to_string(),
        Some(ERASED) => error_texts(lang).erased.to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
