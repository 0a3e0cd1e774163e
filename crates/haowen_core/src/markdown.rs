//! Markdown → sanitized HTML for article bodies.
//!
//! Policy: CommonMark plus tables and strikethrough; a paragraph that holds only an image
//! becomes a `<figure>` whose caption is the image title (`![alt](src "caption")`); every image
//! keeps its alt text and is lazy-loaded. The result then passes through ammonia, which removes
//! scripts, event attributes, `javascript:` URLs and anything else not on its allow-list, so a
//! body is safe to embed in our pages no matter who wrote it.

use std::{collections::HashSet, sync::LazyLock};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Renders Markdown to safe HTML.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options).collect();
    let events = figures(events);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    sanitize(&raw)
}

/// Cleans untrusted HTML down to the tags an article body may use.
pub fn sanitize(raw: &str) -> String {
    BODY_POLICY.clean(raw).to_string()
}

/// The body allow-list, built once: building it per body (hash sets of tags, attributes and
/// schemes) was 1 % of an import's CPU.
static BODY_POLICY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
    .into_iter()
    .collect();
    let mut builder = ammonia::Builder::default();
    builder
        .tags(tags)
        .add_tag_attributes(
            "img",
            [
                "src", "alt", "title", "width", "height", "loading", "srcset", "sizes",
            ],
        )
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("td", ["align"])
        .add_tag_attributes("th", ["align"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow ugc"));
    builder
});

