"""Tester för NNS-deltagarenkäten.

Seed-rapporterna trycker inga enkätsiffror (bilaga 2 i seed 000 saknas), så värdena nedan är
handräknade på små påhittade tabeller.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.enkater import andel_hoga_steg, forandring_mellan_tillfallen


@pytest.fixture
def enkat() -> pd.DataFrame:
    rader = []
    for tillfalle, svar in {
        "Vecka 8": {1: 2, 2: 3, 3: 4, 4: 5, 5: 4, 6: 2, "Vet ej": 1, "Totalt": 21},
        "Avslut": {1: 0, 2: 1, 3: 2, 4: 5, 5: 6, 6: 4, "Vet ej": 2, "Totalt": 20},
    }.items():
        for steg, antal in svar.items():
            rader.append(("2019", tillfalle, "Stödet var till nytta", str(steg), antal))
    return pd.DataFrame(rader, columns=["period", "tillfalle", "fraga", "steg", "antal"])


def test_andel_hoga_steg_med_n(enkat):
    ut = andel_hoga_steg(enkat, hoga_steg=[5, 6], exkludera_steg=["Vet ej"])
    ut = ut.set_index("tillfalle")
    # vecka 8: (4 + 2) / 20; avslut: (6 + 4) / 18 ("Vet ej" och Totalt ingår inte)
    assert ut.loc["Vecka 8", "antal_hoga"] == 6
    assert ut.loc["Vecka 8", "n"] == 20
    assert ut.loc["Vecka 8", "andel"] == pytest.approx(0.3)
    assert ut.loc["Avslut", "n"] == 18
    assert ut.loc["Avslut", "andel"] == pytest.approx(10 / 18)


def test_vet_ej_ingar_i_n_om_den_inte_exkluderas(enkat):
    ut = andel_hoga_steg(enkat, hoga_steg=["5", "6"]).set_index("tillfalle")
    assert ut.loc["Vecka 8", "n"] == 21
    assert ut.loc["Vecka 8", "andel"] == pytest.approx(6 / 21)


def test_forandring_mellan_tillfallen(enkat):
    r = andel_hoga_steg(enkat, hoga_steg=[5, 6], exkludera_steg=["Vet ej"])
    ut = forandring_mellan_tillfallen(r, fran="Vecka 8", till="Avslut")
    assert ut["skillnad"].item() == pytest.approx(10 / 18 - 0.3)
    assert ut["n_fran"].item() == 20 and ut["n_till"].item() == 18


def test_fel_i_indata(enkat):
    with pytest.raises(ValueError, match="finns inte"):
        andel_hoga_steg(enkat, hoga_steg=[7])
    with pytest.raises(ValueError, match="både"):
        andel_hoga_steg(enkat, hoga_steg=[6], exkludera_steg=[6])
    with pytest.raises(ValueError, match="minst ett"):
        andel_hoga_steg(enkat, hoga_steg=[])
    with pytest.raises(ValueError, match="saknar kolumnerna"):
        andel_hoga_steg(enkat.drop(columns="antal"), hoga_steg=[6])
    with pytest.raises(ValueError, match="tillfället"):
        forandring_mellan_tillfallen(
            andel_hoga_steg(enkat, hoga_steg=[6]), fran="Vecka 8", till="Uppföljning"
        )


def test_indata_muteras_inte(enkat):
    kopia = enkat.copy()
    andel_hoga_steg(enkat, hoga_steg=[5, 6])
    pd.testing.assert_frame_equal(enkat, kopia)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=6, max_size=6), st.integers(1, 10))
def test_egenskap_andel_mellan_0_och_1_och_skaloberoende(antal, skala):
    t = pd.DataFrame({"fraga": "F", "steg": [1, 2, 3, 4, 5, 6], "antal": antal})
    ut = andel_hoga_steg(t, hoga_steg=[5, 6])
    assert ut["n"].item() == sum(antal)
    if sum(antal):
        assert 0 <= ut["andel"].item() <= 1
        skalad = andel_hoga_steg(t.assign(antal=t["antal"] * skala), hoga_steg=[5, 6])
        assert skalad["andel"].item() == pytest.approx(ut["andel"].item())
