//! brat standoff: an `.ann` file beside each `.txt` article.
//!
//! Each entity is a text-bound annotation `T<n>\t<Type> <start> <end>\t<text>` with types
//! `Organization`, `Place`, `Person`, `Figure` and code-point offsets into the `.txt`. An entity
//! that crosses a line break is written as brat's discontinuous span (`0 7;8 13`, one fragment
//! per line) because brat's text field cannot hold a newline. The subkind is an attribute
//! (`A<n>\tSubkind T<n> company`) and the canonical name and value go in a note
//! (`#<n>\tAnnotatorNotes T<n>\t{"canonical": ..., "value": ...}`), so nothing is lost.

use anyhow::{Context, bail};
use serde_json::json;

use crate::export::{ExportDoc, ExportEntity, byte_range, parse_sub};
use crate::recognize::Kind;

/// brat's `annotation.conf` declaring the types and attribute the export uses.
pub const ANNOTATION_CONF: &str = "\
# newsls export: entity types and the subkind attribute.
[entities]
Organization
Place
Person
Figure

[relations]

[events]

[attributes]
Subkind Arg:<ENTITY>, Value:company|government|union|education|institution|country|region|city|facility|money|percent|quantity|count|date
";

/// brat's visual configuration giving the four types the newsls colours.
pub const VISUAL_CONF: &str = "\
[labels]
Organization | Organization | ORG
Place | Place | LOC
Person | Person | PER
Figure | Figure | FIG

[drawing]
Organization\tbgColor:#8fb2ff
Place\tbgColor:#7fe2a0
Person\tbgColor:#ffccaa
Figure\tbgColor:#ffe080
";

pub fn type_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Organization => "Organization",
        Kind::Place => "Place",
        Kind::Person => "Person",
        Kind::Figure => "Figure",
    }
}

fn parse_type(s: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| type_name(*k) == s)
}

/// The `.ann` content for `doc` (whose text is the `.txt` written beside it).
pub fn to_ann(doc: &ExportDoc) -> String {
    let mut out = String::new();
    let mut n_attr = 0;
    for (i, e) in doc.entities.iter().enumerate() {
        let n = i + 1;
        let fragments = fragments(&doc.text, e);
        let offsets: Vec<String> = fragments.iter().map(|(s, e, _)| format!("{s} {e}")).collect();
        let texts: Vec<&str> = fragments.iter().map(|(_, _, t)| t.as_str()).collect();
        out.push_str(&format!(
            "T{n}\t{} {}\t{}\n",
            type_name(e.kind),
            offsets.join(";"),
            texts.join(" ")
        ));
        if let Some(sub) = e.subkind {
            n_attr += 1;
            out.push_str(&format!("A{n_attr}\tSubkind T{n} {}\n", sub.as_str()));
        }
        let note = json!({"canonical": e.canonical, "value": e.value});
        out.push_str(&format!("#{n}\tAnnotatorNotes T{n}\t{note}\n"));
    }
    out
}

/// The entity's span split at line breaks: (start, end, text) per line, code points.
fn fragments(text: &str, e: &ExportEntity) -> Vec<(usize, usize, String)> {
    let surface: Vec<char> = match byte_range(text, e.start, e.end) {
        Some(r) => text[r].chars().collect(),
        None => e.text.chars().collect(),
    };
    let mut res = Vec::new();
    let mut start = None;
    for (i, c) in surface.iter().enumerate() {
        let is_break = *c == '\n' || *c == '\r';
        match (start, is_break) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                res.push((e.start + s, e.start + i, surface[s..i].iter().collect()));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        res.push((e.start + s, e.end, surface[s..].iter().collect()));
    }
    if res.is_empty() {
        res.push((e.start, e.end, String::new()));
    }
    res
}

