"""Sektionerna Sammanfattning (Mål och resultat), Avslut och resultat, och Avbrott.

Sektionerna bygger omaskat innehåll av tabeller (:mod:`finsam_analys.tabell`); sekretessen och
avrundningen sker i rapportens kontrollpunkter (:func:`finsam_analys.rapport.bygg_rapport`).
Var varje tal räknas:

* indikatorerna (andelar med antal och nämnare, per insats och totalt, och
  jämförelseperiodens): :func:`finsam_analys.matt.indikatorer.indikatorer`;
* mål, skillnad i procentenheter, Wilsonintervall och binomialtest:
  :func:`finsam_analys.matt.mal.jamfor_med_mal`;
* återbetalningstid mot mål: :func:`finsam_analys.matt.samhallsnytta.aterbetalningstid_mot_mal`;
* avslut per utfall och insats: :func:`finsam_analys.matt.andelar.korstabell`, andelarna med
  konfidensintervall (:func:`~finsam_analys.rapport.gemensamt.med_konfidensintervall`);
* avbrott per orsak och remittent: :func:`finsam_analys.matt.deltagarfloden.
  fordelning_fran_antal`.

Storheterna (se ``docs/arkitektur.md``): fullföljda avslut ``avslut[P; avslutstyp=Fullföljd]``
(:func:`fullfoljda_avslut`), med ``utfall=…`` och ``insats=…``; en sammansatt andel (arbete
eller studier) har täljaren ``utfall=Arbete+Studier`` med sambandet att den är summan av
delarna; avbrutna ``avslutstyp=Avbruten`` (med ``orsak=…``/``remittent=…``); alla avslut
``avslut[P]``; hälsoenkätens svarande ``svarande[P; enkat=halsoenkat]`` (förbättrade
``halsa=forbattrad``); stegförflyttning ``stegmatning[P]`` (``forflyttning=upp``), som i
:mod:`finsam_analys.rapport.halsa_uppfoljning`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.indata.kodlistor import TOTALT
from finsam_analys.matt.andelar import korstabell
from finsam_analys.matt.deltagarfloden import fordelning_fran_antal
from finsam_analys.matt.indikatorer import INDIKATORNAMN, UTFALLSINDIKATORER, indikatorer
from finsam_analys.matt.rakning import Rakning, rakna, utan_summarader
from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.gemensamt import (
    Sektion,
    flodesstorhet,
    fordelningens_andelar,
    forenlig,
    jamforelseperiod,
    malen_for_perioden,
    med_konfidensintervall,
    uppfyllt_text,
)
from finsam_analys.tabell import (
    Cell,
    Diagram,
    Harledd,
    Kolumn,
    Kvot,
    Mening,
    Relation,
    Storhet,
    Stycke,
    Tabell,
    Varde,
)

__all__ = [
    "alla_avslut",
    "avbrutna_avslut",
    "fullfoljda_avslut",
    "indikatorns_kvot",
    "malresultat",
    "nyckel",
    "sektion_avbrott",
    "sektion_avslut_och_resultat",
    "sektion_sammanfattning",
]


def nyckel(indikator: str, insats: str = TOTALT) -> str:
    """Nyckeln i ``nyckeltal.json``: indikatorn, med ``:insats`` för en enskild insats.

    Examples
    --------
    >>> nyckel("andel_arbete"), nyckel("andel_arbete", "MAC")
    ('andel_arbete', 'andel_arbete:MAC')
    """
    return indikator if insats in (TOTALT, "", None) else f"{indikator}:{insats}"


def fullfoljda_avslut(period: Rapportperiod) -> Storhet:
    """Storheten för periodens fullföljda avslut (avbrott räknas inte), hela förbundet.

    Examples
    --------
    >>> str(fullfoljda_avslut(Rapportperiod.tolka("2019")))
    'avslut[2019; avslutstyp=Fullföljd]'
    """
    return Storhet.av("avslut", period, avslutstyp="Fullföljd")


def avbrutna_avslut(period: Rapportperiod) -> Storhet:
    """Storheten för periodens avbrutna avslut, hela förbundet.

    Examples
    --------
    >>> str(avbrutna_avslut(Rapportperiod.tolka("2019")))
    'avslut[2019; avslutstyp=Avbruten]'
    """
    return Storhet.av("avslut", period, avslutstyp="Avbruten")


def alla_avslut(period: Rapportperiod) -> Storhet:
    """Storheten för alla periodens avslut (fullföljda och avbrutna).

    Examples
    --------
    >>> str(alla_avslut(Rapportperiod.tolka("2019")))
    'avslut[2019]'
    """
    return Storhet.av("avslut", period)


# ------------------------------------------------------------------------- mål och resultat


def _uppslag(ind: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """Indikatorraderna per (indikator, insats); den första raden gäller vid dubbletter."""
    ut: dict[tuple[str, str], dict[str, Any]] = {}
    for rad in ind.to_dict("records"):
        ut.setdefault((rad["indikator"], rad["insats"]), rad)
    return ut


def _hela_underlaget(underlag: Any, mal: pd.DataFrame) -> set[str]:
    """Målens insatsnamn som betyder hela underlaget för perioden.

    Förbundets namn, ``Totalt`` och tomt är förbundsmål. Gäller alla periodens mål en och
    samma insats är rapporten den insatsens (som SOT Västerås årsrapport 2019, vars avslut
    redovisas per grupp), och underlagets helhet är insatsen.
    """
    hela = {TOTALT, "", str(getattr(getattr(underlag, "konfig", None), "namn", "") or "")}
    insatser = set(mal["insats"].astype(str))
    if len(insatser) == 1:
        hela |= insatser
    return hela


def _hitta(
    uppslag: Mapping[tuple[str, str], dict], indikator: str, insats: str, hela: set[str]
) -> dict | None:
    """Raden för insatsen; hela underlagets rad bara när målets insats är hela underlaget.

    Saknar insatsen data är svaret None (målet kan inte bedömas), aldrig en annan
    populations tal.
    """
    traff = uppslag.get((indikator, insats))
    if traff is None and insats in hela:
        traff = uppslag.get((indikator, TOTALT))
    helhet = uppslag.get((indikator, TOTALT))
    if traff is not None and helhet is not None and _samma(traff, helhet):
        traff = helhet  # insatsen är hela underlaget (den enda): samma storheter som helheten
    return traff


def _samma(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all((pd.isna(a[k]) and pd.isna(b[k])) or a[k] == b[k] for k in ("antal", "n", "varde"))


def malresultat(
    underlag: Any,
    period: Rapportperiod,
    *,
    jamforelse: Rapportperiod | None = None,
    rakning: Rakning | None = None,
    jamforelse_rakning: Rakning | None = None,
) -> pd.DataFrame:
    """Varje mål för perioden jämfört med resultatet och med jämförelseperioden (omaskat).

    Ett mål för en insats jämförs med insatsens rader. Saknar insatsen data för perioden kan
    målet inte bedömas (inget resultat), utom när målets insats är hela underlaget: ett
    förbundsmål, eller en rapport vars alla mål gäller samma insats (se :func:`_hela_underlaget`).

    Returns
    -------
    DataFrame
        En rad per mål: ``indikator``, ``insats``, ``enhet``, ``antal``, ``n``, ``varde``,
        ``mal``, ``riktning``, ``uppfyllt`` (bool eller None), ``differens`` (värde − mål),
        ``nedre``, ``ovre`` (95 % Wilson), ``p_varde``, ``jamforelse`` (jämförelseperiodens
        värde), ``jamforelse_antal``, ``jamforelse_n``, ``forandring`` (värde −
        jämförelsevärde; procentenheter i bråk för andelar), ``underlag_insats`` och
        ``jamforelse_underlag_insats`` (vems rader värdena bygger på: insatsen, eller
        ``Totalt`` när de är hela underlagets).
    """
    rak = rakning or rakna(underlag, period)
    jp = jamforelseperiod(underlag, period, jamforelse)
    jrak = jamforelse_rakning or rakna(underlag, jp)
    mal = malen_for_perioden(underlag, period)
    if mal is None:
        return pd.DataFrame()
    ind, jind = _uppslag(indikatorer(rak)), _uppslag(indikatorer(jrak))
    hela = _hela_underlaget(underlag, mal)
    rader = []
    jamforas: list[tuple[dict, float, float, float]] = []  # (rad, antal, n, mål) mot målet
    for m in mal.to_dict("records"):
        rad = _malrad(m)
        traff = _hitta(ind, rad["indikator"], rad["insats"], hela)
        jtraff = _hitta(jind, rad["indikator"], rad["insats"], hela)
        if traff is not None:
            _resultat(rad, traff, jamforas)
        if jtraff is not None:
            rad.update(
                jamforelse=jtraff["varde"],
                jamforelse_antal=jtraff["antal"],
                jamforelse_n=jtraff["n"],
                jamforelse_underlag_insats=jtraff["insats"],
            )
            if traff is not None:
                rad["forandring"] = traff["varde"] - jtraff["varde"]
        rader.append(rad)
    _jamfor_andelar(jamforas)
    kolumner = [
        "indikator", "insats", "enhet", "antal", "n", "varde", "mal", "riktning", "uppfyllt",
        "differens", "nedre", "ovre", "p_varde", "jamforelse", "jamforelse_antal",
        "jamforelse_n", "forandring", "underlag_insats", "jamforelse_underlag_insats",
    ]  # fmt: skip
    ut = pd.DataFrame(rader).reindex(columns=kolumner)
    ut["uppfyllt"] = pd.Series(
        [None if v is None or pd.isna(v) else bool(v) for v in ut["uppfyllt"]], dtype=object
    )
    return ut


def _malrad(m: Mapping[str, Any]) -> dict[str, Any]:
    enhet = str(m.get("enhet", "andel"))
    malvarde = float(m["varde"])
    if enhet in ("procent", "%"):
        malvarde, enhet = malvarde / 100, "andel"
    return {
        "indikator": str(m["indikator"]),
        "insats": str(m["insats"]),
        "enhet": enhet,
        "mal": malvarde,
        "riktning": str(m["riktning"]),
    }


def _resultat(rad: dict, traff: dict, jamforas: list) -> None:
    """Fyll i resultatet och (för annat än andelar) bedömningen mot målet."""
    from finsam_analys.matt.samhallsnytta import aterbetalningstid_mot_mal

    rad.update(antal=traff["antal"], n=traff["n"], varde=traff["varde"],
               underlag_insats=traff["insats"])  # fmt: skip
    if rad["enhet"] == "andel" and not np.isnan(traff["n"]):
        jamforas.append((rad, traff["antal"], traff["n"], rad["mal"]))
    elif rad["indikator"] == "aterbetalningstid":
        r = aterbetalningstid_mot_mal(traff["varde"], rad["mal"])
        rad.update(uppfyllt=bool(r["uppfyllt"]), differens=float(r["skillnad"]))
    else:
        diff = traff["varde"] - rad["mal"]
        ok = diff >= 0 if rad["riktning"] == "minst" else diff <= 0
        rad.update(uppfyllt=bool(ok), differens=diff)


def _jamfor_andelar(jamforas: list[tuple[dict, float, float, float]]) -> None:
    """Fyll i andelarnas måljämförelse (:func:`finsam_analys.matt.mal.jamfor_med_mal`) i raderna.

    Alla andelar jämförs i ett anrop (raderna räknas var för sig, så värdena är desamma som
    ett anrop per rad). Ett mål som jamfor_med_mal inte godtar (riktning, mål utanför 0–1)
    jämförs rad för rad, så att felet blir detsamma som förut.
    """
    from finsam_analys.matt.mal import RIKTNINGAR, jamfor_med_mal

    if not jamforas:
        return
    falt = ["uppfyllt", "differens", "nedre", "ovre", "p_varde"]
    giltiga = all(
        rad["riktning"] in RIKTNINGAR and not (mal < 0 or mal > 1) for rad, _, _, mal in jamforas
    )
    if giltiga:
        index = pd.RangeIndex(len(jamforas))
        r = jamfor_med_mal(
            pd.DataFrame(
                {
                    "antal": [a for _, a, _, _ in jamforas],
                    "namnare": [n for _, _, n, _ in jamforas],
                },
                index=index,
            ),
            pd.Series([m for _, _, _, m in jamforas], index=index, dtype="float64"),
            riktning=pd.Series([rad["riktning"] for rad, _, _, _ in jamforas], index=index),
        )
        svar = r[falt].to_dict("records")
    else:
        svar = [
            jamfor_med_mal(pd.DataFrame({"antal": [a], "namnare": [n]}), mal,
                           riktning=rad["riktning"]).iloc[0][falt].to_dict()
            for rad, a, n, mal in jamforas
        ]  # fmt: skip
    for (rad, _, _, _), s in zip(jamforas, svar, strict=True):
        rad.update(s)


# ------------------------------------------------------------- indikatorernas storheter


def _utfallsantal(rak: Rakning, insats: str) -> pd.Series:
    """Fullföljda avslut per utfall för insatsen (``Totalt``: alla), ur avslutstabellen."""

    def berakna(r: Rakning) -> pd.DataFrame:
        if not r.har("avslut"):
            return pd.DataFrame()
        data = _utfallstabell(r.tabell("avslut"))
        if "insats" not in data.columns:
            data = data.assign(insats="")
        return korstabell(data.assign(insats=data["insats"].astype(str)), rader="utfall",
                          kolumner="insats")  # fmt: skip

    kors = rak.harledd("rapport_utfall_per_insats", berakna)
    if not len(kors):
        return pd.Series(dtype="float64")
    if insats == TOTALT:
        return kors.sum(axis=1)
    return kors[insats] if insats in kors.columns else pd.Series(0, index=kors.index)


def indikatorns_kvot(
    indikator: str,
    insats: str,
    period: Rapportperiod,
    antal: float,
    n: float,
    *,
    rakning: Rakning | None = None,
) -> tuple[Kvot | None, dict[Storhet, float], list[Relation]]:
    """Kvoten (täljare och nämnare) bakom en indikator, med storheternas värden och samband.

    ``insats`` är vems rader värdet bygger på (``Totalt`` = hela underlaget, utan villkor).
    En sammansatt andel (arbete eller studier) får delarnas antal ur ``rakning``s
    avslutstabell. Indikatorer som inte bygger på antal personer (återbetalningstid) har ingen
    kvot.

    Examples
    --------
    Avesta 2015/16: 4 tidiga avhopp av 18 avslut.

    >>> p = Rapportperiod.tolka("2015-07..2016-06")
    >>> k, v, r = indikatorns_kvot("andel_avbrott", "Totalt", p, 4, 18)
    >>> str(k.taljare), str(k.namnare), v[k.namnare.med(avslutstyp="Fullföljd")]
    ('avslut[2015-07..2016-06; avslutstyp=Avbruten]', 'avslut[2015-07..2016-06]', 14)
    """
    villkor = {} if insats in (TOTALT, "") else {"insats": insats}
    if indikator in UTFALLSINDIKATORER:
        namnare = flodesstorhet("fullfoljda", period, **villkor)
        delar = UTFALLSINDIKATORER[indikator]
        taljare = namnare.med(utfall="+".join(delar))
        varden = {namnare: n, taljare: antal}
        if len(delar) == 1:
            return Kvot(namnare, taljare), varden, []
        per_utfall = _utfallsantal(rakning, insats) if rakning else pd.Series(dtype=float)
        delstorheter = [namnare.med(utfall=u) for u in delar]
        varden.update({s: float(per_utfall.get(u, 0)) for s, u in zip(delstorheter, delar,
                                                                       strict=True)})  # fmt: skip
        return Kvot(namnare, taljare), varden, [Relation.summa(taljare, delstorheter)]
    if indikator == "andel_avbrott":
        namnare = flodesstorhet("avslutade", period, **villkor)
        taljare = flodesstorhet("avbrutna", period, **villkor)
        fullfoljda = flodesstorhet("fullfoljda", period, **villkor)
        varden = {namnare: n, taljare: antal, fullfoljda: n - antal}
        return Kvot(namnare, taljare), varden, [Relation.summa(namnare, [fullfoljda, taljare])]
    enkat = Storhet.av("svarande", period, enkat="halsoenkat", **villkor)
    steg = Storhet.av("stegmatning", period, **villkor)
    svarande = {
        "andel_forbattrad_halsa": (enkat, {"halsa": "forbattrad"}),
        "andel_stegforflyttning": (steg, {"forflyttning": "upp"}),
        "halsa_forandring": (enkat, None),
    }.get(indikator)  # fmt: skip
    if svarande is None:
        if pd.isna(antal):  # inte en andel av personer (återbetalningstid)
            return None, {}, []
        # annan andel av personer: en egen täljare och nämnare, så att små tal ändå maskas
        namnare = Storhet.av("indikator", period, indikator=indikator, **villkor)
        taljare = namnare.med(del_="täljare")
        return Kvot(namnare, taljare), {namnare: n, taljare: antal}, []
    namnare, del_ = svarande
    if del_ is None:
        return Kvot(namnare), {namnare: n}, []
    taljare = namnare.med(**del_)
    return Kvot(namnare, taljare), {namnare: n, taljare: antal}, []


# -------------------------------------------------------------------------- sammanfattning


def _etiketter(res: pd.DataFrame) -> list[str]:
    """Radens etikett i sin tabell: indikatorns namn, med insatsen när andelarna har flera."""
    andel = res["enhet"] == "andel"
    flera = res.loc[andel, "insats"].nunique() > 1
    ut = []
    for indikator, insats, a in zip(res["indikator"], res["insats"], andel, strict=True):
        namn = INDIKATORNAMN.get(indikator, indikator.replace("_", " "))
        ut.append(f"{namn} ({insats})" if a and flera else namn)
    return ut


def _riktning(r: str) -> str:
    return "minst" if r == "minst" else "högst"


def _malreferenser(
    res: pd.DataFrame, period: Rapportperiod, jp: Rapportperiod, rak: Rakning, jrak: Rakning
) -> tuple[list, list, dict[Storhet, float], list[Relation]]:
    """Varje måls kvot (perioden och jämförelseperioden), storheternas värden och samband."""
    kvoter, jkvoter, antal, relationer = [], [], {}, []
    for r in res.to_dict("records"):
        par = []
        for p, rk, prefix in ((period, rak, ""), (jp, jrak, "jamforelse_")):
            insats = r[f"{prefix}underlag_insats"]
            n = r[f"{prefix}n" if prefix else "n"]
            if not isinstance(insats, str) or pd.isna(n):
                par.append(None)
                continue
            k, v, rel = indikatorns_kvot(r["indikator"], insats, p, r[f"{prefix}antal"], n,
                                         rakning=rk)  # fmt: skip
            antal.update(v)
            relationer += rel
            par.append(k)
        kvoter.append(par[0])
        jkvoter.append(par[1])
    return kvoter, jkvoter, antal, relationer


def _maltabell(res, etiketter, kvoter, jkvoter, antal, relationer, period, jp) -> Tabell:
    """Tabellen Mål och resultat (andelar): resultat, n, mål, bedömning, KI och jämförelse."""
    harledda = [Harledd.av(k) if k is not None else None for k in kvoter]
    forandring = [Harledd.av(k, j) if k is not None and j is not None else None
                  for k, j in zip(kvoter, jkvoter, strict=True)]  # fmt: skip
    kolumner = [
        ("Indikator", Kolumn("Indikator"), etiketter, None),
        ("Resultat", Kolumn("Resultat", "andel"), res["varde"], kvoter),
        ("n", Kolumn("n", "antal"), res["n"], [k.namnare if k else None for k in kvoter]),
        ("Mål", Kolumn("Mål", "andel"), res["mal"], None),
        ("Riktning", Kolumn("Riktning"), res["riktning"].map(_riktning), None),
        ("Bedömning", Kolumn("Bedömning", "bedomning"), res["uppfyllt"].map(uppfyllt_text),
         [h if u is not None else None for h, u in zip(harledda, res["uppfyllt"], strict=True)]),
        ("Mot mål", Kolumn("Mot mål", "procentenheter"), res["differens"], harledda),
        ("95 % KI, nedre", Kolumn("95 % KI, nedre", "andel"), res["nedre"], harledda),
        ("95 % KI, övre", Kolumn("95 % KI, övre", "andel"), res["ovre"], harledda),
        (jp.namn, Kolumn(jp.namn, "andel"), res["jamforelse"], jkvoter),
        ("Förändring", Kolumn("Förändring", "procentenheter"), res["forandring"], forandring),
    ]  # fmt: skip
    return Tabell(
        namn="mal_och_resultat",
        titel=f"Mål och resultat, {period.namn}",
        data=pd.DataFrame({namn: _lista(v) for namn, _, v, _ in kolumner}).astype(
            {"Indikator": object, "Riktning": object, "Bedömning": object}
        ),
        kolumner=tuple(k for _, k, _, _ in kolumner),
        referenser=pd.DataFrame(
            {namn: r if r is not None else [None] * len(res) for namn, _, _, r in kolumner},
            dtype=object,
        ),
        antal=antal,
        relationer=tuple(relationer),
        population="Mål för perioden",
        period=period.namn,
        fotnoter=(
            "p.e. = procentenheter. 95 % KI: Wilsons konfidensintervall för andelen; ett "
            "intervall som omfattar målet betyder att resultatet inte säkert skiljer sig från "
            f"målet. Kolumnen {jp.namn} är jämförelseperioden och Förändring skillnaden mot den.",
        ),
    )


def _lista(v: Any) -> list:
    return [None if x is None or (isinstance(x, float) and np.isnan(x)) else x for x in list(v)]


def _ovriga_mal(res: pd.DataFrame, kvoter: list, period: Rapportperiod) -> Tabell:
    """Mål som inte är andelar (återbetalningstid, förändring): resultat, mål, bedömning."""
    tal = pd.concat([res["varde"], res["mal"], res["differens"]]).dropna()
    decimaler = 0 if all(float(v).is_integer() for v in tal) else 2
    refs = [Harledd.av(k) if k is not None else None for k in kvoter]
    data = pd.DataFrame({
        "Indikator": [INDIKATORNAMN.get(i, i) for i in res["indikator"]],
        "Insats": res["insats"].tolist(),
        "Resultat": _lista(res["varde"]),
        "Mål": _lista(res["mal"]),
        "Riktning": res["riktning"].map(_riktning).tolist(),
        "Enhet": ["månader" if e == "manader" else e for e in res["enhet"]],
        "Bedömning": res["uppfyllt"].map(uppfyllt_text).tolist(),
        "Skillnad mot mål": _lista(res["differens"]),
    }, dtype=object)  # fmt: skip
    kolumner = (Kolumn("Indikator"), Kolumn("Insats"), Kolumn("Resultat", "tal", decimaler),
                Kolumn("Mål", "tal", decimaler), Kolumn("Riktning"), Kolumn("Enhet"),
                Kolumn("Bedömning", "bedomning"),
                Kolumn("Skillnad mot mål", "tal", decimaler))  # fmt: skip
    referenser = pd.DataFrame({k.namn: [None] * len(res) for k in kolumner}, dtype=object)
    for kolumn in ("Resultat", "Bedömning", "Skillnad mot mål"):
        referenser[kolumn] = refs
    return Tabell("ovriga_mal", f"Övriga mål, {period.namn}", data, kolumner, referenser,
                  period=period.namn)  # fmt: skip


def _talvarde(v: Any) -> Varde:
    """Ett tal utan referens (mål, publicerat värde) med 0 eller 2 decimaler."""
    return Varde(float(v), "tal", None, 0 if float(v).is_integer() else 2)


def _malpunkt(r: Mapping[str, Any], etikett: str, tabell: Tabell, kvot: Kvot | None):
    """En punkt i listan över målen: resultat, mål och bedömning (omaskat)."""
    namn = f"{INDIKATORNAMN.get(r['indikator'], r['indikator'])} ({r['insats']})"
    falt: dict[str, Any] = {"namn": namn, "riktning": _riktning(r["riktning"])}
    tecken = "✔" if r["uppfyllt"] is True else "✘"
    maskad = "– {namn}: maskat (för få), mål {riktning} {mal} – kan inte bedömas."
    if r["enhet"] == "andel":
        falt["mal"] = Cell(tabell.namn, etikett, "Mål")
        if kvot is None:
            return Mening("– {namn}: mål {riktning} {mal} – resultatet saknas i underlaget, "
                          "kan inte bedömas.", falt)  # fmt: skip
        falt.update(tecken=tecken, resultat=Cell(tabell.namn, etikett, "Resultat"),
                    antal=Varde(r["antal"], "antal", kvot.taljare),
                    n=Cell(tabell.namn, etikett, "n"),
                    bedomning=uppfyllt_text(r["uppfyllt"]).lower(),
                    diff=Cell(tabell.namn, etikett, "Mot mål"))  # fmt: skip
        return Mening("{tecken} {namn}: {resultat} ({antal} av {n}), mål {riktning} {mal} – "
                      "{bedomning} ({diff} mot målet).", falt, om_maskad=maskad)  # fmt: skip
    enhet = "månader" if r["enhet"] == "manader" else r["enhet"]
    falt.update(mal=_talvarde(r["mal"]), enhet=enhet)
    if pd.isna(r["varde"]):
        return Mening("– {namn}: mål {riktning} {mal} {enhet} – resultatet saknas i underlaget.",
                      falt)  # fmt: skip
    falt.update(
        tecken=tecken,
        resultat=Varde(r["varde"], "tal", Harledd.av(kvot) if kvot else None,
                       _talvarde(r["varde"]).decimaler),
        bedomning=uppfyllt_text(r["uppfyllt"]).lower(),
        plus="+" if r["differens"] > 0 else "",
        skillnad=_talvarde(r["differens"]),
    )  # fmt: skip
    return Mening("{tecken} {namn}: {resultat} {enhet}, mål {riktning} {mal} {enhet} – "
                  "{bedomning} ({plus}{skillnad} {enhet}).", falt,
                  om_maskad=maskad.replace("{mal}", "{mal} {enhet}"))  # fmt: skip


def _inledning(res: pd.DataFrame, kvoter: list, period, jp) -> Stycke:
    bedomda = [k for k, u in zip(kvoter, res["uppfyllt"], strict=True) if u is not None]
    ref = Harledd.av(*[k for k in bedomda if k is not None])
    uppfyllda = int(sum(1 for u in res["uppfyllt"] if u is True))
    if bedomda:
        forsta = Mening(
            "{uppfyllda} av {bedomda} mål som kan bedömas är uppfyllda under {period}.",
            {"uppfyllda": Varde(uppfyllda, "antal", ref), "bedomda": Varde(len(bedomda), "antal",
             ref), "period": period.namn},
            om_maskad="Målen och bedömningarna står i tabellen; ett resultat som inte visas av "
            "sekretesskäl bedöms inte.",
        )  # fmt: skip
    else:
        forsta = f"Inget av de {len(res)} målen kan bedömas: underlaget saknar resultat för "
        forsta += f"{period.namn}."
    return Stycke((forsta, "Skillnader mellan andelar anges i procentenheter (p.e.); "
                   f"jämförelseperioden är {jp.namn}."))  # fmt: skip


def _malnyckeltal(res, etiketter, kvoter) -> dict[str, Any]:
    """Nyckeltalen: resultat, mål och bedömning per mål, antal mål och uppfyllda."""
    nyckeltal: dict[str, Any] = {}
    for r, etikett, k in zip(res.to_dict("records"), etiketter, kvoter, strict=True):
        n = nyckel(r["indikator"], r["insats"])
        ref = Harledd.av(k) if k is not None else None
        if pd.isna(r["varde"]):
            nyckeltal[n] = None
        elif r["enhet"] == "andel" and k is not None:
            nyckeltal[n] = Cell("mal_och_resultat", etikett, "Resultat")
        else:
            nyckeltal[n] = Varde(float(r["varde"]), "tal", ref, 2)
        nyckeltal[f"mal:{n}"] = Varde(r["mal"], "andel" if r["enhet"] == "andel" else "tal")
        nyckeltal[f"mal_uppfyllt:{n}"] = Varde(r["uppfyllt"], "bedomning", ref)
    bedomda = [k for k, u in zip(kvoter, res["uppfyllt"], strict=True) if u is not None]
    nyckeltal["mal_antal"] = Varde(len(res), "antal")
    # inget mål kunde bedömas: inget antal uppfyllda (inte "0 uppfyllda")
    nyckeltal["mal_antal_bedomda"] = Varde(len(bedomda), "antal")
    nyckeltal["mal_antal_uppfyllda"] = Varde(
        int(sum(1 for u in res["uppfyllt"] if u is True)) if bedomda else None,
        "antal",
        Harledd.av(*[k for k in bedomda if k is not None]),
    )
    return nyckeltal


def sektion_sammanfattning(
    underlag: Any,
    period: Rapportperiod,
    *,
    jamforelse: Rapportperiod | None = None,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
    jamforelse_rakning: Rakning | None = None,
) -> Sektion:
    """Nyckeltal mot mål: uppfyllt/ej uppfyllt, skillnad och förändring i procentenheter.

    Omaskat. Varje resultat är en kvot av storheter (samma som i avsluts-, avbrotts- och
    hälsotabellerna), så ett maskat resultat maskas med sin bedömning, sitt intervall och sin
    punkt i listan (som då säger "kan inte bedömas": en bedömning skulle röja på vilken sida
    om målet det dolda värdet ligger).

    Examples
    --------
    Se ``tests/rapport/test_resultat.py`` (SOT Västerås 2019: 13 %, 9 %, 78 % mot 25/20/55 %).
    """
    jp = jamforelseperiod(underlag, period, jamforelse)
    rak = rakning or rakna(underlag, period)
    jrak = jamforelse_rakning or rakna(underlag, jp)
    res = malresultat(underlag, period, jamforelse=jp, rakning=rak, jamforelse_rakning=jrak)
    if not len(res):
        return _utan_mal(rak, jrak, period, jp)
    kvoter, jkvoter, antal, relationer = _malreferenser(res, period, jp, rak, jrak)
    etiketter = _etiketter(res)
    andel = (res["enhet"] == "andel").to_numpy()
    tabeller: dict[str, Tabell] = {}
    if andel.any():
        i = np.flatnonzero(andel)
        tabeller["mal_och_resultat"] = _maltabell(
            res.iloc[i].reset_index(drop=True), [etiketter[j] for j in i],
            [kvoter[j] for j in i], [jkvoter[j] for j in i], antal, relationer, period, jp,
        )  # fmt: skip
    if (~andel).any():
        i = np.flatnonzero(~andel)
        tabeller["ovriga_mal"] = _ovriga_mal(
            res.iloc[i].reset_index(drop=True), [kvoter[j] for j in i], period
        )
    punkter = [
        _malpunkt(r, e, tabeller["mal_och_resultat" if a else "ovriga_mal"], k)
        for r, e, a, k in zip(res.to_dict("records"), etiketter, andel, kvoter, strict=True)
    ]
    block: list[Any] = [_inledning(res, kvoter, period, jp), Stycke(tuple(punkter), True)]
    if "mal_och_resultat" in tabeller:
        block.append(
            Diagram("staplar", "mal_och_resultat", x="Indikator", y="Resultat", mal="Mål",
                    titel=f"Resultat mot mål, {period.namn}", enhet="andel",
                    alt="Stapeldiagram: varje indikators resultat i procent med målet markerat.",
                    not_="Strecket är målet. Maskade värden (..) ritas inte.")
        )  # fmt: skip
    block += list(tabeller.values())
    return Sektion("sammanfattning", "Sammanfattning", innehall=tuple(block),
                   nyckeltal=_malnyckeltal(res, etiketter, kvoter), antal=antal)  # fmt: skip


def _utan_mal(rak: Rakning, jrak: Rakning, period, jp) -> Sektion:
    """Sammanfattning när förbundet saknar mål: indikatorerna för hela förbundet."""
    ind = indikatorer(rak)
    ind = ind[(ind["insats"] == TOTALT) & (ind["enhet"] == "andel")].reset_index(drop=True)
    if not len(ind):
        return Sektion(
            "sammanfattning",
            "Sammanfattning",
            saknas="Underlaget har varken mål eller resultat som kan sammanfattas för "
            "perioden.",
        )
    jind = _uppslag(indikatorer(jrak))
    rader, antal, relationer = [], {}, []
    for r in ind.to_dict("records"):
        k, v, rel = indikatorns_kvot(
            r["indikator"], TOTALT, period, r["antal"], r["n"], rakning=rak
        )
        j = jind.get((r["indikator"], TOTALT))
        jk = None
        if j is not None:
            jk, jv, jrel = indikatorns_kvot(
                r["indikator"], TOTALT, jp, j["antal"], j["n"], rakning=jrak
            )
            v, rel = {**v, **jv}, rel + jrel
        antal.update(v)
        relationer += rel
        rader.append((r, k, j, jk))
    tabell = _nyckeltalstabell(rader, antal, relationer, period, jp)
    punkter = []
    nyckeltal: dict[str, Any] = {}
    for r, *_ in rader:
        namn = INDIKATORNAMN.get(r["indikator"], r["indikator"])
        falt = {k: Cell(tabell.namn, namn, k) for k in ("Resultat", "Antal", "n")}
        punkter.append(Mening("{namn}: {Resultat} ({Antal} av {n}).", {"namn": namn, **falt},
                              om_maskad="{namn}: visas inte av sekretesskäl."))  # fmt: skip
        nyckeltal[r["indikator"]] = falt["Resultat"]
    text = Stycke((f"Förbundet har inga mål för {period.namn}; nyckeltalen visas utan "
                   "jämförelse med mål.",))  # fmt: skip
    return Sektion(
        "sammanfattning",
        "Sammanfattning",
        innehall=(text, Stycke(tuple(punkter), True), tabell),
        nyckeltal=nyckeltal,
    )


def _nyckeltalstabell(rader, antal, relationer, period, jp) -> Tabell:
    """Tabellen Nyckeltal: resultat, antal och n, jämförelseperioden och förändringen."""
    n = len(rader)
    data = {
        "Indikator": [INDIKATORNAMN.get(r["indikator"], r["indikator"]) for r, *_ in rader],
        "Resultat": [r["varde"] for r, *_ in rader],
        "Antal": [int(r["antal"]) for r, *_ in rader],
        "n": [int(r["n"]) for r, *_ in rader],
        jp.namn: [j["varde"] if j is not None else None for _, _, j, _ in rader],
        "Förändring": [r["varde"] - j["varde"] if j is not None else None
                       for r, _, j, _ in rader],
    }  # fmt: skip
    refs = {
        "Indikator": [None] * n,
        "Resultat": [k for _, k, _, _ in rader],
        "Antal": [k.taljare for _, k, _, _ in rader],
        "n": [k.namnare for _, k, _, _ in rader],
        jp.namn: [jk for *_, jk in rader],
        "Förändring": [Harledd.av(k, jk) if jk is not None else None for _, k, _, jk in rader],
    }
    return Tabell(
        namn="nyckeltal",
        titel=f"Nyckeltal, {period.namn}",
        data=pd.DataFrame(data, dtype=object),
        kolumner=(
            Kolumn("Indikator"),
            Kolumn("Resultat", "andel"),
            Kolumn("Antal", "antal"),
            Kolumn("n", "antal"),
            Kolumn(jp.namn, "andel"),
            Kolumn("Förändring", "procentenheter"),
        ),  # fmt: skip
        referenser=pd.DataFrame(refs, dtype=object),
        antal=antal,
        relationer=tuple(relationer),
        population="Hela förbundet",
        period=period.namn,
    )


# ---------------------------------------------------------------------- avslut och resultat


def _utfallstabell(avslut: pd.DataFrame) -> pd.DataFrame:
    data = utan_summarader(avslut, "insats", "utfall")
    if "avslutstyp" in data.columns:
        data = data[(data["avslutstyp"].astype("str") != "Avbruten").to_numpy()]
    return data


def sektion_avslut_och_resultat(
    underlag: Any,
    period: Rapportperiod,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Avslut per utfall (andelar med konfidensintervall) och per insats (korstabell).

    Andelarna avser fullföljda avslut (avbrott redovisas i sektionen Avbrott). Sektionen är
    omaskad; sekretessen och avrundningen sker i rapportens kontrollpunkter
    (:func:`finsam_analys.rapport.bygg_rapport`).
    """
    rak = rakning or rakna(underlag, period)
    rubrik = "Avslut och resultat"
    if not rak.har("avslut"):
        return Sektion(
            "avslut",
            rubrik,
            saknas=f"Underlaget har inga avslut för {period.namn}.",
        )
    data = _utfallstabell(rak.tabell("avslut"))
    per_utfall = data.groupby("utfall", sort=False)["antal"].sum()
    per_utfall = per_utfall.sort_values(ascending=False, kind="stable")
    bas = fullfoljda_avslut(period)
    utfall = med_konfidensintervall(
        Tabell.fordelning(
            per_utfall,
            namn="avslut_per_utfall",
            titel=f"Avslut per utfall, {period.namn}",
            bas=bas,
            dimension="utfall",
            kategorirubrik="Utfall",
            population="Fullföljda avslut",
            period=period.namn,
        )
    )
    block: list[Any] = [
        Stycke(
            (
                Mening(
                    "{n} deltaganden avslutades och fullföljde insatsen under {period}.",
                    {"n": Cell(utfall.namn, TOTALT, "Antal"), "period": period.namn},
                    om_maskad="Antalet fullföljda avslut under {period} visas inte av "
                    "sekretesskäl.",
                ),
                "Andelarna avser dem; avbrott redovisas för sig. Konfidensintervallen (95 %, "
                "Wilson) visar hur osäkra andelarna är med så här få avslut.",
            )
        ),
        Diagram(
            "staplar",
            utfall.namn,
            x="Utfall",
            y="Andel",
            nedre="95 % KI, nedre",
            ovre="95 % KI, övre",
            titel=f"Utfall efter avslut, {period.namn}",
            alt="Liggande stapeldiagram: andel av de fullföljda avsluten per utfall, med 95 % "
            "konfidensintervall.",
            not_="Linjerna är 95 % konfidensintervall. Maskade värden (..) ritas inte.",
        ),
        utfall,
    ]
    nyckeltal: dict[str, Any] = {"antal_avslut": Cell(utfall.namn, TOTALT, "Antal")}
    for kod in per_utfall.index:
        nyckeltal[f"andel_avslut_{kod}"] = Cell(utfall.namn, str(kod), "Andel")
    block += _avslut_per_insats(data, per_utfall.index, bas, period)
    return Sektion("avslut", rubrik, innehall=tuple(block), nyckeltal=nyckeltal)


