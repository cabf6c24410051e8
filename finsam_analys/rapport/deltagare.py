"""Sektionerna Deltagare och flöden, och Bakgrund.

Var varje tal räknas:

* flödet (deltagit, nya, avslutade, avbrutna, aktiva): :func:`finsam_analys.matt.deltagarfloden.
  deltagarflode` via :func:`~finsam_analys.matt.rakning.rakna` för deltagarrader; för
  aggregat ur ``deltagarantal`` (dimension ``status``) eller publicerade nyckeltal
  (``antal_deltagare``, ``antal_avslutade`` …);
* fördelningar (kön, ålder, kommun, remittent, försörjning, tid i försörjning):
  :func:`finsam_analys.matt.andelar.andelar` på räknetabellen ``deltagarantal``;
* remisser per remittent och inriktning: :func:`finsam_analys.matt.andelar.korstabell`;
* försörjning före -> efter: räknetabellen ``forsorjning`` (deltagarrader).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finsam_analys.matt.andelar import andelar
from finsam_analys.matt.rakning import TOTALT, Rakning, rakna, utan_summarader
from finsam_analys.perioder import Rapportperiod
from finsam_analys.rapport.gemensamt import (
    MASKAD,
    Figur,
    Sektion,
    ar_maskad,
    jamforelseperiod,
    maskera_fordelning,
    maskera_korstabell,
    numeriskt,
    sekretessregler,
    skyddat_antal,
    tal_text,
)
from finsam_analys.sekretess.maskering import maskera_antal

__all__ = [
    "DIMENSIONSNAMN",
    "FLODESNAMN",
    "flode",
    "sektion_bakgrund",
    "sektion_deltagare_och_floden",
    "uppfoljning_finsam",
]

FLODESNAMN = {
    "aktiva_vid_start": "Aktiva vid periodens början",
    "nya": "Nya under perioden",
    "deltagit": "Deltagit under perioden",
    "avslutade": "Avslutade under perioden",
    "fullfoljda": "varav fullföljda",
    "avbrutna": "varav avbrutna",
    "aktiva_vid_slut": "Aktiva vid periodens slut",
}
_STATUS = {  # aggregatens statuskategorier -> flödesled
    "Aktiv": "aktiva_vid_slut",
    "Avslutad": "avslutade",
    "Tidigt avhopp": "avbrutna",
    "Avbruten": "avbrutna",
    "Ny": "nya",
}
_PUBLICERADE = {
    "antal_deltagare": "deltagit",
    "antal_inskrivna": "deltagit",
    "antal_nya": "nya",
    "antal_avslut": "avslutade",
    "antal_avslutade": "fullfoljda",
    "antal_avbrutna": "avbrutna",
    "antal_aktiva": "aktiva_vid_slut",
}
_IDENTITETER = (
    ("deltagit", ("aktiva_vid_start", "nya")),
    ("deltagit", ("avslutade", "aktiva_vid_slut")),
    ("avslutade", ("fullfoljda", "avbrutna")),
)
DIMENSIONSNAMN = {
    "kon": "Kön",
    "aldersgrupp": "Ålder vid inskrivning",
    "folkbokforingskommun": "Folkbokföringskommun",
    "remittent": "Remittent",
    "forsorjning_in": "Försörjning vid inskrivning",
    "forsorjningsgivare_in": "Försörjning vid inskrivning (vem som betalar)",
    "forsorjningsgrupp_in": "Försörjning vid inskrivning (grupp)",
    "tid_offentlig_forsorjning": "Tid i offentlig försörjning före inskrivning",
    "forsorjning_ut": "Försörjning vid avslut",
    "forsorjningsgivare_ut": "Försörjning vid avslut (vem som betalar)",
    "insats": "Insats",
    "inriktning": "Inriktning",
}
_FIGURDIMENSIONER = frozenset({"aldersgrupp"})
"""Bakgrundsfördelningar som också visas som figur (övriga bara som tabell); försörjning före
och efter har en egen figur."""
KATEGORINAMN = {
    "Kvinna": "Kvinnor",
    "Man": "Män",
    "AF": "Arbetsförmedlingen",
    "FK": "Försäkringskassan",
    "Kommun": "Kommunen (socialtjänsten)",
    "Region": "Regionen (hälso- och sjukvården)",
    "Annan": "Annan",
}
_TIDER = {
    "genomstromningstid_avslutade": ("Genomströmningstid, alla avslut", "månader"),
    "genomstromningstid_fullfoljda": ("Genomströmningstid, fullföljda", "månader"),
    "alder_vid_inskrivning": ("Ålder vid inskrivning", "år"),
    "tid_offentlig_forsorjning": ("Tid i offentlig försörjning före inskrivning", "år"),
}
_PUBLICERADE_TIDER = {
    "genomstromningstid": ("Genomströmningstid (publicerad)", "månader"),
    "tid_i_bidragsberoende": ("Tid i bidragsberoende före inskrivning (publicerad)", "år"),
    "snittalder_avslutade": ("Medelålder, avslutade (publicerad)", "år"),
    "medelalder_inskrivna": ("Medelålder, inskrivna (publicerad)", "år"),
}


def flode(rakning: Rakning) -> pd.DataFrame:
    """Deltagarflödet per insats (kolumner) och led (rader, ordning enligt :data:`FLODESNAMN`).

    Kolumnen ``Totalt`` är hela förbundet. Led som underlaget inte anger saknas (NaN).

    Examples
    --------
    >>> from finsam_analys.perioder import Rapportperiod
    >>> n = pd.DataFrame({"period": "2019", "insats": "SOT",
    ...                   "indikator": ["antal_deltagare", "antal_avslutade"],
    ...                   "varde": [127, 55], "enhet": "antal"})
    >>> f = flode(Rakning(Rapportperiod.tolka("2019"), {"nyckeltal_publicerade": n}))
    >>> f.loc[["deltagit", "fullfoljda"], "Totalt"].tolist()
    [127.0, 55.0]
    """
    varden: dict[str, dict[str, float]] = {}
    if rakning.har("deltagarantal"):
        d = rakning.tabell("deltagarantal")
        status = d[d["dimension"] == "status"]
        insatser = (
            status["insats"].to_numpy(dtype=object)
            if "insats" in status.columns
            else np.full(len(status), "", dtype=object)
        )
        for kategori, insats, antal in zip(
            status["kategori"].to_numpy(dtype=object),
            insatser,
            status["antal"].to_numpy(dtype=object),
            strict=True,
        ):
            kategori = str(kategori)
            led = kategori if kategori in FLODESNAMN else _STATUS.get(kategori)
            if kategori == TOTALT:
                led = "deltagit"
            if led is None:
                continue
            insats = "" if pd.isna(insats) else str(insats)
            varden.setdefault(insats, {})
            varden[insats][led] = varden[insats].get(led, 0.0) + float(antal)
    publicerade = False
    if not varden and rakning.har("nyckeltal_publicerade"):
        publicerade = True
        n = rakning.tabell("nyckeltal_publicerade")
        for _, r in n[n["indikator"].isin(list(_PUBLICERADE))].iterrows():
            insats = "" if pd.isna(r.get("insats")) else str(r["insats"])
            varden.setdefault(insats, {})[_PUBLICERADE[r["indikator"]]] = float(r["varde"])
    if not varden:
        return pd.DataFrame(index=pd.Index(list(FLODESNAMN), name="led"))
    tabell = pd.DataFrame(varden).reindex(list(FLODESNAMN))
    tabell = tabell.dropna(how="all")
    if "avslutade" not in tabell.index and {"fullfoljda", "avbrutna"} <= set(tabell.index):
        tabell.loc["avslutade"] = tabell.loc["fullfoljda"] + tabell.loc["avbrutna"]
    if "fullfoljda" not in tabell.index and {"avslutade", "avbrutna"} <= set(tabell.index):
        tabell.loc["fullfoljda"] = tabell.loc["avslutade"] - tabell.loc["avbrutna"]
    tabell = tabell.reindex([k for k in FLODESNAMN if k in tabell.index])
    kolumner = [k for k in tabell.columns if k != ""]
    if publicerade and len(kolumner) > 1:
        pass  # publicerade antal avser ofta olika tidsperioder per insats: summeras inte
    elif len(kolumner) > 1 and "" not in tabell.columns:
        tabell[TOTALT] = tabell[kolumner].sum(axis=1, min_count=len(kolumner))
        if tabell[TOTALT].isna().all():
            tabell = tabell.drop(columns=TOTALT)
    elif len(kolumner) == 1 and "" not in tabell.columns:
        tabell[TOTALT] = tabell[kolumner[0]]
        tabell = tabell.drop(columns=kolumner[0])
    else:
        tabell = tabell.rename(columns={"": TOTALT})
    tabell.index.name = "led"
    return tabell


def _maskera_flode(tabell: pd.DataFrame, regler: Any, *, additiva_kolumner: bool) -> pd.DataFrame:
    """Maskera ett flöde så att inget litet antal kan räknas fram ur flödets identiteter."""
    if regler.avstangd or not len(tabell):
        return tabell.astype(object)
    varden = tabell.to_numpy(dtype="float64", na_value=np.nan)
    mask = np.zeros(varden.shape, dtype=bool)
    radnr = {led: i for i, led in enumerate(tabell.index)}
    kolumnnr = {k: j for j, k in enumerate(tabell.columns)}
    saknas = np.isnan(varden)
    inre = [k for k in tabell.columns if k != TOTALT]
    for summa, delar in _IDENTITETER:
        rader = [summa, *delar]
        if not set(rader) <= set(radnr) or saknas[[radnr[r] for r in rader]].any():
            continue
        kolumner = [*inre, TOTALT] if additiva_kolumner and len(inre) > 1 else list(tabell.columns)
        i = [radnr[r] for r in (*delar, summa)]
        j = [kolumnnr[k] for k in kolumner]
        # Identiteten som en tabell med summarad (summan sist som "Totalt").
        block = pd.DataFrame(
            varden[np.ix_(i, j)], index=[*delar, TOTALT], columns=pd.Index(kolumner)
        )
        summor = True if additiva_kolumner and len(inre) > 1 else "kolumner"
        try:
            _, m = maskera_antal(block, troskel=regler.troskel, summor=summor)
        except ValueError:  # summorna stämmer inte (publicerade tal): bara primär maskning
            continue
        mask[np.ix_(i, j)] |= m.to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        mask |= (varden > 0) & (varden < regler.troskel)
    visning = tabell.astype(object).to_numpy(copy=True)
    visning[mask] = MASKAD
    return pd.DataFrame(visning, index=tabell.index, columns=tabell.columns, dtype=object)


def sektion_deltagare_och_floden(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    jamforelse: Rapportperiod | str | None = None,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
    jamforelse_rakning: Rakning | None = None,
) -> Sektion:
    """Deltagarflödet under perioden (och jämförelseperioden), totalt och per insats."""
    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    jp = jamforelseperiod(underlag, period, jamforelse)
    rak = rakning or rakna(underlag, period)
    jrak = jamforelse_rakning or rakna(underlag, jp)
    rubrik = "Deltagare och flöden"
    f, jf = flode(rak), flode(jrak)
    if f.empty:
        return Sektion(
            "deltagare",
            rubrik,
            saknas=f"Underlaget har inga deltagarantal för {period.namn} (deltagarrader, "
            "deltagarantal med status eller publicerade antal deltagare).",
        )
    if TOTALT not in f.columns:
        visning = _maskera_flode(f, regler, additiva_kolumner=False).reset_index()
        visning.insert(0, "Deltagare", visning.pop("led").map(FLODESNAMN))
        nyckeltal = {
            f"antal_{led}:{insats}": v
            for insats in f.columns
            for led, v in zip(f.index, visning[insats], strict=True)
            if not pd.isna(f.loc[led, insats])
        }
        return Sektion(
            "deltagare",
            rubrik,
            text="Underlaget redovisar antalen per insats, ibland för olika tidsperioder (se "
            "källan), så de summeras inte.",
            tabeller={"Deltagare per insats": visning},
            format={"Deltagare per insats": {k: "antal" for k in f.columns}},
            nyckeltal=nyckeltal,
        )
    total = pd.DataFrame({period.namn: f[TOTALT]})
    if TOTALT in jf.columns:
        total[jp.namn] = jf[TOTALT].reindex(total.index)
    maskad = pd.DataFrame(index=total.index)
    for kolumn in total.columns:
        maskad[kolumn] = _maskera_flode(total[[kolumn]], regler, additiva_kolumner=False)[kolumn]
    if jp.namn in total.columns:
        forandring = total[period.namn] - total[jp.namn]
        dolj = maskad[period.namn].map(ar_maskad) | maskad[jp.namn].map(ar_maskad)
        maskad["Förändring"] = forandring.astype(object).where(~dolj, MASKAD)
    tabell = maskad.reset_index()
    tabell.insert(0, "Deltagare", tabell.pop("led").map(FLODESNAMN))
    tabeller = {"Deltagarflöde": tabell}
    format_ = {"Deltagarflöde": {k: "antal" for k in tabell.columns if k != "Deltagare"}}
    nyckeltal = {
        f"antal_{led}": maskad.loc[led, period.namn]
        for led in maskad.index
        if not pd.isna(total.loc[led, period.namn])
    }
    figurer = []
    insatser = [k for k in f.columns if k != TOTALT]
    if len(insatser) > 1:
        per_insats = _maskera_flode(f, regler, additiva_kolumner=True).reset_index()
        per_insats.insert(0, "Deltagare", per_insats.pop("led").map(FLODESNAMN))
        tabeller["Deltagarflöde per insats"] = per_insats
        format_["Deltagarflöde per insats"] = {k: "antal" for k in f.columns}
        if "deltagit" in f.index:
            v = per_insats.set_index("Deltagare").loc[FLODESNAMN["deltagit"], insatser]
            figurer.append(
                Figur(
                    "staplar",
                    pd.DataFrame({"x": insatser, "y": numeriskt(v.astype(object)).to_numpy()}),
                    titel=f"Deltagit per insats, {period.namn}",
                    tabell="Deltagarflöde per insats",
                    enhet="antal",
                    alt="Liggande stapeldiagram: antal deltaganden per insats under perioden.",
                )
            )
    delar = []
    for led, ord_ in (("deltagit", "deltog"), ("avslutade", "avslutades"), ("avbrutna", "avbröts")):
        if led in maskad.index and not pd.isna(total.loc[led, period.namn]):
            v = maskad.loc[led, period.namn]
            delar.append(
                f"{tal_text(v) if not ar_maskad(v) else 'färre än ' + str(regler.troskel)} {ord_}"
            )
    text = f"Under {period.namn}: " + ", ".join(delar) + "." if delar else ""
    if rak.individniva.get("deltagarantal"):
        text += (
            " Antalen är deltaganden (en person som deltagit i två insatser räknas två gånger, "
            "som i SUS)."
        )
    return Sektion(
        "deltagare",
        rubrik,
        text=text,
        tabeller=tabeller,
        format=format_,
        figurer=figurer,
        nyckeltal=nyckeltal,
    )


def _utan_summor_och_varav(data: pd.DataFrame) -> pd.DataFrame:
    """Raderna som fördelningarna räknas på: inga summarader och inga "varav"-rader."""
    urval = utan_summarader(data, "kategori")
    if "del_av" in urval.columns:
        urval = urval[urval["del_av"].isna() | (urval["del_av"].astype("str") == "")]
    return urval


def _fordelning(urval: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Andelar per kategori för dimensionen (``urval`` från :func:`_utan_summor_och_varav`)."""
    urval = urval[(urval["dimension"] == dimension).to_numpy(dtype=bool, na_value=False)]
    antal = urval.groupby("kategori", sort=False)["antal"].sum()
    return andelar(antal)


