//! Document-level resolution: overlaps, acronyms defined in parentheses, propagation of a
//! name to its later and shorter mentions, kind consistency, canonical names and the
//! `alias`/`declaration` flags.
//!
//! Invariant: the output is sorted by start, spans do not overlap, and every span lies inside
//! one paragraph of the input (resolution never joins text across a blank line).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::recognize::ParagraphMentions;
use crate::recognize::chars::{ASCII_WORD, CAPITAL_OR_NON_ASCII};
use crate::recognize::figures;
use crate::recognize::gazetteer::{FastMap, Gazetteer, flag};
use crate::recognize::types::{Entity, Kind, Mention, Subkind};

/// Confidence given to names found only by propagation from a mention elsewhere in the document.
const PROPAGATED_CONFIDENCE: u8 = 40;

/// Which of two overlapping candidates wins: the longer, then the more confident, then the
/// earlier, then by kind.
fn priority(a: &Mention, b: &Mention) -> std::cmp::Ordering {
    b.span
        .len()
        .cmp(&a.span.len())
        .then(b.confidence.cmp(&a.confidence))
        .then(a.span.start.cmp(&b.span.start))
        .then(a.kind.cmp(&b.kind))
}

/// Keeps a non-overlapping subset: longer spans first, then higher confidence, then earlier.
/// The result is sorted by start.
///
/// Greedy by that priority, applied per cluster of transitively overlapping spans (spans in
/// different clusters never compete), so the cost is a sort by start plus small sorts inside
/// the rare clusters of more than one span.
pub fn remove_overlaps(mut candidates: Vec<Mention>) -> Vec<Mention> {
    candidates.retain(|m| m.span.start < m.span.end);
    let disjoint = |c: &[Mention]| c.windows(2).all(|w| w[0].span.end <= w[1].span.start);
    // Most paragraphs: already sorted and disjoint, nothing to decide.
    if disjoint(&candidates) {
        return candidates;
    }
    // Stable: equal starts keep their input order, which breaks the last ties below.
    if !candidates.is_sorted_by_key(|m| m.span.start) {
        candidates.sort_by_key(|m| m.span.start);
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
        let mut end = candidates[i].span.end;
        while j < candidates.len() && candidates[j].span.start < end {
            end = end.max(candidates[j].span.end);
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
                let span = &candidates[k].span;
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
                    chosen.push(span.clone());
                }
            }
        }
        i = j;
    }
    let mut keep = keep.into_iter();
    candidates.retain(|_| keep.next().unwrap_or(true));
    candidates
}

/// How many mentions [`merge_by_start`] inserts in place at most, over its two calls (the
/// document's mentions are allocated with that much room).
const MERGED_IN_PLACE: usize = 16;

/// `first ++ second` in the order a stable sort by start gives them, when each is sorted by
/// start (else simply concatenated: [`remove_overlaps`] sorts them). A mention of `second`
/// with the span of one of `first` that wins over it is left out: [`remove_overlaps`] could
/// neither keep it nor let it block another. Propagation finds most known mentions again, so
/// `first` is often returned as it was.
fn merge_by_start(first: Vec<Mention>, mut second: Vec<Mention>) -> Vec<Mention> {
    if second.is_empty() {
        return first;
    }
    let by_start = |m: &Mention| m.span.start;
    if !first.is_sorted_by_key(by_start) || !second.is_sorted_by_key(by_start) {
        let mut all = first;
        all.extend(second);
        return all;
    }
    let mut k = 0;
    second.retain(|m| {
        while first.get(k).is_some_and(|o| o.span.start < m.span.start) {
            k += 1;
        }
        !first[k..]
            .iter()
            .take_while(|o| o.span.start == m.span.start)
            .any(|o| o.span == m.span && priority(o, m) != std::cmp::Ordering::Greater)
    });
    if second.is_empty() {
        return first;
    }
    // Few are usually left: inserted in place, the mentions move once (a merge into a new
    // vector moves every one of them).
    if second.len() <= MERGED_IN_PLACE / 2 {
        let mut first = first;
        let mut at = 0;
        for m in second {
            at += first[at..].partition_point(|o| o.span.start <= m.span.start);
            first.insert(at, m);
            at += 1;
        }
        return first;
    }
    let mut out = Vec::with_capacity(first.len() + second.len());
    let mut second = second.into_iter().peekable();
    for m in first {
        out.extend(std::iter::from_fn(|| {
            second.next_if(|s| s.span.start < m.span.start)
        }));
        out.push(m);
    }
    out.extend(second);
    out
}

