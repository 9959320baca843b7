//! Figures: money, percentages, quantities with units, counts and dates/times, each with a
//! normalised [`Value`] (rendered by `value.rs`).
//!
//! How it works: a paragraph is split into tokens (`figures/tokens.rs`) in one pass that also
//! notes the triggers (digits, number/month/weekday words); a left-to-right scan tries, at
//! every trigger, within a window of context around it, the figure grammars below and keeps
//! the first that matches, extending to the left over bound words (`about`, `more than`),
//! currency signs and `the` where the figure owns them, but never into the previous figure.
//! Everything is linear in the paragraph length.
//!
//! Span conventions (those of the GUM-derived eval data, see `shared/eval/README.md`):
//! - a count includes its counted noun and the words up to it: `45,756 migrants`,
//!   `two Syrian teams`, `five hard drives`; adjectival forms stop at the unit: `10-year`,
//!   `six - member`, `20 minute` (walk);
//! - bound words belong to the figure (`about 500 miles`, `more than 11,000 signatures`,
//!   `only two weeks`), and so do currency signs (`US$20,000`) and scale words (`$1.3 billion`);
//! - `the` belongs to a date only where it is part of the time expression: `the 1960s`,
//!   `the 20th century`, `the second half of 2025`, `the 54th minute`, `the next 30 hours`;
//! - a weekday before a date is one figure (`Thursday, February 23, 2006`); `ago`/`later` are
//!   not part of a duration (`two years` in "two years ago"), but `two years ago` gets the date
//!   it means once the dateline is known; `since` is not part of `2022` in "since 2022" but
//!   bounds its value (`>=2022-01-01`);
//! - ranges of counts/percentages/measures are one figure (`20 to 25 percent`, `8–10 years`,
//!   `one or two points`); years joined by `to`/`-` are two (`from 2006 to 2009`), and so are
//!   percentages each with its own sign (`49 percent or by 27 percent`);
//! - a match score is one figure (`1 – 0`, value `1..0 score`);
//! - ordinals are figures only inside time expressions (`the 33rd floor` is not one);
//! - `one` alone (`one side`, `one of them`) is not a figure, `one or two points` is;
//! - numbers that belong to a name are not figures: a number attached to letters (`Cloud9`,
//!   `F3300`, `4chan`, `COVID-19`) or right after a capitalised word that is not a function word
//!   or a month (`Internet Explorer 9`, `Polestar 4`, `Ram 1500`, `Expo Canada 2016`);
//! - `5 Automotive Trends`: a count may run over capitalised words when its head noun is
//!   capitalised too (title case: a headline counting `Trends`) or when they are demonyms
//!   (`two Syrian teams`); otherwise a capitalised word ends it (`2,000 Ford workers` gives the
//!   bare `2,000`, leaving `Ford` to the name recogniser).
//!
//! Lone weekdays (`on Monday`) and `last/this/next year` carry no numeral and are not figures
//! (the eval data does not count them either); a weekday is a figure only as part of a date
//! (`Thursday, February 23, 2006`). Relative dates with a number (`two years ago`) are marked
//! and resolved against the dateline (`figures/dates.rs`).

mod currency;
mod dates;
mod lexicon;
mod tokens;

pub use dates::{find_dateline, resolve_document_dates};

/// Whether the document-level step ([`resolve_document_dates`]) reads or rewrites a figure
/// of this value: dates and times (marked relative dates) and, when the document has money
/// whose currency it must decide (`with_money`, see [`document_step_needs_money`]: `dlrs`,
/// US, Canadian or Australian dollars?), all money (a marked amount takes the currency of
/// the money before it).
pub fn document_step_reads(value: &Value, with_money: bool) -> bool {
    match value {
        Value::Date { .. } | Value::Time { .. } => true,
        Value::Money { .. } => with_money,
        _ => false,
    }
}

/// Whether some of these figures carry a marker currency that the document-level step
/// decides; without one the step leaves every money figure as it is.
pub fn document_step_needs_money<'a>(mentions: impl IntoIterator<Item = &'a Mention>) -> bool {
    mentions
        .into_iter()
        .any(|m| m.value.as_ref().is_some_and(currency::is_marked))
}
use lexicon::TimeUnit;
use tokens::{TokKind, Token, Trigger, tokenize};

use crate::recognize::types::{Bound, DateRange, Kind, Mention, Subkind, Value};
use crate::recognize::value::number;

/// Words where a figure may start (besides digits), with the condition on their use:
/// months and weekdays capitalised, number and scale words in any case. A word is looked up
/// only when its first two letters and length match one of these ([`TRIGGER_SHAPES`]), which
/// most words do not.
const TRIGGER_WORDS: &[(TriggerRule, &[&str])] = &[
    (
        TriggerRule::Capitalised,
        &[
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sep",
            "sept",
            "oct",
            "nov",
            "dec",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ],
    ),
    (
        TriggerRule::AnyCase,
        &[
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
            "thirty",
            "forty",
            "fifty",
            "sixty",
            "seventy",
            "eighty",
            "ninety",
            "hundred",
            "thousand",
            "million",
            "billion",
            "trillion",
            "dozen",
            // Wire abbreviations of scales that can start a figure ("a mln tonnes"); "bn", "bln",
            // "mn" and "tn" only follow a number.
            "mln",
            "trn",
        ],
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TriggerRule {
    Capitalised,
    AnyCase,
}

const TRIGGER_COUNT: usize = {
    let mut n = 0;
    let mut k = 0;
    while k < TRIGGER_WORDS.len() {
        n += TRIGGER_WORDS[k].1.len();
        k += 1;
    }
    n
};

/// An ASCII word lower-cased and packed into an integer (at most 16 letters): one integer
/// comparison per table entry instead of a string comparison.
const fn pack_lower(w: &[u8]) -> u128 {
    let mut key = 0u128;
    let mut k = 0;
    while k < w.len() {
        key |= (w[k].to_ascii_lowercase() as u128) << (8 * k);
        k += 1;
    }
    key
}

/// Index of a word's first two letters in [`TRIGGER_RANGES`] (as in [`TRIGGER_SHAPES`]).
const fn bucket(w: &[u8]) -> usize {
    (w[0] & 0x1f) as usize * 32 + (w[1] & 0x1f) as usize
}

/// The trigger words packed ([`pack_lower`]), those with the same first two letters
/// together.
static TRIGGER_TABLE: [(u128, TriggerRule); TRIGGER_COUNT] = {
    let mut table = [(0u128, TriggerRule::AnyCase); TRIGGER_COUNT];
    let mut n = 0;
    let mut k = 0;
    while k < TRIGGER_WORDS.len() {
        let (rule, words) = TRIGGER_WORDS[k];
        let mut j = 0;
        while j < words.len() {
            // Insertion sort by first two letters (at compile time).
            let w = words[j].as_bytes();
            let entry = (pack_lower(w), rule);
            let mut at = n;
            while at > 0 && bucket(&table[at - 1].0.to_le_bytes()) > bucket(w) {
                table[at] = table[at - 1];
                at -= 1;
            }
            table[at] = entry;
            n += 1;
            j += 1;
        }
        k += 1;
    }
    table
};

/// Per first two letters, the range of [`TRIGGER_TABLE`] holding the trigger words that
/// start with them (a handful at most).
static TRIGGER_RANGES: [(u8, u8); 32 * 32] = {
    let mut ranges = [(0u8, 0u8); 32 * 32];
    let mut k = 0;
    while k < TRIGGER_COUNT {
        let b = bucket(&TRIGGER_TABLE[k].0.to_le_bytes());
        if ranges[b].1 == 0 {
            ranges[b].0 = k as u8;
        }
        ranges[b].1 += 1;
        k += 1;
    }
    ranges
};

/// Per length up to 15, the mask of that many bytes of a packed word.
static PACK_MASKS: [u128; 16] = {
    let mut masks = [0u128; 16];
    let mut k = 1;
    while k < 16 {
        masks[k] = (masks[k - 1] << 8) | 0xff;
        k += 1;
    }
    masks
};

/// Per first two letters, a bit per word length of the trigger words ("the", "and" and
/// "said" share no such shape with a trigger word). Indexed by a letter's low five bits,
/// which are those of both its cases (`A` and `a` are 1).
static TRIGGER_SHAPES: [[u16; 32]; 32] = {
    let mut table = [[0u16; 32]; 32];
    let mut k = 0;
    while k < TRIGGER_WORDS.len() {
        let words = TRIGGER_WORDS[k].1;
        let mut j = 0;
        while j < words.len() {
            let w = words[j].as_bytes();
            table[(w[0] & 0x1f) as usize][(w[1] & 0x1f) as usize] |= 1 << w.len();
            j += 1;
        }
        k += 1;
    }
    table
};

/// Whether the run of ASCII letters `w` has the first two letters and the length of a
/// trigger word.
fn has_trigger_shape(w: &[u8]) -> bool {
    let [first, second, ..] = w else { return false };
    let letter = |b: &u8| usize::from(b & 0x1f);
    w.len() < 16 && TRIGGER_SHAPES[letter(first)][letter(second)] & (1 << w.len()) != 0
}

/// A month's full name, lower case ("march", not "mar"): the figures' month list.
pub(crate) fn is_full_month_name(lower: &str) -> bool {
    matches!(lexicon::month(lower), Some((_, false)))
}

/// A month name or its abbreviation in any case ("March", "Dec", "Sept."): the figures' month
/// list, for the dateline rule of name recognition.
pub(crate) fn is_month_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    let mut buf = [0u8; 12];
    if w.len() > buf.len() || !w.is_ascii() {
        return false;
    }
    for (d, s) in buf.iter_mut().zip(w.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..w.len()]).is_ok_and(|lower| lexicon::month(lower).is_some())
}

/// Is the run of ASCII letters `bytes[start..end]` a trigger word?
fn is_trigger_word(bytes: &[u8], start: usize, end: usize) -> bool {
    let w = &bytes[start..end];
    if !has_trigger_shape(w) {
        return false;
    }
    // A run of ASCII letters (at most 15, by its shape): setting bit 5 of each lower-cases
    // it, as `pack_lower` does. Packed from one 16-byte load where the paragraph has them.
    let chunk = match bytes.get(start..).and_then(<[u8]>::first_chunk::<16>) {
        Some(chunk) => *chunk,
        None => {
            let mut chunk = [0u8; 16];
            chunk[..w.len()].copy_from_slice(w);
            chunk
        }
    };
    let key = (u128::from_le_bytes(chunk) | u128::from_le_bytes([0x20; 16])) & PACK_MASKS[w.len()];
    let (from, count) = TRIGGER_RANGES[bucket(w)];
    let from = usize::from(from);
    let Some(k) = (from..from + usize::from(count)).find(|&k| TRIGGER_TABLE[k].0 == key) else {
        return false;
    };
    match TRIGGER_TABLE[k].1 {
        TriggerRule::Capitalised => w[0].is_ascii_uppercase(),
        TriggerRule::AnyCase => true,
    }
}

