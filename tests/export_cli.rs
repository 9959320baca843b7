//! End-to-end tests of `newsls export` / `newsls import` driving the built binary on a copy
//! of `seeds/`, with and without a workspace annotation file.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn newsls(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsls"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("newsls runs")
}

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let ws = tmp.path().join("ws");
    fs::create_dir_all(&ws).expect("dir");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for entry in fs::read_dir(seeds).expect("seeds").flatten() {
        fs::copy(entry.path(), ws.join(entry.file_name())).expect("copy");
    }
    (tmp, ws)
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

#[test]
fn export_jsonl_equals_annotate_jsonl_without_rules() {
    let (tmp, _ws) = workspace();
    let exported = stdout(&newsls(&["export", "--format", "jsonl", "ws"], tmp.path()));
    let annotated = stdout(&newsls(&["annotate", "--format", "jsonl", "ws"], tmp.path()));
    assert_eq!(exported, annotated);
    assert_eq!(exported.lines().count(), 2);
}

#[test]
fn rules_change_the_export_and_round_trips_hold() {
    let (tmp, ws) = workspace();
    fs::create_dir_all(ws.join(".newsls")).expect("dir");
    fs::write(
        ws.join(".newsls/annotations.toml"),
        "schema = 1\n\n[[not_entity]]\ntext = \"Polestar\"\n\n[[entity]]\ntext = \"Busan plant\"\nkind = \"place\"\nsubkind = \"facility\"\n",
    )
    .expect("rules");
    let out = stdout(&newsls(&["export", "--format", "jsonl", "ws"], tmp.path()));
    let entities: Vec<serde_json::Value> = out
        .lines()
        .flat_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["entities"].as_array().cloned().unwrap_or_default()
        })
        .collect();
    assert!(!entities.iter().any(|e| e["text"] == "Polestar"), "rule applied");
    let plants: Vec<&serde_json::Value> = entities.iter().filter(|e| e["text"] == "Busan plant").collect();
    assert_eq!(plants.len(), 5, "every occurrence, in both articles");
    assert!(
        plants
            .iter()
            .all(|e| e["kind"] == "place" && e["subkind"] == "facility")
    );

    for (format, target) in [
        ("jsonl", "out.jsonl"),
        ("brat", "brat"),
        ("webanno", "out.jsonld"),
    ] {
        let o = newsls(&["export", "--format", format, "ws", "--out", target], tmp.path());
        stdout(&o);
        let check = newsls(
            &["import", "--format", format, target, "--check", "ws"],
            tmp.path(),
        );
        assert!(
            check.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    assert!(tmp.path().join("brat/annotation.conf").is_file());
    let conll = stdout(&newsls(&["export", "--format", "conll", "ws"], tmp.path()));
    assert!(conll.contains("B-ORG") && conll.contains("B-LOC") && conll.contains("B-FIG"));

    // A changed export is detected.
    let jsonl = fs::read_to_string(tmp.path().join("out.jsonl")).expect("read");
    fs::write(
        tmp.path().join("out.jsonl"),
        jsonl.replacen("\"kind\":\"place\"", "\"kind\":\"person\"", 1),
    )
    .expect("write");
    let check = newsls(
        &["import", "--format", "jsonl", "out.jsonl", "--check", "ws"],
        tmp.path(),
    );
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn malformed_annotations_stop_the_export_with_a_located_message() {
    let (tmp, ws) = workspace();
    fs::create_dir_all(ws.join(".newsls")).expect("dir");
    fs::write(
        ws.join(".newsls/annotations.toml"),
        "schema = 1\n[[entity]]\ntext = \"X\"\nkind = \"planet\"\n",
    )
    .expect("rules");
    let o = newsls(&["export", "--format", "jsonl", "ws"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("annotations.toml:4:8") && err.contains("planet"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    // --no-rules still works.
    stdout(&newsls(
        &["export", "--format", "jsonl", "ws", "--no-rules"],
        tmp.path(),
    ));
}
