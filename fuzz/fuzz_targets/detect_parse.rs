//! Fuzz target: format detection plus the full parse path (encodings, zstd) never panics on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = watchlist::detect(data);
    if let Ok(d) = watchlist::source::decompress(data, "fuzz") {
        let _ = watchlist::parse(&d, "fuzz");
    }
});
