# Two commands: `make run` (set up, then open the window) and `make test` (set up, then lint and test).
# `make test` also builds the standalone bundle once (into a temporary folder) and runs it.
.PHONY: setup run test bench bundle clean

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/arrs-desktop

test: setup
	.venv/bin/ruff check .
	.venv/bin/mypy
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/arrs bench --people 100000

# The standalone one-folder build for this system: dist/arrs-desktop/ (docs/install.md).
bundle: setup
	.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/arrs-desktop.spec
	@echo "Built dist/arrs-desktop/ (arrs-desktop: the window, arrs: the command line)"

clean:
	rm -rf .venv build dist *.egg-info
