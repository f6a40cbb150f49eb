"""The conformance suite: cases any implementation of the rules can run, and their runner.

Modelled on the DMN TCK: the cases are plain JSON files, language-neutral, that another
implementation (a port, a wrapper, an assessor's tool) runs through a small protocol
(:mod:`.protocol`: one request on standard input, one response on standard output). The cases
come from the rule case files, the bundled examples and a seeded generated corpus
(:mod:`.corpus`, :mod:`.generated`); :mod:`.compare` finds the first field that differs and
:mod:`.runner` runs a suite against a program or a web service. The JSON Schemas of the
protocol's messages are in ``schemas/``.

May import everything of the library below the command line and the service: the records, the
decisions, the lifecycle, interchange and auditing (rule cases). Nothing imports it but the
command line.
"""
