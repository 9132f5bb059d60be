//! # name-matching: cross-script person, organisation and vessel name matching
//!
//! Pure (no I/O, no wall clock, no mutable global state; compiled-in tables only). Used by the
//! `screening` crate and by `raqib compare`.
//!
//! ## API in three calls
//! ```
//! use name_matching::{compare, prepare, NameType};
//! let list = prepare("Abu Bakr al-Baghdadi", NameType::Person);   // once per list name
//! let query = prepare("أبو بكر البغدادي", NameType::Person);        // once per query
//! let c = compare(&query, &list);
//! assert!(c.score > 0.9);
//! println!("{c}"); // aligned tokens, how each matched, what was left over
//! ```
//! - [`prepare`] normalises a name once: tokens with every comparable form (folded Latin,
//!   sound classes, consonant skeleton, coarse retrieval key, Double Metaphone, variant
//!   groups), honorifics/articles/particles set aside but remembered, legal forms tagged.
//! - [`Prepared::index_keys`] gives the keys a retrieval index should post per token; the keys
//!   collide across spellings and scripts (`أبو بكر البغدادي`, `Abou Bakr el Baghdadi`,
//!   `Ebubekir el-Bağdadi` share them).
//! - [`Prepared::apply_weights`] sets token rarity weights (the index knows frequencies;
//!   [`DefaultWeights`] is the fallback); [`compare`] aligns tokens and returns a
//!   [`Comparison`] (score in [0, 1] and the explanation); [`score`] is the same number
//!   without building the explanation (the hot path); [`compare_with`] takes weights as a
//!   function instead of the stored ones.
//!
//! ## What a score means
//! The score is a weighted share of the two names that aligns: 1.0 = same name up to spelling,
//! script, order and set-aside words. Scores are asymmetric by design: a query token missing
//! from the list name costs more (×0.8 of its weight for persons) than a list token missing
//! from the query (×0.3: lists carry middle names and ancestors that queries omit). On real
//! data (see BENCHMARKS.md "Name matching"), 0.80 is a sound default match threshold for
//! persons: 0.45% of 1,319 unlisted people reach it against 40k UN/OFAC names, while 96% of
//! UN individuals queried in Arabic script rank their own Latin-script entry first.
//! Cross-script matches not confirmed by the variant dictionary are capped at 0.95 (0.88
//! when the dictionary knows the Arabic name but not that spelling).
//!
//! ## How names are compared
//! See [`normalize`] (Unicode, case, Turkish i, Arabic letter forms, Cyrillic/Greek → Latin),
//! `rules` (honorifics, articles, particles, compounds, legal forms), `phonetic` (sound classes
//! shared by Arabic and Latin), `reasons` (one file per way two tokens can match) and `align`
//! (token alignment and the weighted score).
//!
//! Arabic script does not write short vowels, so Arabic ↔ Latin comparison runs on sound
//! classes where an unwritten vowel costs almost nothing, plus a variant dictionary of known
//! romanisations; transliterated strings are never compared verbatim.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod align;
mod distance;
mod explain;
pub mod memo;
pub mod normalize;
mod phonetic;
pub mod reasons;
pub mod rules;
mod token;
mod variants;
mod weights;

/// Helpers shared by the unit tests of the rules and the aligner.
#[cfg(test)]
pub(crate) mod test_util {
    use crate::{NameType, compare, prepare};

    /// The comparable texts of a person name's tokens.
    pub fn texts(s: &str) -> Vec<String> {
        prepare(s, NameType::Person)
            .tokens()
            .iter()
            .map(|t| t.text().to_string())
            .collect()
    }

    /// The score of two person names.
    pub fn score(a: &str, b: &str) -> f64 {
        compare(&prepare(a, NameType::Person), &prepare(b, NameType::Person)).score
    }
}

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

pub use explain::{Aligned, Comparison, Unmatched};
pub use memo::{PairMemo, score_memo};
pub use normalize::Script;
pub use reasons::MatchHow;
pub use rules::{Removed, RemovedKind};
pub use token::{Token, TokenKind};
pub use weights::{DefaultWeights, TokenWeights};

