from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
DATA = Path(__file__).resolve().parent / "data"


def fixture_path(*parts: str) -> Path:
    """A file in ../shared/fixtures; skips the test (with the reason) when it is absent."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared fixture {path} is not present (tests marked realdata need ../shared)")
    return path


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
