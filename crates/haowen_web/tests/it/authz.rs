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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// 2xx or 3xx (not to sign-in), and the probe changed.
    Allow,
    /// 422: the role rule let the person through and the form was refused on its content.
    Refused,
    /// 403.
    Deny,
    /// Sent to sign in.
    SignIn,
}

const PASSWORD: &str = "江城好文2026";
const PEOPLE: usize = 7;
/// The seven people's account names (anonymous has none).
const USERNAMES: [&str; PEOPLE] = [
    "",
    "reader_m",
    "owner_m",
    "other_m",
    "editor_m",
    "admin_m",
    "disabled_m",
];

/// A route and its fields, per person (most rows are the same for all seven; rows that
/// consume their target give each person their own).
struct Row {
    route: [String; PEOPLE],
    fields: [Vec<(String, String)>; PEOPLE],
    /// SQL selecting one text value that the action changes, per person.
    probe: [String; PEOPLE],
    expected: [Outcome; PEOPLE],
}

fn same(s: &str) -> [String; PEOPLE] {
    std::array::from_fn(|_| s.to_string())
}

fn fields(f: &[(&str, &str)]) -> [Vec<(String, String)>; PEOPLE] {
    std::array::from_fn(|_| {
        f.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    })
}

fn row(route: &str, f: &[(&str, &str)], probe: &str, expected: [Outcome; PEOPLE]) -> Row {
    Row {
        route: same(route),
        fields: fields(f),
        probe: same(probe),
        expected,
    }
}

