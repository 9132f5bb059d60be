//! Fuzz target: the FollowTheMoney JSON-lines parser never panics on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = watchlist::ftm::parse(data, "fuzz");
});
