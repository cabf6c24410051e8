"""En tabellcell som den är tryckt: tal, procent, "a av b", n, föregående år och enhet.

Förbunden trycker mer än ett tal per cell: ``7 (13%)`` (antal och andel), ``59 % (10 av 17)``
(andel med täljare och nämnare), ``78 % (n=45)`` (andel av antal svarande), ``13 (12)`` (i år
och förra året) eller ``13 310 tkr`` (belopp med enhet). :func:`tolka_cell` delar upp en sådan
text i sina delar och minns hur många decimaler varje tal trycktes med, så att granskningen kan
bedöma precisionen per tryckt värde (en korrekt avrundning är aldrig en avvikelse).

Symboler (SCB): ``..`` uppgift saknas eller redovisas inte, ``–`` eller ``-`` inget att
redovisa (räknas som 0 i summor), tom cell = inget tryckt.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["TolkningsFel", "TrycktCell", "decimaler_i", "tolka_cell", "tolka_maltext", "tolka_tal"]

_MINUS = "−–—-"  # typografiskt minus, tankstreck och bindestreck
_SAKNAS = {"..", "…", "...", "x", "X"}
_INGET = {"–", "-", "—", "−"}
ENHETER: dict[str, str] = {
    "kr": "kr",
    "kronor": "kr",
    "sek": "kr",
    "tkr": "tkr",
    "tusen kr": "tkr",
    "mkr": "mkr",
    "mnkr": "mkr",
    "miljoner kr": "mkr",
    "%": "procent",
    "procent": "procent",
    "st": "antal",
    "st.": "antal",
    "personer": "antal",
    "pers": "antal",
    "mån": "manader",
    "mån.": "manader",
    "månader": "manader",
    "år": "ar",
    "p": "poang",
    "poäng": "poang",
    "dagar": "dagar",
    "veckor": "veckor",
    "heå": "hae",
    "håe": "hae",
}
"""Enheter som får stå efter ett tal i en cell, och vad de betyder."""

_TAL = r"[+−–—-]?\s?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[,.]\d+)?|[+−–—-]?\s?\d+(?:[,.]\d+)?"
_ENHET = "|".join(re.escape(e) for e in sorted(ENHETER, key=len, reverse=True) if e not in ("%",))
_TAL_MED_ENHET = re.compile(
    rf"^\s*(?P<tal>{_TAL})\s*(?P<procent>%|procent(?![a-zåäö]))?\s*(?P<enhet>(?:{_ENHET})(?![a-zåäö]))?\s*$",
    re.IGNORECASE,
)
_PARENTES = re.compile(r"^(?P<huvud>[^()]*?)\s*\((?P<inre>[^()]*)\)\s*$")
_AV = re.compile(rf"^\s*(?P<t>{_TAL})\s*(?:av|/)\s*(?P<n>{_TAL})\s*$", re.IGNORECASE)
_N = re.compile(rf"^\s*n\s*[=:]\s*(?P<n>{_TAL})\s*$", re.IGNORECASE)
_N_EFTER = re.compile(rf"^(?P<huvud>.*?%)\s*,?\s*n\s*[=:]\s*(?P<n>{_TAL})\s*$", re.IGNORECASE)


class TolkningsFel(ValueError):
    """En cell som inte går att tolka; meddelandet säger vad som förväntades (svenska)."""


@dataclass(frozen=True)
class TrycktCell:
    """En tryckt cell uppdelad i sina tal.

    ``varde`` är cellens huvudtal (NaN när cellen är tom, ``..`` eller text), ``decimaler``
    antalet tryckta decimaler, ``procent`` om huvudtalet trycktes med ``%``. ``andel`` är en
    procentsats i parentes efter ett antal (``7 (13%)``). ``taljare``/``namnare`` kommer ur
    ``a av b``; ``namnare`` också ur ``n=45``. ``foregaende`` är föregående periods värde i
    parentes (bara när tabellen säger att parentesen betyder det). ``enhet`` är enheten som
    står i cellen (``kr``, ``tkr``, ``mkr``, ``manader`` …), ``symbol`` är ``..`` eller ``–``
    när cellen är en sådan symbol, och ``text`` är cellen som den är tryckt.
    """

    text: str
    varde: float = math.nan
    decimaler: int = 0
    procent: bool = False
    enhet: str | None = None
    andel: float = math.nan
    andel_decimaler: int = 0
    taljare: float = math.nan
    namnare: float = math.nan
    foregaende: float = math.nan
    foregaende_decimaler: int = 0
    foregaende_procent: bool = False
    symbol: str | None = None
    fritext: bool = False

    @property
    def tom(self) -> bool:
        """Inget tryckt i cellen."""
        return self.text == ""

    @property
    def har_tal(self) -> bool:
        return not math.isnan(self.varde)


def decimaler_i(text: str) -> int:
    """Antal tryckta decimaler i ett tal som text.

    >>> decimaler_i("16,3"), decimaler_i("14,0"), decimaler_i("1 775 000"), decimaler_i("8.46")
    (1, 1, 0, 2)
    """
    m = re.search(r"[,.](\d+)\s*$", text.strip())
    if m and not re.search(r"\d[ \u00a0\u202f]\d{3}$", text.strip()):
        return len(m.group(1))
    return 0


def tolka_tal(text: str) -> tuple[float, int]:
    """Ett tryckt tal (mellanslag som tusentalsavgränsare, decimalkomma, minus av alla slag).

    >>> tolka_tal("−2 155"), tolka_tal("+20 000"), tolka_tal("16,3"), tolka_tal("- 9 000")
    ((-2155.0, 0), (20000.0, 0), (16.3, 1), (-9000.0, 0))
    """
    t = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    tecken = 1.0
    if t and t[0] in _MINUS:
        tecken, t = -1.0, t[1:].strip()
    elif t.startswith("+"):
        t = t[1:].strip()
    decimaler = decimaler_i(t)
    siffror = t.replace(" ", "").replace(",", ".")
    try:
        return tecken * float(siffror), decimaler
    except ValueError:
        raise TolkningsFel(f'"{text}" är inget tal') from None


def _tal_med_enhet(text: str) -> tuple[float, int, bool, str | None] | None:
    m = _TAL_MED_ENHET.match(text.replace("\u00a0", " ").replace("\u202f", " "))
    if not m:
        return None
    varde, dec = tolka_tal(m.group("tal"))
    enhet = m.group("enhet")
    return varde, dec, bool(m.group("procent")), ENHETER[enhet.lower()] if enhet else None


def tolka_cell(text: str | None, *, parentes: str | None = None) -> TrycktCell:
    """Tolka en tryckt cell.

    Parameters
    ----------
    text : str eller None
        Cellen som den är tryckt.
    parentes : {"andel", "foregaende", None}
        Vad ett tal i parentes betyder när det inte självt säger det: ``"foregaende"`` =
        föregående periods värde (``13 (12)``), ``"andel"`` = andel i procent (``7 (13)``).
        ``None``: ``7 (13%)`` är antal med andel, men ``13 (12)`` är tvetydigt och ett fel.

    Returns
    -------
    TrycktCell

    Raises
    ------
    TolkningsFel
        När cellen innehåller siffror men inte går att tolka (fritext utan siffror är tillåten
        och blir ``fritext=True``).

    Examples
    --------
    >>> c = tolka_cell("7 (13%)")
    >>> c.varde, c.andel, c.andel_decimaler
    (7.0, 13.0, 0)
    >>> c = tolka_cell("59 % (10 av 17)")
    >>> c.varde, c.procent, c.taljare, c.namnare
    (59.0, True, 10.0, 17.0)
    >>> tolka_cell("78 % (n=45)").namnare
    45.0
    >>> c = tolka_cell("13 (12)", parentes="foregaende")
    >>> c.varde, c.foregaende
    (13.0, 12.0)
    >>> c = tolka_cell("13 310 tkr")
    >>> c.varde, c.enhet
    (13310.0, 'tkr')
    >>> tolka_cell("–").varde, tolka_cell("..").symbol, tolka_cell("Budget i balans").fritext
    (0.0, '..', True)
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return TrycktCell(text="")
    original = str(text)
    t = original.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if t == "":
        return TrycktCell(text="")
    if t in _SAKNAS:
        return TrycktCell(text=original, symbol="..")
    if t in _INGET:
        return TrycktCell(text=original, varde=0.0, symbol="–")
    enkel = _tal_med_enhet(t)
    if enkel is not None:
        varde, dec, procent, enhet = enkel
        return TrycktCell(text=original, varde=varde, decimaler=dec, procent=procent, enhet=enhet)
    m = _AV.match(t)
    if m:
        taljare, dec = tolka_tal(m.group("t"))
        namnare, _ = tolka_tal(m.group("n"))
        return TrycktCell(
            text=original, varde=taljare, decimaler=dec, taljare=taljare, namnare=namnare
        )
    m = _N_EFTER.match(t)
    if m:
        huvud = _tal_med_enhet(m.group("huvud"))
        if huvud is not None and huvud[2]:
            namnare, _ = tolka_tal(m.group("n"))
            return TrycktCell(
                text=original, varde=huvud[0], decimaler=huvud[1], procent=True, namnare=namnare
            )
    m = _PARENTES.match(t)
    if m:
        return _tolka_parentes(original, m.group("huvud"), m.group("inre").strip(), parentes)
    if re.search(r"\d", t):
        raise TolkningsFel(
            f'"{original}" går inte att tolka som tal, "antal (andel %)", "andel % (a av b)", '
            '"andel % (n=…)" eller "värde (föregående)"'
        )
    return TrycktCell(text=original, fritext=True)


