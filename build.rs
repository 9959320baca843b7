//! Build script: merges the word-class files of `data/lexicon/` into the table the binary
//! embeds (`src/recognize/lexicon.rs` owns the format; this script compiles that file).

#[allow(dead_code)]
#[path = "src/recognize/lexicon.rs"]
mod lexicon;

/// The word-class files, in the order their labels are listed.
const FILES: [&str; 3] = [
    "data/lexicon/wordnet.tsv",
    "data/lexicon/clusters.tsv",
    "data/lexicon/clusters_wiki.tsv",
];

fn main() {
    println!("cargo:rerun-if-changed=src/recognize/lexicon.rs");
    let mut texts = Vec::new();
    for f in FILES {
        println!("cargo:rerun-if-changed={f}");
        match std::fs::read_to_string(f) {
            Ok(t) => texts.push(t),
            Err(e) => panic!("cannot read {f}: {e}"),
        }
    }
    let files: Vec<&str> = texts.iter().map(String::as_str).collect();
    let table = lexicon::build(&files);
    let Some(out) = std::env::var_os("OUT_DIR") else {
        panic!("OUT_DIR is not set");
    };
    let path = std::path::Path::new(&out).join("lexicon.bin");
    if let Err(e) = std::fs::write(&path, table) {
        panic!("cannot write {}: {e}", path.display());
    }
}
