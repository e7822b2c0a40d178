"""Fixtures for the template checks."""

import pytest

from .cfn import Template, load_template


@pytest.fixture(scope="session")
def template() -> Template:
    return load_template()