/// What a name belongs to; it selects the rules (honorifics for persons, legal forms for
/// organisations) and the scoring factors. Mirrors the list schemas without depending on the
/// `watchlist` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum NameType {
    /// A natural person.
    Person,
    /// A company, charity, group or other organisation.
    Organization,
    /// A ship (aircraft and other assets use this too: names are codes and numbers).
    Vessel,
    /// Unknown: only the rules common to all names apply.
    #[default]
    Other,
}

impl std::str::FromStr for NameType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "person" | "individual" => Ok(NameType::Person),
            "organization" | "organisation" | "entity" | "company" | "legalentity" => {
                Ok(NameType::Organization)
            }
            "vessel" | "aircraft" => Ok(NameType::Vessel),
            "other" | "thing" | "" => Ok(NameType::Other),
            _ => Err(format!(
                "unknown name type {s:?} (expected Person, Organization, Vessel, Aircraft or Other)"
            )),
        }
    }
}

/// Kind of an index key; see [`Prepared::index_keys`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// Coarse consonant-class key (`c:` prefix): collides across spellings and scripts.
    Coarse,
    /// Double Metaphone code of a Latin-written token (`p:` prefix).
    Phonetic,
    /// Variant-dictionary group (`v:` prefix): known romanisations of one Arabic name.
    Variant,
    /// Exact comparable text (`t:` prefix), for scripts without sound classes and numbers.
    Text,
}

/// A retrieval key for one token of a prepared name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndexKey {
    /// Index of the token in [`Prepared::tokens`].
    pub token: usize,
    /// What the key is.
    pub kind: KeyKind,
    /// The key, prefixed by its kind (`c:bktt`), so all kinds can share one map.
    pub key: String,
}

/// Fewest coarse classes of each half of a cut word (see [`Prepared::boundary_keys`]): a
/// one-class half is posted for thousands of names and proves nothing.
pub const MIN_BOUNDARY_PART: usize = 2;

/// A name prepared for comparison. Build it once per list name (at index build) and once per
/// query; comparing two prepared names does no normalisation and almost no allocation.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) ty: NameType,
    pub(crate) tokens: Vec<Token>,
    pub(crate) removed: Vec<Removed>,
    pub(crate) truncated: bool,
    pub(crate) inverted: bool,
    // What the aligner's left-over rules would otherwise work out for every token pair of
    // every scored candidate; masks have bit i for token i.
    /// An article was set aside (the joined-article rule).
    pub(crate) has_article: bool,
    /// Name tokens.
    pub(crate) name_mask: u32,
    /// Tokens i such that tokens i and i + 1 are name tokens of one script.
    pub(crate) pair_mask: u32,
    /// Latin-script name tokens.
    pub(crate) latin_name_mask: u32,
    /// Latin-script name tokens shaped like a word with a joined article.
    pub(crate) article_mask: u32,
    /// Some token is a Latin `abd` compound written as two words (`Abdul Khadem`): what the
    /// query side of `align::truncated_compound` needs; most names have none, and the rule
    /// is skipped.
    pub(crate) spaced_compound: bool,
    /// Per adjacent token pair i, i + 1 of `pair_mask` (up to its highest bit): the pair
    /// written together, computed when the fused rule first needs it (see
    /// [`reasons::fused::Join`]); empty for a name without such a pair.
    pub(crate) joins: Box<[reasons::fused::JoinCache]>,
}

/// Prepares a name (see the crate docs). Never fails: empty, punctuation-only or unreadable
/// input gives an empty [`Prepared`] (which scores 0 against everything); input longer than
/// [`normalize::MAX_INPUT_CHARS`] characters or [`align::MAX_TOKENS`] tokens is cut and
/// flagged by [`Prepared::truncated`].
pub fn prepare(name: &str, ty: NameType) -> Prepared {
    let (raw, truncated) = normalize::tokenize(name);
    prepare_raw(raw, truncated, ty, None)
}

