//! Middle-name variant.
//!
//! What it finds: one unmatched name token on each side, in the same place of both names:
//! between the same two aligned tokens (`Myrna Ajilul Mabanza` / `MYRNA AJIJUL MABANZA`,
//! `Mutaz Muaman Abed NAYIF` / `Mutazz Numan Abid Nayif`), whose spellings are close but not
//! close enough for a token-level reason.
//! Why it matters: a father's or middle name that differs by a letter or a romanisation
//! slip, in a name whose other parts agree in order, is far more often a spelling of the
//! same name than another person; scored as two unmatched tokens it costs more than a
//! missing name (both sides pay). The place is the evidence the token-level reasons do not
//! have: the same spelling distance on a first or last name (`Khalid` / `Khalil HAQQANI`,
//! `Roberto` / `Ruben KARAKEYAN`) stays unmatched, since given and family names are what
//! tells relatives apart.
//! Example: `Ajilul` = `AJIJUL` (sound-class similarity 0.74 × 0.9 = 0.67, fuzzy).
//! Parameters: the two neighbours are single-token links on both sides with exactly one
//! token between them on each side; both tokens are names; the sound-class similarity
//! reaches [`MIN_SIMILARITY`]; the pair scores similarity × [`FACTOR`].

use smallvec::SmallVec;

use super::{Link, NONE};
use crate::Prepared;
use crate::distance;
use crate::reasons::{MatchHow, writing};
use crate::token::TokenKind;

/// Lowest sound-class similarity of the two middle tokens.
pub const MIN_SIMILARITY: f32 = 0.7;
/// Score factor of a middle-name variant (weaker than any token-level reason).
pub const FACTOR: f32 = 0.9;

/// Links unmatched middle tokens in the same place of both names (see the module docs).
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)] // indices address tokens, weights and masks
pub(super) fn link(
    q: &Prepared,
    wq: &[f32],
    c: &Prepared,
    wc: &[f32],
    nq: usize,
    links: &mut SmallVec<[Link; 8]>,
    q_used: &mut u32,
    c_used: &mut u32,
) {
    if nq < 3 || c.tokens.len() < 3 {
        return;
    }
    for i in 1..nq - 1 {
        if *q_used & (1 << i) != 0 || *q_used & (1 << (i - 1)) == 0 || *q_used & (1 << (i + 1)) == 0
        {
            continue;
        }
        // the list tokens of the query neighbours, single-token links only
        let single = |qi: usize| {
            links
                .iter()
                .find(|l| l.q == (qi as u8, NONE) && l.c.1 == NONE)
                .map(|l| l.c.0 as usize)
        };
        let (Some(a), Some(b)) = (single(i - 1), single(i + 1)) else {
            continue;
        };
        if b != a + 2 || *c_used & (1 << (a + 1)) != 0 {
            continue;
        }
        let j = a + 1;
        let (qt, ct) = (&q.tokens[i], &c.tokens[j]);
        if qt.kind != TokenKind::Name
            || ct.kind != TokenKind::Name
            || qt.form.is_empty()
            || ct.form.is_empty()
        {
            continue;
        }
        let (wa, wb) = (writing(qt), writing(ct));
        let norm = qt.mass[wb as usize].max(ct.mass[wa as usize]);
        let Some(sim) =
            distance::similarity_at_least_norm(&qt.form, wa, &ct.form, wb, MIN_SIMILARITY, norm)
        else {
            continue;
        };
        *q_used |= 1 << i;
        *c_used |= 1 << j;
        links.push(Link {
            q: (i as u8, NONE),
            c: (j as u8, NONE),
            score: sim * FACTOR,
            how: MatchHow::Fuzzy,
            weight: (wq[i] + wc[j]) / 2.0,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::score;
    use crate::{NameType, compare, prepare};

    #[test]
    fn a_close_middle_name_in_the_same_place_counts_as_a_weak_match() {
        let s = score("Myrna Ajilul Mabanza", "MYRNA AJIJUL MABANZA");
        assert!(s >= 0.85, "{s}");
        let s = score(
            "Mutaz Muaman Abed NAYIF",
            "Mutazz Numan Abid Nayif AL-JABURI",
        );
        assert!(s >= 0.8, "{s}");
        let c = compare(
            &prepare("Myrna Ajilul Mabanza", NameType::Person),
            &prepare("MYRNA AJIJUL MABANZA", NameType::Person),
        );
        assert!(c.unmatched_query.is_empty() && c.unmatched_list.is_empty());
    }

    #[test]
    fn a_different_middle_name_or_a_close_first_name_stays_unmatched() {
        // not close
        let s = score("Myrna Fatima Mabanza", "MYRNA AJIJUL MABANZA");
        assert!(s < 0.8, "{s}");
        // first names tell relatives apart
        assert!(score("Khalil Omar HAQQANI", "Khalid Omar HAQQANI") < 0.8);
        // not in the same place
        let c = compare(
            &prepare("Myrna Mabanza Ajilul", NameType::Person),
            &prepare("MYRNA AJIJUL MABANZA", NameType::Person),
        );
        assert_eq!(c.unmatched_query.len(), 1);
    }
}
