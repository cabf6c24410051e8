"""Sekretess över ett förbunds alla rapporter i en batch.

Varje rapport maskar först på egen hand (rapportens kontrollpunkt i notebooken) och skriver
sitt *sekretessprotokoll* – underlaget (storheternas värden, vilka som visas, sambanden) och
vilka storheter den maskade – till batchens egen arbetskatalog (aldrig till utdata: underlaget
har omaskade tal). När alla rapporter för ett förbund är klara fattar batchen ett gemensamt
beslut över dem tillsammans (:func:`~finsam_analys.sekretess.kontrollpunkt.forbundets_beslut`:
samma storhet i två rapporter, delår i helår) och kör om de rapporter som då ska maska något
mer, med beslutets storheter som parametern ``tvingade``. En rapport som körs om med tvingade
storheter behöver ingen egen sekundär maskning utöver dem (den visar en delmängd av det som
prövades tillsammans), så en omkörning räcker.

Så blir det billigt: rapporterna räknas en gång, och oftast (rapporter utan gemensamma
storheter och utan perioder i varandra) behövs ingen omkörning alls.

Examples
--------
>>> protokollfil("/tmp/x", "vasteras", "2021-01..2021-08").name
'vasteras__2021-01_2021-08.pickle'
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from finsam_analys.korning.utdata import periodkatalog, skriv_atomart

__all__ = ["las_protokoll", "omkorningar", "protokollfil", "spara_protokoll"]


def protokollfil(katalog: str | os.PathLike[str], forbund: str, period: Any) -> Path:
    """Protokollets fil för en rapport i batchens arbetskatalog."""
    return Path(katalog) / f"{forbund}__{periodkatalog(period)}.pickle"


def spara_protokoll(
    rapport: Any, *, katalog: str | os.PathLike[str], forbund: str, period: Any
) -> Path | None:
    """Skriv rapportens sekretessprotokoll (underlag, maskade storheter och regler).

    ``rapport`` är :func:`finsam_analys.rapport.sammanstall_rapport`:s eller
    :func:`~finsam_analys.rapport.bygg_rapport`:s svar; saknar den beslut (en rapport byggd på
    annat sätt) skrivs inget.
    """
    sektioner = getattr(rapport, "sektioner", rapport)  # tabell.Rapport eller bygg_rapport:s svar
    beslut = getattr(sektioner, "sekretessbeslut", None)
    underlag = getattr(sektioner, "sekretessunderlag", None)
    if beslut is None or underlag is None or not Path(katalog).is_dir():
        return None  # ingen batch (t.ex. en sparad notebook som körs om efteråt)
    innehall = {
        "underlag": underlag,
        "maskade": frozenset(beslut.maskade),
        "regler": {
            "troskel": beslut.troskel,
            "namnare_troskel": beslut.namnare_troskel,
            "intern": beslut.avstangd,
        },
    }
    return skriv_atomart(protokollfil(katalog, forbund, period), pickle.dumps(innehall))


def las_protokoll(katalog: str | os.PathLike[str], forbund: str, period: Any) -> dict | None:
    """Protokollet som rapporten skrev, eller ``None`` om det saknas.

    Filerna skrivs bara av batchens egna rapporter i en katalog som batchen själv skapat.
    """
    fil = protokollfil(katalog, forbund, period)
    if not fil.is_file():
        return None
    with fil.open("rb") as f:
        return pickle.load(f)


class _Regler:
    def __init__(self, regler: Mapping[str, Any]) -> None:
        self.troskel = int(regler.get("troskel", 5))
        self.namnare_troskel = int(regler.get("namnare_troskel", 10))
        self.intern = bool(regler.get("intern", False))


def omkorningar(
    katalog: str | os.PathLike[str], forbund: str, perioder: Iterable[str]
) -> dict[str, list[list[Any]]]:
    """Förbundets rapporter som ska köras om, med storheterna de ska maska (som listor).

    ``perioder`` är de rapporter som lyckades. Med färre än två protokoll finns inget att
    samordna.
    """
    from finsam_analys.sekretess.kontrollpunkt import forbundets_beslut, storhet_till_lista

    perioder = list(perioder)
    protokoll = {p: las_protokoll(katalog, forbund, p) for p in perioder}
    protokoll = {p: x for p, x in protokoll.items() if x is not None}
    if len(protokoll) < 2:
        return {}
    forsta = next(iter(protokoll.values()))
    if forsta["regler"].get("intern"):
        return {}
    _, om = forbundets_beslut(
        [(x["underlag"], x["maskade"]) for x in protokoll.values()], _Regler(forsta["regler"])
    )
    return {
        p: [storhet_till_lista(s) for s in sorted(behov)]
        for p, behov in zip(protokoll, om, strict=True)
        if behov is not None
    }
