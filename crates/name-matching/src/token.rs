//! A prepared name token: every comparable form is computed once, at preparation.

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::normalize::Script;
use crate::phonetic::{self, Form};

/// What a token is, which decides how it may match and how much it weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A name part (given name, family name, fused compound such as `abdrahman`).
    Name,
    /// A single Latin letter standing for a name part (`J.` for `John`).
    Initial,
    /// An organisation's legal form or a generic descriptor (`ltd`, `company`,
    /// `for general trading`, `foundation`); `canonical` of the token is the form's class.
    LegalForm,
    /// A number (vessel and company names: `No. 2`, `IRAN SHAHR 3`).
    Number,
}

/// One token of a [`crate::Prepared`] name.
#[derive(Debug, Clone)]
pub struct Token {
    /// As written in the input (for explanations), e.g. `Abu Bakr` for the fused `abubakr`.
    pub(crate) original: String,
    /// Comparable text: folded Latin (`abu-bakr`; a hyphen marks the seam of a fused
    /// compound so that `abd`+`haq` does not read as `dh`), normalised Arabic (`ابوبكر`),
    /// digits.
    pub(crate) text: String,
    pub(crate) script: Script,
    pub(crate) kind: TokenKind,
    /// Sound-class form (see [`crate::phonetic`]).
    pub(crate) form: Form,
    /// Consonant skeleton of `form`, as ASCII (the rarity key).
    pub(crate) skeleton: String,
    /// Coarse retrieval key.
    pub(crate) coarse: String,
    /// Second coarse key when a Latin `c` is ambiguous (`s` in French, `j` in Turkish).
    pub(crate) coarse_alt: Option<String>,
    /// Coarse class bit mask (pre-filter).
    pub(crate) mask: u32,
    /// Double Metaphone primary code (Latin-written tokens only).
    pub(crate) metaphone: Option<String>,
    /// Variant-dictionary groups this token belongs to (same group = known romanisation).
    pub(crate) groups: SmallVec<[u32; 4]>,
    /// Legal-form class for [`TokenKind::LegalForm`] tokens (`co`, `ltd`, `trading`, ...);
    /// for a name token of an organisation name made only of generic words, its translation
    /// concept (`network`, `islamic`, see [`crate::reasons::translation`]).
    pub(crate) canonical: Option<&'static str>,
    /// Rarity weight in (0, 1]; set by [`crate::Prepared::apply_weights`].
    pub(crate) weight: f32,
    /// Form mass against a fully written form and against an Arabic-script form (cached
    /// normalisers of the edit distance).
    pub(crate) mass: [f32; 2],
    // The fields below are functions of the fields above, cached because the aligner asks
    // for them on every compared pair ([`Token::same_comparison`] need not compare them).
    /// `abd`/`abu` compound kind (see [`crate::reasons::compound_kind`]).
    pub(crate) compound: u8,
    /// `ch`/`j` syllable shape (see [`crate::reasons::transliteration::syllable_start`]).
    pub(crate) syllable: Option<(bool, u8)>,
    /// Joined-article shape (see [`crate::align::article_shape`]).
    pub(crate) article: u8,
    /// Length of `text` without hyphens (the fused-token pre-filter).
    pub(crate) bare_len: u32,
    /// The text is a particle written together with the next word (see
    /// [`crate::reasons::fused::is_particle`]).
    pub(crate) particle: bool,
    /// One bit per variant group (`group % 64`): two tokens share a group only if their
    /// blooms meet.
    pub(crate) group_bloom: u64,
    /// Number of bits set in `mask`.
    pub(crate) mask_ones: u32,
    /// Length of `coarse`.
    pub(crate) coarse_len: u32,
    /// First and last bytes of `coarse` and of `coarse_alt` (0 when absent or empty: coarse
    /// bytes are never 0), for [`crate::reasons::plausible`].
    pub(crate) coarse_ends: [u8; 4],
    /// Name-level, set by [`crate::prepare`]: bit `k` is set when token `k` of the same name
    /// is another name token with the same form (see `align::repeats_aligned`); 0 for
    /// tokens that are not names.
    pub(crate) same_form: u32,
    /// Name-level, set by [`crate::prepare`]: for a Latin `j` token of a person's name with
    /// East Slavic evidence, the token read with `j` = `y` (`Ilja` → `ilya`; see
    /// [`crate::reasons::slavic_glide`]).
    pub(crate) glide: Option<Box<Token>>,
    /// Joined by a hyphen to the next token as written (`Reza-Gholi`, `Jean-Pierre`): an
    /// initial stands for the hyphenated name as a whole (see `align::initial_hyphenated`).
    pub(crate) hyphen_after: bool,
}

