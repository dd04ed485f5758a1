//! CSV import of leads. The browser splits the file into records, matches its columns to
//! lead fields (headers in Chinese or English), checks every row with the same code the
//! server runs, and sends the rows in chunks; the server checks them again and upserts
//! each lead by email, as a capture at the door does.

use serde::{Deserialize, Serialize};

use super::{LeadForm, PromotionMethod, ValidLead};
pub use crate::csv::Record;
use crate::domain::IndustryChain;
use crate::error::{FieldErrors, Reason};
use crate::i18n::{Lang, texts_of};

/// At most this many rows in one import request.
pub const CHUNK_ROWS: usize = 500;
/// A chunk is cut earlier when its cells reach this many bytes (requests stay small).
pub const CHUNK_BYTES: usize = 512 * 1024;
/// At most this many columns in a file.
pub const MAX_COLUMNS: usize = 100;

/// The lead field a column of the file fills.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    #[default]
    Ignore,
    Name,
    GivenName,
    FamilyName,
    Email,
    Phone,
    JobTitle,
    Language,
    Company,
    Country,
    Sector,
    Top500,
    IndustryChains,
    PromotionMethod,
    HometownReturn,
    Tags,
    Notes,
}

texts_of! {
    /// The name of each `Column`, in both languages.
    impl Column, fn label;
    Ignore: "（不导入）", "(skip)";
    Name: "姓名", "Name";
    GivenName: "名", "Given name";
    FamilyName: "姓", "Family name";
    Email: "邮箱", "Email";
    Phone: "电话", "Phone";
    JobTitle: "职务", "Job title";
    Language: "邮件语言", "Email language";
    Company: "公司", "Company";
    Country: "国家/地区", "Country";
    Sector: "行业", "Sector";
    Top500: "三类500强", "Top 500";
    IndustryChains: "产业链", "Industry chains";
    PromotionMethod: "招商方式", "Promotion method";
    HometownReturn: "湘商回归", "Hometown return";
    Tags: "标签", "Tags";
    Notes: "备注", "Notes";
}

impl Column {
    pub const ALL: [Column; 17] = [
        Self::Ignore,
        Self::Name,
        Self::GivenName,
        Self::FamilyName,
        Self::Email,
        Self::Phone,
        Self::JobTitle,
        Self::Language,
        Self::Company,
        Self::Country,
        Self::Sector,
        Self::Top500,
        Self::IndustryChains,
        Self::PromotionMethod,
        Self::HometownReturn,
        Self::Tags,
        Self::Notes,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Ignore => "ignore",
            Self::Name => "name",
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::JobTitle => "job_title",
            Self::Language => "language",
            Self::Company => "company",
            Self::Country => "country",
            Self::Sector => "sector",
            Self::Top500 => "top500",
            Self::IndustryChains => "industry_chains",
            Self::PromotionMethod => "promotion_method",
            Self::HometownReturn => "hometown_return",
            Self::Tags => "tags",
            Self::Notes => "notes",
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The lead form's field this column's errors are reported on.
    pub fn field(self) -> &'static str {
        match self {
            Self::GivenName | Self::FamilyName => "name",
            other => other.key(),
        }
    }

