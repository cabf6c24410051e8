"""Förbundets ``mall.docx``: läses med indatans spärrar och prövas innan den blir rapport.docx.

Mallen används som Quartos referensdokument (:mod:`finsam_analys.presentation.word`): dess
innehåll tas bort, men formaten, sidhuvud och sidfot, inställningarna och dokumentets
egenskaper följer med in i ``rapport.docx``. Därför prövas hela paketet här, en gång, både när
``validera`` läser förbundets katalog och när rapporten skrivs:

* **som fil**: i förbundets katalog (även genom länkar), en vanlig fil, högst :data:`MAX_MALL`
  och högst lika mycket uppackad (zip-bomb), ett Word-dokument (inte en .docm);
* **inget aktivt**: inga makron (``vbaProject``), ActiveX-kontroller eller inbäddade objekt,
  inga relationer till något utanför dokumentet (länkar, länkade bilder, en extern mall som
  Word hämtar när dokumentet öppnas) och inga fält som hämtar eller kör något
  (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``DDEAUTO``, ``HYPERLINK`` …); bara fält som visar
  sidnummer, datum och dokumentets egenskaper (:data:`TILLATNA_FALT`);
* **inga personnummer**: i någon text, egenskap eller attribut i paketet, också när numret
  är delat på flera textbitar (så som Word sparar text), och inte i bildernas metadata
  (logotypen, miniatyren).

Alla fel är :class:`~finsam_analys.indata.filer.FilFel` med svensk text; inget ur mallen
citeras.
"""

from __future__ import annotations

import html
import io
import os
import re
import zipfile
from pathlib import Path

from finsam_analys.indata.filer import FilFel, las_bytes
from finsam_analys.indata.personnummer import ar_personnummer
from finsam_analys.indata.validering import Problem

__all__ = ["MALLFIL", "MAX_MALL", "TILLATNA_FALT", "las_mall", "mallproblem"]

MALLFIL = "mall.docx"
MAX_MALL = 20 << 20
"""Största ``mall.docx`` (komprimerad och uppackad) som läses."""
_MAX_DELAR = 2_000
_SOM_DOCX = "ett dokument sparat i Word som .docx"

TILLATNA_FALT = frozenset(
    {
        "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "CREATEDATE",
        "SAVEDATE", "PRINTDATE", "STYLEREF", "TITLE", "SUBJECT", "AUTHOR", "KEYWORDS",
        "COMMENTS", "LASTSAVEDBY", "DOCPROPERTY", "FILENAME", "NUMWORDS", "NUMCHARS", "SEQ",
    }
)  # fmt: skip
"""Fält som bara visar något ur dokumentet självt (sidnummer, datum, egenskaper)."""

# Relationer (sista ledet i Type) som bär in något aktivt eller något utifrån, även när målet
# ligger i paketet.
_AKTIVA_RELATIONER = frozenset(
    {
        "vbaproject", "vbadata", "oleobject", "package", "control", "activexcontrol",
        "afchunk", "subdocument", "attachedtemplate", "frame", "externallink",
    }
)  # fmt: skip
_RELATIONSTYP = re.compile(r'\bType\s*=\s*"([^"]*)"')
_AKTIVA_DELAR = re.compile(r"(vbaProject|vbaData|/activeX/|/embeddings/|\.bin$)", re.IGNORECASE)
_FALT_ATTRIBUT = re.compile(r'\bw:instr="([^"]*)"')
_FALT_TEXT = re.compile(r"<w:instrText\b[^>]*>([^<]*)</w:instrText>")
# Slutet på allt som inte är en del av en textrad (stycken, celler, egenskaper) skiljer texter
# åt; textbitar, länkar och fält i samma stycke hör ihop (Word delar text i många bitar).
_STYCKESSLUT = re.compile(
    r"</(?!w:(?:t|r|hyperlink|smartTag|ins|fldSimple|sdtContent|sdt)>)[^>]+>|<w:(?:br|tab)[^>]*/>"
)
_TAGG = re.compile(r"<[^>]*>")


def _fel(text: str, forvantat: str | None = None, kod: str = "mall") -> FilFel:
    return FilFel(f"{MALLFIL} {text}", forvantat=forvantat, kod=kod)


def _falt(xml: str) -> list[str]:
    """Fältens namn (första ordet i instruktionen) i en XML-del: enkla fält (``w:instr``) och
    sammansatta, vars instruktion kan vara delad på flera ``w:instrText`` mellan ``begin`` och
    ``separate``/``end``."""
    instruktioner = [html.unescape(a) for a in _FALT_ATTRIBUT.findall(xml)]
    for bit in re.split(r'w:fldCharType="begin"', xml)[1:]:
        bit = re.split(r'w:fldCharType="(?:separate|end)"', bit, maxsplit=1)[0]
        instruktioner.append("".join(html.unescape(t) for t in _FALT_TEXT.findall(bit)))
    namn = []
    for instruktion in instruktioner:
        ord_ = re.findall(r"[A-Za-z]+", instruktion)
        namn.append(ord_[0].upper() if ord_ else "")
    return [n for n in namn if n]


def _text_i_del(xml: str) -> str:
    """Texten i en XML-del som den syns: textbitarna i ett stycke ihop, styckena på egna rader."""
    return html.unescape(_TAGG.sub("", _STYCKESSLUT.sub("\n", xml)))


