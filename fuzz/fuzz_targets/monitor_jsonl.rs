//! Fuzz the JSON-lines adapter.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut engine = monitoring::Engine::new(monitoring::Rules::default());
    for tx in monitoring::input::jsonl::JsonlReader::new(data).take(5_000).flatten() {
        engine.process(tx);
    }
    engine.finish();
});
