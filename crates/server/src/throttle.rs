//! Failed sign-in throttle for `POST /v1/session`.
//!
//! API keys are 256-bit secrets, so guessing one is hopeless; the throttle exists because
//! every failed sign-in is an unauthenticated request that appends a row to the audit chain.
//! Without a limit anyone who can reach the port could grow the audit log without bound and
//! bury real events. After [`MAX_FAILURES`] failures from one peer address within
//! [`WINDOW`], that peer's sign-ins are refused with 429 (and not audited, nor even checked:
//! a correct key is refused too, so a locked-out guesser learns nothing) until the oldest
//! failure leaves the window. A successful sign-in clears the peer's failures.
//!
//! In memory and per process: a restart forgets the failures, which only hands an attacker
//! another [`MAX_FAILURES`] audited attempts. Behind a reverse proxy every client shares the
//! proxy's address; the limit is then shared too (a flood through the proxy also delays
//! legitimate sign-ins for up to [`WINDOW`], which is the safer failure).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins one peer may make within [`WINDOW`].
pub const MAX_FAILURES: usize = 10;
/// The sliding window the failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(300);
/// Peers remembered at most; beyond this, expired entries are dropped and, if the table is
/// still full, new peers share one entry (a flood from many addresses cannot exhaust memory).
const MAX_PEERS: usize = 10_000;

/// Who is signing in: the TCP peer's address, or `None` when the server runs without
/// connection info (in-process tests), which all share one entry.
pub type Peer = Option<IpAddr>;

/// Counts failed sign-ins per peer in a sliding window.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    peers: Mutex<HashMap<Peer, VecDeque<Instant>>>,
}

impl SignInThrottle {
    /// `Err(retry_after)` when `peer` has used up its failures in the current window.
    pub fn check(&self, peer: Peer, now: Instant) -> Result<(), Duration> {
        let Ok(mut peers) = self.peers.lock() else {
            return Ok(()); // a poisoned lock must not lock everyone out
        };
        let key = Self::key(&peers, peer);
        let Some(fails) = peers.get_mut(&key) else {
            return Ok(());
        };
        Self::expire(fails, now);
        if fails.len() < MAX_FAILURES {
            if fails.is_empty() {
                peers.remove(&key);
            }
            return Ok(());
        }
        let oldest = fails.front().copied().unwrap_or(now);
        Err((oldest + WINDOW)
            .saturating_duration_since(now)
            .max(Duration::from_secs(1)))
    }

    /// Records a failed sign-in of `peer`.
    pub fn failed(&self, peer: Peer, now: Instant) {
        let Ok(mut peers) = self.peers.lock() else {
            return;
        };
        if peers.len() >= MAX_PEERS && !peers.contains_key(&peer) {
            peers.retain(|_, fails| {
                Self::expire(fails, now);
                !fails.is_empty()
            });
        }
        let key = Self::key(&peers, peer);
        let fails = peers.entry(key).or_default();
        Self::expire(fails, now);
        fails.push_back(now);
        // only the last MAX_FAILURES matter for the decision
        while fails.len() > MAX_FAILURES {
            fails.pop_front();
        }
    }

    /// A successful sign-in forgets the peer's failures.
    pub fn succeeded(&self, peer: Peer) {
        if let Ok(mut peers) = self.peers.lock() {
            peers.remove(&peer);
        }
    }

    /// The entry `peer` counts under: its own, or the shared overflow entry when the table
    /// is full of other live peers.
    fn key(peers: &HashMap<Peer, VecDeque<Instant>>, peer: Peer) -> Peer {
        if peers.len() >= MAX_PEERS && !peers.contains_key(&peer) {
            None
        } else {
            peer
        }
    }

    fn expire(fails: &mut VecDeque<Instant>, now: Instant) {
        while fails
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= WINDOW)
        {
            fails.pop_front();
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    fn ip(s: &str) -> Peer {
        Some(s.parse().expect("a literal address"))
    }

    #[test]
    fn a_peer_is_refused_after_max_failures_and_told_when_to_retry() {
        let t = SignInThrottle::default();
        let start = Instant::now();
        for i in 0..MAX_FAILURES {
            assert!(t.check(ip("10.0.0.1"), start).is_ok(), "attempt {i}");
            t.failed(ip("10.0.0.1"), start);
        }
        let retry = t.check(ip("10.0.0.1"), start).expect_err("locked out");
        assert_eq!(retry, WINDOW);
        // another peer is not affected
        assert!(t.check(ip("10.0.0.2"), start).is_ok());
    }

    #[test]
    fn failures_leave_the_window_and_the_peer_may_try_again() {
        let t = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES {
            t.failed(ip("10.0.0.1"), start);
        }
        assert!(t.check(ip("10.0.0.1"), start + WINDOW / 2).is_err());
        assert!(t.check(ip("10.0.0.1"), start + WINDOW).is_ok());
    }

    #[test]
    fn a_successful_sign_in_clears_the_failures() {
        let t = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            t.failed(ip("10.0.0.1"), start);
        }
        t.succeeded(ip("10.0.0.1"));
        t.failed(ip("10.0.0.1"), start);
        assert!(t.check(ip("10.0.0.1"), start).is_ok());
    }

    #[test]
    fn a_full_table_shares_one_entry_instead_of_growing() {
        let t = SignInThrottle::default();
        let start = Instant::now();
        for i in 0..MAX_PEERS as u32 {
            t.failed(Some(IpAddr::from(i.to_be_bytes())), start);
        }
        // a new peer counts under the shared entry, and the table does not grow
        for _ in 0..MAX_FAILURES {
            t.failed(ip("192.168.1.1"), start);
        }
        assert!(t.check(ip("192.168.1.1"), start).is_err());
        assert!(t.peers.lock().expect("not poisoned").len() <= MAX_PEERS + 1);
        // once the old failures expire the table makes room again
        t.failed(ip("192.168.1.2"), start + WINDOW);
        assert!(t.check(ip("192.168.1.2"), start + WINDOW).is_ok());
    }
}
