//! Transaction monitoring for terrorist-financing typologies.
//!
//! Pure: transactions in, alerts out. No I/O (input adapters parse from readers the caller
//! opens), no wall clock (time is the transactions' event time), no global state.
//!
//! ```text
//! input::{amlsim, csv_mapped, jsonl, pacs008}  ->  Transaction  ->  Engine::process
//!      (the edge: parse, validate, reject)            |   event-time ordering, bounded windows
//!                                                     v
//!                          detectors::* (one file each)  ->  Finding  ->  merged, scored Alert
//! ```
//!
//! Typical use:
//! ```
//! use monitoring::{Engine, Rules, Transaction, Party};
//! let mut engine = Engine::new(Rules::default());
//! let tx = Transaction {
//!     id: "t1".into(), timestamp: 1_704_067_200, amount: 250.0, currency: "USD".into(),
//!     originator: Party { account: "A".into(), ..Default::default() },
//!     beneficiary: Party { account: "B".into(), ..Default::default() },
//!     channel: None,
//! };
//! let mut alerts = engine.process(tx);
//! alerts.extend(engine.finish());
//! assert!(alerts.is_empty());
//! ```

pub mod alert;
pub mod detectors;
pub mod engine;
mod error;
pub mod input;
pub mod rules;
pub mod screen;
pub mod state;
pub mod synth;
pub mod tx;

pub use alert::{Alert, AlertStatus, Decision, Explanation, ScorePart, Typology};
pub use engine::{Engine, Stats};
pub use error::MonitorError;
pub use rules::Rules;
pub use screen::{ExactListScreener, ListedMatch, NameScreener};
pub use tx::{Party, Transaction};

/// A record that could not be used, and why. Processing continues after it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rejected {
    /// Where: `transactions.csv line 17`, `transaction "T9"`, `pacs.008 CdtTrfTxInf #3`...
    pub record: String,
    /// What is wrong.
    pub reason: String,
}
