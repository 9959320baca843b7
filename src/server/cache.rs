//! The on-disk index cache: one file per workspace with the analysed articles, so that a
//! restart re-reads only files that changed.
//!
//! Format (postcard, little-endian varints): a [`Header`] (magic, format version, recogniser
//! version), then records `u32 length (LE) + postcard(CachedArticle)`. Each record is
//! self-contained, so unchanged records are copied to the next cache file byte for byte.
//!
//! Invariants: an entry is used only when the file's path, size and mtime match it and the
//! header's versions match this binary; anything else (missing, corrupt, truncated, stale) is
//! rebuilt from the file, never trusted. The serialisable types live here, not on core types.
//! The file is written to a temporary name and renamed, so a crash never leaves half a cache.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::{IndexedArticle, IndexedMention};
use crate::recognize::{Bound, DateRange, Kind, RECOGNIZER_VERSION, Subkind, Value};

const MAGIC: [u8; 8] = *b"NEWSLSIX";
const FORMAT: u32 = 1;

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
struct CachedArticle {
    path: String,
    stamp: Stamp,
    title: String,
    date: Option<i32>,
    mentions: Vec<CachedMention>,
}

#[derive(Serialize, Deserialize)]
struct CachedMention {
    span: (u32, u32),
    sentence: (u32, u32),
    line: u32,
    kind: u8,
    subkind: Option<u8>,
    canonical: String,
    surface: Option<String>,
    value: Option<CachedValue>,
    alias: bool,
    declaration: bool,
}

#[derive(Serialize, Deserialize)]
enum CachedValue {
    Money(f64, String, Option<u8>),
    Percent(f64, Option<f64>, Option<u8>),
    Quantity(f64, Option<f64>, String, Option<u8>),
    Count(f64, Option<f64>, Option<String>, Option<u8>),
    Date(i32, i32, Option<u8>),
    Time(String),
}

const KINDS: [Kind; 4] = Kind::ALL;
const SUBKINDS: [Subkind; 14] = [
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
            currency,
            bound,
        } => CachedValue::Money(amount, currency, bound_to(bound)),
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
        CachedValue::Money(amount, currency, b) => Value::Money {
            amount,
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

fn range_from((a, b): (u32, u32)) -> Result<Range<u32>, ()> {
    if a <= b { Ok(a..b) } else { Err(()) }
}

/// Encodes one analysed article as a cache record (with its length prefix); `None` for a path
/// that is not UTF-8 (such files are simply re-analysed on the next start).
pub fn encode_record(article: &IndexedArticle) -> Option<Vec<u8>> {
    let cached = CachedArticle {
        path: article.path.to_str()?.to_string(),
        stamp: Stamp::new(article.size, article.mtime),
        title: article.title.clone(),
        date: article.date.map(day_to),
        mentions: article
            .mentions
            .iter()
            .map(|m| CachedMention {
                span: (m.span.start, m.span.end),
                sentence: (m.sentence.start, m.sentence.end),
                line: m.line,
                kind: index_of(&KINDS, &m.kind),
                subkind: m.subkind.map(|s| index_of(&SUBKINDS, &s)),
                canonical: m.canonical.clone(),
                surface: m.surface.clone(),
                value: m.value.as_ref().map(value_to),
                alias: m.alias,
                declaration: m.declaration,
            })
            .collect(),
    };
    let body = postcard::to_stdvec(&cached).ok()?;
    let mut res = Vec::with_capacity(body.len() + 4);
    res.extend_from_slice(&u32::try_from(body.len()).ok()?.to_le_bytes());
    res.extend_from_slice(&body);
    Some(res)
}

fn decode_record(bytes: &[u8]) -> Result<(Stamp, IndexedArticle), ()> {
    let c: CachedArticle = postcard::from_bytes(bytes).map_err(|_| ())?;
    let mut mentions = Vec::with_capacity(c.mentions.len());
    for m in c.mentions {
        mentions.push(IndexedMention {
            span: range_from(m.span)?,
            sentence: range_from(m.sentence)?,
            line: m.line,
            kind: *KINDS.get(m.kind as usize).ok_or(())?,
            subkind: m
                .subkind
                .map(|s| SUBKINDS.get(s as usize).copied().ok_or(()))
                .transpose()?,
            canonical: m.canonical,
            surface: m.surface,
            value: m.value.map(value_from).transpose()?,
            alias: m.alias,
            declaration: m.declaration,
        });
    }
    let date = c.date.map(day_from).transpose()?;
    Ok((
        c.stamp,
        IndexedArticle {
            path: PathBuf::from(c.path),
            title: c.title,
            date,
            size: c.stamp.size,
            mtime: c.stamp.system_time(),
            mentions,
        },
    ))
}

/// A loaded cache: per path, the record bytes (to copy into the next cache) and the article.
pub struct Loaded {
    pub entries: HashMap<PathBuf, (Stamp, Vec<u8>, IndexedArticle)>,
}

/// Reads the cache file; `None` when it is missing, of another version or corrupt (the reason
/// is logged). Corrupt records after a valid prefix invalidate the whole file.
pub fn load(file: &Path, rules: u64) -> Option<Loaded> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            tracing::info!("no index cache at {}: {e}", file.display());
            return None;
        }
    };
    let (head, mut rest) = match postcard::take_from_bytes::<Header>(&bytes) {
        Ok(x) => x,
        Err(e) => {
            tracing::warn!("index cache {} is corrupt ({e}); rebuilding", file.display());
            return None;
        }
    };
    if head != header(rules) {
        tracing::info!(
            "index cache {} is from another version; rebuilding",
            file.display()
        );
        return None;
    }
    let mut records: Vec<&[u8]> = Vec::new();
    while !rest.is_empty() {
        let Some(len) = rest
            .get(..4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        else {
            tracing::warn!("index cache {} is truncated; rebuilding", file.display());
            return None;
        };
        let Some(rec) = rest.get(..4 + len) else {
            tracing::warn!("index cache {} is truncated; rebuilding", file.display());
            return None;
        };
        records.push(rec);
        rest = &rest[4 + len..];
    }
    let decoded: Result<Vec<(Stamp, Vec<u8>, IndexedArticle)>, ()> = records
        .par_iter()
        .map(|rec| decode_record(&rec[4..]).map(|(stamp, a)| (stamp, rec.to_vec(), a)))
        .collect();
    match decoded {
        Ok(list) => Some(Loaded {
            entries: list.into_iter().map(|e| (e.2.path.clone(), e)).collect(),
        }),
        Err(()) => {
            tracing::warn!("index cache {} has a corrupt record; rebuilding", file.display());
            None
        }
    }
}

