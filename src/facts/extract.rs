//! The grammar: sentences as tokens (words, punctuation, the recogniser's entities), claims
//! from figures with a measure word and one subject, and the arithmetic of stated changes and
//! totals. Every rule bails out (no claim, no finding) when the sentence is not plainly one of
//! the shapes below.
//!
//! Claims: `[subject] … [modifier] MEASURE (linking words, names, dates) FIGURE`, or
//! `FIGURE employees/staff` (or `workers`/`people` with an `employ…` word), or
//! `FIGURE stake/holding`. The figure must be a level (not after `from`/`vs`/`by`, not a
//! change amount `rose 25 pct to`, not a rate `dlrs a share`). Sentences with forecast words
//! (`expects`, `will`, `plans`, …), subsidiary words (`unit`, `subsidiary`, …) or, for
//! flows, sub-period words without a resolved date (`quarter`, `nine months`) give no claims.
//!
//! Changes: `VERB [by] [P] to X from Y`, `VERB [P] from Y to X` (or the range `from Y to X`),
//! followed optionally by `, or P` / `, a P increase` / `, up P`. P is a percent (relative,
//! or absolute points when X and Y are percents), percentage points, or an amount in X's
//! unit (`fell 1/2 to 30 from 31`). Without P, only the direction is checked.
//!
//! Totals: `TOTAL, [of which|including] A words, B words and C words`: flagged when the parts
//! exceed the total (a breakdown may be partial, so fewer is not an error).

use std::ops::Range;

use chrono::NaiveDate;

use super::{Claim, Facts, Finding, FindingKind, Measure, Period, period_label, subject_key};
use crate::recognize::{Bound, Entity, Kind, Subkind, Value};

/// The values a figure's wording allows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    /// How far apart two intervals are (0 when they meet).
    fn gap(self, other: Interval) -> f64 {
        (other.lo - self.hi).max(self.lo - other.hi).max(0.0)
    }
}

#[derive(Clone, Debug)]
enum Tok<'a> {
    /// Lower-cased word (a slice of the article's lower-cased copy) and its bytes.
    Word(&'a str, Range<usize>),
    Punct(u8),
    /// Index into the entities.
    Ent(usize),
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "inc", "corp", "co", "ltd", "no", "vs", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "gov", "sen", "rep", "gen", "col", "lt",
    "jr", "sr", "bros", "dlr", "dlrs", "pct", "approx", "est",
];

const UP: &[&str] = &[
    "rose",
    "rise",
    "rises",
    "rising",
    "increased",
    "increase",
    "increases",
    "increasing",
    "gained",
    "gain",
    "gains",
    "climbed",
    "climb",
    "climbs",
    "jumped",
    "jump",
    "jumps",
    "grew",
    "grow",
    "grows",
    "advanced",
    "up",
    "surged",
    "soared",
    "improved",
    "firmed",
    "boosted",
    "raised",
    "lifted",
    "expanded",
    "rebounded",
    "recovered",
];
const DOWN: &[&str] = &[
    "fell",
    "fall",
    "falls",
    "falling",
    "dropped",
    "drop",
    "drops",
    "declined",
    "decline",
    "declines",
    "declining",
    "decreased",
    "decrease",
    "decreases",
    "down",
    "slipped",
    "slumped",
    "plunged",
    "tumbled",
    "eased",
    "dipped",
    "reduced",
    "lowered",
    "contracted",
    "shrank",
    "sank",
    "slid",
    "plummeted",
];
const CHANGE_NOUN_UP: &[&str] = &[
    "increase",
    "rise",
    "gain",
    "jump",
    "growth",
    "improvement",
    "advance",
];
const CHANGE_NOUN_DOWN: &[&str] = &["decrease", "decline", "drop", "fall", "reduction", "loss", "cut"];
const FORECAST: &[&str] = &[
    "expect",
    "expects",
    "expected",
    "expecting",
    "forecast",
    "forecasts",
    "forecasting",
    "project",
    "projects",
    "projected",
    "projection",
    "projections",
    "estimate",
    "estimates",
    "target",
    "targets",
    "plan",
    "plans",
    "planned",
    "planning",
    "will",
    "would",
    "could",
    "may",
    "might",
    "should",
    "can",
    "seek",
    "seeks",
    "sought",
    "propose",
    "proposes",
    "proposed",
    "offer",
    "offers",
    "offered",
    "bid",
    "bids",
    "tender",
    "if",
    "budget",
    "budgeted",
    "anticipate",
    "anticipated",
    "predict",
    "predicted",
    "aim",
    "aims",
    "goal",
    "hope",
    "hopes",
    "want",
    "wants",
    "intend",
    "intends",
    "potential",
    "possible",
    "not",
    "unless",
    "pro",
    "forma",
    "restated",
    "adjusted",
];
const SUBSIDIARY: &[&str] = &[
    "unit",
    "units",
    "subsidiary",
    "subsidiaries",
    "division",
    "divisions",
    "affiliate",
    "affiliates",
    "affiliated",
    "parent",
    "venture",
    "ventures",
    "branch",
    "branches",
    "combined",
    "merged",
    "business",
    "businesses",
    "segment",
    "segments",
    "operations",
    "sector",
    "arm",
    "including",
    "excluding",
];
const SUB_PERIOD: &[&str] = &[
    "quarter", "quarters", "qtr", "qtrs", "half", "months", "mths", "month", "weeks", "week", "period",
    "season", "ended", "ending", "through", "ytd", "first", "second", "third", "fourth", "1st", "2nd", "3rd",
    "4th", "six", "nine", "since", "between",
];
const STAKE_CHANGE: &[&str] = &[
    "buy",
    "buys",
    "bought",
    "buying",
    "acquire",
    "acquired",
    "acquires",
    "acquiring",
    "sell",
    "sells",
    "sold",
    "selling",
    "raise",
    "raised",
    "raising",
    "increase",
    "increased",
    "lift",
    "lifted",
    "cut",
    "reduced",
    "reduce",
    "boosted",
    "purchase",
    "purchased",
    "additional",
    "further",
    "another",
    "swap",
    "exchange",
    "convert",
    "take",
    "taking",
    "took",
    "agreed",
    "agreement",
    "option",
];
const NOT_WORKFORCE: &[&str] = &[
    "strike",
    "strikes",
    "striking",
    "struck",
    "laid",
    "lay",
    "layoff",
    "layoffs",
    "lose",
    "losing",
    "cut",
    "cuts",
    "cutting",
    "dismiss",
    "dismissed",
    "fire",
    "fired",
    "hire",
    "hired",
    "hiring",
    "retire",
    "retired",
    "retirement",
    "redundant",
    "redundancies",
    "protest",
    "protested",
    "march",
    "walkout",
    "evacuated",
    "killed",
    "injured",
    "dead",
    "died",
    "arrested",
    "new",
    "more",
    "additional",
    "another",
    "extra",
    "jobs",
    "eliminate",
    "eliminated",
    "reduce",
    "reduced",
    "reduction",
    "transfer",
    "transferred",
    "union",
    "members",
    "represents",
    "representing",
];
/// Words that may stand between a measure word and its figure.
const LINKS: &[&str] = &[
    "of",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "at",
    "to",
    "totalled",
    "totaled",
    "totalling",
    "totaling",
    "total",
    "totals",
    "amounted",
    "amounting",
    "amounts",
    "reached",
    "reaching",
    "rose",
    "fell",
    "increased",
    "decreased",
    "climbed",
    "dropped",
    "declined",
    "grew",
    "jumped",
    "gained",
    "stood",
    "stands",
    "came",
    "in",
    "for",
    "its",
    "their",
    "the",
    "a",
    "an",
    "hit",
    "reported",
    "record",
    "now",
    "currently",
    "has",
    "had",
    "have",
    "holds",
    "held",
    "about",
    "approximately",
    "around",
    "nearly",
    "almost",
    "some",
    "roughly",
    "over",
    "more",
    "than",
    "less",
    "under",
    "up",
    "down",
    "by",
    "year",
    "calendar",
    "fiscal",
];
/// Words before a measure word that are not a modifier of it.
const NOT_MODIFIER: &[&str] = &[
    "its",
    "their",
    "his",
    "her",
    "our",
    "the",
    "a",
    "an",
    "total",
    "annual",
    "yearly",
    "consolidated",
    "group",
    "company",
    "year",
    "record",
    "gross",
    "current",
    "this",
    "last",
    "reported",
    "said",
    "of",
    "in",
    "for",
    "on",
    "at",
    "with",
    "that",
    "which",
    "and",
    "fiscal",
    "calendar",
    "quarterly",
    "overall",
    "combined",
    "worldwide",
    "world",
    "global",
    "domestic",
    "latest",
    "full",
    "to",
    "from",
    "by",
    "as",
    "was",
    "were",
    "is",
    "are",
    "had",
    "has",
    "have",
    "it",
    "net",
    "operating",
    "pre-tax",
    "pretax",
    "market",
    "work",
    "higher",
    "lower",
    "whose",
    "where",
];

