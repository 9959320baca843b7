//! Export of recognised entities (with the user's annotation rules applied) to formats other
//! tools read, and importers that read them back.
//!
//! Formats: [`jsonl`] (the `newsls annotate --format jsonl` schema), [`brat`] standoff,
//! [`conll`] (CoNLL-2003 style BIO), [`webanno`] (W3C Web Annotation JSON-LD).
//!
//! Invariants: every offset written is a Unicode code-point offset into the article text
//! (`start` inclusive, `end` exclusive), as Python's `str` indexes it; exports are lossless
//! for spans, kinds, subkinds, canonical names and values: importing an export gives back
//! exactly the [`ExportEntity`] values that were written (checked by round-trip tests).

pub mod brat;
pub mod cli;
pub mod conll;
pub mod jsonl;
pub mod webanno;

use std::ops::Range;
use std::path::Path;

pub use crate::cli::CodePoints;
use crate::recognize::rules::parse_subkind;
use crate::recognize::{Entity, Kind, Subkind};

/// One entity as exported, with code-point offsets.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportEntity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: Kind,
    pub subkind: Option<Subkind>,
    pub canonical: String,
    /// The normalised value of a figure ([`crate::recognize::Value::normalized`]).
    pub value: Option<String>,
}

/// One article as exported.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportDoc {
    /// The file stem.
    pub id: String,
    /// The path as found (relative to the exported folder when the exporter knows it).
    pub path: String,
    pub title: String,
    pub text: String,
    pub entities: Vec<ExportEntity>,
}

impl ExportDoc {
    /// Builds the export of one article from its byte-offset entities.
    pub fn new(path: &Path, shown_path: String, text: &str, entities: &[Entity]) -> ExportDoc {
        let is_md = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut cp = CodePoints::new(text);
        let entities = entities
            .iter()
            .map(|e| ExportEntity {
                start: cp.at(e.span.start),
                end: cp.at(e.span.end),
                text: e.text(text).to_string(),
                kind: e.kind,
                subkind: e.subkind,
                canonical: e.canonical.clone(),
                value: e.value.as_ref().map(|v| v.normalized()),
            })
            .collect();
        ExportDoc {
            id,
            path: shown_path,
            title: crate::corpus::article::title_of(text, is_md),
            text: text.to_string(),
            entities,
        }
    }
}

/// Converts code-point offsets of `text` to byte offsets (`None` when past the end or reversed).
pub fn byte_range(text: &str, start: usize, end: usize) -> Option<Range<usize>> {
    if end < start {
        return None;
    }
    let mut bounds = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let s = bounds.nth(start)?;
    let e = if end == start {
        s
    } else {
        bounds.nth(end - start - 1)?
    };
    Some(s..e)
}

/// Kind names as written in exports (`organization`, ...), parsed back.
pub fn parse_kind(s: &str) -> Option<Kind> {
    Kind::parse(s)
}

/// Subkind names as written in exports, parsed back.
pub fn parse_sub(s: &str) -> Option<Subkind> {
    parse_subkind(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_and_back() {
        let text = "Été à Busan 😀 RKM.";
        let busan = text.find("Busan").expect("present");
        let mut cp = CodePoints::new(text);
        let start = cp.at(busan);
        let end = cp.at(busan + 5);
        assert_eq!((start, end), (6, 11));
        assert_eq!(byte_range(text, start, end), Some(busan..busan + 5));
        let rkm = text.find("RKM").expect("present");
        assert_eq!(byte_range(text, 14, 17), Some(rkm..rkm + 3));
        assert_eq!(byte_range(text, 17, 18), Some(text.len() - 1..text.len()));
        assert_eq!(byte_range(text, 18, 18), Some(text.len()..text.len()));
        assert_eq!(byte_range(text, 17, 19), None);
        assert_eq!(byte_range(text, 3, 3), Some(5..5));
        assert_eq!(byte_range(text, 4, 3), None);
    }
}
