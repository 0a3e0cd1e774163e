//! The article page's 查看全部跟贴 link: shown exactly when more unpinned 跟贴 exist than the
//! page shows (5), pinned ones apart — counted without walking every comment of the story.

use reqwest::StatusCode;

use crate::support::{Browser, TestApp, creator_browser, seed};

async fn comment(b: &Browser, id: i64, body: &str) -> i64 {
    let (status, location, page) = b
        .post(
            &format!("/a/{id}"),
            &format!("/a/{id}/comments"),
            &[("body", body), ("next", "/a/1")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    crate::comments::cid(&location)
}

async fn more_link(app: &TestApp, id: i64) -> Option<String> {
    let (status, html) = app.get(&format!("/a/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let at = html.find("<p class=\"all-comments\">")?;
    let link = &html[at..];
    Some(link[..link.find("</p>").expect("closed")].to_string())
}

#[tokio::test]
async fn the_all_comments_link_counts_unpinned_comments_beyond_the_five_shown() {
    let app = TestApp::sqlite().await;
    seed(&app).await;
    let writer = creator_browser(&app, "writer_m", "作者乙").await;
    let creator_id = app
        .store
        .user_for_sign_in("writer_m")
        .await
        .expect("user")
        .expect("exists")
        .0
        .creator_id
        .expect("creator");
    let channel = app.store.channel_by_slug("tech").await.expect("tech").id;
    let id = app
        .store
        .create_article(&haowen_testkit::article(
            creator_id,
            channel,
            "跟贴很多的文章",
            "正文",
            60,
        ))
        .await
        .expect("article");
    app.refresh().await;
    // Each reader may post five 跟贴 a minute: three share the nine.
    let mut readers = Vec::new();
    for n in 0..3 {
        let b = Browser::new(&app);
        b.sign_up(&format!("many_{n}"), &format!("读者{n}"), "江城好文2026")
            .await;
        readers.push(b);
    }
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(comment(&readers[i / 4], id, &format!("第{i}条跟贴")).await);
    }
    assert_eq!(more_link(&app, id).await, None, "five are all shown");
    ids.push(comment(&readers[1], id, "第5条跟贴").await);
    let link = more_link(&app, id).await.expect("a sixth one is not shown");
    assert!(link.contains("查看全部 6 条跟贴"), "{link}");

    // Three pinned (精选) are shown apart: three unpinned remain, all on the page.
    for c in &ids[..3] {
        let (status, _, _) = writer
            .post(
                &format!("/a/{id}/comments"),
                &format!("/comments/{c}/pin"),
                &[("pin", "1")],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    assert_eq!(more_link(&app, id).await, None, "3 pinned + 3 shown");
    // Nine published, three of them pinned: six unpinned, one more than the page shows.
    for i in 6..9 {
        comment(&readers[2], id, &format!("第{i}条跟贴")).await;
    }
    let link = more_link(&app, id).await.expect("six unpinned");
    assert!(link.contains("查看全部 9 条跟贴"), "{link}");
}
