//! CoNLL-2003 style BIO: one `token tag` line per token, a blank line between sentences,
//! `-DOCSTART- O` before each article. Tags `B-`/`I-` + `ORG`, `LOC`, `PER` and `FIG` (figures,
//! which CoNLL-2003 lacks), `O` outside entities.
//!
//! Tokens are runs of letters and digits (with inner `.`, `,`, `'`, `’`, `-`, `&` and `/`
//! between two of them, as in `U.S`, `1,300` or `Hyeong-joon`) or single punctuation marks,
//! and are always cut at entity boundaries, so every entity is a whole number of tokens and
//! the spans survive: [`from_conll`] reads them back against the text.

use std::ops::Range;

use anyhow::{Context, bail};

use crate::export::{CodePoints, ExportDoc, byte_range};
use crate::recognize::Kind;

pub fn tag(kind: Kind) -> &'static str {
    match kind {
        Kind::Organization => "ORG",
        Kind::Place => "LOC",
        Kind::Person => "PER",
        Kind::Figure => "FIG",
    }
}

fn parse_tag(s: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| tag(*k) == s)
}

/// Byte ranges of the tokens of `text`, cut at every offset in `cuts` (sorted).
pub fn tokens(text: &str, cuts: &[usize]) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let joiner = |c: char| matches!(c, '.' | ',' | '\'' | '’' | '-' | '&' | '/');
    let mut res = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if c.is_alphanumeric() {
            while j < chars.len() {
                let (pos, d) = chars[j];
                if cuts.binary_search(&pos).is_ok() {
                    break;
                }
                let inner = joiner(d)
                    && chars
                        .get(j + 1)
                        .is_some_and(|(p, n)| n.is_alphanumeric() && cuts.binary_search(p).is_err());
                if d.is_alphanumeric() || inner {
                    j += 1;
                } else {
                    break;
                }
            }
        }
        let end = chars.get(j).map_or(text.len(), |(p, _)| *p);
        res.push(start..end);
        i = j;
    }
    res
}

