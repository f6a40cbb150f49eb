"""§3: deciding one assessment, rule by rule.

What a rule may read (:mod:`.facts`: ``RuleInput``, ``Prior``, the evidence window), the ten
rules EV-1 … FS-4 (:mod:`.rules`, each with its id, level, title and the parameters it reads
above its formula; the registry that lists them, :mod:`.registry`), what a failing rule lacks
(:mod:`.shortfalls`), one decision (:mod:`.decision`) and readiness before an assessment
(:mod:`.readiness`). Tests: ``tests/test_rules.py::test_CE_1_…`` and the like, by rule id.

May import the vocabulary and records at the top of the package (``principles``, ``awards``,
``evidence``, ``assessment``, ``history``, ``policy``, ``errors`` and the calendar); nothing of
the lifecycle, interchange, auditing, the office, the command line or the service.
"""
