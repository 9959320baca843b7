//! Inlay hints (off by default, `newsls.inlayHints.enabled`): after a figure, its normalised
//! value in short form where it differs from the surface (`the second half of 2025` -> `2025-07..12`).

use tower_lsp_server::lsp_types::{InlayHint, InlayHintLabel, InlayHintTooltip, Range};

use crate::recognize::Kind;
use crate::server::convert;
use crate::server::state::Snapshot;

pub fn inlay_hints(snap: &Snapshot, range: Range) -> Vec<InlayHint> {
    if !snap.config.inlay_hints || !snap.config.kind_enabled(Kind::Figure) {
        return Vec::new();
    }
    let a = &snap.analysis;
    let bytes = convert::byte_range(&a.rope, range, snap.encoding);
    let first = a.entities.partition_point(|e| e.span.end < bytes.start);
    a.entities[first..]
        .iter()
        .take_while(|e| e.span.start <= bytes.end)
        .filter(|e| e.kind == Kind::Figure)
        .filter_map(|e| {
            let value = e.value.as_ref()?;
            let short = value.short();
            let surface = e.text(&a.text);
            if short.is_empty() || normalise(&short) == normalise(surface) {
                return None;
            }
            Some(InlayHint {
                position: convert::position(&a.rope, e.span.end, snap.encoding),
                label: InlayHintLabel::String(short),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(value.display())),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .collect()
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .flat_map(char::to_lowercase)
        .collect()
}
