//! Per-account state in bounded sliding windows.
//!
//! Layout, chosen for throughput and bounded memory:
//! - every accepted transaction becomes one [`Edge`] in a global arena ordered by event time
//!   (a ring: edges older than the longest window are dropped from the front);
//! - each account keeps two deques of arena sequence numbers (incoming, outgoing), newest at
//!   the back, trimmed to the longest window and to `max_edges_per_account`;
//! - each account remembers up to `max_counterparties_per_account` counterparties with the
//!   time of first contact, so detectors can tell a *new* counterparty from a regular one.
//!
//! Everything a detector reads is keyed by account, which is what makes the state
//! partitionable by account (see ARCHITECTURE.md, "### monitoring").

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

/// Dense account handle (index into [`Store::accounts`]).
pub type AcctId = u32;
/// Arena sequence number of an edge; increases with event time.
pub type Seq = u64;

/// One accepted transaction as the detectors see it.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Event time (Unix seconds).
    pub ts: i64,
    /// Originator account.
    pub from: AcctId,
    /// Beneficiary account.
    pub to: AcctId,
    /// Amount in major units.
    pub amount: f64,
    /// The input's transaction id.
    pub tx: Box<str>,
    /// When the two accounts first transacted with each other (as remembered by the
    /// beneficiary); equals `ts` for a first contact.
    pub pair_first_in: i64,
    /// Same, as remembered by the originator.
    pub pair_first_out: i64,
    /// Highest geography weight of the two parties' countries (0 = none listed).
    pub geo: f32,
    /// Index of the currency in [`Store::currencies`].
    pub currency: u16,
    /// Amount is just under the structuring threshold of its currency.
    pub near_threshold: bool,
}

/// A remembered counterparty.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    /// The counterparty.
    pub acct: AcctId,
    /// First contact (either direction).
    pub first: i64,
    /// Latest contact.
    pub last: i64,
}

/// State of one account.
#[derive(Debug, Default)]
pub struct Account {
    /// Incoming edges inside the longest window, oldest first.
    pub ins: VecDeque<Seq>,
    /// Outgoing edges inside the longest window, oldest first.
    pub outs: VecDeque<Seq>,
    /// Remembered counterparties (bounded).
    pub known: Vec<Known>,
    /// First and latest activity; `i64::MIN` before any.
    pub first_ts: i64,
    /// See `first_ts`.
    pub last_ts: i64,
    /// Transfers seen and their total amount (for the pre-dormancy average).
    pub n_tx: u64,
    /// See `n_tx`.
    pub sum_amount: f64,
    /// Set when the account woke after a long silence: (wake time, silence in seconds,
    /// average amount before).
    pub woke: Option<(i64, i64, f64)>,
    /// Recent pass-through legs: (out time, in edge, out edge).
    pub legs: Vec<(i64, Seq, Seq)>,
    /// Best watchlist match score of the holder's name, if screened and listed.
    pub listed: Option<f32>,
    /// Holder country (as last seen), for geography.
    pub country: Option<Box<str>>,
}

impl Account {
    fn new() -> Account {
        Account {
            first_ts: i64::MIN,
            last_ts: i64::MIN,
            ..Default::default()
        }
    }

    /// Records contact with `cp` at `ts`; returns the first-contact time.
    pub fn touch(&mut self, cp: AcctId, ts: i64, memory: i64, cap: usize) -> i64 {
        if let Some(k) = self.known.iter_mut().find(|k| k.acct == cp) {
            if ts - k.last > memory {
                // Forgotten: contact after a longer gap than the memory counts as new.
                k.first = ts;
            }
            k.last = ts;
            return k.first;
        }
        if self.known.len() >= cap.max(1) {
            // Forget the least recently seen counterparty.
            if let Some((i, _)) = self.known.iter().enumerate().min_by_key(|(_, k)| k.last) {
                self.known.swap_remove(i);
            }
        }
        self.known.push(Known {
            acct: cp,
            first: ts,
            last: ts,
        });
        ts
    }
}

