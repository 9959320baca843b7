//! The annotation store: the user's corrections to recognition, kept in the workspace at
//! `.newsls/annotations.toml` (format and schema in [`mod@format`]), so they can be shared through
//! version control.
//!
//! Invariants:
//! - writes are atomic: a temporary file in the same folder, fsync, rename, fsync of the folder;
//! - every write re-reads the file under an exclusive lock (`.newsls/annotations.lock`) and
//!   applies its edits to what is on disk, so concurrent writers (threads, processes, a hand
//!   edit) never lose each other's entries;
//! - a file that does not parse is never overwritten: the write fails with the located error.

pub mod corpus;
pub mod format;

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;

pub use format::{Edit, ParseError, SCHEMA};

use crate::recognize::rules::Rules;

/// Folder of newsls' workspace files, relative to the workspace root.
pub const DIR: &str = ".newsls";
/// The annotation file, relative to the workspace root.
pub const FILE: &str = ".newsls/annotations.toml";
const LOCK: &str = "annotations.lock";

/// Why annotations could not be read or written.
#[derive(Debug)]
pub enum StoreError {
    /// The file exists but is not valid; it is left untouched.
    Parse {
        path: PathBuf,
        error: ParseError,
    },
    Io(anyhow::Error),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Parse { path, error } => write!(f, "{}:{error}", path.display()),
            StoreError::Io(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// The annotation file of one workspace.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// The store of the workspace whose root folder is `root`.
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
        }
    }

    /// The store of the nearest folder at or above `dir` holding `.newsls/annotations.toml`,
    /// else of `dir` itself.
    pub fn discover(dir: &Path) -> Store {
        let start = if dir.is_file() {
            dir.parent().unwrap_or(dir)
        } else {
            dir
        };
        let found = start.ancestors().find(|d| d.join(FILE).is_file());
        Store::new(found.unwrap_or(start))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self) -> PathBuf {
        self.root.join(FILE)
    }

    /// Workspace-relative path of `file` with `/` separators (`None` when outside the root).
    pub fn relative(&self, file: &Path) -> Option<String> {
        let rel = match file.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => {
                let root = fs::canonicalize(&self.root).ok()?;
                let file = fs::canonicalize(file).ok()?;
                file.strip_prefix(&root).ok()?.to_path_buf()
            }
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    /// Reads the rules. A missing file means no rules.
    pub fn load(&self) -> Result<Rules, StoreError> {
        let path = self.path();
        let src = match fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Rules::default()),
            Err(e) => {
                return Err(StoreError::Io(
                    anyhow::Error::new(e).context(format!("reading {}", path.display())),
                ));
            }
        };
        format::parse(&src).map_err(|error| StoreError::Parse { path, error })
    }

    /// The `[[checked]]` fact-check entries (none when the file is missing or does not parse).
    pub fn load_checked(&self) -> Vec<format::Checked> {
        fs::read_to_string(self.path())
            .map(|s| format::parse_checked(&s))
            .unwrap_or_default()
    }

    /// Applies `edits` to the file on disk (re-read under the lock) and writes it atomically.
    /// Returns the rules now in the file.
    pub fn apply(&self, edits: &[Edit]) -> Result<Rules, StoreError> {
        let dir = self.root.join(DIR);
        fs::create_dir_all(&dir)
            .with_context(|| format!("creating {}", dir.display()))
            .map_err(StoreError::Io)?;
        let lock_path = dir.join(LOCK);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("opening {}", lock_path.display()))
            .map_err(StoreError::Io)?;
        lock.lock()
            .with_context(|| format!("locking {}", lock_path.display()))
            .map_err(StoreError::Io)?;
        let res = self.apply_locked(edits);
        // Dropping the file releases the lock too; unlock explicitly to release it early.
        let _ = lock.unlock();
        res
    }

    fn apply_locked(&self, edits: &[Edit]) -> Result<Rules, StoreError> {
        let path = self.path();
        let src = match fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(StoreError::Io(
                    anyhow::Error::new(e).context(format!("reading {}", path.display())),
                ));
            }
        };
        let out = format::apply_edits(&src, edits).map_err(|error| StoreError::Parse {
            path: path.clone(),
            error,
        })?;
        let rules = format::parse(&out).map_err(|error| StoreError::Parse {
            path: path.clone(),
            error,
        })?;
        if out != src {
            write_atomic(&path, out.as_bytes()).map_err(StoreError::Io)?;
        }
        Ok(rules)
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename,
/// then fsync of the folder so that the rename itself is durable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map_or("file".into(), |n| n.to_string_lossy());
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let res = (|| -> anyhow::Result<()> {
        let mut file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("writing {}", tmp.display()))?;
        file.sync_all()
            .with_context(|| format!("syncing {}", tmp.display()))?;
        fs::rename(&tmp, path)
            .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
        Ok(())
    })();
    if res.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    res?;
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::Kind;
    use crate::recognize::rules::VocabRule;

    fn entity(text: &str) -> Edit {
        Edit::Vocab(VocabRule::Kind {
            text: text.into(),
            kind: Kind::Organization,
            subkind: None,
        })
    }

    #[test]
    fn missing_file_is_no_rules_and_first_write_creates_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        assert!(store.load().expect("ok").is_empty());
        let rules = store.apply(&[entity("Eco Cluster Center")]).expect("written");
        assert_eq!(rules.vocab().len(), 1);
        assert_eq!(store.load().expect("ok").vocab().len(), 1);
        let leftovers: Vec<_> = fs::read_dir(dir.path().join(DIR))
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files are renamed away");
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let root = root.clone();
                std::thread::spawn(move || {
                    // Each thread has its own store (its own lock file handle), like a process.
                    let store = Store::new(&root);
                    for i in 0..25 {
                        store.apply(&[entity(&format!("Org {t}-{i}"))]).expect("write");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        let rules = Store::new(&root).load().expect("valid");
        assert_eq!(rules.vocab().len(), 100);
    }

    #[test]
    fn hand_edits_between_writes_are_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        store.apply(&[entity("A Corp")]).expect("write");
        let path = store.path();
        let mut src = fs::read_to_string(&path).expect("read");
        src.push_str("\n# added by hand\n[[not_entity]]\ntext = \"Aurora\"\n");
        fs::write(&path, &src).expect("hand edit");
        store.apply(&[entity("B Corp")]).expect("write");
        let now = fs::read_to_string(&path).expect("read");
        assert!(now.contains("# added by hand"));
        let rules = store.load().expect("valid");
        assert!(rules.rule_for("Aurora").is_some() && rules.rule_for("A Corp").is_some());
        assert!(rules.rule_for("B Corp").is_some());
    }

    #[test]
    fn malformed_file_is_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        fs::create_dir_all(dir.path().join(DIR)).expect("dir");
        let bad = "schema = 1\n[[entity]]\ntext = \"X\"\nkind = \"planet\"\n";
        fs::write(store.path(), bad).expect("write");
        match store.load() {
            Err(StoreError::Parse { error, .. }) => assert_eq!(error.line, 4),
            other => panic!("expected a parse error, got {other:?}"),
        }
        let err = store.apply(&[entity("Y")]).expect_err("refused");
        assert!(err.to_string().contains("annotations.toml:4:8"), "{err}");
        assert_eq!(fs::read_to_string(store.path()).expect("read"), bad);
    }

    #[test]
    fn discover_finds_the_workspace_above() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("news/2024");
        fs::create_dir_all(&sub).expect("dir");
        assert_eq!(Store::discover(&sub).root(), sub.as_path());
        Store::new(dir.path()).apply(&[entity("Z")]).expect("write");
        assert_eq!(Store::discover(&sub).root(), dir.path());
        let store = Store::discover(&sub);
        assert_eq!(
            store.relative(&sub.join("a.txt")).as_deref(),
            Some("news/2024/a.txt")
        );
        assert_eq!(store.relative(Path::new("/elsewhere/b.txt")), None);
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.toml");
        write_atomic(&path, b"one").expect("write");
        write_atomic(&path, b"two").expect("write");
        assert_eq!(fs::read_to_string(&path).expect("read"), "two");
        assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);
    }
}
