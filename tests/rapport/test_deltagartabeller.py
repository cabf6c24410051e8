"""Korstabeller, tabeller per population och "NN % (a av b)" ur deltagarrader
(rapport/deltagartabeller.py). Förväntningarna är handräknade ur de små tabellerna nedan."""

from __future__ import annotations

import pandas as pd

from finsam_analys.indata.underlag import Sekretess
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.tabellvisning import visningstext
from finsam_analys.rapport import kontrollpunkter
from finsam_analys.rapport.deltagartabeller import deltagartabeller, tabell_per_population
from finsam_analys.tabell import Sektion, Storhet


class _Underlag:
    def __init__(self, deltagare: pd.DataFrame) -> None:
        self._d = deltagare

    def tabell(self, namn: str):
        return self._d if namn == "deltagare" else None


def _deltagare() -> pd.DataFrame:
    # 2019: 12 nya (8 kvinnor, 4 män), 2 pågående sedan 2018 (män); 6 avslutade under 2019.
    rader = []
    for i in range(8):
        rader.append(
            (
                "Kvinna",
                "Ekonomiskt bistånd" if i < 6 else "Sjukpenning",
                1.5 + i,
                "2019-02-01",
                "2019-10-31" if i < 4 else None,
            )
        )
    for i in range(4):
        rader.append(("Man", "Aktivitetsstöd", 0.5, "2019-03-01", "2019-11-30" if i < 2 else None))
    rader.append(("Man", "Sjukpenning", 6.0, "2018-05-01", None))
    rader.append(("Man", None, None, "2018-06-01", None))
    return pd.DataFrame(rader, columns=["kon", "forsorjning_in", "tid_offentlig_forsorjning_ar",
                                        "inskrivningsdatum", "avslutsdatum"])  # fmt: skip


def test_kon_och_forsorjningsgrupp_for_nya():
    tabeller = dict(
        (t.namn, t)
        for _, t in deltagartabeller(_Underlag(_deltagare()), Rapportperiod.tolka("2019"))
    )
    t = tabeller["korstabell_kon_forsorjningsgrupp_in_nya"]
    assert t.titel == "Nya deltagare efter kön och försörjning vid inskrivning, 2019"
    assert list(t.data.columns) == ["Kön", "Ohälsa", "Arbetsmarknadsstöd", "Ekonomiskt bistånd",
                                    "Totalt"]  # fmt: skip
    assert t.data.iloc[0].tolist() == ["Kvinnor", 2, 0, 6, 8]
    assert t.data.iloc[1].tolist() == ["Män", 0, 4, 0, 4]
    assert t.data.iloc[2].tolist() == ["Totalt", 2, 4, 6, 12]
    # samma storheter som övriga tabeller: nya[P; forsorjningsgrupp_in=…, kon=…]
    assert t.referens(0, "Ekonomiskt bistånd") == Storhet.av(
        "nya", "2019", kon="Kvinna", forsorjningsgrupp_in="Ekonomiskt bistånd"
    )


def test_kon_och_tid_i_offentlig_forsorjning_for_alla_som_deltagit():
    tabeller = dict(
        (t.namn, t)
        for _, t in deltagartabeller(_Underlag(_deltagare()), Rapportperiod.tolka("2019"))
    )
    t = tabeller["korstabell_kon_tid_offentlig_forsorjning_deltagit"]
    rad = t.data.set_index("Kön")
    # kvinnor: 1,5 2,5 3,5 4,5 5,5 6,5 7,5 8,5 år -> 1–2: 1, 2–5: 3, 5–10: 4
    assert rad.loc["Kvinnor", ["1–2 år", "2–5 år", "5–10 år"]].tolist() == [1, 3, 4]
    # män: fyra på 0,5 år, en på 6 år, en utan uppgift
    assert rad.loc["Män", ["Under 1 år", "5–10 år", "Uppgift saknas"]].tolist() == [4, 1, 1]
    assert rad.loc["Totalt", "Totalt"] == 14


def test_per_population_visar_procent_med_antal():
    t = tabell_per_population(_deltagare(), Rapportperiod.tolka("2019"), dimension="kon")
    text = visningstext(t)
    assert list(t.data.columns) == ["Kön", "Alla som deltagit", "Nya under perioden",
                                    "Avslutade under perioden"]  # fmt: skip
    # deltagit 14 (8 kvinnor), nya 12 (8), avslutade 6 (4)
    assert text.iloc[0, 1:].tolist() == [
        "57\u00a0% (8 av 14)",
        "67\u00a0% (8 av 12)",
        "67\u00a0% (4 av 6)",
    ]
    assert text.iloc[2, 1:].tolist() == [
        "100\u00a0% (14 av 14)",
        "100\u00a0% (12 av 12)",
        "100\u00a0% (6 av 6)",
    ]
    assert t.referens(0, "Avslutade under perioden").namnare == Storhet.av("avslut", "2019")


def test_sma_antal_maskas_i_kontrollpunkten():
    t = tabell_per_population(_deltagare(), Rapportperiod.tolka("2019"), dimension="kon")
    s = {"bakgrund": Sektion("bakgrund", "Bakgrund", innehall=(t,))}
    ut = kontrollpunkter(s, Sekretess(troskel=5, namnare_troskel=10, intern=False))
    text = visningstext(ut["bakgrund"].tabellobjekt()[0])
    # män avslutade: 2 av 6 (under tröskeln); nämnaren 6 är under nämnartröskeln 10
    assert text.iloc[1, 3] == ".."
    assert "(2 av" not in " ".join(text.to_numpy().ravel())
    assert text.iloc[2, 1] == "100\u00a0% (14 av 14)"


def test_utan_deltagarrader_inga_tabeller():
    assert deltagartabeller(_Underlag(None), Rapportperiod.tolka("2019")) == []
