"""Tester för ``finsam-analys granska`` (slutkoder och innehåll i den svenska tabellen).

Slutkoder: 0 inga avvikelser, 1 avvikelser i det tryckta, 2 fel i indata.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from finsam_analys.cli import SLUTKOD_AVVIKELSER, SLUTKOD_FEL_I_INDATA, SLUTKOD_OK, main

DATA = Path(__file__).resolve().parents[1] / "data"


def test_granska_avesta_fynd_ger_slutkod_1(capsys):
    assert main(["granska", str(DATA / "sodra_dalarna")]) == SLUTKOD_AVVIKELSER
    ut = capsys.readouterr().out
    assert "Granskning av publicerade tabeller" in ut
    # Personal: 1 775 000 − 819 000 = 956 000, tryckt 955 000; Summa 1 112 000, tryckt 1 111 000
    for tal in ("955 000", "956 000", "1 111 000", "1 112 000"):
        assert tal in ut
    assert "differens" in ut


def test_granska_vasteras(capsys):
    assert main(["granska", str(DATA / "vasteras")]) == SLUTKOD_AVVIKELSER
    ut = capsys.readouterr().out
    for tal in ("−2 521", "−4 521", "−555", "22 515", "22 876", "16,3", "15,6", "12 533"):
        assert tal in ut, tal
    assert "avrundning" in ut and "förändring" in ut
    assert "minskade antalet med hel" in ut  # etableringsersättningen, −37 mot −38
    assert "Vad som prövats, per tabell:" in ut and "Kontroller" in ut


def test_granska_utan_avvikelser_ger_slutkod_0(capsys):
    # Exempelförbundets budget stämmer (summaraderna är räknade ur delarna).
    assert main(["granska", str(DATA / "exempelforbund")]) == SLUTKOD_OK
    ut = capsys.readouterr().out
    assert "Inga avvikelser hittades." in ut and "Slutkod 1" not in ut


def test_granska_json(capsys):
    assert main(["granska", "--json", str(DATA / "sodra_dalarna")]) == SLUTKOD_AVVIKELSER
    data = json.loads(capsys.readouterr().out)
    assert data["forbund"] == "sodra_dalarna" and data["slutkod"] == 1
    assert data["antal_avvikelser"] == 4
    budget = next(s for s in data["sammanfattning"] if s["tabell"].startswith("ekonomi"))
    # 4 summor (budget, utfall, differens, prognos) och 4 differenser; 2 tryckta differenser fel
    assert (budget["kontroller"], budget["stämmer"], budget["avvikelser"]) == (8, 6, 2)
    personal = next(f for f in data["fynd"] if f["rad"] == "Personal")
    assert (personal["publicerat"], personal["omraknat"]) == (955000.0, 956000.0)
    assert personal["allvarlighet"] == "avvikelse"


def test_granska_saknad_katalog_ger_slutkod_2(tmp_path, capsys):
    assert main(["granska", str(tmp_path / "finns_inte")]) == SLUTKOD_FEL_I_INDATA
    assert "finns inte" in capsys.readouterr().err


@pytest.fixture
def avesta_kopia(tmp_path) -> Path:
    katalog = tmp_path / "sodra_dalarna"
    shutil.copytree(DATA / "sodra_dalarna", katalog)
    return katalog


def test_granska_trasig_pastaendefil_ger_slutkod_2(avesta_kopia, capsys):
    (avesta_kopia / "granskning_pastaenden.csv").write_text(
        "tabell;pastaende;typ;publicerat;decimaler;uttryck\nx;y;gissning;1;0;1\n",
        encoding="utf-8",
    )
    assert main(["granska", str(avesta_kopia)]) == SLUTKOD_FEL_I_INDATA
    fel = capsys.readouterr().err
    assert 'granskning_pastaenden.csv, rad 2, kolumn "typ"' in fel and "okänd typ" in fel


def test_granska_trasiga_tabeller_ger_slutkod_2(avesta_kopia, capsys):
    ekonomi = avesta_kopia / "ekonomi.csv"
    text = ekonomi.read_text(encoding="utf-8").replace("1775000", "mycket")
    ekonomi.write_text(text, encoding="utf-8")
    assert main(["granska", str(avesta_kopia)]) == SLUTKOD_FEL_I_INDATA
    assert capsys.readouterr().err.strip()
