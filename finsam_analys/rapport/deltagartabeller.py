"""Tabeller ur deltagarrader av samma slag som förbunden trycker.

När förbundet har deltagarrader räknar rapporten samma slags tabeller som förbundens egna
rapporter trycker:

* **korstabeller**: nya deltagare efter kön och försörjning vid inskrivning (Finsams
  försörjningsgrupper), deltagare efter kön och tid i offentlig försörjning före inskrivning;
  (insats × utfall för avslutade finns i *Avslut och resultat*);
* **tabeller per population**: alla som deltagit, nya under perioden och avslutade, sida vid
  sida, efter kön och efter försörjning vid inskrivning;
* **andel med antal**: "53 % (30 av 57)" (måttet ``andel_av``: andelen med sin täljare och
  nämnare).

Talen räknas av biblioteket (:func:`finsam_analys.matt.deltagarfloden.korstabell_deltagare`
och :func:`~finsam_analys.matt.deltagarfloden.fordelning`); här byggs bara tabellerna. Cellerna
refererar till samma storheter som rapportens övriga tabeller (``deltagit``, ``nya``,
``avslut`` med villkoren ``kon``, ``forsorjningsgrupp_in``, ``forsorjning_in``,
``tid_offentlig_forsorjning``), så att sekretessens kontrollpunkt maskar dem tillsammans.
Tabellerna är omaskade när de byggs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.perioder import Rapportperiod
from finsam_analys.tabell import (
    Kolumn,
    Kvot,
    Relation,
    Sektion,
    Storhet,
    Stycke,
    Tabell,
    ram_med_textkolumner,
)

__all__ = [
    "POPULATIONER",
    "deltagartabeller",
    "med_deltagartabeller",
    "tabell_per_population",
]

POPULATIONER: tuple[tuple[str, str, str], ...] = (
    ("deltagit", "deltagit", "Alla som deltagit"),
    ("nya", "nya", "Nya under perioden"),
    ("avslutade", "avslut", "Avslutade under perioden"),
)
"""(urval i :func:`~finsam_analys.matt.deltagarfloden.fordelning`, storhetens population,
kolumnrubrik) för tabellerna per population."""

_DIMENSIONER = {
    "kon": "Kön",
    "forsorjningsgrupp_in": "Försörjning vid inskrivning",
    "forsorjning_in": "Försörjning vid inskrivning",
    "tid_offentlig_forsorjning": "Tid i offentlig försörjning före inskrivning",
}
_KONSETIKETTER = {"Kvinna": "Kvinnor", "Man": "Män"}


def _har(deltagare: pd.DataFrame, kolumn: str) -> bool:
    return kolumn in deltagare.columns and bool(deltagare[kolumn].notna().any())


def _korstabell(
    deltagare: pd.DataFrame,
    period: Rapportperiod,
    *,
    rader: str,
    kolumner: str,
    kolumndimension: str,
    urval: str,
    population: str,
    titel: str,
    populationstext: str,
    grupper: Mapping[str, Any] | None = None,
) -> Tabell | None:
    from finsam_analys.matt.deltagarfloden import korstabell_deltagare

    antal = korstabell_deltagare(
        deltagare, period=period, rader=rader, kolumner=kolumner, urval=urval, grupper=grupper
    )
    if not antal.to_numpy().sum():
        return None
    return Tabell.korstabell(
        antal,
        namn=f"korstabell_{rader}_{kolumndimension}_{urval}",
        titel=titel,
        bas=Storhet.av(population, period),
        rad_dimension=rader,
        kolumn_dimension=kolumndimension,
        radrubrik=_DIMENSIONER.get(rader, rader),
        etiketter=_KONSETIKETTER,
        population=populationstext,
        period=period.namn,
    )


def tabell_per_population(
    deltagare: pd.DataFrame,
    period: Rapportperiod,
    *,
    dimension: str,
    grupper: Mapping[str, Any] | None = None,
    storhetsdimension: str | None = None,
) -> Tabell | None:
    """En dimension för alla som deltagit, nya och avslutade, sida vid sida, som "NN % (a av b)".

    Varje kolumn är en egen population med egen nämnare (summaraden); varje cell är andelen
    med sitt antal och populationens antal (måttet ``andel_av``). ``grupper`` slår ihop
    kategorier (t.ex. försörjningsformer till försörjningsgrupper); ``storhetsdimension`` är då
    villkorets namn i storheterna (``forsorjningsgrupp_in``).

    Examples
    --------
    >>> d = pd.DataFrame({"inskrivningsdatum": ["2018-05-01", "2019-02-01", "2019-03-01"],
    ...                   "avslutsdatum": ["2019-06-30", None, "2019-09-30"],
    ...                   "kon": ["Kvinna", "Man", "Kvinna"]})
    >>> t = tabell_per_population(d, Rapportperiod.tolka("2019"), dimension="kon")
    >>> from finsam_analys.presentation.tabellvisning import visningstext
    >>> visningstext(t).iloc[0].tolist()
    ['Kvinnor', '67\\xa0% (2 av 3)', '50\\xa0% (1 av 2)', '100\\xa0% (2 av 2)']
    """
    from finsam_analys.matt.deltagarfloden import fordelning

    villkor = storhetsdimension or dimension
    kolumner = [Kolumn(_DIMENSIONER.get(villkor, villkor))]
    per_pop: list[tuple[str, Storhet, pd.Series]] = []
    for urval, population, rubrik in POPULATIONER:
        f = fordelning(deltagare, period=period, dimension=dimension, urval=urval)
        antal = f.set_index("kategori")["antal"]
        if grupper:
            tillhor = {str(v): str(g) for g, vs in grupper.items() for v in vs}
            antal = antal.groupby(
                [tillhor.get(str(k), str(k)) for k in antal.index], sort=False
            ).sum()
        per_pop.append((rubrik, Storhet.av(population, period), antal))
    kategorier = list(dict.fromkeys(k for _, _, a in per_pop for k in a.index))
    if grupper:
        ordning = [str(g) for g in grupper]
        kategorier = [g for g in ordning if g in kategorier] + [
            k for k in kategorier if k not in ordning
        ]
    if not kategorier or not any(a.sum() for _, _, a in per_pop):
        return None
    etiketter = [_KONSETIKETTER.get(k, k) for k in kategorier]
    data: dict[str, list[Any]] = {kolumner[0].namn: [*etiketter, TOTALT]}
    refs: dict[str, list[Any]] = {kolumner[0].namn: [None] * (len(kategorier) + 1)}
    antal_map: dict[Storhet, float] = {}
    relationer: list[Relation] = []
    for rubrik, bas, antal in per_pop:
        delar = [bas.med(**{villkor: k}) for k in kategorier]
        varden = [int(antal.get(k, 0)) for k in kategorier]
        summa = int(sum(varden))
        antal_map[bas] = summa
        antal_map.update(dict(zip(delar, varden, strict=True)))
        relationer.append(Relation.summa(bas, delar))
        data[rubrik] = [v / summa if summa else np.nan for v in [*varden, summa]]
        refs[rubrik] = [Kvot(bas, s) for s in [*delar, bas]]
        kolumner.append(Kolumn(rubrik, "andel_av", delar_av_helhet=True))
    return Tabell(
        namn=f"per_population_{villkor}",
        titel=f"{_DIMENSIONER.get(villkor, villkor)}: alla, nya och avslutade, {period.namn}",
        data=ram_med_textkolumner(data, [kolumner[0].namn]),
        kolumner=tuple(kolumner),
        referenser=pd.DataFrame(refs, dtype=object),
        antal=antal_map,
        relationer=tuple(relationer),
        population="Deltaganden: alla under perioden, nya under perioden och avslutade",
        period=period.namn,
        summarader=(len(kategorier),),
        fotnoter=(
            "Andel av populationen i kolumnen, med antal och populationens storlek inom parentes.",
        ),
    )


def deltagartabeller(underlag: Any, period: Rapportperiod) -> list[tuple[str, Tabell]]:
    """Korstabellerna och tabellerna per population ur förbundets deltagarrader.

    Returns
    -------
    list[tuple[str, Tabell]]
        (avsnitt, tabell); tomt när underlaget saknar deltagarrader.
    """
    from finsam_analys.indata.kodlistor import FORSORJNINGSGRUPPER

    deltagare = underlag.tabell("deltagare") if hasattr(underlag, "tabell") else None
    if deltagare is None or not len(deltagare) or "inskrivningsdatum" not in deltagare.columns:
        return []
    ut: list[tuple[str, Tabell]] = []
    if _har(deltagare, "kon") and _har(deltagare, "forsorjning_in"):
        t = _korstabell(
            deltagare,
            period,
            rader="kon",
            kolumner="forsorjning_in",
            kolumndimension="forsorjningsgrupp_in",
            urval="nya",
            population="nya",
            titel=f"Nya deltagare efter kön och försörjning vid inskrivning, {period.namn}",
            populationstext="Nya deltagare under perioden",
            grupper=FORSORJNINGSGRUPPER,
        )
        if t is not None:
            ut.append(("bakgrund", t))
    if _har(deltagare, "kon") and _har(deltagare, "tid_offentlig_forsorjning_ar"):
        t = _korstabell(
            deltagare,
            period,
            rader="kon",
            kolumner="tid_offentlig_forsorjning",
            kolumndimension="tid_offentlig_forsorjning",
            urval="deltagit",
            population="deltagit",
            titel=f"Deltagare efter kön och tid i offentlig försörjning, {period.namn}",
            populationstext="Alla som deltagit under perioden",
        )
        if t is not None:
            ut.append(("bakgrund", t))
    if _har(deltagare, "kon"):
        t = tabell_per_population(deltagare, period, dimension="kon")
        if t is not None:
            ut.append(("bakgrund", t))
    if _har(deltagare, "forsorjning_in"):
        t = tabell_per_population(
            deltagare,
            period,
            dimension="forsorjning_in",
            grupper=FORSORJNINGSGRUPPER,
            storhetsdimension="forsorjningsgrupp_in",
        )
        if t is not None:
            ut.append(("bakgrund", t))
    return ut


def med_deltagartabeller(
    sektioner: Mapping[str, Sektion], underlag: Any, period: Rapportperiod
) -> dict[str, Sektion]:
    """Rapportens sektioner med :func:`deltagartabeller` sist i sina avsnitt.

    Anropas av :func:`finsam_analys.rapport.bygg_rapport` före kontrollpunkterna. En tabell
    vars storheter har andra värden i rapportens övriga tabeller (samma nyckel, annan räkning)
    tas inte med: samma storhet måste vara samma tal överallt.
    """
    import math

    tabeller = deltagartabeller(underlag, period)
    ut = dict(sektioner)
    kanda: dict[Storhet, float] = {}
    for s in ut.values():
        kanda.update(s.antal)
        for t in s.tabellobjekt():
            kanda.update(t.antal)
    per_avsnitt: dict[str, list[Tabell]] = {}
    for avsnitt, t in tabeller:
        forenlig = all(
            s not in kanda or math.isclose(float(kanda[s]), float(v)) for s, v in t.antal.items()
        )
        if forenlig and avsnitt in ut and ut[avsnitt].saknas is None:
            per_avsnitt.setdefault(avsnitt, []).append(t)
    for avsnitt, lista in per_avsnitt.items():
        text = Stycke(
            (
                "Korstabeller och fördelningar per population (alla som deltagit, nya och "
                "avslutade), så som förbunden brukar redovisa dem.",
            )
        )
        ut[avsnitt] = ut[avsnitt].med(innehall=(*ut[avsnitt].innehall, text, *lista))
    return ut
