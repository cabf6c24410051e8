"""Tester för finsam_analys.matt.mal. Mål och utfall från SOT Västerås årsrapport 2019."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.andelar import andelar
from finsam_analys.matt.mal import binomialtest_mot_mal, jamfor_med_mal, wilson_intervall

SOT_UTFALL = andelar({"arbete": 7, "studier": 5, "rehab": 43})
SOT_MAL = {"arbete": 0.25, "studier": 0.20, "rehab": 0.55}


def test_sot_malomrade_1():
    r = jamfor_med_mal(SOT_UTFALL, SOT_MAL)
    assert list(r.index) == ["arbete", "studier", "rehab"]
    assert r["n"].tolist() == [55, 55, 55]
    # 13 % mot minst 25 %: ej uppfyllt, -12 procentenheter (exakt 7/55 - 0,25 = -0,1227)
    assert r.loc["arbete", "differens"] == pytest.approx(7 / 55 - 0.25)
    assert round(r.loc["arbete", "differens"] * 100) == -12
    assert r["uppfyllt"].tolist() == [False, False, True]
    # 9 % mot 20 %: -11 procentenheter; 78 % mot 55 %: +23 procentenheter
    assert [round(d * 100) for d in r["differens"]] == [-12, -11, 23]


def test_sot_halsa_mot_90_procent():
    # 11 av 14, 15 av 18, 26 av 32 mot minst 90 %: inget uppfyllt
    a = andelar({"H1": 11, "H2": 15, "helar": 26}, namnare={"H1": 14, "H2": 18, "helar": 32})
    r = jamfor_med_mal(a, 0.9)
    assert r["uppfyllt"].tolist() == [False, False, False]
    assert r["differens"].tolist() == pytest.approx([11 / 14 - 0.9, 15 / 18 - 0.9, 26 / 32 - 0.9])
    # 14 enkäter: intervallet omfattar 90 %, skillnaden kan vara slump
    assert r.loc["H1", "osaker"]


def test_liten_n_syns_13_procent_av_55_mot_5500():
    liten = jamfor_med_mal(andelar({"arbete": 7}, namnare=55), 0.25)
    stor = jamfor_med_mal(andelar({"arbete": 700}, namnare=5500), 0.25)
    assert liten["n"].item() == 55 and stor["n"].item() == 5500
    # intervallbredden ~ 1/sqrt(n): 100 gånger så stort n ger ungefär en tiondel så brett
    kvot = liten["intervallbredd"].item() / stor["intervallbredd"].item()
    assert 8 < kvot < 12
    assert liten["p_varde"].item() > stor["p_varde"].item()


def test_wilson_mot_scipys_implementation():
    from scipy.stats import binomtest

    for x, n in [(7, 55), (700, 5500), (11, 14), (26, 32), (0, 5), (5, 5), (1, 23)]:
        ref = binomtest(x, n).proportion_ci(confidence_level=0.9, method="wilson")
        nedre, ovre = wilson_intervall(x, n, konfidens=0.9)
        assert (nedre, ovre) == pytest.approx((ref.low, ref.high), abs=1e-10)


def test_wilson_handraknat():
    # 7/55, z = 1,96: p = 0,12727; z²/n = 0,069848; nämnare 1,069848
    # mitt = (0,12727 + 0,034924) / 1,069848 = 0,151609
    # halv = 1,96 * sqrt(0,12727*0,87273/55 + 3,8415/12100) / 1,069848 = 0,088589
    nedre, ovre = wilson_intervall(7, 55)
    assert nedre == pytest.approx(0.151609 - 0.088589, abs=1e-4)
    assert ovre == pytest.approx(0.151609 + 0.088589, abs=1e-4)


def test_wilson_kanter_och_vektorer():
    assert wilson_intervall(0, 10)[0] == 0.0
    assert wilson_intervall(10, 10)[1] == 1.0
    assert all(math.isnan(g) for g in wilson_intervall(0, 0))
    nedre, ovre = wilson_intervall(np.array([7, 700]), np.array([55, 5500]))
    assert nedre.shape == (2,) and np.all(nedre < ovre)
    s_nedre, _ = wilson_intervall(pd.Series([1, 2], index=["a", "b"]), 10)
    assert list(s_nedre.index) == ["a", "b"]
    with pytest.raises(ValueError, match="större än n"):
        wilson_intervall(6, 5)
    with pytest.raises(ValueError, match="konfidens"):
        wilson_intervall(1, 5, konfidens=95)


def test_binomialtest_mot_scipy_binom():
    from scipy.stats import binom

    # minst 25 %: P(X <= 7 | n = 55, p = 0,25)
    assert binomialtest_mot_mal(7, 55, mal=0.25, riktning="minst") == pytest.approx(
        binom.cdf(7, 55, 0.25)
    )
    # högst 20 %: 9 av 25 (36 %), P(X >= 9 | n = 25, p = 0,2)
    assert binomialtest_mot_mal(9, 25, mal=0.2, riktning="hogst") == pytest.approx(
        binom.sf(8, 25, 0.2)
    )
    # alternativet "uppfyllt" för minst: P(X >= 43 | n = 55, p = 0,55)
    p = binomialtest_mot_mal(43, 55, mal=0.55, riktning="minst", alternativ="uppfyllt")
    assert p == pytest.approx(binom.sf(42, 55, 0.55))
    assert math.isnan(binomialtest_mot_mal(0, 0, mal=0.5, riktning="minst"))


def test_hogst_mal():
    # avbrott: 25 av 80 deltagare (31 %) mot högst 20 %
    r = jamfor_med_mal(andelar({"avbrott": 25}, namnare=80), {"avbrott": 0.2}, riktning="hogst")
    assert not r["uppfyllt"].item()
    assert r["differens"].item() == pytest.approx(25 / 80 - 0.2)
    r2 = jamfor_med_mal(andelar({"avbrott": 16}, namnare=80), 0.2, riktning="hogst")
    assert r2["uppfyllt"].item()  # exakt på målet räknas som uppfyllt


def test_exakt_pa_malet_ar_uppfyllt_men_89_7_procent_ar_inte_90():
    r = jamfor_med_mal(andelar({"a": 1, "b": 26}, namnare={"a": 4, "b": 29}), {"a": 0.25, "b": 0.9})
    assert r["uppfyllt"].tolist() == [True, False]  # 26/29 = 89,66 % trycks som 90 %


def test_maltabell_som_tabellen_mal():
    mal = pd.DataFrame(
        {
            "insats": ["SOT"] * 3,
            "indikator": ["arbete", "studier", "rehab"],
            "riktning": ["minst", "minst", "minst"],
            "varde": [25, 20, 55],
            "enhet": ["procent"] * 3,
        }
    )
    r = jamfor_med_mal(SOT_UTFALL, mal, riktning="hogst")  # tabellens riktning gäller
    assert r["mal"].tolist() == pytest.approx([0.25, 0.2, 0.55])
    assert r["riktning"].tolist() == ["minst"] * 3
    assert r["uppfyllt"].tolist() == [False, False, True]


def test_maltabell_i_manader_vagras():
    mal = pd.DataFrame({"indikator": ["arbete"], "varde": [34], "enhet": ["manader"]})
    with pytest.raises(ValueError, match="andel"):
        jamfor_med_mal(SOT_UTFALL, mal)


def test_kategorier_utan_mal_tas_inte_med_men_mal_utan_kategori_ar_fel():
    r = jamfor_med_mal(SOT_UTFALL, {"rehab": 0.55})
    assert list(r.index) == ["rehab"]
    with pytest.raises(ValueError, match="saknas"):
        jamfor_med_mal(SOT_UTFALL, {"sjukersattning": 0.1})


def test_mal_i_procent_vagras():
    with pytest.raises(ValueError, match="0.25"):
        jamfor_med_mal(SOT_UTFALL, 25)


def test_fel_riktning():
    with pytest.raises(ValueError, match="minst"):
        jamfor_med_mal(SOT_UTFALL, 0.25, riktning="max")


def test_bara_publicerad_andel_ger_nan_intervall():
    publicerad = pd.DataFrame({"andel": [0.13]}, index=["arbete"])
    r = jamfor_med_mal(publicerad, 0.25)
    assert not r["uppfyllt"].item()
    assert math.isnan(r["nedre"].item()) and math.isnan(r["p_varde"].item())
    assert r["osaker"].isna().item()


def test_namnare_noll_ger_na():
    r = jamfor_med_mal(andelar({"a": 0}, namnare=0), 0.25)
    assert r["uppfyllt"].isna().item()
    assert math.isnan(r["andel"].item())


# ----------------------------------------------------------------- egenskaper
@settings(deadline=None)
@given(st.integers(0, 500), st.integers(0, 500), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_omfattar_andelen_och_ligger_i_0_1(x, extra, konfidens):
    n = x + extra
    if n == 0:
        return
    nedre, ovre = wilson_intervall(x, n, konfidens=konfidens)
    assert 0 <= nedre <= x / n + 1e-12 <= ovre + 2e-12 <= 1 + 2e-12


@settings(deadline=None)
@given(st.integers(1, 200), st.integers(0, 200), st.integers(2, 20))
def test_wilson_smalnar_nar_n_vaxer(x, extra, faktor):
    n = x + extra
    b1 = np.subtract(*wilson_intervall(x, n)[::-1])
    b2 = np.subtract(*wilson_intervall(x * faktor, n * faktor)[::-1])
    assert b2 < b1


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=3000),
    andel_k=st.floats(min_value=0, max_value=1),
    mal=st.sampled_from([0.0, 0.01, 0.2, 0.25, 0.5, 0.55, 0.9, 1.0]),
    riktning=st.sampled_from(["minst", "hogst"]),
    alternativ=st.sampled_from(["ej_uppfyllt", "uppfyllt"]),
)
def test_binomialtest_utan_scipy_lika_med_scipys_binomtest(n, andel_k, mal, riktning, alternativ):
    from scipy.stats import binomtest

    k = round(andel_k * n)
    mindre = (riktning == "minst") == (alternativ == "ej_uppfyllt")
    ref = binomtest(k, n, p=mal, alternative="less" if mindre else "greater").pvalue
    p = binomialtest_mot_mal(k, n, mal=mal, riktning=riktning, alternativ=alternativ)
    assert p == pytest.approx(ref, rel=1e-7, abs=1e-15)  # ytterst små svansar: avrundning
