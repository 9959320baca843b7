//! The fact checks over the whole index: conflicts between the stored claims of different
//! articles (no text is read), and a way to name a claim or finding of an article.
//!
//! Invariant: pure over the index; runs in time linear in the number of claims (plus the
//! pairs of each group of comparable claims, which are few).

use crate::facts::{self, Claim};

use super::{ArticleId, CorpusIndex};

/// One claim of one indexed article: the article and the claim's index in its facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimAt {
    pub article: ArticleId,
    pub claim: u32,
}

impl CorpusIndex {
    /// The claim `at` names, if the article still holds it.
    pub fn claim(&self, at: ClaimAt) -> Option<&Claim> {
        self.article(at.article)?.facts.claims.get(at.claim as usize)
    }

    /// Every pair of contradicting claims of different articles, each once (see
    /// [`crate::facts::conflicts`]), sorted.
    pub fn conflicts(&self) -> Vec<(ClaimAt, ClaimAt)> {
        let mut all = Vec::new();
        let mut at = Vec::new();
        for (id, a) in self.articles() {
            for (k, c) in a.facts.claims.iter().enumerate() {
                all.push((id, a.date, c));
                at.push(ClaimAt {
                    article: id,
                    claim: k as u32,
                });
            }
        }
        let mut out: Vec<(ClaimAt, ClaimAt)> = facts::conflicts(&all)
            .into_iter()
            .map(|(i, j)| (at[i], at[j]))
            .collect();
        out.sort_unstable();
        out
    }

    /// The number of claims of all articles.
    pub fn n_claims(&self) -> usize {
        self.articles().map(|(_, a)| a.facts.claims.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::recognize::recognizer;

    #[test]
    fn conflicts_across_articles_and_not_within_one() {
        let mut index = CorpusIndex::new();
        let a = "A\n\nLONDON, March 2, 1987 - Acme Corp employs 2,000 employees.\n";
        let b = "B\n\nLONDON, March 3, 1987 - Acme Corp employs 1,500 employees.\n";
        let c = "C\n\nLONDON, March 3, 1987 - Acme Corp employs 2,000 employees.\n";
        for (p, t) in [("/x/a.txt", a), ("/x/b.txt", b), ("/x/c.txt", c)] {
            index.upsert(Path::new(p), t, &recognizer().annotate(t));
        }
        assert_eq!(index.n_claims(), 3);
        let got: Vec<(String, String)> = index
            .conflicts()
            .into_iter()
            .map(|(x, y)| {
                let name = |at: ClaimAt| {
                    let art = index.article(at.article).expect("article");
                    format!("{}:{}", art.title, index.claim(at).expect("claim").shown)
                };
                (name(x), name(y))
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("A:2,000 employees".to_string(), "B:1,500 employees".to_string()),
                ("B:1,500 employees".to_string(), "C:2,000 employees".to_string()),
            ]
        );
    }
}
