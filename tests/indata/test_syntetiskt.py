"""Tester för den syntetiska generatorn (finsam_analys.indata.syntetiskt)."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.indata.kodlistor import (
    ERSATTNINGSFORM_SCB,
    FORSORJNING,
    REMITTENT,
    UPPFOLJNINGSUTFALL,
    UTFALL,
)
from finsam_analys.indata.personnummer import rader_med_personnummer
from finsam_analys.indata.scheman import TABELLER, pandera_schema
from finsam_analys.indata.syntetiskt import (
    STANDARDTRAPPA,
    generera_forbund,
    skriv_forbund,
    skriv_syntetiskt_forbund,
)

DATA = Path(__file__).resolve().parents[2] / "data"
N = 20_000
UTTAG = pd.Timestamp("2025-12-31")


@pytest.fixture(scope="module")
def tabeller() -> dict[str, pd.DataFrame]:
    return generera_forbund(seed=11, antal_deltaganden=N, ar=[2023, 2024, 2025])


@pytest.fixture(scope="module")
def deltagare(tabeller) -> pd.DataFrame:
    return tabeller["deltagare"]


# --- reproducerbarhet -------------------------------------------------------------------------


def test_samma_seed_ger_samma_data():
    a = generera_forbund(seed=5, antal_deltaganden=2_000, ar=[2024, 2025])
    b = generera_forbund(seed=5, antal_deltaganden=2_000, ar=[2024, 2025])
    assert sorted(a) == sorted(b) == ["deltagare", "ekonomi", "enkat", "ersattningsperioder", "mal"]
    for namn in a:
        pd.testing.assert_frame_equal(a[namn], b[namn])


def test_annan_seed_ger_andra_data():
    a = generera_forbund(seed=5, antal_deltaganden=500, ar=[2024])["deltagare"]
    b = generera_forbund(seed=6, antal_deltaganden=500, ar=[2024])["deltagare"]
    assert not a["inskrivningsdatum"].equals(b["inskrivningsdatum"])


def test_exempelforbundet_aterskapas_byte_for_byte(tmp_path):
    # samma anrop som data/README.md anger för data/exempelforbund
    k = skriv_syntetiskt_forbund(
        tmp_path / "exempelforbund",
        seed=2025,
        antal_deltaganden=600,
        ar=[2023, 2024, 2025],
        perioder=["2024", "2025-01..2025-08"],
        uttagsdatum="2025-08-31",
        namn="Exempelförbundet",
    )
    genererade = sorted(p.name for p in k.iterdir())
    assert genererade == sorted(
        p.name for p in (DATA / "exempelforbund").iterdir() if not p.name.startswith("granskning_")
    )
    for namn in genererade:
        assert filecmp.cmp(k / namn, DATA / "exempelforbund" / namn, shallow=False), namn


# --- datamodellen -------------------------------------------------------------------------------


def test_tabellerna_foljer_datamodellen(tabeller):
    for namn, df in tabeller.items():
        tdef = TABELLER[namn]
        assert set(tdef.obligatoriska) <= set(df.columns), namn
        assert all(tdef.tillaten(k) for k in df.columns), namn
        pandera_schema(namn, kolumner=df.columns).validate(df, lazy=True)


def test_kategorierna_kommer_ur_kodlistorna(deltagare):
    assert set(deltagare["remittent"]) == {"AF", "FK", "Kommun", "Region"} <= set(REMITTENT)
    assert set(deltagare["forsorjning_in"]) <= set(FORSORJNING)
    assert set(deltagare["forsorjning_ut"].dropna()) <= set(FORSORJNING)
    assert set(deltagare["avslutsorsak"].dropna()) <= set(UTFALL)
    for m in (6, 12, 18):
        assert set(deltagare[f"uppfoljning_{m}_man"].dropna()) <= set(UPPFOLJNINGSUTFALL)
    # alla nio försörjningsformerna i uppdraget förekommer vid inskrivning
    assert {
        "Sjukpenning",
        "Aktivitetsersättning",
        "Sjukersättning",
        "Arbetslöshetsersättning",
        "Aktivitetsstöd",
        "Etableringsersättning",
        "Ekonomiskt bistånd",
        "Ingen offentlig försörjning",
        "Lön",
    } == set(deltagare["forsorjning_in"])


def test_id_ar_pseudonyma_och_aldrig_personnummer(tabeller):
    d = tabeller["deltagare"]
    assert d["deltagare_id"].str.fullmatch(r"D\d{7}").all()
    assert len(rader_med_personnummer(d["deltagare_id"])) == 0
    assert set(tabeller["ersattningsperioder"]["person"]) <= set(d["deltagare_id"])
    for df in tabeller.values():
        for kolumn in df.columns:
            assert len(rader_med_personnummer(df[kolumn])) == 0, kolumn


# --- fördelningar -------------------------------------------------------------------------------


def test_antal_och_flera_deltaganden_per_person(deltagare):
    assert len(deltagare) == N
    per_person = deltagare.groupby("deltagare_id").size()
    assert 0.05 < (per_person > 1).mean() < 0.12  # ungefär 8 % är en andra insats
    assert not deltagare.duplicated(["deltagare_id", "insats", "inskrivningsdatum"]).any()
    # personens kön, födelseår och kommun är desamma i alla hens deltaganden
    assert (
        deltagare.groupby("deltagare_id")[["kon", "fodelsear", "folkbokforingskommun"]]
        .nunique()
        .max()
        == 1
    ).all()


def test_kon_och_alder(deltagare):
    personer = deltagare.drop_duplicates("deltagare_id")
    assert 0.53 < (personer["kon"] == "Kvinna").mean() < 0.57
    alder = deltagare["inskrivningsdatum"].dt.year - deltagare["fodelsear"]
    assert alder.min() >= 18 and alder.max() <= 64
    assert 30 < alder.mean() < 42


def test_remittent_och_forsorjning_hanger_ihop(deltagare):
    andel = deltagare["remittent"].value_counts(normalize=True)
    assert andel.idxmax() == "Kommun" and 0.27 < andel["AF"] < 0.33
    kommun = deltagare[deltagare["remittent"] == "Kommun"]["forsorjning_in"]
    assert (kommun == "Ekonomiskt bistånd").mean() > 0.5
    fk = deltagare[deltagare["remittent"] == "FK"]["forsorjning_in"]
    assert fk.isin(["Sjukpenning", "Aktivitetsersättning", "Sjukersättning"]).mean() > 0.7


def test_inskrivningstid_och_avbrott(deltagare):
    # kohorten som skrevs in första halvåret 2023 hinner nästan helt avslutas
    kohort = deltagare[deltagare["inskrivningsdatum"] < "2023-07-01"]
    assert kohort["avslutsdatum"].notna().mean() > 0.99
    dagar = (kohort["avslutsdatum"] - kohort["inskrivningsdatum"]).dt.days
    fullfoljd = kohort["avslutstyp"] == "Fullföljd"
    assert 215 < dagar[fullfoljd].median() < 270  # cirka 8 månader
    assert dagar[~fullfoljd].median() < dagar[fullfoljd].median()
    assert 0.17 < (kohort["avslutstyp"] == "Avbruten").mean() < 0.23
    avbrutna = kohort.loc[~fullfoljd, "avslutsorsak"]
    assert not avbrutna.isin(["Arbete", "Studier"]).any()
    assert kohort.loc[fullfoljd, "avslutsorsak"].value_counts().index[0] == (
        "Fortsatt arbetslivsinriktad rehabilitering"
    )


def test_halsopoang_forbattras_i_snitt(deltagare):
    for kol in ("halsopoang_start", "halsopoang_slut"):
        varden = deltagare[kol].dropna()
        assert varden.between(0, 40).all()
    fullf = deltagare[deltagare["avslutstyp"] == "Fullföljd"]
    forandring = (fullf["halsopoang_slut"] - fullf["halsopoang_start"]).dropna()
    assert 3 < forandring.mean() < 6
    assert (forandring < 0).any()  # inte alla förbättras
    assert deltagare["halsopoang_start"].isna().mean() > 0.05  # bortfall finns
    assert deltagare.loc[deltagare["avslutsdatum"].isna(), "halsopoang_slut"].isna().all()


def test_steg_pa_trappan(deltagare):
    antal = len(STANDARDTRAPPA)
    assert deltagare["steg_start"].between(1, antal).all()
    assert deltagare["steg_slut"].dropna().between(1, antal).all()
    fullf = deltagare[deltagare["avslutstyp"] == "Fullföljd"]
    assert (fullf["steg_slut"] - fullf["steg_start"]).mean() > 0.5
    assert deltagare.loc[deltagare["avslutsdatum"].isna(), "steg_slut"].isna().all()


def test_uppfoljning_med_okande_bortfall(deltagare):
    fullf = deltagare[deltagare["avslutstyp"] == "Fullföljd"]
    # de som avslutades så tidigt att alla tre uppföljningarna hunnit göras
    tidiga = fullf[fullf["avslutsdatum"] + pd.Timedelta(days=548) <= UTTAG]
    svar = [tidiga[f"uppfoljning_{m}_man"].notna().mean() for m in (6, 12, 18)]
    assert 0.70 < svar[0] < 0.80 and svar[0] > svar[1] > svar[2] > 0.45
    # bara fullföljda följs upp
    assert deltagare.loc[deltagare["avslutstyp"] != "Fullföljd", "uppfoljning_6_man"].isna().all()
    arbete = tidiga[tidiga["avslutsorsak"] == "Arbete"]["uppfoljning_6_man"].dropna()
    ovriga = tidiga[tidiga["avslutsorsak"] != "Arbete"]["uppfoljning_6_man"].dropna()
    assert (arbete == "Arbete").mean() > 0.6 > 0.3 > (ovriga == "Arbete").mean()


def test_ersattningsperioder(tabeller):
    e = tabeller["ersattningsperioder"]
    d = tabeller["deltagare"]
    assert (e["till"] >= e["fran"]).all()
    assert (e["till"] <= UTTAG).all()
    assert set(e["omfattning"]) <= {0.25, 0.5, 0.75, 1.0}
    assert set(e["ersattningsform"]) == set(ERSATTNINGSFORM_SCB)
    kon = d.drop_duplicates("deltagare_id").set_index("deltagare_id")["kon"]
    assert (e["kon"].to_numpy() == kon.loc[e["person"]].to_numpy()).all()
    # den som har ekonomiskt bistånd vid inskrivning har en sådan period
    eb = d[d["forsorjning_in"] == "Ekonomiskt bistånd"]["deltagare_id"]
    har = e[e["ersattningsform"] == "Ekonomiskt bistånd"]["person"]
    assert eb.isin(har).all()
    # den som i alla sina deltaganden saknar ersättning (lön, ingen offentlig försörjning,
    # studiemedel) har inga ersättningsperioder
    utan = {"Lön", "Ingen offentlig försörjning", "Studiemedel"}
    ingen = d["forsorjning_in"].isin(utan) & (
        d["forsorjning_ut"].isna() | d["forsorjning_ut"].isin(utan)
    )
    alla_utan = ingen.groupby(d["deltagare_id"]).all()
    utan_ersattning = alla_utan[alla_utan].index
    assert len(utan_ersattning) > 50
    assert not e["person"].isin(utan_ersattning).any()


def test_ekonomins_summor_stammer(tabeller):
    ek = tabeller["ekonomi"]
    assert set(ek["period"]) == {"2023", "2024", "2025"}
    for (_, grupp), g in ek.groupby(["period", "grupp"]):
        if grupp in ("Insatser", "Administration"):
            delar = g[g["post"] != "Summa"]
            summa = g[g["post"] == "Summa"].iloc[0]
            assert delar["budget"].sum() == summa["budget"]
            assert delar["utfall"].sum() == summa["utfall"]
    for _, g in ek.groupby("period"):
        summor = g[(g["post"] == "Summa") & (g["grupp"] != "TOTAL")]
        total = g[g["grupp"] == "TOTAL"].iloc[0]
        assert summor["budget"].sum() == total["budget"]
    insatsrader = ek[(ek["grupp"] == "Insatser") & (ek["post"] != "Summa")]
    assert (insatsrader["post"] == insatsrader["insats"]).all()
    assert (insatsrader["utfall"] / insatsrader["budget"]).between(0.7, 1.1).all()


def test_delar_sista_aret_ger_delarsperiod():
    t = generera_forbund(seed=2, antal_deltaganden=300, ar=[2024, 2025], uttagsdatum="2025-08-31")
    d = t["deltagare"]
    assert d["inskrivningsdatum"].max() <= pd.Timestamp("2025-08-31")
    assert sorted(t["ekonomi"]["period"].unique()) == ["2024", "2025-01..2025-08"]


def test_enkaten_har_steg_1_till_6_och_battre_svar_vid_avslut(tabeller):
    from finsam_analys.matt.enkater import andel_hoga_steg

    e = tabeller["enkat"]
    assert set(e["steg"]) == {"1", "2", "3", "4", "5", "6"}
    assert set(e["tillfalle"]) == {"Vecka 8", "Avslut"}
    assert not e.duplicated(["period", "insats", "tillfalle", "fraga", "steg"]).any()
    n = e.groupby(["period", "insats", "tillfalle"])["antal"].sum()
    assert (n > 0).all()
    # svarande per fråga är desamma inom ett tillfälle (alla svarar på alla frågor)
    per_fraga = e.groupby(["period", "insats", "tillfalle", "fraga"])["antal"].sum()
    assert (per_fraga.groupby(level=[0, 1, 2]).nunique() == 1).all()
    hoga = andel_hoga_steg(e.drop(columns=["period", "insats"]), hoga_steg=[5, 6])
    redo = hoga[hoga["fraga"].str.contains("redo")].set_index("tillfalle")["andel"]
    assert redo["Avslut"] > redo["Vecka 8"] + 0.1


def test_mal_har_riktning(tabeller):
    mal = tabeller["mal"]
    assert set(mal["riktning"]) == {"minst", "hogst"}
    assert mal["varde"].between(0, 1).all()


def test_ogiltiga_argument():
    with pytest.raises(ValueError, match="sammanhängande"):
        generera_forbund(seed=1, antal_deltaganden=10, ar=[2023, 2025])
    with pytest.raises(ValueError, match="minst 1"):
        generera_forbund(seed=1, antal_deltaganden=0)
    with pytest.raises(ValueError, match="före"):
        generera_forbund(seed=1, antal_deltaganden=10, ar=[2024], uttagsdatum="2023-12-31")


# --- datumlogik (egenskapsbaserat) ---------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 400),
    forsta=st.integers(2015, 2030),
    antal_ar=st.integers(1, 3),
    sista_manad=st.integers(1, 12),
    antal_insatser=st.integers(1, 4),
)
def test_datumlogiken_haller_alltid(seed, n, forsta, antal_ar, sista_manad, antal_insatser):
    ar = list(range(forsta, forsta + antal_ar))
    uttag = (pd.Timestamp(f"{ar[-1]}-{sista_manad:02d}-01") + pd.offsets.MonthEnd(0)).normalize()
    insatser = [f"Insats {i}" for i in range(antal_insatser)]
    t = generera_forbund(
        seed=seed, antal_deltaganden=n, ar=ar, insatser=insatser, uttagsdatum=uttag
    )
    d = t["deltagare"]
    assert len(d) == n
    assert d["inskrivningsdatum"].between(pd.Timestamp(f"{ar[0]}-01-01"), uttag).all()
    avsl = d[d["avslutsdatum"].notna()]
    assert (avsl["avslutsdatum"] >= avsl["inskrivningsdatum"]).all()
    assert (avsl["avslutsdatum"] <= uttag).all()
    # avslutstyp, orsak och försörjning vid avslut finns exakt när avslutsdatum finns
    for kol in ("avslutstyp", "avslutsorsak", "forsorjning_ut", "steg_slut"):
        assert (d[kol].notna() == d["avslutsdatum"].notna()).all(), kol
    for m in (6, 12, 18):
        med = d[d[f"uppfoljning_{m}_man"].notna()]
        assert (med["avslutsdatum"] + pd.Timedelta(days=round(m * 30.44)) <= uttag).all()
    e = t["ersattningsperioder"]
    assert (e["till"] >= e["fran"]).all() and (e["till"] <= uttag).all()
    assert not d.duplicated(["deltagare_id", "insats", "inskrivningsdatum"]).any()
    assert set(d["insats"]) <= set(insatser)


# --- skriva kataloger -----------------------------------------------------------------------------


def test_skriv_forbund_ger_semikolon_decimalkomma_och_konfig(tmp_path):
    import yaml

    t = generera_forbund(seed=4, antal_deltaganden=120, ar=[2024])
    k = skriv_forbund(
        t,
        tmp_path / "prov",
        namn="Provförbundet",
        kommuner=["Norrby"],
        insatser=list(t["deltagare"]["insats"].unique()),
        perioder=["2024"],
        trappa=STANDARDTRAPPA,
    )
    konfig = yaml.safe_load((k / "forbund.yaml").read_text(encoding="utf-8"))
    assert konfig["id"] == "prov" and konfig["syntetisk"] is True and konfig["publicerad"] is False
    rad = (k / "deltagare.csv").read_text(encoding="utf-8").splitlines()[0]
    assert rad.split(";")[:3] == ["deltagare_id", "insats", "inriktning"]
    tillbaka = pd.read_csv(k / "deltagare.csv", sep=";", decimal=",")
    assert np.allclose(
        tillbaka["halsopoang_start"].to_numpy(float),
        t["deltagare"]["halsopoang_start"].to_numpy(float),
        equal_nan=True,
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(tillbaka["inskrivningsdatum"].iloc[0]))


def test_skriv_forbund_vagrar_okand_tabell(tmp_path):
    with pytest.raises(ValueError, match="okända tabeller: deltagarna"):
        skriv_forbund(
            {"deltagarna": pd.DataFrame()},
            tmp_path / "x",
            namn="X",
            kommuner=["A"],
            insatser=["B"],
            perioder=["2024"],
        )


def test_skrivet_forbund_gar_att_lasa_in(tmp_path):
    inlasning = pytest.importorskip("finsam_analys.indata.inlasning")
    k = skriv_syntetiskt_forbund(tmp_path / "syn", seed=9, antal_deltaganden=250, ar=[2024, 2025])
    underlag = inlasning.las_forbund(k)
    assert list(underlag.konfig.perioder) == ["2024", "2025"]
    d = underlag.tabell("deltagare")
    assert len(d) == 250
    assert d["inskrivningsdatum"].dtype == "datetime64[us]"
