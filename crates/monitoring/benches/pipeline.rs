//! Criterion benchmark of the whole pipeline on a synthetic AMLSim-format stream:
//! parse (CSV) -> engine (all detectors) -> alert serialisation, against a parse-only
//! baseline in the same run (the machine is shared and noisy, so compare the ratio).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use monitoring::input::amlsim::AmlsimReader;
use monitoring::synth::{SynthConfig, SynthStream};
use monitoring::{Engine, Rules};

fn csv_stream(n: u64) -> Vec<u8> {
    let cfg = SynthConfig {
        transactions: n,
        accounts: n / 10,
        days: 60,
        seed: 3,
        pattern_every: 1_000,
    };
    let mut out = Vec::with_capacity(n as usize * 70);
    out.extend_from_slice(
        b"tx_id,timestamp,step,orig_acct,bene_acct,orig_bank,bene_bank,amount,currency,tx_type\n",
    );
    for t in SynthStream::new(cfg) {
        let line = format!(
            "{},{},0,{},{},{},{},{:.2},{},TRANSFER\n",
            t.id,
            monitoring::tx::format_timestamp(t.timestamp),
            t.originator.account,
            t.beneficiary.account,
            t.originator.bank.unwrap_or_default(),
            t.beneficiary.bank.unwrap_or_default(),
            t.amount,
            t.currency
        );
        out.extend_from_slice(line.as_bytes());
    }
    out
}

fn bench(c: &mut Criterion) {
    let n = 100_000u64;
    let data = csv_stream(n);
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Elements(n));
    g.sample_size(10);
    g.bench_function("parse_only_baseline", |b| {
        b.iter(|| {
            let Ok(rd) = AmlsimReader::new(&data[..], None) else {
                return 0;
            };
            rd.filter(|r| r.is_ok()).count()
        })
    });
    g.bench_function("parse_detect_serialise", |b| {
        b.iter(|| {
            let Ok(rd) = AmlsimReader::new(&data[..], None) else {
                return 0;
            };
            let mut engine = Engine::new(Rules::default());
            let mut bytes = 0usize;
            for t in rd.flatten() {
                for a in engine.process(t) {
                    bytes += serde_json::to_vec(&a).map(|v| v.len()).unwrap_or(0);
                }
            }
            for a in engine.finish() {
                bytes += serde_json::to_vec(&a).map(|v| v.len()).unwrap_or(0);
            }
            bytes
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