def _avslut_per_insats(data: pd.DataFrame, utfall: pd.Index, bas: Storhet, period) -> list:
    """Korstabellen utfall × insats och avsluten per insats (när underlaget har flera insatser).

    Insatserna i underlagets ordning (som källan redovisar dem); korstabellen räknas av
    :func:`finsam_analys.matt.andelar.korstabell`.
    """
    insatser = list(dict.fromkeys(data["insats"].astype("str"))) if "insats" in data else []
    if len(insatser) < 2:
        return []
    kors = korstabell(
        data.assign(insats=data["insats"].astype("str")), rader="utfall", kolumner="insats"
    ).reindex(index=utfall, columns=insatser, fill_value=0)
    tabell = Tabell.korstabell(
        kors,
        namn="avslut_per_utfall_och_insats",
        titel=f"Avslut per utfall och insats, {period.namn}",
        bas=bas,
        rad_dimension="utfall",
        kolumn_dimension="insats",
        radrubrik="Utfall",
        population="Fullföljda avslut",
        period=period.namn,
    )
    return [
        tabell,
        fordelningens_andelar(
            tabell,
            namn="avslut_per_insats",
            titel=f"Avslut per insats, {period.namn}",
            etikettkolumn="Insats",
            antal="Antal",
        ),
    ]


