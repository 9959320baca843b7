//! JSON lines: one object per article, the schema of `newsls annotate --format jsonl`:
//! `{"id", "path", "title", "entities": [{"start", "end", "text", "kind", "subkind",
//! "canonical", "value"}]}` with code-point offsets; `newsls annotate --jsonl` writes
//! `{"id", "entities"}` with the same entities.
//!
//! Written with typed serialisation straight from the recogniser's entities ([`Entities`],
//! [`ArticleOut`], [`IdOut`]): no intermediate JSON values. Keys come in alphabetical order, the
//! order `serde_json::Value` maps print them in, which is what these lines have always looked
//! like (`"canonical"` first); the tests compare the two. The batch path (`annotate --jsonl`,
//! [`write_id_line`]) writes the same bytes with the keys as constants and only the values
//! through `serde_json` (strings) and `itoa` (offsets): a third of its time went to escaping
//! key names that never need it.

use std::io::{BufRead, Write};

use anyhow::{Context, bail};
use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::export::{CodePoints, ExportDoc, ExportEntity, parse_kind, parse_sub};
use crate::recognize::{Entity, Kind};

/// One entity as written. Field order is the output order (alphabetical, see the module
/// comment).
#[derive(serde::Serialize)]
pub struct EntityOut<'a> {
    pub canonical: &'a str,
    pub end: usize,
    pub kind: &'static str,
    pub start: usize,
    pub subkind: Option<&'static str>,
    pub text: &'a str,
    pub value: Option<&'a str>,
}

impl<'a> From<&'a ExportEntity> for EntityOut<'a> {
    fn from(e: &'a ExportEntity) -> Self {
        EntityOut {
            canonical: &e.canonical,
            end: e.end,
            kind: e.kind.as_str(),
            start: e.start,
            subkind: e.subkind.map(|s| s.as_str()),
            text: &e.text,
            value: e.value.as_deref(),
        }
    }
}

/// The entities of one text as a JSON array, with code-point offsets counted in one pass over
/// the text while they are written.
pub struct Entities<'a> {
    pub text: &'a str,
    pub entities: &'a [Entity],
}

impl Serialize for Entities<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.entities.len()))?;
        let mut cp = CodePoints::new(self.text);
        for e in self.entities {
            let value = e.value.as_ref().map(|v| v.normalized());
            seq.serialize_element(&EntityOut {
                canonical: &e.canonical,
                start: cp.at(e.span.start),
                end: cp.at(e.span.end),
                kind: e.kind.as_str(),
                subkind: e.subkind.map(|s| s.as_str()),
                text: e.text(self.text),
                value: value.as_deref(),
            })?;
        }
        seq.end()
    }
}

impl Entities<'_> {
    /// Writes the array [`Entities`] serialises to, byte for byte, with the object keys as
    /// constants (see the module comment). The entities are as [`crate::recognize::Recognizer::annotate`]
    /// makes them: a figure's canonical name is its normalised value, written as the value
    /// instead of normalising the value a second time.
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let mut cp = CodePoints::new(self.text);
        let mut num = itoa::Buffer::new();
        out.push(b'[');
        for (i, e) in self.entities.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"canonical\":");
            write_str(out, &e.canonical)?;
            let (start, end) = (cp.at(e.span.start), cp.at(e.span.end));
            out.extend_from_slice(b",\"end\":");
            out.extend_from_slice(num.format(end).as_bytes());
            out.extend_from_slice(b",\"kind\":");
            write_plain(out, e.kind.as_str());
            out.extend_from_slice(b",\"start\":");
            out.extend_from_slice(num.format(start).as_bytes());
            out.extend_from_slice(b",\"subkind\":");
            match e.subkind {
                Some(sub) => write_plain(out, sub.as_str()),
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\"text\":");
            write_str(out, e.text(self.text))?;
            out.extend_from_slice(b",\"value\":");
            match &e.value {
                None => out.extend_from_slice(b"null"),
                Some(_) if e.kind == Kind::Figure => {
                    debug_assert_eq!(
                        e.value.as_ref().map(|v| v.normalized()).as_deref(),
                        Some(&*e.canonical)
                    );
                    write_str(out, &e.canonical)?;
                }
                Some(value) => write_str(out, &value.normalized())?,
            }
            out.push(b'}');
        }
        out.push(b']');
        Ok(())
    }
}

