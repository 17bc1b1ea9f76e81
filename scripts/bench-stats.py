#!/usr/bin/env python3
"""make bench's tables, with their uncertainty, from its result files.

    scripts/bench-stats.py RESULTS.tsv...

Several files pool their rounds, as runs of one method (their kernels,
host and settings must be alike: the tables do not check).

Reads the rows scripts/bench.sh and scripts/bench-pci.sh write (one per
kernel, round, cell and scan: a TCP connect, or a PCI probe) and prints
Markdown: every cell's time to the last disk on each kernel, the ratios
between kernels with 95 % confidence intervals, the slow-namespace
cells, the cells of the earlier posting beside its figures, other
kernels (window:N) against base and series, and what else ran on the
host.

Method, printed under the tables as well: a kernel's time in a round is
the median of that boot's scans of the cell (REPEAT), and its time in a
cell the median of its rounds; a ratio is the median of the per-round
ratios (the kernels of one round boot one after the other, so a round's
ratio cancels what drifts between rounds).  Each interval is a
percentile bootstrap of that median over the rounds (10000 resamples,
fixed seed).
"""

import csv
import random
import statistics
import sys
from collections import defaultdict

RESAMPLES = 10000
SEED = 1
WIDE = 0.05          # an interval beyond +-5 % of its median is unresolved
GOAL = 1.05          # the upper end of ordered/unordered we aim for
OTHER_CPU_LIMIT = 5  # per cent of host CPU used by others: flagged

# The earlier posting's figures, in ms: sequential, async, async ordered
# (100 namespaces over NVMe/TCP).
EARLIER = {('150', '100'): (32375, 2543, 2431),
           ('0.2', '100'): (352, 248, 191)}

KERNELS = ('base', 'patched', 'sequential')


def bootstrap(by_round, stat=statistics.median):
    """Return (stat, low, high): the statistic and its 95 % interval.

    by_round maps a round, (run, round number), to its value.  With one
    run the rounds are resampled.  With several, rounds of one run are
    not independent (the host drifts between runs more than within one),
    so each resample draws runs, then rounds within each drawn run: the
    interval includes the drift between runs.
    """
    rng = random.Random(SEED)
    values = list(by_round.values())
    n = len(values)
    if n < 2:
        v = stat(values)
        return v, v, v
    runs = defaultdict(list)
    for r, v in by_round.items():
        runs[r[0]].append(v)
    runs = list(runs.values())

    def resample():
        if len(runs) == 1:
            return rng.choices(values, k=n)
        return [v for run in rng.choices(runs, k=len(runs))
                for v in rng.choices(run, k=len(run))]

    boots = sorted(stat(resample()) for _ in range(RESAMPLES))
    return (stat(values), boots[int(0.025 * RESAMPLES)],
            boots[int(0.975 * RESAMPLES) - 1])


def read_rows(paths):
    """Every row of every file; a row's run is the index of its file."""
    rows = []
    for run, path in enumerate(paths):
        with open(path, newline='') as f:
            for row in csv.DictReader(f, delimiter='\t'):
                row['run'] = run
                rows.append(row)
    return rows


def round_of(row):
    """A round of one run: several files pool their rounds."""
    return (row['run'], int(row['round']))


def round_name(r, runs):
    return f'round {r[1]}' if runs == 1 else f'run {r[0] + 1} round {r[1]}'


def cell_key(row):
    return (row['rtt_ms'], row['namespaces'], row['slow_nsid'])


def sort_key(key):
    rtt, n, slow = key
    return (rtt == 'pci', 0.0 if rtt == 'pci' else float(rtt), int(n),
            int(slow))


def label_rtt(rtt):
    return 'PCI' if rtt == 'pci' else f'{rtt} ms'


def fmt_time(est):
    m, lo, hi = est
    return f'{m:.3f} [{lo:.3f}, {hi:.3f}]'


def per_round(cell, a, b, op):
    """op(a's time, b's time) for every round that measured both."""
    return {r: op(cell[a][r], cell[b][r]) for r in sorted(cell[a])
            if r in cell[b]}


