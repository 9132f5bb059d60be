//! Token rarity weights.
//!
//! A token's weight (0, 1] says how much evidence a match on it is. Common tokens
//! (Mohammed, Ali, Khan, Company) weigh little, so they cannot create a match on their own.
//! The screening index knows the real frequencies across all list names and applies its own
//! [`TokenWeights`] with [`crate::Prepared::apply_weights`]; [`DefaultWeights`] is the
//! built-in fallback used by [`crate::prepare`] and `raqib compare`.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::phonetic::{encode_latin, skeleton};
use crate::token::{Token, TokenKind};

/// Gives each token its weight. Implemented for closures `Fn(&Token) -> f64`.
pub trait TokenWeights {
    /// The weight of `token`; values are clamped to [0.01, 1].
    fn weight(&self, token: &Token) -> f64;
}

impl<F: Fn(&Token) -> f64> TokenWeights for F {
    fn weight(&self, token: &Token) -> f64 {
        self(token)
    }
}

/// Built-in weights: initials 0.3, legal forms 0.15, numbers 1, very common Arabic/Muslim
/// given-name parts 0.35 (by consonant skeleton, so every spelling and the Arabic script
/// count), one-consonant names 0.5, everything else 1.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultWeights;

/// Weight of an initial.
pub const INITIAL: f64 = 0.3;
/// Weight of a legal form or generic descriptor.
pub const LEGAL_FORM: f64 = 0.15;
/// Weight of a very common name part.
pub const COMMON: f64 = 0.35;

const COMMON_NAMES: &[&str] = &[
    "muhammad",
    "mohammed",
    "mohamed",
    "mohammad",
    "muhammed",
    "mehmet",
    "ahmad",
    "ahmed",
    "ahmet",
    "ali",
    "hasan",
    "hassan",
    "husayn",
    "hussein",
    "husain",
    "hussain",
    "ibrahim",
    "abdlah",
    "abdullah",
    "mahmud",
    "mahmoud",
    "mustafa",
    "umar",
    "omar",
    "uthman",
    "yusuf",
    "youssef",
    "abdrahman",
    "khan",
    "said",
    "saeed",
    "salim",
    "salem",
    "karim",
    "hamid",
    "hamed",
    "abdulaziz",
    "khalil",
    "khalid",
    "ismail",
    "yahya",
    "musa",
    "isa",
    "issa",
    "abubakr",
    "aziz",
    "rahman",
    "rahim",
    "shah",
    "mulla",
    "sayyid",
    "sayed",
    "syed",
    "haji",
    "nur",
    "noor",
    "abd",
    "abu",
    "bin",
    "ben",
    "ibn",
    "jan",
    "gul",
    "din",
    "uddin",
    "ullah",
    "zadeh",
    "oglu",
    "ogli",
    "ovich",
    "ivanov",
    "kim",
    "lee",
    "li",
    "wang",
    "zhang",
    "chen",
];

static COMMON_SKELETONS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    COMMON_NAMES
        .iter()
        .map(|n| String::from_utf8_lossy(&skeleton(&encode_latin(n))).into_owned())
        .filter(|s| s.len() >= 2)
        .collect()
});

impl TokenWeights for DefaultWeights {
    fn weight(&self, token: &Token) -> f64 {
        match token.kind {
            TokenKind::Initial => INITIAL,
            TokenKind::LegalForm => LEGAL_FORM,
            TokenKind::Number => 1.0,
            TokenKind::Name => {
                if COMMON_SKELETONS.contains(token.skeleton.as_str()) {
                    COMMON
                } else if token.skeleton.len() <= 1 {
                    0.5
                } else {
                    1.0
                }
            }
        }
    }
}