impl Token {
    /// Builds a token and all its comparable forms.
    pub(crate) fn new(
        original: String,
        text: String,
        script: Script,
        kind: TokenKind,
        final_alef_maqsura: bool,
    ) -> Token {
        let form = match script {
            Script::Arabic => phonetic::encode_arabic(&text, final_alef_maqsura),
            Script::Other => SmallVec::new(),
            _ => phonetic::encode_latin(&text),
        };
        let skel = phonetic::skeleton(&form);
        let skeleton = String::from_utf8_lossy(&skel).into_owned();
        let coarse = phonetic::coarse_key(&form);
        // ambiguous classes get a second key: Latin `c` (s or k/j), `ch` (sh in French, j in
        // Korean and Turkish-style spellings), `th`/ث (t or s: Uthman / Osman, Wathiq / Wassiq)
        let coarse_alt = if form.iter().any(|&c| matches!(c, b'c' | b'T' | b'C')) {
            let alt: Form = form
                .iter()
                .map(|&c| match c {
                    b'c' | b'C' => b'k',
                    b'T' => b's',
                    other => other,
                })
                .collect();
            Some(phonetic::coarse_key(&alt)).filter(|k| *k != coarse)
        } else {
            None
        };
        let mask = phonetic::class_mask(&form);
        let own = if script == Script::Arabic {
            crate::distance::Writing::Abjad
        } else {
            crate::distance::Writing::Full
        };
        let mass = [
            crate::distance::mass(&form, own, crate::distance::Writing::Full),
            crate::distance::mass(&form, own, crate::distance::Writing::Abjad),
        ];
        let metaphone = match script {
            Script::Latin | Script::Cyrillic | Script::Greek if kind == TokenKind::Name => {
                crate::reasons::phonetic::metaphone(&text.replace('-', ""))
            }
            _ => None,
        };
        let groups = crate::variants::groups_of(&text, script);
        let compound = crate::reasons::compound_kind(&text, &form);
        let syllable = crate::reasons::transliteration::syllable_start(&text, script);
        let article = crate::align::article_shape(&text);
        let bare_len = text.bytes().filter(|&b| b != b'-').count() as u32;
        let particle = crate::reasons::fused::is_particle(&text);
        let group_bloom = groups.iter().fold(0u64, |m, g| m | 1 << (g % 64));
        let ends = |k: Option<&str>| {
            let k = k.unwrap_or_default().as_bytes();
            [
                k.first().copied().unwrap_or(0),
                k.last().copied().unwrap_or(0),
            ]
        };
        let ([cf, cl], [af, al]) = (ends(Some(&coarse)), ends(coarse_alt.as_deref()));
        let coarse_len = coarse.len() as u32;
        Token {
            original,
            text,
            script,
            kind,
            form,
            skeleton,
            coarse,
            coarse_alt,
            mask,
            metaphone,
            groups,
            canonical: None,
            weight: 1.0,
            mass,
            compound,
            syllable,
            article,
            bare_len,
            particle,
            group_bloom,
            mask_ones: mask.count_ones(),
            coarse_len,
            coarse_ends: [cf, cl, af, al],
            same_form: 0,
            glide: None,
            hyphen_after: false,
        }
    }

    /// The token as written in the input.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// The comparable text (folded Latin, normalised Arabic, digits).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The script the token was written in.
    pub fn script(&self) -> Script {
        self.script
    }

    /// What kind of token this is.
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// Key for rarity statistics: the consonant skeleton, which is shared by spelling
    /// variants and by the Arabic-script form (`Mohammed`, `Muhammad`, `محمد` → `mhmd`), so
    /// a frequency table keyed on it counts a name once whatever its spelling. Falls back to
    /// the text for tokens without consonants. Legal forms use their class (`lf:co`).
    pub fn rarity_key(&self) -> std::borrow::Cow<'_, str> {
        if let Some(c) = self.canonical {
            return std::borrow::Cow::Owned(format!("lf:{c}"));
        }
        if self.skeleton.is_empty() {
            std::borrow::Cow::Borrowed(&self.text)
        } else {
            std::borrow::Cow::Borrowed(&self.skeleton)
        }
    }

    /// The weight this token carries in scores (see [`crate::TokenWeights`]).
    pub fn weight(&self) -> f64 {
        f64::from(self.weight)
    }

    /// The sound-class form and coarse key(s), for debugging and tuning tools.
    #[doc(hidden)]
    pub fn debug_forms(&self) -> String {
        format!(
            "form={} coarse={} alt={:?} groups={:?}",
            String::from_utf8_lossy(&self.form),
            self.coarse,
            self.coarse_alt,
            self.groups
        )
    }

    /// The legal-form class of a [`TokenKind::LegalForm`] token.
    pub fn legal_form(&self) -> Option<&'static str> {
        self.canonical
    }

    /// True when the two tokens compare identically with any other token: every field the
    /// match reasons read is equal (all but `original` and `weight`; the cached summaries
    /// follow from the compared fields, and `same_form` belongs to the name, not the token). The screening index
    /// uses it to give list tokens shared ids, so that a query compares each distinct list
    /// token once ([`crate::memo::PairMemo`]). Any field a reason starts reading must be
    /// compared here (and hashed in [`Token::hash_comparable`]).
    pub fn same_comparison(&self, other: &Token) -> bool {
        self.text == other.text
            && self.script == other.script
            && self.kind == other.kind
            && self.form == other.form
            && self.skeleton == other.skeleton
            && self.coarse == other.coarse
            && self.coarse_alt == other.coarse_alt
            && self.mask == other.mask
            && self.metaphone == other.metaphone
            && self.groups == other.groups
            && self.canonical == other.canonical
            && self.mass[0].to_bits() == other.mass[0].to_bits()
            && self.mass[1].to_bits() == other.mass[1].to_bits()
            && self.glide.as_ref().map(|g| &g.text) == other.glide.as_ref().map(|g| &g.text)
    }

    /// Hashes what [`Token::same_comparison`] compares (a subset is enough: equal tokens
    /// must hash equally, a collision only costs a comparison).
    pub fn hash_comparable<H: std::hash::Hasher>(&self, h: &mut H) {
        use std::hash::Hash;
        self.text.hash(h);
        self.script.hash(h);
        self.kind.hash(h);
        self.form.hash(h);
        self.canonical.hash(h);
        self.glide.is_some().hash(h);
    }
}
