"""Which files the wheel holds; the project's metadata is in pyproject.toml.

templates/, static/ and migrations/ stay at the repository's root and travel inside the wheel as
the data packages portal.templates, portal.static and portal.migrations, so an installed wheel
runs on its own (portal/app.py finds them in either place)."""

from setuptools import find_packages, setup

#: data package → the folder at the repository's root that it is built from
DATA = {"portal.templates": "templates", "portal.static": "static", "portal.migrations": "migrations"}

setup(
    packages=find_packages(include=["portal", "portal.*", "signing", "signing.*"]) + list(DATA),
    package_dir=DATA,
    package_data={
        "portal": ["translations/*/LC_MESSAGES/*", "demo/*.txt", "checks/data/*.csv"],
        **{package: ["**/*"] for package in DATA},
    },
    exclude_package_data={package: ["**/__pycache__/*", "**/*.pyc"] for package in DATA},
)
