#!/usr/bin/env python3
"""Builds the labelled screening development set (eval/screening/{dev,test}.jsonl).

Deterministic (fixed seed), Python 3 standard library only. Run from the repository root:

    python3 eval/screening/make_dataset.py [--data ../shared/data] [--seed 20261129] [--arabic-extra]

(`--arabic-extra` also writes arabic_extra.jsonl, more Arabic-script development queries: see
ARABIC_EXTRA_DOC below.)

It reads the same official lists raqib embeds by default (UN 2026, OFAC SDN + consolidated,
EU FSF, UK OFSI) from ../shared/data/watchlists and writes one JSON line per query:

    {"id", "name", "schema"?, "expected": [entity ids], "category",
     "remove_names"?: [names], "remove_scripts"?: ["arabic"]}

`expected` holds every entity id (across lists) of the same subject: entities are linked when
they share a full name (strong names with >= 2 tokens, token order ignored), or when an EU/UK
record cites the UN reference number. `remove_names` / `remove_scripts` tell
`raqib eval screening` to delete those names from the expected entities before indexing, so a
held-out alias or an original-script name is screened against lists that no longer carry it.

Categories (positives): latin_variant, held_out_alias, arabic_script, turkish_french.
Negatives (expected = []): unrelated_person (US Congress members, AMLSim Faker names),
delisted (UN 2024 not in UN 2026; OFAC CSV 2021 not in SDN XML 2024; checked absent from all
default lists under any close spelling), near_miss (a listed surname with other given names).

Split: by subject group (hash of the group's smallest id with the seed) into dev (70 %) and
test (30 %). Tune on dev only; test is reported, never tuned on.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_RE = re.compile(r"[A-Za-z]")


def script_of(s):
    a = len(ARABIC_RE.findall(s))
    latin = len(LATIN_RE.findall(s))
    if a > latin:
        return "arabic"
    if latin:
        return "latin"
    return "other"


def fold(s):
    """Lower-case, strip diacritics, keep letters/digits, collapse spaces (Latin and Arabic)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("ı", "i")
    s = re.sub(r"[^\w]+", " ", s, flags=re.UNICODE).replace("_", " ")
    return " ".join(s.split())


def key(s):
    return " ".join(sorted(fold(s).split()))


# Crude transliteration skeleton, used only to make sure negatives are truly absent under
# close spellings: drop vowels and y/w/h, unify common consonant swaps, drop particles.
PARTICLES = {"al", "el", "ul", "bin", "ben", "ibn", "abu", "abou", "bint", "abd", "abdul",
             "abdel", "ad", "ed", "ar", "as", "az", "an", "at", "ash", "de", "la", "le", "von"}


def name_tokens(s):
    """Folded tokens that carry a name: particles and one-letter tokens left out."""
    return {t for t in fold(s).split() if t not in PARTICLES and len(t) >= 2}


def skeleton_tokens(s):
    out = set()
    for t in fold(s).split():
        if t in PARTICLES or len(t) < 2:
            continue
        t = re.sub(r"^(al|el)", "", t) if len(t) > 5 else t
        t = t.replace("ou", "u").replace("kh", "h").replace("sh", "s").replace("ch", "s")
        t = t.replace("q", "k").replace("j", "g").replace("dh", "z").replace("th", "t")
        t = re.sub(r"[aeiouyw h]", "", t)
        t = re.sub(r"(.)\1+", r"\1", t)
        if t:
            out.add(t)
    return out


class Entity:
    def __init__(self, eid, schema):
        self.id = eid
        self.schema = schema
        self.names = []  # (value, kind, quality)
        self.links = set()  # UN reference numbers cited

    def add(self, value, kind="alias", quality="strong"):
        value = clean(value)
        if not value:
            return
        if script_of(value) == "arabic" and kind == "primary":
            kind = "original_script"
        self.names.append((value, kind, quality))


# --- names as raqib's parsers see them ------------------------------------------------------
# A held-out name only leaves the index if `raqib eval screening` finds it among the parsed
# list names, so the loaders below reproduce what crates/watchlist does to a name before it
# reaches the index: whitespace folding (`text::clean`), the UN's packed aliases
# (`text::split_packed`), names quoted in UN alias notes (`text::names_in_note`) and the
# Windows-1252 reading of the UK CSV. `check_removals` reports any residual mismatch.

