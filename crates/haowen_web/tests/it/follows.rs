//! Following creators: from a cached page (confirm), from a signed-in page (direct), 我的关注.

use reqwest::StatusCode;

use crate::support::{Browser, TestApp, seed};

#[tokio::test]
async fn a_reader_follows_from_the_article_page_and_reads_the_feed() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    // Anonymous, cached page: the follow link asks to sign in first.
    let (_, html) = app.get(&format!("/a/{}", f.rich)).await;
    let follow_link = format!(
        r#"<a class="follow-button" href="/creator/{}/follow?next=%2Fa%2F{}">+ 关注"#,
        f.writer.slug, f.rich
    );
    assert!(html.contains(&follow_link), "anonymous follow link");
    let anon = app
        .client
        .get(format!("{}/creator/{}/follow", app.base, f.writer.slug))
        .send()
        .await
        .expect("get");
    assert_eq!(anon.status(), StatusCode::SEE_OTHER);
    assert!(
        anon.headers()["location"]
            .to_str()
            .expect("loc")
            .starts_with("/signin?next=%2Fcreator%2F")
    );

    let reader = Browser::new(&app);
    reader.sign_up("reader_x", "读者小许", "江城好文2026").await;
    // Signed in: the confirmation page posts the follow, and returns to the article, which is
    // credited with the follow (a hot-ranking signal).
    let confirm = format!("/creator/{}/follow?next=%2Fa%2F{}", f.writer.slug, f.rich);
    let (_, confirm_page) = reader.get(&confirm).await;
    let action = format!(
        r#"action="/creator/{}/follow?next=%2Fa%2F{}""#,
        f.writer.slug, f.rich
    );
    assert!(confirm_page.contains(&action), "{confirm_page}");
    let (status, location, _) = reader
        .post(
            &confirm,
            &format!("/creator/{}/follow?next=/a/{}", f.writer.slug, f.rich),
            &[],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, format!("/a/{}", f.rich).as_str())
    );
    let now = haowen_core::time::now();
    let signals = app
        .store
        .hot_signals(now, 365 * 86_400, 100)
        .await
        .expect("signals");
    assert_eq!(
        signals.iter().find(|s| s.id == f.rich).map(|s| s.follows),
        Some(1)
    );
    let (_, page) = reader.get(&format!("/a/{}", f.rich)).await;
    assert!(
        page.contains("<dt>关注度</dt><dd>4</dd>"),
        "three fixture fans plus this reader"
    );
    assert!(page.contains("已关注") && page.contains("取消关注"));
    // 我的关注 lists the creator's articles, newest first, and only theirs.
    let (status, feed) = reader.get("/following").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        feed.contains("业余联赛决赛上演逆转")
            && feed.contains("第1篇测试文章")
            && feed.contains("第4篇测试文章"),
        "{feed}"
    );
    let main = &feed[feed.find("home-main").expect("main")..feed.find("home-side").expect("side")];
    assert!(
        !main.contains("第2篇测试文章"),
        "another creator's article in the feed"
    );
    assert!(feed.contains("关注的创作者（1）"));
    // Unfollow from the signed-in page (direct form, returns to the page).
    let back = format!("/a/{}", f.rich);
    let action = format!("/creator/{}/unfollow?next=%2Fa%2F{}", f.writer.slug, f.rich);
    let (status, location, _) = reader.post(&back, &action, &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, back.as_str())
    );
    let (_, page) = reader.get(&back).await;
    assert!(page.contains("<dt>关注度</dt><dd>3</dd>"));
    let (_, feed) = reader.get("/following").await;
    assert!(feed.contains("你还没有关注任何创作者"));
}

#[tokio::test]
async fn following_needs_a_signed_in_reader_and_a_token() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let reader = Browser::new(&app);
    reader.sign_up("reader_y", "读者小杨", "江城好文2026").await;
    let (status, _, _) = reader
        .post_raw(&format!("/creator/{}/follow", f.writer.slug), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF token");
    let anon = Browser::new(&app);
    let (status, location, _) = anon
        .post_raw(&format!("/creator/{}/follow", f.writer.slug), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/signin"));
    assert_eq!(
        reader.get("/creator/nobody/follow").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(anon.get("/following").await.0, StatusCode::SEE_OTHER);
}
