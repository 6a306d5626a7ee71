"""Print the fault suite's results (var/faults.json) as a table; the last line is `faults: N/M scenarios within
target`. `make faults` runs it after the suite."""

import json
import sys
from pathlib import Path


def main(path: str) -> int:
    file = Path(path)
    if not file.exists():
        print("faults: 0/0 scenarios within target (no results: the suite did not run)")
        return 1
    results = json.loads(file.read_text())
    header = (
        "| scenario | attempted / acknowledged / stored | notices ready / READY events / PDF files "
        "| 5xx (503 in outage) | submit median base → fault, ms | officer p95, ms "
        "| recovery, s (target) | within target |"
    )
    print(header)
    print("|---" * 8 + "|")
    for r in results.values():
        if r["scenario"].startswith("memory"):
            print(f"| {r['scenario']} | | | | | | {r['notes'][0]} | {'yes' if r['within_target'] else 'NO'} |")
            continue
        fault = (
            f"{r['submit_median_base_ms']:.0f} → {r['submit_median_fault_ms']:.0f}"
            if r["submit_median_fault_ms"]
            else (f"{r['submit_median_base_ms']:.0f}")
        )
        print(
            f"| {r['scenario']} | {r['attempted']} / {r['acknowledged']} / {r['stored']} "
            f"| {r['ready']} / {r['ready_events']} / {r['pdf_files']} | {r['five_xx']} ({r['outage_503']}) "
            f"| {fault} | {r['officer_p95_ms']:.0f} | {r['recovery_s']} ({r['target_s']:.0f}) "
            f"| {'yes' if r['within_target'] else 'NO'} |"
        )
    for r in results.values():
        for note in r["notes"]:
            if "renders  rss" not in note:
                print(f"  {r['scenario']}: {note}")
    within = sum(1 for r in results.values() if r["within_target"])
    print(f"faults: {within}/{len(results)} scenarios within target")
    return 0 if within == len(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "var/faults.json"))
