//! What the 2023 demo roadshow produced, generated from a fixed seed so that every first
//! start loads the same data, and so that the totals are exactly the source article's
//! (Jan–Aug 2023): 653 newly signed projects worth 2,250.15 亿元, 12 of at least 50 亿元
//! (2 of at least 100), 27 with "three kinds of Top 500" companies, 1,002.07 亿元 in place,
//! 213 hometown-return (湘商回归) projects with 491.4 亿元 in place, 69 of them newly
//! registered companies with 60.12 亿元. Amounts are drawn, then apportioned to the exact
//! totals by the largest-remainder rule, never above what a project signed for.
//!
//! Around them: Yueyang's counties, districts and parks (two townships under their
//! counties), their 2023 targets, the guests and leads of the 43 stops, each unit's
//! outbound trips, what each stop cost, and an upcoming roadshow whose stops take
//! registrations (dates relative to today).

use chrono::{DateTime, Datelike as _, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use crate::domain::{ConsentSource, MetSource, PromotionMethod, RegistrationStatus, Stage, UnitKind};
use crate::entities::{event, funding_tranche, lead, lead_event, project, registration, trip, unit, unit_target};
use crate::error::AppError;
use crate::events::IndustryChain;
use crate::i18n::Lang;

/// The seed every demo is drawn from.
pub const SEED: u64 = 0x2023_0831;

/// The article's figures, in 0.01 亿元 (one million yuan) where they are money.
pub const PROJECTS: usize = 653;
pub const SIGNED_CENTS: i64 = 225_015;
pub const BIG50: usize = 12;
pub const BIG100: usize = 2;
pub const TOP500: usize = 27;
pub const FUNDS_CENTS: i64 = 100_207;
pub const HOMETOWN: usize = 213;
pub const HOMETOWN_FUNDS_CENTS: i64 = 49_140;
pub const NEW_COMPANIES: usize = 69;
pub const NEW_COMPANY_FUNDS_CENTS: i64 = 6_012;
const CENT: i64 = 1_000_000;

/// splitmix64: small, fast and the same on every platform and version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `total` shared in proportion to `weights`, each share at most its `cap`: shares that would
/// pass their cap are fixed at it and the rest shared again among the others; whole units,
/// the leftover to the largest remainders. `None` when the caps cannot hold `total`.
pub fn apportion(total: i64, weights: &[i64], caps: &[i64]) -> Option<Vec<i64>> {
    let n = weights.len();
    if caps.iter().sum::<i64>() < total || (n == 0 && total > 0) {
        return None;
    }
    let mut shares = vec![0i64; n];
    let mut fixed = vec![false; n];
    loop {
        let left = total - (0..n).filter(|i| fixed[*i]).map(|i| shares[i]).sum::<i64>();
        let free: Vec<usize> = (0..n).filter(|i| !fixed[*i] && weights[*i] > 0).collect();
        let weight: i128 = free.iter().map(|i| i128::from(weights[*i])).sum();
        if free.is_empty() || weight == 0 {
            return (left == 0).then_some(shares);
        }
        let mut over = false;
        let mut remainders = Vec::with_capacity(free.len());
        for &i in &free {
            let exact = i128::from(left) * i128::from(weights[i]);
            shares[i] = (exact / weight) as i64;
            remainders.push((exact % weight, i));
            if shares[i] > caps[i] {
                shares[i] = caps[i];
                fixed[i] = true;
                over = true;
            }
        }
        if over {
            continue;
        }
        let mut rest = left - free.iter().map(|i| shares[*i]).sum::<i64>();
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in remainders.iter().cycle() {
            if rest == 0 {
                break;
            }
            if shares[*i] < caps[*i] {
                shares[*i] += 1;
                rest -= 1;
            }
        }
        return Some(shares);
    }
}

struct DemoUnit {
    zh: &'static str,
    en: &'static str,
    kind: UnitKind,
    /// Index of the county it belongs to.
    parent: Option<usize>,
    /// Its share of the projects.
    weight: u64,
}

const UNITS: &[DemoUnit] = &[
    DemoUnit { zh: "岳阳楼区", en: "Yueyanglou District", kind: UnitKind::County, parent: None, weight: 8 },
    DemoUnit { zh: "云溪区", en: "Yunxi District", kind: UnitKind::County, parent: None, weight: 6 },
    DemoUnit { zh: "君山区", en: "Junshan District", kind: UnitKind::County, parent: None, weight: 5 },
    DemoUnit { zh: "岳阳县", en: "Yueyang County", kind: UnitKind::County, parent: None, weight: 7 },
    DemoUnit { zh: "华容县", en: "Huarong County", kind: UnitKind::County, parent: None, weight: 7 },
    DemoUnit { zh: "湘阴县", en: "Xiangyin County", kind: UnitKind::County, parent: None, weight: 8 },
    DemoUnit { zh: "平江县", en: "Pingjiang County", kind: UnitKind::County, parent: None, weight: 8 },
    DemoUnit { zh: "汨罗市", en: "Miluo City", kind: UnitKind::County, parent: None, weight: 10 },
    DemoUnit { zh: "临湘市", en: "Linxiang City", kind: UnitKind::County, parent: None, weight: 7 },
    DemoUnit {
        zh: "屈原管理区", en: "Quyuan Administrative Area", kind: UnitKind::County, parent: None, weight: 3
    },
    DemoUnit {
        zh: "岳阳经济技术开发区",
        en: "Yueyang Economic and Technological Development Zone",
        kind: UnitKind::Zone,
        parent: None,
        weight: 11,
    },
    DemoUnit {
        zh: "城陵矶新港区", en: "Chenglingji New Port Area", kind: UnitKind::Zone, parent: None, weight: 8
    },
    DemoUnit { zh: "南湖新区", en: "Nanhu New Area", kind: UnitKind::Zone, parent: None, weight: 5 },
    DemoUnit { zh: "新市镇", en: "Xinshi Town", kind: UnitKind::Township, parent: Some(7), weight: 2 },
    DemoUnit { zh: "长寿镇", en: "Changshou Town", kind: UnitKind::Township, parent: Some(6), weight: 2 },
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "罗",
    "彭",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
    "建华", "志平",
];
const WESTERN: &[&str] = &[
    "Anna Schmidt",
    "Lukas Weber",
    "Sophie Martin",
    "Marco Rossi",
    "Eva Novak",
    "Pieter de Vries",
    "James Carter",
    "Amina Okafor",
    "Thabo Nkosi",
    "Grace Wanjiru",
    "Youssef Benali",
    "Fatima El Idrissi",
    "Kofi Mensah",
    "Laura García",
];
const CITIES: &[&str] = &["深圳", "上海", "广州", "北京", "长沙", "岳阳", "香港", "苏州", "杭州", "武汉"];
const WORDS: &[&str] =
    &["华创", "联合", "远航", "博达", "中科", "新宇", "鼎盛", "恒泰", "金石", "瑞丰", "天成", "宏图"];
const FOREIGN_FIRMS: &[&str] = &[
    "Rheinland Maschinenbau GmbH",
    "Nordhafen Logistik AG",
    "Lumière Tourisme SAS",
    "Tessile Lombardo S.p.A.",
    "Danube Energy Kft.",
    "Maas Chemicals B.V.",
    "Thames Capital Partners",
    "Highveld Trading (Pty) Ltd",
    "Savanna Agro Logistics Ltd",
    "Nile Petrochem S.A.E.",
    "Atlas Green Logistics SARL",
    "Lagoon Power Ltd",
];
const TRIP_CITIES: &[&str] = &[
    "深圳 Shenzhen",
    "上海 Shanghai",
    "广州 Guangzhou",
    "北京 Beijing",
    "杭州 Hangzhou",
    "苏州 Suzhou",
    "东莞 Dongguan",
    "长沙 Changsha",
    "香港 Hong Kong",
    "宁波 Ningbo",
];

fn product(chain: IndustryChain, rng: &mut Rng) -> &'static str {
    let list: &[&str] = match chain {
        IndustryChain::Petrochemicals => &["己内酰胺", "高端聚烯烃", "环氧丙烷", "特种化学品", "新材料单体"],
        IndustryChain::GreenFood => &["预制菜", "稻米深加工", "茶叶精深加工", "冷链食品", "粮油加工"],
        IndustryChain::PowerNewEnergy => &["储能电池", "光伏组件", "风电装备", "氢能装备", "智能电网"],
        IndustryChain::Textiles => &["高档面料", "智能纺纱", "功能性纤维", "服装制造", "家纺"],
        IndustryChain::AdvancedEquipment => &["智能装备", "工程机械配件", "数控机床", "电磁装备", "环保装备"],
        IndustryChain::ElectronicInformation => &["电子元器件", "显示模组", "智能终端", "半导体封测", "印制电路板"],
        IndustryChain::ArtificialIntelligence => &["算力中心", "工业互联网平台", "智能机器人", "数据服务", "智能识别"],
        IndustryChain::AdvancedMaterials => &["锂电材料", "高性能复合材料", "特种陶瓷", "铝基新材料", "石墨烯"],
        IndustryChain::ModernLogistics => &["港口物流园", "冷链物流", "多式联运枢纽", "跨境电商仓", "供应链中心"],
        IndustryChain::CultureTourism => &["文旅综合体", "研学基地", "康养度假区", "演艺中心", "民宿集群"],
    };
    rng.pick(list)
}

