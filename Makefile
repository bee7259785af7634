# Two commands: `make run` (set up, then open the window) and `make test` (set up, then lint and test).
.PHONY: setup run test bench clean

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/arrs-desktop

test: setup
	.venv/bin/ruff check .
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/arrs bench --people 100000

clean:
	rm -rf .venv build *.egg-info
