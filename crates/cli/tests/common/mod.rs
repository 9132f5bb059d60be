//! Helpers shared by the CLI integration tests: run the real binary in isolation and read
//! what it writes. (Each test file uses a different subset, hence `dead_code`.)
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `raqib` with its list data directory set to `data_dir`, so that no test sees lists
/// installed by another test or by the developer.
pub fn raqib_in(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raqib"))
        .args(args)
        .env("RAQIB_DATA_DIR", data_dir)
        .env_remove("RAQIB_LOG")
        .output()
        .unwrap_or_else(|e| panic!("running raqib: {e}"))
}

/// The JSON a successful run printed on stdout.
pub fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "raqib failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Every line of a JSON-lines output file (empty when the file is missing).
pub fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("line is not JSON ({e}): {l}")))
        .collect()
}
