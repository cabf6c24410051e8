"""Rapportutdata: katalognamn, atomär skrivning, nyckeltal, tabeller, index."""

from __future__ import annotations

import json
import os

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.korning import utdata
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.html_export import externa_referenser

# ------------------------------------------------------------------ periodkatalog


@pytest.mark.parametrize(
    ("period", "katalog"),
    [
        ("2019", "2019"),
        (2019, "2019"),
        ("2021-01..2021-08", "2021-01_2021-08"),
        ("2015-07..2016-06", "2015-07_2016-06"),
        ("2015-07 – 2016-06", "2015-07_2016-06"),
        ("2019H1", "2019H1"),
        ("2019-01-01..2019-11-30", "2019-01-01_2019-11-30"),
    ],
)
def test_periodkatalog(period, katalog):
    assert utdata.periodkatalog(period) == katalog


@settings(deadline=None)
@given(
    ar=st.integers(1990, 2100),
    man=st.integers(1, 12),
    langd=st.integers(1, 36),
)
def test_periodkatalog_ar_giltigt_katalognamn_och_entydigt(ar, man, langd):
    index = ar * 12 + man - 1 + langd - 1
    kod = f"{ar}-{man:02d}..{index // 12}-{index % 12 + 1:02d}"
    namn = utdata.periodkatalog(kod)
    assert ".." not in namn and "/" not in namn and namn not in {".", ""}
    # går att översätta tillbaka till samma period
    assert Rapportperiod.tolka(namn.replace("_", "..")) == Rapportperiod.tolka(kod)


def test_rapportkatalog_vagrar_sokvagar(tmp_path):
    for ogiltigt in ("", "..", "a/b", "."):
        with pytest.raises(ValueError, match="Ogiltigt förbundsnamn"):
            utdata.rapportkatalog(tmp_path, ogiltigt, "2019")


# ------------------------------------------------------------------ atomär skrivning


def test_skriv_atomart_ersatter_och_lamnar_inga_tempfiler(tmp_path):
    fil = tmp_path / "ny" / "rapport.html"
    utdata.skriv_atomart(fil, "första")
    utdata.skriv_atomart(fil, b"andra")
    assert fil.read_bytes() == b"andra"
    assert [p.name for p in fil.parent.iterdir()] == ["rapport.html"]


def test_skriv_atomart_behaller_gammal_fil_vid_fel(tmp_path, monkeypatch):
    fil = tmp_path / "nyckeltal.json"
    fil.write_text("gammal", encoding="utf-8")

    def trasig_replace(*args):
        raise OSError("disken full")

    monkeypatch.setattr(os, "replace", trasig_replace)
    with pytest.raises(OSError, match="disken full"):
        utdata.skriv_atomart(fil, "ny")
    assert fil.read_text(encoding="utf-8") == "gammal"
    assert [p.name for p in tmp_path.iterdir()] == ["nyckeltal.json"]


# ------------------------------------------------------------------ nyckeltal


def test_spara_nyckeltal_innehall(tmp_path):
    sokvag = utdata.spara_nyckeltal(
        {
            "studier": np.float64(5 / 55),
            "arbete": 7 / 55,
            "antal": np.int64(55),
            "saknas": float("nan"),
            "uppfyllt": np.bool_(False),
            "enhet": "andel",
        },
        utdata_katalog=tmp_path,
        forbund="vasteras",
        period="2021-01..2021-08",
        forbundsnamn="Samordningsförbundet Västerås",
    )
    assert sokvag == tmp_path / "vasteras" / "2021-01_2021-08" / "nyckeltal.json"
    innehall = json.loads(sokvag.read_text(encoding="utf-8"))
    assert innehall["forbund"] == "vasteras"
    assert innehall["forbundsnamn"] == "Samordningsförbundet Västerås"
    assert innehall["period"] == "2021-01..2021-08"
    assert innehall["periodnamn"] == "januari–augusti 2021"
    tal = innehall["nyckeltal"]
    assert list(tal) == sorted(tal)
    assert tal == {
        "antal": 55,
        "arbete": 7 / 55,
        "enhet": "andel",
        "saknas": None,
        "studier": 5 / 55,
        "uppfyllt": False,
    }
    assert type(tal["antal"]) is int


def test_spara_nyckeltal_deterministisk(tmp_path):
    a = utdata.spara_nyckeltal(
        {"b": 1, "a": 0.5}, utdata_katalog=tmp_path / "a", forbund="f", period="2019"
    )
    b = utdata.spara_nyckeltal(
        {"a": 0.5, "b": 1}, utdata_katalog=tmp_path / "b", forbund="f", period="2019"
    )
    assert a.read_bytes() == b.read_bytes()


def test_spara_nyckeltal_vagrar_tabeller(tmp_path):
    with pytest.raises(TypeError, match="Nyckeltalet 'tabell'"):
        utdata.spara_nyckeltal(
            {"tabell": pd.DataFrame({"a": [1]})},
            utdata_katalog=tmp_path,
            forbund="f",
            period="2019",
        )


# ------------------------------------------------------------------ tabeller


