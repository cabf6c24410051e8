"""Inläsning: CSV-varianter, Excel, mappning, datum, radnummer och orörda råfiler."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from finsam_analys.indata.inlasning import (
    InlasningsFel,
    _tolka_datum,
    _tolka_tal,
    las_forbund,
    las_tabell,
)
from finsam_analys.indata.underlag import Forbundskonfig

KONFIG = """id: {id}
namn: Testförbundet
kommuner: [Teststad]
insatser: [Trädgård, MAC]
perioder: ["2019"]
kolumner:
  deltagare: {{"Personens id": deltagare_id, "Insats": insats, "Startdatum": inskrivningsdatum,
              "Slutdatum": avslutsdatum, "Orsak": avslutsorsak, "ORS start": halsopoang_start}}
kategorier:
  avslutsorsak: {{"Avslut - arbete": Arbete, "Avslut - studier": Studier}}
"""

RUBRIKER = ["Personens id", "Insats", "Kön", "Startdatum", "Slutdatum", "Orsak", "ORS start"]
RADER = [
    ["p1", "Trädgård", "Kvinna", "2019-01-31", "2019-06-30", "Avslut - arbete", 12.5],
    ["p2", "MAC", "Män", "2019-02-01", None, None, 30],
    ["p3", "MAC", "Man", "2019-03-15", "2019-09-01", "Avslut - studier", 7.25],
]


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _forbund(tmp_path: Path, namn: str) -> Path:
    d = tmp_path / namn
    d.mkdir()
    (d / "forbund.yaml").write_text(KONFIG.format(id=namn), encoding="utf-8")
    return d


def _csv(rader, avgransare: str, decimal: str) -> str:
    ut = [avgransare.join(RUBRIKER)]
    for rad in rader:
        celler = []
        for v in rad:
            if v is None:
                celler.append("")
            elif isinstance(v, float):
                celler.append(str(v).replace(".", decimal))
            else:
                celler.append(str(v))
        ut.append(avgransare.join(celler))
    return "\r\n".join(ut) + "\r\n"


def _semikolon_cp1252(d: Path) -> None:
    (d / "deltagare.csv").write_bytes(_csv(RADER, ";", ",").encode("cp1252"))


def _komma_bom(d: Path) -> None:
    (d / "deltagare.csv").write_bytes(b"\xef\xbb\xbf" + _csv(RADER, ",", ".").encode("utf-8"))


def _xlsx_titelrad(d: Path) -> None:
    bok = Workbook()
    ark = bok.active
    ark.title = "Deltagare"
    ark.append(["Deltagare i Testförbundet, uttag 2020-01-10"])
    ark.append([])
    ark.append(RUBRIKER)
    for rad in RADER:
        ut = list(rad)
        for i in (3, 4):
            if ut[i] is not None:
                ut[i] = dt.datetime.fromisoformat(ut[i])
        ark.append(ut)
    bok.save(d / "deltagare.xlsx")


def test_samma_data_ger_identiska_frames(tmp_path):
    frames = []
    for namn, skriv in [("semi", _semikolon_cp1252), ("komma", _komma_bom), ("xl", _xlsx_titelrad)]:
        d = _forbund(tmp_path, namn)
        skriv(d)
        frames.append(las_forbund(d).tabell("deltagare"))
    for f in frames[1:]:
        pd.testing.assert_frame_equal(frames[0], f)
    df = frames[0]
    assert df["deltagare_id"].tolist() == ["p1", "p2", "p3"]
    assert df["kon"].tolist() == ["Kvinna", "Man", "Man"]  # "Män" är en vanlig synonym
    assert df["avslutsorsak"].tolist()[0] == "Arbete"
    assert pd.isna(df["avslutsorsak"].iloc[1])
    assert df["halsopoang_start"].tolist() == [12.5, 30.0, 7.25]
    assert df["inskrivningsdatum"].tolist() == [
        pd.Timestamp("2019-01-31"),
        pd.Timestamp("2019-02-01"),
        pd.Timestamp("2019-03-15"),
    ]
    assert str(df["inskrivningsdatum"].dtype) == "datetime64[us]"
    assert str(df["fodelsear"].dtype) == "Int64"  # saknad valfri kolumn finns, tom
    assert df["fodelsear"].isna().all()
    assert list(df.index) == [0, 1, 2]


@pytest.mark.parametrize(
    "kodning", ["utf-8", "utf-8-sig", "cp1252", "utf-16"], ids=lambda k: k.replace("-", "")
)
def test_kodningar(tmp_path, kodning):
    fil = tmp_path / "avslut.csv"
    fil.write_bytes("period;insats;utfall;antal\n2019;Trädgård;Arbete;3\n".encode(kodning))
    df = las_tabell(fil, "avslut")
    assert df["insats"].tolist() == ["Trädgård"]


def test_tabbseparerad_och_citattecken(tmp_path):
    fil = tmp_path / "remisser.csv"
    fil.write_text(
        'period\tremittent\tinriktning\tantal\n2019\tAF\t"MAC, grupp\ntvå"\t16\n',
        encoding="utf-8",
    )
    df = las_tabell(fil, "remisser")
    assert df["inriktning"].tolist() == ["MAC, grupp\ntvå"]
    assert df["antal"].tolist() == [16]


def test_komma_csv_med_citerat_decimalkomma(tmp_path):
    fil = tmp_path / "nyckeltal_publicerade.csv"
    fil.write_text(
        'period,indikator,varde,enhet\n2015-07..2016-06,genomstromningstid,"8,46",manader\n',
        encoding="utf-8",
    )
    assert las_tabell(fil, "nyckeltal_publicerade")["varde"].tolist() == [8.46]


def test_rainput_andras_inte(tmp_path):
    d = _forbund(tmp_path, "orord")
    _xlsx_titelrad(d)
    (d / "avslut.csv").write_bytes(
        "period;insats;utfall;antal\n2019;MAC;Arbete;-3\n".encode("cp1252")
    )
    fore = {p.name: _sha(p) for p in d.iterdir()}
    with pytest.raises(InlasningsFel):
        las_forbund(d)
    (d / "avslut.csv").write_bytes(b"period;insats;utfall;antal\n2019;MAC;Arbete;3\n")
    fore["avslut.csv"] = _sha(d / "avslut.csv")
    las_forbund(d)
    assert {p.name: _sha(p) for p in d.iterdir()} == fore


def test_radnummer_som_i_excel_med_titelrad_och_tomma_rader(tmp_path):
    bok = Workbook()
    ark = bok.active
    ark.append(["Avslut 2019"])
    ark.append(["period", "insats", "utfall", "antal"])
    ark.append(["2019", "MAC", "Arbete", 3])
    ark.append([])
    ark.append(["2019", "MAC", "Studier", "tre"])
    bok.save(tmp_path / "avslut.xlsx")
    with pytest.raises(InlasningsFel) as fel:
        las_tabell(tmp_path / "avslut.xlsx", "avslut")
    (p,) = fel.value.problem
    assert p.rader == (5,)
    assert p.kolumn == "antal"
    assert p.varde == "tre"


def test_namngivet_blad(tmp_path):
    bok = Workbook()
    bok.active.append(["annat"])
    ark = bok.create_sheet("Data")
    ark.append(["period", "insats", "utfall", "antal"])
    ark.append([2019, "MAC", "Arbete", 3.0])
    bok.save(tmp_path / "x.xlsx")
    df = las_tabell(tmp_path / "x.xlsx", "avslut", blad="Data")
    assert df["period"].tolist() == ["2019"]  # Excel-talet 2019 blir periodkoden "2019"
    assert df["antal"].tolist() == [3]


def test_alla_fel_samlas_i_alla_filer(tmp_path):
    d = _forbund(tmp_path, "manga")
    (d / "avslut.csv").write_text(
        "period;insats;utfall;antal\n2019;MAC;Jobb;-1\n2019;Okänd;Arbete;x\n", encoding="utf-8"
    )
    (d / "remisser.csv").write_text(
        "period;remittent;inriktning;antal\n2019;Polisen;MAC;3\n", encoding="utf-8"
    )
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    koder = sorted((p.fil, p.kod) for p in fel.value.problem)
    assert koder == [
        ("avslut.csv", "intervall"),
        ("avslut.csv", "kategori"),
        ("avslut.csv", "kategori"),
        ("avslut.csv", "typ"),
        ("remisser.csv", "kategori"),
    ]
    rapport = fel.value.rapport()
    assert rapport.startswith(f"Indata i {d} har 5 problem:")
    assert 'avslut.csv, rad 3, kolumn "antal": värdet kan inte tolkas som ett tal' in rapport


def test_kolumnmappning_och_normaliserade_rubriker(tmp_path):
    fil = tmp_path / "helarsekvivalenter.csv"
    fil.write_text(
        "Region;Regiontyp;År;Ersättningsform;Kön;HÅE;Folkmängd 20-64\n"
        "Västerås;kommun;2020;Sjukpenning;Kvinnor;1 905;88 586\n",
        encoding="utf-8",
    )
    konfig, _ = Forbundskonfig.fran_dict(
        {
            "id": "x",
            "namn": "X",
            "kommuner": ["Västerås"],
            "insatser": ["SOT"],
            "perioder": ["2020"],
            "kolumner": {"helarsekvivalenter": {"HÅE": "hae"}},
        }
    )
    df = las_tabell(fil, "helarsekvivalenter", konfig=konfig)
    assert df["hae"].tolist() == [1905.0]
    assert df["folkmangd_20_64"].tolist() == [88586]
    assert df["kon"].tolist() == ["Kvinnor"]  # SCB-kön behålls (ingen synonym här)
    assert df["ar"].tolist() == [2020]


def test_publicerade_och_allmanna_kolumner(tmp_path):
    fil = tmp_path / "avslut.csv"
    fil.write_text(
        "period;insats;utfall;antal;andel_publicerad;kommentar;kalltabell\n"
        "2019;MAC;Arbete;7;13 %;tryckt;s. 2\n",
        encoding="utf-8",
    )
    df = las_tabell(fil, "avslut")
    assert df["andel_publicerad"].tolist() == [13.0]
    assert df["kommentar"].tolist() == ["tryckt"]
    assert list(df.columns[:6]) == ["period", "insats", "utfall", "antal", "avslutstyp", "del_av"]


def test_tal_i_svenska_former():
    serie = pd.Series(["1 234,5", "−2", "13 %", "0.25", "1.234.567", "7 306 tkr", None, "1,234.5"])
    assert _tolka_tal(serie).tolist()[:6] == [1234.5, -2.0, 13.0, 0.25, 1234567.0, 7306.0]
    assert np.isnan(_tolka_tal(serie).iloc[6])
    assert _tolka_tal(serie).iloc[7] == 1234.5


@pytest.mark.parametrize(
    "text",
    [
        "2019-01-31",
        "20190131",
        "190131",
        "31/1 2019",
        "31/1/2019",
        "31.1.2019",
        "2019-01-31 00:00:00",
        "2019-01-31 13:45",
        "2019/01/31",
        "2019-1-31",
    ],
)
def test_datum_i_svenska_former(text):
    assert _tolka_datum(pd.Series([text], dtype="str")).iloc[0] == pd.Timestamp("2019-01-31")


@pytest.mark.parametrize("text", ["2019-02-30", "31/13 2019", "igår", "2019-01-31 25"])
def test_ogiltiga_datum(text):
    assert pd.isna(_tolka_datum(pd.Series([text], dtype="str")).iloc[0])


def test_las_tabell_saknad_fil_och_okand_tabell(tmp_path):
    with pytest.raises(InlasningsFel, match="filen finns inte"):
        las_tabell(tmp_path / "nej.csv", "avslut")
    (tmp_path / "a.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(InlasningsFel, match='okänd tabell "avslutt"'):
        las_tabell(tmp_path / "a.csv", "avslutt")


def test_ovriga_filer_i_katalogen_ignoreras(tmp_path):
    d = _forbund(tmp_path, "ovrigt")
    (d / "avslut.csv").write_text("period;insats;utfall;antal\n2019;MAC;Arbete;3\n")
    (d / "granskning_pastaenden.csv").write_text(
        "tabell;pastaende;typ;publicerat;decimaler;uttryck\n"
        "s. 3;7 av 14 = 50 %;andel;50;0;7 / 14 * 100\n"
    )
    (d / "README.md").write_text("# hej\n")
    u = las_forbund(d)
    assert set(u.tabeller) == {"avslut"}
    assert u.filer == {"avslut": "avslut.csv"}
    assert u.pastaenden["publicerat"].tolist() == ["50"]


def test_trasig_pastaendefil_rapporteras_av_validera(tmp_path):
    # Påståendefilen kontrolleras som övriga indata: alla problem, rad som i Excel.
    d = _forbund(tmp_path, "pastaenden")
    (d / "avslut.csv").write_text("period;insats;utfall;antal\n2019;MAC;Arbete;3\n")
    (d / "granskning_pastaenden.csv").write_text(
        "tabell;pastaende;typ;publicerat;decimaler;uttryck\n"
        "s. 3;minskade med 37 procent;minskning;-37;0;(23036 - 37058) / 37058 * 100\n"
        "s. 4;ökade med 55 %;förändring;55;noll;__import__('os')\n"
    )
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    texter = [p.text() for p in fel.value.problem]
    assert any('rad 2, kolumn "typ"' in t and "minskning" in t for t in texter)
    assert any('rad 3, kolumn "decimaler"' in t for t in texter)
    assert any('rad 3, kolumn "uttryck"' in t and "Otillåtet" in t for t in texter)
    assert len(texter) == 3


def test_personnummer_i_pastaendefilen_stoppar_lasningen(tmp_path):
    """Påståendefilen är ingen tabell, men personnummerspärren gäller den också."""
    d = _forbund(tmp_path, "pastaenden")
    (d / "avslut.csv").write_text("period;insats;utfall;antal\n2019;MAC;Arbete;3\n")
    (d / "granskning_pastaenden.csv").write_text(
        "tabell;pastaende;typ;publicerat;decimaler;uttryck\n"
        "s. 3;19121212-1212 fick arbete;andel;50;0;7 / 14 * 100\n"
    )
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    assert [p.kod for p in fel.value.problem] == ["personnummer"]
    assert "1212" not in fel.value.rapport()


def test_trasig_konfig_rapporteras_tillsammans_med_tabellfel(tmp_path):
    d = tmp_path / "trasig"
    d.mkdir()
    (d / "forbund.yaml").write_text("id: trasig\nnamn: T\n", encoding="utf-8")
    (d / "avslut.csv").write_text("period;insats;utfall;antal\n2019;MAC;Arbete;-3\n")
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    koder = {p.kod for p in fel.value.problem}
    assert koder == {"konfig", "intervall"}


def test_saknad_kolumn_hindrar_inte_ovriga_kontroller(tmp_path):
    fil = tmp_path / "avslut.csv"
    fil.write_text("period;utfall;antal\n2019;Arbete;-1\n2019;Arbete;2\n", encoding="utf-8")
    with pytest.raises(InlasningsFel) as fel:
        las_tabell(fil, "avslut")
    assert sorted(p.kod for p in fel.value.problem) == ["intervall", "saknad_kolumn"]


def _svenskt(tal: float) -> str:
    """Talet som en svensk Excel-export skriver det: mellanslag som tusental, decimalkomma."""
    heltal, _, decimaler = f"{abs(tal):.2f}".partition(".")
    grupper = []
    while heltal:
        grupper.insert(0, heltal[-3:])
        heltal = heltal[:-3]
    return ("−" if tal < 0 else "") + " ".join(grupper) + "," + decimaler


def test_svenskt_tal_handexempel():
    assert _svenskt(-1234567.5) == "−1 234 567,50"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_svenska_tal_tolkas_tillbaka(tal):
    serie = pd.Series([_svenskt(tal), f"{tal:.2f}"], dtype="str")
    assert _tolka_tal(serie).tolist() == pytest.approx([tal, tal], abs=1e-9)


def test_manga_olika_fel_sammanfattas(tmp_path):
    n = 20_000
    rader = [f"2019;MAC;Yrke{i};x{i}" for i in range(n)]
    fil = tmp_path / "avslut.csv"
    fil.write_text("period;insats;utfall;antal\n" + "\n".join(rader) + "\n", encoding="utf-8")
    with pytest.raises(InlasningsFel) as fel:
        las_tabell(fil, "avslut")
    problem = fel.value.problem
    assert len(problem) == 2 * 21  # 20 värden + en sammanfattning per kolumn
    sammanfattningar = [p for p in problem if p.meddelande.startswith("ytterligare")]
    assert len(sammanfattningar) == 2
    assert all(len(p.rader) == n - 20 for p in sammanfattningar)
    rapport = fel.value.rapport()
    assert rapport.count("ytterligare 19980 olika värden") == 2


def _stada_kolumnvis(rutnat: pd.DataFrame, *, hart: bool) -> pd.DataFrame:
    """Referens: kolumn för kolumn, som text, trimmad, tomma celler NaN."""
    ut = {}
    for j in rutnat.columns:
        kol = rutnat[j].astype("str")
        if hart:
            kol = kol.str.replace("\u00a0", " ", regex=False)
        kol = kol.str.strip()
        ut[j] = kol.where(kol != "")
    return pd.DataFrame(ut, index=rutnat.index, columns=rutnat.columns)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 6),
    st.integers(0, 4),
    st.data(),
    st.booleans(),
)
def test_stada_rutnat_som_kolumnvis(rader, kolumner, data, hart):
    """Rutnätet städat i ett svep ger samma celler och typer som kolumn för kolumn."""
    from finsam_analys.indata.inlasning import _stada_rutnat

    cell = st.one_of(st.text(alphabet=" \u00a0\tAå1;\n", max_size=5), st.just(np.nan))
    rutnat = pd.DataFrame(
        {
            j: pd.Series(data.draw(st.lists(cell, min_size=rader, max_size=rader)), dtype=object)
            for j in range(kolumner)
        },
        index=range(rader),
        columns=range(kolumner),
    )
    fore = rutnat.copy()
    forvantat = _stada_kolumnvis(rutnat, hart=hart)
    # i ett svep (små rutnät) och kolumn för kolumn (rutnät över _SVEP_MAX_CELLER)
    for grans in (10**9, 0):
        with mock.patch("finsam_analys.indata.inlasning._SVEP_MAX_CELLER", grans):
            stadat = _stada_rutnat(rutnat, hart=hart)
        pd.testing.assert_frame_equal(rutnat, fore)
        pd.testing.assert_frame_equal(stadat, forvantat, check_exact=True)
        assert list(stadat.dtypes) == list(forvantat.dtypes)


def _misstankta_kolumnvis(rutnat: pd.DataFrame, fil: str) -> list:
    """Referens: kolumn för kolumn, utan förkontroll för hela rutnätet."""
    from finsam_analys.indata import filer
    from finsam_analys.indata.inlasning import _kolumnbokstav

    problem = []
    avgransare = rutnat.attrs.get("avgransare")
    minsta = max(2, int(rutnat.notna().any().sum()) - 2)
    for j in rutnat.columns:
        kolumn = rutnat[j]
        if avgransare and rutnat.attrs.get("citattecken", True):
            for i in range(len(kolumn)):
                v = kolumn.iloc[i]
                if isinstance(v, str) and "\n" in v:
                    inre = v.split("\n")[1:]
                    if any(rad.count(avgransare) >= minsta for rad in inre):
                        problem.append(("olaslig_fil", i + 1, _kolumnbokstav(int(j))))
                        break
        langa = [
            i + 1 for i, v in enumerate(kolumn) if isinstance(v, str) and len(v) > filer.MAX_CELL
        ]
        if langa:
            problem.append(("for_stor", tuple(langa), _kolumnbokstav(int(j))))
    return problem


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 5), st.integers(0, 4), st.data(), st.booleans())
def test_misstankta_celler_som_kolumnvis(rader, kolumner, data, citattecken):
    from finsam_analys.indata import filer
    from finsam_analys.indata.inlasning import _misstankta_celler

    lang = "x" * (filer.MAX_CELL + 1)
    cell = st.one_of(
        st.text(alphabet="a;\n", max_size=8), st.just(np.nan), st.just(lang), st.just("a\n;;;;")
    )
    rutnat = pd.DataFrame(
        {
            j: pd.Series(data.draw(st.lists(cell, min_size=rader, max_size=rader)), dtype="str")
            for j in range(kolumner)
        },
        index=range(rader),
        columns=range(kolumner),
    )
    rutnat.attrs.update(avgransare=";", citattecken=citattecken)
    for grans in (10**9, 0):  # med och utan förkontrollen för hela rutnätet
        with mock.patch("finsam_analys.indata.inlasning._SVEP_MAX_CELLER", grans):
            problem = _misstankta_celler(rutnat, "f.csv")
        forenklat = [
            (p.kod, p.rader if p.kod == "for_stor" else p.rader[0], p.kolumn) for p in problem
        ]
        assert forenklat == _misstankta_kolumnvis(rutnat, "f.csv")
