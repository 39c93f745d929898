"""Turns the METRIC lines of run_benchmarks.sh into one table of medians."""
import collections
import statistics
import sys

values = collections.defaultdict(list)
with open(sys.argv[1]) as f:
    for line in f:
        parts = line.split()
        if len(parts) >= 5 and parts[2] == "METRIC":
            values[parts[3]].append(float(parts[4]))
runs = sys.argv[2] if len(sys.argv) > 2 else "?"


def med(name):
    v = values.get(name)
    return statistics.median(v) if v else None


def ratio(a, b):
    pairs = [x / y for x, y in zip(values.get(a, []), values.get(b, [])) if y]
    return statistics.median(pairs) if pairs else None


def fmt(value, unit="", digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}{unit}"


def check(value, op, bound):
    if value is None:
        return None
    return value >= bound if op == ">=" else value <= bound


# benchmark, what, target text, measured text, pass (None: not run)
# Baseline (b), "how Label Studio sends", is labelstudio_sender.py (Python
# requests.post per delivery, as Label Studio does); "C++ seq" is the same
# pattern in C++, the floor of any sequential sender, shown for reference.
rows = []
b1 = (med("b1_vs_bare"), med("b1_vs_labelstudio"))
rows.append(("B1 sustained, 20,000", "engine vs bare QNAM (a) / vs Label Studio's sender (b)",
             ">= 0.8 x (a), >= 2 x (b)",
             f"{fmt(med('b1_engine_per_s'))}/s; (a) {fmt(med('b1_bare_qnam_per_s'))}/s, "
             f"(b) {fmt(med('b1_labelstudio_per_s'))}/s; {fmt(b1[0], ' x', 2)} (a), "
             f"{fmt(b1[1], ' x', 2)} (b); C++ seq {fmt(med('b1_sequential_per_s'))}/s "
             f"({fmt(med('b1_vs_sequential'), ' x', 2)}; bare QNAM itself "
             f"{fmt(ratio('b1_bare_qnam_per_s', 'b1_sequential_per_s'), ' x', 2)})",
             None if None in b1 else (b1[0] >= 0.8 and b1[1] >= 2)))
b2 = (med("b2_engine_s"), med("b2_vs_labelstudio"))
rows.append(("B2 fan-out 1,000 hooks", "emit to last attempt recorded",
             "<= 1 s, >= 10 x sequential (b)",
             f"{fmt(b2[0], ' s', 3)} (cold {fmt(med('b2_engine_cold_s'), ' s', 3)}); (b) "
             f"{fmt(med('b2_labelstudio_s'), ' s', 3)}, C++ seq {fmt(med('b2_sequential_s'), ' s', 3)}, "
             f"bare QNAM {fmt(med('b2_bare_qnam_s'), ' s', 3)}; {fmt(b2[1], ' x', 1)} (b), "
             f"{fmt(med('b2_vs_sequential'), ' x', 1)} C++ seq (bare QNAM "
             f"{fmt(med('b2_bare_vs_sequential'), ' x', 1)})",
             None if None in b2 else (b2[0] <= 1 and b2[1] >= 10)))
b3 = med("b3_vs_labelstudio")
rows.append(("B3 slow receiver (100 ms), 600", "engine vs sequential (b)", ">= 5 x",
             f"{fmt(med('b3_engine_s'), ' s', 1)} vs (b) {fmt(med('b3_labelstudio_s'), ' s', 1)}, "
             f"C++ seq {fmt(med('b3_sequential_s'), ' s', 1)} (bare QNAM "
             f"{fmt(med('b3_bare_qnam_s'), ' s', 1)}); {fmt(b3, ' x', 1)} (b), "
             f"{fmt(med('b3_vs_sequential'), ' x', 1)} C++ seq",
             check(b3, ">=", 5)))
h2 = med("h2_engine_per_s")
rows.append(("B1 over HTTP/2 (h2c, nghttpd)", "engine / bare QNAM, prior knowledge", "(no target)",
             f"{fmt(h2)}/s / {fmt(med('h2_bare_qnam_per_s'))}/s "
             f"({fmt(med('h2_vs_bare'), ' x', 2)})", "info" if h2 is not None else None))
for key, what, bound in [("b4_first_page_ms", "first painted page", 150),
                         ("b4_jump_ms", "jump to the oldest row", 100),
                         ("b4_failed_filter_ms", '"failed" filter', 150),
                         ("b4_text_filter_ms", "text filter (after the 200 ms typing pause)", 150)]:
    rows.append(("B4 log at 1,000,000", what, f"<= {bound} ms", fmt(med(key), " ms"),
                 check(med(key), "<=", bound)))
rows.append(("B4 log at 1,000,000", "peak RSS", "<= 200 MB", fmt(med("b4_peak_rss_mib"), " MiB"),
             check(med("b4_peak_rss_mib"), "<=", 200)))
