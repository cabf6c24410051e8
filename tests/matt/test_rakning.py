"""Räknetabellerna ur deltagarrader: hälsoenkät, stegförflyttning och uppföljning per insats.

Förväntade värden är handräknade ur deltagarraderna med pandas (parade rader, avslutade under
perioden), inte ur koden som testas.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.rakning import rakna


def _underlag(deltagare: pd.DataFrame, trappa=()):
    return SimpleNamespace(
        tabell=lambda namn: deltagare if namn == "deltagare" else None,
        konfig=SimpleNamespace(trappa=trappa),
    )


@pytest.fixture(scope="module")
def avslutade_2024(underlag_exempel):
    d = underlag_exempel.tabell("deltagare")
    avslut = pd.to_datetime(d["avslutsdatum"])
    return d[(avslut >= "2024-01-01") & (avslut <= "2024-12-31")]


def test_halsoenkat_per_insats(underlag_exempel, avslutade_2024):
    t = rakna(underlag_exempel, "2024").tabell("halsoenkat").set_index("insats")
    parade = avslutade_2024.dropna(subset=["halsopoang_start", "halsopoang_slut"])
    for insats, g in parade.groupby("insats"):
        assert t.loc[insats, "n"] == len(g)
        assert t.loc[insats, "summa_start"] == pytest.approx(g["halsopoang_start"].sum())
        assert t.loc[insats, "summa_slut"] == pytest.approx(g["halsopoang_slut"].sum())
        forbattrade = (g["halsopoang_slut"] > g["halsopoang_start"]).sum()
        assert t.loc[insats, "antal_forbattrade"] == forbattrade
    assert set(t["delperiod"]) == {"2024"}


def test_stegforflyttning_per_insats(underlag_exempel, avslutade_2024):
    t = rakna(underlag_exempel, "2024").tabell("stegforflyttning")
    parade = avslutade_2024.dropna(subset=["steg_start", "steg_slut"])
    for insats, g in parade.groupby("insats"):
        skillnad = g["steg_slut"] - g["steg_start"]
        rad = t[t["insats"] == insats].set_index("forflyttning")["antal"]
        assert rad.to_dict() == {
            "upp": (skillnad > 0).sum(),
            "samma": (skillnad == 0).sum(),
            "ner": (skillnad < 0).sum(),
        }


def test_stegforflyttning_med_etiketter_pa_trappan():
    # steg som text räknas på förbundets trappa (lägsta först)
    trappa = ("Hemma", "Igång", "Arbete")
    d = pd.DataFrame(
        {
            "insats": ["T", "T", "T"],
            "inskrivningsdatum": ["2024-01-01"] * 3,
            "avslutsdatum": ["2024-05-01", "2024-06-01", "2024-07-01"],
            "steg_start": ["Hemma", "Arbete", "Igång"],
            "steg_slut": ["Igång", "Igång", "Igång"],
        }
    )
    t = rakna(_underlag(d, trappa), "2024").tabell("stegforflyttning")
    assert t.set_index("forflyttning")["antal"].to_dict() == {"upp": 1, "samma": 1, "ner": 1}


def test_uppfoljning_per_insats(underlag_exempel):
    d = underlag_exempel.tabell("deltagare")
    t = rakna(underlag_exempel, "2024").tabell("uppfoljning")
    avslut = pd.to_datetime(d["avslutsdatum"])
    fullfoljd = d["avslutstyp"] != "Avbruten"
    for m in (6, 12, 18):
        datum = avslut + pd.DateOffset(months=m)
        urval = d[fullfoljd & (datum >= "2024-01-01") & (datum <= "2024-12-31")]
        urval = urval.dropna(subset=[f"uppfoljning_{m}_man"])
        forvantat = urval.groupby(["insats", f"uppfoljning_{m}_man"]).size()
        raknat = t[t["manader"] == m].set_index(["insats", "utfall"])["antal"]
        assert raknat.to_dict() == {k: int(v) for k, v in forvantat.items()}, m


def test_forsorjning_fore_och_efter_bara_nar_bada_finns():
    # en egen uppföljningsfil utan försörjning vid avslut: ingen före/efter-tabell med bara
    # "Uppgift saknas"; med värden: antalen per (före, efter)
    d = pd.DataFrame(
        {
            "insats": ["T", "T", "T"],
            "inskrivningsdatum": ["2024-01-01"] * 3,
            "avslutsdatum": ["2024-05-01", "2024-06-01", "2024-07-01"],
            "forsorjning_in": ["Sjukpenning", "Sjukpenning", "Aktivitetsstöd"],
            "forsorjning_ut": [None, None, None],
        }
    )
    assert not rakna(_underlag(d), "2024").har("forsorjning")
    d = d.assign(forsorjning_ut=["Arbete", None, "Aktivitetsstöd"])
    t = rakna(_underlag(d), "2024").tabell("forsorjning")
    assert t["antal"].sum() == 3
    assert t.set_index(["forsorjning_in", "forsorjning_ut"])["antal"].to_dict() == {
        ("Aktivitetsstöd", "Aktivitetsstöd"): 1,
        ("Sjukpenning", "Arbete"): 1,
        ("Sjukpenning", "Uppgift saknas"): 1,
    }


def _valj_period_referens(tabell, period):
    """Referens: perioderna tolkas och raderna väljs med pandas map/fillna."""
    from finsam_analys.perioder import Rapportperiod

    if tabell is None or not len(tabell):
        return None
    if "period" not in tabell.columns:
        return tabell.copy()
    valt = Rapportperiod.tolka(period)
    koder = {}
    for kod in tabell["period"].dropna().unique():
        try:
            koder[kod] = Rapportperiod.tolka(kod) == valt
        except (ValueError, TypeError):
            koder[kod] = False
    import warnings

    with warnings.catch_warnings():  # pandas varnar när inget värde fanns i ordlistan
        warnings.simplefilter("ignore")
        mask = tabell["period"].map(koder).fillna(False).astype(bool).to_numpy()
    urval = tabell[mask]
    return urval.reset_index(drop=True) if len(urval) else None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["2019", "2019-01..2019-12", "2018", "2019-03", "x", None, "2020"]),
        max_size=8,
    ),
    st.sampled_from(["str", object]),
    st.sampled_from(["2019", "2018", "2019-03"]),
)
def test_valj_period_som_referensen(perioder, dtype, period):
    from finsam_analys.matt.rakning import valj_period

    tabell = pd.DataFrame(
        {"period": pd.Series(perioder, dtype=dtype), "antal": range(len(perioder))}
    )
    fore = tabell.copy()
    valt, forvantat = valj_period(tabell, period), _valj_period_referens(tabell, period)
    pd.testing.assert_frame_equal(tabell, fore)
    if forvantat is None:
        assert valt is None
    else:
        pd.testing.assert_frame_equal(valt, forvantat, check_exact=True)
