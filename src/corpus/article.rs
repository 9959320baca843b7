//! One article analysed for the index: title, dateline date, mentions and where its lines start,
//! computed from its text alone (pure, so it can run in parallel and be cached).
//!
//! Invariant: a [`LineTable`] and the mentions' [`IndexedMention::utf16_lag`] locate every
//! mention as (line, column) exactly as a reader of the text would (lines end after `\n`,
//! `\r\n` or a lone `\r`), so that other articles' mentions are located without reading them.

use std::ops::Range;
use std::path::PathBuf;
use std::time::SystemTime;

use chrono::NaiveDate;

use crate::facts::{self, Facts};
use crate::recognize::{self, Entity, Kind, Subkind, Value};

/// An article ready to be inserted into the index: everything the index keeps, with entities
/// still named by (kind, canonical) rather than by id.
#[derive(Clone, Debug)]
pub struct IndexedArticle {
    pub path: PathBuf,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub size: u64,
    pub mtime: Option<SystemTime>,
    pub mentions: Vec<IndexedMention>,
    pub lines: LineTable,
    /// Claims and within-article findings (see [`crate::facts`]).
    pub facts: Facts,
}

/// A mention before interning: the entity is identified by kind and canonical name.
#[derive(Clone, Debug)]
pub struct IndexedMention {
    pub span: Range<u32>,
    pub kind: Kind,
    pub subkind: Option<Subkind>,
    pub canonical: String,
    /// The surface text when it differs from the canonical name.
    pub surface: Option<String>,
    pub value: Option<Value>,
    pub alias: bool,
    pub declaration: bool,
    /// See [`crate::corpus::ArticleMention::utf16_lag`].
    pub utf16_lag: [u8; 2],
}

/// The byte length of every line of a text but the last (terminator included), as LEB128
/// varints: a few bytes per article, enough to turn a byte offset into a line and the offset
/// of that line's start without the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineTable {
    lens: Box<[u8]>,
}

impl LineTable {
    pub fn new(text: &str) -> LineTable {
        let b = text.as_bytes();
        let mut lens = Vec::with_capacity(b.len() / 32 + 1);
        let mut start = 0;
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                continue;
            }
            put_varint(&mut lens, (i + 1 - start) as u64);
            start = i + 1;
        }
        LineTable {
            lens: lens.into_boxed_slice(),
        }
    }

    /// A table saved with [`LineTable::as_bytes`]; `None` when the bytes are not varints.
    pub fn from_bytes(bytes: &[u8]) -> Option<LineTable> {
        if bytes.last().is_some_and(|b| b & 0x80 != 0) || bytes.len() > u32::MAX as usize {
            return None;
        }
        Some(LineTable {
            lens: Box::from(bytes),
        })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.lens
    }

    /// The line holding byte `byte` and the offset where that line starts (offsets past the
    /// end fall on the last line).
    pub fn locate(&self, byte: u32) -> (u32, u32) {
        let (mut line, mut start) = (0u32, 0u32);
        let mut len = 0u64;
        let mut shift = 0;
        for &b in self.lens.iter() {
            len |= u64::from(b & 0x7f) << shift.min(63);
            shift += 7;
            if b & 0x80 != 0 {
                continue;
            }
            let end = u64::from(start).saturating_add(len);
            if u64::from(byte) < end {
                break;
            }
            start = u32::try_from(end).unwrap_or(u32::MAX);
            line += 1;
            (len, shift) = (0, 0);
        }
        (line, start)
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// UTF-16 lags of increasing byte offsets of one text (see [`crate::corpus::ArticleMention::utf16_lag`]),
/// in linear time overall.
struct LagCursor<'a> {
    text: &'a [u8],
    at: usize,
    lag: i64,
}

impl LagCursor<'_> {
    fn lag(&mut self, byte: usize) -> u8 {
        let byte = byte.min(self.text.len());
        if byte < self.at {
            (self.at, self.lag) = (0, 0);
        }
        for i in self.at..byte {
            match self.text[i] {
                b'\n' => self.lag = 0,
                b'\r' if self.text.get(i + 1) != Some(&b'\n') => self.lag = 0,
                0x80..=0xbf => self.lag += 1,
                // A 4-byte character is 2 UTF-16 units: 3 continuation bytes, minus 1.
                0xf0..=0xff => self.lag -= 1,
                _ => {}
            }
        }
        self.at = byte;
        // LAG_UNKNOWN is u8::MAX: a lag that large or larger is unknown.
        u8::try_from(self.lag.max(0)).unwrap_or(crate::corpus::LAG_UNKNOWN)
    }
}

/// Analyses `text` (the content of `path`) with the default recogniser.
pub fn analyze(path: PathBuf, text: &str, size: u64, mtime: Option<SystemTime>) -> IndexedArticle {
    let entities = recognize::guarded(|| recognize::recognizer().annotate(text)).unwrap_or_else(|e| {
        tracing::error!(
            "{}: recognition failed ({e}); indexed without entities",
            path.display()
        );
        Vec::new()
    });
    build(path, text, Entities::Owned(entities), size, mtime)
}

/// Builds the index entry of an article from entities already recognised.
pub fn analyze_entities(
    path: PathBuf,
    text: &str,
    entities: &[Entity],
    size: u64,
    mtime: Option<SystemTime>,
) -> IndexedArticle {
    build(path, text, Entities::Borrowed(entities), size, mtime)
}

/// Entities lent by the caller (copied) or handed over (moved into the mentions).
enum Entities<'a> {
    Borrowed(&'a [Entity]),
    Owned(Vec<Entity>),
}

