"""Bara styrelsens språk i rapporterna: inga kommandon, modul-, tabell-, fil- eller
kolumnnamn, och svensk typografi, i varje inbäddat förbunds rapporter (HTML, Word och Excel).

Hjälpen som tar ut texten och hittar utvecklartexten är ``tests/utdatatext.py``; Word- och
Excel-filerna prövas av samma test när batchen skriver dem.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from utdatatext import fynd_i_fil, html_text, rapportfiler

from finsam_analys.korning import batch as korning

pytestmark = pytest.mark.langsam

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def utdata(tmp_path_factory) -> Path:
    ut = tmp_path_factory.mktemp("styrelsetext")
    resultat = korning.kor_batch(
        data_katalog=DATA, utdata_katalog=ut, skapad="2026-01-31", jamforelse=False
    )
    assert all(r.lyckades for r in resultat), korning.sammanfattning(resultat)
    return ut


def test_alla_inbaddade_rapporter_finns(utdata):
    html = {p.parent.relative_to(utdata).as_posix() for p in utdata.glob("*/*/rapport.html")}
    assert html == {
        "exempelforbund/2024",
        "exempelforbund/2025-01_2025-08",
        "sodra_dalarna/2015-07_2016-06",
        "vasteras/2019",
        "vasteras/2021-01_2021-08",
    }


def test_ingen_utvecklartext_i_rapporterna(utdata):
    fynd = {str(p.relative_to(utdata)): fynd_i_fil(p) for p in rapportfiler(utdata)}
    assert {fil: f for fil, f in fynd.items() if f} == {}


def test_vasteras_2019_som_styrelsen_laser_den(utdata):
    text = html_text((utdata / "vasteras" / "2019" / "rapport.html").read_text(encoding="utf-8"))
    assert "Samordningsteam Västerås – Årsrapport 2019" in text
    for rubrik in ("Målområde 1: Att de individer som fullföljer insatsen",
                   "Målområde 4: Att Samordningsteamet bidrar till samhällsnytta",
                   "Viktiga händelser under året", "Resultatanalys"):  # fmt: skip
        assert rubrik in text
    assert "Sammanlagt har 127 personer deltagit i insats via SOT" in text
    assert "Visas inte" not in text
