"""The SPA's API types are generated from frontend/openapi.json; it must be the backend's current schema."""

from __future__ import annotations

import difflib

import pytest

from api.openapi_export import DEFAULT_PATH, openapi_document, render

REGENERATE = "run `python -m api.openapi_export && cd frontend && npm run api:types` and commit the result"


def test_committed_openapi_json_matches_the_backend() -> None:
    if not DEFAULT_PATH.exists():
        pytest.fail(f"{DEFAULT_PATH} is missing: {REGENERATE}")
    committed = DEFAULT_PATH.read_text(encoding="utf-8")
    fresh = render(openapi_document())
    if committed != fresh:
        diff = difflib.unified_diff(
            committed.splitlines(), fresh.splitlines(), "frontend/openapi.json", "backend", lineterm=""
        )
        excerpt = "\n".join(line for _, line in zip(range(60), diff, strict=False))
        pytest.fail(f"frontend/openapi.json differs from the backend's OpenAPI schema: {REGENERATE}\n{excerpt}")


def test_export_is_deterministic() -> None:
    assert render(openapi_document()) == render(openapi_document())
