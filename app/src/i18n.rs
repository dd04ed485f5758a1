//! Chinese and English: the visitor's language, every text the interface shows,
//! and how dates, numbers and amounts are written in each language.

use chrono::{Datelike, NaiveDateTime, Timelike, Weekday};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A reader's language. Stored (a guest's, a lead's) and sent as its code, `zh` or `en`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "Text")
)]
pub enum Lang {
    #[default]
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "zh"))]
    Zh,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "en"))]
    En,
}

// By its code, written out like the stored enums' (serde's derive costs the bundle more).
impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match String::deserialize(deserializer)?.as_str() {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            other => Err(serde::de::Error::custom(format_args!("{other:?} is no language code"))),
        }
    }
}

pub const LANG_COOKIE: &str = "lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        if code.starts_with("zh") {
            Some(Lang::Zh)
        } else if code.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the language from a `lang` cookie, else from `Accept-Language`
    /// (highest weight wins), else Chinese, the bureau's own language.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Lang {
        let from_cookie = cookie_header.and_then(|c| crate::web::cookie_in(c, LANG_COOKIE)).and_then(Lang::parse);
        from_cookie.or_else(|| accept_language.and_then(Self::from_accept_language)).unwrap_or_default()
    }

    fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let weight =
                pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            if best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Picks the text in this language, falling back to the other when empty.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh if !zh.trim().is_empty() => zh,
            Lang::En if !en.trim().is_empty() => en,
            Lang::Zh => en,
            Lang::En => zh,
        }
    }
}

/// The language a request asks for: its remembered choice (cookie), else its
/// `Accept-Language` (server side).
#[cfg(feature = "ssr")]
pub fn headers_lang(headers: &axum::http::HeaderMap) -> Lang {
    let header = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    Lang::negotiate(header("cookie"), header("accept-language"))
}

/// The language of the current request (server side).
#[cfg(feature = "ssr")]
pub fn request_lang() -> Lang {
    use_context::<axum::http::request::Parts>().map(|parts| headers_lang(&parts.headers)).unwrap_or_default()
}

/// The language the server rendered the page in, read back when hydrating.
pub fn document_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Lang::default()
    }
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Texts of the current language.
pub fn use_texts() -> &'static Texts {
    texts(use_lang())
}

