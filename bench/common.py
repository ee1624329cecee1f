"""Shared helpers of the benchmark scripts: an Odoo environment, counters.

The scripts are run with the Python that can ``import odoo``; they open a
registry themselves (as ``odoo shell`` does) so that they can measure one
piece of work in a real Odoo process.
"""

import argparse
import contextlib
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OCA_ADDONS = REPO / "bench" / ".oca"


def base_parser(description):
    """Argument parser with the database connection options."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "localhost"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))
    parser.add_argument("--log-level", default="warn")
    return parser


def load_odoo(args):
    """Configure Odoo for ``args.database`` and return its registry."""
    from odoo.modules.registry import Registry  # noqa: PLC0415 - after options
    from odoo.service import server  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    # ARC_BENCH_ADDONS: another copy of the addon (e.g. with a proposed change).
    addons = [os.environ.get("ARC_BENCH_ADDONS") or str(REPO)]
    if OCA_ADDONS.is_dir():
        addons.append(str(OCA_ADDONS))
    config.parse_config(
        [
            "-d",
            args.database,
            "--db_host",
            args.db_host,
            "--db_port",
            str(args.db_port),
            "--db_user",
            args.db_user,
            f"--addons-path={','.join(addons)}",
            f"--log-level={args.log_level}",
            "--http-interface=127.0.0.1",
            "--data-dir",
            os.environ.get("ARC_BENCH_DATA", "/tmp/arc_bench/data"),
        ]
    )
    server.load_server_wide_modules()
    return Registry(args.database)


@contextlib.contextmanager
def environment(registry):
    """A superuser environment on a new cursor, committed on success."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


def query_count():
    """Queries run by this process so far (Odoo's own counter)."""
    from odoo import sql_db  # noqa: PLC0415

    return sql_db.sql_counter


def peak_rss_mib():
    """Peak resident memory of this process, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Measure:
    """Wall time and queries of a block: ``with Measure() as m: ...``."""

    def __enter__(self):
        self.queries = query_count()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.queries = query_count() - self.queries
        self.rss_mib = peak_rss_mib()
        return False


def say(*parts):
    print(*parts, flush=True)
    sys.stdout.flush()