/// Whether JSON writes byte `b` of a string as it is (`serde_json` escapes `"`, `\\` and the
/// control characters, nothing else).
const fn json_plain_byte(b: u8) -> bool {
    b >= 0x20 && b != b'"' && b != b'\\'
}

/// Whether every byte of `s` is written as it is ([`json_plain_byte`]): eight bytes at a time.
fn json_plain(s: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // Whether a byte of `x` is less than `n` (`n` <= 0x80), zero (`n` = 1) in particular:
    // the classic bit trick, exact for "any byte".
    let less = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let escaped = |x: u64| {
        less(x, 0x20) | less(x ^ (ONES * u64::from(b'"')), 1) | less(x ^ (ONES * u64::from(b'\\')), 1) != 0
    };
    let word = |chunk: &[u8; 8]| u64::from_ne_bytes(*chunk);
    match s.len() {
        0 => true,
        // Shorter than a word: byte by byte.
        1..8 => s.iter().all(|&b| json_plain_byte(b)),
        // Whole words, then the last eight bytes (overlapping the words before).
        n => {
            let mut chunks = s.as_chunks::<8>().0.iter();
            chunks.all(|c| !escaped(word(c)))
                && s[n - 8..].first_chunk::<8>().is_none_or(|c| !escaped(word(c)))
        }
    }
}

/// Writes `s` as a JSON string, as `serde_json` does: copied between quotes when no byte
/// needs escaping (names and values almost never have one), else by `serde_json`.
fn write_str(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if json_plain(s.as_bytes()) {
        write_plain(out, s);
        Ok(())
    } else {
        serde_json::to_writer(&mut *out, s)
    }
}

/// Writes `s`, which needs no escaping (a kind or subkind name), between quotes.
fn write_plain(out: &mut Vec<u8>, s: &str) {
    debug_assert!(s.bytes().all(json_plain_byte));
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// One article of `annotate --format jsonl` and `export --format jsonl`.
#[derive(serde::Serialize)]
pub struct ArticleOut<'a, E: Serialize> {
    pub entities: E,
    pub id: &'a str,
    pub path: &'a str,
    pub title: &'a str,
}

/// One document of `annotate --jsonl`: the input's `id` (any JSON value; `null` when absent)
/// and its entities.
#[derive(serde::Serialize)]
pub struct IdOut<'a> {
    pub entities: Entities<'a>,
    pub id: Option<&'a serde_json::Value>,
}

/// Writes [`IdOut`] as one JSON line into `out`: the bytes of [`write_line`], faster (see the
/// module comment).
pub fn write_id_line(out: &mut Vec<u8>, line: &IdOut) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"entities\":");
    line.entities.write_json(out)?;
    out.extend_from_slice(b",\"id\":");
    serde_json::to_writer(&mut *out, &line.id)?;
    out.extend_from_slice(b"}\n");
    Ok(())
}

