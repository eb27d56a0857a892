"""Text helpers shared by the extractors: HTML to text, whitespace cleanup, chunking.

Standard library only. Not a general HTML renderer: it keeps block structure (paragraph breaks)
and drops navigation, scripts and styles, which is what a language-model corpus needs.
"""
import html.parser
import re

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "h1", "h2", "h3",
          "h4", "h5", "h6", "pre", "blockquote", "section", "article", "title", "hr"}
_SKIP = {"script", "style", "nav", "head", "noscript", "svg", "footer"}
_SKIP_CLASSES = ("sphinxsidebar", "related", "navigation", "navheader", "navfooter", "nav",
                 "breadcrumb", "footer", "sidebar", "header")
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
         "wbr", "param", "track"}


class _TextParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip_depth = 0     # >0 while inside a skipped element
        self.stack = []         # (tag, skipped?) for non-void open elements
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag in ("br", "hr") and not self.skip_depth:
                self.out.append("\n")
            return
        classes = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role")).lower()
        skipped = tag in _SKIP or any(c in classes.split() for c in _SKIP_CLASSES)
        self.stack.append((tag, skipped))
        if skipped:
            self.skip_depth += 1
        if tag == "pre":
            self.pre += 1
        if not self.skip_depth and tag in _BLOCK:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        # Pop up to the matching tag (HTML in the wild is not always balanced).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for t, skipped in self.stack[i:]:
                    if skipped:
                        self.skip_depth -= 1
                    if t == "pre":
                        self.pre -= 1
                del self.stack[i:]
                break
        if not self.skip_depth and tag in _BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.pre:
            self.out.append(data.replace("\n", "\x00"))  # protected newline
        else:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(markup):
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.replace("\x00", "\n").strip()


def clean(text):
    """Normalises line ends, strips trailing spaces and surrounding blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text.strip()


def chunk_paragraphs(paragraphs, target_bytes=16000):
    """Groups paragraphs into chunks of about target_bytes (never splitting a paragraph)."""
    chunks, current, size = [], [], 0
    for p in paragraphs:
        if current and size + len(p) > target_bytes:
            chunks.append("\n\n".join(current))
            current, size = [], 0
        current.append(p)
        size += len(p) + 2
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
