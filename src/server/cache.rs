//! The on-disk index cache: one file per workspace holding the corpus index itself, so that a
//! restart re-reads only files that changed and loads the rest without re-interning strings.
//!
//! Format 6: a postcard `Header` (magic, format version, recogniser version, rules
//! fingerprint), then `u64 LE body length`, `u64 LE checksum of the body`, then the body:
//! - the entity table: `varint n`, then `n` postcard `CachedEntity` (kind, subkind, canonical,
//!   aliases, value), each entity stored once;
//! - the articles: `varint n`, then per article its path, size, mtime, title, date, its line
//!   table (length-prefixed bytes, see [`crate::corpus::LineTable`]) and its mentions as flat
//!   varints `(start delta, length, entity index, flags)`, flags followed by the two UTF-16 lags
//!   when it has `LAGS`, then its fact-check claims and findings as one postcard
//!   `CachedFacts`.
//!
//! Invariants: an entry is used only when the file's path, size and mtime match it and the
//! header's versions match this binary; anything else (missing, corrupt, truncated, stale) is
//! rebuilt from the file, never trusted (the checksum and bounds checks reject damage). Only
//! articles analysed from disk are saved (never an editor's unsaved buffer). The serialisable
//! types live here, not on core types. The file is written to a temporary name and renamed,
//! so a crash never leaves half a cache.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::corpus::{Article, ArticleMention, ArticleRecord, CorpusIndex, EntityId, EntityRecord, LineTable};
use crate::facts::{Claim, Facts, Finding, FindingKind, Measure, Period};
use crate::recognize::{Bound, DateRange, Kind, RECOGNIZER_VERSION, Subkind, Value};

const MAGIC: [u8; 8] = *b"NEWSLSIX";
const FORMAT: u32 = 6;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Header {
    magic: [u8; 8],
    format: u32,
    recognizer: u32,
    /// Fingerprint of the annotation rules the articles were recognised with.
    rules: u64,
}

fn header(rules: u64) -> Header {
    Header {
        magic: MAGIC,
        format: FORMAT,
        recognizer: RECOGNIZER_VERSION,
        rules,
    }
}

/// The cache-file location for a set of workspace roots: `$NEWSLS_CACHE_DIR`, else the
/// platform cache folder (`$XDG_CACHE_HOME/newsls`, `~/.cache/newsls`, `~/Library/Caches/newsls`,
/// `%LOCALAPPDATA%\newsls\cache`), else `.newsls/cache/` under the first root.
pub fn cache_file(roots: &[PathBuf]) -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let dir = env("NEWSLS_CACHE_DIR")
        .or_else(|| {
            if cfg!(windows) {
                env("LOCALAPPDATA").map(|d| d.join("newsls").join("cache"))
            } else if cfg!(target_os = "macos") {
                env("HOME").map(|h| h.join("Library/Caches/newsls"))
            } else {
                env("XDG_CACHE_HOME")
                    .map(|d| d.join("newsls"))
                    .or_else(|| env("HOME").map(|h| h.join(".cache/newsls")))
            }
        })
        .or_else(|| roots.first().map(|r| r.join(".newsls").join("cache")))?;
    // FNV-1a of the roots: stable across builds (std's hasher is not guaranteed to be).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for root in roots {
        for b in root.to_string_lossy().bytes().chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Some(dir.join(format!("index-{hash:016x}.bin")))
}

/// File identity used to validate an entry: size and mtime (seconds, nanoseconds).
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Stamp {
    pub size: u64,
    pub mtime: Option<(u64, u32)>,
}

impl Stamp {
    pub fn new(size: u64, mtime: Option<SystemTime>) -> Stamp {
        let mtime = mtime
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| (d.as_secs(), d.subsec_nanos()));
        Stamp { size, mtime }
    }

    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp::new(meta.len(), meta.modified().ok()))
    }

    fn system_time(&self) -> Option<SystemTime> {
        self.mtime
            .map(|(s, n)| UNIX_EPOCH + Duration::from_secs(s) + Duration::from_nanos(u64::from(n)))
    }
}

#[derive(Serialize, Deserialize)]
struct CachedEntity {
    kind: u8,
    subkind: Option<u8>,
    canonical: String,
    aliases: Vec<String>,
    value: Option<CachedValue>,
}