/// How brat writes a surface: its lines joined by a space.
fn brat_text(surface: &str) -> String {
    surface
        .split(['\n', '\r'])
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads an `.ann` file against its `.txt` text. Lines of other annotation types (relations,
/// events, ...) are ignored; errors name the line.
pub fn from_ann(text: &str, ann: &str) -> anyhow::Result<Vec<ExportEntity>> {
    let mut by_id: Vec<(String, ExportEntity)> = Vec::new();
    let mut subkinds: Vec<(String, String)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let ctx = || format!("line {}", n + 1);
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or("");
        let mid = cols.next().unwrap_or("");
        let rest = cols.next();
        if id.starts_with('T') {
            let (type_name, offsets) = mid
                .split_once(' ')
                .with_context(|| format!("{}: no offsets", ctx()))?;
            let kind =
                parse_type(type_name).with_context(|| format!("{}: unknown type {type_name:?}", ctx()))?;
            let mut bounds = Vec::new();
            for frag in offsets.split(';') {
                let (s, e) = frag
                    .split_once(' ')
                    .with_context(|| format!("{}: bad offsets {frag:?}", ctx()))?;
                let s: usize = s
                    .trim()
                    .parse()
                    .with_context(|| format!("{}: bad offset {s:?}", ctx()))?;
                let e: usize = e
                    .trim()
                    .parse()
                    .with_context(|| format!("{}: bad offset {e:?}", ctx()))?;
                bounds.push((s, e));
            }
            let (Some(first), Some(last)) = (bounds.first(), bounds.last()) else {
                bail!("{}: no offsets", ctx());
            };
            let (start, end) = (first.0, last.1);
            let Some(range) = byte_range(text, start, end) else {
                bail!("{}: offsets {start}..{end} are outside the text", ctx());
            };
            let surface = &text[range];
            if let Some(written) = rest
                && written != brat_text(surface)
            {
                bail!(
                    "{}: text {written:?} does not match the .txt ({surface:?})",
                    ctx()
                );
            }
            by_id.push((
                id.to_string(),
                ExportEntity {
                    start,
                    end,
                    text: surface.to_string(),
                    kind,
                    subkind: None,
                    canonical: surface.to_string(),
                    value: None,
                },
            ));
        } else if id.starts_with('A') {
            let parts: Vec<&str> = mid.split(' ').collect();
            if let [name, target, value] = parts[..]
                && name == "Subkind"
            {
                subkinds.push((target.to_string(), value.to_string()));
            }
        } else if id.starts_with('#')
            && let Some(target) = mid.strip_prefix("AnnotatorNotes ")
        {
            notes.push((target.to_string(), rest.unwrap_or("").to_string()));
        }
    }
    for (target, value) in subkinds {
        let sub = parse_sub(&value).with_context(|| format!("unknown subkind {value:?} on {target}"))?;
        if let Some((_, e)) = by_id.iter_mut().find(|(id, _)| *id == target) {
            e.subkind = Some(sub);
        }
    }
    for (target, note) in notes {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&note) else {
            continue; // A free-text note written by a person, not by newsls.
        };
        if let Some((_, e)) = by_id.iter_mut().find(|(id, _)| *id == target) {
            if let Some(c) = v.get("canonical").and_then(|c| c.as_str()) {
                e.canonical = c.to_string();
            }
            e.value = v.get("value").and_then(|c| c.as_str()).map(str::to_string);
        }
    }
    let mut res: Vec<ExportEntity> = by_id.into_iter().map(|(_, e)| e).collect();
    res.sort_by_key(|e| (e.start, e.end));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn round_trip_with_line_breaks_and_unicode() {
        let text = "Séoul — the Renault Korea\nMotors (RKM) plant.\n\nRKM sold 300,000 units in 2024.\n";
        let entities = crate::recognize::recognizer().annotate(text);
        let doc = ExportDoc::new(Path::new("a.txt"), "a.txt".into(), text, &entities);
        let ann = to_ann(&doc);
        let back = from_ann(text, &ann).expect("parses");
        assert_eq!(back, doc.entities, "{ann}");
        if doc.entities.iter().any(|e| e.text.contains('\n')) {
            assert!(ann.contains(';'), "a multi-line span is discontinuous: {ann}");
        }
    }

    #[test]
    fn reads_hand_made_brat_files() {
        let text = "Busan and Korea\nUniversity.";
        let ann = "T1\tPlace 0 5\tBusan\nT2\tOrganization 10 15;16 26\tKorea University\n\
                   #1\tAnnotatorNotes T1\tchecked by hand\nR1\tRel Arg1:T1 Arg2:T2\n";
        let got = from_ann(text, ann).expect("parses");
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[1].start, got[1].end, got[1].kind),
            (10, 26, Kind::Organization)
        );
        assert_eq!(got[1].text, "Korea\nUniversity");
        let err = from_ann(text, "T1\tPlace 0 5\tSeoul\n").expect_err("mismatch");
        assert!(format!("{err:#}").contains("line 1"));
        assert!(from_ann(text, "T1\tPlanet 0 5\tBusan\n").is_err());
        assert!(from_ann(text, "T1\tPlace 0 500\tBusan\n").is_err());
    }
}
