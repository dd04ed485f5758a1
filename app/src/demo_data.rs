//! The bureau's 2023 roadshow from the source article: 43 stops across Europe, Africa,
//! Shanghai, Shenzhen and elsewhere, loaded on first start as demo data.

/// One stop of the demo roadshow, in the venue's local time.
pub struct DemoStop {
    pub slug: &'static str, // lowercase ascii, digits and '-', unique, e.g. "2023-shenzhen-electronics"
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub summary_zh: &'static str,        // 1-3 sentences of Markdown, Chinese
    pub summary_en: &'static str,        // same in English
    pub city: &'static str,              // English city name, e.g. "Frankfurt"
    pub country: &'static str,           // ISO 3166-1 alpha-2, e.g. "DE", "CN", "ZA"
    pub region: &'static str, // one of: "Europe", "Africa", "Shanghai", "Shenzhen", "Beijing", "Guangzhou", "Hong Kong", "Hunan", "Shandong"
    pub venue: &'static str,  // plausible real venue (hotel/convention centre) name
    pub address: &'static str, // plausible street address
    pub timezone: &'static str, // correct IANA zone, e.g. "Europe/Berlin", "Africa/Johannesburg", "Asia/Shanghai"
    pub date: &'static str,   // "YYYY-MM-DD" local date in 2023
    pub start: &'static str,  // "HH:MM" local
    pub end: &'static str,    // "HH:MM" local, same day, after start
    pub capacity: i32,        // 60..=400
    pub chains: &'static [&'static str], // 1-3 industry chain slugs
    pub agenda: &'static [(&'static str, &'static str, &'static str)], // (local "HH:MM", bilingual title, speaker role)
}

pub use crate::auth::DEMO_ORGANIZATION;

