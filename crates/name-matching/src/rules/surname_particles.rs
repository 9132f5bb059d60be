//! Family-name particles (Spanish, Portuguese, French).
//!
//! What it finds: the particles that join or introduce family names in Romance-language
//! names, `de`, `del`, `da`, `das`, `dos`, `du`, `des`, and an article right after `de`/`du`
//! (`de la`, `de los`), between two name parts of a person.
//! Why it matters: `Cilia FLORES DE MADURO` is `Cilia Flores` with her married name; `Luiz
//! Inácio Lula da Silva` is also `Lula Silva`. Lists write the particle or leave it out, and
//! a kept particle costs like an unmatched name (and puts the married name out of reach of
//! the "longer list name" relaxations of the aligner).
//! Example: `Cilia Adela FLORES DE MADURO` → `cilia adela flores maduro`.
//! Parameters: Latin script only; a particle is set aside only when a name part longer than
//! two letters comes before and after it (a first or last `De`, `Da` is a name: `Da Costa`
//! alone, Chinese and Vietnamese `De`, `Da` given names at the ends stay).

use super::{Removed, RemovedKind, Work};
use crate::normalize::Script;

const PARTICLES: &[&str] = &["de", "del", "da", "das", "dos", "du", "des"];
/// Articles set aside only right after a removed `de`/`du` (`de la Cruz`, `de los Santos`).
const ARTICLES: &[&str] = &["la", "las", "los", "le"];

/// Sets family-name particles aside (see the module docs).
pub(crate) fn apply(w: &mut Vec<Work>, removed: &mut Vec<Removed>) {
    let latin_name = |t: &Work| t.is_name() && t.script == Script::Latin;
    let long_name = |t: &Work| latin_name(t) && t.text.len() > 2;
    let mut i = 1;
    while i + 1 < w.len() {
        let hit = latin_name(&w[i])
            && PARTICLES.contains(&w[i].text.as_str())
            && long_name(&w[i - 1])
            && (long_name(&w[i + 1])
                || (latin_name(&w[i + 1]) && ARTICLES.contains(&w[i + 1].text.as_str())));
        if !hit {
            i += 1;
            continue;
        }
        let de = matches!(w[i].text.as_str(), "de" | "du");
        let t = w.remove(i);
        removed.push(Removed {
            text: t.original,
            kind: RemovedKind::Particle,
        });
        // `de la Cruz`: the article, now at `i`, goes too when a name follows it
        if de && i + 1 < w.len() && ARTICLES.contains(&w[i].text.as_str()) && long_name(&w[i + 1]) {
            let t = w.remove(i);
            removed.push(Removed {
                text: t.original,
                kind: RemovedKind::Particle,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::texts;
    use crate::{NameType, compare, prepare};

    #[test]
    fn particles_inside_family_names_are_set_aside() {
        assert_eq!(
            texts("Cilia Adela FLORES DE MADURO"),
            vec!["cilia", "adela", "flores", "maduro"]
        );
        assert_eq!(texts("Maria de la Cruz"), vec!["maria", "cruz"]);
        assert_eq!(texts("Luiz Lula da Silva"), vec!["luiz", "lula", "silva"]);
        let p = prepare("Juan de los Santos", NameType::Person);
        assert_eq!(p.removed().len(), 2);
    }

    #[test]
    fn particles_at_the_ends_or_next_to_short_parts_stay() {
        assert_eq!(texts("Da Costa"), vec!["da", "costa"]);
        assert_eq!(texts("Manuel Costa Da"), vec!["manuel", "costa", "da"]);
        assert_eq!(texts("Li De Wei"), vec!["li", "de", "wei"]);
        // Arabic script is untouched
        assert_eq!(texts("محمد دي علي").len(), 3);
    }

    #[test]
    fn a_short_name_inside_a_longer_one_with_a_married_name_is_a_hit() {
        let s = compare(
            &prepare("Cilia FLORES", NameType::Person),
            &prepare("Cilia Adela FLORES DE MADURO", NameType::Person),
        )
        .score;
        assert!(s >= 0.8, "{s}");
    }
}
