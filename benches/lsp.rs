//! Latency benchmark of `newsls serve`, driven over stdio like an editor would
//! (`cargo bench --bench lsp`). Prints p50/p99 for: semantic tokens full on a 5 KB and a 1 MB
//! article; a keystroke (didChange + semanticTokens/full/delta) on the 5 KB article; hover and
//! definition; with the workspace holding 10,000 and ~100,000 Reuters-21578 articles
//! materialised from `../shared/corpus` (100k = the 19,771 articles x5 in separate folders).
//! Also: cold indexing time, restart time with the on-disk cache, and the server's peak RSS.
//!
//! `NEWSLS_BENCH_SIZES=10000,100000` (default) picks the corpus sizes; `NEWSLS_BENCH_DIR` the
//! scratch folder (default `/tmp/newsls-bench`); `NEWSLS_BENCH_REUSE_CACHE=1` keeps an existing
//! index cache (the first start is then a restart too: for re-measuring without a cold index). Without the corpus it runs on the seeds alone.

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use lsp_client::{Lsp, file_uri, pos_of};
use serde_json::{Value, json};

fn scratch() -> PathBuf {
    std::env::var_os("NEWSLS_BENCH_DIR").map_or_else(|| PathBuf::from("/tmp/newsls-bench"), PathBuf::from)
}

fn make_corpus_script() -> Option<PathBuf> {
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/make_corpus.py");
    [local, PathBuf::from("/work/shared/corpus/make_corpus.py")]
        .into_iter()
        .find(|p| p.exists())
}

/// Materialises a workspace of about `n` articles (copies of the full corpus in folders `k/`
/// beyond 19,771), reusing an existing one.
fn corpus_dir(n: usize) -> Option<PathBuf> {
    let script = make_corpus_script()?;
    let dir = scratch().join(format!("corpus-{n}"));
    let marker = dir.join(".complete");
    if marker.exists() {
        return Some(dir);
    }
    const FULL: usize = 19_771;
    let copies = ((n + FULL / 2) / FULL).max(1);
    for k in 0..copies {
        let count = if copies == 1 { n } else { 0 };
        let out = dir.join(format!("{k}"));
        eprintln!(
            "materialising {} articles into {}",
            if count == 0 { FULL } else { count },
            out.display()
        );
        let ok = Command::new("python3")
            .arg(&script)
            .args(["--n", &count.to_string(), "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return None;
        }
    }
    std::fs::write(&marker, b"").ok()?;
    Some(dir)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{label:<46} p50 {:>9.3} ms   p99 {:>9.3} ms   (n={})",
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let res = f();
    (t.elapsed(), res)
}

fn peak_rss_mb(pid: u32) -> Option<f64> {
    status_mb(pid, "VmHWM:")
}

/// A memory figure of `/proc/<pid>/status` (`VmHWM:` peak, `VmRSS:` current) in MB.
fn status_mb(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Prints the server's current and peak RSS after a phase (where memory goes).
fn memory_after(lsp: &Lsp, phase: &str) {
    if let (Some(rss), Some(peak)) = (status_mb(lsp.pid(), "VmRSS:"), peak_rss_mb(lsp.pid())) {
        let threads = std::fs::read_dir(format!("/proc/{}/task", lsp.pid())).map_or(0, |d| d.count());
        println!("  memory after {phase:<36} RSS {rss:>5.0} MB   peak {peak:>5.0} MB   {threads} threads");
    }
}

/// The 5 KB article: the first seed plus a paragraph naming entities common in the corpus.
fn article_5k() -> String {
    let seed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_b048b9770dc2da2d.txt"))
            .unwrap_or_default();
    let mut text: String = seed.chars().take(4400).collect();
    text.push_str(
        "\n\nOfficials in Tokyo and Washington said Japan and the United States would meet in London \
         next week, while OPEC ministers gathered in Vienna. Chrysler Corp and Toyota Motor Corp \
         said exports to South Korea rose 12 percent to $1.2 billion in 1986.\n",
    );
    text
}

/// About 1 MB of Reuters text as one article (or the seeds repeated when the corpus is absent).
fn article_1m(corpus: Option<&Path>) -> String {
    let mut text = String::from("A Very Long Article\n\n");
    if let Some(dir) = corpus {
        let mut files: Vec<PathBuf> = walk(dir);
        files.sort();
        for f in files {
            if text.len() > 1_000_000 {
                break;
            }
            if let Ok(t) = std::fs::read_to_string(&f) {
                text.push_str(&t);
                text.push_str("\n\n");
            }
        }
    }
    while text.len() < 1_000_000 {
        text.push_str(&article_5k());
        text.push_str("\n\n");
    }
    text
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut res = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                res.push(p);
            }
            if res.len() > 3000 {
                return res;
            }
        }
    }
    res
}

fn start(root: &Path, cache: &Path) -> (Lsp, Duration) {
    let cache = cache.to_string_lossy().to_string();
    let mut lsp = Lsp::spawn(&[("NEWSLS_CACHE_DIR", &cache)]);
    lsp.timeout = Duration::from_secs(900);
    let t = Instant::now();
    lsp.initialize(Some(root), &["utf-16"], Value::Null);
    lsp.wait_indexed();
    (lsp, t.elapsed())
}

