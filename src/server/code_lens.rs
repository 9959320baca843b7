//! Code lens on the title line: "N related articles", with a command listing them.
//!
//! The command `newsls.showRelatedArticles` carries `[uri, position, locations]` (the shape of
//! VS Code's `editor.action.showReferences`), so a client can show the list itself; sent back
//! through `workspace/executeCommand` it returns the related articles as JSON.

use serde_json::json;
use tower_lsp_server::lsp_types::{CodeLens, Command, Location, Position, Range};

use crate::server::navigation::{this_article, uri_for};
use crate::server::state::{Snapshot, State};

pub const SHOW_RELATED: &str = "newsls.showRelatedArticles";
/// Most related articles carried by the lens.
pub const LENS_ARTICLES: usize = 50;

/// One related article: where it is, its title and why it is related.
pub struct RelatedArticle {
    pub location: Location,
    pub title: String,
    pub score: f64,
    pub shared: Vec<String>,
}

/// Related articles of the snapshot's document, best first (empty when it is not indexed).
pub fn related_articles(state: &State, snap: &Snapshot, limit: usize) -> (usize, Vec<RelatedArticle>) {
    let Some(this) = this_article(state, snap) else {
        return (0, Vec::new());
    };
    let rows: Vec<(std::path::PathBuf, String, f64, Vec<String>)>;
    let total;
    {
        let corpus = state.corpus();
        // Counting needs only the dense scores; the shared-entity lists only for the shown few.
        total = corpus.related_scores(this).n_related();
        let related = corpus.related_to_article(this, limit);
        rows = related
            .into_iter()
            .take(limit)
            .filter_map(|r| {
                let a = corpus.article(r.article)?;
                let shared = r
                    .shared
                    .iter()
                    .take(5)
                    .filter_map(|e| corpus.entity(*e).map(|i| i.canonical.clone()))
                    .collect();
                Some((a.path.clone(), a.title.to_string(), r.score, shared))
            })
            .collect();
    }
    let res = rows
        .into_iter()
        .filter_map(|(path, title, score, shared)| {
            let uri = uri_for(state, &path)?;
            Some(RelatedArticle {
                location: Location::new(uri, Range::default()),
                title,
                score,
                shared,
            })
        })
        .collect();
    (total, res)
}

pub fn code_lens(state: &State, snap: &Snapshot) -> Vec<CodeLens> {
    if !snap.config.code_lens {
        return Vec::new();
    }
    let text = &snap.analysis.text;
    let Some(title_line) = text.lines().position(|l| !l.trim().is_empty()) else {
        return Vec::new();
    };
    let (total, related) = related_articles(state, snap, LENS_ARTICLES);
    let title = match total {
        0 => "No related articles".to_string(),
        1 => "1 related article".to_string(),
        n => format!("{n} related articles"),
    };
    let line = u32::try_from(title_line).unwrap_or(u32::MAX);
    let range = Range::new(Position::new(line, 0), Position::new(line, 0));
    let locations: Vec<Location> = related.into_iter().map(|r| r.location).collect();
    vec![CodeLens {
        range,
        command: Some(Command::new(
            title,
            SHOW_RELATED.to_string(),
            Some(vec![json!(snap.uri), json!(range.start), json!(locations)]),
        )),
        data: None,
    }]
}
