//! Recognition: text in, entities out. Pure functions, no I/O, no LSP, never fails.
//!
//! Pipeline: the text is split into paragraphs (entities never span a blank line); each
//! paragraph is annotated on its own ([`Recognizer::annotate_paragraph`], context-free, so a
//! caller may cache it per paragraph); then [`resolve::resolve_document`] does the
//! document-level work: overlaps, acronyms defined in parentheses, propagation of names to
//! their later and shorter mentions, dateline-relative dates, canonical names and the
//! `alias`/`declaration` flags.
//!
//! Invariant: nothing under `recognize/` imports `tower_lsp_server`, `tokio` or `std::fs`.

mod chars;
pub mod figures;
pub mod gazetteer;
pub mod lexicon;
pub mod names;
pub mod resolve;
pub mod rules;
pub mod tagger;
pub mod types;
pub mod value;

use std::ops::Range;
use std::sync::LazyLock;

pub use types::{Bound, DateRange, Entity, Kind, Mention, Subkind, Value};

/// Bumped whenever recognition output may change; caches keyed on it are rebuilt.
pub const RECOGNIZER_VERSION: u32 = 28;

/// The name model's weights (`newsls train` writes them; see [`tagger`]).
const NAME_MODEL: &[u8] = include_bytes!("../../data/name_model.bin");

/// The recogniser: gazetteers, compiled patterns and the name model, built once and shared.
pub struct Recognizer {
    gazetteer: gazetteer::Gazetteer,
    /// `None`: the name rules decide alone.
    tagger: Option<tagger::Model>,
}

thread_local! {
    static TAGGER_SCRATCH: std::cell::RefCell<tagger::Scratch> = std::cell::RefCell::default();
}

static DEFAULT: LazyLock<Recognizer> = LazyLock::new(Recognizer::new);

/// The process-wide recogniser (built on first use, about the cost of loading the gazetteer).
pub fn recognizer() -> &'static Recognizer {
    &DEFAULT
}

/// Paragraph-level mentions with absolute spans: the input of document resolution.
#[derive(Clone, Debug, Default)]
pub struct ParagraphMentions {
    pub span: Range<usize>,
    pub mentions: Vec<Mention>,
}

impl Default for Recognizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Recognizer {
    /// The recogniser with the embedded name model.
    pub fn new() -> Recognizer {
        // The model is read while the gazetteer loads.
        let (gazetteer, tagger) = gazetteer::Gazetteer::load_with(|| tagger::Model::from_bytes(NAME_MODEL));
        Recognizer { gazetteer, tagger }
    }

    /// The recogniser with another name model (`None`: the rules alone), e.g. one being
    /// trained or cross-validated.
    pub fn with_tagger(tagger: Option<tagger::Model>) -> Recognizer {
        Recognizer {
            gazetteer: gazetteer::Gazetteer::load(),
            tagger,
        }
    }

    pub fn gazetteer(&self) -> &gazetteer::Gazetteer {
        &self.gazetteer
    }

    /// The name model in use, if any.
    pub fn tagger(&self) -> Option<&tagger::Model> {
        self.tagger.as_ref()
    }

