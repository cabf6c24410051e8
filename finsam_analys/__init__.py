"""finsam-analys: reproducerbar analys och rapportering för samordningsförbund (FINSAM).

Paketets publika funktioner importeras lat: ``import finsam_analys`` laddar varken
matplotlib, seaborn eller scipy förrän en funktion som behöver dem anropas.

>>> import finsam_analys as f
>>> f.andelar([7, 5, 43])["andel"].round(3).tolist()
[0.127, 0.091, 0.782]
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# publikt namn -> modul (relativ, i dataflödets mappar). Lägg till nya publika namn här.
_PUBLIKA: dict[str, str] = {
    # andelar och avrundning
    "andelar": "matt.andelar",
    "korstabell_andelar": "matt.andelar",
    "avrunda_procent": "matt.avrundning",
    "korstabell": "matt.andelar",
    "avrunda_halvt_upp": "matt.avrundning",
    # mål och osäkerhet
    "jamfor_med_mal": "matt.mal",
    "wilson_intervall": "matt.mal",
    "binomialtest_mot_mal": "matt.mal",
    # hälsa
    "halsopoangforandring": "matt.halsa",
    "relativ_forandring": "matt.halsa",
    "procentenheter": "matt.halsa",
    "halsoenkat_resultat": "matt.halsa",
    "stegforflyttning": "matt.halsa",
    # helårsekvivalenter
    "helarsekvivalenter": "matt.helarsekvivalenter",
    "andel_av_befolkning": "matt.helarsekvivalenter",
    "befolkningsandelar": "matt.helarsekvivalenter",
    "konsfordelning": "matt.helarsekvivalenter",
    "forandring_mellan_ar": "matt.helarsekvivalenter",
    # deltagarflöden
    "deltagarflode": "matt.deltagarfloden",
    "deltagarantal": "matt.deltagarfloden",
    "deltagarflode_fran_antal": "matt.deltagarfloden",
    "fordelning": "matt.deltagarfloden",
    "korstabell_deltagare": "matt.deltagarfloden",
    "fordelning_fran_antal": "matt.deltagarfloden",
    "genomstromningstid": "matt.deltagarfloden",
    "snittalder": "matt.deltagarfloden",
    "avslutsutfall": "matt.deltagarfloden",
    "andel_med_utfall": "matt.deltagarfloden",
    "forsorjningsovergangar": "matt.deltagarfloden",
    # uppföljning efter avslut
    "uppfoljningsresultat": "matt.uppfoljning",
    "andelar_bland_ovriga": "matt.uppfoljning",
    "uppfoljning_fran_deltagare": "matt.uppfoljning",
    # ekonomi
    "budgetutfall": "matt.ekonomi",
    "andel_forbrukad": "matt.ekonomi",
    "eget_kapital": "matt.ekonomi",
    # samhällsnytta
    "aterbetalningstid": "matt.samhallsnytta",
    "aterbetalningstid_mot_mal": "matt.samhallsnytta",
    "manatlig_vinst": "matt.samhallsnytta",
    "samhallsnytta_per_aktor": "matt.samhallsnytta",
    "fore_efter_fran_overgangar": "matt.samhallsnytta",
    # deltagarenkät (NNS)
    "andel_hoga_steg": "matt.enkater",
    "forandring_mellan_tillfallen": "matt.enkater",
    # granskning av publicerade tabeller
    "granska_summor": "granskning.kontroller",
    "granska_differenser": "granskning.kontroller",
    "granska_andelar": "granskning.kontroller",
    "granska_forandringar": "granskning.kontroller",
    "granska_varden": "granskning.kontroller",
    "granska_pastaenden": "granskning.kontroller",
    "granska_underlag": "granskning.kontroller",
    "fynd_som_lista": "granskning.kontroller",
    "formatera_fynd": "granskning.kontroller",
    "granska": "granskning.resultat",
    "granska_publicerad": "granskning.publicerade",
    "granska_nyckeltal": "granskning.nyckeltal",
    # sekretess
    "maskera_antal": "sekretess.maskering",
    "maskera_andelar": "sekretess.maskering",
    "maskera_andelsram": "sekretess.maskering",
    "roja_celler": "sekretess.maskering",
    # perioder
    "Rapportperiod": "perioder",
    # rapportens innehåll och visning
    "bygg_rapport": "rapport",
    "rapportens_nyckeltal": "rapport",
    "rapportens_tabellobjekt": "rapport",
    "rapportens_tabeller": "rapport",
    "utforska": "rapport.utforskning",
    "sammanstall_rapport": "rapport.sammanstallning",
    "visa_rapport": "presentation.rapportvisning",
    "visa": "presentation.tabellvisning",
    "stila": "presentation.tabellvisning",
    # körning och rapportutdata
    "kor_rapport": "korning.batch",
    "kor_batch": "korning.batch",
    "spara_nyckeltal": "korning.utdata",
    "spara_tabeller": "korning.utdata",
    "spara_uppfoljning_finsam": "korning.utdata",
    "periodkatalog": "korning.utdata",
    "exportera_html": "presentation.html_export",
    # formatering (svenska tal, babel sv_SE)
    "formatera_tal": "presentation.formatering",
    "formatera_procent": "presentation.formatering",
    "formatera_procentenheter": "presentation.formatering",
    "formatera_procentandelar": "presentation.formatering",
    "formatera_andel": "presentation.formatering",
    "formatera_kr": "presentation.formatering",
    "formatera_tkr": "presentation.formatering",
    "procent_formatter": "presentation.formatering",
    "tal_formatter": "presentation.formatering",
    # syntetiska förbund
    "generera_forbund": "indata.syntetiskt",
    "skriv_forbund": "indata.syntetiskt",
    "skriv_syntetiskt_forbund": "indata.syntetiskt",
    # inläsning, validering och datamodell
    "las_forbund": "indata.inlasning",
    "las_tabell": "indata.inlasning",
    "InlasningsFel": "indata.inlasning",
    "Problem": "indata.validering",
    "validera_tabell": "indata.validering",
    "Underlag": "indata.underlag",
    "Forbundskonfig": "indata.underlag",
    "ar_personnummer": "indata.personnummer",
    "celler_med_personnummer": "indata.personnummer",
    "TABELLER": "indata.scheman",
    # förbundets egen uppföljningsfil (finsam-analys ny)
    "las_egen_fil": "indata.egen_fil",
    "foresla_kolumner": "indata.mappning",
    "foresla_forbund": "indata.ny",
    "skapa_forbund": "indata.ny",
    "skriv_egen_uppfoljning": "indata.syntetiskt_egen",
    # tryckta tabeller som tryckt
    "PubliceradTabell": "indata.publicerat",
    "las_publicerade": "indata.publicerat",
    "tolka_cell": "indata.tryckt_cell",
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


__all__ = sorted(_PUBLIKA)
