"""Granskning av publicerade tabeller: räkna om och lista varje inkonsekvens.

En publicerad tabell innehåller delar och härledda värden (summor, differenser, andelar,
förändringar). Funktionerna här räknar om de härledda värdena ur delarna och returnerar en
rad per avvikelse, med kolumnerna

``tabell, rad, kolumn, typ, publicerat, omraknat, avvikelse, kommentar``

där ``avvikelse = publicerat - omraknat`` och ``typ`` är en av :data:`TYPER`.

Toleransregler som respekterar hur siffrorna avrundats:

* En summa av ``n`` delar som var för sig avrundats till heltal (t.ex. SCB:s helårsekvivalenter,
  belopp i tkr) kan avvika med högst ``n/2`` enheter utan att något är fel: den klassas
  ``"avrundning"``. Större avvikelser, och varje avvikelse när delarna är exakta (antal personer,
  belopp i kr), är ``"summa"``.
* En andel eller förändring som publicerats med ``d`` decimaler är rätt om det exakta värdet
  ligger inom en halv enhet i sista decimalen; annars jämförs den med det omräknade värdet
  avrundat till ``d`` decimaler. Är täljaren själv avrundad och det publicerade värdet ryms inom
  den avrundningen blir typen ``"avrundning"``.
* En andel i en summarad som inte stämmer men som är lika med summan av delarnas avrundade
  andelar klassas ``"summa av avrundade delar"``; är den lika med delarnas ovägda medelvärde
  sägs det i kommentaren.

Alla funktioner är rena: DataFrame in, DataFrame ut. Undantaget är :func:`las_pastaenden` som
läser ``granskning_pastaenden.csv`` i en förbundskatalog.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import SUMMAPOST, TOTALGRUPP, TOTALT, ar_summarad
from finsam_analys.indata.pastaenden import PASTAENDE_KOLUMNER, berakna_uttryck, tryckt_tal

__all__ = [
    "KOLUMNER",
    "TYPER",
    "ATT_KONTROLLERA",
    "allvarlighet",
    "antal_kontroller",
    "formatera_fynd",
    "fynd_som_lista",
    "granska_kanoniska",
    "granska_andelar",
    "granska_differenser",
    "granska_forandringar",
    "granska_pastaenden",
    "granska_summor",
    "granska_underlag",
    "granska_varden",
    "las_pastaenden",
    "tomma_fynd",
]

KOLUMNER: tuple[str, ...] = (
    "tabell",
    "rad",
    "kolumn",
    "typ",
    "publicerat",
    "omraknat",
    "avvikelse",
    "kommentar",
)

TYPER: tuple[str, ...] = (
    "summa",
    "differens",
    "andel",
    "avrundning",
    "summa av avrundade delar",
    "varav-delar överstiger totalen",
    "förändring",
    "olika värden",
    "fördelning",
    "bedömning",
    "indikator",
    "varav-delar täcker inte totalen",
    "indikator att kontrollera",
    "riktning",
)
"""Fyndtyper. ``"avrundning"`` är inget fel utan en avvikelse som ryms i avrundningen;
``"olika värden"`` är samma storhet publicerad med olika värden i två tabeller;
``"fördelning"`` är tryckta andelar av en helhet som inte summerar till 100;
``"bedömning"`` är en tryckt bedömning (uppfyllt/ej uppfyllt) som motsäger mål och resultat;
``"indikator"`` är ett tryckt nyckeltal som inte stämmer med omräkningen; ``"riktning"`` är en
text som säger "ökade" eller "minskade" när talen säger motsatsen. ``"varav-delar täcker inte
totalen"`` och ``"indikator att kontrollera"`` är
*att kontrollera* (se :data:`ATT_KONTROLLERA`), inga fel."""

ATT_KONTROLLERA: frozenset[str] = frozenset(
    {"varav-delar täcker inte totalen", "indikator att kontrollera"}
)
"""Fyndtyper som inte är fel men som någon bör titta på: en varav-lista som inte täcker sin
total (och inte är markerad som ofullständig), ett nyckeltal för en insats som inte finns som
egen insats i underlaget och som inte stämmer med hela underlaget."""


def allvarlighet(typ: str) -> str:
    """``"avvikelse"``, ``"avrundning"`` eller ``"att kontrollera"`` för en fyndtyp.

    >>> allvarlighet("summa"), allvarlighet("avrundning"), allvarlighet("indikator att kontrollera")
    ('avvikelse', 'avrundning', 'att kontrollera')
    """
    if typ == "avrundning":
        return "avrundning"
    return "att kontrollera" if typ in ATT_KONTROLLERA else "avvikelse"

_TALKOLUMNER = ("publicerat", "omraknat", "avvikelse")
_EPS = 1e-9


# --------------------------------------------------------------------------- hjälpfunktioner


def tomma_fynd() -> pd.DataFrame:
    """En tom fyndtabell med rätt kolumner och typer.

    Examples
    --------
    >>> list(tomma_fynd().columns)
    ['tabell', 'rad', 'kolumn', 'typ', 'publicerat', 'omraknat', 'avvikelse', 'kommentar']
    """
    return _som_fynd([])


_TOM_FYNDTABELL: list[pd.DataFrame] = []  # mallen för en tom fyndtabell (byggs en gång)


def _som_fynd(rader: list[dict[str, Any]]) -> pd.DataFrame:
    if not rader:
        if not _TOM_FYNDTABELL:
            _TOM_FYNDTABELL.append(
                pd.DataFrame(
                    {
                        k: pd.Series([], dtype="float64" if k in _TALKOLUMNER else "str")
                        for k in KOLUMNER
                    }
                )
            )
        return _TOM_FYNDTABELL[0].copy()
    data = {k: [r.get(k) for r in rader] for k in KOLUMNER}
    fynd = pd.DataFrame(data, columns=list(KOLUMNER))
    for k in ("publicerat", "omraknat", "avvikelse"):
        fynd[k] = pd.to_numeric(fynd[k], errors="coerce").astype("float64")
    for k in ("tabell", "rad", "kolumn", "typ", "kommentar"):
        fynd[k] = fynd[k].fillna("").astype(str)
    return fynd


def antal_kontroller(fynd: pd.DataFrame) -> dict[str, int]:
    """Hur många jämförelser som gjordes per tabell för att få fram fynden (även de som
    stämde), som ``{tabellnamn: antal}``. Varje granskningsfunktion räknar sina jämförelser.

    >>> f = granska_differenser(pd.DataFrame({"a": [3, 5], "b": [1, 1], "d": [2, 3]}),
    ...                         minuend="a", subtrahend="b", differens="d", tabellnamn="budget")
    >>> len(f), antal_kontroller(f)
    (1, {'budget': 2})
    """
    return dict(fynd.attrs.get("kontroller", {}))


def _med_antal(fynd: pd.DataFrame, antal: Mapping[str, int]) -> pd.DataFrame:
    """Sätt antalet jämförelser per tabell (``antal_kontroller``) på en fyndtabell."""
    sammanlagt = antal_kontroller(fynd)
    for namn, n in antal.items():
        if n:
            sammanlagt[namn] = sammanlagt.get(namn, 0) + int(n)
    fynd.attrs = {"kontroller": sammanlagt}
    return fynd


def _sla_ihop(delar: Iterable[pd.DataFrame]) -> pd.DataFrame:
    delar = list(delar)
    antal: dict[str, int] = {}
    for d in delar:
        for namn, n in antal_kontroller(d).items():
            antal[namn] = antal.get(namn, 0) + n
    ifyllda = [d for d in delar if len(d)]
    ut = tomma_fynd() if not ifyllda else pd.concat(ifyllda, ignore_index=True)
    ut.attrs = {}  # concat kan ha fört med sig delarnas antal; de räknas här
    return _med_antal(ut, antal)


def _tal(x: float, decimaler: int | None = None) -> str:
    """Svenskt talformat för kommentarer: mellanslag som tusentalsavgränsare, decimalkomma, −.

    >>> _tal(-4521), _tal(15.636, 2), _tal(1112000)
    ('−4 521', '15,64', '1 112 000')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if decimaler is None:
        decimaler = _decimaler_for(x)
    text = f"{abs(x):,.{decimaler}f}".replace(",", " ").replace(".", ",")
    return ("−" if x < 0 and float(text.replace(" ", "").replace(",", ".")) != 0 else "") + text


def _decimaler_for(x: float) -> int:
    for d in range(0, 7):
        if abs(x - round(x, d)) < 1e-9 * max(1.0, abs(x)):
            return d
    return 6


def _decimaler(varden: Iterable[float]) -> int:
    """Antal decimaler som publicerats: det största antalet som behövs för något av värdena."""
    d = [_decimaler_for(float(v)) for v in varden if v is not None and not pd.isna(v)]
    return min(max(d), 4) if d else 0


def _avrunda(x: float, decimaler: int) -> float:
    """Avrunda med halvor bort från noll (som i tryckta tabeller), inte bankers avrundning.

    >>> _avrunda(37.5, 0), _avrunda(-37.84, 0), _avrunda(14.25, 1)
    (38.0, -38.0, 14.3)
    """
    if pd.isna(x):
        return float("nan")
    skala = 10.0**decimaler
    return math.copysign(math.floor(abs(x) * skala + 0.5 + 1e-9), x) / skala


def _radnamn(etikett: Any) -> str:
    if isinstance(etikett, tuple):
        return " ".join(str(e) for e in etikett if not pd.isna(e) and str(e) != "")
    return str(etikett)


