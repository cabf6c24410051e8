# finsam-analys — de två kommandona: `make rapport` och `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installerad

.PHONY: test rapport lab bench validera granska clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (finsam-analys)" >/dev/null
	touch $(STAMP)

test: $(STAMP)
	$(VENV)/bin/ruff check finsam_analys tests benchmarks
	$(PY) -m pytest --doctest-modules --doctest-glob="README.md" finsam_analys tests README.md

rapport: $(STAMP)
	$(VENV)/bin/finsam-analys batch --data data --utdata outputs

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	$(PY) benchmarks/kor_alla.py

clean:
	rm -rf $(VENV) outputs/*/ outputs/index.html outputs/nyckeltal.csv
