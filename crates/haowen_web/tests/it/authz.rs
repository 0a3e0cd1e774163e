//! The authorization matrix: every role against every state-changing route, with valid CSRF
//! tokens, so that only the rules decide. Runs on SQLite and PostgreSQL.

use haowen_core::account::{Role, hash_password};
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, creator_browser, seed};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Allow,
    Deny,
    SignIn,
}

const PASSWORD: &str = "江城好文2026";

/// A route, the fields it is posted with, and the expected outcome for each of the seven people.
type Row<'a> = (String, Vec<(&'a str, &'a str)>, [Outcome; 7]);

async fn signed_in(app: &TestApp, username: &str, role: Role) -> Browser {
    let hash = hash_password(PASSWORD).expect("hash");
    app.store
        .create_user(username, username, &hash, role)
        .await
        .expect("user");
    let b = Browser::new(app);
    let (status, _, _) = b
        .post(
            "/signin",
            "/signin",
            &[("username", username), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{username} signs in");
    b
}

async fn outcome(b: &Browser, token_page: &str, action: &str, fields: &[(&str, &str)]) -> Outcome {
    // Anonymous visitors have no session token; give them the double-submit one, so that the
    // route's own rule (sign in first) is what answers.
    let token = match b.get(token_page).await {
        (StatusCode::OK, html) if html.contains("name=\"_csrf\" value=\"") => {
            b.csrf(token_page).await
        }
        _ => b.csrf("/signin").await,
    };
    let mut all = fields.to_vec();
    all.push(("_csrf", &token));
    let (status, location, body) = b.post_raw(action, &all).await;
    match status {
        StatusCode::FORBIDDEN => Outcome::Deny,
        StatusCode::SEE_OTHER if location.starts_with("/signin") => Outcome::SignIn,
        // Past the rule, the state answered: a form error, or "already done" after an earlier
        // person in the row did it (a takedown twice, a comment removed twice).
        s if s.is_success()
            || s.is_redirection()
            || s == StatusCode::UNPROCESSABLE_ENTITY
            || s == StatusCode::NOT_FOUND
            || s == StatusCode::CONFLICT =>
        {
            Outcome::Allow
        }
        other => panic!("{action}: unexpected {other}: {body}"),
    }
}

async fn matrix(app: TestApp) {
    let f = seed(&app).await;
    let owner = creator_browser(&app, "owner_m", "矩阵原作者").await;
    let (_, location, _) = owner
        .post(
            "/studio/new",
            "/studio/new",
            &[
                ("title", "矩阵文章"),
                ("body", "足够长的正文内容，用于测试。"),
                ("channel", "tech"),
                ("tags", ""),
                ("declaration", "original"),
                ("action", "publish"),
            ],
        )
        .await;
    let article: i64 = location
        .trim_start_matches("/a/")
        .parse()
        .expect("article id");
    let article_str = article.to_string();
    let other = creator_browser(&app, "other_m", "矩阵别的作者").await;
    let reader = signed_in(&app, "reader_m", Role::Reader).await;
    let editor = signed_in(&app, "editor_m", Role::Editor).await;
    let admin = signed_in(&app, "admin_m", Role::Admin).await;
    let disabled = signed_in(&app, "disabled_m", Role::Reader).await;
    let disabled_user = app
        .store
        .user_for_sign_in("disabled_m")
        .await
        .expect("u")
        .expect("exists")
        .0;
    app.store
        .set_user_disabled(disabled_user.id, true)
        .await
        .expect("disable");
    let anonymous = Browser::new(&app);

    let applicant = app
        .store
        .create_user("applicant_m", "申请人", "h", Role::Reader)
        .await
        .expect("applicant");
    let channel = app.store.channel_by_slug("tech").await.expect("channel").id;
    let mut applications = Vec::new();
    for i in 0..8 {
        let name = format!("待审{i}");
        applications.push(
            app.store
                .create_application(&haowen_db::NewApplication {
                    avatar_url: String::new(),
                    user_id: applicant.id,
                    display_name: name,
                    bio: "简介简介简介".into(),
                    channel_id: channel,
                    sample: "样稿".repeat(12),
                    contact: "a@example.com".into(),
                })
                .await
                .expect("application"),
        );
    }

    use Outcome::{Allow as A, Deny as D, SignIn as S};
    let people: [(&str, &Browser); 7] = [
        ("anonymous", &anonymous),
        ("reader", &reader),
        ("owner", &owner),
        ("other creator", &other),
        ("editor", &editor),
        ("admin", &admin),
        ("disabled", &disabled),
    ];
    let edit = format!("/studio/{article}/edit");
    let article_fields: Vec<(&str, &str)> = vec![
        ("title", "改后的标题"),
        ("body", "足够长的正文内容，用于测试。"),
        ("channel", "tech"),
        ("tags", ""),
        ("declaration", "original"),
        ("action", "draft"),
    ];
    let follow = format!("/creator/{}/follow", f.writer.slug);
    let unfollow = format!("/creator/{}/unfollow", f.writer.slug);
    //            route, fields, expected per person (anonymous, reader, owner, other, editor, admin, disabled)
    let mut rows: Vec<Row> = vec![
        (
            "/studio/new".into(),
            article_fields.clone(),
            [S, D, A, A, D, D, S],
        ),
        (
            "/studio/preview".into(),
            vec![("body", "x")],
            [S, D, A, A, D, D, S],
        ),
        (edit.clone(), article_fields.clone(), [S, D, A, D, D, D, S]),
        (follow.clone(), vec![], [S, A, A, A, A, A, S]),
        (unfollow.clone(), vec![], [S, A, A, A, A, A, S]),
        (
            "/account/password".into(),
            vec![("current", "x"), ("password", "y"), ("password_again", "y")],
            [S, A, A, A, A, A, S],
        ),
        (
            "/apply".into(),
            vec![("display_name", "")],
            [S, A, D, D, A, A, S],
        ),
    ];
    // Each decision row uses its own pending application.
    let decide: Vec<String> = applications
        .iter()
        .map(|id| format!("/editor/applications/{id}"))
        .collect();
    rows.push((
        decide[0].clone(),
        vec![("decision", "reject"), ("reason", "矩阵测试")],
        [S, D, D, D, A, A, S],
    ));
    rows.push((
        "/admin/settings".into(),
        vec![("site_name", "好文")],
        [S, D, D, D, D, A, S],
    ));
    rows.push((
        format!("/admin/users/{}", applicant.id),
        vec![("role", "reader")],
        [S, D, D, D, D, A, S],
    ));
    rows.push((
        "/editor/picks".into(),
        vec![("slot", "headline"), ("article", &article_str)],
        [S, D, D, D, A, A, S],
    ));
    // 跟贴 and moderation. The comment under test is by someone outside the seven.
    let spam = app
        .store
        .add_comment(&haowen_db::NewComment {
            article_id: article,
            user_id: applicant.id,
            parent_id: None,
            body: "矩阵里的跟贴".into(),
            status: haowen_core::comment::CommentStatus::Published,
        })
        .await
        .expect("comment")
        .id;
    rows.push((
        format!("/a/{article}/comments"),
        vec![("body", "矩阵跟贴")],
        [S, A, A, A, A, A, S],
    ));
    rows.push((
        format!("/a/{article}/report"),
        vec![("kind", "other")],
        [S, A, A, A, A, A, S],
    ));
    rows.push((
        format!("/comments/{spam}/like"),
        vec![],
        [S, A, A, A, A, A, S],
    ));
    rows.push((
        format!("/comments/{spam}/pin"),
        vec![("pin", "1")],
        [S, D, A, D, D, D, S],
    ));
    rows.push((
        format!("/comments/{spam}/delete"),
        vec![("reason", "矩阵删除")],
        [S, D, D, D, A, A, S],
    ));
    rows.push((
        format!("/editor/articles/{}/takedown", f.rich),
        vec![("reason", "矩阵下架")],
        [S, D, D, D, A, A, S],
    ));
    rows.push((
        format!("/editor/articles/{}/restore", f.rich),
        vec![],
        [S, D, D, D, A, A, S],
    ));
    rows.push((
        "/admin/words".into(),
        vec![("words", "矩阵词")],
        [S, D, D, D, D, A, S],
    ));
    // The destructive ones last: unpublish, then delete.
    rows.push((
        format!("/studio/{article}/unpublish"),
        vec![],
        [S, D, A, D, D, D, S],
    ));
    rows.push((
        format!("/studio/{article}/delete"),
        vec![],
        [S, D, A, D, D, D, S],
    ));

    let mut failures = Vec::new();
    for (route, fields, expected) in &rows {
        for (i, (who, browser)) in people.iter().enumerate() {
            // Decisions consume an application per allowed person; give each its own.
            let route = if route.starts_with("/editor/applications/") {
                decide[i].clone()
            } else {
                route.clone()
            };
            // Destructive routes: only the owner's allowed call changes state, and it runs last.
            let got = outcome(browser, "/me", &route, fields).await;
            if got != expected[i] {
                failures.push(format!(
                    "{who} on {route}: expected {:?}, got {got:?}",
                    expected[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        app.store.article(article).await.expect("a").status,
        haowen_core::ArticleStatus::Deleted
    );
}

#[tokio::test]
async fn authorization_matrix_sqlite() {
    matrix(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn authorization_matrix_postgres() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    matrix(app).await;
}
