//! Single-core annotation throughput on a folder (a quick figure for profiling; the
//! criterion bench `recognize` is the reference measurement).
//!
//! `cargo run --release --example throughput -- DIR [ROUNDS]`

use std::path::PathBuf;
use std::time::Instant;

use newsls::corpus::{CorpusIndex, ScanConfig};

/// The allocator the `newsls` binary ships with, so the figures are those of the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "seeds".into()));
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let files = CorpusIndex::discover(std::slice::from_ref(&dir), &ScanConfig::default());
    let texts: Vec<String> = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t = Instant::now();
    let rec = newsls::recognize::recognizer();
    eprintln!("recogniser loaded in {:.3} s", t.elapsed().as_secs_f64());
    let g = rec.gazetteer();
    let paras: Vec<&str> = texts
        .iter()
        .flat_map(|t| newsls::recognize::paragraphs(t).map(move |r| &t[r]))
        .collect();
    let stage = |name: &str, f: &dyn Fn() -> usize| {
        let t = Instant::now();
        let n = f();
        let s = t.elapsed().as_secs_f64();
        println!(
            "  {name:<12} {:.3} s ({:.1} MB/s, {n})",
            s,
            bytes as f64 / 1e6 / s
        );
    };
    let only = std::env::var("NEWSLS_STAGE").ok();
    let stage = |name: &str, f: &dyn Fn() -> usize| {
        if only.as_deref().is_none_or(|o| o == name) {
            stage(name, f)
        }
    };
    stage("paragraphs", &|| {
        texts
            .iter()
            .map(|t| newsls::recognize::paragraphs(t).count())
            .sum()
    });
    // The floor: what any recogniser of this kind must do at the least. One pass over the
    // bytes splitting words; one gazetteer lookup per capitalised word; each digit run read as
    // a number. No rules, no figures grammar, no resolution: the throughput no real
    // annotation can exceed on this machine.
    stage("floor", &|| {
        let mut n = 0usize;
        for p in &paras {
            let b = p.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let c = b[i];
                if c.is_ascii_alphabetic() || c >= 0x80 {
                    let s = i;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] >= 0x80 || b[i] == b'\'') {
                        i += 1;
                    }
                    if c.is_ascii_uppercase() {
                        n += usize::from(g.info_ref(&p[s..i]).flags != 0);
                    }
                } else if c.is_ascii_digit() {
                    let mut v = 0u64;
                    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',' || b[i] == b'.') {
                        if b[i].is_ascii_digit() {
                            v = v.wrapping_mul(10).wrapping_add(u64::from(b[i] - b'0'));
                        }
                        i += 1;
                    }
                    n += usize::from(v & 1 == 1);
                } else {
                    i += 1;
                }
            }
        }
        n
    });
    stage("figures", &|| {
        paras
            .iter()
            .map(|p| newsls::recognize::figures::find_figures(p).len())
            .sum()
    });
    stage("names", &|| {
        paras
            .iter()
            .map(|p| newsls::recognize::names::find_names(p, g).len())
            .sum()
    });
    stage("paragraph", &|| {
        paras.iter().map(|p| rec.annotate_paragraph(p).len()).sum()
    });
    let want_resolve = only.as_deref().is_none_or(|o| o == "resolve" || o == "prep");
    let annotated: Vec<Vec<newsls::recognize::ParagraphMentions>> = texts
        .iter()
        .filter(|_| want_resolve)
        .map(|t| {
            newsls::recognize::paragraphs(t)
                .map(|span| newsls::recognize::ParagraphMentions {
                    mentions: rec.annotate_paragraph(&t[span.clone()]),
                    span,
                })
                .collect()
        })
        .collect();
    stage("resolve", &|| {
        texts
            .iter()
            .zip(&annotated)
            .map(|(t, p)| newsls::recognize::resolve::resolve_document(t, p, g).len())
            .sum()
    });
    for _ in 0..rounds {
        let t = Instant::now();
        let n: usize = texts.iter().map(|t| rec.annotate(t).len()).sum();
        let s = t.elapsed().as_secs_f64();
        println!(
            "{} texts, {:.1} MB, {n} entities: {:.3} s, {:.1} MB/s",
            texts.len(),
            bytes as f64 / 1e6,
            s,
            bytes as f64 / 1e6 / s
        );
    }
}
