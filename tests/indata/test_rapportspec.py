"""Rapportspecifikationen (``rapport.yaml``) och löptexten: läsning och kontroller.

Västerås 2019 har en specifikation ordnad som den tryckta årsrapporten (fyra målområden,
viktiga händelser, resultatanalys); fel samlas alla på en gång, med fil och rad.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest

from finsam_analys.indata.inlasning import InlasningsFel, las_forbund
from finsam_analys.indata.rapportspec import (
    AVSNITT,
    Periodspec,
    hanvisningar,
    okanda_hanvisningar,
    tolka_rapportspec,
)

MAL = pd.DataFrame(
    {
        "insats": ["SOT", "SOT", "SOT"],
        "indikator": ["andel_arbete", "andel_studier", "aterbetalningstid"],
        "period": ["2019", "2019", "2019"],
    }
)


def _tolka(text: str, katalog: Path, **kw):
    args = {"perioder": ["2019", "2021-01..2021-08"], "insatser": ["SOT", "MAC"],
            "forbundsnamn": "Samordningsförbundet Västerås", "mal": MAL}  # fmt: skip
    args.update(kw)
    return tolka_rapportspec(text, katalog=katalog, **args)


def _texter(problem) -> list[str]:
    return [p.text() for p in problem]


# --------------------------------------------------------------------- Västerås 2019


def test_vasteras_2019_ordnad_som_den_tryckta_rapporten(underlag_vasteras):
    spec = underlag_vasteras.rapportspec.for_period("2019")
    assert spec.titel == "Samordningsteam Västerås – Årsrapport 2019"
    assert spec.slag == "arsrapport" and spec.avser == "Samordningsteam Västerås"
    malomraden = [d for d in spec.delar if d.ar_malomrade]
    assert [d.rubrik.split(":")[0] for d in malomraden] == [f"Målområde {i}" for i in range(1, 5)]
    assert [m.indikator for m in malomraden[0].mal] == [
        "andel_arbete", "andel_studier", "andel_fortsatt_rehabilitering"
    ]  # fmt: skip
    assert malomraden[0].avsnitt == ("avslut",) and malomraden[1].avsnitt == ("halsa",)
    assert malomraden[2].mal[0].text.startswith("Ekonomi i balans")
    rubriker = [d.rubrik or (d.text.rubrik if d.text else "") for d in spec.delar]
    assert rubriker[-3:-1] == ["Viktiga händelser under året", "Resultatanalys"]
    assert spec.delar[-1].avsnitt == ("om_underlaget",)
    # talen i resultatanalysen är hänvisningar till räknade tal
    resultatanalys = spec.delar[-2].text
    assert resultatanalys.fil == "text/2019/resultatanalys.md"
    assert {h.nyckel for h in resultatanalys.hanvisningar} == {
        "antal_deltagit", "antal_avslut", "antal_avbrott"
    }  # fmt: skip
    # radnumret är filens (rubriken på rad 1, hänvisningarna i stycket på rad 13)
    rad = Path("data/vasteras", resultatanalys.fil).read_text(encoding="utf-8").split("\n")
    assert all("{{" + h.nyckel + "}}" in rad[h.rad - 1] for h in resultatanalys.hanvisningar)


def test_vasteras_2021_ekonomin_forst(underlag_vasteras):
    spec = underlag_vasteras.rapportspec.for_period("2021-01..2021-08")
    assert spec.titel == "Samordningsförbundet Västerås – Delårsrapport januari–augusti 2021"
    assert [d.avsnitt for d in spec.delar] == [
        ("ekonomi",), ("helarsekvivalenter",), ("sammanfattning", "deltagare", "samhallsnytta"),
        ("granskning",), ("om_underlaget",),
    ]  # fmt: skip


def test_forbund_utan_rapport_yaml(underlag_avesta, underlag_exempel):
    assert underlag_avesta.rapportspec is None and underlag_exempel.rapportspec is None


# ------------------------------------------------------------------------ formatet


def test_titel_slag_och_godkannande(tmp_path):
    spec, problem = _tolka(
        '"2021-01..2021-08":\n  godkand: {datum: 2021-10-14, paragraf: "§ 42"}\n'
        'alla:\n  slag: Verksamhetsberättelse\n',
        tmp_path,
    )
    assert problem == []
    delar = spec.for_period("2021-01..2021-08")
    assert delar.titel == (
        "Samordningsförbundet Västerås – Verksamhetsberättelse januari–augusti 2021"
    )
    assert delar.godkannande == "Godkänd av förbundsstyrelsen 2021-10-14, § 42"
    helar = spec.for_period("2019")
    assert helar.slag == "verksamhetsberattelse" and helar.godkannande == ""
    assert helar.delar == ()  # inget innehåll: standardavsnitten


def test_standardslag_efter_periodens_langd(tmp_path):
    spec, _ = _tolka('alla: {avser: MAC}\n', tmp_path)
    assert spec.for_period("2019").titel == "MAC – Årsrapport 2019"
    assert spec.for_period("2021-01..2021-08").titel == "MAC – Delårsrapport januari–augusti 2021"


def test_egen_titel_med_period(tmp_path):
    spec, _ = _tolka('alla: {titel: "Uppföljning av SOT, {period}"}\n', tmp_path)
    assert spec.for_period("2021-01..2021-08").titel == "Uppföljning av SOT, januari–augusti 2021"


def test_text_per_period_ur_alla(tmp_path):
    for kat in ("2019", "2021-01_2021-08"):
        (tmp_path / "text" / kat).mkdir(parents=True)
        (tmp_path / "text" / kat / "handelser.md").write_text(
            f"# Viktiga händelser\n\nUnder {kat} avslutades {{{{antal_avslut}}}}.\n",
            encoding="utf-8",
        )
    spec, problem = _tolka(
        "alla:\n  innehall:\n    - text: text/{period}/handelser.md\n    - avslut\n", tmp_path
    )
    assert problem == []
    delar = spec.for_period("2021-01..2021-08").delar
    assert delar[0].text.fil == "text/2021-01_2021-08/handelser.md"
    assert delar[0].text.rubrik == "Viktiga händelser"
    assert delar[0].text.markdown == "Under 2021-01_2021-08 avslutades {{antal_avslut}}.\n"
    assert [(h.nyckel, h.rad) for h in delar[0].text.hanvisningar] == [("antal_avslut", 3)]
    assert delar[1].avsnitt == ("avslut",)


def test_rubrik_i_spec_gar_fore_filens(tmp_path):
    (tmp_path / "a.md").write_text("# Filens rubrik\n\nText.\n", encoding="utf-8")
    spec, _ = _tolka('"2019":\n  innehall:\n    - {rubrik: Egen, text: a.md}\n', tmp_path)
    d = spec.for_period("2019").delar[0]
    assert d.rubrik == "Egen" and d.text.rubrik == "" and d.text.markdown == "Text.\n"


def test_mal_ur_maltabellen_och_i_ord(tmp_path):
    spec, problem = _tolka(
        '"2019":\n  innehall:\n    - rubrik: Målområde 1\n'
        "      mal: [andel_arbete, 'andel_studier:SOT', {text: Budget i balans}]\n",
        tmp_path,
    )
    assert problem == []
    mal = spec.for_period("2019").delar[0].mal
    assert [(m.indikator, m.insats, m.text) for m in mal] == [
        ("andel_arbete", "SOT", ""), ("andel_studier", "SOT", ""), ("", "", "Budget i balans")
    ]  # fmt: skip


def test_alla_fel_pa_en_gang_med_rad(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.md").write_text(
        "Stycke.\n\n{{antal_avslut | procnt}} och {{ }} och {{antal_avbrott\n", encoding="utf-8"
    )
    text = (
        '"2019":\n'  # 1
        "  slag: halvårsrapport\n"  # 2
        "  avser: Okänd insats\n"  # 3
        "  rubrk: x\n"  # 4
        "  godkand: {datum: igår}\n"  # 5
        "  innehall:\n"  # 6
        "    - ekonmi\n"  # 7
        "    - mal: [andel_arbtee]\n"  # 8
        "      rubrik: M\n"  # 9
        "    - text: text/a.md\n"  # 10
        "    - text: text/saknas.md\n"  # 11
        "    - text: ../forbund.yaml\n"  # 12
        '"2020": {}\n'  # 13
    )
    spec, problem = _tolka(text, tmp_path)
    assert spec is None
    t = _texter(problem)
    assert t == [
        'rapport.yaml, rad 13: perioden "2020" finns inte bland förbundets perioder; '
        "förväntade en av: 2019, 2021-01..2021-08 (perioder i forbund.yaml)",
        'rapport.yaml, rad 4: okänd nyckel "rubrk"; förväntade en av: slag, titel, avser, '
        "godkand, innehall",
        'rapport.yaml, rad 2: okänt slag "halvårsrapport" – menade du "årsrapport"?; '
        "förväntade ett av: årsrapport, "
        "delårsrapport, verksamhetsberättelse, uppföljningsrapport",
        'rapport.yaml, rad 3: rapporten avser "Okänd insats", som varken är förbundet eller '
        "en av dess insatser; förväntade en insats ur forbund.yaml (SOT, MAC) eller "
        "ingenting (hela förbundet)",
        'rapport.yaml, rad 5: "godkand.datum" ska vara ett datum; förväntade ÅÅÅÅ-MM-DD, '
        "t.ex. 2024-02-15",
        'rapport.yaml, rad 7: okänt avsnitt "ekonmi" – menade du "ekonomi"?; förväntade ett '
        "av: " + ", ".join(AVSNITT),
        'rapport.yaml, rad 8: målet "andel_arbtee" finns inte i måltabellen för 2019 – menade '
        'du "andel_arbete"?; förväntade en av: andel_arbete, andel_studier, aterbetalningstid',
        "text/a.md, rad 3: en hänvisning börjar med {{ men slutar inte med }} på samma rad; "
        "förväntade {{nyckel}} eller {{nyckel | format}}",
        'text/a.md, rad 3: okänt format "procnt" i {{antal_avslut | procnt}} – menade du '
        '"procent"?; förväntade ett av: antal, tal, tal1, tal2, procent, procent1, '
        "procentenheter",
        "text/a.md, rad 3: hänvisningen {{ }} saknar nyckel; förväntade ett nyckeltals "
        "nyckel, t.ex. {{antal_avslut}}",
        'rapport.yaml, rad 11: filen "text/saknas.md" finns inte; förväntade en Markdown-fil '
        f"i {tmp_path.name}/text/",
        'rapport.yaml, rad 12: "../forbund.yaml" är ingen Markdown-fil; förväntade en fil som '
        "slutar på .md",
    ]


@pytest.mark.parametrize(
    ("namn", "orsak"),
    [
        ("../annat/a.md", "sökvägen får inte gå utanför förbundets katalog"),
        ("/etc/a.md", "sökvägen ska vara relativ"),
        (".dold.md", "sökvägen får inte gå utanför förbundets katalog eller till dolda filer"),
    ],
)
def test_text_bara_i_forbundets_katalog(tmp_path, namn, orsak):
    (tmp_path / "annat").mkdir()
    (tmp_path / "annat" / "a.md").write_text("x", encoding="utf-8")
    katalog = tmp_path / "forbund"
    katalog.mkdir()
    _, problem = _tolka(f'"2019": {{innehall: [{{text: "{namn}"}}]}}', katalog)
    assert len(problem) == 1 and orsak in problem[0].text()


def test_symbolisk_lank_ut_ur_katalogen(tmp_path):
    (tmp_path / "hemlig.md").write_text("x", encoding="utf-8")
    katalog = tmp_path / "forbund"
    katalog.mkdir()
    (katalog / "a.md").symlink_to(tmp_path / "hemlig.md")
    _, problem = _tolka('"2019": {innehall: [{text: a.md}]}', katalog)
    assert [p.meddelande for p in problem] == ['"a.md": sökvägen pekar utanför förbundets katalog']


def test_yaml_utan_alias_och_dubbla_nycklar(tmp_path):
    _, problem = _tolka('alla: &a {slag: årsrapport}\n"2019": *a\n', tmp_path)
    assert _texter(problem) == [
        "rapport.yaml, rad 1: ankare och alias (& och *) är inte tillåtna; förväntade giltig "
        "YAML (nyckel: värde, listor som [a, b])"
    ]
    _, problem = _tolka('"2019": {slag: årsrapport}\n"2019": {}\n', tmp_path)
    assert "står två gånger" in problem[0].text() and problem[0].rader == (2,)


def test_personnummer_i_texten_stoppar(tmp_path):
    (tmp_path / "a.md").write_text("Deltagaren 19121212-1212 slutade.\n", encoding="utf-8")
    _, problem = _tolka('"2019": {innehall: [{text: a.md}]}', tmp_path)
    assert problem[0].kod == "personnummer" and "1212" not in problem[0].text()


def test_okanda_hanvisningar_med_fil_rad_och_forslag(tmp_path):
    (tmp_path / "a.md").write_text("# R\n\nA {{antal_avslut}}.\nB {{antal_avbrot}}.\n", "utf-8")
    spec, _ = _tolka('"2019": {innehall: [{text: a.md}]}', tmp_path)
    problem = okanda_hanvisningar(spec.for_period("2019"), ["antal_avslut", "antal_avbrott"])
    assert _texter(problem) == [
        'a.md, rad 4: okänd hänvisning {{antal_avbrot}} – menade du "antal_avbrott"?; '
        "förväntade nyckeln till ett av rapportens nyckeltal (se nyckeltal.json)"
    ]


def test_hanvisningar_med_mellanslag_och_kolon():
    h = hanvisningar("{{ andel_forbattrad_halsa:januari–maj 2019 | procent1 }}", forsta_rad=7)
    assert [(x.nyckel, x.format, x.rad) for x in h] == [
        ("andel_forbattrad_halsa:januari–maj 2019", "procent1", 7)
    ]


def test_avsnitten_ar_rapportens_sektioner():
    from finsam_analys.rapport import SEKTIONER

    assert tuple(AVSNITT) == SEKTIONER


# ---------------------------------------------------------------- genom inläsningen


def test_fel_i_rapport_yaml_listas_med_ovriga_indatafel(tmp_path):
    katalog = tmp_path / "vasteras"
    shutil.copytree("data/vasteras", katalog)
    spec = (katalog / "rapport.yaml").read_text(encoding="utf-8")
    (katalog / "rapport.yaml").write_text(spec.replace("avsnitt: halsa", "avsnitt: hälsa"),
                                          encoding="utf-8")  # fmt: skip
    with pytest.raises(InlasningsFel) as fel:
        las_forbund(katalog)
    assert [p.text() for p in fel.value.problem] == [
        f'rapport.yaml, rad {spec[: spec.index("avsnitt: halsa")].count(chr(10)) + 1}: okänt '
        'avsnitt "hälsa" – menade du "halsa"?; förväntade ett av: ' + ", ".join(AVSNITT)
    ]


def test_periodspec_texter_i_ordning():
    from finsam_analys.indata.rapportspec import Del, Text

    a, b, c = (Text(f"{x}.md", "", "") for x in "abc")
    spec = Periodspec("2019", "arsrapport", "T", delar=(Del(text=a, kommentar=b), Del(text=c)))
    assert [t.fil for t in spec.texter()] == ["a.md", "b.md", "c.md"]
    assert dataclasses.replace(spec, delar=()).texter() == ()
