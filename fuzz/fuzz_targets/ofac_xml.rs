//! Fuzz target: the OFAC SDN/consolidated XML parser never panics on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = watchlist::ofac_xml::parse(data, "fuzz");
});
