"""``finsam-analys validera``: korpusen av trasiga indata och de inbäddade förbunden."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from finsam_analys.cli import main

KORPUS = Path(__file__).parent / "trasiga_indata"
FALL = sorted(p.name for p in KORPUS.iterdir() if p.is_dir())
DATA = Path(__file__).parent.parent / "data"
FORBUND = sorted(p.name for p in DATA.iterdir() if (p / "forbund.yaml").is_file())


def _fingeravtryck(katalog: Path) -> dict[str, str]:
    return {
        str(p.relative_to(katalog)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(katalog.rglob("*"))
        if p.is_file()
    }


def _forvantat(fall: str) -> list[str]:
    text = (KORPUS / f"{fall}.forvantat").read_text(encoding="utf-8")
    return [rad for rad in text.splitlines() if rad.strip()]


def test_korpusen_har_minst_25_fall():
    assert len(FALL) >= 25
    for fall in FALL:
        assert _forvantat(fall), fall


@pytest.mark.parametrize("fall", FALL)
def test_trasiga_indata_ger_svenskt_meddelande_och_slutkod_2(fall, capsys):
    katalog = KORPUS / fall
    fore = _fingeravtryck(katalog)
    slutkod = main(["validera", str(katalog)])
    ut, fel = capsys.readouterr()
    assert slutkod == 2
    assert "Traceback" not in ut + fel
    for delstrang in _forvantat(fall):
        assert delstrang in fel, f"saknar {delstrang!r} i:\n{fel}"
    assert _fingeravtryck(katalog) == fore  # rå indata byte-identisk


def test_trasiga_indata_via_underprocess():
    """En gång genom en riktig process (personnummerfallet körs så i test_personnummer)."""
    fall = "flera_fel_i_flera_filer"
    katalog = KORPUS / fall
    fore = _fingeravtryck(katalog)
    resultat = subprocess.run(
        [sys.executable, "-m", "finsam_analys.cli", "validera", str(katalog)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert resultat.returncode == 2
    assert "Traceback" not in resultat.stdout + resultat.stderr
    for delstrang in _forvantat(fall):
        assert delstrang in resultat.stderr
    assert _fingeravtryck(katalog) == fore


@pytest.mark.parametrize("forbund", FORBUND)
def test_inbaddade_forbund_validerar(forbund, capsys):
    slutkod = main(["validera", str(DATA / forbund)])
    ut, fel = capsys.readouterr()
    assert slutkod == 0, fel
    assert "Inga problem hittades." in ut
    assert f"({forbund})" in ut.splitlines()[0]


def test_inbaddade_forbund_finns():
    assert {"vasteras", "sodra_dalarna"} <= set(FORBUND)


def test_saknad_katalog(tmp_path, capsys):
    assert main(["validera", str(tmp_path / "finns_inte")]) == 2
    assert "katalogen finns inte" in capsys.readouterr().err


def test_ovantat_undantag_formuleras_utan_traceback(tmp_path, capsys, monkeypatch):
    import finsam_analys.indata.inlasning as inlasning

    def krascha(katalog):
        raise RuntimeError("något gick sönder för 19121212-1212")

    monkeypatch.setattr(inlasning, "las_forbund", krascha)
    assert main(["validera", str(tmp_path)]) == 2
    ut, fel = capsys.readouterr()
    assert "Oväntat fel vid läsning" in fel
    assert "RuntimeError" in fel
    assert "Traceback" not in ut + fel
    assert "19121212-1212" not in ut + fel


def test_ovantat_undantag_i_en_fil_blir_ett_problem(tmp_path, capsys, monkeypatch):
    import finsam_analys.indata.inlasning as inlasning

    d = tmp_path / "t"
    d.mkdir()
    (d / "forbund.yaml").write_text(
        "id: t\nnamn: T\nkommuner: [A]\ninsatser: [Team]\nperioder: ['2019']\n",
        encoding="utf-8",
    )
    (d / "avslut.csv").write_text("period;insats;utfall;antal\n2019;Team;Arbete;3\n")

    def krascha(*args, **kwargs):
        raise MemoryError("slut på minne")

    monkeypatch.setattr(inlasning, "_las_fil", krascha)
    assert main(["validera", str(d)]) == 2
    fel = capsys.readouterr().err
    assert "avslut.csv: filen är för stor för att läsas i minnet" in fel