def clean(s):
    """text::clean: trim and fold every whitespace run (incl. BOM, zero-width space) to one space."""
    s = (s or "").replace("\ufeff", " ").replace("\u200b", " ")
    return " ".join(s.split())


def detect_script(s):
    """model::Script::detect: the script of most letters (ties: Latin, Arabic, Cyrillic, ...)."""
    counts = [0] * 6
    for c in s:
        if not c.isalpha():
            continue
        o = ord(c)
        if 0x41 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF:
            counts[0] += 1
        elif 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F or 0x8A0 <= o <= 0x8FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
            counts[1] += 1
        elif 0x400 <= o <= 0x52F:
            counts[2] += 1
        elif 0x370 <= o <= 0x3FF or 0x1F00 <= o <= 0x1FFF:
            counts[3] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            counts[4] += 1
        else:
            counts[5] += 1
    best = max(range(6), key=lambda i: (counts[i], -i))
    return 0 if counts[best] == 0 else best


def split_packed(s):
    """text::split_packed: `ARABIC (Latin one; Latin two)` and `a; b` hold several names."""
    s = clean(s)
    out = []

    def push(part):
        i, j = 0, len(part)
        while i < j and (part[i] in ";," or part[i].isspace()):
            i += 1
        while j > i and (part[j - 1] in ";," or part[j - 1].isspace()):
            j -= 1
        p = clean(part[i:j])
        if p and p not in out:
            out.append(p)

    if "(" in s and s.endswith(")"):
        open_ = s.index("(")
        outer, inner = s[:open_], s[open_ + 1:-1]
        if "(" not in inner and outer.strip():
            if detect_script(outer) != detect_script(inner) or ";" in inner:
                for part in outer.split(";"):
                    push(part)
                for part in inner.split(";"):
                    push(part)
                return out
    if ";" in s:
        for part in s.split(";"):
            push(part)
    elif s:
        out.append(s)
    return out


NOTE_NOT_NAMES = {"born", "previously", "listed", "since", "until", "reportedly", "approximately",
                  "located", "formerly", "under", "issued", "passport", "between", "years"}


def names_in_note(note):
    """text::names_in_note: names given in parentheses inside a UN alias note."""
    out = []
    rest = note or ""
    while "(" in rest:
        open_ = rest.index("(")
        close = rest.find(")", open_ + 1)
        if close < 0:
            break
        for part in rest[open_ + 1:close].split(";"):
            p = clean(part)
            words = len(p.split(" ")) if p else 0
            low = p.lower()
            if (p and 1 <= words <= 8 and len(p) <= 80
                    and not any(c.isdigit() or c in ":/" for c in p)
                    and any(c.isalpha() for c in p)
                    and not any(w in NOTE_NOT_NAMES for w in low.split(" "))
                    and not p[0].islower() and p not in out):
                out.append(p)
        rest = rest[close + 1:]
    return out


def read_cp1252(path):
    """The UK CSV is Windows-1252 (as crates/watchlist reads non-UTF-8 CSV), not Latin-1."""
    raw = open(path, "rb").read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def text(el, tag):
    x = el.find(tag)
    return (x.text or "").strip() if x is not None and x.text else ""


def load_un(path):
    root = ET.parse(path).getroot()
    out = []
    for tag, schema, alias_tag in (("INDIVIDUAL", "Person", "INDIVIDUAL_ALIAS"),
                                   ("ENTITY", "Organization", "ENTITY_ALIAS")):
        for ind in root.iter(tag):
            e = Entity("un:" + text(ind, "REFERENCE_NUMBER"), schema)
            parts = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME") if schema == "Person" else ("FIRST_NAME",)
            primary = split_packed(" ".join(clean(text(ind, t)) for t in parts))
            for i, n in enumerate(primary):
                e.add(n, "primary" if i == 0 else "alias")
            for n in split_packed(text(ind, "NAME_ORIGINAL_SCRIPT")):
                e.add(n, "original_script")
            for a in ind.findall(alias_tag):
                q = text(a, "QUALITY")
                quality = "weak" if q == "Low" else "strong"
                name = text(a, "ALIAS_NAME")
                for n in split_packed(name):
                    e.add(n, "alias", quality)
                if name.strip():
                    for n in names_in_note(text(a, "NOTE")):
                        e.add(n, "alias", quality)
            e.links.add(text(ind, "REFERENCE_NUMBER"))
            e.dob = [text(d, "YEAR") for d in ind.findall("INDIVIDUAL_DATE_OF_BIRTH") if text(d, "YEAR")]
            out.append(e)
    return out