def _ar_lika(a: float, b: float) -> bool:
    return abs(a - b) <= _EPS * max(1.0, abs(a), abs(b))


def _inom_halv_enhet(publicerat: float, exakt: float, decimaler: int) -> bool:
    return abs(publicerat - exakt) <= 0.5 * 10.0**-decimaler + 1e-9 * max(1.0, abs(exakt))


def _numerisk(tabell: pd.DataFrame, kolumner: Sequence[str]) -> pd.DataFrame:
    saknade = [k for k in kolumner if k not in tabell.columns]
    if saknade:
        raise KeyError(f"Kolumnerna {saknade} saknas; tabellen har {list(tabell.columns)}.")
    valda = tabell[list(kolumner)]
    # en kolumn i taget utan DataFrame.apply (fast kostnad per anrop; tabellerna är små), in i
    # en float64-array och en DataFrame; numpy-tal (och sanningsvärden) blir float64 direkt,
    # övriga som med pd.to_numeric(..., errors="coerce").astype("float64")
    tal = np.empty(valda.shape, dtype="float64")
    for i, (_, kolumn) in enumerate(valda.items()):
        if isinstance(kolumn.dtype, np.dtype) and kolumn.dtype.kind in "iufb":
            tal[:, i] = kolumn.to_numpy(dtype="float64")
        else:
            tal[:, i] = pd.to_numeric(kolumn, errors="coerce").astype("float64").to_numpy()
    return pd.DataFrame(tal, index=valda.index, columns=valda.columns)


# --------------------------------------------------------------------------------- summor


def granska_summor(
    tabell: pd.DataFrame,
    *,
    delar: Sequence[Any],
    total: Any,
    axel: Literal["kolumner", "rader"] = "kolumner",
    kolumner: Sequence[str] | None = None,
    tabellnamn: str = "",
    avrundade_delar: bool = False,
    enhet: float = 1.0,
    varav: bool = False,
) -> pd.DataFrame:
    """Kontrollera att delarna summerar till den publicerade totalen.

    Parameters
    ----------
    tabell : DataFrame
        Tabellen som publicerad (bred form). Radetiketten (index) blir ``rad`` i fynden.
    delar : lista
        ``axel="kolumner"``: kolumnerna som ska summeras rad för rad.
        ``axel="rader"``: radetiketterna (index) som ska summeras kolumn för kolumn.
    total : etikett
        Kolumnen (resp. raden) med den publicerade totalen.
    axel : {"kolumner", "rader"}
        Summera över kolumner inom varje rad (radsumma) eller över rader inom varje kolumn.
    kolumner : lista, valfri
        Bara för ``axel="rader"``: vilka kolumner som kontrolleras (standard: alla numeriska).
    tabellnamn : str
        Tabellens namn i fynden.
    avrundade_delar : bool
        Delarna är var för sig avrundade till ``enhet``: en avvikelse på högst
        ``len(delar) * enhet / 2`` klassas ``"avrundning"`` i stället för ``"summa"``.
    enhet : float
        Avrundningsenheten (1 för heltal).
    varav : bool
        Delarna är "varav"-poster som inte behöver täcka totalen: bara en summa som
        överstiger totalen (utöver avrundning) är ett fynd, typ ``"varav-delar överstiger
        totalen"``.

    Returns
    -------
    DataFrame
        Fynd (se :data:`KOLUMNER`); tom om allt stämmer. Saknade delar räknas som 0; rader utan
        total eller utan några delar hoppas över.

    Examples
    --------
    Västerås HÅE 2019: komponenterna summerar till 12 534, tryckt total 12 533 (avrundning);
    Västmanlands län 2019: 22 876 mot tryckta 22 515 (summafel).

    >>> t = pd.DataFrame({"sjuk": [1992, 4041], "ovrigt": [10542, 18835],
    ...                   "Totalt": [12533, 22515]}, index=["Västerås 2019", "Län 2019"])
    >>> f = granska_summor(t, delar=["sjuk", "ovrigt"], total="Totalt", avrundade_delar=True)
    >>> f[["rad", "typ", "publicerat", "omraknat"]].values.tolist()
    [['Västerås 2019', 'avrundning', 12533.0, 12534.0], ['Län 2019', 'summa', 22515.0, 22876.0]]
    """
    if axel == "rader":
        if total not in tabell.index:
            raise KeyError(f"Summaraden {total!r} saknas i tabellen.")
        saknade = [d for d in delar if d not in tabell.index]
        if saknade:
            raise KeyError(f"Raderna {saknade} saknas i tabellen.")
        if kolumner is None:
            kolumner = [
                k
                for k in tabell.columns
                if pd.api.types.is_numeric_dtype(tabell[k])
                or pd.to_numeric(tabell[k], errors="coerce").notna().any()
            ]
        snabbt = _summor_over_rader_heltal(
            tabell,
            delar=list(delar),
            total=total,
            kolumner=list(kolumner),
            tabellnamn=tabellnamn,
            avrundade_delar=avrundade_delar,
            enhet=enhet,
            varav=varav,
        )
        if snabbt is not None:
            return snabbt
        del_av = tabell.loc[[*delar, total], list(kolumner)]
        transponerad = _numerisk(del_av, list(kolumner)).T
        fynd = granska_summor(
            transponerad,
            delar=list(delar),
            total=total,
            tabellnamn=tabellnamn,
            avrundade_delar=avrundade_delar,
            enhet=enhet,
            varav=varav,
        )
        fynd = fynd.rename(columns={"rad": "kolumn", "kolumn": "rad"})[list(KOLUMNER)]
        return fynd
    if axel != "kolumner":
        raise ValueError(f"axel måste vara 'kolumner' eller 'rader', inte {axel!r}.")

    varden = _numerisk(tabell, [*delar, total])
    del_varden = varden[list(delar)]
    summor = del_varden.sum(axis=1, min_count=1)
    antal_delar = del_varden.notna().sum(axis=1)
    return _summefynd(
        zip(varden.index, summor, varden[total], antal_delar, strict=True),
        total=total,
        tabellnamn=tabellnamn,
        avrundade_delar=avrundade_delar,
        enhet=enhet,
        varav=varav,
    )


def _summor_over_rader_heltal(
    tabell: pd.DataFrame,
    *,
    delar: list[Any],
    total: Any,
    kolumner: list[Any],
    tabellnamn: str,
    avrundade_delar: bool,
    enhet: float,
    varav: bool,
) -> pd.DataFrame | None:
    """:func:`granska_summor` med ``axel="rader"`` direkt med numpy, när alla tal är heltal.

    Heltal (som flyttal under 2**53) summeras exakt i vilken ordning som helst, så summorna
    blir desamma som pandas ger. Annars (decimaler, text, dubbla etiketter) ``None``: då
    räknar pandas-vägen.
    """
    rader = [*delar, total]
    if len(set(rader)) != len(rader) or not tabell.index.is_unique:
        return None
    if not tabell.columns.is_unique or len(set(kolumner)) != len(kolumner):
        return None
    radnr = tabell.index.get_indexer(rader)
    kolumnnr = tabell.columns.get_indexer(kolumner)
    if (radnr < 0).any() or (kolumnnr < 0).any():
        return None
    matris = np.empty((len(rader), len(kolumner)), dtype="float64")
    for j, k in enumerate(kolumnnr):
        kolumn = tabell.iloc[:, k]
        if not pd.api.types.is_numeric_dtype(kolumn) or pd.api.types.is_bool_dtype(kolumn):
            return None
        matris[:, j] = kolumn.to_numpy(dtype="float64", na_value=np.nan)[radnr]
    finns = ~np.isnan(matris)
    tal = matris[finns]
    if not (np.isfinite(tal).all() and (tal == np.floor(tal)).all()):
        return None
    if np.abs(tal).sum() >= 2.0**53:
        return None
    del_finns = finns[:-1]
    antal_delar = del_finns.sum(axis=0)
    summor = np.where(del_finns, matris[:-1], 0.0).sum(axis=0)
    varden = [
        (
            k,
            float(summa) if n else float("nan"),
            float(matris[-1, j]),
            int(n),
        )
        for j, (k, summa, n) in enumerate(zip(kolumner, summor, antal_delar, strict=True))
    ]
    # som den transponerade tabellens fynd: raden är kolumnen och tvärtom
    return _summefynd(
        varden,
        total=total,
        tabellnamn=tabellnamn,
        avrundade_delar=avrundade_delar,
        enhet=enhet,
        varav=varav,
        transponerad=True,
    )


