//! Snapshot tests of explanations: what an analyst reads must stay stable and readable.
//! Each case is snapshotted twice: as the terminal text and as the JSON the API returns.

use name_matching::{NameType, compare, prepare};

fn case(name: &str, query: &str, list: &str, ty: NameType) {
    let c = compare(&prepare(query, ty), &prepare(list, ty));
    insta::assert_snapshot!(format!("{name}_text"), format!("{query}  vs  {list}\n{c}"));
    insta::assert_json_snapshot!(format!("{name}_json"), c);
}

#[test]
fn arabic_script_query_against_latin_list_name() {
    case(
        "arabic_vs_latin",
        "أبو بكر البغدادي",
        "Abu Bakr al-Baghdadi",
        NameType::Person,
    );
}

#[test]
fn inverted_latin_name_is_reordered() {
    case(
        "inverted",
        "BAGHDADI, Abu Bakr",
        "Abu Bakr al-Baghdadi",
        NameType::Person,
    );
}

#[test]
fn turkish_spelling_matches() {
    case(
        "turkish",
        "Ebubekir el-Bağdadi",
        "Abu Bakr al-Baghdadi",
        NameType::Person,
    );
}

#[test]
fn shared_family_name_alone_is_not_a_match() {
    case(
        "different_person",
        "Khalid Yusuf al-Baghdadi",
        "Abu Bakr al-Baghdadi",
        NameType::Person,
    );
}

#[test]
fn honorific_and_missing_middle_names() {
    case(
        "honorific_middle_names",
        "Sheikh Ayman al-Zawahiri",
        "Ayman Muhammad Rabi al-Zawahiri",
        NameType::Person,
    );
}

#[test]
fn initial_and_fused_compound() {
    case(
        "initial_fused",
        "M. Abdallah Azzam",
        "Mohammed Abd Allah Azzam",
        NameType::Person,
    );
}

#[test]
fn organisation_legal_forms() {
    case(
        "organisation",
        "AL NUR TRADING COMPANY",
        "Al-Nur for General Trading Co. Ltd",
        NameType::Organization,
    );
}

#[test]
fn cyrillic_query() {
    case(
        "cyrillic",
        "Сергей Иванов",
        "Sergei Ivanov",
        NameType::Person,
    );
}

#[test]
fn empty_name_explains_itself() {
    case("empty", "!!! ---", "Abu Bakr al-Baghdadi", NameType::Person);
}

#[test]
fn typo_swapped_letters_is_fuzzy() {
    case(
        "typo_swap",
        "Maalim SAMLAN",
        "Maalim Salman",
        NameType::Person,
    );
}

#[test]
fn query_patronymic_absent_from_list_name() {
    case(
        "query_patronymic",
        "Olga Vladimirovna PLAKSINA",
        "Olga PLAKSINA",
        NameType::Person,
    );
}

#[test]
fn article_joined_in_list_name() {
    case(
        "joined_article",
        "Mohammad Ahmad ABID AL DAIM NASR ALLAH",
        "Mohammad Ahmad ABID ALDAIM NASR ALLAH",
        NameType::Person,
    );
}

#[test]
fn swedish_spelling_of_a_russian_name() {
    case(
        "swedish_russian",
        "Vjatjeslav Jurjevitj LOGINOV",
        "Вячеслав Юрьевич ЛОГИНОВ",
        NameType::Person,
    );
}

#[test]
fn abdul_alone_stands_for_the_list_compound() {
    case(
        "truncated_compound",
        "ABDUL KHADEM",
        "Abdul Rauf Khadem",
        NameType::Person,
    );
}
