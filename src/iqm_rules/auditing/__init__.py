"""Auditing decisions: recorded outcomes against the rules, records that replay, what-if.

The audit of one school (:mod:`.audit`) and of many (:mod:`.audit_report`), decision records
(:mod:`.record`, with :mod:`.provenance` their digests and :mod:`.signature` their signature),
the Ed25519 keys that sign them (:mod:`.signing`, which needs the ``signing`` extra and is
imported only when a key is used), their verification (:mod:`.verify`), what a policy change
would do (:mod:`.whatif`), and rule cases kept as data (:mod:`.cases`).

May import the records, the decisions, the lifecycle and interchange; nothing of the office, the
command line or the service.
"""
