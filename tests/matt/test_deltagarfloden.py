"""Tester för deltagarflöden.

Seed-talen: Samverkansteam Avesta 2015-07-01–2016-06-30 (seed 002: 57 inskrivna sedan 150513,
30 kvinnor (53 %) och 27 män (47 %), 18 avslut varav 4 tidiga avhopp, 39 aktiva 160701,
remittenter 25/21/8/3 = 44/37/14/5 %, 7 av 14 = 50 % till arbete eller annan arbetslivsinriktad
rehabilitering) och SOT Västerås 2019 (seed 000: 127 deltagit, 65 påbörjade, 55 avslutade och
25 avbrutna januari–november).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.matt.deltagarfloden import (
    FLODESLED,
    andel_med_utfall,
    avslutsutfall,
    deltagarantal,
    deltagarflode,
    deltagarflode_fran_antal,
    fordelning,
    fordelning_fran_antal,
    forsorjningsovergangar,
    genomstromningstid,
    snittalder,
)
from finsam_analys.perioder import Rapportperiod

AVESTA = "2015-07..2016-06"


def _flode(d, **kw) -> dict[str, int]:
    return deltagarflode(d, **kw).set_index("kategori")["antal"].to_dict()


@pytest.fixture
def avesta() -> pd.DataFrame:
    """57 deltaganden byggda så att de stämmer med seed 002:s antal."""
    rader = []
    remittenter = ["Kommun"] * 25 + ["FK"] * 21 + ["Region"] * 8 + ["AF"] * 3
    kon = ["Kvinna"] * 30 + ["Man"] * 27
    # utfall för de 18 avsluten: 4 avhopp, 5 arbete, 2 annan rehab, 2 sjukersättning, 5 annat
    utfall = (
        [("Avbruten", "Annat")] * 4
        + [("Fullföljd", "Arbete")] * 5
        + [("Fullföljd", "Fortsatt arbetslivsinriktad rehabilitering")] * 2
        + [("Fullföljd", "Sjuk- och aktivitetsersättning")] * 2
        + [("Fullföljd", "Annat")] * 5
    )
    for i in range(57):
        inskr = dt.date(2015, 5, 13) + dt.timedelta(days=7 * i)  # sista 2016-06-08
        avslutad = i < 18
        rader.append(
            {
                "deltagare_id": f"p{i:02d}",
                "inskrivningsdatum": inskr,
                "avslutsdatum": inskr + dt.timedelta(days=120) if avslutad else None,
                "avslutstyp": utfall[i][0] if avslutad else None,
                "avslutsorsak": utfall[i][1] if avslutad else None,
                "kon": kon[(i * 7) % 57],
                "remittent": remittenter[(i * 11) % 57],
            }
        )
    return pd.DataFrame(rader)


def test_avesta_floden(avesta):
    f = _flode(avesta, period=AVESTA)
    assert f["deltagit"] == 57
    assert f["avslutade"] == 18
    assert f["avbrutna"] == 4
    assert f["fullfoljda"] == 14
    assert f["aktiva_vid_slut"] == 39
    assert f["aktiva_vid_start"] + f["nya"] == 57


def test_avesta_fordelning_kon_och_remittent(avesta):
    kon = fordelning(avesta, period=AVESTA, dimension="kon").set_index("kategori")
    assert kon.loc["Kvinna", "antal"] == 30
    assert kon.loc["Kvinna", "namnare"] == 57
    assert round(kon.loc["Kvinna", "andel"] * 100) == 53
    assert round(kon.loc["Man", "andel"] * 100) == 47
    rem = fordelning(avesta, period=AVESTA, dimension="remittent").set_index("kategori")
    procent = {k: round(a * 100) for k, a in rem["andel"].items()}
    assert procent == {"AF": 5, "FK": 37, "Kommun": 44, "Region": 14}


def test_avesta_fordelning_fran_antal_ger_samma_form(avesta):
    antal = pd.DataFrame(
        {
            "period": AVESTA,
            "dimension": "remittent",
            "kategori": ["Kommun", "FK", "Region", "AF", "Totalt"],
            "antal": [25, 21, 8, 3, 57],
        }
    )
    ur_antal = fordelning_fran_antal(antal, dimension="remittent", period="2015-07..2016-06")
    ur_rader = fordelning(avesta, period=AVESTA, dimension="remittent")
    assert list(ur_antal.columns) == list(ur_rader.columns)
    jamfor = ur_antal.set_index("kategori")["andel"].sort_index()
    pd.testing.assert_series_equal(
        jamfor, ur_rader.set_index("kategori")["andel"].sort_index(), check_names=False
    )
    assert [round(a * 100) for a in ur_antal["andel"]] == [44, 37, 14, 5]
    # en annan period ger inga rader
    assert fordelning_fran_antal(antal, dimension="remittent", period="2019").empty


def test_avesta_7_av_14(avesta):
    utfall = avslutsutfall(avesta, period=AVESTA)
    assert utfall["antal"].sum() == 14
    res = andel_med_utfall(
        utfall, utfall=["Arbete", "Fortsatt arbetslivsinriktad rehabilitering"]
    ).to_dict()
    assert res == {"antal": 7.0, "namnare": 14.0, "andel": 0.5}


def test_andel_med_utfall_okant_utfall():
    with pytest.raises(ValueError, match="finns inte"):
        andel_med_utfall({"Arbete": 1}, utfall=["Studier"])


def test_sot_2019_jan_nov():
    # 127 deltagit, 65 påbörjade under året -> 62 aktiva vid årets start;
    # 55 avslutade + 25 avbrutna = 80 avslut -> 47 aktiva vid periodens slut.
    rader = []
    for i in range(127):
        inskr = dt.date(2018, 6, 1) if i < 62 else dt.date(2019, 2, 1)
        if i < 55:
            avsl, typ = dt.date(2019, 10, 31), "Fullföljd"
        elif i < 80:
            avsl, typ = dt.date(2019, 9, 30), "Avbruten"
        else:
            avsl, typ = None, None
        rader.append((f"s{i}", inskr, avsl, typ))
    d = pd.DataFrame(
        rader, columns=["deltagare_id", "inskrivningsdatum", "avslutsdatum", "avslutstyp"]
    )
    f = _flode(d, period="2019-01..2019-11")
    assert f == {
        "aktiva_vid_start": 62,
        "nya": 65,
        "deltagit": 127,
        "avslutade": 80,
        "fullfoljda": 55,
        "avbrutna": 25,
        "aktiva_vid_slut": 47,
    }


def test_grans_dagar_ingar():
    d = pd.DataFrame(
        {
            "deltagare_id": ["a", "b", "c", "d"],
            "inskrivningsdatum": ["2018-12-31", "2019-12-31", "2019-01-01", "2018-01-01"],
            "avslutsdatum": ["2019-01-01", None, "2019-12-31", "2018-12-31"],
        }
    )
    f = _flode(d, period="2019")
    assert f["aktiva_vid_start"] == 1  # a (d avslutades dagen före)
    assert f["nya"] == 2  # b, c
    assert f["avslutade"] == 2  # a, c
    assert f["aktiva_vid_slut"] == 1  # b
    assert f["deltagit"] == 3


def test_personer_mot_deltaganden():
    d = pd.DataFrame(
        {
            "deltagare_id": ["a", "a", "b"],
            "inskrivningsdatum": ["2019-01-01", "2019-06-01", "2019-02-01"],
            "avslutsdatum": ["2019-03-01", None, None],
            "kon": ["Kvinna", "Kvinna", "Man"],
        }
    )
    assert _flode(d, period="2019")["deltagit"] == 3
    assert _flode(d, period="2019", enhet="personer")["deltagit"] == 2
    kon = fordelning(d, period="2019", dimension="kon", enhet="personer")
    assert kon.set_index("kategori")["antal"].to_dict() == {"Kvinna": 1, "Man": 1}


def test_genomstromningstid_handraknad():
    d = pd.DataFrame(
        {
            "inskrivningsdatum": ["2018-07-01", "2019-01-01", "2019-03-01", "2019-01-01"],
            "avslutsdatum": ["2019-01-31", "2019-04-01", "2019-12-31", None],
            "avslutstyp": ["Fullföljd", "Avbruten", "Fullföljd", None],
        }
    )
    # dagar: 214, 90, 305 -> månader 7,031, 2,957, 10,021
    ut = genomstromningstid(d, period="2019")
    assert ut["n"] == 3
    assert ut["medel"] == pytest.approx((214 + 90 + 305) / 3 / 30.4375)
    assert ut["median"] == pytest.approx(214 / 30.4375)
    fullf = genomstromningstid(d, period="2019", urval="fullfoljda")
    assert fullf["medel"] == pytest.approx((214 + 305) / 2 / 30.4375)
    tom = genomstromningstid(d, period="2017")
    assert tom["n"] == 0 and np.isnan(tom["medel"])


def test_snittalder_vid_inskrivning_och_periodens_slut():
    d = pd.DataFrame(
        {
            "inskrivningsdatum": ["2015-08-01", "2016-03-01", "2016-05-01"],
            "fodelsear": [1990, 1980, None],
        }
    )
    vid_inskr = snittalder(d, period=AVESTA)
    assert vid_inskr["n"] == 2
    assert vid_inskr["medel"] == (25 + 36) / 2
    vid_slut = snittalder(d, period=AVESTA, vid="periodens_slut")
    assert vid_slut["medel"] == (26 + 36) / 2
    med_alder = snittalder(d.drop(columns="fodelsear").assign(alder=[30, 40, 50]), period=AVESTA)
    assert med_alder["medel"] == 40


def test_alder_anvands_dar_fodelsearet_saknas():
    # Efter inläsning finns alla kolumner; ett förbund som bara för ålder har fodelsear tom.
    # Rad 1 har födelseår 1990 (25 år vid inskrivningen 2015), rad 2 och 3 bara ålder.
    d = pd.DataFrame(
        {
            "inskrivningsdatum": ["2015-08-01", "2016-03-01", "2016-05-01"],
            "fodelsear": [1990, None, None],
            "alder": [99, 40, 22],
        }
    )
    assert snittalder(d, period=AVESTA)["medel"] == (25 + 40 + 22) / 3
    grupper = fordelning(d, period=AVESTA, dimension="aldersgrupp")
    antal = dict(zip(grupper["kategori"], grupper["antal"], strict=True))
    assert antal["Under 25 år"] == 1 and antal["25–29 år"] == 1 and antal["40–49 år"] == 1
    assert antal.get("Uppgift saknas", 0) == 0


def test_tid_i_offentlig_forsorjning_klassas():
    d = pd.DataFrame(
        {
            "inskrivningsdatum": ["2019-01-01"] * 6,
            "tid_offentlig_forsorjning_ar": [0.5, 1.0, 4.57, 5.0, 12, None],
        }
    )
    ut = fordelning(d, period="2019", dimension="tid_offentlig_forsorjning")
    assert ut["dimension"].iloc[0] == "tid_offentlig_forsorjning"
    assert ut.set_index("kategori")["antal"].to_dict() == {
        "Under 1 år": 1,
        "1–2 år": 1,
        "2–5 år": 1,
        "5–10 år": 1,
        "10 år eller mer": 1,
        "Uppgift saknas": 1,
    }
    egna = fordelning(
        d.dropna(),
        period="2019",
        dimension="tid_offentlig_forsorjning",
        klasser=[(0, "Högst 2 år"), (2, "Mer än 2 år")],
    )
    assert egna["antal"].tolist() == [2, 3]


def test_fordelning_per_folkbokforingskommun_och_urval():
    d = pd.DataFrame(
        {
            "inskrivningsdatum": ["2018-05-01", "2019-02-01", "2019-03-01"],
            "avslutsdatum": [None, None, "2019-05-01"],
            "folkbokforingskommun": ["Avesta", "Hedemora", "Avesta"],
        }
    )
    nya = fordelning(d, period="2019", dimension="folkbokforingskommun", urval="nya")
    assert nya.set_index("kategori")["antal"].to_dict() == {"Avesta": 1, "Hedemora": 1}
    assert nya["namnare"].tolist() == [2, 2]


def test_forsorjningsovergangar():
    d = pd.DataFrame(
        {
            "inskrivningsdatum": ["2019-01-01"] * 5,
            "avslutsdatum": ["2019-06-01"] * 4 + [None],
            "forsorjning_in": ["Ekonomiskt bistånd"] * 3 + ["Sjukpenning", "Sjukpenning"],
            "forsorjning_ut": ["Lön", "Aktivitetsstöd", None, "Sjukpenning", None],
        }
    )
    t = forsorjningsovergangar(d, period="2019")
    assert t.loc["Ekonomiskt bistånd", "Lön"] == 1
    assert t.loc["Ekonomiskt bistånd", "Uppgift saknas"] == 1
    assert t.loc["Totalt", "Totalt"] == 4  # den pågående räknas inte
    g = forsorjningsovergangar(
        d,
        period="2019",
        grupper={"Arbetsmarknadsstöd": ["Aktivitetsstöd"], "Ohälsa": ["Sjukpenning"]},
        med_totalt=False,
    )
    assert g.loc["Ohälsa", "Ohälsa"] == 1
    assert g.loc["Ekonomiskt bistånd", "Arbetsmarknadsstöd"] == 1


def test_felaktiga_datum():
    d = pd.DataFrame({"inskrivningsdatum": ["2019-05-01"], "avslutsdatum": ["2019-04-01"]})
    with pytest.raises(ValueError, match="före inskrivningsdatum"):
        deltagarflode(d, period="2019")
    with pytest.raises(ValueError, match="saknar inskrivningsdatum"):
        deltagarflode(pd.DataFrame({"inskrivningsdatum": [None]}), period="2019")
    with pytest.raises(ValueError, match="enhet"):
        deltagarflode(d.iloc[:0], period="2019", enhet="hushåll")


def test_indata_muteras_inte(avesta):
    kopia = avesta.copy()
    deltagarflode(avesta, period=AVESTA)
    fordelning(avesta, period=AVESTA, dimension="kon")
    pd.testing.assert_frame_equal(avesta, kopia)


def test_en_miljon_rader_pa_sekunder():
    n = 1_000_000
    rng = np.random.default_rng(3)
    inskr = np.datetime64("2015-01-01") + rng.integers(0, 2000, n)
    avsl = (inskr + rng.integers(0, 700, n)).astype("datetime64[s]")
    avsl[rng.random(n) < 0.3] = np.datetime64("NaT")
    d = pd.DataFrame(
        {
            "deltagare_id": rng.integers(0, 600_000, n),
            "inskrivningsdatum": inskr,
            "avslutsdatum": avsl,
            "kon": rng.choice(["Kvinna", "Man"], n),
        }
    )
    f = _flode(d, period="2018")
    fordelning(d, period="2018", dimension="kon")
    _flode(d, period="2018", enhet="personer")
    assert f["deltagit"] == f["aktiva_vid_start"] + f["nya"]


# --- egenskaper --------------------------------------------------------------------------------

_DAG0 = dt.date(2017, 1, 1)


@st.composite
def _deltagare(draw):
    n = draw(st.integers(0, 30))
    rader = []
    for _ in range(n):
        inskr = draw(st.integers(0, 1500))
        langd = draw(st.one_of(st.none(), st.integers(0, 800)))
        rader.append(
            (
                f"p{draw(st.integers(0, max(n // 2, 1)))}",
                _DAG0 + dt.timedelta(days=inskr),
                None if langd is None else _DAG0 + dt.timedelta(days=inskr + langd),
                draw(st.sampled_from(["Fullföljd", "Avbruten", None])),
                draw(st.sampled_from(["Kvinna", "Man", None])),
            )
        )
    return pd.DataFrame(
        rader,
        columns=["deltagare_id", "inskrivningsdatum", "avslutsdatum", "avslutstyp", "kon"],
    ).astype({"inskrivningsdatum": "datetime64[s]", "avslutsdatum": "datetime64[s]"})


@settings(max_examples=30, deadline=None)
@given(d=_deltagare(), start=st.integers(0, 1800), langd=st.integers(0, 700))
def test_egenskap_flodet_gar_ihop(d, start, langd):
    borjan = _DAG0 + dt.timedelta(days=start)
    period = Rapportperiod.fran_datum(borjan, borjan + dt.timedelta(days=langd))
    f = _flode(d, period=period)
    assert list(f) == list(FLODESLED)
    assert f["deltagit"] == f["aktiva_vid_start"] + f["nya"]
    assert f["deltagit"] == f["avslutade"] + f["aktiva_vid_slut"]
    assert f["avslutade"] == f["fullfoljda"] + f["avbrutna"]
    p = _flode(d, period=period, enhet="personer")
    for namn in FLODESLED:
        assert p[namn] <= f[namn]
    assert p["deltagit"] <= p["aktiva_vid_start"] + p["nya"]
    kon = fordelning(d, period=period, dimension="kon")
    assert kon["antal"].sum() == f["deltagit"]
    if f["deltagit"]:
        assert kon["andel"].sum() == pytest.approx(1.0)


@settings(max_examples=25, deadline=None)
@given(
    d=_deltagare(), start=st.integers(0, 1500), mitt=st.integers(0, 300), slut=st.integers(0, 300)
)
def test_egenskap_aktiva_vid_slut_blir_aktiva_vid_start_i_nasta_period(d, start, mitt, slut):
    a = _DAG0 + dt.timedelta(days=start)
    b = a + dt.timedelta(days=mitt)
    c = b + dt.timedelta(days=1 + slut)
    forsta = _flode(d, period=Rapportperiod.fran_datum(a, b))
    andra = _flode(d, period=Rapportperiod.fran_datum(b + dt.timedelta(days=1), c))
    hela = _flode(d, period=Rapportperiod.fran_datum(a, c))
    assert forsta["aktiva_vid_slut"] == andra["aktiva_vid_start"]
    assert hela["nya"] == forsta["nya"] + andra["nya"]
    assert hela["avslutade"] == forsta["avslutade"] + andra["avslutade"]


@pytest.fixture
def avesta_antal() -> pd.DataFrame:
    """Som data/sodra_dalarna/deltagarantal.csv (seed 002)."""
    rader = [
        ("kon", "Kvinna", 30, None),
        ("kon", "Man", 27, None),
        ("kon", "Totalt", 57, None),
        ("remittent", "Kommun", 25, None),
        ("remittent", "FK", 21, None),
        ("remittent", "Region", 8, None),
        ("remittent", "AF", 3, None),
        ("status", "Aktiv", 39, None),
        ("status", "Avslutad", 18, None),
        ("status", "Tidigt avhopp", 4, "Avslutad"),
        ("status", "Totalt", 57, None),
    ]
    t = pd.DataFrame(rader, columns=["dimension", "kategori", "antal", "del_av"])
    return t.assign(period=AVESTA)


def test_avesta_flode_fran_antal_ger_samma_form(avesta_antal, avesta):
    ur_antal = deltagarflode_fran_antal(avesta_antal, period=AVESTA)
    ur_rader = deltagarflode(avesta, period=AVESTA)
    assert list(ur_antal.columns) == list(ur_rader.columns)
    assert ur_antal["kategori"].tolist() == ur_rader["kategori"].tolist()
    a = ur_antal.set_index("kategori")["antal"]
    r = ur_rader.set_index("kategori")["antal"]
    for led in ("deltagit", "avslutade", "fullfoljda", "avbrutna", "aktiva_vid_slut"):
        assert a[led] == r[led]
    assert a["deltagit"] == 57  # 18 + 39, inte den publicerade summan
    assert pd.isna(a["nya"])


def test_flode_fran_antal_okand_status(avesta_antal):
    trasig = pd.concat(
        [avesta_antal, pd.DataFrame([{"dimension": "status", "kategori": "Vilande", "antal": 1}])]
    )
    with pytest.raises(ValueError, match="Vilande"):
        deltagarflode_fran_antal(trasig)


def test_flode_fran_antal_per_insats_och_andra_etiketter():
    # Handräknat: A 10 vid start + 20 nya = 30, 12 avslut varav 3 avbrutna, 18 aktiva;
    # B anger bara deltagit och aktiva: 5 avslut, övriga led okända.
    t = pd.DataFrame({
        "insats": ["A"] * 5 + ["B"] * 2,
        "dimension": "status",
        "kategori": ["Aktiva vid periodens start", "Nyinskrivna", "Avslutade", "Avbrutna",
                     "Aktiva", "Deltagit", "Pågående"],
        "antal": [10, 20, 12, 3, 18, 9, 4],
    })  # fmt: skip
    f = deltagarflode_fran_antal(t, per="insats")
    assert list(f.columns) == ["insats", "dimension", "kategori", "antal"]
    a = f[f["insats"] == "A"].set_index("kategori")["antal"].to_dict()
    assert a == {"aktiva_vid_start": 10, "nya": 20, "deltagit": 30, "avslutade": 12,
                 "fullfoljda": 9, "avbrutna": 3, "aktiva_vid_slut": 18}  # fmt: skip
    b = f[f["insats"] == "B"].set_index("kategori")["antal"]
    assert (b["deltagit"], b["avslutade"], b["aktiva_vid_slut"]) == (9, 5, 4)
    assert pd.isna(b["fullfoljda"]) and pd.isna(b["nya"])


def test_flode_fran_nyckeltal_vasteras_2019():
    # SOT 2019: "127 personer deltagit ... 55 st. personer som avslutat sin rehabilitering
    # ... Antal som avbrutit ... 25 st.": avslutade (fullföljda) 55, avbrutna 25, avslut 80.
    from finsam_analys.matt.deltagarfloden import deltagarflode_fran_nyckeltal

    n = pd.DataFrame({
        "period": ["2019", "2019", "2019", "2018"],
        "insats": "Samordningsteam Västerås",
        "indikator": ["antal_deltagare", "antal_avslutade", "antal_avbrutna", "antal_deltagare"],
        "varde": [127.0, 55.0, 25.0, 127.0],
        "enhet": "antal",
    })  # fmt: skip
    f = deltagarflode_fran_nyckeltal(n, period="2019", per="insats").set_index("kategori")
    assert f["antal"][["deltagit", "avslutade", "fullfoljda", "avbrutna"]].tolist() == [
        127, 80, 55, 25]  # fmt: skip
    ingen = deltagarflode_fran_nyckeltal(n[n["indikator"] == "antal_deltagare"].assign(
        indikator="aterbetalningstid"))  # fmt: skip
    assert ingen.empty


def test_fordelning_fran_antal_hoppar_over_varav_rader(avesta_antal):
    kon = fordelning_fran_antal(avesta_antal, dimension="kon", period=AVESTA)
    assert [round(a * 100) for a in kon["andel"]] == [53, 47]
    status = fordelning_fran_antal(avesta_antal, dimension="status")
    assert status["namnare"].iloc[0] == 57  # 39 + 18, tidiga avhopp ingår i avslutade


def test_andel_med_utfall_ur_avslutstabellen():
    # Som data/sodra_dalarna/avslut.csv: 7 av 14 fullföljda (exklusive tidiga avhopp).
    avslut = pd.DataFrame(
        {
            "utfall": [
                "Arbete",
                "Studier",
                "Fortsatt arbetslivsinriktad rehabilitering",
                "Sjuk- och aktivitetsersättning",
                "Annat",
                "Totalt",
                "Okänt",
            ],
            "avslutstyp": ["Fullföljd"] * 6 + ["Avbruten"],
            "antal": [5, 0, 2, 2, 5, 14, 4],
        }
    )
    fullfoljda = avslut[avslut["avslutstyp"] == "Fullföljd"]
    res = andel_med_utfall(
        fullfoljda, utfall=["Arbete", "Fortsatt arbetslivsinriktad rehabilitering"]
    )
    assert res["antal"] == 7 and res["namnare"] == 14 and res["andel"] == 0.5


def test_per_insats():
    d = pd.DataFrame(
        {
            "insats": ["MAC", "MAC", "Trädgård"],
            "deltagare_id": ["a", "b", "a"],
            "inskrivningsdatum": ["2019-01-01", "2019-02-01", "2018-06-01"],
            "avslutsdatum": [None, "2019-05-01", "2018-12-01"],
            "kon": ["Kvinna", "Man", "Kvinna"],
        }
    )
    f = deltagarflode(d, period="2019", per="insats").set_index(["insats", "kategori"])["antal"]
    assert f[("MAC", "deltagit")] == 2
    assert f[("Trädgård", "deltagit")] == 0
    k = fordelning(d, period="2019", dimension="kon", per="insats")
    assert k.columns[0] == "insats"
    assert k.set_index(["insats", "kategori"])["andel"].to_dict() == {
        ("MAC", "Kvinna"): 0.5,
        ("MAC", "Man"): 0.5,
    }


# --- deltagarantal och per= (korstabell i stället för uppdelning per grupp) --------------------


@st.composite
def _deltagare_med_insats(draw):
    d = draw(_deltagare())
    insatser = draw(st.lists(st.sampled_from(["A", "B", None]), min_size=len(d), max_size=len(d)))
    return d.assign(insats=pd.array(insatser, dtype="str"))


def _grupp_for_grupp(funktion, d, **argument) -> pd.DataFrame:
    """Referens: funktionen på varje insats för sig (utan per=), som förr."""
    delar = []
    for (nyckel,), grupp in d.groupby(["insats"], sort=True, dropna=False):
        ut = funktion(grupp, **argument)
        ut.insert(0, "insats", nyckel)
        delar.append(ut)
    return pd.concat(delar, ignore_index=True)


@settings(max_examples=40, deadline=None)
@given(d=_deltagare_med_insats(), start=st.integers(0, 1800), langd=st.integers(0, 700))
def test_egenskap_per_grupp_som_grupp_for_grupp(d, start, langd):
    if not len(d):
        return
    borjan = _DAG0 + dt.timedelta(days=start)
    period = Rapportperiod.fran_datum(borjan, borjan + dt.timedelta(days=langd))
    pd.testing.assert_frame_equal(
        deltagarflode(d, period=period, per="insats"),
        _grupp_for_grupp(deltagarflode, d, period=period),
    )
    for dimension, urval in (("kon", "deltagit"), ("kon", "avslutade"), ("aldersgrupp", "nya")):
        if dimension == "aldersgrupp":
            d = d.assign(fodelsear=1980)
        pd.testing.assert_frame_equal(
            fordelning(d, period=period, dimension=dimension, urval=urval, per="insats"),
            _grupp_for_grupp(fordelning, d, period=period, dimension=dimension, urval=urval),
        )
    dimensioner = [("kon", "deltagit"), ("kon", "avslutade"), ("aldersgrupp", "deltagit")]
    vantat = []
    for (nyckel,), grupp in d.groupby(["insats"], sort=True, dropna=False):
        delar = [deltagarflode(grupp, period=period)] + [
            fordelning(grupp, period=period, dimension=dim, urval=urval)
            for dim, urval in dimensioner
        ]
        for del_ in delar:
            vantat += [(nyckel, *r) for r in del_[["dimension", "kategori", "antal"]].values]
    t = deltagarantal(d, period=period, dimensioner=dimensioner, per="insats")
    assert list(t.columns) == ["insats", "dimension", "kategori", "antal"]
    assert [tuple(map(str, r)) for r in t.values] == [tuple(map(str, r)) for r in vantat]


def test_deltagarantal_for_hand():
    """Två insatser, perioden 2019: A har en avslutad (Kvinna) och en aktiv (Man), B en aktiv."""
    d = pd.DataFrame(
        {
            "insats": ["A", "A", "B", "B"],
            "inskrivningsdatum": ["2019-01-10", "2019-02-01", "2019-03-01", "2018-01-01"],
            "avslutsdatum": ["2019-06-30", None, None, "2018-12-31"],
            "avslutstyp": ["Fullföljd", None, None, "Avbruten"],
            "kon": ["Kvinna", "Man", None, "Man"],
            "remittent": ["AF", "FK", "FK", "AF"],
        }
    )
    t = deltagarantal(
        d,
        period="2019",
        dimensioner=[("kon", "deltagit"), ("remittent", "avslutade")],
        per="insats",
    )
    assert t.values.tolist() == [
        ["A", "status", "aktiva_vid_start", 0],
        ["A", "status", "nya", 2],
        ["A", "status", "deltagit", 2],
        ["A", "status", "avslutade", 1],
        ["A", "status", "fullfoljda", 1],
        ["A", "status", "avbrutna", 0],
        ["A", "status", "aktiva_vid_slut", 1],
        ["A", "kon", "Kvinna", 1],
        ["A", "kon", "Man", 1],
        ["A", "remittent", "AF", 1],
        ["B", "status", "aktiva_vid_start", 0],
        ["B", "status", "nya", 1],
        ["B", "status", "deltagit", 1],
        ["B", "status", "avslutade", 0],
        ["B", "status", "fullfoljda", 0],
        ["B", "status", "avbrutna", 0],
        ["B", "status", "aktiva_vid_slut", 1],
        ["B", "kon", "Uppgift saknas", 1],
    ]
    utan_per = deltagarantal(d, period="2019", dimensioner=[("kon", "deltagit")])
    assert utan_per.loc[utan_per["dimension"] == "kon", "antal"].tolist() == [1, 1, 1]
    with pytest.raises(ValueError, match="Okänt urval"):
        deltagarantal(d, period="2019", dimensioner=[("kon", "alla")])
    with pytest.raises(ValueError, match="saknar kolumnerna"):
        deltagarantal(d, period="2019", dimensioner=[("folkbokforingskommun", "deltagit")])


# --- räknevägarna: klassning, datum och trådar ger samma svar som de enkla vägarna -------------


@settings(max_examples=200, deadline=None)
@given(
    varden=st.lists(
        st.one_of(
            st.none(),
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(-5, 80).map(float),
        ),
        max_size=30,
    ),
    typ=st.sampled_from(["float64", "Int64", "object"]),
)
def test_egenskap_klassning_som_pd_cut(varden, typ):
    """Klassningen ger samma kategoriska serie som pd.cut (nedre gräns ingår) + "Uppgift
    saknas" för saknat, negativt, oändligt och NaN."""
    from finsam_analys.matt.deltagarfloden import ALDERSKLASSER, SAKNAS, _klassa

    s = pd.Series(varden, dtype="float64", name="x", index=np.arange(len(varden)) * 2)
    if typ == "Int64":
        s = s[(s.abs() < 1e6) | s.isna()].round().astype("Int64")
    elif typ == "object":
        s = s.astype(object)
    granser = [g for g, _ in ALDERSKLASSER] + [np.inf]
    etiketter = [e for _, e in ALDERSKLASSER]
    vantat = pd.cut(pd.to_numeric(s), bins=granser, labels=etiketter, right=False)
    vantat = vantat.cat.add_categories([SAKNAS]).fillna(SAKNAS)
    pd.testing.assert_series_equal(_klassa(s, ALDERSKLASSER), vantat)