    /// The field a column header names, in Chinese or English (case, spaces and
    /// punctuation aside); unknown headers are skipped.
    pub fn guess(header: &str) -> Column {
        let key: String = header.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
        let synonyms: [(Column, &[&str]); 16] = [
            (
                Self::Name,
                &[
                    "name",
                    "fullname",
                    "contactname",
                    "contact",
                    "guest",
                    "guestname",
                    "姓名",
                    "名字",
                    "联系人",
                    "嘉宾",
                    "嘉宾姓名",
                    "客户姓名",
                ],
            ),
            (Self::GivenName, &["firstname", "givenname", "forename", "名"]),
            (Self::FamilyName, &["lastname", "surname", "familyname", "姓"]),
            (
                Self::Email,
                &["email", "emailaddress", "mail", "邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "email邮箱"],
            ),
            (
                Self::Phone,
                &[
                    "phone",
                    "mobile",
                    "tel",
                    "telephone",
                    "phonenumber",
                    "mobilephone",
                    "cell",
                    "电话",
                    "手机",
                    "手机号",
                    "手机号码",
                    "联系电话",
                    "电话号码",
                    "联系方式",
                ],
            ),
            (Self::JobTitle, &["title", "jobtitle", "position", "role", "职务", "职位", "头衔"]),
            (Self::Language, &["language", "lang", "preferredlanguage", "语言", "邮件语言"]),
            (
                Self::Company,
                &[
                    "company",
                    "organization",
                    "organisation",
                    "companyname",
                    "employer",
                    "firm",
                    "公司",
                    "单位",
                    "企业",
                    "公司名称",
                    "企业名称",
                    "工作单位",
                ],
            ),
            (Self::Country, &["country", "countrycode", "国家", "国家地区", "国别"]),
            (Self::Sector, &["sector", "industry", "行业", "所属行业"]),
            (Self::Top500, &["top500", "fortune500", "500强", "三类500强", "世界500强"]),
            (
                Self::IndustryChains,
                &["industrychain", "industrychains", "chains", "产业链", "感兴趣的产业链", "意向产业链"],
            ),
            (Self::PromotionMethod, &["promotionmethod", "promotion", "招商方式"]),
            (Self::HometownReturn, &["hometownreturn", "hometown", "湘商回归"]),
            (Self::Tags, &["tags", "tag", "labels", "标签"]),
            (Self::Notes, &["notes", "note", "remarks", "remark", "comment", "comments", "备注", "说明"]),
        ];
        synonyms.iter().find(|(_, names)| names.contains(&key.as_str())).map_or(Self::Ignore, |(c, _)| *c)
    }

    /// Guesses every header; a field named twice is filled from its first column only.
    pub fn guess_all(headers: &[String]) -> Vec<Column> {
        let mut columns: Vec<Column> = Vec::with_capacity(headers.len());
        for header in headers {
            let column = Self::guess(header);
            columns.push(if column != Self::Ignore && columns.contains(&column) { Self::Ignore } else { column });
        }
        columns
    }
}

/// What is wrong with a column mapping as a whole, if anything: a name must come from
/// somewhere, and no field from two columns.
pub fn check_columns(columns: &[Column]) -> Result<(), FieldErrors> {
    if columns.len() > MAX_COLUMNS {
        return Err(FieldErrors::single("columns", Reason::OutOfRange { min: 1, max: MAX_COLUMNS as i64 }));
    }
    let mapped: Vec<Column> = columns.iter().copied().filter(|c| *c != Column::Ignore).collect();
    if mapped.iter().enumerate().any(|(i, c)| mapped[..i].contains(c)) {
        return Err(FieldErrors::single("columns", Reason::ColumnTwice));
    }
    let has_name = mapped.iter().any(|c| matches!(c, Column::Name | Column::GivenName | Column::FamilyName));
    if !has_name {
        return Err(FieldErrors::single("columns", Reason::NameColumnMissing));
    }
    Ok(())
}

const COUNTRIES: [(&str, &[&str]); 52] = [
    ("CN", &["china", "prchina", "peoplesrepublicofchina", "中国", "中华人民共和国", "中国大陆"]),
    ("HK", &["hongkong", "香港", "中国香港"]),
    ("MO", &["macao", "macau", "澳门", "中国澳门"]),
    ("TW", &["taiwan", "台湾", "中国台湾"]),
    ("DE", &["germany", "deutschland", "德国"]),
    ("FR", &["france", "法国"]),
    ("GB", &["unitedkingdom", "uk", "greatbritain", "britain", "england", "scotland", "wales", "英国"]),
    ("IT", &["italy", "italia", "意大利"]),
    ("ES", &["spain", "españa", "espana", "西班牙"]),
    ("PT", &["portugal", "葡萄牙"]),
    ("NL", &["netherlands", "thenetherlands", "holland", "荷兰"]),
    ("BE", &["belgium", "比利时"]),
    ("LU", &["luxembourg", "卢森堡"]),
    ("CH", &["switzerland", "瑞士"]),
    ("AT", &["austria", "奥地利"]),
    ("PL", &["poland", "波兰"]),
    ("CZ", &["czechia", "czechrepublic", "捷克"]),
    ("HU", &["hungary", "匈牙利"]),
    ("RS", &["serbia", "塞尔维亚"]),
    ("GR", &["greece", "希腊"]),
    ("SE", &["sweden", "瑞典"]),
    ("DK", &["denmark", "丹麦"]),
    ("FI", &["finland", "芬兰"]),
    ("NO", &["norway", "挪威"]),
    ("IE", &["ireland", "爱尔兰"]),
    ("RU", &["russia", "russianfederation", "俄罗斯"]),
    ("TR", &["turkey", "türkiye", "turkiye", "土耳其"]),
    ("ZA", &["southafrica", "南非"]),
    ("EG", &["egypt", "埃及"]),
    ("NG", &["nigeria", "尼日利亚"]),
    ("KE", &["kenya", "肯尼亚"]),
    ("ET", &["ethiopia", "埃塞俄比亚"]),
    ("MA", &["morocco", "摩洛哥"]),
    ("DZ", &["algeria", "阿尔及利亚"]),
    ("TZ", &["tanzania", "坦桑尼亚"]),
    ("GH", &["ghana", "加纳"]),
    ("AO", &["angola", "安哥拉"]),
    ("ZM", &["zambia", "赞比亚"]),
    ("US", &["unitedstates", "unitedstatesofamerica", "usa", "america", "美国"]),
    ("CA", &["canada", "加拿大"]),
    ("JP", &["japan", "日本"]),
    ("KR", &["southkorea", "korea", "republicofkorea", "韩国"]),
    ("SG", &["singapore", "新加坡"]),
    ("MY", &["malaysia", "马来西亚"]),
    ("TH", &["thailand", "泰国"]),
    ("VN", &["vietnam", "越南"]),
    ("ID", &["indonesia", "印度尼西亚", "印尼"]),
    ("IN", &["india", "印度"]),
    ("AE", &["unitedarabemirates", "uae", "阿联酋", "阿拉伯联合酋长国"]),
    ("SA", &["saudiarabia", "沙特", "沙特阿拉伯"]),
    ("AU", &["australia", "澳大利亚"]),
    ("BR", &["brazil", "巴西"]),
];

/// A country as spreadsheets write it: a two-letter code, or a common name in English or
/// Chinese. Anything else is kept as typed for the lead's own check to refuse.
fn country_code(value: &str) -> String {
    let key: String = value.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    COUNTRIES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map_or_else(|| value.trim().to_string(), |(code, _)| code.to_string())
}

/// A yes/no cell: `on` or empty, as a ticked checkbox posts it.
fn flag(value: &str) -> Result<String, Reason> {
    match value.trim().to_lowercase().as_str() {
        "1" | "on" | "true" | "yes" | "y" | "x" | "✓" | "√" | "是" | "有" => Ok("on".into()),
        "" | "0" | "off" | "false" | "no" | "n" | "-" | "否" | "无" | "不是" => Ok(String::new()),
        _ => Err(Reason::UnknownChoice),
    }
}

/// Industry chains as listed in a cell, by slug or by name in either language.
fn chains(value: &str) -> Result<Vec<IndustryChain>, Reason> {
    let mut chains = Vec::new();
    for part in value.split([',', '，', '、', ';', '；', '/', '|']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let lower = part.to_lowercase();
        let chain = IndustryChain::ALL
            .into_iter()
            .find(|c| {
                c.slug() == lower
                    || c.label(Lang::Zh) == part
                    || c.label(Lang::En).to_lowercase() == lower
                    || c.slug().replace('-', " ") == lower
            })
            .ok_or(Reason::UnknownChoice)?;
        if !chains.contains(&chain) {
            chains.push(chain);
        }
    }
    Ok(chains)
}

fn promotion_method(value: &str) -> Result<String, Reason> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let lower = value.to_lowercase();
    PromotionMethod::ALL
        .into_iter()
        .find(|m| {
            m.as_str() == lower
                || m.label(Lang::Zh) == value
                || m.label(Lang::En).to_lowercase() == lower
                || m.as_str().replace('_', " ") == lower
        })
        .map(|m| m.as_str().to_string())
        .ok_or(Reason::UnknownChoice)
}

