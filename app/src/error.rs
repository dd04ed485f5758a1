//! What can go wrong, said so that the user can act on it: a field and a reason,
//! or a plain refusal. One mapping turns each kind into an HTTP status.

use serde::{Deserialize, Serialize};
use server_fn_error::*;

use crate::i18n::{Lang, texts_of};

mod server_fn_error {
    pub use leptos::server_fn::{
        codec::JsonEncoding,
        error::{FromServerFnError, ServerFnErrorErr},
    };
}

/// Why a field was refused. Rendered in the reader's language by [`Reason::message`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    Required,
    TooLong { max: usize },
    TooShort { min: usize },
    OutOfRange { min: i64, max: i64 },
    NotANumber,
    InvalidEmail,
    InvalidDateTime,
    UnknownTimeZone,
    NonexistentLocalTime,
    EndBeforeStart,
    ClosesBeforeOpens,
    ClosesAfterEnd,
    InvalidSlug,
    SlugTaken,
    EmailTaken,
    InvalidCountry,
    UnknownChoice,
    InvalidAgendaLine { line: usize },
    WrongCredentials,
    WrongSetupToken,
    PasswordTooWeak,
    InvalidPhone,
    ConsentRequired,
    RegistrationClosed,
    InvitationRequired,
    LinkExpired,
    NotConfirmed,
    UnknownCheckInCode,
    EventFull,
    InvalidInviteLine { line: usize },
    ColumnTwice,
    NameColumnMissing,
    UnknownMergeField { field: String },
    UnclosedMergeField,
    CampaignStarted,
}

texts_of! {
    /// What each refusal says, in both languages (`{name}`: the value the reason carries).
    struct ReasonTexts, fn reason_texts;
    required: "必填", "Required";
    too_long: "不能超过 {max} 个字符", "At most {max} characters";
    too_short: "至少 {min} 个字符", "At least {min} characters";
    out_of_range: "应在 {min} 到 {max} 之间", "Must be between {min} and {max}";
    not_a_number: "请输入数字", "Enter a number";
    invalid_email: "电子邮箱格式不正确", "Not a valid email address";
    invalid_date_time: "日期时间格式应为 YYYY-MM-DDTHH:MM", "Use a date and time like 2023-03-15T14:00";
    unknown_time_zone: "未知时区，请使用 IANA 名称，例如 Europe/Berlin", "Unknown time zone: use an IANA name such as Europe/Berlin";
    nonexistent_local_time: "该时刻因夏令时调整在场地时区不存在", "This local time does not exist in the venue's time zone (daylight saving)";
    end_before_start: "结束时间必须晚于开始时间", "The end must be after the start";
    closes_before_opens: "报名截止必须晚于报名开始", "Registration must close after it opens";
    closes_after_end: "报名截止不能晚于活动结束", "Registration cannot close after the event ends";
    invalid_slug: "只能使用小写字母、数字和连字符（3–80 个字符）", "Use 3–80 lowercase letters, digits and hyphens";
    slug_taken: "该网址标识已被使用", "This URL slug is already in use";
    email_taken: "该邮箱已有账号", "An account with this email exists already";
    invalid_country: "请输入两位国家代码，例如 DE、CN", "Use a two-letter country code such as DE or CN";
    unknown_choice: "无效的选项", "Not one of the choices";
    invalid_agenda_line: "第 {line} 行应为：时间 | 议题 | 嘉宾（时间如 14:00）", "Line {line} should read: time | topic | speaker (time like 14:00)";
    wrong_credentials: "邮箱或密码不正确", "Wrong email or password";
    wrong_setup_token: "设置口令不正确", "Wrong setup token";
    password_too_weak: "密码至少 10 个字符", "Use at least 10 characters";
    invalid_phone: "电话号码格式不正确（6–20 位数字，可含 +、空格、-）", "Not a valid phone number (6–20 digits; +, spaces and - allowed)";
    consent_required: "报名需同意数据使用条款", "Registering needs your consent to the use of your data";
    registration_closed: "本场活动当前不接受报名", "This event is not taking registrations now";
    invitation_required: "本场活动仅限受邀嘉宾报名", "This event takes registrations by invitation only";
    link_expired: "此链接已过期", "This link has expired";
    not_confirmed: "该嘉宾的报名未确认（候补或已取消）", "This guest's registration is not confirmed (waitlisted or cancelled)";
    unknown_check_in_code: "本场活动没有这个签到码", "No registration for this event has this code";
    event_full: "活动已满员：请先提高容量", "The event is full: raise its capacity first";
    invalid_invite_line: "第 {line} 行没有有效的邮箱地址", "Line {line} has no valid email address";
    column_twice: "有两列对应了同一个字段", "Two columns are matched to the same field";
    name_column_missing: "请指定哪一列是姓名", "Choose the column that holds the name";
    unknown_merge_field: "没有这个合并字段：{{{field}}}", "There is no merge field {{{field}}}";
    unclosed_merge_field: "合并字段缺少右括号 }}", "A merge field is missing its closing }}";
    campaign_started: "已开始发送，无法取消", "It has started sending: it can no longer be cancelled";
}

