//! A signed-in reader's article page comes from a shared rendering with their name, token and
//! follow state put in place — exactly what a full render would show them.

use reqwest::StatusCode;

use crate::support::{Browser, TestApp, seed};

const MARKS: [&str; 2] = ["hw-reader-name-4f1c", "hw-reader-csrf-4f1c"];

async fn reader(app: &TestApp, username: &str, name: &str) -> Browser {
    let b = Browser::new(app);
    b.sign_up(username, name, "江城好文2026").await;
    b
}

/// Every `_csrf` value in a page.
fn tokens(html: &str) -> Vec<&str> {
    html.match_indices("name=\"_csrf\" value=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').expect("end")]
        })
        .collect()
}

#[tokio::test]
async fn each_reader_sees_their_own_name_token_and_follow_state() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let path = format!("/a/{}", f.rich);
    let a = reader(&app, "splice_a", "读者<甲>").await;
    let b = reader(&app, "splice_b", "读者乙").await;
    let (status, page_a) = a.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page_b) = b.get(&path).await;
    for (page, name, other) in [
        (&page_a, "读者&lt;甲&gt;", "读者乙"),
        (&page_b, "读者乙", "读者&lt;甲&gt;"),
    ] {
        assert!(page.contains(&format!(r#"class="account-link" href="/me">{name}</a>"#)));
        assert!(!page.contains(other), "never another reader's name");
        for mark in MARKS {
            assert!(!page.contains(mark), "no stand-in left: {mark}");
        }
        assert!(
            page.contains(r#"id="comment-form""#),
            "the 跟贴 form, not the sign-in prompt"
        );
        assert!(page.contains(r#"class="follow-form""#));
    }
    assert!(!page_a.contains("<甲>"), "the name is escaped");
    let (ta, tb) = (tokens(&page_a), tokens(&page_b));
    assert!(!ta.is_empty() && !tb.is_empty());
    assert!(ta.iter().all(|t| *t == ta[0]) && tb.iter().all(|t| *t == tb[0]));
    assert_ne!(ta[0], tb[0], "each reader's own token");
    assert_eq!(ta[0], a.csrf(&path).await);

    // The token works: following from the page, and the page then shows the other state.
    let (status, _, _) = a
        .post(
            &path,
            &format!("/creator/{}/follow?next={path}", f.writer.slug),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, after) = a.get(&path).await;
    let (_, still) = b.get(&path).await;
    assert_ne!(
        after.contains("/unfollow"),
        still.contains("/unfollow"),
        "a follows now, b does not"
    );
    assert!(after.contains("/unfollow"));

    // Care mode is its own rendering, with the same splicing.
    let (_, care) = a.get(&format!("{path}?care=1")).await;
    assert!(care.contains(r#"class="care care-"#) && care.contains("读者&lt;甲&gt;"));
    assert!(!care.contains(MARKS[1]));

    // After a 跟贴 the reader gets the full render, with their comment marked as theirs.
    let (status, _, _) = a
        .post(
            &path,
            &format!("{path}/comments"),
            &[("body", "拼接之后的第一条跟贴")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, mine) = a.get(&path).await;
    assert!(mine.contains("拼接之后的第一条跟贴"));
    let (_, theirs) = b.get(&path).await;
    assert!(
        theirs.contains("拼接之后的第一条跟贴"),
        "b's shared rendering was dropped"
    );
    assert!(!theirs.contains(MARKS[0]) && theirs.contains("读者乙"));
}
