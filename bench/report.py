"""Print the benchmark table from the JSON results of ``scripts/bench.sh``.

Usage: ``python3 bench/report.py bench/results 1k 10k 100k``
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


def main():
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
    rows = [header] + [row(folder, size) for size in sizes]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        print(
            "  ".join(cell.rjust(width) for cell, width in zip(r, widths, strict=True))
        )


if __name__ == "__main__":
    main()
