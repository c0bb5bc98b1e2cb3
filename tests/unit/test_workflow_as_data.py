"""The workflow file is the one source of state and trigger names: rename them there, and every
rule (billing, the clock, payments, health, documents) follows without a code change."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import yaml

from service.config import ROOT
from service.domain import health
from service.domain.billing import apply_payment
from service.domain.engine import WorkflowEngine
from service.domain.model import Event
from service.domain.schedule import forecast, next_step
from service.domain.workflow import WorkflowError, load_workflow, parse_workflow
from tests.unit.builders import engagement, invoice

WORKFLOW_TEXT = (ROOT / "workflows" / "engagement.yaml").read_text(encoding="utf-8")
WORKFLOW = load_workflow(ROOT / "workflows" / "engagement.yaml")
RENAMES = {
    "paused": "suspended",
    "offboarding": "winding_up",
    "closed": "archived",
    "pause_work": "stop_work",
    "resume": "restart",
    "issue_conduct_warning": "send_warning",
}


def renamed() -> WorkflowEngine:
    text = WORKFLOW_TEXT
    for old, new in RENAMES.items():
        text = re.sub(rf"\b{old}\b", new, text)
    definition = parse_workflow(yaml.safe_load(text))
    return WorkflowEngine(definition, definition.document_kinds())


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def test_renamed_states_and_triggers_keep_the_payment_ladder_working() -> None:
    engine = renamed()
    e = engagement(invoices=[invoice(date(2026, 12, 1), period="2026-12")])
    steps = [(s.trigger, s.at.date()) for s in forecast(e, engine, at(date(2026, 12, 10)), None)]
    assert steps == [("mark_payment_overdue", date(2026, 12, 2)), ("stop_work", date(2026, 12, 9))]
    engine.fire(e, "mark_payment_overdue", at(date(2026, 12, 2)), firer="clock")
    stopped = engine.fire(e, "stop_work", at(date(2026, 12, 9)), firer="clock")
    assert (stopped.dest, stopped.documents) == ("suspended", ("stop_work_notice",))
    apply_payment(e, Decimal("1200.00"), date(2026, 12, 10))
    assert engine.first_allowed(e, "payment", at(date(2026, 12, 10))) == "restart"
    restarted = engine.fire(e, "restart", at(date(2026, 12, 10)), firer="payment")
    # The resume notice goes out because the engagement left a work_stopped state.
    assert (restarted.dest, restarted.documents) == ("active", ("resume_notice",))


def test_renamed_states_keep_health_reading_pauses_and_warnings() -> None:
    engine = renamed()
    definition = engine.definition
    e = engagement(state="suspended", invoices=[invoice(date(2026, 11, 1))])
    moves = [("stop_work", "payment_overdue", "suspended"), ("send_warning", "active", "active")]
    events = [
        Event(1, seq, "transition", at(date(2026, 11, 20)), {"trigger": t, "from": f, "to": d}, "", "")
        for seq, (t, f, d) in enumerate(moves, start=1)
    ]
    result = health.assess(e, date(2026, 12, 1), events, definition)
    assert result.late_payment.level == "act"
    assert [x["type"] for x in result.late_payment.evidence] == ["invoice", "pause"]
    assert [x["type"] for x in result.controlling.evidence] == ["conduct_warning"]
    assert result.recommendation.startswith("Work is paused until payment")


def test_no_monthly_invoice_is_due_in_a_state_the_file_marks_unbilled() -> None:
    engine = renamed()
    billed = engagement(start_date=date(2027, 1, 1))
    step = next_step(billed, engine)
    assert step is not None and step.trigger == "issue_invoice"
    assert next_step(replace(billed, state="winding_up"), engine) is None
    assert next_step(replace(billed, state="archived"), engine) is None


def test_a_clock_trigger_without_a_due_rule_is_refused_when_the_file_loads() -> None:
    data = yaml.safe_load(WORKFLOW_TEXT)
    del data["triggers"]["pause_work"]["due_at"]
    with pytest.raises(WorkflowError, match="'pause_work': a clock trigger needs a due_at rule"):
        parse_workflow(data)


def test_a_due_rule_the_code_does_not_register_fails_start_up_naming_it() -> None:
    data = yaml.safe_load(WORKFLOW_TEXT)
    data["triggers"]["pause_work"]["due_at"] = "when_the_moon_is_full"
    definition = parse_workflow(data)
    with pytest.raises(WorkflowError, match="due rule 'when_the_moon_is_full'"):
        WorkflowEngine(definition, definition.document_kinds())


def test_a_trigger_without_a_firer_or_with_an_unknown_one_is_refused() -> None:
    data = yaml.safe_load(WORKFLOW_TEXT)
    data["triggers"]["close"]["by"] = ["cron"]
    with pytest.raises(WorkflowError, match="'close' is fired by \\['cron'\\]"):
        parse_workflow(data)


def _string_literals(source: str) -> set[str]:
    found = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            body = re.sub(r"^[rbuRBUfF]*('''|\"\"\"|'|\")", "", token.string)
            found.add(body[: -3 if token.string.endswith(("'''", '"""')) else -1])
    return found


# Strings equal to a workflow name that mean something else, and why they stay.
NOT_WORKFLOW_NAMES = {
    ("service/application/keys.py", "active"): "an API key's status, not an engagement's state",
    ("service/domain/portal.py", "active"): "a portal link's status (ACTIVE), as an API key's",
}


def test_no_state_or_trigger_name_is_written_as_a_string_in_the_service_code() -> None:
    names = set(WORKFLOW.state_names) | set(WORKFLOW.triggers)
    offenders = {
        (str(path.relative_to(ROOT)), name)
        for path in (ROOT / "service").rglob("*.py")
        for name in names & _string_literals(path.read_text(encoding="utf-8"))
    }
    assert offenders - set(NOT_WORKFLOW_NAMES) == set()
