//! `raqib eval screening|monitoring`: accuracy on labelled data.

#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Recall, rank and false-positive rate of screening on labelled queries.
    Screening(super::eval_screening::Args),
    /// Pattern recall and transaction-level precision/recall/F1 of monitoring alerts.
    Monitoring(super::eval_monitoring::Args),
}

pub fn run(c: EvalCommand) -> anyhow::Result<()> {
    match c {
        EvalCommand::Screening(a) => super::eval_screening::run(a),
        EvalCommand::Monitoring(a) => super::eval_monitoring::run(a),
    }
}
