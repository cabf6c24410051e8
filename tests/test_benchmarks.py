"""Benchmarkskripten (``benchmarks/``) går att importera och köra i minimal storlek.

Inga tidsgränser här: tider mäts bara av ``make bench``. Det som testas är att skripten fungerar,
att DuckDB-frågan i skalbenchmarken ger samma räknetabell som biblioteket (annars jämför
benchmarken olika saker) och att ``import finsam_analys`` inte laddar tunga paket.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROT = Path(__file__).resolve().parent.parent
if str(ROT) not in sys.path:
    sys.path.insert(0, str(ROT))

from benchmarks import (  # noqa: E402
    bench_batch,
    bench_skala,
    bench_uppstart,
    bench_utdata,
    gemensamt,
    profil_rapport,
)

TUNGA = ("matplotlib", "seaborn", "scipy")


# ------------------------------------------------------------------ uppstart (inte tidsberoende)


def test_import_finsam_analys_laddar_inga_tunga_paket():
    kod = f"import sys, finsam_analys\nprint(sorted(m for m in {TUNGA!r} if m in sys.modules))"
    ut = subprocess.run(
        [sys.executable, "-c", kod], capture_output=True, text=True, check=True, cwd=ROT
    )
    assert ut.stdout.strip() == "[]"


def test_ingen_modul_i_paketet_laddar_tunga_paket_vid_import():
    resultat = bench_uppstart.moduler_som_laddar_tunga()
    assert "finsam_analys.matt.deltagarfloden" in resultat["moduler"]
    assert resultat["laddar_tunga"] == {}


def test_tunga_paket_laddas_nar_de_anvands():
    """Kontrollen kan fallera: matplotlib syns i sys.modules när en figur ritas."""
    kod = (
        "import sys\n"
        "import pandas as pd\n"
        "from finsam_analys.presentation.figurer import som_png\n"
        "from finsam_analys.rapport import Figur\n"
        "print('matplotlib' in sys.modules)\n"
        "som_png(Figur('staplar', pd.DataFrame({'x': ['A'], 'y': [0.5]}), titel='T'))\n"
        "print('matplotlib' in sys.modules)"
    )
    ut = subprocess.run(
        [sys.executable, "-c", kod], capture_output=True, text=True, check=True, cwd=ROT
    )
    assert ut.stdout.split() == ["False", "True"]


# ------------------------------------------------------------------ gemensamt


def test_matt_status_och_rad():
    m = gemensamt.Matt("b", "batch per rapport", 1.234, "s", "högst 2 s", True)
    assert m.status == "PASS"
    assert m.rad() == "PASS  batch per rapport: 1,23 s  (mål: högst 2 s)"
    assert gemensamt.Matt("b", "x", 3000.0, "MiB", "", False).rad().startswith("FAIL  x: 3 000")
    assert gemensamt.Matt("b", "x", None, "s").status == "INFO"


def test_spara_json(tmp_path, monkeypatch):
    monkeypatch.setattr(gemensamt, "RESULTATKATALOG", tmp_path)
    fil = gemensamt.spara_json("prov", [gemensamt.Matt("prov", "x", 1.0, "s", "högst 2 s", True)])
    data = json.loads(fil.read_text("utf-8"))
    assert data["matt"][0]["status"] == "PASS"
    assert data["maskin"]["cpu"] >= 1


# ------------------------------------------------------------------ skala, minimal storlek


@pytest.fixture(scope="module")
def litet_forbund(tmp_path_factory):
    rot = tmp_path_factory.mktemp("skala")
    info = bench_skala.steg_forbered(rot, 300)
    assert info["rader"]["deltagare"] == 300
    return rot


def test_skala_nyckeltal_och_inlasning(litet_forbund):
    ut = bench_skala.steg_nyckeltal(litet_forbund, 300)
    assert set(ut["perioder"]) == set(bench_skala.PERIODER)
    assert all(p["indikatorer"] > 0 for p in ut["perioder"].values())
    assert bench_skala.steg_inlasning(litet_forbund, 300)["rader"] == 300


def test_skala_duckdb_ger_samma_raknetabell_som_biblioteket(litet_forbund):
    ut = bench_skala.steg_duckdb(litet_forbund, 300, upprepningar=1)
    assert ut["lika_resultat"] is True


def test_skala_jamforelsen_upptacker_olika_resultat(litet_forbund):
    import duckdb
    import pandas as pd

    d = pd.read_parquet(litet_forbund / "forbund_300" / "parquet" / "deltagare.parquet")
    anslutning = duckdb.connect()
    anslutning.register("deltagare", d)
    bibliotek = bench_skala.karnaggregering_bibliotek(d, "2024")
    db = bench_skala.karnaggregering_duckdb(anslutning, "2024")
    assert bench_skala._jamforbar(bibliotek).equals(bench_skala._jamforbar(db))
    andrad = db.copy()
    andrad.loc[andrad.index[0], "antal"] += 1
    assert not bench_skala._jamforbar(bibliotek).equals(bench_skala._jamforbar(andrad))


def test_skala_hae():
    ut = bench_skala.steg_hae(Path("."), 2_000)
    assert set(ut["hae_totalt"]) == {"2023", "2024", "2025-01..2025-08"}
    assert all(v > 0 for v in ut["hae_totalt"].values())


def test_skala_underprocess_rapporterar_tid_och_minne(litet_forbund):
    r = gemensamt.kor_underprocess(
        [
            "-m",
            "benchmarks.bench_skala",
            "--steg",
            "nyckeltal",
            "--rot",
            str(litet_forbund),
            "--n",
            "300",
        ],
        tidsgrans=300,
    )
    assert r["slutkod"] == 0, r.get("fel")
    assert r["sekunder"] > 0 and r["toppminne_bytes"] > 10 * gemensamt.MIB


def test_tillvaxtmatt_mal_skalar_med_faktorn(capsys):
    matt = bench_skala._tillvaxtmatt(
        "prov", "rader", {10: {"sekunder": 1.0}, 100: {"sekunder": 11.0}, 1000: {"sekunder": 140}}
    )
    tillvaxt = [m for m in matt if "tillväxt" in m.namn]
    assert [m.godkant for m in tillvaxt] == [True, False]
    assert "FAIL" in capsys.readouterr().out


# ------------------------------------------------------------------ batch och utdata


def test_batch_urval_ar_jamnt_fordelat():
    uppgifter = [(f"f{i:02d}", p) for i in range(12) for p in ("2024", "2025-01..2025-08")]
    urval = bench_batch._urval(uppgifter, 4)
    assert len(urval) == 4 and len(set(urval)) == 4
    assert {p for _, p in urval} == {"2024", "2025-01..2025-08"}
    assert bench_batch._urval(uppgifter[:2], 4) == uppgifter[:2]


def test_batch_forbered_skriver_forbund_med_tva_perioder(tmp_path):
    uppgifter = bench_batch.forbered(tmp_path, antal_forbund=2, deltaganden=60)
    assert uppgifter == [
        ("forbund_01", "2024"),
        ("forbund_01", "2025-01..2025-08"),
        ("forbund_02", "2024"),
        ("forbund_02", "2025-01..2025-08"),
    ]
    from finsam_analys.korning.batch import planera_batch

    assert planera_batch(tmp_path) == (uppgifter, [])


def test_utdata_mal_for_html_storlek():
    matt = bench_utdata.matt_fran_storlekar({"a/2024": 1_400_000, "b/2024": 1_600_000})
    assert matt[0].godkant is False and "b/2024" in matt[0].namn
    assert bench_utdata.matt_fran_storlekar({"a/2024": 900_000})[0].godkant is True
    assert bench_utdata.matt_fran_storlekar({})[0].godkant is False


@pytest.mark.langsam
def test_profil_rapport_ger_tid_per_cell():
    """Profilverktyget kör notebookens celler (i en egen process: det byter arbetskatalog och
    fryser skräpsamlingen som batchens mall)."""
    ut = subprocess.run(
        [sys.executable, "-m", "benchmarks.profil_rapport", "--cprofile", "5", "--delar"],
        capture_output=True, text=True, check=True, cwd=ROT,
    ).stdout  # fmt: skip
    assert "CPU-tid per cell" in ut and "totalt" in ut
    assert "Utdata: nyckeltal.json, rapport.docx" in ut  # notebookens egen cell
    assert "cumulative" in ut
    # stegen mäts runt bibliotekets funktioner: Word-bilderna är en del av Word-dokumentet,
    # och varje steg tar tid i exempelförbundets rapport (som har figurer och tabeller)
    delar = {
        rad.split(" s  ", 1)[1].strip(): float(rad.split(" s  ", 1)[0])
        for rad in ut.split("Varav (CPU-tid i bibliotekets funktioner)", 1)[1].splitlines()
        if " s  " in rad
    }
    assert set(delar) == {beskrivning.strip() for _, _, beskrivning in profil_rapport.DELAR}
    assert all(sekunder > 0 for sekunder in delar.values()), delar
    assert delar["Word-dokumentet"] >= delar["varav figurerna som PNG (Word)"]


@pytest.mark.langsam
def test_kor_alla_snabb(tmp_path, monkeypatch):
    """Hela ``make bench`` i minimal storlek (kör notebooks: några minuter)."""
    monkeypatch.setattr(gemensamt, "RESULTATKATALOG", tmp_path)
    from benchmarks import kor_alla

    alla = kor_alla.kor_alla(snabb=True)
    namn = {m.benchmark for m in alla}
    assert namn == {"uppstart", "batch", "utdata", "skala"}
    assert (tmp_path / "alla_snabb.json").exists()
