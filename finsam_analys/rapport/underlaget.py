"""Sektionerna Granskning och Om underlaget.

Granskningen räknas av :func:`finsam_analys.granskning.kontroller.granska_underlag` (och
textpåståendena i
``granskning_pastaenden.csv`` via :func:`~finsam_analys.granskning.kontroller.las_pastaenden`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.gemensamt import (
    MASKAD,
    Sektion,
    jamforelseperiod,
    sekretessregler,
)

__all__ = ["sektion_granskning", "sektion_om_underlaget"]

_ANTALSTABELLER = {"avslut", "deltagarantal", "avbrott", "uppfoljning", "remisser", "enkat"}


def sektion_granskning(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    sekretess_troskel: int | None = None,
    pastaenden: pd.DataFrame | None = None,
) -> Sektion:
    """Granskningens fynd: publicerade summor, differenser och andelar som inte stämmer.

    Granskningen omfattar hela förbundets underlag (alla perioder), eftersom ett fel i en
    tabell gäller oavsett vilken rapport den används i. Avvikelser som ryms i avrundningen
    listas för sig; de är inga fel.
    """
    from finsam_analys.granskning.kontroller import granska_underlag, las_pastaenden

    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    rubrik = "Granskning av publicerade tabeller"
    if pastaenden is None and getattr(underlag, "katalog", None) is not None:
        try:
            pastaenden = las_pastaenden(underlag.katalog)
        except (OSError, ValueError):
            pastaenden = None
    fynd = granska_underlag(underlag, pastaenden=pastaenden)
    publicerad = bool(getattr(underlag.konfig, "publicerad", False))
    if not len(fynd):
        text = (
            "Granskningen räknade om alla summor, differenser och andelar i underlaget och hittade "
            "inga avvikelser."
            if publicerad or len(underlag.tabeller)
            else "Underlaget har inga publicerade tabeller att granska."
        )
        return Sektion(
            "granskning",
            rubrik,
            text=text,
            nyckeltal={"granskning_antal_fel": 0, "granskning_antal_avrundningar": 0},
        )
    fynd = fynd.copy()
    ar_avrundning = fynd["typ"] == "avrundning"
    if not regler.intern:
        for kolumn in ("publicerat", "omraknat", "avvikelse"):
            sma = (
                fynd["tabell"].isin(_ANTALSTABELLER)
                & (fynd[kolumn].abs() > 0)
                & (fynd[kolumn].abs() < regler.troskel)
            )
            fynd[kolumn] = fynd[kolumn].astype(object).where(~sma, MASKAD)
    fynd = pd.concat([fynd[~ar_avrundning], fynd[ar_avrundning]])

    def fyndtabell(urval: pd.DataFrame, *, kommentar: bool) -> pd.DataFrame:
        t = pd.DataFrame(
            {
                "Tabell": urval["tabell"],
                "Rad": urval["rad"],
                "Kolumn": urval["kolumn"],
                "Typ": urval["typ"],
                "Publicerat": urval["publicerat"],
                "Omräknat": urval["omraknat"],
                "Avvikelse": urval["avvikelse"],
            }
        )
        if kommentar:
            t["Kommentar"] = urval["kommentar"]
        return t.reset_index(drop=True)

    tal = {"Publicerat": "tal2", "Omräknat": "tal2", "Avvikelse": "tal2"}
    tabeller = {}
    format_ = {}
    if (~ar_avrundning).any():
        tabeller["Avvikelser"] = fyndtabell(fynd[~ar_avrundning.loc[fynd.index]], kommentar=True)
        format_["Avvikelser"] = {
            **tal,
            **dict.fromkeys(("Tabell", "Rad", "Kolumn", "Kommentar"), "lang_text"),
        }
    if ar_avrundning.any():
        namn = "Skillnader som ryms i avrundningen"
        tabeller[namn] = fyndtabell(fynd[ar_avrundning.loc[fynd.index]], kommentar=False)
        format_[namn] = tal
    antal_fel = int((~ar_avrundning).sum())
    antal_avr = int(ar_avrundning.sum())
    text = (
        f"Granskningen räknade om summor, differenser och andelar i de publicerade tabellerna "
        f"(hela underlaget, alla perioder) och fann **{antal_fel} avvikelser** och {antal_avr} "
        "skillnader som ryms i avrundningen (de är inga fel). Rapporten ovan bygger alltid på "
        "de omräknade talen, aldrig på tryckta summor."
    )
    per_typ = fynd["typ"].value_counts()
    nyckeltal = {
        "granskning_antal_fel": antal_fel,
        "granskning_antal_avrundningar": antal_avr,
        **{f"granskning_typ:{k}": int(v) for k, v in per_typ.items()},
    }
    return Sektion(
        "granskning",
        rubrik,
        text=text,
        tabeller=tabeller,
        format=format_,
        nyckeltal=nyckeltal,
    )


_DEFINITIONER = (
    "**Deltagit**: inskriven senast periodens sista dag och inte avslutad före periodens första "
    "dag. Antalen är deltaganden (en person i två insatser räknas två gånger, som i SUS).",
    "**Fullföljda avslut**: avslut som inte är avbrott. Andelar per utfall (arbete, studier, "
    "fortsatt arbetslivsinriktad rehabilitering) räknas på dem.",
    "**Procentenheter**: skillnaden mellan två andelar (13 % mot 25 % är −12 procentenheter), "
    "till skillnad från procentuell förändring (188 → 227 poäng är +21 %).",
    "**Konfidensintervall (95 %)**: Wilsons intervall för en andel; visar osäkerheten när "
    "antalet är litet.",
    "**Helårsekvivalenter**: antalet personer 20–64 år som skulle kunna försörjas ett helt år "
    "med full ersättning (SCB). Andelen är summan av HÅE delad med summan av folkmängden.",
    "**Summor** räknas alltid om ur delarna; tryckta summor och andelar används bara i "
    "granskningen.",
)


def sektion_om_underlaget(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    jamforelse: Rapportperiod | str | None = None,
    sekretess_troskel: int | None = None,
) -> Sektion:
    """Källor, uttagsdatum, tabeller, definitioner, sekretessregler och förbehåll."""
    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    jp = jamforelseperiod(underlag, period, jamforelse)
    konfig = underlag.konfig
    rader = [
        f"**Förbund**: {konfig.namn}. **Period**: {period.namn} ({period.kod}); "
        f"jämförelseperiod {jp.namn}."
    ]
    if getattr(konfig, "beskrivning", ""):
        rader.append(konfig.beskrivning)
    kallor = list(getattr(konfig, "kallor", ()))
    if kallor:
        rader += ["", "**Källor**", ""]
        for k in kallor:
            delar = [f"- {k.namn}"]
            if k.beskrivning:
                delar.append(f": {k.beskrivning}")
            if k.sidor:
                delar.append(f" (s./avsnitt {k.sidor})")
            if k.uttagsdatum:
                delar.append(f" Uttag {k.uttagsdatum}.")
            rader.append("".join(delar))
    hae = underlag.tabell("helarsekvivalenter")
    if hae is not None and "uttagsdatum" in hae.columns:
        datum = sorted({str(d)[:10] for d in hae["uttagsdatum"].dropna()})
        kallor_hae = sorted(set(hae["kalla"].dropna().astype(str))) if "kalla" in hae else []
        uttag = f", uttag {', '.join(datum)}." if datum else ", uttagsdatum anges inte."
        rader.append(f"- Helårsekvivalenter: {', '.join(kallor_hae) or 'SCB'}{uttag}")
    rader += ["", "**Definitioner**", "", *[f"- {d}" for d in _DEFINITIONER]]
    forbehall = []
    if getattr(konfig, "publicerad", False):
        forbehall.append(
            "Siffrorna är transkriberade ur publicerade rapporter som de trycktes, även där de "
            "inte stämmer; se granskningen. Rapporten räknar om summor och andelar ur delarna."
        )
    if getattr(konfig, "syntetisk", False):
        forbehall.append(
            "Underlaget är **syntetiskt** (påhittade personer): rapporten visar hur verktyget "
            "fungerar, inte hur något verkligt förbund har det."
        )
    if regler.intern:
        forbehall.append(
            "**Intern rapport**: förbundets konfiguration säger att rapporten är för internt bruk; "
            "små antal är **inte** maskade. Sprid den inte utanför förbundet."
        )
    else:
        forbehall.append(
            f"**Sekretess**: antal under {regler.troskel} och andelar med nämnare under "
            f"{regler.namnare_troskel} visas inte (..), och inte heller andra tal som skulle göra "
            "det möjligt att räkna fram dem ur summorna. Nollor visas."
        )
    rader += ["", "**Förbehåll**", "", *[f"- {f}" for f in forbehall]]
    tabeller = []
    for namn in sorted(underlag.tabeller):
        t = underlag.tabeller[namn]
        fil = getattr(underlag, "filer", {}).get(namn, "")
        perioder = ""
        if "period" in t.columns:
            perioder = ", ".join(sorted({str(p) for p in t["period"].dropna()}))
        tabeller.append({"Tabell": namn, "Fil": fil, "Rader": len(t), "Perioder": perioder})
    tabell = pd.DataFrame(tabeller, columns=["Tabell", "Fil", "Rader", "Perioder"])
    return Sektion(
        "om_underlaget",
        "Om underlaget",
        text="\n".join(rader),
        tabeller={"Underlagets tabeller": tabell},
        format={"Underlagets tabeller": {"Rader": "antal"}},
        nyckeltal={
            "sekretess_troskel": regler.troskel,
            "sekretess_namnare_troskel": regler.namnare_troskel,
            "intern": bool(regler.intern),
            "jamforelseperiod": jp.kod,
        },
    )
