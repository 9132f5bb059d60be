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
//! a query token absent from the list name is evidence of a different person. For persons,
//! that cost is lowered when the rest of the name is fully aligned on rare tokens (the
//! query's extra tokens are the rest of a full name: [`COVERED_FACTOR`]), for patronymics,
//! and for repetitions of an aligned token ([`REPEAT_FACTOR`]).
//! Finally, when tokens are left unmatched and no rare token matched well, the score is cut
//! ([`COMMON_ONLY_FACTOR`]): common tokens (Mohammed, Ali, Company) cannot create a match.

mod middle_variant;

use smallvec::SmallVec;

use crate::reasons::{self, MatchHow};
use crate::token::{Token, TokenKind};
use crate::{NameType, Prepared};

/// Most tokens considered per name (longer names are cut; masks are `u32`).
pub const MAX_TOKENS: usize = 24;
/// Score multiplier when only common tokens matched and some tokens are unmatched.
pub const COMMON_ONLY_FACTOR: f32 = 0.7;
/// Score multiplier when only initials (and legal forms) matched.
pub const INITIALS_ONLY_FACTOR: f32 = 0.5;
/// Unmatched-query factor of a middle name (a query token between two aligned tokens) when
/// the list name is aligned in full: lists often carry a shorter form of the same name
/// ("Rajesh Kumar GUPTA" / "Rajesh GUPTA").
pub const MIDDLE_FACTOR: f32 = 0.5;
/// Unmatched-query factor of a middle patronymic (`Nikolayevich`, `Vladimirovna`): lists
/// drop patronymics as often as queries do, so it costs what a list middle name costs.
pub const PATRONYMIC_FACTOR: f32 = 0.3;

/// Endings of East Slavic patronymics in the folded Latin spellings lists use.
const PATRONYMIC_ENDS: &[&str] = &[
    "ovich", "evich", "ovitj", "evitj", "ovitsh", "evitsh", "ovych", "evych", "ovna", "evna",
    "ivna", "ovichna",
];

/// True when a folded Latin token is an East Slavic patronymic.
pub(crate) fn is_patronymic(text: &str) -> bool {
    text.len() >= 7 && PATRONYMIC_ENDS.iter().any(|e| text.ends_with(e))
}

/// Unmatched factor of a token that repeats an aligned token of the same name (`Said Sa'id
/// Sa'id` / `Said SAID`, `Agha AGHA`): a repetition adds no identity and contradicts nothing.
pub const REPEAT_FACTOR: f32 = 0.1;

/// What it finds: a list name aligned in full, on at least two name tokens whose aligned
/// evidence (similarity × rarity weight, summed) reaches [`COVERED_MIN_EVIDENCE`], while the
/// query carries more name tokens (`Khamis Jawdat Khamis NAJJAR` / `Khamis NAJJAR`,
/// `Mahad Warsame Qalley Karate` / `Mahad Karate`, `Bakht Gul BAHAR` / `Bakht Gul`).
/// Why it matters: customer records hold the full name (father's and grandfather's names,
/// several family names) while lists carry a short form; when every list token is found and
/// the found tokens are rare enough to identify someone, the extra query tokens are more
/// name, not a contradiction. Common tokens (`Mohammed Ali`) never reach the evidence floor,
/// so `Mohammed Ali X` does not hit a listed `Mohammed Ali`.
/// Example: `Samer Samir RAYYA` / `Samer RAYYA`: the middle `Samir` costs ×0.2 of its weight
/// instead of ×0.5 ([`MIDDLE_FACTOR`]).
/// Parameters: [`COVERED_FACTOR`] (unmatched-query factor of a middle token),
/// [`COVERED_MIN_EVIDENCE`] and [`COVERED_RARE_WEIGHT`]; extra tokens before the first or
/// after the last aligned token (possibly another family name) need a rarer shared token,
/// [`OUTER_RARE_WEIGHT`], and cost [`OUTER_COVERED_FACTOR`]. The same floors let list
/// tokens left out by a query aligned in full cost [`SUBSET_LIST_FACTOR`] instead of the
/// schema's list factor (`Masud AZHAR` / `Mohammad Masood Azhar ALVI`).
pub const COVERED_FACTOR: f32 = 0.2;
/// Unmatched-query factor of each further middle name of a covered list name after the
/// first (`Kai Lauri Johannes PAANANEN` / `Kai PAANANEN`: lists drop the middle names as a
/// block, which is one omission, not several contradictions).
pub const COVERED_NEXT_FACTOR: f32 = 0.1;
/// Aligned evidence (Σ similarity × weight over name pairs) a fully aligned name needs before
/// the other side's extra tokens cost less.
pub const COVERED_MIN_EVIDENCE: f32 = 1.5;
/// Weight the rarest well-matched pair must reach for [`COVERED_FACTOR`]: one of the shared
/// tokens must be rare (a family name), not only common given names (`Khalid WALEED`).
pub const COVERED_RARE_WEIGHT: f32 = 0.75;
/// Weight the rarest well-matched pair must reach before extra tokens outside the aligned
/// span (a trailing or leading name: `Bakht Gul BAHAR` / `Bakht Gul`) cost
/// [`OUTER_COVERED_FACTOR`], or list tokens outside it cost [`SUBSET_LIST_FACTOR`].
pub const OUTER_RARE_WEIGHT: f32 = 0.9;
/// Unmatched-query factor of an extra token outside the aligned span of a covered list name.
pub const OUTER_COVERED_FACTOR: f32 = 0.25;
/// Unmatched-list factor when the query is aligned in full with enough evidence.
pub const SUBSET_LIST_FACTOR: f32 = 0.2;