fn is_word(t: Option<&Tok>, words: &[&str]) -> bool {
    matches!(t, Some(Tok::Word(w, _)) if words.contains(w))
}

fn word<'a>(t: Option<&Tok<'a>>) -> Option<&'a str> {
    match t {
        Some(Tok::Word(w, _)) => Some(w),
        _ => None,
    }
}

/// The tokens of one paragraph, cut into sentences.
fn sentences<'a>(
    text: &str,
    lower: &'a str,
    para: Range<usize>,
    entities: &[Entity],
    first: &mut usize,
) -> Vec<Vec<Tok<'a>>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut cur: Vec<Tok<'a>> = Vec::new();
    let mut i = para.start;
    while *first < entities.len() && entities[*first].span.start < para.start {
        *first += 1;
    }
    let mut e = *first;
    while i < para.end {
        if e < entities.len() && entities[e].span.start <= i {
            if entities[e].span.start == i || entities[e].span.end > i {
                cur.push(Tok::Ent(e));
                i = i.max(entities[e].span.end);
            }
            e += 1;
            continue;
        }
        let next_ent = entities.get(e).map_or(para.end, |x| x.span.start.min(para.end));
        let c = b[i];
        if c.is_ascii_alphanumeric() || c >= 0x80 {
            let start = i;
            while i < next_ent {
                let c = b[i];
                let inner = (c == b'.' || c == b'\'' || c == b'-' || c == b'/' || c == b',')
                    && b.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric())
                    && i > start;
                if c.is_ascii_alphanumeric() || c >= 0x80 || c == b'&' || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            if let Some(w) = lower.get(start..i) {
                cur.push(Tok::Word(w, start..i));
            }
            continue;
        }
        if matches!(c, b'.' | b'!' | b'?') {
            let prev_abbrev =
                matches!(cur.last(), Some(Tok::Word(w, r)) if ABBREVIATIONS.contains(w) || r.len() == 1);
            let mut j = i + 1;
            while j < para.end && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let next_lower = b.get(j).is_some_and(|n| n.is_ascii_lowercase());
            if (!prev_abbrev && !next_lower || j >= para.end) && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            i += 1;
            continue;
        }
        if matches!(c, b',' | b';' | b':' | b'(' | b')' | b'"' | b'-') {
            cur.push(Tok::Punct(c));
        }
        i += 1;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    *first = e;
    // A dateline (`LONDON, March 2 -`) is not part of the first sentence.
    if let Some(s) = out.first_mut()
        && let Some(dash) = s.iter().take(10).position(|t| matches!(t, Tok::Punct(b'-')))
        && s[..dash].iter().all(|t| match t {
            Tok::Word(_, r) => b
                .get(r.start)
                .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            Tok::Ent(i) => entities.get(*i).is_some_and(|x| x.kind != Kind::Organization),
            Tok::Punct(_) => true,
        })
    {
        s.drain(..=dash);
    }
    out
}

pub(super) fn analyze(text: &str, entities: &[Entity], date: Option<NaiveDate>) -> Facts {
    let mut facts = Facts::default();
    if !entities.iter().any(|e| e.kind == Kind::Figure) {
        return facts;
    }
    let mut first = 0;
    // ASCII lower case keeps every byte offset: words are slices of this copy.
    let lower = text.to_ascii_lowercase();
    // Earnings tables: the headline's one company, the period of the headline or of the
    // last period header (`Year`, `Nine mths`).
    let mut title_subject: Option<String> = None;
    let mut label: Option<u8> = None;
    for (n, para) in crate::recognize::paragraphs(text).enumerate() {
        // Only the headline, short lines (table period headers) and paragraphs with a level
        // figure are read.
        if n > 0 && para.len() > 40 {
            let mut k = first;
            while k < entities.len() && entities[k].span.start < para.start {
                k += 1;
            }
            let any = entities[k..]
                .iter()
                .take_while(|e| e.span.start < para.end)
                .any(is_level_figure);
            if !any {
                continue;
            }
        }
        let sents = sentences(text, &lower, para.clone(), entities, &mut first);
        if n == 0 {
            let mut orgs: Vec<&str> = Vec::new();
            for t in sents.iter().flatten() {
                if let Tok::Ent(i) = t
                    && let Some(x) = entities.get(*i)
                    && x.kind == Kind::Organization
                    && !orgs.contains(&x.canonical.as_str())
                {
                    orgs.push(&x.canonical);
                }
            }
            let _ = orgs;
            title_subject = text.get(para.clone()).and_then(headline_company);
            label = period_label(&words_of(text, entities, sents.iter().flatten()), true);
            continue;
        }
        if let [line] = sents.as_slice() {
            let level_figures = line
                .iter()
                .filter(|t| matches!(t, Tok::Ent(i) if is_level_figure(&entities[*i])))
                .count();
            if level_figures == 0 && line.len() <= 6 {
                if let Some(l) = period_label(&words_of(text, entities, line.iter()), true) {
                    label = Some(l);
                }
                continue;
            }
            if let (Some(subject), Some(l), Some(date)) = (title_subject.as_deref(), label, date)
                && let Some(c) = table_claim(text, entities, line, subject, l, date)
            {
                facts.claims.push(c);
                continue;
            }
        }
        for sent in sents {
            if !sent
                .iter()
                .any(|t| matches!(t, Tok::Ent(i) if is_level_figure(&entities[*i])))
            {
                continue;
            }
            let s = Sent {
                toks: &sent,
                entities,
                text,
                flags: sentence_flags(&sent),
            };
            s.claims(date, &mut facts.claims);
            s.changes(&mut facts.findings);
            s.totals(&mut facts.findings);
        }
    }
    facts
}

