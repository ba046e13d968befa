#!/usr/bin/env python3
"""Mutation testing of the server: how many small deliberate breakages the tests catch.

Copies the source tree to <build-dir>/src (the working tree is never written), builds it once in
<build-dir>/build, then for each mutant: writes the mutated file into the copy, rebuilds the test
targets incrementally, runs the tests relevant to the file's folder with a timeout (stopping at
the first failure), and puts the original file back before the next mutant, whatever happened.
A mutant is killed when a test fails or times out, survives when all pass, and does not count
when it does not compile. Writes the score and every survivor to bench/MUTATION.md (between the
markers, so the hand-written notes around them stay).

Operators: flipped or loosened comparisons, swapped arithmetic and logic, off-by-one integer
constants, dropped conditions (if (c) → if (true) / if (false)), dropped negations, replaced
boolean return values. Comments, string literals, preprocessor lines and template brackets are
left alone.

  python3 scripts/mutate.py --files 'server/src/stats/*.cc' --max 60
"""
import argparse
import datetime
import fnmatch
import glob
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FILES = ["server/src/stats/*.cc", "server/src/reports/*.cc", "server/src/domain/*.cc", "server/src/store/*.cc",
                 "server/src/api/*.cc"]

# Which tests answer for which folder: a ctest -R regex and the build targets they need. The
# PostgreSQL cases are left out (they would need a server; the SQLite cases run the same code
# above the store).
TESTS = {
    "server/src/stats/": (r"^(Stats|Seeds/StatsModel|ReportDeadline|ScheduleTable|StatsQueryTable|SchedulePct|Ratio|"
                          r"Assessment|TourResults|TourAssessment|RedBlackTest|WarningRules|WarningEngine|NodeState|"
                          r"LeadModel|LeadStats|CarrierMatch|ProblemsOfProjects|FinancingOfProjects|Execution|LeaderProjects|"
                          r"Backends/(DbTest|PublishedFigures)\..*/sqlite)",
                          ["kp_unit_tests"]),
    # The drafted documents: the golden sentences and models (unit), and the API's report cases (the real
    # binary: figures against /api/stats, docx through LibreOffice, PDF through pdftotext).
    "server/src/reports/": (r"^(Phrasing|MonthlyReport|PublishedReport|QuarterlyReview|AnnualSummary|"
                            r"Backends/ApiTest\..*(Report|Weekly).*/sqlite)",
                            ["kp_unit_tests", "kp_api_tests", "keyproject"]),
    "server/src/domain/": (r"/sqlite|^(Export|ProjectTable|ImportParser|AdminGuard|ProjectDiff)",
                           ["kp_unit_tests", "kp_api_tests", "keyproject"]),
    "server/src/store/": (r"/sqlite|^(SqliteStore|AuditChain)", ["kp_unit_tests", "kp_api_tests", "keyproject"]),
    "server/src/api/": (r"^Backends/.*/sqlite|^(ConnectionTest|ResponseCache|ErrorResponse)",
                        ["kp_api_tests", "keyproject", "kp_unit_tests"]),
}

