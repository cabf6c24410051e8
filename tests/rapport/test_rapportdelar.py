"""Rapportens sektioner: seed-rapporternas tal, sekretessmaskning och saknade data.

Förväntade värden är hämtade ur seed-rapporterna (/work/shared/seeds) eller handräknade, aldrig
ur koden som testas.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finsam_analys import rapport as rd
from finsam_analys.indata.inlasning import las_forbund
from finsam_analys.indata.underlag import Sekretess
from finsam_analys.presentation.formatering import formatera_procent
from finsam_analys.rapport.gemensamt import MASKAD, ar_maskad

DATA = Path(__file__).resolve().parents[2] / "data"


def _intern(underlag):
    """Samma underlag med en intern rapport (ingen maskning)."""
    konfig = dataclasses.replace(underlag.konfig, sekretess=Sekretess(intern=True))
    return dataclasses.replace(underlag, konfig=konfig)


@pytest.fixture(scope="module")
def vasteras():
    return las_forbund(DATA / "vasteras")


@pytest.fixture(scope="module")
def avesta():
    return las_forbund(DATA / "sodra_dalarna")


def _procent(tabell: pd.DataFrame, kolumn: str, decimaler: int = 0) -> list[str]:
    return [formatera_procent(v, decimaler) for v in tabell[kolumn]]


# --------------------------------------------------------------- Västerås SOT 2019


def test_sammanfattning_vasteras_2019_mot_malen(vasteras):
    # SOT 2019, målområde 1: resultat 13 %, 9 %, 78 % mot målen 25 %, 20 %, 55 %.
    s = rd.sektion_sammanfattning(vasteras, "2019")
    assert s.visas
    t = s.tabeller["Mål och resultat"].set_index("Indikator")
    rader = ["Arbete efter avslut", "Studier efter avslut",
             "Fortsatt arbetslivsinriktad rehabilitering"]  # fmt: skip
    assert _procent(t.loc[rader], "Resultat") == ["13\xa0%", "9\xa0%", "78\xa0%"]
    assert _procent(t.loc[rader], "Mål") == ["25\xa0%", "20\xa0%", "55\xa0%"]
    assert t.loc[rader, "n"].tolist() == [55, 55, 55]
    assert t.loc[rader, "Bedömning"].tolist() == ["Ej uppfyllt"] * 3
    # 7/55 − 0,25 = −0,1227 → −12 procentenheter
    assert t.loc["Arbete efter avslut", "Mot mål"] == pytest.approx(7 / 55 - 0.25)
    # hälsan: 26 av 32 = 81 % mot målet 90 %
    assert t.loc["Förbättrad upplevd hälsa", "Resultat"] == pytest.approx(26 / 32)
    assert t.loc["Förbättrad upplevd hälsa", "Bedömning"] == "Ej uppfyllt"
    # återbetalningstid 94 mot högst 34 månader
    o = s.tabeller["Övriga mål"].iloc[0]
    assert (o["Resultat"], o["Mål"], o["Bedömning"]) == (94, 34, "Ej uppfyllt")
    assert "13\xa0% (7 av 55), mål minst 25\xa0%" in s.text
    assert "-12 procentenheter" in s.text
    assert s.nyckeltal["mal_uppfyllt:andel_arbete:Samordningsteam Västerås"] is False


def test_avslut_per_utfall_och_insats_vasteras(vasteras):
    s = rd.sektion_avslut_och_resultat(vasteras, "2019")
    t = s.tabell("avslut_per_utfall").data.set_index("Utfall")
    assert t.loc[["Arbete", "Studier"], "Antal"].tolist() == [7, 5]
    assert formatera_procent(t.loc["Fortsatt arbetslivsinriktad rehabilitering", "Andel"]) == (
        "78\xa0%"
    )
    # Wilson 95 % för 7 av 55: 6,3–24,0 %
    assert t.loc["Arbete", "95 % KI, nedre"] == pytest.approx(0.063, abs=5e-4)
    assert t.loc["Arbete", "95 % KI, övre"] == pytest.approx(0.240, abs=5e-4)
    insats = s.tabell("avslut_per_insats").data.set_index("Insats").drop(index="Totalt")
    assert insats["Antal"].tolist() == [26, 13, 16]  # MAC 47 %, Upplevelse 24 %, Trädgård 29 %
    assert _procent(insats, "Andel") == ["47\xa0%", "24\xa0%", "29\xa0%"]
    nyckeltal = rd.rapportens_nyckeltal(rd.bygg_rapport(vasteras, "2019"))
    assert nyckeltal["antal_avslut"] == 55
    assert nyckeltal["andel_avslut_Arbete"] == pytest.approx(7 / 55)


def test_avslut_korstabell_maskas_med_summor(vasteras):
    # Upplevelse 0 arbete, 2 studier, Trädgård 2 och 1, MAC 2 studier: små tal maskas
    tabell = rd.bygg_rapport(vasteras, "2019")["avslut"].tabell("avslut_per_utfall_och_insats")
    kors = tabell.visning.set_index("Utfall")
    assert kors.loc["Totalt", "Totalt"] == 55
    celler = kors.drop(index="Totalt", columns="Totalt").to_numpy().ravel()
    synliga = [v for v in celler if not ar_maskad(v)]
    assert all(v == 0 or v >= 5 for v in synliga)
    assert sum(ar_maskad(v) for v in celler) >= 4


def test_avbrott_vasteras_internt(vasteras):
    intern = _intern(vasteras)
    a = rd.sektion_avbrott(intern, "2019").tabeller["Avbrott per remittent"].set_index("Remittent")
    # 15st från Arbetsförmedlingen, 2st från Försäkringskassan och 8st från Socialkontor Ekonomi
    assert a["Antal"].to_dict() == {
        "Arbetsförmedlingen": 15,
        "Kommunen (socialtjänsten)": 8,
        "Försäkringskassan": 2,
    }
    # uppföljningen 6 månader: tests/rapport/test_halsa_uppfoljning.py


def test_avbrott_maskas_sekundart(vasteras):
    # FK 2 maskas; annars kan den räknas fram ur 25 − 15 − 8, så även Kommun maskas
    a = (
        rd.sektion_avbrott(vasteras, "2019")
        .tabeller["Avbrott per remittent"]
        .set_index("Remittent")
    )
    assert a.loc["Arbetsförmedlingen", "Antal"] == 15
    assert ar_maskad(a.loc["Försäkringskassan", "Antal"])
    assert ar_maskad(a.loc["Kommunen (socialtjänsten)", "Antal"])


def test_bakgrund_remisser_vasteras_internt(vasteras):
    s = rd.sektion_bakgrund(_intern(vasteras), "2019")
    r = s.tabeller["Ansökningar per remittent"].set_index("Remittent")
    # 26 från AF, 11 från FK och 28 från Socialkontor Ekonomi av 65
    assert r["Antal"].tolist() == [26, 11, 28]
    assert s.nyckeltal["antal_ansokningar"] == 65


def test_deltagarflode_vasteras_med_jamforelse(vasteras):
    s = rd.sektion_deltagare_och_floden(vasteras, "2019")
    t = s.tabeller["Deltagarflöde"].set_index("Deltagare")
    # 127 deltog både 2019 och 2018; 55 mot 52 fullföljde, 25 mot 22 avbröt
    assert t.loc["Deltagit under perioden", ["2019", "2018"]].tolist() == [127, 127]
    assert t.loc["varav fullföljda", ["2019", "2018"]].tolist() == [55, 52]
    assert t.loc["varav avbrutna", "Förändring"] == 3


# Västerås delår 2021 (helårsekvivalenter, ekonomi): tests/rapport/test_ekonomi_hae.py


# --------------------------------------------------------------- Södra Dalarna (Avesta)


def test_bakgrund_avesta_kon_och_remittenter(avesta):
    s = rd.sektion_bakgrund(_intern(avesta), "2015-07..2016-06")
    assert _procent(s.tabeller["Kön"], "Andel") == ["53\xa0%", "47\xa0%"]  # 30 kvinnor, 27 män
    r = s.tabeller["Remittent"]
    assert r["Antal"].tolist() == [25, 21, 8, 3]
    assert _procent(r, "Andel") == ["44\xa0%", "37\xa0%", "14\xa0%", "5\xa0%"]
    tider = s.tabeller["Tider och ålder"].set_index("Mått")
    assert tider.loc["Genomströmningstid (publicerad)", "Medel"] == pytest.approx(8.46)


def test_bakgrund_avesta_maskas_utan_intern(avesta):
    r = rd.sektion_bakgrund(avesta, "2015-07..2016-06").tabeller["Remittent"]
    # AF 3 maskas primärt, Region 8 sekundärt (annars 57 − 25 − 21 − 8 = 3)
    assert r["Antal"].tolist()[:2] == [25, 21]
    assert all(ar_maskad(v) for v in r["Antal"].tolist()[2:])
    assert all(ar_maskad(v) for v in r["Andel"].tolist()[2:])


def test_sju_av_fjorton_avesta(avesta):
    # "7 av 14 = 50 % i arbete/annan arbetslivsinriktad rehab"
    from finsam_analys.matt.indikatorer import indikatorer

    ind = indikatorer(rd.rakna(avesta, "2015-07..2016-06")).set_index(["indikator", "insats"])
    rad = ind.loc[("andel_arbete_eller_rehabilitering", "Totalt")]
    assert (rad["antal"], rad["n"], rad["varde"]) == (7, 14, 0.5)
    # och andelen avbrott: 4 tidiga avhopp av 18 avslut
    assert ind.loc[("andel_avbrott", "Totalt"), "varde"] == pytest.approx(4 / 18)


def test_sammanfattning_utan_mal_visar_nyckeltalen(avesta):
    s = rd.sektion_sammanfattning(_intern(avesta), "2015-07..2016-06")
    assert s.visas and "inga mål" in s.text
    t = s.tabeller["Nyckeltal"].set_index("Indikator")
    assert t.loc["Arbete eller fortsatt rehabilitering", "Resultat"] == 0.5
    assert "50\xa0% (7 av 14)" in s.text
    # maskat: 7 − 5 i arbete skulle röja de 2 till rehabilitering, så andelen visas inte
    m = rd.sektion_sammanfattning(avesta, "2015-07..2016-06").tabeller["Nyckeltal"]
    m = m.set_index("Indikator")
    assert ar_maskad(m.loc["Arbete eller fortsatt rehabilitering", "Resultat"])
    assert ar_maskad(m.loc["Arbete eller fortsatt rehabilitering", "Antal"])
    assert m.loc["Arbete efter avslut", "Antal"] == 5


# --------------------------------------------------------------- deltagarnivå


@pytest.fixture(scope="module")
def syntetiskt(tmp_path_factory):
    from finsam_analys.indata.syntetiskt import skriv_syntetiskt_forbund

    katalog = skriv_syntetiskt_forbund(
        tmp_path_factory.mktemp("syn") / "syn", seed=11, antal_deltaganden=300, ar=[2023, 2024]
    )
    return las_forbund(katalog)


def test_deltagarrader_ger_samma_raknetabeller(syntetiskt):
    d = syntetiskt.tabell("deltagare")
    r = rd.rakna(syntetiskt, "2024")
    avslut = pd.to_datetime(d["avslutsdatum"])
    i_2024 = (avslut >= "2024-01-01") & (avslut <= "2024-12-31")
    # handräknat ur raderna: antal avslut 2024 per avslutstyp
    forvantat = d[i_2024].groupby("avslutstyp").size().to_dict()
    t = r.tabell("avslut").groupby("avslutstyp")["antal"].sum().to_dict()
    assert t == forvantat
    # könsfördelningen bland dem som deltog 2024
    inskr = pd.to_datetime(d["inskrivningsdatum"])
    deltog = (inskr <= "2024-12-31") & (avslut.isna() | (avslut >= "2024-01-01"))
    kon = r.tabell("deltagarantal")
    kon = kon[kon["dimension"] == "kon"].groupby("kategori")["antal"].sum().to_dict()
    assert kon == d[deltog]["kon"].value_counts().to_dict()
    assert r.individniva["avslut"] is True


def test_syntetiskt_alla_sektioner_och_inga_sma_antal(syntetiskt):
    rapport = rd.bygg_rapport(syntetiskt, "2024")
    assert list(rapport) == list(rd.SEKTIONER)
    assert rapport["avslut"].visas and rapport["halsa"].visas and rapport["ekonomi"].visas
    for sektion in rapport.values():
        for namn, tabell in sektion.tabeller.items():
            for kolumn, typ in sektion.format.get(namn, {}).items():
                if typ != "antal" or kolumn in ("Rader",):
                    continue
                for v in tabell[kolumn]:
                    if isinstance(v, (int, float, np.integer, np.floating)) and not pd.isna(v):
                        assert v == 0 or v >= 5, (sektion.namn, namn, kolumn, v)
    nyckeltal = rd.rapportens_nyckeltal(rapport)
    for k, v in nyckeltal.items():
        if k.startswith("antal") and isinstance(v, (int, float)) and not isinstance(v, bool):
            assert v == 0 or v >= 5, (k, v)


def test_intern_rapport_maskar_inget(avesta):
    s = rd.sektion_bakgrund(_intern(avesta), "2015-07..2016-06")
    assert MASKAD not in s.tabeller["Remittent"].to_numpy().ravel().tolist()
    # Om underlaget säger att rapporten är intern: tests/rapport/test_underlaget.py


def test_sekretess_troskel_parameter(avesta):
    # tröskel 3: AF 3 visas (inte under 3)
    r = rd.sektion_bakgrund(avesta, "2015-07..2016-06", sekretess_troskel=3).tabeller["Remittent"]
    assert r["Antal"].tolist() == [25, 21, 8, 3]


def test_rapportens_nyckeltal_och_tabeller_platta():
    t = pd.DataFrame({"Antal": [7]})
    a = rd.Sektion("a", "A", tabeller={"T": t}, nyckeltal={"x": 1})
    b = rd.Sektion("b", "B", tabeller={"T": t, "U": t}, saknas="inget")
    assert list(rd.rapportens_tabeller({"a": a, "b": b})) == ["T", "B – T", "U"]
    assert rd.rapportens_nyckeltal({"a": a, "b": b})["sektion_visas:b"] is False


def test_jamforelseperiod_fran_konfig(vasteras):
    from finsam_analys.rapport.gemensamt import jamforelseperiod

    assert jamforelseperiod(vasteras, "2019").kod == "2018"
    assert jamforelseperiod(vasteras, "2019", "2017").kod == "2017"


def test_given_rakning_ger_samma_rapport_och_uppfoljning(syntetiskt):
    rak = rd.rakna(syntetiskt, "2024")
    med = rd.bygg_rapport(syntetiskt, "2024", rakning=rak)
    utan = rd.bygg_rapport(syntetiskt, "2024")
    assert rd.rapportens_nyckeltal(med) == rd.rapportens_nyckeltal(utan)
    tabeller_med, tabeller_utan = rd.rapportens_tabeller(med), rd.rapportens_tabeller(utan)
    assert list(tabeller_med) == list(tabeller_utan)
    for namn in tabeller_med:
        pd.testing.assert_frame_equal(tabeller_med[namn], tabeller_utan[namn])
    pd.testing.assert_frame_equal(
        rd.uppfoljning_finsam(syntetiskt, "2024", rakning=rak),
        rd.uppfoljning_finsam(syntetiskt, "2024"),
    )


def test_figurer_bara_dar_de_tillfor_nagot(syntetiskt):
    # Produktbeslut: tabellerna finns kvar, figurerna bara där de tillför något.
    rapport = rd.bygg_rapport(syntetiskt, "2024")
    bakgrund = rapport["bakgrund"]
    assert [f.tabell for f in bakgrund.figurer] == [
        "Ålder vid inskrivning",
        "Försörjningsgrupp vid inskrivning och vid avslut",
    ]
    assert [f.typ for f in bakgrund.figurer] == ["staplar", "grupperade_staplar"]
    for tabell in ("Kön", "Remittent", "Försörjning vid avslut", "Ålder vid inskrivning"):
        assert tabell in bakgrund.tabeller
    avbrott = rapport["avbrott"]
    assert [f.tabell for f in avbrott.figurer] == ["Avbrott per orsak"]
    assert "Avbrott per remittent" in avbrott.tabeller
    # Uppföljningen (en figur för alla tider): tests/rapport/test_halsa_uppfoljning.py


def test_jamforelseperioden_raknar_bara_det_som_behovs(syntetiskt, vasteras):
    # bygg_rapport räknar bara JAMFORELSETABELLER för jämförelseperioden: de tabellerna är
    # desamma som i en full räkning, och sektionerna blir desamma som med en full räkning.
    from finsam_analys.rapport.gemensamt import jamforelseperiod

    for underlag, period in ((syntetiskt, "2024"), (vasteras, "2019")):
        jp = jamforelseperiod(underlag, period)
        hel = rd.rakna(underlag, jp)
        delvis = rd.rakna(underlag, jp, tabeller=rd.JAMFORELSETABELLER)
        assert set(delvis.tabeller) <= set(rd.JAMFORELSETABELLER)
        for namn, tabell in delvis.tabeller.items():
            pd.testing.assert_frame_equal(tabell, hel.tabeller[namn])
        rak = rd.rakna(underlag, period)
        for sektion in (rd.sektion_sammanfattning, rd.sektion_deltagare_och_floden):
            a = sektion(underlag, period, rakning=rak, jamforelse_rakning=hel)
            b = sektion(underlag, period, rakning=rak, jamforelse_rakning=delvis)
            assert a.text == b.text and a.nyckeltal == b.nyckeltal
            assert list(a.tabeller) == list(b.tabeller)
            for namn in a.tabeller:
                pd.testing.assert_frame_equal(a.tabeller[namn], b.tabeller[namn])


def test_maskat_resultat_bedoms_inte():
    """Ett maskat resultat får ingen bedömning: "uppfyllt" röjer att det dolda värdet ligger
    över målet. Exempelförbundet 2024 har två maskade andelar (arbete eller studier för
    Arbetsträning i grupp och Unga vuxna)."""
    from pathlib import Path

    from finsam_analys.indata.inlasning import las_forbund
    from finsam_analys.rapport import bygg_rapport
    from finsam_analys.rapport.gemensamt import KAN_EJ_BEDOMAS, MASKAD

    underlag = las_forbund(Path(__file__).resolve().parents[2] / "data" / "exempelforbund")
    sektion = bygg_rapport(underlag, "2024")["sammanfattning"]
    tabell = sektion.tabeller["Mål och resultat"]
    maskade = tabell[tabell["Resultat"].astype(object) == MASKAD]
    assert len(maskade) == 2
    assert set(maskade["Bedömning"]) == {KAN_EJ_BEDOMAS}
    for insats in maskade["Insats"]:
        nyckel = f"mal_uppfyllt:andel_arbete_eller_studier:{insats}"
        assert sektion.nyckeltal[nyckel] is None
    assert sektion.text.startswith("6 av 10 mål som kan bedömas")
    assert "maskat (för få), mål minst 30\xa0% – **kan inte bedömas**" in sektion.text
