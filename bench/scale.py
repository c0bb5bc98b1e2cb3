"""`make bench-scale`: a deployment's size on PostgreSQL, each figure beside its same-run baseline.

    .venv/bin/python -m bench.scale                       # 1,000,000 engagements, 10,000 tenants
    .venv/bin/python -m bench.scale --engagements 50000   # a quick look

Two databases are seeded (``scale_seed.py``: set-based inserts, not the API): the large one with
the deployment (``--engagements`` over ``--tenants``, 100,000 of them one tenant's, 1,000 due,
1,000,000 delivered outbox rows) and a small one with 10,000 engagements, 1,000 due and no
delivered outbox rows: the baseline for the tick and the outbox. The large one also holds an
engagement whose record has 10,000 entries and 200 documents, and one with 1,000 and 20.
Prints the same table as ``make bench`` and adds its figures to ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from typing import Any

from sqlalchemy import event, select, text

from bench.common import BENCH_CONFIG, ROOT, database, timed
from bench.run import RESULTS, Figure, _at_most, _figure, print_table
from bench.scale_seed import CREATED, SWEEP_AT, Deployment, long_record, seed_deployment
from service import create_app
from service.adapters.database import close_connections
from service.adapters.orm import engagements
from service.application.clock import sweep
from service.application.dispatcher import deliver_until_idle
from service.domain import webhooks
from service.domain.webhooks import OutboxMessage
from tests.webhooks.receiver import running_receiver

DUE = 1_000
PENDING = 1_000
PAGE = 20  # the API's default page size
SAMPLES = 100  # requests per page depth


def _explain(app: Any, path: str, headers: dict[str, str]) -> dict[str, Any]:
    """The plan PostgreSQL chose for the page's engagement SELECT, run again under EXPLAIN ANALYZE."""
    engine, seen = app.extensions["sql_engine"], []

    def capture(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        # The page's own SELECT (its columns begin with the tenant's zone, read alongside).
        if "\nFROM engagements" in statement and "LIMIT" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert app.test_client().get(path, headers=headers).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = seen[0]
    with engine.connect() as connection:
        plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
    root = plan[0]["Plan"]
    nodes = []

    def walk(node: dict[str, Any]) -> None:
        nodes.append(f"{node['Node Type']}{' on ' + node['Index Name'] if 'Index Name' in node else ''}")
        for child in node.get("Plans", []):
            walk(child)

    walk(root)
    keyset = not any(n.startswith(("Sort", "Seq Scan", "Bitmap")) for n in nodes)
    return {"plan": nodes, "keyset": keyset, "execution_ms": plan[0]["Execution Time"]}


def list_figure(deployment: Deployment, tenant_id: int, state: str | None) -> Figure:
    """p99 of the tenant's list (filtered by ``state`` or not) at the first, middle and last page."""
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": deployment.url})
    client, headers = app.test_client(), {"Authorization": f"Bearer {deployment.key}"}
    query = (
        select(engagements.c.id).where(engagements.c.tenant_id == tenant_id).order_by(engagements.c.id.desc())
    )
    if state:
        query = query.where(engagements.c.state == state)
    with app.extensions["sql_engine"].connect() as connection:
        ids = connection.execute(query).scalars().all()
    # As a served worker does (gunicorn.conf.py): what set-up made is frozen out of the collector's
    # way. Here that is also the seeding's objects, whose full collections (~150 ms) landed on
    # this figure's samples and made its p99.
    gc.collect()
    gc.freeze()
    pages = len(ids) // PAGE
    depths = {"first": None, "middle": ids[(pages // 2) * PAGE - 1], "last": ids[(pages - 1) * PAGE - 1]}
    base = "/v1/engagements?" + (f"state={state}&" if state else "")
    p99: dict[str, float] = {}
    for name, cursor in depths.items():
        path = base + (f"cursor={cursor}" if cursor else "")
        samples = []
        for _ in range(SAMPLES + 5):
            started = time.perf_counter()
            answer = client.get(path, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200 and len(answer.get_json()["items"]) == PAGE
            if len(samples) >= 10 and sum(samples) > 10_000:
                break  # far past the target: fewer samples say so as well
        ordered = sorted(samples[5:] if len(samples) > SAMPLES else samples)
        p99[name] = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    gc.unfreeze()  # the caller's objects are its own again
    first, plan = _explain(app, base, headers), _explain(app, base + f"cursor={depths['last']}", headers)
    plan = {**plan, "keyset": plan["keyset"] and first["keyset"], "first_page_plan": first["plan"]}
    close_connections(app)
    worst = max(p99.values())
    return _figure(
        worst,
        p99["first"],
        worst / p99["first"],
        "p99 <= 20 ms at any depth, keyset",
        worst <= 20 and plan["keyset"],
        page_p99_ms=p99,
        pages=pages,
        rows=len(ids),
        **plan,
    )


def tick_ms(url: str) -> float:
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": url, "CLOCK": lambda: CREATED})
    rt = app.extensions["runtime"]
    started = time.perf_counter()
    taken = sweep(rt, as_of=SWEEP_AT)
    elapsed = (time.perf_counter() - started) * 1000
    close_connections(app)
    assert len({t.engagement_id for t in taken}) == DUE, len(taken)
    return elapsed


def dispatch_ms(deployment: Deployment) -> tuple[float, dict[str, Any]]:
    """One dispatcher run over ``PENDING`` new announcements to a loopback receiver."""
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": deployment.url, "WEBHOOK_ALLOW_PRIVATE_TARGETS": True})
    rt = app.extensions["runtime"]
    engine = app.extensions["sql_engine"]
    with running_receiver() as receiver:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE webhook_endpoints SET url = :url WHERE id = :id"),
                {"url": receiver.url, "id": deployment.endpoint_id},
            )
        tenant_id = _tenant_of(engine, deployment.template_id)
        now = rt.clock()
        with rt.writer() as uow:
            for n in range(PENDING):
                body = webhooks.body("engagement.transitioned", now, {"n": n, "pad": "x" * 300})
                uow.webhooks.announce(OutboxMessage(tenant_id, "engagement.transitioned", body, now))
            uow.commit()
        with engine.connect() as connection:
            plan = connection.execute(
                text(
                    "EXPLAIN (FORMAT JSON) SELECT id FROM outbox "
                    "WHERE dispatched_at IS NULL ORDER BY id LIMIT 500"
                )
            ).scalar()
        elapsed = timed(lambda: deliver_until_idle(rt)) * 1000
    close_connections(app)
    return elapsed, {"fan_out_plan": plan[0]["Plan"].get("Plans", [plan[0]["Plan"]])[0].get("Index Name")}


def _tenant_of(engine: Any, engagement_id: int) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(engagements.c.tenant_id).where(engagements.c.id == engagement_id)
            ).scalar_one()
        )


def record_figures(deployment: Deployment) -> dict[str, Figure]:
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": deployment.url, "CLOCK": lambda: CREATED})
    rt = app.extensions["runtime"]
    tenant_id = _tenant_of(app.extensions["sql_engine"], deployment.template_id)
    small = long_record(rt, tenant_id, 1_000, 20)
    big = long_record(rt, tenant_id, 10_000, 200)
    close_connections(app)
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale_export", deployment.url, deployment.key, str(small), str(big)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    found = json.loads(done.stdout.strip().splitlines()[-1])
    growth = found["export_rss_growth_mb"]
    return {
        "verify_10k_entries": _at_most(
            found["verify_big_ms"], found["verify_small_ms"], 15, "<= 15x 1k entries (linear: 10x)"
        ),
        "export_10k_entries_200_docs": _at_most(
            found["export_big_ms"],
            found["export_small_ms"],
            15,
            "<= 15x 1k/20 docs (linear: 10x)",
            zip_mb=found["export_big_bytes"] / 2**20,
        ),
        "export_rss_growth": _figure(
            None, 50.0, growth / 50, "RSS grows < 50 MB", growth < 50, rss_growth_mb=growth
        ),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=1_000_000)
    parser.add_argument("--tenants", type=int, default=10_000)
    parser.add_argument("--delivered", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    results: dict[str, Figure] = {}
    started = time.perf_counter()
    with database("postgresql") as small_url, database("postgresql") as large_url:
        small = seed_deployment(
            small_url,
            engagement_count=10_000,
            tenant_count=args.tenants,
            big_tenant=5_000,
            due=DUE,
            delivered=0,
        )
        large = seed_deployment(
            large_url,
            engagement_count=args.engagements,
            tenant_count=args.tenants,
            big_tenant=min(100_000, args.engagements // 2),
            due=DUE,
            delivered=args.delivered,
        )
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
        tenant_id = _tenant_of(
            create_app({**BENCH_CONFIG, "DATABASE_URL": large_url}).extensions["sql_engine"],
            large.template_id,
        )
        state = _most_common_state(large_url, tenant_id)
        results["engagement_list_by_state"] = list_figure(large, tenant_id, state)
        results["engagement_list_unfiltered"] = list_figure(large, tenant_id, None)
        print("lists: done", flush=True)
        results["tick_1m_vs_10k"] = _at_most(
            tick_ms(large_url), tick_ms(small_url), 1.5, "<= 1.5x 10k, 1,000 due"
        )
        print("tick: done", flush=True)
        ours, extra = dispatch_ms(large)
        theirs, _ = dispatch_ms(small)
        results["outbox_dispatch_1m_delivered"] = _at_most(
            ours, theirs, 1.5, "<= 1.5x no delivered rows", **extra
        )
        print("outbox: done", flush=True)
        results.update(record_figures(large))
        print("record: done", flush=True)
    print(f"bench-scale took {time.perf_counter() - started:.0f} s")
    everything = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps({**everything, **results}, indent=2) + "\n")
    print_table(results)
    for name in ("engagement_list_by_state", "engagement_list_unfiltered"):
        row = results[name]
        print(
            f"{name}: {row['rows']} rows, {row['pages']} pages; p99 ms {row['page_p99_ms']}; "
            f"plans: first page {row['first_page_plan']}, last page {row['plan']}"
        )
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


def _most_common_state(url: str, tenant_id: int) -> str:
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": url})
    with app.extensions["sql_engine"].connect() as connection:
        found = connection.execute(
            text(
                "SELECT state FROM engagements WHERE tenant_id = :t "
                "GROUP BY state ORDER BY count(*) DESC LIMIT 1"
            ),
            {"t": tenant_id},
        ).scalar_one()
    close_connections(app)
    return str(found)


if __name__ == "__main__":
    main(sys.argv[1:])