def _summefynd(
    varden: Iterable[tuple[Any, float, float, int]],
    *,
    total: Any,
    tabellnamn: str,
    avrundade_delar: bool,
    enhet: float,
    varav: bool,
    transponerad: bool = False,
) -> pd.DataFrame:
    """Fynden för :func:`granska_summor`: (etikett, omräknad summa, publicerad total, antal
    delar) per rad. ``transponerad``: etiketten är en kolumn och totalen en rad (``rad`` och
    ``kolumn`` byter plats, som när en transponerad tabell granskas)."""
    rader = []
    antal = 0
    for etikett, omr, pub, n in varden:
        antal += not (pd.isna(pub) or pd.isna(omr))
        if pd.isna(pub) or pd.isna(omr) or _ar_lika(pub, omr):
            continue
        tolerans = n * enhet / 2 if avrundade_delar else 0.0
        avv = pub - omr
        if varav:
            if avv >= -tolerans - _EPS:
                continue
            typ = "varav-delar överstiger totalen"
            kommentar = f"varav-delarna summerar till {_tal(omr)}, mer än totalen {_tal(pub)}"
        elif abs(avv) <= tolerans + _EPS:
            typ = "avrundning"
            kommentar = (
                f"delarna summerar till {_tal(omr)}; skillnaden {_tal(avv)} ryms i avrundningen "
                f"av {n} delar (högst {_tal(tolerans)})"
            )
        else:
            typ = "summa"
            kommentar = f"delarna ({n} st) summerar till {_tal(omr)}"
            if avrundade_delar:
                kommentar += f"; mer än avrundning kan förklara (högst {_tal(tolerans)})"
        rad, kolumn = _radnamn(etikett), str(total)
        if transponerad:
            rad, kolumn = kolumn, rad
        rader.append(
            {
                "tabell": tabellnamn,
                "rad": rad,
                "kolumn": kolumn,
                "typ": typ,
                "publicerat": pub,
                "omraknat": omr,
                "avvikelse": avv,
                "kommentar": kommentar,
            }
        )
    return _med_antal(_som_fynd(rader), {tabellnamn: antal})


# ----------------------------------------------------------------------------- differenser


def granska_differenser(
    tabell: pd.DataFrame,
    *,
    minuend: str,
    subtrahend: str,
    differens: str,
    tabellnamn: str = "",
    avrundade: bool = False,
    enhet: float = 1.0,
) -> pd.DataFrame:
    """Kontrollera att ``differens == minuend - subtrahend`` på varje rad.

    Parameters
    ----------
    tabell : DataFrame
        Tabellen som publicerad; index blir ``rad``.
    minuend, subtrahend, differens : str
        Kolumnerna; ``differens`` är den publicerade differensen.
    avrundade : bool
        Termerna är var för sig avrundade till ``enhet`` (t.ex. tkr): en avvikelse på högst
        ``enhet`` är ``"avrundning"``. Annars är varje avvikelse ``"differens"``.

    Examples
    --------
    Avesta 2015/16: Personal 1 775 000 − 819 000 är 956 000, inte tryckta 955 000.

    >>> t = pd.DataFrame({"budget": [1775000, 165000], "utfall": [819000, 88000],
    ...                   "differens": [955000, 77000]}, index=["Personal", "Lokaler"])
    >>> f = granska_differenser(t, minuend="budget", subtrahend="utfall", differens="differens")
    >>> f[["rad", "typ", "publicerat", "omraknat", "avvikelse"]].values.tolist()
    [['Personal', 'differens', 955000.0, 956000.0, -1000.0]]
    """
    varden = _numerisk(tabell, [minuend, subtrahend, differens])
    omraknat = varden[minuend] - varden[subtrahend]
    tolerans = enhet if avrundade else 0.0
    rader = []
    antal = 0
    for etikett, a, b, omr, pub in zip(
        varden.index, varden[minuend], varden[subtrahend], omraknat, varden[differens], strict=True
    ):
        antal += not (pd.isna(pub) or pd.isna(omr))
        if pd.isna(pub) or pd.isna(omr) or _ar_lika(pub, omr):
            continue
        avv = pub - omr
        typ = "avrundning" if abs(avv) <= tolerans + _EPS else "differens"
        kommentar = f"{_tal(a)} − {_tal(b)} = {_tal(omr)}"
        if typ == "avrundning":
            kommentar += " (skillnaden ryms i avrundningen av termerna)"
        rader.append(
            {
                "tabell": tabellnamn,
                "rad": _radnamn(etikett),
                "kolumn": differens,
                "typ": typ,
                "publicerat": pub,
                "omraknat": omr,
                "avvikelse": avv,
                "kommentar": kommentar,
            }
        )
    return _med_antal(_som_fynd(rader), {tabellnamn: antal})


# -------------------------------------------------------------------------------- andelar


def granska_andelar(
    tabell: pd.DataFrame,
    *,
    taljare: str,
    namnare: str,
    andel: str,
    tabellnamn: str = "",
    decimaler: int | None = None,
    skala: float = 100.0,
    avrundad_taljare: bool = False,
    enhet: float = 1.0,
    summarad: Any = None,
) -> pd.DataFrame:
    """Kontrollera publicerade andelar mot ``taljare / namnare``.

    Parameters
    ----------
    tabell : DataFrame
        Tabellen som publicerad; index blir ``rad``.
    taljare, namnare, andel : str
        Kolumnerna; ``andel`` är den publicerade andelen.
    decimaler : int, valfri
        Antal decimaler i den publicerade andelen. Utelämnat: bedöms per värde (16,3 har 1
        decimal, 13 har 0; en tryckt nolla på slutet som 14,0 syns inte i ett tal och bedöms
        som 0 decimaler, dvs. generöst).
    skala : float
        100 om andelen är publicerad i procent (standard), 1 om den är ett bråk.
    avrundad_taljare : bool
        Täljaren är själv avrundad till ``enhet`` (t.ex. HÅE): en publicerad andel som kan
        förklaras av den avrundningen klassas ``"avrundning"``.
    summarad : etikett, valfri
        Raden som är tabellens summarad. Stämmer inte dess andel prövas två förklaringar:
        summan av delarnas publicerade (avrundade) andelar, som ger typen
        ``"summa av avrundade delar"``, och delarnas ovägda medelvärde (sägs i kommentaren).

    Examples
    --------
    Västmanlands län 2020: tryckt andel 16,3 men 23 817 / 152 318 = 15,6 %.

    >>> t = pd.DataFrame({"hae": [23817], "folkmangd": [152318], "andel": [16.3]},
    ...                  index=["Västmanlands län 2020"])
    >>> f = granska_andelar(t, taljare="hae", namnare="folkmangd", andel="andel")
    >>> f[["typ", "publicerat", "omraknat"]].values.tolist()
    [['andel', 16.3, 15.6]]
    """
    varden = _numerisk(tabell, [taljare, namnare, andel])
    fast = decimaler
    with np.errstate(divide="ignore", invalid="ignore"):
        exakt = varden[taljare] / varden[namnare].where(varden[namnare] != 0) * skala
    rader = []
    antal = 0
    for etikett in varden.index:
        pub = varden.at[etikett, andel]
        ex = exakt.at[etikett]
        antal += not (pd.isna(pub) or pd.isna(ex))
        # precisionen bedöms per tryckt värde: 13 och 16,3 i samma kolumn är 0 och 1 decimal
        decimaler = fast if fast is not None else (_decimaler([pub]) if not pd.isna(pub) else 0)
        if pd.isna(pub) or pd.isna(ex) or _inom_halv_enhet(pub, ex, decimaler):
            continue
        t, n = varden.at[etikett, taljare], varden.at[etikett, namnare]
        omr = _avrunda(ex, decimaler)
        kommentar = f"{_tal(t)} / {_tal(n)} = {_tal(ex, decimaler + 2)}"
        kommentar += " %" if skala == 100 else ""
        typ = "andel"
        if avrundad_taljare:
            lag = (t - enhet / 2) / n * skala
            hog = (t + enhet / 2) / n * skala
            if lag - 0.5 * 10.0**-decimaler - _EPS <= pub <= hog + 0.5 * 10.0**-decimaler + _EPS:
                typ = "avrundning"
                kommentar += (
                    f"; täljaren är avrundad, och med den exakta täljaren mellan "
                    f"{_tal(t - enhet / 2)} och {_tal(t + enhet / 2)} kan andelen bli "
                    f"{_tal(pub, decimaler)}"
                )
        if summarad is not None and etikett == summarad:
            ovriga = [e for e in varden.index if e != summarad]
            delandelar = varden.loc[ovriga, andel].dropna()
            if len(delandelar):
                summa_delar = float(delandelar.sum())
                medel_delar = float(delandelar.mean())
                if _inom_halv_enhet(pub, summa_delar, decimaler):
                    typ = "summa av avrundade delar"
                    kommentar += (
                        f"; den publicerade andelen är summan av delarnas avrundade andelar "
                        f"({_tal(summa_delar, decimaler)})"
                    )
                elif _inom_halv_enhet(pub, medel_delar, decimaler):
                    kommentar += (
                        f"; den publicerade andelen är det ovägda medelvärdet av delarnas andelar "
                        f"({_tal(medel_delar, decimaler + 2)}): andelar får inte "
                        f"medelvärdesbildas, summera täljare och nämnare och dela sedan"
                    )
        rader.append(
            {
                "tabell": tabellnamn,
                "rad": _radnamn(etikett),
                "kolumn": andel,
                "typ": typ,
                "publicerat": pub,
                "omraknat": omr,
                "avvikelse": pub - omr,
                "kommentar": kommentar,
            }
        )
    return _med_antal(_som_fynd(rader), {tabellnamn: antal})


# ---------------------------------------------------------------------------- förändringar