/// Context around a trigger that the grammars see (bytes before and after it, widened to
/// whitespace).
const WINDOW_BEFORE: usize = 64;
const WINDOW_AFTER: usize = 96;

const CONF_DATE: u8 = 85;
const CONF_MEASURE: u8 = 85;
const CONF_COUNT: u8 = 75;
const CONF_BARE: u8 = 60;

/// Buffers of [`find_figures`] kept from one paragraph to the next (per thread): allocating
/// them for every paragraph cost more than filling them.
#[derive(Default)]
struct Scratch {
    toks: Vec<Token>,
    triggers: Vec<Trigger>,
    /// The paragraph lower-cased.
    lower: String,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// Figures in one paragraph, spans relative to `para`, sorted and not overlapping each other.
pub fn find_figures(para: &str) -> Vec<Mention> {
    SCRATCH.with(|cell| {
        let mut scratch = cell.take();
        let res = find_figures_with(para, &mut scratch);
        // A very long paragraph's buffers are not worth keeping.
        if scratch.toks.capacity() <= 1 << 14 && scratch.lower.capacity() <= 1 << 16 {
            cell.set(scratch);
        }
        res
    })
}

fn find_figures_with(para: &str, scratch: &mut Scratch) -> Vec<Mention> {
    let bytes = para.as_bytes();
    let Scratch {
        toks,
        triggers,
        lower,
    } = scratch;
    toks.clear();
    triggers.clear();
    // One pass makes the tokens and finds the triggers.
    tokenize(para, toks, triggers, |start, end| {
        // Non-ASCII letters glue to ASCII ones ("Café", "“One"): such a run is no word of
        // its own.
        let glued = || (start > 0 && bytes[start - 1] >= 0x80) || bytes.get(end).is_some_and(|&b| b >= 0x80);
        has_trigger_shape(&bytes[start..end]) && !glued() && is_trigger_word(bytes, start, end)
    });
    if triggers.is_empty() {
        return Vec::new();
    }
    // At most one figure per trigger: no regrowth of the result.
    let mut res = Vec::with_capacity(triggers.len());
    // Lower-cased once for the word lists (ASCII only: same byte offsets as `para`).
    lower.clear();
    lower.push_str(para);
    lower.make_ascii_lowercase();
    // The grammars see a window of context around the triggers (bytes before and after,
    // widened to whitespace), as if only the window had been tokenised: a figure never
    // leaves its window, and the window's first token knows nothing of what precedes it but
    // whether whitespace or a line break does.
    let mut next = 0;
    while next < triggers.len() {
        let first = triggers[next].at;
        let mut start = first.saturating_sub(WINDOW_BEFORE);
        while start > 0 && !bytes[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
        let mut end = window_end(bytes, first);
        let mut last = next + 1;
        while last < triggers.len() && triggers[last].at <= end {
            end = end.max(window_end(bytes, triggers[last].at));
            last += 1;
        }
        let from = toks.partition_point(|t: &Token| t.start < start);
        let to = from + toks[from..].partition_point(|t: &Token| t.start < end);
        if let Some(t) = toks[from..to].first_mut() {
            t.space_before = start > 0;
            t.newline_before = bytes[..start]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_whitespace())
                .any(|&b| b == b'\n');
        }
        scan_window(
            para,
            lower,
            &toks[from..to],
            from,
            &triggers[next..last],
            &mut res,
        );
        next = last;
    }
    res
}

fn window_end(bytes: &[u8], at: usize) -> usize {
    let mut end = (at + WINDOW_AFTER).min(bytes.len());
    while end < bytes.len() && !bytes[end].is_ascii_whitespace() {
        end += 1;
    }
    end
}

/// Tries the grammars at the triggers of one window; `toks` are the window's tokens, the
/// first of them token `base` of the paragraph.
fn scan_window(
    para: &str,
    lower: &str,
    toks: &[Token],
    base: usize,
    triggers: &[Trigger],
    res: &mut Vec<Mention>,
) {
    let parser = Parser {
        text: para,
        lower_text: lower,
        toks,
    };
    let mut i = 0;
    let mut floor = 0;
    for trigger in triggers {
        // Only a trigger at a token's start, and not inside the figure found last.
        let Some(idx) = trigger.token.map(|t| t - base).filter(|&idx| idx >= i) else {
            continue;
        };
        if let Some(fig) = parser.figure_at(idx, floor)
            && fig.end > idx
            && fig.start >= floor
        {
            let fig = parser.elliptical(fig, res);
            res.push(Mention {
                span: toks[fig.start].start..toks[fig.end - 1].end,
                kind: Kind::Figure,
                subkind: Some(fig.subkind),
                canonical: None,
                value: Some(fig.value),
                confidence: fig.confidence,
            });
            i = fig.end;
            floor = fig.end;
        } else {
            i = idx + 1;
        }
    }
}

/// A figure found by the parser, in token indices (`end` exclusive).
struct Fig {
    start: usize,
    end: usize,
    subkind: Subkind,
    value: Value,
    confidence: u8,
}

/// A parsed number: tokens `start..end`, its value and how it was written.
#[derive(Clone, Copy, Debug)]
struct Num {
    start: usize,
    end: usize,
    value: f64,
    /// Written with words (`two`, `a billion`).
    word: bool,
    /// The digits of a plain integer token (no comma, decimal or scale): years look like this.
    plain_digits: Option<usize>,
    /// The scale word multiplied in (`million`), 1 without one.
    scale: f64,
}

impl Num {
    fn year_like(&self) -> bool {
        self.plain_digits == Some(4) && (1000.0..=2100.0).contains(&self.value)
    }
}

/// What follows a number.
enum Tail {
    Percent(usize),
    Currency(usize, &'static str),
    /// Hundredths of a currency: `45 cents`, `21 cts`, `30 pence`.
    Cents(usize, &'static str),
    Unit(usize, String),
    Duration(usize, TimeUnit),
    Adjectival(usize, String),
    Noun(usize, String),
    Bare,
}

/// A token's text lower-cased (ASCII), borrowed from the paragraph's lower-cased copy; empty
/// for long or non-ASCII words, which are in none of the word lists.
#[derive(Clone, Copy)]
struct LowerRef<'a>(&'a str);

impl<'a> LowerRef<'a> {
    fn as_str(&self) -> &'a str {
        self.0
    }
}

struct Parser<'a> {
    text: &'a str,
    /// `text` lower-cased (ASCII letters only, so byte offsets agree).
    lower_text: &'a str,
    toks: &'a [Token],
}

impl<'a> Parser<'a> {
    // ---- Token helpers -------------------------------------------------------------------

    fn s(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    fn lower(&self, i: usize) -> LowerRef<'a> {
        let s = self
            .toks
            .get(i)
            .and_then(|t| self.lower_text.get(t.start..t.end))
            .unwrap_or("");
        LowerRef(if s.len() <= 24 && s.is_ascii() { s } else { "" })
    }