impl Reason {
    pub fn message(&self, lang: Lang) -> String {
        use Reason::*;
        let t = reason_texts(lang);
        match self {
            Required => t.required.into(),
            TooLong { max } => t.too_long.replace("{max}", &format!("{max}")),
            TooShort { min } => t.too_short.replace("{min}", &format!("{min}")),
            OutOfRange { min, max } => {
                t.out_of_range.replace("{min}", &format!("{min}")).replace("{max}", &format!("{max}"))
            }
            NotANumber => t.not_a_number.into(),
            InvalidEmail => t.invalid_email.into(),
            InvalidDateTime => t.invalid_date_time.into(),
            UnknownTimeZone => t.unknown_time_zone.into(),
            NonexistentLocalTime => t.nonexistent_local_time.into(),
            EndBeforeStart => t.end_before_start.into(),
            ClosesBeforeOpens => t.closes_before_opens.into(),
            ClosesAfterEnd => t.closes_after_end.into(),
            InvalidSlug => t.invalid_slug.into(),
            SlugTaken => t.slug_taken.into(),
            EmailTaken => t.email_taken.into(),
            InvalidCountry => t.invalid_country.into(),
            UnknownChoice => t.unknown_choice.into(),
            InvalidAgendaLine { line } => t.invalid_agenda_line.replace("{line}", &format!("{line}")),
            WrongCredentials => t.wrong_credentials.into(),
            WrongSetupToken => t.wrong_setup_token.into(),
            PasswordTooWeak => t.password_too_weak.into(),
            InvalidPhone => t.invalid_phone.into(),
            ConsentRequired => t.consent_required.into(),
            RegistrationClosed => t.registration_closed.into(),
            InvitationRequired => t.invitation_required.into(),
            LinkExpired => t.link_expired.into(),
            NotConfirmed => t.not_confirmed.into(),
            UnknownCheckInCode => t.unknown_check_in_code.into(),
            EventFull => t.event_full.into(),
            InvalidInviteLine { line } => t.invalid_invite_line.replace("{line}", &format!("{line}")),
            ColumnTwice => t.column_twice.into(),
            NameColumnMissing => t.name_column_missing.into(),
            UnknownMergeField { field } => t.unknown_merge_field.replace("{field}", field),
            UnclosedMergeField => t.unclosed_merge_field.into(),
            CampaignStarted => t.campaign_started.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub reason: Reason,
}

/// The refused fields of one form. Empty means the form is valid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldErrors {
    pub errors: Vec<FieldError>,
    /// The submitted values (never passwords), so that a form posted without JavaScript
    /// comes back filled in after the redirect that carries this error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<serde_json::Value>,
}

/// Above this, values are not echoed: the redirect URL would grow too long.
const MAX_ECHO_BYTES: usize = 6_000;

impl FieldErrors {
    pub fn add(&mut self, field: &str, reason: Reason) {
        self.errors.push(FieldError { field: field.to_string(), reason });
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&Reason> {
        self.errors.iter().find(|e| e.field == field).map(|e| &e.reason)
    }

    /// Attaches the submitted form for re-display, unless it is too large.
    pub fn with_values(mut self, form: &impl Serialize) -> Self {
        self.values = serde_json::to_value(form).ok().filter(|v| v.to_string().len() <= MAX_ECHO_BYTES);
        self
    }

    /// Keeps a parsed value, or records why it was refused.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Reason>) -> Option<T> {
        result.map_err(|reason| self.add(field, reason)).ok()
    }

    pub fn single(field: &str, reason: Reason) -> Self {
        let mut errors = Self::default();
        errors.add(field, reason);
        errors
    }

    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() { Ok(()) } else { Err(AppError::Invalid(self)) }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("some fields are invalid")]
    Invalid(FieldErrors),
    #[error("conflicts with existing data")]
    Conflict(FieldErrors),
    #[error("sign in first")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("too many attempts, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Details stay in the server log; the user gets a reference to quote.
    #[error("internal error (ref {0})")]
    Internal(String),
}

