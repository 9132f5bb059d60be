//! `raqib lists` and `raqib lists update`, run as the real binary. The update tests serve the
//! shared official files from a loopback HTTP server started in the test.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::json_of;
use serde_json::Value;

mod common;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/watchlists")
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/lists")
}

/// Runs raqib with an isolated data directory.
fn raqib(data_dir: &Path, args: &[&str]) -> Output {
    common::raqib_in(data_dir, args)
}

fn list<'a>(report: &'a Value, source: &str) -> &'a Value {
    report["lists"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["source"] == source))
        .unwrap_or_else(|| panic!("no {source} list in {report}"))
}

#[test]
fn embedded_defaults_match_the_published_counts() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let r = json_of(&raqib(tmp.path(), &["lists", "--json"]));
    assert_eq!(r["loaded_from"], "embedded");
    let un = list(&r, "un");
    assert_eq!(un["published"], "2026-02-27");
    assert_eq!(un["schemas"]["Person"], 730);
    assert_eq!(un["schemas"]["Organization"], 273);
    assert!(un["original_script"].as_u64().unwrap_or(0) >= 370);
    let sdn = list(&r, "ofac_sdn");
    assert_eq!(sdn["entities"], 14_966);
    assert_eq!(sdn["published"], "2024-05-07");
    assert!(sdn["aliases"]["weak"].as_u64().unwrap_or(0) > 3_000);
    let cons = list(&r, "ofac_consolidated");
    assert_eq!(cons["entities"], 442);
    let eu = list(&r, "eu");
    assert_eq!(eu["entities"], 4_808);
    assert_eq!(eu["warnings"], 3, "the three duplicated logicalIds");
    let uk = list(&r, "uk");
    assert_eq!(uk["entities"], 2_106);
    assert_eq!(uk["published"], "2018-04-13");
    assert!(
        r["lists"].as_array().is_some_and(|l| l
            .iter()
            .all(|l| l["source"] != "ftm" && l["source"] != "senzing")),
        "OpenSanctions data (CC BY-NC) must never be a default"
    );
}

#[test]
fn human_table_names_every_source() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = raqib(tmp.path(), &["lists"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for s in [
        "un",
        "ofac_sdn",
        "ofac_consolidated",
        "eu",
        "uk",
        "2026-02-27",
        "14966",
        "PUBLISHED",
        "WEAK AKA",
    ] {
        assert!(text.contains(s), "{s} missing in:\n{text}");
    }
}

#[test]
fn paths_given_are_loaded_instead_of_the_defaults() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = shared().join("ofac/sdn_csv_2021-07");
    let r = json_of(&raqib(
        tmp.path(),
        &["lists", "--json", p.to_str().unwrap_or_default()],
    ));
    assert_eq!(r["loaded_from"], "paths");
    assert_eq!(r["lists"].as_array().map(Vec::len), Some(1));
    assert_eq!(list(&r, "ofac_sdn")["entities"], 8_976);
}

#[test]
fn bad_inputs_name_the_file_the_record_and_the_reason() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases: [(&str, &[&str]); 3] = [
        (
            "un_truncated.xml",
            &["ends early", "truncated", "un_truncated.xml"],
        ),
        ("empty.csv", &["empty", "empty.csv"]),
        (
            "unknown_root.xml",
            &["unknown list format", "unknown_root.xml"],
        ),
    ];
    for (file, expected) in cases {
        let p = fixtures().join(file);
        let out = raqib(tmp.path(), &["lists", p.to_str().unwrap_or_default()]);
        assert!(!out.status.success(), "{file} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        for e in expected {
            assert!(err.contains(e), "{file}: {e:?} not in {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
    // A CSV row with missing columns is a warning naming its line; the other rows load.
    let p = fixtures().join("ofac_missing_columns");
    let r = json_of(&raqib(
        tmp.path(),
        &[
            "lists",
            "--json",
            "--warnings",
            p.to_str().unwrap_or_default(),
        ],
    ));
    let l = list(&r, "ofac_sdn");
    assert_eq!(l["entities"], 8);
    let w = &l["warning_details"][0];
    assert_eq!(w["record"], "sdn.csv line 6");
    assert!(
        w["message"]
            .as_str()
            .unwrap_or("")
            .contains("expected 12 columns, found 3")
    );
}

/// A minimal static file server on 127.0.0.1: `GET /name` serves `dir/name`, `GET /` an index
/// page linking every file. One connection at a time, `Connection: close`.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(match stream.try_clone() {
                Ok(s) => s,
                Err(_) => continue,
            });
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
            }
            let path = request
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/')
                .to_owned();
            let (status, body) = if path.is_empty() {
                let mut names: Vec<String> = std::fs::read_dir(&dir)
                    .map(|rd| {
                        rd.flatten()
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                names.sort();
                let links: String = names
                    .iter()
                    .map(|n| format!("<li><a href=\"{n}\">{n}</a></li>"))
                    .collect();
                (
                    "200 OK",
                    format!("<html><body><ul>{links}</ul></body></html>").into_bytes(),
                )
            } else {
                match std::fs::read(dir.join(&path)) {
                    Ok(b) if !path.contains("..") => ("200 OK", b),
                    _ => ("404 Not Found", b"not found".to_vec()),
                }
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            let _ = stream.flush();
        }
    });
    format!("http://{addr}/")
}

