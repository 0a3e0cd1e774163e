//! 跟贴 over HTTP: posting, 盖楼 replies, escaping, counts everywhere, hot/new order, likes,
//! deletion, pins, the length/burst/repeat limits and the sensitive-word hold.

use haowen_core::account::Role;
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, creator_browser, seed};

/// A signed-in reader.
async fn reader(app: &TestApp, name: &str) -> Browser {
    let b = Browser::new(app);
    b.sign_up(name, &format!("读者{name}"), "江城好文2026")
        .await;
    b
}

/// Posts a comment on `/a/{id}`; returns status, Location and body.
async fn comment(
    b: &Browser,
    id: i64,
    body: &str,
    parent: Option<i64>,
) -> (StatusCode, String, String) {
    let parent = parent.map(|p| p.to_string()).unwrap_or_default();
    b.post(
        &format!("/a/{id}"),
        &format!("/a/{id}/comments"),
        &[("body", body), ("parent", &parent), ("next", "/a/1")],
    )
    .await
}

/// The comment id a post redirected to (`…#c12`).
pub(crate) fn cid(location: &str) -> i64 {
    location
        .rsplit("#c")
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no comment id in {location:?}"))
}

#[tokio::test]
async fn comments_and_replies_show_quoted_escaped_and_counted_everywhere() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let a = reader(&app, "reader_a").await;
    let b = reader(&app, "reader_b").await;

    let (status, location, _) = comment(
        &a,
        f.rich,
        "<script>alert('x')</script> 好球！https://evil.example",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with(&format!("/a/{}/comments?sort=new#c", f.rich)));
    let first = cid(&location);
    let (_, location, _) = comment(&b, f.rich, "同意，最后十分钟太精彩", Some(first)).await;
    let second = cid(&location);

    // Anonymous readers see the count on the article at once (its cached pages were dropped)…
    let (_, page) = app.get(&format!("/a/{}", f.rich)).await;
    assert!(page.contains("跟贴 2</a>"), "meta line count");
    assert!(page.contains("跟贴 <span class=\"count\">(2)</span>"));
    assert!(
        page.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;")
            || page.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
            || page.contains("&lt;script&gt;"),
        "HTML is shown as text"
    );
    assert!(!page.contains("<script>alert('x')"));
    assert!(
        !page.contains("href=\"https://evil.example"),
        "links stay text"
    );
    // … and in the lists once the change poller (every second) has rebuilt the snapshot.
    assert!(
        app.state.poll_changes().await.expect("poll"),
        "the feed moved"
    );
    let (_, channel) = app.get("/channel/sports").await;
    assert!(
        channel.contains("跟贴 2"),
        "the channel list shows the count"
    );
    let (_, home) = app.get("/").await;
    assert!(home.contains("跟贴 2"), "the home lists show the count");

    // 盖楼: the reply quotes the comment it answers as floor 1.
    let (_, all) = app.get(&format!("/a/{}/comments?sort=new", f.rich)).await;
    let at = all.find(&format!("id=\"c{second}\"")).expect("reply shown");
    let reply_html = &all[at..at + all[at..].find("</li>").expect("end")];
    assert!(reply_html.contains("1楼"), "{reply_html}");
    assert!(reply_html.contains("读者reader_a"));
    // A third floor quotes both.
    let (_, location, _) = comment(&a, f.rich, "再盖一层", Some(second)).await;
    let third = cid(&location);
    let (_, all) = app.get(&format!("/a/{}/comments?sort=new", f.rich)).await;
    let at = all.find(&format!("id=\"c{third}\"")).expect("third");
    let html = &all[at..at + all[at..].find("</li>").expect("end")];
    assert!(html.contains("1楼") && html.contains("2楼"), "{html}");

    // Newest first in "new"; the one with replies and a like leads "hot".
    let pos = |html: &str, id: i64| html.find(&format!("id=\"c{id}\"")).expect("present");
    assert!(pos(&all, third) < pos(&all, first));
    b.post(
        &format!("/a/{}/comments", f.rich),
        &format!("/comments/{first}/like"),
        &[("next", "/")],
    )
    .await;
    let (_, hot) = app.get(&format!("/a/{}/comments?sort=hot", f.rich)).await;
    assert!(
        pos(&hot, first) < pos(&hot, third),
        "likes and replies make it hot"
    );
    assert!(hot.contains("赞 1"));
    // Liking twice counts once.
    b.post(
        &format!("/a/{}/comments", f.rich),
        &format!("/comments/{first}/like"),
        &[("next", "/")],
    )
    .await;
    assert_eq!(app.store.comment(first).await.expect("c").likes, 1);
    assert_eq!(app.store.comment(first).await.expect("c").replies, 1);

    // Bad sort → 400 with the way out.
    let (status, body) = app
        .get(&format!("/a/{}/comments?sort=random", f.rich))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("sort=new"));
}