    fn kind(&self, i: usize) -> Option<TokKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokKind::Word)
    }

    fn is_num(&self, i: usize) -> bool {
        self.kind(i) == Some(TokKind::Num)
    }

    fn word_is(&self, i: usize, w: &str) -> bool {
        self.is_word(i) && self.s(i).eq_ignore_ascii_case(w)
    }

    fn punct_is(&self, i: usize, p: &str) -> bool {
        self.kind(i) == Some(TokKind::Punct) && self.s(i) == p
    }

    fn is_dash(&self, i: usize) -> bool {
        self.kind(i) == Some(TokKind::Punct) && matches!(self.s(i), "-" | "–" | "—" | "‑")
    }

    /// Token `i` follows the previous one with no whitespace.
    fn attached(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.space_before)
    }

    /// Token `i` follows the previous one after whitespace on the same line.
    fn spaced(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.space_before && !t.newline_before)
    }

    /// Same line as the previous token (attached or spaced).
    fn same_line(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.newline_before)
    }

    fn capitalised(&self, i: usize) -> bool {
        self.s(i).chars().next().is_some_and(char::is_uppercase)
    }

    fn plain_int(&self, i: usize) -> Option<(usize, u32)> {
        if !self.is_num(i) {
            return None;
        }
        let s = self.s(i);
        // Nine digits at most: no overflow.
        if s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
            Some((s.len(), s.bytes().fold(0, |v, b| v * 10 + u32::from(b - b'0'))))
        } else {
            None
        }
    }

    fn year_at(&self, i: usize) -> Option<i32> {
        match self.plain_int(i) {
            Some((4, y)) if (1000..=2999).contains(&y) => i32::try_from(y).ok(),
            _ => None,
        }
    }

    fn month_at(&self, i: usize) -> Option<(u32, bool)> {
        if !self.is_word(i) || !self.capitalised(i) {
            return None;
        }
        lexicon::month(self.lower(i).as_str())
    }

    fn weekday_at(&self, i: usize) -> Option<chrono::Weekday> {
        if !self.is_word(i) || !self.capitalised(i) {
            return None;
        }
        lexicon::weekday(self.lower(i).as_str())
    }

    // ---- Dispatch ------------------------------------------------------------------------

    fn figure_at(&self, i: usize, floor: usize) -> Option<Fig> {
        match self.toks[i].kind {
            TokKind::Num => self.at_digits(i, floor),
            TokKind::Punct => None,
            TokKind::Word => {
                let lower = self.lower(i);
                let w = lower.as_str();
                if w.is_empty() {
                    return None;
                }
                if self.month_at(i).is_some() {
                    return self.month_date(i, floor);
                }
                if self.weekday_at(i).is_some() {
                    return self.weekday(i, floor);
                }
                if lexicon::small_number(w).is_some()
                    || (lexicon::scale(w).is_some()
                        && i > 0
                        && matches!(self.lower(i - 1).as_str(), "a" | "an"))
                {
                    // "high-five", "Catch-22"-like compounds are words, not figures.
                    let compound = i > 1 && self.attached(i) && self.is_dash(i - 1) && self.is_word(i - 2);
                    if compound || self.in_name(i) {
                        return None;
                    }
                    return self.amount(i, floor);
                }
                None
            }
        }
    }

    fn at_digits(&self, i: usize, floor: usize) -> Option<Fig> {
        // A list marker at the start of a line: "1. Introduction".
        if (self.toks[i].start == 0 || self.toks[i].newline_before)
            && self.s(i).len() <= 2
            && (self.punct_is(i + 1, ".") || self.punct_is(i + 1, ")"))
            && self.attached(i + 1)
            && self.spaced(i + 2)
        {
            return None;
        }
        // The grammars below that start with a plain integer are tried only where its number
        // of digits fits theirs: a time, a score or a day has one or two, a year four, a
        // quarter one ("Q1").
        let digits = self.plain_int(i).map(|(d, _)| d);
        if matches!(digits, Some(1..=2))
            && let Some(fig) = self.slash_date(i)
        {
            return Some(fig);
        }
        if self.fraction_at(i).is_some() {
            // "1/8", "10-7/8 pct": no time, score or date.
            return if self.in_name(i) {
                None
            } else {
                self.amount(i, floor)
            };
        }
        if matches!(digits, Some(1..=2))
            && let Some(fig) = self.race_time(i).or_else(|| self.time_of_day(i))
        {
            return Some(fig);
        }
        if digits == Some(4)
            && let Some(fig) = self.iso_date(i)
        {
            return Some(fig);
        }
        if matches!(digits, Some(1..=2))
            && let Some(fig) = self.score(i)
        {
            return Some(fig);
        }
        if digits == Some(1)
            && let Some(fig) = self.quarter_code(i)
        {
            return Some(fig);
        }
        if self.in_name(i) {
            return None;
        }
        // The short end of "2019-20", "March 5-6": part of the number before.
        if i >= 2
            && self.attached(i)
            && (self.is_dash(i - 1) || self.punct_is(i - 1, "/"))
            && self.attached(i - 1)
            && self.is_num(i - 2)
            && self.s(i).len() <= 2
        {
            return None;
        }
        if self.is_word(i + 1) && self.attached(i + 1) {
            let suffix = self.lower(i + 1);
            match suffix.as_str() {
                "st" | "nd" | "rd" | "th" => return self.ordinal(i, floor),
                "s" => return self.decade(i, floor),
                _ => {}
            }
        }
        if matches!(digits, Some(1..=2))
            && let Some(fig) = self.day_month(i, floor)
        {
            return Some(fig);
        }
        self.amount(i, floor)
    }

    /// A fraction written with a slash at `i`, alone (`1/8`) or after a whole number and a
    /// dash or a space (`10-7/8`, wire style for prices and rates; `2 1/2`): (its value, index after). The
    /// denominator is one of the usual ones and the numerator smaller, and no other slash
    /// follows (`1/2/87` is a date).
    fn fraction_at(&self, i: usize) -> Option<(f64, usize)> {
        // Most numbers have no slash after them: "1/8", "2 1/2", "10-7/8".
        let slash = |k: usize| self.kind(k) == Some(TokKind::Punct) && self.s(k) == "/";
        if !(slash(i + 1) || slash(i + 2) || slash(i + 3)) {
            return None;
        }
        let simple = |k: usize| -> Option<(f64, usize)> {
            let (nd, n) = self.plain_int(k)?;
            if nd > 2 || !self.punct_is(k + 1, "/") || !self.attached(k + 1) || !self.attached(k + 2) {
                return None;
            }
            let (_, d) = self.plain_int(k + 2)?;
            if n == 0 || n >= d || !matches!(d, 2 | 3 | 4 | 8 | 16 | 32 | 64) {
                return None;
            }
            if self.attached(k + 3)
                && (self.punct_is(k + 3, "/") || self.is_num(k + 3) || self.is_word(k + 3))
            {
                return None;
            }
            Some((f64::from(n) / f64::from(d), k + 3))
        };
        if i > 0
            && self.attached(i)
            && (self.punct_is(i - 1, "/") || self.is_dash(i - 1) || self.is_num(i - 1))
        {
            return None;
        }
        if let Some(f) = simple(i) {
            return Some(f);
        }
        let (wd, whole) = self.plain_int(i)?;
        if wd > 4 {
            return None;
        }
        // "10-7/8", or "136 3/4" (a space between).
        let part = if self.is_dash(i + 1) && self.attached(i + 1) && self.attached(i + 2) {
            simple(i + 2)
        } else if self.spaced(i + 1) {
            simple(i + 1)
        } else {
            None
        };
        let (part, end) = part?;
        Some((f64::from(whole) + part, end))
    }

    /// A number right after a capitalised word or attached to letters belongs to a name.
    fn in_name(&self, i: usize) -> bool {
        if i == 0 {
            return false;
        }
        let prev = i - 1;
        if self.attached(i) {
            if self.is_word(prev) {
                return true;
            }
            return self.is_dash(prev)
                && prev > 0
                && self.attached(prev)
                && self.is_word(prev - 1)
                && self.capitalised(prev - 1)
                && self.month_at(prev - 1).is_none();
        }
        if !self.same_line(i) || !self.is_word(prev) || !self.capitalised(prev) {
            return false;
        }
        // A model number is short: "Net 542,119" is an amount. So is a number with a currency,
        // percent or scale word after it: "Shr 21 cts", "Tax 35 pct", "Revs 26.0 mln".
        let next = self.lower(i + 1);
        if self.s(i).contains(',')
            || lexicon::currency_word(next.as_str()).is_some()
            || lexicon::scale(next.as_str()).is_some_and(|s| s >= 1e6)
            || matches!(
                next.as_str(),
                "cent" | "cents" | "ct" | "cts" | "pence" | "pct" | "percent"
            )
        {
            return false;
        }
        let word = self.s(prev);
        if word.ends_with("'s") || word.ends_with("’s") {
            return false;
        }
        let lower = self.lower(prev);
        let w = lower.as_str();
        !(lexicon::is_stop(w)
            || lexicon::bound_word(w).is_some()
            || lexicon::month(w).is_some()
            || lexicon::weekday(w).is_some()
            || lexicon::currency_code(word).is_some()
            || matches!(
                w,
                "aged" | "age" | "ages" | "nearly" | "roughly" | "started" | "since" | "by"
            ))
    }

    // ---- Times and dates -------------------------------------------------------------------

    /// The parts of a duration after its first, `amount` `unit` ending at `end`, each in a
    /// smaller unit and right after the one before: "43 hours 12 minutes 5 seconds", "11 years
    /// 316 days". Coordinated parts stay two figures, as the evaluation data has them ("the
    /// last 9 years and 10 months"). The end of the last part and the ISO 8601 duration of
    /// them all (`PT43H12M5S`, `P11Y316D`), or `end` and `None` when no part follows.
    fn compound_duration(&self, end: usize, amount: f64, unit: TimeUnit) -> (usize, Option<String>) {
        let rank = |u: TimeUnit| match u {
            TimeUnit::Year => Some(0),
            TimeUnit::Month => Some(1),
            TimeUnit::Week => Some(2),
            TimeUnit::Day => Some(3),
            TimeUnit::Hour => Some(4),
            TimeUnit::Minute => Some(5),
            TimeUnit::Second => Some(6),
            TimeUnit::Decade | TimeUnit::Century => None,
        };
        let Some(mut last) = rank(unit) else {
            return (end, None);
        };
        let mut parts = [None::<f64>; 7];
        parts[last] = Some(amount);
        let mut end = end;
        loop {
            let k = end;
            if !self.same_line(k) || !self.spaced(k) {
                break;
            }
            let Some(num) = self.number(k, false) else { break };
            if num.start != k || num.value < 0.0 {
                break;
            }
            match self.tail(num.end, &num) {
                Tail::Duration(e, u) if rank(u).is_some_and(|r| r > last) => {
                    last = rank(u).unwrap_or(last);
                    parts[last] = Some(num.value);
                    end = e;
                }
                _ => break,
            }
        }
        if parts.iter().flatten().count() < 2 {
            return (end, None);
        }
        let mut text = String::from("P");
        for (r, letter) in ["Y", "M", "W", "D", "H", "M", "S"].iter().enumerate() {
            if r == 4 && parts[4..].iter().any(Option::is_some) {
                text.push('T');
            }
            if let Some(v) = parts[r] {
                text.push_str(&number(v));
                text.push_str(letter);
            }
        }
        (end, Some(text))
    }

    /// A race time: `3:29.12` (minutes, seconds and hundredths), `2:05:43` or `10:02:11.4`
    /// (hours, minutes, seconds; two digits of hours need a fraction, "16:15:02" is a time of
    /// day): a duration, `PT3M29.12S`.
    fn race_time(&self, i: usize) -> Option<Fig> {
        let (digits, first) = self.plain_int(i)?;
        let colon = |k: usize| self.punct_is(k, ":") && self.attached(k) && self.attached(k + 1);
        // Seconds: two digits, perhaps with a fraction ("29.12").
        let seconds = |k: usize| -> Option<(&str, bool)> {
            if !self.is_num(k) {
                return None;
            }
            let s = self.s(k);
            let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
            let ok = whole.len() == 2
                && whole.bytes().all(|b| b.is_ascii_digit())
                && whole < "60"
                && frac.len() <= 3
                && frac.bytes().all(|b| b.is_ascii_digit());
            ok.then_some((s, !frac.is_empty()))
        };
        if !colon(i + 1) {
            return None;
        }
        let trim = |s: &str| {
            let t = s.trim_start_matches('0');
            if t.is_empty() || t.starts_with('.') {
                format!("0{t}")
            } else {
                t.to_string()
            }
        };
        let (text, end) = if colon(i + 3) {
            let (md, minutes) = self.plain_int(i + 2)?;
            let (secs, fraction) = seconds(i + 4)?;
            // ("16:15:02" on a ticker is a time of day.)
            if md != 2 || minutes > 59 || digits > 1 && !fraction {
                return None;
            }
            (format!("PT{first}H{minutes}M{}S", trim(secs)), i + 5)
        } else {
            // m:ss needs its fraction: "3:29" alone is a time of day.
            let (secs, fraction) = seconds(i + 2)?;
            if !fraction {
                return None;
            }
            (format!("PT{first}M{}S", trim(secs)), i + 3)
        };
        Some(time_fig(i, end, text))
    }

    /// `15:11`, `6:00am`, `6 p.m.`.
    fn time_of_day(&self, i: usize) -> Option<Fig> {
        let (hd, hour) = self.plain_int(i)?;
        if hd > 2 || hour > 24 {
            return None;
        }
        let mut end = i + 1;
        let mut minute = 0;
        let colon = self.punct_is(end, ":") && self.attached(end) && self.attached(end + 1);
        if colon {
            let (md, m) = self.plain_int(end + 1)?;
            if md != 2 || m > 59 {
                return None;
            }
            minute = m;
            end += 2;
        }
        let mut hour24 = hour;
        let meridiem = self.meridiem(end);
        if let Some((pm, after)) = meridiem {
            if hour == 0 || hour > 12 {
                return None;
            }
            hour24 = match (pm, hour) {
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, 12) => 0,
                (false, h) => h,
            };
            end = after;
        } else if !colon {
            return None;
        }
        let mut text = String::with_capacity(5);
        dates::push_two_digits(&mut text, hour24);
        text.push(':');
        dates::push_two_digits(&mut text, minute);
        Some(time_fig(i, end, text))
    }

    /// `am`, `pm`, `a.m.`, `p.m.` at `i`: (is pm, index after).
    fn meridiem(&self, i: usize) -> Option<(bool, usize)> {
        if !self.is_word(i) || !self.same_line(i) {
            return None;
        }
        match self.lower(i).as_str() {
            "am" => Some((false, i + 1)),
            "pm" => Some((true, i + 1)),
            w @ ("a" | "p")
                if self.punct_is(i + 1, ".") && self.word_is(i + 2, "m") && self.attached(i + 2) =>
            {
                let end = if self.punct_is(i + 3, ".") && self.attached(i + 3) {
                    i + 4
                } else {
                    i + 3
                };
                Some((w == "p", end))
            }
            _ => None,
        }
    }

    /// A numeric date with slashes: `5/14/82`, `02/28/87`, `12/31/1986` (month first, as US
    /// wires write it), or day first when the first number cannot be a month (`25/12/2005`).
    /// Two-digit years are 1930..2029.
    fn slash_date(&self, i: usize) -> Option<Fig> {
        let slash = |k: usize| self.punct_is(k, "/") && self.attached(k) && self.attached(k + 1);
        if !slash(i + 1) || !slash(i + 3) {
            return None;
        }
        let (_, a) = self.plain_int(i)?;
        let (bd, b) = self.plain_int(i + 2)?;
        let (yd, y) = self.plain_int(i + 4)?;
        if bd > 2 || !matches!(yd, 2 | 4) {
            return None;
        }
        // Not followed by more of the same ("1/2/3/4").
        if self.attached(i + 5) && (self.is_num(i + 5) || self.is_word(i + 5) || self.punct_is(i + 5, "/")) {
            return None;
        }
        let year = match yd {
            2 if y >= 30 => 1900 + y,
            2 => 2000 + y,
            _ => y,
        };
        let (month, d) = if a > 12 { (b, a) } else { (a, b) };
        let date = dates::day(i32::try_from(year).ok()?, month, d)?;
        Some(self.date_fig(i, i + 5, dates::single(date), None))
    }

    /// `1987-02-26`.
    fn iso_date(&self, i: usize) -> Option<Fig> {
        let year = self.year_at(i)?;
        if !(self.punct_is(i + 1, "-") && self.attached(i + 1) && self.attached(i + 2)) {
            return None;
        }
        let (2, month) = self.plain_int(i + 2)? else {
            return None;
        };
        if !(self.punct_is(i + 3, "-") && self.attached(i + 3) && self.attached(i + 4)) {
            return None;
        }
        let (2, d) = self.plain_int(i + 4)? else {
            return None;
        };
        let date = dates::day(year, month, d)?;
        Some(self.date_fig(i, i + 5, dates::single(date), None))
    }

    /// A match score: `1 – 0`, `3-0` (small numbers around a dash, not followed by a noun).
    fn score(&self, i: usize) -> Option<Fig> {
        let (ad, a) = self.plain_int(i)?;
        if ad > 2 || !self.is_dash(i + 1) || !self.same_line(i + 1) || !self.same_line(i + 2) {
            return None;
        }
        let (bd, b) = self.plain_int(i + 2)?;
        if bd > 2 || self.toks[i + 1].space_before != self.toks[i + 2].space_before {
            return None;
        }
        if i > 0 && self.kind(i - 1) == Some(TokKind::Punct) && self.attached(i) {
            return None; // "$1-2", "(3-4)" ranges, "'1-0'"
        }
        let next = i + 3;
        if self.attached(next)
            && (self.is_word(next) || self.is_num(next) || self.punct_is(next, "%") || self.is_dash(next))
        {
            return None; // "1-0s", "3-0%", a bowler's "20-5-60-2"
        }
        if self.is_word(next) && self.same_line(next) {
            let lower = self.lower(next);
            let w = lower.as_str();
            if !self.capitalised(next)
                && !lexicon::is_stop(w)
                && !matches!(w, "win" | "victory" | "defeat" | "lead")
            {
                return None; // "8-10 years", "2-3 weeks"
            }
            if !self.capitalised(next) && !lexicon::is_stop(w) {
                return None;
            }
        }
        if self.punct_is(next, "%") {
            return None;
        }
        Some(Fig {
            start: i,
            end: i + 3,
            subkind: Subkind::Count,
            value: Value::Count {
                amount: f64::from(a),
                high: Some(f64::from(b)),
                noun: Some("score".into()),
                bound: None,
            },
            confidence: CONF_COUNT,
        })
    }

    /// `Q1 2024`, `H2 2025`.
    fn quarter_code(&self, i: usize) -> Option<Fig> {
        if i == 0 || !self.attached(i) || !self.is_word(i - 1) {
            return None;
        }
        let (1, part) = self.plain_int(i)? else {
            return None;
        };
        let letter = self.s(i - 1);
        let year = self.year_at(i + 1).filter(|_| self.spaced(i + 1))?;
        let range = match (letter, part) {
            ("Q", 1..=4) => dates::months(year, part * 3 - 2, part * 3)?,
            ("H", 1..=2) => dates::months(year, part * 6 - 5, part * 6)?,
            _ => return None,
        };
        Some(self.date_fig(i - 1, i + 2, range, None))
    }

    fn date_fig(&self, start: usize, end: usize, range: DateRange, bound: Option<Bound>) -> Fig {
        let range = if bound == Some(Bound::Since) || bound == Some(Bound::Before) {
            dates::single(range.start)
        } else {
            range
        };
        Fig {
            start,
            end,
            subkind: Subkind::Date,
            value: Value::Date { range, bound },
            confidence: CONF_DATE,
        }
    }

    /// `since` / `before` right before a date bounds it (the word is not part of the span).
    fn date_bound(&self, start: usize) -> Option<Bound> {
        if start == 0 || !self.is_word(start - 1) || !self.same_line(start) {
            return None;
        }
        match self.lower(start - 1).as_str() {
            "since" => Some(Bound::Since),
            "before" => Some(Bound::Before),
            _ => None,
        }
    }

    /// The part of a period named before it: `[the] end of` 1990, `the second half of` the
    /// 20th century, `the beginning of` the 1990s; (index of its first token, the part as a
    /// fraction of the period in twelfths). Quarters and halves of a single year are read by
    /// [`Parser::year`].
    fn part_before(&self, start: usize, floor: usize) -> Option<(usize, (u32, u32))> {
        let before = |k: usize| k > floor && self.same_line(k) && self.is_word(k - 1);
        if !(before(start) && self.word_is(start - 1, "of") && before(start - 1)) {
            return None;
        }
        let noun = self.lower(start - 2);
        let ordinal = if before(start - 2) {
            lexicon::ordinal_word(self.lower(start - 3).as_str())
                .or_else(|| self.word_is(start - 3, "latter").then_some(2))
        } else {
            None
        };
        let (first, part) = match (noun.as_str(), ordinal) {
            ("half", Some(1)) => (start - 3, (0, 6)),
            ("half", Some(2 | 99)) => (start - 3, (6, 12)),
            ("beginning" | "start", _) => (start - 2, (0, 3)),
            ("middle", _) => (start - 2, (4, 8)),
            ("end", _) => (start - 2, (9, 12)),
            _ => return None,
        };
        let first = if first > floor && self.word_is(first - 1, "the") && self.same_line(first) {
            first - 1
        } else {
            first
        };
        Some((first, part))
    }

    /// Extends a date to the left over `Weekday,`: `Thursday, February 23, 2006`.
    fn weekday_before(&self, start: usize, floor: usize) -> usize {
        if start >= floor + 2 && self.punct_is(start - 1, ",") && self.weekday_at(start - 2).is_some() {
            return start - 2;
        }
        if start > floor && self.same_line(start) && self.weekday_at(start - 1).is_some() {
            return start - 1;
        }
        start
    }

    /// A date starting with a month name: `Nov. 9, 2023`, `November 10, 2023`, `September 14`,
    /// `September 2021`.
    fn month_date(&self, i: usize, floor: usize) -> Option<Fig> {
        let (month, abbrev) = self.month_at(i)?;
        let mut j = i + 1;
        if abbrev && self.punct_is(j, ".") && self.attached(j) {
            j += 1;
        }
        if !self.spaced(j) {
            return None;
        }
        let start = self.weekday_before(i, floor);
        if let Some(year) = self.year_at(j) {
            // "September 2021"
            let range = dates::months(year, month, month)?;
            let bound = self.date_bound(start);
            return Some(self.date_fig(start, j + 1, range, bound));
        }
        let (dd, d) = self.plain_int(j)?;
        if dd > 2 || d == 0 || d > 31 {
            return None;
        }
        let mut end = j + 1;
        if self.is_word(end)
            && self.attached(end)
            && matches!(self.lower(end).as_str(), "st" | "nd" | "rd" | "th")
        {
            end += 1;
        }
        let year = if self.punct_is(end, ",") && self.spaced(end + 1) {
            self.year_at(end + 1).map(|y| (y, end + 2))
        } else if self.spaced(end) {
            self.year_at(end).map(|y| (y, end + 1))
        } else {
            None
        };
        self.finish_day(start, month, d, year, end)
    }

    /// A day-month date: `9 November 2023`, `23 February`.
    fn day_month(&self, i: usize, floor: usize) -> Option<Fig> {
        let (dd, d) = self.plain_int(i)?;
        if dd > 2 || d == 0 || d > 31 || !self.spaced(i + 1) {
            return None;
        }
        let (month, abbrev) = self.month_at(i + 1)?;
        let mut end = i + 2;
        if abbrev && self.punct_is(end, ".") && self.attached(end) {
            end += 1;
        }
        let year = if self.spaced(end) {
            self.year_at(end).map(|y| (y, end + 1))
        } else if self.punct_is(end, ",") && self.spaced(end + 1) {
            self.year_at(end + 1).map(|y| (y, end + 2))
        } else {
            None
        };
        let start = self.weekday_before(i, floor);
        self.finish_day(start, month, d, year, end)
    }

    fn finish_day(
        &self,
        start: usize,
        month: u32,
        d: u32,
        year: Option<(i32, usize)>,
        end: usize,
    ) -> Option<Fig> {
        match year {
            Some((year, end)) => {
                let date = dates::day(year, month, d)?;
                let bound = self.date_bound(start);
                Some(self.date_fig(start, end, dates::single(date), bound))
            }
            None => {
                // Check the day exists in some year (Feb 29 does).
                dates::day(2000, month, d)?;
                Some(Fig {
                    start,
                    end,
                    subkind: Subkind::Date,
                    value: Value::Time {
                        text: dates::month_day_marker(month, d),
                    },
                    confidence: CONF_DATE,
                })
            }
        }
    }

    /// A weekday: before a date it is part of it; alone it is no figure.
    fn weekday(&self, i: usize, floor: usize) -> Option<Fig> {
        let mut j = i + 1;
        if self.punct_is(j, ",") {
            j += 1;
        }
        if self.same_line(j) {
            if self.month_at(j).is_some() {
                if let Some(fig) = self.month_date(j, floor) {
                    return Some(fig);
                }
            } else if self.is_num(j)
                && let Some(fig) = self.day_month(j, floor)
            {
                return Some(fig);
            }
        }
        None
    }

    /// `the 1960s`, `the early 1990s`, `1980s`.
    fn decade(&self, i: usize, floor: usize) -> Option<Fig> {
        let (4, value) = self.plain_int(i)? else {
            return None;
        };
        if value % 10 != 0 || !(1000..=2990).contains(&value) {
            return None;
        }
        let first = i32::try_from(value).ok()?;
        let mut start = i;
        let mut range = dates::years(first, first + 9)?;
        if start > floor && self.is_word(start - 1) && self.same_line(start) {
            let part = match self.lower(start - 1).as_str() {
                "early" => Some((first, first + 3)),
                "mid" => Some((first + 3, first + 6)),
                "late" => Some((first + 6, first + 9)),
                _ => None,
            };
            if let Some((a, b)) = part {
                range = dates::years(a, b)?;
                start -= 1;
            }
        } else if start > floor + 1 && self.is_dash(start - 1) && self.word_is(start - 2, "mid") {
            range = dates::years(first + 3, first + 6)?;
            start -= 2;
        }
        if start > floor && self.word_is(start - 1, "the") && self.same_line(start) {
            start -= 1;
        }
        if let Some((first, part)) = self.part_before(start, floor) {
            range = dates::part(range, part)?;
            start = first;
        }
        let bound = self.date_bound(start);
        Some(self.date_fig(start, i + 2, range, bound))
    }

    /// Ordinals: `the 20th century`, `the 54th minute`, `the 9th of November`; other ordinals
    /// (`the 33rd floor`) are not figures.
    fn ordinal(&self, i: usize, floor: usize) -> Option<Fig> {
        let (_, n) = self.plain_int(i)?;
        let mut j = i + 2;
        if self.is_dash(j) && self.attached(j) {
            j += 1;
        }
        if !self.is_word(j) || !self.same_line(j) {
            return None;
        }
        let lower = self.lower(j);
        let w = lower.as_str();
        let mut start = i;
        if start > floor && self.word_is(start - 1, "the") && self.same_line(start) {
            start -= 1;
        }
        if matches!(w, "century" | "centuries") {
            let n = i32::try_from(n).ok()?;
            let mut range = dates::years((n - 1) * 100 + 1, n * 100)?;
            if let Some((first, part)) = self.part_before(start, floor) {
                range = dates::part(range, part)?;
                start = first;
            }
            return Some(self.date_fig(start, j + 1, range, None));
        }
        if w == "of" && self.spaced(j + 1) {
            let (month, _) = self.month_at(j + 1)?;
            let year = if self.spaced(j + 2) {
                self.year_at(j + 2).map(|y| (y, j + 3))
            } else if self.punct_is(j + 2, ",") {
                self.year_at(j + 3).map(|y| (y, j + 4))
            } else {
                None
            };
            return self.finish_day(start, month, n, year, j + 2);
        }
        if let Some(unit) = lexicon::time_unit(w)
            && !w.ends_with('s')
        {
            return Some(Fig {
                start,
                end: j + 1,
                subkind: Subkind::Date,
                value: Value::Time {
                    text: format!("{}{} {}", n, self.s(i + 1), unit.singular()),
                },
                confidence: CONF_DATE,
            });
        }
        None
    }

    /// A year and the part of it named before it: `2024`, `the second half of 2025`,
    /// `the first quarter of 2024`, `late 2025`, `mid-2024`, `summer 2024`.
    fn year(&self, num: &Num, floor: usize) -> Option<Fig> {
        let y = i32::try_from(num.value as i64).ok()?;
        let i = num.start;
        let mut start = i;
        let mut range = dates::years(y, y)?;
        let before = |k: usize| k > floor && self.same_line(k) && self.is_word(k - 1);
        if before(start) {
            let lower = self.lower(start - 1);
            let w = lower.as_str();
            let part = match w {
                "early" => Some((1, 4)),
                "mid" => Some((5, 8)),
                "late" => Some((9, 12)),
                "spring" => Some((3, 5)),
                "summer" => Some((6, 8)),
                "autumn" | "fall" => Some((9, 11)),
                "winter" => Some((1, 2)),
                _ => None,
            };
            if let Some((a, b)) = part {
                range = dates::months(y, a, b)?;
                start -= 1;
            } else if w == "of" && start >= floor + 3 && before(start - 1) {
                // "<the> <ordinal> half|quarter of 2025"
                let noun = self.lower(start - 2);
                let ord = self.lower(start - 3);
                let ordinal = lexicon::ordinal_word(ord.as_str());
                let part = match (noun.as_str(), ordinal) {
                    ("half", Some(1)) => Some((1, 6)),
                    ("half", Some(2 | 99)) => Some((7, 12)),
                    ("quarter", Some(q @ 1..=4)) => Some((q * 3 - 2, q * 3)),
                    ("quarter", Some(99)) => Some((10, 12)),
                    ("spring" | "summer" | "autumn" | "fall" | "winter", _) => None,
                    _ => None,
                };
                if let Some((a, b)) = part
                    && self.same_line(start - 2)
                    && self.same_line(start - 1)
                {
                    range = dates::months(y, a, b)?;
                    start -= 3;
                } else if let Some((a, b)) = match noun.as_str() {
                    "spring" => Some((3, 5)),
                    "summer" => Some((6, 8)),
                    "autumn" | "fall" => Some((9, 11)),
                    _ => None,
                } {
                    range = dates::months(y, a, b)?;
                    start -= 2;
                }
                if start < i && start > floor && self.word_is(start - 1, "the") && self.same_line(start) {
                    start -= 1;
                } else if start == i
                    && let Some((first, part)) = self.part_before(start, floor)
                {
                    // "the end of 1990", "the beginning of 2024".
                    range = dates::part(range, part)?;
                    start = first;
                }
            }
        } else if start > floor + 1
            && self.is_dash(start - 1)
            && self.attached(start)
            && self.attached(start - 1)
            && self.word_is(start - 2, "mid")
        {
            range = dates::months(y, 5, 8)?;
            start -= 2;
        }
        let mut bound = self.date_bound(start);
        let mut end = num.end;
        if self.spaced(end) && self.is_word(end) {
            match self.lower(end).as_str() {
                // "the 2011 season", "his 2010 season": the year names the season.
                "season" => {
                    end += 1;
                    let owner = start == i
                        && start > floor
                        && self.same_line(start)
                        && self.is_word(start - 1)
                        && matches!(
                            self.lower(start - 1).as_str(),
                            "the" | "his" | "her" | "their" | "its" | "this" | "that" | "our" | "my"
                        );
                    if owner {
                        start -= 1;
                    }
                }
                // "from 1928 onwards"
                "onwards" | "onward" => {
                    end += 1;
                    bound = Some(Bound::Since);
                }
                _ => {}
            }
        }
        Some(self.date_fig(start, end, range, bound))
    }

    // ---- Amounts -------------------------------------------------------------------------

    /// An amount whose currency or unit is left out because the figure before it gave it:
    /// `rose to 14 mln dlrs from 8.6 mln`, `1.9 mln bpd last month from 2.2 mln`, `a profit of
    /// 1.9 billion francs after a 1.2 billion loss`, `12 dlrs vs 11.50`. A count with a scale
    /// word (bare or naming a result: `loss`, `profit`) takes the money or measure of the
    /// nearest figure with a scale word before it in the sentence; a bare number without one
    /// only right after `vs`, `from`, `against` or `to` and the figure just before it (a price
    /// compared with a price). The figure keeps its span, less the result noun.
    fn elliptical(&self, fig: Fig, before: &[Mention]) -> Fig {
        let Value::Count {
            amount,
            high,
            noun,
            bound,
        } = &fig.value
        else {
            return fig;
        };
        let with_noun = match noun {
            None => false,
            Some(n) => {
                if !lexicon::is_result_noun(n) {
                    return fig;
                }
                true
            }
        };
        let number_end = if with_noun { fig.end - 1 } else { fig.end };
        // A bare number followed by a word of its own ("135 trillion cu ft") is not elliptical.
        if !with_noun
            && self.is_word(fig.end)
            && self.same_line(fig.end)
            && !self.capitalised(fig.end)
            && !lexicon::is_stop(self.lower(fig.end).as_str())
            && !matches!(
                self.lower(fig.end).as_str(),
                "vs" | "versus" | "against" | "compared"
            )
        {
            return fig;
        }
        let scaled = |from: usize, to: usize| {
            (from..to)
                .any(|k| self.is_word(k) && lexicon::scale(self.lower(k).as_str()).is_some_and(|s| s >= 1e3))
        };
        // "Net 542,119", "Revs 26.0 mln", "net income of 113.1 mln": a result's amount is
        // money, in the currency of the money figure before it (a table's "Shr 21 cts").
        let label_at = |k: usize| self.is_word(k) && lexicon::is_result_label(self.lower(k).as_str());
        let labelled = !with_noun
            && self.is_num(fig.start)
            && fig.start > 0
            && self.same_line(fig.start)
            && (label_at(fig.start - 1)
                || (fig.start > 1 && self.word_is(fig.start - 1, "of") && label_at(fig.start - 2)));
        if labelled {
            let start_byte = self.toks[fig.start].start;
            // The currency of the money before it in the sentence, else a marker: the
            // document may have some (a table's rows are paragraphs of their own).
            let mut currency = currency::AMOUNT.to_string();
            for m in before.iter().rev().take(8) {
                let between = &self.text[m.span.end.min(start_byte)..start_byte];
                if sentence_break(between) {
                    break;
                }
                if let Some(Value::Money { currency: c, .. }) = &m.value {
                    currency.clone_from(c);
                    break;
                }
            }
            return Fig {
                start: fig.start,
                end: fig.end,
                subkind: Subkind::Money,
                value: Value::Money {
                    amount: *amount,
                    high: *high,
                    currency,
                    bound: *bound,
                },
                confidence: CONF_MEASURE,
            };
        }
        let has_scale = scaled(fig.start, number_end);
        if !has_scale {
            // "vs 11.50": a bare number right after a comparing word.
            let compared = !with_noun
                && fig.start > 0
                && self.same_line(fig.start)
                && matches!(
                    self.lower(fig.start - 1).as_str(),
                    "vs" | "from" | "against" | "to" | "versus"
                );
            if !compared {
                return fig;
            }
        }
        let start_byte = self.toks[fig.start].start;
        let mut source = None;
        for m in before.iter().rev().take(6) {
            let between = &self.text[m.span.end.min(start_byte)..start_byte];
            if sentence_break(between) {
                break;
            }
            let text = &self.text[m.span.clone()];
            let m_scaled = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w.len() > 1 && lexicon::scale(&w.to_ascii_lowercase()).is_some_and(|s| s >= 1e3));
            if has_scale && !m_scaled {
                continue;
            }
            if !has_scale && (m_scaled || between.split_whitespace().count() > 1) {
                break;
            }
            source = Some((m, text));
            break;
        }
        let Some((m, text)) = source else {
            return fig;
        };
        let value = match &m.value {
            Some(Value::Money { currency, .. }) => {
                // "15 cts vs 12": hundredths like the figure before.
                let last = text
                    .rsplit(|c: char| !c.is_ascii_alphabetic())
                    .find(|w| !w.is_empty());
                let hundredths = last.is_some_and(|w| {
                    matches!(
                        w.to_ascii_lowercase().as_str(),
                        "cent" | "cents" | "ct" | "cts" | "pence"
                    )
                });
                let div = if hundredths { 100.0 } else { 1.0 };
                Value::Money {
                    amount: amount / div,
                    high: high.map(|h| h / div),
                    currency: currency.clone(),
                    bound: *bound,
                }
            }
            Some(Value::Quantity { unit, .. }) if has_scale => Value::Quantity {
                amount: *amount,
                high: *high,
                unit: unit.clone(),
                bound: *bound,
            },
            _ => return fig,
        };
        let subkind = if matches!(value, Value::Money { .. }) {
            Subkind::Money
        } else {
            Subkind::Quantity
        };
        Fig {
            start: fig.start,
            end: number_end,
            subkind,
            value,
            confidence: CONF_MEASURE,
        }
    }

    /// Parses a number at `i`: digits with an attached or following scale (`1.3 billion`,
    /// `$208M` when `money`), or number words (`twenty-five`, `two hundred`, `a billion`).
    fn number(&self, i: usize, money: bool) -> Option<Num> {
        let fraction = if self.is_num(i) { self.fraction_at(i) } else { None };
        let mut num = if let Some((value, end)) = fraction {
            Num {
                start: i,
                end,
                value,
                word: false,
                plain_digits: None,
                scale: 1.0,
            }
        } else if self.is_num(i) {
            let s = self.s(i);
            let value = parse_digits(s)?;
            let plain = s.bytes().all(|b| b.is_ascii_digit()).then_some(s.len());
            let mut num = Num {
                start: i,
                end: i + 1,
                value,
                word: false,
                plain_digits: plain,
                scale: 1.0,
            };
            if self.is_word(i + 1) && self.attached(i + 1) {
                let suffix = self.s(i + 1);
                if let Some(scale) = lexicon::short_scale(suffix)
                    && (money || suffix != "m")
                {
                    num.value = scaled(num.value, scale);
                    num.scale = scale;
                    num.end += 1;
                    num.plain_digits = None;
                } else if !self.known_suffix(i + 1) {
                    return None; // "4chan"
                }
            }
            num
        } else {
            let lower = self.lower(i);
            let w = lower.as_str();
            if let Some(scale) = lexicon::scale(w) {
                // "a billion", "a hundred"
                if i == 0 || !matches!(self.lower(i - 1).as_str(), "a" | "an") {
                    return None;
                }
                Num {
                    start: i - 1,
                    end: i + 1,
                    value: scale,
                    word: true,
                    plain_digits: None,
                    scale,
                }
            } else {
                let mut value = lexicon::small_number(w)?;
                let mut end = i + 1;
                if value >= 20.0 && value % 10.0 == 0.0 {
                    let unit_at = |k: usize| {
                        self.is_word(k)
                            .then(|| lexicon::small_number(self.lower(k).as_str()))
                            .flatten()
                            .filter(|v| (1.0..=9.0).contains(v))
                    };
                    if self.is_dash(end) && self.attached(end) && self.attached(end + 1) {
                        if let Some(v) = unit_at(end + 1) {
                            value += v;
                            end += 2;
                        }
                    } else if self.spaced(end)
                        && let Some(v) = unit_at(end)
                    {
                        value += v;
                        end += 1;
                    }
                }
                if self.spaced(end) && self.word_is(end, "hundred") {
                    value *= 100.0;
                    end += 1;
                }
                Num {
                    start: i,
                    end,
                    value,
                    word: true,
                    plain_digits: None,
                    scale: 1.0,
                }
            }
        };
        // Scale words: "1.3 billion", "two hundred thousand".
        while self.spaced(num.end) && self.is_word(num.end) {
            let Some(scale) = lexicon::scale(self.lower(num.end).as_str()) else {
                break;
            };
            if scale == 12.0 && num.scale != 1.0 {
                break;
            }
            num.value = scaled(num.value, scale);
            num.scale *= scale;
            num.end += 1;
            num.plain_digits = None;
        }
        Some(num)
    }

    /// Letters that may be attached to digits without making a name: units, ordinals, `s`.
    fn known_suffix(&self, i: usize) -> bool {
        let s = self.s(i);
        let lower = self.lower(i);
        let w = lower.as_str();
        lexicon::unit(s, w).is_some()
            || lexicon::time_unit(w).is_some()
            || lexicon::currency_word(w).is_some()
            || lexicon::short_scale(s).is_some()
            || matches!(
                w,
                "s" | "st" | "nd" | "rd" | "th" | "am" | "pm" | "a" | "p" | "pct" | "x" | "h"
            )
    }

    /// A currency sign or code before the number at `start`: (currency, first token).
    fn currency_before(&self, start: usize, floor: usize) -> Option<(&'static str, usize)> {
        if start <= floor {
            return None;
        }
        let prev = start - 1;
        if self.kind(prev) == Some(TokKind::Punct) && self.attached(start) {
            let currency = lexicon::currency_sign(self.s(prev))?;
            if self.s(prev) == "$"
                && prev > floor
                && self.attached(prev)
                && self.is_word(prev - 1)
                && let Some(code) = lexicon::dollar_prefix(self.s(prev - 1))
            {
                return Some((code, prev - 1));
            }
            return Some((currency, prev));
        }
        if self.is_word(prev) && self.spaced(start) {
            let code = lexicon::currency_code(self.s(prev))?;
            return Some((code, prev));
        }
        None
    }

    /// Bound words before `start`: `about`, `more than`, `just over`; (bound, first token).
    fn bound_before(&self, start: usize, floor: usize) -> (Option<Bound>, usize) {
        let word = |k: usize| (k >= floor && self.is_word(k) && self.same_line(k + 1)).then(|| self.lower(k));
        if start >= 2
            && let (Some(a), Some(b)) = (word(start - 2), word(start - 1))
            && let Some(bound) = lexicon::bound_pair(a.as_str(), b.as_str())
        {
            // "in excess of"
            return (bound, start - 2);
        }
        if start >= 1
            && let Some(w) = word(start - 1)
            && let Some(bound) = lexicon::bound_word(w.as_str())
        {
            return (bound, start - 1);
        }
        (None, start)
    }

    /// A connector and a second number after `a`: `20 to 25`, `8–10`, `one or two`,
    /// (`between`) `20 and 25`.
    fn range_after(&self, a: &Num, money: bool, floor: usize) -> Option<Num> {
        let k = a.end;
        if !self.same_line(k) || !self.same_line(k + 1) {
            return None;
        }
        let connector = if self.is_dash(k) {
            true
        } else if self.is_word(k) && self.spaced(k) {
            match self.lower(k).as_str() {
                "to" | "or" => true,
                "and" => {
                    // "between 3 and 4", "between $10 million and $12 million".
                    let mut p = a.start;
                    if money
                        && p > floor
                        && p > 0
                        && self.kind(p - 1) == Some(TokKind::Punct)
                        && lexicon::currency_sign(self.s(p - 1)).is_some()
                    {
                        p -= 1;
                    }
                    p > floor && p > 0 && self.word_is(p - 1, "between")
                }
                _ => false,
            }
        } else {
            false
        };
        if !connector {
            return None;
        }
        let mut j = k + 1;
        if money && self.kind(j) == Some(TokKind::Punct) && lexicon::currency_sign(self.s(j)).is_some() {
            j += 1;
        }
        if !(self.is_num(j) || self.is_word(j)) || (a.word != self.is_word(j)) {
            return None;
        }
        let b = self.number(j, money)?;
        if b.start != j {
            return None;
        }
        Some(b)
    }

    /// What follows a number ending at `k`.
    fn tail(&self, k: usize, num: &Num) -> Tail {
        if !self.same_line(k) {
            return Tail::Bare;
        }
        if self.punct_is(k, "%") {
            return Tail::Percent(k + 1);
        }
        if self.punct_is(k, "°") {
            let scale = match self.s(k + 1) {
                "C" if self.attached(k + 1) => Some("°C"),
                "F" if self.attached(k + 1) => Some("°F"),
                _ => None,
            };
            return match scale {
                Some(unit) => Tail::Unit(k + 2, unit.into()),
                None => Tail::Unit(k + 1, "°".into()),
            };
        }
        if self.is_dash(k)
            && self.same_line(k + 1)
            && matches!(self.lower(k + 1).as_str(), "percent" | "pct")
            && self.is_word(k + 1)
        {
            return Tail::Percent(k + 2);
        }
        if self.is_dash(k) && (self.is_word(k + 1)) && self.same_line(k + 1) {
            // Adjectival: "10-year", "three-nation", "six - member", "300-km".
            if self.toks[k].space_before != self.toks[k + 1].space_before {
                return Tail::Bare;
            }
            let orig = self.s(k + 1);
            let lower = self.lower(k + 1);
            let w = lower.as_str();
            if let Some(unit) = lexicon::unit(orig, w) {
                return Tail::Unit(k + 2, unit.to_string());
            }
            if let Some(unit) = lexicon::time_unit(w) {
                return Tail::Adjectival(k + 2, unit.singular().to_string());
            }
            if !w.is_empty() && !self.capitalised(k + 1) && !lexicon::is_stop(w) {
                return Tail::Adjectival(k + 2, orig.to_string());
            }
            return Tail::Bare;
        }
        if !self.is_word(k) {
            return Tail::Bare;
        }
        let orig = self.s(k);
        let lower = self.lower(k);
        let w = lower.as_str();
        match w {
            "percent" | "pct" | "percentage" => {
                if w == "percentage" && (self.word_is(k + 1, "point") || self.word_is(k + 1, "points")) {
                    return Tail::Unit(k + 2, "pp".into());
                }
                return Tail::Percent(k + 1);
            }
            "per" if self.word_is(k + 1, "cent") && self.spaced(k + 1) => return Tail::Percent(k + 2),
            "per" if self.is_dash(k + 1) && self.word_is(k + 2, "cent") => return Tail::Percent(k + 3),
            _ => {}
        }
        if let Some((end, code)) = self.qualified_currency(k) {
            return Tail::Currency(end, code);
        }
        if let Some((code, needs_scale)) = lexicon::currency_word(w)
            && (!needs_scale || num.scale >= 1e3 || (w == "won" && num.value >= 1000.0))
        {
            return Tail::Currency(k + 1, code);
        }
        match w {
            "cent" | "cents" | "ct" | "cts" => return Tail::Cents(k + 1, currency::DOLLAR),
            "pence" => return Tail::Cents(k + 1, "GBP"),
            _ => {}
        }
        if matches!(w, "square" | "sq" | "cubic" | "cu") && self.spaced(k + 1) {
            let next = self.lower(k + 1);
            if let Some(unit) = lexicon::unit(self.s(k + 1), next.as_str()) {
                let power = if matches!(w, "cubic" | "cu") { "³" } else { "²" };
                return Tail::Unit(k + 2, format!("{unit}{power}"));
            }
        }
        if w == "degrees" || w == "degree" {
            let next = self.lower(k + 1);
            let unit = match next.as_str() {
                "celsius" | "centigrade" => Some("°C"),
                "fahrenheit" => Some("°F"),
                _ => None,
            };
            if let Some(unit) = unit.filter(|_| self.spaced(k + 1)) {
                return Tail::Unit(k + 2, unit.into());
            }
        }
        if let Some(unit) = lexicon::unit(orig, w) {
            // A one-letter unit ("m", "W", "V") only attached to digits, or a metre or gram
            // after digits with no word after it ("(1.78 m)", "12 m/s", "1.78 m tall").
            let symbol_ends = if self.is_word(k + 1) {
                matches!(
                    self.lower(k + 1).as_str(),
                    "tall" | "high" | "long" | "wide" | "deep"
                )
            } else {
                let sentence_end = self.punct_is(k + 1, ".") && self.capitalised(k + 2);
                !(self.is_num(k + 1) || sentence_end)
            };
            let spaced_symbol = !num.word && matches!(orig, "m" | "g") && symbol_ends;
            if orig.len() > 1 || (self.attached(k) && !num.word) || spaced_symbol {
                return Tail::Unit(k + 1, unit.to_string());
            }
        }
        if let Some(unit) = lexicon::time_unit(w) {
            return Tail::Duration(k + 1, unit);
        }
        if !self.spaced(k) {
            return Tail::Bare;
        }
        match self.noun_phrase(k) {
            Some((end, noun)) => Tail::Noun(end, noun),
            None => Tail::Bare,
        }
    }

    /// A currency named with its country before it: `Canadian dlrs`, `N.Z. dlrs`,
    /// `Hong Kong dollars`, `French francs`, `D-marks`; (index after, ISO code). The index
    /// after a figure with a place's name in it (`N.Z. dlrs`) is that of the name: the figure
    /// stops before it and the name recogniser keeps it.
    fn qualified_currency(&self, k: usize) -> Option<(usize, &'static str)> {
        if !self.is_word(k) || !self.capitalised(k) {
            return None;
        }
        let mut key = [0u8; 24];
        let mut len = 0;
        let mut j = k;
        // At most three words, each maybe with an attached dot or dash after it.
        for _ in 0..3 {
            if !self.is_word(j) || (j > k && !self.same_line(j)) {
                return None;
            }
            let word = self.lower(j);
            let word = word.as_str().as_bytes();
            if word.is_empty() || len + word.len() > key.len() {
                return None;
            }
            key[len..len + word.len()].copy_from_slice(word);
            len += word.len();
            j += 1;
            if (self.punct_is(j, ".") || self.is_dash(j)) && self.attached(j) {
                j += 1;
            }
            if self.is_word(j) && self.same_line(j) {
                let next = self.lower(j);
                if let Some(family) = lexicon::currency_family(next.as_str()) {
                    let qualifier = std::str::from_utf8(&key[..len]).ok()?;
                    let code = lexicon::qualified_currency(qualifier, family)?;
                    // A place's name stays a name: the figure is the number alone, with the
                    // currency the name gives it (`30 mln [U.S.] dlrs`).
                    let end = if lexicon::qualifier_is_place(qualifier) {
                        k
                    } else {
                        j + 1
                    };
                    return Some((end, code));
                }
            }
        }
        None
    }

    /// The counted noun phrase starting at `k`: up to three words ending in a plural noun
    /// (`five hard drives`, `two Syrian teams`, `two other languages`, `24 difficult years`,
    /// `two real-world applications`, `43 RBIs`), or a single lower-case noun (`one vote`).
    /// A hyphenated word (`real-world`, `half-brothers`) counts as one word.
    fn noun_phrase(&self, k: usize) -> Option<(usize, String)> {
        let mut caps_non_demonym = false;
        let mut idx = k;
        for n in 0..3 {
            if !self.is_word(idx) || (n > 0 && !self.spaced(idx)) || (n == 0 && !self.same_line(idx)) {
                break;
            }
            // The last token of a hyphenated word starting at `idx`.
            let mut last = idx;
            while self.is_dash(last + 1)
                && self.attached(last + 1)
                && self.is_word(last + 2)
                && self.attached(last + 2)
                && !self.capitalised(last + 2)
            {
                last += 2;
            }
            let lower = self.lower(last);
            let w = lower.as_str();
            // "two other languages", "three more years": modifiers, though stop words alone.
            let modifier = last == idx && matches!(w, "other" | "more" | "additional" | "further");
            if w.is_empty()
                || (lexicon::is_stop(w) && !modifier)
                || lexicon::small_number(w).is_some()
                || (lexicon::time_unit(w).is_some() && (n == 0 || !w.ends_with('s')))
                || lexicon::scale(w).is_some()
            {
                break;
            }
            if last == idx && lexicon::month(w).is_some() && self.capitalised(idx) {
                break;
            }
            let caps = self.capitalised(idx);
            let orig = self.s(last);
            // An acronym's plural: "RBIs", "MPs", "CEOs".
            let acronym_plural = orig.len() >= 3
                && orig.ends_with('s')
                && orig[..orig.len() - 1].bytes().all(|b| b.is_ascii_uppercase());
            let plural = acronym_plural || (lexicon::is_plural(w) && !(caps && w.len() <= 3));
            if plural && !modifier {
                if caps_non_demonym && !caps {
                    break;
                }
                // "two other Bates units": a capitalised word before the head is a name.
                let head_follows = self.spaced(last + 1)
                    && !self.capitalised(last + 1)
                    && lexicon::is_plural(self.lower(last + 1).as_str());
                if caps && !acronym_plural && head_follows {
                    break;
                }
                let text = &self.text[self.toks[k].start..self.toks[last].end];
                let mut noun = String::with_capacity(text.len());
                for (n, word) in text.split_whitespace().enumerate() {
                    if n > 0 {
                        noun.push(' ');
                    }
                    noun.push_str(word);
                }
                return Some((last + 1, noun));
            }
            let acronym = w.len() <= 4 && orig.bytes().all(|b| b.is_ascii_uppercase());
            if caps && !lexicon::is_demonym(w) && !acronym {
                caps_non_demonym = true;
            }
            if self.is_word(last + 1) && self.attached(last + 1) {
                break;
            }
            idx = last + 1;
        }
        // A singular head: a lower-case noun right after the number.
        if !self.is_word(k) || self.capitalised(k) {
            return None;
        }
        let lower = self.lower(k);
        let w = lower.as_str();
        if w.len() < 3 || lexicon::is_stop(w) || lexicon::is_verbish(w) || lexicon::time_unit(w).is_some() {
            return None;
        }
        if self.is_dash(k + 1) && self.attached(k + 1) {
            return None; // "3 high-risk ..." is not "3 high"
        }
        Some((k + 1, self.s(k).to_string()))
    }

    /// Numbers with what they measure or count, money, percentages, durations, years and bare
    /// numbers.
    fn amount(&self, i: usize, floor: usize) -> Option<Fig> {
        // A currency sign or code before digits (number words take none: "$ two" is no money).
        let currency_sign = if self.is_num(i) {
            self.currency_before(i, floor)
        } else {
            None
        };
        let money_sign = currency_sign.is_some();
        let num = self.number(i, money_sign)?;
        if num.start < floor {
            return None;
        }
        // Years.
        if num.year_like() && !money_sign {
            let next_is_measure = self.same_line(num.end) && {
                let lower = self.lower(num.end);
                let w = lower.as_str();
                self.is_dash(num.end) && self.is_word(num.end + 1)
                    || self.punct_is(num.end, "%")
                    || lexicon::unit(self.s(num.end), w).is_some_and(|_| self.s(num.end).len() > 1)
                    || lexicon::time_unit(w).is_some()
                    || matches!(w, "percent" | "per" | "pct")
                    || lexicon::currency_word(w).is_some()
            };
            let temporal_before = num.start > 0
                && self.is_word(num.start - 1)
                && matches!(
                    self.lower(num.start - 1).as_str(),
                    "in" | "since"
                        | "from"
                        | "by"
                        | "until"
                        | "till"
                        | "before"
                        | "after"
                        | "between"
                        | "to"
                        | "during"
                        | "early"
                        | "late"
                        | "mid"
                );
            // "the 2018 FIFA World Cup": a year inside an event's name.
            let in_event_name = num.start > 0
                && self.word_is(num.start - 1, "the")
                && self.spaced(num.end)
                && self.is_word(num.end)
                && self.capitalised(num.end);
            if in_event_name {
                return None;
            }
            if !next_is_measure && (num.value >= 1900.0 || temporal_before) {
                return self.year(&num, floor);
            }
        }
        let lone_one = num.word && num.value == 1.0 && num.end == num.start + 1;
        // (Digits start the number: `currency_sign` is the one before it.)
        let (currency, start) = match currency_sign {
            Some((c, s)) if !num.word => (Some(c), s),
            _ => (None, num.start),
        };
        // Ranges, unless both ends are years ("from 2006 to 2009" is two dates).
        let mut high = None;
        let mut end = num.end;
        if let Some(b) = self.range_after(&num, currency.is_some(), floor) {
            let years = num.year_like() && b.year_like();
            let after = self.tail(b.end, &b);
            // "fell 1/2 to 30", "rose 1-1/8 to 58-7/8": a change and the level it reached, not
            // a range (a range has its unit after it: "rose 5 to 10 pct").
            let change_then_level = matches!(after, Tail::Bare)
                && self.word_is(num.end, "to")
                && start > 0
                && self.is_word(start - 1)
                && lexicon::is_change_word(self.lower(start - 1).as_str());
            let joins = (!years || !matches!(after, Tail::Bare)) && !change_then_level;
            if joins {
                if b.scale > 1.0 && num.scale == 1.0 {
                    // "$10-15 million": the scale applies to both ends.
                    high = Some(b.value);
                    end = b.end;
                    let low = num.value * b.scale;
                    return self.finish_amount(start, end, low, high, currency, &b, floor, false);
                }
                high = Some(b.value);
                end = b.end;
            }
        }
        if lone_one && high.is_none() && !matches!(self.tail(end, &num), Tail::Duration(..)) {
            // "one side", "one of them"; but "only one day" is a duration.
            return None;
        }
        let last = if high.is_some() {
            // The tail is parsed after the second number.
            let mut b = num;
            b.end = end;
            b
        } else {
            num
        };
        self.finish_amount(start, end, num.value, high, currency, &last, floor, num.word)
    }

    #[allow(clippy::too_many_arguments)]
    fn finish_amount(
        &self,
        start: usize,
        end: usize,
        low: f64,
        high: Option<f64>,
        currency: Option<&'static str>,
        last: &Num,
        floor: usize,
        word: bool,
    ) -> Option<Fig> {
        let mut last = *last;
        // "50 or more calls", "two or more elements", "20 or fewer seats": a bound written
        // after the number, before what it counts.
        let mut end = end;
        let mut bound_after = None;
        if high.is_none()
            && self.word_is(end, "or")
            && self.spaced(end)
            && self.spaced(end + 1)
            && !self.word_is(end + 2, "than")
        {
            bound_after = match self.lower(end + 1).as_str() {
                "more" => Some(Bound::AtLeast),
                "fewer" | "less" => Some(Bound::AtMost),
                "so" => Some(Bound::About),
                _ => None,
            };
            if bound_after.is_some() {
                end += 2;
            }
        }
        last.end = end;
        let tail = self.tail(end, &last);
        let (bound, bstart) = self.bound_before(start, floor);
        let bound = bound.or(bound_after);
        let mut start = bstart;
        if let Some(currency) = currency {
            let end = match tail {
                Tail::Currency(e, _) => e,
                _ => end,
            };
            let value = Value::Money {
                amount: low,
                high,
                currency: currency.to_string(),
                bound,
            };
            return Some(Fig {
                start,
                end,
                subkind: Subkind::Money,
                value,
                confidence: CONF_MEASURE,
            });
        }
        let _ = word;
        Some(match tail {
            Tail::Percent(end) => Fig {
                start,
                end,
                subkind: Subkind::Percent,
                value: Value::Percent { low, high, bound },
                confidence: CONF_MEASURE,
            },
            Tail::Currency(end, code) => Fig {
                start,
                end,
                subkind: Subkind::Money,
                value: Value::Money {
                    amount: low,
                    high,
                    currency: code.to_string(),
                    bound,
                },
                confidence: CONF_MEASURE,
            },
            Tail::Cents(end, code) => Fig {
                start,
                end,
                subkind: Subkind::Money,
                value: Value::Money {
                    amount: low / 100.0,
                    high: high.map(|h| h / 100.0),
                    currency: code.to_string(),
                    bound,
                },
                confidence: CONF_MEASURE,
            },
            Tail::Unit(end, unit) => Fig {
                start,
                end,
                subkind: Subkind::Quantity,
                value: Value::Quantity {
                    amount: low,
                    high,
                    unit,
                    bound,
                },
                confidence: CONF_MEASURE,
            },
            Tail::Duration(end, unit) => {
                let mut text = unit.iso(&number(low));
                if let Some(high) = high {
                    text = format!("{text}..{}", unit.iso(&number(high)));
                }
                // "43 hours 12 minutes 5 seconds", "two years and three months": one duration.
                let (end, compound) = match high {
                    None => self.compound_duration(end, low, unit),
                    Some(_) => (end, None),
                };
                if let Some(compound) = compound {
                    text = compound;
                }
                let ago = self.word_is(end, "ago") && self.spaced(end);
                if ago && high.is_none() {
                    text = format!("-{text}");
                } else {
                    text = format!("{}{text}", bound_prefix(bound));
                    // "the next 30 hours", "the last five months", "the past two years".
                    if start > floor && self.is_word(start - 1) && self.same_line(start) {
                        let lower = self.lower(start - 1);
                        if matches!(
                            lower.as_str(),
                            "next" | "last" | "past" | "first" | "coming" | "previous" | "final" | "recent"
                        ) {
                            start -= 1;
                            if start > floor && self.word_is(start - 1, "the") && self.same_line(start) {
                                start -= 1;
                            }
                        }
                    }
                }
                time_fig(start, end, text)
            }
            Tail::Adjectival(end, noun) | Tail::Noun(end, noun) => Fig {
                start,
                end,
                subkind: Subkind::Count,
                value: Value::Count {
                    amount: low,
                    high,
                    noun: Some(noun),
                    bound,
                },
                confidence: CONF_COUNT,
            },
            Tail::Bare => Fig {
                start,
                end,
                subkind: Subkind::Count,
                value: Value::Count {
                    amount: low,
                    high,
                    noun: None,
                    bound,
                },
                confidence: CONF_BARE,
            },
        })
    }
}

