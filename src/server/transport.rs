//! A guard in front of tower-lsp-server's stdin codec. That codec ends the whole input stream on
//! the first undecodable message (tokio-util's `FramedRead` stops after an error), which would
//! turn one malformed message into a dead server. This task re-frames stdin itself: messages
//! whose body is a JSON object are passed on unchanged; anything else (bad headers, invalid JSON,
//! a body that is not a JSON-RPC object) is dropped with a log line on stderr.
//!
//! Invariant: when stdin closes (or fails), the pipe to the server is closed too, so the server
//! sees end of input and exits.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// Messages larger than this are skipped (read and discarded) rather than buffered.
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// Copies well-formed LSP messages from `input` to `output` until `input` ends.
pub async fn filter_messages(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut reader = BufReader::new(input);
    loop {
        // Headers: lines until an empty one.
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            // Found anywhere in the line: a body shorter than its announced length leaves its
            // tail in front of the next header, which must not lose that message too.
            const NAME: &str = "content-length:";
            if let Some(at) = line.to_ascii_lowercase().find(NAME) {
                length = line[at + NAME.len()..].trim().parse().ok();
            }
        }
        let Some(length) = length else {
            tracing::warn!("message without a valid Content-Length header ignored");
            continue;
        };
        if length > MAX_MESSAGE {
            tracing::warn!("message of {length} bytes ignored (limit {MAX_MESSAGE})");
            let mut rest = (&mut reader).take(length as u64);
            if tokio::io::copy(&mut rest, &mut tokio::io::sink()).await.is_err() {
                return;
            }
            continue;
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let valid = match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(obj)) => match obj.get("method") {
                Some(m) => {
                    m.is_string()
                        && obj
                            .get("params")
                            .is_none_or(|p| p.is_object() || p.is_array() || p.is_null())
                }
                None => obj.contains_key("id") && (obj.contains_key("result") || obj.contains_key("error")),
            },
            Ok(_) => false,
            Err(e) => {
                tracing::warn!("malformed JSON message ignored: {e}");
                continue;
            }
        };
        if !valid {
            tracing::warn!("message that is not a JSON-RPC request, notification or response ignored");
            continue;
        }
        let header = format!("Content-Length: {length}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn malformed_messages_are_dropped_and_good_ones_pass() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
        let input = format!(
            "Content-Length: 9\r\n\r\nnot json!Content-Length: 2\r\n\r\n[]X-Other: 1\r\n\r\n\
             Content-Length: 16\r\n\r\n{{\"jsonrpc\":\"2.0\"}}\
             Content-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let mut out = Vec::new();
        filter_messages(input.as_bytes(), &mut out).await;
        assert_eq!(
            String::from_utf8_lossy(&out),
            format!("Content-Length: {}\r\n\r\n{good}", good.len())
        );
    }
}
