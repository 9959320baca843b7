//! Open documents: a ropey rope edited incrementally, and the analysis of its current text.
//!
//! Invariants:
//! - Edits are applied in the order received, each against the result of the previous one;
//!   positions are clamped by [`convert`] (never a panic on out-of-range input).
//! - [`Document::text`] always equals the rope's contents.
//! - Re-annotation is per paragraph: [`Annotator`] caches `annotate_paragraph` results keyed by
//!   the paragraph's text, so after an edit only the paragraphs whose text changed are
//!   recognised again; document-level resolution (`resolve_document`) then runs on the whole
//!   text, which makes the result identical to `Recognizer::annotate` on the same text.

use std::sync::{Arc, Mutex};

use ropey::Rope;
use tower_lsp_server::lsp_types::TextDocumentContentChangeEvent;

use crate::recognize::gazetteer::FastMap;
use crate::recognize::{self, Entity, Mention, ParagraphMentions};
use crate::server::annotations::Applied;
use crate::server::convert::{self, Encoding};

/// An open document.
pub struct Document {
    pub version: i32,
    rope: Rope,
    text: Arc<str>,
    annotator: Arc<Mutex<Annotator>>,
}

/// The analysis of one version of a document: what every request handler reads.
pub struct Analysis {
    pub version: i32,
    pub text: Arc<str>,
    pub rope: Rope,
    /// Resolved entities, sorted by start, non-overlapping.
    pub entities: Vec<Entity>,
}

impl Analysis {
    /// Analyses a text that is not open (a closed file read from disk), without caching.
    pub fn of_text(text: &str) -> Analysis {
        Analysis::of_text_with(text, &Applied::default())
    }

    /// [`Analysis::of_text`] with the workspace's annotation rules.
    pub fn of_text_with(text: &str, applied: &Applied) -> Analysis {
        Analysis {
            version: 0,
            text: Arc::from(text),
            rope: Rope::from_str(text),
            entities: recognize::guarded(|| {
                recognize::recognizer().annotate_with(text, &applied.rules, applied.path.as_deref())
            })
            .unwrap_or_else(|e| {
                tracing::error!("recognition failed ({e}); the document is shown without entities");
                Vec::new()
            }),
        }
    }

    /// Index of the entity whose span contains `byte` (an offset at its end counts too, so
    /// that a cursor right after a word still finds it).
    pub fn entity_at(&self, byte: usize) -> Option<usize> {
        let idx = self.entities.partition_point(|e| e.span.end < byte);
        let e = self.entities.get(idx)?;
        (e.span.start <= byte && byte <= e.span.end).then_some(idx)
    }
}

/// Per-document paragraph cache and the last analysis.
#[derive(Default)]
pub struct Annotator {
    paragraphs: FastMap<Box<str>, Arc<Vec<Mention>>>,
    last: Option<Arc<Analysis>>,
    /// Annotation rules generation and path the last analysis was made with.
    last_rules: (u64, Option<String>),
}

impl Annotator {
    /// The analysis of `text` at `version`, reusing the cached one when the version matches and
    /// the cached mentions of every paragraph whose text did not change.
    pub fn analyse(&mut self, version: i32, text: &Arc<str>, rope: &Rope) -> Arc<Analysis> {
        self.analyse_with(version, text, rope, &Applied::default())
    }

    /// [`Annotator::analyse`] with the workspace's annotation rules (a change of rules makes
    /// the cached analysis stale; the paragraph cache stays valid: rules apply after it).
    pub fn analyse_with(
        &mut self,
        version: i32,
        text: &Arc<str>,
        rope: &Rope,
        applied: &Applied,
    ) -> Arc<Analysis> {
        if let Some(last) = &self.last
            && last.version == version
            && Arc::ptr_eq(&last.text, text)
            && self.last_rules.0 == applied.generation
            && self.last_rules.1 == applied.path
        {
            return last.clone();
        }
        let rec = recognize::recognizer();
        let mut fresh: FastMap<Box<str>, Arc<Vec<Mention>>> = FastMap::default();
        fresh.reserve(self.paragraphs.len());
        let mut paragraphs = Vec::new();
        for span in recognize::paragraphs(text) {
            let para = &text[span.clone()];
            // Cached paragraphs move to the new cache (no copy of their text).
            let mentions = match self.paragraphs.remove_entry(para) {
                Some((key, m)) => {
                    fresh.insert(key, m.clone());
                    m
                }
                None => {
                    match fresh.get(para) {
                        Some(m) => m.clone(),
                        None => {
                            let m = Arc::new(recognize::guarded(|| rec.annotate_paragraph(para)).unwrap_or_else(|e| {
                            tracing::error!("recognition of a paragraph failed ({e}); it is shown without entities");
                            Vec::new()
                        }));
                            fresh.insert(Box::from(para), m.clone());
                            m
                        }
                    }
                }
            };
            paragraphs.push(ParagraphMentions {
                span,
                mentions: mentions.as_ref().clone(),
            });
        }
        // Keep only the paragraphs of the current text: memory stays proportional to it.
        self.paragraphs = fresh;
        let entities = recognize::guarded(|| {
            rec.resolve_with(text, paragraphs, &applied.rules, applied.path.as_deref())
        })
        .unwrap_or_else(|e| {
            tracing::error!("document resolution failed ({e}); the document is shown without entities");
            Vec::new()
        });
        self.last_rules = (applied.generation, applied.path.clone());
        let analysis = Arc::new(Analysis {
            version,
            text: text.clone(),
            rope: rope.clone(),
            entities,
        });
        self.last = Some(analysis.clone());
        analysis
    }
}

