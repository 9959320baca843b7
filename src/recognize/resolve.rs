//! Document-level resolution: overlaps, acronyms defined in parentheses, propagation of a
//! name to its later and shorter mentions (a company's distinctive first word, "Cray" of "Cray
//! Research Inc"; the capitals of a name in a headline in capitals), kind consistency,
//! canonical names and the `alias`/`declaration` flags.
//!
//! Invariant: the output is sorted by start, spans do not overlap, and every span lies inside
//! one paragraph of the input (resolution never joins text across a blank line).
//!
//! Resolution works on `Cand`s: small copies of the mentions' spans, kinds and evidence
//! that point back to their mention (for its canonical name and value) and to their surface
//! in a per-document table of surfaces (`Surfaces`), so that the mentions themselves are
//! neither copied nor moved and each surface is hashed once.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::recognize::ParagraphMentions;
use crate::recognize::chars::{ASCII_ALNUM, ASCII_WORD, CAPITAL_OR_NON_ASCII};
use crate::recognize::figures;
use crate::recognize::gazetteer::{FastMap, Gazetteer, PhraseKind, flag};
use crate::recognize::types::{Entity, Kind, Mention, Subkind, Value};

/// Confidence given to names found only by propagation from a mention elsewhere in the document.
const PROPAGATED_CONFIDENCE: u8 = 40;

/// Places and persons found with no more confidence than this are not looked for again in
/// the rest of the document: the name model has seen every occurrence and left the others
/// out on purpose (and one wrong kind would spread: "Scientology" read once as a place, a
/// school called after its town). The model's sure organisations are: an organisation's name
/// is seldom anything else, and the model misses many of its later mentions where the
/// context says less ("The LibriVox website", "publishing giant Elsevier").
const PROPAGATE_MIN: u8 = 50;

/// Whether a surface known only with `confidence` is looked for again (see [`PROPAGATE_MIN`]).
fn propagates(kind: Kind, confidence: u8) -> bool {
    confidence > PROPAGATE_MIN
        || kind == Kind::Organization && confidence >= crate::recognize::tagger::CONF_MODEL
}

/// The confidence from which a name's own kind resists the first word of a company's name
/// (the names module's person confidence: a title before it, a given name).
const HEAD_OVERRIDE: u8 = 60;

/// Mentions below this confidence (the model's own, the rules' guesses) vote on their
/// surface's kind; one at or above it (a gazetteer phrase, a keyword pattern, a title before
/// a given name) decides alone.
const VOTE_BELOW: u8 = 60;

/// The kinds [`Surface::votes`] counts, in its order.
const VOTE_KINDS: [Kind; 3] = [Kind::Organization, Kind::Place, Kind::Person];

/// The index of a name kind among [`Surface::votes`].
fn vote_index(kind: Kind) -> Option<usize> {
    VOTE_KINDS.iter().position(|k| *k == kind)
}

/// What overlap removal and merging need to know of a candidate.
trait Candidate {
    fn start(&self) -> usize;
    fn end(&self) -> usize;
    fn kind(&self) -> Kind;
    fn confidence(&self) -> u8;
}

impl Candidate for Mention {
    #[inline]
    fn start(&self) -> usize {
        self.span.start
    }
    #[inline]
    fn end(&self) -> usize {
        self.span.end
    }
    #[inline]
    fn kind(&self) -> Kind {
        self.kind
    }
    #[inline]
    fn confidence(&self) -> u8 {
        self.confidence
    }
}

/// No index (no source mention, no surface).
const NONE: u32 = u32::MAX;

/// A candidate of document resolution: a mention's span (absolute), kind and evidence, the
/// index of the mention it comes from ([`NONE`] for acronyms and propagated names, which
/// have neither canonical name nor value) and the index of its surface in the document's
/// [`Surfaces`] ([`NONE`] for figures).
#[derive(Clone, Copy, Debug)]
struct Cand {
    start: usize,
    end: usize,
    src: u32,
    surface: u32,
    kind: Kind,
    subkind: Option<Subkind>,
    confidence: u8,
}

impl Cand {
    fn new(span: Range<usize>, m: &Mention, src: usize) -> Cand {
        Cand {
            start: span.start,
            end: span.end,
            src: u32::try_from(src).unwrap_or(NONE),
            surface: NONE,
            kind: m.kind,
            subkind: m.subkind,
            confidence: m.confidence,
        }
    }
}

impl Candidate for Cand {
    #[inline]
    fn start(&self) -> usize {
        self.start
    }
    #[inline]
    fn end(&self) -> usize {
        self.end
    }
    #[inline]
    fn kind(&self) -> Kind {
        self.kind
    }
    #[inline]
    fn confidence(&self) -> u8 {
        self.confidence
    }
}

/// Which of two overlapping candidates wins: the longer, then the more confident, then the
/// earlier, then by kind.
fn priority<T: Candidate>(a: &T, b: &T) -> Ordering {
    let len = |m: &T| m.end().saturating_sub(m.start());
    len(b)
        .cmp(&len(a))
        .then(b.confidence().cmp(&a.confidence()))
        .then(a.start().cmp(&b.start()))
        .then(a.kind().cmp(&b.kind()))
}

/// Keeps a non-overlapping subset: longer spans first, then higher confidence, then earlier.
/// The result is sorted by start.
///
/// Greedy by that priority, applied per cluster of transitively overlapping spans (spans in
/// different clusters never compete), so the cost is a sort by start plus small sorts inside
/// the rare clusters of more than one span.
pub fn remove_overlaps(candidates: Vec<Mention>) -> Vec<Mention> {
    remove_overlaps_of(candidates)
}

/// [`remove_overlaps`] by reference: the same choice, without cloning the mentions.
pub fn remove_overlaps_ref(candidates: Vec<&Mention>) -> Vec<&Mention> {
    remove_overlaps_of(candidates)
}

impl<T: Candidate> Candidate for &T {
    #[inline]
    fn start(&self) -> usize {
        (**self).start()
    }
    #[inline]
    fn end(&self) -> usize {
        (**self).end()
    }
    #[inline]
    fn kind(&self) -> Kind {
        (**self).kind()
    }
    #[inline]
    fn confidence(&self) -> u8 {
        (**self).confidence()
    }
}

fn remove_overlaps_of<T: Candidate>(mut candidates: Vec<T>) -> Vec<T> {
    candidates.retain(|m| m.start() < m.end());
    let disjoint = |c: &[T]| c.windows(2).all(|w| w[0].end() <= w[1].start());
    // Most paragraphs: already sorted and disjoint, nothing to decide.
    if disjoint(&candidates) {
        return candidates;
    }
    // Stable: equal starts keep their input order, which breaks the last ties below.
    if !candidates.is_sorted_by_key(|m| m.start()) {
        candidates.sort_by_key(|m| m.start());
    }
    if disjoint(&candidates) {
        return candidates;
    }
    let mut keep = vec![true; candidates.len()];
    let mut order: Vec<usize> = Vec::new();
    let mut chosen: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < candidates.len() {
        let mut j = i + 1;
        let mut end = candidates[i].end();
        while j < candidates.len() && candidates[j].start() < end {
            end = end.max(candidates[j].end());
            j += 1;
        }
        if j - i > 1 {
            order.clear();
            order.extend(i..j);
            order.sort_by(|&x, &y| priority(&candidates[x], &candidates[y]));
            chosen.clear();
            // Chosen spans never overlap each other: in a large cluster (a pathological
            // input) an ordered map finds the one that could overlap in log time.
            let mut large: std::collections::BTreeMap<usize, usize> = Default::default();
            for &k in &order {
                let span = candidates[k].start()..candidates[k].end();
                let overlaps = if j - i > 32 {
                    large
                        .range(..span.end)
                        .next_back()
                        .is_some_and(|(_, &e)| e > span.start)
                } else {
                    chosen.iter().any(|c| c.start < span.end && span.start < c.end)
                };
                if overlaps {
                    keep[k] = false;
                } else if j - i > 32 {
                    large.insert(span.start, span.end);
                } else {
                    chosen.push(span);
                }
            }
        }
        i = j;
    }
    let mut keep = keep.into_iter();
    candidates.retain(|_| keep.next().unwrap_or(true));
    candidates
}

/// How many candidates [`merge_by_start`] inserts in place at most, over its two calls (the
/// document's candidates are allocated with that much room).
const MERGED_IN_PLACE: usize = 16;

/// `first ++ second` in the order a stable sort by start gives them, when each is sorted by
/// start (else simply concatenated: [`remove_overlaps`] sorts them). A candidate of `second`
/// with the span of one of `first` that wins over it is left out: [`remove_overlaps`] could
/// neither keep it nor let it block another. Propagation finds most known mentions again, so
/// `first` is often returned as it was.
fn merge_by_start<T: Candidate>(first: Vec<T>, mut second: Vec<T>) -> Vec<T> {
    if second.is_empty() {
        return first;
    }
    let by_start = |m: &T| m.start();
    if !first.is_sorted_by_key(by_start) || !second.is_sorted_by_key(by_start) {
        let mut all = first;
        all.extend(second);
        return all;
    }
    let mut k = 0;
    second.retain(|m| {
        while first.get(k).is_some_and(|o| o.start() < m.start()) {
            k += 1;
        }
        !first[k..]
            .iter()
            .take_while(|o| o.start() == m.start())
            .any(|o| o.end() == m.end() && priority(o, m) != Ordering::Greater)
    });
    if second.is_empty() {
        return first;
    }
    // Few are usually left: inserted in place, the candidates move once (a merge into a new
    // vector moves every one of them).
    if second.len() <= MERGED_IN_PLACE / 2 {
        let mut first = first;
        let mut at = 0;
        for m in second {
            at += first[at..].partition_point(|o| o.start() <= m.start());
            first.insert(at, m);
            at += 1;
        }
        return first;
    }
    let mut out = Vec::with_capacity(first.len() + second.len());
    let mut second = second.into_iter().peekable();
    for m in first {
        out.extend(std::iter::from_fn(|| second.next_if(|s| s.start() < m.start())));
        out.push(m);
    }
    out.extend(second);
    out
}

