"""Tester för finsam_analys.sekretess.maskering.

Egenskapstesterna kontrollerar maskeringen oberoende av implementationen: med brute force
(finns det en annan heltalslösning inom [0, max] som stämmer med allt som visas?) och med
linjär algebra (ligger cellens enhetsvektor i radrummet av summavillkoren?).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam_analys.sekretess.maskering import (
    INGET,
    MASKAD,
    maskera_andelar,
    maskera_andelsram,
    maskera_antal,
    primar_mask,
    roja_celler,
)

# ----------------------------------------------------------- oberoende kontroller (testet)


def _villkor(r: int, c: int, radsummor: bool, kolumnsummor: bool):
    """Summavillkor som (lista av (cell, koefficient)); summan ska vara 0."""
    ut = []
    if radsummor:
        for i in range(r):
            ut.append([((i, j), 1) for j in range(c - 1)] + [((i, c - 1), -1)])
    if kolumnsummor:
        for j in range(c):
            ut.append([((i, j), 1) for i in range(r - 1)] + [((r - 1, j), -1)])
    return ut


def _annan_losning_finns(v, mask, cell, *, radsummor=True, kolumnsummor=True) -> bool:
    """Finns en lösning med antal ≥ 0 där ``cell`` har ett annat värde än det sanna?

    Minimerar och maximerar cellen med linjärprogrammering (``scipy.optimize.linprog``) under
    summavillkoren, med de visade cellerna fasta och de maskade ≥ 0. Villkorsmatrisen för en
    tabell med rad- och kolumnsummor är totalt unimodulär, så min och max antas i heltalspunkter:
    är de olika finns en annan heltalslösning, och cellen är inte röjd. (En uttömmande sökning
    över heltal växte exponentiellt med antalet maskade celler.)
    """
    from scipy.optimize import linprog

    okanda = [tuple(x) for x in np.argwhere(mask)]
    index = {x: k for k, x in enumerate(okanda)}
    a_eq, b_eq = [], []
    for termer in _villkor(*v.shape, radsummor, kolumnsummor):
        rad, hoger = np.zeros(len(okanda)), 0.0
        for x, koef in termer:
            if x in index:
                rad[index[x]] += koef
            else:
                hoger -= koef * float(v[x])
        if rad.any():
            a_eq.append(rad)
            b_eq.append(hoger)
    mal = np.zeros(len(okanda))
    mal[index[cell]] = 1.0
    villkor = {"A_eq": np.array(a_eq), "b_eq": b_eq} if a_eq else {}
    minst = linprog(mal, bounds=(0, None), method="highs", **villkor)
    storst = linprog(-mal, bounds=(0, None), method="highs", **villkor)
    assert minst.status == 0, minst.message  # det sanna värdet är alltid en lösning
    if storst.status == 3:  # obegränsad: cellen kan bli hur stor som helst
        return True
    return -storst.fun - minst.fun > 1e-6


def _linjart_bestamda(mask, *, radsummor=True, kolumnsummor=True) -> set:
    r, c = mask.shape
    okanda = [tuple(x) for x in np.argwhere(mask)]
    index = {x: k for k, x in enumerate(okanda)}
    rader = []
    for termer in _villkor(r, c, radsummor, kolumnsummor):
        rad = np.zeros(len(okanda))
        for x, koef in termer:
            if x in index:
                rad[index[x]] += koef
        if rad.any():
            rader.append(rad)
    if not rader:
        return set()
    m = np.array(rader)
    rang = np.linalg.matrix_rank(m)
    bestamda = set()
    for x, k in index.items():
        e = np.zeros(len(okanda))
        e[k] = 1
        if np.linalg.matrix_rank(np.vstack([m, e])) == rang:
            bestamda.add(x)
    return bestamda


# --------------------------------------------------------------------------- egenskaper


def _tabeller(hogst: int):
    return st.integers(2, 4).flatmap(
        lambda r: st.integers(2, 4).flatmap(
            lambda c: st.lists(
                st.lists(st.integers(0, hogst), min_size=c, max_size=c), min_size=r, max_size=r
            )
        )
    )


# Värden 0–12 (blandat över och under tröskeln) och 0–4 (många nollor och små antal).
tabeller = st.one_of(_tabeller(12), _tabeller(4))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip
@given(tabeller, st.sampled_from([3, 5]), st.booleans())
def test_maskering_visar_inga_sma_antal_och_rojer_inget(celler, troskel, nollor):
    t = pd.DataFrame(celler)
    visning, mask = maskera_antal(t, troskel=troskel, maskera_nollor=nollor)
    full = np.vstack(
        [np.column_stack([t.to_numpy(), t.sum(axis=1)]), [*t.sum(axis=0), t.to_numpy().sum()]]
    )
    m = mask.to_numpy()
    assert visning.shape == full.shape == m.shape
    # Visade värden är de sanna, maskade visar symbolen.
    for (i, j), sant in np.ndenumerate(full):
        if m[i, j]:
            assert visning.iat[i, j] == MASKAD
        else:
            assert visning.iat[i, j] == sant
            # Inget visat antal under tröskeln (nollor bara om de får visas).
            assert sant >= troskel or (sant == 0 and not nollor)
    # Ingen maskad cell kan räknas fram: varken linjärt eller med heltal och tecken.
    assert not _linjart_bestamda(m)
    for cell in map(tuple, np.argwhere(m)):
        assert _annan_losning_finns(full, m, cell), f"cellen {cell} är röjd:\n{visning}"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 15), min_size=2, max_size=6), st.booleans())
def test_en_kolumn_med_summa(antal, nollor):
    s = pd.Series(antal, name="antal")
    visning, mask = maskera_antal(s, maskera_nollor=nollor)
    assert list(visning.index)[-1] == "Totalt" and visning.shape == (len(antal) + 1, 1)
    full = np.array([*antal, sum(antal)], dtype=float).reshape(-1, 1)
    m = mask.to_numpy()
    for cell in map(tuple, np.argwhere(m)):
        assert _annan_losning_finns(full, m, cell, radsummor=False)
    assert all(
        v == MASKAD or v >= 5 or (v == 0 and not nollor) for v in visning["antal"]
    )  # fmt: skip


# ------------------------------------------------------------------------------- enhet


SOT = pd.DataFrame(
    {"MAC": [5, 2, 19], "Upplevelse": [0, 2, 11], "Trädgård": [2, 1, 13]},
    index=["Arbete", "Studier", "Rehab"],
)


def test_sot_2019_avslut_per_insats():
    kopia = SOT.copy()
    visning, mask = maskera_antal(SOT)
    pd.testing.assert_frame_equal(SOT, kopia)  # indata orörda
    assert list(visning.index) == ["Arbete", "Studier", "Rehab", "Totalt"]
    assert list(visning.columns) == ["MAC", "Upplevelse", "Trädgård", "Totalt"]
    # Primärt: 2, 2, 2, 1 (nollan visas som standard)
    for rad, kol in [("Arbete", "Trädgård"), ("Studier", "MAC"), ("Studier", "Upplevelse"),
                     ("Studier", "Trädgård")]:  # fmt: skip
        assert mask.loc[rad, kol]
    # Summorna 7, 5, 43 och 26, 13, 16, 55 är inte små och ska inte behöva maskas.
    assert visning.loc["Totalt"].tolist() == [26, 13, 16, 55]
    assert visning["Totalt"].tolist() == [7, 5, 43, 55]
    assert visning.loc["Rehab"].tolist() == [19, 11, 13, 43]
    # Minsta möjliga: sex maskade celler (varje maskad cell på en "rektangel").
    assert int(mask.to_numpy().sum()) == 6


def test_befintliga_summor_kontrolleras():
    med = SOT.assign(Totalt=SOT.sum(axis=1))
    visning, _ = maskera_antal(med)
    assert visning["Totalt"].tolist()[:3] == [7, 5, 43]
    fel = med.copy()
    fel.loc["Arbete", "Totalt"] = 8
    with pytest.raises(ValueError, match="radernas summa"):
        maskera_antal(fel)
    with pytest.raises(ValueError, match="negativa"):
        maskera_antal(pd.DataFrame({"a": [-1, 6], "b": [6, 6]}))


def test_troskel_och_symboler():
    t = pd.DataFrame({"a": [0, 7], "b": [9, 6]}, index=["x", "y"])
    visning, mask = maskera_antal(t, troskel=0, noll_symbol=INGET)
    assert not mask.to_numpy().any()
    assert visning.loc["x", "a"] == INGET
    t = pd.DataFrame({"a": [10, 7], "b": [9, 6]}, index=["x", "y"])
    visning, mask = maskera_antal(t, troskel=8, symbol="X")
    # 7 och 6 är under 8; x-raden måste maskas också, annars ger kolumnsummorna dem.
    assert (visning.loc[["x", "y"], ["a", "b"]] == "X").to_numpy().all()
    assert visning["Totalt"].tolist() == [19, 13, 32]
    assert visning.loc["Totalt"].tolist() == [17, 15, 32]


def test_summor_false_ger_bara_primar_maskering():
    visning, mask = maskera_antal(SOT, summor=False)
    assert visning.shape == SOT.shape
    assert int(mask.to_numpy().sum()) == 4


def test_roja_celler_tecken_och_nollor():
    # Raden [0, 0 | 5]: två maskade nollor med känd summa 0 röjer varandra (tecken, inte algebra).
    v = np.array([[0, 0, 5, 5], [4, 6, 5, 15], [4, 6, 10, 20]])
    m = np.zeros_like(v, dtype=bool)
    m[0, 0] = m[0, 1] = True
    m[1, 0] = m[1, 1] = True
    assert roja_celler(v, m).tolist()[0][:2] == [True, True]
    # Fyra celler i rektangel med positiva värden är skyddade.
    v2 = np.array([[2, 3, 5], [4, 6, 10], [6, 9, 15]])
    m2 = np.zeros_like(v2, dtype=bool)
    m2[:2, :2] = True
    assert not roja_celler(v2, m2).any()
    with pytest.raises(ValueError, match="formen"):
        roja_celler(v2, m2[:2])


def test_primar_mask_negativ_troskel():
    with pytest.raises(ValueError):
        primar_mask(pd.Series([1]), troskel=-1)


def test_maskera_andelar_series_och_korstabell():
    a = pd.Series([11 / 14, 15 / 18, 4 / 6], index=["jan–maj", "juni–nov", "dec"])
    visning, mask = maskera_andelar(a, pd.Series([14, 18, 6], index=a.index))
    assert mask.tolist() == [False, False, True]
    assert visning.iloc[0] == pytest.approx(11 / 14)
    # Korstabell med kolumnandelar: en nämnare per kolumn (Upplevelse 13, Trädgård 9).
    andelar = SOT / SOT.sum()
    namnare = pd.Series({"MAC": 26, "Upplevelse": 13, "Trädgård": 9})
    visning, mask = maskera_andelar(andelar, namnare, namnare_troskel=10)
    assert mask["Trädgård"].all() and not mask["MAC"].any()
    assert (visning["Trädgård"] == MASKAD).all()
    visning, mask = maskera_andelar(andelar, 8)
    assert mask.to_numpy().all()


def test_maskera_andelsram_fran_andelar():
    from finsam_analys.matt.andelar import andelar

    # Avesta: 5 arbete, 2 annan rehabilitering, 7 annat av 14 avslutade.
    ram = andelar({"Arbete": 5, "Rehab": 2, "Annat": 7})
    visning, mask = maskera_andelsram(ram)
    assert mask["antal"].tolist() == [True, True, False]  # 2 primärt, 5 som komplement
    assert mask["andel"].tolist() == [True, True, False]
    assert visning.loc["Annat", "antal"] == 7 and visning.loc["Annat", "andel"] == 0.5
    assert not mask["namnare"].any()
    # Nämnare under 10: alla andelar maskas, antal 5 och 4 (≥ tröskeln 4) visas.
    ram = andelar({"Kvinna": 5, "Man": 4})
    visning, mask = maskera_andelsram(ram, troskel=4)
    assert mask["andel"].all() and not mask["antal"].any()
    with pytest.raises(KeyError, match="saknas"):
        maskera_andelsram(ram.drop(columns="andel"))


# ------------------------------------------------- numpy-vägen mot den allmänna pandas-vägen


@settings(max_examples=60, deadline=None)
@given(
    tabeller,
    st.sampled_from([True, False, "rader", "kolumner"]),
    st.sampled_from([0, 3, 5]),
    st.booleans(),
    st.booleans(),
)
def test_numpyvagen_ger_samma_som_pandasvagen(celler, summor, troskel, nollor, flyttal):
    # Heltal/flyttal med enkla etiketter tas med numpy; object-kolumner tar pandas-vägen
    # (pd.to_numeric gör dem till samma tal). Resultaten ska vara identiska, cell för cell.
    t = pd.DataFrame(celler, index=[f"r{i}" for i in range(len(celler))])
    if flyttal:
        t = t.astype("float64")
    kw = {"troskel": troskel, "summor": summor, "maskera_nollor": nollor, "noll_symbol": INGET}
    v1, m1 = maskera_antal(t, **kw)
    v2, m2 = maskera_antal(t.astype(object), **kw)
    pd.testing.assert_frame_equal(m1, m2)
    pd.testing.assert_frame_equal(v1, v2)
    assert [type(x) for x in v1.to_numpy().ravel()] == [type(x) for x in v2.to_numpy().ravel()]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 15), min_size=1, max_size=6),
    st.booleans(),
    st.sampled_from([3, 5]),
    st.booleans(),
)
def test_andelsram_numpyvagen_ger_samma_som_pandasvagen(antal, helhet, troskel, nollor):
    n = sum(antal) if helhet else 12
    ram = pd.DataFrame(
        {"antal": antal, "namnare": n, "andel": [a / n if n else np.nan for a in antal]},
        index=[f"k{i}" for i in range(len(antal))],
    )
    kw = {"troskel": troskel, "maskera_nollor": nollor}
    v1, m1 = maskera_andelsram(ram, **kw)
    # Ett kategoriindex tar den allmänna pandas-vägen.
    v2, m2 = maskera_andelsram(ram.set_axis(pd.CategoricalIndex(ram.index)), **kw)
    pd.testing.assert_frame_equal(m1, m2.set_axis(ram.index))
    pd.testing.assert_frame_equal(v1, v2.set_axis(ram.index))