impl Document {
    pub fn new(text: &str, version: i32) -> Document {
        Document {
            version,
            rope: Rope::from_str(text),
            text: Arc::from(text),
            annotator: Arc::default(),
        }
    }

    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn annotator(&self) -> &Arc<Mutex<Annotator>> {
        &self.annotator
    }

    /// Applies `changes` in order (incremental ranges or full replacements).
    pub fn apply_changes(&mut self, changes: &[TextDocumentContentChangeEvent], version: i32, enc: Encoding) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let bytes = convert::byte_range(&self.rope, range, enc);
                    let start = self.rope.byte_to_char(bytes.start);
                    let end = self.rope.byte_to_char(bytes.end);
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                }
            }
        }
        self.text = Arc::from(String::from(&self.rope));
        self.version = version;
    }

    /// The analysis of the current text (computed now if the cached one is stale).
    pub fn analysis(&self) -> Arc<Analysis> {
        analyse_shared(&self.annotator, self.version, &self.text, &self.rope)
    }
}

/// Runs [`Annotator::analyse`] on a shared annotator (a poisoned lock is recovered: the cache
/// holds no invariant a panic could break).
pub fn analyse_shared(
    annotator: &Mutex<Annotator>,
    version: i32,
    text: &Arc<str>,
    rope: &Rope,
) -> Arc<Analysis> {
    analyse_shared_with(annotator, version, text, rope, &Applied::default())
}

/// [`analyse_shared`] with the workspace's annotation rules.
pub fn analyse_shared_with(
    annotator: &Mutex<Annotator>,
    version: i32,
    text: &Arc<str>,
    rope: &Rope,
    applied: &Applied,
) -> Arc<Analysis> {
    let mut guard = annotator.lock().unwrap_or_else(|p| p.into_inner());
    guard.analyse_with(version, text, rope, applied)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tower_lsp_server::lsp_types::Range as LspRange;

    use super::*;

    const BASE: &str = "Renault Korea Busan Plant to Produce Cars\n\nRenault Korea Motors (RKM) announced an \
        agreement with Polestar to build cars at its Busan plant by the second half of 2025.\n\n\
        “Polestar 4 will be the first,” RKM CEO Stephane Deblaise said in Busan, South Korea.\r\n\
        Geely Group paid $1.3 billion for 25 percent; the plant makes 300,000 units.\n\n\
        Ünïcödé 부산 😀 Belvidere, Ill. 9.6 kW\n";

    fn change(
        rope: &Rope,
        range: std::ops::Range<usize>,
        text: &str,
        enc: Encoding,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(LspRange::new(
                convert::position(rope, range.start, enc),
                convert::position(rope, range.end, enc),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    fn snap(text: &str, mut at: usize) -> usize {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    #[test]
    fn edits_apply_in_order_and_clamp() {
        let mut doc = Document::new("ab\ncd", 1);
        let past_end = TextDocumentContentChangeEvent {
            range: Some(LspRange::new(
                tower_lsp_server::lsp_types::Position::new(0, 50),
                tower_lsp_server::lsp_types::Position::new(9, 0),
            )),
            range_length: None,
            text: "X".into(),
        };
        doc.apply_changes(&[past_end], 2, Encoding::Utf16);
        assert_eq!(&**doc.text(), "abX");
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "é😀".into(),
        };
        let ins = change(&Rope::from_str("é😀"), 2..2, "-", Encoding::Utf8);
        doc.apply_changes(&[full, ins], 3, Encoding::Utf8);
        assert_eq!(&**doc.text(), "é-😀");
        assert_eq!(doc.version, 3);
    }

    #[test]
    fn analysis_equals_full_annotation_and_is_cached() {
        let doc = Document::new(BASE, 1);
        let a = doc.analysis();
        assert_eq!(a.entities, recognize::recognizer().annotate(BASE));
        assert!(Arc::ptr_eq(&a, &doc.analysis()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn random_edits_keep_entities_equal_to_a_fresh_annotation(
            edits in prop::collection::vec((0usize..400, 0usize..60, 0usize..8, any::<bool>()), 1..12)
        ) {
            const INSERTS: [&str; 8] = ["", "x", " Busan", "\n\n", "é“", "😀 RKM", "\r\nSeoul, ", " Polestar (PS) "];
            let mut doc = Document::new(BASE, 0);
            let mut reference = BASE.to_string();
            for (i, (at, len, ins, utf8)) in edits.into_iter().enumerate() {
                let enc = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
                let start = snap(&reference, at);
                let end = snap(&reference, start + len);
                let rope = Rope::from_str(&reference);
                // Positions between '\r' and '\n' are not representable; skip such edits.
                let mid_crlf = |b: usize| b > 0 && reference.as_bytes().get(b) == Some(&b'\n')
                    && reference.as_bytes()[b - 1] == b'\r';
                if mid_crlf(start) || mid_crlf(end) {
                    continue;
                }
                let ch = change(&rope, start..end, INSERTS[ins], enc);
                reference.replace_range(start..end, INSERTS[ins]);
                doc.apply_changes(&[ch], i as i32 + 1, enc);
                prop_assert_eq!(&**doc.text(), reference.as_str());
                let analysis = doc.analysis();
                prop_assert_eq!(&analysis.entities, &recognize::recognizer().annotate(&reference));
            }
        }
    }
}
