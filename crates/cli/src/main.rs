//! `raqib`: the one binary. Parses the command line, calls the library crates, prints.
//! This is the only crate that prints to the terminal and the only one that uses `anyhow`.

use clap::{Parser, Subcommand};

/// `println!` for command output, but a closed stdout (`raqib lists | head`) becomes an error
/// that `main` turns into a quiet exit instead of a panic. Only in functions returning
/// `anyhow::Result`.
macro_rules! out {
    () => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock())?
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

/// `print!` with the same broken-pipe handling as [`out!`].
macro_rules! out_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)?
    }};
}

mod cmd;
mod common;

/// mimalloc instead of glibc's malloc: the matcher and the HTTP path allocate many small,
/// short-lived buffers per query from several threads, where glibc's arenas spent about 9%
/// of the server's CPU under load (`_int_malloc`, `malloc_consolidate`, `unlink_chunk`).
/// Measured in BENCHMARKS.md ("Allocator").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "raqib",
    version,
    about = "Counter-terrorist-financing screening and monitoring"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the loaded watchlists (or the files given), or update the stored lists.
    Lists(cmd::lists::Args),
    /// Screen one name, or a file of names, against the watchlists.
    Screen(cmd::screen::Args),
    /// Score two names against each other and explain the score.
    Compare(cmd::compare::Args),
    /// Measure accuracy on labelled data.
    #[command(subcommand)]
    Eval(cmd::eval::EvalCommand),
    /// Score a batch of transactions for terrorist-financing typologies.
    Monitor(cmd::monitor::Args),
    /// Run the HTTP API and web UI.
    Serve(cmd::serve::Args),
    /// Manage API keys of member organisations.
    #[command(subcommand)]
    Keys(cmd::keys::KeysCommand),
    /// End-to-end benchmarks.
    #[command(subcommand)]
    Bench(cmd::bench::BenchCommand),
}

fn main() -> std::process::ExitCode {
    common::init_tracing();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lists(a) => cmd::lists::run(a),
        Command::Screen(a) => cmd::screen::run(a),
        Command::Compare(a) => cmd::compare::run(a),
        Command::Eval(c) => cmd::eval::run(c),
        Command::Monitor(a) => cmd::monitor::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Keys(c) => cmd::keys::run(c),
        Command::Bench(c) => cmd::bench::run(c),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader of our output went away (`raqib screen … | head`): end quietly, as Unix
        // tools do.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
