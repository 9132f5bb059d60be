//! Token alignment and the name score.
//!
//! Every query token is paired with at most one list token (and vice versa) by a greedy
//! best-first assignment over the token-pair matches of [`crate::reasons`]; order does not
//! matter ("BAGHDADI, Abu Bakr" aligns with "Abu Bakr al-Baghdadi"). Left-over tokens are
//! then tried as fused pairs (`Binladin` = `Bin Ladin`).
//!
//! The score is a weighted average: each aligned pair adds its similarity × its weight (the
//! mean rarity of the two tokens); each unmatched token adds its weight × a schema-dependent
//! factor to the denominator only. An unmatched *query* token costs more than an unmatched
//! *list* token, because list names carry middle names and ancestors that queries omit, while
//! a query token absent from the list name is evidence of a different person.
//! Finally, when tokens are left unmatched and no rare token matched well, the score is cut
//! ([`COMMON_ONLY_FACTOR`]): common tokens (Mohammed, Ali, Company) cannot create a match.

use smallvec::SmallVec;

use crate::reasons::{self, MatchHow};
use crate::token::TokenKind;
use crate::{NameType, Prepared};

/// Most tokens considered per name (longer names are cut; masks are `u32`).
pub const MAX_TOKENS: usize = 24;
/// Score multiplier when only common tokens matched and some tokens are unmatched.
pub const COMMON_ONLY_FACTOR: f32 = 0.7;
/// Score multiplier when only initials (and legal forms) matched.
pub const INITIALS_ONLY_FACTOR: f32 = 0.5;
/// A pair counts as strong evidence from this similarity and this weight.
const STRONG_SIM: f32 = 0.8;
const STRONG_WEIGHT: f32 = 0.5;

/// (unmatched query factor, unmatched list factor) by schema.
pub fn unmatched_factors(ty: NameType) -> (f32, f32) {
    match ty {
        NameType::Person => (0.8, 0.3),
        NameType::Organization => (0.8, 0.5),
        NameType::Vessel => (1.0, 1.0),
        NameType::Other => (0.8, 0.4),
    }
}

const NONE: u8 = u8::MAX;

/// Weight of an unmatched token in the denominator: `0.5 + 0.5 × weight` for name tokens,
/// the plain weight for initials, legal forms and numbers.
pub fn unmatched_weight(kind: TokenKind, w: f32) -> f32 {
    if kind == TokenKind::Name {
        0.5 + 0.5 * w
    } else {
        w
    }
}

/// One aligned pair; `q.1`/`c.1` hold the second token of a fused pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub q: (u8, u8),
    pub c: (u8, u8),
    pub score: f32,
    pub how: MatchHow,
    pub weight: f32,
}

/// Result of aligning two names (allocation-free for names up to 8 pairs).
#[derive(Debug, Clone)]
pub(crate) struct Alignment {
    pub links: SmallVec<[Link; 8]>,
    pub q_used: u32,
    pub c_used: u32,
    pub score: f32,
    pub common_only: bool,
    pub initials_only: bool,
    pub reordered: bool,
}

