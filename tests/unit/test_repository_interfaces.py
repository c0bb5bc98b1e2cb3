"""The application works through interfaces (``domain/repositories.py``, ``domain/queues.py``,
the ``UnitOfWork`` and ``Runtime`` protocols). The SQL implementations offer every method of
each, and the in-memory fakes offer a part of each, always with the interface's parameters: a
method renamed or given a new parameter on one side fails here, not in production."""

from __future__ import annotations

import inspect
from typing import Any, get_type_hints

import pytest
from sqlalchemy.orm import sessionmaker

from service.adapters.key_store import SqlKeyStore
from service.adapters.mail import SmtpMailer
from service.adapters.secret_box import SecretBox as SqlSecretBox
from service.adapters.signing import HeadSigner
from service.adapters.unit_of_work import SqlAlchemyUnitOfWork
from service.application import runtime
from service.application.unit_of_work import UnitOfWork
from service.domain.record import Signer
from tests.unit.fakes import FakeDatabase, NoKeys

REPOSITORIES = {name: kind for name, kind in get_type_hints(UnitOfWork).items()}


def methods(interface: type) -> dict[str, inspect.Signature]:
    """The public methods an interface (or an implementation) defines, by name."""
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(interface, inspect.isfunction)
        if not name.startswith("_") and name in _own_names(interface)
    }


def _own_names(cls: type) -> set[str]:
    return {name for klass in cls.__mro__ if klass is not object for name in vars(klass)}


def parameters(signature: inspect.Signature) -> list[tuple[str, Any, Any]]:
    """Names, kinds and defaults: what a caller relies on (annotations may differ in spelling)."""
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


def assert_implements(implementation: type, interface: type, *, whole: bool) -> None:
    wanted, offered = methods(interface), methods(implementation)
    if whole:
        assert not set(wanted) - set(offered), f"{implementation.__name__} lacks {set(wanted) - set(offered)}"
    extra = set(offered) - set(wanted)
    assert not extra, f"{implementation.__name__} has {extra}, which {interface.__name__} does not name"
    for name in offered:
        assert parameters(offered[name]) == parameters(wanted[name]), (
            f"{implementation.__name__}.{name}{offered[name]} differs from {interface.__name__}.{name}{wanted[name]}"
        )


def test_the_unit_of_work_names_a_repository_interface_for_each_repository() -> None:
    assert {"tenants", "engagements", "record", "documents", "messages", "webhooks", "pdfs"} <= set(
        REPOSITORIES
    )
    assert all(getattr(kind, "_is_protocol", False) for kind in REPOSITORIES.values())


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
def test_the_sql_repository_offers_every_method_of_its_interface(name: str) -> None:
    with SqlAlchemyUnitOfWork(sessionmaker()) as uow:  # no bind: nothing connects
        assert_implements(type(getattr(uow, name)), REPOSITORIES[name], whole=True)


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
def test_the_fake_repository_offers_only_methods_of_its_interface(name: str) -> None:
    with FakeDatabase().unit_of_work() as uow:
        if not hasattr(uow, name):
            pytest.skip(f"no use case tested in memory uses uow.{name}")
        assert_implements(type(getattr(uow, name)), REPOSITORIES[name], whole=False)


@pytest.mark.parametrize(
    ("implementation", "interface", "whole"),
    [
        (SqlKeyStore, runtime.KeyStore, True),
        (NoKeys, runtime.KeyStore, True),
        (SmtpMailer, runtime.Mailer, True),
        (SqlSecretBox, runtime.SecretBox, True),
        (HeadSigner, Signer, True),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_the_runtimes_services_offer_their_interfaces(
    implementation: type, interface: type, whole: bool
) -> None:
    assert_implements(implementation, interface, whole=whole)


def test_the_smtp_mailer_is_built_as_the_runtime_builds_a_tenants_own() -> None:
    wanted = inspect.signature(runtime.MailerFactory.__call__)
    offered = inspect.signature(SmtpMailer.__init__)
    named = {p.name for p in wanted.parameters.values()}
    assert named <= set(offered.parameters), f"SmtpMailer{offered} cannot be called as {wanted}"


def test_a_method_that_drifts_from_its_interface_is_named() -> None:
    class Drifted:
        def get(self, tenant_id: int, *, locked: bool = False) -> None: ...

    with pytest.raises(AssertionError, match=r"Drifted\.get"):
        assert_implements(Drifted, REPOSITORIES["tenants"], whole=False)
