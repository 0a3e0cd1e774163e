//! The page cache's own tests: generations, gzip and 304, per-article drops, render turns,
//! stale pages, the byte bound.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};

use super::*;

#[test]
fn entries_of_an_older_generation_are_stale_and_below_the_floor_miss() {
    let cache = PageCache::new();
    let page = |generation| Arc::new(CachedPage::new(generation, "<p>x</p>".into()));
    cache.insert("/a/1".into(), page(1));
    assert!(cache.get("/a/1", 1).is_some_and(|p| !p.is_stale()));
    assert!(
        cache.get("/a/1", 2).is_some_and(|p| p.is_stale()),
        "a newer snapshot that moved only counts: served while rendered anew"
    );
    assert!(
        cache.get("/a/1", 0).is_none(),
        "never a page from the future"
    );
    cache.drop_below(3);
    assert!(cache.is_empty());
    // A render from before the content change lands after it: never served.
    cache.insert("/a/1".into(), page(2));
    assert!(cache.get("/a/1", 3).is_none());
    cache.insert("/a/1".into(), page(3));
    assert!(cache.get("/a/1", 4).is_some_and(|p| p.is_stale()));
}

#[test]
fn serves_gzip_and_304() {
    let page = CachedPage::new(3, "<p>好文</p>".repeat(100));
    let mut req = HeaderMap::new();
    req.insert(
        header::ACCEPT_ENCODING,
        HeaderValue::from_static("br, gzip"),
    );
    let res = page.respond(&req);
    assert_eq!(
        res.headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.as_bytes()),
        Some(&b"gzip"[..])
    );
    req.insert(header::IF_NONE_MATCH, page.etag.clone());
    assert_eq!(page.respond(&req).status(), StatusCode::NOT_MODIFIED);
}

