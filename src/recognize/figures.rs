//! Figures: money, percentages, quantities with units, counts and dates, with normalised values.
//! (Placeholder: numbers only; replaced by the full figure recogniser.)

use std::sync::LazyLock;

use regex::Regex;

use crate::recognize::types::{Kind, Mention, Subkind, Value};

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d[\d,]*(?:\.\d+)?\b").expect("valid regex"));

/// Figures in one paragraph, spans relative to `para`, possibly overlapping.
pub fn find_figures(para: &str) -> Vec<Mention> {
    NUMBER
        .find_iter(para)
        .map(|m| {
            let amount = m.as_str().replace(',', "").parse::<f64>().unwrap_or(0.0);
            Mention {
                span: m.range(),
                kind: Kind::Figure,
                subkind: Some(Subkind::Count),
                canonical: None,
                value: Some(Value::Count {
                    amount,
                    high: None,
                    noun: None,
                    bound: None,
                }),
                confidence: 50,
            }
        })
        .collect()
}

/// Document-level date work: finds the dateline and resolves relative dates against it.
pub fn resolve_document_dates(_text: &str, _mentions: &mut [Mention]) {}