#[tokio::test]
async fn only_the_author_or_an_editor_deletes_and_only_the_creator_pins() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let a = reader(&app, "reader_a").await;
    let b = reader(&app, "reader_b").await;
    let (_, location, _) = comment(&a, f.rich, "我的跟贴", None).await;
    let mine = cid(&location);
    let page = format!("/a/{}/comments", f.rich);

    // Someone else cannot delete it.
    let (status, _, body) = b
        .post(&page, &format!("/comments/{mine}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // Nor pin it (only the article's creator may).
    let (status, _, _) = b
        .post(&page, &format!("/comments/{mine}/pin"), &[("pin", "1")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An editor removes it only with a reason, which goes into the audit log.
    let ed = reader(&app, "editor_x").await;
    let ed_user = app
        .store
        .user_for_sign_in("editor_x")
        .await
        .expect("u")
        .expect("exists")
        .0;
    let admin = app
        .store
        .create_user("admin_z", "管理员", "h", Role::Admin)
        .await
        .expect("admin");
    app.store
        .set_role(ed_user.id, Role::Editor, admin.id)
        .await
        .expect("role");
    let (_, location, _) = comment(&b, f.rich, "广告：加微信", None).await;
    let spam = cid(&location);
    let (status, _, body) = ed
        .post(&page, &format!("/comments/{spam}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("删除原因"));
    let (status, _, _) = ed
        .post(
            &page,
            &format!("/comments/{spam}/delete"),
            &[("reason", "广告营销"), ("next", &page)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.article(f.rich).await.expect("a").comments, 1);

    // The author deletes their own; a second delete is answered plainly.
    let (status, _, _) = a
        .post(&page, &format!("/comments/{mine}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, body) = a
        .post(&page, &format!("/comments/{mine}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("已被删除"));
    assert_eq!(app.store.article(f.rich).await.expect("a").comments, 0);
    let (_, html) = app.get(&format!("/a/{}", f.rich)).await;
    assert!(!html.contains("我的跟贴") && !html.contains("加微信"));

    // The creator pins up to three comments (精选), shown first with a badge.
    let writer = creator_browser(&app, "writer_w", "作者甲").await;
    let writer_user = app
        .store
        .user_for_sign_in("writer_w")
        .await
        .expect("u")
        .expect("exists")
        .0;
    let own = app
        .store
        .create_article(&haowen_testkit::article(
            writer_user.creator_id.expect("creator"),
            app.store.channel_by_slug("tech").await.expect("tech").id,
            "作者甲的文章",
            "正文",
            60,
        ))
        .await
        .expect("own article");
    app.refresh().await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let (_, location, _) = comment(&b, own, &format!("第{i}条"), None).await;
        ids.push(cid(&location));
    }
    let own_page = format!("/a/{own}/comments");
    for id in &ids[..3] {
        let (status, _, _) = writer
            .post(&own_page, &format!("/comments/{id}/pin"), &[("pin", "1")])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (status, _, body) = writer
        .post(
            &own_page,
            &format!("/comments/{}/pin", ids[3]),
            &[("pin", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("最多精选 3 条"));
    let (_, html) = app.get(&format!("/a/{own}")).await;
    assert!(html.contains("精选跟贴"));
    assert_eq!(html.matches("<span class=\"badge\">精选</span>").count(), 3);
}

#[tokio::test]
async fn length_burst_and_repeat_limits_keep_the_text_and_say_why() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let a = reader(&app, "reader_a").await;
    let long = "长".repeat(1001);
    let (status, _, body) = comment(&a, f.rich, &long, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("1001 个字，最多 1000 个字"));
    assert!(body.contains(&long), "the text is kept in the form");
    let (status, _, body) = comment(&a, f.rich, "   ", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("不能为空"));

    let (status, _, _) = comment(&a, f.rich, "一样的话", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, body) = comment(&a, f.rich, "一样的话", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("请勿重复发送"));
    for i in 0..4 {
        let (status, _, _) = comment(&a, f.rich, &format!("第{i}句"), None).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (status, _, body) = comment(&a, f.rich, "第六句", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("每分钟最多 5 条"), "{body}");
    // When the next one is allowed: the oldest of the five decides (≤ 60 s away).
    let wait: i64 = body
        .split("秒后再试")
        .next()
        .and_then(|before| before.rsplit('请').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("a wait in seconds: {body}"));
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(body.contains("第六句"), "kept for later");

    // Anonymous posts go to sign-in; a missing article is answered plainly.
    let (status, location, _) = Browser::new(&app)
        .post_raw(&format!("/a/{}/comments", f.rich), &[("body", "匿名")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/signin"));
    let b = reader(&app, "reader_b").await;
    let (status, _, body) = b
        .post(
            &format!("/a/{}", f.rich),
            "/a/99999/comments",
            &[("body", "在吗")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("不存在或已下架"));
    // Replying to a comment of another article is refused.
    let (status, _, body) = comment(&b, f.rich, "跨文章回复", Some(99_999)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("你回复的跟贴"));
}

#[tokio::test]
async fn a_sensitive_word_holds_the_comment_for_review() {
    let app = TestApp::sqlite().await;
    let f = seed(&app).await;
    let admin = Browser::new(&app);
    admin.sign_up("admin_w", "管理员", "江城好文2026").await;
    let admin_user = app
        .store
        .user_for_sign_in("admin_w")
        .await
        .expect("u")
        .expect("exists")
        .0;
    app.store
        .set_role(admin_user.id, Role::Admin, admin_user.id)
        .await
        .expect("role");
    let (status, _, body) = admin
        .post(
            "/admin/words",
            "/admin/words",
            &[("words", "赌博\n代开发票")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, words_page) = admin.get("/admin/words").await;
    assert!(words_page.contains("代开发票") && words_page.contains("现有 2 个词"));
    let (status, _, body) = admin
        .post(
            "/admin/words",
            "/admin/words",
            &[("words", &"长".repeat(41))],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("第 1 行太长"));

    let a = reader(&app, "reader_a").await;
    let (status, location, _) = comment(&a, f.rich, "来玩 赌 博 网站", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.contains("posted=held"), "{location}");
    let (_, own_view) = a.get(&location).await;
    assert!(own_view.contains("编辑审核通过后才会公开"));
    assert!(own_view.contains("审核中，仅自己可见"));
    assert!(
        own_view.contains("来玩 赌 博 网站"),
        "its author sees the text"
    );
    let (_, public) = app.get(&format!("/a/{}/comments?sort=new", f.rich)).await;
    assert!(!public.contains("网站"), "others do not see it");
    assert_eq!(app.store.article(f.rich).await.expect("a").comments, 0);

    // An editor sees it in the queue with the matched word and lets it through.
    let (_, queue) = admin.get("/editor/reports").await;
    assert!(queue.contains("待审跟贴") && queue.contains("命中：赌博"));
    let held = cid(&location);
    let (status, _, _) = admin
        .post(
            "/editor/reports",
            &format!("/editor/comments/{held}/approve"),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, public) = app.get(&format!("/a/{}/comments?sort=new", f.rich)).await;
    assert!(public.contains("网站"));
    assert_eq!(app.store.article(f.rich).await.expect("a").comments, 1);
}
