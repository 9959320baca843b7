//! The corpus: a folder of articles and the index of the entities they mention.
//!
//! [`CorpusIndex`] is a query layer (like a small database): articles by id and path, entities
//! by (kind, canonical name) with their aliases and postings, and IDF-weighted related-article
//! ranking. It knows nothing of LSP or JSON-RPC.
//!
//! Invariants:
//! - I/O happens only in [`scan`] (and [`CorpusIndex::article_text`], which calls it).
//! - Ids are stable for the life of an index: a removed article leaves a hole, an entity that
//!   loses its last mention keeps its id (with no postings) so that ids held elsewhere stay valid.
//! - An entity's postings are sorted by article id and hold only live articles.
//! - Updating one article touches only that article's postings.
//! - Memory is per mention 16 bytes ([`ArticleMention`]: span, entity id, flags, UTF-16 lags);
//!   entity strings live once in the entity table, paths once (in the article; the path lookup
//!   is keyed by a hash of it). A [`LineTable`] per article locates mentions as lines and
//!   columns without the text; sentences are recomputed from the text when needed.
//! - [`CorpusIndex::from_parts`] bulk-loads a saved index (the server's on-disk cache) without
//!   allocating per mention; [`CorpusIndex::absorb`] merges such an index into a live one.

pub mod article;
pub mod checks;
pub mod scan;

use std::collections::HashMap;

use crate::recognize::gazetteer::FastMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::NaiveDate;
use rayon::prelude::*;

pub use article::{IndexedArticle, IndexedMention, LineTable, analyze, analyze_entities};
pub use checks::ClaimAt;
pub use scan::{ScanConfig, ScanError};

use crate::facts::Facts;
use crate::recognize::{Entity, Kind, Subkind, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub u32);

/// An indexed article.
#[derive(Clone, Debug)]
pub struct Article {
    pub path: PathBuf,
    pub title: Box<str>,
    pub date: Option<NaiveDate>,
    pub size: u64,
    pub mtime: Option<SystemTime>,
    /// Sorted by span start.
    pub mentions: Vec<ArticleMention>,
    /// Where the lines of the text start (with [`ArticleMention::utf16_lag`]: positions of
    /// mentions without reading the file).
    pub lines: LineTable,
    /// Claims and within-article findings, computed with the mentions (see [`crate::facts`]).
    pub facts: Facts,
    /// Distinct name entities (organization, place, person), for related-article scoring.
    n_names: u32,
    /// Analysed from the file on disk (false for an open document's unsaved text).
    on_disk: bool,
}

impl Article {
    /// An article as saved or loaded (its name count and origin are set when the index
    /// links it).
    pub fn record(
        path: PathBuf,
        title: Box<str>,
        date: Option<NaiveDate>,
        size: u64,
        mtime: Option<SystemTime>,
        mentions: Vec<ArticleMention>,
        lines: LineTable,
    ) -> ArticleRecord {
        Article {
            path,
            title,
            date,
            size,
            mtime,
            mentions,
            lines,
            facts: Facts::default(),
            n_names: 0,
            on_disk: false,
        }
    }

    /// True when the entry was analysed from the file on disk (not from an editor's buffer),
    /// so it may be saved in a cache keyed by the file's size and mtime.
    pub fn on_disk(&self) -> bool {
        self.on_disk
    }
}

/// One mention of an entity in an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleMention {
    /// Bytes in the article text (the sentence around it: [`crate::recognize::sentence_around`]).
    pub span: Range<u32>,
    pub entity: EntityId,
    pub alias: bool,
    pub declaration: bool,
    /// For the start and the end of the span: how many more UTF-8 bytes than UTF-16 code units
    /// the text holds between the start of the line and that point (0 on ASCII text), so that
    /// UTF-16 columns need no text; [`LAG_UNKNOWN`] when it is that large or more (read the text).
    pub utf16_lag: [u8; 2],
}

/// An [`ArticleMention::utf16_lag`] too large to store.
pub const LAG_UNKNOWN: u8 = u8::MAX;

/// What the index knows of one entity.
#[derive(Clone, Debug)]
pub struct EntityInfo {
    pub kind: Kind,
    pub subkind: Option<Subkind>,
    pub canonical: String,
    /// Distinct surfaces seen that differ from the canonical name, sorted (at most [`MAX_ALIASES`]).
    pub aliases: Vec<String>,
    pub value: Option<Value>,
    // Invariant: sorted by article id, counts > 0, only live articles.
    postings: Vec<(ArticleId, u32)>,
}

impl EntityInfo {
    /// Number of articles mentioning the entity.
    pub fn n_articles(&self) -> usize {
        self.postings.len()
    }

    /// Number of mentions in the corpus.
    pub fn n_mentions(&self) -> usize {
        self.postings.iter().map(|(_, n)| *n as usize).sum()
    }
}

pub const MAX_ALIASES: usize = 32;

/// An entity of a saved index, before interning (see [`CorpusIndex::from_parts`]).
#[derive(Clone, Debug)]
pub struct EntityRecord {
    pub kind: Kind,
    pub subkind: Option<Subkind>,
    pub canonical: String,
    pub aliases: Vec<String>,
    pub value: Option<Value>,
}