/// Writes `value` as one JSON line into `out` (a buffer or a buffered writer).
pub fn write_line(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Writes one exported article as a JSON line.
pub fn write(out: &mut impl Write, doc: &ExportDoc) -> std::io::Result<()> {
    let entities: Vec<EntityOut> = doc.entities.iter().map(EntityOut::from).collect();
    write_line(
        out,
        &ArticleOut {
            entities,
            id: &doc.id,
            path: &doc.path,
            title: &doc.title,
        },
    )
}

/// `newsls annotate --jsonl`: reads JSON lines `{"id", "text"}` from `input` (named `source`
/// in messages) and writes `{"entities", "id"}` lines to `out`, in the same order, recognising
/// on all cores a chunk of lines at a time ([`crate::batch`]).
///
/// Blank lines are skipped. A line that is not JSON gives an output line with an `"error"`
/// and no entities, and a message naming its line number to `report`; the other lines are
/// not affected. A line whose `text` is missing or not a string has no entities; its `id`
/// (any JSON value) is written back as read, `null` when absent. An unreadable input (not
/// UTF-8) stops the run after the lines before it were written.
pub fn annotate_lines(
    input: impl BufRead,
    source: &str,
    out: &mut impl Write,
    chunking: crate::batch::Chunking,
    mut report: impl FnMut(String),
) -> anyhow::Result<()> {
    let lines = input
        .lines()
        .enumerate()
        .map(|(n, line)| {
            line.map(|line| (n + 1, line))
                .with_context(|| format!("reading {source} line {}", n + 1))
        })
        .filter(|line| line.as_ref().map_or(true, |(_, l)| !l.trim().is_empty()));
    crate::batch::run_ordered(
        lines,
        |(_, line)| line.len(),
        chunking,
        |(n, line)| annotate_line(&line).map_err(|err| (n, err)),
        |done| {
            let bytes = match done {
                Ok(bytes) => bytes,
                Err((n, (bytes, err))) => {
                    report(format!("{source} line {n}: invalid JSON: {err}"));
                    bytes
                }
            };
            out.write_all(&bytes)?;
            Ok(())
        },
    )
}

/// The output line for one input line of [`annotate_lines`]; for a line that is not JSON, the
/// error line and the parser's message.
fn annotate_line(line: &str) -> Result<Vec<u8>, (Vec<u8>, serde_json::Error)> {
    let mut bytes = Vec::with_capacity(line.len() * 3);
    let v: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(err) => {
            let obj =
                serde_json::json!({"id": null, "error": format!("invalid JSON: {err}"), "entities": []});
            // Writing into a Vec cannot fail.
            let _ = write_line(&mut bytes, &obj);
            return Err((bytes, err));
        }
    };
    let text = v.get("text").and_then(|t| t.as_str()).unwrap_or("");
    // A recogniser bug costs this line's entities, never the run (the panic is logged).
    let Ok(entities) = crate::recognize::guarded(|| crate::recognize::recognizer().annotate(text)) else {
        let obj = serde_json::json!({"id": v.get("id"), "error": "recognition failed", "entities": []});
        // Writing into a Vec cannot fail.
        let _ = write_line(&mut bytes, &obj);
        return Ok(bytes);
    };
    let obj = IdOut {
        entities: Entities {
            text,
            entities: &entities,
        },
        id: v.get("id"),
    };
    // Writing into a Vec cannot fail.
    let _ = write_id_line(&mut bytes, &obj);
    Ok(bytes)
}

/// An article read back from JSON lines (the text is not part of the format).
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub id: String,
    pub path: String,
    pub title: String,
    pub entities: Vec<ExportEntity>,
}

