//! The authorization matrix's table (`authz.rs` runs it): each state-changing route, the
//! fields it is posted with, the SQL probe that shows whether it acted, and the outcome
//! expected for each of the seven people.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx or 3xx (not to sign-in), and the probe changed.
    Allow,
    /// 422: the role rule let the person through and the form was refused on its content.
    Refused,
    /// 403.
    Deny,
    /// Sent to sign in.
    SignIn,
}

pub const PEOPLE: usize = 7;
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
pub struct Row {
    pub route: [String; PEOPLE],
    pub fields: [Vec<(String, String)>; PEOPLE],
    /// SQL selecting one text value that the action changes, per person.
    pub probe: [String; PEOPLE],
    pub expected: [Outcome; PEOPLE],
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

/// What the rows act on, made by the matrix's setup.
pub struct Targets {
    pub article: i64,
    pub writer: i64,
    pub writer_slug: String,
    pub applicant: i64,
    /// One of each per person: an allowed action consumes its target.
    pub applications: Vec<i64>,
    pub spare_articles: Vec<i64>,
    pub spare_comments: Vec<i64>,
    /// The comment liked and pinned, by someone outside the seven.
    pub spam: i64,
}

/// The rows, in the order they run (the destructive ones last).
pub fn rows(t: &Targets) -> Vec<Row> {
    use Outcome::{Allow as A, Deny as D, Refused as R, SignIn as S};
    let (article, spam) = (t.article, t.spam);
    let (applications, spare_articles, spare_comments) =
        (&t.applications, &t.spare_articles, &t.spare_comments);
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
        t.writer
    );
    let article_state = format!("SELECT title || ':' || status FROM articles WHERE id = {article}");
    let per_person =
        |make: &dyn Fn(usize) -> String| -> [String; PEOPLE] { std::array::from_fn(make) };
    //  route, fields, probe, expected per person
    //  (anonymous, reader, owner, other creator, editor, admin, disabled)
    vec![
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
            &format!("/creator/{}/follow", t.writer_slug),
            &[],
            &follows,
            [S, A, A, A, A, A, S],
        ),
        row(
            &format!("/creator/{}/unfollow", t.writer_slug),
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
            &format!("/admin/users/{}", t.applicant),
            &[("role", "editor")],
            &format!("SELECT role FROM users WHERE id = {}", t.applicant),
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
    ]
}