/// [`prepare`] for each of `types`, in order: exactly `types.iter().map(|&ty| prepare(name,
/// ty))`, for less. A query of unknown schema is prepared as a person, an organisation and a
/// vessel; the input is normalised once, and a token the name rules leave the same for
/// several types (most are) is built once, since its comparable forms (sound classes,
/// Double Metaphone, variant groups) are most of the cost of a preparation.
pub fn prepare_each(name: &str, types: &[NameType]) -> Vec<Prepared> {
    let (mut raw, truncated) = normalize::tokenize(name);
    let mut built = Vec::new();
    let mut out = Vec::with_capacity(types.len());
    for (k, &ty) in types.iter().enumerate() {
        let raw = if k + 1 == types.len() {
            std::mem::take(&mut raw)
        } else {
            raw.clone()
        };
        out.push(prepare_raw(raw, truncated, ty, Some(&mut built)));
    }
    out
}

/// [`prepare`] of tokenised input. `built` (when given) holds tokens built for earlier
/// preparations of the same input with the rule output they were built from (the final
/// alef maqsura flag is the one input a token does not keep); an equal rule output reuses
/// the token instead of building it again.
fn prepare_raw(
    raw: Vec<normalize::RawToken>,
    mut truncated: bool,
    ty: NameType,
    mut built: Option<&mut Vec<(bool, Token)>>,
) -> Prepared {
    let inverted = raw.len() >= 2 && raw[0].comma_after;
    let mut removed = Vec::new();
    let (works, slavic) = rules::apply(raw, ty, &mut removed);
    if works.len() > align::MAX_TOKENS {
        truncated = true;
    }
    let mut tokens: Vec<Token> = works
        .into_iter()
        .take(align::MAX_TOKENS)
        .map(|w| {
            // the `j` = y reading of a `j` token in a name with East Slavic evidence (see
            // `rules::slavic`), for `reasons::slavic_glide`
            let glide = slavic
                && w.kind == TokenKind::Name
                && w.script == Script::Latin
                && w.text.contains('j');
            if let Some(built) = built.as_deref()
                && let Some((_, t)) = built.iter().find(|(amq, t)| {
                    *amq == w.amq
                        && t.kind == w.kind
                        && t.script == w.script
                        && t.canonical == w.canonical
                        && t.text == w.text
                        && t.original == w.original
                        && t.hyphen_after == w.hyphen_after
                        && t.glide.is_some() == glide
                })
            {
                return t.clone();
            }
            let glide = glide.then(|| {
                Box::new(Token::new(
                    w.original.clone(),
                    rules::slavic::rewrite(&w.text),
                    w.script,
                    w.kind,
                    w.amq,
                ))
            });
            let (amq, hyphen_after) = (w.amq, w.hyphen_after);
            let mut t = Token::new(w.original, w.text, w.script, w.kind, amq);
            t.canonical = w.canonical;
            t.hyphen_after = hyphen_after;
            t.glide = glide;
            if let Some(built) = built.as_deref_mut() {
                built.push((amq, t.clone()));
            }
            t
        })
        .collect();
    for i in 0..tokens.len() {
        if tokens[i].kind != TokenKind::Name {
            continue;
        }
        let mut mask = 0u32;
        for (k, o) in tokens.iter().enumerate() {
            if k != i && o.kind == TokenKind::Name && o.form == tokens[i].form {
                mask |= 1 << k;
            }
        }
        tokens[i].same_form = mask;
    }
    let has_article = removed.iter().any(|r| r.kind == RemovedKind::Article);
    let (mut name_mask, mut pair_mask, mut latin_name_mask, mut article_mask) = (0u32, 0u32, 0, 0);
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Name {
            continue;
        }
        name_mask |= 1u32 << i;
        if tokens
            .get(i + 1)
            .is_some_and(|n| n.kind == TokenKind::Name && n.script == t.script)
        {
            pair_mask |= 1 << i;
        }
        if t.script == Script::Latin {
            latin_name_mask |= 1 << i;
            if t.article != 0 {
                article_mask |= 1 << i;
            }
        }
    }
    let joins = (0..32 - pair_mask.leading_zeros())
        .map(|_| reasons::fused::JoinCache::new())
        .collect();
    let spaced_compound = tokens
        .iter()
        .any(|t| t.compound == 0 && t.script == Script::Latin && t.original.contains(' '));
    let mut p = Prepared {
        joins,
        spaced_compound,
        ty,
        tokens,
        removed,
        truncated,
        inverted,
        has_article,
        name_mask,
        pair_mask,
        latin_name_mask,
        article_mask,
    };
    p.apply_weights(&DefaultWeights);
    p
}

