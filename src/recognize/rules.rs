//! User annotation rules and how they correct recognition. Pure: no I/O (the file format and
//! its storage live in `crate::annotations`).
//!
//! Two sorts of rule:
//! - **vocabulary rules**, applied to every article: surface `X` is kind `K` ([`VocabRule::Kind`]),
//!   `X` is not an entity ([`VocabRule::NotEntity`]), `X` is an alias of `Y` ([`VocabRule::Alias`]).
//!   Surfaces match case-sensitively and only as whole words.
//! - **mention decisions** ([`MentionRule`]), applied to one occurrence in one article, anchored
//!   by the article's workspace-relative path, the surface text and a little context on both
//!   sides, so that edits elsewhere in the article do not orphan them.
//!
//! [`Rules::apply`] wraps document resolution: it corrects the paragraph mentions before
//! [`crate::recognize::resolve::resolve_document`] runs (so that propagation, acronyms and
//! canonical names see the user's entities and not the rejected ones) and enforces the rules
//! again on the resolved entities (so that nothing resolution adds can override them).
//!
//! Invariants: the output of [`Rules::apply`] is sorted by start, spans do not overlap and lie
//! on character boundaries; a user rule always wins over the recogniser; with no rules the
//! output equals plain recognition. Precedence between rules: a mention decision beats a
//! vocabulary rule; among vocabulary rules the leftmost-longest surface wins.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::recognize::ParagraphMentions;
use crate::recognize::types::{Entity, Kind, Mention, Subkind};

/// Confidence of a mention forced by a user rule: above anything the recogniser produces.
pub const USER_CONFIDENCE: u8 = u8::MAX;

/// Characters of context kept on each side of an anchored mention.
pub const CONTEXT_CHARS: usize = 40;

/// Context characters an occurrence must share with an anchor when the surface occurs more
/// than once (a lone space or full stop is no evidence).
pub const MIN_ANCHOR_SCORE: usize = 3;

/// How the recogniser classifies a name on its own: its kind and subkind, if it is a name.
pub type Classify<'a> = dyn Fn(&str) -> Option<(Kind, Option<Subkind>)> + 'a;

/// What a rule says a surface (or one mention) is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decision {
    /// An entity of this kind (and subkind, when given).
    Entity { kind: Kind, subkind: Option<Subkind> },
    /// Not an entity at all.
    NotEntity,
}

/// A rule that applies to every occurrence of `text` in every article.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VocabRule {
    Kind {
        text: String,
        kind: Kind,
        subkind: Option<Subkind>,
    },
    NotEntity {
        text: String,
    },
    Alias {
        text: String,
        of: String,
    },
}

impl VocabRule {
    /// The surface the rule is about.
    pub fn text(&self) -> &str {
        match self {
            VocabRule::Kind { text, .. } | VocabRule::NotEntity { text } | VocabRule::Alias { text, .. } => {
                text
            }
        }
    }
}

/// A decision about one mention in one article.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MentionRule {
    /// Workspace-relative path with `/` separators.
    pub path: String,
    /// The surface text of the mention.
    pub text: String,
    /// Up to [`CONTEXT_CHARS`] characters right before the mention.
    pub before: String,
    /// Up to [`CONTEXT_CHARS`] characters right after the mention.
    pub after: String,
    /// Which whole-word occurrence of `text` it was (0 = the first), kept only when another
    /// occurrence has the same context (an article repeating a sentence): breaks that tie.
    pub occurrence: Option<usize>,
    pub decision: Decision,
}

impl MentionRule {
    /// Captures the anchor of the mention at byte `span` of `text` (`None` when `span` is not a
    /// non-empty range on character boundaries of `text`).
    pub fn capture(path: &str, text: &str, span: Range<usize>, decision: Decision) -> Option<MentionRule> {
        if span.start >= span.end {
            return None;
        }
        let surface = text.get(span.clone())?;
        let before_all = &text[..span.start];
        let before_start = before_all
            .char_indices()
            .rev()
            .nth(CONTEXT_CHARS - 1)
            .map_or(0, |(i, _)| i);
        let after_all = &text[span.end..];
        let after_end = after_all
            .char_indices()
            .nth(CONTEXT_CHARS)
            .map_or(after_all.len(), |(i, _)| i);
        let mut rule = MentionRule {
            path: normalize_path(path),
            text: surface.to_string(),
            before: before_all[before_start..].to_string(),
            after: after_all[..after_end].to_string(),
            occurrence: None,
            decision,
        };
        // When the context alone would find another occurrence (as well or better), the
        // occurrence's number decides.
        let scored: Vec<(usize, Range<usize>)> = rule.occurrences(text).collect();
        if let Some(own) = scored.iter().position(|(_, s)| *s == span)
            && scored
                .iter()
                .enumerate()
                .any(|(i, (score, _))| i != own && *score >= scored[own].0)
        {
            rule.occurrence = Some(own);
        }
        Some(rule)
    }

