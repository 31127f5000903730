"""Fonts that travel: the fonts a deck uses, embedded in its .pptx the way PowerPoint embeds them.

PowerPoint keeps embedded fonts as `ppt/fonts/fontN.fntdata` parts in Embedded
OpenType (EOT) form, related from the presentation part and listed in
`p:embeddedFontLst`, with `embedTrueTypeFonts` (and `saveSubsetFonts` when the
fonts are subsets) on `p:presentation`. It embeds TrueType outlines only, so a
CFF face (Debian's Noto Sans CJK, inside a .ttc collection) is converted to
quadratic TrueType outlines with fontTools; advance widths are kept exactly, so
the fit measured at build time holds wherever the deck is opened.

Each face is subset to the deck's characters plus what an editor is likely to
type (`TYPABLE`: Latin, punctuation, symbols, all 11,172 Hangul syllables; code
fonts get `CODE_TYPABLE`, Latin and box drawing). Fonts whose licence forbids
embedding (OS/2 fsType) are refused with a reason. The converted, subset, EOT
wrapped face is cached by a digest of the source file's bytes, the face index
and the character set, so only the first build on a machine pays for it. The
glyphs converted from a CID-keyed face are kept too (a glyph store per face), so
a deck whose code shows characters no deck showed before converts only those.

`embed(pptx, families, …)` embeds into a saved package and says what was
embedded and what was not (and why). The deck writer calls `embed_in_entries`
on the package's members before it zips the deck, once.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import marshal
import posixpath
import re
import struct
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping, Sequence

from lxml import etree

from .files import cached_bytes, locked, user_cache, write_atomically
from .measure import FontFile, FontNotFound, font_advances, font_fact, harfbuzz_face, locate
from .timestamps import zip_bytes

CACHE_VERSION = 2  # bump when the cached faces change shape (2: cut by HarfBuzz)
EOT_VERSION = 0x00020001
EOT_MAGIC = 0x504C
ROOT_STRING_CHECKSUM_KEY = 0x50475342  # RootStringCheckSum = sum of the root string's bytes XOR this
TTEMBED_SUBSET = 0x00000001
DEFAULT_CHARSET = 1  # the EOT header's charset, as the EOT specification asks
FONTDATA_CONTENT_TYPE = "application/x-fontdata"
FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
MAX_ERROR = 1.0  # font units: how far a quadratic curve may stray from the cubic it replaces
GLYPH_STORE_VERSION = 2  # bump when a kept glyph changes shape (2: with its extents)

# OS/2 fsType embedding bits
FS_RESTRICTED = 0x0002
FS_PREVIEW_PRINT = 0x0004
FS_EDITABLE = 0x0008
FS_NO_SUBSETTING = 0x0100
FS_BITMAP_ONLY = 0x0200


def _ranges(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(code for low, high in spans for code in range(low, high + 1))


HANGUL_SYLLABLES = range(0xAC00, 0xD7A4)  # the 11,172 precomposed syllables

# What an editor is likely to type into a deck, besides the deck's own characters.
CODE_TYPABLE = _ranges(
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2190, 0x2199),  # arrows
    (0x2500, 0x257F),  # box drawing (tree listings)
)
TYPABLE = CODE_TYPABLE | _ranges(
    (0x2030, 0x205E),  # per mille, primes, guillemets, reference marks
    (0x20A9, 0x20AC),  # won and euro signs
    (0x2100, 0x218F),  # letterlike symbols, number forms (Roman numerals)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2300, 0x23FF),  # technical symbols
    (0x2460, 0x24FF),  # circled numbers and letters
    (0x2580, 0x25FF),  # blocks, geometric shapes
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3131, 0x318E),  # Hangul compatibility jamo (ㄱ, ㅋ)
    (0x3200, 0x327F),  # parenthesised and circled Hangul
    (HANGUL_SYLLABLES.start, HANGUL_SYLLABLES.stop - 1),  # all 11,172 Hangul syllables
    (0xFF01, 0xFF60),  # full-width forms
    (0xFFE0, 0xFFE6),  # full-width signs (￦)
)

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
_A, _P, _R, _C = (f"{{{NS[k]}}}" for k in ("a", "p", "r", "c"))
PRESENTATION = "ppt/presentation.xml"
PRESENTATION_RELS = "ppt/_rels/presentation.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
# Children of p:presentation that come before p:embeddedFontLst in the schema (CT_Presentation).
_BEFORE_FONT_LIST = ("sldMasterIdLst", "notesMasterIdLst", "handoutMasterIdLst", "sldIdLst", "sldSz", "notesSz",
                     "smartTags")
_TEXT_PARTS = re.compile(r"ppt/(slides|slideLayouts|slideMasters|notesSlides|charts)/[^/]+\.xml$")
_STYLED_PARTS = re.compile(r"ppt/(slides|slideLayouts|slideMasters|notesSlides|notesMasters|charts|theme)/[^/]+\.xml$"
                           r"|ppt/presentation\.xml$")
_THEME_FONT = re.compile(r"\+(mj|mn)-(lt|ea|cs)$")


class EmbeddingRefused(Exception):
    """A face that cannot be embedded (licence bits, not installed, no outlines)."""


@dataclass(frozen=True)
class FaceSource:
    """One face to embed: the family name the deck uses, its style, and the file it comes from."""

    family: str
    bold: bool
    file: FontFile
    code: bool = False  # a code font: subset to CODE_TYPABLE rather than TYPABLE


@dataclass(frozen=True)
class EmbeddedFace:
    """A face written into the package."""

    family: str
    bold: bool
    part: str  # ppt/fonts/fontN.fntdata
    size: int  # bytes of the EOT part
    characters: int  # code points in its character map
    cached: bool  # taken from the cache rather than converted now


@dataclass(frozen=True)
class Embedding:
    """The package with its fonts embedded, what went in and what did not (with the reason)."""

    package: bytes
    faces: tuple[EmbeddedFace, ...]
    skipped: tuple[str, ...]


# --- the entry points -------------------------------------------------------------------------


def embed(
    pptx: bytes,
    families: Sequence[str],
    text: str = "",
    cache_dir: Path | None = None,
    *,
    code_families: Sequence[str] = (),
) -> Embedding:
    """pptx (a saved package) with the regular and bold faces of families (and code_families) embedded,
    the embedded faces and the reasons for faces left out.

    Only families the package names (a typeface in a slide, layout, master, theme
    or chart) are embedded, and a bold face only when some text is bold. text is
    added to the characters read from the package."""
    entries = _read_package(pptx)
    faces, skipped = embed_in_entries(entries, families, text, cache_dir, code_families=code_families)
    return Embedding(zip_bytes(entries) if faces else pptx, faces, skipped)


def embed_in_entries(
    entries: dict[str, bytes],
    families: Sequence[str],
    text: str = "",
    cache_dir: Path | None = None,
    *,
    code_families: Sequence[str] = (),
    trees: Mapping[str, etree._Element] | None = None,
) -> tuple[tuple[EmbeddedFace, ...], tuple[str, ...]]:
    """embed on a package's members ({member name: bytes}, changed in place), so a writer that has
    them unzipped zips its deck once; returns the embedded faces and the reasons for faces left out.
    trees, when given, holds members already parsed (the writer's own parts), read instead of their bytes."""
    usage = deck_usage(entries, code_families, trees)
    sources: list[FaceSource] = []
    skipped: list[str] = []
    seen: set[str] = set()
    wanted = [(f, False) for f in families] + [(f, True) for f in code_families]
    for family, code in wanted:
        if not family or family.lower() in seen or family not in usage.families:
            continue
        seen.add(family.lower())
        for bold in (False, True):
            if bold and not usage.bold(family, code):
                continue
            try:
                sources.append(FaceSource(family, bold, installed_face(family, bold), code))
            except EmbeddingRefused as reason:
                skipped.append(str(reason))
    return _embed_faces_in_entries(entries, sources, usage.text + text, cache_dir, usage.code_text, skipped)


def embed_faces(
    package: bytes,
    sources: Sequence[FaceSource],
    text: str = "",
    cache_dir: Path | None = None,
    code_text: dict[str, str] | None = None,
    skipped: Iterable[str] = (),
) -> Embedding:
    """Embed the given faces (any font files) into package; text is what the body faces must show,
    code_text[family] what a code family's runs show."""
    entries = _read_package(package)
    faces, skipped = _embed_faces_in_entries(entries, sources, text, cache_dir, code_text, skipped)
    return Embedding(zip_bytes(entries) if faces else package, faces, skipped)


def _embed_faces_in_entries(
    entries: dict[str, bytes],
    sources: Sequence[FaceSource],
    text: str,
    cache_dir: Path | None,
    code_text: dict[str, str] | None,
    skipped: Iterable[str],
) -> tuple[tuple[EmbeddedFace, ...], tuple[str, ...]]:
    cache = cache_dir if cache_dir is not None else user_cache("embedded-fonts")
    code_text = code_text or {}
    skipped = list(skipped)
    prepared: list[tuple[FaceSource, bytes, bool, int]] = []
    for source in sources:
        if source.code:
            wanted = CODE_TYPABLE | set(map(ord, code_text.get(source.family, "")))
        else:
            wanted = TYPABLE | set(map(ord, text))
        try:
            eot, cached, characters = eot_face(source.file, frozenset(wanted), cache, source.family)
        except EmbeddingRefused as reason:
            skipped.append(f"{source.family}{' bold' if source.bold else ''}: {reason}")
            continue
        prepared.append((source, eot, cached, characters))
    faces = _add_to_package(entries, prepared) if prepared else []
    return tuple(faces), tuple(skipped)


# --- which fonts and characters a deck uses ---------------------------------------------------


@dataclass(frozen=True)
class DeckUsage:
    """Typefaces named in a package, the text it shows, and which typefaces are set bold."""

    families: frozenset[str]
    text: str
    code_text: dict[str, str]  # text of the runs set in a typeface, for the typefaces asked about
    bold_families: frozenset[str]
    bold_inherited: bool  # some bold text names no typeface (it takes the theme's or master's)

    def bold(self, family: str, code: bool) -> bool:
        return family in self.bold_families or (self.bold_inherited and not code)


def deck_usage(
    package: bytes | dict[str, bytes], run_families: Sequence[str] = (), trees: Mapping[str, etree._Element] | None = None
) -> DeckUsage:
    """What a package shows: every a:t and chart value of slides, layouts, masters, notes and charts,
    the typefaces its parts name (theme font references resolved), the typefaces set bold, and for
    each of run_families the text of the runs set in it. trees: members already parsed.

    Parts are read with compiled XPath queries, so the thousands of runs of a code or diagram
    slide are matched inside lxml rather than visited one by one in Python."""
    entries = package if isinstance(package, dict) else _read_package(package)
    trees = trees or {}
    theme_fonts = _theme_fonts(entries)
    faces_named = {face: [f for f, named in theme_fonts.items() if named == face] + [face] for face in run_families}
    named: set[str] = set()
    bold_families: set[str] = set()
    bold_inherited = False
    texts: list[str] = []
    run_text: dict[str, list[str]] = {}
    for name in sorted(entries):
        if not _STYLED_PARTS.match(name):
            continue
        root = trees[name] if name in trees else etree.fromstring(entries[name])
        named.update(element.get("typeface") for element in root.iter(*_TYPEFACE_TAGS))
        for properties in _BOLD_PROPERTIES(root):
            families = {theme_fonts.get(face, face) for face in _CHILD_TYPEFACES(properties)} - {""}
            bold_families |= families
            bold_inherited |= not families
        if not _TEXT_PARTS.match(name):
            continue
        texts.extend(_SHOWN_TEXT(root))
        for family, spellings in faces_named.items():
            for spelling in spellings:
                run_text.setdefault(family, []).extend(_RUN_TEXT_IN(root, face=spelling))
    families = {theme_fonts.get(face, face) for face in named} - {"", None}
    return DeckUsage(frozenset(families), "".join(texts), {k: "".join(v) for k, v in run_text.items()},
                     frozenset(bold_families), bold_inherited)


_XPATH_NS = {"a": NS["a"], "c": NS["c"]}
_TYPEFACE_TAGS = tuple(f"{_A}{name}" for name in ("latin", "ea", "cs"))  # lxml's iter finds them faster than XPath
_BOLD_PROPERTIES = etree.XPath("//a:rPr[@b='1' or @b='true'] | //a:defRPr[@b='1' or @b='true']", namespaces=_XPATH_NS)
_CHILD_TYPEFACES = etree.XPath("(a:latin | a:ea | a:cs)/@typeface", namespaces=_XPATH_NS, smart_strings=False)
_SHOWN_TEXT = etree.XPath("//a:t/text() | //c:v/text()", namespaces=_XPATH_NS, smart_strings=False)
# The text of the runs whose own properties set a Latin or East Asian typeface (a run's first a:t).
_RUN_TEXT_IN = etree.XPath("//a:r[a:rPr/a:latin/@typeface = $face or a:rPr/a:ea/@typeface = $face]/a:t[1]/text()",
                           namespaces=_XPATH_NS, smart_strings=False)


def _theme_fonts(entries: dict[str, bytes]) -> dict[str, str]:
    """{'+mn-lt': typeface, …} from the first slide master's theme."""
    themes = sorted(n for n in entries if re.match(r"ppt/theme/theme\d+\.xml$", n))
    masters = sorted(n for n in entries if re.match(r"ppt/slideMasters/_rels/slideMaster\d+\.xml\.rels$", n))
    for relationship in etree.fromstring(entries[masters[0]]) if masters else ():
        if relationship.get("Type", "").endswith("/theme"):
            themes.insert(0, str(PurePosixPath("ppt/slideMasters", relationship.get("Target", ""))))
    themes = [n for n in (posixpath.normpath(t) for t in themes) if n in entries]
    if not themes:
        return {}
    root = etree.fromstring(entries[themes[0]])
    fonts: dict[str, str] = {}
    for scheme, prefix in (("majorFont", "+mj"), ("minorFont", "+mn")):
        for slot, suffix in (("latin", "lt"), ("ea", "ea"), ("cs", "cs")):
            element = root.find(f".//{_A}fontScheme/{_A}{scheme}/{_A}{slot}")
            if element is not None and element.get("typeface"):
                fonts[f"{prefix}-{suffix}"] = element.get("typeface")
    return fonts


# --- finding and checking faces ---------------------------------------------------------------


def installed_face(family: str, bold: bool) -> FontFile:
    """The installed file of family's regular or bold face, or EmbeddingRefused saying why not."""
    try:
        found = locate(family, bold)
    except FontNotFound as error:
        raise EmbeddingRefused(f"{family}: {error}") from error
    names, weight = _face_names(found.path, found.index)
    if family.lower() not in names:
        offered = " / ".join(sorted(names)) or found.path
        raise EmbeddingRefused(f"{family}: not installed as a family of that name (fontconfig offers {offered})")
    if bold and weight < 600:
        raise EmbeddingRefused(f"{family} bold: no bold face installed (PowerPoint emboldens the regular one)")
    return found


@lru_cache(maxsize=None)
def same_hangul(family: str, other: str) -> bool:
    """Whether the installed regular faces of family and other draw every Hangul syllable alike:
    faces of one collection that share their outlines and advance widths, have the same vertical
    metrics and map each syllable to the same glyph (Noto Sans Mono CJK KR and Noto Sans CJK KR).
    The deck writer then sets code's Hangul in the body face, which every deck embeds whole, so
    the code face's cut holds only the rest of the code's characters and is the same in most decks."""
    try:
        faces = installed_face(family, False), installed_face(other, False)
    except EmbeddingRefused:
        return False
    if faces[0].path != faces[1].path:
        return False
    return font_fact(faces[0], lambda: _draw_hangul_alike(*faces), f"same Hangul as face {faces[1].index}")


def _draw_hangul_alike(face: FontFile, other: FontFile) -> bool:
    """Whether two faces of one file share their outline tables and vertical metrics and map every
    Hangul syllable to the same glyph."""
    import uharfbuzz as hb

    opened = [_open_face(each, lazy=True) for each in (face, other)]
    if any("hhea" not in font or "OS/2" not in font for font in opened):
        return False
    if len({_shared_tables(font) for font in opened}) != 1 or len({_vertical_metrics(font) for font in opened}) != 1:
        return False
    fonts = [hb.Font(harfbuzz_face(each.path, each.index)) for each in (face, other)]
    return all(fonts[0].get_nominal_glyph(code) == fonts[1].get_nominal_glyph(code) for code in HANGUL_SYLLABLES)


def _shared_tables(font) -> tuple:
    """Where a face's outline and advance tables sit in its file: the same places, the same glyphs."""
    return tuple((tag, entry.offset, entry.length) for tag, entry in sorted(font.reader.tables.items())
                 if tag in ("CFF ", "CFF2", "glyf", "loca", "hmtx"))


def _vertical_metrics(font) -> tuple:
    hhea, os2 = font["hhea"], font["OS/2"]
    return (hhea.ascent, hhea.descent, hhea.lineGap, os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap,
            os2.usWinAscent, os2.usWinDescent)


def _face_names(path: str, index: int) -> tuple[frozenset[str], int]:
    """The legacy family names (name ID 1, every language: what Windows matches a typeface against)
    and the weight class of one face."""
    return font_fact(FontFile(path, index), lambda: _read_face_names(FontFile(path, index)), "names")


def _read_face_names(face: FontFile) -> tuple[frozenset[str], int]:
    font = _open_face(face, lazy=True)
    names = {record.toUnicode("replace").lower() for record in font["name"].names if record.nameID == 1}
    weight = font["OS/2"].usWeightClass if "OS/2" in font else 400
    return frozenset(names), weight


def may_subset(fs_type: int) -> bool:
    """Whether a face with this OS/2 fsType may be subset; EmbeddingRefused when it may not be embedded.

    Installable (0) and editable (8) faces are embedded. Restricted-licence faces
    (2) may not be embedded at all, bitmap-only ones (0x200) not as outlines, and
    preview & print faces (4) would open the deck read-only where the font is
    missing, which defeats an editable deck. Where several usage bits are set
    (old fonts), the least restrictive counts. Bit 0x100 forbids subsetting:
    such a face is embedded whole.
    """
    where = f"OS/2 fsType {fs_type:#06x}"
    if fs_type & FS_BITMAP_ONLY:
        raise EmbeddingRefused(f"its licence allows embedding bitmaps only ({where})")
    if not fs_type & FS_EDITABLE:
        if fs_type & FS_PREVIEW_PRINT:
            raise EmbeddingRefused(f"its licence allows preview & print embedding only, so the deck would open "
                                   f"read-only where the font is missing ({where})")
        if fs_type & FS_RESTRICTED:
            raise EmbeddingRefused(f"its licence forbids embedding ({where}, restricted licence)")
    return not fs_type & FS_NO_SUBSETTING


# --- converting, subsetting and caching a face ------------------------------------------------


def file_digest(path: str) -> str:
    """sha256 of a font file's bytes (a kept font fact: a CJK collection is tens of megabytes)."""
    return font_fact(FontFile(path, 0), lambda: _sha256(path), "sha256")


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def eot_face(
    font_file: FontFile, wanted: frozenset[int], cache_dir: Path | None, family: str | None = None
) -> tuple[bytes, bool, int]:
    """(EOT bytes, taken from cache, code points mapped) for one face subset to wanted ∩ its cmap,
    named family in the EOT header (default: the face's own family name).

    Cached by a digest of the source file's bytes, the face index, the family and the
    character set (files.cached_bytes: build processes wanting the same subset at
    once convert it once, different subsets convert side by side). A process also
    keeps the last faces it took from the cache, so the next deck with the same
    characters reads nothing. Without a cache folder every call converts."""
    characters = frozenset(wanted & font_advances(font_file).keys())
    if cache_dir is None:
        return _convert(font_file, characters, family), False, len(characters)
    kept_key = (font_file, family, characters, cache_dir)
    if kept_key in _kept_faces:
        _kept_faces.move_to_end(kept_key)
        return _kept_faces[kept_key], True, len(characters)
    eot, cached = _stored_eot_face(font_file, characters, cache_dir, family)
    _kept_faces[kept_key] = eot
    if len(_kept_faces) > KEPT_FACES:
        _kept_faces.popitem(last=False)
    return eot, cached, len(characters)


KEPT_FACES = 8  # a deck embeds three or four faces; the body faces are the same in every deck
_kept_faces: OrderedDict[tuple, bytes] = OrderedDict()


def _stored_eot_face(
    font_file: FontFile, characters: frozenset[int], cache_dir: Path, family: str | None
) -> tuple[bytes, bool]:
    """(EOT bytes, taken from the cache folder) for eot_face: read, or converted and stored."""
    source = f"{file_digest(font_file.path)}|{font_file.index}"
    key = hashlib.sha256(
        f"{CACHE_VERSION}|{source}|{family or ''}|".encode() + ",".join(f"{c:x}" for c in sorted(characters)).encode()
    ).hexdigest()[:32]
    return cached_bytes(cache_dir / f"{key}.fntdata", lambda: _convert(font_file, characters, family, cache_dir))


def _convert(
    font_file: FontFile, characters: frozenset[int], family: str | None = None, cache_dir: Path | None = None
) -> bytes:
    """The face as an EOT: checked, subset (unless its licence forbids), CFF converted to TrueType
    (taking the glyphs converted before from cache_dir's glyph store, see _glyph_store)."""
    from fontTools.ttLib import TTFont

    fs_type, tables = _face_tables(font_file)
    subset = may_subset(fs_type)
    if "CFF2" in tables or "fvar" in tables:
        raise EmbeddingRefused("variable fonts are not embedded (PowerPoint shows static faces only)")
    if "glyf" not in tables and "CFF " not in tables:
        raise EmbeddingRefused("it has no outlines (bitmap font)")
    if subset:
        font = TTFont(io.BytesIO(_subset(font_file, characters)), recalcTimestamp=False)
    else:
        font = _open_face(font_file, lazy=True)
    if "CFF " in font:
        store = _glyph_store(font_file, font, cache_dir)
        made = cff_to_truetype(font, _converted_glyphs(store) if store else None)
        if store and made:
            _keep_glyphs(store, made)
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    return to_eot(buffer.getvalue(), subset=subset, family=family)


KeptGlyph = tuple  # (compiled glyf data, contours, points, xMin, yMin, xMax, yMax) of one converted glyph


def _glyph_store(font_file: FontFile, font, cache_dir: Path | None) -> Path | None:
    """The file of cache_dir keeping the TrueType glyphs converted from font_file's face, when the
    face is CID-keyed CFF: HarfBuzz's subsets keep every glyph's CID as its name, so a glyph
    converted for one deck serves every later subset. None without a cache folder, and for a
    name-keyed face (few glyphs, quick to convert). The name holds the face's bytes and the versions
    of everything the glyphs come out of."""
    import fontTools
    import uharfbuzz

    if cache_dir is None or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return None
    versions = f"{GLYPH_STORE_VERSION}|{CACHE_VERSION}|{MAX_ERROR}|{fontTools.version}|{uharfbuzz.__version__}"
    key = hashlib.sha256(f"{versions}|{file_digest(font_file.path)}|{font_file.index}".encode()).hexdigest()[:32]
    return cache_dir / "glyphs" / f"{key}.marshal"


_converted: dict[Path, dict[str, KeptGlyph]] = {}  # glyph stores this process has read


def _converted_glyphs(store: Path) -> dict[str, KeptGlyph]:
    """The glyphs a glyph store holds (KeptGlyph by CID name), read once per process."""
    if store not in _converted:
        _converted[store] = _read_glyphs(store)
    return _converted[store]


def _read_glyphs(store: Path) -> dict[str, KeptGlyph]:
    try:
        glyphs = marshal.loads(store.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return glyphs if isinstance(glyphs, dict) else {}


def _keep_glyphs(store: Path, made: dict[str, KeptGlyph]) -> None:
    """Add the glyphs just converted to the store, with those other build processes added meanwhile."""
    kept = _converted_glyphs(store)
    kept.update(made)
    with contextlib.suppress(OSError), locked(store.with_suffix(".lock")):
        kept.update(_read_glyphs(store))
        write_atomically(store, marshal.dumps(kept))


@lru_cache(maxsize=None)
def _face_tables(font_file: FontFile) -> tuple[int, frozenset[str]]:
    """A face's OS/2 fsType and table tags, read once per process (not once per deck)."""
    font = _open_face(font_file, lazy=True)
    return (font["OS/2"].fsType if "OS/2" in font else 0), frozenset(font.keys())


def _open_face(font_file: FontFile, lazy: bool | None = None):
    """One face of a font file; lazy reads only the tables asked for (not a whole CJK collection)."""
    from fontTools.ttLib import TTCollection, TTFont

    if font_file.path.lower().endswith((".ttc", ".otc")):
        return TTCollection(font_file.path, recalcTimestamp=False, lazy=lazy).fonts[font_file.index]
    return TTFont(font_file.path, fontNumber=font_file.index, recalcTimestamp=False, lazy=lazy)


def _subset(font_file: FontFile, characters: frozenset[int]) -> bytes:
    """The face cut to characters (and the glyphs its layout features reach) by HarfBuzz, which cuts
    a CJK face in milliseconds where fontTools' subsetter takes a second: every name record kept
    (copyright, licence, vendor), the .notdef outline kept; FontForge's timestamps and the baseline
    table (for vertical text PowerPoint does not set) dropped, as fontTools drops them."""
    import uharfbuzz as hb

    face = harfbuzz_face(font_file.path, font_file.index)
    request = hb.SubsetInput()
    request.unicode_set.update(characters)
    for every in (request.name_id_set, request.name_lang_id_set):  # HarfBuzz keeps names 0-6 in English only
        every.clear()
        every.invert()
    request.drop_table_tag_set.update(int.from_bytes(tag, "big") for tag in (b"FFTM", b"BASE"))
    request.flags = hb.SubsetFlags.NAME_LEGACY | hb.SubsetFlags.NOTDEF_OUTLINE
    subset = hb.subset(face, request)
    if subset is None:
        raise EmbeddingRefused("HarfBuzz could not subset it")
    return subset.blob.data


def cff_to_truetype(font, converted: Mapping[str, KeptGlyph] | None = None) -> dict[str, KeptGlyph]:
    """Replace the CFF outlines of font with quadratic TrueType outlines, keeping every advance width.

    Left side bearings follow the converted outlines' bounds (TrueType places a
    glyph by its lsb), and vertical top side bearings carry the CFF vertical
    origins (VORG), which TrueType has no table for.

    converted, when given, holds glyphs of the same face converted before, by
    glyph name: they are taken as they are, and the font is set to be saved
    without unpacking any outline again (_set_extents). The glyphs converted now
    are then returned, kept the same way."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    made: dict[str, KeptGlyph] = {}
    extents: dict[str, tuple] = {}
    for name in order:
        kept = converted.get(name) if converted is not None else None
        if kept is None:
            pen = TTGlyphPen(None)
            glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
            glyf[name] = pen.glyph()
            if converted is None:
                continue
            kept = made[name] = _kept_glyph(glyf[name], glyf)
        glyf[name] = Glyph(kept[0])
        extents[name] = kept[1:]
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    vertical_origins = font["VORG"] if "VORG" in font else None
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["post"].formatType = 3.0  # no glyph names: CID-keyed fonts have none worth keeping
    font["head"].glyphDataFormat = 0
    hmtx = font["hmtx"].metrics
    vmtx = font["vmtx"].metrics if "vmtx" in font else None
    for name in order:
        if converted is None:
            glyph = glyf[name]
            glyph.recalcBounds(glyf)
            contours = glyph.numberOfContours
            x_min, y_max = (glyph.xMin, glyph.yMax) if contours else (0, 0)
        else:
            contours, _, x_min, _, _, y_max = extents[name]
        advance, _ = hmtx[name]
        hmtx[name] = (advance, x_min if contours else 0)
        if vmtx is not None and vertical_origins is not None:
            origin = vertical_origins.VOriginRecords.get(name, vertical_origins.defaultVertOriginY)
            height, _ = vmtx[name]
            vmtx[name] = (height, origin - y_max if contours else 0)
    if converted is not None:
        _set_extents(font, extents)
    return made


def _kept_glyph(glyph, glyf) -> KeptGlyph:
    """A glyph just converted, compiled as saving would compile it, with the extents saving reads."""
    data = glyph.compile(glyf)
    if not glyph.numberOfContours:
        return (data, 0, 0, 0, 0, 0, 0)
    return (data, glyph.numberOfContours, len(glyph.coordinates), glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)


def _set_extents(font, extents: Mapping[str, tuple]) -> None:
    """Set what fontTools works out from every outline as it saves a TrueType font (maxp's maxima,
    head's bounding box and its "lsb is xMin" flag, hhea's and vhea's extremes) from the glyphs'
    extents (contours, points, xMin, yMin, xMax, yMax), the same values, and have it save each
    glyph's compiled data as it is: unpacking every outline again took half the conversion."""
    head, maxp, hmtx = font["head"], font["maxp"], font["hmtx"].metrics
    outlined = {name: extent for name, extent in extents.items() if extent[0]}
    if outlined:
        head.xMin = min(extent[2] for extent in outlined.values())
        head.yMin = min(extent[3] for extent in outlined.values())
        head.xMax = max(extent[4] for extent in outlined.values())
        head.yMax = max(extent[5] for extent in outlined.values())
    else:
        head.xMin = head.yMin = head.xMax = head.yMax = 0
    maxp.maxPoints = max((extent[1] for extent in outlined.values()), default=0)
    maxp.maxContours = max((extent[0] for extent in outlined.values()), default=0)
    maxp.maxCompositePoints = maxp.maxCompositeContours = maxp.maxComponentElements = maxp.maxComponentDepth = 0
    if all(hmtx[name][1] == extent[2] for name, extent in outlined.items()):
        head.flags |= 0x2
    else:
        head.flags &= ~0x2
    _set_side_extremes(font["hhea"], hmtx, {name: extent[4] - extent[2] for name, extent in outlined.items()},
                       ("advanceWidthMax", "minLeftSideBearing", "minRightSideBearing", "xMaxExtent"))
    if "vhea" in font and "vmtx" in font:
        _set_side_extremes(font["vhea"], font["vmtx"].metrics, {name: extent[5] - extent[3] for name, extent in outlined.items()},
                           ("advanceHeightMax", "minTopSideBearing", "minBottomSideBearing", "yMaxExtent"))
    font.recalcBBoxes = False


def _set_side_extremes(table, metrics: Mapping[str, tuple[int, int]], sizes: Mapping[str, int], fields: tuple[str, ...]) -> None:
    """hhea's (or vhea's) largest advance, smallest bearings on both sides and largest extent, from
    the metrics (advance, near-side bearing) and the outlined glyphs' sizes along that axis."""
    largest, near, far, extent = fields
    setattr(table, largest, max(advance for advance, _ in metrics.values()))
    setattr(table, near, min((metrics[name][1] for name in sizes), default=0))
    setattr(table, far, min((metrics[name][0] - metrics[name][1] - size for name, size in sizes.items()), default=0))
    setattr(table, extent, max((metrics[name][1] + size for name, size in sizes.items()), default=0))


# --- Embedded OpenType ------------------------------------------------------------------------

_EOT_FIXED = struct.Struct("<IIII10sBBIHH4I2II4I")  # EOTSize … Reserved4 (80 bytes)


@dataclass(frozen=True)
class EotHeader:
    """An EOT file's header, as read back by read_eot."""

    eot_size: int
    font_data_size: int
    version: int
    flags: int
    panose: bytes
    charset: int
    italic: int
    weight: int
    fs_type: int
    magic: int
    unicode_range: tuple[int, int, int, int]
    code_page_range: tuple[int, int]
    checksum_adjustment: int
    family_name: str
    style_name: str
    version_name: str
    full_name: str
    root_string: str
    font_data: bytes


def to_eot(font_data: bytes, subset: bool, family: str | None = None, version: int = EOT_VERSION) -> bytes:
    """font_data (a TrueType font) wrapped as EOT (version 0x00020001 unless asked for 0x00020002):
    no MicroType Express compression, no XOR obfuscation, no root string (any document may use it).

    FamilyName is family (the typeface the deck names, as PowerPoint writes it) or the
    font's English name ID 1; style, version and full names are name IDs 2, 5 and 4.
    Strings are UTF-16LE without a terminator, as the EOT specification describes them."""
    if version not in (0x00020001, 0x00020002):
        raise ValueError(f"EOT version {version:#010x} is not written")
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_data), lazy=True)
    os2 = font["OS/2"]
    panose = bytes(getattr(os2.panose, f) for f in (
        "bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast", "bStrokeVariation", "bArmStyle",
        "bLetterForm", "bMidline", "bXHeight"))
    names = font["name"]

    def name(name_id: int) -> bytes:
        record = names.getName(name_id, 3, 1, 0x409) or names.getName(name_id, 3, 1)
        text = record.toUnicode() if record is not None else (names.getDebugName(name_id) or "")
        return text.encode("utf-16-le")

    family_name = family.encode("utf-16-le") if family else name(1)
    strings = b"".join(struct.pack("<HH", 0, len(value)) + value for value in (family_name, name(2), name(5), name(4)))
    strings += struct.pack("<HH", 0, 0)  # Padding5, RootStringSize: no root string
    if version == 0x00020002:  # RootStringCheckSum (of no bytes), EUDCCodePage, Padding6, SignatureSize, EUDC none
        strings += struct.pack("<IIHHII", ROOT_STRING_CHECKSUM_KEY, 0, 0, 0, 0, 0)
    header_size = _EOT_FIXED.size + len(strings)
    fixed = _EOT_FIXED.pack(
        header_size + len(font_data), len(font_data), version, TTEMBED_SUBSET if subset else 0,
        panose, DEFAULT_CHARSET, os2.fsSelection & 1, os2.usWeightClass, os2.fsType, EOT_MAGIC,
        os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4,
        getattr(os2, "ulCodePageRange1", 0), getattr(os2, "ulCodePageRange2", 0),
        _checksum_adjustment(font_data), 0, 0, 0, 0,
    )
    return fixed + strings + font_data


def _checksum_adjustment(font_data: bytes) -> int:
    """head.checkSumAdjustment as stored in the font's bytes."""
    (tables,) = struct.unpack_from(">H", font_data, 4)
    for index in range(tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", font_data, 12 + 16 * index)
        if tag == b"head":
            return struct.unpack_from(">I", font_data, offset + 8)[0]
    raise ValueError("font has no head table")


def read_eot(data: bytes) -> EotHeader:
    """Parse an EOT (versions 0x00010000–0x00020002) and check its sizes; ValueError when malformed."""
    if len(data) < _EOT_FIXED.size:
        raise ValueError("shorter than an EOT header")
    fields = _EOT_FIXED.unpack_from(data)
    eot_size, data_size, version, flags, panose, charset, italic, weight, fs_type, magic = fields[:10]
    if magic != EOT_MAGIC:
        raise ValueError(f"magic number {magic:#x}, not {EOT_MAGIC:#x}")
    if eot_size != len(data):
        raise ValueError(f"EOTSize {eot_size} but {len(data)} bytes")
    if version not in (0x00010000, 0x00020001, 0x00020002):
        raise ValueError(f"unknown EOT version {version:#010x}")
    offset = _EOT_FIXED.size
    strings: list[str] = []
    count = 4 if version == 0x00010000 else 5
    for _ in range(count):
        padding, size = struct.unpack_from("<HH", data, offset)
        if padding != 0:
            raise ValueError(f"non-zero padding at byte {offset}")
        offset += 4
        strings.append(data[offset:offset + size].decode("utf-16-le"))
        offset += size
    if version == 0x00020002:
        offset += 8  # RootStringCheckSum, EUDCCodePage
        _, signature = struct.unpack_from("<HH", data, offset)
        offset += 4 + signature
        _, eudc_size = struct.unpack_from("<II", data, offset)
        offset += 8 + eudc_size
    if offset + data_size != len(data):
        raise ValueError(f"header of {offset} bytes and FontDataSize {data_size} do not add up to {len(data)}")
    return EotHeader(eot_size, data_size, version, flags, panose, charset, italic, weight, fs_type, magic,
                     tuple(fields[10:14]), tuple(fields[14:16]), fields[16], *strings[:4],
                     strings[4] if len(strings) > 4 else "", data[offset:])


# --- the package ------------------------------------------------------------------------------


def _read_package(pptx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_to_package(entries: dict[str, bytes], prepared) -> list[EmbeddedFace]:
    """Write the font parts, their relationships, the content type and p:embeddedFontLst."""
    presentation = etree.fromstring(entries[PRESENTATION])
    relationships = etree.fromstring(entries[PRESENTATION_RELS])
    embedded_families = {source.family for source, *_ in prepared}
    font_list = presentation.find(f"{_P}embeddedFontLst")
    if font_list is None:
        font_list = etree.Element(f"{_P}embeddedFontLst")
        anchor = [child for child in presentation if etree.QName(child).localname in _BEFORE_FONT_LIST]
        if anchor:
            anchor[-1].addnext(font_list)
        else:
            presentation.insert(0, font_list)
    for entry in list(font_list):  # a family embedded again replaces its old entry
        font = entry.find(f"{_P}font")
        if font is not None and font.get("typeface") in embedded_families:
            for style in entry:
                _drop_relationship(entries, relationships, style.get(f"{_R}id"))
            font_list.remove(entry)
    used_ids = {r.get("Id") for r in relationships}
    next_id = 1 + max((int(m.group(1)) for i in used_ids if (m := re.fullmatch(r"rId(\d+)", i or ""))), default=0)
    next_part = 1 + max((int(m.group(1)) for n in entries if (m := re.fullmatch(r"ppt/fonts/font(\d+)\.fntdata", n))),
                        default=0)
    entry_of: dict[str, etree._Element] = {}
    faces: list[EmbeddedFace] = []
    for source, eot, cached, characters in prepared:
        part = f"ppt/fonts/font{next_part}.fntdata"
        relationship_id = f"rId{next_id}"
        next_part += 1
        next_id += 1
        entries[part] = eot
        etree.SubElement(relationships, f"{{{NS['rel']}}}Relationship", Id=relationship_id, Type=FONT_RELATIONSHIP,
                         Target=str(PurePosixPath(part).relative_to("ppt")))
        entry = entry_of.get(source.family)
        if entry is None:
            entry = etree.SubElement(font_list, f"{_P}embeddedFont")
            etree.SubElement(entry, f"{_P}font", typeface=source.family, **_font_attributes(eot))
            entry_of[source.family] = entry
        style = etree.Element(f"{_P}{'bold' if source.bold else 'regular'}")
        style.set(f"{_R}id", relationship_id)
        if source.bold or entry.find(f"{_P}bold") is None:
            entry.append(style)
        else:
            entry.find(f"{_P}bold").addprevious(style)
        faces.append(EmbeddedFace(source.family, source.bold, part, len(eot), characters, cached))
    presentation.set("embedTrueTypeFonts", "1")
    if any(read_eot(eot).flags & TTEMBED_SUBSET for _, eot, _, _ in prepared):
        presentation.set("saveSubsetFonts", "1")
    elif "saveSubsetFonts" in presentation.attrib:  # whole fonts: PowerPoint's next save keeps them whole
        del presentation.attrib["saveSubsetFonts"]
    entries[PRESENTATION] = _xml(presentation)
    entries[PRESENTATION_RELS] = _xml(relationships)
    entries[CONTENT_TYPES] = _with_content_type(entries[CONTENT_TYPES])
    return faces


def _drop_relationship(entries: dict[str, bytes], relationships, relationship_id: str | None) -> None:
    for relationship in relationships:
        if relationship.get("Id") == relationship_id:
            relationships.remove(relationship)
            target = str(PurePosixPath("ppt") / relationship.get("Target", ""))
            if not any(r.get("Target") == relationship.get("Target") for r in relationships):
                entries.pop(target, None)


def _with_content_type(content_types: bytes) -> bytes:
    root = etree.fromstring(content_types)
    if not any(d.get("Extension", "").lower() == "fntdata" for d in root.iter(f"{{{NS['ct']}}}Default")):
        default = etree.Element(f"{{{NS['ct']}}}Default", Extension="fntdata", ContentType=FONTDATA_CONTENT_TYPE)
        defaults = root.findall(f"{{{NS['ct']}}}Default")
        if defaults:
            defaults[-1].addnext(default)
        else:
            root.insert(0, default)
    return _xml(root)


@lru_cache(maxsize=KEPT_FACES)
def _font_attributes(eot: bytes) -> dict[str, str]:
    """panose, pitchFamily and charset for p:font, as PowerPoint writes them (Windows LOGFONT values);
    kept per face. The printable ASCII widths come from HarfBuzz: fontTools would read a CJK
    face's whole character map and metrics for them, a tenth of a second."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    header = read_eot(eot)
    font = TTFont(io.BytesIO(header.font_data), lazy=True)
    family_type, serif_style, proportion = header.panose[0], header.panose[1], header.panose[3]
    shaper = hb.Font(hb.Face(header.font_data))
    glyphs = (shaper.get_nominal_glyph(c) for c in range(0x21, 0x7F))
    widths = {shaper.get_glyph_h_advance(glyph) for glyph in glyphs if glyph is not None}
    fixed = proportion == 9 or bool(font["post"].isFixedPitch) or len(widths) == 1
    if fixed:
        family = 0x30  # FF_MODERN
    elif family_type == 3:
        family = 0x40  # FF_SCRIPT
    elif family_type in (4, 5):
        family = 0x50  # FF_DECORATIVE
    elif family_type == 2 and 11 <= serif_style <= 13:
        family = 0x20  # FF_SWISS
    elif family_type == 2 and serif_style:
        family = 0x10  # FF_ROMAN
    else:
        family = 0x20 if (font["OS/2"].sFamilyClass >> 8) == 8 else 0
    code_pages = header.code_page_range[0]
    if code_pages & (1 << 19):
        charset = 129  # HANGUL_CHARSET
    elif code_pages & 1:
        charset = 0  # ANSI_CHARSET
    else:
        charset = 1  # DEFAULT_CHARSET
    attributes = {"panose": header.panose.hex().upper()} if any(header.panose) else {}  # omitted when unknown
    attributes["pitchFamily"] = str(family | (1 if fixed else 2))
    attributes["charset"] = str(charset - 256 if charset > 127 else charset)  # xsd:byte is signed
    return attributes
