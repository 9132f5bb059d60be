//! Name rules applied after tokenising, in this order:
//! 1. `legal_forms` (organisations): legal forms and generic descriptors are tagged, not
//!    dropped, so `X Ltd` still matches `X Limited` on the form and `X` alone at a small cost;
//!    organisation stop words (`the`, `of`, `for`, `and`, `&`) are set aside.
//! 2. `honorifics` (persons): titles such as Sheikh, Mullah, Haji, Dr are set aside.
//! 3. `articles`: the Arabic article in all its spellings (`al-`, `el `, `ad-Din`, `ال`).
//! 4. `particles` (persons): patronymic links `bin`, `ibn`, `ben`, `bint`, `ould`, `بن`.
//! 5. `compounds`: theophoric and kunya compounds are fused into one token (`Abd al-Rahman`,
//!    `Abdurrahman` and `عبد الرحمن` → one token; `Abu Bakr` → `abubakr`).
//! 6. `slavic` (persons, first): East Slavic names in Swedish, Finnish,
//!    Czech or Polish spelling are rewritten the English way (`Jurjevitj` → `yuryevich`);
//!    in a name with other East Slavic evidence, a `j` token left as written also gets a
//!    `j` = `y` reading for pairing (`Ilja Kurilov` / `Ilya KURILOV`).
//! 7. `somali` (persons, after `slavic`): names in Somali Latin orthography are read the
//!    English way (`Maxamed` → `mahamed`, `Cusman` → `usman`).
//! 8. `surname_particles` (persons, after `particles`): Spanish, Portuguese and French
//!    particles inside family names (`FLORES DE MADURO`, `da Silva`) are set aside.
//! 9. vessels only: type prefixes (`M/V`, `MV`, `M/T`, `SS`) are set aside.
//!
//! Everything set aside is kept in [`crate::Prepared::removed`] for the explanation.

pub(crate) mod articles;
pub(crate) mod compounds;
pub(crate) mod honorifics;
pub(crate) mod legal_forms;
pub(crate) mod particles;
pub(crate) mod slavic;
pub(crate) mod somali;
pub(crate) mod surname_particles;

use serde::{Deserialize, Serialize};

use crate::NameType;
use crate::normalize::{RawToken, Script};
use crate::token::TokenKind;

/// Why a word of the input takes no part in the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovedKind {
    /// A title or honorific (Sheikh, Mullah, Haji, Dr, Mr, الشيخ).
    Honorific,
    /// The Arabic definite article (al-, el-, ad-, ال).
    Article,
    /// A patronymic link (bin, ibn, ben, bint, ould, بن).
    Particle,
    /// An organisation stop word (the, of, for, and, &).
    StopWord,
    /// A vessel type prefix (M/V, MV, M/T, SS).
    VesselPrefix,
}

/// A word set aside by a name rule, kept for the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// The word as written.
    pub text: String,
    /// Which rule set it aside.
    pub kind: RemovedKind,
}

/// A token being worked on by the rules.
#[derive(Debug, Clone)]
pub(crate) struct Work {
    pub original: String,
    pub text: String,
    pub script: Script,
    pub amq: bool,
    pub kind: TokenKind,
    pub canonical: Option<&'static str>,
    /// Joined by a hyphen to the next word as written (see [`crate::Token`]).
    pub hyphen_after: bool,
}

impl Work {
    pub(crate) fn from_raw(t: RawToken) -> Work {
        let kind = if t.script == Script::Digits {
            TokenKind::Number
        } else {
            TokenKind::Name
        };
        Work {
            original: t.original,
            text: t.text,
            script: t.script,
            amq: t.final_alef_maqsura,
            kind,
            canonical: None,
            hyphen_after: t.hyphen_after,
        }
    }

    /// Latin-written (Latin, or Cyrillic/Greek transliterated to Latin).
    pub(crate) fn latin(&self) -> bool {
        matches!(
            self.script,
            Script::Latin | Script::Cyrillic | Script::Greek
        )
    }

    pub(crate) fn is_name(&self) -> bool {
        self.kind == TokenKind::Name
    }
}

/// Applies every rule for the given name type. Also returns whether the name shows East
/// Slavic evidence (see [`slavic::apply`]), which lets its `j` tokens be read as `y`.
pub(crate) fn apply(
    tokens: Vec<RawToken>,
    ty: NameType,
    removed: &mut Vec<Removed>,
) -> (Vec<Work>, bool) {
    let mut w: Vec<Work> = tokens.into_iter().map(Work::from_raw).collect();
    let mut slavic_context = false;
    match ty {
        NameType::Organization => {
            legal_forms::apply(&mut w, removed);
            articles::apply(&mut w, removed, false);
            compounds::apply(&mut w);
        }
        NameType::Person => {
            slavic_context = slavic::apply(&mut w);
            somali::apply(&mut w);
            honorifics::apply(&mut w, removed);
            articles::apply(&mut w, removed, true);
            particles::apply(&mut w, removed);
            surname_particles::apply(&mut w, removed);
            compounds::apply(&mut w);
            mark_initials(&mut w);
        }
        NameType::Vessel => vessel_prefixes(&mut w, removed),
        NameType::Other => {
            articles::apply(&mut w, removed, false);
            compounds::apply(&mut w);
        }
    }
    (w, slavic_context)
}

/// Vessel type prefixes: `M/V`, `M.V.`, `MV`, `M/T`, `MT`, `SS`, `MY`, `FV`, `RV` (joined when
/// written letter by letter), set aside while a name remains: "M.V. IRAN SHAHR 3" is the ship
/// "IRAN SHAHR 3".
fn vessel_prefixes(w: &mut Vec<Work>, removed: &mut Vec<Removed>) {
    const PREFIXES: &[&str] = &["mv", "mt", "ms", "ss", "my", "fv", "rv", "tb", "mts"];
    // join a leading run of single letters ("m", "v")
    let run = w
        .iter()
        .take_while(|t| t.latin() && t.text.len() == 1)
        .count();
    if run >= 2 {
        let joined: String = w[..run].iter().map(|t| t.text.as_str()).collect();
        if PREFIXES.contains(&joined.as_str()) {
            let original = w[..run]
                .iter()
                .map(|t| t.original.as_str())
                .collect::<Vec<_>>()
                .join("/");
            w.drain(..run);
            removed.push(Removed {
                text: original,
                kind: RemovedKind::VesselPrefix,
            });
            return;
        }
    }
    if w.len() >= 2 && w[0].latin() && PREFIXES.contains(&w[0].text.as_str()) {
        let t = w.remove(0);
        removed.push(Removed {
            text: t.original,
            kind: RemovedKind::VesselPrefix,
        });
    }
}

/// Single Latin letters in a person's name are initials.
fn mark_initials(w: &mut [Work]) {
    let names = w.iter().filter(|t| t.is_name()).count();
    if names < 2 {
        return;
    }
    for t in w.iter_mut() {
        if t.is_name() && t.latin() && t.text.len() == 1 {
            t.kind = TokenKind::Initial;
        }
    }
}
