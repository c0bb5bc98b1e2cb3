"""The service's PostgreSQL connections price random reads as on SSD storage (random_page_cost
1.1): under the default 4, `make bench-scale` showed a large tenant's first page of engagements
read by walking the primary key down through every other tenant's rows (1.7 s among a million)
instead of the tenant's own (tenant_id, id) index (0.2 ms). The plan itself is shown at that
scale by `make bench-scale`; a test database is too small for the planner to choose the same way.

PostgreSQL only: SQLite has no such setting.
"""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import text

from service.adapters.database import RANDOM_PAGE_COST, make_engine, make_lookup_engine
from tests.conftest import POSTGRES_URL


def _setting(url: str, *, lookup: bool = False) -> str:
    engine = make_engine(url)
    used = make_lookup_engine(engine) if lookup else engine
    with used.connect() as connection:
        value = connection.execute(text("SHOW random_page_cost")).scalar_one()
    used.dispose()
    engine.dispose()
    return str(value)


def test_every_service_connection_prices_random_reads_for_ssd() -> None:
    assert RANDOM_PAGE_COST == 1.1
    assert _setting(POSTGRES_URL) == "1.1"
    assert _setting(POSTGRES_URL, lookup=True) == "1.1"  # the API keys' own pool too


def test_options_in_the_database_url_are_the_operators_and_win() -> None:
    own = quote("-c random_page_cost=2.5")
    assert _setting(f"{POSTGRES_URL}?options={own}") == "2.5"
