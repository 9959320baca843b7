//! The annotation file format, schema 1: parsing with located errors, and edits that keep
//! what the user wrote by hand (comments, order, formatting) through `toml_edit`.
//!
//! ```toml
//! schema = 1
//!
//! [[entity]]              # "Eco Cluster Center" is an organization, everywhere
//! text = "Eco Cluster Center"
//! kind = "organization"   # organization | place | person | figure
//! subkind = "institution" # optional: company, government, union, education, institution,
//!                         # country, region, city, facility, money, percent, quantity, count, date
//!
//! [[not_entity]]          # "Aurora" is never an entity
//! text = "Aurora"
//!
//! [[alias]]               # "RKM" is another name of "Renault Korea Motors"
//! text = "RKM"
//! of = "Renault Korea Motors"
//!
//! [[mention]]             # one mention in one article
//! path = "seeds/000_b048b9770dc2da2d.txt"   # relative to the workspace root, '/' separators
//! text = "Busan"
//! before = "its plant in "                  # up to 40 characters of context on each side
//! after = " will build"
//! kind = "none"                             # "none" = not an entity here; or a kind (+ subkind)
//!
//! [[checked]]             # a fact-check diagnostic a person checked (silenced while the
//! code = "figure-conflict"                  # two figures read the same)
//! path = "a.txt"
//! text = "approximately 2,000 employees"
//! other_path = "b.txt"                      # figure-conflict only
//! other_text = "1,800 employees"
//! ```
//!
//! Invariants: a document that fails to parse is never edited; edits are keyed (one
//! vocabulary entry per surface across `entity`, `not_entity` and `alias`; one mention entry
//! per path + text + context), so applying the same edit twice changes nothing.

use std::fmt;
use std::ops::Range;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::recognize::Kind;
use crate::recognize::rules::{Decision, MentionRule, Rules, VocabRule, normalize_path, parse_subkind};

/// The schema version this build reads and writes.
pub const SCHEMA: i64 = 1;

/// Text of a new annotation file.
pub const HEADER: &str = "\
# newsls annotations: corrections to recognition, applied to every article of the workspace.
# Edit by hand or through the editor's code actions; keep it in version control to share it.
# Format: docs/annotations.md in the newsls sources (schema 1).
schema = 1
";

/// A parse or validation error, located in the file (1-based line and column, in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    /// Byte span of the offending text, when known.
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    fn at(src: &str, span: Option<Range<usize>>, message: impl Into<String>) -> ParseError {
        let offset = span.as_ref().map_or(0, |s| s.start.min(src.len()));
        let before = src.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ParseError {
            line,
            column,
            span,
            message: message.into(),
        }
    }
}

/// One change to the annotation file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Adds or replaces the vocabulary rule about the rule's surface.
    Vocab(VocabRule),
    /// Removes any vocabulary rule about this surface.
    RemoveVocab { text: String },
    /// Adds or replaces the decision about this anchored mention.
    Mention(MentionRule),
    /// Removes the decision about this anchored mention (matched on path, text and context).
    RemoveMention(MentionRule),
    /// Adds a checked fact-check diagnostic (once).
    Checked(Checked),
}

/// A fact-check diagnostic marked as checked: the figure (`path`, `text`) and, for a conflict,
/// the other figure. It silences the diagnostic only while both figures read the same.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Checked {
    pub code: String,
    pub path: String,
    pub text: String,
    pub other_path: Option<String>,
    pub other_text: Option<String>,
}

impl Checked {
    /// True when this entry silences the diagnostic `code` on figure (`path`, `text`) against
    /// (`other_path`, `other_text`), either way round for a conflict.
    pub fn covers(&self, code: &str, path: &str, text: &str, other: Option<(&str, &str)>) -> bool {
        if self.code != code {
            return false;
        }
        let this = (self.path.as_str(), self.text.as_str());
        let that = self.other_path.as_deref().zip(self.other_text.as_deref());
        match other {
            None => this == (path, text) && that.is_none(),
            Some(o) => (this == (path, text) && that == Some(o)) || (this == o && that == Some((path, text))),
        }
    }
}