static ACRONYM_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*\([ \t]*([A-Z][A-Za-z0-9&.\-]{0,10}[A-Z0-9.])[ \t]*\)").expect("valid regex")
});

/// The mentions that candidates point to: their canonical names and values.
trait Sources {
    fn mention(&self, i: u32) -> &Mention;
    /// The value of mention `i`, asked once per mention.
    fn take_value(&mut self, i: u32) -> Option<Value>;
}

/// Owned mentions: values are moved out.
impl Sources for Vec<Mention> {
    fn mention(&self, i: u32) -> &Mention {
        &self[i as usize]
    }
    fn take_value(&mut self, i: u32) -> Option<Value> {
        self[i as usize].value.take()
    }
}

/// Marks a source index of [`Borrowed::dated`].
const DATED: u32 = 1 << 31;

/// Borrowed mentions (their values are copied), but for the figures the date step reads or
/// rewrites (dates and times), which are copies (their values are moved out).
struct Borrowed<'p> {
    mentions: Vec<&'p Mention>,
    dated: Vec<Mention>,
}

impl Sources for Borrowed<'_> {
    fn mention(&self, i: u32) -> &Mention {
        if i & DATED == 0 {
            self.mentions[i as usize]
        } else {
            &self.dated[(i & !DATED) as usize]
        }
    }
    fn take_value(&mut self, i: u32) -> Option<Value> {
        if i & DATED == 0 {
            self.mentions[i as usize].value.clone()
        } else {
            self.dated[(i & !DATED) as usize].value.take()
        }
    }
}

/// The absolute span of a paragraph's mention, if it lies in the text on character boundaries.
fn absolute(text: &str, offset: usize, span: &Range<usize>) -> Option<Range<usize>> {
    let span = offset + span.start..offset + span.end;
    (span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end))
        .then_some(span)
}

/// Resolves paragraph mentions (absolute spans) into the document's entities.
pub fn resolve_document(text: &str, paragraphs: &[ParagraphMentions], gazetteer: &Gazetteer) -> Vec<Entity> {
    let n: usize = paragraphs.iter().map(|p| p.mentions.len()).sum();
    let with_money = figures::document_step_needs_money(paragraphs.iter().flat_map(|p| &p.mentions));
    let reads = |m: &Mention| {
        m.value
            .as_ref()
            .is_some_and(|v| figures::document_step_reads(v, with_money))
    };
    let dated = paragraphs
        .iter()
        .flat_map(|p| &p.mentions)
        .filter(|m| reads(m))
        .count();
    let mut sources = Borrowed {
        mentions: Vec::with_capacity(n - dated),
        dated: Vec::with_capacity(dated),
    };
    let mut cands: Vec<Cand> = Vec::with_capacity(n + MERGED_IN_PLACE);
    // Whether the mentions start at increasing offsets (as paragraph annotation gives them).
    let mut increasing = true;
    for para in paragraphs {
        for m in &para.mentions {
            let Some(span) = absolute(text, para.span.start, &m.span) else {
                continue;
            };
            increasing &= cands.last().is_none_or(|c| c.start < span.start);
            if reads(m) {
                let src = sources.dated.len() | DATED as usize;
                sources.dated.push(Mention {
                    span: span.clone(),
                    ..m.clone()
                });
                cands.push(Cand::new(span, m, src));
            } else {
                cands.push(Cand::new(span, m, sources.mentions.len()));
                sources.mentions.push(m);
            }
        }
    }
    if !increasing || sources.mentions.len() >= DATED as usize {
        return resolve_document_owned(text, paragraphs.to_vec(), gazetteer);
    }
    // The date step reads dates and rewrites marked times and marked currencies (an amount
    // may become a count), nothing else (`figures::document_step_reads`), and finds them
    // sorted: on those figures alone it does what it does on all the mentions. It keeps them
    // all, in their order: only their subkinds may have changed.
    figures::resolve_document_dates(text, &mut sources.dated);
    for c in cands.iter_mut().filter(|c| c.src & DATED != 0) {
        if let Some(m) = sources.dated.get((c.src & !DATED) as usize) {
            c.subkind = m.subkind;
        }
    }
    resolve_candidates(text, cands, &mut sources, gazetteer)
}

/// [`resolve_document`] on paragraphs the caller no longer needs (no copies of the mentions).
pub fn resolve_document_owned(
    text: &str,
    paragraphs: Vec<ParagraphMentions>,
    gazetteer: &Gazetteer,
) -> Vec<Entity> {
    let n: usize = paragraphs.iter().map(|p| p.mentions.len()).sum();
    let mut mentions: Vec<Mention> = Vec::with_capacity(n);
    for para in paragraphs {
        for mut m in para.mentions {
            if let Some(span) = absolute(text, para.span.start, &m.span) {
                m.span = span;
                mentions.push(m);
            }
        }
    }
    figures::resolve_document_dates(text, &mut mentions);
    let mut cands: Vec<Cand> = Vec::with_capacity(mentions.len() + MERGED_IN_PLACE);
    cands.extend(
        mentions
            .iter()
            .enumerate()
            .map(|(i, m)| Cand::new(m.span.clone(), m, i)),
    );
    resolve_candidates(text, cands, &mut mentions, gazetteer)
}

/// One distinct name surface of a document (a name's text, or a shorter form or acronym).
struct Surface<'t> {
    text: Cow<'t, str>,
    /// Kind consistency: the kind of its most confident (then first) mention, with that
    /// confidence (below [`VOTE_BELOW`]: the kind its mentions vote for, see `votes`); `None`
    /// when no mention has this surface.
    kind: Option<(Kind, u8)>,
    /// The summed confidences of its weak mentions (below [`VOTE_BELOW`]) by kind:
    /// organisation, place, person. With no stronger mention, the kind with the largest sum
    /// wins over the first mention's (ties: the first's). Measured (5-fold, 3 seeds): GUM open
    /// genres micro F1 0.708–0.711 -> 0.712–0.715 (persons +0.007), news dev unchanged.
    votes: [u32; 3],
    /// The (first) name it is a shorter form or acronym of.
    alias_of: Option<Cand>,
    /// The source of its first resolved mention that brings a canonical name, or [`NONE`].
    canonical: u32,
    /// The kind and the highest confidence with which its shorter forms were added: a later
    /// mention of the same kind and no higher confidence would add nothing.
    shortened: Option<(Kind, u8)>,
    /// It has several words (only such names have shorter forms).
    multi_word: bool,
    /// It is the first word of a company's name ([`org_head_form`]): followed by another
    /// capitalised word it is part of some other name ("Franco" of "Franco Nevada").
    head: bool,
    /// Its first mention (none for shorter forms and acronyms).
    first: Option<Cand>,
}

/// The document's surfaces, each hashed once; candidates refer to them by index.
struct Surfaces<'t> {
    index: FastMap<Cow<'t, str>, u32>,
    table: Vec<Surface<'t>>,
}

impl<'t> Surfaces<'t> {
    fn with_capacity(n: usize) -> Surfaces<'t> {
        Surfaces {
            index: FastMap::with_capacity_and_hasher(n, Default::default()),
            table: Vec::with_capacity(n),
        }
    }

    fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }

    fn intern(&mut self, s: Cow<'t, str>) -> u32 {
        let next = u32::try_from(self.table.len()).unwrap_or(NONE);
        match self.index.entry(s) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                self.table.push(Surface {
                    multi_word: has_whitespace(e.key()),
                    text: e.key().clone(),
                    kind: None,
                    votes: [0; 3],
                    alias_of: None,
                    canonical: NONE,
                    shortened: None,
                    head: false,
                    first: None,
                });
                e.insert(next);
                next
            }
        }
    }

    fn at(&mut self, id: u32) -> &mut Surface<'t> {
        &mut self.table[id as usize]
    }
}

/// The canonical name a name candidate brings by itself: its mention's, else its surface.
fn own_canonical<'a, S: Sources>(text: &'a str, sources: &'a S, c: &Cand) -> &'a str {
    if c.src != NONE
        && let Some(canonical) = sources.mention(c.src).canonical.as_deref()
    {
        return canonical;
    }
    &text[c.start..c.end]
}

/// What a resolved candidate becomes: kind, canonical name, alias flag, subkind.
type Head = (Kind, String, bool, Option<Subkind>);

fn resolve_candidates<S: Sources>(
    text: &str,
    cands: Vec<Cand>,
    sources: &mut S,
    gazetteer: &Gazetteer,
) -> Vec<Entity> {
    let (resolved, heads) = resolve_names(text, cands, sources, gazetteer);
    let mut entities = Vec::with_capacity(resolved.len());
    for (c, (kind, canonical, alias, subkind)) in resolved.into_iter().zip(heads) {
        entities.push(Entity {
            span: c.start..c.end,
            kind,
            subkind,
            canonical,
            value: if c.src == NONE {
                None
            } else {
                sources.take_value(c.src)
            },
            alias,
            declaration: false,
        });
    }
    mark_declarations(&mut entities);
    entities
}

