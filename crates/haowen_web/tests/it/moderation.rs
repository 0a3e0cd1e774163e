//! 举报 and takedowns over HTTP: a report reaches the queue, a takedown hides the article
//! everywhere at once with its reason (410), the creator appeals once, an editor restores, and
//! every act is in the audit log, which editors filter.

use haowen_core::account::Role;
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, creator_browser};

async fn signed_in(app: &TestApp, name: &str, role: Role) -> Browser {
    let b = Browser::new(app);
    b.sign_up(name, &format!("用户{name}"), "江城好文2026")
        .await;
    if role != Role::Reader {
        let u = app
            .store
            .user_for_sign_in(name)
            .await
            .expect("u")
            .expect("exists")
            .0;
        app.store.set_role(u.id, role, u.id).await.expect("role");
    }
    b
}

#[tokio::test]
async fn report_takedown_appeal_restore_and_the_audit_log() {
    let app = TestApp::sqlite().await;
    // A creator publishes through the studio so the article is theirs.
    let writer = creator_browser(&app, "writer_m", "江城快讯").await;
    let (status, location, body) = writer
        .post(
            "/studio/new",
            "/studio/new",
            &[
                ("title", "独家：江城明天起全城停水"),
                ("body", "据说明天全城停水，请大家囤水。"),
                ("channel", "tech"),
                ("declaration", "original"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let id: i64 = location
        .trim_start_matches("/a/")
        .parse()
        .unwrap_or_else(|_| panic!("{location}"));
    app.refresh().await;
    let (status, _) = app.get(&format!("/a/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, home) = app.get("/").await;
    assert!(home.contains("全城停水"));

    // Two readers report it; a third report by the same reader is answered plainly.
    let a = signed_in(&app, "reader_a", Role::Reader).await;
    let b = signed_in(&app, "reader_b", Role::Reader).await;
    let form = format!("/a/{id}/report");
    let (_, report_page) = a.get(&form).await;
    assert!(report_page.contains("未标注AI") && report_page.contains("侵权/抄袭"));
    let (status, _, body) = a
        .post(
            &form,
            &form,
            &[("kind", "false"), ("note", "自来水公司没有发布停水通知")],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body.contains("举报已提交") && body.contains("虚假信息"));
    let (status, _, body) = a.post(&form, &form, &[("kind", "false")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("已举报过"));
    let (status, _, body) = b.post(&form, &form, &[("kind", "nonsense")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("请选择举报类型"));
    b.post(&form, &form, &[("kind", "false")]).await;
    // Reports need a signed-in reader; unknown items are answered plainly.
    let (status, location, _) = Browser::new(&app)
        .post_raw(&form, &[("kind", "false")])
        .await;
    assert_eq!(
        (status, location.starts_with("/signin")),
        (StatusCode::SEE_OTHER, true)
    );
    let (status, body) = a.get("/comments/424242/report").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("要举报的跟贴不存在"));

    // Readers cannot see the console.
    let (status, _) = a.get("/editor/reports").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = a.get("/editor/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The editor sees it in the queue, most-reported first, and takes it down with a reason.
    let ed = signed_in(&app, "editor_e", Role::Editor).await;
    let (_, queue) = ed.get("/editor/reports?sort=most").await;
    assert!(queue.contains("全城停水") && queue.contains("被举报 2 次"));
    assert!(queue.contains("自来水公司没有发布停水通知"));
    let (status, _, body) = ed
        .post(
            "/editor/reports",
            &format!("/editor/articles/{id}/takedown"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required: {body}"
    );
    // Listed everywhere before the takedown, so that "gone" below means something (the
    // indexer applies the change feed, as the background task does every 250 ms).
    app.state.index_now().await.expect("index");
    let creator_slug = app.store.creators().await.expect("creators")[0]
        .slug
        .clone();
    let creator_path = format!("/creator/{creator_slug}");
    let link = format!("href=\"/a/{id}\"");
    for path in [
        "/",
        "/channel/tech",
        "/search?q=%E5%81%9C%E6%B0%B4",
        creator_path.as_str(),
    ] {
        // By its link: search highlights the words, so the title text is not verbatim there.
        let (_, html) = app.get(path).await;
        assert!(html.contains(&link), "{path} lists it before the takedown");
    }
    let (status, _, _) = ed
        .post(
            "/editor/reports",
            &format!("/editor/articles/{id}/takedown"),
            &[("reason", "经核实为不实信息")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Gone everywhere at once: 410 with the reason, off home, channel, creator page, hot list,
    // and search once the indexer has applied the takedown.
    app.state.index_now().await.expect("index");
    let (status, page) = app.get(&format!("/a/{id}")).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("经核实为不实信息"));
    for path in ["/", "/channel/tech", "/search?q=%E5%81%9C%E6%B0%B4"] {
        let (_, html) = app.get(path).await;
        assert!(!html.contains(&link), "{path} still lists it");
    }
    let (_, creator_page) = app.get(&creator_path).await;
    assert!(!creator_page.contains(&link));
    let (status, body) = b.get(&form).await;
    assert_eq!(
        status,
        StatusCode::GONE,
        "reporting a removed article: {body}"
    );
    let (_, queue) = ed.get("/editor/reports").await;
    assert!(queue.contains("没有待处理的举报"), "its reports closed");
    assert!(queue.contains("已下架文章") && queue.contains("经核实为不实信息"));

    // The creator sees the reason and appeals once.
    let (_, studio) = writer.get("/studio").await;
    assert!(studio.contains("已下架") && studio.contains("原因：经核实为不实信息"));
    let appeal = format!("/studio/{id}/appeal");
    let (status, _, body) = writer.post(&appeal, &appeal, &[("text", "短")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("至少 5 个字"));
    let (status, _, body) = writer
        .post(
            &appeal,
            &appeal,
            &[("text", "停水消息来自街道办的通知，附通知照片。")],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, again) = writer.get(&appeal).await;
    assert!(again.contains("正在等待编辑处理") && !again.contains("提交申诉</button>"));
    // Another reader cannot appeal someone else's article.
    let (status, _) = a.get(&appeal).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The editor restores it from the appeal; it is back at once.
    let (_, queue) = ed.get("/editor/reports").await;
    assert!(queue.contains("街道办的通知"));
    let (status, _, _) = ed
        .post(
            "/editor/reports",
            &format!("/editor/articles/{id}/restore"),
            &[("note", "申诉成立")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = app.get(&format!("/a/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, appeal_page) = writer.get(&appeal).await;
    assert!(appeal_page.contains("无需申诉"), "restored");

    // The audit log shows both acts; filters narrow it.
    let (status, log) = ed.get("/editor/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        log.contains("下架文章（article.takedown）") && log.contains("恢复文章（article.restore）")
    );
    assert!(log.contains("经核实为不实信息") && log.contains("editor_e"));
    let (_, only_restore) = ed.get("/editor/audit?action=article.restore").await;
    assert!(!only_restore.contains("article.takedown）"));
    let (_, by_target) = ed
        .get(&format!("/editor/audit?target=article%3A{id}"))
        .await;
    assert!(by_target.contains("共 2 条"));
    let (_, nobody) = ed.get("/editor/audit?actor=nobody").await;
    assert!(nobody.contains("没有符合条件的记录"));
}
