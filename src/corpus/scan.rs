//! Finding and reading article files: the only place in `corpus/` that touches the file system.
//!
//! Invariant: a file that cannot be used (unreadable, binary, not UTF-8, too large) becomes a
//! [`ScanError`] naming the file; it never aborts a scan.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

/// What to index.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    /// File extensions (without dot, lower case) that are articles.
    pub extensions: Vec<String>,
    /// Glob patterns (gitignore syntax, relative to a root) to leave out.
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            extensions: ["txt", "md", "markdown", "text"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            exclude: Vec::new(),
            max_file_size: 10 * 1024 * 1024,
        }
    }
}

impl ScanConfig {
    pub fn is_article_path(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }
}

/// Why a file was skipped.
#[derive(Debug)]
pub struct ScanError {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// A file read as UTF-8 text with its metadata.
#[derive(Debug)]
pub struct ArticleFile {
    pub path: PathBuf,
    pub text: String,
    pub size: u64,
    pub mtime: Option<SystemTime>,
}

/// Article files under `roots` (files given directly are kept if they have an article
/// extension), sorted. Respects `.gitignore`/`.ignore`, skips hidden files and folders.
pub fn discover(roots: &[PathBuf], config: &ScanConfig) -> (Vec<PathBuf>, Vec<ScanError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        if !root.exists() {
            errors.push(ScanError {
                path: root.clone(),
                reason: "no such file or folder".into(),
            });
            continue;
        }
        let mut walk = WalkBuilder::new(root);
        walk.hidden(true)
            .git_ignore(true)
            .git_global(false)
            .require_git(false)
            .ignore(true);
        if !config.exclude.is_empty() {
            let mut overrides = OverrideBuilder::new(root);
            for glob in &config.exclude {
                if let Err(err) = overrides.add(&format!("!{glob}")) {
                    errors.push(ScanError {
                        path: root.clone(),
                        reason: format!("bad exclude glob {glob:?}: {err}"),
                    });
                }
            }
            match overrides.build() {
                Ok(o) => {
                    walk.overrides(o);
                }
                Err(err) => errors.push(ScanError {
                    path: root.clone(),
                    reason: format!("bad exclude globs: {err}"),
                }),
            }
        }
        for entry in walk.build() {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) && config.is_article_path(entry.path())
                    {
                        files.push(entry.into_path());
                    }
                }
                Err(err) => errors.push(ScanError {
                    path: root.clone(),
                    reason: err.to_string(),
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// Reads one article file, rejecting oversized, binary and non-UTF-8 files.
pub fn read_article(path: &Path, config: &ScanConfig) -> Result<ArticleFile, ScanError> {
    let err = |reason: String| ScanError {
        path: path.to_path_buf(),
        reason,
    };
    let meta = fs::metadata(path).map_err(|e| err(format!("cannot read: {e}")))?;
    if meta.len() > config.max_file_size {
        return Err(err(format!(
            "skipped: {} bytes is over the {} byte limit",
            meta.len(),
            config.max_file_size
        )));
    }
    let bytes = fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let text = decode_text(bytes).map_err(err)?;
    Ok(ArticleFile {
        path: path.to_path_buf(),
        text,
        size: meta.len(),
        mtime: meta.modified().ok(),
    })
}

/// Bytes to article text: rejects binary data (NUL bytes) and invalid UTF-8; drops a BOM.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, String> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err("skipped: binary file".into());
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => Err(format!(
            "skipped: not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_respects_gitignore_hidden_and_extensions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::write(root.join("a.txt"), "A").expect("write");
        fs::write(root.join("b.md"), "B").expect("write");
        fs::write(root.join("c.rs"), "C").expect("write");
        fs::write(root.join(".hidden.txt"), "H").expect("write");
        fs::create_dir(root.join("drafts")).expect("mkdir");
        fs::write(root.join("drafts/d.txt"), "D").expect("write");
        fs::write(root.join(".gitignore"), "drafts/\n").expect("write");
        let (files, errors) = discover(&[root.to_path_buf()], &ScanConfig::default());
        let names: Vec<String> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.txt", "b.md"]);
        assert!(errors.is_empty());
        let config = ScanConfig {
            exclude: vec!["b.*".into()],
            ..ScanConfig::default()
        };
        let (files, _) = discover(&[root.to_path_buf()], &config);
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn bad_files_are_errors_not_panics() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bin = dir.path().join("bin.txt");
        fs::write(&bin, [0u8, 1, 2, 3]).expect("write");
        let latin1 = dir.path().join("latin1.txt");
        fs::write(&latin1, b"caf\xe9").expect("write");
        let big = dir.path().join("big.txt");
        fs::write(&big, "x".repeat(2000)).expect("write");
        let config = ScanConfig {
            max_file_size: 1000,
            ..ScanConfig::default()
        };
        assert!(read_article(&bin, &config).unwrap_err().reason.contains("binary"));
        assert!(
            read_article(&latin1, &config)
                .unwrap_err()
                .reason
                .contains("UTF-8")
        );
        assert!(read_article(&big, &config).unwrap_err().reason.contains("limit"));
        assert!(read_article(&dir.path().join("missing.txt"), &config).is_err());
        let (_, errors) = discover(&[dir.path().join("nope")], &config);
        assert_eq!(errors.len(), 1);
    }
}
