#!/usr/bin/env python3
"""make blktests' table: blktests' results of several kernels, side by side.

    scripts/blktests-table.py NOTES TREE TESTS KERNEL=DIR...

DIR is what scripts/blktests.sh leaves for one kernel: results/, the
output of ./check -o, and console.log, the guest's console, which holds
./check's progress lines and, under a test that did not run, why.
NOTES (config/blktests-known) explains tests that fail or do not run on
every kernel: lines of "TEST[ CONDITION]<tab>note".  TREE is the blktests
tree and TESTS what ./check was asked to run (groups or tests): a test of
those that left no result on any kernel is listed too, as one that needs
a test device (make blktests gives none) or as not reached.

Prints Markdown: a summary per group, one row per test and condition
(the transport, for the nvme group) with each kernel's result and time,
and the output of every failed test.  Exits 1 if a test passes on the
first kernel and fails on another.  A test a kernel's run did not reach
(its guest stopped by the time limit) is "not reached".
"""

import os
import re
import sys
from collections import defaultdict

STATUS_LINE = re.compile(
    r'^(?P<test>[a-z]+/\d+) (?:\((?P<cond>[^)]*=[^)]*)\) )?.*'
    r'\[(?P<status>passed|failed|not run)\]\s*$')


def cond_of_dir(name):
    """results/nodev_tr_loop_bd_device -> 'tr=loop bd=device'."""
    rest = name[len('nodev'):].lstrip('_')
    words = rest.split('_') if rest else []
    return ' '.join(f'{k}={v}' for k, v in zip(words[::2], words[1::2]))


def read_results(path):
    """{(test, cond): {'status':, 'runtime':, 'reason':, 'files':}}"""
    out = {}
    root = os.path.join(path, 'results')
    if not os.path.isdir(root):
        return out
    for top in sorted(os.listdir(root)):
        if not top.startswith('nodev'):
            continue
        cond = cond_of_dir(top)
        for group in sorted(os.listdir(os.path.join(root, top))):
            gdir = os.path.join(root, top, group)
            if not os.path.isdir(gdir):
                continue
            for name in os.listdir(gdir):
                if not name.isdigit():
                    continue
                rec = {}
                with open(os.path.join(gdir, name)) as f:
                    for line in f:
                        key, _, value = line.rstrip('\n').partition('\t')
                        rec[key] = value
                rec['dir'] = gdir
                rec['name'] = name
                out[(f'{group}/{name}', cond)] = rec
    return out


