//! Applying annotation rules to a whole corpus index: indexing with rules, and re-indexing
//! only the articles a change of rules can affect.
//!
//! Invariant: after [`apply_change`], every article of the index equals what indexing it from
//! scratch with the new rules gives (articles not containing any changed surface, nor having a
//! changed mention decision, cannot change: rules only act where their surface occurs).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::annotations::Store;
use crate::corpus::{CorpusIndex, IndexedArticle, ScanConfig, ScanError, analyze_entities, scan};
use crate::recognize::recognizer;
use crate::recognize::rules::{Rules, RulesChange};

/// Reads, annotates with `rules` and indexes `files` in parallel (the rules-aware counterpart
/// of [`CorpusIndex::add_files`]). Unusable files are skipped, logged and returned.
pub fn add_files_with_rules(
    index: &mut CorpusIndex,
    files: &[PathBuf],
    config: &ScanConfig,
    store: &Store,
    rules: &Rules,
) -> Vec<ScanError> {
    let analysed: Vec<Result<IndexedArticle, ScanError>> = files
        .par_iter()
        .map(|path| {
            let file = scan::read_article(path, config)?;
            Ok(analyze_with_rules(
                store, rules, file.path, &file.text, file.size, file.mtime,
            ))
        })
        .collect();
    let mut errors = Vec::new();
    for res in analysed {
        match res {
            Ok(article) => {
                index.insert(article);
            }
            Err(err) => {
                tracing::warn!("{err}");
                errors.push(err);
            }
        }
    }
    errors
}

/// The index entry of one article recognised with `rules`.
pub fn analyze_with_rules(
    store: &Store,
    rules: &Rules,
    path: PathBuf,
    text: &str,
    size: u64,
    mtime: Option<std::time::SystemTime>,
) -> IndexedArticle {
    let rel = store.relative(&path);
    let entities = crate::recognize::guarded(|| recognizer().annotate_with(text, rules, rel.as_deref()))
        .unwrap_or_else(|e| {
            tracing::error!(
                "{}: recognition failed ({e}); indexed without entities",
                path.display()
            );
            Vec::new()
        });
    analyze_entities(path, text, &entities, size, mtime)
}

/// What [`apply_change`] did.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// Articles looked at.
    pub scanned: usize,
    /// Articles re-annotated and re-indexed.
    pub reindexed: usize,
    /// Time to find the affected articles (reading texts included).
    pub find: Duration,
    /// Time to re-annotate and re-index them (`insert` included).
    pub reindex: Duration,
    /// Of which: updating the index (sequential, under the caller's write access).
    pub insert: Duration,
}

/// Re-indexes the articles of `index` that the change from `old` to `new` may affect.
/// `text_of` gives an article's current text (an open document, an in-memory copy, or the
/// file: see [`read_text`]).
pub fn apply_change(
    index: &mut CorpusIndex,
    store: &Store,
    old: &Rules,
    new: &Rules,
    text_of: &(dyn Fn(&Path) -> Option<Arc<str>> + Sync),
) -> Applied {
    let articles: Vec<Indexed> = index
        .articles()
        .map(|(_, a)| (a.path.clone(), a.size, a.mtime))
        .collect();
    let (analysed, mut res) = reanalyze_affected(articles, store, old, new, text_of);
    let inserting = Instant::now();
    for article in analysed {
        index.insert(article);
    }
    res.insert = inserting.elapsed();
    res.reindex += res.insert;
    res
}

/// An indexed article's path, size and modification time.
pub type Indexed = (PathBuf, u64, Option<std::time::SystemTime>);

