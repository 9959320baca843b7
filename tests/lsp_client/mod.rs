//! A small synchronous JSON-RPC/LSP client driving the real `newsls serve` over stdio, shared by
//! the end-to-end tests and the latency benchmark. Server-to-client requests (progress tokens,
//! registrations, configuration) are answered; notifications are kept for inspection.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Lsp {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    pub notifications: Vec<Value>,
    pub server_requests: Vec<Value>,
    /// The answer given to `workspace/configuration`.
    pub settings: Value,
    /// How long to wait for a response or notification.
    pub timeout: Duration,
}

pub fn file_uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Lsp {
    /// Starts `newsls serve` with the given extra environment.
    pub fn spawn(env: &[(&str, &str)]) -> Lsp {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsls"));
        cmd.arg("serve").arg("--stdio");
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn newsls serve");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take().expect("stdin");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Lsp {
            child,
            stdin: Some(stdin),
            rx,
            next_id: 0,
            notifications: Vec::new(),
            server_requests: Vec::new(),
            settings: Value::Null,
            timeout: TIMEOUT,
        }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = stdin.write_all(bytes);
            let _ = stdin.flush();
        }
    }

    pub fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        self.send_raw(&bytes);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error object)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_response(&json!(id))
    }

    pub fn wait_response(&mut self, id: &Value) -> Result<Value, Value> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self
                .recv_until(deadline)
                .unwrap_or_else(|| panic!("no response to request {id}"));
            if msg.get("method").is_none() && msg.get("id") == Some(id) {
                if let Some(err) = msg.get("error") {
                    return Err(err.clone());
                }
                return Ok(msg.get("result").cloned().unwrap_or(Value::Null));
            }
        }
    }

    /// The next message, answering server requests and recording notifications on the way.
    fn recv_until(&mut self, deadline: Instant) -> Option<Value> {
        let timeout = deadline.saturating_duration_since(Instant::now());
        let msg = match self.rx.recv_timeout(timeout) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return None,
        };
        if let (Some(method), Some(id)) = (msg.get("method").and_then(Value::as_str), msg.get("id")) {
            let result = match method {
                "workspace/configuration" => json!([self.settings.clone()]),
                _ => Value::Null,
            };
            let id = id.clone();
            self.server_requests.push(msg.clone());
            self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
        } else if msg.get("method").is_some() {
            self.notifications.push(msg.clone());
        }
        Some(msg)
    }

    /// Waits for a request from the server with `method` (already received ones count); it is
    /// answered like every server request.
    pub fn wait_server_request(&mut self, method: &str) -> Value {
        let matches =
            |m: &Value| m.get("method").and_then(Value::as_str) == Some(method) && m.get("id").is_some();
        if let Some(m) = self.server_requests.iter().find(|m| matches(m)) {
            return m.clone();
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self
                .recv_until(deadline)
                .unwrap_or_else(|| panic!("no {method} request"));
            if matches(&msg) {
                return msg;
            }
        }
    }

    /// Waits for a notification with `method` satisfying `pred` (already received ones count).
    pub fn wait_notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let matches = |m: &Value| m.get("method").and_then(Value::as_str) == Some(method) && pred(m);
        if let Some(m) = self.notifications.iter().find(|m| matches(m)) {
            return m.clone();
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self
                .recv_until(deadline)
                .unwrap_or_else(|| panic!("no {method} notification"));
            if matches(&msg) {
                return msg;
            }
        }
    }

    /// `initialize` + `initialized` for a workspace folder, offering the given position encodings.
    pub fn initialize(&mut self, root: Option<&Path>, encodings: &[&str], options: Value) -> Value {
        self.initialize_folders(root.as_slice(), encodings, options)
    }

    /// `initialize` + `initialized` for workspace folders (`rootUri` is the first one; no folder:
    /// none), offering the given position encodings.
    pub fn initialize_folders(&mut self, roots: &[&Path], encodings: &[&str], options: Value) -> Value {
        let folders = (!roots.is_empty()).then(|| {
            roots
                .iter()
                .enumerate()
                .map(|(i, r)| json!({"uri": file_uri(r), "name": format!("ws{i}")}))
                .collect::<Vec<_>>()
        });
        let params = json!({
            "processId": null,
            "rootUri": roots.first().map(|r| file_uri(r)),
            "workspaceFolders": folders,
            "initializationOptions": options,
            "capabilities": {
                "general": {"positionEncodings": encodings},
                "window": {"workDoneProgress": true},
                "workspace": {
                    "configuration": true,
                    "didChangeWatchedFiles": {"dynamicRegistration": true},
                    "semanticTokens": {"refreshSupport": true},
                },
                "textDocument": {
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
                    "semanticTokens": {"requests": {"full": {"delta": true}, "range": true},
                        "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]},
                },
            },
        });
        let res = self.request("initialize", params).expect("initialize");
        self.notify("initialized", json!({}));
        res
    }

    /// Waits until background indexing has finished (the work-done progress ends).
    pub fn wait_indexed(&mut self) {
        self.wait_notification("$/progress", |m| m["params"]["value"]["kind"] == "end");
        // The status request confirms it from the server's side.
        let deadline = Instant::now() + self.timeout;
        while Instant::now() < deadline {
            let status = self.request("newsls/status", Value::Null).expect("status");
            if status["indexing"] == false {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("indexing did not finish");
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        );
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }

    /// Waits for the process to exit (after `exit` or closed stdin).
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn shutdown(&mut self) -> ExitStatus {
        self.request("shutdown", Value::Null).expect("shutdown");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A decoded semantic token: absolute line, start, length, type and modifier names.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub line: u32,
    pub start: u32,
    pub len: u32,
    pub kind: String,
    pub modifiers: Vec<String>,
}

/// Decodes the relative `data` array with the legend from `initialize`.
pub fn decode_tokens(data: &[u32], legend: &Value) -> Vec<Token> {
    let types: Vec<String> = legend["tokenTypes"]
        .as_array()
        .expect("legend types")
        .iter()
        .map(|t| t.as_str().unwrap_or("").to_string())
        .collect();
    let mods: Vec<String> = legend["tokenModifiers"]
        .as_array()
        .expect("legend modifiers")
        .iter()
        .map(|t| t.as_str().unwrap_or("").to_string())
        .collect();
    let mut res = Vec::new();
    let (mut line, mut start) = (0u32, 0u32);
    for t in data.chunks(5) {
        line += t[0];
        start = if t[0] == 0 { start + t[1] } else { t[1] };
        res.push(Token {
            line,
            start,
            len: t[2],
            kind: types.get(t[3] as usize).cloned().unwrap_or_default(),
            modifiers: mods
                .iter()
                .enumerate()
                .filter(|(i, _)| t[4] & (1 << i) != 0)
                .map(|(_, m)| m.clone())
                .collect(),
        });
    }
    res
}

pub fn data_of(result: &Value) -> Vec<u32> {
    result["data"]
        .as_array()
        .expect("token data")
        .iter()
        .map(|v| v.as_u64().expect("u32") as u32)
        .collect()
}

/// Line and column (in `utf16` code units, else bytes) of byte offset `at` in `text`.
pub fn pos_of(text: &str, at: usize, utf16: bool) -> (u32, u32) {
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let seg = &text[line_start..at];
    let col = if utf16 {
        seg.encode_utf16().count()
    } else {
        seg.len()
    };
    (line, col as u32)
}
