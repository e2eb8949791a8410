"""`language_guidance`: what a form shows beside a free-text field."""

from __future__ import annotations

from cairn.language.services import language_guidance


def test_guidance_explains_each_finding_with_the_wording_to_avoid_and_suggestions() -> None:
    [item] = language_guidance("Notes: she is putting herself at risk.")
    assert item == {
        "start": 14,
        "end": 37,
        "text": "putting herself at risk",
        "rule": "putting-themselves-at-risk",
        "avoid": "putting themselves at risk",
        "suggestions": [
            "may have been groomed",
            "the situation gives a perpetrator opportunity to abuse them",
        ],
        "message": (
            "“putting herself at risk” can suggest the child chose or caused their abuse. "
            "Consider: may have been groomed; "
            "the situation gives a perpetrator opportunity to abuse them."
        ),
    }


def test_guidance_is_empty_for_children_first_wording() -> None:
    assert language_guidance("She may have been groomed and is being criminally exploited.") == []


def test_guidance_lists_findings_in_text_order() -> None:
    guidance = language_guidance("He was recruited and keeps going missing.")
    assert [item["rule"] for item in guidance] == [
        "criminal-exploitation-as-work",
        "keeps-going-missing",
    ]
