"""Helårsekvivalenter, Ekonomi och Samhällsnytta.

Förväntade värden ur seed-rapporterna (Västerås delårsrapport jan–aug 2021: HÅE-tabellerna,
budget och utfall, eget kapital; SOT 2019: återbetalningstid; Avesta 2015/16: budget) eller
handräknade, aldrig ur koden som testas.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from finsam_analys import rapport as rd
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.figurer import figur_ur_diagram
from finsam_analys.presentation.tabellvisning import kolumnrubrik, visningstext
from finsam_analys.tabell import MASKAD, Diagram, Kvot, Storhet, ar_maskad


def _med_tabell(underlag, namn, tabell):
    return dataclasses.replace(underlag, tabeller={**underlag.tabeller, namn: tabell})


def _visat(tabell, kolumn):
    return visningstext(tabell)[kolumn].tolist()


@pytest.fixture(scope="module")
def vasteras_2021(underlag_vasteras):
    return rd.bygg_rapport(underlag_vasteras, "2021-01..2021-08")


# ---------------------------------------------------------------------- helårsekvivalenter


def test_helarsekvivalenter_vasteras_2020(underlag_vasteras, vasteras_2021):
    t = rd.sektion_helarsekvivalenter(
        underlag_vasteras, Rapportperiod.tolka("2021-01..2021-08")
    ).tabell("hae_andel")
    d = t.data.set_index("År")
    # Västerås 2020: 13 451 / 88 586; riket 2020: 789 810 / 5 876 835
    assert d.loc["2020", "Västerås"] == pytest.approx(13451 / 88586)
    assert d.loc["2020", "Riket"] == pytest.approx(789810 / 5876835)
    # länet 2020 räknas om: 23 819 (summan av formerna) / 152 318 = 15,6 % (tryckt 16,3)
    assert d.loc["2020", "Västmanlands län"] == pytest.approx(23819 / 152318)
    v = vasteras_2021["helarsekvivalenter"].tabell("hae_andel")
    rader = visningstext(v).set_index("År")
    assert (
        rader.loc["2020", "Västerås"] == "15,2\xa0%"
        and rader.loc["2019", "Västerås"] == "14,3\xa0%"
    )
    assert rader.loc["2020", "Riket"] == "13,4\xa0%"
    assert rader.loc["2020", "Västmanlands län"] == "15,6\xa0%"
    # rapporten för 2019 visar bara åren till och med 2019
    t19 = rd.sektion_helarsekvivalenter(underlag_vasteras, Rapportperiod.tolka("2019")).tabell(
        "hae_andel"
    )
    assert t19.data["År"].tolist() == ["2018", "2019"]


def test_helarsekvivalenter_tabellen_som_scb(underlag_vasteras):
    # Västerås 2020 i SCB:s tabell: 1 905, 3 475, 2 148, 3 381, 2 072, 470; totalt 13 451
    s = rd.sektion_helarsekvivalenter(underlag_vasteras, Rapportperiod.tolka("2021-01..2021-08"))
    d = s.tabell("hae_detalj").data.set_index(["Region", "År"])
    rad = d.loc[("Västerås", "2020")]
    former = ["Sjukpenning", "Sjuk- och aktivitetsersättning", "Arbetslöshet",
              "Arbetsmarknadsåtgärder", "Ekonomiskt bistånd", "Etableringsersättning"]  # fmt: skip
    assert list(d.columns[: len(former)]) == former
    assert rad[former].tolist() == [1905, 3475, 2148, 3381, 2072, 470]
    assert (rad["Totalt"], rad["Folkmängd 20–64 år"]) == (13451, 88586)
    # totalen räknas om ur formerna: 2019 är 12 534 (tryckt 12 533)
    assert d.loc[("Västerås", "2019"), "Totalt"] == 12534
    # HÅE och belopp är inga antal personer: inga referenser, maskas aldrig
    assert all(ref is None for _, _, ref in s.tabell("hae_detalj").alla_referenser())


def test_helarsekvivalenter_kon_och_forandring(vasteras_2021):
    s = vasteras_2021["helarsekvivalenter"]
    # könsfördelning riket 2020: sjukpenning 63,8/36,2; totalt 53,5/46,5 (seed-tabellen)
    kon = visningstext(s.tabell("hae_kon")).set_index("Ersättningsform")
    assert kon.loc["Sjukpenning", ["Andel kvinnor", "Andel män"]].tolist() == [
        "63,8\xa0%",
        "36,2\xa0%",
    ]
    assert kon.loc["Totalt", ["Andel kvinnor", "Andel män"]].tolist() == ["53,5\xa0%", "46,5\xa0%"]
    # arbetslöshet ökade med 55 % (80 101 → 124 182), etablering −38 % (37 058 → 23 029)
    f = s.tabell("hae_forandring").data.set_index("Ersättningsform")
    assert f.loc["Arbetslöshet", "Riket"] == pytest.approx(124182 / 80101 - 1)
    assert f.loc["Etableringsersättning", "Riket"] == pytest.approx(23029 / 37058 - 1)
    visad = visningstext(s.tabell("hae_forandring")).set_index("Ersättningsform")
    assert visad.loc["Arbetslöshet", "Riket"] == "+55\xa0%"
    # linjediagrammet: en linje per region, år på x-axeln, en decimal
    (diagram,) = [b for b in s.innehall if isinstance(b, Diagram)]
    figur = figur_ur_diagram(diagram, s.tabell(diagram.tabell))
    assert figur.typ == "linjer" and figur.decimaler == 1
    assert set(figur.data["grupp"]) == {"Västerås", "Västmanlands län", "Riket"}


def test_deltagarnas_hae_maskas_for_fa_personer(underlag_exempel):
    perioder = pd.DataFrame(
        {
            "person": ["a", "b", "c", "d", "e", "f", "g"],
            "ersattningsform": ["Sjukpenning"] * 5 + ["Arbetslöshet"] * 2,
            "kon": "Kvinna",
            "fran": "2024-01-01",
            "till": ["2024-12-31"] * 5 + ["2024-07-01", "2024-12-31"],
            "omfattning": 1.0,
        }
    )
    underlag = _med_tabell(underlag_exempel, "ersattningsperioder", perioder)
    s = rd.sektion_helarsekvivalenter(underlag, Rapportperiod.tolka("2024"))
    t = s.tabell("deltagarnas_hae")
    d = t.data.set_index("Ersättningsform")
    # handräknat: fem helår; 1 jan–1 jul är 183 av 366 dagar (ett halvår) och ett helår
    assert d.loc["Sjukpenning", "Helårsekvivalenter"] == pytest.approx(5.0)
    assert d.loc["Arbetslöshet", "Helårsekvivalenter"] == pytest.approx(183 / 366 + 1)
    i = t.rad("Arbetslöshet")
    assert t.referens(i, "Helårsekvivalenter") == Kvot(
        Storhet.av("ersattningstagare", "2024", ersattningsform="Arbetslöshet")
    )
    v = rd.bygg_rapport(underlag, "2024")["helarsekvivalenter"].tabell("deltagarnas_hae")
    visad = v.visning.set_index("Ersättningsform")["Helårsekvivalenter"]
    # två personer med arbetslöshet: deras HÅE visas inte, och inte heller totalen (skillnaden)
    assert ar_maskad(visad["Arbetslöshet"]) and ar_maskad(visad["Totalt"])
    assert visad["Sjukpenning"] == pytest.approx(5.0)


def test_saknade_helarsekvivalenter(underlag_avesta):
    s = rd.sektion_helarsekvivalenter(underlag_avesta, Rapportperiod.tolka("2015-07..2016-06"))
    assert not s.visas and "helårsekvivalenter" in s.saknas.lower() and s.innehall == ()


# ------------------------------------------------------------------------------ ekonomi


def test_ekonomi_vasteras_2021(underlag_vasteras, vasteras_2021):
    s = rd.sektion_ekonomi(underlag_vasteras, Rapportperiod.tolka("2021-01..2021-08"))
    t = s.tabell("budget_och_utfall")
    d = t.data.set_index("Post")
    # SOT: 3 095 av 7 306 tkr = 42 %; TOTAL 7 160 av 18 506 = 39 %
    assert d.loc["Samordningsteam Västerås", "Utfall i procent av budget"] == pytest.approx(
        3095 / 7306
    )
    assert t.kolumn("Budget").enhet == "tkr" and kolumnrubrik(t.kolumn("Budget")) == "Budget, tkr"
    v = vasteras_2021["ekonomi"]
    n = rd.rapportens_nyckeltal({"ekonomi": v})
    assert n["budget_totalt"] == 18506 and n["andel_forbrukad"] == pytest.approx(7160 / 18506)
    visad = visningstext(v.tabell("budget_och_utfall")).set_index("Grupp")
    assert visad.loc["TOTAL", "Utfall i procent av budget"] == "39\xa0%"
    # eget kapital: 8 241 + 13 310 − 15 465 = 6 086; 2022: 6 086 + 10 996 − 15 517 = 1 565
    ek = s.tabell("eget_kapital")
    assert ek.data["Utgående eget kapital"].tolist() == [6086, 1565, 1010]
    # disponibla medel som texten trycker: 21 551, 17 082, 12 452 tkr
    assert ek.data["Disponibla medel"].tolist() == [21551, 17082, 12452]
    assert ek.kolumn("Utgående eget kapital").enhet == "tkr"
    # figuren: andelen av året som gått (8 av 12 månader) som referenslinje
    diagram = next(b for b in v.innehall if isinstance(b, Diagram))
    figur = figur_ur_diagram(diagram, v.tabell(diagram.tabell))
    assert figur.mal == {"Andel av året som gått": pytest.approx(8 / 12)}
    # Excel-bladet har enheten i rubriken
    assert "Budget, tkr" in rd.rapportens_tabeller({"ekonomi": v})["Budget och utfall 2021"]


def test_ekonomi_avesta_differens_raknas_om(underlag_avesta):
    t = rd.sektion_ekonomi(underlag_avesta, Rapportperiod.tolka("2015-07..2016-06")).tabell(
        "budget_och_utfall"
    )
    d = t.data.set_index("Post")
    # tryckt 955 000 och 1 111 000; 1 775 000 − 819 000 = 956 000, 2 100 000 − 988 000 = 1 112 000
    assert d.loc["Personal", "Kvar av budget"] == 956_000
    assert t.data.loc[t.data["Grupp"] == "TOTAL", "Kvar av budget"].iloc[0] == 1_112_000
    assert t.kolumn("Kvar av budget").enhet == "kr"


# ------------------------------------------------------------------------- samhällsnytta


def test_samhallsnytta_vasteras(underlag_vasteras):
    t = rd.sektion_samhallsnytta(underlag_vasteras, Rapportperiod.tolka("2019")).tabell(
        "aterbetalningstid"
    )
    # SOT 2019, målområde 4: resultat 94 månader mot målet högst 34
    assert t.data.iloc[0][["Återbetalningstid", "Mål, högst", "Skillnad"]].tolist() == [94, 34, 60]
    assert t.data.iloc[0]["Bedömning"] == "Ej uppfyllt"
    assert t.kalla == "publicerad" and "Målområde 4" in t.kallhanvisning
    t21 = rd.sektion_samhallsnytta(
        underlag_vasteras, Rapportperiod.tolka("2021-01..2021-08")
    ).tabell("aterbetalningstid")
    assert t21.data.iloc[0]["Mål, högst"] == 40  # "Max 40 månader"
    assert t21.data.iloc[0]["Bedömning"] == "Kan inte bedömas"
    assert MASKAD not in _visat(t21, "Återbetalningstid")
