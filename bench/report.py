#!/usr/bin/env python3
"""The arithmetic of bench/run: parses what the tools print, and turns bench/out/results.jsonl
into the table of targets (terminal and BENCHMARKS.md).

  report.py criterion FILE                  criterion's bencher lines -> result lines
  report.py show JSON                       one result line, for a person
  report.py max-rate RESULTS SIZE BACKEND SUBJECT WORKLOAD
  report.py table RESULTS OUT.md --command C --levels L --quick Q --build-seconds B --run-seconds R

Every target is a ratio of two figures measured in the same run (docs/benchmarks.md).
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys

CORES = os.cpu_count() or 1


def rate(record):
    w = record["wrk"]
    return w["requests"] / (w["duration_us"] / 1e6)


def errors(record):
    e = record["wrk"]["errors"]
    return e["status"] + e["timeout"] + e["read"] + e["connect"] + e["write"]


def cmd_criterion(path):
    for line in open(path):
        m = re.match(r"test (\S+)\s+\.\.\. bench:\s+([\d,]+) ns/iter", line)
        if m:
            ns = int(m.group(2).replace(",", ""))
            print(json.dumps({"subject": "render", "workload": m.group(1), "ns": ns}))


def cmd_show(text):
    r = json.loads(text)
    if r["subject"] == "import":
        secs = r["seconds"]
        print(f"  {r['orders'] / secs:,.0f} orders/s ({r['documents'] / secs:,.0f} documents/s,"
              f" {secs:.1f} s)")
        return
    if r["subject"] == "big-customer":
        print(f"  largest customer ({r['documents']:,} documents): relations {r['bytes']:,} bytes"
              f" in {r['seconds_median']:.2f} s (median of {r['runs']}),"
              f" max {r['seconds_max']:.2f} s")
        return
    w = r["wrk"]
    lat = w["latency_us"]
    bad = errors(r)
    kind = f"c={r['conns']}" + (f" think {r['delay_ms']:.0f} ms" if "delay_ms" in r else "")
    print(f"  {r['subject']:9} {r['workload']:10} {kind:22} {rate(r):10,.0f} req/s"
          f"  p50 {lat['p50'] / 1000:7.2f} ms  p99 {lat['p99'] / 1000:7.2f} ms"
          f"  p99.9 {lat['p999'] / 1000:7.2f} ms" + (f"  ERRORS {bad}" if bad else ""))


def load(path):
    return [json.loads(line) for line in open(path) if line.strip()]


def best(results, size, backend, subject, workload):
    """The highest rate of a workload over the connection levels (no think time)."""
    rates = [rate(r) for r in results
             if r.get("size") == size and r.get("backend") == backend
             and r.get("subject") == subject and r.get("workload") == workload
             and "delay_ms" not in r and "wrk" in r]
    return max(rates) if rates else None


def best_bytes(results, size, backend, workload):
    """The highest rate in bytes of answers a second of ordo's workload over the levels."""
    rates = [r["wrk"]["bytes"] / (r["wrk"]["duration_us"] / 1e6) for r in results
             if r.get("size") == size and r.get("backend") == backend
             and r.get("subject") == "ordo" and r.get("workload") == workload
             and "delay_ms" not in r and "wrk" in r]
    return max(rates) if rates else None


def cmd_max_rate(path, size, backend, subject, workload):
    print(f"{best(load(path), size, backend, subject, workload) or 0:.1f}")


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return cpu, mem


def git_commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def tool_version(args):
    try:
        out = subprocess.run(args, capture_output=True, text=True)
        return (out.stdout + out.stderr).splitlines()[0].strip()
    except (OSError, IndexError):
        return "unknown"


def fmt_rate(x):
    return "n/a" if x is None else f"{x:,.0f}/s"