# ------------------------------------------------------------------------------ avbrott


_AVBROTTSDIMENSIONER = {"orsak": "Orsak", "remittent": "Remittent"}


def _avbrottstabeller(rak: Rakning, bas: Storhet, kanda) -> list[tuple[str, Tabell]]:
    """En fördelning av de avbrutna per dimension (orsak, remittent) i tabellen ``avbrott``."""
    from finsam_analys.rapport.deltagare import KATEGORINAMN

    if not rak.har("avbrott"):
        return []
    data = utan_summarader(rak.tabell("avbrott"), "kategori", "insats")
    ut = []
    for dimension in dict.fromkeys(data["dimension"].astype(str)):
        a = fordelning_fran_antal(data, dimension=dimension)
        if not len(a):
            continue
        antal = pd.Series(a["antal"].to_numpy(), index=a["kategori"].tolist())
        rubrik = _AVBROTTSDIMENSIONER.get(dimension, dimension.replace("_", " ").capitalize())
        egen_bas = forenlig(bas, antal.sum(), kanda, kalla=dimension)
        ut.append((dimension, Tabell.fordelning(
            antal, namn=f"avbrott_per_{dimension}",
            titel=f"Avbrott per {rubrik.lower()}, {rak.period.namn}", bas=egen_bas,
            dimension=dimension, kategorirubrik=rubrik, etiketter=KATEGORINAMN, sortera=True,
            population="Avbrutna", period=rak.period.namn,
        )))  # fmt: skip
    return ut


