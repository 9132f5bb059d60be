//! Tuning helper: `rank LIST QUERIES` where both files hold `id|type|name` lines. Scores every
//! query against every list name of its type (IDF weights from the list) and prints recall@1
//! and @5 of the query's id, plus the misses.
use name_matching::{NameType, Prepared, prepare};
use std::collections::HashMap;

fn read(p: &str) -> Vec<(String, NameType, String)> {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut it = l.splitn(3, '|');
            Some((
                it.next()?.to_string(),
                it.next()?.parse().ok()?,
                it.next()?.to_string(),
            ))
        })
        .collect()
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let list = read(&a[1]);
    let queries = read(&a[2]);
    let verbose = a.get(3).is_some();
    let mut prepared: Vec<(String, NameType, Prepared, String)> = list
        .iter()
        .map(|(i, t, n)| (i.clone(), *t, prepare(n, *t), n.clone()))
        .collect();
    let mut df: HashMap<String, usize> = HashMap::new();
    for (_, _, p, _) in &prepared {
        let mut seen = std::collections::HashSet::new();
        for t in p.tokens() {
            if seen.insert(t.rarity_key().into_owned()) {
                *df.entry(t.rarity_key().into_owned()).or_default() += 1;
            }
        }
    }
    let n = prepared.len() as f64;
    let idf = |t: &name_matching::Token| -> f64 {
        if t.kind() != name_matching::TokenKind::Name {
            return name_matching::DefaultWeights.weight(t);
        }
        let d = *df.get(t.rarity_key().as_ref()).unwrap_or(&0) as f64 + 1.0;
        ((n / d).ln() / (n / 5.0).ln()).clamp(0.1, 1.0)
    };
    use name_matching::TokenWeights;
    for (_, _, p, _) in prepared.iter_mut() {
        p.apply_weights(&idf);
    }
    let (mut r1, mut r5, mut total) = (0, 0, 0);
    let mut true_scores = Vec::new();
    let mut top_scores = Vec::new();
    for (id, ty, name) in &queries {
        let mut q = prepare(name, *ty);
        q.apply_weights(&idf);
        let mut best: HashMap<&str, (f64, &str)> = HashMap::new();
        for (lid, lty, p, ln) in &prepared {
            if lty != ty {
                continue;
            }
            let s = name_matching::score(&q, p);
            let e = best.entry(lid.as_str()).or_insert((0.0, ln.as_str()));
            if s > e.0 {
                *e = (s, ln.as_str());
            }
        }
        let mut v: Vec<(&str, f64, &str)> = best.into_iter().map(|(k, (s, n))| (k, s, n)).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        total += 1;
        top_scores.push((
            v.first().map(|x| x.1).unwrap_or(0.0),
            name.clone(),
            v.first().map(|x| x.2.to_string()).unwrap_or_default(),
        ));
        let pos = v.iter().position(|x| x.0 == id);
        if let Some(p) = pos {
            true_scores.push(v[p].1);
            if p == 0 {
                r1 += 1
            }
            if p < 5 {
                r5 += 1
            }
        } else {
            true_scores.push(0.0);
        }
        if pos != Some(0) && verbose && !id.starts_with("NEG") {
            let t = pos
                .map(|p| format!("{:.3} {}", v[p].1, v[p].2))
                .unwrap_or_default();
            println!(
                "MISS {id} {name} | rank {:?} true [{t}] | top {} {:.3} {}",
                pos, v[0].0, v[0].1, v[0].2
            );
        }
    }
    if queries.iter().all(|q| q.0.starts_with("NEG")) {
        top_scores.sort_by(|a, b| b.0.total_cmp(&a.0));
        for t in [0.7, 0.75, 0.8, 0.85, 0.9] {
            let fp = top_scores.iter().filter(|x| x.0 >= t).count();
            println!(
                "threshold {t}: false-positive rate {:.4} ({fp}/{})",
                fp as f64 / top_scores.len() as f64,
                top_scores.len()
            );
        }
        for x in top_scores.iter().take(15) {
            println!("  {:.3} {} -> {}", x.0, x.1, x.2);
        }
        return;
    }
    true_scores.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| true_scores[((true_scores.len() as f64 - 1.0) * p) as usize];
    println!(
        "queries {total} recall@1 {:.3} recall@5 {:.3} true-score p10 {:.3} p50 {:.3}",
        r1 as f64 / total as f64,
        r5 as f64 / total as f64,
        pct(0.1),
        pct(0.5)
    );
}
