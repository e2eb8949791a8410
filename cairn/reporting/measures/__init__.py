"""KPI definitions, one module per group of codes.

`ReportingConfig.ready()` imports this package, and the imports below register KPIs in the order
of DOMAIN.md's performance matrix, which is the order `cairn kpi` prints them in. Add a module
for a new group here, in its DOMAIN.md position: missing.* and rhi.* go before register.*, and
meetings.* and actions.* after it. The imports are in that order, not alphabetical.
"""

# isort: off
from cairn.reporting.measures import missing  # noqa: F401 - missing.*, rhi.*
from cairn.reporting.measures import risk_register  # noqa: F401 - register.*
from cairn.reporting.measures import panels  # noqa: F401 - meetings.*, actions.*

# isort: on
