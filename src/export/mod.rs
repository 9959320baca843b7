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

use crate::recognize::rules::parse_subkind;
use crate::recognize::{Entity, Kind, Subkind};

/// Converts byte offsets of one text to code-point offsets, counting each stretch of text
/// once when the offsets come in increasing order (entities sorted by start).
///
/// An offset before the previous one (an entity nested in the one before it) counts back from
/// the previous offset rather than from the start of the text. In an ASCII text (most news)
/// the offsets are the byte offsets and nothing is counted.
pub struct CodePoints<'a> {
    text: &'a str,
    /// The text is ASCII: a code-point offset is the byte offset.
    ascii: bool,
    byte: usize,
    chars: usize,
    /// Whether `chars` is the number of code points before `byte` (false once an offset inside
    /// a character was asked for; the next offset before it then counts from the start).
    exact: bool,
}

impl<'a> CodePoints<'a> {
    pub fn new(text: &'a str) -> Self {
        CodePoints {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            chars: 0,
            exact: true,
        }
    }

    /// The code-point offset of `byte` (offsets past the end count as the end).
    pub fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.ascii {
            return byte;
        }
        if byte < self.byte {
            match self.text.get(byte..self.byte) {
                Some(back) if self.exact => {
                    self.chars -= back.chars().count();
                    self.byte = byte;
                    return self.chars;
                }
                _ => {
                    self.byte = 0;
                    self.chars = 0;
                    self.exact = true;
                }
            }
        }
        match self.text.get(self.byte..byte) {
            Some(s) => self.chars += s.chars().count(),
            None => self.exact = false,
        }
        self.byte = byte;
        self.chars
    }
}

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
            id: Self::id_of(path),
            path: shown_path,
            title: Self::title_of(path, text),
            text: text.to_string(),
            entities,
        }
    }

    /// An article's id: its file stem.
    pub fn id_of(path: &Path) -> String {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// An article's title, read as Markdown for `.md` and `.markdown` files (any case).
    pub fn title_of(path: &Path, text: &str) -> String {
        let is_md = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        crate::corpus::article::title_of(text, is_md)
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

    /// The code-point offset of `byte` counted from the start, as the reference.
    fn counted(text: &str, byte: usize) -> usize {
        text.get(..byte.min(text.len())).map_or(0, |s| s.chars().count())
    }

    #[test]
    fn code_points_count_back_for_nested_offsets() {
        for text in [
            "Été à Busan 😀 RKM, «Séoul» et 김민수.",
            "Busan, RKM (Seoul) and Kim.",
        ] {
            count_back_for_nested_offsets(text);
        }
    }

    fn count_back_for_nested_offsets(text: &str) {
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        // Increasing, repeated, nested (back to an earlier start) and past-the-end offsets.
        let mut asks: Vec<usize> = Vec::new();
        for w in bounds.windows(3) {
            asks.extend([w[0], w[2], w[1], w[2]]);
        }
        asks.extend([0, text.len() + 5, 3]);
        let mut cp = CodePoints::new(text);
        for &b in &asks {
            assert_eq!(cp.at(b), counted(text, b), "byte {b}");
        }
    }

    #[test]
    fn code_points_inside_a_character_do_not_corrupt_later_offsets() {
        let text = "Été à Busan";
        let mut cp = CodePoints::new(text);
        assert_eq!(cp.at(1), 0); // Inside "É".
        let busan = text.find("Busan").expect("present");
        // From a position inside a character nothing can be counted, as before this counter
        // counted back; going back to a boundary recounts from the start and is exact again.
        let _ = cp.at(busan);
        assert_eq!(cp.at(2), counted(text, 2));
        assert_eq!(cp.at(busan), counted(text, busan));
        assert_ne!(counted(text, busan), busan, "the text has multi-byte characters");
    }

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
