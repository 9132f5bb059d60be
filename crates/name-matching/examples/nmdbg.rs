//! Debug helper: `cargo run -p name-matching --example nmdbg -- "A" "B" [person|organization]`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let ty = a
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(name_matching::NameType::Person);
    let q = name_matching::prepare(&a[1], ty);
    let c = name_matching::prepare(&a[2], ty);
    for t in q.tokens().iter().chain(c.tokens()) {
        println!(
            "{:?} {:?} w={} {}",
            t.original(),
            t.text(),
            t.weight(),
            t.debug_forms()
        );
    }
    println!(
        "{:?}",
        q.index_keys()
            .iter()
            .map(|k| k.key.clone())
            .collect::<Vec<_>>()
    );
    println!(
        "{:?}",
        c.index_keys()
            .iter()
            .map(|k| k.key.clone())
            .collect::<Vec<_>>()
    );
    print!("{}", name_matching::compare(&q, &c));
}
