"""``finsam-analys ny`` på förbundsfiler i andra former än exempelfilen (tests/egna_filer.py).

Varje fil byggs i kod med ett facit (vad varje rad betyder); de förväntade antalen räknas ur
facit, aldrig med koden som prövas. Efter ``ny`` ska ``validera`` gå igenom utan handpåläggning
(eller med de få ändringar i forbund.yaml som testet gör och som ``ny`` bad om), och underlaget
ska ge samma deltagit, nya, avslut, fullföljda, avbrutna och kön som facit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import egna_filer as E
import pandas as pd
import pytest

from finsam_analys.cli import main
from finsam_analys.indata.inlasning import las_forbund


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _ny(tmp_path: Path, byggare: str, capsys, *extra: str) -> tuple[Path, list, str]:
    """Bygg filen, kör ny (källfilen ska vara orörd); (katalogen, facit, utskriften)."""
    filer = tmp_path / "filer"
    filer.mkdir(exist_ok=True)
    fil, facit = E.BYGGARE[byggare](filer)
    fore = _sha(fil)
    katalog = tmp_path / "data" / byggare.lower()
    kod = main(["ny", str(katalog), "--fran", str(fil), *extra])
    ut = capsys.readouterr()
    assert kod == 0, ut.err
    assert "Traceback" not in ut.out + ut.err
    assert _sha(fil) == fore
    return katalog, facit, ut.out


def _validera(katalog: Path, capsys) -> pd.DataFrame:
    kod = main(["validera", str(katalog)])
    ut = capsys.readouterr()
    assert kod == 0, ut.out + ut.err
    return las_forbund(katalog).tabell("deltagare")


def _raknat(d: pd.DataFrame, ar: int, insats: str | None = None) -> dict[str, int]:
    """Samma antal som egna_filer.raknat, ur den inlästa tabellen deltagare."""
    fran, till = pd.Timestamp(ar, 1, 1), pd.Timestamp(ar, 12, 31)
    if insats is not None:
        d = d[d["insats"] == insats]
    slut = d["avslutsdatum"]
    d = d[(d["inskrivningsdatum"] <= till) & (slut.isna() | (slut >= fran))]
    avslut = d[d["avslutsdatum"].notna() & (d["avslutsdatum"] <= till)]
    return {
        "deltagit": len(d),
        "nya": int((d["inskrivningsdatum"] >= fran).sum()),
        "avslut": len(avslut),
        "fullfoljda": int((avslut["avslutstyp"] == "Fullföljd").sum()),
        "avbrutna": int((avslut["avslutstyp"] == "Avbruten").sum()),
        "kvinnor": int((d["kon"] == "Kvinna").sum()),
        "man": int((d["kon"] == "Man").sum()),
    }


def _stammer(d: pd.DataFrame, facit: list, *, insatser: bool = False) -> None:
    if insatser:
        assert set(d["insats"]) == {p.insats for p in facit}
    for ar in sorted({p.start.year for p in facit}):
        assert _raknat(d, ar) == E.raknat(facit, ar), ar
        if insatser:
            for insats in {p.insats for p in facit}:
                assert _raknat(d, ar, insats) == E.raknat(facit, ar, insats), (ar, insats)


def test_ett_blad_per_ar_med_instruktioner_och_summarad(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "ar_per_blad", capsys)
    assert 'Hoppade över bladet "Instruktioner"' in ut
    # bladen heter 2023 och 2024: insatsen står i titelraden "Deltagaruppföljning Jobbspåret 2023"
    assert 'Insatsens namn är taget ur titelraden "Deltagaruppföljning Jobbspåret 2023"' in ut
    assert "rad 39" in ut  # summaraden på bladet 2023 (34 deltagare under rubriken på rad 4)
    d = _validera(katalog, capsys)
    assert len(d) == len(facit) == 60
    _stammer(d, facit, insatser=True)
    assert sorted(d["fodelsear"]) == sorted(p.fodelsear for p in facit)


def test_csv_semikolon_cp1252_med_decimalkomma(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "csv_semikolon_cp1252", capsys)
    assert "Inskr.datum → inskrivningsdatum" in ut and "Utskr.datum → avslutsdatum" in ut
    d = _validera(katalog, capsys)
    assert len(d) == 50
    _stammer(d, facit)
    assert d["halsopoang_start"].between(5, 30).all()  # "21,5" är 21,5


def test_datum_som_tal_och_bara_manad(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "heltalsdatum_och_manad", capsys)
    assert "Slutmånad → avslutsdatum" in ut
    antal_manader = sum(p.slut is not None for p in facit)
    assert f'{antal_manader} värden i "Slutmånad" på bladet "Basen" har bara år och månad' in ut
    d = _validera(katalog, capsys)
    assert sorted(d["inskrivningsdatum"].dt.date) == sorted(p.start for p in facit)
    _stammer(d, facit)


def test_pagaende_och_avslutade_pa_egna_blad_med_versaler(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "aktiva_och_avslutade", capsys)
    assert 'Hoppade över bladet "Statistik"' in ut
    d = _validera(katalog, capsys)
    assert len(d) == 64
    assert sorted(set(d["insats"])) == ["Navigatorn", "Resursteamet"]
    _stammer(d, facit, insatser=True)


def test_personnummer_vagras(tmp_path, capsys):
    fil, _ = E.personnummer(tmp_path)
    kod = main(["ny", str(tmp_path / "data" / "pnr"), "--fran", str(fil)])
    ut = capsys.readouterr()
    assert kod == 2
    assert "personnummer" in ut.out + ut.err and 'kolumn "A"' in ut.out + ut.err
    assert "19811218" not in ut.out + ut.err and "811218" not in ut.out + ut.err
    assert not (tmp_path / "data" / "pnr").exists()


def test_ett_blad_per_ar_dar_de_som_fortsatter_star_kvar(tmp_path, capsys):
    """De som fortsätter in i nästa år står på båda årsbladen: ett deltagande, inte två."""
    katalog, facit, ut = _ny(tmp_path, "ar_per_blad_med_kvarstaende", capsys)
    # på båda bladen: de som startat 2023 och inte avslutats före 2024 (räknat ur facit)
    bada = sum(p.start.year == 2023 and (p.slut is None or p.slut.year >= 2024) for p in facit)
    assert bada > 0
    assert f"{bada} deltaganden står på flera blad" in ut
    assert f"({len(facit)} deltaganden" in ut
    d = _validera(katalog, capsys)
    assert len(d) == len(facit) == 50
    _stammer(d, facit)
    # raden i er fil pekar på båda bladen
    assert (
        d["kommentar"].str.contains("Deltagare 2023 rad .*; Deltagare 2024 rad", regex=True).sum()
        == bada
    )


def test_koder_med_forklaring_pa_eget_blad_och_summarader(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "koder_med_forklaring", capsys)
    assert 'Koderna i "Avslutsorsak (kod)" på bladet "Deltagare" är översatta' in ut
    assert "1 = Arbete" in ut
    # rubriken på rad 2, 55 deltagare på rad 3–57, en tom rad, "Totalt" och "Antal kvinnor"
    assert "rad 59, 60" in ut
    d = _validera(katalog, capsys)
    assert len(d) == 55
    _stammer(d, facit, insatser=True)
    avslutade = [p for p in facit if p.slut is not None]
    assert d["avslutsorsak"].value_counts().to_dict() == {
        u: n for u, n in Counter(p.utfall for p in avslutade).items()
    }
    assert set(d["remittent"]) == {p.remittent for p in facit}  # AF, FK, SOC, REG


def test_csv_utf8_bom_med_konskoder_forklarade_i_rubriken(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "csv_utf8_bom_koder", capsys)
    assert "Kön (1=man, 2=kvinna) → kon" in ut
    assert 'Koderna i "Kön (1=man, 2=kvinna)" i filen är översatta' in ut
    d = _validera(katalog, capsys)
    assert len(d) == 45
    assert sorted(d["inskrivningsdatum"].dt.date) == sorted(p.start for p in facit)  # 20240305
    _stammer(d, facit)


def test_koder_utan_forklaring_gissas_inte(tmp_path, capsys):
    """Kön som 1/2 utan förklaring: kolumnen mappas, koderna listas och validera stoppar."""
    fil = tmp_path / "kodkon.csv"
    fil.write_text(
        "Id;Start;Slut;Kön;Avslutsorsak\nA1;2024-01-10;2024-05-01;1;Arbete\n"
        "A2;2024-02-10;;2;\nA3;2024-03-10;2024-06-01;2;Studier\nA4;2024-03-12;;1;\n",
        encoding="utf-8",
    )
    katalog = tmp_path / "data" / "kodkon"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert "Kön → kon (osäker)" in ut
    assert 'Kön: "1" (2 rader) – välj bland Kvinna, Man' in ut
    assert "värdena är koder (1, 2) som ny inte vet vad de betyder" in ut
    assert main(["validera", str(katalog)]) == 2
    capsys.readouterr()
    # användaren skriver vad koderna betyder: då går det igenom
    text = (katalog / "forbund.yaml").read_text("utf-8")
    text = text.replace('    # "1": ?', '    "1": Man  #').replace(
        '    # "2": ?', '    "2": Kvinna  #'
    )
    (katalog / "forbund.yaml").write_text(text, "utf-8")
    d = _validera(katalog, capsys)
    assert Counter(d["kon"]) == {"Man": 2, "Kvinna": 2}


def test_grupprubriker_over_upprepade_rubriker_och_en_anvisningsrad(tmp_path, capsys):
    """ "Vid inskrivning"/"Vid avslut" över två "Datum" och två "Försörjning"; raden under
    rubriken är en anvisning ("åååå-mm-dd", "välj i listan"), inte en deltagare."""
    katalog, facit, ut = _ny(tmp_path, "per_insats_grupprubrik", capsys)
    for blad in ("Unga vuxna", "Arbetslivsteamet"):
        assert f'Bladet "{blad}": rad 5 direkt under rubriken ser ut som en anvisning' in ut
    assert "Vid inskrivning Försörjning → forsorjning_in" in ut
    assert "Vid avslut Försörjning → forsorjning_ut" in ut
    assert "Vid avslut Datum → avslutsdatum" in ut
    assert "Kunde inte mappas" not in ut
    d = _validera(katalog, capsys)
    assert len(d) == len(facit) == 70
    _stammer(d, facit, insatser=True)
    assert Counter(d["forsorjning_in"]) == Counter(p.forsorjning for p in facit)
    ut_hand = Counter(
        "Lön" if p.utfall == "Arbete" else p.forsorjning for p in facit if p.slut is not None
    )
    assert Counter(d["forsorjning_ut"].dropna()) == ut_hand


def test_mellanrubriker_i_tabellen_och_lodrata_rubriker(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "mellanrubriker", capsys)
    pagaende = sum(p.slut is None for p in facit)
    # rubriken på rad 1–2, "PÅGÅENDE" på rad 3, "AVSLUTADE" efter de pågående
    assert f"rad 3, {4 + pagaende} under eller i tabellen är inte deltagare" in ut
    assert "Vid start Datum → inskrivningsdatum" in ut and "Id → deltagare_id" in ut
    d = _validera(katalog, capsys)
    assert len(d) == len(facit) == 36
    _stammer(d, facit)


def test_datum_med_manaden_forst_fran_ett_program_pa_engelska(tmp_path, capsys):
    """3/25/2024: hela bladets datum läses med månaden först, också 10/1/2024 (1 oktober)."""
    fil = tmp_path / "export.csv"
    fil.write_text(
        "ID,Start Date,End Date,Gender\nA1,3/25/2024,6/3/2024,F\nA2,1/5/2024,,M\n"
        "A3,2/14/2024,10/1/2024,F\n",
        encoding="utf-8",
    )
    katalog = tmp_path / "data" / "export"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert 'Datumen i "Start Date" i filen har månaden först' in ut
    assert "3/25/2024" not in ut.split("Att kontrollera")[0]  # inga datumfel
    d = _validera(katalog, capsys)
    assert sorted(d["inskrivningsdatum"].dt.date.astype(str)) == [
        "2024-01-05", "2024-02-14", "2024-03-25",
    ]  # fmt: skip
    assert sorted(d["avslutsdatum"].dropna().dt.date.astype(str)) == ["2024-06-03", "2024-10-01"]


def test_kryss_per_kategori_under_grupprubriker(tmp_path, capsys):
    """Kön (Kvinna | Man), försörjning och sysselsättning efter avslut med ett "x" per
    kategori blir tre kolumner med kategorins namn; den tomma A-kassa-kolumnen hör till."""
    katalog, facit, ut = _ny(tmp_path, "kryss", capsys)
    assert 'lästes som en kolumn, "Kön"' in ut
    assert '"Försörjning vid inskrivning A-kassa"' in ut
    assert "Sysselsättning efter avslut → avslutsorsak" in ut
    assert "Försörjning vid inskrivning → forsorjning_in" in ut
    assert "Kunde inte mappas" not in ut
    d = _validera(katalog, capsys)
    assert len(d) == len(facit) == 48
    _stammer(d, facit, insatser=True)
    assert Counter(d["forsorjning_in"]) == Counter(p.forsorjning for p in facit)
    assert Counter(d["avslutsorsak"].dropna()) == Counter(p.utfall for p in facit if p.slut)


def test_pagar_i_slutdatum_statuskolumn_och_tvasiffriga_fodelsear(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "pagar_och_status", capsys)
    pagaende = sum(p.slut is None for p in facit)
    assert '"Pågår" i "Slutdatum" på bladet "Blad1"' in ut
    assert "kan inte tolkas som datum" not in ut
    # statuskolumnen (Aktiv/Avslutad) är inte fullföljd/avbruten: avbrotten kommer ur orsaken
    assert '"Status" (Blad1, 40 ifyllda): rubriken liknar avslutstyp, men' in ut
    assert '40 födelseår i "Född"' in ut
    d = _validera(katalog, capsys)
    assert int(d["avslutsdatum"].isna().sum()) == pagaende
    _stammer(d, facit)
    assert sorted(d["fodelsear"]) == sorted(p.fodelsear for p in facit)
    assert Counter(d["remittent"]) == Counter(p.remittent for p in facit)


def test_langa_instruktioner_ovanfor_och_antal_under_tabellen(tmp_path, capsys):
    """40 rader instruktioner ovanför rubriken på samma blad, och en rad med antal (bara tal)
    under tabellen: 12 deltagare, varav 6 avslutade (räknat för hand nedan)."""
    import openpyxl

    bok = openpyxl.Workbook()
    ark = bok.active
    ark.title = "Uppföljning"
    for i in range(40):
        ark.append([f"Instruktion {i + 1}: fyll i varje kolumn enligt anvisningen."])
    ark.append([])
    ark.append(["Id", "Start", "Slut", "Kön", "Orsak"])  # rad 42
    for i in range(12):  # rad 43–54
        ark.append([
            f"U{i}", dt.date(2024, 1, 1 + i), dt.date(2024, 6, 1 + i) if i % 2 else None,
            "K" if i % 3 else "M", "Arbete" if i % 2 else None,
        ])  # fmt: skip
    ark.append([12, 12, 6, 12, 6])  # rad 55: antal under kolumnerna
    fil = tmp_path / "uppfoljning.xlsx"
    bok.save(fil)
    katalog = tmp_path / "data" / "instr"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert 'Bladet "Uppföljning": rad 55 sist i tabellen har inget datum' in ut
    d = _validera(katalog, capsys)
    assert len(d) == 12
    assert int(d["avslutsdatum"].notna().sum()) == 6
    assert Counter(d["kon"]) == {"Kvinna": 8, "Man": 4}  # i = 0, 3, 6, 9 är män


def test_ett_blad_per_ar_utan_id_sager_att_samma_deltagande_kan_sta_tva_ganger(tmp_path, capsys):
    """Utan id kan ny inte slå ihop raderna, men säger till (och räknar dem som två)."""
    import openpyxl

    bok = openpyxl.Workbook()
    bok.remove(bok.active)
    for ar, rader in (
        (2023, [[dt.date(2023, 3, 1), None, "K", 1990],
                [dt.date(2023, 4, 1), dt.date(2023, 9, 1), "M", 1985]]),
        (2024, [[dt.date(2023, 3, 1), dt.date(2024, 2, 1), "K", 1990],
                [dt.date(2024, 4, 1), None, "M", 1995]]),
    ):  # fmt: skip
        ark = bok.create_sheet(str(ar))
        ark.append(["Start", "Slut", "Kön", "Födelseår"])
        for rad in rader:
            ark.append(rad)
    fil = tmp_path / "utan_id.xlsx"
    bok.save(fil)
    katalog = tmp_path / "data" / "utan_id"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert "1 rader har samma startdatum och bakgrund som en rad på ett tidigare blad" in ut
    assert "(4 deltaganden" in ut


def test_stavningar_excelfel_och_en_fil_kortare_an_en_manad(tmp_path, capsys):
    import openpyxl

    bok = openpyxl.Workbook()
    ark = bok.active
    ark.title = "Alla"
    ark.append(["Id", "Insats", "Start", "Slut", "Kön", "Ålder", "Kommun"])
    for rad in (
        ["1", "Steget", dt.date(2024, 1, 2), None, "K", 34, "Sala"],
        ["2", "Steget", dt.date(2024, 1, 3), None, "M", "#VÄRDEFEL!", "Sala"],
        ["3", "steget", dt.date(2024, 1, 4), None, "K", 40, "sala"],
        ["4", "STEGET ", dt.date(2024, 1, 5), None, "K", "#SAKNAS!", "Heby"],
        ["5", "Lotsen", dt.date(2024, 1, 6), None, "K", 22, "Heby"],
    ):
        ark.append(rad)
    fil = tmp_path / "stavning.xlsx"
    bok.save(fil)
    katalog = tmp_path / "data" / "stavning"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert "#VÄRDEFEL! (1 rader), #SAKNAS! (1 rader)); de lästes som tomma" in ut
    assert '"STEGET" i "Insats" (1 rader) skrevs som "Steget"' in ut
    assert "Perioder: 2024-01 (" in ut
    d = _validera(katalog, capsys)
    assert Counter(d["insats"]) == {"Steget": 4, "Lotsen": 1}
    assert Counter(d["folkbokforingskommun"]) == {"Sala": 3, "Heby": 2}
    assert int(d["alder"].isna().sum()) == 2


def test_avslut_pa_eget_blad_kopplas_med_id(tmp_path, capsys):
    katalog, facit, ut = _ny(tmp_path, "avslut_pa_eget_blad", capsys)
    avslutade = sum(p.slut is not None for p in facit)
    assert f"{avslutade} av {avslutade} rader kopplades till deltagandet med samma id" in ut
    assert "Läste jobbcenter_plus.xlsx: 1 tabell med deltagare" in ut
    d = _validera(katalog, capsys)
    assert len(d) == len(facit)
    assert len(facit) > len({p.id for p in facit})  # några har samma id två gånger
    _stammer(d, facit)
    assert Counter(d["avslutsorsak"].dropna()) == Counter(p.utfall for p in facit if p.slut)


def test_rader_utan_startdatum_ar_inga_deltaganden(tmp_path, capsys):
    fil = tmp_path / "vantelista.csv"
    fil.write_text(
        "Id;Start;Slut;Kön\nA1;2024-01-10;2024-05-01;K\nA2;;;M\nA3;2024-03-10;;K\n"
        "A4;2024-03-12;;M\nA5;;;K\nA6;2024-04-01;;K\n",
        encoding="utf-8",
    )
    katalog = tmp_path / "data" / "vantelista"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert "2 rader i filen har inget startdatum (rad 3, 6)" in ut
    d = _validera(katalog, capsys)
    assert sorted(d["deltagare_id"]) == ["A1", "A3", "A4", "A6"]


def test_kodforklaringar_med_betydelsen_forst_och_flera_pa_samma_blad(tmp_path, capsys):
    import openpyxl

    bok = openpyxl.Workbook()
    bok.remove(bok.active)
    ark = bok.create_sheet("Data")
    ark.append(["Löpnr", "Start", "Slut", "Kön", "Avslutsorsak"])
    for i in range(1, 7):
        ark.append([
            i, dt.date(2024, 1, i * 3), dt.date(2024, 6, i) if i % 2 else None,
            1 if i % 3 else 2, 2 if i % 2 else None,
        ])  # fmt: skip
    koder = bok.create_sheet("Koder")
    koder.append(["Kön", "Kod", None, "Avslutsorsak", "Kod"])
    koder.append(["Kvinna", 1, None, "Arbete", 1])
    koder.append(["Man", 2, None, "Studier", 2])
    koder.append([None, None, None, "Annat", 3])
    fil = tmp_path / "omvand.xlsx"
    bok.save(fil)
    katalog = tmp_path / "data" / "omvand"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert '"Kön" på bladet "Data" är översatta med förklaringen i bladet "Koder"' in ut
    d = _validera(katalog, capsys)
    # i = 3 och 6 har kod 2 (Man); i = 1, 3, 5 har avslutat med kod 2 (Studier)
    assert Counter(d["kon"]) == {"Kvinna": 4, "Man": 2}
    assert Counter(d["avslutsorsak"].dropna()) == {"Studier": 3}


def _tabell(bok, titel: str) -> dict[str, tuple]:
    """Bladet vars namn är tabellens titel; tabellen börjar på rad 7 (som i test_cli_ny)."""
    namn = next(n for n in bok.sheetnames if n == titel or n.startswith(f"{titel},"))
    ut = {}
    for r in bok[namn].iter_rows(min_row=7, values_only=True):
        if not r[0]:
            break
        ut[r[0]] = r[1:]
    return ut


@pytest.mark.langsam
@pytest.mark.parametrize("byggare", ["kryss", "avslut_pa_eget_blad"])
def test_rapporten_raknar_som_facit(tmp_path, capsys, byggare):
    """ny + validera + rapport utan handpåläggning; rapportens antal mot facit (2023)."""
    import openpyxl

    katalog, facit, _ = _ny(tmp_path, byggare, capsys)
    _validera(katalog, capsys)
    utdata = tmp_path / "outputs"
    kod = main(
        ["rapport", "--forbund", katalog.name, "--period", "2023", "--data",
         str(katalog.parent), "--utdata", str(utdata), "--skapad", "2025-01-20"]
    )  # fmt: skip
    assert kod == 0, capsys.readouterr().err
    bok = openpyxl.load_workbook(utdata / katalog.name / "2023" / "tabeller.xlsx")
    hand = E.raknat(facit, 2023)
    flode = _tabell(bok, "Deltagarflöde")
    assert flode["Deltagit under perioden"][0] == hand["deltagit"]
    assert flode["Nya under perioden"][0] == hand["nya"]
    assert flode["Avslut under perioden (fullföljda och avbrutna)"][0] == hand["avslut"]
    for rad, nyckel in (("varav fullföljda", "fullfoljda"), ("varav avbrutna", "avbrutna")):
        assert flode[rad][0] in (hand[nyckel], "..")  # under 5 maskas
    kon = _tabell(bok, "Kön")
    assert (kon["Kvinnor"][0], kon["Män"][0]) == (hand["kvinnor"], hand["man"])


def test_fortsattare_med_bara_id_och_avslut_pa_nasta_ars_blad(tmp_path, capsys):
    import openpyxl

    bok = openpyxl.Workbook()
    bok.remove(bok.active)
    for ar, rader in (
        ("2023", [["K1", dt.date(2023, 3, 1), None, "K", None],
                  ["K2", dt.date(2023, 5, 1), dt.date(2023, 10, 1), "M", "Arbete"]]),
        ("2024", [["K1", None, dt.date(2024, 4, 1), None, "Studier"],
                  ["K3", dt.date(2024, 2, 1), None, "K", None]]),
    ):  # fmt: skip
        ark = bok.create_sheet(ar)
        ark.append(["Löpnr", "Startdatum", "Slutdatum", "Kön", "Avslutsorsak"])
        for rad in rader:
            ark.append(rad)
    fil = tmp_path / "fortsatt.xlsx"
    bok.save(fil)
    katalog = tmp_path / "data" / "fortsatt"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert '1 rader utan startdatum på bladet "2024" har ett id som finns' in ut
    d = _validera(katalog, capsys).set_index("deltagare_id")
    assert len(d) == 3
    assert str(d.loc["K1", "avslutsdatum"].date()) == "2024-04-01"
    assert d.loc["K1", "avslutsorsak"] == "Studier" and d.loc["K1", "kon"] == "Kvinna"


def test_samma_lopnummer_med_och_utan_nollor_pa_tva_blad(tmp_path, capsys):
    """Löpnummer 7 (tal) på ett blad och "007" (text) på nästa är samma deltagande."""
    import openpyxl

    bok = openpyxl.Workbook()
    bok.remove(bok.active)
    for ar, id_, slut in (("2023", 7, None), ("2024", "007", dt.date(2024, 3, 1))):
        ark = bok.create_sheet(ar)
        ark.append(["Löpnr", "Startdatum", "Slutdatum", "Kön"])
        ark.append([id_, dt.date(2023, 5, 2), slut, "M"])
    fil = tmp_path / "nollor.xlsx"
    bok.save(fil)
    katalog = tmp_path / "data" / "nollor"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    assert "1 deltaganden står på flera blad" in capsys.readouterr().out
    d = _validera(katalog, capsys)
    assert len(d) == 1 and str(d["avslutsdatum"].iloc[0].date()) == "2024-03-01"


def test_datum_pa_ett_blad_med_avslut_ar_slutdatum(tmp_path, capsys):
    """Bladet "Avslutade" med bara "Datum": slutdatum som kopplas med id, inte nya deltagare."""
    import openpyxl

    bok = openpyxl.Workbook()
    bok.remove(bok.active)
    ark = bok.create_sheet("Inskrivna")
    ark.append(["Id", "Startdatum", "Kön"])
    for i in range(1, 5):
        ark.append([f"D{i}", dt.date(2024, 1, i * 3), "K"])
    ark = bok.create_sheet("Avslutade")
    ark.append(["Id", "Datum", "Orsak"])
    ark.append(["D1", dt.date(2024, 5, 1), "Arbete"])
    ark.append(["D2", dt.date(2024, 6, 1), "Studier"])
    fil = tmp_path / "avslutade.xlsx"
    bok.save(fil)
    katalog = tmp_path / "data" / "avslutade"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 0
    ut = capsys.readouterr().out
    assert "Datum → avslutsdatum (trolig)" in ut
    d = _validera(katalog, capsys)
    assert len(d) == 4
    assert int(d["avslutsdatum"].notna().sum()) == 2
    assert Counter(d["avslutsorsak"].dropna()) == {"Arbete": 1, "Studier": 1}