class Table:
    def __init__(self):
        self.rows = []

    def target(self, scope, name, value, ratio, target, ok):
        verdict = "n/a" if ok is None else ("PASS" if ok else "FALL SHORT")
        self.rows.append((scope, name, value, ratio, target, verdict))

    def markdown(self):
        head = ("scope", "measure", "figures", "ratio", "target", "verdict")
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("--" for _ in head) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)

    def text(self):
        head = ("scope", "measure", "figures", "ratio", "target", "verdict")
        rows = [head] + self.rows
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        out = []
        for n, row in enumerate(rows):
            out.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
            if n == 0:
                out.append("  ".join("-" * w for w in widths))
        return "\n".join(out)


def cmd_table(path, out_md, command, levels, quick, build_seconds, run_seconds):
    results = load(path)
    sizes = [s for s in ("S", "M") if any(r.get("size") == s for r in results)]
    backends = [b for b in ("sqlite", "postgres") if any(r.get("backend") == b for r in results)]
    render = {r["workload"]: r["ns"] for r in results if r.get("subject") == "render"}
    page_ns = render.get("render/payload_page_100")
    one_ns = render.get("render/one_document")
    table = Table()
    details = []

    def store_floor(size, backend, op, offset, mode):
        for r in results:
            f = r.get("floor")
            if (r.get("size"), r.get("backend")) == (size, backend) and f and \
                    (f["op"], f["offset"], f["mode"]) == (op, offset, mode):
                return f["rate"]
        return None

    def pgbench(size, workload):
        for r in results:
            if (r.get("size"), r.get("backend"), r.get("subject"), r.get("workload")) == \
                    (size, "postgres", "pgbench", workload):
                return r["rate"]
        return None

    def latency(size, backend, workload):
        for r in results:
            if (r.get("size"), r.get("backend"), r.get("subject"), r.get("workload")) == \
                    (size, backend, "ordo", workload) and "delay_ms" in r:
                return r
        return None

    def allowed(store_rate, ns):
        """What a store query plus its rendering allow on this machine's cores: the store
        figure was measured with every core busy; rendering adds ns per answer on one core."""
        if not store_rate or not ns:
            return None
        return 1 / (1 / store_rate + ns / 1e9 / CORES)

    for backend in backends:
        for size in sizes:
            scope = f"{backend} {size}"
            b = lambda subject, workload: best(results, size, backend, subject, workload)
            floor, get, list0, list10k = b("ordo", "floor"), b("ordo", "get"), \
                b("ordo", "list0"), b("ordo", "list10k")
            if backend == "sqlite" and floor and get:
                table.target(scope, "get-by-id vs HTTP floor",
                             f"{fmt_rate(get)} / {fmt_rate(floor)}", f"{get / floor:.2f}",
                             ">= 0.50", get / floor >= 0.50)
            if backend == "postgres":
                pg = pgbench(size, "get")
                if pg and get:
                    table.target(scope, "get-by-id vs pgbench (same SELECT)",
                                 f"{fmt_rate(get)} / {fmt_rate(pg)}", f"{get / pg:.2f}",
                                 ">= 0.50", get / pg >= 0.50)
                if floor and get:
                    table.target(scope, "get-by-id vs HTTP floor (info)",
                                 f"{fmt_rate(get)} / {fmt_rate(floor)}", f"{get / floor:.2f}",
                                 "-", None)
            store_list = store_floor(size, backend, "list", 0, "store")
            allow = allowed(store_list, page_ns)
            if allow and list0:
                table.target(scope, "list page vs store query + rendering",
                             f"{fmt_rate(list0)} / {fmt_rate(allow)}", f"{list0 / allow:.2f}",
                             ">= 0.60", list0 / allow >= 0.60)
            page_floor = b("ordo", "floor_page")
            if page_floor and list0:
                table.target(scope, "list page vs HTTP floor of a page-sized answer (info)",
                             f"{fmt_rate(list0)} / {fmt_rate(page_floor)}",
                             f"{list0 / page_floor:.2f}", "-", None)
            for workload, limit in (("get", 5.0), ("list0", 20.0)):
                lat = latency(size, backend, workload)
                if lat:
                    p99 = lat["wrk"]["latency_us"]["p99"] / 1000
                    name = "get-by-id" if workload == "get" else "list page"
                    table.target(scope, f"p99 {name} at half load",
                                 f"{p99:.2f} ms at {rate(lat):,.0f}/s", "-",
                                 f"<= {limit:g} ms", p99 <= limit)
            product = b("ordo", "product")
            if list0 and product:
                table.target(scope, "product-filtered page vs list page",
                             f"{fmt_rate(product)} / {fmt_rate(list0)}",
                             f"{product / list0:.2f}", ">= 0.80", product / list0 >= 0.80)
            if list0 and list10k:
                table.target(scope, "list offset 10,000 vs offset 0 (slowdown)",
                             f"{fmt_rate(list10k)} / {fmt_rate(list0)}",
                             f"{list0 / list10k:.2f}x", "<= 1.5x", list0 / list10k <= 1.5)
            for r in results:
                if (r.get("size"), r.get("backend"), r.get("subject")) == (size, backend, "rss"):
                    mib = r["vmhwm_kib"] / 1024
                    table.target(scope, "server RSS under load (VmHWM)", f"{mib:.0f} MiB", "-",
                                 "<= 64 MiB", mib <= 64)
                    anon = r.get("rss_anon_max_kib", 0) / 1024
                    table.target(scope, "  of which its own memory (RssAnon, info)",
                                 f"{anon:.0f} MiB", "-", "-", None)
                if (r.get("size"), r.get("backend"), r.get("subject")) == \
                        (size, backend, "import"):
                    per_s = r["orders"] / r["seconds"]
                    earlier = " (an earlier run's)" if r.get("reused") else ""
                    if backend == "sqlite":
                        table.target(scope, "import" + earlier, f"{per_s:,.0f} orders/s", "-",
                                     ">= 20,000/s", per_s >= 20000)
                    else:
                        table.target(scope, "import (info)" + earlier, f"{per_s:,.0f} orders/s", "-",
                                     "-", None)
            page25 = b("ordo", "page25")
            for workload, name in (("v3", "history_v3"), ("v2", "customer_orders_v2"),
                                   ("v10", "storefront_v10")):
                dialect = b("ordo", workload)
                if dialect and page25:
                    table.target(scope, f"{name} page of 25 vs v1 page of 25",
                                 f"{fmt_rate(dialect)} / {fmt_rate(page25)}",
                                 f"{dialect / page25:.2f}", ">= 0.80", dialect / page25 >= 0.80)
                cust25 = b("ordo", "cust25")
                if dialect and cust25:
                    table.target(scope, f"{name} page of 25 vs v1 page of the same customer's "
                                 "25 (info)", f"{fmt_rate(dialect)} / {fmt_rate(cust25)}",
                                 f"{dialect / cust25:.2f}", "-", None)
            for workload, name in (("get", "get-by-id"), ("list0", "list page")):
                mine, theirs = b("ordo", workload), b("baseline", workload)
                if mine and theirs:
                    table.target(scope, f"{name} vs baseline (axum+sqlx+Value)",
                                 f"{fmt_rate(mine)} / {fmt_rate(theirs)}",
                                 f"{mine / theirs:.2f}x", ">= 1.5x", mine / theirs >= 1.5)
        if "S" in sizes and "M" in sizes:
            for workload in ("get", "list0", "product", "list10k", "relations", "mix", "v3", "v2",
                             "v10"):
                small = best(results, "S", backend, "ordo", workload)
                big = best(results, "M", backend, "ordo", workload)
                if small and big:
                    table.target(f"{backend} M/S", f"{workload}: data set M vs S (slowdown)",
                                 f"{fmt_rate(big)} / {fmt_rate(small)}",
                                 f"{small / big:.2f}x", "<= 1.5x", small / big <= 1.5)
            # Relations and mix answer whole customers, whose documents grow with the data set:
            # their target is the rate per byte served (bytes/s), not per request.
            for workload in ("relations", "mix"):
                small = best_bytes(results, "S", backend, workload)
                big = best_bytes(results, "M", backend, workload)
                if small and big:
                    table.target(f"{backend} M/S", f"{workload}: bytes/s, M vs S (slowdown)",
                                 f"{big / 2**20:,.1f} / {small / 2**20:,.1f} MiB/s",
                                 f"{small / big:.2f}x", "<= 1.5x", small / big <= 1.5)
        for r in results:
            if r.get("backend") == backend and r.get("subject") == "big-customer":
                table.target(f"{backend} {r['size']}",
                             f"largest customer's relations ({r['documents']:,} documents, "
                             f"{r['bytes'] / 2**20:,.1f} MiB), alone (info)",
                             f"{r['seconds_median']:.2f} s median of {r['runs']}, "
                             f"max {r['seconds_max']:.2f} s", "-", "-", None)

    # Throughput per workload and connection level, ordo and baseline.
    level_list = levels.split()
    throughput = ["| scope | subject | workload | " + " | ".join(f"c={c}" for c in level_list)
                  + " | errors |", "|--|--|--|" + "--|" * len(level_list) + "--|"]
    for backend in backends:
        for size in sizes:
            for subject in ("ordo", "baseline"):
                for workload in ("floor", "floor_page", "get", "list0", "product", "list10k",
                                 "relations", "mix", "page25", "cust25", "v3", "v2", "v10"):
                    cells, bad, seen = [], 0, False
                    for c in level_list:
                        rs = [r for r in results if (r.get("size"), r.get("backend"),
                              r.get("subject"), r.get("workload"), r.get("conns")) ==
                              (size, backend, subject, workload, int(c)) and "delay_ms" not in r]
                        if rs:
                            seen = True
                            cells.append(f"{rate(rs[0]):,.0f}")
                            bad += errors(rs[0])
                        else:
                            cells.append("-")
                    if seen:
                        throughput.append(f"| {backend} {size} | {subject} | {workload} | "
                                          + " | ".join(cells) + f" | {bad} |")

    lat_rows = ["| scope | workload | offered think time | rate | p50 | p99 | p99.9 | max |",
                "|--|--|--|--|--|--|--|--|"]
    for r in results:
        if r.get("subject") == "ordo" and "delay_ms" in r:
            lat = r["wrk"]["latency_us"]
            lat_rows.append(
                f"| {r['backend']} {r['size']} | {r['workload']} | {r['conns']} conns, "
                f"{r['delay_ms']:.1f} ms | {rate(r):,.0f}/s | {lat['p50'] / 1000:.2f} ms | "
                f"{lat['p99'] / 1000:.2f} ms | {lat['p999'] / 1000:.2f} ms | "
                f"{lat['max'] / 1000:.2f} ms |")

    floor_rows = ["| scope | floor | figure |", "|--|--|--|"]
    if one_ns:
        floor_rows.append(f"| all | rendering, one get-by-id answer (1 core) | {one_ns / 1000:.1f} µs"
                          f" ({1e9 / one_ns:,.0f}/s) |")
    if page_ns:
        floor_rows.append(f"| all | rendering, `{{\"payload\":[...]}}` of 100 orders (1 core) | "
                          f"{page_ns / 1000:.1f} µs ({1e9 / page_ns:,.0f}/s) |")
    for r in results:
        f = r.get("floor")
        if f:
            what = {"get": "get-by-id", "list": f"list page of 100, offset {f['offset']:,}",
                    "relations": "relations"}[f["op"]]
            how = "Store trait" if f["mode"] == "store" else "plain rusqlite"
            floor_rows.append(f"| {r['backend']} {r['size']} | {what}, {how}, "
                              f"{f['concurrency']} callers | {f['rate']:,.0f}/s"
                              + (f" ({f['misses']} misses)" if f["misses"] else "") + " |")
        if r.get("subject") == "pgbench":
            what = "document SELECT" if r["workload"] == "get" else "document + links SELECTs"
            floor_rows.append(f"| postgres {r['size']} | pgbench -M prepared, get-by-id {what}, "
                              f"16 clients | {r['rate']:,.0f}/s |")
    for backend in backends:
        for size in sizes:
            floor = best(results, size, backend, "ordo", "floor")
            if floor:
                floor_rows.append(f"| {backend} {size} | HTTP floor (`GET /bench/fixed`) | "
                                  f"{floor:,.0f}/s |")
            floor = best(results, size, backend, "ordo", "floor_page")
            if floor:
                floor_rows.append(f"| {backend} {size} | HTTP floor of a page-sized answer "
                                  f"(`GET /bench/fixed-page`) | {floor:,.0f}/s |")

    binary = next((r for r in results if r.get("subject") == "binary"), None)
    cpu, mem = machine()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    data_sizes = {"S": "S (100,000 orders)", "M": "M (1,000,000 orders)"}
    imports = {(r["size"]): r for r in results if r.get("subject") == "import"}
    docs = ", ".join(f"{s}: {imports[s]['documents']:,} documents" for s in sizes if s in imports)

    print()
    print(table.text())
    if binary:
        print(f"\nbinary: {binary['bytes'] / 2**20:.1f} MiB "
              f"({binary['stripped_bytes'] / 2**20:.1f} MiB stripped)")
    passed = sum(1 for row in table.rows if row[5] == "PASS")
    judged = sum(1 for row in table.rows if row[5] != "n/a")
    print(f"\n{passed} of {judged} targets met; written to {out_md}")

    md = f"""# Benchmarks

Written by `{command}` ({'quick run: data set S, short runs' if quick == '1' else 'full run'});
see docs/benchmarks.md for the method, the floors and what each target means. Every ratio is
of two figures measured side by side in this run; absolute figures vary with the machine's
other load.

- date: {now}, commit {git_commit()}
- machine: {CORES} cores, {cpu}, {mem}, {platform.system()} {platform.release()}
- backends: {", ".join(backends)}; data sets: {", ".join(data_sizes[s] for s in sizes)} ({docs})
- load generator: {tool_version(["wrk", "-v"])}, on the same machine as the server;
  {seconds_label(results)}; connection levels {", ".join(level_list)}
- build {build_seconds} s, measurements {run_seconds} s{load_line(results)}

## Targets

{table.markdown()}

## Throughput (requests/s)

{chr(10).join(throughput)}

## Latency at half the measured maximum rate

wrk has no rate option: each of the connections waits a random think time (exponential) between
an answer and its next request, chosen to offer about half the workload's maximum rate.

{chr(10).join(lat_rows)}

## Floors

{chr(10).join(floor_rows)}
"""
    if binary:
        md += (f"\n## Binary\n\n`target/release/ordo`: {binary['bytes'] / 2**20:.1f} MiB as built "
               f"(release profile with line tables), {binary['stripped_bytes'] / 2**20:.1f} MiB "
               "stripped.\n")
    with open(out_md, "w") as f:
        f.write(md)


def load_line(results):
    load = next((r for r in results if r.get("subject") == "load"), None)
    if not load:
        return ""
    return (f"; load average (1, 5, 15 min) {load['before']} before the build, "
            f"{load['after']} at the end")


def seconds_label(results):
    durations = sorted({round(r["wrk"]["duration_us"] / 1e6) for r in results if "wrk" in r})
    return f"runs of {durations[0]} s" if durations else "no runs"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "criterion":
        cmd_criterion(*rest)
    elif cmd == "show":
        cmd_show(*rest)
    elif cmd == "max-rate":
        cmd_max_rate(*rest)
    elif cmd == "table":
        p = argparse.ArgumentParser()
        p.add_argument("results")
        p.add_argument("out")
        p.add_argument("--command", required=True)
        p.add_argument("--levels", required=True)
        p.add_argument("--quick", default="0")
        p.add_argument("--build-seconds", default="?")
        p.add_argument("--run-seconds", default="?")
        a = p.parse_args(rest)
        cmd_table(a.results, a.out, a.command, a.levels, a.quick, a.build_seconds,
                  a.run_seconds)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
