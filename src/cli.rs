//! The `newsls` command line: `annotate`, `related`, `index`, `eval`, `serve`.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::json;

use crate::recognize::{self, Entity};

#[derive(Parser)]
#[command(
    name = "newsls",
    version,
    about = "Organisations, places, people and figures in news articles"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Recognise entities in articles (files or folders).
    Annotate {
        /// Read JSON lines {"id", "text"} on stdin and write {"id", "entities"} lines.
        #[arg(long)]
        jsonl: bool,
        paths: Vec<std::path::PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let args = Args::parse();
    let res = match args.command {
        Command::Annotate { jsonl: true, .. } => annotate_jsonl_stdin(),
        Command::Annotate { .. } => Ok(ExitCode::SUCCESS),
    };
    match res {
        Ok(code) => code,
        Err(err) => {
            eprintln!("newsls: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn annotate_jsonl_stdin() -> anyhow::Result<ExitCode> {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let rec = recognize::recognizer();
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let text = v.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let entities = rec.annotate(text);
        let obj = json!({"id": v.get("id"), "entities": entities_json(text, &entities)});
        writeln!(out, "{obj}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Entities as JSON with Unicode code-point offsets.
pub fn entities_json(text: &str, entities: &[Entity]) -> Vec<serde_json::Value> {
    let mut res = Vec::with_capacity(entities.len());
    let mut chars = 0usize;
    let mut byte = 0usize;
    let mut to_cp = |target: usize| {
        chars += text[byte..target].chars().count();
        byte = target;
        chars
    };
    for e in entities {
        let start = to_cp(e.span.start);
        let end = to_cp(e.span.end);
        res.push(json!({
            "start": start, "end": end, "text": e.text(text), "kind": e.kind.as_str(),
            "subkind": e.subkind.map(|s| s.as_str()), "canonical": e.canonical,
            "value": e.value.as_ref().map(|v| v.normalized()),
        }));
    }
    res
}
