"""Tester för finsam_analys.indata.tryckt_cell: celler som de trycks i förbundens rapporter."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.indata.tryckt_cell import TolkningsFel, tolka_cell, tolka_maltext, tolka_tal


@pytest.mark.parametrize(
    ("text", "varde", "decimaler"),
    [
        ("1 775 000", 1775000.0, 0),  # Avesta, budget
        ("−2 155", -2155.0, 0),  # Västerås, resultat 2021 (typografiskt minus)
        ("-9 000", -9000.0, 0),
        ("+ 20 000", 20000.0, 0),  # Avesta, prognos "+ 20 000"
        ("16,3", 16.3, 1),  # länets andel
        ("14,0", 14.0, 1),  # Hallstahammar: nollan räknas som tryckt decimal
        ("8,46 mån", 8.46, 2),  # genomströmningstid
        ("1\u00a0234,5", 1234.5, 1),  # hårt mellanslag
    ],
)
def test_tal_som_tryckta(text, varde, decimaler):
    c = tolka_cell(text)
    assert (c.varde, c.decimaler) == (varde, decimaler)


def test_antal_med_andel_och_andel_med_taljare():
    c = tolka_cell("43 (78%)")  # SOT 2019: Fortsatt rehabilitering
    assert (c.varde, c.andel, c.procent) == (43.0, 78.0, False)
    c = tolka_cell("59 % (10 av 17)")  # SOT 2019: aktivt arbetssökande av resterande 17
    assert (c.varde, c.procent, c.taljare, c.namnare) == (59.0, True, 10.0, 17.0)
    c = tolka_cell("10 av 17 (59 %)")
    assert (c.varde, c.andel, c.namnare) == (10.0, 59.0, 17.0)
    assert tolka_cell("78 % (n=45)").namnare == 45.0
    assert tolka_cell("78 %, n = 45").namnare == 45.0


def test_enheter_i_cellen():
    assert tolka_cell("13310 tkr").enhet == "tkr"
    assert tolka_cell("10 887 kr").enhet == "kr"  # Västerås utblick 2023: tryckt kr
    assert (tolka_cell("3,8 mkr").varde, tolka_cell("3,8 mkr").enhet) == (3.8, "mkr")
    assert tolka_cell("13 %").procent


def test_symboler_och_text():
    assert tolka_cell("..").symbol == ".." and math.isnan(tolka_cell("..").varde)
    assert (tolka_cell("–").varde, tolka_cell("–").symbol) == (0.0, "–")  # inget att redovisa
    assert tolka_cell("").tom and tolka_cell(None).tom
    assert tolka_cell("Budget i balans").fritext
    assert tolka_cell("12 (preliminärt)").varde == 12.0


def test_parentes_foregaende_maste_deklareras():
    with pytest.raises(TolkningsFel, match="foregaende: parentes"):
        tolka_cell("13 (12)")
    c = tolka_cell("13 (12)", parentes="foregaende")
    assert (c.varde, c.foregaende) == (13.0, 12.0)
    c = tolka_cell("13 % (12 %)", parentes="foregaende")
    assert (c.varde, c.foregaende, c.foregaende_procent) == (13.0, 12.0, True)
    assert tolka_cell("7 (13)", parentes="andel").andel == 13.0
    # "7 (13%)" är antal och andel även i en tabell med förra året i parentes
    assert tolka_cell("7 (13%)", parentes="foregaende").andel == 13.0


@pytest.mark.parametrize("text", ["12,3,4", "4200+4210", "77 000-9 000", "59 % (17)", "1O"])
def test_siffror_som_inte_gar_att_tolka_ar_fel(text):
    with pytest.raises(TolkningsFel):
        tolka_cell(text)


def test_maltext():
    assert tolka_maltext("minst 25 %") == (25.0, 0, True, "minst")
    assert tolka_maltext("högst 34 månader") == (34.0, 0, False, "hogst")
    assert tolka_maltext("Antalet avbrott ska minska")[3] == "hogst"
    v, _, _, r = tolka_maltext("Samtliga avvikelsesrapporter hanteras av styrgrupp")
    assert math.isnan(v) and r is None


def _svenskt(varde: int, decimaler: int, tecken: str) -> str:
    heltal, _, dec = f"{abs(varde) / 10**decimaler:.{decimaler}f}".partition(".")
    grupper = []
    while len(heltal) > 3:
        heltal, grupper = heltal[:-3], [heltal[-3:], *grupper]
    text = " ".join([heltal, *grupper]) + (f",{dec}" if decimaler else "")
    return (tecken if varde < 0 else "") + text


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**9, 10**9), st.integers(0, 3), st.sampled_from(["−", "-", "–"]))
def test_svenska_tal_tolkas_tillbaka_exakt(varde, decimaler, tecken):
    text = _svenskt(varde, decimaler, tecken)
    assert tolka_tal(text) == (pytest.approx(varde / 10**decimaler), decimaler)
    c = tolka_cell(text + " tkr")
    assert c.varde == pytest.approx(varde / 10**decimaler) and c.decimaler == decimaler


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 10_000), st.integers(0, 1))
def test_antal_med_andel_tolkas_tillbaka(antal, namnare, decimaler):
    andel = _svenskt(round(antal / namnare * 100 * 10**decimaler), decimaler, "−")
    c = tolka_cell(f"{andel} % ({antal} av {namnare})")
    assert (c.taljare, c.namnare, c.decimaler) == (antal, namnare, decimaler)