/// Aligns and scores `q` against `c` with the given token weights.
#[allow(clippy::needless_range_loop)] // indices address tokens, weights and bit masks at once
pub(crate) fn align(q: &Prepared, wq: &[f32], c: &Prepared, wc: &[f32]) -> Alignment {
    let nq = q.tokens.len().min(MAX_TOKENS);
    let nc = c.tokens.len().min(MAX_TOKENS);
    let mut links: SmallVec<[Link; 8]> = SmallVec::new();
    let (mut q_used, mut c_used) = (0u32, 0u32);
    // exact texts first (cheap, and what most true matches are made of)
    for i in 0..nq {
        let t = &q.tokens[i];
        if t.kind == TokenKind::LegalForm {
            continue;
        }
        for j in 0..nc {
            if c_used & (1 << j) == 0
                && c.tokens[j].text == t.text
                && c.tokens[j].kind == t.kind
                && let Some((s, how)) = reasons::exact::check(t, &c.tokens[j])
            {
                q_used |= 1 << i;
                c_used |= 1 << j;
                let weight = (wq[i] + wc[j]) / 2.0;
                links.push(Link {
                    q: (i as u8, NONE),
                    c: (j as u8, NONE),
                    score: s,
                    how,
                    weight,
                });
                break;
            }
        }
    }
    let mut cands: SmallVec<[(f32, u8, u8, MatchHow); 32]> = SmallVec::new();
    for i in 0..nq {
        if q_used & (1 << i) != 0 {
            continue;
        }
        for j in 0..nc {
            if c_used & (1 << j) != 0 {
                continue;
            }
            if let Some((s, how)) = reasons::compare_tokens(&q.tokens[i], &c.tokens[j]) {
                cands.push((s, i as u8, j as u8, how));
            }
        }
    }
    cands.sort_unstable_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| {
                let wa = wq[a.1 as usize] + wc[a.2 as usize];
                let wb = wq[b.1 as usize] + wc[b.2 as usize];
                wb.total_cmp(&wa)
            })
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    for (s, i, j, how) in cands {
        if q_used & (1 << i) != 0 || c_used & (1 << j) != 0 {
            continue;
        }
        q_used |= 1 << i;
        c_used |= 1 << j;
        let (a, b) = (wq[i as usize], wc[j as usize]);
        let weight = if how == MatchHow::Initial {
            a.min(b)
        } else {
            (a + b) / 2.0
        };
        links.push(Link {
            q: (i, NONE),
            c: (j, NONE),
            score: s,
            how,
            weight,
        });
    }
    // fused pairs among the left-overs
    if q_used.count_ones() < nq as u32 && c_used.count_ones() < nc as u32 {
        fuse_leftovers(q, wq, c, wc, nq, nc, &mut links, &mut q_used, &mut c_used);
    }
    links.sort_unstable_by_key(|l| l.q.0);
    let reordered = links.windows(2).any(|w| w[1].c.0 < w[0].c.0);

    let (fq, fc) = unmatched_factors(if c.ty == NameType::Other { q.ty } else { c.ty });
    let mut num = 0f32;
    let mut den = 0f32;
    let mut strong = false;
    for l in &links {
        num += l.score * l.weight;
        den += l.weight;
        if l.score >= STRONG_SIM && l.weight >= STRONG_WEIGHT && l.how != MatchHow::LegalForm {
            strong = true;
        }
    }
    let mut any_unmatched = false;
    // a missing token is evidence against a match whatever its rarity: a common given name
    // that differs still says "another person", so unmatched weights are floored
    for (i, w) in wq.iter().enumerate().take(nq) {
        if q_used & (1 << i) == 0 {
            den += unmatched_weight(q.tokens[i].kind, *w) * fq;
            any_unmatched |= matches!(q.tokens[i].kind, TokenKind::Name | TokenKind::Initial);
        }
    }
    for (j, w) in wc.iter().enumerate().take(nc) {
        if c_used & (1 << j) == 0 {
            den += unmatched_weight(c.tokens[j].kind, *w) * fc;
            any_unmatched |= matches!(c.tokens[j].kind, TokenKind::Name | TokenKind::Initial);
        }
    }
    let mut score = if den > 0.0 {
        (num / den).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let common_only = !links.is_empty() && !strong && any_unmatched && q.ty != NameType::Vessel;
    if common_only {
        score *= COMMON_ONLY_FACTOR;
    }
    // a name made only of initials (or matched only through them) identifies no one
    let initials_only = !links.is_empty()
        && links
            .iter()
            .all(|l| matches!(l.how, MatchHow::Initial | MatchHow::LegalForm));
    if initials_only {
        score *= INITIALS_ONLY_FACTOR;
    }
    Alignment {
        links,
        q_used,
        c_used,
        score,
        common_only,
        initials_only,
        reordered,
    }
}

#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
fn fuse_leftovers(
    q: &Prepared,
    wq: &[f32],
    c: &Prepared,
    wc: &[f32],
    nq: usize,
    nc: usize,
    links: &mut SmallVec<[Link; 8]>,
    q_used: &mut u32,
    c_used: &mut u32,
) {
    // one query token = two adjacent list tokens
    for i in 0..nq {
        if *q_used & (1 << i) != 0 {
            continue;
        }
        for j in 0..nc.saturating_sub(1) {
            if *c_used & (0b11 << j) != 0 {
                continue;
            }
            if let Some((s, how)) =
                reasons::fused::check(&q.tokens[i], &c.tokens[j], &c.tokens[j + 1])
            {
                *q_used |= 1 << i;
                *c_used |= 0b11 << j;
                let weight = (wq[i] + wc[j].max(wc[j + 1])) / 2.0;
                links.push(Link {
                    q: (i as u8, NONE),
                    c: (j as u8, j as u8 + 1),
                    score: s,
                    how,
                    weight,
                });
                break;
            }
        }
    }
    // two adjacent query tokens = one list token
    for j in 0..nc {
        if *c_used & (1 << j) != 0 {
            continue;
        }
        for i in 0..nq.saturating_sub(1) {
            if *q_used & (0b11 << i) != 0 {
                continue;
            }
            if let Some((s, how)) =
                reasons::fused::check(&c.tokens[j], &q.tokens[i], &q.tokens[i + 1])
            {
                *c_used |= 1 << j;
                *q_used |= 0b11 << i;
                let weight = (wc[j] + wq[i].max(wq[i + 1])) / 2.0;
                links.push(Link {
                    q: (i as u8, i as u8 + 1),
                    c: (j as u8, NONE),
                    score: s,
                    how,
                    weight,
                });
                break;
            }
        }
    }
}
