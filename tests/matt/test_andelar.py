"""Tester för finsam_analys.matt.andelar. Förväntade värden handräknade från seed-rapporterna."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.andelar import andelar, korstabell, korstabell_andelar

# SOT Västerås årsrapport 2019, "Sammanställning per insats" (rader utfall, kolumner insats)
SOT_PER_INSATS = pd.DataFrame(
    {"MAC": [5, 2, 19], "Upplevelse": [0, 2, 11], "Trädgård": [2, 1, 13]},
    index=pd.Index(["Arbete", "Studier", "Fortsatt rehab"], name="utfall"),
).rename_axis(columns="insats")


def test_sot_2019_utfall_efter_avslut():
    a = andelar({"Arbete": 7, "Studier": 5, "Fortsatt rehab": 43})
    assert list(a.columns) == ["antal", "namnare", "andel"]
    assert list(a.index) == ["Arbete", "Studier", "Fortsatt rehab"]
    assert a["namnare"].tolist() == [55, 55, 55]
    assert a["andel"].tolist() == pytest.approx([7 / 55, 5 / 55, 43 / 55])
    # tryckt: 13 %, 9 %, 78 %
    assert (a["andel"] * 100).round().tolist() == [13, 9, 78]


def test_lista_ger_positionsindex_och_heltal_behalls():
    a = andelar([7, 5, 43])
    assert list(a.index) == [0, 1, 2]
    assert pd.api.types.is_integer_dtype(a["antal"])
    assert pd.api.types.is_integer_dtype(a["namnare"])


def test_series_behaller_index_och_namn():
    s = pd.Series([30, 27], index=pd.Index(["Kvinna", "Man"], name="kon"))
    a = andelar(s)
    assert a.index.name == "kon"
    # Avesta: 30 kvinnor (53 %) och 27 män (47 %) av 57
    assert a["andel"].tolist() == pytest.approx([30 / 57, 27 / 57])
    assert (a["andel"] * 100).round().tolist() == [53, 47]


def test_avesta_remittenter():
    a = andelar(pd.Series({"Socialtjänst": 25, "FK": 21, "Landsting": 8, "AF": 3}))
    assert a["namnare"].unique().tolist() == [57]
    assert (a["andel"] * 100).round().tolist() == [44, 37, 14, 5]


def test_avesta_sju_av_fjorton_med_skalar_namnare():
    a = andelar({"arbete eller annan arbetslivsinriktad rehab": 5 + 2}, namnare=14)
    assert a["andel"].iloc[0] == 0.5


def test_halsa_med_namnare_per_kategori():
    # SOT hälsoenkät: 11 av 14 (jan–maj), 15 av 18 (juni–nov)
    a = andelar({"H1": 11, "H2": 15}, namnare={"H2": 18, "H1": 14})
    assert a["namnare"].tolist() == [14, 18]
    assert a["andel"].tolist() == pytest.approx([11 / 14, 15 / 18])
    b = andelar([11, 15], namnare=[14, 18])
    assert b["andel"].tolist() == pytest.approx([11 / 14, 15 / 18])


def test_namnare_noll_ger_nan_inte_fel():
    a = andelar([0, 0])
    assert a["andel"].isna().all()
    b = andelar({"x": 0, "y": 3}, namnare={"x": 0, "y": 4})
    assert math.isnan(b.loc["x", "andel"]) and b.loc["y", "andel"] == 0.75


def test_saknat_antal_ger_nan():
    a = andelar(pd.Series([7.0, np.nan]), namnare=55)
    assert a["andel"].iloc[0] == pytest.approx(7 / 55)
    assert math.isnan(a["andel"].iloc[1])


def test_tom_indata():
    a = andelar([])
    assert len(a) == 0 and list(a.columns) == ["antal", "namnare", "andel"]


def test_muterar_inte_indata():
    s = pd.Series([7, 5, 43], index=["a", "b", "c"])
    kopia = s.copy()
    a = andelar(s)
    a.loc["a", "antal"] = 100
    pd.testing.assert_series_equal(s, kopia)


@pytest.mark.parametrize(
    ("antal", "namnare", "meddelande"),
    [
        ([1, -1], None, "negativa"),
        ([3], 2, "större än nämnaren"),
        ([1], -2, "negativa"),
        ({"a": 1, "b": 2}, {"a": 3}, "Nämnare saknas"),
        ([1, 2], [3], "värden"),
        ({"Arbete": 7, "Totalt": 7}, None, "summarad"),
    ],
)
def test_fel(antal, namnare, meddelande):
    with pytest.raises(ValueError, match=meddelande):
        andelar(antal, namnare)


def test_text_ger_typfel():
    with pytest.raises(TypeError, match="tal"):
        andelar(pd.Series(["a", "b"]))


# ---------------------------------------------------------------- korstabeller
def test_sot_per_insats_kolumnsummor_och_radsummor():
    m = korstabell_andelar(SOT_PER_INSATS, riktning="total", marginaler=True)
    # tryckt: 26 (47 %), 13 (24 %), 16 (29 %) av 55
    assert m.loc["Totalt", ["MAC", "Upplevelse", "Trädgård"]].tolist() == pytest.approx(
        [26 / 55, 13 / 55, 16 / 55]
    )
    assert (m.loc["Totalt"] * 100).round().tolist() == [47, 24, 29, 100]
    # tryckt: 7 (13 %), 5 (9 %), 43 (78 %)
    assert (m["Totalt"] * 100).round().tolist() == [13, 9, 78, 100]
    assert m.loc["Arbete", "MAC"] == pytest.approx(5 / 55)


def test_sot_per_insats_lang_form_har_radsummor_7_5_43():
    lang = korstabell_andelar(SOT_PER_INSATS, riktning="total", marginaler=True, lang=True)
    assert list(lang.columns) == ["utfall", "insats", "antal", "namnare", "andel"]
    totalt = lang[lang["insats"] == "Totalt"].set_index("utfall")
    assert totalt["antal"].tolist() == [7, 5, 43, 55]
    assert totalt["namnare"].unique().tolist() == [55]
    kolumner = lang[lang["utfall"] == "Totalt"].set_index("insats")
    assert kolumner["antal"].tolist() == [26, 13, 16, 55]


def test_kolumnandelar_inom_insats():
    k = korstabell_andelar(SOT_PER_INSATS, riktning="kolumn")
    assert k.shape == SOT_PER_INSATS.shape
    assert k["MAC"].tolist() == pytest.approx([5 / 26, 2 / 26, 19 / 26])
    assert k["Upplevelse"].tolist() == pytest.approx([0, 2 / 13, 11 / 13])
    assert k.sum().tolist() == pytest.approx([1, 1, 1])
    km = korstabell_andelar(SOT_PER_INSATS, riktning="kolumn", marginaler=True)
    assert km["Totalt"].tolist() == pytest.approx([7 / 55, 5 / 55, 43 / 55, 1])
    assert km.loc["Totalt"].tolist() == pytest.approx([1, 1, 1, 1])


def test_radandelar_inom_utfall():
    r = korstabell_andelar(SOT_PER_INSATS, riktning="rad")
    assert r.loc["Arbete"].tolist() == pytest.approx([5 / 7, 0, 2 / 7])
    assert r.loc["Fortsatt rehab"].tolist() == pytest.approx([19 / 43, 11 / 43, 13 / 43])
    rm = korstabell_andelar(SOT_PER_INSATS, riktning="rad", marginaler=True)
    assert rm.loc["Totalt"].tolist() == pytest.approx([26 / 55, 13 / 55, 16 / 55, 1])
    lang = korstabell_andelar(SOT_PER_INSATS, riktning="rad", lang=True)
    assert lang.loc[(lang["utfall"] == "Arbete") & (lang["insats"] == "MAC"), "namnare"].item() == 7


def test_korstabell_nollkolumn_ger_nan():
    t = pd.DataFrame({"A": [0, 0], "B": [1, 3]}, index=["x", "y"])
    k = korstabell_andelar(t, riktning="kolumn")
    assert k["A"].isna().all()
    assert k["B"].tolist() == [0.25, 0.75]


def test_korstabell_vagrar_summarad_och_fel_riktning():
    med_summa = SOT_PER_INSATS.copy()
    med_summa.loc["Totalt"] = med_summa.sum()
    with pytest.raises(ValueError, match="summarad"):
        korstabell_andelar(med_summa)
    with pytest.raises(ValueError, match="riktning"):
        korstabell_andelar(SOT_PER_INSATS, riktning="diagonal")


def test_korstabell_muterar_inte():
    kopia = SOT_PER_INSATS.copy()
    korstabell_andelar(SOT_PER_INSATS, riktning="total", marginaler=True)
    pd.testing.assert_frame_equal(SOT_PER_INSATS, kopia)


def test_korstabell_fran_lang_tabell_skippar_totalt():
    lang = SOT_PER_INSATS.stack().rename("antal").reset_index()
    lang = pd.concat(
        [lang, pd.DataFrame({"utfall": ["Totalt"], "insats": ["MAC"], "antal": [26]})],
        ignore_index=True,
    )
    lang["period"] = "2019"
    t = korstabell(lang)
    pd.testing.assert_frame_equal(t, SOT_PER_INSATS, check_dtype=False)


# ------------------------------------------------------------ egenskapstester
@settings(deadline=None)
@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=12),
    st.integers(1, 1000),
)
def test_andelar_oforandrade_nar_antal_skalas(antal, faktor):
    a = andelar(antal)["andel"]
    b = andelar([x * faktor for x in antal])["andel"]
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12, equal_nan=True)


@settings(deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=12).filter(lambda x: sum(x) > 0))
def test_delar_av_helhet_summerar_till_ett(antal):
    assert andelar(antal)["andel"].sum() == pytest.approx(1.0)


@settings(deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 500), min_size=3, max_size=3), min_size=2, max_size=5),
    st.integers(1, 50),
    st.sampled_from(["kolumn", "rad", "total"]),
)
def test_korstabell_andelar_oforandrade_nar_antal_skalas(rader, faktor, riktning):
    t = pd.DataFrame(rader, columns=["a", "b", "c"])
    a = korstabell_andelar(t, riktning=riktning, marginaler=True)
    b = korstabell_andelar(t * faktor, riktning=riktning, marginaler=True)
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12, equal_nan=True)