/// The index entries, recomputed with `new`, of the `articles` that the change from `old` to
/// `new` may affect; holds no lock and touches no index, so that a server can run it without
/// blocking readers and then insert the result (`Applied::insert` is left at zero).
pub fn reanalyze_affected(
    articles: Vec<Indexed>,
    store: &Store,
    old: &Rules,
    new: &Rules,
    text_of: &(dyn Fn(&Path) -> Option<Arc<str>> + Sync),
) -> (Vec<IndexedArticle>, Applied) {
    let change = RulesChange::between(old, new);
    let mut res = Applied::default();
    if change.is_empty() {
        return (Vec::new(), res);
    }
    let started = Instant::now();
    let matcher = change.matcher();
    res.scanned = articles.len();
    let affected: Vec<(Indexed, Arc<str>)> = articles
        .into_par_iter()
        .filter_map(|article| {
            let text = text_of(&article.0)?;
            let rel = store.relative(&article.0);
            matcher.affects(rel.as_deref(), &text).then_some((article, text))
        })
        .collect();
    res.find = started.elapsed();
    let started = Instant::now();
    let analysed: Vec<IndexedArticle> = affected
        .into_par_iter()
        .map(|((path, size, mtime), text)| analyze_with_rules(store, new, path, &text, size, mtime))
        .collect();
    res.reindexed = analysed.len();
    res.reindex = started.elapsed();
    (analysed, res)
}

/// Reads an article file (for [`apply_change`]); unreadable files are logged and skipped.
pub fn read_text(path: &Path) -> Option<Arc<str>> {
    match scan::read_article(path, &ScanConfig::default()) {
        Ok(f) => Some(Arc::from(f.text)),
        Err(err) => {
            tracing::warn!("{err}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::Edit;
    use crate::recognize::Kind;
    use crate::recognize::rules::VocabRule;
    use std::fs;

    fn canonical_kinds(index: &CorpusIndex, path: &Path) -> Vec<(String, Kind)> {
        let Some(id) = index.article_id(path) else {
            return Vec::new();
        };
        let Some(article) = index.article(id) else {
            return Vec::new();
        };
        article
            .mentions
            .iter()
            .filter_map(|m| index.entity(m.entity))
            .map(|e| (e.canonical.clone(), e.kind))
            .collect()
    }

    #[test]
    fn a_change_reindexes_only_affected_articles_and_equals_a_fresh_index() {
        let dir = tempfile::tempdir().expect("tmp");
        let a = dir.path().join("a.txt");
        let b = dir.path().join("sub/b.txt");
        let c = dir.path().join("c.md");
        fs::create_dir_all(dir.path().join("sub")).expect("dir");
        fs::write(
            &a,
            "Plant news\n\nThe Eco Cluster Center in Busan hired 200 people.\n",
        )
        .expect("w");
        fs::write(
            &b,
            "More news\n\nEco Cluster Center and Korea Electric Power Corp. signed.\n",
        )
        .expect("w");
        fs::write(
            &c,
            "# Other\n\nToyota Motor Corp. said sales rose 5 percent in Japan.\n",
        )
        .expect("w");
        let files = vec![a.clone(), b.clone(), c.clone()];
        let store = Store::new(dir.path());
        let config = ScanConfig::default();
        let old = store.load().expect("none");
        let mut index = CorpusIndex::new();
        assert!(add_files_with_rules(&mut index, &files, &config, &store, &old).is_empty());

        let new = store
            .apply(&[Edit::Vocab(VocabRule::Kind {
                text: "Eco Cluster Center".into(),
                kind: Kind::Organization,
                subkind: None,
            })])
            .expect("write");
        let applied = apply_change(&mut index, &store, &old, &new, &read_text);
        assert_eq!((applied.scanned, applied.reindexed), (3, 2));
        let id = index
            .entity_id(Kind::Organization, "Eco Cluster Center")
            .expect("indexed as an organization");
        assert_eq!(index.articles_mentioning(id).len(), 2);

        let mut fresh = CorpusIndex::new();
        add_files_with_rules(&mut fresh, &files, &config, &store, &new);
        for f in &files {
            assert_eq!(
                canonical_kinds(&index, f),
                canonical_kinds(&fresh, f),
                "{}",
                f.display()
            );
        }
        // Nothing changed: nothing re-indexed.
        let none = apply_change(&mut index, &store, &new, &new, &read_text);
        assert_eq!(none.reindexed, 0);
    }
}
