"""The decision log: an append-only hash chain of decision records, kept in a SQLite file.

An entry (:mod:`.entries`) holds one record's canonical JSON, its sequence number, when it was
written, the previous entry's hash and its own; :mod:`.store` is the one small interface a store
offers (append, read in order, head) and :mod:`.sqlite` its SQLite implementation, with the
schema's version and migrations. :mod:`.chain` verifies a whole log and names the first bad
entry; :mod:`.standing` answers what the log says a school held on a date.

May import the records and their verification (auditing), interchange and everything below;
nothing of the office, the command line or the service. The clock is read by the caller: every
function here takes the time it needs as an argument.
"""