def granska_forandringar(
    tabell: pd.DataFrame,
    *,
    fore: str,
    efter: str,
    forandring: str,
    tabellnamn: str = "",
    decimaler: int | None = None,
    enhet: Literal["procent", "procentenheter", "absolut"] = "procent",
) -> pd.DataFrame:
    """Kontrollera publicerade förändringar mellan två värden (med tecken).

    Parameters
    ----------
    fore, efter, forandring : str
        Kolumnerna; ``forandring`` är den publicerade förändringen med tecken (en minskning
        med 37 procent skrivs −37).
    decimaler : int, valfri
        Publicerade decimaler (utelämnat: bedöms per tryckt värde).
    enhet : {"procent", "procentenheter", "absolut"}
        ``"procent"``: relativ förändring ``(efter - fore) / fore * 100``.
        ``"procentenheter"`` och ``"absolut"``: ``efter - fore``.

    Examples
    --------
    Etableringsersättningen i riket "minskade med 37 procent": 37 058 → 23 036 är −37,8 %,
    som avrundat till heltal blir −38.

    >>> t = pd.DataFrame({"ar2019": [37058, 80101], "ar2020": [23036, 124182],
    ...                   "publicerad": [-37, 55]}, index=["Etablering", "Arbetslöshet"])
    >>> f = granska_forandringar(t, fore="ar2019", efter="ar2020", forandring="publicerad")
    >>> f[["rad", "typ", "publicerat", "omraknat", "avvikelse"]].values.tolist()
    [['Etablering', 'förändring', -37.0, -38.0, 1.0]]
    """
    varden = _numerisk(tabell, [fore, efter, forandring])
    fast = decimaler
    if enhet == "procent":
        exakt = (varden[efter] - varden[fore]) / varden[fore].where(varden[fore] != 0) * 100
    elif enhet in ("procentenheter", "absolut"):
        exakt = varden[efter] - varden[fore]
    else:
        raise ValueError(f"enhet måste vara 'procent', 'procentenheter' eller 'absolut': {enhet!r}")
    rader = []
    antal = 0
    for etikett in varden.index:
        pub, ex = varden.at[etikett, forandring], exakt.at[etikett]
        antal += not (pd.isna(pub) or pd.isna(ex))
        decimaler = fast if fast is not None else (_decimaler([pub]) if not pd.isna(pub) else 0)
        if pd.isna(pub) or pd.isna(ex) or _inom_halv_enhet(pub, ex, decimaler):
            continue
        omr = _avrunda(ex, decimaler)
        a, b = varden.at[etikett, fore], varden.at[etikett, efter]
        if enhet == "procent":
            kommentar = f"från {_tal(a)} till {_tal(b)} är {_tal(ex, decimaler + 1)} %"
        else:
            kommentar = f"{_tal(b)} − {_tal(a)} = {_tal(ex, decimaler + 1)}"
            if enhet == "procentenheter":
                kommentar += " procentenheter"
        rader.append(
            {
                "tabell": tabellnamn,
                "rad": _radnamn(etikett),
                "kolumn": forandring,
                "typ": "förändring",
                "publicerat": pub,
                "omraknat": omr,
                "avvikelse": pub - omr,
                "kommentar": kommentar,
            }
        )
    return _med_antal(_som_fynd(rader), {tabellnamn: antal})


# ------------------------------------------------------------------ olika värden för samma sak


def granska_varden(
    tabell: pd.DataFrame,
    *,
    nycklar: Sequence[str],
    kalla: str,
    varde: str,
    tabellnamn: str = "",
) -> pd.DataFrame:
    """Hitta samma storhet publicerad med olika värden i olika tabeller.

    Parameters
    ----------
    tabell : DataFrame
        Lång tabell med en rad per (nycklar, källa).
    nycklar : lista med kolumnnamn
        Vad som identifierar storheten (t.ex. region, år, ersättningsform, kön).
    kalla : str
        Kolumnen som säger vilken publicerad tabell raden kommer från.
    varde : str
        Värdekolumnen.

    Returns
    -------
    DataFrame
        Ett fynd av typen ``"olika värden"`` per storhet och avvikande källa; ``omraknat`` är
        värdet i den första källan, ``publicerat`` värdet i den avvikande.

    Examples
    --------
    >>> t = pd.DataFrame({"form": ["Sjukpenning"] * 2, "kalla": ["huvudtabell", "efter kön"],
    ...                   "hae": [150044, 150156]})
    >>> granska_varden(t, nycklar=["form"], kalla="kalla", varde="hae")[
    ...     ["rad", "kolumn", "typ", "publicerat", "omraknat"]].values.tolist()
    [['Sjukpenning', 'hae (efter kön)', 'olika värden', 150156.0, 150044.0]]
    """
    data = tabell[[*nycklar, kalla]].copy()
    data["_varde"] = pd.to_numeric(tabell[varde], errors="coerce")
    data = data.dropna(subset=["_varde"])
    rader = []
    antal = 0
    for nyckel, grupp in data.groupby(list(nycklar), sort=False, dropna=False):
        if grupp[kalla].nunique() < 2:
            continue
        forsta = grupp.iloc[0]
        for _, rad in grupp.iloc[1:].iterrows():
            antal += rad[kalla] != forsta[kalla]
            if rad[kalla] == forsta[kalla] or _ar_lika(rad["_varde"], forsta["_varde"]):
                continue
            rader.append(
                {
                    "tabell": tabellnamn,
                    "rad": _radnamn(nyckel if isinstance(nyckel, tuple) else (nyckel,)),
                    "kolumn": f"{varde} ({rad[kalla]})",
                    "typ": "olika värden",
                    "publicerat": rad["_varde"],
                    "omraknat": forsta["_varde"],
                    "avvikelse": rad["_varde"] - forsta["_varde"],
                    "kommentar": (
                        f"samma storhet är {_tal(rad['_varde'])} i '{rad[kalla]}' men "
                        f"{_tal(forsta['_varde'])} i '{forsta[kalla]}'"
                    ),
                }
            )
    return _med_antal(_som_fynd(rader), {tabellnamn: antal})


# ----------------------------------------------------------------------------- påståenden

_berakna = berakna_uttryck  # räknar ut påståendenas uttryck (tal och + − * /)


_RIKTNING = {1: "ökade", -1: "minskade", 0: "oförändrad"}


def _riktning(forandring: float, decimaler: int) -> int:
    """1, −1 eller 0: förändringens tecken efter avrundning till ``decimaler``.

    >>> _riktning(2660, 0), _riktning(-0.04, 1), _riktning(-0.06, 1)
    (1, 0, -1)
    """
    return int(np.sign(_avrunda(forandring, decimaler)))


def granska_pastaenden(pastaenden: pd.DataFrame) -> pd.DataFrame:
    """Kontrollera textpåståenden med siffror mot en omräkning.

    Parameters
    ----------
    pastaenden : DataFrame
        En rad per påstående med kolumnerna ``tabell`` (var i rapporten), ``pastaende`` (texten),
        ``typ`` (en av :data:`TYPER`, oftast ``"förändring"`` eller ``"andel"``), ``publicerat``
        (talet som tryckt, med tecken: "minskade med 37 procent" är −37), ``decimaler`` (tryckta
        decimaler) och ``uttryck`` (omräkningen som aritmetiskt uttryck, t.ex.
        ``(23036 - 37058) / 37058 * 100``). Valfri kolumn ``kommentar`` läggs till fyndets
        kommentar.

    Returns
    -------
    DataFrame
        Ett fynd per påstående vars publicerade tal inte ryms inom en halv enhet i sista
        tryckta decimalen av omräkningen.

    Examples
    --------
    >>> p = pd.DataFrame({"tabell": ["HÅE-text"], "typ": ["förändring"],
    ...     "pastaende": ["etableringsersättningen minskade med 37 procent"],
    ...     "publicerat": [-37], "decimaler": [0], "uttryck": ["(23036 - 37058) / 37058 * 100"]})
    >>> granska_pastaenden(p)[["typ", "publicerat", "omraknat", "avvikelse"]].values.tolist()
    [['förändring', -37.0, -38.0, 1.0]]

    En riktning i ord ("minskade") prövas med typen ``"riktning"``: ``publicerat`` är 1 för
    ökade, −1 för minskade och 0 för oförändrad, uttrycket räknar förändringen; det tryckta
    antalet decimaler avgör vad som är oförändrat.

    >>> p = pd.DataFrame({"tabell": ["HÅE-text"], "typ": ["riktning"],
    ...     "pastaende": ["ekonomiskt bistånd minskade 2020"], "publicerat": [-1],
    ...     "decimaler": [0], "uttryck": ["94555 - 91895"]})
    >>> granska_pastaenden(p)[["typ", "publicerat", "omraknat", "avvikelse"]].values.tolist()
    [['riktning', -1.0, 1.0, -2.0]]
    """
    saknade = [k for k in PASTAENDE_KOLUMNER if k not in pastaenden.columns]
    if saknade:
        raise KeyError(
            f"Påståendetabellen saknar kolumnerna {saknade}; den har {list(pastaenden.columns)}."
        )
    okanda = sorted(set(pastaenden["typ"].dropna()) - set(TYPER))
    if okanda:
        raise ValueError(f"Okända typer i påståendena: {okanda}; tillåtna: {list(TYPER)}.")
    rader = []
    antal: dict[str, int] = {}
    for _, p in pastaenden.iterrows():
        antal[str(p["tabell"])] = antal.get(str(p["tabell"]), 0) + 1
        pub = tryckt_tal(p["publicerat"])
        d = p["decimaler"]
        tom = d is None or (isinstance(d, float) and pd.isna(d)) or str(d).strip() == ""
        dec = _decimaler_for(pub) if tom else int(d)
        exakt = _berakna(p["uttryck"])
        berakning = f"{p['uttryck']} = {_tal(exakt, dec + 2)}"
        if p["typ"] == "riktning":
            # förändringen avrundad till decimalerna: under en halv enhet är oförändrat
            berakning = (
                f"texten säger {_RIKTNING.get(int(pub), '?')} ({_tal(pub, 0)}), men "
                f"{p['uttryck']} = {_tal(exakt, dec)}: {_RIKTNING[_riktning(exakt, dec)]} "
                f"({_tal(_riktning(exakt, dec), 0)})"
            )
            exakt, dec = float(_riktning(exakt, dec)), 0
        if _inom_halv_enhet(pub, exakt, dec):
            continue
        omr = _avrunda(exakt, dec)
        try:
            float(str(p["uttryck"]).replace(",", ".").replace(" ", ""))
            delar = []  # ett enda tal: inget att visa
        except ValueError:
            delar = [berakning]
        extra = p.get("kommentar")
        if isinstance(extra, str) and extra.strip():
            delar.append(extra.strip())
        kommentar = "; ".join(delar)
        rader.append(
            {
                "tabell": p["tabell"],
                "rad": p["pastaende"],
                "kolumn": "text",
                "typ": p["typ"],
                "publicerat": pub,
                "omraknat": omr,
                "avvikelse": pub - omr,
                "kommentar": kommentar,
            }
        )
    return _med_antal(_som_fynd(rader), antal)


