//! Completion of entity names (canonical names and aliases) from the corpus and the document,
//! after two typed letters of a capitalised word. Bounded: at most [`COMPLETION_LIMIT`] items,
//! marked incomplete so the client asks again as the prefix grows.

use std::collections::HashSet;

use tower_lsp_server::lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, Position, Range, TextEdit,
};

use crate::recognize::Kind;
use crate::server::convert;
use crate::server::state::{Snapshot, State};

pub const COMPLETION_LIMIT: usize = 50;

fn item_kind(kind: Kind) -> CompletionItemKind {
    match kind {
        Kind::Organization => CompletionItemKind::CLASS,
        Kind::Place => CompletionItemKind::MODULE,
        Kind::Figure => CompletionItemKind::VALUE,
        Kind::Person => CompletionItemKind::VARIABLE,
    }
}

/// The capitalised word being typed before `byte` (at least two letters), with its start.
pub fn prefix_at(text: &str, byte: usize) -> Option<(usize, &str)> {
    let before = text.get(..byte)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '-' || *c == '&' || *c == '\'')
        .last()
        .map(|(i, _)| i)?;
    let word = &before[start..];
    let mut chars = word.chars();
    let first = chars.next()?;
    (first.is_uppercase() && word.chars().filter(|c| c.is_alphabetic()).count() >= 2).then_some((start, word))
}

pub fn completion(state: &State, snap: &Snapshot, pos: Position) -> Option<CompletionList> {
    let a = &snap.analysis;
    let byte = convert::offset(&a.rope, pos, snap.encoding);
    let (start, prefix) = prefix_at(&a.text, byte)?;
    let range = Range::new(convert::position(&a.rope, start, snap.encoding), pos);
    let lower = prefix.to_lowercase();
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    let mut push = |label: &str, kind: Kind, detail: String, canonical: &str| {
        if items.len() >= COMPLETION_LIMIT || !seen.insert(label.to_string()) || label == prefix {
            return;
        }
        items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(item_kind(kind)),
            detail: Some(if label == canonical {
                detail
            } else {
                format!("{detail}, alias of {canonical}")
            }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, label.to_string()))),
            filter_text: Some(label.to_string()),
            ..CompletionItem::default()
        });
    };
    let starts = |name: &str| name.to_lowercase().starts_with(&lower);
    // This document first (its names may not be indexed yet), then the corpus.
    for e in a
        .entities
        .iter()
        .filter(|e| e.kind != Kind::Figure && snap.config.kind_enabled(e.kind))
    {
        let surface = e.text(&a.text);
        let detail = e
            .subkind
            .map_or_else(|| e.kind.to_string(), |s| format!("{} ({})", e.kind, s.as_str()));
        for name in [e.canonical.as_str(), surface] {
            if starts(name) {
                push(name, e.kind, detail.clone(), &e.canonical);
            }
        }
    }
    let corpus = state.corpus();
    for eid in corpus.complete_prefix(prefix, COMPLETION_LIMIT) {
        let Some(info) = corpus.entity(eid) else { continue };
        if !snap.config.kind_enabled(info.kind) {
            continue;
        }
        let detail = info.subkind.map_or_else(
            || info.kind.to_string(),
            |s| format!("{} ({})", info.kind, s.as_str()),
        );
        if starts(&info.canonical) {
            push(&info.canonical, info.kind, detail.clone(), &info.canonical);
        }
        for alias in info.aliases.iter().filter(|a| starts(a)) {
            push(alias, info.kind, detail.clone(), &info.canonical);
        }
    }
    Some(CompletionList {
        is_incomplete: true,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_needs_a_capital_and_two_letters() {
        assert_eq!(prefix_at("in Bu", 5), Some((3, "Bu")));
        assert_eq!(prefix_at("in B", 4), None);
        assert_eq!(prefix_at("in bu", 5), None);
        assert_eq!(prefix_at("Élan", "Élan".len()), Some((0, "Élan")));
        assert_eq!(prefix_at("x Ge", 1), None);
        assert_eq!(prefix_at("ab", 99), None);
    }
}
