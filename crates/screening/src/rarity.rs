//! Token rarity: how much evidence a token match is, from how many list names carry it.
//!
//! What it finds: the inverse document frequency of every token (by the matcher's
//! `rarity_key`, i.e. its consonant skeleton, so `Mohammed`, `Muhammad` and `محمد` count as one)
//! over all names of all loaded lists.
//! Why it matters: "Mohammed", "Ali", "Khan", "Company" occur in thousands of list names; a
//! match on them alone is no evidence (watchman#483, #338). Weighting by rarity is what keeps
//! "Mohammed Smith" from matching "Mohammed Omar".
//! Example: with ~70,000 names, a token in 3,000 of them weighs about 0.4, a token in 20 or
//! fewer weighs 1.
//! Parameters: [`FULL_WEIGHT_DF`] (document frequency at or below which a token weighs 1) and
//! [`MIN_WEIGHT`]. The matcher's built-in weights (initials, legal forms, a list of very common
//! given names) cap the result, so a small custom list still treats "Mohammed" as common.

use name_matching::{DefaultWeights, Script, Token, TokenKind, TokenWeights};
use rustc_hash::FxHashMap;

/// Tokens in at most this many list names carry full weight.
pub const FULL_WEIGHT_DF: f64 = 20.0;
/// Lowest weight a name token can get from rarity.
pub const MIN_WEIGHT: f64 = 0.08;

/// Below this many list names, corpus frequencies say little and the matcher's curated
/// common-name weights cap the rarity weights.
pub const SMALL_CORPUS: u32 = 5_000;
/// Share of a Latin token's skeleton collisions that count towards its frequency: spelling
/// variants of a common name ("Mouhammad") stay common, while a rare name whose consonants
/// happen to collide with common ones ("Zeydi" ~ "Zadeh") keeps most of its weight.
pub const SKELETON_SHARE: f64 = 0.25;

/// Document frequencies of tokens over all list names; implements the matcher's
/// [`TokenWeights`].
#[derive(Debug, Default)]
pub struct Rarity {
    /// By exact comparable text (Latin, Cyrillic and Greek tokens).
    df_text: FxHashMap<Box<str>, u32>,
    /// By the matcher's rarity key (consonant skeleton), shared across spellings and scripts.
    df_skel: FxHashMap<Box<str>, u32>,
    names: u32,
}

fn bump(map: &mut FxHashMap<Box<str>, u32>, k: &str) {
    match map.get_mut(k) {
        Some(n) => *n += 1,
        None => {
            map.insert(k.into(), 1);
        }
    }
}

fn text_keyed(t: &Token) -> bool {
    matches!(t.script(), Script::Latin | Script::Cyrillic | Script::Greek)
}

impl Rarity {
    /// Starts counting.
    pub fn new() -> Rarity {
        Rarity::default()
    }

    /// Counts the distinct tokens of one list name.
    pub fn add_name(&mut self, tokens: &[Token]) {
        self.names += 1;
        let mut seen_s: smallvec::SmallVec<[std::borrow::Cow<'_, str>; 8]> =
            smallvec::SmallVec::new();
        let mut seen_t: smallvec::SmallVec<[&str; 8]> = smallvec::SmallVec::new();
        for t in tokens {
            let k = t.rarity_key();
            if !seen_s.contains(&k) {
                bump(&mut self.df_skel, &k);
                seen_s.push(k);
            }
            if text_keyed(t) && !seen_t.contains(&t.text()) {
                bump(&mut self.df_text, t.text());
                seen_t.push(t.text());
            }
        }
    }

    /// Number of list names the token (or, for Arabic and other scripts, its skeleton)
    /// occurs in; Latin tokens add a share of their skeleton collisions.
    pub fn df(&self, t: &Token) -> f64 {
        let skel = f64::from(
            self.df_skel
                .get(t.rarity_key().as_ref())
                .copied()
                .unwrap_or(0),
        );
        if text_keyed(t) {
            let text = f64::from(self.df_text.get(t.text()).copied().unwrap_or(0));
            text + SKELETON_SHARE * (skel - text).max(0.0)
        } else {
            skel
        }
    }

    /// The rarity weight of a document frequency (1 for unseen or rare tokens).
    pub fn idf_weight(&self, df: f64) -> f64 {
        let n = f64::from(self.names.max(1));
        let df = df.max(1.0);
        if df <= FULL_WEIGHT_DF || n <= FULL_WEIGHT_DF {
            return 1.0;
        }
        ((n / df).ln() / (n / FULL_WEIGHT_DF).ln()).clamp(MIN_WEIGHT, 1.0)
    }
}

impl TokenWeights for Rarity {
    fn weight(&self, token: &Token) -> f64 {
        let base = DefaultWeights.weight(token);
        match token.kind() {
            TokenKind::Name => {
                let idf = self.idf_weight(self.df(token));
                if self.names < SMALL_CORPUS {
                    base.min(idf)
                } else {
                    idf
                }
            }
            TokenKind::LegalForm => base.min(self.idf_weight(self.df(token))),
            TokenKind::Initial | TokenKind::Number => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use name_matching::{NameType, prepare};

    #[test]
    fn common_tokens_weigh_less_than_rare_ones() {
        let mut r = Rarity::new();
        for i in 0..2000 {
            let p = prepare(&format!("Mohammed Person{i}"), NameType::Person);
            r.add_name(p.tokens());
        }
        let p = prepare("Mohammed Zarqawi", NameType::Person);
        let w: Vec<f64> = p.tokens().iter().map(|t| r.weight(t)).collect();
        assert!(w[0] < 0.4, "mohammed weighs {}", w[0]);
        assert!(
            (w[1] - 1.0).abs() < 1e-9,
            "an unseen surname weighs {}",
            w[1]
        );
    }
}
