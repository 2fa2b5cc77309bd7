"""``/api/openapi.json`` describes every route, and Schemathesis finds no server error in
the real app (WSGI) over a private copy of the sample index, write API included."""

from __future__ import annotations

import os
import random
import shutil
from collections import Counter
from itertools import product

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from search_service import create_app
from search_service.openapi import OPERATIONS

TOKEN = "openapi-test-token"
# Per operation and mode (valid, invalid input): Hypothesis examples, bounded in make test;
# SCHEMATHESIS_EXAMPLES=2000 for a longer hunt.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "100"))
KNOWN_IDS = ("vb-2024-nq-15", "07-kiem-tra-an-toan-ho-dap", "thong-bao-ket-luan-42-tb-ubnd")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


@pytest.fixture(scope="module")
def app(sample_index, tmp_path_factory):
    index = tmp_path_factory.mktemp("openapi") / "index"
    shutil.copytree(sample_index, index, symlinks=True)
    return create_app({"INDEX": str(index), "TESTING": True, "ADMIN_TOKEN": TOKEN})


def test_every_api_route_is_described_and_nothing_else(app):
    spec = app.test_client().get("/api/openapi.json").get_json()
    described = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    routes = {(rule.rule, method.lower()) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert len(described) == len(routes)
    assert {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/")} == set(OPERATIONS)
    assert spec["openapi"].startswith("3.")


def test_an_undeclared_method_is_405_with_allow(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<path:doc_id>", "vb-2024-nq-15")
            response = client.open(path, method="TRACE")
            assert response.status_code == 405 and response.get_json()["error"]
            allowed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert rule.methods <= allowed, (rule.rule, allowed)


def test_the_description_states_the_limits_in_force(sample_index):
    app = create_app({"INDEX": str(sample_index), "TESTING": True, "MAX_PER_PAGE": 25,
                      "MAX_QUERY_LENGTH": 300})
    spec = app.test_client().get("/api/openapi.json").get_json()
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["per_page"]["maximum"] == 25 and params["q"]["maxLength"] == 300
    assert spec["paths"]["/api/documents"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in spec["paths"]["/api/search"]["get"]


def strategy(operation, mode: GenerationMode):
    """Generated cases; those with a document id also with the ids of real documents."""
    generated = operation.as_strategy(mode)
    if "{doc_id}" not in operation.path:
        return generated
    return st.one_of(generated, *(operation.as_strategy(mode, path_parameters={"doc_id": id_})
                                  for id_ in KNOWN_IDS))


def fuzz(operation, mode: GenerationMode, failures: list[str], statuses: Counter) -> None:
    """Run Hypothesis' examples of ``operation``; failures and answers go to the lists."""

    # mostly with the token, so the writes run too, not only the 401s
    @given(case=strategy(operation, mode), with_token=st.sampled_from([True, False]))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case, with_token):
        # Hypothesis seeds the global random module alike for every example, and Whoosh
        # names new segments with it: two writes would pick the same segment name
        random.seed(os.urandom(16))
        headers = {"Authorization": f"Bearer {TOKEN}"} if with_token else {}
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
        except AssertionError as exc:  # schemathesis' failures are AssertionErrors
            failures.append(f"{operation.label} ({mode.value}): {str(exc)[:2000]}")
            raise
        statuses[operation.label, response.status_code] += 1

    try:
        run()
    except AssertionError:
        pass  # collected in failures; on with the other operations
    except Unsatisfiable:
        # nothing to make invalid (/api/health takes no input)
        assert mode == GenerationMode.NEGATIVE and not operation.query, operation.label


def test_schemathesis_finds_no_server_error(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # deletions last, so the reads still find the documents they name
    operations.sort(key=lambda op: op.method.upper() == "DELETE")
    failures: list[str] = []
    statuses: Counter = Counter()
    for operation, mode in product(operations, (GenerationMode.POSITIVE,
                                                GenerationMode.NEGATIVE)):
        fuzz(operation, mode, failures, statuses)
    assert not failures, "\n\n".join(failures)
    print(sorted(statuses.items()))
    # the generated requests reached past the validation, to real answers and writes
    for label, status in [("GET /api/search", 200), ("POST /api/documents", 201),
                          ("GET /api/documents/{doc_id}", 200),
                          ("GET /api/documents/{doc_id}/similar", 200),
                          ("GET /api/documents/{doc_id}/citations", 200),
                          ("DELETE /api/documents/{doc_id}", 200),
                          ("POST /api/documents", 401), ("GET /api/search", 400)]:
        assert statuses[label, status] > 0, (label, status, statuses)


def test_the_sample_index_was_not_touched(sample_index):
    """Schemathesis writes into its own copy: the shared sample index is as built."""
    app = create_app({"INDEX": str(sample_index), "TESTING": True})
    assert app.test_client().get("/api/health").get_json()["documents"] == 34

