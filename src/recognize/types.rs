//! Core recognition types: kinds, subkinds, normalised values, mentions and entities.
//!
//! Invariant: spans are byte offsets into the text that was recognised, always on UTF-8
//! character boundaries, `start < end`. Nothing here knows about LSP, files or JSON-RPC.

use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;

/// The four kinds of entity newsls recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Organization,
    Place,
    Figure,
    Person,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Organization, Kind::Place, Kind::Figure, Kind::Person];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organization => "organization",
            Kind::Place => "place",
            Kind::Figure => "figure",
            Kind::Person => "person",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "organization" | "organisation" | "org" => Some(Kind::Organization),
            "place" | "location" | "loc" => Some(Kind::Place),
            "figure" => Some(Kind::Figure),
            "person" | "per" => Some(Kind::Person),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finer classification. Figures always have one of the figure subkinds; names may have one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subkind {
    // Figures.
    Money,
    Percent,
    Quantity,
    Count,
    Date,
    // Organizations.
    Company,
    Government,
    Union,
    Education,
    Institution,
    // Places.
    Country,
    Region,
    City,
    Facility,
}

impl Subkind {
    pub const ALL: [Subkind; 14] = [
        Subkind::Money,
        Subkind::Percent,
        Subkind::Quantity,
        Subkind::Count,
        Subkind::Date,
        Subkind::Company,
        Subkind::Government,
        Subkind::Union,
        Subkind::Education,
        Subkind::Institution,
        Subkind::Country,
        Subkind::Region,
        Subkind::City,
        Subkind::Facility,
    ];

    /// Parses a subkind name as written by [`Subkind::as_str`].
    pub fn parse(s: &str) -> Option<Subkind> {
        Subkind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Subkind::Money => "money",
            Subkind::Percent => "percent",
            Subkind::Quantity => "quantity",
            Subkind::Count => "count",
            Subkind::Date => "date",
            Subkind::Company => "company",
            Subkind::Government => "government",
            Subkind::Union => "union",
            Subkind::Education => "education",
            Subkind::Institution => "institution",
            Subkind::Country => "country",
            Subkind::Region => "region",
            Subkind::City => "city",
            Subkind::Facility => "facility",
        }
    }

    pub fn is_figure(self) -> bool {
        matches!(
            self,
            Subkind::Money | Subkind::Percent | Subkind::Quantity | Subkind::Count | Subkind::Date
        )
    }
}

/// An inclusive range of calendar days (a single day has `start == end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// How an open-ended figure is bounded (`up to 25 percent`, `more than 11,000`, `since 2022`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bound {
    AtMost,
    AtLeast,
    About,
    Since,
    Before,
}

/// The normalised value of a figure.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An amount of money, `currency` an ISO 4217 code ("USD", "EUR", "KRW"); `high` is set
    /// for ranges ("$5-6 billion", "$10 million to $12 million").
    Money {
        amount: f64,
        high: Option<f64>,
        currency: String,
        bound: Option<Bound>,
    },
    /// A percentage; `high` is set for ranges ("20 to 25 percent").
    Percent {
        low: f64,
        high: Option<f64>,
        bound: Option<Bound>,
    },
    /// A measured quantity; `unit` is the normalised unit symbol ("kW", "km", "t").
    Quantity {
        amount: f64,
        high: Option<f64>,
        unit: String,
        bound: Option<Bound>,
    },
    /// A count of things; `noun` is the counted noun when there is one ("units").
    Count {
        amount: f64,
        high: Option<f64>,
        noun: Option<String>,
        bound: Option<Bound>,
    },
    /// A date or period, resolved to calendar days.
    Date { range: DateRange, bound: Option<Bound> },
    /// A time expression that carries a number but cannot be put on a calendar
    /// ("two years ago" without a dateline, "the 54th minute", "15:11").
    Time { text: String },
}

/// One recognised candidate, before document-level resolution. Spans are relative to
/// the text handed to the recogniser (a paragraph, for [`crate::recognize::Recognizer::annotate_paragraph`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub span: Range<usize>,
    pub kind: Kind,
    pub subkind: Option<Subkind>,
    /// A canonical name when the recogniser knows one better than the surface text
    /// ("North American" -> "North America", "U.S." -> "United States").
    pub canonical: Option<String>,
    pub value: Option<Value>,
    /// Higher wins when two candidates overlap with the same length (gazetteer/pattern
    /// evidence beats guesses from capitalisation).
    pub confidence: u8,
}

/// A resolved entity mention in a document: what the rest of newsls consumes.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Byte span in the document.
    pub span: Range<usize>,
    pub kind: Kind,
    pub subkind: Option<Subkind>,
    /// The defining form of the entity in this document: the longest / defining name
    /// (RKM -> Renault Korea Motors), or the normalised value of a figure.
    pub canonical: String,
    pub value: Option<Value>,
    /// The surface is an alias or acronym of a longer canonical name.
    pub alias: bool,
    /// The first mention of this canonical entity in the document.
    pub declaration: bool,
}

impl Entity {
    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        doc.get(self.span.clone()).unwrap_or("")
    }
}
