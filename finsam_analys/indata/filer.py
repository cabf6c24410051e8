"""Säker läsning av förbundets filer: var de får ligga, vad de får vara och hur stora.

Allt som verktyget läser ur en förbundskatalog går hit först:

* **Sökvägar.** ``filer:`` i ``forbund.yaml`` får bara peka på filer i förbundets egen katalog
  (inga absoluta sökvägar, inget ``..``), och en symbolisk länk som leder ut ur katalogen
  vägras (:func:`problem_med_sokvag`).
* **Bara vanliga filer.** En katalog, en namngiven pipe (FIFO) eller en enhet som heter som en
  tabell läses inte (en FIFO skulle annars få läsningen att vänta för evigt); filen öppnas
  utan att följa någon ny länk och kontrolleras efter öppningen (:func:`las_bytes`).
* **Storlek före läsning.** Filens storlek jämförs med en gräns innan något läses.
* **YAML utan alias.** ``forbund.yaml`` läses utan ankare och alias (``&a``/``*a``): ett
  "billion laughs"-dokument på 1 KB blir annars gigabyte (:func:`las_yaml`).

Alla fel är :class:`FilFel` med svensk text och, där det finns, rad och kolumn; ingenting ur
en fil utanför katalogen citeras någonsin.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from finsam_analys.indata.personnummer import ar_personnummer, kan_innehalla_personnummer

__all__ = [
    "MAX_CELL",
    "MAX_CELLER",
    "MAX_KOLUMNER",
    "MAX_KONFIGFIL",
    "MAX_RADLANGD",
    "MAX_TABELLFIL",
    "MAX_XLSX_OKOMPRIMERAT",
    "FilFel",
    "avkoda",
    "las_bytes",
    "las_yaml",
    "personnummer_i_paketet",
    "problem_med_sokvag",
    "utf16_utan_bom",
]

MIB = 1 << 20
MAX_TABELLFIL = 512 * MIB
"""Största tabellfil (CSV eller .xlsx) som läses; två miljoner deltaganden är ungefär 300 MB."""
MAX_KONFIGFIL = 1 * MIB
"""Största ``forbund.yaml``."""
MAX_RADLANGD = 1 * MIB
"""Längsta rad i en CSV-fil (byte)."""
MAX_CELL = 32_767
"""Flest tecken i en cell: samma gräns som Excel."""
MAX_KOLUMNER = 16_384
"""Flest kolumner: samma gräns som Excel."""
MAX_CELLER = 64_000_000
"""Flest celler (rader × kolumner) i en fil; 2 miljoner deltaganden × 21 kolumner = 42 miljoner."""
MAX_XLSX_OKOMPRIMERAT = 512 * MIB
"""Största okomprimerade innehåll i en .xlsx-fil (skydd mot zip-bomber)."""


@dataclass
class FilFel(Exception):
    """En fil som inte kan eller får läsas. ``meddelande`` och ``forvantat`` är svenska."""

    meddelande: str
    forvantat: str | None = None
    rad: int | None = None
    kolumn: int | None = None
    kod: str = "olaslig_fil"

    def __str__(self) -> str:
        return self.meddelande


def _storlek(antal: int) -> str:
    if antal >= MIB:
        return f"{antal / MIB:.0f} MB"
    if antal >= 1024:
        return f"{antal / 1024:.0f} kB"
    return f"{antal} byte"


def problem_med_sokvag(rot: Path, sokvag: Path) -> str | None:
    """Varför ``sokvag`` inte får läsas som en fil i förbundskatalogen ``rot``, eller None.

    Examples
    --------
    >>> import tempfile
    >>> rot = Path(tempfile.mkdtemp())
    >>> _ = (rot / "avslut.csv").write_text("a;b\\n")
    >>> (rot / "deltagare.csv").mkdir()
    >>> problem_med_sokvag(rot, rot / "avslut.csv") is None
    True
    >>> problem_med_sokvag(rot, rot / "deltagare.csv")
    'är en katalog, inte en fil'
    >>> problem_med_sokvag(rot, rot / ".." / "x.csv")
    'ligger utanför förbundets katalog'
    """
    try:
        rot_upplost = rot.resolve(strict=True)
        upplost = sokvag.resolve(strict=False)
    except (OSError, RuntimeError):  # t.ex. en länk som pekar på sig själv
        return "är en symbolisk länk som inte går att följa"
    if not upplost.is_relative_to(rot_upplost):
        if sokvag.is_symlink():
            return "är en symbolisk länk till en fil utanför förbundets katalog"
        return "ligger utanför förbundets katalog"
    try:
        info = os.stat(upplost)
    except FileNotFoundError:
        if sokvag.is_symlink():
            return "är en symbolisk länk till en fil som inte finns"
        return "finns inte"
    except PermissionError:
        return "kan inte läsas: behörighet saknas"
    except OSError as fel:
        return systemfel_text(fel)
    if stat.S_ISDIR(info.st_mode):
        return "är en katalog, inte en fil"
    if not stat.S_ISREG(info.st_mode):
        return "är ingen vanlig fil (t.ex. en namngiven pipe eller en enhet)"
    return None


def systemfel_text(fel: OSError) -> str:
    svenska = {
        errno.ENOENT: "finns inte",
        errno.EACCES: "kan inte läsas: behörighet saknas",
        errno.EPERM: "kan inte läsas: behörighet saknas",
        errno.EISDIR: "är en katalog, inte en fil",
        errno.ELOOP: "är en symbolisk länk som inte går att följa",
        errno.ENXIO: "är ingen vanlig fil (t.ex. en namngiven pipe eller en enhet)",
        errno.EIO: "kan inte läsas: in- och utmatningsfel på disken",
    }
    if fel.errno in svenska:
        return svenska[fel.errno]
    kod = errno.errorcode.get(fel.errno or 0, str(fel.errno))
    return f"kan inte läsas (systemfel {kod})"


def las_bytes(sokvag: Path, *, rot: Path | None = None, max_storlek: int = MAX_TABELLFIL) -> bytes:
    """Läs en vanlig fil som bytes, med kontroller före och efter öppningen.

    Med ``rot`` kontrolleras först att filen ligger i katalogen (även genom länkar). Filen
    öppnas sedan utan att vänta (en FIFO blockerar inte) och utan att följa en länk som
    skapats under tiden; är det öppnade ingen vanlig fil, eller större än ``max_storlek``,
    läses ingenting.

    Raises
    ------
    FilFel
        Med svensk text.
    """
    if rot is not None:
        problem = problem_med_sokvag(rot, sokvag)
        if problem is not None:
            raise FilFel(f"filen {problem}", kod="sokvag")
        sokvag = sokvag.resolve()
    flaggor = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flaggor |= getattr(os, "O_NOFOLLOW", 0) if rot is not None else 0
    try:
        fd = os.open(sokvag, flaggor)
    except OSError as fel:
        raise FilFel(f"filen {systemfel_text(fel)}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FilFel("filen är en katalog, inte en fil")
        if not stat.S_ISREG(info.st_mode):
            raise FilFel("filen är ingen vanlig fil (t.ex. en namngiven pipe eller en enhet)")
        if info.st_size > max_storlek:
            raise FilFel(
                f"filen är för stor ({_storlek(info.st_size)}; högst {_storlek(max_storlek)} "
                "läses)",
                forvantat="en mindre fil (dela upp den, eller ta bort det som inte är tabellen)",
                kod="for_stor",
            )
        delar = []
        kvar = max_storlek + 1
        while kvar > 0:
            try:
                del_ = os.read(fd, min(kvar, 1 << 24))
            except BlockingIOError:  # pragma: no cover - vanliga filer blockerar inte
                break
            if not del_:
                break
            delar.append(del_)
            kvar -= len(del_)
        data = b"".join(delar)
        if len(data) > max_storlek:  # filen växte under läsningen
            raise FilFel(f"filen är för stor (högst {_storlek(max_storlek)} läses)", kod="for_stor")
        return data
    except OSError as fel:
        raise FilFel(f"filen {systemfel_text(fel)}") from None
    finally:
        os.close(fd)


def utf16_utan_bom(data: bytes) -> str | None:
    r"""``"utf-16-le"``/``"utf-16-be"`` om bytes ser ut som UTF-16 utan BOM, annars None.

    Text i UTF-16 har för vanliga (latinska) tecken en nollbyte i varannan position; binära
    filer har nollor utspridda.

    Examples
    --------
    >>> utf16_utan_bom("period;antal\n2019;7\n".encode("utf-16-le"))
    'utf-16-le'
    >>> utf16_utan_bom("period;antal\n".encode("utf-16-be"))
    'utf-16-be'
    >>> utf16_utan_bom(b"period;antal\n") is None
    True
    """
    prov = data[:4096]
    if len(prov) < 4 or len(prov) % 2:
        prov = prov[: len(prov) - len(prov) % 2]
    if len(prov) < 4:
        return None
    jamna, udda = prov[0::2], prov[1::2]
    n = len(jamna)
    nollor_jamna, nollor_udda = jamna.count(0), udda.count(0)
    if nollor_udda > 0.3 * n and nollor_jamna < 0.02 * n:
        kodning = "utf-16-le"
    elif nollor_jamna > 0.3 * n and nollor_udda < 0.02 * n:
        kodning = "utf-16-be"
    else:
        return None
    try:
        data.decode(kodning)
    except UnicodeDecodeError:
        return None
    return kodning


def avkoda(data: bytes) -> str:
    r"""Bytes -> text: UTF-8 (med eller utan BOM), UTF-16 (med eller utan BOM), annars cp1252.

    Raises
    ------
    FilFel
        Om filen börjar med en UTF-8- eller UTF-16-markering men inte är giltig i den kodningen.

    Examples
    --------
    >>> avkoda("å".encode("cp1252")), avkoda("å".encode("utf-8")), avkoda(b"\xef\xbb\xbfa")
    ('å', 'å', 'a')
    """
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
    except UnicodeDecodeError as fel:
        kodning = "UTF-8" if data.startswith(b"\xef") else "UTF-16"
        raise FilFel(
            f"filen är märkt som {kodning} men har ogiltiga tecken (vid byte {fel.start + 1})",
            forvantat="en fil sparad som UTF-8 eller Windows-1252 (spara om den i Excel som CSV)",
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    kodning16 = utf16_utan_bom(data)
    if kodning16 is not None:
        return data.decode(kodning16)
    return data.decode("cp1252", errors="replace")


# ---------------------------------------------------------------------------- YAML

# PyYAML:s felbeskrivningar (början) -> svenska
_YAML_FEL: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "ett kolon (:) där det inte får stå (citattecken?)"),
    ("could not find expected ':'", "kolon (:) saknas efter en nyckel"),
    ("did not find expected key", "en nyckel saknas eller indraget är fel"),
    ("did not find expected node content", "ett värde saknas"),
    ("did not find expected ',' or ']'", "en lista [ ... ] avslutas inte med ]"),
    ("did not find expected ',' or '}'", "en samling { ... } avslutas inte med }"),
    ("expected ',' or ']'", "en lista [ ... ] avslutas inte med ]"),
    ("expected ',' or '}'", "en samling { ... } avslutas inte med }"),
    ("found unexpected end of stream", "filen tar slut mitt i ett värde (ett citattecken?)"),
    ("found unexpected ':'", "ett kolon (:) där det inte får stå"),
    ("found character '\\t'", "tabbtecken får inte användas för indrag (använd mellanslag)"),
    ("found character", "ett tecken som inte får inleda ett värde (citattecken kring texten?)"),
    ("found unknown escape character", "okänd escape-sekvens (\\) inom citattecken"),
    ("expected <block end>", "indraget stämmer inte"),
    ("expected <document start>", "indraget stämmer inte"),
    ("expected a comment or a line break", "oväntad text efter ett värde"),
    ("found undefined alias", "alias (*) som inte finns"),
    ("found duplicate anchor", "samma ankare (&) två gånger"),
    ("found unexpected document", "flera dokument (---) i samma fil"),
    ("expected alphabetic or numeric character", "ogiltigt ankare eller alias"),
    ("could not determine a constructor", "okänd YAML-tagg (!) – bara vanliga värden är tillåtna"),
    ("found unhashable key", "en lista eller samling som nyckel"),
    ("special characters are not allowed", "otillåtet tecken i filen"),
)


def _yaml_orsak(fel: Any) -> str:
    problem = str(getattr(fel, "problem", "") or "")
    for engelska, svenska in _YAML_FEL:
        if problem.startswith(engelska) or engelska in problem:
            return svenska
    return "ogiltig syntax"


class _AliasFel(Exception):
    def __init__(self, markering: Any) -> None:
        self.problem_mark = markering


class _DubbelNyckel(Exception):
    def __init__(self, nyckel: str, markering: Any) -> None:
        self.nyckel = nyckel
        self.problem_mark = markering


def _laddare():
    import yaml

    class UtanAlias(yaml.SafeLoader):
        """``SafeLoader`` som vägrar ankare och alias (ingen expansion, inga referenser)."""

        def compose_node(self, parent, index):
            handelse = self.peek_event()
            if isinstance(handelse, yaml.AliasEvent) or getattr(handelse, "anchor", None):
                raise _AliasFel(handelse.start_mark)
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            sedda = set()
            for nyckel, _ in node.value:
                if isinstance(nyckel, yaml.ScalarNode):
                    if nyckel.value in sedda:
                        raise _DubbelNyckel(nyckel.value, nyckel.start_mark)
                    sedda.add(nyckel.value)
            return super().construct_mapping(node, deep=deep)

    return UtanAlias


def las_yaml(sokvag: Path, *, rot: Path | None = None, max_storlek: int = MAX_KONFIGFIL) -> Any:
    """Läs en YAML-fil säkert: storlek, kodning, personnummer, inga alias, svenska fel.

    Raises
    ------
    FilFel
        Med svensk text, rad och kolumn (aldrig ett utdrag ur filen).

    Examples
    --------
    >>> import tempfile
    >>> fil = Path(tempfile.mkdtemp()) / "forbund.yaml"
    >>> _ = fil.write_text("a: &x [1, 2]\\nb: *x\\n")
    >>> try:
    ...     las_yaml(fil)
    ... except FilFel as fel:
    ...     print(fel.rad, fel.meddelande)
    1 ankare och alias (& och *) är inte tillåtna i konfigurationen
    """
    import yaml

    text = avkoda(las_bytes(sokvag, rot=rot, max_storlek=max_storlek))
    if ar_personnummer(text):
        raise FilFel(
            "innehåller något som ser ut som ett personnummer; läsningen stoppas "
            "(värdet visas inte)",
            kod="personnummer",
        )
    try:
        return yaml.load(text, Loader=_laddare())
    except _DubbelNyckel as fel:
        m = fel.problem_mark
        raise FilFel(
            f'nyckeln "{fel.nyckel[:60]}" står två gånger (bara den sista skulle gälla)',
            forvantat="varje nyckel en gång",
            rad=m.line + 1,
            kolumn=m.column + 1,
            kod="yaml",
        ) from None
    except _AliasFel as fel:
        m = fel.problem_mark
        raise FilFel(
            "ankare och alias (& och *) är inte tillåtna i konfigurationen",
            forvantat="varje värde utskrivet där det används",
            rad=m.line + 1,
            kolumn=m.column + 1,
            kod="yaml",
        ) from None
    except yaml.YAMLError as fel:
        m = getattr(fel, "problem_mark", None) or getattr(fel, "context_mark", None)
        raise FilFel(
            f"felaktig YAML: {_yaml_orsak(fel)}",
            forvantat="giltig YAML (nyckel: värde, listor som [a, b])",
            rad=m.line + 1 if m is not None else None,
            kolumn=m.column + 1 if m is not None else None,
            kod="yaml",
        ) from None
    except RecursionError:
        raise FilFel(
            "felaktig YAML: listor eller samlingar är för djupt inbäddade",
            forvantat="en enkel konfiguration (nyckel: värde, listor som [a, b])",
            kod="yaml",
        ) from None


# ---------------------------------------------------------------------------- zip-paket (xlsx)

# textbitar (runs) i samma cell eller kommentar hör ihop; andra taggar skiljer texter åt
_RUNSKARV = re.compile(rb"</t>\s*</r>\s*<r>(?:\s*<rPr>.*?</rPr>)?\s*<t(?:\s[^>]*)?>", re.DOTALL)
_XMLTAGG = re.compile(rb"<[^>]*>")
_DELENS_PLATS = (
    ("xl/comments", "en kommentar"),
    ("xl/threadedComments", "en kommentar"),
    ("xl/persons", "en kommentarsförfattare"),
    ("docProps/", "arbetsbokens egenskaper (t.ex. författare eller titel)"),
    ("xl/sharedStrings", "en text i arbetsboken"),
    ("xl/worksheets/", "ett blad (en cell, sidhuvud, sidfot eller datavalidering)"),
    ("xl/workbook", "ett bladnamn eller definierat namn"),
    ("xl/externalLinks/", "en extern länk"),
    ("xl/drawings/", "en teckning eller textruta"),
    ("xl/charts/", "ett diagram"),
    ("xl/media/", "en bild"),
)


def _text_i_xml(data: bytes) -> str:
    """XML-delens text: textbitarna i en cell ihop, allt annat åtskilt (inga falska nummer av
    två celler i rad)."""
    import html

    text = _XMLTAGG.sub(b"\n", _RUNSKARV.sub(b"", data)).decode("utf-8", "replace")
    return html.unescape(text)


def personnummer_i_paketet(data: bytes) -> str | None:
    """Var i ett zip-paket (en .xlsx) något ser ut som ett personnummer, eller None.

    Cellerna prövas cell för cell av inläsningen (med rad och kolumn); här prövas resten av
    filen, som inte blir celler men ändå är en del av den: kommentarer, egenskaper (författare),
    delade texter som ingen cell använder, sidhuvud och sidfot, definierade namn, teckningar,
    bilders metadata, delarnas namn. Svaret är en beskrivning på svenska (aldrig värdet).

    Examples
    --------
    >>> import io, zipfile
    >>> buffert = io.BytesIO()
    >>> with zipfile.ZipFile(buffert, "w") as z:
    ...     z.writestr("xl/comments1.xml", "<c><r><t>191212</t></r><r><t>12-1212</t></r></c>")
    >>> personnummer_i_paketet(buffert.getvalue())
    'en kommentar'
    """
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as arkiv:
        for info in arkiv.infolist():
            plats = next((p for d, p in _DELENS_PLATS if info.filename.startswith(d)),
                         "en del av filen")  # fmt: skip
            if ar_personnummer(info.filename):
                return "namnet på en del av filen"
            xml = info.filename.endswith((".xml", ".rels", ".vml"))
            with arkiv.open(info) as delen:
                for bit in _bitar(delen, xml):
                    text = _text_i_xml(bit) if xml else bit.decode("latin-1")
                    if (kan_innehalla_personnummer(text) or not text.isascii()) and (
                        ar_personnummer(text)
                    ):
                        return plats
    return None


def _bitar(fil: Any, xml: bool, storlek: int = 1 << 23) -> Any:
    """En del i bitar om 8 MB (ett blad kan packas upp till hundratals MB); XML delas före en
    tagg, annars med en överlappning, så att ett nummer inte delas mellan två bitar."""
    rest = b""
    while True:
        ny = fil.read(storlek)
        if not ny:
            if rest:
                yield rest
            return
        data = rest + ny
        klipp = data.rfind(b"<") if xml else len(data) - 32
        if klipp <= 0:
            klipp = len(data)
        yield data[:klipp] if xml else data
        rest = data[klipp:]