/// Declarations: the first mention of each (kind, canonical) pair. A short list is compared
/// pair by pair (cheaper than hashing every canonical name).
fn mark_declarations(entities: &mut [Entity]) {
    if entities.len() <= 32 {
        for i in 0..entities.len() {
            let (before, rest) = entities.split_at_mut(i);
            let e = &mut rest[0];
            let (len, last) = (e.canonical.len(), e.canonical.as_bytes().last());
            e.declaration = !before.iter().any(|d| {
                d.kind == e.kind
                    && d.canonical.len() == len
                    && d.canonical.as_bytes().last() == last
                    && d.canonical == e.canonical
            });
        }
        return;
    }
    let mut seen: FastMap<(Kind, &str), ()> =
        FastMap::with_capacity_and_hasher(entities.len(), Default::default());
    let first: Vec<bool> = entities
        .iter()
        .map(|e| seen.insert((e.kind, e.canonical.as_str()), ()).is_none())
        .collect();
    drop(seen);
    for (e, first) in entities.iter_mut().zip(first) {
        e.declaration = first;
    }
}

/// Every step but the values: the resolved candidates and what each becomes.
fn resolve_names<S: Sources>(
    text: &str,
    mut cands: Vec<Cand>,
    sources: &S,
    gazetteer: &Gazetteer,
) -> (Vec<Cand>, Vec<Head>) {
    // 0. Acronyms of ordinary terms are no names anywhere in the document: "gross national
    //    product (GNP)", "export enhancement program (EEP)".
    let terms = acronyms_of_terms(text);
    if !terms.is_empty() {
        cands.retain(|c| c.kind == Kind::Figure || !terms.contains(&&text[c.start..c.end]));
    }

    // 0b. A person named by one ordinary word that is no given or family name and no word
    //     of a longer name in the document (whose short form it may be: "Wolverine" of
    //     "Wolverine World Wide Inc") is a title or a capitalised common noun
    //     ("Mr. Chief Justice", "Your Honor", "the Director", "Duchess"). (Measured on the
    //     training sources, 5-fold: 39 such persons wrong for 1 right.)
    let lone_common = |c: &Cand| {
        let w = &text[c.start..c.end];
        c.kind == Kind::Person
            && c.confidence < crate::recognize::tagger::RULES_TRUSTED_FROM
            && w.as_bytes()
                .get(1..)
                .is_some_and(|rest| rest.iter().all(u8::is_ascii_lowercase))
            && gazetteer.is_common(w)
            && !gazetteer.info_ref(w).has(flag::GIVEN | flag::SURNAME)
    };
    if cands.iter().any(lone_common) {
        let longer: Vec<&str> = cands
            .iter()
            .filter(|c| c.kind != Kind::Figure && text[c.start..c.end].contains(' '))
            .map(|c| &text[c.start..c.end])
            .collect();
        cands.retain(|c| {
            !lone_common(c) || {
                let w = &text[c.start..c.end];
                longer.iter().any(|n| n.split([' ', '-']).any(|p| p == w))
            }
        });
    }

    // 0c. A storm's name is no person anywhere in the document: "Hurricane Sandy" makes the
    //     later "Sandy made landfall" the storm too (the tagger drops the named mention).
    // (Searched only when a person is named by one word, weakly, as a storm's name is.)
    let lone_person = |c: &Cand| {
        c.kind == Kind::Person
            && c.confidence < crate::recognize::tagger::RULES_TRUSTED_FROM
            && !text[c.start..c.end].contains(' ')
    };
    let storms = if cands.iter().any(lone_person) {
        storm_names(text)
    } else {
        Vec::new()
    };
    if !storms.is_empty() {
        cands.retain(|c| c.kind != Kind::Person || !storms.contains(&&text[c.start..c.end]));
    }

    // 1. Kind consistency: one kind per surface, the most confident (then the first) wins.
    // 2. Acronyms defined in parentheses right after a name: "Renault Korea Motors (RKM)".
    let names = cands.iter().filter(|c| c.kind != Kind::Figure).count();
    let mut surfaces = Surfaces::with_capacity(names + 4);
    let mut defined_acronyms: Vec<Cand> = Vec::new();
    let mut multi_word: Vec<Cand> = Vec::with_capacity(names);
    for c in cands.iter_mut().filter(|c| c.kind != Kind::Figure) {
        let surface = &text[c.start..c.end];
        let id = surfaces.intern(Cow::Borrowed(surface));
        c.surface = id;
        surfaces.at(id).first.get_or_insert(*c);
        let s = surfaces.at(id);
        let entry = s.kind.get_or_insert((c.kind, c.confidence));
        if c.confidence > entry.1 {
            *entry = (c.kind, c.confidence);
        }
        if c.confidence < VOTE_BELOW
            && let Some(i) = vote_index(c.kind)
        {
            s.votes[i] += u32::from(c.confidence);
        }
        if surfaces.at(id).multi_word {
            multi_word.push(*c);
        }
        let rest = &text[c.end..];
        // Cheap test before the regex: an acronym needs an opening parenthesis next.
        if !rest.trim_start_matches([' ', '\t']).starts_with('(') {
            continue;
        }
        let Some(caps) = ACRONYM_AFTER.captures(rest) else {
            continue;
        };
        let Some(acr) = caps.get(1) else { continue };
        let acronym = acr.as_str().trim_end_matches('.');
        let letters = acronym.chars().filter(|c| c.is_ascii_uppercase()).count();
        if letters < 2 || acronym.len() >= surface.len() || !acronym_fits(acronym, surface) {
            continue;
        }
        let start = c.end + acr.start();
        let end = start + acronym.len();
        let id = surfaces.intern(Cow::Borrowed(&text[start..end]));
        surfaces.at(id).alias_of.get_or_insert(*c);
        defined_acronyms.push(Cand {
            start,
            end,
            src: NONE,
            surface: id,
            kind: c.kind,
            subkind: c.subkind,
            confidence: c.confidence,
        });
    }

    // 1b. A surface named only weakly takes the kind most of its mentions give it, not the
    //     first one's ("Coron" as a lone heading read as a person, then "Coron is in the
    //     province of Palawan", "the population of Coron" read as a place).
    for s in &mut surfaces.table {
        if let Some((kind, conf)) = &mut s.kind
            && *conf < VOTE_BELOW
        {
            let mut best = vote_index(*kind).map_or(0, |i| s.votes[i]);
            for (k, votes) in VOTE_KINDS.into_iter().zip(s.votes) {
                if votes > best {
                    best = votes;
                    *kind = k;
                }
            }
        }
    }

    // 3. Shorter forms of names: an organisation without its corporate suffix
    //    ("Renault Korea Motors" -> "Renault Korea"), a person's family name ("Deblaise").
    //    Only names of several words have any, longest first.
    multi_word.sort_by_key(|c| std::cmp::Reverse(c.end - c.start));
    let mut shorts = Vec::new();
    let mut words = Vec::new();
    let mut head_forms: Vec<(&str, Cand)> = Vec::new();
    for m in &multi_word {
        let done = &mut surfaces.at(m.surface).shortened;
        match done {
            Some((kind, conf)) if *kind == m.kind && *conf >= m.confidence => continue,
            Some((kind, conf)) if *kind == m.kind => *conf = m.confidence,
            _ => *done = Some((m.kind, m.confidence)),
        }
        shorts.clear();
        shorter_forms(&text[m.start..m.end], m.kind, gazetteer, &mut words, &mut shorts);
        // (`words` holds the name's words now.)
        if let Some(head) = org_head_form(&words, m.kind, gazetteer) {
            head_forms.push((head, *m));
        }
        for short in shorts.drain(..) {
            let known = surfaces.get(&short);
            if let Some(id) = known {
                let s = &surfaces.table[id as usize];
                if s.alias_of.is_some() {
                    continue;
                }
                // The short form is a name in its own right in this document, with evidence
                // at least as strong as the long name's ("Texas" in "University of Texas").
                // A person's family name that is also a city ("Valeska Paris" ... "Paris") is
                // the person; a country or region keeps its own kind.
                if let Some((kind, conf)) = s.kind
                    && kind != m.kind
                    && conf >= m.confidence
                    && (m.kind != Kind::Person
                        || gazetteer
                            .place(&short)
                            .is_some_and(|p| matches!(p.subkind, Some(Subkind::Country | Subkind::Region))))
                {
                    continue;
                }
            }
            let id = match known {
                Some(id) => id,
                None => surfaces.intern(short),
            };
            surfaces.at(id).alias_of = Some(*m);
        }
    }
    // The distinctive first word of a company's name ("Cray" of "Cray Research Inc"), after
    // the other shorter forms (a person's family name keeps its person: "Dudley Taft" and
    // "Taft Broadcasting Co"). It takes over a word alone only where the recogniser guessed
    // its kind from weak evidence (a family name, "in" before it), not from a title or a
    // gazetteer place; an ordinary English word ("Lucky" of "Lucky Stores Inc") only where the
    // recogniser found it alone, never as a new name.
    for (head, m) in head_forms {
        let known = surfaces.get(head);
        match known.map(|id| &surfaces.table[id as usize]) {
            Some(s) if s.alias_of.is_some() => continue,
            Some(s)
                if s.kind
                    .is_some_and(|(kind, conf)| kind != m.kind && conf >= HEAD_OVERRIDE) =>
            {
                continue;
            }
            None if gazetteer.is_common(head) => continue,
            _ => {}
        }
        let id = known.unwrap_or_else(|| surfaces.intern(Cow::Borrowed(head)));
        let s = surfaces.at(id);
        s.alias_of = Some(m);
        s.head = true;
    }

    // A headline in capitals names what the body names in mixed case: "MELLON SIGNS PACT"
    // after "Mellon Bank Corp ... Mellon said". The capitals of every name and shorter form
    // (not of a single ordinary word: "BANK" of "the Bank") are a form of it.
    if let Some(headline) = headline_in_capitals(text) {
        // (Only names whose first word the headline has: most surfaces are not there. The
        // initials of the headline's words rule out most at once.)
        let words = || {
            headline
                .split(|c: char| !c.is_alphanumeric() && c != '.' && c != '-')
                .filter(|w| !w.is_empty())
        };
        let initials = words().fold(0u32, |m, w| m | 1 << (w.as_bytes()[0] & 31));
        for id in 0..surfaces.table.len() {
            let s = &surfaces.table[id];
            let first_word = s.text.split(' ').next().unwrap_or("");
            if first_word.is_empty()
                || initials & 1 << (first_word.as_bytes()[0] & 31) == 0
                || !words().any(|w| w.eq_ignore_ascii_case(first_word))
            {
                continue;
            }
            let target = match (s.alias_of, s.first, s.kind) {
                (Some(a), _, _) => a,
                (None, Some(first), Some((kind, _))) => Cand { kind, ..first },
                _ => continue,
            };
            let t: &str = &s.text;
            if t.len() < 4
                || !t.chars().any(char::is_lowercase)
                || !has_whitespace(t) && gazetteer.is_common(t)
            {
                continue;
            }
            let upper = t.to_uppercase();
            if surfaces.get(&upper).is_none() {
                let uid = surfaces.intern(Cow::Owned(upper));
                surfaces.at(uid).alias_of = Some(target);
            }
        }
    }

    // 4. Propagation: later mentions of known names and aliases that the paragraph-level
    //    recogniser missed. A surface that is both a name and an alias takes the first kind.
    let mut known: Vec<(&str, Kind, u32, bool)> = Vec::with_capacity(surfaces.table.len());
    for (id, s) in surfaces.table.iter().enumerate() {
        let kind = match (s.kind, s.alias_of) {
            (Some((k, _)), Some(a)) => k.min(a.kind),
            (Some((k, c)), None) if !propagates(k, c) => continue,
            (Some((k, _)), None) => k,
            (None, Some(a)) => a.kind,
            (None, None) => continue,
        };
        let t: &str = &s.text;
        if t.len() >= 2 && t.chars().next().is_some_and(char::is_uppercase) {
            known.push((t, kind, u32::try_from(id).unwrap_or(NONE), s.head));
        }
    }
    let first = merge_by_start(cands, defined_acronyms);
    let mut found = Found {
        // Sorted (as merging needs them) or not looked at.
        existing: if first.is_sorted_by_key(|c| c.start) {
            &first
        } else {
            &[]
        },
        k: 0,
        out: Vec::with_capacity(names),
    };
    propagate(text, known, gazetteer, &mut found);
    let propagated = found.out;
    let all = merge_by_start(first, propagated);
    let resolved = remove_overlaps_of(all);

    // 5. Canonical names, kinds and flags. Subkinds by kind and canonical name; a surface's
    //    canonical name when one of its mentions brought one (a propagated "CHICAGO" gets
    //    the "Chicago" of the dateline).
    let with_subkind = resolved
        .iter()
        .filter(|c| c.kind != Kind::Figure && c.subkind.is_some())
        .count();
    let mut subkind_of: FastMap<(Kind, &str), Subkind> =
        FastMap::with_capacity_and_hasher(with_subkind, Default::default());
    for c in resolved.iter().filter(|c| c.kind != Kind::Figure) {
        if let Some(sub) = c.subkind {
            subkind_of
                .entry((c.kind, own_canonical(text, sources, c)))
                .or_insert(sub);
        }
        if c.src != NONE && sources.mention(c.src).canonical.is_some() {
            let first = &mut surfaces.at(c.surface).canonical;
            if *first == NONE {
                *first = c.src;
            }
        }
    }
    let mut heads: Vec<Head> = Vec::with_capacity(resolved.len());
    for c in &resolved {
        let surface = &text[c.start..c.end];
        let (kind, canonical, alias): (Kind, Cow<'_, str>, bool) = if c.kind == Kind::Figure {
            let value = if c.src == NONE {
                None
            } else {
                sources.mention(c.src).value.as_ref()
            };
            let canonical = value.map_or(Cow::Borrowed(surface), |v| Cow::Owned(v.normalized()));
            (Kind::Figure, canonical, false)
        } else {
            let s = &surfaces.table[c.surface as usize];
            if let Some(a) = &s.alias_of {
                let canonical = own_canonical(text, sources, a);
                (a.kind, Cow::Borrowed(canonical), canonical != surface)
            } else {
                let kind = s.kind.map_or(c.kind, |k| k.0);
                let brought = |src: u32| {
                    if src == NONE {
                        None
                    } else {
                        sources.mention(src).canonical.as_deref()
                    }
                };
                let canonical = brought(c.src).or_else(|| brought(s.canonical)).unwrap_or(surface);
                (kind, Cow::Borrowed(canonical), canonical != surface)
            }
        };
        let subkind = c
            .subkind
            .or_else(|| subkind_of.get(&(kind, &*canonical)).copied());
        heads.push((kind, canonical.into_owned(), alias, subkind));
    }
    (resolved, heads)
}

