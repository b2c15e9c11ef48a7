#!/usr/bin/env python3
"""Figures of bench/redis (issue #11), from what a crawl left in its run directory.

  redis-bench.py record --dir D --workers N --run R --pages P --start T0 --end T1
        one crawl as JSON: pages/s, the workers' CPU and round trips, Redis commands, round trips
        and CPU per page, the export's cost, the check of the union of the workers' output
  redis-bench.py report --out FILE --appendonly MODE RECORD.json...
        a table of the crawls, and what one Redis (and a cluster) could carry, written as JSON too
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import parse_time  # noqa: E402


def read_info(path):
    """INFO everything as {field: value}; each cmdstat_X as {calls, usec}."""
    fields, commands = {}, {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or ":" not in line:
                continue
            key, value = line.split(":", 1)
            if key.startswith("cmdstat_"):
                parts = dict(p.split("=", 1) for p in value.split(","))
                commands[key[len("cmdstat_"):]] = {
                    "calls": int(parts["calls"]), "usec": int(parts["usec"])}
            else:
                fields[key] = value
    return fields, commands


def cpu(fields, which):
    """CPU seconds of the whole process ('') or of its main thread ('_main_thread')."""
    return float(fields["used_cpu_user" + which]) + float(fields["used_cpu_sys" + which])


def between(before, after):
    """What Redis did between two INFO readings: CPU seconds and commands."""
    (f0, c0), (f1, c1) = before, after
    commands = {}
    for name, v in c1.items():
        calls = v["calls"] - c0.get(name, {}).get("calls", 0)
        usec = v["usec"] - c0.get(name, {}).get("usec", 0)
        if name == "info":
            calls -= 1  # the reading itself
        if calls > 0:
            commands[name] = {"calls": calls, "usec": usec}
    # client commands: those a client sends; everything else ran inside the scripts
    # (the frontier's plain HMGET, outbox.pending(), is not called by these workers or the export)
    client = {"evalsha", "eval", "script|load", "info", "ping", "hello", "client|setinfo",
              "client|setname", "cluster|info", "flushall", "config|resetstat"}
    script_calls = sum(v["calls"] for k, v in commands.items() if k in ("evalsha", "eval"))
    script_usec = sum(v["usec"] for k, v in commands.items() if k in ("evalsha", "eval"))
    sent = sum(v["calls"] for k, v in commands.items() if k in client)
    inner = sum(v["calls"] for k, v in commands.items() if k not in client)
    return {
        "cpu_s": cpu(f1, "") - cpu(f0, ""),
        "cpu_main_s": cpu(f1, "_main_thread") - cpu(f0, "_main_thread"),
        "commands_sent": sent,
        "commands_in_scripts": inner,
        "script_calls": script_calls,
        "script_usec": script_usec,
        "commands": commands,
    }


def record(a):
    d = a.dir
    before = read_info(os.path.join(d, "info-before.txt"))
    crawl_info = read_info(os.path.join(d, "info-crawl.txt"))
    export_info = read_info(os.path.join(d, "info-export.txt"))
    crawl = between(before, crawl_info)
    export = between(crawl_info, export_info)
    wall = float(a.end) - float(a.start)
    workers = []
    for i in range(1, a.workers + 1):
        t = parse_time(os.path.join(d, "time-%d.txt" % i))
        with open(os.path.join(d, "stats-%d.json" % i), encoding="utf-8") as f:
            s = json.load(f)
        stats = s["stats"]
        workers.append({
            "worker": s["worker"], "status": s["status"], "seconds": s["seconds"],
            "pages": stats.get("response_received_count", 0),
            "round_trips": stats.get("redis/round_trips", 0),
            "calls": {k[len("redis/calls/"):]: v for k, v in stats.items()
                      if k.startswith("redis/calls/")},
            "cpu_s": t["user_s"] + t["sys_s"], "max_rss_kib": t["max_rss_kib"]})
    with open(os.path.join(d, "export.json"), encoding="utf-8") as f:
        exported = json.loads(f.read().strip().splitlines()[-1])
    with open(os.path.join(d, "check.json"), encoding="utf-8") as f:
        text = f.read().strip()
    try:
        check = json.loads(text.splitlines()[-1])
    except (ValueError, IndexError):
        check = {"ok": False, "error": text[-500:]}
    pages = a.pages
    round_trips = sum(w["round_trips"] for w in workers)
    fields = crawl_info[0]
    out = {
        "workers": a.workers, "run": a.run, "pages": pages,
        "wall_s": wall, "pages_per_s": pages / wall,
        "worker_cpu_ms_per_page": 1000 * sum(w["cpu_s"] for w in workers) / pages,
        "round_trips_per_page": round_trips / pages,
        "redis_commands_sent_per_page": crawl["commands_sent"] / pages,
        "redis_commands_in_scripts_per_page": crawl["commands_in_scripts"] / pages,
        "redis_script_usec_per_page": crawl["script_usec"] / pages,
        "redis_cpu_ms_per_1000_pages": 1000 * 1000 * crawl["cpu_s"] / pages,
        "redis_main_thread_cpu_ms_per_1000_pages": 1000 * 1000 * crawl["cpu_main_s"] / pages,
        "redis_used_memory_peak": int(fields.get("used_memory_peak", 0)),
        "export": {
            "batches": exported["batches"], "items": exported["items"],
            "seconds": exported["seconds"],
            "round_trips": exported["stats"].get("redis/round_trips", 0),
            "redis_cpu_ms_per_1000_pages": 1000 * 1000 * export["cpu_s"] / pages,
            "redis_script_usec": export["script_usec"]},
        "check": "PASS" if check.get("ok") else "FAIL",
        "check_detail": check,
        "worker_detail": workers,
        "redis_crawl": crawl,
    }
    print(json.dumps(out, indent=1))
    return 0


def report(a):
    records = []
    for path in a.records:
        with open(path, encoding="utf-8") as f:
            records.append(json.load(f))
    head = ("workers", "pages/s", "wall s", "RT/page", "sent/page", "in scripts/page",
            "script µs/page", "Redis CPU ms/1k", "main ms/1k", "worker CPU ms/page", "check")
    print("%-7s %8s %7s %7s %9s %15s %14s %15s %10s %18s %6s" % head)
    for r in records:
        print("%-7d %8.1f %7.2f %7.2f %9.2f %15.1f %14.1f %15.1f %10.1f %18.2f %6s" % (
            r["workers"], r["pages_per_s"], r["wall_s"], r["round_trips_per_page"],
            r["redis_commands_sent_per_page"], r["redis_commands_in_scripts_per_page"],
            r["redis_script_usec_per_page"], r["redis_cpu_ms_per_1000_pages"],
            r["redis_main_thread_cpu_ms_per_1000_pages"], r["worker_cpu_ms_per_page"],
            r["check"]))
    for r in records:
        e = r["export"]
        print("export after %d worker(s): %d batches, %d items in %.2f s, %d round trips,"
              " Redis CPU %.1f ms per 1,000 pages" % (
                  r["workers"], e["batches"], e["items"], e["seconds"], e["round_trips"],
                  e["redis_cpu_ms_per_1000_pages"]))
    # what one Redis main thread could carry: 1 s of its CPU per second, at this cost per page
    main = sorted(r["redis_main_thread_cpu_ms_per_1000_pages"] for r in records)
    median = main[len(main) // 2]
    capacity = 1000 * 1000 / median if median > 0 else float("inf")
    print("one Redis, its main thread busy all the time: about %.0f pages/s"
          " (median %.1f ms of main-thread CPU per 1,000 pages)" % (capacity, median))
    failed = [r for r in records if r["check"] != "PASS"]
    print("checks: %s" % ("all PASS" if not failed else "%d FAIL" % len(failed)))
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"appendonly": a.appendonly, "one_redis_pages_per_s": capacity,
                   "records": records}, f, indent=1)
    print("report: %s" % a.out)
    return 1 if failed else 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("--dir", required=True)
    r.add_argument("--workers", type=int, required=True)
    r.add_argument("--run", type=int, required=True)
    r.add_argument("--pages", type=int, required=True)
    r.add_argument("--start", required=True)
    r.add_argument("--end", required=True)
    r.set_defaults(func=record)
    t = sub.add_parser("report")
    t.add_argument("--out", required=True)
    t.add_argument("--appendonly", required=True)
    t.add_argument("records", nargs="+")
    t.set_defaults(func=report)
    a = p.parse_args()
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
