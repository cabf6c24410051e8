"""indata.egen_fil: rubrikrader, rubriker över två rader, sammanfogade celler, summarader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from finsam_analys.indata.egen_fil import las_egen_fil
from finsam_analys.indata.inlasning import InlasningsFel


def _bok(tmp_path: Path, blad: dict[str, list[list]], **kw) -> Path:
    bok = openpyxl.Workbook()
    bok.remove(bok.active)
    for namn, rader in blad.items():
        ark = bok.create_sheet(namn)
        for rad in rader:
            ark.append(rad)
        for omrade in kw.get("sammanfogade", {}).get(namn, ()):
            ark.merge_cells(omrade)
        if namn in kw.get("dolda", ()):
            ark.sheet_state = "hidden"
    fil = tmp_path / "egen.xlsx"
    bok.save(fil)
    return fil


def test_rubrik_over_tva_rader_utan_sammanfogning(tmp_path):
    # "ORS" står över två kolumner utan att vara sammanfogad; "in"/"ut" på raden under
    fil = _bok(
        tmp_path,
        {
            "Team": [
                ["Uppföljning 2023"],
                [],
                ["Nr", "Start", "ORS", None, "Steg", None],
                [None, None, "in", "ut", "start", "slut"],
                [1, dt.datetime(2023, 1, 5), 12, 20, 1, 3],
                [2, dt.datetime(2023, 2, 1), 30, None, 2, None],
            ]
        },
    )
    blad = las_egen_fil(fil).blad[0]
    assert list(blad.data.columns) == ["Nr", "Start", "ORS in", "ORS ut", "Steg start", "Steg slut"]
    assert blad.rubrikrader == (3, 4)
    assert blad.data.index.tolist() == [5, 6]
    assert blad.titel == ("Uppföljning 2023",)


def test_sammanfogade_celler_i_datat_fylls_och_summarader_hoppas_over(tmp_path):
    fil = _bok(
        tmp_path,
        {
            "Team": [
                ["Start", "Kommun", "Kön"],
                ["2023-01-05", "Sala", "K"],
                ["2023-01-09", None, "M"],
                ["Totalt", None, 2],
                [],
                ["2023-02-01", "Heby", "K"],
                [],
                ["Källa: egen uppföljning"],
            ]
        },
        sammanfogade={"Team": ["B2:B3"]},
    )
    blad = las_egen_fil(fil).blad[0]
    assert blad.data["Kommun"].tolist() == ["Sala", "Sala", "Heby"]
    assert blad.data.index.tolist() == [2, 3, 6]
    assert blad.hoppade == (4, 8)
    assert blad.tomma_rader == 1


def test_dolda_och_tomma_blad_hoppas_over_utom_nar_de_efterfragas(tmp_path):
    fil = _bok(
        tmp_path,
        {
            "Instruktion": [["Fyll i en rad per deltagare."]],
            "Tomt": [],
            "Arkiv": [["Start", "Kön"], ["2020-01-01", "K"]],
            "Team": [["Start", "Kön"], ["2023-01-01", "M"]],
        },
        dolda=["Arkiv"],
    )
    egen = las_egen_fil(fil)
    assert [b.namn for b in egen.blad] == ["Team"]
    assert dict(egen.hoppade_blad) == {
        "Instruktion": "ingen rubrikrad (bara text i en kolumn)",
        "Tomt": "bladet är tomt",
        "Arkiv": "bladet är dolt",
    }
    assert [b.namn for b in las_egen_fil(fil, blad=["Arkiv"]).blad] == ["Arkiv"]


def test_personnummer_i_titelrad_eller_rubrik_stoppar_utan_att_visas(tmp_path):
    fil = _bok(tmp_path, {"Team": [["Lista för 191212121212"], ["Start", "Kön"], [44927, "K"]]})
    with pytest.raises(InlasningsFel) as fel:
        las_egen_fil(fil)
    text = fel.value.rapport()
    assert 'bladet "Team"' in text and "rad 1" in text and "kolumn \"A\"" in text
    assert "1212" not in text


def test_kallfilen_andras_inte(tmp_path):
    fil = _bok(tmp_path, {"Team": [["Start", "Kön"], ["2023-01-01", "M"]]})
    fore = fil.read_bytes()
    las_egen_fil(fil)
    assert fil.read_bytes() == fore


def test_xls_och_trasig_fil_ger_svenskt_fel(tmp_path):
    gammal = tmp_path / "gammal.xls"
    gammal.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InlasningsFel, match="stöds inte"):
        las_egen_fil(gammal)
    trasig = tmp_path / "trasig.xlsx"
    trasig.write_bytes(b"PK\x03\x04inte en zip")
    with pytest.raises(InlasningsFel, match="kan inte läsas som Excel-fil"):
        las_egen_fil(trasig)


@pytest.mark.parametrize("namn", ["skyddad.xlsx", "skyddad.xlsm", "skyddad.csv"])
def test_losenordsskyddad_arbetsbok_ger_ett_svenskt_rad(tmp_path, namn):
    """En krypterad arbetsbok är ett OLE-paket, vilket filnamn den än har."""
    fil = tmp_path / namn
    fil.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(InlasningsFel) as fel:
        las_egen_fil(fil)
    text = str(fel.value.problem[0].text())
    assert "lösenordsskyddad" in text and "spara en kopia utan lösenord" in text