def _prova_paketet(arkiv: zipfile.ZipFile) -> None:
    infon = arkiv.infolist()
    if len(infon) > _MAX_DELAR:
        raise _fel(f"har {len(infon)} delar; högst {_MAX_DELAR} läses", kod="for_stor")
    if sum(max(i.file_size, 0) for i in infon) > MAX_MALL:
        raise _fel(f"är för stor uppackad (högst {MAX_MALL >> 20} MB)", kod="for_stor")
    namn = [i.filename for i in infon]
    if "[Content_Types].xml" not in namn or "word/document.xml" not in namn:
        raise _fel("är inget Word-dokument (.docx)", _SOM_DOCX)
    if any(ar_personnummer(n) for n in namn):
        raise _fel("har en del vars namn ser ut som ett personnummer (namnet visas inte)",
                   kod="personnummer")  # fmt: skip
    if any(_AKTIVA_DELAR.search(n) for n in namn):
        raise _fel("innehåller makron, ActiveX-kontroller eller inbäddade objekt",
                   "en mall utan makron och inbäddade objekt (spara som .docx i Word)")  # fmt: skip
    for info in infon:
        data = arkiv.read(info)
        if info.filename.endswith((".xml", ".rels")):
            _prova_del(info.filename, data.decode("utf-8", "replace"))
        elif ar_personnummer(data.decode("latin-1")):
            # en bild (logotypen, miniatyren) kan ha text i sina metadata (PNG tEXt, EXIF)
            raise _fel(
                "har en bild eller annan fil med något som ser ut som ett personnummer i sina "
                "metadata; mallen används inte (värdet visas inte)",
                "inga personnummer i underlaget (spara bilden utan metadata)",
                kod="personnummer",
            )


def _prova_del(delnamn: str, xml: str) -> None:
    if re.search(r"<!(?:DOCTYPE|ENTITY)", xml, re.IGNORECASE):
        # entiteter: en "billion laughs" eller en extern entitet (som blir ogiltig XML i
        # rapport.docx); Word skriver aldrig några
        raise _fel("har en del med DOCTYPE eller entiteter (Word skriver inga sådana)", _SOM_DOCX)
    if "macroEnabled" in xml and delnamn == "[Content_Types].xml":
        raise _fel("är ett dokument med makron (.docm)", "en mall sparad som .docx utan makron")
    if delnamn.endswith(".rels"):
        if re.search(r'TargetMode\s*=\s*"External"', xml, re.IGNORECASE):
            raise _fel(
                "pekar på något utanför dokumentet (en länk, en länkad bild eller en mall på "
                "nätet som Word skulle hämta)",
                "en mall utan länkar och länkade bilder (ta bort dem, eller bädda in bilden)",
            )
        typer = {t.rstrip("/").rsplit("/", 1)[-1].lower() for t in _RELATIONSTYP.findall(xml)}
        if typer & _AKTIVA_RELATIONER:
            raise _fel("innehåller makron, inbäddade objekt eller en kopplad mall",
                       "en mall utan makron och inbäddade objekt")  # fmt: skip
    okanda = sorted({f for f in _falt(xml) if f not in TILLATNA_FALT})
    if okanda:
        raise _fel(
            f"har fält som hämtar, länkar eller kör något ({', '.join(okanda[:5])[:80]})",
            "bara fält för sidnummer, datum och dokumentets egenskaper (ta bort de andra i Word)",
        )
    if ar_personnummer(xml) or ar_personnummer(_text_i_del(xml)):
        raise _fel(
            "innehåller något som ser ut som ett personnummer (i sidhuvud, sidfot, egenskaper "
            "eller annan text); mallen används inte (värdet visas inte)",
            "inga personnummer i underlaget",
            kod="personnummer",
        )


def las_mall(sokvag: str | os.PathLike[str]) -> bytes | None:
    """Förbundets ``mall.docx`` som bytes, prövad (se modulen); ``None`` om den saknas.

    Raises
    ------
    FilFel
        Om mallen inte får eller kan användas, med svensk text.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "mall.docx").write_bytes(b"inte en zip")
    >>> try:
    ...     las_mall(d / "mall.docx")
    ... except FilFel as fel:
    ...     print(fel)
    mall.docx är inget Word-dokument (.docx)
    """
    sokvag = Path(sokvag)
    if not sokvag.exists() and not sokvag.is_symlink():
        return None
    try:
        data = las_bytes(sokvag, rot=sokvag.parent, max_storlek=MAX_MALL)
    except FilFel as fel:
        raise _fel(fel.meddelande.removeprefix("filen "), fel.forvantat, fel.kod) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as arkiv:
            _prova_paketet(arkiv)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError,
            ValueError, KeyError):  # fmt: skip
        raise _fel("är inget Word-dokument (.docx)", _SOM_DOCX) from None
    _oppna(data)
    return data


def _oppna(data: bytes) -> None:
    """Öppna mallen som rapporten gör (python-docx, sidhuvud och sidfot); ett paket där en del
    saknas eller är trasig XML ger ett svenskt fel här i stället för ett engelskt i notebooken."""
    import docx

    try:
        dokument = docx.Document(io.BytesIO(data))
        for sektion in dokument.sections:
            for del_ in (sektion.header, sektion.footer, sektion.first_page_header,
                         sektion.first_page_footer, sektion.even_page_header,
                         sektion.even_page_footer):  # fmt: skip
                _ = [p.text for p in del_.paragraphs]
        _ = dokument.styles, dokument.core_properties.title
    except Exception:  # allt som python-docx kan kasta blir samma svenska fel
        raise _fel(
            "går inte att öppna som Word-dokument (en del saknas eller är trasig)", _SOM_DOCX
        ) from None


def mallproblem(katalog: str | os.PathLike[str]) -> list[Problem]:
    """Problemen med förbundets ``mall.docx`` (tom lista om den saknas eller går att använda)."""
    try:
        las_mall(Path(katalog) / MALLFIL)
    except FilFel as fel:
        text = fel.meddelande.removeprefix(f"{MALLFIL} ")
        return [Problem(text, fil=MALLFIL, forvantat=fel.forvantat, kod=fel.kod)]
    return []
