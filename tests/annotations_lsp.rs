//! End-to-end tests of annotations in `newsls serve`: code actions, the commands that write
//! `.newsls/annotations.toml`, their effect on tokens of open documents and on the corpus
//! index, hand edits picked up through file watching, a malformed file, and two servers
//! writing to one workspace at once.

mod lsp_client;

use std::fs;
use std::path::PathBuf;

use lsp_client::{Lsp, data_of, decode_tokens, file_uri, pos_of};
use serde_json::{Value, json};

const A: &str = "harbour.txt";
const B: &str = "shipping.txt";
const TEXT_A: &str = "Port Opens New Terminal\n\nThe Vostra Port Authority opened a terminal on Monday in \
    Busan. Officials in Seoul said the $450 million project beat its schedule.\n\nVostra Port Authority \
    staff moved to Busan.\n";
const TEXT_B: &str = "Shipping Lines Move\n\nHanjin Shipping said it would move ships to Busan next \
    year, and Vostra Port Authority agreed.\n";

struct Ws {
    _dir: tempfile::TempDir,
    root: PathBuf,
    cache: PathBuf,
}

fn workspace() -> Ws {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("ws");
    fs::create_dir_all(&root).expect("dir");
    fs::write(root.join(A), TEXT_A).expect("write");
    fs::write(root.join(B), TEXT_B).expect("write");
    let cache = dir.path().join("cache");
    Ws {
        _dir: dir,
        root,
        cache,
    }
}

fn start(ws: &Ws) -> (Lsp, Value) {
    let mut lsp = Lsp::spawn(&[("NEWSLS_CACHE_DIR", ws.cache.to_str().expect("utf-8"))]);
    let init = lsp.initialize(Some(&ws.root), &["utf-16"], json!({}));
    lsp.wait_indexed();
    let legend = init["capabilities"]["semanticTokensProvider"]["legend"].clone();
    (lsp, legend)
}

fn uri(ws: &Ws, name: &str) -> String {
    file_uri(&ws.root.join(name))
}

/// The (text, kind) of every token of an open document.
fn tokens(lsp: &mut Lsp, legend: &Value, uri: &str, text: &str) -> Vec<(String, String)> {
    let res = lsp
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("tokens");
    let lines: Vec<&str> = text.split('\n').collect();
    decode_tokens(&data_of(&res), legend)
        .into_iter()
        .map(|t| {
            let line: Vec<u16> = lines[t.line as usize].encode_utf16().collect();
            let s = String::from_utf16_lossy(&line[t.start as usize..(t.start + t.len) as usize]);
            (s, t.kind)
        })
        .collect()
}

/// Tokens, asked again (for at most 10 s) until `done` holds: for changes that land
/// asynchronously, such as a watched file being reloaded.
fn tokens_until(
    lsp: &mut Lsp,
    legend: &Value,
    uri: &str,
    text: &str,
    done: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let toks = tokens(lsp, legend, uri, text);
        if done(&toks) || std::time::Instant::now() > deadline {
            return toks;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn range_of(text: &str, needle: &str, nth: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .expect("needle");
    let (l0, c0) = pos_of(text, at, true);
    let (l1, c1) = pos_of(text, at + needle.len(), true);
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

fn actions(lsp: &mut Lsp, uri: &str, range: Value) -> Vec<Value> {
    lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
    )
    .expect("code actions")
    .as_array()
    .cloned()
    .unwrap_or_default()
}

fn run(lsp: &mut Lsp, action: &Value) -> Value {
    let cmd = &action["command"];
    lsp.request(
        "workspace/executeCommand",
        json!({"command": cmd["command"], "arguments": cmd["arguments"]}),
    )
    .expect("command runs")
}

fn find<'a>(actions: &'a [Value], title_part: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.contains(title_part)))
        .unwrap_or_else(|| panic!("no action containing {title_part:?} in {actions:#?}"))
}

fn has(tokens: &[(String, String)], text: &str, kind: &str) -> bool {
    tokens.iter().any(|(t, k)| t == text && k == kind)
}

fn references(lsp: &mut Lsp, uri: &str, text: &str, needle: &str) -> Vec<Value> {
    let at = text.find(needle).expect("needle");
    let (line, character) = pos_of(text, at + 1, true);
    lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character},
               "context": {"includeDeclaration": true}}),
    )
    .expect("references")
    .as_array()
    .cloned()
    .unwrap_or_default()
}

