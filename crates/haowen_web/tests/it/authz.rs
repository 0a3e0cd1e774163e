//! The authorization matrix: every role against every state-changing route, with valid CSRF
//! tokens, so that only the rules decide. Runs on SQLite and PostgreSQL.
//!
//! Each cell is proven on the stored state, not on the status alone: a probe (one SQL value
//! read through a second connection) is taken before and after the request; an allowed cell
//! must change it, every other cell must leave it as it was.

use haowen_core::account::{Role, hash_password};
use haowen_testkit::Peek;
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, creator_browser, seed};

use self::rows::{Outcome, PEOPLE, Targets, rows};

#[path = "authz_rows.rs"]
mod rows;

const PASSWORD: &str = "江城好文2026";

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

/// Posts with a valid CSRF token; returns what the rule answered, or a description of an
/// answer that fits no outcome.
async fn outcome(
    b: &Browser,
    action: &str,
    fields: &[(String, String)],
) -> Result<(Outcome, String), String> {
    // Anonymous visitors have no session token; give them the double-submit one, so that the
    // route's own rule (sign in first) is what answers.
    let token = match b.get("/me").await {
        (StatusCode::OK, html) if html.contains("name=\"_csrf\" value=\"") => b.csrf("/me").await,
        _ => b.csrf("/signin").await,
    };
    let mut all: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.push(("_csrf", &token));
    let (status, location, body) = b.post_raw(action, &all).await;
    match status {
        StatusCode::FORBIDDEN => Ok((Outcome::Deny, body)),
        StatusCode::SEE_OTHER if location.starts_with("/signin") => Ok((Outcome::SignIn, body)),
        StatusCode::UNPROCESSABLE_ENTITY => Ok((Outcome::Refused, body)),
        s if s.is_success() || s.is_redirection() => Ok((Outcome::Allow, body)),
        other => Err(format!(
            "unexpected {other}: {}",
            body.chars().take(300).collect::<String>()
        )),
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
    // Targets that an allowed action consumes: one per person.
    let mut applications = Vec::new();
    let mut spare_articles = Vec::new();
    let mut spare_comments = Vec::new();
    for i in 0..PEOPLE {
        // One pending application per person: each decision row gets its own applicant.
        let applicant_i = app
            .store
            .create_user(&format!("applicant_m{i}"), "申请人", "h", Role::Reader)
            .await
            .expect("applicant");
        applications.push(
            app.store
                .create_application(&haowen_testkit::db::NewApplication {
                    avatar_url: String::new(),
                    user_id: applicant_i.id,
                    display_name: format!("待审{i}"),
                    bio: "简介简介简介".into(),
                    channel_id: channel,
                    sample: "样稿".repeat(12),
                    contact: "a@example.com".into(),
                })
                .await
                .expect("application"),
        );
        spare_articles.push(
            app.store
                .create_article(&haowen_testkit::article(
                    f.writer.id,
                    channel,
                    &format!("矩阵备用文章{i}"),
                    "备用正文。",
                    60,
                ))
                .await
                .expect("spare article"),
        );
        spare_comments.push(
            app.store
                .add_comment(&haowen_testkit::db::NewComment {
                    article_id: article,
                    user_id: applicant.id,
                    parent_id: None,
                    body: format!("矩阵里待删的跟贴{i}"),
                    status: haowen_core::comment::CommentStatus::Published,
                })
                .await
                .expect("comment")
                .id,
        );
    }
    // The comment liked and pinned is by someone outside the seven.
    let spam = app
        .store
        .add_comment(&haowen_testkit::db::NewComment {
            article_id: article,
            user_id: applicant.id,
            parent_id: None,
            body: "矩阵里的跟贴".into(),
            status: haowen_core::comment::CommentStatus::Published,
        })
        .await
        .expect("comment")
        .id;
    app.refresh().await;

    let people: [(&str, &Browser); PEOPLE] = [
        ("anonymous", &anonymous),
        ("reader", &reader),
        ("owner", &owner),
        ("other creator", &other),
        ("editor", &editor),
        ("admin", &admin),
        ("disabled", &disabled),
    ];
    let rows = rows(&Targets {
        article,
        writer: f.writer.id,
        writer_slug: f.writer.slug.clone(),
        applicant: applicant.id,
        applications,
        spare_articles,
        spare_comments,
        spam,
    });

    let mut peek = Peek::open(&app.db).await;
    let mut failures = Vec::new();
    for row in &rows {
        for (i, (who, browser)) in people.iter().enumerate() {
            let route = &row.route[i];
            let before = if row.probe[i].is_empty() {
                String::new()
            } else {
                peek.text(&row.probe[i]).await
            };
            let got = outcome(browser, route, &row.fields[i]).await;
            let after = if row.probe[i].is_empty() {
                String::new()
            } else {
                peek.text(&row.probe[i]).await
            };
            let (got, body) = match got {
                Ok(g) => g,
                Err(e) => {
                    failures.push(format!("{who} on {route}: {e}"));
                    continue;
                }
            };
            if got != row.expected[i] {
                failures.push(format!(
                    "{who} on {route}: expected {:?}, got {got:?}",
                    row.expected[i]
                ));
                continue;
            }
            // The stored state says whether the action happened.
            let changed = if row.probe[i].is_empty() {
                // The preview: the rendered text is the result.
                body.contains("矩阵预览")
            } else {
                before != after
            };
            if changed != (got == Outcome::Allow) {
                failures.push(format!(
                    "{who} on {route}: answered {got:?} but the state {} ({before} → {after})",
                    if changed { "changed" } else { "did not change" }
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
