"""Indikatorerna ur räknetabellerna (matt/indikatorer.py), handräknade."""

from __future__ import annotations

import pandas as pd
import pytest

from finsam_analys.matt.indikatorer import indikatorer
from finsam_analys.matt.rakning import Rakning
from finsam_analys.perioder import Rapportperiod


def _rakning(avslut: pd.DataFrame) -> Rakning:
    return Rakning(Rapportperiod.tolka("2024"), {"avslut": avslut.assign(period="2024")})


def test_andel_avbrott_for_insats_utan_avbrott():
    # A: 15 avslut och inga avbrott (0 %); B: 4 av 22; alla: 4 av 37. Förr saknade A raden
    # och målet jämfördes med hela förbundets 4 av 37.
    avslut = pd.DataFrame({
        "insats": ["A", "A", "B", "B"],
        "utfall": ["Arbete", "Studier", "Arbete", "Okänt"],
        "avslutstyp": ["Fullföljd", "Fullföljd", "Fullföljd", "Avbruten"],
        "antal": [10, 5, 18, 4],
    })  # fmt: skip
    i = indikatorer(_rakning(avslut))
    i = i[i["indikator"] == "andel_avbrott"].set_index("insats")
    assert i.loc["A", ["antal", "n", "varde"]].tolist() == [0, 15, 0]
    assert i.loc["B", ["antal", "n"]].tolist() == [4, 22]
    assert i.loc["Totalt", "varde"] == pytest.approx(4 / 37)


def test_ingen_andel_avbrott_utan_avbrott_i_tabellen():
    # Redovisar tabellen bara fullföljda avslut (SOT 2019) räknas ingen andel avbrott.
    avslut = pd.DataFrame({"insats": ["MAC", "Trädgård"], "utfall": "Arbete",
                           "avslutstyp": "Fullföljd", "antal": [5, 2]})  # fmt: skip
    assert "andel_avbrott" not in set(indikatorer(_rakning(avslut))["indikator"])