/// The company of an earnings headline, from the wire-service convention rather than from
/// name recognition (headlines are capitals): `NAME <TICKER> 4TH QTR NET` gives
/// `NAME <TICKER>` (the ticker without its exchange suffix, so that two companies of one name
/// stay apart), `<NAME> YEAR NET` gives `NAME`, `NAME YEAR NET` the words before the period
/// words; a correction prefix `(CORRECTED) -` is dropped. `None` unless 1 to 6 words.
pub(super) fn headline_company(title: &str) -> Option<String> {
    let title = title.trim();
    let title = match title.split_once(") - ") {
        Some((pre, rest)) if pre.starts_with('(') => rest,
        _ => title,
    };
    let (name, ticker) = match title.split_once('<') {
        Some((before, rest)) => {
            let (inside, _) = rest.split_once('>')?;
            if before.trim().is_empty() {
                (inside, None)
            } else {
                (before, inside.split('.').next())
            }
        }
        None => {
            const PERIOD: &[&str] = &[
                "1ST", "2ND", "3RD", "4TH", "YEAR", "NINE", "SIX", "FIRST", "SECOND", "THIRD", "FOURTH",
                "QTR", "HALF",
            ];
            let cut = title.split_whitespace().position(|w| PERIOD.contains(&w))?;
            let end = title.split_whitespace().nth(cut).and_then(|w| title.find(w))?;
            (&title[..end], None)
        }
    };
    let name = name.trim().trim_end_matches(['-', ',', ' ']);
    let words = name.split_whitespace().count();
    if !(1..=6).contains(&words) || !name.chars().any(|c| c.is_alphabetic()) {
        return None;
    }
    Some(match ticker {
        Some(t) if !t.trim().is_empty() => format!("{name} <{}>", t.trim()),
        _ => name.to_string(),
    })
}

/// The lower-case words of `toks`, the words of date figures (`nine months`) included.
fn words_of<'a, 't>(text: &str, entities: &[Entity], toks: impl Iterator<Item = &'t Tok<'a>>) -> Vec<String>
where
    'a: 't,
{
    let mut out = Vec::new();
    for t in toks {
        match t {
            Tok::Word(w, _) => out.push(w.to_string()),
            Tok::Ent(i) => {
                if let Some(e) = entities.get(*i).filter(|e| e.subkind == Some(Subkind::Date)) {
                    out.extend(e.text(text).split_whitespace().map(str::to_lowercase));
                }
            }
            Tok::Punct(_) => {}
        }
    }
    out
}

/// `Net 53.5 mln vs 180.9 mln`, `Revs 915.5 mln vs 836.0 mln`: a table line's current figure.
fn table_claim(
    text: &str,
    entities: &[Entity],
    line: &[Tok],
    subject: &str,
    label: u8,
    date: NaiveDate,
) -> Option<Claim> {
    let at = line.iter().position(|t| matches!(t, Tok::Ent(_)))?;
    if at == 0 || at > 3 || !is_word(line.get(at + 1), &["vs", "vs.", "versus"]) {
        return None;
    }
    let Tok::Word(_, first) = &line[0] else {
        return None;
    };
    if !text
        .as_bytes()
        .get(first.start)
        .is_some_and(u8::is_ascii_uppercase)
    {
        return None;
    }
    let words: Vec<&str> = line[..at].iter().filter_map(|t| word(Some(t))).collect();
    if words.len() != at {
        return None;
    }
    let measure = match words.as_slice() {
        ["net"] | ["net", "profit" | "income" | "earnings"] => Measure::NetIncome,
        ["net", "loss"] | ["loss"] => Measure::NetLoss,
        ["revs" | "revenues" | "revenue" | "turnover"] | ["total", "revs" | "revenues"] => Measure::Revenue,
        ["sales"] | ["net", "sales"] => Measure::Sales,
        ["profit"] => Measure::Profit,
        ["shr"] | ["shr", "profit"] => Measure::EarningsPerShare,
        ["shr", "loss"] | ["loss", "per", "shr"] => Measure::LossPerShare,
        ["oper", "net"] | ["oper", "net", "profit"] => Measure::OperatingNet,
        ["pretax" | "pre-tax", "profit"] => Measure::PretaxProfit,
        _ => return None,
    };
    let Tok::Ent(i) = &line[at] else { return None };
    let e = entities.get(*i).filter(|e| is_level_figure(e))?;
    let value = e.value.as_ref()?;
    let n = num_of(value)?;
    if n.unit == "%" || n.high.is_some() {
        return None;
    }
    let iv = interval_of(e.text(text), value, [None, None])?;
    Some(Claim {
        span: e.span.start as u32..e.span.end as u32,
        subject: subject.into(),
        qualifiers: Box::new([]),
        measure,
        unit: "".into(),
        period: Period::Reported { label, date },
        lo: iv.lo,
        hi: iv.hi,
        shown: e.text(text).into(),
    })
}

fn is_level_figure(e: &Entity) -> bool {
    e.kind == Kind::Figure
        && matches!(
            e.subkind,
            Some(Subkind::Money | Subkind::Count | Subkind::Quantity | Subkind::Percent)
        )
        && e.value.is_some()
}

struct Sent<'a> {
    toks: &'a [Tok<'a>],
    entities: &'a [Entity],
    text: &'a str,
    /// The word lists the sentence has words of (`F_*`).
    flags: u8,
}

const F_FORECAST: u8 = 1;
const F_SUBSIDIARY: u8 = 2;
const F_STAKE_CHANGE: u8 = 4;
const F_NOT_WORKFORCE: u8 = 8;
const F_SUB_PERIOD: u8 = 16;
const F_FISCAL: u8 = 32;
const F_CURRENCY: u8 = 64;
const F_OTHER_YEAR: u8 = 128;

