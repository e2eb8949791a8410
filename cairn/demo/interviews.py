"""Return home interviews for the synthetic county's missing episodes (see cairn.demo.missing).

Each return is offered an interview, most within the 72-hour clock (`CAIRN_RHI_HOURS`), by a
worker from the voluntary sector's outreach team or children's services' exploitation and missing
team, never the child's own social worker (DOMAIN.md: someone independent of the child's care),
unless the child chose a worker they already know. How many are completed within the clock
improves over the years: about 40% six years before the anchor, 80% in the last year. The rest
are completed late, declined with a reason, not held for a recorded reason, or attempted without
success (closed by a manager after two weeks, or still being tried at the anchor); a few returns
have no interview record at all. Records follow `cairn.missing.services.return_interview_record`:
the interviewer is named when the interview was held or declined, attempts name who tried, and
the reference is "RHI-" and the episode's.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings

from cairn.accounts.models import Agency, User
from cairn.demo import content as c
from cairn.demo import missing_wording as w
from cairn.demo.missing_rows import DAY, HOUR, MINUTE, Episode, MissingRows, between
from cairn.demo.plans import Weighted
from cairn.demo.rows import IdBlock
from cairn.missing.models import ReturnInterview

if TYPE_CHECKING:
    from cairn.demo.risk import RiskSubject

YEAR = timedelta(days=365.25)
# When an interview is not completed within the clock, what happened instead.
OTHERWISE = Weighted([("late", 40), ("declined", 30), ("attempted", 15), ("not_held", 15)])
HARM_CHANCE = (0.06, 0.15, 0.3, 0.35)  # by the child's risk rank at the time
INTELLIGENCE_CHANCE = (0.08, 0.35, 0.5, 0.6)
HARM_KIND = {
    "sexual": "sexual",
    "online": "sexual",
    "criminal": "criminal",
    "county_lines": "criminal",
    "trafficking": "trafficking",
    "labour": "trafficking",
}


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class ReturnInterviews:
    def __init__(
        self,
        *,
        seed: int,
        horizon: datetime,
        interviewers: dict[str, list[User]],
        childrens_services: Agency,
        agency_codes: dict[int, str],
        created_at: Any,
    ) -> None:
        self.rng = random.Random(f"cairn-demo:{seed}:return-interviews")
        self.text_rng = random.Random(f"cairn-demo:{seed}:return-interview-text")
        self.horizon = horizon
        self.clock = timedelta(hours=settings.CAIRN_RHI_HOURS)
        self.interviewers = interviewers
        self.childrens_services = childrens_services
        self.agency_codes = agency_codes
        self.created_at = created_at
        self.ids = IdBlock(ReturnInterview)

    def _interviewer(self, s: RiskSubject) -> User:
        rng = self.rng
        trusted = [
            user
            for user, _ in s.partners
            if self.agency_codes.get(user.agency_id or 0) == c.VOLUNTARY
        ]
        if trusted and rng.random() < 0.3:
            return trusted[0]  # the child chose a worker they know
        code = c.VOLUNTARY if rng.random() < 0.65 else c.CHILDRENS_SERVICES
        worker = rng.choice(self.interviewers[code])
        if worker == s.lead:  # never the child's own social worker
            worker = rng.choice(self.interviewers[c.VOLUNTARY])
        return worker

    def add(self, s: RiskSubject, e: Episode, types: list[str], rows: MissingRows) -> None:
        """Append the interview (if any) for the returned episode `e`, and its attempts."""
        rng, clock, horizon = self.rng, self.clock, self.horizon
        returned = e.returned
        assert returned is not None
        back = (horizon - returned) / YEAR
        if rng.random() < _clamp(0.01 + 0.015 * back, 0.01, 0.08):
            return  # no record of an interview
        timely = rng.random() < _clamp(0.8 - 0.08 * back, 0.4, 0.8)
        outcome = "timely" if timely else OTHERWISE.pick(rng)
        worker = None if outcome == "not_held" else self._interviewer(s)
        offered: datetime | None = None
        if outcome != "not_held":
            if timely or rng.random() < _clamp(0.97 - 0.05 * back, 0.7, 0.97):
                offered = returned + between(rng, 30 * MINUTE, 48 * HOUR)
            else:
                offered = returned + between(rng, clock + HOUR, 8 * DAY)
        attempts: list[datetime] = []
        completed: datetime | None = None
        declined = False
        if outcome == "timely":
            assert offered is not None
            deadline = returned + clock - 15 * MINUTE
            if rng.random() < 0.25:
                attempts.append(between(rng, offered, deadline - 2 * HOUR))
            completed = between(rng, max([offered, *attempts]) + HOUR, deadline)
        elif outcome == "late":
            assert offered is not None
            due = max(offered, returned + clock)
            attempts = sorted(between(rng, offered, due + DAY) for _ in range(rng.randint(1, 3)))
            completed = max(due, attempts[-1]) + between(rng, HOUR, 12 * DAY)
        elif outcome == "declined":
            assert offered is not None
            declined = True
            if rng.random() < 0.3:
                attempts.append(between(rng, offered, offered + 2 * DAY))
        elif outcome == "attempted":
            assert offered is not None
            attempts = sorted(
                between(rng, offered, offered + 10 * DAY) for _ in range(rng.randint(1, 4))
            )
            if attempts[-1] + 14 * DAY < horizon:
                outcome = "closed"  # a manager decided not to try again
        # Nothing after the anchor: interviews still under way are offered, not yet completed.
        if offered is not None and offered >= horizon:
            return
        attempts = [moment for moment in attempts if moment < horizon]
        if completed is not None and completed >= horizon:
            completed, outcome = None, "pending"
        if declined and offered is not None and offered + DAY >= horizon:
            declined, outcome = False, "pending"
        self._row(e, types, rows, outcome, worker, offered, completed, attempts)

    def _row(
        self,
        e: Episode,
        types: list[str],
        rows: MissingRows,
        outcome: str,
        worker: User | None,
        offered: datetime | None,
        completed: datetime | None,
        attempts: list[datetime],
    ) -> None:
        text, ctx = self.text_rng, e.context
        interview_id = self.ids.take()
        interviewer = worker if completed is not None or outcome == "declined" else None
        fields: dict[str, Any] = {
            "declined_reason": "",
            "not_held_reason": "",
            "push_factors": "",
            "pull_factors": "",
            "where_stayed": "",
            "with_whom": "",
            "travel": "",
            "harm_disclosed": False,
            "harm_detail": "",
            "support_offered": "",
            "intelligence_shared": False,
            "intelligence_shared_with": "",
            "summary": "",
        }
        if outcome == "declined":
            fields["declined_reason"] = text.choice(w.DECLINED_REASONS).format_map(ctx)
        elif outcome == "not_held":
            fields["not_held_reason"] = text.choice(w.NOT_HELD_REASONS).format_map(ctx)
        elif outcome == "closed":
            fields["not_held_reason"] = text.choice(w.NOT_HELD_AFTER_ATTEMPTS).format_map(ctx)
        elif completed is not None:
            fields.update(self._what_was_shared(e, types))
        for moment in attempts:
            note = text.choice(w.ATTEMPT_NOTES).format_map(ctx)
            rows.attempts.append((interview_id, moment, note, worker.id if worker else None))
        agency_id = worker.agency_id if worker else self.childrens_services.id
        rows.interviews.append(
            [
                interview_id,
                f"RHI-ME-{e.id:06d}",
                e.id,
                agency_id,
                offered,
                completed,
                outcome == "declined",
                fields["declined_reason"],
                fields["not_held_reason"],
                interviewer.id if interviewer else None,
                f"{interviewer.first_name} {interviewer.last_name}" if interviewer else "",
                interviewer.agency_id if interviewer else None,
                fields["push_factors"],
                fields["pull_factors"],
                fields["where_stayed"],
                fields["with_whom"],
                fields["travel"],
                fields["harm_disclosed"],
                fields["harm_detail"],
                fields["support_offered"],
                fields["intelligence_shared"],
                fields["intelligence_shared_with"],
                fields["summary"],
                self.created_at,
                self.created_at,
            ]
        )

    def _what_was_shared(self, e: Episode, types: list[str]) -> dict[str, Any]:
        rng, text, ctx = self.rng, self.text_rng, e.context
        rank = e.rank
        kind = next((HARM_KIND[t] for t in types if t in HARM_KIND), "any")
        risky = rank >= 1 and (e.far or text.random() < 0.6)
        push = list(w.PUSH_FACTORS)
        if ctx["home"] != "home":
            push += w.PUSH_FACTORS_CARE
        if risky and kind in w.PULL_FACTORS_RISK and text.random() < 0.75:
            pull = text.choice(w.PULL_FACTORS_RISK[kind])
        else:
            pull = text.choice(w.PULL_FACTORS)
        harm = rng.random() < HARM_CHANCE[rank]
        shared = rng.random() < (0.9 if harm else INTELLIGENCE_CHANCE[rank])
        support = list(w.SUPPORT_OFFERED) + (list(w.SUPPORT_OFFERED_RISK) if rank else [])
        meeting = text.choice(w.MEETING_PLACES).format_map(ctx)
        summary = [text.choice(w.SUMMARY_OPENINGS), text.choice(w.SUMMARY_MIDDLES)]
        if risky:
            summary.append(text.choice(w.SUMMARY_RISK))
        summary.append(text.choice(w.SUMMARY_CLOSINGS))
        values = ctx | {"meeting": meeting}
        harm_texts = w.HARM_DETAIL[kind] if rank else w.HARM_DETAIL["any"]
        return {
            "push_factors": text.choice(push).format_map(ctx),
            "pull_factors": pull.format_map(ctx),
            "where_stayed": text.choice(
                w.WHERE_STAYED_RISK if risky else w.WHERE_STAYED
            ).format_map(ctx),
            "with_whom": text.choice(w.WITH_WHOM_RISK if risky else w.WITH_WHOM).format_map(ctx),
            "travel": e.travel,
            "harm_disclosed": harm,
            "harm_detail": text.choice(harm_texts).format_map(ctx) if harm else "",
            "support_offered": " ".join(text.sample(support, 2)).format_map(ctx),
            "intelligence_shared": shared,
            "intelligence_shared_with": text.choice(w.INTELLIGENCE_SHARED_WITH) if shared else "",
            "summary": " ".join(part.format_map(values) for part in summary),
        }
