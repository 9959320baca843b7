//! The `newsls` binary: parses arguments, sets up logging (stderr only) and runs the command.

use std::process::ExitCode;

/// mimalloc: recognition allocates many small, short-lived strings and vectors per article,
/// and glibc's malloc spends about a fifth of indexing time on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    newsls::cli::main()
}
