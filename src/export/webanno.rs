//! W3C Web Annotation Data Model, JSON-LD (<https://www.w3.org/TR/annotation-model/>).
//!
//! The export is one `AnnotationCollection` whose page lists one `Annotation` per entity:
//! its target is the article (`source`: the article's path, a relative IRI) narrowed by a
//! `TextQuoteSelector` (exact text with 32 characters of prefix and suffix) and a
//! `TextPositionSelector` (code-point `start`/`end`, as the model specifies). The bodies are
//! `TextualBody` values: the kind (`purpose: tagging`), the subkind (`classifying`), the
//! canonical name (`identifying`) and a figure's normalised value (`describing`).

use anyhow::{Context, bail};
use serde_json::json;

use crate::export::{ExportDoc, ExportEntity, byte_range, parse_kind, parse_sub};

/// Characters of prefix and suffix in a `TextQuoteSelector`.
pub const QUOTE_CONTEXT: usize = 32;

/// The annotations of one article.
pub fn annotations(doc: &ExportDoc) -> Vec<serde_json::Value> {
    let text = doc.text.as_str();
    doc.entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (prefix, suffix) = match byte_range(text, e.start, e.end) {
                Some(r) => {
                    let before = &text[..r.start];
                    let p = before
                        .char_indices()
                        .rev()
                        .nth(QUOTE_CONTEXT - 1)
                        .map_or(0, |(i, _)| i);
                    let after = &text[r.end..];
                    let s = after
                        .char_indices()
                        .nth(QUOTE_CONTEXT)
                        .map_or(after.len(), |(i, _)| i);
                    (&before[p..], &after[..s])
                }
                None => ("", ""),
            };
            let mut body =
                vec![json!({"type": "TextualBody", "purpose": "tagging", "value": e.kind.as_str()})];
            if let Some(sub) = e.subkind {
                body.push(json!({"type": "TextualBody", "purpose": "classifying", "value": sub.as_str()}));
            }
            body.push(json!({"type": "TextualBody", "purpose": "identifying", "value": e.canonical}));
            if let Some(v) = &e.value {
                body.push(json!({"type": "TextualBody", "purpose": "describing", "value": v}));
            }
            json!({
                "id": format!("urn:newsls:{}:{}", doc.id, i + 1),
                "type": "Annotation",
                "motivation": "tagging",
                "body": body,
                "target": {
                    "source": doc.path,
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": e.text, "prefix": prefix, "suffix": suffix},
                        {"type": "TextPositionSelector", "start": e.start, "end": e.end},
                    ],
                },
            })
        })
        .collect()
}

/// The whole export: an `AnnotationCollection` with one page holding every annotation.
pub fn collection(items: Vec<serde_json::Value>) -> serde_json::Value {
    json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:newsls:export",
        "type": "AnnotationCollection",
        "label": "Entities recognised by newsls",
        "total": items.len(),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    })
}

/// Reads an exported collection back: (source, entity) pairs in the collection's order.
pub fn read(v: &serde_json::Value) -> anyhow::Result<Vec<(String, ExportEntity)>> {
    let Some(items) = v.pointer("/first/items").and_then(|i| i.as_array()) else {
        bail!("not an AnnotationCollection with a first page of items");
    };
    let mut res = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        res.push(read_one(item).with_context(|| format!("annotation {}", i + 1))?);
    }
    Ok(res)
}

fn read_one(item: &serde_json::Value) -> anyhow::Result<(String, ExportEntity)> {
    let source = item
        .pointer("/target/source")
        .and_then(|s| s.as_str())
        .context("no target source")?;
    let selectors = item
        .pointer("/target/selector")
        .and_then(|s| s.as_array())
        .context("no selectors")?;
    let find = |t: &str| {
        selectors
            .iter()
            .find(|s| s.get("type").and_then(|x| x.as_str()) == Some(t))
    };
    let position = find("TextPositionSelector").context("no TextPositionSelector")?;
    let num = |k: &str| {
        position
            .get(k)
            .and_then(|x| x.as_u64())
            .and_then(|x| usize::try_from(x).ok())
            .with_context(|| format!("bad {k}"))
    };
    let exact = find("TextQuoteSelector")
        .and_then(|q| q.get("exact"))
        .and_then(|x| x.as_str())
        .unwrap_or("");
    let bodies = item.get("body").and_then(|b| b.as_array()).context("no body")?;
    let body = |purpose: &str| {
        bodies
            .iter()
            .find(|b| b.get("purpose").and_then(|x| x.as_str()) == Some(purpose))
            .and_then(|b| b.get("value"))
            .and_then(|x| x.as_str())
    };
    let kind_name = body("tagging").context("no tagging body")?;
    let kind = parse_kind(kind_name).with_context(|| format!("unknown kind {kind_name:?}"))?;
    let subkind = match body("classifying") {
        Some(s) => Some(parse_sub(s).with_context(|| format!("unknown subkind {s:?}"))?),
        None => None,
    };
    Ok((
        source.to_string(),
        ExportEntity {
            start: num("start")?,
            end: num("end")?,
            text: exact.to_string(),
            kind,
            subkind,
            canonical: body("identifying").unwrap_or(exact).to_string(),
            value: body("describing").map(str::to_string),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn round_trip_and_selectors_agree_with_text() {
        let text = "« Busan » — RKM (Renault Korea Motors) expects 25 percent growth in 2025. 😀";
        let entities = crate::recognize::recognizer().annotate(text);
        let doc = ExportDoc::new(Path::new("k/b.md"), "k/b.md".into(), text, &entities);
        let all = collection(annotations(&doc));
        assert_eq!(all["total"].as_u64(), Some(doc.entities.len() as u64));
        let back = read(&all).expect("reads");
        let got: Vec<ExportEntity> = back.iter().map(|(_, e)| e.clone()).collect();
        assert_eq!(got, doc.entities);
        let chars: Vec<char> = text.chars().collect();
        for item in all["first"]["items"].as_array().expect("items") {
            let sel = &item["target"]["selector"];
            let (s, e) = (
                sel[1]["start"].as_u64().expect("start") as usize,
                sel[1]["end"].as_u64().expect("end") as usize,
            );
            let exact: String = chars[s..e].iter().collect();
            assert_eq!(sel[0]["exact"].as_str(), Some(exact.as_str()));
            let prefix = sel[0]["prefix"].as_str().expect("prefix");
            let before: String = chars[..s].iter().collect();
            assert!(before.ends_with(prefix));
        }
        assert!(read(&json!({"type": "AnnotationCollection"})).is_err());
    }
}
