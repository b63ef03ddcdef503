"""`python -m api.openapi_export [path]`: writes the API's OpenAPI document for the SPA's generated types.

The app is built, not started: no database, Redis or providers are touched. The sandbox routes are
included as `make run` includes them (they are hidden from the schema anyway). The output is pretty
JSON with sorted keys and a trailing newline, the same on every run, so the committed copy
(frontend/openapi.json, default path) can be compared with a fresh one to catch drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from api.app import create_app
from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "frontend" / "openapi.json"


def export_settings() -> Settings:
    """Settings for building the app only: the sandbox on, as with `make run`; nothing is connected."""
    return Settings(environment="development", sandbox=True, demo_seed=False)


def openapi_document() -> dict[str, Any]:
    return create_app(export_settings()).openapi()


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: python -m api.openapi_export [path]", file=sys.stderr)
        return 2
    path = Path(args[0]) if args else DEFAULT_PATH
    path.write_text(render(openapi_document()), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
