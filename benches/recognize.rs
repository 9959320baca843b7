//! Recognition and indexing throughput (criterion). Reports bytes/s per core for annotation
//! (single-threaded), for indexing a folder with rayon on all cores, and for the batch path of
//! `newsls annotate --jsonl` end to end (JSON lines in, typed JSON lines out to a sink, all
//! cores; bytes counted are those of the article texts).
//!
//! Text: the bundled seeds, plus 2,000 Reuters-21578 articles materialised from
//! `../shared/corpus` into `target/bench-corpus` (skipped with a message when absent), or the
//! folder named by `NEWSLS_BENCH_CORPUS`.

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The allocator the `newsls` binary ships with, so the figures are those of the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use newsls::corpus::{CorpusIndex, ScanConfig};

fn bench_corpus() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NEWSLS_BENCH_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/bench-corpus");
    if out.is_dir() {
        return Some(out);
    }
    let script = root.join("../shared/corpus/make_corpus.py");
    if !script.is_file() {
        eprintln!("bench: ../shared/corpus is missing; measuring on the seeds only");
        return None;
    }
    let ok = Command::new("python3")
        .arg(&script)
        .args(["--out", out.to_str()?, "--n", "2000"])
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(out)
}

fn read_texts(dir: &Path) -> Vec<String> {
    let files = CorpusIndex::discover(&[dir.to_path_buf()], &ScanConfig::default());
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
}

fn bench(c: &mut Criterion) {
    let rec = newsls::recognize::recognizer();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let seed_texts = read_texts(&seeds);
    let seed_bytes: usize = seed_texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("annotate");
    group.throughput(Throughput::Bytes(seed_bytes as u64));
    group.bench_function("seeds (1 core)", |b| {
        b.iter(|| seed_texts.iter().map(|t| rec.annotate(t).len()).sum::<usize>())
    });
    if let Some(dir) = bench_corpus() {
        let texts = read_texts(&dir);
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(10);
        group.bench_function(format!("reuters {} articles (1 core)", texts.len()), |b| {
            b.iter(|| texts.iter().map(|t| rec.annotate(t).len()).sum::<usize>())
        });
        // `annotate --jsonl` end to end: the same articles as `{"id", "text"}` lines.
        let input: String = texts
            .iter()
            .enumerate()
            .map(|(i, t)| serde_json::json!({"id": i, "text": t}).to_string() + "\n")
            .collect();
        group.bench_function("reuters annotate --jsonl end to end (all cores)", |b| {
            b.iter(|| {
                newsls::export::jsonl::annotate_lines(
                    input.as_bytes(),
                    "input",
                    &mut std::io::sink(),
                    newsls::batch::Chunking::default(),
                    |_| {},
                )
                .expect("annotates")
            })
        });
        group.bench_function("reuters index folder (all cores)", |b| {
            b.iter(|| {
                let config = ScanConfig::default();
                let files = CorpusIndex::discover(std::slice::from_ref(&dir), &config);
                let mut index = CorpusIndex::new();
                index.add_files(&files, &config, &|_, _| {});
                index.n_articles()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
