//! Articles written for these tests (not from any corpus), with planted conflicts and near
//! misses.

use chrono::NaiveDate;

use super::*;
use crate::recognize::{Value, recognizer};

fn facts_of(text: &str) -> Facts {
    let entities = recognizer().annotate(text);
    let date = NaiveDate::from_ymd_opt(1987, 3, 2);
    analyze(text, &entities, date)
}

fn dated(text: &str, date: NaiveDate) -> Facts {
    let entities = recognizer().annotate(text);
    analyze(text, &entities, Some(date))
}

fn shown(text: &str, span: &Range<u32>) -> String {
    text[span.start as usize..span.end as usize].to_string()
}

/// The change/total findings of a one-paragraph article, as (code, flagged text).
fn findings(body: &str) -> Vec<(&'static str, String)> {
    let text = format!("TITLE\n\nLONDON, March 2 - {body}\n");
    facts_of(&text)
        .findings
        .iter()
        .map(|f| (f.kind.code(), shown(&text, &f.span)))
        .collect()
}

/// Conflicts between articles given as texts (all dated 1987-03-02 unless given).
fn conflicts_of(texts: &[(&str, NaiveDate)]) -> Vec<(String, String)> {
    let all: Vec<(String, Facts)> = texts
        .iter()
        .map(|(body, d)| {
            let text = format!("TITLE\n\nLONDON, {} - {body}\n", d.format("%B %-d, %Y"));
            let f = dated(&text, *d);
            (text, f)
        })
        .collect();
    let mut claims = Vec::new();
    for (k, (_, f)) in all.iter().enumerate() {
        for c in &f.claims {
            claims.push((k, Some(*texts.get(k).map(|t| &t.1).unwrap_or(&texts[0].1)), c));
        }
    }
    conflicts(&claims)
        .into_iter()
        .map(|(i, j)| (claims[i].2.shown.to_string(), claims[j].2.shown.to_string()))
        .collect()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

// ---- claims ----

#[test]
fn claims_name_subject_measure_period_and_interval() {
    let text = "TITLE\n\nLONDON, March 2 - Acme Corp said its 1986 net profit was 130 mln dlrs.\n";
    let f = facts_of(text);
    assert_eq!(f.claims.len(), 1, "{:?}", f.claims);
    let c = &f.claims[0];
    assert_eq!(&*c.subject, "Acme Corp");
    assert_eq!(c.measure, Measure::NetIncome);
    assert_eq!(&*c.unit, "USD");
    assert_eq!(c.period.describe(), "1986");
    assert_eq!(&*c.shown, "130 mln dlrs");
    assert!(
        (c.lo - 129_500_000.0).abs() < 1.0 && (c.hi - 130_500_000.0).abs() < 1.0,
        "{c:?}"
    );
}

#[test]
fn no_claims_from_forecasts_old_levels_rates_or_two_companies() {
    for body in [
        "Acme Corp said it expects 1987 net profit of 130 mln dlrs.",
        "Acme Corp said 1986 net profit rose to 130 mln dlrs from 100 mln dlrs in 1985.",
        "Acme Corp said its 1986 net profit was 1.30 dlrs a share.",
        "Acme Corp said Beta Inc's 1986 net profit was 130 mln dlrs.",
        "Acme Corp said 1,800 workers went on strike at its plant.",
        "Acme Corp said it raised its stake in Beta Inc to 9.8 pct.",
    ] {
        let text = format!("TITLE\n\nLONDON, March 2 - {body}\n");
        let f = facts_of(&text);
        let got: Vec<_> = f
            .claims
            .iter()
            .map(|c| (c.measure, c.shown.to_string()))
            .collect();
        // Only the 1986 level of the change sentence may be a claim.
        if body.contains("rose to") {
            assert!(
                got.iter().all(|(_, s)| s == "130 mln dlrs") && got.len() <= 1,
                "{body}: {got:?}"
            );
        } else {
            assert!(got.is_empty(), "{body}: {got:?}");
        }
    }
}

#[test]
fn a_quarter_without_its_year_is_as_reported_on_the_article_date() {
    let text = "TITLE\n\nLONDON, March 2 - Acme Corp said its first quarter net profit was 130 mln dlrs.\n";
    let f = facts_of(text);
    let got: Vec<_> = f.claims.iter().map(|c| c.period.describe()).collect();
    assert_eq!(got, vec!["1st qtr reported 1987-03-02".to_string()]);
}

#[test]
fn stake_and_employee_claims() {
    let text = "TITLE\n\nLONDON, March 2 - Acme Corp holds a 45.5 pct stake in Beta Inc.\n\nAcme Corp employs 2,000 people.\n";
    let f = facts_of(text);
    let got: Vec<_> = f
        .claims
        .iter()
        .map(|c| (c.measure, c.shown.to_string(), c.qualifiers.to_vec()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Measure::Stake, "45.5 pct".to_string(), vec![Box::from("n:beta")]),
            (Measure::Employees, "2,000 people".to_string(), vec![]),
        ]
    );
}

