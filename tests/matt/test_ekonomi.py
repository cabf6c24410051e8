"""Tester för ekonomi: budget mot utfall, förbrukningsgrad och eget kapital.

Förväntade värden är handräknade ur seed 001 (Samordningsförbundet Västerås, "Budget och utfall
tom aug 2021", tkr) och seed 002 (Samverkansteam Avesta, budgetutfall per 2016-06-30, kr).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.ekonomi import andel_forbrukad, budgetutfall, eget_kapital

# Seed 001: grupp, post, budget 2021, utfall t.o.m. augusti (tkr).
VASTERAS_2021 = [
    ("Insatser", "Samordningsteam Västerås", 7306, 3095),
    ("Insatser", "JobbFokus 2.0/SPIRA", 3588, 1700),
    ("Insatser", "Länsgemensamma utbildningsinsatser", 250, 17),
    ("Insatser", "Lokala utbildningsinsatser Västerås", 800, 453),
    ("Insatser", "Kartläggning/utvärdering/implementering", 250, 222),
    ("Insatser", "SIM", 1617, 824),
    ("Insatser", "Insatskatalog/Indikatorer", 130, 52),
    ("Insatser", "Utvecklingsmedel ej intecknade medel", 3094, 53),
    ("Insatser", "Summa", 17035, 6416),
    ("Styrelsen", "Revision", 60, 63),
    ("Styrelsen", "Politikerarvode", 70, 25),
    ("Styrelsen", "Löneadministration", 8, 4),
    ("Styrelsen", "Konferens", 35, 0),
    ("Styrelsen", "Representation", 6, 0),
    ("Styrelsen", "Övrigt", 5, 0),
    ("Styrelsen", "Summa", 184, 92),
    ("Administration", "Administrativa tjänster Servicepartner", 26, 13),
    ("Administration", "Redovisningskostnader", 81, 41),
    ("Administration", "Bankkostnader", 11, 5),
    ("Administration", "Förbundssamordnartjänst", 1097, 549),
    ("Administration", "Representation", 6, 0),
    ("Administration", "Resekostnader", 2, 0),
    ("Administration", "Hemsida och nyhetsbrev", 10, 3),
    ("Administration", "Utbildning, konferenser", 7, 2),
    ("Administration", "Serviceavg. NNS", 27, 27),
    ("Administration", "Trycksaker, böcker", 10, 8),
    ("Administration", "Övrigt", 10, 4),
    ("Administration", "Summa", 1287, 652),
    ("TOTAL", "Summa", 18506, 7160),
]

UTVECKLINGSMEDEL = "Utvecklingsmedel ej intecknade medel"


@pytest.fixture
def vasteras() -> pd.DataFrame:
    t = pd.DataFrame(VASTERAS_2021, columns=["grupp", "post", "budget", "utfall"])
    return t.assign(period="2021-01..2021-08", ar=2021, enhet="tkr", typ="kostnad")


@pytest.fixture
def avesta() -> pd.DataFrame:
    # Seed 002: Budget, Utfall period, Differens (tryckt), Prognos (kr).
    return pd.DataFrame(
        {
            "grupp": ["Kostnader"] * 4,
            "post": ["Personal", "Lokaler", "Övriga kostnader", "Summa"],
            "budget": [1_775_000, 165_000, 160_000, 2_100_000],
            "utfall": [819_000, 88_000, 81_000, 988_000],
            "differens_publicerad": [955_000, 77_000, 79_000, 1_111_000],
            "enhet": "kr",
        }
    )


def test_sot_utfall_42_procent(vasteras):
    ut = budgetutfall(vasteras).set_index(["grupp", "post"])
    rad = ut.loc[("Insatser", "Samordningsteam Västerås")]
    assert rad["utfall_andel"] == pytest.approx(3095 / 7306)
    assert round(rad["utfall_andel"] * 100) == 42
    assert rad["differens"] == 7306 - 3095
    assert rad["enhet"] == "tkr"


def test_gruppsummor_och_total_raknas_om(vasteras):
    ut = budgetutfall(vasteras).set_index(["grupp", "post"])
    assert ut.loc[("Insatser", "Summa"), "budget"] == 17035
    assert ut.loc[("Insatser", "Summa"), "utfall"] == 6416
    assert ut.loc[("Styrelsen", "Summa"), "utfall"] == 92
    assert ut.loc[("Administration", "Summa"), "budget"] == 1287
    total = ut.loc[("TOTAL", "Summa")]
    assert total["budget"] == 18506
    assert total["utfall"] == 7160
    assert round(total["utfall_andel"] * 100) == 39  # 7 160 / 18 506 = 38,7 %
    assert total["enhet"] == "tkr"


def test_publicerade_summor_anvands_inte(vasteras):
    forvanskad = vasteras.copy()
    summarader = forvanskad["post"] == "Summa"
    forvanskad.loc[summarader, ["budget", "utfall"]] = 1
    ut = budgetutfall(forvanskad).set_index(["grupp", "post"])
    assert ut.loc[("TOTAL", "Summa"), "budget"] == 18506
    # en rad per post + en per grupp + total, inga publicerade summarader kvar
    assert len(ut) == (len(VASTERAS_2021) - 4) + 3 + 1


def test_ordning_poster_summa_per_grupp_total_sist(vasteras):
    ut = budgetutfall(vasteras)
    assert ut["grupp"].iloc[-1] == "TOTAL"
    assert ut["post"].iloc[8] == "Summa" and ut["grupp"].iloc[8] == "Insatser"
    assert ut["post"].iloc[0] == "Samordningsteam Västerås"


def test_andel_forbrukad_total_och_exklusive_utvecklingsmedel(vasteras):
    assert round(andel_forbrukad(vasteras) * 100) == 39
    # Utvecklingsmedlens ej förbrukade del: 3 094 - 53 = 3 041 tkr;
    # 7 160 / (18 506 - 3 041) = 7 160 / 15 465 = 46,3 %
    exkl = andel_forbrukad(vasteras, exkludera=[UTVECKLINGSMEDEL])
    assert exkl == pytest.approx(7160 / (18506 - 3041))
    assert round(exkl * 100) == 46
    hela = andel_forbrukad(vasteras, exkludera=[UTVECKLINGSMEDEL], metod="hela_posten")
    assert hela == pytest.approx((7160 - 53) / (18506 - 3094))


def test_andel_forbrukad_okand_post(vasteras):
    with pytest.raises(ValueError, match="finns inte"):
        andel_forbrukad(vasteras, exkludera=["Finns ej"])
    with pytest.raises(ValueError, match="metod"):
        andel_forbrukad(vasteras, metod="annan")


def test_avesta_differens_tryckt_fel(avesta):
    ut = budgetutfall(avesta).set_index(["grupp", "post"])
    # Personal: 1 775 000 - 819 000 = 956 000 (rapporten trycker 955 000)
    assert ut.loc[("Kostnader", "Personal"), "differens"] == 956_000
    assert ut.loc[("Kostnader", "Lokaler"), "differens"] == 77_000
    # Summa: 2 100 000 - 988 000 = 1 112 000 (rapporten trycker 1 111 000)
    assert ut.loc[("TOTAL", "Summa"), "differens"] == 1_112_000
    assert ut.loc[("TOTAL", "Summa"), "enhet"] == "kr"
    assert "differens_publicerad" not in ut.columns


def test_prognos_och_avvikelse():
    t = pd.DataFrame(
        {
            "grupp": ["Insatser", "Insatser"],
            "post": ["A", "B"],
            "budget": [100, 50],
            "utfall": [40, 30],
            "prognos": [90, 60],
        }
    )
    ut = budgetutfall(t).set_index(["grupp", "post"])
    assert ut.loc[("Insatser", "A"), "avvikelse"] == 10
    assert ut.loc[("Insatser", "B"), "avvikelse"] == -10
    assert ut.loc[("TOTAL", "Summa"), "prognos"] == 150
    assert ut.loc[("TOTAL", "Summa"), "avvikelse"] == 0


def test_per_ar_hals_isar_budgetar():
    t = pd.DataFrame(
        {
            "ar": [2021, 2021, 2022],
            "grupp": ["Insatser"] * 3,
            "post": ["A", "B", "A"],
            "budget": [10, 20, 5],
            "utfall": [1, 2, 3],
        }
    )
    ut = budgetutfall(t).set_index(["ar", "grupp", "post"])
    assert ut.loc[(2021, "TOTAL", "Summa"), "budget"] == 30
    assert ut.loc[(2022, "TOTAL", "Summa"), "budget"] == 5


def test_blandade_enheter_ar_fel():
    t = pd.DataFrame(
        {
            "grupp": ["G", "G"],
            "post": ["A", "B"],
            "budget": [10, 20_000],
            "utfall": [1, 2_000],
            "enhet": ["tkr", "kr"],
        }
    )
    with pytest.raises(ValueError, match="enheter"):
        budgetutfall(t)


def test_intakter_ingar_inte_i_kostnadsbudgeten(vasteras):
    intakt = pd.DataFrame(
        [
            {
                "grupp": "Intäkter",
                "post": "Intäkter partner",
                "budget": 13310,
                "utfall": np.nan,
                "period": "2021-01..2021-08",
                "ar": 2021,
                "enhet": "tkr",
                "typ": "intakt",
            }
        ]
    )
    ut = budgetutfall(pd.concat([intakt, vasteras], ignore_index=True))
    assert ut.set_index(["grupp", "post"]).loc[("TOTAL", "Summa"), "budget"] == 18506


def test_indata_muteras_inte(vasteras):
    kopia = vasteras.copy()
    budgetutfall(vasteras)
    andel_forbrukad(vasteras, exkludera=[UTVECKLINGSMEDEL])
    pd.testing.assert_frame_equal(vasteras, kopia)


# --- eget kapital ------------------------------------------------------------------------------


def test_eget_kapital_vasteras():
    # 8 241 + 13 310 - 15 465 = 6 086; 6 086 + 10 996 - 15 517 = 1 565;
    # 1 565 + 10 887 - 11 442 = 1 010 (tkr)
    t = pd.DataFrame(
        {
            "ar": [2021, 2022, 2023],
            "intakter": [13310, 10996, 10887],
            "kostnader": [15465, 15517, 11442],
            "enhet": "tkr",
        }
    )
    ut = eget_kapital(t, ingaende=8241)
    assert ut["utgaende"].tolist() == [6086, 1565, 1010]
    assert ut["ingaende"].tolist() == [8241, 6086, 1565]
    # Rapportens rad "Resultat intäkter - kostnader" trycker -2 155, -2 521, 107;
    # rätt är -2 155, -4 521, -555.
    assert ut["resultat"].tolist() == [-2155, -4521, -555]
    assert (ut["enhet"] == "tkr").all()


def test_eget_kapital_langt_format():
    poster = []
    for ar, ing, intakt, kostnad, utg in [
        (2021, 8241, 13310, 15465, 6086),
        (2022, 6086, 10996, 15517, 1565),
        (2023, 1565, 10887, 11442, 1010),
    ]:
        poster += [
            (ar, "Ingående eget kapital", ing),
            (ar, "Intäkter", intakt),
            (ar, "Kostnader", kostnad),
            (ar, "Disponibla medel", ing + intakt + 1),  # härlett, används inte
            (ar, "Utgående eget kapital", utg + 1),  # publicerat, används inte
        ]
    t = pd.DataFrame(poster, columns=["ar", "post", "belopp"]).assign(enhet="tkr")
    ut = eget_kapital(t)
    assert ut["utgaende"].tolist() == [6086, 1565, 1010]
    assert ut["enhet"].iloc[0] == "tkr"


def test_eget_kapital_kraver_ingaende():
    t = pd.DataFrame({"ar": [2021], "intakter": [1], "kostnader": [1]})
    with pytest.raises(ValueError, match="ingående"):
        eget_kapital(t)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(-10_000, 10_000),
    st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 20_000)), min_size=1, max_size=8),
)
def test_egenskap_eget_kapital_kedjas(ingaende, ar):
    t = pd.DataFrame(
        {
            "ar": range(2000, 2000 + len(ar)),
            "intakter": [i for i, _ in ar],
            "kostnader": [k for _, k in ar],
        }
    )
    ut = eget_kapital(t, ingaende=ingaende)
    assert (ut["ingaende"] + ut["intakter"] - ut["kostnader"] == ut["utgaende"]).all()
    assert (ut["ingaende"].iloc[1:].to_numpy() == ut["utgaende"].iloc[:-1].to_numpy()).all()
    assert ut["utgaende"].iloc[-1] == ingaende + sum(i - k for i, k in ar)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10_000), st.integers(0, 10_000)), min_size=1, max_size=10))
def test_egenskap_total_ar_summan_av_posterna(poster):
    t = pd.DataFrame(
        {
            "grupp": ["G"] * len(poster),
            "post": [f"P{i}" for i in range(len(poster))],
            "budget": [b for b, _ in poster],
            "utfall": [u for _, u in poster],
        }
    )
    ut = budgetutfall(t)
    total = ut[ut["grupp"] == "TOTAL"].iloc[0]
    assert total["budget"] == sum(b for b, _ in poster)
    assert total["differens"] == sum(b - u for b, u in poster)
    assert andel_forbrukad(t) == pytest.approx(
        sum(u for _, u in poster) / sum(b for b, _ in poster)
    )


def test_alla_tryckta_utfallsprocent_reproduceras(vasteras):
    # Kolumnen "UTFALL %" i seed 001, i tabellens ordning (poster, gruppsummor, total).
    tryckt = [42, 47, 7, 57, 89, 51, 40, 2, 38, 105, 36, 50, 0, 0, 0, 50]
    tryckt += [50, 51, 45, 50, 0, 0, 30, 29, 100, 80, 40, 51, 39]
    ut = budgetutfall(vasteras)
    raknat = np.floor(ut["utfall_andel"].to_numpy() * 100 + 0.5).astype(int).tolist()
    assert raknat == tryckt


def test_flera_budgetar_kraver_val_av_ar(vasteras):
    utblick = vasteras[vasteras["grupp"] != "TOTAL"].assign(ar=2022, utfall=np.nan)
    bada = pd.concat([vasteras, utblick], ignore_index=True)
    with pytest.raises(ValueError, match="flera budgetar"):
        andel_forbrukad(bada)
    exkl = andel_forbrukad(bada, ar=2021, exkludera=[UTVECKLINGSMEDEL])
    assert exkl == pytest.approx(7160 / 15465)
    ut = budgetutfall(bada).set_index(["ar", "grupp", "post"])
    assert ut.loc[(2021, "TOTAL", "Summa"), "budget"] == 18506
    assert pd.isna(ut.loc[(2022, "TOTAL", "Summa"), "utfall"])


def test_eget_kapital_disponibla_medel():
    """Västerås delår 2021: 8 241 + 13 310 = 21 551, 6 086 + 10 996 = 17 082,
    1 565 + 10 887 = 12 452 tkr (texten under budgeten)."""
    t = pd.DataFrame(
        {"ar": [2021, 2022, 2023], "intakter": [13310, 10996, 10887],
         "kostnader": [15465, 15517, 11442]}
    )  # fmt: skip
    assert eget_kapital(t, ingaende=8241)["disponibla"].tolist() == [21551, 17082, 12452]
