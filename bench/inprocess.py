"""Figures measured inside this process: the API through the test client, the engine, the renderer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import NamedTuple

from flask.testing import FlaskClient
from transitions import Event, Machine

from bench.bare import create_bare_app
from bench.common import Seeded, median_ms, service_app, timed
from bench.orm_floor import create_orm_floor_app
from bench.same_work_floor import create_same_work_floor_app
from service.application.transitions import fire_transition
from service.config import from_environment
from service.documents import DOCUMENT_KINDS, DocumentRenderer, DocumentRequest
from service.domain.engine import WorkflowEngine
from service.domain.rules import RULES, TransitionContext
from service.domain.workflow import load_workflow
from tests.integration.documents.conftest import NOW, make_engagement, make_tenant, payload_for

RECEIVE = {"trigger": "receive_feedback"}


class ApiTimes(NamedTuple):
    """Median ms of one receive_feedback each way (``api_test_client``)."""

    ours: float  # through the test client: the whole route
    same_work: float  # the same-work floor (``same_work_floor.py``): what the target bounds
    bare: float  # the bare Core route, for scale
    floor: float  # the ORM floor through the test client, for information
    use_case: float  # our use case called directly: no HTTP, no auth, no schema
    floor_view: float  # the ORM floor's view called directly

    @property
    def thin_api_ratio(self) -> float:
        """Our ratio if our API layer (auth, schemas, hooks) cost no more than the floor's bare
        Flask route: the use case plus the floor's own HTTP cost, against the floor."""
        return (self.use_case + self.floor - self.floor_view) / self.floor


def api_test_client(seeded: Seeded, ids: Iterator[int], rounds: int = 8, per_round: int = 50) -> ApiTimes:
    """receive_feedback through the test client: ours, the same-work floor, the bare route and the
    ORM floor (``orm_floor.py``), then our use case and the ORM floor's view without HTTP;
    interleaved in rounds so all see the same machine load."""
    app = service_app(seeded.url)
    service = app.test_client()
    same_work = create_same_work_floor_app(seeded.url).test_client()
    bare = create_bare_app(seeded.url).test_client()
    floor_app = create_orm_floor_app(seeded.url)
    floor = floor_app.test_client()
    bare_id, floor_id = next(ids), next(ids)
    rt = app.extensions["runtime"]

    def use_case() -> float:
        engagement_id = next(ids)
        return timed(
            lambda: fire_transition(
                rt, seeded.tenant_id, engagement_id, "receive_feedback", data=None, note=None
            )
        )

    floor_view = floor_app.view_functions["fire"]
    samples: list[list[float]] = [[] for _ in ApiTimes._fields]
    for round_number in range(rounds + 1):
        path = "/v1/engagements/{}/transitions"
        mine = [timed_receive(service, path.format(next(ids)), seeded) for _ in range(per_round)]
        same = [
            timed_receive(same_work, f"/floor/engagements/{next(ids)}/transitions", seeded)
            for _ in range(per_round)
        ]
        base = [timed_receive(bare, f"/bare/{bare_id}", seeded) for _ in range(per_round)]
        orm = [timed_receive(floor, f"/orm/{seeded.tenant_id}/{floor_id}", seeded) for _ in range(per_round)]
        direct = [use_case() for _ in range(per_round)]
        with floor_app.test_request_context():  # the view's jsonify needs one
            view = [timed(lambda: floor_view(seeded.tenant_id, floor_id)) for _ in range(per_round)]
        if round_number:  # the first round warms caches and connections
            for kept, new in zip(samples, (mine, same, base, orm, direct, view), strict=True):
                kept += new
    return ApiTimes(*(median_ms(s) for s in samples))


