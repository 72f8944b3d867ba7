#!/usr/bin/env python3
"""Vendor the front-end assets from npm into src/nabij/static/vendor/ and record what was taken.

    python scripts/vendor_assets.py           # install the pinned versions, copy, write VERSIONS.json
    python scripts/vendor_assets.py --check   # verify the files on disk against VERSIONS.json (no npm)

npm is needed only to run this script after changing a version below; the results are kept
in the repository, so a fresh machine and production never need npm or a CDN.

What is taken, and why so little (residents' pages must stay under 60 KB compressed):
- the Utrecht component CSS of the NL Design System: only the components Nabij's templates use,
  each file verbatim, in the versions that the pinned `@utrecht/component-library-css` release pins;
- the NL Design System "voorbeeld" (example) theme, EUPL-licensed and meant for reuse. The Utrecht
  design tokens are proprietary to Gemeente Utrecht, so they are not used. The theme file also
  carries tokens for other municipalities' component libraries; only the declarations that the
  Utrecht components and Nabij's own CSS can reach are kept (the `--utrecht-*`, `--basis-*` and
  `--voorbeeld-*` properties and whatever they refer to);
- htmx 2, the one minified file;
- Leaflet, for the wayfinder's map (script, stylesheet and marker images). It loads only on the
  map view, which is an extra next to the list: the list works without it and without JavaScript.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "nabij" / "static" / "vendor"
VERSIONS_FILE = VENDOR / "VERSIONS.json"

UTRECHT_BUNDLE = ("@utrecht/component-library-css", "9.0.4")
THEME = ("@nl-design-system-unstable/voorbeeld-design-tokens", "7.4.1")
HTMX = ("htmx.org", "2.0.11")
LEAFLET = ("leaflet", "1.9.4")
LEAFLET_FILES = (
    "dist/leaflet.js",
    "dist/leaflet.css",
    "dist/images/marker-icon.png",
    "dist/images/marker-icon-2x.png",
    "dist/images/marker-shadow.png",
)

THEME_CLASS = "voorbeeld-theme"
# Custom-property families the vendored CSS and static/nabij/nabij.css use directly.
THEME_PREFIXES = ("--utrecht-", "--basis-", "--voorbeeld-")

# The Utrecht components the templates use, in cascade order (page structure first, so that
# component rules come later and win where they overlap). Add a component here, rerun the script.
UTRECHT_COMPONENTS = (
    "root",
    "body",
    "document",
    "page-layout",
    "page-header",
    "page-body",
    "page-footer",
    "skip-link",
    "nav-bar",
    "nav-list",
    "heading-1",
    "heading-2",
    "heading-3",
    "paragraph",
    "link",
    "link-list",
    "link-button",
    "unordered-list",
    "ordered-list",
    "code",
    "alert",
    "button",
    "button-group",
    "form-field",
    "form-fieldset",
    "form-label",
    "form-field-description",
    "form-field-error-message",
    "textbox",
    "textarea",
    "select",
    "checkbox",
    "table",
    "data-list",
    "status-badge",
    "pagination",
)


@dataclass
class Source:
    package: str
    version: str
    file: str
    sha256: str


@dataclass
class Output:
    path: str
    sha256: str
    bytes: int
    transform: str
    sources: list[Source] = field(default_factory=list)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_dir(node_modules: Path, name: str) -> Path:
    return node_modules.joinpath(*name.split("/"))


def package_meta(node_modules: Path, name: str) -> dict[str, object]:
    meta: dict[str, object] = json.loads((package_dir(node_modules, name) / "package.json").read_text())
    return meta


def npm_install(prefix: Path, specs: list[str]) -> Path:
    # --ignore-scripts: nothing from the registry runs on this machine; we only read files.
    command = ["npm", "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(prefix)]
    subprocess.run([*command, *specs], check=True)  # noqa: S603 - fixed argv, no shell
    return prefix / "node_modules"


def read_source(node_modules: Path, package: str, relative: str) -> tuple[bytes, Source]:
    meta = package_meta(node_modules, package)
    data = (package_dir(node_modules, package) / relative).read_bytes()
    return data, Source(package=package, version=str(meta["version"]), file=relative, sha256=sha256_bytes(data))


def write_output(relative: str, data: bytes, transform: str, sources: list[Source]) -> Output:
    target = VENDOR / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Output(path=relative, sha256=sha256_bytes(data), bytes=len(data), transform=transform, sources=sources)


def copy_licence(node_modules: Path, package: str, directory: str) -> Output:
    folder = package_dir(node_modules, package)
    for candidate in ("LICENSE.md", "LICENSE", "LICENSE.txt"):
        if (folder / candidate).exists():
            data, source = read_source(node_modules, package, candidate)
            return write_output(f"{directory}/{candidate}", data, "copy", [source])
    raise SystemExit(f"{package} ships no licence file; check it before vendoring.")


def vendor_utrecht(node_modules: Path) -> list[Output]:
    bundle, version = UTRECHT_BUNDLE
    pinned = package_meta(node_modules, bundle)["dependencies"]
    assert isinstance(pinned, dict)
    parts: list[bytes] = []
    sources: list[Source] = []
    for component in UTRECHT_COMPONENTS:
        package = f"@utrecht/{component}-css"
        if package not in pinned:
            raise SystemExit(f"{package} is not part of {bundle}@{version}.")
        data, source = read_source(node_modules, package, "dist/index.css")
        if source.version != pinned[package]:
            raise SystemExit(f"{package}: installed {source.version}, {bundle} pins {pinned[package]}.")
        parts.append(f"\n/* {package}@{source.version} dist/index.css */\n".encode() + data.strip() + b"\n")
        sources.append(source)
    header = f"/* NL Design System Utrecht components for Nabij, from {bundle}@{version}. EUPL-1.2. */\n"
    css = header.encode() + b"".join(parts)
    return [
        write_output("utrecht/components.css", css, "concatenate", sources),
        copy_licence(node_modules, bundle, "utrecht"),
    ]


DECLARATION = re.compile(r"^\s*(--[\w-]+)\s*:\s*(.*?);\s*$", re.MULTILINE)
REFERENCE = re.compile(r"var\(\s*(--[\w-]+)")


def reachable_theme_css(css: str) -> str:
    """Keep the theme declarations that the prefixes reach, in their original order."""
    # The text before each "{", after the last "}" or comment: the selectors (linear, unlike a regex).
    selectors = [piece.rsplit("}", 1)[-1].rsplit("*/", 1)[-1].strip() for piece in css.split("{")[:-1]]
    if selectors != [f".{THEME_CLASS}"]:
        raise SystemExit(f"Expected one .{THEME_CLASS} rule in the theme, found {selectors}; check the package.")
    declarations = DECLARATION.findall(css)
    values = dict(declarations)
    keep: set[str] = set()
    pending = [name for name in values if name.startswith(THEME_PREFIXES)]
    while pending:
        name = pending.pop()
        if name in keep or name not in values:
            continue
        keep.add(name)
        pending.extend(REFERENCE.findall(values[name]))
    body = "".join(f"  {name}: {value};\n" for name, value in declarations if name in keep)
    return f".{THEME_CLASS} {{\n{body}}}\n"


def vendor_theme(node_modules: Path) -> list[Output]:
    package, version = THEME
    data, source = read_source(node_modules, package, "dist/theme.css")
    header = (
        f"/* NL Design System voorbeeld theme, {package}@{version}, EUPL-1.2.\n"
        f"   Only the declarations that the Utrecht components and Nabij use; see scripts/vendor_assets.py. */\n"
    )
    css = header + reachable_theme_css(data.decode())
    return [
        write_output("voorbeeld-design-tokens/theme.css", css.encode(), "filter-custom-properties", [source]),
        copy_licence(node_modules, package, "voorbeeld-design-tokens"),
    ]


def vendor_htmx(node_modules: Path) -> list[Output]:
    package, _version = HTMX
    data, source = read_source(node_modules, package, "dist/htmx.min.js")
    return [
        write_output("htmx.org/htmx.min.js", data, "copy", [source]),
        copy_licence(node_modules, package, "htmx.org"),
    ]


def vendor_leaflet(node_modules: Path) -> list[Output]:
    package, _version = LEAFLET
    outputs = []
    for relative in LEAFLET_FILES:
        data, source = read_source(node_modules, package, relative)
        outputs.append(write_output(f"leaflet/{relative.removeprefix('dist/')}", data, "copy", [source]))
    return [*outputs, copy_licence(node_modules, package, "leaflet")]


def vendor() -> None:
    packages = [UTRECHT_BUNDLE, THEME, HTMX, LEAFLET]
    with tempfile.TemporaryDirectory(prefix="nabij-vendor-") as tmp:
        node_modules = npm_install(Path(tmp), [f"{name}@{version}" for name, version in packages])
        for name, version in packages:
            installed = package_meta(node_modules, name)["version"]
            if installed != version:
                raise SystemExit(f"{name}: asked for {version}, npm installed {installed}.")
        # Start clean so a component removed from the list does not linger.
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        groups = [
            (UTRECHT_BUNDLE, vendor_utrecht(node_modules)),
            (THEME, vendor_theme(node_modules)),
            (HTMX, vendor_htmx(node_modules)),
            (LEAFLET, vendor_leaflet(node_modules)),
        ]
        record = [
            {
                "package": name,
                "version": version,
                "licence": package_meta(node_modules, name)["license"],
                "files": [_output_json(output) for output in outputs],
            }
            for (name, version), outputs in groups
        ]
    VERSIONS_FILE.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    total = sum(output["bytes"] for entry in record for output in entry["files"])  # type: ignore[misc]
    print(f"Vendored {len(record)} packages, {total:,} bytes, into {VENDOR.relative_to(ROOT)}.")


def _output_json(output: Output) -> dict[str, object]:
    return {
        "path": output.path,
        "sha256": output.sha256,
        "bytes": output.bytes,
        "transform": output.transform,
        "sources": [source.__dict__ for source in output.sources],
    }


def check() -> int:
    """Exit non-zero if a vendored file was edited by hand or is missing."""
    problems = []
    for entry in json.loads(VERSIONS_FILE.read_text()):
        for output in entry["files"]:
            path = VENDOR / output["path"]
            if not path.exists():
                problems.append(f"missing: {output['path']}")
            elif sha256_bytes(path.read_bytes()) != output["sha256"]:
                problems.append(f"changed: {output['path']} (rerun scripts/vendor_assets.py)")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="verify files against VERSIONS.json; no npm")
    args = parser.parse_args()
    if args.check:
        return check()
    vendor()
    return 0


if __name__ == "__main__":
    sys.exit(main())
