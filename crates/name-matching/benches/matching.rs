//! Criterion bench: preparing names and comparing prepared pairs, against strsim's
//! Jaro-Winkler on the raw strings (the peers' baseline) in the same run.
//!
//! Run: `cargo bench -p name-matching --bench matching`. Report ratios, not absolute times:
//! the machine is shared and noisy.

use criterion::{Criterion, criterion_group, criterion_main};
use name_matching::{NameType, Prepared, compare, prepare, score};
use std::hint::black_box;

/// Realistic pairs: matches, near misses and unrelated names across scripts.
const PAIRS: &[(&str, &str)] = &[
    ("Abu Bakr al-Baghdadi", "أبو بكر البغدادي"),
    (
        "Abou Bakr el Baghdadi",
        "Ibrahim Awwad Ibrahim Ali al-Badri al-Samarrai",
    ),
    ("Khalid Yusuf al-Baghdadi", "Abu Bakr al-Baghdadi"),
    ("Mohammed Omar", "Mullah Muhammad Umar Akhund"),
    ("Usama bin Laden", "Usama bin Muhammad bin Awad bin Laden"),
    ("John Smith", "Ayman Muhammad Rabi al-Zawahiri"),
    ("Hüseyin Çelik", "Husayn Chelik"),
    (
        "AL NUR TRADING COMPANY",
        "Al Nur for General Trading Co. Ltd",
    ),
    ("Сергей Иванов", "Sergei Ivanov"),
    ("Qasim Suleymany", "Qasem Soleimani"),
];

fn prepared() -> Vec<(Prepared, Prepared)> {
    PAIRS
        .iter()
        .map(|(a, b)| (prepare(a, NameType::Person), prepare(b, NameType::Person)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let pairs = prepared();
    let mut g = c.benchmark_group("name_pairs_x10");
    g.bench_function("strsim_jaro_winkler_baseline", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for (x, y) in PAIRS {
                s += strsim::jaro_winkler(&x.to_lowercase(), &y.to_lowercase());
            }
            black_box(s)
        })
    });
    g.bench_function("score_prepared", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for (x, y) in &pairs {
                s += score(black_box(x), black_box(y));
            }
            black_box(s)
        })
    });
    g.bench_function("compare_with_explanation", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for (x, y) in &pairs {
                s += compare(black_box(x), black_box(y)).score;
            }
            black_box(s)
        })
    });
    g.bench_function("prepare_both_names", |b| {
        b.iter(|| {
            let mut n = 0;
            for (x, y) in PAIRS {
                n += prepare(black_box(x), NameType::Person).tokens().len();
                n += prepare(black_box(y), NameType::Person).tokens().len();
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
