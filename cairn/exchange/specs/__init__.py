"""The exchange files Cairn reads and writes, in dependency order: a file comes after the files
its reference columns name, so checking and writing can follow this order."""

from __future__ import annotations

from cairn.exchange.specs.agencies import AgencySpec
from cairn.exchange.specs.base import Column, Grouped, ParsedRow, Spec, Target
from cairn.exchange.specs.children import ChildSpec
from cairn.exchange.specs.meetings import MeetingSpec
from cairn.exchange.specs.missing_episodes import MissingEpisodeSpec
from cairn.exchange.specs.placements import PlacementSpec
from cairn.exchange.specs.return_interviews import ReturnInterviewSpec
from cairn.exchange.specs.risk_assessments import RiskAssessmentSpec

SPECS: tuple[Spec, ...] = (
    AgencySpec(),
    ChildSpec(),
    PlacementSpec(),
    RiskAssessmentSpec(),
    MissingEpisodeSpec(),
    ReturnInterviewSpec(),
    MeetingSpec(),
)
FILE_NAMES: tuple[str, ...] = tuple(spec.file_name for spec in SPECS)

__all__ = ["FILE_NAMES", "SPECS", "Column", "Grouped", "ParsedRow", "Spec", "Target", "spec_for"]


def spec_for(file_name: str) -> Spec:
    for spec in SPECS:
        if spec.file_name == file_name:
            return spec
    raise KeyError(file_name)