def test_klassning_for_hand():
    from finsam_analys.matt.deltagarfloden import ALDERSKLASSER, _klassa

    s = pd.Series([24.0, 25.0, 29.9, 50.0, -1.0, np.nan, np.inf, 0.0])
    assert _klassa(s, ALDERSKLASSER).tolist() == [
        "Under 25 år",
        "25–29 år",
        "25–29 år",
        "50 år eller äldre",
        "Uppgift saknas",
        "Uppgift saknas",
        "Uppgift saknas",
        "Under 25 år",
    ]


@pytest.mark.parametrize("enhet", ["s", "ms", "us", "ns"])
def test_datum_med_klockslag_och_fore_1970_raknas_till_dagen(enhet):
    from finsam_analys.matt.deltagarfloden import _dagar

    s = pd.Series(
        ["1969-12-31 23:59:59", "1970-01-01 00:00:00", "2024-02-29 12:00", None],
        dtype=f"datetime64[{enhet}]",
    )
    dagar = _dagar(s, "inskrivningsdatum")
    assert dagar[:3].tolist() == [-1.0, 0.0, 19782.0]
    assert np.isnan(dagar[3])


@settings(max_examples=25, deadline=None)
@given(d=_deltagare_med_insats(), start=st.integers(0, 1800), langd=st.integers(0, 700))
def test_egenskap_tradar_ger_samma_tabell(d, start, langd):
    """Med trådar (som för stora tabeller) blir räknetabellen exakt densamma som utan."""
    import finsam_analys.matt.deltagarfloden as modul

    borjan = _DAG0 + dt.timedelta(days=start)
    period = Rapportperiod.fran_datum(borjan, borjan + dt.timedelta(days=langd))
    d = d.assign(fodelsear=1980, remittent=d["kon"])
    dimensioner = [("kon", "deltagit"), ("aldersgrupp", "nya"), ("remittent", "avslutade")]
    utan = deltagarantal(d, period=period, dimensioner=dimensioner, per="insats")
    tidigare = modul._antal_tradar
    anrop = []
    modul._antal_tradar = lambda rader: anrop.append(rader) or 2
    try:
        med = deltagarantal(d, period=period, dimensioner=dimensioner, per="insats")
    finally:
        modul._antal_tradar = tidigare
    pd.testing.assert_frame_equal(med, utan)
    assert anrop == [len(d)] or not len(d)


