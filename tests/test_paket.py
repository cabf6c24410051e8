"""Paketets publika API: lat import och att undermoduler inte skuggar funktioner."""

import subprocess
import sys

import finsam_analys


def test_publika_namn_finns():
    for namn in finsam_analys.__all__:
        assert getattr(finsam_analys, namn) is not None, namn


def test_undermodul_skuggar_inte_funktion_med_samma_namn():
    kod = (
        "from finsam_analys.matt.helarsekvivalenter import andel_av_befolkning\n"
        "from finsam_analys.matt.andelar import korstabell\n"
        "import finsam_analys as f\n"
        "assert callable(f.helarsekvivalenter) and not isinstance(f.helarsekvivalenter, type(f))\n"
        "assert f.andelar([1, 3])['andel'].tolist() == [0.25, 0.75]\n"
    )
    subprocess.run([sys.executable, "-c", kod], check=True)


def test_okant_namn_ger_attributeerror():
    try:
        finsam_analys.finns_inte  # noqa: B018
    except AttributeError as fel:
        assert "finns_inte" in str(fel)
    else:  # pragma: no cover
        raise AssertionError("AttributeError förväntades")
