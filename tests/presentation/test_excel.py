"""tabeller.xlsx redo att klistra in: talformat per mått, rapportens avrundade värden, titel-,
käll- och enhetsrader, låst rubrikrad, teckenförklaring och bladnamn vid ordslut."""

from __future__ import annotations

import pandas as pd
import pytest

from finsam_analys.presentation import excel
from finsam_analys.rapport import rapportens_tabellobjekt, sammanstall_rapport
from finsam_analys.rapport.gemensamt import sekretessregler
from finsam_analys.tabell import Kolumn, Storhet, Tabell

RAPPORTER = (
    ("underlag_vasteras", "2019"),
    ("underlag_vasteras", "2021-01..2021-08"),
    ("underlag_avesta", "2015-07..2016-06"),
    ("underlag_exempel", "2024"),
    ("underlag_exempel", "2025-01..2025-08"),
)


def _flyttalsrest(varde: float) -> bool:
    """Sant för 0.7000000000000011 och 0.35700000000000004 (ett avrundat tal har få siffror)."""
    return len(repr(float(varde)).split(".")[-1].rstrip("0")) > 6


@pytest.fixture(scope="module", params=RAPPORTER, ids=[f"{u[9:]}-{p}" for u, p in RAPPORTER])
def bok_och_tabeller(request):
    underlag = request.getfixturevalue(request.param[0])
    rapport = sammanstall_rapport(underlag, request.param[1])
    tabeller = rapportens_tabellobjekt(rapport.sektioner)
    bok = excel.arbetsbok(tabeller, forbund=underlag.konfig.namn, period=rapport.period,
                          sekretess=sekretessregler(underlag))  # fmt: skip
    return bok, tabeller


def test_varje_andel_har_procentformat_och_inga_flyttalsrester(bok_och_tabeller):
    bok, tabeller = bok_och_tabeller
    assert len(bok.sheetnames) == len(tabeller)
    andelar = 0
    for blad, tabell in zip(bok.worksheets, tabeller.values(), strict=True):
        assert isinstance(tabell, Tabell)
        for j, kolumn in enumerate(tabell.kolumner, start=1):
            for i in range(len(tabell.data)):
                cell = blad.cell(7 + i, j)
                if isinstance(cell.value, float):
                    assert not _flyttalsrest(cell.value), (blad.title, kolumn.namn, cell.value)
                if kolumn.matt == "andel" and isinstance(cell.value, (int, float)):
                    assert "%" in cell.number_format, (blad.title, kolumn.namn)
                    andelar += 1
                if kolumn.matt in ("antal", "belopp") and isinstance(cell.value, int):
                    assert cell.number_format.startswith("#,##0"), (blad.title, kolumn.namn)
    assert andelar > 0


def test_bladets_huvud_och_last_rubrikrad(bok_och_tabeller):
    bok, tabeller = bok_och_tabeller
    for blad, (namn, tabell) in zip(bok.worksheets, tabeller.items(), strict=True):
        assert blad["A1"].value == namn and blad["A1"].font.b
        assert blad["A3"].value.startswith("Källa: ")
        assert blad.freeze_panes == "A7"
        assert all(blad.cell(6, j).font.b for j in range(1, len(tabell.kolumner) + 1))
        assert len(blad.title) <= 31 and blad.title == blad.title.strip()


def test_delar_av_en_helhet_summerar_till_hundra_procent_i_excel():
    # 1/3 var: 33 + 33 + 33 = 99 utan största resten; rapportens visning ger 34 + 33 + 33
    from finsam_analys.presentation.avrundning import avrunda_tabell

    t = avrunda_tabell(Tabell.fordelning(pd.Series({"A": 1, "B": 1, "C": 1}), namn="t",
                                         titel="T", bas=Storhet.av("x"), dimension="d",
                                         kategorirubrik="K", totalrad=False))  # fmt: skip
    blad = excel.arbetsbok({"T": t}).active
    assert sum(blad.cell(7 + i, 3).value for i in range(3)) == pytest.approx(1.0)


