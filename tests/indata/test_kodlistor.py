"""Kodlistorna och summaradernas ordförråd: en plats, en definition."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from finsam_analys import tabell
from finsam_analys.indata import kodlistor, scheman
from finsam_analys.indata.kodlistor import SUMMAORD, TOTALT, ar_summarad
from finsam_analys.matt.andelar import andelar
from finsam_analys.matt.rakning import utan_summarader

PAKET = Path(__file__).resolve().parents[2] / "finsam_analys"


@pytest.mark.parametrize(
    "etikett",
    [
        "Totalt",
        "totalt",
        " TOTAL ",
        "Totala kostnader",
        "Totalsumma",
        "Summa",
        "SUMMA",
        "Summa tkr",
        "TOTAL summa tkr",
        "Sum",
        "S:a",
        "Samtliga",
        "Samtliga insatser",
        "Totalt:",
    ],
)
def test_summarader_kanns_igen(etikett):
    assert ar_summarad(etikett)


@pytest.mark.parametrize(
    "etikett",
    [
        "Totalkostnad",
        "Summerat",
        "Alla",
        "Alla insatser",
        "Arbete",
        "Kvinna",
        "Antal",
        "",
        "  ",
        None,
        7,
        2.5,
    ],
)
def test_annat_ar_ingen_summarad(etikett):
    assert not ar_summarad(etikett)


def test_varje_ord_i_ordforradet_ar_en_summa():
    assert all(ar_summarad(o) and ar_summarad(o.upper()) for o in SUMMAORD)
    assert ar_summarad(TOTALT)


def test_kodlistor_ar_platsen_att_sla_upp():
    """Namnen i kodlistor är samma objekt som de som används i tabellmodellen och schemana."""
    assert kodlistor.TOTALT is tabell.TOTALT
    assert kodlistor.ar_summarad is tabell.ar_summarad
    assert scheman.KON is kodlistor.KON
    assert set(kodlistor.__all__) <= set(dir(kodlistor))


def test_totalt_definieras_en_gang():
    """Ingen modul utom tabell.py ger ett namn värdet "Totalt" (alla importerar TOTALT)."""
    definitioner = []
    for fil in sorted(PAKET.rglob("*.py")):
        for nod in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
            if (
                isinstance(nod, (ast.Assign, ast.AnnAssign))
                and isinstance(nod.value, ast.Constant)
                and nod.value.value == TOTALT
            ):
                definitioner.append(f"{fil.relative_to(PAKET)}:{nod.lineno}")
    assert len(definitioner) == 1, definitioner
    assert definitioner[0].startswith("tabell.py:")


def test_matten_och_rakningen_anvander_samma_ordforrad():
    with pytest.raises(ValueError, match="summarad"):
        andelar(pd.Series({"Arbete": 3, "Samtliga": 3}))
    t = pd.DataFrame({"utfall": ["Arbete", "S:a", "Samtliga utfall"], "antal": [3, 3, 3]})
    assert utan_summarader(t, "utfall")["utfall"].tolist() == ["Arbete"]
