//! Criterion benchmarks of the screener on the embedded default lists (UN, OFAC, EU, UK):
//! index build, one query (several kinds), a batch on all cores, and the brute-force
//! Jaro-Winkler baseline on the same names for the ratio. `raqib bench screening` prints the
//! end-to-end figures recorded in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use screening::baseline::BruteForce;
use screening::{Config, Query, Screener};

fn lists() -> Vec<watchlist::WatchList> {
    match watchlist::source::embedded() {
        Ok(l) => l,
        Err(e) => panic!("embedded lists do not load: {e}"),
    }
}

const QUERIES: [&str; 8] = [
    "Abu Bakr al-Baghdadi",
    "أبو بكر البغدادي",
    "BAGHDADI, Abu Bakr",
    "Ebubekir el-Bağdadi",
    "Mohammed Ali",
    "Jennifer McClellan",
    "Al Rashid Trust",
    "Khalid Yusuf al-Baghdadi",
];

fn bench(c: &mut Criterion) {
    let l = lists();
    let mut g = c.benchmark_group("screening");
    g.sample_size(10);
    g.bench_function("build_index_all_default_lists", |b| {
        b.iter(|| Screener::new(l.clone(), Config::default()))
    });
    g.finish();

    let s = Screener::new(l, Config::default());
    let mut g = c.benchmark_group("query");
    for q in QUERIES {
        let query = Query::name(q);
        g.bench_function(q, |b| b.iter(|| s.screen(&query)));
    }
    g.finish();

    let batch: Vec<Query> = QUERIES
        .iter()
        .cycle()
        .take(2000)
        .map(|q| Query::name(*q))
        .collect();
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.bench_function("2000_queries_all_cores", |b| {
        b.iter(|| s.screen_many(&batch))
    });
    g.finish();

    let bf = BruteForce::new(&s);
    let mut g = c.benchmark_group("baseline");
    g.sample_size(10);
    g.bench_function("brute_force_jaro_winkler_one_query", |b| {
        b.iter(|| bf.best("Abu Bakr al-Baghdadi"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