// ---- conflicts ----

#[test]
fn approximate_workforce_conflicts_with_a_figure_outside_five_percent() {
    let got = conflicts_of(&[
        ("Acme Corp employs approximately 2,000 employees.", d(1987, 3, 2)),
        ("Acme Corp has 1,800 employees, a spokesman said.", d(1987, 3, 10)),
    ]);
    assert_eq!(
        got,
        vec![(
            "approximately 2,000 employees".to_string(),
            "1,800 employees".to_string()
        )]
    );
}

#[test]
fn approximate_and_rounded_values_within_their_wording_do_not_conflict() {
    assert!(
        conflicts_of(&[
            ("Acme Corp employs about 2,000 employees.", d(1987, 3, 2)),
            ("Acme Corp has 1,950 employees, a spokesman said.", d(1987, 3, 10)),
        ])
        .is_empty()
    );
    assert!(
        conflicts_of(&[
            (
                "Acme Corp said its 1986 net profit was 1.3 billion dlrs.",
                d(1987, 3, 2)
            ),
            (
                "Acme Corp's 1986 net profit was 1.32 billion dlrs.",
                d(1987, 3, 4)
            ),
        ])
        .is_empty()
    );
    assert!(
        conflicts_of(&[
            ("Acme Corp employs more than 2,000 employees.", d(1987, 3, 2)),
            ("Acme Corp has 2,400 employees, a spokesman said.", d(1987, 3, 10)),
        ])
        .is_empty()
    );
}

#[test]
fn rounded_values_that_cannot_both_hold_conflict() {
    let got = conflicts_of(&[
        (
            "Acme Corp said its 1986 net profit was 1.3 billion dlrs.",
            d(1987, 3, 2),
        ),
        (
            "Acme Corp's 1986 net profit was 1.41 billion dlrs.",
            d(1987, 3, 4),
        ),
    ]);
    assert_eq!(
        got,
        vec![("1.3 billion dlrs".to_string(), "1.41 billion dlrs".to_string())]
    );
}

#[test]
fn different_years_do_not_conflict() {
    assert!(
        conflicts_of(&[
            (
                "Acme Corp said its 1986 net profit was 130 mln dlrs.",
                d(1987, 3, 2)
            ),
            (
                "Acme Corp said its 1985 net profit was 100 mln dlrs.",
                d(1987, 3, 4)
            ),
        ])
        .is_empty()
    );
    // Stocks far apart in time do not either.
    assert!(
        conflicts_of(&[
            ("Acme Corp employs 2,000 employees.", d(1987, 3, 2)),
            ("Acme Corp employs 1,800 employees.", d(1987, 9, 2)),
        ])
        .is_empty()
    );
}

#[test]
fn aliases_are_one_subject_but_a_subsidiary_is_another() {
    let got = conflicts_of(&[
        (
            "Acme Corp said its 1986 net profit was 130 mln dlrs.",
            d(1987, 3, 2),
        ),
        (
            "Acme Inc said its 1986 net profit was 150 mln dlrs.",
            d(1987, 3, 4),
        ),
    ]);
    assert_eq!(
        got,
        vec![("130 mln dlrs".to_string(), "150 mln dlrs".to_string())]
    );
    assert!(
        conflicts_of(&[
            (
                "Acme Corp said its 1986 net profit was 130 mln dlrs.",
                d(1987, 3, 2)
            ),
            (
                "Acme Financial Corp said its 1986 net profit was 40 mln dlrs.",
                d(1987, 3, 4)
            ),
        ])
        .is_empty()
    );
    assert!(
        conflicts_of(&[
            (
                "Acme Corp said its 1986 net profit was 130 mln dlrs.",
                d(1987, 3, 2)
            ),
            (
                "Beta Inc, a unit of Acme Corp, said its 1986 net profit was 40 mln dlrs.",
                d(1987, 3, 4)
            ),
        ])
        .is_empty()
    );
}

