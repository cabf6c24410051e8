"""rapport.utforskning: ett mått i valfria snitt, maskat som rapporten."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from finsam_analys.indata.underlag import Sekretess
from finsam_analys.rapport.utforskning import utforska
from finsam_analys.tabell import Diagram, Stycke

ROT = Path(__file__).resolve().parents[2]


def _underlag(d: pd.DataFrame, perioder=("2024",)) -> SimpleNamespace:
    return SimpleNamespace(
        tabell=lambda n: d.copy() if n == "deltagare" else None,
        konfig=SimpleNamespace(sekretess=Sekretess(), perioder=perioder),
    )


def _rader(*rader) -> pd.DataFrame:
    kolumner = ["inskrivningsdatum", "avslutsdatum", "avslutstyp", "avslutsorsak", "kon",
                "fodelsear", "insats", "halsopoang_start", "halsopoang_slut",
                "uppfoljning_6_man"]  # fmt: skip
    d = pd.DataFrame(rader, columns=kolumner)
    d["inskrivningsdatum"] = pd.to_datetime(d["inskrivningsdatum"])
    d["avslutsdatum"] = pd.to_datetime(d["avslutsdatum"])
    d.insert(0, "deltagare_id", [f"D{i:03d}" for i in range(len(d))])
    return d


# 2023 och 2024; A och B. Handräknat i kommentarerna.
DATA = _rader(
    # start, slut, typ, orsak, kön, född, insats, ORS in, ORS ut, uppf. 6 mån
    ("2023-03-01", "2023-05-31", "Fullföljd", "Arbete", "Kvinna", 1998, "A", 10, 20, "Arbete"),
    ("2023-06-01", "2024-02-01", "Fullföljd", "Studier", "Kvinna", 1990, "A", 20, 15, None),
    ("2023-09-01", None, None, None, "Man", 1970, "A", 25, None, None),
    ("2024-01-10", "2024-06-30", "Avbruten", "Flytt", "Kvinna", 2001, "B", 12, 12, None),
    ("2024-02-01", "2024-10-01", "Fullföljd", "Arbete", "Man", 1985, "B", None, 30, None),
    ("2024-03-01", None, None, None, "Kvinna", 1999, "B", None, None, None),
)


def _antal(sektion, tabell="utforskning_antal") -> dict:
    t = sektion.tabell(tabell).visning
    forsta = t.columns[0]
    return {r[forsta]: {k: r[k] for k in t.columns[1:]} for _, r in t.iterrows()}


def test_flodet_per_insats_for_tva_perioder():
    s = utforska(_underlag(DATA), matt="flode", per=["insats"], perioder=["2023", "2024"],
                 maskera=False)  # fmt: skip
    t = _antal(s)
    # 2023: A har tre nya, en avslutad (fullföljd), två aktiva vid slut; B inga
    assert t["Deltagit under perioden"]["A, 2023"] == 3
    assert t["Avslut under perioden (fullföljda och avbrutna)"]["A, 2023"] == 1
    assert t["Aktiva vid periodens slut"]["A, 2023"] == 2
    # 2024: A har två aktiva vid start och en avslutad; B tre nya, två avslutade, en avbruten
    assert t["Aktiva vid periodens början"]["A, 2024"] == 2
    assert t["Nya under perioden"]["B, 2024"] == 3
    assert t["varav avbrutna"]["B, 2024"] == 1
    assert t["Deltagit under perioden"]["B, 2023"] == 0  # inga deltaganden i B 2023
    assert list(next(iter(t.values()))) == ["A, 2023", "A, 2024", "B, 2023", "B, 2024"]


def test_utfall_for_kvinnor_under_30_mot_forra_aret():
    s = utforska(
        _underlag(DATA),
        matt="utfall",
        urval={"kon": "Kvinna", "aldersgrupp": ["Under 25 år", "25–29 år"]},
        perioder=["2023", "2024"],
        maskera=False,
    )
    t = _antal(s)
    # kvinnor under 30 vid inskrivning: rad 0 (25 år), rad 3 (23 år), rad 5 (25 år); rad 1 är 33
    # fullföljda avslut 2023: rad 0 (Arbete); 2024: inga (rad 3 avbröts)
    assert t["Arbete"] == {"2023": 1, "2024": 0}
    assert t["Totalt"] == {"2023": 1, "2024": 0}
    andel = _antal(s, "utforskning_andel")
    assert andel["Arbete"]["2023"] == 1.0
    text = s.innehall[0]
    assert isinstance(text, Stycke) and "kön Kvinnor; åldersgrupp Under 25 år eller 25–29 år" in (
        text.meningar[0].varden["text"]
    )
    assert "Omaskad" in text.meningar[1]


def test_halsa_och_uppfoljning():
    s = utforska(_underlag(DATA), matt="halsa", perioder=["2023", "2024"], maskera=False)
    # avslutade med båda ORS: 2023 rad 0 (10 -> 20, förbättrad); 2024 rad 1 (20 -> 15) och
    # rad 3 (12 -> 12); rad 4 saknar ORS in
    t = _antal(s)
    assert t["Förbättrad"] == {"2023": 1, "2024": 0}
    assert t["Försämrad"] == {"2023": 0, "2024": 1}
    assert t["Oförändrad"] == {"2023": 0, "2024": 1}
    # uppföljningen 6 månader efter 2023-05-31 infaller 2023-11-30: under 2023, inte 2024
    u = _antal(utforska(_underlag(DATA), matt="uppfoljning_6_man", perioder=["2023"],
                        maskera=False))  # fmt: skip
    assert u["Arbete"] == {"2023": 1}


def test_sma_antal_maskas_som_standard_och_figur_ur_andelarna():
    d = pd.concat([DATA] * 4, ignore_index=True).assign(
        deltagare_id=lambda x: [f"D{i:03d}" for i in range(len(x))]
    )
    s = utforska(_underlag(d), matt="kon", perioder=["2024"])
    t = _antal(s)
    # deltagit 2024: rad 1, 2, 3, 4, 5 -> 3 kvinnor och 2 män, gånger fyra
    assert t["Kvinnor"] == {"2024": 12} and t["Män"] == {"2024": 8} and t["Totalt"] == {"2024": 20}
    liten = utforska(_underlag(DATA), matt="kon", perioder=["2024"])
    assert _antal(liten)["Män"] == {"2024": ".."}
    assert _antal(liten, "utforskning_andel")["Män"] == {"2024": ".."}
    diagram = next(b for b in s.innehall if isinstance(b, Diagram))
    assert diagram.tabell == "utforskning_andel" and diagram.y == "2024"


def test_okant_matt_och_saknade_data():
    with pytest.raises(ValueError, match="Okänt mått"):
        utforska(_underlag(DATA), matt="lycka")
    with pytest.raises(ValueError, match="Okänd dimension"):
        utforska(_underlag(DATA), matt="utfall", per=["stjärntecken"])
    assert "inga uppgifter om steg" in utforska(_underlag(DATA), matt="steg").saknas
    tomt = SimpleNamespace(tabell=lambda n: None, konfig=SimpleNamespace(perioder=("2024",)))
    assert "deltagarrader" in utforska(tomt, matt="flode").saknas


def test_exempelforbundets_kon_som_handraknat(underlag_exempel):
    """Mot deltagare.csv räknat här med pandas (deltagit = inskriven senast periodens slut och
    inte avslutad före dess början)."""
    rad = pd.read_csv(ROT / "data" / "exempelforbund" / "deltagare.csv", sep=";")
    start = pd.to_datetime(rad["inskrivningsdatum"])
    slut = pd.to_datetime(rad["avslutsdatum"])
    deltagit = rad[(start <= "2024-12-31") & (slut.isna() | (slut >= "2024-01-01"))]
    hand = deltagit.groupby(["insats", "kon"]).size()
    s = utforska(underlag_exempel, matt="kon", per=["insats"],
                 perioder=["2024"], maskera=False)  # fmt: skip
    t = _antal(s)
    for (insats, kon), n in hand.items():
        assert t["Kvinnor" if kon == "Kvinna" else "Män"][insats] == n
