//! Rendering of normalised figure values: the stable machine form (`normalized`, used as the
//! canonical name of a figure and as `value` in JSON output) and the human form (`display`,
//! used by hover) and a compact form for inlay hints (`short`).

use std::fmt::Write;

use crate::recognize::types::{Bound, Value};

impl Value {
    /// Stable machine-readable form: `USD 1300000000`, `25%`, `20..25%`, `9.6 kW`,
    /// `300000 units`, `2025-07-01..2025-12-31`, `2023-11-09`, `>=2022-01-01`.
    ///
    /// Built by hand into one string (no `format!`, no strftime parsing): it is computed for
    /// every figure of every article.
    pub fn normalized(&self) -> String {
        let mut s = String::with_capacity(24);
        match self {
            Value::Money {
                amount,
                high,
                currency,
                bound,
            } => {
                s.push_str(bound_prefix(*bound));
                s.push_str(currency);
                s.push(' ');
                push_range(&mut s, *amount, *high);
            }
            Value::Percent { low, high, bound } => {
                s.push_str(bound_prefix(*bound));
                push_range(&mut s, *low, *high);
                s.push('%');
            }
            Value::Quantity {
                amount,
                high,
                unit,
                bound,
            } => {
                s.push_str(bound_prefix(*bound));
                push_range(&mut s, *amount, *high);
                s.push(' ');
                s.push_str(unit);
            }
            Value::Count {
                amount,
                high,
                noun,
                bound,
            } => {
                s.push_str(bound_prefix(*bound));
                push_range(&mut s, *amount, *high);
                if let Some(noun) = noun {
                    s.push(' ');
                    s.push_str(noun);
                }
            }
            Value::Date { range, bound } => {
                s.push_str(bound_prefix(*bound));
                push_date(&mut s, range.start);
                if range.start != range.end {
                    s.push_str("..");
                    push_date(&mut s, range.end);
                }
            }
            Value::Time { text } => s.push_str(text),
        }
        s
    }

    /// Human-readable form for hovers: `USD 1,300,000,000`, `2025-07-01 to 2025-12-31`.
    pub fn display(&self) -> String {
        match self {
            Value::Money {
                amount,
                high,
                currency,
                bound,
            } => match high {
                Some(high) => format!(
                    "{}{} {} to {}",
                    bound_words(*bound),
                    currency,
                    grouped(*amount),
                    grouped(*high)
                ),
                None => format!("{}{} {}", bound_words(*bound), currency, grouped(*amount)),
            },
            Value::Date { range, bound } => {
                let body = if range.start == range.end {
                    range.start.format("%Y-%m-%d (%A)").to_string()
                } else {
                    format!(
                        "{} to {}",
                        range.start.format("%Y-%m-%d"),
                        range.end.format("%Y-%m-%d")
                    )
                };
                format!("{}{}", bound_words(*bound), body)
            }
            Value::Count {
                amount,
                high,
                noun,
                bound,
            } => {
                let mut res = format!("{}{}", bound_words(*bound), grouped(*amount));
                if let Some(high) = high {
                    res.push_str(" to ");
                    res.push_str(&grouped(*high));
                }
                if let Some(noun) = noun {
                    res.push(' ');
                    res.push_str(noun);
                }
                res
            }
            other => other.normalized(),
        }
    }

    /// Compact form for inlay hints: dates by their span (`2025-07..12`, `2024`); other values
    /// in their normalised form (`USD 1300000000`).
    pub fn short(&self) -> String {
        match self {
            Value::Date { range, bound } => {
                let (s, e) = (range.start, range.end);
                use chrono::Datelike;
                let body = if s == e {
                    s.format("%Y-%m-%d").to_string()
                } else if s.year() == e.year() && s.day() == 1 && is_month_end(e) {
                    if s.month() == 1 && e.month() == 12 {
                        format!("{}", s.year())
                    } else if s.month() == e.month() {
                        s.format("%Y-%m").to_string()
                    } else {
                        format!("{}-{:02}..{:02}", s.year(), s.month(), e.month())
                    }
                } else {
                    format!("{}..{}", s.format("%Y-%m-%d"), e.format("%Y-%m-%d"))
                };
                format!("{}{}", bound_prefix(*bound), body)
            }
            other => other.normalized(),
        }
    }
}

fn is_month_end(date: chrono::NaiveDate) -> bool {
    date.succ_opt().is_none_or(|next| next.day0() == 0)
}

use chrono::Datelike;

/// Appends `YYYY-MM-DD` (chrono's `%Y-%m-%d`).
fn push_date(s: &mut String, d: chrono::NaiveDate) {
    let year = d.year();
    if !(0..=9999).contains(&year) {
        s.push_str(&d.format("%Y-%m-%d").to_string());
        return;
    }
    let year = year.unsigned_abs();
    push_two(s, year / 100);
    push_two(s, year % 100);
    s.push('-');
    push_two(s, d.month());
    s.push('-');
    push_two(s, d.day());
}

fn push_two(s: &mut String, n: u32) {
    s.push(char::from(b'0' + (n / 10 % 10) as u8));
    s.push(char::from(b'0' + (n % 10) as u8));
}

