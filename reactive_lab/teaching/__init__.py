"""Exercise checks with feedback, lab generation and grading.

In a lab, the set-up cell imports the lab's checks under the name ``check``, and the cell
after each exercise calls one of them with the learner's answer:

    from reactive_lab.teaching.labs import lab00_warm_up as check
    ...
    check.exercise_1(throughput)

A check prints formative feedback (what is right, what is off, a hint) and returns a
:class:`CheckResult` (``score``, ``max_score``, ``status``, an :class:`Outcome`, and
``feedback``). It never raises, whatever it is given, and it stops a learner's function
after :data:`~reactive_lab.teaching.limits.TIME_LIMIT` seconds.

Conventions, one checks module per lab:

* ``solutions/NN-topic.ipynb`` is the source; ``labs/NN-topic.ipynb`` is generated from it by
  :mod:`~reactive_lab.teaching.labgen` (``make labs``), which turns each
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region into a stub returning ``...``
  (:data:`NOT_DONE`).
* The lab's checks live in ``reactive_lab/teaching/labs/labNN_topic.py``, one ``exercise_N``
  per exercise, written with :func:`~reactive_lab.teaching.checking.exercise`. The grader
  (:mod:`~reactive_lab.teaching.grade`) finds them by that name
  (:func:`reactive_lab.teaching.labs.discover`): there is nothing to register.
"""

from reactive_lab.teaching.checking import NOT_DONE, CheckResult, Outcome, shown

__all__ = ["NOT_DONE", "CheckResult", "Outcome", "shown"]
