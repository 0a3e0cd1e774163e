//! Plain information pages: how to apply (申请入驻), what care mode and accessible browsing
//! will offer, how to report, about and contact. Their texts live here, next to the route.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::Response,
};

use crate::{AppState, error::AppError, handlers::cached, ui::Ui};
use haowen_app::page_data::Chrome;

#[derive(Template)]
#[template(path = "pages/info.html")]
struct InfoPage<'a> {
    chrome: &'a Chrome,
    ui: Ui,
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
            "关怀版为老年读者和视力不便的读者设计：正文字号从 20 像素起，可以一直放大到 32 像素；行距更宽，文字与背景的对比度不低于 7:1；每个按钮和链接都至少有 60 × 60 像素，手指一点就中；版面只有一栏，导航只保留常用频道。",
            "关怀版没有广告、弹窗、轮播和自动播放的内容，也不会提示下载应用。文章页有“朗读全文”按钮，用浏览器自带的语音朗读文章。",
            "每个页面顶部都有“进入关怀版”链接，按 Tab 键两次即可到达。进入后，页面顶部有“放大字号”“缩小字号”两个按钮调整文字大小；你的选择会被记住，下次打开仍是关怀版。点“退出关怀版”即可回到普通版。",
            "想把关怀版分享给家人？在任意网址后加上 ?care=1，打开的就是关怀版。",
        ],
    ),
    (
        "accessibility",
        "无障碍浏览",
        &[
            "点击每个页面顶部的“无障碍浏览”，会打开无障碍工具条：文字放大与缩小、高对比度、大鼠标、阅读辅助线、纯文本视图和朗读。设置会保存在本机浏览器中。工具条可以完全用键盘操作：左右方向键在按钮间移动，Esc 键关闭。",
            "{site}的页面可以只用键盘浏览：按 Tab 键依次经过链接，每页第一个链接“跳到正文”可以直接跳过导航；焦点位置始终有醒目的边框。页面在 320 像素宽的屏幕上无需横向滚动，文字放大到 200% 也不会丢失内容。",
            "我们按照 WCAG 2.2 AA 和工业和信息化部《互联网网站适老化通用设计规范》设计和测试页面。如果你在使用读屏软件或其他辅助技术浏览本站时遇到困难，请写信至 {email} 告诉我们。",
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
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (_, heading, paragraphs) = *PAGES
        .iter()
        .find(|(p, _, _)| *p == slug)
        .ok_or(AppError::NotFound)?;
    let page_ui = ui.clone();
    cached(
        &state,
        &ui,
        format!("/{slug}"),
        &headers,
        |site| async move {
            let fill = |p: &str| {
                p.replace("{site}", &site.chrome.site_name)
                    .replace("{email}", &site.chrome.contact_email)
            };
            let page = InfoPage {
                chrome: &site.chrome,
                ui: page_ui,
                page_title: format!("{heading} - {}", site.chrome.site_name),
                description: fill(paragraphs[0]),
                heading,
                paragraphs: paragraphs.iter().map(|p| fill(p)).collect(),
            };
            Ok(page.render()?)
        },
    )
    .await
}

/// Paths of the information pages (for the router and the link checker in tests).
pub fn paths() -> impl Iterator<Item = &'static str> {
    PAGES.iter().map(|(p, _, _)| *p)
}

/// Renders an information page with any heading and paragraphs (status pages reuse it).
pub fn render_page(
    chrome: &Chrome,
    ui: &Ui,
    heading: &'static str,
    paragraphs: Vec<String>,
) -> Result<String, AppError> {
    Ok(InfoPage {
        chrome,
        ui: ui.clone(),
        page_title: format!("{heading} - {}", chrome.site_name),
        description: paragraphs.first().cloned().unwrap_or_default(),
        heading,
        paragraphs,
    }
    .render()?)
}