static ACRONYM_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*\([ \t]*([A-Z][A-Za-z0-9&.\-]{0,10}[A-Z0-9.])[ \t]*\)").expect("valid regex")
});

/// Resolves paragraph mentions (absolute spans) into the document's entities.
pub fn resolve_document(text: &str, paragraphs: &[ParagraphMentions], gazetteer: &Gazetteer) -> Vec<Entity> {
    let n: usize = paragraphs.iter().map(|p| p.mentions.len()).sum();
    let mut mentions: Vec<Mention> = Vec::with_capacity(n + MERGED_IN_PLACE);
    for para in paragraphs {
        for m in &para.mentions {
            push_absolute(text, para.span.start, m.clone(), &mut mentions);
        }
    }
    resolve_mentions(text, mentions, gazetteer)
}

/// [`resolve_document`] on paragraphs the caller no longer needs (no copies of the mentions).
pub fn resolve_document_owned(
    text: &str,
    paragraphs: Vec<ParagraphMentions>,
    gazetteer: &Gazetteer,
) -> Vec<Entity> {
    let n: usize = paragraphs.iter().map(|p| p.mentions.len()).sum();
    let mut mentions: Vec<Mention> = Vec::with_capacity(n + MERGED_IN_PLACE);
    for para in paragraphs {
        for m in para.mentions {
            push_absolute(text, para.span.start, m, &mut mentions);
        }
    }
    resolve_mentions(text, mentions, gazetteer)
}

fn push_absolute(text: &str, offset: usize, mut m: Mention, out: &mut Vec<Mention>) {
    m.span = offset + m.span.start..offset + m.span.end;
    if m.span.end <= text.len() && text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end) {
        out.push(m);
    }
}

