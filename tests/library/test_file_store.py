"""The library's FileStore interface, on the local disk (the only implementation shipped)."""

from hub.library import storage


def test_the_local_disk_store_keeps_reads_lists_and_removes(app):
    store = storage.file_store()
    temp = storage.temp_path()
    temp.write_bytes(b"%PDF-1.4 budget")
    name = store.keep(temp, "pdf")
    assert not temp.exists() and store.exists(name) and store.size(name) == 15
    with store.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 budget"
    assert name in store.names()
    assert store.download_url(name, "budget.pdf", "application/pdf") is None  # the hub sends it itself
    store.remove(name)
    assert not store.exists(name) and name not in store.names()
