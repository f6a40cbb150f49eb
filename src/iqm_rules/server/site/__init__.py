"""The pages under ``/app`` for people who are not programmers: assessors, the awards office
and school leaders. Server-rendered HTML that works without script, in English or Welsh.

``forms`` reads what a form sent (in memory, within the service's body limit), ``texts`` holds
every text of the pages (through :mod:`iqm_rules.words`), ``render`` fills the templates of
``templates/`` (and the report page's own), one module per page computes what it shows, and
``routes`` ties them to the URLs. Imports the library and the rest of ``server``, never the
command line.
"""
