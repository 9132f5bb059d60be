//! `raqib bench ...`: end-to-end benchmarks that print figures for BENCHMARKS.md.

#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Load and validate all default lists; time and peak memory.
    Lists(super::bench_lists::Args),
    /// Screening throughput and latency against a brute-force baseline.
    Screening(super::bench_screening::Args),
    /// Monitoring pipeline throughput on real or generated streams.
    Monitoring(super::bench_monitoring::Args),
    /// Storing screenings through the request-path writer (group commit), without HTTP.
    Store(super::bench_store::Args),
}

pub fn run(c: BenchCommand) -> anyhow::Result<()> {
    match c {
        BenchCommand::Lists(a) => super::bench_lists::run(a),
        BenchCommand::Screening(a) => super::bench_screening::run(a),
        BenchCommand::Monitoring(a) => super::bench_monitoring::run(a),
        BenchCommand::Store(a) => super::bench_store::run(a),
    }
}
