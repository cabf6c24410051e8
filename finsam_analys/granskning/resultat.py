"""Hela granskningen av ett förbund: fynd, alla kontroller och vad som prövats per tabell.

:func:`granska` kör allt granskningen kan pröva i ett underlag: de kanoniska tabellerna
(:func:`~finsam_analys.granskning.kontroller.granska_kanoniska`), de tryckta tabellerna i
``publicerat/`` efter sin deklarerade struktur
(:func:`~finsam_analys.granskning.publicerade.granska_publicerade`), tryckta nyckeltal mot
omräkningen (:func:`~finsam_analys.granskning.nyckeltal.granska_nyckeltal`) och
textpåståendena. Resultatet har fynden, kontrollerna och en sammanfattning per tabell: hur
många kontroller som kördes, hur många som stämde, rymdes i avrundningen, avvek, bör
kontrolleras eller inte kunde prövas.

Slutkoden för ``finsam-analys granska`` följer av fynden: 0 när inget avviker, 1 när minst en
avvikelse hittades (avrundningar och "att kontrollera" är inga avvikelser).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from finsam_analys.granskning.kontroller import (
    _sla_ihop,
    _tal,
    allvarlighet,
    antal_kontroller,
    fynd_som_lista,
    granska_kanoniska,
)
from finsam_analys.granskning.nyckeltal import granska_nyckeltal
from finsam_analys.granskning.publicerade import (
    granska_publicerade,
    kontroller_som_fynd,
    tabellnamn,
    tomma_kontroller,
)

__all__ = [
    "SAMMANFATTNINGSKOLUMNER",
    "Granskning",
    "formatera_sammanfattning",
    "granska",
    "granskning_som_dict",
]

SAMMANFATTNINGSKOLUMNER: tuple[str, ...] = (
    "tabell",
    "kontroller",
    "stämmer",
    "avrundning",
    "avvikelser",
    "att kontrollera",
    "ej prövbara",
)


@dataclass(frozen=True)
class Granskning:
    """Resultatet av :func:`granska`.

    ``fynd`` har en rad per avvikelse, avrundning och sak att kontrollera (kolumnerna i
    :data:`~finsam_analys.granskning.kontroller.KOLUMNER`); ``kontroller`` har en rad per
    kontroll av tryckta tabeller och nyckeltal, även de som stämmer
    (:data:`~finsam_analys.granskning.publicerade.KONTROLLKOLUMNER`); ``sammanfattning`` har en
    rad per granskad tabell (:data:`SAMMANFATTNINGSKOLUMNER`).
    """

    fynd: pd.DataFrame
    kontroller: pd.DataFrame
    sammanfattning: pd.DataFrame

    @property
    def antal_avvikelser(self) -> int:
        return sum(allvarlighet(t) == "avvikelse" for t in self.fynd["typ"])

    @property
    def slutkod(self) -> int:
        """0 när inget avviker, 1 när minst en avvikelse hittades."""
        return 1 if self.antal_avvikelser else 0


def _sammanfatta(
    fynd_kanoniska: pd.DataFrame, kontroller: pd.DataFrame, utan_kontroller: list[str]
) -> pd.DataFrame:
    """En rad per tabell; tryckta tabeller utan något att pröva (t.ex. mål som text) får nollor."""
    rader: list[dict[str, Any]] = []
    for namn, antal in antal_kontroller(fynd_kanoniska).items():
        egna = [
            allvarlighet(t) for t in fynd_kanoniska.loc[fynd_kanoniska["tabell"] == namn, "typ"]
        ]
        avv, avr, kontr = (egna.count(g) for g in ("avvikelse", "avrundning", "att kontrollera"))
        rader.append(
            {
                "tabell": namn,
                "kontroller": antal,
                "stämmer": max(antal - avv - avr - kontr, 0),
                "avrundning": avr,
                "avvikelser": avv,
                "att kontrollera": kontr,
                "ej prövbara": 0,
            }
        )
    for namn, g in kontroller.groupby("tabell", sort=False):
        status = g["status"].value_counts()
        prova = int(len(g) - status.get("ej prövbar", 0))
        rader.append(
            {
                "tabell": namn,
                "kontroller": prova,
                "stämmer": int(status.get("stämmer", 0)),
                "avrundning": int(status.get("avrundning", 0)),
                "avvikelser": int(status.get("avvikelse", 0)),
                "att kontrollera": int(status.get("att kontrollera", 0)),
                "ej prövbara": int(status.get("ej prövbar", 0)),
            }
        )
    for namn in utan_kontroller:
        if namn not in {r["tabell"] for r in rader}:
            rader.append({"tabell": namn, **{k: 0 for k in SAMMANFATTNINGSKOLUMNER[1:]}})
    ut = pd.DataFrame(rader, columns=list(SAMMANFATTNINGSKOLUMNER))
    for k in SAMMANFATTNINGSKOLUMNER[1:]:
        ut[k] = ut[k].astype("int64")
    return ut


def granska(underlag: Any, *, pastaenden: pd.DataFrame | None = None) -> Granskning:
    """Granska allt i ett förbunds underlag som går att räkna om.

    Parameters
    ----------
    underlag : Underlag
        Från :func:`finsam_analys.indata.inlasning.las_forbund` (eller en dict med kanoniska
        tabeller).
    pastaenden : DataFrame, valfri
        Textpåståenden; standard ``underlag.pastaenden``.

    Returns
    -------
    Granskning

    Examples
    --------
    Avesta 2015/16, budgeten: differensen 955 000 ska vara 1 775 000 − 819 000 = 956 000.

    >>> ekonomi = pd.DataFrame({"period": "2015-07..2016-06", "ar": 2016, "grupp": "Kostnader",
    ...     "post": ["Personal", "Lokaler", "Summa"], "budget": [1775000, 165000, 1940000],
    ...     "utfall": [819000, 88000, 907000], "differens_publicerad": [955000, 77000, 1032000],
    ...     "enhet": "kr"})
    >>> g = granska({"ekonomi": ekonomi})
    >>> g.slutkod, [str(x) for x in g.sammanfattning.iloc[0]]
    (1, ['ekonomi 2015-07..2016-06, 2016 (kr)', '6', '4', '0', '2', '0', '0'])
    """
    if pastaenden is None:
        pastaenden = getattr(underlag, "pastaenden", None)
    kanoniska = granska_kanoniska(underlag, pastaenden=pastaenden)
    publicerade = getattr(underlag, "publicerade", ()) or ()
    delar = [granska_publicerade(publicerade)] if publicerade else []
    if hasattr(underlag, "tabell"):
        delar.append(granska_nyckeltal(underlag))
    delar = [d for d in delar if len(d)]
    kontroller = pd.concat(delar, ignore_index=True) if delar else tomma_kontroller()
    fynd = _sla_ihop([kanoniska, kontroller_som_fynd(kontroller)])
    fynd.attrs = dict(kanoniska.attrs)
    return Granskning(
        fynd=fynd,
        kontroller=kontroller,
        sammanfattning=_sammanfatta(kanoniska, kontroller, [tabellnamn(t) for t in publicerade]),
    )


def formatera_sammanfattning(sammanfattning: pd.DataFrame) -> str:
    """Sammanfattningen per tabell som en svensk texttabell, med en summarad.

    >>> s = pd.DataFrame([["ekonomi", 6, 4, 0, 2, 0, 0]], columns=list(SAMMANFATTNINGSKOLUMNER))
    >>> print(formatera_sammanfattning(s))
    Tabell   Kontroller  Stämmer  Avrundning  Avvikelser  Att kontrollera  Ej prövbara
    -------  ----------  -------  ----------  ----------  ---------------  -----------
    ekonomi           6        4           0           2                0            0
    -------  ----------  -------  ----------  ----------  ---------------  -----------
    Summa             6        4           0           2                0            0
    """
    rubriker = [
        "Tabell",
        "Kontroller",
        "Stämmer",
        "Avrundning",
        "Avvikelser",
        "Att kontrollera",
        "Ej prövbara",
    ]
    rader = [
        [_kort(str(r[0])), *(_tal(float(x), 0) for x in r[1:])]
        for r in sammanfattning.itertuples(index=False)
    ]
    summa = [
        "Summa",
        *(_tal(float(sammanfattning[k].sum()), 0) for k in SAMMANFATTNINGSKOLUMNER[1:]),
    ]
    alla = [rubriker, *rader, summa]
    bredder = [max(len(x[i]) for x in alla) for i in range(len(rubriker))]

    def rad(celler: list[str]) -> str:
        return "  ".join(
            c.ljust(bredder[i]) if i == 0 else c.rjust(bredder[i]) for i, c in enumerate(celler)
        ).rstrip()

    streck = rad(["-" * b for b in bredder])
    return "\n".join([rad(rubriker), streck, *(rad(r) for r in rader), streck, rad(summa)])


def _kort(text: str, langd: int = 70) -> str:
    return text if len(text) <= langd else text[: langd - 1] + "…"


def granskning_som_dict(granskning: Granskning, *, forbund: str = "", namn: str = "") -> dict:
    """Granskningen som en JSON-vänlig dict: slutkod, sammanfattning per tabell och fynd."""
    sammanfattning = [
        {
            k: (v if k == "tabell" else int(v))
            for k, v in zip(SAMMANFATTNINGSKOLUMNER, r, strict=True)
        }
        for r in granskning.sammanfattning.itertuples(index=False)
    ]
    fynd = fynd_som_lista(granskning.fynd)
    for f in fynd:
        f["allvarlighet"] = allvarlighet(f["typ"])
    return {
        "forbund": forbund,
        "namn": namn,
        "slutkod": granskning.slutkod,
        "antal_avvikelser": granskning.antal_avvikelser,
        "sammanfattning": sammanfattning,
        "fynd": fynd,
    }
