"""Guidance for free-text fields: what to reconsider and what to write instead. Never blocking."""

from __future__ import annotations

from typing import Any

from cairn.language.checker import check_text
from cairn.language.phrases import RULES_BY_ID


def language_guidance(text: str) -> list[dict[str, Any]]:
    """Findings in `text` for a form to show beside the field, in order of position.

    Each item has `start`, `end`, `text` (the words as written), `rule` (the table row's id),
    `avoid` (the row's wording), `suggestions` and a ready-made `message`.
    """
    guidance = []
    for finding in check_text(text):
        suggestions = list(finding.suggestions)
        guidance.append(
            {
                "start": finding.start,
                "end": finding.end,
                "text": finding.text,
                "rule": finding.rule,
                "avoid": RULES_BY_ID[finding.rule].avoid,
                "suggestions": suggestions,
                "message": (
                    f"“{finding.text}” can suggest the child chose or caused their abuse. "
                    f"Consider: {'; '.join(suggestions)}."
                ),
            }
        )
    return guidance
