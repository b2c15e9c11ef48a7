#!/usr/bin/env python3
"""Helpers for bench/run (Python 3 stdlib only).

  benchlib.py manifest-matches SITE_DIR HOSTS PAGES PORT   exit 0 when the site was made with these
  benchlib.py port-free IP PORT                             exit 0 when IP:PORT can be bound
  benchlib.py spider-yaml SITE_DIR OUT.yaml [--tiny]        the bench spider (--tiny: 1 URL, no rules)
  benchlib.py wrk-rate WRK_OUTPUT                           prints requests/s (fails on wrk errors)
  benchlib.py run-record --run N --time T --check C --stats S --pages P   one crawl run as JSON
  benchlib.py wall TIME_FILE                                prints the wall seconds of /usr/bin/time -v
  benchlib.py report --runs R.json... --server W --parse P --startup S... --out FILE [--meta K=V...]
  benchlib.py check SITE_DIR OUT.jsonl [--fetched-urls FILE] [--json]
                                                            checks a crawl's items (and fetches) against
                                                            SITE_DIR/manifest.json and pages.tsv; exit 1 on FAIL
"""
import argparse
import hashlib
import json
import os
import re
import socket
import statistics
import sys
from collections import Counter


def manifest_matches(a):
    try:
        with open(os.path.join(a.site, "manifest.json"), encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError):
        return 1
    p = m.get("params", {})
    ok = (p.get("hosts") == a.hosts and p.get("pages") == a.pages and p.get("port") == a.port
          and p.get("precompress") is True
          and os.path.isfile(os.path.join(a.site, "pages.tsv"))
          and os.path.isfile(os.path.join(a.site, "start-urls.txt")))
    return 0 if ok else 1