#[derive(Serialize, Deserialize)]
enum CachedValue {
    Money(f64, Option<f64>, String, Option<u8>),
    Percent(f64, Option<f64>, Option<u8>),
    Quantity(f64, Option<f64>, String, Option<u8>),
    Count(f64, Option<f64>, Option<String>, Option<u8>),
    Date(i32, i32, Option<u8>),
    Time(String),
}

#[derive(Serialize, Deserialize)]
struct CachedFacts {
    claims: Vec<CachedClaim>,
    findings: Vec<CachedFinding>,
}

#[derive(Serialize, Deserialize)]
struct CachedClaim {
    span: (u32, u32),
    subject: String,
    qualifiers: Vec<String>,
    measure: u8,
    unit: String,
    /// 0: a span (start, end days), 1: fiscal span, 2: as of (start day), 3: reported
    /// (label, day).
    period: (u8, i32, i32),
    lo: f64,
    hi: f64,
    shown: String,
}

#[derive(Serialize, Deserialize)]
struct CachedFinding {
    kind: u8,
    span: (u32, u32),
    related: Vec<(u32, u32)>,
    message: String,
}

const FINDING_KINDS: [FindingKind; 2] = [FindingKind::ChangeMismatch, FindingKind::TotalMismatch];

fn facts_to(f: &Facts) -> CachedFacts {
    CachedFacts {
        claims: f
            .claims
            .iter()
            .map(|c| CachedClaim {
                span: (c.span.start, c.span.end),
                subject: c.subject.to_string(),
                qualifiers: c.qualifiers.iter().map(|q| q.to_string()).collect(),
                measure: index_of(&Measure::ALL, &c.measure),
                unit: c.unit.to_string(),
                period: match c.period {
                    Period::Span { start, end, fiscal } => (u8::from(fiscal), day_to(start), day_to(end)),
                    Period::AsOf(d) => (2, day_to(d), day_to(d)),
                    Period::Reported { label, date } => (3, i32::from(label), day_to(date)),
                },
                lo: c.lo,
                hi: c.hi,
                shown: c.shown.to_string(),
            })
            .collect(),
        findings: f
            .findings
            .iter()
            .map(|x| CachedFinding {
                kind: index_of(&FINDING_KINDS, &x.kind),
                span: (x.span.start, x.span.end),
                related: x.related.iter().map(|r| (r.start, r.end)).collect(),
                message: x.message.clone(),
            })
            .collect(),
    }
}

fn facts_from(c: CachedFacts) -> Result<Facts, ()> {
    let claims = c
        .claims
        .into_iter()
        .map(|c| {
            Ok(Claim {
                span: c.span.0..c.span.1,
                subject: c.subject.into(),
                qualifiers: c.qualifiers.into_iter().map(Box::from).collect(),
                measure: *Measure::ALL.get(c.measure as usize).ok_or(())?,
                unit: c.unit.into(),
                period: match c.period.0 {
                    0 | 1 => Period::Span {
                        start: day_from(c.period.1)?,
                        end: day_from(c.period.2)?,
                        fiscal: c.period.0 == 1,
                    },
                    2 => Period::AsOf(day_from(c.period.1)?),
                    3 => Period::Reported {
                        label: u8::try_from(c.period.1).map_err(|_| ())?,
                        date: day_from(c.period.2)?,
                    },
                    _ => return Err(()),
                },
                lo: c.lo,
                hi: c.hi,
                shown: c.shown.into(),
            })
        })
        .collect::<Result<Vec<_>, ()>>()?;
    let findings = c
        .findings
        .into_iter()
        .map(|f| {
            Ok(Finding {
                kind: *FINDING_KINDS.get(f.kind as usize).ok_or(())?,
                span: f.span.0..f.span.1,
                related: f.related.into_iter().map(|(a, b)| a..b).collect(),
                message: f.message,
            })
        })
        .collect::<Result<Vec<_>, ()>>()?;
    Ok(Facts { claims, findings })
}

const KINDS: [Kind; 4] = Kind::ALL;
const SUBKINDS: [Subkind; 14] = Subkind::ALL;
const BOUNDS: [Bound; 5] = [
    Bound::AtMost,
    Bound::AtLeast,
    Bound::About,
    Bound::Since,
    Bound::Before,
];