/// An article of a saved index (built with [`Article::record`]): its mentions name entities
/// by their index in the parts' entity table until [`CorpusIndex::from_parts`] links it.
pub type ArticleRecord = Article;

/// Per mention of an analysed article: its entity's id when the index knew it, and whether its
/// surface was missing from the entity's aliases (see [`CorpusIndex::prepare`]).
#[derive(Clone, Debug, Default)]
pub struct Prepared {
    known: Vec<(Option<EntityId>, bool)>,
}

/// Related-article scores of one article against every other (0 when nothing is shared).
#[derive(Clone, Debug, Default)]
pub struct RelatedScores {
    scores: Vec<f64>,
}

impl RelatedScores {
    pub fn get(&self, id: ArticleId) -> f64 {
        self.scores.get(id.0 as usize).copied().unwrap_or(0.0)
    }

    /// Number of articles sharing at least one name.
    pub fn n_related(&self) -> usize {
        self.scores.iter().filter(|s| **s > 0.0).count()
    }
}

/// A related article and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub article: ArticleId,
    pub score: f64,
    /// Shared entities, most informative (highest IDF) first.
    pub shared: Vec<EntityId>,
}

/// Counts for `newsls index` and status displays.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub articles: usize,
    pub mentions: usize,
    pub bytes: u64,
    /// Distinct entities with at least one mention, per kind in [`Kind::ALL`] order.
    pub entities: [usize; 4],
}

#[derive(Default)]
pub struct CorpusIndex {
    articles: Vec<Option<Article>>,
    /// Live articles by a hash of their path (the path itself is stored once, in the article);
    /// a path whose hash is taken by another path goes to `path_collisions`.
    by_path: FastMap<u64, ArticleId>,
    path_collisions: FastMap<PathBuf, ArticleId>,
    entities: Vec<EntityInfo>,
    /// Entity ids by canonical name, one table per kind (in [`Kind::ALL`] order).
    by_key: [FastMap<Box<str>, EntityId>; 4],
    n_live: usize,
}

/// Articles are read and annotated in chunks of this many files, to bound transient memory.
const CHUNK: usize = 4096;
/// Spare article and entity slots kept by [`CorpusIndex::shrink_to_fit`].
const ARTICLE_HEADROOM: usize = 256;
const ENTITY_HEADROOM: usize = 4096;

impl CorpusIndex {
    pub fn new() -> CorpusIndex {
        CorpusIndex::default()
    }

    /// Article files under the roots (see [`scan::discover`]); errors are logged.
    pub fn discover(roots: &[PathBuf], config: &ScanConfig) -> Vec<PathBuf> {
        let (files, errors) = scan::discover(roots, config);
        for err in &errors {
            tracing::warn!("{err}");
        }
        files
    }

