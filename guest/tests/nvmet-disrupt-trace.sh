# nvmet-disrupt with the host's and the target's commands, and the work
# items queued and run, traced into the ring buffer (the kernel command
# line enables the events).  If the target's keep-alive timer expires
# while the host is still connected, the trace of the 20 s before it is
# printed on the console, prefixed "TRACE ", and the guest stops: what
# the host sent, and when its keep-alive work was queued and ran.  If the
# host disconnects first, or the loop ends without a disconnect, the
# console gets the longest silences of the host and delays of its
# keep-alive work during the rescan instead.
. /tests/nvmet-disrupt.sh

TRACEFS=/sys/kernel/tracing

# The target logs an expiry after every disconnect too: only one that
# comes before the host removes the controller counts.
expiry_while_connected() {
	while :; do
		case $(dmesg | grep -E 'keep-alive timer|Removing ctrl' | head -n 1) in
		*keep-alive*) return 0 ;;
		*Removing*) return 1 ;;
		esac
		sleep 1
	done
}

# Seconds of the first kernel log line matching $1
log_time() {
	dmesg | grep -E "$1" | head -n 1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/'
}

# From the rescan to the disconnect: the longest silences of the host
# (time between two commands it sent, keep-alives included) and the
# longest delays of its keep-alive work, from queued to running.
summarize_rescan() {
	[ -f /tmp/summarized ] && return 0
	touch /tmp/summarized
	echo 0 > $TRACEFS/tracing_on
	from=$(log_time 'rescanning namespaces')
	to=$(log_time 'Removing ctrl')
	to=${to:-$(cut -d' ' -f1 /proc/uptime)}
	awk -v a="${from:-0}" -v b="$to" '
		{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { s = $i + 0; break } }
		s < a || s > b { next }
		first == "" { first = s }
		/nvme_setup_cmd: nvme0:/ {
			n++
			if (last != "") printf "TRACE gap %.3f s before the command at %.3f\n", s - last, s
			last = s
		}
		/workqueue_queue_work:.*function=nvme_keep_alive_work/ { q = s }
		/workqueue_execute_start:.*function nvme_keep_alive_work/ && q != "" {
			printf "TRACE ka-delay %.3f s, queued at %.3f\n", s - q, q; q = ""
		}
		END { printf "TRACE summary: rescan %.1f to %.1f s, trace from %.1f s, %d host commands\n", a, b, first, n }' \
		$TRACEFS/trace > /tmp/summary
	grep summary /tmp/summary > /dev/console
	grep ' gap ' /tmp/summary | sort -k3 -rn | head -n 10 > /dev/console
	grep ka-delay /tmp/summary | sort -k3 -rn | head -n 10 > /dev/console
}

dump_trace_before_expiry() {
	expiry_while_connected || { summarize_rescan; return 0; }
	echo 0 > $TRACEFS/tracing_on
	at=$(log_time 'keep-alive timer')
	awk -v t="$at" '
		{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { s = $i + 0; break } }
		s >= t - 20 && s <= t + 1 &&
		/nvme|keep_alive|async_run_entry_fn/ { print "TRACE " $0 }' \
		$TRACEFS/trace > /dev/console
	echo "TRACE end (expiry at $at)" > /dev/console
	reboot -f
}

test_trace_setup() {
	mount -t tracefs tracefs $TRACEFS 2>/dev/null
	[ -n "$(cat $TRACEFS/set_event)" ] || { diag "no trace event enabled"; return 1; }
	# setsid and no inherited descriptor: the harness waits for EOF on
	# this test's output
	setsid sh -c 'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
		. /tests/nvmet-disrupt-trace.sh; dump_trace_before_expiry' \
		</dev/null >/dev/null 2>&1 &
}

test_target_setup() {
	nvmet_setup_target
}

# A failure other than the order check returns before the disconnect:
# summarize here then.
test_disrupt_traced() {
	test_disrupt_mid_scan
	rc=$?
	summarize_rescan
	return $rc
}
