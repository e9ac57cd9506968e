"""Exercise checks with feedback, lab generation and grading.

In a lab, the setup cell imports the lab's checks under the name ``check``, and the cell
after each exercise calls one of them with the learner's answer:

    from reactive_lab.teaching import warm_up as check
    ...
    check.exercise_1(throughput)

A check prints formative feedback (what is right, what is off, a hint) and returns a
:class:`CheckResult` (``score``, ``max_score``, ``status`` among "pass", "partial", "fail",
"not done", and ``feedback``). It never raises, whatever it is given, and it stops a
learner's function after :data:`~reactive_lab.teaching.checking.TIME_LIMIT` seconds.

Conventions, one checks module per lab:

* ``solutions/NN-topic.ipynb`` is the source; ``labs/NN-topic.ipynb`` is generated from it by
  :mod:`~reactive_lab.teaching.labgen` (``make labs``), which turns each
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region into a stub returning ``...``
  (:data:`NOT_DONE`).
* The lab's checks live in ``reactive_lab/teaching/<topic>.py``, one ``exercise_N`` per
  exercise, written with :func:`~reactive_lab.teaching.checking.exercise`, and the lab is
  registered in :data:`LABS` so the grader (:mod:`~reactive_lab.teaching.grade`) finds them.
"""

from reactive_lab.teaching.checking import NOT_DONE, CheckResult, shown

__all__ = ["LABS", "NOT_DONE", "CheckResult", "shown"]

LABS = {
    "00-warm-up": "reactive_lab.teaching.warm_up",
    "01-distribution": "reactive_lab.teaching.distribution",
}
"""Each lab (the notebook's file stem) and the module holding its checks."""
