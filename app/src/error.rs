//! What can go wrong, said so that the user can act on it: a field and a reason,
//! or a plain refusal. One mapping turns each kind into an HTTP status.

use serde::{Deserialize, Serialize};
use server_fn_error::*;

use crate::i18n::Lang;

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

impl Reason {
    pub fn message(&self, lang: Lang) -> String {
        use Reason::*;
        let zh = lang == Lang::Zh;
        match self {
            Required if zh => "必填".into(),
            Required => "Required".into(),
            TooLong { max } if zh => format!("不能超过 {max} 个字符"),
            TooLong { max } => format!("At most {max} characters"),
            TooShort { min } if zh => format!("至少 {min} 个字符"),
            TooShort { min } => format!("At least {min} characters"),
            OutOfRange { min, max } if zh => format!("应在 {min} 到 {max} 之间"),
            OutOfRange { min, max } => format!("Must be between {min} and {max}"),
            NotANumber if zh => "请输入数字".into(),
            NotANumber => "Enter a number".into(),
            InvalidEmail if zh => "电子邮箱格式不正确".into(),
            InvalidEmail => "Not a valid email address".into(),
            InvalidDateTime if zh => "日期时间格式应为 YYYY-MM-DDTHH:MM".into(),
            InvalidDateTime => "Use a date and time like 2023-03-15T14:00".into(),
            UnknownTimeZone if zh => "未知时区，请使用 IANA 名称，例如 Europe/Berlin".into(),
            UnknownTimeZone => "Unknown time zone: use an IANA name such as Europe/Berlin".into(),
            NonexistentLocalTime if zh => "该时刻因夏令时调整在场地时区不存在".into(),
            NonexistentLocalTime => "This local time does not exist in the venue's time zone (daylight saving)".into(),
            EndBeforeStart if zh => "结束时间必须晚于开始时间".into(),
            EndBeforeStart => "The end must be after the start".into(),
            ClosesBeforeOpens if zh => "报名截止必须晚于报名开始".into(),
            ClosesBeforeOpens => "Registration must close after it opens".into(),
            ClosesAfterEnd if zh => "报名截止不能晚于活动结束".into(),
            ClosesAfterEnd => "Registration cannot close after the event ends".into(),
            InvalidSlug if zh => "只能使用小写字母、数字和连字符（3–80 个字符）".into(),
            InvalidSlug => "Use 3–80 lowercase letters, digits and hyphens".into(),
            SlugTaken if zh => "该网址标识已被使用".into(),
            SlugTaken => "This URL slug is already in use".into(),
            EmailTaken if zh => "该邮箱已有账号".into(),
            EmailTaken => "An account with this email exists already".into(),
            InvalidCountry if zh => "请输入两位国家代码，例如 DE、CN".into(),
            InvalidCountry => "Use a two-letter country code such as DE or CN".into(),
            UnknownChoice if zh => "无效的选项".into(),
            UnknownChoice => "Not one of the choices".into(),
            InvalidAgendaLine { line } if zh => {
                format!("第 {line} 行应为：时间 | 议题 | 嘉宾（时间如 14:00）")
            }
            InvalidAgendaLine { line } => {
                format!("Line {line} should read: time | topic | speaker (time like 14:00)")
            }
            WrongCredentials if zh => "邮箱或密码不正确".into(),
            WrongCredentials => "Wrong email or password".into(),
            WrongSetupToken if zh => "设置口令不正确".into(),
            WrongSetupToken => "Wrong setup token".into(),
            PasswordTooWeak if zh => "密码至少 10 个字符".into(),
            PasswordTooWeak => "Use at least 10 characters".into(),
            InvalidPhone if zh => "电话号码格式不正确（6–20 位数字，可含 +、空格、-）".into(),
            InvalidPhone => "Not a valid phone number (6–20 digits; +, spaces and - allowed)".into(),
            ConsentRequired if zh => "报名需同意数据使用条款".into(),
            ConsentRequired => "Registering needs your consent to the use of your data".into(),
            RegistrationClosed if zh => "本场活动当前不接受报名".into(),
            RegistrationClosed => "This event is not taking registrations now".into(),
            InvitationRequired if zh => "本场活动仅限受邀嘉宾报名".into(),
            InvitationRequired => "This event takes registrations by invitation only".into(),
            LinkExpired if zh => "此链接已过期".into(),
            LinkExpired => "This link has expired".into(),
            NotConfirmed if zh => "该嘉宾的报名未确认（候补或已取消）".into(),
            NotConfirmed => "This guest's registration is not confirmed (waitlisted or cancelled)".into(),
            UnknownCheckInCode if zh => "本场活动没有这个签到码".into(),
            UnknownCheckInCode => "No registration for this event has this code".into(),
            EventFull if zh => "活动已满员：请先提高容量".into(),
            EventFull => "The event is full: raise its capacity first".into(),
            InvalidInviteLine { line } if zh => format!("第 {line} 行没有有效的邮箱地址"),
            InvalidInviteLine { line } => format!("Line {line} has no valid email address"),
            ColumnTwice if zh => "有两列对应了同一个字段".into(),
            ColumnTwice => "Two columns are matched to the same field".into(),
            NameColumnMissing if zh => "请指定哪一列是姓名".into(),
            NameColumnMissing => "Choose the column that holds the name".into(),
            UnknownMergeField { field } if zh => format!("没有这个合并字段：{{{{{field}}}}}"),
            UnknownMergeField { field } => format!("There is no merge field {{{{{field}}}}}"),
            UnclosedMergeField if zh => "合并字段缺少右括号 }}".into(),
            UnclosedMergeField => "A merge field is missing its closing }}".into(),
            CampaignStarted if zh => "已开始发送，无法取消".into(),
            CampaignStarted => "It has started sending: it can no longer be cancelled".into(),
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
