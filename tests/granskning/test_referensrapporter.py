"""Referensrapporterna som test: varje tryckt taltabell finns i data/, och varje tryckt fel
hittas med rätt värde — och inget annat (inga falska larm).

Tabellistorna följer de tre referensrapporterna (/work/shared/seeds, se
``matningar/referensrapporternas_innehall.md``): titeln som tryckt och var tabellen ligger i
förbundets katalog. Rapportens visning av varje tabell (punkt 2 i ärendet) prövas i
rapporttesterna.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_analys.cli import SLUTKOD_AVVIKELSER, main
from finsam_analys.granskning.kontroller import allvarlighet
from finsam_analys.granskning.resultat import granska
from finsam_analys.indata.inlasning import las_forbund

DATA = Path(__file__).resolve().parents[2] / "data"

# (titel som tryckt, var den ligger): kanonisk tabell och kalltabell, en tryckt tabell i
# publicerat/ (id), eller nyckeltal/mål med kalltabell.
SOT_2019 = [
    ("Målområde 1: Mål (andel avslut)", "mal", "Målområde 1 Mål"),
    ("Resultat 2019 (andel avslut)", "nyckeltal_publicerade", "Målområde 1 Resultat 2019"),
    ("Sammanställning per insats", "avslut", "Sammanställning per insats"),
    ("Hälsoenkäter – resultat: helår", "nyckeltal_publicerade", "Målområde 2 Hälsoenkäter - resultat"),  # noqa: E501
    ("Hälsoenkäter – resultat: jan–maj och juni–nov", "halsoenkat", None),
    ("Målområde 3: Ekonomi i balans", "publicerat", "sot_2019_ekonomi_i_balans"),
    ("Målområde 4: Samhällsnytta, mål", "mal", "Målområde 4"),
    ("Målområde 4: Samhällsnytta, resultat", "nyckeltal_publicerade", "Målområde 4"),
    ("Fördelning av ansökningar per aktör och inriktning", "remisser", None),
    ("Andel som avbrutit, per remittent", "avbrott", None),
    ("Uppföljning 6 månader efter avslutad insats", "uppfoljning", "Uppföljning 6 månader efter avslutad insats"),  # noqa: E501
]
VASTERAS_2021 = [
    ("Helårsekvivalenter (s. 14)", "helarsekvivalenter", "s. 14 Helårsekvivalenter"),
    ("Länets kommuner 2020", "helarsekvivalenter", "s. 14 Länets kommuner 2020"),
    ("Riket efter kön 2020", "helarsekvivalenter", "s. 15 Riket efter kön 2020"),
    ("Riket efter kön 2019", "helarsekvivalenter", "s. 15 Riket efter kön 2019"),
    ("Könsfördelning inom respektive ersättningsform 2020", "konsandel", "s. 15 Riket efter kön 2020"),  # noqa: E501
    ("Könsfördelning inom respektive ersättningsform 2019", "konsandel", "s. 15 Riket efter kön 2019"),  # noqa: E501
    ("Budget och utfall tom aug 2021", "ekonomi", 2021),
    ("Utblick 2022–2023", "ekonomi", 2023),
    ("Eget kapital 2021–2024 (text under budgeten)", "eget_kapital", None),
    ("Indikatorer (insatsredovisning SOT)", "publicerat", "sot_2021_indikatorer"),
    ("Samhällsnytta (insatsredovisning SOT)", "publicerat", "sot_2021_samhallsnytta"),
    ("Utökad budget för förberedelse inför RCT (SIM)", "publicerat", "sim_2021_utokad_budget"),
    ("Insatsredovisning: tilldelade medel och resultat", "nyckeltal_publicerade", "Bilaga Insatsredovisning"),  # noqa: E501
]
AVESTA_2016 = [
    ("Handläggare och försörjningsgrund", "deltagarantal", "Handläggare och försörjningsgrund"),
    ("Deltagarresultat 150501-160701", "avslut", "Deltagarresultat 150501-160701"),
    ("Deltagarresultat: inskrivna, avslut, aktiva", "deltagarantal", "Deltagarresultat 150501-160701"),  # noqa: E501
    ("Resultatruta: genomströmningstid, bidragsberoende, snittålder", "nyckeltal_publicerade", "Deltagarresultat 150501-160701"),  # noqa: E501
    ("Könsfördelning (avsnitt 3)", "deltagarantal", "3. Deltagare resultat och effekter"),
    ("Budgetutfall med utfall per 2016-06-30 och helårsprognos 2016", "ekonomi", 2016),
]


def _hittas(underlag, var: str, nyckel) -> bool:
    if var == "publicerat":
        return any(t.id == nyckel for t in underlag.publicerade)
    if var == "konsandel":
        h = underlag.tabeller["helarsekvivalenter"]
        urval = h[h["kalltabell"] == nyckel]
        return int(urval["konsandel_publicerad"].notna().sum()) == 21  # 7 former × 3
    tabell = underlag.tabeller.get(var)
    if tabell is None or not len(tabell):
        return False
    if nyckel is None:
        return True
    if var == "ekonomi":
        return bool((tabell["ar"] == nyckel).any())
    return bool((tabell["kalltabell"] == nyckel).any())


@pytest.mark.parametrize(
    ("forbund", "lista"),
    [("vasteras", SOT_2019), ("vasteras", VASTERAS_2021), ("sodra_dalarna", AVESTA_2016)],
    ids=["SOT 2019", "Västerås delår 2021", "Avesta 2015/16"],
)
def test_varje_tryckt_taltabell_finns_i_data(forbund, lista):
    u = las_forbund(DATA / forbund)
    saknas = [titel for titel, var, nyckel in lista if not _hittas(u, var, nyckel)]
    assert saknas == []


def test_avestas_prognoskolumn_och_vasteras_tabeller_ar_transkriberade():
    avesta = las_forbund(DATA / "sodra_dalarna").tabeller["ekonomi"]
    assert avesta["prognosavvikelse_publicerad"].tolist() == [0, -9000, 20000, 11000]
    h = las_forbund(DATA / "vasteras").tabeller["helarsekvivalenter"]
    kommuner = h[h["kalltabell"] == "s. 14 Länets kommuner 2020"]
    assert kommuner["region"].nunique() == 11 and len(kommuner) == 77  # 10 kommuner + län, × 7


# Varje avvikelse i referensrapporterna: (tabell börjar med, rad börjar med, tryckt, rätt).
AVVIKELSER = {
    "vasteras": {
        ("ekonomi 2021-01..2021-08, 2021", "Resultat intäkter - kostnader", -2155, -5196),
        ("ekonomi 2021-01..2021-08, 2022", "Resultat intäkter - kostnader", -2521, -4521),
        ("ekonomi 2021-01..2021-08, 2023", "Resultat intäkter - kostnader", 107, -555),
        ("helarsekvivalenter (s. 14 Helårsekvivalenter)", "Västmanlands län 2019", 22515, 22876),
        ("helarsekvivalenter (s. 14 Helårsekvivalenter)", "Västmanlands län 2019", 14.8, 15.1),
        ("helarsekvivalenter (s. 14 Helårsekvivalenter)", "Västmanlands län 2020", 16.3, 15.6),
        ("helarsekvivalenter (s. 14 Länets kommuner 2020)", "Västmanlands län 2020", 16.3, 15.6),
        ("helarsekvivalenter", "Riket 2020 Sjukpenning", 150156, 150044),
        ("helarsekvivalenter", "Riket 2020 Sjuk- och aktivitetsersättning", 225841, 225528),
        ("helarsekvivalenter", "Riket 2020 Etableringsersättning", 23036, 23029),
        ("helarsekvivalenter", "Riket 2020 Totalt", 790242, 789810),
        ("Delårsrapport 2021, s. 15", "Etableringsersättningen", -37, -38),
        ("Delårsrapport 2021, s. 17", "Genomförandestudie", 1670, 1617),
        ("SOT årsrapport 2019, Målområde 2", "Den upplevda hälsan har ökat", 4, 5),
    },
    "sodra_dalarna": {
        ("ekonomi 2015-07..2016-06, 2016", "Personal", 955000, 956000),
        ("ekonomi 2015-07..2016-06, 2016", "Summa Kostnader", 1111000, 1112000),
        ("Helårsrapport 2015/16, Sammanfattning", "Åldersfördelningen", 21, 20),
        ("Helårsrapport 2015/16, Sammanfattning", "Åldersfördelningen", 58, 61),
    },
}


@pytest.mark.parametrize("forbund", sorted(AVVIKELSER))
def test_alla_kanda_fel_hittas_med_ratt_varde_och_inga_andra(forbund):
    g = granska(las_forbund(DATA / forbund))
    hittade = []
    for r in g.fynd.itertuples(index=False):
        if allvarlighet(r.typ) == "avvikelse":
            nyckel = next(
                (k for k in AVVIKELSER[forbund]
                 if r.tabell.startswith(k[0]) and r.rad.startswith(k[1])
                 and (r.publicerat, r.omraknat) == (k[2], k[3])),
                None,
            )  # fmt: skip
            hittade.append(nyckel or (r.tabell, r.rad, r.publicerat, r.omraknat))
    assert sorted(hittade, key=str) == sorted(AVVIKELSER[forbund], key=str)
    assert "att kontrollera" not in {allvarlighet(t) for t in g.fynd["typ"]}
    assert g.slutkod == 1


@pytest.mark.parametrize("forbund", sorted(AVVIKELSER))
def test_granska_slutar_med_1_for_referensrapporterna(forbund, capsys):
    assert main(["granska", str(DATA / forbund)]) == SLUTKOD_AVVIKELSER
    assert "Vad som prövats, per tabell:" in capsys.readouterr().out