/// The `[[checked]]` entries of an annotation file (none when it does not parse).
pub fn parse_checked(src: &str) -> Vec<Checked> {
    if parse(src).is_err() {
        return Vec::new();
    }
    let Ok(doc) = toml_edit::Document::parse(src) else {
        return Vec::new();
    };
    let Some(tables) = doc.as_table().get("checked").and_then(Item::as_array_of_tables) else {
        return Vec::new();
    };
    tables
        .iter()
        .filter_map(|t| {
            let get = |k: &str| t.get(k).and_then(Item::as_str).map(str::to_string);
            Some(Checked {
                code: get("code")?,
                path: normalize_path(&get("path")?),
                text: get("text")?,
                other_path: get("other_path").map(|p| normalize_path(&p)),
                other_text: get("other_text"),
            })
        })
        .collect()
}

/// Parses and validates an annotation file.
pub fn parse(src: &str) -> Result<Rules, ParseError> {
    let doc =
        toml_edit::Document::parse(src).map_err(|e| ParseError::at(src, e.span(), e.message().trim()))?;
    let root = doc.as_table();
    let mut vocab = Vec::new();
    let mut mentions = Vec::new();
    for (key, item) in root.iter() {
        let span = root.key(key).and_then(|k| k.span()).or_else(|| item.span());
        match key {
            "schema" => match item.as_integer() {
                Some(SCHEMA) => {}
                Some(v) => {
                    return Err(ParseError::at(
                        src,
                        item.span(),
                        format!("unsupported schema {v}: this newsls reads schema {SCHEMA}"),
                    ));
                }
                None => return Err(ParseError::at(src, item.span(), "`schema` must be an integer")),
            },
            "checked" => {
                let Some(tables) = item.as_array_of_tables() else {
                    return Err(ParseError::at(
                        src,
                        span,
                        "`checked` must be an array of tables, written [[checked]]",
                    ));
                };
                for table in tables.iter() {
                    let entry = Entry { src, table };
                    entry.check_keys(&["code", "path", "text", "other_path", "other_text"])?;
                    for key in ["code", "path", "text"] {
                        entry.text(key)?;
                    }
                    entry.optional_str("other_path")?;
                    entry.optional_str("other_text")?;
                }
            }
            "entity" | "not_entity" | "alias" | "mention" => {
                let Some(tables) = item.as_array_of_tables() else {
                    return Err(ParseError::at(
                        src,
                        span,
                        format!("`{key}` must be an array of tables, written [[{key}]]"),
                    ));
                };
                for table in tables.iter() {
                    let entry = Entry { src, table };
                    match key {
                        "entity" => {
                            entry.check_keys(&["text", "kind", "subkind"])?;
                            let (kind, subkind) = entry.kind(false)?.ok_or_else(|| entry.missing("kind"))?;
                            vocab.push(VocabRule::Kind {
                                text: entry.text("text")?,
                                kind,
                                subkind,
                            });
                        }
                        "not_entity" => {
                            entry.check_keys(&["text"])?;
                            vocab.push(VocabRule::NotEntity {
                                text: entry.text("text")?,
                            });
                        }
                        "alias" => {
                            entry.check_keys(&["text", "of"])?;
                            vocab.push(VocabRule::Alias {
                                text: entry.text("text")?,
                                of: entry.text("of")?,
                            });
                        }
                        _ => {
                            entry.check_keys(&[
                                "path",
                                "text",
                                "before",
                                "after",
                                "occurrence",
                                "kind",
                                "subkind",
                            ])?;
                            let decision = match entry.kind(true)? {
                                Some((kind, subkind)) => Decision::Entity { kind, subkind },
                                None => Decision::NotEntity,
                            };
                            mentions.push(MentionRule {
                                path: entry.text("path")?,
                                text: entry.text("text")?,
                                before: entry.optional_str("before")?.unwrap_or_default(),
                                after: entry.optional_str("after")?.unwrap_or_default(),
                                occurrence: entry.optional_count("occurrence")?,
                                decision,
                            });
                        }
                    }
                }
            }
            other => {
                return Err(ParseError::at(
                    src,
                    span,
                    format!(
                        "unknown key `{other}` (expected schema, entity, not_entity, alias, mention or checked)"
                    ),
                ));
            }
        }
    }
    Ok(Rules::new(vocab, mentions))
}

