//! `haowen serve [--demo]`: the web server, until Ctrl-C or SIGTERM.

use anyhow::Context;
use haowen_app::{AppConfig, Db};
use haowen_web::{AppState, app};

use crate::{commands::open_store, config::Config, demo};

pub async fn run(config: &Config, with_demo: bool) -> anyhow::Result<()> {
    // The word dictionaries load beside the database and the first snapshot, not in the first
    // reader's request.
    std::thread::spawn(haowen_search::analysis::warm_up);
    let store = open_store(config).await?;
    if with_demo {
        match demo::seed_if_empty(&store).await? {
            Some(n) => tracing::info!("demo site created: {n} articles"),
            None => tracing::info!("the database already has articles; --demo left it as it is"),
        }
    }
    let listener = haowen_web::listen::listen(&config.bind)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (is another server using it? set --bind or HAOWEN_BIND)",
                config.bind
            )
        })?;
    let addr = listener.local_addr()?;
    // With no public URL configured, links point at the address actually bound (which
    // matters for `--bind 127.0.0.1:0`).
    let public_url = if config.public_url.is_empty() {
        format!("http://{addr}")
    } else {
        config.effective_public_url()
    };
    let web = AppConfig {
        public_url,
        behind_proxy: config.behind_proxy,
        proxy_hops: config.proxy_hops,
        media_dir: config.data_dir.join("media"),
        search_dir: config.data_dir.join("search"),
        ..AppConfig::default()
    };
    let state = AppState::new(Db::new(store.clone()), web)
        .await
        .context("cannot build the first page snapshot")?;
    let background = state.spawn_background();
    if let Some(path) = state.open_setup_if_no_admin().await? {
        println!(
            "No admin yet. Create the first admin account (this link works once): {}{path}",
            state.config.public_url
        );
    }
    println!(
        "Haowen 好文 is serving http://{addr}  (database: {}; Ctrl-C stops)",
        store.backend().name()
    );
    let options = haowen_web::server::ServeOptions {
        max_connections: config.max_connections,
        header_timeout: std::time::Duration::from_secs(config.header_timeout_secs.max(1)),
        fast_lane: Some(haowen_web::fast_lane::FastLane::new(state.clone())),
    };
    haowen_web::server::serve(listener, app(state.clone()), options, shutdown_signal()).await;
    background.abort();
    // Counted reads still in memory reach the database before we exit.
    if let Err(e) = state.flush_reads().await {
        tracing::warn!(error = %e, "could not write the last read counts");
    }
    store.close().await;
    println!("Haowen stopped.");
    Ok(())
}

/// The site's router over `db`, without a listener (the in-process timings of `haowen bench`).
pub async fn router(db: Db, config: AppConfig) -> anyhow::Result<axum::Router> {
    let state = AppState::new(db, config)
        .await
        .context("cannot build the first page snapshot")?;
    Ok(app(state))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
