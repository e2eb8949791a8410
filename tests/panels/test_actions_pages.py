"""Plans, actions and disruption pages through the Django test client: who may open what, the
forms and their errors, and bounded query counts on the lists."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent
from cairn.audit.models import Action as AuditAction
from cairn.panels import urls_actions
from cairn.panels.models import Action, DisruptionActivity, Plan
from cairn.panels.plans_selectors import child_plans_summary
from tests.factories import ChildFactory, UserFactory
from tests.panels.conftest import meeting, on_agenda
from tests.panels.test_plans_services import action, plan

TODAY = timezone.localdate


def text(response) -> str:  # type: ignore[no-untyped-def]
    plain = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(plain))


def day(prefix: str, value: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def test_every_actions_url_declares_an_access_rule() -> None:
    assert urls_actions.app_name == "actions"
    undeclared = [
        p.name for p in urls_actions.urlpatterns if not getattr(p.callback, "access_rule", "")
    ]
    assert undeclared == []
    assert len(urls_actions.urlpatterns) == 10


def test_pages_need_a_sign_in(client, panel_world) -> None:
    for name, args in [("mine", []), ("overdue", []), ("child", [panel_world.jordan.pk])]:
        response = client.get(reverse(f"actions:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response.url


# A child's plans ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("social_worker", 200),  # lead professional: changes
        ("manager", 200),  # manager of Jordan's agency
        ("chair", 200),  # chairs the panel with Jordan on the agenda
        ("nurse", 200),  # panel member: reads
        ("outsider", 404),
    ],
)
def test_who_may_open_a_childs_plans(client, panel_world, who: str, status: int) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    plan(w.jordan)
    client.force_login(getattr(w, who))
    response = client.get(reverse("actions:child", args=[w.jordan.pk]))
    assert response.status_code == status
    if status == 200:
        body = text(response)
        assert "Safety plan SP-" in body
        editable = who != "nurse"
        assert ("Add an action to the safety plan" in body) is editable
        assert ("You can read these plans but not change them" in body) is not editable
        event = AccessEvent.objects.filter(action=AuditAction.VIEW, child=w.jordan).latest("id")
        assert event.object_type == "panels.plans" and event.user == getattr(w, who)


def test_start_a_plan_add_actions_and_close_it(client, panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    client.force_login(w.chair)
    form = client.get(reverse("actions:plan_new", args=[w.jordan.pk]) + "?kind=safety")
    assert form.status_code == 200 and "Synthetshire MACE" in text(form)
    response = client.post(
        reverse("actions:plan_new", args=[w.jordan.pk]),
        {"kind": "safety", "summary": "Safe at home", "meeting": w.meeting.pk},
    )
    assert response.status_code == 302
    assert response.url == reverse("actions:child", args=[w.jordan.pk])
    safety = Plan.objects.get()
    assert safety.meeting == w.meeting and safety.created_by == w.chair

    again = client.post(
        reverse("actions:plan_new", args=[w.jordan.pk]), {"kind": "safety", "summary": "Again"}
    )
    assert again.status_code == 200
    assert "Jordan Ashdown already has an active safety plan" in text(again)

    prefix = f"plan-{safety.pk}"
    response = client.post(
        reverse("actions:action_new", args=[safety.pk]),
        {
            f"{prefix}-text": "Health review with Jordan",
            f"{prefix}-owner": w.nurse.pk,
            f"{prefix}-category": "protect",
            f"{prefix}-meeting": w.meeting.pk,
            **day(f"{prefix}-due_on", TODAY() + dt.timedelta(days=10)),
        },
    )
    assert response.status_code == 302
    saved = Action.objects.get()
    assert saved.owner == w.nurse and saved.owner_agency == w.health
    page = text(client.get(reverse("actions:child", args=[w.jordan.pk])))
    assert "Health review with Jordan" in page and "Not started" in page

    closing = client.post(reverse("actions:plan_close", args=[safety.pk]))
    assert closing.status_code == 200 and "1 open action" in text(closing)
    Action.objects.update(status="cancelled", evidence="No longer needed")
    assert client.post(reverse("actions:plan_close", args=[safety.pk])).status_code == 302
    safety.refresh_from_db()
    assert safety.status == "closed"


def test_an_action_without_owner_or_due_date_names_the_fields(client, panel_world) -> None:
    w = panel_world
    safety = plan(w.jordan)
    client.force_login(w.social_worker)
    response = client.post(
        reverse("actions:action_new", args=[safety.pk]),
        {f"plan-{safety.pk}-text": "Visit", f"plan-{safety.pk}-category": "prevent"},
    )
    assert response.status_code == 200
    body = text(response)
    assert "Select owner" in body and "Enter due date" in body
    past = client.post(
        reverse("actions:action_new", args=[safety.pk]),
        {
            f"plan-{safety.pk}-text": "Visit",
            f"plan-{safety.pk}-category": "prevent",
            f"plan-{safety.pk}-owner": w.social_worker.pk,
            **day(f"plan-{safety.pk}-due_on", TODAY() - dt.timedelta(days=1)),
        },
    )
    assert "The due date cannot be in the past" in text(past)
    assert not Action.objects.exists()


def test_a_panel_member_cannot_reach_the_forms(client, panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    safety = plan(w.jordan)
    client.force_login(w.nurse)
    assert client.get(reverse("actions:plan_new", args=[w.jordan.pk])).status_code == 403
    assert client.get(reverse("actions:action_new", args=[safety.pk])).status_code == 403
    assert client.get(reverse("actions:plan_close", args=[safety.pk])).status_code == 403
    client.force_login(w.outsider)
    assert client.get(reverse("actions:action_new", args=[safety.pk])).status_code == 404


def test_language_guidance_after_adding_an_action(client, panel_world) -> None:
    w = panel_world
    safety = plan(w.jordan)
    client.force_login(w.social_worker)
    prefix = f"plan-{safety.pk}"
    client.post(
        reverse("actions:action_new", args=[safety.pk]),
        {
            f"{prefix}-text": "Talk to Jordan about putting himself at risk",
            f"{prefix}-owner": w.social_worker.pk,
            f"{prefix}-category": "prevent",
            **day(f"{prefix}-due_on", TODAY() + dt.timedelta(days=3)),
        },
    )
    page = text(client.get(reverse("actions:child", args=[w.jordan.pk])))
    assert "Language guidance" in page and "putting himself at risk" in page


# My actions and updating ----------------------------------------------------------------------


def test_my_actions_shows_overdue_first_and_the_owner_completes_one(client, panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    safety = plan(w.jordan)
    late = action(safety, w.nurse, -2, text="Health review")
    action(safety, w.nurse, 5, text="GP letter")
    client.force_login(w.nurse)
    body = text(client.get(reverse("actions:mine")))
    assert "2 open actions" in body
    first = body.index("Health review")
    assert first < body.index("Overdue", first) < body.index("GP letter")
    assert "Jordan Ashdown" in body

    form = client.get(reverse("actions:update", args=[late.pk]))
    assert form.status_code == 200 and "Health review" in text(form)
    missing = client.post(reverse("actions:update", args=[late.pk]), {"status": "done"})
    assert missing.status_code == 200
    assert "Enter the evidence that the action is done" in text(missing)
    assert "Enter the date the action was completed" in text(missing)
    done = client.post(
        reverse("actions:update", args=[late.pk]),
        {"status": "done", "evidence": "Review held at school", **day("completed_on", TODAY())},
    )
    assert done.status_code == 302 and done.url == reverse("actions:mine")
    late.refresh_from_db()
    assert late.status == "done" and late.completed_on == TODAY()
    assert "1 open action" in text(client.get(reverse("actions:mine")))


def test_an_owner_who_cannot_see_the_child_still_updates_without_the_name(
    client, panel_world
) -> None:
    w = panel_world
    past = meeting(w.panel, TODAY() - dt.timedelta(days=60), status="held")
    on_agenda(past, w.jordan)
    todo = action(plan(w.jordan), w.nurse, -1, meeting=past, text="Health review")
    assert not access.child_access(w.nurse, w.jordan).view
    client.force_login(w.nurse)
    body = text(client.get(reverse("actions:mine")))
    assert "A child on the Synthetshire MACE agenda" in body and "Jordan" not in body
    form = text(client.get(reverse("actions:update", args=[todo.pk])))
    assert "A child on the Synthetshire MACE agenda" in form and "Jordan" not in form
    assert client.get(reverse("actions:child", args=[w.jordan.pk])).status_code == 404


def test_who_may_open_the_update_page(client, panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    todo = action(plan(w.jordan), w.social_worker)
    for user, status in [
        (w.social_worker, 200),
        (w.manager, 200),
        (w.chair, 200),
        (w.nurse, 403),  # reads the plan through the panel, cannot update
        (w.outsider, 404),
    ]:
        client.force_login(user)
        assert client.get(reverse("actions:update", args=[todo.pk])).status_code == status


def _many_actions(w, count: int, owner) -> None:  # type: ignore[no-untyped-def]
    mace = meeting(w.panel, TODAY() - dt.timedelta(days=10), status="held")
    for number in range(count):
        child = ChildFactory(agency=w.scc, given_name=f"Child{number}")
        on_agenda(mace, child)
        action(plan(child), owner, -1 - number % 3, meeting=mace, text=f"Action {number}")


def test_my_actions_query_count_does_not_grow(
    client, panel_world, django_assert_max_num_queries
) -> None:
    w = panel_world
    _many_actions(w, 3, w.nurse)
    client.force_login(w.nurse)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("actions:mine"))
    _many_actions(w, 20, w.nurse)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("actions:mine"))
    assert "23 open actions" in text(response)


# Overdue and without a safety plan ------------------------------------------------------------


def test_overdue_for_a_chair_with_filters_and_counts(
    client, panel_world, django_assert_max_num_queries
) -> None:
    w = panel_world
    _many_actions(w, 4, w.nurse)
    action(plan(w.jordan), w.outsider, -3, text="Police visit", category="pursue",
           meeting=meeting(w.panel, TODAY() - dt.timedelta(days=3)))  # fmt: skip
    client.force_login(w.chair)
    with django_assert_max_num_queries(24) as few:
        body = text(client.get(reverse("actions:overdue")))
    assert "5 overdue actions by 4P category" in body and "5 overdue actions" in body
    assert "Synthetshire Health 4" in body and "Synthetshire Police 1" in body
    _many_actions(w, 20, w.nurse)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("actions:overdue"))
    filtered = text(
        client.get(reverse("actions:overdue"), {"agency": w.police.pk, "category": "pursue"})
    )
    assert "1 overdue action " in filtered and "Police visit" in filtered
    assert "Clear the filters" in filtered


def test_overdue_is_for_managers_and_chairs(client, panel_world) -> None:
    w = panel_world
    client.force_login(w.social_worker)
    assert client.get(reverse("actions:overdue")).status_code == 403
    client.force_login(w.manager)
    assert client.get(reverse("actions:overdue")).status_code == 200


def test_children_without_a_safety_plan_page(client, panel_world) -> None:
    w = panel_world
    client.force_login(w.manager)
    body = text(client.get(reverse("actions:without_safety_plan")))
    assert "1 child without a safety plan" in body and "Jordan Ashdown" in body
    analyst = UserFactory(agency=w.scc, role=Role.ANALYST)
    client.force_login(analyst)
    assert client.get(reverse("actions:without_safety_plan")).status_code == 403


# The child's record panel ---------------------------------------------------------------------


def test_the_record_panel_shows_plans_and_counts(rf, panel_world) -> None:
    w = panel_world
    safety = plan(w.jordan)
    action(safety, w.nurse, -1)
    action(safety, w.nurse, 4)
    html_out = render_to_string(
        "panels/actions/includes/child_plans_panel.html",
        {
            "child": w.jordan,
            "access": access.child_access(w.social_worker, w.jordan),
            "plans": child_plans_summary(w.jordan),
        },
    )
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_out))
    assert "Safety plan SP-" in plain and "2 open actions" in plain and "1 overdue" in plain
    assert reverse("actions:child", args=[w.jordan.pk]) in html_out
    warning = render_to_string(
        "panels/actions/includes/child_plans_panel.html",
        {"child": w.casey, "access": access.NO_ACCESS, "plans": child_plans_summary(w.casey)},
    )
    assert "Casey is at medium risk and has no safety plan" in warning


# The disruption log ---------------------------------------------------------------------------


def test_record_a_disruption_from_a_plan_and_find_it_in_the_log(client, panel_world) -> None:
    w = panel_world
    disruption = plan(w.jordan, "disruption", subjects="'Dee'")
    client.force_login(w.social_worker)
    url = reverse("actions:disruption_new") + f"?plan={disruption.pk}"
    form = client.get(url)
    assert form.status_code == 200 and w.jordan.child_ref in form.content.decode()
    arrest = {
        "tool": "arrest",
        "agency": w.police.pk,
        "children": w.jordan.child_ref,
        "person": "Adult known as 'Dee'",
        **day("occurred_on", TODAY()),
    }
    response = client.post(url, arrest)
    assert response.status_code == 200
    assert "Enter the offence the person was arrested for" in text(response)
    response = client.post(url, arrest | {"offence": "Possession with intent to supply"})
    assert response.status_code == 302
    saved = DisruptionActivity.objects.get()
    assert saved.plan == disruption and saved.agency == w.police
    log = text(client.get(reverse("actions:disruption"), {"tool": "arrest"}))
    assert "1 disruption activity" in log and "Jordan Ashdown" in log
    assert "Possession with intent to supply" in log
    none = text(client.get(reverse("actions:disruption"), {"tool": "sro"}))
    assert "0 disruption activities" in none


def test_who_may_use_the_disruption_log(client, panel_world) -> None:
    w = panel_world
    client.force_login(w.nurse)  # health panel member: reads the log, does not record
    assert client.get(reverse("actions:disruption")).status_code == 200
    assert client.get(reverse("actions:disruption_new")).status_code == 403
    client.force_login(UserFactory(agency=w.police, role=Role.SCRUTINY))
    assert client.get(reverse("actions:disruption")).status_code == 403
    client.force_login(w.outsider)
    assert client.get(reverse("actions:disruption_new")).status_code == 200
    other = plan(w.casey, "disruption", subjects="x")
    assert client.get(reverse("actions:disruption_new") + f"?plan={other.pk}").status_code == 404


def test_the_disruption_log_query_count_does_not_grow(
    client, panel_world, django_assert_max_num_queries
) -> None:
    w = panel_world
    from cairn.panels.plans_services import disruption_record

    def some(count: int) -> None:
        for number in range(count):
            disruption_record(
                actor=w.social_worker, tool="location", occurred_on=TODAY(),
                place=f"Park {number}", child_refs=[w.jordan.child_ref],
            )  # fmt: skip

    some(2)
    client.force_login(w.social_worker)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("actions:disruption"))
    some(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "17 disruption activities" in text(client.get(reverse("actions:disruption")))
