//! A light client for the benchmark's writers: one keep-alive connection per writer, the form
//! POST written and the response read by hand. The writers share the two cores with the
//! server and wrk; through reqwest each 跟贴 cost the benchmark ~170 µs of CPU (17 % of a core
//! at 1,000 a second), taken from the reads that "reads under writes" measures.

use std::io;

use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

/// Posts forms to one path of one server.
pub struct Poster {
    /// `host:port`.
    addr: String,
    path: String,
    stream: Option<BufReader<TcpStream>>,
}

impl Poster {
    /// For `base` (`http://host:port`) and `path`.
    pub fn new(base: &str, path: &str) -> Poster {
        Poster {
            addr: base
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .into(),
            path: path.into(),
            stream: None,
        }
    }

    /// POSTs `fields` (form-encoded) with `cookie`; the response's status. A kept-alive
    /// connection the server has closed meanwhile is replaced once.
    pub async fn post(&mut self, cookie: &str, fields: &[(&str, &str)]) -> io::Result<u16> {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.path,
            self.addr,
            body.len()
        );
        let reused = self.stream.is_some();
        match self.exchange(&request).await {
            Err(_) if reused => {
                self.stream = None;
                self.exchange(&request).await
            }
            other => other,
        }
    }

    async fn exchange(&mut self, request: &str) -> io::Result<u16> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(&self.addr).await?;
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::new(stream));
        }
        let Some(stream) = self.stream.as_mut() else {
            return Err(io::ErrorKind::NotConnected.into());
        };
        let result = async {
            stream.get_mut().write_all(request.as_bytes()).await?;
            read_response(stream).await
        }
        .await;
        match result {
            Ok((status, keep_alive)) => {
                if !keep_alive {
                    self.stream = None;
                }
                Ok(status)
            }
            Err(e) => {
                self.stream = None;
                Err(e)
            }
        }
    }
}

/// Reads one response (status line, headers, a sized or chunked body): its status and whether
/// the connection stays open.
async fn read_response(stream: &mut BufReader<TcpStream>) -> io::Result<(u16, bool)> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("status line"))?;
    let (mut length, mut chunked, mut keep_alive) = (0usize, false, true);
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').ok_or_else(|| bad("header"))?;
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().map_err(|_| bad("content-length"))?,
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => keep_alive = !value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    if chunked {
        loop {
            line.clear();
            stream.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16).map_err(|_| bad("chunk size"))?;
            skip(stream, size + 2).await?;
            if size == 0 {
                break;
            }
        }
    } else {
        skip(stream, length).await?;
    }
    Ok((status, keep_alive))
}

async fn skip(stream: &mut BufReader<TcpStream>, n: usize) -> io::Result<()> {
    let copied = tokio::io::copy(&mut stream.take(n as u64), &mut tokio::io::sink()).await?;
    if copied < n as u64 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

/// Everything but the unreserved characters of RFC 3986 is percent-encoded.
const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a form name or value (ours: Chinese text, tokens).
fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, RESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::{io::AsyncReadExt, net::TcpListener};

    /// Answers each request on each connection with the next of `answers` (closing the
    /// connection after one that says so); returns the requests' bodies.
    async fn serve(listener: TcpListener, answers: Vec<&'static str>) -> Vec<String> {
        let mut answers = answers.into_iter();
        let mut bodies = Vec::new();
        'connections: loop {
            let Ok((socket, _)) = listener.accept().await else {
                break;
            };
            let mut socket = BufReader::new(socket);
            loop {
                let mut head = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if socket.read_line(&mut line).await.expect("read") == 0 {
                        continue 'connections;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().expect("length");
                    }
                    head.push_str(&line);
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; length];
                socket.read_exact(&mut body).await.expect("body");
                bodies.push(String::from_utf8(body).expect("utf-8"));
                let Some(answer) = answers.next() else {
                    return bodies;
                };
                socket
                    .get_mut()
                    .write_all(answer.as_bytes())
                    .await
                    .expect("write");
                if answers.len() == 0 {
                    return bodies;
                }
                if answer.contains("Connection: close") {
                    continue 'connections;
                }
            }
        }
        bodies
    }

    #[tokio::test]
    async fn statuses_come_back_through_sized_chunked_and_closed_responses() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let server = tokio::spawn(serve(
            listener,
            vec![
                "HTTP/1.1 303 See Other\r\nLocation: /a/1\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 5\r\nConnection: close\r\n\r\nslow!",
                "HTTP/1.1 303 See Other\r\nContent-Length: 0\r\n\r\n",
            ],
        ));
        let mut poster = Poster::new(&base, "/a/1/comments");
        let mut got = Vec::new();
        for _ in 0..4 {
            got.push(
                poster
                    .post("hw_session=t", &[("body", "好文 & 跟贴")])
                    .await
                    .expect("post"),
            );
        }
        assert_eq!(got, vec![303, 200, 429, 303]);
        drop(poster);
        let bodies = server.await.expect("server");
        assert_eq!(
            bodies[0],
            "body=%E5%A5%BD%E6%96%87%20%26%20%E8%B7%9F%E8%B4%B4"
        );
    }
}
