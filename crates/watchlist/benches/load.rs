//! Parse speed of each embedded default list (decompressed once, outside the timing), plus
//! the whole `source::embedded()` load. The baseline in the same run is UTF-8 validation of the
//! same bytes, so figures can be compared across noisy runs as ratios.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use watchlist::source::{EMBEDDED, decompress};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.sample_size(10);
    for list in EMBEDDED {
        let files: Vec<Vec<u8>> = list
            .files()
            .iter()
            .map(|(n, b)| decompress(b, n).map(|d| d.into_owned()).unwrap_or_default())
            .collect();
        let total: usize = files.iter().map(Vec::len).sum();
        g.throughput(Throughput::Bytes(total as u64));
        if let [one] = files.as_slice() {
            g.bench_function(list.name, |b| {
                b.iter(|| watchlist::parse(one, list.name).map(|l| l.entities.len()))
            });
            g.bench_function(format!("{}_utf8_baseline", list.name), |b| {
                b.iter(|| std::str::from_utf8(one).map(str::len).unwrap_or(0))
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("embedded");
    g.sample_size(10);
    g.bench_function("all_lists", |b| {
        b.iter(|| watchlist::source::embedded().map(|l| l.len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