impl Prepared {
    /// The name's tokens after normalisation and name rules.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// True when nothing comparable is left (empty or punctuation-only input).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The name type it was prepared for.
    pub fn name_type(&self) -> NameType {
        self.ty
    }

    /// Words set aside by the name rules (honorifics, articles, particles, stop words).
    pub fn removed(&self) -> &[Removed] {
        &self.removed
    }

    /// True when the input was cut (too many characters or tokens).
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// True when the input was written "LAST, First".
    pub fn inverted(&self) -> bool {
        self.inverted
    }

    /// Sets every token's weight from `w` (clamped to [0.01, 1]). The screening index calls
    /// this with weights from token frequencies across all list names, keyed by
    /// [`Token::rarity_key`].
    pub fn apply_weights<W: TokenWeights + ?Sized>(&mut self, w: &W) {
        for t in &mut self.tokens {
            let x = w.weight(t);
            t.weight = if x.is_finite() {
                x.clamp(0.01, 1.0) as f32
            } else {
                1.0
            };
        }
    }

    /// Retrieval keys for word boundaries the list may not share with the query: each
    /// Arabic-script name token's coarse key cut in two (both halves of at least
    /// [`MIN_BOUNDARY_PART`] classes: `اکبرطباطبایی` / `Akbar TABATABAEI`), and the coarse
    /// keys of each adjacent pair of name tokens of one script joined (`دماو ندیان` /
    /// `DAMAVANDIAN`). Each entry is (token, keys): a cut gives both halves, which an index
    /// should use only together and only for a token whose own key finds nothing; a join
    /// gives one key, credited to the pair's first token. Keys are prefixed like
    /// [`Prepared::index_keys`]' coarse keys. `cut(i)` says whether token `i` is worth
    /// cutting (the cuts of a known word are noise).
    pub fn boundary_keys(&self, cut: impl Fn(usize) -> bool) -> Vec<(usize, Vec<String>)> {
        let mut out = Vec::new();
        // Arabic script only: its word boundaries are the ones lists and customer files
        // disagree on (EU transcriptions, OCR); Latin words written together are the
        // compound and particle rules' business
        let named = |t: &Token| {
            t.kind == TokenKind::Name && t.script == Script::Arabic && t.coarse.is_ascii()
        };
        for (i, t) in self.tokens.iter().enumerate() {
            if !named(t) {
                continue;
            }
            let c = t.coarse.as_str();
            // an `abd`/`abu` compound (`عبدرحمن`) is already two words in one
            let compound = t.compound != reasons::NO_COMPOUND;
            if c.len() >= 2 * MIN_BOUNDARY_PART && !compound && cut(i) {
                for at in MIN_BOUNDARY_PART..=c.len() - MIN_BOUNDARY_PART {
                    out.push((i, vec![key("c:", &c[..at]), key("c:", &c[at..])]));
                }
            }
            // (a particle's join is the compound rules' business: `Abdul Khadem`)
            if let Some(n) = self.tokens.get(i + 1)
                && named(n)
                && !t.particle
                && n.script == t.script
                && !t.coarse.is_empty()
                && !n.coarse.is_empty()
            {
                // the classes meet as in one word: a repeated class at the seam counts once
                let rest = n.coarse.strip_prefix(c.chars().last().unwrap_or(' '));
                let joined = format!("c:{c}{}", rest.unwrap_or(&n.coarse));
                out.push((i, vec![joined]));
            }
        }
        out
    }