#[test]
fn update_over_http_swaps_atomically_and_a_corrupt_file_keeps_the_last_good_lists() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let served = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let copy = |from: &str, to: &str| {
        std::fs::copy(shared().join(from), served.path().join(to))
            .unwrap_or_else(|e| panic!("{from}: {e}"));
    };
    copy("un/un_consolidated_2024-05-15.xml", "un_consolidated.xml");
    let base = serve(served.path().to_path_buf());

    // 1. A good UN file replaces the UN list; the other embedded lists are kept.
    let out = raqib(
        data.path(),
        &[
            "lists",
            "update",
            "--from",
            &format!("{base}un_consolidated.xml"),
            "--json",
        ],
    );
    let r = json_of(&out);
    assert_eq!(r["replaced"], serde_json::json!(["un"]));
    let r = json_of(&raqib(data.path(), &["lists", "--json"]));
    assert_eq!(r["loaded_from"], "data_dir");
    let v1 = r["version"].clone();
    assert_eq!(list(&r, "un")["published"], "2024-05-15");
    assert_eq!(list(&r, "un")["schemas"]["Person"], 682);
    assert_eq!(
        list(&r, "ofac_sdn")["entities"],
        14_966,
        "kept from the embedded defaults"
    );
    assert_eq!(list(&r, "eu")["entities"], 4_808);

    // 2. The whole index page: the newer UN file plus a truncated EU file. Nothing changes.
    copy("un/un_consolidated_2026-02-27.xml", "un_consolidated.xml");
    let eu = std::fs::read(shared().join("eu/eu_fsf_full_1_1_2024-05-13.xml"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(served.path().join("eu_fsf.xml"), &eu[..eu.len() / 2])
        .unwrap_or_else(|e| panic!("{e}"));
    let out = raqib(data.path(), &["lists", "update", "--from", &base]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("eu_fsf.xml"), "{err}");
    assert!(
        err.contains("ends early") && err.contains("record eu:"),
        "{err}"
    );
    assert!(err.contains("NOT updated"), "{err}");
    let r = json_of(&raqib(data.path(), &["lists", "--json"]));
    assert_eq!(r["version"], v1, "the last good version stays current");
    assert_eq!(list(&r, "un")["published"], "2024-05-15");

    // 3. Fixing the file makes the same update succeed.
    std::fs::write(served.path().join("eu_fsf.xml"), &eu).unwrap_or_else(|e| panic!("{e}"));
    let r = json_of(&raqib(
        data.path(),
        &["lists", "update", "--from", &base, "--json"],
    ));
    assert_eq!(r["replaced"], serde_json::json!(["un", "eu"]));
    let r = json_of(&raqib(data.path(), &["lists", "--json"]));
    assert_ne!(r["version"], v1);
    assert_eq!(list(&r, "un")["published"], "2026-02-27");
    assert_eq!(
        list(&r, "uk")["entities"],
        2_106,
        "kept from the previous version"
    );
}

#[test]
fn update_from_a_directory_with_replace_all() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = shared().join("ofac/cons_csv_2025-12");
    let out = raqib(
        data.path(),
        &[
            "lists",
            "update",
            "--from",
            src.to_str().unwrap_or_default(),
            "--replace-all",
            "--json",
        ],
    );
    let r = json_of(&out);
    assert_eq!(r["replaced"], serde_json::json!(["ofac_consolidated"]));
    let r = json_of(&raqib(data.path(), &["lists", "--json"]));
    assert_eq!(r["lists"].as_array().map(Vec::len), Some(1));
    assert_eq!(list(&r, "ofac_consolidated")["entities"], 442);
}

#[test]
fn bench_lists_reports_time_memory_and_the_baseline_ratio() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let r = json_of(&raqib(
        tmp.path(),
        &["bench", "lists", "--runs", "1", "--json"],
    ));
    assert_eq!(r["lists"], 5);
    assert_eq!(r["entities"], 730 + 273 + 14_966 + 442 + 4_808 + 2_106);
    assert!(r["load_best_ms"].as_f64().is_some_and(|v| v > 0.0));
    assert!(
        r["ratio_load_to_baseline"]
            .as_f64()
            .is_some_and(|v| v > 0.0)
    );
    assert!(r["peak_rss_mb"].as_f64().is_some_and(|v| v > 0.0));
}