# Files whose own tests are known face those instead of their folder's whole set (a domain service's
# mutant is judged by its unit tests and the API cases of its routes, on SQLite: minutes, not a quarter
# hour, per surviving mutant). The regexes name CTest cases; each must pass on the unmutated tree.
_API = r"Backends/ApiTest\.{}.*/sqlite"
_SEC = r"Backends/(AuthTest\.EveryEndpoint|SecurityTest\.Every).*/sqlite"
FILE_TESTS = {
    "server/src/domain/problems.cc": r"^(Backends/ProblemsTest\..*/sqlite|ProblemsOfProjects|TextProblem|" + _API.format(".*Problem") + ")",
    "server/src/domain/supervision.cc": r"^(Backends/ProblemsTest\..*/sqlite|" + _API.format(".*(Problem|Visit)") + ")",
    "server/src/domain/problem_model.cc": r"^(Backends/ProblemsTest\..*/sqlite|" + _API.format(".*Problem") + ")",
    "server/src/domain/import_parser.cc": r"^(ImportParser|XlsxImport|HostileXlsx|ParseWan|ParseYearMonth|ParseCsv|DecodeToUtf8|"
                                          r"Backends/(ImportErrors|DbTest)\..*/sqlite|" + _API.format(".*(Import|Spreadsheet)") + ")",
    "server/src/domain/register.cc": r"^(Backends/(DbTest|CoherenceTest|PublishedFigures)\..*/sqlite|" +
                                     _API.format("(Projects|Regions|AReport|AnEarly|Amounts|CsvImport|CliStats)") +
                                     r"|Backends/OpsTest\.Metrics.*/sqlite)",
    "server/src/domain/financing.cc": r"^(Backends/FinancingTest\..*/sqlite|CarrierMatch|FinancingOfProjects|" + _API.format("Financing") + ")",
    "server/src/domain/financing_model.cc": r"^(Backends/FinancingTest\..*/sqlite|" + _API.format("Financing") + ")",
    "server/src/domain/redblack.cc": r"^(RedBlackTest|" + _API.format(".*RedBlack") + ")",
    "server/src/domain/assessment.cc": r"^(Assessment|TourAssessment|Backends/AssessmentSettingTest\..*/sqlite|" + _API.format(".*Assessment") + ")",
    "server/src/domain/tours.cc": r"^(Backends/ToursTest\..*/sqlite|TourResults|TourAssessment|" + _API.format("Tours") + ")",
    "server/src/domain/tour_model.cc": r"^(Backends/ToursTest\..*/sqlite|" + _API.format("Tours") + ")",
    "server/src/domain/leads.cc": r"^(Backends/LeadsTest\..*/sqlite|LeadModel|LeadStats|" + _API.format("Leads") + ")",
    "server/src/domain/lead_model.cc": r"^(Backends/LeadsTest\..*/sqlite|LeadModel|" + _API.format("Leads") + ")",
    "server/src/domain/reminders.cc": r"^(Backends/ReminderQueueTest\..*/sqlite|Reminder|WebhookMessages|" + _API.format("Reminder") + ")",
    "server/src/domain/webhooks.cc": r"^(Backends/ReminderQueueTest\..*/sqlite|WebhookMessages|" + _API.format("Reminder") + ")",
    "server/src/domain/auth.cc": r"^(LoginShape|Backends/(AuthTest|SecurityTest)\..*/sqlite|AdminGuard|KeepsAnEnabledAdmin)",
    "server/src/domain/admin_guard.cc": r"^(Backends/(AuthTest|SecurityTest)\..*/sqlite|AdminGuard|KeepsAnEnabledAdmin)",
    "server/src/domain/photos.cc": r"^(Backends/PhotosTest\..*/sqlite|PhotoCodec|" + _API.format(".*Photos") + ")",
    "server/src/domain/photo_codec.cc": r"^(Backends/PhotosTest\..*/sqlite|PhotoCodec)",
    "server/src/domain/exports.cc": r"^(Export|XlsxWriter|Backends/DbTest\.Exported.*/sqlite|" +
                                    _API.format("(Every|TheUsersExport|CliExports|Exported|TheReportsWorkbook|Spreadsheets)") + ")",
    "server/src/domain/warnings_export.cc": r"^(" + _API.format("(Exported|Warnings)") + ")",
    "server/src/domain/project_diff.cc": r"^(ProjectDiff|Backends/DbTest\..*/sqlite)",
    "server/src/domain/leader_view.cc": r"^(LeaderProjects|" + _API.format("ALeaders") + ")",
    "server/src/domain/instructions.cc": r"^(InstructionRoles|Backends/InstructionsTest\..*/sqlite|" + _API.format("ALeaders") + ")",
    "server/src/domain/milestones.cc": r"^(NodeState|" + _API.format("(TwoConcurrent|NodeTemplates|WallChart|Warnings)") + ")",
    "server/src/domain/wallchart.cc": r"^(NodeState|" + _API.format("(WallChart|TwoConcurrent|Warnings)") + ")",
    "server/src/domain/reports.cc": r"^(Backends/(DbTest|CoherenceTest)\..*/sqlite|" + _API.format("(AReport|AnEarly|CliStats|ApiStats|TheCumulative)") + ")",
    # The store: each table's file faces its service's suite (the same SQL on SQLite) and the API's cases of
    # its routes; soci_store.cc (projects, plans, reports, users, settings, regions) faces the register's.
    "server/src/store/soci_store.cc": r"^(SqliteStore|Backends/(DbTest|CoherenceTest|PublishedFigures|AuthTest|ImportErrors)\..*/sqlite|" +
                                      _API.format("(Projects|Regions|AReport|AnEarly|Amounts|CsvImport|CliStats|ApiStats)") + ")",
    "server/src/store/problem_store.cc": r"^(Backends/ProblemsTest\..*/sqlite|" + _API.format(".*Problem") + ")",
    "server/src/store/visit_store.cc": r"^(Backends/ProblemsTest\..*/sqlite|" + _API.format(".*(Problem|Visit)") + ")",
    "server/src/store/financing_store.cc": r"^(Backends/FinancingTest\..*/sqlite|" + _API.format("Financing") + ")",
    "server/src/store/tour_store.cc": r"^(Backends/ToursTest\..*/sqlite|" + _API.format("Tours") + ")",
    "server/src/store/lead_store.cc": r"^(Backends/LeadsTest\..*/sqlite|" + _API.format("Leads") + ")",
    "server/src/store/photo_store.cc": r"^(Backends/PhotosTest\..*/sqlite|" + _API.format(".*Photos") + ")",
    "server/src/store/reminder_store.cc": r"^(Backends/ReminderQueueTest\..*/sqlite|" + _API.format("Reminder") + ")",
    "server/src/store/instruction_store.cc": r"^(Backends/InstructionsTest\..*/sqlite|" + _API.format("ALeaders") + ")",
    "server/src/store/node_store.cc": r"^(" + _API.format("(TwoConcurrent|NodeTemplates|WallChart|Warnings|ALeadersPage)") + ")",
    "server/src/store/published_report_store.cc": r"^(" + _API.format("(APublished|TheMonthlyReport|TheWeekly)") + ")",
    "server/src/store/published_redblack_store.cc": r"^(" + _API.format(".*RedBlack") + ")",
    "server/src/store/report_activity_store.cc": r"^(" + _API.format("(TheWeekly|AReport|ReminderHour|RemindersReach)") + ")",
    "server/src/store/audit_chain.cc": r"^(Backends/(AuditChainTest|OpsTest\.(Audit|ARestored))\..*/sqlite|Backends/AuthTest\.TheAuditLog.*/sqlite)",
    "server/src/store/backup.cc": r"^(Backends/OpsTest\.(ARestored|ABackup).*/sqlite)",
    "server/src/store/change_listener.cc": r"^(Backends/(CoherenceTest|DbTest\.APublication)\..*/sqlite)",
    # The handlers: each faces the API cases of its routes, the role walk and the hostile-value table.
    "server/src/api/problems_handler.cc": r"^(" + _API.format(".*Problem") + "|" + _SEC + ")",
    "server/src/api/visits_handler.cc": r"^(" + _API.format(".*(Problem|Visit)") + "|" + _SEC + ")",
    "server/src/api/financing_handler.cc": r"^(" + _API.format("Financing") + "|" + _SEC + ")",
    "server/src/api/tours_handler.cc": r"^(" + _API.format("Tours") + "|" + _SEC + ")",
    "server/src/api/leads_handler.cc": r"^(" + _API.format("Leads") + "|" + _SEC + ")",
    "server/src/api/photos_handler.cc": r"^(" + _API.format(".*Photos") + "|" + _SEC + ")",
    "server/src/api/milestones_handler.cc": r"^(" + _API.format("(TwoConcurrent|NodeTemplates|WallChart|Warnings|ProjectListFilters)") + "|" + _SEC + ")",
    "server/src/api/reminders_handler.cc": r"^(" + _API.format("(Reminder|ALeadersInstruction)") + "|" + _SEC + ")",
    "server/src/api/reports_handler.cc": r"^(" + _API.format("(.*Report|TheWeekly|.*RedBlack)") + "|" + _SEC + ")",
    "server/src/api/documents_handler.cc": r"^(" + _API.format("(.*Report|TheWeekly|.*RedBlack)") + "|" + _SEC + ")",
    "server/src/api/assessment_handler.cc": r"^(" + _API.format(".*Assessment") + "|" + _SEC + ")",
    "server/src/api/instructions_handler.cc": r"^(" + _API.format("ALeaders") + "|" + _SEC + ")",
    "server/src/api/leader_handler.cc": r"^(" + _API.format("ALeaders") + "|" + _SEC + ")",
    "server/src/api/stats_handler.cc": r"^(" + _API.format("(ApiStats|TheCumulative|AReport|AnEarly|CliStats|.*RedBlack)") + "|" + _SEC + ")",
    "server/src/api/auth_handler.cc": r"^(Backends/(AuthTest|SecurityTest)\..*/sqlite)",
    "server/src/api/projects_handler.cc": r"^(" + _API.format("(Projects|Regions|Amounts|Errors|CsvImport|Spreadsheets|EveryTable|TheUsersExport)") + "|" + _SEC + ")",
    "server/src/api/system_handler.cc": r"^(" + _API.format("(Regions|ReminderHour|CsvImport|Spreadsheets|AnEarly|Errors)") +
                                        "|" + _SEC + "|Backends/SecurityTest\.(AnUnknownRegion|AnImportWithAnError).*/sqlite)",
    "server/src/api/openapi.cc": r"^(Backends/OpsTest\.TheOpenApi.*/sqlite)",
}


