//! Fuzz the ISO 20022 pacs.008 adapter.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut engine = monitoring::Engine::new(monitoring::Rules::default());
    for tx in monitoring::input::pacs008::Pacs008Reader::new(data).take(5_000).flatten() {
        engine.process(tx);
    }
    engine.finish();
});
