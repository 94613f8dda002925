"""The library: recordings, videos, documents and links, with resumable uploads and low-bandwidth versions."""
