"""KPI definitions, one module per group of codes.

`ReportingConfig.ready()` imports this package, and the imports below register KPIs in the order
of DOMAIN.md's performance matrix, which is the order `cairn kpi` prints them in. Add a module
for a new group here, in its DOMAIN.md position (missing.* and rhi.* go before register.*).
"""

from cairn.reporting.measures import missing, risk_register  # noqa: F401
