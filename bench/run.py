"""`make bench`: generate a county once (cached), run every bench/bench_*.py, print a table of
medians and write bench/RESULTS.md.

Each benchmark module defines `run(ctx: BenchContext) -> list[Result]`. Options:
  --children N   county size (default 500, the demo county)
  --seed S       generator seed (default 42)
  --only NAME    run only bench_NAME.py
  --assessments-per-child N   every child gets N risk assessments (issue 4 uses 10)
  --episodes N   missing episodes bench_missing.py imports (default 1,000,000)
  --results PATH where to write the results (default bench/RESULTS.md)
  --postgres     also run on PostgreSQL (DATABASE_URL from the environment, or the local server)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/cairn_bench"


@dataclass
class Result:
    name: str
    samples: list[float]
    unit: str = "s"
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


@dataclass
class BenchContext:
    children: int
    seed: int
    database: str
    results: list[Result] = field(default_factory=list)
    episodes: int = 1_000_000

    def record(self, name: str, samples: list[float], unit: str = "s", note: str = "") -> Result:
        """A figure measured by the benchmark itself (a one-off run, a rate)."""
        result = Result(name, samples, unit, note)
        self.results.append(result)
        return result

    def time(self, name: str, fn: Callable[[], object], repeat: int = 5, note: str = "") -> Result:
        fn()  # warm up
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        result = Result(name, samples, note=note)
        self.results.append(result)
        return result


def _cairn(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "cairn", *args], check=True, env=env, cwd=ROOT)


def _generator_fingerprint() -> str:
    """Changes whenever the generator's code or the schema changes, so caches are rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(
        [*(ROOT / "cairn" / "demo").rglob("*.py"), *ROOT.glob("cairn/*/migrations/*.py")]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def prepare_database(
    children: int, seed: int, database_url: str | None, assessments: int | None = None
) -> str:
    """A migrated database holding a generated county. SQLite files are cached by size, seed,
    assessments per child and the generator's code; PostgreSQL is regenerated when they differ."""
    env = {**os.environ, "CAIRN_ENV": "test"}
    generate = ["generate", "--children", str(children), "--seed", str(seed)]
    if assessments is not None:
        generate += ["--assessments-per-child", str(assessments)]
    key = f"{children}-{seed}-{assessments or 'mix'}-{_generator_fingerprint()}"
    if database_url is None:
        CACHE.mkdir(parents=True, exist_ok=True)
        path = CACHE / f"county-{key}.sqlite3"
        url = f"sqlite:///{path}"
        if path.exists():
            return url
        tmp = path.with_suffix(".partial")
        env["DATABASE_URL"] = f"sqlite:///{tmp}"
        tmp.unlink(missing_ok=True)
        _cairn(["migrate", "--no-input", "-v", "0"], env)
        _cairn(generate, env)
        tmp.rename(path)
        return url
    env["DATABASE_URL"] = database_url
    _cairn(["migrate", "--no-input", "-v", "0"], env)
    marker = CACHE / f"postgres-{database_url.rsplit('/', 1)[-1]}.key"
    if not marker.exists() or marker.read_text() != key:
        _cairn([*generate, "--reset"], env)
        CACHE.mkdir(parents=True, exist_ok=True)
        marker.write_text(key)
    return database_url


def run_benchmarks(
    database_url: str, children: int, seed: int, only: str | None, episodes: int = 1_000_000
) -> list[Result]:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    os.environ["CAIRN_ENV"] = "test"
    import django

    django.setup()
    ctx = BenchContext(
        children=children, seed=seed, database=database_url.split(":")[0], episodes=episodes
    )
    for module_path in sorted((ROOT / "bench").glob("bench_*.py")):
        name = module_path.stem.removeprefix("bench_")
        if only and name != only:
            continue
        spec = importlib.util.spec_from_file_location(module_path.stem, module_path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.run(ctx)
    return ctx.results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=500)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only")
    parser.add_argument(
        "--assessments-per-child",
        type=int,
        help="give every child exactly N risk assessments (default: the realistic mix)",
    )
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--in-process", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.in_process:  # child process: one database per process (django.setup once)
        results = run_benchmarks(
            args.in_process, args.children, args.seed, args.only, args.episodes
        )
        for r in results:
            samples = ",".join(f"{s:.6f}" for s in r.samples)
            print(f"RESULT\t{r.name}\t{r.unit}\t{samples}\t{r.note}")
        return

    targets = [("sqlite", None)]
    if args.postgres:
        targets.append(("postgresql", os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT)))
    rows: list[tuple[str, Result]] = []
    for label, url in targets:
        if url and url.startswith("postgresql"):
            _ensure_pg_database(url)
        prepared = prepare_database(args.children, args.seed, url, args.assessments_per_child)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--in-process",
                prepared,
                "--children",
                str(args.children),
                "--seed",
                str(args.seed),
                "--episodes",
                str(args.episodes),
                *(["--only", args.only] if args.only else []),
            ],
            stdout=subprocess.PIPE,  # results; progress and errors go straight to stderr
            check=True,
            text=True,
            cwd=ROOT,
        ).stdout
        for line in out.splitlines():
            if line.startswith("RESULT\t"):
                _, name, unit, samples, note = line.split("\t")
                rows.append(
                    (label, Result(name, [float(s) for s in samples.split(",")], unit, note))
                )
    _report(
        rows,
        args.children,
        args.seed,
        command=" ".join(sys.argv[1:]),
        path=args.results,
        only=args.only,
    )


def _ensure_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], capture_output=True)


def _shown(result: Result) -> str:
    if result.unit == "s":
        return f"{result.median * 1000:.1f} ms"
    return f"{result.median:,.0f} {result.unit}"


TITLES = {
    "all": "Every benchmark",
    "pages": "Pages: caseload, child list, search and the child record",
    "risk": "Risk register and register KPIs (issue 4)",
    "missing": "Missing episodes: import and KPIs (issue 5)",
    "panels": "Panels: agenda proposals and my actions (issue 6)",
}


def _report(
    rows: list[tuple[str, Result]],
    children: int,
    seed: int,
    command: str,
    path: Path,
    only: str | None = None,
) -> None:
    """Print the table and rewrite this run's section of RESULTS.md (`--only NAME`, or "all"),
    keeping the sections other runs wrote."""
    header = "| database | benchmark | median | samples | note |\n|---|---|---|---|---|"
    lines = [f"| {db} | {r.name} | {_shown(r)} | {len(r.samples)} | {r.note} |" for db, r in rows]
    table = "\n".join([header, *lines])
    print(table)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    key = only or "all"
    section = (
        f"<!-- section: {key} -->\n## {TITLES.get(key, key)}\n\n"
        f"County: {children} children, seed {seed}. Run {when} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.\n"
        f'Command: `make bench BENCH_ARGS="{command}"`.\n\n{table}\n<!-- end: {key} -->\n'
    )
    path.write_text(_replace_section(_read(path), key, section))


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def _replace_section(text: str, key: str, section: str) -> str:
    start, end = f"<!-- section: {key} -->", f"<!-- end: {key} -->\n"
    if not text.startswith("# Benchmark results"):
        text = (
            "# Benchmark results\n\nEach section is rewritten by the run named in it "
            "(`make bench BENCH_ARGS=...`); the others are kept.\n\n"
        )
    if start in text and end in text:
        before, rest = text.split(start, 1)
        return before + section + rest.split(end, 1)[1]
    return text.rstrip("\n") + "\n\n" + section


if __name__ == "__main__":
    main()
