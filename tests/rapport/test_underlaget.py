"""Granskning och Om underlaget.

Förväntade värden ur seed-rapporterna (Avesta 2015/16: budgetens differenser; Västerås) eller
handräknade, aldrig ur koden som testas.
"""

from __future__ import annotations

import dataclasses
import re

from finsam_analys import rapport as rd
from finsam_analys.indata.underlag import Sekretess
from finsam_analys.perioder import Rapportperiod
from finsam_analys.presentation.tabellvisning import meningstext, visningstext
from finsam_analys.rapport.underlaget import svensk_etikett
from finsam_analys.tabell import Stycke, Tabell, ar_maskad

_IDENTIFIERARE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def _intern(underlag):
    konfig = dataclasses.replace(underlag.konfig, sekretess=Sekretess(intern=True))
    return dataclasses.replace(underlag, konfig=konfig)


def _text(sektion) -> str:
    tabeller = {t.namn: t for t in sektion.tabellobjekt()}
    return " ".join(
        meningstext(m, tabeller)
        for b in sektion.innehall
        if isinstance(b, Stycke)
        for m in b.meningar
    )


def test_granskning_listar_seedfelen(underlag_avesta):
    s = rd.sektion_granskning(underlag_avesta, Rapportperiod.tolka("2015-07..2016-06"))
    fel = s.tabell("Avvikelser").data
    # tryckt 955 000; 1 775 000 − 819 000 = 956 000
    personal = fel[fel["Rad"].str.contains("Personal") & (fel["Typ"] == "Differens")]
    assert personal[["Publicerat", "Omräknat"]].iloc[0].tolist() == [955_000, 956_000]
    assert personal["Kolumn"].iloc[0] == "Kvar av budget (tryckt)"
    assert personal["Tabell"].iloc[0].startswith("Ekonomi juli 2015–juni 2016")
    assert s.nyckeltal["granskning_antal_fel"] >= 2


def test_granskning_visar_inga_utvecklarnamn(underlag_vasteras):
    """Styrelsen ser svenska rubriker och etiketter, inga namn ur datamodellen."""
    s = rd.bygg_rapport(underlag_vasteras, "2019")["granskning"]
    tabeller = s.tabellobjekt()
    assert {t.titel for t in tabeller} >= {"Avvikelser", "Fynd per typ"}
    for t in tabeller:
        text = visningstext(t)
        for kolumn in ("Tabell", "Rad", "Kolumn", "Typ", "Typ av fynd"):
            for v in text.get(kolumn, []):
                assert not _IDENTIFIERARE.search(v), (t.titel, kolumn, v)
                assert ".." not in v or "..." in v, v  # inga periodkoder som 2021-01..2021-08
    avvikelser = s.tabell("Avvikelser").data
    assert "Andel (tryckt)" in set(avvikelser["Kolumn"])
    assert "Helårsekvivalenter (s. 14 Helårsekvivalenter)" in set(avvikelser["Tabell"])
    # tal som tryckt: heltal utan decimaler, andelar med sina decimaler
    visad = visningstext(s.tabell("Avvikelser")).set_index("Kolumn")
    assert visad.loc["Andel (tryckt)", "Publicerat"].tolist()[0] == "16,3"
    per_typ = s.tabell("Fynd per typ").data.set_index("Typ av fynd")["Fynd"]
    assert (
        per_typ.sum()
        == s.nyckeltal["granskning_antal_fel"] + s.nyckeltal["granskning_antal_avrundningar"]
    )


def test_svensk_etikett():
    assert svensk_etikett("ekonomi 2021-01..2021-08, 2021 (tkr)") == (
        "Ekonomi januari–augusti 2021, 2021 (tkr)"
    )
    assert svensk_etikett("utfall_procent_publicerad") == "Utfall i procent av budget (tryckt)"
    assert svensk_etikett("andel_forbattrade_publicerad") == "Andel förbättrade (tryckt)"
    # löptext ur påståendena lämnas som den är
    assert svensk_etikett("har fått en utökad budget från 660 tkr") == (
        "har fått en utökad budget från 660 tkr"
    )


def test_granskning_sma_antal_maskas_i_antalstabeller(vasteras_maskerat):
    underlag_vasteras = vasteras_maskerat
    avslut = underlag_vasteras.tabell("avslut")
    # den tryckta summan för arbete görs fel med 2 (9 i stället för 5 + 0 + 2 = 7): avvikelsen
    # är ett litet antal och visas inte
    avslut.loc[(avslut["insats"] == "Totalt") & (avslut["utfall"] == "Arbete"), "antal"] = 9
    underlag = dataclasses.replace(
        underlag_vasteras, tabeller={**underlag_vasteras.tabeller, "avslut": avslut}
    )
    s = rd.bygg_rapport(underlag, "2019")["granskning"]
    t = s.tabell("Avvikelser")
    rader = t.data.index[t.data["Tabell"].str.startswith("Avslut")]
    assert len(rader), t.data
    assert all(ar_maskad(t.visning.loc[i, "Avvikelse"]) for i in rader)


def test_om_underlaget_listar_saknade_och_sekretessregeln(vasteras_maskerat):
    rapport = rd.bygg_rapport(vasteras_maskerat, "2019")
    om = rapport["om_underlaget"]
    text = _text(om)
    # det som saknas listas en gång, med avsnittens rubriker
    assert text.count("Deltagarenkät (NNS):") == 1 and "Ekonomi: Underlaget har ingen" in text
    # sekretessregeln i ord ur kontrollpunktens beslut
    assert "antal under 5 personer visas inte" in text and "nämnare är under 10" in text
    assert "”..” betyder att uppgiften inte visas av sekretesskäl" in text
    assert re.search(r"I den här rapporten döljs \d+ antal: \d+ under tröskeln", text)
    assert om.nyckeltal["forbundsnamn"] == "Samordningsförbundet Västerås"
    tabell = next(b for b in om.innehall if isinstance(b, Tabell))
    assert tabell.titel == "Uppgifter i underlaget"
    assert [k.namn for k in tabell.kolumner] == ["Uppgifter", "Perioder"]  # inga filnamn
    assert "Hälsoenkät" in set(tabell.data["Uppgifter"]) and "halsoenkat" not in set(
        tabell.data["Uppgifter"]
    )


def test_publicerat_underlag_maskas_inte_och_rapporten_sager_det(underlag_vasteras):
    om = rd.bygg_rapport(underlag_vasteras, "2019")["om_underlaget"]
    text = _text(om)
    assert "Sekretess: inga tal är dolda" in text and "redan publicerade" in text
    assert "intern rapport" not in text.lower() and om.nyckeltal["maskerad"] is False


def test_intern_rapport_sager_det(underlag_avesta):
    om = rd.sektion_om_underlaget(_intern(underlag_avesta), Rapportperiod.tolka("2015-07..2016-06"))
    assert "Intern rapport" in _text(om) and om.nyckeltal["intern"] is True
    rapport = rd.bygg_rapport(_intern(underlag_avesta), "2015-07..2016-06")
    assert "ingenting är maskat i den här rapporten" in _text(rapport["om_underlaget"])
