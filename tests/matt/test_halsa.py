"""Tester för finsam_analys.matt.halsa. Förväntade värden handräknade från SOT Västerås 2019."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.halsa import (
    ORS_RELIABEL_FORANDRING,
    halsoenkat_resultat,
    halsopoangforandring,
    procentenheter,
    relativ_forandring,
    stegforflyttning,
)

SOT_HALSOENKAT = pd.DataFrame(
    {
        "n": [14, 18],
        "summa_start": [188, 234],
        "summa_slut": [227, 280],
        "antal_forbattrade": [11, 15],
        "andel_forbattrade_publicerad": [79, 83],
    },
    index=pd.Index(["2019-01..2019-05", "2019-06..2019-11"], name="delperiod"),
)


def test_relativ_forandring_sot_halvar():
    # 188 -> 227: 39/188 = 0,2074 (+21 %); 234 -> 280: 46/234 = 0,1966 (+20 %)
    assert relativ_forandring(188, 227) == pytest.approx(39 / 188)
    assert round(relativ_forandring(188, 227) * 100) == 21
    assert relativ_forandring(234, 280) == pytest.approx(46 / 234)
    assert round(relativ_forandring(234, 280) * 100) == 20
    # helåret: 422 -> 507 = 85/422 = 0,2014
    assert relativ_forandring(188 + 234, 227 + 280) == pytest.approx(85 / 422)


def test_relativ_forandring_vektor_och_noll():
    s = relativ_forandring(
        pd.Series([188, 0], index=["H1", "x"]), pd.Series([227, 5], index=["H1", "x"])
    )
    assert list(s.index) == ["H1", "x"]
    assert s["H1"] == pytest.approx(39 / 188) and math.isnan(s["x"])
    assert relativ_forandring(100, 80) == pytest.approx(-0.2)
    assert math.isnan(relativ_forandring(0, 0))


def test_procentenheter_79_till_83():
    # publicerade andelar 79 % -> 83 %: +4 procentenheter
    assert procentenheter(0.79, 0.83) == pytest.approx(0.04)
    # ur antalen: 11/14 -> 15/18 = 0,7857 -> 0,8333, +4,8 procentenheter (avrundas till 5)
    d = procentenheter(11 / 14, 15 / 18)
    assert d == pytest.approx(15 / 18 - 11 / 14)
    assert round(d * 100) == 5


def test_procentenheter_vagrar_procent():
    with pytest.raises(ValueError, match="0.79"):
        procentenheter(79, 83)


def test_halsoenkat_resultat_sot():
    r = halsoenkat_resultat(SOT_HALSOENKAT)
    assert list(r.index) == ["2019-01..2019-05", "2019-06..2019-11", "Totalt"]
    # 11+15 = 26 och 14+18 = 32: 26 av 32 = 81 %
    assert r.loc["Totalt", ["n", "antal_forbattrade"]].tolist() == [32, 26]
    assert r["andel_forbattrade"].tolist() == pytest.approx([11 / 14, 15 / 18, 26 / 32])
    assert [round(a * 100) for a in r["andel_forbattrade"]] == [79, 83, 81]
    assert r["forandring"].tolist() == pytest.approx([39 / 188, 46 / 234, 85 / 422])
    assert [round(f * 100) for f in r["forandring"]] == [21, 20, 20]
    assert "andel_forbattrade_publicerad" not in r.columns


def test_halsoenkat_resultat_ignorerar_summarad():
    med_summa = pd.concat(
        [
            SOT_HALSOENKAT,
            pd.DataFrame(
                {"n": [99], "summa_start": [1], "summa_slut": [1], "antal_forbattrade": [1]},
                index=["Totalt"],
            ),
        ]
    )
    r = halsoenkat_resultat(med_summa)
    assert r.loc["Totalt", "n"] == 32
    assert len(halsoenkat_resultat(SOT_HALSOENKAT, totalt=False)) == 2


def _individdata(n_forbattrade, n_totalt, summa_start, summa_slut):
    """Konstruerade heltalspoäng med givna summor: de första ``n_forbattrade`` ökar, resten lika."""
    start = np.full(n_totalt, summa_start // n_totalt)
    start[: summa_start % n_totalt] += 1
    okning = np.zeros(n_totalt, dtype=int)
    okning[:n_forbattrade] = (summa_slut - summa_start) // n_forbattrade
    okning[: (summa_slut - summa_start) % n_forbattrade] += 1
    return start, start + okning


def test_halsopoangforandring_som_sot_jan_maj():
    # 14 enkäter, 188 -> 227, 11 förbättrade
    start, slut = _individdata(11, 14, 188, 227)
    assert start.sum() == 188 and slut.sum() == 227
    r = halsopoangforandring(start, slut)
    assert r["n"] == 14 and r["antal_oparade"] == 0
    assert r["summa_start"] == 188 and r["summa_slut"] == 227
    assert r["forandring"] == pytest.approx(39 / 188)
    assert r["antal_forbattrade"] == 11
    assert r["andel_forbattrade"] == pytest.approx(11 / 14)
    assert r["antal_oforandrade"] == 3 and r["antal_forsamrade"] == 0
    assert 0 < r["wilcoxon"] < 0.01  # 11 ökningar, inga minskningar


def test_oparade_tappas_och_raknas():
    start = pd.Series([20, 25, np.nan, 30], index=["a", "b", "c", "d"])
    slut = pd.Series([22, 24, 30, np.nan, 10], index=["a", "b", "c", "d", "e"])
    r = halsopoangforandring(start, slut)
    assert r["n"] == 2  # a och b
    assert r["antal_oparade"] == 3  # c, d, e
    assert r["summa_start"] == 45 and r["summa_slut"] == 46
    assert r["antal_forbattrade"] == 1 and r["antal_forsamrade"] == 1
    assert r["wilcoxon"] is None  # n < 6


def test_troskel_ors_reliabel_forandring():
    start = [10, 10, 10, 10, 10, 10]
    slut = [14, 15, 16, 10, 5, 6]  # +4, +5, +6, 0, -5, -4
    vanlig = halsopoangforandring(start, slut)
    assert vanlig["antal_forbattrade"] == 3 and vanlig["antal_forsamrade"] == 2
    ors = halsopoangforandring(start, slut, troskel=ORS_RELIABEL_FORANDRING)
    assert ORS_RELIABEL_FORANDRING == 5
    assert ors["antal_forbattrade"] == 2  # +5 och +6
    assert ors["antal_forsamrade"] == 1  # -5
    assert ors["antal_oforandrade"] == 3
    assert ors["andel_forbattrade"] == pytest.approx(2 / 6)
    with pytest.raises(ValueError, match="negativ"):
        halsopoangforandring(start, slut, troskel=-1)


def test_wilcoxon_none_nar_alla_skillnader_noll_och_varde_mot_scipy():
    from scipy.stats import wilcoxon

    assert halsopoangforandring([5] * 8, [5] * 8)["wilcoxon"] is None
    assert halsopoangforandring([1] * 8, [3] * 8, wilcoxon=False)["wilcoxon"] is None
    # skillnader 1, -2, 3, 4, 5, 6, 7: inga lika, ingen nolla -> exakt fördelning.
    # Rangsumma för negativa: 2 (bara -2). Exakt tvåsidigt: P(T <= 2) * 2 = 2 * 3/128
    # (delmängder av 1..7 med summa <= 2: {}, {1}, {2}).
    start = [10, 20, 10, 10, 10, 10, 10]
    slut = [11, 18, 13, 14, 15, 16, 17]
    assert halsopoangforandring(start, slut)["wilcoxon"] == pytest.approx(6 / 128)
    # med lika skillnader och nollor: normalapproximation som R:s wilcox.test
    start2 = [12, 20, 18, 25, 30, 15, 22, 10]
    slut2 = [18, 19, 24, 31, 28, 21, 30, 10]
    d = np.array(slut2) - np.array(start2)
    forvantat = wilcoxon(d, zero_method="wilcox", correction=True, method="approx").pvalue
    assert halsopoangforandring(start2, slut2)["wilcoxon"] == pytest.approx(forvantat)


def test_tomt_ger_nan_inte_fel():
    r = halsopoangforandring([np.nan], [3])
    assert r["n"] == 0 and r["antal_oparade"] == 1
    assert math.isnan(r["andel_forbattrade"]) and math.isnan(r["forandring"])


def test_olika_langd_ar_fel():
    with pytest.raises(ValueError, match="lika långa"):
        halsopoangforandring([1, 2], [1, 2, 3])


def test_stegforflyttning_tal_och_trappa():
    r = stegforflyttning([1, 2, 3, 2, 1], [2, 2, 1, 4, None])
    assert list(r.index) == ["upp", "samma", "ner"]
    assert r["antal"].tolist() == [2, 1, 1]
    assert r["namnare"].tolist() == [4, 4, 4]
    assert r["andel"].tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert r.attrs["antal_oparade"] == 1
    trappa = ["Steg 1", "Steg 2", "Steg 3"]
    t = stegforflyttning(
        pd.Series(["Steg 1", "Steg 3"]), pd.Series(["Steg 2", "Steg 3"]), trappa=trappa
    )
    assert t["antal"].tolist() == [1, 1, 0]
    with pytest.raises(ValueError, match="trappan"):
        stegforflyttning(["Steg 9"], ["Steg 1"], trappa=trappa)


# ------------------------------------------------------------------ egenskaper
poang = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=0, max_size=40)


@settings(deadline=None)
@given(poang, st.integers(0, 10))
def test_forbattrade_forsamrade_oforandrade_summerar_till_n(par, troskel):
    start = [a for a, _ in par]
    slut = [b for _, b in par]
    r = halsopoangforandring(start, slut, troskel=troskel, wilcoxon=False)
    assert r["antal_forbattrade"] + r["antal_forsamrade"] + r["antal_oforandrade"] == r["n"]
    assert r["summa_slut"] - r["summa_start"] == sum(slut) - sum(start)


@settings(deadline=None, max_examples=40)
@given(poang)
def test_hogre_troskel_ger_farre_forbattrade(par):
    start = [a for a, _ in par]
    slut = [b for _, b in par]
    antal = [
        halsopoangforandring(start, slut, troskel=t, wilcoxon=False)["antal_forbattrade"]
        for t in range(8)
    ]
    assert antal == sorted(antal, reverse=True)