/// The text's first line when it is a headline in capitals: letters, at least four, and none
/// of them in lower case.
fn headline_in_capitals(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let bytes = text.as_bytes();
    let end = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len());
    let line = &text[..end];
    // ASCII bytes without decoding; the rest (rare) by characters.
    let mut letters = 0;
    for (k, &b) in line.as_bytes().iter().enumerate() {
        if b >= 0x80 {
            let rest = &line[k..];
            let more = rest.chars().filter(|c| c.is_alphabetic()).count();
            return (!rest.chars().any(char::is_lowercase) && letters + more >= 4).then_some(line);
        }
        if b.is_ascii_lowercase() {
            return None;
        }
        letters += usize::from(b.is_ascii_uppercase());
    }
    (letters >= 4).then_some(line)
}

/// The names of storms in the text: the capitalised word after "Hurricane", "Cyclone",
/// "Typhoon", "Storm" or "Superstorm" ("Tropical Storm Maria": "Maria"): a substring search
/// per storm word.
fn storm_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for word in crate::recognize::tagger::STORM_WORDS {
        for at in memchr::memmem::find_iter(text.as_bytes(), word) {
            let Some(rest) = text[at + word.len()..].strip_prefix(' ') else {
                continue;
            };
            let len = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
            let name = &rest[..len];
            if name.len() >= 2 && name.starts_with(|c: char| c.is_uppercase()) && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Acronyms defined in parentheses right after lower-case words whose initials spell them
/// ("gross national product (GNP)"; connectors such as "of" may count or be skipped:
/// "balance of payments (BOP)", "department of energy (DE)"; a hyphenated word gives an
/// initial per part: "low-frequency microwave radiometer (LFMR)"), found in the text itself:
/// the definition need not be a candidate for the acronym's other mentions to be no names
/// ("The EEP is a subsidy").
///
/// One pass over the text's `(`s (memchr), then a few words back from each acronym.
fn acronyms_of_terms(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut terms = Vec::new();
    for open in memchr::memchr_iter(b'(', bytes) {
        let start = open + 1;
        let n = bytes[start..]
            .iter()
            .take(9)
            .take_while(|b| b.is_ascii_uppercase())
            .count();
        if !(2..=8).contains(&n) || bytes.get(start + n) != Some(&b')') {
            continue;
        }
        let acronym = &text[start..start + n];
        let before = text[..open].trim_end_matches(' ');
        // The acronym's letters from the last, one per word back from the parenthesis: a
        // connector gives its initial when that is the letter ("balance of payments (BOP)")
        // and is skipped otherwise ("department of energy (DE)"). The parts of a hyphenated
        // word count: "other-initiated repair (OIR)".
        let letters = acronym.as_bytes();
        let mut left = n;
        let words = before
            .split_whitespace()
            .rev()
            .take(n + 3)
            .flat_map(|w| w.rsplit('-'))
            .filter(|w| !w.is_empty());
        for word in words {
            if left == 0 {
                break;
            }
            let first = word.as_bytes()[0];
            let connector = matches!(word, "of" | "and" | "for" | "the" | "on" | "in" | "to");
            if first.to_ascii_uppercase() == letters[left - 1] && first.is_ascii_lowercase() {
                left -= 1;
            } else if !connector {
                break;
            }
        }
        if left == 0 && !terms.contains(&acronym) {
            terms.push(acronym);
        }
    }
    terms
}

/// Whether `acronym` can abbreviate `name`: same first letter, and its capitals and digits
/// occur in the name in order ("RKM" for "Renault Korea Motors", "M5S" for "Movimento 5
/// Stelle", "ASEAN" for "Association of Southeast Asian Nations"; not "AP" for "South Korea"
/// in "BUSAN, South Korea (AP)").
fn acronym_fits(acronym: &str, name: &str) -> bool {
    let mut name_chars = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase);
    let mut marks = acronym.chars().filter(|c| c.is_uppercase() || c.is_numeric());
    let (Some(first), Some(initial)) = (marks.next(), name_chars.next()) else {
        return false;
    };
    first == initial && marks.all(|c| name_chars.any(|n| n == c))
}
/// Corporate suffixes that an organisation's name may go without.
fn is_org_suffix(word: &str) -> bool {
    matches!(
        word,
        "Motors"
            | "Motor"
            | "Group"
            | "Corp"
            | "Corp."
            | "Corporation"
            | "Inc"
            | "Inc."
            | "Co"
            | "Co."
            | "Ltd"
            | "Ltd."
            | "Company"
            | "Holdings"
            | "LLC"
            | "PLC"
            | "plc"
            | "Plc"
            | "AG"
            | "SA"
            | "S.A."
            | "NV"
            | "N.V."
            | "SpA"
            | "AB"
            | "Pty"
            | "Bhd"
            | "GmbH"
            | "Cos"
            | "Bancorp"
            | "Bancorporation"
            | "Industries"
            | "International"
    )
}

/// The ASCII characters that [`char::is_whitespace`] accepts.
fn is_ascii_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// `s.contains(char::is_whitespace)`, without decoding ASCII text.
fn has_whitespace(s: &str) -> bool {
    for (k, &b) in s.as_bytes().iter().enumerate() {
        if b >= 0x80 {
            return s[k..].contains(char::is_whitespace);
        }
        if is_ascii_whitespace(char::from(b)) {
            return true;
        }
    }
    false
}

/// Appends the shorter forms of a name to `res` (`words` is scratch space).
fn shorter_forms<'a>(
    surface: &'a str,
    kind: Kind,
    gazetteer: &Gazetteer,
    words: &mut Vec<&'a str>,
    res: &mut Vec<Cow<'a, str>>,
) {
    words.clear();
    if surface.is_ascii() {
        let mut start = None;
        for (k, &b) in surface.as_bytes().iter().enumerate() {
            if is_ascii_whitespace(char::from(b)) {
                if let Some(s) = start.take() {
                    words.push(&surface[s..k]);
                }
            } else if start.is_none() {
                start = Some(k);
            }
        }
        if let Some(s) = start {
            words.push(&surface[s..]);
        }
    } else {
        words.extend(surface.split_whitespace());
    }
    // Both kinds of shorter forms need two words at least.
    if words.len() < 2 {
        return;
    }
    match kind {
        Kind::Organization if words.len() >= 2 => {
            let mut n = words.len();
            while n > 1 && is_org_suffix(words[n - 1].trim_end_matches(',')) {
                n -= 1;
                res.push(joined(surface, &words[..n]));
            }
            // "Pennsylvania Power" of "Pennsylvania Power and Light Co": the words before an
            // "and" that a company keyword follows.
            if n < words.len()
                && let Some(k) = words[..n].iter().position(|w| *w == "and").filter(|&k| k >= 2)
            {
                res.push(joined(surface, &words[..k]));
            }
            // "Church of Scientology" -> "Scientology": the distinctive part after "of".
            if words.len() == 3 && words[1] == "of" && gazetteer.info(words[2]).phrase.is_none() {
                res.push(Cow::Borrowed(words[2]));
            }
        }
        Kind::Person if words.len() >= 2 => {
            let last = words[words.len() - 1];
            let info = gazetteer.info(last);
            if last.chars().next().is_some_and(|c| c.is_uppercase())
                && last.len() >= 3
                && !info.has(flag::STOP | flag::TITLE)
            {
                res.push(Cow::Borrowed(last));
            }
        }
        _ => {}
    }
}

