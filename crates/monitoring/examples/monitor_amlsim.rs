//! Minimal batch run over an AMLSim directory, without the CLI:
//! `cargo run --release -p monitoring --example monitor_amlsim -- DIR ALERTS.jsonl [RULES.toml]`.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: monitor_amlsim DIR ALERTS.jsonl [RULES.toml]");
        std::process::exit(2);
    };
    let rules = match args.get(3) {
        Some(p) => monitoring::Rules::from_toml(&std::fs::read_to_string(p)?)?,
        None => monitoring::Rules::default(),
    };
    let dir = std::path::Path::new(dir);
    let (accts, _) =
        monitoring::input::amlsim::read_accounts(std::fs::File::open(dir.join("accounts.csv"))?)?;
    let rd = monitoring::input::amlsim::AmlsimReader::new(
        std::io::BufReader::new(std::fs::File::open(dir.join("transactions.csv"))?),
        Some(accts),
    )?;
    let mut engine = monitoring::Engine::new(rules);
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    let t0 = std::time::Instant::now();
    let mut n = 0u64;
    for r in rd {
        let Ok(tx) = r else { continue };
        n += 1;
        for a in engine.process(tx) {
            if a.status == monitoring::AlertStatus::Closed {
                writeln!(w, "{}", serde_json::to_string(&a)?)?;
            }
        }
    }
    for a in engine.finish() {
        writeln!(w, "{}", serde_json::to_string(&a)?)?;
    }
    eprintln!(
        "{n} tx in {:?}; stats {}",
        t0.elapsed(),
        serde_json::to_string(engine.stats())?
    );
    Ok(())
}
