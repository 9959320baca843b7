//! Semantic tokens: the legend, the encoding of entities as relative tokens (split at line
//! breaks, lengths in the negotiated encoding), range filtering and full/delta edits.
//!
//! Invariants: token type index = position in [`TOKEN_TYPES`] (or [`STANDARD_TYPES`] when the
//! `standardTypes` setting was on at `initialize`, the legend being fixed for a session);
//! modifier bit i = position in [`TOKEN_MODIFIERS`]. Tokens are sorted and never overlap.

use tower_lsp_server::lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensEdit, SemanticTokensLegend,
};

use crate::recognize::{Entity, Kind, Subkind};
use crate::server::config::{Config, kind_index};
use crate::server::convert::{Cursor, Encoding};

/// Token types, indexed by [`kind_index`].
pub const TOKEN_TYPES: [&str; 4] = ["organization", "place", "figure", "person"];
/// The standard types the kinds map to with `newsls.semanticTokens.standardTypes`.
pub const STANDARD_TYPES: [&str; 4] = ["class", "namespace", "number", "variable"];
pub const TOKEN_MODIFIERS: [&str; 7] = [
    "money",
    "percent",
    "quantity",
    "count",
    "date",
    "alias",
    "declaration",
];

pub fn legend(standard_types: bool) -> SemanticTokensLegend {
    let types = if standard_types {
        STANDARD_TYPES
    } else {
        TOKEN_TYPES
    };
    SemanticTokensLegend {
        token_types: types.iter().map(|t| SemanticTokenType::new(t)).collect(),
        token_modifiers: TOKEN_MODIFIERS
            .iter()
            .map(|m| SemanticTokenModifier::new(m))
            .collect(),
    }
}

pub fn modifiers(e: &Entity) -> u32 {
    let mut bits = match e.subkind {
        Some(Subkind::Money) => 1 << 0,
        Some(Subkind::Percent) => 1 << 1,
        Some(Subkind::Quantity) => 1 << 2,
        Some(Subkind::Count) => 1 << 3,
        Some(Subkind::Date) => 1 << 4,
        _ => 0,
    };
    if e.alias {
        bits |= 1 << 5;
    }
    if e.declaration {
        bits |= 1 << 6;
    }
    bits
}

/// An absolute token: line, start column, length (in encoding units), type, modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbsToken {
    pub line: u32,
    pub start: u32,
    pub len: u32,
    pub kind: Kind,
    pub modifiers: u32,
}

/// Absolute tokens for `entities` of `text` (enabled kinds only), one per line piece.
pub fn absolute_tokens(text: &str, entities: &[Entity], config: &Config, enc: Encoding) -> Vec<AbsToken> {
    let mut cursor = Cursor::new(text, enc);
    let mut res = Vec::with_capacity(entities.len());
    for e in entities.iter().filter(|e| config.kind_enabled(e.kind)) {
        let Some(surface) = text.get(e.span.clone()) else {
            continue;
        };
        let modifiers = modifiers(e);
        for piece in split_lines(surface) {
            let pos = cursor.position(e.span.start + piece.0);
            let len = enc.len(&surface[piece.0..piece.1]);
            if len > 0 {
                res.push(AbsToken {
                    line: pos.line,
                    start: pos.character,
                    len,
                    kind: e.kind,
                    modifiers,
                });
            }
        }
    }
    res
}

/// Byte ranges (relative) of the non-empty line pieces of `s`, without line terminators.
fn split_lines(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut res = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            if i > start {
                res.push((start, i));
            }
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    if b.len() > start {
        res.push((start, b.len()));
    }
    res
}

/// Relative LSP encoding of sorted absolute tokens.
pub fn encode(tokens: &[AbsToken]) -> Vec<SemanticToken> {
    let mut res = Vec::with_capacity(tokens.len());
    let (mut line, mut start) = (0u32, 0u32);
    for t in tokens {
        let delta_line = t.line - line;
        let delta_start = if delta_line == 0 { t.start - start } else { t.start };
        res.push(SemanticToken {
            delta_line,
            delta_start,
            length: t.len,
            token_type: kind_index(t.kind) as u32,
            token_modifiers_bitset: t.modifiers,
        });
        line = t.line;
        start = t.start;
    }
    res
}