/// The first of an organisation name's `words` that the news uses alone for it ("Cray" of
/// "Cray Research Inc", "Hutton" of "E.F. Hutton Group", after initials). Only for a name of two words at least
/// without its corporate suffixes, and never a word that names something else on its own: a
/// stop word, a title, an organisation or place keyword ("Bank", "Ministry"), a country, region
/// or city ("Japan Airlines", "Texas Instruments"), a nationality ("American Express"), a
/// compass word, or a given name that is no family name ("Walt Disney").
fn org_head_form<'a>(words: &[&'a str], kind: Kind, gazetteer: &Gazetteer) -> Option<&'a str> {
    if kind != Kind::Organization {
        return None;
    }
    let mut n = words.len();
    while n > 1 && is_org_suffix(words[n - 1].trim_end_matches(',')) {
        n -= 1;
    }
    // Initials before a family name: "J.C. Penney", "E.F. Hutton".
    // (Not a place written so: "U.S. Rice Millers Association".)
    let initials = |w: &str| {
        w.len() <= 5
            && w.ends_with('.')
            && w.bytes().filter(|&b| b == b'.').count() >= 2
            && gazetteer.info(w).phrase.is_none()
    };
    let mut first = 0;
    if n >= 2 && initials(words[0]) {
        first = 1;
        if n == 2 && words.len() == 2 {
            return None; // "E.F. Hutton" is the whole name already
        }
    } else if n < 2 {
        return None;
    }
    let head = words[first].trim_end_matches(',');
    let mut chars = head.chars();
    if !chars.next().is_some_and(char::is_uppercase)
        || head.len() < 3
        || !head.bytes().any(|b| b.is_ascii_lowercase())
        || head.contains(['.', '\'', '’'])
        || head
            .split('-')
            .skip(1)
            .any(|p| p.starts_with(|c: char| c.is_lowercase()))
    {
        return None;
    }
    let info = gazetteer.info(head);
    let keyword = flag::STOP
        | flag::TITLE
        | flag::ORG_SUFFIX
        | flag::ORG_HEAD
        | flag::ORG_PREFIX
        | flag::PLACE_SUFFIX
        | flag::PLACE_HEAD
        | flag::EVENT;
    if info.has(keyword)
        || info.has(flag::GIVEN) && !info.has(flag::SURNAME)
        || info.phrase.is_some_and(|p| {
            matches!(
                p.kind,
                PhraseKind::Place | PhraseKind::Demonym | PhraseKind::DemonymPlace | PhraseKind::ApState
            )
        })
        || matches!(
            head,
            "North" | "South" | "East" | "West" | "Northern" | "Southern" | "Eastern" | "Western" | "Central"
        )
    {
        return None;
    }
    Some(head)
}

/// `words.join(" ")` for consecutive words of `surface`: borrowed from it when they stand
/// there separated by single spaces (no copy).
fn joined<'a>(surface: &'a str, words: &[&'a str]) -> Cow<'a, str> {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return Cow::Borrowed("");
    };
    let base = surface.as_ptr() as usize;
    let start = first.as_ptr() as usize - base;
    let end = last.as_ptr() as usize - base + last.len();
    let letters: usize = words.iter().map(|w| w.len()).sum();
    // Separators of one byte each, and none of them a tab or line break: single spaces.
    match surface.get(start..end) {
        Some(slice)
            if slice.len() == letters + words.len() - 1
                && !slice
                    .bytes()
                    .any(|b| matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')) =>
        {
            Cow::Borrowed(slice)
        }
        _ => Cow::Owned(words.join(" ")),
    }
}

/// The end of the alphanumeric run of `s` from `from` (ASCII without decoding).
#[inline]
fn run_end(s: &str, from: usize) -> usize {
    let bytes = s.as_bytes();
    let mut end = from;
    while end < bytes.len() {
        let b = bytes[end];
        if b < 0x80 {
            if !ASCII_ALNUM[usize::from(b)] {
                break;
            }
            end += 1;
        } else {
            match s[end..].chars().next() {
                Some(c) if c.is_alphanumeric() => end += c.len_utf8(),
                _ => break,
            }
        }
    }
    end
}

/// Buckets of [`propagate`]'s table of first runs.
const RUN_BUCKETS: usize = 256;

/// The bucket of a first run (by its first and last bytes and its length).
#[inline]
fn run_bucket(run: &[u8]) -> Option<usize> {
    let (&first, &last) = (run.first()?, run.last()?);
    Some((usize::from(first) + 37 * usize::from(last) + 11 * run.len()) % RUN_BUCKETS)
}

/// A bit of a 1024-bit filter on the first two bytes of a text (or just the first).
#[inline]
fn pair_bit(bytes: &[u8]) -> usize {
    let first = bytes.first().map_or(0, |&b| usize::from(b));
    let second = bytes.get(1).map_or(0, |&b| usize::from(b));
    (first * 61 + second * 7) % 1024
}

/// The candidates [`propagate`] finds, in order of start.
struct Found<'a> {
    /// The document's candidates, sorted by start (or none).
    existing: &'a [Cand],
    /// The first of `existing` that does not start before the last candidate found.
    k: usize,
    out: Vec<Cand>,
}

impl Found<'_> {
    /// Adds a candidate found at or after the last one, unless one of `existing` with its
    /// span wins over it ([`merge_by_start`] would leave it out: propagation finds most known
    /// mentions again).
    fn push(&mut self, c: Cand) {
        while self.existing.get(self.k).is_some_and(|o| o.start < c.start) {
            self.k += 1;
        }
        let known = self.existing[self.k..]
            .iter()
            .take_while(|o| o.start == c.start)
            .any(|o| o.end == c.end && priority(o, &c) != Ordering::Greater);
        if !known {
            self.out.push(c);
        }
    }
}

/// A known surface in [`propagate`]'s table: chained by bucket of its first run, longest
/// first in every chain.
struct Known<'s> {
    surface: &'s str,
    /// Length of its first alphanumeric run.
    run: usize,
    kind: Kind,
    id: u32,
    newline: bool,
    /// The first word of a company's name: not where another capitalised word follows.
    head: bool,
    next: u32,
}

