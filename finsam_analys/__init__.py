"""finsam-analys: reproducerbar analys och rapportering för samordningsförbund (FINSAM).

Paketets publika funktioner importeras lat: ``import finsam_analys`` laddar varken
matplotlib, seaborn eller scipy förrän en funktion som behöver dem anropas.

>>> import finsam_analys as f
>>> f.andelar([7, 5, 43])["andel"].round(3).tolist()
[0.127, 0.091, 0.782]
"""

from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

# publikt namn -> modul (relativ). Lägg till nya publika namn här.
_PUBLIKA: dict[str, str] = {
    # andelar och avrundning
    "andelar": "andelar",
    "korstabell_andelar": "andelar",
    "avrunda_procent": "avrundning",
    "korstabell": "andelar",
    "avrunda_halvt_upp": "avrundning",
    # mål och osäkerhet
    "jamfor_med_mal": "mal",
    "wilson_intervall": "mal",
    "binomialtest_mot_mal": "mal",
    # hälsa
    "halsopoangforandring": "halsa",
    "relativ_forandring": "halsa",
    "procentenheter": "halsa",
    "halsoenkat_resultat": "halsa",
    "stegforflyttning": "halsa",
    # helårsekvivalenter
    "helarsekvivalenter": "helarsekvivalenter",
    "andel_av_befolkning": "helarsekvivalenter",
    "befolkningsandelar": "helarsekvivalenter",
    "konsfordelning": "helarsekvivalenter",
    "forandring_mellan_ar": "helarsekvivalenter",
    # deltagarflöden
    "deltagarflode": "deltagarfloden",
    "deltagarantal": "deltagarfloden",
    "deltagarflode_fran_antal": "deltagarfloden",
    "fordelning": "deltagarfloden",
    "fordelning_fran_antal": "deltagarfloden",
    "genomstromningstid": "deltagarfloden",
    "snittalder": "deltagarfloden",
    "avslutsutfall": "deltagarfloden",
    "andel_med_utfall": "deltagarfloden",
    "forsorjningsovergangar": "deltagarfloden",
    # uppföljning efter avslut
    "uppfoljningsresultat": "uppfoljning",
    "andelar_bland_ovriga": "uppfoljning",
    "uppfoljning_fran_deltagare": "uppfoljning",
    # ekonomi
    "budgetutfall": "ekonomi",
    "andel_forbrukad": "ekonomi",
    "eget_kapital": "ekonomi",
    # samhällsnytta
    "aterbetalningstid": "samhallsnytta",
    "aterbetalningstid_mot_mal": "samhallsnytta",
    "manatlig_vinst": "samhallsnytta",
    "samhallsnytta_per_aktor": "samhallsnytta",
    "fore_efter_fran_overgangar": "samhallsnytta",
    # deltagarenkät (NNS)
    "andel_hoga_steg": "enkater",
    "forandring_mellan_tillfallen": "enkater",
    # granskning av publicerade tabeller
    "granska_summor": "granskning",
    "granska_differenser": "granskning",
    "granska_andelar": "granskning",
    "granska_forandringar": "granskning",
    "granska_varden": "granskning",
    "granska_pastaenden": "granskning",
    "granska_underlag": "granskning",
    "fynd_som_lista": "granskning",
    "formatera_fynd": "granskning",
    # sekretess
    "maskera_antal": "sekretess",
    "maskera_andelar": "sekretess",
    "maskera_andelsram": "sekretess",
    "roja_celler": "sekretess",
    # perioder
    "Rapportperiod": "perioder",
    # rapportens innehåll och visning
    "bygg_rapport": "rapportdelar",
    "rapportens_nyckeltal": "rapportdelar",
    "rapportens_tabeller": "rapportdelar",
    "visa": "tabellvisning",
    "stila": "tabellvisning",
    # körning och rapportutdata
    "kor_rapport": "korning",
    "kor_batch": "korning",
    "spara_nyckeltal": "utdata",
    "spara_tabeller": "utdata",
    "spara_uppfoljning_finsam": "utdata",
    "periodkatalog": "utdata",
    "exportera_html": "html_export",
    # formatering (svenska tal, babel sv_SE)
    "formatera_tal": "formatering",
    "formatera_procent": "formatering",
    "formatera_procentenheter": "formatering",
    "formatera_procentandelar": "formatering",
    "formatera_andel": "formatering",
    "formatera_kr": "formatering",
    "formatera_tkr": "formatering",
    "procent_formatter": "formatering",
    "tal_formatter": "formatering",
    # syntetiska förbund
    "generera_forbund": "syntetiskt",
    "skriv_forbund": "syntetiskt",
    "skriv_syntetiskt_forbund": "syntetiskt",
    # inläsning, validering och datamodell
    "las_forbund": "inlasning",
    "las_tabell": "inlasning",
    "InlasningsFel": "inlasning",
    "Problem": "validering",
    "validera_tabell": "validering",
    "Underlag": "underlag",
    "Forbundskonfig": "underlag",
    "ar_personnummer": "personnummer",
    "celler_med_personnummer": "personnummer",
    "TABELLER": "scheman",
}


def __getattr__(namn: str):
    modul = _PUBLIKA.get(namn)
    if modul is None:
        raise AttributeError(f"modulen 'finsam_analys' har inget attribut {namn!r}")
    varde = getattr(importlib.import_module(f".{modul}", __name__), namn)
    globals()[namn] = varde
    return varde


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIKA])


class _Paket(types.ModuleType):
    """Paketmodul där en undermodul aldrig skuggar en publik funktion med samma namn.

    Importsystemet sätter ``finsam_analys.andelar = <modulen andelar>`` när undermodulen laddas
    första gången. Eftersom funktionen ``andelar`` och modulen ``andelar`` heter likadant skulle
    ``f.andelar`` annars bli modulen om någon råkat importera undermodulen först. Modulen nås
    alltid via ``sys.modules["finsam_analys.andelar"]`` eller ``from finsam_analys.andelar import``.
    """

    def __setattr__(self, namn: str, varde) -> None:
        if isinstance(varde, types.ModuleType) and _PUBLIKA.get(namn) == namn:
            return
        super().__setattr__(namn, varde)


sys.modules[__name__].__class__ = _Paket


__all__ = sorted(_PUBLIKA)
