//! The listening socket, with an accept queue as deep as nginx's (`listen … backlog=`): a
//! burst of new connections waits in the kernel's queue while the server is busy, instead of
//! overflowing it. `TcpListener::bind` asks for 128: when 200 readers posted a comment at the
//! same moment, the kernel dropped the handshakes past the 128th (`ListenOverflows`) and those
//! readers waited for their SYN to be sent again — a second later.

use std::io;

use tokio::net::{TcpListener, TcpSocket};

/// Connections the kernel may hold completed but not yet accepted (it caps this at
/// `net.core.somaxconn`, 4096 on current kernels).
pub const ACCEPT_BACKLOG: u32 = 4096;

/// Listens on `bind` (`host:port`; the first of its addresses that can be bound).
pub async fn listen(bind: &str) -> io::Result<TcpListener> {
    let mut last = None;
    for addr in tokio::net::lookup_host(bind).await? {
        let socket = if addr.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        // As `TcpListener::bind` does: a restarted server can bind its port at once, while a
        // port another server listens on is still refused.
        socket.set_reuseaddr(true)?;
        match socket.bind(addr) {
            Ok(()) => return socket.listen(ACCEPT_BACKLOG),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{bind} names no address"),
        )
    }))
}