/// Adds a candidate for every word-bounded occurrence of a known surface (longest first at
/// each capitalised word start). A surface can only start at a word whose first
/// alphanumeric run is the surface's own first run: the surfaces are chained by a bucket of
/// that run, so a word start looks at one short chain (most often an empty one).
fn propagate(text: &str, mut known: Vec<(&str, Kind, u32, bool)>, g: &Gazetteer, out: &mut Found<'_>) {
    if known.is_empty() {
        return;
    }
    // Shortest first, each put in front of its chain: chains run longest first. (Surfaces
    // of one length are distinct, so at most one of them can match at a place.)
    known.sort_unstable_by_key(|k| k.0.len());
    let mut heads = [NONE; RUN_BUCKETS];
    let mut pairs = [0u64; 16];
    let mut table: Vec<Known<'_>> = Vec::with_capacity(known.len());
    for (surface, kind, id, head) in known {
        let run = run_end(surface, 0);
        // A surface whose first character is no alphanumeric one never matches.
        let Some(bucket) = run_bucket(&surface.as_bytes()[..run]) else {
            continue;
        };
        let bit = pair_bit(surface.as_bytes());
        pairs[bit / 64] |= 1 << (bit % 64);
        table.push(Known {
            surface,
            run,
            kind,
            id,
            newline: surface.contains('\n'),
            head,
            next: heads[bucket],
        });
        heads[bucket] = u32::try_from(table.len() - 1).unwrap_or(NONE);
    }
    let bytes = text.as_bytes();
    // Only a capital after a non-word character can start a surface: the ASCII capitals and
    // non-ASCII bytes of every eight bytes at once, then each of them in order (`next` skips
    // the rest of a character).
    let scan = Scan {
        g,
        pairs: &pairs,
        heads: &heads,
        table: &table,
    };
    let mut next = 0;
    let mut chunks = bytes.chunks_exact(8);
    let mut i = 0;
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let hits = capitals_or_non_ascii(u64::from_le_bytes(w));
        if hits != 0 {
            visit_hits(text, i, hits, &mut next, &scan, out);
        }
        i += 8;
    }
    let tail = chunks
        .remainder()
        .iter()
        .enumerate()
        .filter(|&(_, &b)| CAPITAL_OR_NON_ASCII[usize::from(b)])
        .fold(0u64, |m, (k, _)| m | 0x80 << (8 * k));
    visit_hits(text, i, tail, &mut next, &scan, out);
}

/// The tables of [`propagate`].
struct Scan<'a, 's> {
    g: &'a Gazetteer,
    pairs: &'a [u64; 16],
    heads: &'a [u32; RUN_BUCKETS],
    table: &'a [Known<'s>],
}

/// Checks, in order, the bytes of `text` from `i` on marked in `hits` (the high bit of byte
/// `k` for `i + k`) that start a character at or after `next`.
#[inline]
fn visit_hits(
    text: &str,
    i: usize,
    mut hits: u64,
    next: &mut usize,
    scan: &Scan<'_, '_>,
    out: &mut Found<'_>,
) {
    let bytes = text.as_bytes();
    while hits != 0 {
        let j = i + (hits.trailing_zeros() / 8) as usize;
        hits &= hits - 1;
        if j < *next {
            continue;
        }
        let b = bytes[j];
        if b < 0x80 {
            *next = j + 1;
            // A known surface starts here only if its first two bytes do.
            let bit = pair_bit(&bytes[j..]);
            if scan.pairs[bit / 64] & (1 << (bit % 64)) != 0 && !word_before(text, j) {
                check_surfaces_at(text, j, 1, scan, out);
            }
            continue;
        }
        let Some(c) = text[j..].chars().next() else {
            *next = bytes.len();
            continue;
        };
        let len = c.len_utf8();
        *next = j + len;
        if c.is_uppercase() && !word_before(text, j) {
            check_surfaces_at(text, j, len, scan, out);
        }
    }
}

/// The high bit of every byte of `w` that is an ASCII capital or no ASCII character.
#[inline]
fn capitals_or_non_ascii(w: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Per byte, with the high bit cleared (so no carry into the next byte): adding 0x3f sets
    // the high bit from 'A' (0x41) on, adding 0x25 from '[' (0x5b) on.
    let low = w & !HIGH;
    let capital = (low + 0x3f3f_3f3f_3f3f_3f3f) & !(low + 0x2525_2525_2525_2525);
    (w | capital) & HIGH
}

/// A word character before `i` (ASCII ones and the hyphen without decoding).
#[inline]
fn word_before(text: &str, i: usize) -> bool {
    match text.as_bytes()[..i].last() {
        None => false,
        Some(&p) if p < 0x80 => ASCII_WORD[usize::from(p)],
        Some(_) => text[..i].chars().next_back().is_some_and(char::is_alphanumeric),
    }
}

/// Adds the longest known surface at the word start `i` (its first character `len` bytes
/// long) when the word's first alphanumeric run begins one and it is word-bounded.
#[inline]
fn check_surfaces_at(text: &str, i: usize, len: usize, scan: &Scan<'_, '_>, out: &mut Found<'_>) {
    let (heads, table) = (scan.heads, scan.table);
    let end = run_end(text, i + len);
    let Some(bucket) = run_bucket(&text.as_bytes()[i..end]) else {
        return;
    };
    let mut k = heads[bucket];
    if k == NONE {
        return;
    }
    // Longest first: the first surface with the word's first run that the text continues
    // with and that ends before a non-alphanumeric character (or with a full stop) is the
    // one. A candidate never reaches past a blank line ("\n\n").
    let rest = &text[i..];
    let rb = rest.as_bytes();
    let run = end - i;
    while let Some(known) = table.get(k as usize) {
        k = known.next;
        let s = known.surface;
        let sb = s.as_bytes();
        if known.run != run || sb.len() > rb.len() || rb[..sb.len()] != *sb {
            continue;
        }
        let bounded = s.ends_with('.')
            || match rb.get(sb.len()) {
                None => true,
                Some(&b) if b < 0x80 => !ASCII_ALNUM[usize::from(b)],
                Some(_) => !rest[sb.len()..].chars().next().is_some_and(char::is_alphanumeric),
            };
        if !bounded
            || (known.newline
                && rb[..(sb.len() + 1).min(rb.len())]
                    .windows(2)
                    .any(|w| w == b"\n\n"))
        {
            continue;
        }
        let span = i..i + s.len();
        // "Franco Nevada said", "Pan American": a longer name that was not found (but
        // "Inland Chairman Frank Luerssen" is the company's chairman).
        let part = known.head
            && rb.get(sb.len()) == Some(&b' ')
            && rb.get(sb.len() + 1).is_some_and(u8::is_ascii_uppercase)
            && !scan
                .g
                .info(&rest[sb.len() + 1..run_end(rest, sb.len() + 1)])
                .has(flag::TITLE | flag::STOP);
        if !part && is_word_bounded(text, &span) {
            out.push(Cand {
                start: span.start,
                end: span.end,
                src: NONE,
                surface: known.id,
                kind: known.kind,
                subkind: None,
                confidence: PROPAGATED_CONFIDENCE,
            });
        }
        return;
    }
}