fn build(
    path: PathBuf,
    text: &str,
    entities: Entities<'_>,
    size: u64,
    mtime: Option<SystemTime>,
) -> IndexedArticle {
    let is_markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let title = title_of(text, is_markdown);
    let all: &[Entity] = match &entities {
        Entities::Borrowed(e) => e,
        Entities::Owned(e) => e,
    };
    let date = dateline_date(text, all);
    let facts = facts::analyze(text, all, date);
    let mut mentions = Vec::with_capacity(all.len());
    let ascii = text.is_ascii();
    let mut lags = LagCursor {
        text: text.as_bytes(),
        at: 0,
        lag: 0,
    };
    let mut push = |e: &Entity, canonical: String, value: Option<Value>| {
        if e.span.end > text.len() || e.span.end > u32::MAX as usize {
            return;
        }
        let utf16_lag = if ascii {
            [0, 0]
        } else {
            [lags.lag(e.span.start), lags.lag(e.span.end)]
        };
        let surface = e.text(text);
        mentions.push(IndexedMention {
            span: e.span.start as u32..e.span.end as u32,
            kind: e.kind,
            subkind: e.subkind,
            surface: (surface != canonical).then(|| surface.to_string()),
            canonical,
            value,
            alias: e.alias,
            declaration: e.declaration,
            utf16_lag,
        });
    };
    match entities {
        Entities::Borrowed(all) => {
            for e in all {
                push(e, e.canonical.clone(), e.value.clone());
            }
        }
        Entities::Owned(all) => {
            for mut e in all {
                let canonical = std::mem::take(&mut e.canonical);
                let value = e.value.take();
                push(&e, canonical, value);
            }
        }
    }
    IndexedArticle {
        path,
        title,
        date,
        size,
        mtime,
        mentions,
        lines: LineTable::new(text),
        facts,
    }
}

/// The title: for Markdown the front-matter `title:` or the first heading, else the first
/// non-empty line (without Markdown heading marks).
pub fn title_of(text: &str, is_markdown: bool) -> String {
    let mut lines = text.lines().peekable();
    if is_markdown {
        if lines.peek().is_some_and(|l| l.trim() == "---") {
            lines.next();
            let mut title = None;
            for line in lines.by_ref() {
                let line = line.trim();
                if line == "---" || line == "..." {
                    break;
                }
                if let Some(rest) = line.strip_prefix("title:") {
                    title = Some(rest.trim().trim_matches(|c| c == '"' || c == '\'').to_string());
                }
            }
            if let Some(title) = title.filter(|t| !t.is_empty()) {
                return title;
            }
        }
        let rest: Vec<&str> = lines.collect();
        if let Some(heading) = rest.iter().find_map(|l| l.trim_start().strip_prefix('#')) {
            return heading.trim_start_matches('#').trim().to_string();
        }
        return rest
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .unwrap_or("")
            .to_string();
    }
    lines
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

/// The dateline: the first single-day date among the first few paragraphs.
fn dateline_date(text: &str, entities: &[Entity]) -> Option<NaiveDate> {
    let limit = recognize::paragraphs(text)
        .nth(4)
        .map_or(text.len(), |p| p.start)
        .min(2000);
    entities
        .iter()
        .take_while(|e| e.span.start < limit)
        .find_map(|e| match &e.value {
            Some(Value::Date { range, bound: None }) if range.start == range.end => Some(range.start),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(title_of("\n\n  Big News  \nbody", false), "Big News");
        assert_eq!(title_of("---\ntitle: \"Front\"\n---\n# Heading\n", true), "Front");
        assert_eq!(title_of("intro line\n\n## The Heading\n", true), "The Heading");
        assert_eq!(title_of("", false), "");
    }

    #[test]
    fn line_table_locates_offsets_like_a_line_walk() {
        let long = "x".repeat(300);
        let text = format!("ab\r\ncd\ref\n\n{long}\nlast");
        let table = LineTable::new(&text);
        let (mut line, mut start) = (0u32, 0u32);
        let b = text.as_bytes();
        for i in 0..=text.len() {
            assert_eq!(table.locate(i as u32), (line, start), "byte {i}");
            let brk = b.get(i) == Some(&b'\n') || (b.get(i) == Some(&b'\r') && b.get(i + 1) != Some(&b'\n'));
            if brk {
                line += 1;
                start = i as u32 + 1;
            }
        }
        assert_eq!(table.locate(u32::MAX), (5, start));
        assert_eq!(LineTable::from_bytes(table.as_bytes()), Some(table));
        assert_eq!(LineTable::from_bytes(&[0x80]), None);
        assert_eq!(LineTable::new("").locate(3), (0, 0));
        // Damaged tables (overlong varints) give some line, never a panic.
        let mut junk = vec![0xff; 12];
        junk.push(0x01);
        junk.extend([0x05, 0x7f]);
        let junk = LineTable::from_bytes(&junk).expect("ends a varint");
        for b in [0, 5, u32::MAX] {
            assert!(junk.locate(b).0 <= 3);
        }
    }

    #[test]
    fn utf16_lags_count_multibyte_characters_since_the_line_start() {
        let text = "é “Busan” 😀 RKM\nnext Seoul\r\n부산 Busan";
        let entities = crate::recognize::recognizer().annotate(text);
        let article = analyze_entities(PathBuf::from("a.txt"), text, &entities, 0, None);
        for m in &article.mentions {
            for (k, at) in [m.span.start, m.span.end].into_iter().enumerate() {
                let at = at as usize;
                let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let piece = &text[line_start..at];
                let lag = piece.len() - piece.encode_utf16().count();
                assert_eq!(m.utf16_lag[k] as usize, lag, "{piece:?}");
            }
        }
        assert!(article.mentions.iter().any(|m| m.utf16_lag[0] > 0));
    }
}
