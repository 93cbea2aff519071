"""The rubric catalog is read once, when first needed, whichever thread asks first."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from import_probe import modules_loaded_by
from reviewtui.session.catalog import CatalogSource, catalog_source
from reviewtui.storage import bundled_rubrics_dir, discover_rubrics


def test_a_reader_is_called_once_however_many_threads_ask_at_the_same_moment() -> None:
    calls = []

    def read():
        calls.append(threading.get_ident())
        time.sleep(0.05)  # long enough for every other thread to arrive while it reads
        return discover_rubrics([bundled_rubrics_dir()])

    source = CatalogSource(read)
    assert source.loaded is None
    got = []
    threads = [threading.Thread(target=lambda: got.append(source.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len({id(catalog) for catalog in got}) == 1
    assert source.loaded is got[0]
    assert len(got[0].by_id) == 6


def test_a_read_that_failed_is_tried_again() -> None:
    attempts = []

    def read():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("disk went away")
        return discover_rubrics([bundled_rubrics_dir()])

    source = CatalogSource(read)
    with pytest.raises(OSError):
        source.get()
    assert source.loaded is None
    assert len(source.get().by_id) == 6


def test_a_catalog_given_is_kept_and_a_source_passes_through() -> None:
    catalog = discover_rubrics([bundled_rubrics_dir()])
    source = catalog_source(catalog)
    assert source.loaded is catalog and source.get() is catalog
    assert catalog_source(source) is source


def test_the_storage_package_and_the_catalog_source_load_without_pydantic() -> None:
    light = "import reviewtui.storage, reviewtui.storage.reading, reviewtui.session.catalog"
    assert modules_loaded_by(light, ("pydantic", "pydantic_core")) == []
    # and the names it offers still arrive on first use
    code = "from reviewtui.storage import RubricCatalog, load_session; print(RubricCatalog.__name__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "RubricCatalog"
