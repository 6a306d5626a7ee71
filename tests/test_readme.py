"""README.md documents every environment variable the settings read, and the two commands."""

import re
from pathlib import Path

from django.conf import settings

ENV_READ = re.compile(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_every_environment_variable_is_in_the_readme():
    base = Path(settings.BASE_DIR)
    readme = (base / "README.md").read_text(encoding="utf-8")
    names = set()
    for module in (base / "config" / "settings").glob("*.py"):
        names |= set(ENV_READ.findall(module.read_text(encoding="utf-8")))
    assert names, "no environment variables found: the pattern is broken"
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []


def test_readme_shows_the_two_commands():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
