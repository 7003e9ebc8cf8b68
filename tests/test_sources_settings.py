"""Where sources are and who asks: defaults, the user's config file, the environment."""

from __future__ import annotations

import pytest

from livingreview.sources import SourceSettings
from livingreview.sources.settings import CTGOV_URL, PUBMED_URL


def test_defaults_are_the_real_hosts(tmp_path):
    settings = SourceSettings.load(environment={"HOME": str(tmp_path)})
    assert settings.pubmed_url == PUBMED_URL == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    assert settings.ctgov_url == CTGOV_URL == "https://clinicaltrials.gov/api/v2"
    assert settings.europepmc_url == "https://www.ebi.ac.uk/europepmc/webservices/rest"
    assert settings.ncbi_api_key is None


def test_config_file_then_environment(tmp_path):
    config = tmp_path / "livingreview" / "config.toml"
    config.parent.mkdir()
    config.write_text('[sources]\nncbi_api_key = "from-config"\nncbi_email = "a@b.org"\n'
                      'timeout = 12\npubmed_url = "http://127.0.0.1:1/eutils"\n')
    from_file = SourceSettings.load(environment={"XDG_CONFIG_HOME": str(tmp_path)})
    assert (from_file.ncbi_api_key, from_file.timeout) == ("from-config", 12.0)
    assert from_file.pubmed_url == "http://127.0.0.1:1/eutils"
    overridden = SourceSettings.load(environment={"XDG_CONFIG_HOME": str(tmp_path),
                                                  "NCBI_API_KEY": "from-env",
                                                  "LIVINGREVIEW_PAGE_SIZE": "50"})
    assert (overridden.ncbi_api_key, overridden.page_size) == ("from-env", 50)
    assert overridden.ncbi_email == "a@b.org"


def test_the_key_is_not_in_the_settings_repr():
    settings = SourceSettings(ncbi_api_key="very-secret-key")
    assert "very-secret-key" not in repr(settings) and "ncbi_api_key='***'" in repr(settings)


def test_bad_settings_are_named(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[sources]\napi_key = 'x'\n")
    with pytest.raises(ValueError, match=r"config.toml: unknown key\(s\) \['api_key'\] in \[sources\]"):
        SourceSettings.load(config)
    with pytest.raises(ValueError, match="LIVINGREVIEW_TIMEOUT: expected a number, got 'soon'"):
        SourceSettings.load(environment={"LIVINGREVIEW_TIMEOUT": "soon"})
    with pytest.raises(ValueError, match="LIVINGREVIEW_RATE: expected a positive number"):
        SourceSettings.load(environment={"LIVINGREVIEW_RATE": "0"})
