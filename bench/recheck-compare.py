#!/usr/bin/env python3
"""Alternated `clearance shipments recheck` runs of several builds, each on a book of its own, in milliseconds.

Each argument is BUILD@BOOK_DIR: a clearance executable and a directory that bench/recheck-e2e.sh kept (KEEP=1: its
book.db, the book after the SDN update, not yet rechecked). Per round each build (the order reversed every other round)
runs the incremental recheck and `--full` (MODE=both; the order of the two swapped every other round), or one of them
(MODE=inc, MODE=full), each on a fresh copy of its book after `clearance screen "warm up"` (a copied database does not
match its screening index's stamp until a command brings it up to date, as the import had). Wall time by the clock
around the process, CPU and page faults from the kernel's accounting of the finished child (getrusage), so that runs
are told apart below /usr/bin/time's 10 ms. Prints each build's medians (and quartiles of wall time) and, for
MODE=both, `--full` / incremental per build and per round. Builds of different schema versions need books of their
own: an older build refuses a database a newer one has upgraded.

    ROUNDS=12 MODE=both bench/recheck-compare.py /tmp/base/clearance@/tmp/book-base /tmp/new/clearance@/tmp/book-new
"""
import glob
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time


def run(build, book, mode):
    for f in glob.glob(f"{book}/run.db*"):
        os.remove(f)
    for f in glob.glob(f"{book}/book.db*"):
        shutil.copy(f, f.replace("book.db", "run.db"))
    env = dict(os.environ, CLEARANCE_DB=f"{book}/run.db")
    subprocess.run([build, "screen", "warm up"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(f"{book}/recheck-{mode}.jsonl", "wb") as out:
        done = subprocess.run([build, "shipments", "recheck", "-o", "json"] + (["--full"] if mode == "full" else []),
                              env=env, stdout=out, stderr=subprocess.DEVNULL)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{build} shipments recheck {mode} on {book}: exit {done.returncode}")
    return (wall, (after.ru_utime - before.ru_utime) * 1000, (after.ru_stime - before.ru_stime) * 1000,
            after.ru_minflt - before.ru_minflt)


def main():
    specs = [a.split("@", 1) for a in sys.argv[1:]]
    if not specs or any(len(s) != 2 for s in specs):
        sys.exit(__doc__)
    rounds = int(os.environ.get("ROUNDS", "8"))
    modes = {"both": ["inc", "full"], "inc": ["inc"], "full": ["full"]}[os.environ.get("MODE", "both")]
    results = {(b, m): [] for b, _ in specs for m in modes}
    for r in range(rounds):
        for build, book in (specs if r % 2 == 0 else specs[::-1]):
            for mode in (modes if r % 2 == 0 else modes[::-1]):
                results[(build, mode)].append(run(build, book, mode))
    median = statistics.median
    for (build, mode), rows in results.items():
        wall = [x[0] for x in rows]
        q = statistics.quantiles(wall, n=4) if len(wall) > 1 else [wall[0]] * 3
        print(f"{build} {mode}: n={len(rows)} wall {median(wall):.1f} ms (q1 {q[0]:.1f}, q3 {q[2]:.1f}, min {min(wall):.1f}); "
              f"user {median(x[1] for x in rows):.1f} sys {median(x[2] for x in rows):.1f} "
              f"CPU {median(x[1] + x[2] for x in rows):.1f} ms; faults {median(x[3] for x in rows):.0f}")
    if modes == ["inc", "full"]:
        for build, _ in specs:
            inc, full = results[(build, "inc")], results[(build, "full")]
            ratio = median(x[0] for x in full) / median(x[0] for x in inc)
            cpu = median(x[1] + x[2] for x in full) / median(x[1] + x[2] for x in inc)
            rounds_ = " ".join(f"{f[0] / i[0]:.1f}" for i, f in zip(inc, full))
            print(f"{build}: --full / incremental {ratio:.1f}x wall, {cpu:.1f}x CPU; per round {rounds_}")
    print(f"load {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    main()