fn language(value: &str) -> String {
    match value.trim().to_lowercase().as_str() {
        "中文" | "汉语" | "chinese" | "zh-cn" | "zh-hans" | "cn" => "zh".into(),
        "英文" | "英语" | "english" | "en-gb" | "en-us" => "en".into(),
        other => other.into(),
    }
}

/// A cell as our own export wrote it: a leading `'` that defused `=`, `+`, `-` or `@`
/// is taken off again (`'+49 …` is a phone number).
fn undefused(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => value,
    }
}

/// Whether a name is written in Chinese characters (family name first, no space).
fn is_cjk(value: &str) -> bool {
    value.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// One row of the file as a checked lead, or every field it got wrong.
pub fn check_row(columns: &[Column], cells: &[String]) -> Result<ValidLead, FieldErrors> {
    let mut form = LeadForm::default();
    let mut errors = FieldErrors::default();
    let (mut given, mut family) = ("", "");
    for (column, cell) in columns.iter().zip(cells) {
        let cell = undefused(cell.trim());
        match column {
            Column::Ignore => {}
            Column::Name => form.name = cell.into(),
            Column::GivenName => given = cell,
            Column::FamilyName => family = cell,
            Column::Email => form.email = cell.into(),
            Column::Phone => form.phone = cell.into(),
            Column::JobTitle => form.job_title = cell.into(),
            Column::Language => form.language = language(cell),
            Column::Company => form.company = cell.into(),
            Column::Country => form.country = country_code(cell),
            Column::Sector => form.sector = cell.into(),
            Column::Top500 => form.top500 = errors.check("top500", flag(cell)).unwrap_or_default(),
            Column::IndustryChains => {
                if let Some(chains) = errors.check("industry_chains", chains(cell)) {
                    form.industry_chains = chains.iter().map(|c| (c.slug().to_string(), "on".to_string())).collect();
                }
            }
            Column::PromotionMethod => {
                form.promotion_method = errors.check("promotion_method", promotion_method(cell)).unwrap_or_default()
            }
            Column::HometownReturn => {
                form.hometown_return = errors.check("hometown_return", flag(cell)).unwrap_or_default()
            }
            Column::Tags => form.tags = cell.into(),
            Column::Notes => form.notes = cell.into(),
        }
    }
    if form.name.is_empty() {
        let joined = is_cjk(family) || is_cjk(given) || family.is_empty() || given.is_empty();
        form.name = if joined { format!("{family}{given}") } else { format!("{given} {family}") };
    }
    match form.parse() {
        Ok(lead) if errors.is_empty() => Ok(lead),
        Ok(_) => Err(errors),
        Err(more) => {
            for e in more.errors {
                if errors.get(&e.field).is_none() {
                    errors.add(&e.field, e.reason);
                }
            }
            Err(errors)
        }
    }
}

/// A chunk of the file's rows and how to read them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportBatch {
    pub columns: Vec<Column>,
    pub rows: Vec<Record>,
    /// The event the leads were met at, if any: each is tagged with it.
    pub event_id: Option<i32>,
    /// Tags added to every imported lead (say, the file's name).
    pub tags: String,
}

