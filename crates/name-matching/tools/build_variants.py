#!/usr/bin/env python3
"""Builds data/variants.tsv, the compiled-in Arabic -> Latin name-variant table.

Source: the PyPI package `arabic-name-romanizer` (code MIT, data CC0 Wikidata + CC0 Algerian
Name Transcription Corpus + MIT DziriNames; see data/LICENSE-variants.md). Usage:

    pip download arabic-name-romanizer==0.2.0 --no-deps -d anr_dl
    unzip -o anr_dl/*.whl -d anr_dl/x
    python3 tools/build_variants.py anr_dl/x/arabic_name_romanizer/resources/names.sqlite3 > data/variants.tsv
    rm -r anr_dl

Each output line is `arabic<TAB>latin latin ...`: the Arabic key normalised like the Rust
normaliser (alef forms, ta marbuta, alef maqsura, Persian letters, article, abd/abu compounds)
and its frequent Latin spellings folded like the Rust Latin folder, with the seams of fused
compounds removed (`abdrahman`, `abubakr`, `nurdin`). A spelling is kept when it accounts for
at least MIN_SHARE of the key's occurrences and was seen at least MIN_COUNT times.
"""
import collections
import re
import sqlite3
import sys
import unicodedata

MIN_COUNT = 2
MIN_SHARE = 0.03
MAX_VARIANTS = 12

HARAKAT = re.compile("[\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200B-\u200F]")
AR_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي",
                        "ے": "ي", "ک": "ك", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "ۃ": "ه", "ں": "ن"})
LAT_SPECIAL = {"ş": "sh", "š": "sh", "ç": "ch", "č": "ch", "ć": "ch", "ğ": "gh", "ġ": "gh",
               "ḫ": "kh", "ẖ": "kh", "ṯ": "th", "þ": "th", "ḏ": "dh", "ð": "dh", "ž": "zh",
               "đ": "dj", "ǧ": "j", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l",
               "ı": "i", "ə": "a"}
ARTICLES = {"al", "el", "il", "ul", "ad", "ed", "ud", "ar", "er", "ur", "as", "es", "us", "ash",
            "at", "et", "az", "ez", "an", "en", "adh", "ath"}
ABD_LINK = ["oul", "ul", "el", "al", "ol", "il", "ou", "u", "e", "a", "o", "i"]
DIN_SUFFIX = ["uddin", "eddine", "eddin", "addin", "iddin", "uddeen", "eddeen", "oddin"]


def arabic_key(s):
    s = HARAKAT.sub("", unicodedata.normalize("NFKC", s)).translate(AR_MAP)
    words = [w for w in re.split(r"\s+", s.strip()) if w]
    words = [w[2:] if w.startswith("ال") and len(w) >= 4 else w for w in words]
    s = "".join(words)
    if s.startswith("عبدال") and len(s) >= 7:
        s = "عبد" + s[5:]
    return s


def fold(s):
    out = []
    for c in s.lower():
        if c in LAT_SPECIAL:
            out.append(LAT_SPECIAL[c])
            continue
        for d in unicodedata.normalize("NFD", c):
            if d.isascii() and d.isalnum():
                out.append(d)
            elif d in " -":
                out.append(" ")
    return "".join(out)


def latin_key(s):
    words = [w for w in fold(s).split() if w]
    if len(words) > 1:
        words = [w for i, w in enumerate(words) if not (w in ARTICLES and i + 1 < len(words))]
    t = "".join(words)
    if t.startswith("abd"):
        rest = t[3:]
        for link in ABD_LINK:
            if rest.startswith(link) and len(rest) - len(link) >= 3:
                return "abd" + rest[len(link):]
        return t
    for p in ("abou", "abul", "ebou", "ebu"):
        if t.startswith(p) and len(t) - len(p) >= 4:
            return "abu" + t[len(p):]
    for suf in DIN_SUFFIX:
        if t.endswith(suf) and len(t) - len(suf) >= 2:
            return t[: -len(suf)] + "din"
    return t


def main(path):
    db = sqlite3.connect(path)
    counts = collections.defaultdict(collections.Counter)
    for ar, lat, n in db.execute("select arabic_key, latin, count from units"):
        k, l = arabic_key(ar), latin_key(lat)
        if len(k) >= 2 and len(l) >= 2 and l.isascii():
            counts[k][l] += n
    for k in sorted(counts):
        c = counts[k]
        total = sum(c.values())
        keep = [l for l, n in c.most_common(MAX_VARIANTS) if n >= MIN_COUNT and n >= MIN_SHARE * total]
        if keep:
            print(f"{k}\t{' '.join(sorted(keep))}")


if __name__ == "__main__":
    main(sys.argv[1])
