"""Vendored third-party files are exactly the listed versions' files: each sha256 recomputed."""

from __future__ import annotations

import hashlib
import tomllib

from tests.conftest import ROOT

VENDOR = ROOT / "service" / "static" / "vendor"
LIST = VENDOR / "VENDORED.toml"


def _listed() -> dict[str, str]:
    packages = tomllib.loads(LIST.read_text())["packages"]
    return {
        f"{name}/{path}": digest
        for name, package in packages.items()
        for path, digest in package["files"].items()
    }


def test_every_vendored_file_has_the_listed_sha256() -> None:
    listed = _listed()
    actual = {path: hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() for path in listed}
    assert actual == listed


def test_no_file_under_vendor_is_unlisted() -> None:
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file() and p != LIST}
    assert present == set(_listed())


def test_each_package_names_its_version_and_registry_tarball() -> None:
    for name, package in tomllib.loads(LIST.read_text())["packages"].items():
        version = package["version"]
        assert package["tarball"].startswith("https://registry.npmjs.org/"), name
        assert package["tarball"].endswith(f"-{version}.tgz"), name
        assert package["integrity"].startswith("sha512-") and package["license"]
