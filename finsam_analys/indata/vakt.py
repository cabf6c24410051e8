"""Vakten för allt som verktyget skriver ut eller skriver till fil: personnummer och styrtecken.

Indata som innehåller personnummer vägras redan vid inläsningen (:mod:`.personnummer`). Vakten
här är den andra spärren, vid utgången: varje text som skrivs i terminalen, i HTML, i
notebooken, i ``index.html``, ``nyckeltal.json``, ``tabeller.xlsx`` och CSV-filerna går genom
:func:`~finsam_analys.indata.personnummer.dolj_personnummer`, oavsett varifrån texten kom
(ett undantag, ett katalognamn, ett kommandoradsargument).

Värden som citeras ur indata (en rubrik, en cell, ett filnamn) visas med :func:`visbar`:
styrtecken (t.ex. ANSI-koder som färgar eller flyttar markören i terminalen) skrivs som
``\\x1b`` i stället för att utföras.

>>> visbar("an\\x1b[31mtal 19121212-1212")
'an\\\\x1b[31mtal [personnummer borttaget]'
>>> dolj_i_struktur({"text": "19121212-1212", "tal": 1212121212})
{'text': '[personnummer borttaget]', 'tal': 1212121212}
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import re
from collections.abc import Mapping
from typing import Any, TextIO

from finsam_analys.indata.personnummer import dolj_personnummer, kan_innehalla_personnummer

__all__ = [
    "VaktadStrom",
    "dolj_i_html",
    "dolj_i_notebook",
    "dolj_i_struktur",
    "dolj_personnummer",
    "visbar",
    "visbart_namn",
]

# C0 utom tabb och radbrytning, DEL, C1, och Unicodes riktningsstyrning (som kan vända text)
_STYRTECKEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# i terminalen får vagnretur (förloppsindikatorn) och tabb stå kvar
_STYRTECKEN_TERMINAL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def _escape(traff: re.Match[str]) -> str:
    kod = ord(traff.group(0))
    return f"\\x{kod:02x}" if kod < 0x100 else f"\\u{kod:04x}"


def visbar(text: Any) -> str:
    r"""Ett värde ur indata som säker text: styrtecken synliga, personnummer borttagna.

    Radbrytningar och tabbar står kvar; allt annat som en terminal skulle utföra (ANSI-koder,
    vagnretur, backsteg, riktningsstyrning) skrivs som ``\xNN``/``\uNNNN``.

    Examples
    --------
    >>> visbar("rad\rny")
    'rad\\x0dny'
    >>> visbar("Kön\tålder")
    'Kön\tålder'
    """
    return dolj_personnummer(_STYRTECKEN.sub(_escape, str(text)))


def visbart_namn(text: Any) -> str:
    r"""Ett namn (katalog, fil, förbund) som säker text på en rad: som :func:`visbar`, och
    radbrytningar och tabbar skrivs också som ``\n`` och ``\t`` (ett namn med en radbrytning
    kunde annars skriva en egen rad i terminalen, t.ex. en falsk ``OK``-rad).

    >>> print(visbart_namn("ny\nOK  rad\t1"))
    ny\nOK  rad\t1
    """
    return visbar(text).replace("\n", "\\n").replace("\t", "\\t")


def dolj_i_struktur(varde: Any) -> Any:
    """Ta bort personnummer ur varje text (även nycklar) i en struktur av dict, list och text.

    Tal och andra värden lämnas orörda: ett räknat tal är aldrig ett personnummer, och en
    JSON-fil ska förbli giltig.
    """
    if isinstance(varde, str):
        return dolj_personnummer(varde)
    if isinstance(varde, Mapping):
        return {dolj_i_struktur(k): dolj_i_struktur(v) for k, v in varde.items()}
    if isinstance(varde, list):
        return [dolj_i_struktur(v) for v in varde]
    if isinstance(varde, tuple):
        return tuple(dolj_i_struktur(v) for v in varde)
    return varde


# data:-URI:er i HTML. Binära bilder (PNG …) innehåller ingen text; SVG är text och granskas.
_DATA_URI = re.compile(r"data:([A-Za-z0-9.+/-]+);base64,([A-Za-z0-9+/=]*)")


def _dolj_i_data_uri(traff: re.Match[str]) -> str:
    typ, data = traff.group(1), traff.group(2)
    if typ.lower() != "image/svg+xml":
        return traff.group(0)
    try:
        text = base64.b64decode(data).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return traff.group(0)
    dold = dolj_personnummer(text)
    if dold == text:
        return traff.group(0)
    return f"data:{typ};base64,{base64.b64encode(dold.encode('utf-8')).decode('ascii')}"


def dolj_i_html(text: str) -> str:
    """Ta bort personnummer ur ett HTML-dokument, även inuti inbäddade SVG-bilder (base64).

    Base64-data ändras aldrig på måfå: inbäddade bilder avkodas, granskas och kodas igen, och
    texten utanför dem granskas för sig.

    Examples
    --------
    >>> svg = base64.b64encode(b"<svg><text>19121212-1212</text></svg>").decode()
    >>> ut = dolj_i_html(f'<p>19121212-1212</p><img src="data:image/svg+xml;base64,{svg}">')
    >>> ut.startswith("<p>[personnummer borttaget]</p>")
    True
    >>> b"borttaget" in base64.b64decode(ut.split("base64,")[1].split('"')[0])
    True
    """
    traffar = list(_DATA_URI.finditer(text))
    utanfor, bilder, slut = [], [], 0
    for traff in traffar:
        utanfor.append(text[slut : traff.start()])
        slut = traff.end()
        if traff.group(1).lower() == "image/svg+xml":
            with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                bilder.append(base64.b64decode(traff.group(2)).decode("utf-8"))
    utanfor.append(text[slut:])
    # snabbväg (det vanliga): ingen sifferföljd med ett nummers form, varken i texten eller i
    # bilderna; allt prövas på en gång
    if not any(kan_innehalla_personnummer("\n".join(d)) for d in (utanfor, bilder)):
        return text
    delar = []
    for del_, traff in zip(utanfor, [*traffar, None], strict=True):
        delar.append(dolj_personnummer(del_))
        if traff is not None:
            delar.append(_dolj_i_data_uri(traff))
    return "".join(delar)


_BINARA_MIME = ("image/png", "image/jpeg", "image/gif", "application/pdf")


def dolj_i_notebook(nb: Any) -> Any:
    """Ta bort personnummer ur varje text i en notebook (källkod, utdata, felspår, metadata).

    Notebooken muteras (den är redan en kopia som bara ska sparas). Binära bilder (base64)
    lämnas orörda; SVG och HTML i utdata granskas som text.
    """

    def gransk(nod: Any, nyckel: str | None = None) -> Any:
        if isinstance(nod, str):
            if nyckel in _BINARA_MIME:
                return nod
            return dolj_i_html(nod) if nyckel == "text/html" else dolj_personnummer(nod)
        if isinstance(nod, dict):
            for k in list(nod):
                nod[k] = gransk(nod[k], k)
            return nod
        if isinstance(nod, list):
            for i, v in enumerate(nod):
                nod[i] = gransk(v, nyckel)
            return nod
        return nod

    return gransk(nb)


class VaktadStrom(io.TextIOBase):
    r"""En textström (t.ex. ``sys.stderr``) som tar bort personnummer och styrtecken.

    Texten skickas vidare rad för rad (vid ``\n`` eller ``\r``), så att ett nummer som
    skrivs i två delar ändå hittas. Vid ``flush`` skickas allt utom en avslutande följd av
    siffror, ``-`` och ``+`` (början på ett möjligt nummer), som väntar på resten.

    Examples
    --------
    >>> mal = io.StringIO()
    >>> strom = VaktadStrom(mal)
    >>> _ = strom.write("FEL 191212"); _ = strom.write("121212 2019\n")
    >>> mal.getvalue()
    'FEL [personnummer borttaget] 2019\n'
    """

    def __init__(self, mal: TextIO) -> None:
        super().__init__()
        self.mal = mal
        self._vantar = ""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.mal, "encoding", "utf-8")

    def isatty(self) -> bool:
        return bool(getattr(self.mal, "isatty", lambda: False)())

    def fileno(self) -> int:
        return self.mal.fileno()

    def writable(self) -> bool:
        return True

    def _skicka(self, text: str) -> None:
        if text:
            self.mal.write(_STYRTECKEN_TERMINAL.sub(_escape, dolj_personnummer(text)))

    def write(self, text: str) -> int:
        self._vantar += text
        sista = max(self._vantar.rfind("\n"), self._vantar.rfind("\r"))
        if sista >= 0:
            self._skicka(self._vantar[: sista + 1])
            self._vantar = self._vantar[sista + 1 :]
        return len(text)

    def flush(self) -> None:
        svans = re.search(r"[0-9+-]*\Z", self._vantar)
        kvar = svans.start() if svans else len(self._vantar)
        self._skicka(self._vantar[:kvar])
        self._vantar = self._vantar[kvar:]
        self.mal.flush()

    def tom(self) -> None:
        """Skicka allt som väntar (när inget mer kommer)."""
        self._skicka(self._vantar)
        self._vantar = ""
        self.mal.flush()
