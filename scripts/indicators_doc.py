"""Write docs/indicators.md from the indicator definitions: `python scripts/indicators_doc.py`.

`--check` exits 1 when the page differs from what the definitions give (CI and a test use it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "docs" / "indicators.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the page is out of date")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nabij.settings")
    os.environ.setdefault("NABIJ_DATA_DIR", tempfile.mkdtemp())
    import django

    django.setup()
    from nabij.monitor.indicators.docs import render

    text = render()
    if args.check:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE} is out of date: run python scripts/indicators_doc.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
