//! Fact checks: the claims an article makes about its organisations and places (subject,
//! measure, figure, period), figures of one article that do not add up (a stated change that
//! contradicts the stated levels, parts that exceed their total), and claims of different
//! articles that contradict each other.
//!
//! Pure: an article's text, its resolved entities (from [`crate::recognize`]) and its date in;
//! claims and findings out. No I/O, no LSP, never panics. Claims are computed once per
//! article when it is indexed and kept with it ([`Facts`]), so that the cross-article check
//! ([`conflicts`]) runs over the stored claims without reading any text.
//!
//! The grammar is small and explicit, and prefers saying nothing to saying something wrong
//! (see `extract.rs` for the rules and docs/lsp.md for what they cover):
//! - the subject is the one organisation named before the figure in its sentence (else, when
//!   the sentence names no organisation, the one place), never a guess between two;
//! - the other names of the sentence (a plant's town, the company a stake is held in) and the
//!   word before the measure ("oil exports") qualify the claim: claims compare only when they
//!   are the same;
//! - flows (profit, sales, output, …) need one explicit period in the sentence; stocks
//!   (employees, capacity, stake, …) are as of the article's date and compare within
//!   [`STOCK_WINDOW_DAYS`];
//! - a value stands for the interval its wording allows: half a unit of the last digit
//!   written, ±5 % for `about`, one side open for `more than` / `up to`, ranges as written.
//!   Two claims conflict only when their intervals do not meet.

mod extract;

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;

use crate::recognize::Entity;

pub use extract::{Interval, interval_of};

/// Stock claims (employees, stake, capacity) of articles dated further apart than this are
/// not compared: the figure may have changed in between.
pub const STOCK_WINDOW_DAYS: i64 = 30;

/// What a figure counts or measures, grouped (`employees`, `workers`, `staff` are one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    NetIncome,
    NetLoss,
    OperatingProfit,
    PretaxProfit,
    Profit,
    Loss,
    Revenue,
    Sales,
    Output,
    Exports,
    Imports,
    Employees,
    Capacity,
    Stake,
    MarketShare,
    Reserves,
    Debt,
    Assets,
    EarningsPerShare,
    LossPerShare,
    OperatingNet,
}

impl Measure {
    pub const ALL: [Measure; 21] = [
        Measure::NetIncome,
        Measure::NetLoss,
        Measure::OperatingProfit,
        Measure::PretaxProfit,
        Measure::Profit,
        Measure::Loss,
        Measure::Revenue,
        Measure::Sales,
        Measure::Output,
        Measure::Exports,
        Measure::Imports,
        Measure::Employees,
        Measure::Capacity,
        Measure::Stake,
        Measure::MarketShare,
        Measure::Reserves,
        Measure::Debt,
        Measure::Assets,
        Measure::EarningsPerShare,
        Measure::LossPerShare,
        Measure::OperatingNet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::NetIncome => "net income",
            Measure::NetLoss => "net loss",
            Measure::OperatingProfit => "operating profit",
            Measure::PretaxProfit => "pre-tax profit",
            Measure::Profit => "profit",
            Measure::Loss => "loss",
            Measure::Revenue => "revenue",
            Measure::Sales => "sales",
            Measure::Output => "output",
            Measure::Exports => "exports",
            Measure::Imports => "imports",
            Measure::Employees => "employees",
            Measure::Capacity => "capacity",
            Measure::Stake => "stake",
            Measure::MarketShare => "market share",
            Measure::Reserves => "reserves",
            Measure::Debt => "debt",
            Measure::Assets => "assets",
            Measure::EarningsPerShare => "earnings per share",
            Measure::LossPerShare => "loss per share",
            Measure::OperatingNet => "operating net",
        }
    }

    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// A level at a point in time (as opposed to a flow over a period).
    pub fn is_stock(self) -> bool {
        matches!(
            self,
            Measure::Employees
                | Measure::Capacity
                | Measure::Stake
                | Measure::MarketShare
                | Measure::Reserves
                | Measure::Debt
                | Measure::Assets
        )
    }
}