def read_reasons(path):
    """Why each test did not run, from ./check's lines on the console."""
    reasons = defaultdict(list)
    key = None
    console = os.path.join(path, 'console.log')
    if not os.path.exists(console):
        return reasons
    with open(console, errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n')
            m = STATUS_LINE.match(line)
            if m:
                key = ((m['test'], m['cond'] or '')
                       if m['status'] == 'not run' else None)
                continue
            if key and line.startswith('    '):
                reasons[key].append(line.strip())
            else:
                key = None
    return reasons


def read_notes(path):
    notes = {}
    if not os.path.exists(path):
        return notes
    with open(path) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            key, _, note = line.rstrip('\n').partition('\t')
            test, _, cond = key.partition(' ')
            notes[(test, cond)] = note
    return notes


def note_for(notes, key):
    return notes.get(key) or notes.get((key[0], '')) or ''


def short(rec, reasons):
    if rec is None:
        return 'not reached'
    status = rec.get('status', '?')
    if status == 'pass':
        return 'pass'
    if status == 'fail':
        return f'fail ({rec.get("reason", "?")})'
    if status == 'not run':
        return 'not run: ' + ('; '.join(reasons) if reasons else '?')
    return status


def runtime(rec):
    return rec.get('runtime', '-') if rec else '-'


def failure_output(rec, limit=30):
    """The test's unexpected output (.out.bad against .out) or its log."""
    lines = []
    for suffix in ('.out.bad', '.dmesg', '.full'):
        p = os.path.join(rec['dir'], rec['name'] + suffix)
        if os.path.exists(p):
            with open(p, errors='replace') as f:
                body = f.read().splitlines()
            lines.append(f'{rec["name"]}{suffix} (last {limit} lines):')
            lines += ['    ' + s for s in body[-limit:]]
    return lines


def asked_tests(tree, asked):
    """Every test that TESTS names, expanded from groups."""
    out = []
    for a in asked.split():
        gdir = os.path.join(tree, 'tests', a)
        if os.path.isdir(gdir):
            out += [f'{a}/{n}' for n in sorted(os.listdir(gdir))
                    if re.fullmatch(r'\d{3}', n)]
        else:
            out.append(a)
    return list(dict.fromkeys(out))


def device_only(tree, test):
    """A test with test_device() and no test(): it needs TEST_DEVS."""
    with open(os.path.join(tree, 'tests', test)) as f:
        body = f.read()
    return (re.search(r'^test_device\(\)', body, re.M) is not None
            and re.search(r'^test\(\)', body, re.M) is None)


def shown(kernel):
    """A kernel's name in the table: make bench's patched is the series."""
    return 'series' if kernel == 'patched' else kernel


def main(notes_path, tree, asked, specs):
    kernels, results, reasons = [], {}, {}
    for spec in specs:
        k, _, path = spec.partition('=')
        kernels.append(k)
        results[k] = read_results(path)
        reasons[k] = read_reasons(path)
    notes = read_notes(notes_path)
    keys = sorted(set().union(*(results[k].keys() for k in kernels)),
                  key=lambda t: (t[0].split('/')[0], int(t[0].split('/')[1]),
                                 t[1]))
    first = kernels[0]
    seen = {t for t, _ in keys}
    for test in asked_tests(tree, asked):
        if test in seen:
            continue
        why = ('needs a test device (TEST_DEVS); make blktests runs '
               'without one' if device_only(tree, test) else None)
        for k in kernels:
            printed = reasons[k].get((test, ''))
            results[k][(test, '')] = (
                {'status': 'not run', 'dir': '', 'name': ''}
                if why or printed else None)
            if why and not printed:
                reasons[k][(test, '')] = [why]
        keys.append((test, ''))
    keys.sort(key=lambda t: (t[0].split('/')[0], int(t[0].split('/')[1]),
                             t[1]))

    def status(k, key):
        rec = results[k].get(key)
        return rec.get('status') if rec else 'not reached'

    regressions = [key for key in keys for k in kernels[1:]
                   if status(first, key) == 'pass'
                   and status(k, key) == 'fail']

    print('## Summary')
    print()
    for group in sorted({t.split('/')[0] for t, _ in keys}):
        gkeys = [key for key in keys if key[0].startswith(group + '/')]
        same = defaultdict(int)
        differ = 0
        for key in gkeys:
            st = {status(k, key) for k in kernels}
            if len(st) == 1:
                same[st.pop()] += 1
            else:
                differ += 1
        on = 'on both' if len(kernels) == 2 else (
            'on all' if len(kernels) > 2 else f'on {shown(first)}')
        parts = [f'{same[s]} {s} {on}'
                 for s in ('pass', 'fail', 'not run', 'not reached')
                 if same[s]]
        if len(kernels) > 1:
            parts.append(f'{differ} differ')
        print(f'- {group}: ' + ', '.join(parts)
              + f' ({len(gkeys)} test runs)')
    print()
    for k in kernels:
        count = defaultdict(int)
        for key in keys:
            count[status(k, key)] += 1
        print(f'- {shown(k)}: ' + ', '.join(f'{n} {s}' for s, n in
                                     sorted(count.items())))
    print()
    if len(kernels) > 1:
        print('Passes on the base and not on the series: '
              + (', '.join(f'{t} ({c})' if c else t for t, c in regressions)
                 if regressions else 'none') + '.')
        print()

    print('## Every test')
    print()
    head = ' | '.join(shown(k) for k in kernels)
    times = ' | '.join(f'{shown(k)} time' for k in kernels)
    print(f'| test | condition | {head} | {times} | note |')
    print('| --- | --- |' + ' --- |' * len(kernels) + ' ---: |' * len(kernels)
          + ' --- |')
    for key in keys:
        cells = [short(results[k].get(key), reasons[k].get(key))
                 for k in kernels]
        rts = [runtime(results[k].get(key)) for k in kernels]
        note = note_for(notes, key)
        print(f'| {key[0]} | {key[1] or "-"} | ' + ' | '.join(cells)
              + ' | ' + ' | '.join(rts) + f' | {note} |')

    failed = [(k, key) for key in keys for k in kernels
              if status(k, key) == 'fail']
    if failed:
        print()
        print('## Output of the failed tests')
        for k, key in failed:
            print()
            print(f'### {key[0]} {key[1]} on {shown(k)}')
            print()
            print('```')
            for line in failure_output(results[k][key]):
                print(line)
            print('```')
    return 1 if regressions else 0


if __name__ == '__main__':
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
