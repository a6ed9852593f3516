"""Speed comparisons printed as ratio tables: ``python -m benchmarks NAME [--quick]``.

Every module ``benchmarks/NAME.py`` defines ``main(argv=None)``. Timings are never asserted in
tests; they are measured here, with the machine noted, and reported in the README.
"""