def test_teckenforklaring_for_maskade_varden():
    from types import SimpleNamespace

    t = Tabell(
        namn="t",
        titel="Avbrott per orsak",
        data=pd.DataFrame({"Orsak": ["Ohälsa", "Annat"], "Antal": [12, 3]}),
        kolumner=(Kolumn("Orsak"), Kolumn("Antal", "antal")),
        visning=pd.DataFrame({"Orsak": ["Ohälsa", "Annat"], "Antal": [12, ".."]}, dtype=object),
    )
    regler = SimpleNamespace(troskel=5, namnare_troskel=10)
    blad = excel.arbetsbok({"x": t}, sekretess=regler).active
    assert blad["B8"].value == ".."
    texter = [c.value for c in blad["A"] if isinstance(c.value, str)]
    forklaring = next(x for x in texter if x.startswith(".."))
    assert "färre än 5 personer" in forklaring and "färre än 10 i nämnaren" in forklaring


@pytest.mark.parametrize(
    ("kolumn", "varde", "format_"),
    [
        (Kolumn("Andel", "andel", decimaler=1), 0.127, "0.0\\ %"),
        (Kolumn("Utfall", "belopp", enhet="tkr"), -2155, '#,##0;"−"#,##0'),
        (Kolumn("HÅE", "hae"), 13451, '#,##0;"−"#,##0'),
        (Kolumn("Poäng", "poang"), 3.5, '#,##0.0;"−"#,##0.0'),
        (Kolumn("Månader", "manader"), 24.0, '#,##0.0;"−"#,##0.0'),
    ],
)
def test_talformat_per_matt(kolumn, varde, format_):
    assert excel.excelvarde(varde, kolumn) == (varde, format_)


def test_titelns_och_rubrikradens_format_i_varje_blad(bok_och_tabeller):
    """Formaten kopieras från den första cellen av samma slag: varje blad ska ändå ha titeln
    i 13 punkter fetstil och rubrikraden fet, skuggad och ställd efter kolumnens slag."""
    bok, tabeller = bok_och_tabeller
    for blad, tabell in zip(bok.worksheets, tabeller.values(), strict=True):
        assert blad["A1"].font.b and blad["A1"].font.sz == 13
        for j, kolumn in enumerate(tabell.kolumner, start=1):
            cell = blad.cell(excel._FORSTA_RAD, j)
            assert cell.font.b and cell.fill.fgColor.rgb.endswith(excel._RUBRIKFARG)
            assert cell.alignment.wrap_text and cell.alignment.vertical == "bottom"
            assert cell.alignment.horizontal == ("right" if kolumn.ar_tal else "left")


def test_som_bytes_ger_samma_delar_som_openpyxl(bok_och_tabeller, monkeypatch):
    """Bladen skrivna i minnet: samma delar byte för byte och samma zip-poster (utom tiden) som
    ``Workbook.save``; i en oprövad openpyxl-version sparar openpyxl själv."""
    import io
    import zipfile

    _, tabeller = bok_och_tabeller

    def ny_bok():
        return excel.arbetsbok(tabeller, forbund="F", period="2019")

    vanlig = io.BytesIO()
    ny_bok().save(vanlig)
    a, b = zipfile.ZipFile(vanlig), zipfile.ZipFile(io.BytesIO(excel.som_bytes(ny_bok())))
    assert a.namelist() == b.namelist()
    for x, y in zip(a.infolist(), b.infolist(), strict=True):
        assert (x.compress_type, x.external_attr, x.create_system, x.flag_bits) == (
            y.compress_type, y.external_attr, y.create_system, y.flag_bits)
        if x.filename != "docProps/core.xml":  # tiden då filen sparades
            assert a.read(x) == b.read(y), x.filename
    anrop = []
    monkeypatch.setattr(excel, "_PROVAD_OPENPYXL", "0.0.")
    bok = ny_bok()
    monkeypatch.setattr(bok, "save", lambda f: anrop.append(f))
    excel.som_bytes(bok)
    assert len(anrop) == 1
