//! What the search regression suite's files share: the fixtures we wrote (ten articles:
//! words inside longer words, traditional characters, a scheduled one) and small helpers.

#![allow(dead_code)] // each test file uses some of these

use haowen_search::{IndexDoc, Opened, SearchIndex, SearchQuery, WriterOptions};

pub const NOW: i64 = 1_800_000_000;

pub fn doc(id: i64, channel: i64, creator: i64, age: i64, title: &str, body: &str) -> IndexDoc {
    IndexDoc {
        id,
        channel_id: channel,
        creator_id: creator,
        published_at: NOW - age,
        title: title.into(),
        body: body.into(),
    }
}

pub fn fixtures() -> Vec<IndexDoc> {
    vec![
        doc(
            1,
            1,
            1,
            3600,
            "新款路由器评测",
            "这款路由器安装简单，信号稳定，适合家庭使用。",
        ),
        doc(
            2,
            1,
            2,
            7200,
            "工单系统上线",
            "客服后台新增了待处理工单提醒，处理速度明显加快。",
        ),
        doc(
            3,
            2,
            3,
            9000,
            "开发区项目进展",
            "今年开发区在建工程共有十二项，预计年底前完工八项。",
        ),
        doc(
            4,
            3,
            4,
            10_000,
            "中国农业发展银行发布年报",
            "中国农业发展银行今日发布年度报告，支农贷款余额继续增长。",
        ),
        doc(
            5,
            1,
            5,
            11_000,
            "程序员的测试工具箱",
            "介绍十款常用的测试工具箱软件，帮助开发者提高效率。",
        ),
        doc(
            6,
            3,
            6,
            12_000,
            "数字经济发展规划出台",
            "国务院印发数字经济发展规划，提出到二〇二五年的目标。",
        ),
        doc(
            7,
            3,
            7,
            13_000,
            "数字化转型与经济增长",
            "企业数字化转型带动了地方经济增长，专家认为前景可期。",
        ),
        doc(
            8,
            4,
            8,
            14_000,
            "香港電影節開幕",
            "第四十屆香港國際電影節今晚開幕，多部華語新片首映。",
        ),
        doc(
            9,
            5,
            9,
            15_000,
            "ＮＢＡ季后赛：湖人晋级",
            "湖人队在季后赛首轮以四比一淘汰对手，晋级第二轮。",
        ),
        // Scheduled for tomorrow: not found until then.
        doc(
            10,
            1,
            1,
            -86_400,
            "明天才发布的路由器新闻",
            "路由器安装简单的秘诀。",
        ),
    ]
}

pub fn open(dir: &std::path::Path) -> SearchIndex {
    let (index, opened) = SearchIndex::open(dir, WriterOptions::default()).expect("open");
    assert_eq!(opened, Opened::Created);
    index.add(&fixtures()).expect("add");
    index.commit(42).expect("commit");
    index
}

pub fn ids(index: &SearchIndex, text: &str) -> Vec<i64> {
    search(
        index,
        SearchQuery {
            text: text.into(),
            ..base()
        },
    )
}

pub fn base() -> SearchQuery {
    SearchQuery {
        now: NOW,
        limit: 20,
        ..SearchQuery::default()
    }
}

pub fn search(index: &SearchIndex, q: SearchQuery) -> Vec<i64> {
    index
        .search(&q)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}
