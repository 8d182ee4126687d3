"""The demo return types in German and French.

The demo distributor is German, but its admins typed the return types in English: German
readers see these translations, and the typed English is the fallback. A few texts are
left untranslated on purpose, so the designer has something to list as missing (French:
the damage reasons; German: "Not ordered")."""

from __future__ import annotations

from typing import Any

from models import ReturnType

ROTATION_PROMPT = (
    "Tell your sales rep which frames you will order instead, and why the rotation "
    "matters for your shop now."
)

TRANSLATIONS: dict[str, dict[str, dict[str, Any]]] = {
    "ROTATION": {
        "de": {
            "name": "Lagerrotation",
            "description": (
                "Senden Sie Fassungen zurück, die sich nicht verkaufen, im Tausch gegen neue "
                "Ware – im Rahmen Ihres Rotationskontingents."
            ),
            "exception_prompt": (
                "Nennen Sie Ihrem Außendienst die Fassungen, die Sie stattdessen bestellen, "
                "und warum die Rotation für Ihr Geschäft gerade jetzt wichtig ist."
            ),
            "reasons": {
                "Slow seller": "Ladenhüter",
                "Range change": "Sortimentswechsel",
                "Overstock": "Überbestand",
            },
        },
        "fr": {
            "name": "Rotation de stock",
            "description": (
                "Renvoyez les montures qui ne se vendent pas en échange de nouveau stock, "
                "dans la limite de votre quota de rotation."
            ),
            "reasons": {
                "Slow seller": "Rotation lente",
                "Range change": "Changement de collection",
                "Overstock": "Surstock",
            },
        },
    },
    "DEFECTIVE": {
        "de": {
            "name": "Defekt / Garantie",
            "description": "Fassungen mit einem Herstellungsfehler, innerhalb der Garantie.",
            "reasons": {
                "Broken hinge": "Scharnier gebrochen",
                "Coating defect": "Beschichtungsfehler",
                "Loose rivet": "Niete locker",
                "Discolouration": "Verfärbung",
                "Other": "Sonstiges",
            },
        },
        "fr": {
            "name": "Défaut / garantie",
            "description": "Montures présentant un défaut de fabrication, sous garantie.",
            "reasons": {
                "Broken hinge": "Charnière cassée",
                "Coating defect": "Défaut de revêtement",
                "Loose rivet": "Rivet desserré",
                "Discolouration": "Décoloration",
                "Other": "Autre",
            },
        },
    },
    "DAMAGED": {
        "de": {
            "name": "Transportschaden",
            "description": (
                "Ware, die beschädigt angekommen ist. Melden Sie sie innerhalb von 14 Tagen "
                "nach der Lieferung."
            ),
            "reasons": {
                "Crushed parcel": "Paket eingedrückt",
                "Broken frame": "Fassung gebrochen",
                "Scratched lenses": "Gläser zerkratzt",
            },
        },
        "fr": {
            "name": "Endommagé pendant le transport",
            "description": (
                "Marchandise arrivée endommagée. Signalez-la dans les 14 jours suivant la "
                "livraison."
            ),
        },
    },
    "WRONG_ITEM": {
        "de": {
            "name": "Falscher Artikel geliefert",
            "description": (
                "Sie haben eine andere Fassung, Farbe oder Größe erhalten als bestellt."
            ),
            "reasons": {
                "Wrong model": "Falsches Modell",
                "Wrong colour": "Falsche Farbe",
                "Wrong size": "Falsche Größe",
            },
        },
        "fr": {
            "name": "Mauvais article livré",
            "description": (
                "Vous avez reçu une monture, une couleur ou une taille différente de celle "
                "commandée."
            ),
            "reasons": {
                "Wrong model": "Mauvais modèle",
                "Wrong colour": "Mauvaise couleur",
                "Wrong size": "Mauvaise taille",
                "Not ordered": "Non commandé",
            },
        },
    },
}


def translate_return_types(return_types: list[ReturnType]) -> None:
    """Give the demo return types their German and French texts (and the rotation its
    exception prompt, typed in English like the rest)."""
    for return_type in return_types:
        return_type.translations = TRANSLATIONS.get(return_type.code, {})
        if return_type.code == "ROTATION":
            return_type.exception_prompt = ROTATION_PROMPT
