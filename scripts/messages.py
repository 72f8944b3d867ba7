"""Update and compile the English catalogues: `python scripts/messages.py`.

Collects every Dutch source string (makemessages, into each app's and the project's
locale/en), then compiles the .mo files that ship in the package. Translate the new or
fuzzy entries in the .po files between the two steps: `python scripts/messages.py --compile`.
Needs GNU gettext (apt-get install gettext).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "nabij"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compile", action="store_true", help="only compile the .po files into .mo files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        # A throwaway data dir and key: otherwise settings would write a key file into the package.
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "nabij.settings",
            "NABIJ_DATA_DIR": scratch,
            "SECRET_KEY": "messages-only",
        }
        steps = [["compilemessages", "--ignore", "static/*"]]
        if not args.compile:
            steps.insert(0, ["makemessages", "-l", "en", "--no-obsolete", "--ignore", "static/*"])
        for step in steps:
            done = subprocess.run(  # noqa: S603 (fixed arguments, no user input)
                [sys.executable, "-m", "django", *step], cwd=PACKAGE, env=env, check=False
            )
            if done.returncode:
                return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