def timed_receive(client: FlaskClient, path: str, seeded: Seeded) -> float:
    started = time.perf_counter()
    response = client.post(path, json=RECEIVE, headers=seeded.headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (response.status_code, response.get_json())
    return elapsed


def engine_fire(rounds: int = 15, fires: int = 200, batch: int = 10_000) -> tuple[float, float, float, float]:
    """Median ms of WorkflowEngine.fire('receive_feedback'), of a dict lookup + guard call, of
    the floor under any engine that fires through ``transitions`` (a bare Machine's trigger), and
    of the same fire on an engine built for it: the Machine-per-request design the issue prices at
    ~110x, measured here to show the scale of this baseline. The four alternate round by round,
    so each ratio compares the same moments of the machine."""
    workflow = load_workflow(from_environment()["WORKFLOW_FILE"])
    engine = WorkflowEngine(workflow, DOCUMENT_KINDS)
    now = datetime(2026, 12, 9, 9, 30, tzinfo=UTC)
    engagement = make_engagement("en", state="active", feedback_requests=[])
    # The baseline: what a hand-written state machine would do for the same trigger.
    table = {("awaiting_feedback", "receive_feedback"): ("active", RULES.guards["handover_complete"])}
    ctx = TransitionContext(engagement, now, {}, source="awaiting_feedback")
    moved = SimpleNamespace(state="awaiting_feedback")  # not the engagement ours fires on
    go, back, model = _transitions_floor_machine()

    def fire_on_a_new_engine() -> None:
        WorkflowEngine(workflow, DOCUMENT_KINDS).fire(engagement, "receive_feedback", now)

    ours: list[float] = []
    theirs: list[float] = []
    floors: list[float] = []
    built_per_fire: list[float] = []
    for _ in range(rounds):
        for n in range(fires):
            if n % 10 == 0:
                # A real engagement holds a few requests; a long list would measure the scan in
                # open_feedback_request, not fire.
                engagement.feedback_requests.clear()
            engine.fire(engagement, "request_feedback", now, {"subject": "Plan"})
            ours.append(timed(lambda: engine.fire(engagement, "receive_feedback", now)))
            if n % 10 == 0:  # a tenth as many: building an engine costs some fifty fires
                engine.fire(engagement, "request_feedback", now, {"subject": "Plan"})
                built_per_fire.append(timed(fire_on_a_new_engine))
        started = time.perf_counter()
        for _ in range(batch):
            dest, guard = table[("awaiting_feedback", "receive_feedback")]
            if not guard(ctx):  # no reasons against it: the transition happens
                moved.state = dest
        theirs.append((time.perf_counter() - started) / batch)
        # Timed one trigger at a time like ours (a median of single calls), not as a batch mean:
        # on a loaded machine a batch's mean absorbs the time slices lost to other processes.
        for _ in range(fires // 2):
            floors.append(timed(lambda: go.trigger(model)))
            floors.append(timed(lambda: back.trigger(model)))
    return median_ms(ours), median_ms(theirs), median_ms(floors), median_ms(built_per_fire)


def _transitions_floor_machine() -> tuple[Event, Event, SimpleNamespace]:
    """A two-state Machine built like ours (model=None, no auto transitions, send_event) whose
    triggers have no condition and no callback: what transitions alone costs, back and forth."""
    machine = Machine(
        model=None,
        states=["a", "b"],
        initial="a",
        transitions=[
            {"trigger": "go", "source": "a", "dest": "b"},
            {"trigger": "back", "source": "b", "dest": "a"},
        ],
        auto_transitions=False,
        send_event=True,
    )
    return machine.events["go"], machine.events["back"], SimpleNamespace(state="a")


def render_kind(kind: str, samples: int = 12) -> tuple[float, float]:
    """Median ms of rendering one kind, and of plain docxtpl on the same template and context.
    Twelve pairs: the ratios sit at half the target or less, and each plain render costs ~50 ms
    (at 30 pairs the fifteen kinds took 43 s of the bench on 30 November)."""
    renderer = DocumentRenderer()
    request = DocumentRequest(
        kind=kind,
        engagement=make_engagement("en"),
        tenant=make_tenant("en"),
        now=NOW,
        payload=payload_for(kind),
    )
    template_name, context = renderer.context_for(request)
    renderer.render(request)  # compiles the template: once per process, not per document
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(samples):
        ours.append(timed(lambda: renderer.render(request)))
        theirs.append(timed(lambda: renderer.render_plain(template_name, context)))
    return median_ms(ours), median_ms(theirs)
