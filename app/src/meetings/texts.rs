//! The meetings' words, in both languages.

use crate::i18n::{Lang, texts_of};

texts_of! {
    pub struct MeetingTexts, fn texts;
    meetings: "一对一洽谈", "One-to-one meetings";
    programme: "洽谈安排", "Programme";
    enabled: "开放洽谈（嘉宾可查看对接方并提出请求）", "Open (guests see the hosts and may ask for meetings)";
    first_slot_at: "第一个时段开始（场地当地时间）", "First slot starts (venue time)";
    slot_minutes: "每个时段（分钟）", "Minutes per slot";
    slot_count: "时段数量", "Number of slots";
    breaks: "休息时段（编号，逗号分隔）", "Break slots (numbers, separated by commas)";
    request_hours: "请求有效期（小时）", "Requests expire after (hours)";
    max_open_requests: "每人最多待回复请求", "Open requests per person at most";
    reminder_minutes: "会前提醒（分钟）", "Reminder before (minutes)";
    save: "保存", "Save";
    tables: "洽谈桌", "Tables";
    table_names: "桌名（每行一个）", "Table names (one per line)";
    room: "房间（可选）", "Room (optional)";
    add_tables: "添加洽谈桌", "Add tables";
    remove: "删除", "Remove";
    hosts: "对接方", "Hosts";
    add_host: "添加对接方", "Add a host";
    host_name: "姓名", "Name";
    host_organization: "单位", "Organization";
    host_unit: "部门/县市区（可选）", "Unit (optional)";
    offer: "合作方向与需求", "What they offer or look for";
    host_email: "邮箱（可选）", "Email (optional)";
    guests_open: "开放洽谈的嘉宾", "Guests open to meetings";
    no_guests: "暂无嘉宾开放洽谈。", "No guest has agreed to be met yet.";
    ask: "发起洽谈", "Ask for a meeting";
    as_host: "以对接方身份", "As host";
    message: "留言（可选）", "Message (optional)";
    requests: "洽谈请求与会谈", "Requests and meetings";
    none_yet: "暂无。", "None yet.";
    accept: "接受", "Accept";
    decline: "谢绝", "Decline";
    cancel: "取消", "Cancel";
    withdraw: "撤回", "Withdraw";
    first_free: "最早的共同空闲时段", "First slot free for both";
    any_table: "任一空桌", "Any free table";
    slot: "时段", "Slot";
    table: "洽谈桌", "Table";
    grid: "时段表", "Grid";
    break_label: "休息", "Break";
    requested: "请求", "Requested";
    accepted: "已确认", "Accepted";
    held: "已会谈", "Held";
    missed: "未到场", "Missed";
    held_rate: "会谈率", "Held rate";
    from_guest: "嘉宾发起", "Asked by the guest";
    from_host: "对接方发起", "Asked by the host";
    expires: "有效期至", "Expires";
    meet_title: "一对一洽谈", "Meet one to one";
    meet_intro: "在活动现场与区县、园区和企业代表进行 20 分钟左右的一对一洽谈。", "Meet the counties, parks and companies one to one at the event.";
    meet_off: "本场活动暂未开放洽谈。", "This event has no meetings open yet.";
    meet_not_confirmed: "报名确认后即可预约洽谈。", "Meetings open to confirmed guests.";
    opt_in: "允许对接方邀请我洽谈", "Let the hosts invite me to meet";
    opt_in_offer: "我希望洽谈的内容（可选）", "What I would like to discuss (optional)";
    opted_in: "对接方可以看到您的资料并邀请您洽谈。", "The hosts can see your profile and invite you.";
    stop_opt_in: "不再接受邀请", "Stop invitations";
    asked: "请求已发出，对方回复后我们会通知您。", "Request sent: you will hear when they answer.";
    your_meetings: "我的洽谈", "Your meetings";
    who_to_meet: "可预约的对接方", "Who you can meet";
    venue_time: "当地时间", "venue time";
    at_the_table: "洽谈桌签到", "At the table";
    guest_code: "嘉宾签到码", "Guest's check-in code";
    mark_held: "已会谈", "Held";
    mark_missed: "未到场", "Missed";
    move_to: "改期", "Move";
    auto_schedule: "自动排期", "Auto-schedule";
    auto_schedule_hint: "根据待回复的请求（“必须会谈”优先）在空闲时段和洽谈桌中排出会谈，先作为草案显示在时段表中，确认后发布。", "Places the pending requests (must-meet first) in free slots and tables; the grid shows the proposal until you publish it.";
    propose: "生成排期草案", "Propose a schedule";
    publish: "发布排期", "Publish";
    published: "已发布", "Published";
    refused: "未能发布", "Refused";
    proposed: "草案", "proposed";
    must_meet: "必须会谈", "Must meet";
    must_placed: "必须会谈已排", "Must-meet placed";
    like_placed: "希望会谈已排", "Would-like placed";
    why_no_common_slot: "双方没有共同空闲时段", "never free at the same time";
    why_taken: "共同空闲时段已被双方其他会谈占用", "their common free slots went to their other meetings";
    why_no_table: "共同空闲时段洽谈桌已满", "no table left in their common free slots";
    host_page: "我的洽谈日程", "Your meetings";
    host_page_hint: "请保存本页链接：您可以在此接受嘉宾的洽谈请求、邀请嘉宾，并在洽谈桌输入嘉宾签到码记录会谈。", "Keep this page's link: here you answer guests' requests, invite guests, and at the table type a guest's code to record the meeting.";
    host_scan_hint: "嘉宾到桌后，扫描其签到二维码或输入签到码。", "When the guest sits down, scan their check-in QR code or type the code.";
    meeting_held: "已记录会谈。", "Meeting recorded as held.";
    to_answer: "待您回复的请求", "Requests to answer";
    your_requests: "您发出的请求", "Your requests";
    schedule: "日程", "Schedule";
    own_zone: "我所在的时区（可选）", "My time zone (optional)";
    own_zone_hint: "填写后，每场洽谈同时显示您所在地的时间。", "Each meeting then shows your own time too.";
    host_link: "对接方专属页面", "Host's own page";
    new_link: "更换链接", "New link";
    print: "按洽谈桌打印（A4）", "Print per table (A4)";
    printed_at: "打印时间", "Printed";
    free: "空闲", "Free";
    guest: "嘉宾", "Guest";
    host: "对接方", "Host";
    adjust: "调整", "Adjust";
    drop_proposal: "移出草案", "Take out";
}

/// The words in `lang`.
pub fn of(lang: Lang) -> &'static MeetingTexts {
    texts(lang)
}