def port_free(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # as nginx binds: TIME_WAIT connections left by a previous run do not count, a listener does
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((a.ip, a.port))
        s.listen(1)
        return 0
    except OSError as e:
        print("%s:%d is in use (%s)" % (a.ip, a.port, e), file=sys.stderr)
        return 1
    finally:
        s.close()


def yaml_str(s):
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML flow scalar


def spider_yaml(a):
    with open(os.path.join(a.site, "start-urls.txt"), encoding="utf-8") as f:
        urls = [u.strip() for u in f if u.strip()]
    if not urls:
        print("no start URLs in %s/start-urls.txt" % a.site, file=sys.stderr)
        return 1
    for u in urls:
        if not re.match(r"^http://127\.\d+\.\d+\.\d+:\d+/", u):
            print("refusing non-loopback start URL %s" % u, file=sys.stderr)
            return 1
    if a.tiny:
        urls = urls[:1]
    lines = [
        "name: %s" % ("bench-startup" if a.tiny else "bench"),
        "start_urls: [%s]" % ", ".join(yaml_str(u) for u in urls),
        "settings: {concurrent_requests: 64, concurrent_requests_per_domain: 16, robotstxt_obey: true}",
    ]
    if not a.tiny:
        lines += ["rules:", "  - follow: true"]
    lines += [
        "items:",
        "  - each: \"//article[@class='product_pod']\"",
        "    fields:",
        "      title: {xpath: \"h3/a/@title\"}",
        "      price: {xpath: \".//p[@class='price_color']/text()\"}",
        "      link: {xpath: \"h3/a/@href\", type: url}",
    ]
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return 0


def wrk_rate(a):
    with open(a.file, encoding="utf-8", errors="replace") as f:
        text = f.read()
    m = re.search(r"Requests/sec:\s*([0-9.]+)", text)
    if not m:
        print("no Requests/sec in wrk output:\n" + text, file=sys.stderr)
        return 1
    e = re.search(r"errors: connect (\d+) read (\d+) write (\d+) status (\d+) timeout (\d+)", text)
    if e and sum(int(x) for x in e.groups()) > 0:
        print("wrk reported errors: " + e.group(0), file=sys.stderr)
        return 1
    if re.search(r"Non-2xx or 3xx responses", text):
        print("wrk got non-2xx/3xx responses:\n" + text, file=sys.stderr)
        return 1
    print(m.group(1))
    return 0


def parse_time(path):
    """Fields of /usr/bin/time -v: wall, user, sys seconds, max RSS KiB, exit status."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("User time (seconds):"):
                out["user_s"] = float(line.split(":")[-1])
            elif line.startswith("System time (seconds):"):
                out["sys_s"] = float(line.split(":")[-1])
            elif line.startswith("Maximum resident set size (kbytes):"):
                out["max_rss_kib"] = int(line.split(":")[-1])
            elif line.startswith("Elapsed (wall clock) time"):
                v = line.split("):", 1)[1].strip()
                secs = 0.0
                for part in v.split(":"):
                    secs = secs * 60 + float(part)
                out["wall_s"] = secs
            elif line.startswith("Exit status:"):
                out["exit_status"] = int(line.split(":")[-1])
    missing = {"user_s", "sys_s", "max_rss_kib", "wall_s"} - set(out)
    if missing:
        raise SystemExit("%s: no %s (is it /usr/bin/time -v output?)" % (path, ", ".join(sorted(missing))))
    return out


def wall(a):
    print("%.3f" % parse_time(a.file)["wall_s"])
    return 0


def run_record(a):
    t = parse_time(a.time)
    with open(a.check, encoding="utf-8") as f:
        text = f.read().strip()
    try:
        check = json.loads(text.splitlines()[-1]) if text else {"ok": False}
    except ValueError:
        check = {"ok": False, "error": text[-500:]}
    stats = {}
    if a.stats and os.path.isfile(a.stats):
        with open(a.stats, encoding="utf-8") as f:
            stats = json.load(f)
    cpu = t["user_s"] + t["sys_s"]
    rec = {
        "run": a.run,
        "pages": a.pages,
        "wall_s": t["wall_s"],
        "pages_per_s": a.pages / t["wall_s"] if t["wall_s"] > 0 else 0.0,
        "crawl_elapsed_s": stats.get("elapsed_seconds"),
        "crawl_pages": stats.get("pages"),
        "crawl_pages_per_s": (stats["pages"] / stats["elapsed_seconds"]
                              if stats.get("elapsed_seconds") and stats.get("pages") is not None else None),
        "user_s": t["user_s"],
        "sys_s": t["sys_s"],
        "cpu_s": cpu,
        "cpu_ms_per_page": 1000.0 * cpu / a.pages if a.pages else 0.0,
        "peak_rss_mib": t["max_rss_kib"] / 1024.0,
        "exit_status": t.get("exit_status"),
        "fetched_urls_checked": a.fetched_checked == "yes",
        "check": "PASS" if check.get("ok") else "FAIL",
        "check_detail": check,
    }
    print(json.dumps(rec, ensure_ascii=False))
    return 0


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def report(a):
    runs = []
    for p in a.runs:
        with open(p, encoding="utf-8") as f:
            runs.append(json.load(f))
    runs.sort(key=lambda r: r["run"])
    with open(a.parse, encoding="utf-8") as f:
        parse = json.loads(f.read().strip().splitlines()[-1])
    server_rps = float(a.server)
    startup = [float(x) for x in a.startup]
    meta = dict(kv.split("=", 1) for kv in a.meta)

    res = {
        "meta": meta,
        "server_ceiling_requests_per_s": server_rps,
        "parse_ceiling_pages_per_s": parse["pages_per_second"],
        "parse_ceiling": parse,
        "startup_wall_s": {"runs": startup, **summary(startup)},
        "runs": runs,
        "pages_per_s": summary([r["pages_per_s"] for r in runs]),
        "cpu_ms_per_page": summary([r["cpu_ms_per_page"] for r in runs]),
        "peak_rss_mib": summary([r["peak_rss_mib"] for r in runs]),
        "wall_s": summary([r["wall_s"] for r in runs]),
        "all_checks_pass": all(r["check"] == "PASS" for r in runs),
    }
    med = res["pages_per_s"]["median"]
    res["ratio_to_parse_ceiling"] = med / parse["pages_per_second"] if parse["pages_per_second"] else None
    res["ratio_to_server_ceiling"] = med / server_rps if server_rps else None

    w = sys.stdout.write
    w("\n== Arachne end-to-end benchmark ==\n")
    for k, v in meta.items():
        w("%-14s %s\n" % (k, v))
    w("\n%-4s %9s %9s %10s %11s %10s %9s  %s\n" % (
        "run", "wall s", "pages/s", "in-crawl/s", "CPU ms/page", "CPU s", "RSS MiB", "check"))
    for r in runs:
        w("%-4d %9.2f %9.1f %10s %11.2f %10.2f %9.1f  %s%s\n" % (
            r["run"], r["wall_s"], r["pages_per_s"],
            "%.1f" % r["crawl_pages_per_s"] if r.get("crawl_pages_per_s") else "-",
            r["cpu_ms_per_page"], r["cpu_s"], r["peak_rss_mib"], r["check"],
            "" if r["fetched_urls_checked"] else " (items only: no --fetched-urls)"))
    w("\n%-16s %10s %10s %10s\n" % ("", "median", "min", "max"))
    for key, label, fmt in (("pages_per_s", "pages/s", "%10.1f"), ("cpu_ms_per_page", "CPU ms/page", "%10.2f"),
                            ("peak_rss_mib", "peak RSS MiB", "%10.1f"), ("wall_s", "wall s", "%10.2f")):
        s = res[key]
        w(("%-16s " + fmt + " " + fmt + " " + fmt + "\n") % (label, s["median"], s["min"], s["max"]))
    w("\nserver ceiling   %10.1f requests/s (wrk, 1 thread, 64 connections, gzip, one host)\n" % server_rps)
    w("parse ceiling    %10.1f pages/s (bench-parse, %d threads, from memory)\n" % (
        parse["pages_per_second"], parse.get("threads", 0)))
    w("crawl / parse ceiling   %6.3f\n" % (res["ratio_to_parse_ceiling"] or 0))
    w("crawl / server ceiling  %6.3f\n" % (res["ratio_to_server_ceiling"] or 0))
    w("start-up (1-page crawl) %6.2f s median (%s)\n" % (
        res["startup_wall_s"]["median"], ", ".join("%.2f" % s for s in startup)))
    w("checks: %s\n" % ("all PASS" if res["all_checks_pass"] else "FAILED"))
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=2, ensure_ascii=False)
        f.write("\n")
    w("report: %s\n" % a.out)
    return 0 if res["all_checks_pass"] else 1


# --- check: a crawl's output against the site ----------------------------------------------------

MASK64 = (1 << 64) - 1


def item_digest(title, price, link):
    """First 8 bytes (big-endian) of sha1(title US price US link): one item's share of the multiset hash."""
    raw = "\x1f".join((title, price, link)).encode("utf-8")
    return int.from_bytes(hashlib.sha1(raw).digest()[:8], "big")


def read_pages(path):
    """pages.tsv -> ({url: (title, price)}, Counter{url: expected item occurrences})."""
    values, occurrences = {}, Counter()
    with open(path, encoding="utf-8") as f:
        header = f.readline()
        if not header.startswith("url\t"):
            raise SystemExit("%s: no header line" % path)
        for n, line in enumerate(f, 2):
            line = line.rstrip("\n")
            if not line:
                continue
            cols = line.split("\t")
            if len(cols) != 4:
                raise SystemExit("%s:%d: want 4 tab-separated columns, got %d" % (path, n, len(cols)))
            url, title, price, occ = cols
            values[url] = (title, price)
            if int(occ) > 0:
                occurrences[url] = int(occ)
    return values, occurrences


def check(a):
    with open(os.path.join(a.site, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    values, want = read_pages(os.path.join(a.site, "pages.tsv"))

    written = bad_json = missing_fields = wrong_values = unknown_links = private_items = 0
    got = Counter()
    total = 0
    examples = []

    def example(msg):
        if len(examples) < 5:
            examples.append(msg)

    with open(a.output, "rb") as f:
        for raw in f:
            if not raw.strip():
                continue
            written += 1
            try:
                item = json.loads(raw)
                title, price, link = (str(item[k]).strip() for k in ("title", "price", "link"))
            except ValueError:
                bad_json += 1
                example("not JSON: %r" % raw[:120])
                continue
            except (KeyError, TypeError):
                missing_fields += 1
                example("no title/price/link: %r" % raw[:120])
                continue
            total = (total + item_digest(title, price, link)) & MASK64
            got[link] += 1
            if title == "PRIVATE ITEM":
                private_items += 1
            expected = values.get(link)
            if expected is None:
                unknown_links += 1
                example("unknown link: %r" % link)
            elif expected != (title, price):
                wrong_values += 1
                example("wrong values for %s: got %r, expected %r" % (link, (title, price), expected))

    missing = sum(n - got[u] for u, n in want.items() if got[u] < n)
    extra = sum(n - want[u] for u, n in got.items() if n > want[u])
    digest = "%016x" % total
    res = {
        "ok": False,
        "items_expected": manifest["items_total"],
        "items_written": written,
        "items_missing": missing,
        "items_extra": extra,
        "bad_json": bad_json,
        "missing_fields": missing_fields,
        "wrong_values": wrong_values,
        "unknown_links": unknown_links,
        "private_items": private_items,
        "multiset_hash": digest,
        "multiset_hash_expected": manifest["items_multiset_hash"],
        "examples": examples,
    }
    ok = (written == manifest["items_total"] and digest == manifest["items_multiset_hash"]
          and bad_json == 0 and missing_fields == 0 and missing == 0 and extra == 0)

    if a.fetched_urls:
        fetched = Counter()
        with open(a.fetched_urls, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    fetched[line.strip()] += 1
        disallowed = manifest["disallowed_prefix"]
        res["pages_expected"] = len(values)
        res["pages_fetched"] = sum(1 for u in values if fetched[u] > 0)
        res["pages_not_fetched"] = len(values) - res["pages_fetched"]
        res["pages_fetched_twice"] = sum(1 for u in values if fetched[u] > 1)
        res["disallowed_fetched"] = sum(n for u, n in fetched.items() if disallowed in u)
        res["other_fetched"] = sum(n for u, n in fetched.items() if u not in values and disallowed not in u)
        for u in values:
            if fetched[u] == 0:
                example("page not fetched: %s" % u)
                break
        ok = (ok and res["pages_not_fetched"] == 0 and res["pages_fetched_twice"] == 0
              and res["disallowed_fetched"] == 0)
    res["ok"] = ok

    if a.json:
        print(json.dumps(res, ensure_ascii=False))
    else:
        for k, v in res.items():
            if k not in ("ok", "examples"):
                print("%-24s %s" % (k, v))
        for e in examples:
            print("  " + e)
        print("RESULT: %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("manifest-matches")
    p.add_argument("site"); p.add_argument("hosts", type=int); p.add_argument("pages", type=int)
    p.add_argument("port", type=int); p.set_defaults(fn=manifest_matches)
    p = sub.add_parser("port-free")
    p.add_argument("ip"); p.add_argument("port", type=int); p.set_defaults(fn=port_free)
    p = sub.add_parser("spider-yaml")
    p.add_argument("site"); p.add_argument("out"); p.add_argument("--tiny", action="store_true")
    p.set_defaults(fn=spider_yaml)
    p = sub.add_parser("wrk-rate")
    p.add_argument("file"); p.set_defaults(fn=wrk_rate)
    p = sub.add_parser("wall")
    p.add_argument("file"); p.set_defaults(fn=wall)
    p = sub.add_parser("run-record")
    p.add_argument("--run", type=int, required=True); p.add_argument("--time", required=True)
    p.add_argument("--check", required=True); p.add_argument("--stats")
    p.add_argument("--pages", type=int, required=True)
    p.add_argument("--fetched-checked", choices=("yes", "no"), default="yes")
    p.set_defaults(fn=run_record)
    p = sub.add_parser("report")
    p.add_argument("--runs", nargs="+", required=True); p.add_argument("--server", required=True)
    p.add_argument("--parse", required=True); p.add_argument("--startup", nargs="+", required=True)
    p.add_argument("--out", required=True); p.add_argument("--meta", nargs="*", default=[])
    p.set_defaults(fn=report)
    p = sub.add_parser("check")
    p.add_argument("site"); p.add_argument("output")
    p.add_argument("--fetched-urls", help="the URLs the crawl fetched, one a line")
    p.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    p.set_defaults(fn=check)
    a = ap.parse_args()
    sys.exit(a.fn(a))


if __name__ == "__main__":
    main()
