"""Tryckta nyckeltal under ett dokumenterat indikatornamn jämförs med omräkningen.

Ett nyckeltal som rapporten trycker (en rad i ``nyckeltal_publicerade.csv``, eller en rad i en
tryckt tabell i ``publicerat/`` med kolumnen ``indikator``) och som har ett namn ur
:data:`JAMFORBARA` räknas om ur periodens räknetabeller
(:func:`finsam_analys.matt.indikatorer.indikatorer`: ur aggregaten eller ur deltagarraderna)
och jämförs med det tryckta värdet, med de decimaler som trycktes.

Insatsen matchas exakt. Finns den tryckta insatsen inte som egen insats i underlaget jämförs
med hela underlaget för perioden, och en skillnad blir då ``att kontrollera`` (populationerna
kan skilja sig), inte en avvikelse.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from finsam_analys.granskning.kontroller import _avrunda, _decimaler_for, _tal
from finsam_analys.granskning.publicerade import _som_kontroller, tabellnamn, tomma_kontroller
from finsam_analys.indata.kodlistor import TOTALT

__all__ = ["JAMFORBARA", "granska_nyckeltal"]

JAMFORBARA: dict[str, str] = {
    "andel_arbete": "avslut till arbete / fullföljda avslut",
    "andel_studier": "avslut till studier / fullföljda avslut",
    "andel_fortsatt_rehabilitering": (
        "avslut till fortsatt arbetslivsinriktad rehabilitering / fullföljda avslut"
    ),
    "andel_arbete_eller_studier": "(arbete + studier) / fullföljda avslut",
    "andel_arbete_eller_rehabilitering": (
        "(arbete + fortsatt arbetslivsinriktad rehabilitering) / fullföljda avslut"
    ),
    "andel_avbrott": "avbrutna / alla avslut (fullföljda och avbrutna)",
    "andel_forbattrad_halsa": "antal med förbättrad hälsa / antal hälsoenkäter (par start–slut)",
    "halsa_forandring": "(poängsumma vid slut − vid start) / poängsumma vid start",
    "andel_stegforflyttning": "minst ett steg upp på trappan / alla med start- och slutsteg",
}
"""Indikatorer som granskningen räknar om och jämför (namn -> definition)."""


def _procent(enhet: Any) -> bool | None:
    e = str(enhet or "").strip().lower()
    if e in ("procent", "%", "procentenheter"):
        return True
    if e in ("andel", "brak", "bråk"):
        return False
    return None


def _trycka(
    underlag: Any,
) -> list[dict[str, Any]]:
    """Alla tryckta nyckeltal med jämförbart namn: period, insats, indikator, värde, …"""
    ut: list[dict[str, Any]] = []
    tabell = underlag.tabell("nyckeltal_publicerade") if hasattr(underlag, "tabell") else None
    if tabell is not None:
        for r in tabell.itertuples(index=False):
            if r.indikator not in JAMFORBARA:
                continue
            procent = _procent(getattr(r, "enhet", None))
            if procent is None:
                continue
            insats = getattr(r, "insats", None)
            kall = getattr(r, "kalltabell", None)
            ut.append(
                {
                    "tabell": "nyckeltal_publicerade"
                    + (f" ({kall})" if isinstance(kall, str) and kall else ""),
                    "rad": str(r.indikator),
                    "kolumn": "varde",
                    "period": str(r.period),
                    "insats": insats if isinstance(insats, str) and insats else None,
                    "indikator": r.indikator,
                    "varde": float(r.varde),
                    "decimaler": _decimaler_for(float(r.varde)),
                    "procent": procent,
                }
            )
    for t in getattr(underlag, "publicerade", ()) or ():
        if "indikator" not in t.rader.columns:
            continue
        for i, ind in enumerate(t.rader["indikator"]):
            if not isinstance(ind, str) or ind not in JAMFORBARA:
                continue
            for k in t.kolumner:
                cell = t.cell(i, k.namn)
                if k.roll not in ("varde", "summa") or math.isnan(cell.varde):
                    continue
                if k.matt == "andel" or cell.procent:
                    varde, dec, procent = (
                        cell.varde,
                        cell.decimaler,
                        (k.enhet or "procent") != "brak",
                    )
                elif not math.isnan(cell.andel):
                    varde, dec, procent = cell.andel, cell.andel_decimaler, True
                else:
                    continue
                ut.append(
                    {
                        "tabell": tabellnamn(t),
                        "rad": t.etikett(i),
                        "kolumn": k.namn,
                        "period": k.period or t.period,
                        "insats": None,
                        "indikator": ind,
                        "varde": varde,
                        "decimaler": dec,
                        "procent": procent,
                    }
                )
    return ut


def granska_nyckeltal(underlag: Any) -> pd.DataFrame:
    """Jämför tryckta nyckeltal (jämförbara indikatornamn) med omräkningen, en rad per kontroll.

    Returns
    -------
    DataFrame
        Kontrollerna (se :data:`finsam_analys.granskning.publicerade.KONTROLLKOLUMNER`) med
        ``kontroll = "indikator"``; ``ej prövbar`` när perioden saknar data för indikatorn.

    Examples
    --------
    SOT Västerås 2019: tryckta 13 % till arbete, omräknat 7 / 55 = 12,7 %.

    >>> from types import SimpleNamespace
    >>> avslut = pd.DataFrame({"period": "2019", "insats": "SOT", "avslutstyp": "Fullföljd",
    ...     "utfall": ["Arbete", "Studier", "Fortsatt arbetslivsinriktad rehabilitering"],
    ...     "antal": [7, 5, 43]})
    >>> nyckeltal = pd.DataFrame({"period": ["2019", "2019"], "insats": ["SOT", "SOT"],
    ...     "indikator": ["andel_arbete", "andel_studier"], "varde": [13.0, 10.0],
    ...     "enhet": ["procent", "procent"]})
    >>> tabeller = {"avslut": avslut, "nyckeltal_publicerade": nyckeltal}
    >>> u = SimpleNamespace(tabell=lambda n: tabeller.get(n), konfig=SimpleNamespace(trappa=()))
    >>> k = granska_nyckeltal(u)
    >>> k[["rad", "status", "publicerat", "omraknat"]].values.tolist()
    [['andel_arbete', 'stämmer', 13.0, 13.0], ['andel_studier', 'avvikelse', 10.0, 9.0]]
    """
    from finsam_analys.matt.indikatorer import indikatorer
    from finsam_analys.matt.rakning import rakna

    tryckta = _trycka(underlag)
    if not tryckta:
        return tomma_kontroller()
    raknade: dict[str, pd.DataFrame] = {}
    rader: list[dict[str, Any]] = []
    for p in tryckta:
        period = p["period"]
        if period is None:
            continue
        if period not in raknade:
            try:
                raknade[period] = indikatorer(rakna(underlag, period))
            except (ValueError, TypeError, KeyError):
                raknade[period] = pd.DataFrame(columns=["indikator", "insats", "varde"])
        omr = raknade[period]
        omr = omr[omr["indikator"] == p["indikator"]]
        bas = {"tabell": p["tabell"], "rad": p["rad"], "kolumn": p["kolumn"]}
        bas["kontroll"] = "indikator"
        if not len(omr):
            rader.append(
                {
                    **bas,
                    "status": "ej prövbar",
                    "publicerat": p["varde"],
                    "kommentar": f"{p['indikator']}: underlaget för {period} räcker inte "
                    "för en omräkning",
                }
            )
            continue
        insats = p["insats"]
        exakt_insats = insats is None or insats in set(omr["insats"])
        val = omr[omr["insats"] == (insats if insats is not None and exakt_insats else TOTALT)]
        if not len(val):
            continue
        r = val.iloc[0]
        skala = 100.0 if p["procent"] else 1.0
        exakt = float(r["varde"]) * skala
        d = p["decimaler"]
        halv = 0.5 * 10.0**-d
        pub = p["varde"]
        definition = JAMFORBARA[p["indikator"]]
        antal, n = r.get("antal"), r.get("n")
        underlag_text = (
            f"{_tal(antal)} / {_tal(n)} = " if not (pd.isna(antal) or pd.isna(n)) else ""
        ) + f"{_tal(exakt, d + 2)}{' %' if p['procent'] else ''} ({definition})"
        if not exakt_insats:
            underlag_text += (
                f"; insatsen {insats} finns inte som egen insats, jämfört med hela underlaget"
            )
        if abs(pub - exakt) <= halv + 1e-9:
            status = "stämmer"
        else:
            status = "avvikelse" if exakt_insats else "att kontrollera"
        rader.append(
            {
                **bas,
                "status": status,
                "publicerat": pub,
                "omraknat": _avrunda(exakt, d) if status != "stämmer" else pub,
                "kommentar": underlag_text,
            }
        )
    ut = _som_kontroller(rader)
    ut["avvikelse"] = ut["publicerat"] - ut["omraknat"]
    return ut