/// All state: the edge arena and the accounts.
#[derive(Debug, Default)]
pub struct Store {
    /// Edges in event order; `edges[i]` has sequence `base + i`.
    pub edges: VecDeque<Edge>,
    /// Sequence number of `edges[0]`.
    pub base: Seq,
    /// Accounts by dense id.
    pub accounts: Vec<Account>,
    /// External account id -> dense id.
    pub index: FxHashMap<Box<str>, AcctId>,
    /// External ids by dense id.
    pub names: Vec<Box<str>>,
    /// Interned currency codes.
    pub currencies: Vec<Box<str>>,
    /// Per-account edges dropped because an account exceeded `max_edges_per_account`.
    pub truncated_edges: u64,
}

impl Store {
    /// Dense id of an account, creating it on first sight.
    pub fn intern(&mut self, ext: &str) -> AcctId {
        if let Some(&id) = self.index.get(ext) {
            return id;
        }
        let id = self.accounts.len() as AcctId;
        self.accounts.push(Account::new());
        self.names.push(ext.into());
        self.index.insert(ext.into(), id);
        id
    }

    /// Interned currency index.
    pub fn currency(&mut self, code: &str) -> u16 {
        if let Some(i) = self.currencies.iter().position(|c| &**c == code) {
            return i as u16;
        }
        if self.currencies.len() >= u16::MAX as usize {
            return 0;
        }
        self.currencies.push(code.into());
        (self.currencies.len() - 1) as u16
    }

    /// External id of an account.
    pub fn name(&self, a: AcctId) -> &str {
        self.names.get(a as usize).map(|s| &**s).unwrap_or("?")
    }

    /// The edge with sequence `s`, unless evicted.
    pub fn edge(&self, s: Seq) -> Option<&Edge> {
        if s < self.base {
            return None;
        }
        self.edges.get((s - self.base) as usize)
    }

    /// The account, if it exists.
    pub fn account(&self, a: AcctId) -> Option<&Account> {
        self.accounts.get(a as usize)
    }

    /// Incoming edges of `a` with `ts >= from`, newest first.
    pub fn ins_since(&self, a: AcctId, from: i64) -> impl Iterator<Item = (Seq, &Edge)> + '_ {
        let dq = self.account(a).map(|acc| &acc.ins);
        self.walk_back(dq, from)
    }

    /// Outgoing edges of `a` with `ts >= from`, newest first.
    pub fn outs_since(&self, a: AcctId, from: i64) -> impl Iterator<Item = (Seq, &Edge)> + '_ {
        let dq = self.account(a).map(|acc| &acc.outs);
        self.walk_back(dq, from)
    }

    fn walk_back<'a>(
        &'a self,
        dq: Option<&'a VecDeque<Seq>>,
        from: i64,
    ) -> impl Iterator<Item = (Seq, &'a Edge)> + 'a {
        dq.into_iter()
            .flat_map(|d| d.iter().rev())
            .map_while(move |&s| match self.edge(s) {
                Some(e) if e.ts >= from => Some(Some((s, e))),
                Some(_) => None,
                // Evicted edges sit at the front; everything before them is older still.
                None => None,
            })
            .flatten()
    }

    /// Appends an edge and links it to both accounts; returns its sequence number.
    pub fn push(&mut self, edge: Edge, max_edges: usize) -> Seq {
        let seq = self.base + self.edges.len() as Seq;
        let (from, to) = (edge.from, edge.to);
        self.edges.push_back(edge);
        for (a, incoming) in [(from, false), (to, true)] {
            if let Some(acc) = self.accounts.get_mut(a as usize) {
                let dq = if incoming {
                    &mut acc.ins
                } else {
                    &mut acc.outs
                };
                dq.push_back(seq);
                if dq.len() > max_edges {
                    dq.pop_front();
                    self.truncated_edges += 1;
                }
            }
        }
        seq
    }

    /// Drops edges older than `cutoff` from the arena and from the accounts they touch.
    pub fn evict_before(&mut self, cutoff: i64) {
        while let Some(front) = self.edges.front() {
            if front.ts >= cutoff {
                break;
            }
            let (from, to) = (front.from, front.to);
            let seq = self.base;
            self.edges.pop_front();
            self.base += 1;
            for (a, incoming) in [(from, false), (to, true)] {
                if let Some(acc) = self.accounts.get_mut(a as usize) {
                    let dq = if incoming {
                        &mut acc.ins
                    } else {
                        &mut acc.outs
                    };
                    while dq.front().is_some_and(|&s| s <= seq) {
                        dq.pop_front();
                    }
                    if dq.is_empty() && dq.capacity() > 16 {
                        dq.shrink_to_fit();
                    }
                }
            }
        }
    }
}
