//! The `newsls` binary: parses arguments, sets up logging (stderr only) and runs the command.

use std::process::ExitCode;

fn main() -> ExitCode {
    newsls::cli::main()
}