def test_spara_tabeller_ett_blad_per_tabell(tmp_path):
    lang = "Avslut per insats och utfall, andel av alla avslut 2019"
    korstabell = pd.DataFrame(
        [[5, 0, 2], [2, 2, 1]],
        index=pd.Index(["Arbete", "Studier"], name="utfall"),
        columns=pd.MultiIndex.from_tuples(
            [("antal", "MAC"), ("antal", "Upplevelse"), ("antal", "Trädgård")]
        ),
    )
    original = korstabell.copy()
    sokvag = utdata.spara_tabeller(
        {
            lang: korstabell,
            "Budget/utfall [tkr]": pd.DataFrame({"post": ["Insatser"], "utfall": [1234.5]}),
            lang[:31] + " igen": pd.DataFrame({"a": [1]}),
        },
        utdata_katalog=tmp_path,
        forbund="vasteras",
        period="2019",
    )
    pd.testing.assert_frame_equal(korstabell, original)
    blad = pd.read_excel(sokvag, sheet_name=None, header=5)  # titel, förbund, källa, enhet
    namn = list(blad)
    assert namn[0] == "Avslut per insats och utfall"  # vid ett ordslut, inget ", a"
    assert namn[1] == "Budget-utfall (tkr)"
    assert namn[2] != namn[0] and len(namn[2]) <= 31 and namn[2] == namn[2].strip()
    forsta = blad[namn[0]]
    assert forsta.columns.tolist() == [
        "utfall",
        "antal – MAC",
        "antal – Upplevelse",
        "antal – Trädgård",
    ]
    assert forsta["antal – Trädgård"].tolist() == [2, 1]
    assert blad[namn[1]]["utfall"].tolist() == [1234.5]
    bok = openpyxl.load_workbook(sokvag)
    assert bok[namn[0]]["A1"].value == lang and bok[namn[0]].freeze_panes == "A7"


def test_spara_uppfoljning_finsam(tmp_path):
    tabell = pd.DataFrame({"insats": ["SOT", "SOT"], "kon": ["Kvinna", "Man"], "antal": [30, 25]})
    sokvag = utdata.spara_uppfoljning_finsam(
        tabell, inrapportering_katalog=tmp_path / "inrapportering", forbund="vasteras",
        period="2019"
    )  # fmt: skip
    assert sokvag == tmp_path / "inrapportering" / "vasteras" / "2019" / "uppfoljning_finsam.csv"
    assert sokvag.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 med BOM för Excel
    pd.testing.assert_frame_equal(
        pd.read_csv(sokvag, sep=";", decimal=",", encoding="utf-8-sig"), tabell,
        check_dtype=False,
    )


# ------------------------------------------------------------------ insamling och index


def _tva_rapporter(utdatakatalog):
    for forbund, namn, period, tal in [
        ("vasteras", "Samordningsförbundet Västerås", "2021-01..2021-08", {"x": 2}),
        ("vasteras", "Samordningsförbundet Västerås", "2019", {"x": 1, "y": "text"}),
        ("sodra_dalarna", "Södra Dalarnas <Samordningsförbund>", "2015-07..2016-06", {"x": 3}),
    ]:
        sokvag = utdata.spara_nyckeltal(
            tal, utdata_katalog=utdatakatalog, forbund=forbund, period=period, forbundsnamn=namn
        )
        (sokvag.parent / "rapport.html").write_text("<html></html>", encoding="utf-8")


def test_samla_och_skriv_nyckeltal_csv(tmp_path):
    _tva_rapporter(tmp_path)
    lang = utdata.samla_nyckeltal(tmp_path)
    assert lang.columns.tolist() == ["forbund", "period", "nyckel", "varde"]
    assert lang.to_records(index=False).tolist() == [
        ("sodra_dalarna", "2015-07..2016-06", "x", 3),
        ("vasteras", "2019", "x", 1),
        ("vasteras", "2019", "y", "text"),
        ("vasteras", "2021-01..2021-08", "x", 2),
    ]
    sokvag = utdata.skriv_nyckeltal_csv(tmp_path)
    rader = sokvag.read_text(encoding="utf-8-sig").splitlines()
    assert rader[0] == "forbund;period;nyckel;varde"
    assert rader[1] == "sodra_dalarna;2015-07..2016-06;x;3"


def test_samla_nyckeltal_tom_katalog(tmp_path):
    lang = utdata.samla_nyckeltal(tmp_path)
    assert lang.empty and lang.columns.tolist() == ["forbund", "period", "nyckel", "varde"]


def test_skriv_index(tmp_path):
    _tva_rapporter(tmp_path)
    # en rapportkatalog utan rapport.html (misslyckad) länkas inte
    utdata.spara_nyckeltal({"x": 9}, utdata_katalog=tmp_path, forbund="trasig", period="2019")
    utdata.skriv_nyckeltal_csv(tmp_path)
    sida = utdata.skriv_index(
        tmp_path, misslyckade=[("trasig", "2019", "cell 4 (Avslut): KeyError: 'antal'")]
    ).read_text(encoding="utf-8")
    assert '<html lang="sv">' in sida
    lankar = list(dict.fromkeys(externa_referenser(sida)))
    assert lankar == [
        "nyckeltal.csv",
        "sodra_dalarna/2015-07_2016-06/rapport.html",
        "sodra_dalarna/2015-07_2016-06/nyckeltal.json",
        "vasteras/2019/rapport.html",
        "vasteras/2019/nyckeltal.json",
        "vasteras/2021-01_2021-08/rapport.html",
        "vasteras/2021-01_2021-08/nyckeltal.json",
    ]
    for lank in lankar:
        assert (tmp_path / lank).exists()
    assert "Södra Dalarnas &lt;Samordningsförbund&gt;" in sida
    assert "januari–augusti 2021" in sida and "2021-01..2021-08" not in sida
    assert "KeyError: &#x27;antal&#x27;" in sida
    assert "<script" not in sida


def test_skriv_index_utan_rapporter(tmp_path):
    sida = utdata.skriv_index(tmp_path).read_text(encoding="utf-8")
    assert "Inga rapporter ännu" in sida
