//! Definition (= related articles mentioning the entity), declaration, references and document
//! highlight. Plain functions over a [`Snapshot`] and the corpus, run off the async workers.
//!
//! "The same entity" means the same kind and canonical name (what the corpus interns on).
//! Locations in other files come from the index alone (line table and UTF-16 lags, see
//! [`convert::indexed_range`]): no file is read, except for open documents (their current text)
//! and the rare mention whose UTF-16 column needs the text (then read once per file; spans
//! from an index entry that went stale are clamped).

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::UriExt;
use tower_lsp_server::lsp_types::{DocumentHighlight, DocumentHighlightKind, Location, Position, Uri};

use crate::corpus::{Article, ArticleId, ArticleMention, CorpusIndex, EntityId, RelatedScores};
use crate::recognize::Entity;
use crate::server::convert::{self, Cursor};
use crate::server::state::{Snapshot, State};

/// Most related articles returned by go to definition.
pub const DEFINITION_LIMIT: usize = 20;

/// IDF relatedness of every other article to `this`, cached until the corpus changes (hover
/// and definition on many entities of one document reuse it).
/// One dense pass over the postings of the article's names (well under a millisecond at 100,000
/// articles), so the first request after a corpus change stays fast too.
pub fn related_scores(state: &State, corpus: &CorpusIndex, this: ArticleId) -> Arc<RelatedScores> {
    let generation = state.corpus_generation.load(Ordering::Acquire);
    let mut cache = state.related_cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((g, a, scores)) = cache.as_ref()
        && *g == generation
        && *a == this
    {
        return scores.clone();
    }
    let scores = Arc::new(corpus.related_scores(this));
    *cache = Some((generation, this, scores.clone()));
    scores
}

/// Other articles mentioning `eid`, best related to `this` first (articles sharing no other
/// name come last, by id); without `this`, those mentioning it most first.
pub fn ranked_articles(
    state: &State,
    corpus: &CorpusIndex,
    eid: EntityId,
    this: Option<ArticleId>,
    limit: usize,
) -> Vec<ArticleId> {
    let Some(this) = this else {
        return corpus
            .related_for_entity(eid, None, limit)
            .into_iter()
            .map(|r| r.article)
            .collect();
    };
    let scores = related_scores(state, corpus, this);
    let mut ranked: Vec<(f64, ArticleId)> = corpus
        .postings(eid)
        .iter()
        .filter(|(a, _)| *a != this)
        .map(|&(a, _)| (scores.get(a), a))
        .collect();
    let order = |x: &(f64, ArticleId), y: &(f64, ArticleId)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
    if ranked.len() > limit && limit > 0 {
        ranked.select_nth_unstable_by(limit - 1, order);
        ranked.truncate(limit);
    }
    ranked.sort_by(order);
    ranked.truncate(limit);
    ranked.into_iter().map(|(_, a)| a).collect()
}

/// The entity under `pos` (enabled kinds only).
pub fn entity_at(snap: &Snapshot, pos: Position) -> Option<&Entity> {
    let byte = convert::offset(&snap.analysis.rope, pos, snap.encoding);
    let idx = snap.analysis.entity_at(byte)?;
    let e = &snap.analysis.entities[idx];
    snap.config.kind_enabled(e.kind).then_some(e)
}

pub fn same_entity(a: &Entity, b: &Entity) -> bool {
    a.kind == b.kind && a.canonical == b.canonical
}

/// This document's mentions of `e`'s entity, in order.
pub fn mentions_in_document<'a>(snap: &'a Snapshot, e: &'a Entity) -> impl Iterator<Item = &'a Entity> + 'a {
    snap.analysis.entities.iter().filter(move |x| same_entity(x, e))
}

/// The article id of the snapshot's document in the corpus, if indexed.
pub fn this_article(state: &State, snap: &Snapshot) -> Option<ArticleId> {
    let path = snap.path.as_ref()?;
    state.corpus().article_id(path)
}

/// The URI to report for `path`: the client's own URI when the file is open.
pub fn uri_for(state: &State, path: &Path) -> Option<Uri> {
    if let Some(uri) = state.inner().open_paths.get(path) {
        return Some(uri.clone());
    }
    Uri::from_file_path(path)
}

/// A mention in another article, located from the index ([`Place::Range`]) or, when the text
/// is needed, by its byte span ([`Place::Span`]).
#[derive(Clone, Debug)]
pub enum Place {
    Range(tower_lsp_server::lsp_types::Range),
    Span(Range<usize>),
}

/// The paths of the open documents (their text overrides the index: their mentions are located
/// in the current text). Taken before the corpus lock (lock order: `inner` first).
pub fn open_paths(state: &State) -> HashSet<PathBuf> {
    state.inner().open_paths.keys().cloned().collect()
}

/// Where `m`, a mention of `article`, is: from the index when the file is not open and its
/// UTF-16 columns need no text.
pub fn place(
    article: &Article,
    m: &ArticleMention,
    open: &HashSet<PathBuf>,
    enc: convert::Encoding,
) -> Place {
    let from_index = (!open.contains(&article.path))
        .then(|| convert::indexed_range(&article.lines, m, enc))
        .flatten();
    match from_index {
        Some(range) => Place::Range(range),
        None => Place::Span(m.span.start as usize..m.span.end as usize),
    }
}