#[test]
fn code_actions_write_rules_and_apply_them_everywhere() {
    let ws = workspace();
    let (mut lsp, legend) = start(&ws);
    let (ua, ub) = (uri(&ws, A), uri(&ws, B));
    lsp.open(&ua, TEXT_A);
    lsp.open(&ub, TEXT_B);

    // 1. Mark a name the recogniser may or may not know as an organization (selection).
    let list = actions(&mut lsp, &ua, range_of(TEXT_A, "Vostra Port Authority", 0));
    let mark = list
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.contains("to organization") || t.contains("as organization"))
        })
        .cloned();
    if let Some(mark) = mark {
        let res = run(&mut lsp, &mark);
        assert!(
            res["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("annotations.toml"))
        );
    } else {
        // Already an organization: change its kind to place and back, through the same command.
        let to_place = find(&list, "to place").clone();
        run(&mut lsp, &to_place);
        let back = actions(&mut lsp, &ua, range_of(TEXT_A, "Vostra Port Authority", 0));
        run(&mut lsp, find(&back, "to organization"));
    }
    let file = ws.root.join(".newsls/annotations.toml");
    let content = fs::read_to_string(&file).expect("annotation file written");
    assert!(
        content.contains("text = \"Vostra Port Authority\"") && content.contains("kind = \"organization\"")
    );
    for (u, t) in [(&ua, TEXT_A), (&ub, TEXT_B)] {
        let toks = tokens(&mut lsp, &legend, u, t);
        assert!(
            has(&toks, "Vostra Port Authority", "organization"),
            "{u}: {toks:?}"
        );
    }

    // 2. "Not an entity (everywhere)" on Busan: gone from both open articles and from the index.
    let refs_before = references(&mut lsp, &ub, TEXT_B, "Busan");
    assert!(
        refs_before.len() >= 3,
        "Busan is known in both articles: {refs_before:?}"
    );
    let list = actions(&mut lsp, &ua, range_of(TEXT_A, "Busan", 0));
    run(&mut lsp, find(&list, "not an entity (everywhere)"));
    let content = fs::read_to_string(&file).expect("read");
    assert!(content.contains("[[not_entity]]\ntext = \"Busan\""), "{content}");
    for (u, t) in [(&ua, TEXT_A), (&ub, TEXT_B)] {
        let toks = tokens(&mut lsp, &legend, u, t);
        assert!(!toks.iter().any(|(s, _)| s == "Busan"), "{u}: {toks:?}");
    }
    let symbols = lsp
        .request("workspace/symbol", json!({"query": "Busan"}))
        .expect("symbols");
    assert!(
        !symbols
            .as_array()
            .is_some_and(|s| s.iter().any(|x| x["name"] == "Busan")),
        "{symbols}"
    );

    // 3. "Not an entity (here only)" on the first Seoul: the rule is anchored to this mention.
    let list = actions(&mut lsp, &ua, range_of(TEXT_A, "Seoul", 0));
    if list
        .iter()
        .any(|a| a["title"].as_str().is_some_and(|t| t.contains("here only")))
    {
        run(&mut lsp, find(&list, "here only"));
        let content = fs::read_to_string(&file).expect("read");
        assert!(content.contains("[[mention]]") && content.contains("path = \"harbour.txt\""));
        let toks = tokens(&mut lsp, &legend, &ua, TEXT_A);
        assert!(!toks.iter().any(|(s, _)| s == "Seoul"));
    }

    // 4. "Add as alias of ...": the shorter form becomes an alias of the canonical name.
    let list = actions(&mut lsp, &ub, range_of(TEXT_B, "Hanjin", 0));
    let alias = list
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.contains("as alias of \"Vostra Port Authority\""))
        })
        .cloned()
        .unwrap_or_else(|| panic!("alias choices offered: {list:#?}"));
    run(&mut lsp, &alias);
    let content = fs::read_to_string(&file).expect("read");
    assert!(
        content.contains("[[alias]]\ntext = \"Hanjin\"\nof = \"Vostra Port Authority\""),
        "{content}"
    );
    let refs = references(&mut lsp, &ua, TEXT_A, "Vostra Port Authority");
    assert!(
        refs.iter().any(|r| r["uri"].as_str() == Some(ub.as_str())),
        "the alias links the other article: {refs:?}"
    );

    // 5. Export through the server.
    let out = ws.root.join("../export.jsonl");
    let res = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "newsls.export", "arguments": [{"format": "jsonl", "out": out}]}),
        )
        .expect("export");
    assert!(res["out"].is_string());
    let exported = fs::read_to_string(&out).expect("exported");
    assert_eq!(exported.lines().count(), 2);
    assert!(!exported.contains("\"text\":\"Busan\""));
    lsp.shutdown();
}