def tests_for(f):
    """(ctest regex, build targets) that judge a mutant of file f."""
    regex, targets = next(v for d, v in TESTS.items() if f.startswith(d))
    return FILE_TESTS.get(f, regex), targets


BEGIN = "<!-- mutate.py: begin -->"
END = "<!-- mutate.py: end -->"


def mask_line(line):
    """The line with string/char literals and // comments blanked (same length), or None for
    preprocessor lines."""
    if line.lstrip().startswith("#"):
        return None
    out = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if line.startswith("//", i):
            out.append(" " * (n - i))
            break
        if line.startswith('R"(', i):
            j = line.find(')"', i + 3)
            j = n if j < 0 else j + 2
            out.append(" " * (j - i))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)


SWAPS = [
    ("ror", r" < ", [" <= ", " > "]),
    ("ror", r" <= ", [" < ", " > "]),
    ("ror", r" > ", [" >= ", " < "]),
    ("ror", r" >= ", [" > ", " < "]),
    ("ror", r" == ", [" != "]),
    ("ror", r" != ", [" == "]),
    ("lor", r" && ", [" || "]),
    ("lor", r" \|\| ", [" && "]),
    ("aor", r" \+ ", [" - "]),
    ("aor", r" - ", [" + "]),
    ("aor", r" \* ", [" / "]),
    ("aor", r" / ", [" * "]),
    ("aor", r" \+= ", [" -= "]),
    ("aor", r" -= ", [" += "]),
]


