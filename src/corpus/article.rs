//! One article analysed for the index: title, dateline date and mentions, computed from its
//! text alone (pure, so it can run in parallel and be cached).

use std::ops::Range;
use std::path::PathBuf;
use std::time::SystemTime;

use chrono::NaiveDate;

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
}

/// Analyses `text` (the content of `path`) with the default recogniser.
pub fn analyze(path: PathBuf, text: &str, size: u64, mtime: Option<SystemTime>) -> IndexedArticle {
    let entities = recognize::recognizer().annotate(text);
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
    let mut mentions = Vec::with_capacity(all.len());
    let mut push = |e: &Entity, canonical: String, value: Option<Value>| {
        if e.span.end > text.len() || e.span.end > u32::MAX as usize {
            return;
        }
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
}
