"""Sektionerna Hälsa och stegförflyttning, Uppföljning efter avslut, och Deltagarenkät (NNS).

Var varje tal räknas:

* hälsoenkäten (summor, relativ förändring, andel förbättrade):
  :func:`finsam_analys.matt.halsa.halsoenkat_resultat` på räknetabellen ``halsoenkat``;
* stegförflyttning: räknetabellen ``stegforflyttning`` (ur :func:`finsam_analys.matt.halsa.
  stegforflyttning`), andelar med :func:`finsam_analys.matt.andelar.andelar`;
* uppföljning: :func:`finsam_analys.matt.uppfoljning.uppfoljningsresultat` (andel av nådda och av
  försökta) och :func:`~finsam_analys.matt.uppfoljning.andelar_bland_ovriga`;
* NNS-enkäten: andel som svarar i de översta stegen per fråga, med n.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.matt.andelar import andelar
from finsam_analys.matt.rakning import TOTALT, Rakning, rakna, utan_summarader
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.formatering import formatera_procent
from finsam_analys.rapport.gemensamt import (
    MASKAD,
    Figur,
    Sektion,
    ar_maskad,
    maskera_fordelning,
    numeriskt,
    sekretessregler,
    skyddad_andel,
    skyddat_antal,
    tal_text,
)

__all__ = [
    "sektion_deltagarenkat",
    "sektion_halsa_och_stegforflyttning",
    "sektion_uppfoljning",
]


def _delperiodnamn(kod: Any) -> str:
    try:
        return Rapportperiod.tolka(kod).namn
    except (ValueError, TypeError):
        return str(kod)


def _forandring_text(x: float) -> str:
    return ("+" if x > 0 else "") + formatera_procent(x)


def sektion_halsa_och_stegforflyttning(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Hälsoenkäten (poäng före och efter, andel förbättrade) och stegförflyttning."""
    from finsam_analys.matt.halsa import halsoenkat_resultat

    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    rak = rakning or rakna(underlag, period)
    rubrik = "Hälsa och stegförflyttning"
    tabeller: dict[str, pd.DataFrame] = {}
    format_: dict[str, dict[str, str]] = {}
    figurer: list[Figur] = []
    nyckeltal: dict[str, Any] = {}
    text: list[str] = []
    if rak.har("halsoenkat"):
        h = rak.tabell("halsoenkat")
        h = utan_summarader(h, "delperiod")
        flera_insatser = "insats" in h.columns and h["insats"].nunique() > 1
        if flera_insatser:
            index = h["insats"].astype("str")
        else:
            index = h["delperiod"].map(_delperiodnamn) if "delperiod" in h.columns else h.index
        r = halsoenkat_resultat(h.set_index(pd.Index(index, name="grupp")), totalt=len(h) > 1)
        if len(h) > 1:
            r = r.rename(index={"Totalt": f"Hela {period.namn}" if not flera_insatser else TOTALT})
        andel = [
            skyddad_andel(a, n, regler) for a, n in zip(r["antal_forbattrade"], r["n"], strict=True)
        ]
        t = pd.DataFrame(
            {
                "Insats" if flera_insatser else "Mätperiod": r.index.astype("str"),
                "Antal enkäter": [skyddat_antal(n, regler) for n in r["n"]],
                "Summa poäng vid start": r["summa_start"].to_numpy(),
                "Summa poäng vid avslut": r["summa_slut"].to_numpy(),
                "Förändring": r["forandring"].to_numpy(),
                "Antal förbättrade": [skyddat_antal(a, regler) for a in r["antal_forbattrade"]],
                "Andel förbättrade": andel,
            }
        )
        mal = underlag.tabell("mal")
        malvarde = None
        if mal is not None:
            m = mal[mal["indikator"] == "andel_forbattrad_halsa"]
            if len(m):
                malvarde = float(m["varde"].iloc[0])
                t["Mål"] = malvarde
        tabeller["Hälsoenkät"] = t
        format_["Hälsoenkät"] = {
            "Antal enkäter": "antal",
            "Summa poäng vid start": "antal",
            "Summa poäng vid avslut": "antal",
            "Förändring": "forandring",
            "Antal förbättrade": "antal",
            "Andel förbättrade": "procent",
            "Mål": "procent",
        }
        forklaring = []
        for _, rad in t.iterrows():
            namn = rad.iloc[0]
            forklaring.append(
                f"{namn}: poängen ökade från {tal_text(rad['Summa poäng vid start'])} till "
                f"{tal_text(rad['Summa poäng vid avslut'])} "
                f"(**{_forandring_text(rad['Förändring'])}**)"
                + (
                    f" och {formatera_procent(rad['Andel förbättrade'])} av deltagarna "
                    f"skattade sin hälsa högre vid avslut"
                    if not ar_maskad(rad["Andel förbättrade"])
                    and rad["Andel förbättrade"] is not None
                    else ""
                )
            )
        text.append(
            "Hälsoenkäten jämför deltagarnas egen skattning av hälsan vid start och vid avslut. "
            "Förändringen är den relativa förändringen av den sammanlagda poängen "
            "(procent, inte procentenheter)."
        )
        text += [f"- {f}." for f in forklaring]
        for namn, rad in zip(r.index, t.itertuples(index=False), strict=True):
            suffix = "" if namn.startswith("Hela") or namn == TOTALT else f":{namn}"
            nyckeltal[f"halsa_forandring{suffix}"] = float(rad[4])
            nyckeltal[f"andel_forbattrad_halsa{suffix}"] = rad[6]
        figurer.append(
            Figur(
                "staplar",
                pd.DataFrame(
                    {"x": t.iloc[:, 0], "y": numeriskt(t["Andel förbättrade"].astype(object))}
                ),
                titel=f"Andel med förbättrad upplevd hälsa, {period.namn}",
                tabell="Hälsoenkät",
                enhet="andel",
                mal={"Mål": malvarde} if malvarde is not None else {},
                alt="Liggande stapeldiagram: andel av deltagarna som skattade sin hälsa högre "
                "vid avslut än vid start" + (", med målet markerat." if malvarde else "."),
            )
        )
    if rak.har("stegforflyttning"):
        s = rak.tabell("stegforflyttning")
        antal = (
            s.groupby("forflyttning", sort=False)["antal"]
            .sum()
            .reindex(["upp", "samma", "ner"], fill_value=0)
        )
        a = andelar(antal)
        m = maskera_fordelning(a, regler)
        etiketter = {"upp": "Minst ett steg upp", "samma": "Samma steg", "ner": "Lägre steg"}
        t = pd.DataFrame(
            {
                "Förflyttning": [etiketter[k] for k in a.index],
                "Antal": m["antal"].to_numpy(),
                "Andel": m["andel"].to_numpy(),
            }
        )
        tabeller["Stegförflyttning"] = t
        format_["Stegförflyttning"] = {"Antal": "antal", "Andel": "procent"}
        nyckeltal["andel_stegforflyttning"] = m["andel"].iloc[0]
        trappa = getattr(underlag.konfig, "trappa", ())
        text.append(
            f"Stegförflyttning: {tal_text(skyddat_antal(int(a['namnare'].iloc[0]), regler))} "
            "avslutade med steg vid både start och avslut"
            + (f" på trappan ({' → '.join(trappa)})." if trappa else ".")
        )
        if "insats" in s.columns and s["insats"].nunique() > 1:
            per = s.groupby(["insats", "forflyttning"])["antal"].sum().unstack(fill_value=0)
            per = per.reindex(columns=["upp", "samma", "ner"], fill_value=0)
            rader = []
            for insats, rad in per.iterrows():
                n = int(rad.sum())
                rader.append(
                    {
                        "Insats": insats,
                        "n": skyddat_antal(n, regler),
                        "Andel minst ett steg upp": skyddad_andel(rad["upp"], n, regler),
                    }
                )
            tabeller["Stegförflyttning per insats"] = pd.DataFrame(rader)
            format_["Stegförflyttning per insats"] = {
                "n": "antal",
                "Andel minst ett steg upp": "procent",
            }
        figurer.append(
            Figur(
                "staplar",
                pd.DataFrame({"x": t["Förflyttning"], "y": numeriskt(t["Andel"].astype(object))}),
                titel=f"Stegförflyttning, avslutade {period.namn}",
                tabell="Stegförflyttning",
                enhet="andel",
                alt="Liggande stapeldiagram: andel av de avslutade som gått upp, stått still "
                "eller gått ner på trappan.",
            )
        )
    if not tabeller:
        return Sektion(
            "halsa",
            rubrik,
            saknas=f"Underlaget har ingen hälsoenkät eller stegmätning för {period.namn}.",
        )
    return Sektion(
        "halsa",
        rubrik,
        text="\n".join(text),
        tabeller=tabeller,
        format=format_,
        figurer=figurer,
        nyckeltal=nyckeltal,
    )