def matching_paren(masked, open_at):
    depth = 0
    for j in range(open_at, len(masked)):
        if masked[j] == "(":
            depth += 1
        elif masked[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


def mutants_of(path):
    """Every mutant of one file: (line number, column, operator, original text, replacement)."""
    lines = open(os.path.join(ROOT, path), encoding="utf-8").read().split("\n")
    out = []
    in_block_comment = False
    for ln, line in enumerate(lines, 1):
        if in_block_comment:
            if "*/" in line:
                in_block_comment = False
            continue
        if line.lstrip().startswith("/*"):
            in_block_comment = "*/" not in line
            continue
        masked = mask_line(line)
        if masked is None or "static_assert" in masked or "#include" in masked:
            continue
        if re.match(r"\s*(case .*:|default:)", masked) or "operator" in masked:
            continue
        for op, pattern, replacements in SWAPS:
            for m in re.finditer(pattern, masked):
                # " - " after "(" or "=" is a negative number, "*"/"&" after a type a declaration.
                if op == "aor" and m.group(0).strip() in "-*" and re.search(r"[(=,]\s*$", masked[: m.start() + 1]):
                    continue
                for r in replacements:
                    out.append((ln, m.start(), op, m.group(0), r))
        # Off-by-one integer constants (not in names, not floats, not array sizes of declarations).
        for m in re.finditer(r"(?<![\w.'])(\d+)(?![\w.'])", masked):
            text = m.group(1)
            if len(text) > 12:
                continue
            v = int(text.replace("'", ""))
            out.append((ln, m.start(), "crp", text, str(v + 1)))
            if v > 0:
                out.append((ln, m.start(), "crp", text, str(v - 1)))
        # Dropped conditions.
        for m in re.finditer(r"\b(if|while) \(", masked):
            open_at = m.end() - 1
            close = matching_paren(masked, open_at)
            if close < 0:
                continue
            cond = line[open_at : close + 1]
            # An if with an initialiser or a declaration ("if (auto* v = get(...))"): leave it.
            if ";" in cond or re.search(r"(?<![=!<>])=(?!=)", masked[open_at : close + 1]):
                continue
            for r in ("(true)", "(false)") if m.group(1) == "if" else ("(false)",):
                out.append((ln, open_at, "cond", cond, r))
        # Dropped negations: "!x" → "x".
        for m in re.finditer(r"(?<=[\s(])!(?!=)", masked):
            out.append((ln, m.start(), "neg", "!", ""))
        # Replaced boolean return values.
        for m in re.finditer(r"\breturn (true|false);", masked):
            flipped = "false" if m.group(1) == "true" else "true"
            out.append((ln, m.start(), "ret", m.group(0), f"return {flipped};"))
    return [(path,) + m for m in out], lines


def apply(lines, ln, col, original, replacement):
    line = lines[ln - 1]
    assert line[col : col + len(original)] == original, (ln, col, original, line)
    changed = list(lines)
    changed[ln - 1] = line[:col] + replacement + line[col + len(original) :]
    return "\n".join(changed)


def run(cmd, timeout=None, env=None, cwd=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                           text=True, errors="replace")
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")


def copy_tree(dest):
    """The sources the build reads, copied; the copy is refreshed from the working tree each run."""
    ignore = shutil.ignore_patterns(".git", "build*", "node_modules", "dist", "out", "*.db", "data")
    os.makedirs(dest, exist_ok=True)
    for item in ["CMakeLists.txt", "cmake", "server", "bench", "fuzz", "web", "examples", "deploy", "scripts", "README.md"]:
        src = os.path.join(ROOT, item)
        dst = os.path.join(dest, item)
        if not os.path.exists(src):
            continue
        if os.path.isdir(src):
            # Only changed files are rewritten, so the incremental build stays incremental.
            for dirpath, dirnames, filenames in os.walk(src):
                dirnames[:] = [d for d in dirnames if not ignore(dirpath, [d])]
                rel = os.path.relpath(dirpath, ROOT)
                os.makedirs(os.path.join(dest, rel), exist_ok=True)
                for f in filenames:
                    if ignore(dirpath, [f]):
                        continue
                    s, d = os.path.join(dirpath, f), os.path.join(dest, rel, f)
                    if not os.path.exists(d) or open(s, "rb").read() != open(d, "rb").read():
                        shutil.copyfile(s, d)  # stamped now, not with the source's time: the build must see it
                        shutil.copymode(s, d)
        elif not os.path.exists(dst) or open(src, "rb").read() != open(dst, "rb").read():
            shutil.copyfile(src, dst)
            shutil.copymode(src, dst)


def machine():
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()}: {os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, load {os.getloadavg()[0]:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", nargs="*", default=DEFAULT_FILES, help="globs of sources to mutate")
    ap.add_argument("--max", type=int, default=0, help="at most this many mutants (a seeded sample); 0: all")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--operators", default="ror,lor,aor,crp,cond,neg,ret")
    ap.add_argument("--build-dir", default="build-mutate")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=300, help="seconds for one mutant's tests")
    ap.add_argument("--budget", type=int, default=0, help="stop starting mutants after this many seconds; 0: none")
    ap.add_argument("--out", default="bench/MUTATION.md")
    ap.add_argument("--list", action="store_true", help="only list the mutants")
    ap.add_argument("--retry", action="store_true",
                    help="run only the last run's survivors again (after new tests) and update its report")
    args = ap.parse_args()

    ops = set(args.operators.split(","))
    files = sorted({os.path.relpath(f, ROOT) for g in args.files for f in glob.glob(os.path.join(ROOT, g))})
    all_mutants, sources = [], {}
    for f in files:
        ms, lines = mutants_of(f)
        sources[f] = lines
        all_mutants += [m for m in ms if m[3] in ops]
    chosen = list(all_mutants)
    if args.max and len(chosen) > args.max:
        chosen = random.Random(args.seed).sample(chosen, args.max)
    chosen.sort(key=lambda m: (m[0], m[1], m[2]))  # by file: one file's mutants rebuild one object
    state_path = os.path.join(ROOT, args.build_dir, "results.json")
    previous = None
    if args.retry:
        # The run's state, or (on another machine, or after build-mutate was removed) what its report says.
        previous = (json.load(open(state_path, encoding="utf-8")) if os.path.exists(state_path)
                    else state_from_report(os.path.join(ROOT, args.out)))
        wanted = {retry_key(r["file"], r["op"], r["orig"], r["rep"], r["text"])
                  for r in previous["results"] if r["status"] == "survived"}
        if args.files != DEFAULT_FILES:  # --files narrows a retry to those files' survivors
            wanted = {w for w in wanted if w[0] in files}
        files = sorted({w[0] for w in wanted})
        for f in files:
            if f not in sources:
                ms, lines = mutants_of(f)
                sources[f] = lines
                all_mutants += [m for m in ms if m[3] in ops]
        # A survivor is found by its file, operator, change and the text of its line (lines move as the file is
        # edited); the same change twice on a line is tried at both places.
        chosen = [m for m in all_mutants
                  if retry_key(m[0], m[3], m[4], m[5], sources[m[0]][m[1] - 1].strip()) in wanted]
        chosen = sorted(set(chosen), key=lambda m: (m[0], m[1], m[2]))
        found = {retry_key(m[0], m[3], m[4], m[5], sources[m[0]][m[1] - 1].strip()) for m in chosen}
        for w in sorted(wanted - found):
            print(f"mutate: {w[0]} {w[1]} {w[2]!r} -> {w[3]!r} in `{w[4]}` is no longer in the source; not retried")
    print(f"mutate: {len(all_mutants)} mutants in {len(files)} files; running {len(chosen)}", flush=True)
    if args.list:
        for f, ln, col, op, orig, rep in chosen:
            print(f"{f}:{ln}:{col} {op} {orig.strip()!r} -> {rep.strip()!r}")
        return 0

    base = os.path.join(ROOT, args.build_dir)
    src_copy, build = os.path.join(base, "src"), os.path.join(base, "build")
    copied_from = git_head()  # the tree the mutants are made in (HEAD may move during a long run)
    copy_tree(src_copy)
    env = dict(os.environ, KP_ALLOW_NO_PG="1")
    env.pop("KP_TEST_PG_URL", None)
    if not os.path.exists(os.path.join(build, "build.ninja")):
        # Unoptimised and without debug information: each mutant recompiles and relinks fastest so.
        code, out = run(["cmake", "-S", src_copy, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Debug",
                         "-DCMAKE_CXX_FLAGS_DEBUG=-O0", "-DCMAKE_C_FLAGS_DEBUG=-O0"])
        if code != 0:
            print(out)
            return 1
    targets = sorted({t for _, (_, ts) in TESTS.items() for t in ts})
    needed = sorted({t for f in files for d, (_, ts) in TESTS.items() if f.startswith(d) for t in ts} or targets)
    code, out = run(["cmake", "--build", build, "-j", str(args.jobs), "--target"] + needed)
    if code != 0:
        print(out)
        return 1
    # The unmutated tree must pass the tests that will judge the mutants, and each regex must name some.
    # The tests of all the regexes run once together (many share the role walk and the hostile-value table).
    regexes = sorted({tests_for(m[0])[0] for m in chosen})
    for regex in regexes:
        code, out = run(["ctest", "--test-dir", build, "-N", "-R", regex], env=env)
        found = re.search(r"Total Tests: (\d+)", out)
        if code != 0 or not found or int(found.group(1)) == 0:
            print(f"mutate: no test matches {regex}; fix scripts/mutate.py's tables first")
            return 1
    if regexes:
        union = "|".join(f"({r})" for r in regexes)
        code, out = run(["ctest", "--test-dir", build, "-R", union, "-j", str(args.jobs), "--timeout", str(args.timeout)],
                        env=env, timeout=args.timeout * 8)
        if code != 0:
            print(out[-4000:])
            print("mutate: these tests fail before any mutation; fix them first")
            return 1
    print(f"mutate: the unmutated tree passes the tests of {len(regexes)} files", flush=True)

    results = []
    started = time.time()
    # SIGTERM ends the run after the mutant being tried, with the report of those run (as the budget does).
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    for i, (f, ln, col, op, orig, rep) in enumerate(chosen, 1):
        if (args.budget and time.time() - started > args.budget) or stop:
            print(f"mutate: {'stopped' if stop else f'budget of {args.budget} s spent'}; {len(chosen) - i + 1} mutants "
                  "not run", flush=True)
            break
        regex, tgts = tests_for(f)
        target_file = os.path.join(src_copy, f)
        original_text = "\n".join(sources[f])
        t0 = time.time()
        try:
            with open(target_file, "w", encoding="utf-8") as out_f:
                out_f.write(apply(sources[f], ln, col, orig, rep))
            code, out = run(["cmake", "--build", build, "-j", str(args.jobs), "--target"] + tgts)
            if code != 0:
                status = "no-compile"
            else:
                code, out = run(["ctest", "--test-dir", build, "-R", regex, "--stop-on-failure", "-j", str(args.jobs),
                                 "--timeout", str(args.timeout)], env=env, timeout=args.timeout * 2)
                if code == "timeout" or code != 0:
                    status = "killed"
                else:
                    status = "survived"
        finally:
            with open(target_file, "w", encoding="utf-8") as out_f:
                out_f.write(original_text)
        killer = ""
        if status == "killed":
            m = re.search(r"\d+ - (\S+)[^\n]*\((?:Failed|Timeout|SEGFAULT|Subprocess aborted|Child aborted|Exception)", out)
            killer = m.group(1) if m else ("(timeout)" if code == "timeout" else "")
        took = time.time() - t0
        results.append((f, ln, op, orig, rep, status, killer, sources[f][ln - 1].strip()))
        print(f"[{i}/{len(chosen)}] {status:10} {f}:{ln} {op} {orig.strip()!r} -> {rep.strip()!r} "
              f"({took:.0f} s) {killer}", flush=True)
    # The copy is left as the working tree has it (the build then matches it again).
    run(["cmake", "--build", build, "-j", str(args.jobs), "--target"] + needed)
    rows = [dict(file=f, line=ln, op=op, orig=orig, rep=rep, status=st, killer=k, text=t, retried=False)
            for f, ln, op, orig, rep, st, k, t in results]
    if previous:
        # A key that names two mutants (the same change twice on a line): killed if either is.
        now = {}
        for r in rows:
            k = retry_key(r["file"], r["op"], r["orig"], r["rep"], r["text"])
            if k not in now or r["status"] == "killed":
                now[k] = r
        for r in previous["results"]:
            again = now.get(retry_key(r["file"], r["op"], r["orig"], r["rep"], r["text"]))
            if r["status"] == "survived" and again:
                r.update(status=again["status"], killer=again["killer"], retried=True, line=again["line"])
        state = previous
        state["retry"] = {"date": f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M}", "run": len(rows),
                          "killed": sum(1 for r in rows if r["status"] == "killed"), "seconds": time.time() - started}
    else:
        state = {"date": f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M}", "machine": machine(), "commit": copied_from,
                 "args": " ".join(sys.argv[1:]), "mutants_in_files": len(all_mutants), "seconds": time.time() - started,
                 "results": rows}
    with open(state_path, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=False, indent=1)
    write_report(args, state)
    return 0