def las_pastaenden(katalog: str | Path) -> pd.DataFrame | None:
    """Läs ``granskning_pastaenden.csv`` i en förbundskatalog (None om filen saknas).

    Filen läses och kontrolleras som övriga indata
    (:func:`finsam_analys.indata.pastaenden.las_pastaendefil`); fel i den ger ``ValueError``
    med alla problem. Kolumnerna beskrivs i :func:`granska_pastaenden`.
    """
    from finsam_analys.indata.pastaenden import las_pastaendefil

    pastaenden, problem = las_pastaendefil(katalog)
    if problem:
        raise ValueError("; ".join(p.text() for p in problem))
    return pastaenden


# ------------------------------------------------------------------------------- utdata


def fynd_som_lista(fynd: pd.DataFrame) -> list[dict[str, Any]]:
    """Fynden som en JSON-vänlig lista av dicts (NaN blir None, tal blir float).

    Examples
    --------
    >>> f = granska_differenser(pd.DataFrame({"a": [3], "b": [1], "d": [1]}),
    ...                         minuend="a", subtrahend="b", differens="d")
    >>> fynd_som_lista(f)[0]["omraknat"], fynd_som_lista(tomma_fynd())
    (2.0, [])
    """
    lista = []
    for rad in fynd[list(KOLUMNER)].itertuples(index=False):
        post = {}
        for k, v in zip(KOLUMNER, rad, strict=True):
            if k in ("publicerat", "omraknat", "avvikelse"):
                post[k] = None if pd.isna(v) else float(v)
            else:
                post[k] = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
        lista.append(post)
    return lista


def formatera_fynd(fynd: pd.DataFrame) -> str:
    """Fynden som en svensk texttabell (för kommandoraden).

    Fel listas före avrundningar. Tal med mellanslag som tusentalsavgränsare och decimalkomma.

    Examples
    --------
    >>> print(formatera_fynd(tomma_fynd()))
    Inga avvikelser hittades.
    """
    if not len(fynd):
        return "Inga avvikelser hittades."
    grad = {"avvikelse": 0, "att kontrollera": 1, "avrundning": 2}
    ordning = fynd.assign(_avr=[grad[allvarlighet(t)] for t in fynd["typ"]])
    ordning = ordning.sort_values("_avr", kind="stable")
    rubriker = ["Tabell", "Rad", "Kolumn", "Typ", "Publicerat", "Omräknat", "Avvikelse"]
    rader = []
    for r in ordning.itertuples(index=False):
        dec = max(_decimaler([r.publicerat]), _decimaler([r.omraknat]))
        rader.append(
            [
                r.tabell,
                r.rad if len(r.rad) <= 60 else r.rad[:57] + "...",
                r.kolumn,
                r.typ,
                _tal(r.publicerat, dec),
                _tal(r.omraknat, dec),
                _tal(r.avvikelse, dec),
            ]
        )
    bredder = [max(len(rubriker[i]), *(len(x[i]) for x in rader)) for i in range(len(rubriker))]
    hoger = {4, 5, 6}

    def rad_text(celler: list[str]) -> str:
        return "  ".join(
            c.rjust(bredder[i]) if i in hoger else c.ljust(bredder[i]) for i, c in enumerate(celler)
        ).rstrip()

    ut = [rad_text(rubriker), rad_text(["-" * b for b in bredder])]
    for celler, r in zip(rader, ordning.itertuples(index=False), strict=True):
        ut.append(rad_text(celler))
        if r.kommentar:
            ut.append(" " * 4 + r.kommentar)
    grader = [allvarlighet(t) for t in fynd["typ"]]
    antal_fel = grader.count("avvikelse")
    antal_avr = grader.count("avrundning")
    antal_kontr = grader.count("att kontrollera")
    ut.append("")
    slut = (
        f"{antal_fel} avvikelser och {antal_avr} skillnader som ryms i avrundningen "
        f"(avrundning är inget fel)"
    )
    if antal_kontr:
        slut += f"; {antal_kontr} att kontrollera (inga fel)"
    ut.append(slut + ".")
    return "\n".join(ut)


# ------------------------------------------------------------------------------- underlag


def _tom_text(varde: Any) -> bool:
    return varde is None or (not isinstance(varde, str) and pd.isna(varde)) or str(varde) == ""


def _etikett(rad: pd.Series, kolumner: Sequence[str]) -> str:
    return " ".join(str(rad[k]) for k in kolumner if k in rad.index and not _tom_text(rad[k]))


def _granska_antalstabell(tabell: pd.DataFrame, *, namn: str) -> pd.DataFrame:
    """Summarader (Totalt), varav-rader (del_av) och andel_publicerad i en antalstabell."""
    data = tabell.reset_index(drop=True)
    uteslutna = {"antal", "kommentar", "del_av"}
    kandidater = [
        k for k in data.columns if k not in uteslutna and not str(k).endswith("_publicerad")
    ]
    kategorier = [k for k in kandidater if data[k].map(ar_summarad).any()]
    grupper = [k for k in kandidater if k not in kategorier]
    tabellnamn = namn
    if "kalltabell" in data.columns and data["kalltabell"].map(lambda v: not _tom_text(v)).any():
        tabellnamn = f"{namn} ({', '.join(sorted(set(data['kalltabell'].dropna().astype(str))))})"
    ar_varav = (
        data["del_av"].map(lambda v: not _tom_text(v))
        if "del_av" in data.columns
        else pd.Series(False, index=data.index)
    )
    huvud = data[~ar_varav]
    fynd: list[pd.DataFrame] = []
    etikettkolumner = [k for k in grupper if k != "kalltabell"]

    for kat in kategorier:
        ovriga = grupper + [k for k in kategorier if k != kat]
        if not ovriga:
            grupperade = [((), huvud)]
        else:
            grupperade = huvud.groupby(ovriga, dropna=False, sort=False)
        for _, g in grupperade:
            ar_summa = g[kat].map(ar_summarad)  # en gång per grupp: summan och delarna
            summa = g[ar_summa]
            delar = g[~ar_summa]
            if len(summa) != 1 or not len(delar):
                continue
            rad = summa.iloc[0]
            etikett = _etikett(rad, [k for k in etikettkolumner + kategorier if k != kat])
            bred = pd.DataFrame(
                [[*delar["antal"].tolist(), rad["antal"]]],
                columns=[*(str(v) for v in delar[kat]), "__total"],
                index=[etikett or str(rad[kat])],
            )
            f = granska_summor(
                bred, delar=[str(v) for v in delar[kat]], total="__total", tabellnamn=tabellnamn
            )
            f["kolumn"] = f"antal, {kat} {rad[kat]}"
            fynd.append(f)

    if ar_varav.any():
        kat = "utfall" if "utfall" in data.columns else (kategorier or [None])[0]
        if kat is not None:
            for _, v in data[ar_varav].groupby(grupper + ["del_av"], dropna=False, sort=False):
                forsta = v.iloc[0]
                mask = huvud[kat] == forsta["del_av"]
                for k in grupper:
                    mask &= (huvud[k] == forsta[k]) | (huvud[k].isna() & pd.isna(forsta[k]))
                helhet = huvud[mask]
                if len(helhet) != 1:
                    continue
                etikett = _etikett(helhet.iloc[0], etikettkolumner + [kat])
                bred = pd.DataFrame(
                    [[*v["antal"].tolist(), helhet.iloc[0]["antal"]]],
                    columns=[*(str(x) for x in v[kat]), "__total"],
                    index=[etikett],
                )
                f = granska_summor(
                    bred,
                    delar=[str(x) for x in v[kat]],
                    total="__total",
                    tabellnamn=tabellnamn,
                    varav=True,
                )
                f["kolumn"] = "antal, varav"
                fynd.append(f)

    if "andel_publicerad" in data.columns and data["andel_publicerad"].notna().any():
        decimaler = None  # bedöms per tryckt värde
        rader = []
        for i, rad in data[data["andel_publicerad"].notna()].iterrows():
            namnare = float("nan")
            if "namnare_publicerad" in data.columns and not pd.isna(rad["namnare_publicerad"]):
                namnare = rad["namnare_publicerad"]
            elif kategorier:
                mask = pd.Series(True, index=huvud.index)
                for k in grupper:
                    mask &= (huvud[k] == rad[k]) | (huvud[k].isna() & pd.isna(rad[k]))
                for k in kategorier:
                    mask &= huvud[k].map(ar_summarad)
                if mask.sum() == 1:
                    namnare = huvud.loc[mask, "antal"].iloc[0]
            rader.append(
                {
                    "etikett": _etikett(rad, etikettkolumner + kategorier) or str(i),
                    "taljare": rad["antal"],
                    "namnare": namnare,
                    "andel": rad["andel_publicerad"],
                }
            )
        bred = pd.DataFrame(rader).set_index("etikett")
        fynd.append(
            granska_andelar(
                bred,
                taljare="taljare",
                namnare="namnare",
                andel="andel",
                tabellnamn=tabellnamn,
                decimaler=decimaler,
            ).assign(kolumn="andel_publicerad")
        )
    return _sla_ihop(fynd)