@pytest.mark.parametrize(("cpu", "vantat"), [(1, 1), (2, 2), (3, 3), (8, 4)])
def test_tradar_bara_for_stora_tabeller(monkeypatch, cpu, vantat):
    """En tråd under gränsen; annars en per CPU, högst fyra."""
    import os

    from finsam_analys.matt.deltagarfloden import _TRADGRANS, _antal_tradar

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpu)), raising=False)
    assert _antal_tradar(_TRADGRANS - 1) == 1
    assert _antal_tradar(_TRADGRANS) == vantat
    assert _antal_tradar(10 * _TRADGRANS) == vantat


def test_korstabell_deltagare_kon_och_forsorjning_for_nya():
    """Handräknat: tre nya 2019 (två kvinnor, en man), en inskriven 2018 räknas inte."""
    from finsam_analys.matt.deltagarfloden import korstabell_deltagare

    d = pd.DataFrame(
        {
            "inskrivningsdatum": ["2019-01-10", "2019-02-01", "2019-03-01", "2018-04-01"],
            "kon": ["Kvinna", "Man", "Kvinna", "Man"],
            "forsorjning_in": ["Sjukpenning", "Aktivitetsstöd", "Sjukpenning", "Sjukpenning"],
        }
    )
    t = korstabell_deltagare(d, period="2019", rader="kon", kolumner="forsorjning_in", urval="nya")
    assert t.to_dict("index") == {
        "Kvinna": {"Aktivitetsstöd": 0, "Sjukpenning": 2},
        "Man": {"Aktivitetsstöd": 1, "Sjukpenning": 0},
    }
    # radsummorna är fördelningen efter kön för samma urval
    f = fordelning(d, period="2019", dimension="kon", urval="nya")
    assert t.sum(axis=1).tolist() == f["antal"].tolist()
    grupper = {"Ohälsa": ["Sjukpenning"], "Arbetsmarknadsstöd": ["Aktivitetsstöd"]}
    g = korstabell_deltagare(
        d, period="2019", rader="kon", kolumner="forsorjning_in", urval="deltagit", grupper=grupper
    )
    assert list(g.columns) == ["Ohälsa", "Arbetsmarknadsstöd"]
    assert g.loc["Man"].tolist() == [1, 1]


