"""Tester för kommandoradens gemensamma delar: svensk hjälptext och svenska felmeddelanden.

Underkommandona testas i test_cli_validera.py och test_cli_granska.py (och rapport/batch i
test_korning.py).
"""

from __future__ import annotations

import pytest

from finsam_analys.cli import main


def _kor(argv, capsys):
    with pytest.raises(SystemExit) as slut:
        main(argv)
    fangat = capsys.readouterr()
    return slut.value.code, fangat.out, fangat.err


def test_hjalpen_ar_pa_svenska(capsys):
    kod, ut, _ = _kor(["batch", "--help"], capsys)
    assert kod == 0
    assert ut.startswith("användning: finsam-analys batch")
    assert "flaggor:" in ut and "visa den här hjälpen och avsluta" in ut
    assert "katalogen med förbundskataloger" in ut
    for engelska in ("usage:", "options:", "show this help"):
        assert engelska not in ut


@pytest.mark.parametrize(
    ("argv", "vantat"),
    [
        ([], "finsam-analys: fel: följande argument saknas: KOMMANDO"),
        (
            ["rapport", "--period", "2024"],
            "finsam-analys rapport: fel: följande argument saknas: --forbund",
        ),
        (
            ["batch", "--processer", "två"],
            "finsam-analys batch: fel: argumentet --processer: 'två' är inte ett heltal",
        ),
        (["batch", "--processer"], "argumentet --processer: värde saknas"),
        (["batch", "--okand"], "finsam-analys: fel: okända argument: --okand"),
        (["exportera"], "ogiltigt val 'exportera' (välj bland 'ny', 'validera', 'granska'"),
        (["batch", "--skapad", "igår"], "Ogiltigt skapandedatum 'igår'; ange ÅÅÅÅ-MM-DD."),
    ],
)
def test_fel_pa_kommandoraden_ger_svenskt_meddelande_och_slutkod_2(argv, vantat, capsys):
    kod, ut, fel = _kor(argv, capsys)
    assert kod == 2
    assert ut == ""
    assert vantat in fel
    assert fel.startswith("användning: finsam-analys")
    assert "Traceback" not in fel and "error:" not in fel


def test_stangt_ror_ger_inget_felspar():
    """``finsam-analys granska data/vasteras | head -1``: läsaren slutar läsa efter början;
    kommandot slutar tyst med 141 (128 + SIGPIPE) i stället för ett felspår om BrokenPipeError."""
    import subprocess
    import sys
    from pathlib import Path

    rot = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "finsam_analys.cli", "granska", "data/vasteras"],
        cwd=rot, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout.read(10)
    process.stdout.close()
    with process.stderr:
        fel = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in fel and "BrokenPipe" not in fel and fel == ""
