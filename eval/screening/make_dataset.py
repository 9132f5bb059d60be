#!/usr/bin/env python3
"""Builds the labelled screening development set (eval/screening/{dev,test}.jsonl).

Deterministic (fixed seed), Python 3 standard library only. Run from the repository root:

    python3 eval/screening/make_dataset.py [--data ../shared/data] [--seed 20261129] [--arabic-extra]
        [--links-report PATH]

(`--arabic-extra` also writes arabic_extra.jsonl, more Arabic-script development queries: see
ARABIC_EXTRA_DOC below.)

It reads the same official lists raqib embeds by default (UN 2026, OFAC SDN + consolidated,
EU FSF, UK OFSI) from ../shared/data/watchlists and writes one JSON line per query:

    {"id", "name", "schema"?, "expected": [entity ids], "category",
     "remove_names"?: [names], "remove_scripts"?: ["arabic"]}

`expected` holds every entity id (across lists, and within one list) of the same subject.
Entities are linked when (1) an EU/UK record cites the UN reference number, (2) entities of
different lists share a specific strong full name (>= 2 tokens, token order ignored; `Groups`),
or (3) two Person entities share a full date of birth (year, month and day, exact; parsed from
every list) AND a specific family-name token: >= 4 letters after `link_tokens` (apostrophes
dropped, Cyrillic transliterated by a fixed table, Arabic letters folded), not a particle,
common given name or patronymic, and a family name of one entity (a last-name field, else a
name's last token) that occurs among the other's names; vetoed when Slavic patronymics differ
or the first names differ (twins, brothers, Spanish double surnames) (`LinkedGroups`). Rule (3)
widens `expected` only: which queries exist, their names, `remove_names` / `remove_scripts`,
the dev/test split and arabic_extra's membership are all decided on (1)+(2), as before it was
added. `--links-report PATH` lists every link rule (3) adds, and the pairs it vetoed, for review.
`remove_names` / `remove_scripts` tell
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
        self.dobs = set()  # full dates of birth, "YYYY-MM-DD" (only exact, complete dates)
        self.family = []  # family names as the list states them (a last-name field)
        self.given = []  # given names as the list states them (a first-name field)

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
            for d in ind.findall("INDIVIDUAL_DATE_OF_BIRTH"):
                # Only an EXACT (or untyped) full DATE; APPROXIMATELY / BETWEEN and a bare YEAR
                # are too loose to link two entries on.
                if text(d, "TYPE_OF_DATE") in ("", "EXACT"):
                    add_dob(e, iso_date(text(d, "DATE")))
            out.append(e)
    return out


MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                           "sep", "oct", "nov", "dec"))}


def valid_date(y, m, d):
    """`YYYY-MM-DD` when y/m/d make a real calendar date (no 00 parts), else None."""
    try:
        y, m, d = int(y), int(m), int(d)
    except (TypeError, ValueError):
        return None
    if not (1800 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31):
        return None
    days = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return f"{y:04d}-{m:02d}-{d:02d}" if d <= days else None


def iso_date(s):
    """UN `DATE` / EU `birthdate`: `YYYY-MM-DD` (a time or zone suffix is ignored)."""
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", s or "")
    return valid_date(*m.groups()) if m else None


def ofac_date(s):
    """OFAC `dd Mon yyyy`; a range (`... to ...`), `circa`, or a month/year only give None."""
    m = re.fullmatch(r"\s*(\d{1,2}) ([A-Za-z]{3}) (\d{4})\s*", s or "")
    if not m or m.group(2).lower() not in MONTHS:
        return None
    return valid_date(m.group(3), MONTHS[m.group(2).lower()], m.group(1))


def uk_date(s):
    """UK OFSI `dd/mm/yyyy` with `00` for an unknown part: only a complete date counts."""
    m = re.fullmatch(r"\s*(\d{2})/(\d{2})/(\d{4})\s*", s or "")
    return valid_date(m.group(3), m.group(2), m.group(1)) if m else None


def add_dob(e, d):
    if d and e.schema == "Person":
        e.dobs.add(d)


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
        if e.schema == "Person":
            # lastName is the surname, but an entry with only a lastName carries the whole name
            # there, so it names a family only when a firstName is given too.
            for x in [s] + list(s.iter("aka")):
                if text(x, "firstName") and text(x, "lastName"):
                    e.family.append(text(x, "lastName"))
                    e.given.append(text(x, "firstName"))
            for d in s.iter("dateOfBirth"):
                add_dob(e, ofac_date(d.text))
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
                if schema == "Person" and ", " in clean(row[1]):
                    last, first = clean(row[1]).split(", ", 1)
                    e.family.append(last)
                    e.given.append(first)
            if len(row) >= 12:
                # Remarks: "DOB 01 Feb 1962; alt. DOB 1963; ..." (a full date only)
                for m in re.finditer(r"\bDOB ([^;]*)", row[11]):
                    add_dob(e, ofac_date(m.group(1).strip().rstrip(".")))
            out[row[0].strip()] = e
    if alt:
        with open(alt, encoding="latin-1", newline="") as f:
            for row in csv.reader(f):
                if len(row) >= 4 and row[0].strip() in out and clean(row[3]) != "-0-":
                    e = out[row[0].strip()]
                    e.add(display_name(row[3], e.schema == "Person"), "alias")
                    if e.schema == "Person" and ", " in clean(row[3]):
                        last, first = clean(row[3]).split(", ", 1)
                        e.family.append(last)
                        e.given.append(first)
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
            if schema == "Person" and clean(a.get("lastName")) and clean(a.get("firstName")):
                e.family.append(clean(a.get("lastName")))
                e.given.append(clean(a.get("firstName")))
        for b in s.findall("birthdate"):
            if b.get("circa") == "true":
                continue
            d = iso_date(b.get("birthdate"))
            if not d and b.get("dayOfMonth") and b.get("monthOfYear") and b.get("year"):
                d = valid_date(b.get("year"), b.get("monthOfYear"), b.get("dayOfMonth"))
            add_dob(e, d)
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
        if schema == "Person" and given and r[idx["Name 6"]].strip():
            e.family.append(r[idx["Name 6"]].strip())
            e.given.append(given)
        add_dob(e, uk_date(r[idx["DOB"]]))
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
            merged[e.id].dobs |= e.dobs
            merged[e.id].family += e.family
            merged[e.id].given += e.given
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


# --- second linking pass: same full date of birth and the same family name -----------------
# The name pass above misses one person listed twice under different spellings (OFAC
# `Vyacheslav Yuryevich LOGINOV` vs EU `Vyacheslav Yurevich LOGINOV` / `Вячеслав Юрьевич
# ЛОГИНОВ`) or twice on one list (two EU regimes). LinkedGroups adds those links for the
# `expected` labels only; Groups still drives generation and the dev/test split, so the set of
# queries is unchanged.

# Cyrillic -> Latin, one fixed table (close to BGN/PCGN for Russian, Ukrainian, Bulgarian,
# Belarusian): the lists' own Latin renderings mostly agree with it on family names
# (ЛОГИНОВ -> loginov, КРИВОРУЧКО -> krivoruchko, СЕЛІВАНОВ -> selivanov).
CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                     "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                     "", "e", "yu", "ya", "i", "yi", "ye", "g", "u"]))
# Arabic script: one letter per sound class (alef forms, yeh/alef maqsura, teh marbuta, Persian
# keheh/yeh), so Arabic-only names compare with each other; no Latin transliteration (Arabic
# writes no short vowels, a Latin guess would link too much).
ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي",
                             "ئ": "ي", "ؤ": "و", "ة": "ه", "ک": "ك", "ـ": None})
# Given names too frequent to tell two people apart (on top of COMMON and of the data-driven
# test in LinkedGroups), in Arabic script.
COMMON_ARABIC = {"محمد", "احمد", "علي", "حسن", "حسين", "عبدالله", "عبدالرحمن", "عمر", "خالد",
                 "يوسف", "ابراهيم", "مصطفي", "محمود", "عبد"}
PATRONYMIC_RE = re.compile(r"(ovich|evich|ovych|evych|ovna|evna|ivna|ievich|yevich|ovitj|evitj)$")


def link_tokens(s):
    """Name tokens for the DOB pass: apostrophes dropped (JA'FARI -> jafari), Cyrillic
    transliterated with CYRILLIC, Arabic letters folded with ARABIC_FOLD, then `fold`."""
    s = re.sub(r"['’‘ʼʻʿʾ`´]", "", s or "")
    s = "".join(CYRILLIC.get(c, CYRILLIC.get(c.lower(), c)) if "\u0400" <= c <= "\u04ff" else c
                for c in s)
    return fold(s.translate(ARABIC_FOLD)).split()


def family_tokens(e):
    """Tokens of e's family names: a last-name field where the list has one (OFAC lastName
    with a firstName, EU lastName, UK Name 6, OFAC CSV "LAST, First"), and for every name the
    part before a comma ("Ja'fari, Aziz") or else its last token (UN names, EU wholeNames)."""
    out = set()
    for f in e.family:
        out.update(link_tokens(f))
    for (v, kind, q) in e.names:
        if q != "strong":
            continue
        if ", " in v:
            out.update(link_tokens(v.split(", ", 1)[0]))
            continue
        toks = [t for t in link_tokens(v) if t not in PARTICLES]
        if len(toks) >= 2 and not PATRONYMIC_RE.search(toks[-1]):
            out.add(toks[-1])
    return out


def spelling_key(t):
    """Evens out Latin spellings of one Slavic or Arabic name: Swedish tj/sj, c for k
    (Victor / Viktor), x for ks."""
    t = t.replace("tj", "ch").replace("sj", "sh").replace("x", "ks")
    return re.sub(r"c(?!h)", "k", t)


def alike(xs, ys):
    """Some token of xs and some token of ys are one name in two spellings: after
    `spelling_key`, the same `skeleton_tokens` (Vladimirovich / Volodymyrovych, Sergeevich /
    Sergiyovych), the same first three letters (Yevhen / Yevgeniy), or one inside the other
    (Sultan / Biysultan)."""
    xs = {spelling_key(x) for x in xs}
    ys = {spelling_key(y) for y in ys}
    for x in xs:
        for y in ys:
            if (x == y or (len(x) >= 3 and x[:3] == y[:3])
                    or (min(len(x), len(y)) >= 4 and (x in y or y in x))
                    or (skeleton_tokens(x) and skeleton_tokens(x) == skeleton_tokens(y))):
                return True
    return False


# Honorifics and titles written before a first name (Seyed Hassan FIRUZABADI).
HONORIFICS = {"seyed", "seyyed", "sayed", "sayyed", "sayyid", "sayid", "syed", "sheikh",
              "shaykh", "sheik", "shaikh", "haji", "hajji", "hadji", "mullah", "mulla", "molla",
              "maulvi", "mawlawi", "maulana", "mawlana", "qari", "hafiz", "imam", "doctor"}


def name_heads(e):
    """Each first-name field and strong name of e as its token list (the part after the comma
    of "LAST, First"), particles left out; first_name picks the first name from them."""
    out = []
    for v in list(e.given) + [v for (v, _, q) in e.names if q == "strong"]:
        if ", " in v:
            v = v.split(", ", 1)[1]
        toks = [t for t in link_tokens(v) if t not in PARTICLES]
        if toks:
            out.append(toks)
    return out


def first_names(heads):
    """The first token of each name that is not an honorific or a patronymic (a list that
    swapped `Yurievich Sergey GLAZYEV`). A list that writes the family name first (`CHOE Chun
    Sik`, `BAHMANYAR Morteza BAHMANYAR`) makes that the "first name"; the veto below only asks
    that it occur somewhere in the other entity's names."""
    out = set()
    for toks in heads:
        for t in toks:
            if t not in HONORIFICS and not PATRONYMIC_RE.search(t):
                out.add(t)
                break
    return out


