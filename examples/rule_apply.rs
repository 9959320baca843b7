//! Measures how long applying one annotation rule to a corpus takes: writing the rule to
//! `.newsls/annotations.toml`, finding the affected articles and re-indexing them.
//!
//! `cargo run --release --example rule_apply -- [DIR] [N]`: DIR defaults to
//! `/tmp/newsls-rule-bench`, materialised with N (default 10000) articles from
//! `/work/shared/corpus/make_corpus.py` (or `$NEWSLS_CORPUS_SCRIPT`) when it does not exist.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use newsls::annotations::corpus::{add_files_with_rules, apply_change, read_text};
use newsls::annotations::{Edit, Store};
use newsls::corpus::{CorpusIndex, ScanConfig};
use newsls::recognize::Kind;
use newsls::recognize::rules::VocabRule;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/newsls-rule-bench".into()));
    let n: usize = args.next().map_or(Ok(10_000), |s| s.parse())?;
    if !dir.is_dir() {
        let script = std::env::var("NEWSLS_CORPUS_SCRIPT")
            .unwrap_or_else(|_| "/work/shared/corpus/make_corpus.py".into());
        let status = std::process::Command::new("python3")
            .arg(&script)
            .args(["--n", &n.to_string(), "--out"])
            .arg(&dir)
            .status()?;
        anyhow::ensure!(status.success(), "make_corpus.py failed");
    }
    let _ = std::fs::remove_dir_all(dir.join(".newsls"));
    let config = ScanConfig::default();
    let files = CorpusIndex::discover(std::slice::from_ref(&dir), &config);
    let store = Store::new(&dir);
    let mut rules = store.load().map_err(|e| anyhow::anyhow!("{e}"))?;

    let started = Instant::now();
    let mut index = CorpusIndex::new();
    add_files_with_rules(&mut index, &files, &config, &store, &rules);
    println!(
        "indexed {} articles in {:.2} s ({} threads)",
        index.n_articles(),
        started.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    let started = Instant::now();
    let texts: HashMap<PathBuf, Arc<str>> = files
        .iter()
        .filter_map(|p| read_text(p).map(|t| (p.clone(), t)))
        .collect();
    let bytes: usize = texts.values().map(|t| t.len()).sum();
    println!(
        "kept {} texts in memory ({:.1} MB) in {:.0} ms",
        texts.len(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64() * 1e3
    );
    let from_memory = |p: &Path| texts.get(p).cloned();

    let edits = [
        (
            "rare: \"Eco Cluster Center\" is an organization",
            kind("Eco Cluster Center", Kind::Organization),
        ),
        (
            "medium: \"Tokyo\" is not an entity",
            Edit::Vocab(VocabRule::NotEntity { text: "Tokyo".into() }),
        ),
        (
            "frequent: \"OPEC\" is an alias of \"Organization of Petroleum Exporting Countries\"",
            Edit::Vocab(VocabRule::Alias {
                text: "OPEC".into(),
                of: "Organization of Petroleum Exporting Countries".into(),
            }),
        ),
        (
            "very frequent: \"Japan\" is a place (country)",
            kind("Japan", Kind::Place),
        ),
    ];
    println!(
        "\n{:<80} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "rule (texts in memory | read from disk)", "write", "affected", "find", "reindex", "total"
    );
    for (label, edit) in edits {
        let started = Instant::now();
        let new = store
            .apply(std::slice::from_ref(&edit))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let write = started.elapsed();
        for (source, text_of) in [
            (
                "memory",
                &from_memory as &(dyn Fn(&Path) -> Option<Arc<str>> + Sync),
            ),
            ("disk", &read_text),
        ] {
            let started = Instant::now();
            let applied = apply_change(&mut index, &store, &rules, &new, text_of);
            let total = started.elapsed() + write;
            println!(
                "{:<80} {:>6.1}ms {:>9} {:>7.1}ms {:>7.1}ms {:>7.1}ms {:>7.1}ms",
                format!("{label} [{source}]"),
                write.as_secs_f64() * 1e3,
                applied.reindexed,
                applied.find.as_secs_f64() * 1e3,
                applied.reindex.as_secs_f64() * 1e3,
                applied.insert.as_secs_f64() * 1e3,
                total.as_secs_f64() * 1e3,
            );
            // Undo in the index for the next source, so both measure the same work.
            if source == "memory" {
                apply_change(&mut index, &store, &new, &rules, &from_memory);
            }
        }
        rules = new;
    }
    // What an open editor waits for: one article re-resolved with the new rules.
    let mut times: Vec<f64> = texts
        .iter()
        .take(2000)
        .map(|(path, text)| {
            let rel = store.relative(path);
            let started = Instant::now();
            let _ = newsls::recognize::recognizer().annotate_with(text, &rules, rel.as_deref());
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "\none open article re-annotated with {} rules: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        rules.vocab().len(),
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        times[times.len() - 1]
    );
    let _ = std::fs::remove_dir_all(dir.join(".newsls"));
    Ok(())
}

fn kind(text: &str, kind: Kind) -> Edit {
    Edit::Vocab(VocabRule::Kind {
        text: text.into(),
        kind,
        subkind: None,
    })
}
