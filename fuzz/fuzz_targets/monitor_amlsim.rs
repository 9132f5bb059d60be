//! Fuzz the AMLSim CSV adapter (with an accounts table) and feed what parses to the engine.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (accts, _) = monitoring::input::amlsim::read_accounts(&b"acct_id,first_name,last_name,country\n1,A,B,SY\n2,C,D,US\n"[..])
        .unwrap_or_default();
    let mut input = b"tx_id,timestamp,step,orig_acct,bene_acct,orig_bank,bene_bank,amount,currency,tx_type\n".to_vec();
    input.extend_from_slice(data);
    let accounts = if data.first().is_some_and(|b| b & 1 == 1) { Some(accts) } else { None };
    if let Ok(rd) = monitoring::input::amlsim::AmlsimReader::new(&input[..], accounts) {
        let mut engine = monitoring::Engine::new(monitoring::Rules::default());
        for tx in rd.take(5_000).flatten() {
            engine.process(tx);
        }
        engine.finish();
    }
});