fn company(chain: IndustryChain, rng: &mut Rng) -> String {
    let suffix = match chain {
        IndustryChain::Petrochemicals => "化工有限公司",
        IndustryChain::GreenFood => "食品有限公司",
        IndustryChain::PowerNewEnergy => "新能源科技有限公司",
        IndustryChain::Textiles => "纺织有限公司",
        IndustryChain::AdvancedEquipment => "装备制造有限公司",
        IndustryChain::ElectronicInformation => "电子科技有限公司",
        IndustryChain::ArtificialIntelligence => "智能科技有限公司",
        IndustryChain::AdvancedMaterials => "新材料有限公司",
        IndustryChain::ModernLogistics => "供应链管理有限公司",
        IndustryChain::CultureTourism => "文化旅游发展有限公司",
    };
    format!("{}{}{}", rng.pick(CITIES), rng.pick(WORDS), suffix)
}

fn chinese_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

fn day_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from + Duration::days(rng.between(0, (to - from).num_days().max(0)))
}

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)).and_utc()
}

/// A lead met through the event page: Chinese, in China, of no company yet.
fn lead_model(org_id: i32, email: String, stage: Stage, created: DateTime<Utc>) -> lead::ActiveModel {
    lead::ActiveModel {
        organization_id: Set(org_id),
        email: Set(Some(email)),
        name: Set(String::new()),
        job_title: Set(String::new()),
        phone: Set(String::new()),
        language: Set(Lang::Zh),
        company: Set(String::new()),
        country: Set("CN".into()),
        sector: Set(String::new()),
        top500: Set(false),
        industry_chains: Set(String::new()),
        promotion_method: Set(None),
        hometown_return: Set(false),
        owner_id: Set(None),
        notes: Set(String::new()),
        stage: Set(stage),
        lost_reason: Set(String::new()),
        consent_data_at: Set(Some(created)),
        consent_data_version: Set(crate::registrations::CONSENT_VERSION.to_string()),
        consent_marketing_at: Set(None),
        consent_source: Set(ConsentSource::EventPage),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
}

/// One project before it is written.
struct Plan {
    unit: usize,
    chain: IndustryChain,
    method: PromotionMethod,
    cents: i64,
    signed_on: NaiveDate,
    hometown: bool,
    new_company: bool,
    top500: bool,
    funds_cents: i64,
    /// Indexes of the stops its lead was met at.
    stops: Vec<usize>,
}

/// Amounts of the 653 projects in 0.01 亿元: two of at least 100 亿元, ten more of at least
/// 50, the rest below 50 and summing to the article's total with them.
fn amounts(rng: &mut Rng) -> Vec<i64> {
    let mut cents = vec![12_000, 10_550];
    for _ in 0..(BIG50 - BIG100) {
        cents.push(rng.between(5_000, 9_600));
    }
    let rest_total = SIGNED_CENTS - cents.iter().sum::<i64>();
    let weights: Vec<i64> = (0..PROJECTS - BIG50)
        .map(|_| {
            let r = rng.unit();
            20 + (r.powi(5) * 4_000.0) as i64
        })
        .collect();
    let caps = vec![4_999; weights.len()];
    let rest = apportion(rest_total, &weights, &caps).expect("the demo's projects hold the article's total");
    cents.extend(rest);
    cents
}

fn plans(rng: &mut Rng, stops: &[(NaiveDate, &'static [&'static str])]) -> Vec<Plan> {
    let cents = amounts(rng);
    let unit_weights: u64 = UNITS.iter().map(|u| u.weight).sum();
    let period_start = NaiveDate::from_ymd_opt(2023, 1, 5).unwrap_or_default();
    let period_end = NaiveDate::from_ymd_opt(2023, 8, 31).unwrap_or_default();
    let mut plans: Vec<Plan> = cents
        .iter()
        .map(|c| {
            let mut draw = rng.below(unit_weights);
            let unit = UNITS.iter().position(|u| {
                if draw < u.weight {
                    true
                } else {
                    draw -= u.weight;
                    false
                }
            });
            let signed_on = day_between(rng, period_start, period_end);
            // Most projects' investors were met at one to three stops before they signed.
            let before: Vec<usize> = (0..stops.len()).filter(|i| stops[*i].0 <= signed_on).collect();
            let mut met = Vec::new();
            if !before.is_empty() && rng.chance(85) {
                for _ in 0..rng.between(1, 3) {
                    let s = *rng.pick(&before);
                    if !met.contains(&s) {
                        met.push(s);
                    }
                }
                met.sort_unstable();
            }
            let chain = match met.first() {
                Some(s) if rng.chance(70) => stops[*s].1.first().and_then(|c| IndustryChain::from_slug(c)),
                _ => None,
            }
            .unwrap_or(*rng.pick(&IndustryChain::ALL));
            Plan {
                unit: unit.unwrap_or(0),
                chain,
                method: *rng.pick(&PromotionMethod::ALL),
                cents: *c,
                signed_on,
                hometown: false,
                new_company: false,
                top500: false,
                funds_cents: 0,
                stops: met,
            }
        })
        .collect();

    // Hometown-return: four of the big ones and every third of the rest, largest first.
    let mut by_size: Vec<usize> = (BIG50..PROJECTS).collect();
    by_size.sort_by(|a, b| cents[*b].cmp(&cents[*a]).then(a.cmp(b)));
    let mut hometown: Vec<usize> = vec![1, 3, 5, 7];
    hometown.extend(by_size.iter().step_by(3).take(HOMETOWN - 4));
    for i in &hometown {
        plans[*i].hometown = true;
        plans[*i].method = PromotionMethod::HometownTies;
    }
    // Of them, 69 newly registered companies: every third hometown project below 50 亿元.
    let small_hometown: Vec<usize> = hometown.iter().copied().filter(|i| *i >= BIG50).collect();
    let new_companies: Vec<usize> = small_hometown.iter().copied().step_by(3).take(NEW_COMPANIES).collect();
    for i in &new_companies {
        plans[*i].new_company = true;
    }
    // Top 500: the largest project and every fifth of the others not from home.
    let others: Vec<usize> = by_size.iter().copied().filter(|i| !plans[*i].hometown).collect();
    let mut top: Vec<usize> = vec![0];
    top.extend(others.iter().step_by(5).take(TOP500 - 1));
    for i in &top {
        plans[*i].top500 = true;
    }

    // Funds in place by group, each project's share drawn, never above what it signed.
    let groups: [(Vec<usize>, i64, u64); 3] = [
        (new_companies.clone(), NEW_COMPANY_FUNDS_CENTS, 100),
        (
            hometown.iter().copied().filter(|i| !plans[*i].new_company).collect(),
            HOMETOWN_FUNDS_CENTS - NEW_COMPANY_FUNDS_CENTS,
            85,
        ),
        ((0..PROJECTS).filter(|i| !plans[*i].hometown).collect(), FUNDS_CENTS - HOMETOWN_FUNDS_CENTS, 65),
    ];
    for (members, total, percent) in groups {
        let weights: Vec<i64> = members
            .iter()
            .map(|i| if rng.chance(percent) { plans[*i].cents * rng.between(40, 100) } else { 0 })
            .collect();
        let caps: Vec<i64> = members.iter().map(|i| plans[*i].cents).collect();
        let shares = apportion(total, &weights, &caps).expect("the demo's projects hold the article's funds");
        for (i, share) in members.iter().zip(shares) {
            plans[*i].funds_cents = share;
        }
    }
    plans
}

