"""The awards office's work: plans, evidence logs, registers, the report page, policy files.

Plans and evidence logs in CSV (:mod:`.plans`), the rows of ``upcoming`` and ``register``
(:mod:`.rows`), the school's report page (:mod:`.report`, with ``templates/``), and showing,
comparing and checking policy files (:mod:`.policy_files`, :mod:`.policy_lint`).

May import the records, the decisions, the lifecycle, interchange and auditing; nothing of the
command line or the service.
"""
