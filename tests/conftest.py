"""Delade fixturer för testerna (som speglar paketets mappar: indata/, matt/, granskning/ …).

De inbäddade förbunden läses en gång per testkörning; tester som behöver ändra ett underlag
gör det med ``dataclasses.replace`` (underlaget är oföränderligt).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROT = Path(__file__).resolve().parent.parent
DATA = ROT / "data"


@pytest.fixture(scope="session")
def data_katalog() -> Path:
    """Katalogen med de inbäddade förbunden (``data/``)."""
    return DATA


@pytest.fixture(scope="session")
def underlag_vasteras():
    """Samordningsförbundet Västerås (SOT 2019 och delår 2021), transkriberat."""
    from finsam_analys.indata.inlasning import las_forbund

    return las_forbund(DATA / "vasteras")


@pytest.fixture(scope="session")
def underlag_avesta():
    """Södra Dalarnas samordningsförbund (Samverkansteam Avesta 2015/16), transkriberat."""
    from finsam_analys.indata.inlasning import las_forbund

    return las_forbund(DATA / "sodra_dalarna")


@pytest.fixture(scope="session")
def underlag_exempel():
    """Exempelförbundet (syntetiskt, med deltagarrader)."""
    from finsam_analys.indata.inlasning import las_forbund

    return las_forbund(DATA / "exempelforbund")