/// When a claim holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    /// The period the sentence names (a year, a quarter); `fiscal` when it says so.
    Span {
        start: NaiveDate,
        end: NaiveDate,
        fiscal: bool,
    },
    /// A level as of the article's date.
    AsOf(NaiveDate),
    /// A results period named without its year (`4th qtr`, `nine mths`, `year` in an
    /// earnings table), as reported on the article's date: see [`period_label`].
    Reported { label: u8, date: NaiveDate },
}

/// The names of [`Period::Reported`] labels (index = label).
const LABELS: [&str; 9] = [
    "",
    "1st qtr",
    "2nd qtr",
    "3rd qtr",
    "4th qtr",
    "qtr",
    "six mths",
    "nine mths",
    "year",
];

/// The results period lower-case `words` name, when they name exactly one: `1..=4` a
/// numbered quarter, `5` a quarter, `6` a half or six months, `7` nine months, `8` a year
/// (`year`, `12 mths`) when `year` is allowed.
pub fn period_label<S: AsRef<str>>(words: &[S], year: bool) -> Option<u8> {
    let mut found: Option<u8> = None;
    let mut set = |l: u8| -> bool {
        if found.is_some_and(|f| f != l) {
            return false;
        }
        found = Some(l);
        true
    };
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| words[j].as_ref());
        let label = match w.as_ref() {
            "qtr" | "quarter" | "qtrs" => Some(match prev {
                Some("1st" | "first") => 1,
                Some("2nd" | "second") => 2,
                Some("3rd" | "third") => 3,
                Some("4th" | "fourth") => 4,
                _ => 5,
            }),
            "half" => match prev {
                Some("1st" | "first") => Some(6),
                _ => return None,
            },
            "mths" | "months" | "mth" | "month" => match prev {
                Some("six" | "6") => Some(6),
                Some("nine" | "9") => Some(7),
                Some("12" | "twelve") if year => Some(8),
                _ => return None,
            },
            "year" | "yr" if year => Some(8),
            "weeks" | "wks" | "week" => return None,
            _ => None,
        };
        if let Some(l) = label
            && !set(l)
        {
            return None;
        }
    }
    found
}

impl Period {
    /// `1986`, `fiscal 1986`, `1986-01-01..1986-03-31`, `as of 1987-03-02`.
    pub fn describe(&self) -> String {
        match *self {
            Period::Span { start, end, fiscal } => {
                use chrono::Datelike;
                let base = if start.ordinal() == 1
                    && end.year() == start.year()
                    && end.month() == 12
                    && end.day() == 31
                {
                    start.year().to_string()
                } else {
                    format!("{start}..{end}")
                };
                if fiscal { format!("fiscal {base}") } else { base }
            }
            Period::AsOf(d) => format!("as of {d}"),
            Period::Reported { label, date } => {
                format!(
                    "{} reported {date}",
                    LABELS.get(label as usize).copied().unwrap_or("period")
                )
            }
        }
    }
}

/// One claim: `subject`'s `measure` in `period` is `shown`, which allows values in `lo..=hi`.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// The figure's bytes in the article.
    pub span: Range<u32>,
    /// The subject's canonical name as the article resolved it.
    pub subject: Box<str>,
    /// Sorted, normalised: the sentence's other names (`n:`) and the measure's modifier (`m:`).
    pub qualifiers: Box<[Box<str>]>,
    pub measure: Measure,
    /// ISO currency, quantity unit, `%`, or empty for counts.
    pub unit: Box<str>,
    pub period: Period,
    pub lo: f64,
    pub hi: f64,
    /// The figure as written.
    pub shown: Box<str>,
}

impl Claim {
    /// The subject as compared across articles: lower case, corporate suffixes and
    /// punctuation dropped (`Acme Corp.` and `ACME Inc` are one subject).
    pub fn subject_key(&self) -> String {
        subject_key(&self.subject)
    }
}