/// A row that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedRow {
    pub line: u32,
    pub errors: FieldErrors,
}

/// What a chunk did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// New leads.
    pub created: u32,
    /// Existing leads (same email) whose blanks were filled.
    pub updated: u32,
    pub rejected: Vec<RejectedRow>,
}

/// A batch after its checks.
#[derive(Debug)]
pub struct CheckedBatch {
    /// Added to every lead of the batch.
    pub tags: Vec<String>,
    /// The rows to import, by line.
    pub valid: Vec<(u32, ValidLead)>,
    pub rejected: Vec<RejectedRow>,
}

impl ImportBatch {
    /// The batch's own limits, then every row: the rows to import and the rows refused.
    pub fn check(&self) -> Result<CheckedBatch, FieldErrors> {
        check_columns(&self.columns)?;
        if self.rows.is_empty() || self.rows.len() > CHUNK_ROWS {
            return Err(FieldErrors::single("rows", Reason::OutOfRange { min: 1, max: CHUNK_ROWS as i64 }));
        }
        let tags = super::parse_tags(&self.tags).map_err(|r| FieldErrors::single("tags", r))?;
        let mut valid = Vec::with_capacity(self.rows.len());
        let mut rejected = Vec::new();
        for row in &self.rows {
            match check_row(&self.columns, &row.cells) {
                Ok(lead) => valid.push((row.line, lead)),
                Err(errors) => rejected.push(RejectedRow { line: row.line, errors }),
            }
        }
        Ok(CheckedBatch { tags, valid, rejected })
    }
}