def retry_key(f, op, orig, rep, text):
    """A survivor as the report shows it: the line's text is cut at 100 characters there (after | is escaped)."""
    return (f, op, orig.strip(), rep.strip(), text.strip()[:80])


def state_from_report(path):
    """The latest run's state read back from its block in the report: its survivors whole, its killed mutants
    as counts per file and operator (enough to write the block again after a retry)."""
    text = open(path, encoding="utf-8").read()
    block = text[text.index(BEGIN) + len(BEGIN): text.index(END)]
    head = re.search(r"Run of (.+?) UTC on (.+), commit (.+?)\.\n", block)
    cmd = re.search(r"Command: `nice -n 19 python3 scripts/mutate.py (.*)`; (\d+) minutes", block)
    sizes = re.findall(r"^\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| ", block, re.M)
    unescape = lambda c: c.replace("\\|", "|")  # noqa: E731
    cell = r"((?:[^|\\]|\\.)*)"
    results = []
    for f, op, k, sv in re.findall(r"^\| (server/\S+) \| (\w+) \| (\d+) \| (\d+) \|$", block, re.M):
        results += [dict(file=f, line=0, op=op, orig="", rep="", status="killed", killer="", text="", retried=False)
                    for _ in range(int(k))]
    survivors = block[block.index("Survivors ("):]
    survivors = survivors[: survivors.index("Killed on the retry")] if "Killed on the retry" in survivors else survivors
    for row in re.finditer(r"^\| (server/\S+):(\d+) \| (\w+) \| " + cell + r" \| `(.*)` \|$", survivors, re.M):
        change = unescape(row.group(4))
        orig, rep = re.match(r"`(.*)` → `(.*)`$", change).groups()
        rep = "" if rep == "(removed)" else rep
        results.append(dict(file=row.group(1), line=int(row.group(2)), op=row.group(3), orig=orig, rep=rep,
                            status="survived", killer="", text=unescape(row.group(5)), retried=False))
    # Those an earlier retry killed stay marked so (the first run's figure leaves them out).
    if "Killed on the retry" in block:
        earlier = block[block.index("Killed on the retry"):]
        for row in re.finditer(r"^\| (server/\S+):(\d+) \| (\w+) \| " + cell + r" \| (\S+) \|$", earlier, re.M):
            orig, rep = re.match(r"`(.*)` → `(.*)`$", unescape(row.group(4))).groups()
            r = next(r for r in results if r["status"] == "killed" and not r["retried"] and
                     (r["file"], r["op"]) == (row.group(1), row.group(3)))
            r.update(line=int(row.group(2)), orig=orig, rep="" if rep == "(removed)" else rep, killer=row.group(5),
                     retried=True)
    compiled = int(sizes[-1][2]) if sizes else 0
    nocompile = int(re.search(r"Did not compile \(not counted\): (\d+)", block).group(1))
    results += [dict(file="", line=0, op="", orig="", rep="", status="no-compile", killer="", text="", retried=False)
                for _ in range(nocompile)]
    if sum(1 for r in results if r["status"] in ("killed", "survived")) != compiled:
        sys.exit("mutate: the report's tables do not add up; cannot retry from it")
    return {"date": head.group(1), "machine": head.group(2), "commit": head.group(3), "args": cmd.group(1),
            "mutants_in_files": int(sizes[0][0]), "seconds": int(cmd.group(2)) * 60, "results": results}


