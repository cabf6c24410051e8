"""Sektionerna Sammanfattning, Avslut och resultat, och Avbrott.

Var varje tal räknas:

* andelar per utfall: :func:`finsam_analys.matt.andelar.andelar` på fullföljda avslut;
* mål, skillnad i procentenheter, Wilsonintervall och binomialtest:
  :func:`finsam_analys.matt.mal.jamfor_med_mal`;
* återbetalningstid mot mål: :func:`finsam_analys.matt.samhallsnytta.aterbetalningstid_mot_mal`;
* indikatorerna (och jämförelseperiodens): :func:`finsam_analys.matt.indikatorer`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.matt.andelar import andelar
from finsam_analys.matt.indikatorer import INDIKATORNAMN, indikatorer
from finsam_analys.matt.rakning import TOTALT, Rakning, rakna, utan_summarader
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.formatering import (
    formatera_procent,
    formatera_procentenheter,
    formatera_tal,
)
from finsam_analys.rapport.gemensamt import (
    MASKAD,
    Figur,
    Sektion,
    ar_maskad,
    fordelningens_andelar,
    jamforelseperiod,
    maskera_fordelning,
    med_konfidensintervall,
    numeriskt,
    sekretessregler,
    skyddad_andel,
    skyddat_antal,
    tal_text,
    uppfyllt_text,
)
from finsam_analys.tabell import Cell, Diagram, Mening, Storhet, Stycke, Tabell

__all__ = [
    "malresultat",
    "nyckel",
    "sektion_avbrott",
    "sektion_avslut_och_resultat",
    "sektion_sammanfattning",
    "fullfoljda_avslut",
]


def nyckel(indikator: str, insats: str = TOTALT) -> str:
    """Nyckeln i ``nyckeltal.json``: indikatorn, med ``:insats`` för en enskild insats.

    Examples
    --------
    >>> nyckel("andel_arbete"), nyckel("andel_arbete", "MAC")
    ('andel_arbete', 'andel_arbete:MAC')
    """
    return indikator if insats in (TOTALT, "", None) else f"{indikator}:{insats}"


def _skyddad(antal: Any, n: Any, minsta_del: Any, regler: Any) -> Any:
    """Andelen, maskad även när en del av en sammansatt andel (arbete + studier) är liten."""
    if (
        not regler.intern
        and minsta_del is not None
        and not pd.isna(minsta_del)
        and 0 < minsta_del < regler.troskel
    ):
        return MASKAD
    return skyddad_andel(antal, n, regler)


def _mal_for_period(mal: pd.DataFrame | None, period: Rapportperiod) -> pd.DataFrame | None:
    if mal is None or not len(mal):
        return None
    if "period" in mal.columns:

        def galler(kod: Any) -> bool:
            if kod is None or pd.isna(kod) or str(kod).strip() == "":
                return True
            try:
                return Rapportperiod.tolka(kod) == period
            except (ValueError, TypeError):
                return False

        mal = mal[mal["period"].map(galler).astype(bool).to_numpy()]
    return mal.reset_index(drop=True) if len(mal) else None


def _uppslag(ind: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """Indikatorraderna per (indikator, insats); den första raden gäller vid dubbletter."""
    ut: dict[tuple[str, str], dict[str, Any]] = {}
    for rad in ind.to_dict("records"):
        ut.setdefault((rad["indikator"], rad["insats"]), rad)
    return ut


def _hitta(uppslag: Mapping[tuple[str, str], dict], indikator: str, insats: str) -> dict | None:
    """Raden för insatsen, eller hela förbundets när indikatorn saknas för insatsen."""
    traff = uppslag.get((indikator, insats))
    return traff if traff is not None else uppslag.get((indikator, TOTALT))


def malresultat(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    jamforelse: Rapportperiod | str | None = None,
    rakning: Rakning | None = None,
    jamforelse_rakning: Rakning | None = None,
) -> pd.DataFrame:
    """Varje mål för perioden jämfört med resultatet och med jämförelseperioden (omaskat).

    Ett mål för en insats jämförs med insatsens rader; finns insatsen inte i räknetabellerna
    (t.ex. målen för "Samordningsteam Västerås" när avsluten redovisas per grupp) jämförs målet
    med hela förbundets resultat.

    Returns
    -------
    DataFrame
        En rad per mål: ``indikator``, ``insats``, ``enhet``, ``antal``, ``n``, ``varde``,
        ``mal``, ``riktning``, ``uppfyllt`` (bool eller NA), ``differens`` (värde − mål),
        ``nedre``, ``ovre`` (95 % Wilson), ``p_varde``, ``jamforelse`` (jämförelseperiodens
        värde), ``jamforelse_antal``, ``jamforelse_n`` och ``forandring`` (värde −
        jämförelsevärde; procentenheter i bråk för andelar).
    """
    from finsam_analys.matt.samhallsnytta import aterbetalningstid_mot_mal

    period = Rapportperiod.tolka(period)
    rak = rakning or rakna(underlag, period)
    jp = jamforelseperiod(underlag, period, jamforelse)
    jrak = jamforelse_rakning or rakna(underlag, jp)
    ind, jind = _uppslag(indikatorer(rak)), _uppslag(indikatorer(jrak))
    mal = _mal_for_period(underlag.tabell("mal"), period)
    rader = []
    if mal is None:
        return pd.DataFrame()
    jamforas: list[tuple[dict, float, float, float]] = []  # (rad, antal, n, mål) mot målet
    for m in mal.to_dict("records"):
        indikator, insats = str(m["indikator"]), str(m["insats"])
        enhet = str(m.get("enhet", "andel"))
        malvarde = float(m["varde"])
        if enhet in ("procent", "%"):
            malvarde, enhet = malvarde / 100, "andel"
        rad: dict[str, Any] = {
            "indikator": indikator,
            "insats": insats,
            "enhet": enhet,
            "mal": malvarde,
            "riktning": str(m["riktning"]),
        }
        traff = _hitta(ind, indikator, insats)
        jtraff = _hitta(jind, indikator, insats)
        if traff is not None:
            rad.update(
                antal=traff["antal"],
                n=traff["n"],
                varde=traff["varde"],
                minsta_del=traff["minsta_del"],
            )
            if enhet == "andel" and not np.isnan(traff["n"]):
                jamforas.append((rad, traff["antal"], traff["n"], malvarde))
            elif indikator == "aterbetalningstid":
                r = aterbetalningstid_mot_mal(traff["varde"], malvarde)
                rad.update(uppfyllt=bool(r["uppfyllt"]), differens=float(r["skillnad"]))
            else:
                diff = traff["varde"] - malvarde
                ok = diff >= 0 if rad["riktning"] == "minst" else diff <= 0
                rad.update(uppfyllt=bool(ok), differens=diff)
        if jtraff is not None:
            rad.update(
                jamforelse=jtraff["varde"],
                jamforelse_antal=jtraff["antal"],
                jamforelse_n=jtraff["n"],
                jamforelse_minsta_del=jtraff["minsta_del"],
            )
            if traff is not None:
                rad["forandring"] = traff["varde"] - jtraff["varde"]
        rader.append(rad)
    _jamfor_andelar(jamforas)
    kolumner = [
        "indikator", "insats", "enhet", "antal", "n", "varde", "mal", "riktning", "uppfyllt",
        "differens", "nedre", "ovre", "p_varde", "jamforelse", "jamforelse_antal",
        "jamforelse_n", "forandring", "minsta_del", "jamforelse_minsta_del",
    ]  # fmt: skip
    ut = pd.DataFrame(rader).reindex(columns=kolumner)
    ut["uppfyllt"] = [
        None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else bool(v)
        for v in ut["uppfyllt"]
    ]
    ut["uppfyllt"] = ut["uppfyllt"].astype("object")
    return ut


def _jamfor_andelar(jamforas: list[tuple[dict, float, float, float]]) -> None:
    """Fyll i andelarnas måljämförelse (:func:`finsam_analys.matt.mal.jamfor_med_mal`) i raderna.

    Alla andelar jämförs i ett anrop (raderna räknas var för sig, så värdena är desamma som
    ett anrop per rad). Ett mål som jamfor_med_mal inte godtar (riktning, mål utanför 0–1)
    jämförs rad för rad, så att felet blir detsamma som förut.
    """
    from finsam_analys.matt.mal import RIKTNINGAR, jamfor_med_mal

    if not jamforas:
        return
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
        svar = r[["uppfyllt", "differens", "nedre", "ovre", "p_varde"]].to_dict("records")
    else:
        svar = [
            jamfor_med_mal(
                pd.DataFrame({"antal": [a], "namnare": [n]}), mal, riktning=rad["riktning"]
            )
            .iloc[0][["uppfyllt", "differens", "nedre", "ovre", "p_varde"]]
            .to_dict()
            for rad, a, n, mal in jamforas
        ]
    for (rad, _, _, _), s in zip(jamforas, svar, strict=True):
        rad.update(s)


def _malrad_text(r: pd.Series, jp: Rapportperiod) -> str:
    namn = INDIKATORNAMN.get(r["indikator"], r["indikator"].replace("_", " "))
    riktning = "minst" if r["riktning"] == "minst" else "högst"
    if r["enhet"] == "andel":
        mal = f"{riktning} {formatera_procent(r['mal'])}"
        resultat = "..." if ar_maskad(r["Resultat"]) else formatera_procent(r["Resultat"])
        if ar_maskad(r["Resultat"]):
            resultat = "maskat (för få)"
        elif not pd.isna(r["n"]) and not ar_maskad(r["n"]):
            resultat += f" ({formatera_tal(r['antal'])} av {formatera_tal(r['n'])})"
    else:
        enhet = "månader" if r["enhet"] == "manader" else r["enhet"]
        mal = f"{riktning} {formatera_tal(r['mal'])} {enhet}"
        resultat = "saknas" if pd.isna(r["varde"]) else f"{formatera_tal(r['varde'])} {enhet}"
    if pd.isna(r["varde"]):
        return f"- **{namn}** ({r['insats']}): mål {mal} – resultat saknas i underlaget."
    bedomning = uppfyllt_text(r["uppfyllt"]).lower()
    tecken = "✔" if r["uppfyllt"] is True else ("✘" if r["uppfyllt"] is False else "–")
    text = f"- {tecken} **{namn}** ({r['insats']}): {resultat}, mål {mal} – **{bedomning}**"
    if r["enhet"] == "andel" and not ar_maskad(r["Resultat"]):
        text += f" ({formatera_procentenheter(r['differens'])} mot målet)"
    elif r["enhet"] == "manader" and not pd.isna(r["differens"]):
        text += f" ({'+' if r['differens'] > 0 else ''}{formatera_tal(r['differens'])} månader)"
    if r["enhet"] == "andel" and not pd.isna(r["forandring"]) and not ar_maskad(r["Resultat"]):
        if not ar_maskad(r["Jämförelse"]):
            text += f"; {formatera_procentenheter(r['forandring'])} sedan {jp.namn}"
    return text + "."


def sektion_sammanfattning(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    jamforelse: Rapportperiod | str | None = None,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
    jamforelse_rakning: Rakning | None = None,
) -> Sektion:
    """Nyckeltal mot mål: uppfyllt/ej uppfyllt, skillnad och förändring i procentenheter.

    Examples
    --------
    Se ``tests/test_rapportdelar.py`` (SOT Västerås 2019: 13 %, 9 %, 78 % mot 25/20/55 %).
    """
    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    jp = jamforelseperiod(underlag, period, jamforelse)
    rak = rakning or rakna(underlag, period)
    jrak = jamforelse_rakning or rakna(underlag, jp)
    res = malresultat(underlag, period, jamforelse=jp, rakning=rak, jamforelse_rakning=jrak)
    rubrik = "Sammanfattning"
    if not len(res):
        return _utan_mal(rak, jrak, period, jp, regler)
    res = res.copy()
    andel = res["enhet"] == "andel"
    res["Resultat"] = [
        _skyddad(a, n, m, regler) if e == "andel" else v
        for a, n, m, v, e in zip(
            res["antal"], res["n"], res["minsta_del"], res["varde"], res["enhet"], strict=True
        )
    ]
    res["Jämförelse"] = [
        _skyddad(a, n, m, regler) if e == "andel" else v
        for a, n, m, v, e in zip(
            res["jamforelse_antal"],
            res["jamforelse_n"],
            res["jamforelse_minsta_del"],
            res["jamforelse"],
            res["enhet"],
            strict=True,
        )
    ]
    # Ett maskat resultat bedöms inte: "uppfyllt"/"ej uppfyllt" skulle röja på vilken sida om
    # målet det dolda värdet ligger (och räknas då inte heller bland de bedömda målen).
    res["uppfyllt"] = [
        None if e == "andel" and ar_maskad(v) else u
        for u, v, e in zip(res["uppfyllt"], res["Resultat"], res["enhet"], strict=True)
    ]
    nyckeltal: dict[str, Any] = {}
    andelar_tabell = res[andel]
    ovriga = res[~andel]
    tabeller: dict[str, pd.DataFrame] = {}
    format_: dict[str, dict[str, str]] = {}
    if len(andelar_tabell):
        maskad = andelar_tabell["Resultat"].map(ar_maskad)
        jmaskad = andelar_tabell["Jämförelse"].map(ar_maskad)

        def dolj(kolumn: str, mask: pd.Series) -> list:
            return [MASKAD if m else v for v, m in zip(andelar_tabell[kolumn], mask, strict=True)]

        en_insats = andelar_tabell["insats"].nunique() == 1
        indikatornamn = andelar_tabell["indikator"].map(lambda i: INDIKATORNAMN.get(i, i))
        t = pd.DataFrame(
            {
                "Indikator": indikatornamn,
                "Insats": andelar_tabell["insats"],
                "Resultat": andelar_tabell["Resultat"],
                "n": [skyddat_antal(n, regler) for n in andelar_tabell["n"]],
                "Mål": andelar_tabell["mal"],
                "Riktning": andelar_tabell["riktning"].map({"minst": "minst", "hogst": "högst"}),
                "Bedömning": andelar_tabell["uppfyllt"].map(uppfyllt_text),
                "Mot mål": dolj("differens", maskad),
                "95 % KI, nedre": dolj("nedre", maskad),
                "95 % KI, övre": dolj("ovre", maskad),
                f"{jp.namn}": andelar_tabell["Jämförelse"],
                "Förändring": dolj("forandring", maskad | jmaskad),
            }
        )
        if en_insats:
            t = t.drop(columns="Insats")
        tabeller["Mål och resultat"] = t.reset_index(drop=True)
        format_["Mål och resultat"] = {
            "Resultat": "procent",
            "n": "antal",
            "Mål": "procent",
            "Bedömning": "uppfyllt",
            "Mot mål": "procentenheter",
            "95 % KI, nedre": "procent",
            "95 % KI, övre": "procent",
            f"{jp.namn}": "procent",
            "Förändring": "procentenheter",
        }
    if len(ovriga):
        t = pd.DataFrame(
            {
                "Indikator": ovriga["indikator"].map(lambda i: INDIKATORNAMN.get(i, i)),
                "Insats": ovriga["insats"],
                "Resultat": ovriga["varde"],
                "Mål": ovriga["mal"],
                "Riktning": ovriga["riktning"].map({"minst": "minst", "hogst": "högst"}),
                "Enhet": ovriga["enhet"].map(lambda e: "månader" if e == "manader" else e),
                "Bedömning": ovriga["uppfyllt"].map(uppfyllt_text),
                "Skillnad mot mål": ovriga["differens"],
            }
        )
        tabeller["Övriga mål"] = t.reset_index(drop=True)
        format_["Övriga mål"] = {
            "Resultat": "tal2",
            "Mål": "tal2",
            "Bedömning": "uppfyllt",
            "Skillnad mot mål": "tal2",
        }
    for _, r in res.iterrows():
        k = nyckel(r["indikator"], r["insats"])
        nyckeltal[k] = None if pd.isna(r["varde"]) else r["Resultat"]
        nyckeltal[f"mal:{k}"] = r["mal"]
        nyckeltal[f"mal_uppfyllt:{k}"] = (
            None if r["uppfyllt"] is None or pd.isna(r["uppfyllt"]) else bool(r["uppfyllt"])
        )
    uppfyllda = int(sum(1 for u in res["uppfyllt"] if u is True))
    bedomda = int(sum(1 for u in res["uppfyllt"] if u is True or u is False))
    nyckeltal["mal_antal"] = len(res)
    nyckeltal["mal_antal_uppfyllda"] = uppfyllda
    inledning = (
        f"{uppfyllda} av {bedomda} mål som kan bedömas är uppfyllda under {period.namn}."
        if bedomda
        else f"Inget av de {len(res)} målen kan bedömas: underlaget saknar resultat för "
        f"{period.namn}."
    )
    rader = [
        f"{inledning} Skillnader mellan andelar anges i procentenheter; jämförelseperioden är "
        f"{jp.namn}.",
        "",
        *[_malrad_text(r, jp) for _, r in res.iterrows()],
    ]
    figurer = []
    if len(andelar_tabell):
        fig = andelar_tabell.assign(
            x=andelar_tabell["indikator"].map(lambda i: INDIKATORNAMN.get(i, i))
            + np.where(
                andelar_tabell["insats"] == TOTALT, "", " (" + andelar_tabell["insats"] + ")"
            ),
            y=numeriskt(andelar_tabell["Resultat"].astype(object)),
            mal_y=andelar_tabell["mal"],
        )[["x", "y", "mal_y"]]
        figurer.append(
            Figur(
                "resultat_mot_mal",
                fig.reset_index(drop=True),
                titel=f"Resultat mot mål, {period.namn}",
                tabell="Mål och resultat",
                enhet="andel",
                alt="Stapeldiagram: varje indikators resultat i procent med målet markerat.",
                not_="Strecket är målet. Maskade värden (..) ritas inte.",
            )
        )
    return Sektion(
        "sammanfattning",
        rubrik,
        text="\n".join(rader),
        tabeller=tabeller,
        format=format_,
        figurer=figurer,
        nyckeltal=nyckeltal,
        fotnot="p.e. = procentenheter. 95 % KI: Wilsons konfidensintervall för andelen; ett "
        "intervall som omfattar målet betyder att resultatet inte säkert skiljer sig från målet. "
        f"Kolumnen {jp.namn} är jämförelseperioden och Förändring skillnaden mot den.",
    )


def _utan_mal(rak: Rakning, jrak: Rakning, period, jp, regler) -> Sektion:
    """Sammanfattning när förbundet saknar mål: indikatorerna för hela förbundet."""
    ind = indikatorer(rak)
    ind = ind[(ind["insats"] == TOTALT) & (ind["enhet"] == "andel")]
    if not len(ind):
        return Sektion(
            "sammanfattning",
            "Sammanfattning",
            saknas="Underlaget har varken mål (tabellen mal) eller resultat som kan "
            "sammanfattas för perioden.",
        )
    jind = indikatorer(jrak).set_index(["indikator", "insats"])
    rader, nyckeltal = [], {}
    for _, r in ind.iterrows():
        andel = _skyddad(r["antal"], r["n"], r["minsta_del"], regler)
        j = jind.loc[(r["indikator"], TOTALT)] if (r["indikator"], TOTALT) in jind.index else None
        jandel = _skyddad(j["antal"], j["n"], j["minsta_del"], regler) if j is not None else None
        forandring = (
            r["varde"] - j["varde"]
            if j is not None and not ar_maskad(andel) and not ar_maskad(jandel)
            else (MASKAD if j is not None else None)
        )
        rader.append(
            {
                "Indikator": INDIKATORNAMN.get(r["indikator"], r["indikator"]),
                "Resultat": andel,
                "Antal": MASKAD if ar_maskad(andel) else skyddat_antal(r["antal"], regler),
                "n": skyddat_antal(r["n"], regler),
                jp.namn: jandel,
                "Förändring": forandring,
            }
        )
        nyckeltal[r["indikator"]] = andel
    t = pd.DataFrame(rader)
    text = [
        f"Underlaget har inga mål för {period.namn} (tabellen mal); nyckeltalen visas utan "
        "jämförelse med mål.",
        "",
    ]
    for rad in rader:
        if not ar_maskad(rad["Resultat"]):
            text.append(
                f"- **{rad['Indikator']}**: {formatera_procent(rad['Resultat'])} "
                f"({tal_text(rad['Antal'])} av {tal_text(rad['n'])})."
            )
    return Sektion(
        "sammanfattning",
        "Sammanfattning",
        text="\n".join(text),
        tabeller={"Nyckeltal": t},
        format={
            "Nyckeltal": {
                "Resultat": "procent",
                "Antal": "antal",
                "n": "antal",
                jp.namn: "procent",
                "Förändring": "procentenheter",
            }
        },
        nyckeltal=nyckeltal,
    )


def _utfallstabell(avslut: pd.DataFrame) -> pd.DataFrame:
    data = utan_summarader(avslut, "insats", "utfall")
    if "avslutstyp" in data.columns:
        data = data[(data["avslutstyp"].astype("str") != "Avbruten").to_numpy()]
    return data


def fullfoljda_avslut(period: Rapportperiod) -> Storhet:
    """Storheten för periodens fullföljda avslut (avbrott räknas inte), hela förbundet.

    Examples
    --------
    >>> str(fullfoljda_avslut(Rapportperiod.tolka("2019")))
    'avslut[2019; avslutstyp=Fullföljd]'
    """
    return Storhet.av("avslut", period, avslutstyp="Fullföljd")


def sektion_avslut_och_resultat(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Avslut per utfall (andelar med konfidensintervall) och per insats (korstabell).

    Andelarna avser fullföljda avslut (avbrott redovisas i sektionen Avbrott). Sektionen är
    omaskad; sekretessen och avrundningen sker i rapportens kontrollpunkter
    (:func:`finsam_analys.rapport.bygg_rapport`).
    """
    period = Rapportperiod.tolka(period)
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
    # insatserna i underlagets ordning (som källan redovisar dem)
    insatser = list(dict.fromkeys(data["insats"].astype("str"))) if "insats" in data else []
    if len(insatser) > 1:
        kors = (
            data.assign(insats=data["insats"].astype("str"))
            .groupby(["utfall", "insats"], sort=False)["antal"]
            .sum()
            .unstack("insats", fill_value=0)
            .reindex(index=per_utfall.index, columns=insatser)
            .fillna(0)
        )
        korstabell = Tabell.korstabell(
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
        block += [
            korstabell,
            fordelningens_andelar(
                korstabell,
                namn="avslut_per_insats",
                titel=f"Avslut per insats, {period.namn}",
                etikettkolumn="Insats",
                antal="Antal",
            ),
        ]
    return Sektion("avslut", rubrik, innehall=tuple(block), nyckeltal=nyckeltal)


def sektion_avbrott(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Avbrott per orsak och per remittent (tabellen ``avbrott`` eller avbrutna avslut).

    Båda är tabeller; bara fördelningen per orsak visas också som figur.
    """
    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    rak = rakning or rakna(underlag, period)
    rubrik = "Avbrott"
    ind = indikatorer(rak)
    rad = ind[(ind["indikator"] == "andel_avbrott") & (ind["insats"] == TOTALT)]
    if not rak.har("avbrott") and not len(rad):
        return Sektion(
            "avbrott", rubrik, saknas=f"Underlaget har inga uppgifter om avbrott för {period.namn}."
        )
    if rak.har("avbrott"):
        data = utan_summarader(rak.tabell("avbrott"), "kategori", "insats")
        if "del_av" in data.columns:
            data = data[data["del_av"].isna() | (data["del_av"].astype("str") == "")]
    else:
        data = pd.DataFrame(columns=["dimension", "kategori", "antal"])
    namn = {"orsak": "Orsak", "remittent": "Remittent"}
    tabeller, format_, nyckeltal, figurer = {}, {}, {}, []
    totalt = None
    for dimension, grupp in data.groupby("dimension", sort=False):
        antal = grupp.groupby("kategori", sort=False)["antal"].sum()
        antal = antal.sort_values(ascending=False, kind="stable")
        a = andelar(antal)
        totalt = int(a["antal"].sum())
        m = maskera_fordelning(a, regler)
        rubrik_kol = namn.get(str(dimension), str(dimension).replace("_", " ").capitalize())
        from finsam_analys.rapport.deltagare import KATEGORINAMN

        t = pd.DataFrame(
            {
                rubrik_kol: [KATEGORINAMN.get(str(k), str(k)) for k in a.index],
                "Antal": m["antal"].to_numpy(),
                "Andel": m["andel"].to_numpy(),
            }
        )
        tabeller[f"Avbrott per {rubrik_kol.lower()}"] = t
        format_[f"Avbrott per {rubrik_kol.lower()}"] = {"Antal": "antal", "Andel": "procent"}
        for k, v in zip(a.index, t["Andel"], strict=True):
            nyckeltal[f"andel_avbrott_{dimension}:{k}"] = v
        if dimension != "orsak":
            continue  # bara orsakerna som figur (produktbeslut: färre figurer)
        figurer.append(
            Figur(
                "staplar",
                pd.DataFrame({"x": t[rubrik_kol], "y": numeriskt(t["Andel"].astype(object))}),
                titel=f"Avbrott per {rubrik_kol.lower()}, {period.namn}",
                tabell=f"Avbrott per {rubrik_kol.lower()}",
                enhet="andel",
                alt=f"Liggande stapeldiagram: andel av avbrotten per {rubrik_kol.lower()}.",
            )
        )
    if totalt is None and len(rad):
        totalt = int(rad.iloc[0]["antal"])
    nyckeltal["antal_avbrott"] = skyddat_antal(totalt, regler)
    antal_text = (
        f"färre än {regler.troskel}"
        if ar_maskad(nyckeltal["antal_avbrott"])
        else tal_text(nyckeltal["antal_avbrott"])
    )
    text = f"Under {period.namn} avbröts {antal_text} deltaganden."
    if len(rad):
        r = rad.iloc[0]
        andel_avbrott = skyddad_andel(r["antal"], r["n"], regler)
        nyckeltal["andel_avbrott"] = andel_avbrott
        if not ar_maskad(andel_avbrott):
            text += (
                f" Det är {formatera_procent(andel_avbrott)} av alla "
                f"{formatera_tal(r['n'])} avslut."
            )
    if not tabeller:
        text += " Underlaget anger inte orsakerna till avbrotten."
    elif len(rad) == 0:
        text += (
            " Andelen avbrott av alla avslut räknas inte, eftersom avbrotten och de fullföljda "
            "avsluten redovisas i olika tabeller i underlaget."
        )
    return Sektion(
        "avbrott",
        rubrik,
        text=text,
        tabeller=tabeller,
        format=format_,
        figurer=figurer,
        nyckeltal=nyckeltal,
    )