def sektion_uppfoljning(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Läget 6, 12 och 18 månader efter avslut: andel av nådda och av alla försökta.

    En tabell per uppföljningstid och en figur för alla (grupperade staplar: läget × tiden,
    andel av nådda); figuren visas först i sektionen.
    """
    from finsam_analys.matt.uppfoljning import BORTFALL, andelar_bland_ovriga, uppfoljningsresultat

    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    rak = rakning or rakna(underlag, period)
    rubrik = "Uppföljning efter avslut"
    if not rak.har("uppfoljning"):
        return Sektion(
            "uppfoljning",
            rubrik,
            saknas=f"Underlaget har ingen uppföljning efter avslut för {period.namn}.",
        )
    u = rak.tabell("uppfoljning")
    if "del_av" in u.columns:
        u = u[u["del_av"].isna() | (u["del_av"].astype("str") == "")]
    u = utan_summarader(u, "utfall")
    tabeller: dict[str, pd.DataFrame] = {}
    format_: dict[str, dict[str, str]] = {}
    figurer: list[Figur] = []
    nyckeltal: dict[str, Any] = {}
    text = [
        "Andel av nådda räknas på dem som gick att följa upp; andel av försökta på alla som "
        "skulle följas upp (bortfallet syns då)."
    ]
    figurdata: list[pd.DataFrame] = []  # en figur för alla uppföljningstider
    manader_i_figur: list[str] = []
    for manader, grupp in u.groupby("manader", sort=True):
        g = grupp.groupby("utfall", sort=False)["antal"].sum()
        g = g.sort_values(ascending=False, kind="stable")
        r = uppfoljningsresultat(g)
        forsokta = int(r["forsokta"].iloc[0])
        nadda = int(r["nadda"].iloc[0])
        a = pd.DataFrame(
            {
                "antal": r["antal"].to_numpy(),
                "namnare": forsokta,
                "andel": r["andel_av_forsokta"].to_numpy(),
            },
            index=r["utfall"],
        )
        m = maskera_fordelning(a, regler)
        av_nadda = [
            MASKAD if ar_maskad(mm) else v
            for v, mm in zip(r["andel_av_nadda"], m["antal"], strict=True)
        ]
        if nadda < regler.namnare_troskel and not regler.intern:
            av_nadda = [MASKAD if not pd.isna(v) else v for v in av_nadda]
        namn = f"{manader} månader efter avslut"
        t = pd.DataFrame(
            {
                "Läge": r["utfall"].to_numpy(),
                "Antal": m["antal"].to_numpy(),
                "Andel av nådda": av_nadda,
                "Andel av försökta": m["andel"].to_numpy(),
            }
        )
        tabeller[namn] = t
        format_[namn] = {
            "Antal": "antal",
            "Andel av nådda": "procent",
            "Andel av försökta": "procent",
        }
        for k, v in zip(t["Läge"], t["Andel av nådda"], strict=True):
            nyckeltal[f"uppfoljning_{manader}_man:{k}"] = v
        nyckeltal[f"uppfoljning_{manader}_man_forsokta"] = skyddat_antal(forsokta, regler)
        bortfall = forsokta - nadda
        text.append(
            f"- {namn}: {tal_text(skyddat_antal(forsokta, regler))} skulle följas upp, "
            f"{tal_text(skyddat_antal(nadda, regler))} nåddes"
            + (f" (bortfall {tal_text(skyddat_antal(bortfall, regler))})" if bortfall else "")
            + "."
        )
        ovriga = andelar_bland_ovriga(g, exkludera=["Arbete", "Studier"])
        if {"Arbete", "Studier"} & set(g.index) and len(ovriga) > 1:
            mo = maskera_fordelning(ovriga.set_index("utfall"), regler)
            namn2 = f"{manader} månader: övriga (utom arbete och studier)"
            tabeller[namn2] = pd.DataFrame(
                {
                    "Läge": ovriga["utfall"].to_numpy(),
                    "Antal": mo["antal"].to_numpy(),
                    "Andel": mo["andel"].to_numpy(),
                }
            )
            format_[namn2] = {"Antal": "antal", "Andel": "procent"}
        figurdata.append(
            pd.DataFrame(
                {
                    "x": t["Läge"],
                    "grupp": f"{manader} månader",
                    "y": numeriskt(pd.Series(av_nadda, dtype=object)),
                }
            )
        )
        manader_i_figur.append(str(manader))
    if figurdata:
        tider = (
            manader_i_figur[0]
            if len(manader_i_figur) == 1
            else ", ".join(manader_i_figur[:-1]) + " och " + manader_i_figur[-1]
        )
        figurer.append(
            Figur(
                "grupperade_staplar",
                pd.concat(figurdata, ignore_index=True),
                titel=f"Läget {tider} månader efter avslut (andel av nådda)",
                enhet="andel",
                alt=f"Grupperat stapeldiagram: läget {tider} månader efter avslut, andel av "
                "dem som nåddes, per läge.",
                not_="Maskade värden (..) ritas inte.",
            )
        )
    del BORTFALL
    return Sektion(
        "uppfoljning",
        rubrik,
        text="\n".join(text),
        tabeller=tabeller,
        format=format_,
        figurer=figurer,
        nyckeltal=nyckeltal,
    )


def sektion_deltagarenkat(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
    oversta_steg: int = 2,
) -> Sektion:
    """NNS-enkäten: andel som svarar i de översta stegen per fråga (och tillfälle), med n.

    Stegen ordnas som de står i tabellen ``enkat`` (lägsta först, eller numeriskt om de är
    tal); ``oversta_steg`` anger hur många av de översta stegen som räknas.
    """
    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    rak = rakning or rakna(underlag, period)
    rubrik = "Deltagarenkät (NNS)"
    if not rak.har("enkat"):
        return Sektion(
            "enkat",
            rubrik,
            saknas=f"Underlaget har inga svar på deltagarenkäten (NNS-indikatorerna) för "
            f"{period.namn} (tabellen enkat).",
        )
    e = utan_summarader(rak.tabell("enkat"), "steg")
    nycklar = ["fraga"] + (["tillfalle"] if "tillfalle" in e.columns else [])
    rader = []
    for nyckel_, grupp in e.groupby(nycklar, sort=False):
        steg = list(dict.fromkeys(grupp["steg"].astype("str")))
        numeriska = pd.to_numeric(pd.Series(steg), errors="coerce")
        if numeriska.notna().all():
            steg = [s for _, s in sorted(zip(numeriska, steg, strict=True))]
        topp = steg[-oversta_steg:]
        n = int(grupp["antal"].sum())
        antal = int(grupp.loc[grupp["steg"].astype("str").isin(topp), "antal"].sum())
        nyckel_ = nyckel_ if isinstance(nyckel_, tuple) else (nyckel_,)
        rader.append(
            {
                "Fråga": nyckel_[0],
                **({"Tillfälle": nyckel_[1]} if len(nyckel_) > 1 else {}),
                "n": skyddat_antal(n, regler),
                f"Andel i de {oversta_steg} översta stegen": skyddad_andel(antal, n, regler),
            }
        )
    t = pd.DataFrame(rader)
    andelkolumn = f"Andel i de {oversta_steg} översta stegen"
    nyckeltal = {f"enkat:{r['Fråga']}": r[andelkolumn] for r in rader}
    return Sektion(
        "enkat",
        rubrik,
        text="NNS-indikatorerna redovisas som andelen som svarar i de översta stegen, med "
        "antalet svar (n).",
        tabeller={"Deltagarenkät": t},
        format={"Deltagarenkät": {"n": "antal", andelkolumn: "procent"}},
        figurer=[
            Figur(
                "staplar",
                pd.DataFrame(
                    {
                        "x": t["Fråga"].astype("str")
                        + ((" (" + t["Tillfälle"].astype("str") + ")") if "Tillfälle" in t else ""),
                        "y": numeriskt(t[andelkolumn].astype(object)),
                    }
                ),
                titel=f"Deltagarenkät (NNS), {period.namn}",
                tabell="Deltagarenkät",
                enhet="andel",
                alt="Liggande stapeldiagram: andel som svarar i de översta stegen per fråga.",
            )
        ],
        nyckeltal=nyckeltal,
    )


_ = np
