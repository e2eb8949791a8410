"""`make bench` rewrites only its own section of bench/RESULTS.md: a risk run keeps the pages and
missing figures earlier runs recorded."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def bench_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_run_replaces_its_section_and_keeps_the_others(tmp_path: Path) -> None:
    run = bench_run()
    results = tmp_path / "RESULTS.md"
    page = run.Result("manager: child record", [0.010, 0.020, 0.030])
    run._report([("sqlite", page)], 500, 42, "--only pages", results, only="pages")
    risk = run.Result("manager: register page", [1.0, 2.0, 3.0])
    run._report([("sqlite", risk)], 500, 42, "--only risk", results, only="risk")
    faster = run.Result("manager: register page", [0.5, 0.5, 0.5])
    run._report([("postgresql", faster)], 500, 42, "--only risk", results, only="risk")

    text = results.read_text()
    assert text.startswith("# Benchmark results")
    assert text.count("<!-- section: pages -->") == 1 and text.count("<!-- section: risk -->") == 1
    assert "| sqlite | manager: child record | 20.0 ms | 3 |  |" in text
    assert "| postgresql | manager: register page | 500.0 ms | 3 |  |" in text
    assert "2000.0 ms" not in text  # the first risk run was replaced
    assert text.index("section: pages") < text.index("section: risk")
