//! The one error type of the crate.

/// Everything that can go wrong in the monitoring crate. Input adapters do not use it for
/// bad *records* (those become [`crate::input::Rejected`] and processing continues); it is
/// for problems that stop a whole run: an unreadable rules file, a bad column mapping.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// The rules TOML could not be parsed or has an invalid value.
    #[error("rules: {0}")]
    Rules(String),
    /// A column-mapping config for the generic CSV adapter is invalid.
    #[error("csv mapping: {0}")]
    Mapping(String),
    /// Reading the input failed (I/O error from the caller's reader).
    #[error("reading input: {0}")]
    Io(#[from] std::io::Error),
    /// A header row is missing a column the adapter needs.
    #[error("input header: {0}")]
    Header(String),
}