fn run(label: &str, root: &Path, corpus: Option<&Path>) {
    let cache = scratch().join(format!("cache-{label}"));
    let reuse = std::env::var_os("NEWSLS_BENCH_REUSE_CACHE").is_some_and(|v| v == "1") && cache.exists();
    if !reuse {
        let _ = std::fs::remove_dir_all(&cache);
    }
    println!("\n== {label}: workspace {} ==", root.display());
    let (mut lsp, cold) = start(root, &cache);
    let status = lsp.request("newsls/status", Value::Null).expect("status");
    println!(
        "{}: {:.2} s for {} articles ({} mentions)",
        if reuse {
            "first start (cache reused)"
        } else {
            "cold index"
        },
        cold.as_secs_f64(),
        status["articles"],
        status["mentions"]
    );
    let cold_rss = peak_rss_mb(lsp.pid());
    drop(lsp);
    if let Some(mb) = cold_rss {
        println!("first server peak RSS: {mb:.0} MB");
    }
    let (mut lsp, warm) = start(root, &cache);
    println!(
        "restart with cache: {:.3} s to the full index",
        warm.as_secs_f64()
    );
    memory_after(&lsp, "restart");

    let small = article_5k();
    let small_uri = file_uri(&root.join("bench-5k.txt"));
    lsp.open(&small_uri, &small);
    let big = article_1m(corpus);
    let big_uri = file_uri(&root.join("bench-1m.txt"));
    lsp.open(&big_uri, &big);

    let tokens = |lsp: &mut Lsp, uri: &str| {
        lsp.request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("tokens")
    };
    // Warm-up (first analysis of each document).
    let first = tokens(&mut lsp, &small_uri);
    tokens(&mut lsp, &big_uri);
    memory_after(&lsp, "opening the 5 KB and 1 MB articles");

    // Semantic tokens full: re-requested after a no-op edit so the analysis is recomputed from
    // the paragraph cache, as after a real edit elsewhere.
    for (name, uri, text, n) in [("5 KB", &small_uri, &small, 200), ("1 MB", &big_uri, &big, 20)] {
        let mut samples = Vec::new();
        for i in 0..n {
            let end = pos_of(text, text.len(), true);
            lsp.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": 1000 + i}, "contentChanges": [
                    {"range": {"start": {"line": end.0, "character": end.1}, "end": {"line": end.0, "character": end.1}}, "text": ""}]}),
            );
            samples.push(time(|| tokens(&mut lsp, uri)).0);
        }
        report(&format!("semanticTokens/full {name}"), samples);
    }
    memory_after(&lsp, "semantic tokens");

    // Keystroke: insert a letter in the middle paragraph, then full/delta.
    let mut result_id = first["resultId"].clone();
    let mut text = small.clone();
    let at = text.find("Located with").unwrap_or(text.len() / 2);
    let mut samples = Vec::new();
    for i in 0..300 {
        let (line, col) = pos_of(&text, at, true);
        let letter = if i % 2 == 0 { "x" } else { "" };
        let change = if i % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": letter})
        } else {
            json!({"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, "text": ""})
        };
        if i % 2 == 0 {
            text.insert(at, 'x');
        } else {
            text.remove(at);
        }
        let (d, res) = time(|| {
            lsp.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": small_uri, "version": 2000 + i}, "contentChanges": [change]}),
            );
            lsp.request(
                "textDocument/semanticTokens/full/delta",
                json!({"textDocument": {"uri": small_uri}, "previousResultId": result_id}),
            )
            .expect("delta")
        });
        result_id = res["resultId"].clone();
        samples.push(d);
    }
    report("keystroke 5 KB (didChange + full/delta)", samples);
    memory_after(&lsp, "keystrokes");

    // Hover and definition at every entity of the 5 KB article, round robin.
    let toks = tokens(&mut lsp, &small_uri);
    let data: Vec<u64> = toks["data"]
        .as_array()
        .map_or_else(Vec::new, |a| a.iter().filter_map(Value::as_u64).collect());
    let mut positions = Vec::new();
    let (mut line, mut col) = (0u64, 0u64);
    for t in data.chunks(5) {
        line += t[0];
        col = if t[0] == 0 { col + t[1] } else { t[1] };
        positions.push(json!({"line": line, "character": col + 1}));
    }
    for method in ["textDocument/hover", "textDocument/definition"] {
        let mut samples = Vec::new();
        for i in 0..400 {
            let pos = &positions[i % positions.len().max(1)];
            samples.push(
                time(|| {
                    lsp.request(
                        method,
                        json!({"textDocument": {"uri": small_uri}, "position": pos}),
                    )
                    .expect(method)
                })
                .0,
            );
        }
        report(
            &format!(
                "{} ({} positions)",
                method.trim_start_matches("textDocument/"),
                positions.len()
            ),
            samples,
        );
    }
    memory_after(&lsp, "hover and definition");
    let pid = lsp.pid();
    match peak_rss_mb(pid) {
        Some(mb) => println!("server peak RSS: {mb:.0} MB"),
        None => println!("server peak RSS: unavailable"),
    }
    let _ = lsp.shutdown();
}

fn main() {
    let sizes: Vec<usize> = std::env::var("NEWSLS_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    if make_corpus_script().is_none() {
        eprintln!("note: ../shared/corpus is absent; benchmarking on the seeds only");
        run(
            "seeds",
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
            None,
        );
        return;
    }
    for n in sizes {
        match corpus_dir(n) {
            Some(dir) => run(&format!("{n} articles"), &dir, Some(&dir)),
            None => eprintln!("could not materialise {n} articles"),
        }
    }
}
