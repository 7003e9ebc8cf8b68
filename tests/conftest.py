from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
DATA = Path(__file__).resolve().parent / "data"


# CI sets this: there a realdata test that cannot find its data is a failure, not a skip.
REQUIRE_REALDATA = os.environ.get("LIVINGREVIEW_REQUIRE_REALDATA") == "1"


def fixture_path(*parts: str) -> Path:
    """A file in ../shared/fixtures; skips the test (with the reason) when it is absent, or
    fails it when LIVINGREVIEW_REQUIRE_REALDATA=1."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        reason = f"shared fixture {path} is not present (tests marked realdata need ../shared)"
        if REQUIRE_REALDATA:
            pytest.fail(f"{reason}; LIVINGREVIEW_REQUIRE_REALDATA=1 forbids skipping", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under LIVINGREVIEW_REQUIRE_REALDATA=1 a realdata test skipped any other way (its own
    pytest.skip, importorskip, a skip marker) fails too, saying why it would have skipped."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if REQUIRE_REALDATA and report.skipped and item.get_closest_marker("realdata") is not None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"realdata test skipped ({reason}) but LIVINGREVIEW_REQUIRE_REALDATA=1 "
                           "forbids skipping")


@pytest.fixture(scope="session", autouse=True)
def embedding_cache(tmp_path_factory: pytest.TempPathFactory):
    """The embeddings cache lives in one temporary folder per test run, never in the user's home.

    Set in the environment, so CLI subprocesses started by the tests use it too.
    """
    with pytest.MonkeyPatch.context() as patch:
        directory = tmp_path_factory.mktemp("livingreview-cache")
        patch.setenv("LIVINGREVIEW_CACHE_DIR", str(directory))
        yield directory


@pytest.fixture
def minimal_protocol() -> Path:
    return DATA / "minimal_protocol.toml"


@pytest.fixture
def review(tmp_path: Path, minimal_protocol: Path):
    from livingreview import Review

    with Review.init(tmp_path / "review", minimal_protocol) as opened:
        yield opened


@pytest.fixture
def flagship_protocol() -> Path:
    return ROOT / "examples" / "glutamate-entactogens" / "protocol.toml"
