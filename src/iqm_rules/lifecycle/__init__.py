"""§4: a school's awards over time, and what it should do next.

The lifecycle rules LC-1 … LC-8, each with its row of the rulebook, the parameters it reads and
the functions that carry it out (:mod:`.rules`); which rule of §3 or §4 reads each parameter of
§2 (:mod:`.parameters`); the replay of a history into status, timeline and upcoming dates
(:mod:`.replay`); next steps (:mod:`.next_steps`). Tests: ``tests/test_lifecycle.py::test_LC_2_…``
and ``tests/test_lifecycle_rules.py``, by rule id.

May import the records and the decisions of §3 (:mod:`iqm_rules.decisions`); nothing of
interchange, auditing, the office, the command line or the service.
"""