    /// The whole-word occurrences of the surface in `text`, in order, each with the number of
    /// context characters it shares with the anchor.
    fn occurrences<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, Range<usize>)> + 't {
        memchr::memmem::find_iter(text.as_bytes(), self.text.as_bytes())
            .filter(|_| !self.text.is_empty())
            .map(|start| start..start + self.text.len())
            .filter(|span| {
                text.is_char_boundary(span.start)
                    && text.is_char_boundary(span.end)
                    && is_word_bounded(text, span)
            })
            .map(|span| {
                let score = common_suffix_chars(&text[..span.start], &self.before)
                    + common_prefix_chars(&text[span.end..], &self.after);
                (score, span)
            })
    }

    /// Finds the mention in `text`: among the whole-word occurrences of the surface, the one
    /// whose surroundings share the most characters with the stored context (the numbered
    /// `occurrence` among equals, else the first). A sole occurrence always matches; among
    /// several, the best must share at least [`MIN_ANCHOR_SCORE`] characters of context, else
    /// none matches (orphaned rather than guessed).
    pub fn locate(&self, text: &str) -> Option<Range<usize>> {
        let mut count = 0;
        let mut best: Option<(usize, Range<usize>)> = None;
        let mut numbered: Option<(usize, Range<usize>)> = None;
        for (i, (score, span)) in self.occurrences(text).enumerate() {
            count += 1;
            if Some(i) == self.occurrence {
                numbered = Some((score, span.clone()));
            }
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, span));
            }
        }
        let (top, first) = best?;
        if top < MIN_ANCHOR_SCORE && count > 1 {
            return None;
        }
        match numbered {
            Some((score, span)) if score == top => Some(span),
            _ => Some(first),
        }
    }
}

/// The user's rules, ready to apply. Cheap to clone (the matcher is shared).
#[derive(Clone, Debug, Default)]
pub struct Rules {
    // Invariant: `vocab` holds at most one rule per surface, and `matcher` (when present) has
    // one pattern per entry of `vocab`, in the same order.
    vocab: Vec<VocabRule>,
    by_text: HashMap<String, usize>,
    mentions: Vec<MentionRule>,
    matcher: Option<std::sync::Arc<AhoCorasick>>,
}

impl Rules {
    /// Builds the rule set. When several vocabulary rules name the same surface, the last wins
    /// (later lines of the file override earlier ones). Empty surfaces are ignored.
    pub fn new(vocab: impl IntoIterator<Item = VocabRule>, mentions: Vec<MentionRule>) -> Rules {
        let mut by_text: BTreeMap<String, VocabRule> = BTreeMap::new();
        for rule in vocab {
            if rule.text().trim().is_empty() {
                continue;
            }
            by_text.insert(rule.text().to_string(), rule);
        }
        let vocab: Vec<VocabRule> = by_text.into_values().collect();
        let index = vocab
            .iter()
            .enumerate()
            .map(|(i, r)| (r.text().to_string(), i))
            .collect();
        let matcher = if vocab.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(vocab.iter().map(|r| r.text()))
                .ok()
                .map(std::sync::Arc::new)
        };
        let mentions = mentions
            .into_iter()
            .filter(|m| !m.text.is_empty())
            .map(|mut m| {
                m.path = normalize_path(&m.path);
                m
            })
            .collect();
        Rules {
            vocab,
            by_text: index,
            mentions,
            matcher,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.vocab.is_empty() && self.mentions.is_empty()
    }

