"""§4: a school's awards over time, and what it should do next.

The lifecycle rules LC-1 … LC-8, each with its row of the rulebook, the parameters it reads and
the functions that carry it out (:mod:`.rules`); which rule of §3 or §4 reads each parameter of
§2 (:mod:`.parameters`); the replay of a history into status, timeline and upcoming dates
(:mod:`.replay`), the records it gives (:mod:`.records`: StatusReport, AwardStatus, Change …),
the rules as steps that move each award level's clock (:mod:`.clocks`) and how each change is
described for a timeline (:mod:`.changes`); next steps (:mod:`.next_steps`). Tests:
``tests/test_lifecycle.py::test_LC_2_…``, ``tests/test_lifecycle_rules.py`` and
``tests/test_rule_parameters.py``, by rule id.

May import the records and the decisions of §3 (:mod:`iqm_rules.decisions`); nothing of
interchange, auditing, the office, the command line or the service.
"""

# The functions that carry out each rule mark themselves as their modules load: the replay loads
# them all, so the registry of :mod:`.rules` is whole whichever module is asked for first.
from iqm_rules.lifecycle import replay as _replay  # noqa: F401