struct Entry<'a> {
    src: &'a str,
    table: &'a Table,
}

impl Entry<'_> {
    fn span(&self) -> Option<Range<usize>> {
        self.table.span()
    }

    fn missing(&self, key: &str) -> ParseError {
        ParseError::at(self.src, self.span(), format!("missing `{key}`"))
    }

    fn check_keys(&self, allowed: &[&str]) -> Result<(), ParseError> {
        for (key, item) in self.table.iter() {
            if !allowed.contains(&key) {
                let span = self.table.key(key).and_then(|k| k.span()).or_else(|| item.span());
                return Err(ParseError::at(
                    self.src,
                    span,
                    format!("unknown key `{key}` (expected {})", allowed.join(", ")),
                ));
            }
        }
        Ok(())
    }

    fn optional_str(&self, key: &str) -> Result<Option<String>, ParseError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(item) => item
                .as_str()
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| ParseError::at(self.src, item.span(), format!("`{key}` must be a string"))),
        }
    }

    fn optional_count(&self, key: &str) -> Result<Option<usize>, ParseError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(item) => item
                .as_integer()
                .and_then(|n| usize::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| {
                    ParseError::at(
                        self.src,
                        item.span(),
                        format!("`{key}` must be a whole number, 0 or more"),
                    )
                }),
        }
    }

    /// A required, non-empty string.
    fn text(&self, key: &str) -> Result<String, ParseError> {
        match self.optional_str(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(_) => Err(ParseError::at(
                self.src,
                self.table.get(key).and_then(|i| i.span()),
                format!("`{key}` must not be empty"),
            )),
            None => Err(self.missing(key)),
        }
    }

    /// `kind` (+ optional `subkind`); `none_allowed` accepts `kind = "none"` as `None`.
    fn kind(
        &self,
        none_allowed: bool,
    ) -> Result<Option<(Kind, Option<crate::recognize::Subkind>)>, ParseError> {
        let Some(name) = self.optional_str("kind")? else {
            return Err(self.missing("kind"));
        };
        let span = self.table.get("kind").and_then(|i| i.span());
        if none_allowed && name == "none" {
            return Ok(None);
        }
        let Some(kind) = Kind::parse(&name) else {
            let expected = if none_allowed {
                "organization, place, person, figure or none"
            } else {
                "organization, place, person or figure"
            };
            return Err(ParseError::at(
                self.src,
                span,
                format!("unknown kind `{name}` (expected {expected})"),
            ));
        };
        let subkind = match self.optional_str("subkind")? {
            None => None,
            Some(s) => Some(parse_subkind(&s).ok_or_else(|| {
                ParseError::at(
                    self.src,
                    self.table.get("subkind").and_then(|i| i.span()),
                    format!("unknown subkind `{s}`"),
                )
            })?),
        };
        Ok(Some((kind, subkind)))
    }
}