fn count(table: &str) -> String {
    format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}")
}

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

    use Outcome::{Allow as A, Deny as D, Refused as R, SignIn as S};
    let people: [(&str, &Browser); PEOPLE] = [
        ("anonymous", &anonymous),
        ("reader", &reader),
        ("owner", &owner),
        ("other creator", &other),
        ("editor", &editor),
        ("admin", &admin),
        ("disabled", &disabled),
    ];
    let article_fields = [
        ("title", "改后的标题"),
        ("body", "足够长的正文内容，用于测试。"),
        ("channel", "tech"),
        ("tags", ""),
        ("declaration", "original"),
        ("action", "publish"),
    ];
    let draft_fields = [
        ("title", "矩阵草稿"),
        ("body", "足够长的正文内容，用于测试。"),
        ("channel", "tech"),
        ("tags", ""),
        ("declaration", "original"),
        ("action", "draft"),
    ];
    let follows = format!(
        "SELECT CAST(COUNT(*) AS TEXT) FROM follows WHERE creator_id = {}",
        f.writer.id
    );
    let article_state = format!("SELECT title || ':' || status FROM articles WHERE id = {article}");
    let per_person =
        |make: &dyn Fn(usize) -> String| -> [String; PEOPLE] { std::array::from_fn(make) };
    //  route, fields, probe, expected per person
    //  (anonymous, reader, owner, other creator, editor, admin, disabled)
    let rows: Vec<Row> = vec![
        row(
            "/studio/new",
            &draft_fields,
            &count("articles"),
            [S, D, A, A, D, D, S],
        ),
        Row {
            // A preview stores nothing: its probe is the page itself (see below).
            probe: same(""),
            ..row(
                "/studio/preview",
                &[("body", "矩阵预览")],
                "",
                [S, D, A, A, D, D, S],
            )
        },
        row(
            &format!("/studio/{article}/edit"),
            &article_fields,
            &article_state,
            [S, D, A, D, D, D, S],
        ),
        row(
            &format!("/creator/{}/follow", f.writer.slug),
            &[],
            &follows,
            [S, A, A, A, A, A, S],
        ),
        row(
            &format!("/creator/{}/unfollow", f.writer.slug),
            &[],
            &follows,
            [S, A, A, A, A, A, S],
        ),
        // A wrong current password: past the rule, refused on content.
        Row {
            probe: per_person(&|i| {
                format!(
                    "SELECT password_hash FROM users WHERE username = '{}'",
                    USERNAMES[i]
                )
            }),
            ..row(
                "/account/password",
                &[("current", "x"), ("password", "y"), ("password_again", "y")],
                "",
                [S, R, R, R, R, R, S],
            )
        },
        row(
            "/apply",
            &[("display_name", "")],
            &count("applications"),
            [S, R, D, D, R, R, S],
        ),
        Row {
            route: per_person(&|i| format!("/editor/applications/{}", applications[i])),
            probe: per_person(&|i| {
                format!(
                    "SELECT status FROM applications WHERE id = {}",
                    applications[i]
                )
            }),
            ..row(
                "",
                &[("decision", "reject"), ("reason", "矩阵测试")],
                "",
                [S, D, D, D, A, A, S],
            )
        },
        row(
            "/admin/settings",
            &[("site_name", "矩阵好文")],
            "SELECT COALESCE(MAX(value), 'default') FROM settings WHERE key = 'site_name'",
            [S, D, D, D, D, A, S],
        ),
        row(
            &format!("/admin/users/{}", applicant.id),
            &[("role", "editor")],
            &format!("SELECT role FROM users WHERE id = {}", applicant.id),
            [S, D, D, D, D, A, S],
        ),
        Row {
            fields: std::array::from_fn(|i| {
                vec![
                    ("slot".into(), "headline".into()),
                    ("article".into(), spare_articles[i].to_string()),
                ]
            }),
            ..row("/editor/picks", &[], &count("picks"), [S, D, D, D, A, A, S])
        },
        // 跟贴 and moderation.
        row(
            &format!("/a/{article}/comments"),
            &[("body", "矩阵跟贴")],
            &count("comments"),
            [S, A, A, A, A, A, S],
        ),
        row(
            &format!("/a/{article}/report"),
            &[("kind", "other")],
            &count("reports"),
            [S, A, A, A, A, A, S],
        ),
        row(
            &format!("/comments/{spam}/like"),
            &[],
            &count("comment_likes"),
            [S, A, A, A, A, A, S],
        ),
        row(
            &format!("/comments/{spam}/pin"),
            &[("pin", "1")],
            &format!(
                "SELECT CASE WHEN pinned_at IS NULL THEN 'no' ELSE 'pinned' END FROM comments WHERE id = {spam}"
            ),
            [S, D, A, D, D, D, S],
        ),
        Row {
            route: per_person(&|i| format!("/comments/{}/delete", spare_comments[i])),
            probe: per_person(&|i| {
                format!(
                    "SELECT status FROM comments WHERE id = {}",
                    spare_comments[i]
                )
            }),
            ..row("", &[("reason", "矩阵删除")], "", [S, D, D, D, A, A, S])
        },
        Row {
            route: per_person(&|i| format!("/editor/articles/{}/takedown", spare_articles[i])),
            probe: per_person(&|i| {
                format!(
                    "SELECT status FROM articles WHERE id = {}",
                    spare_articles[i]
                )
            }),
            ..row("", &[("reason", "矩阵下架")], "", [S, D, D, D, A, A, S])
        },
        Row {
            route: per_person(&|i| format!("/editor/articles/{}/restore", spare_articles[i])),
            probe: per_person(&|i| {
                format!(
                    "SELECT status FROM articles WHERE id = {}",
                    spare_articles[i]
                )
            }),
            ..row("", &[], "", [S, D, D, D, A, A, S])
        },
        row(
            "/admin/words",
            &[("words", "矩阵词")],
            &count("sensitive_words"),
            [S, D, D, D, D, A, S],
        ),
        // The destructive ones last: unpublish, then delete.
        row(
            &format!("/studio/{article}/unpublish"),
            &[],
            &article_state,
            [S, D, A, D, D, D, S],
        ),
        row(
            &format!("/studio/{article}/delete"),
            &[],
            &article_state,
            [S, D, A, D, D, D, S],
        ),
    ];

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
