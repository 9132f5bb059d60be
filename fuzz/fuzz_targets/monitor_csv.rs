//! Fuzz the generic mapped-CSV adapter.
#![no_main]
use libfuzzer_sys::fuzz_target;

const MAPPING: &str = "delimiter = \";\"\ndefault_currency = \"EUR\"\n[columns]\nid = \"id\"\ntimestamp = \"ts\"\namount = \"amt\"\n\
originator_account = \"from\"\noriginator_bank = \"bic\"\nbeneficiary_account = \"to\"\nbeneficiary_country = \"ctry\"\n";

fuzz_target!(|data: &[u8]| {
    let Ok(mapping) = monitoring::input::csv_mapped::Mapping::from_toml(MAPPING) else { return };
    let mut input = b"id;ts;amt;from;bic;to;ctry\n".to_vec();
    input.extend_from_slice(data);
    if let Ok(rd) = monitoring::input::csv_mapped::MappedCsvReader::new(&input[..], mapping) {
        let mut engine = monitoring::Engine::new(monitoring::Rules::default());
        for tx in rd.take(5_000).flatten() {
            engine.process(tx);
        }
        engine.finish();
    }
});
