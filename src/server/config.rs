//! Server settings: parsed from `initializationOptions`, `workspace/didChangeConfiguration` and
//! `workspace/configuration` answers. Accepts the settings either at the top level or under a
//! `newsls` section, nested (`{"semanticTokens": {"standardTypes": true}}`) or dotted
//! (`{"semanticTokens.standardTypes": true}`). Unknown keys and ill-typed values are reported
//! back as warnings (the caller logs them) and otherwise ignored; parsing never fails.

use serde_json::{Map, Value as Json};

use crate::recognize::Kind;

/// Default largest file indexed, in bytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Kinds that produce tokens, hovers, symbols, hints and completions.
    pub kinds: [bool; 4],
    /// `newsls.inlayHints.enabled`: normalised values after figures (default off).
    pub inlay_hints: bool,
    /// `newsls.semanticTokens.standardTypes`: use `class`, `namespace`, `number`, `variable`.
    pub standard_types: bool,
    /// `newsls.extensions`: article file extensions (without dot).
    pub extensions: Vec<String>,
    /// `newsls.exclude`: glob patterns of files and folders not indexed.
    pub exclude: Vec<String>,
    /// `newsls.maxFileSize`: larger files are not indexed (bytes).
    pub max_file_size: u64,
    /// `newsls.codeLens.enabled` (default on).
    pub code_lens: bool,
    /// Information diagnostics on mentions recognised with low confidence (annotations).
    pub uncertain_diagnostics: bool,
    /// `newsls.diagnostics.factChecks`: the severity of fact-check diagnostics as the LSP
    /// number (1 error, 2 warning, 3 information, 4 hint), `None` when `"off"`.
    pub fact_checks: Option<u8>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            kinds: [true; 4],
            inlay_hints: false,
            standard_types: false,
            extensions: ["txt", "md", "markdown", "text"].map(String::from).to_vec(),
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            code_lens: true,
            uncertain_diagnostics: false,
            fact_checks: Some(3),
        }
    }
}

impl Config {
    pub fn kind_enabled(&self, kind: Kind) -> bool {
        self.kinds[kind_index(kind)]
    }

    /// Applies settings from a JSON value; returns warnings for what was ignored.
    pub fn apply(&mut self, settings: &Json) -> Vec<String> {
        let mut warnings = Vec::new();
        let Some(obj) = settings.as_object() else {
            if !settings.is_null() {
                warnings.push(format!("settings must be an object, got {settings}"));
            }
            return warnings;
        };
        let mut flat = Vec::new();
        flatten("", obj, &mut flat);
        for (key, value) in flat {
            let key = key.strip_prefix("newsls.").unwrap_or(&key).to_string();
            if let Err(msg) = self.set(&key, value) {
                warnings.push(msg);
            }
        }
        warnings
    }

    fn set(&mut self, key: &str, value: &Json) -> Result<(), String> {
        let bad = || format!("setting `{key}`: unexpected value {value}");
        match key {
            "kinds" => match value {
                Json::Array(items) => {
                    let mut kinds = [false; 4];
                    for item in items {
                        let kind = item.as_str().and_then(Kind::parse).ok_or_else(bad)?;
                        kinds[kind_index(kind)] = true;
                    }
                    self.kinds = kinds;
                }
                _ => return Err(bad()),
            },
            k if k.starts_with("kinds.") => {
                let kind =
                    Kind::parse(&k["kinds.".len()..]).ok_or_else(|| format!("unknown setting `{key}`"))?;
                self.kinds[kind_index(kind)] = value.as_bool().ok_or_else(bad)?;
            }
            "inlayHints" | "inlayHints.enabled" => self.inlay_hints = value.as_bool().ok_or_else(bad)?,
            "codeLens" | "codeLens.enabled" => self.code_lens = value.as_bool().ok_or_else(bad)?,
            "semanticTokens.standardTypes" | "standardTypes" => {
                self.standard_types = value.as_bool().ok_or_else(bad)?
            }
            "diagnostics.factChecks" => {
                self.fact_checks = match value.as_str().ok_or_else(bad)? {
                    "off" | "none" => None,
                    "error" => Some(1),
                    "warning" => Some(2),
                    "information" | "info" => Some(3),
                    "hint" => Some(4),
                    _ => return Err(bad()),
                }
            }
            "diagnostics.uncertain" | "diagnostics" => {
                self.uncertain_diagnostics = value.as_bool().ok_or_else(bad)?
            }
            "extensions" => {
                let list = string_list(value).ok_or_else(bad)?;
                self.extensions = list
                    .into_iter()
                    .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect();
            }
            "exclude" => self.exclude = string_list(value).ok_or_else(bad)?,
            "maxFileSize" => self.max_file_size = value.as_u64().ok_or_else(bad)?,
            _ => return Err(format!("unknown setting `{key}` ignored")),
        }
        Ok(())
    }
}

pub fn kind_index(kind: Kind) -> usize {
    match kind {
        Kind::Organization => 0,
        Kind::Place => 1,
        Kind::Figure => 2,
        Kind::Person => 3,
    }
}

fn string_list(value: &Json) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(String::from))
        .collect()
}

/// Flattens nested objects into dotted keys; arrays and scalars are leaves. An object under a
/// key that takes an object of booleans (`kinds`) is flattened too (`kinds.place`).
fn flatten<'a>(prefix: &str, obj: &'a Map<String, Json>, out: &mut Vec<(String, &'a Json)>) {
    for (k, v) in obj {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Json::Object(inner) => flatten(&key, inner, out),
            _ => out.push((key, v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nested_dotted_and_sectioned_settings() {
        let mut c = Config::default();
        let w = c.apply(&json!({"newsls": {"semanticTokens": {"standardTypes": true}, "inlayHints": true}}));
        assert!(w.is_empty(), "{w:?}");
        assert!(c.standard_types && c.inlay_hints);
        let w = c.apply(
            &json!({"semanticTokens.standardTypes": false, "kinds": {"figure": false},
            "extensions": [".TXT"], "maxFileSize": 100, "exclude": ["**/drafts/**"]}),
        );
        assert!(w.is_empty(), "{w:?}");
        assert!(!c.standard_types);
        assert!(!c.kind_enabled(Kind::Figure) && c.kind_enabled(Kind::Place));
        assert_eq!(c.extensions, vec!["txt"]);
        assert_eq!(c.max_file_size, 100);
        assert_eq!(c.exclude, vec!["**/drafts/**"]);
        c.apply(&json!({"kinds": ["person"]}));
        assert_eq!(c.kinds, [false, false, false, true]);
    }

    #[test]
    fn unknown_and_ill_typed_settings_are_reported_and_ignored() {
        let mut c = Config::default();
        let w = c.apply(&json!({"colour": "red", "maxFileSize": "big", "kinds": ["nonsense"]}));
        assert_eq!(w.len(), 3, "{w:?}");
        assert_eq!(c, Config::default());
        assert_eq!(c.apply(&json!(null)).len(), 0);
        assert_eq!(c.apply(&json!(3)).len(), 1);
    }
}
