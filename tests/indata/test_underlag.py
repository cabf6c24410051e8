"""Underlag och Forbundskonfig."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from finsam_analys.indata.underlag import Forbundskonfig, Sekretess, Underlag, forslag

GILTIG = {
    "id": "vasteras",
    "namn": "Samordningsförbundet Västerås",
    "lan": "Västmanlands län",
    "kommuner": ["Västerås"],
    "insatser": ["Samordningsteam Västerås"],
    "perioder": ["2019", "2021-01..2021-08"],
    "jamforelseperioder": {"2019": "2018"},
    "sekretess": {"troskel": 3, "namnare_troskel": 10, "intern": True},
    "trappa": ["Steg 1", "Steg 2"],
    "publicerad": True,
    "kallor": [{"namn": "Årsrapport 2019", "uttagsdatum": "2020-01-27"}, "SCB"],
    "filer": {"deltagare": {"fil": "deltagare.xlsx", "blad": "Deltagare"}},
    "kolumner": {"deltagare": {"Personens id": "deltagare_id"}},
    "kategorier": {"avslutsorsak": {"Avslut - arbete": "Arbete"}},
}


def test_giltig_konfig():
    k, problem = Forbundskonfig.fran_dict(GILTIG)
    assert problem == []
    assert k.id == "vasteras"
    assert k.perioder == ("2019", "2021-01..2021-08")
    assert k.jamforelseperioder == {"2019": "2018"}
    assert k.sekretess == Sekretess(troskel=3, namnare_troskel=10, intern=True)
    assert k.trappa == ("Steg 1", "Steg 2")
    assert [c.namn for c in k.kallor] == ["Årsrapport 2019", "SCB"]
    assert k.filer["deltagare"]["blad"] == "Deltagare"
    assert k.kolumner["deltagare"]["Personens id"] == "deltagare_id"
    assert k.kategorier["avslutsorsak"]["Avslut - arbete"] == "Arbete"


def test_standardvarden():
    k, _ = Forbundskonfig.fran_dict(
        {"id": "x", "namn": "X", "kommuner": ["A"], "insatser": ["T"], "perioder": [2019]}
    )
    assert k.perioder == ("2019",)  # YAML-talet 2019 blir periodkoden "2019"
    assert k.sekretess == Sekretess(troskel=5, namnare_troskel=10, intern=False)
    assert k.publicerad is False
    assert k.trappa == ()


@pytest.mark.parametrize(
    ("andring", "forvantat"),
    [
        ({"kommun": ["A"]}, 'okänd nyckel "kommun" – menade du "kommuner"?'),
        ({"perioder": None}, 'nyckeln "perioder" saknas'),
        ({"perioder": ["2019-13"]}, '"2019-13" är ingen giltig periodkod'),
        ({"sekretess": {"troskel": -1}}, '"sekretess.troskel" ska vara ett heltal ≥ 0'),
        ({"sekretess": {"gräns": 5}}, 'okänd nyckel "sekretess.gräns"'),
        ({"publicerad": "ja"}, '"publicerad" ska vara true eller false'),
        ({"kommuner": {"a": 1}}, '"kommuner" ska vara en lista'),
        ({"filer": {"deltagarna": "d.csv"}}, 'okänd tabell "deltagarna"'),
        ({"kolumner": {"deltagare": {"Id": "person_id"}}}, 'mappas till "person_id"'),
        ({"kallor": [{"titel": "x"}]}, 'ska ha minst nyckeln "namn"'),
        ({"jamforelseperioder": {"2019": "förra året"}}, '"förra året" är ingen giltig'),
    ],
)
def test_ogiltig_konfig(andring, forvantat):
    k, problem = Forbundskonfig.fran_dict({**GILTIG, **andring})
    assert k is None
    assert any(forvantat in p for p in problem), problem


def test_alla_konfigproblem_samlas():
    _, problem = Forbundskonfig.fran_dict({"namn": "X", "kommun": "A", "publicerad": 1})
    assert len(problem) == 6  # okänd nyckel, saknade id/kommuner/insatser/perioder, publicerad


@pytest.mark.parametrize("data", [None, [], "text", 5])
def test_konfig_som_inte_ar_en_samling(data):
    k, problem = Forbundskonfig.fran_dict(data)
    assert k is None
    assert "konfigurationen ska vara en samling nycklar" in problem[0]


def test_forslag():
    assert forslag("kommun", ["kommuner", "namn"]) == ' – menade du "kommuner"?'
    assert forslag("xyz", ["kommuner", "namn"]) == ""


def _underlag():
    k, _ = Forbundskonfig.fran_dict(GILTIG)
    avslut = pd.DataFrame({"utfall": ["Arbete", "Studier"], "antal": [7, 5]})
    return Underlag(
        katalog=Path("data/vasteras"),
        konfig=k,
        tabeller={"avslut": avslut, "remisser": avslut.iloc[0:0]},
        filer={"avslut": "avslut.csv"},
    )


def test_tabell_ger_kopia():
    u = _underlag()
    df = u.tabell("avslut")
    df.loc[0, "antal"] = 100
    assert u.tabell("avslut").loc[0, "antal"] == 7
    assert u.tabell("deltagare") is None


def test_har():
    u = _underlag()
    assert u.har("avslut")
    assert not u.har("remisser")  # tom tabell
    assert not u.har("deltagare")


def test_underlaget_ar_oforanderligt():
    u = _underlag()
    with pytest.raises(dataclasses.FrozenInstanceError):
        u.konfig = None
    with pytest.raises(TypeError):
        u.tabeller["ny"] = pd.DataFrame()


def test_sammanfattning():
    assert _underlag().sammanfattning() == (
        "Samordningsförbundet Västerås (vasteras): 2 tabeller, perioder 2019, 2021-01..2021-08\n"
        "  avslut: 2 rader (avslut.csv)\n"
        "  remisser: 0 rader"
    )


def test_maskera_false_bara_for_publicerat_underlag():
    """Publicerade tal maskas inte som standard; att stänga av maskeringen för annat är fel."""
    from finsam_analys.indata.underlag import Forbundskonfig

    grund = {"id": "x", "namn": "X", "kommuner": ["A"], "insatser": ["T"], "perioder": ["2019"]}
    konfig, problem = Forbundskonfig.fran_dict({**grund, "sekretess": {"maskera": False}})
    assert konfig is None and problem == [
        '"sekretess.maskera: false" gäller bara ett underlag som redan är publicerat '
        '(publicerad: true); för en rapport som inte ska spridas, skriv "sekretess.intern: true"'
    ]
    konfig, problem = Forbundskonfig.fran_dict(
        {**grund, "publicerad": True, "sekretess": {"maskera": True}}
    )
    assert problem == [] and konfig.sekretess.maskera is True
    assert not konfig.sekretess.avstangd