def strip_ns(root):
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


OFAC_SCHEMA = {"Individual": "Person", "Entity": "Organization", "Vessel": "Vessel", "Aircraft": "Aircraft"}


def load_ofac_xml(path):
    root = strip_ns(ET.parse(path).getroot())
    out = []
    for s in root.iter("sdnEntry"):
        e = Entity("ofac:" + text(s, "uid"), OFAC_SCHEMA.get(text(s, "sdnType"), "Organization"))
        e.add(" ".join(x for x in (text(s, "firstName"), text(s, "lastName")) if x), "primary")
        for a in s.iter("aka"):
            n = " ".join(x for x in (text(a, "firstName"), text(a, "lastName")) if x)
            e.add(n, "alias", "weak" if text(a, "category") == "weak" else "strong")
        out.append(e)
    return out


def display_name(name, person):
    """ofac_csv::display_name: "LAST, First" -> "First LAST" for people."""
    n = clean(name)
    if person and ", " in n:
        last, first = n.split(", ", 1)
        if first.strip():
            return f"{first.strip()} {last.strip()}"
    return n


def load_ofac_csv(prim, alt, prefix="ofac:"):
    out = {}
    with open(prim, encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 3:
                continue
            t = row[2].strip().strip('"')
            schema = {"individual": "Person", "vessel": "Vessel", "aircraft": "Aircraft"}.get(t, "Organization")
            e = Entity(prefix + row[0].strip(), schema)
            if clean(row[1]) != "-0-":
                e.add(display_name(row[1], schema == "Person"), "primary")
            out[row[0].strip()] = e
    if alt:
        with open(alt, encoding="latin-1", newline="") as f:
            for row in csv.reader(f):
                if len(row) >= 4 and row[0].strip() in out and clean(row[3]) != "-0-":
                    e = out[row[0].strip()]
                    e.add(display_name(row[3], e.schema == "Person"), "alias")
    return list(out.values())


def load_eu(path):
    root = strip_ns(ET.parse(path).getroot())
    out = {}
    for s in root.iter("sanctionEntity"):
        lid = s.get("logicalId")
        st = s.find("subjectType")
        schema = "Person" if st is not None and st.get("code") == "person" else "Organization"
        e = out.setdefault(lid, Entity("eu:" + lid, schema))
        for a in s.findall("nameAlias"):
            e.add(a.get("wholeName") or "", "alias", "strong" if a.get("strong") != "false" else "weak")
        if s.get("unitedNationId"):
            e.links.add(s.get("unitedNationId").strip())
    return list(out.values())


def load_uk(path):
    out = {}
    rows = list(csv.reader(io.StringIO(read_cp1252(path), newline="")))
    header = rows[1]
    idx = {h: i for i, h in enumerate(header)}
    for r in rows[2:]:
        if len(r) < len(header):
            continue
        gid = r[idx["Group ID"]].strip()
        schema = {"Individual": "Person", "Entity": "Organization", "Ship": "Vessel"}.get(r[idx["Group Type"]].strip(), "Organization")
        e = out.setdefault(gid, Entity("uk:" + gid, schema))
        given = " ".join(r[idx["Name %d" % i]].strip() for i in range(1, 6) if r[idx["Name %d" % i]].strip())
        name = (given + " " + r[idx["Name 6"]].strip()).strip()
        kind = "primary" if r[idx["Alias Type"]].strip() == "Prime Alias" else "alias"
        e.add(name, kind)
        m = re.search(r"UN Ref\s+([A-Z]{2}[ie]\.\d+)", r[idx["Other Information"]])
        if m:
            e.links.add(m.group(1))
    return list(out.values())


def load_defaults(wl):
    ents = []
    ents += load_un(os.path.join(wl, "un/un_consolidated_2026-02-27.xml"))
    ents += load_ofac_xml(os.path.join(wl, "ofac/sdn_xml_2024-05/sdn.xml"))
    ents += load_ofac_xml(os.path.join(wl, "ofac/sdn_xml_2024-05/consolidated.xml"))
    ents += load_ofac_csv(os.path.join(wl, "ofac/cons_csv_2025-12/cons_prim.csv"),
                          os.path.join(wl, "ofac/cons_csv_2025-12/cons_alt.csv"))
    ents += load_eu(os.path.join(wl, "eu/eu_fsf_full_1_1_2024-05-13.xml"))
    ents += load_uk(os.path.join(wl, "uk/ofsi_conlist_2018-04-13.csv"))
    # Merge duplicates (the OFAC consolidated list exists as XML 2024 and CSV 2025).
    merged = {}
    for e in ents:
        if e.id in merged:
            merged[e.id].names += e.names
            merged[e.id].links |= e.links
        else:
            merged[e.id] = e
    return list(merged.values())


COMMON = {"mohammed", "muhammad", "mohamed", "mohammad", "ahmed", "ahmad", "ali", "hassan",
          "hussein", "abdullah", "abdallah", "omar", "umar", "khalid", "yusuf", "ibrahim"}


class Groups:
    def __init__(self, ents):
        self.parent = {e.id: e.id for e in ents}
        by_name = {}
        by_ref = {}
        for e in ents:
            for (v, kind, q) in e.names:
                k = key(v)
                if q == "strong" and len(k.split()) >= 2:
                    by_name.setdefault(k, []).append(e.id)
            for r in e.links:
                by_ref.setdefault(r, []).append(e.id)
        # A cited UN reference always links. A shared name links only entities of different
        # lists (each list carries a subject once) and only when the name is specific: >= 3
        # tokens, or 2 tokens that are not particles/common given names.
        self.sources = {e.id: {e.id.split(":")[0]} for e in ents}
        for ids in by_ref.values():
            for other in ids[1:]:
                self.union(ids[0], other, force=True)
        for k, ids in by_name.items():
            toks = k.split()
            if len(toks) < 3 and any(t in PARTICLES or t in COMMON or len(t) < 4 for t in toks):
                continue
            for other in ids[1:]:
                self.union(ids[0], other)
        self.members = {}
        for e in ents:
            self.members.setdefault(self.find(e.id), []).append(e.id)

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b, force=False):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if not force and self.sources[ra] & self.sources[rb]:
            return
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo
        self.sources[lo] |= self.sources[hi]

    def of(self, eid):
        return sorted(self.members[self.find(eid)])