/// The file's rows (header excluded) cut into requests of at most [`CHUNK_ROWS`] rows and
/// about [`CHUNK_BYTES`] bytes.
pub fn chunks(rows: &[Record]) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, row) in rows.iter().enumerate() {
        let size: usize = row.cells.iter().map(|c| c.len() + 8).sum();
        if i > start && (i - start == CHUNK_ROWS || bytes + size > CHUNK_BYTES) {
            chunks.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < rows.len() {
        chunks.push(start..rows.len());
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_in_both_languages() {
        let headers: Vec<String> =
            ["姓名", "E-mail", "手机号码", "Company Name", "国家/地区", "Tags", "备注", "Email 2", "id", "Mail"]
                .map(String::from)
                .into();
        use Column::*;
        assert_eq!(
            Column::guess_all(&headers),
            [Name, Email, Phone, Company, Country, Tags, Notes, Ignore, Ignore, Ignore],
            "a second email column is skipped, unknown headers too"
        );
        assert_eq!(check_columns(&[Email, Company]).unwrap_err().get("columns"), Some(&Reason::NameColumnMissing));
        assert_eq!(check_columns(&[Name, Email, Email]).unwrap_err().get("columns"), Some(&Reason::ColumnTwice));
        assert!(check_columns(&[GivenName, FamilyName, Ignore, Ignore]).is_ok());
    }

    #[test]
    fn rows_become_leads_with_every_error_named() {
        use Column::*;
        let columns = [GivenName, FamilyName, Email, Phone, Country, Top500, IndustryChains, PromotionMethod, Language];
        let row = |values: [&str; 9]| values.map(String::from).to_vec();
        let lead = check_row(
            &columns,
            &row([
                "Hans",
                "Müller",
                "H.Mueller@Example.DE",
                "'+49 30 1234567",
                "Germany",
                "是",
                "先进材料、green food",
                "资本招商",
                "English",
            ]),
        )
        .unwrap();
        assert_eq!(lead.name, "Hans Müller");
        assert_eq!(lead.email.unwrap().as_str(), "h.mueller@example.de");
        assert_eq!(lead.phone.as_str(), "+49 30 1234567", "the export's defusing quote is taken off");
        assert_eq!(lead.country.as_ref().map(|c| c.as_str()), Some("DE"));
        assert!(lead.top500);
        assert_eq!(lead.industry_chains, [IndustryChain::AdvancedMaterials, IndustryChain::GreenFood]);
        assert_eq!(lead.promotion_method, Some(super::PromotionMethod::Capital));
        assert_eq!(lead.language, Lang::En);

        let chinese = check_row(&columns, &row(["伟", "张", "", "", "中国", "", "", "", ""])).unwrap();
        assert_eq!((chinese.name.as_str(), chinese.country.as_ref().map_or("", |c| c.as_str())), ("张伟", "CN"));

        let errors = check_row(
            &columns,
            &row(["", "", "not-an-email", "call me", "Atlantis", "maybe", "steel", "cold calls", "fr"]),
        )
        .unwrap_err();
        let mut fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        fields.sort();
        assert_eq!(
            fields,
            ["country", "email", "industry_chains", "language", "name", "phone", "promotion_method", "top500"]
        );
    }

    #[test]
    fn chunks_hold_500_rows_or_half_a_megabyte() {
        let small: Vec<Record> = (0..1_201).map(|i| Record { line: i + 2, cells: vec!["x".into()] }).collect();
        assert_eq!(chunks(&small), [0..500, 500..1000, 1000..1201]);
        let big: Vec<Record> = (0..10).map(|i| Record { line: i + 2, cells: vec!["x".repeat(200_000)] }).collect();
        assert_eq!(chunks(&big), [0..2, 2..4, 4..6, 6..8, 8..10]);
        assert!(chunks(&[]).is_empty());
    }

    #[test]
    fn a_batch_refuses_rows_one_by_one_and_itself_as_a_whole() {
        let batch = ImportBatch {
            columns: vec![Column::Name, Column::Email],
            rows: vec![
                Record { line: 2, cells: vec!["Li Lei".into(), "li@example.cn".into()] },
                Record { line: 3, cells: vec!["".into(), "nobody@example.cn".into()] },
            ],
            event_id: None,
            tags: "import-2027".into(),
        };
        let CheckedBatch { tags, valid, rejected } = batch.check().unwrap();
        assert_eq!(tags, ["import-2027"]);
        assert_eq!(valid.len(), 1);
        assert_eq!(rejected[0].line, 3);
        assert_eq!(rejected[0].errors.get("name"), Some(&Reason::Required));

        let too_many = ImportBatch { rows: vec![batch.rows[0].clone(); CHUNK_ROWS + 1], ..batch.clone() };
        assert_eq!(too_many.check().unwrap_err().errors[0].field, "rows");
    }
}