impl AppError {
    /// A failure with no cause the user could mend (a broken connection, an answer that
    /// could not be read): the user gets a reference, never the raw text, which is logged
    /// (on the server) or written to the console (in the browser).
    pub fn unexpected(detail: String) -> Self {
        let reference = reference();
        #[cfg(feature = "ssr")]
        tracing::error!(reference, detail, "unexpected error");
        #[cfg(not(feature = "ssr"))]
        leptos::logging::error!("unexpected error (ref {reference}): {detail}");
        AppError::Internal(reference)
    }

    /// Attaches the submitted form to a refusal of its fields (see [`FieldErrors::values`]).
    pub fn with_values(self, form: &impl Serialize) -> Self {
        match self {
            AppError::Invalid(e) => AppError::Invalid(e.with_values(form)),
            AppError::Conflict(e) => AppError::Conflict(e.with_values(form)),
            other => other,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::RateLimited { .. } => 429,
            AppError::BadRequest(_) => 400,
            AppError::Internal(_) => 500,
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(e) | AppError::Conflict(e) => Some(e),
            _ => None,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            AppError::Invalid(_) | AppError::Conflict(_) => crate::i18n::texts(lang).form_has_errors.into(),
            AppError::Unauthorized if zh => "请先登录。".into(),
            AppError::Unauthorized => "Please sign in first.".into(),
            AppError::Forbidden if zh => "您没有权限执行此操作。".into(),
            AppError::Forbidden => "You are not allowed to do this.".into(),
            AppError::NotFound if zh => "未找到。".into(),
            AppError::NotFound => "Not found.".into(),
            AppError::RateLimited { retry_after_secs } if zh => {
                format!("尝试次数过多，请 {retry_after_secs} 秒后再试。")
            }
            AppError::RateLimited { retry_after_secs } => {
                format!("Too many attempts: try again in {retry_after_secs} s.")
            }
            AppError::BadRequest(_) if zh => "请求格式不正确。".into(),
            AppError::BadRequest(_) => "The request was malformed.".into(),
            AppError::Internal(r) if zh => format!("服务器出错（编号 {r}），请稍后再试。"),
            AppError::Internal(r) => format!("Something went wrong on our side (ref {r})."),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::BadRequest(m)
            }
            other => AppError::unexpected(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// The id of the request being served: the server sets it around each request, logs
    /// it with every line of that request, and sends it back as `X-Request-Id`.
    pub static REQUEST_ID: String;
}

/// The reference a user quotes for an unexpected failure: on the server the request's id
/// (the log lines of that request carry it), else a fresh one.
pub fn reference() -> String {
    #[cfg(feature = "ssr")]
    if let Ok(id) = REQUEST_ID.try_with(String::clone) {
        return id;
    }
    #[cfg(feature = "ssr")]
    let random = crate::crypto::random_hex::<6>();
    #[cfg(not(feature = "ssr"))]
    let random = format!("{:012x}", (js_sys::Math::random() * 281_474_976_710_655.0) as u64);
    random
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::internal(anyhow::Error::new(err))
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs an unexpected failure with a short reference the user can quote: the request's
    /// id, so the user's "ref …" finds this line and every other line of the request.
    pub fn internal(err: anyhow::Error) -> Self {
        let reference = reference();
        tracing::error!(reference, error = ?err, "internal error");
        AppError::Internal(reference)
    }
}

/// `ValidX::try_from(&form)` for a form whose `parse` checks it field by field: the one way
/// to a valid value is through its form's rules.
macro_rules! parsed_from {
    ($($form:ty => $valid:ty),* $(,)?) => {$(
        impl TryFrom<&$form> for $valid {
            type Error = crate::error::FieldErrors;
            fn try_from(form: &$form) -> Result<Self, Self::Error> {
                form.parse()
            }
        }
    )*};
}
pub(crate) use parsed_from;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_say_their_values_in_both_languages() {
        assert_eq!(Reason::Required.message(Lang::Zh), "必填");
        assert_eq!(Reason::TooLong { max: 200 }.message(Lang::Zh), "不能超过 200 个字符");
        assert_eq!(Reason::TooLong { max: 200 }.message(Lang::En), "At most 200 characters");
        assert_eq!(Reason::OutOfRange { min: 1, max: 1000 }.message(Lang::En), "Must be between 1 and 1000");
        assert_eq!(
            Reason::InvalidAgendaLine { line: 3 }.message(Lang::Zh),
            "第 3 行应为：时间 | 议题 | 嘉宾（时间如 14:00）"
        );
        let field = Reason::UnknownMergeField { field: "nmae".into() };
        assert_eq!(field.message(Lang::En), "There is no merge field {{nmae}}");
        assert_eq!(field.message(Lang::Zh), "没有这个合并字段：{{nmae}}");
        assert_eq!(Reason::UnclosedMergeField.message(Lang::En), "A merge field is missing its closing }}");
    }
}