/// The mask of the first `n` tokens of a name.
#[inline]
fn first_bits(n: usize) -> u32 {
    u32::MAX
        .checked_shr(32u32.saturating_sub(n as u32))
        .unwrap_or(0)
}

/// True when some of the first `n` tokens of a name are not in `used`, a mask of some of
/// them: `used.count_ones() < n`, without a population count (the baseline x86-64 target
/// has no instruction for it, and this is asked several times per candidate name).
#[inline]
fn some_free(used: u32, n: usize) -> bool {
    debug_assert!(used & !first_bits(n) == 0, "{used:b} beyond {n} tokens");
    used != first_bits(n)
}

/// True when token `i` lies between two aligned tokens of its name (a middle name).
fn inner(used: u32, i: usize) -> bool {
    used & ((1u32 << i) - 1) != 0 && (used >> (i + 1)) != 0
}

/// Aligned evidence: number of name pairs (not initials or legal forms) and their summed
/// similarity × weight.
struct Evidence {
    names: usize,
    sum: f32,
    /// Highest weight of a pair matched at [`STRONG_SIM`] or better.
    rarest: f32,
}

fn evidence(links: &[Link]) -> Evidence {
    let mut e = Evidence {
        names: 0,
        sum: 0.0,
        rarest: 0.0,
    };
    for l in links {
        if !matches!(l.how, MatchHow::Initial | MatchHow::LegalForm) {
            e.names += 1;
            e.sum += l.score * l.weight;
            if l.score >= STRONG_SIM {
                e.rarest = e.rarest.max(l.weight);
            }
        }
    }
    e
}

/// True when token `i` of `p` is a name token whose form equals that of an aligned token of
/// the same name ([`crate::Token::same_form`] lists those tokens).
#[inline]
fn repeats_aligned(p: &Prepared, used: u32, i: usize) -> bool {
    p.tokens[i].same_form & used != 0
}

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
    /// Query middle names absent from the list name were counted at a reduced cost.
    pub middle_relaxed: bool,
}

/// Aligns and scores `q` against `c` with the given token weights.
pub(crate) fn align(q: &Prepared, wq: &[f32], c: &Prepared, wc: &[f32]) -> Alignment {
    align_with(q, wq, c, wc, |i, j| {
        reasons::compare_tokens(&q.tokens[i], &c.tokens[j])
    })
}