    /// A fingerprint of the rules, stable across runs and platforms (FNV-1a over their
    /// content), for caches of recognition results: equal rules give equal fingerprints.
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |s: &str| {
            for b in s.bytes().chain([0xff]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        let decision = |d: &Decision| match d {
            Decision::NotEntity => "none".to_string(),
            Decision::Entity { kind, subkind } => format!("{}/{}", kind, subkind.map_or("", |s| s.as_str())),
        };
        for rule in &self.vocab {
            match rule {
                VocabRule::Kind { text, kind, subkind } => {
                    eat("K");
                    eat(text);
                    eat(&decision(&Decision::Entity {
                        kind: *kind,
                        subkind: *subkind,
                    }));
                }
                VocabRule::NotEntity { text } => {
                    eat("N");
                    eat(text);
                }
                VocabRule::Alias { text, of } => {
                    eat("A");
                    eat(text);
                    eat(of);
                }
            }
        }
        let mut mentions: Vec<&MentionRule> = self.mentions.iter().collect();
        mentions.sort();
        for m in mentions {
            eat("M");
            for part in [&m.path, &m.text, &m.before, &m.after] {
                eat(part);
            }
            eat(&decision(&m.decision));
        }
        h
    }

    pub fn vocab(&self) -> &[VocabRule] {
        &self.vocab
    }

    pub fn mentions(&self) -> &[MentionRule] {
        &self.mentions
    }

    /// The vocabulary rule about exactly this surface, if any.
    pub fn rule_for(&self, surface: &str) -> Option<&VocabRule> {
        self.by_text.get(surface).map(|&i| &self.vocab[i])
    }

    /// The alias map: alias surface -> canonical name.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vocab.iter().filter_map(|r| match r {
            VocabRule::Alias { text, of } => Some((text.as_str(), of.as_str())),
            _ => None,
        })
    }

    /// Whole-word, leftmost-longest occurrences of vocabulary surfaces in `text`.
    pub fn vocab_hits(&self, text: &str) -> Vec<(Range<usize>, &VocabRule)> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        matcher
            .find_iter(text)
            .map(|hit| (hit.start()..hit.end(), &self.vocab[hit.pattern().as_usize()]))
            .filter(|(span, _)| is_word_bounded(text, span) && !spans_blank_line(text, span))
            .collect()
    }

    /// Mention decisions of the article at `path` located in `text`, sorted by start. A
    /// decision whose mention cannot be found (orphaned) is left out.
    pub fn anchored(&self, text: &str, path: Option<&str>) -> Vec<(Range<usize>, &Decision)> {
        let Some(path) = path.map(normalize_path) else {
            return Vec::new();
        };
        let mut res: Vec<(Range<usize>, &Decision)> = self
            .mentions
            .iter()
            .filter(|m| m.path == path)
            .filter_map(|m| m.locate(text).map(|span| (span, &m.decision)))
            .collect();
        res.sort_by_key(|(span, _)| (span.start, span.end));
        res
    }

    /// Recognition with the rules applied. `paragraphs` are the context-free paragraph
    /// mentions of `text`; `classify` tells the kind the recogniser gives a name on its own
    /// (used for aliases whose canonical name does not occur in the article); `resolve` is
    /// document resolution.
    pub fn apply(
        &self,
        text: &str,
        path: Option<&str>,
        mut paragraphs: Vec<ParagraphMentions>,
        classify: &Classify<'_>,
        resolve: impl FnOnce(&[ParagraphMentions]) -> Vec<Entity>,
    ) -> Vec<Entity> {
        if self.is_empty() {
            return resolve(&paragraphs);
        }
        let forced = self.forced(text, path, &paragraphs, classify);
        for para in &mut paragraphs {
            self.correct_paragraph(text, para, &forced);
        }
        let entities = resolve(&paragraphs);
        self.correct_entities(text, entities, &forced)
    }

    /// What the rules impose on `text`: spans that must be entities (with their kind and
    /// canonical name) and spans that must not be.
    fn forced(
        &self,
        text: &str,
        path: Option<&str>,
        paragraphs: &[ParagraphMentions],
        classify: &Classify<'_>,
    ) -> Forced {
        let anchored = self.anchored(text, path);
        let mut forced = Forced::default();
        for (span, decision) in &anchored {
            match decision {
                Decision::Entity { kind, subkind } => forced.entities.push(ForcedEntity {
                    span: span.clone(),
                    kind: *kind,
                    subkind: *subkind,
                    canonical: None,
                    anchored: true,
                }),
                Decision::NotEntity => forced.rejected.push(span.clone()),
            }
        }
        let mut alias_kinds: HashMap<&str, (Kind, Option<Subkind>)> = HashMap::new();
        for (span, rule) in self.vocab_hits(text) {
            if anchored.iter().any(|(a, _)| overlaps(a, &span)) {
                continue;
            }
            match rule {
                VocabRule::Kind { kind, subkind, .. } => forced.entities.push(ForcedEntity {
                    span,
                    kind: *kind,
                    subkind: *subkind,
                    canonical: None,
                    anchored: false,
                }),
                VocabRule::Alias { of, .. } => {
                    let (kind, subkind) = *alias_kinds
                        .entry(of.as_str())
                        .or_insert_with(|| self.kind_of_name(text, of, paragraphs, classify));
                    forced.entities.push(ForcedEntity {
                        span,
                        kind,
                        subkind,
                        canonical: Some(of.clone()),
                        anchored: false,
                    });
                }
                VocabRule::NotEntity { .. } => {}
            }
        }
        forced.entities.sort_by_key(|f| (f.span.start, f.span.end));
        forced
    }

    /// The kind of a canonical name: a user rule, else how this article recognises it, else
    /// how the recogniser classifies it alone, else an organisation (aliases are mostly
    /// acronyms of organisations).
    fn kind_of_name(
        &self,
        text: &str,
        name: &str,
        paragraphs: &[ParagraphMentions],
        classify: &Classify<'_>,
    ) -> (Kind, Option<Subkind>) {
        if let Some(VocabRule::Kind { kind, subkind, .. }) = self.rule_for(name) {
            return (*kind, *subkind);
        }
        for para in paragraphs {
            for m in &para.mentions {
                let surface = text
                    .get(para.span.start + m.span.start..para.span.start + m.span.end)
                    .unwrap_or("");
                if m.kind != Kind::Figure && (surface == name || m.canonical.as_deref() == Some(name)) {
                    return (m.kind, m.subkind);
                }
            }
        }
        classify(name).unwrap_or((Kind::Organization, None))
    }

    fn is_rejected_surface(&self, surface: &str) -> bool {
        matches!(self.rule_for(surface), Some(VocabRule::NotEntity { .. }))
    }

    /// Before resolution: drops rejected mentions and puts the forced ones in place of
    /// whatever they overlap.
    fn correct_paragraph(&self, text: &str, para: &mut ParagraphMentions, forced: &Forced) {
        let base = para.span.start;
        para.mentions.retain(|m| {
            let abs = base + m.span.start..base + m.span.end;
            let surface = text.get(abs.clone()).unwrap_or("");
            !self.is_rejected_surface(surface) && !forced.rejected.iter().any(|r| contains(r, &abs))
        });
        // Mention decisions are left to the pass after resolution: resolution spreads a kind
        // to every mention of a surface, and a decision is about one mention only.
        let inside: Vec<&ForcedEntity> = forced
            .entities
            .iter()
            .filter(|f| !f.anchored && f.span.start >= para.span.start && f.span.end <= para.span.end)
            .collect();
        if inside.is_empty() {
            return;
        }
        para.mentions.retain(|m| {
            let abs = base + m.span.start..base + m.span.end;
            !inside.iter().any(|f| overlaps(&f.span, &abs))
        });
        for f in inside {
            para.mentions.push(Mention {
                span: f.span.start - base..f.span.end - base,
                kind: f.kind,
                subkind: f.subkind,
                canonical: f.canonical.clone(),
                value: None,
                confidence: USER_CONFIDENCE,
            });
        }
        para.mentions.sort_by_key(|m| (m.span.start, m.span.end));
    }

    /// After resolution: enforces the rules on the resolved entities, applies the alias map to
    /// canonical names and recomputes the `declaration` flags.
    fn correct_entities(&self, text: &str, mut entities: Vec<Entity>, forced: &Forced) -> Vec<Entity> {
        entities.retain(|e| {
            !self.is_rejected_surface(e.text(text)) && !forced.rejected.iter().any(|r| contains(r, &e.span))
        });
        for f in &forced.entities {
            let surface = text.get(f.span.clone()).unwrap_or("");
            if let Some(e) = entities.iter_mut().find(|e| e.span == f.span) {
                if e.kind != f.kind || f.canonical.is_some() {
                    e.canonical = f.canonical.clone().unwrap_or_else(|| surface.to_string());
                    e.alias = f.canonical.is_some();
                    e.value = e.value.take().filter(|_| f.kind == Kind::Figure);
                    e.subkind = None;
                }
                e.kind = f.kind;
                if f.subkind.is_some() {
                    e.subkind = f.subkind;
                }
                continue;
            }
            entities.retain(|e| !overlaps(&e.span, &f.span));
            entities.push(Entity {
                span: f.span.clone(),
                kind: f.kind,
                subkind: f.subkind,
                canonical: f.canonical.clone().unwrap_or_else(|| surface.to_string()),
                value: None,
                alias: f.canonical.is_some(),
                declaration: false,
            });
        }
        // Canonical names: the alias map, then kind rules about canonical names, so that every
        // mention of one entity agrees with the user.
        for e in entities.iter_mut().filter(|e| e.kind != Kind::Figure) {
            if forced.entities.iter().any(|f| f.anchored && f.span == e.span) {
                continue;
            }
            if let Some(VocabRule::Alias { of, .. }) = self.rule_for(&e.canonical) {
                e.canonical = of.clone();
                e.alias = true;
            }
            if let Some(VocabRule::Kind { kind, subkind, .. }) = self.rule_for(&e.canonical)
                && e.kind != *kind
            {
                e.kind = *kind;
                e.subkind = *subkind;
            }
        }
        entities.sort_by_key(|e| (e.span.start, e.span.end));
        let mut seen: BTreeSet<(Kind, String)> = BTreeSet::new();
        for e in &mut entities {
            e.declaration = seen.insert((e.kind, e.canonical.clone()));
        }
        entities
    }
}

