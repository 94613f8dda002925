"""The index's codec: Whoosh's own (W3), with each posting block's positions packed into one string.

W3 pickles a block as (ids, weights, positions) with pickle protocol 2, which writes every bytes
object as a call to `_codecs.encode`: unpickling the 128 position strings of a block cost ten
times as much as its ids and weights, and every query paid it for every block it read, positions
needed or not. Packed, a block's unpickling costs about a quarter (measured on a 50,000-document
index, which also shrank from 129 to 100 MB). Indexes written before still read as they are.
Pickled into the index: keep it in this importable module.
"""

import sys
from array import array
from collections.abc import Sequence

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter


def _offsets(ends: bytes) -> array:
    found = array("I", ends)
    if sys.byteorder == "big":  # stored little-endian
        found.byteswap()
    return found


class PackedValues(Sequence):
    """A block's posting values as one string and their end offsets; a tuple to W3's reader."""

    __slots__ = ("_blob", "_ends", "_offsets")

    def __init__(self, blob: bytes, ends: bytes):
        self._blob, self._ends, self._offsets = blob, ends, None

    @classmethod
    def pack(cls, values) -> "PackedValues":
        """Pack a block's values (bytes each)."""
        ends, end = array("I"), 0
        for value in values:
            end += len(value)
            ends.append(end)
        if sys.byteorder == "big":
            ends.byteswap()
        return cls(b"".join(values), ends.tobytes())

    def __reduce__(self):
        return self.__class__, (self._blob, self._ends)

    def __len__(self):
        return len(self._ends) // 4

    def __getitem__(self, index):
        if self._offsets is None:
            self._offsets = _offsets(self._ends)
        offsets = self._offsets
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(offsets))))
        end = offsets[index]
        index = index % len(offsets)
        return self._blob[offsets[index - 1] if index else 0:end]


class HubPostingsWriter(W3PostingsWriter):
    """W3's postings writer, with variable-size values (positions) packed per block."""

    def _mini_values(self):
        fixedsize = self._format.fixed_value_size()
        if fixedsize is None or fixedsize < 0:
            return PackedValues.pack(self._values)
        return super()._mini_values()


    def add_posting(self, id_, weight, vbytes, length=None):
        """W3's, without its type assertions (a fifth of the time it took per posting)."""
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length


class _Lengths:
    """A segment's field lengths, each read once: W3 asks for a document's length at every posting."""

    def __init__(self, lengths):
        self._lengths, self._field, self._known = lengths, None, {}

    def doc_field_length(self, docnum, fieldname, default=0):
        if fieldname != self._field:  # postings come field by field: keep one field's lengths
            self._field, self._known = fieldname, {}
        found = self._known.get(docnum)
        if found is None:
            found = self._known[docnum] = self._lengths.doc_field_length(docnum, fieldname, default)
        return found


class HubFieldWriter(W3FieldWriter):
    """W3's field writer, reading each document's field length once."""

    def add_postings(self, schema, lengths, items):
        super().add_postings(schema, _Lengths(lengths) if lengths else lengths, items)


class HubCodec(W3Codec):
    """W3 with HubPostingsWriter; pass it to every writer: ix.writer(codec=HubCodec())."""

    def field_writer(self, storage, segment):
        return HubFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return HubPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                 compression=self._compression, inlinelimit=self._inlinelimit)