def sektion_bakgrund(
    underlag: Any,
    period: Rapportperiod | str,
    *,
    sekretess_troskel: int | None = None,
    rakning: Rakning | None = None,
) -> Sektion:
    """Deltagarnas bakgrund: kön, ålder, kommun, remittent, försörjning och tid i försörjning.

    Varje fördelning är en tabell; figurer finns bara för åldern och för försörjningen före och
    efter (de övriga figurerna upprepade bara tabellen).
    """
    period = Rapportperiod.tolka(period)
    regler = sekretessregler(underlag, troskel=sekretess_troskel)
    rak = rakning or rakna(underlag, period)
    rubrik = "Bakgrund"
    tabeller: dict[str, pd.DataFrame] = {}
    format_: dict[str, dict[str, str]] = {}
    figurer: list[Figur] = []
    nyckeltal: dict[str, Any] = {}
    text: list[str] = []
    if rak.har("deltagarantal"):
        d = rak.tabell("deltagarantal")
        dimensioner = set(d["dimension"])
        urval = _utan_summor_och_varav(d)
        for dimension, namn in DIMENSIONSNAMN.items():
            if dimension not in dimensioner:
                continue
            a = _fordelning(urval, dimension)
            if not len(a) or a["antal"].sum() == 0:
                continue
            m = maskera_fordelning(a, regler)
            etiketter = [KATEGORINAMN.get(str(k), str(k)) for k in a.index]
            t = pd.DataFrame(
                {namn: etiketter, "Antal": m["antal"].to_numpy(), "Andel": m["andel"].to_numpy()}
            )
            tabeller[namn] = t
            format_[namn] = {"Antal": "antal", "Andel": "procent"}
            for k, v in zip(a.index, m["andel"], strict=True):
                nyckeltal[f"andel_{dimension}:{k}"] = v
            nyckeltal[f"antal_{dimension}"] = skyddat_antal(int(a["antal"].sum()), regler)
            if dimension not in _FIGURDIMENSIONER:
                continue  # tabellen räcker (produktbeslut: färre figurer)
            n_text = tal_text(nyckeltal[f"antal_{dimension}"])
            figurer.append(
                Figur(
                    "staplar",
                    pd.DataFrame(
                        {"x": etiketter, "y": numeriskt(m["andel"].astype(object)).to_numpy()}
                    ),
                    titel=f"{namn}, {period.namn} (n = {n_text})",
                    tabell=namn,
                    enhet="andel",
                    alt=f"Liggande stapeldiagram: andel av deltagarna efter {namn.lower()}.",
                )
            )
    if rak.har("remisser"):
        r = rak.tabell("remisser")
        r = utan_summarader(r, "remittent", "inriktning")
        kors = (
            r.groupby(["remittent", "inriktning"], sort=False)["antal"]
            .sum()
            .unstack("inriktning", fill_value=0)
        )
        kors.index = [KATEGORINAMN.get(str(k), str(k)) for k in kors.index]
        visning = maskera_korstabell(kors, regler)
        visning.columns.name = None
        visning.index.name = "Remittent"
        namn = "Ansökningar per remittent och inriktning"
        tabeller[namn] = visning.reset_index()
        format_[namn] = {k: "antal" for k in visning.columns}
        per_remittent = andelar(kors.sum(axis=1))
        m = maskera_fordelning(per_remittent, regler)
        namn2 = "Ansökningar per remittent"
        tabeller[namn2] = pd.DataFrame(
            {
                "Remittent": kors.index,
                "Antal": m["antal"].to_numpy(),
                "Andel": m["andel"].to_numpy(),
            }
        )
        format_[namn2] = {"Antal": "antal", "Andel": "procent"}
        nyckeltal["antal_ansokningar"] = skyddat_antal(int(kors.to_numpy().sum()), regler)
    if rak.har("forsorjning"):
        f = rak.tabell("forsorjning")
        from finsam_analys.indata.scheman import FORSORJNINGSGRUPPER

        grupp = {form: g for g, former in FORSORJNINGSGRUPPER.items() for form in former}
        f = f.assign(
            forsorjning_in=f["forsorjning_in"].map(lambda x: grupp.get(x, x)),
            forsorjning_ut=f["forsorjning_ut"].map(lambda x: grupp.get(x, x)),
        )
        kors = (
            f.groupby(["forsorjning_in", "forsorjning_ut"], sort=True)["antal"]
            .sum()
            .unstack("forsorjning_ut", fill_value=0)
        )
        visning = maskera_korstabell(kors, regler)
        visning.columns.name = None
        visning.index.name = "Före (vid inskrivning)"
        namn = "Försörjning före och efter (avslutade)"
        tabeller[namn] = visning.reset_index()
        format_[namn] = {k: "antal" for k in visning.columns}
        fore = kors.sum(axis=1)
        efter = kors.sum(axis=0)
        kategorier = sorted(set(fore.index) | set(efter.index))
        n = float(kors.to_numpy().sum())
        fe = pd.DataFrame(
            {
                "antal_fore": fore.reindex(kategorier, fill_value=0).to_numpy(),
                "antal_efter": efter.reindex(kategorier, fill_value=0).to_numpy(),
            },
            index=kategorier,
        )
        m_fore = maskera_fordelning(
            pd.DataFrame({"antal": fe["antal_fore"], "namnare": n, "andel": fe["antal_fore"] / n}),
            regler,
        )
        m_efter = maskera_fordelning(
            pd.DataFrame(
                {"antal": fe["antal_efter"], "namnare": n, "andel": fe["antal_efter"] / n}
            ),
            regler,
        )
        namn2 = "Försörjningsgrupp vid inskrivning och vid avslut"
        tabeller[namn2] = pd.DataFrame(
            {
                "Försörjning": kategorier,
                "Antal före": m_fore["antal"].to_numpy(),
                "Andel före": m_fore["andel"].to_numpy(),
                "Antal efter": m_efter["antal"].to_numpy(),
                "Andel efter": m_efter["andel"].to_numpy(),
            }
        )
        format_[namn2] = {
            "Antal före": "antal",
            "Andel före": "procent",
            "Antal efter": "antal",
            "Andel efter": "procent",
        }
        lang = pd.concat(
            [
                pd.DataFrame(
                    {
                        "x": kategorier,
                        "grupp": "Vid inskrivning",
                        "y": numeriskt(m_fore["andel"].astype(object)).to_numpy(),
                    }
                ),
                pd.DataFrame(
                    {
                        "x": kategorier,
                        "grupp": "Vid avslut",
                        "y": numeriskt(m_efter["andel"].astype(object)).to_numpy(),
                    }
                ),
            ],
            ignore_index=True,
        )
        figurer.append(
            Figur(
                "grupperade_staplar",
                lang,
                titel=f"Försörjning före och efter, avslutade {period.namn}",
                tabell=namn2,
                enhet="andel",
                alt="Grupperat stapeldiagram: andel av de avslutade per försörjningsgrupp vid "
                "inskrivning och vid avslut.",
            )
        )
    tider = []
    if rak.har("tider"):
        t = rak.tabell("tider")
        t = t[t["insats"] == TOTALT]
        for _, r in t.iterrows():
            if r["indikator"] in _TIDER and r["n"] > 0:
                namn, enhet = _TIDER[r["indikator"]]
                n = skyddat_antal(int(r["n"]), regler)
                tider.append(
                    {
                        "Mått": namn,
                        "Medel": MASKAD if ar_maskad(n) else r["medel"],
                        "Median": MASKAD if ar_maskad(n) else r["median"],
                        "Enhet": enhet,
                        "n": n,
                    }
                )
                nyckeltal[f"medel_{r['indikator']}"] = MASKAD if ar_maskad(n) else r["medel"]
    if rak.har("nyckeltal_publicerade"):
        p = rak.tabell("nyckeltal_publicerade")
        for _, r in p[p["indikator"].isin(list(_PUBLICERADE_TIDER))].iterrows():
            namn, enhet = _PUBLICERADE_TIDER[r["indikator"]]
            tider.append(
                {"Mått": namn, "Medel": r["varde"], "Median": np.nan, "Enhet": enhet, "n": np.nan}
            )
            nyckeltal[f"publicerad_{r['indikator']}"] = float(r["varde"])
    if tider:
        tabeller["Tider och ålder"] = pd.DataFrame(tider)
        format_["Tider och ålder"] = {"Medel": "tal2", "Median": "tal2", "n": "antal"}
    if not tabeller:
        return Sektion(
            "bakgrund",
            rubrik,
            saknas=f"Underlaget saknar uppgifter om deltagarnas bakgrund för {period.namn} "
            "(kön, ålder, remittent, försörjning).",
        )
    if "andel_kon:Kvinna" in nyckeltal and not ar_maskad(nyckeltal["andel_kon:Kvinna"]):
        from finsam_analys.presentation.formatering import formatera_procent

        text.append(
            f"{formatera_procent(nyckeltal['andel_kon:Kvinna'])} av deltagarna är kvinnor och "
            f"{formatera_procent(nyckeltal.get('andel_kon:Man', np.nan))} män."
        )
    text.append(
        'Andelarna räknas på dem som har uppgiften; "Uppgift saknas" visas som en egen rad.'
    )
    return Sektion(
        "bakgrund",
        rubrik,
        text=" ".join(text),
        tabeller=tabeller,
        format=format_,
        figurer=figurer,
        nyckeltal=nyckeltal,
    )


