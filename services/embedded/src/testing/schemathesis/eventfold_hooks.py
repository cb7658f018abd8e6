"""Schemathesis hooks for eventfold's run against the gateway (services/embedded/src/schemathesis.e2e.spec.ts).

Every check runs (`--checks all`); these hooks drop two kinds of "schema-valid request rejected" (ST202) failure,
each only after checking the exchange itself against the published document:

1. A refusal the document names. Some refusals depend on the data, not on the request's form, and no schema can
   state them: If-Match naming another version (412 VERSION_MISMATCH), a rule of the user's current state (422,
   e.g. USER_FORGOTTEN), a consistency token naming no position of the event log (400
   CONSISTENCY_TOKEN_UNREACHABLE). The document names each problem code in the description of the operation's
   response for that status; a refusal whose code is named there is the documented reason, and kept out.
2. A request the document does not admit. Schemathesis 4.32's coverage phase draws no valid value for an optional
   header whose pattern needs characters outside [A-Za-z0-9] (If-Match `"3"`, X-Consistency-Token `3:42`): it seeds
   the header with a value from its negative cases (`0`) and then sends combinations with it as positive data. A
   refusal is right then; the hook checks that a header sent does break its declared pattern before dropping it.

3. A deactivated user that is still there. DELETE /v1/users/{id} deactivates (the document says so): the user stays,
   readable with `status: deactivated`, and can be reactivated, so the use-after-free check (ST301) does not apply
   to it. DELETE /v1/users/{id}/personal-data, which forgets, is checked as any DELETE.

Anything else, a 400 for a request the document admits above all, stays a failure. Each dropped failure is
written as a JSON line to EVENTFOLD_SCHEMATHESIS_DROPPED (when set), so that the test can report them.
"""

import json
import os
import re

import schemathesis


def _ref_parts(ref):
    return [part for part in ref.lstrip("#").split("/") if part]


def _resolved(document, node):
    while isinstance(node, dict) and "$ref" in node:
        target = document
        for part in _ref_parts(node["$ref"]):
            target = target[part]
        node = target
    return node


def _problem_code(response):
    try:
        body = json.loads(response.content)
    except (ValueError, TypeError):
        return None
    return body.get("code") if isinstance(body, dict) else None


def _refusal_is_documented(case, response):
    code = _problem_code(response)
    if not code:
        return False
    document = case.operation.schema.raw_schema
    responses = _resolved(document, case.operation.definition.raw).get("responses", {})
    documented = _resolved(document, responses.get(str(response.status_code), {}))
    return re.search(rf"\b{re.escape(code)}\b", documented.get("description", "")) is not None


def _sent_header_breaks_its_pattern(case):
    document = case.operation.schema.raw_schema
    sent = {name.lower(): value for name, value in (case.headers or {}).items()}
    for parameter in _resolved(document, case.operation.definition.raw).get("parameters", []):
        parameter = _resolved(document, parameter)
        if parameter.get("in") != "header":
            continue
        pattern = _resolved(document, parameter.get("schema", {})).get("pattern")
        value = sent.get(parameter["name"].lower())
        if pattern and value is not None and re.search(pattern, str(value)) is None:
            return True
    return False


def _delete_keeps_resource(case, failure):
    """Whether the DELETE the failure names is one the document describes as keeping the resource."""
    method, _, path = getattr(failure, "operation", "").partition(" ")
    operation = case.operation.schema.raw_schema.get("paths", {}).get(path, {}).get(method.lower(), {})
    return "the user stays" in operation.get("description", "")


def _dropped(why, case, response):
    log = os.environ.get("EVENTFOLD_SCHEMATHESIS_DROPPED")
    if log:
        with open(log, "a", encoding="utf-8") as out:
            line = {"why": why, "operation": case.operation.label, "status": response.status_code}
            out.write(json.dumps({**line, "code": _problem_code(response)}) + "\n")
    return False


@schemathesis.hook
def filter_query(ctx, query):
    """No follow streams: `follow=true` answers a stream that stays open by design (server-sent events, issue 22),
    which a request-response fuzzer would wait on until its timeout. The follow feed has its own e2e tests
    (followFeed.e2e.spec.ts, console.e2e.spec.ts)."""
    return not (query and str(query.get("follow")).lower() == "true")


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    kind = type(failure).__name__
    if kind == "UseAfterFree" and _delete_keeps_resource(case, failure):
        return _dropped("deactivation keeps the user", case, response)
    if kind != "RejectedPositiveData":
        return True
    if _refusal_is_documented(case, response):
        return _dropped("documented refusal", case, response)
    if _sent_header_breaks_its_pattern(case):
        return _dropped("header outside its pattern, sent as positive", case, response)
    return True