def git_head():
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "server"], stdout=subprocess.PIPE, text=True).stdout.strip()
    return commit + (" (with uncommitted changes under server/)" if dirty else "")


def write_report(args, state):
    results = state["results"]
    killed = sum(1 for r in results if r["status"] == "killed")
    first_killed = sum(1 for r in results if r["status"] == "killed" and not r["retried"])
    survived = [r for r in results if r["status"] == "survived"]
    nocompile = sum(1 for r in results if r["status"] == "no-compile")
    viable = killed + len(survived)
    score = 100.0 * killed / viable if viable else 0.0
    first = 100.0 * first_killed / viable if viable else 0.0
    lines = [BEGIN, "",
             f"Run of {state['date']} UTC on {state['machine']}, commit {state['commit']}.",
             f"Command: `nice -n 19 python3 scripts/mutate.py {state['args']}`; {state['seconds'] / 60:.0f} minutes.", ""]
    if "retry" in state:
        rt = state["retry"]
        lines += [f"Then, after the tests written for its survivors, `--retry` of {rt['date']} UTC ran them again "
                  f"({rt['run']} mutants: a change that occurs twice on a line is tried at both places): {rt['killed']} "
                  f"of those are now killed ({rt['seconds'] / 60:.0f} minutes).", ""]
    lines += ["| mutants in the files | run | compiled | killed | survived | score |", "|---|---|---|---|---|---|"]
    if "retry" in state:
        lines.append(f"| {state['mutants_in_files']} | {len(results)} | {viable} | {first_killed} | {viable - first_killed} "
                     f"| {first:.1f} % (first run) |")
    lines += [f"| {state['mutants_in_files']} | {len(results)} | {viable} | {killed} | {len(survived)} | **{score:.1f} %** |", ""]
    by = {}
    for r in results:
        d = by.setdefault((r["file"], r["op"]), [0, 0])
        if r["status"] == "killed":
            d[0] += 1
        elif r["status"] == "survived":
            d[1] += 1
    lines += ["| file | operator | killed | survived |", "|---|---|---|---|"]
    for (f, op), (k, sv) in sorted(by.items()):
        lines.append(f"| {f} | {op} | {k} | {sv} |")
    lines += ["", f"Did not compile (not counted): {nocompile}.", ""]
    lines += [f"Survivors ({len(survived)}):", ""]
    if survived:
        lines += ["| where | operator | change | line |", "|---|---|---|---|"]
        for r in survived:
            change = f"`{r['orig'].strip() or ' '}` → `{r['rep'].strip() or '(removed)'}`".replace("|", "\\|")
            text = r["text"].replace("|", "\\|")[:100]
            lines.append(f"| {r['file']}:{r['line']} | {r['op']} | {change} | `{text}` |")
    retried = [r for r in results if r["retried"] and r["status"] == "killed"]
    if retried:
        lines += ["", f"Killed on the retry, by tests added for them ({len(retried)}):", "",
                  "| where | operator | change | killed by |", "|---|---|---|---|"]
        for r in retried:
            change = f"`{r['orig'].strip() or ' '}` → `{r['rep'].strip() or '(removed)'}`".replace("|", "\\|")
            lines.append(f"| {r['file']}:{r['line']} | {r['op']} | {change} | {r['killer']} |")
    lines += ["", END]
    block = "\n".join(lines)
    path = os.path.join(ROOT, args.out)
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Mutation testing\n\n" + BEGIN + "\n" + END + "\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text += "\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"mutate: {killed} killed, {len(survived)} survived, {nocompile} did not compile: {score:.1f} % → {args.out}")


if __name__ == "__main__":
    sys.exit(main())
