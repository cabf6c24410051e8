"""Tester för helårsekvivalenter.

Förväntade värden är handräknade ur delårsrapporten jan–aug 2021 för Samordningsförbundet Västerås
(seed 001, tabellerna "Helårsekvivalenter", "Länets kommuner 2020" och riket per kön).
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.helarsekvivalenter import (
    andel_av_befolkning,
    befolkningsandelar,
    forandring_mellan_ar,
    helarsekvivalenter,
    konsfordelning,
)
from finsam_analys.perioder import Rapportperiod

FORMER = [
    "Sjukpenning",
    "Sjuk- och aktivitetsersättning",
    "Arbetslöshet",
    "Arbetsmarknadsåtgärder",
    "Ekonomiskt bistånd",
    "Etableringsersättning",
]

# Seed 001, "Helårsekvivalenter": region, år, sex former, publicerat Totalt, folkmängd 20–64.
OBJEKT = [
    ("Västerås", 2020, [1905, 3475, 2148, 3381, 2072, 470], 13451, 88586),
    ("Västerås", 2019, [1992, 3629, 1308, 2753, 2118, 734], 12533, 87797),
    ("Västerås", 2018, [2223, 3826, 1179, 2830, 2058, 1082], 13198, 86708),
    ("Riket", 2020, [150044, 225528, 124182, 172472, 94555, 23029], 789810, 5876835),
    ("Riket", 2019, [150616, 236460, 80101, 145849, 91895, 37058], 741979, 5858492),
    ("Västmanlands län", 2020, [3528, 6631, 3565, 6107, 3133, 855], 23817, 152318),
    ("Västmanlands län", 2019, [4041, 6962, 2206, 5204, 3102, 1361], 22515, 151827),
]

# Seed 001, "Länets kommuner 2020": former, Totalt, folkmängd 20–64, publicerad andel (%).
KOMMUNER_2020 = [
    ("Skinnskatteberg", [62, 126, 37, 68, 56, 5], 354, 2204, 16.1),
    ("Surahammar", [127, 232, 131, 177, 55, 25], 745, 5229, 14.2),
    ("Kungsör", [130, 245, 94, 251, 73, 35], 828, 4542, 18.2),
    ("Hallstahammar", [207, 421, 185, 269, 93, 43], 1218, 8687, 14.0),
    ("Norberg", [80, 134, 56, 129, 91, 22], 513, 2890, 17.7),
    ("Västerås", [1905, 3475, 2148, 3381, 2072, 470], 13451, 88586, 15.2),
    ("Sala", [314, 609, 234, 460, 153, 60], 1831, 12068, 15.2),
    ("Fagersta", [179, 366, 163, 420, 153, 63], 1343, 6988, 19.2),
    ("Köping", [347, 699, 338, 653, 228, 88], 2354, 13784, 17.1),
    ("Arboga", [176, 323, 179, 300, 160, 42], 1181, 7340, 16.1),
]

# Seed 001, riket efter kön: (år, form) -> (kvinnor, män, publicerat totalt).
RIKET_KON = {
    2020: {
        "Sjukpenning": (95746, 54410, 150156),
        "Sjuk- och aktivitetsersättning": (126322, 99519, 225841),
        "Arbetslöshet": (55259, 68924, 124182),
        "Arbetsmarknadspolitiska åtgärder": (83251, 89221, 172472),
        "Ekonomiskt bistånd": (48608, 45946, 94555),
        "Etableringsersättning": (13719, 9318, 23036),
        "Totalt": (422904, 367337, 790242),
    },
    2019: {
        "Sjukpenning": (96889, 53727, 150616),
        "Sjuk- och aktivitetsersättning": (132907, 103552, 236460),
        "Arbetslöshet": (36375, 43726, 80101),
        "Arbetsmarknadspolitiska åtgärder": (68580, 77269, 145849),
        "Ekonomiskt bistånd": (47457, 44438, 91895),
        "Etableringsersättning": (20897, 16161, 37058),
        "Totalt": (403106, 338873, 741979),
    },
}


def _scb_tabell(rader) -> pd.DataFrame:
    poster = []
    for region, ar, varden, totalt, folk in rader:
        for form, hae in zip(FORMER, varden, strict=True):
            poster.append((region, ar, form, "Totalt", hae, folk))
        poster.append((region, ar, "Totalt", "Totalt", totalt, folk))
    return pd.DataFrame(
        poster, columns=["region", "ar", "ersattningsform", "kon", "hae", "folkmangd_20_64"]
    )


@pytest.fixture
def objekt() -> pd.DataFrame:
    return _scb_tabell(OBJEKT)


@pytest.fixture
def kommuner() -> pd.DataFrame:
    return _scb_tabell([(k, 2020, v, t, f) for k, v, t, f, _ in KOMMUNER_2020])


@pytest.fixture
def riket_kon() -> pd.DataFrame:
    poster = []
    for ar, former in RIKET_KON.items():
        for form, (kvinnor, man, totalt) in former.items():
            for kon, hae in (("Kvinnor", kvinnor), ("Män", man), ("Totalt", totalt)):
                poster.append(("Riket", ar, form, kon, hae))
    return pd.DataFrame(poster, columns=["region", "ar", "ersattningsform", "kon", "hae"])


# --- SCB-aggregat ------------------------------------------------------------------------------


def test_vasteras_2020_andel(objekt):
    ut = befolkningsandelar(objekt).set_index(["region", "ar"])
    rad = ut.loc[("Västerås", 2020)]
    assert rad["hae"] == 13451  # 1 905 + 3 475 + 2 148 + 3 381 + 2 072 + 470
    assert rad["folkmangd_20_64"] == 88586
    assert rad["andel"] == pytest.approx(13451 / 88586)
    assert round(rad["andel"] * 100, 1) == 15.2


def test_riket_2020_andel(objekt):
    rad = befolkningsandelar(objekt).set_index(["region", "ar"]).loc[("Riket", 2020)]
    assert rad["hae"] == 789810
    assert round(rad["andel"] * 100, 1) == 13.4


def test_andel_av_befolkning_skalar():
    assert andel_av_befolkning(13451, 88586) == pytest.approx(0.151841, abs=1e-6)
    assert round(andel_av_befolkning(789810, 5876835) * 100, 1) == 13.4


def test_publicerade_summarader_ignoreras(objekt):
    # Västerås 2019: delarna summerar till 12 534, rapporten trycker 12 533 (SCB:s avrundning).
    forvanskad = objekt.copy()
    forvanskad.loc[forvanskad["ersattningsform"] == "Totalt", "hae"] = 0
    rad = befolkningsandelar(forvanskad).set_index(["region", "ar"]).loc[("Västerås", 2019)]
    assert rad["hae"] == 12534


def test_lanets_summa_summerar_hae_och_folkmangd(kommuner):
    # Rapportens summarad: 23 817 / 152 318 = 15,6 %, men andelen trycks som 16,3, vilket är
    # medelvärdet av kommunernas andelar. Kommunernas former summerar till 23 817, kommunernas
    # tryckta Totalt till 23 818 (SCB avrundar varje cell); andelen blir 15,6 % oavsett.
    ut = befolkningsandelar(kommuner, per="ar").iloc[0]
    assert ut["hae"] == 23817
    assert ut["folkmangd_20_64"] == 152318
    assert round(ut["andel"] * 100, 1) == 15.6
    assert round(andel_av_befolkning(23817, 152318) * 100, 1) == 15.6
    medel_av_andelar = sum(a for *_, a in KOMMUNER_2020) / len(KOMMUNER_2020)
    assert round(medel_av_andelar, 1) == 16.3  # rapportens (felaktiga) siffra
    hae = [t for _, _, t, _, _ in KOMMUNER_2020]
    folk = [f for _, _, _, f, _ in KOMMUNER_2020]
    assert sum(hae) == 23818
    assert andel_av_befolkning(hae, folk) == pytest.approx(23818 / 152318)


def test_lanets_summa_per_form(kommuner):
    # Kommunernas sjukpenning summerar till 3 527 (summaraden: 3 528), etablering 853 (855).
    ut = befolkningsandelar(kommuner, per=["ar", "ersattningsform"]).set_index("ersattningsform")
    assert ut.loc["Sjukpenning", "hae"] == 3527
    assert ut.loc["Etableringsersättning", "hae"] == 853
    assert (ut["folkmangd_20_64"] == 152318).all()


def test_olika_folkmangd_for_samma_region_ar_ar_fel(objekt):
    trasig = objekt.copy()
    trasig.loc[0, "folkmangd_20_64"] = 1
    with pytest.raises(ValueError, match="Olika folkmängd"):
        befolkningsandelar(trasig)


def test_arbetsloshet_riket_2019_2020(objekt):
    riket = objekt[objekt["region"] == "Riket"]
    ut = forandring_mellan_ar(riket, fran=2019, till=2020).set_index("ersattningsform")
    # 80 101 -> 124 182 = +55 %
    assert ut.loc["Arbetslöshet", "forandring"] == pytest.approx(124182 / 80101 - 1)
    assert round(ut.loc["Arbetslöshet", "forandring"] * 100) == 55
    # Totalt räknat ur delarna: 741 979 -> 789 810
    assert ut.loc["Totalt", "hae_fran"] == 741979
    assert ut.loc["Totalt", "hae_till"] == 789810


def test_etableringsersattning_minskade_38_inte_37_procent(riket_kon):
    # Texten: "2020 minskade antalet med hela 37 procent"; 37 058 -> 23 036 är -37,8 %.
    ut = forandring_mellan_ar(riket_kon, fran=2019, till=2020).set_index(["kon", "ersattningsform"])
    rad = ut.loc[("Totalt", "Etableringsersättning")]
    assert round(rad["forandring"] * 100) == -38
    # Sjuk- och aktivitetsersättning minskade med 4,5 % (236 460 -> 225 841)
    rad = ut.loc[("Totalt", "Sjuk- och aktivitetsersättning")]
    assert round(rad["forandring"] * 100, 1) == -4.5


def test_konsfordelning_sjukpenning_2020(riket_kon):
    ut = konsfordelning(riket_kon).set_index(["ar", "ersattningsform", "kon"])
    rad = ut.loc[(2020, "Sjukpenning", "Kvinnor")]
    assert rad["hae"] == 95746
    assert rad["namnare"] == 150156
    assert round(rad["andel"] * 100, 1) == 63.8
    assert round(ut.loc[(2020, "Sjukpenning", "Män"), "andel"] * 100, 1) == 36.2
    # Totalt ur formerna (publicerade summarader används inte): 53,5 / 46,5
    assert round(ut.loc[(2020, "Totalt", "Kvinnor"), "andel"] * 100, 1) == 53.5
    assert round(ut.loc[(2019, "Etableringsersättning", "Kvinnor"), "andel"] * 100, 1) == 56.4


def test_konsfordelning_summerar_till_ett(riket_kon):
    ut = konsfordelning(riket_kon)
    summor = ut.groupby(["ar", "ersattningsform"])["andel"].sum()
    assert np.allclose(summor, 1.0)


# --- ersättningsperioder -----------------------------------------------------------------------


def _perioder(rader) -> pd.DataFrame:
    return pd.DataFrame(rader, columns=["person", "ersattningsform", "fran", "till", "omfattning"])


def test_tva_personer_ett_halvar_var_blir_en():
    # 2020 är skottår: 1 jan–30 jun = 182 dagar, 1 jul–31 dec = 184 dagar; 366/366 = 1.
    perioder = _perioder(
        [
            (1, "Arbetslöshet", "2020-01-01", "2020-06-30", 1.0),
            (2, "Arbetslöshet", "2020-07-01", "2020-12-31", 1.0),
        ]
    )
    ut = helarsekvivalenter(perioder, period="2020").set_index("ersattningsform")
    assert ut.loc["Arbetslöshet", "hae"] == pytest.approx(1.0)
    assert ut.loc["Totalt", "hae"] == pytest.approx(1.0)


def test_halvtid_och_klippning_till_perioden():
    perioder = _perioder(
        [
            (1, "Sjukpenning", "2018-06-01", "2019-12-31", 0.5),  # helår 2019 på halvtid
            (2, "Sjukpenning", "2019-12-02", "2020-03-01", 1.0),  # 30 dagar i 2019
            (3, "Arbetslöshet", "2021-01-01", "2021-02-01", 1.0),  # utanför
        ]
    )
    ut = helarsekvivalenter(perioder, period="2019", med_totalt=False)
    assert ut["ersattningsform"].tolist() == ["Arbetslöshet", "Sjukpenning"]
    assert ut["hae"].tolist() == pytest.approx([0.0, 0.5 + 30 / 365])


def test_pagaende_period_utan_slutdatum():
    perioder = _perioder([(1, "Sjukpenning", "2019-07-01", None, 1.0)])
    ut = helarsekvivalenter(perioder, period="2019", med_totalt=False)
    assert ut["hae"].iloc[0] == pytest.approx(184 / 365)


def test_period_over_arsskifte_vager_dagar_efter_sitt_ar():
    # juli 2015–juni 2016: 184 dagar i 2015 (365) och 182 dagar i 2016 (366).
    perioder = _perioder([(1, "Sjukpenning", "2015-01-01", "2016-12-31", 1.0)])
    ut = helarsekvivalenter(perioder, period="2015-07..2016-06", med_totalt=False)
    assert ut["hae"].iloc[0] == pytest.approx(184 / 365 + 182 / 366)
    arlig = helarsekvivalenter(
        perioder, period="2015-07..2016-06", med_totalt=False, omraknat_till_helar=True
    )
    assert arlig["hae"].iloc[0] == pytest.approx(1.0)


def test_delar_ar_omraknat_till_helar():
    perioder = _perioder([(1, "Sjukpenning", "2021-01-01", "2021-04-30", 1.0)])
    ut = helarsekvivalenter(
        perioder, period="2021-01..2021-08", med_totalt=False, omraknat_till_helar=True
    )
    assert ut["hae"].iloc[0] == pytest.approx(120 / 243)


def test_per_kon_och_totalt_per_kon():
    perioder = _perioder(
        [
            (1, "Sjukpenning", "2019-01-01", "2019-12-31", 1.0),
            (2, "Sjukpenning", "2019-01-01", "2019-12-31", 0.25),
            (2, "Arbetslöshet", "2019-01-01", "2019-12-31", 0.75),
        ]
    ).assign(kon=["Kvinnor", "Män", "Män"])
    ut = helarsekvivalenter(
        perioder, period=Rapportperiod.tolka("2019"), per=["ersattningsform", "kon"]
    )
    ut = ut.set_index(["ersattningsform", "kon"])["hae"]
    assert ut[("Sjukpenning", "Kvinnor")] == pytest.approx(1.0)
    assert ut[("Sjukpenning", "Män")] == pytest.approx(0.25)
    assert ut[("Totalt", "Män")] == pytest.approx(1.0)
    assert ut[("Totalt", "Kvinnor")] == pytest.approx(1.0)


def test_indata_muteras_inte():
    perioder = _perioder([(1, "Sjukpenning", "2019-01-01", "2019-12-31", 1.0)])
    kopia = perioder.copy()
    helarsekvivalenter(perioder, period="2019")
    pd.testing.assert_frame_equal(perioder, kopia)


@pytest.mark.parametrize(
    ("rad", "meddelande"),
    [
        ((1, "Sjukpenning", "2019-05-01", "2019-04-01", 1.0), "slutar"),
        ((1, "Sjukpenning", "2019-01-01", "2019-04-01", 1.5), "omfattning"),
        ((1, "Sjukpenning", None, "2019-04-01", 1.0), "fran"),
    ],
)
def test_felaktiga_perioder(rad, meddelande):
    with pytest.raises(ValueError, match=meddelande):
        helarsekvivalenter(_perioder([rad]), period="2019")


def test_saknad_kolumn():
    with pytest.raises(ValueError, match="saknar kolumnerna"):
        helarsekvivalenter(pd.DataFrame({"fran": [], "till": []}), period="2019")


def test_en_miljon_rader_ar_snabbt():
    n = 1_000_000
    rng = np.random.default_rng(7)
    fran = np.datetime64("2019-06-01") + rng.integers(0, 400, n)
    perioder = pd.DataFrame(
        {
            "person": rng.integers(0, 300_000, n),
            "ersattningsform": rng.choice(FORMER, n),
            "fran": fran,
            "till": fran + rng.integers(0, 200, n),
            "omfattning": rng.choice([0.25, 0.5, 1.0], n),
        }
    )
    ut = helarsekvivalenter(perioder, period="2020")
    assert len(ut) == len(FORMER) + 1


# --- egenskaper --------------------------------------------------------------------------------

_START = dt.date(2018, 1, 1)


@st.composite
def _ersattningsperioder(draw):
    """Personer med disjunkta perioder (omfattning <= 1) inom 2018–2021."""
    rader = []
    for person in range(draw(st.integers(1, 6))):
        granser = sorted(draw(st.sets(st.integers(0, 4 * 365), min_size=2, max_size=8)))
        for a, b in zip(granser[::2], granser[1::2], strict=False):
            rader.append(
                (
                    person,
                    draw(st.sampled_from(["Sjukpenning", "Arbetslöshet"])),
                    _START + dt.timedelta(days=a),
                    _START + dt.timedelta(days=b - 1),  # b > a, så till >= fran
                    draw(st.sampled_from([0.25, 0.5, 0.75, 1.0])),
                )
            )
    return _perioder(rader)


@settings(max_examples=25, deadline=None)
@given(
    perioder=_ersattningsperioder(),
    start=st.integers(0, 3 * 365),
    langd=st.integers(1, 500),
    klyv=st.integers(0, 499),
)
def test_egenskap_additiv_over_disjunkta_perioder(perioder, start, langd, klyv):
    klyv = klyv % langd
    borjan = _START + dt.timedelta(days=start)
    mitt = borjan + dt.timedelta(days=klyv)
    slut = borjan + dt.timedelta(days=langd)
    hela = Rapportperiod.fran_datum(borjan, slut)
    forsta = Rapportperiod.fran_datum(borjan, mitt)
    andra = Rapportperiod.fran_datum(mitt + dt.timedelta(days=1), slut)

    def totalt(period):
        ut = helarsekvivalenter(perioder, period=period)
        return ut.loc[ut["ersattningsform"] == "Totalt", "hae"].iloc[0]

    assert totalt(hela) == pytest.approx(totalt(forsta) + totalt(andra), abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(perioder=_ersattningsperioder(), ar=st.sampled_from(["2018", "2019", "2020", "2021"]))
def test_egenskap_hae_hogst_antal_personer(perioder, ar):
    ut = helarsekvivalenter(perioder, period=ar)
    totalt = ut.loc[ut["ersattningsform"] == "Totalt", "hae"].iloc[0]
    assert 0 <= totalt <= perioder["person"].nunique() + 1e-9


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 50_000), st.integers(1, 100_000)), min_size=1, max_size=12)
)
def test_egenskap_summerad_andel_ligger_mellan_regionernas(regioner):
    hae = [min(h, f) for h, f in regioner]
    folk = [f for _, f in regioner]
    andel = andel_av_befolkning(hae, folk)
    andelar = [h / f for h, f in zip(hae, folk, strict=True)]
    assert min(andelar) - 1e-12 <= andel <= max(andelar) + 1e-12


# --- jämförelse med en enkel referens (per rad och dag) -----------------------------------------

_MODUL = importlib.import_module("finsam_analys.matt.helarsekvivalenter")
_SAKNAS = object()  # saknat värde i en grupperingskolumn (NaN/None), sorteras sist


def _nyckel(varde):
    return _SAKNAS if varde is None or (isinstance(varde, float) and math.isnan(varde)) else varde


def _dagar_i_aret(ar: int) -> int:
    return 366 if ar % 4 == 0 and (ar % 100 != 0 or ar % 400 == 0) else 365


def _sortering(nyckel):
    return tuple((v is _SAKNAS, "" if v is _SAKNAS else v) for v in nyckel)


def _referens(rader, period, per, *, med_totalt, omraknat):
    """HÅE dag för dag i ren Python: lista av (gruppnyckel, hae) i förväntad ordning."""
    summor = {}
    for rad in rader:
        nyckel = tuple(_nyckel(rad[k]) for k in per)
        hae = 0.0
        dag = max(rad["fran"], period.start)
        sista = period.slut if rad["till"] is None else min(rad["till"], period.slut)
        while dag <= sista:
            hae += rad["omfattning"] / _dagar_i_aret(dag.year)
            dag += dt.timedelta(days=1)
        summor[nyckel] = summor.get(nyckel, 0.0) + hae
    if omraknat:
        langd, dag = 0.0, period.start
        while dag <= period.slut:
            langd += 1 / _dagar_i_aret(dag.year)
            dag += dt.timedelta(days=1)
        summor = {k: v / langd for k, v in summor.items()}
    ut = sorted(summor.items(), key=lambda par: _sortering(par[0]))
    if med_totalt and "ersattningsform" in per:
        i = per.index("ersattningsform")
        totalt = {}
        for nyckel, hae in ut:
            ovriga = nyckel[:i] + nyckel[i + 1 :]
            totalt[ovriga] = totalt.get(ovriga, 0.0) + hae
        if not ut and len(per) == 1:
            totalt[()] = 0.0
        for ovriga, hae in sorted(totalt.items(), key=lambda par: _sortering(par[0])):
            ut.append((ovriga[:i] + ("Totalt",) + ovriga[i:], hae))
    return ut


@st.composite
def _blandade_perioder(draw):
    """Små ersättningsperioder med saknade gruppvärden, pågående perioder och olika dtyper."""
    rader = []
    for _ in range(draw(st.integers(0, 12))):
        fran = _START + dt.timedelta(days=draw(st.integers(0, 4 * 365)))
        langd = draw(st.one_of(st.none(), st.integers(0, 500)))
        rader.append(
            {
                "ersattningsform": draw(st.sampled_from(["Sjukpenning", "Arbetslöshet", None])),
                "kon": draw(st.sampled_from(["Kvinna", "Man", None])),
                "grupp": draw(st.sampled_from([1.0, 2.0, float("nan")])),
                "fran": fran,
                "till": None if langd is None else fran + dt.timedelta(days=langd),
                "omfattning": draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
            }
        )
    tabell = pd.DataFrame(
        rader, columns=["ersattningsform", "kon", "grupp", "fran", "till", "omfattning"]
    )
    tabell["grupp"] = tabell["grupp"].astype(np.float64)
    textdtyp = draw(st.sampled_from(["str", "object", "category"]))
    for kolumn in ("ersattningsform", "kon"):
        tabell[kolumn] = tabell[kolumn].astype(textdtyp)
    datumformat = draw(st.sampled_from(["date", "text", "s", "us", "ns"]))
    for kolumn in ("fran", "till"):
        varden = [None if d is None else d.isoformat() for d in tabell[kolumn]]
        if datumformat == "text":
            tabell[kolumn] = pd.Series(varden, dtype=object)
        elif datumformat != "date":
            tabell[kolumn] = pd.to_datetime(pd.Series(varden, dtype=object)).astype(
                f"datetime64[{datumformat}]"
            )
    return rader, tabell


@settings(max_examples=150, deadline=None)
@given(
    data=_blandade_perioder(),
    start=st.integers(0, 3 * 365),
    langd=st.integers(0, 800),
    per=st.sampled_from(
        [
            ["ersattningsform"],
            ["ersattningsform", "kon"],
            ["kon", "ersattningsform"],
            ["kon"],
            ["grupp", "ersattningsform"],
        ]
    ),
    med_totalt=st.booleans(),
    omraknat=st.booleans(),
    block=st.sampled_from([1, 2, 5, 1 << 16]),
    max_grupper=st.sampled_from([0, 3, 1 << 12]),
)
def test_egenskap_som_referensen_per_rad_och_dag(
    data, start, langd, per, med_totalt, omraknat, block, max_grupper
):
    rader, tabell = data
    borjan = _START + dt.timedelta(days=start)
    period = Rapportperiod.fran_datum(borjan, borjan + dt.timedelta(days=langd))
    kopia = tabell.copy(deep=True)
    # Små block och få grupper per block prövar blockgränserna och vägen utan block.
    with (
        mock.patch.object(_MODUL, "_BLOCK", block),
        mock.patch.object(_MODUL, "_MAX_GRUPPER_BLOCKVIS", max_grupper),
    ):
        ut = helarsekvivalenter(
            tabell, period=period, per=per, med_totalt=med_totalt, omraknat_till_helar=omraknat
        )
    pd.testing.assert_frame_equal(tabell, kopia)
    forvantat = _referens(rader, period, per, med_totalt=med_totalt, omraknat=omraknat)
    assert list(ut.columns) == [*per, "hae"]
    assert ut["hae"].dtype == np.float64
    fatt = [tuple(_nyckel(v) for v in rad[:-1]) for rad in ut.itertuples(index=False)]
    assert fatt == [nyckel for nyckel, _ in forvantat]
    assert ut["hae"].tolist() == pytest.approx([h for _, h in forvantat], rel=1e-9, abs=1e-12)


def test_identiska_dubbletter_raknas_en_gang(objekt, kommuner):
    # Västerås 2020 finns både i "Helårsekvivalenter" och i "Länets kommuner 2020".
    bada = pd.concat([objekt, kommuner], ignore_index=True)
    rad = befolkningsandelar(bada).set_index(["region", "ar"]).loc[("Västerås", 2020)]
    assert rad["hae"] == 13451
    assert rad["folkmangd_20_64"] == 88586


def test_motstridiga_dubbletter_ar_fel(objekt, riket_kon):
    # Riket 2020 sjukpenning: 150 044 i "Helårsekvivalenter" men 150 156 i tabellen efter kön.
    bada = pd.concat(
        [objekt.assign(kalltabell="s. 14"), riket_kon.assign(kalltabell="s. 15")],
        ignore_index=True,
    )
    with pytest.raises(ValueError, match="kalltabell"):
        forandring_mellan_ar(bada[bada["region"] == "Riket"], fran=2019, till=2020)
    # könsfördelningen använder bara Kvinnor/Män och påverkas inte
    ut = konsfordelning(bada).set_index(["ar", "ersattningsform", "kon"])
    assert round(ut.loc[(2020, "Sjukpenning", "Kvinnor"), "andel"] * 100, 1) == 63.8


def test_alla_tryckta_konsfordelningar_reproduceras(riket_kon):
    # Seed 001, "Könsfördelning inom respektive ersättningsform", andel kvinnor (%).
    tryckt = {
        2020: [63.8, 55.9, 44.5, 48.3, 51.4, 59.6, 53.5],
        2019: [64.3, 56.2, 45.4, 47.0, 51.6, 56.4, 54.3],
    }
    ut = konsfordelning(riket_kon)
    for ar, procent in tryckt.items():
        kvinnor = ut[(ut["ar"] == ar) & (ut["kon"] == "Kvinnor")]
        assert [round(a * 100, 1) for a in kvinnor["andel"]] == procent