b5 = (med("b5_max_stall_ms"), med("b5_visible_max_ms"), med("b5_recorded_per_s"))
rows.append(("B5 live under load, 10,000 hooks", "longest GUI stall / recorded to visible (max)",
             "<= 50 ms / <= 1 s at >= 1,000/s",
             f"{fmt(b5[0], ' ms')} / {fmt(b5[1], ' ms')} (median {fmt(med('b5_visible_p50_ms'), ' ms')}) "
             f"at {fmt(b5[2])}/s",
             None if None in b5 else (b5[0] <= 50 and b5[1] <= 1000 and b5[2] >= 1000)))
rows.append(("B6 start-up", "process start to first painted window", "<= 500 ms",
             fmt(med("b6_startup_ms"), " ms"), check(med("b6_startup_ms"), "<=", 500)))
# B4 and B6 on PostgreSQL (issue 10's targets), on the same 1,000,000
# attempts copied to a throwaway local cluster.
rows.append(("B4P log at 1,000,000, PostgreSQL", "first painted page", "<= 300 ms",
             f"{fmt(med('b4p_first_page_ms'), ' ms')} (jump to the oldest "
             f"{fmt(med('b4p_jump_ms'), ' ms')}, \"failed\" {fmt(med('b4p_failed_filter_ms'), ' ms')}, "
             f"text {fmt(med('b4p_text_filter_ms'), ' ms')}; copied in by migrate in "
             f"{fmt(med('b4p_migrate_s'), ' s')})",
             check(med("b4p_first_page_ms"), "<=", 300)))
rows.append(("B6P start-up, PostgreSQL", "process start to first painted window", "<= 800 ms",
             fmt(med("b6p_startup_ms"), " ms"), check(med("b6p_startup_ms"), "<=", 800)))
b11 = (med("chart_first_24h_ms"), med("chart_first_7d_ms"), med("chart_stall_24h_ms"),
       med("chart_stall_7d_ms"))
rows.append(("B11 chart at 1,000,000", "first chart 24 h / 7 d; longest GUI stall 24 h / 7 d",
             "<= 300 ms; <= 50 ms",
             f"{fmt(b11[0], ' ms')} / {fmt(b11[1], ' ms')}; {fmt(b11[2], ' ms')} / "
             f"{fmt(b11[3], ' ms')} (query alone, 7 d: {fmt(med('chart_query_7d_ms'), ' ms')})",
             None if None in b11 else (max(b11[0], b11[1]) <= 300 and max(b11[2], b11[3]) <= 50)))
b11p = (med("chart_pane_first_ms"), med("chart_pane_stall_ms"))
rows.append(("B11 log pane opening, chart open", "chart drawn after show(); longest GUI stall "
             "until then, its counts and 1.5 s", "<= 300 ms; <= 50 ms",
             f"{fmt(b11p[0], ' ms')}; {fmt(b11p[1], ' ms')} (GUI thread's CPU in it "
             f"{fmt(med('chart_pane_stall_cpu_ms'), ' ms')}; window painted "
             f"{fmt(med('chart_pane_painted_ms'), ' ms')}, counts "
             f"{fmt(med('chart_pane_counted_ms'), ' ms')}, built in "
             f"{fmt(med('chart_pane_construct_ms'), ' ms')})",
             None if None in b11p else (b11p[0] <= 300 and b11p[1] <= 50)))
rows.append(("B7 serve, 100,000 pending", "peak RSS", "<= 150 MB",
             f"{fmt(med('b7_peak_rss_mib'), ' MiB')} ({fmt(med('b7_first_attempts_made'))} first "
             f"attempts in {fmt(med('b7_seconds'), ' s', 1)})",
             check(med("b7_peak_rss_mib"), "<=", 150)))
b8 = (med("b8_intake_per_s"), med("b8_vs_bare"), med("b8_p99_ms"), med("b8_delivered_all"))
rows.append(("B8 intake, 8 keep-alive clients, 2 hooks", "accepted/s, vs bare Qt HTTP Server, p99 to 202, all delivered",
             ">= 3,000/s, >= 0.5 x, <= 50 ms, yes",
             f"{fmt(b8[0])}/s (bare {fmt(med('b8_bare_per_s'))}/s, {fmt(b8[1], ' x', 2)}); p99 "
             f"{fmt(b8[2], ' ms', 1)} (p50 {fmt(med('b8_p50_ms'), ' ms', 1)}); delivered "
             f"{'all' if b8[3] == 1 else ('n/a' if b8[3] is None else 'NOT all')} "
             f"(drained {fmt(med('b8_drain_s'), ' s', 1)} later); listener alone (--no-deliver) "
             f"{fmt(med('b8_alone_per_s'))}/s, p99 {fmt(med('b8_alone_p99_ms'), ' ms', 1)}, then "
             f"delivered {'all' if med('b8_alone_delivered_all') == 1 else 'n/a or NOT all'}; "
             f"the floor (bare server storing each body as one committed row) "
             f"{fmt(med('b8_floor_per_s'))}/s, {fmt(med('b8_floor_vs_bare'), ' x', 2)} bare",
             None if None in b8 else (b8[0] >= 3000 and b8[1] >= 0.5 and b8[2] <= 50 and b8[3] == 1)))
