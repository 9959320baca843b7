//! Document symbols (entities grouped by kind: kind -> entity -> its mentions) and workspace
//! symbols (fuzzy search over canonical names and aliases across the corpus).

use std::collections::HashMap;

use tower_lsp_server::lsp_types::{DocumentSymbol, Location, SymbolKind, WorkspaceSymbol};

use crate::recognize::Kind;
use crate::server::convert;
use crate::server::navigation::{Place, file_locations, open_paths, place};
use crate::server::state::{Snapshot, State};

/// Most results of a workspace symbol search.
pub const WORKSPACE_SYMBOL_LIMIT: usize = 100;

pub fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Organization => SymbolKind::CLASS,
        Kind::Place => SymbolKind::NAMESPACE,
        Kind::Figure => SymbolKind::NUMBER,
        Kind::Person => SymbolKind::VARIABLE,
    }
}

fn group_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Organization => "Organizations",
        Kind::Place => "Places",
        Kind::Figure => "Figures",
        Kind::Person => "People",
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be spelled out.
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: tower_lsp_server::lsp_types::Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children,
    }
}

/// Hierarchical symbols: one group per kind, one symbol per entity (at its first mention, its
/// range covering all its mentions), its mentions as children.
pub fn document_symbols(snap: &Snapshot) -> Vec<DocumentSymbol> {
    let a = &snap.analysis;
    let mut res = Vec::new();
    for kind in Kind::ALL {
        if !snap.config.kind_enabled(kind) {
            continue;
        }
        let mut order: Vec<&str> = Vec::new();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in a.entities.iter().enumerate().filter(|(_, e)| e.kind == kind) {
            by_name
                .entry(e.canonical.as_str())
                .or_insert_with(|| {
                    order.push(e.canonical.as_str());
                    Vec::new()
                })
                .push(i);
        }
        if order.is_empty() {
            continue;
        }
        let sk = symbol_kind(kind);
        let mut children = Vec::with_capacity(order.len());
        for name in order {
            let idxs = &by_name[name];
            let first = &a.entities[idxs[0]];
            let last = &a.entities[idxs[idxs.len() - 1]];
            let mentions: Vec<DocumentSymbol> = idxs
                .iter()
                .map(|&i| {
                    let e = &a.entities[i];
                    let range = convert::range(&a.rope, e.span.clone(), snap.encoding);
                    symbol(e.text(&a.text).to_string(), None, sk, range, None)
                })
                .collect();
            let mut detail = first.subkind.map(|s| s.as_str().to_string());
            if let Some(v) = &first.value {
                detail = Some(v.display());
            }
            let range = convert::range(&a.rope, first.span.start..last.span.end, snap.encoding);
            let mut sym = symbol(name.to_string(), detail, sk, range, Some(mentions));
            sym.selection_range = convert::range(&a.rope, first.span.clone(), snap.encoding);
            children.push(sym);
        }
        let first = children[0].range.start;
        let end = children.iter().map(|c| c.range.end).max().unwrap_or(first);
        let range = tower_lsp_server::lsp_types::Range::new(first, end);
        let detail = format!("{} distinct", children.len());
        let mut group = symbol(
            group_name(kind).to_string(),
            Some(detail),
            sk,
            range,
            Some(children),
        );
        group.selection_range = tower_lsp_server::lsp_types::Range::new(first, first);
        res.push(group);
    }
    res
}

/// Entities matching `query` across the corpus, each at its first mention in the article that
/// mentions it most.
pub fn workspace_symbols(state: &State, query: &str) -> Vec<WorkspaceSymbol> {
    let config = state.config();
    let (open, enc) = (open_paths(state), state.encoding());
    /// Name, kind, container, and where its best mention is.
    type Hit = (String, Kind, Option<String>, std::path::PathBuf, Place);
    let hits: Vec<Hit> = {
        let corpus = state.corpus();
        corpus
            .search_entities(query, WORKSPACE_SYMBOL_LIMIT)
            .into_iter()
            .filter_map(|eid| {
                let info = corpus.entity(eid)?;
                if !config.kind_enabled(info.kind) {
                    return None;
                }
                let best = corpus.related_for_entity(eid, None, 1).into_iter().next()?;
                let article = corpus.article(best.article)?;
                let m = article.mentions.iter().find(|m| m.entity == eid)?;
                let container = info
                    .subkind
                    .map_or(info.kind.as_str(), |s| s.as_str())
                    .to_string();
                Some((
                    info.canonical.clone(),
                    info.kind,
                    Some(container),
                    article.path.clone(),
                    place(article, m, &open, enc),
                ))
            })
            .collect()
    };
    hits.into_iter()
        .filter_map(|(name, kind, container, path, place)| {
            let location: Location = file_locations(state, &path, &[place]).into_iter().next()?;
            Some(WorkspaceSymbol {
                name,
                kind: symbol_kind(kind),
                tags: None,
                container_name: container,
                location: tower_lsp_server::lsp_types::OneOf::Left(location),
                data: None,
            })
        })
        .collect()
}
