"""The users domain as eventsourcing's own docs write one.

A declarative ``Aggregate`` whose ``@event`` methods are its commands (the tutorial's ``Dog`` with ``add_trick``),
and an ``Application`` that gets it from its repository and saves it (example-flask's ``BankAccounts``).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event


class User(Aggregate):
    """A user: registered with a name and an email address, renamed later."""

    @event("Registered")
    def __init__(self, name: str, email: str) -> None:
        self.name = name
        self.email = email

    @event("NameChanged")
    def change_name(self, name: str) -> None:
        self.name = name


class VersionAhead(Exception):
    """The expected version is one the user has not reached: stale from the client's side, so refused the same way."""


class Users(Application[UUID]):
    """Registers and renames users; configured from the environment (PERSISTENCE_MODULE, POSTGRES_*)."""

    def register(self, name: str, email: str) -> User:
        user = User(name=name, email=email)
        self.save(user)
        return user

    def change_name(self, user_id: UUID, name: str, expected_version: int) -> User:
        """Renames the user as of ``expected_version``.

        The repository rebuilds the user at that version; the new event then takes version expected + 1, which the
        recorder's primary key (originator_id, originator_version) refuses with eventsourcing's IntegrityError when
        another write took it first: optimistic concurrency by the library's own mechanism.
        """
        user: User = self.repository.get(user_id, version=expected_version)
        if user.version != expected_version:
            raise VersionAhead(f"user {user_id} is at version {user.version}, not {expected_version}")
        user.change_name(name)
        self.save(user)
        return user