/// Applies `edits` to the annotation file text `src` (empty for a new file) and returns the
/// new text. Fails, changing nothing, when `src` does not parse.
pub fn apply_edits(src: &str, edits: &[Edit]) -> Result<String, ParseError> {
    parse(src)?;
    let base = if src.trim().is_empty() { HEADER } else { src };
    let mut doc: DocumentMut = base
        .parse()
        .map_err(|e: toml_edit::TomlError| ParseError::at(base, e.span(), e.message().trim()))?;
    if !doc.contains_key("schema") {
        doc.insert("schema", value(SCHEMA));
        doc.as_table_mut()
            .sort_values_by(|a, _, b, _| (a.get() != "schema").cmp(&(b.get() != "schema")));
    }
    for edit in edits {
        match edit {
            Edit::Vocab(rule) => set_vocab(&mut doc, rule),
            Edit::RemoveVocab { text } => remove_vocab(&mut doc, text, None),
            Edit::Mention(rule) => set_mention(&mut doc, rule),
            Edit::RemoveMention(rule) => remove_mention(&mut doc, rule),
            Edit::Checked(c) => set_checked(&mut doc, c),
        }
    }
    Ok(doc.to_string())
}

const VOCAB_TABLES: [&str; 3] = ["entity", "not_entity", "alias"];

fn table_name(rule: &VocabRule) -> &'static str {
    match rule {
        VocabRule::Kind { .. } => "entity",
        VocabRule::NotEntity { .. } => "not_entity",
        VocabRule::Alias { .. } => "alias",
    }
}

fn tables_mut<'a>(doc: &'a mut DocumentMut, name: &str) -> Option<&'a mut ArrayOfTables> {
    doc.get_mut(name).and_then(Item::as_array_of_tables_mut)
}

/// Removes entries about `text` from the vocabulary tables other than `keep`.
fn remove_vocab(doc: &mut DocumentMut, text: &str, keep: Option<&str>) {
    for name in VOCAB_TABLES {
        if Some(name) == keep {
            continue;
        }
        if let Some(tables) = tables_mut(doc, name) {
            tables.retain(|t| t.get("text").and_then(Item::as_str) != Some(text));
            if tables.is_empty() {
                doc.remove(name);
            }
        }
    }
}

fn set_vocab(doc: &mut DocumentMut, rule: &VocabRule) {
    let name = table_name(rule);
    remove_vocab(doc, rule.text(), Some(name));
    if !doc.contains_key(name) {
        doc.insert(name, Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let Some(tables) = tables_mut(doc, name) else {
        return;
    };
    // Keep the first entry about the surface (updated in place, with its comments), drop others.
    let mut seen = false;
    tables.retain(|t| {
        let same = t.get("text").and_then(Item::as_str) == Some(rule.text());
        let keep = !same || !seen;
        seen |= same;
        keep
    });
    let existing = tables
        .iter_mut()
        .find(|t| t.get("text").and_then(Item::as_str) == Some(rule.text()));
    match existing {
        Some(table) => fill_vocab(table, rule),
        None => {
            let mut table = Table::new();
            table.insert("text", value(rule.text()));
            fill_vocab(&mut table, rule);
            tables.push(table);
        }
    }
}

fn fill_vocab(table: &mut Table, rule: &VocabRule) {
    match rule {
        VocabRule::Kind { kind, subkind, .. } => {
            set_str(table, "kind", kind.as_str());
            match subkind {
                Some(s) => set_str(table, "subkind", s.as_str()),
                None => {
                    table.remove("subkind");
                }
            }
        }
        VocabRule::NotEntity { .. } => {}
        VocabRule::Alias { of, .. } => set_str(table, "of", of),
    }
}

/// Sets a string value, keeping the key's position and any comment after the value.
fn set_str(table: &mut Table, key: &str, new: &str) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) if old.as_str() == Some(new) => {}
        Some(old) => {
            let decor = old.decor().clone();
            *old = toml_edit::Value::from(new);
            *old.decor_mut() = decor;
        }
        None => {
            table.insert(key, value(new));
        }
    }
}

