//! The one error type of the watchlist crate.
//!
//! Every variant names where the problem is (`origin`: a path, `embedded:un`, a URL) and, when
//! it is known, the record (an id, `line 12`, `byte 4096`), because an operator who gets a
//! failed list update must be able to find the bad byte without a debugger.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has no bytes (or only whitespace).
    #[error("{origin}: the file is empty")]
    Empty { origin: String },

    /// Content detection found no supported list format.
    #[error("{origin}: unknown list format ({hint})")]
    UnknownFormat { origin: String, hint: String },

    /// Bytes that are not text in a supported encoding.
    #[error("{origin}: {record}: {message}")]
    Encoding {
        origin: String,
        record: String,
        message: String,
    },

    /// Malformed XML (bad syntax, mismatched tags).
    #[error("{origin}: malformed XML at byte {position} (in {record}): {message}")]
    Xml {
        origin: String,
        position: u64,
        record: String,
        message: String,
    },

    /// The file stops in the middle of the document (an interrupted download).
    #[error(
        "{origin}: the file ends early at byte {position}, inside {record}; truncated download?"
    )]
    Truncated {
        origin: String,
        position: u64,
        record: String,
    },

    /// A CSV file that cannot be read at all (a bad header, broken quoting).
    #[error("{origin}: {record}: {message}")]
    Csv {
        origin: String,
        record: String,
        message: String,
    },

    /// A JSON-lines file with a line that is not JSON.
    #[error("{origin}: {record}: invalid JSON: {message}")]
    Json {
        origin: String,
        record: String,
        message: String,
    },

    /// The file parses but does not have the structure of its format, or holds no entities.
    #[error("{origin}: {record}: {message}")]
    Invalid {
        origin: String,
        record: String,
        message: String,
    },

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn invalid(
        origin: &str,
        record: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        Error::Invalid {
            origin: origin.to_owned(),
            record: record.into(),
            message: message.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The origin (file, URL, `embedded:...`) the error is about, when it has one.
    pub fn origin(&self) -> String {
        match self {
            Error::Empty { origin }
            | Error::UnknownFormat { origin, .. }
            | Error::Encoding { origin, .. }
            | Error::Xml { origin, .. }
            | Error::Truncated { origin, .. }
            | Error::Csv { origin, .. }
            | Error::Json { origin, .. }
            | Error::Invalid { origin, .. } => origin.clone(),
            Error::Io { path, .. } => path.display().to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