class LinkedGroups:
    """Groups, plus: two Person entities (any lists, the same list too) are one subject when
    they share a full date of birth AND a specific family-name token. Specific: >= 4 letters,
    not a particle, not in COMMON / COMMON_ARABIC, not patronymic-shaped, and not a token the
    lists use more often as a given name (first-name fields) than as a family name (last-name
    fields), e.g. `aziz`, `sergei`. The token must be a family token (family_tokens) of one
    entity and any strong-name token of the other, so `Muhammad ABBATAY` a.k.a. `Abd
    al-Rahman AL-MAGHREBI` meets `Abderahmane al Maghrebi`. Twins, or relatives with one
    surname and one birthday, would be linked wrongly; both are vanishingly rare on these
    lists, and every link is printed (--links-report) for a reader to check.

    Two vetoes catch relatives and list errors (EU gives one Alexandr Vasilievich SHUBIN three
    dates of birth, one of them Igor Nikolaevich SHUBIN's): no link when both entities carry
    Slavic patronymics and none of them are `alike`, or unless some first name (`first_names`)
    of each is `alike` some name token of the other: the twins Iyad and Ihab MAKHLOUF, the brothers
    Kamal and Jamal Mustafa Abdallah Sultan AL-TIKRITI (an Arabic name chain repeats the
    father's and grandfather's names, so only the first name tells brothers apart), Martin
    ROMO LOPEZ and Eugenio Dario MOLINA LOPEZ, Yahia DJOUADI a.k.a. ABU AMAR and Amar SAATI."""

    def __init__(self, ents, groups):
        self.parent = {e.id: e.id for e in ents}
        for e in ents:
            self.union(e.id, groups.find(e.id))
        given_n, family_n = {}, {}
        for e in ents:
            for g in e.given:
                for t in set(link_tokens(g)):
                    given_n[t] = given_n.get(t, 0) + 1
            for f in e.family:
                for t in set(link_tokens(f)):
                    family_n[t] = family_n.get(t, 0) + 1

        def specific(t):
            return (len(t) >= 4 and t not in PARTICLES and t not in COMMON
                    and t not in COMMON_ARABIC and not PATRONYMIC_RE.search(t)
                    and given_n.get(t, 0) <= family_n.get(t, 0))

        by_dob = {}
        for e in ents:
            if e.schema == "Person":
                for d in e.dobs:
                    by_dob.setdefault(d, []).append(e)
        self.new_links = []  # (a, b, dob, tokens) for pairs not already in one Groups subject
        self.vetoed = []  # the same, for pairs a veto kept apart
        info = {}
        for d in sorted(by_dob):
            people = by_dob[d]
            if len(people) < 2:
                continue
            for e in people:
                if e.id not in info:
                    alltoks = {t for (v, _, q) in e.names if q == "strong" for t in link_tokens(v)}
                    fam = {t for t in family_tokens(e) if specific(t)}
                    pats = {t for t in alltoks if PATRONYMIC_RE.search(t)}
                    info[e.id] = (fam, alltoks, pats, first_names(name_heads(e)))
            for i, a in enumerate(people):
                for b in people[i + 1:]:
                    fa, ta, pa, ga = info[a.id]
                    fb, tb, pb, gb = info[b.id]
                    shared = sorted((fa & tb) | (fb & ta))
                    if not shared:
                        continue
                    veto = ("patronymic" if pa and pb and not alike(pa, pb) else
                            "first name" if not (alike(ga, tb) and alike(gb, ta)) else None)
                    if veto:
                        if groups.find(a.id) != groups.find(b.id):
                            self.vetoed.append((a, b, d, shared + ["VETO " + veto]))
                        continue
                    if groups.find(a.id) != groups.find(b.id):
                        self.new_links.append((a, b, d, shared))
                    self.union(a.id, b.id)

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = min(ra, rb), max(ra, rb)
            self.parent[hi] = lo

    def expand(self, ids):
        """The `expected` label: every entity linked to any of ids."""
        if not hasattr(self, "members"):
            self.members = {}
            for x in self.parent:
                self.members.setdefault(self.find(x), []).append(x)
        return sorted({m for i in ids for m in self.members[self.find(i)]})

    def write_report(self, path):
        def show(e):
            names = sorted({v for (v, _, q) in e.names if q == "strong"}, key=len)[:3]
            return f"{e.id} [{'; '.join(names)}]"
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"# {len(self.new_links)} links added by the DOB + family-name pass "
                    "(pairs not already one subject by name or UN reference)\n")
            for (a, b, d, shared) in self.new_links:
                f.write(f"{d}\t{','.join(shared)}\t{show(a)}\t{show(b)}\n")
            f.write(f"# {len(self.vetoed)} pairs with a date and a family token in common, "
                    "kept apart by a veto\n")
            for (a, b, d, shared) in self.vetoed:
                f.write(f"{d}\t{','.join(shared)}\t{show(a)}\t{show(b)}\n")


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
    ap.add_argument("--links-report", metavar="PATH",
                    help="write every link the date-of-birth pass adds (LinkedGroups) to PATH")
    args = ap.parse_args()
    wl = os.path.join(args.data, "watchlists")
    rng = random.Random(args.seed)

    ents = load_defaults(wl)
    by_id = {e.id: e for e in ents}
    groups = Groups(ents)
    # Labels only: `expected` is widened with LinkedGroups when the files are written below;
    # everything that selects, spells or splits queries uses `groups`.
    linked = LinkedGroups(ents, groups)
    print("date-of-birth links:", len(linked.new_links), file=sys.stderr)
    if args.links_report:
        linked.write_report(args.links_report)
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
                f.write(json.dumps({**q, "expected": linked.expand(q["expected"])},
                                   ensure_ascii=False) + "\n")
    if args.arabic_extra:
        write_arabic_extra(args, persons + orgs, groups, linked, by_id, dev, test)
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


def write_arabic_extra(args, entities, groups, linked, by_id, dev, test):
    """See ARABIC_EXTRA_DOC. Uses no random numbers, so dev.jsonl and test.jsonl are unchanged.
    Membership is chosen with `groups` (and the Groups labels of dev/test); only the written
    `expected` is widened with `linked`."""
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
            f.write(json.dumps({**q, "expected": linked.expand(q["expected"])},
                               ensure_ascii=False) + "\n")
    print("arabic_extra:", len(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
