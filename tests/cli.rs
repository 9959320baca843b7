//! End-to-end tests of the `newsls` binary on the bundled seed articles and small fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn newsls(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsls"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run newsls")
}

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

const SEED_A: &str = "seeds/000_b048b9770dc2da2d.txt";
const SEED_B: &str = "seeds/004_12b826b37803d7ae.txt";

/// The seeds annotated as JSON lines: id -> document.
fn annotate_seeds() -> Vec<Value> {
    let out = newsls(&["annotate", "--format", "jsonl", "seeds"]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn find<'a>(doc: &'a Value, text: &str) -> Vec<&'a Value> {
    doc["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .filter(|e| e["text"] == text)
        .collect()
}

fn assert_entity(doc: &Value, text: &str, kind: &str) -> Value {
    let hits = find(doc, text);
    assert!(
        hits.iter().any(|e| e["kind"] == kind),
        "{text:?} should be a {kind} in {}; got {:?}",
        doc["id"],
        hits
    );
    hits.into_iter()
        .find(|e| e["kind"] == kind)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn seeds_have_their_entities() {
    let docs = annotate_seeds();
    assert_eq!(docs.len(), 2);
    let a = docs
        .iter()
        .find(|d| d["id"] == "000_b048b9770dc2da2d")
        .expect("seed A");
    let b = docs
        .iter()
        .find(|d| d["id"] == "004_12b826b37803d7ae")
        .expect("seed B");
    assert!(
        a["title"]
            .as_str()
            .unwrap_or("")
            .starts_with("Renault Korea Busan Plant")
    );

    for org in ["Renault Korea Motors", "RKM", "Polestar", "Geely Group"] {
        assert_entity(a, org, "organization");
    }
    let rkm = assert_entity(a, "RKM", "organization");
    assert_eq!(rkm["canonical"], "Renault Korea Motors");
    assert_entity(b, "Renault Korea Motors", "organization");
    assert_entity(b, "Geely Motors", "organization");
    let places_a: Vec<&str> = a["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "place")
        .filter_map(|e| e["canonical"].as_str())
        .collect();
    for place in ["Busan", "South Korea", "North America"] {
        assert!(places_a.contains(&place), "{place} missing from {places_a:?}");
    }
    assert_entity(b, "Busan", "place");
    assert!(
        a["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "place" && e["text"].as_str().is_some_and(|t| t.starts_with("Belvidere"))),
        "Belvidere, Ill. should be a place"
    );
    assert_entity(a, "Stephane Deblaise", "person");
    assert_entity(b, "Stephane Deblaise", "person");

    // Figures keep their modifiers ("up to 25 percent"), as in the eval data.
    let figure = |text: &str, subkind: &str, value: &str| {
        let e = a["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "figure" && e["text"].as_str().is_some_and(|t| t.ends_with(text)))
            .unwrap_or_else(|| panic!("{text:?} should be a figure"));
        assert_eq!(e["subkind"], subkind, "{text}");
        assert_eq!(e["value"], value, "{text}");
    };
    figure("300,000 units", "count", "300000 units");
    figure("$1.3 billion", "money", "USD 1300000000");
    figure("$208M", "money", "USD 208000000");
    figure("up to 25 percent", "percent", "<=25%");
    figure("up to 9.6 kW", "quantity", "<=9.6 kW");
    figure("the second half of 2025", "date", "2025-07-01..2025-12-31");
    // A weekday before a date belongs to the date ("Thursday, Nov. 9, 2023"), as in the eval data.
    let nov9 = a["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"].as_str().is_some_and(|t| t.ends_with("Nov. 9, 2023")))
        .expect("Nov. 9, 2023");
    assert_eq!(
        (&nov9["kind"], &nov9["value"]),
        (&"figure".into(), &"2023-11-09".into())
    );
    let employees = a["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"].as_str().is_some_and(|t| t.contains("2,000 employees")))
        .expect("2,000 employees");
    assert_eq!(employees["kind"], "figure");
}

#[test]
fn jsonl_offsets_are_code_points() {
    let text = "Café “owner” 김민수 said Polestar sold 300,000 units.";
    let input = serde_json::json!({"id": "x", "text": text}).to_string() + "\n";
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsls"))
        .args(["annotate", "--jsonl"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let line: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(line["id"], "x");
    let chars: Vec<char> = text.chars().collect();
    let entities = line["entities"].as_array().expect("entities");
    assert!(!entities.is_empty());
    for e in entities {
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        let got: String = chars[s..t].iter().collect();
        assert_eq!(got, e["text"].as_str().unwrap());
    }
    assert!(entities.iter().any(|e| e["text"] == "300,000 units"));
}

/// Runs `newsls annotate --jsonl` on `input` with `NEWSLS_BATCH_DOCS` (documents per parallel
/// chunk) set when given: (stdout, stderr).
fn annotate_stdin(input: &str, batch_docs: Option<usize>) -> (String, String) {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsls"));
    cmd.args(["annotate", "--jsonl"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(n) = batch_docs {
        cmd.env("NEWSLS_BATCH_DOCS", n.to_string());
    }
    let mut child = cmd.spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_string();
    // Written from another thread so that a full stdout pipe cannot block the writer.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer").expect("write");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn many_documents_come_out_in_input_order_as_one_by_one() {
    let texts: Vec<String> = std::fs::read_dir(seeds())
        .expect("seeds")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .chain([
            "Café “owner” 김민수 said Polestar sold 300,000 units in Busan.".to_string(),
            "Nothing to find here.".to_string(),
            String::new(),
        ])
        .collect();
    // Each text alone, as the reference.
    let alone: Vec<String> = texts
        .iter()
        .map(|t| {
            let input = serde_json::json!({"id": "alone", "text": t}).to_string() + "\n";
            let (out, _) = annotate_stdin(&input, None);
            assert_eq!(out.lines().count(), 1);
            out
        })
        .collect();
    // 60 documents cycling through the texts, with a blank and a malformed line in between,
    // in chunks of 7 documents: several chunks on all cores.
    let mut input = String::new();
    let mut want = String::new();
    for i in 0..60 {
        let k = (i * 7) % texts.len();
        let id = format!("doc-{i:03}");
        input += &(serde_json::json!({"id": id, "text": texts[k]}).to_string() + "\n");
        want += &alone[k].replace("\"id\":\"alone\"}", &format!("\"id\":\"{id}\"}}"));
        if i == 30 {
            input += "\n{not json\n";
            want += "{\"entities\":[],\"error\":\"invalid JSON: key must be a string at line 1 column 2\",\"id\":null}\n";
        }
    }
    let (got, stderr) = annotate_stdin(&input, Some(7));
    assert_eq!(got.lines().count(), 61);
    assert!(
        got == want,
        "the batch output differs from the documents annotated one by one"
    );
    // The malformed line is named by its number in the input (blank lines count).
    assert_eq!(
        stderr,
        "newsls: stdin line 33: invalid JSON: key must be a string at line 1 column 2\n"
    );
    // The chunk size changes nothing.
    assert_eq!(annotate_stdin(&input, Some(1)).0, want);
    assert_eq!(annotate_stdin(&input, None).0, want);
}

#[test]
fn a_folder_of_many_articles_comes_out_in_path_order_whatever_the_chunks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed_texts: Vec<String> = std::fs::read_dir(seeds())
        .expect("seeds")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    for i in 0..24 {
        let text = &seed_texts[i % seed_texts.len()];
        std::fs::write(dir.path().join(format!("a{i:02}.txt")), text).expect("write");
    }
    // One unreadable file among them: reported, the others still annotated.
    std::fs::write(dir.path().join("a05b.txt"), [0u8, 159, 146, 150]).expect("write");
    let run = |format: &str, docs: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_newsls"))
            .args(["annotate", "--format", format, "--color", "never"])
            .arg(dir.path())
            .env("NEWSLS_BATCH_DOCS", docs)
            .output()
            .expect("run newsls");
        assert!(out.status.success());
        (
            String::from_utf8(out.stdout).expect("utf-8"),
            String::from_utf8(out.stderr).expect("utf-8"),
        )
    };
    let (one, one_err) = run("jsonl", "1");
    let ids: Vec<String> = one
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["id"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect();
    let want: Vec<String> = (0..24).map(|i| format!("a{i:02}")).collect();
    assert_eq!(ids, want);
    assert!(one_err.contains("a05b.txt"), "{one_err}");
    let (many, many_err) = run("jsonl", "5");
    assert_eq!(many, one);
    assert_eq!(many_err, one_err);
    let (text_one, _) = run("text", "1");
    let (text_many, _) = run("text", "5");
    assert_eq!(text_many, text_one);
    assert!(text_one.contains("Summary (24 articles)"), "{text_one}");
}

#[test]
fn related_ranks_the_other_seed_first() {
    for (from, other) in [(SEED_A, SEED_B), (SEED_B, SEED_A)] {
        let out = newsls(&["related", from, "--format", "json"]);
        assert!(
            out.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        let first = &v["related"][0];
        assert!(
            first["path"]
                .as_str()
                .unwrap()
                .ends_with(other.trim_start_matches("seeds/")),
            "{v}"
        );
        assert!(first["score"].as_f64().unwrap() > 0.0);
        let shared: Vec<&str> = first["shared"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["canonical"].as_str())
            .collect();
        assert!(shared.contains(&"Renault Korea Motors"), "{shared:?}");
        assert!(shared.contains(&"Busan"), "{shared:?}");
    }
}

#[test]
fn related_prefers_the_article_sharing_rare_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write(
        "a.txt",
        "Toyota and Samsung met in Tokyo.\n\nToyota said Samsung would invest in Japan.",
    );
    write(
        "b.txt",
        "Samsung opened a plant in Tokyo with Toyota.\n\nJapan welcomed it.",
    );
    write("c.txt", "Japan's economy grew.\n\nJapan exports rose.");
    write("d.txt", "Nothing here but lowercase words.");
    let out = newsls(&[
        "related",
        dir.path().join("a.txt").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let paths: Vec<&str> = v["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert!(paths[0].ends_with("b.txt"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.ends_with("d.txt")), "{paths:?}");
}

#[test]
fn annotate_text_output_and_summary() {
    let out = newsls(&["annotate", "--color", "never", SEED_B]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("[Renault Korea Motors|organization]"), "{text}");
    assert!(text.contains("Summary (1 articles)"));
    assert!(!text.contains("\x1b["), "no colour when not a terminal");
    // Default path: ./seeds.
    let out = newsls(&["annotate", "--color", "never"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Summary (2 articles)"));
}

#[test]
fn bad_input_gives_clear_errors_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("bin.txt"), [0u8, 159, 146, 150]).expect("write");
    std::fs::write(dir.path().join("latin1.txt"), b"Caf\xe9 in Busan").expect("write");
    std::fs::write(dir.path().join("ok.txt"), "Polestar opened an office in Busan.").expect("write");
    let out = newsls(&["annotate", "--format", "jsonl", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "one good file is enough to succeed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bin.txt") && stderr.contains("binary"),
        "{stderr}"
    );
    assert!(
        stderr.contains("latin1.txt") && stderr.contains("UTF-8"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);

    let out = newsls(&["annotate", "/definitely/not/here"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/definitely/not/here"));

    let empty = tempfile::tempdir().expect("tempdir");
    let out = newsls(&["index", empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no articles"));

    let out = newsls(&["related", "/definitely/not/here.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("newsls: "));
}

#[test]
fn big_file_is_skipped_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = "Busan is a city. ".repeat(50 * 1024 * 1024 / 17 + 1);
    std::fs::write(dir.path().join("big.txt"), big).expect("write");
    std::fs::write(dir.path().join("small.txt"), "Polestar is in Busan.").expect("write");
    let out = newsls(&["index", dir.path().to_str().unwrap()]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("articles          1"), "{stdout}");
    assert!(stdout.contains("skipped files     1"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("big.txt"));
}

#[test]
fn index_prints_counts_and_throughput() {
    let out = newsls(&["index", seeds().to_str().unwrap()]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("articles          2"), "{stdout}");
    assert!(stdout.contains("MB/s"), "{stdout}");
    for kind in ["organization", "place", "figure", "person"] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("entities {kind}")))
            .expect(kind);
        let n: usize = line.split_whitespace().last().unwrap().parse().unwrap();
        assert!(n > 0, "{line}");
    }
}

#[test]
fn eval_scores_a_small_gold_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gold = dir.path().join("gold.jsonl");
    let text = "Polestar sold 300,000 units in Busan.";
    let doc = serde_json::json!({"id": "g1", "text": text, "entities": [
        {"start": 0, "end": 8, "kind": "organization", "text": "Polestar"},
        {"start": 14, "end": 27, "kind": "figure", "text": "300,000 units"},
        {"start": 31, "end": 36, "kind": "place", "text": "Busan"}]});
    std::fs::write(&gold, format!("{doc}\n")).expect("write");
    let out = newsls(&["eval", gold.to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["documents"], 1);
    assert_eq!(v["scores"]["figure"]["gold"], 1);
    assert_eq!(v["scores"]["figure"]["exact"]["tp"], 1);
    assert_eq!(v["scores"]["place"]["exact"]["tp"], 1);
}

#[test]
fn annotate_and_index_apply_the_workspace_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".newsls")).expect("mkdir");
    std::fs::write(
        dir.path().join(".newsls/annotations.toml"),
        "schema = 1\n\n[[not_entity]]\ntext = \"Busan\"\n\n[[entity]]\ntext = \"quuxworks\"\nkind = \"organization\"\n",
    )
    .expect("write rules");
    std::fs::write(
        dir.path().join("a.txt"),
        "Polestar opened an office in Busan with quuxworks.",
    )
    .expect("write");
    let out = newsls(&["annotate", "--format", "jsonl", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(find(&doc, "Busan").is_empty(), "{doc}");
    assert_entity(&doc, "quuxworks", "organization");
    assert_entity(&doc, "Polestar", "organization");

    // A malformed rules file is reported and the CLI goes on without rules.
    std::fs::write(dir.path().join(".newsls/annotations.toml"), "schema = [").expect("write");
    let out = newsls(&["annotate", "--format", "jsonl", dir.path().to_str().unwrap()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("annotations.toml"));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_entity(&doc, "Busan", "place");
}

#[test]
fn check_lists_conflicts_and_mismatches_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write(
        "a.txt",
        "ACME PROFIT\n\nLONDON, March 2, 1987 - Acme Corp employs approximately 2,000 employees.\n\nIts sales rose 25 pct to 130 mln dlrs from 100 mln dlrs.\n",
    );
    write(
        "b.txt",
        "ACME PLANT\n\nLONDON, March 10, 1987 - Acme Corp has 1,800 employees, a spokesman said.\n\nThe plant has 2,000 workers, 1,200 in production and 900 in research.\n",
    );
    let d = dir.path().to_str().expect("utf-8 path");
    let out = newsls(&["check", d]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("a.txt:3:43: figure-conflict: Acme Corp employees: approximately 2,000 employees here (1987-03-02), but 1,800 employees in \"ACME PLANT\" (1987-03-10)"),
        "{text}"
    );
    assert!(text.contains("b.txt:3:40: 1,800 employees"), "{text}");
    assert!(text.contains("a.txt:5:16: change-mismatch: a rise of 25 pct does not match 100 mln dlrs to 130 mln dlrs (+30.0%)"), "{text}");
    assert!(text.contains("b.txt:5:15: total-mismatch: the parts 1,200 + 900 add up to 2,100, more than the total 2,000 workers"), "{text}");

    let out = newsls(&["check", "--format", "json", d]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let conflicts = doc["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0]["code"], "figure-conflict");
    assert_eq!(conflicts[0]["measure"], "employees");
    assert_eq!(conflicts[0]["a"]["text"], "approximately 2,000 employees");
    assert_eq!(conflicts[0]["b"]["text"], "1,800 employees");
    assert_eq!(conflicts[0]["b"]["line"], 3);
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(codes, vec!["change-mismatch", "total-mismatch"]);

    // A conflict marked as checked (both values) is no longer listed; the rest is.
    std::fs::create_dir_all(dir.path().join(".newsls")).expect("dir");
    std::fs::write(
        dir.path().join(".newsls/annotations.toml"),
        "schema = 1\n\n[[checked]]\ncode = \"figure-conflict\"\npath = \"b.txt\"\ntext = \"1,800 employees\"\nother_path = \"a.txt\"\nother_text = \"approximately 2,000 employees\"\n",
    )
    .expect("write");
    let out = newsls(&["check", d]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        !text.contains("figure-conflict") && text.contains("change-mismatch"),
        "{text}"
    );

    // Agreeing articles: nothing to report, exit 0.
    std::fs::remove_file(dir.path().join("b.txt")).expect("rm");
    write(
        "a.txt",
        "ACME\n\nLONDON, March 2, 1987 - Acme Corp employs about 2,000 employees.\n",
    );
    write(
        "c.txt",
        "ACME\n\nLONDON, March 3, 1987 - Acme Corp has 1,950 employees.\n",
    );
    let out = newsls(&["check", d]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn train_refuses_a_target_that_is_no_training_source() {
    let out = newsls(&["train", "--folds", "2", "--target", "no_such_source"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--target no_such_source: no training file"), "{err}");
}

#[test]
fn cross_validation_writes_each_documents_held_out_predictions() {
    let dir = tempfile::tempdir().expect("tmp");
    let train = dir.path().join("tiny.jsonl");
    let docs = [
        (
            "a",
            "Maria Oyelaran met the mayor of Dunmore on Monday.",
            "Maria Oyelaran",
            "person",
        ),
        (
            "b",
            "The Kestrel Valley Water Authority raised its prices.",
            "Kestrel Valley Water Authority",
            "organization",
        ),
        ("c", "Talks were held in Vrelsk last week.", "Vrelsk", "place"),
        (
            "d",
            "Aino Kettunen visited the new plant.",
            "Aino Kettunen",
            "person",
        ),
    ];
    let lines: Vec<String> = docs
        .iter()
        .map(|(id, text, name, kind)| {
            let start = text.find(name).expect("name in text");
            serde_json::json!({
                "id": id,
                "text": text,
                "entities": [{"start": start, "end": start + name.len(), "kind": kind}],
            })
            .to_string()
        })
        .collect();
    std::fs::write(&train, lines.join("\n")).expect("write");
    let preds = dir.path().join("preds.jsonl");
    let out = newsls(&[
        "train",
        "--folds",
        "2",
        "--target",
        "none",
        "--predictions",
        preds.to_str().expect("utf-8"),
        train.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(&preds).expect("predictions written");
    let ids: Vec<String> = written
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            assert!(v["entities"].is_array(), "{l}");
            v["id"].as_str().expect("id").to_string()
        })
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    // Without --folds the option is refused.
    let out = newsls(&["train", "--predictions", preds.to_str().expect("utf-8")]);
    assert!(!out.status.success());
}