    /// Recognises one paragraph on its own. Spans are relative to `para`, sorted, and do
    /// not overlap. The result depends on `para` alone.
    pub fn annotate_paragraph(&self, para: &str) -> Vec<Mention> {
        let mut candidates = figures::find_figures(para);
        TAGGER_SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut scratch) => self.names_into(para, &mut candidates, &mut scratch),
            Err(_) => self.names_into(para, &mut candidates, &mut tagger::Scratch::default()),
        });
        resolve::remove_overlaps(candidates)
    }

    /// Adds the names of `para` to its figures `candidates`: the paragraph is tokenised once
    /// ([`tagger::tokenize`]) for the name rules and the model.
    fn names_into(&self, para: &str, candidates: &mut Vec<Mention>, scratch: &mut tagger::Scratch) {
        let toks = scratch.take_tokens(para);
        let rules = names::find_names_in(para, &self.gazetteer, &toks);
        match &self.tagger {
            Some(model) => {
                let found = model.find_names_in(para, &self.gazetteer, &toks, &rules, candidates, scratch);
                candidates.extend(found);
            }
            None => candidates.extend(rules),
        }
        scratch.put_tokens(toks);
    }

    /// Recognises a whole document.
    pub fn annotate(&self, text: &str) -> Vec<Entity> {
        let paragraphs: Vec<ParagraphMentions> = paragraphs(text)
            .map(|span| {
                let mentions = self.annotate_paragraph(&text[span.clone()]);
                ParagraphMentions { span, mentions }
            })
            .collect();
        resolve::resolve_document_owned(text, paragraphs, &self.gazetteer)
    }

    /// Recognises a whole document with the user's annotation rules applied (see [`rules`]).
    /// `path` is the article's workspace-relative path, for mention decisions anchored to it.
    pub fn annotate_with(&self, text: &str, rules: &rules::Rules, path: Option<&str>) -> Vec<Entity> {
        let paragraphs: Vec<ParagraphMentions> = paragraphs(text)
            .map(|span| {
                let mentions = self.annotate_paragraph(&text[span.clone()]);
                ParagraphMentions { span, mentions }
            })
            .collect();
        self.resolve_with(text, paragraphs, rules, path)
    }

    /// Document resolution of (possibly cached) paragraph mentions with the rules applied:
    /// equals [`Recognizer::annotate_with`] on the same text.
    pub fn resolve_with(
        &self,
        text: &str,
        paragraphs: Vec<ParagraphMentions>,
        rules: &rules::Rules,
        path: Option<&str>,
    ) -> Vec<Entity> {
        if rules.is_empty() {
            return resolve::resolve_document_owned(text, paragraphs, &self.gazetteer);
        }
        let classify = |name: &str| {
            self.annotate_paragraph(name)
                .into_iter()
                .find(|m| m.span == (0..name.len()))
                .map(|m| (m.kind, m.subkind))
        };
        rules.apply(text, path, paragraphs, &classify, |p| {
            resolve::resolve_document(text, p, &self.gazetteer)
        })
    }
}

/// Runs recogniser work and turns a panic (a bug: the recogniser must not panic on any input,
/// which the property tests check) into an error message instead of unwinding into the
/// caller. The server and the corpus indexer go through it, so that one article tripping a bug
/// costs that article's entities, not the process.
pub fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// Splits `text` into paragraphs: maximal runs of non-blank lines. Each range starts at the
/// first byte of its first line and ends after the last non-newline byte of its last line.
pub fn paragraphs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let bytes = text.as_bytes();
        // Skip blank lines.
        loop {
            if pos >= bytes.len() {
                return None;
            }
            let line_end = memchr_newline(bytes, pos);
            if text[pos..line_end].trim().is_empty() {
                pos = (line_end + 1).min(bytes.len());
                if line_end >= bytes.len() {
                    return None;
                }
            } else {
                break;
            }
        }
        let start = pos;
        let mut end;
        loop {
            let line_end = memchr_newline(bytes, pos);
            end = line_end;
            pos = line_end + 1;
            if pos >= bytes.len() {
                pos = bytes.len();
                break;
            }
            let next_end = memchr_newline(bytes, pos);
            if text[pos..next_end].trim().is_empty() {
                break;
            }
        }
        // Do not include a trailing '\r'.
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end)
    })
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i)
}