fn set_checked(doc: &mut DocumentMut, c: &Checked) {
    if !doc.contains_key("checked") {
        doc.insert("checked", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let Some(tables) = tables_mut(doc, "checked") else {
        return;
    };
    let same = |t: &Table| {
        let get = |k: &str| t.get(k).and_then(Item::as_str);
        get("code") == Some(c.code.as_str())
            && get("path").map(normalize_path).as_deref() == Some(c.path.as_str())
            && get("text") == Some(c.text.as_str())
            && get("other_path").map(normalize_path) == c.other_path
            && get("other_text") == c.other_text.as_deref()
    };
    if tables.iter().any(same) {
        return;
    }
    let mut table = Table::new();
    table.insert("code", value(c.code.as_str()));
    table.insert("path", value(c.path.as_str()));
    table.insert("text", value(c.text.as_str()));
    if let (Some(p), Some(t)) = (&c.other_path, &c.other_text) {
        table.insert("other_path", value(p.as_str()));
        table.insert("other_text", value(t.as_str()));
    }
    tables.push(table);
}

fn same_anchor(t: &Table, rule: &MentionRule) -> bool {
    let get = |k: &str| t.get(k).and_then(Item::as_str).unwrap_or("");
    normalize_path(get("path")) == rule.path
        && get("text") == rule.text
        && get("before") == rule.before
        && get("after") == rule.after
        && t.get("occurrence")
            .and_then(Item::as_integer)
            .and_then(|n| usize::try_from(n).ok())
            == rule.occurrence
}

fn set_mention(doc: &mut DocumentMut, rule: &MentionRule) {
    if !doc.contains_key("mention") {
        doc.insert("mention", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let Some(tables) = tables_mut(doc, "mention") else {
        return;
    };
    let found = tables.iter().position(|t| same_anchor(t, rule));
    let index = match found {
        Some(i) => i,
        None => {
            let mut table = Table::new();
            table.insert("path", value(rule.path.as_str()));
            table.insert("text", value(rule.text.as_str()));
            table.insert("before", value(rule.before.as_str()));
            table.insert("after", value(rule.after.as_str()));
            if let Some(n) = rule.occurrence {
                table.insert("occurrence", value(n as i64));
            }
            tables.push(table);
            tables.len() - 1
        }
    };
    let table = tables.get_mut(index);
    let Some(table) = table else { return };
    match &rule.decision {
        Decision::NotEntity => {
            set_str(table, "kind", "none");
            table.remove("subkind");
        }
        Decision::Entity { kind, subkind } => {
            set_str(table, "kind", kind.as_str());
            match subkind {
                Some(s) => set_str(table, "subkind", s.as_str()),
                None => {
                    table.remove("subkind");
                }
            }
        }
    }
}

fn remove_mention(doc: &mut DocumentMut, rule: &MentionRule) {
    if let Some(tables) = tables_mut(doc, "mention") {
        tables.retain(|t| !same_anchor(t, rule));
        if tables.is_empty() {
            doc.remove("mention");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::Subkind;

    const SAMPLE: &str = r#"# Our desk's corrections.
schema = 1

# Local companies the gazetteer misses.
[[entity]]
text = "Eco Cluster Center"
kind = "organization"   # a public agency really
subkind = "institution"

[[not_entity]]
text = "Aurora"

[[alias]]
text = "RKM"
of = "Renault Korea Motors"

[[mention]]
path = "./seeds/a.txt"
text = "Busan"
before = "plant in "
after = " will"
kind = "none"
"#;

    #[test]
    fn parses_every_table() {
        let rules = parse(SAMPLE).expect("valid");
        assert_eq!(rules.vocab().len(), 3);
        assert_eq!(
            rules.rule_for("Eco Cluster Center"),
            Some(&VocabRule::Kind {
                text: "Eco Cluster Center".into(),
                kind: Kind::Organization,
                subkind: Some(Subkind::Institution)
            })
        );
        assert_eq!(
            rules.aliases().collect::<Vec<_>>(),
            vec![("RKM", "Renault Korea Motors")]
        );
        assert_eq!(rules.mentions().len(), 1);
        assert_eq!(rules.mentions()[0].path, "seeds/a.txt");
        assert_eq!(rules.mentions()[0].decision, Decision::NotEntity);
        assert!(parse("").expect("empty is fine").is_empty());
    }

    #[test]
    fn errors_have_line_and_column() {
        let err = parse("schema = 1\n[[entity]]\ntext = \"X\"\nkind = \"planet\"\n").expect_err("bad kind");
        assert_eq!((err.line, err.column), (4, 8), "{err}");
        assert!(err.message.contains("planet"));

        let err = parse("schema = 1\n\n[[entity]\ntext = 1\n").expect_err("syntax");
        assert_eq!(err.line, 3, "{err}");

        let err = parse("schema = 1\n[[alias]]\ntext = \"RKM\"\n").expect_err("missing of");
        assert!(err.message.contains("missing `of`"), "{err}");
        assert_eq!(err.line, 2);

        let err = parse("schema = 2\n").expect_err("future schema");
        assert!(err.message.contains("unsupported schema 2"));

        let err = parse("[[entity]]\ntext = \"A\"\nkind = \"place\"\nknd = \"x\"\n").expect_err("typo");
        assert_eq!((err.line, err.column), (4, 1), "{err}");

        let err = parse("[[not_entity]]\ntext = \"\"\n").expect_err("empty");
        assert!(err.message.contains("must not be empty"));
        let err = parse("entity = 3\n").expect_err("wrong shape");
        assert!(err.message.contains("[[entity]]"), "{err}");
        // Unicode before the error counts in characters.
        let err = parse("# café\n[[entity]]\ntext = \"é\"\nkind = \"x\"\n").expect_err("bad");
        assert_eq!((err.line, err.column), (4, 8));
    }

    #[test]
    fn edits_keep_comments_and_order() {
        let out = apply_edits(
            SAMPLE,
            &[
                Edit::Vocab(VocabRule::Kind {
                    text: "Eco Cluster Center".into(),
                    kind: Kind::Place,
                    subkind: None,
                }),
                Edit::Vocab(VocabRule::NotEntity {
                    text: "Monday Club".into(),
                }),
            ],
        )
        .expect("applies");
        assert!(out.starts_with("# Our desk's corrections.\nschema = 1\n"));
        assert!(out.contains("# Local companies the gazetteer misses.\n[[entity]]"));
        assert!(
            out.contains("kind = \"place\"   # a public agency really"),
            "{out}"
        );
        assert!(!out.contains("institution"));
        let rules = parse(&out).expect("still valid");
        assert!(matches!(
            rules.rule_for("Monday Club"),
            Some(VocabRule::NotEntity { .. })
        ));
        // The new not_entity is written next to the other one, before the aliases.
        assert!(out.find("Monday Club") < out.find("[[alias]]"), "{out}");
    }

    #[test]
    fn one_vocabulary_entry_per_surface() {
        let out = apply_edits(
            SAMPLE,
            &[Edit::Vocab(VocabRule::Kind {
                text: "Aurora".into(),
                kind: Kind::Organization,
                subkind: Some(Subkind::Company),
            })],
        )
        .expect("applies");
        let rules = parse(&out).expect("valid");
        assert!(matches!(rules.rule_for("Aurora"), Some(VocabRule::Kind { .. })));
        assert!(!out.contains("[[not_entity]]"), "{out}");
        let again = apply_edits(
            &out,
            &[Edit::RemoveVocab {
                text: "Aurora".into(),
            }],
        )
        .expect("ok");
        assert!(parse(&again).expect("valid").rule_for("Aurora").is_none());
        // Idempotent.
        let twice = apply_edits(
            &again,
            &[Edit::RemoveVocab {
                text: "Aurora".into(),
            }],
        )
        .expect("ok");
        assert_eq!(twice, again);
    }

    #[test]
    fn mention_entries_are_keyed_by_anchor() {
        let rule = MentionRule {
            path: "seeds/a.txt".into(),
            text: "Busan".into(),
            before: "plant in ".into(),
            after: " will".into(),
            occurrence: None,
            decision: Decision::Entity {
                kind: Kind::Place,
                subkind: Some(Subkind::Facility),
            },
        };
        let out = apply_edits(SAMPLE, &[Edit::Mention(rule.clone())]).expect("ok");
        let rules = parse(&out).expect("valid");
        assert_eq!(rules.mentions(), std::slice::from_ref(&rule));
        assert!(!out.contains("occurrence"), "{out}");
        // The same anchor at another occurrence (a repeated sentence) is another entry.
        let second = MentionRule {
            occurrence: Some(1),
            decision: Decision::NotEntity,
            ..rule.clone()
        };
        let out = apply_edits(&out, &[Edit::Mention(second.clone())]).expect("ok");
        assert!(out.contains("occurrence = 1"), "{out}");
        assert_eq!(
            parse(&out).expect("valid").mentions(),
            [rule.clone(), second.clone()]
        );
        let out = apply_edits(&out, &[Edit::RemoveMention(rule)]).expect("ok");
        assert_eq!(
            parse(&out).expect("valid").mentions(),
            std::slice::from_ref(&second)
        );
        let out = apply_edits(&out, &[Edit::RemoveMention(second)]).expect("ok");
        assert!(parse(&out).expect("valid").mentions().is_empty());
        assert!(parse("[[mention]]\npath = \"a\"\ntext = \"B\"\noccurrence = -1\n").is_err());
    }

    #[test]
    fn new_file_gets_header_and_bad_file_is_refused() {
        let out = apply_edits(
            "",
            &[Edit::Vocab(VocabRule::Alias {
                text: "UAW".into(),
                of: "United Auto Workers".into(),
            })],
        )
        .expect("ok");
        assert!(out.starts_with(HEADER), "{out}");
        assert_eq!(parse(&out).expect("valid").vocab().len(), 1);
        let bad = "schema = 1\n[[entity]\n";
        assert!(apply_edits(bad, &[Edit::RemoveVocab { text: "x".into() }]).is_err());
        // Text with quotes, backslashes and newlines survives.
        let tricky = "Say \"hi\" \\ there\nnow";
        let out = apply_edits("", &[Edit::Vocab(VocabRule::NotEntity { text: tricky.into() })]).expect("ok");
        assert!(parse(&out).expect("valid").rule_for(tricky).is_some());
    }
}

#[cfg(test)]
mod checked_tests {
    use super::*;

    #[test]
    fn checked_entries_round_trip_once_and_match_either_way() {
        let c = Checked {
            code: "figure-conflict".into(),
            path: "a.txt".into(),
            text: "2,000 employees".into(),
            other_path: Some("b.txt".into()),
            other_text: Some("1,800 employees".into()),
        };
        let once = apply_edits("", &[Edit::Checked(c.clone())]).expect("edit");
        let twice = apply_edits(&once, &[Edit::Checked(c.clone())]).expect("edit");
        assert_eq!(once, twice, "keyed: the same entry is added once");
        assert!(parse(&once).is_ok());
        assert_eq!(parse_checked(&once), vec![c.clone()]);
        assert!(c.covers(
            "figure-conflict",
            "a.txt",
            "2,000 employees",
            Some(("b.txt", "1,800 employees"))
        ));
        assert!(c.covers(
            "figure-conflict",
            "b.txt",
            "1,800 employees",
            Some(("a.txt", "2,000 employees"))
        ));
        // Either value changed: not covered any more.
        assert!(!c.covers(
            "figure-conflict",
            "a.txt",
            "2,000 employees",
            Some(("b.txt", "1,700 employees"))
        ));
        assert!(!c.covers("change-mismatch", "a.txt", "2,000 employees", None));
        // Unknown keys are errors, like everywhere in the file.
        assert!(parse("[[checked]]\ncode = \"x\"\npath = \"a\"\ntext = \"t\"\ncolour = \"red\"\n").is_err());
    }
}
