//! End-to-end tests of the fact-check diagnostics of `newsls serve`: a figure that contradicts
//! another article of the workspace, stated changes and totals that do not add up, their hover
//! note, "Open the other article", the severity setting, and the refresh when the other article
//! changes on disk.

mod lsp_client;

use std::fs;

use lsp_client::{Lsp, file_uri, pos_of};
use serde_json::{Value, json};

const OTHER: &str =
    "ACME PLANT\n\nLONDON, March 10, 1987 - Acme Corp has 1,800 employees, a spokesman said.\n";
const OPEN: &str = "ACME PROFIT\n\nLONDON, March 2, 1987 - Acme Corp employs approximately 2,000 employees.\n\n\
Its sales rose 25 pct to 130 mln dlrs from 100 mln dlrs.\n\n\
The plant has 2,000 workers, 1,200 in production and 900 in research.\n";

fn diags_of(msg: &Value) -> Vec<Value> {
    msg["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn with_code<'a>(diags: &'a [Value], code: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

#[test]
fn fact_check_diagnostics_hover_actions_and_refresh() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("ws");
    fs::create_dir_all(&root).expect("dir");
    let other = root.join("plant.txt");
    let open = root.join("profit.txt");
    fs::write(&other, OTHER).expect("write");
    fs::write(&open, OPEN).expect("write");
    let cache = dir.path().join("cache");
    let mut lsp = Lsp::spawn(&[("NEWSLS_CACHE_DIR", cache.to_str().expect("utf-8"))]);
    lsp.initialize(Some(&root), &["utf-16"], json!({}));
    lsp.wait_indexed();
    let (uo, uother) = (file_uri(&open), file_uri(&other));
    lsp.open(&uo, OPEN);
    let msg = lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == uo && diags_of(m).len() == 3
    });
    let diags = diags_of(&msg);
    for d in &diags {
        assert_eq!(d["source"], "newsls", "{d}");
        assert_eq!(d["severity"], 3, "information by default: {d}");
    }
    // The conflict, on the figure, naming the other value, title and date, pointing at it.
    let conflict = with_code(&diags, "figure-conflict")[0];
    let at = OPEN.find("approximately 2,000").expect("figure");
    let (line, col) = pos_of(OPEN, at, true);
    assert_eq!(
        conflict["range"]["start"],
        json!({"line": line, "character": col})
    );
    assert_eq!(
        conflict["message"],
        "Acme Corp employees: approximately 2,000 employees here, but 1,800 employees in \"ACME PLANT\" (1987-03-10)"
    );
    let rel = &conflict["relatedInformation"][0];
    assert_eq!(rel["location"]["uri"], uother);
    let other_at = OTHER.find("1,800").expect("other figure");
    let (oline, ocol) = pos_of(OTHER, other_at, true);
    assert_eq!(
        rel["location"]["range"]["start"],
        json!({"line": oline, "character": ocol})
    );
    // The arithmetic.
    let change = with_code(&diags, "change-mismatch")[0];
    assert_eq!(
        change["message"],
        "a rise of 25 pct does not match 100 mln dlrs to 130 mln dlrs (+30.0%)"
    );
    assert_eq!(change["relatedInformation"].as_array().map(Vec::len), Some(2));
    let total = with_code(&diags, "total-mismatch")[0];
    assert!(
        total["message"]
            .as_str()
            .is_some_and(|m| m.contains("1,200 + 900 add up to 2,100")),
        "{total}"
    );

    // Hover on the figure says so.
    let hover = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uo}, "position": {"line": line, "character": col + 3}}),
        )
        .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or("").to_string();
    assert!(
        md.contains("**Figure conflict:**") && md.contains("1,800 employees"),
        "{md}"
    );

    // "Open the other article" shows it with the other figure selected.
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uo}, "range": conflict["range"], "context": {"diagnostics": [conflict]}}),
        )
        .expect("actions");
    let open_other = actions
        .as_array()
        .and_then(|a| {
            a.iter().find(|x| {
                x["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Open the other article"))
            })
        })
        .cloned()
        .expect("open-other action");
    lsp.request(
        "workspace/executeCommand",
        json!({"command": open_other["command"]["command"], "arguments": open_other["command"]["arguments"]}),
    )
    .expect("command");
    let shown = lsp.wait_server_request("window/showDocument");
    assert_eq!(shown["params"]["uri"], uother);
    assert_eq!(
        shown["params"]["selection"]["start"],
        json!({"line": oline, "character": ocol})
    );

    // The severity is a setting.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"newsls": {"diagnostics": {"factChecks": "warning"}}}}),
    );
    lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == uo && diags_of(m).iter().any(|d| d["severity"] == 2)
    });

    // "Mark as checked" keeps both values in the annotation file and silences the conflict...
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uo}, "range": conflict["range"], "context": {"diagnostics": [conflict]}}),
        )
        .expect("actions");
    let mark = actions
        .as_array()
        .and_then(|a| {
            a.iter().find(|x| {
                x["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Mark as checked"))
            })
        })
        .cloned()
        .expect("mark action");
    lsp.request(
        "workspace/executeCommand",
        json!({"command": mark["command"]["command"], "arguments": mark["command"]["arguments"]}),
    )
    .expect("command");
    let file = fs::read_to_string(root.join(".newsls/annotations.toml")).expect("annotations written");
    assert!(
        file.contains("[[checked]]")
            && file.contains("code = \"figure-conflict\"")
            && file.contains("text = \"approximately 2,000 employees\"")
            && file.contains("other_path = \"plant.txt\"")
            && file.contains("other_text = \"1,800 employees\""),
        "{file}"
    );
    lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == uo && diags_of(m).len() == 2
    });
    // ...until one of the two figures changes.
    fs::write(&other, OTHER.replace("1,800", "1,700")).expect("write");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uother, "type": 2}]}),
    );
    let back = lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == uo
            && diags_of(m)
                .iter()
                .any(|d| d["message"].as_str().is_some_and(|s| s.contains("1,700")))
    });
    assert_eq!(with_code(&diags_of(&back), "figure-conflict").len(), 1);

    // The other article now agrees: the conflict goes, the arithmetic stays.
    fs::write(&other, OTHER.replace("1,800", "1,990")).expect("write");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uother, "type": 2}]}),
    );
    let msg = lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == uo && diags_of(m).len() == 2
    });
    assert!(with_code(&diags_of(&msg), "figure-conflict").is_empty());
    lsp.shutdown();
}
