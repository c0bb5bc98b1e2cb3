"""The handover checklist: access only once nothing is owed, each item resolved once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from service.application.billing import add_invoice
from service.application.handover import handover_step
from service.application.runtime import Runtime
from service.application.transitions import fire_transition
from service.domain.errors import Conflict
from tests.unit.application.conftest import record, stored
from tests.unit.application.test_billing import pay
from tests.unit.fakes import FakeDatabase

ACCESS = ("transfer_ownership", "hand_over_credentials")


def offboard(rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int) -> dict[str, int]:
    """Begin offboarding by mutual agreement; the id of each handover item by its action."""
    data = {"reason": "mutual", "explanation": "Agreed by phone"}
    fire_transition(rt, tenant_id, engagement_id, "begin_offboarding", data=data, note=None)
    return {i.action: i.id or 0 for i in stored(database, engagement_id).handover_items}


def test_access_waits_for_an_invoice_issued_but_not_yet_due(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    pay(rt, tenant_id, engagement_id, "1200.00", date(2026, 12, 1))  # December: paid
    extra = {"description": "Extra campaign", "amount": Decimal("250.00"), "due_on": date(2026, 12, 31)}
    add_invoice(rt, tenant_id, engagement_id, extra)  # owed, due at the end of the month
    items = offboard(rt, database, tenant_id, engagement_id)
    for action in ACCESS:
        before = database.committed
        with pytest.raises(Conflict, match=r"€250\.00 is still owed"):
            handover_step(rt, tenant_id, engagement_id, items[action], step="complete", reason="")
        assert database.committed is before
    # An item that gives the client nothing can be completed while money is owed.
    done = handover_step(rt, tenant_id, engagement_id, items["remove_our_access"], step="complete", reason="")
    assert done["status"] == "completed"

    pay(rt, tenant_id, engagement_id, "250.00", date(2026, 12, 1))
    for action in ACCESS:
        done = handover_step(rt, tenant_id, engagement_id, items[action], step="complete", reason="")
        assert done["status"] == "completed"


def test_access_can_be_waived_with_a_reason_while_money_is_owed(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    items = offboard(rt, database, tenant_id, engagement_id)  # December's 1,200 unpaid
    reason = "Handed over once the December invoice is paid"
    waived = handover_step(
        rt, tenant_id, engagement_id, items["transfer_ownership"], step="waive", reason=reason
    )
    assert (waived["status"], waived["reason"]) == ("waived", reason)
    entry = record(database, engagement_id)[-1]
    assert entry.type == "handover_step"
    assert (entry.payload["status"], entry.payload["reason"], entry.payload["balance_due"]) == (
        "waived",
        reason,
        "1200.00",
    )


def test_an_item_is_resolved_once(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    items = offboard(rt, database, tenant_id, engagement_id)
    handover_step(rt, tenant_id, engagement_id, items["export_content"], step="complete", reason="")
    before = database.committed
    for step in ("complete", "waive"):
        with pytest.raises(Conflict, match="is already completed"):
            handover_step(rt, tenant_id, engagement_id, items["export_content"], step=step, reason="Again")
    assert database.committed is before