    /// Retrieval keys: for each name or number token, its coarse key(s), Double Metaphone
    /// code, variant groups and, for scripts without sound classes and for numbers, its text.
    /// Legal forms and initials get no keys (they would match everything). Two names that
    /// [`compare`] can match share at least one key unless the match is purely fuzzy on every
    /// token; an index that also wants typo recall should add its own n-gram keys.
    pub fn index_keys(&self) -> Vec<IndexKey> {
        let mut out = Vec::new();
        for (i, t) in self.tokens.iter().enumerate() {
            match t.kind {
                TokenKind::LegalForm | TokenKind::Initial => continue,
                TokenKind::Number => {
                    out.push(IndexKey {
                        token: i,
                        kind: KeyKind::Text,
                        key: key("t:", &t.text),
                    });
                    continue;
                }
                TokenKind::Name => {}
            }
            // a generic word of a name made only of generic words: its translations share
            // the concept (`شبكة` / `network`), not a spelling
            if let Some(c) = t.canonical {
                out.push(IndexKey {
                    token: i,
                    kind: KeyKind::Variant,
                    key: key("g:", c),
                });
            }
            if t.coarse.is_empty() {
                out.push(IndexKey {
                    token: i,
                    kind: KeyKind::Text,
                    key: key("t:", &t.text),
                });
            } else {
                out.push(IndexKey {
                    token: i,
                    kind: KeyKind::Coarse,
                    key: key("c:", &t.coarse),
                });
            }
            if let Some(alt) = &t.coarse_alt {
                out.push(IndexKey {
                    token: i,
                    kind: KeyKind::Coarse,
                    key: key("c:", alt),
                });
            }
            if let Some(m) = &t.metaphone {
                out.push(IndexKey {
                    token: i,
                    kind: KeyKind::Phonetic,
                    key: key("p:", m),
                });
            }
            for g in &t.groups {
                out.push(IndexKey {
                    token: i,
                    kind: KeyKind::Variant,
                    key: format!("v:{g}"),
                });
            }
        }
        out.dedup();
        out
    }
}

/// `prefix` followed by `body`, allocated once (`format!` costs more, and queries build a
/// few keys each).
fn key(prefix: &str, body: &str) -> String {
    let mut k = String::with_capacity(prefix.len() + body.len());
    k.push_str(prefix);
    k.push_str(body);
    k
}

/// Compares a query name with a list name using the weights stored in each (see
/// [`Prepared::apply_weights`]). Returns the score and its explanation.
pub fn compare(query: &Prepared, list: &Prepared) -> Comparison {
    let wq: SmallVec<[f32; 12]> = query.tokens.iter().map(|t| t.weight).collect();
    let wc: SmallVec<[f32; 12]> = list.tokens.iter().map(|t| t.weight).collect();
    build(query, &wq, list, &wc)
}

/// Like [`compare`], with weights from `weights` instead of the stored ones.
pub fn compare_with<W: TokenWeights + ?Sized>(
    query: &Prepared,
    list: &Prepared,
    weights: &W,
) -> Comparison {
    let f = |t: &Token| {
        let x = weights.weight(t);
        if x.is_finite() {
            x.clamp(0.01, 1.0) as f32
        } else {
            1.0
        }
    };
    let wq: SmallVec<[f32; 12]> = query.tokens.iter().map(f).collect();
    let wc: SmallVec<[f32; 12]> = list.tokens.iter().map(f).collect();
    build(query, &wq, list, &wc)
}