def _granska_halsoenkat(tabell: pd.DataFrame) -> pd.DataFrame:
    """Andel förbättrade och procentuell förändring av poängsumman per delperiod."""
    data = tabell.reset_index(drop=True)
    etiketter = [
        _etikett(r, [k for k in ("insats", "period", "delperiod") if k in data.columns])
        for _, r in data.iterrows()
    ]
    data.index = pd.Index(etiketter)
    fynd = []
    if "andel_forbattrade_publicerad" in data.columns:
        fynd.append(
            granska_andelar(
                data,
                taljare="antal_forbattrade",
                namnare="n",
                andel="andel_forbattrade_publicerad",
                tabellnamn="halsoenkat",
            )
        )
    if "forandring_publicerad" in data.columns:
        fynd.append(
            granska_forandringar(
                data,
                fore="summa_start",
                efter="summa_slut",
                forandring="forandring_publicerad",
                tabellnamn="halsoenkat",
            )
        )
    if "delperiod" in data.columns and data["delperiod"].map(ar_summarad).any():
        for k in ("n", "summa_start", "summa_slut", "antal_forbattrade"):
            delar = [
                e for e, d in zip(etiketter, data["delperiod"], strict=True) if not ar_summarad(d)
            ]
            total = [e for e, d in zip(etiketter, data["delperiod"], strict=True) if ar_summarad(d)]
            if len(total) == 1:
                fynd.append(
                    granska_summor(
                        data,
                        delar=delar,
                        total=total[0],
                        axel="rader",
                        kolumner=[k],
                        tabellnamn="halsoenkat",
                    )
                )
    return _sla_ihop(fynd)


def _hae_tabellnamn(kall: str) -> str:
    return f"helarsekvivalenter ({kall})" if kall else "helarsekvivalenter"


def _hae_etikett(region: Any, ar: Any, kon: Any = TOTALT, form: Any = None) -> str:
    """Radens etikett i fynden: region och år, ersättningsform och kön när de inte är summor."""
    delar = [str(region), str(ar)]
    if form is not None and not ar_summarad(form):
        delar.append(str(form))
    if not ar_summarad(kon):
        delar.append(str(kon))
    return " ".join(delar)


def _hae_forberedd(tabell: pd.DataFrame) -> pd.DataFrame | None:
    """Tabellen med alla kolumner som granskningen läser; None om HÅE inte går att granska."""
    data = tabell.reset_index(drop=True).copy()
    if "kalltabell" not in data.columns:
        data["kalltabell"] = ""
    data["kalltabell"] = data["kalltabell"].fillna("").astype(str)
    if "kon" not in data.columns:
        data["kon"] = TOTALT
    if not {"hae", "region", "ar", "ersattningsform"} <= set(data.columns):
        return None
    if "manad" in data.columns and data["manad"].notna().any():
        # Månadsvärden granskas var för sig: månaden blir en del av "året".
        data["ar"] = [
            f"{a}-{int(m):02d}" if not pd.isna(m) else str(a)
            for a, m in zip(data["ar"], data["manad"], strict=True)
        ]
    if "folkmangd_20_64" not in data.columns:
        data["folkmangd_20_64"] = np.nan
    if "regiontyp" not in data.columns:
        data["regiontyp"] = ""
    return data


def _hae_summor(data: pd.DataFrame) -> list[pd.DataFrame]:
    """1. Ersättningsformerna summerar till Totalt (delarna är avrundade), och
    2. Kvinnor + Män = Totalt per ersättningsform. En bred tabell per tryckt tabell."""
    fynd: list[pd.DataFrame] = []
    for kall, g in data.groupby("kalltabell", sort=False):
        for rader, kolumn, minst, kolumnnamn in (
            (["region", "ar", "kon"], "ersattningsform", 1, None),
            (["region", "ar", "ersattningsform"], "kon", 2, "Totalt (Kvinnor + Män)"),
        ):
            bred = g.pivot_table(
                index=rader, columns=kolumn, values="hae", aggfunc="first", sort=False
            )
            totaler = [k for k in bred.columns if ar_summarad(k)]
            delar = [k for k in bred.columns if not ar_summarad(k)]
            if len(totaler) != 1 or len(delar) < minst:
                continue
            if kolumn == "ersattningsform":
                bred.index = [_hae_etikett(r, a, k) for r, a, k in bred.index]
            else:
                bred.index = [_hae_etikett(r, a, TOTALT, f) for r, a, f in bred.index]
            f = granska_summor(
                bred,
                delar=delar,
                total=totaler[0],
                tabellnamn=_hae_tabellnamn(kall),
                avrundade_delar=True,
            )
            if kolumnnamn:
                f["kolumn"] = kolumnnamn
            fynd.append(f)
    return fynd


def _hae_lanets_summor(
    data: pd.DataFrame,
) -> tuple[list[pd.DataFrame], dict[tuple[str, Any], str]]:
    """3. Tabeller med flera kommuner och en länsrad: kolumnsummorna och länets andel.

    Returnerar fynden och länets rad per (källtabell, år), som andelarna behöver."""
    fynd: list[pd.DataFrame] = []
    summarader: dict[tuple[str, Any], str] = {}
    for (kall, ar), g in data.groupby(["kalltabell", "ar"], sort=False):
        kommuner = g.loc[g["regiontyp"] == "kommun", "region"].unique()
        lan = g.loc[g["regiontyp"] == "lan", "region"].unique()
        if len(kommuner) < 2 or len(lan) != 1:
            continue
        summarader[(kall, ar)] = str(lan[0])
        for kon, gk in g.groupby("kon", sort=False):
            bred = gk.pivot_table(
                index="region", columns="ersattningsform", values="hae", aggfunc="first"
            )
            folk = gk.groupby("region")["folkmangd_20_64"].first()
            bred = bred.join(folk)
            bred.index = [_hae_etikett(r, ar, kon) for r in bred.index]
            total = _hae_etikett(lan[0], ar, kon)
            delar = [_hae_etikett(r, ar, kon) for r in kommuner]
            hae_kolumner = [k for k in bred.columns if k != "folkmangd_20_64"]
            for kolumner, avrundade in ((hae_kolumner, True), (["folkmangd_20_64"], False)):
                fynd.append(
                    granska_summor(
                        bred,
                        delar=delar,
                        total=total,
                        axel="rader",
                        kolumner=kolumner,
                        tabellnamn=_hae_tabellnamn(kall),
                        avrundade_delar=avrundade,
                    )
                )
    return fynd, summarader


def _hae_andel(bred: pd.DataFrame, kall: str, **argument: Any) -> pd.DataFrame:
    """Tryckt andel av befolkningen 20–64 (``andel``) mot ``hae`` / ``folkmangd`` (täljaren är
    avrundad)."""
    return granska_andelar(
        bred,
        taljare="hae",
        namnare="folkmangd",
        andel="andel",
        tabellnamn=_hae_tabellnamn(kall),
        avrundad_taljare=True,
        **argument,
    )


def _hae_andel_av_delarnas_summa(
    bred: pd.DataFrame, gar: pd.DataFrame, delar: pd.DataFrame, kall: str
) -> pd.DataFrame | None:
    """En total som inte är delarnas summa ger också fel andel: den tryckta andelen prövas mot
    delarnas summa (länet 2019: 22 876 / 151 827 = 15,1 %, inte 14,8). None om totalerna
    stämmer."""
    omraknade = []
    for etikett, (region, kon) in zip(
        bred.index, zip(gar["region"], gar["kon"], strict=True), strict=True
    ):
        egna = delar[(delar["region"] == region) & (delar["kon"] == kon)]["hae"]
        egna = pd.to_numeric(egna, errors="coerce").dropna()
        tryckt = bred.at[etikett, "hae"]
        if len(egna) and abs(float(egna.sum()) - tryckt) > len(egna) / 2 + 0.5:
            omraknade.append((etikett, float(egna.sum())))
    if not omraknade:
        return None
    rattad = bred.loc[[e for e, _ in omraknade]].copy()
    rattad["hae"] = [v for _, v in omraknade]
    f = _hae_andel(rattad, kall)
    f["kolumn"] = "andel_publicerad (delarnas summa)"
    f["kommentar"] = "med delarnas summa i stället för den tryckta totalen: " + f["kommentar"]
    return f