fn index_of<T: PartialEq>(all: &[T], x: &T) -> u8 {
    all.iter().position(|y| y == x).unwrap_or(0) as u8
}

fn bound_to(b: Option<Bound>) -> Option<u8> {
    b.map(|b| index_of(&BOUNDS, &b))
}

fn bound_from(b: Option<u8>) -> Result<Option<Bound>, ()> {
    b.map(|i| BOUNDS.get(i as usize).copied().ok_or(())).transpose()
}

fn day_to(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn day_from(n: i32) -> Result<NaiveDate, ()> {
    NaiveDate::from_num_days_from_ce_opt(n).ok_or(())
}

fn value_to(v: &Value) -> CachedValue {
    match v.clone() {
        Value::Money {
            amount,
            high,
            currency,
            bound,
        } => CachedValue::Money(amount, high, currency, bound_to(bound)),
        Value::Percent { low, high, bound } => CachedValue::Percent(low, high, bound_to(bound)),
        Value::Quantity {
            amount,
            high,
            unit,
            bound,
        } => CachedValue::Quantity(amount, high, unit, bound_to(bound)),
        Value::Count {
            amount,
            high,
            noun,
            bound,
        } => CachedValue::Count(amount, high, noun, bound_to(bound)),
        Value::Date { range, bound } => {
            CachedValue::Date(day_to(range.start), day_to(range.end), bound_to(bound))
        }
        Value::Time { text } => CachedValue::Time(text),
    }
}

fn value_from(v: CachedValue) -> Result<Value, ()> {
    Ok(match v {
        CachedValue::Money(amount, high, currency, b) => Value::Money {
            amount,
            high,
            currency,
            bound: bound_from(b)?,
        },
        CachedValue::Percent(low, high, b) => Value::Percent {
            low,
            high,
            bound: bound_from(b)?,
        },
        CachedValue::Quantity(amount, high, unit, b) => Value::Quantity {
            amount,
            high,
            unit,
            bound: bound_from(b)?,
        },
        CachedValue::Count(amount, high, noun, b) => Value::Count {
            amount,
            high,
            noun,
            bound: bound_from(b)?,
        },
        CachedValue::Date(s, e, b) => Value::Date {
            range: DateRange {
                start: day_from(s)?,
                end: day_from(e)?,
            },
            bound: bound_from(b)?,
        },
        CachedValue::Time(text) => Value::Time { text },
    })
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Checksum of the body: a multiply-rotate hash over 8-byte words (fast; detects damage, not
/// tampering).
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in words.by_ref() {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(a))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    let mut a = [0u8; 8];
    a[..words.remainder().len()].copy_from_slice(words.remainder());
    (h ^ u64::from_le_bytes(a)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

const ALIAS: u8 = 1;
const DECLARATION: u8 = 2;
/// The mention's UTF-16 lags are not both 0: two bytes follow the flags.
const LAGS: u8 = 4;

/// Encodes the articles of `corpus` analysed from disk (with a UTF-8 path and an mtime) and the
/// entities they mention; returns the body and the number of articles written.
fn encode_body(corpus: &CorpusIndex) -> Result<(Vec<u8>, usize), postcard::Error> {
    let mut out = Vec::new();
    let articles: Vec<(&str, &crate::corpus::Article)> = corpus
        .articles()
        .filter(|(_, a)| a.on_disk() && a.mtime.is_some())
        .filter_map(|(_, a)| Some((a.path.to_str()?, a)))
        .collect();
    // Only entities that saved articles mention, renumbered densely.
    let mut remap: Vec<u32> = Vec::new();
    let mut used: Vec<bool> = Vec::new();
    for (_, a) in &articles {
        for m in &a.mentions {
            let i = m.entity.0 as usize;
            if used.len() <= i {
                used.resize(i + 1, false);
            }
            used[i] = true;
        }
    }
    let n_entities = used.iter().filter(|u| **u).count();
    put_varint(&mut out, n_entities as u64);
    let mut next = 0u32;
    for (id, info) in corpus.entities() {
        let i = id.0 as usize;
        if remap.len() <= i {
            remap.resize(i + 1, u32::MAX);
        }
        if !used.get(i).copied().unwrap_or(false) {
            continue;
        }
        remap[i] = next;
        next += 1;
        let cached = CachedEntity {
            kind: index_of(&KINDS, &info.kind),
            subkind: info.subkind.map(|s| index_of(&SUBKINDS, &s)),
            canonical: info.canonical.clone(),
            aliases: info.aliases.clone(),
            value: info.value.as_ref().map(value_to),
        };
        out = postcard::to_extend(&cached, out)?;
    }
    put_varint(&mut out, articles.len() as u64);
    for (path, a) in &articles {
        put_str(&mut out, path);
        let stamp = Stamp::new(a.size, a.mtime);
        put_varint(&mut out, stamp.size);
        let (secs, nanos) = stamp.mtime.unwrap_or((0, 0));
        put_varint(&mut out, secs);
        put_varint(&mut out, u64::from(nanos));
        put_str(&mut out, &a.title);
        match a.date {
            Some(d) => {
                out.push(1);
                put_varint(&mut out, u64::from(day_to(d) as u32));
            }
            None => out.push(0),
        }
        let lines = a.lines.as_bytes();
        put_varint(&mut out, lines.len() as u64);
        out.extend_from_slice(lines);
        put_varint(&mut out, a.mentions.len() as u64);
        let mut start = 0u32;
        for m in &a.mentions {
            // Mentions are sorted by start: deltas keep varints short.
            put_varint(&mut out, u64::from(m.span.start.wrapping_sub(start)));
            put_varint(&mut out, u64::from(m.span.end.saturating_sub(m.span.start)));
            put_varint(&mut out, u64::from(remap[m.entity.0 as usize]));
            let lags = m.utf16_lag != [0, 0];
            out.push(
                (u8::from(m.alias) * ALIAS)
                    | (u8::from(m.declaration) * DECLARATION)
                    | (u8::from(lags) * LAGS),
            );
            if lags {
                out.extend_from_slice(&m.utf16_lag);
            }
            start = m.span.start;
        }
        out = postcard::to_extend(&facts_to(&a.facts), out)?;
    }
    Ok((out, articles.len()))
}

/// Reads the body format; every error means "corrupt".
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, ()> {
        let (&b, rest) = self.bytes.split_first().ok_or(())?;
        self.bytes = rest;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, ()> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(())
    }

    fn bytes(&mut self) -> Result<&'a [u8], ()> {
        let len = usize::try_from(self.varint()?).map_err(|_| ())?;
        if len > self.bytes.len() {
            return Err(());
        }
        let (s, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, ()> {
        u32::try_from(self.varint()?).map_err(|_| ())
    }

    fn str(&mut self) -> Result<&'a str, ()> {
        std::str::from_utf8(self.bytes()?).map_err(|_| ())
    }

    /// A count of items that each take at least `min_size` bytes (bounds allocations).
    fn count(&mut self, min_size: usize) -> Result<usize, ()> {
        let n = usize::try_from(self.varint()?).map_err(|_| ())?;
        if n.saturating_mul(min_size) > self.bytes.len() {
            return Err(());
        }
        Ok(n)
    }
}

fn decode_entity(c: CachedEntity) -> Result<EntityRecord, ()> {
    Ok(EntityRecord {
        kind: *KINDS.get(c.kind as usize).ok_or(())?,
        subkind: c
            .subkind
            .map(|s| SUBKINDS.get(s as usize).copied().ok_or(()))
            .transpose()?,
        canonical: c.canonical,
        aliases: c.aliases,
        value: c.value.map(value_from).transpose()?,
    })
}

fn decode_body(body: &[u8]) -> Result<Loaded, ()> {
    let mut r = Reader { bytes: body };
    let n_entities = r.count(4)?;
    let mut entities = Vec::with_capacity(n_entities);
    for _ in 0..n_entities {
        let (c, rest) = postcard::take_from_bytes::<CachedEntity>(r.bytes).map_err(|_| ())?;
        r.bytes = rest;
        entities.push(decode_entity(c)?);
    }
    let n_articles = r.count(7)?;
    let mut articles = Vec::with_capacity(n_articles);
    for _ in 0..n_articles {
        let path = PathBuf::from(r.str()?);
        let size = r.varint()?;
        let secs = r.varint()?;
        let nanos = r.u32()?;
        let stamp = Stamp {
            size,
            mtime: Some((secs, nanos)),
        };
        let title = Box::from(r.str()?);
        let date = match r.byte()? {
            0 => None,
            1 => Some(day_from(r.u32()? as i32)?),
            _ => return Err(()),
        };
        let lines = LineTable::from_bytes(r.bytes()?).ok_or(())?;
        let n_mentions = r.count(4)?;
        let mut mentions = Vec::with_capacity(n_mentions);
        let mut start = 0u32;
        for _ in 0..n_mentions {
            start = start.checked_add(r.u32()?).ok_or(())?;
            let end = start.checked_add(r.u32()?).ok_or(())?;
            let entity = r.u32()?;
            if entity as usize >= entities.len() {
                return Err(());
            }
            let flags = r.byte()?;
            if flags > (ALIAS | DECLARATION | LAGS) {
                return Err(());
            }
            let utf16_lag = match flags & LAGS {
                0 => [0, 0],
                _ => [r.byte()?, r.byte()?],
            };
            mentions.push(ArticleMention {
                span: start..end,
                entity: EntityId(entity),
                alias: flags & ALIAS != 0,
                declaration: flags & DECLARATION != 0,
                utf16_lag,
            });
        }
        let (facts, rest) = postcard::take_from_bytes::<CachedFacts>(r.bytes).map_err(|_| ())?;
        r.bytes = rest;
        let facts = facts_from(facts)?;
        articles.push((stamp, {
            let mut rec = Article::record(path, title, date, size, stamp.system_time(), mentions, lines);
            rec.facts = facts;
            rec
        }));
    }
    if !r.bytes.is_empty() {
        return Err(());
    }
    Ok(Loaded { entities, articles })
}

/// A loaded cache: the entity table and the articles with the stamp each was analysed at
/// (their mentions index into `entities`; see [`CorpusIndex::from_parts`]).
pub struct Loaded {
    pub entities: Vec<EntityRecord>,
    pub articles: Vec<(Stamp, ArticleRecord)>,
}

/// Reads the cache file; `None` when it is missing, of another version or corrupt (the reason
/// is logged).
pub fn load(file: &Path, rules: u64) -> Option<Loaded> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            tracing::info!("no index cache at {}: {e}", file.display());
            return None;
        }
    };
    let corrupt = |why: &str| {
        tracing::warn!("index cache {} is {why}; rebuilding", file.display());
        None
    };
    let (head, rest) = match postcard::take_from_bytes::<Header>(&bytes) {
        Ok(x) => x,
        Err(_) => return corrupt("corrupt"),
    };
    if head != header(rules) {
        tracing::info!(
            "index cache {} is from another version; rebuilding",
            file.display()
        );
        return None;
    }
    let word = |at: usize| -> Option<u64> {
        let b: [u8; 8] = rest.get(at..at + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(b))
    };
    let (Some(len), Some(sum)) = (word(0), word(8)) else {
        return corrupt("truncated");
    };
    let body = &rest[16..];
    if body.len() as u64 != len {
        return corrupt("truncated");
    }
    if checksum(body) != sum {
        return corrupt("corrupt (bad checksum)");
    }
    match decode_body(body) {
        Ok(loaded) => Some(loaded),
        Err(()) => corrupt("corrupt"),
    }
}

