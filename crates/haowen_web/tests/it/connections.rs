//! One visitor cannot hold the server's connections: idle and slow (slowloris) connections are
//! closed after the request-head timeout, and at the connection cap a newcomer closes the
//! oldest idle connection — so a reader is still served while an attacker holds the cap.

use std::time::{Duration, Instant};

use haowen_web::server::{ServeOptions, serve};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::support::TestApp;

/// Serves the app on a new port with `options`; returns its address.
async fn serve_with(app: &TestApp, options: ServeOptions) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(serve(
        listener,
        haowen_web::app(app.state.clone()),
        options,
        std::future::pending(),
    ));
    addr
}

async fn get_healthz(addr: std::net::SocketAddr) -> Result<(u16, Duration), String> {
    let started = Instant::now();
    let res = reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    Ok((res.status().as_u16(), started.elapsed()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_is_served_while_idle_connections_fill_the_cap() {
    let app = TestApp::sqlite().await;
    let addr = serve_with(
        &app,
        ServeOptions {
            max_connections: 64,
            header_timeout: Duration::from_secs(30),
            ..ServeOptions::default()
        },
    )
    .await;
    // Three times the cap, opened and left silent — every other one after sending the first
    // bytes of a request head (which a graceful close would leave open until the timeout).
    let mut idle = Vec::new();
    for i in 0..192 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        if i % 2 == 1 {
            s.write_all(b"GET / HT").await.expect("partial head");
        }
        idle.push(s);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, took) = get_healthz(addr).await.expect("a reader gets an answer");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "answered in {took:?}");
    // The oldest idle connections were closed to make room, partial heads included.
    let mut closed = 0;
    for s in idle.iter_mut().take(128) {
        let mut buf = [0u8; 1];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_millis(50), s.read(&mut buf)).await
        {
            closed += 1;
        }
    }
    assert!(
        closed >= 120,
        "only {closed} of the 128 oldest were closed at the cap"
    );
}

#[tokio::test]
async fn slow_and_silent_connections_are_closed_after_the_head_timeout() {
    let app = TestApp::sqlite().await;
    let addr = serve_with(
        &app,
        ServeOptions {
            max_connections: 1000,
            header_timeout: Duration::from_secs(1),
            ..ServeOptions::default()
        },
    )
    .await;
    // Silent: never sends a byte.
    let mut silent = TcpStream::connect(addr).await.expect("connect");
    // Slowloris: a request line, then a header byte now and then, never the blank line.
    let mut slow = TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    let drip = async {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if slow.write_all(b"X-a: b\r\n").await.is_err() {
                return started.elapsed();
            }
        }
        started.elapsed()
    };
    let dripped_until = drip.await;
    let mut buf = [0u8; 64];
    let silent_end = tokio::time::timeout(Duration::from_secs(3), silent.read(&mut buf)).await;
    assert!(
        matches!(silent_end, Ok(Ok(0)) | Ok(Err(_))),
        "the silent connection is closed: {silent_end:?}"
    );
    assert!(
        dripped_until < Duration::from_secs(4),
        "the slow connection was cut off after {dripped_until:?}"
    );
}