/// The score of [`compare`] without the explanation (no allocation for names of up to 12
/// tokens): the screening hot path.
pub fn score(query: &Prepared, list: &Prepared) -> f64 {
    if query.is_empty() || list.is_empty() {
        return 0.0;
    }
    let wq: SmallVec<[f32; 12]> = query.tokens.iter().map(|t| t.weight).collect();
    let wc: SmallVec<[f32; 12]> = list.tokens.iter().map(|t| t.weight).collect();
    round4(align::align(query, &wq, list, &wc).score)
}

/// Scores are reported to 4 decimals by both [`score`] and [`compare`], so they agree exactly.
fn round4(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

fn round(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn build(q: &Prepared, wq: &[f32], c: &Prepared, wc: &[f32]) -> Comparison {
    if q.is_empty() || c.is_empty() {
        let mut e = Comparison::empty();
        e.notes
            .push("nothing to compare: a name is empty after normalisation".to_string());
        return e;
    }
    let a = align::align(q, wq, c, wc);
    let pair = |p: &Prepared, (x, y): (u8, u8)| -> String {
        let mut s = p.tokens[x as usize].original.clone();
        if y != u8::MAX {
            s.push(' ');
            s.push_str(&p.tokens[y as usize].original);
        }
        s
    };
    let alignment = a
        .links
        .iter()
        .map(|l| Aligned {
            query_token: pair(q, l.q),
            list_token: pair(c, l.c),
            how: l.how,
            score: round(l.score),
            weight: round(l.weight),
        })
        .collect();
    let unmatched = |p: &Prepared, used: u32, w: &[f32]| -> Vec<Unmatched> {
        p.tokens
            .iter()
            .enumerate()
            .take(align::MAX_TOKENS)
            .filter(|(i, _)| used & (1 << i) == 0)
            .map(|(i, t)| Unmatched {
                token: t.original.clone(),
                weight: round(w[i]),
            })
            .collect()
    };
    let mut notes = Vec::new();
    if a.common_only {
        notes.push(format!(
            "only common or short tokens matched: score multiplied by {}",
            align::COMMON_ONLY_FACTOR
        ));
    }
    if a.initials_only {
        notes.push(format!(
            "only initials or legal forms matched: score multiplied by {}",
            align::INITIALS_ONLY_FACTOR
        ));
    }
    if a.middle_relaxed {
        notes.push(format!(
            "query name(s) absent from the list name counted at a reduced cost: middle names x{} (x{} next to rare matched tokens), outer names x{}, patronymics x{}, repeats x{}",
            align::MIDDLE_FACTOR,
            align::COVERED_FACTOR,
            align::OUTER_COVERED_FACTOR,
            align::PATRONYMIC_FACTOR,
            align::REPEAT_FACTOR
        ));
    }
    if q.truncated || c.truncated {
        notes.push("a name was cut to its first tokens".to_string());
    }
    Comparison {
        score: round4(a.score),
        alignment,
        unmatched_query: unmatched(q, a.q_used, wq),
        unmatched_list: unmatched(c, a.c_used, wc),
        ignored_query: q.removed.clone(),
        ignored_list: c.removed.clone(),
        reordered: a.reordered,
        notes,
    }
}

#[cfg(test)]
mod boundary_key_tests {
    use super::*;

    #[test]
    fn a_word_is_cut_into_posted_halves_and_neighbours_are_joined() {
        let p = prepare("علی اکبرطباطبایی", NameType::Person);
        let keys = p.boundary_keys(|i| i == 1);
        // only the word asked for is cut, each half at least two classes
        assert!(keys.iter().all(|(t, k)| *t == 1 || k.len() == 1));
        assert!(keys.contains(&(1, vec!["c:kbr".to_string(), "c:tbtb".to_string()])));
        // the pair joined, its seam class once
        assert!(keys.contains(&(0, vec!["c:lkbrtbtb".to_string()])));
        // a compound is not cut, Latin words neither cut nor joined
        let p = prepare("عبدالرحمن", NameType::Person);
        assert!(p.boundary_keys(|_| true).is_empty());
        let p = prepare("Ali Akbartabatabaei", NameType::Person);
        assert!(p.boundary_keys(|_| true).is_empty());
    }
}
