//! Hover: Markdown about the entity under the cursor (kind and subkind, canonical name, aliases,
//! normalised value of a figure) and its corpus context (how many articles mention it, the most
//! related few with title, date and the sentence, linked to file and line). Nothing (`None`)
//! when the cursor is not on an entity.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use tower_lsp_server::lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use crate::recognize::Kind;
use crate::server::convert;
use crate::server::navigation::{entity_at, mentions_in_document, ranked_articles, uri_for};
use crate::server::state::{Snapshot, State};

/// Related articles listed in a hover.
pub const HOVER_ARTICLES: usize = 3;
const MAX_ALIASES: usize = 8;
const MAX_SENTENCE: usize = 240;

pub fn hover(state: &State, snap: &Snapshot, pos: Position) -> Option<Hover> {
    let e = entity_at(snap, pos)?;
    let text = &snap.analysis.text;
    let surface = e.text(text);
    let mut md = String::new();
    let kind = match e.subkind {
        Some(sub) => format!("{} ({})", e.kind, sub.as_str()),
        None => e.kind.to_string(),
    };
    let _ = writeln!(md, "**{}** · {kind}\n", escape(&e.canonical));
    if e.alias {
        let _ = writeln!(md, "`{}` is an alias of **{}**\n", surface, escape(&e.canonical));
    }
    if let Some(value) = &e.value {
        let _ = writeln!(md, "Value: **{}**\n", escape(&value.display()));
    }
    if e.kind == Kind::Figure && state.config().fact_checks.is_some() {
        for (label, message) in crate::server::facts::hover_note(state, snap, e.span.start) {
            let _ = writeln!(md, "**{label}:** {}\n", escape(&message));
        }
    }

    // Aliases: surfaces of this entity in the document and in the corpus.
    let mut aliases: BTreeSet<String> = mentions_in_document(snap, e)
        .map(|m| m.text(text).to_string())
        .filter(|s| *s != e.canonical)
        .collect();

    /// A related article: path, title, date and span of the first mention.
    type Row = (
        std::path::PathBuf,
        String,
        Option<chrono::NaiveDate>,
        std::ops::Range<usize>,
    );
    struct Context {
        n_articles: usize,
        top: Vec<Row>,
    }
    let context = {
        let corpus = state.corpus();
        let this = snap.path.as_ref().and_then(|p| corpus.article_id(p));
        corpus.entity_id(e.kind, &e.canonical).map(|eid| {
            if let Some(info) = corpus.entity(eid) {
                aliases.extend(info.aliases.iter().filter(|a| **a != e.canonical).cloned());
            }
            let n_articles = corpus.postings(eid).len();
            let top = ranked_articles(state, &corpus, eid, this, HOVER_ARTICLES + 1)
                .into_iter()
                .filter(|a| Some(*a) != this)
                .filter_map(|id| {
                    let a = corpus.article(id)?;
                    let m = a.mentions.iter().find(|m| m.entity == eid)?;
                    Some((
                        a.path.clone(),
                        a.title.to_string(),
                        a.date,
                        m.span.start as usize..m.span.end as usize,
                    ))
                })
                .take(HOVER_ARTICLES)
                .collect();
            Context { n_articles, top }
        })
    };
    if e.kind != Kind::Figure && !aliases.is_empty() {
        let list: Vec<String> = aliases
            .iter()
            .take(MAX_ALIASES)
            .map(|a| format!("`{a}`"))
            .collect();
        let _ = writeln!(md, "Also: {}\n", list.join(", "));
    }
    match context {
        Some(ctx) if ctx.n_articles > 0 => {
            let _ = writeln!(
                md,
                "---\n\nMentioned in **{}** article{}",
                ctx.n_articles,
                plural(ctx.n_articles)
            );
            if !ctx.top.is_empty() {
                md.push_str(":\n\n");
            }
            for (path, title, date, span) in ctx.top {
                let link = uri_for(state, &path).map_or_else(String::new, |u| u.as_str().to_string());
                let date = date.map_or_else(String::new, |d| format!(" ({d})"));
                let text = state.text_of(&path);
                let line = text.as_deref().map_or(0, |t| {
                    memchr::memchr_iter(b'\n', &t.as_bytes()[..span.start.min(t.len())]).count()
                });
                let quote = text
                    .and_then(|t| sentence_of(&t, span).map(|s| shorten(s.trim())))
                    .map_or_else(String::new, |s| format!(" — “{}”", escape(&s)));
                let _ = writeln!(
                    md,
                    "- [{}]({link}#L{}){date}{quote}",
                    escape(title.trim()),
                    line + 1
                );
            }
        }
        _ => {
            let _ = writeln!(md, "---\n\nNot mentioned in other indexed articles");
        }
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(convert::range(&snap.analysis.rope, e.span.clone(), snap.encoding)),
    })
}

/// The sentence around `span` in `text` (the index keeps spans only); `None` when the span no
/// longer fits the text (the file changed since it was indexed).
fn sentence_of(text: &str, span: std::ops::Range<usize>) -> Option<&str> {
    if span.start > span.end || !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return None;
    }
    text.get(crate::recognize::sentence_around(text, span))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn shorten(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.len() <= MAX_SENTENCE {
        return s;
    }
    let mut cut = MAX_SENTENCE;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &s[..cut])
}

/// Escapes Markdown punctuation that would change the rendering of plain text.
pub fn escape(s: &str) -> String {
    let mut res = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            res.push('\\');
        }
        res.push(c);
    }
    res
}
