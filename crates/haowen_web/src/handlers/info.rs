//! Plain information pages: how to apply (申请入驻), what care mode and accessible browsing
//! will offer, how to report, about and contact. Their texts live here, next to the route.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::Response,
};

use crate::{AppState, error::AppError, handlers::cached, views::Chrome};

#[derive(Template)]
#[template(path = "pages/info.html")]
struct InfoPage<'a> {
    chrome: &'a Chrome,
    page_title: String,
    description: String,
    heading: &'static str,
    paragraphs: Vec<String>,
}

/// (path, heading, paragraphs). `{site}` and `{email}` are filled from the site settings.
const PAGES: &[(&str, &str, &[&str])] = &[
    (
        "apply",
        "申请入驻",
        &[
            "欢迎在{site}开设你的好文号。入驻后，你可以发表原创文章、积累关注者，并获得平台的原创保护。",
            "在线申请表将随账号功能一同上线。在此之前，请把以下材料发送至 {email}：号名称、一句话简介、头像、擅长的领域（频道），以及一到三篇代表作或作品链接。",
            "编辑会在三个工作日内审核。通过后我们会为你开通创作者中心；未通过时会说明原因，你可以修改后再次申请。",
            "入驻即表示你同意遵守平台规范：发布内容须真实、合法，转载须注明来源，使用 AI 生成或辅助创作的内容须如实标注。",
        ],
    ),
    (
        "care",
        "关怀版",
        &[
            "关怀版为老年读者和视力不便的读者设计：正文字号不小于 20 像素并可继续放大，行距更宽，对比度更高，按钮更大，版面只有一栏。",
            "关怀版不显示广告、弹窗和自动播放的内容，并支持用浏览器朗读文章。",
            "关怀版正在开发中，上线后可在每个页面顶部一键进入，选择会被记住。在此之前，你可以使用浏览器的缩放功能（Ctrl 与加号键）放大页面。",
        ],
    ),
    (
        "accessibility",
        "无障碍浏览",
        &[
            "{site}的页面可以只用键盘浏览：按 Tab 键依次经过链接，每页第一个链接“跳到正文”可以直接跳过导航。",
            "无障碍工具条正在开发中，将提供文字放大、高对比度、大号鼠标指针、阅读辅助线、纯文本视图和朗读功能，无需安装任何插件。",
            "如果你在使用读屏软件或其他辅助技术浏览本站时遇到困难，请写信至 {email} 告诉我们。",
        ],
    ),
    (
        "report",
        "举报",
        &[
            "如果你发现{site}上的内容涉及侵权/抄袭、虚假信息、色情低俗、违法违规、人身攻击、广告营销或其他问题，请告诉我们。",
            "请将文章链接、举报类型和简要说明发送至 {email}。涉及侵权的，请附上权属证明。编辑会尽快处理，并在核实后下架违规内容。",
            "在线举报入口将随跟贴与审核功能一同上线。",
        ],
    ),
    (
        "about",
        "关于我们",
        &[
            "{site}是一个自媒体资讯平台：创作者在这里发表文章，读者在这里阅读、分享、关注自己喜欢的作者。",
            "我们重视原创、尊重读者：阅读数只按真实读者计算，转载必须注明来源，AI 生成内容必须标注。",
            "平台仅提供信息存储服务，文章观点仅代表作者本人。",
        ],
    ),
    (
        "contact",
        "联系我们",
        &[
            "商务合作、意见反馈、版权问题，请发送邮件至 {email}。",
            "我们会在三个工作日内回复。",
        ],
    ),
];

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (_, heading, paragraphs) = *PAGES
        .iter()
        .find(|(p, _, _)| *p == slug)
        .ok_or(AppError::NotFound)?;
    cached(&state, format!("/{slug}"), &headers, |site| async move {
        let fill = |p: &str| {
            p.replace("{site}", &site.chrome.site_name)
                .replace("{email}", &site.chrome.contact_email)
        };
        let page = InfoPage {
            chrome: &site.chrome,
            page_title: format!("{heading} - {}", site.chrome.site_name),
            description: fill(paragraphs[0]),
            heading,
            paragraphs: paragraphs.iter().map(|p| fill(p)).collect(),
        };
        Ok(page.render()?)
    })
    .await
}

/// Paths of the information pages (for the router and the link checker in tests).
pub fn paths() -> impl Iterator<Item = &'static str> {
    PAGES.iter().map(|(p, _, _)| *p)
}
