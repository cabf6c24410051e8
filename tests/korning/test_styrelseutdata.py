"""Det förbundet lämnar till sin styrelse: Word, PDF, Excel, CSV och index, utskrift och
tillgänglighet, för varje inbäddat förbunds rapporter (en batch för hela modulen).

* ``rapport.docx`` för varje rapport: samma rubriker som HTML-rapporten (text och ordning),
  tabeller med rubrikrad, alt-text på varje diagram, svenska som språk;
* ``rapport.pdf`` (Chromium): Västerås 2019 högst 10 A4-sidor (9 med de tryckta
  tabellerna), och i utskriftens layout är ingen tabell eller figur bredare än sidans skrivbara yta;
* ``tabeller.xlsx``: procentformat i varje andelskolumn, inga flyttalsrester; CSV för svensk
  Excel;
* ``index.html`` länkar webbsida, Word, PDF, Excel och nyckeltal, och märker det syntetiska
  förbundet;
* axe-core (WCAG 2.1 A och AA) i Chromium på varje rapport, jämförelsen och index: inga fel.
  axe-core installeras av testet med ``npm ci`` ur ``tests/axe/package-lock.json`` (i en
  tillfällig katalog), så en ny klon behöver inget mer än ``make test``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from finsam_analys.korning import batch as korning
from finsam_analys.korning import webblasare
from finsam_analys.presentation import word

pytestmark = pytest.mark.langsam

ROT = Path(__file__).resolve().parents[2]
DATA = ROT / "data"
AXE = ROT / "tests" / "axe"
RAPPORTER = (
    "exempelforbund/2024",
    "exempelforbund/2025-01_2025-08",
    "sodra_dalarna/2015-07_2016-06",
    "vasteras/2019",
    "vasteras/2021-01_2021-08",
)
A4_SKRIVBAR_BREDD_PX = (210 - 2 * 14) / 25.4 * 96  # @page-marginalerna i utskriftsstilen
A4_LIGGANDE_BREDD_PX = (297 - 2 * 14) / 25.4 * 96  # @page liggande
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _chromium() -> str:
    """Chromium, installerad med apt-get om den saknas (som tests/test_webblasare.py)."""
    import os

    sokvag = webblasare.hitta_chromium()
    if sokvag:
        return sokvag
    if os.geteuid() != 0:  # pragma: no cover - CI och utvecklarmaskiner kör som root
        pytest.fail("chromium saknas och kan inte installeras utan root (apt-get install chromium)")
    miljo = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=miljo, capture_output=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=miljo, capture_output=True
    )
    sokvag = webblasare.hitta_chromium()
    assert sokvag, "apt-get install chromium gav ingen chromium"
    return sokvag


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium()


@pytest.fixture(scope="module")
def utdata(tmp_path_factory, chromium) -> Path:
    ut = tmp_path_factory.mktemp("styrelseutdata")
    resultat = korning.kor_batch(
        data_katalog=DATA, utdata_katalog=ut, skapad="2026-01-31", jamforelse=True, pdf=True,
        inrapportering_katalog=ut / "inrapportering",
    )
    assert all(r.lyckades for r in resultat), korning.sammanfattning(resultat)
    return ut


@pytest.fixture(scope="module")
def axe_js(tmp_path_factory) -> str:
    """axe-core ur ``tests/axe/package-lock.json``, installerad med ``npm ci`` i en tillfällig
    katalog."""
    import os

    npm = shutil.which("npm")
    if npm is None and os.geteuid() == 0:  # som chromium: installeras när den saknas
        miljo = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=miljo, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "npm"], check=True, env=miljo,
                       capture_output=True)  # fmt: skip
        npm = shutil.which("npm")
    if npm is None:  # pragma: no cover - npm finns där testerna körs
        pytest.fail("npm saknas (apt-get install npm); axe-core installeras med npm ci")
    katalog = tmp_path_factory.mktemp("axe")
    for fil in ("package.json", "package-lock.json"):
        shutil.copy(AXE / fil, katalog / fil)
    kord = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=katalog, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert kord.returncode == 0, kord.stderr[-2000:]
    return (katalog / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def _html_rubriker(sida: str) -> list[tuple[int, str]]:
    """Rubrikerna (h1–h6) i HTML-rapportens innehåll, nivån räknad från 0 för titeln."""
    innehall = sida[sida.index("<main>") :]
    traffar = re.findall(r"<h([1-6])(?:\s[^>]*)?>(.*?)</h\1>", innehall, flags=re.S)
    return [(int(n) - 1, html.unescape(re.sub(r"<[^>]+>", "", t)).strip()) for n, t in traffar]


# ------------------------------------------------------------------------------ Word


def test_word_for_varje_rapport_med_samma_rubriker_som_html(utdata):
    for rapport in RAPPORTER:
        katalog = utdata / rapport
        dokument = docx.Document(str(katalog / "rapport.docx"))
        sida = (katalog / "rapport.html").read_text(encoding="utf-8")
        assert word.rubriker(dokument) == _html_rubriker(sida), rapport
        assert dokument.core_properties.language == "sv-SE"


def test_word_tillganglig_alt_text_och_rubrikrader(utdata):
    diagram = 0
    for rapport in RAPPORTER:
        dokument = docx.Document(str(utdata / rapport / "rapport.docx"))
        for bild in dokument.inline_shapes:
            assert bild._inline.docPr.get("descr", "").strip(), rapport
            diagram += 1
        for tabell in dokument.tables:
            assert tabell.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, rapport
    assert diagram >= 10


# -------------------------------------------------------------------------- utskrift


def _sidor(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_vasteras_2019_hogst_10_a4_sidor(utdata):
    # Före utskriftsmallen var rapporten 13 A4-sidor; originalet är ungefär 6. Rapporten visar
    # nu också förbundets tryckta tabeller (med källa) bredvid det som räknas om ur deltagarraderna
    # och Om underlaget, därför 9 sidor och en gräns på 10 som fångar en återgång.
    pdf = (utdata / "vasteras" / "2019" / "rapport.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert 1 <= _sidor(pdf) <= 10
    storlek = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert storlek is not None
    bredd, hojd = float(storlek.group(1)), float(storlek.group(2))
    assert bredd == pytest.approx(595, abs=2) and hojd == pytest.approx(842, abs=2)  # A4
    for rapport in RAPPORTER:
        assert (utdata / rapport / "rapport.pdf").read_bytes().startswith(b"%PDF"), rapport


_MAT_BREDDER = """((liggande) => {
  const bredd = document.documentElement.clientWidth;
  const pa_sidan = (e) => {
    const t = e.closest('.jp-OutputArea-child');
    const l = !!(t && t.querySelector('table.finsam-liggande'));
    return l === liggande;
  };
  const for_breda = [];
  for (const e of document.querySelectorAll('table, img, svg, figure, pre, .jp-RenderedImage')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || !pa_sidan(e)) continue;
    if (r.right > bredd + 1 || r.left < -1) {
      const namn = (e.querySelector && e.querySelector('caption') || {}).textContent || e.alt || '';
      for_breda.push([e.tagName, Math.round(r.left), Math.round(r.right), namn]);
    }
  }
  for (const e of document.querySelectorAll('.jp-OutputArea-output, .jp-RenderedHTMLCommon')) {
    if (pa_sidan(e) && e.scrollWidth > e.clientWidth + 1) for_breda.push(['rullar',
        e.scrollWidth, e.clientWidth, (e.textContent || '').slice(0, 60)]);
  }
  return [bredd, for_breda, document.querySelectorAll('table.finsam-liggande').length];
})"""


def test_ingen_tabell_eller_figur_bredare_an_sidan_vid_utskrift(utdata, chromium):
    """Varje tabell och figur ryms på sin sida i utskriftens layout (@media print): på en
    stående A4, eller på en liggande när tabellen är för bred för en stående sida."""
    liggande_tabeller = 0
    with webblasare.Chromium(chromium) as c:
        for rapport in RAPPORTER:
            session = c.oppna((utdata / rapport / "rapport.html").as_uri())
            for liggande, mal in ((False, A4_SKRIVBAR_BREDD_PX), (True, A4_LIGGANDE_BREDD_PX)):
                c.utskriftslage(session, bredd_px=round(mal))
                bredd, for_breda, antal = c.utvardera(
                    session, f"{_MAT_BREDDER}({json.dumps(liggande)})"
                )
                assert bredd == pytest.approx(mal, abs=2)
                assert for_breda == [], (rapport, "liggande" if liggande else "stående")
            liggande_tabeller += antal
    vasteras_2019 = (utdata / "vasteras" / "2019" / "rapport.html").read_text(encoding="utf-8")
    assert 'class="finsam-bred finsam-liggande"' not in vasteras_2019  # bara stående sidor
    assert liggande_tabeller >= 1  # HÅE-tabellen i delårsrapporten 2021


# ---------------------------------------------------------------------- Excel och CSV


def _flyttalsrest(varde: float) -> bool:
    return len(repr(float(varde)).split(".")[-1].rstrip("0")) > 6


def test_tabeller_xlsx_procentformat_och_inga_flyttalsrester(utdata):
    andelar = 0
    for rapport in RAPPORTER:
        bok = openpyxl.load_workbook(utdata / rapport / "tabeller.xlsx")
        for blad in bok.worksheets:
            rubriker = [c.value for c in blad[6]]
            for rad in blad.iter_rows(min_row=7):
                for rubrik, cell in zip(rubriker, rad, strict=False):
                    if isinstance(cell.value, float):
                        assert not _flyttalsrest(cell.value), (rapport, blad.title, cell.value)
                    if (isinstance(rubrik, str) and rubrik.startswith("Andel")
                            and isinstance(cell.value, (int, float))):  # fmt: skip
                        assert "%" in cell.number_format, (rapport, blad.title, rubrik)
                        andelar += 1
            assert blad.freeze_panes == "A7"
    assert andelar > 20


def test_csv_for_svensk_excel(utdata):
    inrapportering = sorted(utdata.glob("inrapportering/*/*/uppfoljning_finsam.csv"))
    assert inrapportering
    for fil in [utdata / "nyckeltal.csv", *inrapportering]:
        data = fil.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), fil  # UTF-8 med BOM
        forsta = data.decode("utf-8-sig").splitlines()[0]
        assert ";" in forsta and "," not in forsta, fil
    rader = (utdata / "nyckeltal.csv").read_text(encoding="utf-8-sig").splitlines()
    assert any(re.fullmatch(r"[^;]+;[^;]+;andel[^;]*;0,\d+", r) for r in rader)


# ----------------------------------------------------------------------------- index


def test_index_lankar_alla_filer_och_marker_syntetiskt(utdata):
    sida = (utdata / "index.html").read_text(encoding="utf-8")
    for rapport in RAPPORTER:
        for fil in ("rapport.html", "rapport.docx", "rapport.pdf", "tabeller.xlsx",
                    "nyckeltal.json"):  # fmt: skip
            assert f'href="{rapport}/{fil}"' in sida, (rapport, fil)
    assert "Påhittat förbund" in sida
    assert "Tal ur förbundets publicerade rapporter" in sida
    assert "Samordningsteam Västerås – Årsrapport 2019" in sida
    assert "Årsrapport" in sida and "2026-01-31" in sida
    post = json.loads((utdata / "vasteras" / "2019" / "nyckeltal.json").read_text("utf-8"))
    assert post["skapad"] == "2026-01-31" and post["underlag"] == "publicerat"


# --------------------------------------------------------------------- tillgänglighet


def _axe(c: webblasare.Chromium, url: str, axe_js: str) -> list[tuple[str, list[str]]]:
    mal = c.anropa("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = c.anropa("Target.attachToTarget", {"targetId": mal, "flatten": True})["sessionId"]
    c.anropa("Page.enable", session=session)
    c.anropa("Page.setBypassCSP", {"enabled": True}, session=session)  # axe är ett skript
    c.anropa("Page.navigate", {"url": url}, session=session)
    assert c.vanta_pa("Page.loadEventFired", session) is not None, url
    c.utvardera(session, axe_js + "\n;true")
    val = json.dumps({"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    resultat = c.utvardera(
        session,
        f"axe.run(document, {val}).then(r => r.violations.map("
        "v => [v.id, v.nodes.slice(0, 5).map(n => n.target.join(' '))]))",
    )
    c.anropa("Target.closeTarget", {"targetId": mal})
    return [tuple(v) for v in resultat]


def test_axe_core_wcag_21_aa_inga_fel(utdata, chromium, axe_js, tmp_path):
    sidor = [utdata / r / "rapport.html" for r in RAPPORTER]
    sidor += [utdata / "jamforelse" / "jamforelse.html", utdata / "index.html"]
    kontroll = tmp_path / "kontroll.html"
    kontroll.write_text(
        '<!DOCTYPE html><html><head><title>K</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>',
        encoding="utf-8",
    )
    fel = {}
    with webblasare.Chromium(chromium) as c:
        # kontrollen: axe hittar en bild utan alt-text och en sida utan språk
        assert {"image-alt", "html-has-lang"} <= {i for i, _ in _axe(c, kontroll.as_uri(), axe_js)}
        for sida in sidor:
            brister = _axe(c, sida.as_uri(), axe_js)
            if brister:
                fel[str(sida.relative_to(utdata))] = brister
    assert fel == {}