def uppfoljning_finsam(
    underlag: Any, period: Rapportperiod | str, *, rakning: Rakning | None = None
) -> pd.DataFrame:
    """Räkningarna som Uppföljning Finsam efterfrågar: deltagare per insats och kön, budget/utfall.

    Tabellen är för inrapportering (inte för publicering) och maskas därför inte.

    Parameters
    ----------
    underlag : Underlag
        Förbundets underlag.
    period : Rapportperiod eller str
        Rapportperioden.
    rakning : Rakning, valfri
        Periodens räknetabeller om de redan finns (samma som :func:`bygg_rapport` fick), så
        att de inte räknas en gång till; standard: ``rakna(underlag, period)``.

    Returns
    -------
    DataFrame
        Kolumnerna ``uppgift``, ``insats``, ``kon``, ``varde`` och ``enhet``.
    """
    period = Rapportperiod.tolka(period)
    rak = rakning if rakning is not None else rakna(underlag, period)
    rader = []
    if rak.har("deltagarantal"):
        d = rak.tabell("deltagarantal")
        kon = utan_summarader(d[d["dimension"] == "kon"], "kategori")
        if "insats" not in kon.columns:
            kon = kon.assign(insats="")
        for (insats, k), antal in (
            kon.groupby(["insats", "kategori"], sort=True)["antal"].sum().items()
        ):
            rader.append(
                {
                    "uppgift": "deltagare",
                    "insats": insats,
                    "kon": k,
                    "varde": float(antal),
                    "enhet": "antal",
                }
            )
    ekonomi = underlag.tabell("ekonomi")
    if ekonomi is not None:
        from finsam_analys.matt.rakning import valj_period

        e = valj_period(ekonomi, period)
        if e is not None:
            e = e[(e["ar"] == period.ar) & (e.get("typ", "kostnad") == "kostnad")]
            e = utan_summarader(e, "post", "grupp")
            for _, r in e.iterrows():
                for uppgift in ("budget", "utfall"):
                    if uppgift in e.columns and not pd.isna(r[uppgift]):
                        rader.append(
                            {
                                "uppgift": uppgift,
                                "insats": r["post"],
                                "kon": "",
                                "varde": float(r[uppgift]),
                                "enhet": str(r["enhet"]),
                            }
                        )
    return pd.DataFrame(rader, columns=["uppgift", "insats", "kon", "varde", "enhet"])