def ratio_text(values, fmt='.3f'):
    """The median ratio and its interval, or why there is none."""
    if not values:
        return '-', None
    m, lo, hi = bootstrap(values)
    interval = f'[{lo:{fmt}}, {hi:{fmt}}]'
    if len(values) < 2:
        return f'{m:{fmt}} (one round: no interval)', (m, lo, hi)
    if lo < m * (1 - WIDE) or hi > m * (1 + WIDE):
        return f'unresolved: {interval} is wider than ±5 %', (m, lo, hi)
    return f'{m:{fmt}} {interval}', (m, lo, hi)


def goal_text(key, est):
    rtt = key[0]
    if rtt != 'pci' and float(rtt) < 2:
        return 'n/a'
    if est is None:
        return '-'
    return 'met' if est[2] <= GOAL else f'missed (upper {est[2]:.3f})'


def main(paths):
    rows = read_rows(paths)
    if not rows:
        sys.exit('bench-stats: no results in ' + ' '.join(paths))
    # cells[key][kernel][round] = seconds, the median of the round's
    # connects; misplaced per kernel per cell
    connects = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    misplaced = defaultdict(lambda: defaultdict(int))
    host = []
    for row in rows:
        key = cell_key(row)
        connects[key][row['kernel']][round_of(row)].append(
            float(row['seconds']))
        misplaced[key][row['kernel']] += int(row['misplaced'])
        host.append(row)
    cells = defaultdict(lambda: defaultdict(dict))
    for key, kernels in connects.items():
        for kernel, by_round in kernels.items():
            for r, values in by_round.items():
                cells[key][kernel][r] = statistics.median(values)
    rounds = len({round_of(r) for r in rows})
    runs = len(paths)
    repeat = max(int(r.get('repeat') or 1) for r in rows)

    print('Time to the last disk, in seconds: from the controller\'s creation '
          '(nvme_init_ctrl) to the last namespace disk added '
          '(add_disk_fwnode returning), on the guest kernel\'s trace clock.  '
          'Median over the rounds [95 % interval].')
    print()
    print('| round trip | namespaces | unordered (base) | ordered (patched) '
          '| sequential | ordered / unordered | goal: upper end <= 1.05 '
          '| sequential / ordered | misplaced names, all runs (base, patched) '
          '|')
    print('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |')
    plain = sorted((k for k in cells if k[2] == '0'), key=sort_key)
    for key in plain:
        cell = cells[key]
        times = [fmt_time(bootstrap(cell[k]))
                 if cell[k] else '-' for k in KERNELS]
        ratio, est = ratio_text(per_round(cell, 'patched', 'base',
                                          lambda a, b: a / b))
        seq, _ = ratio_text(per_round(cell, 'sequential', 'patched',
                                      lambda a, b: a / b), '.2f')
        print(f'| {label_rtt(key[0])} | {key[1]} | {times[0]} | {times[1]} '
              f'| {times[2]} | {ratio} | {goal_text(key, est)} | {seq} '
              f'| {misplaced[key]["base"]}, {misplaced[key]["patched"]} |')

    slow = sorted((k for k in cells if k[2] != '0'), key=sort_key)
    if slow:
        print()
        print('One slow namespace: the target answers the Identify commands '
              'of one NSID late (bench/9200-*.patch).  "Added" is the median '
              'of the per-round differences from the same cell without the '
              'slow NSID, measured in the same boot [95 % interval].')
        print()
        print('| round trip | namespaces | slow NSID | kernel | time to the '
              'last disk (s) | added (s) |')
        print('| --- | ---: | ---: | --- | ---: | ---: |')
        for key in slow:
            base_key = (key[0], key[1], '0')
            for k in KERNELS:
                if not cells[key][k]:
                    continue
                added = '-'
                if cells[base_key][k]:
                    diffs = per_round({0: cells[key][k],
                                       1: cells[base_key][k]}, 0, 1,
                                      lambda a, b: a - b)
                    if diffs:
                        added = fmt_time(bootstrap(diffs))
                print(f'| {label_rtt(key[0])} | {key[1]} | {key[2]} | {k} '
                      f'| {fmt_time(bootstrap(cells[key][k]))} '
                      f'| {added} |')

    others = sorted({r['kernel'] for r in rows} - set(KERNELS))
    if others:
        print()
        print('Other kernels (make bench\'s window:N is the series with its '
              'scan window set to N namespaces), against the base and the '
              'series in the same rounds:')
        print()
        print('| round trip | namespaces | kernel | time to the last disk (s) '
              '| / unordered (base) | / ordered (patched) |')
        print('| --- | ---: | --- | ---: | ---: | ---: |')
        for key in plain:
            cell = cells[key]
            for k in others:
                if not cell[k]:
                    continue
                to_base, _ = ratio_text(per_round(cell, k, 'base',
                                                  lambda a, b: a / b))
                to_patched, _ = ratio_text(per_round(cell, k, 'patched',
                                                     lambda a, b: a / b))
                print(f'| {label_rtt(key[0])} | {key[1]} | {k} '
                      f'| {fmt_time(bootstrap(cell[k]))} '
                      f'| {to_base} | {to_patched} |')

    earlier = [k for k in plain if (k[0], k[1]) in EARLIER]
    if earlier:
        print()
        print('The earlier posting\'s cells (100 namespaces over NVMe/TCP), '
              'its figures beside ours, in ms.  Its machine and emulation are '
              'not ours: compare the ratios, not the times.')
        print()
        print('| round trip | | sequential | async (base) | async, ordered '
              '| ordered / async |')
        print('| --- | --- | ---: | ---: | ---: | ---: |')
        for key in sorted(earlier, key=sort_key):
            seq, asy, ordered = EARLIER[(key[0], key[1])]
            print(f'| {label_rtt(key[0])} | earlier posting | {seq} | {asy} '
                  f'| {ordered} | {ordered / asy:.3f} |')
            ms = [f'{1000 * statistics.median(cells[key][k].values()):.0f}'
                  if cells[key][k] else '-'
                  for k in ('sequential', 'base', 'patched')]
            ratio, _ = ratio_text(per_round(cells[key], 'patched', 'base',
                                            lambda a, b: a / b))
            print(f'| {label_rtt(key[0])} | this run (medians) | {ms[0]} '
                  f'| {ms[1]} | {ms[2]} | {ratio} |')

    print()
    busy = [r for r in host if float(r['other_cpu_pct']) > OTHER_CPU_LIMIT]
    boots = {(round_of(r), r['kernel']): r for r in host}
    others = [float(r['other_cpu_pct']) for r in boots.values()]
    steal = [float(r['steal_pct']) for r in boots.values()
             if r.get('steal_pct')]
    loads = [float(r[c]) for r in boots.values()
             for c in ('load_before', 'load_after')]
    print(f'Host: {len(boots)} boots in {rounds} rounds'
          + (f' of {runs} runs' if runs > 1 else '') + '; other processes used '
          f'at most {max(others):.1f} % of the host\'s CPU time during a boot'
          + (f', and the hypervisor under the host took (steal) at most '
             f'{max(steal):.1f} %' if steal else '') + '; '
          f'1-minute load average {min(loads):.2f} to {max(loads):.2f} '
          '(the guest itself counts).')
    if busy:
        flagged = sorted({(round_of(r), r['kernel']) for r in busy})
        print('**Not idle:** others used more than '
              f'{OTHER_CPU_LIMIT} % of the host\'s CPU during '
              + ', '.join(f'{round_name(r, runs)} ({k})' for r, k in flagged)
              + '.')
    print()
    print(f'Method: {repeat} scan{"s" if repeat > 1 else ""} of each cell '
          'in every boot (TCP: connects; PCI: the boot\'s probe, then '
          'binding the controller again), their median the round\'s '
          'time; median of the rounds; ratios are the median of per-round '
          'ratios; 95 % intervals by percentile bootstrap over the rounds '
          + ('' if runs == 1 else
             f'of {runs} runs, drawing runs and then rounds within each '
             '(so the interval includes the drift between runs) ')
          + f'({RESAMPLES} resamples, seed {SEED}).  A ratio whose interval '
          'reaches more than 5 % from its median is reported as unresolved.')


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
