//! Fuzz target: the OFAC legacy CSV set parser never panics. The input is split into the four
//! files of a set at 0x00 bytes (primary, addresses, alternate names, comments).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |&b| b == 0);
    let primary = parts.next().unwrap_or_default();
    let set = watchlist::ofac_csv::CsvSet {
        primary,
        addresses: parts.next(),
        alt_names: parts.next(),
        comments: parts.next(),
    };
    let _ = watchlist::ofac_csv::parse_set(set, false, "fuzz");
    let _ = watchlist::ofac_csv::role(primary);
});