b10 = (med("b10_max_stall_ms"), med("b10_all_landed"))
rows.append(("B10 window writes under a 3 s lock", "longest GUI stall (save, Active, test, redeliver) / all landed",
             "<= 50 ms / yes",
             f"{fmt(b10[0], ' ms')} / {'yes' if b10[1] == 1 else ('n/a' if b10[1] is None else 'NO')} "
             f"(landed {fmt(med('b10_landed_after_release_ms'), ' ms')} after the release; "
             f"GUI-thread writes as before: {fmt(med('b10_inline_max_stall_ms'), ' ms')} stall)",
             None if None in b10 else (b10[0] <= 50 and b10[1] == 1)))
f1 = med("f1_filter_cost_percent")
rows.append(("F1 filters, 10,000 events x 100 hooks", "emit with a 5-condition filter per hook vs none",
             "<= 10 % slower",
             f"{fmt(med('f1_filtered_events_per_s'))} vs {fmt(med('f1_plain_events_per_s'))} "
             f"events/s; {fmt(f1, ' %', 1)}",
             check(f1, "<=", 10)))

# What users run (U1-U4): whole processes against nginx, compared with the
# bare QNAM loop (a) and Label Studio's way (b) of the same run.
user = []
base = (f"(a) {fmt(med('u_bare_qnam_per_s'))}/s (two managers on two threads: "
        f"{fmt(med('u_bare_qnam_2threads_per_s'))}/s), (b) {fmt(med('u_labelstudio_per_s'))}/s")
for key, name, what, seconds in [
        ("u1", "U1 `emit`, 3,000 deliveries, one hook", "process start to exit", "u1_emit_s"),
        ("u2", "U2 `serve`, 20,000 queued, one hook", "process start to last attempt recorded",
         "u2_serve_s"),
        ("u4", "U4 the window, 20,000 queued, log shown", "process start to last attempt recorded",
         "u4_window_s")]:
    pair = (ratio(f"{key}_per_s", "u_bare_qnam_per_s"), med(f"{key}_vs_labelstudio"))
    user.append((name, what, ">= 0.8 x (a), >= 3 x (b)",
                 f"{fmt(med(seconds), ' s', 2)}: {fmt(med(f'{key}_per_s'))}/s; {base}; "
                 f"{fmt(pair[0], ' x', 2)} (a), {fmt(pair[1], ' x', 1)} (b)",
                 None if None in pair else (pair[0] >= 0.8 and pair[1] >= 3)))
two = ratio("u2_per_s", "u2_one_manager_per_s")
user.append(("U2 with one network manager (WEBHOOK_NETWORK_MANAGERS=1)",
             "as U2; the default keeps one manager per core, up to two",
             "kept only if it pays",
             f"default {fmt(med('u2_per_s'))}/s vs one manager "
             f"{fmt(med('u2_one_manager_per_s'))}/s: {fmt(two, ' x', 2)}",
             None if two is None else ("pays" if two > 1.0 else "does not pay")))
u3 = ratio("u3_emit_s", "u3_in_process_s")
user.append(("U3 `emit`, one event to 1,000 hooks on 1,000 ports", "process start to exit",
             "<= 2 x in-process (B2's way, same run)",
             f"{fmt(med('u3_emit_s'), ' s', 3)} vs in-process {fmt(med('u3_in_process_s'), ' s', 3)} "
             f"(cold {fmt(med('u3_in_process_cold_s'), ' s', 3)}), bare QNAM "
             f"{fmt(med('u3_bare_qnam_s'), ' s', 3)}; {fmt(u3, ' x', 2)}",
             check(u3, "<=", 2)))


def table(title, rows):
    print(f"\n{title}\n")
    print("| benchmark | measure | target | measured (median) | result |")
    print("|---|---|---|---|---|")
    for name, what, target, measured, ok in rows:
        result = "not run" if ok is None else (ok if isinstance(ok, str) else ("pass" if ok else "MISS"))
        print(f"| {name} | {what} | {target} | {measured} | {result} |")


if any(ok is not None for *_, ok in user):
    table(f"What users run: whole processes against nginx, medians of {runs} runs", user)
table(f"The engine in-process (its ceiling), medians of {runs} runs", rows)