fn is_word_bounded(text: &str, span: &Range<usize>) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '-';
    let bytes = text.as_bytes();
    let before = match span.start.checked_sub(1).map(|k| bytes[k]) {
        None => false,
        Some(b) if b < 0x80 => ASCII_WORD[usize::from(b)],
        Some(_) => text[..span.start].chars().next_back().is_some_and(word),
    };
    let after = match bytes.get(span.end) {
        None => false,
        Some(&b) if b < 0x80 => ASCII_WORD[usize::from(b)],
        Some(_) => text[span.end..].chars().next().is_some_and(word),
    };
    !before && !after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(span: Range<usize>, kind: Kind, confidence: u8) -> Mention {
        Mention {
            span,
            kind,
            subkind: None,
            canonical: None,
            value: None,
            confidence,
        }
    }

    /// The rule of [`remove_overlaps`] written plainly: all candidates by priority, each kept
    /// unless it overlaps one kept before.
    fn reference_overlaps(mut candidates: Vec<Mention>) -> Vec<Mention> {
        candidates.retain(|m| m.span.start < m.span.end);
        candidates.sort_by(priority);
        let mut kept: Vec<Mention> = Vec::new();
        for m in candidates {
            if !kept
                .iter()
                .any(|k| k.span.start < m.span.end && m.span.start < k.span.end)
            {
                kept.push(m);
            }
        }
        kept.sort_by_key(|m| m.span.start);
        kept
    }

    proptest::proptest! {
        /// Per-cluster resolution (small and large clusters) equals the plain rule.
        #[test]
        fn overlaps_equal_the_plain_rule(
            spans in proptest::collection::vec((0usize..300, 0usize..12, 0u8..4, 0u8..100), 0..120)
        ) {
            let kinds = [Kind::Organization, Kind::Place, Kind::Figure, Kind::Person];
            let candidates: Vec<Mention> = spans
                .iter()
                .map(|&(start, len, kind, conf)| mention(start..start + len, kinds[usize::from(kind)], conf))
                .collect();
            let got: Vec<_> = remove_overlaps(candidates.clone()).into_iter().map(|m| (m.span, m.kind, m.confidence)).collect();
            let want: Vec<_> = reference_overlaps(candidates).into_iter().map(|m| (m.span, m.kind, m.confidence)).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_long_chain_of_overlaps_is_resolved_quickly() {
        // 20,000 spans each overlapping the next: one cluster.
        let candidates: Vec<Mention> = (0..20_000)
            .map(|i| mention(i * 2..i * 2 + 3, Kind::Organization, 50))
            .collect();
        let got = remove_overlaps(candidates.clone());
        assert_eq!(got.len(), 10_000);
        assert!(got.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    }

    #[test]
    fn longest_wins_then_confidence() {
        let got = remove_overlaps(vec![
            mention(0..5, Kind::Place, 90),
            mention(0..12, Kind::Organization, 10),
            mention(10..15, Kind::Figure, 50),
            mention(13..15, Kind::Person, 50),
            mention(13..15, Kind::Place, 60),
        ]);
        let spans: Vec<(Range<usize>, Kind)> = got.iter().map(|m| (m.span.clone(), m.kind)).collect();
        assert_eq!(spans, vec![(0..12, Kind::Organization), (13..15, Kind::Place)]);
    }

    #[test]
    fn acronym_and_short_forms_resolve_to_the_long_name() {
        let text = "Renault Korea Motors (RKM) said so.\n\nLater, RKM and Renault Korea agreed.";
        let paragraphs = vec![
            ParagraphMentions {
                span: 0..35,
                mentions: vec![Mention {
                    subkind: Some(Subkind::Company),
                    ..mention(0..20, Kind::Organization, 80)
                }],
            },
            ParagraphMentions {
                span: 37..text.len(),
                mentions: vec![],
            },
        ];
        let entities = resolve_document(text, &paragraphs, &Gazetteer::default());
        let got: Vec<(&str, &str, bool, bool)> = entities
            .iter()
            .map(|e| (e.text(text), e.canonical.as_str(), e.alias, e.declaration))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Renault Korea Motors", "Renault Korea Motors", false, true),
                ("RKM", "Renault Korea Motors", true, false),
                ("RKM", "Renault Korea Motors", true, false),
                ("Renault Korea", "Renault Korea Motors", true, false),
            ]
        );
        assert!(
            entities
                .iter()
                .all(|e| e.kind == Kind::Organization && e.subkind == Some(Subkind::Company))
        );
    }

    #[test]
    fn acronyms_of_ordinary_terms_are_no_names() {
        let rec = crate::recognize::recognizer();
        let text = "The country will miss its gross national product (GNP) target.\n\nGNP grew 2 pct, \
                    and the export enhancement program (EEP) helped. The EEP is a subsidy.";
        let entities = rec.annotate(text);
        assert!(
            !entities.iter().any(|e| matches!(e.text(text), "GNP" | "EEP")),
            "{entities:?}"
        );
        // Found in the text, whether or not the definition is a candidate; hyphenated words
        // give an initial per part; a name's own acronym is none of them.
        assert_eq!(
            acronyms_of_terms(
                "other-initiated repair (OIR); a scanning low-frequency microwave radiometer \
                 (SLFMR); the balance of payments (BOP); Renault Korea Motors (RKM); (EU); \
                 the department of energy (DE)"
            ),
            ["OIR", "SLFMR", "BOP", "DE"]
        );
        // A name's acronym stays an alias.
        let text = "Renault Korea Motors (RKM) said so.";
        assert!(rec.annotate(text).iter().any(|e| e.text(text) == "RKM"));
    }

    #[test]
    fn an_acronym_in_parentheses_must_fit_the_name() {
        assert!(acronym_fits("RKM", "Renault Korea Motors"));
        assert!(acronym_fits("M5S", "Movimento 5 Stelle"));
        assert!(acronym_fits("ASEAN", "Association of Southeast Asian Nations"));
        assert!(acronym_fits(
            "BaFin",
            "Bundesanstalt fur Finanzdienstleistungsaufsicht"
        ));
        assert!(!acronym_fits("AP", "South Korea"));
        assert!(!acronym_fits("UAW", "United Nations"));
        let g = crate::recognize::recognizer();
        let text = "BUSAN, South Korea (AP) - The plant opened.\n\nSouth Korea welcomed it.";
        let entities = g.annotate(text);
        assert!(
            !entities
                .iter()
                .any(|e| e.text(text) == "AP" && e.canonical == "South Korea"),
            "{entities:?}"
        );
    }

    #[test]
    fn person_family_name_is_an_alias() {
        let text = "CEO Stephane Deblaise said. Deblaise added more.";
        let paragraphs = vec![ParagraphMentions {
            span: 0..text.len(),
            mentions: vec![mention(4..21, Kind::Person, 80)],
        }];
        let entities = resolve_document(text, &paragraphs, &Gazetteer::default());
        assert_eq!(entities.len(), 2);
        assert_eq!(entities[1].text(text), "Deblaise");
        assert_eq!(entities[1].canonical, "Stephane Deblaise");
    }

    /// The span of the `k`-th occurrence of `w` in `text`.
    fn nth(text: &str, w: &str, k: usize) -> Range<usize> {
        let a = text.match_indices(w).nth(k).map_or(0, |(a, _)| a);
        a..a + w.len()
    }

    /// `text` resolved as one paragraph holding `mentions`.
    fn resolve_one(text: &str, mentions: Vec<Mention>, gazetteer: &Gazetteer) -> Vec<Entity> {
        let paragraphs = vec![ParagraphMentions {
            span: 0..text.len(),
            mentions,
        }];
        resolve_document(text, &paragraphs, gazetteer)
    }

    #[test]
    fn a_storms_name_is_no_person_anywhere_in_the_document() {
        let text = "Hurricane Sandy hit New Jersey.\n\nSandy made landfall near Atlantic City, and \
                    Sandy Hook was flooded. Tropical Storm Maria formed; Maria weakened.";
        assert_eq!(storm_names(text), ["Sandy", "Maria"]);
        let at = |w: &str, k: usize| nth(text, w, k);
        let mentions = vec![
            mention(at("Sandy", 1), Kind::Person, 50),
            mention(at("Sandy Hook", 0), Kind::Place, 50),
            mention(at("Maria", 1), Kind::Person, 50),
        ];
        let found: Vec<String> = resolve_one(text, mentions, &Gazetteer::default())
            .iter()
            .map(|e| e.text(text).to_string())
            .collect();
        assert_eq!(found, ["Sandy Hook"]);
    }

    #[test]
    fn a_lone_ordinary_word_is_no_person() {
        let text = "The Director met Duchess Kate Middleton. Duchess said no; Baker agreed, Director too.";
        let at = |w: &str, k: usize| nth(text, w, k);
        let gazetteer = Gazetteer::load();
        let persons = |mentions: Vec<Mention>| -> Vec<String> {
            resolve_one(text, mentions, &gazetteer)
                .iter()
                .filter(|e| e.kind == Kind::Person)
                .map(|e| e.text(text).to_string())
                .collect()
        };
        // "Director" (a title, an ordinary word) is none; "Baker" is a family name too, and
        // "Duchess" is a word of a longer person's name in the document (read there as one).
        let found = persons(vec![
            mention(at("Director", 0), Kind::Person, 50),
            mention(at("Duchess Kate Middleton", 0), Kind::Person, 50),
            mention(at("Duchess", 1), Kind::Person, 50),
            mention(at("Baker", 0), Kind::Person, 50),
        ]);
        assert!(!found.iter().any(|p| p == "Director"), "{found:?}");
        assert!(found.iter().any(|p| p == "Baker"), "{found:?}");
        assert!(found.iter().any(|p| p == "Duchess"), "{found:?}");
        // A rule's strong candidate stands.
        let found = persons(vec![mention(at("Director", 0), Kind::Person, 60)]);
        assert!(found.iter().any(|p| p == "Director"), "{found:?}");
    }

    #[test]
    fn weak_mentions_vote_on_their_surfaces_kind() {
        let text = "Coron\n\nCoron is in Palawan. The population of Coron grew.";
        let at = |k: usize| nth(text, "Coron", k);
        let kinds = |mentions: Vec<Mention>| -> Vec<Kind> {
            resolve_one(text, mentions, &Gazetteer::default())
                .iter()
                .filter(|e| e.text(text) == "Coron")
                .map(|e| e.kind)
                .collect()
        };
        // A heading read as a person, two sentences as a place: the place wins everywhere.
        let weak = vec![
            mention(at(0), Kind::Person, 35),
            mention(at(1), Kind::Place, 50),
            mention(at(2), Kind::Place, 50),
        ];
        assert_eq!(kinds(weak), [Kind::Place; 3]);
        // A strong mention decides alone, however many weak ones disagree.
        let strong = vec![
            mention(at(0), Kind::Person, 80),
            mention(at(1), Kind::Place, 50),
            mention(at(2), Kind::Place, 50),
        ];
        assert_eq!(kinds(strong), [Kind::Person; 3]);
        // A tie keeps the first mention's kind.
        let tie = vec![mention(at(0), Kind::Person, 50), mention(at(1), Kind::Place, 50)];
        assert_eq!(kinds(tie)[0], Kind::Person);
    }

    #[test]
    fn propagation_respects_word_boundaries() {
        let text = "Polestar grew. Polestars and MegaPolestar are not it, but Polestar is.";
        let paragraphs = vec![ParagraphMentions {
            span: 0..text.len(),
            mentions: vec![mention(0..8, Kind::Organization, 80)],
        }];
        let entities = resolve_document(text, &paragraphs, &Gazetteer::default());
        let starts: Vec<usize> = entities.iter().map(|e| e.span.start).collect();
        assert_eq!(starts, vec![0, text.rfind("Polestar").unwrap()]);
    }

    #[test]
    fn the_models_organisations_are_found_again_its_places_and_persons_not() {
        let text = "Interview with LibriVox founder Hugh McGuire.\n\nThe LibriVox website grew; \
                    the church of Scientology said. Scientology officials and Harrow agreed; \
                    Harrow said no. Before LibriVox, he read.";
        let at = |w: &str, k: usize| nth(text, w, k);
        let found = |conf: u8| -> Vec<(String, Kind)> {
            let mentions = vec![
                mention(at("LibriVox", 0), Kind::Organization, conf),
                mention(at("Scientology", 0), Kind::Place, conf),
                mention(at("Harrow", 0), Kind::Person, conf),
            ];
            resolve_one(text, mentions, &Gazetteer::default())
                .iter()
                .map(|e| (e.text(text).to_string(), e.kind))
                .collect()
        };
        let (org, place, person) = (Kind::Organization, Kind::Place, Kind::Person);
        // The model's sure organisation: all three mentions; its place and person: one each.
        assert_eq!(
            found(crate::recognize::tagger::CONF_MODEL),
            [
                ("LibriVox".to_string(), org),
                ("LibriVox".to_string(), org),
                ("Scientology".to_string(), place),
                ("Harrow".to_string(), person),
                ("LibriVox".to_string(), org),
            ]
        );
        // An unsure one stays where the model put it; a rule's sure names spread whatever
        // their kind.
        assert_eq!(found(crate::recognize::tagger::CONF_UNSURE).len(), 3);
        assert_eq!(found(80).len(), 7);
    }

    /// Paragraph mentions of a text, as [`crate::recognize::Recognizer::annotate`] makes them.
    fn paragraph_mentions(text: &str) -> Vec<ParagraphMentions> {
        let rec = crate::recognize::recognizer();
        crate::recognize::paragraphs(text)
            .map(|span| ParagraphMentions {
                mentions: rec.annotate_paragraph(&text[span.clone()]),
                span,
            })
            .collect()
    }

    #[test]
    fn borrowed_and_owned_mentions_resolve_alike() {
        let g = crate::recognize::recognizer().gazetteer();
        let mut texts: Vec<String> = ["000_b048b9770dc2da2d.txt", "004_12b826b37803d7ae.txt"]
            .iter()
            .map(|f| std::fs::read_to_string(format!("{}/seeds/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap())
            .collect();
        // No dateline: the lone weekday and "last year" are no figures, the month-day stays.
        texts.push(
            "Acme Holdings Inc said on Monday that sales rose 5 pct last year.\n\n\
             Acme Holdings expects more on March 3, the company said."
                .to_string(),
        );
        for text in &texts {
            let paragraphs = paragraph_mentions(text);
            let owned = resolve_document_owned(text, paragraphs.clone(), g);
            assert!(owned.iter().any(|e| e.kind == Kind::Figure) && owned.iter().any(|e| e.alias));
            assert_eq!(resolve_document(text, &paragraphs, g), owned);
        }
        let text = &texts[2];
        let entities = resolve_document(text, &paragraph_mentions(text), g);
        assert!(
            !entities
                .iter()
                .any(|e| e.text(text) == "Monday" || e.text(text) == "last year")
        );
        assert!(entities.iter().any(|e| e.text(text) == "March 3"), "{entities:?}");
        // Mentions out of order (a caller's, not the recogniser's) go the owned way.
        let text = &texts[0];
        let mut paragraphs = paragraph_mentions(text);
        paragraphs.reverse();
        assert_eq!(
            resolve_document(text, &paragraphs, g),
            resolve_document_owned(text, paragraphs.clone(), g)
        );
    }

    #[test]
    fn shorter_forms_borrow_single_spaced_names() {
        let g = Gazetteer::default();
        let (mut words, mut res) = (Vec::new(), Vec::new());
        shorter_forms(
            "Harbour Light Motors Inc.",
            Kind::Organization,
            &g,
            &mut words,
            &mut res,
        );
        assert_eq!(res, vec!["Harbour Light Motors", "Harbour Light"]);
        assert!(res.iter().all(|s| matches!(s, Cow::Borrowed(_))));
        res.clear();
        shorter_forms(
            "Harbour\nLight  Motors",
            Kind::Organization,
            &g,
            &mut words,
            &mut res,
        );
        assert_eq!(res, vec![Cow::<str>::Owned("Harbour Light".to_string())]);
    }

    #[test]
    fn a_company_is_named_by_the_first_word_of_its_name() {
        let text = "HOUSTON, May 4 - Whitaker Energy Corp said it raised its dividend. Analysts said \
                    Whitaker could buy back shares, and a stake in Whitaker was sold by Baker Drilling Co.\n\n\
                    The bid for Baker was withdrawn, said an analyst with Texas Instruments Inc in Texas. \
                    Summit Gold Corp said its output rose. Summit said more.\n\n\
                    President Halloran said the Halloran Mining Ltd offer was fair. Kessler Rand Mining \
                    Ltd said Kessler Rand shares rose, and Kessler Chairman John Ames agreed. Dudley \
                    Farrow, who owns 20 pct of Farrow Cable Corp, said Farrow would not sell.";
        // The document step on the rules' candidates (the name model, trained on no wire
        // copy, reads "President Halloran" and "Kessler Rand shares" otherwise).
        let entities = crate::recognize::Recognizer::with_tagger(None).annotate(text);
        let find = |s: &str| -> Vec<&Entity> { entities.iter().filter(|e| e.text(text) == s).collect() };
        let all = |s: &str, kind: Kind| !find(s).is_empty() && find(s).iter().all(|e| e.kind == kind);
        // A family name guessed alone, and a name found only by propagation.
        assert!(all("Whitaker", Kind::Organization), "{entities:?}");
        assert_eq!(find("Whitaker").len(), 2);
        assert_eq!(find("Whitaker")[0].canonical, "Whitaker Energy Corp");
        // An ordinary word that the recogniser found alone ("bid for Baker").
        assert!(all("Baker", Kind::Organization), "{entities:?}");
        // The company's chairman: a title after the word does not make it part of a name.
        assert!(all("Kessler", Kind::Organization), "{entities:?}");
        // Not: a place, an ordinary word never found alone, a person with a title or with a
        // given name in the document, a word inside a longer name ("Kessler Rand").
        assert!(all("Texas", Kind::Place), "{entities:?}");
        assert!(find("Summit").is_empty(), "{entities:?}");
        assert!(all("Halloran", Kind::Person), "{entities:?}");
        assert!(all("Farrow", Kind::Person), "{entities:?}");
        let kessler_rand = text.find("Kessler Rand shares").unwrap();
        assert!(
            !entities
                .iter()
                .any(|e| e.span == (kessler_rand..kessler_rand + "Kessler".len())),
            "{entities:?}"
        );
    }

    #[test]
    fn a_company_named_with_and_is_named_by_its_first_part() {
        let text = "Ohio Power and Light Co said it will sell bonds. The offering is managed by \
                    Dalton Securities, said Ohio Power.";
        let entities = crate::recognize::recognizer().annotate(text);
        let short = entities.iter().find(|e| e.text(text) == "Ohio Power");
        assert!(
            short.is_some_and(|e| e.kind == Kind::Organization && e.canonical == "Ohio Power and Light Co"),
            "{entities:?}"
        );
        // Not a single word before "and" ("Cable" of "Cable and Wireless Plc").
        let text = "Cable and Wireless Plc rose. The cable broke.";
        let entities = crate::recognize::recognizer().annotate(text);
        assert_eq!(entities.len(), 1, "{entities:?}");
    }

    #[test]
    fn a_headline_in_capitals_names_what_the_body_names() {
        let text = "HALLORAN SEES WHITAKER ENERGY BID FAILING, BANK SAYS\n\n\
                    HOUSTON, May 4 - Whitaker Energy Corp said it received a bid. Treasury \
                    Secretary John Halloran said the Bank would not help.";
        let entities = crate::recognize::recognizer().annotate(text);
        let find = |s: &str| entities.iter().find(|e| e.text(text) == s);
        assert!(
            find("WHITAKER ENERGY")
                .is_some_and(|e| e.kind == Kind::Organization && e.canonical == "Whitaker Energy Corp"),
            "{entities:?}"
        );
        assert!(
            find("HALLORAN").is_some_and(|e| e.kind == Kind::Person && e.canonical == "John Halloran"),
            "{entities:?}"
        );
        // Not a single ordinary word ("the Bank"), nor capitals elsewhere than a headline.
        assert!(find("BANK").is_none(), "{entities:?}");
        let text = "Whitaker Energy Corp said it received a bid.\n\nNOTE: WHITAKER ENERGY figures.";
        let entities = crate::recognize::recognizer().annotate(text);
        assert!(
            !entities
                .iter()
                .any(|e| e.canonical == "Whitaker Energy Corp" && e.alias),
            "{entities:?}"
        );
    }

    #[test]
    fn end_to_end_aliases_with_the_real_gazetteer() {
        let text = "Harbour Light Motors (HLM) opened a site in Gdansk.\n\n\
                    Later HLM and Harbour Light hired staff. Author Jane Paris visited.\n\n\
                    “Paris is lovely,” Paris said about Lyon.";
        let entities = crate::recognize::recognizer().annotate(text);
        let find = |s: &str| -> Vec<&Entity> { entities.iter().filter(|e| e.text(text) == s).collect() };
        assert!(
            find("HLM").len() == 2
                && find("HLM")
                    .iter()
                    .all(|e| e.alias && e.canonical == "Harbour Light Motors")
        );
        assert_eq!(find("Harbour Light")[0].canonical, "Harbour Light Motors");
        assert_eq!(find("Harbour Light")[0].kind, Kind::Organization);
        assert!(find("Gdansk").iter().all(|e| e.kind == Kind::Place));
        // The person's family name wins over the city of the same name in this document.
        assert!(find("Paris").len() >= 2 && find("Paris").iter().all(|e| e.kind == Kind::Person));
        assert!(find("Lyon").iter().all(|e| e.kind == Kind::Place));
        let decl: Vec<&str> = entities
            .iter()
            .filter(|e| e.declaration)
            .map(|e| e.text(text))
            .collect();
        assert!(decl.contains(&"Harbour Light Motors") && !decl.contains(&"HLM"));
    }
}
