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
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.formatering import formatera_procent

DATA = Path(__file__).resolve().parents[2] / "data"


def _intern(underlag):
    """Samma underlag med en intern rapport (ingen maskning)."""
    konfig = dataclasses.replace(underlag.konfig, sekretess=Sekretess(intern=True))
    return dataclasses.replace(underlag, konfig=konfig)


@pytest.fixture(scope="module")
def vasteras(vasteras_maskerat):
    """Västerås med maskeringen påslagen: testerna här prövar maskningen på seed-talen."""
    return vasteras_maskerat


@pytest.fixture(scope="module")
def avesta(avesta_maskerat):
    """Avesta med maskeringen påslagen (se ``vasteras``)."""
    return avesta_maskerat


def _procent(tabell: pd.DataFrame, kolumn: str, decimaler: int = 0) -> list[str]:
    return [formatera_procent(v, decimaler) for v in tabell[kolumn]]


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
        for t in sektion.tabellobjekt():  # tabellmodellen: det som visas (efter kontrollpunkten)
            for k in t.kolumner:
                if k.matt != "antal" or k.namn == "Förändring":
                    continue
                for v in t.visning[k.namn]:
                    if isinstance(v, (int, float, np.integer, np.floating)) and not pd.isna(v):
                        assert v == 0 or v >= 5, (sektion.namn, t.titel, k.namn, v)
    nyckeltal = rd.rapportens_nyckeltal(rapport)
    for k, v in nyckeltal.items():
        if k.startswith("antal") and isinstance(v, (int, float)) and not isinstance(v, bool):
            assert v == 0 or v >= 5, (k, v)


def test_rapportens_nyckeltal_och_tabeller_platta():
    t = pd.DataFrame({"Antal": [7]})
    a = rd.Sektion("a", "A", tabeller={"T": t}, nyckeltal={"x": 1})
    b = rd.Sektion("b", "B", tabeller={"T": t, "U": t}, saknas="inget")
    assert list(rd.rapportens_tabeller({"a": a, "b": b})) == ["T", "B – T", "U"]
    assert rd.rapportens_nyckeltal({"a": a, "b": b})["sektion_visas:b"] is False


def test_jamforelseperiod_fran_konfig(vasteras):
    from finsam_analys.rapport.gemensamt import jamforelseperiod

    assert jamforelseperiod(vasteras, Rapportperiod.tolka("2019")).kod == "2018"
    angiven = Rapportperiod.tolka("2017")
    assert jamforelseperiod(vasteras, Rapportperiod.tolka("2019"), angiven).kod == "2017"


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
        rd.uppfoljning_finsam(syntetiskt, Rapportperiod.tolka("2024"), rakning=rak),
        rd.uppfoljning_finsam(syntetiskt, Rapportperiod.tolka("2024")),
    )


def test_jamforelseperioden_raknar_bara_det_som_behovs(syntetiskt, vasteras):
    # bygg_rapport räknar bara JAMFORELSETABELLER för jämförelseperioden: de tabellerna är
    # desamma som i en full räkning, och sektionerna blir desamma som med en full räkning.
    from finsam_analys.rapport.gemensamt import jamforelseperiod

    for underlag, kod in ((syntetiskt, "2024"), (vasteras, "2019")):
        period = Rapportperiod.tolka(kod)
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
            assert [t.namn for t in a.tabellobjekt()] == [t.namn for t in b.tabellobjekt()]
            for ta, tb in zip(a.tabellobjekt(), b.tabellobjekt(), strict=True):
                pd.testing.assert_frame_equal(ta.data, tb.data)
                assert dict(ta.antal) == dict(tb.antal) and ta.relationer == tb.relationer