/// Lower case, without punctuation and without trailing corporate suffixes.
pub fn subject_key(name: &str) -> String {
    let name = name.split('<').next().unwrap_or(name);
    const SUFFIXES: &[&str] = &[
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "co",
        "company",
        "ltd",
        "limited",
        "plc",
        "ag",
        "sa",
        "nv",
        "bv",
        "spa",
        "ab",
        "as",
        "oy",
        "kk",
        "llc",
        "lp",
        "the",
    ];
    let lower: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
        words.pop();
    }
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words.join(" ")
}

/// The ticker of a subject named `NAME <TICKER>` (from an earnings headline): two names with
/// different tickers are different companies.
fn ticker(subject: &str) -> Option<&str> {
    let (_, rest) = subject.split_once('<')?;
    Some(rest.trim_end_matches('>').trim())
}

/// The kinds of within-article finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// A stated change that contradicts the stated levels.
    ChangeMismatch,
    /// Parts that add up to more than their stated total.
    TotalMismatch,
}

impl FindingKind {
    /// The diagnostic code.
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::ChangeMismatch => "change-mismatch",
            FindingKind::TotalMismatch => "total-mismatch",
        }
    }

    pub fn parse(s: &str) -> Option<FindingKind> {
        [FindingKind::ChangeMismatch, FindingKind::TotalMismatch]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

/// Figures of one article that do not add up.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    /// The figure the finding is about (the stated change, or the total).
    pub span: Range<u32>,
    /// The other figures involved (the levels, or the parts).
    pub related: Vec<Range<u32>>,
    pub message: String,
}

/// What the fact checks keep of one article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub claims: Vec<Claim>,
    pub findings: Vec<Finding>,
}

/// The claims and within-article findings of one article. `entities` are the article's
/// resolved entities (sorted, as the recogniser returns them), `date` its dateline date.
pub fn analyze(text: &str, entities: &[Entity], date: Option<NaiveDate>) -> Facts {
    extract::analyze(text, entities, date)
}

/// Pairs of claims (indices into `claims`) that contradict each other: different articles
/// (`K` names the article), the same subject key, qualifiers, measure, unit and period, and
/// value intervals that do not meet. Each pair once, the lower index first, sorted.
pub fn conflicts<K: PartialEq>(claims: &[(K, Option<NaiveDate>, &Claim)]) -> Vec<(usize, usize)> {
    // Group by everything but the value; stocks by everything but the date.
    type Key<'a> = (String, &'a [Box<str>], Measure, &'a str, Option<Period>, u8);
    let mut groups: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
    for (i, (_, _, c)) in claims.iter().enumerate() {
        let (period, label) = match c.period {
            Period::AsOf(_) => (None, 0),
            Period::Reported { label, .. } => (None, label),
            p => (Some(p), 0),
        };
        groups
            .entry((c.subject_key(), &c.qualifiers, c.measure, &c.unit, period, label))
            .or_default()
            .push(i);
    }
    let mut out = Vec::new();
    for members in groups.values() {
        for (n, &i) in members.iter().enumerate() {
            for &j in &members[n + 1..] {
                let (ka, _, a) = &claims[i];
                let (kb, _, b) = &claims[j];
                if ka == kb
                    || ticker(&a.subject)
                        .zip(ticker(&b.subject))
                        .is_some_and(|(x, y)| x != y)
                {
                    continue;
                }
                let date = |p: Period| match p {
                    Period::AsOf(d) | Period::Reported { date: d, .. } => Some(d),
                    Period::Span { .. } => None,
                };
                if let (Some(da), Some(db)) = (date(a.period), date(b.period))
                    && (da - db).num_days().abs() > STOCK_WINDOW_DAYS
                {
                    continue;
                }
                if a.hi < b.lo || b.hi < a.lo {
                    out.push((i.min(j), i.max(j)));
                }
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests;