#[test]
fn hand_edits_are_watched_and_a_malformed_file_keeps_the_last_rules() {
    let ws = workspace();
    let file = ws.root.join(".newsls/annotations.toml");
    fs::create_dir_all(file.parent().expect("dir")).expect("dir");
    fs::write(&file, "schema = 1\n\n[[not_entity]]\ntext = \"Seoul\"\n").expect("write");
    let (mut lsp, legend) = start(&ws);
    let ua = uri(&ws, A);
    lsp.open(&ua, TEXT_A);
    let toks = tokens(&mut lsp, &legend, &ua, TEXT_A);
    assert!(
        !toks.iter().any(|(s, _)| s == "Seoul"),
        "rules loaded at start: {toks:?}"
    );

    // A hand edit (or a git pull) is picked up through the watcher notification.
    fs::write(
        &file,
        "schema = 1\n\n# by hand\n[[entity]]\ntext = \"Officials\"\nkind = \"person\"\n",
    )
    .expect("write");
    let file_uri = file_uri(&file);
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri, "type": 2}]}),
    );
    // File watching is asynchronous: the reload may land after the next request.
    let toks = tokens_until(&mut lsp, &legend, &ua, TEXT_A, |t| has(t, "Officials", "person"));
    assert!(has(&toks, "Officials", "person"), "{toks:?}");
    assert!(
        toks.iter().any(|(s, _)| s == "Seoul"),
        "the old rule is gone: {toks:?}"
    );

    // A malformed file: a diagnostic on the file, and the previous rules stay.
    fs::write(
        &file,
        "schema = 1\n[[entity]]\ntext = \"Seoul\"\nkind = \"planet\"\n",
    )
    .expect("write");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri, "type": 2}]}),
    );
    let diag = lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == file_uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.is_empty())
    });
    assert_eq!(diag["params"]["diagnostics"][0]["range"]["start"]["line"], 3);
    let toks = tokens(&mut lsp, &legend, &ua, TEXT_A);
    assert!(has(&toks, "Officials", "person"), "previous rules kept: {toks:?}");
    // Commands refuse to overwrite the malformed file.
    let list = actions(&mut lsp, &ua, range_of(TEXT_A, "Seoul", 0));
    let any = list.first().expect("some action").clone();
    let cmd = &any["command"];
    let err = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": cmd["command"], "arguments": cmd["arguments"]}),
        )
        .expect_err("refused");
    assert!(
        err["message"].as_str().is_some_and(|m| m.contains("planet")),
        "{err}"
    );
    assert!(fs::read_to_string(&file).expect("read").contains("planet"));
    // Fixed: the diagnostic is cleared.
    fs::write(&file, "schema = 1\n").expect("write");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri, "type": 2}]}),
    );
    lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == file_uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.is_empty())
    });
    lsp.shutdown();
}

