"""Datamodellen: tabelldefinitionerna hänger ihop och pandera-schemana fungerar."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from finsam_analys.indata.kodlistor import (
    DIMENSIONER,
    ERSATTNINGSFORM_SCB,
    FORSORJNING,
    FORSORJNINGSGRUPPER,
    SYNONYMER,
    TOTALT,
    UTFALL,
)
from finsam_analys.indata.scheman import (
    DTYPER,
    KONFIGSCHEMA,
    TABELLER,
    kanda_kategorier,
    pandera_schema,
)

KONTRAKTETS_TABELLER = {
    "deltagare",
    "ersattningsperioder",
    "avslut",
    "halsoenkat",
    "remisser",
    "avbrott",
    "uppfoljning",
    "deltagarantal",
    "nyckeltal_publicerade",
    "enkat",
    "ekonomi",
    "eget_kapital",
    "helarsekvivalenter",
    "mal",
}


def test_alla_tabeller_i_kontraktet_finns():
    assert set(TABELLER) == KONTRAKTETS_TABELLER


def test_deltagarkolumner_enligt_kontraktet():
    kolumner = set(TABELLER["deltagare"].kolumnnamn)
    assert {
        "deltagare_id", "insats", "inriktning", "kon", "fodelsear", "folkbokforingskommun",
        "remittent", "forsorjning_in", "forsorjning_ut", "tid_offentlig_forsorjning_ar",
        "inskrivningsdatum", "avslutsdatum", "avslutstyp", "avslutsorsak", "halsopoang_start",
        "halsopoang_slut", "steg_start", "steg_slut", "uppfoljning_6_man",
        "uppfoljning_12_man", "uppfoljning_18_man",
    } <= kolumner  # fmt: skip


@pytest.mark.parametrize("namn", sorted(TABELLER))
def test_tabelldefinitionen_hanger_ihop(namn):
    t = TABELLER[namn]
    assert t.namn == namn
    assert len(set(t.kolumnnamn)) == len(t.kolumnnamn)
    assert t.obligatoriska, "varje tabell har minst en obligatorisk kolumn"
    assert t.avsnitt, "varje tabell matar minst ett rapportavsnitt"
    for k in (*t.nyckel, *t.grupp):
        assert k in t.kolumnnamn
    for k in (t.kategorikolumn, t.antalkolumn):
        assert k is None or k in t.kolumnnamn
    for kol in t.kolumner:
        assert kol.typ in DTYPER
        assert kol.beskrivning
        if kol.obligatorisk:
            assert not kol.nullbar
        if kol.kategorier is not None:
            assert len(set(kol.kategorier)) == len(kol.kategorier)
            assert kol.typ == "text"
        if kol.minst is not None and kol.hogst is not None:
            assert kol.minst < kol.hogst


def test_allmanna_kolumner_tillats_overallt():
    for t in TABELLER.values():
        assert t.tillaten("kommentar")
        assert t.tillaten("kalltabell")
        assert t.tillaten("andel_publicerad")
        assert not t.tillaten("_publicerad")
        assert not t.tillaten("okand")
        assert t.kolumndef("differens_publicerad").typ == "tal"


def test_forsorjningsgrupper_som_finsams_forsorjningsmatt():
    assert {"Sjukpenning", "Sjuk- och aktivitetsersättning"} <= set(FORSORJNINGSGRUPPER["Ohälsa"])
    assert set(FORSORJNINGSGRUPPER["Arbetsmarknadsstöd"]) == {
        "Arbetslöshetsersättning",
        "Aktivitetsstöd",
        "Etableringsersättning",
    }
    assert FORSORJNINGSGRUPPER["Ekonomiskt bistånd"] == ("Ekonomiskt bistånd",)
    assert len(FORSORJNING) == len(set(FORSORJNING))


def test_scb_ersattningsformer_som_i_delarsrapporten():
    # kolumnerna i delårsrapportens HÅE-tabell (Västerås 2021)
    assert ERSATTNINGSFORM_SCB == (
        "Sjukpenning",
        "Sjuk- och aktivitetsersättning",
        "Arbetslöshet",
        "Arbetsmarknadsåtgärder",
        "Ekonomiskt bistånd",
        "Etableringsersättning",
    )


def test_utfall_innehaller_sot_kategorierna():
    assert {"Arbete", "Studier", "Fortsatt arbetslivsinriktad rehabilitering"} <= set(UTFALL)
    assert TOTALT in kanda_kategorier("avslut", "utfall")
    assert TOTALT not in kanda_kategorier("deltagare", "avslutsorsak")


def test_synonymer_pekar_pa_kanda_koder():
    alla = set()
    for t in TABELLER.values():
        for k in t.kolumner:
            alla |= set(k.kategorier or ())
    for lista in DIMENSIONER.values():
        alla |= set(lista or ())
    for fran, till in SYNONYMER.items():
        assert till in alla, (fran, till)


def test_konfigschemat():
    obligatoriska = {k for k, v in KONFIGSCHEMA.items() if v.obligatorisk}
    assert obligatoriska == {"id", "namn", "kommuner", "insatser", "perioder"}


def test_pandera_godkanner_giltig_tabell():
    df = pd.DataFrame(
        {
            "period": pd.Series(["2019", "2019"], dtype="str"),
            "insats": pd.Series(["MAC", "Totalt"], dtype="str"),
            "utfall": pd.Series(["Arbete", "Totalt"], dtype="str"),
            "antal": pd.array([5, 7], dtype="Int64"),
        }
    )
    pandera_schema("avslut", kolumner=df.columns).validate(df, lazy=True)


def test_pandera_hittar_alla_fel_pa_en_gang():
    df = pd.DataFrame(
        {
            "period": pd.Series(["2019", "2019", "2019"], dtype="str"),
            "insats": pd.Series(["MAC", None, "MAC"], dtype="str"),
            "utfall": pd.Series(["Jobb", "Arbete", "Arbete"], dtype="str"),
            "antal": pd.array([5, -1, 5], dtype="Int64"),
        }
    )
    with pytest.raises(pa.errors.SchemaErrors) as fel:
        pandera_schema("avslut", kolumner=df.columns).validate(df, lazy=True)
    fall = fel.value.failure_cases
    hittade = sorted(
        zip(
            fall["column"],
            fall["check"].astype(str).str.split("(").str[0],
            fall["index"],
            strict=True,
        )
    )
    assert hittade == [
        ("antal", "greater_than_or_equal_to", 1),
        ("insats", "not_nullable", 1),
        ("utfall", "isin", 0),
    ]


def test_pandera_utan_unik_nyckel():
    df = pd.DataFrame(
        {
            "period": pd.Series(["2019", "2019"], dtype="str"),
            "insats": pd.Series(["MAC", "MAC"], dtype="str"),
            "utfall": pd.Series(["Arbete", "Arbete"], dtype="str"),
            "antal": pd.array([5, 5], dtype="Int64"),
        }
    )
    pandera_schema("avslut", kolumner=df.columns, unik=False).validate(df)
    with pytest.raises(pa.errors.SchemaError):
        pandera_schema("avslut", kolumner=df.columns).validate(df)


def test_data_readme_beskriver_aktuellt_format():
    from pathlib import Path

    from finsam_analys.indata.kodlistor import kodlistebeskrivning
    from finsam_analys.indata.scheman import tabellbeskrivning

    readme = (Path(__file__).parents[2] / "data" / "README.md").read_text(encoding="utf-8")
    assert "## Format" in readme
    start = readme.index("<!-- genererat:start -->") + len("<!-- genererat:start -->")
    slut = readme.index("<!-- genererat:end -->")
    assert readme[start:slut] == "\n" + tabellbeskrivning() + "\n" + kodlistebeskrivning(), (
        "kör om genereringen av data/README.md (se tabellbeskrivning i scheman.py)"
    )
