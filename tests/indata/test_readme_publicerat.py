"""Exemplen i data/README.md (tryckta tabeller och påståenden) körs som de står där.

Varje kodblock som föregås av ``<!-- exempel: <fil> -->`` skrivs till en tillfällig
förbundskatalog (YAML-blockens tabeller slås ihop till en ``tabeller.yaml``), katalogen läses
med ``las_forbund`` och granskas. Förväntade värden är räknade för hand och står också i
README-texten: en användare som följer README ska få just de fynden.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from finsam_analys.granskning.resultat import granska
from finsam_analys.indata.inlasning import las_forbund

README = Path(__file__).resolve().parents[2] / "data" / "README.md"
_BLOCK = re.compile(r"<!-- exempel: (?P<fil>\S+) -->\n```(?P<sprak>\w+)\n(?P<text>.*?)```", re.S)


def _exempel() -> list[tuple[str, str]]:
    return [(m["fil"], m["text"]) for m in _BLOCK.finditer(README.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def katalog(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("readme") / "exempel"
    (d / "publicerat").mkdir(parents=True)
    (d / "forbund.yaml").write_text(
        "id: exempel\nnamn: Exempelförbundet\nkommuner: [Avesta]\ninsatser: [Team]\n"
        'perioder: ["2024"]\n',
        encoding="utf-8",
    )
    tabeller: list = []
    topp: dict = {}
    for fil, text in _exempel():
        if fil.endswith("tabeller.yaml"):
            data = yaml.safe_load(text)
            topp.update({k: v for k, v in data.items() if k != "tabeller"})
            tabeller += data["tabeller"]
        else:
            (d / fil).write_text(text, encoding="utf-8")
    (d / "publicerat" / "tabeller.yaml").write_text(
        yaml.safe_dump({**topp, "tabeller": tabeller}, allow_unicode=True), encoding="utf-8"
    )
    return d


@pytest.fixture(scope="module")
def resultat(katalog):
    return granska(las_forbund(katalog))


def _fynd(resultat, tabell: str) -> pd.DataFrame:
    f = resultat.fynd
    return f[f["tabell"].str.startswith(tabell)]


def test_readme_har_exempel_for_varje_slag():
    filer = {f for f, _ in _exempel()}
    for fil in ("nns_2024.csv", "nya_kon_forsorjning.csv", "budget_2024.csv", "mal_2024.csv",
                "nytta_per_aktor.csv", "aterbetalningstid_per_aktor.csv",
                "resultat_kedja.csv", "forsorjning_nya.csv"):  # fmt: skip
        assert f"publicerat/{fil}" in filer
    assert "granskning_pastaenden.csv" in filer


def test_exemplen_laser_utan_problem(katalog):
    u = las_forbund(katalog)
    assert [t.id for t in u.publicerade] == [
        "nns_2024", "forsorjning_nya", "nya_kon_forsorjning", "budget_2024", "mal_2024",
        "nytta_per_aktor", "aterbetalningstid_per_aktor", "resultat_kedja",
    ]  # fmt: skip
    budget = next(t for t in u.publicerade if t.id == "budget_2024")
    assert budget.rader["konto"].tolist()[:4] == ["3010", None, "4510", "4520"]
    assert budget.tryckt().loc["Styrelse", "Årsbudget"] == "−150"
    assert len(u.pastaenden) == 3


def test_procenttabeller(resultat):
    nns = _fynd(resultat, "NNS-indikatorerna")
    assert nns[["rad", "publicerat", "omraknat"]].values.tolist() == [
        ["Jag känner mig mer redo att arbeta eller studera", 62.0, 61.0]
    ]
    forsorjning = _fynd(resultat, "Försörjning vid inskrivning")
    # 58 + 39 + 4 = 101: ryms i avrundningen av tre andelar; inga fel
    assert forsorjning[["rad", "typ", "publicerat", "omraknat"]].values.tolist() == [
        ["Totalt", "avrundning", 100.0, 101.0]
    ]
    k = resultat.kontroller
    mojliga = k[k["tabell"].str.startswith("Försörjning") & (k["kontroll"] == "möjlig andel")]
    assert len(mojliga) == 4 and set(mojliga["status"]) == {"stämmer"}  # även 100 % av 57


def test_tabell_per_kon_med_foregaende_ar(resultat):
    kon = _fynd(resultat, "Nya deltagare efter kön")
    assert kon[["rad", "kolumn", "typ", "publicerat", "omraknat"]].values.tolist() == [
        ["Totalt", "Män (föregående)", "summa", 16.0, 15.0],
        ["Totalt", "Totalt (föregående)", "summa", 35.0, 36.0],
    ]


def test_budget_med_konto_prognos_och_avvikelse(resultat):
    budget = _fynd(resultat, "Budget och utfall januari–augusti 2024")
    assert budget[["rad", "kolumn", "typ", "publicerat", "omraknat"]].values.tolist() == [
        ["SUMMA", "Avvikelse prognos–budget", "summa", 210.0, 200.0],
        ["SUMMA", "Avvikelse prognos–budget", "differens", 210.0, 200.0],
    ]
    k = resultat.kontroller
    summa = k[(k["rad"] == "SUMMA") & (k["kolumn"] == "Årsbudget")].iloc[0]
    assert (summa["status"], summa["omraknat"]) == ("stämmer", 50.0)


def test_mal_som_inte_ar_tal(resultat):
    mal = _fynd(resultat, "Måluppfyllelse 2024")
    assert mal[["rad", "typ", "publicerat", "omraknat"]].values.tolist() == [
        ["Andel till arbete eller studier efter avslut", "bedömning", 31.0, 35.0]
    ]
    k = resultat.kontroller
    ej = k[k["tabell"].str.startswith("Måluppfyllelse") & (k["status"] == "ej prövbar")]
    assert len(ej) == 3


def test_aterbetalningstid_och_nytta_per_aktor(resultat):
    assert _fynd(resultat, "Samhällsekonomisk nytta per aktör").empty
    k = resultat.kontroller
    nytta = k[k["tabell"].str.startswith("Samhällsekonomisk nytta")]
    assert set(nytta.loc[nytta["kontroll"] == "summa", "omraknat"]) == {4640.0, 4910.0, 4985.0}
    # varav-listan (AF + FK) är mindre än staten men markerad ofullständig: inget att kontrollera
    assert "att kontrollera" not in set(nytta["status"])
    tid = _fynd(resultat, "Återbetalningstid per aktör")
    assert tid[["rad", "typ", "publicerat", "omraknat"]].values.tolist() == [
        ["Kommunen", "bedömning", 50.0, 48.0]
    ]


def test_andelar_i_kedja(resultat):
    kedja = _fynd(resultat, "Resultat 2024")
    assert kedja[["rad", "typ", "publicerat", "omraknat"]].values.tolist() == [
        ["varav fortsatt rehabilitering", "andel", 25.0, 20.0]
    ]
    k = resultat.kontroller
    kedjan = k[k["tabell"].str.startswith("Resultat 2024") & (k["kontroll"] == "andel")]
    assert kedjan["kommentar"].str.split(" = ").str[0].tolist() == [
        "50 / 120", "15 / 50", "8 / 15", "4 / 15", "3 / 15"
    ]  # fmt: skip


def test_pastaendena(resultat):
    p = _fynd(resultat, "s. 15")
    assert p[["typ", "publicerat", "omraknat"]].values.tolist() == [
        ["förändring", -37.0, -38.0],
        ["riktning", -1.0, 1.0],  # "minskade" när 91 895 -> 94 555 är en ökning
    ]


def test_slutkod_och_sammanfattning(resultat):
    assert resultat.slutkod == 1
    s = resultat.sammanfattning.set_index("tabell")
    assert s["avvikelser"].sum() == resultat.antal_avvikelser == 10
    assert (s["kontroller"] >= s["stämmer"] + s["avvikelser"] + s["avrundning"]).all()
