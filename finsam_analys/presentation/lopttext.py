"""Förbundets löptext i rapporten: hänvisningarnas tal som text, svensk typografi, rubriknivåer.

Löptexten är Markdown som förbundet skriver (``text/2019/resultatanalys.md``). Tal skrivs som
hänvisningar till rapportens nyckeltal (``{{antal_avslut}}``, ``{{andel_avslut_Arbete |
procent}}``); rapporten slår upp dem efter kontrollpunkterna och :func:`varde_som_text` skriver
dem som tabellerna gör: avrundade halva uppåt, svenska tal, maskade som ``..``.
:func:`forbered_markdown` ger texten svenska citattecken och rubriker på rätt nivå; den visas
sedan genom :func:`finsam_analys.presentation.saker_text.markdown_som_html` (ingen rå HTML,
inga bilder, inga länkar).

Examples
--------
>>> varde_som_text(7 / 55, "andel", 0), varde_som_text(-0.12, "procentenheter", 0)
('13\\xa0%', '−12 procentenheter')
>>> forbered_markdown('Målet är "egen försörjning".\\n\\n## Resultat', niva=2)
'Målet är ”egen försörjning”.\\n\\n### Resultat'
"""

from __future__ import annotations

import math
import re
from typing import Any

from finsam_analys.tabell import MASKAD, ar_maskad

__all__ = [
    "FORMATMATT",
    "SAKNAS_TEXT",
    "forbered_markdown",
    "markdown_text",
    "svenska_citattecken",
    "varde_som_text",
]

FORMATMATT: dict[str, tuple[str, int]] = {
    "antal": ("antal", 0),
    "tal": ("tal", 0),
    "tal1": ("tal", 1),
    "tal2": ("tal", 2),
    "procent": ("andel", 0),
    "procent1": ("andel", 1),
    "procentenheter": ("procentenheter", 0),
}
"""Formathint i en hänvisning -> (mått, decimaler)."""

SAKNAS_TEXT = "–"
"""Ett nyckeltal utan värde (uppgiften saknas i underlaget), som i tabellerna."""

_RUBRIK = re.compile(r"^(#{1,6})(\s+\S.*)$")
_STAKET = re.compile(r"^\s*(```|~~~)")
_MARKDOWNTECKEN = re.compile(r"([\\`*_\[\]{}<>#|!~])")


def _saknas(varde: Any) -> bool:
    if varde is None:
        return True
    try:
        return isinstance(varde, float) and math.isnan(varde)
    except TypeError:  # pragma: no cover
        return False


def varde_som_text(varde: Any, matt: str, decimaler: int) -> str:
    """Ett värde som svensk text i löptext, enligt måttet (redan avrundat eller exakt).

    Andelar i procent, procentenheter och förändringar med tecken, tal med mellanrum som
    tusentalsavgränsare och decimalkomma, bedömningar i ord; ``..`` för maskat och ``–``
    för saknat.

    Examples
    --------
    >>> varde_som_text(127.0, "antal", 0), varde_som_text(0.2014, "forandring", 0)
    ('127', '+20\\xa0%')
    >>> varde_som_text("..", "antal", 0), varde_som_text(None, "andel", 0)
    ('..', '–')
    >>> varde_som_text(False, "bedomning", 0), varde_som_text(8.456, "tal", 2)
    ('ej uppfyllt', '8,46')
    """
    from finsam_analys.presentation import formatering as f

    if ar_maskad(varde):
        return MASKAD
    if _saknas(varde):
        return SAKNAS_TEXT
    if matt == "bedomning" or isinstance(varde, bool):
        if matt != "bedomning":
            return "ja" if varde else "nej"
        return "uppfyllt" if varde is True else ("ej uppfyllt" if varde is False else str(varde))
    if isinstance(varde, str):
        return markdown_text(varde)
    if matt == "andel":
        return f.formatera_procent(varde, decimaler)
    if matt == "procentenheter":
        return f.formatera_procentenheter(varde, decimaler)
    if matt == "forandring":
        text = f.formatera_procent(varde, decimaler)
        return "+" + text if float(varde) > 0 and not text.startswith("0") else text
    return f.formatera_tal(varde, decimaler)


def markdown_text(text: str) -> str:
    """Text som ska stå som den är i Markdown (inga tecken som formaterar).

    Examples
    --------
    >>> markdown_text("MAC *nya* [grupp]")
    'MAC \\\\*nya\\\\* \\\\[grupp\\\\]'
    """
    return _MARKDOWNTECKEN.sub(r"\\\1", str(text))


def svenska_citattecken(text: str) -> str:
    """Raka citattecken och apostrofer som svenska (”…”, ’).

    Examples
    --------
    >>> svenska_citattecken('"grön rehab" och \\'Läge\\'')
    '”grön rehab” och ’Läge’'
    """
    return text.replace('"', "”").replace("'", "’")


def forbered_markdown(text: str, *, niva: int = 2) -> str:
    """Förbundets Markdown redo att visas under en rubrik på nivå ``niva``.

    Raka citattecken blir svenska (utom i kodblock), och rubrikerna i texten hamnar under
    delens rubrik: textens största rubrik blir nivå ``niva + 1`` (högst 6).

    Examples
    --------
    >>> forbered_markdown("# A\\n\\ntext\\n\\n## B", niva=2)
    '### A\\n\\ntext\\n\\n#### B'
    """
    rader = text.split("\n")
    kod = False
    nivaer = []
    for rad in rader:
        if _STAKET.match(rad):
            kod = not kod
        elif not kod and (traff := _RUBRIK.match(rad)):
            nivaer.append(len(traff.group(1)))
    skift = (niva + 1 - min(nivaer)) if nivaer else 0
    ut = []
    kod = False
    for rad in rader:
        if _STAKET.match(rad):
            kod = not kod
            ut.append(rad)
            continue
        if kod:
            ut.append(rad)
            continue
        if traff := _RUBRIK.match(rad):
            rad = "#" * max(1, min(6, len(traff.group(1)) + skift)) + traff.group(2)
        ut.append(svenska_citattecken(rad))
    return "\n".join(ut)