/// Declares fixed texts, each in Chinese and English: either a struct with one field per
/// text and a function that gives its Chinese or its English values, or (`impl Enum, fn
/// name;`) a method that gives the text of each variant of an enum (whatever it carries).
macro_rules! texts_of {
    ($(#[$meta:meta])* impl $enum:ident, fn $method:ident; $($variant:ident: $zh:expr, $en:expr;)*) => {
        impl $enum {
            $(#[$meta])*
            // Out of line: a loop over every variant would otherwise copy the tables into
            // itself once per variant (1.1 KB more WASM for the import columns alone).
            #[inline(never)]
            pub fn $method(&self, lang: $crate::i18n::Lang) -> &'static str {
                let (zh, en) = match self {
                    $(Self::$variant { .. } => ($zh, $en),)*
                };
                match lang {
                    $crate::i18n::Lang::Zh => zh,
                    $crate::i18n::Lang::En => en,
                }
            }
        }
    };
    ($(#[$meta:meta])* $vis:vis struct $name:ident, fn $lookup:ident; $($field:ident: $zh:expr, $en:expr;)*) => {
        $(#[$meta])*
        $vis struct $name { $(pub $field: &'static str,)* }

        $vis fn $lookup(lang: $crate::i18n::Lang) -> &'static $name {
            static ZH: $name = $name { $($field: $zh,)* };
            static EN: $name = $name { $($field: $en,)* };
            match lang {
                $crate::i18n::Lang::Zh => &ZH,
                $crate::i18n::Lang::En => &EN,
            }
        }
    };
}
pub(crate) use texts_of;

texts_of! {
    /// Every fixed text of the interface, once per language.
    pub struct Texts, fn texts;
    app_name: "路演通", "Roadshow";
    tagline: "招商推介活动与路演管理", "Investment promotion events and roadshows";
    switch_lang: "English", "中文";
    sign_in: "登录", "Sign in";
    sign_out: "退出", "Sign out";
    email: "电子邮箱", "Email";
    password: "密码", "Password";
    name: "姓名", "Name";
    organization: "机构", "Organization";
    switch_organization: "切换", "Switch";
    register_title: "报名参会", "Register";
    waitlist_open: "名额已满：现在报名将进入候补名单。", "Full: registering now puts you on the waitlist.";
    registered_confirmed: "报名成功！", "You are registered.";
    registered_waitlisted: "名额已满，您已进入候补名单，有空位时我们会通知您。", "The event is full: you are on the waitlist and will hear from us if a seat frees up.";
    registration_closed: "本场活动当前不接受报名。", "This event is not taking registrations now.";
    phone: "电话（可选）", "Phone (optional)";
    company: "单位（可选）", "Company (optional)";
    job_title: "职务（可选）", "Job title (optional)";
    country_optional: "国家/地区（可选）", "Country or region (optional)";
    interests: "感兴趣的产业链", "Industry chains of interest";
    email_language: "邮件语言", "Language of your emails";
    consent_data_text: "我同意主办方为组织本次活动处理以上信息（必选）", "I agree that the organizer processes these details to run this event (required)";
    consent_marketing_text: "我愿意接收后续活动与投资机会的邮件（可选）", "Send me emails about later events and investment opportunities (optional)";
    register_button: "提交报名", "Register";
    your_registration: "我的报名", "Your registration";
    keep_link: "请保存此页面的链接：凭它可随时查看或取消报名。", "Keep this page's link: it lets you view or cancel your registration at any time.";
    cancel_registration: "取消报名", "Cancel my registration";
    registration_cancelled: "您的报名已取消。", "Your registration is cancelled.";
    register_again: "重新报名", "Register again";
    event_page: "活动页面", "Event page";
    registrations: "报名名单", "Registrations";
    export_csv: "导出 CSV", "Export CSV";
    reg_confirmed: "已确认", "Confirmed";
    reg_waitlisted: "候补", "Waitlisted";
    reg_cancelled: "已取消", "Cancelled";
    follow_up_ok: "同意后续邮件", "Follow-up emails";
    registered_at: "报名时间", "Registered";
    no_registrations: "暂无报名。", "No registrations yet.";
    check_in_page: "现场签到", "Check-in at the door";
    check_in: "签到", "Check in";
    checked_in: "已签到", "Checked in";
    already_checked_in: "已经签到过", "Already checked in";
    search_guest: "按姓名、邮箱或单位搜索", "Search by name, email or company";
    setup_title: "创建第一个管理员", "Create the first administrator";
    setup_intro: "请填写管理员账号。设置口令见服务器控制台输出。", "Choose the administrator's account. The setup token is printed in the server console.";
    setup_token: "设置口令", "Setup token";
    setup_done: "已有管理员，请直接登录。", "An administrator exists already: please sign in.";
    create_account: "创建账号", "Create account";
    events: "活动", "Events";
    roadshows: "路演", "Roadshows";
    members: "成员", "Members";
    outbox: "发件箱", "Outbox";
    follow_ups: "跟进邮件", "Follow-ups";
    campaigns: "群发", "Campaigns";
    leads: "线索", "Leads";
    capture: "现场采集线索", "Capture leads";
    invitation_only: "本场活动仅限受邀嘉宾：请使用邀请邮件中的专属链接报名。", "This event is by invitation only: register with the personal link in your invitation email.";
    invitation_invalid: "此邀请链接无效。", "This invitation link is not valid.";
    invitation_welcome: "欢迎！您已受邀出席本场活动。", "Welcome! You are invited to this event.";
    invitations: "邀请", "Invitations";
    invitations_hint: "每行一位嘉宾：邮箱、「姓名 <邮箱>」或 CSV（姓名,邮箱）。也可以上传 CSV 文件。每位新嘉宾会收到一封带专属报名链接的邀请邮件。", "One guest per line: an address, “Name <address>”, or CSV (name,email). Or upload a CSV file. Each new guest is emailed a personal registration link.";
    invite_list: "嘉宾名单", "Guests to invite";
    upload_csv: "上传 CSV", "Upload CSV";
    send_invitations: "发送邀请", "Send invitations";
    invited_count: "已邀请", "Invited";
    already_invited: "此前已邀请", "already invited before";
    registered: "已报名", "Registered";
    not_yet: "未报名", "Not yet";
    custom_questions: "报名表自定义问题", "Registration questions";
    custom_questions_hint: "这些问题会出现在本场活动的报名表上，答案随报名名单导出。", "These questions appear on this event's registration form; the answers are in the registration list and its CSV.";
    no_questions: "还没有自定义问题。", "No questions yet.";
    add_question: "添加问题", "Add question";
    question_kind: "题型", "Type";
    q_short_text: "单行文本", "Short text";
    q_long_text: "多行文本", "Long text";
    q_single_choice: "单选", "Single choice";
    q_multiple_choice: "多选", "Multiple choice";
    q_checkbox: "勾选框", "Checkbox";
    label_zh: "问题（中文）", "Question (Chinese)";
    label_en: "问题（英文）", "Question (English)";
    question_options: "选项", "Choices";
    question_options_hint: "单选或多选题：每行一个选项。", "For single or multiple choice: one choice per line.";
    required_question: "必答", "Required";
    no_answer: "不回答", "No answer";
    delete: "删除", "Delete";
    registration_updated_emailed: "您的报名信息已更新。为保护隐私，报名管理链接已发送到您的邮箱。", "Your registration is updated. To keep it private, the link to manage it has been emailed to you.";
    registration_changed: "已保存修改，更新后的确认邮件和日历邀请已发出。", "Changes saved; an updated confirmation and calendar invitation are on their way.";
    change_registration: "修改报名信息", "Change my details";
    save_changes: "保存修改", "Save changes";
    check_in_code_hint: "入场时出示此二维码，或报出签到码。", "Show this QR code at the door, or say the code.";
    check_in_code_label: "签到二维码，签到码", "Check-in QR code, code";
    scan_or_type: "扫码或输入签到码", "Scan or type the check-in code";
    scan_camera: "用摄像头扫码", "Scan with camera";
    scan_unsupported: "此浏览器不支持摄像头扫码：请输入签到码或搜索嘉宾。", "This browser cannot scan with the camera: type the code or search for the guest.";
    walk_in: "现场登记（未报名嘉宾）", "Walk-in (guest without registration)";
    walk_in_consent: "嘉宾已同意数据使用条款", "The guest agrees to the use of their data";
    walk_in_button: "登记并签到", "Register and check in";
    outbox_hint: "系统发出的每一封邮件及其投递状态。未配置 SMTP 时，邮件保存在本地文件夹，并在此显示。", "Every email the product sends, with its delivery status. With no SMTP server configured, messages are saved to a local folder and shown here.";
    outbox_empty: "还没有邮件。", "No emails yet.";
    mail_queued: "排队中", "Queued";
    mail_sending: "发送中", "Sending";
    mail_sent: "已发送", "Sent";
    mail_retrying: "重试中", "Retrying";
    mail_failed: "失败", "Failed";
    to: "收件人", "To";
    subject: "主题", "Subject";
    queued_at: "创建时间", "Queued at";
    attempts: "尝试次数", "attempts";
    last_error: "最近错误", "Last error";
    text_part: "纯文本", "Plain text";
    calendar_part: "日历邀请", "Calendar invitation";
    new_event: "新建活动", "New event";
    new_roadshow: "新建路演", "New roadshow";
    edit_event: "编辑活动", "Edit event";
    clone_event: "复制为新一站", "Clone as a new stop";
    save: "保存", "Save";
    saved: "已保存", "Saved";
    publish: "发布", "Publish";
    cancel_event: "取消活动", "Cancel event";
    search: "搜索", "Search";
    filter: "筛选", "Filter";
    all: "全部", "All";
    roadshow: "路演", "Roadshow";
    standalone: "独立活动", "Standalone event";
    region: "地区", "Region";
    status: "状态", "Status";
    month: "月份", "Month";
    no_events: "没有符合条件的活动。", "No events match.";
    title_zh: "中文标题", "Title (Chinese)";
    title_en: "英文标题", "Title (English)";
    description_zh: "中文介绍（Markdown）", "Description in Chinese (Markdown)";
    description_en: "英文介绍（Markdown）", "Description in English (Markdown)";
    slug: "网址标识", "URL slug";
    slug_hint: "留空则自动生成，例如 2023-frankfurt-equipment", "Leave empty to generate one, e.g. 2023-frankfurt-equipment";
    city: "城市", "City";
    country: "国家/地区", "Country or region";
    venue_name: "场地", "Venue";
    venue_address: "地址", "Address";
    time_zone: "场地时区", "Venue time zone";
    starts: "开始（场地时间）", "Starts (venue time)";
    ends: "结束（场地时间）", "Ends (venue time)";
    capacity: "容量", "Capacity";
    event_cost: "费用（万元，可选）", "Cost (万元 = CNY 10,000, optional)";
    event_cost_hint: "用于计算每万元费用的签约额和到位资金", "Used for the 亿元 signed and in place per 万元 of cost";
    registration_opens: "报名开始（场地时间，可选）", "Registration opens (venue time, optional)";
    registration_closes: "报名截止（场地时间，可选）", "Registration closes (venue time, optional)";
    visibility: "可见性", "Visibility";
    visibility_public: "公开", "Public";
    visibility_invite_only: "仅限邀请", "Invite only";
    industry_chains: "产业链", "Industry chains";
    agenda: "议程", "Agenda";
    agenda_hint: "每行一项：时间 | 议题 | 嘉宾，例如 14:00 | 开幕致辞 | 市长", "One item per line: time | topic | speaker, e.g. 14:00 | Opening remarks | Mayor";
    status_draft: "草稿", "Draft";
    status_published: "已发布", "Published";
    status_cancelled: "已取消", "Cancelled";
    status_completed: "已结束", "Completed";
    venue_time: "场地时间", "Venue time";
    your_time: "您的时间", "Your time";
    seats: "席位", "seats";
    view_public_page: "查看公开页面", "View public page";
    upcoming_events: "近期活动", "Upcoming events";
    past_events: "往期活动", "Past events";
    no_upcoming: "暂无即将举行的活动。", "No upcoming events.";
    event_cancelled_banner: "本场活动已取消。", "This event has been cancelled.";
    event_completed_banner: "本场活动已结束。", "This event has ended.";
    not_found: "页面不存在", "Page not found";
    back_home: "返回首页", "Back to the home page";
    name_label: "名称", "Name";
    year: "年份", "Year";
    description: "介绍（Markdown）", "Description (Markdown)";
    targets: "年度目标", "Targets";
    target_events: "活动场次", "Events";
    target_leads: "线索", "Leads";
    target_projects: "签约项目", "Signed projects";
    target_amount: "签约金额（亿元）", "Signed amount (CNY 100 million, 亿元)";
    stops: "站点", "Stops";
    stops_by_region: "按地区的站点时间线", "Stops by region";
    no_roadshows: "还没有路演。", "No roadshows yet.";
    role: "角色", "Role";
    role_owner: "所有者", "Owner";
    role_organizer: "组织者", "Organizer";
    role_viewer: "只读", "Viewer";
    role_leader: "领导（只看数据）", "Leader (reads the figures)";
    add_member: "添加成员", "Add member";
    read_only_notice: "您是只读成员，不能修改数据。", "You are a viewer: you can read but not change anything.";
    form_has_errors: "请修正标出的字段。", "Please correct the marked fields.";
    signed_in_as: "当前用户", "Signed in as";
    when: "时间", "When";
    where_: "地点", "Where";
    map: "地图", "Map";
    of_target: "目标", "target";
    signed_amount: "签约金额", "Signed amount";
    total: "合计", "Total";
}

/// `剩余 12 个席位` / `12 seats left` / `1 seat left`.
pub fn seats_left(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Zh => format!("剩余 {} 个席位", format_number(n)),
        Lang::En if n == 1 => "1 seat left".to_string(),
        Lang::En => format!("{} seats left", format_number(n)),
    }
}

/// `候补第 3 位` / `3rd on the waitlist`.
pub fn waitlist_position(lang: Lang, n: u64) -> String {
    match lang {
        Lang::Zh => format!("候补第 {n} 位"),
        Lang::En => {
            let suffix = match (n % 10, n % 100) {
                (1, 11) | (2, 12) | (3, 13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix} on the waitlist")
        }
    }
}

/// Names of the weekdays, Monday first.
fn weekday(lang: Lang, day: Weekday) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

const EN_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A date as people write it: `2023年3月15日 周三` or `Wed 15 Mar 2023`.
pub fn format_date(lang: Lang, at: NaiveDateTime) -> String {
    let wd = weekday(lang, at.weekday());
    match lang {
        Lang::Zh => format!("{}年{}月{}日 {wd}", at.year(), at.month(), at.day()),
        Lang::En => format!("{wd} {} {} {}", at.day(), EN_MONTHS[at.month0() as usize], at.year()),
    }
}

pub fn format_time(at: NaiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// A span of time on one day or across days, in local time.
pub fn format_span(lang: Lang, start: NaiveDateTime, end: NaiveDateTime) -> String {
    if start.date() == end.date() {
        format!("{} {}–{}", format_date(lang, start), format_time(start), format_time(end))
    } else {
        format!("{} {} – {} {}", format_date(lang, start), format_time(start), format_date(lang, end), format_time(end))
    }
}

/// Month heading: `2023年3月` or `March 2023`.
pub fn format_month(lang: Lang, year: i32, month: u32) -> String {
    const LONG: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::Zh => format!("{year}年{month}月"),
        Lang::En => format!("{} {year}", LONG[(month.clamp(1, 12) - 1) as usize]),
    }
}

/// A whole number with thousands separators (both languages use commas).
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in yuan: `2,250.15 亿元` in Chinese, `CNY 225.02 bn` / `CNY 60.1 m` in English.
pub fn format_amount_cny(lang: Lang, yuan: i64) -> String {
    let yuan = yuan as f64;
    match lang {
        Lang::Zh if yuan.abs() >= 1e8 => format!("{} 亿元", group_decimal(yuan / 1e8)),
        Lang::Zh => format!("{} 万元", group_decimal(yuan / 1e4)),
        Lang::En if yuan.abs() >= 1e9 => format!("CNY {} bn", group_decimal(yuan / 1e9)),
        Lang::En => format!("CNY {} m", group_decimal(yuan / 1e6)),
    }
}

fn group_decimal(value: f64) -> String {
    let cents = (value * 100.0).round() as i64;
    let whole = format_number(cents / 100);
    match (cents % 100).abs() {
        0 => whole,
        frac if frac % 10 == 0 => format!("{whole}.{}", frac / 10),
        frac => format!("{whole}.{frac:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_language_travels_as_its_code() {
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
        assert_eq!(serde_json::from_str::<Lang>("\"zh\"").unwrap(), Lang::Zh);
        assert!(serde_json::from_str::<Lang>("\"Zh\"").is_err());
    }

    #[test]
    fn cookie_beats_accept_language() {
        assert_eq!(Lang::negotiate(Some("a=b; lang=en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::negotiate(Some("lang=zh"), Some("en-US")), Lang::Zh);
    }

    #[test]
    fn accept_language_weights_are_respected() {
        assert_eq!(Lang::negotiate(None, Some("fr;q=1, en;q=0.8, zh;q=0.5")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("en;q=0.4, zh-CN")), Lang::Zh);
        assert_eq!(Lang::negotiate(None, Some("de")), Lang::Zh);
        assert_eq!(Lang::negotiate(None, None), Lang::Zh);
    }

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let at = NaiveDate::from_ymd_opt(2023, 3, 15).unwrap().and_hms_opt(14, 5, 0).unwrap();
        assert_eq!(format_date(Lang::Zh, at), "2023年3月15日 周三");
        assert_eq!(format_date(Lang::En, at), "Wed 15 Mar 2023");
        let end = at + chrono::Duration::hours(2);
        assert_eq!(format_span(Lang::En, at, end), "Wed 15 Mar 2023 14:05–16:05");
    }

    #[test]
    fn amounts_use_each_languages_units() {
        assert_eq!(format_amount_cny(Lang::Zh, 225_015_000_000), "2,250.15 亿元");
        assert_eq!(format_amount_cny(Lang::En, 225_015_000_000), "CNY 225.02 bn");
        assert_eq!(format_amount_cny(Lang::En, 60_100_000), "CNY 60.1 m");
        assert_eq!(format_number(-1234567), "-1,234,567");
        assert_eq!(format_number(999), "999");
        assert_eq!(seats_left(Lang::En, 1), "1 seat left");
        assert_eq!(seats_left(Lang::En, 1200), "1,200 seats left");
        assert_eq!(seats_left(Lang::Zh, 3), "剩余 3 个席位");
        assert_eq!(waitlist_position(Lang::En, 1), "1st on the waitlist");
        assert_eq!(waitlist_position(Lang::En, 12), "12th on the waitlist");
        assert_eq!(waitlist_position(Lang::En, 23), "23rd on the waitlist");
        assert_eq!(waitlist_position(Lang::Zh, 2), "候补第 2 位");
    }

    #[test]
    fn pick_falls_back_to_the_other_language() {
        assert_eq!(Lang::En.pick("中文", ""), "中文");
        assert_eq!(Lang::En.pick("中文", "English"), "English");
    }
}