def _tolka_parentes(
    original: str, huvudtext: str, inre: str, parentes: str | None
) -> TrycktCell:
    """En cell med ett tal (eller "a av b") och en parentes: ``huvudtext (inre)``."""
    if huvudtext.strip() == "":  # "(47%)": hela cellen inom parentes
        return replace(tolka_cell(inre, parentes=parentes), text=original)
    huvud = _tal_med_enhet(huvudtext)
    av_huvud = _AV.match(huvudtext)
    if huvud is None and av_huvud is None:
        if not re.search(r"\d", huvudtext):
            return TrycktCell(text=original, fritext=True)
        raise TolkningsFel(f'"{original}": talet före parentesen går inte att tolka')
    # "10 av 17 (59 %)"
    if av_huvud is not None:
        inre_tal = _tal_med_enhet(inre)
        if inre_tal is None or not inre_tal[2]:
            raise TolkningsFel(f'"{original}": efter "a av b" väntades en procentsats i parentes')
        taljare, dec = tolka_tal(av_huvud.group("t"))
        namnare, _ = tolka_tal(av_huvud.group("n"))
        return TrycktCell(
            text=original, varde=taljare, decimaler=dec, taljare=taljare, namnare=namnare,
            andel=inre_tal[0], andel_decimaler=inre_tal[1],
        )  # fmt: skip
    varde, dec, procent, enhet = huvud
    bas = {"text": original, "varde": varde, "decimaler": dec, "procent": procent}
    bas["enhet"] = enhet
    return _tal_och_parentes(original, bas, inre, parentes)


