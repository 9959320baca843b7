//! The document-level currency step: which dollar, franc or peso a bare `dlrs`, `francs` or
//! `pesos` means.
//!
//! Several countries name their currency alike. Paragraph-level recognition gives an amount
//! written with the country (`Canadian dlrs`, `French francs`, `C$`) its ISO code, and one
//! written with the bare name a marker currency ([`DOLLAR`], [`FRANC`], [`PESO`]), which
//! [`resolve_document_currencies`] replaces by:
//! 1. the currency of the country of the dateline's place (`TORONTO, March 3` = Canadian
//!    dollars, `PARIS` = French francs), when that currency still existed at the dateline's
//!    date (the French, Belgian and Luxembourg francs ended with 2001);
//! 2. otherwise the currency the bare name means most often: US dollars, Swiss francs (the
//!    franc of most countries after 2001), Mexican pesos.
//!
//! A result's amount written without a currency in a paragraph without money (a table row
//! `Net 1,129,000` under `Shr 11 cts`) is marked [`AMOUNT`] and takes the currency of the
//! money figure before it in the document, or becomes a plain count when there is none.

use chrono::{Datelike, NaiveDate};

use super::lexicon::{self, CurrencyFamily};
use crate::recognize::types::{Mention, Subkind, Value};

/// Marker currency of a bare `dollar(s)`, `dlr(s)`.
pub const DOLLAR: &str = "dollar?";
/// Marker currency of a bare `franc(s)`.
pub const FRANC: &str = "franc?";
/// Marker currency of a bare `peso(s)`.
pub const PESO: &str = "peso?";
/// Marker currency of a result's amount written without one (`Net 1,129,000`, `Revs 83.2
/// mln`): that of the money figure before it in the document (a table's `Shr 11 cts`).
pub const AMOUNT: &str = "amount?";

/// How far into a document the dateline may be (bytes), as for dates.
const DATELINE_WINDOW: usize = 1200;

fn family(marker: &str) -> Option<CurrencyFamily> {
    match marker {
        DOLLAR => Some(CurrencyFamily::Dollar),
        FRANC => Some(CurrencyFamily::Franc),
        PESO => Some(CurrencyFamily::Peso),
        _ => None,
    }
}

/// Whether a money value still has a marker currency.
pub fn is_marked(value: &Value) -> bool {
    matches!(value, Value::Money { currency, .. } if family(currency).is_some() || currency == AMOUNT)
}

/// The currency a bare name means when nothing in the document says which.
fn default_code(family: CurrencyFamily) -> &'static str {
    match family {
        CurrencyFamily::Franc => "CHF",
        CurrencyFamily::Peso => "MXN",
        _ => "USD",
    }
}

/// Currencies that ended when the euro's notes came (2002).
fn ended_by(code: &str, date: NaiveDate) -> bool {
    matches!(code, "FRF" | "BEF" | "LUF") && date.year() >= 2002
}

/// The dateline's place: the words before the first date of the document when they start its
/// line, up to a comma (`TORONTO, March 3`, `SOUTH BEND, Ind., March 3`, `LONDON 1996-08-22`).
fn dateline_place<'t>(text: &'t str, mentions: &[Mention]) -> Option<&'t str> {
    let m = mentions
        .iter()
        .take_while(|m| m.span.start <= DATELINE_WINDOW)
        .find(|m| match &m.value {
            Some(Value::Date { .. }) => true,
            // A day without its year ("March 3"), not yet resolved.
            Some(Value::Time { text }) => text.starts_with("--"),
            _ => false,
        })?;
    let line_start = text[..m.span.start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..m.span.start].trim();
    let place = before.split(',').next()?.trim();
    let words = place.split_whitespace().count();
    let starts_upper = place.chars().next().is_some_and(char::is_uppercase);
    let letters = place
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '.' || c == '\'' || c == '-');
    (starts_upper && letters && (1..=4).contains(&words)).then_some(place)
}

/// Replaces the marker currencies of a document's money figures (see the module comment).
/// `dateline` is the document's date, if it has one.
pub fn resolve_document_currencies(text: &str, mentions: &mut [Mention], dateline: Option<NaiveDate>) {
    if !mentions.iter().any(|m| m.value.as_ref().is_some_and(is_marked)) {
        return;
    }
    let country = dateline_place(text, mentions).and_then(|place| {
        let mut key = String::with_capacity(place.len());
        key.extend(
            place
                .chars()
                .filter(char::is_ascii_alphabetic)
                .map(|c| c.to_ascii_lowercase()),
        );
        lexicon::place_country(&key)
    });
    // The currency of the last money figure, for the amounts written without one.
    let mut last: Option<String> = None;
    for m in mentions.iter_mut() {
        let Some(Value::Money {
            currency,
            amount,
            high,
            bound,
        }) = &mut m.value
        else {
            continue;
        };
        if currency == AMOUNT {
            match &last {
                Some(code) => *currency = code.clone(),
                None => {
                    // No money before it: a plain number after all.
                    m.value = Some(Value::Count {
                        amount: *amount,
                        high: *high,
                        noun: None,
                        bound: *bound,
                    });
                    m.subkind = Some(Subkind::Count);
                }
            }
            continue;
        }
        if let Some(family) = family(currency) {
            let code = country
                .and_then(|country| lexicon::qualified_currency(country, family))
                .filter(|code| dateline.is_none_or(|date| !ended_by(code, date)))
                .unwrap_or(default_code(family));
            *currency = code.to_string();
        }
        last = Some(currency.clone());
    }
}
