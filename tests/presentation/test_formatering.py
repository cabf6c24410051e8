"""Tester för finsam_analys.presentation.formatering.

Tal ur seed-rapporterna (SOT 2019, Västerås 2021).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.presentation.formatering import (
    HART_MELLANSLAG,
    SAKNAS,
    formatera_andel,
    formatera_kr,
    formatera_procent,
    formatera_procentandelar,
    formatera_procentenheter,
    formatera_tal,
    formatera_tkr,
    procent_formatter,
    tal_formatter,
)

NB = "\u00a0"


def test_hart_mellanslag_och_saknas():
    assert HART_MELLANSLAG == NB
    assert SAKNAS == ".."


@pytest.mark.parametrize(
    ("varde", "decimaler", "forvantat"),
    [
        (13451, 0, f"13{NB}451"),  # Västerås HÅE 2020
        (88586, 0, f"88{NB}586"),
        (3095, 0, f"3{NB}095"),  # fyrsiffriga grupperas, som i rapporten
        (976910, 0, f"976{NB}910"),
        (15.2, 1, "15,2"),
        (8.46, 2, "8,46"),  # Avesta genomströmningstid
        (31.57, 1, "31,6"),
        (0, 0, "0"),
        (2.5, 0, "3"),  # halva uppåt, inte bankers
        (0.125, 2, "0,13"),
        (-1234.5, 0, f"−1{NB}235"),
        (-0.4, 0, "0"),  # aldrig "-0"
        (np.int64(57), 0, "57"),
        (np.float64(13.45), 1, "13,5"),
        (Decimal("7306"), 0, f"7{NB}306"),
        (1e7, 0, f"10{NB}000{NB}000"),
    ],
)
def test_formatera_tal(varde, decimaler, forvantat):
    assert formatera_tal(varde, decimaler) == forvantat


def test_minustecken_ar_typografiskt():
    """Svensk typografi: minustecknet U+2212, aldrig bindestreck (Excel får talen som tal)."""
    text = formatera_tal(-2155)
    assert text == f"\u22122{NB}155"
    assert "-" not in text


@pytest.mark.parametrize("saknat", [None, float("nan"), np.nan, pd.NA])
def test_saknat_blir_tva_punkter(saknat):
    assert formatera_tal(saknat) == ".."
    assert formatera_procent(saknat) == ".."
    assert formatera_procentenheter(saknat) == ".."
    assert formatera_kr(saknat) == ".."
    assert formatera_tkr(saknat) == ".."
    assert formatera_tal(saknat, saknas="–") == "–"


@pytest.mark.parametrize(
    ("andel", "decimaler", "forvantat"),
    [
        (7 / 55, 0, f"13{NB}%"),  # SOT 2019
        (5 / 55, 0, f"9{NB}%"),
        (43 / 55, 0, f"78{NB}%"),
        (26 / 32, 0, f"81{NB}%"),
        (11 / 14, 0, f"79{NB}%"),
        (13451 / 88586, 1, f"15,2{NB}%"),  # Västerås HÅE 2020
        (0.638, 1, f"63,8{NB}%"),
        (0.5, 0, f"50{NB}%"),  # Avesta 7 av 14
        (0.145, 0, f"15{NB}%"),  # 0.145*100 = 14.4999... i flyttal
        (0.005, 0, f"1{NB}%"),
        (1, 0, f"100{NB}%"),
        (0.0001, 0, f"0{NB}%"),
    ],
)
def test_formatera_procent(andel, decimaler, forvantat):
    assert formatera_procent(andel, decimaler) == forvantat


@pytest.mark.parametrize(
    ("differens", "decimaler", "forvantat"),
    [
        (0.83 - 0.79, 0, "+4 procentenheter"),  # SOT hälsa
        (7 / 55 - 0.25, 0, "−12 procentenheter"),  # arbete mot mål 25 %
        (0.01, 0, "+1 procentenhet"),
        (-0.01, 0, "−1 procentenhet"),
        (0.0, 0, "0 procentenheter"),
        (-0.004, 0, "0 procentenheter"),
        (0.0476, 1, "+4,8 procentenheter"),
        (0.01, 1, "+1,0 procentenheter"),
        (0.234, 0, "+23 procentenheter"),
    ],
)
def test_formatera_procentenheter(differens, decimaler, forvantat):
    assert formatera_procentenheter(differens, decimaler) == forvantat


def test_procentenheter_kort():
    assert formatera_procentenheter(0.04, kort=True) == "+4 p.e."


def test_kr_och_tkr():
    # SOT 2019: budgeten sänktes från 8 054 364 kr till 7 077 454 kr, en revidering med 976 910 kr
    assert formatera_kr(8054364) == f"8{NB}054{NB}364{NB}kr"
    assert formatera_kr(7077454) == f"7{NB}077{NB}454{NB}kr"
    # Västerås 2021: SOT 3 095 av 7 306 tkr
    assert formatera_tkr(7306) == f"7{NB}306{NB}tkr"
    assert formatera_tkr(3095) == f"3{NB}095{NB}tkr"
    assert formatera_tkr(976910, fran_kr=True) == f"977{NB}tkr"
    assert formatera_tkr(200_000, fran_kr=True) == f"200{NB}tkr"
    assert formatera_tkr(8241.5, 1) == f"8{NB}241,5{NB}tkr"
    assert formatera_kr(-2155) == f"−2{NB}155{NB}kr"


def test_formatera_andel_visar_underlaget():
    assert formatera_andel(7, 55) == f"13{NB}% (7 av 55)"
    assert formatera_andel(700, 5500) == f"13{NB}% (700 av 5{NB}500)"
    assert formatera_andel(0, 0) == ".. (0 av 0)"


def test_series_ger_series_med_text():
    s = pd.Series([7 / 55, np.nan], index=["arbete", "maskat"])
    t = formatera_procent(s)
    assert t.to_dict() == {"arbete": f"13{NB}%", "maskat": ".."}
    assert formatera_tal(pd.Series([13451, 88586]), 0).tolist() == [f"13{NB}451", f"88{NB}586"]


def test_procentandelar_summerar_till_100():
    t = formatera_procentandelar(pd.Series([1 / 3, 1 / 3, 1 / 3], index=list("abc")))
    assert t.tolist() == [f"34{NB}%", f"33{NB}%", f"33{NB}%"]
    assert formatera_procentandelar([26 / 55, 13 / 55, 16 / 55], 1).tolist() == [
        f"47,3{NB}%",
        f"23,6{NB}%",
        f"29,1{NB}%",
    ]


def test_matplotlib_formaterare():
    f = procent_formatter()
    assert f(0.25, 0) == f"25{NB}%"
    assert procent_formatter(1)(0.152, 0) == f"15,2{NB}%"
    assert tal_formatter()(13451, 0) == f"13{NB}451"


@pytest.mark.parametrize("fel", [-1, 1.5, True])
def test_fel_decimaler(fel):
    with pytest.raises(ValueError, match="decimaler"):
        formatera_tal(1, fel)


def test_fel_typ():
    with pytest.raises(TypeError):
        formatera_tal("tretton")
    with pytest.raises(TypeError):
        formatera_tal(True)
    with pytest.raises(ValueError, match="Oändliga"):
        formatera_tal(float("inf"))


# ------------------------------------------------------------------ egenskaper
@settings(deadline=None)
@given(st.integers(-(10**12), 10**12))
def test_heltal_tillbaka_efter_att_avgransare_tas_bort(x):
    assert int(formatera_tal(x).replace(NB, "").replace("−", "-")) == x


@settings(deadline=None)
@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 3))
def test_tal_tillbaka_inom_halv_enhet(x, decimaler):
    text = formatera_tal(x, decimaler)
    tillbaka = float(text.replace(NB, "").replace(",", ".").replace("−", "-"))
    assert abs(tillbaka - x) <= 0.5 * 10**-decimaler + 1e-6 * max(1.0, abs(x))
    assert text.count(",") == (1 if decimaler else 0)


@settings(deadline=None)
@given(st.floats(0, 1, allow_nan=False))
def test_procent_stammer_med_avrunda_procent_vanlig(andel):
    from finsam_analys.matt.avrundning import avrunda_procent

    p = avrunda_procent([andel], metod="vanlig").iloc[0]
    assert formatera_procent(andel) == f"{int(p)}{NB}%"