def _avbrottsandel(rad: Mapping[str, Any], period) -> tuple[list[Mening], dict, dict, list]:
    """Meningen "Det är X % av alla N avslut." med kvoten och sambandet avslut = fullf. + avbr."""
    kvot, antal, relationer = indikatorns_kvot(
        "andel_avbrott", TOTALT, period, rad["antal"], rad["n"]
    )
    andel = Varde(float(rad["varde"]), "andel", kvot)
    mening = Mening(
        "Det är {andel} av alla {n} avslut.",
        {"andel": andel, "n": Varde(int(rad["n"]), "antal", kvot.namnare)},
        om_maskad="Andelen av alla avslut visas inte av sekretesskäl.",
    )
    return [mening], {"andel_avbrott": andel}, antal, relationer


def sektion_avbrott(
    underlag: Any,
    period: Rapportperiod,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Avbrott per orsak och per remittent (tabellen ``avbrott`` eller avbrutna avslut).

    Omaskat. Båda är fördelningar av samma avbrutna avslut (``avslut[P; avslutstyp=Avbruten]``,
    samma storhet som i flödet); tabellerna sorteras efter storlek först efter maskningen. Bara
    fördelningen per orsak visas också som figur.
    """
    from finsam_analys.rapport.deltagare import rakningens_antal

    rak = rakning or rakna(underlag, period)
    ind = indikatorer(rak)
    rad = ind[(ind["indikator"] == "andel_avbrott") & (ind["insats"] == TOTALT)]
    if not rak.har("avbrott") and not len(rad):
        return Sektion(
            "avbrott",
            "Avbrott",
            saknas=f"Underlaget har inga uppgifter om avbrott för {period.namn}.",
        )
    kanda = rakningens_antal(rak)
    tabeller = _avbrottstabeller(rak, avbrutna_avslut(period), kanda)
    if tabeller:
        total = Cell(tabeller[0][1].namn, TOTALT, "Antal")
    else:
        total = Varde(int(rad.iloc[0]["antal"]), "antal", avbrutna_avslut(period))
    meningar: list[Any] = [Mening(
        "Under {period} avbröts {n} deltaganden.", {"period": period.namn, "n": total},
        om_maskad="Antalet avbrott under {period} visas inte av sekretesskäl.")]  # fmt: skip
    nyckeltal: dict[str, Any] = {"antal_avbrott": total}
    antal: dict[Storhet, float] = {}
    relationer: list[Relation] = []
    if len(rad):
        m, n, antal, relationer = _avbrottsandel(rad.iloc[0], period)
        meningar += m
        nyckeltal.update(n)
    if not tabeller:
        meningar.append("Underlaget anger inte orsakerna till avbrotten.")
    elif not len(rad):
        meningar.append("Andelen avbrott av alla avslut räknas inte, eftersom avbrotten och de "
                        "fullföljda avsluten redovisas i olika tabeller i underlaget.")  # fmt: skip
    block: list[Any] = [Stycke(tuple(meningar))]
    for dimension, t in tabeller:
        rubrik = t.kolumner[0].namn
        for etikett in t.data[rubrik].iloc[:-1]:
            kod = dict(t.referens(t.rad(etikett), "Antal").villkor)[dimension]
            nyckeltal[f"andel_avbrott_{dimension}:{kod}"] = Cell(t.namn, etikett, "Andel")
        if dimension == "orsak":  # bara orsakerna som figur (produktbeslut: färre figurer)
            block.append(
                Diagram(
                    "staplar",
                    t.namn,
                    x=rubrik,
                    y="Andel",
                    titel=t.titel,
                    alt="Liggande stapeldiagram: andel av avbrotten per orsak.",
                )
            )
        block.append(t)
    return Sektion("avbrott", "Avbrott", innehall=tuple(block), nyckeltal=nyckeltal,
                   antal=antal, relationer=tuple(relationer))  # fmt: skip
