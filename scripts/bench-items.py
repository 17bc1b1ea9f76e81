#!/usr/bin/env python3
"""Where a namespace scan spends its time, from make bench ITEMS=1's traces.

    scripts/bench-items.py RESULTS-items.trace.gz

Reads the trace lines scripts/bench.sh collects with ITEMS=1, each
prefixed "KERNEL ROUND rtt=MS ns=COUNT slow=NSID rep=I ", and prints a
Markdown table: for every cell and kernel, the medians over its
measurements of when the scan's last namespace was identified, named,
updated and added, how long namespaces waited for their turn and held
it, how long nvme_update_ns_info() took, and how many admin commands
were waiting for a tag or in flight.  The kprobe events are
scripts/common.sh's BENCH_ITEMS_APPEND.
"""

import gzip
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r'^(\S+) (\d+) rtt=(\S+) ns=(\d+) slow=(\d+) rep=(\d+) +'
                  r'.+?-(\d+) +\[\d+\] \S+ +(\d+\.\d+): (\w+):(.*)$')
NSID = re.compile(r'nsid=(\d+)')
KERNELS = ('base', 'patched', 'sequential')


def read(path):
    """measurements[(cell, kernel)][(round, rep)] = [(t, pid, event, rest)]"""
    out = defaultdict(lambda: defaultdict(list))
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt') as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            kernel, rnd, rtt, ns, slow, rep, pid, t, event, rest = m.groups()
            out[((rtt, ns, slow), kernel)][(int(rnd), int(rep))].append(
                (float(t), int(pid), event, rest))
    return out


def items_of(events):
    """Every work item's events, by the task that ran it."""
    items, running = [], {}
    for t, pid, event, rest in events:
        if event == 'item':
            item = {'item': t}
            m = NSID.search(rest)
            item['nsid'] = int(m.group(1)) if m else 0
            items.append(item)
            running[pid] = item
        elif event == 'idone':
            item = running.pop(pid, None)
            if item is not None:
                item['idone'] = t
        elif pid in running and event in ('wait', 'waited', 'leave', 'upd',
                                          'updone', 'adding'):
            running[pid].setdefault(event, t)
    return items


def admin_mean(events, start, end):
    """Time-averaged count of admin commands submitted and not returned."""
    level, area, last = 0, 0.0, start
    for t, _, event, _ in events:
        if t > end:
            break
        if t >= start:
            area += level * (t - last)
            last = t
        if event == 'cmd':
            level += 1
        elif event == 'cmddone':
            level = max(0, level - 1)
    return area / (end - start) if end > start else 0.0


def one_scan(events):
    """The figures of one measurement, or None if it is incomplete."""
    events.sort()
    starts = [t for t, _, e, _ in events if e == 'start']
    disks = [t for t, _, e, _ in events if e == 'disk']
    if not starts or not disks:
        return None
    start, end = starts[0], max(disks)
    items = items_of(events)
    # identified: the namespace has its Identify data and goes for its
    # name (the turn on the series, nvme_update_ns_info() on the base,
    # which names it on the way); named: it has its name
    identified = [i.get('wait', i.get('upd')) for i in items]
    named = [i.get('leave', i.get('upd')) for i in items]
    identified = [t for t in identified if t is not None]
    named = [t for t in named if t is not None]
    updated = [i['updone'] for i in items if 'updone' in i]
    if not identified or not named or not updated:
        return None
    waits = [i['waited'] - i['wait'] for i in items
             if 'wait' in i and 'waited' in i]
    holds = [i['leave'] - i['waited'] for i in items
             if 'waited' in i and 'leave' in i]
    updates = [i['updone'] - i['upd'] for i in items
               if 'upd' in i and 'updone' in i]
    return {
        'scan': end - start,
        'started': max(i['item'] for i in items) - start,
        'identified': max(identified) - start,
        'named': max(named) - start,
        'updated': max(updated) - start,
        'wait_med': statistics.median(waits) if waits else None,
        'wait_max': max(waits) if waits else None,
        'hold_med': statistics.median(holds) if holds else None,
        'hold_max': max(holds) if holds else None,
        'upd_med': statistics.median(updates),
        'admin': admin_mean(events, start, end),
    }


def med(scans, key, scale=1.0, fmt='.3f'):
    values = [s[key] for s in scans if s[key] is not None]
    if not values:
        return '-'
    return f'{scale * statistics.median(values):{fmt}}'


def label(cell):
    rtt, ns, slow = cell
    text = f'PCI, {ns}' if rtt == 'pci' else f'{rtt} ms, {ns}'
    return text + (f', NSID {slow} slow' if slow != '0' else '')


def main(path):
    data = read(path)
    if not data:
        sys.exit(f'bench-items: no traced scans in {path}')
    print('Medians over the measurements of each cell and kernel, in '
          'seconds from nvme_start_ctrl unless marked ms.  **identified**: '
          'the last namespace has its Identify data and goes for its name '
          '(on the series, the turn; on the base, nvme_update_ns_info(), '
          'which follows the name at once); **named**: the last namespace '
          'has its name; **updated**: the last nvme_update_ns_info() '
          '(after the name: Identify NS again, and the NVM command set\'s '
          'Identify where supported, then the queue limits) returned; '
          '**disk**: the last add_disk_fwnode() returned.  **turn wait** '
          'and **turn held**: per namespace, in ms.  **admin**: admin '
          'commands waiting for a tag or in flight, time-averaged over the '
          'scan.  The kprobes cost time: compare these with each other, '
          'not with an untraced run\'s.')
    print()
    print('| cell | kernel | runs | last started | identified | named '
          '| updated | disk | turn wait, median / max (ms) '
          '| turn held, median / max (ms) | nvme_update_ns_info (ms) '
          '| admin |')
    print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: '
          '| ---: | ---: | ---: |')
    order = sorted({c for c, _ in data},
                   key=lambda c: (c[0] == 'pci',
                                  0.0 if c[0] == 'pci' else float(c[0]),
                                  int(c[1]), int(c[2])))
    for cell in order:
        found = {k for c, k in data if c == cell}
        for kernel in [k for k in KERNELS if k in found] + sorted(
                found - set(KERNELS)):
            runs = data.get((cell, kernel))
            if not runs:
                continue
            scans = [s for s in map(one_scan, runs.values()) if s]
            if not scans:
                continue
            wait = (f'{med(scans, "wait_med", 1e3, ".1f")} / '
                    f'{med(scans, "wait_max", 1e3, ".1f")}')
            hold = (f'{med(scans, "hold_med", 1e3, ".2f")} / '
                    f'{med(scans, "hold_max", 1e3, ".2f")}')
            if not any(s['wait_med'] is not None for s in scans):
                wait = hold = '-'
            print(f'| {label(cell)} | {kernel} | {len(scans)} '
                  f'| {med(scans, "started")} | {med(scans, "identified")} '
                  f'| {med(scans, "named")} | {med(scans, "updated")} '
                  f'| {med(scans, "scan")} | {wait} | {hold} '
                  f'| {med(scans, "upd_med", 1e3, ".1f")} '
                  f'| {med(scans, "admin", 1.0, ".1f")} |')


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
