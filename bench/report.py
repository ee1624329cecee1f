"""Print the benchmark table from the JSON results of ``scripts/bench.sh``.

Usage: ``python3 bench/report.py bench/results 1k 10k 100k``
       ``python3 bench/report.py --queue bench/results 10k`` (``--workers``)
"""

import json
import sys
from pathlib import Path


def load(folder, size, engine):
    path = Path(folder) / f"{size}-{engine}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text())


def seconds(result):
    if not result:
        return "-"
    if result.get("failed"):
        return f">{result['timeout']}"
    return f"{result['seconds']:.1f}"


def ms_per_email(result):
    """Milliseconds per email of the email job (written and queued)."""
    if not result.get("mails_queued") or "emails_s" not in result:
        return "-"
    return f"{1000 * result['emails_s'] / result['mails_queued']:.1f}"


def row(folder, size):
    ours, oca, listing = (load(folder, size, e) for e in ("ar", "oca", "list"))
    ratio = "-"
    if ours.get("seconds") and oca.get("seconds"):
        ratio = f"{oca['seconds'] / ours['seconds']:.1f}x"
    elif ours.get("seconds") and oca.get("failed"):
        ratio = f">{oca['timeout'] / ours['seconds']:.1f}x"
    return [
        size,
        str(ours.get("customers", "-")),
        seconds(ours),
        str(ours.get("queries", "-")),
        str(ours.get("peak_rss_mib", "-")),
        str(ours.get("mails_queued", "-")),
        f"{ours['emails_s']:.1f}" if "emails_s" in ours else "-",
        ms_per_email(ours),
        seconds(oca),
        str(oca.get("queries", "-")),
        str(oca.get("peak_rss_mib", "-")),
        str(oca.get("lines", "-")),
        ratio,
        str(min(listing["times"])) if listing.get("times") else "-",
    ]


def queue_rows(folder, size):
    """Our plain run, then the run on the job queue with 1, 2, ... workers,
    each with what it adds to the one before."""
    ours = load(folder, size, "ar")
    rows = []
    if ours.get("seconds"):
        total = ours["seconds"] + ours.get("emails_s", 0)
        rows.append(
            [size, "cron", "-", f"{ours['seconds']:.1f}", f"{total:.1f}", "-", "-"]
        )
    previous = None
    workers = 1
    while (result := load(folder, size, f"queue{workers}")) or workers == 1:
        if not result:
            break
        if result.get("failed"):
            rows.append([size, "queue", str(workers), "failed", "-", "-", "-"])
        else:
            adds = "-"
            if previous:
                adds = f"{previous['all_jobs_s'] / result['all_jobs_s']:.2f}x"
            rows.append(
                [
                    size,
                    "queue",
                    str(workers),
                    f"{result['seconds']:.1f}",
                    f"{result['all_jobs_s']:.1f}",
                    adds,
                    ", ".join(
                        str(sum(m["jobs"] for m in methods.values()))
                        for methods in result["per_worker"].values()
                    ),
                ]
            )
            previous = result
        workers += 1
    return rows


def print_table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print(
            "  ".join(cell.rjust(width) for cell, width in zip(r, widths, strict=True))
        )


def main():
    if sys.argv[1] == "--queue":
        folder, sizes = sys.argv[2], sys.argv[3:]
        header = [
            "size",
            "engine",
            "workers",
            "run s",
            "run+emails s",
            "vs one less",
            "jobs per worker",
        ]
        rows = [header]
        for size in sizes:
            rows += queue_rows(folder, size)
        print_table(rows)
        return
    folder, sizes = sys.argv[1], sys.argv[2:]
    header = [
        "size",
        "customers",
        "ours s",
        "queries",
        "peak MiB",
        "mails",
        "mails s",
        "ms/email",
        "OCA s",
        "queries",
        "peak MiB",
        "OCA lines",
        "OCA/ours",
        "list s",
    ]
    print_table([header] + [row(folder, size) for size in sizes])


if __name__ == "__main__":
    main()