/// The sentence around byte offset `at`: a range inside the paragraph, cut at `.`, `!`, `?`
/// followed by a space and an upper-case letter, or at line ends for headline-like lines.
pub fn sentence_around(text: &str, at: Range<usize>) -> Range<usize> {
    let line_start = text[..at.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at.end..].find('\n').map_or(text.len(), |i| at.end + i);
    let bytes = text.as_bytes();
    let mut start = line_start;
    let mut i = at.start;
    while i > line_start {
        i -= 1;
        if matches!(bytes[i], b'.' | b'!' | b'?')
            && i + 2 <= at.start
            && bytes[i + 1] == b' '
            && bytes[i + 2].is_ascii_uppercase()
        {
            start = i + 2;
            break;
        }
    }
    let mut end = line_end;
    let mut j = at.end;
    while j < line_end {
        if matches!(bytes[j], b'.' | b'!' | b'?') && (j + 1 == line_end || bytes[j + 1] == b' ') {
            // Skip abbreviations like "Nov." or "Ill." followed by a lower-case word or digit.
            let next = bytes.get(j + 2).copied().unwrap_or(b'A');
            if j + 1 == line_end || next.is_ascii_uppercase() || next == b'"' || !next.is_ascii() {
                end = j + 1;
                break;
            }
        }
        j += 1;
    }
    let res = start..end;
    let trimmed = text[res.clone()].trim_end_matches('\r');
    res.start..res.start + trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of news-like text that exercise every recogniser path, joined at random
    /// (plus arbitrary characters): abbreviations, currency signs, ranges, possessives,
    /// acronyms in parentheses, multi-byte text, blank lines.
    const PIECES: &[&str] = &[
        "Renault Korea Motors",
        " (RKM)",
        "RKM",
        "’s",
        "'s",
        "Busan",
        "South Korea",
        "Belvidere, Ill.",
        "U.S.",
        "Inc.",
        "Corp.",
        "Mr.",
        "Dr. Kim Hyeong-gyun",
        "$",
        "€",
        "US$",
        "1,000",
        "1.3",
        "5-6",
        "billion",
        "million",
        "percent",
        "%",
        "per cent",
        "kW",
        "units",
        "employees",
        "Nov.",
        "9,",
        "2023",
        "Monday",
        "the second half of",
        "since",
        "up to",
        "between",
        "and",
        "to",
        "of",
        "University of Texas",
        "said",
        "the",
        "The",
        "“",
        "”",
        "—",
        "-",
        ".",
        ",",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "é",
        "한국",
        "🙂",
        "Ça",
        "ROME",
        "NEW YORK",
        "LONDON, March 5 -",
        "(Reuters)",
        "Ind.",
        "West",
        "Banco",
        "Co",
        "Plc",
        "Moody's",
        "Securities and Exchange Commission",
        "General",
        "45 cts",
        "CEO",
        "(",
        ")",
        "#Tag",
        "@user",
        "PARIS, March 4 -",
        "TORONTO",
        "dlrs",
        "mln",
        "francs",
        "pesos",
        "Net",
        "Revs",
        " vs ",
        "1/8",
        "10-7/8 pct",
        "loss",
        "from",
        "Canadian",
        "Cray Research Inc",
        "Cray",
        "First Interstate Bancorp",
        "KGaA",
        "stake in",
        "plant",
        "MELLON SIGNS PACT",
    ];

    fn news_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => proptest::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    #[test]
    fn the_embedded_name_model_loads() {
        // A model file made for other features is refused (and the rules would stand alone).
        let model = recognizer().tagger().expect("data/name_model.bin loads");
        assert!(model.n_features() > 10_000);
    }

    #[test]
    fn guarded_turns_a_panic_into_an_error() {
        assert_eq!(guarded(|| 7), Ok(7));
        let v: Vec<usize> = Vec::new();
        let err = guarded(|| v[3]).unwrap_err();
        assert!(err.contains("index out of bounds"), "{err}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// On any text: no panic; spans non-empty, on character boundaries, sorted, not
        /// overlapping, never across a blank line; figures carry a value, and no marker currency.
        #[test]
        fn annotate_keeps_its_invariants(text in news_like()) {
            let entities = recognizer().annotate(&text);
            let mut last_end = 0;
            for e in &entities {
                prop_assert!(e.span.start < e.span.end && e.span.end <= text.len());
                prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                prop_assert!(e.span.start >= last_end, "overlap or unsorted at {:?}", e.span);
                let surface = &text[e.span.clone()];
                prop_assert!(!surface.contains("\n\n"), "{surface:?} spans a blank line");
                if e.kind == Kind::Figure {
                    prop_assert!(e.value.is_some(), "figure {surface:?} without a value");
                    // Marker currencies are decided by the document step, never shown.
                    if let Some(Value::Money { currency, .. }) = &e.value {
                        prop_assert!(!currency.ends_with('?'), "{surface:?} kept marker {currency}");
                    }
                }
                last_end = e.span.end;
            }
        }
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let text = "Title\n\nFirst line\nsecond line\n  \n\nLast";
        let got: Vec<&str> = paragraphs(text).map(|r| &text[r]).collect();
        assert_eq!(got, vec!["Title", "First line\nsecond line", "Last"]);
    }

    #[test]
    fn paragraphs_crlf_and_empty() {
        let text = "A\r\n\r\nB\r\n";
        let got: Vec<&str> = paragraphs(text).map(|r| &text[r]).collect();
        assert_eq!(got, vec!["A", "B"]);
        assert_eq!(paragraphs("").count(), 0);
        assert_eq!(paragraphs("\n\n \n").count(), 0);
    }

    #[test]
    fn sentence_is_cut_at_full_stops() {
        let text = "It rained. Busan is a port city. It is big.";
        let at = text.find("Busan").unwrap();
        assert_eq!(&text[sentence_around(text, at..at + 5)], "Busan is a port city.");
    }
}