/// Locations of sorted places in the file at `path`; its current text (open document, else
/// disk) is read only when a place needs it.
pub fn file_locations(state: &State, path: &Path, places: &[Place]) -> Vec<Location> {
    let Some(uri) = uri_for(state, path) else {
        return Vec::new();
    };
    let text = if places.iter().any(|p| matches!(p, Place::Span(_))) {
        let text = state.text_of(path);
        if text.is_none() {
            tracing::info!(
                "{}: cannot be read any more, some of its locations are left out",
                path.display()
            );
        }
        text
    } else {
        None
    };
    let enc = state.encoding();
    let mut cursor = text.as_deref().map(|t| Cursor::new(t, enc));
    places
        .iter()
        .filter_map(|place| {
            let range = match place {
                Place::Range(r) => *r,
                Place::Span(span) => {
                    let cursor = cursor.as_mut()?;
                    let start = cursor.position(span.start);
                    let end = cursor.position(span.end.max(span.start));
                    tower_lsp_server::lsp_types::Range::new(start, end)
                }
            };
            Some(Location::new(uri.clone(), range))
        })
        .collect()
}

fn doc_location(snap: &Snapshot, span: Range<usize>) -> Location {
    Location::new(
        snap.uri.clone(),
        convert::range(&snap.analysis.rope, span, snap.encoding),
    )
}

/// Go to definition: the entity's first mention in each other article, best related first;
/// with no other article, its first mention in this document.
pub fn definition(state: &State, snap: &Snapshot, pos: Position) -> Vec<Location> {
    let Some(e) = entity_at(snap, pos) else {
        return Vec::new();
    };
    let open = open_paths(state);
    let enc = state.encoding();
    let targets: Vec<(PathBuf, Place)> = {
        let corpus = state.corpus();
        let this = snap.path.as_ref().and_then(|p| corpus.article_id(p));
        match corpus.entity_id(e.kind, &e.canonical) {
            Some(eid) => ranked_articles(state, &corpus, eid, this, DEFINITION_LIMIT + 1)
                .into_iter()
                .filter(|a| Some(*a) != this)
                .filter_map(|a| {
                    let article = corpus.article(a)?;
                    if snap.path.as_deref() == Some(article.path.as_path()) {
                        return None;
                    }
                    let m = article.mentions.iter().find(|m| m.entity == eid)?;
                    Some((article.path.clone(), place(article, m, &open, enc)))
                })
                .take(DEFINITION_LIMIT)
                .collect(),
            None => Vec::new(),
        }
    };
    if targets.is_empty() {
        return declaration(snap, pos).into_iter().collect();
    }
    targets
        .into_iter()
        .flat_map(|(path, place)| file_locations(state, &path, &[place]))
        .collect()
}

/// Go to declaration: the first mention in this document.
pub fn declaration(snap: &Snapshot, pos: Position) -> Option<Location> {
    let e = entity_at(snap, pos)?;
    let first = mentions_in_document(snap, e).next()?;
    Some(doc_location(snap, first.span.clone()))
}

/// Every mention in the corpus (this document's from its live text, first), aliases included.
/// Without `include_declaration`, this document's first mention is left out.
pub fn references(state: &State, snap: &Snapshot, pos: Position, include_declaration: bool) -> Vec<Location> {
    let Some(e) = entity_at(snap, pos) else {
        return Vec::new();
    };
    let mut res: Vec<Location> = mentions_in_document(snap, e)
        .enumerate()
        .filter(|(i, _)| include_declaration || *i > 0)
        .map(|(_, m)| doc_location(snap, m.span.clone()))
        .collect();
    let open = open_paths(state);
    let enc = state.encoding();
    let by_file: BTreeMap<ArticleId, (PathBuf, Vec<Place>)> = {
        let corpus = state.corpus();
        let mut by_file: BTreeMap<ArticleId, (PathBuf, Vec<Place>)> = BTreeMap::new();
        if let Some(eid) = corpus.entity_id(e.kind, &e.canonical) {
            for (article_id, m) in corpus.mentions_of(eid) {
                let Some(article) = corpus.article(article_id) else {
                    continue;
                };
                if snap.path.as_deref() == Some(article.path.as_path()) {
                    continue;
                }
                by_file
                    .entry(article_id)
                    .or_insert_with(|| (article.path.clone(), Vec::new()))
                    .1
                    .push(place(article, m, &open, enc));
            }
        }
        by_file
    };
    for (path, places) in by_file.values() {
        res.extend(file_locations(state, path, places));
    }
    res
}

/// The entity's mentions in this document; the first one is marked as the write (declaration).
pub fn highlights(snap: &Snapshot, pos: Position) -> Vec<DocumentHighlight> {
    let Some(e) = entity_at(snap, pos) else {
        return Vec::new();
    };
    mentions_in_document(snap, e)
        .enumerate()
        .map(|(i, m)| DocumentHighlight {
            range: convert::range(&snap.analysis.rope, m.span.clone(), snap.encoding),
            kind: Some(if i == 0 {
                DocumentHighlightKind::WRITE
            } else {
                DocumentHighlightKind::READ
            }),
        })
        .collect()
}
