# The two commands of the README.
.PHONY: run test lock

run:   ## set up, create the database, load the demo data, start the server and the timer worker
	bash scripts/run

test:  ## lint, import contracts, the whole suite on SQLite and on PostgreSQL
	bash scripts/test

lock:  ## after changing a pin in setup.cfg: regenerate requirements.lock (all dependencies, with hashes)
	bash scripts/lock
