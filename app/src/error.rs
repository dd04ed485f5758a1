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
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
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
    InvalidAgendaLine {
        line: usize,
    },
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
    InvalidInviteLine {
        line: usize,
    },
    ColumnTwice,
    NameColumnMissing,
    UnknownMergeField {
        field: String,
    },
    UnclosedMergeField,
    CampaignStarted,
    InvalidCreditCode,
    /// The unit that holds the company, by its names (the English one may be empty).
    CreditCodeHeldBy {
        unit_zh: String,
        unit_en: String,
    },
    NotYourUnit,
    UnitNotEmpty,
    InvalidUrl,
    PrivateAddress,
    UnitLoop,
    UnitNameTaken,
    /// A step of a project's life dated while the step before it is not (started without
    /// signing, in production without a start).
    StepBeforePrevious,
    /// A date earlier than the step before it.
    BeforePreviousStep,
    ProofNotAllowedKind,
    ProofTooLarge,
    /// A member checks another member's entry, not their own.
    VerifyOwnEntry,
    AlreadyVerified,
    /// A cell of an imported targets file: its line and column.
    InvalidTargetCell {
        line: u32,
        column: String,
    },
    /// An imported targets file's first line names none of the columns.
    TargetColumnsMissing,
    /// The event's meeting programme is off.
    MeetingsOff,
    /// A person asked for `max` meetings that are not answered yet.
    TooManyRequests {
        max: i64,
    },
    /// Every slot of the person asked is taken.
    PersonFull,
    /// The two have a request or a meeting already.
    AlreadyRequested,
    RequestExpired,
    /// The request was accepted, declined or cancelled before.
    AlreadyAnswered,
    SlotTaken,
    TableTaken,
    /// The two have no slot free at the same time with a table left.
    NoFreeSlot,
    SlotIsBreak,
    /// A table with meetings cannot be removed.
    TableInUse,
    /// A guest who did not agree to be met.
    NotOptedIn,
    /// The guest whose code was scanned has no meeting at this table.
    NoMeetingHere,
    /// An upload from the door carries more than `max` actions.
    TooManyActions {
        max: usize,
    },
    /// An action id from the door is not 8 to 64 letters, digits, `-` or `_`.
    MalformedActionId,
    /// An upload from the door carries the same action twice.
    ActionTwice,
    /// An action id from the door was given to another kind of action before.
    ActionIdTaken,
}

