"""finsam-analys ny: från förbundets egen fil till forbund.yaml, validera och rapport.

Förväntade antal räknas här direkt ur cellerna i exempelfilen (openpyxl och en handskriven
översättning av förbundets etiketter), aldrig med koden som prövas.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml

from finsam_analys.cli import main
from finsam_analys.indata.inlasning import las_forbund
from finsam_analys.indata.underlag import Forbundskonfig

ROT = Path(__file__).resolve().parent.parent
EXEMPEL = ROT / "data" / "exempel_egen_uppfoljning.xlsx"

# förbundets etiketter -> rapportens (skrivet för hand ur exempelfilens rullistor och bruk)
UTFALL = {
    "Arbete": "Arbete",
    "Arbete med stöd": "Arbete",
    "Studier": "Studier",
    "Annan insats": "Fortsatt arbetslivsinriktad rehabilitering",
    "Fortsatt rehabilitering": "Fortsatt arbetslivsinriktad rehabilitering",
    "Arbetssökande": "Aktivt arbetssökande",
    "Sjukersättning": "Sjuk- och aktivitetsersättning",
    "Annat": "Annat",
}
KON = {"K": "Kvinna", "k": "Kvinna", "Kvinna": "Kvinna", "M": "Man", "man": "Man", "Man": "Man"}


def _datum(v) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, int):
        return dt.date(1899, 12, 30) + dt.timedelta(days=v)
    for form in ("%Y-%m-%d", "%d/%m %Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(v, form).date()
        except ValueError:
            pass
    raise AssertionError(f"okänt datum i exempelfilen: {v!r}")


def _raa_deltaganden() -> list[dict]:
    """En post per deltagande, läst cell för cell ur exempelfilen."""
    bok = openpyxl.load_workbook(EXEMPEL, data_only=True)
    ut = []
    for blad, rubrikrad in (("Steget", 4), ("Lotsen", 3)):
        ark = bok[blad]
        rubriker = [c.value for c in ark[rubrikrad]]
        for rad in ark.iter_rows(min_row=rubrikrad + 1, values_only=True):
            post = dict(zip(rubriker, rad, strict=False))
            forsta = rad[0]
            if forsta is None and rad[1] is None:
                continue  # tom rad, eller raden "in/ut" under ORS
            if isinstance(forsta, str) and not forsta.startswith("L"):
                continue  # summa och anteckning under tabellen
            start = _datum(post.get("Start") or post.get("Startdatum"))
            slut = _datum(post.get("Slutdatum") or post.get("Avslutad"))
            orsak = post.get("Avslutsorsak") or post.get("Orsak till avslut")
            if blad == "Steget":
                avbrott = post["Avbrott (Ja/Nej)"] == "Ja" and slut is not None
            else:
                avbrott = bool(orsak) and orsak.startswith("Avbrutit")
            alder = post.get("Ålder") or post.get("Ålder vid start")
            ut.append(
                {
                    "insats": blad,
                    "start": start,
                    "slut": slut,
                    "kon": KON[post["Kön"]],
                    "alder": int(str(alder).removesuffix(" år")),
                    "avbrott": avbrott,
                    "orsak": orsak,
                }
            )
    return ut


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def ny_exempel(tmp_path_factory):
    """`ny` på exempelfilen (en gång för modulen); källfilens hash före och efter."""
    data = tmp_path_factory.mktemp("data")
    fore = _sha(EXEMPEL)
    kod = main(["ny", str(data / "exempel"), "--fran", str(EXEMPEL)])
    return data, kod, fore


def test_exempelfilen_har_fyra_blad_och_300_deltaganden():
    bok = openpyxl.load_workbook(EXEMPEL)
    assert bok.sheetnames == ["Läs först", "Steget", "Lotsen", "Listor"]
    assert len(_raa_deltaganden()) == 300
    assert {"L4:M4", "A1:N1"} <= {str(r) for r in bok["Steget"].merged_cells.ranges}


def test_exempelfilen_aterskapas_av_generatorn(tmp_path):
    from finsam_analys.indata.syntetiskt_egen import skriv_egen_uppfoljning

    ny = skriv_egen_uppfoljning(tmp_path / "x.xlsx", seed=14)
    a, b = openpyxl.load_workbook(EXEMPEL), openpyxl.load_workbook(ny)
    assert a.sheetnames == b.sheetnames
    for namn in a.sheetnames:
        assert [[c.value for c in r] for r in a[namn].iter_rows()] == [
            [c.value for c in r] for r in b[namn].iter_rows()
        ]
        assert sorted(map(str, a[namn].merged_cells.ranges)) == sorted(
            map(str, b[namn].merged_cells.ranges)
        )


def test_ny_skriver_konfig_och_bara_behovda_kolumner(ny_exempel, capsys):
    data, kod, fore = ny_exempel
    assert kod == 0
    assert _sha(EXEMPEL) == fore  # källfilen ändras aldrig
    katalog = data / "exempel"
    assert sorted(p.name for p in katalog.iterdir()) == ["deltagare.csv", "forbund.yaml"]
    text = (katalog / "forbund.yaml").read_text(encoding="utf-8")
    konfig, problem = Forbundskonfig.fran_dict(yaml.safe_load(text))
    assert problem == []
    assert konfig.namn == "Samordningsförbundet Exempeldalen"
    assert konfig.insatser == ("Steget", "Lotsen")
    assert konfig.perioder == ("2022", "2023", "2024")
    assert set(konfig.kommuner) == {"Exempelstad", "Norrby", "Söderby", "Åsby"}
    csv = (katalog / "deltagare.csv").read_text(encoding="utf-8")
    # fritext och handläggarnas initialer kopieras aldrig
    for text in ("Bra närvaro", "Ringt flera gånger", "Kommentar", "Handläggare", "Anteckningar"):
        assert text not in csv
    assert csv.count("\n") == 301


def test_ny_gissar_varje_kolumn_med_belagg(ny_exempel):
    data, _, _ = ny_exempel
    text = (data / "exempel" / "forbund.yaml").read_text(encoding="utf-8")
    kolumner = yaml.safe_load(text)["kolumner"]["deltagare"]
    assert kolumner == {
        "Löpnr": "deltagare_id", "ID": "deltagare_id",
        "Start": "inskrivningsdatum", "Startdatum": "inskrivningsdatum",
        "Slutdatum": "avslutsdatum", "Avslutad": "avslutsdatum",
        "Kön": "kon", "Ålder": "alder", "Ålder vid start": "alder",
        "Hemkommun": "folkbokforingskommun", "Kommun": "folkbokforingskommun",
        "Remitterad från": "remittent", "Remittent": "remittent",
        "Försörjning vid start": "forsorjning_in", "Försörjning in": "forsorjning_in",
        "Försörjning vid avslut": "forsorjning_ut", "Försörjning ut": "forsorjning_ut",
        "Avslutsorsak": "avslutsorsak", "Orsak till avslut": "avslutsorsak",
        "Avbrott (Ja/Nej)": "avslutstyp",
        "ORS in": "halsopoang_start", "ORS ut": "halsopoang_slut",
        "Uppföljning 6 mån": "uppfoljning_6_man",
        "Insats (bladets namn)": "insats", "Rad i egen fil": "kommentar",
    }  # fmt: skip
    # varje mappning har en kommentar med sitt belägg; de inte kopierade står som kommentarer
    for rad in text.split("kolumner:")[1].split("kategorier:")[0].splitlines():
        if rad.startswith('    "'):
            assert "  # " in rad, rad
    assert '# "Kommentar": (bladet Steget, 53 ifyllda) fritext' in text
    assert '# "Handläggare": (bladet Steget, 170 ifyllda) personuppgift' in text


def test_ny_oversatter_etiketterna_med_antal(ny_exempel):
    data, _, _ = ny_exempel
    text = (data / "exempel" / "forbund.yaml").read_text(encoding="utf-8")
    kategorier = yaml.safe_load(text)["kategorier"]
    raa = _raa_deltaganden()
    assert kategorier["deltagare.kon"] == {"K": "Kvinna", "k": "Kvinna", "M": "Man", "man": "Man"}
    antal_k = sum(1 for p in raa if p["insats"] == "Steget" and p["kon"] == "Kvinna")
    assert antal_k > 0
    for etikett, kod in UTFALL.items():
        if etikett != kod:
            assert kategorier["deltagare.avslutsorsak"][etikett] == kod
    assert kategorier["deltagare.avslutsorsak"]["Avbrott - sjukdom"] == "Ohälsa"
    assert kategorier["deltagare.avslutstyp"]["Ja"] == "Avbruten"
    assert kategorier["deltagare.avslutstyp"]["Avbrutit - flytt"] == "Avbruten"
    assert kategorier["deltagare.remittent"]["Soc"] == "Kommun"
    # antalet rader står i kommentaren
    bok = openpyxl.load_workbook(EXEMPEL)
    soc = sum(1 for b in ("Steget", "Lotsen") for r in bok[b].iter_rows(values_only=True)
              if r[6] == "Soc")  # fmt: skip
    assert f'"Soc": "Kommun"  # {soc} rader' in text


def test_validera_och_underlaget_stammer_med_raa_filen(ny_exempel, capsys):
    data, _, _ = ny_exempel
    assert main(["validera", str(data / "exempel")]) == 0
    assert "Inga problem hittades." in capsys.readouterr().out
    d = las_forbund(data / "exempel").tabell("deltagare")
    raa = _raa_deltaganden()
    assert len(d) == len(raa) == 300
    assert Counter(d["kon"]) == Counter(p["kon"] for p in raa)
    assert Counter(d["insats"]) == Counter(p["insats"] for p in raa)
    assert sorted(d["inskrivningsdatum"].dt.date) == sorted(p["start"] for p in raa)
    assert int(d["avslutstyp"].eq("Avbruten").sum()) == sum(p["avbrott"] for p in raa)


def _tabell(bok, titel: str) -> dict[str, tuple]:
    """Bladet vars namn är tabellens titel (Excel kortar namnen och kan lägga till perioden);
    tabellen börjar på rad 6 (titel, förbund och period, källa och enhet står ovanför)."""
    namn = next(n for n in bok.sheetnames if n == titel or n.startswith(f"{titel},"))
    ut = {}
    for r in bok[namn].iter_rows(min_row=7, values_only=True):
        if not r[0]:  # tabellen slutar; teckenförklaringen står under
            break
        ut[r[0]] = r[1:]
    return ut


@pytest.mark.langsam
def test_rapporten_raknar_som_handen(ny_exempel, capsys):
    """ny + validera + rapport utan handpåläggning; rapportens antal mot cellerna i filen."""
    data, _, _ = ny_exempel
    utdata = data.parent / "outputs"
    kod = main(
        ["rapport", "--forbund", "exempel", "--period", "2024", "--data", str(data),
         "--utdata", str(utdata), "--skapad", "2025-01-20"]
    )  # fmt: skip
    assert kod == 0, capsys.readouterr().err
    bok = openpyxl.load_workbook(utdata / "exempel" / "2024" / "tabeller.xlsx")
    start, slut = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    raa = _raa_deltaganden()
    deltagit = [p for p in raa if p["start"] <= slut and (p["slut"] is None or p["slut"] >= start)]
    avslutade = [p for p in deltagit if p["slut"] is not None and p["slut"] <= slut]
    fullfoljda = [p for p in avslutade if not p["avbrott"]]

    flode = _tabell(bok, "Deltagarflöde")
    assert flode["Deltagit under perioden"][0] == len(deltagit)
    assert flode["Nya under perioden"][0] == sum(p["start"] >= start for p in deltagit)
    assert flode["Avslut under perioden (fullföljda och avbrutna)"][0] == len(avslutade)
    assert flode["varav fullföljda"][0] == len(fullfoljda)
    assert flode["varav avbrutna"][0] == len(avslutade) - len(fullfoljda)
    per_insats = _tabell(bok, "Deltagarflöde per insats")  # en rad per insats
    blad = next(n for n in bok.sheetnames if n.startswith("Deltagarflöde per insats"))
    deltagit_kolumn = [c.value for c in bok[blad][6]].index("Deltagit under perioden") - 1
    assert (per_insats["Lotsen"][deltagit_kolumn], per_insats["Steget"][deltagit_kolumn]) == (
        sum(p["insats"] == "Lotsen" for p in deltagit),
        sum(p["insats"] == "Steget" for p in deltagit),
    )

    kon = _tabell(bok, "Kön")
    assert kon["Kvinnor"][0] == sum(p["kon"] == "Kvinna" for p in deltagit)
    assert kon["Män"][0] == sum(p["kon"] == "Man" for p in deltagit)

    hand = Counter(UTFALL[p["orsak"]] for p in fullfoljda)
    utfall = _tabell(bok, "Avslut per utfall")
    assert utfall.pop("Totalt", (len(fullfoljda),))[0] == len(fullfoljda)
    assert set(utfall) == set(hand)
    for kategori, (antal, *_) in utfall.items():
        if antal == "..":
            continue
        assert antal == hand[kategori], kategori
    maskade = {k for k, (a, *_) in utfall.items() if a == ".."}
    assert maskade >= {k for k, n in hand.items() if n < 5}
    assert sum(a for a, *_ in utfall.values() if a != "..") >= len(fullfoljda) - 10

    # åldern (ingen födelseårskolumn i filen) ger åldersgrupper; tomma kolumner ger inga tabeller
    alder = _tabell(bok, "Ålder vid inskrivning")
    assert "Uppgift saknas" not in alder
    assert alder["Under 25 år"][0] == sum(p["alder"] < 25 for p in deltagit)
    assert alder["50 år eller äldre"][0] == sum(p["alder"] >= 50 for p in deltagit)
    assert not [n for n in bok.sheetnames if n.startswith("Tid i offentlig")]
    nyckeltal = json.loads((utdata / "exempel" / "2024" / "nyckeltal.json").read_text("utf-8"))
    assert nyckeltal["nyckeltal"]["antal_deltagit"] == len(deltagit)


# ---------------------------------------------------------------------------
# Andra former än exempelfilen
# ---------------------------------------------------------------------------

CSV_EGEN = """Uppföljning Jobbspåret och Aktivera 2023;;;;;;;;;;;
;;;;;;;;;;;
Deltagar-ID;Insats;Inskrivningsdatum;Utskrivningsdatum;Kön (K/M);Födelseår;Bostadskommun;Anvisande aktör;Försörjningskälla;Resultat vid avslut;Aktivitet typ;Kommentarer
A-01;Jobbspåret;2023-01-10;2023-06-30;K;1990;Sala;AF;Aktivitetsstöd;Arbete;Praktik;Bra start
A-02;Jobbspåret;2023-02-01;;M;1985;Heby;FK;Sjukpenning;;Samtal;
A-03;Jobbspåret;2023-03-15;2023-09-01;K;1978;Sala;Soc;Försörjningsstöd;Cirkusartist;Praktik;
A-04;Aktivera;2023-01-20;2023-04-30;M;2000;Sala;Psykiatrin;Ingen ersättning;Avbrott - flytt;Samtal;Flyttade
A-05;Aktivera;15/2 2023;20/9 2023;K;1995;Heby;AF;A-kassa;Studier;Praktik;
A-06;Aktivera;2023-04-02;;K;1970;Sala;Socialtjänsten;Försörjningsstöd;Pågående;Samtal;
A-07;Jobbspåret;2023-05-05;2023-11-30;M;1988;Sala;AF;Aktivitetsstöd;Cirkusartist;Praktik;
"""  # noqa: E501


def _skriv_csv(katalog: Path) -> Path:
    fil = katalog / "uppfoljning_egen.csv"
    fil.write_bytes(CSV_EGEN.encode("cp1252"))
    return fil


def test_csv_med_insatskolumn_och_ett_okant_varde(tmp_path, capsys):
    kalla = _skriv_csv(tmp_path)
    katalog = tmp_path / "data" / "sala"
    namn = "Samordningsförbundet Sala"
    assert main(["ny", str(katalog), "--fran", str(kalla), "--namn", namn]) == 0
    ut = capsys.readouterr().out
    konfig = yaml.safe_load((katalog / "forbund.yaml").read_text(encoding="utf-8"))
    assert konfig["kolumner"]["deltagare"] == {
        "Deltagar-ID": "deltagare_id", "Insats": "insats",
        "Inskrivningsdatum": "inskrivningsdatum", "Utskrivningsdatum": "avslutsdatum",
        "Kön (K/M)": "kon", "Födelseår": "fodelsear", "Bostadskommun": "folkbokforingskommun",
        "Anvisande aktör": "remittent", "Försörjningskälla": "forsorjning_in",
        "Resultat vid avslut": "avslutsorsak", "Avslutstyp (ur Resultat vid avslut)": "avslutstyp",
        "Rad i egen fil": "kommentar",
    }  # fmt: skip
    assert konfig["insatser"] == ["Jobbspåret", "Aktivera"]
    assert konfig["kommuner"] == ["Sala", "Heby"]
    assert konfig["perioder"] == ["2023-01..2023-11"]  # senaste datum 2023-11-30
    # det okända värdet listas med antal, både i utskriften och i forbund.yaml
    assert 'Resultat vid avslut: "Cirkusartist" (2 rader)' in ut
    assert '"Aktivitet typ" (4 olika' not in ut  # inga värden ur okända kolumner skrivs ut
    assert '"Aktivitet typ" (7 ifyllda): ingen kolumn i datamodellen passar (2 olika värden)' in ut
    text = (katalog / "forbund.yaml").read_text(encoding="utf-8")
    assert '    # "Cirkusartist": ?  # 2 rader; INTE MAPPAD' in text
    # "Pågående" på en rad utan utskrivningsdatum betyder att deltagandet pågår
    assert "Pågående" not in (katalog / "deltagare.csv").read_text(encoding="utf-8")
    # validera säger vad som är fel; en rad i forbund.yaml rättar det
    assert main(["validera", str(katalog)]) == 2
    assert '"Cirkusartist"' in capsys.readouterr().err
    text = text.replace('    # "Cirkusartist": ?', '    "Cirkusartist": Annat  #')
    (katalog / "forbund.yaml").write_text(text, encoding="utf-8")
    assert main(["validera", str(katalog)]) == 0
    d = las_forbund(katalog).tabell("deltagare")
    orsaker = {"Arbete": 1, "Annat": 2, "Flytt": 1, "Studier": 1}
    assert Counter(d["avslutsorsak"].dropna()) == orsaker
    assert Counter(d["avslutstyp"].dropna()) == {"Fullföljd": 4, "Avbruten": 1}
    assert Counter(d["remittent"]) == {"AF": 3, "Kommun": 2, "FK": 1, "Region": 1}
    assert d["inskrivningsdatum"].dt.strftime("%Y-%m-%d").tolist()[4] == "2023-02-15"


def test_ny_igen_behaller_anvandarens_val(tmp_path, capsys):
    kalla = _skriv_csv(tmp_path)
    katalog = tmp_path / "data" / "sala"
    assert main(["ny", str(katalog), "--fran", str(kalla)]) == 0
    text = (katalog / "forbund.yaml").read_text(encoding="utf-8")
    konfig = yaml.safe_load(text)
    konfig["namn"] = "Samordningsförbundet i Sala"
    konfig["kolumner"]["deltagare"]["Aktivitet typ"] = "inriktning"
    konfig["kategorier"]["deltagare.avslutsorsak"] = {"Cirkusartist": "Arbete"}
    (katalog / "forbund.yaml").write_text(yaml.safe_dump(konfig, allow_unicode=True), "utf-8")
    assert main(["ny", str(katalog), "--fran", str(kalla)]) == 0
    konfig = yaml.safe_load((katalog / "forbund.yaml").read_text(encoding="utf-8"))
    assert konfig["namn"] == "Samordningsförbundet i Sala"
    assert konfig["kolumner"]["deltagare"]["Aktivitet typ"] == "inriktning"
    assert konfig["kategorier"]["deltagare.avslutsorsak"]["Cirkusartist"] == "Arbete"
    capsys.readouterr()
    assert main(["validera", str(katalog)]) == 0
    d = las_forbund(katalog).tabell("deltagare")
    assert Counter(d["inriktning"]) == {"Praktik": 4, "Samtal": 3}


def _skriv_arsblad(fil: Path) -> Path:
    """Ett blad per år, inget id, datum som text i flera former och som Excel-tal."""
    bok = openpyxl.Workbook()
    bok.remove(bok.active)
    rader = {
        "2023": [
            ("5/3-23", "1.9.2023", "Kvinna", 34, "Ja", "Arbete"),
            (44990, None, "Man", 41, None, None),
            ("2023-06-01", "2023-12-15", "Vet ej", 29, "Nej", "Sjukdom"),
        ],
        "2024": [
            (dt.datetime(2024, 1, 8), "20240630", "Man", 52, "Ja", "Studier"),
            ("8 feb 2024", None, "Kvinna", 23, None, None),
        ],
    }
    for namn, data in rader.items():
        ark = bok.create_sheet(namn)
        ark.append([f"Deltagare {namn}"])
        ark.append(["Datum in", "Datum ut", "Kön", "Ålder", "Fullföljt (J/N)", "Orsak"])
        for r in data:
            ark.append(list(r))
    dolt = bok.create_sheet("Gammalt")
    dolt.append(["Datum in", "Kön"])
    dolt.append(["2020-01-01", "K"])
    dolt.sheet_state = "hidden"
    bok.save(fil)
    return fil


def test_ett_blad_per_ar_utan_id(tmp_path, capsys):
    kalla = _skriv_arsblad(tmp_path / "deltagare_per_ar.xlsx")
    katalog = tmp_path / "norrby"
    assert main(["ny", str(katalog), "--fran", str(kalla), "--insats", "Lotsen"]) == 0
    ut = capsys.readouterr().out
    assert 'Hoppade över bladet "Gammalt": bladet är dolt.' in ut
    assert "ingen kolumn med deltagarens id" in ut
    konfig = yaml.safe_load((katalog / "forbund.yaml").read_text(encoding="utf-8"))
    assert konfig["insatser"] == ["Lotsen"]
    assert konfig["perioder"] == ["2023", "2024-01..2024-06"]
    assert konfig["kategorier"]["deltagare.kon"] == {"Vet ej": None}
    assert konfig["kategorier"]["deltagare.avslutstyp"] == {"Ja": "Fullföljd", "Nej": "Avbruten"}
    assert main(["validera", str(katalog)]) == 0
    d = las_forbund(katalog).tabell("deltagare").sort_values("inskrivningsdatum")
    assert d["inskrivningsdatum"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-03-05", "2023-03-05", "2023-06-01", "2024-01-08", "2024-02-08"
    ]  # fmt: skip
    assert d["deltagare_id"].nunique() == 5
    assert d["kon"].isna().sum() == 1
    assert Counter(d["avslutsorsak"].dropna()) == {"Arbete": 1, "Ohälsa": 1, "Studier": 1}


def test_personnummer_stoppar_ny_utan_att_visas(tmp_path, capsys):
    fil = tmp_path / "egen.xlsx"
    bok = openpyxl.Workbook()
    ark = bok.active
    ark.title = "Team"
    ark.append(["Start", "Kön", "Kommentar"])
    ark.append(["2023-01-05", "K", "pnr 19121212-1212 enligt remissen"])
    bok.save(fil)
    katalog = tmp_path / "pn"
    assert main(["ny", str(katalog), "--fran", str(fil)]) == 2
    fel = capsys.readouterr()
    assert "personnummer" in fel.err and 'bladet "Team"' in fel.err and "rad 2" in fel.err
    assert "1212" not in fel.err + fel.out
    assert not katalog.exists()


def test_ny_skriver_inte_over_en_annan_katalog(tmp_path, capsys):
    katalog = tmp_path / "vasteras"
    shutil.copytree(ROT / "data" / "vasteras", katalog)
    fore = {str(p): _sha(p) for p in katalog.rglob("*") if p.is_file()}
    assert main(["ny", str(katalog), "--fran", str(EXEMPEL)]) == 2
    assert "innehåller redan andra filer" in capsys.readouterr().err
    assert {str(p): _sha(p) for p in katalog.rglob("*") if p.is_file()} == fore


def test_fil_utan_deltagare_ger_svenskt_fel(tmp_path, capsys):
    fil = tmp_path / "lista.csv"
    fil.write_text("Kön;Remittent\nKvinna;AF\nMan;FK\n", encoding="utf-8")
    assert main(["ny", str(tmp_path / "x"), "--fran", str(fil)]) == 2
    assert "hittade ingen tabell med deltagare" in capsys.readouterr().err
    assert main(["ny", str(tmp_path / "x"), "--fran", str(EXEMPEL), "--blad", "Saknas"]) == 2
    assert 'bladet "Saknas" finns inte' in capsys.readouterr().err
    assert main(["ny", str(tmp_path / "Stora Bokstäver"), "--fran", str(EXEMPEL)]) == 2
    assert "små bokstäver" in capsys.readouterr().err


def test_exempelfilen_stor_inte_batchen():
    """Den lösa råfilen i data/ är inget förbund: batchen planerar bara katalogerna."""
    from finsam_analys.korning.batch import planera_batch

    uppgifter, misslyckade = planera_batch(ROT / "data")
    assert misslyckade == []
    assert {f for f, _ in uppgifter} == {"exempelforbund", "sodra_dalarna", "vasteras"}
