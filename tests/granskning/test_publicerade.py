"""Tester för finsam_analys.granskning.publicerade: kontrollerna som tabellernas deklarerade
struktur ger. Tabellerna är de tryckta i referensrapporterna (/work/shared/seeds) och
förväntade värden är handräknade."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.granskning.publicerade import (
    KONTROLLKOLUMNER,
    granska_publicerad,
    granska_publicerade,
    kontroller_som_fynd,
)
from finsam_analys.indata.publicerat import tabell_fran_rutnat


def _tabell(rutnat, **spec):
    spec.setdefault("id", "t")
    spec.setdefault("titel", "T")
    spec.setdefault("referens", "s. 1")
    spec.setdefault("period", "2019")
    t, problem = tabell_fran_rutnat(rutnat, spec, fil="t.csv")
    assert problem == [], [p.text() for p in problem]
    return t


def _avvikelser(k: pd.DataFrame) -> list:
    return k.loc[k["status"] == "avvikelse", ["rad", "kolumn", "kontroll", "publicerat", "omraknat"]].values.tolist()  # noqa: E501


AVESTA = [
    ["Kr", "Budget", "Utfall period", "Differens", "Prognos"],
    ["Personal", "1 775 000", "819 000", "955 000", "0"],
    ["Lokaler", "165 000", "88 000", "77 000", "-9 000"],
    ["Övriga kostnader", "160 000", "81 000", "79 000", "+ 20 000"],
    ["Summa", "2 100 000", "988 000", "1 111 000", "+ 11 000"],
]


def test_avesta_budgeten_som_tryckt_med_prognoskolumnen():
    t = _tabell(
        AVESTA, id="avesta", matt="belopp", enhet="kr", period="2015-07..2016-06",
        kolumner={"Differens": {"roll": "differens", "av": ["Budget", "Utfall period"]}},
    )  # fmt: skip
    k = granska_publicerad(t)
    assert list(k.columns) == list(KONTROLLKOLUMNER)
    assert _avvikelser(k) == [
        ["Personal", "Differens", "differens", 955000.0, 956000.0],
        ["Summa", "Differens", "differens", 1111000.0, 1112000.0],
    ]
    # Summaraden stämmer i alla fyra kolumner, också prognosens 0 − 9 000 + 20 000 = 11 000.
    summor = k[(k["kontroll"] == "summa") & (k["rad"] == "Summa")]
    assert summor["status"].tolist() == ["stämmer"] * 4
    assert summor.loc[summor["kolumn"] == "Prognos", "omraknat"].item() == 11000.0


KOMMUNER = [
    ["Kommun", "Totalt", "Folkmängd 20-64 år", "Andel"],
    ["Skinnskatteberg", "354", "2 204", "16,1"],
    ["Surahammar", "745", "5 229", "14,2"],
    ["Kungsör", "828", "4 542", "18,2"],
    ["Hallstahammar", "1 218", "8 687", "14,0"],
    ["Norberg", "513", "2 890", "17,7"],
    ["Västerås", "13 451", "88 586", "15,2"],
    ["Sala", "1 831", "12 068", "15,2"],
    ["Fagersta", "1 343", "6 988", "19,2"],
    ["Köping", "2 354", "13 784", "17,1"],
    ["Arboga", "1 181", "7 340", "16,1"],
    ["Västmanlands län", "23 817", "152 318", "16,3"],
]


def test_lanets_kommuner_2020_som_tryckt():
    rutnat = [["roll", *KOMMUNER[0]], *[[None, *r] for r in KOMMUNER[1:-1]]]
    rutnat.append(["summa", *KOMMUNER[-1]])
    t = _tabell(
        rutnat, period="2020", population="befolkning",
        kolumner={"Totalt": {"matt": "hae", "roll": "varde"}, "Folkmängd 20-64 år": "antal",
                  "Andel": {"roll": "kvot", "av": ["Totalt", "Folkmängd 20-64 år"]}},
    )  # fmt: skip
    k = granska_publicerad(t)
    # Länets andel 16,3 är medelvärdet av kommunernas andelar; 23 817 / 152 318 = 15,6 %.
    assert _avvikelser(k) == [["Västmanlands län", "Andel", "kvot", 16.3, 15.6]]
    norberg = k[(k["rad"] == "Norberg") & (k["kolumn"] == "Andel")].iloc[0]
    assert norberg["status"] == "avrundning"  # 513 / 2 890 = 17,75 %, HÅE är avrundade
    totalt = k[(k["rad"] == "Västmanlands län") & (k["kolumn"] == "Totalt")].iloc[0]
    assert (totalt["status"], totalt["omraknat"]) == ("avrundning", 23818.0)
    folk = k[(k["rad"] == "Västmanlands län") & (k["kolumn"] == "Folkmängd 20-64 år")].iloc[0]
    assert folk["status"] == "stämmer"  # exakta antal: 152 318


KON_2020 = [
    ["", "Kvinnor", "Män", "Totalt"],
    ["Sjukpenning", "95 746", "54 410", "150 156"],
    ["Sjuk- och aktivitetsersättning", "126 322", "99 519", "225 841"],
    ["Arbetslöshet", "55 259", "68 924", "124 182"],
    ["Arbetsmarknadspolitiska åtgärder", "83 251", "89 221", "172 472"],
    ["Ekonomiskt bistånd", "48 608", "45 946", "94 555"],
    ["Etableringsersättning", "13 719", "9 318", "23 036"],
    ["Totalt", "422 904", "367 337", "790 242"],
]
KONSFORDELNING_2020 = [
    ["", "Kvinnor", "Män", "Totalt"],
    ["Sjukpenning", "63,8", "36,2", "100,0"],
    ["Sjuk- och aktivitetsersättning", "55,9", "44,1", "100,0"],
    ["Arbetslöshet", "44,5", "55,5", "100,0"],
    ["Arbetsmarknadspolitiska åtgärder", "48,3", "51,7", "100,0"],
    ["Ekonomiskt bistånd", "51,4", "48,6", "100,0"],
    ["Etableringsersättning", "59,6", "40,4", "100,0"],
    ["Totalt", "53,5", "46,5", "100,0"],
]


def test_riket_efter_kon_och_konsfordelningen_2020():
    kon = _tabell(KON_2020, id="kon", matt="hae", period="2020")
    fordelning = _tabell(
        KONSFORDELNING_2020, id="fordelning", matt="andel", period="2020", bas="kon",
        namnare="summakolumn",
    )  # fmt: skip
    k = granska_publicerade([kon, fordelning])
    assert _avvikelser(k) == []
    kon_k = k[k["tabell"] == "T (s. 1)"]
    avrundade = kon_k[kon_k["status"] == "avrundning"]
    # Som i granskningen av de kanoniska tabellerna: Kvinnor 422 905, Män 367 338, ...
    par = zip(avrundade["kolumn"], avrundade["omraknat"], strict=True)
    assert {(r, round(v)) for r, v in par} >= {("Kvinnor", 422905), ("Män", 367338)}
    andelar = k[(k["kontroll"] == "andel")]
    assert len(andelar) == 21 and set(andelar["status"]) == {"stämmer"}
    sf = k[(k["kontroll"] == "fördelning")]
    assert len(sf) == 7 and set(sf["status"]) == {"stämmer"}


def test_kostnader_positiva_och_resultat():
    t = _tabell(
        [["", "typ", "Budget", "Utfall"], ["Intäkter", "intakt", "2 000", "1 300"],
         ["Insatser", "kostnad", "1 200", "700"], ["Administration", "kostnad", "300", "150"],
         ["Resultat", "resultat", "500", "460"]],
        matt="belopp", enhet="kr", tecken="kostnader_positiva",
    )  # fmt: skip
    assert _avvikelser(granska_publicerad(t)) == [["Resultat", "Utfall", "summa", 460.0, 450.0]]


def test_varav_som_overstiger_och_som_inte_tacker():
    rutnat = [
        ["", "roll", "del_av", "uttommande", "Antal"],
        ["Avslutade", None, None, None, "18"],
        ["varav tidiga avhopp", "varav", "Avslutade", None, "4"],
        ["Aktiva", None, None, None, "39"],
        ["varav med aktivitetsersättning", "varav", "Aktiva", "nej", "4"],
        ["Uppföljda", None, None, None, "7"],
        ["varav sjukpenning", "varav", "Uppföljda", None, "5"],
        ["varav försörjningsstöd", "varav", "Uppföljda", None, "3"],
    ]
    k = granska_publicerad(_tabell(rutnat, matt="antal"))
    status = dict(zip(k["rad"], k["status"], strict=True))
    assert status == {"Avslutade": "att kontrollera", "Aktiva": "stämmer", "Uppföljda": "avvikelse"}
    f = kontroller_som_fynd(k)
    assert f["typ"].tolist() == [
        "varav-delar täcker inte totalen",
        "varav-delar överstiger totalen",
    ]


def test_belopp_i_tkr_och_mkr_i_samma_tabell():
    t = _tabell(
        [["", "Belopp"], ["Förlängning", "3,8 mkr"], ["SIM", "1 617 tkr"], ["Summa", "5 417 tkr"]],
        matt="belopp",
    )  # fmt: skip
    k = granska_publicerad(t)
    rad = k.iloc[0]
    # 3,8 mkr är avrundat till 0,1 mkr (± 50 tkr): 3 800 + 1 617 = 5 417 tkr stämmer
    assert (rad["status"], rad["omraknat"]) == ("stämmer", 5417.0)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=2, max_size=8), st.integers(0, 1))
def test_korrekt_avrundade_fordelningar_flaggas_aldrig(antal, decimaler):
    n = sum(antal)
    steg = Decimal(1).scaleb(-decimaler)
    procent = [Decimal(a) * 100 / Decimal(n) for a in antal]
    tryckt = [str(p.quantize(steg, ROUND_HALF_UP)).replace(".", ",") for p in procent]
    rutnat = [["", "Antal", "Andel"], *[[f"r{i}", str(a), f"{p} %"] for i, (a, p) in enumerate(
        zip(antal, tryckt, strict=True))], ["Totalt", str(n), "100 %"]]  # fmt: skip
    t = _tabell(rutnat, matt="antal", namnare="summarad",
                kolumner={"Andel": {"matt": "andel", "av": ["Antal"]}})  # fmt: skip
    k = granska_publicerad(t)
    assert "avvikelse" not in set(k["status"]), k[k["status"] == "avvikelse"].to_string()
    assert set(k.loc[k["kontroll"] == "andel", "status"]) == {"stämmer"}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(0, 5000, allow_nan=False), min_size=1, max_size=10))
def test_avrundade_delar_ger_aldrig_summafel(exakta):
    # HÅE: delar och total avrundade var för sig ur samma exakta värden
    delar = [int(Decimal(x).quantize(Decimal(1), ROUND_HALF_UP)) for x in exakta]
    total = int(Decimal(math.fsum(exakta)).quantize(Decimal(1), ROUND_HALF_UP))
    rutnat = [["", "HÅE"], *[[f"d{i}", str(v)] for i, v in enumerate(delar)]]
    rutnat.append(["Totalt", str(total)])
    k = granska_publicerad(_tabell(rutnat, matt="hae"))
    assert set(k["status"]) <= {"stämmer", "avrundning"}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=8), st.integers(-50, 50))
def test_exakta_antal_flaggas_vid_varje_fel(delar, fel):
    rutnat = [["", "Antal"], *[[f"d{i}", str(v)] for i, v in enumerate(delar)],
              ["Totalt", str(sum(delar) + fel)]]  # fmt: skip
    k = granska_publicerad(_tabell(rutnat, matt="antal"))
    assert k["status"].tolist() == ["stämmer" if fel == 0 else "avvikelse"]
    if fel:
        assert k["avvikelse"].tolist() == [fel]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 2000), st.data(), st.integers(0, 1))
def test_andel_av_n_som_gar_att_fa_flaggas_aldrig(n, data, decimaler):
    k_svar = data.draw(st.integers(0, n))
    p = Decimal(k_svar) * 100 / Decimal(n)
    tryckt = str(p.quantize(Decimal(1).scaleb(-decimaler), ROUND_HALF_UP)).replace(".", ",")
    t = _tabell([["Fråga", "Andel", "Svar"], ["F", f"{tryckt} %", str(n)]],
                kolumner={"Andel": "andel", "Svar": {"roll": "n"}})  # fmt: skip
    assert granska_publicerad(t)["status"].tolist() == ["stämmer"]