# --- variant generators -------------------------------------------------------------------

LATIN_SUBS = [
    (r"\bmohammed\b", ["muhammad", "mohamed", "mohammad", "muhammed"]),
    (r"\bmuhammad\b", ["mohammed", "mohamed", "mohammad", "muhamad"]),
    (r"\bmohamed\b", ["mohammed", "muhammad", "mohamad"]),
    (r"\babdul ", ["abdel ", "abd al-", "abdoul "]),
    (r"\babd al[- ]", ["abdul ", "abdel ", "abd-al-"]),
    (r"\babu\b", ["abou", "abo"]),
    (r"\bal-", ["el-", "al ", ""]),
    (r"\bhussein\b", ["husayn", "hussain", "husein"]),
    (r"\bhusayn\b", ["hussein", "husain"]),
    (r"\byusuf\b", ["yousef", "youssef", "yusef"]),
    (r"\bomar\b", ["umar", "omer"]),
    (r"\bumar\b", ["omar"]),
    (r"\bahmad\b", ["ahmed", "ahmet"]),
    (r"\bahmed\b", ["ahmad"]),
    (r"\bkhalid\b", ["khaled", "halid"]),
    (r"\bqasim\b", ["kassem", "qassem", "kasim"]),
    (r"\bsaeed\b", ["said", "saied"]),
    (r"\bsaid\b", ["saeed", "sayed"]),
    (r"\bibrahim\b", ["ibraheem", "ebrahim"]),
    (r"\bosama\b", ["usama", "oussama"]),
    (r"\busama\b", ["osama"]),
    (r"\babdullah\b", ["abdallah", "abdulla", "abd allah"]),
    (r"\babdallah\b", ["abdullah", "abdulah"]),
    (r"\bbin\b", ["ben", "ibn"]),
    (r"ou", ["u"]),
    (r"ee", ["i"]),
    (r"oo", ["u"]),
    (r"aa", ["a"]),
    (r"q", ["k"]),
]