texts_of! {
    /// What each refusal says, in both languages (`{name}`: the value the reason carries,
    /// filled in by `message`).
    impl Reason, fn text;
    Required: "必填", "Required";
    MeetingsOff: "本场活动未开放一对一洽谈。", "This event has no one-to-one meetings.";
    TooManyRequests: "您已有 {max} 个待回复的洽谈请求，请等待回复或撤回后再发。", "You have {max} requests awaiting an answer: wait for one or withdraw one first.";
    PersonFull: "对方的洽谈时段已排满。", "Their meeting slots are all taken.";
    AlreadyRequested: "双方已有洽谈请求或已约定会谈。", "The two already have a request or a meeting.";
    RequestExpired: "该请求已过期。", "This request has expired.";
    AlreadyAnswered: "该请求已处理。", "This request has been answered already.";
    SlotTaken: "该时段已被占用。", "This slot is taken.";
    TableTaken: "该洽谈桌在此时段已被占用。", "This table is taken in that slot.";
    NoFreeSlot: "双方没有共同的空闲时段（或洽谈桌已满）。", "The two have no free slot in common with a table left.";
    SlotIsBreak: "该时段为休息时间。", "This slot is a break.";
    TableInUse: "该洽谈桌已有会谈，不能删除。", "This table has meetings and cannot be removed.";
    NotOptedIn: "该嘉宾未开放洽谈。", "This guest has not agreed to be met.";
    NoMeetingHere: "该嘉宾在此洽谈桌没有已确认的洽谈。", "This guest has no accepted meeting at this table.";
    TooManyActions: "一次最多上传 {max} 条操作", "At most {max} actions per upload";
    MalformedActionId: "操作编号应为 8–64 个字母、数字、- 或 _", "An action id is 8 to 64 letters, digits, - or _";
    ActionTwice: "同一操作在一次上传中出现了两次", "The same action appears twice in one upload";
    ActionIdTaken: "此操作编号已用于另一项操作", "This action id was given to another action";
    TooLong: "不能超过 {max} 个字符", "At most {max} characters";
    TooShort: "至少 {min} 个字符", "At least {min} characters";
    OutOfRange: "应在 {min} 到 {max} 之间", "Must be between {min} and {max}";
    NotANumber: "请输入数字", "Enter a number";
    InvalidEmail: "电子邮箱格式不正确", "Not a valid email address";
    InvalidDateTime: "日期时间格式应为 YYYY-MM-DDTHH:MM", "Use a date and time like 2023-03-15T14:00";
    UnknownTimeZone: "未知时区，请使用 IANA 名称，例如 Europe/Berlin", "Unknown time zone: use an IANA name such as Europe/Berlin";
    NonexistentLocalTime: "该时刻因夏令时调整在场地时区不存在", "This local time does not exist in the venue's time zone (daylight saving)";
    EndBeforeStart: "结束时间必须晚于开始时间", "The end must be after the start";
    ClosesBeforeOpens: "报名截止必须晚于报名开始", "Registration must close after it opens";
    ClosesAfterEnd: "报名截止不能晚于活动结束", "Registration cannot close after the event ends";
    InvalidSlug: "只能使用小写字母、数字和连字符（3–80 个字符）", "Use 3–80 lowercase letters, digits and hyphens";
    SlugTaken: "该网址标识已被使用", "This URL slug is already in use";
    EmailTaken: "该邮箱已有账号", "An account with this email exists already";
    InvalidCountry: "请从列表中选择国家或地区（或输入两位代码，例如 DE、CN）", "Choose a country or region from the list (or its two-letter code, such as DE or CN)";
    UnknownChoice: "无效的选项", "Not one of the choices";
    InvalidAgendaLine: "第 {line} 行应为：时间 | 议题 | 嘉宾（时间如 14:00）", "Line {line} should read: time | topic | speaker (time like 14:00)";
    WrongCredentials: "邮箱或密码不正确", "Wrong email or password";
    WrongSetupToken: "设置口令不正确", "Wrong setup token";
    PasswordTooWeak: "密码至少 10 个字符", "Use at least 10 characters";
    InvalidPhone: "电话号码格式不正确（6–20 位数字，可含 +、空格、-）", "Not a valid phone number (6–20 digits; +, spaces and - allowed)";
    ConsentRequired: "报名需同意数据使用条款", "Registering needs your consent to the use of your data";
    RegistrationClosed: "本场活动当前不接受报名", "This event is not taking registrations now";
    InvitationRequired: "本场活动仅限受邀嘉宾报名", "This event takes registrations by invitation only";
    LinkExpired: "此链接已过期", "This link has expired";
    NotConfirmed: "该嘉宾的报名未确认（候补或已取消）", "This guest's registration is not confirmed (waitlisted or cancelled)";
    UnknownCheckInCode: "本场活动没有这个签到码", "No registration for this event has this code";
    EventFull: "活动已满员：请先提高容量", "The event is full: raise its capacity first";
    InvalidInviteLine: "第 {line} 行没有有效的邮箱地址", "Line {line} has no valid email address";
    ColumnTwice: "有两列对应了同一个字段", "Two columns are matched to the same field";
    NameColumnMissing: "请指定哪一列是姓名", "Choose the column that holds the name";
    UnknownMergeField: "没有这个合并字段：{{{field}}}", "There is no merge field {{{field}}}";
    UnclosedMergeField: "合并字段缺少右括号 }}", "A merge field is missing its closing }}";
    CampaignStarted: "已开始发送，无法取消", "It has started sending: it can no longer be cancelled";
    InvalidCreditCode: "统一社会信用代码应为 18 位且校验位正确", "A unified social credit code has 18 characters and a valid check character";
    CreditCodeHeldBy: "该企业已由{unit}报送（同一企业只计入一个单位）", "This company is already reported by {unit} (a company counts for one unit only)";
    NotYourUnit: "只能修改本单位的项目", "You can change your own unit's projects only";
    UnitNotEmpty: "该单位还有项目或下级单位，不能删除", "This unit still has projects or units under it: it cannot be deleted";
    UnitLoop: "上级单位不能是它自己或它的下级", "A unit cannot be under itself or one of its own units";
    StepBeforePrevious: "请先填写上一步的日期（签约 → 开工 → 投产）", "Date the step before first (signed → started → in production)";
    BeforePreviousStep: "不能早于上一步的日期（签约 → 开工 → 投产）", "Cannot be before the step before it (signed → started → in production)";
    ProofNotAllowedKind: "证明文件须为 PDF、JPEG 或 PNG（按文件内容判断）", "The proof must be a PDF, JPEG or PNG file (by its content)";
    ProofTooLarge: "证明文件不能超过 10 MB", "The proof file must be at most 10 MB";
    VerifyOwnEntry: "到位资金须由录入人以外的成员核实", "Funds are verified by a member other than the one who entered them";
    AlreadyVerified: "已核实的到位资金不能再更换证明文件", "The proof of verified funds cannot be replaced";
    InvalidTargetCell: "第 {line} 行“{column}”：未知单位，或不是有效的数字、年份（2000–2100）或季度（0–4）", "Line {line}, “{column}”: an unknown unit, or not a valid number, year (2000–2100) or quarter (0–4)";
    TargetColumnsMissing: "第一行须为列名：单位、年份，及至少一项指标", "The first line must name the columns: unit, year and at least one figure";
    UnitNameTaken: "已有同名单位", "A unit with this name exists already";
    InvalidUrl: "请输入 https:// 开头的完整网址", "Enter a full address starting with https://";
    PrivateAddress: "该网址指向内网或本机地址：请先在本页允许内网地址", "This address is on a private network or this machine: allow private addresses on this page first";
}