/// Whether text between two figures ends a sentence: a full stop, question or exclamation
/// mark after a lower-case letter or a digit, then a capital (`U.S. Dlrs` does not).
fn sentence_break(between: &str) -> bool {
    let b = between.as_bytes();
    (0..b.len()).any(|k| {
        matches!(b[k], b'.' | b'?' | b'!' | b';')
            && (k == 0 || b[k - 1].is_ascii_lowercase() || b[k - 1].is_ascii_digit() || b[k] != b'.')
            && b[k + 1..]
                .iter()
                .find(|c| !c.is_ascii_whitespace())
                .is_none_or(|c| c.is_ascii_uppercase())
    })
}

/// `value` times a scale word's `scale`, rounded to the precision the digits were written
/// with: `8.36 billion` is 8360000000, not the 8359999999.999999 of the product of doubles.
fn scaled(value: f64, scale: f64) -> f64 {
    let product = value * scale;
    // The product of doubles is within a few units in the last place of the exact value; a
    // whole number that near is the value written.
    let whole = product.round();
    if (product - whole).abs() <= product.abs() * 1e-12 {
        whole
    } else {
        product
    }
}

/// Parses `1,709` or `9.6` without allocating.
fn parse_digits(s: &str) -> Option<f64> {
    // Up to 15 significant digits the integer of all digits and the power of ten of the
    // decimal places are exact doubles, so their quotient is the correctly rounded value:
    // what `str::parse` gives, without its general algorithm.
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let mut mantissa = 0u64;
    let mut digits = 0;
    let mut decimals = None;
    let mut fast = true;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' if digits < 15 => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
                decimals = decimals.map(|d: usize| d + 1);
            }
            b',' if decimals.is_none() => {}
            b'.' if decimals.is_none() => decimals = Some(0),
            _ => {
                fast = false;
                break;
            }
        }
    }
    if fast && digits > 0 {
        // (`mantissa` < 10^15 < 2^53: exact.)
        return Some(mantissa as f64 / POW10[decimals.unwrap_or(0)]);
    }
    if !s.contains(',') {
        return s.parse().ok();
    }
    let mut buf = [0u8; 32];
    let mut len = 0;
    for b in s.bytes().filter(|&b| b != b',') {
        *buf.get_mut(len)? = b;
        len += 1;
    }
    std::str::from_utf8(&buf[..len]).ok()?.parse().ok()
}

fn bound_prefix(bound: Option<Bound>) -> &'static str {
    match bound {
        None => "",
        Some(Bound::AtMost) => "<=",
        Some(Bound::AtLeast) | Some(Bound::Since) => ">=",
        Some(Bound::About) => "~",
        Some(Bound::Before) => "<",
    }
}

/// A time or duration the calendar cannot place ("15:11", "PT3M29.12S") over tokens
/// `start..end`.
fn time_fig(start: usize, end: usize, text: String) -> Fig {
    Fig {
        start,
        end,
        subkind: Subkind::Date,
        value: Value::Time { text },
        confidence: CONF_DATE,
    }
}

#[cfg(test)]
mod tests;
