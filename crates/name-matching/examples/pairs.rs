//! Debug helper: reads `A|B|type` lines on stdin, prints score, how, and the pair.
use std::io::BufRead;
fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let p: Vec<&str> = line.split('|').collect();
        if p.len() < 2 {
            continue;
        }
        let ty = p
            .get(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(name_matching::NameType::Person);
        let q = name_matching::prepare(p[0], ty);
        let c = name_matching::prepare(p[1], ty);
        let r = name_matching::compare(&q, &c);
        let hows: Vec<String> = r
            .alignment
            .iter()
            .map(|a| {
                format!(
                    "{}={}:{}:{:.2}",
                    a.query_token,
                    a.list_token,
                    a.how.label(),
                    a.score
                )
            })
            .collect();
        println!("{:.3}\t{}\t{}\t{}", r.score, p[0], p[1], hows.join(" ; "));
    }
}