#[derive(Debug, Default)]
struct Forced {
    /// Sorted by start; may overlap only where an anchored decision and a vocabulary hit meet
    /// (vocabulary hits overlapping an anchored decision are dropped).
    entities: Vec<ForcedEntity>,
    rejected: Vec<Range<usize>>,
}

#[derive(Debug)]
struct ForcedEntity {
    span: Range<usize>,
    kind: Kind,
    subkind: Option<Subkind>,
    canonical: Option<String>,
    anchored: bool,
}

/// Which articles a change of rules may affect: those containing one of `surfaces` (the
/// surfaces and canonical names of vocabulary rules that were added, removed or changed) and
/// those at `paths` (articles with changed mention decisions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RulesChange {
    pub surfaces: BTreeSet<String>,
    pub paths: BTreeSet<String>,
}

impl RulesChange {
    /// The difference between two rule sets.
    pub fn between(old: &Rules, new: &Rules) -> RulesChange {
        let mut change = RulesChange::default();
        let old_set: BTreeSet<&VocabRule> = old.vocab.iter().collect();
        let new_set: BTreeSet<&VocabRule> = new.vocab.iter().collect();
        for rule in old_set.symmetric_difference(&new_set) {
            change.surfaces.insert(rule.text().to_string());
            if let VocabRule::Alias { of, .. } = rule {
                change.surfaces.insert(of.clone());
            }
        }
        // A kind rule about a canonical name also changes the articles naming it by an alias.
        for rules in [old, new] {
            for (alias, of) in rules.aliases() {
                if change.surfaces.contains(of) {
                    change.surfaces.insert(alias.to_string());
                }
            }
        }
        let old_m: BTreeSet<&MentionRule> = old.mentions.iter().collect();
        let new_m: BTreeSet<&MentionRule> = new.mentions.iter().collect();
        for m in old_m.symmetric_difference(&new_m) {
            change.paths.insert(m.path.clone());
        }
        change
    }