def translit_variant(name, rng):
    low = name.lower()
    subs = [(p, r) for (p, r) in LATIN_SUBS if re.search(p, low)]
    if not subs:
        return None
    rng.shuffle(subs)
    for (p, reps) in subs[: rng.randint(1, 2)]:
        low = re.sub(p, rng.choice(reps), low, count=1)
    return low


def typo_variant(name, rng):
    toks = name.split()
    long = [i for i, t in enumerate(toks) if len(t) >= 6]
    if not long:
        return None
    i = rng.choice(long)
    t = toks[i]
    j = rng.randint(1, len(t) - 2)
    op = rng.choice(["drop", "swap", "double"])
    if op == "drop":
        t = t[:j] + t[j + 1:]
    elif op == "swap":
        t = t[:j] + t[j + 1] + t[j] + t[j + 2:]
    else:
        t = t[:j] + t[j] + t[j:]
    toks[i] = t
    return " ".join(toks)


def structural_variant(name, rng):
    toks = name.split()
    if len(toks) < 2:
        return None, None
    choices = ["last_first", "drop_middle", "initial"] if len(toks) >= 3 else ["last_first", "initial"]
    how = rng.choice(choices)
    if how == "last_first":
        return toks[-1].upper() + ", " + " ".join(toks[:-1]), how
    if how == "drop_middle":
        i = rng.randint(1, len(toks) - 2)
        return " ".join(toks[:i] + toks[i + 1:]), how
    # initial replaces the first given name
    if len(toks[0]) < 3:
        return None, None
    return toks[0][0].upper() + ". " + " ".join(toks[1:]), how


TR_FR = [
    # Turkish
    (r"\b(muhammad|mohammed|mohamed|mohammad|muhammed)\b", ["mehmet", "muhammed"], "tr"),
    (r"\babu bakr\b", ["ebubekir", "ebu bekir"], "tr"),
    (r"\babu\b", ["ebu"], "tr"),
    (r"\bal-", ["el-"], "tr"),
    (r"\bal ", ["el "], "tr"),
    (r"\bhussein\b|\bhusayn\b|\bhussain\b", ["hüseyin"], "tr"),
    (r"\bomar\b|\bumar\b", ["ömer"], "tr"),
    (r"\buthman\b|\bothman\b", ["osman"], "tr"),
    (r"\byusuf\b|\byousef\b", ["yusuf"], "tr"),
    (r"\bjamal\b", ["cemal"], "tr"),
    (r"\bjalal\b", ["celal"], "tr"),
    (r"\bkhalil\b", ["halil"], "tr"),
    (r"\bkhalid\b", ["halit"], "tr"),
    (r"\bahmad\b|\bahmed\b", ["ahmet"], "tr"),
    (r"\bmustafa\b", ["mustafa"], "tr"),
    (r"\bibrahim\b", ["ibrahim", "i̇brahim"], "tr"),
    (r"\babdullah\b", ["abdullah"], "tr"),
    (r"\bbaghdadi\b", ["bağdadi"], "tr"),
    (r"sh", ["ş"], "tr"),
    (r"ch", ["ç"], "tr"),
    (r"d?j", ["c"], "tr"),  # Djamel -> Cemal, not Dcemal
    (r"gh", ["ğ"], "tr"),
    # French
    (r"(?<!o)u", ["ou"], "fr"),  # Abou stays Abou (not Aboou)
    (r"\b(muhammad|mohammed|mohammad)\b", ["mohamed"], "fr"),
    (r"\babu\b", ["abou"], "fr"),
    (r"\babdul ", ["abdel "], "fr"),
    (r"\bal-", ["el-", "el "], "fr"),
    (r"\bbin\b", ["ben"], "fr"),
    (r"(?<!d)j", ["dj"], "fr"),
    (r"sh", ["ch"], "fr"),
    (r"kh", ["kh"], "fr"),
    (r"\busama\b|\bosama\b", ["oussama"], "fr"),
    (r"\byusuf\b", ["youssef"], "fr"),
    (r"\bqadir\b", ["kader"], "fr"),
    (r"q", ["k"], "fr"),
]


