"""Tester för uppföljning efter avslut.

Seed 000 (SOT Västerås 2019), "Uppföljning 6 månader efter avslutad insats": 23 följdes upp;
5 arbete (22 %), 1 studier (4 %); av resterande 17 är 10 aktivt arbetssökande (59 %) och 7 ej
aktivt arbetssökande (41 %).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.uppfoljning import (
    andelar_bland_ovriga,
    uppfoljning_fran_deltagare,
    uppfoljningsresultat,
)


@pytest.fixture
def sot_6_man() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": "2019",
            "manader": 6,
            "utfall": [
                "Arbete",
                "Studier",
                "Aktivt arbetssökande",
                "Ej aktivt arbetssökande",
                "Totalt",
            ],
            "antal": [5, 1, 10, 7, 23],
        }
    )


def test_sot_6_man_andel_av_nadda(sot_6_man):
    ut = uppfoljningsresultat(sot_6_man).set_index("utfall")
    assert "Totalt" not in ut.index  # publicerad summa används inte
    assert (ut["nadda"] == 23).all()
    assert ut.loc["Arbete", "andel_av_nadda"] == pytest.approx(5 / 23)
    assert round(ut.loc["Arbete", "andel_av_nadda"] * 100) == 22
    assert round(ut.loc["Studier", "andel_av_nadda"] * 100) == 4
    # inget känt bortfall: andel av försökta = andel av nådda
    assert (ut["bortfall"] == 0).all()
    pd.testing.assert_series_equal(ut["andel_av_forsokta"], ut["andel_av_nadda"], check_names=False)
    assert ut["manader"].tolist() == [6, 6, 6, 6]


def test_sot_6_man_av_resterande_17(sot_6_man):
    ut = andelar_bland_ovriga(sot_6_man, exkludera=["Arbete", "Studier"]).set_index("utfall")
    assert (ut["namnare"] == 17).all()
    assert round(ut.loc["Aktivt arbetssökande", "andel"] * 100) == 59
    assert round(ut.loc["Ej aktivt arbetssökande", "andel"] * 100) == 41


def test_bortfall_syns_i_andel_av_forsokta():
    ut = uppfoljningsresultat(
        {"Arbete": 5, "Studier": 1, "Aktivt arbetssökande": 10, "Ej nådd": 4}
    ).set_index("utfall")
    assert ut.loc["Arbete", "nadda"] == 16
    assert ut.loc["Arbete", "forsokta"] == 20
    assert ut.loc["Arbete", "bortfall"] == 4
    assert ut.loc["Arbete", "andel_av_nadda"] == pytest.approx(5 / 16)
    assert ut.loc["Arbete", "andel_av_forsokta"] == pytest.approx(5 / 20)
    assert pd.isna(ut.loc["Ej nådd", "andel_av_nadda"])
    assert ut.loc["Ej nådd", "andel_av_forsokta"] == pytest.approx(4 / 20)


def test_kant_antal_forsokta():
    # 23 nådda av 30 som avslutades: 7 i bortfall
    ut = uppfoljningsresultat({"Arbete": 5, "Övrigt": 18}, forsokta=30).set_index("utfall")
    assert ut.loc["Arbete", "andel_av_forsokta"] == pytest.approx(5 / 30)
    assert ut.loc["Arbete", "bortfall"] == 7
    with pytest.raises(ValueError, match="mindre än"):
        uppfoljningsresultat({"Arbete": 5, "Övrigt": 18}, forsokta=20)


def test_flera_tidpunkter_grupperas_var_for_sig():
    t = pd.DataFrame(
        {
            "manader": [6, 6, 12, 12, 12],
            "utfall": ["Arbete", "Studier", "Arbete", "Studier", "Ej nådd"],
            "antal": [1, 3, 2, 2, 4],
        }
    )
    ut = uppfoljningsresultat(t)
    assert ut["nadda"].tolist() == [4, 4, 4, 4, 4]
    assert ut["forsokta"].tolist() == [4, 4, 8, 8, 8]
    assert ut["andel_av_forsokta"].tolist() == [0.25, 0.75, 0.25, 0.25, 0.5]


def test_uppfoljning_fran_deltagare_per_uppfoljningsdatum():
    d = pd.DataFrame(
        {
            "avslutsdatum": ["2018-06-15", "2018-09-01", "2019-03-01", "2019-09-01", None],
            "avslutstyp": ["Fullföljd", "Fullföljd", "Avbruten", "Fullföljd", None],
            "uppfoljning_6_man": ["Arbete", "Ej nådd", "Arbete", None, None],
            "uppfoljning_12_man": ["Studier", None, None, None, None],
        }
    )
    # 6 mån: 2018-12-15 (utanför 2019), 2019-03-01 (i), 2019-09-01 (avbruten), 2020-03-01
    ut = uppfoljning_fran_deltagare(d, period="2019", manader=[6, 12])
    assert ut.to_dict("list") == {
        "manader": [6, 12],
        "utfall": ["Ej nådd", "Studier"],
        "antal": [1, 1],
    }
    per_avslut = uppfoljning_fran_deltagare(
        d, period="2018", manader=[6], tidpunkt="avslut", bara_fullfoljda=False
    )
    assert per_avslut.set_index("utfall")["antal"].to_dict() == {"Arbete": 1, "Ej nådd": 1}
    res = uppfoljningsresultat(per_avslut).set_index("utfall")
    assert res.loc["Arbete", "andel_av_nadda"] == 1.0
    assert res.loc["Arbete", "andel_av_forsokta"] == 0.5


def test_saknad_kolumn_och_fel_typ():
    with pytest.raises(ValueError, match="saknar kolumnerna"):
        uppfoljning_fran_deltagare(pd.DataFrame({"avslutsdatum": []}), period="2019")
    with pytest.raises(ValueError, match="saknar kolumnerna"):
        uppfoljningsresultat(pd.DataFrame({"utfall": ["Arbete"]}))
    with pytest.raises(TypeError):
        uppfoljningsresultat([1, 2, 3])


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["Arbete", "Studier", "Aktivt arbetssökande", "Annat", "Ej nådd"]),
        st.integers(0, 200),
        min_size=1,
    ),
    st.integers(1, 20),
)
def test_egenskap_andelar_summerar_och_ar_skaloberoende(antal, skala):
    ut = uppfoljningsresultat(antal)
    if ut["forsokta"].iloc[0] > 0:
        assert ut["andel_av_forsokta"].sum() == pytest.approx(1.0)
    nadda = ut["andel_av_nadda"].dropna()
    if ut["nadda"].iloc[0] > 0:
        assert nadda.sum() == pytest.approx(1.0)
    assert (ut["andel_av_forsokta"].fillna(0) <= ut["andel_av_nadda"].fillna(1) + 1e-12).all()
    skalad = uppfoljningsresultat({k: v * skala for k, v in antal.items()})
    pd.testing.assert_series_equal(ut["andel_av_nadda"], skalad["andel_av_nadda"])


@pytest.fixture
def sot_med_varav(sot_6_man) -> pd.DataFrame:
    # Som data/vasteras/uppfoljning.csv: "varav"-rader med kolumnen del_av.
    varav = pd.DataFrame(
        {
            "period": "2019",
            "manader": 6,
            "utfall": [
                "Arbetsmarknadsutbildning",
                "Sjukpenning",
                "Föräldrapenning",
                "Aktivitetsersättning",
                "Ingen offentlig försörjning",
                "Ekonomiskt bistånd",
            ],
            "antal": [1, 1, 1, 1, 1, 3],
            "del_av": ["Aktivt arbetssökande"] + ["Ej aktivt arbetssökande"] * 5,
        }
    )
    return pd.concat([sot_6_man.assign(del_av=None), varav], ignore_index=True)


def test_varav_rader_raknas_inte_dubbelt(sot_med_varav):
    ut = uppfoljningsresultat(sot_med_varav).set_index("utfall")
    assert len(ut) == 4
    assert (ut["nadda"] == 23).all()
    ovriga = andelar_bland_ovriga(sot_med_varav, exkludera=["Arbete", "Studier"])
    assert ovriga["namnare"].tolist() == [17, 17]


def test_dela_upp_en_kategori(sot_med_varav):
    # Av de 7 som ej är aktivt arbetssökande har 3 försörjningsstöd.
    ut = uppfoljningsresultat(sot_med_varav, del_av="Ej aktivt arbetssökande")
    ut = ut.set_index("utfall")
    assert ut["nadda"].iloc[0] == 7
    assert ut.loc["Ekonomiskt bistånd", "andel_av_nadda"] == pytest.approx(3 / 7)