impl Reason {
    pub fn message(&self, lang: Lang) -> String {
        use Reason::*;
        let text = self.text(lang);
        match self {
            TooLong { max } => text.replace("{max}", &format!("{max}")),
            TooShort { min } => text.replace("{min}", &format!("{min}")),
            OutOfRange { min, max } => text.replace("{min}", &format!("{min}")).replace("{max}", &format!("{max}")),
            InvalidAgendaLine { line } | InvalidInviteLine { line } => text.replace("{line}", &format!("{line}")),
            UnknownMergeField { field } => text.replace("{field}", field),
            CreditCodeHeldBy { unit_zh, unit_en } => text.replace("{unit}", lang.pick(unit_zh, unit_en)),
            TooManyRequests { max } => text.replace("{max}", &max.to_string()),
            TooManyActions { max } => text.replace("{max}", &max.to_string()),
            InvalidTargetCell { line, column } => text.replace("{line}", &line.to_string()).replace("{column}", column),
            _ => text.into(),
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
        let text = self.text(lang);
        match self {
            AppError::Invalid(_) | AppError::Conflict(_) => crate::i18n::texts(lang).form_has_errors.into(),
            AppError::RateLimited { retry_after_secs } => text.replace("{seconds}", &format!("{retry_after_secs}")),
            AppError::Internal(reference) => text.replace("{reference}", reference),
            _ => text.into(),
        }
    }
}

texts_of! {
    /// What the user reads for each failure (`{seconds}` and `{reference}` filled in by
    /// `message`; a refused form says `Texts::form_has_errors`).
    impl AppError, fn text;
    Invalid: "", "";
    Conflict: "", "";
    Unauthorized: "请先登录。", "Please sign in first.";
    Forbidden: "您没有权限执行此操作。", "You are not allowed to do this.";
    NotFound: "未找到。", "Not found.";
    RateLimited: "尝试次数过多，请 {seconds} 秒后再试。", "Too many attempts: try again in {seconds} s.";
    BadRequest: "请求格式不正确。", "The request was malformed.";
    Internal: "服务器出错（编号 {reference}），请稍后再试。", "Something went wrong on our side (ref {reference}).";
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

    #[test]
    fn failures_say_their_values_in_both_languages() {
        let limited = AppError::RateLimited { retry_after_secs: 30 };
        assert_eq!(limited.message(Lang::Zh), "尝试次数过多，请 30 秒后再试。");
        assert_eq!(limited.message(Lang::En), "Too many attempts: try again in 30 s.");
        let internal = AppError::Internal("3f9c0a1b2c4d".into());
        assert_eq!(internal.message(Lang::Zh), "服务器出错（编号 3f9c0a1b2c4d），请稍后再试。");
        assert_eq!(internal.message(Lang::En), "Something went wrong on our side (ref 3f9c0a1b2c4d).");
        assert_eq!(AppError::NotFound.message(Lang::Zh), "未找到。");
        assert_eq!(AppError::Invalid(FieldErrors::default()).message(Lang::En), "Please correct the marked fields.");
    }
}
