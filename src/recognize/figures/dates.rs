//! Calendar helpers of the figure recogniser and the document-level date step: finding an
//! article's dateline and resolving, against it, the relative dates that paragraph-level
//! recognition can only mark (dates without a year, `two years ago`).
//!
//! Paragraph-level recognition marks such figures with a [`Value::Time`] whose text is a
//! month-day (`--09-14`) or a duration before the reference (`-P2Y`); [`resolve_document_dates`]
//! turns every marker into a [`Value::Date`] when the document has a dateline. Without one they
//! stay as they are (they are ISO 8601 forms).

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::recognize::types::{Bound, DateRange, Mention, Value};

/// How far into a document the dateline may be (bytes).
const DATELINE_WINDOW: usize = 1200;

pub fn day(year: i32, month: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, d)
}

pub fn single(date: NaiveDate) -> DateRange {
    DateRange {
        start: date,
        end: date,
    }
}

/// Months `first..=last` of `year` as one range of days.
pub fn months(year: i32, first: u32, last: u32) -> Option<DateRange> {
    let start = day(year, first, 1)?;
    let end = if last == 12 {
        day(year, 12, 31)?
    } else {
        day(year, last + 1, 1)?.pred_opt()?
    };
    Some(DateRange { start, end })
}

/// The part `from/12..to/12` of a period: whole years of a span of years (`the end of the
/// 1990s` = 1998–1999), months of a year (`the end of 1990` = October–December), days
/// otherwise.
pub fn part(range: DateRange, (from, to): (u32, u32)) -> Option<DateRange> {
    use chrono::Datelike;
    let (a, b) = (range.start, range.end);
    let whole_years = a.month() == 1 && a.day() == 1 && b.month() == 12 && b.day() == 31;
    if whole_years && b.year() > a.year() {
        let n = b.year() - a.year() + 1;
        let (from, to) = (i32::try_from(from).ok()?, i32::try_from(to).ok()?);
        let first = a.year() + n * from / 12;
        let last = (a.year() + (n * to + 11) / 12 - 1).max(first);
        return years(first, last);
    }
    if whole_years {
        return months(a.year(), from + 1, to.max(from + 1));
    }
    let days = (b - a).num_days() + 1;
    let start = a + chrono::Duration::days(days * i64::from(from) / 12);
    let end = a + chrono::Duration::days((days * i64::from(to) / 12 - 1).max(0));
    Some(DateRange {
        start,
        end: end.max(start),
    })
}

/// Whole years `first..=last`.
pub fn years(first: i32, last: i32) -> Option<DateRange> {
    Some(DateRange {
        start: day(first, 1, 1)?,
        end: day(last, 12, 31)?,
    })
}

/// The `--MM-DD` marker of a date without a year.
pub fn month_day_marker(month: u32, d: u32) -> String {
    let mut text = String::with_capacity(7);
    text.push_str("--");
    push_two_digits(&mut text, month);
    text.push('-');
    push_two_digits(&mut text, d);
    text
}

/// Appends `n` with at least two digits (`{n:02}`), without the formatting machinery: this
/// is done for every date and time.
pub fn push_two_digits(text: &mut String, n: u32) {
    if n >= 100 {
        text.push_str(&n.to_string());
        return;
    }
    text.push(char::from(b'0' + (n / 10) as u8));
    text.push(char::from(b'0' + (n % 10) as u8));
}