/// Writes the outcomes of the 2023 roadshow for `org_id`, whose stops are `stops` (event id,
/// local date, region, chains), in one transaction.
pub async fn load(
    txn: &DatabaseTransaction,
    org_id: i32,
    stops: &[(i32, NaiveDate, &'static str, &'static [&'static str], i32)],
    today: NaiveDate,
) -> Result<(), AppError> {
    let mut rng = Rng::new(SEED);
    let now = Utc::now();

    // Units.
    let mut unit_ids: Vec<i32> = Vec::new();
    for u in UNITS {
        let row = unit::ActiveModel {
            organization_id: Set(org_id),
            parent_id: Set(u.parent.map(|p| unit_ids[p])),
            kind: Set(u.kind),
            name_zh: Set(u.zh.to_string()),
            name_en: Set(u.en.to_string()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        unit_ids.push(row.id);
    }

    // What each stop cost: more abroad.
    for (id, _, region, _, _) in stops {
        let wan = if matches!(*region, "Europe" | "Africa") { rng.between(30, 85) } else { rng.between(6, 28) };
        event::Entity::update_many()
            .col_expr(
                event::Column::CostYuan,
                sea_orm::sea_query::Expr::value(wan * 10_000 + rng.between(0, 9) * 1_000),
            )
            .filter(event::Column::Id.eq(*id))
            .exec(txn)
            .await?;
    }

    let stop_days: Vec<(NaiveDate, &'static [&'static str])> = stops.iter().map(|s| (s.1, s.3)).collect();
    let plans = plans(&mut rng, &stop_days);

    // The guests of each stop (registrations, each a lead); a project's investor is one of them.
    let mut lead_rows: Vec<lead::ActiveModel> = Vec::new();
    let mut registrations: Vec<registration::ActiveModel> = Vec::new();
    // (guest index, stop index)
    let mut met: Vec<(usize, usize)> = Vec::new();
    let mut guest_of_plan: Vec<usize> = Vec::with_capacity(plans.len());
    for (n, plan) in plans.iter().enumerate() {
        let first_met = plan.stops.first().map(|s| stops[*s].1).unwrap_or(plan.signed_on - Duration::days(60));
        let created = at(first_met - Duration::days(rng.between(3, 20)), 2);
        let stage = if plan.funds_cents > 0 { Stage::FundsInPlace } else { Stage::ContractSigned };
        let mut row = lead_model(org_id, format!("investor{n:04}@example.com"), stage, created);
        row.name = Set(chinese_name(&mut rng));
        row.job_title = Set((*rng.pick(&["董事长", "总经理", "投资总监", "副总裁"])).to_string());
        row.company = Set(company(plan.chain, &mut rng));
        row.top500 = Set(plan.top500);
        row.industry_chains = Set(plan.chain.slug().to_string());
        row.promotion_method = Set(Some(plan.method));
        row.hometown_return = Set(plan.hometown);
        if plan.stops.is_empty() {
            row.consent_source = Set(ConsentSource::Organizer);
        }
        lead_rows.push(row);
        guest_of_plan.push(n);
        for s in &plan.stops {
            met.push((n, *s));
        }
    }
    // Other guests: most stops fill 50–90 % of their seats.
    let mut stop_guests: Vec<Vec<usize>> = vec![Vec::new(); stops.len()];
    for (g, s) in &met {
        stop_guests[*s].push(*g);
    }
    for (s, (_, day, region, chains, capacity)) in stops.iter().enumerate() {
        let wanted = (i64::from(*capacity) * rng.between(50, 90) / 100) as usize;
        let abroad = matches!(*region, "Europe" | "Africa");
        while stop_guests[s].len() < wanted.min(*capacity as usize) {
            let n = lead_rows.len();
            let created = at(*day - Duration::days(rng.between(2, 25)), 3);
            let chain =
                chains.first().and_then(|c| IndustryChain::from_slug(c)).unwrap_or(IndustryChain::AdvancedEquipment);
            let stage = match rng.below(100) {
                0..50 => Stage::New,
                50..75 => Stage::Contacted,
                75..87 => Stage::SiteVisit,
                87..93 => Stage::IntentSigned,
                _ => Stage::Lost,
            };
            let mut row = lead_model(org_id, format!("guest{n:05}@example.com"), stage, created);
            row.name = Set(if abroad { (*rng.pick(WESTERN)).to_string() } else { chinese_name(&mut rng) });
            row.company = Set(if abroad { (*rng.pick(FOREIGN_FIRMS)).to_string() } else { company(chain, &mut rng) });
            if abroad {
                row.language = Set(Lang::En);
                row.country = Set(String::new());
            }
            row.industry_chains = Set(chain.slug().to_string());
            lead_rows.push(row);
            stop_guests[s].push(n);
        }
    }
    let mut lead_ids = Vec::with_capacity(lead_rows.len());
    for chunk in lead_rows.chunks(500) {
        for row in chunk {
            // One by one for the ids (both databases give them back this way).
            let saved = lead::Entity::insert(row.clone()).exec(txn).await?;
            lead_ids.push(saved.last_insert_id);
        }
    }
    // Their registrations, check-ins and the stops they were met at.
    let mut met_rows: Vec<lead_event::ActiveModel> = Vec::new();
    for (s, (event_id, day, _, _, _)) in stops.iter().enumerate() {
        let past = *day < today;
        for g in &stop_guests[s] {
            let at_time = at(*day - Duration::days(rng.between(1, 20)), 4);
            registrations.push(registration::ActiveModel {
                event_id: Set(*event_id),
                email: Set(lead_rows[*g].email.clone().unwrap().unwrap_or_default()),
                name: Set(lead_rows[*g].name.clone().unwrap()),
                phone: Set(String::new()),
                company: Set(lead_rows[*g].company.clone().unwrap()),
                job_title: Set(String::new()),
                country: Set(lead_rows[*g].country.clone().unwrap()),
                industry_chains: Set(lead_rows[*g].industry_chains.clone().unwrap()),
                language: Set(lead_rows[*g].language.clone().unwrap()),
                status: Set(RegistrationStatus::Confirmed),
                manage_nonce: Set(crate::crypto::random_hex::<16>()),
                consent_data_at: Set(at_time),
                consent_data_version: Set(crate::registrations::CONSENT_VERSION.to_string()),
                consent_marketing_at: Set(None),
                consent_source: Set(ConsentSource::EventPage),
                created_at: Set(at_time),
                updated_at: Set(at_time),
                checked_in_at: Set((past && rng.chance(82)).then(|| at(*day, 6))),
                check_in_code: Set(crate::registrations::ssr::new_check_in_code()),
                calendar_sequence: Set(0),
                time_zone: Set(String::new()),
                answers: Set("{}".into()),
                ..Default::default()
            });
            met_rows.push(lead_event::ActiveModel {
                lead_id: Set(lead_ids[*g]),
                event_id: Set(*event_id),
                registration_id: Set(None),
                source: Set(MetSource::Registration),
                created_at: Set(at_time),
            });
        }
    }
    for chunk in registrations.chunks(500) {
        registration::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    for chunk in met_rows.chunks(1000) {
        lead_event::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }

    // The projects, their steps and their funds in place.
    let period_end = NaiveDate::from_ymd_opt(2023, 8, 31).unwrap_or(today);
    let mut tranches: Vec<funding_tranche::ActiveModel> = Vec::new();
    let mut per_unit: Vec<[i64; 6]> = vec![[0; 6]; UNITS.len()];
    for (n, plan) in plans.iter().enumerate() {
        let registered_on = plan.new_company.then(|| day_between(&mut rng, plan.signed_on, period_end));
        let started_on = rng.chance(65).then(|| {
            let from = registered_on.unwrap_or(plan.signed_on) + Duration::days(15);
            day_between(&mut rng, from, from + Duration::days(180))
        });
        let producing_on = started_on.filter(|_| rng.chance(35)).map(|s| s + Duration::days(rng.between(90, 400)));
        let planned_start_on = match started_on {
            Some(_) => None,
            None if rng.chance(20) => Some(today - Duration::days(rng.between(5, 200))),
            None => Some(today + Duration::days(rng.between(20, 300))),
        };
        let planned_production_on = match (started_on, producing_on) {
            (Some(_), None) if rng.chance(15) => Some(today - Duration::days(rng.between(3, 150))),
            (Some(_), None) => Some(today + Duration::days(rng.between(30, 500))),
            (None, _) => planned_start_on.map(|d| d + Duration::days(rng.between(200, 500))),
            _ => None,
        };
        let name = format!("{}{}项目", rng.pick(WORDS), product(plan.chain, &mut rng));
        let saved = project::Entity::insert(project::ActiveModel {
            lead_id: Set(lead_ids[guest_of_plan[n]]),
            name: Set(name),
            industry_chain: Set(plan.chain.slug().to_string()),
            location: Set(UNITS[plan.unit].zh.to_string()),
            planned_investment: Set(plan.cents * CENT),
            signed_on: Set(Some(plan.signed_on)),
            unit_id: Set(Some(unit_ids[plan.unit])),
            credit_code: Set(None),
            registered_on: Set(registered_on),
            started_on: Set(started_on),
            producing_on: Set(producing_on),
            planned_start_on: Set(planned_start_on),
            planned_production_on: Set(planned_production_on),
            created_at: Set(at(plan.signed_on, 5)),
            updated_at: Set(at(plan.signed_on, 5)),
            ..Default::default()
        })
        .exec(txn)
        .await?
        .last_insert_id;
        if plan.funds_cents > 0 {
            let parts = rng.between(1, 3).min(plan.funds_cents) as usize;
            let weights: Vec<i64> = (0..parts).map(|_| rng.between(1, 10)).collect();
            let amounts = apportion(plan.funds_cents, &weights, &vec![plan.funds_cents; parts]).unwrap_or_default();
            let mut days: Vec<NaiveDate> =
                (0..parts).map(|_| day_between(&mut rng, plan.signed_on, period_end)).collect();
            days.sort_unstable();
            for (amount, day) in amounts.into_iter().zip(days).filter(|(a, _)| *a > 0) {
                tranches.push(funding_tranche::ActiveModel {
                    project_id: Set(saved),
                    amount: Set(amount * CENT),
                    received_on: Set(day),
                    entered_by: Set(None),
                    verified_by: Set(None),
                    verified_at: Set(None),
                    proof_kind: Set(None),
                    proof_size: Set(None),
                    proof_key: Set(None),
                    created_at: Set(at(day, 8)),
                    ..Default::default()
                });
            }
        }
        let u = &mut per_unit[plan.unit];
        u[0] += 1;
        u[1] += plan.cents;
        u[2] += plan.funds_cents;
        u[3] += i64::from(plan.top500);
        u[4] += i64::from(plan.hometown);
        u[5] += i64::from(started_on.is_some_and(|d| d <= period_end));
    }
    for chunk in tranches.chunks(500) {
        funding_tranche::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }

    // Trips: most units go out every month; a few months are missed.
    let mut trip_rows = Vec::new();
    for unit_id in &unit_ids {
        for month in 1..=8u32 {
            let count = match rng.below(100) {
                0..12 => 0,
                12..70 => 1,
                _ => 2,
            };
            for _ in 0..count {
                let first = NaiveDate::from_ymd_opt(2023, month, 1).unwrap_or(today);
                let starts_on = day_between(&mut rng, first, first + Duration::days(24));
                let same_month: Vec<&(i32, NaiveDate, &str, &[&str], i32)> =
                    stops.iter().filter(|s| s.1.month() == month && !matches!(s.2, "Europe" | "Africa")).collect();
                let stop = (!same_month.is_empty() && rng.chance(30)).then(|| *rng.pick(&same_month));
                trip_rows.push(trip::ActiveModel {
                    organization_id: Set(org_id),
                    unit_id: Set(*unit_id),
                    event_id: Set(stop.map(|s| s.0)),
                    destination: Set(stop
                        .map(|s| s.2.to_string())
                        .unwrap_or_else(|| (*rng.pick(TRIP_CITIES)).to_string())),
                    starts_on: Set(starts_on),
                    ends_on: Set(starts_on + Duration::days(rng.between(1, 4))),
                    travellers: Set(format!("{}、{}", chinese_name(&mut rng), chinese_name(&mut rng))),
                    companies: Set(format!(
                        "{}\n{}",
                        company(IndustryChain::AdvancedEquipment, &mut rng),
                        company(IndustryChain::ElectronicInformation, &mut rng)
                    )),
                    notes: Set(String::new()),
                    created_by: Set(None),
                    created_at: Set(at(starts_on, 1)),
                    updated_at: Set(at(starts_on, 1)),
                    ..Default::default()
                });
            }
        }
    }
    for chunk in trip_rows.chunks(500) {
        trip::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }

    // 2023 targets: what each unit was asked for, some ahead of it and some behind.
    for (u, unit_id) in unit_ids.iter().enumerate() {
        let a = per_unit[u];
        let scale = |v: i64, rng: &mut Rng| (v * rng.between(80, 140) / 100).max(1);
        let yi = |cents: i64| cents / 100 * 100 * CENT;
        unit_target::ActiveModel {
            organization_id: Set(org_id),
            unit_id: Set(*unit_id),
            year: Set(2023),
            quarter: Set(0),
            projects: Set(Some(scale(a[0], &mut rng) as i32)),
            signed_yuan: Set(Some(yi(scale(a[1], &mut rng)).max(100 * CENT))),
            funds_yuan: Set(Some(yi(scale(a[2], &mut rng)).max(100 * CENT))),
            top500: Set(Some(scale(a[3], &mut rng) as i32)),
            hometown: Set(Some(scale(a[4], &mut rng) as i32)),
            started: Set(Some(scale(a[5], &mut rng) as i32)),
            trips: Set(Some(8)),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportioning_keeps_the_total_and_the_caps() {
        assert_eq!(apportion(10, &[1, 1, 1], &[10, 10, 10]), Some(vec![4, 3, 3]));
        assert_eq!(apportion(10, &[8, 1, 1], &[3, 10, 10]), Some(vec![3, 4, 3]));
        assert_eq!(apportion(10, &[1, 1], &[3, 3]), None);
        assert_eq!(apportion(0, &[0, 0], &[3, 3]), Some(vec![0, 0]));
    }

    #[test]
    fn the_seed_gives_the_articles_totals() {
        let mut rng = Rng::new(SEED);
        let stops: Vec<(NaiveDate, &'static [&'static str])> = (0..43)
            .map(|i| (NaiveDate::from_ymd_opt(2023, 1, 10).unwrap() + Duration::days(i * 5), &["petrochemicals"][..]))
            .collect();
        let plans = plans(&mut rng, &stops);
        assert_eq!(plans.len(), PROJECTS);
        assert_eq!(plans.iter().map(|p| p.cents).sum::<i64>(), SIGNED_CENTS);
        assert_eq!(plans.iter().filter(|p| p.cents >= 5_000).count(), BIG50);
        assert_eq!(plans.iter().filter(|p| p.cents >= 10_000).count(), BIG100);
        assert_eq!(plans.iter().filter(|p| p.top500).count(), TOP500);
        assert_eq!(plans.iter().map(|p| p.funds_cents).sum::<i64>(), FUNDS_CENTS);
        assert_eq!(plans.iter().filter(|p| p.hometown).count(), HOMETOWN);
        assert_eq!(plans.iter().filter(|p| p.hometown).map(|p| p.funds_cents).sum::<i64>(), HOMETOWN_FUNDS_CENTS);
        assert_eq!(plans.iter().filter(|p| p.new_company).count(), NEW_COMPANIES);
        assert_eq!(plans.iter().filter(|p| p.new_company).map(|p| p.funds_cents).sum::<i64>(), NEW_COMPANY_FUNDS_CENTS);
        assert!(plans.iter().all(|p| p.funds_cents <= p.cents), "no project has more in place than it signed");
        assert!(plans.iter().filter(|p| p.new_company).all(|p| p.hometown && p.funds_cents > 0));
    }
}