def test_korstabell_deltagare_klassar_tid_i_forsorjning():
    from finsam_analys.matt.deltagarfloden import korstabell_deltagare

    d = pd.DataFrame(
        {
            "inskrivningsdatum": ["2019-01-10"] * 3,
            "kon": ["Kvinna", "Kvinna", "Man"],
            "tid_offentlig_forsorjning_ar": [0.5, 3.0, None],
        }
    )
    t = korstabell_deltagare(d, period="2019", rader="kon", kolumner="tid_offentlig_forsorjning")
    assert t.loc["Kvinna", "Under 1 år"] == 1 and t.loc["Kvinna", "2–5 år"] == 1
    assert t.loc["Man", "Uppgift saknas"] == 1
    assert list(t.columns)[-1] == "Uppgift saknas"


def test_tid_i_offentlig_forsorjning_bara_urvalet():
    # Handräknat: deltog 2019 är de tre första (den fjärde avslutades 2018); utan uppgift
    # räknas inte: (2 + 6) / 2 = 4 år, median 4.
    from finsam_analys.matt.deltagarfloden import tid_i_offentlig_forsorjning

    d = pd.DataFrame({
        "inskrivningsdatum": ["2019-01-10", "2019-02-01", "2019-03-01", "2018-01-01"],
        "avslutsdatum": [None, "2019-06-30", None, "2018-06-30"],
        "tid_offentlig_forsorjning_ar": [2.0, 6.0, None, 20.0],
    })  # fmt: skip
    r = tid_i_offentlig_forsorjning(d, period="2019")
    assert r.to_dict() == {"n": 2.0, "medel": 4.0, "median": 4.0}
    avslutade = tid_i_offentlig_forsorjning(d, period="2019", urval="avslutade")
    assert avslutade["n"] == 1 and avslutade["medel"] == 6.0