def _hae_befolkningsandelar(
    data: pd.DataFrame, summarader: Mapping[tuple[str, Any], str]
) -> list[pd.DataFrame]:
    """4. Publicerad andel av befolkningen 20–64 (täljaren är avrundad)."""
    fynd: list[pd.DataFrame] = []
    decimaler = None  # bedöms per tryckt värde
    for kall, g in data.groupby("kalltabell", sort=False):
        rader = g[g["andel_publicerad"].notna() & g["ersattningsform"].map(ar_summarad)]
        if not len(rader):
            continue
        for ar, gar in rader.groupby("ar", sort=False):
            bred = pd.DataFrame(
                {
                    "hae": gar["hae"].to_numpy(),
                    "folkmangd": gar["folkmangd_20_64"].to_numpy(),
                    "andel": gar["andel_publicerad"].to_numpy(),
                },
                index=[
                    _hae_etikett(r, ar, k) for r, k in zip(gar["region"], gar["kon"], strict=True)
                ],
            )
            lan = summarader.get((kall, ar))
            summarad = _hae_etikett(lan, ar) if lan else None
            fynd.append(
                _hae_andel(bred, kall, decimaler=decimaler, summarad=summarad).assign(
                    kolumn="andel_publicerad"
                )
            )
            delar = g[(g["ar"] == ar) & ~g["ersattningsform"].map(ar_summarad)]
            f = _hae_andel_av_delarnas_summa(bred, gar, delar, kall)
            if f is not None:
                fynd.append(f)
    return fynd


def _hae_konsandelar(data: pd.DataFrame) -> list[pd.DataFrame]:
    """5. Könsfördelning inom ersättningsformen."""
    decimaler = None  # bedöms per tryckt värde
    # En grupp per (källtabell, region, år, ersättningsform) med exakt en summarad;
    # delraderna (kön) med publicerad andel i gruppordning (som en groupby-loop, men
    # utan en pandas-mask per grupp).
    grupp = (
        data.groupby(["kalltabell", "region", "ar", "ersattningsform"], sort=False)
        .ngroup()
        .to_numpy(dtype="float64")
    )
    giltig = ~np.isnan(grupp)
    gid = np.where(giltig, grupp, -1).astype("int64")
    ar_summa = data["kon"].map(ar_summarad).to_numpy(dtype=bool)
    antal_summa = np.bincount(gid[giltig & ar_summa], minlength=max(int(gid.max()) + 1, 1))
    summa_hae: dict[int, Any] = {}
    for i in np.flatnonzero(giltig & ar_summa):
        summa_hae.setdefault(int(gid[i]), data["hae"].iat[i])
    valda = (
        giltig
        & ~ar_summa
        & data["konsandel_publicerad"].notna().to_numpy()
        & (antal_summa[np.maximum(gid, 0)] == 1)
    )
    index = np.flatnonzero(valda)
    index = index[np.argsort(gid[index], kind="stable")]
    rader = [
        {
            "kall": data["kalltabell"].iat[i],
            "etikett": _hae_etikett(
                data["region"].iat[i],
                data["ar"].iat[i],
                data["kon"].iat[i],
                data["ersattningsform"].iat[i],
            ),
            "hae": data["hae"].iat[i],
            "total": summa_hae[int(gid[i])],
            "andel": data["konsandel_publicerad"].iat[i],
        }
        for i in index
    ]
    if not rader:
        return []
    return [
        granska_andelar(
            g.set_index("etikett"),
            taljare="hae",
            namnare="total",
            andel="andel",
            tabellnamn=_hae_tabellnamn(kall),
            decimaler=decimaler,
            avrundad_taljare=True,
        ).assign(kolumn="konsandel_publicerad")
        for kall, g in pd.DataFrame(rader).groupby("kall", sort=False)
    ]


def _hae_olika_varden(data: pd.DataFrame) -> list[pd.DataFrame]:
    """6. Samma storhet med olika värden i två tryckta tabeller."""
    folk = data.drop_duplicates(["region", "ar", "kalltabell"])
    return [
        granska_varden(
            data,
            nycklar=["region", "ar", "ersattningsform", "kon"],
            kalla="kalltabell",
            varde="hae",
            tabellnamn="helarsekvivalenter",
        ),
        granska_varden(
            folk,
            nycklar=["region", "ar"],
            kalla="kalltabell",
            varde="folkmangd_20_64",
            tabellnamn="helarsekvivalenter",
        ),
    ]


def _granska_helarsekvivalenter(tabell: pd.DataFrame) -> pd.DataFrame:
    """Summor, könssummor, andelar, kommuntabellens summarad och olika värden mellan tabeller."""
    data = _hae_forberedd(tabell)
    if data is None:
        return tomma_fynd()
    fynd = _hae_summor(data)
    lanets, summarader = _hae_lanets_summor(data)
    fynd += lanets
    if "andel_publicerad" in data.columns:
        fynd += _hae_befolkningsandelar(data, summarader)
    if "konsandel_publicerad" in data.columns:
        fynd += _hae_konsandelar(data)
    if data["kalltabell"].nunique() > 1:
        fynd += _hae_olika_varden(data)
    return _sla_ihop(fynd)


_EKONOMI_SUMMERBARA = ("budget", "utfall", "prognos")


def _granska_ekonomi(tabell: pd.DataFrame) -> pd.DataFrame:
    """Gruppsummor, TOTAL, differens, utfall-% och resultatraden per period och år."""
    data = tabell.reset_index(drop=True).copy()
    if "typ" not in data.columns:
        data["typ"] = "kostnad"
    fynd: list[pd.DataFrame] = []
    varden = [k for k in _EKONOMI_SUMMERBARA if k in data.columns]
    summerbara_pub = [k for k in data.columns if k.endswith("_publicerad") and "procent" not in k]
    for (period, ar), g in data.groupby(["period", "ar"], sort=False):
        enhet = str(g["enhet"].iloc[0]) if "enhet" in g.columns else "kr"
        avrundade = enhet == "tkr"
        tabellnamn = f"ekonomi {period}, {ar} ({enhet})"
        grupper = g["grupp"].to_numpy(dtype=object)
        poster = g["post"].to_numpy(dtype=object)
        ar_total = np.array([ar_summarad(x) for x in grupper], dtype=bool)
        ar_summa = np.array([ar_summarad(x) for x in poster], dtype=bool)
        etiketter = [
            (TOTALGRUPP if t else f"{SUMMAPOST} {gr}") if s or t else str(p)
            for gr, p, s, t in zip(grupper, poster, ar_summa, ar_total, strict=True)
        ]
        # Unika etiketter även om samma post finns i flera grupper.
        sedda: dict[str, int] = {}
        unika = []
        for e, gr in zip(etiketter, grupper, strict=True):
            if e in sedda:
                e = f"{e} ({gr})"
            sedda[e] = 1
            unika.append(e)
        g = g.set_axis(pd.Index(unika), axis=0)
        kolumner = [k for k in [*varden, *summerbara_pub] if g[k].notna().any()]
        ar_detalj = ~ar_summa & ~ar_total
        detalj = g[ar_detalj]

        # Varje grupp utom TOTAL (i ordning, utan saknad grupp, som groupby(sort=False)):
        # delarna ska summera till gruppens summarad.
        for grupp in dict.fromkeys(
            x for x, t in zip(grupper, ar_total, strict=True) if not t and not pd.isna(x)
        ):
            i_grupp = np.array([x == grupp for x in grupper], dtype=bool) & ~ar_total
            summa = np.flatnonzero(i_grupp & ar_summa)
            delar = np.flatnonzero(i_grupp & ~ar_summa)
            if len(summa) != 1 or not len(delar):
                continue
            fynd.append(
                granska_summor(
                    g,
                    delar=[unika[i] for i in delar],
                    total=unika[summa[0]],
                    axel="rader",
                    kolumner=kolumner,
                    tabellnamn=tabellnamn,
                    avrundade_delar=avrundade,
                )
            )
        total = g[ar_total]
        if len(total) == 1:
            delar = detalj[detalj["typ"] == total["typ"].iloc[0]] if "typ" in total else detalj
            if len(delar):
                fynd.append(
                    granska_summor(
                        g,
                        delar=list(delar.index),
                        total=total.index[0],
                        axel="rader",
                        kolumner=kolumner,
                        tabellnamn=tabellnamn,
                        avrundade_delar=avrundade,
                    )
                )
        for minuend, subtrahend, publicerad in (
            ("budget", "utfall", "differens_publicerad"),
            ("prognos", "budget", "prognosavvikelse_publicerad"),
        ):
            if not {minuend, subtrahend, publicerad} <= set(g.columns):
                continue
            # Teckenkonventionen läses ur tabellen: trycks differensen som budget − utfall
            # (eller prognos − budget) eller tvärtom? Den ordning som fler rader stämmer med.
            a, b, pub = (
                pd.to_numeric(g[k], errors="coerce") for k in (minuend, subtrahend, publicerad)
            )
            if int(((b - a) == pub).sum()) > int(((a - b) == pub).sum()):
                minuend, subtrahend = subtrahend, minuend
            fynd.append(
                granska_differenser(
                    g,
                    minuend=minuend,
                    subtrahend=subtrahend,
                    differens=publicerad,
                    tabellnamn=tabellnamn,
                    avrundade=avrundade,
                )
            )
        if {"budget", "utfall", "utfall_procent_publicerad"} <= set(g.columns):
            fynd.append(
                granska_andelar(
                    g,
                    taljare="utfall",
                    namnare="budget",
                    andel="utfall_procent_publicerad",
                    tabellnamn=tabellnamn,
                    avrundad_taljare=avrundade,
                )
            )
        resultat = g[g["typ"] == "resultat"]
        intakter = detalj[detalj["typ"] == "intakt"]
        kostnader = detalj[detalj["typ"] == "kostnad"]
        if len(resultat) == 1 and len(intakter) and len(kostnader):
            for k in varden:
                pub = resultat[k].iloc[0]
                if pd.isna(pub):
                    continue
                summa_kostnader = kostnader[k].sum(min_count=1)
                # Kostnader som trycks negativa (som i många förbunds budgetar): resultatet
                # är intäkter + kostnader, dvs. intäkter − |kostnader|.
                negativa = not pd.isna(summa_kostnader) and summa_kostnader < 0
                bred = pd.DataFrame(
                    {
                        "intakter": [intakter[k].sum(min_count=1)],
                        "kostnader": [-summa_kostnader if negativa else summa_kostnader],
                        "resultat": [pub],
                    },
                    index=[str(resultat["post"].iloc[0])],
                )
                f = granska_differenser(
                    bred,
                    minuend="intakter",
                    subtrahend="kostnader",
                    differens="resultat",
                    tabellnamn=tabellnamn,
                    avrundade=avrundade,
                )
                f["kolumn"] = k
                f["kommentar"] = (
                    "intäkter − kostnader"
                    + (" (kostnaderna är tryckta negativa)" if negativa else "")
                    + ": "
                    + f["kommentar"]
                )
                fynd.append(f)
    return _sla_ihop(fynd)