/// The CoNLL lines of one article.
pub fn to_conll(doc: &ExportDoc) -> String {
    let text = doc.text.as_str();
    let spans: Vec<(Range<usize>, Kind)> = doc
        .entities
        .iter()
        .filter_map(|e| byte_range(text, e.start, e.end).map(|r| (r, e.kind)))
        .collect();
    let mut cuts: Vec<usize> = spans.iter().flat_map(|(r, _)| [r.start, r.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let paragraph_starts: Vec<usize> = crate::recognize::paragraphs(text).map(|r| r.start).collect();
    let mut out = String::from("-DOCSTART- O\n\n");
    let mut in_sentence = false;
    let mut current = 0usize; // Index of the first entity that may contain the next token.
    for tok in tokens(text, &cuts) {
        if in_sentence && paragraph_starts.binary_search(&tok.start).is_ok() {
            out.push('\n');
        }
        while current < spans.len() && spans[current].0.end <= tok.start {
            current += 1;
        }
        let label = match spans.get(current) {
            Some((r, kind)) if r.start <= tok.start && tok.end <= r.end => {
                let prefix = if r.start == tok.start { "B" } else { "I" };
                format!("{prefix}-{}", tag(*kind))
            }
            _ => "O".to_string(),
        };
        let word = &text[tok.clone()];
        out.push_str(word);
        out.push(' ');
        out.push_str(&label);
        out.push('\n');
        in_sentence = true;
        if label == "O" && matches!(word, "." | "!" | "?") {
            out.push('\n');
            in_sentence = false;
        }
    }
    if in_sentence {
        out.push('\n');
    }
    out
}

/// Entity spans (code points) and kinds read back from one article's CoNLL lines, aligning
/// the tokens to `text` in order.
pub fn from_conll(text: &str, conll: &str) -> anyhow::Result<Vec<(usize, usize, Kind)>> {
    let mut pos = 0usize;
    let mut res: Vec<(Range<usize>, Kind)> = Vec::new();
    let mut open: Option<(Range<usize>, Kind)> = None;
    for (n, line) in conll.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            continue;
        }
        let (word, label) = line
            .rsplit_once(' ')
            .with_context(|| format!("line {}: expected `token tag`", n + 1))?;
        let Some(found) = text[pos..].find(word) else {
            bail!("line {}: token {word:?} not found in the text", n + 1);
        };
        let tok = pos + found..pos + found + word.len();
        pos = tok.end;
        let (prefix, kind) = match label.split_once('-') {
            Some((p, t)) => (
                p,
                Some(parse_tag(t).with_context(|| format!("line {}: unknown tag {label:?}", n + 1))?),
            ),
            None if label == "O" => ("O", None),
            None => bail!("line {}: unknown tag {label:?}", n + 1),
        };
        match (prefix, kind, open.as_mut()) {
            ("I", Some(k), Some((r, ok))) if *ok == k => r.end = tok.end,
            (_, Some(k), _) => {
                res.extend(open.take());
                open = Some((tok, k));
            }
            _ => res.extend(open.take()),
        }
    }
    res.extend(open);
    let mut cp = CodePoints::new(text);
    Ok(res
        .into_iter()
        .map(|(r, k)| (cp.at(r.start), cp.at(r.end), k))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn tokens_keep_numbers_and_abbreviations() {
        let text = "The U.S. paid $1,300 to Park Hyeong-joon (RKM).";
        let got: Vec<&str> = tokens(text, &[]).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            vec![
                "The",
                "U.S",
                ".",
                "paid",
                "$",
                "1,300",
                "to",
                "Park",
                "Hyeong-joon",
                "(",
                "RKM",
                ")",
                "."
            ]
        );
        let cut = text.find("joon").expect("present");
        let got: Vec<&str> = tokens(text, &[cut]).into_iter().map(|r| &text[r]).collect();
        assert!(got.windows(3).any(|w| w == ["Hyeong", "-", "joon"]), "{got:?}");
    }

    #[test]
    fn bio_round_trip() {
        let text = "Busan, South Korea — Renault Korea Motors (RKM) said on Nov. 9, 2023 that \
                    it sold 300,000 units.\n\nStephane Deblaise, CEO, visited Belvidere, Ill.\n";
        let entities = crate::recognize::recognizer().annotate(text);
        let doc = ExportDoc::new(Path::new("a.txt"), "a.txt".into(), text, &entities);
        let conll = to_conll(&doc);
        assert!(conll.starts_with("-DOCSTART- O\n\n"));
        assert!(
            conll.lines().all(|l| l.is_empty() || l.split(' ').count() == 2),
            "{conll}"
        );
        let back = from_conll(text, &conll).expect("reads");
        let want: Vec<(usize, usize, Kind)> = doc.entities.iter().map(|e| (e.start, e.end, e.kind)).collect();
        assert_eq!(back, want, "{conll}");
    }

    #[test]
    fn adjacent_entities_of_one_kind_stay_apart() {
        let text = "Seoul Busan";
        let doc = ExportDoc {
            id: "x".into(),
            path: "x".into(),
            title: String::new(),
            text: text.into(),
            entities: vec![
                crate::export::ExportEntity {
                    start: 0,
                    end: 5,
                    text: "Seoul".into(),
                    kind: Kind::Place,
                    subkind: None,
                    canonical: "Seoul".into(),
                    value: None,
                },
                crate::export::ExportEntity {
                    start: 6,
                    end: 11,
                    text: "Busan".into(),
                    kind: Kind::Place,
                    subkind: None,
                    canonical: "Busan".into(),
                    value: None,
                },
            ],
        };
        let conll = to_conll(&doc);
        assert!(conll.contains("Seoul B-LOC\nBusan B-LOC\n"), "{conll}");
        assert_eq!(
            from_conll(text, &conll).expect("ok"),
            vec![(0, 5, Kind::Place), (6, 11, Kind::Place)]
        );
    }
}