def _tal_och_parentes(
    original: str, bas: dict[str, Any], inre: str, parentes: str | None
) -> TrycktCell:
    """Ett tal (``bas``) med parentesen ``inre``: a av b, n=…, andel eller föregående värde."""
    procent = bas["procent"]
    m_av = _AV.match(inre)
    if m_av:  # "59 % (10 av 17)"
        taljare, _ = tolka_tal(m_av.group("t"))
        namnare, _ = tolka_tal(m_av.group("n"))
        return TrycktCell(**bas, taljare=taljare, namnare=namnare)
    m_n = _N.match(inre)
    if m_n:  # "78 % (n=45)"
        namnare, _ = tolka_tal(m_n.group("n"))
        return TrycktCell(**bas, namnare=namnare)
    inre_tal = _tal_med_enhet(inre)
    if inre_tal is None:
        if not re.search(r"\d", inre):  # "12 (preliminärt)": en kommentar i parentes
            return TrycktCell(**bas)
        raise TolkningsFel(f'"{original}": parentesen "({inre})" går inte att tolka')
    i_varde, i_dec, i_procent, _ = inre_tal
    if not procent and i_procent:  # "7 (13%)": antal och andel
        return TrycktCell(**bas, andel=i_varde, andel_decimaler=i_dec)
    if procent == i_procent:
        if parentes == "foregaende":  # "13 (12)", "13 % (12 %)"
            return TrycktCell(
                **bas, foregaende=i_varde, foregaende_decimaler=i_dec,
                foregaende_procent=i_procent,
            )  # fmt: skip
        if parentes == "andel" and not procent:  # "7 (13)"
            return TrycktCell(**bas, andel=i_varde, andel_decimaler=i_dec)
        raise TolkningsFel(
            f'"{original}": vad betyder talet i parentes? Skriv "7 (13 %)" för antal och '
            "andel, eller ange i tabellbeskrivningen att parentesen är föregående period "
            "(foregaende: parentes)"
        )
    raise TolkningsFel(
        f'"{original}": talet i parentes efter en procentsats ska skrivas "(a av b)" eller '
        '"(n=…)"'
    )


_MINST = re.compile(r"\b(minst|lägst|över|mer än|fler än|öka|ökar|ökat)\b|≥|>=", re.IGNORECASE)
_HOGST = re.compile(
    r"\b(max|maximalt|högst|under|mindre än|färre än|inte överstiga|minska|minskar|minskat)\b|≤|<=",
    re.IGNORECASE,
)
_TAL_I_TEXT = re.compile(rf"(?P<tal>{_TAL})\s*(?P<procent>%|procent)?")


def tolka_maltext(text: str | None) -> tuple[float, int, bool, str | None]:
    """Målvärde, decimaler, procent och riktning ur en tryckt måltext.

    Riktningen är ``"minst"`` eller ``"hogst"`` när texten säger det (minst, över, ≥; max,
    högst, under, ≤), annars ``None``. Utan tal i texten är värdet NaN (ett mål som inte är
    ett tal, t.ex. "Budget i balans").

    >>> tolka_maltext("Max 40 månader på total samhällsnivå")
    (40.0, 0, False, 'hogst')
    >>> tolka_maltext("80% har gjort en stegförflyttning")
    (80.0, 0, True, None)
    >>> tolka_maltext("Budget i balans")
    (nan, 0, False, None)
    """
    if text is None:
        return math.nan, 0, False, None
    t = str(text).replace("\u00a0", " ")
    riktning = "hogst" if _HOGST.search(t) else ("minst" if _MINST.search(t) else None)
    m = _TAL_I_TEXT.search(t)
    if not m:
        return math.nan, 0, False, riktning
    varde, dec = tolka_tal(m.group("tal"))
    return varde, dec, bool(m.group("procent")), riktning
