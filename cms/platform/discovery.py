"""Which plugin apps to install. Runs while settings load, so it imports
nothing from Django or from the plugins themselves.

Two sources: the first-party plugins in `plugins/` of this repository, and
any installed distribution that advertises an entry point in the
`sikanda.plugins` group (`pip install sikanda-plugin-x` is all it takes):

    [project.entry-points."sikanda.plugins"]
    hello = "sikanda_hello"
"""

from importlib.metadata import entry_points
from pathlib import Path

ENTRY_POINT_GROUP = "sikanda.plugins"


def first_party(base_dir):
    plugins_dir = Path(base_dir) / "plugins"
    return sorted(
        f"plugins.{path.parent.name}"
        for path in plugins_dir.glob("*/apps.py")
        if (path.parent / "__init__.py").exists()
    )


def from_entry_points():
    return sorted({entry_point.value for entry_point in entry_points(group=ENTRY_POINT_GROUP)})


def plugin_apps(base_dir):
    found = []
    for module in [*first_party(base_dir), *from_entry_points()]:
        if module not in found:
            found.append(module)
    return found