/// Which word lists a lower-case word is in (one lookup per word of a sentence).
fn word_flags(w: &str) -> u8 {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, u8>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = std::collections::HashMap::new();
        let lists: [(&[&'static str], u8); 8] = [
            (FORECAST, F_FORECAST),
            (SUBSIDIARY, F_SUBSIDIARY),
            (STAKE_CHANGE, F_STAKE_CHANGE),
            (NOT_WORKFORCE, F_NOT_WORKFORCE),
            (SUB_PERIOD, F_SUB_PERIOD),
            (&["fiscal"], F_FISCAL),
            (&["against", "yen", "dollar", "exchange", "currency"], F_CURRENCY),
            (
                &[
                    "year-ago",
                    "year-earlier",
                    "earlier",
                    "ago",
                    "previous",
                    "prior",
                    "respectively",
                    "last",
                    "compared",
                ],
                F_OTHER_YEAR,
            ),
        ];
        for (list, flag) in lists {
            for w in list {
                *t.entry(*w).or_insert(0) |= flag;
            }
        }
        t
    });
    let flags = table.get(w).copied().unwrap_or(0);
    // A month's name marks a sub-period too ("the March quarter"); not "may", the verb.
    if w != "may" && crate::recognize::figures::is_full_month_name(w) {
        flags | F_SUB_PERIOD
    } else {
        flags
    }
}

fn sentence_flags(toks: &[Tok]) -> u8 {
    toks.iter()
        .filter_map(|t| word(Some(t)))
        .fold(0, |acc, w| acc | word_flags(w))
}

/// A figure's amount(s) and unit, for arithmetic.
#[derive(Clone, Debug)]
struct Num {
    low: f64,
    high: Option<f64>,
    /// `USD`, `t`, `%`, `pp`, `#noun` for counts with a noun, `` for bare counts.
    unit: String,
    bound: Option<Bound>,
}

fn num_of(v: &Value) -> Option<Num> {
    let (low, high, unit, bound) = match v {
        Value::Money {
            amount,
            high,
            currency,
            bound,
        } => (*amount, *high, currency.clone(), *bound),
        Value::Percent { low, high, bound } => (*low, *high, "%".to_string(), *bound),
        Value::Quantity {
            amount,
            high,
            unit,
            bound,
        } => (*amount, *high, unit.clone(), *bound),
        Value::Count {
            amount,
            high,
            noun,
            bound,
        } => (
            *amount,
            *high,
            noun.as_ref().map_or(String::new(), |n| format!("#{n}")),
            *bound,
        ),
        _ => return None,
    };
    (low.is_finite() && high.is_none_or(f64::is_finite)).then_some(Num {
        low,
        high,
        unit,
        bound,
    })
}

