# bench: performance measurements (make bench). Never run as part of make check.
bench:
	@echo "no benchmarks yet"
.PHONY: bench