def _granska_eget_kapital(tabell: pd.DataFrame) -> pd.DataFrame:
    """Rullningen: ingående + intäkter = disponibla; disponibla − kostnader = utgående;
    utgående ett år = ingående nästa år."""
    data = tabell.reset_index(drop=True).copy()
    if "typ" not in data.columns:
        data["typ"] = ""

    def hitta(g: pd.DataFrame, *ord_: str) -> float:
        for o in ord_:
            traff = g[g["post"].astype(str).str.lower().str.contains(o, regex=False)]
            if len(traff) == 1:
                return float(traff["belopp"].iloc[0])
        return float("nan")

    rader = []
    for (period, ar), g in data.groupby(["period", "ar"], sort=False):
        rader.append(
            {
                "etikett": f"{ar}",
                "period": period,
                "ar": ar,
                "ingaende": hitta(g, "ingående"),
                "intakter": hitta(g, "intäkter"),
                "disponibla": hitta(g, "disponibla"),
                "kostnader": hitta(g, "kostnader"),
                "utgaende": hitta(g, "utgående"),
            }
        )
    if not rader:
        return tomma_fynd()
    bred = pd.DataFrame(rader).set_index("etikett")
    fynd = []
    for period, gp in bred.groupby("period", sort=False):
        namn = f"eget_kapital {period}"
        fynd.append(
            granska_summor(
                gp, delar=["ingaende", "intakter"], total="disponibla", tabellnamn=namn
            ).assign(kolumn="disponibla medel")
        )
        fynd.append(
            granska_differenser(
                gp,
                minuend="disponibla",
                subtrahend="kostnader",
                differens="utgaende",
                tabellnamn=namn,
            ).assign(kolumn="utgående eget kapital")
        )
        ordnad = gp.sort_values("ar")
        for (_, a), (_, b) in zip(
            ordnad.iloc[:-1].iterrows(), ordnad.iloc[1:].iterrows(), strict=True
        ):
            if pd.isna(a["utgaende"]) or pd.isna(b["ingaende"]):
                continue
            fynd.append(_med_antal(tomma_fynd(), {namn: 1}))
            if not _ar_lika(a["utgaende"], b["ingaende"]):
                fynd.append(
                    _som_fynd(
                        [
                            {
                                "tabell": namn,
                                "rad": f"{b['ar']}",
                                "kolumn": "ingående eget kapital",
                                "typ": "olika värden",
                                "publicerat": b["ingaende"],
                                "omraknat": a["utgaende"],
                                "avvikelse": b["ingaende"] - a["utgaende"],
                                "kommentar": f"utgående eget kapital {a['ar']} är "
                                f"{_tal(a['utgaende'])}",
                            }
                        ]
                    )
                )
    return _sla_ihop(fynd)


_SARSKILT_GRANSKADE = frozenset({"helarsekvivalenter", "ekonomi", "eget_kapital", "halsoenkat"})


def granska_underlag(underlag: Any, *, pastaenden: pd.DataFrame | None = None) -> pd.DataFrame:
    """Kör alla kontroller på ett förbunds publicerade tabeller.

    Granskar de kanoniska tabellerna (summarader, varav-rader och ``*_publicerad``-kolumner),
    de tryckta tabellerna i ``publicerat/`` (efter sin deklarerade struktur, se
    :mod:`finsam_analys.granskning.publicerade`), tryckta nyckeltal med jämförbara
    indikatornamn (:mod:`finsam_analys.granskning.nyckeltal`) och textpåståendena. Vad som
    prövats per tabell ger :func:`finsam_analys.granskning.resultat.granska`.

    Parameters
    ----------
    underlag : Underlag
        Från :func:`finsam_analys.indata.inlasning.las_forbund`. Summarader (``"Totalt"``,
        ``"Summa"``, ``"TOTAL"``) och ``*_publicerad``-kolumner jämförs med omräkningen.
    pastaenden : DataFrame, valfri
        Textpåståenden (se :func:`granska_pastaenden`); standard ``underlag.pastaenden``.

    Returns
    -------
    DataFrame
        Alla fynd (se :data:`KOLUMNER`); ``antal_kontroller(fynd)`` ger antalet jämförelser
        per tabell.

    Examples
    --------
    Ett underlag kan också vara en dict med kanoniska tabeller (Avesta 2015/16, budget):

    >>> ekonomi = pd.DataFrame({"period": "2015-07..2016-06", "ar": 2016, "grupp": "Kostnader",
    ...     "post": ["Personal", "Summa"], "budget": [1775000, 1775000],
    ...     "utfall": [819000, 819000], "differens_publicerad": [955000, 955000], "enhet": "kr"})
    >>> granska_underlag({"ekonomi": ekonomi})[["rad", "omraknat"]].values.tolist()
    [['Personal', 956000.0], ['Summa Kostnader', 956000.0]]
    """
    from finsam_analys.granskning.resultat import granska

    return granska(underlag, pastaenden=pastaenden).fynd


def granska_kanoniska(underlag: Any, *, pastaenden: pd.DataFrame | None = None) -> pd.DataFrame:
    """Kontrollerna på de kanoniska tabellerna och påståendena (utan ``publicerat/``)."""
    tabeller = getattr(underlag, "tabeller", underlag)
    delar = []
    for namn in sorted(tabeller):
        tabell = tabeller[namn]
        if tabell is None or not len(tabell):
            continue
        if namn not in _SARSKILT_GRANSKADE and (
            "antal" not in tabell.columns or namn in ("deltagare", "ersattningsperioder")
        ):
            continue  # inga publicerade tal att granska (t.ex. deltagarrader)
        # Små tabeller: Python-strängar (object) är mycket snabbare än pyarrow här.
        tabell = tabell.astype(
            {k: object for k in tabell.columns if pd.api.types.is_string_dtype(tabell[k])}
        )
        if namn == "helarsekvivalenter":
            delar.append(_granska_helarsekvivalenter(tabell))
        elif namn == "ekonomi":
            delar.append(_granska_ekonomi(tabell))
        elif namn == "eget_kapital":
            delar.append(_granska_eget_kapital(tabell))
        elif namn == "halsoenkat":
            delar.append(_granska_halsoenkat(tabell))
        elif "antal" in tabell.columns and namn not in ("deltagare", "ersattningsperioder"):
            delar.append(_granska_antalstabell(tabell, namn=namn))
    if pastaenden is not None and len(pastaenden):
        delar.append(granska_pastaenden(pastaenden))
    fynd = _sla_ihop(delar)
    if "eget_kapital" in tabeller and len(fynd):
        fynd = _forklara_resultat(fynd, tabeller["eget_kapital"])
    return fynd


def _forklara_resultat(fynd: pd.DataFrame, eget_kapital: pd.DataFrame) -> pd.DataFrame:
    """Säg i kommentaren om ett felaktigt resultat stämmer med eget kapital-rullningens
    intäkter − kostnader (dvs. räknat med andra kostnader än tabellens)."""
    fynd = fynd.copy()
    ek = eget_kapital.astype({k: object for k in ("post",) if k in eget_kapital.columns})
    for i in fynd.index[fynd["rad"].str.startswith("Resultat") & (fynd["typ"] == "differens")]:
        ar = fynd.at[i, "tabell"].split(", ")[-1].split(" ")[0]
        g = ek[ek["ar"].astype(str) == ar]
        intakt = g[g["post"].str.lower().str.contains("intäkter", regex=False)]["belopp"]
        kostn = g[g["post"].str.lower().str.contains("kostnader", regex=False)]["belopp"]
        if len(intakt) == 1 and len(kostn) == 1:
            i_v, k_v = float(intakt.iloc[0]), float(kostn.iloc[0])
            if _ar_lika(i_v - k_v, fynd.at[i, "publicerat"]):
                fynd.at[i, "kommentar"] += (
                    f"; det tryckta värdet är {_tal(i_v)} − {_tal(k_v)} med kostnaderna i "
                    f"eget kapital-rullningen ({_tal(k_v)}), som inte är tabellens TOTAL"
                )
    return fynd