/// Replaces each paragraph that holds exactly one image with a figure and caption.
fn figures(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((figure, consumed)) = lone_image_paragraph(&events[i..]) {
            out.push(Event::Html(CowStr::from(figure)));
            i += consumed;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

/// If `events` starts with `<p><img …>alt</img></p>`, returns the figure HTML and how many
/// events it replaces.
fn lone_image_paragraph(events: &[Event<'_>]) -> Option<(String, usize)> {
    let [
        Event::Start(Tag::Paragraph),
        Event::Start(Tag::Image {
            dest_url, title, ..
        }),
        rest @ ..,
    ] = events
    else {
        return None;
    };
    let mut alt = String::new();
    let mut n = 2;
    for ev in rest {
        n += 1;
        match ev {
            Event::End(TagEnd::Image) => break,
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    if !matches!(events.get(n), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let caption = if title.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{}</figcaption>", escape(title))
    };
    let (src, size) = sized(dest_url);
    let html = format!(
        "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\"{size}{}>{caption}</figure>\n",
        escape(src),
        escape(&alt),
        responsive(src)
    );
    Some((html, n + 1))
}

/// A picture's URL without a `#WIDTHxHEIGHT` fragment (the studio writes one for uploads),
/// and the `width`/`height` attributes it gives.
fn sized(url: &str) -> (&str, String) {
    if let Some((src, frag)) = url.rsplit_once('#')
        && let Some((w, h)) = frag.split_once('x')
        && let (Ok(w), Ok(h)) = (w.parse::<u32>(), h.parse::<u32>())
        && (1..=20_000).contains(&w)
        && (1..=20_000).contains(&h)
    {
        return (src, format!(" width=\"{w}\" height=\"{h}\""));
    }
    (url, String::new())
}

/// For images uploaded to Haowen (`/media/xx/HASH-1600.jpg`), the phone-size variant as a
/// `srcset`, so phones download the 800-pixel file.
fn responsive(src: &str) -> String {
    // The demo's generated illustrations are all 800 × 450: their size is known up front.
    if src.starts_with("/media/demo/") && src.ends_with(".svg") {
        return " width=\"800\" height=\"450\"".to_string();
    }
    match src
        .strip_prefix("/media/")
        .and_then(|rest| rest.rsplit_once("-1600."))
    {
        Some((stem, ext))
            if (ext == "jpg" || ext == "png") && !stem.contains(['"', '<', '>', ' ']) =>
        {
            format!(
                " srcset=\"/media/{stem}-800.{ext} 800w, /media/{stem}-1600.{ext} 1600w\" sizes=\"(max-width: 800px) 100vw, 800px\""
            )
        }
        _ => String::new(),
    }
}

/// The first image of rendered article HTML that Haowen serves itself (a path on this site,
/// such as `/media/ab/HASH-1600.jpg`): the cover an article gets when its creator picked none.
pub fn first_image(html: &str) -> Option<String> {
    own_images(html).into_iter().next()
}

/// Every image of rendered article HTML that Haowen serves itself, in order, without repeats
/// (the studio's cover picker offers them).
pub fn own_images(html: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<img ") {
        let tag = &rest[at..];
        let end = tag.find('>').unwrap_or(tag.len());
        let tag = &tag[..end];
        if let Some(src) = tag
            .split_once(" src=\"")
            .and_then(|(_, v)| v.split_once('"'))
            .map(|(v, _)| unescape_basic(v))
            && src.starts_with('/')
            && !src.starts_with("//")
            && !found
                .iter()
                .any(|f| *f == src.split('#').next().unwrap_or(&src))
        {
            found.push(src.split('#').next().unwrap_or(&src).to_string());
        }
        rest = &rest[at + 5..];
    }
    found
}

/// Escapes text for an HTML attribute or element.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Undoes the entity escapes that our renderer and ammonia produce (for plain-text summaries).
pub fn unescape_basic(s: &str) -> String {
    const ENTITIES: [(&str, &str); 6] = [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&nbsp;", " "),
        ("&amp;", "&"),
    ];
    // One pass (six `str::replace`s were a tenth of search snippets' cost); the same result,
    // `&amp;lt;` included, since `&amp;` was replaced last.
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (text, len) = ENTITIES
            .iter()
            .find(|(entity, _)| tail.starts_with(entity))
            .map_or(("&", 1), |(entity, text)| (*text, entity.len()));
        out.push_str(text);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescaping_in_one_pass_gives_what_the_chained_replaces_gave() {
        let chained = |s: &str| {
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&nbsp;", " ")
                .replace("&amp;", "&")
        };
        for s in [
            "",
            "无实体",
            "a &lt;b&gt; &quot;c&quot; &#39;d&#39; e&nbsp;f &amp; g",
            "&amp;lt;",
            "&amp;amp;",
            "&",
            "&&",
            "末尾&",
            "&am",
            "&lt",
            "中&#39;文&amp;",
            "&unknown; &#40;",
        ] {
            assert_eq!(unescape_basic(s), chained(s), "{s}");
        }
    }

    #[test]
    fn an_uploads_size_in_the_fragment_becomes_width_and_height() {
        let html = render("![江边](/media/ab/c-1600.jpg#1600x900 \"江边\")");
        assert!(
            html.contains("src=\"/media/ab/c-1600.jpg\"")
                && html.contains("width=\"1600\" height=\"900\"")
                && html.contains("srcset="),
            "{html}"
        );
        assert!(!render("![x](/media/ab/c-1600.jpg#bad)").contains("width="));
        assert_eq!(first_image(&html).as_deref(), Some("/media/ab/c-1600.jpg"));
    }

    #[test]
    fn the_first_own_image_is_the_cover() {
        let html = render(
            "正文。\n\n![远处](https://x.example/a.png)\n\n![江边](/media/ab/c-1600.jpg)\n\n![第二](/media/demo/2.svg)",
        );
        assert_eq!(first_image(&html).as_deref(), Some("/media/ab/c-1600.jpg"));
        assert_eq!(first_image("<p>没有图</p>"), None);
        assert_eq!(first_image("<img src=\"//evil.example/x.png\">"), None);
    }

    #[test]
    fn renders_headings_quotes_lists() {
        let html = render("## 小标题\n\n正文一段。\n\n> 引用\n\n- 一\n- 二\n");
        assert!(html.contains("<h2>小标题</h2>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<li>一</li>"), "{html}");
    }

    #[test]
    fn lone_image_becomes_figure_with_caption_and_alt() {
        let html = render("![江边的晨雾](/static/demo/a.svg \"清晨的江边\")\n");
        assert!(html.contains("<figure>"), "{html}");
        assert!(html.contains("alt=\"江边的晨雾\""), "{html}");
        assert!(
            html.contains("<figcaption>清晨的江边</figcaption>"),
            "{html}"
        );
    }

    #[test]
    fn strips_scripts_event_handlers_and_javascript_links() {
        let html = render(
            "<script>alert(1)</script>\n\n[点我](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(2)\" onclick=\"x()\">a</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
    }

    #[test]
    fn uploaded_images_get_a_phone_variant() {
        let html = render("![图](/media/ab/abc123-1600.jpg \"说明\")\n");
        assert!(
            html.contains(
                r#"srcset="/media/ab/abc123-800.jpg 800w, /media/ab/abc123-1600.jpg 1600w""#
            ),
            "{html}"
        );
        let other = render("![图](https://example.com/a-1600.jpg)\n");
        assert!(!other.contains("srcset"), "{other}");
    }

    #[test]
    fn inline_image_inside_text_stays_inline() {
        let html = render("文字 ![图](/a.png) 文字\n");
        assert!(!html.contains("<figure>"), "{html}");
        assert!(html.contains("<img"), "{html}");
    }
}