#[test]
fn two_plants_of_one_company_do_not_conflict_but_one_plant_does() {
    assert!(
        conflicts_of(&[
            (
                "Acme Corp employs 2,000 employees at its plant in Dayton.",
                d(1987, 3, 2)
            ),
            (
                "Acme Corp employs 1,500 employees at its plant in Toledo.",
                d(1987, 3, 4)
            ),
        ])
        .is_empty()
    );
    let got = conflicts_of(&[
        (
            "Acme Corp employs 2,000 employees at its plant in Dayton.",
            d(1987, 3, 2),
        ),
        (
            "Acme Corp employs 1,500 employees at its plant in Dayton.",
            d(1987, 3, 4),
        ),
    ]);
    assert_eq!(
        got,
        vec![("2,000 employees".to_string(), "1,500 employees".to_string())]
    );
}

#[test]
fn different_measures_and_currencies_do_not_conflict() {
    assert!(
        conflicts_of(&[
            (
                "Acme Corp said its 1986 net profit was 130 mln dlrs.",
                d(1987, 3, 2)
            ),
            (
                "Acme Corp said its 1986 operating profit was 150 mln dlrs.",
                d(1987, 3, 4)
            ),
            (
                "Acme Corp said its 1986 revenue was 1.5 billion dlrs.",
                d(1987, 3, 4)
            ),
            (
                "Acme Corp said its 1986 net profit was 190 mln marks.",
                d(1987, 3, 4)
            ),
        ])
        .is_empty()
    );
}

#[test]
fn one_article_never_conflicts_with_itself() {
    assert!(
        conflicts_of(&[(
            "Acme Corp said its 1986 net profit was 130 mln dlrs. Acme Corp's 1986 net profit was 150 mln dlrs.",
            d(1987, 3, 2)
        )])
        .is_empty()
    );
}

// ---- arithmetic ----

#[test]
fn percent_change_that_contradicts_the_levels_is_flagged() {
    assert_eq!(
        findings("Acme Corp said its profit rose 25 pct to 130 mln dlrs from 100 mln dlrs."),
        vec![("change-mismatch", "25 pct".to_string())]
    );
    assert_eq!(
        findings("Sales rose 30 pct to 130 mln dlrs from 100 mln dlrs."),
        vec![]
    );
    // Rounding of the levels is allowed: 967,000 from 1.1 mln is between -16% and -8%.
    assert_eq!(
        findings("Usage fell 10 pct to 967,000 tonnes from 1.1 mln."),
        vec![]
    );
    assert_eq!(
        findings("Usage fell 20 pct to 967,000 tonnes from 1.1 mln."),
        vec![("change-mismatch", "20 pct".to_string())]
    );
}

#[test]
fn fractions_are_amounts_in_the_levels_unit() {
    assert_eq!(
        findings("The stock fell 1/2 to 30 from 31."),
        vec![("change-mismatch", "1/2".to_string())]
    );
    assert_eq!(findings("The stock fell 1/2 to 30-1/2 from 31."), vec![]);
}

#[test]
fn percentage_points_and_percent_levels() {
    assert_eq!(
        findings("Its market share rose 2.5 percentage points to 14.5 pct from 11 pct."),
        vec![("change-mismatch", "2.5 percentage points".to_string())]
    );
    assert_eq!(
        findings("Its market share rose 2.5 percentage points to 14.5 pct from 12 pct."),
        vec![]
    );
    // `pct` between two percents may be points or relative: either reading is accepted.
    assert_eq!(findings("The rate rose 0.5 pct to 7.5 pct from 7 pct."), vec![]);
    assert_eq!(
        findings("The rate rose 3 pct to 7.5 pct from 7 pct."),
        vec![("change-mismatch", "3 pct".to_string())]
    );
}

#[test]
fn change_stated_after_the_levels() {
    assert_eq!(
        findings("Revenue was up from $1.1 billion to $1.3 billion, a 30 percent increase."),
        vec![("change-mismatch", "30 percent".to_string())]
    );
    assert_eq!(
        findings("Revenue was up from $1.1 billion to $1.3 billion, an 18 percent increase."),
        vec![]
    );
    assert_eq!(
        findings("Net income rose to 130 mln dlrs from 100 mln dlrs, or 20 pct."),
        vec![("change-mismatch", "20 pct".to_string())]
    );
}