impl Imported {
    /// Writes the article as one JSON line (the schema it was read from).
    pub fn write(&self, out: &mut impl Write) -> std::io::Result<()> {
        let entities: Vec<EntityOut> = self.entities.iter().map(EntityOut::from).collect();
        write_line(
            out,
            &ArticleOut {
                entities,
                id: &self.id,
                path: &self.path,
                title: &self.title,
            },
        )
    }
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
        // Written back, an imported article is the line it was read from.
        let mut again = Vec::new();
        back[0].write(&mut again).expect("write");
        assert_eq!(again, buf[..buf.len() / 2]);
        for e in &back[0].entities {
            let r = crate::export::byte_range(text, e.start, e.end).expect("in range");
            assert_eq!(&text[r], e.text);
        }
    }

    /// The JSON values these lines were built from before typed serialisation.
    fn old_value(text: &str, entities: &[Entity]) -> Vec<serde_json::Value> {
        let mut cp = CodePoints::new(text);
        entities
            .iter()
            .map(|e| {
                serde_json::json!({
                    "start": cp.at(e.span.start), "end": cp.at(e.span.end), "text": e.text(text),
                    "kind": e.kind.as_str(), "subkind": e.subkind.map(|s| s.as_str()),
                    "canonical": e.canonical, "value": e.value.as_ref().map(|v| v.normalized()),
                })
            })
            .collect()
    }

    #[test]
    fn typed_lines_are_those_of_json_values() {
        let text = "Café “owner” 김민수 said \"Polestar\" sold 300,000 units\tin Busan for $1.3 billion.\n";
        let entities = crate::recognize::recognizer().annotate(text);
        assert!(entities.iter().any(|e| e.value.is_some()) && entities.iter().any(|e| e.value.is_none()));
        assert!(entities.iter().any(|e| e.subkind.is_some()));
        let id = serde_json::json!({"z": 1, "a": [1.5, null, "é\n"]});
        let mut got = Vec::new();
        write_line(
            &mut got,
            &IdOut {
                entities: Entities {
                    text,
                    entities: &entities,
                },
                id: Some(&id),
            },
        )
        .expect("write");
        let want = serde_json::json!({"id": id, "entities": old_value(text, &entities)});
        assert_eq!(String::from_utf8(got).expect("utf-8"), format!("{want}\n"));
        for id in [Some(&id), None] {
            let line = IdOut {
                entities: Entities {
                    text,
                    entities: &entities,
                },
                id,
            };
            let (mut fast, mut typed) = (Vec::new(), Vec::new());
            write_id_line(&mut fast, &line).expect("write");
            write_line(&mut typed, &line).expect("write");
            assert_eq!(String::from_utf8(fast), String::from_utf8(typed));
        }

        let mut got = Vec::new();
        write_line(
            &mut got,
            &IdOut {
                entities: Entities { text, entities: &[] },
                id: None,
            },
        )
        .expect("write");
        assert_eq!(got, b"{\"entities\":[],\"id\":null}\n");
        let mut fast = Vec::new();
        write_id_line(
            &mut fast,
            &IdOut {
                entities: Entities { text, entities: &[] },
                id: None,
            },
        )
        .expect("write");
        assert_eq!(fast, got);

        let doc = ExportDoc::new(Path::new("d/ü.md"), "d/ü.md".into(), text, &entities);
        let mut got = Vec::new();
        write(&mut got, &doc).expect("write");
        let mut streamed = Vec::new();
        write_line(
            &mut streamed,
            &ArticleOut {
                entities: Entities {
                    text,
                    entities: &entities,
                },
                id: &doc.id,
                path: &doc.path,
                title: &doc.title,
            },
        )
        .expect("write");
        let want = serde_json::json!({"id": doc.id, "path": doc.path, "title": doc.title,
            "entities": old_value(text, &entities)});
        assert_eq!(String::from_utf8(got).expect("utf-8"), format!("{want}\n"));
        assert_eq!(String::from_utf8(streamed).expect("utf-8"), format!("{want}\n"));
    }

    #[test]
    fn a_figures_canonical_name_is_its_normalised_value() {
        // `write_json` writes a figure's canonical name as its value: on the seed articles
        // and the open-genre training texts.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(root.join("seeds")).expect("seeds") {
            texts.push(std::fs::read_to_string(entry.expect("entry").path()).expect("seed"));
        }
        let genres = std::fs::read_to_string(root.join("data/train/gum_open_genres.jsonl")).expect("data");
        for line in genres.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            texts.extend(v["text"].as_str().map(str::to_string));
        }
        let mut figures = 0;
        for text in &texts {
            for e in crate::recognize::recognizer().annotate(text) {
                if e.kind == Kind::Figure
                    && let Some(value) = &e.value
                {
                    assert_eq!(value.normalized(), e.canonical, "{}", e.text(text));
                    figures += 1;
                }
            }
        }
        assert!(figures > 100, "{figures}");
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        for s in [
            "",
            "plain",
            "a\"b",
            "back\\slash",
            "tab\there",
            "nl\n",
            "\u{1}\u{1f}\u{7f}",
            "é “x” 김",
            "eight b\"",
            "\"ight bytes and more",
            "seventeen bytes\\!",
            "ÿÿÿÿÿÿÿÿ \u{0}",
        ] {
            let mut fast = Vec::new();
            write_str(&mut fast, s).expect("write");
            assert_eq!(fast, serde_json::to_vec(s).expect("json"), "{s:?}");
            assert_eq!(json_plain(s.as_bytes()), s.bytes().all(json_plain_byte), "{s:?}");
        }
        // Every byte value at every position of strings of up to 17 bytes (up to two words
        // and a tail), next to plain bytes and bytes with the high bit set.
        for base in [b'a', 0xc3] {
            assert!(json_plain(&[base; 17]));
            for len in 1..=17 {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut bytes = [base; 17];
                        bytes[at] = b;
                        let bytes = &bytes[..len];
                        assert_eq!(json_plain(bytes), json_plain_byte(b), "{base} {len} {at} {b}");
                    }
                }
            }
        }
    }

    fn run_lines(input: &[u8], docs: usize) -> (anyhow::Result<()>, String, Vec<String>) {
        let chunking = crate::batch::Chunking {
            max_docs: docs,
            ..Default::default()
        };
        let mut out = Vec::new();
        let mut messages = Vec::new();
        let res = annotate_lines(input, "in", &mut out, chunking, |m| messages.push(m));
        (res, String::from_utf8(out).expect("utf-8"), messages)
    }

    #[test]
    fn annotated_lines_keep_their_order_and_name_bad_lines() {
        let mut input = String::new();
        for i in 0..20 {
            input += &format!("{{\"id\": {i}, \"text\": \"Polestar opened {i} offices in Busan.\"}}\n");
            if i == 11 {
                input += "  \n{\"id\": \"x\" \"text\"}\n";
            }
        }
        input += "{\"id\": \"no text\"}\n[1, 2]\n{\"text\": 5}";
        let (res, out, messages) = run_lines(input.as_bytes(), 3);
        res.expect("runs");
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines.len(), 24);
        let ids: Vec<&serde_json::Value> = lines.iter().map(|l| &l["id"]).collect();
        assert_eq!(ids[11], 11);
        assert!(
            ids[12].is_null()
                && lines[12]["error"]
                    .as_str()
                    .is_some_and(|e| e.contains("invalid JSON"))
        );
        assert_eq!(ids[13], 12);
        assert_eq!(ids[20], 19);
        assert_eq!(ids[21], "no text");
        assert!(ids[22].is_null() && ids[23].is_null());
        for (i, line) in lines.iter().take(12).enumerate() {
            let texts: Vec<&str> = line["entities"]
                .as_array()
                .expect("entities")
                .iter()
                .filter_map(|e| e["text"].as_str())
                .collect();
            assert!(
                texts.contains(&"Busan") && texts.contains(&format!("{i} offices").as_str()),
                "{texts:?}"
            );
        }
        assert!(
            lines[21..]
                .iter()
                .all(|l| l["entities"].as_array().is_some_and(|e| e.is_empty()))
        );
        // Line 14 of the input: the blank line before it counts.
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("in line 14: invalid JSON"),
            "{messages:?}"
        );
        // One chunk or one line per chunk: the same bytes.
        assert_eq!(run_lines(input.as_bytes(), 1000).1, out);
        assert_eq!(run_lines(input.as_bytes(), 1).1, out);
    }

    #[test]
    fn unreadable_input_stops_after_the_lines_before_it() {
        let input = b"{\"id\": 1, \"text\": \"Busan\"}\n{\"id\": 2, \"text\": \"\xff\"}\n{\"id\": 3}\n";
        let (res, out, _) = run_lines(input, 1);
        let err = res.expect_err("not UTF-8");
        assert!(format!("{err:#}").contains("reading in line 2"), "{err:#}");
        assert_eq!(out.lines().count(), 1);
        assert!(out.ends_with("\"id\":1}\n"), "{out}");
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
