"""Sektionerna Helårsekvivalenter, Ekonomi och Samhällsnytta.

Var varje tal räknas:

* andel av befolkningen 20–64 år: :func:`finsam_analys.matt.helarsekvivalenter.befolkningsandelar`
  (summa HÅE / summa folkmängd, aldrig medel av andelar); deltagarnas HÅE ur
  ersättningsperioder: :func:`finsam_analys.matt.helarsekvivalenter.helarsekvivalenter`;
* budget mot utfall: :func:`finsam_analys.matt.ekonomi.budgetutfall` och
  :func:`~finsam_analys.matt.ekonomi.andel_forbrukad`; eget kapital:
  :func:`~finsam_analys.matt.ekonomi.eget_kapital`;
* återbetalningstid mot mål: :func:`finsam_analys.matt.samhallsnytta.aterbetalningstid_mot_mal`.

Belopp och befolkningsstatistik är inga antal personer i insatserna och maskas inte; deltagarnas
HÅE (som bygger på få personer) maskas under tröskeln.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.matt.rakning import TOTALT, valj_period
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.formatering import formatera_procent, formatera_tal
from finsam_analys.rapport.gemensamt import (
    MASKAD,
    Figur,
    Sektion,
    sekretessregler,
    uppfyllt_text,
)

__all__ = ["sektion_ekonomi", "sektion_helarsekvivalenter", "sektion_samhallsnytta"]


def _hae_aggregat(underlag: Any, period: Rapportperiod) -> pd.DataFrame | None:
    t = underlag.tabell("helarsekvivalenter")
    if t is None or not len(t):
        return None
    t = t[pd.to_numeric(t["ar"]) <= period.ar]
    if "kon" in t.columns:
        t = t[t["kon"] == TOTALT]
    t = t[t["folkmangd_20_64"].notna() & t["hae"].notna()]
    t = t.drop_duplicates(subset=["region", "ar", "ersattningsform"], keep="first")
    return t.reset_index(drop=True) if len(t) else None


def sektion_helarsekvivalenter(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    sekretess_troskel: int | None = None,
) -> Sektion:
    """Andel av befolkningen 20–64 år som försörjs av ersättningar: förbundets kommuner, län, riket.

    Med SCB-aggregat (tabellen ``helarsekvivalenter``) visas åren till och med rapportåret.
    Med ersättningsperioder (deltagarnivå) visas deltagarnas HÅE per ersättningsform.
    """
    from finsam_analys.matt.helarsekvivalenter import befolkningsandelar

    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    rubrik = "Helårsekvivalenter"
    data = _hae_aggregat(underlag, period)
    tabeller: dict[str, pd.DataFrame] = {}
    format_: dict[str, dict[str, str]] = {}
    figurer: list[Figur] = []
    nyckeltal: dict[str, Any] = {}
    text: list[str] = []
    if data is not None:
        kommuner = set(getattr(underlag.konfig, "kommuner", ()))
        lan = getattr(underlag.konfig, "lan", None)
        delar = []
        egna = data[(data["regiontyp"] == "kommun") & data["region"].isin(kommuner)]
        if len(egna):
            namn = next(iter(kommuner)) if len(kommuner) == 1 else "Förbundets kommuner"
            a = befolkningsandelar(egna, per="ar").assign(region=namn, nivå="kommun")
            delar.append(a)
        for typ in ("lan", "riket"):
            urval = data[data["regiontyp"] == typ]
            if typ == "lan" and lan:
                urval = urval[urval["region"] == lan] if (urval["region"] == lan).any() else urval
            if len(urval):
                delar.append(befolkningsandelar(urval, per=("region", "ar")).assign(nivå=typ))
        if delar:
            andelar = pd.concat(delar, ignore_index=True)
            andelar["ar"] = pd.to_numeric(andelar["ar"]).astype("int64")
            bred = andelar.pivot_table(index="region", columns="ar", values="andel", sort=False)
            bred.columns = [str(c) for c in bred.columns]
            tabell = bred.reset_index().rename(columns={"region": "Region"})
            tabeller["Andel av befolkningen 20–64 år"] = tabell
            format_["Andel av befolkningen 20–64 år"] = {
                k: "procent1" for k in tabell.columns if k != "Region"
            }
            detalj = andelar.rename(
                columns={
                    "region": "Region",
                    "ar": "År",
                    "hae": "Helårsekvivalenter",
                    "folkmangd_20_64": "Folkmängd 20–64 år",
                    "andel": "Andel",
                }
            )[["Region", "År", "Helårsekvivalenter", "Folkmängd 20–64 år", "Andel"]]
            tabeller["Helårsekvivalenter och folkmängd"] = detalj
            format_["Helårsekvivalenter och folkmängd"] = {
                "År": "ar",
                "Helårsekvivalenter": "antal",
                "Folkmängd 20–64 år": "antal",
                "Andel": "procent1",
            }
            for _, r in andelar.iterrows():
                nyckeltal[f"hae_andel:{r['region']}:{r['ar']}"] = float(r["andel"])
                nyckeltal[f"hae:{r['region']}:{r['ar']}"] = float(r["hae"])
            figurer.append(
                Figur(
                    "linjer",
                    andelar.rename(columns={"ar": "x", "andel": "y", "region": "grupp"})[
                        ["x", "y", "grupp"]
                    ],
                    titel="Andel av befolkningen 20–64 år som försörjs av ersättningar och bidrag",
                    enhet="andel",
                    xetikett="År",
                    tabell="Andel av befolkningen 20–64 år",
                    decimaler=1,
                    alt="Linjediagram: andel av befolkningen 20–64 år (helårsekvivalenter / "
                    "folkmängd) per år för förbundets kommuner, länet och riket.",
                )
            )
            senaste = int(andelar["ar"].max())
            per_form = data[pd.to_numeric(data["ar"]) == senaste]
            per_form = per_form[per_form["ersattningsform"] != TOTALT]
            regioner = list(dict.fromkeys(andelar.loc[andelar["ar"] == senaste, "region"]))
            if len(per_form):
                former = per_form.assign(
                    region=np.where(
                        (per_form["regiontyp"] == "kommun") & per_form["region"].isin(kommuner),
                        regioner[0] if len(egna) else per_form["region"],
                        per_form["region"],
                    )
                )
                former = former[former["region"].isin(regioner)]
                f = befolkningsandelar(former, per=("region", "ersattningsform"))
                bred = f.pivot_table(
                    index="ersattningsform", columns="region", values="andel", sort=False
                )
                bred = bred.reindex(columns=[r for r in regioner if r in bred.columns])
                bred.columns.name = None
                t = bred.reset_index().rename(columns={"ersattningsform": "Ersättningsform"})
                namn = f"Andel per ersättningsform {senaste}"
                tabeller[namn] = t
                format_[namn] = {k: "procent1" for k in t.columns if k != "Ersättningsform"}
            rad = andelar[andelar["ar"] == senaste]
            text.append(
                f"Helårsekvivalenter (SCB) är antalet personer 20–64 år som skulle kunna försörjas "
                f"ett helt år med full ersättning. Andelen är summan av helårsekvivalenterna delad "
                f"med folkmängden 20–64 år. {senaste}: "
                + ", ".join(
                    f"{r['region']} {formatera_procent(r['andel'], 1)}" for _, r in rad.iterrows()
                )
                + "."
            )
            if (
                data["preliminar"].fillna(False).astype(bool).any()
                if "preliminar" in data
                else False
            ):
                text.append("Det senaste året är preliminärt.")
    perioder = underlag.tabell("ersattningsperioder")
    if perioder is not None and len(perioder):
        from finsam_analys.matt.helarsekvivalenter import helarsekvivalenter

        h = helarsekvivalenter(perioder, period=period)
        h = h[h["hae"] > 0]
        if len(h):
            visas = h["hae"].astype(object)
            if not regler.intern:
                visas = visas.where(~(h["hae"] < regler.troskel), MASKAD)
            t = pd.DataFrame(
                {
                    "Ersättningsform": h["ersattningsform"].to_numpy(),
                    "Helårsekvivalenter": visas.to_numpy(),
                }
            )
            tabeller["Deltagarnas helårsekvivalenter"] = t
            format_["Deltagarnas helårsekvivalenter"] = {"Helårsekvivalenter": "tal1"}
            for form, v in zip(t["Ersättningsform"], t["Helårsekvivalenter"], strict=True):
                nyckeltal[f"deltagarnas_hae:{form}"] = v
            text.append(
                f"Deltagarnas helårsekvivalenter under {period.namn} ur ersättningsperioderna "
                "(ersättning med full omfattning ett helt år = 1)."
            )
    if not tabeller:
        return Sektion(
            "helarsekvivalenter",
            rubrik,
            saknas="Underlaget har inga helårsekvivalenter (SCB-tabell eller ersättningsperioder).",
        )
    return Sektion(
        "helarsekvivalenter",
        rubrik,
        text="\n\n".join(text),
        tabeller=tabeller,
        format=format_,
        figurer=figurer,
        nyckeltal=nyckeltal,
    )


def _belopp(enhet: str) -> str:
    return "tkr" if enhet == "tkr" else "kr"


def sektion_ekonomi(underlag: Any, period: Rapportperiod | str) -> Sektion:
    """Budget mot utfall per post (med förbrukad andel), utblick och eget kapital."""
    from finsam_analys.matt.ekonomi import andel_forbrukad, budgetutfall, eget_kapital

    period = Rapportperiod.tolka(period)
    rubrik = "Ekonomi"
    e = valj_period(underlag.tabell("ekonomi"), period)
    ek = valj_period(underlag.tabell("eget_kapital"), period)
    if e is None and ek is None:
        return Sektion("ekonomi", rubrik, saknas=f"Underlaget har ingen ekonomi för {period.namn}.")
    tabeller: dict[str, pd.DataFrame] = {}
    format_: dict[str, dict[str, str]] = {}
    figurer: list[Figur] = []
    nyckeltal: dict[str, Any] = {}
    text: list[str] = []
    if e is not None:
        ar = period.ar if (e["ar"] == period.ar).any() else int(e["ar"].min())
        aret = e[e["ar"] == ar]
        kostnad = aret[aret["typ"] == "kostnad"] if "typ" in aret.columns else aret
        if len(kostnad) and kostnad["utfall"].notna().any():
            bu = budgetutfall(kostnad, per=None)
            enhet = _belopp(str(bu["enhet"].iloc[0])) if "enhet" in bu.columns else "kr"
            t = pd.DataFrame(
                {
                    "Grupp": bu["grupp"],
                    "Post": bu["post"],
                    f"Budget ({enhet})": bu["budget"],
                    f"Utfall ({enhet})": bu["utfall"],
                    "Utfall i procent av budget": bu["utfall_andel"],
                    f"Kvar av budget ({enhet})": bu["differens"],
                }
            )
            namn = f"Budget och utfall {ar}"
            tabeller[namn] = t
            format_[namn] = {
                f"Budget ({enhet})": "belopp",
                f"Utfall ({enhet})": "belopp",
                "Utfall i procent av budget": "procent",
                f"Kvar av budget ({enhet})": "belopp",
            }
            total = bu[bu["grupp"] == "TOTAL"].iloc[0]
            forbrukad = andel_forbrukad(kostnad)
            nyckeltal.update(
                budget_totalt=float(total["budget"]),
                utfall_totalt=float(total["utfall"]),
                andel_forbrukad=forbrukad,
                ekonomi_enhet=enhet,
            )
            for _, r in bu.iterrows():
                if r["post"] != "Summa":
                    nyckeltal[f"utfall_andel:{r['post']}"] = (
                        None if pd.isna(r["utfall_andel"]) else float(r["utfall_andel"])
                    )
            forvantat = None
            if period.slut.year == ar:
                forvantat = period.slut.month / 12
            text.append(
                f"Budget {ar}: {formatera_tal(total['budget'])} {enhet}, utfall till och med "
                f"{period.slut.isoformat()}: {formatera_tal(total['utfall'])} {enhet}, dvs. "
                f"{formatera_procent(forbrukad)} av budgeten"
                + (
                    f" (efter {period.slut.month} av årets 12 månader, "
                    f"{formatera_procent(forvantat)} av året)."
                    if forvantat is not None and forvantat < 1
                    else "."
                )
            )
            poster = bu[(bu["post"] != "Summa") & (bu["grupp"] != "TOTAL")]
            poster = poster[poster["budget"] > 0]
            storsta = poster.groupby("grupp", sort=False)["budget"].sum().idxmax()
            ovriga = bu[(bu["post"] == "Summa") & ~bu["grupp"].isin([storsta, "TOTAL"])]
            if len(poster) > 12 and len(ovriga):  # de största posterna och övriga grupper
                poster = pd.concat(
                    [poster[poster["grupp"] == storsta], ovriga.assign(post=ovriga["grupp"])]
                )
            figurer.append(
                Figur(
                    "staplar",
                    pd.DataFrame(
                        {"x": poster["post"].to_numpy(), "y": poster["utfall_andel"].to_numpy()}
                    ),
                    titel=f"Utfall i procent av budget per post, {ar}",
                    tabell=namn,
                    enhet="andel",
                    mal={"Förbrukad andel av året": forvantat}
                    if forvantat is not None and forvantat < 1
                    else {},
                    alt="Liggande stapeldiagram: utfall i procent av budget per post"
                    + (", med andelen av året som gått markerad." if forvantat else "."),
                )
            )
        intakter = aret[aret["typ"] == "intakt"] if "typ" in aret.columns else aret.iloc[0:0]
        if len(intakter):
            nyckeltal["intakter_budget"] = float(intakter["budget"].sum())
        framtid = e[(e["ar"] > ar) & (e["typ"] == "kostnad")] if "typ" in e.columns else None
        if framtid is not None and len(framtid):
            bu = budgetutfall(framtid.assign(utfall=np.nan), per="ar")
            bred = bu.pivot_table(
                index=["grupp", "post"], columns="ar", values="budget", sort=False
            )
            bred.columns = [f"Utblick {c}" for c in bred.columns]
            t = bred.reset_index().rename(columns={"grupp": "Grupp", "post": "Post"})
            tabeller["Utblick"] = t
            format_["Utblick"] = {k: "belopp" for k in t.columns if k.startswith("Utblick")}
    if ek is not None:
        try:
            typer = ek["typ"] if "typ" in ek.columns else None
            rullning = eget_kapital(ek if typer is None else ek)
        except ValueError:
            rullning = None
        if rullning is not None:
            enhet = _belopp(str(rullning["enhet"].iloc[0])) if "enhet" in rullning else "kr"
            t = pd.DataFrame(
                {
                    "År": rullning["ar"].to_numpy(),
                    f"Ingående eget kapital ({enhet})": rullning["ingaende"].to_numpy(),
                    f"Intäkter ({enhet})": rullning["intakter"].to_numpy(),
                    f"Kostnader ({enhet})": rullning["kostnader"].to_numpy(),
                    f"Resultat ({enhet})": rullning["resultat"].to_numpy(),
                    f"Utgående eget kapital ({enhet})": rullning["utgaende"].to_numpy(),
                }
            )
            tabeller["Eget kapital"] = t
            format_["Eget kapital"] = {k: "belopp" for k in t.columns if k != "År"} | {"År": "ar"}
            for _, r in rullning.iterrows():
                nyckeltal[f"eget_kapital_utgaende:{r['ar']}"] = float(r["utgaende"])
            text.append(
                "Eget kapital rullas framåt: utgående = ingående + intäkter − kostnader; varje års "
                "utgående kapital blir nästa års ingående (räknat här, inte avskrivet)."
            )
    if not tabeller:
        return Sektion("ekonomi", rubrik, saknas=f"Underlaget har inget utfall för {period.namn}.")
    return Sektion(
        "ekonomi",
        rubrik,
        text="\n\n".join(text),
        tabeller=tabeller,
        format=format_,
        figurer=figurer,
        nyckeltal=nyckeltal,
    )


def sektion_samhallsnytta(underlag: Any, period: Rapportperiod | str) -> Sektion:
    """Återbetalningstid (samhällsekonomisk) mot mål, per insats."""
    from finsam_analys.matt.samhallsnytta import aterbetalningstid_mot_mal

    period = Rapportperiod.tolka(period)
    rubrik = "Samhällsnytta"
    n = valj_period(underlag.tabell("nyckeltal_publicerade"), period)
    resultat = n[n["indikator"] == "aterbetalningstid"] if n is not None else pd.DataFrame()
    mal = underlag.tabell("mal")
    if mal is not None:
        mal = mal[mal["indikator"] == "aterbetalningstid"]
        if "period" in mal.columns:
            mal = mal[
                mal["period"]
                .map(lambda k: pd.isna(k) or str(k) == "" or Rapportperiod.tolka(k) == period)
                .astype(bool)
            ]
    if not len(resultat) and (mal is None or not len(mal)):
        return Sektion(
            "samhallsnytta",
            rubrik,
            saknas="Underlaget har varken återbetalningstid eller mål för den för perioden.",
        )
    insatser = list(
        dict.fromkeys(
            list(resultat["insats"].astype("str"))
            + (list(mal["insats"].astype("str")) if mal is not None else [])
        )
    )
    rader = []
    nyckeltal: dict[str, Any] = {}
    for insats in insatser:
        r = resultat[resultat["insats"].astype("str") == insats]
        m = mal[mal["insats"].astype("str") == insats] if mal is not None else pd.DataFrame()
        res = float(r["varde"].iloc[0]) if len(r) else np.nan
        malv = float(m["varde"].iloc[0]) if len(m) else np.nan
        bedomning = None
        skillnad = np.nan
        if not np.isnan(res) and not np.isnan(malv):
            j = aterbetalningstid_mot_mal(res, malv)
            bedomning, skillnad = bool(j["uppfyllt"]), float(j["skillnad"])
        rader.append(
            {
                "Insats": insats,
                "Återbetalningstid (månader)": res,
                "Mål, högst (månader)": malv,
                "Skillnad (månader)": skillnad,
                "Bedömning": uppfyllt_text(bedomning),
            }
        )
        nyckeltal[f"aterbetalningstid:{insats}"] = None if np.isnan(res) else res
    t = pd.DataFrame(rader)
    text = (
        "Återbetalningstiden är den tid det tar innan samhällets vinst av deltagarnas ändrade "
        "försörjning har betalat insatsens kostnad (samhällsekonomisk beräkning, t.ex. av "
        "PayOff). Målet är ett tak: kortare är bättre."
    )
    if t["Återbetalningstid (månader)"].isna().all():
        text += f" Underlaget anger ingen återbetalningstid för {period.namn}, bara målet."
    return Sektion(
        "samhallsnytta",
        rubrik,
        text=text,
        tabeller={"Återbetalningstid mot mål": t},
        format={
            "Återbetalningstid mot mål": {
                "Återbetalningstid (månader)": "antal",
                "Mål, högst (månader)": "antal",
                "Skillnad (månader)": "antal",
                "Bedömning": "uppfyllt",
            }
        },
        nyckeltal=nyckeltal,
    )