#[test]
fn direction_contradicting_the_levels_is_flagged() {
    assert_eq!(
        findings("Exports rose to 80 mln dlrs from 100 mln dlrs."),
        vec![("change-mismatch", "80 mln dlrs".to_string())]
    );
    assert_eq!(findings("Exports fell to 80 mln dlrs from 100 mln dlrs."), vec![]);
}

#[test]
fn parts_exceeding_their_total_are_flagged() {
    assert_eq!(
        findings("The plant has 2,000 employees, 1,200 in production and 900 in research."),
        vec![("total-mismatch", "2,000 employees".to_string())]
    );
    assert_eq!(
        findings("The plant has 2,000 employees, 1,200 in production and 800 in research."),
        vec![]
    );
    // A partial breakdown is not an error.
    assert_eq!(
        findings("The plant has 2,000 employees, 1,200 in production and 300 in research."),
        vec![]
    );
}

#[test]
fn intervals_follow_the_wording() {
    let v = |a: f64| Value::Count {
        amount: a,
        high: None,
        noun: None,
        bound: None,
    };
    assert_eq!(
        interval_of("2,000", &v(2000.0), [None, None]),
        Some(Interval {
            lo: 1999.5,
            hi: 2000.5
        })
    );
    let about = interval_of("2,000", &v(2000.0), [Some("about"), None]).expect("interval");
    assert!(
        (about.lo - 1899.525).abs() < 1e-6 && (about.hi - 2100.525).abs() < 1e-6,
        "{about:?}"
    );
    let more = interval_of("2,000", &v(2000.0), [Some("than"), Some("more")]).expect("interval");
    assert_eq!(more.hi, f64::INFINITY);
    let money = Value::Money {
        amount: 1.3e9,
        high: None,
        currency: "USD".into(),
        bound: None,
    };
    let m = interval_of("1.3 billion dlrs", &money, [None, None]).expect("interval");
    assert!(
        (m.lo - 1.25e9).abs() < 1.0 && (m.hi - 1.35e9).abs() < 1.0,
        "{m:?}"
    );
    assert_eq!(subject_key("The Acme Corp."), "acme");
    assert_eq!(subject_key("Acme Financial Corp"), "acme financial");
}

// ---- earnings tables ----

const TABLE_A: &str = "ACME WIDGETS INC <ACW> 4TH QTR NET\n\nDALLAS, March 20 (1987-03-20)\n\nShr loss six cts vs loss 88 cts\n\nNet loss 128,141 vs loss 1,298,377\n\nRevs 1,332,218 vs 385,146\n\nYear\n\nShr profit six cts vs loss 1.47 dlrs\n\nNet profit 120,571 vs loss 2,171,011\n";

#[test]
fn earnings_tables_give_claims_for_the_headline_company_and_period() {
    let f = facts_of(TABLE_A);
    let got: Vec<(String, Measure, String, String)> = f
        .claims
        .iter()
        .map(|c| {
            (
                c.subject.to_string(),
                c.measure,
                c.period.describe(),
                c.shown.to_string(),
            )
        })
        .collect();
    let s = "ACME WIDGETS INC <ACW>".to_string();
    assert_eq!(
        got,
        vec![
            (
                s.clone(),
                Measure::LossPerShare,
                "4th qtr reported 1987-03-02".into(),
                "six cts".into()
            ),
            (
                s.clone(),
                Measure::NetLoss,
                "4th qtr reported 1987-03-02".into(),
                "128,141".into()
            ),
            (
                s.clone(),
                Measure::Revenue,
                "4th qtr reported 1987-03-02".into(),
                "1,332,218".into()
            ),
            (
                s.clone(),
                Measure::EarningsPerShare,
                "year reported 1987-03-02".into(),
                "six cts".into()
            ),
            (
                s,
                Measure::NetIncome,
                "year reported 1987-03-02".into(),
                "120,571".into()
            ),
        ]
    );
}

fn table_conflicts(a: &str, b: &str) -> Vec<(String, String)> {
    let fa = facts_of(a);
    let fb = facts_of(b);
    let mut claims = Vec::new();
    for c in &fa.claims {
        claims.push((0, None, c));
    }
    for c in &fb.claims {
        claims.push((1, None, c));
    }
    conflicts(&claims)
        .into_iter()
        .map(|(i, j)| (claims[i].2.shown.to_string(), claims[j].2.shown.to_string()))
        .collect()
}

