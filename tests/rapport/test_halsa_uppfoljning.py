"""Hälsa och stegförflyttning, Uppföljning efter avslut och Deltagarenkät (NNS).

Förväntade värden är hämtade ur seed-rapporterna (SOT Västerås årsrapport 2019) eller
handräknade ur underlagets filer, aldrig ur koden som testas. Innehållet prövas på den omaskade
sektionen (``sektion.tabell(namn).data``); maskning och avrundning genom ``bygg_rapport``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from finsam_analys import rapport as rd
from finsam_analys.indata.underlag import Sekretess
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.figurer import figur_ur_diagram
from finsam_analys.presentation.tabellvisning import meningstext, visningstext
from finsam_analys.tabell import MASKAD, Diagram, Kvot, Relation, Storhet, Stycke, ar_maskad


def _intern(underlag):
    konfig = dataclasses.replace(underlag.konfig, sekretess=Sekretess(intern=True))
    return dataclasses.replace(underlag, konfig=konfig)


def _med_tabell(underlag, namn, tabell):
    return dataclasses.replace(underlag, tabeller={**underlag.tabeller, namn: tabell})


def _text(sektion) -> str:
    tabeller = {t.namn: t for t in sektion.tabellobjekt()}
    return " ".join(
        meningstext(m, tabeller)
        for b in sektion.innehall
        if isinstance(b, Stycke)
        for m in b.meningar
    )


def _visat(tabell, kolumn):
    return visningstext(tabell)[kolumn].tolist()


# ------------------------------------------------------------------------- hälsoenkäten


def test_halsoenkat_vasteras_2019_seedtalen(underlag_vasteras):
    # SOT 2019: 188 → 227 poäng (+21 %), 234 → 280 (+20 %); 11 av 14, 15 av 18; hela året 26/32
    t = rd.sektion_halsa_och_stegforflyttning(
        underlag_vasteras, Rapportperiod.tolka("2019")
    ).tabell("halsoenkat")
    d = t.data
    assert d["Mätperiod"].tolist() == ["januari–maj 2019", "juni–november 2019", "Hela 2019"]
    assert d["Summa poäng vid start"].tolist() == [188, 234, 422]
    assert d["Summa poäng vid avslut"].tolist() == [227, 280, 507]
    assert d["Antal enkäter"].tolist() == [14, 18, 32]
    assert d["Förändring"].tolist() == pytest.approx([39 / 188, 46 / 234, 85 / 422])
    assert d["Andel förbättrade"].tolist() == pytest.approx([11 / 14, 15 / 18, 26 / 32])
    assert d["Mål"].tolist() == pytest.approx([0.9] * 3)
    visad = rd.bygg_rapport(underlag_vasteras, "2019")["halsa"]
    v = visad.tabell("halsoenkat")
    assert _visat(v, "Förändring") == ["+21\xa0%", "+20\xa0%", "+20\xa0%"]
    assert _visat(v, "Andel förbättrade") == ["79\xa0%", "83\xa0%", "81\xa0%"]
    text = _text(visad)
    assert "från 188 till 227 (+21\xa0%)" in text and "från 234 till 280 (+20\xa0%)" in text
    nyckeltal = rd.rapportens_nyckeltal({"halsa": visad})
    assert nyckeltal["andel_forbattrad_halsa"] == pytest.approx(26 / 32)
    assert nyckeltal["halsa_forandring"] == pytest.approx(85 / 422)


def test_halsoenkat_storheter_och_totalrad(underlag_vasteras):
    t = rd.sektion_halsa_och_stegforflyttning(
        underlag_vasteras, Rapportperiod.tolka("2019")
    ).tabell("halsoenkat")
    insats = {"insats": "Samordningsteam Västerås", "enkat": "halsoenkat"}
    jan = Storhet.av("svarande", "2019", delperiod="2019-01..2019-05", **insats)
    hela = Storhet.av("svarande", "2019", **insats)
    assert t.referens(0, "Antal enkäter") == jan
    assert t.referens(2, "Antal enkäter") == hela
    assert t.referens(0, "Antal förbättrade") == jan.med(halsa="forbattrad")
    # poängsummor och förändring är medelvärden över de svarande: Kvot utan täljare
    assert t.referens(0, "Summa poäng vid start") == Kvot(jan)
    assert t.referens(0, "Andel förbättrade") == Kvot(jan, jan.med(halsa="forbattrad"))
    # totalraden är summan av mätperioderna (sambandet som läsaren känner)
    juni = jan.med(delperiod="2019-06..2019-11")
    assert Relation.summa(hela, [jan, juni]) in t.relationer
    assert t.antal[hela] == 32 and t.antal[hela.med(halsa="forbattrad")] == 26
    assert t.summarader == (2,)


def test_halsoenkat_med_fa_svarande_maskas_med_summan(vasteras_maskerat):
    h = vasteras_maskerat.tabell("halsoenkat")
    h.loc[0, ["n", "summa_start", "summa_slut", "antal_forbattrade"]] = [3, 40, 50, 2]
    underlag = _med_tabell(vasteras_maskerat, "halsoenkat", h)
    sektion = rd.bygg_rapport(underlag, "2019")["halsa"]
    v = sektion.tabell("halsoenkat")
    # 3 enkäter: antal, summor, förändring och andel visas inte för jan–maj
    for kolumn in ("Antal enkäter", "Summa poäng vid start", "Förändring", "Andel förbättrade"):
        assert ar_maskad(v.visning[kolumn].iloc[0]), kolumn
    # och totalraden minus juni–nov skulle röja jan–maj: en rad till maskas
    antal = v.visning["Antal enkäter"].tolist()
    assert sum(ar_maskad(a) for a in antal) >= 2
    assert "januari–maj 2019: för få svarande för att visa resultatet." in _text(sektion)


# ------------------------------------------------------------------- stegförflyttning


def _avslutade(underlag, ar: int) -> pd.DataFrame:
    d = underlag.tabell("deltagare")
    avslut = pd.to_datetime(d["avslutsdatum"])
    return d[(avslut >= f"{ar}-01-01") & (avslut <= f"{ar}-12-31")]


def test_stegforflyttning_exempel_2024(underlag_exempel):
    # handräknat ur deltagarraderna: avslutade 2024 med steg vid både start och avslut
    d = _avslutade(underlag_exempel, 2024).dropna(subset=["steg_start", "steg_slut"])
    skillnad = d["steg_slut"] - d["steg_start"]
    upp, samma, ner = (
        int((skillnad > 0).sum()),
        int((skillnad == 0).sum()),
        int((skillnad < 0).sum()),
    )
    sektion = rd.sektion_halsa_och_stegforflyttning(underlag_exempel, Rapportperiod.tolka("2024"))
    t = sektion.tabell("stegforflyttning")
    assert t.data["Antal"].tolist() == [upp, samma, ner, len(d)]
    assert str(t.referens(0, "Antal")) == "stegmatning[2024; forflyttning=upp]"
    per_insats = sektion.tabell("stegforflyttning_per_insats").data.set_index("Insats")
    for insats, grupp in d.groupby("insats"):
        g = grupp["steg_slut"] - grupp["steg_start"]
        assert per_insats.loc[insats, "Antal avslutade med steg"] == len(grupp)
        assert per_insats.loc[insats, "Andel minst ett steg upp"] == pytest.approx(
            (g > 0).sum() / len(grupp)
        )
    # andelarna är delar av en helhet: visade summerar till 100 % (största resten)
    v = rd.bygg_rapport(underlag_exempel, "2024")["halsa"].tabell("stegforflyttning")
    assert sum(v.visning["Andel"].iloc[:3]) == pytest.approx(1.0)


# ------------------------------------------------------------------------ uppföljning


def test_uppfoljning_vasteras_2019_internt(underlag_vasteras):
    # SOT 2019, 6 månader: 5 till arbete (22 %) och 1 till studier (4 %) av 23;
    # av resterande 17 är 10 (59 %) aktivt och 7 (41 %) ej aktivt arbetssökande
    sektion = rd.bygg_rapport(_intern(underlag_vasteras), "2019")["uppfoljning"]
    t = sektion.tabell("uppfoljning_6")
    rader = dict(zip(t.data["Situation"], _visat(t, "Andel av nådda"), strict=True))
    assert (rader["Arbete"], rader["Studier"]) == ("22\xa0%", "4\xa0%")
    assert t.data["Antal"].iloc[-1] == 23
    ovriga = sektion.tabell("uppfoljning_6_ovriga")
    assert _visat(ovriga, "Andel") == ["59\xa0%", "41\xa0%", "100\xa0%"]
    assert ovriga.data["Antal"].tolist() == [10, 7, 17]
    # samma läge är samma storhet i båda tabellerna
    assert ovriga.referens(0, "Antal") == t.referens(t.rad("Aktivt arbetssökande"), "Antal")
    assert "6 månader efter avslut: 23 skulle följas upp, 23 nåddes." in _text(sektion)


def test_uppfoljning_vasteras_2019_maskas(vasteras_maskerat):
    # studier 1 maskas; arbete maskas också (annars 23 − 10 − 7 = 6 röjer studier)
    sektion = rd.bygg_rapport(vasteras_maskerat, "2019")["uppfoljning"]
    v = sektion.tabell("uppfoljning_6").visning.set_index("Situation")
    assert ar_maskad(v.loc["Studier", "Antal"]) and ar_maskad(v.loc["Arbete", "Antal"])
    assert v.loc["Aktivt arbetssökande", "Antal"] == 10
    n = rd.rapportens_nyckeltal({"uppfoljning": sektion})
    assert n["uppfoljning_6_man:Studier"] == MASKAD and n["uppfoljning_6_man_forsokta"] == 23


def test_uppfoljning_bada_tabellerna_rojer_inte_studier(underlag_exempel):
    """Nådda − arbete − övriga = studier: med studier maskat får inte alla tre visas."""
    sektion = rd.bygg_rapport(underlag_exempel, "2024")["uppfoljning"]
    t = sektion.tabell("uppfoljning_6").visning.set_index("Situation")
    o = sektion.tabell("uppfoljning_6_ovriga").visning.set_index("Situation")
    assert ar_maskad(t.loc["Studier", "Antal"])
    synliga = [t.loc["Totalt", "Antal"], t.loc["Arbete", "Antal"], o.loc["Totalt", "Antal"]]
    assert any(ar_maskad(v) for v in synliga)


def test_uppfoljning_en_figur_for_alla_tider(underlag_exempel):
    # Produktbeslut: en figur för alla uppföljningstider (läge × tid, andel av nådda).
    sektion = rd.bygg_rapport(underlag_exempel, "2024")["uppfoljning"]
    (diagram,) = [b for b in sektion.innehall if isinstance(b, Diagram)]
    assert diagram.typ == "grupperade_staplar" and diagram.enhet == "andel"
    figur = figur_ur_diagram(diagram, sektion.tabell(diagram.tabell))
    assert list(figur.data.columns) == ["x", "grupp", "y"]
    tider = [t for t in sektion.tabellobjekt() if t.namn.removeprefix("uppfoljning_").isdigit()]
    assert list(dict.fromkeys(figur.data["grupp"])) == [
        t.namn.removeprefix("uppfoljning_") + " månader" for t in tider
    ]
    for t in tider:
        data = figur.data[figur.data["grupp"] == t.namn.removeprefix("uppfoljning_") + " månader"]
        visat = dict(zip(t.visning["Situation"], t.visning["Andel av nådda"], strict=True))
        for x, y in zip(data["x"], data["y"], strict=True):
            if x not in visat or ar_maskad(visat[x]):
                assert np.isnan(y)
            else:
                assert y == pytest.approx(visat[x])
    assert figur.data["y"].isna().any()  # något är maskat och ritas inte


# -------------------------------------------------------------------- deltagarenkäten


def test_deltagarenkat_exempel_2024_handraknat(underlag_exempel):
    # handräknat ur enkat.csv: andel i de två översta stegen (5 och 6) per fråga och tillfälle
    e = underlag_exempel.tabell("enkat")
    e = e[e["period"].astype(str) == "2024"]
    sektion = rd.sektion_deltagarenkat(underlag_exempel, Rapportperiod.tolka("2024"))
    t = sektion.tabell("deltagarenkat").data.set_index("Fråga")
    for (fraga, tillfalle), g in e.groupby(["fraga", "tillfalle"]):
        n = int(g["antal"].sum())
        hoga = int(g.loc[g["steg"].astype(int) >= 5, "antal"].sum())
        assert t.loc[fraga, f"Antal svar, {tillfalle}"] == n
        assert t.loc[fraga, f"Andel i de 2 översta stegen, {tillfalle}"] == pytest.approx(hoga / n)
    fraga = t.index[0]
    assert t.loc[fraga, "Förändring"] == pytest.approx(
        t.loc[fraga, "Andel i de 2 översta stegen, Avslut"]
        - t.loc[fraga, "Andel i de 2 översta stegen, Vecka 8"]
    )
    ref = sektion.tabell("deltagarenkat").referens(0, "Antal svar, Avslut")
    assert ref == Storhet.av("svarande", "2024", enkat="nns", fraga=fraga, tillfalle="Avslut")


def test_deltagarenkat_med_fa_svar_maskas(underlag_exempel):
    e = underlag_exempel.tabell("enkat")
    forsta = e["fraga"].iloc[0]
    urval = (e["fraga"] == forsta) & (e["tillfalle"] == "Avslut") & (e["period"] == "2024")
    e.loc[urval, "antal"] = 0
    e.loc[e.index[urval][:3], "antal"] = 1  # tre svar
    sektion = rd.bygg_rapport(_med_tabell(underlag_exempel, "enkat", e), "2024")["enkat"]
    v = sektion.tabell("deltagarenkat").visning.set_index("Fråga")
    assert ar_maskad(v.loc[forsta, "Antal svar, Avslut"])
    assert ar_maskad(v.loc[forsta, "Andel i de 2 översta stegen, Avslut"])
    assert ar_maskad(v.loc[forsta, "Förändring"])
    assert rd.rapportens_nyckeltal({"enkat": sektion})[f"enkat:{forsta}"] == MASKAD


# ------------------------------------------------------------------------ saknade data


def test_saknade_sektioner_sager_vad_som_saknas(underlag_avesta):
    for funktion, ord_ in [
        (rd.sektion_halsa_och_stegforflyttning, "hälsoenkät"),
        (rd.sektion_uppfoljning, "uppföljning"),
        (rd.sektion_deltagarenkat, "deltagarenkäten"),
    ]:
        s = funktion(underlag_avesta, Rapportperiod.tolka("2015-07..2016-06"))
        assert not s.visas and ord_ in s.saknas.lower(), (funktion.__name__, s.saknas)
        assert s.innehall == () and s.tabeller == {}


def test_inga_sma_antal_i_visade_tabeller(underlag_exempel):
    rapport = rd.bygg_rapport(underlag_exempel, "2025-01..2025-08")
    kontrollerade = 0
    for namn in ("halsa", "uppfoljning", "enkat"):
        for t in rapport[namn].tabellobjekt():
            for kolumn in (k.namn for k in t.kolumner if k.matt == "antal"):
                for v in t.visning[kolumn]:
                    kontrollerade += 1
                    assert ar_maskad(v) or pd.isna(v) or v == 0 or v >= 5, (t.namn, kolumn, v)
    assert kontrollerade > 20