def tr_fr_variant(name, rng):
    lang = rng.choice(["tr", "fr"])
    low = name.lower()
    changed = 0
    for (p, reps, lg) in TR_FR:
        if lg != lang:
            continue
        if re.search(p, low) and rng.random() < 0.8:
            new = re.sub(p, rng.choice(reps), low)
            if new != low:
                low = new
                changed += 1
    if changed == 0:
        return None, None
    return " ".join(w.capitalize() if not w.startswith(("el-", "al-")) else w for w in low.split()), lang


GIVEN = ["Khalid", "Yusuf", "Omar", "Tariq", "Hamza", "Bilal", "Karim", "Nabil", "Samir", "Walid",
         "Faisal", "Rami", "Ziad", "Adnan", "Jamal", "Hassan", "Mahmoud", "Salim", "Anwar", "Fadi"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--arabic-extra", action="store_true",
                    help="also write arabic_extra.jsonl: every other Arabic-script name of the "
                         "dev-split subjects (see ARABIC_EXTRA_DOC)")
    args = ap.parse_args()
    wl = os.path.join(args.data, "watchlists")
    rng = random.Random(args.seed)

    ents = load_defaults(wl)
    by_id = {e.id: e for e in ents}
    groups = Groups(ents)
    all_keys = {}
    skel_index = {}
    for e in ents:
        for (v, kind, q) in e.names:
            all_keys.setdefault(key(v), set()).add(e.id)
            sk = frozenset(skeleton_tokens(v))
            for t in sk:
                skel_index.setdefault(t, []).append(sk)
    print("entities:", len(ents), "names:", sum(len(e.names) for e in ents), file=sys.stderr)

    def close_to_any_listed(name):
        """True when some list name shares most of its skeleton tokens with `name`."""
        sk = skeleton_tokens(name)
        if not sk:
            return True
        seen = set()
        for t in sk:
            for other in skel_index.get(t, ()):
                if id(other) in seen:
                    continue
                seen.add(id(other))
                inter = len(sk & other)
                if inter >= 2 or (inter >= 1 and len(sk) == 1):
                    return True
        return False

    queries = []

    def add(cat, name, eid, extra=None, schema=None):
        exp = groups.of(eid) if eid else []
        q = {"name": name, "expected": exp, "category": cat}
        if schema:
            q["schema"] = schema
        if extra:
            q.update(extra)
        q["_group"] = exp[0] if exp else name
        queries.append(q)

    # Persons with a Latin primary name of >= 2 tokens, from every list, UN and terrorism-related first.
    persons = [e for e in ents if e.schema == "Person"]
    rng.shuffle(persons)
    orgs = [e for e in ents if e.schema == "Organization"]
    rng.shuffle(orgs)

    def latin_primary(e):
        for (v, kind, q) in e.names:
            if kind == "primary" and script_of(v) == "latin" and len(fold(v).split()) >= 2:
                return v
        return None

    # latin_variant
    n = 0
    for e in persons + orgs[:150]:
        if n >= 600:
            break
        base = latin_primary(e)
        if not base:
            continue
        r = rng.random()
        if r < 0.4:
            v = translit_variant(base, rng)
        elif r < 0.55:
            v = typo_variant(base, rng)
        else:
            v, _ = structural_variant(base, rng) if e.schema == "Person" else (translit_variant(base, rng), None)
        if not v or key(v) == key(base):
            continue
        # The variant must not be another subject's exact name.
        owners = all_keys.get(key(v), set())
        if owners and not owners <= set(groups.of(e.id)):
            continue
        add("latin_variant", v, e.id, schema=e.schema if rng.random() < 0.5 else None)
        n += 1

    # held_out_alias: a strong Latin alias of >= 2 tokens that shares >= 1 token with a remaining
    # name of the subject; removed from every entity of the subject.
    n = 0
    for e in persons + orgs:
        if n >= 500:
            break
        grp = groups.of(e.id)
        aliases = [v for (v, kind, q) in e.names if kind == "alias" and q == "strong"
                   and script_of(v) == "latin" and len(fold(v).split()) >= 2]
        if not aliases:
            continue
        alias = rng.choice(aliases)
        k = key(alias)
        if all_keys.get(k, set()) - set(grp):
            continue  # another subject carries this exact name
        # Every rendering of the alias in the subject's entities (other lists, other token
        # order or punctuation: same `key`) is held out, each spelled as the list spells it,
        # so that the eval's exact match on normalised names removes them all.
        held = sorted({v for gid in grp for (v, kind, q) in by_id[gid].names if key(v) == k})
        remaining = [v for gid in grp for (v, kind, q) in by_id[gid].names if key(v) != k]
        # "shares at least one token with a remaining name": a name token, not a particle
        # (al, bin, abu...) that the matcher sets aside anyway
        toks = name_tokens(alias)
        if not any(toks & name_tokens(v) for v in remaining):
            continue
        add("held_out_alias", alias, e.id, {"remove_names": held},
            schema=e.schema if rng.random() < 0.5 else None)
        n += 1

    # arabic_script: original-script names against Latin-only subjects.
    n = 0
    for e in persons + orgs:
        arabic = [v for (v, kind, q) in e.names if script_of(v) == "arabic" and len(fold(v).split()) >= 2]
        if not arabic or not e.id.startswith("un:"):
            continue
        grp = groups.of(e.id)
        if not any(script_of(v) == "latin" for gid in grp for (v, _, _) in by_id[gid].names):
            continue
        add("arabic_script", rng.choice(arabic), e.id, {"remove_scripts": ["arabic"]},
            schema=e.schema if rng.random() < 0.5 else None)
        n += 1
    for e in [x for x in persons + orgs if x.id.startswith("eu:")]:
        if n >= 400:
            break
        arabic = [v for (v, kind, q) in e.names if script_of(v) == "arabic" and len(fold(v).split()) >= 2]
        grp = groups.of(e.id)
        if not arabic or any(g.startswith("un:") for g in grp):
            continue
        add("arabic_script", rng.choice(arabic), e.id, {"remove_scripts": ["arabic"]})
        n += 1

    # turkish_french
    n = 0
    arabic_origin = [e for e in persons if any(script_of(v) == "arabic" for gid in groups.of(e.id)
                                               for (v, _, _) in by_id[gid].names)]
    for e in arabic_origin:
        if n >= 300:
            break
        base = latin_primary(e)
        if not base:
            continue
        v, lang = tr_fr_variant(base, rng)
        if not v or key(v) == key(base):
            continue
        owners = all_keys.get(key(v), set())
        if owners and not owners <= set(groups.of(e.id)):
            continue
        add("turkish_french", v, e.id, schema="Person" if rng.random() < 0.5 else None)
        n += 1

    # negatives: unrelated people
    neg = []
    with open(os.path.join(wl, "opensanctions/us_congress_senzing_2024.json"), encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            for nm in rec.get("NAMES", []):
                if nm.get("NAME_FULL"):
                    neg.append(nm["NAME_FULL"])
                    break
    faker = []
    with open(os.path.join(args.data, "transactions/amlsim_ctf_sample/accounts.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            nm = (row.get("first_name", "") + " " + row.get("last_name", "")).strip()
            if nm:
                faker.append(nm)
    rng.shuffle(neg)
    faker = sorted(set(faker))
    rng.shuffle(faker)
    for nm in neg[:500] + faker[:500]:
        if key(nm) in all_keys or close_to_any_listed(nm):
            continue
        add("unrelated_person", nm, None, schema="Person" if rng.random() < 0.5 else None)

    # negatives: delisted
    un24 = load_un(os.path.join(wl, "un/un_consolidated_2024-05-15.xml"))
    ofac21 = load_ofac_csv(os.path.join(wl, "ofac/sdn_csv_2021-07/sdn.csv"), None)
    current = set(by_id)
    delisted = []
    for e in un24 + ofac21:
        if e.id in current:
            continue
        for (v, kind, q) in e.names:
            if kind == "primary" and script_of(v) == "latin" and len(fold(v).split()) >= 2:
                delisted.append((v, e.schema))
    rng.shuffle(delisted)
    nd = 0
    for (v, schema) in delisted:
        if nd >= 400:
            break
        if key(v) in all_keys or close_to_any_listed(v):
            continue
        add("delisted", v, None, schema=schema if rng.random() < 0.5 else None)
        nd += 1

    # near misses: a listed family name with unrelated given names.
    nm_count = 0
    for e in persons:
        if nm_count >= 200:
            break
        base = latin_primary(e)
        if not base or len(base.split()) < 2:
            continue
        fam = base.split()[-1]
        if len(fam) < 5:
            continue
        g1, g2 = rng.sample(GIVEN, 2)
        v = f"{g1} {g2} {fam}"
        if key(v) in all_keys:
            continue
        # Must not be a close spelling of any listed name of >= 2 matching tokens.
        sk = skeleton_tokens(v)
        clash = False
        for t in sk:
            for other in skel_index.get(t, ()):
                if len(sk & other) >= 2:
                    clash = True
                    break
            if clash:
                break
        if clash:
            continue
        add("near_miss", v, None, schema="Person" if rng.random() < 0.5 else None)
        nm_count += 1

    # split and write
    dev, test = [], []
    for i, q in enumerate(queries):
        h = hashlib.sha256(f"{args.seed}:{q.pop('_group')}".encode()).digest()[0]
        q["id"] = f"{q['category']}-{i:05d}"
        ordered = {"id": q.pop("id"), **q}
        (test if h < 77 else dev).append(ordered)
    for fname, rows in (("dev.jsonl", dev), ("test.jsonl", test)):
        with open(os.path.join(args.out, fname), "w", encoding="utf-8") as f:
            for q in rows:
                f.write(json.dumps(q, ensure_ascii=False) + "\n")
    if args.arabic_extra:
        write_arabic_extra(args, persons + orgs, groups, by_id, dev, test)
    counts = {}
    for q in queries:
        counts[q["category"]] = counts.get(q["category"], 0) + 1
    print("queries:", len(queries), counts, "dev", len(dev), "test", len(test), file=sys.stderr)


ARABIC_EXTRA_DOC = """arabic_extra.jsonl: more arabic_script queries for development. Every Arabic-script
name (two or more words) of the subjects in the dev split whose group also has a Latin-script
name, UN and EU alike and without the dev set's cap of 400, less the (name, expected) pairs
already in dev.jsonl or test.jsonl and any subject with an entity in test.jsonl. Same
`remove_scripts` rule as arabic_script in dev.jsonl. Written in session 6 to look for general
Arabic-script defects on names never tuned on; its failures have since been looked at, so it is
development data like dev.jsonl."""


def write_arabic_extra(args, entities, groups, by_id, dev, test):
    """See ARABIC_EXTRA_DOC. Uses no random numbers, so dev.jsonl and test.jsonl are unchanged."""
    seen = {(q["name"], tuple(sorted(q["expected"]))) for q in dev + test}
    test_ids = {i for q in test for i in q["expected"]}
    rows = []
    for e in sorted(entities, key=lambda x: x.id):
        if not (e.id.startswith("un:") or e.id.startswith("eu:")):
            continue
        grp = groups.of(e.id)
        if set(grp) & test_ids:
            continue
        h = hashlib.sha256(f"{args.seed}:{grp[0]}".encode()).digest()[0]
        if h < 77:  # the test split
            continue
        if not any(script_of(v) == "latin" for gid in grp for (v, _, _) in by_id[gid].names):
            continue
        for (v, kind, q) in e.names:
            if script_of(v) != "arabic" or len(fold(v).split()) < 2:
                continue
            if (v, tuple(sorted(grp))) in seen:
                continue
            seen.add((v, tuple(sorted(grp))))
            rows.append({"id": f"arabic_extra-{len(rows):05d}", "name": v, "expected": grp,
                         "category": "arabic_script", "remove_scripts": ["arabic"]})
    with open(os.path.join(args.out, "arabic_extra.jsonl"), "w", encoding="utf-8") as f:
        for q in rows:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print("arabic_extra:", len(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
