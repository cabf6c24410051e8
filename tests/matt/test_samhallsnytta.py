"""Tester för samhällsnytta och återbetalningstid.

Seed 000 (SOT Västerås 2019): mål 34 månader, resultat 94 månader på total samhällsnivå.
Seed 001 (insatsredovisning 2021): mål högst 40 månader. Beloppen i kostnadstabellerna nedan
är påhittade testvärden (biblioteket har inga egna belopp); förväntade värden är handräknade.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.samhallsnytta import (
    aterbetalningstid,
    aterbetalningstid_mot_mal,
    fore_efter_fran_overgangar,
    manatlig_vinst,
    samhallsnytta_per_aktor,
)


@pytest.fixture
def kostnader() -> pd.DataFrame:
    # Ekonomiskt bistånd betalas av kommunen, sjukpenning av FK; aktivitetsstöd delas av
    # AF (ersättningen) och kommunen (en påhittad kompletterande del).
    return pd.DataFrame(
        {
            "forsorjningsform": [
                "Ekonomiskt bistånd",
                "Sjukpenning",
                "Aktivitetsstöd",
                "Aktivitetsstöd",
                "Lön",
            ],
            "kostnad_per_manad": [10_000, 15_000, 8_000, 1_000, 0],
            "aktor": ["Kommun", "FK", "AF", "Kommun", "Ingen"],
        }
    )


def test_sot_2019_mot_mal():
    ut = aterbetalningstid_mot_mal(94, 34)
    assert ut["skillnad"] == 60
    assert ut["uppfyllt"] is False


def test_2021_mal_hogst_40_manader():
    assert aterbetalningstid_mot_mal(40, 40)["uppfyllt"] is True
    assert aterbetalningstid_mot_mal(39.5, 40)["skillnad"] == -0.5


def test_aterbetalningstid():
    assert aterbetalningstid(2_820_000, 30_000) == 94
    assert aterbetalningstid(0, 1) == 0
    assert math.isinf(aterbetalningstid(1_000, -5))
    with pytest.raises(ValueError):
        aterbetalningstid(-1, 10)


def test_manatlig_vinst_handraknad(kostnader):
    fore = {"Ekonomiskt bistånd": 12, "Sjukpenning": 6, "Aktivitetsstöd": 2}
    efter = {"Ekonomiskt bistånd": 7, "Sjukpenning": 5, "Aktivitetsstöd": 4, "Lön": 4}
    # (12-7)*10 000 + (6-5)*15 000 + (2-4)*(8 000 + 1 000) + 0 = 50 000 + 15 000 - 18 000
    assert manatlig_vinst(fore, efter, kostnader) == 47_000
    per_aktor = manatlig_vinst(fore, efter, kostnader, per_aktor=True).to_dict()
    # Kommun: 50 000 - 2 000; FK: 15 000; AF: -16 000
    assert per_aktor == {"AF": -16_000, "FK": 15_000, "Ingen": 0, "Kommun": 48_000}


def test_samhallsnytta_per_aktor(kostnader):
    fore = {"Ekonomiskt bistånd": 12, "Sjukpenning": 6, "Aktivitetsstöd": 2}
    efter = {"Ekonomiskt bistånd": 7, "Sjukpenning": 5, "Aktivitetsstöd": 4, "Lön": 4}
    ut = samhallsnytta_per_aktor(fore, efter, kostnader, insatskostnad=4_418_000).set_index("aktor")
    assert ut.loc["Totalt", "vinst_per_manad"] == 47_000
    assert ut.loc["Totalt", "aterbetalningstid_manader"] == 94  # 4 418 000 / 47 000
    assert ut.loc["Kommun", "andel_av_vinst"] == pytest.approx(48_000 / 47_000)
    assert pd.isna(ut.loc["Kommun", "aterbetalningstid_manader"])


def test_saknad_kostnad_ar_fel_inte_noll(kostnader):
    with pytest.raises(ValueError, match="Kostnad saknas.*Sjukersättning"):
        manatlig_vinst({"Sjukersättning": 1}, {"Lön": 1}, kostnader)
    with pytest.raises(ValueError, match="saknar kolumnerna"):
        manatlig_vinst({"Lön": 1}, {"Lön": 1}, pd.DataFrame({"forsorjningsform": ["Lön"]}))


def test_utan_aktor_kolumn():
    k = pd.DataFrame({"forsorjningsform": ["Ekonomiskt bistånd"], "kostnad_per_manad": [9_000]})
    assert manatlig_vinst({"Ekonomiskt bistånd": 3}, {"Ekonomiskt bistånd": 1}, k) == 18_000


def test_fore_efter_ur_overgangstabell(kostnader):
    t = pd.DataFrame(
        {"Lön": [3, 1, 4], "Sjukpenning": [0, 2, 2], "Totalt": [3, 3, 6]},
        index=["Ekonomiskt bistånd", "Sjukpenning", "Totalt"],
    )
    fore, efter = fore_efter_fran_overgangar(t)
    assert fore.to_dict() == {"Ekonomiskt bistånd": 3, "Sjukpenning": 3}
    assert efter.to_dict() == {"Lön": 4, "Sjukpenning": 2}
    # 3 * 10 000 + (3 - 2) * 15 000
    assert manatlig_vinst(fore, efter, kostnader) == 45_000


def test_indata_muteras_inte(kostnader):
    kopia = kostnader.copy()
    manatlig_vinst({"Lön": 1}, {"Lön": 1}, kostnader)
    pd.testing.assert_frame_equal(kostnader, kopia)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["Ekonomiskt bistånd", "Sjukpenning", "Aktivitetsstöd", "Lön"]),
        st.integers(0, 100),
    ),
    st.dictionaries(
        st.sampled_from(["Ekonomiskt bistånd", "Sjukpenning", "Aktivitetsstöd", "Lön"]),
        st.integers(0, 100),
    ),
)
def test_egenskap_aktorerna_summerar_och_ombytt_byter_tecken(fore, efter):
    k = pd.DataFrame(
        {
            "forsorjningsform": ["Ekonomiskt bistånd", "Sjukpenning", "Aktivitetsstöd", "Lön"],
            "kostnad_per_manad": [10_000, 15_000, 8_000, 0],
            "aktor": ["Kommun", "FK", "AF", "Ingen"],
        }
    )
    total = manatlig_vinst(fore, efter, k)
    assert manatlig_vinst(fore, efter, k, per_aktor=True).sum() == pytest.approx(total)
    assert manatlig_vinst(efter, fore, k) == pytest.approx(-total)
    if total > 0:
        assert aterbetalningstid(total * 34, total) == pytest.approx(34)
