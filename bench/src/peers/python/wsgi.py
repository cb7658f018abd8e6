"""HTTP API of the Python peer (Flask, as eventsourcing's example-flask), served by gunicorn (gunicorn.conf.py).

POST /users {name, email} -> 201 {"id"}, ETag "1"; PUT /users/<id>/name {name} with If-Match "<version>" -> 204 with
the next ETag, 412 when the version is stale, 404 for an unknown user. The same contract as the Emmett peer.
"""

from __future__ import annotations

import re
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from flask import Flask, Response, jsonify, request

from users import Users, VersionAhead

app = Flask(__name__)
# One application (and so one connection pool) per gunicorn worker process: created at import, after the fork.
users = Users()

_VERSION = re.compile(r'^(?:W/)?"?(\d+)"?$')


def _problem(status: int, title: str, detail: str) -> Response:
    response = jsonify({"title": title, "detail": detail, "status": status})
    response.status_code = status
    response.content_type = "application/problem+json"
    return response


@app.post("/users")
def register_user() -> Response:
    body = request.get_json(force=True)
    user = users.register(name=str(body["name"]), email=str(body["email"]))
    response = jsonify({"id": str(user.id)})
    response.status_code = 201
    response.headers["Location"] = f"/users/{user.id}"
    response.set_etag(str(user.version))
    return response


@app.put("/users/<user_id>/name")
def change_user_name(user_id: str) -> Response:
    match = _VERSION.match(request.headers.get("If-Match", ""))
    if match is None:
        return _problem(428, "Precondition Required", "If-Match with the expected version is required")
    body = request.get_json(force=True)
    expected_version = int(match.group(1))
    try:
        user = users.change_name(UUID(user_id), str(body["name"]), expected_version)
    except AggregateNotFoundError:
        return _problem(404, "Not Found", f"no user {user_id}")
    except IntegrityError:
        # Version expected + 1 exists: another write came first. The driver's message would show the table's key.
        return _problem(412, "Precondition Failed", f"version {expected_version} of user {user_id} is stale")
    except VersionAhead as error:
        return _problem(412, "Precondition Failed", str(error))
    response = Response(status=204)
    response.set_etag(str(user.version))
    return response


@app.get("/healthz")
def healthz() -> Response:
    return jsonify({"status": "ok"})