#[test]
fn a_corrected_table_conflicts_with_the_first_one() {
    let b = TABLE_A
        .replace("128,141", "123,840")
        .replace("March 20 (1987-03-20)", "March 24 (1987-03-24)");
    assert_eq!(
        table_conflicts(TABLE_A, &b),
        vec![("128,141".to_string(), "123,840".to_string())]
    );
    // The same table again, or rounded to the thousand, is no conflict.
    assert!(table_conflicts(TABLE_A, TABLE_A).is_empty());
    let rounded = TABLE_A.replace("1,332,218", "1,332,000");
    assert!(table_conflicts(TABLE_A, &rounded).is_empty());
    // Another company of the same name (another ticker) is not the same subject.
    let other = b.replace("<ACW>", "<ACX>");
    assert!(table_conflicts(TABLE_A, &other).is_empty());
    // Nor the same company's other quarter.
    let q3 = b.replace("4TH QTR", "3RD QTR");
    assert!(table_conflicts(TABLE_A, &q3).is_empty());
}

#[test]
fn headline_companies() {
    use super::extract::headline_company;
    assert_eq!(
        headline_company("ACME INC <ACM.O> 4TH QTR NET").as_deref(),
        Some("ACME INC <ACM>")
    );
    assert_eq!(
        headline_company("(CORRECTED) - <ACME LTD> YEAR NET").as_deref(),
        Some("ACME LTD")
    );
    assert_eq!(
        headline_company("AMERICAN ACME CORP YEAR NET").as_deref(),
        Some("AMERICAN ACME CORP")
    );
    assert_eq!(headline_company("ACME SETS DIVIDEND"), None);
}

#[test]
fn near_misses_of_stated_changes_are_not_flagged() {
    // A qualified percentage (`on a comparable store basis`) is another measure.
    assert_eq!(
        findings(
            "Sales gained to 499.6 mln dlrs from 422.0 mln dlrs, or four pct on a comparable store basis."
        ),
        vec![]
    );
    // A range after `down from` is an estimate range, not two levels.
    assert_eq!(
        findings("The crop was estimated at 2.3 mln tonnes, down from 2.4 to 2.7 mln tonnes last week."),
        vec![]
    );
    // Exchange rates are quoted either way round.
    assert_eq!(
        findings("The yen rose to 161 from 221 against the dollar."),
        vec![]
    );
    // A difference within a point or a tenth of the stated change is wire rounding.
    assert_eq!(
        findings("Sales rose 15.5 pct to 101.1 mln dlrs from 87.4 mln dlrs."),
        vec![]
    );
}

#[test]
fn a_business_of_a_company_is_not_the_company() {
    assert!(
        conflicts_of(&[
            (
                "Acme Corp earned 20 mln dlrs on revenues of 3.62 billion dlrs in 1986.",
                d(1987, 3, 2)
            ),
            (
                "Acme Corp's chemical business had revenues of 1.04 billion dlrs in 1986.",
                d(1987, 3, 4)
            ),
        ])
        .is_empty()
    );
}

#[test]
fn sources_dated_stocks_and_other_years_give_no_claims() {
    let claims = |body: &str| {
        let text = format!("TITLE\n\nLONDON, March 2 - {body}\n");
        facts_of(&text)
            .claims
            .iter()
            .map(|c| c.shown.to_string())
            .collect::<Vec<_>>()
    };
    // The organisation reporting a figure about something else is not its subject.
    assert!(claims("Acme Corp said the registered debt was 101 billion dlrs.").is_empty());
    assert_eq!(
        claims("Acme Corp said its debt was 101 billion dlrs."),
        vec!["101 billion dlrs".to_string()]
    );
    // A stock dated in its sentence is not as of the article's date.
    assert!(claims("Acme Corp had total assets of 7.3 billion dlrs as of June 30, 1986.").is_empty());
    assert_eq!(
        claims("Acme Corp has total assets of 7.3 billion dlrs."),
        vec!["7.3 billion dlrs".to_string()]
    );
    // A quarter without its year next to `last year's` may be another year's.
    assert!(
        claims("In last year's first quarter Acme Corp earned 3 mln dlrs on revenues of 2.4 mln dlrs.")
            .is_empty()
    );
}
