"""Tester för finsam_analys.perioder (Rapportperiod)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.perioder import Rapportperiod

D = dt.date


@pytest.mark.parametrize(
    ("text", "kod", "start", "slut", "namn"),
    [
        # SOT årsrapport 2019: "Årsrapporten gäller för 2019-01-01–2019-12-31"
        ("2019", "2019", D(2019, 1, 1), D(2019, 12, 31), "2019"),
        ("2019H1", "2019H1", D(2019, 1, 1), D(2019, 6, 30), "första halvåret 2019"),
        ("2019H2", "2019H2", D(2019, 7, 1), D(2019, 12, 31), "andra halvåret 2019"),
        ("2023T1", "2023T1", D(2023, 1, 1), D(2023, 4, 30), "första tertialet 2023"),
        ("2023T2", "2023T2", D(2023, 5, 1), D(2023, 8, 31), "andra tertialet 2023"),
        ("2023T3", "2023T3", D(2023, 9, 1), D(2023, 12, 31), "tredje tertialet 2023"),
        ("2020K1", "2020K1", D(2020, 1, 1), D(2020, 3, 31), "första kvartalet 2020"),
        ("2020K4", "2020K4", D(2020, 10, 1), D(2020, 12, 31), "fjärde kvartalet 2020"),
        # delårsrapport Västerås jan–aug 2021
        (
            "2021-01..2021-08",
            "2021-01..2021-08",
            D(2021, 1, 1),
            D(2021, 8, 31),
            "januari–augusti 2021",
        ),
        # Avesta helårsrapport 2015-07-01 – 2016-06-30
        (
            "2015-07..2016-06",
            "2015-07..2016-06",
            D(2015, 7, 1),
            D(2016, 6, 30),
            "juli 2015–juni 2016",
        ),
        (
            "2015-07-01 – 2016-06-30",
            "2015-07-01..2016-06-30",
            D(2015, 7, 1),
            D(2016, 6, 30),
            "1 juli 2015–30 juni 2016",
        ),
        # SOT: "Resultatet är beräknat på underlag för perioden januari-november 2019"
        (
            "2019-01-01..2019-11-30",
            "2019-01-01..2019-11-30",
            D(2019, 1, 1),
            D(2019, 11, 30),
            "1 januari–30 november 2019",
        ),
        (
            "2019-01-01–2019-12-31",
            "2019-01-01..2019-12-31",
            D(2019, 1, 1),
            D(2019, 12, 31),
            "1 januari–31 december 2019",
        ),
        ("2019-05", "2019-05", D(2019, 5, 1), D(2019, 5, 31), "maj 2019"),
        ("2019-5..2019-05", "2019-05", D(2019, 5, 1), D(2019, 5, 31), "maj 2019"),
        ("2019-01..2019-05", "2019-01..2019-05", D(2019, 1, 1), D(2019, 5, 31), "januari–maj 2019"),
        (
            "2024-02-01..2024-02-29",
            "2024-02-01..2024-02-29",
            D(2024, 2, 1),
            D(2024, 2, 29),
            "1–29 februari 2024",
        ),
        (" 2019h2 ", "2019H2", D(2019, 7, 1), D(2019, 12, 31), "andra halvåret 2019"),
        (2019, "2019", D(2019, 1, 1), D(2019, 12, 31), "2019"),
    ],
)
def test_tolka(text, kod, start, slut, namn):
    p = Rapportperiod.tolka(text)
    assert (p.kod, p.start, p.slut, p.namn) == (kod, start, slut, namn)
    assert str(p) == kod


@pytest.mark.parametrize(
    ("kod", "dagar"),
    [
        ("2019", 365),
        ("2020", 366),
        ("2021-01..2021-08", 243),
        ("2015-07..2016-06", 366),
        ("2019H1", 181),
        ("2019-01-01..2019-11-30", 334),
    ],
)
def test_antal_dagar(kod, dagar):
    assert Rapportperiod.tolka(kod).antal_dagar == dagar


@pytest.mark.parametrize(
    ("kod", "foregaende"),
    [
        ("2019", "2018"),
        ("2019H1", "2018H1"),
        ("2019H2", "2018H2"),
        ("2023T2", "2022T2"),
        ("2021-01..2021-08", "2020-01..2020-08"),
        ("2015-07..2016-06", "2014-07..2015-06"),
        ("2019-01-01..2019-11-30", "2018-01-01..2018-11-30"),
        ("2020-02-01..2020-02-29", "2019-02-01..2019-02-28"),
        ("2018-01..2019-12", "2016-01..2017-12"),  # två år: flytta två år
    ],
)
def test_foregaende(kod, foregaende):
    assert Rapportperiod.tolka(kod).foregaende().kod == foregaende


def test_lika_oavsett_skrivsatt_och_ordning():
    assert Rapportperiod.tolka("2019H1") == Rapportperiod.tolka("2019-01..2019-06")
    assert Rapportperiod.tolka("2019") == Rapportperiod.tolka("2019-01-01..2019-12-31")
    assert Rapportperiod.tolka("2019") != Rapportperiod.tolka("2019-01-01..2019-11-30")
    assert len({Rapportperiod.tolka("2019H1"), Rapportperiod.tolka("2019-01..2019-06")}) == 1
    koder = ["2020", "2019H2", "2019", "2019H1"]
    assert [p.kod for p in sorted(map(Rapportperiod.tolka, koder))] == [
        "2019H1",
        "2019",
        "2019H2",
        "2020",
    ]


def test_innehaller():
    p = Rapportperiod.tolka("2021-01..2021-08")
    assert p.innehaller(D(2021, 8, 31))
    assert p.innehaller("2021-01-01")
    assert p.innehaller(pd.Timestamp("2021-05-05"))
    assert not p.innehaller(D(2021, 9, 1))
    assert not p.innehaller(dt.datetime(2020, 12, 31, 23, 59))
    s = pd.Series(pd.to_datetime(["2020-12-31", "2021-03-01", None, "2021-08-31"]))
    assert p.innehaller(s).tolist() == [False, True, False, True]


def test_overlappar_perioder():
    p = Rapportperiod.tolka("2019")
    assert p.overlappar("2019H2")
    assert p.overlappar(Rapportperiod.tolka("2018-07..2019-01"))
    assert not p.overlappar("2018")
    assert not p.overlappar("2020-01..2020-06")


def test_overlappar_intervall_och_serier():
    p = Rapportperiod.tolka("2019")
    # inskriven 2018, avslutad 2019-01-01: deltog under 2019
    assert p.overlappar("2018-05-01", "2019-01-01")
    assert not p.overlappar("2018-05-01", "2018-12-31")
    assert p.overlappar(D(2017, 1, 1), None)  # pågår fortfarande
    inskriven = pd.Series(
        pd.to_datetime(["2018-05-01", "2018-05-01", "2019-12-31", "2020-01-01", None, "2017-01-01"])
    )
    avslut = pd.Series(pd.to_datetime(["2019-01-01", "2018-12-31", None, None, None, None]))
    assert p.overlappar(inskriven, avslut).tolist() == [True, False, True, False, False, True]
    assert p.overlappar(inskriven).tolist() == [True, True, True, False, False, True]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "19",
        "2019H3",
        "2019T4",
        "2019K5",
        "2019-13",
        "2019-00..2019-05",
        "2019-06..2019-01",
        "2019-02-30..2019-03-01",
        "2019-12-01..2019-11-30",
        "helår 2019",
        "2019/2020",
        "0019",
    ],
)
def test_okand_eller_ogiltig_text_ger_svenskt_fel(text):
    with pytest.raises(ValueError, match=r"(Okänd|Ogiltig|Orimligt).*rapportperiod"):
        Rapportperiod.tolka(text)


def test_okand_text_listar_tillatna_former():
    with pytest.raises(ValueError, match="Tillåtna former") as fel:
        Rapportperiod.tolka("vår 2019")
    assert "2021-01..2021-08" in str(fel.value)


def test_fel_typ():
    with pytest.raises(TypeError):
        Rapportperiod.tolka(2019.5)
    with pytest.raises(TypeError):
        Rapportperiod.tolka(True)


def test_frusen():
    p = Rapportperiod.tolka("2019")
    with pytest.raises(AttributeError):
        p.start = D(2018, 1, 1)


# ------------------------------------------------------------------ egenskapstester
_ar = st.integers(1990, 2060)


@st.composite
def perioder(draw) -> Rapportperiod:
    typ = draw(st.sampled_from(["helar", "H", "T", "K", "manader", "datum"]))
    ar = draw(_ar)
    if typ == "helar":
        return Rapportperiod.tolka(str(ar))
    if typ in "HTK":
        nr = draw(st.integers(1, {"H": 2, "T": 3, "K": 4}[typ]))
        return Rapportperiod.tolka(f"{ar}{typ}{nr}")
    if typ == "manader":
        m1 = draw(st.integers(1, 12))
        langd = draw(st.integers(0, 30))
        idx = ar * 12 + m1 - 1 + langd
        return Rapportperiod.tolka(f"{ar}-{m1:02d}..{idx // 12}-{idx % 12 + 1:02d}")
    start = draw(st.dates(D(1990, 1, 1), D(2060, 12, 31)))
    slut = start + dt.timedelta(days=draw(st.integers(0, 900)))
    return Rapportperiod.fran_datum(start, slut)


@settings(deadline=None)
@given(perioder())
def test_tolka_kod_ger_samma_period(p):
    q = Rapportperiod.tolka(p.kod)
    assert q == p
    assert (q.kod, q.typ, q.start, q.slut) == (p.kod, p.typ, p.start, p.slut)
    assert p.namn


@settings(deadline=None)
@given(perioder())
def test_foregaende_ar_tidigare_och_jamforbar(p):
    f = p.foregaende()
    assert f.typ == p.typ
    assert f.slut < p.start
    assert not f.overlappar(p)
    # samma längd i dagar, bortsett från skottdagar
    assert abs(f.antal_dagar - p.antal_dagar) <= 3
    assert (f.start.month, f.slut.month) == (p.start.month, p.slut.month)


@settings(deadline=None)
@given(perioder(), st.dates(D(1985, 1, 1), D(2065, 12, 31)))
def test_innehaller_stammer_med_overlappar_en_dag(p, datum):
    assert p.innehaller(datum) == p.overlappar(datum, datum)
