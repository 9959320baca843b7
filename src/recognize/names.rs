//! Names: organisations, places and persons. (Placeholder: capitalised word runs.)

use std::sync::LazyLock;

use regex::Regex;

use crate::recognize::gazetteer::Gazetteer;
use crate::recognize::types::{Kind, Mention};

static CAPS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*\b").expect("valid regex"));

/// Names in one paragraph, spans relative to `para`, possibly overlapping.
pub fn find_names(para: &str, _gazetteer: &Gazetteer) -> Vec<Mention> {
    CAPS.find_iter(para)
        .map(|m| Mention {
            span: m.range(),
            kind: Kind::Organization,
            subkind: None,
            canonical: None,
            value: None,
            confidence: 10,
        })
        .collect()
}
