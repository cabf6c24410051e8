"""Stickprov: de inbäddade publicerade data stämmer med seed-rapporterna.

Alla förväntade tal är avskrivna för hand ur rapporterna i /work/shared/seeds (årsrapport SOT
2019, delårsrapport Västerås 2021, helårsrapport Samverkansteam Avesta 2015/16), inte räknade av
koden. Där rapporten räknar fel ska datat ha det tryckta (felaktiga) talet.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
VASTERAS = DATA / "vasteras"
AVESTA = DATA / "sodra_dalarna"


@functools.cache
def _underlag(katalog: Path):
    """Läs ett förbund med las_forbund (paketets inläsning), en gång per testkörning."""
    from finsam_analys.indata.inlasning import las_forbund

    return las_forbund(katalog)


def _las(katalog: Path) -> dict[str, pd.DataFrame]:
    underlag = _underlag(katalog)
    return {namn: underlag.tabell(namn) for namn in underlag.tabeller}


@pytest.fixture(scope="module")
def vasteras() -> dict[str, pd.DataFrame]:
    return _las(VASTERAS)


@pytest.fixture(scope="module")
def avesta() -> dict[str, pd.DataFrame]:
    return _las(AVESTA)


def _ett(df: pd.DataFrame, kolumn: str, **villkor):
    """Värdet i ``kolumn`` på den enda rad som uppfyller villkoren."""
    mask = pd.Series(True, index=df.index)
    for k, v in villkor.items():
        mask &= df[k] == v
    rader = df.loc[mask, kolumn]
    assert len(rader) == 1, (villkor, len(rader))
    return rader.iloc[0]


@pytest.mark.parametrize("katalog", ["vasteras", "sodra_dalarna", "exempelforbund"])
def test_inbaddade_forbund_las_utan_problem(katalog):
    underlag = _underlag(DATA / katalog)
    assert underlag.konfig.id == katalog
    assert underlag.konfig.publicerad is (katalog != "exempelforbund")


# --- SOT årsrapport 2019 -------------------------------------------------------------------------


def test_sot_avslut_per_insats(vasteras):
    a = vasteras["avslut"]
    assert _ett(a, "antal", insats="MAC", utfall="Arbete") == 5
    assert _ett(a, "antal", insats="Upplevelse", utfall="Arbete") == 0
    assert _ett(a, "antal", insats="Trädgård", utfall="Studier") == 1
    assert _ett(a, "antal", insats="MAC", utfall="Fortsatt arbetslivsinriktad rehabilitering") == 19
    assert (
        _ett(a, "antal", insats="Totalt", utfall="Fortsatt arbetslivsinriktad rehabilitering") == 43
    )
    assert _ett(a, "andel_publicerad", insats="Totalt", utfall="Arbete") == 13
    assert _ett(a, "andel_publicerad", insats="Totalt", utfall="Studier") == 9
    assert _ett(a, "antal", insats="Upplevelse", utfall="Totalt") == 13
    assert _ett(a, "andel_publicerad", insats="Trädgård", utfall="Totalt") == 29
    assert _ett(a, "antal", insats="Totalt", utfall="Totalt") == 55
    delar = a[(a["insats"] != "Totalt") & (a["utfall"] != "Totalt")]
    assert delar["antal"].sum() == 55


def test_sot_halsoenkat(vasteras):
    h = vasteras["halsoenkat"].set_index("delperiod")
    assert h.loc[
        "2019-01..2019-05", ["n", "summa_start", "summa_slut", "antal_forbattrade"]
    ].tolist() == [
        14,
        188,
        227,
        11,
    ]
    assert h.loc[
        "2019-06..2019-11", ["n", "summa_start", "summa_slut", "antal_forbattrade"]
    ].tolist() == [
        18,
        234,
        280,
        15,
    ]
    assert h.loc["2019-01..2019-05", "andel_forbattrade_publicerad"] == 79
    assert h.loc["2019-06..2019-11", "forandring_publicerad"] == 20
    n = vasteras["nyckeltal_publicerade"]
    assert _ett(n, "varde", period="2019", indikator="andel_forbattrad_halsa") == 81
    assert _ett(n, "varde", period="2019", indikator="antal_halsoenkater") == 32


def test_sot_remisser_per_remittent_och_inriktning(vasteras):
    r = vasteras["remisser"]
    assert _ett(r, "antal", remittent="AF", inriktning="MAC") == 16
    assert _ett(r, "antal", remittent="AF", inriktning="Trädgård") == 7
    assert _ett(r, "antal", remittent="FK", inriktning="Individuell start") == 1
    assert _ett(r, "antal", remittent="Kommun", inriktning="Grön rehab") == 6
    assert _ett(r, "antal", remittent="Kommun", inriktning="Upplevelse") == 0
    for remittent, total in (("AF", 26), ("FK", 11), ("Kommun", 28)):
        assert _ett(r, "antal", remittent=remittent, inriktning="Totalt") == total
    for inriktning, total in (
        ("Trädgård", 17),
        ("Upplevelse", 5),
        ("Grön rehab", 8),
        ("MAC", 33),
        ("Individuell start", 2),
    ):
        assert _ett(r, "antal", remittent="Totalt", inriktning=inriktning) == total
        delar = r[(r["inriktning"] == inriktning) & (r["remittent"] != "Totalt")]
        assert delar["antal"].sum() == total  # rapportens text är konsistent här
    assert _ett(r, "antal", remittent="Totalt", inriktning="Totalt") == 65


def test_sot_avbrott_och_uppfoljning(vasteras):
    a = vasteras["avbrott"]
    assert a.set_index("kategori")["antal"].to_dict() == {
        "AF": 15,
        "FK": 2,
        "Kommun": 8,
        "Totalt": 25,
    }
    u = vasteras["uppfoljning"].set_index("utfall")
    assert u.loc["Totalt", "antal"] == 23
    assert u.loc["Arbete", "antal"] == 5 and u.loc["Arbete", "andel_publicerad"] == 22
    assert u.loc["Studier", "antal"] == 1
    assert u.loc["Aktivt arbetssökande", "antal"] == 10
    assert u.loc["Aktivt arbetssökande", "andel_publicerad"] == 59
    assert u.loc["Aktivt arbetssökande", "namnare_publicerad"] == 17
    assert u.loc["Ej aktivt arbetssökande", "antal"] == 7
    assert u.loc["Ekonomiskt bistånd", "antal"] == 3
    assert u.loc[u["del_av"] == "Ej aktivt arbetssökande", "antal"].sum() == 7


def test_sot_nyckeltal_och_mal(vasteras):
    n = vasteras["nyckeltal_publicerade"]
    for period, deltagit, avslutat, avbrutit in (("2019", 127, 55, 25), ("2018", 127, 52, 22)):
        assert _ett(n, "varde", period=period, indikator="antal_deltagare") == deltagit
        assert _ett(n, "varde", period=period, indikator="antal_avslutade") == avslutat
        assert _ett(n, "varde", period=period, indikator="antal_avbrutna") == avbrutit
    assert _ett(n, "varde", period="2019", indikator="budget_ursprunglig") == 8_054_364
    assert _ett(n, "varde", period="2019", indikator="budget_reviderad") == 7_077_454
    assert _ett(n, "varde", period="2019", indikator="aterbetalningstid") == 94
    m = vasteras["mal"]
    assert _ett(m, "varde", indikator="andel_arbete", period="2019") == 0.25
    assert _ett(m, "varde", indikator="andel_studier", period="2019") == 0.20
    assert _ett(m, "varde", indikator="andel_fortsatt_rehabilitering", period="2019") == 0.55
    assert _ett(m, "varde", indikator="andel_forbattrad_halsa", period="2019") == 0.90
    assert _ett(m, "varde", indikator="aterbetalningstid", period="2019") == 34
    assert _ett(m, "riktning", indikator="aterbetalningstid", period="2019") == "hogst"
    assert _ett(m, "varde", indikator="andel_stegforflyttning", period="2021-01..2021-08") == 0.80
    assert _ett(m, "varde", indikator="aterbetalningstid", period="2021-01..2021-08") == 40


# --- Delårsrapport 2021: helårsekvivalenter ------------------------------------------------------

HUVUD = "s. 14 Helårsekvivalenter"
KOMMUNER = "s. 14 Länets kommuner 2020"


def test_hae_huvudtabellen(vasteras):
    h = vasteras["helarsekvivalenter"]
    h = h[h["kalltabell"] == HUVUD]
    assert _ett(h, "hae", region="Västerås", ar=2019, ersattningsform="Sjukpenning") == 1_992
    assert _ett(h, "hae", region="Västerås", ar=2019, ersattningsform="Totalt") == 12_533  # tryckt
    assert (
        _ett(h, "hae", region="Västerås", ar=2018, ersattningsform="Etableringsersättning") == 1_082
    )
    assert (
        _ett(h, "folkmangd_20_64", region="Västerås", ar=2020, ersattningsform="Totalt") == 88_586
    )
    assert _ett(h, "andel_publicerad", region="Västerås", ar=2019, ersattningsform="Totalt") == 14.3
    assert _ett(h, "hae", region="Riket", ar=2020, ersattningsform="Sjukpenning") == 150_044
    assert (
        _ett(h, "hae", region="Riket", ar=2019, ersattningsform="Etableringsersättning") == 37_058
    )
    assert _ett(h, "hae", region="Riket", ar=2020, ersattningsform="Totalt") == 789_810
    # Västmanlands län 2019: tryckt total 22 515 men delarna summerar till 22 876
    lan19 = h[(h["region"] == "Västmanlands län") & (h["ar"] == 2019)]
    assert _ett(lan19, "hae", ersattningsform="Totalt") == 22_515
    assert lan19.loc[lan19["ersattningsform"] != "Totalt", "hae"].sum() == 22_876
    # länets andel 2020 tryckt 16,3
    assert (
        _ett(h, "andel_publicerad", region="Västmanlands län", ar=2020, ersattningsform="Totalt")
        == 16.3
    )
    assert _ett(h, "hae", region="Västmanlands län", ar=2020, ersattningsform="Totalt") == 23_817
    assert (
        _ett(h, "folkmangd_20_64", region="Västmanlands län", ar=2020, ersattningsform="Totalt")
        == 152_318
    )


def test_hae_lanets_kommuner_2020(vasteras):
    h = vasteras["helarsekvivalenter"]
    k = h[(h["kalltabell"] == KOMMUNER) & (h["regiontyp"] == "kommun")]
    assert k["region"].nunique() == 10
    assert _ett(k, "hae", region="Köping", ersattningsform="Totalt") == 2_354
    assert _ett(k, "hae", region="Skinnskatteberg", ersattningsform="Etableringsersättning") == 5
    assert _ett(k, "folkmangd_20_64", region="Fagersta", ersattningsform="Totalt") == 6_988
    assert _ett(k, "andel_publicerad", region="Fagersta", ersattningsform="Totalt") == 19.2
    assert _ett(k, "hae", region="Arboga", ersattningsform="Ekonomiskt bistånd") == 160
    summarad = h[(h["kalltabell"] == KOMMUNER) & (h["regiontyp"] == "lan")]
    assert _ett(summarad, "hae", ersattningsform="Sjukpenning") == 3_528
    assert _ett(summarad, "andel_publicerad", ersattningsform="Totalt") == 16.3


def test_hae_riket_efter_kon(vasteras):
    h = vasteras["helarsekvivalenter"]
    k20 = h[h["kalltabell"] == "s. 15 Riket efter kön 2020"]
    k19 = h[h["kalltabell"] == "s. 15 Riket efter kön 2019"]
    # könstabellen 2020 har andra totaler än huvudtabellen (150 156 mot 150 044)
    assert _ett(k20, "hae", ersattningsform="Sjukpenning", kon="Totalt") == 150_156
    assert _ett(k20, "hae", ersattningsform="Sjukpenning", kon="Kvinnor") == 95_746
    assert _ett(k20, "hae", ersattningsform="Etableringsersättning", kon="Totalt") == 23_036
    assert _ett(k20, "hae", ersattningsform="Totalt", kon="Totalt") == 790_242
    assert _ett(k20, "konsandel_publicerad", ersattningsform="Sjukpenning", kon="Kvinnor") == 63.8
    assert _ett(k19, "hae", ersattningsform="Arbetsmarknadsåtgärder", kon="Män") == 77_269
    assert (
        _ett(k19, "konsandel_publicerad", ersattningsform="Etableringsersättning", kon="Män")
        == 43.6
    )
    assert _ett(k19, "hae", ersattningsform="Totalt", kon="Kvinnor") == 403_106


# --- Delårsrapport 2021: ekonomi ------------------------------------------------------------------


def test_budget_och_utfall_2021(vasteras):
    e = vasteras["ekonomi"]
    e21 = e[e["ar"] == 2021]
    sot = e21[e21["post"] == "Samordningsteam Västerås"].iloc[0]
    assert (sot["budget"], sot["utfall"], sot["utfall_procent_publicerad"]) == (7_306, 3_095, 42)
    assert _ett(e21, "budget", grupp="Insatser", post="Summa") == 17_035
    assert _ett(e21, "utfall", grupp="Styrelsen", post="Summa") == 92
    assert (
        _ett(
            e21,
            "utfall_procent_publicerad",
            grupp="Styrelsen",
            post="Revision auktor. revisor kostnad saknas",
        )
        == 105
    )
    assert _ett(e21, "budget", grupp="Administration", post="Summa") == 1_287
    assert _ett(e21, "budget", grupp="TOTAL", post="Summa") == 18_506
    assert _ett(e21, "utfall", grupp="TOTAL", post="Summa") == 7_160
    assert _ett(e21, "utfall_procent_publicerad", grupp="TOTAL", post="Summa") == 39
    assert set(e["enhet"]) == {"tkr"}
    # utblicken
    assert _ett(e, "budget", ar=2022, grupp="Insatser", post="Samordningsteam Västerås") == 7_923
    assert _ett(e, "budget", ar=2023, grupp="TOTAL", post="Summa") == 11_442
    assert _ett(e, "budget", ar=2023, grupp="Insatser", post="JobbFokus 2.0/SPIRA") == 0  # "-"


def test_resultat_och_eget_kapital_som_tryckt(vasteras):
    e = vasteras["ekonomi"]
    resultat = e[e["grupp"] == "Resultat"].set_index("ar")["budget"].to_dict()
    assert resultat == {2021: -2_155, 2022: -2_521, 2023: 107}  # tryckt, två av dem fel
    intakter = e[e["grupp"] == "Intäkter"].set_index("ar")["budget"].to_dict()
    assert intakter == {2021: 13_310, 2022: 10_996, 2023: 10_887}
    ek = e[e["grupp"] == "Eget kapital"].set_index("ar")["budget"].to_dict()
    assert ek == {2021: 8_241, 2022: 6_086, 2023: 1_565}
    k = vasteras["eget_kapital"]
    assert _ett(k, "belopp", ar=2021, post="Disponibla medel") == 21_551
    assert _ett(k, "belopp", ar=2021, post="Beräknade kostnader") == 15_465
    assert _ett(k, "belopp", ar=2022, post="Disponibla medel") == 17_082
    assert _ett(k, "belopp", ar=2023, post="Utgående eget kapital") == 1_010


# --- Samverkansteam Avesta 2015-07..2016-06 -------------------------------------------------------


def test_avesta_deltagare(avesta):
    d = avesta["deltagarantal"]
    assert d[d["dimension"] == "kon"].set_index("kategori")["antal"].to_dict() == {
        "Kvinna": 30,
        "Man": 27,
        "Totalt": 57,
    }
    rem = d[d["dimension"] == "remittent"].set_index("kategori")
    assert rem["antal"].to_dict() == {"Kommun": 25, "FK": 21, "Region": 8, "AF": 3, "Totalt": 57}
    assert rem.loc["Kommun", "andel_publicerad"] == 44 and rem.loc["AF", "andel_publicerad"] == 5
    fors = d[d["dimension"] == "forsorjningsgivare_in"].set_index("kategori")["antal"]
    assert fors.to_dict() == {"Kommun": 33, "FK": 22, "Annan": 2, "Totalt": 57}
    status = d[d["dimension"] == "status"].set_index("kategori")["antal"]
    assert status.to_dict() == {"Aktiv": 39, "Avslutad": 18, "Tidigt avhopp": 4, "Totalt": 57}


def test_avesta_resultat_och_nyckeltal(avesta):
    a = avesta["avslut"]
    fullf = a[a["avslutstyp"] == "Fullföljd"].set_index("utfall")["antal"]
    assert fullf.to_dict() == {
        "Arbete": 5,
        "Studier": 0,
        "Fortsatt arbetslivsinriktad rehabilitering": 2,
        "Sjuk- och aktivitetsersättning": 2,
        "Annat": 5,
        "Totalt": 14,
    }
    assert _ett(a, "antal", avslutstyp="Avbruten") == 4
    n = avesta["nyckeltal_publicerade"]
    assert _ett(n, "varde", indikator="genomstromningstid") == 8.46
    assert _ett(n, "enhet", indikator="genomstromningstid") == "manader"
    assert _ett(n, "varde", indikator="tid_i_bidragsberoende") == 4.57
    assert _ett(n, "varde", indikator="snittalder_avslutade") == 31.57
    assert _ett(n, "varde", indikator="andel_arbete_eller_rehab") == 50
    assert _ett(n, "varde", indikator="antal_arbete_eller_rehab") == 7


def test_avesta_budget_som_tryckt(avesta):
    e = avesta["ekonomi"].set_index("post")
    assert set(e["enhet"]) == {"kr"}
    assert e.loc[
        "Personal", ["budget", "utfall", "differens_publicerad", "prognosavvikelse_publicerad"]
    ].tolist() == [
        1_775_000,
        819_000,
        955_000,  # tryckt; 1 775 000 − 819 000 = 956 000
        0,
    ]
    assert e.loc[
        "Lokaler", ["budget", "utfall", "differens_publicerad", "prognosavvikelse_publicerad"]
    ].tolist() == [
        165_000,
        88_000,
        77_000,
        -9_000,
    ]
    assert e.loc["Övriga kostnader", "prognosavvikelse_publicerad"] == 20_000
    assert e.loc[
        "Summa", ["budget", "utfall", "differens_publicerad", "prognosavvikelse_publicerad"]
    ].tolist() == [
        2_100_000,
        988_000,
        1_111_000,  # tryckt; 2 100 000 − 988 000 = 1 112 000
        11_000,
    ]


def test_inga_personnamn_i_publicerade_data():
    # namn ur rapporterna (styrelse, styrgrupp, personal) får inte finnas i datat
    namn = ("Rahlgård", "Schneider", "Nilsson", "Molin", "Tiger", "Pettersson", "Hagström", "Ekman")
    filer = [f for f in [*VASTERAS.rglob("*"), *AVESTA.rglob("*")] if f.is_file()]
    assert any(f.parent.name == "publicerat" for f in filer)  # även de tryckta tabellerna
    for fil in filer:
        text = fil.read_text(encoding="utf-8")
        for n in namn:
            assert n not in text, (fil.name, n)


# --- SOT 2019 byggs om från data/ genom biblioteket -----------------------------------------------


def test_sot_2019_byggs_om_genom_biblioteket(vasteras):
    """Rapportens andelar räknas om från antalen i data/ med paketets funktioner."""
    from finsam_analys.matt.andelar import korstabell_andelar
    from finsam_analys.matt.avrundning import avrunda_procent
    from finsam_analys.matt.halsa import halsoenkat_resultat
    from finsam_analys.matt.uppfoljning import andelar_bland_ovriga, uppfoljningsresultat

    # resultat efter avslut och sammanställning per insats: 13/9/78 % och 47/24/29 %
    a = vasteras["avslut"]
    a = a[(a["insats"] != "Totalt") & (a["utfall"] != "Totalt")]
    k = a.pivot_table(index="utfall", columns="insats", values="antal", aggfunc="sum")
    andel = korstabell_andelar(k, riktning="total", marginaler=True)
    procent = (andel * 100).round()
    assert procent.loc["Arbete", "Totalt"] == 13
    assert procent.loc["Studier", "Totalt"] == 9
    assert procent.loc["Fortsatt arbetslivsinriktad rehabilitering", "Totalt"] == 78
    assert procent.loc["Totalt", ["MAC", "Upplevelse", "Trädgård"]].tolist() == [47, 24, 29]

    # hälsa: 79 % / 83 % / 81 % förbättrade, +21 % och +20 % poäng
    h = halsoenkat_resultat(vasteras["halsoenkat"].set_index("delperiod"))
    assert avrunda_procent(h["andel_forbattrade"], metod="vanlig").tolist() == [79, 83, 81]
    assert (h["forandring"] * 100).round().tolist()[:2] == [21, 20]
    assert h.loc["Totalt", "n"] == 32 and h.loc["Totalt", "antal_forbattrade"] == 26

    # ansökningar: 65 totalt, per remittent 26/11/28
    r = vasteras["remisser"]
    delar = r[(r["remittent"] != "Totalt") & (r["inriktning"] != "Totalt")]
    assert delar["antal"].sum() == 65
    assert delar.groupby("remittent")["antal"].sum().to_dict() == {"AF": 26, "FK": 11, "Kommun": 28}

    # avbrott: 25 (15 + 2 + 8)
    av = vasteras["avbrott"]
    assert av.loc[av["kategori"] != "Totalt", "antal"].sum() == 25

    # uppföljning 6 mån: arbete 22 %, studier 4 %; av resterande 17: 59 % och 41 %
    u = vasteras["uppfoljning"]
    res = uppfoljningsresultat(u).set_index("utfall")
    assert round(res.loc["Arbete", "andel_av_nadda"] * 100) == 22
    assert round(res.loc["Studier", "andel_av_nadda"] * 100) == 4
    ovr = andelar_bland_ovriga(u, exkludera=["Arbete", "Studier"]).set_index("utfall")
    assert ovr.loc["Aktivt arbetssökande", "namnare"] == 17
    assert round(ovr.loc["Aktivt arbetssökande", "andel"] * 100) == 59
    assert round(ovr.loc["Ej aktivt arbetssökande", "andel"] * 100) == 41