/// Writes the cache file from the index (articles analysed from disk only), atomically;
/// returns the number of articles saved.
pub fn save(file: &Path, rules: u64, corpus: &CorpusIndex) -> std::io::Result<usize> {
    let (body, n) = encode_body(corpus).map_err(std::io::Error::other)?;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut bytes = postcard::to_stdvec(&header(rules)).map_err(std::io::Error::other)?;
    bytes.reserve(body.len() + 16);
    bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&checksum(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, file)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> CorpusIndex {
        let text = "Renault Korea Motors (RKM) paid “$1.3 billion” and $5-6 million in Busan.\n\nIn the second half of 2025, RKM grew.";
        let mut index = CorpusIndex::new();
        for path in ["/x/a.txt", "/x/b.txt"] {
            index.insert(crate::corpus::analyze(
                PathBuf::from(path),
                text,
                text.len() as u64,
                Some(SystemTime::now()),
            ));
        }
        // An editor's buffer is never saved.
        index.upsert(
            Path::new("/x/open.txt"),
            "Busan",
            &crate::recognize::recognizer().annotate("Busan"),
        );
        index
    }

    #[test]
    fn fact_checks_round_trip() {
        let text = "ACME\n\nLONDON, March 2, 1987 - Acme Corp said its 1986 net profit rose 25 pct to 130 mln dlrs from 100 mln dlrs.\n\nAcme Corp employs 2,000 employees.\n";
        let mut index = CorpusIndex::new();
        index.insert(crate::corpus::analyze(
            PathBuf::from("/x/f.txt"),
            text,
            text.len() as u64,
            Some(SystemTime::now()),
        ));
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("index.bin");
        save(&file, 1, &index).expect("save");
        let loaded = load(&file, 1).expect("load");
        let a = index
            .article(index.article_id(Path::new("/x/f.txt")).expect("f"))
            .expect("f");
        assert_eq!(a.facts.findings.len(), 1, "{:?}", a.facts);
        assert!(!a.facts.claims.is_empty());
        assert_eq!(loaded.articles[0].1.facts, a.facts);
    }

    #[test]
    fn index_round_trips_and_corruption_is_detected() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("c/index.bin");
        let index = corpus();
        assert_eq!(save(&file, 7, &index).expect("save"), 2);
        let loaded = load(&file, 7).expect("load");
        assert!(load(&file, 8).is_none(), "other annotation rules: rebuilt");
        assert_eq!(loaded.articles.len(), 2);
        let (stamp, rec) = &loaded.articles[0];
        let a = index
            .article(index.article_id(Path::new("/x/a.txt")).expect("a"))
            .expect("a");
        assert_eq!(*stamp, Stamp::new(a.size, a.mtime));
        assert_eq!(rec.title, a.title);
        let back = CorpusIndex::from_parts(
            loaded.entities,
            loaded.articles.into_iter().map(|x| x.1).collect(),
        );
        let b = back
            .article(back.article_id(Path::new("/x/a.txt")).expect("a"))
            .expect("a");
        assert_eq!(b.mentions.len(), a.mentions.len());
        assert_eq!(b.lines, a.lines);
        assert!(b.mentions.iter().any(|m| m.utf16_lag != [0, 0]));
        // A money range keeps both ends through the cache.
        assert!(b.mentions.iter().any(|m| {
            back.entity(m.entity).is_some_and(|e| {
                matches!(
                    e.value,
                    Some(crate::recognize::Value::Money { high: Some(_), .. })
                )
            })
        }));
        for (x, y) in b.mentions.iter().zip(&a.mentions) {
            let (ex, ey) = (
                back.entity(x.entity).expect("e"),
                index.entity(y.entity).expect("e"),
            );
            assert_eq!(
                (
                    &x.span,
                    x.alias,
                    x.utf16_lag,
                    x.declaration,
                    &ex.canonical,
                    &ex.value,
                    ex.kind,
                    &ex.aliases
                ),
                (
                    &y.span,
                    y.alias,
                    y.utf16_lag,
                    y.declaration,
                    &ey.canonical,
                    &ey.value,
                    ey.kind,
                    &ey.aliases
                )
            );
        }
        assert_eq!(back.stats().mentions, index.stats().mentions - 1);
        // Truncated and garbled files are rejected, not trusted.
        let bytes = std::fs::read(&file).expect("read");
        std::fs::write(&file, &bytes[..bytes.len() - 3]).expect("write");
        assert!(load(&file, 7).is_none());
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x10;
        std::fs::write(&file, &flipped).expect("write");
        assert!(load(&file, 7).is_none());
        let mut garbled = bytes.clone();
        for b in garbled.iter_mut().skip(20) {
            *b = 0xff;
        }
        std::fs::write(&file, &garbled).expect("write");
        assert!(load(&file, 7).is_none());
        std::fs::write(&file, b"junk").expect("write");
        assert!(load(&file, 7).is_none());
    }
}
