"""Gissningarna i indata.mappning: rubriker, datum, tal och förbundens egna etiketter."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_analys.indata.mappning import (
    KODLISTOR,
    RUBRIKER,
    avslutstyp_ur_orsak,
    foresla_kategorier,
    foresla_kolumner,
    normalisera,
    rubrikpoang,
    tolka_datum,
    tolka_kategori,
    tolka_tal,
)

# Rubriker ur förbundens egna uppföljningsfiler (och varianter av dem) -> kolumn
RUBRIKFALL = {
    "Deltagar-ID": "deltagare_id",
    "Löpnummer": "deltagare_id",
    "Kodnamn": "deltagare_id",
    "Insats": "insats",
    "Projekt": "insats",
    "Inriktning": "inriktning",
    "Grupp": "inriktning",
    "Kön": "kon",
    "Kön (K/M)": "kon",
    "Man/Kvinna": "kon",
    "Födelseår": "fodelsear",
    "Född (år)": "fodelsear",
    "Ålder": "alder",
    "Ålder vid inskrivning": "alder",
    "Hemkommun": "folkbokforingskommun",
    "Folkbokföringskommun": "folkbokforingskommun",
    "Bostadsort": "folkbokforingskommun",
    "Remitterad från": "remittent",
    "Remitterande aktör": "remittent",
    "Anvisad av": "remittent",
    "Remittent": "remittent",
    "Försörjning vid start": "forsorjning_in",
    "Försörjningskälla vid inskrivning": "forsorjning_in",
    "Ersättning innan": "forsorjning_in",
    "Vid start Försörjning": "forsorjning_in",
    "Försörjning vid avslut": "forsorjning_ut",
    "Försörjning efter": "forsorjning_ut",
    "Ersättning ut": "forsorjning_ut",
    "Ers. vid start": "forsorjning_in",
    "Ers. vid slut": "forsorjning_ut",
    "Ersättn. in": "forsorjning_in",
    "Remittent (AF/FK/Kommun/Region)": "remittent",
    "Resultat efter insats": "avslutsorsak",
    "Status efter avslut": "avslutsorsak",
    "Läge vid avslut": "avslutsorsak",
    "Antal år i utanförskap": "tid_offentlig_forsorjning_ar",
    "Försörjning (vid avslut)": "forsorjning_ut",
    "Antal år i offentlig försörjning": "tid_offentlig_forsorjning_ar",
    "Start": "inskrivningsdatum",
    "Startdatum": "inskrivningsdatum",
    "Inskrivningsdatum (ÅÅÅÅ-MM-DD)": "inskrivningsdatum",
    "Datum in": "inskrivningsdatum",
    "Inskriven": "inskrivningsdatum",
    "Slutdatum": "avslutsdatum",
    "Avslutsdatum": "avslutsdatum",
    "Utskriven": "avslutsdatum",
    "Datum ut": "avslutsdatum",
    "Avslutad": "avslutsdatum",
    "Avbrott (Ja/Nej)": "avslutstyp",
    "Avslutstyp": "avslutstyp",
    "Fullföljt": "avslutstyp",
    "Avslutsorsak": "avslutsorsak",
    "Orsak till avslut": "avslutsorsak",
    "Resultat vid avslut": "avslutsorsak",
    "Utfall": "avslutsorsak",
    "ORS in": "halsopoang_start",
    "ORS start": "halsopoang_start",
    "Hälsoskattning vid start": "halsopoang_start",
    "ORS ut": "halsopoang_slut",
    "Avslut ORS": "halsopoang_slut",
    "Steg start": "steg_start",
    "Trappsteg in": "steg_start",
    "Steg slut": "steg_slut",
    "Uppföljning 6 mån": "uppfoljning_6_man",
    "Läge efter 12 månader": "uppfoljning_12_man",
    "Status 18 mån": "uppfoljning_18_man",
    # förkortningar och rubriker med radbrytning, som förbunden skriver dem
    "Avsl. datum": "avslutsdatum",
    "Avsl.datum": "avslutsdatum",
    "Avslutsdatum\n(åååå-mm-dd)": "avslutsdatum",
    "Utskr.datum": "avslutsdatum",
    "Slutmånad": "avslutsdatum",
    "Insk. datum": "inskrivningsdatum",
    "Inskr.datum": "inskrivningsdatum",
    "Datum för inskrivning": "inskrivningsdatum",
    "Påbörjad insats": "inskrivningsdatum",
    "Startmånad": "inskrivningsdatum",
    "Rem. från": "remittent",
    "Remitterande myndighet": "remittent",
    "Förs. vid start": "forsorjning_in",
    "Ers. vid inskrivning": "forsorjning_in",
    "Förs. vid avslut": "forsorjning_ut",
    "Avsl.orsak": "avslutsorsak",
    "Sysselsättning efter avslut": "avslutsorsak",
    "Vad gjorde deltagaren efter avslut": "avslutsorsak",
    "Uppf. 6 mån": "uppfoljning_6_man",
    "Folkbokf. kommun": "folkbokforingskommun",
    "Hemkommun ": "folkbokforingskommun",
    "Födelseår (ÅÅÅÅ)": "fodelsear",
}


@pytest.mark.parametrize("rubrik,mal", sorted(RUBRIKFALL.items()))
def test_rubriken_pekar_ut_kolumnen(rubrik, mal):
    poang = {m: rubrikpoang(rubrik, m)[0] for m in RUBRIKER}
    basta = max(poang, key=poang.get)
    assert (basta, poang[basta] >= 0.6) == (mal, True), poang


@pytest.mark.parametrize(
    "rubrik,inte",
    [
        ("Steg start", "inskrivningsdatum"),
        ("Ålder vid start", "inskrivningsdatum"),
        ("ORS ut", "avslutsdatum"),
        ("Orsak till avslut", "avslutsdatum"),
        ("Tid i offentlig försörjning", "forsorjning_in"),
        ("Uppföljning 6 mån", "avslutsorsak"),
    ],
)
def test_rubriken_pekar_inte_ut_fel_kolumn(rubrik, inte):
    assert rubrikpoang(rubrik, inte)[0] == 0.0


@pytest.mark.parametrize(
    "varde,kodlista,kod",
    [
        ("K", "KON", "Kvinna"),
        ("kvinna ", "KON", "Kvinna"),
        ("Män", "KON", "Man"),
        ("Icke-binär", "KON", None),
        ("Arbetsförmedlingen", "REMITTENT", "AF"),
        ("Försäkringskassan Västerås", "REMITTENT", "FK"),
        ("Socialtjänsten", "REMITTENT", "Kommun"),
        ("Vuxenpsykiatrin", "REMITTENT", "Region"),
        ("Egen anmälan", "REMITTENT", "Annan"),
        ("Självremiss", "REMITTENT", "Annan"),
        ("Soc Norrköping", "REMITTENT", "Kommun"),
        ("FK Sala", "REMITTENT", "FK"),
        ("REG", "REMITTENT", "Region"),
        ("Hälsocentralen", "REMITTENT", "Region"),
        ("KAA", "REMITTENT", "Kommun"),
        ("AF/FK", "REMITTENT", None),
        ("Studiestöd", "FORSORJNING", "Studiemedel"),
        ("Försörjs av familj", "FORSORJNING", "Ingen offentlig försörjning"),
        ("Åter till remittent", "UTFALL", None),
        ("Försörjningsstöd", "FORSORJNING", "Ekonomiskt bistånd"),
        ("A-kassa", "FORSORJNING", "Arbetslöshetsersättning"),
        ("Ingen ersättning", "FORSORJNING", "Ingen offentlig försörjning"),
        ("SA", "FORSORJNING", "Sjuk- och aktivitetsersättning"),
        ("Inget", "FORSORJNING", "Ingen offentlig försörjning"),
        ("SP", "FORSORJNING", "Sjukpenning"),
        ("Självanmälan", "REMITTENT", "Annan"),
        ("AME", "REMITTENT", "Kommun"),
        ("BUP", "REMITTENT", "Region"),
        ("Arbetsträning", "UTFALL", "Fortsatt arbetslivsinriktad rehabilitering"),
        ("Uteblev", "UTFALL", "Annat"),
        ("Lönebidrag", "UTFALL", "Arbete"),
        ("Komvux", "UTFALL", "Studier"),
        ("Avbrott pga sjukdom", "UTFALL", "Ohälsa"),
        ("Avbrutit - flyttat", "UTFALL", "Flytt"),
        ("Avbrott", "UTFALL", "Okänt"),
        ("Vet ej", "UTFALL", "Okänt"),
        ("Arbetssökande", "UPPFOLJNINGSUTFALL", "Aktivt arbetssökande"),
        ("Sjukpenning", "UPPFOLJNINGSUTFALL", "Sjukpenning"),
        ("Sjukskriven", "UPPFOLJNINGSUTFALL", "Sjukskrivning"),
        ("Försörjningsstöd", "UPPFOLJNINGSUTFALL", "Ekonomiskt bistånd"),
        ("Fullföljt", "AVSLUTSTYP", "Fullföljd"),
        ("Avhopp", "AVSLUTSTYP", "Avbruten"),
        ("Cirkusartist", "UTFALL", None),
        ("Studier på Komvux", "UTFALL", "Studier"),
        ("Flyttat till Norge", "UTFALL", "Flytt"),
        ("Ej arbete", "UTFALL", None),
        ("Arbete eller studier", "UTFALL", None),
        ("Arbetsförmedlingen och FK", "REMITTENT", None),
        ("Sjukpenning från FK", "FORSORJNING", "Sjukpenning"),
    ],
)
def test_forbundens_etiketter(varde, kodlista, kod):
    assert tolka_kategori(varde, kodlista)[0] == kod


@given(st.text(max_size=30), st.sampled_from(sorted(KODLISTOR)))
def test_en_kod_finns_alltid_i_kodlistan(varde, kodlista):
    kod, grund = tolka_kategori(varde, kodlista)
    assert kod is None or kod in KODLISTOR[kodlista]
    assert grund


@given(
    st.sampled_from(sorted(KODLISTOR)).flatmap(
        lambda k: st.tuples(st.just(k), st.sampled_from(KODLISTOR[k]))
    )
)
def test_koderna_sjalva_och_gemena_varianter_kanns_igen(par):
    kodlista, kod = par
    assert tolka_kategori(kod, kodlista)[0] == kod
    assert tolka_kategori(f"  {kod.lower()} ", kodlista)[0] == kod


def test_avslutstyp_ur_orsaken():
    assert avslutstyp_ur_orsak("Avbrott pga flytt")[0] == "Avbruten"
    assert avslutstyp_ur_orsak("Ohälsa")[0] == "Avbruten"
    assert avslutstyp_ur_orsak("Studier")[0] == "Fullföljd"


def test_ja_nej_i_avslutstypen_foljer_rubriken():
    ja_avbrott = foresla_kategorier({"Ja": 2, "Nej": 5}, "AVSLUTSTYP", ja_betyder="Avbruten")
    assert [(v, a, k) for v, a, k, _ in ja_avbrott] == [
        ("Nej", 5, "Fullföljd"),
        ("Ja", 2, "Avbruten"),
    ]
    ja_fullf = foresla_kategorier({"J": 1}, "AVSLUTSTYP", ja_betyder="Fullföljd")
    assert ja_fullf[0][2] == "Fullföljd"


DATUMFORMER = (
    lambda d: d.isoformat(),
    lambda d: f"{d.isoformat()} 00:00:00",
    lambda d: d.strftime("%Y%m%d"),
    lambda d: f"{d.day}/{d.month} {d.year}",
    lambda d: f"{d.day}/{d.month}-{d.year}",
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d: dt.datetime(d.year, d.month, d.day),
    lambda d: (d - dt.date(1899, 12, 30)).days,
    lambda d: float((d - dt.date(1899, 12, 30)).days),
)


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2039, 12, 31)),
    st.sampled_from(range(len(DATUMFORMER))),
)
def test_datum_i_forbundens_former(datum, form):
    assert tolka_datum(DATUMFORMER[form](datum)) == datum


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2039, 12, 31)))
def test_datum_med_tvasiffrigt_ar_och_manadsnamn(datum):
    assert tolka_datum(f"{datum.day}/{datum.month}-{datum.year % 100:02d}") == datum
    manad = ("jan", "feb", "mars", "april", "maj", "juni", "juli", "aug", "sep", "okt", "nov",
             "dec")[datum.month - 1]  # fmt: skip
    assert tolka_datum(f"{datum.day} {manad} {datum.year}") == datum


@pytest.mark.parametrize("varde", ["vet ej", "2023-13-01", "31/2 2023", "v. 12", 12, 1985, True])
def test_inte_datum(varde):
    assert tolka_datum(varde) is None


@given(st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False))
def test_tal_med_decimalkomma_och_enhet(tal):
    text = f"{tal:.2f}".replace(".", ",")
    assert tolka_tal(text) == pytest.approx(float(tal))
    assert tolka_tal(f"{text} år") == pytest.approx(float(tal))
    assert tolka_tal(float(tal)) == pytest.approx(float(tal))


@given(st.text(max_size=20))
def test_normalisera_ar_idempotent(text):
    assert normalisera(normalisera(text)) == normalisera(text)


def _exempeltabell() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Nr": ["1", "2", "3", "4"],
            "Inskriven": ["2023-01-05", "2023-02-01", "5/3 2023", "2023-04-01"],
            "Utskriven": ["2023-06-01", None, "2023-09-30", None],
            "X": ["K", "M", "K", "Kvinna"],  # rubriken säger inget; värdena är kön
            "Remiss": ["AF", "Soc", "FK", "AF"],
            "Handläggare": ["Anna Berg", "Per Ek", "Lisa Nord", "Anna Berg"],
            "Deltagare": ["Eva Lund", "Olof Sten", "Maja Ros", "Karl Ås"],
            "Ålder": ["25-29", "30-39", "25-29", "40-49"],
            "Kommentar": ["ok", None, None, "ring"],
            "Tom": [None, None, None, None],
        }
    )


def test_forslag_for_en_egen_tabell():
    forslag = {f.rubrik: f for f in foresla_kolumner(_exempeltabell())}
    assert {r: f.mal for r, f in forslag.items()} == {
        "Nr": "deltagare_id",
        "Inskriven": "inskrivningsdatum",
        "Utskriven": "avslutsdatum",
        "X": "kon",
        "Remiss": "remittent",
        "Handläggare": None,
        "Deltagare": None,
        "Ålder": None,
        "Kommentar": None,
        "Tom": None,
    }
    assert forslag["X"].sakerhet == "osäker" and "rubriken säger inget" in forslag["X"].grund
    assert forslag["Deltagare"].slag == "personuppgift"  # namn, trots id-lik rubrik
    assert forslag["Handläggare"].slag == "personuppgift"
    assert "värdena passar inte" in forslag["Ålder"].grund
    assert forslag["Tom"].slag == "tom"


def test_anvandarens_val_gar_fore():
    forslag = foresla_kolumner(_exempeltabell(), beslut={"Remiss": "inriktning"})
    assert {f.rubrik: f.mal for f in forslag}["Remiss"] == "inriktning"


@given(st.randoms(use_true_random=False))
def test_ordningen_pa_kolumnerna_spelar_ingen_roll(slump: random.Random):
    tabell = _exempeltabell()
    kolumner = list(tabell.columns)
    slump.shuffle(kolumner)
    forvantat = {(f.rubrik, f.mal) for f in foresla_kolumner(tabell)}
    omblandat = foresla_kolumner(tabell[kolumner])
    assert {(f.rubrik, f.mal) for f in omblandat} == forvantat
    mal = [f.mal for f in omblandat if f.mal]
    assert len(mal) == len(set(mal))  # varje kolumn i datamodellen högst en gång


def test_tva_datumkolumner_utan_begripliga_rubriker():
    tabell = pd.DataFrame(
        {"A": ["2023-06-01", "2023-08-01", "2023-09-01"], "B": ["2023-01-05", "2023-02-01", None]}
    )
    assert {f.rubrik: f.mal for f in foresla_kolumner(tabell)} == {
        "A": "avslutsdatum",
        "B": "inskrivningsdatum",
    }


def test_tva_kolumner_som_heter_datum():
    """"Datum" två gånger: den som oftast kommer först är start; en tredje datumkolumn med en
    egen rubrik ("Uppföljningsdatum") blir inte slutdatum."""
    d = pd.DataFrame({
        "Datum": ["2024-01-10", "2024-02-10", "2024-03-10"],
        "Datum (2)": ["2024-05-01", None, "2024-06-01"],
    })  # fmt: skip
    mal = {f.rubrik: f.mal for f in foresla_kolumner(d)}
    assert mal == {"Datum": "inskrivningsdatum", "Datum (2)": "avslutsdatum"}
    d = pd.DataFrame({
        "Datum": ["2024-01-10", "2024-02-10"], "Uppföljningsdatum": ["2024-08-01", "2024-09-01"],
    })  # fmt: skip
    mal = {f.rubrik: f.mal for f in foresla_kolumner(d)}
    assert mal == {"Datum": "inskrivningsdatum", "Uppföljningsdatum": None}


def test_lopnummer_som_kan_lasas_som_datum_ar_id():
    d = pd.DataFrame({
        "Löpnr": [20240101, 20240102, 20240103], "Start": ["2024-01-05", "2024-02-01", None],
    })  # fmt: skip
    assert {f.rubrik: f.mal for f in foresla_kolumner(d)}["Löpnr"] == "deltagare_id"


def test_ett_deltagar_id_gar_fore_radens_nummer():
    d = pd.DataFrame({
        "Nr": [1, 2, 3], "Deltagar-ID": ["A7", "B2", "C9"],
        "Start": ["2024-01-01", "2024-02-01", "2024-03-01"],
    })  # fmt: skip
    assert {f.rubrik: f.mal for f in foresla_kolumner(d)}["Deltagar-ID"] == "deltagare_id"


def test_aldersgrupper_sager_varfor_de_inte_kopieras():
    d = pd.DataFrame({"Start": ["2024-01-01", "2024-02-01"], "Åldersgrupp": ["18-24", "25-29"]})
    forslag = {f.rubrik: f for f in foresla_kolumner(d)}["Åldersgrupp"]
    assert forslag.mal is None and "ålder eller födelseår" in forslag.grund
