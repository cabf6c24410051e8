"""Tester för finsam_analys.matt.avrundning. Förväntade värden handräknade från seed-rapporterna."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.avrundning import avrunda_halvt_upp, avrunda_procent

METODER = ["storsta_rest", "vanlig"]


@pytest.mark.parametrize("metod", METODER)
def test_sot_2019_utfall_13_9_78(metod):
    # 7 arbete, 5 studier, 43 fortsatt rehabilitering av 55 avslut
    p = avrunda_procent([7 / 55, 5 / 55, 43 / 55], metod=metod)
    assert p.tolist() == [13, 9, 78]
    assert p.name == "procent"


@pytest.mark.parametrize("metod", METODER)
def test_sot_2019_per_insats_47_24_29(metod):
    p = avrunda_procent(
        pd.Series({"MAC": 26 / 55, "Upplevelse": 13 / 55, "Trädgård": 16 / 55}), metod=metod
    )
    assert p.to_dict() == {"MAC": 47, "Upplevelse": 24, "Trädgård": 29}


@pytest.mark.parametrize("metod", METODER)
def test_avesta_remittenter_och_kon(metod):
    # 25/21/8/3 av 57 -> 44/37/14/5 %; 30/27 av 57 -> 53/47 %
    assert avrunda_procent([25 / 57, 21 / 57, 8 / 57, 3 / 57], metod=metod).tolist() == [
        44,
        37,
        14,
        5,
    ]
    assert avrunda_procent([30 / 57, 27 / 57], metod=metod).tolist() == [53, 47]


@pytest.mark.parametrize("metod", METODER)
def test_sot_uppfoljning_6_man(metod):
    # 5 arbete (22 %), 1 studier (4 %), 17 övriga av 23; av de 17: 10 (59 %) och 7 (41 %)
    assert avrunda_procent([5 / 23, 1 / 23, 17 / 23], metod=metod).tolist() == [22, 4, 74]
    assert avrunda_procent([10 / 17, 7 / 17], metod=metod).tolist() == [59, 41]


def test_en_decimal():
    # 26/55 = 47,27 %, 13/55 = 23,64 %, 16/55 = 29,09 %
    assert avrunda_procent([26 / 55, 13 / 55, 16 / 55], 1).tolist() == [47.3, 23.6, 29.1]
    # halva tiondelen uppåt: 1/16 = 6,25 % -> 6,3 med vanlig (bankers skulle ge 6,2)
    assert avrunda_procent([1 / 16], 1, metod="vanlig").tolist() == [6.3]


def test_metoderna_skiljer_sig_for_tre_lika_delar():
    assert avrunda_procent([1 / 3] * 3).tolist() == [34, 33, 33]
    assert avrunda_procent([1 / 3] * 3, metod="vanlig").tolist() == [33, 33, 33]


def test_lika_rest_gar_till_storre_del():
    # 1/6, 1/6, 4/6 = 16,67 / 16,67 / 66,67: vanlig ger 17+17+67 = 101
    assert avrunda_procent([1 / 6, 1 / 6, 4 / 6], metod="vanlig").tolist() == [17, 17, 67]
    # största resten: golv 16+16+66 = 98, två enheter till: först 66,67 (större), sedan första 16,67
    assert avrunda_procent([1 / 6, 1 / 6, 4 / 6]).tolist() == [17, 16, 67]


def test_vanlig_ar_half_up_inte_bankers():
    # 12,5 % och 0,5 %: Pythons round() ger 12 och 0
    assert avrunda_procent([0.125, 0.005], metod="vanlig").tolist() == [13, 1]
    assert avrunda_procent([0.145], metod="vanlig").tolist() == [15]  # 0.145*100 = 14.4999...


def test_nan_behalls_och_deltar_inte():
    p = avrunda_procent(pd.Series([0.5, np.nan, 0.5], index=list("abc")))
    assert p["a"] == 50 and p["c"] == 50 and math.isnan(p["b"])


def test_delar_som_inte_tacker_helheten_summerar_till_avrundad_summa():
    # bara arbete och studier (12/55 = 21,8 %): 13 + 9 = 22
    p = avrunda_procent([7 / 55, 5 / 55])
    assert p.tolist() == [13, 9]


def test_dataframe_fran_andelar():
    from finsam_analys.matt.andelar import andelar

    p = avrunda_procent(andelar({"Arbete": 7, "Studier": 5, "Rehab": 43}))
    assert p.to_dict() == {"Arbete": 13, "Studier": 9, "Rehab": 78}


@pytest.mark.parametrize(
    ("andel", "kwargs", "meddelande"),
    [
        ([13, 9, 78], {}, "bråk"),
        ([0.6, 0.6], {}, "inte delar av en helhet"),
        ([0.5], {"metod": "bankers"}, "metod"),
        ([0.5], {"decimaler": -1}, "decimaler"),
    ],
)
def test_fel(andel, kwargs, meddelande):
    with pytest.raises(ValueError, match=meddelande):
        avrunda_procent(andel, **kwargs)


def test_vanlig_tillater_andelar_som_summerar_over_ett():
    assert avrunda_procent([0.6, 0.6], metod="vanlig").tolist() == [60, 60]


def test_avrunda_halvt_upp():
    assert avrunda_halvt_upp(2.5) == 3
    assert avrunda_halvt_upp(-2.5) == -3
    assert avrunda_halvt_upp(20.65, 1) == 20.7
    s = avrunda_halvt_upp(pd.Series([0.5, 1.5, np.nan], index=list("xyz")))
    assert s.iloc[:2].tolist() == [1, 2] and math.isnan(s["z"]) and list(s.index) == list("xyz")


# ---------------------------------------------------------------- egenskapstester
antal_listor = st.lists(st.integers(0, 5000), min_size=1, max_size=15).filter(lambda x: sum(x) > 0)


@settings(deadline=None)
@given(antal_listor, st.sampled_from([0, 1, 2]))
def test_storsta_rest_summerar_exakt_till_100(antal, decimaler):
    andel = [a / sum(antal) for a in antal]
    p = avrunda_procent(andel, decimaler)
    assert round(p.sum() * 10**decimaler) == 100 * 10**decimaler
    # varje del är ett helt antal enheter
    enheter = p.to_numpy() * 10**decimaler
    np.testing.assert_allclose(enheter, np.round(enheter), atol=1e-6)


@settings(deadline=None)
@given(antal_listor, st.sampled_from([0, 1, 2]))
def test_storsta_rest_flyttar_ingen_del_en_hel_enhet(antal, decimaler):
    exakt = np.array([a / sum(antal) * 100 for a in antal])
    p = avrunda_procent(list(exakt / 100), decimaler).to_numpy()
    assert np.all(np.abs(p - exakt) < 10.0**-decimaler + 1e-9)


@settings(deadline=None)
@given(antal_listor, st.integers(1, 100))
def test_storsta_rest_oforandrad_nar_antal_skalas(antal, faktor):
    a = avrunda_procent([x / sum(antal) for x in antal])
    b = avrunda_procent([x * faktor / (sum(antal) * faktor) for x in antal])
    assert a.tolist() == b.tolist()


@settings(deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=10))
def test_vanlig_avviker_hogst_en_halv_enhet(andel):
    p = avrunda_procent(andel, metod="vanlig").to_numpy()
    assert np.all(np.abs(p - np.array(andel) * 100) <= 0.5 + 1e-9)
