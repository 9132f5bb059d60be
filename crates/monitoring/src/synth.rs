//! Deterministic synthetic transaction streams for benchmarks and scale tests.
//!
//! Background traffic: each account has a handful of regular counterparties it pays
//! repeatedly (salaries, rent, family) plus occasional one-off payments, amounts spread
//! over 10-5,000. Every `pattern_every` transactions a TF-shaped pattern is scheduled
//! (fan-in burst, fan-out, scatter-gather, cycle) so the detectors do real work. Output is
//! in event-time order. The PRNG is hand-written (SplitMix64) so a seed gives the same
//! stream on every platform and every version of the `rand` crate.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::{Party, Transaction};

/// Generator settings.
#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// Transactions to produce.
    pub transactions: u64,
    /// Distinct accounts.
    pub accounts: u64,
    /// Event-time span in days.
    pub days: u64,
    /// PRNG seed.
    pub seed: u64,
    /// One pattern scheduled per this many transactions (0 = none).
    pub pattern_every: u64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            transactions: 1_000_000,
            accounts: 100_000,
            days: 365,
            seed: 7,
            pattern_every: 2_000,
        }
    }
}

/// SplitMix64.
#[derive(Debug, Clone)]
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A scheduled pattern transfer: (time, tie-break, from, to, cents).
type Scheduled = (i64, u64, u64, u64, u64);

/// The stream (an iterator of transactions in event-time order).
#[derive(Debug)]
pub struct SynthStream {
    cfg: SynthConfig,
    rng: Rng,
    emitted: u64,
    background: u64,
    scheduled: BinaryHeap<Reverse<Scheduled>>,
    tiebreak: u64,
    start: i64,
    pattern_no: u64,
}

/// 2024-01-01T00:00:00Z.
const START: i64 = 1_704_067_200;

impl SynthStream {
    /// A new stream.
    pub fn new(cfg: SynthConfig) -> SynthStream {
        let rng = Rng(cfg.seed ^ 0xA5A5_5A5A_1234_5678);
        SynthStream {
            cfg,
            rng,
            emitted: 0,
            background: 0,
            scheduled: BinaryHeap::new(),
            tiebreak: 0,
            start: START,
            pattern_no: 0,
        }
    }

    fn span(&self) -> i64 {
        (self.cfg.days.max(1) * 86_400) as i64
    }

    fn bg_ts(&self, i: u64) -> i64 {
        self.start + (i as i128 * self.span() as i128 / self.cfg.transactions.max(1) as i128) as i64
    }

    fn acct(&mut self) -> u64 {
        self.rng.below(self.cfg.accounts.max(2))
    }

    fn schedule(&mut self, ts: i64, from: u64, to: u64, amount: f64) {
        self.tiebreak += 1;
        self.scheduled.push(Reverse((
            ts,
            self.tiebreak,
            from,
            to,
            (amount * 100.0) as u64,
        )));
    }

    fn schedule_pattern(&mut self, at: i64) {
        self.pattern_no += 1;
        let day = 86_400i64;
        match self.pattern_no % 4 {
            0 => {
                let c = self.acct();
                let n = 8 + self.rng.below(12);
                for _ in 0..n {
                    let s = self.acct();
                    let t = at + self.rng.below(4 * day as u64) as i64;
                    let a = 50.0 + self.rng.unit() * 400.0;
                    self.schedule(t, s, c, a);
                }
            }
            1 => {
                let p = self.acct();
                let n = 8 + self.rng.below(10);
                for _ in 0..n {
                    let r = self.acct();
                    let t = at + self.rng.below(10 * day as u64) as i64;
                    let a = 100.0 + self.rng.unit() * 900.0;
                    self.schedule(t, p, r, a);
                }
            }
            2 => {
                let (o, b) = (self.acct(), self.acct());
                let n = 3 + self.rng.below(5);
                for _ in 0..n {
                    let m = self.acct();
                    let t = at + self.rng.below(3 * day as u64) as i64;
                    let a = 500.0 + self.rng.unit() * 500.0;
                    self.schedule(t, o, m, a);
                    let t2 = t + 4 * day + self.rng.below(3 * day as u64) as i64;
                    self.schedule(t2, m, b, a * 0.97);
                }
            }
            _ => {
                let n = 3 + self.rng.below(4) as usize;
                let nodes: Vec<u64> = (0..n).map(|_| self.acct()).collect();
                for i in 0..n {
                    let t = at + (i as i64) * day + self.rng.below(day as u64) as i64;
                    self.schedule(t, nodes[i], nodes[(i + 1) % n], 2_000.0);
                }
            }
        }
    }

    fn background_tx(&mut self) -> (u64, u64, f64) {
        let from = self.acct();
        // 70 %: one of ~6 regular counterparties derived from the account id; else anyone.
        let to = if self.rng.below(10) < 7 {
            let k = self.rng.below(6);
            (from.wrapping_mul(2_654_435_761).wrapping_add(k * 97_531)) % self.cfg.accounts.max(2)
        } else {
            self.acct()
        };
        let to = if to == from {
            (to + 1) % self.cfg.accounts.max(2)
        } else {
            to
        };
        let u = self.rng.unit();
        let amount = (10.0 * (500.0f64).powf(u) * 100.0).round() / 100.0;
        (from, to, amount)
    }

    fn make(&self, id: u64, ts: i64, from: u64, to: u64, amount: f64) -> Transaction {
        let bank = |a: u64| format!("bank_{}", (b'a' + (a % 3) as u8) as char);
        Transaction {
            id: id.to_string(),
            timestamp: ts,
            amount,
            currency: "USD".into(),
            originator: Party {
                account: from.to_string(),
                bank: Some(bank(from)),
                ..Default::default()
            },
            beneficiary: Party {
                account: to.to_string(),
                bank: Some(bank(to)),
                ..Default::default()
            },
            channel: Some("TRANSFER".into()),
        }
    }
}

impl Iterator for SynthStream {
    type Item = Transaction;
    fn next(&mut self) -> Option<Transaction> {
        if self.emitted >= self.cfg.transactions {
            return None;
        }
        let next_bg_ts = self.bg_ts(self.background);
        let id = self.emitted + 1;
        if let Some(Reverse((ts, _, from, to, cents))) = self.scheduled.peek().copied()
            && ts <= next_bg_ts
        {
            self.scheduled.pop();
            self.emitted += 1;
            return Some(self.make(id, ts, from, to, cents as f64 / 100.0));
        }
        let (from, to, amount) = self.background_tx();
        self.background += 1;
        self.emitted += 1;
        if self.cfg.pattern_every > 0 && self.background.is_multiple_of(self.cfg.pattern_every) {
            self.schedule_pattern(next_bg_ts + 3600);
        }
        Some(self.make(id, next_bg_ts, from, to, amount))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_is_deterministic_ordered_and_sized() {
        let cfg = SynthConfig {
            transactions: 20_000,
            accounts: 1_000,
            days: 30,
            seed: 1,
            pattern_every: 500,
        };
        let a: Vec<_> = SynthStream::new(cfg.clone()).collect();
        let b: Vec<_> = SynthStream::new(cfg).collect();
        assert_eq!(a.len(), 20_000);
        assert_eq!(a, b);
        assert!(a.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
    }
}
