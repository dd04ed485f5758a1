//! The door's words, in both languages.

use crate::i18n::texts_of;

texts_of! {
    pub struct DoorTexts, fn texts;
    prepare_hint: "为本机准备离线签到：下载本场嘉宾的姓名、单位和签到码（不含其他信息），断网时仍可签到、现场登记和录入线索。", "Prepare this phone for the door without a network: it downloads each guest's name, company and check-in code (nothing more), so check-in, walk-ins and lead capture keep working when the venue's network drops.";
    prepare: "准备离线使用", "Prepare for offline";
    preparing: "正在下载…", "Downloading…";
    refresh: "更新名单", "Refresh the list";
    forget: "从本机删除", "Remove from this phone";
    online: "在线", "Online";
    live: "实时同步", "live";
    offline: "离线：操作保存在本机，联网后自动上传", "Offline: actions are kept on this phone and upload when the network is back";
    guests_held: "本机保存嘉宾 {n} 位", "{n} guests held on this phone";
    refreshed_at: "更新于 {t}", "refreshed {t}";
    waiting: "待上传 {n} 项", "{n} waiting for upload";
    all_uploaded: "全部已上传", "everything uploaded";
    uploading: "正在上传 {done}/{total}…", "Uploading {done} of {total}…";
    search: "按姓名、单位或签到码查找", "Find by name, company or code";
    pending: "待上传", "waiting for upload";
    checked_in: "已签到", "Checked in";
    already: "此前已签到", "already checked in";
    not_confirmed: "报名未确认（候补或已取消）：未签到", "not confirmed (waitlisted or cancelled): not checked in";
    not_in_list: "本机名单中没有此签到码：联网后由服务器核对", "is not in this phone's list: the server checks it when the network is back";
    walk_in_seated: "现场登记：已入座并签到", "walk-in: seated and checked in";
    walk_in_waitlisted: "现场登记：已满员，列入候补", "walk-in: full, on the waitlist";
    lead_kept: "线索已保存在本机，联网后上传", "lead kept on this phone; it uploads when the network is back";
    waitlisted_after_all: "现场登记：最后一个座位已被另一台设备占用，已列入候补（第 {n} 位）", "walk-in: another phone took the last seat, so they are on the waitlist (number {n})";
    unknown_code: "服务器上没有此签到码", "no guest has this code on the server";
    checked_in_there: "已由服务器核对并签到", "checked in by the server";
    refused: "被拒绝", "refused";
    storage_full: "本机存储已满：请删除其他活动的离线名单", "This phone's storage is full: remove another event's door first";
    sign_in_again: "请重新登录后上传", "Sign in again to upload";
    more: "另有 {n} 位，请输入更多字词查找", "{n} more: type more to narrow";
    lose_waiting: "本机还有 {n} 项现场操作尚未上传，继续将丢失这些操作。仍要继续吗？", "Actions taken at the door and not uploaded yet: {n}. They will be lost. Go on anyway?";
}
