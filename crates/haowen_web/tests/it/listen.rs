//! A burst of connections waits in the accept queue: hundreds of readers connecting at the same
//! moment (a hot story's 跟贴) are all taken by the kernel, even before the server accepts any.

use std::{net::TcpStream, time::Duration};

#[tokio::test]
async fn a_burst_of_connections_waits_in_the_accept_queue() {
    let listener = haowen_web::listen::listen("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("addr");
    // The kernel caps the queue at somaxconn (4096 on current kernels, 128 on old ones).
    let somaxconn: usize = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(4096);
    let burst = 300.min(somaxconn.saturating_sub(8));
    // Nothing accepts: every connection must complete its handshake into the queue. One the
    // kernel had no room for would have its SYN dropped and retried after a second, so it
    // would not connect within 800 ms (on loopback a handshake takes microseconds).
    let mut held = Vec::with_capacity(burst);
    for n in 0..burst {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(800)) {
            Ok(stream) => held.push(stream),
            Err(e) => panic!("connection {} of {burst} was not queued: {e}", n + 1),
        }
    }
    assert_eq!(held.len(), burst);
    drop(listener);
}

#[tokio::test]
async fn a_port_in_use_or_a_bad_address_is_refused() {
    let first = haowen_web::listen::listen("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = first.local_addr().expect("addr").to_string();
    assert!(
        haowen_web::listen::listen(&addr).await.is_err(),
        "{addr} is taken"
    );
    assert!(
        haowen_web::listen::listen("no-such-host.invalid:80")
            .await
            .is_err()
    );
    assert!(
        haowen_web::listen::listen("127.0.0.1").await.is_err(),
        "no port"
    );
}
