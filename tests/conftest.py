"""Delade fixturer för testerna (som speglar paketets mappar: indata/, matt/, granskning/ …).

De inbäddade förbunden läses en gång per testkörning; tester som behöver ändra ett underlag
gör det med ``dataclasses.replace`` (underlaget är oföränderligt).

Rapporter som testerna kör skriver ingen ``rapport.pdf`` (``FINSAM_PDF=0``: en Chromium per
rapport kostar en sekund CPU); testerna av utskriften ber om PDF med ``pdf=True``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("FINSAM_PDF", "0")

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


def maskerat(underlag):
    """Samma underlag med maskeringen påslagen (``sekretess.maskera: true``).

    De publicerade förbunden maskas inte som standard (talen är redan publicerade); tester av
    maskningen på deras tal slår på den, som ett förbund kan göra i ``forbund.yaml``.
    """
    import dataclasses

    sekretess = dataclasses.replace(underlag.konfig.sekretess, maskera=True)
    konfig = dataclasses.replace(underlag.konfig, sekretess=sekretess)
    return dataclasses.replace(underlag, konfig=konfig)


@pytest.fixture(scope="session")
def vasteras_maskerat(underlag_vasteras):
    """Västerås med maskeringen påslagen (som om talen inte vore publicerade)."""
    return maskerat(underlag_vasteras)


@pytest.fixture(scope="session")
def avesta_maskerat(underlag_avesta):
    """Avesta med maskeringen påslagen (som om talen inte vore publicerade)."""
    return maskerat(underlag_avesta)