/// [`align`] with the token-pair comparison supplied by the caller: `cmp(i, j)` must equal
/// `reasons::compare_tokens(&q.tokens[i], &c.tokens[j])`. The screening hot path passes a
/// per-query memo ([`crate::memo::PairMemo`]) so that a list token shared by many candidate
/// names is compared with each query token once.
#[allow(clippy::needless_range_loop)] // indices address tokens, weights and bit masks at once
pub(crate) fn align_with(
    q: &Prepared,
    wq: &[f32],
    c: &Prepared,
    wc: &[f32],
    mut cmp: impl FnMut(usize, usize) -> Option<(f32, MatchHow)>,
) -> Alignment {
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
                && c.tokens[j].kind == t.kind
                && c.tokens[j].text == t.text
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
            if let Some((s, how)) = cmp(i, j) {
                cands.push((s, i as u8, j as u8, how));
            }
        }
    }
    let order = |a: &(f32, u8, u8, MatchHow), b: &(f32, u8, u8, MatchHow)| {
        b.0.total_cmp(&a.0)
            .then_with(|| {
                let wa = wq[a.1 as usize] + wc[a.2 as usize];
                let wb = wq[b.1 as usize] + wc[b.2 as usize];
                wb.total_cmp(&wa)
            })
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.cmp(&b.2))
    };
    // `order` is a strict total order (a pair (i, j) occurs once), so every sort gives the
    // same sequence; a few candidates (the usual case) sort fastest by insertion
    if cands.len() <= 16 {
        insertion_sort(&mut cands, order);
    } else {
        cands.sort_unstable_by(order);
    }
    for &(s, i, j, how) in &cands {
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
    // an initial that took a compound whose second part the query spells out
    if some_free(q_used, nq) {
        initial_compound(q, wq, c, wc, nq, &mut links, &mut q_used);
    }
    // an initial that took the first part of a hyphenated list name (`R.` / `Reza-Gholi`)
    if some_free(c_used, nc) {
        initial_hyphenated(c, nc, &mut links, &mut c_used);
    }
    // a query `Abdul` + family name that took only the family name of a list `Abdul X` +
    // family name
    if q.spaced_compound && some_free(c_used, nc) {
        truncated_compound(q, wq, c, wc, nc, &mut links, &mut c_used);
    }
    // fused pairs among the left-overs
    if some_free(q_used, nq) && some_free(c_used, nc) {
        fuse_leftovers(q, wq, c, wc, nq, nc, &mut links, &mut q_used, &mut c_used);
    }
    // a matched word that stands for itself and a left-over neighbour written together;
    // across writing systems only (within one, `reasons::fused` takes exact joins, which the
    // greedy pass never splits, and the compound rules join particles)
    let no_latin = |p: &Prepared| p.name_mask & p.latin_name_mask == 0;
    if (some_free(q_used, nq) || some_free(c_used, nc)) && no_latin(q) != no_latin(c) {
        widen_to_fused(q, wq, c, wc, &mut links, &mut q_used, &mut c_used);
    }
    // a middle name spelled differently in the same place of both names: an unmatched
    // token between two aligned ones on both sides (bit tricks keep the common case cheap)
    let free_inner = |used: u32, n: usize| !used & (used << 1) & (used >> 1) & ((1u32 << n) - 1);
    if free_inner(q_used, nq) != 0 && free_inner(c_used, nc) != 0 {
        middle_variant::link(q, wq, c, wc, nq, &mut links, &mut q_used, &mut c_used);
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
    // Middle names: a query token between two aligned query tokens, while every list token
    // is aligned, is a middle name or patronymic the list name leaves out; it costs less than
    // a token that contradicts the list name. Persons (and untyped names) only.
    let person_like = matches!(
        if c.ty == NameType::Other { q.ty } else { c.ty },
        NameType::Person | NameType::Other
    );
    let list_all_aligned =
        (0..nc).all(|j| c_used & (1 << j) != 0 || c.tokens[j].kind == TokenKind::LegalForm);
    let relax = person_like && list_all_aligned && links.len() >= 2;
    // a fully aligned list name whose aligned tokens identify someone: what the query adds
    // is the rest of the person's full name (see [`COVERED_FACTOR`])
    let ev = evidence(&links);
    let identifying =
        ev.names >= 2 && ev.sum >= COVERED_MIN_EVIDENCE && ev.rarest >= COVERED_RARE_WEIGHT;
    let covered = relax && identifying;
    // tokens before the first or after the last aligned one may be another family name
    // (`Khalid Walid GOMEZ` / `Khalid WALEED`): relaxed only when a rarer token is shared
    let covered_outer = covered && ev.rarest >= OUTER_RARE_WEIGHT;
    // and the other way round: a query aligned in full inside a longer list name
    let query_all_aligned =
        (0..nq).all(|i| q_used & (1 << i) != 0 || q.tokens[i].kind == TokenKind::LegalForm);
    let subset = person_like && query_all_aligned && identifying;
    let subset_outer = subset && ev.rarest >= OUTER_RARE_WEIGHT;
    let mut middle_relaxed = false;
    let mut covered_seen = false;
    // a missing token is evidence against a match whatever its rarity: a common given name
    // that differs still says "another person", so unmatched weights are floored
    for (i, w) in wq.iter().enumerate().take(nq) {
        if q_used & (1 << i) == 0 {
            let t = &q.tokens[i];
            if person_like && repeats_aligned(q, q_used, i) {
                // a repeated name part (`Said Sa'id Sa'id`, grandfather named like the
                // father) adds nothing the aligned copy did not already say
                den += unmatched_weight(t.kind, *w) * REPEAT_FACTOR;
                middle_relaxed = true;
                continue;
            }
            let mut f = fq;
            let middle = inner(q_used, i);
            if relax && t.kind == TokenKind::Name && middle {
                f = if is_patronymic(&t.text) {
                    PATRONYMIC_FACTOR
                } else if covered {
                    // the list left out a block of middle names at once: one omission
                    let f = if covered_seen {
                        COVERED_NEXT_FACTOR
                    } else {
                        COVERED_FACTOR
                    };
                    covered_seen = true;
                    f
                } else {
                    MIDDLE_FACTOR
                }
                .min(fq);
                middle_relaxed = true;
            } else if covered_outer && matches!(t.kind, TokenKind::Name | TokenKind::Initial) {
                f = OUTER_COVERED_FACTOR.min(fq);
                middle_relaxed = true;
            }
            den += unmatched_weight(t.kind, *w) * f;
            any_unmatched |= matches!(t.kind, TokenKind::Name | TokenKind::Initial);
        }
    }
    for (j, w) in wc.iter().enumerate().take(nc) {
        if c_used & (1 << j) == 0 {
            let t = &c.tokens[j];
            if person_like && repeats_aligned(c, c_used, j) {
                den += unmatched_weight(t.kind, *w) * REPEAT_FACTOR;
                continue;
            }
            let f = if (subset && t.kind == TokenKind::Name && inner(c_used, j)) || subset_outer {
                SUBSET_LIST_FACTOR.min(fc)
            } else {
                fc
            };
            den += unmatched_weight(t.kind, *w) * f;
            any_unmatched |= matches!(t.kind, TokenKind::Name | TokenKind::Initial);
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
        middle_relaxed,
    }
}

/// Insertion sort: for the handful of candidate pairs of a name, cheaper than the general
/// sort's set-up.
fn insertion_sort<T: Copy>(v: &mut [T], order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    for k in 1..v.len() {
        let x = v[k];
        let mut m = k;
        while m > 0 && order(&x, &v[m - 1]) == std::cmp::Ordering::Less {
            v[m] = v[m - 1];
            m -= 1;
        }
        v[m] = x;
    }
}

/// Score of a token matched to the same word with the article joined (`aldaim` / `daim`).
pub const JOINED_ARTICLE_SCORE: f32 = 0.97;

/// True when one Latin token is the other with an article joined to it: `al`/`el`/`ul` in
/// front (`Aldaim` = `Daim`) or `ul`/`ud`/`ur` behind (`Hameedul` = `Hameed ul`), with the
/// same sound classes otherwise. `short_had_article` says the side of the shorter token had
/// an article set aside; without that, the other token must be a known Arabic name (variant
/// dictionary: `Alhoussein` = `Hussein`), so that `Albert` is not `Bert`. Never for Arabic
/// script, whose article rule already strips the joined `ال`.
fn joined_article(a: &crate::Token, b: &crate::Token, short_had_article: bool) -> bool {
    use crate::normalize::Script;
    if a.kind != TokenKind::Name
        || b.kind != TokenKind::Name
        || a.script != Script::Latin
        || b.script != Script::Latin
        || a.text.len().abs_diff(b.text.len()) < 2
    {
        return false;
    }
    let (long, short) = if a.text.len() > b.text.len() {
        (a, b)
    } else {
        (b, a)
    };
    // most tokens neither start nor end like an article (checked once per token)
    if long.article == 0 || short.text.len() < 3 {
        return false;
    }
    let front = (long.article & ARTICLE_FRONT != 0)
        .then(|| long.text.get(2..))
        .flatten();
    let back = (long.article & ARTICLE_BACK != 0)
        .then(|| long.text.get(..long.text.len() - 2))
        .flatten();
    [front, back].into_iter().flatten().any(|r| {
        // the cheap condition first: it spares most encodings
        (short_had_article || r.len() >= 5 && !short.groups.is_empty())
            && (r == short.text || crate::phonetic::encode_latin(r) == short.form)
    })
}

/// Lowest sound-class similarity of an Arabic word and a Latin word less its joined article
/// (see [`cross_script_joined_article`]).
pub const CROSS_JOINED_MIN_SIMILARITY: f32 = 0.85;

/// What it finds: an Arabic word whose article `ال` the article rule set aside, against a
/// Latin word that writes the article joined: `الماغوط` / `ALMAGHOUT`, `الحسن` / `ELHASSAN`.
/// Why it matters: lists write family names with the article fused in (`ALMAGHOUT`,
/// `ALSHARIF`); against the Latin spelling `Al Maghout` the joined-article rule pairs them, but
/// from Arabic script the article is already gone and `ماغوط` met `almaghout`: 0.
/// Example: `هلا طريف الماغوط` / `Hala Tarif ALMAGHOUT`: `الماغوط` = `ALMAGHOUT`.
/// Parameters: the Arabic side had an article set aside; the Latin word starts with `al`,
/// `el` or `ul` and keeps at least four letters without it; their sound classes agree with a
/// similarity of at least [`CROSS_JOINED_MIN_SIMILARITY`]; the pair scores that similarity ×
/// [`JOINED_ARTICLE_SCORE`].
fn cross_script_joined_article(ar: &crate::Token, la: &crate::Token) -> Option<f32> {
    use crate::distance::Writing;
    use crate::normalize::Script;
    if ar.script != Script::Arabic
        || ar.kind != TokenKind::Name
        || la.script != Script::Latin
        || la.kind != TokenKind::Name
        || la.article & ARTICLE_FRONT == 0
    {
        return None;
    }
    let rest = la.text.get(2..).filter(|r| r.len() >= 4)?;
    let form = crate::phonetic::encode_latin(rest);
    let sim = crate::distance::similarity(&ar.form, Writing::Abjad, &form, Writing::Full);
    (sim >= CROSS_JOINED_MIN_SIMILARITY).then_some(sim * JOINED_ARTICLE_SCORE)
}

/// [`Token::article`](crate::Token) bit: the text starts with `al`, `el` or `ul`.
const ARTICLE_FRONT: u8 = 1;
/// [`Token::article`](crate::Token) bit: the text ends with `ul`, `ud` or `ur`.
const ARTICLE_BACK: u8 = 2;

/// The joined-article shape of a token's text ([`ARTICLE_FRONT`], [`ARTICLE_BACK`]), computed
/// once per token for [`joined_article`].
pub(crate) fn article_shape(text: &str) -> u8 {
    let mut shape = 0;
    if ["al", "el", "ul"].iter().any(|p| text.starts_with(p)) {
        shape |= ARTICLE_FRONT;
    }
    if ["ul", "ud", "ur"].iter().any(|p| text.ends_with(p)) {
        shape |= ARTICLE_BACK;
    }
    shape
}

/// What it finds: a query initial followed by a name that together spell a list compound
/// (`A. al-Rahman` / `Abd al-Rahman`, `A. JABBAR` / `Abdul Jabbar`, `A. Bakr` / `Abu Bakr`,
/// `H. Ullah` / `Hayat Ullah`, `N. al-Din` / `Nur al-Din`).
/// Why it matters: the greedy assignment pairs the initial with the whole compound and leaves
/// the spelled-out part unmatched, although the query names the same compound.
/// Example: `A. al-Rahman AL-FAQIH` / `Abd al-Rahman AL-FAQIH`: `A rahman` = `Abd Rahman`.
/// Parameters: the initial must be the compound's first letter and the next query token must
/// equal the compound's second part by sound classes (similarity ≥
/// [`reasons::fused::MIN_SIMILARITY`]); the pair scores that similarity × 0.97.
#[allow(clippy::too_many_arguments)]
fn initial_compound(
    q: &Prepared,
    wq: &[f32],
    c: &Prepared,
    wc: &[f32],
    nq: usize,
    links: &mut SmallVec<[Link; 8]>,
    q_used: &mut u32,
) {
    for l in links.iter_mut() {
        if l.how != MatchHow::Initial || l.q.1 != NONE || l.c.1 != NONE {
            continue;
        }
        let (i, j) = (l.q.0 as usize, l.c.0 as usize);
        if i + 1 >= nq || *q_used & (1 << (i + 1)) != 0 {
            continue;
        }
        let (init, next, comp) = (&q.tokens[i], &q.tokens[i + 1], &c.tokens[j]);
        if init.kind != TokenKind::Initial || next.kind != TokenKind::Name {
            continue;
        }
        // `abd`/`abu` compounds, or a Latin `X Allah` / `X ad-Din` compound whose second
        // word the query spells out (`H. Ullah` / `Hayat Ullah`, `N. al-Din` / `Nur al-Din`)
        let theophoric;
        let rest: &[u8] = if let Some(r) = reasons::compound_second(comp) {
            r
        } else if let Some(r) = reasons::theophoric_second(comp) {
            theophoric = r;
            &theophoric
        } else {
            continue;
        };
        if next.form.is_empty() || rest.is_empty() {
            continue;
        }
        let w = reasons::writing(comp);
        let sim = crate::distance::similarity(&next.form, reasons::writing(next), rest, w);
        if sim < reasons::fused::MIN_SIMILARITY {
            continue;
        }
        *q_used |= 1 << (i + 1);
        l.q = (i as u8, i as u8 + 1);
        l.score = sim * 0.97;
        l.how = MatchHow::Fused;
        l.weight = (wq[i + 1] + wc[j]) / 2.0;
    }
}

/// What it finds: an initial against a hyphenated given name: `R. ESMAELI` / `Reza-Gholi
/// ESMAELI`, `J. RI` / `RI Je-son`, `J. DUPONT` / `Jean-Pierre DUPONT`.
/// Why it matters: the hyphenated name is one given name written in two parts; the initial
/// is its initial. Paired with the first part only, the second part counted as an unmatched
/// name (0.79 for `R. ESMAELI`, against 0.89 for the one-word spelling `Rezaqoli ESMAILI`).
/// Example: `R. ESMAELI` / `Reza-Gholi ESMAELI`: `R` = `Reza-Gholi` (initial).
/// Parameters: the list token the initial took is joined by a hyphen (as written) to the
/// next one, an unmatched name token; the link covers both, with the initial's score.
fn initial_hyphenated(c: &Prepared, nc: usize, links: &mut SmallVec<[Link; 8]>, c_used: &mut u32) {
    for l in links.iter_mut() {
        if l.how != MatchHow::Initial || l.c.1 != NONE {
            continue;
        }
        let j = l.c.0 as usize;
        if j + 1 < nc
            && c.tokens[j].hyphen_after
            && *c_used & (1 << (j + 1)) == 0
            && c.tokens[j + 1].kind == TokenKind::Name
        {
            *c_used |= 1 << (j + 1);
            l.c = (j as u8, j as u8 + 1);
        }
    }
}

/// Score factor of a query `Abdul` standing for a list `Abd` compound (see
/// [`truncated_compound`]): a little under an exact match, above an initial's share.
pub const TRUNCATED_COMPOUND_FACTOR: f32 = 0.95;

/// What it finds: a query that writes `Abdul` alone before a family name, against a list
/// name that spells the compound out: `ABDUL KHADEM` / `Abdul Rauf KHADEM`, `ABDUL AGHA` /
/// `AGHA, Abdul Rahman`.
/// Why it matters: the compounds rule reads the query's `Abdul Khadem` as one name, "servant
/// of Khadem", which then pairs with the list's `Khadem` only as a compound part (0.85) and
/// leaves `Abdul Rauf` unmatched: 0.65, while the initial `A. KHADEM` scores 0.98. `Abdul`
/// alone, a given name in its own right in South Asia and how the compound is shortened, says
/// at least what the initial says.
/// Example: `ABDUL KHADEM` / `Abdul Rauf Khadem`: `ABDUL KHADEM` = `Abdul Rauf Khadem`
/// (fused, 0.95).
/// Parameters: the query token is a Latin `abd` compound written as two words, linked to a
/// plain list token as its part; the list token next to that one is an unmatched `abd`
/// compound; the link then covers both list tokens and scores the part's similarity ×
/// [`TRUNCATED_COMPOUND_FACTOR`].
#[allow(clippy::too_many_arguments)]
fn truncated_compound(
    q: &Prepared,
    wq: &[f32],
    c: &Prepared,
    wc: &[f32],
    nc: usize,
    links: &mut SmallVec<[Link; 8]>,
    c_used: &mut u32,
) {
    for l in links.iter_mut() {
        if l.how != MatchHow::Fused || l.q.1 != NONE || l.c.1 != NONE {
            continue;
        }
        let (i, j) = (l.q.0 as usize, l.c.0 as usize);
        let (qt, part) = (&q.tokens[i], &c.tokens[j]);
        if qt.compound != 0
            || qt.script != crate::normalize::Script::Latin
            || !qt.original.contains(' ')
            || part.kind != TokenKind::Name
            || part.compound != reasons::NO_COMPOUND
        {
            continue;
        }
        let Some(rest) = reasons::compound_second(qt) else {
            continue;
        };
        let sim = crate::distance::similarity(
            rest,
            reasons::writing(qt),
            &part.form,
            reasons::writing(part),
        );
        if sim < reasons::compound_part::MIN_SIMILARITY {
            continue;
        }
        let next = [j.checked_sub(1), Some(j + 1)]
            .into_iter()
            .flatten()
            .find(|&k| {
                k < nc
                    && *c_used & (1 << k) == 0
                    && c.tokens[k].compound == 0
                    && c.tokens[k].kind == TokenKind::Name
            });
        let Some(k) = next else {
            continue;
        };
        *c_used |= 1 << k;
        l.c = (j.min(k) as u8, j.max(k) as u8);
        l.score = sim * TRUNCATED_COMPOUND_FACTOR;
        l.weight = (wq[i] + wc[j].max(wc[k])) / 2.0;
    }
}

/// Indices of the set bits of a token mask, lowest first.
struct Bits(u32);

impl Iterator for Bits {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(i)
    }
}

/// Fused pairs and joined articles among the tokens the greedy assignment left over.
///
/// The loops visit only the tokens each rule can accept (see the masks of [`Prepared`]:
/// name tokens, adjacent name pairs of one script, Latin names shaped like a joined
/// article), in the order of a plain scan, so the first accepted pair is the same.
#[allow(clippy::too_many_arguments)]
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
    // the masks only have bits for the name's tokens, all of which are aligned (a prepared
    // name has at most MAX_TOKENS tokens)
    debug_assert!(q.tokens.len() == nq && c.tokens.len() == nc);
    // one query token = two adjacent list tokens (`reasons::fused::check` refuses all but
    // name tokens and pairs of name tokens of one script)
    for i in Bits(q.name_mask & !*q_used) {
        let free = c.pair_mask & !*c_used & !(*c_used >> 1);
        for j in Bits(free) {
            if let Some((s, how)) =
                reasons::fused::check(&q.tokens[i], &c.tokens[j], &c.tokens[j + 1], &c.joins, j)
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
    // the article written into the word on one side only (`ALDAIM` / `AL DAIM`, whose `AL`
    // the article rule set aside)
    // the side with the separate word must have had an article set aside (Albert / Bert
    // are not one name); only Latin name tokens qualify, and the longer of the two must be
    // shaped like a joined article (see `joined_article`)
    let (q_art, c_art) = (q.has_article, c.has_article);
    if (q.article_mask & !*q_used) | (c.article_mask & !*c_used) != 0 {
        for i in Bits(q.latin_name_mask & !*q_used) {
            for j in Bits(c.latin_name_mask & !*c_used) {
                let (qt, ct) = (&q.tokens[i], &c.tokens[j]);
                let short_side_had_article = if qt.text.len() < ct.text.len() {
                    q_art
                } else {
                    c_art
                };
                if joined_article(qt, ct, short_side_had_article) {
                    *q_used |= 1 << i;
                    *c_used |= 1 << j;
                    links.push(Link {
                        q: (i as u8, NONE),
                        c: (j as u8, NONE),
                        score: JOINED_ARTICLE_SCORE,
                        how: MatchHow::Fused,
                        weight: (wq[i] + wc[j]) / 2.0,
                    });
                    break;
                }
            }
        }
    }
    // across scripts: an Arabic word whose article was set aside against a Latin word with
    // the article joined (`الماغوط` / `ALMAGHOUT`), the Arabic word on either side
    for arabic_in_query in [true, false] {
        let (ar, la, ar_had_article) = if arabic_in_query {
            (q, c, q_art)
        } else {
            (c, q, c_art)
        };
        let (ar_used, la_used) = if arabic_in_query {
            (*q_used, *c_used)
        } else {
            (*c_used, *q_used)
        };
        if !ar_had_article || la.article_mask & !la_used == 0 {
            continue;
        }
        let (mut ar_used, mut la_used) = (ar_used, la_used);
        for x in Bits(ar.name_mask & !ar.latin_name_mask & !ar_used) {
            for y in Bits(la.article_mask & !la_used) {
                let Some(s) = cross_script_joined_article(&ar.tokens[x], &la.tokens[y]) else {
                    continue;
                };
                ar_used |= 1 << x;
                la_used |= 1 << y;
                let (i, j) = if arabic_in_query { (x, y) } else { (y, x) };
                links.push(Link {
                    q: (i as u8, NONE),
                    c: (j as u8, NONE),
                    score: s,
                    how: MatchHow::Transliteration,
                    weight: (wq[i] + wc[j]) / 2.0,
                });
                break;
            }
        }
        if arabic_in_query {
            (*q_used, *c_used) = (ar_used, la_used);
        } else {
            (*c_used, *q_used) = (ar_used, la_used);
        }
    }
    // two adjacent query tokens = one list token
    for j in Bits(c.name_mask & !*c_used) {
        let free = q.pair_mask & !*q_used & !(*q_used >> 1);
        for i in Bits(free) {
            if let Some((s, how)) =
                reasons::fused::check(&c.tokens[j], &q.tokens[i], &q.tokens[i + 1], &q.joins, i)
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

/// A word matched to one word of the other side, next to a word that was left over there,
/// may stand for both written together (`علیرضا` = `Ali Reza`, where `علیرضا` first met
/// `Ali` as its compound part and `Reza` stayed unmatched): the link then takes the
/// leftover in, when [`reasons::fused::check`] accepts the pair as the one word.
fn widen_to_fused(
    q: &Prepared,
    wq: &[f32],
    c: &Prepared,
    wc: &[f32],
    links: &mut SmallVec<[Link; 8]>,
    q_used: &mut u32,
    c_used: &mut u32,
) {
    let (q_left, c_left) = (q.name_mask & !*q_used, c.name_mask & !*c_used);
    if q_left == 0 && c_left == 0 {
        return;
    }
    // the pair (lo, lo + 1) of `p` around its word `k`, whose other word is left over, that
    // `reasons::fused` accepts as the one word `one`
    let fused_pair = |one: &Token, p: &Prepared, k: usize, used: u32| {
        let (left, pairs) = (p.name_mask & !used, p.pair_mask);
        let after =
            (k + 1 < 32 && left & (1 << (k + 1)) != 0 && pairs & (1 << k) != 0).then_some(k);
        let before =
            (k > 0 && left & (1 << (k - 1)) != 0 && pairs & (1 << (k - 1)) != 0).then(|| k - 1);
        after.into_iter().chain(before).find_map(|lo| {
            reasons::fused::check(one, &p.tokens[lo], &p.tokens[lo + 1], &p.joins, lo)
                .map(|r| (lo, r))
        })
    };
    for link in links.iter_mut() {
        let (NONE, NONE) = (link.q.1, link.c.1) else {
            continue;
        };
        let (i, k) = (link.q.0 as usize, link.c.0 as usize);
        // the word that stands for two has more sound classes than its partner (a cheap
        // test that refuses almost every link: most pair words of about one length)
        let (qi, ck) = (&q.tokens[i], &c.tokens[k]);
        if qi.coarse_len > ck.coarse_len
            && let Some((lo, (s, how))) = fused_pair(qi, c, k, *c_used)
        {
            *c_used |= 0b11 << lo;
            *link = Link {
                q: (i as u8, NONE),
                c: (lo as u8, lo as u8 + 1),
                score: s,
                how,
                weight: (wq[i] + wc[lo].max(wc[lo + 1])) / 2.0,
            };
        } else if ck.coarse_len > qi.coarse_len
            && let Some((lo, (s, how))) = fused_pair(ck, q, i, *q_used)
        {
            *q_used |= 0b11 << lo;
            *link = Link {
                q: (lo as u8, lo as u8 + 1),
                c: (k as u8, NONE),
                score: s,
                how,
                weight: (wc[k] + wq[lo].max(wq[lo + 1])) / 2.0,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::score;

    #[test]
    fn some_free_says_what_a_population_count_says() {
        for n in 0..=super::MAX_TOKENS {
            let all = super::first_bits(n);
            assert_eq!(all.count_ones() as usize, n);
            // every subset of the first n bits for small n, a spread of them for larger n
            let step = if n <= 12 { 1 } else { 977 };
            let mut used = 0u32;
            while used <= all {
                assert_eq!(
                    super::some_free(used, n),
                    used.count_ones() < n as u32,
                    "{used:b} {n}"
                );
                used += step;
            }
            assert!(!super::some_free(all, n));
        }
    }

    #[test]
    fn a_persian_compound_given_name_meets_its_two_romanised_words() {
        // `علیرضا` first meets `Ali` alone; `Reza` was left over
        let s = score("علیرضا بلالی", "Ali Reza BALALI");
        assert!(s > 0.85, "{s}");
        let s = score("Ali Reza BALALI", "علیرضا بلالی");
        assert!(s > 0.85, "{s}");
        // a different second word is not taken in: it stays unmatched
        let other = score("علیرضا بلالی", "Ali Hassan BALALI");
        assert!(other < s, "{other} vs {s}");
    }

    #[test]
    fn an_article_joined_on_one_side_only_still_aligns() {
        let s = score(
            "Mohammad Ahmad ABID AL DAIM NASR ALLAH",
            "Mohammad Ahmad ABID ALDAIM NASR ALLAH",
        );
        assert!(s > 0.95, "{s}");
        assert!(score("Hameedul HASSAN", "Hameed ul HASSAN") > 0.95);
        assert!(score("Alhoussein Ould HAMADA", "Hussein Ould HAMMADA") > 0.9);
        // a name that merely starts with the letters does not
        assert!(score("Albert Petrov", "Bert Petrov") < 0.8);
    }

    #[test]
    fn a_query_patronymic_the_list_omits_costs_little() {
        let s = score("Olga Vladimirovna PLAKSINA", "Olga PLAKSINA");
        assert!(s >= 0.8, "{s}");
        let s = score("Gennadiy Nikolayevich MEDVIEDIEV", "Gennadiy MEDVEDEV");
        assert!(s >= 0.8, "{s}");
    }

    #[test]
    fn a_query_middle_name_the_list_omits_costs_less_than_a_conflict() {
        let middle = score("Rajesh Kumar GUPTA", "Rajesh GUPTA");
        let conflict = score("Rajesh Kumar GUPTA", "Rajesh Anil GUPTA");
        assert!(middle > conflict + 0.05, "{middle} {conflict}");
        // an extra last name next to common names only is not a middle name
        let extra = score("Mohammed Hassan ABDOULAAY", "Mohammed HASSAN");
        assert!(extra < 0.8, "{extra}");
    }

    #[test]
    fn a_full_query_name_covering_a_short_rare_list_name_is_a_hit() {
        for (q, c) in [
            ("Khamis Jawdat Khamis NAJJAR", "Khamis NAJJAR"),
            ("Mahad Warsame Qalley Karate", "Mahad Karate"),
            ("Samer Samir RAYYA", "Samer RAYYA"),
            ("Riyad Mahmoud Sa'eed RADAD", "Riyad RADDAD"),
        ] {
            let s = score(q, c);
            assert!(s >= 0.8, "{q} / {c}: {s}");
        }
    }

    #[test]
    fn a_block_of_middle_names_the_list_leaves_out_is_one_omission() {
        let two = score("Kai Lauri Johannes PAANANEN", "Kai PAANANEN");
        let one = score("Kai Lauri PAANANEN", "Kai PAANANEN");
        assert!(two >= 0.8, "{two}");
        assert!(one > two, "{one} {two}");
        // still not when the list name is not covered by rare tokens
        assert!(score("Mohammed Ali Hassan Yusuf KHAN", "Mohammed KHAN") < 0.8);
    }

    #[test]
    fn a_short_name_inside_a_longer_one_with_particles_and_ad_din_is_a_hit() {
        for (q, c) in [
            ("Cilia FLORES", "Cilia Adela FLORES DE MADURO"),
            ("Afif MAJID", "Afif ABDUL MAJID"),
            ("Ahmad Yousef HALABIYYE", "Ahmad Yousef ABU HALABIYYE"),
        ] {
            let s = score(q, c);
            assert!(s >= 0.8, "{q} / {c}: {s}");
        }
    }

    #[test]
    fn extra_query_names_around_common_list_names_stay_below_the_threshold() {
        for (q, c) in [
            ("Mohammed Ali Hassan KHAN", "Mohammed ALI"),
            ("Khalid Walid GOMEZ", "Khalid WALEED"),
            ("Mohammed Yusuf Omar", "Mohammed OMAR"),
        ] {
            let s = score(q, c);
            assert!(s < 0.8, "{q} / {c}: {s}");
        }
    }

    #[test]
    fn a_short_rare_query_inside_a_longer_list_name_is_a_hit() {
        let s = score("Masud AZHAR", "Mohammad Masood Azhar ALVI");
        assert!(s >= 0.8, "{s}");
        let s = score("Mohammed Ali", "Mohammed Ali Hassan OMAR");
        assert!(s < 0.8, "{s}");
    }

    #[test]
    fn a_repeated_name_part_costs_less_than_a_new_one() {
        let s = score("Sayed Mohammad Azim Agha AGHA", "Sayed Mohammad Azim Agha");
        assert!(s >= 0.9, "{s}");
        let repeat = score("Samer RAYYA RAYYA", "Samer RAYYA");
        let other = score("Samer RAYYA KHALIL", "Samer RAYYA");
        assert!(repeat > other, "{repeat} {other}");
        assert!(repeat >= 0.95, "{repeat}");
    }

    #[test]
    fn an_initial_and_a_name_spell_a_list_compound() {
        let s = score("A. al-Rahman AL-FAQIH", "Abd al-Rahman AL-FAQIH");
        assert!(s >= 0.9, "{s}");
        let s = score("A. JABBAR OMARI", "Abdul Jabbar Omari");
        assert!(s >= 0.9, "{s}");
        // the spelled-out part must be the compound's
        let s = score("A. Karim OMARI", "Abdul Jabbar Omari");
        assert!(s < 0.8, "{s}");
    }

    #[test]
    fn an_initial_and_allah_or_ad_din_spell_a_list_compound() {
        let s = score("H. Ullah Ghulam MUHAMMAD", "Hayat Ullah Ghulam MUHAMMAD");
        assert!(s >= 0.9, "{s}");
        let s = score("N. al-Din KHALIL", "Nur al-Din KHALIL");
        assert!(s >= 0.9, "{s}");
        // the initial must be the compound's
        let s = score("K. Ullah Ghulam MUHAMMAD", "Hayat Ullah Ghulam MUHAMMAD");
        assert!(s < 0.9, "{s}");
    }

    #[test]
    fn slavic_name_spellings_meet() {
        for (q, c) in [
            ("Jelena Děmidova", "Elena Mikhailovna DEMIDOVA"),
            ("Serhiy KUSYUK", "Sergey KUSIUK"),
            (
                "Vadim Nikolajevitj MOSJKOVITJ",
                "Vadim Nikolayevich MOSHKOVICH",
            ),
            ("Vladimir Jurjevitš Zaitsev", "Владимир Юрьевич ЗАЙЦЕВ"),
            // Ukrainian, typed with a Latin `i` inside the Cyrillic words
            (
                "Тетяна Вiкторiвна ПЕРЕВЕРЗЕВА",
                "Tatiana Viktorovna PEREVERZEVA",
            ),
        ] {
            let s = score(q, c);
            assert!(s >= 0.85, "{q} / {c}: {s}");
        }
        assert!(score("Oleksiy PETRENKO", "Sergey PETRENKO") < 0.8);
    }

    #[test]
    fn korean_romanisations_of_one_name_meet() {
        let s = score("Che Son RI", "RI JE-SON");
        assert!(s >= 0.8, "{s}");
        assert!(score("Che Son RI", "RI JE-HO") < 0.8);
    }

    #[test]
    fn another_given_name_with_the_same_family_name_stays_a_non_match() {
        assert!(score("Khalid Yusuf al-Baghdadi", "Abu Bakr al-Baghdadi") < 0.6);
        assert!(
            score(
                "Roberto Albertovich KARAKEYAN",
                "Ruben Albertovich KARAKEYAN"
            ) < 0.8
        );
    }

    #[test]
    fn abdul_alone_before_a_family_name_stands_for_the_list_compound() {
        let full = score("ABDUL KHADEM", "Abdul Rauf Khadem");
        assert!(full >= 0.9, "{full}");
        assert!(full >= score("A. KHADEM", "Abdul Rauf Khadem") - 0.05);
        let reordered = score("ABDUL AGHA", "Agha, Abdul Rahman");
        assert!(reordered >= 0.9, "{reordered}");
    }

    #[test]
    fn abdul_alone_needs_the_family_name_and_a_list_compound_beside_it() {
        // another family name
        assert!(score("ABDUL KHADEM", "Abdul Rauf Omari") < 0.6);
        // no `Abd` compound next to the family name: the query's compound stays one name
        assert!(score("ABDUL KHADEM", "Mohammad Khadem") < 0.8);
        // written as one word, the compound is one name
        assert!(score("Abdulkhadem", "Abdul Rauf Khadem") < 0.8);
    }

    #[test]
    fn an_initial_stands_for_a_hyphenated_given_name() {
        let hyphenated = score("R. ESMAELI", "Reza-Gholi ESMAELI");
        assert!(hyphenated >= 0.85, "{hyphenated}");
        assert!(score("J. DUPONT", "Jean-Pierre DUPONT") >= 0.85);
        // two given names written apart are two names: the initial takes one
        assert!(score("R. ESMAELI", "Reza Gholi ESMAELI") < hyphenated);
        // and the initial must still be the first part's
        assert!(score("G. ESMAELI", "Reza-Gholi ESMAELI") < 0.8);
    }

    #[test]
    fn an_arabic_word_meets_its_latin_spelling_with_the_article_joined() {
        assert!(score("هلا طريف الماغوط", "Hala Tarif ALMAGHOUT") >= 0.9);
        assert!(score("ALMAGHOUT", "الماغوط") >= 0.9);
        // the Arabic side must have had the article
        assert!(score("ماغوط", "ALMAGHOUT") < 0.5);
        // and the rest must sound alike
        assert!(score("الماغوط", "ALHASSAN") < 0.5);
    }
}