#[test]
fn two_servers_writing_at_once_lose_nothing() {
    let ws = workspace();
    let names: Vec<String> = (0..2).map(|i| format!("server-{i}")).collect();
    let handles: Vec<_> = names
        .iter()
        .map(|name| {
            let root = ws.root.clone();
            let cache = ws.cache.join(name);
            let name = name.clone();
            std::thread::spawn(move || {
                let mut lsp = Lsp::spawn(&[("NEWSLS_CACHE_DIR", cache.to_str().expect("utf-8"))]);
                lsp.initialize(Some(&root), &["utf-16"], json!({}));
                let text = format!(
                    "Notes\n\n{}\n",
                    (0..12)
                        .map(|i| format!("Word{i}x{name}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                let path = root.join(format!("{name}.txt"));
                fs::write(&path, &text).expect("write");
                let u = file_uri(&path);
                lsp.open(&u, &text);
                for i in 0..12 {
                    let needle = format!("Word{i}x{name}");
                    let r = range_of(&text, &needle, 0);
                    lsp.request(
                        "workspace/executeCommand",
                        json!({"command": "newsls.annotate.setKind",
                               "arguments": [{"uri": u, "range": r, "kind": "organization"}]}),
                    )
                    .expect("write");
                }
                lsp.shutdown();
            })
        })
        .collect();
    for h in handles {
        h.join().expect("server thread");
    }
    let content = fs::read_to_string(ws.root.join(".newsls/annotations.toml")).expect("read");
    for name in &names {
        for i in 0..12 {
            assert!(
                content.contains(&format!("text = \"Word{i}x{name}\"")),
                "lost Word{i}x{name}"
            );
        }
    }
    assert_eq!(content.matches("[[entity]]").count(), 24);
}

#[test]
fn uncertain_mentions_get_information_diagnostics_when_enabled() {
    let ws = workspace();
    // Invented names, some of which the name model is unsure of (a margin below its sure
    // margin: `cargo run --release --example tagdebug -- data/name_model.bin "..."` prints the
    // margins). Several sentences, so that a retrained model still leaves some unsure.
    let text = "Council Talks\n\nYesterday the Quentari Velmont group met Drasko Pilevic near Ostrava Ridge, \
                and Velmont staff said Brenna Holt would follow, citing a paper by AS Korvel. \
                Officials from Marvesto and the Tollan Brae trust visited Kessering on Friday, \
                where Ulla Vantree of Grenmoor Partners spoke. The Sorvik Hall meeting drew Pell \
                Arrin, Casto Venn and members of Brightwater Lane.\n";
    let path = ws.root.join("talks.txt");
    fs::write(&path, text).expect("write");
    let mut lsp = Lsp::spawn(&[("NEWSLS_CACHE_DIR", ws.cache.to_str().expect("utf-8"))]);
    lsp.initialize(
        Some(&ws.root),
        &["utf-16"],
        json!({"diagnostics": {"uncertain": true}}),
    );
    lsp.wait_indexed();
    let u = file_uri(&path);
    lsp.open(&u, text);
    let published = lsp.wait_notification("textDocument/publishDiagnostics", |m| m["params"]["uri"] == u);
    let diags = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!diags.is_empty(), "unknown capitalised names are weak evidence");
    for d in &diags {
        assert_eq!(d["severity"], 3, "information: {d}");
        assert_eq!(d["code"], "uncertain");
    }
    {
        let first = &diags[0];
        // The quick fixes are the code actions at the diagnostic's range.
        let list = actions(&mut lsp, &u, first["range"].clone());
        run(&mut lsp, find(&list, "not an entity (everywhere)"));
        let n_before = diags.len();
        let again = lsp.wait_notification("textDocument/publishDiagnostics", |m| {
            m["params"]["uri"] == u
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.len() < n_before)
        });
        assert!(
            again["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.len() < n_before)
        );
    }
    lsp.shutdown();
}

fn write_rules(root: &std::path::Path, body: &str) -> PathBuf {
    let file = root.join(".newsls/annotations.toml");
    fs::create_dir_all(file.parent().expect("dir")).expect("dir");
    fs::write(&file, format!("schema = 1\n\n{body}")).expect("write");
    file
}

fn kind_rule(text: &str, kind: &str) -> String {
    format!("[[entity]]\ntext = \"{text}\"\nkind = \"{kind}\"\n")
}

fn kind_of(tokens: &[(String, String)], text: &str) -> Option<String> {
    tokens.iter().find(|(t, _)| t == text).map(|(_, k)| k.clone())
}

#[test]
fn each_workspace_folder_uses_its_own_annotation_file() {
    // Two folders (think ~/news/politics and ~/news/business), each with an article mentioning
    // Busan and its own annotation file deciding differently.
    let dir = tempfile::tempdir().expect("tmp");
    let (pol, biz) = (dir.path().join("politics"), dir.path().join("business"));
    for d in [&pol, &biz] {
        fs::create_dir_all(d).expect("dir");
    }
    fs::write(pol.join(A), TEXT_A).expect("write");
    fs::write(biz.join(A), TEXT_A).expect("write");
    fs::write(biz.join(B), TEXT_B).expect("write");
    let pol_file = write_rules(&pol, &kind_rule("Busan", "person"));
    let biz_file = write_rules(&biz, &kind_rule("Busan", "organization"));
    let cache = dir.path().join("cache");
    let mut lsp = Lsp::spawn(&[("NEWSLS_CACHE_DIR", cache.to_str().expect("utf-8"))]);
    let init = lsp.initialize_folders(&[&pol, &biz], &["utf-16"], json!({}));
    let legend = init["capabilities"]["semanticTokensProvider"]["legend"].clone();
    lsp.wait_indexed();
    let (u_pol, u_biz) = (file_uri(&pol.join(A)), file_uri(&biz.join(B)));
    lsp.open(&u_pol, TEXT_A);
    lsp.open(&u_biz, TEXT_B);

    // Tokens follow the rules of the folder holding the document.
    let toks = tokens(&mut lsp, &legend, &u_biz, TEXT_B);
    assert_eq!(
        kind_of(&toks, "Busan").as_deref(),
        Some("organization"),
        "{toks:?}"
    );
    let toks = tokens(&mut lsp, &legend, &u_pol, TEXT_A);
    assert_eq!(kind_of(&toks, "Busan").as_deref(), Some("person"), "{toks:?}");

    // So does the corpus index: the hover in business counts the two business articles, not
    // the politics one (indexed as a person there).
    let at = TEXT_B.find("Busan").expect("Busan");
    let (line, character) = pos_of(TEXT_B, at + 1, true);
    let hover = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u_biz}, "position": {"line": line, "character": character}}),
        )
        .expect("hover");
    let md = hover["contents"]["value"].as_str().expect("markdown hover");
    assert!(md.contains("· organization"), "{md}");
    assert!(md.contains("Mentioned in **2** articles"), "{md}");
    assert!(md.contains(&file_uri(&biz.join(A))), "{md}");
    assert!(!md.contains(&file_uri(&pol.join(A))), "{md}");

    // A correction on a business document goes to the business file only.
    let pol_before = fs::read_to_string(&pol_file).expect("read");
    let list = actions(&mut lsp, &u_biz, range_of(TEXT_B, "Busan", 0));
    let res = run(&mut lsp, find(&list, "to place"));
    assert_eq!(res["file"].as_str(), Some(biz_file.to_str().expect("utf-8")));
    let biz_content = fs::read_to_string(&biz_file).expect("read");
    assert!(
        biz_content.contains("text = \"Busan\"\nkind = \"place\""),
        "{biz_content}"
    );
    assert_eq!(fs::read_to_string(&pol_file).expect("read"), pol_before);
    let toks = tokens(&mut lsp, &legend, &u_biz, TEXT_B);
    assert_eq!(kind_of(&toks, "Busan").as_deref(), Some("place"), "{toks:?}");
    let toks = tokens(&mut lsp, &legend, &u_pol, TEXT_A);
    assert_eq!(kind_of(&toks, "Busan").as_deref(), Some("person"), "{toks:?}");
    // A mention decision names the article relative to its own folder.
    let list = actions(&mut lsp, &u_biz, range_of(TEXT_B, "Busan", 0));
    run(&mut lsp, find(&list, "here only"));
    let biz_content = fs::read_to_string(&biz_file).expect("read");
    assert!(
        biz_content.contains("[[mention]]") && biz_content.contains(&format!("path = \"{B}\"")),
        "{biz_content}"
    );
    assert_eq!(fs::read_to_string(&pol_file).expect("read"), pol_before);
    let toks = tokens(&mut lsp, &legend, &u_biz, TEXT_B);
    assert_eq!(kind_of(&toks, "Busan"), None, "{toks:?}");

    // A hand edit of the politics file reloads politics only.
    fs::write(
        &pol_file,
        format!("schema = 1\n\n{}", kind_rule("Busan", "figure")),
    )
    .expect("write");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&pol_file), "type": 2}]}),
    );
    let toks = tokens_until(&mut lsp, &legend, &u_pol, TEXT_A, |t| {
        kind_of(t, "Busan").as_deref() == Some("figure")
    });
    assert_eq!(kind_of(&toks, "Busan").as_deref(), Some("figure"), "{toks:?}");
    let toks = tokens(&mut lsp, &legend, &u_biz, TEXT_B);
    assert_eq!(kind_of(&toks, "Busan"), None, "business untouched: {toks:?}");

    // A malformed politics file: a diagnostic on that file; business keeps working.
    fs::write(
        &pol_file,
        "schema = 1\n[[entity]]\ntext = \"Seoul\"\nkind = \"planet\"\n",
    )
    .expect("write");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&pol_file), "type": 2}]}),
    );
    let diag = lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    });
    assert_eq!(diag["params"]["uri"], file_uri(&pol_file));
    let biz_doc_a = file_uri(&biz.join(A));
    lsp.open(&biz_doc_a, TEXT_A);
    let list = actions(&mut lsp, &biz_doc_a, range_of(TEXT_A, "Seoul", 0));
    run(&mut lsp, find(&list, "not an entity (everywhere)"));
    let biz_content = fs::read_to_string(&biz_file).expect("read");
    assert!(
        biz_content.contains("[[not_entity]]\ntext = \"Seoul\""),
        "{biz_content}"
    );
    let toks = tokens(&mut lsp, &legend, &u_pol, TEXT_A);
    assert_eq!(
        kind_of(&toks, "Busan").as_deref(),
        Some("figure"),
        "politics keeps its last good rules: {toks:?}"
    );

    // Export: each folder with its own rules.
    let export = |lsp: &mut Lsp, root: &std::path::Path| -> Vec<(String, String)> {
        let out = dir.path().join("export.jsonl");
        lsp.request(
            "workspace/executeCommand",
            json!({"command": "newsls.export",
                   "arguments": [{"format": "jsonl", "root": root, "out": out}]}),
        )
        .expect("export");
        fs::read_to_string(&out)
            .expect("exported")
            .lines()
            .flat_map(|l| {
                let doc: Value = serde_json::from_str(l).expect("json line");
                doc["entities"].as_array().cloned().unwrap_or_default()
            })
            .map(|e| {
                (
                    e["text"].as_str().unwrap_or("").to_string(),
                    e["kind"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let biz_export = export(&mut lsp, &biz);
    let busan: Vec<&str> = biz_export
        .iter()
        .filter(|(t, _)| t == "Busan")
        .map(|(_, k)| k.as_str())
        .collect();
    assert!(
        !busan.is_empty() && busan.iter().all(|k| *k == "place"),
        "{biz_export:?}"
    );
    assert!(!biz_export.iter().any(|(t, _)| t == "Seoul"), "{biz_export:?}");
    let pol_export = export(&mut lsp, &pol);
    assert!(
        pol_export.iter().any(|(t, k)| t == "Busan" && k == "figure"),
        "{pol_export:?}"
    );
    assert!(pol_export.iter().any(|(t, _)| t == "Seoul"), "{pol_export:?}");

    // A document outside every folder: corrections are refused, with a clear message.
    let loose = dir.path().join("loose.txt");
    fs::write(&loose, TEXT_A).expect("write");
    let u_loose = file_uri(&loose);
    lsp.open(&u_loose, TEXT_A);
    let err = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "newsls.annotate.notEntity",
                   "arguments": [{"uri": u_loose, "range": range_of(TEXT_A, "Seoul", 0)}]}),
        )
        .expect_err("refused");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("not in a workspace folder")),
        "{err}"
    );

    // Folders come and go: a removed folder's rules and diagnostic go, an added one's apply.
    let world = dir.path().join("world");
    fs::create_dir_all(&world).expect("dir");
    fs::write(world.join(B), TEXT_B).expect("write");
    write_rules(&world, &kind_rule("Busan", "person"));
    lsp.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(&world), "name": "world"}],
                         "removed": [{"uri": file_uri(&pol), "name": "ws0"}]}}),
    );
    lsp.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == file_uri(&pol_file)
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.is_empty())
    });
    let u_world = file_uri(&world.join(B));
    lsp.open(&u_world, TEXT_B);
    let toks = tokens_until(&mut lsp, &legend, &u_world, TEXT_B, |t| {
        kind_of(t, "Busan").as_deref() == Some("person")
    });
    assert_eq!(kind_of(&toks, "Busan").as_deref(), Some("person"), "{toks:?}");
    // Politics is no folder any more: its document has no rules (Busan is a place again).
    let toks = tokens(&mut lsp, &legend, &u_pol, TEXT_A);
    assert_eq!(kind_of(&toks, "Busan").as_deref(), Some("place"), "{toks:?}");
    lsp.shutdown();
}