/// The dateline of a document: a full date (day, month and year) near its start, preferring
/// one that stands on a line of its own (`Nov 10, 2023`, `Thursday, February 23, 2006`).
pub fn find_dateline(text: &str, mentions: &[Mention]) -> Option<NaiveDate> {
    let mut first = None;
    for m in mentions {
        if m.span.start > DATELINE_WINDOW {
            break;
        }
        let Some(Value::Date { range, bound: None }) = &m.value else {
            continue;
        };
        if range.start != range.end {
            continue;
        }
        let line_start = text[..m.span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[m.span.end..]
            .find('\n')
            .map_or(text.len(), |i| m.span.end + i);
        let before = text[line_start..m.span.start].trim();
        let after = text[m.span.end..line_end].trim();
        let own_line = after.chars().all(|c| !c.is_alphanumeric())
            && (before.is_empty() || before.ends_with(',') || before.ends_with('-') || before.ends_with('—'));
        if own_line {
            return Some(range.start);
        }
        first.get_or_insert(range.start);
    }
    first
}

/// Finds the document's dateline and resolves the marked relative dates against it (a marker
/// that cannot be resolved stays as it is). Also gives marked currencies theirs (see `figures/currency.rs`). Reads only the figures
/// [`super::document_step_reads`] accepts.
pub fn resolve_document_dates(text: &str, mentions: &mut [Mention]) {
    let has_marker = mentions
        .iter()
        .any(|m| matches!(&m.value, Some(Value::Time { text }) if is_marker(text)));
    let has_currency = mentions
        .iter()
        .any(|m| m.value.as_ref().is_some_and(super::currency::is_marked));
    if !has_marker && !has_currency {
        return;
    }
    if !mentions.is_sorted_by_key(|m| m.span.start) {
        mentions.sort_by_key(|m| m.span.start);
    }
    let dateline = find_dateline(text, mentions);
    if has_currency {
        super::currency::resolve_document_currencies(text, mentions, dateline);
    }
    if !has_marker {
        return;
    }
    let Some(reference) = dateline else {
        return;
    };
    for m in mentions.iter_mut() {
        let Some(Value::Time { text: marker }) = &m.value else {
            continue;
        };
        if is_marker(marker)
            && let Some(value) = resolve_marker(marker, reference)
        {
            m.value = Some(value);
        }
    }
}

fn is_marker(text: &str) -> bool {
    text.starts_with("--") || text.starts_with("-P")
}

fn resolve_marker(marker: &str, reference: NaiveDate) -> Option<Value> {
    if let Some(rest) = marker.strip_prefix("--") {
        let (m, d) = rest.split_once('-')?;
        let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        let mut date = day(reference.year(), m, d)?;
        // A date well after the dateline is usually last year's ("on December 20" in January).
        if date > reference.checked_add_days(Days::new(92))? {
            date = day(reference.year() - 1, m, d)?;
        }
        return Some(Value::Date {
            range: single(date),
            bound: None,
        });
    }
    if let Some(rest) = marker.strip_prefix("-P") {
        // "-P17Y", "-P2W", "-PT24H": that long before the dateline.
        let (amount, unit) = rest
            .trim_start_matches('T')
            .split_at(rest.trim_start_matches('T').len() - 1);
        let amount: f64 = amount.parse().ok()?;
        let time = rest.starts_with('T');
        let date = if time {
            let hours = match unit {
                "H" => amount,
                "M" => amount / 60.0,
                _ => amount / 3600.0,
            };
            reference.checked_sub_days(Days::new((hours / 24.0).floor() as u64))?
        } else {
            match unit {
                "Y" => reference.checked_sub_months(Months::new((amount * 12.0).round() as u32))?,
                "M" => reference.checked_sub_months(Months::new(amount.round() as u32))?,
                "W" => reference.checked_sub_days(Days::new((amount * 7.0).round() as u64))?,
                "D" => reference.checked_sub_days(Days::new(amount.round() as u64))?,
                _ => return None,
            }
        };
        return Some(Value::Date {
            range: single(date),
            bound: Some(Bound::About),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        day(y, m, dd).unwrap()
    }

    #[test]
    fn ranges() {
        assert_eq!(months(2025, 7, 12).unwrap().end, d(2025, 12, 31));
        assert_eq!(months(2024, 2, 2).unwrap().end, d(2024, 2, 29));
        assert_eq!(years(1960, 1969).unwrap().start, d(1960, 1, 1));
    }

    #[test]
    fn markers_resolve_against_a_thursday() {
        let thursday = d(2023, 11, 9);
        let date = |marker: &str| match resolve_marker(marker, thursday) {
            Some(Value::Date { range, .. }) => Some(range.start),
            _ => None,
        };
        assert_eq!(date("--09-14"), Some(d(2023, 9, 14)));
        assert_eq!(date("--12-20"), Some(d(2023, 12, 20)));
        assert_eq!(date("-P2Y"), Some(d(2021, 11, 9)));
        assert_eq!(date("-PT24H"), Some(d(2023, 11, 8)));
        assert_eq!(date("-P3W"), Some(d(2023, 10, 19)));
    }

    #[test]
    fn late_month_days_belong_to_last_year() {
        let january = d(2024, 1, 5);
        match resolve_marker("--12-20", january) {
            Some(Value::Date { range, .. }) => assert_eq!(range.start, d(2023, 12, 20)),
            other => panic!("{other:?}"),
        }
    }
}