fn resolve_mentions(text: &str, mut mentions: Vec<Mention>, gazetteer: &Gazetteer) -> Vec<Entity> {
    figures::resolve_document_dates(text, &mut mentions);

    // 0. Acronyms of ordinary terms are no names anywhere in the document: "gross national
    //    product (GNP)", "export enhancement program (EEP)".
    let terms = acronyms_of_terms(text, &mentions);
    if !terms.is_empty() {
        mentions.retain(|m| m.kind == Kind::Figure || !terms.contains(&&text[m.span.clone()]));
    }

    // 1. Acronyms defined in parentheses right after a name: "Renault Korea Motors (RKM)".
    //    Keys borrow from `text` (acronyms) or own a shorter form built in step 3.
    let mut alias_of: FastMap<Cow<'_, str>, (Kind, String)> = FastMap::default();
    let mut defined_acronyms: Vec<Mention> = Vec::new();
    for m in mentions.iter().filter(|m| m.kind != Kind::Figure) {
        let rest = &text[m.span.end..];
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
        if letters < 2 || acronym.len() >= m.span.len() || !acronym_fits(acronym, &text[m.span.clone()]) {
            continue;
        }
        let start = m.span.end + acr.start();
        alias_of
            .entry(Cow::Borrowed(&text[start..start + acronym.len()]))
            .or_insert_with(|| (m.kind, name_canonical(text, m).to_string()));
        defined_acronyms.push(Mention {
            span: start..start + acronym.len(),
            kind: m.kind,
            subkind: m.subkind,
            canonical: None,
            value: None,
            confidence: m.confidence,
        });
    }

    // 2. Kind consistency: one kind per surface, the most confident (then the first) wins.
    let names = mentions.iter().filter(|m| m.kind != Kind::Figure).count();
    let mut kind_of: FastMap<&str, (Kind, u8)> = FastMap::with_capacity_and_hasher(names, Default::default());
    for m in mentions.iter().filter(|m| m.kind != Kind::Figure) {
        let surface = &text[m.span.clone()];
        let entry = kind_of.entry(surface).or_insert((m.kind, m.confidence));
        if m.confidence > entry.1 {
            *entry = (m.kind, m.confidence);
        }
    }

    // 3. Shorter forms of names: an organisation without its corporate suffix
    //    ("Renault Korea Motors" -> "Renault Korea"), a person's family name ("Deblaise").
    let mut names_by_len: Vec<&Mention> = mentions.iter().filter(|m| m.kind != Kind::Figure).collect();
    names_by_len.sort_by_key(|m| std::cmp::Reverse(m.span.len()));
    let mut shorts = Vec::new();
    let mut words = Vec::new();
    for m in names_by_len {
        let surface = &text[m.span.clone()];
        shorts.clear();
        shorter_forms(surface, m.kind, gazetteer, &mut words, &mut shorts);
        for short in shorts.drain(..) {
            // A person's family name that is also a city ("Valeska Paris" ... "Paris") is the
            // person; a country or region keeps its own kind.
            let person_wins = m.kind == Kind::Person
                && !gazetteer
                    .place(&short)
                    .is_some_and(|p| matches!(p.subkind, Some(Subkind::Country | Subkind::Region)));
            if let Some(&(kind, conf)) = kind_of.get(&*short)
                && !alias_of.contains_key(&*short)
                && kind != m.kind
                && conf >= m.confidence
                && !person_wins
            {
                // The short form is a name in its own right in this document, with evidence
                // at least as strong as the long name's ("Texas" in "University of Texas").
                continue;
            }
            alias_of
                .entry(short)
                .or_insert_with(|| (m.kind, name_canonical(text, m).to_string()));
        }
    }

    // 4. Propagation: later mentions of known names and aliases that the paragraph-level
    //    recogniser missed.
    let mut surfaces: Vec<(&str, Kind)> = kind_of.iter().map(|(s, (k, _))| (*s, *k)).collect();
    surfaces.extend(alias_of.iter().map(|(s, (k, _))| (&**s, *k)));
    surfaces.retain(|(s, _)| s.chars().next().is_some_and(|c| c.is_uppercase()) && s.len() >= 2);
    surfaces.sort_unstable();
    surfaces.dedup_by(|a, b| a.0 == b.0);
    let mut propagated = Vec::with_capacity(names);
    propagate(text, &surfaces, &mut propagated);
    let all = merge_by_start(merge_by_start(mentions, defined_acronyms), propagated);
    let resolved = remove_overlaps(all);

    // 5. Canonical names, kinds and flags. Tables keyed by kind and canonical name.
    let mut subkind_of: FastMap<(Kind, &str), Subkind> =
        FastMap::with_capacity_and_hasher(resolved.len(), Default::default());
    for m in resolved.iter().filter(|m| m.kind != Kind::Figure) {
        if let Some(sub) = m.subkind {
            subkind_of.entry((m.kind, name_canonical(text, m))).or_insert(sub);
        }
    }
    // A surface's canonical name, when one of its mentions brought one: a propagated
    // "CHICAGO" gets the "Chicago" of the dateline.
    let mut canonical_of: FastMap<&str, &str> = FastMap::default();
    for m in resolved.iter().filter(|m| m.kind != Kind::Figure) {
        if let Some(c) = m.canonical.as_deref() {
            canonical_of.entry(&text[m.span.clone()]).or_insert(c);
        }
    }
    let mut heads = Vec::with_capacity(resolved.len());
    for m in &resolved {
        let surface = &text[m.span.clone()];
        let (kind, canonical, alias): (Kind, Cow<'_, str>, bool) = if m.kind == Kind::Figure {
            let canonical = m
                .value
                .as_ref()
                .map_or(Cow::Borrowed(surface), |v| Cow::Owned(v.normalized()));
            (Kind::Figure, canonical, false)
        } else if let Some((kind, canonical)) = alias_of.get(surface) {
            (*kind, Cow::Borrowed(canonical.as_str()), canonical != surface)
        } else {
            let kind = kind_of.get(surface).map_or(m.kind, |k| k.0);
            let canonical = m
                .canonical
                .as_deref()
                .or_else(|| canonical_of.get(surface).copied())
                .unwrap_or(surface);
            let alias = canonical != surface;
            (kind, Cow::Borrowed(canonical), alias)
        };
        let subkind = m
            .subkind
            .or_else(|| subkind_of.get(&(kind, &*canonical)).copied());
        heads.push((kind, canonical.into_owned(), alias, subkind));
    }
    // Declarations: the first mention of each (kind, canonical) pair.
    let mut seen: FastMap<(Kind, &str), ()> =
        FastMap::with_capacity_and_hasher(heads.len(), Default::default());
    let mut declarations = Vec::with_capacity(heads.len());
    for (kind, canonical, _, _) in &heads {
        declarations.push(seen.insert((*kind, canonical.as_str()), ()).is_none());
    }
    drop(seen);
    let mut entities = Vec::with_capacity(resolved.len());
    for ((m, (kind, canonical, alias, subkind)), declaration) in
        resolved.into_iter().zip(heads).zip(declarations)
    {
        entities.push(Entity {
            span: m.span,
            kind,
            subkind,
            canonical,
            value: m.value,
            alias,
            declaration,
        });
    }
    entities
}

