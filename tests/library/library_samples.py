"""Small real files for the library tests, made on the spot (ffmpeg for media)."""

import io
import subprocess
import zipfile
from pathlib import Path

import sqlalchemy as sa

from hub.extensions import db
from hub.library.models import LibraryItem


def items():
    """Every library item row, deleted or not."""
    return db.session.scalars(sa.select(LibraryItem).order_by(LibraryItem.id)).all()


def pdf_bytes(text: str = "Education financing in Kenya") -> bytes:
    """A one-page PDF whose text pypdf can read."""
    stream = f"BT /F1 18 Tf 40 700 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_bytes(text: str = "Teachers in Senegal") -> bytes:
    """A minimal Word document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml",
                         '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
                         '</w:body></w:document>')
    return out.getvalue()


def odt_bytes(text: str = "Éducation inclusive") -> bytes:
    """A minimal OpenDocument text (mimetype first, stored, as the format requires)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml",
                         '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
                         'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:'
                         f'text:1.0"><office:body><office:text><text:p>{text}</text:p></office:text>'
                         '</office:body></office:document-content>')
    return out.getvalue()


def make_video(folder: Path, seconds: int = 2) -> Path:
    """A small MP4 (test pattern and a tone) made by ffmpeg."""
    path = folder / "clip.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size=320x240:rate=10:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:v", "libx264",
                    "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(path)], check=True)
    return path


def make_audio(folder: Path, seconds: int = 2) -> Path:
    path = folder / "talk.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
                    "-c:a", "libmp3lame", "-b:a", "32k", str(path)], check=True)
    return path


VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello and welcome\n\n00:00:01.000 --> 00:00:02.000\nto the session\n"
SRT = (b"1\n00:00:00,000 --> 00:00:01,000\nBonjour et bienvenue\n\n"
       b"2\n00:00:01,000 --> 00:00:02,000\n<i>dans la session</i>\n")
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
