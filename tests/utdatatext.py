"""Det styrelsen ser i en rapport, som text, och det som inte får stå där.

Hjälp för testerna (inte ett test): :func:`html_text`, :func:`xlsx_text` och :func:`docx_text`
tar ut all text som en läsare ser (även figurernas text, alt-texter och bladnamn), och
:func:`utvecklartext` hittar det som hör till utvecklarna och inte till styrelsen: kommandon,
modul-, tabell-, fil- och kolumnnamn, ifyllda hänvisningar som blev kvar, och avsteg från
svensk typografi (raka citattecken, bindestreck som minustecken, mellanslag före punkt).

>>> utvecklartext('Rapporten skapas med `make rapport` (tabellen enkat), se "andel_publicerad".')
['andel_publicerad', 'make rapport', '_publicerad', '(tabellen ', 'raka citattecken: "']
>>> utvecklartext("Resultatet är −12 procentenheter mot målet (13 % av 55).")
[]
"""

from __future__ import annotations

import re
from pathlib import Path

FORBJUDNA: tuple[str, ...] = (
    # kommandon och paketet
    "finsam-analys",
    "finsam_analys",
    "make rapport",
    "make test",
    "make lab",
    "papermill",
    "nbconvert",
    "notebook",
    # datamodellens tabeller och filer
    "_publicerad",
    "(tabellen ",
    "tabellen mal",
    ".csv",
    ".xlsx",
    ".yaml",
    ".ipynb",
    ".json",
    "nyckeltal_publicerade",
    "deltagarantal",
    "halsoenkat",
    "helarsekvivalenter",
    "ersattningsperioder",
    "granskning_pastaenden",
    "eget_kapital",
    "kalltabell",
    # moduler
    "rapportdelar",
    "inlasning",
    "rakning",
    "gemensamt",
    "tabellvisning",
    "kontrollpunkt",
    "sammanstallning",
    "rapportspec",
    # rester av programmet
    "{{",
    "}}",
    "Traceback",
    "Exception",
    "KeyError",
    "NaN",
    "None",
)
"""Strängar som aldrig får stå i det som styrelsen läser (skiftlägesokänsligt för ord)."""

_SNAKE = re.compile(r"\b[a-zåäö0-9]+(?:_[a-zåäö0-9]+)+\b")
_MINUS = re.compile(r"(?<![\w.,/–-])-(?=\d)")
_FORE_PUNKT = re.compile(r"\w \.(?!\.)")


def utvecklartext(text: str) -> list[str]:
    """Allt i ``text`` som inte hör hemma i en rapport till styrelsen (tom lista: inget).

    Förbjudna strängar (:data:`FORBJUDNA`), identifierare med understreck
    (``andel_publicerad``), raka citattecken, bindestreck som minustecken (``-12``) och
    mellanslag före punkt.
    """
    fynd: list[str] = []
    for ord_ in _SNAKE.findall(text):
        fynd.append(ord_)
    for s in FORBJUDNA:
        traff = re.search(re.escape(s), text) if not s.isalpha() else re.search(
            rf"\b{re.escape(s)}\b", text)  # fmt: skip
        if traff:
            fynd.append(s)
    if '"' in text:
        fynd.append('raka citattecken: "')
    if m := _MINUS.search(text):
        fynd.append(f"bindestreck som minustecken: {text[max(0, m.start() - 20): m.end() + 5]!r}")
    if m := _FORE_PUNKT.search(text):
        fynd.append(f"mellanslag före punkt: {text[max(0, m.start() - 20): m.end() + 1]!r}")
    return list(dict.fromkeys(fynd))


def html_text(html: str) -> str:
    """All text som en läsare av HTML-rapporten ser eller hör: brödtext, tabeller, figurernas
    text, alt-texter och sidans titel (stilar och skript räknas inte)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tagg in soup(["style", "script"]):
        tagg.decompose()
    for tagg in soup(["strong", "em", "b", "i", "span", "small", "sup", "sub", "a", "code"]):
        tagg.unwrap()  # text i löpande rad: inga extra mellanslag runt fetstil och kursiv
    soup.smooth()
    delar = [soup.get_text(" ")]
    for tagg in soup.find_all(True):
        for attribut in ("alt", "title", "aria-label"):
            if tagg.get(attribut):
                delar.append(str(tagg[attribut]))
    # nbconvert lägger ett ankartecken (¶) efter rubriker i Markdown-celler
    return "\n".join(delar).replace("¶", "")


def xlsx_text(sokvag: str | Path) -> str:
    """Bladnamn och alla cellers text i en arbetsbok."""
    import openpyxl

    bok = openpyxl.load_workbook(sokvag, read_only=True)
    try:
        delar = []
        for blad in bok.worksheets:
            delar.append(blad.title)
            for rad in blad.iter_rows(values_only=True):
                delar += [str(v) for v in rad if isinstance(v, str)]
        return "\n".join(delar)
    finally:
        bok.close()


def docx_text(sokvag: str | Path) -> str:
    """All text i ett Word-dokument: stycken, tabellceller, sidhuvud, sidfot och alt-texter."""
    import docx  # python-docx

    dok = docx.Document(str(sokvag))
    delar = [p.text for p in dok.paragraphs]
    for tabell in dok.tables:
        for rad in tabell.rows:
            delar += [c.text for c in rad.cells]
    for sektion in dok.sections:
        delar += [p.text for p in sektion.header.paragraphs + sektion.footer.paragraphs]
    for el in dok.element.body.iter():
        if el.tag.endswith("}docPr") and el.get("descr"):
            delar.append(el.get("descr"))
    return "\n".join(delar)


def rapportfiler(utdata: Path) -> list[Path]:
    """Alla rapporter i en utdatakatalog som styrelsen läser: HTML, Word och Excel."""
    ut = []
    for monster in ("*/*/rapport.html", "*/*/rapport.docx", "*/*/tabeller.xlsx"):
        ut += sorted(utdata.glob(monster))
    return ut


def fynd_i_fil(sokvag: Path) -> list[str]:
    """Utvecklartext i en rapportfil (HTML, docx eller xlsx)."""
    if sokvag.suffix == ".html":
        return utvecklartext(html_text(sokvag.read_text(encoding="utf-8")))
    if sokvag.suffix == ".docx":
        return utvecklartext(docx_text(sokvag))
    if sokvag.suffix == ".xlsx":
        return utvecklartext(xlsx_text(sokvag))
    raise ValueError(f"Okänd rapportfil: {sokvag}")