pub const DEMO_ROADSHOW_STOPS: &[DemoStop] = &[
    // ───────────────────────────── January ─────────────────────────────
    DemoStop {
        slug: "2023-shenzhen-hometown-new-year",
        title_zh: "“迎老乡、回故乡、建家乡”岳阳（深圳）湘商回归新春恳谈会",
        title_en: "Yueyang Hometown Returnees New Year Meeting — Shenzhen",
        summary_zh: "面向深圳市湖南商会、岳阳商会会员的**乡情招商**新春恳谈会。推介岳阳电子信息与先进装备制造产业链，发布“湘商回归”重点项目清单。",
        summary_en: "A New Year gathering, built on **hometown ties**, for members of Shenzhen's Hunan and Yueyang chambers of commerce. It presents Yueyang's electronic information and advanced equipment chains and the priority list of hometown-return projects.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳五洲宾馆 Shenzhen Wuzhou Guest House",
        address: "广东省深圳市福田区深南大道6001号",
        timezone: "Asia/Shanghai",
        date: "2023-01-10",
        start: "14:30",
        end: "20:30",
        capacity: 220,
        chains: &["electronic-information", "advanced-equipment"],
        agenda: &[
            ("14:30", "签到与交流 Registration and networking", "岳阳市商务局 Yueyang Bureau of Commerce"),
            ("15:00", "新春致辞 New Year address", "岳阳市市长 Mayor of Yueyang"),
            (
                "15:30",
                "湘商回归重点项目发布 Hometown-return priority projects",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            (
                "16:30",
                "乡贤企业家座谈 Hometown entrepreneurs' roundtable",
                "深圳市岳阳商会会长 President, Shenzhen Yueyang Chamber of Commerce",
            ),
            ("18:30", "新春联谊晚宴 New Year dinner", "深圳市湖南商会 Shenzhen Hunan Chamber of Commerce"),
        ],
    },
    DemoStop {
        slug: "2023-shanghai-hometown-new-year",
        title_zh: "岳阳（上海）乡情招商暨岳商新春座谈会",
        title_en: "Yueyang Hometown Investment Meeting and New Year Forum — Shanghai",
        summary_zh: "邀请在沪岳阳籍企业家共话家乡发展。以**乡情招商**和**以商招商**为主线，推介先进材料与文化旅游产业链合作机会。",
        summary_en: "Yueyang-born entrepreneurs in Shanghai meet to talk about their hometown's growth. The focus is on **hometown ties** and **business-to-business referral**, with opportunities in advanced materials and culture and tourism.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海锦江饭店 Jin Jiang Hotel Shanghai",
        address: "上海市黄浦区茂名南路59号",
        timezone: "Asia/Shanghai",
        date: "2023-01-12",
        start: "14:00",
        end: "17:30",
        capacity: 160,
        chains: &["advanced-materials", "culture-tourism"],
        agenda: &[
            ("14:00", "签到与交流 Registration and networking", "岳阳市商务局 Yueyang Bureau of Commerce"),
            ("14:30", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "15:00",
                "岳阳投资环境推介 Yueyang investment environment",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            (
                "15:40",
                "以商招商座谈 Business referral roundtable",
                "上海市岳阳商会会长 President, Shanghai Yueyang Chamber of Commerce",
            ),
            ("17:00", "合影留念 Group photo", "全体嘉宾 All guests"),
        ],
    },
    DemoStop {
        slug: "2023-guangzhou-hometown-return",
        title_zh: "岳阳（广州）湘商回归恳谈会",
        title_en: "Yueyang Hometown Returnees Forum — Guangzhou",
        summary_zh: "联合广东省湖南商会，面向在粤湘商推介岳阳绿色食品和纺织产业链。现场对接一批**湘商回归**意向项目。",
        summary_en: "Held with the Guangdong Hunan Chamber of Commerce to present Yueyang's green food and textile chains to Hunan business people in Guangdong. Several **hometown-return** projects were matched with county teams on site.",
        city: "Guangzhou",
        country: "CN",
        region: "Guangzhou",
        venue: "广州白天鹅宾馆 White Swan Hotel Guangzhou",
        address: "广东省广州市荔湾区沙面南街1号",
        timezone: "Asia/Shanghai",
        date: "2023-01-16",
        start: "14:30",
        end: "18:00",
        capacity: 180,
        chains: &["green-food", "textiles"],
        agenda: &[
            ("14:30", "签到与交流 Registration and networking", "岳阳市商务局 Yueyang Bureau of Commerce"),
            ("15:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            ("15:20", "县市区专场推介 County presentations", "平江县人民政府 Pingjiang County Government"),
            ("16:20", "意向项目对接 Project matchmaking", "广东省湖南商会 Guangdong Hunan Chamber of Commerce"),
            ("17:30", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-beijing-energy-soe-matchmaking",
        title_zh: "岳阳（北京）电力新能源产业链央企对接会",
        title_en: "Yueyang Power and New Energy Matchmaking with Central SOEs — Beijing",
        summary_zh: "电力新能源产业链赴京对接国家部委和能源央企，开展**链式招商**。推介岳阳风光储一体化、抽水蓄能和氢能项目。",
        summary_en: "The power and new energy chain team meets national ministries and central energy state-owned enterprises in Beijing as **industry-chain promotion**. It presents wind-solar-storage, pumped-storage hydro and hydrogen projects.",
        city: "Beijing",
        country: "CN",
        region: "Beijing",
        venue: "北京国际饭店 Beijing International Hotel",
        address: "北京市东城区建国门内大街9号",
        timezone: "Asia/Shanghai",
        date: "2023-01-31",
        start: "09:30",
        end: "12:00",
        capacity: 80,
        chains: &["power-new-energy"],
        agenda: &[
            ("09:30", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "09:50",
                "岳阳能源项目推介 Yueyang energy projects",
                "岳阳市发展和改革委员会 Yueyang Development and Reform Commission",
            ),
            ("10:40", "央企座谈 Roundtable with central SOEs", "能源央企代表 Central energy SOE representatives"),
            ("11:40", "合作备忘录签署 MoU signing", "签约企业代表 Signing company representatives"),
        ],
    },
    // ───────────────────────────── February ─────────────────────────────
    DemoStop {
        slug: "2023-shenzhen-electronic-information",
        title_zh: "岳阳（深圳）电子信息产业链招商推介会",
        title_en: "Yueyang Electronic Information Investment Promotion Forum — Shenzhen",
        summary_zh: "聚焦新型显示、智能终端和工业控制，以**链式招商**补链强链。推介岳阳经开区电子信息产业园。",
        summary_en: "Focused on displays, smart devices and industrial control, this **industry-chain promotion** fills gaps in Yueyang's chain. It presents the electronic information park in the Yueyang Economic and Technological Development Zone.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳福田香格里拉大酒店 Futian Shangri-La, Shenzhen",
        address: "广东省深圳市福田区益田路4088号",
        timezone: "Asia/Shanghai",
        date: "2023-02-08",
        start: "14:00",
        end: "17:30",
        capacity: 240,
        chains: &["electronic-information", "artificial-intelligence"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "岳阳投资环境推介 Yueyang investment environment",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            (
                "15:00",
                "园区专场推介 Park presentation",
                "岳阳经开区管委会 Yueyang Economic and Technological Development Zone Administration",
            ),
            ("16:00", "圆桌对话 Panel discussion", "电子信息企业代表 Electronics company representatives"),
            ("17:00", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shanghai-petrochemicals",
        title_zh: "岳阳（上海）现代石化产业链招商推介会",
        title_en: "Yueyang Modern Petrochemicals Investment Promotion Forum — Shanghai",
        summary_zh: "围绕乙烯炼化一体化和己内酰胺产业链搬迁升级项目，发布下游新材料招商信息。邀请长三角化工企业来岳布局。",
        summary_en: "Built around the ethylene refining and chemicals project and the caprolactam chain upgrade, the forum releases downstream new materials opportunities. Yangtze River Delta chemical companies are invited to invest in Yueyang.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海浦东香格里拉大酒店 Pudong Shangri-La, Shanghai",
        address: "上海市浦东新区富城路33号",
        timezone: "Asia/Shanghai",
        date: "2023-02-14",
        start: "14:00",
        end: "17:30",
        capacity: 260,
        chains: &["petrochemicals", "advanced-materials"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "14:30",
                "现代石化产业链推介 Modern petrochemicals chain",
                "岳阳绿色化工高新区管委会 Yueyang Green Chemical High-Tech Zone Administration",
            ),
            (
                "15:30",
                "下游项目招商信息发布 Downstream project release",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            ("16:30", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-hong-kong-capital",
        title_zh: "岳阳（香港）资本招商推介会",
        title_en: "Yueyang Capital Investment Forum — Hong Kong",
        summary_zh: "面向香港投资机构、产业基金和物流企业开展**资本招商**。推介城陵矶新港区和岳阳产业引导基金合作机会。",
        summary_en: "**Capital promotion** for Hong Kong investment firms, industry funds and logistics companies. It presents the Chenglingji New Port Area and partnerships with Yueyang's industry guidance funds.",
        city: "Hong Kong",
        country: "HK",
        region: "Hong Kong",
        venue: "香港JW万豪酒店 JW Marriott Hotel Hong Kong",
        address: "Pacific Place, 88 Queensway, Admiralty, Hong Kong",
        timezone: "Asia/Hong_Kong",
        date: "2023-02-16",
        start: "15:00",
        end: "18:30",
        capacity: 150,
        chains: &["modern-logistics", "advanced-materials"],
        agenda: &[
            ("15:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "15:20",
                "城陵矶新港区推介 Chenglingji New Port Area",
                "城陵矶新港区管委会 Chenglingji New Port Area Administration",
            ),
            (
                "16:00",
                "产业基金合作介绍 Industry fund partnerships",
                "岳阳市产业引导基金 Yueyang Industry Guidance Fund",
            ),
            ("17:00", "投资人对话 Investor dialogue", "投资机构代表 Investment firm representatives"),
            ("18:00", "交流酒会 Networking reception", "在港湘籍企业家 Hunan entrepreneurs in Hong Kong"),
        ],
    },
    DemoStop {
        slug: "2023-shenzhen-artificial-intelligence",
        title_zh: "岳阳（深圳）人工智能产业链招商推介会",
        title_en: "Yueyang Artificial Intelligence Investment Promotion Forum — Shenzhen",
        summary_zh: "推介岳阳算力中心、工业互联网和智能制造应用场景。以场景开放带动人工智能企业来岳投资，开展**链式招商**。",
        summary_en: "Yueyang's computing centre, industrial internet and smart manufacturing use cases are on show. Opening real application scenarios is used as **industry-chain promotion** to draw AI companies to invest.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳会展中心 Shenzhen Convention & Exhibition Center",
        address: "广东省深圳市福田区福华三路111号",
        timezone: "Asia/Shanghai",
        date: "2023-02-21",
        start: "14:00",
        end: "17:00",
        capacity: 300,
        chains: &["artificial-intelligence", "electronic-information"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "应用场景发布 Application scenarios release",
                "岳阳市工业和信息化局 Yueyang Bureau of Industry and Information Technology",
            ),
            ("15:10", "主题演讲 Keynote", "人工智能企业代表 AI company representative"),
            ("16:10", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shanghai-advanced-equipment",
        title_zh: "岳阳（上海）先进装备制造产业链招商推介会",
        title_en: "Yueyang Advanced Equipment Investment Promotion Forum — Shanghai",
        summary_zh: "以**以商招商**为抓手，由已落户岳阳的龙头企业现身说法。推介工业控制、电机电驱和特种装备配套项目。",
        summary_en: "A **business-to-business referral** event: companies already operating in Yueyang tell their story. Partner projects in industrial automation, motors and drives, and special equipment are introduced.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海威斯汀大饭店 The Westin Bund Center Shanghai",
        address: "上海市黄浦区河南中路88号",
        timezone: "Asia/Shanghai",
        date: "2023-02-23",
        start: "14:00",
        end: "17:30",
        capacity: 200,
        chains: &["advanced-equipment"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "14:30",
                "岳阳投资环境推介 Yueyang investment environment",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            (
                "15:10",
                "落户企业分享 Investor testimonial",
                "在岳龙头企业代表 Representative of a leading company based in Yueyang",
            ),
            (
                "16:00",
                "配套项目发布 Supplier project release",
                "岳阳经开区管委会 Yueyang Economic and Technological Development Zone Administration",
            ),
            ("17:00", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    // ───────────────────────────── March ─────────────────────────────
    DemoStop {
        slug: "2023-shanghai-textiles",
        title_zh: "岳阳（上海）纺织产业链招商推介会",
        title_en: "Yueyang Textiles Investment Promotion Forum — Shanghai",
        summary_zh: "面向长三角纺织服装企业开展**链式招商**。推介岳阳纺织产业数字化、智能化、绿色化改造升级项目和园区标准厂房。",
        summary_en: "**Industry-chain promotion** for textile and apparel companies in the Yangtze River Delta. It covers projects to digitise, automate and green Yueyang's textile industry, plus ready-built standard factories in its parks.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海展览中心 Shanghai Exhibition Centre",
        address: "上海市静安区延安中路1000号",
        timezone: "Asia/Shanghai",
        date: "2023-03-02",
        start: "13:30",
        end: "17:00",
        capacity: 180,
        chains: &["textiles"],
        agenda: &[
            ("13:30", "签到与交流 Registration and networking", "岳阳市商务局 Yueyang Bureau of Commerce"),
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            ("14:20", "纺织产业推介 Textile industry presentation", "华容县人民政府 Huarong County Government"),
            ("15:20", "企业对接 B2B matchmaking", "纺织服装企业代表 Textile and apparel company representatives"),
            ("16:30", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shenzhen-new-energy-storage",
        title_zh: "岳阳（深圳）新能源与储能产业链招商推介会",
        title_en: "Yueyang New Energy and Storage Investment Promotion Forum — Shenzhen",
        summary_zh: "围绕储能电池、光伏组件和电池材料开展**链式招商**。推介岳阳新能源装备和先进材料配套能力。",
        summary_en: "**Industry-chain promotion** for energy storage batteries, PV modules and battery materials. It shows Yueyang's new energy equipment and advanced materials supply base.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳丽思卡尔顿酒店 The Ritz-Carlton, Shenzhen",
        address: "广东省深圳市福田区福华三路116号",
        timezone: "Asia/Shanghai",
        date: "2023-03-07",
        start: "14:00",
        end: "17:30",
        capacity: 220,
        chains: &["power-new-energy", "advanced-materials"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "14:30",
                "新能源产业推介 New energy industry presentation",
                "岳阳市发展和改革委员会 Yueyang Development and Reform Commission",
            ),
            ("15:20", "园区专场推介 Park presentation", "汨罗市人民政府 Miluo City Government"),
            ("16:10", "圆桌对话 Panel discussion", "储能企业代表 Energy storage company representatives"),
            ("17:00", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-frankfurt-advanced-equipment",
        title_zh: "岳阳（法兰克福）先进装备制造产业链招商推介会",
        title_en: "Yueyang Advanced Equipment Investment Promotion Forum — Frankfurt",
        summary_zh: "岳阳经贸代表团欧洲行首站。向德国机械制造和汽车零部件企业推介岳阳先进装备制造产业链和中欧班列物流通道。",
        summary_en: "First stop of the Yueyang trade delegation's European tour. It presents the advanced equipment chain and China–Europe rail freight links to German machinery and auto-parts makers.",
        city: "Frankfurt",
        country: "DE",
        region: "Europe",
        venue: "Steigenberger Frankfurter Hof",
        address: "Am Kaiserplatz, 60311 Frankfurt am Main",
        timezone: "Europe/Berlin",
        date: "2023-03-13",
        start: "10:00",
        end: "14:00",
        capacity: 120,
        chains: &["advanced-equipment", "modern-logistics"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "10:20",
                "致辞 Remarks",
                "中国驻法兰克福总领事馆经商室 Economic and Commercial Office, Consulate General of China in Frankfurt",
            ),
            (
                "10:40",
                "岳阳投资环境推介 Yueyang investment environment",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            ("11:30", "企业对接 B2B meetings", "德国中国商会 China Chamber of Commerce in Germany"),
            ("13:00", "工作午餐 Working lunch", "岳阳市商务局 Yueyang Bureau of Commerce"),
        ],
    },
    DemoStop {
        slug: "2023-munich-smart-manufacturing",
        title_zh: "岳阳（慕尼黑）智能制造产业合作推介会",
        title_en: "Yueyang Smart Manufacturing Cooperation Forum — Munich",
        summary_zh: "面向巴伐利亚工业自动化和软件企业，推介岳阳智能制造和人工智能应用场景。探讨中德产业园区合作。",
        summary_en: "Yueyang's smart manufacturing and AI application scenarios are presented to Bavarian automation and software companies. The forum also explores a Sino-German industrial park partnership.",
        city: "Munich",
        country: "DE",
        region: "Europe",
        venue: "Hotel Bayerischer Hof",
        address: "Promenadeplatz 2-6, 80333 München",
        timezone: "Europe/Berlin",
        date: "2023-03-15",
        start: "10:00",
        end: "13:30",
        capacity: 100,
        chains: &["artificial-intelligence", "advanced-equipment"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "10:20",
                "智能制造场景推介 Smart manufacturing scenarios",
                "岳阳市工业和信息化局 Yueyang Bureau of Industry and Information Technology",
            ),
            (
                "11:10",
                "中德园区合作探讨 Sino-German park cooperation",
                "岳阳经开区管委会 Yueyang Economic and Technological Development Zone Administration",
            ),
            ("12:30", "午餐交流 Networking lunch", "在德湘籍企业家 Hunan entrepreneurs in Germany"),
        ],
    },
    DemoStop {
        slug: "2023-hamburg-modern-logistics",
        title_zh: "岳阳（汉堡）现代物流产业链招商推介会",
        title_en: "Yueyang Modern Logistics Investment Promotion Forum — Hamburg",
        summary_zh: "推介城陵矶港江海联运、铁水联运通道和综合保税区。对接欧洲港航与物流企业。",
        summary_en: "Chenglingji Port's river-sea and rail-water intermodal routes and its comprehensive bonded zone are presented. European port, shipping and logistics companies meet the Yueyang team.",
        city: "Hamburg",
        country: "DE",
        region: "Europe",
        venue: "Hotel Atlantic Hamburg",
        address: "An der Alster 72-79, 20099 Hamburg",
        timezone: "Europe/Berlin",
        date: "2023-03-17",
        start: "10:00",
        end: "13:00",
        capacity: 90,
        chains: &["modern-logistics"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "10:20",
                "城陵矶港推介 Chenglingji Port presentation",
                "城陵矶新港区管委会 Chenglingji New Port Area Administration",
            ),
            (
                "11:00",
                "物流合作圆桌 Logistics panel",
                "欧洲港航企业代表 European port and shipping company representatives",
            ),
            ("12:15", "合作意向签署 Letters of intent", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-budapest-new-energy",
        title_zh: "岳阳（布达佩斯）新能源产业合作推介会",
        title_en: "Yueyang New Energy Cooperation Forum — Budapest",
        summary_zh: "面向在匈中资企业和匈牙利本地企业，推介岳阳电池材料与新能源装备产业。探讨双向投资合作。",
        summary_en: "For Chinese companies in Hungary and Hungarian firms: Yueyang's battery materials and new energy equipment industries. The forum explores two-way investment.",
        city: "Budapest",
        country: "HU",
        region: "Europe",
        venue: "Corinthia Hotel Budapest",
        address: "Erzsébet körút 43-49, 1073 Budapest",
        timezone: "Europe/Budapest",
        date: "2023-03-20",
        start: "10:00",
        end: "13:00",
        capacity: 80,
        chains: &["power-new-energy", "advanced-materials"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "10:15",
                "致辞 Remarks",
                "中国驻匈牙利使馆经商处 Economic and Commercial Office, Embassy of China in Hungary",
            ),
            (
                "10:40",
                "新能源产业推介 New energy industry presentation",
                "岳阳市发展和改革委员会 Yueyang Development and Reform Commission",
            ),
            ("11:40", "企业对接 B2B meetings", "在匈中资企业代表 Representatives of Chinese companies in Hungary"),
        ],
    },
    // ───────────────────────────── April ─────────────────────────────
    DemoStop {
        slug: "2023-shanghai-advanced-materials",
        title_zh: "岳阳（上海）先进材料产业链招商推介会",
        title_en: "Yueyang Advanced Materials Investment Promotion Forum — Shanghai",
        summary_zh: "推介变形镁合金、高性能复合材料和化工新材料项目。依托已落地龙头企业开展**以商招商**。",
        summary_en: "Projects in wrought magnesium alloys, high-performance composites and new chemical materials. Anchor companies already in Yueyang help with **business-to-business referral**.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海国际会议中心 Shanghai International Convention Center",
        address: "上海市浦东新区滨江大道2727号",
        timezone: "Asia/Shanghai",
        date: "2023-04-06",
        start: "14:00",
        end: "17:30",
        capacity: 280,
        chains: &["advanced-materials", "petrochemicals"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "先进材料产业推介 Advanced materials presentation",
                "岳阳市工业和信息化局 Yueyang Bureau of Industry and Information Technology",
            ),
            (
                "15:10",
                "落户企业分享 Investor testimonial",
                "在岳龙头企业代表 Representative of a leading company based in Yueyang",
            ),
            ("16:00", "专家点评 Expert commentary", "新材料行业协会代表 Materials industry association representative"),
            ("16:50", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shenzhen-smart-devices-semiconductors",
        title_zh: "岳阳（深圳）智能终端与半导体产业对接会",
        title_en: "Yueyang Smart Devices and Semiconductors Matchmaking — Shenzhen",
        summary_zh: "电子信息产业链赴深上门招商，以**链式招商**方式与智能终端、存储芯片和电子元器件企业一对一洽谈配套项目。",
        summary_en: "The electronic information chain team visits Shenzhen for **industry-chain promotion**, holding one-to-one talks with smart device, memory chip and electronic component makers about supplier projects.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳华侨城洲际大酒店 InterContinental Shenzhen",
        address: "广东省深圳市南山区深南大道9009号",
        timezone: "Asia/Shanghai",
        date: "2023-04-11",
        start: "09:30",
        end: "12:00",
        capacity: 120,
        chains: &["electronic-information"],
        agenda: &[
            ("09:30", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "09:50",
                "配套需求发布 Supplier needs release",
                "岳阳经开区管委会 Yueyang Economic and Technological Development Zone Administration",
            ),
            ("10:30", "一对一洽谈 One-to-one meetings", "电子信息企业代表 Electronics company representatives"),
            ("11:30", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-weifang-prepared-food",
        title_zh: "岳阳绿色食品产业链赴潍坊预制菜产业考察招商会",
        title_en: "Yueyang Green Food Study Visit and Prepared Food Investment Meeting — Weifang",
        summary_zh: "绿色食品产业链赴山东潍坊考察学习预制菜产业发展经验。向当地食品企业推介岳阳优质农产品资源和食品产业园，开展**链式招商**。",
        summary_en: "The green food chain team visits Weifang, Shandong, to learn from its prepared food industry. As **industry-chain promotion**, it presents Yueyang's farm produce and food industry parks to local food companies.",
        city: "Weifang",
        country: "CN",
        region: "Shandong",
        venue: "潍坊富华大酒店 Weifang Fuhua Hotel",
        address: "山东省潍坊市奎文区胜利东街",
        timezone: "Asia/Shanghai",
        date: "2023-04-13",
        start: "14:00",
        end: "17:30",
        capacity: 90,
        chains: &["green-food"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "预制菜产业经验交流 Prepared food industry exchange",
                "潍坊食品企业代表 Weifang food company representatives",
            ),
            ("15:20", "岳阳绿色食品推介 Yueyang green food presentation", "君山区人民政府 Junshan District Government"),
            ("16:30", "项目洽谈 Project talks", "岳阳市农业农村局 Yueyang Bureau of Agriculture and Rural Affairs"),
        ],
    },
    DemoStop {
        slug: "2023-shanghai-culture-tourism",
        title_zh: "岳阳（上海）文化旅游招商推介会",
        title_en: "Yueyang Culture and Tourism Investment Promotion Forum — Shanghai",
        summary_zh: "以“洞庭天下水，岳阳天下楼”为主题，推介岳阳楼、君山岛和平江文旅项目。吸引长三角文旅企业来岳投资。",
        summary_en: "Under the theme 'Dongting, the lake of lakes; Yueyang, the tower of towers', projects at Yueyang Tower, Junshan Island and Pingjiang are presented. Yangtze River Delta tourism companies are invited to invest.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海金茂君悦大酒店 Grand Hyatt Shanghai",
        address: "上海市浦东新区世纪大道88号金茂大厦",
        timezone: "Asia/Shanghai",
        date: "2023-04-18",
        start: "14:00",
        end: "17:00",
        capacity: 200,
        chains: &["culture-tourism"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "文旅资源推介 Culture and tourism resources",
                "岳阳市文化旅游广电体育局 Yueyang Bureau of Culture, Tourism, Radio, Television and Sports",
            ),
            ("15:10", "重点项目发布 Priority project release", "平江县人民政府 Pingjiang County Government"),
            ("16:10", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shenzhen-modern-logistics",
        title_zh: "岳阳（深圳）现代物流产业链招商推介会",
        title_en: "Yueyang Modern Logistics Investment Promotion Forum — Shenzhen",
        summary_zh: "推介城陵矶港、岳阳三荷机场和综合保税区的多式联运优势。对接跨境电商和供应链企业。",
        summary_en: "Chenglingji Port, Yueyang Sanhe Airport and the comprehensive bonded zone are presented as a multimodal hub. Cross-border e-commerce and supply chain companies meet the Yueyang team.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳蛇口希尔顿南海酒店 Hilton Shenzhen Shekou Nanhai",
        address: "广东省深圳市南山区望海路1177号",
        timezone: "Asia/Shanghai",
        date: "2023-04-20",
        start: "14:30",
        end: "17:30",
        capacity: 150,
        chains: &["modern-logistics"],
        agenda: &[
            ("14:30", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:50",
                "多式联运推介 Multimodal logistics presentation",
                "城陵矶新港区管委会 Chenglingji New Port Area Administration",
            ),
            (
                "15:40",
                "跨境电商圆桌 Cross-border e-commerce panel",
                "供应链企业代表 Supply chain company representatives",
            ),
            ("16:50", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-beijing-top-500-matchmaking",
        title_zh: "岳阳（北京）“三类500强”企业投资对接会",
        title_en: "Yueyang Top 500 Companies Investment Matchmaking — Beijing",
        summary_zh: "面向世界500强、中国500强和中国民营企业500强在京总部，推介岳阳重点产业链和重大项目。以**平台招商**承接央企和头部企业资源。",
        summary_en: "For the Beijing headquarters of Fortune Global 500, China Top 500 and China Private Top 500 companies. Yueyang's lead industry chains and flagship projects are presented through **platform promotion**.",
        city: "Beijing",
        country: "CN",
        region: "Beijing",
        venue: "中国大饭店 China World Hotel, Beijing",
        address: "北京市朝阳区建国门外大街1号",
        timezone: "Asia/Shanghai",
        date: "2023-04-25",
        start: "14:00",
        end: "17:30",
        capacity: 160,
        chains: &["petrochemicals", "power-new-energy", "advanced-equipment"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市委书记 Party Secretary of Yueyang"),
            ("14:30", "重点产业链推介 Lead industry chains", "岳阳市商务局局长 Director, Yueyang Bureau of Commerce"),
            ("15:20", "企业座谈 Company roundtable", "500强企业代表 Top 500 company representatives"),
            ("16:40", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    // ───────────────────────────── May ─────────────────────────────
    DemoStop {
        slug: "2023-johannesburg-china-africa-trade",
        title_zh: "岳阳（约翰内斯堡）中非经贸合作推介会",
        title_en: "Yueyang China–Africa Trade and Investment Forum — Johannesburg",
        summary_zh: "岳阳经贸代表团非洲行首站。推介岳阳装备制造和农产品加工能力，对接南非矿业、农业企业和在南非湘商。",
        summary_en: "First stop of the delegation's Africa tour. Yueyang's equipment making and food processing capabilities are presented to South African mining and farming companies and to Hunan business people in South Africa.",
        city: "Johannesburg",
        country: "ZA",
        region: "Africa",
        venue: "Sandton Convention Centre",
        address: "161 Maude Street, Sandown, Sandton, Johannesburg 2196",
        timezone: "Africa/Johannesburg",
        date: "2023-05-08",
        start: "10:00",
        end: "14:00",
        capacity: 150,
        chains: &["advanced-equipment", "green-food"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "10:20",
                "致辞 Remarks",
                "中国驻南非使馆经商处 Economic and Commercial Office, Embassy of China in South Africa",
            ),
            (
                "10:45",
                "岳阳投资环境推介 Yueyang investment environment",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            ("11:40", "企业对接 B2B meetings", "南非湖南商会 Hunan Chamber of Commerce in South Africa"),
            ("13:00", "工作午餐 Working lunch", "岳阳市商务局 Yueyang Bureau of Commerce"),
        ],
    },
    DemoStop {
        slug: "2023-nairobi-agriculture-logistics",
        title_zh: "岳阳（内罗毕）农业与物流合作推介会",
        title_en: "Yueyang Agriculture and Logistics Cooperation Forum — Nairobi",
        summary_zh: "推介岳阳茶叶、稻米加工和城陵矶港对非贸易通道。探讨中肯农产品双向贸易与加工合作。",
        summary_en: "Yueyang's tea and rice processing and Chenglingji Port's Africa trade route are presented. The forum explores two-way farm produce trade and processing with Kenyan partners.",
        city: "Nairobi",
        country: "KE",
        region: "Africa",
        venue: "Kenyatta International Convention Centre",
        address: "Harambee Avenue, Nairobi",
        timezone: "Africa/Nairobi",
        date: "2023-05-10",
        start: "10:00",
        end: "13:30",
        capacity: 120,
        chains: &["green-food", "modern-logistics"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "10:20",
                "致辞 Remarks",
                "中国驻肯尼亚使馆经商处 Economic and Commercial Office, Embassy of China in Kenya",
            ),
            (
                "10:40",
                "农业与物流合作推介 Agriculture and logistics presentation",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            ("11:40", "企业对接 B2B meetings", "肯尼亚农业企业代表 Kenyan agribusiness representatives"),
        ],
    },
    DemoStop {
        slug: "2023-addis-ababa-textiles",
        title_zh: "岳阳（亚的斯亚贝巴）纺织与装备产业合作推介会",
        title_en: "Yueyang Textiles and Equipment Cooperation Forum — Addis Ababa",
        summary_zh: "面向埃塞俄比亚工业园区和纺织企业，推介岳阳纺织机械和服装产业。探讨产能合作。",
        summary_en: "For Ethiopian industrial parks and textile companies: Yueyang's textile machinery and garment industry. The forum explores production capacity cooperation.",
        city: "Addis Ababa",
        country: "ET",
        region: "Africa",
        venue: "Sheraton Addis",
        address: "Taitu Street, Addis Ababa",
        timezone: "Africa/Addis_Ababa",
        date: "2023-05-12",
        start: "09:30",
        end: "13:00",
        capacity: 100,
        chains: &["textiles", "advanced-equipment"],
        agenda: &[
            ("09:30", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "09:50",
                "致辞 Remarks",
                "中国驻埃塞俄比亚使馆经商处 Economic and Commercial Office, Embassy of China in Ethiopia",
            ),
            ("10:15", "纺织产业推介 Textile industry presentation", "华容县人民政府 Huarong County Government"),
            (
                "11:15",
                "园区对接 Industrial park matchmaking",
                "埃塞俄比亚工业园区代表 Ethiopian industrial park representatives",
            ),
            ("12:30", "合作意向签署 Letters of intent", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-yueyang-third-yueshang-conference",
        title_zh: "第三届岳商大会",
        title_en: "The Third Yueyang Entrepreneurs Conference — Yueyang",
        summary_zh: "海内外岳商齐聚家乡，以**乡情招商**推动“岳商回归”，掀起返乡创业热潮。大会集中签约一批返乡创业和产业项目。",
        summary_en: "Yueyang business people from China and abroad gather in their hometown. Using **hometown ties**, the conference drives returning investment and entrepreneurship, and signs a batch of return-to-hometown and industry projects.",
        city: "Yueyang",
        country: "CN",
        region: "Hunan",
        venue: "岳阳市会议中心 Yueyang Conference Center",
        address: "湖南省岳阳市岳阳楼区巴陵东路",
        timezone: "Asia/Shanghai",
        date: "2023-05-18",
        start: "09:00",
        end: "17:30",
        capacity: 400,
        chains: &["green-food", "advanced-equipment", "culture-tourism"],
        agenda: &[
            ("09:00", "开幕式 Opening ceremony", "岳阳市委书记 Party Secretary of Yueyang"),
            ("09:40", "岳阳发展情况推介 Yueyang development briefing", "岳阳市市长 Mayor of Yueyang"),
            ("10:30", "项目集中签约 Project signing ceremony", "签约企业代表 Signing company representatives"),
            ("14:00", "岳商发展论坛 Yueyang entrepreneurs forum", "岳商代表 Yueyang entrepreneur representatives"),
            ("16:30", "县市区项目考察 County site visits", "县市区招商团队 County investment teams"),
        ],
    },
    DemoStop {
        slug: "2023-shanghai-capital-funds",
        title_zh: "岳阳（上海）资本招商暨产业基金对接会",
        title_en: "Yueyang Capital Promotion and Industry Fund Matchmaking — Shanghai",
        summary_zh: "以**资本招商**为主题，对接长三角股权投资机构和产业基金。推介岳阳拟上市后备企业和基金招商模式。",
        summary_en: "**Capital promotion** with Yangtze River Delta private equity firms and industry funds. It presents Yueyang's pipeline of pre-IPO companies and its fund-led investment model.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海明天广场JW万豪酒店 JW Marriott Hotel Shanghai at Tomorrow Square",
        address: "上海市黄浦区南京西路399号",
        timezone: "Asia/Shanghai",
        date: "2023-05-23",
        start: "14:00",
        end: "17:30",
        capacity: 150,
        chains: &["advanced-materials", "electronic-information"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "基金招商模式介绍 Fund-led investment model",
                "岳阳市产业引导基金 Yueyang Industry Guidance Fund",
            ),
            ("15:10", "后备上市企业路演 Pre-IPO company pitches", "岳阳企业代表 Yueyang company representatives"),
            ("16:20", "投资人圆桌 Investor panel", "投资机构代表 Investment firm representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shenzhen-petrochemicals",
        title_zh: "岳阳（深圳）现代石化产业链招商推介会",
        title_en: "Yueyang Modern Petrochemicals Investment Promotion Forum — Shenzhen",
        summary_zh: "现代石化产业链在深发布招商信息，以**链式招商**推介岳阳绿色化工高新区化工新材料、精细化工和电子化学品项目。",
        summary_en: "The modern petrochemicals chain releases new opportunities in Shenzhen as **industry-chain promotion**: chemical new materials, fine chemicals and electronic chemicals at the Yueyang Green Chemical High-Tech Zone.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳福田四季酒店 Four Seasons Hotel Shenzhen",
        address: "广东省深圳市福田区福华三路138号",
        timezone: "Asia/Shanghai",
        date: "2023-05-25",
        start: "14:00",
        end: "17:30",
        capacity: 200,
        chains: &["petrochemicals", "electronic-information"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "14:30",
                "招商信息发布 Investment opportunities release",
                "岳阳绿色化工高新区管委会 Yueyang Green Chemical High-Tech Zone Administration",
            ),
            ("15:20", "电子化学品专场 Electronic chemicals session", "临湘市人民政府 Linxiang City Government"),
            ("16:30", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    // ───────────────────────────── June ─────────────────────────────
    DemoStop {
        slug: "2023-shanghai-green-food",
        title_zh: "岳阳（上海）绿色食品产业链招商推介会",
        title_en: "Yueyang Green Food Investment Promotion Forum — Shanghai",
        summary_zh: "推介岳阳休闲食品、茶叶和预制菜产业。依托返乡创业的食品龙头企业开展**以商招商**，邀请长三角食品品牌来岳建设生产基地。",
        summary_en: "Yueyang's snack food, tea and prepared food industries are presented. Food companies founded by returning locals help with **business-to-business referral**, inviting Yangtze River Delta brands to build production bases in Yueyang.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海虹桥迎宾馆 Shanghai Hongqiao State Guest Hotel",
        address: "上海市长宁区虹桥路1591号",
        timezone: "Asia/Shanghai",
        date: "2023-06-06",
        start: "14:00",
        end: "17:00",
        capacity: 160,
        chains: &["green-food"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "绿色食品产业推介 Green food industry presentation",
                "平江县人民政府 Pingjiang County Government",
            ),
            (
                "15:10",
                "落户企业分享 Investor testimonial",
                "在岳食品企业代表 Representative of a food company based in Yueyang",
            ),
            ("16:10", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-rotterdam-petrochemicals",
        title_zh: "岳阳（鹿特丹）现代石化产业链招商推介会",
        title_en: "Yueyang Modern Petrochemicals Investment Promotion Forum — Rotterdam",
        summary_zh: "岳阳经贸代表团第二次欧洲行首站。向欧洲化工和港口企业发布现代石化产业链招商信息，推介乙烯项目下游配套机会。",
        summary_en: "First stop of the delegation's second European tour. Modern petrochemicals opportunities are released to European chemical and port companies, with downstream projects around the ethylene project.",
        city: "Rotterdam",
        country: "NL",
        region: "Europe",
        venue: "World Trade Center Rotterdam",
        address: "Beursplein 37, 3011 AA Rotterdam",
        timezone: "Europe/Amsterdam",
        date: "2023-06-12",
        start: "10:00",
        end: "13:30",
        capacity: 110,
        chains: &["petrochemicals", "modern-logistics"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "10:20",
                "致辞 Remarks",
                "中国驻荷兰使馆经商处 Economic and Commercial Office, Embassy of China in the Netherlands",
            ),
            (
                "10:40",
                "现代石化产业链推介 Modern petrochemicals chain",
                "岳阳绿色化工高新区管委会 Yueyang Green Chemical High-Tech Zone Administration",
            ),
            ("11:40", "企业对接 B2B meetings", "欧洲化工企业代表 European chemical company representatives"),
            ("12:45", "工作午餐 Working lunch", "岳阳市商务局 Yueyang Bureau of Commerce"),
        ],
    },
    DemoStop {
        slug: "2023-paris-culture-tourism",
        title_zh: "岳阳（巴黎）文化旅游与绿色食品推介会",
        title_en: "Yueyang Culture, Tourism and Green Food Forum — Paris",
        summary_zh: "以岳阳楼、洞庭湖和君山银针茶为名片，向法国文旅和食品企业推介岳阳文化旅游与绿色食品合作机会。",
        summary_en: "With Yueyang Tower, Dongting Lake and Junshan Yinzhen tea as calling cards, French tourism and food companies hear about culture, tourism and green food opportunities in Yueyang.",
        city: "Paris",
        country: "FR",
        region: "Europe",
        venue: "Pullman Paris Tour Eiffel",
        address: "18 Avenue de Suffren, 75015 Paris",
        timezone: "Europe/Paris",
        date: "2023-06-14",
        start: "14:00",
        end: "17:30",
        capacity: 120,
        chains: &["culture-tourism", "green-food"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "14:20",
                "文旅资源推介 Culture and tourism resources",
                "岳阳市文化旅游广电体育局 Yueyang Bureau of Culture, Tourism, Radio, Television and Sports",
            ),
            ("15:10", "君山银针品鉴 Junshan Yinzhen tea tasting", "君山区人民政府 Junshan District Government"),
            ("16:00", "企业交流 Business networking", "法国企业代表 French company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-london-capital",
        title_zh: "岳阳（伦敦）资本招商推介会",
        title_en: "Yueyang Capital Investment Forum — London",
        summary_zh: "面向伦敦金融城投资机构开展**资本招商**。推介岳阳重大产业项目和绿色金融合作。",
        summary_en: "**Capital promotion** for investment firms in the City of London. It presents Yueyang's flagship industrial projects and green finance cooperation.",
        city: "London",
        country: "GB",
        region: "Europe",
        venue: "The Landmark London",
        address: "222 Marylebone Road, London NW1 6JQ",
        timezone: "Europe/London",
        date: "2023-06-16",
        start: "10:00",
        end: "13:00",
        capacity: 90,
        chains: &["power-new-energy", "advanced-materials"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            ("10:20", "致辞 Remarks", "英国中国商会 China Chamber of Commerce in the UK"),
            ("10:40", "重大项目推介 Flagship projects", "岳阳市商务局局长 Director, Yueyang Bureau of Commerce"),
            ("11:40", "绿色金融圆桌 Green finance panel", "投资机构代表 Investment firm representatives"),
        ],
    },
    DemoStop {
        slug: "2023-milan-textiles",
        title_zh: "岳阳（米兰）纺织服装产业合作推介会",
        title_en: "Yueyang Textiles and Fashion Cooperation Forum — Milan",
        summary_zh: "对接意大利纺织机械、面料和时尚品牌企业。推介岳阳纺织产业智能化、绿色化升级合作。",
        summary_en: "Italian textile machinery, fabric and fashion companies meet the Yueyang team. The forum covers smart and green upgrades of Yueyang's textile industry.",
        city: "Milan",
        country: "IT",
        region: "Europe",
        venue: "Hotel Principe di Savoia",
        address: "Piazza della Repubblica 17, 20124 Milano",
        timezone: "Europe/Rome",
        date: "2023-06-19",
        start: "10:00",
        end: "13:30",
        capacity: 80,
        chains: &["textiles", "advanced-equipment"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "10:20",
                "致辞 Remarks",
                "中国驻米兰总领事馆经商室 Economic and Commercial Office, Consulate General of China in Milan",
            ),
            ("10:40", "纺织产业推介 Textile industry presentation", "华容县人民政府 Huarong County Government"),
            ("11:40", "企业对接 B2B meetings", "意大利纺织企业代表 Italian textile company representatives"),
            ("12:45", "合作意向签署 Letters of intent", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-changsha-china-africa-expo",
        title_zh: "第三届中国—非洲经贸博览会岳阳专场推介会",
        title_en: "Yueyang Session at the 3rd China–Africa Economic and Trade Expo — Changsha",
        summary_zh: "借助中非经贸博览会开展**平台招商**。推介岳阳对非贸易、农产品加工和装备出口合作，对接非洲国家参展商。",
        summary_en: "The China–Africa Economic and Trade Expo is used for **platform promotion**. Yueyang presents Africa trade, food processing and equipment export cooperation to African exhibitors.",
        city: "Changsha",
        country: "CN",
        region: "Hunan",
        venue: "长沙国际会展中心 Changsha International Convention and Exhibition Center",
        address: "湖南省长沙市长沙县黄兴大道与开元东路交汇处",
        timezone: "Asia/Shanghai",
        date: "2023-06-29",
        start: "14:00",
        end: "17:00",
        capacity: 300,
        chains: &["green-food", "advanced-equipment", "modern-logistics"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "对非合作推介 Africa cooperation presentation",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            (
                "15:10",
                "非洲国家代表发言 Remarks by African delegations",
                "非洲国家驻华使节代表 African diplomatic representatives",
            ),
            ("16:10", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    // ───────────────────────────── July ─────────────────────────────
    DemoStop {
        slug: "2023-shanghai-waic-artificial-intelligence",
        title_zh: "岳阳（上海）人工智能产业链招商推介会",
        title_en: "Yueyang Artificial Intelligence Investment Promotion Forum — Shanghai",
        summary_zh: "借世界人工智能大会期间开展**平台招商**。推介岳阳算力基础设施和工业智能化应用场景。",
        summary_en: "Held during the World Artificial Intelligence Conference as **platform promotion**. It presents Yueyang's computing infrastructure and industrial AI use cases.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海浦东丽思卡尔顿酒店 The Ritz-Carlton Shanghai, Pudong",
        address: "上海市浦东新区世纪大道8号上海国金中心",
        timezone: "Asia/Shanghai",
        date: "2023-07-07",
        start: "14:00",
        end: "17:30",
        capacity: 220,
        chains: &["artificial-intelligence", "electronic-information"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "应用场景发布 Application scenarios release",
                "岳阳市工业和信息化局 Yueyang Bureau of Industry and Information Technology",
            ),
            ("15:10", "主题演讲 Keynote", "人工智能企业代表 AI company representative"),
            ("16:20", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shenzhen-advanced-equipment",
        title_zh: "岳阳（深圳）先进装备制造产业链招商推介会",
        title_en: "Yueyang Advanced Equipment Investment Promotion Forum — Shenzhen",
        summary_zh: "依托已落户岳阳的工业自动化龙头企业开展**以商招商**。推介伺服系统、机器人和新能源汽车电驱配套项目。",
        summary_en: "**Business-to-business referral** through the industrial automation leader already operating in Yueyang. Supplier projects for servo systems, robots and electric vehicle drives are presented.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳国际会展中心 Shenzhen World Exhibition & Convention Center",
        address: "广东省深圳市宝安区福海街道展城路1号",
        timezone: "Asia/Shanghai",
        date: "2023-07-13",
        start: "14:00",
        end: "17:30",
        capacity: 260,
        chains: &["advanced-equipment", "artificial-intelligence"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "14:30",
                "配套项目推介 Supplier project presentation",
                "岳阳经开区管委会 Yueyang Economic and Technological Development Zone Administration",
            ),
            (
                "15:20",
                "龙头企业分享 Anchor company testimonial",
                "在岳龙头企业代表 Representative of a leading company based in Yueyang",
            ),
            ("16:20", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-guangzhou-industry-transfer",
        title_zh: "岳阳（广州）承接粤港澳大湾区产业转移招商推介会",
        title_en: "Yueyang Greater Bay Area Industry Relocation Forum — Guangzhou",
        summary_zh: "承接粤港澳大湾区产业转移，推介岳阳各园区标准厂房和要素保障。同步开展**乡情招商**，对接在粤岳商。",
        summary_en: "Aimed at companies relocating production out of the Greater Bay Area: ready-built factories and support in Yueyang's parks. **Hometown ties** outreach to Yueyang business people in Guangdong runs alongside.",
        city: "Guangzhou",
        country: "CN",
        region: "Guangzhou",
        venue: "广州花园酒店 The Garden Hotel Guangzhou",
        address: "广东省广州市越秀区环市东路368号",
        timezone: "Asia/Shanghai",
        date: "2023-07-18",
        start: "14:00",
        end: "17:30",
        capacity: 200,
        chains: &["textiles", "electronic-information"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            ("14:20", "园区专场推介 Park presentation", "湘阴县人民政府 Xiangyin County Government"),
            (
                "15:10",
                "产业转移政策解读 Relocation policy briefing",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            (
                "16:10",
                "岳商座谈 Yueyang entrepreneurs' roundtable",
                "广州市岳阳商会 Guangzhou Yueyang Chamber of Commerce",
            ),
            ("17:00", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shanghai-power-new-energy",
        title_zh: "岳阳（上海）电力新能源产业链招商推介会",
        title_en: "Yueyang Power and New Energy Investment Promotion Forum — Shanghai",
        summary_zh: "以**链式招商**推介岳阳风电、光伏、储能和氢能应用项目。对接长三角新能源装备和能源服务企业。",
        summary_en: "**Industry-chain promotion** of wind, solar, storage and hydrogen projects in Yueyang. Yangtze River Delta new energy equipment and energy service companies meet the Yueyang team.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海东郊宾馆 Dongjiao State Guest Hotel, Shanghai",
        address: "上海市浦东新区金科路1800号",
        timezone: "Asia/Shanghai",
        date: "2023-07-25",
        start: "14:00",
        end: "17:00",
        capacity: 180,
        chains: &["power-new-energy"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "电力新能源产业推介 Power and new energy presentation",
                "岳阳市发展和改革委员会 Yueyang Development and Reform Commission",
            ),
            ("15:10", "园区专场推介 Park presentation", "岳阳县人民政府 Yueyang County Government"),
            ("16:10", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shenzhen-hometown-return",
        title_zh: "岳阳（深圳）“湘商回归”项目推进会",
        title_en: "Yueyang Hometown-Return Projects Progress Meeting — Shenzhen",
        summary_zh: "向深圳湖南商会会员通报上半年“湘商回归”项目进展。以**乡情招商**和**以商招商**推动一批意向项目落地。",
        summary_en: "Hunan chamber members in Shenzhen hear how the first half's hometown-return projects are progressing. **Hometown ties** and **business-to-business referral** move a batch of pipeline projects toward signing.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳五洲宾馆 Shenzhen Wuzhou Guest House",
        address: "广东省深圳市福田区深南大道6001号",
        timezone: "Asia/Shanghai",
        date: "2023-07-27",
        start: "14:30",
        end: "18:00",
        capacity: 240,
        chains: &["electronic-information", "green-food"],
        agenda: &[
            ("14:30", "开幕致辞 Opening remarks", "岳阳市委书记 Party Secretary of Yueyang"),
            ("14:50", "项目进展通报 Project progress report", "岳阳市商务局局长 Director, Yueyang Bureau of Commerce"),
            ("15:40", "湘商座谈 Hunan entrepreneurs' roundtable", "深圳市湖南商会 Shenzhen Hunan Chamber of Commerce"),
            ("17:00", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    // ───────────────────────────── August ─────────────────────────────
    DemoStop {
        slug: "2023-lagos-equipment-energy",
        title_zh: "岳阳（拉各斯）装备制造与能源合作推介会",
        title_en: "Yueyang Equipment and Energy Cooperation Forum — Lagos",
        summary_zh: "岳阳经贸代表团第二次非洲行首站。推介岳阳工程机械、电力装备和新能源产品，对接尼日利亚基建与能源企业。",
        summary_en: "First stop of the delegation's second Africa tour. Construction machinery, power equipment and new energy products from Yueyang are presented to Nigerian infrastructure and energy companies.",
        city: "Lagos",
        country: "NG",
        region: "Africa",
        venue: "Eko Hotel & Suites",
        address: "Plot 1415 Adetokunbo Ademola Street, Victoria Island, Lagos",
        timezone: "Africa/Lagos",
        date: "2023-08-07",
        start: "10:00",
        end: "13:30",
        capacity: 130,
        chains: &["advanced-equipment", "power-new-energy"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "10:20",
                "致辞 Remarks",
                "中国驻拉各斯总领事馆经商室 Economic and Commercial Office, Consulate General of China in Lagos",
            ),
            (
                "10:40",
                "装备与能源推介 Equipment and energy presentation",
                "岳阳市商务局局长 Director, Yueyang Bureau of Commerce",
            ),
            ("11:40", "企业对接 B2B meetings", "尼日利亚企业代表 Nigerian company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-cairo-petrochemicals",
        title_zh: "岳阳（开罗）石化与新材料合作推介会",
        title_en: "Yueyang Petrochemicals and New Materials Cooperation Forum — Cairo",
        summary_zh: "面向埃及石化企业和中埃·泰达苏伊士经贸合作区，推介岳阳石化技术、化工新材料和双向投资合作。",
        summary_en: "For Egyptian petrochemical companies and the China-Egypt TEDA Suez Economic and Trade Cooperation Zone: Yueyang's petrochemical technology, new chemical materials and two-way investment.",
        city: "Cairo",
        country: "EG",
        region: "Africa",
        venue: "Fairmont Nile City",
        address: "Nile City Towers, 2005 B Corniche El Nil, Cairo",
        timezone: "Africa/Cairo",
        date: "2023-08-09",
        start: "10:00",
        end: "13:00",
        capacity: 100,
        chains: &["petrochemicals", "advanced-materials"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            ("10:20", "致辞 Remarks", "中国驻埃及使馆经商处 Economic and Commercial Office, Embassy of China in Egypt"),
            (
                "10:40",
                "石化产业推介 Petrochemicals presentation",
                "岳阳绿色化工高新区管委会 Yueyang Green Chemical High-Tech Zone Administration",
            ),
            (
                "11:40",
                "合作区对接 Cooperation zone matchmaking",
                "中埃·泰达苏伊士经贸合作区代表 China-Egypt TEDA Suez Zone representatives",
            ),
        ],
    },
    DemoStop {
        slug: "2023-casablanca-logistics-new-energy",
        title_zh: "岳阳（卡萨布兰卡）物流与新能源合作推介会",
        title_en: "Yueyang Logistics and New Energy Cooperation Forum — Casablanca",
        summary_zh: "推介岳阳江海联运对非物流通道和新能源汽车零部件产业。对接摩洛哥港口物流与汽车产业企业。",
        summary_en: "Yueyang's river-sea shipping route to Africa and its electric vehicle parts industry are presented. Moroccan port logistics and automotive companies meet the Yueyang team.",
        city: "Casablanca",
        country: "MA",
        region: "Africa",
        venue: "Hyatt Regency Casablanca",
        address: "Place des Nations Unies, Casablanca 20000",
        timezone: "Africa/Casablanca",
        date: "2023-08-11",
        start: "10:00",
        end: "13:00",
        capacity: 90,
        chains: &["modern-logistics", "power-new-energy"],
        agenda: &[
            ("10:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "10:20",
                "致辞 Remarks",
                "中国驻摩洛哥使馆经商处 Economic and Commercial Office, Embassy of China in Morocco",
            ),
            (
                "10:40",
                "物流通道推介 Logistics route presentation",
                "城陵矶新港区管委会 Chenglingji New Port Area Administration",
            ),
            ("11:40", "企业对接 B2B meetings", "摩洛哥企业代表 Moroccan company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shanghai-electronic-information",
        title_zh: "岳阳（上海）电子信息产业链招商推介会",
        title_en: "Yueyang Electronic Information Investment Promotion Forum — Shanghai",
        summary_zh: "以**链式招商**推介岳阳存储芯片封测、电子元器件和新型显示项目。对接长三角集成电路企业。",
        summary_en: "**Industry-chain promotion** of memory chip packaging and testing, electronic components and display projects in Yueyang. Yangtze River Delta integrated circuit companies meet the Yueyang team.",
        city: "Shanghai",
        country: "CN",
        region: "Shanghai",
        venue: "上海国际会议中心 Shanghai International Convention Center",
        address: "上海市浦东新区滨江大道2727号",
        timezone: "Asia/Shanghai",
        date: "2023-08-22",
        start: "14:00",
        end: "17:30",
        capacity: 240,
        chains: &["electronic-information", "artificial-intelligence"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市市长 Mayor of Yueyang"),
            (
                "14:30",
                "电子信息产业链推介 Electronic information chain",
                "岳阳经开区管委会 Yueyang Economic and Technological Development Zone Administration",
            ),
            (
                "15:20",
                "落户企业分享 Investor testimonial",
                "在岳电子信息企业代表 Representative of an electronics company based in Yueyang",
            ),
            ("16:30", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
    DemoStop {
        slug: "2023-shenzhen-culture-tourism",
        title_zh: "岳阳（深圳）文化旅游招商推介会",
        title_en: "Yueyang Culture and Tourism Investment Promotion Forum — Shenzhen",
        summary_zh: "结合第二届岳阳市旅游发展大会，向粤港澳大湾区文旅企业推介平江和岳阳楼—洞庭湖文旅项目。",
        summary_en: "Linked to the second Yueyang Tourism Development Conference, tourism projects in Pingjiang and around Yueyang Tower and Dongting Lake are presented to Greater Bay Area tourism companies.",
        city: "Shenzhen",
        country: "CN",
        region: "Shenzhen",
        venue: "深圳君悦酒店 Grand Hyatt Shenzhen",
        address: "广东省深圳市罗湖区宝安南路1881号",
        timezone: "Asia/Shanghai",
        date: "2023-08-24",
        start: "14:00",
        end: "17:00",
        capacity: 180,
        chains: &["culture-tourism"],
        agenda: &[
            ("14:00", "开幕致辞 Opening remarks", "岳阳市副市长 Vice Mayor of Yueyang"),
            (
                "14:20",
                "文旅资源推介 Culture and tourism resources",
                "岳阳市文化旅游广电体育局 Yueyang Bureau of Culture, Tourism, Radio, Television and Sports",
            ),
            ("15:10", "平江文旅专场 Pingjiang tourism session", "平江县人民政府 Pingjiang County Government"),
            ("16:10", "项目签约 Project signing", "签约企业代表 Signing company representatives"),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const CHAIN_SLUGS: &[&str] = &[
        "petrochemicals",
        "green-food",
        "power-new-energy",
        "textiles",
        "advanced-equipment",
        "electronic-information",
        "artificial-intelligence",
        "advanced-materials",
        "modern-logistics",
        "culture-tourism",
    ];

    fn is_date(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
    }

    fn is_time(s: &str) -> bool {
        let b = s.as_bytes();
        if b.len() != 5 || b[2] != b':' {
            return false;
        }
        if ![b[0], b[1], b[3], b[4]].iter().all(|c| c.is_ascii_digit()) {
            return false;
        }
        let hour = (b[0] - b'0') * 10 + (b[1] - b'0');
        let minute = (b[3] - b'0') * 10 + (b[4] - b'0');
        hour < 24 && minute < 60
    }

    #[test]
    fn has_43_stops() {
        assert_eq!(DEMO_ROADSHOW_STOPS.len(), 43);
    }

    #[test]
    fn slugs_are_unique_and_url_safe() {
        let mut seen = HashSet::new();
        for stop in DEMO_ROADSHOW_STOPS {
            assert!(!stop.slug.is_empty());
            assert!(
                stop.slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "bad slug {}",
                stop.slug
            );
            assert!(seen.insert(stop.slug), "duplicate slug {}", stop.slug);
        }
    }

    #[test]
    fn dates_are_in_jan_to_aug_2023_and_sorted() {
        for stop in DEMO_ROADSHOW_STOPS {
            assert!(is_date(stop.date), "bad date {} in {}", stop.date, stop.slug);
            assert!(
                stop.date >= "2023-01-01" && stop.date <= "2023-08-31",
                "date {} out of range in {}",
                stop.date,
                stop.slug
            );
            assert!(
                !(stop.date >= "2023-01-21" && stop.date <= "2023-01-27"),
                "{} falls in the Spring Festival holiday",
                stop.slug
            );
        }
        for pair in DEMO_ROADSHOW_STOPS.windows(2) {
            assert!(pair[0].date <= pair[1].date, "{} is out of order after {}", pair[1].slug, pair[0].slug);
        }
    }

    #[test]
    fn every_month_has_stops() {
        for month in ["01", "02", "03", "04", "05", "06", "07", "08"] {
            let n = DEMO_ROADSHOW_STOPS.iter().filter(|s| &s.date[5..7] == month).count();
            assert!(n >= 3, "month {} has only {} stops", month, n);
        }
    }

    #[test]
    fn end_is_after_start() {
        for stop in DEMO_ROADSHOW_STOPS {
            assert!(is_time(stop.start), "bad start {} in {}", stop.start, stop.slug);
            assert!(is_time(stop.end), "bad end {} in {}", stop.end, stop.slug);
            assert!(stop.end > stop.start, "end not after start in {}", stop.slug);
        }
    }

    #[test]
    fn chains_are_known() {
        for stop in DEMO_ROADSHOW_STOPS {
            assert!((1..=3).contains(&stop.chains.len()), "{} has {} chains", stop.slug, stop.chains.len());
            let mut seen = HashSet::new();
            for chain in stop.chains {
                assert!(CHAIN_SLUGS.contains(chain), "unknown chain {} in {}", chain, stop.slug);
                assert!(seen.insert(*chain), "duplicate chain {} in {}", chain, stop.slug);
            }
        }
    }

    #[test]
    fn capacity_is_in_range() {
        for stop in DEMO_ROADSHOW_STOPS {
            assert!((60..=400).contains(&stop.capacity), "capacity {} out of range in {}", stop.capacity, stop.slug);
        }
    }

    #[test]
    fn agenda_is_ordered_and_within_the_event() {
        for stop in DEMO_ROADSHOW_STOPS {
            assert!((3..=5).contains(&stop.agenda.len()), "{} has {} agenda items", stop.slug, stop.agenda.len());
            for (time, title, speaker) in stop.agenda {
                assert!(is_time(time), "bad agenda time {} in {}", time, stop.slug);
                assert!(
                    *time >= stop.start && *time <= stop.end,
                    "agenda time {} outside {}..{} in {}",
                    time,
                    stop.start,
                    stop.end,
                    stop.slug
                );
                assert!(!title.is_empty() && !speaker.is_empty());
            }
            for pair in stop.agenda.windows(2) {
                assert!(pair[0].0 < pair[1].0, "agenda not ascending at {} in {}", pair[1].0, stop.slug);
            }
        }
    }

    #[test]
    fn places_are_consistent() {
        for stop in DEMO_ROADSHOW_STOPS {
            assert!(
                stop.country.len() == 2 && stop.country.chars().all(|c| c.is_ascii_uppercase()),
                "bad country {} in {}",
                stop.country,
                stop.slug
            );
            match stop.country {
                "CN" => assert_eq!(stop.timezone, "Asia/Shanghai", "{}", stop.slug),
                "HK" => assert_eq!(stop.timezone, "Asia/Hong_Kong", "{}", stop.slug),
                _ => assert!(
                    stop.timezone.starts_with("Europe/") || stop.timezone.starts_with("Africa/"),
                    "unexpected zone {} in {}",
                    stop.timezone,
                    stop.slug
                ),
            }
            match stop.region {
                "Europe" => assert!(stop.timezone.starts_with("Europe/"), "{}", stop.slug),
                "Africa" => assert!(stop.timezone.starts_with("Africa/"), "{}", stop.slug),
                "Shanghai" | "Shenzhen" => {
                    assert_eq!(stop.country, "CN", "{}", stop.slug);
                    assert_eq!(stop.city, stop.region, "{}", stop.slug);
                }
                _ => {}
            }
            for text in
                [stop.title_zh, stop.title_en, stop.summary_zh, stop.summary_en, stop.city, stop.venue, stop.address]
            {
                assert!(!text.trim().is_empty(), "empty field in {}", stop.slug);
            }
        }
    }

    #[test]
    fn europe_africa_shanghai_shenzhen_dominate() {
        let count = |region: &str| DEMO_ROADSHOW_STOPS.iter().filter(|s| s.region == region).count();
        let main = count("Europe") + count("Africa") + count("Shanghai") + count("Shenzhen");
        assert!(main * 4 >= DEMO_ROADSHOW_STOPS.len() * 3, "only {} main-region stops", main);
    }
}
