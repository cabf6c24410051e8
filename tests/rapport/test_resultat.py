"""rapport/resultat.py: Sammanfattning (Mål och resultat), Avslut och resultat, och Avbrott.

Innehållet prövas på den omaskade sektionen (``sektion.tabell(namn).data``), maskning och
avrundning genom :func:`finsam_analys.rapport.bygg_rapport` (``.visning``, ``.mask``).
Förväntade värden är hämtade ur referensrapporterna (/work/shared/seeds) eller handräknade,
aldrig ur koden som testas.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pandas as pd
import pytest

from finsam_analys import rapport as rd
from finsam_analys.indata.underlag import Sekretess
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.formatering import formatera_procent
from finsam_analys.presentation.tabellvisning import meningstext
from finsam_analys.rapport.resultat import malresultat
from finsam_analys.tabell import MASKAD, Storhet, Stycke, ar_maskad


def _intern(underlag):
    """Samma underlag med en intern rapport (ingen maskning)."""
    konfig = dataclasses.replace(underlag.konfig, sekretess=Sekretess(intern=True))
    return dataclasses.replace(underlag, konfig=konfig)


def _text(sektion) -> str:
    """Sektionens löptext som den visas (maskad om sektionen gått genom kontrollpunkterna)."""
    tabeller = {t.namn: t for t in sektion.tabellobjekt()}
    return "\n".join(
        meningstext(m, tabeller)
        for b in sektion.innehall
        if isinstance(b, Stycke)
        for m in b.meningar
    )


def _procent(varden) -> list[str]:
    return [formatera_procent(v) for v in varden]


# ------------------------------------------------------------------------ Mål och resultat


def test_sammanfattning_vasteras_2019_mot_malen(underlag_vasteras):
    # SOT 2019, målområde 1: resultat 13 %, 9 %, 78 % mot målen 25 %, 20 %, 55 %.
    s = rd.sektion_sammanfattning(underlag_vasteras, Rapportperiod.tolka("2019"))
    assert s.visas and s.ar_tabellmodell
    t = s.tabell("mal_och_resultat").data.set_index("Indikator")
    rader = ["Arbete efter avslut", "Studier efter avslut",
             "Fortsatt arbetslivsinriktad rehabilitering"]  # fmt: skip
    assert t.loc[rader, "Resultat"].tolist() == pytest.approx([7 / 55, 5 / 55, 43 / 55])
    assert _procent(t.loc[rader, "Resultat"]) == ["13\xa0%", "9\xa0%", "78\xa0%"]
    assert _procent(t.loc[rader, "Mål"]) == ["25\xa0%", "20\xa0%", "55\xa0%"]
    assert t.loc[rader, "n"].tolist() == [55, 55, 55]
    assert t.loc[rader, "Bedömning"].tolist() == ["Ej uppfyllt"] * 3
    # 7/55 − 0,25 = −0,1227 → −12 procentenheter
    assert t.loc["Arbete efter avslut", "Mot mål"] == pytest.approx(7 / 55 - 0.25)
    # hälsan: 26 av 32 = 81 % mot målet 90 %
    assert t.loc["Förbättrad upplevd hälsa", "Resultat"] == pytest.approx(26 / 32)
    assert t.loc["Förbättrad upplevd hälsa", "Bedömning"] == "Ej uppfyllt"
    # återbetalningstid 94 mot högst 34 månader
    o = s.tabell("ovriga_mal").data.iloc[0]
    assert (o["Resultat"], o["Mål"], o["Bedömning"]) == (94, 34, "Ej uppfyllt")
    text = _text(s)
    assert "13\xa0% (7 av 55), mål minst 25\xa0%" in text
    assert "−12 p.e. mot målet" in text
    assert "94 månader, mål högst 34 månader – ej uppfyllt (+60 månader)" in text
    assert s.nyckeltal["mal_uppfyllt:andel_arbete:Samordningsteam Västerås"].varde is False


def test_sammanfattningens_andelar_ar_samma_storheter_som_avslutstabellen(underlag_vasteras):
    # Resultatet 7 av 55 är samma tal som i Avslut per utfall: samma storheter (en nyckel).
    s = rd.sektion_sammanfattning(underlag_vasteras, Rapportperiod.tolka("2019"))
    t = s.tabell("mal_och_resultat")
    kvot = t.referens(t.rad("Arbete efter avslut"), "Resultat")
    assert str(kvot.namnare) == "avslut[2019; avslutstyp=Fullföljd]"
    assert str(kvot.taljare) == "avslut[2019; avslutstyp=Fullföljd, utfall=Arbete]"
    utfall = rd.sektion_avslut_och_resultat(underlag_vasteras, Rapportperiod.tolka("2019")).tabell(
        "avslut_per_utfall"
    )
    assert utfall.referens(utfall.rad("Arbete"), "Antal") == kvot.taljare
    assert utfall.referens(utfall.rad("Totalt"), "Antal") == kvot.namnare
    # hälsan: förbättrade av svarande på hälsoenkäten
    halsa = t.referens(t.rad("Förbättrad upplevd hälsa"), "Resultat")
    assert str(halsa.taljare) == "svarande[2019; enkat=halsoenkat, halsa=forbattrad]"
    assert t.antal[halsa.namnare] == 32 and t.antal[halsa.taljare] == 26


def test_mal_for_insats_utan_data_kan_inte_bedomas():
    # Två insatser med mål. B har avslut men inga med utfall arbete eller studier i tabellen,
    # och C har inga avslut alls. Hela förbundets 11 av 33 får aldrig stå under B:s eller
    # C:s namn: deras mål kan inte bedömas. A:s andel avbrott är 0 av 15 (A har inga avbrott
    # men tabellen redovisar avbrott), inte förbundets 4 av 37.
    avslut = pd.DataFrame({
        "period": "2024",
        "insats": ["A", "A", "B", "B"],
        "utfall": ["Arbete", "Studier", "Fortsatt arbetslivsinriktad rehabilitering", "Okänt"],
        "avslutstyp": ["Fullföljd", "Fullföljd", "Fullföljd", "Avbruten"],
        "antal": [10, 5, 18, 4],
    })  # fmt: skip
    mal = pd.DataFrame({
        "insats": ["A", "B", "C", "A"],
        "indikator": ["andel_arbete_eller_studier"] * 3 + ["andel_avbrott"],
        "riktning": ["minst", "minst", "minst", "hogst"],
        "varde": [0.3, 0.3, 0.3, 0.25],
        "enhet": "andel",
    })  # fmt: skip
    tabeller = {"avslut": avslut, "mal": mal}
    underlag = SimpleNamespace(
        tabell=lambda namn: tabeller.get(namn),
        konfig=SimpleNamespace(namn="Förbundet", jamforelseperioder={}, trappa=(),
                               sekretess=Sekretess(intern=True)),
    )  # fmt: skip
    res = malresultat(underlag, Rapportperiod.tolka("2024")).set_index(["insats", "indikator"])
    a = res.loc[("A", "andel_arbete_eller_studier")]
    assert (a["antal"], a["n"], a["uppfyllt"]) == (15, 15, True)
    avbrott = res.loc[("A", "andel_avbrott")]
    assert (avbrott["antal"], avbrott["n"], avbrott["uppfyllt"]) == (0, 15, True)
    for insats in ("B", "C"):
        r = res.loc[(insats, "andel_arbete_eller_studier")]
        assert pd.isna(r["varde"]) and pd.isna(r["n"]) and r["uppfyllt"] is None, insats
    s = rd.sektion_sammanfattning(underlag, Rapportperiod.tolka("2024"))
    t = s.tabell("mal_och_resultat").data.set_index("Indikator")
    for insats in ("B", "C"):
        etikett = f"Arbete eller studier efter avslut ({insats})"
        assert t.loc[etikett, "Bedömning"] == "Kan inte bedömas"
        assert pd.isna(t.loc[etikett, "Resultat"]) and pd.isna(t.loc[etikett, "n"])
    assert "11 av 33" not in _text(s) and "(C): mål minst 30\xa0% – resultatet saknas" in _text(s)


def test_insatsrapportens_mal_galler_hela_underlaget(underlag_vasteras, underlag_exempel):
    # SOT:s årsrapport 2019: alla mål gäller SOT, vars avslut redovisas per grupp (MAC,
    # Upplevelse, Trädgård); underlagets helhet är SOT. Exempelförbundet har mål för tre
    # insatser, och varje mål jämförs med sin insats rader.
    v = malresultat(underlag_vasteras, Rapportperiod.tolka("2019"))
    assert set(v.loc[v["enhet"] == "andel", "underlag_insats"]) == {"Totalt"}
    e = malresultat(underlag_exempel, Rapportperiod.tolka("2024"))
    assert (e["underlag_insats"] == e["insats"]).all()


def test_maskat_resultat_bedoms_inte(underlag_exempel):
    """Ett maskat resultat får ingen bedömning: "uppfyllt" röjer att det dolda värdet ligger
    över målet. Med tröskeln 16 är Unga vuxnas 15 till arbete eller studier (av 38) för få."""
    sektion = rd.bygg_rapport(underlag_exempel, "2024", sekretess_troskel=16)["sammanfattning"]
    t = sektion.tabell("mal_och_resultat")
    rad = t.rad("Arbete eller studier efter avslut (Unga vuxna)")
    visning = t.visning.iloc[rad]
    assert ar_maskad(visning["Resultat"]) and ar_maskad(visning["Bedömning"])
    assert ar_maskad(visning["Mot mål"]) and ar_maskad(visning["95 % KI, nedre"])
    nyckeltal = rd.rapportens_nyckeltal({"sammanfattning": sektion})
    assert nyckeltal["mal_uppfyllt:andel_arbete_eller_studier:Unga vuxna"] == MASKAD
    assert nyckeltal["andel_arbete_eller_studier:Unga vuxna"] == MASKAD
    # antalet uppfyllda mål skulle räkna med den dolda bedömningen: visas inte
    assert nyckeltal["mal_antal_uppfyllda"] == MASKAD
    text = _text(sektion)
    assert ("Arbete eller studier efter avslut (Unga vuxna): maskat (för få), mål minst 30\xa0% "
            "– kan inte bedömas.") in text  # fmt: skip
    assert "mål som kan bedömas är uppfyllda" not in text
    # utan tröskeln: 8 av 12 (handräknat ur tabellen: 4 ej uppfyllda)
    omaskad = rd.sektion_sammanfattning(underlag_exempel, Rapportperiod.tolka("2024"))
    assert omaskad.tabell("mal_och_resultat").data["Bedömning"].tolist().count("Uppfyllt") == 8
    assert _text(omaskad).startswith("8 av 12 mål som kan bedömas")


def test_sju_av_fjorton_avesta(underlag_avesta):
    # "7 av 14 = 50 % i arbete/annan arbetslivsinriktad rehab"
    from finsam_analys.matt.indikatorer import indikatorer

    ind = indikatorer(rd.rakna(underlag_avesta, "2015-07..2016-06")).set_index(
        ["indikator", "insats"]
    )
    rad = ind.loc[("andel_arbete_eller_rehabilitering", "Totalt")]
    assert (rad["antal"], rad["n"], rad["varde"]) == (7, 14, 0.5)
    # och andelen avbrott: 4 tidiga avhopp av 18 avslut
    assert ind.loc[("andel_avbrott", "Totalt"), "varde"] == pytest.approx(4 / 18)


def test_sammanfattning_utan_mal_visar_nyckeltalen(underlag_avesta):
    s = rd.sektion_sammanfattning(underlag_avesta, Rapportperiod.tolka("2015-07..2016-06"))
    assert s.visas and "inga mål" in _text(s)
    t = s.tabell("nyckeltal").data.set_index("Indikator")
    assert t.loc["Arbete eller fortsatt rehabilitering", "Resultat"] == 0.5
    assert "Arbete eller fortsatt rehabilitering: 50\xa0% (7 av 14)." in _text(s)
    # den sammansatta täljaren är summan av delarna (arbete 5 + rehabilitering 2)
    nyckeltal = s.tabell("nyckeltal")
    kvot = nyckeltal.referens(nyckeltal.rad("Arbete eller fortsatt rehabilitering"), "Resultat")
    assert str(kvot.taljare).endswith("utfall=Arbete+Fortsatt arbetslivsinriktad rehabilitering]")
    (relation,) = [r for r in nyckeltal.relationer if r.termer[0][1] == kvot.taljare]
    assert [nyckeltal.antal[s] for _, s in relation.termer] == [7, 5, 2]


def test_sammansatt_andel_rojer_inte_sin_lilla_del(underlag_avesta):
    # Maskat: 7 (arbete eller rehabilitering) − 5 (arbete) skulle röja de 2 till
    # rehabilitering. Sekretessens kontrollpunkt ser sambandet: antingen täljaren eller
    # arbete döljs, och ingen av de små delarna kan räknas fram ur något som visas.
    from finsam_analys.sekretess.attack import ar_rojd
    from finsam_analys.sekretess.kontrollpunkt import skydda

    period = Rapportperiod.tolka("2015-07..2016-06")
    rak = rd.rakna(underlag_avesta, period)
    s = {
        "sammanfattning": rd.sektion_sammanfattning(underlag_avesta, period, rakning=rak),
        "avslut": rd.sektion_avslut_och_resultat(underlag_avesta, period, rakning=rak),
    }
    (skyddad,), beslut = skydda([s], underlag_avesta.konfig.sekretess)
    t = skyddad["sammanfattning"].tabell("nyckeltal")
    synlig = {etikett: not m for etikett, m in zip(t.data["Indikator"], t.mask["Antal"],
                                                    strict=True)}  # fmt: skip
    assert not (synlig["Arbete eller fortsatt rehabilitering"] and synlig["Arbete efter avslut"])
    rehab = Storhet.av("avslut", "2015-07..2016-06", avslutstyp="Fullföljd",
                       utfall="Fortsatt arbetslivsinriktad rehabilitering")  # fmt: skip
    assert rehab in beslut.maskade and not ar_rojd(beslut.intervall[rehab])


# --------------------------------------------------------------------- Avslut och resultat


def test_avslut_per_utfall_och_insats_vasteras(underlag_vasteras):
    s = rd.sektion_avslut_och_resultat(underlag_vasteras, Rapportperiod.tolka("2019"))
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
    assert _procent(insats["Andel"]) == ["47\xa0%", "24\xa0%", "29\xa0%"]
    kors = s.tabell("avslut_per_utfall_och_insats").data.set_index("Utfall")
    assert kors.loc["Arbete", ["MAC", "Upplevelse", "Trädgård"]].tolist() == [5, 0, 2]
    nyckeltal = rd.rapportens_nyckeltal(rd.bygg_rapport(underlag_vasteras, "2019"))
    assert nyckeltal["antal_avslut"] == 55
    assert nyckeltal["andel_avslut_Arbete"] == pytest.approx(7 / 55)


def test_avslut_korstabell_maskas_med_summor(vasteras_maskerat):
    # Upplevelse 0 arbete, 2 studier, Trädgård 2 och 1, MAC 2 studier: små tal maskas
    # (när förbundet slår på maskeringen; talen är publicerade och visas annars)
    tabell = rd.bygg_rapport(vasteras_maskerat, "2019")["avslut"].tabell(
        "avslut_per_utfall_och_insats"
    )
    kors = tabell.visning.set_index("Utfall")
    assert kors.loc["Totalt", "Totalt"] == 55
    celler = kors.drop(index="Totalt", columns="Totalt").to_numpy().ravel()
    synliga = [v for v in celler if not ar_maskad(v)]
    assert all(v == 0 or v >= 5 for v in synliga)
    assert sum(ar_maskad(v) for v in celler) >= 4


def test_avesta_fullfoljda_lika_i_alla_avsnitt(underlag_avesta):
    # Förr: "varav fullföljda .." i flödet, "14 deltaganden avslutades och fullföljde" i nästa
    # avsnitt och antal_avslut 14 bredvid antal_fullfoljda ".." i nyckeltalen. Nu är de samma
    # storhet: visas den på ett ställe visas den överallt, och döljs den döljs den överallt.
    rapport = rd.bygg_rapport(underlag_avesta, "2015-07..2016-06")
    nyckeltal = rd.rapportens_nyckeltal(rapport)
    assert nyckeltal["antal_avslut"] == nyckeltal["antal_fullfoljda"]
    flode = rapport["deltagare"].tabell("deltagarflode").visning.set_index("Deltagare")
    utfall = rapport["avslut"].tabell("avslut_per_utfall").visning.set_index("Utfall")
    assert flode.iloc[:, 0]["varav fullföljda"] == utfall.loc["Totalt", "Antal"]
    intern = rd.rapportens_nyckeltal(rd.bygg_rapport(_intern(underlag_avesta), "2015-07..2016-06"))
    assert intern["antal_avslut"] == intern["antal_fullfoljda"] == 14


# ----------------------------------------------------------------------------- Avbrott


def test_avbrott_vasteras_internt(underlag_vasteras):
    intern = _intern(underlag_vasteras)
    s = rd.sektion_avbrott(intern, Rapportperiod.tolka("2019"))
    a = s.tabell("avbrott_per_remittent").data.set_index("Remittent")
    # 15st från Arbetsförmedlingen, 2st från Försäkringskassan och 8st från Socialkontor Ekonomi
    assert a["Antal"].drop("Totalt").to_dict() == {
        "Arbetsförmedlingen": 15,
        "Försäkringskassan": 2,
        "Kommunen (socialtjänsten)": 8,
    }
    assert str(s.tabell("avbrott_per_remittent").referens(3, "Antal")) == (
        "avslut[2019; avslutstyp=Avbruten]"
    )
    # visas sorterad efter storlek (efter maskningen)
    visning = rd.bygg_rapport(intern, "2019")["avbrott"].tabell("avbrott_per_remittent").visning
    assert visning["Remittent"].tolist()[:3] == [
        "Arbetsförmedlingen", "Kommunen (socialtjänsten)", "Försäkringskassan"]  # fmt: skip


def test_avbrott_maskas_sekundart(vasteras_maskerat):
    # FK 2 maskas; annars kan den räknas fram ur 25 − 15 − 8, så även Kommun maskas
    avbrott = rd.bygg_rapport(vasteras_maskerat, "2019")["avbrott"]
    a = avbrott.tabell("avbrott_per_remittent").visning.set_index("Remittent")
    assert a.loc["Arbetsförmedlingen", "Antal"] == 15
    assert ar_maskad(a.loc["Försäkringskassan", "Antal"])
    assert ar_maskad(a.loc["Kommunen (socialtjänsten)", "Antal"])
    assert "Under 2019 avbröts 25 deltaganden." in _text(avbrott)


def test_maskade_rader_sorteras_inte_efter_sitt_doda_varde(underlag_exempel):
    # Avbrott per orsak sorteras efter storlek, men maskade rader står sist i underlagets
    # ordning: ordningen får inte röja vilket dolt antal som är störst.
    rapport = rd.bygg_rapport(underlag_exempel, "2024")
    t = rapport["avbrott"].tabell("avbrott_per_orsak")
    omaskad = (
        rd.sektion_avbrott(underlag_exempel, Rapportperiod.tolka("2024"))
        .tabell("avbrott_per_orsak")
        .data
    )
    maskade = [e for e, m in zip(t.visning["Orsak"], t.mask["Antal"], strict=True) if m]
    assert len(maskade) >= 2
    ordning = [e for e in omaskad["Orsak"] if e in maskade]
    assert maskade == ordning
    synliga = [v for v, m in zip(t.visning["Antal"], t.mask["Antal"], strict=True) if not m]
    assert synliga[:-1] == sorted(synliga[:-1], reverse=True)  # utom summaraden


def test_avbrott_andel_av_alla_avslut_avesta(underlag_avesta, avesta_maskerat):
    # 4 tidiga avhopp av 18 avslut (22 %); utan tabellen avbrott anges inga orsaker
    s = rd.sektion_avbrott(_intern(underlag_avesta), Rapportperiod.tolka("2015-07..2016-06"))
    assert s.nyckeltal["andel_avbrott"].varde == pytest.approx(4 / 18)
    assert "avbröts 4 deltaganden.\nDet är 22\xa0% av alla 18 avslut." in _text(s)
    assert "Underlaget anger inte orsakerna till avbrotten." in _text(s)
    # maskat: 4 är under tröskeln, och andelen skulle röja det (22 % av 18)
    m = rd.bygg_rapport(avesta_maskerat, "2015-07..2016-06")["avbrott"]
    assert "avbröts 4" not in _text(m) and "22\xa0%" not in _text(m)
    # publicerat: 4 avhopp och 22 % står i Avestas tryckta rapport och visas
    assert "avbröts 4" in _text(rd.bygg_rapport(underlag_avesta, "2015-07..2016-06")["avbrott"])


def test_varje_tal_av_personer_har_en_referens(underlag_exempel, underlag_vasteras):
    # Ett tal utan referens maskas aldrig: varje antal, andel, intervall och förändring i
    # målen och nyckeltalen bygger på storheter (även jämförelseperiodens kolumn).
    for underlag, kod in ((underlag_exempel, "2024"), (underlag_vasteras, "2019")):
        s = rd.sektion_sammanfattning(underlag, Rapportperiod.tolka(kod))
        t = s.tabell("mal_och_resultat")
        for kolumn in t.kolumner:
            if kolumn.matt in ("text", "bedomning") or kolumn.namn == "Mål":
                continue
            for i, v in enumerate(t.data[kolumn.namn]):
                if v is not None and not pd.isna(v):
                    assert t.referens(i, kolumn.namn) is not None, (kod, kolumn.namn, i)


def test_inga_uppfyllda_mal_nar_inget_mal_kunde_bedomas(underlag_vasteras):
    """Delåret 2021 har mål men inga resultat att bedöma dem mot: antalet uppfyllda är okänt,
    inte noll (jämförelsen visar annars "Uppfyllda mål 0")."""
    s = rd.sektion_sammanfattning(underlag_vasteras, Rapportperiod.tolka("2021-01..2021-08"))
    assert s.nyckeltal["mal_antal"].varde == 5
    assert s.nyckeltal["mal_antal_bedomda"].varde == 0
    assert s.nyckeltal["mal_antal_uppfyllda"].varde is None