/// The single edit turning `old` into `new` (common prefix and suffix kept), in the units of
/// the LSP data array (5 integers per token); `None` when they are equal.
pub fn diff(old: &[SemanticToken], new: &[SemanticToken]) -> Option<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == old.len() && prefix == new.len() {
        return None;
    }
    let inserted = &new[prefix..new.len() - suffix];
    Some(SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: ((old.len() - suffix - prefix) * 5) as u32,
        data: (!inserted.is_empty()).then(|| inserted.to_vec()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::Kind;

    fn entity(span: std::ops::Range<usize>, kind: Kind, subkind: Option<Subkind>) -> Entity {
        Entity {
            span,
            kind,
            subkind,
            canonical: String::new(),
            value: None,
            alias: false,
            declaration: true,
        }
    }

    #[test]
    fn tokens_split_at_line_breaks_and_count_utf16() {
        let text = "“Busan” is in\r\nBelvidere,\nIll. 😀 $5";
        let entities = vec![
            entity(3..8, Kind::Place, None),
            entity(
                text.find("Belvidere").unwrap()..text.find("Ill.").unwrap() + 4,
                Kind::Place,
                None,
            ),
            entity(
                text.find('$').unwrap()..text.len(),
                Kind::Figure,
                Some(Subkind::Money),
            ),
        ];
        let toks = absolute_tokens(text, &entities, &Config::default(), Encoding::Utf16);
        let got: Vec<(u32, u32, u32)> = toks.iter().map(|t| (t.line, t.start, t.len)).collect();
        assert_eq!(got, vec![(0, 1, 5), (1, 0, 10), (2, 0, 4), (2, 8, 2)]);
        assert_eq!(toks[3].modifiers, 1 | 1 << 6);
        let toks8 = absolute_tokens(text, &entities, &Config::default(), Encoding::Utf8);
        assert_eq!((toks8[0].start, toks8[3].start), (3, 10));
        let enc = encode(&toks);
        assert_eq!((enc[1].delta_line, enc[1].delta_start), (1, 0));
        assert_eq!(
            (enc[3].delta_line, enc[3].delta_start, enc[3].token_type),
            (0, 8, 2)
        );
    }

    #[test]
    fn disabled_kinds_give_no_tokens() {
        let text = "Busan 5";
        let entities = vec![
            entity(0..5, Kind::Place, None),
            entity(6..7, Kind::Figure, Some(Subkind::Count)),
        ];
        let mut config = Config::default();
        config.kinds[kind_index(Kind::Figure)] = false;
        let toks = absolute_tokens(text, &entities, &config, Encoding::Utf8);
        assert_eq!(toks.len(), 1);
        assert_eq!(toks[0].kind, Kind::Place);
    }

    #[test]
    fn diff_produces_one_minimal_edit() {
        let t = |n: u32| SemanticToken {
            delta_line: n,
            delta_start: 0,
            length: 1,
            token_type: 0,
            token_modifiers_bitset: 0,
        };
        let old = vec![t(1), t(2), t(3), t(4)];
        assert_eq!(diff(&old, &old), None);
        let new = vec![t(1), t(9), t(4)];
        let edit = diff(&old, &new).unwrap();
        assert_eq!((edit.start, edit.delete_count), (5, 10));
        assert_eq!(edit.data, Some(vec![t(9)]));
        let edit = diff(&old, &[]).unwrap();
        assert_eq!((edit.start, edit.delete_count, edit.data), (0, 20, None));
        let edit = diff(&[t(1)], &[t(1), t(1)]).unwrap();
        assert_eq!((edit.start, edit.delete_count), (5, 0));
    }
}
