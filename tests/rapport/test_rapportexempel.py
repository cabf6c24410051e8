"""Det genomarbetade exemplet för ``rapport.yaml`` i data/README.md körs som det står där.

Varje kodblock som föregås av ``<!-- rapportexempel: <fil> -->`` skrivs till en kopia av
exempelförbundet; rapporten sammanställs och ska säga det som README-texten säger (169
fullföljda avslut, 41 till arbete = 24 % eller 24,3 %, 49 avbrott; talen ur exempelförbundets
deltagarrader).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from finsam_analys.indata.inlasning import las_forbund
from finsam_analys.presentation.rapportvisning import del_html, titel_html
from finsam_analys.rapport.sammanstallning import sammanstall_rapport

ROT = Path(__file__).resolve().parents[2]
README = ROT / "data" / "README.md"
_BLOCK = re.compile(r"<!-- rapportexempel: (?P<fil>\S+) -->\n```\w+\n(?P<text>.*?)```", re.S)


@pytest.fixture(scope="module")
def rapport(tmp_path_factory):
    katalog = tmp_path_factory.mktemp("rapportexempel") / "exempelforbund"
    shutil.copytree(ROT / "data" / "exempelforbund", katalog)
    block = list(_BLOCK.finditer(README.read_text(encoding="utf-8")))
    assert [b["fil"] for b in block] == [
        "rapport.yaml", "text/2024/malomrade_1.md", "text/2024/resultatanalys.md"
    ]  # fmt: skip
    for b in block:
        (katalog / b["fil"]).parent.mkdir(parents=True, exist_ok=True)
        (katalog / b["fil"]).write_text(b["text"], encoding="utf-8")
    return sammanstall_rapport(las_forbund(katalog), "2024")


def test_titel_och_godkannande(rapport):
    assert titel_html(rapport) == (
        '<h1 class="finsam-titel">Samordningsteam – Årsrapport 2024</h1>\n'
        '<p class="finsam-godkannande">Godkänd av förbundsstyrelsen 2025-02-14</p>'
    )


def test_delarna_och_texterna_som_i_readme(rapport):
    assert [(d.niva, d.rubrik) for d in rapport.delar] == [
        (2, "Målområde 1: Egen försörjning efter avslut"),
        (3, "Avslut och resultat"),
        (3, ""),
        (2, "Resultatanalys"),
        (2, "Om underlaget"),
    ]
    assert rapport.delar[2].text == (
        "Av de 169 deltaganden som fullföljdes gick 24\xa0% till arbete\n"
        "(24,3\xa0% med en decimal).\n"
    )
    assert "Året präglades av ”grön rehab” och nya gruppstarter. 49 deltaganden avbröts." in (
        del_html(rapport.delar[3])
    )
    readme = README.read_text(encoding="utf-8").replace("\n", " ")
    assert "Av de 169 deltaganden som fullföljdes gick 24 % till arbete (24,3 % med en " in readme
    assert "49 deltaganden avbröts." in readme