    /// Reads and annotates `files` in parallel and adds them. `progress(done, total)` is called
    /// after each chunk. Files that cannot be used are skipped, logged and returned.
    pub fn add_files(
        &mut self,
        files: &[PathBuf],
        config: &ScanConfig,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Vec<ScanError> {
        let mut errors = Vec::new();
        let mut done = 0;
        for chunk in files.chunks(CHUNK) {
            let analysed: Vec<Result<IndexedArticle, ScanError>> = chunk
                .par_iter()
                .map(|path| {
                    let file = scan::read_article(path, config)?;
                    Ok(analyze(file.path, &file.text, file.size, file.mtime))
                })
                .collect();
            for res in analysed {
                match res {
                    Ok(article) => {
                        self.insert(article);
                    }
                    Err(err) => {
                        tracing::warn!("{err}");
                        errors.push(err);
                    }
                }
            }
            done += chunk.len();
            progress(done, files.len());
        }
        errors
    }

    /// Indexes one article from its text and entities (an open document's buffer, so not
    /// [`Article::on_disk`]), replacing any previous entry for the path.
    pub fn upsert(&mut self, path: &Path, text: &str, entities: &[Entity]) -> ArticleId {
        self.insert_analysed(CorpusIndex::analyze_buffer(path, text, entities), false)
    }

    /// The analysis [`CorpusIndex::upsert`] indexes, made without the index (so that a caller
    /// holding the index behind a lock prepares it outside the lock).
    pub fn analyze_buffer(path: &Path, text: &str, entities: &[Entity]) -> IndexedArticle {
        let (size, mtime) = match std::fs::metadata(path) {
            Ok(meta) if meta.len() == text.len() as u64 => (meta.len(), meta.modified().ok()),
            _ => (text.len() as u64, None),
        };
        analyze_entities(path.to_path_buf(), text, entities, size, mtime)
    }

    /// Indexes an open document's analysis from [`CorpusIndex::analyze_buffer`] (not
    /// [`Article::on_disk`]), replacing any previous entry for the path. What is left of
    /// `indexed` (its mentions) is the caller's to drop, outside any lock on the index.
    /// `prepared` comes from [`CorpusIndex::prepare`] (ideally under a shared lock just before).
    pub fn upsert_analysed(&mut self, indexed: &mut IndexedArticle, prepared: &Prepared) -> ArticleId {
        self.insert_moving(indexed, Some(prepared), false)
    }

    /// Adds an analysed article, replacing any previous entry for its path. Reuses the
    /// article's id when it was indexed before.
    pub fn insert(&mut self, indexed: IndexedArticle) -> ArticleId {
        self.insert_analysed(indexed, true)
    }

    fn insert_analysed(&mut self, mut indexed: IndexedArticle, on_disk: bool) -> ArticleId {
        self.insert_moving(&mut indexed, None, on_disk)
    }

    /// The lookups [`CorpusIndex::upsert_analysed`] needs, done without changing the index (so
    /// under a shared lock, leaving the exclusive one to the few changes).
    pub fn prepare(&self, indexed: &IndexedArticle) -> Prepared {
        let known = indexed
            .mentions
            .iter()
            .map(|m| {
                let id = self.entity_id(m.kind, &m.canonical);
                let alias = match (id.and_then(|id| self.entity(id)), m.surface.as_deref()) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(info), Some(surface)) => {
                        info.aliases.len() < MAX_ALIASES
                            && info
                                .aliases
                                .binary_search_by(|a| a.as_str().cmp(surface))
                                .is_err()
                    }
                };
                (id, alias)
            })
            .collect();
        Prepared { known }
    }

    /// [`CorpusIndex::insert_analysed`] taking everything but the mentions out of `indexed` (the
    /// caller drops those, with their strings, when it likes). `prepared` lookups are checked
    /// (the index may have changed since): a stale one is redone.
    fn insert_moving(
        &mut self,
        indexed: &mut IndexedArticle,
        prepared: Option<&Prepared>,
        on_disk: bool,
    ) -> ArticleId {
        let mentions: Vec<ArticleMention> = indexed
            .mentions
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let known = prepared.and_then(|p| p.known.get(i)).and_then(|&(id, alias)| {
                    let id = id?;
                    let info = self.entities.get_mut(id.0 as usize)?;
                    if info.kind != m.kind || info.canonical != m.canonical {
                        return None;
                    }
                    if info.subkind.is_none() {
                        info.subkind = m.subkind;
                    }
                    Some((id, alias))
                });
                // Aliases are only ever added: one found present in `prepare` is still there.
                let (entity, alias) = known.unwrap_or_else(|| {
                    (
                        self.intern(m.kind, m.subkind, &m.canonical, m.value.as_ref()),
                        true,
                    )
                });
                if alias {
                    self.add_alias(entity, m.surface.as_deref());
                }
                ArticleMention {
                    span: m.span.clone(),
                    entity,
                    alias: m.alias,
                    declaration: m.declaration,
                    utf16_lag: m.utf16_lag,
                }
            })
            .collect();
        self.link(
            Article {
                facts: std::mem::take(&mut indexed.facts),
                ..Article::record(
                    std::mem::take(&mut indexed.path),
                    std::mem::take(&mut indexed.title).into_boxed_str(),
                    indexed.date,
                    indexed.size,
                    indexed.mtime,
                    mentions,
                    std::mem::take(&mut indexed.lines),
                )
            },
            on_disk,
        )
    }

    /// Stores an article whose mentions already hold ids of this index, replacing any previous
    /// entry for its path, and adds its postings.
    fn link(&mut self, mut record: ArticleRecord, on_disk: bool) -> ArticleId {
        let id = match self.article_id(&record.path) {
            Some(id) => {
                self.unlink(id);
                id
            }
            None => {
                let id = ArticleId(self.articles.len() as u32);
                self.articles.push(None);
                match self.by_path.entry(path_hash(&record.path)) {
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(id);
                    }
                    std::collections::hash_map::Entry::Occupied(_) => {
                        self.path_collisions.insert(record.path.clone(), id);
                    }
                }
                id
            }
        };
        record.mentions.shrink_to_fit();
        let mut ids: Vec<EntityId> = record.mentions.iter().map(|m| m.entity).collect();
        ids.sort_unstable();
        let mut n_names = 0;
        for run in ids.chunk_by(|a, b| a == b) {
            let Some(info) = self.entities.get_mut(run[0].0 as usize) else {
                continue;
            };
            if info.kind != Kind::Figure {
                n_names += 1;
            }
            let n = run.len() as u32;
            match info.postings.last() {
                Some(&(last, _)) if last < id => info.postings.push((id, n)),
                None => info.postings.push((id, n)),
                _ => match info.postings.binary_search_by_key(&id, |p| p.0) {
                    Ok(i) => info.postings[i].1 = n,
                    Err(i) => info.postings.insert(i, (id, n)),
                },
            }
        }
        record.n_names = n_names;
        record.on_disk = on_disk;
        self.articles[id.0 as usize] = Some(record);
        self.n_live += 1;
        id
    }

    fn intern(
        &mut self,
        kind: Kind,
        subkind: Option<Subkind>,
        canonical: &str,
        value: Option<&Value>,
    ) -> EntityId {
        let table = &mut self.by_key[kind as usize];
        let id = match table.get(canonical) {
            Some(&id) => id,
            None => {
                let id = EntityId(self.entities.len() as u32);
                self.entities.push(EntityInfo {
                    kind,
                    subkind,
                    canonical: canonical.to_string(),
                    aliases: Vec::new(),
                    value: value.cloned(),
                    postings: Vec::new(),
                });
                table.insert(canonical.into(), id);
                return id;
            }
        };
        let info = &mut self.entities[id.0 as usize];
        if info.subkind.is_none() {
            info.subkind = subkind;
        }
        id
    }

    fn add_alias(&mut self, id: EntityId, surface: Option<&str>) {
        let Some(surface) = surface else { return };
        let Some(info) = self.entities.get_mut(id.0 as usize) else {
            return;
        };
        if info.aliases.len() < MAX_ALIASES
            && let Err(i) = info.aliases.binary_search_by(|a| a.as_str().cmp(surface))
        {
            info.aliases.insert(i, surface.to_string());
        }
    }

    /// Builds an index from a saved one: an entity table and articles whose mentions index into
    /// it (mentions naming no entity of the table are dropped). No allocation per mention.
    pub fn from_parts(entities: Vec<EntityRecord>, articles: Vec<ArticleRecord>) -> CorpusIndex {
        let mut index = CorpusIndex::new();
        index.entities.reserve_exact(entities.len());
        let remap: Vec<EntityId> = entities
            .into_iter()
            .map(|e| {
                let id = index.intern(e.kind, e.subkind, &e.canonical, e.value.as_ref());
                let info = &mut index.entities[id.0 as usize];
                if info.aliases.is_empty() {
                    info.aliases = e.aliases;
                    info.aliases.sort_unstable();
                    info.aliases.dedup();
                    info.aliases.truncate(MAX_ALIASES);
                } else {
                    for a in e.aliases {
                        index.add_alias(id, Some(&a));
                    }
                }
                id
            })
            .collect();
        index.articles.reserve_exact(articles.len());
        index.by_path.reserve(articles.len());
        for mut article in articles {
            article
                .mentions
                .retain_mut(|m| match remap.get(m.entity.0 as usize) {
                    Some(&id) => {
                        m.entity = id;
                        true
                    }
                    None => false,
                });
            index.link(article, true);
        }
        index.shrink_to_fit();
        index
    }

    /// Moves every article of `other` into this index (replacing entries for the same paths).
    /// Cheap when this index is empty.
    pub fn absorb(&mut self, mut other: CorpusIndex) {
        if self.n_live == 0 && self.entities.is_empty() && self.articles.is_empty() {
            *self = other;
            return;
        }
        let remap: Vec<EntityId> = other
            .entities
            .iter()
            .map(|e| {
                let id = self.intern(e.kind, e.subkind, &e.canonical, e.value.as_ref());
                for a in &e.aliases {
                    self.add_alias(id, Some(a));
                }
                id
            })
            .collect();
        for slot in other.articles.iter_mut() {
            let Some(mut article) = slot.take() else { continue };
            for m in &mut article.mentions {
                m.entity = remap[m.entity.0 as usize];
            }
            let on_disk = article.on_disk;
            self.link(article, on_disk);
        }
    }

    /// Releases spare capacity (after a bulk load), keeping room for a few more articles: the
    /// next new article (a document opened in an editor) must not copy the whole article table
    /// while a writer holds the index.
    pub fn shrink_to_fit(&mut self) {
        for info in &mut self.entities {
            info.postings.shrink_to_fit();
            info.aliases.shrink_to_fit();
        }
        self.entities.shrink_to_fit();
        self.entities.reserve_exact(ENTITY_HEADROOM);
        self.articles.shrink_to_fit();
        self.articles.reserve_exact(ARTICLE_HEADROOM);
    }

    /// Every entity slot with its id (including entities that lost all their mentions).
    pub fn entities(&self) -> impl Iterator<Item = (EntityId, &EntityInfo)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (EntityId(i as u32), e))
    }

    /// Removes an article's postings, leaving its slot empty.
    fn unlink(&mut self, id: ArticleId) {
        let Some(article) = self.articles.get_mut(id.0 as usize).and_then(Option::take) else {
            return;
        };
        self.n_live -= 1;
        let mut entities: Vec<EntityId> = article.mentions.iter().map(|m| m.entity).collect();
        entities.sort_unstable();
        entities.dedup();
        for entity in entities {
            let postings = &mut self.entities[entity.0 as usize].postings;
            if let Ok(i) = postings.binary_search_by_key(&id, |p| p.0) {
                postings.remove(i);
            }
        }
    }

    /// Removes the article at `path` (its id is not reused); false when it was not indexed.
    pub fn remove(&mut self, path: &Path) -> bool {
        let Some(id) = self.article_id(path) else {
            return false;
        };
        if self.path_collisions.remove(path).is_none() {
            self.by_path.remove(&path_hash(path));
        }
        self.unlink(id);
        true
    }

    pub fn article(&self, id: ArticleId) -> Option<&Article> {
        self.articles.get(id.0 as usize).and_then(Option::as_ref)
    }

    pub fn article_id(&self, path: &Path) -> Option<ArticleId> {
        if let Some(&id) = self.by_path.get(&path_hash(path))
            && self.article(id).is_some_and(|a| a.path == path)
        {
            return Some(id);
        }
        self.path_collisions
            .get(path)
            .copied()
            .filter(|&id| self.article(id).is_some())
    }

    pub fn articles(&self) -> impl Iterator<Item = (ArticleId, &Article)> {
        self.articles
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.as_ref().map(|a| (ArticleId(i as u32), a)))
    }

    pub fn n_articles(&self) -> usize {
        self.n_live
    }

    pub fn entity(&self, id: EntityId) -> Option<&EntityInfo> {
        self.entities.get(id.0 as usize)
    }

    pub fn entity_id(&self, kind: Kind, canonical: &str) -> Option<EntityId> {
        self.by_key[kind as usize].get(canonical).copied()
    }

    /// The entity's postings: the articles mentioning it (sorted by id) and how often.
    pub fn postings(&self, id: EntityId) -> &[(ArticleId, u32)] {
        self.entity(id).map_or(&[], |e| &e.postings)
    }

    /// Articles mentioning the entity, sorted by id.
    pub fn articles_mentioning(&self, id: EntityId) -> Vec<ArticleId> {
        self.entity(id)
            .map_or_else(Vec::new, |e| e.postings.iter().map(|p| p.0).collect())
    }

    /// Every mention of the entity, by article id then position.
    pub fn mentions_of(&self, id: EntityId) -> Vec<(ArticleId, &ArticleMention)> {
        let mut res = Vec::new();
        for article_id in self.articles_mentioning(id) {
            if let Some(article) = self.article(article_id) {
                res.extend(
                    article
                        .mentions
                        .iter()
                        .filter(|m| m.entity == id)
                        .map(|m| (article_id, m)),
                );
            }
        }
        res
    }

    /// Inverse document frequency: ln(1 + N / df); 0 for an entity nobody mentions.
    pub fn idf(&self, id: EntityId) -> f64 {
        let df = self.entity(id).map_or(0, |e| e.postings.len());
        if df == 0 {
            return 0.0;
        }
        (1.0 + self.n_live as f64 / df as f64).ln()
    }

    /// Articles sharing names (organizations, places, persons) with `id`, best first. The score
    /// is the cosine of IDF-weighted entity sets: shared rare names count more, and long
    /// articles are not favoured just for naming many things.
    pub fn related_to_article(&self, id: ArticleId, limit: usize) -> Vec<Related> {
        let Some(article) = self.article(id) else {
            return Vec::new();
        };
        let mut names: Vec<EntityId> = article
            .mentions
            .iter()
            .map(|m| m.entity)
            .filter(|&e| self.entity(e).is_some_and(|info| info.kind != Kind::Figure))
            .collect();
        names.sort_unstable();
        names.dedup();
        self.rank(id, &names, limit)
    }

    /// The scores of [`CorpusIndex::related_to_article`] for every article at once, without the
    /// shared-entity lists or sorting: one walk of the postings of `id`'s names into a dense
    /// array (0 for `id` itself and for articles sharing nothing).
    pub fn related_scores(&self, id: ArticleId) -> RelatedScores {
        let Some(article) = self.article(id) else {
            return RelatedScores::default();
        };
        let mut names: Vec<EntityId> = article.mentions.iter().map(|m| m.entity).collect();
        names.sort_unstable();
        names.dedup();
        names.retain(|&e| self.entity(e).is_some_and(|info| info.kind != Kind::Figure));
        let from_norm = (names.len().max(1)) as f64;
        let mut sums = vec![0f64; self.articles.len()];
        for &entity in &names {
            let Some(info) = self.entity(entity) else { continue };
            let idf = self.idf(entity);
            let w = idf * idf;
            for &(other, _) in &info.postings {
                sums[other.0 as usize] += w;
            }
        }
        for (i, sum) in sums.iter_mut().enumerate() {
            if *sum == 0.0 || i == id.0 as usize {
                *sum = 0.0;
                continue;
            }
            let n_other = self.articles[i].as_ref().map_or(1, |a| a.n_names.max(1)) as f64;
            *sum /= (from_norm * n_other).sqrt();
        }
        RelatedScores { scores: sums }
    }

    fn rank(&self, from: ArticleId, names: &[EntityId], limit: usize) -> Vec<Related> {
        let mut scores: HashMap<ArticleId, (f64, Vec<EntityId>)> = HashMap::new();
        let from_norm = (names.len().max(1)) as f64;
        for &entity in names {
            let idf = self.idf(entity);
            let Some(info) = self.entity(entity) else { continue };
            for &(other, _) in &info.postings {
                if other == from {
                    continue;
                }
                let slot = scores.entry(other).or_default();
                slot.0 += idf * idf;
                slot.1.push(entity);
            }
        }
        let mut res: Vec<Related> = scores
            .into_iter()
            .map(|(article, (sum, mut shared))| {
                let n_other = self.article(article).map_or(1, |a| a.n_names.max(1)) as f64;
                shared.sort_by(|a, b| self.idf(*b).total_cmp(&self.idf(*a)).then(a.cmp(b)));
                Related {
                    article,
                    score: sum / (from_norm * n_other).sqrt(),
                    shared,
                }
            })
            .collect();
        res.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| self.path_cmp(a.article, b.article))
        });
        res.truncate(limit);
        res
    }

    fn path_cmp(&self, a: ArticleId, b: ArticleId) -> std::cmp::Ordering {
        let path = |id| self.article(id).map(|a| a.path.as_path());
        path(a).cmp(&path(b))
    }

    /// Other articles mentioning `entity`, best first: when `from` is given, ranked by how
    /// related they are to it (plus the entity's own weight), else by how often they mention it.
    pub fn related_for_entity(
        &self,
        entity: EntityId,
        from: Option<ArticleId>,
        limit: usize,
    ) -> Vec<Related> {
        let Some(info) = self.entity(entity) else {
            return Vec::new();
        };
        let mut res: Vec<Related> = match from {
            Some(from) => {
                let by_article: HashMap<ArticleId, Related> = self
                    .related_to_article(from, usize::MAX)
                    .into_iter()
                    .map(|r| (r.article, r))
                    .collect();
                info.postings
                    .iter()
                    .filter(|(a, _)| *a != from)
                    .map(|&(article, n)| match by_article.get(&article) {
                        Some(r) => Related {
                            score: r.score + 1e-3 * n as f64,
                            ..r.clone()
                        },
                        None => Related {
                            article,
                            score: 1e-3 * n as f64,
                            shared: vec![entity],
                        },
                    })
                    .collect()
            }
            None => {
                // The top `limit` first, so that only those become `Related` values.
                let order = |x: &(u32, ArticleId), y: &(u32, ArticleId)| {
                    y.0.cmp(&x.0).then_with(|| self.path_cmp(x.1, y.1))
                };
                let mut top: Vec<(u32, ArticleId)> = info.postings.iter().map(|&(a, n)| (n, a)).collect();
                if limit > 0 && top.len() > limit {
                    top.select_nth_unstable_by(limit - 1, order);
                }
                top.truncate(limit);
                top.into_iter()
                    .map(|(n, article)| Related {
                        article,
                        score: n as f64,
                        shared: vec![entity],
                    })
                    .collect()
            }
        };
        res.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| self.path_cmp(a.article, b.article))
        });
        res.truncate(limit);
        res
    }

    /// Entities whose canonical name or an alias matches `query` fuzzily, best first; ties go
    /// to entities mentioned in more articles.
    pub fn search_entities(&self, query: &str, limit: usize) -> Vec<EntityId> {
        use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
        use nucleo_matcher::{Config, Matcher, Utf32Str};
        let query = query.trim();
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::new(query, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize, EntityId)> = Vec::new();
        for (i, info) in self.entities.iter().enumerate() {
            if info.postings.is_empty() || info.kind == Kind::Figure {
                continue;
            }
            let best = std::iter::once(info.canonical.as_str())
                .chain(info.aliases.iter().map(String::as_str))
                .filter_map(|name| pattern.score(Utf32Str::new(name, &mut buf), &mut matcher))
                .max();
            if let Some(score) = best
                .filter(|_| !query.is_empty())
                .or(query.is_empty().then_some(0))
            {
                scored.push((score, info.postings.len(), EntityId(i as u32)));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        scored.into_iter().take(limit).map(|s| s.2).collect()
    }

    /// Names (canonical or alias) starting with `prefix` (case-insensitive), most mentioned first.
    pub fn complete_prefix(&self, prefix: &str, limit: usize) -> Vec<EntityId> {
        let prefix = prefix.to_lowercase();
        let starts = |name: &str| {
            name.len() >= prefix.len()
                && name.is_char_boundary(prefix.len())
                && name[..prefix.len()].to_lowercase() == prefix
        };
        let mut hits: Vec<(usize, EntityId)> = self
            .entities
            .iter()
            .enumerate()
            .filter(|(_, info)| !info.postings.is_empty() && info.kind != Kind::Figure)
            .filter(|(_, info)| starts(&info.canonical) || info.aliases.iter().any(|a| starts(a)))
            .map(|(i, info)| (info.postings.len(), EntityId(i as u32)))
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.into_iter().take(limit).map(|h| h.1).collect()
    }

    /// The approximate heap bytes of the index, by part (for measurements).
    pub fn heap_bytes(&self) -> Vec<(&'static str, usize)> {
        let mut articles = self.articles.capacity() * std::mem::size_of::<Option<Article>>();
        let (mut mentions, mut lines) = (0, 0);
        for (_, a) in self.articles() {
            articles += a.path.as_os_str().len() + a.title.len();
            mentions += a.mentions.capacity() * std::mem::size_of::<ArticleMention>();
            lines += a.lines.as_bytes().len();
        }
        let mut entities = self.entities.capacity() * std::mem::size_of::<EntityInfo>();
        let mut postings = 0;
        for e in &self.entities {
            entities += e.canonical.capacity() + e.aliases.capacity() * 24;
            entities += e.aliases.iter().map(String::capacity).sum::<usize>();
            postings += e.postings.capacity() * 8;
        }
        let keys: usize = self
            .by_key
            .iter()
            .map(|t| t.capacity() * 24 + t.keys().map(|k| k.len()).sum::<usize>())
            .sum();
        vec![
            ("articles", articles),
            ("mentions", mentions),
            ("lines", lines),
            ("entities", entities),
            ("postings", postings),
            ("entity keys", keys),
            ("paths", self.by_path.capacity() * 12),
        ]
    }

    pub fn stats(&self) -> Stats {
        let mut stats = Stats::default();
        for (_, article) in self.articles() {
            stats.articles += 1;
            stats.mentions += article.mentions.len();
            stats.bytes += article.size;
        }
        for info in self.entities.iter().filter(|e| !e.postings.is_empty()) {
            let i = Kind::ALL.iter().position(|k| *k == info.kind).unwrap_or(0);
            stats.entities[i] += 1;
        }
        stats
    }

    /// The current text of an article, read from disk.
    pub fn article_text(&self, id: ArticleId) -> Option<String> {
        let article = self.article(id)?;
        scan::read_article(
            &article.path,
            &ScanConfig {
                max_file_size: u64::MAX,
                ..ScanConfig::default()
            },
        )
        .ok()
        .map(|f| f.text)
    }
}

/// The key of a path in [`CorpusIndex`]'s path lookup: FNV-1a of its components, so that paths
/// equal as [`Path`]s (which compare by component) hash alike.
fn path_hash(path: &Path) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in path.components() {
        for &b in c.as_os_str().as_encoded_bytes().iter().chain(&[0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(start: u32, end: u32, kind: Kind, canonical: &str, surface: Option<&str>) -> IndexedMention {
        IndexedMention {
            span: start..end,
            kind,
            subkind: None,
            canonical: canonical.to_string(),
            surface: surface.map(str::to_string),
            value: None,
            alias: surface.is_some(),
            declaration: surface.is_none(),
            utf16_lag: [0, 0],
        }
    }

    fn article(path: &str, names: &[&str]) -> IndexedArticle {
        IndexedArticle {
            path: PathBuf::from(path),
            title: path.to_string(),
            date: None,
            size: 10,
            mtime: None,
            mentions: names
                .iter()
                .enumerate()
                .map(|(i, n)| mention(i as u32 * 10, i as u32 * 10 + 5, Kind::Organization, n, None))
                .collect(),
            lines: LineTable::default(),
            facts: Facts::default(),
        }
    }

    #[test]
    fn related_prefers_rare_shared_entities() {
        let mut index = CorpusIndex::new();
        let a = index.insert(article("a", &["Common", "Rare"]));
        let b = index.insert(article("b", &["Common", "Rare"]));
        let c = index.insert(article("c", &["Common", "Other"]));
        index.insert(article("d", &["Common"]));
        let related = index.related_to_article(a, 10);
        assert_eq!(related[0].article, b);
        assert_eq!(related.len(), 3);
        assert_eq!(index.related_scores(a).n_related(), 3);
        assert!(related.iter().any(|r| r.article == c));
        let rare = index.entity_id(Kind::Organization, "Rare").unwrap();
        assert_eq!(related[0].shared[0], rare);
        assert!(related[0].score > related[1].score);
    }

    #[test]
    fn dense_related_scores_equal_the_ranking() {
        let mut index = CorpusIndex::new();
        let a = index.insert(article("a", &["Common", "Rare", "Other"]));
        index.insert(article("b", &["Common", "Rare"]));
        index.insert(article("c", &["Common", "Other", "More"]));
        index.insert(article("d", &["Common"]));
        index.insert(article("e", &["Unrelated"]));
        let scores = index.related_scores(a);
        let ranked = index.related_to_article(a, usize::MAX);
        assert_eq!(ranked.len(), 3);
        for r in &ranked {
            assert!((scores.get(r.article) - r.score).abs() < 1e-12, "{r:?}");
        }
        let e = index.article_id(Path::new("e")).unwrap();
        assert_eq!(scores.get(e), 0.0);
        assert_eq!(scores.get(a), 0.0);
    }

    #[test]
    fn bulk_load_and_absorb_equal_inserting() {
        let mut parts_src = CorpusIndex::new();
        parts_src.insert(article("a", &["X", "Y"]));
        parts_src.insert(article("b", &["Y", "Z"]));
        let entities: Vec<EntityRecord> = parts_src
            .entities()
            .map(|(_, e)| EntityRecord {
                kind: e.kind,
                subkind: e.subkind,
                canonical: e.canonical.clone(),
                aliases: e.aliases.clone(),
                value: e.value.clone(),
            })
            .collect();
        let records: Vec<ArticleRecord> = parts_src.articles().map(|(_, a)| a.clone()).collect();
        let loaded = CorpusIndex::from_parts(entities, records);
        assert_eq!(loaded.stats(), parts_src.stats());
        let y = loaded.entity_id(Kind::Organization, "Y").unwrap();
        assert_eq!(loaded.articles_mentioning(y).len(), 2);

        // Into a live index: "b" is replaced, "c" stays, ids and postings stay consistent.
        let mut live = CorpusIndex::new();
        live.insert(article("c", &["Z", "W"]));
        live.insert(article("b", &["W"]));
        live.absorb(loaded);
        assert_eq!(live.n_articles(), 3);
        let z = live.entity_id(Kind::Organization, "Z").unwrap();
        let w = live.entity_id(Kind::Organization, "W").unwrap();
        let names = |ids: Vec<ArticleId>| -> Vec<String> {
            ids.iter()
                .map(|&i| live.article(i).unwrap().title.to_string())
                .collect()
        };
        assert_eq!(names(live.articles_mentioning(z)), vec!["c", "b"]);
        assert_eq!(names(live.articles_mentioning(w)), vec!["c"]);
        for (id, info) in live.entities() {
            for &(a, n) in &info.postings {
                let m = live
                    .article(a)
                    .unwrap()
                    .mentions
                    .iter()
                    .filter(|m| m.entity == id)
                    .count();
                assert_eq!(m as u32, n);
            }
        }
    }

    #[test]
    fn articles_mentioning_an_entity_most_come_first() {
        let mut index = CorpusIndex::new();
        for (path, n) in [("a", 1), ("c", 3), ("b", 3), ("d", 2)] {
            index.insert(article(path, &vec!["X"; n]));
        }
        let x = index.entity_id(Kind::Organization, "X").unwrap();
        let paths = |limit| -> Vec<String> {
            index
                .related_for_entity(x, None, limit)
                .iter()
                .map(|r| index.article(r.article).unwrap().path.display().to_string())
                .collect()
        };
        assert_eq!(paths(10), vec!["b", "c", "d", "a"]);
        assert_eq!(paths(2), vec!["b", "c"]);
        assert_eq!(paths(1), vec!["b"]);
        assert!(paths(0).is_empty());
        assert_eq!(index.postings(x).len(), 4);
    }

    #[test]
    fn paths_with_colliding_hashes_stay_apart() {
        let mut index = CorpusIndex::new();
        let a = index.insert(article("a", &["X"]));
        // Pretend "b" hashes like "a": it must not find or replace "a".
        index.by_path.insert(path_hash(Path::new("b")), a);
        assert_eq!(index.article_id(Path::new("b")), None);
        let b = index.insert(article("b", &["Y"]));
        assert_ne!(a, b);
        assert_eq!(index.path_collisions.get(Path::new("b")), Some(&b));
        assert_eq!(index.article_id(Path::new("b")), Some(b));
        assert_eq!(index.insert(article("b", &["Z"])), b);
        assert!(index.remove(Path::new("b")));
        assert_eq!(index.article_id(Path::new("b")), None);
        assert_eq!(index.n_articles(), 1);
        // Paths that are equal as paths are one article.
        assert_eq!(index.article_id(Path::new("./a")), None);
        let c = index.insert(article("dir/c", &["X"]));
        assert_eq!(index.article_id(Path::new("dir//c")), Some(c));
    }

    #[test]
    fn prepared_upserts_equal_plain_ones_even_when_stale() {
        let mut plain = CorpusIndex::new();
        plain.insert(article("a", &["X", "Y"]));
        let mut art = article("open", &["Y", "Z"]);
        art.mentions
            .push(mention(40, 43, Kind::Organization, "Y", Some("Y Co")));
        let mut prepared_index = CorpusIndex::new();
        prepared_index.insert(article("a", &["X", "Y"]));
        // Fresh lookups, and stale ones from another index whose ids mean other entities.
        let fresh = prepared_index.prepare(&art);
        let mut other = CorpusIndex::new();
        other.insert(article("b", &["Z", "Q", "Y"]));
        let stale = other.prepare(&art);
        plain.insert_analysed(art.clone(), false);
        let mut stale_index = CorpusIndex::new();
        stale_index.insert(article("a", &["X", "Y"]));
        for (index, prepared) in [(&mut prepared_index, fresh), (&mut stale_index, stale)] {
            let mut copy = art.clone();
            let id = index.upsert_analysed(&mut copy, &prepared);
            let names: Vec<&str> = index
                .article(id)
                .unwrap()
                .mentions
                .iter()
                .map(|m| index.entity(m.entity).unwrap().canonical.as_str())
                .collect();
            assert_eq!(names, vec!["Y", "Z", "Y"]);
            let y = index.entity_id(Kind::Organization, "Y").unwrap();
            assert_eq!(index.entity(y).unwrap().aliases, vec!["Y Co"]);
            assert_eq!(index.stats(), plain.stats());
            assert!(!index.article(id).unwrap().on_disk());
        }
    }

    #[test]
    fn upsert_replaces_only_that_article() {
        let mut index = CorpusIndex::new();
        let a = index.insert(article("a", &["X", "Y"]));
        index.insert(article("b", &["X"]));
        let x = index.entity_id(Kind::Organization, "X").unwrap();
        let y = index.entity_id(Kind::Organization, "Y").unwrap();
        assert_eq!(index.articles_mentioning(x).len(), 2);
        let again = index.insert(article("a", &["Y"]));
        assert_eq!(again, a);
        assert_eq!(index.articles_mentioning(x).len(), 1);
        assert_eq!(index.articles_mentioning(y), vec![a]);
        assert!(index.remove(Path::new("a")));
        assert!(!index.remove(Path::new("a")));
        assert!(index.articles_mentioning(y).is_empty());
        assert_eq!(index.stats().articles, 1);
        assert_eq!(index.stats().entities, [1, 0, 0, 0]);
    }

    #[test]
    fn aliases_search_and_completion() {
        let mut index = CorpusIndex::new();
        let mut art = article("a", &["Renault Korea Motors"]);
        art.mentions.push(mention(
            20,
            23,
            Kind::Organization,
            "Renault Korea Motors",
            Some("RKM"),
        ));
        index.insert(art);
        index.insert(article("b", &["Rio Tinto"]));
        let rkm = index
            .entity_id(Kind::Organization, "Renault Korea Motors")
            .unwrap();
        assert_eq!(index.entity(rkm).unwrap().aliases, vec!["RKM"]);
        assert_eq!(index.mentions_of(rkm).len(), 2);
        assert_eq!(index.search_entities("rkm", 5), vec![rkm]);
        assert_eq!(index.search_entities("renkormot", 5)[0], rkm);
        assert_eq!(index.complete_prefix("Re", 5), vec![rkm]);
        assert_eq!(index.complete_prefix("r", 5).len(), 2);
    }
}