#[test]
fn dropping_an_article_drops_its_pages_in_every_mode_and_nothing_else() {
    let cache = PageCache::new();
    let keys = [
        "/a/5",
        "/a/5/comments?sort=new&page=1",
        "care24:/a/5",
        "care20:/a/5/comments?sort=hot&page=2",
        "/a/51",
        "care24:/a/50",
        "/",
        "/creator/5",
    ];
    for key in keys {
        cache.insert(key.into(), Arc::new(CachedPage::new(1, key.into())));
    }
    cache.remove_article(5);
    let left: Vec<&str> = keys
        .into_iter()
        .filter(|k| cache.get(k, 1).is_some())
        .collect();
    assert_eq!(left, ["/a/51", "care24:/a/50", "/", "/creator/5"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_missing_one_page_together_render_it_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let cache = Arc::new(PageCache::new());
    let renders = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..16)
        .map(|_| {
            let (cache, renders) = (Arc::clone(&cache), Arc::clone(&renders));
            tokio::spawn(async move {
                if cache.get("/a/7", 1).is_some() {
                    return;
                }
                let _turn = cache.render_turn("/a/7").await;
                if cache.get("/a/7", 1).is_some() {
                    return;
                }
                renders.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                cache.insert("/a/7".into(), Arc::new(CachedPage::new(1, "页".into())));
            })
        })
        .collect();
    for reader in readers {
        reader.await.expect("reader");
    }
    assert_eq!(renders.load(Ordering::SeqCst), 1);
    assert!(cache.rendering.len() == 0, "turns are given back");
}

#[test]
fn the_cache_is_bounded_by_bytes_and_counts_them_exactly() {
    let cache = PageCache::new();
    // Incompressible-ish pages of ~1 MiB each: the bound is reached long before 20,000.
    let big = |i: usize| {
        let text: String = (0..200_000u32)
            .map(|n| {
                char::from_u32(0x4E00 + (n.wrapping_mul(2_654_435_761) >> 20) % 20_000)
                    .unwrap_or('字')
            })
            .collect();
        Arc::new(CachedPage::new(1, format!("{i}{text}")))
    };
    let one = big(0).size();
    let mut inserted = 0;
    for i in 0..(MAX_BYTES / one + 10) {
        cache.insert(format!("/a/{i}"), big(i));
        inserted += 1;
        assert!(cache.bytes() <= MAX_BYTES, "never over the bound");
    }
    assert!(cache.len() < inserted, "cleared on the way");
    cache.clear();
    assert_eq!((cache.len(), cache.bytes()), (0, 0));
    cache.insert("/a/7".into(), big(1));
    cache.insert("/a/7".into(), big(2));
    cache.insert("care24:/a/7".into(), big(3));
    assert_eq!(
        cache.bytes(),
        big(2).size() + big(3).size(),
        "a replaced page is counted once"
    );
    cache.remove_article(7);
    assert_eq!((cache.len(), cache.bytes()), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_page_is_served_while_one_reader_renders_it_anew() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let cache = Arc::new(PageCache::new());
    cache.insert("/a/5".into(), Arc::new(CachedPage::new(1, "旧".into())));
    cache.insert("/a/6".into(), Arc::new(CachedPage::new(1, "别篇".into())));
    cache.mark_article_stale(5);
    assert!(cache.get("/a/5", 1).is_some_and(|p| p.is_stale()));
    assert!(cache.get("/a/6", 1).is_some_and(|p| !p.is_stale()));
    let renders = Arc::new(AtomicUsize::new(0));
    let (renderer, release) = render_held_open(&cache, "新", Arc::clone(&renders)).await;
    assert!(cache.refreshing("/a/5"));
    // Everyone else is served the old page at once, without a render of their own.
    for _ in 0..8 {
        let asked = cache.get_or_render(
            "/a/5",
            || (1, ()),
            |()| async {
                renders.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>("又一次".to_string())
            },
        );
        let page = tokio::time::timeout(std::time::Duration::from_secs(2), asked)
            .await
            .expect("served without waiting for the render")
            .expect("page");
        assert_eq!(&page.html[..], "旧".as_bytes());
    }
    release.notify_one();
    let fresh = renderer.await.expect("renderer").expect("page");
    assert_eq!(&fresh.html[..], "新".as_bytes());
    assert_eq!(renders.load(Ordering::SeqCst), 1, "one render for all");
    let next = cache
        .get_or_render("/a/5", || (1, ()), |()| async { Err::<String, ()>(()) })
        .await
        .expect("the fresh page, no render");
    assert!(!next.is_stale() && &next.html[..] == "新".as_bytes());
    assert!(!cache.refreshing("/a/5"), "the turn is given back");
}

#[tokio::test]
async fn a_failed_render_of_a_stale_page_drops_it() {
    let cache = PageCache::new();
    cache.insert("/a/5".into(), Arc::new(CachedPage::new(1, "旧".into())));
    cache.mark_article_stale(5);
    let failed = cache
        .get_or_render(
            "/a/5",
            || (1, ()),
            |()| async { Err::<String, &str>("gone") },
        )
        .await;
    assert_eq!(failed.err(), Some("gone"));
    assert!(cache.get("/a/5", 1).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_whose_article_changed_while_it_rendered_is_cached_stale() {
    let cache = Arc::new(PageCache::new());
    let renders = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (renderer, release) = render_held_open(&cache, "删除之前读到的", renders).await;
    cache.remove_article(5);
    release.notify_one();
    let page = renderer.await.expect("renderer").expect("page");
    assert!(page.is_stale(), "it may predate the removal");
    assert!(cache.get("/a/5", 1).is_some_and(|p| p.is_stale()));
    let next = cache
        .get_or_render(
            "/a/5",
            || (1, ()),
            |()| async { Ok::<_, ()>("删除之后".to_string()) },
        )
        .await
        .expect("page");
    assert_eq!(
        &next.html[..],
        "删除之后".as_bytes(),
        "the next reader renders it anew"
    );
    assert!(!next.is_stale());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_that_gives_up_leaves_no_turn_behind() {
    let cache = Arc::new(PageCache::new());
    let holder = cache.render_turn("/a/9").await;
    assert!(cache.refreshing("/a/9"));
    let waiter = {
        let cache = Arc::clone(&cache);
        tokio::spawn(async move {
            let _turn = cache.render_turn("/a/9").await;
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    waiter.abort();
    let _ = waiter.await;
    assert!(cache.rendering.try_now("/a/9").is_none(), "still held");
    drop(holder);
    assert!(!cache.refreshing("/a/9"), "nobody renders it");
    assert_eq!(cache.rendering.len(), 0, "no turn left behind");
}

/// A render of `/a/5` (generation 1) under way: started, counted in `renders`, finishing with
/// `html` once released.
async fn render_held_open(
    cache: &Arc<PageCache>,
    html: &'static str,
    renders: Arc<std::sync::atomic::AtomicUsize>,
) -> (
    tokio::task::JoinHandle<Result<Arc<CachedPage>, ()>>,
    Arc<tokio::sync::Notify>,
) {
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let release = Arc::new(tokio::sync::Notify::new());
    let task = {
        let (cache, release) = (Arc::clone(cache), Arc::clone(&release));
        tokio::spawn(async move {
            cache
                .get_or_render(
                    "/a/5",
                    || (1, ()),
                    |()| async move {
                        renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let _ = started_tx.send(());
                        release.notified().await;
                        Ok::<_, ()>(html.to_string())
                    },
                )
                .await
        })
    };
    started_rx.await.expect("render started");
    (task, release)
}
