//! A signed-in reader's article page without a full render.
//!
//! For a plain reader the page differs from everyone else's in three places only: their name
//! in the header, their CSRF token in the forms (跟贴, likes, follow), and whether they follow the
//! creator. So the page is rendered once per article, display mode and follow state for a
//! stand-in reader whose name and token are marks, kept in the page cache (dropped with the
//! article's other pages), and served with the reader's name and token put in place of the
//! marks. A reader for whom more differs — an editor or creator (more actions), or someone who
//! wrote or liked any of the article's 跟贴 (own, liked, held comments) — gets the full render.
//! `viewer_on_article` decides (activity, follow state; remembered by the store).

use std::sync::Arc;

use axum::{
    http::{HeaderValue, header},
    response::Response,
};
use bytes::Bytes;
use haowen_core::account::{Role, User};

use crate::{AppState, auth::Viewer, error::AppError, page_cache::CachedPage, ui::Ui};

/// Stand-ins for the reader's name and token (plain ASCII: escaping leaves them alone), both
/// starting with [`MARK_PREFIX`] so one pass over the page finds them.
const NAME_MARK: &str = "hw-reader-name-4f1c";
const CSRF_MARK: &str = "hw-reader-csrf-4f1c";
const MARK_PREFIX: &str = "hw-reader-";

/// The page for a signed-in reader from the shared rendering, or `None` when this reader needs
/// the full render.
pub async fn spliced(state: &AppState, ui: &Ui, id: i64) -> Result<Option<Response>, AppError> {
    let Some(viewer) = &ui.viewer else {
        return Ok(None);
    };
    let user = &viewer.user;
    if user.role != Role::Reader || user.creator_id.is_some() {
        return Ok(None);
    }
    let (active, following) = state.db.viewer_on_article(user.id, id).await?;
    if active {
        return Ok(None);
    }
    let key = format!(
        "signed{}{}:/a/{id}",
        u8::from(following),
        ui.cache_prefix().trim_end_matches(':')
    );
    let page = shared_page(state, ui, &key, id, following).await?;
    let name = haowen_core::markdown::escape(&user.display_name);
    let html = splice(&page.html, &viewer.csrf, &name);
    let mut res = Response::new(axum::body::Body::from(html));
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(Some(res))
}

/// The shared rendering with the marks replaced, in one pass over its bytes: no UTF-8 check
/// (the page was a `String`; the marks and what replaces them are whole strings) and one search
/// for both marks. `str::from_utf8` and two `str::replace` were 35 % of the server's CPU for a
/// signed-in reader (perf, wrk -c64 on the demo's /a/1).
fn splice(html: &Bytes, csrf: &str, name: &str) -> Bytes {
    let mut out = bytes::BytesMut::with_capacity(html.len() + 4 * name.len() + 64);
    let mut at = 0;
    for hit in memchr::memmem::find_iter(html, MARK_PREFIX.as_bytes()) {
        if hit < at {
            continue;
        }
        let rest = &html[hit..];
        let (value, len) = if rest.starts_with(CSRF_MARK.as_bytes()) {
            (csrf, CSRF_MARK.len())
        } else if rest.starts_with(NAME_MARK.as_bytes()) {
            (name, NAME_MARK.len())
        } else {
            continue;
        };
        out.extend_from_slice(&html[at..hit]);
        out.extend_from_slice(value.as_bytes());
        at = hit + len;
    }
    out.extend_from_slice(&html[at..]);
    out.freeze()
}

/// The stand-in rendering from the cache, rendered once for everyone asking at the moment.
async fn shared_page(
    state: &AppState,
    ui: &Ui,
    key: &str,
    id: i64,
    following: bool,
) -> Result<Arc<CachedPage>, AppError> {
    state
        .pages
        .get_or_render(
            key,
            || crate::handlers::site_now(state),
            |site| super::article::render(stand_in(ui), state.clone(), site, id, Some(following)),
        )
        .await
}

/// `ui` with a stand-in plain reader (no id of any real account: nothing of theirs is found).
fn stand_in(ui: &Ui) -> Ui {
    let mut ui = ui.clone();
    ui.csrf = CSRF_MARK.to_string();
    ui.viewer = Some(Viewer {
        user: User {
            id: 0,
            username: String::new(),
            display_name: NAME_MARK.to_string(),
            role: Role::Reader,
            disabled: false,
            creator_id: None,
            created_at: 0,
        },
        csrf: CSRF_MARK.to_string(),
        token_digest: String::new(),
    });
    ui
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_puts_the_reader_in_place_of_every_mark_and_nothing_else() {
        let page = format!(
            "<p>你好，{NAME_MARK}</p><input value=\"{CSRF_MARK}\">hw-reader-other 文字\
             <input value=\"{CSRF_MARK}\">{NAME_MARK}"
        );
        let out = splice(&Bytes::from(page), "tok123", "李&lt;四&gt;");
        assert_eq!(
            std::str::from_utf8(&out).expect("utf-8"),
            "<p>你好，李&lt;四&gt;</p><input value=\"tok123\">hw-reader-other 文字\
             <input value=\"tok123\">李&lt;四&gt;"
        );
        assert_eq!(
            splice(&Bytes::from("没有标记"), "t", "n"),
            Bytes::from("没有标记")
        );
    }
}
