# The two commands a new user needs: `make demo` and `make test`. Both build .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
QUALCODE := $(BIN)/qualcode
DEMO := .demo
# The demo's key lives outside the demo project, as a real key must; keep it out of git.
DEMO_KEY := .demo-key.json

.PHONY: demo test bench clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: Python 3.11 not found (python3.11 or python3)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# The whole pipeline on transcripts/ and codebooks/, rebuilt from scratch each run.
demo: $(VENV)/.installed
	@rm -rf $(DEMO) $(DEMO_KEY)
	@$(QUALCODE) init $(DEMO)
	@$(QUALCODE) --project $(DEMO) import transcripts/
	@$(QUALCODE) --project $(DEMO) documents
	@$(QUALCODE) --project $(DEMO) roster import transcripts/roster.csv
	@$(QUALCODE) --project $(DEMO) speakers assign --seed 2024 --key $(DEMO_KEY)
	@echo; echo "== before anonymising: document 2, turns 1-3 =="
	@$(QUALCODE) --project $(DEMO) show 2 --turns 1-3
	@$(QUALCODE) --project $(DEMO) anonymise --key $(DEMO_KEY) --terms transcripts/terms.csv
	@echo; echo "== after anonymising (the key, outside the project, holds the way back) =="
	@$(QUALCODE) --project $(DEMO) show 2 --turns 1-3
	@$(QUALCODE) --project $(DEMO) anonymise review
	@echo; echo "== codebook, autocode, and the suggestions accepted unread by a demo coder (a person reviews them: qualcode review) =="
	@cp codebooks/pathways.yaml $(DEMO)/codebook.yaml
	@$(QUALCODE) --project $(DEMO) codebook check
	@$(QUALCODE) --project $(DEMO) autocode
	@$(QUALCODE) --project $(DEMO) --coder "demo: accepted unreviewed" review --accept --yes
	@$(QUALCODE) --project $(DEMO) index --key $(DEMO_KEY) -o exports/coding-index.md --force
	@$(QUALCODE) --project $(DEMO) documents --key $(DEMO_KEY) -o exports/corpus.md --force
	@$(QUALCODE) --project $(DEMO) documents --key $(DEMO_KEY) -o exports/corpus.csv --force
	@$(QUALCODE) --project $(DEMO) speakers --key $(DEMO_KEY) -o exports/speakers.csv --force
	@echo; echo "== tallies, tables, quotes and matrices for the report (each export leak-checked first) =="
	@$(QUALCODE) --project $(DEMO) tally --by wave --bars
	@$(QUALCODE) --project $(DEMO) tally --by wave --key $(DEMO_KEY) -o exports/tally-by-wave.md --force --chart exports/tally-by-wave.png
	@$(QUALCODE) --project $(DEMO) table evidence --group --key $(DEMO_KEY) -o exports/evidence-table.md --force
	@$(QUALCODE) --project $(DEMO) table evidence --group --key $(DEMO_KEY) -o exports/evidence-table.docx --force
	@$(QUALCODE) --project $(DEMO) quotes --per-theme 3 --key $(DEMO_KEY) -o exports/quote-bank.docx --force
	@$(QUALCODE) --project $(DEMO) matrix cooccurrence --level 2 --key $(DEMO_KEY) -o exports/cooccurrence.csv --force
	@$(QUALCODE) --project $(DEMO) matrix framework --case site --key $(DEMO_KEY) -o exports/framework.xlsx --force
	@$(QUALCODE) --project $(DEMO) check report exports/quote-bank.docx --key $(DEMO_KEY) || true
	@echo; echo "== a second coder on a sample (coding by search here, by hand in real life), then agreement =="
	@$(QUALCODE) --project $(DEMO) sample --fraction 0.3 --seed 11 --stratify wave
	@$(QUALCODE) --project $(DEMO) --coder "demo second coder" search cover --role participant --code time.cover --yes
	@$(QUALCODE) --project $(DEMO) --coder "demo second coder" search reflect --role participant --code practice.reflection --yes
	@$(QUALCODE) --project $(DEMO) agree --coders "demo: accepted unreviewed,demo second coder" --code time.cover --code practice.reflection --key $(DEMO_KEY)
	@$(QUALCODE) --project $(DEMO) agree --coders "demo: accepted unreviewed,demo second coder" --code time.cover --code practice.reflection --key $(DEMO_KEY) -o exports/agreement.md --force
	@echo; echo "== a ratification pack: school leaders mark each theme ratified or queried =="
	@$(QUALCODE) --project $(DEMO) ratify --pack --coder "demo: accepted unreviewed" --key $(DEMO_KEY) -o exports/ratification.xlsx --force
	@$(QUALCODE) --project $(DEMO) ratify --pack --coder "demo: accepted unreviewed" --key $(DEMO_KEY) -o exports/ratification.docx --force
	@$(QUALCODE) --project $(DEMO) ratify time --status queried --reviewer "demo head teacher" --comment "cover got worse in the spring"
	@echo; echo "== leak check (exit 1 lists what a person should look at before anything is shared) =="
	@$(QUALCODE) --project $(DEMO) check leaks --key $(DEMO_KEY) --path exports || true
	@echo; echo "demo project: $(DEMO)/   key (outside the project): $(CURDIR)/$(DEMO_KEY)"
	@echo "outputs in $(CURDIR)/exports/: corpus.md, corpus.csv, speakers.csv, coding-index.md, tally-by-wave.md,"
	@echo "  tally-by-wave.png, evidence-table.md, evidence-table.docx, quote-bank.docx (+ .trace.csv), cooccurrence.csv, framework.xlsx,"
	@echo "  agreement.md, ratification.xlsx, ratification.docx"
	@echo "undo the anonymisation with: $(QUALCODE) --project $(DEMO) anonymise --reverse --key $(DEMO_KEY)"

test: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2 -q

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO) $(DEMO_KEY) bench/out exports/*.md exports/*.csv exports/*.xlsx exports/*.docx exports/*.png