/// Writes a cache file from records (each as made by [`encode_record`]), atomically.
pub fn save(file: &Path, rules: u64, records: &[Vec<u8>]) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut bytes = postcard::to_stdvec(&header(rules)).map_err(std::io::Error::other)?;
    bytes.reserve(records.iter().map(Vec::len).sum());
    for rec in records {
        bytes.extend_from_slice(rec);
    }
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(path: &str) -> IndexedArticle {
        let text =
            "Renault Korea Motors (RKM) paid $1.3 billion in Busan.\n\nIn the second half of 2025, RKM grew.";
        crate::corpus::analyze(
            PathBuf::from(path),
            text,
            text.len() as u64,
            Some(SystemTime::now()),
        )
    }

    #[test]
    fn records_round_trip_and_corruption_is_detected() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("c/index.bin");
        let a = article("/x/a.txt");
        let b = article("/x/b.txt");
        let recs = vec![
            encode_record(&a).expect("utf-8 path"),
            encode_record(&b).expect("utf-8 path"),
        ];
        save(&file, 7, &recs).expect("save");
        let loaded = load(&file, 7).expect("load");
        assert!(load(&file, 8).is_none(), "other annotation rules: rebuilt");
        let (stamp, raw, got) = &loaded.entries[Path::new("/x/a.txt")];
        assert_eq!(*stamp, Stamp::new(a.size, a.mtime));
        assert_eq!(raw, &recs[0]);
        assert_eq!(got.title, a.title);
        assert_eq!(got.mentions.len(), a.mentions.len());
        for (x, y) in got.mentions.iter().zip(&a.mentions) {
            assert_eq!(
                (&x.span, &x.canonical, &x.value, x.kind),
                (&y.span, &y.canonical, &y.value, y.kind)
            );
        }
        // Truncated and garbled files are rejected, not trusted.
        let bytes = std::fs::read(&file).expect("read");
        std::fs::write(&file, &bytes[..bytes.len() - 3]).expect("write");
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