/// The number tokens written in a figure's text: (value, unit of the last digit written).
fn written_numbers(surface: &str) -> Vec<(f64, f64)> {
    let b = surface.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len()
            && (b[i].is_ascii_digit()
                || (matches!(b[i], b'.' | b',' | b'/' | b'-')
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        let tok = &surface[start..i];
        if let Some(parsed) = parse_number(tok) {
            out.push(parsed);
        }
    }
    out
}

fn parse_number(tok: &str) -> Option<(f64, f64)> {
    // "30-1/2", "1/2", "1,234.5".
    if let Some((whole, frac)) = tok.split_once('/') {
        let (int, num) = match whole.rsplit_once('-') {
            Some((int, num)) => (
                int.replace(',', "").parse::<f64>().ok()?,
                num.parse::<f64>().ok()?,
            ),
            None => (0.0, whole.parse::<f64>().ok()?),
        };
        let den: f64 = frac.parse().ok()?;
        if den <= 0.0 {
            return None;
        }
        return Some((int + num / den, 1.0 / den));
    }
    let tok = tok.split('-').next_back()?;
    let plain = tok.replace(',', "");
    let value: f64 = plain.parse().ok()?;
    let decimals = plain.split_once('.').map_or(0, |(_, d)| d.len());
    if decimals == 0 && value >= 100_000.0 {
        // `149,000 tonnes`, `1,279,000`: large round numbers are rounded to the thousand
        // at most (whole numbers below that are taken as written).
        let zeros = plain.len() - plain.trim_end_matches('0').len();
        return Some((value, 10f64.powi(zeros.min(3) as i32)));
    }
    Some((value, 10f64.powi(-(decimals as i32))))
}

const ABOUT: &[&str] = &[
    "about",
    "approximately",
    "approx",
    "around",
    "roughly",
    "some",
    "nearly",
    "almost",
    "estimated",
    "circa",
    "est",
];
const AT_LEAST: &[&str] = &["over", "above", "exceeding", "exceeds", "upwards"];
const AT_MOST: &[&str] = &["under", "below"];

/// The interval a figure's wording allows: its value(s) ± half a unit of the last digit
/// written, widened by ±5 % for `about`-words and opened on one side for `more than` /
/// `up to` (from the value's bound or the two words before the figure).
pub fn interval_of(surface: &str, value: &Value, before: [Option<&str>; 2]) -> Option<Interval> {
    let n = num_of(value)?;
    let written = written_numbers(surface);
    let half = |amount: f64, tok: Option<&(f64, f64)>| match tok {
        Some(&(v, unit)) if v > 0.0 => (unit * amount / v / 2.0).abs(),
        _ => (amount * 0.05).abs(),
    };
    let high = n.high.unwrap_or(n.low);
    let mut lo = n.low - half(n.low, written.first());
    let mut hi = high + half(high, written.last());
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    let [w1, w2] = before;
    let bound = n.bound.or_else(|| {
        let pair = (w2, w1);
        if w1.is_some_and(|w| ABOUT.contains(&w)) {
            Some(Bound::About)
        } else if w1.is_some_and(|w| AT_LEAST.contains(&w))
            || matches!(
                pair,
                (Some("more" | "greater" | "higher"), Some("than")) | (Some("at"), Some("least"))
            )
        {
            Some(Bound::AtLeast)
        } else if w1.is_some_and(|w| AT_MOST.contains(&w))
            || matches!(
                pair,
                (Some("less" | "fewer" | "lower"), Some("than")) | (Some("up" | "at"), Some("to" | "most"))
            )
        {
            Some(Bound::AtMost)
        } else {
            None
        }
    });
    match bound {
        Some(Bound::About) => {
            lo = lo.min(lo * 0.95);
            hi = hi.max(hi * 1.05);
        }
        Some(Bound::AtLeast) => hi = f64::INFINITY,
        Some(Bound::AtMost) => lo = f64::NEG_INFINITY,
        _ => {}
    }
    Some(Interval { lo, hi })
}

impl Sent<'_> {
    fn fig(&self, at: usize) -> Option<&Entity> {
        match self.toks.get(at) {
            Some(Tok::Ent(i)) => self.entities.get(*i).filter(|e| is_level_figure(e)),
            _ => None,
        }
    }

    fn ent(&self, at: usize) -> Option<&Entity> {
        match self.toks.get(at) {
            Some(Tok::Ent(i)) => self.entities.get(*i),
            _ => None,
        }
    }

    fn word(&self, at: usize) -> Option<&str> {
        word(self.toks.get(at))
    }

    fn before(&self, at: usize, k: usize) -> Option<&str> {
        at.checked_sub(k).and_then(|i| self.word(i))
    }

    /// True when the sentence has a word of one of the lists in `mask`.
    fn has(&self, mask: u8) -> bool {
        self.flags & mask != 0
    }

    fn interval(&self, at: usize) -> Option<Interval> {
        let e = self.fig(at)?;
        interval_of(
            e.text(self.text),
            e.value.as_ref()?,
            [self.before(at, 1), self.before(at, 2)],
        )
    }

    fn span(&self, at: usize) -> Range<u32> {
        self.ent(at)
            .map_or(0..0, |e| e.span.start as u32..e.span.end as u32)
    }

    fn direction(&self, w: &str) -> Option<f64> {
        if UP.contains(&w) {
            Some(1.0)
        } else if DOWN.contains(&w) {
            Some(-1.0)
        } else {
            None
        }
    }

    // ---- claims ----

    fn claims(&self, date: Option<NaiveDate>, out: &mut Vec<Claim>) {
        if self.has(F_FORECAST | F_SUBSIDIARY) {
            return;
        }
        for p in 0..self.toks.len() {
            if let Some(c) = self.claim_at(p, date) {
                out.push(c);
            }
        }
    }

    fn claim_at(&self, p: usize, date: Option<NaiveDate>) -> Option<Claim> {
        let e = self.fig(p)?;
        let value = e.value.as_ref()?;
        let n = num_of(value)?;
        let prev = self.before(p, 1);
        let next = self.word(p + 1);
        // Not a level: an old level, a comparison, a change amount, a rate.
        if prev.is_some_and(|w| {
            matches!(
                w,
                "from" | "vs" | "versus" | "against" | "compared" | "with" | "by" | "than" | "earlier"
            ) || UP.contains(&w) && w != "up"
                || DOWN.contains(&w) && w != "down"
        }) {
            return None;
        }
        if prev == Some("of")
            && self
                .before(p, 2)
                .is_some_and(|w| CHANGE_NOUN_UP.contains(&w) || CHANGE_NOUN_DOWN.contains(&w))
        {
            return None;
        }
        if next == Some("to") && self.fig(p + 2).is_some() {
            return None;
        }
        if next.is_some_and(|w| {
            CHANGE_NOUN_UP.contains(&w)
                || CHANGE_NOUN_DOWN.contains(&w)
                || matches!(
                    w,
                    "higher"
                        | "lower"
                        | "more"
                        | "less"
                        | "up"
                        | "down"
                        | "a"
                        | "per"
                        | "an"
                        | "each"
                        | "below"
                        | "above"
                )
        }) {
            return None;
        }
        if n.unit == "%" && next == Some("of") {
            return None;
        }
        if n.high.is_some()
            && self.ent(p).is_some_and(|e| e.text(self.text).contains(" to "))
            && prev == Some("from")
        {
            return None;
        }
        let measure = self.measure_at(p, &n)?;
        let (measure, modifier) = measure;
        if measure == Measure::Stake && (self.has(F_STAKE_CHANGE) || n.unit != "%") {
            return None;
        }
        if measure == Measure::Employees && self.has(F_NOT_WORKFORCE) {
            return None;
        }
        if measure == Measure::MarketShare && n.unit != "%" {
            return None;
        }
        // Period.
        let mut spans: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        let mut untimed = false;
        let mut any_date = false;
        for t in self.toks {
            if let Tok::Ent(i) = t
                && let Some(d) = self.entities.get(*i)
                && d.kind == Kind::Figure
                && d.subkind == Some(Subkind::Date)
            {
                any_date = true;
                match &d.value {
                    Some(Value::Date { range, bound: None }) if range.start != range.end => {
                        if !spans.contains(&(range.start, range.end)) {
                            spans.push((range.start, range.end));
                        }
                    }
                    Some(Value::Date { .. }) => {}
                    _ => untimed = true,
                }
            }
        }
        let fiscal = self.has(F_FISCAL);
        let words = words_of(self.text, self.entities, self.toks.iter());
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let reported = if spans.is_empty() && !measure.is_stock() {
            period_label(&words, false)
        } else {
            None
        };
        let period = match (spans.as_slice(), measure.is_stock(), reported) {
            ([], false, Some(label)) => Period::Reported { label, date: date? },
            ([(start, end)], _, _) => Period::Span {
                start: *start,
                end: *end,
                fiscal,
            },
            ([], true, _) => Period::AsOf(date?),
            _ => return None,
        };
        if !measure.is_stock() && reported.is_none() && (untimed || self.has(F_SUB_PERIOD)) {
            return None;
        }
        // A stock with a date in its sentence (`at the end of September`, `as of June 30`)
        // is not as of the article's date; a quarter without its year next to `year-ago`,
        // `last year's` or `respectively` may be another year's.
        if measure.is_stock() && any_date {
            return None;
        }
        if (measure.is_stock() || reported.is_some()) && self.has(F_OTHER_YEAR) {
            return None;
        }
        if modifier
            .as_deref()
            .is_some_and(|m| matches!(m, "shr" | "share" | "per"))
        {
            return None;
        }
        // Subject.
        let mut orgs: Vec<&str> = Vec::new();
        let mut places: Vec<&str> = Vec::new();
        let mut any_org = false;
        for (q, t) in self.toks.iter().enumerate() {
            if let Tok::Ent(i) = t
                && let Some(x) = self.entities.get(*i)
            {
                let list = match x.kind {
                    Kind::Organization => {
                        any_org = true;
                        &mut orgs
                    }
                    Kind::Place => &mut places,
                    _ => continue,
                };
                if q < p && !list.contains(&x.canonical.as_str()) {
                    list.push(&x.canonical);
                }
            }
        }
        let subject = match (orgs.as_slice(), places.as_slice()) {
            ([one], _) => *one,
            ([], [one]) if !any_org => *one,
            _ => return None,
        };
        // A place is the subject only as a country or region (not a dateline's city).
        if orgs.is_empty()
            && !self.toks.iter().any(|t| {
                matches!(t, Tok::Ent(i) if self.entities.get(*i).is_some_and(|x| x.canonical == subject
                    && matches!(x.subkind, Some(Subkind::Country | Subkind::Region))))
            })
        {
            return None;
        }
        // `The Central Bank said the debt was …`: an organisation that reports a figure
        // without `its` is the source, not the subject.
        let subject_at = self.toks.iter().position(
            |t| matches!(t, Tok::Ent(i) if self.entities.get(*i).is_some_and(|x| x.canonical == subject)),
        );
        if let Some(s) = subject_at {
            let between = &self.toks[s..p];
            let reports = between.iter().any(|t| {
                is_word(
                    Some(t),
                    &["said", "says", "reported", "show", "showed", "shows", "estimated"],
                )
            });
            let its = between
                .iter()
                .any(|t| is_word(Some(t), &["its", "their", "it", "the company's", "it's"]));
            if reports && !its && !orgs.is_empty() {
                return None;
            }
        }
        // A common word taken for a company's name (`Total assets`).
        if matches!(
            subject_key(subject).as_str(),
            "total" | "net" | "group" | "sales" | "revenue" | "profit"
        ) {
            return None;
        }
        let mut qualifiers: Vec<Box<str>> = self
            .toks
            .iter()
            .filter_map(|t| match t {
                Tok::Ent(i) => self.entities.get(*i),
                _ => None,
            })
            .filter(|x| x.kind != Kind::Figure && x.canonical != subject)
            .map(|x| format!("n:{}", subject_key(&x.canonical)).into_boxed_str())
            .collect();
        if let Some(m) = modifier {
            qualifiers.push(format!("m:{m}").into_boxed_str());
        }
        qualifiers.sort_unstable();
        qualifiers.dedup();
        let iv = self.interval(p)?;
        let unit = if n.unit.starts_with('#') {
            String::new()
        } else {
            n.unit
        };
        Some(Claim {
            span: self.span(p),
            subject: subject.into(),
            qualifiers: qualifiers.into_boxed_slice(),
            measure,
            unit: unit.into_boxed_str(),
            period,
            lo: iv.lo,
            hi: iv.hi,
            shown: e.text(self.text).into(),
        })
    }

    /// The measure of the figure at `p` and the word modifying it (`oil` in `oil exports`).
    fn measure_at(&self, p: usize, n: &Num) -> Option<(Measure, Option<String>)> {
        // FIGURE employees / FIGURE stake.
        if let Some(noun) = n.unit.strip_prefix('#') {
            let employ = self.toks.iter().any(|t| matches!(t, Tok::Word(w, _) if w.starts_with("employ") || *w == "workforce" || *w == "payroll"));
            return match noun {
                "employees" | "employee" | "staff" => Some((Measure::Employees, None)),
                "workers" | "people" | "persons" if employ => Some((Measure::Employees, None)),
                _ => None,
            };
        }
        if n.unit == "%" {
            for k in 1..=2 {
                match self.word(p + k) {
                    Some("stake" | "holding" | "shareholding") => return Some((Measure::Stake, None)),
                    Some("interest") if self.word(p + k + 1) == Some("in") => {
                        return Some((Measure::Stake, None));
                    }
                    Some(w) if k == 1 && matches!(w, "equity" | "voting" | "ownership") => continue,
                    _ => break,
                }
            }
        }
        if n.unit.is_empty()
            && self
                .before(p, 1)
                .is_some_and(|w| matches!(w, "employs" | "employing" | "employed" | "employ"))
        {
            return Some((Measure::Employees, None));
        }
        // MEASURE (links) FIGURE, looking back.
        let mut q = p;
        let mut steps = 0;
        while q > 0 && steps < 8 {
            q -= 1;
            steps += 1;
            match &self.toks[q] {
                Tok::Punct(_) => return None,
                Tok::Ent(i) => {
                    let x = self.entities.get(*i)?;
                    if x.kind == Kind::Figure && x.subkind != Some(Subkind::Date) {
                        // `rose 25 pct to FIGURE`: step over the change amount.
                        let change = self
                            .before(q, 1)
                            .is_some_and(|w| UP.contains(&w) || DOWN.contains(&w) || w == "by")
                            && self.word(q + 1) == Some("to");
                        if !change {
                            return None;
                        }
                    }
                }
                Tok::Word(w, _) => {
                    let pw = self.before(q, 1);
                    let m = match *w {
                        "profit" | "profits" | "earnings" | "income" => match pw {
                            Some("net") => Some((Measure::NetIncome, 2)),
                            Some("operating") => Some((Measure::OperatingProfit, 2)),
                            Some("pre-tax" | "pretax") => Some((Measure::PretaxProfit, 2)),
                            _ if w.starts_with("profit") => Some((Measure::Profit, 1)),
                            _ => return None,
                        },
                        "loss" | "losses" => match pw {
                            Some("net") => Some((Measure::NetLoss, 2)),
                            Some("operating" | "pre-tax" | "pretax") => return None,
                            _ => Some((Measure::Loss, 1)),
                        },
                        "revenue" | "revenues" | "turnover" => Some((Measure::Revenue, 1)),
                        "sales" => Some((Measure::Sales, 1)),
                        "output" | "production" => Some((Measure::Output, 1)),
                        "exports" => Some((Measure::Exports, 1)),
                        "imports" => Some((Measure::Imports, 1)),
                        "capacity" => Some((Measure::Capacity, 1)),
                        "stake" | "holding" | "shareholding" => Some((Measure::Stake, 1)),
                        "share" if pw == Some("market") => Some((Measure::MarketShare, 2)),
                        // Bank reserves move weekly, oil reserves are another thing.
                        "reserves" => return None,
                        "debt" | "debts" => Some((Measure::Debt, 1)),
                        "assets" => Some((Measure::Assets, 1)),
                        "workforce" => Some((Measure::Employees, 1)),
                        "force" if pw == Some("work") => Some((Measure::Employees, 2)),
                        w if LINKS.contains(&w) => None,
                        _ => return None,
                    };
                    if let Some((measure, len)) = m {
                        let modifier = q
                            .checked_sub(len)
                            .and_then(|i| match &self.toks[i] {
                                Tok::Word(m, _) => Some(*m),
                                _ => None,
                            })
                            .filter(|m| {
                                m.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                                    && !NOT_MODIFIER.contains(m)
                                    && !m.ends_with("'s")
                            })
                            .map(str::to_string);
                        // Figures in the measure's own money/percent kind only.
                        let fits = match measure {
                            Measure::Employees => n.unit.is_empty(),
                            Measure::Stake | Measure::MarketShare => n.unit == "%",
                            Measure::Output
                            | Measure::Exports
                            | Measure::Imports
                            | Measure::Capacity
                            | Measure::Reserves => n.unit != "%",
                            _ => {
                                n.unit != "%"
                                    && !n.unit.is_empty()
                                    && n.unit.len() == 3
                                    && n.unit.chars().all(|c| c.is_ascii_uppercase())
                            }
                        };
                        return fits.then_some((measure, modifier));
                    }
                }
            }
        }
        None
    }

    // ---- stated changes ----

    fn changes(&self, out: &mut Vec<Finding>) {
        for k in 0..self.toks.len() {
            // (new, old) levels and where the pattern ends.
            let levels = match self.word(k) {
                Some("to")
                    if self.fig(k + 1).is_some()
                        && self.word(k + 2) == Some("from")
                        && self.fig(k + 3).is_some() =>
                {
                    Some((LevelRef::Fig(k + 1), LevelRef::Fig(k + 3), k + 4))
                }
                Some("from")
                    if self.fig(k + 1).is_some()
                        && self.word(k + 2) == Some("to")
                        && self.fig(k + 3).is_some() =>
                {
                    Some((LevelRef::Fig(k + 3), LevelRef::Fig(k + 1), k + 4))
                }
                Some("from")
                    if self.fig(k + 1).is_some_and(|e| {
                        e.text(self.text).contains(" to ")
                            && num_of(e.value.as_ref().unwrap_or(&Value::Time { text: String::new() }))
                                .is_some_and(|n| n.high.is_some())
                    }) =>
                {
                    Some((LevelRef::RangeHigh(k + 1), LevelRef::RangeLow(k + 1), k + 2))
                }
                _ => None,
            };
            let Some((new, old, end)) = levels else { continue };
            // Before: VERB [by] [P] (to|from).
            let mut dir = None;
            let mut stated = None;
            let mut b = k;
            if b > 0
                && self.fig(b - 1).is_some()
                && !matches!(self.ent(b - 1).and_then(|e| e.subkind), Some(Subkind::Date))
            {
                stated = Some(b - 1);
                b -= 1;
            }
            if b > 0 && self.word(b - 1) == Some("by") && stated.is_some() {
                b -= 1;
            }
            if b > 0 {
                dir = self.word(b - 1).and_then(|w| self.direction(w));
            }
            if stated.is_some() && dir.is_none() {
                continue;
            }
            // After: `, or P` / `, a P increase` / `, up P`.
            if stated.is_none() && self.toks.get(end).is_some_and(|t| matches!(t, Tok::Punct(b','))) {
                let mut a = end + 1;
                let mut dir_after = None;
                match self.word(a) {
                    Some("or" | "a" | "an") => a += 1,
                    Some(w @ ("up" | "down")) => {
                        dir_after = self.direction(w);
                        a += 1;
                    }
                    _ => {}
                }
                // The change must end there (not `four pct on a comparable store basis`).
                let ends = match self.toks.get(a + 1) {
                    None | Some(Tok::Punct(_)) => true,
                    Some(Tok::Word(w, _)) => {
                        CHANGE_NOUN_UP.contains(w) || CHANGE_NOUN_DOWN.contains(w) || *w == "and"
                    }
                    Some(Tok::Ent(_)) => false,
                };
                if ends && self.fig(a).is_some_and(|e| e.subkind == Some(Subkind::Percent)) {
                    if let Some(w) = self.word(a + 1) {
                        if CHANGE_NOUN_UP.contains(&w) {
                            dir_after = Some(1.0);
                        } else if CHANGE_NOUN_DOWN.contains(&w) {
                            dir_after = Some(-1.0);
                        }
                    }
                    if let Some(d) = dir_after.or(dir) {
                        dir = Some(d);
                        stated = Some(a);
                    }
                }
            }
            let Some(dir) = dir else { continue };
            // A range (`down from 2.4 to 2.7 mln`) is two levels only when a change is stated.
            if stated.is_none() && matches!(new, LevelRef::RangeHigh(_)) {
                continue;
            }
            if let Some(f) = self.check_change(dir, stated, new, old) {
                out.push(f);
            }
        }
    }

    fn level(&self, r: LevelRef) -> Option<(Interval, Num, Range<u32>, String)> {
        let (at, pick_high) = match r {
            LevelRef::Fig(at) => (at, None),
            LevelRef::RangeLow(at) => (at, Some(false)),
            LevelRef::RangeHigh(at) => (at, Some(true)),
        };
        let e = self.fig(at)?;
        let mut n = num_of(e.value.as_ref()?)?;
        let surface = e.text(self.text);
        if n.bound.is_some() || self.before(at, 1).is_some_and(|w| ABOUT.contains(&w)) {
            return None;
        }
        match pick_high {
            None => {
                if n.high.is_some() {
                    return None;
                }
                let mut iv = self.interval(at)?;
                // A level written as a plain whole number (`30`, `2,000`) is taken as exact:
                // only decimals and `mln`-style figures are roundings.
                if is_plain_integer(surface) {
                    iv = Interval { lo: n.low, hi: n.low };
                }
                Some((iv, n, self.span(at), surface.to_string()))
            }
            Some(high) => {
                let (first, second) = surface.split_once(" to ")?;
                let (part, v) = if high { (second, n.high?) } else { (first, n.low) };
                let written = written_numbers(part);
                let &(w, unit) = written.last()?;
                if w <= 0.0 {
                    return None;
                }
                let half = (unit * v / w / 2.0).abs();
                n.low = v;
                n.high = None;
                let start = e.span.start + if high { surface.len() - second.len() } else { 0 };
                let end = if high {
                    e.span.end
                } else {
                    e.span.start + first.len()
                };
                Some((
                    Interval {
                        lo: v - half,
                        hi: v + half,
                    },
                    n,
                    start as u32..end as u32,
                    part.to_string(),
                ))
            }
        }
    }

    fn check_change(&self, dir: f64, stated: Option<usize>, new: LevelRef, old: LevelRef) -> Option<Finding> {
        let (x, xn, xspan, xs) = self.level(new)?;
        let (y, yn, yspan, ys) = self.level(old)?;
        // Comparable levels: same unit, or a bare number beside a unit (the unit carried over).
        let comparable = xn.unit == yn.unit
            || (yn.unit.is_empty() && xn.unit != "%")
            || (xn.unit.is_empty() && yn.unit != "%");
        if !comparable || y.lo <= 0.0 || x.lo < 0.0 {
            return None;
        }
        // Levels fifty times apart probably lost a `mln` on the way: not ours to judge.
        if x.hi > y.lo * 50.0 || y.hi > x.lo * 50.0 {
            return None;
        }
        let levels = format!("{ys} to {xs}");
        let related = vec![xspan.clone(), yspan];
        let Some(p) = stated else {
            // Direction only, and only for amounts with a unit (not bare numbers, which may
            // be quoted either way, like `yen to the dollar`).
            if xn.unit.is_empty() || yn.unit.is_empty() && xn.unit.starts_with('#') || self.has(F_CURRENCY) {
                return None;
            }
            if xn.unit.is_empty() || yn.unit.is_empty() {
                return None;
            }
            let wrong = if dir > 0.0 { x.hi < y.lo } else { x.lo > y.hi };
            return wrong.then(|| Finding {
                kind: FindingKind::ChangeMismatch,
                span: xspan,
                related: related.clone(),
                message: format!(
                    "the text says {} but the figures go from {levels}",
                    if dir > 0.0 { "it rose" } else { "it fell" }
                ),
            });
        };
        let pe = self.fig(p)?;
        let pn = num_of(pe.value.as_ref()?)?;
        if pn.high.is_some() || pn.bound.is_some() || self.before(p, 1).is_some_and(|w| ABOUT.contains(&w)) {
            return None;
        }
        let piv = self.interval(p)?;
        let signed = |iv: Interval| {
            if dir > 0.0 {
                Interval { lo: iv.lo, hi: iv.hi }
            } else {
                Interval {
                    lo: -iv.hi,
                    hi: -iv.lo,
                }
            }
        };
        let stated_iv = signed(piv);
        let abs = Interval {
            lo: x.lo - y.hi,
            hi: x.hi - y.lo,
        };
        let rel = Interval {
            lo: (x.lo / y.hi - 1.0) * 100.0,
            hi: (x.hi / y.lo - 1.0) * 100.0,
        };
        let shown = pe.text(self.text);
        // Only a material difference is flagged: wire copy computes its percentages from
        // unrounded figures, so beyond the levels' rounding a relative change may be off by
        // half a point (or 2 % of itself), an amount by a tenth of itself.
        let mid = (piv.lo + piv.hi) / 2.0;
        let rel_ok = |iv: Interval| stated_iv.gap(iv) <= (0.02 * mid.abs()).max(0.5);
        let abs_ok = |iv: Interval| stated_iv.gap(iv) <= 0.1 * mid.abs();
        let (ok, actual) = match pn.unit.as_str() {
            "%" if xn.unit == "%" && yn.unit == "%" => (
                rel_ok(rel) || abs_ok(abs),
                format!(
                    "{} points, {:+.1}%",
                    fmt_signed(xn.low - yn.low),
                    (xn.low / yn.low - 1.0) * 100.0
                ),
            ),
            "%" => (rel_ok(rel), format!("{:+.1}%", (xn.low / yn.low - 1.0) * 100.0)),
            "pp" if xn.unit == "%" && yn.unit == "%" => {
                (abs_ok(abs), format!("{} points", fmt_signed(xn.low - yn.low)))
            }
            u if u == xn.unit || (u.is_empty() && shown.contains('/')) => {
                (abs_ok(abs), fmt_signed(xn.low - yn.low))
            }
            _ => return None,
        };
        if ok {
            return None;
        }
        let verb = if dir > 0.0 { "rise" } else { "fall" };
        Some(Finding {
            kind: FindingKind::ChangeMismatch,
            span: self.span(p),
            related,
            message: format!("a {verb} of {shown} does not match {levels} ({actual})"),
        })
    }

    // ---- totals ----

    fn totals(&self, out: &mut Vec<Finding>) {
        for t in 0..self.toks.len() {
            let Some(te) = self.fig(t) else { continue };
            let Some(tn) = te.value.as_ref().and_then(num_of) else {
                continue;
            };
            if tn.unit == "%"
                || tn.high.is_some()
                || tn.unit.is_empty() && !matches!(te.subkind, Some(Subkind::Count))
            {
                continue;
            }
            if !matches!(self.toks.get(t + 1), Some(Tok::Punct(b',' | b'(' | b':'))) {
                continue;
            }
            let mut a = t + 2;
            if self.word(a) == Some("of") && self.word(a + 1) == Some("which") {
                a += 2;
            } else if self.word(a) == Some("including") {
                a += 1;
            }
            // Parts: FIGURE words… (, FIGURE words…)* and FIGURE words…
            let mut parts: Vec<usize> = Vec::new();
            let mut closed = false;
            let mut q = a;
            while let Some(pe) = self.fig(q) {
                let Some(pn) = pe.value.as_ref().and_then(num_of) else {
                    break;
                };
                // Parts in the total's unit, or bare numbers under a counted noun.
                let same = pn.unit == tn.unit || (pn.unit.is_empty() && tn.unit.starts_with('#'));
                if !same || pn.high.is_some() || pn.bound.is_some() {
                    parts.clear();
                    break;
                }
                parts.push(q);
                if closed {
                    break;
                }
                // Descriptor words up to the next separator.
                q += 1;
                let mut words = 0;
                while let Some(Tok::Word(w, _)) = self.toks.get(q) {
                    if *w == "and" || words > 4 || self.direction(w).is_some() || FORECAST.contains(w) {
                        break;
                    }
                    words += 1;
                    q += 1;
                }
                if words == 0 {
                    parts.clear();
                    break;
                }
                if matches!(self.toks.get(q), Some(Tok::Punct(b','))) {
                    q += 1;
                }
                if self.word(q) == Some("and") {
                    closed = true;
                    q += 1;
                } else if !matches!(self.toks.get(q - 1), Some(Tok::Punct(b','))) {
                    parts.clear();
                    break;
                }
            }
            if !closed || parts.len() < 2 {
                continue;
            }
            let Some(tiv) = self.interval(t) else { continue };
            let mut sum = Interval { lo: 0.0, hi: 0.0 };
            for &q in &parts {
                let Some(iv) = self.interval(q) else { return };
                sum.lo += iv.lo;
                sum.hi += iv.hi;
            }
            if sum.lo > tiv.hi {
                let shown: Vec<&str> = parts
                    .iter()
                    .filter_map(|&q| self.ent(q).map(|e| e.text(self.text)))
                    .collect();
                let total: f64 = parts
                    .iter()
                    .filter_map(|&q| self.fig(q)?.value.as_ref().and_then(num_of))
                    .map(|n| n.low)
                    .sum();
                out.push(Finding {
                    kind: FindingKind::TotalMismatch,
                    span: self.span(t),
                    related: parts.iter().map(|&q| self.span(q)).collect(),
                    message: format!(
                        "the parts {} add up to {}, more than the total {}",
                        shown.join(" + "),
                        fmt_num(total),
                        te.text(self.text)
                    ),
                });
            }
        }
    }
}

/// Digits (and thousands commas) only, no decimals, fractions or scale words.
fn is_plain_integer(surface: &str) -> bool {
    let written = written_numbers(surface);
    written.len() == 1
        && written[0].1 == 1.0
        && written[0].0 < 100_000.0
        && !surface.contains('/')
        && !["mln", "million", "billion", "bln", "thousand", "trillion", "bn"]
            .iter()
            .any(|w| surface.to_ascii_lowercase().contains(w))
}

#[derive(Clone, Copy)]
enum LevelRef {
    Fig(usize),
    RangeLow(usize),
    RangeHigh(usize),
}

/// `1,234.5`: thousands separated, at most 2 decimals, no trailing zeros.
pub(super) fn fmt_num(v: f64) -> String {
    let s = format!("{:.2}", v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let frac = frac.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

fn fmt_signed(v: f64) -> String {
    if v >= 0.0 {
        format!("+{}", fmt_num(v))
    } else {
        fmt_num(v)
    }
}
