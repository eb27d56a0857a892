"""Reads character vectors out of an R lazy-load database (Rdata.rdx + Rdata.rdb).

Just enough of R's XDR serialization (format versions 2 and 3) for janeaustenr's data: vectors,
strings, pairlists, symbols and attributes. Not a general R reader: environments, closures,
bytecode and ALTREP objects raise ValueError.
"""
import gzip
import struct
import zlib

_NILVALUE, _REF, _EMPTYENV, _BASEENV, _GLOBALENV, _UNBOUND, _MISSING, _BASENS = (
    254, 255, 242, 241, 253, 252, 251, 247)


class _Reader:
    def __init__(self, data):
        if data[:2] != b"X\n":
            raise ValueError("not an XDR R serialization")
        self.d, self.p, self.refs = data, 2, []
        version = self.int()
        self.int()
        self.int()
        if version == 3:
            n = self.int()  # native encoding name
            self.p += n

    def int(self):
        v = struct.unpack_from(">i", self.d, self.p)[0]
        self.p += 4
        return v

    def item(self):
        flags = self.int()
        t, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if t in (_NILVALUE, _EMPTYENV, _BASEENV, _GLOBALENV, _UNBOUND, _MISSING, _BASENS):
            return None
        if t == _REF:
            return self.refs[(flags >> 8) - 1]
        if t == 1:  # SYMSXP
            sym = self.item()
            self.refs.append(sym)
            return sym
        if t == 9:  # CHARSXP
            n = self.int()
            if n == -1:
                return None
            s = self.d[self.p:self.p + n].decode("utf-8", "replace")
            self.p += n
            return s
        if t in (2, 6):  # LISTSXP / LANGSXP: attr?, tag?, car, cdr
            attr = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            car = self.item()
            cdr = self.item()
            rest = cdr if isinstance(cdr, list) else []
            return [(tag, car)] + rest
        if t in (10, 13):  # LGLSXP, INTSXP
            n = self.int()
            v = list(struct.unpack_from(">%di" % n, self.d, self.p))
            self.p += 4 * n
        elif t == 14:  # REALSXP
            n = self.int()
            v = list(struct.unpack_from(">%dd" % n, self.d, self.p))
            self.p += 8 * n
        elif t in (16, 19, 20):  # STRSXP, VECSXP, EXPRSXP
            n = self.int()
            v = [self.item() for _ in range(n)]
        else:
            raise ValueError("unsupported R type %d" % t)
        if has_attr:
            self.item()  # attributes (names, class, ...): not needed here
        return v


def _unserialize(data):
    return _Reader(data).item()


def read_lazyload(rdx_path, rdb_path):
    """Returns {variable name: value} for every variable in the lazy-load database."""
    index = _unserialize(_gunzip_any(rdx_path))
    with open(rdb_path, "rb") as f:
        rdb = f.read()
    names = _names_of(rdx_path)
    variables = dict(zip(names, index[0]))
    out = {}
    for name, (offset, length) in variables.items():
        block = rdb[int(offset):int(offset) + int(length)]
        out[name] = _unserialize(zlib.decompress(block[4:]))
    return out


def _gunzip_any(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return gzip.decompress(raw)
    except OSError:
        return zlib.decompress(raw)


def _names_of(rdx_path):
    """The names attribute of the index's "variables" list (read with attributes kept)."""
    r = _NamesReader(_gunzip_any(rdx_path))
    return r.variable_names()


class _NamesReader(_Reader):
    """Like _Reader but keeps the names attribute of the first VECSXP element."""

    def variable_names(self):
        flags = self.int()  # the index: a VECSXP of (variables, references, compressed)
        n = self.int()
        flags = self.int()  # variables: VECSXP with a names attribute
        m = self.int()
        for _ in range(m):
            self.item()
        attrs = self.item()  # pairlist [(tag, value)]
        for tag, value in attrs:
            if tag == "names":
                return value
        raise ValueError("lazy-load index has no variable names")
