"""Find wording that blames a child for their own exploitation, with children-first suggestions.

The words live in `cairn.language.phrases`; this module is the small engine that runs them:
every pattern of every rule is matched case-insensitively, context filters drop proper usage, and
overlapping hits are resolved so that the earliest (then the longest) wins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cairn.language.phrases import RULES, Pattern, Rule

# How far back `unless_before` looks, in characters.
_LOOKBEHIND_CHARS = 100
# How far either side of a hit `unless_in_sentence` looks for the sentence's ends, in characters.
_SENTENCE_WINDOW_CHARS = 300
_SENTENCE_ENDS = ".!?;\n"
_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Finding:
    """A span of `text[start:end]` that matched `rule`, with wording to use instead."""

    start: int
    end: int
    text: str
    rule: str
    suggestions: tuple[str, ...]


@dataclass(frozen=True)
class _CompiledPattern:
    rule: Rule
    order: int
    regex: re.Pattern[str]
    unless_before: re.Pattern[str] | None
    unless_after: re.Pattern[str] | None
    unless_in_sentence: re.Pattern[str] | None


def _compile_optional(regex: str | None) -> re.Pattern[str] | None:
    return None if regex is None else re.compile(regex, _FLAGS)


@functools.cache
def _compiled_patterns() -> tuple[_CompiledPattern, ...]:
    compiled = []
    for order, rule in enumerate(RULES):
        for item in rule.patterns:
            pattern = item if isinstance(item, Pattern) else Pattern(item)
            compiled.append(
                _CompiledPattern(
                    rule=rule,
                    order=order,
                    regex=re.compile(pattern.regex, _FLAGS),
                    unless_before=_compile_optional(pattern.unless_before),
                    unless_after=_compile_optional(pattern.unless_after),
                    unless_in_sentence=_compile_optional(pattern.unless_in_sentence),
                )
            )
    return tuple(compiled)


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding `text[start:end]`, cut to a window so long text stays linear."""
    floor = max(0, start - _SENTENCE_WINDOW_CHARS)
    ceiling = min(len(text), end + _SENTENCE_WINDOW_CHARS)
    left = max(text.rfind(mark, floor, start) for mark in _SENTENCE_ENDS) + 1
    rights = [i for mark in _SENTENCE_ENDS if (i := text.find(mark, end, ceiling)) != -1]
    return text[max(left, floor) : min(rights, default=ceiling)]


def _is_proper_usage(pattern: _CompiledPattern, text: str, start: int, end: int) -> bool:
    if pattern.unless_before is not None and pattern.unless_before.search(
        text, max(0, start - _LOOKBEHIND_CHARS), start
    ):
        return True
    if pattern.unless_after is not None and pattern.unless_after.match(text, end):
        return True
    return pattern.unless_in_sentence is not None and bool(
        pattern.unless_in_sentence.search(_sentence_around(text, start, end))
    )


def _candidates(text: str) -> Iterable[tuple[int, int, int, Rule]]:
    for pattern in _compiled_patterns():
        for match in pattern.regex.finditer(text):
            start, end = match.span("hit") if "hit" in pattern.regex.groupindex else match.span()
            if start == end or _is_proper_usage(pattern, text, start, end):
                continue
            yield start, end, pattern.order, pattern.rule


def check_text(text: str) -> list[Finding]:
    """Return the blaming phrases in `text`, sorted by position and never overlapping."""
    findings: list[Finding] = []
    last_end = 0
    # Earliest first; at the same start the longest, then the rule listed first in the table.
    for start, end, _order, rule in sorted(
        _candidates(text), key=lambda c: (c[0], c[0] - c[1], c[2])
    ):
        if start < last_end:
            continue
        findings.append(Finding(start, end, text[start:end], rule.id, rule.suggestions))
        last_end = end
    return findings


def findings_as_dicts(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """JSON-ready findings: `start`, `end`, `text` and `suggestions` for each."""
    return [
        {
            "start": finding.start,
            "end": finding.end,
            "text": finding.text,
            "suggestions": list(finding.suggestions),
        }
        for finding in findings
    ]