fn bound_prefix(bound: Option<Bound>) -> &'static str {
    match bound {
        None => "",
        Some(Bound::AtMost) => "<=",
        Some(Bound::AtLeast) => ">=",
        Some(Bound::About) => "~",
        Some(Bound::Since) => ">=",
        Some(Bound::Before) => "<",
    }
}

fn bound_words(bound: Option<Bound>) -> &'static str {
    match bound {
        None => "",
        Some(Bound::AtMost) => "up to ",
        Some(Bound::AtLeast) => "at least ",
        Some(Bound::About) => "about ",
        Some(Bound::Since) => "since ",
        Some(Bound::Before) => "before ",
    }
}

/// A number without exponent or trailing zeros: 1300000000, 9.6, 0.25.
pub fn number(x: f64) -> String {
    let mut s = String::new();
    push_number(&mut s, x);
    s
}

/// Appends `low` or `low..high`.
fn push_range(s: &mut String, low: f64, high: Option<f64>) {
    push_number(s, low);
    if let Some(high) = high {
        s.push_str("..");
        push_number(s, high);
    }
}

/// Appends [`number`]`(x)`.
fn push_number(s: &mut String, x: f64) {
    if x.fract() == 0.0 && x.abs() < 1e18 {
        s.push_str(itoa::Buffer::new().format(x as i64));
    } else {
        let start = s.len();
        // Below 1e9 an f64 lies within half a millionth of its shortest decimal form, so when
        // that form has at most six decimals it is also the rounding to six decimals; it is
        // much cheaper to write than the exact rounding. Writing to a String cannot fail.
        if x.abs() < 1e9 {
            let _ = write!(s, "{x}");
            if s[start..].split_once('.').is_none_or(|(_, frac)| frac.len() <= 6) {
                return;
            }
            s.truncate(start);
        }
        let _ = write!(s, "{x:.6}");
        if s[start..].contains('.') {
            let trimmed = s[start..].trim_end_matches('0').trim_end_matches('.').len();
            s.truncate(start + trimmed);
        }
    }
}

/// A number with thousands separators: 1,300,000,000.
pub fn grouped(x: f64) -> String {
    let plain = number(x);
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (plain, None),
    };
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int.as_str()),
    };
    let mut res = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            res.push(',');
        }
        res.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{res}.{f}"),
        None => format!("{sign}{res}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::types::DateRange;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn money_forms() {
        let v = Value::Money {
            amount: 1.3e9,
            high: None,
            currency: "USD".into(),
            bound: None,
        };
        assert_eq!(v.normalized(), "USD 1300000000");
        assert_eq!(v.display(), "USD 1,300,000,000");
        let range = Value::Money {
            amount: 5e9,
            high: Some(6e9),
            currency: "USD".into(),
            bound: Some(Bound::About),
        };
        assert_eq!(range.normalized(), "~USD 5000000000..6000000000");
        assert_eq!(range.display(), "about USD 5,000,000,000 to 6,000,000,000");
    }

    #[test]
    fn date_forms() {
        let v = Value::Date {
            range: DateRange {
                start: day(2025, 7, 1),
                end: day(2025, 12, 31),
            },
            bound: None,
        };
        assert_eq!(v.normalized(), "2025-07-01..2025-12-31");
        assert_eq!(v.display(), "2025-07-01 to 2025-12-31");
        assert_eq!(v.short(), "2025-07..12");
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for start in [
            day(2023, 12, 20),
            day(999, 1, 1),
            day(9998, 12, 25),
            day(-44, 3, 15),
        ] {
            let mut d = start;
            for _ in 0..20 {
                let mut s = String::new();
                push_date(&mut s, d);
                assert_eq!(s, d.format("%Y-%m-%d").to_string());
                d = d.succ_opt().expect("a next day");
            }
        }
    }

    /// [`push_number`] with the rounding to six decimals always written out.
    fn plain_number(x: f64) -> String {
        if x.fract() == 0.0 && x.abs() < 1e18 {
            return format!("{}", x as i64);
        }
        let s = format!("{x:.6}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }

    #[test]
    fn numbers_with_decimals_are_rounded_to_six() {
        let mut xs = vec![
            9.6,
            0.25,
            -1.5,
            2.125,
            1e-7,
            5e-7,
            1.0 / 3.0,
            999_999_999.999_999_5,
            1e9 + 0.5,
        ];
        // Amounts as news write them: "1.3", "12.75", "0.045", "3.14159", cents, ...
        for k in 1..20_000u32 {
            let k = f64::from(k);
            xs.extend([
                k / 10.0,
                k / 100.0,
                k / 1000.0,
                k / 7.0,
                k * 1.1,
                k * 1e5 + 0.3,
                k / 1e7,
            ]);
        }
        for x in xs {
            assert_eq!(number(x), plain_number(x), "{x:e}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(number(9.6), "9.6");
        assert_eq!(number(300000.0), "300000");
        assert_eq!(grouped(1234567.5), "1,234,567.5");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(f64::INFINITY), "inf");
    }
}
