"""Sektionerna i rapport/deltagare.py: Deltagare och flöden, Bakgrund, och uppfoljning_finsam.

Innehållet prövas på den omaskade sektionen (``sektion.tabell(namn).data``), maskning och
avrundning genom :func:`finsam_analys.rapport.bygg_rapport` (``.visning``, ``.mask``).
Förväntade värden är hämtade ur referensrapporterna (/work/shared/seeds) eller handräknade,
aldrig ur koden som testas.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from finsam_analys import rapport as rd
from finsam_analys.indata.underlag import Sekretess
from finsam_analys.matt.rakning import Rakning
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.formatering import formatera_procent
from finsam_analys.presentation.tabellvisning import meningstext
from finsam_analys.tabell import MASKAD, Diagram, Storhet, Stycke, Tabell, ar_maskad


def _intern(underlag):
    """Samma underlag med en intern rapport (ingen maskning)."""
    konfig = dataclasses.replace(underlag.konfig, sekretess=Sekretess(intern=True))
    return dataclasses.replace(underlag, konfig=konfig)


def _text(sektion) -> str:
    tabeller = {t.namn: t for t in sektion.tabellobjekt()}
    return "\n".join(
        meningstext(m, tabeller)
        for b in sektion.innehall
        if isinstance(b, Stycke)
        for m in b.meningar
    )


@pytest.fixture(scope="module")
def syntetiskt(tmp_path_factory):
    from finsam_analys.indata.inlasning import las_forbund
    from finsam_analys.indata.syntetiskt import skriv_syntetiskt_forbund

    katalog = skriv_syntetiskt_forbund(
        tmp_path_factory.mktemp("syn") / "syn", seed=11, antal_deltaganden=300, ar=[2023, 2024]
    )
    return las_forbund(katalog)


# ------------------------------------------------------------------------------- flödet


def test_deltagarflode_vasteras_med_jamforelse(underlag_vasteras):
    s = rd.sektion_deltagare_och_floden(underlag_vasteras, Rapportperiod.tolka("2019"))
    t = s.tabell("deltagarflode").data.set_index("Deltagare")
    # 127 deltog både 2019 och 2018; 55 mot 52 fullföljde, 25 mot 22 avbröt
    assert t.loc["Deltagit under perioden", ["2019", "2018"]].tolist() == [127, 127]
    assert t.loc["varav fullföljda", ["2019", "2018"]].tolist() == [55, 52]
    assert t.loc["varav avbrutna", "Förändring"] == 3


def test_vasteras_2019_sager_55_fullfoljda_och_25_avbrutna(underlag_vasteras):
    # Källan: "127 personer deltagit ... varav 55 st. personer som avslutat sin rehabilitering
    # ... Antal som avbrutit insatsen ... är 25 st." Avslutade är där de fullföljda.
    s = rd.bygg_rapport(underlag_vasteras, "2019")["deltagare"]
    text = _text(s)
    assert "Under 2019 deltog 127 deltaganden" in text
    assert "55 avslutade insatsen (fullföljde) och 25 avbröt den." in text
    assert "80 avslutades" not in text
    t = s.tabell("deltagarflode").visning.set_index("Deltagare")["2019"]
    assert t["Avslut under perioden (fullföljda och avbrutna)"] == 80  # 55 + 25
    assert (t["varav fullföljda"], t["varav avbrutna"]) == (55, 25)
    # publicerade antal för olika tidsspann: inga aktiva vid periodens slut räknas fram
    assert "Aktiva vid periodens slut" not in t.index
    assert rd.rapportens_nyckeltal({"d": s})["antal_fullfoljda"] == 55


def test_flodets_storheter_och_identiteter(underlag_vasteras):
    s = rd.sektion_deltagare_och_floden(underlag_vasteras, Rapportperiod.tolka("2019"))
    t = s.tabell("deltagarflode")
    namn = {str(t.referens(t.rad(e), "2019")) for e in ("varav fullföljda", "varav avbrutna")}
    assert namn == {"avslut[2019; avslutstyp=Fullföljd]", "avslut[2019; avslutstyp=Avbruten]"}
    # avslut = fullföljda + avbrutna, för 2019 och för 2018
    summor = {str(r.termer[0][1]) for r in t.relationer}
    assert summor == {"avslut[2019]", "avslut[2018]"}
    for r in t.relationer:
        assert r.galler(t.antal)


def test_deltagarantal_med_andra_statusetiketter_ger_hela_flodet():
    # Aktiva/Nyinskrivna/… gav förr ett tomt avsnitt; biblioteket känner etiketterna.
    # Handräknat: 10 + 20 = 30 deltog; 12 avslut varav 3 avbrutna; 30 − 12 = 18 aktiva.
    p = Rapportperiod.tolka("2024")
    d = pd.DataFrame({
        "period": "2024", "dimension": "status",
        "kategori": ["Aktiva vid periodens start", "Nyinskrivna", "Avslutade", "Avbrutna",
                     "Aktiva"],
        "antal": [10, 20, 12, 3, 18],
    })  # fmt: skip
    rak = Rakning(p, {"deltagarantal": d})
    underlag = SimpleNamespace(konfig=SimpleNamespace(jamforelseperioder={}), tabell=lambda n: None)
    s = rd.sektion_deltagare_och_floden(underlag, p, rakning=rak, jamforelse_rakning=Rakning(p))
    assert s.visas
    t = s.tabell("deltagarflode").data.set_index("Deltagare")["2024"]
    assert t.to_dict() == {
        "Aktiva vid periodens början": 10,
        "Nya under perioden": 20,
        "Deltagit under perioden": 30,
        "Avslut under perioden (fullföljda och avbrutna)": 12,
        "varav fullföljda": 9,
        "varav avbrutna": 3,
        "Aktiva vid periodens slut": 18,
    }
    assert len(s.tabell("deltagarflode").relationer) == 3


def test_okand_statusetikett_ar_ett_fel_inte_ett_tomt_avsnitt():
    p = Rapportperiod.tolka("2024")
    d = pd.DataFrame({"dimension": "status", "kategori": ["Utskrivna"], "antal": [7]})
    underlag = SimpleNamespace(konfig=SimpleNamespace(jamforelseperioder={}), tabell=lambda n: None)
    with pytest.raises(ValueError, match="Okända statuskategorier"):
        rd.sektion_deltagare_och_floden(
            underlag, p, rakning=Rakning(p, {"deltagarantal": d}), jamforelse_rakning=Rakning(p)
        )


def test_flode_per_insats_syntetiskt(syntetiskt):
    # Handräknat ur deltagarraderna: deltog 2024 = inskriven senast 31/12 och inte avslutad
    # före 1/1; insatsernas summa är hela förbundets.
    d = syntetiskt.tabell("deltagare")
    inskr, avsl = pd.to_datetime(d["inskrivningsdatum"]), pd.to_datetime(d["avslutsdatum"])
    deltog = (inskr <= "2024-12-31") & (avsl.isna() | (avsl >= "2024-01-01"))
    s = rd.sektion_deltagare_och_floden(syntetiskt, Rapportperiod.tolka("2024"))
    per_insats = s.tabell("deltagarflode_per_insats").data.set_index("Insats")
    forvantat = d[deltog].groupby("insats").size()
    assert per_insats["Deltagit under perioden"].drop("Totalt").to_dict() == forvantat.to_dict()
    assert per_insats.loc["Totalt", "Deltagit under perioden"] == int(deltog.sum())
    assert [type(b).__name__ for b in s.innehall] == ["Stycke", "Tabell", "Diagram", "Tabell"]


# ----------------------------------------------------------------------------- bakgrund


def test_bakgrund_remisser_vasteras_internt(underlag_vasteras):
    intern = _intern(underlag_vasteras)
    s = rd.sektion_bakgrund(intern, Rapportperiod.tolka("2019"))
    r = s.tabell("ansokningar_per_remittent").data.set_index("Remittent")
    # 26 från AF, 11 från FK och 28 från Socialkontor Ekonomi av 65
    assert r["Antal"].tolist() == [26, 11, 28, 65]
    kors = s.tabell("ansokningar_per_remittent_och_inriktning").data.set_index("Remittent")
    assert kors.loc["Kommunen (socialtjänsten)", "MAC"] == 14  # "hälften ..., dvs 14 av 28"
    assert kors.loc["Totalt", "Totalt"] == 65
    assert rd.rapportens_nyckeltal(rd.bygg_rapport(intern, "2019"))["antal_ansokningar"] == 65


def test_bakgrund_avesta_kon_och_remittenter(underlag_avesta):
    rapport = rd.bygg_rapport(_intern(underlag_avesta), "2015-07..2016-06")
    s = rapport["bakgrund"]
    kon = s.tabell("bakgrund_kon").visning
    assert [formatera_procent(v) for v in kon["Andel"][:2]] == ["53\xa0%", "47\xa0%"]  # 30 / 27
    r = s.tabell("bakgrund_remittent")
    assert r.data["Antal"].tolist() == [25, 21, 8, 3, 57]
    assert [formatera_procent(v) for v in r.visning["Andel"][:4]] == [
        "44\xa0%", "37\xa0%", "14\xa0%", "5\xa0%"]  # fmt: skip
    tider = s.tabell("tider_och_alder").data.set_index("Mått")
    assert tider.loc["Genomströmningstid (publicerad)", "Medel"] == pytest.approx(8.46)
    assert "53\xa0% av deltagarna är kvinnor och 47\xa0% män." in _text(s)


def test_bakgrund_avesta_maskas_utan_intern(avesta_maskerat):
    r = rd.bygg_rapport(avesta_maskerat, "2015-07..2016-06")["bakgrund"]
    r = r.tabell("bakgrund_remittent").visning
    # AF 3 maskas primärt, Region 8 sekundärt (annars 57 − 25 − 21 − 8 = 3)
    assert r["Antal"].tolist()[:2] == [25, 21]
    assert all(ar_maskad(v) for v in r["Antal"].tolist()[2:4])
    assert all(ar_maskad(v) for v in r["Andel"].tolist()[2:4])


def test_intern_rapport_maskar_inget_i_bakgrunden(underlag_avesta):
    s = rd.bygg_rapport(_intern(underlag_avesta), "2015-07..2016-06")["bakgrund"]
    for t in s.tabellobjekt():
        assert MASKAD not in t.visning.to_numpy().ravel().tolist(), t.titel


def test_sekretess_troskel_parameter(underlag_avesta):
    # tröskel 3: AF 3 visas (inte under 3)
    r = rd.bygg_rapport(underlag_avesta, "2015-07..2016-06", sekretess_troskel=3)["bakgrund"]
    assert r.tabell("bakgrund_remittent").visning["Antal"].tolist() == [25, 21, 8, 3, 57]


def test_fordelningarnas_summa_ar_flodets_deltagit(underlag_avesta, syntetiskt):
    # Samma storhet i två tabeller: könsfördelningens summa är flödets deltagit, och
    # försörjningen vid avslut summerar till flödets avslut.
    s = rd.sektion_bakgrund(underlag_avesta, Rapportperiod.tolka("2015-07..2016-06"))
    kon = s.tabell("bakgrund_kon")
    assert kon.referens(kon.rad("Totalt"), "Antal") == Storhet.av("deltagit", "2015-07..2016-06")
    f = rd.sektion_deltagare_och_floden(
        underlag_avesta, Rapportperiod.tolka("2015-07..2016-06")
    ).tabell("deltagarflode")
    assert f.referens(f.rad("Deltagit under perioden"), f.kolumner[1].namn) == Storhet.av(
        "deltagit", "2015-07..2016-06"
    )
    ut = rd.sektion_bakgrund(syntetiskt, Rapportperiod.tolka("2024")).tabell(
        "bakgrund_forsorjning_ut"
    )
    assert ut.referens(ut.rad("Totalt"), "Antal") == Storhet.av("avslut", "2024")


def test_figurer_bara_dar_de_tillfor_nagot(syntetiskt):
    # Produktbeslut: tabellerna finns kvar, figurerna bara där de tillför något.
    rapport = rd.bygg_rapport(syntetiskt, "2024")
    bakgrund = rapport["bakgrund"]
    diagram = [b for b in bakgrund.innehall if isinstance(b, Diagram)]
    assert [d.tabell for d in diagram] == [
        "bakgrund_aldersgrupp",
        "forsorjningsgrupp_vid_inskrivning_och_avslut",
    ]
    assert [d.typ for d in diagram] == ["staplar", "grupperade_staplar"]
    for tabell in ("bakgrund_kon", "bakgrund_remittent", "bakgrund_forsorjning_ut",
                   "bakgrund_aldersgrupp"):  # fmt: skip
        assert bakgrund.tabell(tabell).visning is not None
    avbrott = rapport["avbrott"]
    assert [b.tabell for b in avbrott.innehall if isinstance(b, Diagram)] == ["avbrott_per_orsak"]
    assert avbrott.tabell("avbrott_per_remittent") is not None


def test_syntetiskt_inga_sma_antal_i_avsnitten(syntetiskt):
    # Efter kontrollpunkterna visar inget antal i avsnitten 1–4 personer, inte heller i texten.
    rapport = rd.bygg_rapport(syntetiskt, "2024")
    for namn in ("sammanfattning", "deltagare", "bakgrund", "avslut", "avbrott"):
        sektion = rapport[namn]
        assert sektion.visas, namn
        for t in sektion.tabellobjekt():
            for kolumn in t.kolumner:
                if kolumn.matt != "antal" or kolumn.namn == "Förändring":
                    continue
                for v in t.visning[kolumn.namn]:
                    if isinstance(v, (int, float, np.integer)) and not pd.isna(v):
                        assert v == 0 or v >= 5, (namn, t.titel, kolumn.namn, v)
    nyckeltal = rd.rapportens_nyckeltal(rapport)
    for k, v in nyckeltal.items():
        if k.startswith("antal") and isinstance(v, (int, float)) and not isinstance(v, bool):
            assert v == 0 or v >= 5, (k, v)


def test_tider_har_sin_namnare(syntetiskt):
    # Medelvärdet bygger på n personer (kvot utan täljare), och n är flödets avslut.
    t = rd.sektion_bakgrund(syntetiskt, Rapportperiod.tolka("2024")).tabell("tider_och_alder")
    i = t.rad("Genomströmningstid, alla avslut")
    n = t.referens(i, "n")
    assert n == Storhet.av("avslut", "2024") and t.referens(i, "Medel").namnare == n
    d = syntetiskt.tabell("deltagare")
    avsl = pd.to_datetime(d["avslutsdatum"])
    assert t.data.iloc[i]["n"] == int(((avsl >= "2024-01-01") & (avsl <= "2024-12-31")).sum())


# ------------------------------------------------------------------- Uppföljning Finsam


def test_uppfoljning_finsam_ar_omaskad(syntetiskt):
    # För inrapportering, inte för styrelsen: deltagare per insats och kön som de är, även
    # små antal (handräknat ur deltagarraderna).
    d = syntetiskt.tabell("deltagare")
    inskr, avsl = pd.to_datetime(d["inskrivningsdatum"]), pd.to_datetime(d["avslutsdatum"])
    deltog = d[(inskr <= "2024-12-31") & (avsl.isna() | (avsl >= "2024-01-01"))]
    u = rd.uppfoljning_finsam(syntetiskt, Rapportperiod.tolka("2024"))
    rader = u[u["uppgift"] == "deltagare"].set_index(["insats", "kon"])["varde"]
    forvantat = deltog.groupby(["insats", "kon"]).size().astype(float)
    assert rader.to_dict() == forvantat.to_dict()
    assert MASKAD not in u["varde"].astype(str).tolist()


def test_avsnitten_ar_tabellmodellen(underlag_vasteras):
    # Sektionerna maskar inte själva: allt går genom rapportens kontrollpunkter.
    for funktion in (rd.sektion_deltagare_och_floden, rd.sektion_bakgrund):
        s = funktion(underlag_vasteras, Rapportperiod.tolka("2019"))
        assert s.ar_tabellmodell and not s.tabeller and not s.text, funktion.__name__
        for t in s.tabellobjekt():
            assert isinstance(t, Tabell) and t.mask is None and t.visning is None