/// Surfaces of name mentions that are acronyms defined in parentheses right after lower-case
/// words whose initials spell them ("gross national product (GNP)"; connectors such as "of"
/// may be skipped: "balance of payments (BOP)").
fn acronyms_of_terms<'a>(text: &'a str, mentions: &[Mention]) -> Vec<&'a str> {
    let mut terms = Vec::new();
    for m in mentions.iter().filter(|m| m.kind != Kind::Figure) {
        let acronym = &text[m.span.clone()];
        let n = acronym.len();
        if !(2..=8).contains(&n) || !acronym.bytes().all(|b| b.is_ascii_uppercase()) {
            continue;
        }
        let Some(before) = text[..m.span.start].trim_end_matches(' ').strip_suffix('(') else {
            continue;
        };
        if !text[m.span.end..].starts_with(')') {
            continue;
        }
        let mut initials = Vec::with_capacity(n);
        for word in before.split_whitespace().rev().take(n + 3) {
            if initials.len() == n {
                break;
            }
            if matches!(word, "of" | "and" | "for" | "the" | "on" | "in" | "to") {
                continue;
            }
            let first = word.as_bytes()[0];
            if !first.is_ascii_lowercase() {
                break;
            }
            initials.push(first.to_ascii_uppercase());
        }
        initials.reverse();
        if initials.len() == n && initials == acronym.as_bytes() && !terms.contains(&acronym) {
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

/// The canonical name a name mention brings by itself: the gazetteer's, else its surface.
fn name_canonical<'a>(text: &'a str, m: &'a Mention) -> &'a str {
    m.canonical.as_deref().unwrap_or(&text[m.span.clone()])
}

const ORG_SUFFIXES: &[&str] = &[
    "Motors",
    "Motor",
    "Group",
    "Corp",
    "Corp.",
    "Corporation",
    "Inc",
    "Inc.",
    "Co",
    "Co.",
    "Ltd",
    "Ltd.",
    "Company",
    "Holdings",
    "LLC",
    "PLC",
    "plc",
    "AG",
    "SA",
    "GmbH",
    "Industries",
    "International",
];

/// Appends the shorter forms of a name to `res` (`words` is scratch space).
fn shorter_forms<'a>(
    surface: &'a str,
    kind: Kind,
    gazetteer: &Gazetteer,
    words: &mut Vec<&'a str>,
    res: &mut Vec<Cow<'a, str>>,
) {
    if !surface.contains(char::is_whitespace) {
        return;
    }
    words.clear();
    words.extend(surface.split_whitespace());
    match kind {
        Kind::Organization if words.len() >= 2 => {
            let mut n = words.len();
            while n > 1 && ORG_SUFFIXES.contains(&words[n - 1].trim_end_matches(',')) {
                n -= 1;
                res.push(Cow::Owned(words[..n].join(" ")));
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

/// Adds a mention for every word-bounded occurrence of a known surface (longest first at
/// each capitalised word start). Hash lookups at word starts: no per-document automaton build.
/// A surface can only start at a word whose first alphanumeric run is the surface's own
/// first run, so the surfaces are grouped by that run and only one group is compared there.
fn propagate(text: &str, surfaces: &[(&str, Kind)], out: &mut Vec<Mention>) {
    if surfaces.is_empty() {
        return;
    }
    // (first run, surface, kind), grouped by run and longest first inside a group.
    let mut by_run: Vec<(&str, &str, Kind)> = surfaces
        .iter()
        .map(|&(s, k)| {
            (
                &s[..s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len())],
                s,
                k,
            )
        })
        .collect();
    by_run.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.1.len().cmp(&a.1.len())));
    let mut groups: FastMap<&str, Range<usize>> = FastMap::default();
    groups.reserve(by_run.len());
    for (k, (run, _, _)) in by_run.iter().enumerate() {
        groups.entry(run).or_insert(k..k).end = k + 1;
    }
    let bytes = text.as_bytes();
    // A word character before `i` (ASCII ones and the hyphen without decoding).
    let word_before = |i: usize| match bytes[..i].last() {
        None => false,
        Some(&p) if p < 0x80 => ASCII_WORD[usize::from(p)],
        Some(_) => text[..i].chars().next_back().is_some_and(char::is_alphanumeric),
    };
    let mut i = 0;
    while i < bytes.len() {
        // Only a capital after a non-word character can start a surface: skip to the next
        // ASCII capital or non-ASCII character.
        i = next_capital_or_non_ascii(bytes, i);
        let Some(&b) = bytes.get(i) else { break };
        if b < 0x80 {
            if !word_before(i) {
                check_surfaces_at(text, i, 1, &groups, &by_run, out);
            }
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else { break };
        let len = c.len_utf8();
        if c.is_uppercase() && !word_before(i) {
            check_surfaces_at(text, i, len, &groups, &by_run, out);
        }
        i += len;
    }
}

/// The first index at or after `i` of an ASCII capital or a non-ASCII byte (eight bytes at a
/// time, then byte by byte), or `bytes.len()`.
fn next_capital_or_non_ascii(bytes: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*chunk);
        // Per byte, with the high bit cleared (so no carry into the next byte): adding 0x3f
        // sets the high bit from 'A' (0x41) on, adding 0x25 from '[' (0x5b) on.
        let low = w & !HIGH;
        let capital = (low + 0x3f3f_3f3f_3f3f_3f3f) & !(low + 0x2525_2525_2525_2525);
        let hits = (w | capital) & HIGH;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !CAPITAL_OR_NON_ASCII[usize::from(bytes[i])] {
        i += 1;
    }
    i
}

/// Adds the longest known surface at the word start `i` (its first character `len` bytes
/// long) when the word's first alphanumeric run begins one and it is word-bounded.
fn check_surfaces_at(
    text: &str,
    i: usize,
    len: usize,
    groups: &FastMap<&str, Range<usize>>,
    by_run: &[(&str, &str, Kind)],
    out: &mut Vec<Mention>,
) {
    let bytes = text.as_bytes();
    let mut run_end = i + len;
    while run_end < bytes.len() {
        let b = bytes[run_end];
        if b.is_ascii_alphanumeric() {
            run_end += 1;
        } else if b.is_ascii() {
            break;
        } else {
            match text[run_end..].chars().next() {
                Some(c) if c.is_alphanumeric() => run_end += c.len_utf8(),
                _ => break,
            }
        }
    }
    let Some(group) = groups.get(&text[i..run_end]) else {
        return;
    };
    // Longest first: the first surface that the text continues with and that ends before a
    // non-alphanumeric character (or with a full stop) is the one. A candidate never reaches
    // past a blank line ("\n\n").
    let rest = &text[i..];
    let found = by_run[group.clone()].iter().find(|(_, s, _)| {
        rest.starts_with(s)
            && (s.ends_with('.') || !rest[s.len()..].chars().next().is_some_and(char::is_alphanumeric))
            && !(s.contains('\n')
                && rest.as_bytes()[..(s.len() + 1).min(rest.len())]
                    .windows(2)
                    .any(|w| w == b"\n\n"))
    });
    if let Some(&(_, s, kind)) = found {
        let span = i..i + s.len();
        if is_word_bounded(text, &span) {
            out.push(Mention {
                span,
                kind,
                subkind: None,
                canonical: None,
                value: None,
                confidence: PROPAGATED_CONFIDENCE,
            });
        }
    }
}

fn is_word_bounded(text: &str, span: &Range<usize>) -> bool {
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric() || c == '-')
        && !after.is_some_and(|c| c.is_alphanumeric() || c == '-')
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