    pub fn is_empty(&self) -> bool {
        self.surfaces.is_empty() && self.paths.is_empty()
    }

    /// A matcher answering whether an article is affected; build once per change and run it
    /// over many articles.
    pub fn matcher(&self) -> ChangeMatcher<'_> {
        let automaton = if self.surfaces.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(self.surfaces.iter())
                .ok()
        };
        ChangeMatcher {
            change: self,
            automaton,
        }
    }
}

/// See [`RulesChange::matcher`].
pub struct ChangeMatcher<'a> {
    change: &'a RulesChange,
    automaton: Option<AhoCorasick>,
}

impl ChangeMatcher<'_> {
    /// Whether the article at workspace-relative `path` with content `text` may be affected.
    /// Errs on the side of yes (any occurrence, not only whole words).
    pub fn affects(&self, path: Option<&str>, text: &str) -> bool {
        if let Some(path) = path
            && !self.change.paths.is_empty()
            && self.change.paths.contains(&normalize_path(path))
        {
            return true;
        }
        self.automaton.as_ref().is_some_and(|a| a.is_match(text))
    }
}

/// Parses a subkind name as written by [`Subkind::as_str`].
pub fn parse_subkind(s: &str) -> Option<Subkind> {
    Subkind::parse(s)
}

/// Workspace-relative paths are compared with `/` separators and without a leading `./`.
pub fn normalize_path(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.trim_start_matches("./").to_string()
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn is_word_bounded(text: &str, span: &Range<usize>) -> bool {
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    let first = text[span.clone()].chars().next();
    let last = text[span.clone()].chars().next_back();
    // A boundary is only required next to word characters of the surface itself
    // ("U.S." may be followed by a letter-less boundary either way).
    let word = |c: char| c.is_alphanumeric();
    let glued_before = before.is_some_and(word) && first.is_some_and(word);
    let glued_after = after.is_some_and(word) && last.is_some_and(word);
    !glued_before && !glued_after
}

fn spans_blank_line(text: &str, span: &Range<usize>) -> bool {
    let inner = &text[span.clone()];
    inner.contains("\n\n") || inner.contains("\n\r\n")
}

fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::recognizer;

    fn kind(text: &str, kind: Kind) -> VocabRule {
        VocabRule::Kind {
            text: text.into(),
            kind,
            subkind: None,
        }
    }

    fn not_entity(text: &str) -> VocabRule {
        VocabRule::NotEntity { text: text.into() }
    }

    fn alias(text: &str, of: &str) -> VocabRule {
        VocabRule::Alias {
            text: text.into(),
            of: of.into(),
        }
    }

    fn found<'a>(text: &'a str, entities: &[Entity]) -> Vec<(&'a str, Kind, String)> {
        entities
            .iter()
            .map(|e| (&text[e.span.clone()], e.kind, e.canonical.clone()))
            .collect()
    }

    fn has(text: &str, entities: &[Entity], surface: &str, k: Kind) -> bool {
        entities.iter().any(|e| e.text(text) == surface && e.kind == k)
    }

    fn check_invariants(text: &str, entities: &[Entity]) {
        for w in entities.windows(2) {
            assert!(
                w[0].span.end <= w[1].span.start,
                "overlap: {:?}",
                found(text, entities)
            );
        }
        for e in entities {
            assert!(text.get(e.span.clone()).is_some());
        }
    }

    #[test]
    fn no_rules_equals_plain_recognition() {
        let text =
            "Renault Korea Motors (RKM) will build cars in Busan, South Korea.\n\nRKM said 300,000 units.";
        let rec = recognizer();
        assert_eq!(
            rec.annotate(text),
            rec.annotate_with(text, &Rules::default(), Some("a.txt"))
        );
    }

    #[test]
    fn kind_rule_adds_and_overrides_everywhere() {
        // Text the rules were not written for: a made-up cooperative and a lake.
        let text = "The Eco Cluster Center opened on Monday.\n\nOfficials at Eco Cluster Center said \
                    the Lake Varno site would follow. Eco Cluster Center plans more.";
        let rules = Rules::new(
            [
                kind("Eco Cluster Center", Kind::Organization),
                kind("Lake Varno", Kind::Place),
            ],
            vec![],
        );
        let entities = recognizer().annotate_with(text, &rules, None);
        check_invariants(text, &entities);
        let n = entities
            .iter()
            .filter(|e| e.text(text) == "Eco Cluster Center" && e.kind == Kind::Organization)
            .count();
        assert_eq!(n, 3, "{:?}", found(text, &entities));
        assert!(has(text, &entities, "Lake Varno", Kind::Place));
        let decl: Vec<bool> = entities
            .iter()
            .filter(|e| e.text(text) == "Eco Cluster Center")
            .map(|e| e.declaration)
            .collect();
        assert_eq!(decl, vec![true, false, false]);
    }

    #[test]
    fn kind_rule_changes_a_recognised_kind() {
        let text = "Toyota Motor Corp. said sales rose. Busan welcomed it.";
        let rec = recognizer();
        let plain = rec.annotate(text);
        let target = plain
            .iter()
            .find(|e| e.kind != Kind::Figure)
            .map(|e| e.text(text).to_string())
            .expect("the recogniser finds at least one name here");
        let rules = Rules::new([kind(&target, Kind::Person)], vec![]);
        let entities = rec.annotate_with(text, &rules, None);
        check_invariants(text, &entities);
        assert!(
            has(text, &entities, &target, Kind::Person),
            "{:?}",
            found(text, &entities)
        );
    }

    #[test]
    fn not_entity_removes_every_occurrence_and_propagation() {
        let text = "Aurora Borealis Inc. leads. Aurora said on Monday that Aurora would grow 5 percent.";
        let rec = recognizer();
        let rules = Rules::new([not_entity("Aurora")], vec![]);
        let entities = rec.annotate_with(text, &rules, None);
        check_invariants(text, &entities);
        assert!(
            !entities.iter().any(|e| e.text(text) == "Aurora"),
            "{:?}",
            found(text, &entities)
        );
        // Longer names containing the surface are not touched by the rule.
        let plain = rec.annotate(text);
        for e in plain.iter().filter(|e| e.text(text) != "Aurora") {
            assert!(
                entities.iter().any(|x| x.span == e.span),
                "lost {:?}",
                e.text(text)
            );
        }
    }

    #[test]
    fn alias_rule_links_to_canonical_even_when_absent() {
        let text = "Korea's RKM said on Friday that RKM would hire 2,000 workers.";
        let rules = Rules::new(
            [
                alias("RKM", "Renault Korea Motors"),
                kind("Renault Korea Motors", Kind::Organization),
            ],
            vec![],
        );
        let entities = recognizer().annotate_with(text, &rules, None);
        check_invariants(text, &entities);
        let rkm: Vec<&Entity> = entities.iter().filter(|e| e.text(text) == "RKM").collect();
        assert_eq!(rkm.len(), 2, "{:?}", found(text, &entities));
        for e in &rkm {
            assert_eq!(e.canonical, "Renault Korea Motors");
            assert_eq!(e.kind, Kind::Organization);
            assert!(e.alias);
        }
        assert!(rkm[0].declaration && !rkm[1].declaration);
    }

    #[test]
    fn alias_kind_follows_the_canonical_in_the_article() {
        let text = "Talks in Busan went well, said the mayor. Later, in Pusan, they signed.";
        let rules = Rules::new([alias("Pusan", "Busan")], vec![]);
        let rec = recognizer();
        let entities = rec.annotate_with(text, &rules, None);
        let busan_kind = entities.iter().find(|e| e.text(text) == "Busan").map(|e| e.kind);
        let pusan = entities
            .iter()
            .find(|e| e.text(text) == "Pusan")
            .expect("alias found");
        assert_eq!(pusan.canonical, "Busan");
        if let Some(k) = busan_kind {
            assert_eq!(pusan.kind, k);
        }
    }

    #[test]
    fn anchored_decision_applies_here_only() {
        let text = "Apple rose 3 percent. Apple pie sales in Apple Valley fell. Apple said more.";
        let second = text
            .match_indices("Apple")
            .nth(1)
            .map(|(i, _)| i)
            .expect("second Apple");
        let rule = MentionRule::capture("news/a.txt", text, second..second + 5, Decision::NotEntity)
            .expect("valid span");
        let base = Rules::new([kind("Apple", Kind::Organization)], vec![]);
        let rules = Rules::new([kind("Apple", Kind::Organization)], vec![rule]);
        let rec = recognizer();
        let with_base = rec.annotate_with(text, &base, Some("news/a.txt"));
        assert!(with_base.iter().any(|e| e.span.start == second));
        let entities = rec.annotate_with(text, &rules, Some("./news/a.txt"));
        check_invariants(text, &entities);
        assert!(
            !entities.iter().any(|e| e.span.start == second),
            "{:?}",
            found(text, &entities)
        );
        assert!(
            entities
                .iter()
                .any(|e| e.span.start == 0 && e.kind == Kind::Organization)
        );
        // Another article is not affected.
        let other = rec.annotate_with(text, &rules, Some("news/b.txt"));
        assert!(other.iter().any(|e| e.span.start == second));
    }

    /// An article that repeats a sentence (a headline written twice): each occurrence keeps
    /// its own decision, by its number; a surface with distinct contexts needs none.
    #[test]
    fn a_repeated_sentence_keeps_each_decision_apart() {
        let sentence = "In a statement released in Seoul, the carmaker said on Tuesday that Polestar \
                        would open its new Busan plant to visitors on Monday next week.";
        let text = &format!("{sentence}\n\n{sentence}\n\nPolestar said so.");
        let first = text.find("Polestar").expect("present");
        let second = text[first + 1..].find("Polestar").expect("twice") + first + 1;
        let at = |start: usize| {
            MentionRule::capture("a.txt", text, start..start + 8, Decision::NotEntity).expect("valid")
        };
        let (r1, r2) = (at(first), at(second));
        assert_eq!((&r1.before, &r1.after), (&r2.before, &r2.after));
        assert_eq!((r1.occurrence, r2.occurrence), (Some(0), Some(1)));
        assert_eq!(r1.locate(text), Some(first..first + 8));
        assert_eq!(r2.locate(text), Some(second..second + 8));
        // The third has its own context: no number.
        let third = text.rfind("Polestar").expect("present");
        assert_eq!(at(third).occurrence, None);
        assert_eq!(at(third).locate(text), Some(third..third + 8));
        // A number that no longer points at one of the best falls back to the first of them.
        let moved = MentionRule {
            occurrence: Some(7),
            ..r2.clone()
        };
        assert_eq!(moved.locate(text), Some(first..first + 8));
    }

    #[test]
    fn anchoring_survives_edits_elsewhere() {
        let text = "Polestar grew. The Polestar unit in Busan hired staff. Polestar said.";
        let at = text.find("Polestar unit").expect("present");
        let rule = MentionRule::capture(
            "a.md",
            text,
            at..at + 8,
            Decision::Entity {
                kind: Kind::Place,
                subkind: Some(Subkind::Facility),
            },
        )
        .expect("valid");
        // Edits before and after, a changed word near it, and multi-byte text.
        let edited = "Überschrift — Polestar’s growth was strong. Polestar grew a lot. \
                      The Polestar unit in Busan hired 200 staff. Polestar said no more.";
        let span = rule.locate(edited).expect("still found");
        assert_eq!(span.start, edited.find("Polestar unit").expect("present"));
        // Context changed on one side only is still enough.
        let partly = "Polestar grew. A Polestar unit in Busan hired staff. Polestar said.";
        assert_eq!(
            rule.locate(partly),
            partly.find("Polestar unit").map(|s| s..s + 8)
        );
        // No shared context and several candidates: orphaned, not guessed.
        assert_eq!(rule.locate("Polestar, Polestar."), None);
        // A sole occurrence matches.
        assert_eq!(rule.locate("xx Polestar yy"), Some(3..11));
        let rules = Rules::new([], vec![rule]);
        let entities = recognizer().annotate_with(edited, &rules, Some("a.md"));
        check_invariants(edited, &entities);
        let at = edited.find("Polestar unit").expect("present");
        let e = entities.iter().find(|e| e.span.start == at).expect("forced");
        assert_eq!((e.kind, e.subkind), (Kind::Place, Some(Subkind::Facility)));
    }

    #[test]
    fn anchored_kind_changes_one_mention_only() {
        let text = "Polestar said on Monday that Polestar would grow. Polestar hired 200 people.";
        let rec = recognizer();
        let rules = Rules::new([kind("Polestar", Kind::Organization)], vec![]);
        let base = rec.annotate_with(text, &rules, Some("a.txt"));
        assert_eq!(base.iter().filter(|e| e.text(text) == "Polestar").count(), 3);
        let second = text
            .match_indices("Polestar")
            .nth(1)
            .map(|(i, _)| i)
            .expect("second");
        let decision = Decision::Entity {
            kind: Kind::Person,
            subkind: None,
        };
        let rule = MentionRule::capture("a.txt", text, second..second + 8, decision).expect("ok");
        let rules = Rules::new([kind("Polestar", Kind::Organization)], vec![rule]);
        let entities = rec.annotate_with(text, &rules, Some("a.txt"));
        check_invariants(text, &entities);
        let kinds: Vec<Kind> = entities
            .iter()
            .filter(|e| e.text(text) == "Polestar")
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, vec![Kind::Organization, Kind::Person, Kind::Organization]);
    }

    #[test]
    fn capture_takes_bounded_char_context() {
        let text = format!("{}Busan{}", "é".repeat(60), "ü".repeat(60));
        let start = text.find("Busan").expect("present");
        let rule = MentionRule::capture("x", &text, start..start + 5, Decision::NotEntity).expect("ok");
        assert_eq!(rule.before.chars().count(), CONTEXT_CHARS);
        assert_eq!(rule.after.chars().count(), CONTEXT_CHARS);
        assert!(MentionRule::capture("x", &text, 1..3, Decision::NotEntity).is_none());
        assert!(MentionRule::capture("x", &text, 3..3, Decision::NotEntity).is_none());
    }

    #[test]
    fn vocab_hits_are_whole_words_and_longest() {
        let rules = Rules::new(
            [kind("Busan", Kind::Place), kind("Busan plant", Kind::Place)],
            vec![],
        );
        let text = "Busanite Busan plant and Busan.";
        let hits: Vec<&str> = rules
            .vocab_hits(text)
            .iter()
            .map(|(s, _)| &text[s.clone()])
            .collect();
        assert_eq!(hits, vec!["Busan plant", "Busan"]);
    }

    #[test]
    fn fingerprint_follows_content_not_order() {
        let a = Rules::new([kind("A", Kind::Place), not_entity("B")], vec![]);
        let b = Rules::new([not_entity("B"), kind("A", Kind::Place)], vec![]);
        let c = Rules::new([kind("A", Kind::Person), not_entity("B")], vec![]);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
        assert_ne!(Rules::default().fingerprint(), a.fingerprint());
    }

    #[test]
    fn last_rule_for_a_surface_wins() {
        let rules = Rules::new([kind("X Corp", Kind::Place), not_entity("X Corp")], vec![]);
        assert_eq!(rules.vocab().len(), 1);
        assert_eq!(rules.rule_for("X Corp"), Some(&not_entity("X Corp")));
    }

    #[test]
    fn change_set_finds_affected_articles() {
        let old = Rules::new([alias("RKM", "Renault Korea Motors")], vec![]);
        let new = Rules::new(
            [
                alias("RKM", "Renault Korea Motors"),
                kind("Renault Korea Motors", Kind::Place),
            ],
            vec![MentionRule::capture("b.txt", "Hi Busan", 3..8, Decision::NotEntity).expect("ok")],
        );
        let change = RulesChange::between(&old, &new);
        assert!(change.surfaces.contains("Renault Korea Motors"));
        assert!(
            change.surfaces.contains("RKM"),
            "aliases of a changed canonical are affected"
        );
        let m = change.matcher();
        assert!(m.affects(Some("a.txt"), "RKM said"));
        assert!(m.affects(Some("b.txt"), "nothing here"));
        assert!(!m.affects(Some("c.txt"), "nothing here"));
        assert!(RulesChange::between(&new, &new).is_empty());
    }

    #[test]
    fn figures_can_be_rejected_and_rules_never_panic_on_unicode() {
        let text = "「RKM」 said 25 percent. 😀RKM😀 and RKM.";
        let rules = Rules::new(
            [alias("RKM", "Renault Korea Motors"), not_entity("25 percent")],
            vec![],
        );
        let entities = recognizer().annotate_with(text, &rules, Some("z.txt"));
        check_invariants(text, &entities);
        assert!(!entities.iter().any(|e| e.text(text) == "25 percent"));
        assert_eq!(entities.iter().filter(|e| e.text(text) == "RKM").count(), 3);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        const WORDS: &[&str] = &[
            "Busan", "plant", "RKM", "Renault", "Korea", "Motors", "said", "25", "percent", "Séoul", "😀",
            "the", "Eco", "Center", "(RKM)", "$1.3", "billion", "Monday", "\n\n", "\n", ",", ".",
        ];

        fn text_strategy() -> impl Strategy<Value = String> {
            prop::collection::vec(0..WORDS.len(), 0..40)
                .prop_map(|ix| ix.into_iter().map(|i| WORDS[i]).collect::<Vec<_>>().join(" "))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            #[test]
            fn rules_keep_invariants(
                text in text_strategy(),
                picks in prop::collection::vec((0..WORDS.len(), 0..WORDS.len(), 0u8..4), 0..6),
                anchor in prop::option::of((0usize..200, 0u8..2)),
            ) {
                let mut vocab = Vec::new();
                for (a, b, t) in picks {
                    let surface = if a % 2 == 0 { WORDS[a].to_string() } else { format!("{} {}", WORDS[a], WORDS[b]) };
                    vocab.push(match t {
                        0 => kind(&surface, Kind::Organization),
                        1 => kind(&surface, Kind::Place),
                        2 => not_entity(&surface),
                        _ => alias(&surface, WORDS[b]),
                    });
                }
                let mut mentions = Vec::new();
                let mut decided_entity = None;
                if let Some((at, d)) = anchor {
                    let words: Vec<(usize, &str)> = text.match_indices(|c: char| !c.is_whitespace())
                        .collect();
                    if !words.is_empty() {
                        let (start, w) = words[at % words.len()];
                        let decision = if d == 0 { Decision::NotEntity } else {
                            decided_entity = Some(start..start + w.len());
                            Decision::Entity { kind: Kind::Person, subkind: None }
                        };
                        mentions.extend(MentionRule::capture("p.txt", &text, start..start + w.len(), decision));
                    }
                }
                let rules = Rules::new(vocab, mentions);
                let entities = recognizer().annotate_with(&text, &rules, Some("p.txt"));
                check_invariants(&text, &entities);
                for e in &entities {
                    // A decision on this one mention is more specific than a vocabulary rule.
                    if decided_entity.as_ref() == Some(&e.span) {
                        continue;
                    }
                    let rejected = matches!(rules.rule_for(e.text(&text)), Some(VocabRule::NotEntity { .. }));
                    prop_assert!(!rejected, "rejected surface kept: {:?}", e.text(&text));
                }
                // Idempotent on the same input, and equal with the per-paragraph entry point.
                prop_assert_eq!(&entities, &recognizer().annotate_with(&text, &rules, Some("p.txt")));
            }
        }
    }
}
