//! JSON lines: one object per article, the schema of `newsls annotate --format jsonl`:
//! `{"id", "path", "title", "entities": [{"start", "end", "text", "kind", "subkind",
//! "canonical", "value"}]}` with code-point offsets.

use std::io::{BufRead, Write};

use anyhow::{Context, bail};
use serde_json::json;

use crate::export::{ExportDoc, ExportEntity, parse_kind, parse_sub};

/// The JSON object of one article.
pub fn to_json(doc: &ExportDoc) -> serde_json::Value {
    let entities: Vec<serde_json::Value> = doc
        .entities
        .iter()
        .map(|e| {
            json!({
                "start": e.start, "end": e.end, "text": e.text, "kind": e.kind.as_str(),
                "subkind": e.subkind.map(|s| s.as_str()), "canonical": e.canonical, "value": e.value,
            })
        })
        .collect();
    json!({"id": doc.id, "path": doc.path, "title": doc.title, "entities": entities})
}

pub fn write(out: &mut impl Write, doc: &ExportDoc) -> std::io::Result<()> {
    writeln!(out, "{}", to_json(doc))
}

/// An article read back from JSON lines (the text is not part of the format).
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub id: String,
    pub path: String,
    pub title: String,
    pub entities: Vec<ExportEntity>,
}

/// Reads JSON lines; errors name the line.
pub fn read(input: impl BufRead) -> anyhow::Result<Vec<Imported>> {
    let mut res = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let line = line.with_context(|| format!("reading line {}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("line {}: invalid JSON", n + 1))?;
        res.push(from_json(&v).with_context(|| format!("line {}", n + 1))?);
    }
    Ok(res)
}

pub fn from_json(v: &serde_json::Value) -> anyhow::Result<Imported> {
    let s = |key: &str| v.get(key).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let Some(list) = v.get("entities").and_then(|e| e.as_array()) else {
        bail!("no \"entities\" array");
    };
    let mut entities = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        entities.push(entity_from_json(e).with_context(|| format!("entity {}", i + 1))?);
    }
    Ok(Imported {
        id: s("id"),
        path: s("path"),
        title: s("title"),
        entities,
    })
}

fn entity_from_json(e: &serde_json::Value) -> anyhow::Result<ExportEntity> {
    let num = |key: &str| {
        e.get(key)
            .and_then(|x| x.as_u64())
            .and_then(|x| usize::try_from(x).ok())
            .with_context(|| format!("\"{key}\" must be a non-negative integer"))
    };
    let opt = |key: &str| e.get(key).and_then(|x| x.as_str()).map(str::to_string);
    let kind_name = opt("kind").context("missing \"kind\"")?;
    let kind = parse_kind(&kind_name).with_context(|| format!("unknown kind {kind_name:?}"))?;
    let subkind = match opt("subkind") {
        None => None,
        Some(s) => Some(parse_sub(&s).with_context(|| format!("unknown subkind {s:?}"))?),
    };
    let (start, end) = (num("start")?, num("end")?);
    if end < start {
        bail!("\"end\" {end} is before \"start\" {start}");
    }
    Ok(ExportEntity {
        start,
        end,
        text: opt("text").unwrap_or_default(),
        kind,
        subkind,
        canonical: opt("canonical").unwrap_or_default(),
        value: opt("value"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn round_trip_is_exact() {
        let text = "Ünïcode first: Renault Korea Motors (RKM) will invest $1.3 billion in Busan.\n";
        let entities = crate::recognize::recognizer().annotate(text);
        let doc = ExportDoc::new(Path::new("x/a.txt"), "x/a.txt".into(), text, &entities);
        assert!(!doc.entities.is_empty());
        let mut buf = Vec::new();
        write(&mut buf, &doc).expect("write");
        write(&mut buf, &doc).expect("write");
        let back = read(&buf[..]).expect("read");
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].entities, doc.entities);
        assert_eq!((back[0].id.as_str(), back[0].path.as_str()), ("a", "x/a.txt"));
        for e in &back[0].entities {
            let r = crate::export::byte_range(text, e.start, e.end).expect("in range");
            assert_eq!(&text[r], e.text);
        }
    }

    #[test]
    fn bad_input_names_the_line() {
        let err = read(&b"{\"entities\": []}\n{oops\n"[..]).expect_err("bad");
        assert!(format!("{err:#}").contains("line 2"));
        let err = read(&b"{\"entities\": [{\"start\": 1, \"end\": 0, \"kind\": \"place\"}]}"[..])
            .expect_err("reversed");
        assert!(format!("{err:#}").contains("before"), "{err:#}");
        let err = read(&b"{\"entities\": [{\"start\": 0, \"end\": 1, \"kind\": \"planet\"}]}"[..])
            .expect_err("kind");
        assert!(format!("{err:#}").contains("planet"));
    }
}
