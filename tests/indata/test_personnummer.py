"""Personnummerspärren: detektorn och att värdet aldrig syns i utdata."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from finsam_analys.indata.inlasning import InlasningsFel, las_forbund, las_tabell
from finsam_analys.indata.personnummer import (
    ar_personnummer,
    celler_med_personnummer,
    dolj_personnummer,
    luhn_giltig,
    rader_med_personnummer,
)

# Påhittade nummer med giltig kontrollsiffra (Skatteverkets klassiska testnummer m.fl.).
TESTNUMMER = "19121212-1212"
VARIANTER = ["19121212-1212", "191212121212", "121212-1212", "1212121212", "121212+1212"]


def _kontrollsiffra(nio: str) -> int:
    """Luhn räknad för hand i testet (oberoende av modulens kod)."""
    summa = 0
    for i, c in enumerate(nio):
        p = int(c) * (2 - i % 2)
        summa += p if p < 10 else p - 9
    return (10 - summa % 10) % 10


def test_kontrollsiffra_handraknad():
    # 121212121: 2,2,4,2,2,2,4... -> 1*2=2, 2, 1*2=2, 2, 2, 2, 2, 2, 2 = 18 -> 10-8 = 2
    assert _kontrollsiffra("121212121") == 2
    assert luhn_giltig("1212121212")
    assert not luhn_giltig("1212121213")
    # 811218987: Skatteverkets exempel 811218-9876
    assert _kontrollsiffra("811218987") == 6
    assert luhn_giltig("8112189876")


@pytest.mark.parametrize("varde", VARIANTER + [191212121212, 1212121212.0, "  19121212-1212 "])
def test_kanda_format_hittas(varde):
    assert ar_personnummer(varde)


@pytest.mark.parametrize(
    "varde",
    [
        "19121212-1213",  # fel kontrollsiffra
        "121312-1212",  # månad 13
        "2019-01-31",
        "20190131",
        "2015-07..2016-06",
        "20190101-20191231",  # datumintervall, inte personnummer
        "1912121212121",  # 13 siffror
        12.5,
        None,
        True,
        "",
        "D0000317",
    ],
)
def test_annat_hittas_inte(varde):
    assert not ar_personnummer(varde)


def test_samordningsnummer_dag_plus_60():
    nio = "701063239"  # född 3 okt 1970, dag 63
    nummer = nio + str(_kontrollsiffra(nio))
    assert ar_personnummer(nummer)
    assert ar_personnummer(nummer[:6] + "-" + nummer[6:])
    # dag 92 (= 32) är inget datum
    nio = "701092239"
    assert not ar_personnummer(nio + str(_kontrollsiffra(nio)))


def test_skottdag():
    nio = "000229123"
    tio = nio + str(_kontrollsiffra(nio))
    assert ar_personnummer("20" + tio)  # 2000-02-29 (skottår)
    assert not ar_personnummer("19" + tio)  # 1900-02-29 finns inte
    assert ar_personnummer(tio)  # utan sekel: kan vara 2000


def test_excel_tappad_inledande_nolla():
    nio = "051212121"
    nummer = int(nio + str(_kontrollsiffra(nio)))  # 0512121213 -> 9 siffror som tal
    assert len(str(nummer)) == 9
    assert ar_personnummer(nummer)
    df = pd.DataFrame({"id": pd.array([1, nummer], dtype="Int64")})
    assert celler_med_personnummer(df) == {"id": [1]}


def test_alla_kolumntyper_kontrolleras():
    df = pd.DataFrame(
        {
            "text": ["a", "b", TESTNUMMER],
            "heltal": [1, 191212121212, 3],
            "flyttal": [0.5, 1212121212.0, np.nan],
            "objekt": pd.Series(["x", 191212121212, None], dtype=object),
            "datum": pd.to_datetime(["2019-01-01"] * 3),
            "inbaddat": ["ok", "se 121212-1212 här", "ok"],
        }
    )
    assert celler_med_personnummer(df) == {
        "text": [2],
        "heltal": [1],
        "flyttal": [1],
        "objekt": [1],
        "inbaddat": [1],
    }


def test_dolj_personnummer():
    assert TESTNUMMER not in dolj_personnummer(f"fel: {TESTNUMMER}, rad 2019-01-01")
    assert dolj_personnummer("rad 2019-01-01, 12 st") == "rad 2019-01-01, 12 st"


def test_en_miljon_celler():

    rng = np.random.default_rng(7)
    n = 100_000
    df = pd.DataFrame(
        {f"t{i}": rng.integers(0, 10**6, n).astype(str) for i in range(5)}
        | {f"n{i}": rng.integers(0, 10**6, n) for i in range(5)}
    )
    df.loc[12345, "t3"] = TESTNUMMER
    traffar = celler_med_personnummer(df)
    assert traffar == {"t3": [12345]}


# ---------------------------------------------------------------------------
# hypothesis
# ---------------------------------------------------------------------------


@st.composite
def giltiga_nummer(draw):
    datum = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)))
    samordning = draw(st.booleans())
    dag = datum.day + (60 if samordning else 0)
    lopnummer = draw(st.integers(0, 999))
    nio = f"{datum:%y%m}{dag:02d}{lopnummer:03d}"
    kontroll = _kontrollsiffra(nio)
    sekel = f"{datum.year // 100}"
    form = draw(st.sampled_from(["10", "10-", "10+", "12", "12-", "int12", "float12"]))
    tio = nio + str(kontroll)
    if form == "10":
        return tio
    if form == "10-":
        return f"{tio[:6]}-{tio[6:]}"
    if form == "10+":
        return f"{tio[:6]}+{tio[6:]}"
    if form == "12":
        return sekel + tio
    if form == "12-":
        return f"{sekel}{tio[:6]}-{tio[6:]}"
    if form == "int12":
        return int(sekel + tio)
    return float(sekel + tio)


@settings(max_examples=100, deadline=None)
@given(giltiga_nummer())
def test_alla_giltiga_nummer_hittas(nummer):
    assert ar_personnummer(nummer)
    serie = pd.Series(["x", nummer, "y"], dtype=object)
    assert rader_med_personnummer(serie).tolist() == [1]
    if isinstance(nummer, str):
        assert rader_med_personnummer(pd.Series(["x", nummer], dtype="str")).tolist() == [1]
        assert ar_personnummer(f"deltagare {nummer}, ny")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["", "19", "20"]))
def test_slumpade_nummer_med_fel_kontrollsiffra_hittas_inte(nio, sekel):
    fel = (_kontrollsiffra(nio) + 1 + int(nio[-1]) % 9) % 10
    nummer = sekel + nio + str(fel)
    assert not ar_personnummer(nummer)
    assert not ar_personnummer(f"{nummer[:-4]}-{nummer[-4:]}")
    assert rader_med_personnummer(pd.Series([nummer], dtype="str")).tolist() == []


# ---------------------------------------------------------------------------
# värdet syns aldrig
# ---------------------------------------------------------------------------

KONFIG = "id: {id}\nnamn: Test\nkommuner: [A]\ninsatser: [Team]\nperioder: ['2019']\n"


def _forbund(tmp_path, id_="pn"):
    d = tmp_path / id_
    d.mkdir()
    (d / "forbund.yaml").write_text(KONFIG.format(id=id_), encoding="utf-8")
    return d


def _alla_former():
    return [*VARIANTER, "191212121212", "1212121212"]


def _bevisa_att_vardet_saknas(*texter: str) -> None:
    for text in texter:
        for form in _alla_former():
            assert form not in text


def test_varde_i_csv_syns_aldrig(tmp_path, capsys):
    from finsam_analys.cli import main

    d = _forbund(tmp_path)
    (d / "deltagare.csv").write_text(
        "deltagare_id;insats;inskrivningsdatum;kon\n"
        f"a1;Team;2019-01-01;Kvinna\n{TESTNUMMER};Team;2019-01-01;X{TESTNUMMER}\n",
        encoding="utf-8",
    )
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    p = fel.value.problem[0]
    assert p.kod == "personnummer"
    assert p.varde is None
    assert p.rader == (3,)
    assert {q.kolumn for q in fel.value.problem} == {"deltagare_id", "kon"}
    _bevisa_att_vardet_saknas(str(fel.value), fel.value.rapport(), repr(fel.value.problem))
    assert main(["validera", str(d)]) == 2
    ut, err = capsys.readouterr()
    assert "personnummer" in err
    _bevisa_att_vardet_saknas(ut, err)


def test_varde_i_xlsx_som_tal_syns_aldrig(tmp_path, capsys):
    from openpyxl import Workbook

    d = _forbund(tmp_path)
    bok = Workbook()
    ark = bok.active
    ark.append(["Deltagarlista"])  # titelrad
    ark.append(["deltagare_id", "insats", "inskrivningsdatum"])
    ark.append([191212121212, "Team", dt.datetime(2019, 1, 1)])
    bok.save(d / "deltagare.xlsx")
    with pytest.raises(InlasningsFel) as fel:
        las_tabell(d / "deltagare.xlsx", "deltagare")
    assert fel.value.problem[0].rader == (3,)
    assert 'kolumn "deltagare_id" (A)' in fel.value.rapport()
    _bevisa_att_vardet_saknas(str(fel.value))


def test_varde_i_rubrik_och_konfig_syns_aldrig(tmp_path):
    d = _forbund(tmp_path)
    (d / "avslut.csv").write_text(
        f"period;insats;utfall;antal;{TESTNUMMER}\n2019;Team;Arbete;3;x\n", encoding="utf-8"
    )
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    assert fel.value.problem[0].rader == (1,)
    _bevisa_att_vardet_saknas(str(fel.value))
    (d / "avslut.csv").unlink()
    (d / "forbund.yaml").write_text(
        KONFIG.format(id="pn") + f"beskrivning: kontakt {TESTNUMMER}\n", encoding="utf-8"
    )
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(d)
    assert any(p.kod == "personnummer" for p in fel.value.problem)
    _bevisa_att_vardet_saknas(str(fel.value))


def test_varde_syns_inte_i_underprocess(tmp_path):
    d = _forbund(tmp_path)
    (d / "avslut.csv").write_text(
        f"period;insats;utfall;antal;kommentar\n2019;Team;Arbete;3;{TESTNUMMER}\n",
        encoding="utf-8",
    )
    resultat = subprocess.run(
        [sys.executable, "-m", "finsam_analys.cli", "validera", str(d)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert resultat.returncode == 2
    assert "personnummer" in resultat.stderr
    assert "Traceback" not in resultat.stderr
    _bevisa_att_vardet_saknas(resultat.stdout, resultat.stderr)


# ---------------------------------------------------------------------------
# förklädda nummer i kolumner: samma träffar som cell för cell
# ---------------------------------------------------------------------------

# siffror, streck och osynliga tecken som kan förkläda ett nummer, och vanliga bokstäver
_FORKLADNADSTECKEN = (
    "０１２３４５６７８９٠١٢٣٤٥٦٧٨٩\u200b\u00ad\u200e\u2013\u2212\u2011\uff0b\U0001d7ce"
)
_CELLTECKEN = "0123456789-+ åäöxÅ" + _FORKLADNADSTECKEN


@st.composite
def _forkladda_celler(draw):
    nummer = draw(giltiga_nummer().filter(lambda v: isinstance(v, str)))
    tabell = {ord(c): draw(st.sampled_from([c, *_FORKLADNADSTECKEN[:10]])) for c in "0123"}
    tabell[ord("-")] = draw(st.sampled_from(["-", "\u2013", "\u2212", "\u200b-"]))
    return draw(st.sampled_from(["", "nr ", "å "])) + nummer.translate(tabell)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.text(alphabet=_CELLTECKEN, max_size=16), _forkladda_celler()),
        max_size=12,
    ),
    st.sampled_from(["str", object]),
)
def test_kolumnens_traffar_ar_cellernas(celler, dtype):
    """Kolumnvis sökning (med förfilter) hittar samma celler som ``ar_personnummer`` en i taget."""
    serie = pd.Series(celler, dtype=dtype)
    forvantat = [i for i, v in enumerate(celler) if ar_personnummer(v)]
    assert rader_med_personnummer(serie).tolist() == forvantat


def test_forkladda_tecken_ar_uttryckets():
    """Mängden som förfiltret använder innehåller precis de tecken som uttrycket hittar."""
    from finsam_analys.indata.personnummer import _forkladda_tecken, _forkladnad

    forkladda = _forkladnad()[0]
    tecken = _forkladda_tecken()
    alla = "".join(chr(k) for k in range(0x110000) if not 0xD800 <= k < 0xE000)
    hittade = {m.group(0) for m in forkladda.finditer(alla)}
    assert hittade == tecken
    assert all(ord(c) > 0x7F for c in tecken)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(alphabet=_CELLTECKEN, max_size=14)), max_size=8),
    st.sampled_from(["str", object, "string[python]"]),
)
@example(["121212+1212", None, "x 1212121212 y", "å"], "str")
@example(["121212-1212", None, "​"], object)
def test_grova_traffar_och_ascii_som_pandas(celler, dtype):
    """Förfiltren (pyarrow direkt för text i pyarrow) ger samma celler som pandas str-metoder."""
    from finsam_analys.indata.personnummer import _GROVT, _ascii, _grova_traffar

    serie = pd.Series(celler, dtype=dtype)
    grov = serie.str.contains(_GROVT, regex=True, na=False).to_numpy(bool)
    assert _grova_traffar(serie).tolist() == grov.tolist()
    ascii_ = [v is None or not isinstance(v, str) or v.isascii() for v in serie.tolist()]
    assert _ascii(serie).tolist() == ascii_
