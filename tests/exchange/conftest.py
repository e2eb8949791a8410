"""Shared helpers for the exchange tests: a small partnership and files to import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from auditlog.models import LogEntry

from cairn.accounts.models import Agency, Role
from cairn.audit.models import AccessEvent
from cairn.children.models import Child, Placement
from cairn.core.models import Ward
from tests.factories import AgencyFactory, UserFactory, WardFactory
from tests.panels.conftest import panel_world  # noqa: F401 - a fixture for test_meetings_exchange

AGENCIES = (
    "agency,name,kind\r\n"
    "SCC,Synthetshire Children's Services,children_services\r\n"
    'HYP,"Harbour Youth Project, Synthetshire",voluntary\r\n'
)
CHILDREN = (
    "child_ref,agency,given_name,family_name,other_names,date_of_birth,sex,ethnicity,postcode,"
    "ward_code,legal_status,home_authority,uasc,school_urn,education_status\r\n"
    "C-1,SCC,Amara,Testchild,,2010-04-01,female,,SY1 1AA,E05900001,looked_after,E10000099,"
    "false,100001,on_roll\r\n"
    'C-2,HYP,Zoë,"O\'Testname, Jr",Zed,2011-12-31,male,White British,,,none,,true,,\r\n'
)
PLACEMENTS = (
    "placement_ref,child_ref,agency,provider_name,placement_type,ward_code,out_of_area,"
    "start_date,end_date\r\n"
    "P-1,C-1,SCC,Hillside House,childrens_home,E05900002,false,2023-01-01,2023-06-30\r\n"
    "P-2,C-1,SCC,,foster,,true,2023-07-01,\r\n"
)
GOOD = {"agencies.csv": AGENCIES, "children.csv": CHILDREN, "placements.csv": PLACEMENTS}


@dataclass
class Partnership:
    scc: Agency
    police: Agency
    wards: list[Ward]


@pytest.fixture
def partnership(db) -> Partnership:  # type: ignore[no-untyped-def]
    """Two agencies and two wards already in Cairn."""
    scc = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    wards = [WardFactory(code="E05900001"), WardFactory(code="E05900002")]
    return Partnership(scc=scc, police=police, wards=wards)


@pytest.fixture
def manager(partnership):  # type: ignore[no-untyped-def]
    # No password: tests sign in with force_login, and hashing one is slow.
    return UserFactory(
        username="scc_manager", role=Role.MANAGER, agency=partnership.scc, password=None
    )


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def snapshot() -> tuple[object, ...]:
    """Everything an import could change, to prove a rejected import changed nothing."""
    return (
        list(Agency.objects.order_by("code").values_list("code", "name", "kind")),
        list(Child.objects.order_by("child_ref").values()),
        list(Placement.objects.order_by("placement_ref").values()),
        AccessEvent.objects.count(),
        LogEntry.objects.count(),
    )
