# Two commands: `make run` serves the site, `make test` checks it. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint install install-dev clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A secret key made once for this checkout and kept out of git.
.secret_key:
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: install .secret_key
	DJANGO_SECRET_KEY="$$(cat .secret_key)" $(BIN)/python manage.py migrate --noinput
	DJANGO_SECRET_KEY="$$(cat .secret_key)" $(BIN)/python manage.py create_demo_editor
	DJANGO_SECRET_KEY="$$(cat .secret_key)" $(BIN)/python manage.py load_demo
	DJANGO_SECRET_KEY="$$(cat .secret_key)" $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving http://127.0.0.1:$(PORT)/ (admin at /admin/); Ctrl-C stops."
	DJANGO_SECRET_KEY="$$(cat .secret_key)" $(BIN)/gunicorn --config gunicorn.conf.py

# Tests run with DEBUG off, as in production, with a throwaway key.
TEST_ENV := DJANGO_SECRET_KEY=test-only-not-secret DJANGO_DEBUG=0
# The README's production recipe (a fresh 50-character key, as production has), for check --deploy.
DEPLOY_ENV := DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_DEBUG=0 DJANGO_HTTPS=1 DJANGO_ALLOWED_HOSTS=news.example.org \
	DJANGO_CSRF_TRUSTED_ORIGINS=https://news.example.org

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(TEST_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# A seeded archive in its own database, served by gunicorn.conf.py, loaded on 127.0.0.1.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache .ruff_cache
